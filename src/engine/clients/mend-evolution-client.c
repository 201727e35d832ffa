/* mend-evolution-client.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "mend-evolution-client"

#include "config.h"

#include <glib/gi18n.h>

#include "mend-accountrc.h"
#include "mend-evolution-client.h"
#include "mend-microsoft.h"
#include "mend-repair-findings.h"
#include "mend-scan-findings.h"

/* Evolution keeps each account in evolution-data-server “sources”: one
 * GKeyFile per source in `evolution/sources/<UID>.source`
 * (shared/reference/clients.md §2). A mail account spans up to three of
 * them: the account ([Mail Account] BackendName=imapx|pop|ews|microsoft365,
 * IdentityUid=), the identity ([Mail Identity] Address=, [Mail Submission]
 * TransportUid=) and the transport ([Mail Transport] BackendName=smtp).
 * The server settings sit in [Authentication] and [Security]; for EWS and
 * Microsoft 365 they may sit in the parent [Collection] source instead.
 *
 * Decisions:
 * - Sources that GNOME Online Accounts manages (a [GNOME Online Accounts]
 *   group, or [Authentication] IsExternal=true, on the source or on any
 *   source up its Parent= chain) are skipped: the GOA client reports
 *   those accounts, from accounts.conf.
 * - Disabled sources (Enabled=false) are reported all the same: the
 *   account, its settings and its stored password are still there, and
 *   one click in Evolution turns it back on.
 * - A transport that no identity names is reported too, without an
 *   address unless its parent account has one: a broken identity file
 *   must not hide a server.
 *
 * The repair sets [Authentication] Method=Outlook on the IMAP and SMTP
 * sources: Evolution then signs in with its own “Outlook” OAuth 2.0
 * service. That service signs in at login.live.com, for personal accounts
 * only; a work or school address needs a new account of another type. The
 * line is edited in place, as the text it is: GKeyFile would rewrite the
 * whole file. */

struct _MendEvolutionClient
{
  GObject parent_instance;
};

