/* mend-status-report.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

#include "mend-finding.h"
#include "mend-service-health.h"

G_BEGIN_DECLS

/* Where people check Microsoft's status themselves; every status finding links to it. */
#define MEND_SERVICE_STATUS_PAGE_URL "https://status.cloud.microsoft"

#define MEND_SERVICE_STATUS_ERROR (mend_service_status_error_quark ())

/* Why the status could not be read. None reaches the user as an error: each becomes the
 * details of a `service-status-unknown` finding. */
typedef enum
{
  MEND_SERVICE_STATUS_ERROR_HTTP,
  MEND_SERVICE_STATUS_ERROR_CONTENT_TYPE,
  MEND_SERVICE_STATUS_ERROR_TOO_LARGE,
  MEND_SERVICE_STATUS_ERROR_FORMAT,
  MEND_SERVICE_STATUS_ERROR_NO_OUTLOOK,
  MEND_SERVICE_STATUS_ERROR_TIMEOUT,
} MendServiceStatusError;

#define MEND_TYPE_STATUS_REPORT (mend_status_report_get_type ())

G_DECLARE_FINAL_TYPE (MendStatusReport, mend_status_report, MEND, STATUS_REPORT, GObject)

GQuark             mend_service_status_error_quark   (void);

MendStatusReport  *mend_status_report_parse          (const char        *data,
                                                      gsize              length,
                                                      GError           **error);
MendStatusReport  *mend_status_report_new_unknown    (const GError      *reason);
MendServiceState   mend_status_report_get_state      (MendStatusReport  *self);
MendServiceHealth *mend_status_report_get_outlook    (MendStatusReport  *self);
GPtrArray         *mend_status_report_get_services   (MendStatusReport  *self);
GPtrArray         *mend_status_report_get_findings   (MendStatusReport  *self);
GDateTime         *mend_status_report_get_checked_at (MendStatusReport  *self);
void               mend_status_report_set_checked_at (MendStatusReport  *self,
                                                      GDateTime         *checked_at);

G_END_DECLS
