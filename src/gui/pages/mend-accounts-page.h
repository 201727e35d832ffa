/* mend-accounts-page.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define MEND_TYPE_ACCOUNTS_PAGE (mend_accounts_page_get_type ())

G_DECLARE_FINAL_TYPE (MendAccountsPage, mend_accounts_page, MEND, ACCOUNTS_PAGE, GtkWidget)

G_END_DECLS
