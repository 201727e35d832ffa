/* mend-line-editor.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Line-by-line edits of a hand-written configuration file that keep every other byte: the
 * lines that are not touched, their line endings, and whether the file ends with a newline.
 * Lines are numbered from 1, as the parsers report them, and always name the original lines,
 * so several edits can be made before mend_line_editor_finish() without renumbering. */
typedef struct _MendLineEditor MendLineEditor;

MendLineEditor *mend_line_editor_new          (const char      *text,
                                               gsize            length);
void            mend_line_editor_free         (MendLineEditor  *self);
guint           mend_line_editor_get_n_lines  (MendLineEditor  *self);
/* The original text of @line, without its line ending (up to a NUL byte, if it holds one). */
const char     *mend_line_editor_get_line     (MendLineEditor  *self,
                                               guint            line);
void            mend_line_editor_replace      (MendLineEditor  *self,
                                               guint            line,
                                               const char      *text);
void            mend_line_editor_remove       (MendLineEditor  *self,
                                               guint            line);
/* Inserts @text after @line (0: at the start of the file), after anything inserted there
 * before. */
void            mend_line_editor_insert_after (MendLineEditor  *self,
                                               guint            line,
                                               const char      *text);
gboolean        mend_line_editor_has_changes  (MendLineEditor  *self);
char           *mend_line_editor_finish       (MendLineEditor  *self,
                                               gsize           *length);

char           *mend_line_editor_format_like  (const char      *sample,
                                               gsize            key_start,
                                               gsize            key_end,
                                               gsize            value_start,
                                               const char      *key,
                                               const char      *value);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MendLineEditor, mend_line_editor_free)

G_END_DECLS
