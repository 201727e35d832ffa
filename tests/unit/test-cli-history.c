/* test-cli-history.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * `mailmend history` and `mailmend undo` on changes made through the journal to copies of
 * fixture files: the JSON contract, which change each form of undo picks, identical bytes
 * afterwards, and the exit statuses.
 */

#include "config.h"

#include <string.h>

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "mend-journal.h"
#include "mend-test-cli.h"
#include "mend-test-scan.h"

typedef struct
{
  char        *root;
  char        *state;     /* XDG_STATE_HOME of the commands */
  char        *msmtprc;   /* copies of the fixture files */
  char        *mbsyncrc;
  char        *msmtprc_before;
  char        *mbsyncrc_before;
  MendJournal *journal;   /* the one the commands use */
} Fixture;

static void
run_cli (Fixture      *fixture,
         MendTestRun **run,
         const char   *first_arg,
         ...) G_GNUC_NULL_TERMINATED;

/* Replaces *@run with the run of `mailmend ARGS…` in the fixture's home. */
static void
run_cli (Fixture      *fixture,
         MendTestRun **run,
         const char   *first_arg,
         ...)
{
  g_autofree char *home = g_strconcat ("HOME=", fixture->root, NULL);
  g_autofree char *state = g_strconcat ("XDG_STATE_HOME=", fixture->state, NULL);
  const char *env[] = { home, state, NULL };
  va_list args;

  g_clear_pointer (run, mend_test_run_free);
  va_start (args, first_arg);
  *run = mend_test_run_cli_valist (env, NULL, first_arg, args);
  va_end (args);
}

static char *
read_file (const char *path)
{
  g_autoptr(GError) error = NULL;
  char *contents = NULL;

  g_file_get_contents (path, &contents, NULL, &error);
  g_assert_no_error (error);

  return contents;
}

static void
copy_fixture (const char *fixture_home,
              const char *name,
              const char *destination)
{
  g_autofree char *source = g_test_build_filename (G_TEST_DIST, "fixtures", "homes",
                                                   fixture_home, name, NULL);
  g_autofree char *contents = read_file (source);
  g_autoptr(GError) error = NULL;

  g_file_set_contents (destination, contents, -1, &error);
  g_assert_no_error (error);
}

/* Changes @path as a repair would (one line replaced, one added), through the journal. */
static char *
apply_edit (Fixture    *fixture,
            const char *path,
            const char *client,
            const char *address,
            const char *added)
{
  g_autoptr(MendAccount) account = mend_account_new (client, path, "outlook", MEND_PROTOCOL_IMAP);
  g_autoptr(GPtrArray) accounts = g_ptr_array_new ();
  g_autoptr(MendRepairPlan) plan = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *changed = NULL;
  char *change_id = NULL;

  mend_account_set_address (account, address);
  g_ptr_array_add (accounts, account);
  plan = mend_repair_plan_new (client, client, accounts);

  mend_repair_plan_read_file (plan, path, &contents, NULL, &error);
  g_assert_no_error (error);
  changed = g_strconcat (contents, added, NULL);
  mend_repair_plan_write_file (plan, path, changed, -1);

  g_assert_true (mend_journal_apply (fixture->journal, plan, &change_id, &error));
  g_assert_no_error (error);

  return change_id;
}

