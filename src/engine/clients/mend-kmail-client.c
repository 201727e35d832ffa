/* mend-kmail-client.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * KMail's accounts are Akonadi resources, each with its own KConfig file in
 * the configuration folder: `akonadi_imap_resource_<N>rc` ([network]) and
 * `akonadi_pop3_resource_<N>rc` ([General]); the outgoing servers are the
 * `[Transport <id>]` groups of `mailtransports`, and the addresses come
 * from the identities in `emailidentities` (shared/reference/clients.md §5;
 * keys from kdepim-runtime resources/imap/imapresource.kcfg,
 * resources/pop3/settings.kcfg and kmailtransport src/mailtransport.kcfg).
 * The Flatpak (org.kde.kmail2) keeps the same files in its own folder.
 *
 * Every resource file found is reported, whether or not akonadi/agentsrc
 * still lists the instance. KConfig leaves out settings that have their
 * default value, so an absent key means the default.
 *
 * KMail signs in to Microsoft with OAuth 2.0 since KDE Gear 24.05, for
 * IMAP and SMTP on hosts ending in .outlook.com, .office365.com or
 * .hotmail.com; its POP3 resource has no OAuth 2.0. The version is not
 * written in these files, so there is no `client-too-old` finding.
 *
 * The repair sets Authentication=9 (XOAUTH2) in the IMAP resource's
 * [network] and authtype=XOAUTH2 in the transport, and moves other
 * Microsoft hosts to outlook.office365.com and smtp.office365.com (Akonadi
 * keys its folders by path on the server, not by host). KMail then opens
 * the browser to sign in, with its own app registration. The lines are
 * edited in place; KConfig's sorted order is kept.
 */

#define G_LOG_DOMAIN "mend-kmail-client"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "mend-accountrc.h"
#include "mend-kmail-client.h"
#include "mend-microsoft.h"
#include "mend-repair-findings.h"
#include "mend-scan-findings.h"

#define CLIENT_ID   "kmail"
#define CLIENT_NAME "KMail"

#define IMAP_PREFIX      "akonadi_imap_resource_"
#define POP3_PREFIX      "akonadi_pop3_resource_"
#define TRANSPORT_PREFIX "Transport "
#define IDENTITY_PREFIX  "Identity #"

/* MailTransport::Transport::EnumAuthenticationType */
enum
{
  KMAIL_AUTH_LOGIN,
  KMAIL_AUTH_PLAIN,
  KMAIL_AUTH_CRAM_MD5,
  KMAIL_AUTH_DIGEST_MD5,
  KMAIL_AUTH_GSSAPI,
  KMAIL_AUTH_NTLM,
  KMAIL_AUTH_APOP,
  KMAIL_AUTH_CLEAR,
  KMAIL_AUTH_ANONYMOUS,
  KMAIL_AUTH_XOAUTH2,
};

static const char * const auth_names[] = {
  "LOGIN", "PLAIN", "CRAM_MD5", "DIGEST_MD5", "GSSAPI",
  "NTLM", "APOP", "CLEAR", "ANONYMOUS", "XOAUTH2",
};

/* The identities of one configuration folder. */
typedef struct
{
  GHashTable *address_by_uoid;       /* uoid → address */
  GHashTable *address_by_transport;  /* transport id → address */
  char       *default_address;
} Identities;

struct _MendKmailClient
{
  GObject parent_instance;
};

