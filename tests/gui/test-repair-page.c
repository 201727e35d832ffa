/* test-repair-page.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The Repair step on copies of the fixture homes, with the rig's real keyring and the real
 * journal: the plans listed with their diffs, Apply writing the files (their bytes checked
 * on disk), Undo putting back identical bytes, a running Thunderbird stopping Apply until it
 * is closed, a token-command app without a stored sign-in, two accounts in one file, a change
 * a crash left unfinished put back before planning, the "Open" button starting the mail
 * app's desktop entry, and the window's `wizard.go-to-step`. Saves PNGs into
 * MAILMEND_SCREENSHOT_DIR.
 *
 * Needs the rig (tests/harness/session-run): without MAILMEND_TEST_RIG or a display it skips.
 */

#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>

#include "mend-account-group.h"
#include "mend-diff-view.h"
#include "mend-file-edit.h"
#include "mend-journal.h"
#include "mend-repair-row.h"
#include "mend-scanner.h"
#include "mend-test-gui.h"
#include "mend-test-scan.h"
#include "mend-window.h"
#include "pages/mend-accounts-page.h"
#include "pages/mend-repair-page-private.h"

#define ALICE "alice.martin@outlook.com"
#define CAROL "carol.petit@contoso.com"
#define DAVE  "dave.leroy@outlook.com"
#define ALEX  "alex@contoso.onmicrosoft.com"
#define ALIAS "alex.alias@contoso.onmicrosoft.com"

#define THUNDERBIRD_PREFS ".thunderbird/k3x9wq2e.default-release/prefs.js"

/* Set once in main(), before anything caches them: GLib reads these folders only once. */
static char *home;
static char *journal_dir;
static char *proc_dir;
static char *launched_marker;

typedef struct
{
  GtkWidget      *window;
  MendRepairPage *page;
} Fixture;

/* ---------------------------------------------------------------------------------------------
 * Waiting
 * ------------------------------------------------------------------------------------------- */

static gboolean
page_is_idle (gpointer data)
{
  return !mend_repair_page_is_busy (MEND_REPAIR_PAGE (data));
}

static void
wait_until_idle (MendRepairPage *page)
{
  mend_test_gui_wait_for (page_is_idle, page, "the page to finish");
}

static gboolean
file_exists (gpointer data)
{
  return g_file_test (data, G_FILE_TEST_EXISTS);
}

/* ---------------------------------------------------------------------------------------------
 * Looking at widgets
 * ------------------------------------------------------------------------------------------- */

static MendRepairRow *
find_row (Fixture    *fixture,
          const char *address)
{
  g_autoptr(GPtrArray) rows = _mend_repair_page_get_rows (fixture->page);

  for (guint i = 0; i < rows->len; i++)
    {
      MendRepairRow *row = g_ptr_array_index (rows, i);
      MendRepairPlan *plan = mend_repair_row_get_plan (row);

      if (plan != NULL && g_strcmp0 (mend_repair_plan_get_address (plan), address) == 0)
        return row;
    }

  g_error ("No row for %s", address);
}

static void
assert_row_finding (MendRepairRow *row,
                    const char    *id)
{
  MendFinding *finding = mend_repair_row_get_finding (row);

  g_assert_nonnull (finding);
  g_assert_cmpstr (mend_finding_get_id (finding), ==, id);
  mend_test_gui_assert_text_shown (GTK_WIDGET (row), mend_finding_get_title (finding));
  mend_test_gui_assert_text_shown (GTK_WIDGET (row), mend_finding_get_explanation (finding));
}

/* Opens “Show Changes” and returns the diff it shows. */
static const char *
show_changes (Fixture       *fixture,
              MendRepairRow *row)
{
  GtkWidget *expander = mend_test_gui_find_descendant (GTK_WIDGET (row), GTK_TYPE_EXPANDER);
  GtkWidget *diff_view;

  g_assert_nonnull (expander);
  g_assert_true (gtk_widget_is_drawable (expander));
  gtk_expander_set_expanded (GTK_EXPANDER (expander), TRUE);
  mend_test_gui_wait_for_frame (fixture->window);

  diff_view = gtk_expander_get_child (GTK_EXPANDER (expander));
  g_assert_true (MEND_IS_DIFF_VIEW (diff_view));
  g_assert_true (gtk_widget_is_drawable (diff_view));

  return mend_diff_view_get_text (MEND_DIFF_VIEW (diff_view));
}

