/* mend-accounts-page.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define MEND_TYPE_ACCOUNTS_PAGE (mend_accounts_page_get_type ())

G_DECLARE_FINAL_TYPE (MendAccountsPage, mend_accounts_page, MEND, ACCOUNTS_PAGE, GtkWidget)

void       mend_accounts_page_scan         (MendAccountsPage *self);
gboolean   mend_accounts_page_is_scanning  (MendAccountsPage *self);
GPtrArray *mend_accounts_page_get_selected (MendAccountsPage *self);
GStrv      mend_accounts_page_dup_extra_folders (MendAccountsPage *self);

G_END_DECLS
