/* mend-thunderbird-client.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Thunderbird (shared/reference/clients.md §1): every profile of every
 * installation (native, Flatpak, Snap, XDG), each profile's accounts from
 * its prefs.js, and its version from compatibility.ini.
 *
 * The repair sets authMethod 10 (OAuth2) on the account's servers in
 * prefs.js; Thunderbird then signs in to Microsoft by itself, with its own
 * app registration. Thunderbird before 133 does OAuth 2.0 only with
 * outlook.office365.com and smtp.office365.com: an SMTP server on another
 * Microsoft host moves there too, and an incoming one is refused, since only
 * Thunderbird can change its name safely (below, “Moving a server”).
 */

#define G_LOG_DOMAIN "mend-thunderbird-client"

#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <glib/gi18n.h>

#include "mend-microsoft.h"
#include "mend-prefs-js.h"
#include "mend-repair-findings.h"
#include "mend-scan-findings.h"
#include "mend-thunderbird-client.h"

#define CLIENT_ID   "thunderbird"
#define CLIENT_NAME "Thunderbird"

/* The first version with OAuth 2.0 for Microsoft (bug 1528136), and then
 * only for outlook.office365.com and smtp.office365.com. */
#define OAUTH_MAJOR_VERSION 77
#define OAUTH_VERSION       "77"
/* The first version with OAuth 2.0 for every office365.com, outlook.com and
 * hotmail.com host (bug 1921313). */
#define ALL_HOSTS_MAJOR_VERSION 133
#define ALL_HOSTS_VERSION       "133"
/* The first version that ignores realhostname and realuserName. */
#define REAL_HOST_MAJOR_VERSION 102

/* Where Thunderbird keeps its profiles.ini. */
static const char *roots[] = {
  "~/.thunderbird",
  /* Flatpak org.mozilla.Thunderbird (--persist=.thunderbird) */
  "~/.var/app/org.mozilla.Thunderbird/.thunderbird",
  /* Snap: HOME is $SNAP_USER_COMMON */
  "~/snap/thunderbird/common/.thunderbird",
  /* Gecko ≥ 147 without a legacy folder: ${XDG_CONFIG_HOME:-~/.config}/thunderbird */
  "$XDG_CONFIG_HOME/thunderbird",
  /* The same inside the Flatpak, whose XDG_CONFIG_HOME is its own */
  "~/.var/app/org.mozilla.Thunderbird/config/thunderbird",
};

#define FLATPAK_APP_DIR "~/.var/app/org.mozilla.Thunderbird"

static const char * const process_names[] = { "thunderbird", "thunderbird-bin", NULL };

struct _MendThunderbirdClient
{
  GObject parent_instance;
};

typedef struct
{
  MendScanContext *context;
  /* Real paths of the profiles already read: a profile named in
   * profiles.ini, installs.ini and an extra folder is read once. */
  GHashTable      *seen;
  char            *flatpak_dir;
} Scan;

typedef struct
{
  MendScanContext *context;
  MendPrefsJs     *prefs;
  const char      *dir;
  const char      *source;
  char            *version;
  guint            major;    /* 0 when the version is unknown */
  gboolean         running;
} Profile;

typedef enum
{
  OAUTH_HOST_SINCE_77,
  OAUTH_HOST_SINCE_133,
  OAUTH_HOST_NEVER,
} OAuthHost;

