/* mend-test-gui.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <string.h>

#include <adwaita.h>
#include <gdk/x11/gdkx.h>

#include "mend-test-gui.h"
#include "mend-token-store.h"

/* ---------------------------------------------------------------------------------------------
 * Starting
 * ------------------------------------------------------------------------------------------- */

/**
 * mend_test_gui_in_rig:
 *
 * Whether the test runs in the rig (tests/harness/session-run). Outside it, prints TAP's
 * line for skipping a whole program, and main() should return 0.
 */
gboolean
mend_test_gui_in_rig (void)
{
  if (g_getenv ("MAILMEND_TEST_RIG") != NULL)
    return TRUE;

  g_print ("1..0 # SKIP needs the test rig: run through tests/harness/session-run\n");
  return FALSE;
}

/**
 * mend_test_gui_init:
 *
 * Opens the display and starts libadwaita. Without a display, prints TAP's line for skipping
 * a whole program and returns %FALSE, and main() should return 0.
 */
gboolean
mend_test_gui_init (void)
{
  if (!gtk_init_check ())
    {
      g_print ("1..0 # SKIP No display: run the GUI tests through tests/harness/session-run\n");
      return FALSE;
    }
  adw_init ();

  return TRUE;
}

/**
 * mend_test_gui_use_gnome_look:
 *
 * No animations, so every screenshot shows a settled page; GNOME's own font and title-bar
 * buttons, as users see them; the light style.
 */
void
mend_test_gui_use_gnome_look (void)
{
  g_object_set (gtk_settings_get_default (),
                "gtk-enable-animations", FALSE,
                "gtk-decoration-layout", "appmenu:close",
                "gtk-font-name", "Cantarell 11",
                NULL);
  mend_test_gui_set_dark (FALSE);
}

/**
 * mend_test_gui_set_dark:
 * @dark: the dark style, or else the light one
 *
 * Forces a style, whatever the rig's desktop prefers.
 */
void
mend_test_gui_set_dark (gboolean dark)
{
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (),
                                      dark ? ADW_COLOR_SCHEME_FORCE_DARK
                                           : ADW_COLOR_SCHEME_FORCE_LIGHT);
}

/**
 * mend_test_gui_window_new:
 * @page: a page of the wizard, or another widget to test
 * @width: the window's default width
 * @height: the window's default height
 *
 * Puts @page in a window under a header bar, as the wizard shows its pages; @page takes the
 * height left. The window is not shown yet.
 *
 * Returns: (transfer none): the #AdwWindow, owned by GTK's list of windows until destroyed
 */
GtkWidget *
mend_test_gui_window_new (GtkWidget *page,
                          int        width,
                          int        height)
{
  GtkWidget *window;
  GtkWidget *box;

  g_return_val_if_fail (GTK_IS_WIDGET (page), NULL);

  window = adw_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (window), width, height);
  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  gtk_box_append (GTK_BOX (box), adw_header_bar_new ());
  gtk_widget_set_vexpand (page, TRUE);
  gtk_box_append (GTK_BOX (box), page);
  adw_window_set_content (ADW_WINDOW (window), box);

  return window;
}

/* ---------------------------------------------------------------------------------------------
 * Waiting
 * ------------------------------------------------------------------------------------------- */

/**
 * mend_test_gui_wait_for:
 * @condition: called with @data after each iteration of the main loop
 * @data: what @condition looks at
 * @what: what is awaited, for the message when it does not come
 *
 * Runs the default main context until @condition returns %TRUE; fails the test after
 * %MEND_TEST_GUI_WAIT_S seconds.
 */
