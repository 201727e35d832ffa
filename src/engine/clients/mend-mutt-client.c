/* mend-mutt-client.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Mutt (shared/reference/clients.md §8). Mutt reads the first of
 * ~/.muttrc, ~/.mutt/muttrc and $XDG_CONFIG_HOME/mutt/muttrc (init.c
 * find_cfg; the versioned muttrc-VERSION files are not looked at).
 *
 * Servers come from `folder` / `spoolfile` (imap[s]://, pop[s]://),
 * `pop_host`, `smtp_url` and `mailboxes`, at the top level and inside
 * `account-hook` / `folder-hook` commands, whose URL patterns also name
 * servers. An account's other settings are the hook's own, over the top
 * level's. The same server and user found twice count once.
 */

#define G_LOG_DOMAIN "mend-mutt-client"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "mend-microsoft.h"
#include "mend-mutt-client-private.h"
#include "mend-muttrc.h"
#include "mend-repair-findings.h"
#include "mend-scan-findings.h"
#include "mend-token-command.h"

struct _MendMuttClient
{
  GObject parent_instance;
};

typedef struct
{
  char  *scheme;  /* lower case */
  char  *user;    /* percent-decoded; NULL when the URL has none */
  char  *host;
  guint  port;    /* 0 when the URL has none */
} MailUrl;

/* Where a server was found: the scope whose settings it uses, and the line that names it
 * (a `set folder=…`, a `mailboxes`, a hook's pattern). */
typedef struct
{
  const MendMuttrcScope *scope;
  char                  *source;
  guint                  line;
} Origin;

typedef struct
{
  MendMuttrc            *rc;
  const MendMuttrcScope *top;
  const char            *client_id;
  GPtrArray             *accounts;  /* MendAccount, before they go to the context */
  GHashTable            *keys;      /* source + key + protocol, to keep keys unique */
  GHashTable            *origins;   /* MendAccount → Origin */
} Builder;

static void mend_mutt_client_iface_init (MendClientInterface *iface);

static void
origin_free (Origin *origin)
{
  g_free (origin->source);
  g_free (origin);
}

G_DEFINE_FINAL_TYPE_WITH_CODE (MendMuttClient, mend_mutt_client, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (MEND_TYPE_CLIENT,
                                                      mend_mutt_client_iface_init))