static void mend_thunderbird_client_iface_init (MendClientInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (MendThunderbirdClient, mend_thunderbird_client, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (MEND_TYPE_CLIENT,
                                                      mend_thunderbird_client_iface_init))

/* ---- prefs.js helpers ---------------------------------------------------- */

/* “mail.server” + “server2” + “hostname” → mail.server.server2.hostname */
static const char *
pref_string (MendPrefsJs *prefs,
             const char  *branch,
             const char  *key,
             const char  *attribute)
{
  g_autofree char *name = g_strconcat (branch, ".", key, ".", attribute, NULL);
  const char *value = mend_prefs_js_get_string (prefs, name);

  return (value != NULL && value[0] != '\0') ? value : NULL;
}

/* An integer setting of a server, falling back as Thunderbird does to
 * “<branch>.default.<attribute>”, then to the built-in default from
 * mailnews.js. */
static gint
pref_int (MendPrefsJs *prefs,
          const char  *branch,
          const char  *key,
          const char  *attribute,
          gint         builtin_default)
{
  g_autofree char *name = g_strconcat (branch, ".", key, ".", attribute, NULL);
  g_autofree char *default_name = g_strconcat (branch, ".default.", attribute, NULL);

  if (mend_prefs_js_get_value_type (prefs, name) == MEND_PREFS_JS_TYPE_INT)
    return mend_prefs_js_get_int (prefs, name, builtin_default);

  return mend_prefs_js_get_int (prefs, default_name, builtin_default);
}

/* “account1,account2” → its items, trimmed, without empties or repeats.
 * Appends to @list. */
static void
split_list (const char *value,
            GPtrArray  *list)
{
  g_auto(GStrv) items = NULL;

  if (value == NULL)
    return;

  items = g_strsplit (value, ",", -1);
  for (guint i = 0; items[i] != NULL; i++)
    {
      char *item = g_strstrip (items[i]);

      if (item[0] == '\0' || g_ptr_array_find_with_equal_func (list, item, g_str_equal, NULL))
        continue;

      g_ptr_array_add (list, g_strdup (item));
    }
}

/* nsMsgAuthMethod (mailnews/base/public/MailNewsTypes2.idl) */
static MendAuth
auth_from_method (gint method)
{
  switch (method)
    {
    case 1: /* none */
      return MEND_AUTH_NONE;
    case 2: /* old: USER/PASS, IMAP LOGIN */
    case 3: /* passwordCleartext: “Normal password” */
    case 4: /* passwordEncrypted: CRAM-MD5, DIGEST-MD5 */
    case 6: /* NTLM */
    case 8: /* secure (deprecated) */
    case 9: /* anything */
      return MEND_AUTH_PASSWORD;
    case 10: /* OAuth2 */
      return MEND_AUTH_OAUTH2;
    case 5: /* GSSAPI */
    case 7: /* External: TLS client certificate */
    default:
      return MEND_AUTH_OTHER;
    }
}

/* nsMsgSocketType: 0 plain, 1 trySTARTTLS (migrated away in TB 91),
 * 2 alwaysSTARTTLS, 3 SSL/TLS. */
static MendSecurity
security_from_socket_type (gint socket_type)
{
  switch (socket_type)
    {
    case 1:
    case 2:
      return MEND_SECURITY_STARTTLS;
    case 3:
      return MEND_SECURITY_TLS;
    case 0:
    default:
      return MEND_SECURITY_NONE;
    }
}

/* Port values of 0, 1 or below mean the protocol's default. */
static guint
effective_port (gint port)
{
  return (port > 1 && port <= G_MAXUINT16) ? (guint) port : 0;
}

static const char *
address_or_null (const char *username)
{
  return (username != NULL && strchr (username, '@') != NULL) ? username : NULL;
}

/* ---- findings ---------------------------------------------------------- */

static gboolean
has_domain_suffix (const char *host,
                   const char *suffix)
{
  gsize host_length = strlen (host);
  gsize suffix_length = strlen (suffix);

  if (host_length == suffix_length)
    return g_str_equal (host, suffix);

  return host_length > suffix_length &&
         host[host_length - suffix_length - 1] == '.' &&
         g_str_equal (host + host_length - suffix_length, suffix);
}

/* Which Thunderbird can do OAuth 2.0 with a Microsoft host: it looks the
 * host up in OAuth2Providers.sys.mjs. TB 77–132 knew only
 * outlook.office365.com and smtp.office365.com; TB 133 added the suffixes
 * office365.com, outlook.com and hotmail.com. Other Microsoft hosts
 * (*.live.com, outlook.office.com) are in no version's list. */
static OAuthHost
oauth_host (const char *host)
{
  g_autofree char *lower = g_ascii_strdown (host, -1);
  gsize length = strlen (g_strstrip (lower));

  while (length > 0 && lower[length - 1] == '.')
    lower[--length] = '\0';

  if (g_str_equal (lower, "outlook.office365.com") || g_str_equal (lower, "smtp.office365.com"))
    return OAUTH_HOST_SINCE_77;

  if (has_domain_suffix (lower, "office365.com") ||
      has_domain_suffix (lower, "outlook.com") ||
      has_domain_suffix (lower, "hotmail.com"))
    return OAUTH_HOST_SINCE_133;

  return OAUTH_HOST_NEVER;
}

static void
add_microsoft_findings (Profile     *profile,
                        MendAccount *account)
{
  const char *host = mend_account_get_host (account);

  /* Nothing to sign in with, such as an SMTP relay on
   * *.mail.protection.outlook.com: OAuth 2.0 does not come into it. */
  if (mend_account_get_auth (account) == MEND_AUTH_NONE)
    return;

  if (profile->major > 0 && profile->major < OAUTH_MAJOR_VERSION)
    {
      g_autoptr(MendFinding) too_old = mend_scan_finding_client_too_old (CLIENT_NAME,
                                                                         profile->version,
                                                                         OAUTH_VERSION);
      mend_account_add_finding (account, too_old);
    }

  /* National clouds have endpoints of their own: the scanner reports them. */
  if (mend_microsoft_classify_host (host) != MEND_MICROSOFT_CLOUD_GLOBAL)
    return;

  switch (oauth_host (host))
    {
    case OAUTH_HOST_SINCE_77:
      break;

    case OAUTH_HOST_SINCE_133:
      /* Only when the version is known to be older: an unknown version may
       * well be recent. */
      if (profile->major > 0 && profile->major < ALL_HOSTS_MAJOR_VERSION)
        {
          g_autoptr(MendFinding) legacy = mend_scan_finding_legacy_host (account, CLIENT_NAME,
                                                                         ALL_HOSTS_VERSION);
          mend_account_add_finding (account, legacy);
        }
      break;

    case OAUTH_HOST_NEVER:
    default:
      {
        /* No version helps: the host has to change, whatever the version. */
        g_autoptr(MendFinding) legacy = mend_scan_finding_legacy_host (account, CLIENT_NAME, NULL);
        mend_account_add_finding (account, legacy);
      }
      break;
    }
}

static void
profile_add_account (Profile     *profile,
                     MendAccount *account)
{
  mend_account_set_client_version (account, profile->version);
  mend_account_set_profile (account, profile->dir);

  if (mend_account_is_microsoft (account))
    add_microsoft_findings (profile, account);

  if (profile->running)
    {
      g_autoptr(MendFinding) running = mend_scan_finding_client_running (CLIENT_NAME);
      mend_account_add_finding (account, running);
    }

  mend_scan_context_add_account (profile->context, account);
}

/* ---- accounts ---------------------------------------------------------- */

/* An EWS account's ews_url, such as
 * https://outlook.office365.com/EWS/Exchange.asmx: its host, port and
 * security stand in for missing settings. */
static void
apply_ews_url (MendAccount *account,
               const char  *url,
               gboolean     has_host)
{
  g_autoptr(GUri) uri = NULL;

  if (url == NULL)
    return;

  uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);
  if (uri == NULL)
    return;

  if (!has_host)
    mend_account_set_host (account, g_uri_get_host (uri));
  if (g_uri_get_port (uri) > 0)
    mend_account_set_port (account, (guint) g_uri_get_port (uri));
  if (g_strcmp0 (g_uri_get_scheme (uri), "http") == 0)
    mend_account_set_security (account, MEND_SECURITY_NONE);
}

