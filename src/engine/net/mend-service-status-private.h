/* mend-service-status-private.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "mend-service-status.h"

G_BEGIN_DECLS

/* For tests: shorter limits than Microsoft's feed needs. */
void _mend_service_status_set_timeout (MendServiceStatus *self,
                                       guint              timeout_ms);
void _mend_service_status_set_max_age (MendServiceStatus *self,
                                       guint              max_age_s);

G_END_DECLS
