/* test-done-page.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The Done step on a copy of the demo home, with a sign-in in the rig's real keyring (its
 * tokens distinctive strings), Microsoft's status at a closed port and a journal of its own:
 * the summary lists the changes made since the page was created (not an earlier run's),
 * with what is left to do; Copy puts the report on the clipboard, read back through GDK,
 * with the account and without the tokens; Hide Email Addresses masks them in the preview
 * and the copy; Save writes the file whole by renaming a temporary one over it, in the
 * format its name asks for, and a folder that does not exist gives a finding. Saves PNGs
 * into MAILMEND_SCREENSHOT_DIR.
 *
 * Needs the rig (tests/harness/session-run): without MAILMEND_TEST_RIG or a display it skips.
 */

#include "config.h"

#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <adwaita.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "mend-finding-row.h"
#include "mend-journal.h"
#include "mend-test-cli.h"
#include "mend-test-gui.h"
#include "mend-test-scan.h"
#include "pages/mend-done-page-private.h"

#define ALICE "alice.martin@outlook.com"
#define CAROL "carol.petit@contoso.com"

#define THUNDERBIRD_PREFS ".thunderbird/k3x9wq2e.default-release/prefs.js"

/* Distinctive, so that any piece of them found in a report is a leak. */
#define ACCESS_TOKEN  "EwB4A8l6DonePageAccessQk9Zx3Rt7Yp2Vn5Bm8Lc1Hs4Jd6Kf0Wg"
#define REFRESH_TOKEN "M.C519_DonePageRefresh!Tq8*Ux4$Zr6Nv2Pw9Ay3Ce7Gi5Ko1"

static const char * const tokens[] = { ACCESS_TOKEN, REFRESH_TOKEN, NULL };

/* Set once in main(), before GLib caches the folders. */
static MendTestScan *scan;
static char *base;
static char *journal_dir;

typedef struct
{
  GtkWidget    *window;
  MendDonePage *page;
} Fixture;

/* ---------------------------------------------------------------------------------------------
 * Waiting and looking at widgets
 * ------------------------------------------------------------------------------------------- */

static gboolean
page_is_idle (gpointer data)
{
  return !_mend_done_page_is_busy (MEND_DONE_PAGE (data));
}

static void
wait_until_idle (Fixture *fixture)
{
  mend_test_gui_wait_for (page_is_idle, fixture->page, "the page to finish");
  mend_test_gui_wait_for_frame (fixture->window);
}

/* Activates the row or switch for @action_name, as Enter or Space on it would. */
static void
activate (Fixture    *fixture,
          const char *action_name)
{
  GtkWidget *widget = mend_test_gui_find_actionable (GTK_WIDGET (fixture->page), action_name,
                                                     NULL);

  if (widget == NULL)
    g_error ("Nothing activates %s", action_name);
  g_assert_true (gtk_widget_is_drawable (widget));
  g_assert_true (gtk_widget_is_sensitive (widget));
  g_assert_true (gtk_widget_get_focusable (widget));
  g_assert_true (gtk_widget_activate (widget));
}

static gboolean
hides_addresses (gpointer data)
{
  return mend_done_page_get_hide_addresses (MEND_DONE_PAGE (data));
}

static char *
dup_preview (Fixture *fixture)
{
  GtkWidget *view = mend_test_gui_find_descendant (GTK_WIDGET (fixture->page), GTK_TYPE_TEXT_VIEW);
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (view));
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);

  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}

static void
on_clipboard_text (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  char **text = user_data;
  g_autoptr(GError) error = NULL;

  *text = gdk_clipboard_read_text_finish (GDK_CLIPBOARD (object), result, &error);
  g_assert_no_error (error);
}

static char *
read_clipboard (Fixture *fixture)
{
  char *text = NULL;

  gdk_clipboard_read_text_async (gtk_widget_get_clipboard (fixture->window), NULL,
                                 on_clipboard_text, &text);
  mend_test_gui_wait_for (mend_test_gui_pointer_is_set, &text, "the clipboard");

  return text;
}

/* ---------------------------------------------------------------------------------------------
 * Sign-ins and changes
 * ------------------------------------------------------------------------------------------- */

