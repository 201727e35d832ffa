/* mend-neomutt-client.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * NeoMutt (shared/reference/clients.md §8). NeoMutt reads the first of
 * $XDG_CONFIG_HOME/{neomutt,mutt}/{neomuttrc,muttrc},
 * ~/.{neomutt,mutt}/{neomuttrc,muttrc}, ~/.neomuttrc and ~/.muttrc (main.c
 * find_cfg). Its muttrc-family files (muttrc in a mutt folder, ~/.muttrc)
 * are Mutt's too: when Mutt reads the same file, its accounts are listed
 * once, as Mutt's; a file only NeoMutt reads is NeoMutt's.
 */

#define G_LOG_DOMAIN "mend-neomutt-client"

#include "config.h"

#include "mend-mutt-client-private.h"
#include "mend-neomutt-client.h"
#include "mend-repair-findings.h"

struct _MendNeomuttClient
{
  GObject parent_instance;
};

static void mend_neomutt_client_iface_init (MendClientInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (MendNeomuttClient, mend_neomutt_client, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (MEND_TYPE_CLIENT,
                                                      mend_neomutt_client_iface_init))

static const char *
mend_neomutt_client_get_id (MendClient *client)
{
  return "neomutt";
}

static const char *
mend_neomutt_client_get_name (MendClient *client)
{
  return "NeoMutt";
}

static const char *
mend_neomutt_client_get_icon_name (MendClient *client)
{
  return "utilities-terminal";
}

/* The file NeoMutt reads, in its own order. */
static char *
find_neomuttrc (MendScanContext *context)
{
  const char *home = mend_scan_context_get_home_dir (context);
  const char *config = mend_scan_context_get_config_dir (context);
  const struct { const char *base; const char *folder; } locations[] = {
    { config, "neomutt" },
    { config, "mutt" },
    { home, ".neomutt" },
    { home, ".mutt" },
    { home, NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (locations); i++)
    {
      const char *names[] = { "neomuttrc", "muttrc" };

      for (guint j = 0; j < G_N_ELEMENTS (names); j++)
        {
          g_autofree char *dotted = g_strconcat (".", names[j], NULL);
          g_autofree char *path = NULL;

          if (locations[i].folder != NULL)
            path = g_build_filename (locations[i].base, locations[i].folder, names[j], NULL);
          else
            path = g_build_filename (locations[i].base, dotted, NULL);

          if (g_file_test (path, G_FILE_TEST_EXISTS))
            return mend_scan_context_expand_path (context, path, NULL);
        }
    }

  return NULL;
}

static void
mend_neomutt_client_scan (MendClient      *client,
                          MendScanContext *context)
{
  g_autofree char *path = find_neomuttrc (context);
  g_autofree char *mutt_path = NULL;

  if (path == NULL)
    return;

  mutt_path = _mend_mutt_client_find_muttrc (context);
  if (g_strcmp0 (path, mutt_path) == 0)
    {
      g_debug ("NeoMutt reads %s, which Mutt reads too: listed as Mutt's", path);
      return;
    }

  _mend_mutt_client_scan_muttrc (context, "neomutt", "NeoMutt", path);
}

static void
mend_neomutt_client_plan_repair (MendClient        *client,
                                 MendRepairContext *context,
                                 MendRepairPlan    *plan)
{
  g_autofree char *path = find_neomuttrc (mend_repair_context_get_scan_context (context));
  g_autoptr(MendFinding) finding = NULL;

  if (path != NULL)
    {
      _mend_mutt_client_plan_repair (context, plan, "neomutt", "NeoMutt", path);
      return;
    }

  /* The file it reads is gone since the scan. */
  finding = mend_repair_finding_config_changed (
    mend_account_get_source (g_ptr_array_index (mend_repair_plan_get_accounts (plan), 0)));
  mend_repair_plan_add_finding (plan, finding);
}

static void
mend_neomutt_client_iface_init (MendClientInterface *iface)
{
  iface->get_id = mend_neomutt_client_get_id;
  iface->get_name = mend_neomutt_client_get_name;
  iface->get_icon_name = mend_neomutt_client_get_icon_name;
  iface->scan = mend_neomutt_client_scan;
  iface->plan_repair = mend_neomutt_client_plan_repair;
}

static void
mend_neomutt_client_class_init (MendNeomuttClientClass *klass)
{
}

static void
mend_neomutt_client_init (MendNeomuttClient *self)
{
}
