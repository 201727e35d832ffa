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

#include <string.h>

#include "mend-msmtp-client.h"
#include "mend-msmtprc.h"

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

static void
mend_msmtp_client_iface_init (MendClientInterface *iface)
{
  iface->get_id = mend_msmtp_client_get_id;
  iface->get_name = mend_msmtp_client_get_name;
  iface->get_icon_name = mend_msmtp_client_get_icon_name;
  iface->scan = mend_msmtp_client_scan;
}

static void
mend_msmtp_client_class_init (MendMsmtpClientClass *klass)
{
}

static void
mend_msmtp_client_init (MendMsmtpClient *self)
{
}
