/* test-log-window.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The log analyzer window under the rig's Xvfb, with the real analyzer: fixture logs
 * (tests/fixtures/logs/) pasted and analysed, with their findings, lines and format; no
 * planted secret in anything the results show; a file opened through the window's
 * file-loading entry point (the native chooser cannot be driven here), a 20 MB one
 * included, while the main loop keeps running; a file that cannot be read; a file that
 * arrives slowly through a pipe, and Cancel; a dropped file; the text analysed by itself
 * once it settles; a row selecting its line in the text; the empty and no-problem states;
 * and the way in: the main menu's action, its shortcut, and the Verify step's link. Saves
 * PNGs into MAILMEND_SCREENSHOT_DIR.
 *
 * Needs the rig (tests/harness/session-run): without MAILMEND_TEST_RIG or a display it skips.
 */

#include "config.h"

#include <adwaita.h>
#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include "mend-application.h"
#include "mend-finding-row.h"
#include "mend-log-window-private.h"
#include "mend-test-cli.h"
#include "mend-test-gui.h"
#include "mend-window.h"

/* What the fixtures plant (tests/fixtures/logs/README.md). */

/* A busy Thunderbird line, and the failure the large log ends with. */
#define BUSY_LINE "2024-09-17 08:12:10.531200 UTC - [Parent 4123: IMAP]: I/IMAP " \
                  "0x7f2200a4e800:outlook.office365.com:S-INBOX:CreateNewLineFromSocket: " \
                  "* 1042 FETCH (UID 88231 RFC822.SIZE 48211 FLAGS (\\Seen))\n"
#define FAILURE_LINE "2024-09-17 08:13:00.000001 UTC - [Parent 4123: IMAP]: I/IMAP " \
                     "0x7f2200a4e800:outlook.office365.com:S-INBOX:CreateNewLineFromSocket: " \
                     "* BYE User is authenticated but not connected.\n"

static MendApplication *application;

typedef struct
{
  MendLogWindow *window;
  char          *folder;
} Fixture;

/* Pasted logs and what they show, in order (as tests/unit/test-log-analyzer.c expects). */
static const struct {
  const char *file;
  const char *format;
  const char *ids;
} pasted[] = {
  { "thunderbird-xoauth2-rejected.log", "Looks like a Thunderbird log", "token-rejected" },
  { "evolution-imapx.log", "Looks like an Evolution log", "token-rejected basic-auth-rejected" },
  { "msmtp-tls-failure.log", "Looks like an msmtp log", "tls-failure" },
  { "mbsync-not-connected.log", "Looks like an mbsync log", "mailbox-not-connected" },
  { "neomutt-login-failed.log", "Looks like a NeoMutt log", "basic-auth-rejected token-rejected" },
  { "mailbird-aadsts.log", "Looks like a Mailbird log",
    "token-expired mfa-required conditional-access" },
  { "kmail-auth-failed.log", "Looks like a KMail log", "auth-failed" },
  { "thunderbird-clean.log", "Looks like a Thunderbird log", "log-no-known-problem" },
  { "secrets-everywhere.log", "Not a kind of log Mailmend knows",
    "basic-auth-rejected token-expired token-rejected consent-declined" },
};

/* ---------------------------------------------------------------------------------------------
 * Waiting
 * ------------------------------------------------------------------------------------------- */

static gboolean
window_is_idle (gpointer data)
{
  return !_mend_log_window_is_busy (MEND_LOG_WINDOW (data));
}

static void
wait_until_idle (Fixture *fixture)
{
  mend_test_gui_wait_for (window_is_idle, fixture->window, "the analysis");
}

/* ---------------------------------------------------------------------------------------------
 * Looking at widgets
 * ------------------------------------------------------------------------------------------- */

static GtkWidget *
window_button (Fixture    *fixture,
               const char *action_name)
{
  return mend_test_gui_find_button (GTK_WIDGET (fixture->window), action_name, NULL);
}

static GPtrArray *
finding_rows (Fixture *fixture)
{
  return mend_test_gui_find_all (_mend_log_window_get_results (fixture->window),
                                 MEND_TYPE_FINDING_ROW);
}

