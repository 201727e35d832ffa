/* test-cli-analyze-log.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * `mailmend analyze-log`: text and JSON on real-format logs, a log on stdin,
 * the exit statuses, and no planted secret in what it prints, not even with
 * debug logging on.
 */

#include "config.h"

#include <string.h>

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "mend-test-cli.h"

static char *
fixture_path (const char *name)
{
  return g_test_build_filename (G_TEST_DIST, "fixtures", "logs", name, NULL);
}

/* Runs `mailmend analyze-log ARGS…` with @input (or nothing) on stdin, and debug output on. */
static MendTestRun *
run_analyze (const char *input,
             ...)
{
  const char *env[] = { "G_MESSAGES_DEBUG=all", NULL };
  MendTestRun *run;
  va_list args;

  va_start (args, input);
  run = mend_test_run_cli_valist (env, input, "analyze-log", args);
  va_end (args);

  return run;
}

/* Short names for the JSON accessors the checks use again and again. */
static const char *
string_of (JsonObject *object,
           const char *member)
{
  return json_object_get_string_member (object, member);
}

static JsonArray *
array_of (JsonObject *object,
          const char *member)
{
  return json_object_get_array_member (object, member);
}

static JsonObject *
nth (JsonArray *array,
     guint      index)
{
  return json_array_get_object_element (array, index);
}

static void
test_text (void)
{
  g_auto(GStrv) secrets = mend_test_planted_log_secrets ();
  g_autofree char *path = fixture_path ("msmtp-xoauth2-rejected.log");
  g_autoptr(MendTestRun) run = NULL;

  run = run_analyze (NULL, path, NULL);

  g_assert_cmpint (run->exit_status, ==, 1);
  g_assert_true (g_str_has_prefix (run->out, "Log: msmtp (--debug), 59 lines\n"));
  g_assert_nonnull (strstr (run->out, "\n✗ The server refused the sign-in token\n"));
  g_assert_nonnull (strstr (run->out, "    lines: 56, 57, 58\n"));
  g_assert_nonnull (strstr (run->out, "    line 56: <-- 535 5.7.3 Authentication unsuccessful"));
  mend_test_assert_no_piece (run, (const char * const *) secrets);
}

static void
test_json (void)
{
  g_autofree char *path = fixture_path ("thunderbird-xoauth2-rejected.log");
  g_autoptr(MendTestRun) run = NULL;
  g_autoptr(JsonObject) root = NULL;
  JsonObject *finding;
  JsonArray *findings;

  run = run_analyze (NULL, path, "--json", NULL);
  g_assert_cmpint (run->exit_status, ==, 1);

  root = mend_test_parse_json_object (run->out);
  g_assert_cmpstr (string_of (root, "format"), ==, "thunderbird");
  g_assert_cmpstr (string_of (root, "format_name"), ==, "Thunderbird (MOZ_LOG)");
  g_assert_cmpint (json_object_get_int_member (root, "lines"), ==, 22);

  findings = array_of (root, "findings");
  g_assert_cmpuint (json_array_get_length (findings), ==, 1);
  finding = nth (findings, 0);
  g_assert_cmpstr (string_of (finding, "id"), ==, "token-rejected");
  g_assert_cmpstr (string_of (finding, "severity"), ==, "error");
  g_assert_nonnull (string_of (finding, "title"));
  g_assert_nonnull (string_of (finding, "remedy"));
  g_assert_cmpint (json_object_get_int_member (finding, "line"), ==, 10);
  g_assert_cmpint (json_object_get_int_member (finding, "occurrences"), ==, 2);
}

/* No known problem: exit 0, and the finding says so, with no line. */
static void
test_clean (void)
{
  g_autofree char *path = fixture_path ("thunderbird-clean.log");
  g_autoptr(MendTestRun) run = NULL;
  g_autoptr(JsonObject) root = NULL;
  JsonObject *finding;

  run = run_analyze (NULL, "--json", path, NULL);
  g_assert_cmpint (run->exit_status, ==, 0);

  root = mend_test_parse_json_object (run->out);
  finding = nth (array_of (root, "findings"), 0);
  g_assert_cmpstr (string_of (finding, "id"), ==, "log-no-known-problem");
  g_assert_true (json_object_get_null_member (finding, "line"));
}

