/* mend-repair-findings.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "mend-finding.h"

G_BEGIN_DECLS

/* The findings of planning and applying a repair. Ids are stable: `mailmend repair --json`
 * reports them. */
MendFinding *mend_repair_finding_signin_needed          (const char *address);
MendFinding *mend_repair_finding_client_id_missing      (const char *client_name);
MendFinding *mend_repair_finding_work_account_needs_new (const char *address);
MendFinding *mend_repair_finding_config_changed         (const char *path);
MendFinding *mend_repair_finding_write_failed           (const char *path,
                                                         const char *reason);
MendFinding *mend_repair_finding_nothing_to_change      (void);
MendFinding *mend_repair_finding_host_change_needed     (const char *host,
                                                         const char *new_host,
                                                         const char *update_version);

G_END_DECLS
