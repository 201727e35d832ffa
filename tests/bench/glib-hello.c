/* glib-hello.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The baseline for `mailmend --version` (tests/bench/startup): a plain GLib program that
 * prints one line and exits.
 */

#include <glib.h>

int
main (void)
{
  g_print ("hello\n");

  return 0;
}
