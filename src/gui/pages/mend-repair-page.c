/* mend-repair-page.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "mend-repair-page"

#include "config.h"

#include <adwaita.h>
#include <gio/gdesktopappinfo.h>
#include <glib/gi18n.h>

#include "mend-account-group.h"
#include "mend-file-edit.h"
#include "mend-journal.h"
#include "mend-oauth-settings.h"
#include "mend-repair-page-private.h"
#include "mend-repair-row.h"
#include "mend-repairer.h"
#include "mend-token-store.h"

/* The Repair step. For the accounts chosen on the Accounts step it scans again and lists the
 * keyring's sign-ins (the files may have changed since, and the user may have just signed
 * in), then shows one plan per account: what will change, and what the user must do first.
 * Apply hands the plans, one after the other, to the journal, which keeps a backup of each
 * file; each result has an Undo. Scanning, planning and writing all happen in worker
 * threads; a change that a crash left unfinished is put back before planning.
 *
 * Two accounts may live in one file (msmtp's accounts in ~/.msmtprc): an account whose file
 * was written by an earlier one in the same Apply is planned again first, so that it starts
 * from the file as the earlier one left it, as `mailmend repair` does. */

typedef enum
{
  OPERATION_NONE,
  OPERATION_PLANNING,
  OPERATION_APPLYING,
  OPERATION_UNDOING,
} Operation;

typedef struct
{
  char *account_id;
  char *address;
} Chosen;

struct _MendRepairPage
{
  GtkWidget       parent_instance;

  MendJournal    *journal;
  MendTokenStore *token_store;

  /* The accounts chosen, in order; their rows, kept while applied so that Undo stays. */
  GPtrArray      *chosen;
  GStrv           extra_folders;
  GHashTable     *rows;

  Operation       operation;
  gboolean        refresh_pending;
  /* The page's work, cancelled when it goes; and the current planning, replaced by the
   * next. */
  GCancellable   *cancellable;
  GCancellable   *plan_cancellable;
  /* The addresses with a sign-in, as the keyring listed them last. */
  GStrv           signed_in;
  MendFinding    *notice;

  /* Applying: the rows still to do, the files written so far, and the count. */
  GQueue          apply_queue;
  GHashTable     *written;
  MendRepairRow  *current;
  guint           n_done;
  guint           n_total;

  /* Template widgets */
  GtkStack       *stack;
  GtkSpinner     *spinner;
  GtkWidget      *notice_box;
  GtkLabel       *notice_title;
  GtkLabel       *notice_explanation;
  GtkBox         *rows_box;
  GtkWidget      *progress_box;
  GtkLabel       *progress_label;
  GtkProgressBar *progress_bar;
  GtkWidget      *apply_button;
  GtkWidget      *verify_button;
};

enum {
  PROP_0,
  PROP_BUSY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (MendRepairPage, mend_repair_page, GTK_TYPE_WIDGET)

static void refresh    (MendRepairPage *self);
static void apply_next (MendRepairPage *self);

static void
chosen_free (Chosen *chosen)
{
  g_free (chosen->account_id);
  g_free (chosen->address);
  g_free (chosen);
}

/* ---------------------------------------------------------------------------------------------
 * Planning, in a worker thread: scan, then one plan per account
 * ------------------------------------------------------------------------------------------- */

typedef struct
{
  MendRepairPlan *plan;       /* NULL when the scan no longer finds the account */
  char           *icon_name;
  GAppInfo       *app_info;
} PlanResult;

typedef struct
{
  char      *journal_folder;
  GPtrArray *account_ids;
  GStrv      signed_in;
  char      *client_id;
  char      *proc_dir;
  GStrv      extra_folders;
  GPtrArray *results;         /* PlanResult, one per account id */
} PlanJob;

static void
plan_result_free (PlanResult *result)
{
  g_clear_object (&result->plan);
  g_clear_pointer (&result->icon_name, g_free);
  g_clear_object (&result->app_info);
  g_free (result);
}

static void
plan_job_free (PlanJob *job)
{
  g_clear_pointer (&job->journal_folder, g_free);
  g_clear_pointer (&job->account_ids, g_ptr_array_unref);
  g_clear_pointer (&job->signed_in, g_strfreev);
  g_clear_pointer (&job->client_id, g_free);
  g_clear_pointer (&job->proc_dir, g_free);
  g_clear_pointer (&job->extra_folders, g_strfreev);
  g_clear_pointer (&job->results, g_ptr_array_unref);
  g_free (job);
}

/* The mail app's desktop entry, by its icon name (“org.mozilla.Thunderbird”) or its id
 * (“thunderbird”, as Debian names it); NULL when it is not installed here. */
static GAppInfo *
find_app_info (MendClient *client)
{
  const char *names[] = { mend_client_get_icon_name (client), mend_client_get_id (client) };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *desktop_id = NULL;
      g_autoptr(GDesktopAppInfo) app_info = NULL;

      if (names[i] == NULL)
        continue;

      desktop_id = g_strconcat (names[i], ".desktop", NULL);
      app_info = g_desktop_app_info_new (desktop_id);
      if (app_info != NULL && !g_desktop_app_info_get_is_hidden (app_info))
        return G_APP_INFO (g_steal_pointer (&app_info));
    }

