/* mend-sylpheed-client.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Sylpheed keeps every account in ~/.sylpheed-2.0/accountrc, one
 * `[Account: N]` section each (shared/reference/clients.md §7; key names
 * from sylpheed libsylph/prefs_account.c, numbers from libsylph/imap.h,
 * pop.h and smtp.h).
 *
 * OAuth 2.0 exists only in the 3.8.0 development releases. Sylpheed writes
 * no version of itself into its configuration, so the version stays
 * unknown, and neither `client-too-old` nor `no-oauth-path` is reported:
 * from the files alone the stable 3.7 (no OAuth) cannot be told apart from
 * 3.8, and claiming either would be a guess. The accountrc also holds
 * plain-text passwords (`password`, `smtp_password`): they are never read
 * here.
 */

#define G_LOG_DOMAIN "mend-sylpheed-client"

#include "config.h"

#include "mend-accountrc.h"
#include "mend-scan-findings.h"
#include "mend-sylpheed-client.h"

#define CLIENT_ID   "sylpheed"
#define CLIENT_NAME "Sylpheed"

#define SECTION_PREFIX "Account: "

/* RecvProtocol (libsylph/prefs_account.h) */
enum
{
  SYLPHEED_POP3  = 0,
  SYLPHEED_APOP  = 1,
  SYLPHEED_RPOP  = 2,
  SYLPHEED_IMAP4 = 3,
};

/* SSLType */
enum
{
  SYLPHEED_SSL_NONE     = 0,
  SYLPHEED_SSL_TUNNEL   = 1,
  SYLPHEED_SSL_STARTTLS = 2,
};

/* IMAPAuthType, Pop3AuthType (0 is USER/PASS or APOP), SMTPAuthType. */
enum
{
  SYLPHEED_IMAP_AUTH_OAUTH2 = 1 << 3,
  SYLPHEED_POP3_AUTH_OAUTH2 = 1 << 3,
  SYLPHEED_SMTP_AUTH_OAUTH2 = 1 << 4,
};

struct _MendSylpheedClient
{
  GObject parent_instance;
};