static void mend_evolution_client_iface_init (MendClientInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (MendEvolutionClient, mend_evolution_client, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (MEND_TYPE_CLIENT,
                                                      mend_evolution_client_iface_init))

/* Parent= chains are short (account → collection); longer ones are loops. */
#define MAX_PARENT_DEPTH 16

#define GROUP_DATA_SOURCE    "Data Source"
#define GROUP_MAIL_ACCOUNT   "Mail Account"
#define GROUP_MAIL_TRANSPORT "Mail Transport"
#define GROUP_MAIL_IDENTITY  "Mail Identity"
#define GROUP_SUBMISSION     "Mail Submission"
#define GROUP_AUTH           "Authentication"
#define GROUP_SECURITY       "Security"
#define GROUP_COLLECTION     "Collection"
#define GROUP_GOA            "GNOME Online Accounts"
#define GROUP_EWS            "Ews Backend"

/* The Microsoft 365 backend talks to Microsoft Graph only. */
#define GRAPH_HOST "graph.microsoft.com"

typedef struct
{
  char     *uid;
  char     *path;
  GKeyFile *key_file;
} Source;

/* One sources folder: native, or the Flatpak's. */
typedef struct
{
  MendScanContext *context;
  const char      *path;
  gboolean         running;
  GHashTable      *sources;       /* uid → Source */
  GPtrArray       *uids;          /* sorted */
  GHashTable      *transport_ids; /* transport uid → identity uid */
} SourceFolder;

static void
source_free (Source *source)
{
  g_free (source->uid);
  g_free (source->path);
  g_clear_pointer (&source->key_file, g_key_file_unref);
  g_free (source);
}

/* A key's value with surrounding blanks removed; %NULL when absent or empty. */
static char *
get_string (GKeyFile   *key_file,
            const char *group,
            const char *key)
{
  g_autofree char *value = NULL;

  if (key_file == NULL)
    return NULL;

  value = g_key_file_get_string (key_file, group, key, NULL);
  if (value == NULL || *g_strstrip (value) == '\0')
    return NULL;

  return g_steal_pointer (&value);
}

static gboolean
get_boolean (GKeyFile   *key_file,
             const char *group,
             const char *key)
{
  g_autofree char *value = get_string (key_file, group, key);

  return value != NULL && g_ascii_strcasecmp (value, "true") == 0;
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

static Source *
lookup_source (SourceFolder *folder,
               const char   *uid)
{
  if (uid == NULL)
    return NULL;

  return g_hash_table_lookup (folder->sources, uid);
}

static Source *
lookup_parent (SourceFolder *folder,
               Source       *source)
{
  g_autofree char *parent = get_string (source->key_file, GROUP_DATA_SOURCE, "Parent");

  return lookup_source (folder, parent);
}

/* Whether GNOME Online Accounts manages @source, directly or through a
 * collection up its Parent= chain. */
static gboolean
is_managed_elsewhere (SourceFolder *folder,
                      Source       *source)
{
  for (guint depth = 0; source != NULL && depth < MAX_PARENT_DEPTH; depth++)
    {
      if (g_key_file_has_group (source->key_file, GROUP_GOA) ||
          get_boolean (source->key_file, GROUP_AUTH, "IsExternal"))
        return TRUE;

      source = lookup_parent (folder, source);
    }

  return FALSE;
}

/* The source that holds an EWS or Microsoft 365 account's server settings:
 * the account itself when it has them, else its collection. */
static Source *
find_settings_source (SourceFolder *folder,
                      Source       *account)
{
  Source *source = account;

  for (guint depth = 0; source != NULL && depth < MAX_PARENT_DEPTH; depth++)
    {
      if (g_key_file_has_key (source->key_file, GROUP_EWS, "Hosturl", NULL) ||
          g_key_file_has_key (source->key_file, GROUP_AUTH, "Host", NULL) ||
          g_key_file_has_group (source->key_file, GROUP_COLLECTION))
        return source;

      source = lookup_parent (folder, source);
    }

  return account;
}

static char *
get_identity_address (SourceFolder *folder,
                      const char   *identity_uid)
{
  Source *identity = lookup_source (folder, identity_uid);

  if (identity == NULL)
    return NULL;

  return get_string (identity->key_file, GROUP_MAIL_IDENTITY, "Address");
}

static MendSecurity
parse_security (const char *method)
{
  if (g_strcmp0 (method, "ssl-on-alternate-port") == 0)
    return MEND_SECURITY_TLS;
  if (g_strcmp0 (method, "starttls-on-standard-port") == 0)
    return MEND_SECURITY_STARTTLS;

  /* “none”, or absent: Camel's default. */
  return MEND_SECURITY_NONE;
}

/* [Authentication] Method holds the Camel SASL mechanism; the provider's
 * plain password login is stored as “none” (clients.md §2b). */
static MendAuth
parse_auth (MendProtocol  protocol,
            const char   *method)
{
  static const char * const oauth2[] = {
    "XOAUTH2", "OAUTHBEARER", "Outlook", "Office365", "Microsoft365", "Google", "Yahoo",
  };
  static const char * const password[] = {
    "PLAIN", "LOGIN", "CRAM-MD5", "DIGEST-MD5", "NTLM", "APOP", "POPB4SMTP",
  };

  if (protocol == MEND_PROTOCOL_GRAPH)
    return MEND_AUTH_OAUTH2;

  for (guint i = 0; i < G_N_ELEMENTS (oauth2); i++)
    {
      if (g_ascii_strcasecmp (method ? method : "", oauth2[i]) == 0)
        return MEND_AUTH_OAUTH2;
    }

  if (method != NULL && g_ascii_strcasecmp (method, "GSSAPI") == 0)
    return MEND_AUTH_OTHER;

  /* evolution-ews: NTLM unless told otherwise; PLAIN is Basic. */
  if (protocol == MEND_PROTOCOL_EWS)
    return MEND_AUTH_PASSWORD;

  if (method == NULL || g_ascii_strcasecmp (method, "none") == 0)
    return protocol == MEND_PROTOCOL_SMTP ? MEND_AUTH_NONE : MEND_AUTH_PASSWORD;

  if (g_ascii_strcasecmp (method, "ANONYMOUS") == 0)
    return MEND_AUTH_NONE;

  for (guint i = 0; i < G_N_ELEMENTS (password); i++)
    {
      if (g_ascii_strcasecmp (method, password[i]) == 0)
        return MEND_AUTH_PASSWORD;
    }

  return MEND_AUTH_OTHER;
}

static gboolean
parse_backend (const char   *backend,
               MendProtocol *protocol)
{
  if (g_strcmp0 (backend, "imapx") == 0 || g_strcmp0 (backend, "imap") == 0)
    *protocol = MEND_PROTOCOL_IMAP;
  else if (g_strcmp0 (backend, "pop") == 0)
    *protocol = MEND_PROTOCOL_POP3;
  else if (g_strcmp0 (backend, "ews") == 0)
    *protocol = MEND_PROTOCOL_EWS;
  else if (g_strcmp0 (backend, "microsoft365") == 0)
    *protocol = MEND_PROTOCOL_GRAPH;
  else
    return FALSE;

  return TRUE;
}

/* An EWS account's server comes from its Hosturl, such as
 * https://outlook.office365.com/EWS/Exchange.asmx. */
static void
apply_ews_url (MendAccount *account,
               const char  *url)
{
  g_autoptr(GUri) uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);

  if (uri == NULL || g_uri_get_host (uri) == NULL)
    {
      g_debug ("Cannot parse the EWS URL of %s", mend_account_get_source (account));
      return;
    }

  mend_account_set_host (account, g_uri_get_host (uri));
  mend_account_set_port (account, g_uri_get_port (uri) > 0 ? (guint) g_uri_get_port (uri) : 0);
  mend_account_set_security (account, g_ascii_strcasecmp (g_uri_get_scheme (uri), "http") == 0
                                        ? MEND_SECURITY_NONE : MEND_SECURITY_TLS);
}

static MendAccount *
new_account (SourceFolder *folder,
             Source       *server,
             const char   *key,
             MendProtocol  protocol)
{
  g_autofree char *path = mend_scan_context_expand_path (folder->context, server->path, NULL);
  MendAccount *account = mend_account_new ("evolution", path, key, protocol);
  g_autofree char *host = get_string (server->key_file, GROUP_AUTH, "Host");
  g_autofree char *user = get_string (server->key_file, GROUP_AUTH, "User");
  g_autofree char *method = get_string (server->key_file, GROUP_AUTH, "Method");
  g_autofree char *security = get_string (server->key_file, GROUP_SECURITY, "Method");

  mend_account_set_profile (account, folder->path);
  mend_account_set_host (account, host);
  mend_account_set_port (account, get_port (server->key_file, GROUP_AUTH, "Port"));
  mend_account_set_username (account, user);
  mend_account_set_security (account, parse_security (security));
  mend_account_set_auth (account, parse_auth (protocol, method));

  return account;
}

static void
add_account (SourceFolder *folder,
             MendAccount  *account,
             const char   *address)
{
  const char *user = mend_account_get_username (account);

  /* Without an identity, a login that is an address is the best guess. */
  if (address == NULL && user != NULL && strchr (user, '@') != NULL)
    address = user;
  mend_account_set_address (account, address);

  if (folder->running)
    {
      g_autoptr(MendFinding) running = mend_scan_finding_client_running ("Evolution");
      mend_account_add_finding (account, running);
    }

  mend_scan_context_add_account (folder->context, account);
}

static void
scan_mail_account (SourceFolder *folder,
                   Source       *source)
{
  g_autoptr(MendAccount) account = NULL;
  g_autofree char *backend = get_string (source->key_file, GROUP_MAIL_ACCOUNT, "BackendName");
  g_autofree char *identity_uid = get_string (source->key_file, GROUP_MAIL_ACCOUNT, "IdentityUid");
  g_autofree char *address = NULL;
  MendProtocol protocol;
  Source *server = source;

  /* Local folders, On This Computer, search folders, news… */
  if (!parse_backend (backend, &protocol))
    {
      g_debug ("%s: backend %s is not a mail server", source->uid, backend ? backend : "(none)");
      return;
    }

  if (is_managed_elsewhere (folder, source))
    {
      g_debug ("%s: managed by GNOME Online Accounts", source->uid);
      return;
    }

  if (protocol == MEND_PROTOCOL_EWS || protocol == MEND_PROTOCOL_GRAPH)
    server = find_settings_source (folder, source);

  account = new_account (folder, server, source->uid, protocol);
  address = get_identity_address (folder, identity_uid);

  if (protocol == MEND_PROTOCOL_EWS)
    {
      g_autofree char *url = get_string (server->key_file, GROUP_EWS, "Hosturl");

      if (url == NULL)
        url = get_string (source->key_file, GROUP_EWS, "Hosturl");

      /* [Security] means nothing to EWS: it is HTTPS unless the URL says http. */
      mend_account_set_security (account, MEND_SECURITY_TLS);
      if (url != NULL)
        apply_ews_url (account, url);

      if (address == NULL)
        address = get_string (server->key_file, GROUP_EWS, "Email");
    }
  else if (protocol == MEND_PROTOCOL_GRAPH)
    {
      mend_account_set_host (account, GRAPH_HOST);
      mend_account_set_port (account, 0);
      mend_account_set_security (account, MEND_SECURITY_TLS);
    }

  add_account (folder, account, address);
}

static void
scan_mail_transport (SourceFolder *folder,
                     Source       *source)
{
  g_autoptr(MendAccount) account = NULL;
  g_autofree char *backend = get_string (source->key_file, GROUP_MAIL_TRANSPORT, "BackendName");
  g_autofree char *address = NULL;
  const char *identity_uid;

  /* EWS and Microsoft 365 send through their account's own connection;
   * sendmail is local. */
  if (g_strcmp0 (backend, "smtp") != 0)
    {
      g_debug ("%s: transport %s is not SMTP", source->uid, backend ? backend : "(none)");
      return;
    }

  if (is_managed_elsewhere (folder, source))
    {
      g_debug ("%s: managed by GNOME Online Accounts", source->uid);
      return;
    }

  account = new_account (folder, source, source->uid, MEND_PROTOCOL_SMTP);

  identity_uid = g_hash_table_lookup (folder->transport_ids, source->uid);
  if (identity_uid != NULL)
    {
      address = get_identity_address (folder, identity_uid);
    }
  else
    {
      Source *parent = lookup_parent (folder, source);

      if (parent != NULL)
        {
          g_autofree char *parent_identity = get_string (parent->key_file, GROUP_MAIL_ACCOUNT,
                                                         "IdentityUid");
          address = get_identity_address (folder, parent_identity);
        }
    }

  add_account (folder, account, address);
}

static int
compare_uids (gconstpointer a,
              gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

static void
load_sources (SourceFolder *folder)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDir) dir = g_dir_open (folder->path, 0, &error);
  const char *name;

  if (dir == NULL)
    {
      if (!g_error_matches (error, G_FILE_ERROR, G_FILE_ERROR_NOENT) &&
          !g_error_matches (error, G_FILE_ERROR, G_FILE_ERROR_NOTDIR))
        mend_scan_context_report_unreadable (folder->context, folder->path, error->message);
      return;
    }

  while ((name = g_dir_read_name (dir)))
    {
      Source *source;
      g_autofree char *path = NULL;
      GKeyFile *key_file;

      if (!g_str_has_suffix (name, ".source") || g_str_equal (name, ".source"))
        continue;

      path = g_build_filename (folder->path, name, NULL);
      key_file = mend_scan_context_load_key_file (folder->context, path);
      if (key_file == NULL)
        continue;

      source = g_new0 (Source, 1);
      source->uid = g_strndup (name, strlen (name) - strlen (".source"));
      source->path = g_steal_pointer (&path);
      source->key_file = key_file;
      g_ptr_array_add (folder->uids, source->uid);
      g_hash_table_insert (folder->sources, source->uid, source);
    }

  g_ptr_array_sort (folder->uids, compare_uids);

  /* Which identity sends through which transport; the first, in uid order,
   * when several share one. */
  for (guint i = 0; i < folder->uids->len; i++)
    {
      Source *source = lookup_source (folder, g_ptr_array_index (folder->uids, i));
      g_autofree char *transport = NULL;

      if (!g_key_file_has_group (source->key_file, GROUP_MAIL_IDENTITY))
        continue;

      transport = get_string (source->key_file, GROUP_SUBMISSION, "TransportUid");
      if (transport != NULL && !g_hash_table_contains (folder->transport_ids, transport))
        g_hash_table_insert (folder->transport_ids, g_steal_pointer (&transport), source->uid);
    }
}