static void
assert_has_line (const char *text,
                 const char *line)
{
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);

  if (!g_strv_contains ((const char * const *) lines, line))
    g_error ("No line “%s” in:\n%s", line, text);
}

static GtkWidget *
page_button (Fixture    *fixture,
             const char *action_name,
             const char *target)
{
  return mend_test_gui_find_button (GTK_WIDGET (fixture->page), action_name, target);
}

static GtkWidget *
row_button (MendRepairRow *row,
            const char    *action_name,
            const char    *target)
{
  return mend_test_gui_find_button (GTK_WIDGET (row), action_name, target);
}

/* ---------------------------------------------------------------------------------------------
 * Homes, sign-ins and files
 * ------------------------------------------------------------------------------------------- */

/* Makes the home a fresh copy of @fixture. */
static void
use_fixture_home (const char *fixture)
{
  g_autofree char *source = g_test_build_filename (G_TEST_DIST, "fixtures", "homes", fixture, ".",
                                                   NULL);
  const char *argv[] = { "cp", "-a", source, home, NULL };
  g_autoptr(GError) error = NULL;
  int status = 0;

  mend_test_remove_tree (home);
  g_assert_cmpint (g_mkdir_with_parents (home, 0700), ==, 0);
  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL,
                &status, &error);
  g_assert_no_error (error);
  g_spawn_check_wait_status (status, &error);
  g_assert_no_error (error);
}

static void
store_sign_in (const char *address)
{
  g_autoptr(MendOAuthToken) token = mend_test_gui_token_new (address, "repair-page-access-token",
                                                             "repair-page-refresh-token");

  mend_test_gui_store_token (token);
}

static void
forget_sign_ins (void)
{
  static const char * const addresses[] = { ALICE, CAROL, DAVE, ALEX, ALIAS };

  for (guint i = 0; i < G_N_ELEMENTS (addresses); i++)
    mend_test_gui_forget_sign_in (addresses[i]);
}

static GBytes *
read_home_file (const char *relative_path)
{
  g_autofree char *path = g_build_filename (home, relative_path, NULL);
  g_autoptr(GError) error = NULL;
  char *contents = NULL;
  gsize length = 0;

  g_file_get_contents (path, &contents, &length, &error);
  g_assert_no_error (error);

  return g_bytes_new_take (contents, length);
}

static void
assert_file_has_line (const char *relative_path,
                      const char *line)
{
  g_autoptr(GBytes) bytes = read_home_file (relative_path);
  g_autofree char *text = g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));

  assert_has_line (text, line);
}

static void
assert_file_is (const char *relative_path,
                GBytes     *expected)
{
  g_autoptr(GBytes) bytes = read_home_file (relative_path);

  g_assert_true (g_bytes_equal (bytes, expected));
}

static guint
count_journal_changes (void)
{
  g_autoptr(MendJournal) journal = mend_journal_new (journal_dir);
  g_autoptr(GPtrArray) changes = NULL;
  g_autoptr(GError) error = NULL;

  changes = mend_journal_list_changes (journal, &error);
  g_assert_no_error (error);

  return changes->len;
}

/* ---------------------------------------------------------------------------------------------
 * The fixture: a window with the page, on a fresh home
 * ------------------------------------------------------------------------------------------- */

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  use_fixture_home (data);
  mend_test_remove_tree (journal_dir);
  g_unlink (launched_marker);
  /* Nothing runs. */
  mend_test_remove_tree (proc_dir);
  g_assert_cmpint (g_mkdir (proc_dir, 0700), ==, 0);
  forget_sign_ins ();

  fixture->page = g_object_new (MEND_TYPE_REPAIR_PAGE, NULL);
  fixture->window = mend_test_gui_window_new (GTK_WIDGET (fixture->page), 640, 900);
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  g_clear_pointer ((GtkWindow **) &fixture->window, gtk_window_destroy);
  forget_sign_ins ();
  mend_test_gui_run_pending ();
}

/* What the Accounts step would give: the Microsoft accounts of a fresh scan with these
 * addresses (all of them with none). */