static void
test_stdin (void)
{
  g_auto(GStrv) secrets = mend_test_planted_log_secrets ();
  g_autofree char *path = fixture_path ("secrets-everywhere.log");
  g_autofree char *contents = NULL;
  g_autoptr(MendTestRun) run = NULL;
  g_autoptr(MendTestRun) empty = NULL;

  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  run = run_analyze (contents, "-", NULL);
  g_assert_cmpint (run->exit_status, ==, 1);
  g_assert_nonnull (strstr (run->out, "The server no longer accepts passwords"));
  g_assert_nonnull (strstr (run->out, "[redacted]"));
  mend_test_assert_no_piece (run, (const char * const *) secrets);

  empty = run_analyze ("", "-", NULL);
  g_assert_cmpint (empty->exit_status, ==, 0);
  g_assert_nonnull (strstr (empty->out, "The log is empty"));
}

/* Every fixture, in both formats: never a secret, even in the debug output. */
static void
test_no_secret_anywhere (void)
{
  g_auto(GStrv) secrets = mend_test_planted_log_secrets ();
  g_autofree char *dir = g_test_build_filename (G_TEST_DIST, "fixtures", "logs", NULL);
  g_autoptr(GDir) listing = g_dir_open (dir, 0, NULL);
  const char *name;
  guint n_logs = 0;

  g_assert_nonnull (listing);
  while ((name = g_dir_read_name (listing)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);
      g_autoptr(MendTestRun) text = NULL;
      g_autoptr(MendTestRun) json = NULL;

      if (!g_str_has_suffix (name, ".log"))
        continue;

      text = run_analyze (NULL, path, NULL);
      json = run_analyze (NULL, path, "--json", NULL);
      mend_test_assert_no_piece (text, (const char * const *) secrets);
      mend_test_assert_no_piece (json, (const char * const *) secrets);
      g_assert_cmpint (text->exit_status, ==, json->exit_status);
      n_logs++;
    }

  g_assert_cmpuint (n_logs, >=, 15);
}

static void
test_errors (void)
{
  g_autofree char *dir = g_test_build_filename (G_TEST_DIST, "fixtures", "logs", NULL);
  g_autoptr(MendTestRun) missing = NULL;
  g_autoptr(MendTestRun) directory = NULL;
  g_autoptr(MendTestRun) none = NULL;
  g_autoptr(MendTestRun) two = NULL;
  g_autoptr(MendTestRun) option = NULL;

  missing = run_analyze (NULL, "/nonexistent/mail.log", NULL);
  g_assert_cmpint (missing->exit_status, ==, 1);
  g_assert_cmpstr (missing->out, ==, "");
  g_assert_nonnull (strstr (missing->err, "Cannot read /nonexistent/mail.log"));

  directory = run_analyze (NULL, dir, NULL);
  g_assert_cmpint (directory->exit_status, ==, 1);
  g_assert_cmpstr (directory->out, ==, "");
  g_assert_nonnull (strstr (directory->err, "Cannot read"));

  none = run_analyze (NULL, NULL);
  g_assert_cmpint (none->exit_status, ==, 2);
  two = run_analyze (NULL, "a.log", "b.log", NULL);
  g_assert_cmpint (two->exit_status, ==, 2);
  option = run_analyze (NULL, "--bogus", "a.log", NULL);
  g_assert_cmpint (option->exit_status, ==, 2);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_set_prgname ("test-cli-analyze-log");

  g_test_add_func ("/cli-analyze-log/text", test_text);
  g_test_add_func ("/cli-analyze-log/json", test_json);
  g_test_add_func ("/cli-analyze-log/clean", test_clean);
  g_test_add_func ("/cli-analyze-log/stdin", test_stdin);
  g_test_add_func ("/cli-analyze-log/no-secret-anywhere", test_no_secret_anywhere);
  g_test_add_func ("/cli-analyze-log/errors", test_errors);

  return g_test_run ();
}