static void
mail_url_clear (MailUrl *url)
{
  g_clear_pointer (&url->scheme, g_free);
  g_clear_pointer (&url->user, g_free);
  g_clear_pointer (&url->host, g_free);
  url->port = 0;
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (MailUrl, mail_url_clear)

static gboolean
is_host_char (char c)
{
  return g_ascii_isalnum (c) || c == '.' || c == '-' || c == '_';
}

/* scheme://[user[:password]@]host[:port][/path], as Mutt's url_parse()
 * reads it. The password is never kept. */
static gboolean
parse_mail_url (const char *text,
                MailUrl    *url)
{
  g_autofree char *authority = NULL;
  const char *separator;
  const char *rest;
  const char *at;
  const char *hostport;
  const char *colon;
  gsize authority_length;

  memset (url, 0, sizeof *url);

  if (text == NULL || (separator = strstr (text, "://")) == NULL || separator == text)
    return FALSE;

  for (const char *c = text; c < separator; c++)
    {
      if (!g_ascii_isalnum (*c))
        return FALSE;
    }

  rest = separator + 3;
  authority_length = strcspn (rest, "/?");
  authority = g_strndup (rest, authority_length);

  at = strrchr (authority, '@');
  hostport = at ? at + 1 : authority;

  if (hostport[0] == '[')
    {
      const char *close = strchr (hostport, ']');

      if (close == NULL || close == hostport + 1)
        return FALSE;
      url->host = g_strndup (hostport + 1, close - hostport - 1);
      colon = close[1] == ':' ? close + 1 : NULL;
      if (close[1] != '\0' && colon == NULL)
        goto invalid;
    }
  else
    {
      colon = strchr (hostport, ':');
      url->host = g_strndup (hostport, colon ? (gsize) (colon - hostport) : strlen (hostport));
      for (const char *c = url->host; *c; c++)
        {
          if (!is_host_char (*c))
            goto invalid;
        }
    }

  if (url->host[0] == '\0')
    goto invalid;

  if (colon != NULL)
    {
      guint64 port;

      if (!g_ascii_string_to_unsigned (colon + 1, 10, 1, G_MAXUINT16, &port, NULL))
        goto invalid;
      url->port = (guint) port;
    }

  if (at != NULL)
    {
      g_autofree char *userinfo = g_strndup (authority, at - authority);
      char *password = strchr (userinfo, ':');

      if (password != NULL)
        *password = '\0';
      url->user = g_uri_unescape_string (userinfo, NULL);
      if (url->user == NULL)
        url->user = g_strdup (userinfo);
      if (url->user[0] == '\0')
        g_clear_pointer (&url->user, g_free);
    }

  url->scheme = g_ascii_strdown (text, separator - text);

  return TRUE;

invalid:
  mail_url_clear (url);
  return FALSE;
}

/* A hook pattern is a regular expression; the usual ones are URLs with
 * escaped dots: `^imaps://me@outlook\.office365\.com/?$`. */
static gboolean
parse_pattern_url (const char *pattern,
                   MailUrl    *url)
{
  g_autoptr(GString) text = g_string_new (NULL);

  if (pattern == NULL || pattern[0] == '!')
    return FALSE;

  if (pattern[0] == '^')
    pattern++;

  for (const char *c = pattern; *c; c++)
    {
      if (*c == '\\' && c[1] != '\0' && !g_ascii_isalnum (c[1]))
        g_string_append_c (text, *++c);
      else if (strchr ("*+?()[]{}|^$", *c) != NULL)
        break;
      else
        g_string_append_c (text, *c);
    }

  while (text->len > 0 && text->str[text->len - 1] == '/')
    g_string_truncate (text, text->len - 1);

  return parse_mail_url (text->str, url);
}

static MendProtocol
protocol_for_scheme (const char *scheme,
                     gboolean   *known)
{
  *known = TRUE;

  if (g_str_equal (scheme, "imap") || g_str_equal (scheme, "imaps"))
    return MEND_PROTOCOL_IMAP;
  if (g_str_equal (scheme, "pop") || g_str_equal (scheme, "pops"))
    return MEND_PROTOCOL_POP3;
  if (g_str_equal (scheme, "smtp") || g_str_equal (scheme, "smtps"))
    return MEND_PROTOCOL_SMTP;

  *known = FALSE;
  return MEND_PROTOCOL_IMAP;
}

/* The hook's own value, else the top level's. */
static const MendMuttrcValue *
lookup (Builder               *b,
        const MendMuttrcScope *scope,
        const char            *name)
{
  const MendMuttrcValue *value = mend_muttrc_scope_lookup (scope, name);

  if (value == NULL && scope != b->top)
    value = mend_muttrc_scope_lookup (b->top, name);

  return value;
}

static const char *
get_string (Builder               *b,
            const MendMuttrcScope *scope,
            const char            *name)
{
  const MendMuttrcValue *value = lookup (b, scope, name);

  return (value && value->value && value->value[0]) ? value->value : NULL;
}

static gboolean
get_bool (Builder               *b,
          const MendMuttrcScope *scope,
          const char            *name,
          gboolean               default_value)
{
  const MendMuttrcValue *value = lookup (b, scope, name);

  if (value == NULL)
    return default_value;
  if (value->value == NULL)
    return FALSE;
  if (g_ascii_strcasecmp (value->value, "yes") == 0 ||
      g_ascii_strcasecmp (value->value, "ask-yes") == 0)
    return TRUE;
  if (g_ascii_strcasecmp (value->value, "toggled") == 0)
    return !default_value;

  return FALSE;
}

/* The address in “Name <me@example.com>”, “me@example.com (Name)” or
 * “me@example.com”. */
static char *
parse_address (const char *from)
{
  g_autofree char *address = NULL;
  const char *open;
  const char *close;

  if (from == NULL)
    return NULL;

  if ((open = strchr (from, '<')) != NULL && (close = strchr (open, '>')) != NULL)
    {
      address = g_strndup (open + 1, close - open - 1);
    }
  else
    {
      const char *paren = strchr (from, '(');

      address = paren ? g_strndup (from, paren - from) : g_strdup (from);
    }

  g_strstrip (address);
  if (strchr (address, '@') == NULL || strchr (address, ' ') != NULL)
    return NULL;

  return g_steal_pointer (&address);
}

/* imap_authenticators and its kin are colon-separated lists tried in order;
 * without one, Mutt and NeoMutt try OAuth first when a refresh command is
 * set for IMAP or POP (imap/auth_oauth.c: “If they did not explicitly
 * request or configure oauth then fail quietly”), and SASL or LOGIN
 * otherwise. */
static MendAuth
effective_auth (Builder               *b,
                const MendMuttrcScope *scope,
                MendProtocol           protocol)
{
  const char *prefix = protocol == MEND_PROTOCOL_IMAP ? "imap"
                     : protocol == MEND_PROTOCOL_POP3 ? "pop" : "smtp";
  g_autofree char *authenticators_name = g_strconcat (prefix, "_authenticators", NULL);
  g_autofree char *refresh_name = g_strconcat (prefix, "_oauth_refresh_command", NULL);
  const char *authenticators = get_string (b, scope, authenticators_name);

  if (authenticators != NULL)
    {
      g_auto(GStrv) methods = g_strsplit (authenticators, ":", -1);

      for (guint i = 0; methods[i] != NULL; i++)
        {
          const char *method = g_strstrip (methods[i]);

          if (method[0] == '\0')
            continue;
          if (g_ascii_strcasecmp (method, "xoauth2") == 0 ||
              g_ascii_strcasecmp (method, "oauthbearer") == 0)
            return MEND_AUTH_OAUTH2;
          if (g_ascii_strcasecmp (method, "gssapi") == 0)
            return MEND_AUTH_OTHER;
          if (g_ascii_strcasecmp (method, "anonymous") == 0)
            return MEND_AUTH_NONE;
          return MEND_AUTH_PASSWORD;
        }
    }

  if (protocol != MEND_PROTOCOL_SMTP && get_string (b, scope, refresh_name) != NULL)
    return MEND_AUTH_OAUTH2;

  return MEND_AUTH_PASSWORD;
}

static MendSecurity
effective_security (Builder               *b,
                    const MendMuttrcScope *scope,
                    const char            *scheme)
{
  if (g_str_has_suffix (scheme, "s"))
    return MEND_SECURITY_TLS;

  /* Plain imap://, pop:// and smtp:// switch to TLS with STARTTLS when
   * $ssl_starttls (default yes) or $ssl_force_tls is set. */
  if (get_bool (b, scope, "ssl_starttls", TRUE) || get_bool (b, scope, "ssl_force_tls", FALSE))
    return MEND_SECURITY_STARTTLS;

  return MEND_SECURITY_NONE;
}

static gboolean
is_duplicate (Builder      *b,
              MendProtocol  protocol,
              const char   *host,
              const char   *username)
{
  for (guint i = 0; i < b->accounts->len; i++)
    {
      MendAccount *account = g_ptr_array_index (b->accounts, i);
      const char *other_user = mend_account_get_username (account);

      if (mend_account_get_protocol (account) != protocol ||
          g_ascii_strcasecmp (mend_account_get_host (account), host) != 0)
        continue;

      if (username == NULL || other_user == NULL ||
          g_ascii_strcasecmp (username, other_user) == 0)
        return TRUE;
    }

  return FALSE;
}

static char *
unique_key (Builder      *b,
            const char   *source,
            const char   *key,
            MendProtocol  protocol)
{
  for (guint n = 1; ; n++)
    {
      g_autofree char *candidate = n == 1 ? g_strdup (key) : g_strdup_printf ("%s (%u)", key, n);
      g_autofree char *full = g_strdup_printf ("%s\n%s\n%s", source, candidate,
                                               mend_protocol_to_string (protocol));

      if (g_hash_table_add (b->keys, g_steal_pointer (&full)))
        return g_steal_pointer (&candidate);
    }
}

static char *
url_key (const MailUrl *url)
{
  return g_strdup_printf ("%s://%s%s%s", url->scheme, url->user ? url->user : "",
                          url->user ? "@" : "", url->host);
}

static const char *
user_variable (MendProtocol protocol)
{
  return protocol == MEND_PROTOCOL_IMAP ? "imap_user"
       : protocol == MEND_PROTOCOL_POP3 ? "pop_user" : "smtp_user";
}

/* What @scope itself set @name to, when not empty. */
static const char *
get_own_string (const MendMuttrcScope *scope,
                const char            *name)
{
  const char *value = mend_muttrc_scope_get (scope, name);

  return (value && value[0]) ? value : NULL;
}

/* One server: @url says which, @scope holds the other settings. @username
 * is the user as far as @scope knows it; with @inherit_user, a server that
 * is not already listed takes the top level's user when it has none. */
static void
add_account (Builder               *b,
             const MendMuttrcScope *scope,
             const MailUrl         *url,
             const char            *source,
             guint                  line,
             const char            *key,
             const char            *username,
             gboolean               inherit_user)
{
  Origin *origin;
  g_autoptr(MendAccount) account = NULL;
  g_autofree char *unique = NULL;
  g_autofree char *address = NULL;
  MendProtocol protocol;
  gboolean known;

  protocol = protocol_for_scheme (url->scheme, &known);
  if (!known || is_duplicate (b, protocol, url->host, username))
    return;

  if (username == NULL && inherit_user)
    username = get_own_string (b->top, user_variable (protocol));

  unique = unique_key (b, source, key, protocol);
  account = mend_account_new (b->client_id, source, unique, protocol);
  mend_account_set_host (account, url->host);
  mend_account_set_username (account, username);
  mend_account_set_security (account, effective_security (b, scope, url->scheme));
  mend_account_set_auth (account, effective_auth (b, scope, protocol));

  /* Mutt's smtp:// defaults to port 25 (smtp.c SMTP_PORT), not 587. */
  if (url->port != 0)
    mend_account_set_port (account, url->port);
  else if (g_str_equal (url->scheme, "smtp"))
    mend_account_set_port (account, 25);

  /* A hook's account has the hook's sender, not the top level's. */
  address = parse_address (get_own_string (scope, "from"));
  if (address == NULL && username != NULL && strchr (username, '@') != NULL)
    address = g_strdup (username);
  mend_account_set_address (account, address);

  origin = g_new0 (Origin, 1);
  origin->scope = scope;
  origin->source = g_strdup (source);
  origin->line = line;
  g_hash_table_insert (b->origins, g_object_ref (account), origin);

  g_ptr_array_add (b->accounts, g_steal_pointer (&account));
}

static void
add_from_value (Builder               *b,
                const MendMuttrcScope *scope,
                const char            *name,
                const char            *prefix)
{
  const MendMuttrcValue *value = mend_muttrc_scope_lookup (scope, name);
  g_auto(MailUrl) url = { 0 };
  g_autofree char *text = NULL;
  g_autofree char *key = NULL;
  MendProtocol protocol;
  gboolean known;

  if (value == NULL || value->value == NULL)
    return;

  /* pop_host may be a bare host name: [pop[s]://][user@]host[:port] */
  if (g_str_equal (name, "pop_host") && strstr (value->value, "://") == NULL)
    text = g_strconcat ("pop://", value->value, NULL);
  else
    text = g_strdup (value->value);

  if (!parse_mail_url (text, &url))
    return;

  protocol = protocol_for_scheme (url.scheme, &known);
  if (!known)
    return;

  /* The folder and the spool file only name a server when they are remote. */
  if ((g_str_equal (name, "folder") || g_str_equal (name, "spoolfile")) &&
      protocol == MEND_PROTOCOL_SMTP)
    return;

  key = prefix ? g_strdup_printf ("%s: %s", prefix, name) : g_strdup (name);
  add_account (b, scope, &url, value->source, value->line, key,
               url.user ? url.user : get_string (b, scope, user_variable (protocol)), FALSE);
}

/* Servers a scope names itself: folder, spoolfile, pop_host, smtp_url. */
static void
add_from_scope (Builder               *b,
                const MendMuttrcScope *scope)
{
  g_autofree char *prefix = NULL;
  static const char *names[] = { "folder", "spoolfile", "pop_host", "smtp_url" };

  if (scope->hook != NULL)
    prefix = g_strdup_printf ("%s %s", scope->hook, scope->pattern);

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    add_from_value (b, scope, names[i], prefix);
}

/* account-hook imaps://me@outlook.office365.com 'set imap_pass=…' */
static void
add_from_pattern (Builder               *b,
                  const MendMuttrcScope *scope)
{
  g_auto(MailUrl) url = { 0 };
  g_autofree char *server = NULL;
  g_autofree char *key = NULL;
  MendProtocol protocol;
  gboolean known;

  if (scope->hook == NULL || !parse_pattern_url (scope->pattern, &url))
    return;

  protocol = protocol_for_scheme (url.scheme, &known);
  if (!known)
    return;

  server = url_key (&url);
  key = g_strdup_printf ("%s %s", scope->hook, server);
  add_account (b, scope, &url, scope->source, scope->line, key,
               url.user ? url.user : get_own_string (scope, user_variable (protocol)), TRUE);
}

/* A hook whose pattern names the server @host, to find a mailbox's user. */
static const MendMuttrcScope *
scope_for_host (Builder    *b,
                const char *host)
{
  GPtrArray *scopes = mend_muttrc_get_scopes (b->rc);

  for (guint i = 1; i < scopes->len; i++)
    {
      const MendMuttrcScope *scope = g_ptr_array_index (scopes, i);
      g_auto(MailUrl) url = { 0 };

      if (parse_pattern_url (scope->pattern, &url) && g_ascii_strcasecmp (url.host, host) == 0)
        return scope;
    }

  return b->top;
}

static void
add_from_mailboxes (Builder *b)
{
  GPtrArray *mailboxes = mend_muttrc_get_mailboxes (b->rc);

  for (guint i = 0; i < mailboxes->len; i++)
    {
      const MendMuttrcValue *mailbox = g_ptr_array_index (mailboxes, i);
      const MendMuttrcScope *scope;
      g_auto(MailUrl) url = { 0 };
      g_autofree char *server = NULL;
      g_autofree char *key = NULL;
      MendProtocol protocol;
      gboolean known;

      if (!parse_mail_url (mailbox->value, &url))
        continue;
      protocol = protocol_for_scheme (url.scheme, &known);
      if (!known || protocol == MEND_PROTOCOL_SMTP)
        continue;

      scope = scope_for_host (b, url.host);
      server = url_key (&url);
      key = g_strdup_printf ("mailboxes %s", server);
      add_account (b, scope, &url, mailbox->source, mailbox->line, key,
                   url.user ? url.user : get_own_string (scope, user_variable (protocol)), TRUE);
    }
}

static gboolean
read_file_cb (const char  *path,
              char       **contents,
              gsize       *length,
              gpointer     user_data)
{
  return mend_scan_context_read_file (MEND_SCAN_CONTEXT (user_data), path, contents, length);
}

/* Every server @rc names, as the scan lists them; with @origins, where each was found. */
static GPtrArray *
build_accounts (MendMuttrc *rc,
                const char *client_id,
                GHashTable *origins)
{
  g_autoptr(GPtrArray) accounts = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GHashTable) keys = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GHashTable) own_origins = NULL;
  GPtrArray *scopes = mend_muttrc_get_scopes (rc);
  Builder b = { 0 };

  if (scopes->len == 0)
    return g_steal_pointer (&accounts);

  if (origins == NULL)
    origins = own_origins = g_hash_table_new_full (NULL, NULL, g_object_unref,
                                                   (GDestroyNotify) origin_free);

  b.rc = rc;
  b.top = g_ptr_array_index (scopes, 0);
  b.client_id = client_id;
  b.accounts = accounts;
  b.keys = keys;
  b.origins = origins;

  /* Servers a scope names itself first, then those hook patterns and
   * mailboxes name, which may only repeat them. */
  for (guint i = 0; i < scopes->len; i++)
    add_from_scope (&b, g_ptr_array_index (scopes, i));
  for (guint i = 1; i < scopes->len; i++)
    add_from_pattern (&b, g_ptr_array_index (scopes, i));
  add_from_mailboxes (&b);

  return g_steal_pointer (&accounts);
}

