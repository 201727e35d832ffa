/* mend-repair-page.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define MEND_TYPE_REPAIR_PAGE (mend_repair_page_get_type ())

G_DECLARE_FINAL_TYPE (MendRepairPage, mend_repair_page, MEND, REPAIR_PAGE, GtkWidget)

G_END_DECLS
