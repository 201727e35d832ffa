/* mend-fetchmail-client.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "mend-client.h"

G_BEGIN_DECLS

#define MEND_TYPE_FETCHMAIL_CLIENT (mend_fetchmail_client_get_type ())

G_DECLARE_FINAL_TYPE (MendFetchmailClient, mend_fetchmail_client, MEND, FETCHMAIL_CLIENT, GObject)

G_END_DECLS
