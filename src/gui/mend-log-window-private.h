/* mend-log-window-private.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * For tests/gui/test-log-window.c: the native file chooser cannot be driven under Xvfb.
 */

#pragma once

#include "mend-log-window.h"

G_BEGIN_DECLS

void        _mend_log_window_open_file   (MendLogWindow *self,
                                          GFile         *file);
gboolean    _mend_log_window_is_busy     (MendLogWindow *self);
GtkWidget  *_mend_log_window_get_results (MendLogWindow *self);

G_END_DECLS
