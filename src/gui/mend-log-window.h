/* mend-log-window.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define MEND_TYPE_LOG_WINDOW (mend_log_window_get_type ())

G_DECLARE_FINAL_TYPE (MendLogWindow, mend_log_window, MEND, LOG_WINDOW, AdwWindow)

MendLogWindow *mend_log_window_present (GtkApplication *application);

G_END_DECLS
