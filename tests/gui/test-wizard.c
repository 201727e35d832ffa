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
#include <gdk/x11/gdkx.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <locale.h>

#include "mend-account-row.h"
#include "mend-application.h"
#include "mend-step-indicator.h"
#include "mend-test-scan.h"
#include "mend-window.h"
#include "pages/mend-accounts-page.h"
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
wait_for (gboolean (*condition) (gpointer),
          gpointer   data,
          const char *what)
{
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

  while (!condition (data))
    {
      if (g_get_monotonic_time () > deadline)
        g_error ("Timed out waiting for %s", what);
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
}

static void
on_after_paint (GdkFrameClock *frame_clock,
                gboolean      *painted)
{
  *painted = TRUE;
}

static gboolean
flag_is_set (gpointer data)
{
  return *(gboolean *) data;
}

/* Waits until the window has drawn a frame with its current state. */
static void
wait_for_frame (GtkWidget *window)
{
  GdkFrameClock *frame_clock = gtk_widget_get_frame_clock (window);
  gboolean painted = FALSE;
  gulong handler;

  handler = g_signal_connect (frame_clock, "after-paint", G_CALLBACK (on_after_paint), &painted);
  gtk_widget_queue_draw (window);
  wait_for (flag_is_set, &painted, "a frame");
  g_signal_handler_disconnect (frame_clock, handler);
}

static gboolean
window_is_mapped (gpointer data)
{
  return gtk_widget_get_mapped (GTK_WIDGET (data));
}

static void
run_xdotool (const char *first_arg,
             ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  const char *arg;
  int status = 0;
  va_list args;

  g_ptr_array_add (argv, (gpointer) (g_getenv ("XDOTOOL") ?: "xdotool"));
  va_start (args, first_arg);
  for (arg = first_arg; arg; arg = va_arg (args, const char *))
    g_ptr_array_add (argv, (gpointer) arg);
  va_end (args);
  g_ptr_array_add (argv, NULL);

  g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL,
                NULL, NULL, &status, &error);
  g_assert_no_error (error);
  g_spawn_check_wait_status (status, &error);
  g_assert_no_error (error);
}

static void
press_keys (GtkWidget  *window,
            const char *keys)
{
  g_autofree char *xid = NULL;

  xid = g_strdup_printf ("%lu", gdk_x11_surface_get_xid (gtk_native_get_surface (GTK_NATIVE (window))));
  run_xdotool ("windowfocus", "--sync", xid, NULL);
  run_xdotool ("key", "--clearmodifiers", keys, NULL);
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
  wait_for (window_is_on_step, &wait, "the wizard to change step");
}

static GtkWidget *
find_descendant (GtkWidget *root,
                 GType      type)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (root, type))
    return root;

  for (GtkWidget *child = gtk_widget_get_first_child (root);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_descendant (child, type);

      if (found != NULL)
        return found;
    }

  return NULL;
}

static guint count_descendants (GtkWidget *root,
                                GType      type);

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
  GtkWidget *page = find_descendant (GTK_WIDGET (window), MEND_TYPE_ACCOUNTS_PAGE);
  g_autoptr(GPtrArray) selected = NULL;

  g_assert_nonnull (page);
  wait_for (accounts_page_is_idle, page, "the scan");
  wait_for_frame (GTK_WIDGET (window));

  g_assert_cmpuint (count_descendants (page, MEND_TYPE_ACCOUNT_ROW), ==, 4);
  selected = mend_accounts_page_get_selected (MEND_ACCOUNTS_PAGE (page));
  g_assert_cmpuint (selected->len, ==, 2);
  g_assert_cmpstr (mend_account_group_get_address (g_ptr_array_index (selected, 0)), ==,
                   "alice.martin@outlook.com");
  g_assert_cmpstr (mend_account_group_get_address (g_ptr_array_index (selected, 1)), ==,
                   "carol.petit@contoso.com");

  /* Show what was found for the first account in the screenshot. */
  adw_expander_row_set_expanded (ADW_EXPANDER_ROW (find_descendant (page, MEND_TYPE_ACCOUNT_ROW)), TRUE);
}

static void
assert_indicator_shows (MendWindow *window,
                        guint       step)
{
  GtkWidget *indicator = find_descendant (GTK_WIDGET (window), MEND_TYPE_STEP_INDICATOR);
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

static void
save_screenshot (GtkWidget  *window,
                 const char *name)
{
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (window);
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree char *path = NULL;
  GtkSnapshot *snapshot = gtk_snapshot_new ();
  const char *directory = g_getenv ("MAILMEND_SCREENSHOT_DIR");
  int width = gtk_widget_get_width (window);
  int height = gtk_widget_get_height (window);

  g_assert_nonnull (directory);
  g_assert_cmpint (g_mkdir_with_parents (directory, 0755), ==, 0);

  gdk_paintable_snapshot (paintable, snapshot, width, height);
  node = gtk_snapshot_free_to_node (snapshot);
  g_assert_nonnull (node);
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (GTK_NATIVE (window)), node,
                                         &GRAPHENE_RECT_INIT (0, 0, width, height));

  path = g_build_filename (directory, name, NULL);
  g_assert_true (gdk_texture_save_to_png (texture, path));
  g_test_message ("Saved %s", path);
}

