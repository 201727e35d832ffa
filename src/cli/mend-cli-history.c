/* mend-cli-history.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "mend-cli-history"

#include "config.h"

#include <glib/gi18n.h>

#include "mend-cli.h"
#include "mend-cli-json.h"
#include "mend-journal.h"

static char *
format_utc (GDateTime *time)
{
  return time != NULL ? g_date_time_format (time, "%Y-%m-%dT%H:%M:%SZ") : NULL;
}

static void
add_paths (JsonBuilder        *builder,
           const char         *member,
           const char * const *paths)
{
  json_builder_set_member_name (builder, member);
  json_builder_begin_array (builder);
  for (guint i = 0; paths[i] != NULL; i++)
    json_builder_add_string_value (builder, paths[i]);
  json_builder_end_array (builder);
}

static void
print_json (GPtrArray *changes)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "changes");
  json_builder_begin_array (builder);
  for (guint i = 0; i < changes->len; i++)
    {
      MendChange *change = g_ptr_array_index (changes, i);
      g_autofree char *time = format_utc (mend_change_get_time (change));
      g_autofree char *undone_time = format_utc (mend_change_get_undone_time (change));

      json_builder_begin_object (builder);
      mend_cli_json_add_string (builder, "id", mend_change_get_id (change));
      mend_cli_json_add_string (builder, "time", time);
      mend_cli_json_add_string (builder, "account_id", mend_change_get_account_id (change));
      mend_cli_json_add_string (builder, "client", mend_change_get_client_id (change));
      mend_cli_json_add_string (builder, "address", mend_change_get_address (change));
      add_paths (builder, "files", mend_change_get_files (change));
      add_paths (builder, "backups", mend_change_get_backups (change));
      mend_cli_json_add_string (builder, "state",
                                mend_change_state_to_string (mend_change_get_state (change)));
      json_builder_set_member_name (builder, "undone");
      json_builder_add_boolean_value (builder, mend_change_get_undone (change));
      mend_cli_json_add_string (builder, "undone_time", undone_time);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  mend_cli_json_print (builder);
}

static const char *
describe_state (MendChangeState state)
{
  switch (state)
    {
    case MEND_CHANGE_STATE_APPLIED:
      /* Translators: the state of a change in “mailmend history”. */
      return _("applied");
    case MEND_CHANGE_STATE_UNDONE:
      /* Translators: the state of a change in “mailmend history”. */
      return _("undone");
    case MEND_CHANGE_STATE_ROLLED_BACK:
      /* Translators: the state of a change in “mailmend history”: it failed and every file
       * was put back as it was. */
      return _("not applied");
    case MEND_CHANGE_STATE_PENDING:
    case MEND_CHANGE_STATE_UNDOING:
    default:
      /* Translators: the state of a change in “mailmend history”: it was cut short and its
       * files still have to be put back. */
      return _("interrupted");
    }
}

static void
print_text (GPtrArray *changes)
{
  if (changes->len == 0)
    {
      g_print ("%s\n", _("Mailmend has not changed any file."));
      return;
    }

  for (guint i = 0; i < changes->len; i++)
    {
      MendChange *change = g_ptr_array_index (changes, i);
      const char * const *files = mend_change_get_files (change);
      g_autoptr(GDateTime) local = g_date_time_to_local (mend_change_get_time (change));
      g_autofree char *time = g_date_time_format (local, "%Y-%m-%d %H:%M");
      const char *address = mend_change_get_address (change);

      /* The id, the local time, the mail app, the address and the state; then the files. */
      g_print ("%s  %s  %s  %s  %s\n", mend_change_get_id (change), time,
               mend_change_get_client_name (change), address != NULL ? address : "—",
               describe_state (mend_change_get_state (change)));
      for (guint j = 0; files[j] != NULL; j++)
        g_print ("    %s\n", files[j]);
    }
}

/**
 * mend_cli_report_recovered:
 * @journal: the journal
 *
 * Resolves the changes a crash left halfway (see mend_journal_recover()) and says so on
 * stderr. A journal that cannot be resolved is reported too, and left for the command to
 * deal with.
 */
void
mend_cli_report_recovered (MendJournal *journal)
{
  g_autoptr(GPtrArray) resolved = NULL;
  g_autoptr(GError) error = NULL;

  if ((resolved = mend_journal_recover (journal, &error)) == NULL)
    {
      g_autoptr(MendFinding) finding = mend_repair_error_to_finding (error);

      if (finding != NULL)
        mend_cli_print_finding (finding);
      return;
    }

  for (guint i = 0; i < resolved->len; i++)
    {
      MendChange *change = g_ptr_array_index (resolved, i);
      g_autofree char *message = NULL;

      if (mend_change_get_undone (change))
        /* Translators: %s is a change id. */
        message = g_strdup_printf (_("Undoing change %s was interrupted; it is now finished."),
                                   mend_change_get_id (change));
      else
        /* Translators: %s is a change id. */
        message = g_strdup_printf (_("Change %s was interrupted; its files were put back as "
                                     "they were."),
                                   mend_change_get_id (change));
      g_printerr ("mailmend: %s\n", message);
    }
}

/**
 * mend_cli_history:
 *
 * `mailmend history [--json]`: the changes Mailmend made, newest first. Exits 0, or 1 when
 * the journal cannot be read.
 */
int
mend_cli_history (const MendCliCommand  *command,
                  int                    argc,
                  char                 **argv)
{
  g_autoptr(GOptionContext) option_context = mend_cli_option_context_new (command);
  g_autoptr(MendJournal) journal = NULL;
  g_autoptr(GPtrArray) changes = NULL;
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
    return mend_cli_usage_error (command, _("The history command takes no arguments."));

  journal = mend_journal_new (NULL);
  mend_cli_report_recovered (journal);

  if ((changes = mend_journal_list_changes (journal, &error)) == NULL)
    {
      g_autoptr(MendFinding) finding = mend_repair_error_to_finding (error);

      mend_cli_print_finding (finding);
      return MEND_CLI_EXIT_FAILURE;
    }

  if (json)
    print_json (changes);
  else
    print_text (changes);

  return MEND_CLI_EXIT_OK;
}
