/* mend-kmail-client.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "mend-kmail-client"

#include "config.h"

#include "mend-kmail-client.h"

struct _MendKmailClient
{
  GObject parent_instance;
};

static void mend_kmail_client_iface_init (MendClientInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (MendKmailClient, mend_kmail_client, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (MEND_TYPE_CLIENT, mend_kmail_client_iface_init))

static const char *
mend_kmail_client_get_id (MendClient *client)
{
  return "kmail";
}

static const char *
mend_kmail_client_get_name (MendClient *client)
{
  return "KMail";
}

static const char *
mend_kmail_client_get_icon_name (MendClient *client)
{
  return "org.kde.kmail2";
}

static void
mend_kmail_client_scan (MendClient      *client,
                        MendScanContext *context)
{
  /* TODO: find the accounts. */
}

static void
mend_kmail_client_iface_init (MendClientInterface *iface)
{
  iface->get_id = mend_kmail_client_get_id;
  iface->get_name = mend_kmail_client_get_name;
  iface->get_icon_name = mend_kmail_client_get_icon_name;
  iface->scan = mend_kmail_client_scan;
}

static void
mend_kmail_client_class_init (MendKmailClientClass *klass)
{
}

static void
mend_kmail_client_init (MendKmailClient *self)
{
}
