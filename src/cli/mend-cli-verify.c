/* mend-cli-verify.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "mend-cli-verify"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>
#include <glib-unix.h>

#include "mend-account-verifier.h"
#include "mend-cli.h"
#include "mend-cli-json.h"
#include "mend-token-service.h"

/* `mailmend verify`: a real sign-in to each server with the token Mailmend keeps. It talks to
 * the mail servers it checks and to the sign-in service (to renew the token), nothing else,
 * so it works on a machine that can reach nothing more. */

typedef struct
{
  GAsyncResult *result;
} Wait;

static void
on_done (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  Wait *wait = user_data;

  wait->result = g_object_ref (result);
}

static gboolean
on_interrupt (gpointer user_data)
{
  g_cancellable_cancel (G_CANCELLABLE (user_data));

  return G_SOURCE_CONTINUE;
}

/* Reads one --imap, --smtp or --pop value; on an invalid one, prints the usage error and sets
 * @status. */
static gboolean
parse_server (const MendCliCommand  *command,
              const char            *text,
              MendProtocol           protocol,
              MendServerAddress    **server,
              int                   *status)
{
  g_autoptr(GError) error = NULL;

  if (text == NULL)
    {
      /* POP only when asked: a bare address does not say whether the account uses it. */
      *server = protocol == MEND_PROTOCOL_POP3 ? NULL : mend_server_address_new_default (protocol);
      return TRUE;
    }

  *server = mend_server_address_parse (text, protocol, &error);
  if (*server == NULL)
    {
      *status = mend_cli_usage_error (command, error->message);
      return FALSE;
    }

  return TRUE;
}

static void
warn_stale (void)
{
  g_printerr ("mailmend: %s\n",
              _("The sign-in could not be renewed now (Microsoft’s sign-in service could not be "
                "reached or failed); the checks used the access token, which is still valid."));
}

/**
 * mend_cli_verify_add_checks_json:
 * @results: (nullable): the probes' results
 *
 * Adds the "checks" member of `mailmend verify --json` (also in `mailmend diagnose --json`).
 */
void
mend_cli_verify_add_checks_json (JsonBuilder *builder,
                                 GPtrArray   *results)
{
  json_builder_set_member_name (builder, "checks");
  json_builder_begin_array (builder);
  for (guint i = 0; results != NULL && i < results->len; i++)
    {
      MendProbeResult *result = g_ptr_array_index (results, i);
      const MendServerAddress *server = mend_probe_result_get_server (result);
      g_autofree char *url = mend_server_address_to_string (server);
      g_auto(GStrv) transcript = NULL;

      json_builder_begin_object (builder);
      mend_cli_json_add_string (builder, "protocol",
                                mend_protocol_to_string (mend_probe_result_get_protocol (result)));
      mend_cli_json_add_string (builder, "server", url);
      json_builder_set_member_name (builder, "ok");
      json_builder_add_boolean_value (builder, mend_probe_result_get_ok (result));
      mend_cli_json_add_string (builder, "summary", mend_probe_result_get_summary (result));
      mend_cli_json_add_findings (builder, mend_probe_result_get_findings (result));

      /* For support staff: the conversation, the sign-in redacted. */
      json_builder_set_member_name (builder, "transcript");
      json_builder_begin_array (builder);
      transcript = g_strsplit (mend_probe_result_get_transcript (result), "\n", -1);
      for (guint j = 0; transcript[j] != NULL; j++)
        {
          if (transcript[j][0] != '\0')
            json_builder_add_string_value (builder, transcript[j]);
        }
      json_builder_end_array (builder);

      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
}

static void
print_json (const char *address,
            GPtrArray  *results,
            GPtrArray  *findings)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  mend_cli_json_add_string (builder, "address", address);
  mend_cli_verify_add_checks_json (builder, results);
  mend_cli_json_add_findings (builder, findings);
  json_builder_end_object (builder);

  mend_cli_json_print (builder);
}

/**
 * mend_cli_verify_append_text:
 *
 * Appends one line per check, as `mailmend verify` prints them on stdout.
 */
void
mend_cli_verify_append_text (GString   *out,
                             GPtrArray *results)
{
  for (guint i = 0; i < results->len; i++)
    {
      MendProbeResult *result = g_ptr_array_index (results, i);
      g_autofree char *url = mend_server_address_to_string (mend_probe_result_get_server (result));
      const char *name = mend_protocol_get_display_name (mend_probe_result_get_protocol (result));

      g_debug ("Transcript of %s:\n%s", url, mend_probe_result_get_transcript (result));

      if (mend_probe_result_get_ok (result))
        /* Translators: a check that worked: “IMAP”, the server, then what was checked. */
        g_string_append_printf (out, _("✓ %s %s: %s\n"), name, url,
                                mend_probe_result_get_summary (result));
      else
        /* Translators: a check that failed: “IMAP”, the server, then what went wrong. */
        g_string_append_printf (out, _("✗ %s %s: %s\n"), name, url,
                                mend_probe_result_get_summary (result));
    }

}