static void mend_kmail_client_iface_init (MendClientInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (MendKmailClient, mend_kmail_client, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (MEND_TYPE_CLIENT,
                                                      mend_kmail_client_iface_init))

static void
identities_clear (Identities *identities)
{
  g_clear_pointer (&identities->address_by_uoid, g_hash_table_unref);
  g_clear_pointer (&identities->address_by_transport, g_hash_table_unref);
  g_clear_pointer (&identities->default_address, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Identities, identities_clear)

/* KConfig escapes: \s \t \n \r \\ and \xNN. */
static char *
unescape (const char *value)
{
  GString *result = g_string_sized_new (strlen (value));

  for (const char *p = value; *p != '\0'; p++)
    {
      if (*p != '\\' || p[1] == '\0')
        {
          g_string_append_c (result, *p);
          continue;
        }

      p++;
      switch (*p)
        {
        case 's':
          g_string_append_c (result, ' ');
          break;
        case 't':
          g_string_append_c (result, '\t');
          break;
        case 'n':
          g_string_append_c (result, '\n');
          break;
        case 'r':
          g_string_append_c (result, '\r');
          break;
        case 'x':
          if (g_ascii_isxdigit (p[1]) && g_ascii_isxdigit (p[2]))
            {
              g_string_append_c (result, (char) (g_ascii_xdigit_value (p[1]) * 16 +
                                                 g_ascii_xdigit_value (p[2])));
              p += 2;
            }
          break;
        default:
          g_string_append_c (result, *p);
          break;
        }
    }

  if (!g_utf8_validate (result->str, result->len, NULL))
    {
      g_string_free (result, TRUE);
      return NULL;
    }

  return g_strstrip (g_string_free (result, FALSE));
}

/* A KConfig value, unescaped; “key[$e]” (shell expansion) counts too. */
static char *
get_string (MendAccountrc *rc,
            const char    *group,
            const char    *key)
{
  const char *value = mend_accountrc_get_value (rc, group, key);
  g_autofree char *result = NULL;

  if (value == NULL)
    {
      g_autofree char *expanded_key = g_strconcat (key, "[$e]", NULL);

      value = mend_accountrc_get_value (rc, group, expanded_key);
    }

  if (value == NULL)
    return NULL;

  result = unescape (value);
  if (result == NULL || *result == '\0')
    return NULL;

  return g_steal_pointer (&result);
}

static guint
get_port (MendAccountrc *rc,
          const char    *group,
          const char    *key,
          guint          default_port)
{
  gint64 port = mend_accountrc_get_int_or (rc, group, key, default_port);

  return port > 0 && port <= G_MAXUINT16 ? (guint) port : default_port;
}

/* KConfigXT writes enums by name, and reads numbers too. */
static gint64
get_auth_type (MendAccountrc *rc,
               const char    *group,
               const char    *key,
               gint64         default_value)
{
  g_autofree char *value = get_string (rc, group, key);
  gint64 number;

  if (value == NULL)
    return default_value;

  if (g_ascii_string_to_signed (value, 10, 0, G_N_ELEMENTS (auth_names) - 1, &number, NULL))
    return number;

  for (guint i = 0; i < G_N_ELEMENTS (auth_names); i++)
    {
      if (g_ascii_strcasecmp (value, auth_names[i]) == 0)
        return i;
    }

  return default_value;
}

static MendAuth
auth_from_type (gint64 type)
{
  switch (type)
    {
    case KMAIL_AUTH_XOAUTH2:
      return MEND_AUTH_OAUTH2;
    case KMAIL_AUTH_GSSAPI:
      return MEND_AUTH_OTHER;
    case KMAIL_AUTH_ANONYMOUS:
      return MEND_AUTH_NONE;
    default:
      return MEND_AUTH_PASSWORD;
    }
}

static gboolean
looks_like_address (const char *text)
{
  const char *at = text != NULL ? strchr (text, '@') : NULL;

  return at != NULL && at != text && at[1] != '\0' && strchr (at + 1, '@') == NULL;
}

static void
load_identities (MendScanContext *context,
                 const char      *config_dir,
                 Identities      *identities)
{
  g_autofree char *path = g_build_filename (config_dir, "emailidentities", NULL);
  g_autoptr(MendAccountrc) rc = NULL;
  gint64 default_uoid;

  identities->address_by_uoid = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  identities->address_by_transport = g_hash_table_new_full (g_str_hash, g_str_equal,
                                                            g_free, g_free);

  rc = mend_accountrc_load (context, path);
  if (rc == NULL)
    return;

  default_uoid = mend_accountrc_get_int_or (rc, "General", "Default Identity", -1);

  for (guint i = 0; i < mend_accountrc_get_n_sections (rc); i++)
    {
      const char *group = mend_accountrc_get_section (rc, i);
      g_autofree char *address = NULL;
      g_autofree char *transport = NULL;
      g_autofree char *uoid = NULL;

      if (!g_str_has_prefix (group, IDENTITY_PREFIX))
        continue;

      address = get_string (rc, group, "Email Address");
      if (address == NULL)
        continue;

      uoid = get_string (rc, group, "uoid");
      transport = get_string (rc, group, "Transport");

      if (uoid != NULL)
        {
          gint64 number;

          if (identities->default_address == NULL &&
              g_ascii_string_to_signed (uoid, 10, G_MININT64, G_MAXINT64, &number, NULL) &&
              number == default_uoid)
            identities->default_address = g_strdup (address);

          g_hash_table_insert (identities->address_by_uoid, g_steal_pointer (&uoid),
                               g_strdup (address));
        }

      /* The first identity that sends through a transport names it. */
      if (transport != NULL &&
          !g_hash_table_contains (identities->address_by_transport, transport))
        g_hash_table_insert (identities->address_by_transport, g_steal_pointer (&transport),
                             g_strdup (address));
    }
}

/* KMail's Outlook sign-in accepts only these host suffixes. */
static gboolean
kmail_can_oauth_host (const char *host)
{
  static const char * const suffixes[] = { ".outlook.com", ".office365.com", ".hotmail.com" };
  g_autofree char *lower = g_ascii_strdown (host, -1);

  g_strstrip (lower);
  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      if (g_str_has_suffix (lower, suffixes[i]))
        return TRUE;
    }

  return FALSE;
}

static MendFinding *
pop3_finding (void)
{
  return mend_scan_finding_no_oauth_path (
    _("KMail’s POP3 accounts cannot sign in with OAuth 2.0; only its IMAP accounts "
      "and outgoing servers can."),
    _("Add the mailbox to KMail again as an IMAP account on outlook.office365.com, "
      "which signs in with OAuth 2.0, then remove the POP3 account."));
}

static void
add_account (MendScanContext *context,
             MendAccount     *account,
             gboolean         running)
{
  MendProtocol protocol = mend_account_get_protocol (account);
  const char *host = mend_account_get_host (account);

  if (running)
    {
      g_autoptr(MendFinding) finding = mend_scan_finding_client_running (CLIENT_NAME);

      mend_account_add_finding (account, finding);
    }

  if (mend_account_is_microsoft (account))
    {
      g_autoptr(MendFinding) finding = NULL;

      if (protocol == MEND_PROTOCOL_POP3)
        finding = pop3_finding ();
      else if (mend_microsoft_classify_host (host) == MEND_MICROSOFT_CLOUD_GLOBAL &&
               !kmail_can_oauth_host (host))
        finding = mend_scan_finding_legacy_host (account, CLIENT_NAME, NULL);

      if (finding != NULL)
        mend_account_add_finding (account, finding);
    }

  mend_scan_context_add_account (context, account);
}

/* “imap.example.com:993”, as older resources wrote the server. */
static void
split_host_port (char  *server,
                 guint *port)
{
  char *colon = strrchr (server, ':');
  gint64 number;

  if (colon == NULL || strchr (server, ':') != colon)
    return;

  if (g_ascii_string_to_signed (colon + 1, 10, 1, G_MAXUINT16, &number, NULL))
    {
      *colon = '\0';
      *port = (guint) number;
    }
}

static void
scan_imap_resource (MendScanContext *context,
                    const char      *path,
                    const char      *resource,
                    Identities      *identities,
                    gboolean         running)
{
  g_autoptr(MendAccountrc) rc = mend_accountrc_load (context, path);
  g_autoptr(MendAccount) account = NULL;
  g_autofree char *host = NULL;
  g_autofree char *user = NULL;
  g_autofree char *safety = NULL;
  const char *address = NULL;
  MendSecurity security = MEND_SECURITY_TLS;
  gint64 auth_type;
  guint port = 0;
  gint64 imap_port;

  if (rc == NULL)
    return;

  host = get_string (rc, "network", "ImapServer");
  if (host == NULL)
    return;

  split_host_port (host, &port);
  imap_port = mend_accountrc_get_int_or (rc, "network", "ImapPort", 0);
  if (imap_port > 0 && imap_port <= G_MAXUINT16)
    port = (guint) imap_port;
  else if (port == 0)
    port = 993;

  safety = get_string (rc, "network", "Safety");
  if (safety != NULL)
    {
      if (g_ascii_strcasecmp (safety, "STARTTLS") == 0 || g_ascii_strcasecmp (safety, "TLS") == 0)
        security = MEND_SECURITY_STARTTLS;
      else if (g_ascii_strcasecmp (safety, "NONE") == 0 ||
               g_ascii_strcasecmp (safety, "UNENCRYPTED") == 0)
        security = MEND_SECURITY_NONE;
    }

  user = get_string (rc, "network", "UserName");

  /* The account's own identity, its user name, or the default identity. */
  if (!mend_accountrc_get_boolean (rc, "cache", "UseDefaultIdentity", TRUE))
    {
      g_autofree char *uoid = get_string (rc, "cache", "AccountIdentity");

      if (uoid != NULL)
        address = g_hash_table_lookup (identities->address_by_uoid, uoid);
    }
  if (address == NULL && looks_like_address (user))
    address = user;
  if (address == NULL)
    address = identities->default_address;

  account = mend_account_new (CLIENT_ID, path, resource, MEND_PROTOCOL_IMAP);
  mend_account_set_address (account, address);
  mend_account_set_username (account, user);
  mend_account_set_host (account, host);
  mend_account_set_port (account, port);
  mend_account_set_security (account, security);
  auth_type = mend_accountrc_get_int_or (rc, "network", "Authentication", KMAIL_AUTH_PLAIN);
  mend_account_set_auth (account, auth_from_type (auth_type));
  add_account (context, account, running);
}

static void
scan_pop3_resource (MendScanContext *context,
                    const char      *path,
                    const char      *resource,
                    Identities      *identities,
                    gboolean         running)
{
  g_autoptr(MendAccountrc) rc = mend_accountrc_load (context, path);
  g_autoptr(MendAccount) account = NULL;
  g_autofree char *host = NULL;
  g_autofree char *user = NULL;
  MendSecurity security = MEND_SECURITY_NONE;
  gint64 auth_type;

  if (rc == NULL)
    return;

  host = get_string (rc, "General", "host");
  if (host == NULL)
    return;

  if (mend_accountrc_get_boolean (rc, "General", "useSSL", FALSE))
    security = MEND_SECURITY_TLS;
  else if (mend_accountrc_get_boolean (rc, "General", "useTLS", FALSE))
    security = MEND_SECURITY_STARTTLS;

  user = get_string (rc, "General", "login");

  account = mend_account_new (CLIENT_ID, path, resource, MEND_PROTOCOL_POP3);
  mend_account_set_address (account, looks_like_address (user) ? user
                                                               : identities->default_address);
  mend_account_set_username (account, user);
  mend_account_set_host (account, host);
  mend_account_set_port (account, get_port (rc, "General", "port", 110));
  mend_account_set_security (account, security);
  auth_type = mend_accountrc_get_int_or (rc, "General", "authenticationMethod", KMAIL_AUTH_CLEAR);
  mend_account_set_auth (account, auth_from_type (auth_type));
  add_account (context, account, running);
}

static void
scan_transports (MendScanContext *context,
                 const char      *config_dir,
                 Identities      *identities,
                 gboolean         running)
{
  g_autofree char *path = g_build_filename (config_dir, "mailtransports", NULL);
  g_autoptr(MendAccountrc) rc = mend_accountrc_load (context, path);
  g_autofree char *default_transport = NULL;

  if (rc == NULL)
    return;

  default_transport = get_string (rc, "General", "default-transport");

  for (guint i = 0; i < mend_accountrc_get_n_sections (rc); i++)
    {
      const char *group = mend_accountrc_get_section (rc, i);
      const char *id = group + strlen (TRANSPORT_PREFIX);
      g_autoptr(MendAccount) account = NULL;
      g_autofree char *identifier = NULL;
      g_autofree char *encryption = NULL;
      g_autofree char *host = NULL;
      g_autofree char *user = NULL;
      MendSecurity security = MEND_SECURITY_TLS;
      const char *address;

      if (!g_str_has_prefix (group, TRANSPORT_PREFIX) || *id == '\0')
        continue;

      /* Sendmail and Akonadi (EWS) transports have no SMTP server. */
      identifier = get_string (rc, group, "identifier");
      if (identifier != NULL && g_ascii_strcasecmp (identifier, "SMTP") != 0)
        continue;

      host = get_string (rc, group, "host");
      if (host == NULL)
        continue;

      encryption = get_string (rc, group, "encryption");
      if (encryption != NULL)
        {
          if (g_ascii_strcasecmp (encryption, "TLS") == 0 || g_str_equal (encryption, "2"))
            security = MEND_SECURITY_STARTTLS;
          else if (g_ascii_strcasecmp (encryption, "None") == 0 || g_str_equal (encryption, "0"))
            security = MEND_SECURITY_NONE;
        }

      user = get_string (rc, group, "user");

      address = g_hash_table_lookup (identities->address_by_transport, id);
      if (address == NULL && looks_like_address (user))
        address = user;
      if (address == NULL && g_strcmp0 (default_transport, id) == 0)
        address = identities->default_address;

      account = mend_account_new (CLIENT_ID, path, group, MEND_PROTOCOL_SMTP);
      mend_account_set_address (account, address);
      mend_account_set_host (account, host);
      mend_account_set_port (account, get_port (rc, group, "port", 587));
      mend_account_set_security (account, security);

      if (mend_accountrc_get_boolean (rc, group, "auth", FALSE))
        {
          mend_account_set_username (account, user);
          mend_account_set_auth (account,
                                 auth_from_type (get_auth_type (rc, group, "authtype",
                                                                KMAIL_AUTH_PLAIN)));
        }
      else
        {
          mend_account_set_auth (account, MEND_AUTH_NONE);
        }

      add_account (context, account, running);
    }
}

static gboolean
is_resource_file (const char *name,
                  const char *prefix)
{
  const char *p;

  if (!g_str_has_prefix (name, prefix))
    return FALSE;

  p = name + strlen (prefix);
  if (!g_ascii_isdigit (*p))
    return FALSE;
  while (g_ascii_isdigit (*p))
    p++;

  return g_str_equal (p, "rc");
}

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return g_strcmp0 (*(const char * const *) a, *(const char * const *) b);
}

