/* mend-preferences-window.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define MEND_TYPE_PREFERENCES_WINDOW (mend_preferences_window_get_type ())

G_DECLARE_FINAL_TYPE (MendPreferencesWindow, mend_preferences_window, MEND, PREFERENCES_WINDOW,
                      AdwPreferencesWindow)

MendPreferencesWindow *mend_preferences_window_present (GtkApplication *application);

G_END_DECLS
