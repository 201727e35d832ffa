/* mend-offlineimap-client.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * OfflineIMAP reads $XDG_CONFIG_HOME/offlineimap/config, or ~/.offlineimaprc
 * when that does not exist (OfflineIMAP/offlineimap3: offlineimap/init.py),
 * with Python's configparser. Every [Account NAME] names a
 * `remoterepository`, whose [Repository NAME] section (type IMAP or Gmail)
 * holds the server: remotehost, remoteport, remoteuser, ssl (default yes),
 * starttls (default yes), auth_mechanisms (default GSSAPI, XOAUTH2,
 * CRAM-MD5, PLAIN, LOGIN; XOAUTH2 is tried only with an oauth2 refresh or
 * access token) (offlineimap.conf, offlineimap/repository/IMAP.py).
 * OfflineIMAP only syncs: it has no SMTP server. The *eval settings are
 * Python and are never evaluated here.
 */

#define G_LOG_DOMAIN "mend-offlineimap-client"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "mend-ini.h"
#include "mend-line-editor.h"
#include "mend-offlineimap-client.h"
#include "mend-scan-findings.h"
#include "mend-token-command.h"

struct _MendOfflineimapClient
{
  GObject parent_instance;
};

static const char * const process_names[] = { "offlineimap", NULL };