static void
scan_config_dir (MendScanContext *context,
                 const char      *config_dir,
                 gboolean         running)
{
  g_auto(Identities) identities = { NULL, };
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GDir) dir = g_dir_open (config_dir, 0, NULL);
  const char *name;

  if (dir == NULL)
    return;

  while ((name = g_dir_read_name (dir)))
    {
      if (is_resource_file (name, IMAP_PREFIX) || is_resource_file (name, POP3_PREFIX))
        g_ptr_array_add (names, g_strdup (name));
    }

  /* The folder's order is arbitrary; the accounts' should not be. */
  g_ptr_array_sort (names, compare_names);

  load_identities (context, config_dir, &identities);

  for (guint i = 0; i < names->len; i++)
    {
      const char *file = g_ptr_array_index (names, i);
      g_autofree char *path = g_build_filename (config_dir, file, NULL);
      /* The resource's name is the file's without the trailing “rc”. */
      g_autofree char *resource = g_strndup (file, strlen (file) - 2);

      if (g_str_has_prefix (file, IMAP_PREFIX))
        scan_imap_resource (context, path, resource, &identities, running);
      else
        scan_pop3_resource (context, path, resource, &identities, running);
    }

  scan_transports (context, config_dir, &identities, running);
}

static void
mend_kmail_client_scan (MendClient      *client,
                        MendScanContext *context)
{
  /* comm keeps 15 characters: “akonadi_imap_re”. The resources rewrite
   * their files, so they count as much as KMail itself. */
  static const char * const process_names[] = {
    "kmail", "kontact", "akonadi_imap_resource", "akonadi_pop3_resource", NULL
  };
  g_autofree char *native = NULL;
  g_autofree char *flatpak = NULL;
  gboolean running;

  running = mend_scan_context_is_process_running (context, process_names);

  native = mend_scan_context_expand_path (context, mend_scan_context_get_config_dir (context),
                                          NULL);
  scan_config_dir (context, native, running);

  flatpak = mend_scan_context_expand_path (context, "~/.var/app/org.kde.kmail2/config", NULL);
  if (!g_str_equal (native, flatpak))
    scan_config_dir (context, flatpak, running);
}

