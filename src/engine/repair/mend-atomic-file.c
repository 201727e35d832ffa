/* mend-atomic-file.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Replacing a file so that, whatever happens (a full disk, a crash, a power cut), it holds
 * either its old contents or its new ones, never a mix: the new contents go to a temporary
 * file in the same folder, which is synced to disk and then renamed over the file; then the
 * folder is synced, so the rename itself survives a power cut.
 *
 * Symbolic links are followed: configurations managed by GNU Stow, home-manager or a dotfiles
 * repository are links into another folder, and they must stay links. The file the link
 * points to is replaced (its temporary file sits next to it), and the link is left alone.
 */

#define G_LOG_DOMAIN "mend-atomic-file"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "mend-atomic-file.h"

/* Temporary files are `.<name>.mailmend-XXXXXX` (`.msmtprc.mailmend-XXXXXX` for a dotfile),
 * with the name cut short enough to stay under NAME_MAX. */
#define TEMP_INFIX    ".mailmend-"
#define TEMP_NAME_MAX 200

/* The message is the system's own description of the error (already translated by the C
 * library): callers put the path next to it. The step goes to the debug log. */
static gboolean
fail (GError     **error,
      int          saved_errno,
      const char  *step,
      const char  *path)
{
  g_debug ("%s %s: %s", step, path, g_strerror (saved_errno));
  g_set_error_literal (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                       g_strerror (saved_errno));

  return FALSE;
}

static int
write_all (int           fd,
           const guint8 *data,
           gsize         length)
{
  while (length > 0)
    {
      gssize written = write (fd, data, MIN (length, (gsize) G_MAXSSIZE));

      if (written < 0 && errno == EINTR)
        continue;
      if (written < 0)
        return errno;
      if (written == 0)
        return ENOSPC;

      data += written;
      length -= written;
    }

  return 0;
}

static char *
temp_prefix (const char *target)
{
  g_autofree char *folder = g_path_get_dirname (target);
  g_autofree char *name = g_path_get_basename (target);

  /* Hidden, without doubling the dot of a dotfile. */
  return g_strdup_printf ("%s/%s%.*s" TEMP_INFIX, folder, name[0] == '.' ? "" : ".",
                          TEMP_NAME_MAX, name);
}

/* Not atomic: used only for files that cannot be renamed over, see
 * MEND_ATOMIC_FILE_ALLOW_IN_PLACE. The file keeps its inode, mode and owner. */
static gboolean
replace_in_place (const char  *target,
                  GBytes      *contents,
                  GError     **error)
{
  gsize length;
  const guint8 *data = g_bytes_get_data (contents, &length);
  int fd, saved_errno;

  g_debug ("Rewriting %s in place", target);

  fd = open (target, O_WRONLY | O_CLOEXEC);
  if (fd < 0)
    return fail (error, errno, "Could not open", target);

  if ((saved_errno = write_all (fd, data, length)) != 0)
    {
      close (fd);
      return fail (error, saved_errno, "Could not write", target);
    }
  if (ftruncate (fd, length) != 0 || fsync (fd) != 0)
    {
      saved_errno = errno;
      close (fd);
      return fail (error, saved_errno, "Could not finish", target);
    }
  if (close (fd) != 0)
    return fail (error, errno, "Could not close", target);

  return TRUE;
}

/* The temporary file gets the owner and mode of the file it replaces. Only root can give a
 * file away: anyone else replacing a file they do not own (but may replace, since they can
 * write to its folder) ends up owning the new one, as with any editor. */
static gboolean
copy_owner_and_mode (int                fd,
                     const struct stat *original,
                     const char        *target,
                     GError           **error)
{
  struct stat temp;

  if (fstat (fd, &temp) != 0)
    return fail (error, errno, "Could not look at the temporary file for", target);

  if ((temp.st_uid != original->st_uid || temp.st_gid != original->st_gid) &&
      fchown (fd, original->st_uid, original->st_gid) != 0)
    {
      if (errno != EPERM || geteuid () == 0)
        return fail (error, errno, "Could not keep the owner of", target);
      g_debug ("Cannot keep the owner of %s: not root", target);
    }

  /* After fchown(), which clears the set-id bits. */
  if (fchmod (fd, original->st_mode & 07777) != 0)
    return fail (error, errno, "Could not keep the mode of", target);

  return TRUE;
}

