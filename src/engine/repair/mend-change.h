/* mend-change.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

typedef enum
{
  /* Being applied, or interrupted while it was: the journal puts the files back. */
  MEND_CHANGE_STATE_PENDING,
  MEND_CHANGE_STATE_APPLIED,
  /* Being undone, or interrupted while it was: the journal finishes the undo. */
  MEND_CHANGE_STATE_UNDOING,
  MEND_CHANGE_STATE_UNDONE,
  /* Never took effect: a write failed or the apply was interrupted, and every file was put
   * back as it was. */
  MEND_CHANGE_STATE_ROLLED_BACK,
} MendChangeState;

#define MEND_TYPE_CHANGE (mend_change_get_type ())

G_DECLARE_FINAL_TYPE (MendChange, mend_change, MEND, CHANGE, GObject)

/* A repair as MendJournal recorded it: which files of which account it changed, and where the
 * exact bytes they had before are kept. Paths are absolute. */
const char         *mend_change_get_id          (MendChange      *self);
GDateTime          *mend_change_get_time        (MendChange      *self);
const char         *mend_change_get_account_id  (MendChange      *self);
const char         *mend_change_get_client_id   (MendChange      *self);
const char         *mend_change_get_client_name (MendChange      *self);
const char         *mend_change_get_address     (MendChange      *self);
const char         *mend_change_get_folder      (MendChange      *self);
const char * const *mend_change_get_files       (MendChange      *self);
const char * const *mend_change_get_backups     (MendChange      *self);
MendChangeState     mend_change_get_state       (MendChange      *self);
gboolean            mend_change_get_undone      (MendChange      *self);
GDateTime          *mend_change_get_undone_time (MendChange      *self);

const char         *mend_change_state_to_string (MendChangeState  state);

G_END_DECLS