/* The ids of the findings shown, in order, separated by spaces. */
static char *
shown_ids (Fixture *fixture)
{
  g_autoptr(GPtrArray) rows = finding_rows (fixture);
  g_autoptr(GString) ids = g_string_new (NULL);

  for (guint i = 0; i < rows->len; i++)
    {
      MendFindingRow *row = g_ptr_array_index (rows, i);

      g_assert_true (gtk_widget_is_drawable (GTK_WIDGET (row)));
      g_string_append_printf (ids, "%s%s", i > 0 ? " " : "",
                              mend_finding_get_id (mend_finding_row_get_finding (row)));
    }

  return g_string_free (g_steal_pointer (&ids), FALSE);
}

static GtkWidget *
row_for (Fixture    *fixture,
         const char *id)
{
  g_autoptr(GPtrArray) rows = finding_rows (fixture);

  for (guint i = 0; i < rows->len; i++)
    {
      MendFindingRow *row = g_ptr_array_index (rows, i);

      if (g_str_equal (mend_finding_get_id (mend_finding_row_get_finding (row)), id))
        return GTK_WIDGET (row);
    }

  g_error ("No row for %s", id);
}

static GtkTextBuffer *
text_buffer (Fixture *fixture)
{
  GtkWidget *view = mend_test_gui_find_descendant (GTK_WIDGET (fixture->window),
                                                   GTK_TYPE_TEXT_VIEW);

  return gtk_text_view_get_buffer (GTK_TEXT_VIEW (view));
}

/* ---------------------------------------------------------------------------------------------
 * Secrets
 * ------------------------------------------------------------------------------------------- */

/* Not a secret, nor any 12 characters of one. */
static void
assert_no_secret (const char *text)
{
  g_auto(GStrv) secrets = mend_test_planted_log_secrets ();

  if (text != NULL)
    mend_test_assert_no_piece_in_text (text, (const char * const *) secrets);
}

/* Every label and tooltip of the window but the user's own text; returns how many. */
static guint
assert_no_secret_shown (GtkWidget *root)
{
  guint n_checked = 0;

  if (GTK_IS_TEXT_VIEW (root))
    return 0;

  if (GTK_IS_LABEL (root))
    {
      assert_no_secret (gtk_label_get_label (GTK_LABEL (root)));
      n_checked++;
    }
  if (ADW_IS_PREFERENCES_ROW (root))
    assert_no_secret (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (root)));
  assert_no_secret (gtk_widget_get_tooltip_text (root));

  for (GtkWidget *child = gtk_widget_get_first_child (root);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    n_checked += assert_no_secret_shown (child);

  return n_checked;
}

/* ---------------------------------------------------------------------------------------------
 * Screenshots and fixtures
 * ------------------------------------------------------------------------------------------- */

static char *
fixture_path (const char *name)
{
  return g_test_build_filename (G_TEST_DIST, "fixtures", "logs", name, NULL);
}

static char *
fixture_contents (const char *name)
{
  g_autofree char *path = fixture_path (name);
  g_autoptr(GError) error = NULL;
  char *contents = NULL;

  g_file_get_contents (path, &contents, NULL, &error);
  g_assert_no_error (error);

  return contents;
}

static void
paste_and_analyze (Fixture    *fixture,
                   const char *text)
{
  gtk_text_buffer_set_text (text_buffer (fixture), text, -1);
  mend_test_gui_click (window_button (fixture, "log.analyze"));
  wait_until_idle (fixture);
}

