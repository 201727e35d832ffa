/* mend-alpine-client.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Alpine keeps its settings in ~/.pinerc (shared/reference/clients.md §15;
 * variable names from alpine pith/conf.c). Servers are c-client specs:
 * `{host[:port]/flag/flag=value}mailbox` in inbox-path, incoming-folders,
 * folder-collections and incoming-archive-folders, and
 * `host[:port]/flag…` in the smtp-server list. A value continues on the
 * lines that start with blanks; list items are separated by commas.
 *
 * c-client's flags: /ssl (TLS from the start), /tls (STARTTLS required),
 * /notls (no STARTTLS); with none of them it uses STARTTLS whenever the
 * server offers it, which Microsoft's do, so that counts as STARTTLS.
 * /pop3 or /service=pop3 is POP, /nntp is news (not scanned), /submit is
 * SMTP on port 587; no /auth= means a password login.
 *
 * Alpine records its version in `last-version-used` and in the file's
 * “Updated by Alpine(tm) …” comment. It signs in to Microsoft with
 * OAuth 2.0 (/auth=xoauth2) from 2.23, for IMAP and SMTP only, and its
 * built-in Outlook entry matches only outlook.office365.com and
 * smtp.office365.com (alpine/xoauth2info.c). /etc/pine.conf is not read.
 *
 * The repair adds /auth=xoauth2 to every spec of the account's servers, in
 * every variable that names them, and moves other Microsoft hosts to those
 * two. Alpine then signs in by itself, with its own app registration. Only
 * the specs change: every other byte of ~/.pinerc stays.
 */

#define G_LOG_DOMAIN "mend-alpine-client"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "mend-alpine-client.h"
#include "mend-microsoft.h"
#include "mend-repair-findings.h"
#include "mend-scan-findings.h"

#define CLIENT_ID   "alpine"
#define CLIENT_NAME "Alpine"

#define OAUTH_VERSION_MAJOR 2
#define OAUTH_VERSION_MINOR 23
#define OAUTH_VERSION       "2.23"

/* Variables whose values hold incoming servers in braces. */
static const char * const incoming_variables[] = {
  "inbox-path",
  "incoming-folders",
  "folder-collections",
  "incoming-archive-folders",
};

typedef struct
{
  MendProtocol  protocol;
  char         *host;
  guint         port;
  char         *user;
  MendSecurity  security;
  MendAuth      auth;
} Server;

typedef struct
{
  /* name → GString value, continuation lines joined */
  GHashTable *variables;
  /* From the “Updated by Alpine(tm) 2.26, …” comment. */
  char       *header_version;
} Pinerc;

struct _MendAlpineClient
{
  GObject parent_instance;
};

