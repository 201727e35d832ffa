/* mend-probe.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "mend-mail-reply.h"
#include "mend-oauth-token.h"
#include "mend-probe-result.h"
#include "mend-server-address.h"

G_BEGIN_DECLS

#define MEND_TYPE_PROBE (mend_probe_get_type ())

G_DECLARE_DERIVABLE_TYPE (MendProbe, mend_probe, MEND, PROBE, GObject)

/**
 * MendProbeClass:
 * @protocol: the protocol the subclass speaks
 * @handle_reply: a complete reply came. Answer with one of the helpers of
 *   mend-probe-private.h (send, send the sign-in, start TLS, succeed, fail); without an
 *   answer, the probe reads the next reply.
 * @tls_started: the STARTTLS handshake is done: send the next command.
 *
 * The server speaks first: the base class connects (encrypting at once for implicit TLS),
 * then hands every reply to @handle_reply.
 */
struct _MendProbeClass
{
  GObjectClass parent_class;

  MendProtocol protocol;

  void (*handle_reply) (MendProbe     *self,
                        MendMailReply *reply);
  void (*tls_started)  (MendProbe     *self);
};

MendProbe               *mend_probe_new              (const MendServerAddress  *server,
                                                      const char               *address,
                                                      const char               *access_token);
const MendServerAddress *mend_probe_get_server       (MendProbe                *self);
const char              *mend_probe_get_address      (MendProbe                *self);
void                     mend_probe_set_tls_database (MendProbe                *self,
                                                      GTlsDatabase             *database);
void                     mend_probe_set_timeout      (MendProbe                *self,
                                                      guint                     timeout_ms);
void                     mend_probe_set_tenant_type  (MendProbe                *self,
                                                      MendTenantType            tenant_type);

void                     mend_probe_run_async        (MendProbe                *self,
                                                      GCancellable             *cancellable,
                                                      GAsyncReadyCallback       callback,
                                                      gpointer                  user_data);
MendProbeResult         *mend_probe_run_finish       (MendProbe                *self,
                                                      GAsyncResult             *result,
                                                      GError                  **error);

G_END_DECLS
