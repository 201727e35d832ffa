/* mend-cli-wizard.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "mend-cli-wizard"

#include "config.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <unistd.h>

#include "mend-cli.h"

static const char *
wizard_path (void)
{
  /* Lets a build tree or a test run its own wizard instead of the installed one. */
  const char *path = g_getenv ("MAILMEND_WIZARD");

  if (path != NULL && path[0] != '\0')
    return path;

  return LIBEXECDIR "/mailmend-wizard";
}

/**
 * mend_cli_wizard:
 *
 * `mailmend wizard`: replaces this process with the graphical wizard, which
 * lives in its own executable so that the CLI never loads GTK or WebKit.
 */
int
mend_cli_wizard (const MendCliCommand  *command,
                 int                    argc,
                 char                 **argv)
{
  g_autoptr(GOptionContext) context = mend_cli_option_context_new (command);
  g_autoptr(GError) error = NULL;
  const char *path = wizard_path ();

  if (!g_option_context_parse (context, &argc, &argv, &error))
    return mend_cli_usage_error (command, error->message);

  if (argc > 1)
    return mend_cli_usage_error (command, _("The wizard takes no arguments."));

  if (g_getenv ("DISPLAY") == NULL && g_getenv ("WAYLAND_DISPLAY") == NULL)
    {
      g_printerr ("mailmend: %s\n%s\n",
                  _("The wizard needs a graphical session, and there is none here."),
                  _("Run “mailmend --help” to see the commands that work in a terminal."));
      return MEND_CLI_EXIT_FAILURE;
    }

  g_debug ("Starting the wizard at %s", path);
  execl (path, path, (char *) NULL);

  g_printerr ("mailmend: %s\n", _("Could not start the wizard."));
  g_printerr ("  %s: %s\n", path, g_strerror (errno));

  return MEND_CLI_EXIT_FAILURE;
}
