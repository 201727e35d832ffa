/* mend-journal.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Applies repair plans so that no file is ever lost or left half-changed, and undoes them.
 *
 * The journal is a folder (`$XDG_STATE_HOME/mailmend`, mode 0700: backups may hold passwords)
 * with `changes/<id>/` per change: the record `change.json` (MendChange) and the exact bytes
 * of every file before the change. Ids are the UTC time and a counter in 16 µs steps,
 * `20261128T031500Z-3f2a`: fixed width, so they sort by time, and each new one is later than
 * every earlier one even when the clock goes back. Backups are never deleted.
 *
 * Applying a plan, under the journal's lock:
 *   1. every file must still hold the bytes the plan read (else `config-changed`, nothing
 *      written);
 *   2. the backups and the record, state `pending`, are written and synced to disk;
 *   3. each file is replaced atomically (MendAtomicFile);
 *   4. the record becomes `applied`.
 * When a file fails in step 3, the files already written are put back and the record becomes
 * `rolled-back`. Undo is the same the other way: `undoing`, each file restored, `undone`.
 *
 * After a crash (or a failure to put things back) a record stays `pending` or `undoing`. The
 * next use of the journal (apply, undo, list, get, recover: any process) resolves it the
 * same way in both cases: every file gets its original bytes back, and the change becomes
 * `rolled-back` (an apply that never finished does not count) or `undone` (an undo that
 * started is finished). Each file then holds either its original bytes or the new ones,
 * both whole; if it holds anything else (someone edited it in between, or an in-place write
 * was cut short) those bytes are kept next to the backup, as `<backup>.interrupted`, before
 * the original is put back. Temporary files a crash left next to the files are removed.
 */

#define G_LOG_DOMAIN "mend-journal"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "mend-atomic-file.h"
#include "mend-change-private.h"
#include "mend-journal.h"
#include "mend-repair-findings.h"

/* How long an apply or undo waits for another process (the wizard and `mailmend undo`, say)
 * to finish its own. Both take milliseconds. */
#define LOCK_TIMEOUT_MS 10000
#define LOCK_POLL_MS    20

/* The id's counter: 16 µs steps fit four hex digits within one second. */
#define ID_STEP_US 16

typedef struct
{
  char        *path;       /* the file the error is about, or the journal's folder */
  char        *backup;     /* its backup, or the change's folder */
  char        *reason;     /* the system's message */
  char        *change_id;
  MendFinding *finding;    /* CANNOT_APPLY: the plan's own */
} MendRepairErrorPrivate;

struct _MendJournal
{
  GObject  parent_instance;

  char    *folder;
  char    *changes_folder;
};

G_DEFINE_FINAL_TYPE (MendJournal, mend_journal, G_TYPE_OBJECT)

static void
mend_repair_error_private_init (MendRepairErrorPrivate *priv)
{
}

static void
mend_repair_error_private_copy (const MendRepairErrorPrivate *src,
                                MendRepairErrorPrivate       *dest)
{
  dest->path = g_strdup (src->path);
  dest->backup = g_strdup (src->backup);
  dest->reason = g_strdup (src->reason);
  dest->change_id = g_strdup (src->change_id);
  dest->finding = src->finding != NULL ? g_object_ref (src->finding) : NULL;
}

static void
mend_repair_error_private_clear (MendRepairErrorPrivate *priv)
{
  g_clear_pointer (&priv->path, g_free);
  g_clear_pointer (&priv->backup, g_free);
  g_clear_pointer (&priv->reason, g_free);
  g_clear_pointer (&priv->change_id, g_free);
  g_clear_object (&priv->finding);
}

G_DEFINE_EXTENDED_ERROR (MendRepairError, mend_repair_error)

/* The message is for logs; what the user reads comes from mend_repair_error_to_finding(). */
static gboolean
set_error (GError          **error,
           MendRepairError   code,
           const char       *path,
           const char       *backup,
           const char       *reason)
{
  GError *local_error;
  MendRepairErrorPrivate *priv;

  local_error = g_error_new (MEND_REPAIR_ERROR, code, "%s%s%s", path != NULL ? path : "",
                             path != NULL && reason != NULL ? ": " : "",
                             reason != NULL ? reason : "");
  priv = mend_repair_error_get_private (local_error);
  priv->path = g_strdup (path);
  priv->backup = g_strdup (backup);
  priv->reason = g_strdup (reason);
  g_propagate_error (error, local_error);

  return FALSE;
}

static gboolean
set_change_error (GError          **error,
                  MendRepairError   code,
                  const char       *change_id)
{
  set_error (error, code, NULL, NULL, change_id);
  if (error != NULL)
    mend_repair_error_get_private (*error)->change_id = g_strdup (change_id);

  return FALSE;
}

/* A test hook: `MAILMEND_TEST_CRASH_AT=after-backup` (or `after-first-rename`,
 * `before-commit`, `after-first-restore`) kills the process there, as a power cut would. */
static void
crash_point (const char *name)
{
  if (g_strcmp0 (g_getenv ("MAILMEND_TEST_CRASH_AT"), name) == 0)
    {
      g_debug ("Crashing at %s, as asked", name);
      raise (SIGKILL);
    }
}

static char *
checksum (GBytes *bytes)
{
  return g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, bytes);
}

