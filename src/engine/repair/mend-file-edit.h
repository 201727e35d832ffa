/* mend-file-edit.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define MEND_TYPE_FILE_EDIT (mend_file_edit_get_type ())

G_DECLARE_FINAL_TYPE (MendFileEdit, mend_file_edit, MEND, FILE_EDIT, GObject)

/* One configuration file as a repair found it (@original, the exact bytes read) and as it
 * will leave it (@replacement). @path is absolute. */
MendFileEdit *mend_file_edit_new             (const char   *path,
                                              GBytes       *original,
                                              GBytes       *replacement);
const char   *mend_file_edit_get_path        (MendFileEdit *self);
GBytes       *mend_file_edit_get_original    (MendFileEdit *self);
GBytes       *mend_file_edit_get_replacement (MendFileEdit *self);
void          mend_file_edit_set_replacement (MendFileEdit *self,
                                              GBytes       *replacement);
gboolean      mend_file_edit_is_change       (MendFileEdit *self);
/* A unified diff (`--- path`, `+++ path`, `@@` hunks with 3 lines of context) of the two. */
char         *mend_file_edit_dup_diff        (MendFileEdit *self);
char         *mend_file_edit_dup_display_diff (MendFileEdit *self);

G_END_DECLS