/**
 * mend_atomic_file_resolve:
 * @path: an absolute path
 * @error: return location for a #GError
 *
 * Returns: (transfer full): the file that writing @path changes: @path itself when it does not
 *   exist yet, else its canonical path with every symbolic link resolved. %NULL for a dangling
 *   link or a link loop.
 */
char *
mend_atomic_file_resolve (const char  *path,
                          GError     **error)
{
  g_autofree char *resolved = NULL;
  struct stat st;

  g_return_val_if_fail (path != NULL, NULL);

  if (lstat (path, &st) != 0)
    {
      if (errno == ENOENT)
        return g_strdup (path);
      fail (error, errno, "Could not look at", path);
      return NULL;
    }

  if ((resolved = realpath (path, NULL)) == NULL)
    {
      fail (error, errno, "Could not follow", path);
      return NULL;
    }

  return g_steal_pointer (&resolved);
}

/**
 * mend_atomic_file_sync_folder:
 * @folder: a folder
 * @error: return location for a #GError
 *
 * Syncs @folder to disk, so that the files created, renamed or removed in it stay so after a
 * power cut. File systems that cannot sync a folder count as synced.
 *
 * Returns: %TRUE when synced
 */
gboolean
mend_atomic_file_sync_folder (const char  *folder,
                              GError     **error)
{
  int fd;

  g_return_val_if_fail (folder != NULL, FALSE);

  fd = open (folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0)
    return fail (error, errno, "Could not open", folder);

  if (fsync (fd) != 0 && errno != EINVAL)
    {
      int saved_errno = errno;

      close (fd);
      return fail (error, saved_errno, "Could not sync", folder);
    }

  close (fd);

  return TRUE;
}

/**
 * mend_atomic_file_replace:
 * @path: an absolute path
 * @contents: the new contents
 * @flags: %MEND_ATOMIC_FILE_ALLOW_IN_PLACE to rewrite files that cannot be renamed over
 * @error: return location for a #GError (%G_IO_ERROR, with the system's message)
 *
 * Replaces the contents of @path (the file it links to, for a symbolic link) with @contents,
 * keeping its mode and owner, in one step: a temporary file in the same folder (created
 * exclusively, mode 0600 until it is complete), written, synced, renamed over the file; then
 * the folder is synced. A file that does not exist yet is created, with mode 0600.
 *
 * On failure the temporary file is removed and the file keeps its old contents. Two
 * exceptions, which a caller that must be sure compares the contents (as MendJournal does):
 * when only the final sync of the folder failed (the new contents are in place but might not
 * survive a power cut), and the in-place fallback, which can leave the file partly written.
 *
 * Returns: %TRUE when the file holds @contents
 */
