/* mend-evolution-client.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "mend-client.h"

G_BEGIN_DECLS

#define MEND_TYPE_EVOLUTION_CLIENT (mend_evolution_client_get_type ())

G_DECLARE_FINAL_TYPE (MendEvolutionClient, mend_evolution_client, MEND, EVOLUTION_CLIENT, GObject)

G_END_DECLS
