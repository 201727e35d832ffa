/* mend-done-page.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define MEND_TYPE_DONE_PAGE (mend_done_page_get_type ())

G_DECLARE_FINAL_TYPE (MendDonePage, mend_done_page, MEND, DONE_PAGE, GtkWidget)

void     mend_done_page_set_extra_folders  (MendDonePage       *self,
                                            const char * const *folders);
gboolean mend_done_page_get_hide_addresses (MendDonePage *self);
void     mend_done_page_set_hide_addresses (MendDonePage *self,
                                            gboolean      hide_addresses);

G_END_DECLS