  return NULL;
}

static void
plan_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  PlanJob *job = task_data;
  g_autoptr(MendJournal) journal = mend_journal_new (job->journal_folder);
  g_autoptr(MendScanContext) scan_context = mend_scan_context_new (NULL, NULL);
  g_autoptr(MendScanner) scanner = mend_scanner_new ();
  g_autoptr(MendRepairContext) context = NULL;
  g_autoptr(MendRepairer) repairer = NULL;
  g_autoptr(GPtrArray) recovered = NULL;
  g_autoptr(GError) error = NULL;

  /* A change a crash left half-done is put back first, so that the plans start from the
   * files as they were; should that fail, Apply says why. */
  recovered = mend_journal_recover (journal, &error);
  if (recovered == NULL)
    g_debug ("The journal could not recover: %s", error->message);
  else if (recovered->len > 0)
    g_debug ("Put back %u interrupted changes", recovered->len);

  /* For tests: a fake process table, as the CLI takes it. */
  if (job->proc_dir != NULL)
    mend_scan_context_set_proc_dir (scan_context, job->proc_dir);
  /* The profile folders the user added on the Accounts step. */
  for (guint i = 0; job->extra_folders != NULL && job->extra_folders[i] != NULL; i++)
    mend_scan_context_add_extra_folder (scan_context, job->extra_folders[i]);

  mend_scanner_scan (scanner, scan_context);
  if (g_task_return_error_if_cancelled (task))
    return;

  context = mend_repair_context_new (scan_context);
  if (job->client_id != NULL)
    mend_repair_context_set_client_id (context, job->client_id);
  for (guint i = 0; job->signed_in != NULL && job->signed_in[i] != NULL; i++)
    mend_repair_context_add_signed_in_address (context, job->signed_in[i]);
  mend_repair_context_detect_token_program (context, BINDIR "/mailmend");

  repairer = mend_repairer_new (scanner, context);
  job->results = g_ptr_array_new_with_free_func ((GDestroyNotify) plan_result_free);

  for (guint i = 0; i < job->account_ids->len; i++)
    {
      PlanResult *result = g_new0 (PlanResult, 1);

      result->plan = mend_repairer_plan (repairer, g_ptr_array_index (job->account_ids, i), NULL);
      if (result->plan != NULL)
        {
          const char *client_id = mend_repair_plan_get_client_id (result->plan);
          MendClient *client = mend_scanner_find_client (scanner, client_id);

          result->icon_name = g_strdup (mend_client_get_icon_name (client));
          result->app_info = find_app_info (client);
        }
      g_ptr_array_add (job->results, result);
    }

  g_task_return_boolean (task, TRUE);
}

