/* test-preferences.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The Preferences window under the rig's Xvfb, with text typed through the X server
 * (xdotool) and GSettings' memory backend: an invalid client id is explained, styled as an
 * error and not saved, a valid one is; the Account Type row writes Microsoft's tenants, a
 * specific organization is checked; plain http:// is refused for the authority off loopback;
 * values set elsewhere are shown, invalid ones explained; Reset. The ways in: the main menu,
 * Ctrl+comma, the shortcuts window, and the Sign In step's button, after which the step,
 * which had no client id (or an invalid one), starts over with the one just typed (towards a
 * closed loopback port: nothing reaches the internet). Saves PNGs into
 * MAILMEND_SCREENSHOT_DIR.
 *
 * Needs the rig (tests/harness/session-run): without MAILMEND_TEST_RIG or a display it skips.
 */

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <locale.h>
#include <string.h>
#include <unistd.h>

#include "mend-application.h"
#include "mend-oauth-settings.h"
#include "mend-preferences-window.h"
#include "mend-test-gui.h"
#include "mend-window.h"
#include "pages/mend-signin-page-private.h"
#include "pages/mend-signin-page.h"

#define CLIENT_ID       "6731de76-14a6-49ae-97bc-6eba6914391e"
#define OTHER_CLIENT_ID "0f1e2d3c-4b5a-4978-8695-a4b3c2d1e0f9"

static const char * const keys[] = {
  "microsoft-client-id", "microsoft-tenant", "microsoft-authority",
};

static MendApplication *application;

typedef struct
{
  MendPreferencesWindow *window;
  GSettings             *settings;
} Fixture;

/* ---------------------------------------------------------------------------------------------
 * The keyboard, through the X server
 * ------------------------------------------------------------------------------------------- */

static gboolean
row_is_editing (gpointer row)
{
  return gtk_widget_has_css_class (GTK_WIDGET (row), "focused");
}

typedef struct
{
  GtkEditable *editable;
  const char  *text;
} TextWait;

static gboolean
editable_has_text (gpointer data)
{
  TextWait *wait = data;

  return g_strcmp0 (gtk_editable_get_text (wait->editable), wait->text) == 0;
}

/* Replaces the row's text by typing @text, then presses Enter. */
static void
type_into (AdwEntryRow *row,
           const char  *text)
{
  GtkWidget *window = GTK_WIDGET (gtk_widget_get_root (GTK_WIDGET (row)));
  TextWait wait = { GTK_EDITABLE (row), "" };

  mend_test_gui_focus_window (window);
  g_assert_true (gtk_widget_grab_focus (GTK_WIDGET (row)));
  mend_test_gui_wait_for (row_is_editing, row, "the row to take the keyboard");

  mend_test_gui_xdotool ("key", "--clearmodifiers", "ctrl+a", "BackSpace", NULL);
  mend_test_gui_wait_for (editable_has_text, &wait, "the row to be emptied");
  if (text[0] != '\0')
    {
      wait.text = text;
      mend_test_gui_xdotool ("type", "--clearmodifiers", "--delay", "2", text, NULL);
      mend_test_gui_wait_for (editable_has_text, &wait, "the typed text");
    }
  mend_test_gui_xdotool ("key", "--clearmodifiers", "Return", NULL);
  mend_test_gui_run_for (50);
}

/* ---------------------------------------------------------------------------------------------
 * Finding the rows, by their titles in the language of the run
 * ------------------------------------------------------------------------------------------- */

static GtkWidget *
find_row (GtkWidget  *root,
          const char *title,
          GType       type)
{
  GtkWidget *label = mend_test_gui_find_label (root, title);
  GtkWidget *row;

  if (label == NULL)
    g_error ("No row is called “%s”", title);
  row = gtk_widget_get_ancestor (label, type);
  g_assert_nonnull (row);

  return row;
}

static AdwEntryRow *
client_id_row (gpointer window)
{
  return ADW_ENTRY_ROW (find_row (GTK_WIDGET (window), _("Client ID"),
                                  ADW_TYPE_ENTRY_ROW));
}

static AdwEntryRow *
tenant_row (gpointer window)
{
  return ADW_ENTRY_ROW (find_row (GTK_WIDGET (window), _("Tenant ID or Domain"),
                                  ADW_TYPE_ENTRY_ROW));
}

