/* mend-repair-plan.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

#include "mend-account.h"
#include "mend-file-edit.h"
#include "mend-finding.h"

G_BEGIN_DECLS

#define MEND_TYPE_REPAIR_PLAN (mend_repair_plan_get_type ())

G_DECLARE_FINAL_TYPE (MendRepairPlan, mend_repair_plan, MEND, REPAIR_PLAN, GObject)

/* How one account (every server of one address in one client, as MendAccountGroup collects
 * them) is switched to OAuth 2.0: the file edits, whether the client must be closed first,
 * what the user sees afterwards, and the findings that stop it from being applied.
 *
 * A client fills it from its `plan_repair`, reading files through
 * mend_repair_plan_read_file() and writing through mend_repair_plan_write_file(), so
 * two servers in one file (NeoMutt's IMAP and SMTP lines, Thunderbird's prefs.js) end up
 * as one edit. Nothing is written to disk here: MendJournal applies a plan. */
MendRepairPlan *mend_repair_plan_new             (const char      *client_id,
                                                  const char      *client_name,
                                                  GPtrArray       *accounts);
const char     *mend_repair_plan_get_client_id   (MendRepairPlan  *self);
const char     *mend_repair_plan_get_client_name (MendRepairPlan  *self);
/* The servers, in the order given; the first one's id names the plan. */
GPtrArray      *mend_repair_plan_get_accounts    (MendRepairPlan  *self);
const char     *mend_repair_plan_get_account_id  (MendRepairPlan  *self);
const char     *mend_repair_plan_get_address     (MendRepairPlan  *self);

gboolean        mend_repair_plan_read_file       (MendRepairPlan  *self,
                                                  const char      *path,
                                                  char           **contents,
                                                  gsize           *length,
                                                  GError         **error);
void            mend_repair_plan_write_file      (MendRepairPlan  *self,
                                                  const char      *path,
                                                  const char      *contents,
                                                  gssize           length);
/* The edits that change something, in the order the files were first read. */
GPtrArray      *mend_repair_plan_dup_edits       (MendRepairPlan  *self);

void            mend_repair_plan_add_finding     (MendRepairPlan  *self,
                                                  MendFinding     *finding);
GPtrArray      *mend_repair_plan_get_findings    (MendRepairPlan  *self);
void            mend_repair_plan_add_note        (MendRepairPlan  *self,
                                                  const char      *note);
const char * const *mend_repair_plan_get_notes   (MendRepairPlan  *self);
void            mend_repair_plan_set_must_close  (MendRepairPlan  *self,
                                                  gboolean         must_close);
gboolean        mend_repair_plan_get_must_close  (MendRepairPlan  *self);

/* TRUE when there is something to change and no finding stands in the way. */
gboolean        mend_repair_plan_can_apply       (MendRepairPlan  *self);

G_END_DECLS
