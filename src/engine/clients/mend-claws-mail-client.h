/* mend-claws-mail-client.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "mend-client.h"

G_BEGIN_DECLS

#define MEND_TYPE_CLAWS_MAIL_CLIENT (mend_claws_mail_client_get_type ())

G_DECLARE_FINAL_TYPE (MendClawsMailClient, mend_claws_mail_client, MEND, CLAWS_MAIL_CLIENT, GObject)

G_END_DECLS