static gboolean
has_checksum (GBytes     *bytes,
              const char *expected)
{
  g_autofree char *actual = checksum (bytes);

  return g_ascii_strcasecmp (actual, expected) == 0;
}

/* --- ids ------------------------------------------------------------------------------ */

static char *
format_id (gint64 time_us)
{
  g_autoptr(GDateTime) time = g_date_time_new_from_unix_utc (time_us / G_USEC_PER_SEC);
  g_autofree char *seconds = g_date_time_format (time, "%Y%m%dT%H%M%SZ");

  return g_strdup_printf ("%s-%04x", seconds, (guint) (time_us % G_USEC_PER_SEC) / ID_STEP_US);
}

/* TRUE when @name is a change id; its time in @time_us. Also keeps user input such as
 * `../x` away from paths. */
static gboolean
parse_id (const char *name,
          gint64     *time_us)
{
  g_autoptr(GDateTime) time = NULL;
  int year, month, day, hour, minute, second;
  unsigned int step;
  char end;

  if (name == NULL || strlen (name) != 21 || name[8] != 'T' || name[15] != 'Z' || name[16] != '-')
    return FALSE;

  for (guint i = 0; i < 21; i++)
    {
      if (i != 8 && i != 15 && i != 16 && !g_ascii_isxdigit (name[i]))
        return FALSE;
    }

  if (sscanf (name, "%4d%2d%2dT%2d%2d%2dZ-%4x%c", &year, &month, &day, &hour, &minute, &second,
              &step, &end) != 7)
    return FALSE;
  if (step >= G_USEC_PER_SEC / ID_STEP_US ||
      (time = g_date_time_new_utc (year, month, day, hour, minute, second)) == NULL)
    return FALSE;

  if (time_us != NULL)
    *time_us = g_date_time_to_unix (time) * G_USEC_PER_SEC + step * ID_STEP_US;

  return TRUE;
}

static int
compare_ids (gconstpointer a,
             gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

/* The ids of the changes in the journal, oldest first. */
static GPtrArray *
list_ids (MendJournal *self)
{
  GPtrArray *ids = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GDir) dir = g_dir_open (self->changes_folder, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      if (parse_id (name, NULL))
        g_ptr_array_add (ids, g_strdup (name));
    }

  g_ptr_array_sort (ids, compare_ids);

  return ids;
}

/* Creates the folder of a new change, later than every other. */
static char *
create_change_folder (MendJournal  *self,
                      gint64       *time_us,
                      GError      **error)
{
  g_autoptr(GPtrArray) ids = list_ids (self);
  gint64 now = g_get_real_time ();
  gint64 newest;

  if (ids->len > 0 && parse_id (g_ptr_array_index (ids, ids->len - 1), &newest))
    now = MAX (now, newest + ID_STEP_US);

  for (;; now += ID_STEP_US)
    {
      g_autofree char *id = format_id (now);
      g_autofree char *folder = g_build_filename (self->changes_folder, id, NULL);

      if (g_mkdir (folder, 0700) == 0)
        {
          *time_us = now;
          return g_steal_pointer (&folder);
        }

      if (errno != EEXIST)
        {
          set_error (error, MEND_REPAIR_ERROR_JOURNAL_UNAVAILABLE, self->changes_folder, NULL,
                     g_strerror (errno));
          return NULL;
        }
    }
}

/* --- the lock ------------------------------------------------------------------------- */

/* Reading commands do not create the journal. */
static gboolean
journal_exists (MendJournal *self)
{
  return g_file_test (self->changes_folder, G_FILE_TEST_IS_DIR);
}

/* flock(2) on `lock` in the journal's folder: it serialises every process and thread (each
 * call opens its own descriptor), and the kernel drops it when a process dies. */
static int
lock_journal (MendJournal  *self,
              GError      **error)
{
  g_autofree char *path = g_build_filename (self->folder, "lock", NULL);
  gint64 deadline = g_get_monotonic_time () + LOCK_TIMEOUT_MS * 1000;
  int fd;

  if (!journal_exists (self))
    {
      g_autofree char *parent = g_path_get_dirname (self->folder);
      g_autoptr(GError) local_error = NULL;

      /* A new journal must survive a power cut as surely as the backups in it. */
      if (g_mkdir_with_parents (self->changes_folder, 0700) != 0)
        {
          set_error (error, MEND_REPAIR_ERROR_JOURNAL_UNAVAILABLE, self->folder, NULL,
                     g_strerror (errno));
          return -1;
        }
      if (!mend_atomic_file_sync_folder (self->folder, &local_error) ||
          !mend_atomic_file_sync_folder (parent, &local_error))
        {
          set_error (error, MEND_REPAIR_ERROR_JOURNAL_UNAVAILABLE, self->folder, NULL,
                     local_error->message);
          return -1;
        }
    }

  if ((fd = open (path, O_RDWR | O_CREAT | O_CLOEXEC, 0600)) < 0)
    {
      set_error (error, MEND_REPAIR_ERROR_JOURNAL_UNAVAILABLE, self->folder, NULL,
                 g_strerror (errno));
      return -1;
    }

  while (flock (fd, LOCK_EX | LOCK_NB) != 0)
    {
      if ((errno != EWOULDBLOCK && errno != EINTR) || g_get_monotonic_time () > deadline)
        {
          set_error (error, MEND_REPAIR_ERROR_JOURNAL_UNAVAILABLE, self->folder, NULL,
                     errno == EWOULDBLOCK ? _("Another Mailmend is changing files.")
                                          : g_strerror (errno));
          close (fd);
          return -1;
        }
      g_usleep (LOCK_POLL_MS * 1000);
    }

  return fd;
}

