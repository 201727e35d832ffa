/* mend-cli.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>

#include "mend-finding.h"
#include "mend-journal.h"
#include "mend-scan-context.h"
#include "mend-scanner.h"
#include "mend-status-report.h"

G_BEGIN_DECLS

/* Exit statuses shared by every command. */
#define MEND_CLI_EXIT_OK      0
#define MEND_CLI_EXIT_FAILURE 1
#define MEND_CLI_EXIT_USAGE   2
#define MEND_CLI_EXIT_SIGN_IN_NEEDED 3
#define MEND_CLI_EXIT_KEYRING 4
#define MEND_CLI_EXIT_NETWORK 5

typedef struct _MendCliCommand MendCliCommand;

struct _MendCliCommand
{
  const char *name;
  /* Shown after the options in the usage line, NULL when there is none. */
  const char *parameter_string;
  /* Marked with N_(); translated when shown. */
  const char *summary;
  /* argv[0] is the command's name; returns the exit status. */
  int       (*run) (const MendCliCommand  *command,
                    int                    argc,
                    char                 **argv);
};

int             mend_cli_run                (int                    argc,
                                             char                 **argv);
GOptionContext *mend_cli_option_context_new (const MendCliCommand  *command);
int             mend_cli_usage_error        (const MendCliCommand  *command,
                                             const char            *message);
void            mend_cli_print_finding      (MendFinding           *finding);

int             mend_cli_wizard             (const MendCliCommand  *command,
                                             int                    argc,
                                             char                 **argv);
int             mend_cli_scan               (const MendCliCommand  *command,
                                             int                    argc,
                                             char                 **argv);
int             mend_cli_accounts           (const MendCliCommand  *command,
                                             int                    argc,
                                             char                 **argv);
int             mend_cli_forget             (const MendCliCommand  *command,
                                             int                    argc,
                                             char                 **argv);
int             mend_cli_signin             (const MendCliCommand  *command,
                                             int                    argc,
                                             char                 **argv);
int             mend_cli_diagnose           (const MendCliCommand  *command,
                                             int                    argc,
                                             char                 **argv);
int             mend_cli_repair             (const MendCliCommand  *command,
                                             int                    argc,
                                             char                 **argv);
int             mend_cli_token              (const MendCliCommand  *command,
                                             int                    argc,
                                             char                 **argv);
int             mend_cli_verify             (const MendCliCommand  *command,
                                             int                    argc,
                                             char                 **argv);
int             mend_cli_status             (const MendCliCommand  *command,
                                             int                    argc,
                                             char                 **argv);
int             mend_cli_analyze_log        (const MendCliCommand  *command,
                                             int                    argc,
                                             char                 **argv);
int             mend_cli_report             (const MendCliCommand  *command,
                                             int                    argc,
                                             char                 **argv);
int             mend_cli_history            (const MendCliCommand  *command,
                                             int                    argc,
                                             char                 **argv);
int             mend_cli_undo               (const MendCliCommand  *command,
                                             int                    argc,
                                             char                 **argv);

/* mend-cli-history.c: says on stderr which changes a crash had left halfway were resolved. */
void            mend_cli_report_recovered   (MendJournal           *journal);

/* mend-cli-status.c: the status report, for `status` and `diagnose`. */
void             mend_cli_status_add_json      (JsonBuilder          *builder,
                                                MendStatusReport     *report);
void             mend_cli_status_append_text   (GString              *out,
                                                MendStatusReport     *report);

/* mend-cli-verify.c: the probes' results, for `verify` and `diagnose`. */
void             mend_cli_verify_add_checks_json (JsonBuilder        *builder,
                                                  GPtrArray          *results);
void             mend_cli_verify_append_text     (GString            *out,
                                                  GPtrArray          *results);

/* mend-cli-scan.c: the scan context of every command that scans, and its output. */
MendScanContext *mend_cli_new_scan_context     (const char * const   *folders);
void             mend_cli_scan_add_json        (JsonBuilder          *builder,
                                                GPtrArray            *accounts,
                                                GPtrArray            *findings);
void             mend_cli_scan_append_text     (GString              *out,
                                                MendScanner          *scanner,
                                                GPtrArray            *accounts,
                                                GPtrArray            *findings,
                                                gboolean              all);

/* mend-cli-oauth.c: errors of the sign-in machinery (keyring, identity platform, network). */
void            mend_cli_print_error           (const GError         *error);
int             mend_cli_exit_status_for_error (const GError         *error);

G_END_DECLS
