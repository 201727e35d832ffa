/* mend-client.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "mend-client"

#include "config.h"

#include "mend-client.h"

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
