/* mend-oauth-client.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "mend-finding.h"
#include "mend-oauth-device-code.h"
#include "mend-oauth-flow.h"
#include "mend-oauth-settings.h"
#include "mend-oauth-token.h"

G_BEGIN_DECLS

/* libsoup's limits for every request to the identity platform. */
#define MEND_OAUTH_CLIENT_TIMEOUT_S      30
#define MEND_OAUTH_CLIENT_IDLE_TIMEOUT_S 60

#define MEND_TYPE_OAUTH_CLIENT (mend_oauth_client_get_type ())

G_DECLARE_FINAL_TYPE (MendOAuthClient, mend_oauth_client, MEND, OAUTH_CLIENT, GObject)

MendOAuthClient     *mend_oauth_client_new                         (void);
gboolean             mend_oauth_client_set_ca_file                 (MendOAuthClient      *self,
                                                                    const char           *path,
                                                                    GError              **error);

void                 mend_oauth_client_exchange_code_async         (MendOAuthClient      *self,
                                                                    MendOAuthFlow        *flow,
                                                                    const char           *code,
                                                                    const char           *address,
                                                                    GCancellable         *cancellable,
                                                                    GAsyncReadyCallback   callback,
                                                                    gpointer              user_data);
MendOAuthToken      *mend_oauth_client_exchange_code_finish        (MendOAuthClient      *self,
                                                                    GAsyncResult         *result,
                                                                    GError              **error);

void                 mend_oauth_client_refresh_async               (MendOAuthClient      *self,
                                                                    MendOAuthToken       *token,
                                                                    GCancellable         *cancellable,
                                                                    GAsyncReadyCallback   callback,
                                                                    gpointer              user_data);
MendOAuthToken      *mend_oauth_client_refresh_finish              (MendOAuthClient      *self,
                                                                    GAsyncResult         *result,
                                                                    GError              **error);

void                 mend_oauth_client_request_device_code_async   (MendOAuthClient      *self,
                                                                    MendOAuthSettings    *settings,
                                                                    GCancellable         *cancellable,
                                                                    GAsyncReadyCallback   callback,
                                                                    gpointer              user_data);
MendOAuthDeviceCode *mend_oauth_client_request_device_code_finish  (MendOAuthClient      *self,
                                                                    GAsyncResult         *result,
                                                                    GError              **error);

void                 mend_oauth_client_wait_for_device_code_async  (MendOAuthClient      *self,
                                                                    MendOAuthSettings    *settings,
                                                                    MendOAuthDeviceCode  *device_code,
                                                                    const char           *address,
                                                                    GCancellable         *cancellable,
                                                                    GAsyncReadyCallback   callback,
                                                                    gpointer              user_data);
MendOAuthToken      *mend_oauth_client_wait_for_device_code_finish (MendOAuthClient      *self,
                                                                    GAsyncResult         *result,
                                                                    GError              **error);

gboolean             mend_oauth_client_error_is_network            (const GError         *error);
gboolean             mend_oauth_client_error_is_transient          (const GError         *error);
MendFinding         *mend_oauth_client_error_to_finding            (const GError         *error);

G_END_DECLS
