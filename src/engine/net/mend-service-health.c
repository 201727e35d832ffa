/* mend-service-health.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "mend-service-health"

#include "config.h"

#include "mend-service-health.h"

G_DEFINE_BOXED_TYPE (MendServiceHealth, mend_service_health,
                     mend_service_health_copy, mend_service_health_free)

MendServiceHealth *
mend_service_health_new (void)
{
  return g_new0 (MendServiceHealth, 1);
}

MendServiceHealth *
mend_service_health_copy (const MendServiceHealth *self)
{
  MendServiceHealth *copy;

  g_return_val_if_fail (self != NULL, NULL);

  copy = mend_service_health_new ();
  copy->name = g_strdup (self->name);
  copy->workload = g_strdup (self->workload);
  copy->status = g_strdup (self->status);
  copy->state = self->state;
  copy->incident = self->incident;
  copy->title = g_strdup (self->title);
  copy->message = g_strdup (self->message);

  return copy;
}

void
mend_service_health_free (MendServiceHealth *self)
{
  if (self == NULL)
    return;

  g_free (self->name);
  g_free (self->workload);
  g_free (self->status);
  g_free (self->title);
  g_free (self->message);
  g_free (self);
}

/**
 * mend_service_state_to_string:
 *
 * Returns: “ok”, “degraded” or “unknown”, as the JSON output spells them
 */
const char *
mend_service_state_to_string (MendServiceState state)
{
  switch (state)
    {
    case MEND_SERVICE_STATE_OK:
      return "ok";
    case MEND_SERVICE_STATE_DEGRADED:
      return "degraded";
    case MEND_SERVICE_STATE_UNKNOWN:
      return "unknown";
    default:
      g_return_val_if_reached ("unknown");
    }
}