void
mend_test_gui_wait_for (MendTestGuiCondition  condition,
                        gpointer              data,
                        const char           *what)
{
  gint64 deadline = g_get_monotonic_time () + MEND_TEST_GUI_WAIT_S * G_USEC_PER_SEC;

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

/**
 * mend_test_gui_wait_for_frame:
 * @window: a realized window
 *
 * Waits until @window has drawn a frame with its current state.
 */
void
mend_test_gui_wait_for_frame (GtkWidget *window)
{
  GdkFrameClock *frame_clock;
  gboolean painted = FALSE;
  gulong handler;

  g_return_if_fail (GTK_IS_WINDOW (window));

  frame_clock = gtk_widget_get_frame_clock (window);
  g_assert_nonnull (frame_clock);
  handler = g_signal_connect (frame_clock, "after-paint", G_CALLBACK (on_after_paint), &painted);
  gtk_widget_queue_draw (window);
  mend_test_gui_wait_for (mend_test_gui_flag_is_set, &painted, "a frame");
  g_signal_handler_disconnect (frame_clock, handler);
}

/**
 * mend_test_gui_run_for:
 * @milliseconds: how long
 *
 * Lets the main loop run for a while: for what should NOT happen, or should not happen yet.
 */
void
mend_test_gui_run_for (guint milliseconds)
{
  gint64 end = g_get_monotonic_time () + (gint64) milliseconds * 1000;

  while (g_get_monotonic_time () < end)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
}

/**
 * mend_test_gui_run_pending:
 *
 * Dispatches everything the main loop has ready, without waiting: what a window builds
 * after its first frame, or what a destroyed one leaves behind.
 */
void
mend_test_gui_run_pending (void)
{
  while (g_main_context_pending (NULL))
    g_main_context_iteration (NULL, FALSE);
}

/* ---------------------------------------------------------------------------------------------
 * Conditions for mend_test_gui_wait_for()
 * ------------------------------------------------------------------------------------------- */

/**
 * mend_test_gui_flag_is_set:
 * @flag: a `gboolean *`
 */
gboolean
mend_test_gui_flag_is_set (gpointer flag)
{
  return *(gboolean *) flag;
}

/**
 * mend_test_gui_pointer_is_set:
 * @pointer: a `gpointer *`, such as the address of a result an async callback fills in
 */
gboolean
mend_test_gui_pointer_is_set (gpointer pointer)
{
  return *(gpointer *) pointer != NULL;
}

/**
 * mend_test_gui_widget_is_visible:
 * @widget: a #GtkWidget
 */
gboolean
mend_test_gui_widget_is_visible (gpointer widget)
{
  return gtk_widget_get_visible (GTK_WIDGET (widget));
}

/**
 * mend_test_gui_widget_is_mapped:
 * @widget: a #GtkWidget
 */
gboolean
mend_test_gui_widget_is_mapped (gpointer widget)
{
  return gtk_widget_get_mapped (GTK_WIDGET (widget));
}

/**
 * mend_test_gui_widget_is_drawable:
 * @widget: a #GtkWidget
 */
gboolean
mend_test_gui_widget_is_drawable (gpointer widget)
{
  return gtk_widget_is_drawable (GTK_WIDGET (widget));
}

/* ---------------------------------------------------------------------------------------------
 * Finding widgets
 * ------------------------------------------------------------------------------------------- */

/**
 * mend_test_gui_find_descendant:
 * @root: where to look, itself included
 * @type: a widget type or an interface
 *
 * Returns: (transfer none) (nullable): the first widget of @type under @root, depth first
 */
GtkWidget *
mend_test_gui_find_descendant (GtkWidget *root,
                               GType      type)
{
  g_return_val_if_fail (GTK_IS_WIDGET (root), NULL);

  if (G_TYPE_CHECK_INSTANCE_TYPE (root, type))
    return root;

  for (GtkWidget *child = gtk_widget_get_first_child (root);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = mend_test_gui_find_descendant (child, type);

      if (found != NULL)
        return found;
    }

  return NULL;
}

static void
collect (GtkWidget *root,
         GType      type,
         GPtrArray *found)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (root, type))
    g_ptr_array_add (found, root);

  for (GtkWidget *child = gtk_widget_get_first_child (root);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect (child, type, found);
}

/**
 * mend_test_gui_find_all:
 * @root: where to look, itself included
 * @type: a widget type or an interface
 *
 * Returns: (transfer container) (element-type GtkWidget): every widget of @type under
 *   @root, in the order they are drawn
 */
GPtrArray *
mend_test_gui_find_all (GtkWidget *root,
                        GType      type)
{
  GPtrArray *found;

  g_return_val_if_fail (GTK_IS_WIDGET (root), NULL);

  found = g_ptr_array_new ();
  collect (root, type, found);

  return found;
}

/**
 * mend_test_gui_count_descendants:
 * @root: where to look, itself included
 * @type: a widget type or an interface
 *
 * Returns: how many widgets of @type are under @root
 */
