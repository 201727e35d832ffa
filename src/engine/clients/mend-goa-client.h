/* mend-goa-client.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "mend-client.h"

G_BEGIN_DECLS

#define MEND_TYPE_GOA_CLIENT (mend_goa_client_get_type ())

G_DECLARE_FINAL_TYPE (MendGoaClient, mend_goa_client, MEND, GOA_CLIENT, GObject)

G_END_DECLS
