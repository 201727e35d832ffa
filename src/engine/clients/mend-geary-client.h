/* mend-geary-client.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "mend-client.h"

G_BEGIN_DECLS

#define MEND_TYPE_GEARY_CLIENT (mend_geary_client_get_type ())

G_DECLARE_FINAL_TYPE (MendGearyClient, mend_geary_client, MEND, GEARY_CLIENT, GObject)

G_END_DECLS
