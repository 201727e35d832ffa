/* mend-oauth-flow-private.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "mend-oauth-flow.h"

G_BEGIN_DECLS

#define _MEND_OAUTH_VERIFIER_LENGTH 64

void        _mend_oauth_random_bytes        (guint8        *buffer,
                                             gsize          length);
char       *_mend_oauth_generate_verifier   (void);
char       *_mend_oauth_compute_challenge   (const char    *verifier);
char       *_mend_oauth_base64url_encode    (const guint8  *data,
                                             gsize          length);
const char *_mend_oauth_flow_get_verifier   (MendOAuthFlow *self);
const char *_mend_oauth_flow_get_state      (MendOAuthFlow *self);

G_END_DECLS