static void
add_incoming_server (Profile    *profile,
                     const char *server,
                     const char *identity_address)
{
  MendPrefsJs *prefs = profile->prefs;
  g_autoptr(MendAccount) account = NULL;
  g_autofree char *key = NULL;
  const char *type = pref_string (prefs, "mail.server", server, "type");
  const char *host = NULL;
  const char *username = NULL;
  MendProtocol protocol;
  gint socket_type;

  if (g_strcmp0 (type, "imap") == 0)
    protocol = MEND_PROTOCOL_IMAP;
  else if (g_strcmp0 (type, "pop3") == 0)
    protocol = MEND_PROTOCOL_POP3;
  else if (g_strcmp0 (type, "ews") == 0)
    protocol = MEND_PROTOCOL_EWS;
  else if (g_strcmp0 (type, "graph") == 0)
    protocol = MEND_PROTOCOL_GRAPH;
  else
    {
      /* Local Folders (none), feeds (rss), news (nntp), chat (im) */
      g_debug ("%s: skipping %s, of type %s", profile->source, server, type ? type : "(none)");
      return;
    }

  /* Before TB 102 realhostname and realuserName, when set, were the ones in
   * use; later versions connect to hostname and userName whatever they say. */
  if (profile->major > 0 && profile->major < REAL_HOST_MAJOR_VERSION)
    {
      host = pref_string (prefs, "mail.server", server, "realhostname");
      username = pref_string (prefs, "mail.server", server, "realuserName");
    }
  if (host == NULL)
    host = pref_string (prefs, "mail.server", server, "hostname");
  if (username == NULL)
    username = pref_string (prefs, "mail.server", server, "userName");

  key = g_strconcat ("mail.server.", server, NULL);
  account = mend_account_new (CLIENT_ID, profile->source, key, protocol);
  mend_account_set_host (account, host);
  mend_account_set_username (account, username);
  mend_account_set_address (account, identity_address ? identity_address
                                                      : address_or_null (username));
  mend_account_set_port (account, effective_port (pref_int (prefs, "mail.server", server,
                                                            "port", 0)));
  mend_account_set_auth (account, auth_from_method (pref_int (prefs, "mail.server", server,
                                                              "authMethod", 3)));

  if (protocol == MEND_PROTOCOL_EWS || protocol == MEND_PROTOCOL_GRAPH)
    {
      /* Web services: HTTPS unless the URL says otherwise. */
      mend_account_set_security (account, MEND_SECURITY_TLS);
      apply_ews_url (account, pref_string (prefs, "mail.server", server, "ews_url"), host != NULL);
    }
  else
    {
      g_autofree char *name = g_strconcat ("mail.server.", server, ".socketType", NULL);
      g_autofree char *is_secure = g_strconcat ("mail.server.", server, ".isSecure", NULL);

      socket_type = pref_int (prefs, "mail.server", server, "socketType", 0);
      /* Profiles older than socketType (TB 2) said isSecure=true for SSL. */
      if (!mend_prefs_js_has (prefs, name) && mend_prefs_js_get_bool (prefs, is_secure, FALSE))
        socket_type = 3;
      mend_account_set_security (account, security_from_socket_type (socket_type));
    }

  if (mend_account_get_host (account) == NULL)
    {
      g_debug ("%s: skipping %s, which has no host", profile->source, server);
      return;
    }

  profile_add_account (profile, account);
}