static void
start_planning (MendRepairPage      *self,
                GPtrArray           *account_ids,
                GAsyncReadyCallback  callback)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(MendOAuthSettings) settings = NULL;
  PlanJob *job = g_new0 (PlanJob, 1);

  job->journal_folder = g_strdup (mend_journal_get_folder (self->journal));
  job->account_ids = g_ptr_array_ref (account_ids);
  job->signed_in = g_strdupv (self->signed_in);
  job->proc_dir = g_strdup (g_getenv ("MAILMEND_PROC_DIR"));
  job->extra_folders = g_strdupv (self->extra_folders);

  /* Claws Mail signs in with Mailmend's own client id. */
  settings = mend_oauth_settings_new_from_gsettings (NULL);
  if (settings != NULL && mend_oauth_settings_has_client_id (settings))
    job->client_id = g_strdup (mend_oauth_settings_get_client_id (settings));

  task = g_task_new (self, self->plan_cancellable, callback, NULL);
  g_task_set_source_tag (task, start_planning);
  g_task_set_task_data (task, job, (GDestroyNotify) plan_job_free);
  g_task_run_in_thread (task, plan_thread);
}

/* Returns: (transfer none) (nullable): the job of a planning that ended and still counts */
static PlanJob *
finish_planning (MendRepairPage *self,
                 GAsyncResult   *result)
{
  g_autoptr(GError) error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      g_debug ("Planning stopped: %s", error->message);
      return NULL;
    }

  if (g_task_get_cancellable (G_TASK (result)) != self->plan_cancellable)
    return NULL;

  return g_task_get_task_data (G_TASK (result));
}

/* ---------------------------------------------------------------------------------------------
 * What the page shows
 * ------------------------------------------------------------------------------------------- */

static GPtrArray *
get_shown_rows (MendRepairPage *self)
{
  GPtrArray *rows = g_ptr_array_new ();

  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->rows_box));
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    g_ptr_array_add (rows, child);

  return rows;
}

static void
update_actions (MendRepairPage *self)
{
  g_autoptr(GPtrArray) rows = get_shown_rows (self);
  gboolean idle = self->operation == OPERATION_NONE;
  gboolean any_to_apply = FALSE;
  gboolean any_applied = FALSE;

  for (guint i = 0; i < rows->len; i++)
    {
      MendRepairRow *row = g_ptr_array_index (rows, i);

      any_to_apply |= mend_repair_row_can_apply (row);
      any_applied |= mend_repair_row_get_state (row) == MEND_REPAIR_ROW_APPLIED;
    }

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "repair.apply", idle && any_to_apply);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "repair.check-again", idle);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "repair.undo", idle);

  /* Once something is applied, verifying it comes next. */
  gtk_widget_set_visible (self->apply_button, any_to_apply || !any_applied);
  gtk_widget_set_visible (self->verify_button, any_applied);
  if (any_to_apply)
    gtk_widget_remove_css_class (self->verify_button, "suggested-action");
  else
    gtk_widget_add_css_class (self->verify_button, "suggested-action");

  gtk_widget_set_visible (self->progress_box, self->operation == OPERATION_APPLYING);
}

static void
set_operation (MendRepairPage *self,
               Operation       operation)
{
  gboolean was_busy = mend_repair_page_is_busy (self);

  self->operation = operation;
  gtk_spinner_set_spinning (self->spinner, operation == OPERATION_PLANNING);
  update_actions (self);

  if (was_busy != mend_repair_page_is_busy (self))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);

  /* Accounts chosen again while files were being written. */
  if (operation == OPERATION_NONE && self->refresh_pending)
    {
      self->refresh_pending = FALSE;
      refresh (self);
    }
}

static void
show_notice (MendRepairPage *self,
             MendFinding    *finding)
{
  g_autofree char *text = NULL;
  const char *remedy;

  g_set_object (&self->notice, finding);
  gtk_widget_set_visible (self->notice_box, finding != NULL);
  if (finding == NULL)
    return;

  remedy = mend_finding_get_remedy (finding);
  if (remedy != NULL && remedy[0] != '\0')
    text = g_strdup_printf ("%s\n%s", mend_finding_get_explanation (finding), remedy);
  else
    text = g_strdup (mend_finding_get_explanation (finding));

  gtk_label_set_label (self->notice_title, mend_finding_get_title (finding));
  gtk_label_set_label (self->notice_explanation, text);
}

static MendFinding *
new_account_not_found_finding (void)
{
  return mend_finding_new ("account-not-found", MEND_SEVERITY_ERROR,
                           _("Account not found"),
                           _("Mailmend no longer finds this account in the mail app’s settings. "
                             "They may have changed since the Accounts step."),
                           _("Go back to the Accounts step and scan again."));
}