static void
open_and_wait (Fixture    *fixture,
               const char *path)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);

  _mend_log_window_open_file (fixture->window, file);
  wait_until_idle (fixture);
}

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->folder = g_dir_make_tmp ("mailmend-log-window-XXXXXX", &error);
  g_assert_no_error (error);

  fixture->window = mend_log_window_present (GTK_APPLICATION (application));
  gtk_window_set_default_size (GTK_WINDOW (fixture->window), 360, 640);
  mend_test_gui_wait_for (mend_test_gui_widget_is_mapped, fixture->window, "the window");
  mend_test_gui_wait_for_frame (GTK_WIDGET (fixture->window));
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(GFile) folder = g_file_new_for_path (fixture->folder);
  g_autoptr(GFileEnumerator) children = NULL;
  GFileInfo *info;
  GFile *child;

  gtk_window_destroy (GTK_WINDOW (fixture->window));
  mend_test_gui_run_for (20);

  children = g_file_enumerate_children (folder, G_FILE_ATTRIBUTE_STANDARD_NAME,
                                        G_FILE_QUERY_INFO_NOFOLLOW_SYMLINKS, NULL, NULL);
  while (g_file_enumerator_iterate (children, &info, &child, NULL, NULL) && info != NULL)
    g_file_delete (child, NULL, NULL);
  g_assert_cmpint (g_rmdir (fixture->folder), ==, 0);
  g_free (fixture->folder);
}

/* ---------------------------------------------------------------------------------------------
 * Tests
 * ------------------------------------------------------------------------------------------- */

/* Each fixture pasted: its findings, its format, nothing secret; the first one's lines. */
static void
test_pasted (Fixture       *fixture,
             gconstpointer  data)
{
  GtkWidget *results = _mend_log_window_get_results (fixture->window);

  for (guint i = 0; i < G_N_ELEMENTS (pasted); i++)
    {
      g_autofree char *log = fixture_contents (pasted[i].file);
      g_autofree char *ids = NULL;

      g_test_message ("Pasting %s", pasted[i].file);
      paste_and_analyze (fixture, log);

      ids = shown_ids (fixture);
      g_assert_cmpstr (ids, ==, pasted[i].ids);
      mend_test_gui_assert_text_shown (results, pasted[i].format);
      mend_test_gui_assert_text_shown (results, "Pasted text, ");
      g_assert_cmpuint (assert_no_secret_shown (GTK_WIDGET (fixture->window)), >, 10);

      if (g_str_equal (pasted[i].ids, "log-no-known-problem"))
        mend_test_gui_assert_text_shown (results, "No Known Problem Found");
      else
        mend_test_gui_assert_text_shown (results, " Found");
    }
}

/* The first finding's line and count, above what it says; the screenshots at 360 pixels. */
static void
test_lines (Fixture       *fixture,
            gconstpointer  data)
{
  g_autofree char *log = fixture_contents ("thunderbird-xoauth2-rejected.log");
  GtkWidget *results = _mend_log_window_get_results (fixture->window);
  GtkWidget *row;
  int minimum;

  mend_test_gui_save_screenshot (GTK_WIDGET (fixture->window), "01-empty.png");

  paste_and_analyze (fixture, log);
  mend_test_gui_assert_text_shown (results, "1 Problem Found");
  mend_test_gui_assert_text_shown (results, "Pasted text, 22 lines");
  row = row_for (fixture, "token-rejected");
  mend_test_gui_assert_text_shown (row, "The server refused the sign-in token");
  mend_test_gui_assert_text_shown (row, "Line 10, seen 2 times\n"
                                        "The mail app signed in with OAuth 2.0");
  /* The tooltip holds the masked details, for support staff. */
  g_assert_nonnull (strstr (gtk_widget_get_tooltip_text (row), "lines: 10, 22"));

  /* It fits a phone. */
  gtk_widget_measure (GTK_WIDGET (fixture->window), GTK_ORIENTATION_HORIZONTAL, -1, &minimum,
                      NULL, NULL, NULL);
  g_assert_cmpint (minimum, <=, 360);
  mend_test_gui_save_screenshot (GTK_WIDGET (fixture->window), "02-pasted.png");
  mend_test_gui_set_dark (TRUE);
  mend_test_gui_save_screenshot (GTK_WIDGET (fixture->window), "03-pasted-dark.png");
  mend_test_gui_set_dark (FALSE);
}