static void mend_sylpheed_client_iface_init (MendClientInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (MendSylpheedClient, mend_sylpheed_client, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (MEND_TYPE_CLIENT,
                                                      mend_sylpheed_client_iface_init))

static MendSecurity
get_security (MendAccountrc *rc,
              const char    *section,
              const char    *key)
{
  switch (mend_accountrc_get_int_or (rc, section, key, SYLPHEED_SSL_NONE))
    {
    case SYLPHEED_SSL_TUNNEL:
      return MEND_SECURITY_TLS;
    case SYLPHEED_SSL_STARTTLS:
      return MEND_SECURITY_STARTTLS;
    default:
      return MEND_SECURITY_NONE;
    }
}

/* The configured port counts only when set_<x>port is on; otherwise the
 * well-known one for the SSL mode (25, not 587, for SMTP). */
static guint
get_port (MendAccountrc *rc,
          const char    *section,
          const char    *protocol,
          MendSecurity   security,
          guint          plain_port,
          guint          tls_port)
{
  g_autofree char *set_key = g_strdup_printf ("set_%sport", protocol);
  g_autofree char *port_key = g_strdup_printf ("%s_port", protocol);
  gint64 port;

  if (mend_accountrc_get_boolean (rc, section, set_key, FALSE) &&
      mend_accountrc_get_int (rc, section, port_key, &port) &&
      port > 0 && port <= G_MAXUINT16)
    return (guint) port;

  return security == MEND_SECURITY_TLS ? tls_port : plain_port;
}

static void
add_account (MendScanContext *context,
             MendAccount     *account,
             gboolean         running)
{
  if (running)
    {
      g_autoptr(MendFinding) finding = mend_scan_finding_client_running (CLIENT_NAME);

      mend_account_add_finding (account, finding);
    }

  mend_scan_context_add_account (context, account);
}

static void
scan_account (MendScanContext *context,
              MendAccountrc   *rc,
              const char      *source,
              const char      *section,
              gboolean         running)
{
  const char *address = mend_accountrc_get_nonempty (rc, section, "address");
  const char *user = mend_accountrc_get_nonempty (rc, section, "user_id");
  const char *host = mend_accountrc_get_nonempty (rc, section, "receive_server");
  gint64 protocol = mend_accountrc_get_int_or (rc, section, "protocol", SYLPHEED_POP3);
  gboolean pop3 = protocol == SYLPHEED_POP3 || protocol == SYLPHEED_APOP ||
                  protocol == SYLPHEED_RPOP;
  gboolean imap = protocol == SYLPHEED_IMAP4;

  /* NNTP and local accounts receive nothing from a mail server. */
  if ((pop3 || imap) && host != NULL)
    {
      g_autofree char *key = g_strdup_printf ("%s/%s", section, imap ? "imap" : "pop3");
      g_autoptr(MendAccount) account = NULL;
      MendSecurity security;
      gint64 method;

      account = mend_account_new (CLIENT_ID, source, key,
                                  imap ? MEND_PROTOCOL_IMAP : MEND_PROTOCOL_POP3);
      security = get_security (rc, section, imap ? "ssl_imap" : "ssl_pop");
      method = mend_accountrc_get_int_or (rc, section, imap ? "imap_auth_method" : "pop_auth_method", 0);
      mend_account_set_address (account, address);
      mend_account_set_username (account, user);
      mend_account_set_host (account, host);
      mend_account_set_security (account, security);
      mend_account_set_port (account, imap ? get_port (rc, section, "imap", security, 143, 993)
                                           : get_port (rc, section, "pop", security, 110, 995));
      /* The same bit, 8, means OAuth 2.0 for IMAP and POP3. */
      mend_account_set_auth (account, (method & SYLPHEED_IMAP_AUTH_OAUTH2) ? MEND_AUTH_OAUTH2
                                                                         : MEND_AUTH_PASSWORD);
      add_account (context, account, running);
    }

  host = mend_accountrc_get_nonempty (rc, section, "smtp_server");
  if (host != NULL)
    {
      g_autofree char *key = g_strdup_printf ("%s/smtp", section);
      g_autoptr(MendAccount) account = NULL;
      MendSecurity security = get_security (rc, section, "ssl_smtp");

      account = mend_account_new (CLIENT_ID, source, key, MEND_PROTOCOL_SMTP);
      mend_account_set_address (account, address);
      mend_account_set_host (account, host);
      mend_account_set_security (account, security);
      mend_account_set_port (account, get_port (rc, section, "smtp", security, 25, 465));

      if (mend_accountrc_get_boolean (rc, section, "use_smtp_auth", FALSE))
        {
          const char *smtp_user = mend_accountrc_get_nonempty (rc, section, "smtp_user_id");
          gint64 method = mend_accountrc_get_int_or (rc, section, "smtp_auth_method", 0);

          /* An empty SMTP user means “the same as for receiving”. */
          mend_account_set_username (account, smtp_user != NULL ? smtp_user : user);
          mend_account_set_auth (account, (method & SYLPHEED_SMTP_AUTH_OAUTH2) ? MEND_AUTH_OAUTH2
                                                                             : MEND_AUTH_PASSWORD);
        }
      else
        {
          mend_account_set_auth (account, MEND_AUTH_NONE);
        }

      add_account (context, account, running);
    }
}

static void
mend_sylpheed_client_scan (MendClient      *client,
                           MendScanContext *context)
{
  static const char * const process_names[] = { "sylpheed", NULL };
  g_autofree char *path = NULL;
  g_autoptr(MendAccountrc) accountrc = NULL;
  gboolean running;

  G_STATIC_ASSERT (SYLPHEED_IMAP_AUTH_OAUTH2 == SYLPHEED_POP3_AUTH_OAUTH2);

  path = mend_scan_context_expand_path (context, "~/.sylpheed-2.0/accountrc", NULL);
  accountrc = mend_accountrc_load (context, path);
  if (accountrc == NULL)
    return;

  running = mend_scan_context_is_process_running (context, process_names);

  for (guint i = 0; i < mend_accountrc_get_n_sections (accountrc); i++)
    {
      const char *section = mend_accountrc_get_section (accountrc, i);

      if (g_str_has_prefix (section, SECTION_PREFIX))
        scan_account (context, accountrc, path, section, running);
    }
}

static const char *
mend_sylpheed_client_get_id (MendClient *client)
{
  return CLIENT_ID;
}

static const char *
mend_sylpheed_client_get_name (MendClient *client)
{
  return CLIENT_NAME;
}

static const char *
mend_sylpheed_client_get_icon_name (MendClient *client)
{
  return "sylpheed";
}

static void
mend_sylpheed_client_iface_init (MendClientInterface *iface)
{
  iface->get_id = mend_sylpheed_client_get_id;
  iface->get_name = mend_sylpheed_client_get_name;
  iface->get_icon_name = mend_sylpheed_client_get_icon_name;
  iface->scan = mend_sylpheed_client_scan;
}

static void
mend_sylpheed_client_class_init (MendSylpheedClientClass *klass)
{
}

static void
mend_sylpheed_client_init (MendSylpheedClient *self)
{
}