static void
store_sign_in (void)
{
  g_autoptr(MendOAuthToken) token = mend_test_gui_token_new (ALICE, ACCESS_TOKEN, REFRESH_TOKEN);
  g_autoptr(GDateTime) expires_at = g_date_time_new_utc (2031, 5, 17, 8, 30, 0);

  mend_oauth_token_set_expires_at (token, expires_at);
  mend_oauth_token_set_tenant_id (token, MEND_CONSUMER_TENANT_ID);
  mend_test_gui_store_token (token);
}

/* Changes a file of the home as a repair of @client_id would, through the journal. */
static char *
apply_change (const char *client_id,
              const char *client_name,
              const char *relative_path,
              const char *address)
{
  g_autofree char *path = mend_test_scan_path (scan, relative_path);
  g_autoptr(MendJournal) journal = mend_journal_new (journal_dir);
  g_autoptr(MendAccount) account = mend_account_new (client_id, path, address,
                                                     MEND_PROTOCOL_IMAP);
  g_autoptr(GPtrArray) accounts = g_ptr_array_new ();
  g_autoptr(MendRepairPlan) plan = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *changed = NULL;
  char *change_id = NULL;

  mend_account_set_address (account, address);
  g_ptr_array_add (accounts, account);
  plan = mend_repair_plan_new (client_id, client_name, accounts);

  mend_repair_plan_read_file (plan, path, &contents, NULL, &error);
  g_assert_no_error (error);
  changed = g_strconcat (contents, "# Switched to OAuth 2.0 by the test\n", NULL);
  mend_repair_plan_write_file (plan, path, changed, -1);

  g_assert_true (mend_journal_apply (journal, plan, &change_id, &error));
  g_assert_no_error (error);

  return change_id;
}

static void
undo_change (const char *change_id)
{
  g_autoptr(MendJournal) journal = mend_journal_new (journal_dir);
  g_autoptr(GError) error = NULL;

  g_assert_true (mend_journal_undo (journal, change_id, &error));
  g_assert_no_error (error);
}

/* ---------------------------------------------------------------------------------------------
 * The fixture: a change from an earlier run, then a window with the page
 * ------------------------------------------------------------------------------------------- */

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  g_autofree char *earlier = NULL;

  mend_test_remove_tree (journal_dir);
  mend_test_gui_set_dark (FALSE);
  store_sign_in ();

  /* An earlier run of the wizard repaired msmtp; change ids and times hold whole seconds. */
  earlier = apply_change ("msmtp", "msmtp", ".msmtprc", CAROL);
  g_usleep (G_USEC_PER_SEC + G_USEC_PER_SEC / 10);

  fixture->page = g_object_new (MEND_TYPE_DONE_PAGE, NULL);
  fixture->window = mend_test_gui_window_new (GTK_WIDGET (fixture->page), 640, 900);
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  g_clear_pointer ((GtkWindow **) &fixture->window, gtk_window_destroy);
  mend_test_gui_forget_sign_in (ALICE);
  mend_test_gui_run_pending ();
}

/* Shows the page, which collects the report. */
static void
show_page (Fixture *fixture)
{
  GtkWidget *copy;

  gtk_window_present (GTK_WINDOW (fixture->window));
  g_assert_true (_mend_done_page_is_busy (fixture->page));
  /* Nothing to copy or save until the report is there. */
  copy = mend_test_gui_find_actionable (GTK_WIDGET (fixture->page), "done.copy", NULL);
  g_assert_false (gtk_widget_is_sensitive (copy));
  wait_until_idle (fixture);
}

/* This run repaired Thunderbird, and repaired then undid msmtp. */
static void
make_this_runs_changes (void)
{
  g_autofree char *thunderbird = NULL;
  g_autofree char *msmtp = NULL;

  thunderbird = apply_change ("thunderbird", "Thunderbird", THUNDERBIRD_PREFS, ALICE);
  msmtp = apply_change ("msmtp", "msmtp", ".msmtprc", CAROL);
  undo_change (msmtp);
}

/* ---------------------------------------------------------------------------------------------
 * Tests
 * ------------------------------------------------------------------------------------------- */