/* Activating a finding of pasted text selects its line. */
static void
test_row_selects_line (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autofree char *log = fixture_contents ("thunderbird-xoauth2-rejected.log");
  GtkTextBuffer *buffer = text_buffer (fixture);
  GtkTextIter start, end;
  g_autofree char *selected = NULL;

  paste_and_analyze (fixture, log);
  g_assert_false (gtk_text_buffer_get_has_selection (buffer));
  gtk_widget_activate (row_for (fixture, "token-rejected"));

  g_assert_true (gtk_text_buffer_get_selection_bounds (buffer, &start, &end));
  g_assert_cmpint (gtk_text_iter_get_line (&start), ==, 9);
  selected = gtk_text_iter_get_text (&start, &end);
  g_assert_true (g_str_has_suffix (selected, "CreateNewLineFromSocket: 2 NO AUTHENTICATE failed."));

  /* Once the text changes, the line numbers no longer point into it. */
  gtk_text_buffer_set_text (buffer, "something else\n", -1);
  gtk_widget_activate (row_for (fixture, "token-rejected"));
  g_assert_false (gtk_text_buffer_get_has_selection (buffer));
}

/* Pasted text is analysed by itself once it stops changing. */
static void
test_settles (Fixture       *fixture,
              gconstpointer  data)
{
  g_autofree char *log = fixture_contents ("msmtp-xoauth2-rejected.log");
  GtkWidget *results = _mend_log_window_get_results (fixture->window);
  g_autofree char *ids = NULL;

  g_assert_false (gtk_widget_get_visible (results));
  gtk_text_buffer_set_text (text_buffer (fixture), log, -1);
  mend_test_gui_wait_for (mend_test_gui_widget_is_visible, results, "the results");
  wait_until_idle (fixture);

  ids = shown_ids (fixture);
  g_assert_cmpstr (ids, ==, "token-rejected");
  mend_test_gui_assert_text_shown (results, "Looks like an msmtp log");
}

/* Analyze with nothing pasted: the empty state, then the no-problem state. */
static void
test_empty (Fixture       *fixture,
            gconstpointer  data)
{
  GtkWidget *results = _mend_log_window_get_results (fixture->window);
  g_autofree char *ids = NULL;
  g_autofree char *clean_ids = NULL;

  paste_and_analyze (fixture, "");
  ids = shown_ids (fixture);
  g_assert_cmpstr (ids, ==, "log-empty");
  mend_test_gui_assert_text_shown (results, "Nothing to Analyze");
  mend_test_gui_assert_text_shown (results, "The log is empty");
  g_assert_null (mend_test_gui_find_label_containing (results, "Looks like"));
  mend_test_gui_save_screenshot (GTK_WIDGET (fixture->window), "04-empty-analyzed.png");

  paste_and_analyze (fixture, "mail app started\nchecked mail\nbye\n");
  clean_ids = shown_ids (fixture);
  g_assert_cmpstr (clean_ids, ==, "log-no-known-problem");
  mend_test_gui_assert_text_shown (results, "No Known Problem Found");
  mend_test_gui_assert_text_shown (results, "Not a kind of log Mailmend knows");
  mend_test_gui_assert_text_shown (results, "Pasted text, 3 lines");
  mend_test_gui_save_screenshot (GTK_WIDGET (fixture->window), "05-no-problem.png");
}

/* The file with every kind of secret, opened: the same findings, nothing secret shown. */
static void
test_open_secrets (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autofree char *path = fixture_path ("secrets-everywhere.log");
  GtkWidget *results = _mend_log_window_get_results (fixture->window);
  g_autofree char *ids = NULL;

  open_and_wait (fixture, path);
  ids = shown_ids (fixture);
  g_assert_cmpstr (ids, ==, "basic-auth-rejected token-expired token-rejected consent-declined");
  mend_test_gui_assert_text_shown (results, "secrets-everywhere.log (");
  mend_test_gui_assert_text_shown (results, "15 lines");
  g_assert_cmpuint (assert_no_secret_shown (GTK_WIDGET (fixture->window)), >, 10);
  /* The file is not loaded into the text view. */
  g_assert_cmpint (gtk_text_buffer_get_char_count (text_buffer (fixture)), ==, 0);
  mend_test_gui_save_screenshot (GTK_WIDGET (fixture->window), "06-secrets-file.png");
}

