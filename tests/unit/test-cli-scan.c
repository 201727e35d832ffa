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

#include "mend-test-cli.h"
#include "mend-test-scan.h"

/* Runs `mailmend scan ARGS…` on the scan's home. */
static MendTestRun *
run_scan (MendTestScan *scan,
          ...)
{
  g_autofree char *home = g_strconcat ("HOME=", scan->home, NULL);
  g_autofree char *config = g_strconcat ("XDG_CONFIG_HOME=", scan->home, "/.config", NULL);
  g_autofree char *proc_dir = g_test_build_filename (G_TEST_DIST, "fixtures", "proc", NULL);
  g_autofree char *proc_env = g_strconcat ("MAILMEND_PROC_DIR=", proc_dir, NULL);
  const char *env[] = { home, config, proc_env, NULL };
  MendTestRun *run;
  va_list args;

  va_start (args, scan);
  run = mend_test_run_cli_valist (env, NULL, "scan", args);
  va_end (args);

  return run;
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

static void
test_json_demo_home (void)
{
  g_autoptr(MendTestScan) scan = mend_test_scan_new ("demo");
  g_autoptr(MendTestRun) run = NULL;
  g_autoptr(JsonObject) root = NULL;
  g_autofree char *prefs = NULL;
  JsonArray *accounts;
  JsonObject *alice;
  JsonObject *carol;
  JsonObject *bob;

  run = run_scan (scan, "--json", NULL);
  g_assert_cmpint (run->exit_status, ==, 0);

  root = mend_test_parse_json_object (run->out);
  accounts = json_object_get_array_member (root, "accounts");
  g_assert_nonnull (json_object_get_array_member (root, "findings"));

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
  g_assert_true (mend_test_json_has_finding (alice, "basic-auth"));
  g_assert_cmpuint (strlen (json_object_get_string_member (alice, "id")), ==, 16);

  alice = find_account (accounts, "thunderbird", "alice.martin@outlook.com", "smtp");
  g_assert_cmpint (json_object_get_int_member (alice, "port"), ==, 587);
  g_assert_cmpstr (json_object_get_string_member (alice, "security"), ==, "starttls");

  bob = find_account (accounts, "evolution", "bob.durand@hotmail.com", "imap");
  g_assert_cmpstr (json_object_get_string_member (bob, "auth"), ==, "oauth2");
  g_assert_true (mend_test_json_has_finding (bob, "oauth-ready"));
  g_assert_false (mend_test_json_has_finding (bob, "basic-auth"));

  carol = find_account (accounts, "msmtp", "carol.petit@contoso.com", "smtp");
  g_assert_cmpstr (json_object_get_string_member (carol, "host"), ==, "smtp.office365.com");
  g_assert_cmpint (json_object_get_int_member (carol, "port"), ==, 587);
  g_assert_cmpstr (json_object_get_string_member (carol, "security"), ==, "starttls");
  g_assert_true (mend_test_json_has_finding (carol, "basic-auth"));

  g_assert_true (mend_test_json_has_finding (find_account (accounts, "geary",
                                                          "dave.leroy@outlook.com", "imap"),
                                             "no-oauth-path"));

  /* The command that fetches Carol's password is never run, nor shown. */
  g_assert_null (strstr (run->out, "secret-tool"));

  mend_test_scan_assert_unchanged (scan);
}

static void
test_json_ids_are_stable (void)
{
  g_autoptr(MendTestScan) scan = mend_test_scan_new ("demo");
  g_autoptr(MendTestRun) first = NULL;
  g_autoptr(MendTestRun) second = NULL;

  first = run_scan (scan, "--json", NULL);
  second = run_scan (scan, "--json", NULL);

  /* Same home, same output, ids included. */
  g_assert_cmpstr (first->out, ==, second->out);
}

static void
test_all_lists_every_account (void)
{
  g_autoptr(MendTestScan) scan = mend_test_scan_new ("demo");
  g_autoptr(MendTestRun) run = NULL;
  g_autoptr(JsonObject) root = NULL;
  JsonArray *accounts;
  JsonObject *gmail;

  run = run_scan (scan, "--json", "--all", NULL);
  root = mend_test_parse_json_object (run->out);
  accounts = json_object_get_array_member (root, "accounts");

  g_assert_cmpuint (json_array_get_length (accounts), ==, 9);
  gmail = find_account (accounts, "thunderbird", "alice.martin.family@gmail.com", "imap");
  g_assert_false (json_object_get_boolean_member (gmail, "microsoft"));
  g_assert_cmpstr (json_object_get_string_member (gmail, "auth"), ==, "oauth2");
  /* OAuth 2.0 with Google is not ours to report. */
  g_assert_false (mend_test_json_has_finding (gmail, "oauth-ready"));
}

static void
test_text_output (void)
{
  g_autoptr(MendTestScan) scan = mend_test_scan_new ("demo");
  g_autoptr(MendTestRun) run = NULL;

  run = run_scan (scan, NULL);

  g_assert_cmpint (run->exit_status, ==, 0);
  g_assert_nonnull (strstr (run->out, "Thunderbird 128.5.0"));
  g_assert_nonnull (strstr (run->out, "alice.martin@outlook.com"));
  g_assert_nonnull (strstr (run->out, "outlook.office365.com:993"));
  g_assert_nonnull (strstr (run->out, "Signs in with a password"));
  g_assert_null (strstr (run->out, "gmail"));
  g_assert_null (strstr (run->out, "secret-tool"));
}

static void
test_empty_home (void)
{
  g_autoptr(MendTestScan) scan = mend_test_scan_new ("empty");
  g_autoptr(MendTestRun) run = NULL;
  g_autoptr(JsonObject) root = NULL;

  run = run_scan (scan, NULL);
  g_assert_cmpint (run->exit_status, ==, 0);
  g_assert_nonnull (strstr (run->out, "No Microsoft mail accounts found."));

  g_clear_pointer (&run, mend_test_run_free);
  run = run_scan (scan, "--json", NULL);
  root = mend_test_parse_json_object (run->out);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (root, "accounts")), ==, 0);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (root, "findings")), ==, 0);
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
  g_autoptr(MendTestRun) run = NULL;
  g_autoptr(JsonObject) root = NULL;
  JsonArray *accounts;
  JsonArray *findings;
  guint n_microsoft = 0;

  g_assert_cmpuint (g_strv_length (fields), ==, 4);

  run = run_scan (scan, "--json", "--all", NULL);
  g_assert_cmpint (run->exit_status, ==, 0);
  root = mend_test_parse_json_object (run->out);
  accounts = json_object_get_array_member (root, "accounts");
  findings = json_object_get_array_member (root, "findings");

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
  g_clear_pointer (&run, mend_test_run_free);
  g_clear_pointer (&root, json_object_unref);
  run = run_scan (scan, "--json", NULL);
  root = mend_test_parse_json_object (run->out);
  accounts = json_object_get_array_member (root, "accounts");
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
  g_autoptr(MendTestRun) run = NULL;

  run = run_scan (scan, "--frobnicate", NULL);
  g_assert_cmpint (run->exit_status, ==, 2);
  g_assert_cmpstr (run->out, ==, "");

  g_clear_pointer (&run, mend_test_run_free);
  run = run_scan (scan, "extra", NULL);
  g_assert_cmpint (run->exit_status, ==, 2);
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