static GPtrArray *
scan_groups (const char *first_address,
             ...)
{
  g_autoptr(MendScanContext) context = mend_scan_context_new (NULL, NULL);
  g_autoptr(MendScanner) scanner = mend_scanner_new ();
  g_autoptr(GPtrArray) microsoft = g_ptr_array_new ();
  g_autoptr(GPtrArray) groups = NULL;
  g_autoptr(GPtrArray) addresses = g_ptr_array_new ();
  GPtrArray *chosen = g_ptr_array_new_with_free_func (g_object_unref);
  GPtrArray *accounts;
  const char *address;
  va_list args;

  va_start (args, first_address);
  for (address = first_address; address != NULL; address = va_arg (args, const char *))
    g_ptr_array_add (addresses, (gpointer) address);
  va_end (args);

  mend_scanner_scan (scanner, context);
  accounts = mend_scan_context_get_accounts (context);
  for (guint i = 0; i < accounts->len; i++)
    {
      if (mend_account_is_microsoft (g_ptr_array_index (accounts, i)))
        g_ptr_array_add (microsoft, g_ptr_array_index (accounts, i));
    }

  groups = mend_account_group_collect (microsoft);
  for (guint i = 0; i < groups->len; i++)
    {
      MendAccountGroup *group = g_ptr_array_index (groups, i);

      if (addresses->len == 0 ||
          g_ptr_array_find_with_equal_func (addresses, mend_account_group_get_address (group),
                                            g_str_equal, NULL))
        g_ptr_array_add (chosen, g_object_ref (group));
    }

  g_assert_cmpuint (chosen->len, ==, addresses->len > 0 ? addresses->len : groups->len);

  return chosen;
}

static void
show_plans (Fixture   *fixture,
            GPtrArray *groups)
{
  mend_repair_page_set_accounts (fixture->page, groups);
  g_assert_true (mend_repair_page_is_busy (fixture->page));
  g_assert_cmpstr (_mend_repair_page_get_view_name (fixture->page), ==, "loading");

  gtk_window_present (GTK_WINDOW (fixture->window));
  wait_until_idle (fixture->page);
  g_assert_cmpstr (_mend_repair_page_get_view_name (fixture->page), ==, "plans");
  mend_test_gui_wait_for_frame (fixture->window);
}

/* ---------------------------------------------------------------------------------------------
 * Tests
 * ------------------------------------------------------------------------------------------- */

/* Every kind of account of the demo home: ready (Thunderbird, msmtp signed in), no OAuth path
 * (Geary), already OAuth 2.0 (Evolution). */
