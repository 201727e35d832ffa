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

#include <glib/gi18n.h>
#include <string.h>

#include "mend-mbsync-client.h"
#include "mend-mbsyncrc.h"
#include "mend-scan-findings.h"
#include "mend-token-command.h"

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

static gboolean
switched_to_xoauth2 (const char *contents,
                     gsize       length,
                     const char *section,
                     const char *name)
{
  g_autoptr(GPtrArray) accounts = mend_mbsyncrc_parse (contents, length, NULL);

  for (guint i = 0; accounts != NULL && i < accounts->len; i++)
    {
      const MendMbsyncrcAccount *rc = g_ptr_array_index (accounts, i);

      if (g_str_equal (rc->section, section) && g_str_equal (rc->name, name))
        return auth_for_mechs (rc->auth_mechs) == MEND_AUTH_OAUTH2 && rc->has_password;
    }

  return FALSE;
}

/* `AuthMechs XOAUTH2` and `PassCmd "mailmend token LOGIN"` in the account's section. */
static void
plan_account (MendRepairContext *context,
              MendRepairPlan    *plan,
              MendAccount       *account)
{
  const char *path = mend_account_get_source (account);
  const char *login = mend_token_command_get_login (plan, account);
  const char *key = mend_account_get_key (account);
  g_autofree char *section = g_strndup (key, strcspn (key, " "));
  const char *name = key + strlen (section) + 1;
  g_autofree char *command = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *repaired = NULL;
  g_autoptr(GError) error = NULL;
  gsize length;
  gsize repaired_length = 0;

  if (!mend_token_command_check_signed_in (context, plan, login) ||
      !mend_token_command_read (plan, path, &contents, &length))
    return;

  command = mend_repair_context_dup_token_shell_command (context, login);
  repaired = mend_mbsyncrc_set_xoauth2 (contents, length, section, name, command,
                                        &repaired_length, &error);

  if (repaired == NULL || !switched_to_xoauth2 (repaired, repaired_length, section, name))
    {
      g_autoptr(MendFinding) finding = NULL;
      g_autofree char *settings = NULL;

      g_debug ("%s: cannot switch %s: %s", path, key,
               error != NULL ? error->message : "the result does not read as XOAUTH2");
      /* Translators: the first %s is an mbsync section such as “IMAPAccount work”, the
       * second a command; the configuration words stay in English. */
      settings = g_strdup_printf (_("In “%s”, write “AuthMechs XOAUTH2” and "
                                    "“PassCmd \"%s\"”, and remove its password."),
                                  key, command);
      finding = mend_token_command_finding_manual_edit (path, settings);
      mend_repair_plan_add_finding (plan, finding);
      return;
    }

  mend_repair_plan_write_file (plan, path, repaired, repaired_length);
}

/* isync signs in through Cyrus SASL, which offers XOAUTH2 only with a plugin:
 * cyrus-sasl-xoauth2 (libxoauth2.so) or KDE's (libkdexoauth2.so, Debian's
 * libsasl2-modules-kdexoauth2). Cyrus looks in $SASL_PATH when it is set. */
static gboolean
folder_has_xoauth2_plugin (const char *folder)
{
  g_autoptr(GDir) dir = g_dir_open (folder, 0, NULL);
  const char *file;

  while (dir != NULL && (file = g_dir_read_name (dir)) != NULL)
    {
      if (g_str_has_prefix (file, "libxoauth2.so") || g_str_has_prefix (file, "libkdexoauth2.so"))
        return TRUE;
    }

  return FALSE;
}

/* isync signs in through Cyrus SASL, which offers XOAUTH2 only with a plugin:
 * cyrus-sasl-xoauth2 (libxoauth2.so) or KDE's (libkdexoauth2.so, Debian's
 * libsasl2-modules-kdexoauth2). Cyrus looks in $SASL_PATH when it is set, else in its
 * library folder: /usr/lib/<multiarch triplet>/sasl2 on Debian. */
static gboolean
has_xoauth2_plugin (void)
{
  static const char * const folders[] = {
    "/usr/lib64/sasl2", "/usr/lib/sasl2", "/usr/local/lib/sasl2", NULL
  };
  const char *sasl_path = g_getenv ("SASL_PATH");
  g_autoptr(GDir) lib = NULL;
  const char *name;

  if (sasl_path != NULL)
    {
      g_auto(GStrv) paths = g_strsplit (sasl_path, ":", -1);

      for (guint i = 0; paths[i] != NULL; i++)
        {
          if (paths[i][0] != '\0' && folder_has_xoauth2_plugin (paths[i]))
            return TRUE;
        }

      return FALSE;
    }

  for (guint i = 0; folders[i] != NULL; i++)
    {
      if (folder_has_xoauth2_plugin (folders[i]))
        return TRUE;
    }

  lib = g_dir_open ("/usr/lib", 0, NULL);
  while (lib != NULL && (name = g_dir_read_name (lib)) != NULL)
    {
      g_autofree char *folder = g_build_filename ("/usr/lib", name, "sasl2", NULL);

      if (strstr (name, "-linux-") != NULL && folder_has_xoauth2_plugin (folder))
        return TRUE;
    }

  return FALSE;
}

static void
mend_mbsync_client_plan_repair (MendClient        *client,
                                MendRepairContext *context,
                                MendRepairPlan    *plan)
{
  g_autoptr(GPtrArray) accounts = mend_token_command_get_accounts (plan);
  g_autofree char *note = NULL;

  for (guint i = 0; i < accounts->len; i++)
    plan_account (context, plan, g_ptr_array_index (accounts, i));

  if (accounts->len == 0)
    return;

  /* mbsync reads its configuration at every run. Translators: %s is a mail app. */
  note = g_strdup_printf (_("%s asks Mailmend for a sign-in token each time it connects."),
                          "mbsync");
  mend_repair_plan_add_note (plan, note);
  if (!has_xoauth2_plugin ())
    mend_repair_plan_add_note (plan, _("mbsync needs the XOAUTH2 plugin of Cyrus SASL: install "
                                       "the package libsasl2-modules-kdexoauth2 (Debian, "
                                       "Ubuntu) or cyrus-sasl-xoauth2 (Fedora, Arch Linux)."));
}

static void
mend_mbsync_client_iface_init (MendClientInterface *iface)
{
  iface->get_id = mend_mbsync_client_get_id;
  iface->get_name = mend_mbsync_client_get_name;
  iface->get_icon_name = mend_mbsync_client_get_icon_name;
  iface->scan = mend_mbsync_client_scan;
  iface->plan_repair = mend_mbsync_client_plan_repair;
}

static void
mend_mbsync_client_class_init (MendMbsyncClientClass *klass)
{
}

static void
mend_mbsync_client_init (MendMbsyncClient *self)
{
}