/**
 * _mend_mutt_client_scan_muttrc:
 * @client_id: “mutt” or “neomutt”
 * @client_name: the name people know
 * @path: the muttrc the client reads, absolute and canonical
 *
 * Adds the accounts @path and the files it sources define.
 */
void
_mend_mutt_client_scan_muttrc (MendScanContext *context,
                               const char      *client_id,
                               const char      *client_name,
                               const char      *path)
{
  g_autoptr(MendMuttrc) rc = NULL;
  g_autoptr(GPtrArray) accounts = NULL;
  const char * const process_names[] = { client_id, NULL };
  gboolean neomutt = g_str_equal (client_id, "neomutt");
  gboolean running = FALSE;
  GPtrArray *errors;

  g_return_if_fail (MEND_IS_SCAN_CONTEXT (context));
  g_return_if_fail (client_id != NULL);
  g_return_if_fail (path != NULL);

  rc = mend_muttrc_new (mend_scan_context_get_home_dir (context),
                        mend_scan_context_get_config_dir (context));
  mend_muttrc_load (rc, path, read_file_cb, context);

  errors = mend_muttrc_get_errors (rc);
  for (guint i = 0; i < errors->len; i++)
    {
      const MendMuttrcError *error = g_ptr_array_index (errors, i);
      /* Translators: %u is a line number, %s what is wrong on it. */
      g_autofree char *reason = g_strdup_printf (_("Line %u: %s"), error->line, error->message);

      mend_scan_context_report_unreadable (context, error->path, reason);
    }

  accounts = build_accounts (rc, client_id, NULL);

  if (accounts->len > 0)
    running = mend_scan_context_is_process_running (context, process_names);

  for (guint i = 0; i < accounts->len; i++)
    {
      MendAccount *account = g_ptr_array_index (accounts, i);

      if (running)
        {
          g_autoptr(MendFinding) finding = mend_scan_finding_client_running (client_name);
          mend_account_add_finding (account, finding);
        }

      /* NeoMutt's POP speaks OAUTHBEARER only (pop/auth.c), which Microsoft
       * does not offer. */
      if (neomutt && mend_account_get_protocol (account) == MEND_PROTOCOL_POP3 &&
          mend_account_is_microsoft (account))
        {
          g_autoptr(MendFinding) finding = NULL;

          finding = mend_scan_finding_no_oauth_path (
            _("NeoMutt can sign in to POP servers with OAUTHBEARER only, which Microsoft’s POP "
              "server does not offer."),
            _("Read this mailbox over IMAP instead: set folder to "
              "imaps://outlook.office365.com/ with imap_authenticators=\"xoauth2\", and let "
              "Mailmend set up the sign-in."));
          mend_account_add_finding (account, finding);
        }

      g_debug ("%s: %s server %s in %s", client_id,
               mend_protocol_to_string (mend_account_get_protocol (account)),
               mend_account_get_host (account), mend_account_get_source (account));
      mend_scan_context_add_account (context, account);
    }
}

