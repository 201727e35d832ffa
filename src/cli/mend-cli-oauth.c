/* mend-cli-oauth.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What `mailmend signin` and `mailmend token` share: how an error of the sign-in machinery
 * (keyring, identity platform, network) is told, and which exit status it gives.
 */

#define G_LOG_DOMAIN "mend-cli-oauth"

#include "config.h"

#include <glib/gi18n.h>

#include "mend-cli.h"
#include "mend-oauth-error.h"
#include "mend-token-service.h"

/**
 * mend_cli_print_error:
 * @error: an error of the token service, its store, the OAuth client or the flow
 *
 * Prints @error's finding on stderr, or its message when it has none.
 */
void
mend_cli_print_error (const GError *error)
{
  g_autoptr(MendFinding) finding = NULL;

  g_return_if_fail (error != NULL);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_printerr ("mailmend: %s\n", _("Cancelled."));
      return;
    }

  finding = mend_token_service_error_to_finding (error);
  if (finding == NULL)
    {
      g_printerr ("mailmend: %s\n", error->message);
      return;
    }

  /* Mailmend's own checks explain themselves in the message (it names what was refused). */
  if (g_strcmp0 (mend_finding_get_explanation (finding), error->message) == 0)
    g_printerr ("mailmend: %s\n", error->message);

  mend_cli_print_finding (finding);
}

/**
 * mend_cli_exit_status_for_error:
 * @error: an error, as for mend_cli_print_error()
 *
 * Returns: %MEND_CLI_EXIT_KEYRING when the keyring cannot be reached,
 *   %MEND_CLI_EXIT_NETWORK when the identity platform could not be reached or failed (a
 *   timeout, a 5xx, an unreadable answer, throttling), %MEND_CLI_EXIT_FAILURE otherwise
 */
int
mend_cli_exit_status_for_error (const GError *error)
{
  g_return_val_if_fail (error != NULL, MEND_CLI_EXIT_FAILURE);

  if (g_error_matches (error, MEND_TOKEN_STORE_ERROR, MEND_TOKEN_STORE_ERROR_UNAVAILABLE))
    return MEND_CLI_EXIT_KEYRING;

  if (mend_oauth_client_error_is_transient (error))
    return MEND_CLI_EXIT_NETWORK;

  return MEND_CLI_EXIT_FAILURE;
}
