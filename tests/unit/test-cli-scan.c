/* test-cli-scan.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * `mailmend scan` on whole fixture homes: the JSON contract, the text
 * output, and that nothing in the home changes.
 */

#include "config.h"

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "mend-test-scan.h"

typedef struct
{
  int   exit_status;
  char *stdout_text;
  char *stderr_text;
} Run;

static void
run_clear (Run *run)
{
  g_clear_pointer (&run->stdout_text, g_free);
  g_clear_pointer (&run->stderr_text, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Run, run_clear)

static void
run_scan (MendTestScan *scan,
          Run          *run,
          const char   *first_arg,
          ...)
{
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                                                      G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *config = g_build_filename (scan->home, ".config", NULL);
  g_autofree char *proc_dir = g_test_build_filename (G_TEST_DIST, "fixtures", "proc", NULL);
  va_list args;

  g_ptr_array_add (argv, (gpointer) g_getenv ("MAILMEND_CLI"));
  g_ptr_array_add (argv, (gpointer) "scan");
  va_start (args, first_arg);
  for (const char *arg = first_arg; arg != NULL; arg = va_arg (args, const char *))
    g_ptr_array_add (argv, (gpointer) arg);
  va_end (args);
  g_ptr_array_add (argv, NULL);

  g_subprocess_launcher_setenv (launcher, "HOME", scan->home, TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_CONFIG_HOME", config, TRUE);
  g_subprocess_launcher_setenv (launcher, "MAILMEND_PROC_DIR", proc_dir, TRUE);
  g_subprocess_launcher_setenv (launcher, "LC_ALL", "C.UTF-8", TRUE);
  g_subprocess_launcher_unsetenv (launcher, "LANGUAGE");

  process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, NULL, NULL, &run->stdout_text, &run->stderr_text, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (process));
  run->exit_status = g_subprocess_get_exit_status (process);
}

static JsonObject *
find_account (JsonArray  *accounts,
              const char *client,
              const char *address,
              const char *protocol)
{
  JsonObject *found = NULL;

  for (guint i = 0; i < json_array_get_length (accounts); i++)
    {
      JsonObject *account = json_array_get_object_element (accounts, i);

      if (g_strcmp0 (json_object_get_string_member (account, "client"), client) == 0 &&
          g_strcmp0 (json_object_get_string_member_with_default (account, "address", NULL), address) == 0 &&
          g_strcmp0 (json_object_get_string_member (account, "protocol"), protocol) == 0)
        {
          g_assert_null (found);
          found = account;
        }
    }

  if (found == NULL)
    g_error ("No %s %s account for %s in the JSON", client, protocol, address);

  return found;
}

static gboolean
has_finding (JsonObject *account,
             const char *id)
{
  JsonArray *findings = json_object_get_array_member (account, "findings");

  for (guint i = 0; i < json_array_get_length (findings); i++)
    {
      if (g_str_equal (json_object_get_string_member (json_array_get_object_element (findings, i), "id"), id))
        return TRUE;
    }

  return FALSE;
}

static JsonNode *
parse (const char *text)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  json_parser_load_from_data (parser, text, -1, &error);
  g_assert_no_error (error);

  return json_node_copy (json_parser_get_root (parser));
}

