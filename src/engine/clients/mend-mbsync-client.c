/* mend-mbsync-client.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "mend-mbsync-client"

#include "config.h"

#include "mend-mbsync-client.h"

struct _MendMbsyncClient
{
  GObject parent_instance;
};

static void mend_mbsync_client_iface_init (MendClientInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (MendMbsyncClient, mend_mbsync_client, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (MEND_TYPE_CLIENT, mend_mbsync_client_iface_init))

static const char *
mend_mbsync_client_get_id (MendClient *client)
{
  return "mbsync";
}

static const char *
mend_mbsync_client_get_name (MendClient *client)
{
  return "mbsync";
}

static const char *
mend_mbsync_client_get_icon_name (MendClient *client)
{
  return "utilities-terminal";
}

static void
mend_mbsync_client_scan (MendClient      *client,
                         MendScanContext *context)
{
  /* TODO: find the accounts. */
}

static void
mend_mbsync_client_iface_init (MendClientInterface *iface)
{
  iface->get_id = mend_mbsync_client_get_id;
  iface->get_name = mend_mbsync_client_get_name;
  iface->get_icon_name = mend_mbsync_client_get_icon_name;
  iface->scan = mend_mbsync_client_scan;
}

static void
mend_mbsync_client_class_init (MendMbsyncClientClass *klass)
{
}

static void
mend_mbsync_client_init (MendMbsyncClient *self)
{
}