static void
scan_folder (MendScanContext *context,
             const char      *path,
             gboolean         running)
{
  g_autofree char *canonical = mend_scan_context_expand_path (context, path, NULL);
  g_autoptr(GHashTable) sources = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                                         (GDestroyNotify) source_free);
  g_autoptr(GHashTable) transport_ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                               NULL);
  g_autoptr(GPtrArray) uids = g_ptr_array_new ();
  SourceFolder folder = {
    .context = context,
    .path = canonical,
    .running = running,
    .sources = sources,
    .uids = uids,
    .transport_ids = transport_ids,
  };

  load_sources (&folder);

  for (guint i = 0; i < uids->len; i++)
    {
      Source *source = lookup_source (&folder, g_ptr_array_index (uids, i));

      if (g_key_file_has_group (source->key_file, GROUP_MAIL_ACCOUNT))
        scan_mail_account (&folder, source);
      if (g_key_file_has_group (source->key_file, GROUP_MAIL_TRANSPORT))
        scan_mail_transport (&folder, source);
    }
}

/* Evolution's POP has no OAuth 2.0, and its Outlook service no national cloud. */
static MendFinding *
check_server (MendAccount *server)
{
  const char *host = mend_account_get_host (server);
  g_autofree char *explanation = NULL;

  if (mend_account_get_protocol (server) == MEND_PROTOCOL_POP3)
    return mend_scan_finding_no_oauth_path (
      _("Evolution signs in to Microsoft with OAuth 2.0 over IMAP only, not over POP."),
      _("In Evolution, add the account again as an IMAP account on outlook.office365.com; "
        "your mail stays on the server. Then remove the POP account."));

  if (mend_microsoft_classify_host (host) != MEND_MICROSOFT_CLOUD_GLOBAL)
    {
      /* Translators: the first %s is a mail app, the second a server name. */
      explanation = g_strdup_printf (_("%s signs in to Microsoft’s worldwide cloud only, "
                                       "and %s belongs to a national cloud."),
                                     "Evolution", host);
      return mend_scan_finding_no_oauth_path (explanation,
                                              _("Ask your administrator which mail app to use "
                                                "with this cloud."));
    }

  return NULL;
}

