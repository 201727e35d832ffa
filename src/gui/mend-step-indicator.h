/* mend-step-indicator.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define MEND_TYPE_STEP_INDICATOR (mend_step_indicator_get_type ())

G_DECLARE_FINAL_TYPE (MendStepIndicator, mend_step_indicator, MEND, STEP_INDICATOR, GtkWidget)

void mend_step_indicator_set_steps   (MendStepIndicator  *self,
                                      const char * const *titles);
void mend_step_indicator_set_current (MendStepIndicator  *self,
                                      guint               current);

G_END_DECLS
