/* mend-oauth-settings.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

#include "mend-oauth-token.h"

G_BEGIN_DECLS

#define MEND_OAUTH_DEFAULT_AUTHORITY "https://login.microsoftonline.com"
#define MEND_OAUTH_DEFAULT_TENANT    "common"
#define MEND_OAUTH_REDIRECT_URI      "https://login.microsoftonline.com/common/oauth2/nativeclient"

#define MEND_OAUTH_SCOPE_IMAP "https://outlook.office.com/IMAP.AccessAsUser.All"
#define MEND_OAUTH_SCOPE_POP  "https://outlook.office.com/POP.AccessAsUser.All"
#define MEND_OAUTH_SCOPE_SMTP "https://outlook.office.com/SMTP.Send"

typedef enum
{
  MEND_OAUTH_ENDPOINT_AUTHORIZE,
  MEND_OAUTH_ENDPOINT_TOKEN,
  MEND_OAUTH_ENDPOINT_DEVICE_CODE,
} MendOAuthEndpoint;

#define MEND_TYPE_OAUTH_SETTINGS (mend_oauth_settings_get_type ())

G_DECLARE_FINAL_TYPE (MendOAuthSettings, mend_oauth_settings, MEND, OAUTH_SETTINGS, GObject)

MendOAuthSettings  *mend_oauth_settings_new                   (void);
MendOAuthSettings  *mend_oauth_settings_new_from_gsettings    (GError            **error);
MendOAuthSettings  *mend_oauth_settings_new_for_token         (MendOAuthToken     *token,
                                                               GError            **error);
MendOAuthSettings  *mend_oauth_settings_copy                  (MendOAuthSettings  *self);
gboolean            mend_oauth_settings_apply_gsettings       (MendOAuthSettings  *self,
                                                               GError            **error);
const char         *mend_oauth_settings_get_authority         (MendOAuthSettings  *self);
gboolean            mend_oauth_settings_set_authority         (MendOAuthSettings  *self,
                                                               const char         *authority,
                                                               GError            **error);
const char         *mend_oauth_settings_get_tenant            (MendOAuthSettings  *self);
gboolean            mend_oauth_settings_set_tenant            (MendOAuthSettings  *self,
                                                               const char         *tenant,
                                                               GError            **error);
MendTenantType      mend_oauth_settings_get_tenant_type       (MendOAuthSettings  *self);
const char         *mend_oauth_settings_get_client_id         (MendOAuthSettings  *self);
gboolean            mend_oauth_settings_set_client_id         (MendOAuthSettings  *self,
                                                               const char         *client_id,
                                                               GError            **error);
gboolean            mend_oauth_settings_has_client_id         (MendOAuthSettings  *self);
gboolean            mend_oauth_settings_check_client_id       (MendOAuthSettings  *self,
                                                               GError            **error);
const char         *mend_oauth_settings_get_redirect_uri      (MendOAuthSettings  *self);
gboolean            mend_oauth_settings_get_include_pop       (MendOAuthSettings  *self);
void                mend_oauth_settings_set_include_pop       (MendOAuthSettings  *self,
                                                               gboolean            include_pop);
const char * const *mend_oauth_settings_get_scopes            (MendOAuthSettings  *self);
const char         *mend_oauth_settings_get_scope_string      (MendOAuthSettings  *self);
char               *mend_oauth_settings_get_endpoint          (MendOAuthSettings  *self,
                                                               MendOAuthEndpoint   endpoint);
char               *mend_oauth_settings_get_admin_consent_url (MendOAuthSettings  *self);
gboolean            mend_oauth_settings_is_loopback           (MendOAuthSettings  *self);
void                mend_oauth_settings_apply_to_token        (MendOAuthSettings  *self,
                                                               MendOAuthToken     *token);

gboolean            mend_oauth_is_guid                        (const char         *text);
gboolean            mend_oauth_is_loopback_host               (const char         *host);
gboolean            mend_oauth_validate_client_id             (const char         *client_id,
                                                               GError            **error);
char               *mend_oauth_normalize_authority            (const char         *authority,
                                                               GError            **error);
char               *mend_oauth_normalize_tenant               (const char         *tenant,
                                                               GError            **error);

G_END_DECLS
