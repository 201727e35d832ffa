/* mend-msmtp-client.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "mend-msmtp-client"

#include "config.h"

#include "mend-msmtp-client.h"

struct _MendMsmtpClient
{
  GObject parent_instance;
};

static void mend_msmtp_client_iface_init (MendClientInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (MendMsmtpClient, mend_msmtp_client, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (MEND_TYPE_CLIENT, mend_msmtp_client_iface_init))

static const char *
mend_msmtp_client_get_id (MendClient *client)
{
  return "msmtp";
}

static const char *
mend_msmtp_client_get_name (MendClient *client)
{
  return "msmtp";
}

static const char *
mend_msmtp_client_get_icon_name (MendClient *client)
{
  return "utilities-terminal";
}

static void
mend_msmtp_client_scan (MendClient      *client,
                        MendScanContext *context)
{
  /* TODO: find the accounts. */
}

static void
mend_msmtp_client_iface_init (MendClientInterface *iface)
{
  iface->get_id = mend_msmtp_client_get_id;
  iface->get_name = mend_msmtp_client_get_name;
  iface->get_icon_name = mend_msmtp_client_get_icon_name;
  iface->scan = mend_msmtp_client_scan;
}

static void
mend_msmtp_client_class_init (MendMsmtpClientClass *klass)
{
}

static void
mend_msmtp_client_init (MendMsmtpClient *self)
{
}