static AdwEntryRow *
authority_row (gpointer window)
{
  return ADW_ENTRY_ROW (find_row (GTK_WIDGET (window), _("Authority"),
                                  ADW_TYPE_ENTRY_ROW));
}

static AdwComboRow *
account_type_row (gpointer window)
{
  return ADW_COMBO_ROW (find_row (GTK_WIDGET (window), _("Account Type"),
                                  ADW_TYPE_COMBO_ROW));
}

static gboolean
row_has_error (gpointer row)
{
  return gtk_widget_has_css_class (GTK_WIDGET (row), "error");
}

static void
assert_key (Fixture    *fixture,
            const char *key,
            const char *expected)
{
  g_autofree char *value = g_settings_get_string (fixture->settings, key);

  g_assert_cmpstr (value, ==, expected);
}

/* The row is an error, and the engine's own explanation is drawn for it. */
static void
assert_refused (Fixture     *fixture,
                AdwEntryRow *row,
                const char  *explanation)
{
  mend_test_gui_wait_for (row_has_error, row, "the row to show an error");
  mend_test_gui_assert_label_shown (GTK_WIDGET (fixture->window), explanation);
}

/* The row is not an error, and no explanation of one is drawn. */
static void
assert_accepted (Fixture     *fixture,
                 AdwEntryRow *row)
{
  g_autoptr(GPtrArray) labels = mend_test_gui_find_all (GTK_WIDGET (fixture->window),
                                                        GTK_TYPE_LABEL);

  g_assert_false (row_has_error (row));
  for (guint i = 0; i < labels->len; i++)
    {
      GtkWidget *label = g_ptr_array_index (labels, i);

      if (gtk_widget_is_drawable (label) && gtk_widget_has_css_class (label, "error"))
        g_error ("An error is shown: %s", gtk_label_get_label (GTK_LABEL (label)));
    }
}

/* ---------------------------------------------------------------------------------------------
 * The fixture: the window over nothing, the built-in settings
 * ------------------------------------------------------------------------------------------- */

static void
reset_keys (GSettings *settings)
{
  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    g_settings_reset (settings, keys[i]);
}

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  fixture->settings = g_settings_new (SCHEMA_ID);
  reset_keys (fixture->settings);

  fixture->window = mend_preferences_window_present (GTK_APPLICATION (application));
  gtk_window_set_default_size (GTK_WINDOW (fixture->window), 360, 640);
  mend_test_gui_wait_for (mend_test_gui_widget_is_mapped, fixture->window, "the window");
  mend_test_gui_wait_for_frame (GTK_WIDGET (fixture->window));
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  mend_test_gui_set_dark (FALSE);
  gtk_window_destroy (GTK_WINDOW (fixture->window));
  mend_test_gui_run_for (20);

  reset_keys (fixture->settings);
  g_clear_object (&fixture->settings);
}

/* Light and dark, at 360 pixels. */
static void
save_screenshots (GtkWidget  *window,
                  const char *name)
{
  g_autofree char *light = g_strdup_printf ("%s.png", name);
  g_autofree char *dark = g_strdup_printf ("%s-dark.png", name);

  mend_test_gui_save_screenshot (window, light);
  mend_test_gui_set_dark (TRUE);
  mend_test_gui_save_screenshot (window, dark);
  mend_test_gui_set_dark (FALSE);
}

/* ---------------------------------------------------------------------------------------------
 * Tests
 * ------------------------------------------------------------------------------------------- */