/* The token service failed: says why, and returns the exit status. */
static int
report_token_error (const char   *address,
                    const GError *error,
                    gboolean      json)
{
  if (json)
    {
      g_autoptr(GPtrArray) findings = g_ptr_array_new_with_free_func (g_object_unref);
      MendFinding *finding = mend_token_service_error_to_finding (error);

      if (finding != NULL)
        g_ptr_array_add (findings, finding);
      print_json (address, NULL, findings);
    }

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

/**
 * mend_cli_verify:
 *
 * `mailmend verify ADDRESS [--imap SERVER] [--smtp SERVER] [--pop SERVER] [--ca-file FILE]
 * [--json]`: signs in to each server with the access token kept for ADDRESS (renewed first if
 * needed), all at once. Without --imap or --smtp, Microsoft's servers; POP only with --pop.
 * Exits 0 when every check worked; 1 when one found a problem; 2 for a usage error (such as
 * an invalid SERVER); 3 when a sign-in is needed; 4 without a keyring; 5 when Microsoft's
 * sign-in service could not be reached and the token has expired.
 */
int
mend_cli_verify (const MendCliCommand  *command,
                 int                    argc,
                 char                 **argv)
{
  g_autoptr(GOptionContext) option_context = mend_cli_option_context_new (command);
  g_autoptr(MendAccountVerifier) verifier = NULL;
  g_autoptr(MendServerAddress) imap = NULL;
  g_autoptr(MendServerAddress) smtp = NULL;
  g_autoptr(MendServerAddress) pop = NULL;
  g_autoptr(GCancellable) cancellable = NULL;
  g_autoptr(GPtrArray) results = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *address = NULL;
  g_autofree char *imap_text = NULL;
  g_autofree char *smtp_text = NULL;
  g_autofree char *pop_text = NULL;
  g_autofree char *ca_file = NULL;
  gboolean json = FALSE;
  gboolean stale = FALSE;
  Wait wait = { NULL };
  guint interrupt_source;
  int status = MEND_CLI_EXIT_OK;
  GOptionEntry entries[] = {
    { "imap", 0, 0, G_OPTION_ARG_STRING, &imap_text,
      N_("The IMAP server (default imaps://outlook.office365.com:993)"), N_("SERVER") },
    { "smtp", 0, 0, G_OPTION_ARG_STRING, &smtp_text,
      N_("The SMTP server (default smtp://smtp.office365.com:587, with STARTTLS)"),
      N_("SERVER") },
    { "pop", 0, 0, G_OPTION_ARG_STRING, &pop_text,
      N_("Also check this POP server, such as pop3s://outlook.office365.com"), N_("SERVER") },
    { "ca-file", 0, 0, G_OPTION_ARG_FILENAME, &ca_file,
      N_("Trust the certificates in FILE instead of the system’s (for test servers)"),
      N_("FILE") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print the results as JSON"), NULL },
    { NULL }
  };

  g_option_context_add_main_entries (option_context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (option_context, &argc, &argv, &error))
    return mend_cli_usage_error (command, error->message);
  if (argc != 2 || (address = mend_token_store_normalize_address (argv[1])) == NULL ||
      strchr (address, '@') == NULL)
    return mend_cli_usage_error (command, _("Give one e-mail address."));

  if (!parse_server (command, imap_text, MEND_PROTOCOL_IMAP, &imap, &status) ||
      !parse_server (command, smtp_text, MEND_PROTOCOL_SMTP, &smtp, &status) ||
      !parse_server (command, pop_text, MEND_PROTOCOL_POP3, &pop, &status))
    return status;

  verifier = mend_account_verifier_new (NULL);
  if (ca_file != NULL && !mend_account_verifier_set_ca_file (verifier, ca_file, &error))
    {
      /* Translators: %s is a file, then the reason. */
      g_printerr (_("mailmend: Could not read the certificates in %s: %s\n"), ca_file,
                  error->message);
      return MEND_CLI_EXIT_USAGE;
    }

  /* Ctrl+C stops the checks; each connection is still closed properly. */
  cancellable = g_cancellable_new ();
  interrupt_source = g_unix_signal_add (SIGINT, on_interrupt, cancellable);

  mend_account_verifier_run_async (verifier, address, imap, smtp, pop, cancellable, on_done,
                                   &wait);
  while (wait.result == NULL)
    g_main_context_iteration (NULL, TRUE);

  g_source_remove (interrupt_source);

  results = mend_account_verifier_run_finish (verifier, wait.result, &stale, &error);
  g_clear_object (&wait.result);

  if (results == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          mend_cli_print_error (error);
          return MEND_CLI_EXIT_FAILURE;
        }

      return report_token_error (address, error, json);
    }

  if (stale)
    warn_stale ();

  if (json)
    {
      g_autoptr(GPtrArray) none = g_ptr_array_new ();

      print_json (address, results, none);
    }
  else
    {
      g_autoptr(GString) out = g_string_new (NULL);

      mend_cli_verify_append_text (out, results);
      g_print ("%s", out->str);
      for (guint i = 0; i < results->len; i++)
        {
          GPtrArray *findings = mend_probe_result_get_findings (g_ptr_array_index (results, i));

          for (guint j = 0; j < findings->len; j++)
            mend_cli_print_finding (g_ptr_array_index (findings, j));
        }
    }

  for (guint i = 0; i < results->len; i++)
    {
      if (!mend_probe_result_get_ok (g_ptr_array_index (results, i)))
        status = MEND_CLI_EXIT_FAILURE;
    }

  return status;
}
