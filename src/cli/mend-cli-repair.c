/* mend-cli-repair.c: `mailmend repair ACCOUNT-ID… | --all [--dry-run] [--yes] [--json]`
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Scans, plans each account, shows what would change, asks (in a terminal, without --yes),
 * then applies each plan through the journal, which keeps a backup for `mailmend undo`.
 * Each account is planned right before it is applied, so two accounts in one file (msmtp's
 * accounts in one ~/.msmtprc) each see the file as the one before left it.
 *
 * An account that cannot be repaired (no OAuth path, no sign-in stored, nothing to change…)
 * is skipped with its finding; only a repair that was tried and failed (the client runs, the
 * file changed, a write failed) makes the command exit 1.
 */

#include "config.h"

#include <stdio.h>
#include <unistd.h>

#include <glib/gi18n.h>

#include "mend-cli.h"
#include "mend-cli-json.h"
#include "mend-journal.h"
#include "mend-oauth-settings.h"
#include "mend-repairer.h"
#include "mend-token-store.h"

typedef struct
{
  gboolean   dry_run;
  gboolean   yes;
  gboolean   json;

  /* JSON output, filled as the plans go */
  JsonBuilder *applied;
  JsonBuilder *skipped;
  JsonBuilder *failed;
  JsonBuilder *planned;
  gboolean     any_failed;
} Run;

/* The addresses with a sign-in in the keyring, read once per run. Without the keyring
 * none can be found: token-command apps are then skipped with `signin-needed`, and the
 * others are repaired all the same. */
static GPtrArray *
list_signed_in_addresses (void)
{
  g_autoptr(MendTokenStore) store = mend_token_store_new ();
  g_autoptr(GPtrArray) tokens = NULL;
  g_autoptr(GError) error = NULL;
  GPtrArray *addresses = g_ptr_array_new_with_free_func (g_free);

  tokens = mend_token_store_list_sync (store, NULL, NULL, &error);
  if (tokens == NULL)
    {
      g_autoptr(MendFinding) finding = mend_token_store_error_to_finding (error);

      if (finding != NULL)
        mend_cli_print_finding (finding);
      else
        g_printerr ("mailmend: %s\n", error->message);
      return addresses;
    }

  for (guint i = 0; i < tokens->len; i++)
    {
      const char *address = mend_oauth_token_get_address (g_ptr_array_index (tokens, i));

      if (address != NULL)
        g_ptr_array_add (addresses, g_strdup (address));
    }

  return addresses;
}

static MendRepairContext *
new_repair_context (MendScanContext *scan_context,
                    GPtrArray       *signed_in)
{
  g_autoptr(MendRepairContext) context = mend_repair_context_new (scan_context);
  g_autoptr(MendOAuthSettings) settings = NULL;
  g_autofree char *self_path = NULL;

  settings = mend_oauth_settings_new_from_gsettings (NULL);
  if (settings != NULL && mend_oauth_settings_has_client_id (settings))
    mend_repair_context_set_client_id (context, mend_oauth_settings_get_client_id (settings));

  for (guint i = 0; i < signed_in->len; i++)
    mend_repair_context_add_signed_in_address (context, g_ptr_array_index (signed_in, i));

  self_path = g_file_read_link ("/proc/self/exe", NULL);
  mend_repair_context_detect_token_program (context, self_path ? self_path : BINDIR "/mailmend");

  return g_steal_pointer (&context);
}

/* For the messages: an account without an address (a server set up by host only) shows a dash. */
static const char *
shown_address (MendRepairPlan *plan)
{
  const char *address = mend_repair_plan_get_address (plan);

  return address != NULL ? address : "—";
}

static void
add_files (JsonBuilder *builder,
           GPtrArray   *edits)
{
  json_builder_set_member_name (builder, "files");
  json_builder_begin_array (builder);
  for (guint i = 0; i < edits->len; i++)
    json_builder_add_string_value (builder, mend_file_edit_get_path (g_ptr_array_index (edits, i)));
  json_builder_end_array (builder);
}

static void
add_result (JsonBuilder    *builder,
            MendRepairPlan *plan,
            GPtrArray      *findings)
{
  json_builder_begin_object (builder);
  mend_cli_json_add_string (builder, "account_id", mend_repair_plan_get_account_id (plan));
  mend_cli_json_add_string (builder, "client", mend_repair_plan_get_client_id (plan));
  mend_cli_json_add_string (builder, "address", mend_repair_plan_get_address (plan));
  mend_cli_json_add_findings (builder, findings);
  json_builder_end_object (builder);
}

