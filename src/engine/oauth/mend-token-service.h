/* mend-token-service.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "mend-finding.h"
#include "mend-oauth-client.h"
#include "mend-oauth-token.h"
#include "mend-token-store.h"

G_BEGIN_DECLS

#define MEND_TOKEN_SERVICE_ERROR (mend_token_service_error_quark ())

typedef enum
{
  /* Mailmend keeps no sign-in for the address: the user has to sign in first. */
  MEND_TOKEN_SERVICE_ERROR_NOT_SIGNED_IN,
} MendTokenServiceError;

/* An access token is renewed when it has less than this left. */
#define MEND_TOKEN_SERVICE_MIN_VALIDITY (5 * G_TIME_SPAN_MINUTE)

#define MEND_TYPE_TOKEN_SERVICE (mend_token_service_get_type ())

G_DECLARE_FINAL_TYPE (MendTokenService, mend_token_service, MEND, TOKEN_SERVICE, GObject)

GQuark            mend_token_service_error_quark            (void);

MendTokenService *mend_token_service_new                    (void);
MendTokenService *mend_token_service_new_full               (MendTokenStore       *store,
                                                             MendOAuthClient      *client);
MendTokenStore   *mend_token_service_get_store              (MendTokenService     *self);
MendOAuthClient  *mend_token_service_get_client             (MendTokenService     *self);

void              mend_token_service_get_access_token_async  (MendTokenService     *self,
                                                              const char           *address,
                                                              GCancellable         *cancellable,
                                                              GAsyncReadyCallback   callback,
                                                              gpointer              user_data);
MendOAuthToken   *mend_token_service_get_access_token_finish (MendTokenService     *self,
                                                              GAsyncResult         *result,
                                                              gboolean             *stale,
                                                              GError              **error);
MendOAuthToken   *mend_token_service_get_access_token_sync   (MendTokenService     *self,
                                                              const char           *address,
                                                              GCancellable         *cancellable,
                                                              gboolean             *stale,
                                                              GError              **error);

void              mend_token_service_save_async             (MendTokenService     *self,
                                                             MendOAuthToken       *token,
                                                             GCancellable         *cancellable,
                                                             GAsyncReadyCallback   callback,
                                                             gpointer              user_data);
gboolean          mend_token_service_save_finish            (MendTokenService     *self,
                                                             GAsyncResult         *result,
                                                             GError              **error);
gboolean          mend_token_service_save_sync              (MendTokenService     *self,
                                                             MendOAuthToken       *token,
                                                             GCancellable         *cancellable,
                                                             GError              **error);

MendFinding      *mend_token_service_error_to_finding       (const GError         *error);
gboolean          mend_token_service_error_needs_sign_in    (const GError         *error);

G_END_DECLS
