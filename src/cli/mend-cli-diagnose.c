/* mend-cli-diagnose.c: `mailmend diagnose [--imap SERVER] [--smtp SERVER] [--pop SERVER]
 * [--ca-file FILE] [--json]`
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Everything at once (MendDiagnosis): Microsoft's service status, the connection checks, the
 * scan of the mail apps, and a real login for every sign-in in the keyring. Prints each part;
 * the JSON also has every finding in one list.
 */

#define G_LOG_DOMAIN "mend-cli-diagnose"

#include "config.h"

#include <glib/gi18n.h>

#include "mend-cli.h"
#include "mend-cli-json.h"
#include "mend-diagnosis.h"
#include "mend-probe-result.h"
#include "mend-scanner.h"

static void
on_done (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static GPtrArray *
microsoft_accounts (MendScanContext *context)
{
  GPtrArray *accounts = mend_scan_context_get_accounts (context);
  GPtrArray *shown = g_ptr_array_new ();

  for (guint i = 0; i < accounts->len; i++)
    {
      MendAccount *account = g_ptr_array_index (accounts, i);

      if (mend_account_is_microsoft (account))
        g_ptr_array_add (shown, account);
    }

  return shown;
}

static void
print_json (MendDiagnosis *diagnosis)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(GPtrArray) accounts = microsoft_accounts (mend_diagnosis_get_scan_context (diagnosis));
  g_autoptr(GPtrArray) findings = mend_diagnosis_dup_findings (diagnosis);
  GPtrArray *verifications = mend_diagnosis_get_verifications (diagnosis);

  json_builder_begin_object (builder);

  json_builder_set_member_name (builder, "status");
  mend_cli_status_add_json (builder, mend_diagnosis_get_status (diagnosis));

  json_builder_set_member_name (builder, "connection");
  json_builder_begin_object (builder);
  mend_cli_json_add_findings (builder, mend_diagnosis_get_preflight (diagnosis));
  json_builder_end_object (builder);

  json_builder_set_member_name (builder, "scan");
  json_builder_begin_object (builder);
  mend_cli_scan_add_json (builder, accounts,
                          mend_scan_context_get_findings (mend_diagnosis_get_scan_context (diagnosis)));
  json_builder_end_object (builder);

  json_builder_set_member_name (builder, "verifications");
  json_builder_begin_array (builder);
  for (guint i = 0; i < verifications->len; i++)
    {
      MendDiagnosisVerification *verification = g_ptr_array_index (verifications, i);
      g_autoptr(GPtrArray) own = g_ptr_array_new ();

      json_builder_begin_object (builder);
      mend_cli_json_add_string (builder, "address", verification->address);
      mend_cli_verify_add_checks_json (builder, verification->results);
      if (verification->finding != NULL)
        g_ptr_array_add (own, verification->finding);
      mend_cli_json_add_findings (builder, own);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);

  /* Every finding above, in one list. */
  json_builder_set_member_name (builder, "all_findings");
  json_builder_begin_array (builder);
  for (guint i = 0; i < findings->len; i++)
    mend_cli_json_add_finding (builder, g_ptr_array_index (findings, i));
  json_builder_end_array (builder);

  json_builder_end_object (builder);
  mend_cli_json_print (builder);
}

static void
append_heading (GString    *out,
                const char *heading)
{
  if (out->len > 0)
    g_string_append_c (out, '\n');
  g_string_append_printf (out, "%s\n", heading);
}

static void
append_finding (GString     *out,
                MendFinding *finding)
{
  g_string_append_printf (out, "  %s %s\n",
                          mend_finding_get_severity (finding) == MEND_SEVERITY_INFO ? "✓" : "✗",
                          mend_finding_get_title (finding));
  if (mend_finding_get_severity (finding) != MEND_SEVERITY_INFO &&
      mend_finding_get_remedy (finding)[0] != '\0')
    g_string_append_printf (out, "    %s\n", mend_finding_get_remedy (finding));
}

