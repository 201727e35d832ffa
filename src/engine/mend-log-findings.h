/* mend-log-findings.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "mend-finding.h"

G_BEGIN_DECLS

/* What a mail client's log can show. The ids are those of the protocol
 * probes where the meaning is the same. */
typedef enum
{
  MEND_LOG_FINDING_TOKEN_REJECTED,
  MEND_LOG_FINDING_BASIC_AUTH_REJECTED,
  MEND_LOG_FINDING_AUTH_FAILED,
  MEND_LOG_FINDING_CLIENT_SECRET_INVALID,
  MEND_LOG_FINDING_SMTP_AUTH_DISABLED,
  MEND_LOG_FINDING_MAILBOX_NOT_CONNECTED,
  MEND_LOG_FINDING_TOO_MANY_CONNECTIONS,
  MEND_LOG_FINDING_SMTP_NOT_AUTHENTICATED,
  MEND_LOG_FINDING_SEND_AS_DENIED,
  MEND_LOG_FINDING_TLS_FAILURE,
  MEND_LOG_FINDING_NETWORK_UNREACHABLE,
  MEND_LOG_FINDING_EMPTY,
  MEND_LOG_FINDING_NOT_TEXT,
} MendLogFindingKind;

MendFinding *mend_log_finding_new              (MendLogFindingKind  kind);
const char  *mend_log_finding_kind_to_id       (MendLogFindingKind  kind);
MendFinding *mend_log_finding_no_known_problem (const char         *format_name,
                                                guint64             n_lines);
MendFinding *mend_log_finding_truncated        (guint64             n_bytes);

G_END_DECLS
