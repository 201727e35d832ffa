/* mend-sylpheed-client.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "mend-client.h"

G_BEGIN_DECLS

#define MEND_TYPE_SYLPHEED_CLIENT (mend_sylpheed_client_get_type ())

G_DECLARE_FINAL_TYPE (MendSylpheedClient, mend_sylpheed_client, MEND, SYLPHEED_CLIENT, GObject)

G_END_DECLS
