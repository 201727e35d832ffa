/* mend-geary-client.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "mend-geary-client"

#include "config.h"

#include <glib/gi18n.h>

#include "mend-geary-client.h"
#include "mend-scan-findings.h"

/* Geary keeps one folder per account in `$XDG_CONFIG_HOME/geary/`, or
 * `~/.var/app/org.gnome.Geary/config/geary/` for the Flatpak, each with a
 * `geary.ini` (shared/reference/clients.md §4; key names as Geary's
 * accounts-manager.vala reads them). Version 1 files have [Metadata],
 * [Account] and one group per server, [Incoming] and [Outgoing]; older,
 * un-versioned files hold everything in [AccountInformation].
 *
 * Decisions:
 * - Accounts that come from GNOME Online Accounts (a `goa_` folder, or
 *   [Metadata] goa_id=) are skipped: their settings live in GOA, and the
 *   GOA client reports them.
 * - Accounts marked status=removed are waiting for Geary to delete them
 *   and are skipped; disabled ones are reported.
 * - Accounts Geary manages itself always sign in with a password
 *   (ServiceConfigV1 gives them Credentials.Method.PASSWORD): there is no
 *   key to switch, hence no-oauth-path on Microsoft servers. */

struct _MendGearyClient
{
  GObject parent_instance;
};

