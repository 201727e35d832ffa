/* mend-cli-signin.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "mend-cli-signin"

#include "config.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <glib-unix.h>
#include <glib/gi18n.h>

#include "mend-cli.h"
#include "mend-oauth-client.h"
#include "mend-oauth-error.h"
#include "mend-oauth-flow.h"
#include "mend-token-service.h"

/* `mailmend signin`: the sign-in for SSH sessions and scripts. Instructions go to stderr; the
 * only line on stdout is the final “Signed in as ADDRESS”. Two ways: the device code (the user
 * signs in on any device, such as a phone: the password never crosses a shared screen), or the
 * authorize address opened in a browser, whose final address is pasted back on stdin. */

typedef struct
{
  const char   *tenant;
  const char   *client_id;
  const char   *authority;
  gboolean      device_code;
  gboolean      pop;
} Options;

static void
on_done (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

/* Runs the default main context until @result is set. */
static void
wait_for (GAsyncResult **result)
{
  while (*result == NULL)
    g_main_context_iteration (NULL, TRUE);
}

static gboolean
on_interrupt (gpointer user_data)
{
  g_debug ("Interrupted: cancelling the sign-in");
  g_cancellable_cancel (G_CANCELLABLE (user_data));

  return G_SOURCE_CONTINUE;
}

/* Returns: %MEND_CLI_EXIT_OK, or the exit status of the error it printed */
static int
build_settings (const Options      *options,
                MendOAuthSettings **out)
{
  g_autoptr(MendOAuthSettings) settings = mend_oauth_settings_new ();
  g_autoptr(GError) error = NULL;

  /* The preferences, when the schema is installed (the command line does not need it); the
   * options override them. */
  if (!mend_oauth_settings_apply_gsettings (settings, &error) ||
      (options->authority != NULL &&
       !mend_oauth_settings_set_authority (settings, options->authority, &error)) ||
      (options->tenant != NULL &&
       !mend_oauth_settings_set_tenant (settings, options->tenant, &error)) ||
      (options->client_id != NULL &&
       !mend_oauth_settings_set_client_id (settings, options->client_id, &error)))
    {
      g_printerr ("mailmend: %s\n", error->message);
      return MEND_CLI_EXIT_USAGE;
    }

  mend_oauth_settings_set_include_pop (settings, options->pop);

  if (!mend_oauth_settings_check_client_id (settings, &error))
    {
      mend_cli_print_error (error);
      return MEND_CLI_EXIT_FAILURE;
    }

  *out = g_steal_pointer (&settings);

  return MEND_CLI_EXIT_OK;
}

static MendOAuthToken *
sign_in_with_device_code (MendOAuthClient    *client,
                          MendOAuthSettings  *settings,
                          const char         *address,
                          GError            **error)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(MendOAuthDeviceCode) device_code = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autofree char *open = NULL;
  MendOAuthToken *token = NULL;
  guint interrupt_source;

  /* Ctrl+C cancels the wait, cleanly. */
  interrupt_source = g_unix_signal_add (SIGINT, on_interrupt, cancellable);

  mend_oauth_client_request_device_code_async (client, settings, cancellable, on_done, &result);
  wait_for (&result);
  device_code = mend_oauth_client_request_device_code_finish (client, result, error);
  g_clear_object (&result);

  if (device_code != NULL)
    {
      /* Translators: the first %s is a web address, the second the code to type there. */
      open = g_strdup_printf (_("Open %s and enter the code %s"),
                              device_code->verification_uri, device_code->user_code);
      g_printerr ("%s\n\n    %s\n\n    %s\n\n", open, device_code->verification_uri,
                  device_code->user_code);
      /* Translators: %s is an e-mail address. */
      g_printerr (_("Sign in there as %s, on this or any other device, such as a phone.\n"),
                  address);
      g_printerr ("%s\n", _("Waiting for the sign-in… (press Ctrl+C to cancel)"));

      mend_oauth_client_wait_for_device_code_async (client, settings, device_code, address,
                                                    cancellable, on_done, &result);
      wait_for (&result);
      token = mend_oauth_client_wait_for_device_code_finish (client, result, error);
    }

  g_source_remove (interrupt_source);

  return token;
}

/* Returns: (transfer full) (nullable): the first line that is not blank, trimmed */
static char *
read_pasted_line (void)
{
  char *line = NULL;
  size_t size = 0;

  while (getline (&line, &size, stdin) >= 0)
    {
      g_strstrip (line);
      if (line[0] != '\0')
        return line;
    }

  free (line);

  return NULL;
}

static MendOAuthToken *
sign_in_with_browser (MendOAuthClient    *client,
                      MendOAuthSettings  *settings,
                      const char         *address,
                      GError            **error)
{
  g_autoptr(MendOAuthFlow) flow = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autofree char *url = NULL;
  g_autofree char *pasted = NULL;
  g_autofree char *code = NULL;
  MendOAuthToken *token;

  flow = mend_oauth_flow_new (settings, error);
  if (flow == NULL)
    return NULL;

  url = mend_oauth_flow_build_authorize_url (flow, address,
                                             mend_oauth_domain_hint_for_tenant_type (
                                               mend_oauth_settings_get_tenant_type (settings)));

  /* Translators: %s is an e-mail address. */
  g_printerr (_("Open this address in a web browser and sign in as %s:\n\n"), address);
  g_printerr ("%s\n\n", url);
  g_printerr ("%s\n", _("At the end, the browser shows a blank page. Copy the whole address from "
                        "its address bar, paste it here and press Enter:"));

  pasted = read_pasted_line ();
  if (pasted == NULL)
    {
      g_set_error_literal (error, MEND_OAUTH_ERROR, MEND_OAUTH_ERROR_REDIRECT_INVALID,
                           _("No address was pasted."));
      return NULL;
    }

  /* Checks the state: an answer to another sign-in is refused, its code never used. */
  if (!mend_oauth_flow_parse_redirect (flow, pasted, &code, error))
    return NULL;

  mend_oauth_client_exchange_code_async (client, flow, code, address, NULL, on_done, &result);
  memset (code, 0, strlen (code));
  memset (pasted, 0, strlen (pasted));
  wait_for (&result);
  token = mend_oauth_client_exchange_code_finish (client, result, error);

  return token;
}

