/* test-cli-report.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * `mailmend report` on the demo home: the three formats, masked addresses,
 * --output written whole (and private), usage errors. Without a session
 * bus: the report still goes out, and says the keyring could not be reached.
 * Microsoft's status at a closed port: unknown, and said so. Changes made
 * through the journal appear under “What was changed”; a journal that cannot
 * be read is a finding, not a failure. The sign-ins of a real keyring are in
 * tests/integration/test-cli-report-keyring.c.
 */

#include "config.h"

#include <string.h>
#include <sys/stat.h>

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "mend-journal.h"
#include "mend-test-cli.h"
#include "mend-test-scan.h"

/* Nothing listens on port 1: the status check fails at once, and the test never reaches
 * the internet. */
#define CLOSED_STATUS_URL "http://127.0.0.1:1/api/posts/m365Consumer"

static const char * const demo_addresses[] = {
  "alice.martin@outlook.com", "bob.durand@hotmail.com", "carol.petit@contoso.com",
  "dave.leroy@outlook.com",
};

/* Runs `mailmend report ARGS…` on the scan's home. */
static MendTestRun *
run_report (MendTestScan *scan,
            ...)
{
  g_autofree char *home = g_strconcat ("HOME=", scan->home, NULL);
  g_autofree char *config = g_strconcat ("XDG_CONFIG_HOME=", scan->home, "/.config", NULL);
  g_autofree char *state = g_strconcat ("XDG_STATE_HOME=", scan->home, "/.local/state", NULL);
  g_autofree char *cache = g_strconcat ("XDG_CACHE_HOME=", scan->home, "/.cache", NULL);
  g_autofree char *proc_dir = g_test_build_filename (G_TEST_DIST, "fixtures", "proc", NULL);
  g_autofree char *proc_env = g_strconcat ("MAILMEND_PROC_DIR=", proc_dir, NULL);
  const char *env[] = {
    home, config, state, cache, proc_env,
    "MAILMEND_STATUS_URL=" CLOSED_STATUS_URL,
    /* No keyring: the test never sees, nor depends on, the sign-ins of the machine. */
    "DBUS_SESSION_BUS_ADDRESS",
    NULL
  };
  MendTestRun *run;
  va_list args;

  va_start (args, scan);
  run = mend_test_run_cli_valist (env, NULL, "report", args);
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
  g_autoptr(MendTestScan) scan = mend_test_scan_new ("demo");
  g_autoptr(MendTestRun) run = NULL;

  run = run_report (scan, NULL);

  g_assert_cmpint (run->exit_status, ==, 0);
  g_assert_true (g_str_has_prefix (run->out, "Mailmend support report\n"));
  g_assert_nonnull (strstr (run->out, "\nMail accounts\n"));
  g_assert_nonnull (strstr (run->out, "Thunderbird 128.5.0 — alice.martin@outlook.com\n"));
  g_assert_nonnull (strstr (run->out, "\nSign-ins kept by Mailmend\n"));
  g_assert_nonnull (strstr (run->out, "The keyring is not available (keyring-unavailable)"));
  g_assert_nonnull (strstr (run->out, "(service-status-unknown)\n"));
  g_assert_nonnull (strstr (run->out, "\nWhat was changed\n"));
  g_assert_nonnull (strstr (run->out, "No changes recorded.\n"));
  g_assert_cmpstr (run->err, ==, "");
  mend_test_scan_assert_unchanged (scan);
}