/* Returns: (transfer full): the changes `mailmend history --json` lists */
static JsonArray *
history_json (Fixture *fixture)
{
  g_autoptr(MendTestRun) run = NULL;
  g_autoptr(JsonObject) root = NULL;

  run_cli (fixture, &run, "history", "--json", NULL);
  g_assert_cmpint (run->exit_status, ==, 0);
  g_assert_cmpstr (run->err, ==, "");

  root = mend_test_parse_json_object (run->out);

  return json_array_ref (json_object_get_array_member (root, "changes"));
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autofree char *journal_folder = NULL;
  g_autoptr(GError) error = NULL;

  fixture->root = g_dir_make_tmp ("mailmend-cli-history-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->state = g_build_filename (fixture->root, ".local", "state", NULL);
  fixture->msmtprc = g_build_filename (fixture->root, ".msmtprc", NULL);
  fixture->mbsyncrc = g_build_filename (fixture->root, ".mbsyncrc", NULL);
  copy_fixture ("msmtp-home", ".msmtprc", fixture->msmtprc);
  copy_fixture ("mbsync-home", ".mbsyncrc", fixture->mbsyncrc);
  fixture->msmtprc_before = read_file (fixture->msmtprc);
  fixture->mbsyncrc_before = read_file (fixture->mbsyncrc);

  journal_folder = g_build_filename (fixture->state, "mailmend", NULL);
  fixture->journal = mend_journal_new (journal_folder);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  mend_test_remove_tree (fixture->root);
  g_clear_object (&fixture->journal);
  g_clear_pointer (&fixture->root, g_free);
  g_clear_pointer (&fixture->state, g_free);
  g_clear_pointer (&fixture->msmtprc, g_free);
  g_clear_pointer (&fixture->mbsyncrc, g_free);
  g_clear_pointer (&fixture->msmtprc_before, g_free);
  g_clear_pointer (&fixture->mbsyncrc_before, g_free);
}

static void
assert_file (const char *path,
             const char *expected)
{
  g_autofree char *contents = read_file (path);

  g_assert_cmpstr (contents, ==, expected);
}

static void
test_empty (Fixture       *fixture,
            gconstpointer  data)
{
  g_autoptr(JsonArray) changes = history_json (fixture);
  g_autoptr(MendTestRun) run = NULL;

  g_assert_cmpuint (json_array_get_length (changes), ==, 0);

  run_cli (fixture, &run, "history", NULL);
  g_assert_cmpint (run->exit_status, ==, 0);
  g_assert_cmpstr (run->out, ==, "Mailmend has not changed any file.\n");

  run_cli (fixture, &run, "undo", NULL);
  g_assert_cmpint (run->exit_status, ==, 0);
  g_assert_cmpstr (run->out, ==, "Nothing to undo.\n");

  run_cli (fixture, &run, "undo", "--all", NULL);
  g_assert_cmpint (run->exit_status, ==, 0);
  g_assert_cmpstr (run->out, ==, "Nothing to undo.\n");

  /* Reading the history creates no journal. */
  g_assert_false (g_file_test (fixture->state, G_FILE_TEST_EXISTS));
}

static void
test_history_json (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autofree char *first = apply_edit (fixture, fixture->msmtprc, "msmtp", "alice@outlook.com",
                                       "# repaired\n");
  g_autofree char *second = apply_edit (fixture, fixture->mbsyncrc, "mbsync", "bob@outlook.com",
                                        "# repaired\n");
  g_autoptr(MendChange) change = mend_journal_get_change (fixture->journal, second, NULL);
  g_autoptr(MendTestRun) run = NULL;
  g_autoptr(JsonArray) changes = NULL;
  JsonObject *newest;
  JsonArray *files;
  g_autoptr(GDateTime) time = NULL;

  changes = history_json (fixture);
  g_assert_cmpuint (json_array_get_length (changes), ==, 2);

  newest = json_array_get_object_element (changes, 0);
  g_assert_cmpstr (json_object_get_string_member (newest, "id"), ==, second);
  g_assert_cmpstr (json_object_get_string_member (newest, "account_id"), ==,
                   mend_change_get_account_id (change));
  g_assert_cmpstr (json_object_get_string_member (newest, "client"), ==, "mbsync");
  g_assert_cmpstr (json_object_get_string_member (newest, "address"), ==, "bob@outlook.com");
  g_assert_cmpstr (json_object_get_string_member (newest, "state"), ==, "applied");
  g_assert_false (json_object_get_boolean_member (newest, "undone"));
  time = g_date_time_new_from_iso8601 (json_object_get_string_member (newest, "time"), NULL);
  g_assert_nonnull (time);
  files = json_object_get_array_member (newest, "files");
  g_assert_cmpuint (json_array_get_length (files), ==, 1);
  g_assert_cmpstr (json_array_get_string_element (files, 0), ==, fixture->mbsyncrc);
  g_assert_true (g_path_is_absolute (json_array_get_string_element (
    json_object_get_array_member (newest, "backups"), 0)));

  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (changes, 1),
                                                  "id"), ==, first);

  run_cli (fixture, &run, "history", NULL);
  g_assert_cmpint (run->exit_status, ==, 0);
  g_assert_nonnull (strstr (run->out, first));
  g_assert_nonnull (strstr (run->out, fixture->msmtprc));
  g_assert_nonnull (strstr (run->out, "bob@outlook.com"));
  g_assert_cmpint (strstr (run->out, second) - strstr (run->out, first), <, 0);
}