static void
print_text (MendDiagnosis *diagnosis)
{
  g_autoptr(GString) out = g_string_new (NULL);
  g_autoptr(MendScanner) scanner = mend_scanner_new ();
  g_autoptr(GPtrArray) accounts = microsoft_accounts (mend_diagnosis_get_scan_context (diagnosis));
  GPtrArray *preflight = mend_diagnosis_get_preflight (diagnosis);
  GPtrArray *verifications = mend_diagnosis_get_verifications (diagnosis);

  append_heading (out, _("Microsoft’s service"));
  mend_cli_status_append_text (out, mend_diagnosis_get_status (diagnosis));

  append_heading (out, _("This computer’s connection"));
  for (guint i = 0; i < preflight->len; i++)
    append_finding (out, g_ptr_array_index (preflight, i));

  append_heading (out, _("Mail apps"));
  mend_cli_scan_append_text (out, scanner, accounts,
                             mend_scan_context_get_findings (mend_diagnosis_get_scan_context (diagnosis)),
                             FALSE);

  append_heading (out, _("Sign-ins tested against the mail servers"));
  if (verifications->len == 0)
    g_string_append_printf (out, "  %s\n",
                            _("No sign-in is kept in the keyring: “mailmend signin ADDRESS” makes one."));
  for (guint i = 0; i < verifications->len; i++)
    {
      MendDiagnosisVerification *verification = g_ptr_array_index (verifications, i);

      g_string_append_printf (out, "  %s\n", verification->address);
      if (verification->finding != NULL)
        append_finding (out, verification->finding);
      if (verification->results == NULL)
        continue;
      mend_cli_verify_append_text (out, verification->results);
      for (guint j = 0; j < verification->results->len; j++)
        {
          GPtrArray *findings = mend_probe_result_get_findings (g_ptr_array_index (verification->results, j));

          for (guint k = 0; k < findings->len; k++)
            append_finding (out, g_ptr_array_index (findings, k));
        }
    }

  g_print ("%s", out->str);
}

static gboolean
parse_server (const char         *text,
              MendProtocol        protocol,
              MendServerAddress **server)
{
  g_autoptr(GError) error = NULL;

  if (text == NULL)
    return TRUE;

  *server = mend_server_address_parse (text, protocol, &error);
  if (*server == NULL)
    {
      g_printerr ("mailmend: %s\n", error->message);
      return FALSE;
    }

  return TRUE;
}

/**
 * mend_cli_diagnose:
 *
 * Exits 0 when nothing of severity warning or error was found, 1 otherwise, 2 on a usage
 * error.
 */
int
mend_cli_diagnose (const MendCliCommand  *command,
                   int                    argc,
                   char                 **argv)
{
  g_autoptr(GOptionContext) option_context = mend_cli_option_context_new (command);
  g_autoptr(MendScanContext) scan_context = NULL;
  g_autoptr(MendDiagnosis) diagnosis = NULL;
  g_autoptr(MendServerAddress) imap = NULL;
  g_autoptr(MendServerAddress) smtp = NULL;
  g_autoptr(MendServerAddress) pop = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GPtrArray) findings = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *imap_text = NULL;
  g_autofree char *smtp_text = NULL;
  g_autofree char *pop_text = NULL;
  g_autofree char *ca_file = NULL;
  gboolean json = FALSE;
  gboolean trouble = FALSE;
  GOptionEntry entries[] = {
    { "imap", 0, 0, G_OPTION_ARG_STRING, &imap_text,
      N_("Test the sign-ins against this IMAP server instead of Microsoft’s"), N_("SERVER") },
    { "smtp", 0, 0, G_OPTION_ARG_STRING, &smtp_text,
      N_("Test the sign-ins against this SMTP server instead of Microsoft’s"), N_("SERVER") },
    { "pop", 0, 0, G_OPTION_ARG_STRING, &pop_text,
      N_("The POP server for accounts that use POP"), N_("SERVER") },
    { "ca-file", 0, 0, G_OPTION_ARG_FILENAME, &ca_file,
      N_("Also trust the certificates in this file (for a private test server)"), N_("FILE") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    { NULL }
  };

  g_option_context_add_main_entries (option_context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (option_context, &argc, &argv, &error))
    return mend_cli_usage_error (command, error->message);
  if (argc > 1)
    return mend_cli_usage_error (command, _("The diagnosis takes no arguments."));
  if (!parse_server (imap_text, MEND_PROTOCOL_IMAP, &imap) ||
      !parse_server (smtp_text, MEND_PROTOCOL_SMTP, &smtp) ||
      !parse_server (pop_text, MEND_PROTOCOL_POP3, &pop))
    return MEND_CLI_EXIT_USAGE;

  scan_context = mend_cli_new_scan_context (NULL);
  diagnosis = mend_diagnosis_new (scan_context);
  mend_diagnosis_set_servers (diagnosis, imap, smtp, pop);
  if (ca_file != NULL && !mend_diagnosis_set_ca_file (diagnosis, ca_file, &error))
    {
      g_printerr ("mailmend: %s\n", error->message);
      return MEND_CLI_EXIT_USAGE;
    }

  mend_diagnosis_run_async (diagnosis, NULL, on_done, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  /* Never cancelled: every part reports its trouble as findings. */
  mend_diagnosis_run_finish (diagnosis, result, NULL);

  if (json)
    print_json (diagnosis);
  else
    print_text (diagnosis);

  findings = mend_diagnosis_dup_findings (diagnosis);
  for (guint i = 0; i < findings->len; i++)
    trouble |= mend_finding_get_severity (g_ptr_array_index (findings, i)) != MEND_SEVERITY_INFO;

  return trouble ? MEND_CLI_EXIT_FAILURE : MEND_CLI_EXIT_OK;
}
