/* mend-claws-mail-client.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "mend-claws-mail-client"

#include "config.h"

#include "mend-claws-mail-client.h"

struct _MendClawsMailClient
{
  GObject parent_instance;
};

static void mend_claws_mail_client_iface_init (MendClientInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (MendClawsMailClient, mend_claws_mail_client, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (MEND_TYPE_CLIENT, mend_claws_mail_client_iface_init))

static const char *
mend_claws_mail_client_get_id (MendClient *client)
{
  return "claws-mail";
}

static const char *
mend_claws_mail_client_get_name (MendClient *client)
{
  return "Claws Mail";
}

static const char *
mend_claws_mail_client_get_icon_name (MendClient *client)
{
  return "claws-mail";
}

static void
mend_claws_mail_client_scan (MendClient      *client,
                             MendScanContext *context)
{
  /* TODO: find the accounts. */
}

static void
mend_claws_mail_client_iface_init (MendClientInterface *iface)
{
  iface->get_id = mend_claws_mail_client_get_id;
  iface->get_name = mend_claws_mail_client_get_name;
  iface->get_icon_name = mend_claws_mail_client_get_icon_name;
  iface->scan = mend_claws_mail_client_scan;
}

static void
mend_claws_mail_client_class_init (MendClawsMailClientClass *klass)
{
}

static void
mend_claws_mail_client_init (MendClawsMailClient *self)
{
}
