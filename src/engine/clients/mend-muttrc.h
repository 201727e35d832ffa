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

G_END_DECLS