guint
mend_test_gui_count_descendants (GtkWidget *root,
                                 GType      type)
{
  g_autoptr(GPtrArray) found = mend_test_gui_find_all (root, type);

  return found->len;
}

static GtkWidget *
find_label_full (GtkWidget  *root,
                 const char *text,
                 gboolean    whole,
                 gboolean    drawable)
{
  if (GTK_IS_LABEL (root) && (!drawable || gtk_widget_is_drawable (root)))
    {
      const char *label = gtk_label_get_label (GTK_LABEL (root));

      if (label != NULL && (whole ? g_str_equal (label, text) : strstr (label, text) != NULL))
        return root;
    }

  for (GtkWidget *child = gtk_widget_get_first_child (root);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_label_full (child, text, whole, drawable);

      if (found != NULL)
        return found;
    }

  return NULL;
}

/**
 * mend_test_gui_find_label:
 * @root: where to look, itself included
 * @text: the label's whole text, markup and mnemonics included
 *
 * Returns: (transfer none) (nullable): the first #GtkLabel under @root that says @text,
 *   shown or not
 */
GtkWidget *
mend_test_gui_find_label (GtkWidget  *root,
                          const char *text)
{
  g_return_val_if_fail (GTK_IS_WIDGET (root), NULL);
  g_return_val_if_fail (text != NULL, NULL);

  return find_label_full (root, text, TRUE, FALSE);
}

/**
 * mend_test_gui_find_label_containing:
 * @root: where to look, itself included
 * @text: a part of the label's text, markup and mnemonics included
 *
 * Returns: (transfer none) (nullable): the first #GtkLabel under @root whose text holds
 *   @text, shown or not
 */
GtkWidget *
mend_test_gui_find_label_containing (GtkWidget  *root,
                                     const char *text)
{
  g_return_val_if_fail (GTK_IS_WIDGET (root), NULL);
  g_return_val_if_fail (text != NULL, NULL);

  return find_label_full (root, text, FALSE, FALSE);
}

static gboolean
has_target (GtkActionable *actionable,
            const char    *target)
{
  GVariant *value;

  if (target == NULL)
    return TRUE;

  value = gtk_actionable_get_action_target_value (actionable);

  return value != NULL && g_variant_is_of_type (value, G_VARIANT_TYPE_STRING) &&
         g_str_equal (g_variant_get_string (value, NULL), target);
}

static GtkWidget *
find_actionable_full (GtkWidget  *root,
                      GType       type,
                      const char *action_name,
                      const char *target,
                      gboolean    drawable)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (root, type) &&
      g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (root)), action_name) == 0 &&
      has_target (GTK_ACTIONABLE (root), target) &&
      (!drawable || gtk_widget_is_drawable (root)))
    return root;

  for (GtkWidget *child = gtk_widget_get_first_child (root);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_actionable_full (child, type, action_name, target, drawable);

      if (found != NULL)
        return found;
    }

  return NULL;
}

/* The first one shown, or else the first one: a page may hold the same action twice, in
 * views of which one only is shown. */
static GtkWidget *
find_actionable_of_type (GtkWidget  *root,
                         GType       type,
                         const char *action_name,
                         const char *target)
{
  GtkWidget *found = find_actionable_full (root, type, action_name, target, TRUE);

  return found != NULL ? found : find_actionable_full (root, type, action_name, target, FALSE);
}

/**
 * mend_test_gui_find_actionable:
 * @root: where to look, itself included
 * @action_name: such as “done.copy”
 * @target: (nullable): the action's string target, or %NULL for any target
 *
 * Finds a row, switch or button that activates @action_name.
 *
 * Returns: (transfer none) (nullable): the first such #GtkActionable under @root that is
 *   shown, or else the first one
 */
GtkWidget *
mend_test_gui_find_actionable (GtkWidget  *root,
                               const char *action_name,
                               const char *target)
{
  g_return_val_if_fail (GTK_IS_WIDGET (root), NULL);
  g_return_val_if_fail (action_name != NULL, NULL);

  return find_actionable_of_type (root, GTK_TYPE_ACTIONABLE, action_name, target);
}

