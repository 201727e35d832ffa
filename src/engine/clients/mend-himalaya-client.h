/* mend-himalaya-client.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "mend-client.h"

G_BEGIN_DECLS

#define MEND_TYPE_HIMALAYA_CLIENT (mend_himalaya_client_get_type ())

G_DECLARE_FINAL_TYPE (MendHimalayaClient, mend_himalaya_client, MEND, HIMALAYA_CLIENT, GObject)

G_END_DECLS
