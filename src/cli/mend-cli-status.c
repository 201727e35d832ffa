/* mend-cli-status.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "mend-cli-status"

#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>

#include "mend-cli.h"
#include "mend-cli-json.h"
#include "mend-service-status.h"

static void
add_service (JsonBuilder             *builder,
             const MendServiceHealth *health)
{
  json_builder_begin_object (builder);
  mend_cli_json_add_string (builder, "name", health->name);
  mend_cli_json_add_string (builder, "workload", health->workload);
  mend_cli_json_add_string (builder, "status", health->status);
  mend_cli_json_add_string (builder, "state", mend_service_state_to_string (health->state));
  json_builder_set_member_name (builder, "incident");
  json_builder_add_boolean_value (builder, health->incident);
  mend_cli_json_add_string (builder, "title", health->title);
  mend_cli_json_add_string (builder, "message", health->message);
  json_builder_end_object (builder);
}

/**
 * mend_cli_status_add_json:
 *
 * Adds @report as an object, the shape of `mailmend status --json` (also a member of
 * `mailmend diagnose --json`).
 */
void
mend_cli_status_add_json (JsonBuilder      *builder,
                          MendStatusReport *report)
{
  g_autofree char *checked_at = NULL;
  GPtrArray *services = mend_status_report_get_services (report);

  if (mend_status_report_get_checked_at (report) != NULL)
    checked_at = g_date_time_format_iso8601 (mend_status_report_get_checked_at (report));

  json_builder_begin_object (builder);
  mend_cli_json_add_string (builder, "state",
                            mend_service_state_to_string (mend_status_report_get_state (report)));
  mend_cli_json_add_string (builder, "checked_at", checked_at);
  mend_cli_json_add_string (builder, "link", MEND_SERVICE_STATUS_PAGE_URL);
  json_builder_set_member_name (builder, "services");
  json_builder_begin_array (builder);
  for (guint i = 0; i < services->len; i++)
    add_service (builder, g_ptr_array_index (services, i));
  json_builder_end_array (builder);
  /* The findings have the shape of `mailmend scan`'s. */
  mend_cli_json_add_findings (builder, mend_status_report_get_findings (report));
  json_builder_end_object (builder);
}

static const char *
state_mark (MendServiceState state)
{
  switch (state)
    {
    case MEND_SERVICE_STATE_OK:
      return "✓";
    case MEND_SERVICE_STATE_DEGRADED:
      return "!";
    case MEND_SERVICE_STATE_UNKNOWN:
    default:
      return "?";
    }
}

/* Appends @text with every line indented by @indent. */
static void
append_indented (GString    *out,
                 const char *indent,
                 const char *text)
{
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);

  for (guint i = 0; lines[i] != NULL; i++)
    {
      if (lines[i][0] != '\0')
        g_string_append_printf (out, "%s%s\n", indent, lines[i]);
      else
        g_string_append_c (out, '\n');
    }
}

/**
 * mend_cli_status_append_text:
 *
 * Appends @report as `mailmend status` prints it.
 */
void
mend_cli_status_append_text (GString          *out,
                             MendStatusReport *report)
{
  MendFinding *finding = g_ptr_array_index (mend_status_report_get_findings (report), 0);
  MendServiceHealth *outlook = mend_status_report_get_outlook (report);
  GDateTime *checked_at = mend_status_report_get_checked_at (report);

  g_string_append_printf (out, "%s %s\n", state_mark (mend_status_report_get_state (report)),
                          mend_finding_get_title (finding));
  append_indented (out, "  ", mend_finding_get_explanation (finding));

  if (outlook != NULL && outlook->incident && (outlook->title != NULL || outlook->message != NULL))
    {
      g_string_append_printf (out, "\n  %s\n", _("Microsoft’s message:"));
      if (outlook->title != NULL)
        append_indented (out, "    ", outlook->title);
      if (outlook->message != NULL)
        append_indented (out, "    ", outlook->message);
    }

  /* Why the status is unknown, for support staff. */
  if (mend_status_report_get_state (report) == MEND_SERVICE_STATE_UNKNOWN &&
      mend_finding_get_details (finding) != NULL)
    append_indented (out, "  ", mend_finding_get_details (finding));

  if (mend_finding_get_remedy (finding)[0] != '\0')
    {
      g_string_append_c (out, '\n');
      append_indented (out, "  ", mend_finding_get_remedy (finding));
    }

  if (checked_at != NULL)
    {
      g_autoptr(GDateTime) local = g_date_time_to_local (checked_at);
      g_autofree char *hour = g_date_time_format (local, "%H:%M");
      g_autofree char *line = NULL;

      /* Translators: the first %s is a time of day, such as “14:05”, the second the address
       * of Microsoft's status page. */
      line = g_strdup_printf (_("Microsoft’s status at %s: %s"), hour, MEND_SERVICE_STATUS_PAGE_URL);
      g_string_append_printf (out, "\n  %s\n", line);
    }
}

static void
on_checked (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

/**
 * mend_cli_status:
 *
 * `mailmend status [--json]`: how Microsoft says Outlook.com is doing. Informative only: it
 * exits 0 whatever the status, also when it is unknown (see README).
 */
int
mend_cli_status (const MendCliCommand  *command,
                 int                    argc,
                 char                 **argv)
{
  g_autoptr(GOptionContext) option_context = mend_cli_option_context_new (command);
  g_autoptr(MendServiceStatus) status = NULL;
  g_autoptr(MendStatusReport) report = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  gboolean json = FALSE;
  GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    { NULL }
  };

  g_option_context_add_main_entries (option_context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (option_context, &argc, &argv, &error))
    return mend_cli_usage_error (command, error->message);
  if (argc > 1)
    return mend_cli_usage_error (command, _("The status takes no arguments."));

  /* MAILMEND_STATUS_URL replaces Microsoft's address, for tests. */
  status = mend_service_status_new ();
  mend_service_status_check_async (status, NULL, on_checked, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);

  /* Never cancelled here, so never an error: a failure is an unknown status. */
  report = mend_service_status_check_finish (status, result, &error);
  g_assert (report != NULL);

  if (json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      mend_cli_status_add_json (builder, report);
      mend_cli_json_print (builder);
    }
  else
    {
      g_autoptr(GString) out = g_string_new (NULL);

      mend_cli_status_append_text (out, report);
      g_print ("%s", out->str);
    }

  return MEND_CLI_EXIT_OK;
}