static void
test_json_demo_home (void)
{
  g_autoptr(MendTestScan) scan = mend_test_scan_new ("demo");
  g_auto(Run) run = { 0 };
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *prefs = NULL;
  JsonArray *accounts;
  JsonObject *alice;
  JsonObject *carol;
  JsonObject *bob;

  run_scan (scan, &run, "--json", NULL);
  g_assert_cmpint (run.exit_status, ==, 0);

  root = parse (run.stdout_text);
  accounts = json_object_get_array_member (json_node_get_object (root), "accounts");
  g_assert_nonnull (json_object_get_array_member (json_node_get_object (root), "findings"));

  /* Microsoft accounts only: Thunderbird (IMAP, SMTP), Evolution (IMAP, SMTP),
   * msmtp (SMTP), Geary (IMAP, SMTP); not Alice's Gmail. */
  g_assert_cmpuint (json_array_get_length (accounts), ==, 7);

  alice = find_account (accounts, "thunderbird", "alice.martin@outlook.com", "imap");
  prefs = mend_test_scan_path (scan, ".thunderbird/k3x9wq2e.default-release/prefs.js");
  g_assert_cmpstr (json_object_get_string_member (alice, "source"), ==, prefs);
  g_assert_cmpstr (json_object_get_string_member (alice, "client_version"), ==, "128.5.0");
  g_assert_cmpstr (json_object_get_string_member (alice, "host"), ==, "outlook.office365.com");
  g_assert_cmpint (json_object_get_int_member (alice, "port"), ==, 993);
  g_assert_cmpstr (json_object_get_string_member (alice, "security"), ==, "tls");
  g_assert_cmpstr (json_object_get_string_member (alice, "auth"), ==, "password");
  g_assert_true (json_object_get_boolean_member (alice, "microsoft"));
  g_assert_true (has_finding (alice, "basic-auth"));
  g_assert_cmpuint (strlen (json_object_get_string_member (alice, "id")), ==, 16);

  alice = find_account (accounts, "thunderbird", "alice.martin@outlook.com", "smtp");
  g_assert_cmpint (json_object_get_int_member (alice, "port"), ==, 587);
  g_assert_cmpstr (json_object_get_string_member (alice, "security"), ==, "starttls");

  bob = find_account (accounts, "evolution", "bob.durand@hotmail.com", "imap");
  g_assert_cmpstr (json_object_get_string_member (bob, "auth"), ==, "oauth2");
  g_assert_true (has_finding (bob, "oauth-ready"));
  g_assert_false (has_finding (bob, "basic-auth"));

  carol = find_account (accounts, "msmtp", "carol.petit@contoso.com", "smtp");
  g_assert_cmpstr (json_object_get_string_member (carol, "host"), ==, "smtp.office365.com");
  g_assert_cmpint (json_object_get_int_member (carol, "port"), ==, 587);
  g_assert_cmpstr (json_object_get_string_member (carol, "security"), ==, "starttls");
  g_assert_true (has_finding (carol, "basic-auth"));

  g_assert_true (has_finding (find_account (accounts, "geary", "dave.leroy@outlook.com", "imap"),
                              "no-oauth-path"));

  /* The command that fetches Carol's password is never run, nor shown. */
  g_assert_null (strstr (run.stdout_text, "secret-tool"));

  mend_test_scan_assert_unchanged (scan);
}

static void
test_json_ids_are_stable (void)
{
  g_autoptr(MendTestScan) scan = mend_test_scan_new ("demo");
  g_auto(Run) first = { 0 };
  g_auto(Run) second = { 0 };

  run_scan (scan, &first, "--json", NULL);
  run_scan (scan, &second, "--json", NULL);

  /* Same home, same output, ids included. */
  g_assert_cmpstr (first.stdout_text, ==, second.stdout_text);
}

static void
test_all_lists_every_account (void)
{
  g_autoptr(MendTestScan) scan = mend_test_scan_new ("demo");
  g_auto(Run) run = { 0 };
  g_autoptr(JsonNode) root = NULL;
  JsonArray *accounts;
  JsonObject *gmail;

  run_scan (scan, &run, "--json", "--all", NULL);
  root = parse (run.stdout_text);
  accounts = json_object_get_array_member (json_node_get_object (root), "accounts");

  g_assert_cmpuint (json_array_get_length (accounts), ==, 9);
  gmail = find_account (accounts, "thunderbird", "alice.martin.family@gmail.com", "imap");
  g_assert_false (json_object_get_boolean_member (gmail, "microsoft"));
  g_assert_cmpstr (json_object_get_string_member (gmail, "auth"), ==, "oauth2");
  /* OAuth 2.0 with Google is not ours to report. */
  g_assert_false (has_finding (gmail, "oauth-ready"));
}

