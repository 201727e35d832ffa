/* mend-oauth-flow.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

#include "mend-oauth-settings.h"
#include "mend-oauth-token.h"

G_BEGIN_DECLS

#define MEND_TYPE_OAUTH_FLOW (mend_oauth_flow_get_type ())

G_DECLARE_FINAL_TYPE (MendOAuthFlow, mend_oauth_flow, MEND, OAUTH_FLOW, GObject)

MendOAuthFlow     *mend_oauth_flow_new                     (MendOAuthSettings  *settings,
                                                            GError            **error);
MendOAuthSettings *mend_oauth_flow_get_settings            (MendOAuthFlow      *self);
char              *mend_oauth_flow_build_authorize_url     (MendOAuthFlow      *self,
                                                            const char         *login_hint,
                                                            const char         *domain_hint);
gboolean           mend_oauth_flow_is_redirect             (MendOAuthFlow      *self,
                                                            const char         *uri);
gboolean           mend_oauth_flow_parse_redirect          (MendOAuthFlow      *self,
                                                            const char         *uri,
                                                            char              **code,
                                                            GError            **error);
char              *mend_oauth_flow_build_code_grant_body   (MendOAuthFlow      *self,
                                                            const char         *code);

const char        *mend_oauth_domain_hint_for_tenant_type  (MendTenantType      tenant_type);
char              *mend_oauth_build_refresh_grant_body     (MendOAuthSettings  *settings,
                                                            const char         *refresh_token);
char              *mend_oauth_build_device_code_body       (MendOAuthSettings  *settings);
char              *mend_oauth_build_device_code_poll_body  (MendOAuthSettings  *settings,
                                                            const char         *device_code);
MendOAuthToken    *mend_oauth_token_response_parse         (const char         *json,
                                                            MendOAuthSettings  *settings,
                                                            const char         *address,
                                                            GError            **error);

G_END_DECLS
