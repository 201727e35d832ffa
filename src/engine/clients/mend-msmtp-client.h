/* mend-msmtp-client.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "mend-client.h"

G_BEGIN_DECLS

#define MEND_TYPE_MSMTP_CLIENT (mend_msmtp_client_get_type ())

G_DECLARE_FINAL_TYPE (MendMsmtpClient, mend_msmtp_client, MEND, MSMTP_CLIENT, GObject)

G_END_DECLS
