/* mend-himalaya-client.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * himalaya reads the first of $XDG_CONFIG_HOME/himalaya/config.toml,
 * ~/.config/himalaya/config.toml and ~/.himalayarc that exists
 * (pimalaya/himalaya: config.sample.toml). Its TOML changed shape several
 * times (CHANGELOG.md, MIGRATION.md), and all of them are still around:
 *
 *   0.x        [NAME] imap-host, imap-port, imap-ssl, imap-starttls,
 *              imap-login, imap-auth = "passwd" | "oauth2"; smtp-* alike
 *   1.0 betas  [NAME], then [accounts.NAME]: imap.host, imap.port,
 *              imap.encryption = "tls" | "start-tls" | "none" | true | false,
 *              imap.login, imap.passwd.* | imap.oauth2.*; smtp.* alike
 *   1.x        [accounts.NAME] backend.type = "imap", backend.host,
 *              backend.port, backend.encryption.type, backend.login,
 *              backend.auth.type = "password" | "oauth2";
 *              message.send.backend.* for SMTP
 *   2.x        [accounts.NAME] imap.server = "imaps://host:993" (a bare
 *              authority means imaps://), imap.starttls,
 *              imap.sasl.{plain,login,scram-sha-256,xoauth2,oauthbearer,
 *              anonymous}.username; smtp.* alike; msgraph.* for Microsoft
 *              Graph
 *
 * Commands and keyring entries in the file are never run or read.
 */

#define G_LOG_DOMAIN "mend-himalaya-client"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "mend-himalaya-client.h"
#include "mend-line-editor.h"
#include "mend-scan-findings.h"
#include "mend-token-command.h"
#include "mend-toml.h"

struct _MendHimalayaClient
{
  GObject parent_instance;
};

typedef struct
{
  MendProtocol  protocol;
  MendSecurity  security;
  MendAuth      auth;
  const char   *username;  /* owned by the document */
  char         *host;
  guint         port;
} Server;

static const char * const process_names[] = { "himalaya", NULL };

