/* test-journal.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Applying and undoing repair plans through the journal: identical bytes after undo, mode and
 * owner kept, files changed behind Mailmend's back refused, and no failure — a read-only
 * folder, a full or broken disk (the fault injector), a crash at any step (the process killed
 * with SIGKILL) — ever leaving a file lost, half-written, or mixed between two versions.
 */

#include "config.h"

#include <grp.h>
#include <signal.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "mend-journal.h"
#include "mend-test-scan.h"

#define FIRST_BEFORE  "# msmtp\naccount outlook\nhost smtp.office365.com\nauth on\n" \
                      "password hunter2\n"
#define FIRST_AFTER   "# msmtp\naccount outlook\nhost smtp.office365.com\nauth xoauth2\n" \
                      "passwordeval mailmend token alice@outlook.com\n"
#define SECOND_BEFORE "IMAPAccount outlook\nHost outlook.office365.com\nPass hunter2"
#define SECOND_AFTER  "IMAPAccount outlook\nHost outlook.office365.com\nAuthMechs XOAUTH2\n" \
                      "PassCmd \"mailmend token alice@outlook.com\"\n"
#define NOBODY        65534

typedef struct
{
  char        *root;
  char        *journal_folder;  /* root/state/mailmend */
  char        *first;           /* root/home/.msmtprc, mode 0640 */
  char        *second;          /* root/home/.config/isyncrc, mode 0600 */
  MendJournal *journal;
} Fixture;

typedef struct
{
  gboolean  exited;
  int       status;       /* the exit status, or the signal that killed it */
  char     *stdout_text;
  char     *stderr_text;
} ToolRun;