static void
unlock_journal (int fd)
{
  close (fd);
}


/* --- putting files back --------------------------------------------------------------- */

/* Gives @path its @original bytes back, unless it has them. With @keep_unknown, bytes that
 * are neither the original nor the change's (@new_checksum) are first kept there. */
static gboolean
restore_file (const char  *path,
              GBytes      *original,
              const char  *new_checksum,
              const char  *keep_unknown,
              GError     **error)
{
  g_autoptr(GBytes) current = mend_atomic_file_read (path, NULL);

  if (current != NULL && g_bytes_equal (current, original))
    return TRUE;

  if (current != NULL && keep_unknown != NULL && !has_checksum (current, new_checksum))
    {
      g_debug ("%s is neither as before nor as changed: keeping it as %s", path, keep_unknown);
      if (!mend_atomic_file_replace (keep_unknown, current, MEND_ATOMIC_FILE_NONE, error))
        return FALSE;
    }

  return mend_atomic_file_replace (path, original, MEND_ATOMIC_FILE_ALLOW_IN_PLACE, error);
}

static GBytes *
read_backup (MendChange  *change,
             guint        index,
             GError     **error)
{
  const char *backup = mend_change_get_backups (change)[index];
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) local_error = NULL;

  if ((bytes = mend_atomic_file_read (backup, &local_error)) == NULL)
    {
      set_error (error, MEND_REPAIR_ERROR_JOURNAL_UNAVAILABLE, backup, NULL, local_error->message);
      return NULL;
    }

  if (!has_checksum (bytes, _mend_change_get_original_checksum (change, index)))
    {
      /* Translators: a backup's contents are not what Mailmend saved. */
      set_error (error, MEND_REPAIR_ERROR_JOURNAL_UNAVAILABLE, backup, NULL,
                 _("The backup is damaged."));
      return NULL;
    }

  return g_steal_pointer (&bytes);
}

/* Resolves a change left pending or undoing, see the top of this file. */
static gboolean
recover_change (MendChange  *change,
                GError     **error)
{
  const char * const *files = mend_change_get_files (change);
  const char * const *backups = mend_change_get_backups (change);
  MendChangeState state = mend_change_get_state (change);
  g_autoptr(GError) local_error = NULL;

  g_debug ("Resolving change %s, left %s", mend_change_get_id (change),
           mend_change_state_to_string (state));

  for (guint i = 0; files[i] != NULL; i++)
    {
      g_autoptr(GBytes) original = NULL;
      g_autofree char *keep = g_strconcat (backups[i], ".interrupted", NULL);

      if ((original = read_backup (change, i, error)) == NULL)
        return FALSE;

      if (!restore_file (files[i], original, _mend_change_get_new_checksum (change, i), keep,
                         &local_error))
        return set_error (error, MEND_REPAIR_ERROR_INCOMPLETE, files[i],
                          mend_change_get_folder (change), local_error->message);

      mend_atomic_file_remove_leftovers (files[i]);
    }

  if (state == MEND_CHANGE_STATE_UNDOING)
    _mend_change_set_state (change, MEND_CHANGE_STATE_UNDONE);
  else
    _mend_change_set_state (change, MEND_CHANGE_STATE_ROLLED_BACK);
  if (!_mend_change_save (change, &local_error))
    return set_error (error, MEND_REPAIR_ERROR_JOURNAL_UNAVAILABLE,
                      mend_change_get_folder (change), NULL, local_error->message);

  return TRUE;
}

static MendChange *
load_change (MendJournal  *self,
             const char   *change_id,
             GError      **error)
{
  g_autofree char *folder = g_build_filename (self->changes_folder, change_id, NULL);

  return _mend_change_load (folder, error);
}

static GPtrArray *
recover_locked (MendJournal  *self,
                GError      **error)
{
  g_autoptr(GPtrArray) ids = list_ids (self);
  g_autoptr(GPtrArray) resolved = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GError) first_error = NULL;

  for (guint i = 0; i < ids->len; i++)
    {
      g_autoptr(MendChange) change = NULL;
      g_autoptr(GError) local_error = NULL;
      MendChangeState state;

      /* A folder without a record is an apply that stopped before writing anything. */
      if ((change = load_change (self, g_ptr_array_index (ids, i), &local_error)) == NULL)
        {
          g_debug ("Skipping change %s: %s", (char *) g_ptr_array_index (ids, i),
                   local_error->message);
          continue;
        }

      state = mend_change_get_state (change);
      if (state != MEND_CHANGE_STATE_PENDING && state != MEND_CHANGE_STATE_UNDOING)
        continue;

      if (recover_change (change, &local_error))
        g_ptr_array_add (resolved, g_steal_pointer (&change));
      else if (first_error == NULL)
        first_error = g_steal_pointer (&local_error);
    }

  if (first_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&first_error));
      return NULL;
    }

  return g_steal_pointer (&resolved);
}

/* --- apply ---------------------------------------------------------------------------- */

