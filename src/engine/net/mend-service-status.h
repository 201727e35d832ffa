/* mend-service-status.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "mend-status-report.h"

G_BEGIN_DECLS

/* Microsoft's consumer status feed (undocumented: reference/microsoft.md §5). */
#define MEND_SERVICE_STATUS_URL "https://status.cloud.microsoft/api/posts/m365Consumer"

/* Microsoft refreshes the feed about every 10 minutes: asking more often gains nothing. */
#define MEND_SERVICE_STATUS_MAX_AGE_S 600
#define MEND_SERVICE_STATUS_TIMEOUT_S 10

#define MEND_TYPE_SERVICE_STATUS (mend_service_status_get_type ())

G_DECLARE_FINAL_TYPE (MendServiceStatus, mend_service_status, MEND, SERVICE_STATUS, GObject)

MendServiceStatus *mend_service_status_new          (void);
MendServiceStatus *mend_service_status_new_for_url  (const char           *url);
const char        *mend_service_status_get_url      (MendServiceStatus    *self);
void               mend_service_status_check_async  (MendServiceStatus    *self,
                                                     GCancellable         *cancellable,
                                                     GAsyncReadyCallback   callback,
                                                     gpointer              user_data);
MendStatusReport  *mend_service_status_check_finish (MendServiceStatus    *self,
                                                     GAsyncResult         *result,
                                                     GError              **error);

G_END_DECLS
