/* mend-cli-undo.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "mend-cli-undo"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "mend-cli.h"
#include "mend-journal.h"

typedef enum
{
  UNDONE,
  NOTHING_TO_UNDO,
  REFUSED,
} Outcome;

static Outcome
undo_change (MendJournal *journal,
             const char  *change_id)
{
  g_autoptr(MendChange) change = NULL;
  g_autoptr(GError) error = NULL;

  if (!mend_journal_undo (journal, change_id, &error))
    {
      g_autoptr(MendFinding) finding = mend_repair_error_to_finding (error);
      g_autofree char *message = NULL;
      const char *details;

      if (g_error_matches (error, MEND_REPAIR_ERROR, MEND_REPAIR_ERROR_NOT_APPLIED))
        {
          /* Translators: %s is a change id. */
          g_print (_("Nothing to undo: change %s was already undone, or it never took "
                     "effect.\n"),
                   change_id);
          return NOTHING_TO_UNDO;
        }

      /* Translators: a change id, then why it could not be undone. */
      message = g_strdup_printf (_("Could not undo change %s: %s"), change_id,
                                 mend_finding_get_title (finding));
      g_printerr ("mailmend: %s\n", message);
      details = mend_finding_get_details (finding);
      if (details != NULL && strstr (message, details) == NULL &&
          strstr (mend_finding_get_explanation (finding), details) == NULL)
        g_printerr ("%s\n", details);
      g_printerr ("%s\n", mend_finding_get_explanation (finding));
      if (*mend_finding_get_remedy (finding) != '\0')
        g_printerr ("%s\n", mend_finding_get_remedy (finding));
      return REFUSED;
    }

  /* Translators: %s is a change id; the files follow, one per line. */
  g_print (_("Undid change %s. These files are back as they were:\n"), change_id);
  if ((change = mend_journal_get_change (journal, change_id, NULL)) != NULL)
    {
      const char * const *files = mend_change_get_files (change);

      for (guint i = 0; files[i] != NULL; i++)
        g_print ("    %s\n", files[i]);
    }

  return UNDONE;
}

/* The changes still in effect, newest first. */
static GPtrArray *
list_applied (MendJournal  *journal,
              GError      **error)
{
  g_autoptr(GPtrArray) changes = mend_journal_list_changes (journal, error);
  GPtrArray *applied;

  if (changes == NULL)
    return NULL;

  applied = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < changes->len; i++)
    {
      MendChange *change = g_ptr_array_index (changes, i);

      if (mend_change_get_state (change) == MEND_CHANGE_STATE_APPLIED)
        g_ptr_array_add (applied, g_object_ref (change));
    }

  return applied;
}

/**
 * mend_cli_undo:
 *
 * `mailmend undo [CHANGE-ID | --all]`: puts back the files of a change as they were before
 * it; without an id, the latest change still in effect; with `--all`, every one, newest first.
 * Exits 0 when everything asked was undone or there was nothing to undo, 1 when an undo was
 * refused or failed, 2 on a usage error.
 */
int
mend_cli_undo (const MendCliCommand  *command,
               int                    argc,
               char                 **argv)
{
  g_autoptr(GOptionContext) option_context = mend_cli_option_context_new (command);
  g_autoptr(MendJournal) journal = NULL;
  g_autoptr(GPtrArray) applied = NULL;
  g_autoptr(GError) error = NULL;
  gboolean all = FALSE;
  gboolean refused = FALSE;
  GOptionEntry entries[] = {
    { "all", 0, 0, G_OPTION_ARG_NONE, &all, N_("Undo every change, newest first"), NULL },
    { NULL }
  };

  g_option_context_add_main_entries (option_context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (option_context, &argc, &argv, &error))
    return mend_cli_usage_error (command, error->message);
  if (argc > 2 || (all && argc > 1))
    return mend_cli_usage_error (command, _("Give one change id, or --all."));

  journal = mend_journal_new (NULL);
  mend_cli_report_recovered (journal);

  if (argc == 2)
    return undo_change (journal, argv[1]) == REFUSED ? MEND_CLI_EXIT_FAILURE : MEND_CLI_EXIT_OK;

  if ((applied = list_applied (journal, &error)) == NULL)
    {
      g_autoptr(MendFinding) finding = mend_repair_error_to_finding (error);

      mend_cli_print_finding (finding);
      return MEND_CLI_EXIT_FAILURE;
    }

  if (applied->len == 0)
    {
      g_print ("%s\n", _("Nothing to undo."));
      return MEND_CLI_EXIT_OK;
    }

  /* A refused undo does not stop the others: they may be of other files. */
  for (guint i = 0; i < (all ? applied->len : 1); i++)
    {
      if (undo_change (journal, mend_change_get_id (g_ptr_array_index (applied, i))) == REFUSED)
        refused = TRUE;
    }

  return refused ? MEND_CLI_EXIT_FAILURE : MEND_CLI_EXIT_OK;
}