/* Puts back every file of @edits up to @last, whose new bytes may be in place. */
static gboolean
roll_back (GPtrArray  *edits,
           guint       last,
           GError    **error)
{
  gboolean ok = TRUE;

  for (guint i = 0; i <= last; i++)
    {
      MendFileEdit *edit = g_ptr_array_index (edits, i);
      g_autoptr(GError) local_error = NULL;

      if (!restore_file (mend_file_edit_get_path (edit), mend_file_edit_get_original (edit),
                         NULL, NULL, &local_error))
        {
          g_debug ("Could not put back %s: %s", mend_file_edit_get_path (edit),
                   local_error->message);
          if (ok)
            g_propagate_error (error, g_steal_pointer (&local_error));
          ok = FALSE;
        }
    }

  return ok;
}

/* After a failure while writing the files: put them back, or leave the change pending. */
static gboolean
fail_apply (MendChange  *change,
            GPtrArray   *edits,
            guint        last,
            const char  *path,
            const char  *reason,
            GError     **error)
{
  g_autoptr(GError) rollback_error = NULL;

  if (!roll_back (edits, last, &rollback_error))
    return set_error (error, MEND_REPAIR_ERROR_INCOMPLETE, path, mend_change_get_folder (change),
                      reason);

  _mend_change_set_state (change, MEND_CHANGE_STATE_ROLLED_BACK);
  if (!_mend_change_save (change, NULL))
    g_debug ("Could not record change %s as rolled back; the next use of the journal will",
             mend_change_get_id (change));

  return set_error (error, MEND_REPAIR_ERROR_WRITE_FAILED, path, NULL, reason);
}

static gboolean
check_unchanged (GPtrArray  *edits,
                 GError    **error)
{
  for (guint i = 0; i < edits->len; i++)
    {
      MendFileEdit *edit = g_ptr_array_index (edits, i);
      const char *path = mend_file_edit_get_path (edit);
      g_autoptr(GBytes) current = NULL;
      g_autoptr(GError) local_error = NULL;

      if ((current = mend_atomic_file_read (path, &local_error)) == NULL)
        {
          if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
            return set_error (error, MEND_REPAIR_ERROR_CONFIG_CHANGED, path, NULL, NULL);
          return set_error (error, MEND_REPAIR_ERROR_WRITE_FAILED, path, NULL,
                            local_error->message);
        }

      if (!g_bytes_equal (current, mend_file_edit_get_original (edit)))
        return set_error (error, MEND_REPAIR_ERROR_CONFIG_CHANGED, path, NULL, NULL);
    }

  return TRUE;
}

/* The change's record, pending, with a backup of every file, all synced to disk. */
static MendChange *
record_pending (MendJournal     *self,
                MendRepairPlan  *plan,
                GPtrArray       *edits,
                GError         **error)
{
  g_autoptr(MendChange) change = NULL;
  g_autoptr(GDateTime) time = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *folder = NULL;
  gint64 time_us;

  if ((folder = create_change_folder (self, &time_us, error)) == NULL)
    return NULL;

  time = g_date_time_new_from_unix_utc (time_us / G_USEC_PER_SEC);
  change = _mend_change_new (folder, time, mend_repair_plan_get_account_id (plan),
                             mend_repair_plan_get_client_id (plan),
                             mend_repair_plan_get_client_name (plan),
                             mend_repair_plan_get_address (plan));

  for (guint i = 0; i < edits->len; i++)
    {
      MendFileEdit *edit = g_ptr_array_index (edits, i);
      g_autofree char *name = g_path_get_basename (mend_file_edit_get_path (edit));
      g_autofree char *backup_name = g_strdup_printf ("%u-%s", i + 1, name);
      g_autofree char *backup = g_build_filename (folder, backup_name, NULL);
      g_autofree char *original_checksum = checksum (mend_file_edit_get_original (edit));
      g_autofree char *new_checksum = checksum (mend_file_edit_get_replacement (edit));

      if (!mend_atomic_file_replace (backup, mend_file_edit_get_original (edit),
                                     MEND_ATOMIC_FILE_NONE, &local_error))
        {
          set_error (error, MEND_REPAIR_ERROR_JOURNAL_UNAVAILABLE, self->folder, NULL,
                     local_error->message);
          return NULL;
        }

      _mend_change_add_file (change, mend_file_edit_get_path (edit), backup_name,
                             original_checksum, new_checksum);
    }

  if (!_mend_change_save (change, &local_error) ||
      !mend_atomic_file_sync_folder (self->changes_folder, &local_error))
    {
      set_error (error, MEND_REPAIR_ERROR_JOURNAL_UNAVAILABLE, self->folder, NULL,
                 local_error->message);
      return NULL;
    }

  return g_steal_pointer (&change);
}