static void mend_offlineimap_client_iface_init (MendClientInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (MendOfflineimapClient, mend_offlineimap_client, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (MEND_TYPE_CLIENT,
                                                      mend_offlineimap_client_iface_init))

/* The value, interpolated and stripped; %NULL when it is not set, empty,
 * or its %(references)s are broken. */
static char *
get_string (MendIni    *ini,
            const char *section,
            const char *key)
{
  g_autofree char *value = mend_ini_get_value (ini, section, key, NULL);

  if (value == NULL)
    return NULL;

  g_strstrip (value);
  if (value[0] == '\0')
    return NULL;

  return g_steal_pointer (&value);
}

static gboolean
has_setting (MendIni    *ini,
             const char *section,
             const char *key)
{
  const char *raw = mend_ini_get_raw (ini, section, key);

  return raw != NULL && raw[0] != '\0';
}

static MendAuth
find_auth (MendIni    *ini,
           const char *section)
{
  static const char *token_keys[] = {
    "oauth2_refresh_token", "oauth2_refresh_token_eval",
    "oauth2_access_token", "oauth2_access_token_eval",
  };
  g_autofree char *configured = get_string (ini, section, "auth_mechanisms");
  g_auto(GStrv) mechanisms = NULL;
  gboolean has_token = FALSE;
  gboolean xoauth2 = FALSE;
  gboolean password = FALSE;
  gboolean gssapi = FALSE;

  /* A preauthenticated tunnel signs in by itself. */
  if (has_setting (ini, section, "preauthtunnel"))
    return MEND_AUTH_NONE;

  for (guint i = 0; i < G_N_ELEMENTS (token_keys); i++)
    has_token |= has_setting (ini, section, token_keys[i]);

  mechanisms = g_strsplit (configured ? configured : "GSSAPI, XOAUTH2, CRAM-MD5, PLAIN, LOGIN",
                           ",", -1);
  for (guint i = 0; mechanisms[i] != NULL; i++)
    {
      const char *mechanism = g_strstrip (mechanisms[i]);

      if (g_ascii_strcasecmp (mechanism, "XOAUTH2") == 0)
        xoauth2 = TRUE;
      else if (g_ascii_strcasecmp (mechanism, "GSSAPI") == 0)
        gssapi = TRUE;
      else if (mechanism[0] != '\0')
        password = TRUE;
    }

  if (xoauth2 && has_token)
    return MEND_AUTH_OAUTH2;

  if (password)
    return MEND_AUTH_PASSWORD;

  if (gssapi)
    return MEND_AUTH_OTHER;

  /* XOAUTH2 alone, without a token: OfflineIMAP has nothing to sign in with. */
  return MEND_AUTH_OTHER;
}

static guint
find_port (MendIni    *ini,
           const char *section)
{
  g_autofree char *value = NULL;
  guint64 port = 0;

  if (has_setting (ini, section, "remoteporteval") ||
      !(value = get_string (ini, section, "remoteport")) ||
      !g_ascii_string_to_unsigned (value, 10, 1, G_MAXUINT16, &port, NULL))
    return 0;

  return (guint) port;
}

static void
add_repository (MendScanContext *context,
                MendIni         *ini,
                const char      *source,
                const char      *section,
                gboolean         running)
{
  g_autoptr(MendAccount) account = NULL;
  g_autofree char *type = get_string (ini, section, "type");
  g_autofree char *host = NULL;
  g_autofree char *username = NULL;
  gboolean gmail;
  gboolean ssl;
  gboolean starttls;

  if (type == NULL ||
      (g_ascii_strcasecmp (type, "IMAP") != 0 && g_ascii_strcasecmp (type, "Gmail") != 0))
    {
      g_debug ("%s is not a remote IMAP repository", section);
      return;
    }

  gmail = g_ascii_strcasecmp (type, "Gmail") == 0;

  /* remotehosteval and remoteusereval are Python: the host or the user
   * stays unknown. */
  if (!has_setting (ini, section, "remotehosteval"))
    {
      host = get_string (ini, section, "remotehost");
      if (host == NULL && gmail)
        host = g_strdup ("imap.gmail.com");
    }

  if (!has_setting (ini, section, "remoteusereval"))
    username = get_string (ini, section, "remoteuser");

  ssl = mend_ini_get_boolean (ini, section, "ssl", TRUE);
  starttls = mend_ini_get_boolean (ini, section, "starttls", TRUE);

  account = mend_account_new ("offlineimap", source, section, MEND_PROTOCOL_IMAP);
  mend_account_set_host (account, host);
  mend_account_set_port (account, find_port (ini, section));
  mend_account_set_username (account, username);
  if (username != NULL && strchr (username, '@') != NULL)
    mend_account_set_address (account, username);

  if (ssl)
    mend_account_set_security (account, MEND_SECURITY_TLS);
  else if (starttls)
    mend_account_set_security (account, MEND_SECURITY_STARTTLS);
  else
    mend_account_set_security (account, MEND_SECURITY_NONE);

  mend_account_set_auth (account, find_auth (ini, section));

  if (running)
    {
      g_autoptr(MendFinding) finding = mend_scan_finding_client_running ("OfflineIMAP");
      mend_account_add_finding (account, finding);
    }

  mend_scan_context_add_account (context, account);
}

static void
scan_file (MendScanContext *context,
           const char      *source)
{
  g_autofree char *contents = NULL;
  g_autoptr(MendIni) ini = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GHashTable) seen = NULL;
  gboolean running;
  gsize length;

  if (!mend_scan_context_read_file (context, source, &contents, &length))
    return;

  if (!(ini = mend_ini_parse (contents, length, MEND_INI_DIALECT_PYTHON, &error)))
    {
      mend_scan_context_report_unreadable (context, source, error->message);
      return;
    }

  running = mend_scan_context_is_process_running (context, process_names);
  seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  /* Every [Account NAME] can be synced (`offlineimap -a NAME`), listed in
   * [general] accounts or not. Two accounts may share a repository. */
  for (guint i = 0; i < mend_ini_get_n_sections (ini); i++)
    {
      const char *section = mend_ini_get_section_name (ini, i);
      g_autofree char *remote = NULL;
      g_autofree char *repository = NULL;

      if (!g_str_has_prefix (section, "Account "))
        continue;

      if (!(remote = get_string (ini, section, "remoterepository")))
        {
          g_debug ("%s has no remote repository", section);
          continue;
        }

      repository = g_strconcat ("Repository ", remote, NULL);
      if (!mend_ini_has_section (ini, repository))
        {
          g_debug ("%s names a missing repository", section);
          continue;
        }

      if (g_hash_table_add (seen, g_strdup (repository)))
        add_repository (context, ini, source, repository, running);
    }
}

static const char *
mend_offlineimap_client_get_id (MendClient *client)
{
  return "offlineimap";
}

static const char *
mend_offlineimap_client_get_name (MendClient *client)
{
  return "OfflineIMAP";
}

