/* mend-file-edit.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "mend-file-edit"

#include "config.h"

#include "mend-file-edit.h"
#include "mend-line-diff.h"

struct _MendFileEdit
{
  GObject  parent_instance;

  char    *path;
  GBytes  *original;
  GBytes  *replacement;
};

G_DEFINE_FINAL_TYPE (MendFileEdit, mend_file_edit, G_TYPE_OBJECT)

static void
mend_file_edit_finalize (GObject *object)
{
  MendFileEdit *self = (MendFileEdit *)object;

  g_clear_pointer (&self->path, g_free);
  g_clear_pointer (&self->original, g_bytes_unref);
  g_clear_pointer (&self->replacement, g_bytes_unref);

  G_OBJECT_CLASS (mend_file_edit_parent_class)->finalize (object);
}

static void
mend_file_edit_class_init (MendFileEditClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = mend_file_edit_finalize;
}

static void
mend_file_edit_init (MendFileEdit *self)
{
}

MendFileEdit *
mend_file_edit_new (const char *path,
                    GBytes     *original,
                    GBytes     *replacement)
{
  MendFileEdit *self;

  g_return_val_if_fail (path != NULL && g_path_is_absolute (path), NULL);
  g_return_val_if_fail (original != NULL, NULL);
  g_return_val_if_fail (replacement != NULL, NULL);

  self = g_object_new (MEND_TYPE_FILE_EDIT, NULL);
  self->path = g_strdup (path);
  self->original = g_bytes_ref (original);
  self->replacement = g_bytes_ref (replacement);

  return self;
}

const char *
mend_file_edit_get_path (MendFileEdit *self)
{
  g_return_val_if_fail (MEND_IS_FILE_EDIT (self), NULL);

  return self->path;
}

GBytes *
mend_file_edit_get_original (MendFileEdit *self)
{
  g_return_val_if_fail (MEND_IS_FILE_EDIT (self), NULL);

  return self->original;
}

GBytes *
mend_file_edit_get_replacement (MendFileEdit *self)
{
  g_return_val_if_fail (MEND_IS_FILE_EDIT (self), NULL);

  return self->replacement;
}

void
mend_file_edit_set_replacement (MendFileEdit *self,
                                GBytes       *replacement)
{
  g_return_if_fail (MEND_IS_FILE_EDIT (self));
  g_return_if_fail (replacement != NULL);

  g_bytes_ref (replacement);
  g_bytes_unref (self->replacement);
  self->replacement = replacement;
}

gboolean
mend_file_edit_is_change (MendFileEdit *self)
{
  g_return_val_if_fail (MEND_IS_FILE_EDIT (self), FALSE);

  return !g_bytes_equal (self->original, self->replacement);
}

char *
mend_file_edit_dup_diff (MendFileEdit *self)
{
  g_return_val_if_fail (MEND_IS_FILE_EDIT (self), NULL);

  return mend_line_diff_unified (self->path, self->original, self->replacement, 3);
}