static gboolean
apply_locked (MendJournal     *self,
              MendRepairPlan  *plan,
              char           **change_id,
              GError         **error)
{
  g_autoptr(GPtrArray) edits = mend_repair_plan_dup_edits (plan);
  g_autoptr(GPtrArray) resolved = NULL;
  g_autoptr(MendChange) change = NULL;
  g_autoptr(GError) local_error = NULL;

  if ((resolved = recover_locked (self, error)) == NULL)
    return FALSE;

  if (!check_unchanged (edits, error))
    return FALSE;

  if ((change = record_pending (self, plan, edits, error)) == NULL)
    return FALSE;

  crash_point ("after-backup");

  for (guint i = 0; i < edits->len; i++)
    {
      MendFileEdit *edit = g_ptr_array_index (edits, i);
      const char *path = mend_file_edit_get_path (edit);

      if (!mend_atomic_file_replace (path, mend_file_edit_get_replacement (edit),
                                     MEND_ATOMIC_FILE_ALLOW_IN_PLACE, &local_error))
        return fail_apply (change, edits, i, path, local_error->message, error);

      g_debug ("Wrote %s", path);
      if (i == 0)
        crash_point ("after-first-rename");
    }

  crash_point ("before-commit");

  _mend_change_set_state (change, MEND_CHANGE_STATE_APPLIED);
  if (!_mend_change_save (change, &local_error))
    {
      g_autofree char *record = g_build_filename (mend_change_get_folder (change),
                                                  MEND_CHANGE_RECORD, NULL);

      /* Unrecorded, the change could not be undone: it must not stay. */
      if (!roll_back (edits, edits->len - 1, NULL))
        return set_error (error, MEND_REPAIR_ERROR_INCOMPLETE, record,
                          mend_change_get_folder (change), local_error->message);

      return set_error (error, MEND_REPAIR_ERROR_JOURNAL_UNAVAILABLE, self->folder, NULL,
                        local_error->message);
    }

  g_debug ("Applied change %s", mend_change_get_id (change));
  if (change_id != NULL)
    *change_id = g_strdup (mend_change_get_id (change));

  return TRUE;
}

/* --- undo ----------------------------------------------------------------------------- */

/* After a failure while restoring: give the files their new bytes again (@current), or leave
 * the change undoing, for the next use of the journal to finish. */
static gboolean
fail_undo (MendChange  *change,
           GPtrArray   *current,
           guint        last,
           const char  *path,
           const char  *reason,
           GError     **error)
{
  const char * const *files = mend_change_get_files (change);

  for (guint i = 0; i <= last; i++)
    {
      g_autoptr(GError) local_error = NULL;

      if (g_ptr_array_index (current, i) == NULL)
        continue;

      if (!restore_file (files[i], g_ptr_array_index (current, i), NULL, NULL, &local_error))
        {
          g_debug ("Could not give %s its repaired bytes again: %s", files[i],
                   local_error->message);
          return set_error (error, MEND_REPAIR_ERROR_INCOMPLETE, path,
                            mend_change_get_folder (change), reason);
        }
    }

  _mend_change_set_state (change, MEND_CHANGE_STATE_APPLIED);
  if (!_mend_change_save (change, NULL))
    g_debug ("Could not record change %s as applied again", mend_change_get_id (change));

  return set_error (error, MEND_REPAIR_ERROR_WRITE_FAILED, path, NULL, reason);
}

static gboolean
undo_locked (MendJournal  *self,
             const char   *change_id,
             GError      **error)
{
  g_autoptr(GPtrArray) resolved = NULL;
  g_autoptr(MendChange) change = NULL;
  g_autoptr(GPtrArray) originals = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  /* The files' repaired bytes; NULL for a file that already has its original ones. */
  g_autoptr(GPtrArray) current = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  g_autoptr(GError) local_error = NULL;
  const char * const *files;
  const char * const *backups;
  gboolean first = TRUE;

  if ((resolved = recover_locked (self, error)) == NULL)
    return FALSE;

  if ((change = load_change (self, change_id, &local_error)) == NULL)
    {
      if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
        return set_change_error (error, MEND_REPAIR_ERROR_UNKNOWN_CHANGE, change_id);
      return set_error (error, MEND_REPAIR_ERROR_JOURNAL_UNAVAILABLE, self->folder, NULL,
                        local_error->message);
    }

  if (mend_change_get_state (change) != MEND_CHANGE_STATE_APPLIED)
    return set_change_error (error, MEND_REPAIR_ERROR_NOT_APPLIED, change_id);

  files = mend_change_get_files (change);
  backups = mend_change_get_backups (change);

  /* Refuse before writing anything. */
  for (guint i = 0; files[i] != NULL; i++)
    {
      g_autoptr(GBytes) original = NULL;
      g_autoptr(GBytes) bytes = NULL;

      if ((original = read_backup (change, i, error)) == NULL)
        return FALSE;

      if ((bytes = mend_atomic_file_read (files[i], &local_error)) == NULL)
        return set_error (error, MEND_REPAIR_ERROR_UNDO_FILE_CHANGED, files[i], backups[i],
                          local_error->message);

      if (g_bytes_equal (bytes, original))
        g_clear_pointer (&bytes, g_bytes_unref);
      else if (!has_checksum (bytes, _mend_change_get_new_checksum (change, i)))
        return set_error (error, MEND_REPAIR_ERROR_UNDO_FILE_CHANGED, files[i], backups[i], NULL);

      g_ptr_array_add (originals, g_steal_pointer (&original));
      g_ptr_array_add (current, g_steal_pointer (&bytes));
    }

  _mend_change_set_state (change, MEND_CHANGE_STATE_UNDOING);
  if (!_mend_change_save (change, &local_error))
    return set_error (error, MEND_REPAIR_ERROR_JOURNAL_UNAVAILABLE, self->folder, NULL,
                      local_error->message);

  for (guint i = 0; files[i] != NULL; i++)
    {
      if (g_ptr_array_index (current, i) == NULL)
        continue;

      if (!mend_atomic_file_replace (files[i], g_ptr_array_index (originals, i),
                                     MEND_ATOMIC_FILE_ALLOW_IN_PLACE, &local_error))
        return fail_undo (change, current, i, files[i], local_error->message, error);

      g_debug ("Restored %s", files[i]);
      if (first)
        crash_point ("after-first-restore");
      first = FALSE;
    }

  _mend_change_set_state (change, MEND_CHANGE_STATE_UNDONE);
  if (!_mend_change_save (change, &local_error))
    g_debug ("Could not record change %s as undone (%s); the next use of the journal will",
             change_id, local_error->message);

  g_debug ("Undid change %s", change_id);

  return TRUE;
}