static void
test_text_output (void)
{
  g_autoptr(MendTestScan) scan = mend_test_scan_new ("demo");
  g_auto(Run) run = { 0 };

  run_scan (scan, &run, NULL);

  g_assert_cmpint (run.exit_status, ==, 0);
  g_assert_nonnull (strstr (run.stdout_text, "Thunderbird 128.5.0"));
  g_assert_nonnull (strstr (run.stdout_text, "alice.martin@outlook.com"));
  g_assert_nonnull (strstr (run.stdout_text, "outlook.office365.com:993"));
  g_assert_nonnull (strstr (run.stdout_text, "Signs in with a password"));
  g_assert_null (strstr (run.stdout_text, "gmail"));
  g_assert_null (strstr (run.stdout_text, "secret-tool"));
}

static void
test_empty_home (void)
{
  g_autoptr(MendTestScan) scan = mend_test_scan_new ("empty");
  g_auto(Run) run = { 0 };
  g_autoptr(JsonNode) root = NULL;

  run_scan (scan, &run, NULL);
  g_assert_cmpint (run.exit_status, ==, 0);
  g_assert_nonnull (strstr (run.stdout_text, "No Microsoft mail accounts found."));

  run_clear (&run);
  run_scan (scan, &run, "--json", NULL);
  root = parse (run.stdout_text);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (json_node_get_object (root), "accounts")), ==, 0);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (json_node_get_object (root), "findings")), ==, 0);
}

static const char *clients[] = {
  "thunderbird", "evolution", "goa", "geary", "kmail", "claws-mail", "sylpheed", "neomutt", "mutt",
  "msmtp", "mbsync", "aerc", "himalaya", "fetchmail", "offlineimap", "alpine", NULL,
};

static gboolean
is_one_of (const char         *value,
           const char * const *allowed)
{
  return value != NULL && g_strv_contains (allowed, value);
}

static void
assert_account_contract (MendTestScan *scan,
                         JsonObject   *account)
{
  static const char *protocols[] = { "imap", "pop3", "smtp", "ews", "graph", NULL };
  static const char *securities[] = { "tls", "starttls", "none", NULL };
  static const char *auths[] = { "password", "oauth2", "none", "other", NULL };
  static const char *severities[] = { "error", "warning", "info", NULL };
  const char *id = json_object_get_string_member (account, "id");
  const char *source = json_object_get_string_member (account, "source");
  JsonArray *findings = json_object_get_array_member (account, "findings");
  gint64 port = json_object_get_int_member (account, "port");

  g_assert_cmpuint (strlen (id), ==, 16);
  for (const char *c = id; *c; c++)
    g_assert_true (g_ascii_isxdigit (*c));

  g_assert_true (is_one_of (json_object_get_string_member (account, "client"), clients));
  g_assert_true (is_one_of (json_object_get_string_member (account, "protocol"), protocols));
  g_assert_true (is_one_of (json_object_get_string_member (account, "security"), securities));
  g_assert_true (is_one_of (json_object_get_string_member (account, "auth"), auths));
  g_assert_cmpint (port, >, 0);
  g_assert_cmpint (port, <=, 65535);

  /* The source is an absolute path to a file of the scanned home. */
  g_assert_true (g_path_is_absolute (source));
  g_assert_true (g_str_has_prefix (source, scan->home));
  g_assert_true (g_file_test (source, G_FILE_TEST_IS_REGULAR));

  g_assert_true (JSON_NODE_HOLDS_VALUE (json_object_get_member (account, "microsoft")));
  g_assert_true (json_object_has_member (account, "client_version"));
  g_assert_true (json_object_has_member (account, "profile"));
  g_assert_true (json_object_has_member (account, "address"));
  g_assert_true (json_object_has_member (account, "username"));

  for (guint i = 0; i < json_array_get_length (findings); i++)
    {
      JsonObject *finding = json_array_get_object_element (findings, i);

      g_assert_true (json_object_get_string_member (finding, "id")[0] != '\0');
      g_assert_true (is_one_of (json_object_get_string_member (finding, "severity"), severities));
      g_assert_true (json_object_get_string_member (finding, "title")[0] != '\0');
      g_assert_true (json_object_has_member (finding, "remedy"));
    }
}