static void
add_planned (JsonBuilder    *builder,
             MendRepairPlan *plan,
             GPtrArray      *edits)
{
  const char * const *notes = mend_repair_plan_get_notes (plan);

  json_builder_begin_object (builder);
  mend_cli_json_add_string (builder, "account_id", mend_repair_plan_get_account_id (plan));
  mend_cli_json_add_string (builder, "client", mend_repair_plan_get_client_id (plan));
  mend_cli_json_add_string (builder, "address", mend_repair_plan_get_address (plan));
  add_files (builder, edits);
  json_builder_set_member_name (builder, "diffs");
  json_builder_begin_array (builder);
  for (guint i = 0; i < edits->len; i++)
    {
      g_autofree char *diff = mend_file_edit_dup_display_diff (g_ptr_array_index (edits, i));

      json_builder_add_string_value (builder, diff);
    }
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "must_close");
  json_builder_add_boolean_value (builder, mend_repair_plan_get_must_close (plan));
  json_builder_set_member_name (builder, "notes");
  json_builder_begin_array (builder);
  for (guint i = 0; notes[i] != NULL; i++)
    json_builder_add_string_value (builder, notes[i]);
  json_builder_end_array (builder);
  /* What stands in the way, such as the client running. */
  mend_cli_json_add_findings (builder, mend_repair_plan_get_findings (plan));
  json_builder_end_object (builder);
}

static void
print_plan_header (MendRepairPlan *plan)
{
  /* Translators: an address, its mail app, and the account id. */
  g_print (_("%s in %s (%s)\n"),
           shown_address (plan),
           mend_repair_plan_get_client_name (plan), mend_repair_plan_get_account_id (plan));
}

static void
print_plan (MendRepairPlan *plan,
            GPtrArray      *edits)
{
  const char * const *notes = mend_repair_plan_get_notes (plan);

  print_plan_header (plan);
  for (guint i = 0; i < edits->len; i++)
    {
      g_autofree char *diff = mend_file_edit_dup_display_diff (g_ptr_array_index (edits, i));

      g_print ("%s", diff);
    }
  if (mend_repair_plan_get_must_close (plan))
    /* Translators: %s is a mail app. */
    g_print (_("Close %s first.\n"), mend_repair_plan_get_client_name (plan));
  for (guint i = 0; notes[i] != NULL; i++)
    g_print ("%s\n", notes[i]);
  g_print ("\n");
}

static void
print_skipped (MendRepairPlan *plan,
               GPtrArray      *findings)
{
  if (findings->len == 0)
    return;

  /* Translators: an address, its mail app, and the account id; then why it is left as it is. */
  g_printerr (_("Skipped %s in %s (%s):\n"),
              shown_address (plan),
              mend_repair_plan_get_client_name (plan), mend_repair_plan_get_account_id (plan));
  for (guint i = 0; i < findings->len; i++)
    mend_cli_print_finding (g_ptr_array_index (findings, i));
}

static gboolean
confirm (void)
{
  char answer[16] = { 0, };

  /* Translators: the answer is read as yes when it starts with the first letter of the
   * word “yes” in this language, or with “y”. */
  g_print ("%s ", _("Apply these changes? [y/N]"));
  fflush (stdout);
  if (fgets (answer, sizeof answer, stdin) == NULL)
    return FALSE;

  return answer[0] == 'y' || answer[0] == 'Y' ||
         g_str_has_prefix (answer, C_("first letter of yes", "y"));
}

