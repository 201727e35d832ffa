/* mend-account-verifier.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "mend-probe-result.h"
#include "mend-server-address.h"
#include "mend-token-service.h"

G_BEGIN_DECLS

#define MEND_TYPE_ACCOUNT_VERIFIER (mend_account_verifier_get_type ())

G_DECLARE_FINAL_TYPE (MendAccountVerifier, mend_account_verifier, MEND, ACCOUNT_VERIFIER, GObject)

MendAccountVerifier *mend_account_verifier_new         (MendTokenService         *service);
gboolean             mend_account_verifier_set_ca_file (MendAccountVerifier      *self,
                                                        const char               *path,
                                                        GError                  **error);
void                 mend_account_verifier_set_timeout (MendAccountVerifier      *self,
                                                        guint                     timeout_ms);

void                 mend_account_verifier_run_async   (MendAccountVerifier      *self,
                                                        const char               *address,
                                                        const MendServerAddress  *imap,
                                                        const MendServerAddress  *smtp,
                                                        const MendServerAddress  *pop,
                                                        GCancellable             *cancellable,
                                                        GAsyncReadyCallback       callback,
                                                        gpointer                  user_data);
GPtrArray           *mend_account_verifier_run_finish  (MendAccountVerifier      *self,
                                                        GAsyncResult             *result,
                                                        gboolean                 *stale,
                                                        GError                  **error);
void                 mend_account_verifier_verify_token_async
                                                       (MendAccountVerifier      *self,
                                                        MendOAuthToken           *token,
                                                        const MendServerAddress  *imap,
                                                        const MendServerAddress  *smtp,
                                                        const MendServerAddress  *pop,
                                                        GCancellable             *cancellable,
                                                        GAsyncReadyCallback       callback,
                                                        gpointer                  user_data);
GPtrArray           *mend_account_verifier_verify_token_finish
                                                       (MendAccountVerifier      *self,
                                                        GAsyncResult             *result,
                                                        GError                  **error);

G_END_DECLS
