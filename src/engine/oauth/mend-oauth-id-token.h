/* mend-oauth-id-token.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

#include "mend-oauth-token.h"

G_BEGIN_DECLS

/**
 * MendOAuthIdToken:
 * @preferred_username: (nullable): the `preferred_username` claim
 * @email: (nullable): the `email` claim
 * @name: (nullable): the `name` claim
 * @tid: (nullable): the tenant id
 * @oid: (nullable): the object id of the user in that tenant
 *
 * The claims of an id_token, for display and for the tenant type only: the
 * signature is not checked (the token comes straight from the token
 * endpoint over TLS), so nothing here may decide access.
 */
typedef struct
{
  char *preferred_username;
  char *email;
  char *name;
  char *tid;
  char *oid;
} MendOAuthIdToken;

#define MEND_TYPE_OAUTH_ID_TOKEN (mend_oauth_id_token_get_type ())

GType             mend_oauth_id_token_get_type        (void) G_GNUC_CONST;
MendOAuthIdToken *mend_oauth_id_token_parse           (const char             *jwt,
                                                       GError                **error);
MendOAuthIdToken *mend_oauth_id_token_copy            (const MendOAuthIdToken *self);
void              mend_oauth_id_token_free            (MendOAuthIdToken       *self);
MendTenantType    mend_oauth_id_token_get_tenant_type (const MendOAuthIdToken *self);
const char       *mend_oauth_id_token_get_address     (const MendOAuthIdToken *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MendOAuthIdToken, mend_oauth_id_token_free)

G_END_DECLS
