/* mend-test-gui.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What the GUI tests share: starting GTK (or skipping without the rig), a window for one
 * page, running the main loop until something happens, finding widgets and labels in a
 * window, asserting what the user sees, screenshots into MAILMEND_SCREENSHOT_DIR, and
 * sign-ins in the rig's keyring.
 */

#pragma once

#include <gtk/gtk.h>

#include "mend-oauth-token.h"

G_BEGIN_DECLS

/* How long anything a test waits for may take before the test fails. */
#define MEND_TEST_GUI_WAIT_S 30

typedef gboolean (*MendTestGuiCondition) (gpointer data);

gboolean        mend_test_gui_in_rig                (void);
gboolean        mend_test_gui_init                  (void);
void            mend_test_gui_use_gnome_look        (void);
void            mend_test_gui_set_dark              (gboolean              dark);
GtkWidget      *mend_test_gui_window_new            (GtkWidget            *page,
                                                     int                   width,
                                                     int                   height);

void            mend_test_gui_wait_for              (MendTestGuiCondition  condition,
                                                     gpointer              data,
                                                     const char           *what);
void            mend_test_gui_wait_for_frame        (GtkWidget            *window);
void            mend_test_gui_run_for               (guint                 milliseconds);
void            mend_test_gui_run_pending           (void);

gboolean        mend_test_gui_flag_is_set           (gpointer              flag);
gboolean        mend_test_gui_pointer_is_set        (gpointer              pointer);
gboolean        mend_test_gui_widget_is_visible     (gpointer              widget);
gboolean        mend_test_gui_widget_is_mapped      (gpointer              widget);
gboolean        mend_test_gui_widget_is_drawable    (gpointer              widget);

GtkWidget      *mend_test_gui_find_descendant       (GtkWidget            *root,
                                                     GType                 type);
GPtrArray      *mend_test_gui_find_all              (GtkWidget            *root,
                                                     GType                 type);
guint           mend_test_gui_count_descendants     (GtkWidget            *root,
                                                     GType                 type);
GtkWidget      *mend_test_gui_find_label            (GtkWidget            *root,
                                                     const char           *text);
GtkWidget      *mend_test_gui_find_label_containing (GtkWidget            *root,
                                                     const char           *text);
GtkWidget      *mend_test_gui_find_actionable       (GtkWidget            *root,
                                                     const char           *action_name,
                                                     const char           *target);
GtkWidget      *mend_test_gui_find_button           (GtkWidget            *root,
                                                     const char           *action_name,
                                                     const char           *target);

gboolean        mend_test_gui_is_usable             (GtkWidget            *widget);
void            mend_test_gui_click                 (GtkWidget            *button);
void            mend_test_gui_assert_label_shown    (GtkWidget            *root,
                                                     const char           *text);
void            mend_test_gui_assert_text_shown     (GtkWidget            *root,
                                                     const char           *text);
void            mend_test_gui_assert_text_not_shown (GtkWidget            *root,
                                                     const char           *text);

GdkTexture     *mend_test_gui_render                (GtkWidget            *window);
void            mend_test_gui_save_screenshot       (GtkWidget            *window,
                                                     const char           *name);

MendOAuthToken *mend_test_gui_token_new             (const char           *address,
                                                     const char           *access_token,
                                                     const char           *refresh_token);
void            mend_test_gui_store_token           (MendOAuthToken       *token);
void            mend_test_gui_forget_sign_in        (const char           *address);

void        mend_test_gui_xdotool       (const char *first_arg,
                                         ...) G_GNUC_NULL_TERMINATED;
void        mend_test_gui_focus_window  (GtkWidget  *window);

G_END_DECLS