static void
tool_run_clear (ToolRun *run)
{
  g_clear_pointer (&run->stdout_text, g_free);
  g_clear_pointer (&run->stderr_text, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (ToolRun, tool_run_clear)

static void
write_file (const char *path,
            const char *contents,
            int         mode)
{
  g_autofree char *folder = g_path_get_dirname (path);
  g_autoptr(GError) error = NULL;

  g_assert_no_errno (g_mkdir_with_parents (folder, 0755));
  g_file_set_contents (path, contents, -1, &error);
  g_assert_no_error (error);
  g_assert_no_errno (g_chmod (path, mode));
}

static void
assert_contents (const char *path,
                 const char *expected)
{
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;

  g_file_get_contents (path, &contents, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (contents, ==, expected);
}

static void
assert_mode (const char *path,
             int         mode)
{
  GStatBuf st;

  g_assert_no_errno (g_stat (path, &st));
  g_assert_cmpint (st.st_mode & 07777, ==, mode);
}

static guint
count_leftovers (const char *folder)
{
  g_autoptr(GDir) dir = g_dir_open (folder, 0, NULL);
  const char *name;
  guint count = 0;

  g_assert_nonnull (dir);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      if (strstr (name, ".mailmend-") != NULL)
        count++;
    }

  return count;
}

static void
assert_no_leftovers (Fixture *fixture)
{
  g_autofree char *home = g_path_get_dirname (fixture->first);
  g_autofree char *config = g_path_get_dirname (fixture->second);

  g_assert_cmpuint (count_leftovers (home), ==, 0);
  g_assert_cmpuint (count_leftovers (config), ==, 0);
}

static void
assert_originals (Fixture *fixture)
{
  assert_contents (fixture->first, FIRST_BEFORE);
  assert_contents (fixture->second, SECOND_BEFORE);
  assert_mode (fixture->first, 0640);
  assert_mode (fixture->second, 0600);
  assert_no_leftovers (fixture);
}

/* A plan for @first_path (and @second_path, when not NULL), read from disk now. */
static MendRepairPlan *
make_plan (const char *first_path,
           const char *first_after,
           const char *second_path,
           const char *second_after)
{
  g_autoptr(MendAccount) account = mend_account_new ("msmtp", first_path, "outlook",
                                                     MEND_PROTOCOL_SMTP);
  g_autoptr(GPtrArray) accounts = g_ptr_array_new ();
  g_autoptr(MendRepairPlan) plan = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;

  mend_account_set_address (account, "alice@outlook.com");
  g_ptr_array_add (accounts, account);
  plan = mend_repair_plan_new ("msmtp", "msmtp", accounts);

  mend_repair_plan_read_file (plan, first_path, &contents, NULL, &error);
  g_assert_no_error (error);
  mend_repair_plan_write_file (plan, first_path, first_after, -1);

  if (second_path != NULL)
    {
      g_clear_pointer (&contents, g_free);
      mend_repair_plan_read_file (plan, second_path, &contents, NULL, &error);
      g_assert_no_error (error);
      mend_repair_plan_write_file (plan, second_path, second_after, -1);
    }

  return g_steal_pointer (&plan);
}

static MendRepairPlan *
make_fixture_plan (Fixture *fixture)
{
  return make_plan (fixture->first, FIRST_AFTER, fixture->second, SECOND_AFTER);
}

static char *
apply_fixture_plan (Fixture *fixture)
{
  g_autoptr(MendRepairPlan) plan = make_fixture_plan (fixture);
  g_autoptr(GError) error = NULL;
  char *change_id = NULL;

  g_assert_true (mend_journal_apply (fixture->journal, plan, &change_id, &error));
  g_assert_no_error (error);
  g_assert_nonnull (change_id);

  return change_id;
}

static MendChange *
get_change (Fixture    *fixture,
            const char *change_id)
{
  g_autoptr(GError) error = NULL;
  MendChange *change = mend_journal_get_change (fixture->journal, change_id, &error);

  g_assert_no_error (error);
  g_assert_nonnull (change);

  return change;
}

static void
assert_state (Fixture         *fixture,
              const char      *change_id,
              MendChangeState  state)
{
  g_autoptr(MendChange) change = get_change (fixture, change_id);

  g_assert_cmpstr (mend_change_state_to_string (mend_change_get_state (change)), ==,
                   mend_change_state_to_string (state));
}

/* The only change in the journal. */
static char *
only_change_id (Fixture *fixture)
{
  g_autoptr(GPtrArray) changes = mend_journal_list_changes (fixture->journal, NULL);

  g_assert_nonnull (changes);
  g_assert_cmpuint (changes->len, ==, 1);

  return g_strdup (mend_change_get_id (g_ptr_array_index (changes, 0)));
}

static char *
finding_id (const GError *error)
{
  g_autoptr(MendFinding) finding = mend_repair_error_to_finding (error);

  g_assert_nonnull (finding);

  return g_strdup (mend_finding_get_id (finding));
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  /* A subprocess test runs in a new process and finds its parent's folder in the
   * environment. */
  if (g_test_subprocess ())
    fixture->root = g_strdup (g_getenv ("MEND_TEST_FOLDER"));
  else
    fixture->root = g_dir_make_tmp ("mailmend-journal-XXXXXX", &error);
  g_assert_no_error (error);

  fixture->journal_folder = g_build_filename (fixture->root, "state", "mailmend", NULL);
  fixture->first = g_build_filename (fixture->root, "home", ".msmtprc", NULL);
  fixture->second = g_build_filename (fixture->root, "home", ".config", "isyncrc", NULL);
  fixture->journal = mend_journal_new (fixture->journal_folder);

  if (g_test_subprocess ())
    return;

  g_assert_no_errno (g_chmod (fixture->root, 0755));
  write_file (fixture->first, FIRST_BEFORE, 0640);
  write_file (fixture->second, SECOND_BEFORE, 0600);
  g_setenv ("MEND_TEST_FOLDER", fixture->root, TRUE);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  if (!g_test_subprocess ())
    mend_test_remove_tree (fixture->root);
  g_clear_object (&fixture->journal);
  g_clear_pointer (&fixture->root, g_free);
  g_clear_pointer (&fixture->journal_folder, g_free);
  g_clear_pointer (&fixture->first, g_free);
  g_clear_pointer (&fixture->second, g_free);
}

/* --- apply and undo ------------------------------------------------------------------- */

static void
test_apply_undo (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autofree char *change_id = NULL;
  g_autoptr(MendChange) change = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *changes_folder = g_build_filename (fixture->journal_folder, "changes", NULL);
  const char * const *files;
  const char * const *backups;

  if (geteuid () == 0)
    g_assert_no_errno (chown (fixture->first, 1234, 5678));

  change_id = apply_fixture_plan (fixture);
  assert_contents (fixture->first, FIRST_AFTER);
  assert_contents (fixture->second, SECOND_AFTER);
  assert_mode (fixture->first, 0640);
  assert_mode (fixture->second, 0600);
  assert_no_leftovers (fixture);

  change = get_change (fixture, change_id);
  g_assert_cmpstr (mend_change_get_id (change), ==, change_id);
  g_assert_cmpint (mend_change_get_state (change), ==, MEND_CHANGE_STATE_APPLIED);
  g_assert_false (mend_change_get_undone (change));
  g_assert_cmpstr (mend_change_get_client_id (change), ==, "msmtp");
  g_assert_cmpstr (mend_change_get_address (change), ==, "alice@outlook.com");
  g_assert_nonnull (mend_change_get_account_id (change));
  files = mend_change_get_files (change);
  backups = mend_change_get_backups (change);
  g_assert_cmpuint (g_strv_length ((char **) files), ==, 2);
  g_assert_cmpstr (files[0], ==, fixture->first);
  g_assert_cmpstr (files[1], ==, fixture->second);

  /* The backups hold the exact bytes before, readable by the user only. */
  g_assert_cmpuint (g_strv_length ((char **) backups), ==, 2);
  assert_contents (backups[0], FIRST_BEFORE);
  assert_contents (backups[1], SECOND_BEFORE);
  assert_mode (backups[0], 0600);
  assert_mode (changes_folder, 0700);
  assert_mode (mend_change_get_folder (change), 0700);

  g_assert_true (mend_journal_undo (fixture->journal, change_id, &error));
  g_assert_no_error (error);
  assert_originals (fixture);
  if (geteuid () == 0)
    {
      GStatBuf st;

      g_assert_no_errno (g_stat (fixture->first, &st));
      g_assert_cmpuint (st.st_uid, ==, 1234);
      g_assert_cmpuint (st.st_gid, ==, 5678);
    }

  g_clear_object (&change);
  change = get_change (fixture, change_id);
  backups = mend_change_get_backups (change);
  g_assert_true (mend_change_get_undone (change));
  g_assert_nonnull (mend_change_get_undone_time (change));
  /* Backups are never deleted. */
  assert_contents (backups[0], FIRST_BEFORE);

  /* Twice: nothing left to undo. */
  g_assert_false (mend_journal_undo (fixture->journal, change_id, &error));
  g_assert_error (error, MEND_REPAIR_ERROR, MEND_REPAIR_ERROR_NOT_APPLIED);
  g_assert_cmpstr (finding_id (error), ==, "nothing-to-undo");
  assert_originals (fixture);
}

static void
test_list_newest_first (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) changes = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GRegex) format = g_regex_new ("^[0-9]{8}T[0-9]{6}Z-[0-9a-f]{4}$", 0, 0, NULL);

  /* Many changes within one second still get ids that sort in order. */
  for (guint i = 0; i < 12; i++)
    {
      g_autoptr(MendRepairPlan) plan = NULL;
      g_autofree char *after = g_strdup_printf ("%sround %u\n", FIRST_AFTER, i);
      char *change_id = NULL;

      plan = make_plan (fixture->first, after, NULL, NULL);
      g_assert_true (mend_journal_apply (fixture->journal, plan, &change_id, &error));
      g_assert_no_error (error);
      g_assert_true (g_regex_match (format, change_id, 0, NULL));
      if (ids->len > 0)
        g_assert_cmpstr (change_id, >, g_ptr_array_index (ids, ids->len - 1));
      g_ptr_array_add (ids, change_id);
    }

  changes = mend_journal_list_changes (fixture->journal, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (changes->len, ==, ids->len);
  for (guint i = 0; i < changes->len; i++)
    g_assert_cmpstr (mend_change_get_id (g_ptr_array_index (changes, i)), ==,
                     g_ptr_array_index (ids, ids->len - 1 - i));

  /* Undone newest first, every step gives back the bytes before it. */
  for (guint i = ids->len; i > 0; i--)
    {
      g_assert_true (mend_journal_undo (fixture->journal, g_ptr_array_index (ids, i - 1), &error));
      g_assert_no_error (error);
    }
  assert_originals (fixture);
}

/* A clock set back (or a change made on another machine) does not make ids go backwards. */
static void
test_id_after_clock_change (Fixture       *fixture,
                            gconstpointer  data)
{
  g_autofree char *future = g_build_filename (fixture->journal_folder, "changes",
                                              "29991231T235959Z-f423", NULL);
  g_autofree char *change_id = NULL;

  g_assert_no_errno (g_mkdir_with_parents (future, 0700));
  change_id = apply_fixture_plan (fixture);
  g_assert_cmpstr (change_id, >, "29991231T235959Z-f423");
}

static void
test_symlinked_dotfile (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autofree char *dotfiles = g_build_filename (fixture->root, "dotfiles", "msmtp", NULL);
  g_autofree char *target = g_build_filename (dotfiles, "msmtprc", NULL);
  g_autofree char *link_text = NULL;
  g_autofree char *change_id = NULL;
  g_autoptr(MendRepairPlan) plan = NULL;
  g_autoptr(MendChange) change = NULL;
  g_autoptr(GError) error = NULL;
  GStatBuf st;

  write_file (target, FIRST_BEFORE, 0600);
  g_assert_no_errno (g_unlink (fixture->first));
  g_assert_no_errno (symlink ("../dotfiles/msmtp/msmtprc", fixture->first));

  plan = make_plan (fixture->first, FIRST_AFTER, NULL, NULL);
  g_assert_true (mend_journal_apply (fixture->journal, plan, &change_id, &error));
  g_assert_no_error (error);

  g_assert_no_errno (g_lstat (fixture->first, &st));
  g_assert_true (S_ISLNK (st.st_mode));
  link_text = g_file_read_link (fixture->first, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (link_text, ==, "../dotfiles/msmtp/msmtprc");
  assert_contents (target, FIRST_AFTER);
  assert_mode (target, 0600);
  g_assert_cmpuint (count_leftovers (dotfiles), ==, 0);

  change = get_change (fixture, change_id);
  g_assert_cmpstr (mend_change_get_files (change)[0], ==, fixture->first);

  g_assert_true (mend_journal_undo (fixture->journal, change_id, &error));
  g_assert_no_error (error);
  g_assert_no_errno (g_lstat (fixture->first, &st));
  g_assert_true (S_ISLNK (st.st_mode));
  assert_contents (target, FIRST_BEFORE);
}

/* --- refusals ------------------------------------------------------------------------- */

static void
test_config_changed (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(MendRepairPlan) plan = make_fixture_plan (fixture);
  g_autoptr(MendRepairPlan) second_plan = NULL;
  g_autoptr(MendFinding) finding = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) changes = NULL;
  const char *edited = SECOND_BEFORE "\n# edited by the user\n";

  /* The mail app saved the file after Mailmend read it. */
  write_file (fixture->second, edited, 0600);

  g_assert_false (mend_journal_apply (fixture->journal, plan, NULL, &error));
  g_assert_error (error, MEND_REPAIR_ERROR, MEND_REPAIR_ERROR_CONFIG_CHANGED);
  finding = mend_repair_error_to_finding (error);
  g_assert_cmpstr (mend_finding_get_id (finding), ==, "config-changed");
  g_assert_cmpstr (mend_finding_get_details (finding), ==, fixture->second);

  /* Nothing written, not even the first file, and no change recorded. */
  assert_contents (fixture->first, FIRST_BEFORE);
  assert_contents (fixture->second, edited);
  changes = mend_journal_list_changes (fixture->journal, NULL);
  g_assert_cmpuint (changes->len, ==, 0);

  /* A file removed since counts as changed too. */
  write_file (fixture->second, SECOND_BEFORE, 0600);
  second_plan = make_fixture_plan (fixture);
  g_assert_no_errno (g_unlink (fixture->second));
  g_clear_error (&error);
  g_assert_false (mend_journal_apply (fixture->journal, second_plan, NULL, &error));
  g_assert_error (error, MEND_REPAIR_ERROR, MEND_REPAIR_ERROR_CONFIG_CHANGED);
  assert_contents (fixture->first, FIRST_BEFORE);
  g_assert_false (g_file_test (fixture->second, G_FILE_TEST_EXISTS));
}

static void
test_cannot_apply (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(MendRepairPlan) unchanged = make_plan (fixture->first, FIRST_BEFORE, NULL, NULL);
  g_autoptr(MendRepairPlan) blocked = make_fixture_plan (fixture);
  g_autoptr(MendFinding) blocker = mend_finding_new ("client-running", MEND_SEVERITY_ERROR,
                                                     "msmtp is running", NULL, NULL);
  g_autoptr(GError) error = NULL;

  g_assert_false (mend_journal_apply (fixture->journal, unchanged, NULL, &error));
  g_assert_error (error, MEND_REPAIR_ERROR, MEND_REPAIR_ERROR_CANNOT_APPLY);
  g_assert_cmpstr (finding_id (error), ==, "nothing-to-change");
  g_clear_error (&error);

  mend_repair_plan_add_finding (blocked, blocker);
  g_assert_false (mend_journal_apply (fixture->journal, blocked, NULL, &error));
  g_assert_error (error, MEND_REPAIR_ERROR, MEND_REPAIR_ERROR_CANNOT_APPLY);
  g_assert_cmpstr (finding_id (error), ==, "client-running");

  assert_originals (fixture);
}

static void
test_undo_refused (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autofree char *change_id = apply_fixture_plan (fixture);
  g_autoptr(MendChange) change = get_change (fixture, change_id);
  g_autoptr(MendFinding) finding = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *quoted_backup = g_shell_quote (mend_change_get_backups (change)[1]);
  g_autofree char *quoted_path = g_shell_quote (fixture->second);
  g_autofree char *command = g_strdup_printf ("cp %s %s", quoted_backup, quoted_path);
  g_autofree char *remedy_output = NULL;
  int status;
  const char *edited = SECOND_AFTER "# the user's own line\n";

  write_file (fixture->second, edited, 0600);

  g_assert_false (mend_journal_undo (fixture->journal, change_id, &error));
  g_assert_error (error, MEND_REPAIR_ERROR, MEND_REPAIR_ERROR_UNDO_FILE_CHANGED);
  finding = mend_repair_error_to_finding (error);
  g_assert_cmpstr (mend_finding_get_id (finding), ==, "undo-file-changed");
  g_assert_nonnull (strstr (mend_finding_get_remedy (finding), command));
  g_assert_nonnull (strstr (mend_finding_get_explanation (finding), fixture->second));

  /* All or nothing: the first file keeps its repair too. */
  assert_contents (fixture->first, FIRST_AFTER);
  assert_contents (fixture->second, edited);
  assert_state (fixture, change_id, MEND_CHANGE_STATE_APPLIED);

  /* The command the finding gives does restore the file by hand. */
  g_assert_true (g_spawn_command_line_sync (command, NULL, &remedy_output, &status, NULL));
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  assert_contents (fixture->second, SECOND_BEFORE);

  /* A file already back as it was is fine: the rest is undone. */
  g_clear_error (&error);
  g_assert_true (mend_journal_undo (fixture->journal, change_id, &error));
  g_assert_no_error (error);
  assert_contents (fixture->first, FIRST_BEFORE);
  assert_contents (fixture->second, SECOND_BEFORE);
}

static void
test_unknown_change (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *damaged = g_build_filename (fixture->journal_folder, "changes",
                                               "20250101T000000Z-0000", NULL);
  g_autofree char *record = g_build_filename (damaged, "change.json", NULL);
  g_autoptr(GPtrArray) changes = NULL;

  g_assert_false (mend_journal_undo (fixture->journal, "20250101T000000Z-0001", &error));
  g_assert_error (error, MEND_REPAIR_ERROR, MEND_REPAIR_ERROR_UNKNOWN_CHANGE);
  g_assert_cmpstr (finding_id (error), ==, "change-not-found");
  g_clear_error (&error);

  /* Not an id: never turned into a path. */
  g_assert_false (mend_journal_undo (fixture->journal, "../../home", &error));
  g_assert_error (error, MEND_REPAIR_ERROR, MEND_REPAIR_ERROR_UNKNOWN_CHANGE);
  g_clear_error (&error);

  /* A damaged record is skipped in the list and cannot be undone. */
  write_file (record, "{ \"format\": 1, \"id\": ", 0600);
  changes = mend_journal_list_changes (fixture->journal, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (changes->len, ==, 0);
  g_assert_false (mend_journal_undo (fixture->journal, "20250101T000000Z-0000", &error));
  g_assert_nonnull (error);
  assert_originals (fixture);
}

static void
become_nobody (void)
{
  if (geteuid () == 0)
    {
      g_assert_no_errno (setgroups (0, NULL));
      g_assert_no_errno (setgid (NOBODY));
      g_assert_no_errno (setuid (NOBODY));
    }
}

/* The second file's folder is read only: the first file, already written, is put back. */
static void
test_read_only_folder (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autofree char *config = g_path_get_dirname (fixture->second);
  g_autofree char *change_id = NULL;

  if (g_test_subprocess ())
    {
      g_autoptr(MendRepairPlan) plan = NULL;
      g_autoptr(MendFinding) finding = NULL;
      g_autoptr(GError) error = NULL;

      become_nobody ();
      plan = make_fixture_plan (fixture);
      g_assert_false (mend_journal_apply (fixture->journal, plan, NULL, &error));
      g_assert_error (error, MEND_REPAIR_ERROR, MEND_REPAIR_ERROR_WRITE_FAILED);
      finding = mend_repair_error_to_finding (error);
      g_assert_cmpstr (mend_finding_get_id (finding), ==, "write-failed");
      g_assert_nonnull (strstr (mend_finding_get_details (finding), fixture->second));
      return;
    }

  /* Root writes anywhere: the subprocess runs as nobody, who owns everything but the
   * read-only folder. */
  if (geteuid () == 0)
    {
      g_autofree char *home = g_path_get_dirname (fixture->first);
      g_autofree char *state = g_path_get_dirname (fixture->journal_folder);

      g_assert_no_errno (g_mkdir_with_parents (state, 0755));
      g_assert_no_errno (chown (state, NOBODY, NOBODY));
      g_assert_no_errno (chown (home, NOBODY, NOBODY));
      g_assert_no_errno (chown (fixture->first, NOBODY, NOBODY));
      g_assert_no_errno (chown (fixture->second, NOBODY, NOBODY));
    }
  g_assert_no_errno (g_chmod (config, 0555));

  g_test_trap_subprocess (NULL, 20 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();

  assert_originals (fixture);
  change_id = only_change_id (fixture);
  assert_state (fixture, change_id, MEND_CHANGE_STATE_ROLLED_BACK);
}

/* --- in another process: under the fault injector, or killed ---------------------------- */

static void
run_tool (Fixture    *fixture,
          ToolRun    *run,
          const char *const *environment,
          const char *first_arg,
          ...) G_GNUC_NULL_TERMINATED;

/* Runs mend-test-journal-tool on the fixture's journal with @environment (NAME, VALUE, …,
 * NULL) added. */
static void
run_tool (Fixture            *fixture,
          ToolRun            *run,
          const char * const *environment,
          const char         *first_arg,
          ...)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  va_list args;

  g_ptr_array_add (argv, (gpointer) g_getenv ("MAILMEND_TEST_JOURNAL_TOOL"));
  g_ptr_array_add (argv, fixture->journal_folder);
  va_start (args, first_arg);
  for (const char *arg = first_arg; arg != NULL; arg = va_arg (args, const char *))
    g_ptr_array_add (argv, (gpointer) arg);
  va_end (args);
  g_ptr_array_add (argv, NULL);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                        G_SUBPROCESS_FLAGS_STDERR_PIPE);
  for (guint i = 0; environment != NULL && environment[i] != NULL; i += 2)
    g_subprocess_launcher_setenv (launcher, environment[i], environment[i + 1], TRUE);

  process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, NULL, NULL, &run->stdout_text, &run->stderr_text,
                                 &error);
  g_assert_no_error (error);

  run->exited = g_subprocess_get_if_exited (process);
  run->status = run->exited ? g_subprocess_get_exit_status (process)
                            : g_subprocess_get_term_sig (process);
}