/* Planning a repair: reading and editing the files through the plan. */

typedef struct
{
  MendRepairPlan *plan;
  GHashTable     *texts;     /* path → GBytes: the edited files, for the check; or NULL */
} PlanReader;

static gboolean
plan_read_cb (const char  *path,
              char       **contents,
              gsize       *length,
              gpointer     user_data)
{
  PlanReader *reader = user_data;
  GBytes *edited = reader->texts != NULL ? g_hash_table_lookup (reader->texts, path) : NULL;

  if (edited != NULL)
    {
      *contents = g_strndup (g_bytes_get_data (edited, NULL), g_bytes_get_size (edited));
      *length = g_bytes_get_size (edited);
      return TRUE;
    }

  return mend_repair_plan_read_file (reader->plan, path, contents, length, NULL);
}

static MendMuttrc *
load_for_plan (MendRepairContext *context,
               const char        *path,
               PlanReader        *reader)
{
  MendScanContext *scan_context = mend_repair_context_get_scan_context (context);
  MendMuttrc *rc = mend_muttrc_new (mend_scan_context_get_home_dir (scan_context),
                                    mend_scan_context_get_config_dir (scan_context));

  mend_muttrc_load (rc, path, plan_read_cb, reader);

  return rc;
}

static MendAccount *
find_same (GPtrArray   *accounts,
           MendAccount *account)
{
  for (guint i = 0; i < accounts->len; i++)
    {
      MendAccount *candidate = g_ptr_array_index (accounts, i);

      if (mend_account_get_protocol (candidate) == mend_account_get_protocol (account) &&
          g_strcmp0 (mend_account_get_key (candidate), mend_account_get_key (account)) == 0 &&
          g_strcmp0 (mend_account_get_source (candidate), mend_account_get_source (account)) == 0)
        return candidate;
    }

  return NULL;
}

