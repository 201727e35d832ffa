/* mend-mail-connection.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "mend-server-address.h"

G_BEGIN_DECLS

/* How long each step (connecting, the TLS handshake, one line of an answer) may take. */
#define MEND_MAIL_CONNECTION_DEFAULT_TIMEOUT_MS (30 * 1000)
/* The longest line a server may send (RFC 5321 allows 512 bytes, RFC 9051 suggests 8000). */
#define MEND_MAIL_CONNECTION_MAX_LINE (16 * 1024)
/* All a server may send on one connection: a probe's answers are a few kilobytes. */
#define MEND_MAIL_CONNECTION_MAX_READ (1024 * 1024)

#define MEND_TYPE_MAIL_CONNECTION (mend_mail_connection_get_type ())

G_DECLARE_FINAL_TYPE (MendMailConnection, mend_mail_connection, MEND, MAIL_CONNECTION, GObject)

MendMailConnection      *mend_mail_connection_new               (const MendServerAddress *server);
const MendServerAddress *mend_mail_connection_get_server        (MendMailConnection *self);
void                     mend_mail_connection_set_tls_database  (MendMailConnection *self,
                                                                 GTlsDatabase       *database);
guint                    mend_mail_connection_get_timeout       (MendMailConnection *self);
void                     mend_mail_connection_set_timeout       (MendMailConnection *self,
                                                                 guint               timeout_ms);
gboolean                 mend_mail_connection_is_encrypted      (MendMailConnection *self);

void                     mend_mail_connection_connect_async     (MendMailConnection   *self,
                                                                 GCancellable         *cancellable,
                                                                 GAsyncReadyCallback   callback,
                                                                 gpointer              user_data);
gboolean                 mend_mail_connection_connect_finish    (MendMailConnection   *self,
                                                                 GAsyncResult         *result,
                                                                 GError              **error);
void                     mend_mail_connection_start_tls_async   (MendMailConnection   *self,
                                                                 GCancellable         *cancellable,
                                                                 GAsyncReadyCallback   callback,
                                                                 gpointer              user_data);
gboolean                 mend_mail_connection_start_tls_finish  (MendMailConnection   *self,
                                                                 GAsyncResult         *result,
                                                                 GError              **error);
void                     mend_mail_connection_read_line_async   (MendMailConnection   *self,
                                                                 GCancellable         *cancellable,
                                                                 GAsyncReadyCallback   callback,
                                                                 gpointer              user_data);
char                    *mend_mail_connection_read_line_finish  (MendMailConnection   *self,
                                                                 GAsyncResult         *result,
                                                                 GError              **error);
void                     mend_mail_connection_write_line_async  (MendMailConnection   *self,
                                                                 const char           *line,
                                                                 GCancellable         *cancellable,
                                                                 GAsyncReadyCallback   callback,
                                                                 gpointer              user_data);
gboolean                 mend_mail_connection_write_line_finish (MendMailConnection   *self,
                                                                 GAsyncResult         *result,
                                                                 GError              **error);
void                     mend_mail_connection_close_async       (MendMailConnection   *self,
                                                                 GAsyncReadyCallback   callback,
                                                                 gpointer              user_data);
void                     mend_mail_connection_close_finish      (MendMailConnection   *self,
                                                                 GAsyncResult         *result);

G_END_DECLS