/* The address of the identity that sends through @smtp: one that names it,
 * else one that uses the default server when @smtp is the default. */
static const char *
smtp_identity_address (Profile    *profile,
                       GPtrArray  *identities,
                       const char *smtp,
                       const char *default_smtp)
{
  for (guint pass = 0; pass < 2; pass++)
    {
      for (guint i = 0; i < identities->len; i++)
        {
          const char *identity = g_ptr_array_index (identities, i);
          const char *server = pref_string (profile->prefs, "mail.identity", identity,
                                            "smtpServer");
          const char *email;
          gboolean match;

          if (pass == 0)
            match = g_strcmp0 (server, smtp) == 0;
          else
            match = server == NULL && g_strcmp0 (default_smtp, smtp) == 0;

          email = pref_string (profile->prefs, "mail.identity", identity, "useremail");
          if (match && email != NULL)
            return email;
        }
    }

  return NULL;
}

static void
add_smtp_server (Profile    *profile,
                 const char *smtp,
                 const char *identity_address)
{
  MendPrefsJs *prefs = profile->prefs;
  g_autoptr(MendAccount) account = NULL;
  g_autofree char *key = g_strconcat ("mail.smtpserver.", smtp, NULL);
  const char *host = pref_string (prefs, "mail.smtpserver", smtp, "hostname");
  /* Lower-case here, unlike the incoming servers' userName. */
  const char *username = pref_string (prefs, "mail.smtpserver", smtp, "username");

  if (host == NULL)
    {
      g_debug ("%s: skipping %s, which has no host", profile->source, smtp);
      return;
    }

  account = mend_account_new (CLIENT_ID, profile->source, key, MEND_PROTOCOL_SMTP);
  mend_account_set_host (account, host);
  mend_account_set_username (account, username);
  mend_account_set_address (account, identity_address ? identity_address
                                                      : address_or_null (username));
  /* Port 0 means 465 with SSL/TLS and 587 otherwise, as in Thunderbird. */
  mend_account_set_port (account, effective_port (pref_int (prefs, "mail.smtpserver", smtp,
                                                            "port", 0)));
  mend_account_set_security (account,
                             security_from_socket_type (pref_int (prefs, "mail.smtpserver", smtp,
                                                                  "try_ssl", 0)));
  mend_account_set_auth (account, auth_from_method (pref_int (prefs, "mail.smtpserver", smtp,
                                                              "authMethod", 3)));

  profile_add_account (profile, account);
}

