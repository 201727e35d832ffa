/* mend-goa-client.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "mend-goa-client"

#include "config.h"

#include "mend-goa-client.h"

struct _MendGoaClient
{
  GObject parent_instance;
};

static void mend_goa_client_iface_init (MendClientInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (MendGoaClient, mend_goa_client, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (MEND_TYPE_CLIENT, mend_goa_client_iface_init))

static const char *
mend_goa_client_get_id (MendClient *client)
{
  return "goa";
}

static const char *
mend_goa_client_get_name (MendClient *client)
{
  return "GNOME Online Accounts";
}

static const char *
mend_goa_client_get_icon_name (MendClient *client)
{
  return "goa-panel";
}

static void
mend_goa_client_scan (MendClient      *client,
                      MendScanContext *context)
{
  /* TODO: find the accounts. */
}

static void
mend_goa_client_iface_init (MendClientInterface *iface)
{
  iface->get_id = mend_goa_client_get_id;
  iface->get_name = mend_goa_client_get_name;
  iface->get_icon_name = mend_goa_client_get_icon_name;
  iface->scan = mend_goa_client_scan;
}

static void
mend_goa_client_class_init (MendGoaClientClass *klass)
{
}

static void
mend_goa_client_init (MendGoaClient *self)
{
}
