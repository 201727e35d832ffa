/* mend-test-cli.h: the `mailmend` binary run by the tests, and its output read
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* What one run of `mailmend` printed, and how it ended. */
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

MendTestRun *mend_test_run_cli                 (const char * const  *env,
                                                const char          *input,
                                                const char * const  *args);
MendTestRun *mend_test_run_cli_valist          (const char * const  *env,
                                                const char          *input,
                                                const char          *first_arg,
                                                va_list              args);
void         mend_test_run_free                (MendTestRun         *run);

MendTestCli *mend_test_cli_spawn               (const char * const  *env,
                                                const char * const  *args);
char        *mend_test_cli_wait_for_line       (MendTestCli         *cli,
                                                const char          *pattern);
void         mend_test_cli_write               (MendTestCli         *cli,
                                                const char          *text);
MendTestRun *mend_test_cli_finish              (MendTestCli         *cli);

void         mend_test_assert_absent           (MendTestRun         *run,
                                                const char          *what,
                                                const char          *secret);
void         mend_test_assert_no_piece         (MendTestRun         *run,
                                                const char * const  *secrets);
void         mend_test_assert_no_piece_in_text (const char          *text,
                                                const char * const  *secrets);

JsonObject  *mend_test_parse_json_object       (const char          *text);
gboolean     mend_test_json_has_finding        (JsonObject          *object,
                                                const char          *id);

GStrv        mend_test_planted_log_secrets     (void);

guint16      mend_test_closed_port             (void);
void         mend_test_die_with_parent         (gpointer             data);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MendTestRun, mend_test_run_free)

G_END_DECLS
