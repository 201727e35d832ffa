/* mend-report-collector.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Fills a support report with everything at once: Microsoft's service status, a scan of the
 * mail apps, the sign-ins in the keyring and the repair history. The four run concurrently
 * (the history in a worker thread: the journal blocks), and go into the report together
 * once all have answered, always in the same order. None of them can make the collection
 * fail: an unknown status is a status, and a keyring or a journal that cannot be read
 * becomes a finding in the report. Only cancellation is an error.
 */

#define G_LOG_DOMAIN "mend-report-collector"

#include "config.h"

#include <glib/gi18n.h>

#include "mend-report-collector.h"
#include "mend-scanner.h"
#include "mend-service-status.h"
#include "mend-token-store.h"

struct _MendReportCollector
{
  GObject           parent_instance;

  MendScanContext  *scan_context;
  MendJournal      *journal;
  MendScanner      *scanner;
  gboolean          started;

  /* What each part found, kept until they have all answered. */
  MendStatusReport *status;
  GPtrArray        *tokens;
  GStrv             damaged;
  MendFinding      *keyring_finding;
  GPtrArray        *changes;
  MendFinding      *history_finding;
};

G_DEFINE_FINAL_TYPE (MendReportCollector, mend_report_collector, G_TYPE_OBJECT)

typedef struct
{
  MendReport *report;
  guint       pending;
} Collect;

static void
collect_free (Collect *collect)
{
  g_clear_object (&collect->report);
  g_free (collect);
}