/* --- the object ----------------------------------------------------------------------- */

static void
mend_journal_finalize (GObject *object)
{
  MendJournal *self = (MendJournal *)object;

  g_clear_pointer (&self->folder, g_free);
  g_clear_pointer (&self->changes_folder, g_free);

  G_OBJECT_CLASS (mend_journal_parent_class)->finalize (object);
}

static void
mend_journal_class_init (MendJournalClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = mend_journal_finalize;
}

static void
mend_journal_init (MendJournal *self)
{
}

/**
 * mend_journal_new:
 * @folder: (nullable): the journal's folder, or %NULL for `$XDG_STATE_HOME/mailmend`
 *
 * Creates nothing yet: the folder is made on first use. Every method may be called from any
 * thread, and several processes may share one journal.
 *
 * Returns: (transfer full): a journal
 */
MendJournal *
mend_journal_new (const char *folder)
{
  MendJournal *self;

  g_return_val_if_fail (folder == NULL || g_path_is_absolute (folder), NULL);

  self = g_object_new (MEND_TYPE_JOURNAL, NULL);
  if (folder != NULL)
    self->folder = g_strdup (folder);
  else
    self->folder = g_build_filename (g_get_user_state_dir (), "mailmend", NULL);
  self->changes_folder = g_build_filename (self->folder, "changes", NULL);

  return self;
}

const char *
mend_journal_get_folder (MendJournal *self)
{
  g_return_val_if_fail (MEND_IS_JOURNAL (self), NULL);

  return self->folder;
}

/**
 * mend_journal_apply:
 * @self: a journal
 * @plan: a plan that can be applied
 * @change_id: (out) (optional): the new change's id
 * @error: return location for a %MEND_REPAIR_ERROR
 *
 * Writes every file of @plan, all or none, keeping a backup of each first. Refuses a plan
 * that cannot be applied and, writing nothing, a plan whose files changed since it read them.
 * Blocking (file I/O, and up to 10 seconds waiting for another process using the journal):
 * call it from a thread, or use mend_journal_apply_async().
 *
 * Returns: %TRUE when every file was written and the change recorded
 */
gboolean
mend_journal_apply (MendJournal     *self,
                    MendRepairPlan  *plan,
                    char           **change_id,
                    GError         **error)
{
  gboolean applied;
  int lock;

  g_return_val_if_fail (MEND_IS_JOURNAL (self), FALSE);
  g_return_val_if_fail (MEND_IS_REPAIR_PLAN (plan), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!mend_repair_plan_can_apply (plan))
    {
      GPtrArray *findings = mend_repair_plan_get_findings (plan);

      set_error (error, MEND_REPAIR_ERROR_CANNOT_APPLY, NULL, NULL, "The plan cannot be applied");
      if (error != NULL && findings->len > 0)
        {
          MendFinding *blocker = g_ptr_array_index (findings, 0);

          mend_repair_error_get_private (*error)->finding = g_object_ref (blocker);
        }
      return FALSE;
    }

  if ((lock = lock_journal (self, error)) < 0)
    return FALSE;
  applied = apply_locked (self, plan, change_id, error);
  unlock_journal (lock);

  return applied;
}

/**
 * mend_journal_undo:
 * @self: a journal
 * @change_id: a change's id
 * @error: return location for a %MEND_REPAIR_ERROR
 *
 * Gives every file of the change the exact bytes it had before, all or none. Refuses, writing
 * nothing, when a file changed since (%MEND_REPAIR_ERROR_UNDO_FILE_CHANGED, whose finding
 * says how to restore the backup by hand). A file that already has its old bytes is left
 * alone. Blocking, like mend_journal_apply().
 *
 * Returns: %TRUE when the change was undone
 */
gboolean
mend_journal_undo (MendJournal  *self,
                   const char   *change_id,
                   GError      **error)
{
  gboolean undone;
  int lock;

  g_return_val_if_fail (MEND_IS_JOURNAL (self), FALSE);
  g_return_val_if_fail (change_id != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!parse_id (change_id, NULL) || !journal_exists (self))
    return set_change_error (error, MEND_REPAIR_ERROR_UNKNOWN_CHANGE, change_id);

  if ((lock = lock_journal (self, error)) < 0)
    return FALSE;
  undone = undo_locked (self, change_id, error);
  unlock_journal (lock);

  return undone;
}

/**
 * mend_journal_recover:
 * @self: a journal
 * @error: return location for a %MEND_REPAIR_ERROR
 *
 * Resolves the changes that a crash (or a failure to put files back) left pending or undoing:
 * see the top of mend-journal.c. Apply, undo, list and get do it first too.
 *
 * Returns: (transfer container) (element-type MendChange): the changes resolved, now
 *   rolled back or undone; %NULL when one could not be
 */
