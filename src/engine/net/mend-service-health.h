/* mend-service-health.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

typedef enum
{
  MEND_SERVICE_STATE_UNKNOWN,
  MEND_SERVICE_STATE_OK,
  MEND_SERVICE_STATE_DEGRADED,
} MendServiceState;

#define MEND_TYPE_SERVICE_HEALTH (mend_service_health_get_type ())

/**
 * MendServiceHealth:
 * @name: the service's name, such as “Outlook.com”
 * @workload: (nullable): Microsoft's internal name for it
 * @status: (nullable): Microsoft's status word, such as “ServiceDegradation”
 * @state: what @status means
 * @incident: %TRUE when @status names a problem, current or just fixed: @title and
 *   @message then say what it is
 * @title: (nullable): the incident's title, plain text
 * @message: (nullable): the incident's message, reduced from HTML to plain text
 *
 * One service of Microsoft's status page, as plain data.
 */
typedef struct
{
  char             *name;
  char             *workload;
  char             *status;
  MendServiceState  state;
  gboolean          incident;
  char             *title;
  char             *message;
} MendServiceHealth;

GType              mend_service_health_get_type (void) G_GNUC_CONST;
MendServiceHealth *mend_service_health_new      (void);
MendServiceHealth *mend_service_health_copy     (const MendServiceHealth *self);
void               mend_service_health_free     (MendServiceHealth       *self);

const char        *mend_service_state_to_string (MendServiceState         state);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MendServiceHealth, mend_service_health_free)

G_END_DECLS