static void
test_client_id (Fixture       *fixture,
                gconstpointer  data)
{
  AdwEntryRow *row = client_id_row (fixture->window);
  g_autoptr(MendOAuthSettings) oauth = NULL;
  g_autoptr(GError) expected = NULL;
  g_autoptr(GError) error = NULL;

  /* Empty, the row stands for the built-in id, which the group names. */
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (row)), ==, "");
  if (MICROSOFT_CLIENT_ID[0] != '\0')
    mend_test_gui_assert_text_shown (GTK_WIDGET (fixture->window), MICROSOFT_CLIENT_ID);

  /* Invalid: explained in the engine's words, and not saved. */
  g_settings_set_string (fixture->settings, "microsoft-client-id", CLIENT_ID);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (row)), ==, CLIENT_ID);
  type_into (row, "{not-a-guid}");
  g_assert_false (mend_oauth_validate_client_id ("{not-a-guid}", &expected));
  assert_refused (fixture, row, expected->message);
  assert_key (fixture, "microsoft-client-id", CLIENT_ID);
  save_screenshots (GTK_WIDGET (fixture->window), "01-invalid-client-id");

  /* Valid, as pasted from the Entra admin center: saved, and the explanation goes. */
  type_into (row, " 0F1E2D3C-4B5A-4978-8695-A4B3C2D1E0F9 ");
  assert_key (fixture, "microsoft-client-id", OTHER_CLIENT_ID);
  assert_accepted (fixture, row);
  oauth = mend_oauth_settings_new_from_gsettings (&error);
  g_assert_no_error (error);
  g_assert_cmpstr (mend_oauth_settings_get_client_id (oauth), ==, OTHER_CLIENT_ID);

  /* Emptied: the built-in id again. */
  type_into (row, "");
  assert_key (fixture, "microsoft-client-id", "");
  assert_accepted (fixture, row);
}

static void
test_account_type (Fixture       *fixture,
                   gconstpointer  data)
{
  static const char *tenants[] = { "", "consumers", "organizations" };
  AdwComboRow *combo = account_type_row (fixture->window);
  AdwEntryRow *tenant = tenant_row (fixture->window);
  g_autoptr(GError) expected = NULL;

  g_assert_cmpuint (adw_combo_row_get_selected (combo), ==, 0);
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (tenant)));

  for (guint i = G_N_ELEMENTS (tenants); i-- > 0;)
    {
      g_autoptr(MendOAuthSettings) oauth = NULL;
      g_autoptr(GError) error = NULL;

      adw_combo_row_set_selected (combo, i);
      assert_key (fixture, "microsoft-tenant", tenants[i]);
      g_assert_false (gtk_widget_get_visible (GTK_WIDGET (tenant)));

      oauth = mend_oauth_settings_new_from_gsettings (&error);
      g_assert_no_error (error);
      g_assert_cmpstr (mend_oauth_settings_get_tenant (oauth), ==,
                       i == 0 ? "common" : tenants[i]);
    }

  /* A specific organization: saved once it is named, and checked. */
  adw_combo_row_set_selected (combo, 3);
  mend_test_gui_wait_for (mend_test_gui_widget_is_drawable, tenant, "the tenant row");
  assert_key (fixture, "microsoft-tenant", "");

  type_into (tenant, "not a tenant!");
  g_assert_null (mend_oauth_normalize_tenant ("not a tenant!", &expected));
  assert_refused (fixture, tenant, expected->message);
  assert_key (fixture, "microsoft-tenant", "");
  save_screenshots (GTK_WIDGET (fixture->window), "02-invalid-tenant");

  type_into (tenant, "Contoso.onmicrosoft.com");
  assert_key (fixture, "microsoft-tenant", "contoso.onmicrosoft.com");
  assert_accepted (fixture, tenant);

  /* Back to a kind of account and to the organization: the name stayed, and is saved. */
  adw_combo_row_set_selected (combo, 1);
  assert_key (fixture, "microsoft-tenant", "consumers");
  adw_combo_row_set_selected (combo, 3);
  assert_key (fixture, "microsoft-tenant", "contoso.onmicrosoft.com");

  /* A kind of account typed as an organization is that kind, and does not come back. */
  type_into (tenant, "Consumers");
  assert_key (fixture, "microsoft-tenant", "consumers");
  g_assert_cmpuint (adw_combo_row_get_selected (combo), ==, 1);
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (tenant)));
  adw_combo_row_set_selected (combo, 3);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (tenant)), ==, "");
  assert_key (fixture, "microsoft-tenant", "consumers");

  /* Set elsewhere: shown. */
  g_settings_set_string (fixture->settings, "microsoft-tenant", "organizations");
  g_assert_cmpuint (adw_combo_row_get_selected (combo), ==, 2);
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (tenant)));
  g_settings_set_string (fixture->settings, "microsoft-tenant",
                         "9188040d-6c67-4c5b-b112-36a304b66dad");
  g_assert_cmpuint (adw_combo_row_get_selected (combo), ==, 3);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (tenant)));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (tenant)), ==,
                   "9188040d-6c67-4c5b-b112-36a304b66dad");
}

