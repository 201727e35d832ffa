/* mend-client.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "mend-client"

#include "config.h"

#include <glib/gi18n.h>

#include "mend-client.h"
#include "mend-scan-findings.h"

G_DEFINE_INTERFACE (MendClient, mend_client, G_TYPE_OBJECT)

static void
mend_client_default_init (MendClientInterface *iface)
{
}

const char *
mend_client_get_id (MendClient *self)
{
  g_return_val_if_fail (MEND_IS_CLIENT (self), NULL);

  return MEND_CLIENT_GET_IFACE (self)->get_id (self);
}

const char *
mend_client_get_name (MendClient *self)
{
  g_return_val_if_fail (MEND_IS_CLIENT (self), NULL);

  return MEND_CLIENT_GET_IFACE (self)->get_name (self);
}

const char *
mend_client_get_icon_name (MendClient *self)
{
  g_return_val_if_fail (MEND_IS_CLIENT (self), NULL);

  return MEND_CLIENT_GET_IFACE (self)->get_icon_name (self);
}

void
mend_client_scan (MendClient      *self,
                  MendScanContext *context)
{
  g_return_if_fail (MEND_IS_CLIENT (self));
  g_return_if_fail (MEND_IS_SCAN_CONTEXT (context));

  MEND_CLIENT_GET_IFACE (self)->scan (self, context);
}

void
mend_client_plan_repair (MendClient        *self,
                         MendRepairContext *context,
                         MendRepairPlan    *plan)
{
  MendClientInterface *iface;

  g_return_if_fail (MEND_IS_CLIENT (self));
  g_return_if_fail (MEND_IS_REPAIR_CONTEXT (context));
  g_return_if_fail (MEND_IS_REPAIR_PLAN (plan));

  iface = MEND_CLIENT_GET_IFACE (self);
  if (iface->plan_repair == NULL)
    {
      g_autoptr(MendFinding) finding = NULL;
      g_autofree char *explanation = NULL;

      /* Translators: %s is a mail app. */
      explanation = g_strdup_printf (_("%s has no setting Mailmend can switch to OAuth 2.0."),
                                     mend_client_get_name (self));
      finding = mend_scan_finding_no_oauth_path (explanation,
                                                 _("Use a mail app that signs in to Microsoft "
                                                   "with OAuth 2.0, such as Thunderbird or "
                                                   "Evolution."));
      mend_repair_plan_add_finding (plan, finding);
      return;
    }

  iface->plan_repair (self, context, plan);
}
