/* mend-journal.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "mend-change.h"
#include "mend-finding.h"
#include "mend-repair-plan.h"

G_BEGIN_DECLS

#define MEND_REPAIR_ERROR (mend_repair_error_quark ())

/* Each code becomes one finding (mend_repair_error_to_finding()); the finding's id is given. */
typedef enum
{
  /* The plan has nothing to change or a finding stands in its way: that finding, or
   * `nothing-to-change`. */
  MEND_REPAIR_ERROR_CANNOT_APPLY,
  /* A file is not as the plan read it: `config-changed`. Nothing was written. */
  MEND_REPAIR_ERROR_CONFIG_CHANGED,
  /* A file could not be written, and the files already written were put back:
   * `write-failed`. */
  MEND_REPAIR_ERROR_WRITE_FAILED,
  /* A write failed and so did putting the other files back: `repair-incomplete`. The change
   * stays pending with its backups; the next use of the journal puts them back. */
  MEND_REPAIR_ERROR_INCOMPLETE,
  /* Undo refused: a file changed since the repair: `undo-file-changed`. */
  MEND_REPAIR_ERROR_UNDO_FILE_CHANGED,
  /* The journal folder cannot be written (so no backup can be kept) or is busy:
   * `journal-unavailable`. Nothing was written. */
  MEND_REPAIR_ERROR_JOURNAL_UNAVAILABLE,
  /* No change has this id: `change-not-found`. */
  MEND_REPAIR_ERROR_UNKNOWN_CHANGE,
  /* The change is not in effect (already undone, or rolled back): `nothing-to-undo`. */
  MEND_REPAIR_ERROR_NOT_APPLIED,
} MendRepairError;

GQuark       mend_repair_error_quark      (void);
MendFinding *mend_repair_error_to_finding (const GError *error);

#define MEND_TYPE_JOURNAL (mend_journal_get_type ())

G_DECLARE_FINAL_TYPE (MendJournal, mend_journal, MEND, JOURNAL, GObject)

MendJournal *mend_journal_new           (const char           *folder);
const char  *mend_journal_get_folder    (MendJournal          *self);

gboolean     mend_journal_apply         (MendJournal          *self,
                                         MendRepairPlan       *plan,
                                         char                **change_id,
                                         GError              **error);
gboolean     mend_journal_undo          (MendJournal          *self,
                                         const char           *change_id,
                                         GError              **error);
GPtrArray   *mend_journal_list_changes  (MendJournal          *self,
                                         GError              **error);
MendChange  *mend_journal_get_change    (MendJournal          *self,
                                         const char           *change_id,
                                         GError              **error);
GPtrArray   *mend_journal_recover       (MendJournal          *self,
                                         GError              **error);

void         mend_journal_apply_async   (MendJournal          *self,
                                         MendRepairPlan       *plan,
                                         GCancellable         *cancellable,
                                         GAsyncReadyCallback   callback,
                                         gpointer              user_data);
char        *mend_journal_apply_finish  (MendJournal          *self,
                                         GAsyncResult         *result,
                                         GError              **error);
void         mend_journal_undo_async    (MendJournal          *self,
                                         const char           *change_id,
                                         GCancellable         *cancellable,
                                         GAsyncReadyCallback   callback,
                                         gpointer              user_data);
gboolean     mend_journal_undo_finish   (MendJournal          *self,
                                         GAsyncResult         *result,
                                         GError              **error);

G_END_DECLS
