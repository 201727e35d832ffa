/* mend-report.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

#include "mend-account.h"
#include "mend-finding.h"
#include "mend-scanner.h"
#include "oauth/mend-oauth-token.h"

G_BEGIN_DECLS

typedef enum
{
  MEND_REPORT_FORMAT_TEXT,
  MEND_REPORT_FORMAT_MARKDOWN,
  MEND_REPORT_FORMAT_JSON,
} MendReportFormat;

#define MEND_TYPE_REPORT (mend_report_get_type ())

G_DECLARE_FINAL_TYPE (MendReport, mend_report, MEND, REPORT, GObject)

MendReport *mend_report_new                 (void);
gboolean    mend_report_get_mask_addresses  (MendReport          *self);
void        mend_report_set_mask_addresses  (MendReport          *self,
                                             gboolean             mask_addresses);
void        mend_report_set_os_name         (MendReport          *self,
                                             const char          *os_name);
void        mend_report_set_generated_at    (MendReport          *self,
                                             GDateTime           *generated_at);
void        mend_report_add_status_findings (MendReport          *self,
                                             GPtrArray           *findings);
void        mend_report_add_account         (MendReport          *self,
                                             MendAccount         *account,
                                             const char          *client_name);
void        mend_report_add_scan            (MendReport          *self,
                                             MendScanner         *scanner,
                                             MendScanContext     *context);
void        mend_report_add_sign_in         (MendReport          *self,
                                             MendOAuthToken      *token);
void        mend_report_add_damaged_sign_in (MendReport          *self,
                                             const char          *address);
void        mend_report_add_finding         (MendReport          *self,
                                             MendFinding         *finding);
void        mend_report_add_change          (MendReport          *self,
                                             GDateTime           *time,
                                             const char          *change_id,
                                             const char          *account_id,
                                             const char * const  *files,
                                             gboolean             undone);
char       *mend_report_render              (MendReport          *self,
                                             MendReportFormat     format);

gboolean    mend_report_format_from_string  (const char          *name,
                                             MendReportFormat    *format);
char       *mend_report_read_os_name        (const char          *os_release_path);

G_END_DECLS