static guint64
peak_memory_kb (void)
{
  g_autofree char *status = NULL;
  const char *peak;

  g_assert_true (g_file_get_contents ("/proc/self/status", &status, NULL, NULL));
  peak = strstr (status, "VmHWM:");
  g_assert_nonnull (peak);

  return g_ascii_strtoull (peak + strlen ("VmHWM:"), NULL, 10);
}

typedef struct
{
  MendLogWindow *window;
  guint          ticks_while_busy;
  gint64         last;
  gint64         longest_gap;
} Watch;

static gboolean
on_tick (GtkWidget     *widget,
         GdkFrameClock *frame_clock,
         gpointer       user_data)
{
  Watch *watch = user_data;

  if (_mend_log_window_is_busy (watch->window))
    watch->ticks_while_busy++;

  return G_SOURCE_CONTINUE;
}

static gboolean
on_idle (gpointer user_data)
{
  Watch *watch = user_data;
  gint64 now = g_get_monotonic_time ();

  if (_mend_log_window_is_busy (watch->window))
    watch->longest_gap = MAX (watch->longest_gap, now - watch->last);
  watch->last = now;

  return G_SOURCE_CONTINUE;
}

/* A 20 MB log, written a line at a time: the window shows what it reads and stays
 * responsive, the memory stays flat, and the failure on its last line is found. */
static void
test_large_file (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autofree char *path = g_build_filename (fixture->folder, "thunderbird.log", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFileOutputStream) output = NULL;
  g_autoptr(GError) error = NULL;
  GtkWidget *results = _mend_log_window_get_results (fixture->window);
  g_autofree char *last_line = NULL;
  g_autofree char *ids = NULL;
  Watch watch = { fixture->window, 0, 0, 0 };
  guint64 n_lines = 0;
  guint64 size = 0;
  guint64 peak_before;
  gint64 started, took;
  guint tick_id, idle_id;

  output = g_file_replace (file, NULL, FALSE, G_FILE_CREATE_NONE, NULL, &error);
  g_assert_no_error (error);
  while (size + strlen (BUSY_LINE) + strlen (FAILURE_LINE) <= 20 * 1000 * 1000)
    {
      g_output_stream_write_all (G_OUTPUT_STREAM (output), BUSY_LINE, strlen (BUSY_LINE), NULL,
                                 NULL, &error);
      g_assert_no_error (error);
      size += strlen (BUSY_LINE);
      n_lines++;
    }
  g_output_stream_write_all (G_OUTPUT_STREAM (output), FAILURE_LINE, strlen (FAILURE_LINE), NULL,
                             NULL, &error);
  g_assert_no_error (error);
  n_lines++;
  g_output_stream_close (G_OUTPUT_STREAM (output), NULL, &error);
  g_assert_no_error (error);

  peak_before = peak_memory_kb ();
  tick_id = gtk_widget_add_tick_callback (GTK_WIDGET (fixture->window), on_tick, &watch, NULL);
  watch.last = g_get_monotonic_time ();
  idle_id = g_idle_add (on_idle, &watch);

  started = g_get_monotonic_time ();
  _mend_log_window_open_file (fixture->window, file);
  /* Not read yet: the window reads in the background and says what it reads. */
  g_assert_true (_mend_log_window_is_busy (fixture->window));
  mend_test_gui_assert_text_shown (results, "Analyzing thunderbird.log");
  wait_until_idle (fixture);
  took = g_get_monotonic_time () - started;

  g_source_remove (idle_id);
  gtk_widget_remove_tick_callback (GTK_WIDGET (fixture->window), tick_id);
  g_test_message ("Analysed 20 MB in %" G_GINT64_FORMAT " ms; %u frames meanwhile, the longest "
                  "wait of the main loop %" G_GINT64_FORMAT " ms", took / 1000,
                  watch.ticks_while_busy, watch.longest_gap / 1000);
  g_assert_cmpuint (watch.ticks_while_busy, >=, 3);
  g_assert_cmpint (watch.longest_gap, <, took / 2);
  g_assert_cmpuint (peak_memory_kb () - peak_before, <, 10 * 1024);

  ids = shown_ids (fixture);
  g_assert_cmpstr (ids, ==, "mailbox-not-connected");
  last_line = g_strdup_printf ("Line %" G_GUINT64_FORMAT "\nThe server accepted", n_lines);
  mend_test_gui_assert_text_shown (row_for (fixture, "mailbox-not-connected"), last_line);
  mend_test_gui_assert_text_shown (results, "Looks like a Thunderbird log");
  /* GLib puts a no-break space before the unit. */
  mend_test_gui_assert_text_shown (results, "thunderbird.log (20.0\u00a0MB), ");
  g_assert_cmpint (gtk_text_buffer_get_char_count (text_buffer (fixture)), ==, 0);
  mend_test_gui_save_screenshot (GTK_WIDGET (fixture->window), "07-large-file.png");
}

