/* mend-atomic-file.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef enum
{
  MEND_ATOMIC_FILE_NONE           = 0,
  /* When the file cannot be renamed over (EXDEV or EBUSY: a bind mount, as Flatpak shares
   * single files such as ~/.msmtprc), rewrite it in place instead. That is not atomic: a
   * failure or a crash can leave it partly written, so only use it with a backup that puts
   * it back (MendJournal keeps one). */
  MEND_ATOMIC_FILE_ALLOW_IN_PLACE = 1 << 0,
} MendAtomicFileFlags;

gboolean  mend_atomic_file_replace          (const char           *path,
                                             GBytes               *contents,
                                             MendAtomicFileFlags   flags,
                                             GError              **error);
GBytes   *mend_atomic_file_read             (const char           *path,
                                             GError              **error);
char     *mend_atomic_file_resolve          (const char           *path,
                                             GError              **error);
gboolean  mend_atomic_file_sync_folder      (const char           *folder,
                                             GError              **error);
guint     mend_atomic_file_remove_leftovers (const char           *path);

G_END_DECLS
