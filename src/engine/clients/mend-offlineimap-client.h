/* mend-offlineimap-client.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "mend-client.h"

G_BEGIN_DECLS

#define MEND_TYPE_OFFLINEIMAP_CLIENT (mend_offlineimap_client_get_type ())

G_DECLARE_FINAL_TYPE (MendOfflineimapClient, mend_offlineimap_client, MEND, OFFLINEIMAP_CLIENT, GObject)

G_END_DECLS
