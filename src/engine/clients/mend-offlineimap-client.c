/* mend-offlineimap-client.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "mend-offlineimap-client"

#include "config.h"

#include "mend-offlineimap-client.h"

struct _MendOfflineimapClient
{
  GObject parent_instance;
};

static void mend_offlineimap_client_iface_init (MendClientInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (MendOfflineimapClient, mend_offlineimap_client, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (MEND_TYPE_CLIENT, mend_offlineimap_client_iface_init))

static const char *
mend_offlineimap_client_get_id (MendClient *client)
{
  return "offlineimap";
}

static const char *
mend_offlineimap_client_get_name (MendClient *client)
{
  return "OfflineIMAP";
}

static const char *
mend_offlineimap_client_get_icon_name (MendClient *client)
{
  return "utilities-terminal";
}

static void
mend_offlineimap_client_scan (MendClient      *client,
                              MendScanContext *context)
{
  /* TODO: find the accounts. */
}

static void
mend_offlineimap_client_iface_init (MendClientInterface *iface)
{
  iface->get_id = mend_offlineimap_client_get_id;
  iface->get_name = mend_offlineimap_client_get_name;
  iface->get_icon_name = mend_offlineimap_client_get_icon_name;
  iface->scan = mend_offlineimap_client_scan;
}

static void
mend_offlineimap_client_class_init (MendOfflineimapClientClass *klass)
{
}

static void
mend_offlineimap_client_init (MendOfflineimapClient *self)
{
}