static void
scan_accounts (Profile *profile)
{
  MendPrefsJs *prefs = profile->prefs;
  g_autoptr(GPtrArray) accounts = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) servers = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) identities = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) smtp_servers = g_ptr_array_new_with_free_func (g_free);
  const char *default_smtp = mend_prefs_js_get_string (prefs, "mail.smtp.defaultserver");

  split_list (mend_prefs_js_get_string (prefs, "mail.accountmanager.accounts"), accounts);

  for (guint i = 0; i < accounts->len; i++)
    {
      const char *account = g_ptr_array_index (accounts, i);
      const char *server = pref_string (prefs, "mail.account", account, "server");
      g_autoptr(GPtrArray) account_identities = g_ptr_array_new_with_free_func (g_free);
      const char *address = NULL;

      split_list (pref_string (prefs, "mail.account", account, "identities"), account_identities);
      for (guint j = 0; j < account_identities->len; j++)
        {
          const char *identity = g_ptr_array_index (account_identities, j);

          if (address == NULL)
            address = pref_string (prefs, "mail.identity", identity, "useremail");
          split_list (identity, identities);
        }

      /* Two accounts on one server: the server once. */
      if (server == NULL || g_ptr_array_find_with_equal_func (servers, server, g_str_equal, NULL))
        continue;

      g_ptr_array_add (servers, g_strdup (server));
      add_incoming_server (profile, server, address);
    }

  /* Outgoing: the list, then any server an identity names or implies. */
  split_list (mend_prefs_js_get_string (prefs, "mail.smtpservers"), smtp_servers);
  for (guint i = 0; i < identities->len; i++)
    {
      const char *identity = g_ptr_array_index (identities, i);
      const char *smtp = pref_string (prefs, "mail.identity", identity, "smtpServer");

      split_list (smtp ? smtp : default_smtp, smtp_servers);
    }

  for (guint i = 0; i < smtp_servers->len; i++)
    {
      const char *smtp = g_ptr_array_index (smtp_servers, i);

      add_smtp_server (profile, smtp,
                       smtp_identity_address (profile, identities, smtp, default_smtp));
    }
}

/* ---- profiles ---------------------------------------------------------- */

/* compatibility.ini: LastVersion=128.3.1_20240923182418/20240923182418.
 * Safe mode writes “Safe Mode” there, which is no version. */
static char *
read_version (MendScanContext *context,
              const char      *dir)
{
  g_autofree char *path = g_build_filename (dir, "compatibility.ini", NULL);
  g_autoptr(GKeyFile) key_file = mend_scan_context_load_key_file (context, path);
  g_autofree char *value = NULL;
  char *end;

  if (key_file == NULL)
    return NULL;

  value = g_key_file_get_value (key_file, "Compatibility", "LastVersion", NULL);
  if (value == NULL)
    return NULL;

  end = strchr (value, '_');
  if (end != NULL)
    *end = '\0';
  g_strstrip (value);

  if (!g_ascii_isdigit (value[0]))
    return NULL;

  for (const char *c = value; *c != '\0'; c++)
    {
      if (!g_ascii_isalnum (*c) && *c != '.')
        return NULL;
    }

  return g_steal_pointer (&value);
}

static guint
version_major (const char *version)
{
  guint64 major;

  if (version == NULL)
    return 0;

  major = g_ascii_strtoull (version, NULL, 10);

  return major <= G_MAXUINT ? (guint) major : 0;
}

/* Whether Thunderbird has this profile open now.
 *
 * While it runs, Thunderbird keeps a `lock` symlink in the profile pointing
 * at “<ip>:+<pid>” (nsProfileLock.cpp), and removes it when it quits; a
 * crash leaves it behind. So:
 * - no `lock`: not running with this profile, whatever else runs (another
 *   profile, or another installation, is no reason to wait);
 * - a `lock` whose pid is alive: running;
 * - a `lock` in the Flatpak: its pid is one of the sandbox's own PID
 *   namespace, meaningless here, so a Thunderbird process anywhere counts.
 * `.parentlock` is never opened: taking or testing its fcntl lock is not
 * reading. A stale lock whose pid was reused by another program reads as
 * running; the cost is a needless “close Thunderbird”. */
static gboolean
profile_is_running (Scan       *scan,
                    const char *dir)
{
  g_autofree char *lock = g_build_filename (dir, "lock", NULL);
  g_autofree char *target = g_file_read_link (lock, NULL);
  const char *pid_text;
  gint64 pid;

  if (target == NULL)
    return FALSE;

  if (g_str_has_prefix (dir, scan->flatpak_dir) && dir[strlen (scan->flatpak_dir)] == '/')
    return mend_scan_context_is_process_running (scan->context, process_names);

  pid_text = strrchr (target, ':');
  pid_text = pid_text ? pid_text + 1 : target;
  if (*pid_text == '+')
    pid_text++;

  if (!g_ascii_string_to_signed (pid_text, 10, 1, G_MAXINT64, &pid, NULL))
    {
      g_debug ("%s points at %s, which names no process", lock, target);
      return FALSE;
    }

  return mend_scan_context_is_pid_alive (scan->context, pid);
}

