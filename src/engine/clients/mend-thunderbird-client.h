/* mend-thunderbird-client.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "mend-client.h"

G_BEGIN_DECLS

#define MEND_TYPE_THUNDERBIRD_CLIENT (mend_thunderbird_client_get_type ())

G_DECLARE_FINAL_TYPE (MendThunderbirdClient, mend_thunderbird_client, MEND, THUNDERBIRD_CLIENT, GObject)

G_END_DECLS
