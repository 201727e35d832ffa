/* mend-oauth-error.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "mend-finding.h"
#include "mend-oauth-token.h"

G_BEGIN_DECLS

#define MEND_OAUTH_ERROR (mend_oauth_error_quark ())

/**
 * MendOAuthError:
 *
 * One code per finding: mend_oauth_error_get_finding_id() names it. The
 * codes from %MEND_OAUTH_ERROR_PROVIDER_ERROR to
 * %MEND_OAUTH_ERROR_SIGN_IN_THROTTLED come from Microsoft (an OAuth `error`
 * or an AADSTS code); the others are Mailmend's own checks.
 */
typedef enum
{
  MEND_OAUTH_ERROR_PROVIDER_ERROR,
  MEND_OAUTH_ERROR_ADMIN_CONSENT_REQUIRED,
  MEND_OAUTH_ERROR_CONSENT_DECLINED,
  MEND_OAUTH_ERROR_MFA_REQUIRED,
  MEND_OAUTH_ERROR_CONDITIONAL_ACCESS,
  MEND_OAUTH_ERROR_WRONG_ACCOUNT_TYPE,
  MEND_OAUTH_ERROR_APP_NOT_REGISTERED,
  MEND_OAUTH_ERROR_TOKEN_EXPIRED,
  MEND_OAUTH_ERROR_PASSWORD_WRONG,
  MEND_OAUTH_ERROR_ACCOUNT_LOCKED,
  MEND_OAUTH_ERROR_ACCOUNT_NOT_FOUND,
  MEND_OAUTH_ERROR_CODE_EXPIRED,
  MEND_OAUTH_ERROR_DEVICE_CODE_EXPIRED,
  MEND_OAUTH_ERROR_DEVICE_CODE_DECLINED,
  MEND_OAUTH_ERROR_DEVICE_CODE_INVALID,
  MEND_OAUTH_ERROR_AUTHORIZATION_PENDING,
  MEND_OAUTH_ERROR_SLOW_DOWN,
  MEND_OAUTH_ERROR_SIGN_IN_THROTTLED,
  MEND_OAUTH_ERROR_CLIENT_ID_MISSING,
  MEND_OAUTH_ERROR_CLIENT_ID_INVALID,
  MEND_OAUTH_ERROR_AUTHORITY_INVALID,
  MEND_OAUTH_ERROR_TENANT_INVALID,
  MEND_OAUTH_ERROR_STATE_MISMATCH,
  MEND_OAUTH_ERROR_REDIRECT_INVALID,
} MendOAuthError;

/**
 * MendOAuthErrorInfo:
 * @error: the OAuth `error` value, such as “invalid_grant”
 * @error_description: Microsoft's description, usually “AADSTSnnnnn: …”
 * @aadsts: the AADSTS code (the first of `error_codes`), or 0 to take it
 *   from @error_description
 * @trace_id: Microsoft's `trace_id`, or %NULL to take it from @error_description
 * @correlation_id: likewise `correlation_id`
 * @http_status: the HTTP status of the answer, or 0 (a redirect)
 * @tenant_type: what is known of the account, to tell consent at work from
 *   consent at home
 * @admin_consent_url: (nullable): where an administrator approves the app
 *
 * What Microsoft said, as plain data; every member may be %NULL or 0.
 */
typedef struct
{
  const char     *error;
  const char     *error_description;
  guint           aadsts;
  const char     *trace_id;
  const char     *correlation_id;
  guint           http_status;
  MendTenantType  tenant_type;
  const char     *admin_consent_url;
} MendOAuthErrorInfo;

GQuark          mend_oauth_error_quark               (void);

MendOAuthError  mend_oauth_error_classify            (const char               *oauth_error,
                                                      guint                     aadsts,
                                                      const char               *description,
                                                      MendTenantType            tenant_type);
GError         *mend_oauth_error_new_from_info       (const MendOAuthErrorInfo *info);
GError         *mend_oauth_error_new_from_json       (JsonObject               *object,
                                                      guint                     http_status,
                                                      MendTenantType            tenant_type,
                                                      const char               *admin_consent_url);
GError         *mend_oauth_error_new_malformed       (guint                     http_status);

const char     *mend_oauth_error_get_finding_id      (MendOAuthError            code);
MendFinding    *mend_oauth_error_get_finding         (const GError             *error);
guint           mend_oauth_error_get_aadsts          (const GError             *error);
const char     *mend_oauth_error_get_oauth_error     (const GError             *error);
const char     *mend_oauth_error_get_trace_id        (const GError             *error);
const char     *mend_oauth_error_get_correlation_id  (const GError             *error);

char           *mend_oauth_redact_description        (const char               *description);

G_END_DECLS
