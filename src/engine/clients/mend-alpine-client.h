/* mend-alpine-client.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "mend-client.h"

G_BEGIN_DECLS

#define MEND_TYPE_ALPINE_CLIENT (mend_alpine_client_get_type ())

G_DECLARE_FINAL_TYPE (MendAlpineClient, mend_alpine_client, MEND, ALPINE_CLIENT, GObject)

G_END_DECLS
