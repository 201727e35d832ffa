/* mend-sylpheed-client.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "mend-sylpheed-client"

#include "config.h"

#include "mend-sylpheed-client.h"

struct _MendSylpheedClient
{
  GObject parent_instance;
};

static void mend_sylpheed_client_iface_init (MendClientInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (MendSylpheedClient, mend_sylpheed_client, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (MEND_TYPE_CLIENT, mend_sylpheed_client_iface_init))

static const char *
mend_sylpheed_client_get_id (MendClient *client)
{
  return "sylpheed";
}

static const char *
mend_sylpheed_client_get_name (MendClient *client)
{
  return "Sylpheed";
}

static const char *
mend_sylpheed_client_get_icon_name (MendClient *client)
{
  return "sylpheed";
}

static void
mend_sylpheed_client_scan (MendClient      *client,
                           MendScanContext *context)
{
  /* TODO: find the accounts. */
}

static void
mend_sylpheed_client_iface_init (MendClientInterface *iface)
{
  iface->get_id = mend_sylpheed_client_get_id;
  iface->get_name = mend_sylpheed_client_get_name;
  iface->get_icon_name = mend_sylpheed_client_get_icon_name;
  iface->scan = mend_sylpheed_client_scan;
}

static void
mend_sylpheed_client_class_init (MendSylpheedClientClass *klass)
{
}

static void
mend_sylpheed_client_init (MendSylpheedClient *self)
{
}