static void
test_plans (Fixture       *fixture,
            gconstpointer  data)
{
  g_autoptr(GPtrArray) groups = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GBytes) prefs = read_home_file (THUNDERBIRD_PREFS);
  g_autoptr(GBytes) msmtprc = read_home_file (".msmtprc");
  MendRepairRow *thunderbird, *msmtp, *geary;
  g_autofree char *token_line = NULL;
  GtkWidget *diff_view;
  GtkLabel *diff_label;
  const char *diff;
  int minimum = 0;

  store_sign_in (CAROL);
  groups = scan_groups (NULL);
  show_plans (fixture, groups);

  rows = _mend_repair_page_get_rows (fixture->page);
  g_assert_cmpuint (rows->len, ==, groups->len);
  g_assert_cmpuint (rows->len, ==, 4);

  thunderbird = find_row (fixture, ALICE);
  g_assert_true (mend_repair_row_can_apply (thunderbird));
  g_assert_null (mend_repair_row_get_finding (thunderbird));
  mend_test_gui_assert_text_shown (GTK_WIDGET (thunderbird), "Ready to switch to OAuth 2.0");
  mend_test_gui_assert_text_shown (GTK_WIDGET (thunderbird),
                                   "Keep Thunderbird closed until the repair is done.");
  mend_test_gui_assert_text_shown (GTK_WIDGET (thunderbird),
                                   "Thunderbird asks you to sign in to Microsoft the next time "
                                   "it starts.");

  msmtp = find_row (fixture, CAROL);
  g_assert_true (mend_repair_row_can_apply (msmtp));

  geary = find_row (fixture, DAVE);
  g_assert_false (mend_repair_row_can_apply (geary));
  assert_row_finding (geary, "no-oauth-path");

  /* The fourth, Evolution, already signs in with OAuth 2.0. */
  for (guint i = 0; i < rows->len; i++)
    {
      MendRepairRow *row = g_ptr_array_index (rows, i);

      if (row != thunderbird && row != msmtp && row != geary)
        assert_row_finding (row, "nothing-to-change");
    }

  /* The diffs, behind their expanders. */
  diff = show_changes (fixture, thunderbird);
  assert_has_line (diff, "+user_pref(\"mail.server.server1.authMethod\", 10);");
  assert_has_line (diff, "+user_pref(\"mail.smtpserver.smtp1.authMethod\", 10);");
  diff = show_changes (fixture, msmtp);
  token_line = g_strdup_printf ("token %s\"", CAROL);
  g_assert_nonnull (strstr (diff, token_line));
  assert_has_line (diff, "-passwordeval   \"secret-tool lookup service msmtp account contoso\"");

  g_assert_true (mend_test_gui_is_usable (page_button (fixture, "repair.apply", NULL)));
  mend_test_gui_save_screenshot (fixture->window, "01-plans.png");

  /* Planning wrote nothing. */
  assert_file_is (THUNDERBIRD_PREFS, prefs);
  assert_file_is (".msmtprc", msmtprc);
  g_assert_cmpuint (count_journal_changes (), ==, 0);

  /* It fits a phone. */
  gtk_widget_measure (fixture->window, GTK_ORIENTATION_HORIZONTAL, -1, &minimum, NULL, NULL, NULL);
  g_assert_cmpint (minimum, <=, 360);
  gtk_window_set_default_size (GTK_WINDOW (fixture->window), 360, 900);
  mend_test_gui_save_screenshot (fixture->window, "02-plans-narrow.png");

  /* Added lines in the style's success colour, escaped; lighter in the dark style. */
  diff_view = mend_test_gui_find_descendant (GTK_WIDGET (thunderbird), MEND_TYPE_DIFF_VIEW);
  diff_label = GTK_LABEL (mend_test_gui_find_descendant (diff_view, GTK_TYPE_LABEL));
  g_assert_nonnull (strstr (gtk_label_get_label (diff_label),
                            "<span foreground=\"#1b8553\">"
                            "+user_pref(&quot;mail.server.server1.authMethod&quot;, 10);</span>"));
  mend_test_gui_set_dark (TRUE);
  g_assert_nonnull (strstr (gtk_label_get_label (diff_label),
                            "<span foreground=\"#8ff0a4\">"
                            "+user_pref(&quot;mail.server.server1.authMethod&quot;, 10);</span>"));
  mend_test_gui_save_screenshot (fixture->window, "02-plans-narrow-dark.png");
  mend_test_gui_set_dark (FALSE);
}

