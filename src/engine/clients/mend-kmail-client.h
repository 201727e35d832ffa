/* mend-kmail-client.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "mend-client.h"

G_BEGIN_DECLS

#define MEND_TYPE_KMAIL_CLIENT (mend_kmail_client_get_type ())

G_DECLARE_FINAL_TYPE (MendKmailClient, mend_kmail_client, MEND, KMAIL_CLIENT, GObject)

G_END_DECLS