static char *
write_new_contents (Fixture    *fixture,
                    const char *name,
                    const char *contents)
{
  g_autofree char *path = g_build_filename (fixture->root, name, NULL);

  write_file (path, contents, 0600);

  return g_steal_pointer (&path);
}

/* Applies the fixture's plan in a mend-test-journal-tool process. */
static void
apply_in_tool (Fixture            *fixture,
               ToolRun            *run,
               const char * const *environment)
{
  g_autofree char *first_after = write_new_contents (fixture, "first-after", FIRST_AFTER);
  g_autofree char *second_after = write_new_contents (fixture, "second-after", SECOND_AFTER);

  run_tool (fixture, run, environment, "apply", fixture->first, first_after, fixture->second,
            second_after, NULL);
}

static void
assert_failed_with (ToolRun    *run,
                    const char *finding_id)
{
  g_autofree char *expected = g_strdup_printf ("%s\n", finding_id);

  if (!run->exited || run->status != 1)
    g_error ("The tool did not fail (%s, %d): %s", run->exited ? "exit" : "signal", run->status,
             run->stderr_text);
  g_assert_cmpstr (run->stdout_text, ==, expected);
}

typedef struct
{
  const char *calls;
  const char *path;         /* under the fixture's root */
  const char *skip;
  const char *errno_name;
  const char *finding_id;
  gboolean    recorded;     /* whether a change is recorded, in this state */
  MendChangeState state;
} Fault;