static void mend_geary_client_iface_init (MendClientInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (MendGearyClient, mend_geary_client, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (MEND_TYPE_CLIENT,
                                                      mend_geary_client_iface_init))

#define GROUP_METADATA "Metadata"
#define GROUP_ACCOUNT  "Account"
#define GROUP_INCOMING "Incoming"
#define GROUP_OUTGOING "Outgoing"
#define GROUP_LEGACY   "AccountInformation"

typedef enum
{
  CREDENTIALS_NONE,
  CREDENTIALS_USE_INCOMING,
  CREDENTIALS_CUSTOM,
} Credentials;

/* One server, as Geary would connect to it. */
typedef struct
{
  char         *host;
  guint         port;
  MendSecurity  security;
  char         *login;
  Credentials   credentials;
} Service;

typedef struct
{
  MendScanContext *context;
  const char      *profile;
  const char      *path;
  GKeyFile        *key_file;
  char            *address;
  gboolean         running;
} GearyAccount;

/* The servers of Geary's own service providers
 * (src/engine/imap-engine/<provider>/imap-engine-<provider>-account.vala). */
typedef struct
{
  const char   *name;
  const char   *imap_host;
  MendSecurity  imap_security;
  const char   *smtp_host;
  MendSecurity  smtp_security;
} Provider;

static const Provider providers[] = {
  { "outlook",
    "imap-mail.outlook.com", MEND_SECURITY_TLS,
    "smtp-mail.outlook.com", MEND_SECURITY_STARTTLS },
  { "gmail",
    "imap.gmail.com", MEND_SECURITY_TLS,
    "smtp.gmail.com", MEND_SECURITY_TLS },
  /* Only older Geary versions had it; their files may still name it. */
  { "yahoo",
    "imap.mail.yahoo.com", MEND_SECURITY_TLS,
    "smtp.mail.yahoo.com", MEND_SECURITY_TLS },
};

static void
service_clear (Service *service)
{
  g_clear_pointer (&service->host, g_free);
  g_clear_pointer (&service->login, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Service, service_clear)

static char *
get_string (GKeyFile   *key_file,
            const char *group,
            const char *key)
{
  g_autofree char *value = g_key_file_get_string (key_file, group, key, NULL);

  if (value == NULL || *g_strstrip (value) == '\0')
    return NULL;

  return g_steal_pointer (&value);
}

static gboolean
get_boolean (GKeyFile   *key_file,
             const char *group,
             const char *key,
             gboolean    fallback)
{
  g_autofree char *value = get_string (key_file, group, key);

  if (value == NULL)
    return fallback;
  if (g_ascii_strcasecmp (value, "true") == 0 || g_str_equal (value, "1"))
    return TRUE;
  if (g_ascii_strcasecmp (value, "false") == 0 || g_str_equal (value, "0"))
    return FALSE;

  return fallback;
}

static guint
get_port (GKeyFile   *key_file,
          const char *group,
          const char *key)
{
  g_autofree char *value = get_string (key_file, group, key);
  guint64 port = 0;

  if (value == NULL || !g_ascii_string_to_unsigned (value, 10, 0, G_MAXUINT16, &port, NULL))
    return 0;

  return (guint) port;
}

/* “Jane Doe <jane@example.com>” or “jane@example.com” → the address. */
static char *
parse_mailbox (const char *mailbox)
{
  const char *open;
  const char *close;
  g_autofree char *address = NULL;

  if (mailbox == NULL)
    return NULL;

  open = strrchr (mailbox, '<');
  close = open ? strchr (open, '>') : NULL;
  if (open != NULL && close != NULL)
    address = g_strndup (open + 1, close - open - 1);
  else
    address = g_strdup (mailbox);

  g_strstrip (address);
  if (strchr (address, '@') == NULL)
    return NULL;

  return g_steal_pointer (&address);
}

static const Provider *
find_provider (const char *name)
{
  for (guint i = 0; i < G_N_ELEMENTS (providers); i++)
    {
      if (name != NULL && g_ascii_strcasecmp (name, providers[i].name) == 0)
        return &providers[i];
    }

  return NULL;
}

static gboolean
parse_security (const char   *value,
                MendSecurity *security)
{
  if (value == NULL)
    return FALSE;

  if (g_ascii_strcasecmp (value, "none") == 0)
    *security = MEND_SECURITY_NONE;
  else if (g_ascii_strcasecmp (value, "start-tls") == 0)
    *security = MEND_SECURITY_STARTTLS;
  else if (g_ascii_strcasecmp (value, "transport") == 0)
    *security = MEND_SECURITY_TLS;
  else
    return FALSE;

  return TRUE;
}

static Credentials
parse_credentials (const char *value,
                   const char *login)
{
  if (value != NULL && g_ascii_strcasecmp (value, "none") == 0)
    return CREDENTIALS_NONE;
  if (value != NULL && g_ascii_strcasecmp (value, "custom") == 0)
    return CREDENTIALS_CUSTOM;
  if (value != NULL && g_ascii_strcasecmp (value, "use-incoming") == 0)
    return CREDENTIALS_USE_INCOMING;

  /* Absent or unknown: a login of its own means its own credentials. */
  return login != NULL ? CREDENTIALS_CUSTOM : CREDENTIALS_USE_INCOMING;
}

/* Geary's own defaults (ServiceInformation.get_default_port), which
 * differ from the usual ones only for SMTP without TLS. */
static guint
effective_port (MendProtocol protocol,
                MendSecurity security,
                guint        port)
{
  if (port != 0)
    return port;
  if (protocol == MEND_PROTOCOL_SMTP && security == MEND_SECURITY_NONE)
    return 25;

  return 0;
}

static void
add_service (GearyAccount  *geary,
             MendProtocol   protocol,
             const Service *service,
             const Service *incoming)
{
  g_autoptr(MendAccount) account = NULL;
  g_autofree char *path = NULL;
  const char *username = service->login;
  MendAuth auth = MEND_AUTH_PASSWORD;

  if (service->host == NULL)
    {
      g_debug ("%s: no %s host", geary->path, mend_protocol_to_string (protocol));
      return;
    }

  if (protocol == MEND_PROTOCOL_SMTP)
    {
      switch (service->credentials)
        {
        case CREDENTIALS_NONE:
          auth = MEND_AUTH_NONE;
          username = NULL;
          break;
        case CREDENTIALS_USE_INCOMING:
          username = incoming->login;
          break;
        case CREDENTIALS_CUSTOM:
        default:
          break;
        }
    }

  path = mend_scan_context_expand_path (geary->context, geary->path, NULL);
  account = mend_account_new ("geary", path,
                              protocol == MEND_PROTOCOL_IMAP ? "incoming" : "outgoing",
                              protocol);
  mend_account_set_profile (account, geary->profile);
  mend_account_set_address (account, geary->address);
  mend_account_set_username (account, username);
  mend_account_set_host (account, service->host);
  mend_account_set_port (account, effective_port (protocol, service->security, service->port));
  mend_account_set_security (account, service->security);
  mend_account_set_auth (account, auth);

  if (auth == MEND_AUTH_PASSWORD && mend_account_is_microsoft (account))
    {
      g_autoptr(MendFinding) finding = NULL;

      finding = mend_scan_finding_no_oauth_path (
        _("Geary signs in with a password to the accounts it manages itself. It can use OAuth 2.0 "
          "with Microsoft only through the “Microsoft” account type of GNOME Online Accounts, "
          "which GNOME removed in version 3.55."),
        _("Use Thunderbird or Evolution for this mailbox: both can sign in to Microsoft with "
          "OAuth 2.0."));
      mend_account_add_finding (account, finding);
    }

  if (geary->running)
    {
      g_autoptr(MendFinding) running = mend_scan_finding_client_running ("Geary");
      mend_account_add_finding (account, running);
    }

  mend_scan_context_add_account (geary->context, account);
}

/* One server of a version 1 file: [Incoming] or [Outgoing]. */
static void
load_service_v1 (GearyAccount   *geary,
                 const Provider *provider,
                 MendProtocol    protocol,
                 Service        *service)
{
  const char *group = protocol == MEND_PROTOCOL_IMAP ? GROUP_INCOMING : GROUP_OUTGOING;
  g_autofree char *security = NULL;
  g_autofree char *credentials = NULL;

  service->login = get_string (geary->key_file, group, "login");

  if (provider != NULL)
    {
      gboolean imap = protocol == MEND_PROTOCOL_IMAP;

      service->host = g_strdup (imap ? provider->imap_host : provider->smtp_host);
      service->security = imap ? provider->imap_security : provider->smtp_security;
      service->credentials = parse_credentials (NULL, service->login);
      return;
    }

  service->host = get_string (geary->key_file, group, "host");
  service->port = get_port (geary->key_file, group, "port");

  security = get_string (geary->key_file, group, "transport_security");
  if (!parse_security (security, &service->security))
    service->security = protocol == MEND_PROTOCOL_IMAP ? MEND_SECURITY_TLS
                                                       : MEND_SECURITY_STARTTLS;

  credentials = get_string (geary->key_file, group, "credentials");
  service->credentials = parse_credentials (credentials, service->login);
}

static void
scan_v1 (GearyAccount *geary)
{
  g_auto(Service) incoming = { 0 };
  g_auto(Service) outgoing = { 0 };
  g_auto(GStrv) senders = NULL;
  g_autofree char *provider_name = NULL;
  const Provider *provider;

  senders = g_key_file_get_string_list (geary->key_file, GROUP_ACCOUNT, "sender_mailboxes",
                                        NULL, NULL);
  if (senders != NULL && senders[0] != NULL)
    geary->address = parse_mailbox (senders[0]);

  provider_name = get_string (geary->key_file, GROUP_ACCOUNT, "service_provider");
  provider = find_provider (provider_name);

  load_service_v1 (geary, provider, MEND_PROTOCOL_IMAP, &incoming);
  load_service_v1 (geary, provider, MEND_PROTOCOL_SMTP, &outgoing);

  if (geary->address == NULL)
    geary->address = parse_mailbox (incoming.login);

  add_service (geary, MEND_PROTOCOL_IMAP, &incoming, &incoming);
  add_service (geary, MEND_PROTOCOL_SMTP, &outgoing, &incoming);
}

/* The un-versioned format: [AccountInformation] imap_host, smtp_ssl… with
 * ServiceConfigLegacy's defaults. */
static void
load_service_legacy (GearyAccount   *geary,
                     const Provider *provider,
                     MendProtocol    protocol,
                     Service        *service)
{
  GKeyFile *key_file = geary->key_file;
  gboolean imap = protocol == MEND_PROTOCOL_IMAP;
  const char *prefix = imap ? "imap_" : "smtp_";
  g_autofree char *username_key = g_strconcat (prefix, "username", NULL);
  g_autofree char *host_key = g_strconcat (prefix, "host", NULL);
  g_autofree char *port_key = g_strconcat (prefix, "port", NULL);
  g_autofree char *ssl_key = g_strconcat (prefix, "ssl", NULL);
  g_autofree char *starttls_key = g_strconcat (prefix, "starttls", NULL);

  service->login = get_string (key_file, GROUP_LEGACY, username_key);
  if (service->login == NULL)
    service->login = g_strdup (geary->address);

  if (provider != NULL)
    {
      service->host = g_strdup (imap ? provider->imap_host : provider->smtp_host);
      service->security = imap ? provider->imap_security : provider->smtp_security;
    }
  else
    {
      service->host = get_string (key_file, GROUP_LEGACY, host_key);
      service->port = get_port (key_file, GROUP_LEGACY, port_key);

      if (get_boolean (key_file, GROUP_LEGACY, ssl_key, imap))
        service->security = MEND_SECURITY_TLS;
      else if (get_boolean (key_file, GROUP_LEGACY, starttls_key, TRUE))
        service->security = MEND_SECURITY_STARTTLS;
      else
        service->security = MEND_SECURITY_NONE;
    }

  if (imap)
    service->credentials = CREDENTIALS_CUSTOM;
  else if (get_boolean (key_file, GROUP_LEGACY, "smtp_use_imap_credentials",
                        service->login != NULL))
    service->credentials = CREDENTIALS_USE_INCOMING;
  else if (!get_boolean (key_file, GROUP_LEGACY, "smtp_noauth", FALSE))
    service->credentials = CREDENTIALS_CUSTOM;
  else
    service->credentials = CREDENTIALS_NONE;
}

static void
scan_legacy (GearyAccount *geary)
{
  g_auto(Service) incoming = { 0 };
  g_auto(Service) outgoing = { 0 };
  g_autofree char *primary = get_string (geary->key_file, GROUP_LEGACY, "primary_email");
  g_autofree char *provider_name = get_string (geary->key_file, GROUP_LEGACY, "service_provider");
  const Provider *provider = find_provider (provider_name);

  geary->address = parse_mailbox (primary);

  load_service_legacy (geary, provider, MEND_PROTOCOL_IMAP, &incoming);
  load_service_legacy (geary, provider, MEND_PROTOCOL_SMTP, &outgoing);

  add_service (geary, MEND_PROTOCOL_IMAP, &incoming, &incoming);
  add_service (geary, MEND_PROTOCOL_SMTP, &outgoing, &incoming);
}

static void
scan_account (MendScanContext *context,
              const char      *profile,
              const char      *name,
              gboolean         running)
{
  g_autofree char *path = g_build_filename (profile, name, "geary.ini", NULL);
  g_autoptr(GKeyFile) key_file = mend_scan_context_load_key_file (context, path);
  g_autofree char *goa_id = NULL;
  g_autofree char *status = NULL;
  g_autofree char *version = NULL;
  GearyAccount geary = {
    .context = context,
    .profile = profile,
    .path = path,
    .running = running,
  };

  if (key_file == NULL)
    return;

  goa_id = get_string (key_file, GROUP_METADATA, "goa_id");
  if (goa_id != NULL || g_str_has_prefix (name, "goa_"))
    {
      g_debug ("%s: a GNOME Online Accounts account", path);
      return;
    }

  status = get_string (key_file, GROUP_METADATA, "status");
  if (status != NULL && g_ascii_strcasecmp (status, "removed") == 0)
    {
      g_debug ("%s: removed, waiting to be deleted", path);
      return;
    }

  geary.key_file = key_file;
  version = get_string (key_file, GROUP_METADATA, "version");

  /* Geary refuses versions it does not know; read them as the newest. */
  if (version != NULL && !g_str_equal (version, "0"))
    scan_v1 (&geary);
  else if (g_key_file_has_group (key_file, GROUP_LEGACY))
    scan_legacy (&geary);
  else
    scan_v1 (&geary);

  g_free (geary.address);
}

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

static void
scan_folder (MendScanContext *context,
             const char      *folder,
             gboolean         running)
{
  g_autofree char *profile = mend_scan_context_expand_path (context, folder, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GDir) dir = g_dir_open (profile, 0, &error);
  g_autoptr(GPtrArray) names = NULL;
  const char *name;

  if (dir == NULL)
    {
      if (!g_error_matches (error, G_FILE_ERROR, G_FILE_ERROR_NOENT) &&
          !g_error_matches (error, G_FILE_ERROR, G_FILE_ERROR_NOTDIR))
        mend_scan_context_report_unreadable (context, profile, error->message);
      return;
    }

  /* Geary loads every folder here as an account (account_01, goa_…). */
  names = g_ptr_array_new_with_free_func (g_free);
  while ((name = g_dir_read_name (dir)))
    g_ptr_array_add (names, g_strdup (name));
  g_ptr_array_sort (names, compare_names);

  for (guint i = 0; i < names->len; i++)
    scan_account (context, profile, g_ptr_array_index (names, i), running);
}

static const char *
mend_geary_client_get_id (MendClient *client)
{
  return "geary";
}

static const char *
mend_geary_client_get_name (MendClient *client)
{
  return "Geary";
}

static const char *
mend_geary_client_get_icon_name (MendClient *client)
{
  return "org.gnome.Geary";
}

static void
mend_geary_client_scan (MendClient      *client,
                        MendScanContext *context)
{
  /* Native and Flatpak alike; Geary may keep running in the background. */
  static const char * const process_names[] = { "geary", NULL };
  g_autofree char *native = NULL;
  g_autofree char *flatpak = NULL;
  gboolean running;

  running = mend_scan_context_is_process_running (context, process_names);

  native = g_build_filename (mend_scan_context_get_config_dir (context), "geary", NULL);
  flatpak = g_build_filename (mend_scan_context_get_home_dir (context),
                              ".var", "app", "org.gnome.Geary", "config", "geary", NULL);

  scan_folder (context, native, running);
  scan_folder (context, flatpak, running);
}

static void
mend_geary_client_iface_init (MendClientInterface *iface)
{
  iface->get_id = mend_geary_client_get_id;
  iface->get_name = mend_geary_client_get_name;
  iface->get_icon_name = mend_geary_client_get_icon_name;
  iface->scan = mend_geary_client_scan;
}

static void
mend_geary_client_class_init (MendGearyClientClass *klass)
{
}

static void
mend_geary_client_init (MendGearyClient *self)
{
}
