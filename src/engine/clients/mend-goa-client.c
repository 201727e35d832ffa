/* mend-goa-client.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "mend-goa-client"

#include "config.h"

#include <glib/gi18n.h>

#include "mend-goa-client.h"
#include "mend-scan-findings.h"

/* GNOME Online Accounts keeps every account in
 * `$XDG_CONFIG_HOME/goa-1.0/accounts.conf`, one [Account account_<epoch>_<n>]
 * group each (shared/reference/clients.md §3; key names as
 * gnome-online-accounts reads them in goaimapsmtpprovider.c,
 * goawindowsliveprovider.c and goamsgraphprovider.c).
 *
 * Decisions:
 * - An account whose mail switch is off (Enabled=false for imap_smtp,
 *   MailEnabled=false for the others) is reported all the same, like a
 *   disabled account in any other client: it is still configured.
 * - No client-running finding: goa-daemon watches accounts.conf and
 *   reloads it, so nothing needs closing before a repair.
 * - Providers without mail (Nextcloud, Kerberos, WebDAV…) are skipped. */

struct _MendGoaClient
{
  GObject parent_instance;
};

static void mend_goa_client_iface_init (MendClientInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (MendGoaClient, mend_goa_client, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (MEND_TYPE_CLIENT, mend_goa_client_iface_init))

#define GROUP_PREFIX "Account "

/* Mail over Microsoft Graph, not IMAP. */
#define GRAPH_HOST "graph.microsoft.com"

typedef struct
{
  MendScanContext *context;
  const char      *path;
  GKeyFile        *key_file;
  const char      *group;
  const char      *id;       /* the group without “Account ” */
} GoaAccount;

static char *
get_string (GoaAccount *goa,
            const char *key)
{
  g_autofree char *value = g_key_file_get_string (goa->key_file, goa->group, key, NULL);

  if (value == NULL || *g_strstrip (value) == '\0')
    return NULL;

  return g_steal_pointer (&value);
}

static gboolean
get_boolean (GoaAccount *goa,
             const char *key)
{
  g_autofree char *value = get_string (goa, key);

  return value != NULL && g_ascii_strcasecmp (value, "true") == 0;
}

/* ImapHost and SmtpHost may be “host:port” or “[v6 address]:port”, as
 * g_network_address_parse() reads them. */
static void
split_host_port (const char  *value,
                 char       **host,
                 guint       *port)
{
  const char *colon;
  guint64 number = 0;

  *host = NULL;
  *port = 0;

  if (value == NULL)
    return;

  if (value[0] == '[')
    {
      const char *end = strchr (value, ']');

      if (end == NULL)
        {
          *host = g_strdup (value);
          return;
        }

      *host = g_strndup (value + 1, end - value - 1);
      if (end[1] == ':' && g_ascii_string_to_unsigned (end + 2, 10, 1, G_MAXUINT16, &number, NULL))
        *port = (guint) number;
      return;
    }

  colon = strchr (value, ':');
  if (colon == NULL || strchr (colon + 1, ':') != NULL)
    {
      /* No port, or a bare IPv6 address. */
      *host = g_strdup (value);
      return;
    }

  *host = g_strndup (value, colon - value);
  if (g_ascii_string_to_unsigned (colon + 1, 10, 1, G_MAXUINT16, &number, NULL))
    *port = (guint) number;
}

static MendSecurity
security_from_flags (GoaAccount *goa,
                     const char *ssl_key,
                     const char *starttls_key)
{
  if (get_boolean (goa, ssl_key))
    return MEND_SECURITY_TLS;
  if (get_boolean (goa, starttls_key))
    return MEND_SECURITY_STARTTLS;

  return MEND_SECURITY_NONE;
}

static MendAccount *
new_account (GoaAccount   *goa,
             const char   *server,
             MendProtocol  protocol)
{
  g_autofree char *path = mend_scan_context_expand_path (goa->context, goa->path, NULL);
  g_autofree char *key = g_strdup_printf ("%s/%s", goa->id, server);

  return mend_account_new ("goa", path, key, protocol);
}

/* The account's address: EmailAddress for IMAP and SMTP accounts, else
 * the identity shown in Settings when it is one. */
static char *
get_address (GoaAccount *goa)
{
  g_autofree char *address = get_string (goa, "EmailAddress");

  if (address == NULL)
    address = get_string (goa, "PresentationIdentity");
  if (address != NULL && strchr (address, '@') == NULL)
    g_clear_pointer (&address, g_free);

  return g_steal_pointer (&address);
}

static void
add_no_oauth_path (MendAccount *account,
                   const char  *explanation,
                   const char  *remedy)
{
  g_autoptr(MendFinding) finding = NULL;

  if (!mend_account_is_microsoft (account))
    return;

  finding = mend_scan_finding_no_oauth_path (explanation, remedy);
  mend_account_add_finding (account, finding);
}

static const char *
password_only_remedy (void)
{
  /* Translators: “Microsoft 365” is the name of a GNOME Online Accounts
   * provider, as GNOME Settings shows it. */
  return _("Remove this account in Settings ▸ Online Accounts and add a “Microsoft 365” account "
           "instead (GNOME 46 or later), or set up the mailbox directly in Thunderbird or "
           "Evolution.");
}

static void
scan_imap_smtp (GoaAccount *goa)
{
  g_autofree char *address = get_address (goa);
  g_autofree char *imap_value = get_string (goa, "ImapHost");
  g_autofree char *smtp_value = get_string (goa, "SmtpHost");
  const char *explanation;

  explanation = _("The IMAP and SMTP account type of GNOME Online Accounts can only sign in with "
                  "a password; it has no OAuth 2.0 option.");

  if (imap_value != NULL)
    {
      g_autoptr(MendAccount) account = new_account (goa, "imap", MEND_PROTOCOL_IMAP);
      g_autofree char *username = get_string (goa, "ImapUserName");
      g_autofree char *host = NULL;
      guint port;

      split_host_port (imap_value, &host, &port);
      mend_account_set_address (account, address);
      mend_account_set_username (account, username);
      mend_account_set_host (account, host);
      mend_account_set_port (account, port);
      mend_account_set_security (account, security_from_flags (goa, "ImapUseSsl", "ImapUseTls"));
      mend_account_set_auth (account, MEND_AUTH_PASSWORD);
      add_no_oauth_path (account, explanation, password_only_remedy ());
      mend_scan_context_add_account (goa->context, account);
    }

  if (smtp_value != NULL)
    {
      g_autoptr(MendAccount) account = new_account (goa, "smtp", MEND_PROTOCOL_SMTP);
      g_autofree char *username = NULL;
      g_autofree char *host = NULL;
      gboolean use_auth = get_boolean (goa, "SmtpUseAuth");
      guint port;

      if (use_auth)
        username = get_string (goa, "SmtpUserName");

      split_host_port (smtp_value, &host, &port);
      mend_account_set_address (account, address);
      mend_account_set_username (account, username);
      mend_account_set_host (account, host);
      mend_account_set_port (account, port);
      mend_account_set_security (account, security_from_flags (goa, "SmtpUseSsl", "SmtpUseTls"));
      /* LOGIN or PLAIN (the default when neither is set): both passwords. */
      mend_account_set_auth (account, use_auth ? MEND_AUTH_PASSWORD : MEND_AUTH_NONE);
      if (use_auth)
        add_no_oauth_path (account, explanation, password_only_remedy ());
      mend_scan_context_add_account (goa->context, account);
    }
}

/* Exchange: EWS with a password (NTLM or Basic), found through
 * autodiscover from Host=. */
static void
scan_exchange (GoaAccount *goa)
{
  g_autoptr(MendAccount) account = NULL;
  g_autofree char *address = get_address (goa);
  g_autofree char *username = get_string (goa, "Identity");
  g_autofree char *host = get_string (goa, "Host");

  if (host == NULL)
    {
      g_debug ("%s: an Exchange account without a host", goa->id);
      return;
    }

  account = new_account (goa, "ews", MEND_PROTOCOL_EWS);
  mend_account_set_address (account, address);
  mend_account_set_username (account, username);
  mend_account_set_host (account, host);
  mend_account_set_security (account, MEND_SECURITY_TLS);
  mend_account_set_auth (account, MEND_AUTH_PASSWORD);
  add_no_oauth_path (account,
                     _("The Microsoft Exchange account type of GNOME Online Accounts can only "
                       "sign in with a password; it has no OAuth 2.0 option."),
                     password_only_remedy ());
  mend_scan_context_add_account (goa->context, account);
}

/* Microsoft 365: Microsoft Graph with OAuth 2.0, already what it should be. */
static void
scan_ms_graph (GoaAccount *goa)
{
  g_autoptr(MendAccount) account = new_account (goa, "graph", MEND_PROTOCOL_GRAPH);
  g_autofree char *address = get_address (goa);
  g_autofree char *presentation = get_string (goa, "PresentationIdentity");

  mend_account_set_address (account, address);
  mend_account_set_username (account, presentation);
  mend_account_set_host (account, GRAPH_HOST);
  mend_account_set_security (account, MEND_SECURITY_TLS);
  mend_account_set_auth (account, MEND_AUTH_OAUTH2);
  mend_scan_context_add_account (goa->context, account);
}

/* Servers fixed by the provider (goawindowsliveprovider.c,
 * goagoogleprovider.c); port 0 is the protocol's default. */
typedef struct
{
  const char   *server;
  MendProtocol  protocol;
  const char   *host;
  MendSecurity  security;
} FixedServer;

static void
scan_fixed_servers (GoaAccount        *goa,
                    const FixedServer *servers,
                    guint              n_servers,
                    gboolean           windows_live)
{
  g_autofree char *address = get_address (goa);

  for (guint i = 0; i < n_servers; i++)
    {
      g_autoptr(MendAccount) account = new_account (goa, servers[i].server, servers[i].protocol);

      mend_account_set_address (account, address);
      mend_account_set_username (account, address);
      mend_account_set_host (account, servers[i].host);
      mend_account_set_security (account, servers[i].security);
      mend_account_set_auth (account, MEND_AUTH_OAUTH2);

      /* It is OAuth 2.0, but through the old Live sign-in that GNOME
       * dropped; it has no future, and no repair here. */
      if (windows_live)
        add_no_oauth_path (account,
                           _("This “Microsoft” account signs in through Microsoft's old "
                             "Windows Live service, which GNOME Online Accounts removed in "
                             "version 3.55 (GNOME 49). It stops working when GNOME is "
                             "updated."),
                           _("Remove this account in Settings ▸ Online Accounts and add it "
                             "again as a “Microsoft 365” account (GNOME 46 or later), or set "
                             "up the mailbox directly in Thunderbird or Evolution."));

      mend_scan_context_add_account (goa->context, account);
    }
}

static void
scan_account (GoaAccount *goa)
{
  static const FixedServer windows_live[] = {
    { "imap", MEND_PROTOCOL_IMAP, "imap-mail.outlook.com", MEND_SECURITY_TLS },
    { "smtp", MEND_PROTOCOL_SMTP, "smtp-mail.outlook.com", MEND_SECURITY_STARTTLS },
  };
  static const FixedServer google[] = {
    { "imap", MEND_PROTOCOL_IMAP, "imap.gmail.com", MEND_SECURITY_TLS },
    { "smtp", MEND_PROTOCOL_SMTP, "smtp.gmail.com", MEND_SECURITY_STARTTLS },
  };
  g_autofree char *provider = get_string (goa, "Provider");

  if (g_strcmp0 (provider, "imap_smtp") == 0)
    scan_imap_smtp (goa);
  else if (g_strcmp0 (provider, "exchange") == 0)
    scan_exchange (goa);
  else if (g_strcmp0 (provider, "ms_graph") == 0)
    scan_ms_graph (goa);
  else if (g_strcmp0 (provider, "windows_live") == 0)
    scan_fixed_servers (goa, windows_live, G_N_ELEMENTS (windows_live), TRUE);
  else if (g_strcmp0 (provider, "google") == 0)
    scan_fixed_servers (goa, google, G_N_ELEMENTS (google), FALSE);
  else
    g_debug ("%s: provider %s has no mail", goa->id, provider ? provider : "(none)");
}

static const char *
mend_goa_client_get_id (MendClient *client)
{
  return "goa";
}

static const char *
mend_goa_client_get_name (MendClient *client)
{
  return "GNOME Online Accounts";
}

static const char *
mend_goa_client_get_icon_name (MendClient *client)
{
  return "goa-panel";
}

static void
mend_goa_client_scan (MendClient      *client,
                      MendScanContext *context)
{
  g_autofree char *path = g_build_filename (mend_scan_context_get_config_dir (context),
                                            "goa-1.0", "accounts.conf", NULL);
  g_autoptr(GKeyFile) key_file = mend_scan_context_load_key_file (context, path);
  g_auto(GStrv) groups = NULL;

  if (key_file == NULL)
    return;

  groups = g_key_file_get_groups (key_file, NULL);
  for (guint i = 0; groups[i] != NULL; i++)
    {
      GoaAccount goa = {
        .context = context,
        .path = path,
        .key_file = key_file,
        .group = groups[i],
      };

      if (!g_str_has_prefix (groups[i], GROUP_PREFIX) || groups[i][strlen (GROUP_PREFIX)] == '\0')
        continue;

      goa.id = groups[i] + strlen (GROUP_PREFIX);
      scan_account (&goa);
    }
}

static void
mend_goa_client_iface_init (MendClientInterface *iface)
{
  iface->get_id = mend_goa_client_get_id;
  iface->get_name = mend_goa_client_get_name;
  iface->get_icon_name = mend_goa_client_get_icon_name;
  iface->scan = mend_goa_client_scan;
}

static void
mend_goa_client_class_init (MendGoaClientClass *klass)
{
}

static void
mend_goa_client_init (MendGoaClient *self)
{
}