static const char *
mend_offlineimap_client_get_icon_name (MendClient *client)
{
  return "utilities-terminal";
}

static void
mend_offlineimap_client_scan (MendClient      *client,
                              MendScanContext *context)
{
  g_autofree char *xdg = g_build_filename (mend_scan_context_get_config_dir (context),
                                           "offlineimap", "config", NULL);
  g_autofree char *rc = g_build_filename (mend_scan_context_get_home_dir (context),
                                          ".offlineimaprc", NULL);
  g_autofree char *source = mend_scan_context_expand_path (context, xdg, NULL);

  /* OfflineIMAP reads one file: the XDG one when it exists. */
  if (!g_file_test (source, G_FILE_TEST_EXISTS))
    {
      g_free (source);
      source = mend_scan_context_expand_path (context, rc, NULL);
    }

  scan_file (context, source);
}

/* A Python string literal of @text, with `%` doubled for configparser's interpolation. */
static void
append_python_string (GString    *out,
                      const char *text)
{
  g_string_append_c (out, '"');
  for (const char *c = text; *c != '\0'; c++)
    {
      if (*c == '"' || *c == '\\')
        g_string_append_printf (out, "\\%c", *c);
      else if (*c == '%')
        g_string_append (out, "%%");
      else if ((guchar) *c < 0x20 || *c == 0x7f)
        g_string_append_printf (out, "\\x%02x", (guchar) *c);
      else
        g_string_append_c (out, *c);
    }
  g_string_append_c (out, '"');
}

/* oauth2_access_token_eval is a Python expression, evaluated with the builtins available
 * (offlineimap/localeval.py): this one runs `mailmend token LOGIN` without a shell. Current
 * OfflineIMAP evaluates it again once the token it got is ten minutes old
 * (imapserver.py __xoauth2handler); releases before that evaluate it once per start. */
static char *
token_expression (MendRepairContext *context,
                  const char        *login)
{
  g_auto(GStrv) argv = mend_repair_context_dup_token_argv (context, login);
  g_autoptr(GString) expression = g_string_new ("__import__(\"subprocess\").check_output([");

  for (guint i = 0; argv[i] != NULL; i++)
    {
      if (i > 0)
        g_string_append (expression, ", ");
      append_python_string (expression, argv[i]);
    }
  g_string_append (expression, "], text=True)");

  return g_string_free (g_steal_pointer (&expression), FALSE);
}

static char *
format_setting (MendLineEditor *editor,
                guint           sample,
                const char     *key,
                const char     *value)
{
  const char *text = mend_line_editor_get_line (editor, sample);
  gsize key_start = strspn (text, " \t");
  gsize delimiter = strcspn (text, "=:");
  gsize key_end = delimiter;
  gsize value_start = delimiter + (text[delimiter] != '\0' ? 1 : 0);

  while (key_end > key_start && (text[key_end - 1] == ' ' || text[key_end - 1] == '\t'))
    key_end--;
  while (text[value_start] == ' ' || text[value_start] == '\t')
    value_start++;

  return mend_line_editor_format_like (text, key_start, key_end, value_start, key, value);
}

/* Puts KEY = VALUE where @section sets @key, or after @anchor. */
static void
set_key (MendIni        *ini,
         MendLineEditor *editor,
         const char     *section,
         guint           anchor,
         const char     *key,
         const char     *value)
{
  g_autofree char *line = format_setting (editor, anchor, key, value);
  guint first, last;

  if (!mend_ini_get_key_lines (ini, section, key, &first, &last))
    {
      mend_line_editor_insert_after (editor, anchor, line);
      return;
    }

  mend_line_editor_replace (editor, first, line);
  for (guint i = first + 1; i <= last; i++)
    mend_line_editor_remove (editor, i);
}

static void
remove_key (MendIni        *ini,
            MendLineEditor *editor,
            const char     *section,
            const char     *key)
{
  guint first, last;

  if (mend_ini_get_key_lines (ini, section, key, &first, &last))
    {
      for (guint i = first; i <= last; i++)
        mend_line_editor_remove (editor, i);
    }
}