/**
 * mend_test_gui_find_button:
 * @root: where to look, itself included
 * @action_name: such as “repair.apply”
 * @target: (nullable): the action's string target, or %NULL for any target
 *
 * Returns: (transfer none) (nullable): the first #GtkButton for @action_name under @root
 *   that is shown, or else the first one
 */
GtkWidget *
mend_test_gui_find_button (GtkWidget  *root,
                           const char *action_name,
                           const char *target)
{
  g_return_val_if_fail (GTK_IS_WIDGET (root), NULL);
  g_return_val_if_fail (action_name != NULL, NULL);

  return find_actionable_of_type (root, GTK_TYPE_BUTTON, action_name, target);
}

/* ---------------------------------------------------------------------------------------------
 * What the user sees and does
 * ------------------------------------------------------------------------------------------- */

/**
 * mend_test_gui_is_usable:
 * @widget: (nullable): a widget
 *
 * Returns: whether the user can see and use @widget: drawn and sensitive
 */
gboolean
mend_test_gui_is_usable (GtkWidget *widget)
{
  return widget != NULL && gtk_widget_is_drawable (widget) && gtk_widget_is_sensitive (widget);
}

/**
 * mend_test_gui_click:
 * @button: (nullable): a button, as found by mend_test_gui_find_button()
 *
 * Clicks a button the user can see and use; fails the test if there is none.
 */
void
mend_test_gui_click (GtkWidget *button)
{
  g_assert_nonnull (button);
  g_assert_true (GTK_IS_BUTTON (button));
  if (!mend_test_gui_is_usable (button))
    g_error ("The button for %s cannot be used",
             gtk_actionable_get_action_name (GTK_ACTIONABLE (button)));
  g_signal_emit_by_name (button, "clicked");
}

static void
assert_shown (GtkWidget  *root,
              const char *text,
              gboolean    whole)
{
  g_assert_true (GTK_IS_WIDGET (root));
  g_assert_nonnull (text);

  if (find_label_full (root, text, whole, TRUE) != NULL)
    return;

  if (find_label_full (root, text, whole, FALSE) != NULL)
    g_error ("The label showing “%s” is not drawn", text);
  g_error ("No label shows “%s”", text);
}

/**
 * mend_test_gui_assert_label_shown:
 * @root: where to look
 * @text: the label's whole text
 *
 * Fails the test unless a label under @root that says exactly @text is drawn.
 */
void
mend_test_gui_assert_label_shown (GtkWidget  *root,
                                  const char *text)
{
  assert_shown (root, text, TRUE);
}

/**
 * mend_test_gui_assert_text_shown:
 * @root: where to look
 * @text: a part of a label's text
 *
 * Fails the test unless a label under @root whose text holds @text is drawn.
 */
void
mend_test_gui_assert_text_shown (GtkWidget  *root,
                                 const char *text)
{
  assert_shown (root, text, FALSE);
}

/**
 * mend_test_gui_assert_text_not_shown:
 * @root: where to look
 * @text: a part of a label's text
 *
 * Fails the test if a label under @root whose text holds @text is drawn; hidden ones may.
 */
void
mend_test_gui_assert_text_not_shown (GtkWidget  *root,
                                     const char *text)
{
  g_assert_true (GTK_IS_WIDGET (root));
  g_assert_nonnull (text);

  if (find_label_full (root, text, FALSE, TRUE) != NULL)
    g_error ("A label shows “%s”", text);
}

/* ---------------------------------------------------------------------------------------------
 * Screenshots
 * ------------------------------------------------------------------------------------------- */

/**
 * mend_test_gui_render:
 * @window: a shown window
 *
 * Waits for @window's next frame, then renders it as it looks.
 *
 * Returns: (transfer full): @window's pixels, at its size
 */
GdkTexture *
mend_test_gui_render (GtkWidget *window)
{
  g_autoptr(GdkPaintable) paintable = NULL;
  g_autoptr(GskRenderNode) node = NULL;
  GtkSnapshot *snapshot;
  int width, height;

  g_return_val_if_fail (GTK_IS_WINDOW (window), NULL);

  mend_test_gui_wait_for_frame (window);
  paintable = gtk_widget_paintable_new (window);
  snapshot = gtk_snapshot_new ();
  width = gtk_widget_get_width (window);
  height = gtk_widget_get_height (window);
  gdk_paintable_snapshot (paintable, snapshot, width, height);
  node = gtk_snapshot_free_to_node (snapshot);
  g_assert_nonnull (node);

  return gsk_renderer_render_texture (gtk_native_get_renderer (GTK_NATIVE (window)), node,
                                      &GRAPHENE_RECT_INIT (0, 0, width, height));
}

