/* mend-cli.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

#include "mend-finding.h"

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
int             mend_cli_token              (const MendCliCommand  *command,
                                             int                    argc,
                                             char                 **argv);

/* mend-cli-oauth.c: errors of the sign-in machinery (keyring, identity platform, network). */
void            mend_cli_print_error           (const GError         *error);
int             mend_cli_exit_status_for_error (const GError         *error);

G_END_DECLS
