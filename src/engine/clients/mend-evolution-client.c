/* mend-evolution-client.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "mend-evolution-client"

#include "config.h"

#include "mend-evolution-client.h"

struct _MendEvolutionClient
{
  GObject parent_instance;
};

static void mend_evolution_client_iface_init (MendClientInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (MendEvolutionClient, mend_evolution_client, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (MEND_TYPE_CLIENT, mend_evolution_client_iface_init))

static const char *
mend_evolution_client_get_id (MendClient *client)
{
  return "evolution";
}

static const char *
mend_evolution_client_get_name (MendClient *client)
{
  return "Evolution";
}

static const char *
mend_evolution_client_get_icon_name (MendClient *client)
{
  return "org.gnome.Evolution";
}

static void
mend_evolution_client_scan (MendClient      *client,
                            MendScanContext *context)
{
  /* TODO: find the accounts. */
}

static void
mend_evolution_client_iface_init (MendClientInterface *iface)
{
  iface->get_id = mend_evolution_client_get_id;
  iface->get_name = mend_evolution_client_get_name;
  iface->get_icon_name = mend_evolution_client_get_icon_name;
  iface->scan = mend_evolution_client_scan;
}

static void
mend_evolution_client_class_init (MendEvolutionClientClass *klass)
{
}

static void
mend_evolution_client_init (MendEvolutionClient *self)
{
}
