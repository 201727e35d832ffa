/* mend-mbsync-client.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * isync / mbsync (shared/reference/clients.md §10): $XDG_CONFIG_HOME/isyncrc
 * (isync >= 1.5), else ~/.mbsyncrc. Each IMAPAccount, and each IMAPStore
 * that names its server itself, is one IMAP server. TLSType (SSLType before
 * 1.5) defaults to STARTTLS; AuthMechs to “*”, any password method.
 */

#define G_LOG_DOMAIN "mend-mbsync-client"

#include "config.h"

#include <string.h>

#include "mend-mbsync-client.h"
#include "mend-mbsyncrc.h"
#include "mend-scan-findings.h"

struct _MendMbsyncClient
{
  GObject parent_instance;
};

static void mend_mbsync_client_iface_init (MendClientInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (MendMbsyncClient, mend_mbsync_client, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (MEND_TYPE_CLIENT,
                                                      mend_mbsync_client_iface_init))

static const char *
mend_mbsync_client_get_id (MendClient *client)
{
  return "mbsync";
}

static const char *
mend_mbsync_client_get_name (MendClient *client)
{
  return "mbsync";
}

static const char *
mend_mbsync_client_get_icon_name (MendClient *client)
{
  return "utilities-terminal";
}

/* OAuth when AuthMechs allows XOAUTH2 or OAUTHBEARER (through the
 * cyrus-sasl-xoauth2 plugin); other kinds only when nothing else is allowed. */
static MendAuth
auth_for_mechs (const char *mechs)
{
  g_auto(GStrv) list = NULL;
  gboolean other = FALSE;
  gboolean password = FALSE;

  if (mechs == NULL)
    return MEND_AUTH_PASSWORD;

  list = g_strsplit_set (mechs, " \t", -1);
  for (guint i = 0; list[i] != NULL; i++)
    {
      if (list[i][0] == '\0')
        continue;
      if (g_ascii_strcasecmp (list[i], "XOAUTH2") == 0 ||
          g_ascii_strcasecmp (list[i], "OAUTHBEARER") == 0)
        return MEND_AUTH_OAUTH2;
      if (g_ascii_strcasecmp (list[i], "GSSAPI") == 0 ||
          g_ascii_strcasecmp (list[i], "EXTERNAL") == 0)
        other = TRUE;
      else
        password = TRUE;
    }

  return other && !password ? MEND_AUTH_OTHER : MEND_AUTH_PASSWORD;
}

static MendSecurity
security_for (const MendMbsyncrcAccount *rc)
{
  if (rc->tls_type == NULL)
    return rc->use_imaps ? MEND_SECURITY_TLS : MEND_SECURITY_STARTTLS;
  if (g_ascii_strcasecmp (rc->tls_type, "IMAPS") == 0)
    return MEND_SECURITY_TLS;
  if (g_ascii_strcasecmp (rc->tls_type, "None") == 0)
    return MEND_SECURITY_NONE;

  return MEND_SECURITY_STARTTLS;
}

static void
mend_mbsync_client_scan (MendClient      *client,
                         MendScanContext *context)
{
  g_autofree char *xdg = g_build_filename (mend_scan_context_get_config_dir (context), "isyncrc",
                                           NULL);
  g_autofree char *dot = g_build_filename (mend_scan_context_get_home_dir (context), ".mbsyncrc",
                                           NULL);
  const char * const process_names[] = { "mbsync", NULL };
  g_autofree char *path = NULL;
  g_autofree char *contents = NULL;
  g_autoptr(GPtrArray) accounts = NULL;
  g_autoptr(GError) error = NULL;
  gboolean running;
  gsize length;

  if (g_file_test (xdg, G_FILE_TEST_EXISTS))
    path = mend_scan_context_expand_path (context, xdg, NULL);
  else if (g_file_test (dot, G_FILE_TEST_EXISTS))
    path = mend_scan_context_expand_path (context, dot, NULL);
  else
    return;

  if (!mend_scan_context_read_file (context, path, &contents, &length))
    return;

  accounts = mend_mbsyncrc_parse (contents, length, &error);
  if (accounts == NULL)
    {
      mend_scan_context_report_unreadable (context, path, error->message);
      return;
    }

  running = accounts->len > 0 && mend_scan_context_is_process_running (context, process_names);

  for (guint i = 0; i < accounts->len; i++)
    {
      const MendMbsyncrcAccount *rc = g_ptr_array_index (accounts, i);
      g_autoptr(MendAccount) account = NULL;
      g_autofree char *key = NULL;

      if (rc->account != NULL)
        continue; /* an IMAPStore using an IMAPAccount: listed with that */
      if (rc->tunnel || rc->host == NULL)
        {
          g_debug ("%s: %s %s has %s", path, rc->section, rc->name,
                   rc->tunnel ? "a tunnel command, not a host" : "no host");
          continue;
        }

      key = g_strdup_printf ("%s %s", rc->section, rc->name);
      account = mend_account_new ("mbsync", path, key, MEND_PROTOCOL_IMAP);
      mend_account_set_host (account, rc->host);
      mend_account_set_port (account, rc->port);
      mend_account_set_security (account, security_for (rc));
      mend_account_set_auth (account, auth_for_mechs (rc->auth_mechs));
      mend_account_set_username (account, rc->user);
      if (rc->user != NULL && strchr (rc->user, '@') != NULL)
        mend_account_set_address (account, rc->user);

      if (running)
        {
          g_autoptr(MendFinding) finding = mend_scan_finding_client_running ("mbsync");
          mend_account_add_finding (account, finding);
        }

      mend_scan_context_add_account (context, account);
    }
}

static void
mend_mbsync_client_iface_init (MendClientInterface *iface)
{
  iface->get_id = mend_mbsync_client_get_id;
  iface->get_name = mend_mbsync_client_get_name;
  iface->get_icon_name = mend_mbsync_client_get_icon_name;
  iface->scan = mend_mbsync_client_scan;
}

static void
mend_mbsync_client_class_init (MendMbsyncClientClass *klass)
{
}

static void
mend_mbsync_client_init (MendMbsyncClient *self)
{
}