static gboolean
busy_label_has_size (gpointer data)
{
  g_autofree char *size = g_format_size (0);
  g_autofree char *busy = g_strdup_printf ("Analyzing slow.log (%s)…", size);

  return mend_test_gui_find_label_containing (GTK_WIDGET (data), busy) != NULL;
}

/* Opens @path for writing once the window opened it for reading. */
static int
open_writer (const char *path)
{
  gint64 deadline = g_get_monotonic_time () + MEND_TEST_GUI_WAIT_S * G_USEC_PER_SEC;
  int fd;

  while ((fd = g_open (path, O_WRONLY | O_NONBLOCK | O_CLOEXEC, 0)) < 0)
    {
      g_assert_cmpint (errno, ==, ENXIO);
      if (g_get_monotonic_time () > deadline)
        g_error ("The window never opened %s", path);
      mend_test_gui_run_for (5);
    }

  return fd;
}

/* A log through a pipe, that comes in pieces: the window waits for it without blocking;
 * Cancel stops waiting and shows nothing new. */
static void
test_slow_file (Fixture       *fixture,
                gconstpointer  data)
{
  g_autofree char *path = g_build_filename (fixture->folder, "slow.log", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autofree char *log = fixture_contents ("thunderbird-xoauth2-rejected.log");
  GtkWidget *results = _mend_log_window_get_results (fixture->window);
  gsize half = strlen (log) / 2;
  g_autofree char *ids = NULL;
  g_autofree char *size = g_format_size (0);
  g_autofree char *source = g_strdup_printf ("slow.log (%s), 22 lines", size);
  int fd;

  g_assert_cmpint (mkfifo (path, 0600), ==, 0);

  /* The first time, cancelled while it waits. */
  _mend_log_window_open_file (fixture->window, file);
  mend_test_gui_wait_for (busy_label_has_size, results, "the file's size");
  fd = open_writer (path);
  mend_test_gui_run_for (100);
  g_assert_true (_mend_log_window_is_busy (fixture->window));
  mend_test_gui_save_screenshot (GTK_WIDGET (fixture->window), "08-busy.png");
  mend_test_gui_click (window_button (fixture, "log.cancel"));
  g_assert_false (_mend_log_window_is_busy (fixture->window));
  g_assert_false (gtk_widget_get_visible (results));
  g_assert_cmpint (close (fd), ==, 0);
  mend_test_gui_run_for (100);
  g_assert_false (gtk_widget_get_visible (results));

  /* The second time, read to the end, in two pieces. */
  _mend_log_window_open_file (fixture->window, file);
  mend_test_gui_wait_for (busy_label_has_size, results, "the file's size");
  fd = open_writer (path);
  g_assert_cmpint (write (fd, log, half), ==, (gssize) half);
  mend_test_gui_run_for (100);
  g_assert_true (_mend_log_window_is_busy (fixture->window));
  g_assert_cmpint (write (fd, log + half, strlen (log) - half), ==, (gssize) (strlen (log) - half));
  g_assert_cmpint (close (fd), ==, 0);
  wait_until_idle (fixture);

  ids = shown_ids (fixture);
  g_assert_cmpstr (ids, ==, "token-rejected");
  mend_test_gui_assert_text_shown (results, source);
}

/* A file that is gone, and a folder: a finding that says so. */
static void
test_unreadable (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autofree char *missing = g_build_filename (fixture->folder, "gone.log", NULL);
  GtkWidget *results = _mend_log_window_get_results (fixture->window);
  g_autofree char *ids = NULL;
  g_autofree char *folder_ids = NULL;
  GtkWidget *row;

  open_and_wait (fixture, missing);
  ids = shown_ids (fixture);
  g_assert_cmpstr (ids, ==, "log-unreadable");
  mend_test_gui_assert_text_shown (results, "Could Not Read the Log");
  row = row_for (fixture, "log-unreadable");
  mend_test_gui_assert_text_shown (row, "The log file cannot be read");
  mend_test_gui_assert_text_shown (row, "“gone.log” does not exist any more.");
  g_assert_null (mend_test_gui_find_label_containing (row, "Line "));
  mend_test_gui_save_screenshot (GTK_WIDGET (fixture->window), "09-unreadable.png");

  open_and_wait (fixture, fixture->folder);
  folder_ids = shown_ids (fixture);
  g_assert_cmpstr (folder_ids, ==, "log-unreadable");
  mend_test_gui_assert_text_shown (results, "is a folder, not a file.");
}

/* A file dropped on the window is analysed like an opened one. */
static void
test_drop (Fixture       *fixture,
           gconstpointer  data)
{
  g_autofree char *path = fixture_path ("evolution-smtp-auth-disabled.log");
  g_autoptr(GListModel) controllers = NULL;
  g_autoptr(GFile) file = g_file_new_for_path (path);
  GtkDropTarget *target = NULL;
  g_auto(GValue) value = G_VALUE_INIT;
  g_autofree char *ids = NULL;
  gboolean accepted = FALSE;

  controllers = gtk_widget_observe_controllers (GTK_WIDGET (fixture->window));
  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GObject) controller = g_list_model_get_item (controllers, i);

      if (GTK_IS_DROP_TARGET (controller))
        target = GTK_DROP_TARGET (controller);
    }
  g_assert_nonnull (target);
  g_assert_cmpint (gtk_drop_target_get_gtypes (target, NULL)[0], ==, G_TYPE_FILE);

  g_value_init (&value, G_TYPE_FILE);
  g_value_set_object (&value, file);
  g_signal_emit_by_name (target, "drop", &value, 10.0, 10.0, &accepted);
  g_assert_true (accepted);
  wait_until_idle (fixture);

  ids = shown_ids (fixture);
  g_assert_cmpstr (ids, ==, "smtp-auth-disabled");
  mend_test_gui_assert_text_shown (_mend_log_window_get_results (fixture->window),
                     "Looks like an Evolution log");
}