/* `undo` takes the latest change still in effect, one at a time, until none is left. */
static void
test_undo_latest (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autofree char *first = apply_edit (fixture, fixture->msmtprc, "msmtp", "alice@outlook.com",
                                       "# first\n");
  g_autofree char *second = apply_edit (fixture, fixture->msmtprc, "msmtp", "alice@outlook.com",
                                        "# second\n");
  g_autofree char *after_first = NULL;
  g_autoptr(MendTestRun) run = NULL;
  g_autoptr(JsonArray) changes = NULL;

  run_cli (fixture, &run, "undo", NULL);
  g_assert_cmpint (run->exit_status, ==, 0);
  g_assert_nonnull (strstr (run->out, second));
  g_assert_nonnull (strstr (run->out, fixture->msmtprc));
  after_first = g_strconcat (fixture->msmtprc_before, "# first\n", NULL);
  assert_file (fixture->msmtprc, after_first);

  changes = history_json (fixture);
  g_assert_true (json_object_get_boolean_member (json_array_get_object_element (changes, 0),
                                                 "undone"));
  g_assert_false (json_object_get_boolean_member (json_array_get_object_element (changes, 1),
                                                  "undone"));

  run_cli (fixture, &run, "undo", NULL);
  g_assert_cmpint (run->exit_status, ==, 0);
  g_assert_nonnull (strstr (run->out, first));
  assert_file (fixture->msmtprc, fixture->msmtprc_before);

  run_cli (fixture, &run, "undo", NULL);
  g_assert_cmpint (run->exit_status, ==, 0);
  g_assert_cmpstr (run->out, ==, "Nothing to undo.\n");

  /* Naming a change already undone says so, and is no failure. */
  run_cli (fixture, &run, "undo", second, NULL);
  g_assert_cmpint (run->exit_status, ==, 0);
  g_assert_nonnull (strstr (run->out, "Nothing to undo"));
  assert_file (fixture->msmtprc, fixture->msmtprc_before);
}

static void
test_undo_by_id (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autofree char *first = apply_edit (fixture, fixture->msmtprc, "msmtp", "alice@outlook.com",
                                       "# repaired\n");
  g_autofree char *second = apply_edit (fixture, fixture->mbsyncrc, "mbsync", "bob@outlook.com",
                                        "# repaired\n");
  g_autofree char *mbsyncrc_after = g_strconcat (fixture->mbsyncrc_before, "# repaired\n", NULL);
  g_autoptr(MendTestRun) run = NULL;

  /* The older one, leaving the newer in place. */
  run_cli (fixture, &run, "undo", first, NULL);
  g_assert_cmpint (run->exit_status, ==, 0);
  assert_file (fixture->msmtprc, fixture->msmtprc_before);
  assert_file (fixture->mbsyncrc, mbsyncrc_after);

  run_cli (fixture, &run, "undo", "20240101T000000Z-0000", NULL);
  g_assert_cmpint (run->exit_status, ==, 1);
  g_assert_nonnull (strstr (run->err, "No such change"));

  run_cli (fixture, &run, "undo", "--all", second, NULL);
  g_assert_cmpint (run->exit_status, ==, 2);
  run_cli (fixture, &run, "undo", first, second, NULL);
  g_assert_cmpint (run->exit_status, ==, 2);
  assert_file (fixture->mbsyncrc, mbsyncrc_after);
}