/* Apply writes both files through the journal; Undo puts back the same bytes. */
static void
test_apply_undo (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(GPtrArray) groups = NULL;
  g_autoptr(GBytes) prefs = read_home_file (THUNDERBIRD_PREFS);
  g_autoptr(GBytes) msmtprc = read_home_file (".msmtprc");
  MendRepairRow *thunderbird, *msmtp;
  GtkWidget *open_button;
  int minimum = 0;

  store_sign_in (CAROL);
  groups = scan_groups (ALICE, CAROL, NULL);
  show_plans (fixture, groups);
  thunderbird = find_row (fixture, ALICE);
  msmtp = find_row (fixture, CAROL);

  mend_test_gui_click (page_button (fixture, "repair.apply", NULL));
  g_assert_true (mend_repair_page_is_busy (fixture->page));
  /* Nothing else runs meanwhile. */
  g_assert_false (mend_test_gui_is_usable (page_button (fixture, "repair.check-again", NULL)));
  wait_until_idle (fixture->page);

  g_assert_cmpint (mend_repair_row_get_state (thunderbird), ==, MEND_REPAIR_ROW_APPLIED);
  g_assert_cmpint (mend_repair_row_get_state (msmtp), ==, MEND_REPAIR_ROW_APPLIED);
  g_assert_nonnull (mend_repair_row_get_change_id (thunderbird));
  g_assert_cmpuint (count_journal_changes (), ==, 2);
  mend_test_gui_assert_text_shown (GTK_WIDGET (thunderbird), "Switched to OAuth 2.0");
  mend_test_gui_assert_text_shown (GTK_WIDGET (msmtp), "Switched to OAuth 2.0");

  /* The bytes on disk. */
  assert_file_has_line (THUNDERBIRD_PREFS, "user_pref(\"mail.server.server1.authMethod\", 10);");
  assert_file_has_line (THUNDERBIRD_PREFS, "user_pref(\"mail.smtpserver.smtp1.authMethod\", 10);");
  assert_file_has_line (".msmtprc", "auth           xoauth2");
  g_assert_false (g_bytes_equal (read_home_file (".msmtprc"), msmtprc));

  /* Next: Undo on each, Verify for the page, and the mail app when it is installed. */
  g_assert_true (mend_test_gui_is_usable (row_button (thunderbird, "repair.undo", NULL)));
  g_assert_true (mend_test_gui_is_usable (row_button (msmtp, "repair.undo", NULL)));
  g_assert_false (gtk_widget_is_drawable (page_button (fixture, "repair.apply", NULL)));
  g_assert_true (gtk_widget_is_drawable (page_button (fixture, "wizard.go-to-step", "verify")));
  open_button = row_button (thunderbird, "repair.open", NULL);
  g_assert_true (mend_test_gui_is_usable (open_button));
  g_assert_cmpstr (gtk_button_get_label (GTK_BUTTON (open_button)), ==, "_Open Thunderbird");
  g_assert_false (gtk_widget_is_drawable (row_button (msmtp, "repair.open", NULL)));
  mend_test_gui_save_screenshot (fixture->window, "03-applied.png");
  gtk_widget_measure (fixture->window, GTK_ORIENTATION_HORIZONTAL, -1, &minimum, NULL, NULL, NULL);
  g_assert_cmpint (minimum, <=, 360);

  mend_test_gui_click (open_button);
  mend_test_gui_wait_for (file_exists, launched_marker, "Thunderbird's desktop entry to start");

  /* Check Again keeps the results, with their Undo. */
  mend_test_gui_click (page_button (fixture, "repair.check-again", NULL));
  wait_until_idle (fixture->page);
  thunderbird = find_row (fixture, ALICE);
  g_assert_cmpint (mend_repair_row_get_state (thunderbird), ==, MEND_REPAIR_ROW_APPLIED);

  mend_test_gui_click (row_button (thunderbird, "repair.undo", NULL));
  wait_until_idle (fixture->page);
  g_assert_cmpint (mend_repair_row_get_state (thunderbird), ==, MEND_REPAIR_ROW_UNDONE);
  mend_test_gui_assert_text_shown (GTK_WIDGET (thunderbird),
                                   "The previous settings are back, exactly as they were.");
  assert_file_is (THUNDERBIRD_PREFS, prefs);
  mend_test_gui_save_screenshot (fixture->window, "04-undone.png");

  mend_test_gui_click (row_button (msmtp, "repair.undo", NULL));
  wait_until_idle (fixture->page);
  g_assert_cmpint (mend_repair_row_get_state (msmtp), ==, MEND_REPAIR_ROW_UNDONE);
  assert_file_is (".msmtprc", msmtprc);

  /* Undone, each can be repaired again. */
  mend_test_gui_click (page_button (fixture, "repair.check-again", NULL));
  wait_until_idle (fixture->page);
  g_assert_true (mend_repair_row_can_apply (find_row (fixture, ALICE)));
  g_assert_true (mend_repair_row_can_apply (find_row (fixture, CAROL)));
}

/* Thunderbird holds its profile: the page says to close it, and Apply writes nothing until
 * Check Again finds it closed. */
static void
test_client_running (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autofree char *lock = g_build_filename (home, ".thunderbird", "k3x9wq2e.default-release",
                                            "lock", NULL);
  g_autofree char *process = g_build_filename (proc_dir, "4101", NULL);
  g_autofree char *comm = g_build_filename (process, "comm", NULL);
  g_autoptr(GPtrArray) groups = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) prefs = read_home_file (THUNDERBIRD_PREFS);
  MendRepairRow *row;
  GtkWidget *apply_button;

  /* A running Thunderbird: its process, and the lock in its profile naming it. */
  g_assert_cmpint (g_mkdir (process, 0700), ==, 0);
  g_file_set_contents (comm, "thunderbird\n", -1, &error);
  g_assert_no_error (error);
  g_assert_cmpint (symlink ("127.0.1.1:+4101", lock), ==, 0);

  groups = scan_groups (ALICE, NULL);
  show_plans (fixture, groups);
  row = find_row (fixture, ALICE);

  assert_row_finding (row, "client-running");
  mend_test_gui_assert_text_shown (GTK_WIDGET (row), "Close Thunderbird, then choose Check Again.");
  g_assert_true (mend_test_gui_is_usable (row_button (row, "repair.check-again", NULL)));
  apply_button = page_button (fixture, "repair.apply", NULL);
  g_assert_false (gtk_widget_is_sensitive (apply_button));
  /* Even asked to, it writes nothing. */
  gtk_widget_activate_action (GTK_WIDGET (fixture->page), "repair.apply", NULL);
  g_assert_false (mend_repair_page_is_busy (fixture->page));
  mend_test_gui_save_screenshot (fixture->window, "05-client-running.png");

  assert_file_is (THUNDERBIRD_PREFS, prefs);
  g_assert_cmpuint (count_journal_changes (), ==, 0);

  /* Thunderbird quits: its lock and its process go. */
  g_assert_cmpint (g_unlink (lock), ==, 0);
  mend_test_remove_tree (process);
  mend_test_gui_click (row_button (row, "repair.check-again", NULL));
  wait_until_idle (fixture->page);
  g_assert_true (mend_repair_row_can_apply (find_row (fixture, ALICE)));
  mend_test_gui_click (apply_button);
  wait_until_idle (fixture->page);
  assert_file_has_line (THUNDERBIRD_PREFS, "user_pref(\"mail.server.server1.authMethod\", 10);");
}