/* @dir: a profile folder, canonical */
static void
scan_profile (Scan       *scan,
              const char *dir)
{
  g_autofree char *real = realpath (dir, NULL);
  g_autofree char *source = g_build_filename (dir, "prefs.js", NULL);
  g_autofree char *contents = NULL;
  g_autoptr(MendPrefsJs) prefs = NULL;
  g_autoptr(GError) error = NULL;
  gsize length;
  Profile profile = { 0 };

  if (g_hash_table_contains (scan->seen, real ? real : dir))
    return;
  g_hash_table_add (scan->seen, g_strdup (real ? real : dir));

  if (!mend_scan_context_read_file (scan->context, source, &contents, &length))
    return;

  prefs = mend_prefs_js_parse (contents, length, &error);
  if (prefs == NULL)
    {
      mend_scan_context_report_unreadable (scan->context, source, error->message);
      return;
    }

  profile.context = scan->context;
  profile.prefs = prefs;
  profile.dir = dir;
  profile.source = source;
  profile.version = read_version (scan->context, dir);
  profile.major = version_major (profile.version);
  profile.running = profile_is_running (scan, dir);

  g_debug ("Profile %s: Thunderbird %s%s, %u settings", dir,
           profile.version ? profile.version : "(unknown)",
           profile.running ? ", running" : "", mend_prefs_js_get_size (prefs));

  scan_accounts (&profile);

  g_free (profile.version);
}

/* A profile path from profiles.ini or installs.ini: relative to @root, or
 * absolute. */
static void
scan_profile_path (Scan       *scan,
                   const char *root,
                   const char *path,
                   gboolean    is_relative)
{
  g_autofree char *joined = NULL;
  g_autofree char *dir = NULL;

  if (path == NULL || path[0] == '\0')
    return;

  /* Mozilla expands no “~” or “$HOME” here. */
  joined = is_relative ? g_build_filename (root, path, NULL) : g_strdup (path);
  dir = mend_scan_context_expand_path (scan->context, joined, root);
  scan_profile (scan, dir);
}

/* A folder holding profiles.ini: every [Profile*] (IsRelative=1|0, Path=),
 * and the defaults of every installation, from [Install*] sections and from
 * installs.ini (Default=), which may name a profile profiles.ini lacks. */
static void
scan_root (Scan       *scan,
           const char *root)
{
  g_autofree char *profiles_path = g_build_filename (root, "profiles.ini", NULL);
  g_autofree char *installs_path = g_build_filename (root, "installs.ini", NULL);
  g_autoptr(GKeyFile) profiles = mend_scan_context_load_key_file (scan->context, profiles_path);
  g_autoptr(GKeyFile) installs = NULL;
  g_auto(GStrv) groups = NULL;

  if (profiles != NULL)
    {
      groups = g_key_file_get_groups (profiles, NULL);
      for (guint i = 0; groups[i] != NULL; i++)
        {
          /* Values raw: Mozilla's INI files know no GKeyFile escapes. */
          g_autofree char *path = NULL;
          g_autofree char *relative = NULL;

          if (g_str_has_prefix (groups[i], "Profile"))
            {
              path = g_key_file_get_value (profiles, groups[i], "Path", NULL);
              relative = g_key_file_get_value (profiles, groups[i], "IsRelative", NULL);
              scan_profile_path (scan, root, path,
                                 relative ? g_str_equal (g_strstrip (relative), "1")
                                          : path && !g_path_is_absolute (path));
            }
          else if (g_str_has_prefix (groups[i], "Install"))
            {
              path = g_key_file_get_value (profiles, groups[i], "Default", NULL);
              scan_profile_path (scan, root, path, path && !g_path_is_absolute (path));
            }
        }
      g_clear_pointer (&groups, g_strfreev);
    }

  installs = mend_scan_context_load_key_file (scan->context, installs_path);
  if (installs != NULL)
    {
      groups = g_key_file_get_groups (installs, NULL);
      for (guint i = 0; groups[i] != NULL; i++)
        {
          g_autofree char *path = g_key_file_get_value (installs, groups[i], "Default", NULL);

          scan_profile_path (scan, root, path, path && !g_path_is_absolute (path));
        }
    }
}

/* ---- repair ------------------------------------------------------------ */

/* nsMsgAuthMethod::OAuth2 */
#define AUTH_METHOD_OAUTH2 10

