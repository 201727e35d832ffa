/* mend-cli-analyze-log.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "mend-cli-analyze-log"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "mend-cli.h"
#include "mend-cli-json.h"
#include "mend-log-analyzer.h"
#include "mend-redact.h"

#define READ_CHUNK (64 * 1024)

static void
print_json (MendLogAnalyzer *analyzer)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  MendLogFormat format = mend_log_analyzer_get_format (analyzer);
  GPtrArray *findings = mend_log_analyzer_get_findings (analyzer);

  json_builder_begin_object (builder);
  mend_cli_json_add_string (builder, "format", mend_log_format_to_string (format));
  mend_cli_json_add_string (builder, "format_name", mend_log_format_get_name (format));
  json_builder_set_member_name (builder, "lines");
  json_builder_add_int_value (builder, mend_log_analyzer_get_n_lines (analyzer));
  json_builder_set_member_name (builder, "findings");
  json_builder_begin_array (builder);
  for (guint i = 0; i < findings->len; i++)
    {
      MendFinding *finding = g_ptr_array_index (findings, i);
      guint64 line = mend_log_analyzer_get_finding_line (analyzer, finding);
      g_autofree char *details = mend_redact_text (mend_finding_get_details (finding));

      json_builder_begin_object (builder);
      mend_cli_json_add_string (builder, "id", mend_finding_get_id (finding));
      mend_cli_json_add_string (builder, "severity",
                                mend_severity_to_string (mend_finding_get_severity (finding)));
      mend_cli_json_add_string (builder, "title", mend_finding_get_title (finding));
      mend_cli_json_add_string (builder, "explanation", mend_finding_get_explanation (finding));
      mend_cli_json_add_string (builder, "remedy", mend_finding_get_remedy (finding));
      mend_cli_json_add_string (builder, "details", details);
      mend_cli_json_add_string (builder, "link", mend_finding_get_link (finding));
      json_builder_set_member_name (builder, "line");
      if (line > 0)
        json_builder_add_int_value (builder, line);
      else
        json_builder_add_null_value (builder);
      json_builder_set_member_name (builder, "occurrences");
      json_builder_add_int_value (builder, mend_log_analyzer_get_finding_count (analyzer, finding));
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  mend_cli_json_print (builder);
}

static const char *
severity_mark (MendSeverity severity)
{
  switch (severity)
    {
    case MEND_SEVERITY_ERROR:
      return "✗";
    case MEND_SEVERITY_WARNING:
      return "!";
    case MEND_SEVERITY_INFO:
    default:
      return "✓";
    }
}

static void
append_indented (GString    *out,
                 const char *indent,
                 const char *text)
{
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);

  for (guint i = 0; lines[i] != NULL; i++)
    g_string_append_printf (out, "%s%s\n", indent, lines[i]);
}

static void
print_text (MendLogAnalyzer *analyzer)
{
  g_autoptr(GString) out = g_string_new (NULL);
  const char *name = mend_log_format_get_name (mend_log_analyzer_get_format (analyzer));
  guint64 n_lines = mend_log_analyzer_get_n_lines (analyzer);
  g_autofree char *count = g_strdup_printf ("%" G_GUINT64_FORMAT, n_lines);
  GPtrArray *findings = mend_log_analyzer_get_findings (analyzer);

  g_string_append_printf (out,
                          /* Translators: the first %s is the kind of log, such as
                           * “Thunderbird (MOZ_LOG)” or “unknown format”; the second a
                           * number of lines. */
                          g_dngettext (GETTEXT_PACKAGE, "Log: %s, %s line", "Log: %s, %s lines",
                                       (gulong) MIN (n_lines, G_MAXULONG)),
                          name ? name : _("unknown format"), count);
  g_string_append (out, "\n");

  for (guint i = 0; i < findings->len; i++)
    {
      MendFinding *finding = g_ptr_array_index (findings, i);
      g_autofree char *details = mend_redact_text (mend_finding_get_details (finding));

      g_string_append_printf (out, "\n%s %s\n", severity_mark (mend_finding_get_severity (finding)),
                              mend_finding_get_title (finding));
      append_indented (out, "  ", mend_finding_get_explanation (finding));
      append_indented (out, "  ", mend_finding_get_remedy (finding));
      if (mend_finding_get_link (finding) != NULL)
        append_indented (out, "  ", mend_finding_get_link (finding));
      if (details != NULL)
        append_indented (out, "    ", details);
    }

  g_print ("%s", out->str);
}

static gboolean
read_log (MendLogAnalyzer  *analyzer,
          const char       *path,
          GError          **error)
{
  g_autofree char *buffer = g_malloc (READ_CHUNK);
  gboolean from_stdin = g_str_equal (path, "-");
  int fd;

  fd = from_stdin ? STDIN_FILENO : g_open (path, O_RDONLY | O_CLOEXEC, 0);
  if (fd < 0)
    {
      int saved_errno = errno;

      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved_errno),
                   /* Translators: the first %s is a file name, the second why it cannot be read. */
                   _("Cannot read %s: %s"), path, g_strerror (saved_errno));
      return FALSE;
    }

  for (;;)
    {
      gssize n_read = read (fd, buffer, READ_CHUNK);

      if (n_read < 0 && errno == EINTR)
        continue;

      if (n_read < 0)
        {
          int saved_errno = errno;

          g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved_errno),
                       _("Cannot read %s: %s"), from_stdin ? _("the standard input") : path,
                       g_strerror (saved_errno));
          if (!from_stdin)
            g_close (fd, NULL);
          return FALSE;
        }

      if (n_read == 0)
        break;

      mend_log_analyzer_feed (analyzer, buffer, n_read);
    }

  if (!from_stdin)
    g_close (fd, NULL);

  mend_log_analyzer_finish (analyzer);

  return TRUE;
}

/**
 * mend_cli_analyze_log:
 *
 * `mailmend analyze-log FILE|- [--json]`: what a mail client's log shows. Exits 0 when it shows
 * no known problem, 1 when it shows one (a finding of severity warning or error) or cannot be
 * read, 2 on a usage error.
 */
int
mend_cli_analyze_log (const MendCliCommand  *command,
                      int                    argc,
                      char                 **argv)
{
  g_autoptr(GOptionContext) option_context = mend_cli_option_context_new (command);
  g_autoptr(MendLogAnalyzer) analyzer = NULL;
  g_autoptr(GError) error = NULL;
  gboolean json = FALSE;
  GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    { NULL }
  };

  g_option_context_add_main_entries (option_context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (option_context, &argc, &argv, &error))
    return mend_cli_usage_error (command, error->message);
  if (argc != 2)
    return mend_cli_usage_error (command,
                                 _("Give one log file, or “-” for the standard input."));

  analyzer = mend_log_analyzer_new ();
  if (!read_log (analyzer, argv[1], &error))
    {
      g_printerr ("mailmend: %s\n", error->message);
      return MEND_CLI_EXIT_FAILURE;
    }

  if (json)
    print_json (analyzer);
  else
    print_text (analyzer);

  return mend_log_analyzer_found_problem (analyzer) ? MEND_CLI_EXIT_FAILURE : MEND_CLI_EXIT_OK;
}
