/* mend-oauth-token.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

typedef enum
{
  MEND_TENANT_TYPE_UNKNOWN,
  MEND_TENANT_TYPE_CONSUMER,
  MEND_TENANT_TYPE_ORGANIZATION,
} MendTenantType;

/* The tenant id of personal Microsoft accounts (id-token-claims-reference). */
#define MEND_CONSUMER_TENANT_ID "9188040d-6c67-4c5b-b112-36a304b66dad"

#define MEND_TYPE_OAUTH_TOKEN (mend_oauth_token_get_type ())

G_DECLARE_FINAL_TYPE (MendOAuthToken, mend_oauth_token, MEND, OAUTH_TOKEN, GObject)

MendOAuthToken  *mend_oauth_token_new                  (const char      *address);
MendOAuthToken  *mend_oauth_token_new_from_json        (const char      *json,
                                                        GError         **error);
char            *mend_oauth_token_to_json              (MendOAuthToken  *self);
const char      *mend_oauth_token_get_address          (MendOAuthToken  *self);
const char      *mend_oauth_token_get_access_token     (MendOAuthToken  *self);
void             mend_oauth_token_set_access_token     (MendOAuthToken  *self,
                                                        const char      *access_token);
const char      *mend_oauth_token_get_refresh_token    (MendOAuthToken  *self);
void             mend_oauth_token_set_refresh_token    (MendOAuthToken  *self,
                                                        const char      *refresh_token);
GDateTime       *mend_oauth_token_get_expires_at       (MendOAuthToken  *self);
void             mend_oauth_token_set_expires_at       (MendOAuthToken  *self,
                                                        GDateTime       *expires_at);
GDateTime       *mend_oauth_token_get_last_refresh     (MendOAuthToken  *self);
void             mend_oauth_token_set_last_refresh     (MendOAuthToken  *self,
                                                        GDateTime       *last_refresh);
const char * const *mend_oauth_token_get_scopes        (MendOAuthToken  *self);
void             mend_oauth_token_set_scopes           (MendOAuthToken  *self,
                                                        const char * const *scopes);
const char      *mend_oauth_token_get_tenant_id        (MendOAuthToken  *self);
void             mend_oauth_token_set_tenant_id        (MendOAuthToken  *self,
                                                        const char      *tenant_id);
MendTenantType   mend_oauth_token_get_tenant_type      (MendOAuthToken  *self);
const char      *mend_oauth_token_get_authority        (MendOAuthToken  *self);
void             mend_oauth_token_set_authority        (MendOAuthToken  *self,
                                                        const char      *authority);
const char      *mend_oauth_token_get_tenant           (MendOAuthToken  *self);
void             mend_oauth_token_set_tenant           (MendOAuthToken  *self,
                                                        const char      *tenant);
const char      *mend_oauth_token_get_client_id        (MendOAuthToken  *self);
void             mend_oauth_token_set_client_id        (MendOAuthToken  *self,
                                                        const char      *client_id);
const char      *mend_oauth_token_get_signed_in_as     (MendOAuthToken  *self);
void             mend_oauth_token_set_signed_in_as     (MendOAuthToken  *self,
                                                        const char      *signed_in_as);
gboolean         mend_oauth_token_signed_in_as_other   (MendOAuthToken  *self);
const char      *mend_oauth_token_get_ca_file          (MendOAuthToken  *self);
void             mend_oauth_token_set_ca_file          (MendOAuthToken  *self,
                                                        const char      *ca_file);
gboolean         mend_oauth_token_expires_within       (MendOAuthToken  *self,
                                                        GTimeSpan        span);

const char      *mend_tenant_type_to_string            (MendTenantType   type);

G_END_DECLS
