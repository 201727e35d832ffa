/* mend-verify-page.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "mend-account-group.h"

G_BEGIN_DECLS

#define MEND_TYPE_VERIFY_PAGE (mend_verify_page_get_type ())

G_DECLARE_FINAL_TYPE (MendVerifyPage, mend_verify_page, MEND, VERIFY_PAGE, GtkWidget)

void mend_verify_page_set_accounts (MendVerifyPage *self,
                                    GPtrArray      *groups);

G_END_DECLS
