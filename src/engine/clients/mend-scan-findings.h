/* mend-scan-findings.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "mend-account.h"
#include "mend-finding.h"

G_BEGIN_DECLS

MendFinding *mend_scan_finding_config_unreadable   (const char  *path,
                                                    const char  *reason);
MendFinding *mend_scan_finding_basic_auth          (MendAccount *account);
MendFinding *mend_scan_finding_oauth_ready         (MendAccount *account);
MendFinding *mend_scan_finding_pop3_in_use         (MendAccount *account);
MendFinding *mend_scan_finding_insecure_connection (MendAccount *account);
MendFinding *mend_scan_finding_sovereign_cloud     (MendAccount *account);
MendFinding *mend_scan_finding_legacy_host         (MendAccount *account,
                                                    const char  *client_name,
                                                    const char  *needed_version);
MendFinding *mend_scan_finding_client_too_old      (const char  *client_name,
                                                    const char  *version,
                                                    const char  *needed_version);
MendFinding *mend_scan_finding_no_oauth_path       (const char  *explanation,
                                                    const char  *remedy);
MendFinding *mend_scan_finding_client_running      (const char  *client_name);

G_END_DECLS
