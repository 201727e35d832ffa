/* test-cli.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Runs the real `mailmend` binary and checks what it prints where, and how it
 * exits: other programs read its stdout, so only results may go there.
 */

#include "config.h"

#include <gio/gio.h>
#include <glib/gstdio.h>

#include "mend-test-cli.h"

typedef struct
{
  char        *tmpdir;
  char        *fake_wizard;
  MendTestRun *run;        /* the latest */
} Fixture;

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  const char *script = "#!/bin/sh\necho \"fake wizard ran with $# arguments\"\nexit 7\n";

  fixture->tmpdir = g_dir_make_tmp ("mailmend-test-cli-XXXXXX", &error);
  g_assert_no_error (error);

  fixture->fake_wizard = g_build_filename (fixture->tmpdir, "fake-wizard", NULL);
  g_file_set_contents (fixture->fake_wizard, script, -1, &error);
  g_assert_no_error (error);
  g_assert_cmpint (g_chmod (fixture->fake_wizard, 0755), ==, 0);
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  g_unlink (fixture->fake_wizard);
  g_rmdir (fixture->tmpdir);
  g_free (fixture->fake_wizard);
  g_free (fixture->tmpdir);
  g_clear_pointer (&fixture->run, mend_test_run_free);
}

/* Runs mailmend with the arguments (NULL-terminated) in an environment where @env_changes
 * ("NAME=value", or "NAME" to unset) are applied. */
static void
run_cli (Fixture            *fixture,
         const char * const *env_changes,
         const char         *first_arg,
         ...)
{
  va_list args;

  g_clear_pointer (&fixture->run, mend_test_run_free);
  va_start (args, first_arg);
  fixture->run = mend_test_run_cli_valist (env_changes, NULL, first_arg, args);
  va_end (args);
}

static void
test_version (Fixture       *fixture,
              gconstpointer  data)
{
  const char *env[] = { "G_MESSAGES_DEBUG=all", NULL };

  run_cli (fixture, env, "--version", NULL);

  g_assert_cmpint (fixture->run->exit_status, ==, 0);
  g_assert_cmpstr (fixture->run->out, ==, "mailmend " PACKAGE_VERSION "\n");
}

static void
test_help (Fixture       *fixture,
           gconstpointer  data)
{
  run_cli (fixture, NULL, "--help", NULL);

  g_assert_cmpint (fixture->run->exit_status, ==, 0);
  g_assert_true (g_str_has_prefix (fixture->run->out, "Usage:\n  mailmend [COMMAND]"));
  g_assert_nonnull (strstr (fixture->run->out, "\n  wizard "));
  g_assert_nonnull (strstr (fixture->run->out, "\n  help "));
  g_assert_cmpstr (fixture->run->err, ==, "");

  run_cli (fixture, NULL, "help", NULL);
  g_assert_cmpint (fixture->run->exit_status, ==, 0);
  g_assert_true (g_str_has_prefix (fixture->run->out, "Usage:\n  mailmend [COMMAND]"));
}

static void
test_help_command (Fixture       *fixture,
                   gconstpointer  data)
{
  run_cli (fixture, NULL, "help", "wizard", NULL);

  g_assert_cmpint (fixture->run->exit_status, ==, 0);
  g_assert_nonnull (strstr (fixture->run->out, "mailmend wizard [OPTION…]"));
  g_assert_nonnull (strstr (fixture->run->out, "Open the repair wizard"));

  run_cli (fixture, NULL, "help", "no-such-command", NULL);

  g_assert_cmpint (fixture->run->exit_status, ==, 2);
  g_assert_cmpstr (fixture->run->out, ==, "");
  g_assert_nonnull (strstr (fixture->run->err, "Unknown command “no-such-command”"));
}

static void
test_unknown_command (Fixture       *fixture,
                      gconstpointer  data)
{
  run_cli (fixture, NULL, "frobnicate", NULL);

  g_assert_cmpint (fixture->run->exit_status, ==, 2);
  g_assert_cmpstr (fixture->run->out, ==, "");
  g_assert_true (g_str_has_prefix (fixture->run->err, "mailmend: Unknown command “frobnicate”."));
  g_assert_nonnull (strstr (fixture->run->err, "Usage:"));

  run_cli (fixture, NULL, "--frobnicate", NULL);

  g_assert_cmpint (fixture->run->exit_status, ==, 2);
  g_assert_cmpstr (fixture->run->out, ==, "");
  g_assert_nonnull (strstr (fixture->run->err, "Unknown option “--frobnicate”"));
}

static void
test_wizard_execs (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autofree char *wizard_env = g_strconcat ("MAILMEND_WIZARD=", fixture->fake_wizard, NULL);
  const char *env[] = { wizard_env, "DISPLAY=:99", "G_MESSAGES_DEBUG=all", NULL };

  /* No command and `wizard` both replace the process with the wizard. */
  run_cli (fixture, env, NULL);
  g_assert_cmpint (fixture->run->exit_status, ==, 7);
  g_assert_cmpstr (fixture->run->out, ==, "fake wizard ran with 0 arguments\n");
  /* The debug line went to stderr, not into the wizard's stdout. */
  g_assert_nonnull (strstr (fixture->run->err, "Starting the wizard at"));

  run_cli (fixture, env, "wizard", NULL);
  g_assert_cmpint (fixture->run->exit_status, ==, 7);
  g_assert_cmpstr (fixture->run->out, ==, "fake wizard ran with 0 arguments\n");

  run_cli (fixture, env, "wizard", "extra", NULL);
  g_assert_cmpint (fixture->run->exit_status, ==, 2);
  g_assert_cmpstr (fixture->run->out, ==, "");
  g_assert_nonnull (strstr (fixture->run->err, "The wizard takes no arguments."));
}

static void
test_wizard_without_display (Fixture       *fixture,
                             gconstpointer  data)
{
  g_autofree char *wizard_env = g_strconcat ("MAILMEND_WIZARD=", fixture->fake_wizard, NULL);
  const char *env[] = { wizard_env, "DISPLAY", "WAYLAND_DISPLAY", NULL };

  run_cli (fixture, env, NULL);

  g_assert_cmpint (fixture->run->exit_status, ==, 1);
  g_assert_cmpstr (fixture->run->out, ==, "");
  g_assert_nonnull (strstr (fixture->run->err, "needs a graphical session"));
}

static void
test_wizard_missing (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autofree char *missing = g_build_filename (fixture->tmpdir, "no-such-wizard", NULL);
  g_autofree char *wizard_env = g_strconcat ("MAILMEND_WIZARD=", missing, NULL);
  const char *env[] = { wizard_env, "DISPLAY=:99", NULL };

  run_cli (fixture, env, "wizard", NULL);

  g_assert_cmpint (fixture->run->exit_status, ==, 1);
  g_assert_cmpstr (fixture->run->out, ==, "");
  g_assert_nonnull (strstr (fixture->run->err, "Could not start the wizard."));
  g_assert_nonnull (strstr (fixture->run->err, missing));
}

#define add_test(path, func) \
  g_test_add ((path), Fixture, NULL, fixture_setup, (func), fixture_teardown)

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  add_test ("/cli/version", test_version);
  add_test ("/cli/help", test_help);
  add_test ("/cli/help-command", test_help_command);
  add_test ("/cli/unknown-command", test_unknown_command);
  add_test ("/cli/wizard/execs", test_wizard_execs);
  add_test ("/cli/wizard/no-display", test_wizard_without_display);
  add_test ("/cli/wizard/missing", test_wizard_missing);

  return g_test_run ();
}