/* The second file's write fills the disk (half of it written first): the first file, already
 * replaced, is put back. */
static const Fault fault_full_disk = {
  "write", "/home/.config/*", NULL, "ENOSPC", "write-failed", TRUE, MEND_CHANGE_STATE_ROLLED_BACK
};
/* The second file's disk fails when its new contents are synced. */
static const Fault fault_fsync = {
  "fsync", "/home/.config/*", NULL, "EIO", "write-failed", TRUE, MEND_CHANGE_STATE_ROLLED_BACK
};
static const Fault fault_rename = {
  "rename", "/home/.config/isyncrc", NULL, "EIO", "write-failed", TRUE,
  MEND_CHANGE_STATE_ROLLED_BACK
};
/* The journal's disk is full: no backup, so nothing is changed at all. */
static const Fault fault_backup = {
  "write", "/state/mailmend/changes/*", NULL, "ENOSPC", "journal-unavailable", FALSE, 0
};
/* Everything written, but the record that says so cannot be: put back, since a change the
 * journal does not know of could not be undone. The first write of the record (pending)
 * passes; the second (applied) fails. */
static const Fault fault_commit = {
  "write", "/state/mailmend/changes/*/.change.json.mailmend-*", "1", "ENOSPC",
  "journal-unavailable", TRUE, MEND_CHANGE_STATE_ROLLED_BACK
};