static void
apply_plan (Run            *run,
            MendJournal    *journal,
            MendRepairPlan *plan,
            GPtrArray      *edits)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *change_id = NULL;

  if (mend_journal_apply (journal, plan, &change_id, &error))
    {
      const char * const *notes = mend_repair_plan_get_notes (plan);

      json_builder_begin_object (run->applied);
      mend_cli_json_add_string (run->applied, "change_id", change_id);
      mend_cli_json_add_string (run->applied, "account_id", mend_repair_plan_get_account_id (plan));
      mend_cli_json_add_string (run->applied, "client", mend_repair_plan_get_client_id (plan));
      mend_cli_json_add_string (run->applied, "address", mend_repair_plan_get_address (plan));
      add_files (run->applied, edits);
      json_builder_end_object (run->applied);

      if (!run->json)
        {
          /* Translators: an address, its mail app, then the change id for “mailmend undo”. */
          g_print (_("Repaired %s in %s (change %s)\n"),
                   shown_address (plan),
                   mend_repair_plan_get_client_name (plan), change_id);
          for (guint i = 0; notes[i] != NULL; i++)
            g_print ("  %s\n", notes[i]);
        }
    }
  else
    {
      g_autoptr(MendFinding) finding = mend_repair_error_to_finding (error);
      g_autoptr(GPtrArray) findings = g_ptr_array_new ();

      g_ptr_array_add (findings, finding);
      add_result (run->failed, plan, findings);
      run->any_failed = TRUE;
      if (!run->json)
        {
          /* Translators: an address and its mail app. */
          g_printerr (_("Could not repair %s in %s:\n"),
                      shown_address (plan),
                      mend_repair_plan_get_client_name (plan));
          mend_cli_print_finding (finding);
        }
    }
}

/* Sorts one plan: skipped, failed before it was tried (the client runs), shown (dry run), or
 * applied. */
static void
handle_plan (Run            *run,
             MendJournal    *journal,
             MendRepairPlan *plan)
{
  g_autoptr(GPtrArray) edits = mend_repair_plan_dup_edits (plan);
  GPtrArray *findings = mend_repair_plan_get_findings (plan);

  /* A dry run shows what would change even for an account waiting for a sign-in. */
  if (mend_repairer_plan_is_skipped (plan) && !(run->dry_run && edits->len > 0))
    {
      add_result (run->skipped, plan, findings);
      if (!run->json)
        print_skipped (plan, findings);
      return;
    }

  if (run->dry_run)
    {
      add_planned (run->planned, plan, edits);
      if (!run->json)
        {
          print_plan (plan, edits);
          for (guint i = 0; i < findings->len; i++)
            mend_cli_print_finding (g_ptr_array_index (findings, i));
        }
      return;
    }

  if (findings->len > 0)
    {
      add_result (run->failed, plan, findings);
      run->any_failed = TRUE;
      if (!run->json)
        {
          g_printerr (_("Could not repair %s in %s:\n"),
                      shown_address (plan),
                      mend_repair_plan_get_client_name (plan));
          for (guint i = 0; i < findings->len; i++)
            mend_cli_print_finding (g_ptr_array_index (findings, i));
        }
      return;
    }

  apply_plan (run, journal, plan, edits);
}

static MendRepairer *
new_repairer (GPtrArray *signed_in)
{
  g_autoptr(MendScanContext) scan_context = mend_cli_new_scan_context (NULL);
  g_autoptr(MendScanner) scanner = mend_scanner_new ();
  g_autoptr(MendRepairContext) context = NULL;

  mend_scanner_scan (scanner, scan_context);
  context = new_repair_context (scan_context, signed_in);

  return mend_repairer_new (scanner, context);
}

/* The account ids of every account to repair: those given, or with --all those of every
 * Microsoft account still without OAuth 2.0. */
static GPtrArray *
collect_account_ids (gboolean    all,
                     char      **ids,
                     GPtrArray  *signed_in)
{
  GPtrArray *account_ids = g_ptr_array_new_with_free_func (g_free);

  if (all)
    {
      g_autoptr(MendRepairer) repairer = new_repairer (signed_in);
      g_autoptr(GPtrArray) plans = mend_repairer_plan_all (repairer);

      for (guint i = 0; i < plans->len; i++)
        g_ptr_array_add (account_ids,
                         g_strdup (mend_repair_plan_get_account_id (g_ptr_array_index (plans, i))));
    }

  for (guint i = 0; ids != NULL && ids[i] != NULL; i++)
    g_ptr_array_add (account_ids, g_strdup (ids[i]));

  return account_ids;
}

static void
begin_array (JsonBuilder **builder)
{
  *builder = json_builder_new ();
  json_builder_begin_array (*builder);
}

static void
add_array (JsonBuilder *builder,
           const char  *member,
           JsonBuilder *array)
{
  g_autoptr(JsonNode) node = NULL;

  json_builder_end_array (array);
  node = json_builder_get_root (array);
  json_builder_set_member_name (builder, member);
  json_builder_add_value (builder, g_steal_pointer (&node));
}