/* msmtp takes its tokens from Mailmend: without a stored sign-in it cannot be switched yet. */
static void
test_signin_needed (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(GPtrArray) groups = scan_groups (CAROL, NULL);
  g_autoptr(GBytes) msmtprc = read_home_file (".msmtprc");
  MendRepairRow *row;

  show_plans (fixture, groups);
  row = find_row (fixture, CAROL);

  assert_row_finding (row, "signin-needed");
  g_assert_false (mend_repair_row_can_apply (row));
  /* The way back to the Sign In step (the window's action: absent here, so insensitive). */
  g_assert_true (gtk_widget_is_drawable (row_button (row, "wizard.go-to-step", "signin")));
  g_assert_false (gtk_widget_is_sensitive (page_button (fixture, "repair.apply", NULL)));
  mend_test_gui_save_screenshot (fixture->window, "06-signin-needed.png");

  /* Signed in meanwhile: Check Again finds it. */
  store_sign_in (CAROL);
  mend_test_gui_click (page_button (fixture, "repair.check-again", NULL));
  wait_until_idle (fixture->page);
  g_assert_true (mend_repair_row_can_apply (find_row (fixture, CAROL)));
  assert_file_is (".msmtprc", msmtprc);
}

/* Mailmend was killed while it wrote ~/.msmtprc (after the new file was in place, before the
 * change was recorded as applied): the step puts the original back before it plans. */
static void
test_recovers_interrupted_change (Fixture       *fixture,
                                  gconstpointer  data)
{
  g_autofree char *msmtprc_path = g_build_filename (home, ".msmtprc", NULL);
  g_autofree char *base = g_path_get_dirname (home);
  g_autofree char *half_done = g_build_filename (base, "half-done", NULL);
  g_autoptr(GBytes) msmtprc = read_home_file (".msmtprc");
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) tool = NULL;
  g_autoptr(MendJournal) journal = NULL;
  g_autoptr(GPtrArray) changes = NULL;
  g_autoptr(GPtrArray) groups = NULL;
  g_autoptr(GError) error = NULL;
  const char *argv[] = { g_getenv ("MAILMEND_TEST_JOURNAL_TOOL"), journal_dir, "apply",
                         msmtprc_path, half_done, NULL };

  /* The account as the Accounts step found it, before. */
  groups = scan_groups (CAROL, NULL);

  g_assert_nonnull (argv[0]);
  g_file_set_contents (half_done, "# Not what msmtp had\n", -1, &error);
  g_assert_no_error (error);
  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE);
  g_subprocess_launcher_setenv (launcher, "MAILMEND_TEST_CRASH_AT", "before-commit", TRUE);
  tool = g_subprocess_launcher_spawnv (launcher, argv, &error);
  g_assert_no_error (error);
  g_subprocess_wait (tool, NULL, &error);
  g_assert_no_error (error);
  g_assert_false (g_subprocess_get_if_exited (tool));
  g_assert_false (g_bytes_equal (read_home_file (".msmtprc"), msmtprc));

  store_sign_in (CAROL);
  show_plans (fixture, groups);

  assert_file_is (".msmtprc", msmtprc);
  g_assert_true (mend_repair_row_can_apply (find_row (fixture, CAROL)));
  journal = mend_journal_new (journal_dir);
  changes = mend_journal_list_changes (journal, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (changes->len, ==, 1);
  g_assert_cmpint (mend_change_get_state (g_ptr_array_index (changes, 0)), ==,
                   MEND_CHANGE_STATE_ROLLED_BACK);
}

