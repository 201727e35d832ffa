/* mend-after-frame.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

typedef void (*MendAfterFrameFunc) (GtkWidget *widget);

void mend_call_after_next_frame (GtkWidget          *widget,
                                 MendAfterFrameFunc  func);

G_END_DECLS
