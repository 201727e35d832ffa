/* mend-aerc-client.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * aerc keeps its accounts in $XDG_CONFIG_HOME/aerc/accounts.conf, one
 * [section] per account, each server a URL: `source =
 * imaps+xoauth2://user%40example.com@outlook.office365.com:993` and
 * `outgoing = smtp+plain://user%40example.com@smtp.office365.com:587`
 * (rjarry/aerc: doc/aerc-imap.5.scd, doc/aerc-smtp.5.scd, lib/auth/sasl.go).
 * aerc runs a command for passwords and tokens (`*-cred-cmd`), which is
 * never run here, and can use OAuth 2.0 with any host, so it only needs
 * the findings every client gets, and client-running.
 */

#define G_LOG_DOMAIN "mend-aerc-client"

#include "config.h"

#include "mend-aerc-client.h"
#include "mend-ini.h"
#include "mend-scan-findings.h"

struct _MendAercClient
{
  GObject parent_instance;
};

typedef struct
{
  MendProtocol  protocol;
  MendSecurity  security;
  MendAuth      auth;
  char         *username;
  char         *host;
  guint         port;
} Server;

static const char * const process_names[] = { "aerc", NULL };

static void mend_aerc_client_iface_init (MendClientInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (MendAercClient, mend_aerc_client, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (MEND_TYPE_CLIENT,
                                                      mend_aerc_client_iface_init))

static void
server_clear (Server *server)
{
  g_clear_pointer (&server->username, g_free);
  g_clear_pointer (&server->host, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Server, server_clear)

static MendAuth
auth_from_mechanism (const char *mechanism)
{
  /* Without a mechanism aerc uses PLAIN (lib/auth/sasl.go ParseScheme). */
  if (mechanism == NULL || g_str_equal (mechanism, "plain") || g_str_equal (mechanism, "login"))
    return MEND_AUTH_PASSWORD;

  if (g_str_equal (mechanism, "xoauth2") || g_str_equal (mechanism, "oauthbearer"))
    return MEND_AUTH_OAUTH2;

  if (g_str_equal (mechanism, "none"))
    return MEND_AUTH_NONE;

  return MEND_AUTH_OTHER;
}

/* `source` and `outgoing` are URLs whose scheme names the protocol, then
 * `+insecure` and an authentication mechanism, in any order. Anything that
 * is not an IMAP or SMTP server (maildir://, notmuch://, jmap://, a
 * sendmail path) is not an account here. The password part of the URL is
 * never read. */
static gboolean
parse_server_url (const char *url,
                  gboolean    outgoing,
                  Server     *server)
{
  g_autofree char *scheme = NULL;
  g_autofree char *user = NULL;
  g_autofree char *host = NULL;
  g_autofree char *lower = NULL;
  g_autofree char *mechanism = NULL;
  g_auto(GStrv) parts = NULL;
  gboolean insecure = FALSE;
  gint port = -1;

  if (!g_uri_split_with_user (url,
                              G_URI_FLAGS_HAS_PASSWORD | G_URI_FLAGS_ENCODED_QUERY |
                              G_URI_FLAGS_PARSE_RELAXED,
                              &scheme, &user, NULL, NULL, &host, &port, NULL, NULL, NULL, NULL))
    return FALSE;

  if (scheme == NULL || host == NULL || host[0] == '\0')
    return FALSE;

  lower = g_ascii_strdown (scheme, -1);
  parts = g_strsplit (lower, "+", -1);

  for (guint i = 1; parts[i] != NULL; i++)
    {
      if (g_str_equal (parts[i], "insecure"))
        {
          insecure = TRUE;
        }
      else if (mechanism == NULL)
        {
          mechanism = g_strdup (parts[i]);
        }
      else
        {
          char *joined = g_strconcat (mechanism, "+", parts[i], NULL);

          g_free (mechanism);
          mechanism = joined;
        }
    }

  if (g_str_equal (parts[0], outgoing ? "smtps" : "imaps"))
    /* imaps+insecure only skips the certificate check. */
    server->security = MEND_SECURITY_TLS;
  else if (g_str_equal (parts[0], outgoing ? "smtp" : "imap"))
    /* STARTTLS unless +insecure. Older aerc sent smtp:// in the clear
     * unless smtp-starttls = yes; current aerc ignores that setting. */
    server->security = insecure ? MEND_SECURITY_NONE : MEND_SECURITY_STARTTLS;
  else
    return FALSE;

  server->protocol = outgoing ? MEND_PROTOCOL_SMTP : MEND_PROTOCOL_IMAP;
  server->auth = auth_from_mechanism (mechanism);
  server->username = g_steal_pointer (&user);
  server->host = g_steal_pointer (&host);
  server->port = port > 0 ? (guint) port : 0;

  return TRUE;
}

/* `from = Alex Example <alex@example.com>` */
static char *
parse_address (const char *from)
{
  const char *open;
  const char *close;
  g_autofree char *address = NULL;

  if (from == NULL)
    return NULL;

  open = strrchr (from, '<');
  if (open != NULL && (close = strchr (open, '>')) != NULL)
    address = g_strndup (open + 1, close - open - 1);
  else
    address = g_strdup (from);

  g_strstrip (address);
  if (strchr (address, '@') == NULL || strchr (address, ' ') != NULL)
    return NULL;

  return g_steal_pointer (&address);
}

static void
add_server (MendScanContext *context,
            MendIni         *ini,
            const char      *source,
            const char      *name,
            const char      *key,
            gboolean         running)
{
  g_autoptr(MendAccount) account = NULL;
  g_auto(Server) server = { 0 };
  g_autofree char *url = mend_ini_get_value (ini, name, key, NULL);
  g_autofree char *from = NULL;
  g_autofree char *address = NULL;
  g_autofree char *account_key = NULL;

  if (url == NULL || url[0] == '\0')
    return;

  if (!parse_server_url (url, g_str_equal (key, "outgoing"), &server))
    {
      /* Not the URL: it may hold a password. */
      g_debug ("[%s] %s is not an IMAP or SMTP server", name, key);
      return;
    }

  from = mend_ini_get_value (ini, name, "from", NULL);
  address = parse_address (from);
  if (address == NULL && server.username != NULL && strchr (server.username, '@') != NULL)
    address = g_strdup (server.username);

  account_key = g_strdup_printf ("[%s]/%s", name, key);
  account = mend_account_new ("aerc", source, account_key, server.protocol);
  mend_account_set_address (account, address);
  mend_account_set_username (account, server.username);
  mend_account_set_host (account, server.host);
  mend_account_set_port (account, server.port);
  mend_account_set_security (account, server.security);
  mend_account_set_auth (account, server.auth);

  if (running)
    {
      g_autoptr(MendFinding) finding = mend_scan_finding_client_running ("aerc");
      mend_account_add_finding (account, finding);
    }

  mend_scan_context_add_account (context, account);
}

static const char *
mend_aerc_client_get_id (MendClient *client)
{
  return "aerc";
}

static const char *
mend_aerc_client_get_name (MendClient *client)
{
  return "aerc";
}

static const char *
mend_aerc_client_get_icon_name (MendClient *client)
{
  return "utilities-terminal";
}

static void
mend_aerc_client_scan (MendClient      *client,
                       MendScanContext *context)
{
  g_autofree char *path = NULL;
  g_autofree char *source = NULL;
  g_autofree char *contents = NULL;
  g_autoptr(MendIni) ini = NULL;
  g_autoptr(GError) error = NULL;
  gboolean running;
  gsize length;

  /* aerc reads this one file (config/accounts.go); `aerc -A` can name
   * another, which no scan can know about. */
  path = g_build_filename (mend_scan_context_get_config_dir (context), "aerc", "accounts.conf",
                           NULL);
  source = mend_scan_context_expand_path (context, path, NULL);

  if (!mend_scan_context_read_file (context, source, &contents, &length))
    return;

  if (!(ini = mend_ini_parse (contents, length, MEND_INI_DIALECT_GO, &error)))
    {
      mend_scan_context_report_unreadable (context, source, error->message);
      return;
    }

  running = mend_scan_context_is_process_running (context, process_names);

  for (guint i = 0; i < mend_ini_get_n_sections (ini); i++)
    {
      const char *name = mend_ini_get_section_name (ini, i);

      add_server (context, ini, source, name, "source", running);
      add_server (context, ini, source, name, "outgoing", running);
    }
}

static void
mend_aerc_client_iface_init (MendClientInterface *iface)
{
  iface->get_id = mend_aerc_client_get_id;
  iface->get_name = mend_aerc_client_get_name;
  iface->get_icon_name = mend_aerc_client_get_icon_name;
  iface->scan = mend_aerc_client_scan;
}

static void
mend_aerc_client_class_init (MendAercClientClass *klass)
{
}

static void
mend_aerc_client_init (MendAercClient *self)
{
}