/* One line of tests/fixtures/homes.expected. */
static void
test_fixture_home (gconstpointer data)
{
  g_auto(GStrv) fields = g_strsplit (data, " ", -1);
  g_autoptr(MendTestScan) scan = mend_test_scan_new (fields[0]);
  g_auto(Run) run = { 0 };
  g_autoptr(JsonNode) root = NULL;
  JsonArray *accounts;
  JsonArray *findings;
  guint n_microsoft = 0;

  g_assert_cmpuint (g_strv_length (fields), ==, 4);

  run_scan (scan, &run, "--json", "--all", NULL);
  g_assert_cmpint (run.exit_status, ==, 0);
  root = parse (run.stdout_text);
  accounts = json_object_get_array_member (json_node_get_object (root), "accounts");
  findings = json_object_get_array_member (json_node_get_object (root), "findings");

  for (guint i = 0; i < json_array_get_length (accounts); i++)
    {
      JsonObject *account = json_array_get_object_element (accounts, i);

      assert_account_contract (scan, account);
      if (json_object_get_boolean_member (account, "microsoft"))
        n_microsoft++;
    }

  g_assert_cmpuint (json_array_get_length (accounts), ==, g_ascii_strtoull (fields[1], NULL, 10));
  g_assert_cmpuint (n_microsoft, ==, g_ascii_strtoull (fields[2], NULL, 10));
  g_assert_cmpuint (json_array_get_length (findings), ==, g_ascii_strtoull (fields[3], NULL, 10));
  for (guint i = 0; i < json_array_get_length (findings); i++)
    g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (findings, i), "id"),
                     ==, "config-unreadable");

  /* Without --all, exactly the Microsoft ones. */
  run_clear (&run);
  g_clear_pointer (&root, json_node_unref);
  run_scan (scan, &run, "--json", NULL);
  root = parse (run.stdout_text);
  accounts = json_object_get_array_member (json_node_get_object (root), "accounts");
  g_assert_cmpuint (json_array_get_length (accounts), ==, n_microsoft);

  mend_test_scan_assert_unchanged (scan);
}

static void
add_fixture_home_tests (void)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "fixtures", "homes.expected", NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;
  g_autoptr(GDir) homes = NULL;
  g_autofree char *homes_path = g_test_build_filename (G_TEST_DIST, "fixtures", "homes", NULL);
  guint n_listed = 0;
  guint n_homes = 0;

  g_file_get_contents (path, &contents, NULL, &error);
  g_assert_no_error (error);
  lines = g_strsplit (contents, "\n", -1);

  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_autofree char *test_path = NULL;
      char *line = g_strstrip (lines[i]);

      if (line[0] == '\0' || line[0] == '#')
        continue;

      test_path = g_strdup_printf ("/cli/scan/home/%.*s", (int) strcspn (line, " "), line);
      g_test_add_data_func_full (test_path, g_strdup (line), test_fixture_home, g_free);
      n_listed++;
    }

  /* Every fixture home is listed: a new one cannot go untested. */
  homes = g_dir_open (homes_path, 0, &error);
  g_assert_no_error (error);
  while (g_dir_read_name (homes))
    n_homes++;
  g_assert_cmpuint (n_listed, ==, n_homes);
}

static void
test_bad_arguments (void)
{
  g_autoptr(MendTestScan) scan = mend_test_scan_new ("empty");
  g_auto(Run) run = { 0 };

  run_scan (scan, &run, "--frobnicate", NULL);
  g_assert_cmpint (run.exit_status, ==, 2);
  g_assert_cmpstr (run.stdout_text, ==, "");

  run_clear (&run);
  run_scan (scan, &run, "extra", NULL);
  g_assert_cmpint (run.exit_status, ==, 2);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/cli/scan/json-demo-home", test_json_demo_home);
  g_test_add_func ("/cli/scan/ids-are-stable", test_json_ids_are_stable);
  g_test_add_func ("/cli/scan/all", test_all_lists_every_account);
  g_test_add_func ("/cli/scan/text", test_text_output);
  g_test_add_func ("/cli/scan/empty-home", test_empty_home);
  g_test_add_func ("/cli/scan/bad-arguments", test_bad_arguments);
  add_fixture_home_tests ();

  return g_test_run ();
}
