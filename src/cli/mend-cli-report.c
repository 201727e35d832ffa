/* mend-cli-report.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "mend-cli-report"

#include "config.h"

#include <glib/gi18n.h>

#include "mend-cli.h"
#include "mend-report-collector.h"

static void
on_collected (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

/**
 * mend_cli_report:
 *
 * `mailmend report [--format text|markdown|json] [--mask-addresses] [--output FILE]`: the
 * support report. Exits 0 when it was written, 1 when FILE could not be written, 2 on a usage
 * error.
 */
int
mend_cli_report (const MendCliCommand  *command,
                 int                    argc,
                 char                 **argv)
{
  g_autoptr(GOptionContext) option_context = mend_cli_option_context_new (command);
  g_autoptr(MendReport) report = NULL;
  g_autoptr(MendScanContext) scan_context = NULL;
  g_autoptr(MendReportCollector) collector = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *format_name = NULL;
  g_autofree char *output = NULL;
  g_autofree char *text = NULL;
  MendReportFormat format = MEND_REPORT_FORMAT_TEXT;
  gboolean mask_addresses = FALSE;
  GOptionEntry entries[] = {
    { "format", 0, 0, G_OPTION_ARG_STRING, &format_name,
      N_("The report’s format: text, markdown or json"), N_("FORMAT") },
    { "mask-addresses", 0, 0, G_OPTION_ARG_NONE, &mask_addresses,
      N_("Replace e-mail addresses with user1@…, for sharing a screen"), NULL },
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output,
      N_("Write the report to FILE instead of the standard output"), N_("FILE") },
    { NULL }
  };

  g_option_context_add_main_entries (option_context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (option_context, &argc, &argv, &error))
    return mend_cli_usage_error (command, error->message);
  if (argc > 1)
    return mend_cli_usage_error (command, _("The report command takes no arguments."));
  if (format_name != NULL && !mend_report_format_from_string (format_name, &format))
    {
      g_autofree char *message = NULL;

      /* Translators: %s is what was given to --format. */
      message = g_strdup_printf (_("Unknown format “%s”: use text, markdown or json."),
                                 format_name);

      return mend_cli_usage_error (command, message);
    }

  report = mend_report_new ();
  mend_report_set_mask_addresses (report, mask_addresses);

  /* MAILMEND_STATUS_URL replaces Microsoft's status address, for tests. */
  scan_context = mend_cli_new_scan_context (NULL);
  collector = mend_report_collector_new (scan_context, NULL);
  mend_report_collector_collect_async (collector, report, NULL, on_collected, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  /* Never cancelled: a keyring or a journal that cannot be read is a finding in the report. */
  mend_report_collector_collect_finish (collector, result, NULL);

  text = mend_report_render (report, format);

  if (output == NULL)
    {
      g_print ("%s", text);
      return MEND_CLI_EXIT_OK;
    }

  /* A temporary file renamed over FILE: a reader never sees half a report. */
  if (!g_file_set_contents_full (output, text, -1, G_FILE_SET_CONTENTS_CONSISTENT, 0600, &error))
    {
      g_printerr ("mailmend: %s\n", error->message);
      return MEND_CLI_EXIT_FAILURE;
    }

  /* Translators: %s is a file name. */
  g_printerr (_("Wrote the report to %s.\n"), output);

  return MEND_CLI_EXIT_OK;
}