static gboolean
menu_has_action (GMenuModel *menu,
                 const char *action)
{
  for (int i = 0; i < g_menu_model_get_n_items (menu); i++)
    {
      g_autofree char *name = NULL;
      g_autoptr(GMenuModel) section = NULL;

      if (g_menu_model_get_item_attribute (menu, i, G_MENU_ATTRIBUTE_ACTION, "s", &name) &&
          g_str_equal (name, action))
        return TRUE;

      section = g_menu_model_get_item_link (menu, i, G_MENU_LINK_SECTION);
      if (section != NULL && menu_has_action (section, action))
        return TRUE;
    }

  return FALSE;
}

static MendLogWindow *
find_log_window (void)
{
  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (application)); l; l = l->next)
    {
      if (MEND_IS_LOG_WINDOW (l->data))
        return l->data;
    }

  return NULL;
}

static gboolean
log_window_is_shown (gpointer data)
{
  MendLogWindow *window = find_log_window ();

  return window != NULL && gtk_widget_get_mapped (GTK_WIDGET (window));
}

static gboolean
verify_page_is_built (gpointer data)
{
  return mend_test_gui_find_button (GTK_WIDGET (data), "app.analyze-log", NULL) != NULL;
}

/* The main menu's item, its shortcut and the Verify step's link open one log window beside
 * the wizard's, which stays usable. */
