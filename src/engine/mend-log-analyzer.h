/* mend-log-analyzer.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "mend-finding.h"

G_BEGIN_DECLS

/* Longer lines are cut to this many bytes (what follows is skipped). */
#define MEND_LOG_ANALYZER_MAX_LINE 8192

/* Only this much of a log is read; a larger one gets `log-truncated`. */
#define MEND_LOG_ANALYZER_MAX_BYTES ((guint64) 512 * 1024 * 1024)

typedef enum
{
  MEND_LOG_FORMAT_UNKNOWN,
  MEND_LOG_FORMAT_MAILBIRD,
  MEND_LOG_FORMAT_THUNDERBIRD,
  MEND_LOG_FORMAT_EVOLUTION,
  MEND_LOG_FORMAT_MSMTP,
  MEND_LOG_FORMAT_MBSYNC,
  MEND_LOG_FORMAT_NEOMUTT,
  MEND_LOG_FORMAT_KMAIL,
} MendLogFormat;

#define MEND_TYPE_LOG_ANALYZER (mend_log_analyzer_get_type ())

G_DECLARE_FINAL_TYPE (MendLogAnalyzer, mend_log_analyzer, MEND, LOG_ANALYZER, GObject)

MendLogAnalyzer *mend_log_analyzer_new                 (void);
void             mend_log_analyzer_feed                (MendLogAnalyzer      *self,
                                                        const char           *data,
                                                        gsize                 length);
void             mend_log_analyzer_finish              (MendLogAnalyzer      *self);
gboolean         mend_log_analyzer_analyze_stream      (MendLogAnalyzer      *self,
                                                        GInputStream         *stream,
                                                        GCancellable         *cancellable,
                                                        GError              **error);
void             mend_log_analyzer_analyze_stream_async (MendLogAnalyzer     *self,
                                                        GInputStream         *stream,
                                                        GCancellable         *cancellable,
                                                        GAsyncReadyCallback   callback,
                                                        gpointer              user_data);
gboolean         mend_log_analyzer_analyze_stream_finish (MendLogAnalyzer    *self,
                                                        GAsyncResult         *result,
                                                        GError              **error);
GPtrArray       *mend_log_analyzer_get_findings        (MendLogAnalyzer      *self);
guint64          mend_log_analyzer_get_finding_line    (MendLogAnalyzer      *self,
                                                        MendFinding          *finding);
guint64          mend_log_analyzer_get_finding_count   (MendLogAnalyzer      *self,
                                                        MendFinding          *finding);
MendLogFormat    mend_log_analyzer_get_format          (MendLogAnalyzer      *self);
guint64          mend_log_analyzer_get_n_lines         (MendLogAnalyzer      *self);
gboolean         mend_log_analyzer_found_problem       (MendLogAnalyzer      *self);

const char      *mend_log_format_to_string             (MendLogFormat         format);
const char      *mend_log_format_get_name              (MendLogFormat         format);

G_END_DECLS