static const char *
get_chosen_address (MendRepairPage *self,
                    const char     *account_id)
{
  for (guint i = 0; i < self->chosen->len; i++)
    {
      Chosen *chosen = g_ptr_array_index (self->chosen, i);

      if (g_str_equal (chosen->account_id, account_id))
        return chosen->address;
    }

  return NULL;
}

static MendRepairRow *
ensure_row (MendRepairPage *self,
            const char     *account_id)
{
  MendRepairRow *row = g_hash_table_lookup (self->rows, account_id);

  if (row == NULL)
    {
      row = MEND_REPAIR_ROW (g_object_ref_sink (mend_repair_row_new (account_id)));
      g_hash_table_insert (self->rows, g_strdup (account_id), row);
    }

  return row;
}

static void
show_result (MendRepairRow *row,
             PlanResult    *result,
             const char    *address)
{
  if (result->plan != NULL)
    {
      mend_repair_row_set_plan (row, result->plan, result->icon_name, result->app_info);
    }
  else
    {
      g_autoptr(MendFinding) finding = new_account_not_found_finding ();

      mend_repair_row_set_missing (row, address, finding);
    }
}

static gboolean
row_is_unused (gpointer key,
               gpointer value,
               gpointer user_data)
{
  MendRepairRow *row = value;

  return gtk_widget_get_parent (GTK_WIDGET (row)) == NULL &&
         mend_repair_row_get_state (row) != MEND_REPAIR_ROW_APPLIED;
}

static void
on_planned (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  MendRepairPage *self = MEND_REPAIR_PAGE (object);
  GtkWidget *child;
  PlanJob *job;

  if ((job = finish_planning (self, result)) == NULL)
    return;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->rows_box))))
    gtk_box_remove (self->rows_box, child);

  for (guint i = 0; i < self->chosen->len; i++)
    {
      Chosen *chosen = g_ptr_array_index (self->chosen, i);
      MendRepairRow *row = ensure_row (self, chosen->account_id);

      /* A repair stays shown as done, with its Undo: planning it again would only say
       * there is nothing left to change. */
      if (mend_repair_row_get_state (row) != MEND_REPAIR_ROW_APPLIED)
        show_result (row, g_ptr_array_index (job->results, i), chosen->address);
      gtk_box_append (self->rows_box, GTK_WIDGET (row));
    }
  g_hash_table_foreach_remove (self->rows, row_is_unused, NULL);

  gtk_stack_set_visible_child_name (self->stack, "plans");
  set_operation (self, OPERATION_NONE);
}

