/* test-wizard.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Walks the wizard with real key presses sent through the X server (xdotool),
 * and saves a PNG of every step. MAILMEND_TEST_STYLE (light | dark),
 * LANGUAGE / LC_ALL and MAILMEND_SCREENSHOT_DIR come from tests/gui/meson.build.
 */

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <locale.h>

#include "mend-account-row.h"
#include "mend-application.h"
#include "mend-step-indicator.h"
#include "mend-test-gui.h"
#include "mend-test-scan.h"
#include "mend-window.h"
#include "pages/mend-accounts-page.h"
#include "pages/mend-repair-page.h"
#include "pages/mend-service-status-page.h"
#include "pages/mend-why-page.h"

static MendApplication *application;

static const char *expected_steps[] = {
  "why", "status", "accounts", "signin", "verify", "repair", "done",
};

static gboolean
is_french (void)
{
  return g_str_has_prefix (g_getenv ("LANGUAGE") ?: "", "fr");
}

static void
press_keys (GtkWidget  *window,
            const char *keys)
{
  mend_test_gui_focus_window (window);
  mend_test_gui_xdotool ("key", "--clearmodifiers", keys, NULL);
}

typedef struct
{
  MendWindow *window;
  guint       step;
} StepWait;

static gboolean
window_is_on_step (gpointer data)
{
  StepWait *wait = data;

  return mend_window_get_step (wait->window) == wait->step;
}

static void
press_keys_until_step (MendWindow *window,
                       const char *keys,
                       guint       step)
{
  StepWait wait = { window, step };

  press_keys (GTK_WIDGET (window), keys);
  mend_test_gui_wait_for (window_is_on_step, &wait, "the wizard to change step");
}

static gboolean
accounts_page_is_idle (gpointer data)
{
  return !mend_accounts_page_is_scanning (MEND_ACCOUNTS_PAGE (data));
}

/* The demo home (tests/fixtures/homes/demo) has four Microsoft accounts:
 * Thunderbird and msmtp with passwords, Evolution with OAuth 2.0 already,
 * Geary, which cannot do OAuth 2.0. */
static void
assert_accounts_listed (MendWindow *window)
{
  GtkWidget *page = mend_test_gui_find_descendant (GTK_WIDGET (window), MEND_TYPE_ACCOUNTS_PAGE);
  g_autoptr(GPtrArray) selected = NULL;
  GtkWidget *first_row;

  g_assert_nonnull (page);
  mend_test_gui_wait_for (accounts_page_is_idle, page, "the scan");
  mend_test_gui_wait_for_frame (GTK_WIDGET (window));

  g_assert_cmpuint (mend_test_gui_count_descendants (page, MEND_TYPE_ACCOUNT_ROW), ==, 4);
  selected = mend_accounts_page_get_selected (MEND_ACCOUNTS_PAGE (page));
  g_assert_cmpuint (selected->len, ==, 2);
  g_assert_cmpstr (mend_account_group_get_address (g_ptr_array_index (selected, 0)), ==,
                   "alice.martin@outlook.com");
  g_assert_cmpstr (mend_account_group_get_address (g_ptr_array_index (selected, 1)), ==,
                   "carol.petit@contoso.com");

  /* Show what was found for the first account in the screenshot. */
  first_row = mend_test_gui_find_descendant (page, MEND_TYPE_ACCOUNT_ROW);
  adw_expander_row_set_expanded (ADW_EXPANDER_ROW (first_row), TRUE);
}

static gboolean
status_page_has_answer (gpointer data)
{
  MendServiceStatusPage *page = data;

  return !mend_service_status_page_is_checking (page) &&
         mend_service_status_page_get_report (page) != NULL;
}

/* Microsoft's status and servers are loopback ports where nothing listens (see main()): the
 * step must say that the status is not available, and list each server as failed. */
static void
assert_status_fails_open (MendWindow *window)
{
  static const char *labels[] = {
    "Microsoft’s service status is not available",
    "Microsoft sign-in",
    "Incoming mail (IMAP)",
    "Outgoing mail (SMTP)",
  };
  GtkWidget *page = mend_test_gui_find_descendant (GTK_WIDGET (window),
                                                   MEND_TYPE_SERVICE_STATUS_PAGE);
  MendStatusReport *report;

  g_assert_nonnull (page);
  mend_test_gui_wait_for (status_page_has_answer, page, "the service status");
  mend_test_gui_wait_for_frame (GTK_WIDGET (window));

  report = mend_service_status_page_get_report (MEND_SERVICE_STATUS_PAGE (page));
  g_assert_cmpint (mend_status_report_get_state (report), ==, MEND_SERVICE_STATE_UNKNOWN);
  for (guint i = 0; i < G_N_ELEMENTS (labels); i++)
    {
      if (mend_test_gui_find_label (page, g_dgettext (GETTEXT_PACKAGE, labels[i])) == NULL)
        g_error ("No label “%s” on the step", labels[i]);
    }
}

static gboolean
repair_page_is_idle (gpointer data)
{
  return !mend_repair_page_is_busy (MEND_REPAIR_PAGE (data));
}

