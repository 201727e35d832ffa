/* mend-mutt-client.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "mend-client.h"

G_BEGIN_DECLS

#define MEND_TYPE_MUTT_CLIENT (mend_mutt_client_get_type ())

G_DECLARE_FINAL_TYPE (MendMuttClient, mend_mutt_client, MEND, MUTT_CLIENT, GObject)

G_END_DECLS
