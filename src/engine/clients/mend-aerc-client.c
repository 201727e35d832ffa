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

#include <glib/gi18n.h>
#include <string.h>

#include "mend-aerc-client.h"
#include "mend-ini.h"
#include "mend-line-editor.h"
#include "mend-scan-findings.h"
#include "mend-token-command.h"

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

/* The query parameters that make aerc refresh a token itself, taking the credential command's
 * output for a refresh token (doc/aerc-imap.5.scd). */
static gboolean
is_oauth_parameter (const char *parameter)
{
  static const char * const names[] = { "token_endpoint", "client_id", "client_secret", "scope" };
  gsize length = strcspn (parameter, "=");

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      if (strlen (names[i]) == length && strncmp (parameter, names[i], length) == 0)
        return TRUE;
    }

  return FALSE;
}

/* @url with the scheme SCHEME+xoauth2 (`+insecure` dropped: a token never goes in the clear),
 * @login as the user (the user kept as written when it is @login), no password, and none of
 * aerc's own OAuth parameters; %NULL when @url is not an IMAP or SMTP server. */
static char *
xoauth2_url (const char *url,
             gboolean    outgoing,
             const char *login)
{
  g_autoptr(GString) result = g_string_new (NULL);
  g_autofree char *scheme = NULL;
  g_autofree char *base = NULL;
  g_autofree char *user = NULL;
  g_autofree char *decoded = NULL;
  const char *separator = strstr (url, "://");
  const char *rest;
  const char *at;
  const char *tail;
  const char *query;
  gsize authority_length;

  if (separator == NULL)
    return NULL;

  scheme = g_ascii_strdown (url, separator - url);
  base = g_strndup (scheme, strcspn (scheme, "+"));
  if (!g_str_equal (base, outgoing ? "smtp" : "imap") &&
      !g_str_equal (base, outgoing ? "smtps" : "imaps"))
    return NULL;

  rest = separator + 3;
  authority_length = strcspn (rest, "/?#");
  at = g_strrstr_len (rest, authority_length, "@");

  if (at != NULL)
    {
      user = g_strndup (rest, strcspn (rest, ":@"));
      decoded = g_uri_unescape_string (user, NULL);
    }
  if (decoded == NULL || g_ascii_strcasecmp (decoded, login) != 0)
    {
      g_free (user);
      user = g_uri_escape_string (login, "!$&'()*+,;=", TRUE);
    }

  g_string_append_printf (result, "%s+xoauth2://%s@", base, user);
  g_string_append_len (result, at != NULL ? at + 1 : rest,
                       rest + authority_length - (at != NULL ? at + 1 : rest));

  tail = rest + authority_length;
  query = strchr (tail, '?');
  if (query == NULL)
    {
      g_string_append (result, tail);
    }
  else
    {
      g_autofree char *parameters = g_strndup (query + 1, strcspn (query + 1, "#"));
      g_auto(GStrv) list = g_strsplit (parameters, "&", -1);
      gboolean first = TRUE;

      g_string_append_len (result, tail, query - tail);
      for (guint i = 0; list[i] != NULL; i++)
        {
          if (list[i][0] == '\0' || is_oauth_parameter (list[i]))
            continue;
          g_string_append_printf (result, "%c%s", first ? '?' : '&', list[i]);
          first = FALSE;
        }
      g_string_append (result, query + 1 + strlen (parameters));
    }

  return g_string_free (g_steal_pointer (&result), FALSE);
}

/* A value go-ini reads back as it is: in backquotes when it holds what would start an inline
 * comment or a quoted value. */
static char *
ini_value (const char *value)
{
  if (strpbrk (value, "#;") == NULL && value[0] != '"' && value[0] != '`' && value[0] != '\'')
    return g_strdup (value);
  if (strchr (value, '`') == NULL)
    return g_strdup_printf ("`%s`", value);

  return g_strdup_printf ("\"\"\"%s\"\"\"", value);
}

static char *
format_setting (MendLineEditor *editor,
                guint           sample,
                const char     *key,
                const char     *value)
{
  const char *text = mend_line_editor_get_line (editor, sample);
  gsize key_start = strspn (text, " \t");
  gsize equal = strcspn (text, "=");
  gsize key_end = equal;
  gsize value_start = equal + (text[equal] == '=' ? 1 : 0);

  while (key_end > key_start && (text[key_end - 1] == ' ' || text[key_end - 1] == '\t'))
    key_end--;
  while (text[value_start] == ' ' || text[value_start] == '\t')
    value_start++;

  return mend_line_editor_format_like (text, key_start, key_end, value_start, key, value);
}

static gboolean
switched_to_xoauth2 (const char *contents,
                     gsize       length,
                     const char *section,
                     const char *key,
                     const char *command)
{
  g_autoptr(MendIni) ini = mend_ini_parse (contents, length, MEND_INI_DIALECT_GO, NULL);
  g_autofree char *cred_key = g_strconcat (key, "-cred-cmd", NULL);
  g_autofree char *url = NULL;
  g_autofree char *cred = NULL;
  g_auto(Server) server = { 0 };

  if (ini == NULL)
    return FALSE;

  url = mend_ini_get_value (ini, section, key, NULL);
  cred = mend_ini_get_value (ini, section, cred_key, NULL);

  return url != NULL && parse_server_url (url, g_str_equal (key, "outgoing"), &server) &&
         server.auth == MEND_AUTH_OAUTH2 && g_strcmp0 (cred, command) == 0;
}