static void
test_json (void)
{
  g_autoptr(MendTestScan) scan = mend_test_scan_new ("demo");
  g_autoptr(MendTestRun) run = NULL;
  g_autoptr(JsonObject) root = NULL;
  JsonObject *status;
  JsonArray *accounts, *status_findings;

  run = run_report (scan, "--format", "json", NULL);
  g_assert_cmpint (run->exit_status, ==, 0);

  root = mend_test_parse_json_object (run->out);
  g_assert_cmpint (json_object_get_int_member (root, "report_version"), ==, 1);
  g_assert_false (json_object_get_boolean_member (root, "addresses_masked"));
  g_assert_nonnull (json_object_get_object_member (root, "system"));
  /* Checked, and unknown: why is in the finding's details. */
  status = json_object_get_object_member (root, "service_status");
  g_assert_true (json_object_get_boolean_member (status, "checked"));
  status_findings = array_of (status, "findings");
  g_assert_cmpuint (json_array_get_length (status_findings), ==, 1);
  g_assert_cmpstr (string_of (nth (status_findings, 0), "id"), ==, "service-status-unknown");
  g_assert_nonnull (strstr (string_of (nth (status_findings, 0), "details"), "127.0.0.1"));
  g_assert_cmpuint (json_array_get_length (array_of (root, "sign_ins")), ==, 0);
  g_assert_cmpuint (json_array_get_length (array_of (root, "changes")), ==, 0);
  g_assert_true (mend_test_json_has_finding (root, "keyring-unavailable"));

  /* The same accounts as `mailmend scan`: Microsoft's, one per server. */
  accounts = array_of (root, "accounts");
  g_assert_cmpuint (json_array_get_length (accounts), ==, 7);
  for (guint i = 0; i < json_array_get_length (accounts); i++)
    {
      JsonObject *account = nth (accounts, i);

      g_assert_nonnull (string_of (account, "client"));
      g_assert_nonnull (string_of (account, "client_name"));
      g_assert_nonnull (string_of (account, "address"));
      g_assert_nonnull (array_of (account, "findings"));
    }
}

static void
test_markdown (void)
{
  g_autoptr(MendTestScan) scan = mend_test_scan_new ("demo");
  g_autoptr(MendTestRun) run = NULL;

  run = run_report (scan, "--format", "markdown", NULL);

  g_assert_cmpint (run->exit_status, ==, 0);
  g_assert_true (g_str_has_prefix (run->out, "# Mailmend support report\n"));
  g_assert_nonnull (strstr (run->out, "\n## Mail accounts\n"));
  g_assert_nonnull (strstr (run->out, "### Thunderbird 128.5.0 — `alice.martin@outlook.com`\n"));
}

static void
test_masked (void)
{
  g_autoptr(MendTestScan) scan = mend_test_scan_new ("demo");
  const char *formats[] = { "text", "markdown", "json" };

  for (guint i = 0; i < G_N_ELEMENTS (formats); i++)
    {
      g_autoptr(MendTestRun) run = NULL;

      run = run_report (scan, "--mask-addresses", "--format", formats[i], NULL);
      g_assert_cmpint (run->exit_status, ==, 0);

      for (guint j = 0; j < G_N_ELEMENTS (demo_addresses); j++)
        g_assert_null (strstr (run->out, demo_addresses[j]));
      g_assert_null (strstr (run->out, "contoso"));
      g_assert_nonnull (strstr (run->out, "user1@outlook.com"));
      g_assert_nonnull (strstr (run->out, "@org1.example"));
    }
}

static void
test_output (void)
{
  g_autoptr(MendTestScan) scan = mend_test_scan_new ("demo");
  g_autofree char *output = g_build_filename (scan->home, "report.json", NULL);
  g_autofree char *contents = NULL;
  g_autoptr(JsonObject) written = NULL;
  g_autoptr(MendTestRun) run = NULL;
  g_autoptr(MendTestRun) replaced = NULL;
  g_autoptr(MendTestRun) unwritable = NULL;
  GStatBuf info;

  run = run_report (scan, "--format", "json", "--output", output, NULL);
  g_assert_cmpint (run->exit_status, ==, 0);
  g_assert_cmpstr (run->out, ==, "");
  g_assert_nonnull (strstr (run->err, output));

  g_assert_true (g_file_get_contents (output, &contents, NULL, NULL));
  written = mend_test_parse_json_object (contents);
  g_assert_cmpint (g_stat (output, &info), ==, 0);
  g_assert_cmpint (info.st_mode & 0777, ==, 0600);

  /* Written again: replaced whole, no temporary file left behind. */
  replaced = run_report (scan, "-o", output, NULL);
  g_assert_cmpint (replaced->exit_status, ==, 0);
  g_clear_pointer (&contents, g_free);
  g_assert_true (g_file_get_contents (output, &contents, NULL, NULL));
  g_assert_true (g_str_has_prefix (contents, "Mailmend support report\n"));
  g_unlink (output);

  unwritable = run_report (scan, "--output", "/nonexistent/folder/report.txt", NULL);
  g_assert_cmpint (unwritable->exit_status, ==, 1);
  g_assert_cmpstr (unwritable->out, ==, "");
  g_assert_cmpstr (unwritable->err, !=, "");

  mend_test_scan_assert_unchanged (scan);
}

