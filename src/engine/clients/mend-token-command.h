/* mend-token-command.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "mend-account.h"
#include "mend-finding.h"
#include "mend-repair-context.h"
#include "mend-repair-plan.h"

G_BEGIN_DECLS

/* What the mail clients that run `mailmend token ADDRESS` for their password share when they
 * plan a repair: NeoMutt and Mutt, msmtp, mbsync, aerc, himalaya, OfflineIMAP, Sylpheed. */

GPtrArray   *mend_token_command_get_accounts         (MendRepairPlan    *plan);
const char  *mend_token_command_get_login            (MendRepairPlan    *plan,
                                                      MendAccount       *account);
gboolean     mend_token_command_check_signed_in      (MendRepairContext *context,
                                                      MendRepairPlan    *plan,
                                                      const char        *login);
void         mend_token_command_copy_findings        (MendRepairPlan    *plan,
                                                      MendAccount       *account,
                                                      const char        *id);
MendFinding *mend_token_command_finding_manual_edit  (const char        *path,
                                                      const char        *settings);
gboolean     mend_token_command_read                 (MendRepairPlan    *plan,
                                                      const char        *path,
                                                      char             **contents,
                                                      gsize             *length);

G_END_DECLS