static char *
dup_edit_path (MendRepairRow *row)
{
  g_autoptr(GPtrArray) edits = mend_repair_plan_dup_edits (mend_repair_row_get_plan (row));

  g_assert_cmpuint (edits->len, ==, 1);

  return g_strdup (mend_file_edit_get_path (g_ptr_array_index (edits, 0)));
}

/* Two accounts in one ~/.msmtprc: the second is planned again after the first was written,
 * so the journal never sees a file other than the one planned. */
static void
test_same_file (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GPtrArray) groups = NULL;
  g_autoptr(GBytes) msmtprc = read_home_file (".msmtprc");
  g_autofree char *work_path = NULL;
  g_autofree char *alias_path = NULL;
  MendRepairRow *work, *alias;

  store_sign_in (ALEX);
  store_sign_in (ALIAS);
  groups = scan_groups (ALEX, ALIAS, NULL);
  show_plans (fixture, groups);
  work = find_row (fixture, ALEX);
  alias = find_row (fixture, ALIAS);
  g_assert_true (mend_repair_row_can_apply (work));
  g_assert_true (mend_repair_row_can_apply (alias));

  /* Both plans change the same file. */
  work_path = dup_edit_path (work);
  alias_path = dup_edit_path (alias);
  g_assert_cmpstr (work_path, ==, alias_path);

  mend_test_gui_click (page_button (fixture, "repair.apply", NULL));
  wait_until_idle (fixture->page);

  /* The first is written; the second, planned again, finds it inherits the change already
   * (planned once only, the journal would have refused it: `config-changed`). */
  g_assert_cmpint (mend_repair_row_get_state (work), ==, MEND_REPAIR_ROW_APPLIED);
  g_assert_cmpint (mend_repair_row_get_state (alias), ==, MEND_REPAIR_ROW_PLANNED);
  assert_row_finding (alias, "nothing-to-change");
  g_assert_cmpuint (count_journal_changes (), ==, 1);
  assert_file_has_line (".msmtprc", "auth           xoauth2");
  mend_test_gui_save_screenshot (fixture->window, "07-same-file.png");

  mend_test_gui_click (row_button (work, "repair.undo", NULL));
  wait_until_idle (fixture->page);
  assert_file_is (".msmtprc", msmtprc);
}

static void
go_to_step (MendWindow *window,
            const char *name)
{
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "wizard.go-to-step", "s", name));
}

static gboolean
accounts_page_is_idle (gpointer data)
{
  return !mend_accounts_page_is_scanning (MEND_ACCOUNTS_PAGE (data));
}

static gboolean
window_is_on_verify (gpointer data)
{
  return g_str_equal (mend_window_get_step_name (MEND_WINDOW (data)), "verify");
}

/* In the wizard: the Repair step gets the accounts chosen on the Accounts step, and sends
 * the user on with `wizard.go-to-step`. */
