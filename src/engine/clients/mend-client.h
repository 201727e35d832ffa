/* mend-client.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

#include "mend-repair-context.h"
#include "mend-repair-plan.h"
#include "mend-scan-context.h"

G_BEGIN_DECLS

#define MEND_TYPE_CLIENT (mend_client_get_type ())

G_DECLARE_INTERFACE (MendClient, mend_client, MEND, CLIENT, GObject)

struct _MendClientInterface
{
  GTypeInterface parent_iface;

  /* The id in `mailmend scan --json`, such as “thunderbird”. */
  const char *(*get_id)        (MendClient      *self);
  /* The name people know, such as “Thunderbird”; not translated. */
  const char *(*get_name)      (MendClient      *self);
  /* The client's icon, by its app id, such as “org.mozilla.Thunderbird”. */
  const char *(*get_icon_name) (MendClient      *self);
  /* Adds every account this client has to @context, with the findings
   * only this client knows about (its version, its legacy hosts, whether
   * it runs). Reads files through @context only, and never writes. */
  void        (*scan)          (MendClient      *self,
                                MendScanContext *context);
  /* Fills @plan, which holds every server of one account of this client, with the edits
   * that switch it to OAuth 2.0, or with the findings saying why it cannot be. Reads and
   * "writes" files through @plan only: nothing touches the disk. Clients without an OAuth
   * path leave it unset: the plan then gets `no-oauth-path`. */
  void        (*plan_repair)   (MendClient        *self,
                                MendRepairContext *context,
                                MendRepairPlan    *plan);
};

const char *mend_client_get_id        (MendClient      *self);
const char *mend_client_get_name      (MendClient      *self);
const char *mend_client_get_icon_name (MendClient      *self);
void        mend_client_scan          (MendClient        *self,
                                       MendScanContext   *context);
void        mend_client_plan_repair   (MendClient        *self,
                                       MendRepairContext *context,
                                       MendRepairPlan    *plan);

G_END_DECLS
