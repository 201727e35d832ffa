/* test-log.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "mend-log.h"

static void
test_log_goes_to_stderr (void)
{
  if (g_test_subprocess ())
    {
      g_setenv ("G_MESSAGES_DEBUG", "all", TRUE);
      mend_log_init ();
      g_message ("a message for support staff");
      g_info ("an informational line");
      g_debug ("a debug line");
      return;
    }

  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
  g_test_trap_assert_stdout ("");
  g_test_trap_assert_stderr ("*a message for support staff*");
  g_test_trap_assert_stderr ("*an informational line*");
  g_test_trap_assert_stderr ("*a debug line*");
}

static void
test_log_respects_debug_domains (void)
{
  if (g_test_subprocess ())
    {
      g_setenv ("G_MESSAGES_DEBUG", "some-other-domain", TRUE);
      mend_log_init ();
      g_debug ("hidden debug line");
      g_message ("a visible message");
      return;
    }

  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_stdout ("");
  g_test_trap_assert_stderr_unmatched ("*hidden debug line*");
  g_test_trap_assert_stderr ("*a visible message*");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/log/stderr-only", test_log_goes_to_stderr);
  g_test_add_func ("/log/debug-domains", test_log_respects_debug_domains);

  return g_test_run ();
}
