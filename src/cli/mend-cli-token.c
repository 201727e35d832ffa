/* mend-cli-token.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "mend-cli-token"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "mend-cli.h"
#include "mend-token-service.h"

/* msmtp, mbsync, NeoMutt, aerc… run this for every message or every sync: it stays small (no
 * GSettings, no GTK) and prints nothing on stdout but the token. */

static void
wipe_free (char *text)
{
  if (text != NULL)
    {
      memset (text, 0, strlen (text));
      g_free (text);
    }
}

static void
print_token (MendOAuthToken *token,
             gboolean        sasl)
{
  const char *access_token = mend_oauth_token_get_access_token (token);
  char *text;
  char *encoded;

  if (!sasl)
    {
      g_print ("%s\n", access_token);
      return;
    }

  /* XOAUTH2: base64 ("user=" ADDRESS ^A "auth=Bearer " TOKEN ^A ^A). */
  text = g_strdup_printf ("user=%s\001auth=Bearer %s\001\001",
                          mend_oauth_token_get_address (token), access_token);
  encoded = g_base64_encode ((const guchar *) text, strlen (text));
  g_print ("%s\n", encoded);
  wipe_free (text);
  wipe_free (encoded);
}

static void
warn_stale (MendOAuthToken *token)
{
  g_autoptr(GDateTime) local = NULL;
  g_autofree char *until = NULL;
  g_autofree char *message = NULL;

  local = g_date_time_to_local (mend_oauth_token_get_expires_at (token));
  until = g_date_time_format (local, "%H:%M:%S");
  /* Translators: %s is an e-mail address, then a time of day. */
  message = g_strdup_printf (_("The sign-in for %s could not be renewed now (Microsoft’s sign-in "
                               "service could not be reached or failed). This access token is "
                               "still valid until %s; the next run tries again."),
                             mend_oauth_token_get_address (token), until);
  g_printerr ("mailmend: %s\n", message);
}

/**
 * mend_cli_token:
 *
 * `mailmend token ADDRESS [--sasl]`: prints an access token for ADDRESS valid for at least
 * five more minutes (renewing it if needed), or with --sasl the base64 XOAUTH2 string. Exits
 * 0; 3 when a sign-in is needed; 4 when the keyring cannot be reached; 5 when Microsoft could
 * not be reached or failed and the stored token has expired.
 */
int
mend_cli_token (const MendCliCommand  *command,
                int                    argc,
                char                 **argv)
{
  g_autoptr(GOptionContext) option_context = mend_cli_option_context_new (command);
  g_autoptr(MendTokenService) service = NULL;
  g_autoptr(MendOAuthToken) token = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *address = NULL;
  gboolean stale = FALSE;
  gboolean sasl = FALSE;
  GOptionEntry entries[] = {
    { "sasl", 0, 0, G_OPTION_ARG_NONE, &sasl,
      N_("Print the base64 XOAUTH2 string (user and token) instead of the token"), NULL },
    { NULL }
  };

  g_option_context_add_main_entries (option_context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (option_context, &argc, &argv, &error))
    return mend_cli_usage_error (command, error->message);
  if (argc != 2 || (address = mend_token_store_normalize_address (argv[1])) == NULL)
    return mend_cli_usage_error (command, _("Give one e-mail address."));

  service = mend_token_service_new ();
  token = mend_token_service_get_access_token_sync (service, address, NULL, &stale, &error);
  if (token == NULL)
    {
      mend_cli_print_error (error);

      if (mend_token_service_error_needs_sign_in (error))
        {
          g_autofree char *run = g_strdup_printf ("mailmend signin %s", address);

          /* Translators: %s is a command to run, such as “mailmend signin alice@outlook.com”. */
          g_printerr (_("Run: %s\n"), run);
          return MEND_CLI_EXIT_SIGN_IN_NEEDED;
        }

      return mend_cli_exit_status_for_error (error);
    }

  if (stale)
    warn_stale (token);

  print_token (token, sasl);

  return MEND_CLI_EXIT_OK;
}
