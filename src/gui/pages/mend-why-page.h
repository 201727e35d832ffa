/* mend-why-page.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define MEND_TYPE_WHY_PAGE (mend_why_page_get_type ())

G_DECLARE_FINAL_TYPE (MendWhyPage, mend_why_page, MEND, WHY_PAGE, GtkWidget)

G_END_DECLS
