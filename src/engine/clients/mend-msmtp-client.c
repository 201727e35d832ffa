/* mend-msmtp-client.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * msmtp (shared/reference/clients.md §9): ~/.msmtprc, else
 * $XDG_CONFIG_HOME/msmtp/config (tools.c get_userconfig). Each account is
 * one SMTP server. msmtp runs once per message, so it is never reported as
 * running.
 */

#define G_LOG_DOMAIN "mend-msmtp-client"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "mend-msmtp-client.h"
#include "mend-msmtprc.h"
#include "mend-token-command.h"

struct _MendMsmtpClient
{
  GObject parent_instance;
};

static void mend_msmtp_client_iface_init (MendClientInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (MendMsmtpClient, mend_msmtp_client, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (MEND_TYPE_CLIENT,
                                                      mend_msmtp_client_iface_init))

static const char *
mend_msmtp_client_get_id (MendClient *client)
{
  return "msmtp";
}

static const char *
mend_msmtp_client_get_name (MendClient *client)
{
  return "msmtp";
}

static const char *
mend_msmtp_client_get_icon_name (MendClient *client)
{
  return "utilities-terminal";
}

static MendAuth
auth_for_method (const char *method)
{
  if (method == NULL)
    return MEND_AUTH_NONE;

  /* `auth on` lets msmtp pick the best password method the server offers. */
  if (method[0] == '\0')
    return MEND_AUTH_PASSWORD;
  if (g_str_equal (method, "xoauth2") || g_str_equal (method, "oauthbearer"))
    return MEND_AUTH_OAUTH2;
  if (g_str_equal (method, "gssapi") || g_str_equal (method, "external"))
    return MEND_AUTH_OTHER;

  return MEND_AUTH_PASSWORD;
}

static gboolean
is_plain_address (const char *text)
{
  return text != NULL && strchr (text, '@') != NULL && strpbrk (text, "*?% \t<>") == NULL;
}

static void
add_account (MendScanContext          *context,
             const char               *path,
             const MendMsmtprcAccount *rc)
{
  g_autoptr(MendAccount) account = NULL;
  g_autofree char *key = NULL;

  if (rc->alias)
    {
      g_debug ("%s: account %s only names another account", path, rc->name);
      return;
    }
  if (rc->host == NULL)
    {
      g_debug ("%s: account %s has no host", path, rc->name);
      return;
    }

  key = g_strdup_printf ("account %s", rc->name);
  account = mend_account_new ("msmtp", path, key, MEND_PROTOCOL_SMTP);
  mend_account_set_host (account, rc->host);
  mend_account_set_username (account, rc->user);
  mend_account_set_auth (account, auth_for_method (rc->auth));

  if (!rc->tls)
    mend_account_set_security (account, MEND_SECURITY_NONE);
  else if (rc->tls_starttls)
    mend_account_set_security (account, MEND_SECURITY_STARTTLS);
  else
    mend_account_set_security (account, MEND_SECURITY_TLS);

  /* msmtp's default port is 25, or 465 for TLS without STARTTLS. */
  if (rc->port != 0)
    mend_account_set_port (account, rc->port);
  else
    mend_account_set_port (account, rc->tls && !rc->tls_starttls ? 465 : 25);

  if (is_plain_address (rc->from))
    mend_account_set_address (account, rc->from);
  else if (is_plain_address (rc->user))
    mend_account_set_address (account, rc->user);

  mend_scan_context_add_account (context, account);
}

static void
mend_msmtp_client_scan (MendClient      *client,
                        MendScanContext *context)
{
  g_autofree char *dot = g_build_filename (mend_scan_context_get_home_dir (context), ".msmtprc",
                                           NULL);
  g_autofree char *xdg = g_build_filename (mend_scan_context_get_config_dir (context), "msmtp",
                                           "config", NULL);
  g_autofree char *path = NULL;
  g_autofree char *contents = NULL;
  g_autoptr(GPtrArray) accounts = NULL;
  g_autoptr(GError) error = NULL;
  gsize length;

  if (g_file_test (dot, G_FILE_TEST_EXISTS))
    path = mend_scan_context_expand_path (context, dot, NULL);
  else if (g_file_test (xdg, G_FILE_TEST_EXISTS))
    path = mend_scan_context_expand_path (context, xdg, NULL);
  else
    return;

  if (!mend_scan_context_read_file (context, path, &contents, &length))
    return;

  accounts = mend_msmtprc_parse (contents, length, &error);
  if (accounts == NULL)
    {
      mend_scan_context_report_unreadable (context, path, error->message);
      return;
    }

  for (guint i = 0; i < accounts->len; i++)
    add_account (context, path, g_ptr_array_index (accounts, i));
}

static gboolean
switched_to_xoauth2 (const char *contents,
                     gsize       length,
                     const char *name)
{
  g_autoptr(GPtrArray) accounts = mend_msmtprc_parse (contents, length, NULL);

  for (guint i = 0; accounts != NULL && i < accounts->len; i++)
    {
      const MendMsmtprcAccount *rc = g_ptr_array_index (accounts, i);

      if (g_str_equal (rc->name, name))
        return g_strcmp0 (rc->auth, "xoauth2") == 0 && rc->has_password_eval &&
               !rc->has_plain_password;
    }

  return FALSE;
}

/* `auth xoauth2` and `passwordeval "mailmend token LOGIN"` in the account's own lines. */
static void
plan_account (MendRepairContext *context,
              MendRepairPlan    *plan,
              MendAccount       *account)
{
  const char *path = mend_account_get_source (account);
  const char *login = mend_token_command_get_login (plan, account);
  const char *name = mend_account_get_key (account) + strlen ("account ");
  g_autofree char *command = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *repaired = NULL;
  g_autoptr(GError) error = NULL;
  gsize length;
  gsize repaired_length = 0;

  g_assert (g_str_has_prefix (mend_account_get_key (account), "account "));

  if (!mend_token_command_check_signed_in (context, plan, login) ||
      !mend_token_command_read (plan, path, &contents, &length))
    return;

  command = mend_repair_context_dup_token_shell_command (context, login);
  repaired = mend_msmtprc_set_xoauth2 (contents, length, name, command, &repaired_length, &error);

  if (repaired == NULL || !switched_to_xoauth2 (repaired, repaired_length, name))
    {
      g_autoptr(MendFinding) finding = NULL;
      g_autofree char *settings = NULL;

      g_debug ("%s: cannot switch account %s: %s", path, name,
               error != NULL ? error->message : "the result does not read as XOAUTH2");
      /* Translators: the first %s is an msmtp account name, the second a command; the
       * configuration words stay in English. */
      settings = g_strdup_printf (_("In the account “%s”, write “auth xoauth2” and "
                                    "“passwordeval \"%s\"”, and remove its password."),
                                  name, command);
      finding = mend_token_command_finding_manual_edit (path, settings);
      mend_repair_plan_add_finding (plan, finding);
      return;
    }

  mend_repair_plan_write_file (plan, path, repaired, repaired_length);
}

static void
mend_msmtp_client_plan_repair (MendClient        *client,
                               MendRepairContext *context,
                               MendRepairPlan    *plan)
{
  g_autoptr(GPtrArray) accounts = mend_token_command_get_accounts (plan);

  for (guint i = 0; i < accounts->len; i++)
    plan_account (context, plan, g_ptr_array_index (accounts, i));

  /* msmtp reads its configuration for every message: nothing to close or restart. */
  if (accounts->len > 0)
    mend_repair_plan_add_note (plan, _("msmtp asks Mailmend for a sign-in token each time it "
                                       "sends a message."));
}

static void
mend_msmtp_client_iface_init (MendClientInterface *iface)
{
  iface->get_id = mend_msmtp_client_get_id;
  iface->get_name = mend_msmtp_client_get_name;
  iface->get_icon_name = mend_msmtp_client_get_icon_name;
  iface->scan = mend_msmtp_client_scan;
  iface->plan_repair = mend_msmtp_client_plan_repair;
}

static void
mend_msmtp_client_class_init (MendMsmtpClientClass *klass)
{
}

static void
mend_msmtp_client_init (MendMsmtpClient *self)
{
}