static MendMuttrcEditor *
get_editor (MendRepairPlan *plan,
            GHashTable     *editors,
            const char     *path)
{
  MendMuttrcEditor *editor = g_hash_table_lookup (editors, path);
  g_autofree char *contents = NULL;
  gsize length;

  if (editor == NULL && mend_repair_plan_read_file (plan, path, &contents, &length, NULL))
    {
      editor = mend_muttrc_editor_new (contents, length);
      g_hash_table_insert (editors, g_strdup (path), editor);
    }

  return editor;
}

static const char *
protocol_prefix (MendProtocol protocol)
{
  return protocol == MEND_PROTOCOL_IMAP ? "imap"
       : protocol == MEND_PROTOCOL_POP3 ? "pop" : "smtp";
}

/* Sets PREFIX_authenticators and PREFIX_oauth_refresh_command and removes PREFIX_pass in the
 * scope the server takes its settings from: where they are written when the scope writes
 * them, else in new lines after the one that names the server, or, for a hook that sets
 * them on its own line, in the hook's command. Returns FALSE when it cannot. */
static gboolean
switch_server (MendRepairPlan *plan,
               GHashTable     *editors,
               const Origin   *origin,
               MendProtocol    protocol,
               const char     *command)
{
  const char *prefix = protocol_prefix (protocol);
  g_autofree char *authenticators = g_strconcat (prefix, "_authenticators", NULL);
  g_autofree char *refresh = g_strconcat (prefix, "_oauth_refresh_command", NULL);
  g_autofree char *pass = g_strconcat (prefix, "_pass", NULL);
  const char *names[] = { authenticators, refresh };
  const char *values[] = { "xoauth2", command };
  const MendMuttrcScope *scope = origin->scope;
  g_autoptr(GPtrArray) pending = g_ptr_array_new_with_free_func (g_free);
  const MendMuttrcValue *value;
  MendMuttrcEditor *editor = get_editor (plan, editors, origin->source);
  gboolean on_hook_line = scope->hook != NULL && g_str_equal (origin->source, scope->source) &&
                          origin->line == scope->line;
  guint after = origin->line;

  if (editor == NULL)
    return FALSE;

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      MendMuttrcEditor *value_editor;

      value = mend_muttrc_scope_lookup (scope, names[i]);
      if (value != NULL && value->value != NULL &&
          (value_editor = get_editor (plan, editors, value->source)) != NULL &&
          mend_muttrc_editor_set (value_editor, value->line, names[i], values[i]))
        continue;

      if (on_hook_line)
        {
          if (!mend_muttrc_editor_add_to_hook (editor, scope->line, names[i], values[i]))
            return FALSE;
          continue;
        }

      /* After the setting it replaces, when that comes later in the same file. */
      if (value != NULL && g_str_equal (value->source, origin->source))
        after = MAX (after, value->line);
      g_ptr_array_add (pending, mend_muttrc_editor_format_set (editor, origin->line, names[i],
                                                               values[i]));
    }

  value = mend_muttrc_scope_lookup (scope, pass);
  if (value != NULL && value->value != NULL)
    {
      MendMuttrcEditor *value_editor = get_editor (plan, editors, value->source);

      if (value_editor == NULL || !mend_muttrc_editor_remove (value_editor, value->line, pass))
        {
          if (on_hook_line)
            return FALSE;
          g_ptr_array_add (pending, g_strdup_printf ("unset %s", pass));
        }
    }

  for (guint i = 0; i < pending->len; i++)
    mend_muttrc_editor_insert_after (editor, after, g_ptr_array_index (pending, i));

  return TRUE;
}