/* Switches one server: its host, when KMail cannot sign in to it, and its method. */
static gboolean
plan_server (MendRepairPlan *plan,
             MendAccount    *server)
{
  const char *path = mend_account_get_source (server);
  const char *host = mend_account_get_host (server);
  gboolean imap = mend_account_get_protocol (server) == MEND_PROTOCOL_IMAP;
  const char *group = imap ? "network" : mend_account_get_key (server);
  g_autoptr(MendAccountrc) rc = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  gsize length;

  if (!mend_repair_plan_read_file (plan, path, &contents, &length, &error) ||
      !(rc = mend_accountrc_parse (contents, length, &error)))
    {
      g_autoptr(MendFinding) finding = mend_scan_finding_config_unreadable (path, error->message);

      mend_repair_plan_add_finding (plan, finding);
      return FALSE;
    }

  if (!kmail_can_oauth_host (host))
    {
      MendProtocol protocol = mend_account_get_protocol (server);
      const char *key = imap ? "ImapServer" : "host";
      const char *value = mend_accountrc_get_value (rc, group, key);
      const char *colon = value != NULL ? strrchr (value, ':') : NULL;
      g_autofree char *server_value = NULL;
      char *edited;

      /* Older IMAP resources wrote “host:port”: the port stays. */
      server_value = g_strconcat (mend_microsoft_recommended_host (protocol),
                                  imap && colon != NULL ? colon : "", NULL);
      edited = mend_accountrc_set_value (contents, length, group, key, server_value);
      g_free (contents);
      contents = edited;
      length = strlen (contents);
    }

  if (mend_account_get_auth (server) != MEND_AUTH_OAUTH2)
    {
      char *edited = imap ? mend_accountrc_set_value (contents, length, group, "Authentication",
                                                      "9")
                          : mend_accountrc_set_value (contents, length, group, "authtype",
                                                      "XOAUTH2");

      g_free (contents);
      contents = edited;
      length = strlen (contents);
    }

  mend_repair_plan_write_file (plan, path, contents, length);

  return TRUE;
}