static void
mend_evolution_client_plan_repair (MendClient        *client,
                                   MendRepairContext *context,
                                   MendRepairPlan    *plan)
{
  GPtrArray *servers = mend_repair_plan_get_accounts (plan);
  const char *address = mend_repair_plan_get_address (plan);
  MendAccount *first = NULL;

  /* The first Microsoft server that still signs in with a password. */
  for (guint i = 0; i < servers->len && first == NULL; i++)
    {
      MendAccount *server = g_ptr_array_index (servers, i);

      if (mend_account_is_microsoft (server) &&
          mend_account_get_auth (server) == MEND_AUTH_PASSWORD)
        first = server;
    }

  if (first == NULL)
    {
      g_autoptr(MendFinding) finding = mend_repair_finding_nothing_to_change ();

      mend_repair_plan_add_finding (plan, finding);
      return;
    }

  /* Without an identity, the login names the account. */
  if (address == NULL)
    address = mend_account_get_username (first);

  if (!mend_microsoft_is_consumer_address (address))
    {
      g_autoptr(MendFinding) finding = NULL;

      if (address == NULL)
        address = mend_account_get_host (first);
      finding = mend_repair_finding_work_account_needs_new (address);
      mend_repair_plan_add_finding (plan, finding);
      return;
    }

  for (guint i = 0; i < servers->len; i++)
    {
      MendAccount *server = g_ptr_array_index (servers, i);
      const char *path = mend_account_get_source (server);
      g_autoptr(MendFinding) finding = NULL;
      g_autoptr(GError) error = NULL;
      g_autoptr(MendAccountrc) source = NULL;
      g_autofree char *contents = NULL;
      g_autofree char *edited = NULL;
      gsize length;

      if (!mend_account_is_microsoft (server))
        continue;

      finding = check_server (server);
      if (finding != NULL)
        {
          mend_repair_plan_add_finding (plan, finding);
          return;
        }

      /* Already OAuth 2.0; or, for SMTP, no sign-in at all. */
      if (mend_account_get_auth (server) != MEND_AUTH_PASSWORD)
        continue;

      /* A damaged source is not edited. */
      if (!mend_repair_plan_read_file (plan, path, &contents, &length, &error) ||
          !(source = mend_accountrc_parse (contents, length, &error)))
        {
          finding = mend_scan_finding_config_unreadable (path, error->message);
          mend_repair_plan_add_finding (plan, finding);
          return;
        }

      edited = mend_accountrc_set_value (contents, length, GROUP_AUTH, "Method", "Outlook");
      mend_repair_plan_write_file (plan, path, edited, -1);
    }

  mend_repair_plan_set_must_close (plan, TRUE);
  mend_repair_plan_add_note (plan, _("Close Evolution first. If it does not close, run "
                                     "“evolution --force-shutdown”."));
  mend_repair_plan_add_note (plan, _("Evolution opens its Microsoft sign-in window the next "
                                     "time it connects."));
}

