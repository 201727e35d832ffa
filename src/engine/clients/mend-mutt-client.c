/* mend-mutt-client.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "mend-mutt-client"

#include "config.h"

#include "mend-mutt-client.h"

struct _MendMuttClient
{
  GObject parent_instance;
};

static void mend_mutt_client_iface_init (MendClientInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (MendMuttClient, mend_mutt_client, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (MEND_TYPE_CLIENT, mend_mutt_client_iface_init))

static const char *
mend_mutt_client_get_id (MendClient *client)
{
  return "mutt";
}

static const char *
mend_mutt_client_get_name (MendClient *client)
{
  return "Mutt";
}

static const char *
mend_mutt_client_get_icon_name (MendClient *client)
{
  return "utilities-terminal";
}

static void
mend_mutt_client_scan (MendClient      *client,
                       MendScanContext *context)
{
  /* TODO: find the accounts. */
}

static void
mend_mutt_client_iface_init (MendClientInterface *iface)
{
  iface->get_id = mend_mutt_client_get_id;
  iface->get_name = mend_mutt_client_get_name;
  iface->get_icon_name = mend_mutt_client_get_icon_name;
  iface->scan = mend_mutt_client_scan;
}

static void
mend_mutt_client_class_init (MendMuttClientClass *klass)
{
}

static void
mend_mutt_client_init (MendMuttClient *self)
{
}
