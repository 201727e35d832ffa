/* mend-account-row.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "mend-account-group.h"

G_BEGIN_DECLS

#define MEND_TYPE_ACCOUNT_ROW (mend_account_row_get_type ())

G_DECLARE_FINAL_TYPE (MendAccountRow, mend_account_row, MEND, ACCOUNT_ROW, AdwExpanderRow)

GtkWidget        *mend_account_row_new          (MendAccountGroup *group);
MendAccountGroup *mend_account_row_get_group    (MendAccountRow   *self);
gboolean          mend_account_row_get_selected (MendAccountRow   *self);
void              mend_account_row_set_selected (MendAccountRow   *self,
                                                 gboolean          selected);

G_END_DECLS
