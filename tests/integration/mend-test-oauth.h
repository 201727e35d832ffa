/* mend-test-oauth.h: the fake identity provider and the CLI, for the sign-in tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "mend-oauth-token.h"

G_BEGIN_DECLS

#define MEND_TEST_CLIENT_ID "00000000-0000-4000-8000-000000000001"

typedef struct
{
  GSubprocess *process;
  char        *tmpdir;
  char        *log_path;
  /* http://127.0.0.1:PORT */
  char        *base;
} MendTestIdp;

typedef struct
{
  int     exit_status;
  char   *out;
  char   *err;
  gint64  elapsed_us;
} MendTestRun;

/* A CLI started in the background, whose stderr is read line by line. */
typedef struct
{
  GSubprocess      *process;
  GDataInputStream *err;
  GString          *err_text;
} MendTestCli;

gboolean        mend_test_in_rig              (void);

MendTestIdp    *mend_test_idp_start           (const char * const  *extra_args);
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

MendTestRun    *mend_test_run_cli             (const char * const  *env,
                                               const char          *input,
                                               const char * const  *args);
void            mend_test_run_free            (MendTestRun         *run);

MendTestCli    *mend_test_cli_spawn           (const char * const  *env,
                                               const char * const  *args);
char           *mend_test_cli_wait_for_line   (MendTestCli         *cli,
                                               const char          *pattern);
void            mend_test_cli_write           (MendTestCli         *cli,
                                               const char          *text);
MendTestRun    *mend_test_cli_finish          (MendTestCli         *cli);

void            mend_test_assert_absent       (MendTestRun         *run,
                                               const char          *what,
                                               const char          *secret);
void            mend_test_forget              (const char          *address);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MendTestRun, mend_test_run_free)

G_END_DECLS
