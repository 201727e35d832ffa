/* mend-thunderbird-client.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "mend-thunderbird-client"

#include "config.h"

#include "mend-thunderbird-client.h"

struct _MendThunderbirdClient
{
  GObject parent_instance;
};

static void mend_thunderbird_client_iface_init (MendClientInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (MendThunderbirdClient, mend_thunderbird_client, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (MEND_TYPE_CLIENT, mend_thunderbird_client_iface_init))

static const char *
mend_thunderbird_client_get_id (MendClient *client)
{
  return "thunderbird";
}

static const char *
mend_thunderbird_client_get_name (MendClient *client)
{
  return "Thunderbird";
}

static const char *
mend_thunderbird_client_get_icon_name (MendClient *client)
{
  return "org.mozilla.Thunderbird";
}

static void
mend_thunderbird_client_scan (MendClient      *client,
                              MendScanContext *context)
{
  /* TODO: find the accounts. */
}

static void
mend_thunderbird_client_iface_init (MendClientInterface *iface)
{
  iface->get_id = mend_thunderbird_client_get_id;
  iface->get_name = mend_thunderbird_client_get_name;
  iface->get_icon_name = mend_thunderbird_client_get_icon_name;
  iface->scan = mend_thunderbird_client_scan;
}

static void
mend_thunderbird_client_class_init (MendThunderbirdClientClass *klass)
{
}

static void
mend_thunderbird_client_init (MendThunderbirdClient *self)
{
}
