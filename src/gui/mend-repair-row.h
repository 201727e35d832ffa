/* mend-repair-row.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "mend-finding.h"
#include "mend-repair-plan.h"

G_BEGIN_DECLS

typedef enum
{
  /* The plan is shown: ready to apply, or a finding says why not. */
  MEND_REPAIR_ROW_PLANNED,
  /* Chosen for Apply, after the accounts before it. */
  MEND_REPAIR_ROW_WAITING,
  MEND_REPAIR_ROW_APPLYING,
  MEND_REPAIR_ROW_APPLIED,
  /* Applying or undoing failed: the finding says why. */
  MEND_REPAIR_ROW_FAILED,
  MEND_REPAIR_ROW_UNDOING,
  MEND_REPAIR_ROW_UNDONE,
} MendRepairRowState;

#define MEND_TYPE_REPAIR_ROW (mend_repair_row_get_type ())

G_DECLARE_FINAL_TYPE (MendRepairRow, mend_repair_row, MEND, REPAIR_ROW, GtkWidget)

GtkWidget          *mend_repair_row_new            (const char     *account_id);
const char         *mend_repair_row_get_account_id (MendRepairRow  *self);
MendRepairRowState  mend_repair_row_get_state      (MendRepairRow  *self);
MendRepairPlan     *mend_repair_row_get_plan       (MendRepairRow  *self);
MendFinding        *mend_repair_row_get_finding    (MendRepairRow  *self);
const char         *mend_repair_row_get_change_id  (MendRepairRow  *self);
GAppInfo           *mend_repair_row_get_app_info   (MendRepairRow  *self);
gboolean            mend_repair_row_can_apply      (MendRepairRow  *self);

void                mend_repair_row_set_plan       (MendRepairRow  *self,
                                                    MendRepairPlan *plan,
                                                    const char     *icon_name,
                                                    GAppInfo       *app_info);
void                mend_repair_row_set_missing    (MendRepairRow  *self,
                                                    const char     *address,
                                                    MendFinding    *finding);
void                mend_repair_row_set_waiting    (MendRepairRow  *self);
void                mend_repair_row_set_applying   (MendRepairRow  *self);
void                mend_repair_row_set_applied    (MendRepairRow  *self,
                                                    const char     *change_id);
void                mend_repair_row_set_failed     (MendRepairRow  *self,
                                                    MendFinding    *finding);
void                mend_repair_row_set_undoing    (MendRepairRow  *self);
void                mend_repair_row_set_undone     (MendRepairRow  *self);

G_END_DECLS