static void
test_authority (Fixture       *fixture,
                gconstpointer  data)
{
  AdwExpanderRow *advanced = ADW_EXPANDER_ROW (mend_test_gui_find_descendant (
                                 GTK_WIDGET (fixture->window), ADW_TYPE_EXPANDER_ROW));
  AdwEntryRow *row = authority_row (fixture->window);
  g_autoptr(GError) expected = NULL;

  g_assert_false (adw_expander_row_get_expanded (advanced));
  adw_expander_row_set_expanded (advanced, TRUE);
  mend_test_gui_wait_for (mend_test_gui_widget_is_drawable, row, "the authority row");

  /* Plain http off loopback: refused. */
  type_into (row, "http://login.example.com");
  g_assert_null (mend_oauth_normalize_authority ("http://login.example.com", &expected));
  assert_refused (fixture, row, expected->message);
  assert_key (fixture, "microsoft-authority", "");
  save_screenshots (GTK_WIDGET (fixture->window), "03-invalid-authority");

  /* A national cloud, and the test rig's loopback. */
  type_into (row, "https://login.microsoftonline.us/");
  assert_key (fixture, "microsoft-authority", "https://login.microsoftonline.us");
  assert_accepted (fixture, row);
  type_into (row, "http://127.0.0.1:8080");
  assert_key (fixture, "microsoft-authority", "http://127.0.0.1:8080");
  assert_accepted (fixture, row);

  /* What it is for, in place of the explanation. */
  mend_test_gui_assert_text_shown (GTK_WIDGET (fixture->window),
                                   "https://login.microsoftonline.us");
  save_screenshots (GTK_WIDGET (fixture->window), "00-authority");
}

/* Values set with gsettings or dconf-editor, which check nothing: shown, invalid ones
 * explained; then Reset puts back the built-in settings, text never saved included. */
static void
test_set_elsewhere_and_reset (Fixture       *fixture,
                              gconstpointer  data)
{
  GtkWidget *window = GTK_WIDGET (fixture->window);
  GtkWidget *reset = mend_test_gui_find_button (window, "prefs.reset", NULL);
  AdwEntryRow *client_id = client_id_row (fixture->window);
  AdwEntryRow *authority = authority_row (fixture->window);
  g_autoptr(GError) expected = NULL;

  g_assert_false (mend_test_gui_is_usable (reset));

  g_settings_set_string (fixture->settings, "microsoft-client-id", "12345");
  g_settings_set_string (fixture->settings, "microsoft-tenant", "consumers");
  g_settings_set_string (fixture->settings, "microsoft-authority", "ftp://example.com");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (client_id)), ==, "12345");
  g_assert_false (mend_oauth_validate_client_id ("12345", &expected));
  assert_refused (fixture, client_id, expected->message);
  g_assert_true (row_has_error (authority));
  g_assert_cmpuint (adw_combo_row_get_selected (account_type_row (fixture->window)), ==, 1);

  mend_test_gui_click (reset);
  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    assert_key (fixture, keys[i], "");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (client_id)), ==, "");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (authority)), ==, "");
  g_assert_false (row_has_error (client_id));
  g_assert_false (row_has_error (authority));
  g_assert_cmpuint (adw_combo_row_get_selected (account_type_row (fixture->window)), ==, 0);
  g_assert_false (mend_test_gui_is_usable (reset));

  /* Typed, refused, never saved: Reset clears it too. */
  type_into (client_id, "nope");
  g_assert_true (row_has_error (client_id));
  mend_test_gui_click (reset);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (client_id)), ==, "");
  g_assert_false (row_has_error (client_id));
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

static MendPreferencesWindow *
find_preferences_window (void)
{
  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (application)); l; l = l->next)
    {
      if (MEND_IS_PREFERENCES_WINDOW (l->data))
        return l->data;
    }

  return NULL;
}

static gboolean
preferences_are_shown (gpointer data)
{
  MendPreferencesWindow *window = find_preferences_window ();

  return window != NULL && gtk_widget_get_mapped (GTK_WIDGET (window));
}

static gboolean
no_preferences_window (gpointer data)
{
  return find_preferences_window () == NULL;
}