GPtrArray *
mend_journal_recover (MendJournal  *self,
                      GError      **error)
{
  GPtrArray *resolved;
  int lock;

  g_return_val_if_fail (MEND_IS_JOURNAL (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!journal_exists (self))
    return g_ptr_array_new_with_free_func (g_object_unref);

  if ((lock = lock_journal (self, error)) < 0)
    return NULL;
  resolved = recover_locked (self, error);
  unlock_journal (lock);

  return resolved;
}

/**
 * mend_journal_list_changes:
 * @self: a journal
 * @error: return location for a %MEND_REPAIR_ERROR
 *
 * Every change, newest first, whatever its state. A change that could not be resolved (see
 * mend_journal_recover()) is listed as pending.
 *
 * Returns: (transfer container) (element-type MendChange): the changes
 */
GPtrArray *
mend_journal_list_changes (MendJournal  *self,
                           GError      **error)
{
  g_autoptr(GPtrArray) resolved = NULL;
  g_autoptr(GPtrArray) ids = NULL;
  g_autoptr(GError) local_error = NULL;
  GPtrArray *changes;
  int lock;

  g_return_val_if_fail (MEND_IS_JOURNAL (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!journal_exists (self))
    return g_ptr_array_new_with_free_func (g_object_unref);

  if ((lock = lock_journal (self, error)) < 0)
    return NULL;

  if ((resolved = recover_locked (self, &local_error)) == NULL)
    g_debug ("Listing with an unresolved change: %s", local_error->message);

  ids = list_ids (self);
  changes = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = ids->len; i > 0; i--)
    {
      MendChange *change = load_change (self, g_ptr_array_index (ids, i - 1), NULL);

      if (change != NULL)
        g_ptr_array_add (changes, change);
    }

  unlock_journal (lock);

  return changes;
}

/**
 * mend_journal_get_change:
 * @self: a journal
 * @change_id: a change's id
 * @error: return location for a %MEND_REPAIR_ERROR
 *
 * Returns: (transfer full): the change, or %NULL (%MEND_REPAIR_ERROR_UNKNOWN_CHANGE)
 */
MendChange *
mend_journal_get_change (MendJournal  *self,
                         const char   *change_id,
                         GError      **error)
{
  g_autoptr(GPtrArray) resolved = NULL;
  g_autoptr(GError) local_error = NULL;
  MendChange *change;
  int lock;

  g_return_val_if_fail (MEND_IS_JOURNAL (self), NULL);
  g_return_val_if_fail (change_id != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!parse_id (change_id, NULL) || !journal_exists (self))
    {
      set_change_error (error, MEND_REPAIR_ERROR_UNKNOWN_CHANGE, change_id);
      return NULL;
    }

  if ((lock = lock_journal (self, error)) < 0)
    return NULL;

  if ((resolved = recover_locked (self, &local_error)) == NULL)
    g_debug ("Reading a change with an unresolved one: %s", local_error->message);
  g_clear_error (&local_error);

  change = load_change (self, change_id, &local_error);
  unlock_journal (lock);

  if (change == NULL)
    set_change_error (error, MEND_REPAIR_ERROR_UNKNOWN_CHANGE, change_id);

  return change;
}

/* --- async ---------------------------------------------------------------------------- */

static void
apply_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  g_autoptr(GError) error = NULL;
  char *change_id = NULL;

  /* Once writing has started it finishes: cancelling halfway would only mean rolling back. */
  if (g_task_return_error_if_cancelled (task))
    return;

  if (mend_journal_apply (source_object, task_data, &change_id, &error))
    g_task_return_pointer (task, change_id, g_free);
  else
    g_task_return_error (task, g_steal_pointer (&error));
}

/**
 * mend_journal_apply_async:
 *
 * Runs mend_journal_apply() in a thread. Cancelling stops it only before it starts writing.
 */
void
mend_journal_apply_async (MendJournal         *self,
                          MendRepairPlan      *plan,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (MEND_IS_JOURNAL (self));
  g_return_if_fail (MEND_IS_REPAIR_PLAN (plan));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, mend_journal_apply_async);
  g_task_set_task_data (task, g_object_ref (plan), g_object_unref);
  g_task_run_in_thread (task, apply_thread);
}

/**
 * mend_journal_apply_finish:
 *
 * Returns: (transfer full): the new change's id, or %NULL with @error set
 */