static void
test_summary (Fixture       *fixture,
              gconstpointer  data)
{
  GtkWidget *page = GTK_WIDGET (fixture->page);
  int minimum = 0;

  make_this_runs_changes ();
  show_page (fixture);

  mend_test_gui_assert_text_shown (page, "All Done");
  mend_test_gui_assert_text_shown (page, "Mailmend switched 1 account to OAuth 2.0.");
  mend_test_gui_assert_text_shown (page, "What Was Repaired");
  mend_test_gui_assert_text_shown (page, "Thunderbird — " ALICE);
  mend_test_gui_assert_text_shown (page, "Open Thunderbird: it asks you to sign in to Microsoft.");
  /* msmtp's latest change in this run was undone; the earlier run's is not this run's. */
  mend_test_gui_assert_text_shown (page, "msmtp — " CAROL);
  mend_test_gui_assert_text_shown (page, "Undone: the previous settings are back, exactly as "
                                         "they were.");
  mend_test_gui_assert_text_not_shown (page, "Nothing more to do: msmtp");
  mend_test_gui_save_screenshot (fixture->window, "01-summary.png");

  /* It fits a phone, light and dark. */
  gtk_widget_measure (fixture->window, GTK_ORIENTATION_HORIZONTAL, -1, &minimum, NULL, NULL, NULL);
  g_assert_cmpint (minimum, <=, 360);
  gtk_window_set_default_size (GTK_WINDOW (fixture->window), 360, 900);
  mend_test_gui_save_screenshot (fixture->window, "02-summary-narrow.png");
  mend_test_gui_set_dark (TRUE);
  mend_test_gui_save_screenshot (fixture->window, "03-summary-narrow-dark.png");
}

static void
test_nothing_changed (Fixture       *fixture,
                      gconstpointer  data)
{
  GtkWidget *page = GTK_WIDGET (fixture->page);

  show_page (fixture);

  mend_test_gui_assert_text_shown (page, "Nothing Was Changed");
  mend_test_gui_assert_text_shown (page, "Mailmend did not change any mail app’s settings this "
                                         "time.");
  mend_test_gui_assert_text_not_shown (page, "What Was Repaired");
  mend_test_gui_assert_text_not_shown (page, "msmtp — " CAROL);
  mend_test_gui_save_screenshot (fixture->window, "04-nothing-changed.png");

  /* Shown again after a repair elsewhere in the wizard: collected again. */
  make_this_runs_changes ();
  gtk_widget_set_visible (page, FALSE);
  gtk_widget_set_visible (page, TRUE);
  g_assert_true (_mend_done_page_is_busy (fixture->page));
  wait_until_idle (fixture);
  mend_test_gui_assert_text_shown (page, "All Done");
  mend_test_gui_assert_text_shown (page, "Thunderbird — " ALICE);
}

/* The journal's lock cannot be opened: the summary says so, and the report is still there. */
static void
test_history_unavailable (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autofree char *lock = g_build_filename (journal_dir, "lock", NULL);
  GtkWidget *page = GTK_WIDGET (fixture->page);
  GtkWidget *row;

  /* A folder where the lock file should be: it cannot be opened, even by root. */
  g_assert_cmpint (g_unlink (lock), ==, 0);
  g_assert_cmpint (g_mkdir (lock, 0700), ==, 0);
  show_page (fixture);

  mend_test_gui_assert_text_shown (page, "What Was Changed Is Unknown");
  row = mend_test_gui_find_descendant (page, MEND_TYPE_FINDING_ROW);
  g_assert_nonnull (row);
  g_assert_true (gtk_widget_is_drawable (row));
  g_assert_cmpstr (mend_finding_get_id (mend_finding_row_get_finding (MEND_FINDING_ROW (row))), ==,
                   "journal-unavailable");
  g_assert_true (gtk_widget_is_sensitive (mend_test_gui_find_actionable (page, "done.copy", NULL)));
  mend_test_gui_save_screenshot (fixture->window, "07-history-unavailable.png");
}