static void mend_alpine_client_iface_init (MendClientInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (MendAlpineClient, mend_alpine_client, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (MEND_TYPE_CLIENT,
                                                      mend_alpine_client_iface_init))

static void
server_clear (Server *server)
{
  g_clear_pointer (&server->host, g_free);
  g_clear_pointer (&server->user, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Server, server_clear)

static void
pinerc_clear (Pinerc *pinerc)
{
  g_clear_pointer (&pinerc->variables, g_hash_table_unref);
  g_clear_pointer (&pinerc->header_version, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Pinerc, pinerc_clear)

/* “# Updated by Alpine(tm) 2.26, copyright …” (Pine wrote “Pine(tm)”). */
static char *
version_from_comment (const char *line,
                      gsize       length)
{
  static const char * const markers[] = { "Alpine(tm) ", "Pine(tm) " };
  g_autofree char *text = g_strndup (line, length);

  for (guint i = 0; i < G_N_ELEMENTS (markers); i++)
    {
      const char *start = strstr (text, markers[i]);
      const char *end;

      if (start == NULL)
        continue;

      start += strlen (markers[i]);
      end = start;
      while (g_ascii_isdigit (*end) || *end == '.')
        end++;

      if (end > start && g_ascii_isdigit (*start))
        return g_strndup (start, end - start);
    }

  return NULL;
}

static gboolean
is_blank (char c)
{
  return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v';
}

/**
 * parse_pinerc:
 * @reason: (out): why the file cannot be read, translated
 *
 * Reads `name=value` lines, comments (`#`) and continuation lines (starting
 * with blanks). Anything else means the file is damaged.
 */
static void
string_free (gpointer data)
{
  g_string_free (data, TRUE);
}

static gboolean
parse_pinerc (const char  *data,
              gsize        length,
              Pinerc      *pinerc,
              char       **reason)
{
  /* The value being read, owned by pinerc->variables. */
  GString *current = NULL;
  const char *end = data + length;
  const char *line = data;
  guint line_number = 0;

  pinerc->variables = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, string_free);

  while (line < end)
    {
      const char *newline = memchr (line, '\n', end - line);
      const char *line_end = newline != NULL ? newline : end;
      const char *start = line;
      const char *stop = line_end;
      g_autofree char *name = NULL;
      const char *equals;

      line_number++;
      line = newline != NULL ? newline + 1 : end;

      while (stop > start && is_blank (stop[-1]))
        stop--;

      if (start == stop)
        {
          current = NULL;
          continue;
        }

      if (*start == '#')
        {
          if (pinerc->header_version == NULL)
            pinerc->header_version = version_from_comment (start, stop - start);
          continue;
        }

      if (is_blank (*start))
        {
          while (start < stop && is_blank (*start))
            start++;

          if (current == NULL)
            {
              /* Translators: %u is a line number. */
              *reason = g_strdup_printf (_("Line %u continues a setting that is not there."),
                                         line_number);
              return FALSE;
            }

          g_string_append_len (current, start, stop - start);
          continue;
        }

      equals = memchr (start, '=', stop - start);
      if (equals == NULL || equals == start)
        {
          /* Translators: %u is a line number. */
          *reason = g_strdup_printf (_("Line %u is not a setting (name=value)."), line_number);
          return FALSE;
        }

      name = g_strstrip (g_strndup (start, equals - start));

      equals++;
      while (equals < stop && is_blank (*equals))
        equals++;

      /* A variable set twice: the later value wins. */
      current = g_string_new_len (equals, stop - equals);
      g_hash_table_insert (pinerc->variables, g_steal_pointer (&name), current);
    }

  return TRUE;
}

static char *
unquote (const char *text,
         gsize       length)
{
  g_autofree char *trimmed = g_strstrip (g_strndup (text, length));
  gsize trimmed_length = strlen (trimmed);
  GString *result;

  if (trimmed_length < 2 || trimmed[0] != '"' || trimmed[trimmed_length - 1] != '"')
    return g_steal_pointer (&trimmed);

  result = g_string_new (NULL);
  for (gsize i = 1; i + 1 < trimmed_length; i++)
    {
      if (trimmed[i] == '\\' && i + 2 < trimmed_length)
        i++;
      g_string_append_c (result, trimmed[i]);
    }

  return g_string_free (result, FALSE);
}

/* Splits a list at the commas outside quotes and braces. */
static GPtrArray *
split_list (const char *value)
{
  GPtrArray *items = g_ptr_array_new_with_free_func (g_free);
  const char *item = value;
  gboolean quoted = FALSE;
  gboolean braced = FALSE;

  for (const char *p = value; ; p++)
    {
      if (*p == '\0' || (*p == ',' && !quoted && !braced))
        {
          char *text = unquote (item, p - item);

          if (*text != '\0')
            g_ptr_array_add (items, text);
          else
            g_free (text);

          if (*p == '\0')
            break;

          item = p + 1;
        }
      else if (*p == '\\' && quoted && p[1] != '\0')
        p++;
      else if (*p == '"')
        quoted = !quoted;
      else if (*p == '{' && !quoted)
        braced = TRUE;
      else if (*p == '}' && !quoted)
        braced = FALSE;
    }

  return items;
}

static const char *
get_variable (Pinerc     *pinerc,
              const char *name)
{
  GString *value = g_hash_table_lookup (pinerc->variables, name);

  return value != NULL && value->len > 0 ? value->str : NULL;
}

/* The address Alpine sends from: customized-hdrs' From, or user-id@user-domain. */
static char *
get_from_address (Pinerc *pinerc)
{
  const char *headers = get_variable (pinerc, "customized-hdrs");
  const char *user_id = get_variable (pinerc, "user-id");
  const char *domain = get_variable (pinerc, "user-domain");

  if (headers != NULL)
    {
      g_autoptr(GPtrArray) items = split_list (headers);

      for (guint i = 0; i < items->len; i++)
        {
          const char *item = g_ptr_array_index (items, i);
          const char *open;
          const char *close;

          if (g_ascii_strncasecmp (item, "From:", 5) != 0)
            continue;

          item += 5;
          open = strchr (item, '<');
          close = open != NULL ? strchr (open, '>') : NULL;
          if (open != NULL && close != NULL && strchr (open, '@') != NULL &&
              strchr (open, '@') < close)
            return g_strndup (open + 1, close - open - 1);

          if (strchr (item, '@') != NULL)
            return g_strstrip (g_strdup (item));
        }
    }

  if (user_id != NULL && domain != NULL)
    {
      g_autofree char *user = unquote (user_id, strlen (user_id));
      g_autofree char *host = unquote (domain, strlen (domain));

      if (*user != '\0' && *host != '\0')
        return g_strdup_printf ("%s@%s", user, host);
    }

  return NULL;
}

static void
split_host_port (const char  *text,
                 char       **host,
                 guint       *port)
{
  const char *colon;
  gint64 number;

  *port = 0;

  /* “[192.0.2.1]” keeps its colons inside the brackets. */
  colon = strrchr (text, ':');
  if (colon != NULL && (strchr (text, ']') == NULL || colon > strchr (text, ']')) &&
      g_ascii_string_to_signed (colon + 1, 10, 1, G_MAXUINT16, &number, NULL))
    {
      *host = g_strndup (text, colon - text);
      *port = (guint) number;
      return;
    }

  *host = g_strdup (text);
}

/**
 * parse_server:
 * @spec: what is between the braces, such as
 *   “outlook.office365.com/ssl/user=jo@contoso.com”
 * @smtp: whether @spec comes from smtp-server
 *
 * Returns: %FALSE when @spec names no host, or a news server
 */
static gboolean
parse_server (const char *spec,
              gboolean    smtp,
              Server     *server)
{
  const char *slash = strchr (spec, '/');
  g_autofree char *host_port = g_strstrip (slash ? g_strndup (spec, slash - spec)
                                                 : g_strdup (spec));
  g_auto(GStrv) flags = slash ? g_strsplit (slash + 1, "/", -1) : NULL;
  g_autofree char *auth = NULL;
  gboolean ssl = FALSE, tls = FALSE, notls = FALSE, submit = FALSE;
  gboolean pop3 = FALSE, anonymous = FALSE;
  guint port;

  split_host_port (host_port, &server->host, &port);
  g_strstrip (server->host);
  if (*server->host == '\0')
    return FALSE;

  for (guint i = 0; flags != NULL && flags[i] != NULL; i++)
    {
      const char *flag = g_strstrip (flags[i]);

      if (g_ascii_strcasecmp (flag, "ssl") == 0)
        ssl = TRUE;
      else if (g_ascii_strcasecmp (flag, "tls") == 0)
        tls = TRUE;
      else if (g_ascii_strcasecmp (flag, "notls") == 0)
        notls = TRUE;
      else if (g_ascii_strcasecmp (flag, "submit") == 0)
        submit = TRUE;
      else if (g_ascii_strcasecmp (flag, "anonymous") == 0)
        anonymous = TRUE;
      else if (g_ascii_strcasecmp (flag, "pop3") == 0 || g_ascii_strcasecmp (flag, "pop") == 0 ||
               g_ascii_strcasecmp (flag, "service=pop3") == 0)
        pop3 = TRUE;
      else if (g_ascii_strcasecmp (flag, "nntp") == 0 || g_ascii_strcasecmp (flag, "news") == 0 ||
               g_ascii_strcasecmp (flag, "service=nntp") == 0)
        return FALSE;
      else if (g_ascii_strncasecmp (flag, "user=", 5) == 0 && server->user == NULL)
        server->user = unquote (flag + 5, strlen (flag + 5));
      else if (g_ascii_strncasecmp (flag, "auth=", 5) == 0 && auth == NULL)
        auth = g_ascii_strdown (flag + 5, -1);
    }

  if (server->user != NULL && *server->user == '\0')
    g_clear_pointer (&server->user, g_free);

  if (smtp)
    server->protocol = MEND_PROTOCOL_SMTP;
  else
    server->protocol = pop3 ? MEND_PROTOCOL_POP3 : MEND_PROTOCOL_IMAP;

  if (ssl)
    server->security = MEND_SECURITY_TLS;
  else if (notls && !tls)
    server->security = MEND_SECURITY_NONE;
  else
    server->security = MEND_SECURITY_STARTTLS;

  if (port == 0)
    {
      switch (server->protocol)
        {
        case MEND_PROTOCOL_IMAP:
          port = ssl ? 993 : 143;
          break;
        case MEND_PROTOCOL_POP3:
          port = ssl ? 995 : 110;
          break;
        case MEND_PROTOCOL_SMTP:
        case MEND_PROTOCOL_EWS:
        case MEND_PROTOCOL_GRAPH:
        default:
          port = ssl ? 465 : submit ? 587 : 25;
          break;
        }
    }
  server->port = port;

  if (anonymous || g_strcmp0 (auth, "anonymous") == 0)
    server->auth = MEND_AUTH_NONE;
  else if (g_strcmp0 (auth, "xoauth2") == 0 || g_strcmp0 (auth, "oauthbearer") == 0)
    server->auth = MEND_AUTH_OAUTH2;
  else if (g_strcmp0 (auth, "gssapi") == 0 || g_strcmp0 (auth, "kerberos_v5") == 0 ||
           g_strcmp0 (auth, "external") == 0)
    server->auth = MEND_AUTH_OTHER;
  else
    server->auth = MEND_AUTH_PASSWORD;

  return TRUE;
}

static gboolean
looks_like_address (const char *text)
{
  const char *at = text != NULL ? strchr (text, '@') : NULL;

  return at != NULL && at != text && at[1] != '\0' && strchr (at + 1, '@') == NULL;
}

/* Version “2.26” → too old when before 2.23; 4.x is Pine, which never had OAuth. */
static gboolean
version_is_too_old (const char *version)
{
  g_auto(GStrv) parts = g_strsplit (version, ".", 3);
  guint64 major;
  guint64 minor = 0;

  if (parts[0] == NULL ||
      !g_ascii_string_to_unsigned (parts[0], 10, 0, G_MAXUINT, &major, NULL))
    return FALSE;

  if (parts[1] != NULL &&
      !g_ascii_string_to_unsigned (parts[1], 10, 0, G_MAXUINT, &minor, NULL))
    return FALSE;

  if (major == 4)
    return TRUE;

  return major < OAUTH_VERSION_MAJOR ||
         (major == OAUTH_VERSION_MAJOR && minor < OAUTH_VERSION_MINOR);
}

static gboolean
is_alpine_oauth_host (const char *host)
{
  g_autofree char *lower = g_ascii_strdown (host, -1);

  return g_str_equal (lower, "outlook.office365.com") || g_str_equal (lower, "smtp.office365.com");
}

static MendFinding *
pop3_finding (MendAccount *account)
{
  const char *user = mend_account_get_username (account);
  g_autofree char *remedy = NULL;

  if (user != NULL)
    /* Translators: the text in braces is an Alpine setting: keep it as it is;
     * %s is the user name, an e-mail address. */
    remedy = g_strdup_printf (_("Read this mailbox over IMAP instead: set Alpine’s "
                                "inbox-path to "
                                "{outlook.office365.com/ssl/user=%s/auth=xoauth2}INBOX."),
                              user);
  else
    /* Translators: the text in braces is an Alpine setting: keep it as it is. */
    remedy = g_strdup (_("Read this mailbox over IMAP instead: set Alpine’s inbox-path to "
                         "{outlook.office365.com/ssl/user=…/auth=xoauth2}INBOX, with your "
                         "address after “user=”."));

  return mend_scan_finding_no_oauth_path (
    _("Alpine signs in to Microsoft with OAuth 2.0 for IMAP and SMTP only, not for POP."),
    remedy);
}

static void
add_findings (MendAccount *account,
              const char  *version,
              gboolean     running)
{
  MendProtocol protocol = mend_account_get_protocol (account);
  const char *host = mend_account_get_host (account);

  if (running)
    {
      g_autoptr(MendFinding) finding = mend_scan_finding_client_running (CLIENT_NAME);

      mend_account_add_finding (account, finding);
    }

  if (!mend_account_is_microsoft (account))
    return;

  if (version != NULL && version_is_too_old (version))
    {
      g_autoptr(MendFinding) finding = mend_scan_finding_client_too_old (CLIENT_NAME, version,
                                                                         OAUTH_VERSION);

      mend_account_add_finding (account, finding);
    }

  if (protocol == MEND_PROTOCOL_POP3)
    {
      g_autoptr(MendFinding) finding = pop3_finding (account);

      mend_account_add_finding (account, finding);
    }
  else if (mend_microsoft_classify_host (host) == MEND_MICROSOFT_CLOUD_GLOBAL &&
           !is_alpine_oauth_host (host))
    {
      g_autoptr(MendFinding) finding = mend_scan_finding_legacy_host (account, CLIENT_NAME, NULL);

      mend_account_add_finding (account, finding);
    }
}

typedef struct
{
  MendScanContext *context;
  const char      *source;
  const char      *version;
  const char      *from_address;
  gboolean         running;
  /* The keys of the servers already added: one account per server. */
  GHashTable      *seen;
} ScanState;

/* “imap://jo@contoso.com@outlook.office365.com:993”: what tells servers apart. */
static char *
server_key (Server *server)
{
  g_autofree char *host = g_ascii_strdown (server->host, -1);

  return g_strdup_printf ("%s://%s%s%s:%u", mend_protocol_to_string (server->protocol),
                          server->user ? server->user : "", server->user ? "@" : "",
                          host, server->port);
}

static void
add_server (ScanState *state,
            Server    *server)
{
  g_autoptr(MendAccount) account = NULL;
  g_autofree char *key = server_key (server);

  if (!g_hash_table_add (state->seen, g_strdup (key)))
    return;

  account = mend_account_new (CLIENT_ID, state->source, key, server->protocol);
  mend_account_set_client_version (account, state->version);
  mend_account_set_address (account, looks_like_address (server->user) ? server->user
                                                                       : state->from_address);
  mend_account_set_username (account, server->user);
  mend_account_set_host (account, server->host);
  mend_account_set_port (account, server->port);
  mend_account_set_security (account, server->security);
  mend_account_set_auth (account, server->auth);
  add_findings (account, state->version, state->running);
  mend_scan_context_add_account (state->context, account);
}

/* Every “{…}” in a folder list; a brace that is not closed means the file
 * is damaged. */
static gboolean
collect_incoming (const char *value,
                  GPtrArray  *specs)
{
  const char *p = value;

  while ((p = strchr (p, '{')) != NULL)
    {
      const char *close = strchr (p, '}');

      if (close == NULL)
        return FALSE;

      g_ptr_array_add (specs, g_strndup (p + 1, close - p - 1));
      p = close + 1;
    }

  return TRUE;
}

static gboolean
collect_smtp (const char *value,
              GPtrArray  *specs)
{
  g_autoptr(GPtrArray) items = split_list (value);

  for (guint i = 0; i < items->len; i++)
    {
      const char *item = g_ptr_array_index (items, i);

      if (*item == '{')
        {
          const char *close = strchr (item, '}');

          if (close == NULL)
            return FALSE;

          g_ptr_array_add (specs, g_strndup (item + 1, close - item - 1));
        }
      else
        {
          g_ptr_array_add (specs, g_strdup (item));
        }
    }

  return TRUE;
}

static void
mend_alpine_client_scan (MendClient      *client,
                         MendScanContext *context)
{
  static const char * const process_names[] = { "alpine", NULL };
  g_autoptr(GPtrArray) incoming = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) outgoing = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_auto(Pinerc) pinerc = { NULL, };
  g_autofree char *path = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *reason = NULL;
  g_autofree char *version = NULL;
  g_autofree char *from_address = NULL;
  const char *value;
  ScanState state;
  gsize length;

  path = mend_scan_context_expand_path (context, "~/.pinerc", NULL);
  if (!mend_scan_context_read_file (context, path, &contents, &length))
    return;

  if (!parse_pinerc (contents, length, &pinerc, &reason))
    {
      mend_scan_context_report_unreadable (context, path, reason);
      return;
    }

  for (guint i = 0; i < G_N_ELEMENTS (incoming_variables); i++)
    {
      value = get_variable (&pinerc, incoming_variables[i]);
      if (value != NULL && !collect_incoming (value, incoming))
        {
          /* Translators: %s is the name of a setting, such as “inbox-path”. */
          g_autofree char *message = g_strdup_printf (_("A server in %s is not complete."),
                                                      incoming_variables[i]);

          mend_scan_context_report_unreadable (context, path, message);
          return;
        }
    }

  value = get_variable (&pinerc, "smtp-server");
  if (value != NULL && !collect_smtp (value, outgoing))
    {
      /* Translators: %s is the name of a setting. */
      g_autofree char *message = g_strdup_printf (_("A server in %s is not complete."),
                                                  "smtp-server");

      mend_scan_context_report_unreadable (context, path, message);
      return;
    }

  value = get_variable (&pinerc, "last-version-used");
  if (value != NULL)
    version = unquote (value, strlen (value));
  if (version == NULL || *version == '\0')
    {
      g_free (version);
      version = g_strdup (pinerc.header_version);
    }

  from_address = get_from_address (&pinerc);

  state.context = context;
  state.source = path;
  state.version = version;
  state.from_address = from_address;
  state.running = mend_scan_context_is_process_running (context, process_names);
  state.seen = seen;

  for (guint i = 0; i < incoming->len + outgoing->len; i++)
    {
      gboolean smtp = i >= incoming->len;
      const char *spec = smtp ? g_ptr_array_index (outgoing, i - incoming->len)
                              : g_ptr_array_index (incoming, i);
      g_auto(Server) server = { 0, };

      if (parse_server (spec, smtp, &server))
        add_server (&state, &server);
    }
}

/* ---- repair ------------------------------------------------------------ */

typedef struct
{
  /* key → MendAccount: the servers to switch */
  GHashTable *targets;
  /* The keys of the servers whose spec was rewritten, once or more. */
  GHashTable *rewritten;
} Rewrite;

typedef enum
{
  VARIABLE_NONE,
  VARIABLE_OTHER,
  VARIABLE_INCOMING,
  VARIABLE_SMTP,
} VariableKind;

/* Appends @spec, rewritten when it names one of @rewrite's servers: the
 * host moved when Alpine's Outlook entry does not know it, and /auth=xoauth2
 * in place of any other /auth=. */
static void
rewrite_spec (Rewrite    *rewrite,
              GString    *out,
              const char *spec,
              gsize       length,
              gboolean    smtp)
{
  g_autofree char *text = g_strndup (spec, length);
  g_autofree char *key = NULL;
  g_autofree char *host_port = NULL;
  g_auto(Server) server = { 0, };
  g_auto(GStrv) flags = NULL;
  const char *slash;
  const char *colon;
  gboolean has_auth = FALSE;

  if (!parse_server (text, smtp, &server) ||
      !g_hash_table_contains (rewrite->targets, (key = server_key (&server))))
    {
      g_string_append_len (out, spec, length);
      return;
    }

  slash = strchr (text, '/');
  host_port = slash ? g_strndup (text, slash - text) : g_strdup (text);
  flags = slash ? g_strsplit (slash + 1, "/", -1) : g_new0 (char *, 1);

  /* A port split_host_port() found stays; Microsoft's hosts hold no colon. */
  colon = strrchr (host_port, ':');
  if (strchr (server.host, ':') != NULL)
    colon = NULL;

  if (is_alpine_oauth_host (server.host))
    {
      g_string_append (out, host_port);
    }
  else
    {
      g_string_append (out, mend_microsoft_recommended_host (server.protocol));
      if (colon != NULL)
        g_string_append (out, colon);
    }

  for (guint i = 0; flags[i] != NULL; i++)
    {
      const char *flag = flags[i];

      while (is_blank (*flag))
        flag++;

      g_string_append_c (out, '/');
      if (g_ascii_strncasecmp (flag, "auth=", 5) == 0 && !has_auth)
        {
          g_string_append (out, "auth=xoauth2");
          has_auth = TRUE;
        }
      else
        {
          g_string_append (out, flags[i]);
        }
    }

  if (!has_auth)
    g_string_append (out, "/auth=xoauth2");

  g_hash_table_add (rewrite->rewritten, g_steal_pointer (&key));
}

/* Every {…} of a folder list, as collect_incoming() finds them. */
static void
rewrite_incoming (Rewrite    *rewrite,
                  GString    *out,
                  const char *p,
                  const char *end)
{
  while (p < end)
    {
      const char *open = memchr (p, '{', end - p);
      const char *close = open != NULL ? memchr (open, '}', end - open) : NULL;

      if (close == NULL)
        break;

      g_string_append_len (out, p, open + 1 - p);
      rewrite_spec (rewrite, out, open + 1, close - open - 1, FALSE);
      p = close;
    }

  g_string_append_len (out, p, end - p);
}

/* The items of an smtp-server list, as split_list() cuts them; quoted ones
 * stay as they are. */
static void
rewrite_smtp (Rewrite    *rewrite,
              GString    *out,
              const char *p,
              const char *end)
{
  while (p < end)
    {
      const char *item = p;
      const char *item_end;
      gboolean braced = FALSE;

      while (item < end && is_blank (*item))
        item++;
      g_string_append_len (out, p, item - p);

      for (item_end = item; item_end < end; item_end++)
        {
          if (*item_end == '{')
            braced = TRUE;
          else if (*item_end == '}')
            braced = FALSE;
          else if (*item_end == ',' && !braced)
            break;
        }

      p = item_end;
      while (item_end > item && is_blank (item_end[-1]))
        item_end--;

      if (item < item_end && *item == '{' && item_end[-1] == '}')
        {
          g_string_append_c (out, '{');
          rewrite_spec (rewrite, out, item + 1, item_end - item - 2, TRUE);
          g_string_append_c (out, '}');
        }
      else if (item < item_end && *item != '"')
        {
          rewrite_spec (rewrite, out, item, item_end - item, TRUE);
        }
      else
        {
          g_string_append_len (out, item, item_end - item);
        }

      g_string_append_len (out, item_end, p - item_end);
      if (p < end)
        g_string_append_c (out, *p++);
    }
}

static VariableKind
classify_variable (const char *name,
                   gsize       length)
{
  g_autofree char *text = g_strstrip (g_strndup (name, length));

  if (g_str_equal (text, "smtp-server"))
    return VARIABLE_SMTP;

  for (guint i = 0; i < G_N_ELEMENTS (incoming_variables); i++)
    {
      if (g_str_equal (text, incoming_variables[i]))
        return VARIABLE_INCOMING;
    }

  return VARIABLE_OTHER;
}

/* ~/.pinerc with @rewrite's servers rewritten, walked line by line as
 * parse_pinerc() reads it; the rest is copied byte for byte. */
static char *
rewrite_pinerc (const char *data,
                gsize       length,
                Rewrite    *rewrite)
{
  GString *out = g_string_sized_new (length + 64);
  const char *end = data + length;
  const char *line = data;
  VariableKind kind = VARIABLE_NONE;

  while (line < end)
    {
      const char *newline = memchr (line, '\n', end - line);
      const char *line_end = newline != NULL ? newline : end;
      const char *next = newline != NULL ? newline + 1 : end;
      const char *value = line;
      const char *p = line;

      while (p < line_end && is_blank (*p))
        p++;

      if (p == line_end)
        kind = VARIABLE_NONE;
      else if (*line == '#')
        value = line_end;
      else if (!is_blank (*line))
        {
          const char *equals = memchr (line, '=', line_end - line);

          if (equals == NULL)
            {
              kind = VARIABLE_NONE;
              value = line_end;
            }
          else
            {
              kind = classify_variable (line, equals - line);
              value = equals + 1;
            }
        }

      g_string_append_len (out, line, value - line);
      if (kind == VARIABLE_INCOMING)
        rewrite_incoming (rewrite, out, value, line_end);
      else if (kind == VARIABLE_SMTP)
        rewrite_smtp (rewrite, out, value, line_end);
      else
        g_string_append_len (out, value, line_end - value);
      g_string_append_len (out, line_end, next - line_end);

      line = next;
    }

  return g_string_free (out, FALSE);
}

static MendFinding *
check_server (MendAccount *server)
{
  const char *version = mend_account_get_client_version (server);
  const char *host = mend_account_get_host (server);
  g_autofree char *explanation = NULL;

  if (version != NULL && version_is_too_old (version))
    return mend_scan_finding_client_too_old (CLIENT_NAME, version, OAUTH_VERSION);

  if (mend_account_get_protocol (server) == MEND_PROTOCOL_POP3)
    return pop3_finding (server);

  if (mend_microsoft_classify_host (host) != MEND_MICROSOFT_CLOUD_GLOBAL)
    {
      /* Translators: the first %s is a mail app, the second a server name. */
      explanation = g_strdup_printf (_("%s signs in to Microsoft’s worldwide cloud only, "
                                       "and %s belongs to a national cloud."),
                                     CLIENT_NAME, host);
      return mend_scan_finding_no_oauth_path (explanation,
                                              _("Ask your administrator which mail app to use "
                                                "with this cloud."));
    }

  return NULL;
}

static void
mend_alpine_client_plan_repair (MendClient        *client,
                                MendRepairContext *context,
                                MendRepairPlan    *plan)
{
  GPtrArray *servers = mend_repair_plan_get_accounts (plan);
  g_autoptr(GHashTable) targets = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) rewritten = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autofree char *contents = NULL;
  g_autofree char *edited = NULL;
  g_autoptr(GError) error = NULL;
  const char *path = NULL;
  Rewrite rewrite = { targets, rewritten };
  GHashTableIter iter;
  gpointer key;
  gsize length;

  for (guint i = 0; i < servers->len; i++)
    {
      MendAccount *server = g_ptr_array_index (servers, i);
      g_autoptr(MendFinding) finding = NULL;
      MendAuth auth = mend_account_get_auth (server);

      if (!mend_account_is_microsoft (server) || auth == MEND_AUTH_NONE ||
          auth == MEND_AUTH_OTHER)
        continue;

      finding = check_server (server);
      if (finding != NULL)
        {
          mend_repair_plan_add_finding (plan, finding);
          return;
        }

      if (auth == MEND_AUTH_OAUTH2 && is_alpine_oauth_host (mend_account_get_host (server)))
        continue;

      g_hash_table_insert (targets, (gpointer) mend_account_get_key (server), server);
      path = mend_account_get_source (server);
    }

  if (path == NULL)
    {
      g_autoptr(MendFinding) finding = mend_repair_finding_nothing_to_change ();

      mend_repair_plan_add_finding (plan, finding);
      return;
    }

  if (!mend_repair_plan_read_file (plan, path, &contents, &length, &error))
    {
      g_autoptr(MendFinding) finding = mend_scan_finding_config_unreadable (path, error->message);

      mend_repair_plan_add_finding (plan, finding);
      return;
    }

  edited = rewrite_pinerc (contents, length, &rewrite);

  /* A server written in a way the rewrite leaves alone, such as in quotes. */
  g_hash_table_iter_init (&iter, targets);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    {
      if (!g_hash_table_contains (rewritten, key))
        {
          g_autoptr(MendFinding) finding = NULL;
          g_autofree char *explanation = NULL;

          /* Translators: %s is a server name. */
          explanation = g_strdup_printf (_("Mailmend cannot change how ~/.pinerc writes the "
                                           "server %s."),
                                         mend_account_get_host (g_hash_table_lookup (targets,
                                                                                     key)));
          finding = mend_scan_finding_no_oauth_path (explanation,
                                                     _("In Alpine, open Setup ▸ Config and add "
                                                       "“/auth=xoauth2” to this server."));
          mend_repair_plan_add_finding (plan, finding);
          return;
        }
    }

  mend_repair_plan_write_file (plan, path, edited, -1);

  /* Alpine writes ~/.pinerc when it quits. */
  mend_repair_plan_set_must_close (plan, TRUE);
  mend_repair_plan_add_note (plan, _("Alpine asks you to sign in to Microsoft the next time it "
                                     "connects: it shows a code to enter on Microsoft’s sign-in "
                                     "page."));
}

static const char *
mend_alpine_client_get_id (MendClient *client)
{
  return CLIENT_ID;
}

static const char *
mend_alpine_client_get_name (MendClient *client)
{
  return CLIENT_NAME;
}

static const char *
mend_alpine_client_get_icon_name (MendClient *client)
{
  return "utilities-terminal";
}

static void
mend_alpine_client_iface_init (MendClientInterface *iface)
{
  iface->get_id = mend_alpine_client_get_id;
  iface->get_name = mend_alpine_client_get_name;
  iface->get_icon_name = mend_alpine_client_get_icon_name;
  iface->scan = mend_alpine_client_scan;
  iface->plan_repair = mend_alpine_client_plan_repair;
}

static void
mend_alpine_client_class_init (MendAlpineClientClass *klass)
{
}

static void
mend_alpine_client_init (MendAlpineClient *self)
{
}