static void
on_tokens_listed (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(MendRepairPage) self = user_data;
  g_autoptr(GPtrArray) tokens = NULL;
  g_autoptr(GPtrArray) addresses = g_ptr_array_new_null_terminated (4, g_free, TRUE);
  g_autoptr(GPtrArray) account_ids = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;

  tokens = mend_token_store_list_finish (MEND_TOKEN_STORE (object), result, NULL, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  /* Without the keyring, apps that take Mailmend's tokens say they need a sign-in; the
   * others are repaired all the same. */
  if (tokens == NULL)
    {
      g_autoptr(MendFinding) finding = mend_token_store_error_to_finding (error);

      g_debug ("The keyring could not be listed: %s", error->message);
      if (finding == NULL)
        finding = mend_finding_new ("keyring-failed", MEND_SEVERITY_ERROR,
                                    _("The keyring could not be read"), error->message,
                                    _("Choose Check Again to try again."));
      show_notice (self, finding);
    }
  else
    {
      show_notice (self, NULL);
    }

  for (guint i = 0; tokens != NULL && i < tokens->len; i++)
    g_ptr_array_add (addresses,
                     g_strdup (mend_oauth_token_get_address (g_ptr_array_index (tokens, i))));
  g_clear_pointer (&self->signed_in, g_strfreev);
  self->signed_in = (GStrv) g_ptr_array_steal (addresses, NULL);

  for (guint i = 0; i < self->chosen->len; i++)
    {
      Chosen *chosen = g_ptr_array_index (self->chosen, i);

      g_ptr_array_add (account_ids, g_strdup (chosen->account_id));
    }

  start_planning (self, account_ids, on_planned);
}

static void
refresh (MendRepairPage *self)
{
  /* Files are being written: plan again when that is over. */
  if (self->operation == OPERATION_APPLYING || self->operation == OPERATION_UNDOING)
    {
      self->refresh_pending = TRUE;
      return;
    }

  g_cancellable_cancel (self->plan_cancellable);
  g_clear_object (&self->plan_cancellable);

  if (self->chosen->len == 0)
    {
      gtk_stack_set_visible_child_name (self->stack, "empty");
      set_operation (self, OPERATION_NONE);
      return;
    }

  self->plan_cancellable = g_cancellable_new ();
  gtk_stack_set_visible_child_name (self->stack, "loading");
  set_operation (self, OPERATION_PLANNING);
  mend_token_store_list_async (self->token_store, self->plan_cancellable, on_tokens_listed,
                               g_object_ref (self));
}

/* ---------------------------------------------------------------------------------------------
 * Applying, one account after the other
 * ------------------------------------------------------------------------------------------- */

static gboolean
touches_written_file (MendRepairPage *self,
                      MendRepairPlan *plan)
{
  g_autoptr(GPtrArray) edits = mend_repair_plan_dup_edits (plan);

  for (guint i = 0; i < edits->len; i++)
    {
      MendFileEdit *edit = g_ptr_array_index (edits, i);

      if (g_hash_table_contains (self->written, mend_file_edit_get_path (edit)))
        return TRUE;
    }

  return FALSE;
}

static void
remember_written_files (MendRepairPage *self,
                        MendRepairPlan *plan)
{
  g_autoptr(GPtrArray) edits = mend_repair_plan_dup_edits (plan);

  for (guint i = 0; i < edits->len; i++)
    {
      MendFileEdit *edit = g_ptr_array_index (edits, i);

      g_hash_table_add (self->written, g_strdup (mend_file_edit_get_path (edit)));
    }
}

/* What the user sees of an error from the journal. */
static MendFinding *
finding_for_error (const GError *error)
{
  MendFinding *finding = mend_repair_error_to_finding (error);
  g_autofree char *details = NULL;

  if (finding != NULL)
    return finding;

  finding = mend_finding_new ("repair-failed", MEND_SEVERITY_ERROR,
                              _("The repair did not work"), error->message,
                              _("Choose Check Again, then try again."));
  details = g_strdup_printf ("%s %d", g_quark_to_string (error->domain), error->code);
  mend_finding_set_details (finding, details);

  return finding;
}

static void
on_applied (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(MendRepairPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *change_id = NULL;
  MendRepairRow *row = g_steal_pointer (&self->current);

  change_id = mend_journal_apply_finish (MEND_JOURNAL (object), result, &error);
  if (change_id != NULL)
    {
      g_debug ("Applied %s as change %s", mend_repair_row_get_account_id (row), change_id);
      remember_written_files (self, mend_repair_row_get_plan (row));
      mend_repair_row_set_applied (row, change_id);
    }
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_object_unref (row);
      return;
    }
  else
    {
      g_autoptr(MendFinding) finding = finding_for_error (error);

      g_debug ("Could not apply %s: %s", mend_repair_row_get_account_id (row),
               mend_finding_get_id (finding));
      mend_repair_row_set_failed (row, finding);
    }

  g_object_unref (row);
  self->n_done++;
  apply_next (self);
}

static void
start_apply (MendRepairPage *self)
{
  mend_repair_row_set_applying (self->current);
  mend_journal_apply_async (self->journal, mend_repair_row_get_plan (self->current),
                            self->cancellable, on_applied, g_object_ref (self));
}

static void
on_replanned (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  MendRepairPage *self = MEND_REPAIR_PAGE (object);
  g_autoptr(MendRepairRow) row = NULL;
  PlanResult *plan_result;
  PlanJob *job;

  if ((job = finish_planning (self, result)) == NULL)
    return;

  plan_result = g_ptr_array_index (job->results, 0);
  show_result (self->current, plan_result,
               get_chosen_address (self, mend_repair_row_get_account_id (self->current)));

  if (mend_repair_row_can_apply (self->current))
    {
      start_apply (self);
      return;
    }

  /* What stands in its way now is on the row. */
  row = g_steal_pointer (&self->current);
  self->n_done++;
  apply_next (self);
}

static void
apply_next (MendRepairPage *self)
{
  g_autofree char *progress = NULL;
  MendRepairPlan *plan;
  const char *address;

  g_assert (self->current == NULL);

  self->current = g_queue_pop_head (&self->apply_queue);
  if (self->current == NULL)
    {
      g_debug ("Applied %u of %u", self->n_done, self->n_total);
      set_operation (self, OPERATION_NONE);
      /* Apply is gone when nothing is left to apply: keep the focus on the page. */
      if (gtk_widget_get_mapped (self->verify_button))
        gtk_widget_grab_focus (self->verify_button);
      return;
    }

  plan = mend_repair_row_get_plan (self->current);
  address = mend_repair_plan_get_address (plan);
  /* Translators: an e-mail address, then how far along the repair is, e.g.
   * “Switching alice@outlook.com to OAuth 2.0 (1 of 2)…”. */
  progress = g_strdup_printf (_("Switching %s to OAuth 2.0 (%u of %u)…"),
                              address != NULL ? address : "—",
                              self->n_done + 1, self->n_total);
  gtk_label_set_label (self->progress_label, progress);
  gtk_progress_bar_set_fraction (self->progress_bar, (double) self->n_done / self->n_total);

  if (touches_written_file (self, plan))
    {
      g_autoptr(GPtrArray) account_ids = g_ptr_array_new_with_free_func (g_free);

      g_debug ("Planning %s again: an earlier account changed its file",
               mend_repair_row_get_account_id (self->current));
      g_ptr_array_add (account_ids, g_strdup (mend_repair_row_get_account_id (self->current)));
      mend_repair_row_set_applying (self->current);
      g_clear_object (&self->plan_cancellable);
      self->plan_cancellable = g_cancellable_new ();
      start_planning (self, account_ids, on_replanned);
      return;
    }

  start_apply (self);
}

static void
apply_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  MendRepairPage *self = MEND_REPAIR_PAGE (widget);
  g_autoptr(GPtrArray) rows = get_shown_rows (self);

  g_return_if_fail (self->operation == OPERATION_NONE);

  g_queue_clear_full (&self->apply_queue, g_object_unref);
  g_hash_table_remove_all (self->written);
  for (guint i = 0; i < rows->len; i++)
    {
      MendRepairRow *row = g_ptr_array_index (rows, i);

      if (mend_repair_row_can_apply (row))
        {
          mend_repair_row_set_waiting (row);
          g_queue_push_tail (&self->apply_queue, g_object_ref (row));
        }
    }

  self->n_done = 0;
  self->n_total = g_queue_get_length (&self->apply_queue);
  set_operation (self, OPERATION_APPLYING);
  apply_next (self);
}