static gboolean
is_cancelled (const GError *error)
{
  return g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

/* Newest first, as the journal lists them. A change that was rolled back never took effect:
 * its files are as they were, so it is no change to report. */
static void
add_changes (MendReport *report,
             GPtrArray  *changes)
{
  for (guint i = 0; i < changes->len; i++)
    {
      MendChange *change = g_ptr_array_index (changes, i);

      if (mend_change_get_state (change) == MEND_CHANGE_STATE_ROLLED_BACK)
        continue;

      mend_report_add_change (report, mend_change_get_time (change), mend_change_get_id (change),
                              mend_change_get_account_id (change), mend_change_get_files (change),
                              mend_change_get_undone (change));
    }
}

static void
fill_report (MendReportCollector *self,
             MendReport          *report)
{
  mend_report_add_status_findings (report, mend_status_report_get_findings (self->status));
  mend_report_add_scan (report, self->scanner, self->scan_context);

  for (guint i = 0; self->tokens != NULL && i < self->tokens->len; i++)
    mend_report_add_sign_in (report, g_ptr_array_index (self->tokens, i));
  for (guint i = 0; self->damaged != NULL && self->damaged[i] != NULL; i++)
    mend_report_add_damaged_sign_in (report, self->damaged[i]);
  if (self->keyring_finding != NULL)
    mend_report_add_finding (report, self->keyring_finding);

  if (self->changes != NULL)
    add_changes (report, self->changes);
  if (self->history_finding != NULL)
    mend_report_add_finding (report, self->history_finding);
}

static GTask *
part_start (GTask *task)
{
  Collect *collect = g_task_get_task_data (task);

  collect->pending++;

  return g_object_ref (task);
}

/* Every part counts down; the last one fills the report and returns. */
static void
part_done (GTask *task)
{
  MendReportCollector *self = g_task_get_source_object (task);
  Collect *collect = g_task_get_task_data (task);

  g_assert (collect->pending > 0);
  if (--collect->pending > 0)
    return;

  if (g_task_return_error_if_cancelled (task))
    return;

  fill_report (self, collect->report);
  g_task_return_boolean (task, TRUE);
}

static void
on_status (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  MendReportCollector *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;

  self->status = mend_service_status_check_finish (MEND_SERVICE_STATUS (object), result, &error);
  if (self->status == NULL && !is_cancelled (error))
    self->status = mend_status_report_new_unknown (error);

  part_done (task);
}

static void
on_scanned (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;

  /* Only cancellation stops a scan: what it could not read is among its findings. */
  if (!mend_scanner_scan_finish (MEND_SCANNER (object), result, &error))
    g_debug ("The scan did not finish: %s", error->message);

  part_done (task);
}

static void
on_listed_sign_ins (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  MendReportCollector *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;

  self->tokens = mend_token_store_list_finish (MEND_TOKEN_STORE (object), result, &self->damaged,
                                               &error);
  if (self->tokens == NULL && !is_cancelled (error))
    {
      /* Without a keyring the report still goes out, and says why it has no sign-ins. */
      self->keyring_finding = mend_token_store_error_to_finding (error);
      if (self->keyring_finding == NULL)
        self->keyring_finding = mend_finding_new ("keyring-unavailable", MEND_SEVERITY_ERROR,
                                                  _("The keyring is not available"),
                                                  error->message, NULL);
    }

  part_done (task);
}

static void
list_changes_thread (GTask        *task,
                     gpointer      source_object,
                     gpointer      task_data,
                     GCancellable *cancellable)
{
  MendJournal *journal = task_data;
  GPtrArray *changes;
  GError *error = NULL;

  if ((changes = mend_journal_list_changes (journal, &error)) != NULL)
    g_task_return_pointer (task, changes, (GDestroyNotify) g_ptr_array_unref);
  else
    g_task_return_error (task, error);
}

static void
on_listed_changes (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  MendReportCollector *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;

  self->changes = g_task_propagate_pointer (G_TASK (result), &error);
  if (self->changes == NULL && !is_cancelled (error))
    {
      /* The journal's own finding for this id speaks of keeping backups before a change;
       * here it was only read. */
      self->history_finding =
        mend_finding_new ("journal-unavailable", MEND_SEVERITY_ERROR,
                          _("The list of changes cannot be read"),
                          _("Mailmend keeps what it changed, and a backup of each file, in its "
                            "journal. The journal could not be read, so what Mailmend changed "
                            "is not known here."),
                          _("Check the permissions of the folder in the details, then try "
                            "again. If Mailmend is changing files in another window, wait for "
                            "it to finish."));
      mend_finding_set_details (self->history_finding, error->message);
    }

  part_done (task);
}

static void
mend_report_collector_finalize (GObject *object)
{
  MendReportCollector *self = (MendReportCollector *) object;

  g_clear_object (&self->scan_context);
  g_clear_object (&self->journal);
  g_clear_object (&self->scanner);
  g_clear_object (&self->status);
  g_clear_pointer (&self->tokens, g_ptr_array_unref);
  g_clear_pointer (&self->damaged, g_strfreev);
  g_clear_object (&self->keyring_finding);
  g_clear_pointer (&self->changes, g_ptr_array_unref);
  g_clear_object (&self->history_finding);

  G_OBJECT_CLASS (mend_report_collector_parent_class)->finalize (object);
}

static void
mend_report_collector_class_init (MendReportCollectorClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = mend_report_collector_finalize;
}

static void
mend_report_collector_init (MendReportCollector *self)
{
  self->scanner = mend_scanner_new ();
}

/**
 * mend_report_collector_new:
 * @scan_context: a context not scanned yet; the collector scans it
 * @journal: (nullable): the repair history, or %NULL for the user's
 *
 * Returns: (transfer full): a collector, for one collection
 */
MendReportCollector *
mend_report_collector_new (MendScanContext *scan_context,
                           MendJournal     *journal)
{
  MendReportCollector *self;

  g_return_val_if_fail (MEND_IS_SCAN_CONTEXT (scan_context), NULL);
  g_return_val_if_fail (journal == NULL || MEND_IS_JOURNAL (journal), NULL);

  self = g_object_new (MEND_TYPE_REPORT_COLLECTOR, NULL);
  self->scan_context = g_object_ref (scan_context);
  self->journal = journal != NULL ? g_object_ref (journal) : mend_journal_new (NULL);

  return self;
}

/**
 * mend_report_collector_collect_async:
 * @self: a collector that has not collected yet
 * @report: the report to fill
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when everything is in @report
 * @user_data: data for @callback
 *
 * Checks Microsoft's service status (`MAILMEND_STATUS_URL` replaces its address, for tests),
 * scans, lists the keyring's sign-ins and the journal's changes, all at once, then adds
 * them to @report. Like `mailmend history`, listing the changes first finishes any change a
 * crash left halfway.
 */
void
mend_report_collector_collect_async (MendReportCollector *self,
                                     MendReport          *report,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  g_autoptr(MendServiceStatus) status = mend_service_status_new ();
  g_autoptr(MendTokenStore) store = mend_token_store_new ();
  g_autoptr(GTask) task = NULL;
  g_autoptr(GTask) history = NULL;
  Collect *collect;

  g_return_if_fail (MEND_IS_REPORT_COLLECTOR (self));
  g_return_if_fail (MEND_IS_REPORT (report));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));
  g_return_if_fail (!self->started);

  self->started = TRUE;
  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, mend_report_collector_collect_async);
  collect = g_new0 (Collect, 1);
  collect->report = g_object_ref (report);
  g_task_set_task_data (task, collect, (GDestroyNotify) collect_free);

  /* Held until every part has started, so that a quick one cannot finish the task early. */
  collect->pending = 1;

  mend_service_status_check_async (status, cancellable, on_status, part_start (task));
  mend_scanner_scan_async (self->scanner, self->scan_context, cancellable, on_scanned,
                           part_start (task));
  mend_token_store_list_async (store, cancellable, on_listed_sign_ins, part_start (task));

  history = g_task_new (self, cancellable, on_listed_changes, part_start (task));
  g_task_set_source_tag (history, list_changes_thread);
  g_task_set_task_data (history, g_object_ref (self->journal), g_object_unref);
  g_task_run_in_thread (history, list_changes_thread);

  part_done (task);
}

/**
 * mend_report_collector_collect_finish:
 *
 * Returns: %TRUE when the report was filled; %FALSE only when cancelled
 */
gboolean
mend_report_collector_collect_finish (MendReportCollector  *self,
                                      GAsyncResult         *result,
                                      GError              **error)
{
  g_return_val_if_fail (MEND_IS_REPORT_COLLECTOR (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/**
 * mend_report_collector_get_changes:
 * @self: a collector that has collected
 *
 * Returns: (transfer none) (nullable) (element-type MendChange): every change of the
 *   journal, newest first and whatever its state; %NULL when the journal could not be read
 *   (see mend_report_collector_get_history_finding())
 */
GPtrArray *
mend_report_collector_get_changes (MendReportCollector *self)
{
  g_return_val_if_fail (MEND_IS_REPORT_COLLECTOR (self), NULL);

  return self->changes;
}

/**
 * mend_report_collector_get_history_finding:
 * @self: a collector that has collected
 *
 * Returns: (transfer none) (nullable): why the journal could not be read, or %NULL
 */
MendFinding *
mend_report_collector_get_history_finding (MendReportCollector *self)
{
  g_return_val_if_fail (MEND_IS_REPORT_COLLECTOR (self), NULL);

  return self->history_finding;
}