static gboolean
help_overlay_has_action (GtkWidget  *root,
                         const char *action)
{
  g_autoptr(GPtrArray) shortcuts = mend_test_gui_find_all (root, GTK_TYPE_SHORTCUTS_SHORTCUT);

  for (guint i = 0; i < shortcuts->len; i++)
    {
      g_autofree char *name = NULL;

      g_object_get (g_ptr_array_index (shortcuts, i), "action-name", &name, NULL);
      if (g_strcmp0 (name, action) == 0)
        return TRUE;
    }

  return FALSE;
}

/* The main menu's item, its shortcut (in the shortcuts window too): one window, modal over
 * the wizard. */
static void
test_ways_in (void)
{
  g_auto(GStrv) accels = NULL;
  MendWindow *main_window = mend_window_new (application);
  GtkWidget *menu_button;
  GtkShortcutsWindow *overlay;
  MendPreferencesWindow *window;

  gtk_window_present (GTK_WINDOW (main_window));
  mend_test_gui_wait_for (mend_test_gui_widget_is_mapped, main_window, "the wizard");
  g_assert_null (find_preferences_window ());

  menu_button = mend_test_gui_find_descendant (GTK_WIDGET (main_window), GTK_TYPE_MENU_BUTTON);
  g_assert_true (menu_has_action (gtk_menu_button_get_menu_model (GTK_MENU_BUTTON (menu_button)),
                                  "app.preferences"));
  accels = gtk_application_get_accels_for_action (GTK_APPLICATION (application),
                                                  "app.preferences");
  g_assert_cmpstr (accels[0], ==, "<Control>comma");
  overlay = gtk_application_window_get_help_overlay (GTK_APPLICATION_WINDOW (main_window));
  g_assert_nonnull (overlay);
  g_assert_true (help_overlay_has_action (GTK_WIDGET (overlay), "app.preferences"));

  /* The shortcut, pressed in the wizard. */
  mend_test_gui_focus_window (GTK_WIDGET (main_window));
  mend_test_gui_xdotool ("key", "--clearmodifiers", "ctrl+comma", NULL);
  mend_test_gui_wait_for (preferences_are_shown, NULL, "the preferences");
  window = find_preferences_window ();
  g_assert_true (gtk_window_get_transient_for (GTK_WINDOW (window)) == GTK_WINDOW (main_window));
  g_assert_true (gtk_window_get_modal (GTK_WINDOW (window)));

  /* Once more: the same window. */
  g_action_group_activate_action (G_ACTION_GROUP (application), "preferences", NULL);
  mend_test_gui_run_for (50);
  g_assert_true (find_preferences_window () == window);

  /* Escape closes it. */
  mend_test_gui_focus_window (GTK_WIDGET (window));
  mend_test_gui_xdotool ("key", "--clearmodifiers", "Escape", NULL);
  mend_test_gui_wait_for (no_preferences_window, NULL, "the preferences to close");

  gtk_window_destroy (GTK_WINDOW (main_window));
  mend_test_gui_run_for (50);
}

typedef struct
{
  MendSigninPage *page;
  const char     *view;
} ViewWait;

static gboolean
page_shows_view (gpointer data)
{
  ViewWait *wait = data;

  return g_strcmp0 (_mend_signin_page_get_view_name (wait->page), wait->view) == 0;
}

/* How the Sign In step waits for the preferences: without a client id, or with an invalid
 * one set elsewhere. */
typedef struct
{
  const char *client_id;
  const char *view;
  const char *finding;
  const char *screenshot;
} Waiting;

static const Waiting no_client_id = {
  "", "no-client-id", "client-id-missing", "04-signin-no-client-id",
};
static const Waiting invalid_client_id = {
  "{6731de76-14a6-49ae-97bc-6eba6914391e}", "error", "client-id-invalid", NULL,
};

/* The Sign In step, without a valid client id, sends the user to the preferences; once one
 * is set there, it starts over and loads the sign-in page with that client id, from an
 * authority where nothing listens. */