/* ---------------------------------------------------------------------------------------------
 * Undo, Check Again, Open
 * ------------------------------------------------------------------------------------------- */

static void
on_undone (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(MendRepairPage) self = user_data;
  g_autoptr(MendRepairRow) row = g_steal_pointer (&self->current);
  g_autoptr(GError) error = NULL;

  if (mend_journal_undo_finish (MEND_JOURNAL (object), result, &error))
    {
      g_debug ("Undid %s", mend_repair_row_get_account_id (row));
      mend_repair_row_set_undone (row);
    }
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      return;
    }
  else
    {
      g_autoptr(MendFinding) finding = finding_for_error (error);

      mend_repair_row_set_failed (row, finding);
    }

  set_operation (self, OPERATION_NONE);
}

static void
undo_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  MendRepairPage *self = MEND_REPAIR_PAGE (widget);
  MendRepairRow *row = g_hash_table_lookup (self->rows, g_variant_get_string (parameter, NULL));

  if (row == NULL || mend_repair_row_get_state (row) != MEND_REPAIR_ROW_APPLIED ||
      self->operation != OPERATION_NONE)
    return;

  self->current = g_object_ref (row);
  mend_repair_row_set_undoing (row);
  set_operation (self, OPERATION_UNDOING);
  mend_journal_undo_async (self->journal, mend_repair_row_get_change_id (row), self->cancellable,
                           on_undone, g_object_ref (self));
}

static void
check_again_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  refresh (MEND_REPAIR_PAGE (widget));
}