/**
 * mend_cli_signin:
 *
 * `mailmend signin ADDRESS [--device-code] [--tenant T] [--client-id ID] [--authority URL]
 * [--ca-file FILE] [--pop]`: signs in to Microsoft and keeps the tokens in the keyring. Exits
 * 0; 1 when the sign-in failed (the finding says why); 2 for a usage error or an invalid
 * option value; 4 when the keyring cannot be reached; 5 when Microsoft could not be reached.
 */
int
mend_cli_signin (const MendCliCommand  *command,
                 int                    argc,
                 char                 **argv)
{
  g_autoptr(GOptionContext) option_context = mend_cli_option_context_new (command);
  g_autoptr(MendOAuthSettings) settings = NULL;
  g_autoptr(MendOAuthClient) client = NULL;
  g_autoptr(MendTokenService) service = NULL;
  g_autoptr(MendTokenStore) store = NULL;
  g_autoptr(MendOAuthToken) token = NULL;
  g_autoptr(MendOAuthToken) existing = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *address = NULL;
  g_autofree char *tenant = NULL;
  g_autofree char *client_id = NULL;
  g_autofree char *authority = NULL;
  g_autofree char *ca_file = NULL;
  Options options = { 0, };
  int status;
  GOptionEntry entries[] = {
    { "device-code", 0, 0, G_OPTION_ARG_NONE, &options.device_code,
      N_("Sign in on another device with a code (for remote sessions)"), NULL },
    { "tenant", 0, 0, G_OPTION_ARG_STRING, &tenant,
      N_("The tenant: common, consumers, organizations, a tenant id or a domain"), N_("TENANT") },
    { "client-id", 0, 0, G_OPTION_ARG_STRING, &client_id,
      N_("The application (client) id to sign in with"), N_("ID") },
    { "authority", 0, 0, G_OPTION_ARG_STRING, &authority,
      N_("The identity platform’s address (default https://login.microsoftonline.com)"),
      N_("URL") },
    { "ca-file", 0, 0, G_OPTION_ARG_FILENAME, &ca_file,
      N_("Trust the certificates in FILE instead of the system’s (for test servers)"),
      N_("FILE") },
    { "pop", 0, 0, G_OPTION_ARG_NONE, &options.pop,
      N_("Also ask for POP access"), NULL },
    { NULL }
  };

  g_option_context_add_main_entries (option_context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (option_context, &argc, &argv, &error))
    return mend_cli_usage_error (command, error->message);
  if (argc != 2 || (address = mend_token_store_normalize_address (argv[1])) == NULL ||
      strchr (address, '@') == NULL)
    return mend_cli_usage_error (command, _("Give one e-mail address."));

  options.tenant = tenant;
  options.client_id = client_id;
  options.authority = authority;

  status = build_settings (&options, &settings);
  if (status != MEND_CLI_EXIT_OK)
    return status;

  client = mend_oauth_client_new ();
  if (ca_file != NULL && !mend_oauth_client_set_ca_file (client, ca_file, &error))
    {
      /* Translators: %s is a file, then the reason. */
      g_printerr (_("mailmend: Could not read the certificates in %s: %s\n"), ca_file,
                  error->message);
      return MEND_CLI_EXIT_USAGE;
    }

  /* No sign-in is worth doing if it cannot be kept: find out before the user signs in. */
  store = mend_token_store_new ();
  existing = mend_token_store_lookup_sync (store, address, NULL, &error);
  if (g_error_matches (error, MEND_TOKEN_STORE_ERROR, MEND_TOKEN_STORE_ERROR_UNAVAILABLE))
    {
      mend_cli_print_error (error);
      return MEND_CLI_EXIT_KEYRING;
    }
  g_clear_error (&error);

  if (options.device_code)
    token = sign_in_with_device_code (client, settings, address, &error);
  else
    token = sign_in_with_browser (client, settings, address, &error);

  if (token == NULL)
    {
      mend_cli_print_error (error);
      return mend_cli_exit_status_for_error (error);
    }

  if (ca_file != NULL)
    {
      g_autoptr(GFile) file = g_file_new_for_commandline_arg (ca_file);
      g_autofree char *absolute = g_file_get_path (file);

      mend_oauth_token_set_ca_file (token, absolute);
    }

  service = mend_token_service_new_full (store, client);
  if (!mend_token_service_save_sync (service, token, NULL, &error))
    {
      mend_cli_print_error (error);
      return mend_cli_exit_status_for_error (error);
    }

  /* Kept for ADDRESS all the same: an alias of the same mailbox signs in this way. */
  if (mend_oauth_token_signed_in_as_other (token))
    {
      /* Translators: both are e-mail addresses. */
      g_printerr (_("mailmend: Warning: Microsoft signed you in as %s, not %s. If that is "
                    "another mailbox, not an alias of this one, mail apps will be refused: "
                    "run “mailmend signin %s” again and choose the right account.\n"),
                  mend_oauth_token_get_signed_in_as (token), address, address);
    }

  /* Translators: %s is an e-mail address. */
  g_print (_("Signed in as %s\n"), mend_oauth_token_get_address (token));

  return MEND_CLI_EXIT_OK;
}