gboolean
mend_atomic_file_replace (const char           *path,
                          GBytes               *contents,
                          MendAtomicFileFlags   flags,
                          GError              **error)
{
  g_autofree char *target = NULL;
  g_autofree char *folder = NULL;
  g_autofree char *prefix = NULL;
  g_autofree char *temp = NULL;
  gsize length;
  const guint8 *data;
  struct stat original;
  gboolean exists;
  int fd, saved_errno;

  g_return_val_if_fail (path != NULL && g_path_is_absolute (path), FALSE);
  g_return_val_if_fail (contents != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if ((target = mend_atomic_file_resolve (path, error)) == NULL)
    return FALSE;

  exists = stat (target, &original) == 0;
  if (!exists && errno != ENOENT)
    return fail (error, errno, "Could not look at", target);
  if (exists && !S_ISREG (original.st_mode))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_REGULAR_FILE, g_strerror (EINVAL));
      return FALSE;
    }

  folder = g_path_get_dirname (target);
  prefix = temp_prefix (target);
  temp = g_strconcat (prefix, "XXXXXX", NULL);

  fd = g_mkstemp_full (temp, O_RDWR | O_CLOEXEC, 0600);
  if (fd < 0)
    return fail (error, errno, "Could not create a temporary file for", target);

  data = g_bytes_get_data (contents, &length);
  if ((saved_errno = write_all (fd, data, length)) != 0)
    {
      fail (error, saved_errno, "Could not write", temp);
      goto failed;
    }

  if (exists && !copy_owner_and_mode (fd, &original, target, error))
    goto failed;

  if (fsync (fd) != 0)
    {
      fail (error, errno, "Could not sync", temp);
      goto failed;
    }

  /* Network file systems may report a failed write only here. */
  saved_errno = close (fd) != 0 ? errno : 0;
  fd = -1;
  if (saved_errno != 0)
    {
      fail (error, saved_errno, "Could not close", temp);
      goto failed;
    }

  if (rename (temp, target) != 0)
    {
      saved_errno = errno;
      g_unlink (temp);

      if ((flags & MEND_ATOMIC_FILE_ALLOW_IN_PLACE) && exists &&
          (saved_errno == EXDEV || saved_errno == EBUSY))
        return replace_in_place (target, contents, error);

      return fail (error, saved_errno, "Could not rename the temporary file over", target);
    }

  return mend_atomic_file_sync_folder (folder, error);

failed:
  if (fd >= 0)
    close (fd);
  g_unlink (temp);

  return FALSE;
}

/**
 * mend_atomic_file_read:
 * @path: a path
 * @error: return location for a #GError (%G_IO_ERROR, with the system's message)
 *
 * Returns: (transfer full): the exact bytes of @path, through symbolic links
 */
GBytes *
mend_atomic_file_read (const char  *path,
                       GError     **error)
{
  g_autoptr(GByteArray) bytes = g_byte_array_new ();
  guint8 buffer[16384];
  int fd;

  g_return_val_if_fail (path != NULL, NULL);

  fd = open (path, O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    {
      fail (error, errno, "Could not open", path);
      return NULL;
    }

  for (;;)
    {
      gssize n = read (fd, buffer, sizeof buffer);

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        {
          int saved_errno = errno;

          close (fd);
          fail (error, saved_errno, "Could not read", path);
          return NULL;
        }
      if (n == 0)
        break;

      g_byte_array_append (bytes, buffer, n);
    }

  close (fd);

  return g_byte_array_free_to_bytes (g_steal_pointer (&bytes));
}

/**
 * mend_atomic_file_remove_leftovers:
 * @path: a file that mend_atomic_file_replace() was writing
 *
 * Removes the temporary files a crash in the middle of replacing @path left next to it (or
 * next to the file it links to). Nothing else is touched.
 *
 * Returns: how many were removed
 */
guint
mend_atomic_file_remove_leftovers (const char *path)
{
  g_autofree char *target = NULL;
  g_autofree char *folder = NULL;
  g_autofree char *prefix = NULL;
  g_autofree char *name_prefix = NULL;
  g_autoptr(GDir) dir = NULL;
  const char *name;
  guint removed = 0;

  g_return_val_if_fail (path != NULL, 0);

  if ((target = mend_atomic_file_resolve (path, NULL)) == NULL)
    target = g_strdup (path);

  folder = g_path_get_dirname (target);
  prefix = temp_prefix (target);
  name_prefix = g_path_get_basename (prefix);

  if ((dir = g_dir_open (folder, 0, NULL)) == NULL)
    return 0;

  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *leftover = NULL;

      if (!g_str_has_prefix (name, name_prefix) || strlen (name) != strlen (name_prefix) + 6)
        continue;

      leftover = g_build_filename (folder, name, NULL);
      if (g_unlink (leftover) == 0)
        {
          g_debug ("Removed the leftover %s", leftover);
          removed++;
        }
    }

  return removed;
}
