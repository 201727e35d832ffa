/* mend-window.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "mend-application.h"

G_BEGIN_DECLS

#define MEND_TYPE_WINDOW (mend_window_get_type ())

G_DECLARE_FINAL_TYPE (MendWindow, mend_window, MEND, WINDOW, AdwApplicationWindow)

MendWindow *mend_window_new           (MendApplication *application);
guint       mend_window_get_step      (MendWindow      *self);
guint       mend_window_get_n_steps   (MendWindow      *self);
const char *mend_window_get_step_name (MendWindow      *self);

G_END_DECLS
