/* mend-geary-client.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "mend-geary-client"

#include "config.h"

#include "mend-geary-client.h"

struct _MendGearyClient
{
  GObject parent_instance;
};

static void mend_geary_client_iface_init (MendClientInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (MendGearyClient, mend_geary_client, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (MEND_TYPE_CLIENT, mend_geary_client_iface_init))

static const char *
mend_geary_client_get_id (MendClient *client)
{
  return "geary";
}

static const char *
mend_geary_client_get_name (MendClient *client)
{
  return "Geary";
}

static const char *
mend_geary_client_get_icon_name (MendClient *client)
{
  return "org.gnome.Geary";
}

static void
mend_geary_client_scan (MendClient      *client,
                        MendScanContext *context)
{
  /* TODO: find the accounts. */
}

static void
mend_geary_client_iface_init (MendClientInterface *iface)
{
  iface->get_id = mend_geary_client_get_id;
  iface->get_name = mend_geary_client_get_name;
  iface->get_icon_name = mend_geary_client_get_icon_name;
  iface->scan = mend_geary_client_scan;
}

static void
mend_geary_client_class_init (MendGearyClientClass *klass)
{
}

static void
mend_geary_client_init (MendGearyClient *self)
{
}