static void
add_manual_edit (MendRepairPlan *plan,
                 MendAccount    *account,
                 const char     *command)
{
  const char *prefix = protocol_prefix (mend_account_get_protocol (account));
  g_autoptr(MendFinding) finding = NULL;
  g_autofree char *quoted = mend_muttrc_quote (command);
  g_autofree char *settings = NULL;

  /* Translators: the first, second and fourth %s are “imap”, “pop” or “smtp”, the third
   * a quoted command; the settings stay in English. */
  settings = g_strdup_printf (_("Where this account is set up, write “set %s_authenticators = "
                                "\"xoauth2\"” and “set %s_oauth_refresh_command = %s”, and "
                                "remove %s_pass."), prefix, prefix, quoted, prefix);
  finding = mend_token_command_finding_manual_edit (mend_account_get_source (account), settings);
  mend_repair_plan_add_finding (plan, finding);
}

static void
add_notes (MendRepairPlan *plan,
           GPtrArray      *accounts,
           GPtrArray      *all_accounts,
           const char     *client_id,
           const char     *client_name)
{
  g_autofree char *restart = NULL;

  /* Translators: %s is a mail app. */
  restart = g_strdup_printf (_("%s asks Mailmend for a sign-in token when it connects. If it is "
                               "open, quit it and start it again."), client_name);
  mend_repair_plan_add_note (plan, restart);

  /* XOAUTH2 came with NeoMutt 2021-10-15 and Mutt 2.0 (shared/reference/clients.md §8), and
   * neither writes its version into its files. */
  if (g_str_equal (client_id, "neomutt"))
    mend_repair_plan_add_note (plan, _("This needs NeoMutt 2021-10-15 or later."));
  else
    mend_repair_plan_add_note (plan, _("This needs Mutt 2.0 or later."));

  /* Settings a hook or a sourced file sets stay set after switching to another account. */
  for (guint i = 0; i < all_accounts->len; i++)
    {
      const char *address = mend_account_get_address (g_ptr_array_index (all_accounts, i));

      if (address != NULL &&
          g_ascii_strcasecmp (address, mend_repair_plan_get_address (plan)) != 0)
        {
          g_autofree char *others = NULL;

          /* Translators: %s is a mail app; the settings stay in English. */
          others = g_strdup_printf (_("If you switch between accounts in %s, unset "
                                      "imap_authenticators and smtp_authenticators in your other "
                                      "accounts’ settings: they would otherwise try XOAUTH2 "
                                      "too."), client_name);
          mend_repair_plan_add_note (plan, others);
          break;
        }
    }

  for (guint i = 0; i < accounts->len; i++)
    {
      MendAccount *account = g_ptr_array_index (accounts, i);

      if (mend_account_get_protocol (account) == MEND_PROTOCOL_POP3)
        {
          g_autofree char *pop = NULL;

          /* Translators: %s is an e-mail address; the command stays in English. */
          pop = g_strdup_printf (_("Reading mail over POP needs a sign-in that allows POP: if "
                                   "yours does not, run “mailmend signin %s --pop”."),
                                 mend_token_command_get_login (plan, account));
          mend_repair_plan_add_note (plan, pop);
          break;
        }
    }
}