static void
open_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  MendRepairPage *self = MEND_REPAIR_PAGE (widget);
  MendRepairRow *row = g_hash_table_lookup (self->rows, g_variant_get_string (parameter, NULL));
  g_autoptr(GdkAppLaunchContext) launch_context = NULL;
  g_autoptr(GError) error = NULL;
  GAppInfo *app_info;

  if (row == NULL || (app_info = mend_repair_row_get_app_info (row)) == NULL)
    return;

  launch_context = gdk_display_get_app_launch_context (gtk_widget_get_display (widget));
  if (!g_app_info_launch (app_info, NULL, G_APP_LAUNCH_CONTEXT (launch_context), &error))
    {
      g_autoptr(MendFinding) finding = NULL;
      g_autofree char *title = NULL;

      /* Translators: %s is a mail app. */
      title = g_strdup_printf (_("%s could not be started"),
                               g_app_info_get_display_name (app_info));
      finding = mend_finding_new ("client-launch-failed", MEND_SEVERITY_WARNING, title,
                                  error->message, _("Start it from your applications."));
      show_notice (self, finding);
    }
}

/* ---------------------------------------------------------------------------------------------
 * The class
 * ------------------------------------------------------------------------------------------- */

/* Leaving the window (it closes) stops the work: a file the journal is writing is finished
 * (or rolled back), and the accounts after it are left as they are. */
static void
mend_repair_page_unroot (GtkWidget *widget)
{
  MendRepairPage *self = MEND_REPAIR_PAGE (widget);

  g_cancellable_cancel (self->cancellable);
  g_cancellable_cancel (self->plan_cancellable);

  GTK_WIDGET_CLASS (mend_repair_page_parent_class)->unroot (widget);
}

static void
mend_repair_page_dispose (GObject *object)
{
  MendRepairPage *self = (MendRepairPage *) object;

  g_cancellable_cancel (self->cancellable);
  g_cancellable_cancel (self->plan_cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), MEND_TYPE_REPAIR_PAGE);
  g_queue_clear_full (&self->apply_queue, g_object_unref);
  g_clear_object (&self->current);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->plan_cancellable);
  g_clear_object (&self->journal);
  g_clear_object (&self->token_store);
  g_clear_object (&self->notice);
  g_clear_pointer (&self->chosen, g_ptr_array_unref);
  g_clear_pointer (&self->extra_folders, g_strfreev);
  g_clear_pointer (&self->rows, g_hash_table_unref);
  g_clear_pointer (&self->written, g_hash_table_unref);
  g_clear_pointer (&self->signed_in, g_strfreev);

  G_OBJECT_CLASS (mend_repair_page_parent_class)->dispose (object);
}