/**
 * mend_test_gui_save_screenshot:
 * @window: a shown window
 * @name: the PNG's file name, such as “01-plans.png”
 *
 * Saves what @window shows, once it has drawn its current state, into the folder
 * MAILMEND_SCREENSHOT_DIR names (tests/gui/meson.build sets it), making the folder if needed.
 */
void
mend_test_gui_save_screenshot (GtkWidget  *window,
                               const char *name)
{
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree char *path = NULL;
  const char *directory = g_getenv ("MAILMEND_SCREENSHOT_DIR");

  g_return_if_fail (GTK_IS_WINDOW (window));
  g_return_if_fail (name != NULL);

  g_assert_nonnull (directory);
  g_assert_cmpint (g_mkdir_with_parents (directory, 0755), ==, 0);

  texture = mend_test_gui_render (window);
  path = g_build_filename (directory, name, NULL);
  g_assert_true (gdk_texture_save_to_png (texture, path));
  g_test_message ("Saved %s", path);
}

/* ---------------------------------------------------------------------------------------------
 * Sign-ins in the rig's keyring
 * ------------------------------------------------------------------------------------------- */

/**
 * mend_test_gui_token_new:
 * @address: the e-mail address signed in
 * @access_token: a fake access token
 * @refresh_token: a fake refresh token
 *
 * Returns: (transfer full): a sign-in for @address, valid for an hour from now
 */
MendOAuthToken *
mend_test_gui_token_new (const char *address,
                         const char *access_token,
                         const char *refresh_token)
{
  g_autoptr(MendOAuthToken) token = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) expires_at = g_date_time_add_hours (now, 1);

  g_return_val_if_fail (address != NULL, NULL);

  token = mend_oauth_token_new (address);
  mend_oauth_token_set_access_token (token, access_token);
  mend_oauth_token_set_refresh_token (token, refresh_token);
  mend_oauth_token_set_expires_at (token, expires_at);

  return g_steal_pointer (&token);
}

/**
 * mend_test_gui_store_token:
 * @token: a sign-in
 *
 * Keeps @token in the keyring, as `mailmend signin` would have; fails the test if it cannot.
 */
void
mend_test_gui_store_token (MendOAuthToken *token)
{
  g_autoptr(MendTokenStore) store = mend_token_store_new ();
  g_autoptr(GError) error = NULL;

  g_return_if_fail (MEND_IS_OAUTH_TOKEN (token));

  mend_token_store_store_sync (store, token, NULL, &error);
  g_assert_no_error (error);
}

/**
 * mend_test_gui_forget_sign_in:
 * @address: an e-mail address
 *
 * Removes the sign-in for @address from the keyring; none there is no error.
 */
void
mend_test_gui_forget_sign_in (const char *address)
{
  g_autoptr(MendTokenStore) store = mend_token_store_new ();

  g_return_if_fail (address != NULL);

  mend_token_store_delete_sync (store, address, NULL, NULL);
}

/* ---------------------------------------------------------------------------------------------
 * The keyboard, through the X server
 * ------------------------------------------------------------------------------------------- */

/**
 * mend_test_gui_xdotool:
 * @first_arg: xdotool's first argument, then the others, then %NULL
 *
 * Runs xdotool (`$XDOTOOL`, else from PATH), so that key presses go through the X server as a
 * user's would; fails the test when it fails.
 */
void
mend_test_gui_xdotool (const char *first_arg,
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

/* Gives @window the keyboard focus, waiting until the X server has. */
void
mend_test_gui_focus_window (GtkWidget *window)
{
  GdkSurface *surface = gtk_native_get_surface (GTK_NATIVE (window));
  g_autofree char *xid = g_strdup_printf ("%lu", gdk_x11_surface_get_xid (surface));

  mend_test_gui_xdotool ("windowfocus", "--sync", xid, NULL);
}
