/* mend-cli-forget.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "mend-cli-forget"

#include "config.h"

#include <glib/gi18n.h>

#include "mend-cli.h"
#include "mend-token-store.h"

static int
report_error (const GError *error)
{
  g_autoptr(MendFinding) finding = mend_token_store_error_to_finding (error);

  if (finding != NULL)
    mend_cli_print_finding (finding);
  else
    g_printerr ("mailmend: %s\n", error->message);

  if (g_error_matches (error, MEND_TOKEN_STORE_ERROR, MEND_TOKEN_STORE_ERROR_UNAVAILABLE))
    return MEND_CLI_EXIT_KEYRING;

  return MEND_CLI_EXIT_FAILURE;
}

/**
 * mend_cli_forget:
 *
 * `mailmend forget ADDRESS`: removes the sign-in kept for ADDRESS. Exits 0 when it was
 * removed, 1 when there was none, 2 on a usage error, 4 when the keyring cannot be reached.
 */
int
mend_cli_forget (const MendCliCommand  *command,
                 int                    argc,
                 char                 **argv)
{
  g_autoptr(GOptionContext) option_context = mend_cli_option_context_new (command);
  g_autoptr(MendTokenStore) store = NULL;
  g_autoptr(MendTokenLock) lock = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *address = NULL;
  gboolean removed;

  if (!g_option_context_parse (option_context, &argc, &argv, &error))
    return mend_cli_usage_error (command, error->message);
  if (argc != 2)
    return mend_cli_usage_error (command, _("Give one e-mail address."));
  if ((address = mend_token_store_normalize_address (argv[1])) == NULL)
    return mend_cli_usage_error (command, _("Give one e-mail address."));

  store = mend_token_store_new ();

  /* A refresh running elsewhere would store the sign-in again after this removed it: wait
   * for it to finish. Without the lock (no runtime folder, say), remove it all the same. */
  lock = mend_token_store_lock_address (store, address, &error);
  if (lock == NULL)
    {
      g_debug ("Removing without the refresh lock: %s", error->message);
      g_clear_error (&error);
    }

  removed = mend_token_store_delete_sync (store, address, NULL, &error);
  if (error != NULL)
    return report_error (error);

  if (!removed)
    {
      g_autofree char *message = NULL;

      /* Translators: %s is an e-mail address. */
      message = g_strdup_printf (_("Mailmend keeps no sign-in for %s."), address);
      g_printerr ("mailmend: %s\n", message);

      return MEND_CLI_EXIT_FAILURE;
    }

  /* Translators: %s is an e-mail address. */
  g_print (_("Removed the sign-in for %s.\n"), address);

  return MEND_CLI_EXIT_OK;
}