static void mend_himalaya_client_iface_init (MendClientInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (MendHimalayaClient, mend_himalaya_client, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (MEND_TYPE_CLIENT,
                                                      mend_himalaya_client_iface_init))

static void
server_clear (Server *server)
{
  g_clear_pointer (&server->host, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Server, server_clear)

static guint
lookup_port (const MendToml *table,
             const char     *path)
{
  gint64 port = 0;

  if (!mend_toml_lookup_integer (table, path, &port) || port <= 0 || port > G_MAXUINT16)
    return 0;

  return (guint) port;
}

/* `encryption` from 1.0 on: a table with a type, a string, or a boolean
 * (betas). Without one, himalaya uses TLS. */
static MendSecurity
parse_encryption (const MendToml *value)
{
  const char *name = NULL;

  if (value == NULL)
    return MEND_SECURITY_TLS;

  switch (mend_toml_get_kind (value))
    {
    case MEND_TOML_KIND_BOOLEAN:
      return mend_toml_get_boolean (value) ? MEND_SECURITY_TLS : MEND_SECURITY_NONE;
    case MEND_TOML_KIND_STRING:
      name = mend_toml_get_string (value);
      break;
    case MEND_TOML_KIND_TABLE:
      name = mend_toml_lookup_string (value, "type");
      break;
    case MEND_TOML_KIND_INTEGER:
    case MEND_TOML_KIND_FLOAT:
    case MEND_TOML_KIND_DATETIME:
    case MEND_TOML_KIND_ARRAY:
    default:
      break;
    }

  if (name == NULL)
    return MEND_SECURITY_TLS;

  if (g_ascii_strcasecmp (name, "start-tls") == 0 || g_ascii_strcasecmp (name, "starttls") == 0)
    return MEND_SECURITY_STARTTLS;

  if (g_ascii_strcasecmp (name, "none") == 0)
    return MEND_SECURITY_NONE;

  return MEND_SECURITY_TLS;
}

/* 1.x: backend.* or message.send.backend.* */
static gboolean
read_v1_server (const MendToml *backend,
                Server         *server)
{
  const char *host = mend_toml_lookup_string (backend, "host");
  const char *auth = mend_toml_lookup_string (backend, "auth.type");

  if (host == NULL)
    return FALSE;

  server->host = g_strdup (host);
  server->port = lookup_port (backend, "port");
  server->security = parse_encryption (mend_toml_get_member (backend, "encryption"));
  server->username = mend_toml_lookup_string (backend, "login");

  /* Without auth.type himalaya uses a password. */
  if (auth == NULL || g_ascii_strcasecmp (auth, "password") == 0)
    server->auth = MEND_AUTH_PASSWORD;
  else if (g_ascii_strcasecmp (auth, "oauth2") == 0)
    server->auth = MEND_AUTH_OAUTH2;
  else
    server->auth = MEND_AUTH_OTHER;

  return TRUE;
}

/* 1.0 betas: imap.* or smtp.* */
static gboolean
read_beta_server (const MendToml *table,
                  Server         *server)
{
  const char *host = mend_toml_lookup_string (table, "host");
  const char *auth = mend_toml_lookup_string (table, "auth");

  if (host == NULL)
    return FALSE;

  server->host = g_strdup (host);
  server->port = lookup_port (table, "port");
  server->security = parse_encryption (mend_toml_get_member (table, "encryption"));
  server->username = mend_toml_lookup_string (table, "login");

  if (auth == NULL)
    auth = mend_toml_lookup_string (table, "auth.type");

  if (mend_toml_get_member (table, "oauth2") != NULL ||
      (auth != NULL && g_ascii_strcasecmp (auth, "oauth2") == 0))
    server->auth = MEND_AUTH_OAUTH2;
  else
    server->auth = MEND_AUTH_PASSWORD;

  return TRUE;
}

/* 2.x: imap.server or smtp.server, with a SASL mechanism. */
static gboolean
read_v2_server (const MendToml *table,
                Server         *server)
{
  const char *address = mend_toml_lookup_string (table, "server");
  const MendToml *sasl = mend_toml_get_member (table, "sasl");
  const char *mechanism = NULL;
  const MendToml *settings = NULL;
  g_autofree char *url = NULL;
  g_autofree char *scheme = NULL;
  g_autofree char *host = NULL;
  gboolean starttls = FALSE;
  gint port = -1;

  if (address == NULL)
    return FALSE;

  /* A bare authority means implicit TLS. */
  if (strstr (address, "://") != NULL)
    url = g_strdup (address);
  else
    url = g_strconcat (server->protocol == MEND_PROTOCOL_SMTP ? "smtps" : "imaps", "://",
                       address, NULL);

  if (!g_uri_split_network (url, G_URI_FLAGS_PARSE_RELAXED, &scheme, &host, &port, NULL) ||
      scheme == NULL || host == NULL || host[0] == '\0')
    return FALSE;

  mend_toml_lookup_boolean (table, "starttls", &starttls);

  if (g_ascii_strcasecmp (scheme, "imaps") == 0 || g_ascii_strcasecmp (scheme, "smtps") == 0)
    server->security = MEND_SECURITY_TLS;
  else if (g_ascii_strcasecmp (scheme, "imap") == 0 || g_ascii_strcasecmp (scheme, "smtp") == 0)
    server->security = starttls ? MEND_SECURITY_STARTTLS : MEND_SECURITY_NONE;
  else
    /* unix:// is a pre-authenticated session proxy, not a server. */
    return FALSE;

  server->host = g_steal_pointer (&host);
  server->port = port > 0 ? (guint) port : 0;

  /* One mechanism is picked; without a sasl table there is no
   * authentication at all. */
  if (mend_toml_get_length (sasl) > 0)
    {
      mechanism = mend_toml_get_key (sasl, 0);
      settings = mend_toml_get_element (sasl, 0);
    }

  if (mechanism == NULL || g_ascii_strcasecmp (mechanism, "anonymous") == 0)
    server->auth = MEND_AUTH_NONE;
  else if (g_ascii_strcasecmp (mechanism, "xoauth2") == 0 ||
           g_ascii_strcasecmp (mechanism, "oauthbearer") == 0)
    server->auth = MEND_AUTH_OAUTH2;
  else if (g_ascii_strcasecmp (mechanism, "plain") == 0 ||
           g_ascii_strcasecmp (mechanism, "login") == 0 ||
           g_str_has_prefix (mechanism, "scram-"))
    server->auth = MEND_AUTH_PASSWORD;
  else
    server->auth = MEND_AUTH_OTHER;

  server->username = mend_toml_lookup_string (settings, "username");
  if (server->username == NULL)
    server->username = mend_toml_lookup_string (settings, "authcid");

  return TRUE;
}

/* 0.x: imap-host, smtp-host… at the account's top level. */
static gboolean
read_dashed_server (const MendToml *account,
                    const char     *prefix,
                    Server         *server)
{
  g_autofree char *host_key = g_strconcat (prefix, "-host", NULL);
  g_autofree char *port_key = g_strconcat (prefix, "-port", NULL);
  g_autofree char *ssl_key = g_strconcat (prefix, "-ssl", NULL);
  g_autofree char *starttls_key = g_strconcat (prefix, "-starttls", NULL);
  g_autofree char *login_key = g_strconcat (prefix, "-login", NULL);
  g_autofree char *auth_key = g_strconcat (prefix, "-auth", NULL);
  g_autofree char *oauth2_key = g_strconcat (prefix, "-oauth2", NULL);
  const char *host = mend_toml_lookup_string (account, host_key);
  const MendToml *auth = mend_toml_get_member (account, auth_key);
  const char *auth_name = NULL;
  gboolean ssl = TRUE;
  gboolean starttls = FALSE;

  if (host == NULL)
    return FALSE;

  mend_toml_lookup_boolean (account, ssl_key, &ssl);
  mend_toml_lookup_boolean (account, starttls_key, &starttls);

  server->host = g_strdup (host);
  server->port = lookup_port (account, port_key);
  server->username = mend_toml_lookup_string (account, login_key);

  if (starttls)
    server->security = MEND_SECURITY_STARTTLS;
  else if (ssl)
    server->security = MEND_SECURITY_TLS;
  else
    server->security = MEND_SECURITY_NONE;

  if (auth != NULL && mend_toml_get_kind (auth) == MEND_TOML_KIND_STRING)
    auth_name = mend_toml_get_string (auth);
  else if (auth != NULL)
    auth_name = mend_toml_lookup_string (auth, "type");

  if ((auth_name != NULL && g_ascii_strcasecmp (auth_name, "oauth2") == 0) ||
      mend_toml_get_member (auth, "oauth2") != NULL ||
      mend_toml_get_member (account, oauth2_key) != NULL)
    server->auth = MEND_AUTH_OAUTH2;
  else
    server->auth = MEND_AUTH_PASSWORD;

  return TRUE;
}

static gboolean
find_imap (const MendToml *account,
           Server         *server)
{
  const MendToml *backend = mend_toml_get_member (account, "backend");
  const MendToml *imap = mend_toml_get_member (account, "imap");

  server->protocol = MEND_PROTOCOL_IMAP;

  if (backend != NULL && mend_toml_get_kind (backend) == MEND_TOML_KIND_TABLE)
    {
      const char *type = mend_toml_lookup_string (backend, "type");

      return type != NULL && g_ascii_strcasecmp (type, "imap") == 0 &&
             read_v1_server (backend, server);
    }

  if (mend_toml_get_member (imap, "server") != NULL)
    return read_v2_server (imap, server);

  if (mend_toml_get_member (imap, "host") != NULL)
    return read_beta_server (imap, server);

  return read_dashed_server (account, "imap", server);
}

static gboolean
find_smtp (const MendToml *account,
           Server         *server)
{
  const MendToml *backend = mend_toml_lookup (account, "message.send.backend");
  const MendToml *smtp = mend_toml_get_member (account, "smtp");

  server->protocol = MEND_PROTOCOL_SMTP;

  if (backend != NULL && mend_toml_get_kind (backend) == MEND_TOML_KIND_TABLE)
    {
      const char *type = mend_toml_lookup_string (backend, "type");

      return type != NULL && g_ascii_strcasecmp (type, "smtp") == 0 &&
             read_v1_server (backend, server);
    }

  if (mend_toml_get_member (smtp, "server") != NULL)
    return read_v2_server (smtp, server);

  if (mend_toml_get_member (smtp, "host") != NULL)
    return read_beta_server (smtp, server);

  return read_dashed_server (account, "smtp", server);
}

/* 2.x: the Microsoft Graph backend signs in with a bearer token only. */
static gboolean
find_graph (const MendToml *account,
            Server         *server)
{
  const MendToml *graph = mend_toml_get_member (account, "msgraph");
  const char *user_id;

  if (graph == NULL || mend_toml_get_kind (graph) != MEND_TOML_KIND_TABLE)
    return FALSE;

  user_id = mend_toml_lookup_string (graph, "user-id");

  server->protocol = MEND_PROTOCOL_GRAPH;
  server->host = g_strdup ("graph.microsoft.com");
  server->security = MEND_SECURITY_TLS;
  server->auth = MEND_AUTH_OAUTH2;
  server->username = user_id != NULL && !g_str_equal (user_id, "me") ? user_id : NULL;

  return TRUE;
}

static void
add_server (MendScanContext *context,
            const char      *source,
            const char      *name,
            const char      *email,
            const Server    *server,
            gboolean         running)
{
  g_autoptr(MendAccount) account = NULL;
  g_autofree char *key = NULL;
  const char *suffix;
  const char *address = email;

  switch (server->protocol)
    {
    case MEND_PROTOCOL_SMTP:
      suffix = "smtp";
      break;
    case MEND_PROTOCOL_GRAPH:
      suffix = "msgraph";
      break;
    case MEND_PROTOCOL_IMAP:
    case MEND_PROTOCOL_POP3:
    case MEND_PROTOCOL_EWS:
    default:
      suffix = "imap";
      break;
    }

  if (address == NULL && server->username != NULL && strchr (server->username, '@') != NULL)
    address = server->username;

  key = g_strdup_printf ("%s/%s", name, suffix);
  account = mend_account_new ("himalaya", source, key, server->protocol);
  mend_account_set_address (account, address);
  mend_account_set_username (account, server->username);
  mend_account_set_host (account, server->host);
  mend_account_set_port (account, server->port);
  mend_account_set_security (account, server->security);
  mend_account_set_auth (account, server->auth);

  if (running)
    {
      g_autoptr(MendFinding) finding = mend_scan_finding_client_running ("himalaya");
      mend_account_add_finding (account, finding);
    }

  mend_scan_context_add_account (context, account);
}

static void
scan_account (MendScanContext *context,
              const char      *source,
              const char      *name,
              const MendToml  *account,
              gboolean         running)
{
  const char *email = mend_toml_lookup_string (account, "email");
  gboolean (*finders[]) (const MendToml *, Server *) = { find_imap, find_smtp, find_graph };

  for (guint i = 0; i < G_N_ELEMENTS (finders); i++)
    {
      g_auto(Server) server = { 0 };

      if (finders[i] (account, &server))
        add_server (context, source, name, email, &server, running);
    }
}

/* Before 1.0.0-beta.3 accounts were top-level tables. */
static gboolean
looks_like_account (const MendToml *table)
{
  static const char *keys[] = { "email", "backend", "imap", "smtp", "imap-host", "smtp-host" };

  if (table == NULL || mend_toml_get_kind (table) != MEND_TOML_KIND_TABLE)
    return FALSE;

  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    {
      if (mend_toml_get_member (table, keys[i]) != NULL)
        return TRUE;
    }

  return FALSE;
}

static void
scan_file (MendScanContext *context,
           const char      *source)
{
  g_autofree char *contents = NULL;
  g_autoptr(MendToml) root = NULL;
  g_autoptr(GError) error = NULL;
  const MendToml *accounts;
  gboolean running;
  gsize length;

  if (!mend_scan_context_read_file (context, source, &contents, &length))
    return;

  if (!(root = mend_toml_parse (contents, length, &error)))
    {
      mend_scan_context_report_unreadable (context, source, error->message);
      return;
    }

  running = mend_scan_context_is_process_running (context, process_names);
  accounts = mend_toml_get_member (root, "accounts");

  if (accounts != NULL && mend_toml_get_kind (accounts) == MEND_TOML_KIND_TABLE)
    {
      for (guint i = 0; i < mend_toml_get_length (accounts); i++)
        {
          const MendToml *account = mend_toml_get_element (accounts, i);
          g_autofree char *name = NULL;

          if (mend_toml_get_kind (account) != MEND_TOML_KIND_TABLE)
            continue;

          name = g_strconcat ("accounts.", mend_toml_get_key (accounts, i), NULL);
          scan_account (context, source, name, account, running);
        }
    }
  else
    {
      for (guint i = 0; i < mend_toml_get_length (root); i++)
        {
          const MendToml *account = mend_toml_get_element (root, i);

          if (looks_like_account (account))
            scan_account (context, source, mend_toml_get_key (root, i), account, running);
        }
    }
}

static const char *
mend_himalaya_client_get_id (MendClient *client)
{
  return "himalaya";
}

static const char *
mend_himalaya_client_get_name (MendClient *client)
{
  return "himalaya";
}

static const char *
mend_himalaya_client_get_icon_name (MendClient *client)
{
  return "utilities-terminal";
}

static void
mend_himalaya_client_scan (MendClient      *client,
                           MendScanContext *context)
{
  const char *home = mend_scan_context_get_home_dir (context);
  g_autofree char *xdg = g_build_filename (mend_scan_context_get_config_dir (context), "himalaya",
                                           "config.toml", NULL);
  g_autofree char *dot_config = g_build_filename (home, ".config", "himalaya", "config.toml",
                                                  NULL);
  g_autofree char *rc = g_build_filename (home, ".himalayarc", NULL);
  const char *candidates[] = { xdg, dot_config, rc };

  /* himalaya reads the first file that exists, and only that one. */
  for (guint i = 0; i < G_N_ELEMENTS (candidates); i++)
    {
      g_autofree char *source = mend_scan_context_expand_path (context, candidates[i], NULL);

      if (g_file_test (source, G_FILE_TEST_EXISTS))
        {
          scan_file (context, source);
          return;
        }
    }
}

/* Repairs: himalaya 2 only. Its `imap.sasl.xoauth2` (and `smtp.sasl.xoauth2`) takes a
 * username and a token command run as an argv, without a shell (MIGRATION.md). himalaya 1 signs
 * in to Microsoft with OAuth settings of its own (client id, token URL, tokens in its keyring,
 * refreshed by itself), which cannot be fed Mailmend's token; older versions have no OAuth that
 * Mailmend can use: they are told to update. */

static gboolean
path_starts_with (char              **path,
                  const char * const *prefix)
{
  guint i;

  for (i = 0; prefix[i] != NULL; i++)
    {
      if (path[i] == NULL || !g_str_equal (path[i], prefix[i]))
        return FALSE;
    }

  return TRUE;
}

static gboolean
path_is (char              **path,
         const char * const *other)
{
  return g_strv_length (path) == g_strv_length ((char **) other) && path_starts_with (path, other);
}

static void
append_toml_string (GString    *out,
                    const char *text)
{
  g_string_append_c (out, '"');
  for (const char *c = text; *c != '\0'; c++)
    {
      if (*c == '"' || *c == '\\')
        g_string_append_printf (out, "\\%c", *c);
      else if ((guchar) *c < 0x20 || *c == 0x7f)
        g_string_append_printf (out, "\\u%04x", (guchar) *c);
      else
        g_string_append_c (out, *c);
    }
  g_string_append_c (out, '"');
}

/* In `accounts.ACCOUNT.TABLE` (imap or smtp): every `sasl` setting goes, and a username and
 * token command for XOAUTH2 follow the `server` line, written with the same key prefix. */
static char *
switch_server (const char         *contents,
               gsize               length,
               const char         *account,
               const char         *table,
               const char         *login,
               const char * const *argv,
               gsize              *repaired_length)
{
  const char * const server_path[] = { "accounts", account, table, "server", NULL };
  const char * const sasl_path[] = { "accounts", account, table, "sasl", NULL };
  g_autoptr(GPtrArray) statements = mend_toml_parse_statements (contents, length, NULL);
  g_autoptr(MendLineEditor) editor = NULL;
  g_autoptr(GString) username = g_string_new (NULL);
  g_autoptr(GString) command = g_string_new ("[");
  g_autofree char *prefix = NULL;
  g_autofree char *username_key = NULL;
  g_autofree char *command_key = NULL;
  g_autofree char *username_line = NULL;
  g_autofree char *command_line = NULL;
  const MendTomlStatement *server = NULL;
  const char *text;
  const char *dot;

  if (statements == NULL)
    return NULL;

  editor = mend_line_editor_new (contents, length);

  for (guint i = 0; i < statements->len; i++)
    {
      const MendTomlStatement *statement = g_ptr_array_index (statements, i);

      if (!statement->header && path_is (statement->path, server_path))
        {
          server = statement;
        }
      else if (path_starts_with (statement->path, sasl_path))
        {
          for (guint line = statement->first; line <= statement->last; line++)
            mend_line_editor_remove (editor, line);
        }
      else if (!statement->header &&
               path_starts_with ((char **) sasl_path, (const char * const *) statement->path))
        {
          /* An inline table holds the settings: it cannot change line by line. */
          return NULL;
        }
    }

  if (server == NULL)
    return NULL;

  /* `imap.server` in the account's table, or `server` in [accounts.NAME.imap]. */
  text = mend_line_editor_get_line (editor, server->first);
  dot = g_strrstr_len (text + server->key_start, server->key_end - server->key_start, ".");
  prefix = dot != NULL ? g_strndup (text + server->key_start, dot + 1 - (text + server->key_start))
                       : g_strdup ("");

  append_toml_string (username, login);
  for (guint i = 0; argv[i] != NULL; i++)
    {
      if (i > 0)
        g_string_append (command, ", ");
      append_toml_string (command, argv[i]);
    }
  g_string_append_c (command, ']');

  username_key = g_strconcat (prefix, "sasl.xoauth2.username", NULL);
  command_key = g_strconcat (prefix, "sasl.xoauth2.token.command", NULL);
  username_line = mend_line_editor_format_like (text, server->key_start, server->key_end,
                                                server->value_start, username_key,
                                                username->str);
  command_line = mend_line_editor_format_like (text, server->key_start, server->key_end,
                                               server->value_start, command_key, command->str);
  mend_line_editor_insert_after (editor, server->last, username_line);
  mend_line_editor_insert_after (editor, server->last, command_line);

  return mend_line_editor_finish (editor, repaired_length);
}

static gboolean
switched_to_xoauth2 (const char         *contents,
                     gsize               length,
                     const char         *account,
                     MendProtocol        protocol,
                     const char         *login,
                     const char * const *argv)
{
  g_autoptr(MendToml) root = mend_toml_parse (contents, length, NULL);
  const MendToml *table;
  const MendToml *command;
  g_auto(Server) server = { 0 };

  if (root == NULL)
    return FALSE;

  table = mend_toml_get_member (mend_toml_get_member (root, "accounts"), account);
  table = mend_toml_get_member (table, protocol == MEND_PROTOCOL_SMTP ? "smtp" : "imap");
  server.protocol = protocol;
  if (table == NULL || !read_v2_server (table, &server) || server.auth != MEND_AUTH_OAUTH2 ||
      g_strcmp0 (server.username, login) != 0)
    return FALSE;

  command = mend_toml_lookup (table, "sasl.xoauth2.token.command");
  if (command == NULL || mend_toml_get_kind (command) != MEND_TOML_KIND_ARRAY ||
      mend_toml_get_length (command) != g_strv_length ((char **) argv))
    return FALSE;

  for (guint i = 0; argv[i] != NULL; i++)
    {
      const MendToml *word = mend_toml_get_element (command, i);

      if (mend_toml_get_kind (word) != MEND_TOML_KIND_STRING ||
          !g_str_equal (mend_toml_get_string (word), argv[i]))
        return FALSE;
    }

  return TRUE;
}

/* Whether ACCOUNT's server is set up the himalaya 2 way, with `server`. */
static gboolean
is_v2_server (const char   *contents,
              gsize         length,
              const char   *account,
              MendProtocol  protocol)
{
  g_autoptr(MendToml) root = mend_toml_parse (contents, length, NULL);
  const MendToml *table = NULL;

  if (root != NULL && account != NULL)
    {
      table = mend_toml_get_member (mend_toml_get_member (root, "accounts"), account);
      table = mend_toml_get_member (table, protocol == MEND_PROTOCOL_SMTP ? "smtp" : "imap");
    }

  return table != NULL && mend_toml_get_kind (table) == MEND_TOML_KIND_TABLE &&
         mend_toml_get_member (table, "server") != NULL;
}

static void
plan_account (MendRepairContext *context,
              MendRepairPlan    *plan,
              MendAccount       *account)
{
  const char *path = mend_account_get_source (account);
  const char *login = mend_token_command_get_login (plan, account);
  const char *key = mend_account_get_key (account);
  MendProtocol protocol = mend_account_get_protocol (account);
  g_autofree char *name = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *repaired = NULL;
  g_auto(GStrv) argv = NULL;
  gsize length;
  gsize repaired_length = 0;

  /* The key is “accounts.NAME/imap” (before 1.0 “NAME/imap”). */
  if (g_str_has_prefix (key, "accounts."))
    name = g_strndup (key + strlen ("accounts."), strrchr (key, '/') - key - strlen ("accounts."));

  if (!mend_token_command_read (plan, path, &contents, &length))
    return;

  if (!is_v2_server (contents, length, name, protocol))
    {
      g_autoptr(MendFinding) finding = NULL;

      finding = mend_scan_finding_no_oauth_path (
        _("Before version 2, himalaya signs in to Microsoft with OAuth 2.0 settings and tokens "
          "of its own, which Mailmend cannot provide. himalaya 2 asks a command for the token, "
          "and Mailmend can set that up."),
        _("Update himalaya to version 2 or later and move its settings to the new format "
          "(see its MIGRATION.md), then repair again."));
      mend_repair_plan_add_finding (plan, finding);
      return;
    }

  if (!mend_token_command_check_signed_in (context, plan, login))
    return;

  argv = mend_repair_context_dup_token_argv (context, login);
  repaired = switch_server (contents, length, name,
                            protocol == MEND_PROTOCOL_SMTP ? "smtp" : "imap", login,
                            (const char * const *) argv, &repaired_length);

  if (repaired == NULL ||
      !switched_to_xoauth2 (repaired, repaired_length, name, protocol, login,
                            (const char * const *) argv))
    {
      g_autoptr(MendFinding) finding = NULL;
      g_autofree char *settings = NULL;
      g_autofree char *command = mend_repair_context_dup_token_shell_command (context, login);

      /* Translators: the first %s is an account such as “accounts.work”, the second
       * “imap” or “smtp”, the third an e-mail address, the fourth a command; the
       * configuration words stay in English. */
      settings = g_strdup_printf (_("In [accounts.%s], replace the %s.sasl settings by a "
                                    "sasl.xoauth2 username “%s” and token.command running "
                                    "“%s”."),
                                  name, protocol == MEND_PROTOCOL_SMTP ? "smtp" : "imap",
                                  login, command);
      finding = mend_token_command_finding_manual_edit (path, settings);
      mend_repair_plan_add_finding (plan, finding);
      return;
    }

  mend_repair_plan_write_file (plan, path, repaired, repaired_length);
}

static void
mend_himalaya_client_plan_repair (MendClient        *client,
                                  MendRepairContext *context,
                                  MendRepairPlan    *plan)
{
  g_autoptr(GPtrArray) accounts = mend_token_command_get_accounts (plan);
  g_autofree char *note = NULL;

  for (guint i = 0; i < accounts->len; i++)
    plan_account (context, plan, g_ptr_array_index (accounts, i));

  if (accounts->len == 0)
    return;

  /* Translators: %s is a mail app. */
  note = g_strdup_printf (_("%s asks Mailmend for a sign-in token each time it connects."),
                          "himalaya");
  mend_repair_plan_add_note (plan, note);
}

static void
mend_himalaya_client_iface_init (MendClientInterface *iface)
{
  iface->get_id = mend_himalaya_client_get_id;
  iface->get_name = mend_himalaya_client_get_name;
  iface->get_icon_name = mend_himalaya_client_get_icon_name;
  iface->scan = mend_himalaya_client_scan;
  iface->plan_repair = mend_himalaya_client_plan_repair;
}

static void
mend_himalaya_client_class_init (MendHimalayaClientClass *klass)
{
}

static void
mend_himalaya_client_init (MendHimalayaClient *self)
{
}
