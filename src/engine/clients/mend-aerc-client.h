/* mend-aerc-client.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "mend-client.h"

G_BEGIN_DECLS

#define MEND_TYPE_AERC_CLIENT (mend_aerc_client_get_type ())

G_DECLARE_FINAL_TYPE (MendAercClient, mend_aerc_client, MEND, AERC_CLIENT, GObject)

G_END_DECLS
