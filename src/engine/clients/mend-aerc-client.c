/* mend-aerc-client.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "mend-aerc-client"

#include "config.h"

#include "mend-aerc-client.h"

struct _MendAercClient
{
  GObject parent_instance;
};

static void mend_aerc_client_iface_init (MendClientInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (MendAercClient, mend_aerc_client, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (MEND_TYPE_CLIENT, mend_aerc_client_iface_init))

static const char *
mend_aerc_client_get_id (MendClient *client)
{
  return "aerc";
}

static const char *
mend_aerc_client_get_name (MendClient *client)
{
  return "aerc";
}

static const char *
mend_aerc_client_get_icon_name (MendClient *client)
{
  return "utilities-terminal";
}

static void
mend_aerc_client_scan (MendClient      *client,
                       MendScanContext *context)
{
  /* TODO: find the accounts. */
}

static void
mend_aerc_client_iface_init (MendClientInterface *iface)
{
  iface->get_id = mend_aerc_client_get_id;
  iface->get_name = mend_aerc_client_get_name;
  iface->get_icon_name = mend_aerc_client_get_icon_name;
  iface->scan = mend_aerc_client_scan;
}

static void
mend_aerc_client_class_init (MendAercClientClass *klass)
{
}

static void
mend_aerc_client_init (MendAercClient *self)
{
}
