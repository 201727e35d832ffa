/* mend-neomutt-client.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "mend-client.h"

G_BEGIN_DECLS

#define MEND_TYPE_NEOMUTT_CLIENT (mend_neomutt_client_get_type ())

G_DECLARE_FINAL_TYPE (MendNeomuttClient, mend_neomutt_client, MEND, NEOMUTT_CLIENT, GObject)

G_END_DECLS