static void
mend_repair_page_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  MendRepairPage *self = MEND_REPAIR_PAGE (object);

  switch (prop_id)
    {
    case PROP_BUSY:
      g_value_set_boolean (value, mend_repair_page_is_busy (self));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mend_repair_page_class_init (MendRepairPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = mend_repair_page_dispose;
  object_class->get_property = mend_repair_page_get_property;
  widget_class->unroot = mend_repair_page_unroot;

  /**
   * MendRepairPage:busy:
   *
   * Whether the page is planning, applying or undoing.
   */
  properties[PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL,
                          FALSE,
                          (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PATH "/ui/mend-repair-page.ui");
  gtk_widget_class_bind_template_child (widget_class, MendRepairPage, stack);
  gtk_widget_class_bind_template_child (widget_class, MendRepairPage, spinner);
  gtk_widget_class_bind_template_child (widget_class, MendRepairPage, notice_box);
  gtk_widget_class_bind_template_child (widget_class, MendRepairPage, notice_title);
  gtk_widget_class_bind_template_child (widget_class, MendRepairPage, notice_explanation);
  gtk_widget_class_bind_template_child (widget_class, MendRepairPage, rows_box);
  gtk_widget_class_bind_template_child (widget_class, MendRepairPage, progress_box);
  gtk_widget_class_bind_template_child (widget_class, MendRepairPage, progress_label);
  gtk_widget_class_bind_template_child (widget_class, MendRepairPage, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, MendRepairPage, apply_button);
  gtk_widget_class_bind_template_child (widget_class, MendRepairPage, verify_button);

  gtk_widget_class_install_action (widget_class, "repair.apply", NULL, apply_action);
  gtk_widget_class_install_action (widget_class, "repair.check-again", NULL, check_again_action);
  gtk_widget_class_install_action (widget_class, "repair.undo", "s", undo_action);
  gtk_widget_class_install_action (widget_class, "repair.open", "s", open_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_r, GDK_CONTROL_MASK,
                                       "repair.check-again", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F5, 0, "repair.check-again", NULL);

  g_type_ensure (MEND_TYPE_REPAIR_ROW);
}

static void
mend_repair_page_init (MendRepairPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->journal = mend_journal_new (NULL);
  self->token_store = mend_token_store_new ();
  self->cancellable = g_cancellable_new ();
  self->chosen = g_ptr_array_new_with_free_func ((GDestroyNotify) chosen_free);
  self->rows = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  self->written = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_queue_init (&self->apply_queue);

  gtk_stack_set_visible_child_name (self->stack, "empty");
  update_actions (self);
}

/**
 * mend_repair_page_set_accounts:
 * @groups: (element-type MendAccountGroup): the accounts chosen on the Accounts step
 *
 * Plans a repair of each Microsoft account of @groups, from a fresh scan: the plans the page
 * showed before are replaced, but repairs already applied stay, with their Undo.
 */
void
mend_repair_page_set_accounts (MendRepairPage *self,
                               GPtrArray      *groups)
{
  g_return_if_fail (MEND_IS_REPAIR_PAGE (self));
  g_return_if_fail (groups != NULL);

  g_ptr_array_set_size (self->chosen, 0);
  for (guint i = 0; i < groups->len; i++)
    {
      MendAccountGroup *group = g_ptr_array_index (groups, i);
      GPtrArray *servers = mend_account_group_get_servers (group);
      Chosen *chosen;

      if (!mend_account_group_is_microsoft (group) || servers->len == 0)
        continue;

      /* The first server's id names the account, and stays the same from scan to scan. */
      chosen = g_new0 (Chosen, 1);
      chosen->account_id = g_strdup (mend_account_get_id (g_ptr_array_index (servers, 0)));
      chosen->address = g_strdup (mend_account_group_get_address (group));
      g_ptr_array_add (self->chosen, chosen);
    }

  refresh (self);
}

/**
 * mend_repair_page_set_extra_folders:
 * @folders: (nullable) (array zero-terminated=1): profile folders to scan besides the usual
 *   places, as the Accounts step's folder chooser added them
 *
 * Takes effect at the next scan (mend_repair_page_set_accounts() starts one).
 */
void
mend_repair_page_set_extra_folders (MendRepairPage     *self,
                                    const char * const *folders)
{
  g_return_if_fail (MEND_IS_REPAIR_PAGE (self));

  g_strfreev (self->extra_folders);
  self->extra_folders = g_strdupv ((char **) folders);
}

/**
 * mend_repair_page_check_again:
 *
 * Scans and plans again, as Check Again does; after the current Apply or Undo, if one runs.
 */
void
mend_repair_page_check_again (MendRepairPage *self)
{
  g_return_if_fail (MEND_IS_REPAIR_PAGE (self));

  refresh (self);
}

gboolean
mend_repair_page_is_busy (MendRepairPage *self)
{
  g_return_val_if_fail (MEND_IS_REPAIR_PAGE (self), FALSE);

  return self->operation != OPERATION_NONE;
}

const char *
_mend_repair_page_get_view_name (MendRepairPage *self)
{
  g_return_val_if_fail (MEND_IS_REPAIR_PAGE (self), NULL);

  return gtk_stack_get_visible_child_name (self->stack);
}

/**
 * _mend_repair_page_get_rows:
 *
 * Returns: (transfer container) (element-type MendRepairRow): the rows shown, in order
 */
GPtrArray *
_mend_repair_page_get_rows (MendRepairPage *self)
{
  g_return_val_if_fail (MEND_IS_REPAIR_PAGE (self), NULL);

  return get_shown_rows (self);
}

/**
 * _mend_repair_page_get_notice:
 *
 * Returns: (transfer none) (nullable): the finding shown above the accounts
 */
MendFinding *
_mend_repair_page_get_notice (MendRepairPage *self)
{
  g_return_val_if_fail (MEND_IS_REPAIR_PAGE (self), NULL);

  return self->notice;
}
