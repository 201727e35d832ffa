/* mend-muttrc.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/* What a password variable (imap_pass, smtp_pass…) holds instead of the password. */
#define MEND_MUTTRC_HIDDEN "********"

/* One variable as the configuration left it. */
typedef struct
{
  char  *value;   /* NULL when unset */
  char  *source;  /* the file that set it */
  guint  line;
} MendMuttrcValue;

/* The top level, or the commands of one hook: `account-hook PATTERN "set …"`,
 * or of one macro: `macro index i2 "<enter-command>source ~/.mutt/work<enter>"`. */
typedef struct
{
  char       *hook;     /* NULL at the top level, else “account-hook”, “folder-hook” or “macro” */
  char       *pattern;  /* the hook's pattern or the macro's key, as written */
  char       *source;   /* the file holding the hook (the first file at the top level) */
  guint       line;
  GHashTable *values;   /* variable name → MendMuttrcValue */
} MendMuttrcScope;

typedef struct
{
  char  *path;
  guint  line;
  char  *message;       /* translated */
} MendMuttrcError;

/**
 * MendMuttrcReadFunc:
 * @path: an absolute path
 * @contents: (out): the file's text
 * @length: (out): its length
 *
 * Reads a file the configuration sources. Returns %FALSE when it cannot,
 * having reported why if that matters.
 */
typedef gboolean (*MendMuttrcReadFunc) (const char  *path,
                                        char       **contents,
                                        gsize       *length,
                                        gpointer     user_data);

#define MEND_TYPE_MUTTRC (mend_muttrc_get_type ())

G_DECLARE_FINAL_TYPE (MendMuttrc, mend_muttrc, MEND, MUTTRC, GObject)

MendMuttrc            *mend_muttrc_new            (const char          *home_dir,
                                                   const char          *config_dir);
void                   mend_muttrc_load           (MendMuttrc          *self,
                                                   const char          *path,
                                                   MendMuttrcReadFunc   read_func,
                                                   gpointer             user_data);
void                   mend_muttrc_parse          (MendMuttrc          *self,
                                                   const char          *path,
                                                   const char          *data,
                                                   gsize                length,
                                                   MendMuttrcReadFunc   read_func,
                                                   gpointer             user_data);
GPtrArray             *mend_muttrc_get_scopes     (MendMuttrc          *self);
GPtrArray             *mend_muttrc_get_mailboxes  (MendMuttrc          *self);
GPtrArray             *mend_muttrc_get_errors     (MendMuttrc          *self);
GPtrArray             *mend_muttrc_get_files      (MendMuttrc          *self);

const MendMuttrcValue *mend_muttrc_scope_lookup   (const MendMuttrcScope *scope,
                                                   const char            *name);
const char            *mend_muttrc_scope_get      (const MendMuttrcScope *scope,
                                                   const char            *name);

/* Line-preserving edits of one muttrc file: assignments are changed or removed where they
 * are written, at the top level of a line or inside a hook's single-quoted command. Lines are
 * the first lines of logical lines (continued with a backslash), as MendMuttrcValue gives
 * them. */
typedef struct _MendMuttrcEditor MendMuttrcEditor;

MendMuttrcEditor      *mend_muttrc_editor_new          (const char          *data,
                                                        gsize                length);
void                   mend_muttrc_editor_free         (MendMuttrcEditor    *self);
gboolean               mend_muttrc_editor_set          (MendMuttrcEditor    *self,
                                                        guint                line,
                                                        const char          *name,
                                                        const char          *value);
gboolean               mend_muttrc_editor_remove       (MendMuttrcEditor    *self,
                                                        guint                line,
                                                        const char          *name);
void                   mend_muttrc_editor_insert_after (MendMuttrcEditor    *self,
                                                        guint                line,
                                                        const char          *text);
gboolean               mend_muttrc_editor_add_to_hook  (MendMuttrcEditor    *self,
                                                        guint                line,
                                                        const char          *name,
                                                        const char          *value);
char                  *mend_muttrc_editor_format_set   (MendMuttrcEditor    *self,
                                                        guint                sample,
                                                        const char          *name,
                                                        const char          *value);
char                  *mend_muttrc_editor_finish       (MendMuttrcEditor    *self,
                                                        gsize               *length);

char                  *mend_muttrc_quote               (const char          *text);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MendMuttrcEditor, mend_muttrc_editor_free)

G_END_DECLS