/* Moving a server: an incoming server's hostname is part of the URI of
 * every folder on it, which identities (Sent, Drafts, Archives, Templates),
 * junk settings and message filters of any account store. Changing
 * `hostname` in prefs.js would break them all; Thunderbird's own host change
 * (migrateServerUris in MsgIncomingServer.sys.mjs) rewrites them, and the
 * saved passwords, when the user edits the server name. `realhostname` is
 * no way around it: Thunderbird 140 and 153 neither read it nor move it into
 * `hostname` (tests/clients/README.md). So the plan of an account whose
 * incoming server must move is refused, with the steps to change the name in
 * Thunderbird. Outgoing servers are named by key, not by host: their
 * `hostname` changes in place. */
static gboolean
needs_host_move (const char *host,
                 guint       major)
{
  switch (oauth_host (host))
    {
    case OAUTH_HOST_SINCE_77:
      return FALSE;
    case OAUTH_HOST_SINCE_133:
      /* An unknown version is taken for a recent one, as the scan does. */
      return major > 0 && major < ALL_HOSTS_MAJOR_VERSION;
    case OAUTH_HOST_NEVER:
    default:
      return TRUE;
    }
}

typedef struct
{
  char     *name;
  char     *string;   /* the new value when a string, else NULL */
  gint      integer;
} PrefChange;

static void
pref_change_free (PrefChange *change)
{
  g_free (change->name);
  g_free (change->string);
  g_free (change);
}

static void
add_change (GPtrArray  *changes,
            const char *key,
            const char *attribute,
            const char *string,
            gint        integer)
{
  PrefChange *change = g_new0 (PrefChange, 1);

  change->name = g_strconcat (key, ".", attribute, NULL);
  change->string = g_strdup (string);
  change->integer = integer;
  g_ptr_array_add (changes, change);
}

/* Applies @changes to @path through @plan. With @only_present, a change
 * applies only when the file sets that preference already (user.js). */
static gboolean
apply_changes (MendRepairPlan *plan,
               const char     *path,
               GPtrArray      *changes,
               gboolean        only_present)
{
  g_autofree char *contents = NULL;
  g_autoptr(MendPrefsJs) prefs = NULL;
  g_autoptr(GError) error = NULL;
  gsize length;

  if (!mend_repair_plan_read_file (plan, path, &contents, &length, &error) ||
      !(prefs = mend_prefs_js_parse (contents, length, &error)))
    {
      g_autoptr(MendFinding) finding = mend_scan_finding_config_unreadable (path, error->message);

      mend_repair_plan_add_finding (plan, finding);
      return FALSE;
    }

  for (guint i = 0; i < changes->len; i++)
    {
      PrefChange *change = g_ptr_array_index (changes, i);
      g_autofree char *changed = NULL;

      if (only_present && !mend_prefs_js_has (prefs, change->name))
        continue;

      if (change->string != NULL)
        changed = mend_prefs_js_set_string (contents, length, change->name, change->string,
                                            &error);
      else
        changed = mend_prefs_js_set_int (contents, length, change->name, change->integer,
                                         &error);

      if (changed == NULL)
        {
          g_autoptr(MendFinding) finding = mend_scan_finding_config_unreadable (path,
                                                                                error->message);

          mend_repair_plan_add_finding (plan, finding);
          return FALSE;
        }

      g_free (contents);
      contents = g_steal_pointer (&changed);
      length = strlen (contents);
    }

  mend_repair_plan_write_file (plan, path, contents, length);

  return TRUE;
}

