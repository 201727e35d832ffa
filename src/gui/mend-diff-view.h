/* mend-diff-view.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define MEND_TYPE_DIFF_VIEW (mend_diff_view_get_type ())

G_DECLARE_FINAL_TYPE (MendDiffView, mend_diff_view, MEND, DIFF_VIEW, GtkWidget)

GtkWidget  *mend_diff_view_new      (void);
const char *mend_diff_view_get_text (MendDiffView *self);
void        mend_diff_view_set_text (MendDiffView *self,
                                     const char   *text);

G_END_DECLS