char *
mend_journal_apply_finish (MendJournal   *self,
                           GAsyncResult  *result,
                           GError       **error)
{
  g_return_val_if_fail (MEND_IS_JOURNAL (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == mend_journal_apply_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
undo_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  g_autoptr(GError) error = NULL;

  if (g_task_return_error_if_cancelled (task))
    return;

  if (mend_journal_undo (source_object, task_data, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, g_steal_pointer (&error));
}

/**
 * mend_journal_undo_async:
 *
 * Runs mend_journal_undo() in a thread. Cancelling stops it only before it starts writing.
 */
void
mend_journal_undo_async (MendJournal         *self,
                         const char          *change_id,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (MEND_IS_JOURNAL (self));
  g_return_if_fail (change_id != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, mend_journal_undo_async);
  g_task_set_task_data (task, g_strdup (change_id), g_free);
  g_task_run_in_thread (task, undo_thread);
}

gboolean
mend_journal_undo_finish (MendJournal   *self,
                          GAsyncResult  *result,
                          GError       **error)
{
  g_return_val_if_fail (MEND_IS_JOURNAL (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == mend_journal_undo_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* --- findings ------------------------------------------------------------------------- */

static MendFinding *
finding_with_details (MendFinding *finding,
                      const char  *path,
                      const char  *reason)
{
  g_autofree char *details = NULL;

  if (path != NULL && reason != NULL)
    details = g_strdup_printf ("%s: %s", path, reason);
  mend_finding_set_details (finding, details != NULL ? details : path != NULL ? path : reason);

  return finding;
}

static MendFinding *
undo_file_changed (const MendRepairErrorPrivate *priv)
{
  g_autofree char *explanation = NULL;
  g_autofree char *remedy = NULL;
  g_autofree char *quoted_backup = g_shell_quote (priv->backup);
  g_autofree char *quoted_path = g_shell_quote (priv->path);
  g_autofree char *command = g_strdup_printf ("cp %s %s", quoted_backup, quoted_path);

  /* Translators: %s is a file. */
  explanation = g_strdup_printf (_("%s was changed after Mailmend repaired it, perhaps by the "
                                   "mail app or by hand. Undoing the repair now would throw "
                                   "that change away, so Mailmend changed nothing."),
                                 priv->path);
  /* Translators: %s is a shell command that copies the backup over the file; keep it as is. */
  remedy = g_strdup_printf (_("To go back to the file as it was before the repair anyway, close "
                              "the mail app and run:\n%s"),
                            command);

  return finding_with_details (mend_finding_new ("undo-file-changed", MEND_SEVERITY_ERROR,
                                                 _("The file changed since the repair"),
                                                 explanation, remedy),
                               priv->path, priv->reason);
}

static MendFinding *
repair_incomplete (const MendRepairErrorPrivate *priv)
{
  g_autofree char *explanation = NULL;

  /* Translators: %s is a folder. */
  explanation = g_strdup_printf (_("A file could not be written, and Mailmend could not put "
                                   "back the files it had already changed. Their backups are "
                                   "safe in %s, and Mailmend puts them back the next time it "
                                   "runs."),
                                 priv->backup);

  return finding_with_details (mend_finding_new ("repair-incomplete", MEND_SEVERITY_ERROR,
                                                 _("The change was interrupted"), explanation,
                                                 _("Free some disk space or check the folder’s "
                                                   "permissions, then run “mailmend history” "
                                                   "to put the files back.")),
                               priv->path, priv->reason);
}

/**
 * mend_repair_error_to_finding:
 * @error: an error from the journal
 *
 * Returns: (transfer full) (nullable): what to tell the user, or %NULL when @error is not a
 *   %MEND_REPAIR_ERROR (a cancellation, say)
 */
MendFinding *
mend_repair_error_to_finding (const GError *error)
{
  MendRepairErrorPrivate *priv;

  g_return_val_if_fail (error != NULL, NULL);

  if (error->domain != MEND_REPAIR_ERROR)
    return NULL;

  priv = mend_repair_error_get_private (error);

  switch ((MendRepairError) error->code)
    {
    case MEND_REPAIR_ERROR_CANNOT_APPLY:
      if (priv->finding != NULL)
        return g_object_ref (priv->finding);
      return mend_repair_finding_nothing_to_change ();

    case MEND_REPAIR_ERROR_CONFIG_CHANGED:
      return mend_repair_finding_config_changed (priv->path);

    case MEND_REPAIR_ERROR_WRITE_FAILED:
      return mend_repair_finding_write_failed (priv->path, priv->reason);

    case MEND_REPAIR_ERROR_INCOMPLETE:
      return repair_incomplete (priv);

    case MEND_REPAIR_ERROR_UNDO_FILE_CHANGED:
      return undo_file_changed (priv);

    case MEND_REPAIR_ERROR_JOURNAL_UNAVAILABLE:
      return finding_with_details (mend_finding_new ("journal-unavailable", MEND_SEVERITY_ERROR,
                                                     _("Mailmend cannot keep a backup"),
                                                     _("Before it changes a file, Mailmend keeps "
                                                       "a copy of it in its journal, so that the "
                                                       "change can be undone. The journal could "
                                                       "not be used, so nothing was changed."),
                                                     _("Free some disk space or check the "
                                                       "permissions of the folder below, then "
                                                       "try again. If Mailmend is changing files "
                                                       "in another window, wait for it to "
                                                       "finish.")),
                                   priv->path, priv->reason);

    case MEND_REPAIR_ERROR_UNKNOWN_CHANGE:
      return finding_with_details (mend_finding_new ("change-not-found", MEND_SEVERITY_ERROR,
                                                     _("No such change"),
                                                     _("Mailmend has no record of a change with "
                                                       "this id."),
                                                     _("Run “mailmend history” to list the "
                                                       "changes Mailmend made.")),
                                   priv->change_id, NULL);

    case MEND_REPAIR_ERROR_NOT_APPLIED:
      return finding_with_details (mend_finding_new ("nothing-to-undo", MEND_SEVERITY_INFO,
                                                     _("Nothing to undo"),
                                                     _("This change was already undone, or it "
                                                       "never took effect."),
                                                     NULL),
                                   priv->change_id, NULL);

    default:
      g_return_val_if_reached (NULL);
    }
}
