/* mend-fetchmail-client.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * fetchmail (shared/reference/clients.md §13): ~/.fetchmailrc
 * ($FETCHMAILHOME is not looked at). Each user of each `poll` or `skip`
 * entry is one IMAP or POP server; `auto` counts as IMAP, which fetchmail
 * tries first. Without `ssl`, fetchmail upgrades with STARTTLS when the
 * server offers it, unless `sslproto ''`. Stable fetchmail (6.x) has no
 * OAuth: `auth oauthbearer` exists in 7.0.0-alpha and patched builds only.
 */

#define G_LOG_DOMAIN "mend-fetchmail-client"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "mend-fetchmail-client.h"
#include "mend-fetchmailrc.h"
#include "mend-scan-findings.h"

struct _MendFetchmailClient
{
  GObject parent_instance;
};

static void mend_fetchmail_client_iface_init (MendClientInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (MendFetchmailClient, mend_fetchmail_client, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (MEND_TYPE_CLIENT,
                                                      mend_fetchmail_client_iface_init))

static const char *
mend_fetchmail_client_get_id (MendClient *client)
{
  return "fetchmail";
}

static const char *
mend_fetchmail_client_get_name (MendClient *client)
{
  return "fetchmail";
}

static const char *
mend_fetchmail_client_get_icon_name (MendClient *client)
{
  return "utilities-terminal";
}

static gboolean
protocol_for (const MendFetchmailrcAccount *rc,
              MendProtocol                 *protocol)
{
  const char *name = rc->protocol ? rc->protocol : "auto";

  if (g_str_equal (name, "imap") || g_str_equal (name, "auto"))
    *protocol = MEND_PROTOCOL_IMAP;
  else if (g_str_equal (name, "pop3") || g_str_equal (name, "apop") ||
           g_str_equal (name, "rpop") || g_str_equal (name, "kpop") ||
           g_str_equal (name, "sdps"))
    *protocol = MEND_PROTOCOL_POP3;
  else
    return FALSE; /* pop2, etrn, odmr */

  return TRUE;
}

static MendAuth
auth_for (const MendFetchmailrcAccount *rc)
{
  const char *auth = rc->auth ? rc->auth : "any";

  if (g_strcmp0 (rc->protocol, "kpop") == 0)
    return MEND_AUTH_OTHER;
  if (g_str_equal (auth, "oauthbearer") || g_str_equal (auth, "xoauth2"))
    return MEND_AUTH_OAUTH2;
  if (g_str_equal (auth, "gssapi") || g_str_has_prefix (auth, "kerberos") ||
      g_str_equal (auth, "ssh") || g_str_equal (auth, "external"))
    return MEND_AUTH_OTHER;

  /* any, password, cram-md5, otp, ntlm, msn */
  return MEND_AUTH_PASSWORD;
}

static MendSecurity
security_for (const MendFetchmailrcAccount *rc)
{
  if (rc->ssl)
    return MEND_SECURITY_TLS;
  if (rc->sslproto != NULL && rc->sslproto[0] == '\0')
    return MEND_SECURITY_NONE;

  return MEND_SECURITY_STARTTLS;
}

static char *
unique_key (GHashTable *keys,
            const char *key,
            MendProtocol protocol)
{
  for (guint n = 1; ; n++)
    {
      g_autofree char *candidate = n == 1 ? g_strdup (key) : g_strdup_printf ("%s (%u)", key, n);
      g_autofree char *full = g_strdup_printf ("%s\n%s", candidate,
                                               mend_protocol_to_string (protocol));

      if (g_hash_table_add (keys, g_steal_pointer (&full)))
        return g_steal_pointer (&candidate);
    }
}

static void
mend_fetchmail_client_scan (MendClient      *client,
                            MendScanContext *context)
{
  g_autofree char *dot = g_build_filename (mend_scan_context_get_home_dir (context),
                                           ".fetchmailrc", NULL);
  const char * const process_names[] = { "fetchmail", NULL };
  g_autoptr(GHashTable) keys = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autofree char *path = NULL;
  g_autofree char *contents = NULL;
  g_autoptr(GPtrArray) accounts = NULL;
  g_autoptr(GError) error = NULL;
  gboolean running;
  gsize length;

  path = mend_scan_context_expand_path (context, dot, NULL);
  if (!mend_scan_context_read_file (context, path, &contents, &length))
    return;

  accounts = mend_fetchmailrc_parse (contents, length, &error);
  if (accounts == NULL)
    {
      mend_scan_context_report_unreadable (context, path, error->message);
      return;
    }

  running = accounts->len > 0 && mend_scan_context_is_process_running (context, process_names);

  for (guint i = 0; i < accounts->len; i++)
    {
      const MendFetchmailrcAccount *rc = g_ptr_array_index (accounts, i);
      g_autoptr(MendAccount) account = NULL;
      g_autofree char *key = NULL;
      g_autofree char *unique = NULL;
      MendProtocol protocol;

      if (!protocol_for (rc, &protocol))
        {
          g_debug ("%s: %s uses %s, not IMAP or POP", path, rc->label, rc->protocol);
          continue;
        }

      if (rc->user != NULL)
        key = g_strdup_printf ("%s %s user %s", rc->skip ? "skip" : "poll", rc->label, rc->user);
      else
        key = g_strdup_printf ("%s %s", rc->skip ? "skip" : "poll", rc->label);
      unique = unique_key (keys, key, protocol);

      account = mend_account_new ("fetchmail", path, unique, protocol);
      mend_account_set_host (account, rc->via ? rc->via : rc->label);
      mend_account_set_port (account, rc->port);
      mend_account_set_security (account, security_for (rc));
      mend_account_set_auth (account, auth_for (rc));
      mend_account_set_username (account, rc->user);
      if (rc->user != NULL && strchr (rc->user, '@') != NULL)
        mend_account_set_address (account, rc->user);

      if (running)
        {
          g_autoptr(MendFinding) finding = mend_scan_finding_client_running ("fetchmail");
          mend_account_add_finding (account, finding);
        }

      if (mend_account_is_microsoft (account) &&
          mend_account_get_auth (account) != MEND_AUTH_OAUTH2)
        {
          g_autoptr(MendFinding) finding = NULL;

          finding = mend_scan_finding_no_oauth_path (
            _("fetchmail 6 cannot sign in with OAuth 2.0. Only fetchmail 7 test releases and some "
              "distribution builds can, with “auth oauthbearer” and a token file that another "
              "program keeps fresh."),
            _("Fetch this mailbox with getmail6 or mbsync instead, signing in with “mailmend "
              "token”. With a fetchmail that has OAuth, set “auth oauthbearer” and point "
              "“passwordfile” at a token file."));
          mend_account_add_finding (account, finding);
        }

      mend_scan_context_add_account (context, account);
    }
}

static void
mend_fetchmail_client_iface_init (MendClientInterface *iface)
{
  iface->get_id = mend_fetchmail_client_get_id;
  iface->get_name = mend_fetchmail_client_get_name;
  iface->get_icon_name = mend_fetchmail_client_get_icon_name;
  iface->scan = mend_fetchmail_client_scan;
}

static void
mend_fetchmail_client_class_init (MendFetchmailClientClass *klass)
{
}

static void
mend_fetchmail_client_init (MendFetchmailClient *self)
{
}
