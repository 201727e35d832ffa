/* mend-report-collector.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "mend-journal.h"
#include "mend-report.h"
#include "mend-scan-context.h"

G_BEGIN_DECLS

#define MEND_TYPE_REPORT_COLLECTOR (mend_report_collector_get_type ())

G_DECLARE_FINAL_TYPE (MendReportCollector, mend_report_collector, MEND, REPORT_COLLECTOR, GObject)

MendReportCollector *mend_report_collector_new                 (MendScanContext      *scan_context,
                                                                MendJournal          *journal);
void                 mend_report_collector_collect_async       (MendReportCollector  *self,
                                                                MendReport           *report,
                                                                GCancellable         *cancellable,
                                                                GAsyncReadyCallback   callback,
                                                                gpointer              user_data);
gboolean             mend_report_collector_collect_finish      (MendReportCollector  *self,
                                                                GAsyncResult         *result,
                                                                GError              **error);
GPtrArray           *mend_report_collector_get_changes         (MendReportCollector  *self);
MendFinding         *mend_report_collector_get_history_finding (MendReportCollector  *self);

G_END_DECLS