static void
assert_indicator_shows (MendWindow *window,
                        guint       step)
{
  GtkWidget *indicator = mend_test_gui_find_descendant (GTK_WIDGET (window),
                                                        MEND_TYPE_STEP_INDICATOR);
  GtkWidget *circle;
  guint i = 0;

  g_assert_nonnull (indicator);
  for (circle = gtk_widget_get_first_child (indicator);
       circle != NULL;
       circle = gtk_widget_get_next_sibling (circle), i++)
    {
      g_assert_cmpint (gtk_widget_has_css_class (circle, "current"), ==, i == step);
      g_assert_cmpint (gtk_widget_has_css_class (circle, "done"), ==, i < step);
    }
  g_assert_cmpuint (i, ==, G_N_ELEMENTS (expected_steps));
}

static MendWindow *
open_window (int width,
             int height)
{
  MendWindow *window = mend_window_new (application);

  gtk_window_set_default_size (GTK_WINDOW (window), width, height);
  gtk_window_present (GTK_WINDOW (window));
  mend_test_gui_wait_for (mend_test_gui_widget_is_mapped, window, "the window to map");
  mend_test_gui_wait_for_frame (GTK_WIDGET (window));

  /* What the window builds after its first frame. */
  mend_test_gui_run_pending ();
  mend_test_gui_wait_for_frame (GTK_WIDGET (window));

  return window;
}

/* A build with a Microsoft client id signs in for real on the Sign In step, which cannot
 * reach Microsoft here: sign-ins already in the keyring let the walk go on, as they let a
 * user who ran `mailmend signin` before. Without a client id the step explains that and
 * lets the user go on by itself. */
static const char *demo_addresses[] = { "alice.martin@outlook.com", "carol.petit@contoso.com" };

static void
store_demo_sign_ins (void)
{
  if (MICROSOFT_CLIENT_ID[0] == '\0')
    return;

  for (guint i = 0; i < G_N_ELEMENTS (demo_addresses); i++)
    {
      g_autoptr(MendOAuthToken) token = mend_test_gui_token_new (demo_addresses[i],
                                                                 "demo-access-token",
                                                                 "demo-refresh-token");

      mend_test_gui_store_token (token);
    }
}

static void
forget_demo_sign_ins (void)
{
  if (MICROSOFT_CLIENT_ID[0] == '\0')
    return;

  for (guint i = 0; i < G_N_ELEMENTS (demo_addresses); i++)
    mend_test_gui_forget_sign_in (demo_addresses[i]);
}