static void
test_copy (Fixture       *fixture,
           gconstpointer  data)
{
  g_autofree char *copied = NULL;
  g_autofree char *masked = NULL;
  g_autofree char *preview = NULL;
  GtkWidget *page = GTK_WIDGET (fixture->page);
  GtkWidget *expander;

  make_this_runs_changes ();
  show_page (fixture);

  activate (fixture, "done.copy");
  copied = read_clipboard (fixture);
  g_assert_true (g_str_has_prefix (copied, "Mailmend support report\n"));
  mend_test_assert_no_piece_in_text (copied, tokens);
  /* The scan's account, the keyring's sign-in, the unknown status and the history (this
   * run's and the earlier one's). */
  g_assert_nonnull (strstr (copied, "Thunderbird 128.5.0 — " ALICE "\n"));
  g_assert_nonnull (strstr (copied, ALICE ": personal account"));
  g_assert_nonnull (strstr (copied, "(service-status-unknown)"));
  g_assert_nonnull (strstr (copied, "— undone\n"));
  g_assert_null (strstr (copied, "No changes recorded."));

  /* The preview is the same text. */
  preview = dup_preview (fixture);
  g_assert_cmpstr (preview, ==, copied);

  /* For screen sharing: every address masked, in the preview and in what is copied. */
  activate (fixture, "done.hide-addresses");
  /* The switch flips at the end of its animation. */
  mend_test_gui_wait_for (hides_addresses, fixture->page, "the addresses to be hidden");
  g_clear_pointer (&preview, g_free);
  preview = dup_preview (fixture);
  g_assert_null (strstr (preview, ALICE));
  g_assert_nonnull (strstr (preview, "user1@outlook.com"));
  /* The summary too is on the shared screen. */
  mend_test_gui_assert_text_not_shown (page, ALICE);
  mend_test_gui_assert_text_not_shown (page, CAROL);
  mend_test_gui_assert_text_shown (page, "Open Thunderbird: it asks you to sign in to Microsoft.");

  activate (fixture, "done.copy");
  masked = read_clipboard (fixture);
  g_assert_cmpstr (masked, ==, preview);
  g_assert_null (strstr (masked, ALICE));
  g_assert_null (strstr (masked, CAROL));
  g_assert_null (strstr (masked, "contoso"));
  mend_test_assert_no_piece_in_text (masked, tokens);

  expander = mend_test_gui_find_descendant (page, ADW_TYPE_EXPANDER_ROW);
  adw_expander_row_set_expanded (ADW_EXPANDER_ROW (expander), TRUE);
  mend_test_gui_wait_for (mend_test_gui_widget_is_drawable,
                          mend_test_gui_find_descendant (page, GTK_TYPE_TEXT_VIEW),
                          "the preview to open");
  mend_test_gui_save_screenshot (fixture->window, "05-preview-masked.png");
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
save_to (Fixture    *fixture,
         const char *path)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);

  _mend_done_page_save_to_file (fixture->page, file);
  g_assert_true (_mend_done_page_is_busy (fixture->page));
  wait_until_idle (fixture);
}

static void
assert_only_files (const char *folder,
                   guint       expected)
{
  g_autoptr(GDir) dir = g_dir_open (folder, 0, NULL);
  guint count = 0;

  g_assert_nonnull (dir);
  while (g_dir_read_name (dir) != NULL)
    count++;
  g_assert_cmpuint (count, ==, expected);
}