static void
test_fault (Fixture       *fixture,
            gconstpointer  data)
{
  const Fault *fault = data;
  g_autofree char *pattern = g_strconcat (fixture->root, fault->path, NULL);
  g_autoptr(GPtrArray) changes = NULL;
  g_auto(ToolRun) run = { 0 };
  const char *environment[] = {
    "LD_PRELOAD", g_getenv ("MAILMEND_FAULT_INJECT"),
    "MAILMEND_FAULT_CALLS", fault->calls,
    "MAILMEND_FAULT_PATH", pattern,
    "MAILMEND_FAULT_ERRNO", fault->errno_name,
    "MAILMEND_FAULT_PARTIAL", "1",
    "MAILMEND_FAULT_SKIP", fault->skip != NULL ? fault->skip : "0",
    NULL
  };

  apply_in_tool (fixture, &run, environment);
  assert_failed_with (&run, fault->finding_id);

  assert_originals (fixture);
  changes = mend_journal_list_changes (fixture->journal, NULL);
  if (!fault->recorded)
    {
      g_assert_cmpuint (changes->len, ==, 0);
    }
  else
    {
      g_assert_cmpuint (changes->len, ==, 1);
      g_assert_cmpint (mend_change_get_state (g_ptr_array_index (changes, 0)), ==, fault->state);
    }

  /* And the journal still works. */
  g_free (apply_fixture_plan (fixture));
  assert_contents (fixture->first, FIRST_AFTER);
}