int
mend_cli_repair (const MendCliCommand  *command,
                 int                    argc,
                 char                 **argv)
{
  g_autoptr(GOptionContext) option_context = mend_cli_option_context_new (command);
  g_autoptr(MendJournal) journal = NULL;
  g_autoptr(GPtrArray) account_ids = NULL;
  g_autoptr(GPtrArray) signed_in = NULL;
  g_autoptr(GPtrArray) unknown = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  gboolean all = FALSE;
  Run run = { 0, };
  GOptionEntry entries[] = {
    { "all", 0, 0, G_OPTION_ARG_NONE, &all,
      N_("Repair every Microsoft account that still uses a password"), NULL },
    { "dry-run", 0, 0, G_OPTION_ARG_NONE, &run.dry_run,
      N_("Show what would change, and change nothing"), NULL },
    { "yes", 'y', 0, G_OPTION_ARG_NONE, &run.yes, N_("Do not ask before changing files"), NULL },
    { "json", 0, 0, G_OPTION_ARG_NONE, &run.json, N_("Print JSON"), NULL },
    { NULL }
  };

  g_option_context_add_main_entries (option_context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (option_context, &argc, &argv, &error))
    return mend_cli_usage_error (command, error->message);
  if (!all && argc < 2)
    return mend_cli_usage_error (command, _("Give the ids of the accounts to repair, or --all. "
                                            "“mailmend scan --json” lists the ids."));
  if (!run.dry_run && !run.yes && (run.json || !isatty (STDIN_FILENO)))
    return mend_cli_usage_error (command, _("Add --yes to change files without being asked, or "
                                            "--dry-run to only see the changes."));

  journal = mend_journal_new (NULL);
  signed_in = list_signed_in_addresses ();
  account_ids = collect_account_ids (all, argv + 1, signed_in);

  /* Without --yes, everything is shown and agreed to first. Each account is planned again
   * right before it is applied (see the top): the same changes, unless a file changed in
   * the meantime, which the journal refuses (`config-changed`) when it did between the
   * planning and the writing. */
  if (!run.dry_run && !run.yes)
    {
      g_autoptr(MendRepairer) repairer = new_repairer (signed_in);
      guint to_apply = 0;

      for (guint i = 0; i < account_ids->len; i++)
        {
          g_autoptr(MendRepairPlan) plan = mend_repairer_plan (repairer,
                                                               g_ptr_array_index (account_ids, i),
                                                               NULL);
          g_autoptr(GPtrArray) edits = NULL;

          if (plan == NULL || !mend_repair_plan_can_apply (plan))
            continue;
          edits = mend_repair_plan_dup_edits (plan);
          print_plan (plan, edits);
          to_apply++;
        }

      if (to_apply > 0 && !confirm ())
        {
          g_printerr ("%s\n", _("Nothing was changed."));
          return MEND_CLI_EXIT_OK;
        }
    }

  begin_array (&run.applied);
  begin_array (&run.skipped);
  begin_array (&run.failed);
  begin_array (&run.planned);

  for (guint i = 0; i < account_ids->len; i++)
    {
      const char *account_id = g_ptr_array_index (account_ids, i);
      g_autoptr(MendRepairer) repairer = new_repairer (signed_in);
      g_autoptr(MendRepairPlan) plan = NULL;
      g_autoptr(GError) plan_error = NULL;

      plan = mend_repairer_plan (repairer, account_id, &plan_error);
      if (plan == NULL)
        {
          g_printerr ("mailmend: %s\n", plan_error->message);
          g_ptr_array_add (unknown, g_strdup (account_id));
          continue;
        }

      handle_plan (&run, journal, plan);
    }

  if (run.json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      json_builder_begin_object (builder);
      if (run.dry_run)
        add_array (builder, "planned", run.planned);
      else
        add_array (builder, "applied", run.applied);
      add_array (builder, "skipped", run.skipped);
      add_array (builder, "failed", run.failed);
      json_builder_end_object (builder);
      mend_cli_json_print (builder);
    }
  else if (account_ids->len == 0)
    {
      g_print ("%s\n", _("No Microsoft account needs repairing."));
    }

  g_clear_object (&run.applied);
  g_clear_object (&run.skipped);
  g_clear_object (&run.failed);
  g_clear_object (&run.planned);

  if (unknown->len > 0)
    return MEND_CLI_EXIT_USAGE;

  return run.any_failed ? MEND_CLI_EXIT_FAILURE : MEND_CLI_EXIT_OK;
}
