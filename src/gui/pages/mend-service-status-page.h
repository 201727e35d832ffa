/* mend-service-status-page.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "mend-status-report.h"

G_BEGIN_DECLS

#define MEND_TYPE_SERVICE_STATUS_PAGE (mend_service_status_page_get_type ())

G_DECLARE_FINAL_TYPE (MendServiceStatusPage, mend_service_status_page, MEND, SERVICE_STATUS_PAGE, GtkWidget)

void              mend_service_status_page_check       (MendServiceStatusPage *self);
gboolean          mend_service_status_page_is_checking (MendServiceStatusPage *self);
MendStatusReport *mend_service_status_page_get_report  (MendServiceStatusPage *self);

G_END_DECLS