/* The second write fails and so does putting the first file back: the change stays pending,
 * and the next process to open the journal puts the first file back. */
static void
test_rollback_fails (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autofree char *pattern = g_strconcat (fixture->root, "/home/*", NULL);
  g_autofree char *change_id = NULL;
  g_autofree char *expected = NULL;
  g_auto(ToolRun) run = { 0 };
  g_auto(ToolRun) recover = { 0 };
  const char *environment[] = {
    "LD_PRELOAD", g_getenv ("MAILMEND_FAULT_INJECT"),
    "MAILMEND_FAULT_CALLS", "write",
    "MAILMEND_FAULT_PATH", pattern,
    "MAILMEND_FAULT_SKIP", "1",
    NULL
  };

  apply_in_tool (fixture, &run, environment);
  assert_failed_with (&run, "repair-incomplete");
  assert_contents (fixture->first, FIRST_AFTER);
  assert_contents (fixture->second, SECOND_BEFORE);

  run_tool (fixture, &recover, NULL, "recover", NULL);
  g_assert_true (recover.exited);
  g_assert_cmpint (recover.status, ==, 0);
  change_id = only_change_id (fixture);
  expected = g_strdup_printf ("%s\n", change_id);
  g_assert_cmpstr (recover.stdout_text, ==, expected);

  assert_originals (fixture);
  assert_state (fixture, change_id, MEND_CHANGE_STATE_ROLLED_BACK);
}

