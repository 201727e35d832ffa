/* mend-mbsync-client.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "mend-client.h"

G_BEGIN_DECLS

#define MEND_TYPE_MBSYNC_CLIENT (mend_mbsync_client_get_type ())

G_DECLARE_FINAL_TYPE (MendMbsyncClient, mend_mbsync_client, MEND, MBSYNC_CLIENT, GObject)

G_END_DECLS