static void
test_ways_in (void)
{
  g_auto(GStrv) accels = NULL;
  MendWindow *main_window = mend_window_new (application);
  GtkWidget *menu_button;
  GtkWidget *link;
  MendLogWindow *window;

  gtk_window_present (GTK_WINDOW (main_window));
  mend_test_gui_wait_for (mend_test_gui_widget_is_mapped, main_window, "the wizard");
  g_assert_null (find_log_window ());

  menu_button = mend_test_gui_find_descendant (GTK_WIDGET (main_window), GTK_TYPE_MENU_BUTTON);
  g_assert_true (menu_has_action (gtk_menu_button_get_menu_model (GTK_MENU_BUTTON (menu_button)),
                                  "app.analyze-log"));
  accels = gtk_application_get_accels_for_action (GTK_APPLICATION (application),
                                                  "app.analyze-log");
  g_assert_cmpstr (accels[0], ==, "<Control>l");

  g_action_group_activate_action (G_ACTION_GROUP (application), "analyze-log", NULL);
  mend_test_gui_wait_for (log_window_is_shown, NULL, "the log window");
  window = find_log_window ();
  g_assert_true (gtk_window_get_transient_for (GTK_WINDOW (window)) == GTK_WINDOW (main_window));
  g_assert_false (gtk_window_get_modal (GTK_WINDOW (window)));

  /* Once more: the same window. */
  g_action_group_activate_action (G_ACTION_GROUP (application), "analyze-log", NULL);
  mend_test_gui_run_for (50);
  g_assert_true (find_log_window () == window);
  gtk_window_destroy (GTK_WINDOW (window));
  mend_test_gui_run_for (50);
  g_assert_null (find_log_window ());

  /* The Verify step's link, built after the wizard's first frame. */
  mend_test_gui_wait_for (verify_page_is_built, main_window, "the Verify step");
  link = mend_test_gui_find_button (GTK_WIDGET (main_window), "app.analyze-log", NULL);
  g_signal_emit_by_name (link, "clicked");
  mend_test_gui_wait_for (log_window_is_shown, NULL, "the log window");

  /* Closing the wizard closes it too. */
  gtk_window_destroy (GTK_WINDOW (main_window));
  mend_test_gui_run_for (50);
  g_assert_null (find_log_window ());
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int status;

  g_test_init (&argc, &argv, NULL);
  g_set_prgname ("test-log-window");

  if (!mend_test_gui_in_rig ())
    return 0;

  /* The wizard's other steps never reach the internet here (test_ways_in). */
  g_setenv ("MAILMEND_STATUS_URL", "http://127.0.0.1:1/api/posts/m365Consumer", TRUE);
  g_setenv ("MAILMEND_PREFLIGHT_TARGETS", "https:127.0.0.1:1 tls:127.0.0.1:1 smtp:127.0.0.1:1",
            TRUE);

  if (!mend_test_gui_init ())
    return 0;
  mend_test_gui_use_gnome_look ();

  /* Registering runs the application's start-up: style sheet, actions, shortcuts. */
  application = mend_application_new ();
  g_application_set_flags (G_APPLICATION (application), G_APPLICATION_NON_UNIQUE);
  g_application_register (G_APPLICATION (application), NULL, &error);
  g_assert_no_error (error);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("/log-window/pasted", test_pasted);
  ADD ("/log-window/lines", test_lines);
  ADD ("/log-window/row-selects-line", test_row_selects_line);
  ADD ("/log-window/settles", test_settles);
  ADD ("/log-window/empty", test_empty);
  ADD ("/log-window/open-secrets", test_open_secrets);
  ADD ("/log-window/large-file", test_large_file);
  ADD ("/log-window/slow-file", test_slow_file);
  ADD ("/log-window/unreadable", test_unreadable);
  ADD ("/log-window/drop", test_drop);
#undef ADD
  g_test_add_func ("/log-window/ways-in", test_ways_in);

  status = g_test_run ();
  g_clear_object (&application);

  return status;
}