/* `source = imaps+xoauth2://LOGIN@HOST…` with `source-cred-cmd = mailmend token LOGIN`, or
 * the same for `outgoing`. */
static gboolean
switch_server (const char  *contents,
               gsize        length,
               const char  *section,
               const char  *key,
               const char  *login,
               const char  *command,
               char       **repaired,
               gsize       *repaired_length)
{
  g_autoptr(MendIni) ini = mend_ini_parse (contents, length, MEND_INI_DIALECT_GO, NULL);
  g_autoptr(MendLineEditor) editor = NULL;
  g_autofree char *cred_key = g_strconcat (key, "-cred-cmd", NULL);
  g_autofree char *url = NULL;
  g_autofree char *new_url = NULL;
  g_autofree char *url_line = NULL;
  g_autofree char *value = NULL;
  g_autofree char *cred_line = NULL;
  guint first, last, cred_first, cred_last;

  if (ini == NULL || !mend_ini_get_key_lines (ini, section, key, &first, &last) || first != last)
    return FALSE;

  url = mend_ini_get_value (ini, section, key, NULL);
  if (url == NULL || (new_url = xoauth2_url (url, g_str_equal (key, "outgoing"), login)) == NULL)
    return FALSE;

  editor = mend_line_editor_new (contents, length);
  value = ini_value (new_url);
  url_line = format_setting (editor, first, key, value);
  mend_line_editor_replace (editor, first, url_line);

  g_free (value);
  value = ini_value (command);
  cred_line = format_setting (editor, first, cred_key, value);
  if (mend_ini_get_key_lines (ini, section, cred_key, &cred_first, &cred_last))
    {
      mend_line_editor_replace (editor, cred_first, cred_line);
      for (guint line = cred_first + 1; line <= cred_last; line++)
        mend_line_editor_remove (editor, line);
    }
  else
    {
      mend_line_editor_insert_after (editor, first, cred_line);
    }

  *repaired = mend_line_editor_finish (editor, repaired_length);

  return TRUE;
}

static void
mend_aerc_client_plan_repair (MendClient        *client,
                              MendRepairContext *context,
                              MendRepairPlan    *plan)
{
  g_autoptr(GPtrArray) accounts = mend_token_command_get_accounts (plan);
  g_autofree char *note = NULL;

  for (guint i = 0; i < accounts->len; i++)
    {
      MendAccount *account = g_ptr_array_index (accounts, i);
      const char *path = mend_account_get_source (account);
      const char *login = mend_token_command_get_login (plan, account);
      const char *account_key = mend_account_get_key (account);
      const char *slash = strrchr (account_key, '/');
      g_autofree char *section = NULL;
      g_autofree char *command = NULL;
      g_autofree char *contents = NULL;
      g_autofree char *repaired = NULL;
      gsize length;
      gsize repaired_length = 0;

      /* The key is “[SECTION]/source” or “[SECTION]/outgoing”. */
      g_assert (account_key[0] == '[' && slash != NULL && slash[-1] == ']');
      section = g_strndup (account_key + 1, slash - account_key - 2);

      if (!mend_token_command_check_signed_in (context, plan, login) ||
          !mend_token_command_read (plan, path, &contents, &length))
        continue;

      command = mend_repair_context_dup_token_shell_command (context, login);
      if (!switch_server (contents, length, section, slash + 1, login, command, &repaired,
                          &repaired_length) ||
          !switched_to_xoauth2 (repaired, repaired_length, section, slash + 1, command))
        {
          g_autoptr(MendFinding) finding = NULL;
          g_autofree char *settings = NULL;

          /* Translators: the first %s is an aerc account, the second a setting such as
           * “source”, the third a command; the configuration words stay in English. */
          settings = g_strdup_printf (_("In the account [%s], add “+xoauth2” to the scheme of "
                                        "%s, remove the password from it, and set its "
                                        "credential command to “%s”."),
                                      section, slash + 1, command);
          finding = mend_token_command_finding_manual_edit (path, settings);
          mend_repair_plan_add_finding (plan, finding);
          continue;
        }

      mend_repair_plan_write_file (plan, path, repaired, repaired_length);
    }

  if (accounts->len == 0)
    return;

  /* Translators: %s is a mail app. */
  note = g_strdup_printf (_("%s asks Mailmend for a sign-in token when it connects. If it is "
                            "open, quit it and start it again."), "aerc");
  mend_repair_plan_add_note (plan, note);
}

static void
mend_aerc_client_iface_init (MendClientInterface *iface)
{
  iface->get_id = mend_aerc_client_get_id;
  iface->get_name = mend_aerc_client_get_name;
  iface->get_icon_name = mend_aerc_client_get_icon_name;
  iface->scan = mend_aerc_client_scan;
  iface->plan_repair = mend_aerc_client_plan_repair;
}

static void
mend_aerc_client_class_init (MendAercClientClass *klass)
{
}

static void
mend_aerc_client_init (MendAercClient *self)
{
}