/* Changes @path as a repair would (a line added), through the journal of the report's
 * XDG_STATE_HOME; returns the change's id. */
static char *
apply_change (MendJournal *journal,
              const char  *path,
              const char  *address)
{
  g_autoptr(MendAccount) account = mend_account_new ("msmtp", path, "contoso", MEND_PROTOCOL_SMTP);
  g_autoptr(GPtrArray) accounts = g_ptr_array_new ();
  g_autoptr(MendRepairPlan) plan = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *changed = NULL;
  char *change_id = NULL;

  mend_account_set_address (account, address);
  g_ptr_array_add (accounts, account);
  plan = mend_repair_plan_new ("msmtp", "msmtp", accounts);

  mend_repair_plan_read_file (plan, path, &contents, NULL, &error);
  g_assert_no_error (error);
  changed = g_strconcat (contents, "# Switched to OAuth 2.0\n", NULL);
  mend_repair_plan_write_file (plan, path, changed, -1);

  g_assert_true (mend_journal_apply (journal, plan, &change_id, &error));
  g_assert_no_error (error);

  return change_id;
}

static JsonObject *
find_change (JsonArray  *changes,
             const char *change_id)
{
  for (guint i = 0; i < json_array_get_length (changes); i++)
    {
      if (g_str_equal (string_of (nth (changes, i), "change_id"), change_id))
        return nth (changes, i);
    }

  g_error ("No change %s in the report", change_id);
}

/* The journal's changes, newest first: one still in effect, one undone. */
static void
test_history (void)
{
  g_autoptr(MendTestScan) scan = mend_test_scan_new ("demo");
  g_autofree char *journal_dir = g_build_filename (scan->home, ".local", "state", "mailmend",
                                                   NULL);
  g_autofree char *msmtprc = g_build_filename (scan->home, ".msmtprc", NULL);
  g_autofree char *muttrc = g_build_filename (scan->home, ".muttrc", NULL);
  g_autoptr(MendJournal) journal = mend_journal_new (journal_dir);
  g_autoptr(GError) error = NULL;
  g_autofree char *undone_id = NULL;
  g_autofree char *applied_id = NULL;
  g_autofree char *undone_line = NULL;
  g_autoptr(MendTestRun) text = NULL;
  g_autoptr(MendTestRun) json = NULL;
  g_autoptr(JsonObject) root = NULL;
  JsonObject *applied, *undone;
  JsonArray *changes, *files;

  g_file_set_contents (muttrc, "set imap_user = \"carol.petit@contoso.com\"\n", -1, &error);
  g_assert_no_error (error);
  undone_id = apply_change (journal, muttrc, "carol.petit@contoso.com");
  g_assert_true (mend_journal_undo (journal, undone_id, &error));
  g_assert_no_error (error);
  /* Change ids hold the second they were made in: the next one is the newer. */
  g_usleep (G_USEC_PER_SEC);
  applied_id = apply_change (journal, msmtprc, "carol.petit@contoso.com");

  text = run_report (scan, NULL);
  g_assert_cmpint (text->exit_status, ==, 0);
  g_assert_null (strstr (text->out, "No changes recorded."));
  g_assert_nonnull (strstr (text->out, applied_id));
  g_assert_nonnull (strstr (text->out, msmtprc));
  /* “TIME  ID (ACCOUNT-ID) — undone” */
  g_assert_nonnull (strstr (text->out, undone_id));
  undone_line = g_strndup (strstr (text->out, undone_id),
                           strcspn (strstr (text->out, undone_id), "\n"));
  g_assert_true (g_str_has_suffix (undone_line, " — undone"));
  g_assert_true (strstr (text->out, applied_id) < strstr (text->out, undone_id));

  json = run_report (scan, "--format", "json", NULL);
  g_assert_cmpint (json->exit_status, ==, 0);
  root = mend_test_parse_json_object (json->out);
  changes = array_of (root, "changes");
  g_assert_cmpuint (json_array_get_length (changes), ==, 2);
  g_assert_cmpstr (string_of (nth (changes, 0), "change_id"), ==, applied_id);

  applied = find_change (changes, applied_id);
  g_assert_false (json_object_get_boolean_member (applied, "undone"));
  files = array_of (applied, "files");
  g_assert_cmpuint (json_array_get_length (files), ==, 1);
  g_assert_cmpstr (json_array_get_string_element (files, 0), ==, msmtprc);
  g_assert_nonnull (string_of (applied, "time"));

  undone = find_change (changes, undone_id);
  g_assert_true (json_object_get_boolean_member (undone, "undone"));
  g_assert_false (mend_test_json_has_finding (root, "journal-unavailable"));
}

