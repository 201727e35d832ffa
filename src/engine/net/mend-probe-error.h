/* mend-probe-error.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "mend-finding.h"
#include "mend-mail-reply.h"
#include "mend-oauth-token.h"

G_BEGIN_DECLS

#define MEND_PROBE_ERROR (mend_probe_error_quark ())

/**
 * MendProbeError:
 *
 * What can stop a sign-in check. Every code but %MEND_PROBE_ERROR_INVALID_ADDRESS (a
 * mistyped server, refused before anything starts) has a finding:
 * mend_probe_error_get_finding_id() names it. The error's message holds the details for
 * support staff (which server, what it said); never a token.
 */
typedef enum
{
  MEND_PROBE_ERROR_INVALID_ADDRESS,
  MEND_PROBE_ERROR_NETWORK_UNREACHABLE,
  MEND_PROBE_ERROR_TLS_FAILURE,
  MEND_PROBE_ERROR_NO_TLS_OFFERED,
  MEND_PROBE_ERROR_TIMEOUT,
  MEND_PROBE_ERROR_PROTOCOL,
  MEND_PROBE_ERROR_XOAUTH2_NOT_OFFERED,
  MEND_PROBE_ERROR_TOKEN_REJECTED,
  MEND_PROBE_ERROR_SCOPE_MISSING,
  MEND_PROBE_ERROR_SMTP_AUTH_DISABLED,
  MEND_PROBE_ERROR_BASIC_AUTH_REJECTED,
  MEND_PROBE_ERROR_MAILBOX_NOT_CONNECTED,
  MEND_PROBE_ERROR_ACCESS_REFUSED,
  MEND_PROBE_ERROR_TOO_MANY_CONNECTIONS,
  MEND_PROBE_ERROR_SERVER_UNAVAILABLE,
} MendProbeError;

GQuark          mend_probe_error_quark          (void);

MendProbeError  mend_probe_classify_reply       (const MendMailReply *reply,
                                                 MendProbeError       fallback);

const char     *mend_probe_error_get_finding_id (MendProbeError       code,
                                                 MendProtocol         protocol);
MendFinding    *mend_probe_finding_new          (MendProbeError       code,
                                                 MendProtocol         protocol,
                                                 MendTenantType       tenant_type,
                                                 const char          *address,
                                                 const char          *details);
MendFinding    *mend_probe_error_to_finding     (const GError        *error,
                                                 MendProtocol         protocol,
                                                 MendTenantType       tenant_type,
                                                 const char          *address);

G_END_DECLS
