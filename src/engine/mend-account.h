/* mend-account.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

#include "mend-finding.h"

G_BEGIN_DECLS

typedef enum
{
  MEND_PROTOCOL_IMAP,
  MEND_PROTOCOL_POP3,
  MEND_PROTOCOL_SMTP,
  MEND_PROTOCOL_EWS,
  MEND_PROTOCOL_GRAPH,
} MendProtocol;

typedef enum
{
  MEND_SECURITY_TLS,
  MEND_SECURITY_STARTTLS,
  MEND_SECURITY_NONE,
} MendSecurity;

typedef enum
{
  MEND_AUTH_PASSWORD,
  MEND_AUTH_OAUTH2,
  MEND_AUTH_NONE,
  MEND_AUTH_OTHER,
} MendAuth;

#define MEND_TYPE_ACCOUNT (mend_account_get_type ())

G_DECLARE_FINAL_TYPE (MendAccount, mend_account, MEND, ACCOUNT, GObject)

MendAccount  *mend_account_new                (const char   *client,
                                               const char   *source,
                                               const char   *key,
                                               MendProtocol  protocol);
const char   *mend_account_get_id             (MendAccount  *self);
const char   *mend_account_get_client         (MendAccount  *self);
const char   *mend_account_get_source         (MendAccount  *self);
const char   *mend_account_get_key            (MendAccount  *self);
MendProtocol  mend_account_get_protocol       (MendAccount  *self);
const char   *mend_account_get_client_version (MendAccount  *self);
void          mend_account_set_client_version (MendAccount  *self,
                                               const char   *version);
const char   *mend_account_get_profile        (MendAccount  *self);
void          mend_account_set_profile        (MendAccount  *self,
                                               const char   *profile);
const char   *mend_account_get_address        (MendAccount  *self);
void          mend_account_set_address        (MendAccount  *self,
                                               const char   *address);
const char   *mend_account_get_username       (MendAccount  *self);
void          mend_account_set_username       (MendAccount  *self,
                                               const char   *username);
const char   *mend_account_get_host           (MendAccount  *self);
void          mend_account_set_host           (MendAccount  *self,
                                               const char   *host);
guint         mend_account_get_port           (MendAccount  *self);
void          mend_account_set_port           (MendAccount  *self,
                                               guint         port);
MendSecurity  mend_account_get_security       (MendAccount  *self);
void          mend_account_set_security       (MendAccount  *self,
                                               MendSecurity  security);
MendAuth      mend_account_get_auth           (MendAccount  *self);
void          mend_account_set_auth           (MendAccount  *self,
                                               MendAuth      auth);
gboolean      mend_account_is_microsoft       (MendAccount  *self);
void          mend_account_add_finding        (MendAccount  *self,
                                               MendFinding  *finding);
GPtrArray    *mend_account_get_findings       (MendAccount  *self);
gboolean      mend_account_has_finding        (MendAccount  *self,
                                               const char   *id);

const char   *mend_protocol_to_string         (MendProtocol  protocol);
const char   *mend_security_to_string         (MendSecurity  security);
const char   *mend_auth_to_string             (MendAuth      auth);
guint         mend_protocol_default_port      (MendProtocol  protocol,
                                               MendSecurity  security);

G_END_DECLS
