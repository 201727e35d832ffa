/* mend-repairer.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

#include "mend-repair-context.h"
#include "mend-repair-plan.h"
#include "mend-scanner.h"

G_BEGIN_DECLS

#define MEND_REPAIRER_ERROR (mend_repairer_error_quark ())

typedef enum
{
  /* No account of the scan has this id. */
  MEND_REPAIRER_ERROR_UNKNOWN_ACCOUNT,
} MendRepairerError;

#define MEND_TYPE_REPAIRER (mend_repairer_get_type ())

G_DECLARE_FINAL_TYPE (MendRepairer, mend_repairer, MEND, REPAIRER, GObject)

GQuark          mend_repairer_error_quark    (void);

/* Plans repairs for the accounts of a scan already made with @context's scan context. */
MendRepairer   *mend_repairer_new            (MendScanner        *scanner,
                                              MendRepairContext  *context);
MendRepairPlan *mend_repairer_plan           (MendRepairer       *self,
                                              const char         *account_id,
                                              GError            **error);
GPtrArray      *mend_repairer_plan_all       (MendRepairer       *self);
gboolean        mend_repairer_plan_is_skipped (MendRepairPlan    *plan);

G_END_DECLS