/* A file that cannot be renamed over (a bind mount, as in Flatpak) is rewritten in place,
 * keeping its inode; undo too. */
static void
test_in_place (Fixture       *fixture,
               gconstpointer  data)
{
  g_autofree char *pattern = g_strconcat (fixture->root, "/home/.msmtprc", NULL);
  g_autofree char *change_id = NULL;
  g_auto(ToolRun) run = { 0 };
  g_auto(ToolRun) undo = { 0 };
  const char *environment[] = {
    "LD_PRELOAD", g_getenv ("MAILMEND_FAULT_INJECT"),
    "MAILMEND_FAULT_CALLS", "rename",
    "MAILMEND_FAULT_PATH", pattern,
    "MAILMEND_FAULT_ERRNO", "EXDEV",
    NULL
  };
  GStatBuf before, after;

  g_assert_no_errno (g_stat (fixture->first, &before));

  apply_in_tool (fixture, &run, environment);
  g_assert_true (run.exited);
  g_assert_cmpint (run.status, ==, 0);
  assert_contents (fixture->first, FIRST_AFTER);
  assert_contents (fixture->second, SECOND_AFTER);
  g_assert_no_errno (g_stat (fixture->first, &after));
  g_assert_cmpint (after.st_ino, ==, before.st_ino);

  change_id = only_change_id (fixture);
  run_tool (fixture, &undo, environment, "undo", change_id, NULL);
  g_assert_true (undo.exited);
  g_assert_cmpint (undo.status, ==, 0);
  assert_originals (fixture);
  g_assert_no_errno (g_stat (fixture->first, &after));
  g_assert_cmpint (after.st_ino, ==, before.st_ino);
}

static const char * const crash_points[] = { "after-backup", "after-first-rename",
                                             "before-commit" };

/* Killed at each step of an apply: the next process to open the journal finds every file
 * whole, as it was; the journal goes on working. */