/**
 * _mend_mutt_client_plan_repair:
 * @path: the muttrc the client reads
 *
 * Points the servers of @plan at `mailmend token` with XOAUTH2, in the files of @path where
 * each server is set up, and checks that the files then read as XOAUTH2.
 */
void
_mend_mutt_client_plan_repair (MendRepairContext *context,
                               MendRepairPlan    *plan,
                               const char        *client_id,
                               const char        *client_name,
                               const char        *path)
{
  g_autoptr(GPtrArray) accounts = mend_token_command_get_accounts (plan);
  g_autoptr(GHashTable) origins = NULL;
  g_autoptr(GHashTable) editors = NULL;
  g_autoptr(GHashTable) texts = NULL;
  g_autoptr(GPtrArray) built = NULL;
  g_autoptr(GPtrArray) rebuilt = NULL;
  g_autoptr(MendMuttrc) rc = NULL;
  g_autoptr(MendMuttrc) edited_rc = NULL;
  g_autoptr(GPtrArray) switched = g_ptr_array_new ();
  PlanReader reader = { plan, NULL };
  GHashTableIter iter;
  gpointer key, value;
  gboolean failed = FALSE;

  g_return_if_fail (MEND_IS_REPAIR_CONTEXT (context));
  g_return_if_fail (MEND_IS_REPAIR_PLAN (plan));
  g_return_if_fail (path != NULL);

  if (accounts->len == 0)
    return;

  for (guint i = 0; i < accounts->len; i++)
    mend_token_command_copy_findings (plan, g_ptr_array_index (accounts, i), "no-oauth-path");
  if (mend_repair_plan_get_findings (plan)->len > 0)
    return;

  rc = load_for_plan (context, path, &reader);
  origins = g_hash_table_new_full (NULL, NULL, g_object_unref, (GDestroyNotify) origin_free);
  built = build_accounts (rc, client_id, origins);
  editors = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                   (GDestroyNotify) mend_muttrc_editor_free);

  for (guint i = 0; i < accounts->len; i++)
    {
      MendAccount *account = g_ptr_array_index (accounts, i);
      const char *login = mend_token_command_get_login (plan, account);
      MendAccount *same = find_same (built, account);
      g_autofree char *command = NULL;

      if (!mend_token_command_check_signed_in (context, plan, login))
        continue;

      if (same == NULL)
        {
          g_autoptr(MendFinding) finding = NULL;

          finding = mend_repair_finding_config_changed (mend_account_get_source (account));
          mend_repair_plan_add_finding (plan, finding);
          return;
        }

      command = mend_repair_context_dup_token_shell_command (context, login);
      if (!switch_server (plan, editors, g_hash_table_lookup (origins, same),
                          mend_account_get_protocol (account), command))
        {
          add_manual_edit (plan, account, command);
          failed = TRUE;
        }
      g_ptr_array_add (switched, account);
    }

  if (failed || switched->len == 0)
    return;

  texts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                 (GDestroyNotify) g_bytes_unref);
  g_hash_table_iter_init (&iter, editors);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      gsize length;
      char *text = mend_muttrc_editor_finish (value, &length);

      g_hash_table_insert (texts, g_strdup (key), g_bytes_new_take (text, length));
    }

  /* The files as they would be must read as XOAUTH2 for every server switched. */
  reader.texts = texts;
  edited_rc = load_for_plan (context, path, &reader);
  rebuilt = build_accounts (edited_rc, client_id, NULL);
  for (guint i = 0; i < switched->len; i++)
    {
      MendAccount *account = g_ptr_array_index (switched, i);
      MendAccount *after = find_same (rebuilt, account);

      if (after == NULL || mend_account_get_auth (after) != MEND_AUTH_OAUTH2)
        {
          g_autofree char *command = NULL;

          command = mend_repair_context_dup_token_shell_command (
            context, mend_token_command_get_login (plan, account));
          g_debug ("%s: the %s server of %s does not read as XOAUTH2 after the edits",
                   client_id, mend_protocol_to_string (mend_account_get_protocol (account)),
                   mend_account_get_source (account));
          add_manual_edit (plan, account, command);
          return;
        }
    }

  g_hash_table_iter_init (&iter, texts);
  while (g_hash_table_iter_next (&iter, &key, &value))
    mend_repair_plan_write_file (plan, key, g_bytes_get_data (value, NULL),
                                 g_bytes_get_size (value));

  add_notes (plan, switched, built, client_id, client_name);
}