static void
mend_kmail_client_plan_repair (MendClient        *client,
                               MendRepairContext *context,
                               MendRepairPlan    *plan)
{
  GPtrArray *servers = mend_repair_plan_get_accounts (plan);
  gboolean changed = FALSE;

  for (guint i = 0; i < servers->len; i++)
    {
      MendAccount *server = g_ptr_array_index (servers, i);
      const char *host = mend_account_get_host (server);
      MendAuth auth = mend_account_get_auth (server);

      if (!mend_account_is_microsoft (server) || auth == MEND_AUTH_NONE ||
          auth == MEND_AUTH_OTHER)
        continue;

      if (mend_account_get_protocol (server) == MEND_PROTOCOL_POP3)
        {
          g_autoptr(MendFinding) finding = pop3_finding ();

          mend_repair_plan_add_finding (plan, finding);
          return;
        }

      if (mend_microsoft_classify_host (host) != MEND_MICROSOFT_CLOUD_GLOBAL)
        {
          g_autoptr(MendFinding) finding = NULL;
          g_autofree char *explanation = NULL;

          /* Translators: the first %s is a mail app, the second a server name. */
          explanation = g_strdup_printf (_("%s signs in to Microsoft’s worldwide cloud only, "
                                           "and %s belongs to a national cloud."),
                                         CLIENT_NAME, host);
          finding = mend_scan_finding_no_oauth_path (explanation,
                                                     _("Ask your administrator which mail app "
                                                       "to use with this cloud."));
          mend_repair_plan_add_finding (plan, finding);
          return;
        }

      if (auth == MEND_AUTH_OAUTH2 && kmail_can_oauth_host (host))
        continue;

      if (!plan_server (plan, server))
        return;
      changed = TRUE;
    }

  if (!changed)
    {
      g_autoptr(MendFinding) finding = mend_repair_finding_nothing_to_change ();

      mend_repair_plan_add_finding (plan, finding);
      return;
    }

  /* The Akonadi resources rewrite their files while they run. */
  mend_repair_plan_set_must_close (plan, TRUE);
  mend_repair_plan_add_note (plan, _("Close KMail and stop Akonadi first, with "
                                     "“akonadictl stop”; KMail starts it again."));
  mend_repair_plan_add_note (plan, _("KMail opens your web browser to sign in to Microsoft the "
                                     "next time it checks mail. This needs KMail from KDE Gear "
                                     "24.05 or later."));
}

static const char *
mend_kmail_client_get_id (MendClient *client)
{
  return CLIENT_ID;
}

static const char *
mend_kmail_client_get_name (MendClient *client)
{
  return CLIENT_NAME;
}

static const char *
mend_kmail_client_get_icon_name (MendClient *client)
{
  return "org.kde.kmail2";
}

static void
mend_kmail_client_iface_init (MendClientInterface *iface)
{
  iface->get_id = mend_kmail_client_get_id;
  iface->get_name = mend_kmail_client_get_name;
  iface->get_icon_name = mend_kmail_client_get_icon_name;
  iface->scan = mend_kmail_client_scan;
  iface->plan_repair = mend_kmail_client_plan_repair;
}

static void
mend_kmail_client_class_init (MendKmailClientClass *klass)
{
}

static void
mend_kmail_client_init (MendKmailClient *self)
{
}
