/* mend-server-address.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

#include "mend-account.h"

G_BEGIN_DECLS

#define MEND_TYPE_SERVER_ADDRESS (mend_server_address_get_type ())

typedef struct _MendServerAddress MendServerAddress;

GType              mend_server_address_get_type         (void) G_GNUC_CONST;

MendServerAddress *mend_server_address_new              (MendProtocol              protocol,
                                                         const char               *host,
                                                         guint16                   port,
                                                         MendSecurity              security);
MendServerAddress *mend_server_address_new_default      (MendProtocol              protocol);
MendServerAddress *mend_server_address_parse            (const char               *text,
                                                         MendProtocol              protocol,
                                                         GError                  **error);
MendServerAddress *mend_server_address_copy             (const MendServerAddress  *self);
void               mend_server_address_free             (MendServerAddress        *self);

MendProtocol       mend_server_address_get_protocol     (const MendServerAddress  *self);
const char        *mend_server_address_get_host         (const MendServerAddress  *self);
guint16            mend_server_address_get_port         (const MendServerAddress  *self);
MendSecurity       mend_server_address_get_security     (const MendServerAddress  *self);
char              *mend_server_address_to_string        (const MendServerAddress  *self);
char              *mend_server_address_to_host_and_port (const MendServerAddress  *self);

guint16            mend_server_address_default_port     (MendProtocol              protocol,
                                                         MendSecurity              security);
const char        *mend_protocol_get_display_name       (MendProtocol              protocol);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MendServerAddress, mend_server_address_free)

G_END_DECLS
