/* mend-test-oauth.h: the fake identity provider and the keyring, for the sign-in tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * With tests/unit/mend-test-cli.h, which runs `mailmend`: the tests that include this header
 * use both.
 */

#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "mend-oauth-token.h"
#include "mend-test-cli.h"

G_BEGIN_DECLS

#define MEND_TEST_CLIENT_ID "00000000-0000-4000-8000-000000000001"

typedef struct
{
  GSubprocess *process;
  char        *tmpdir;
  char        *log_path;
  /* http://127.0.0.1:PORT, or https:// with TLS */
  char        *base;
  /* With TLS: its self-signed certificate, and the key */
  char        *ca_file;
  char        *key_file;
} MendTestIdp;

gboolean        mend_test_in_rig              (void);

MendTestIdp    *mend_test_idp_start           (const char * const  *extra_args);
MendTestIdp    *mend_test_idp_start_tls       (const char * const  *extra_args);
void            mend_test_idp_stop            (MendTestIdp         *idp);
void            mend_test_idp_control         (MendTestIdp         *idp,
                                               const char          *what,
                                               ...) G_GNUC_NULL_TERMINATED;
JsonObject     *mend_test_idp_get_state       (MendTestIdp         *idp);
gint64          mend_test_state_count         (JsonObject          *state,
                                               const char          *group,
                                               const char          *member);
char           *mend_test_idp_browse          (MendTestIdp         *idp,
                                               const char          *authorize_url,
                                               const char          *login,
                                               const char          *action);
MendOAuthToken *mend_test_idp_sign_in         (MendTestIdp         *idp,
                                               const char          *address);

void            mend_test_forget              (const char          *address);

G_END_DECLS