static void
test_keyboard_walk (void)
{
  MendWindow *window = open_window (640, 720);
  guint n_steps = mend_window_get_n_steps (window);

  g_assert_cmpuint (n_steps, ==, G_N_ELEMENTS (expected_steps));
  store_demo_sign_ins ();

  for (guint step = 0; step < n_steps; step++)
    {
      g_autofree char *name = NULL;

      g_assert_cmpuint (mend_window_get_step (window), ==, step);
      g_assert_cmpstr (mend_window_get_step_name (window), ==, expected_steps[step]);
      assert_indicator_shows (window, step);
      if (g_str_equal (expected_steps[step], "accounts"))
        assert_accounts_listed (window);
      else if (g_str_equal (expected_steps[step], "repair"))
        mend_test_gui_wait_for (repair_page_is_idle,
                                mend_test_gui_find_descendant (GTK_WIDGET (window),
                                                               MEND_TYPE_REPAIR_PAGE),
                                "the plans");
      if (g_str_equal (expected_steps[step], "status"))
        assert_status_fails_open (window);

      name = g_strdup_printf ("%02u-%s.png", step + 1, expected_steps[step]);
      mend_test_gui_save_screenshot (GTK_WIDGET (window), name);

      if (step + 1 < n_steps)
        press_keys_until_step (window, "alt+Right", step + 1);
    }

  /* Past the last step there is nowhere to go. */
  press_keys (GTK_WIDGET (window), "alt+Right");
  mend_test_gui_wait_for_frame (GTK_WIDGET (window));
  g_assert_cmpuint (mend_window_get_step (window), ==, n_steps - 1);

  press_keys_until_step (window, "alt+Left", n_steps - 2);
  for (guint step = n_steps - 2; step > 0; step--)
    press_keys_until_step (window, "alt+Left", step - 1);
  g_assert_cmpstr (mend_window_get_step_name (window), ==, "why");
  forget_demo_sign_ins ();

  /* Nowhere to go before the first step either. */
  press_keys (GTK_WIDGET (window), "alt+Left");
  mend_test_gui_wait_for_frame (GTK_WIDGET (window));
  g_assert_cmpuint (mend_window_get_step (window), ==, 0);

  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_why_page_complete (void)
{
  MendWindow *window = open_window (640, 720);
  GtkWidget *page = mend_test_gui_find_descendant (GTK_WIDGET (window), MEND_TYPE_WHY_PAGE);

  /* The groups under the headline come after the first frame, but they come.
   * Counted in the Why page only: the other pages are built by then too. */
  g_assert_cmpstr (mend_window_get_step_name (window), ==, "why");
  g_assert_nonnull (page);
  g_assert_cmpuint (mend_test_gui_count_descendants (page, ADW_TYPE_PREFERENCES_GROUP), ==, 3);
  g_assert_cmpuint (mend_test_gui_count_descendants (page, ADW_TYPE_ACTION_ROW), ==, 11);

  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_step_subtitle_is_translated (void)
{
  MendWindow *window = open_window (640, 720);
  AdwWindowTitle *title = ADW_WINDOW_TITLE (mend_test_gui_find_descendant (GTK_WIDGET (window),
                                                                           ADW_TYPE_WINDOW_TITLE));

  g_assert_nonnull (title);
  if (is_french ())
    {
      g_assert_cmpstr (adw_window_title_get_subtitle (title), ==, "Étape 1 sur 7");
      g_assert_cmpstr (adw_window_title_get_title (title), ==, "Ce qui s’est passé");
    }
  else
    {
      g_assert_cmpstr (adw_window_title_get_subtitle (title), ==, "Step 1 of 7");
      g_assert_cmpstr (adw_window_title_get_title (title), ==, "What Happened");
    }

  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_narrow_window (void)
{
  MendWindow *window = open_window (360, 640);
  int minimum = 0;

  /* Every page must fit a phone-sized window: 360 pixels wide. */
  gtk_widget_measure (GTK_WIDGET (window), GTK_ORIENTATION_HORIZONTAL, -1,
                      &minimum, NULL, NULL, NULL);
  g_assert_cmpint (minimum, <=, 360);

  for (guint step = 0; step < G_N_ELEMENTS (expected_steps); step++)
    {
      g_autofree char *name = NULL;

      if (step > 0)
        press_keys_until_step (window, "alt+Right", step);

      gtk_widget_measure (GTK_WIDGET (window), GTK_ORIENTATION_HORIZONTAL, -1,
                          &minimum, NULL, NULL, NULL);
      g_assert_cmpint (minimum, <=, 360);

      if (step == 0 || step == 3)
        {
          name = g_strdup_printf ("narrow-%02u-%s.png", step + 1, expected_steps[step]);
          mend_test_gui_save_screenshot (GTK_WIDGET (window), name);
        }
    }

  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_remembers_size (void)
{
  g_autoptr(GSettings) settings = g_settings_new (SCHEMA_ID);
  MendWindow *window = open_window (520, 610);

  gtk_window_close (GTK_WINDOW (window));

  g_assert_cmpint (g_settings_get_int (settings, "window-width"), ==, 520);
  g_assert_cmpint (g_settings_get_int (settings, "window-height"), ==, 610);
  g_assert_false (g_settings_get_boolean (settings, "window-maximized"));
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(MendTestScan) demo = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *demo_config = NULL;
  const char *style = g_getenv ("MAILMEND_TEST_STYLE");
  int status;

  g_test_init (&argc, &argv, NULL);
  /* WebKit and GTK derive folders from the program name (feasibility.md, pitfall 8). */
  g_set_prgname ("test-wizard");

  /* The Accounts step scans the home folder: give it one with accounts, before
   * anything caches the real one. */
  demo = mend_test_scan_new ("demo");
  demo_config = g_build_filename (demo->home, ".config", NULL);
  g_setenv ("HOME", demo->home, TRUE);
  g_setenv ("XDG_CONFIG_HOME", demo_config, TRUE);

  /* The Service status step never reaches the internet here: Microsoft's status feed and
   * servers are replaced by a loopback port where nothing listens. */
  g_setenv ("MAILMEND_STATUS_URL", "http://127.0.0.1:1/api/posts/m365Consumer", TRUE);
  g_setenv ("MAILMEND_PREFLIGHT_TARGETS", "https:127.0.0.1:1 tls:127.0.0.1:1 smtp:127.0.0.1:1",
            TRUE);

  if (setlocale (LC_ALL, "") == NULL)
    g_error ("The locale %s is not installed: run build-aux/setup-debian.sh",
             g_getenv ("LC_ALL"));
  bindtextdomain (GETTEXT_PACKAGE, BUILD_LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  if (!mend_test_gui_init ())
    return 0;
  mend_test_gui_use_gnome_look ();
  mend_test_gui_set_dark (g_strcmp0 (style, "dark") == 0);

  /* Registering runs the application's start-up: style sheet, icons, actions. */
  application = mend_application_new ();
  g_application_register (G_APPLICATION (application), NULL, &error);
  g_assert_no_error (error);

  g_test_add_func ("/wizard/keyboard-walk", test_keyboard_walk);
  g_test_add_func ("/wizard/why-page-complete", test_why_page_complete);
  g_test_add_func ("/wizard/step-subtitle-translated", test_step_subtitle_is_translated);
  g_test_add_func ("/wizard/narrow-window", test_narrow_window);
  g_test_add_func ("/wizard/remembers-size", test_remembers_size);

  status = g_test_run ();
  g_clear_object (&application);

  return status;
}
