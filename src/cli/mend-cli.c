/* mend-cli.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "mend-cli"

#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>

#include "mend-cli.h"

static int help (const MendCliCommand  *command,
                 int                    argc,
                 char                 **argv);

static const MendCliCommand commands[] = {
  /* In the order of the wizard's steps, then the tools. */
  { "wizard", NULL, N_("Open the repair wizard (what “mailmend” alone does)"), mend_cli_wizard },
  { "status", NULL, N_("Show whether Microsoft reports a problem with Outlook.com"),
    mend_cli_status },
  { "scan", NULL, N_("List the mail accounts on this computer and what is wrong with them"),
    mend_cli_scan },
  { "signin", N_("ADDRESS"), N_("Sign in to Microsoft and keep the sign-in in the keyring"),
    mend_cli_signin },
  { "verify", N_("ADDRESS"),
    N_("Check that the sign-in works with the IMAP, SMTP and POP servers"), mend_cli_verify },
  { "repair", N_("ACCOUNT-ID…"),
    N_("Switch accounts to OAuth 2.0, keeping a backup for “mailmend undo”"), mend_cli_repair },
  { "undo", N_("[CHANGE-ID]"), N_("Put back the settings a change replaced"), mend_cli_undo },
  { "history", NULL, N_("List the changes Mailmend made to mail apps’ settings"),
    mend_cli_history },
  { "diagnose", NULL, N_("Check everything at once: Microsoft, the network, mail apps, sign-ins"),
    mend_cli_diagnose },
  { "analyze-log", N_("FILE|-"), N_("Tell what went wrong from a mail app’s log"),
    mend_cli_analyze_log },
  { "report", NULL, N_("Write a support report, without any token or password"),
    mend_cli_report },
  { "token", N_("ADDRESS"), N_("Print an access token for mail apps (msmtp, mbsync, NeoMutt…)"),
    mend_cli_token },
  { "accounts", NULL, N_("List the Microsoft sign-ins Mailmend keeps in the keyring"),
    mend_cli_accounts },
  { "forget", N_("ADDRESS"), N_("Remove the sign-in Mailmend keeps for an address"),
    mend_cli_forget },
  { "help", N_("[COMMAND]"), N_("Show the help of a command"), help },
};

static const MendCliCommand *
find_command (const char *name)
{
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    {
      if (g_strcmp0 (commands[i].name, name) == 0)
        return &commands[i];
    }

  return NULL;
}

static void
print_usage (FILE *stream)
{
  g_autoptr(GString) usage = g_string_new (NULL);

  g_string_append_printf (usage, "%s\n  mailmend [%s] [%s]\n\n",
                          _("Usage:"), _("COMMAND"), _("OPTION…"));
  g_string_append_printf (usage, "%s\n\n",
                          _("Mailmend repairs mail accounts that stopped working when Microsoft "
                            "stopped accepting passwords for Outlook.com, Hotmail, Live and "
                            "Microsoft 365 mail."));
  g_string_append_printf (usage, "%s\n", _("Commands:"));
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    g_string_append_printf (usage, "  %-12s %s\n", commands[i].name, _(commands[i].summary));

  g_string_append_printf (usage, "\n%s\n", _("Options:"));
  g_string_append_printf (usage, "  %-14s %s\n", "-h, --help", _("Show this help"));
  g_string_append_printf (usage, "  %-14s %s\n", "--version", _("Show the version"));
  g_string_append_c (usage, '\n');
  /* Translators: keep “mailmend help”; COMMAND is the placeholder of the usage line. */
  g_string_append_printf (usage, "%s\n", _("Run “mailmend help COMMAND” to see a command’s options."));

  fputs (usage->str, stream);
}

