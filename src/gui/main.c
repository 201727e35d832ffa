/* main.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>

#include "mend-application.h"
#include "mend-log.h"
#include "mend-token-store.h"

int
main (int   argc,
      char *argv[])
{
  g_autoptr(MendApplication) application = NULL;

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  mend_log_init ();
  mend_token_store_set_default_timeout (MEND_TOKEN_STORE_INTERACTIVE_TIMEOUT_MS);

  application = mend_application_new ();

  return g_application_run (G_APPLICATION (application), argc, argv);
}