static void
mend_thunderbird_client_plan_repair (MendClient        *client,
                                     MendRepairContext *context,
                                     MendRepairPlan    *plan)
{
  GPtrArray *servers = mend_repair_plan_get_accounts (plan);
  g_autoptr(GPtrArray) changes = g_ptr_array_new_with_free_func ((GDestroyNotify) pref_change_free);
  g_autofree char *profile_dir = NULL;
  g_autofree char *user_js = NULL;
  const char *prefs_js = NULL;
  gboolean web_service = FALSE;

  for (guint i = 0; i < servers->len; i++)
    {
      MendAccount *server = g_ptr_array_index (servers, i);
      const char *version = mend_account_get_client_version (server);
      const char *host = mend_account_get_host (server);
      const char *key = mend_account_get_key (server);
      MendProtocol protocol = mend_account_get_protocol (server);
      MendAuth auth = mend_account_get_auth (server);
      guint major = version_major (version);

      if (major > 0 && major < OAUTH_MAJOR_VERSION)
        {
          g_autoptr(MendFinding) finding = mend_scan_finding_client_too_old (CLIENT_NAME, version,
                                                                             OAUTH_VERSION);

          mend_repair_plan_add_finding (plan, finding);
          return;
        }

      /* Other providers' servers, and servers without sign-in or with a certificate. */
      if (!mend_account_is_microsoft (server) || auth == MEND_AUTH_NONE || auth == MEND_AUTH_OTHER)
        continue;

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

      if (protocol == MEND_PROTOCOL_EWS || protocol == MEND_PROTOCOL_GRAPH)
        {
          web_service |= auth != MEND_AUTH_OAUTH2;
          continue;
        }

      if (needs_host_move (host, major))
        {
          const char *new_host = mend_microsoft_recommended_host (protocol);

          if (protocol != MEND_PROTOCOL_SMTP)
            {
              g_autoptr(MendFinding) finding = NULL;
              /* A host that TB 133 and later sign in to as it is. */
              gboolean update_helps = oauth_host (host) == OAUTH_HOST_SINCE_133;

              finding = mend_repair_finding_host_change_needed (host, new_host,
                                                                update_helps ? ALL_HOSTS_VERSION
                                                                             : NULL);
              mend_repair_plan_add_finding (plan, finding);
              return;
            }

          add_change (changes, key, "hostname", new_host, 0);
        }
      if (auth != MEND_AUTH_OAUTH2)
        add_change (changes, key, "authMethod", NULL, AUTH_METHOD_OAUTH2);

      prefs_js = mend_account_get_source (server);
    }

  if (web_service)
    {
      g_autoptr(MendFinding) finding = NULL;

      finding = mend_scan_finding_no_oauth_path (
        _("Mailmend switches Thunderbird’s IMAP, POP and SMTP servers, not its Exchange "
          "accounts."),
        _("In Thunderbird’s account settings, set this account’s authentication method to "
          "OAuth2."));
      mend_repair_plan_add_finding (plan, finding);
      return;
    }

  if (changes->len == 0)
    {
      g_autoptr(MendFinding) finding = mend_repair_finding_nothing_to_change ();

      mend_repair_plan_add_finding (plan, finding);
      return;
    }

  if (!apply_changes (plan, prefs_js, changes, FALSE))
    return;

  /* user.js overrides prefs.js at every start: a value it sets changes there too. */
  profile_dir = g_path_get_dirname (prefs_js);
  user_js = g_build_filename (profile_dir, "user.js", NULL);
  if (g_file_test (user_js, G_FILE_TEST_IS_REGULAR) &&
      !apply_changes (plan, user_js, changes, TRUE))
    return;

  mend_repair_plan_set_must_close (plan, TRUE);
  mend_repair_plan_add_note (plan, _("Thunderbird asks you to sign in to Microsoft the next "
                                     "time it starts."));
}

/* ---- MendClient -------------------------------------------------------- */

static const char *
mend_thunderbird_client_get_id (MendClient *client)
{
  return CLIENT_ID;
}

static const char *
mend_thunderbird_client_get_name (MendClient *client)
{
  return CLIENT_NAME;
}

static const char *
mend_thunderbird_client_get_icon_name (MendClient *client)
{
  return "org.mozilla.Thunderbird";
}

static void
mend_thunderbird_client_scan (MendClient      *client,
                              MendScanContext *context)
{
  const char **extra_folders = mend_scan_context_get_extra_folders (context);
  Scan scan = { 0 };

  scan.context = context;
  scan.seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  scan.flatpak_dir = mend_scan_context_expand_path (context, FLATPAK_APP_DIR, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (roots); i++)
    {
      g_autofree char *root = mend_scan_context_expand_path (context, roots[i], NULL);

      scan_root (&scan, root);
    }

  /* Folders the user pointed at: a root (profiles.ini) or a profile (prefs.js). */
  for (guint i = 0; extra_folders != NULL && extra_folders[i] != NULL; i++)
    {
      g_autofree char *folder = mend_scan_context_expand_path (context, extra_folders[i], NULL);

      scan_root (&scan, folder);
      scan_profile (&scan, folder);
    }

  g_hash_table_unref (scan.seen);
  g_free (scan.flatpak_dir);
}

static void
mend_thunderbird_client_iface_init (MendClientInterface *iface)
{
  iface->get_id = mend_thunderbird_client_get_id;
  iface->get_name = mend_thunderbird_client_get_name;
  iface->get_icon_name = mend_thunderbird_client_get_icon_name;
  iface->scan = mend_thunderbird_client_scan;
  iface->plan_repair = mend_thunderbird_client_plan_repair;
}

static void
mend_thunderbird_client_class_init (MendThunderbirdClientClass *klass)
{
}

static void
mend_thunderbird_client_init (MendThunderbirdClient *self)
{
}