static const char *
mend_evolution_client_get_id (MendClient *client)
{
  return "evolution";
}

static const char *
mend_evolution_client_get_name (MendClient *client)
{
  return "Evolution";
}

static const char *
mend_evolution_client_get_icon_name (MendClient *client)
{
  return "org.gnome.Evolution";
}

static void
mend_evolution_client_scan (MendClient      *client,
                            MendScanContext *context)
{
  /* The Flatpak's process has the same name; “evolution-alarm-notify”
   * and the data server's factories are not the mail client. */
  static const char * const process_names[] = { "evolution", NULL };
  g_autofree char *native = NULL;
  g_autofree char *flatpak = NULL;
  gboolean running;

  running = mend_scan_context_is_process_running (context, process_names);

  native = g_build_filename (mend_scan_context_get_config_dir (context),
                             "evolution", "sources", NULL);
  flatpak = g_build_filename (mend_scan_context_get_home_dir (context),
                              ".var", "app", "org.gnome.Evolution",
                              "config", "evolution", "sources", NULL);

  scan_folder (context, native, running);
  scan_folder (context, flatpak, running);
}

static void
mend_evolution_client_iface_init (MendClientInterface *iface)
{
  iface->get_id = mend_evolution_client_get_id;
  iface->get_name = mend_evolution_client_get_name;
  iface->get_icon_name = mend_evolution_client_get_icon_name;
  iface->scan = mend_evolution_client_scan;
  iface->plan_repair = mend_evolution_client_plan_repair;
}

static void
mend_evolution_client_class_init (MendEvolutionClientClass *klass)
{
}

static void
mend_evolution_client_init (MendEvolutionClient *self)
{
}