static void
test_crash_during_apply (Fixture       *fixture,
                         gconstpointer  data)
{
  const char *crash_at = data;
  g_autofree char *change_id = NULL;
  g_autoptr(GPtrArray) resolved = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(ToolRun) run = { 0 };
  const char *environment[] = { "MAILMEND_TEST_CRASH_AT", crash_at, NULL };

  apply_in_tool (fixture, &run, environment);
  g_assert_false (run.exited);
  g_assert_cmpint (run.status, ==, SIGKILL);

  /* On disk, right after the crash: each file whole, either version. */
  if (g_str_equal (crash_at, "after-backup"))
    {
      assert_contents (fixture->first, FIRST_BEFORE);
      assert_contents (fixture->second, SECOND_BEFORE);
    }
  else if (g_str_equal (crash_at, "after-first-rename"))
    {
      assert_contents (fixture->first, FIRST_AFTER);
      assert_contents (fixture->second, SECOND_BEFORE);
    }
  else
    {
      assert_contents (fixture->first, FIRST_AFTER);
      assert_contents (fixture->second, SECOND_AFTER);
    }

  resolved = mend_journal_recover (fixture->journal, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (resolved->len, ==, 1);
  change_id = only_change_id (fixture);
  g_assert_cmpstr (mend_change_get_id (g_ptr_array_index (resolved, 0)), ==, change_id);
  assert_state (fixture, change_id, MEND_CHANGE_STATE_ROLLED_BACK);
  assert_originals (fixture);

  /* Resolved once: a second open finds nothing to do. */
  g_clear_pointer (&resolved, g_ptr_array_unref);
  resolved = mend_journal_recover (fixture->journal, &error);
  g_assert_cmpuint (resolved->len, ==, 0);

  g_clear_pointer (&change_id, g_free);
  change_id = apply_fixture_plan (fixture);
  g_assert_true (mend_journal_undo (fixture->journal, change_id, &error));
  g_assert_no_error (error);
  assert_originals (fixture);
}

/* Killed between the two restores of an undo: the next open finishes the undo. */
static void
test_crash_during_undo (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autofree char *change_id = apply_fixture_plan (fixture);
  g_autoptr(GPtrArray) changes = NULL;
  g_auto(ToolRun) run = { 0 };
  const char *environment[] = { "MAILMEND_TEST_CRASH_AT", "after-first-restore", NULL };

  run_tool (fixture, &run, environment, "undo", change_id, NULL);
  g_assert_false (run.exited);
  g_assert_cmpint (run.status, ==, SIGKILL);
  assert_contents (fixture->first, FIRST_BEFORE);
  assert_contents (fixture->second, SECOND_AFTER);

  changes = mend_journal_list_changes (fixture->journal, NULL);
  g_assert_cmpuint (changes->len, ==, 1);
  g_assert_true (mend_change_get_undone (g_ptr_array_index (changes, 0)));
  assert_originals (fixture);
}

/* After a crash, whatever else is found is kept, not overwritten: a temporary file the crash
 * left is removed, and bytes that are neither version (the user edited the file before
 * Mailmend ran again) are saved next to the backup before the original is put back. */
static void
test_crash_leftovers (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autofree char *leftover = g_strconcat (fixture->first, ".mailmend-Xy12Zw", NULL);
  g_autofree char *change_id = NULL;
  g_autofree char *kept = NULL;
  g_autoptr(MendChange) change = NULL;
  g_autoptr(GPtrArray) changes = NULL;
  g_auto(ToolRun) run = { 0 };
  const char *environment[] = { "MAILMEND_TEST_CRASH_AT", "before-commit", NULL };
  const char *edited = "# edited after the crash\n";

  apply_in_tool (fixture, &run, environment);
  g_assert_cmpint (run.status, ==, SIGKILL);
  write_file (leftover, FIRST_AFTER, 0600);
  write_file (fixture->second, edited, 0600);

  changes = mend_journal_list_changes (fixture->journal, NULL);
  g_assert_cmpuint (changes->len, ==, 1);
  change = g_object_ref (g_ptr_array_index (changes, 0));
  g_assert_cmpint (mend_change_get_state (change), ==, MEND_CHANGE_STATE_ROLLED_BACK);

  assert_originals (fixture);
  kept = g_strconcat (mend_change_get_backups (change)[1], ".interrupted", NULL);
  assert_contents (kept, edited);
}

/* --- async ---------------------------------------------------------------------------- */

static void
on_result (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static GAsyncResult *
wait_for_result (GAsyncResult **result)
{
  while (*result == NULL)
    g_main_context_iteration (NULL, TRUE);

  return *result;
}

static void
test_async (Fixture       *fixture,
            gconstpointer  data)
{
  g_autoptr(MendRepairPlan) plan = make_fixture_plan (fixture);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *change_id = NULL;

  /* Cancelled before it starts: nothing written, and no finding for it. */
  g_cancellable_cancel (cancellable);
  mend_journal_apply_async (fixture->journal, plan, cancellable, on_result, &result);
  g_assert_null (mend_journal_apply_finish (fixture->journal, wait_for_result (&result), &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_null (mend_repair_error_to_finding (error));
  assert_originals (fixture);
  g_clear_error (&error);
  g_clear_object (&result);

  mend_journal_apply_async (fixture->journal, plan, NULL, on_result, &result);
  change_id = mend_journal_apply_finish (fixture->journal, wait_for_result (&result), &error);
  g_assert_no_error (error);
  g_assert_nonnull (change_id);
  assert_contents (fixture->first, FIRST_AFTER);
  g_clear_object (&result);

  mend_journal_undo_async (fixture->journal, change_id, NULL, on_result, &result);
  g_assert_true (mend_journal_undo_finish (fixture->journal, wait_for_result (&result), &error));
  g_assert_no_error (error);
  assert_originals (fixture);
}

#define ADD(name, func, data) \
  g_test_add ("/journal/" name, Fixture, data, fixture_set_up, func, fixture_tear_down)

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_set_prgname ("test-journal");

  ADD ("apply-undo", test_apply_undo, NULL);
  ADD ("list-newest-first", test_list_newest_first, NULL);
  ADD ("id-after-clock-change", test_id_after_clock_change, NULL);
  ADD ("symlinked-dotfile", test_symlinked_dotfile, NULL);
  ADD ("config-changed", test_config_changed, NULL);
  ADD ("cannot-apply", test_cannot_apply, NULL);
  ADD ("undo-refused", test_undo_refused, NULL);
  ADD ("unknown-change", test_unknown_change, NULL);
  ADD ("read-only-folder", test_read_only_folder, NULL);
  ADD ("fault/full-disk", test_fault, &fault_full_disk);
  ADD ("fault/fsync", test_fault, &fault_fsync);
  ADD ("fault/rename", test_fault, &fault_rename);
  ADD ("fault/backup", test_fault, &fault_backup);
  ADD ("fault/commit", test_fault, &fault_commit);
  ADD ("fault/rollback-fails", test_rollback_fails, NULL);
  ADD ("fault/in-place", test_in_place, NULL);
  for (guint i = 0; i < G_N_ELEMENTS (crash_points); i++)
    {
      g_autofree char *name = g_strdup_printf ("/journal/crash/%s", crash_points[i]);

      g_test_add (name, Fixture, crash_points[i], fixture_set_up, test_crash_during_apply,
                  fixture_tear_down);
    }
  ADD ("crash/after-first-restore", test_crash_during_undo, NULL);
  ADD ("crash/leftovers", test_crash_leftovers, NULL);
  ADD ("async", test_async, NULL);

  return g_test_run ();
}