static char *
first_existing (const char * const *paths)
{
  for (guint i = 0; paths[i] != NULL; i++)
    {
      if (g_file_test (paths[i], G_FILE_TEST_EXISTS))
        return g_strdup (paths[i]);
    }

  return NULL;
}

/**
 * _mend_mutt_client_find_muttrc:
 *
 * Returns: (transfer full) (nullable): the file Mutt reads, canonical
 */
char *
_mend_mutt_client_find_muttrc (MendScanContext *context)
{
  const char *home = mend_scan_context_get_home_dir (context);
  const char *config = mend_scan_context_get_config_dir (context);
  g_autofree char *dot = g_build_filename (home, ".muttrc", NULL);
  g_autofree char *dot_dir = g_build_filename (home, ".mutt", "muttrc", NULL);
  g_autofree char *xdg = g_build_filename (config, "mutt", "muttrc", NULL);
  const char * const paths[] = { dot, dot_dir, xdg, NULL };
  g_autofree char *found = first_existing (paths);

  return found ? mend_scan_context_expand_path (context, found, NULL) : NULL;
}

static const char *
mend_mutt_client_get_id (MendClient *client)
{
  return "mutt";
}

static const char *
mend_mutt_client_get_name (MendClient *client)
{
  return "Mutt";
}

static const char *
mend_mutt_client_get_icon_name (MendClient *client)
{
  return "utilities-terminal";
}

static void
mend_mutt_client_scan (MendClient      *client,
                       MendScanContext *context)
{
  g_autofree char *path = _mend_mutt_client_find_muttrc (context);

  if (path != NULL)
    _mend_mutt_client_scan_muttrc (context, "mutt", "Mutt", path);
}

static void
mend_mutt_client_plan_repair (MendClient        *client,
                              MendRepairContext *context,
                              MendRepairPlan    *plan)
{
  MendScanContext *scan_context = mend_repair_context_get_scan_context (context);
  g_autofree char *path = _mend_mutt_client_find_muttrc (scan_context);
  g_autoptr(MendFinding) finding = NULL;

  if (path != NULL)
    {
      _mend_mutt_client_plan_repair (context, plan, "mutt", "Mutt", path);
      return;
    }

  /* The file it reads is gone since the scan. */
  finding = mend_repair_finding_config_changed (
    mend_account_get_source (g_ptr_array_index (mend_repair_plan_get_accounts (plan), 0)));
  mend_repair_plan_add_finding (plan, finding);
}

static void
mend_mutt_client_iface_init (MendClientInterface *iface)
{
  iface->get_id = mend_mutt_client_get_id;
  iface->get_name = mend_mutt_client_get_name;
  iface->get_icon_name = mend_mutt_client_get_icon_name;
  iface->scan = mend_mutt_client_scan;
  iface->plan_repair = mend_mutt_client_plan_repair;
}

static void
mend_mutt_client_class_init (MendMuttClientClass *klass)
{
}

static void
mend_mutt_client_init (MendMuttClient *self)
{
}
