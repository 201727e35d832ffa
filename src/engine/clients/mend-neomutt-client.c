/* mend-neomutt-client.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "mend-neomutt-client"

#include "config.h"

#include "mend-neomutt-client.h"

struct _MendNeomuttClient
{
  GObject parent_instance;
};

static void mend_neomutt_client_iface_init (MendClientInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (MendNeomuttClient, mend_neomutt_client, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (MEND_TYPE_CLIENT, mend_neomutt_client_iface_init))

static const char *
mend_neomutt_client_get_id (MendClient *client)
{
  return "neomutt";
}

static const char *
mend_neomutt_client_get_name (MendClient *client)
{
  return "NeoMutt";
}

static const char *
mend_neomutt_client_get_icon_name (MendClient *client)
{
  return "utilities-terminal";
}

static void
mend_neomutt_client_scan (MendClient      *client,
                          MendScanContext *context)
{
  /* TODO: find the accounts. */
}

static void
mend_neomutt_client_iface_init (MendClientInterface *iface)
{
  iface->get_id = mend_neomutt_client_get_id;
  iface->get_name = mend_neomutt_client_get_name;
  iface->get_icon_name = mend_neomutt_client_get_icon_name;
  iface->scan = mend_neomutt_client_scan;
}

static void
mend_neomutt_client_class_init (MendNeomuttClientClass *klass)
{
}

static void
mend_neomutt_client_init (MendNeomuttClient *self)
{
}
