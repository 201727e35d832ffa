/* mend-repair-page.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define MEND_TYPE_REPAIR_PAGE (mend_repair_page_get_type ())

G_DECLARE_FINAL_TYPE (MendRepairPage, mend_repair_page, MEND, REPAIR_PAGE, GtkWidget)

void     mend_repair_page_set_accounts (MendRepairPage *self,
                                        GPtrArray      *groups);
void     mend_repair_page_check_again  (MendRepairPage *self);
void     mend_repair_page_set_extra_folders (MendRepairPage     *self,
                                             const char * const *folders);
gboolean mend_repair_page_is_busy      (MendRepairPage *self);

G_END_DECLS