/* A journal that cannot be read: the report still goes out, and says so. */
static void
test_history_unavailable (void)
{
  g_autoptr(MendTestScan) scan = mend_test_scan_new ("demo");
  g_autofree char *changes = g_build_filename (scan->home, ".local", "state", "mailmend",
                                               "changes", NULL);
  g_autofree char *lock = g_build_filename (scan->home, ".local", "state", "mailmend", "lock",
                                            NULL);
  g_autoptr(MendTestRun) run = NULL;
  g_autoptr(JsonObject) root = NULL;

  /* A folder where the journal's lock file should be: it cannot be opened, even by root. */
  g_assert_cmpint (g_mkdir_with_parents (changes, 0700), ==, 0);
  g_assert_cmpint (g_mkdir (lock, 0700), ==, 0);

  run = run_report (scan, "--format", "json", NULL);
  g_assert_cmpint (run->exit_status, ==, 0);
  root = mend_test_parse_json_object (run->out);
  g_assert_true (mend_test_json_has_finding (root, "journal-unavailable"));
  g_assert_cmpuint (json_array_get_length (array_of (root, "changes")), ==, 0);
  g_assert_cmpuint (json_array_get_length (array_of (root, "accounts")), ==, 7);
}

static void
test_usage (void)
{
  g_autoptr(MendTestScan) scan = mend_test_scan_new ("demo");
  g_autoptr(MendTestRun) format = NULL;
  g_autoptr(MendTestRun) argument = NULL;

  format = run_report (scan, "--format", "html", NULL);
  g_assert_cmpint (format->exit_status, ==, 2);
  g_assert_cmpstr (format->out, ==, "");
  g_assert_nonnull (strstr (format->err, "html"));

  argument = run_report (scan, "extra", NULL);
  g_assert_cmpint (argument->exit_status, ==, 2);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_set_prgname ("test-cli-report");

  g_test_add_func ("/cli-report/text", test_text);
  g_test_add_func ("/cli-report/json", test_json);
  g_test_add_func ("/cli-report/markdown", test_markdown);
  g_test_add_func ("/cli-report/masked", test_masked);
  g_test_add_func ("/cli-report/output", test_output);
  g_test_add_func ("/cli-report/history", test_history);
  g_test_add_func ("/cli-report/history-unavailable", test_history_unavailable);
  g_test_add_func ("/cli-report/usage", test_usage);

  return g_test_run ();
}