static void
test_window (Fixture       *fixture,
             gconstpointer  data)
{
  MendWindow *window = mend_window_new (NULL);
  GtkWidget *accounts;
  GtkWidget *page;
  g_autoptr(GPtrArray) rows = NULL;

  store_sign_in (CAROL);
  gtk_window_set_default_size (GTK_WINDOW (window), 640, 800);
  gtk_window_present (GTK_WINDOW (window));
  mend_test_gui_wait_for_frame (GTK_WIDGET (window));

  go_to_step (window, "accounts");
  g_assert_cmpstr (mend_window_get_step_name (window), ==, "accounts");
  accounts = mend_test_gui_find_descendant (GTK_WIDGET (window), MEND_TYPE_ACCOUNTS_PAGE);
  mend_test_gui_wait_for (accounts_page_is_idle, accounts, "the Accounts step's scan");
  go_to_step (window, "repair");
  g_assert_cmpstr (mend_window_get_step_name (window), ==, "repair");

  page = mend_test_gui_find_descendant (GTK_WIDGET (window), MEND_TYPE_REPAIR_PAGE);
  wait_until_idle (MEND_REPAIR_PAGE (page));

  /* The Accounts step chose the two accounts that need repair. */
  rows = _mend_repair_page_get_rows (MEND_REPAIR_PAGE (page));
  g_assert_cmpuint (rows->len, ==, 2);

  mend_test_gui_click (mend_test_gui_find_button (page, "repair.apply", NULL));
  wait_until_idle (MEND_REPAIR_PAGE (page));
  mend_test_gui_click (mend_test_gui_find_button (page, "wizard.go-to-step", "verify"));
  mend_test_gui_wait_for (window_is_on_verify, window, "the Verify step");

  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *base = NULL;
  g_autofree char *config = NULL;
  g_autofree char *state = NULL;
  g_autofree char *data = NULL;
  g_autofree char *applications = NULL;
  g_autofree char *desktop_file = NULL;
  g_autofree char *desktop_entry = NULL;
  g_autoptr(GError) error = NULL;
  int status;

  g_test_init (&argc, &argv, NULL);
  g_set_prgname ("test-repair-page");

  if (!mend_test_gui_in_rig ())
    return 0;

  /* A home, its config folder, the journal's state folder and a data folder with a desktop
   * entry for Thunderbird that only leaves a mark, set before GLib reads them. */
  base = g_dir_make_tmp ("mailmend-repair-page-XXXXXX", &error);
  g_assert_no_error (error);
  home = g_build_filename (base, "home", NULL);
  config = g_build_filename (home, ".config", NULL);
  state = g_build_filename (base, "state", NULL);
  journal_dir = g_build_filename (state, "mailmend", NULL);
  data = g_build_filename (base, "data", NULL);
  applications = g_build_filename (data, "applications", NULL);
  launched_marker = g_build_filename (base, "thunderbird-started", NULL);
  /* The process table the page reads (MAILMEND_PROC_DIR, as the CLI takes it). */
  proc_dir = g_build_filename (base, "proc", NULL);
  g_setenv ("MAILMEND_PROC_DIR", proc_dir, TRUE);
  g_setenv ("HOME", home, TRUE);
  g_setenv ("XDG_CONFIG_HOME", config, TRUE);
  g_setenv ("XDG_STATE_HOME", state, TRUE);
  g_setenv ("XDG_DATA_HOME", data, TRUE);
  g_assert_cmpint (g_mkdir_with_parents (applications, 0700), ==, 0);
  desktop_file = g_build_filename (applications, "org.mozilla.Thunderbird.desktop", NULL);
  desktop_entry = g_strdup_printf ("[Desktop Entry]\nType=Application\nName=Thunderbird\n"
                                   "Exec=touch %s\n", launched_marker);
  g_file_set_contents (desktop_file, desktop_entry, -1, &error);
  g_assert_no_error (error);

  /* The wizard's other steps never reach the internet here (test_window). */
  g_setenv ("MAILMEND_STATUS_URL", "http://127.0.0.1:1/api/posts/m365Consumer", TRUE);
  g_setenv ("MAILMEND_PREFLIGHT_TARGETS", "https:127.0.0.1:1 tls:127.0.0.1:1 smtp:127.0.0.1:1",
            TRUE);
  g_setenv ("MAILMEND_VERIFY_IMAP", "imaps://127.0.0.1:1", TRUE);
  g_setenv ("MAILMEND_VERIFY_SMTP", "smtp://127.0.0.1:1", TRUE);
  g_setenv ("MAILMEND_VERIFY_POP", "pop3s://127.0.0.1:1", TRUE);

  if (!mend_test_gui_init ())
    return 0;
  g_object_set (gtk_settings_get_default (),
                "gtk-enable-animations", FALSE,
                "gtk-font-name", "Cantarell 11",
                NULL);
  mend_test_gui_set_dark (FALSE);

  g_test_add ("/repair-page/plans", Fixture, "demo", fixture_setup, test_plans, fixture_teardown);
  g_test_add ("/repair-page/apply-undo", Fixture, "demo", fixture_setup, test_apply_undo,
              fixture_teardown);
  g_test_add ("/repair-page/client-running", Fixture, "demo", fixture_setup, test_client_running,
              fixture_teardown);
  g_test_add ("/repair-page/signin-needed", Fixture, "demo", fixture_setup, test_signin_needed,
              fixture_teardown);
  g_test_add ("/repair-page/same-file", Fixture, "msmtp-home", fixture_setup, test_same_file,
              fixture_teardown);
  g_test_add ("/repair-page/recovers-interrupted-change", Fixture, "demo", fixture_setup,
              test_recovers_interrupted_change, fixture_teardown);
  g_test_add ("/repair-page/window", Fixture, "demo", fixture_setup, test_window,
              fixture_teardown);

  status = g_test_run ();

  mend_test_remove_tree (base);

  return status;
}
