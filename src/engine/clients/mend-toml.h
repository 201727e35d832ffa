/* mend-toml.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define MEND_TOML_ERROR (mend_toml_error_quark ())

typedef enum
{
  MEND_TOML_ERROR_SYNTAX,
  MEND_TOML_ERROR_DUPLICATE,
  MEND_TOML_ERROR_TOO_LARGE,
} MendTomlError;

typedef enum
{
  MEND_TOML_KIND_STRING,
  MEND_TOML_KIND_INTEGER,
  MEND_TOML_KIND_FLOAT,
  MEND_TOML_KIND_BOOLEAN,
  MEND_TOML_KIND_DATETIME,
  MEND_TOML_KIND_ARRAY,
  MEND_TOML_KIND_TABLE,
} MendTomlKind;

/* One value of a TOML document; the document itself is its root table. */
typedef struct _MendToml MendToml;

GQuark          mend_toml_error_quark      (void);

MendToml       *mend_toml_parse            (const char      *data,
                                            gssize           length,
                                            GError         **error);
void            mend_toml_free             (MendToml        *value);

MendTomlKind    mend_toml_get_kind         (const MendToml  *value);
const char     *mend_toml_get_string       (const MendToml  *value);
gint64          mend_toml_get_integer      (const MendToml  *value);
double          mend_toml_get_float        (const MendToml  *value);
gboolean        mend_toml_get_boolean      (const MendToml  *value);
guint           mend_toml_get_length       (const MendToml  *value);
const MendToml *mend_toml_get_element      (const MendToml  *value,
                                            guint            index);
const char     *mend_toml_get_key          (const MendToml  *table,
                                            guint            index);
const MendToml *mend_toml_get_member       (const MendToml  *table,
                                            const char      *key);

const MendToml *mend_toml_lookup           (const MendToml  *table,
                                            const char      *path);
const char     *mend_toml_lookup_string    (const MendToml  *table,
                                            const char      *path);
gboolean        mend_toml_lookup_integer   (const MendToml  *table,
                                            const char      *path,
                                            gint64          *value);
gboolean        mend_toml_lookup_boolean   (const MendToml  *table,
                                            const char      *path,
                                            gboolean        *value);

/* Where a `[table]` header or a `key = value` is in the document. */
typedef struct
{
  gboolean   header;
  char     **path;         /* the absolute key: the table's, or the table's and then the key's */
  guint      first;        /* its first line */
  guint      last;         /* its last line, after a value over several lines */
  gsize      key_start;    /* in its first line: where the key (or the header) starts */
  gsize      key_end;      /* where it ends */
  gsize      value_start;  /* where the value starts (key-values) */
} MendTomlStatement;

void            mend_toml_statement_free   (MendTomlStatement *statement);
GPtrArray      *mend_toml_parse_statements (const char        *data,
                                            gssize             length,
                                            GError           **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MendToml, mend_toml_free)

G_END_DECLS