static void
test_signin_starts_over (gconstpointer data)
{
  const Waiting *waiting = data;
  g_autoptr(GSettings) settings = g_settings_new (SCHEMA_ID);
  g_autofree char *address = g_strdup_printf ("prefs-%u@outlook.com", (guint) getpid ());
  MendPreferencesWindow *window;
  MendWindow *main_window;
  ViewWait wait = { NULL, waiting->view };
  const char *url;

  if (MICROSOFT_CLIENT_ID[0] != '\0' && waiting == &no_client_id)
    {
      g_test_skip ("this build has a client id built in");
      return;
    }

  reset_keys (settings);
  g_settings_set_string (settings, "microsoft-authority", "http://127.0.0.1:1");
  g_settings_set_string (settings, "microsoft-client-id", waiting->client_id);

  main_window = mend_window_new (application);
  gtk_window_set_default_size (GTK_WINDOW (main_window), 360, 640);
  gtk_window_present (GTK_WINDOW (main_window));
  mend_test_gui_wait_for (mend_test_gui_widget_is_mapped, main_window, "the wizard");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (main_window), "wizard.go-to-step", "s",
                                             "signin"));
  wait.page = MEND_SIGNIN_PAGE (mend_test_gui_find_descendant (GTK_WIDGET (main_window),
                                                               MEND_TYPE_SIGNIN_PAGE));
  mend_signin_page_set_address (wait.page, address);
  mend_test_gui_wait_for (page_shows_view, &wait, "the page to ask for a client id");
  g_assert_cmpstr (mend_finding_get_id (_mend_signin_page_get_finding (wait.page)), ==,
                   waiting->finding);
  if (waiting->screenshot != NULL)
    save_screenshots (GTK_WIDGET (main_window), waiting->screenshot);

  /* The step's button, or else the main menu's item. */
  if (waiting == &no_client_id)
    mend_test_gui_click (mend_test_gui_find_button (GTK_WIDGET (wait.page), "app.preferences",
                                                    NULL));
  else
    g_action_group_activate_action (G_ACTION_GROUP (application), "preferences", NULL);
  mend_test_gui_wait_for (preferences_are_shown, NULL, "the preferences");
  window = find_preferences_window ();
  g_assert_true (gtk_window_get_transient_for (GTK_WINDOW (window)) == GTK_WINDOW (main_window));
  mend_test_gui_wait_for_frame (GTK_WIDGET (window));
  type_into (client_id_row (window), CLIENT_ID);

  /* Past the keyring, to Microsoft's page in the web view, built with the new client id for
   * the authority, where nothing listens. */
  g_assert_cmpstr (_mend_signin_page_get_view_name (wait.page), !=, waiting->view);
  wait.view = "web";
  mend_test_gui_wait_for (page_shows_view, &wait, "the page to load the sign-in page");
  g_assert_null (_mend_signin_page_get_finding (wait.page));
  g_assert_nonnull (_mend_signin_page_get_web_view (wait.page));
  url = _mend_signin_page_get_authorize_url (wait.page);
  g_assert_nonnull (url);
  g_assert_true (g_str_has_prefix (url, "http://127.0.0.1:1/common/oauth2/v2.0/authorize?"));
  g_assert_nonnull (strstr (url, "client_id=" CLIENT_ID "&"));

  gtk_window_destroy (GTK_WINDOW (main_window));
  mend_test_gui_run_for (50);
  g_assert_null (find_preferences_window ());
  reset_keys (settings);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int status;

  g_test_init (&argc, &argv, NULL);
  /* WebKit and GTK derive folders from the program name (feasibility.md, pitfall 8). */
  g_set_prgname ("test-preferences");

  if (!mend_test_gui_in_rig ())
    return 0;

  /* The wizard's other steps never reach the internet here. */
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

  /* Registering runs the application's start-up: style sheet, actions, shortcuts. */
  application = mend_application_new ();
  g_application_set_flags (G_APPLICATION (application), G_APPLICATION_NON_UNIQUE);
  g_application_register (G_APPLICATION (application), NULL, &error);
  g_assert_no_error (error);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("/preferences/client-id", test_client_id);
  ADD ("/preferences/account-type", test_account_type);
  ADD ("/preferences/authority", test_authority);
  ADD ("/preferences/set-elsewhere-and-reset", test_set_elsewhere_and_reset);
#undef ADD
  g_test_add_func ("/preferences/ways-in", test_ways_in);
  g_test_add_data_func ("/preferences/signin-starts-over/no-client-id", &no_client_id,
                        test_signin_starts_over);
  g_test_add_data_func ("/preferences/signin-starts-over/invalid-client-id", &invalid_client_id,
                        test_signin_starts_over);

  status = g_test_run ();
  g_clear_object (&application);

  return status;
}