static guint
count_descendants (GtkWidget *root,
                   GType      type)
{
  guint count = G_TYPE_CHECK_INSTANCE_TYPE (root, type) ? 1 : 0;

  for (GtkWidget *child = gtk_widget_get_first_child (root);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    count += count_descendants (child, type);

  return count;
}

static MendWindow *
open_window (int width,
             int height)
{
  MendWindow *window = mend_window_new (application);

  gtk_window_set_default_size (GTK_WINDOW (window), width, height);
  gtk_window_present (GTK_WINDOW (window));
  wait_for (window_is_mapped, window, "the window to map");
  wait_for_frame (GTK_WIDGET (window));

  /* What the window builds after its first frame. */
  while (g_main_context_pending (NULL))
    g_main_context_iteration (NULL, FALSE);
  wait_for_frame (GTK_WIDGET (window));

  return window;
}

static void
test_keyboard_walk (void)
{
  MendWindow *window = open_window (640, 720);
  guint n_steps = mend_window_get_n_steps (window);

  g_assert_cmpuint (n_steps, ==, G_N_ELEMENTS (expected_steps));

  for (guint step = 0; step < n_steps; step++)
    {
      g_autofree char *name = NULL;

      g_assert_cmpuint (mend_window_get_step (window), ==, step);
      g_assert_cmpstr (mend_window_get_step_name (window), ==, expected_steps[step]);
      assert_indicator_shows (window, step);
      if (g_str_equal (expected_steps[step], "accounts"))
        assert_accounts_listed (window);

      wait_for_frame (GTK_WIDGET (window));
      name = g_strdup_printf ("%02u-%s.png", step + 1, expected_steps[step]);
      save_screenshot (GTK_WIDGET (window), name);

      if (step + 1 < n_steps)
        press_keys_until_step (window, "alt+Right", step + 1);
    }

  /* Past the last step there is nowhere to go. */
  press_keys (GTK_WIDGET (window), "alt+Right");
  wait_for_frame (GTK_WIDGET (window));
  g_assert_cmpuint (mend_window_get_step (window), ==, n_steps - 1);

  press_keys_until_step (window, "alt+Left", n_steps - 2);
  for (guint step = n_steps - 2; step > 0; step--)
    press_keys_until_step (window, "alt+Left", step - 1);
  g_assert_cmpstr (mend_window_get_step_name (window), ==, "why");

  /* Nowhere to go before the first step either. */
  press_keys (GTK_WIDGET (window), "alt+Left");
  wait_for_frame (GTK_WIDGET (window));
  g_assert_cmpuint (mend_window_get_step (window), ==, 0);

  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_why_page_complete (void)
{
  MendWindow *window = open_window (640, 720);
  GtkWidget *page = find_descendant (GTK_WIDGET (window), MEND_TYPE_WHY_PAGE);

  /* The groups under the headline come after the first frame, but they come.
   * Counted in the Why page only: the other pages are built by then too. */
  g_assert_cmpstr (mend_window_get_step_name (window), ==, "why");
  g_assert_nonnull (page);
  g_assert_cmpuint (count_descendants (page, ADW_TYPE_PREFERENCES_GROUP), ==, 3);
  g_assert_cmpuint (count_descendants (page, ADW_TYPE_ACTION_ROW), ==, 11);

  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_step_subtitle_is_translated (void)
{
  MendWindow *window = open_window (640, 720);
  AdwWindowTitle *title = ADW_WINDOW_TITLE (find_descendant (GTK_WIDGET (window),
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
          wait_for_frame (GTK_WIDGET (window));
          name = g_strdup_printf ("narrow-%02u-%s.png", step + 1, expected_steps[step]);
          save_screenshot (GTK_WIDGET (window), name);
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

  if (setlocale (LC_ALL, "") == NULL)
    g_error ("The locale %s is not installed: run build-aux/setup-debian.sh",
             g_getenv ("LC_ALL"));
  bindtextdomain (GETTEXT_PACKAGE, BUILD_LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  if (!gtk_init_check ())
    {
      /* TAP's way of skipping a whole program. */
      g_print ("1..0 # SKIP No display: run the GUI tests through tests/harness/session-run\n");
      return 0;
    }
  adw_init ();

  /* No animations, so every screenshot shows a settled page; GNOME's own
   * font and title-bar buttons, as users see them. */
  g_object_set (gtk_settings_get_default (),
                "gtk-enable-animations", FALSE,
                "gtk-decoration-layout", "appmenu:close",
                "gtk-font-name", "Cantarell 11",
                NULL);
  if (g_strcmp0 (style, "dark") == 0)
    adw_style_manager_set_color_scheme (adw_style_manager_get_default (),
                                        ADW_COLOR_SCHEME_FORCE_DARK);
  else
    adw_style_manager_set_color_scheme (adw_style_manager_get_default (),
                                        ADW_COLOR_SCHEME_FORCE_LIGHT);

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