static int
help (const MendCliCommand  *command,
      int                    argc,
      char                 **argv)
{
  const MendCliCommand *topic;
  char *help_argv[] = { NULL, (char *) "--help", NULL };

  if (argc < 2)
    {
      print_usage (stdout);
      return MEND_CLI_EXIT_OK;
    }

  if (argc > 2)
    return mend_cli_usage_error (command, _("Give at most one command."));

  if (!(topic = find_command (argv[1])))
    {
      g_autofree char *message = g_strdup_printf (_("Unknown command “%s”."), argv[1]);
      return mend_cli_usage_error (NULL, message);
    }

  if (topic == command)
    {
      print_usage (stdout);
      return MEND_CLI_EXIT_OK;
    }

  /* Every command prints its own help, through its option context. */
  help_argv[0] = argv[1];
  return topic->run (topic, G_N_ELEMENTS (help_argv) - 1, help_argv);
}

/**
 * mend_cli_option_context_new:
 * @command: the command being run
 *
 * Returns: an option context whose help shows “mailmend COMMAND” and the
 *   command's translated summary.
 */
GOptionContext *
mend_cli_option_context_new (const MendCliCommand *command)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autofree char *prgname = NULL;

  g_return_val_if_fail (command != NULL, NULL);

  /* GOption prints g_get_prgname() in its usage line. */
  prgname = g_strdup_printf ("mailmend %s", command->name);
  g_set_prgname (prgname);

  context = g_option_context_new (command->parameter_string ? _(command->parameter_string) : NULL);
  g_option_context_set_summary (context, _(command->summary));
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);

  return g_steal_pointer (&context);
}

/**
 * mend_cli_usage_error:
 * @command: (nullable): the command that was misused, or %NULL for mailmend itself
 * @message: what was wrong, translated
 *
 * Prints @message and the usage on stderr.
 *
 * Returns: %MEND_CLI_EXIT_USAGE
 */
int
mend_cli_usage_error (const MendCliCommand *command,
                      const char           *message)
{
  g_return_val_if_fail (message != NULL, MEND_CLI_EXIT_USAGE);

  g_printerr ("mailmend: %s\n\n", message);

  if (command != NULL)
    {
      g_autoptr(GOptionContext) context = mend_cli_option_context_new (command);
      g_autofree char *text = g_option_context_get_help (context, TRUE, NULL);

      g_printerr ("%s", text);
    }
  else
    {
      print_usage (stderr);
    }

  return MEND_CLI_EXIT_USAGE;
}

/**
 * mend_cli_print_finding:
 * @finding: what went wrong
 *
 * Prints @finding's title, details and remedy on stderr.
 */
void
mend_cli_print_finding (MendFinding *finding)
{
  const char *details;

  g_return_if_fail (MEND_IS_FINDING (finding));

  details = mend_finding_get_details (finding);
  if (details != NULL && details[0] != '\0')
    g_printerr ("mailmend: %s: %s\n", mend_finding_get_title (finding), details);
  else
    g_printerr ("mailmend: %s\n", mend_finding_get_title (finding));

  if (mend_finding_get_remedy (finding) != NULL && mend_finding_get_remedy (finding)[0] != '\0')
    g_printerr ("%s\n", mend_finding_get_remedy (finding));
}

/**
 * mend_cli_run:
 * @argc: the number of arguments
 * @argv: the arguments, as given to main()
 *
 * Runs the command that @argv names; with none, the wizard.
 *
 * Returns: the process's exit status
 */
int
mend_cli_run (int    argc,
              char **argv)
{
  const MendCliCommand *command;
  const char *name;

  g_return_val_if_fail (argc > 0, MEND_CLI_EXIT_USAGE);

  if (argc == 1)
    return mend_cli_wizard (find_command ("wizard"), argc, argv);

  name = argv[1];

  if (g_str_equal (name, "--help") || g_str_equal (name, "-h"))
    {
      print_usage (stdout);
      return MEND_CLI_EXIT_OK;
    }

  if (g_str_equal (name, "--version"))
    {
      g_print ("mailmend %s\n", PACKAGE_VERSION);
      return MEND_CLI_EXIT_OK;
    }

  if (!(command = find_command (name)))
    {
      g_autofree char *message = NULL;

      if (name[0] == '-')
        message = g_strdup_printf (_("Unknown option “%s”."), name);
      else
        message = g_strdup_printf (_("Unknown command “%s”."), name);

      return mend_cli_usage_error (NULL, message);
    }

  g_debug ("Running command “%s”", command->name);

  return command->run (command, argc - 1, argv + 1);
}