/* A file edited since the repair: the undo is refused, the file left alone, and the message
 * gives the command that restores the backup by hand. Other changes are undone all the same. */
static void
test_undo_refused (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autofree char *first = apply_edit (fixture, fixture->msmtprc, "msmtp", "alice@outlook.com",
                                       "# repaired\n");
  g_autofree char *second = apply_edit (fixture, fixture->mbsyncrc, "mbsync", "bob@outlook.com",
                                        "# repaired\n");
  g_autoptr(MendChange) change = mend_journal_get_change (fixture->journal, second, NULL);
  g_autofree char *edited = g_strconcat (fixture->mbsyncrc_before, "# edited by hand\n", NULL);
  g_autofree char *quoted_backup = g_shell_quote (mend_change_get_backups (change)[0]);
  g_autofree char *quoted_path = g_shell_quote (fixture->mbsyncrc);
  g_autofree char *command = g_strdup_printf ("cp %s %s", quoted_backup, quoted_path);
  g_autoptr(GError) error = NULL;
  g_autoptr(MendTestRun) run = NULL;

  g_file_set_contents (fixture->mbsyncrc, edited, -1, &error);
  g_assert_no_error (error);

  run_cli (fixture, &run, "undo", NULL);
  g_assert_cmpint (run->exit_status, ==, 1);
  g_assert_nonnull (strstr (run->err, command));
  assert_file (fixture->mbsyncrc, edited);

  run_cli (fixture, &run, "undo", "--all", NULL);
  g_assert_cmpint (run->exit_status, ==, 1);
  g_assert_nonnull (strstr (run->out, first));
  assert_file (fixture->msmtprc, fixture->msmtprc_before);
  assert_file (fixture->mbsyncrc, edited);
}

static void
test_undo_all (Fixture       *fixture,
               gconstpointer  data)
{
  g_autofree char *first = apply_edit (fixture, fixture->msmtprc, "msmtp", "alice@outlook.com",
                                       "# first\n");
  g_autofree char *second = apply_edit (fixture, fixture->mbsyncrc, "mbsync", "bob@outlook.com",
                                        "# second\n");
  g_autofree char *third = apply_edit (fixture, fixture->msmtprc, "msmtp", "alice@outlook.com",
                                       "# third\n");
  g_autoptr(MendTestRun) run = NULL;
  g_autoptr(JsonArray) changes = NULL;
  const char *third_at, *second_at, *first_at;

  run_cli (fixture, &run, "undo", "--all", NULL);
  g_assert_cmpint (run->exit_status, ==, 0);
  assert_file (fixture->msmtprc, fixture->msmtprc_before);
  assert_file (fixture->mbsyncrc, fixture->mbsyncrc_before);

  /* Newest first. */
  third_at = strstr (run->out, third);
  second_at = strstr (run->out, second);
  first_at = strstr (run->out, first);
  g_assert_nonnull (third_at);
  g_assert_true (third_at < second_at && second_at < first_at);

  changes = history_json (fixture);
  for (guint i = 0; i < json_array_get_length (changes); i++)
    g_assert_true (json_object_get_boolean_member (json_array_get_object_element (changes, i),
                                                   "undone"));

  run_cli (fixture, &run, "undo", "--all", NULL);
  g_assert_cmpint (run->exit_status, ==, 0);
  g_assert_cmpstr (run->out, ==, "Nothing to undo.\n");
}

#define ADD(name, func) \
  g_test_add ("/cli-history/" name, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_set_prgname ("test-cli-history");

  ADD ("empty", test_empty);
  ADD ("history-json", test_history_json);
  ADD ("undo-latest", test_undo_latest);
  ADD ("undo-by-id", test_undo_by_id);
  ADD ("undo-refused", test_undo_refused);
  ADD ("undo-all", test_undo_all);

  return g_test_run ();
}