static void
test_save (Fixture       *fixture,
           gconstpointer  data)
{
  g_autofree char *folder = g_build_filename (base, "saved", NULL);
  g_autofree char *markdown = g_build_filename (folder, "report.md", NULL);
  g_autofree char *json = g_build_filename (folder, "Report.JSON", NULL);
  g_autofree char *text = g_build_filename (folder, "report.txt", NULL);
  g_autofree char *second_name = g_build_filename (folder, "old-report.txt", NULL);
  g_autofree char *missing = g_build_filename (base, "missing", "report.md", NULL);
  g_autofree char *contents = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonObject *root;
  MendFinding *finding;
  GtkWidget *page = GTK_WIDGET (fixture->page);
  GStatBuf info;

  mend_test_remove_tree (folder);
  g_assert_cmpint (g_mkdir (folder, 0700), ==, 0);
  make_this_runs_changes ();
  show_page (fixture);
  g_assert_true (gtk_widget_is_sensitive (mend_test_gui_find_actionable (page, "done.save", NULL)));

  /* Markdown by default, private. */
  save_to (fixture, markdown);
  g_assert_null (_mend_done_page_get_save_finding (fixture->page));
  contents = read_file (markdown);
  g_assert_true (g_str_has_prefix (contents, "# Mailmend support report\n"));
  g_assert_nonnull (strstr (contents, ALICE));
  mend_test_assert_no_piece_in_text (contents, tokens);
  g_assert_cmpint (g_stat (markdown, &info), ==, 0);
  g_assert_cmpint (info.st_mode & 0777, ==, 0600);

  /* JSON by its name, whatever the case: the sign-in and the three changes. */
  save_to (fixture, json);
  g_clear_pointer (&contents, g_free);
  contents = read_file (json);
  mend_test_assert_no_piece_in_text (contents, tokens);
  json_parser_load_from_data (parser, contents, -1, &error);
  g_assert_no_error (error);
  root = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (
                     json_object_get_array_member (root, "sign_ins"), 0), "address"), ==, ALICE);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (root, "changes")), ==,
                    3);

  /* Plain text, replacing a file whole: a second name for the old file keeps the old bytes,
   * so the new ones went into a new file renamed over it, and nothing is left beside. */
  g_file_set_contents (text, "An old report\n", -1, &error);
  g_assert_no_error (error);
  g_assert_cmpint (link (text, second_name), ==, 0);
  save_to (fixture, text);
  g_clear_pointer (&contents, g_free);
  contents = read_file (text);
  g_assert_true (g_str_has_prefix (contents, "Mailmend support report\n"));
  g_clear_pointer (&contents, g_free);
  contents = read_file (second_name);
  g_assert_cmpstr (contents, ==, "An old report\n");
  assert_only_files (folder, 4);

  /* A folder that does not exist: a finding says so, and the next save clears it. */
  save_to (fixture, missing);
  finding = _mend_done_page_get_save_finding (fixture->page);
  g_assert_nonnull (finding);
  g_assert_cmpstr (mend_finding_get_id (finding), ==, "report-not-saved");
  mend_test_gui_assert_text_shown (page, "The report could not be saved");
  g_assert_nonnull (strstr (mend_finding_get_explanation (finding), "missing"));
  g_assert_nonnull (mend_finding_get_details (finding));
  g_assert_false (g_file_test (missing, G_FILE_TEST_EXISTS));
  mend_test_gui_save_screenshot (fixture->window, "06-save-failed.png");

  save_to (fixture, markdown);
  g_assert_null (_mend_done_page_get_save_finding (fixture->page));
  mend_test_gui_assert_text_not_shown (page, "The report could not be saved");
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *state = NULL;
  g_autofree char *cache = NULL;
  g_autoptr(GError) error = NULL;
  int status;

  g_test_init (&argc, &argv, NULL);
  g_set_prgname ("test-done-page");

  if (!mend_test_gui_in_rig ())
    return 0;

  /* A copy of the demo home, and folders of the test's own for the journal and the cache,
   * set before GLib reads them. Microsoft's status at a closed port: unknown, at once. */
  scan = mend_test_scan_new ("demo");
  base = g_dir_make_tmp ("mailmend-done-page-XXXXXX", &error);
  g_assert_no_error (error);
  state = g_build_filename (base, "state", NULL);
  cache = g_build_filename (base, "cache", NULL);
  journal_dir = g_build_filename (state, "mailmend", NULL);
  g_setenv ("HOME", scan->home, TRUE);
  g_setenv ("XDG_CONFIG_HOME", mend_scan_context_get_config_dir (scan->context), TRUE);
  g_setenv ("XDG_STATE_HOME", state, TRUE);
  g_setenv ("XDG_CACHE_HOME", cache, TRUE);
  g_setenv ("MAILMEND_PROC_DIR", scan->proc_dir, TRUE);
  g_setenv ("MAILMEND_STATUS_URL", "http://127.0.0.1:1/api/posts/m365Consumer", TRUE);

  if (!mend_test_gui_init ())
    return 0;

  g_test_add ("/done-page/summary", Fixture, NULL, fixture_setup, test_summary,
              fixture_teardown);
  g_test_add ("/done-page/nothing-changed", Fixture, NULL, fixture_setup, test_nothing_changed,
              fixture_teardown);
  g_test_add ("/done-page/history-unavailable", Fixture, NULL, fixture_setup,
              test_history_unavailable, fixture_teardown);
  g_test_add ("/done-page/copy", Fixture, NULL, fixture_setup, test_copy, fixture_teardown);
  g_test_add ("/done-page/save", Fixture, NULL, fixture_setup, test_save, fixture_teardown);

  status = g_test_run ();

  mend_test_remove_tree (base);
  g_clear_pointer (&scan, mend_test_scan_free);
  g_clear_pointer (&base, g_free);
  g_clear_pointer (&journal_dir, g_free);

  return status;
}