/* `auth_mechanisms = XOAUTH2` and the token command in the repository's section, without its
 * password settings. */
static char *
switch_repository (const char *contents,
                   gsize       length,
                   const char *section,
                   const char *expression,
                   gsize      *repaired_length)
{
  static const char * const passwords[] = {
    "remotepass", "remotepassfile", "remotepasseval", "oauth2_access_token", NULL
  };
  g_autoptr(MendIni) ini = mend_ini_parse (contents, length, MEND_INI_DIALECT_PYTHON, NULL);
  g_autoptr(MendLineEditor) editor = NULL;
  guint header, last, first, anchor;

  if (ini == NULL || !mend_ini_get_section_lines (ini, section, &header, &last))
    return NULL;

  if (!mend_ini_get_key_lines (ini, section, "remoteuser", &first, &anchor) &&
      !mend_ini_get_key_lines (ini, section, "remotehost", &first, &anchor))
    anchor = last;

  editor = mend_line_editor_new (contents, length);
  for (guint i = 0; passwords[i] != NULL; i++)
    remove_key (ini, editor, section, passwords[i]);
  set_key (ini, editor, section, anchor, "auth_mechanisms", "XOAUTH2");
  set_key (ini, editor, section, anchor, "oauth2_access_token_eval", expression);

  return mend_line_editor_finish (editor, repaired_length);
}

static gboolean
switched_to_xoauth2 (const char *contents,
                     gsize       length,
                     const char *section,
                     const char *expression)
{
  g_autoptr(MendIni) ini = mend_ini_parse (contents, length, MEND_INI_DIALECT_PYTHON, NULL);
  g_autofree char *value = NULL;

  if (ini == NULL)
    return FALSE;

  /* It must also survive configparser's interpolation. */
  value = mend_ini_get_value (ini, section, "oauth2_access_token_eval", NULL);

  return find_auth (ini, section) == MEND_AUTH_OAUTH2 && value != NULL &&
         !has_setting (ini, section, "remotepass") &&
         !has_setting (ini, section, "remotepassfile") &&
         !has_setting (ini, section, "remotepasseval") &&
         g_strcmp0 (mend_ini_get_raw (ini, section, "oauth2_access_token_eval"), expression) == 0;
}

static void
mend_offlineimap_client_plan_repair (MendClient        *client,
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
      const char *section = mend_account_get_key (account);
      g_autofree char *expression = NULL;
      g_autofree char *contents = NULL;
      g_autofree char *repaired = NULL;
      gsize length;
      gsize repaired_length = 0;

      if (!mend_token_command_check_signed_in (context, plan, login) ||
          !mend_token_command_read (plan, path, &contents, &length))
        continue;

      expression = token_expression (context, login);
      repaired = switch_repository (contents, length, section, expression, &repaired_length);
      if (repaired == NULL ||
          !switched_to_xoauth2 (repaired, repaired_length, section, expression))
        {
          g_autoptr(MendFinding) finding = NULL;
          g_autofree char *settings = NULL;

          /* Translators: the first %s is a section such as “[Repository Remote]”, the second
           * a Python expression; the configuration words stay in English. */
          settings = g_strdup_printf (_("In [%s], write “auth_mechanisms = XOAUTH2” and "
                                        "“oauth2_access_token_eval = %s”, and remove "
                                        "remotepass, remotepassfile and remotepasseval."),
                                      section, expression);
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
                            "open, quit it and start it again."), "OfflineIMAP");
  mend_repair_plan_add_note (plan, note);
}

static void
mend_offlineimap_client_iface_init (MendClientInterface *iface)
{
  iface->get_id = mend_offlineimap_client_get_id;
  iface->get_name = mend_offlineimap_client_get_name;
  iface->get_icon_name = mend_offlineimap_client_get_icon_name;
  iface->scan = mend_offlineimap_client_scan;
  iface->plan_repair = mend_offlineimap_client_plan_repair;
}

static void
mend_offlineimap_client_class_init (MendOfflineimapClientClass *klass)
{
}

static void
mend_offlineimap_client_init (MendOfflineimapClient *self)
{
}
