/* mend-prefs-js.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define MEND_PREFS_JS_ERROR (mend_prefs_js_error_quark ())

typedef enum
{
  /* NUL bytes or control characters: not a text file. */
  MEND_PREFS_JS_ERROR_BINARY,
  /* Text, but not one statement in it could be read. */
  MEND_PREFS_JS_ERROR_NOT_PREFS,
  /* The file ends in the middle of a statement: it was cut short. */
  MEND_PREFS_JS_ERROR_TRUNCATED,
  /* Not UTF-8: it can be read, but not edited in place. */
  MEND_PREFS_JS_ERROR_ENCODING,
} MendPrefsJsError;

typedef enum
{
  MEND_PREFS_JS_TYPE_NONE,
  MEND_PREFS_JS_TYPE_STRING,
  MEND_PREFS_JS_TYPE_INT,
  MEND_PREFS_JS_TYPE_BOOL,
} MendPrefsJsType;

#define MEND_TYPE_PREFS_JS (mend_prefs_js_get_type ())

typedef struct _MendPrefsJs MendPrefsJs;

GType            mend_prefs_js_get_type       (void) G_GNUC_CONST;
GQuark           mend_prefs_js_error_quark    (void);

MendPrefsJs     *mend_prefs_js_parse          (const char   *contents,
                                               gsize         length,
                                               GError      **error);
MendPrefsJs     *mend_prefs_js_ref            (MendPrefsJs  *self);
void             mend_prefs_js_unref          (MendPrefsJs  *self);
guint            mend_prefs_js_get_size       (MendPrefsJs  *self);
guint            mend_prefs_js_get_n_errors   (MendPrefsJs  *self);
gboolean         mend_prefs_js_has            (MendPrefsJs  *self,
                                               const char   *name);
MendPrefsJsType  mend_prefs_js_get_value_type (MendPrefsJs  *self,
                                               const char   *name);
const char      *mend_prefs_js_get_string     (MendPrefsJs  *self,
                                               const char   *name);
gint             mend_prefs_js_get_int        (MendPrefsJs  *self,
                                               const char   *name,
                                               gint          default_value);
gboolean         mend_prefs_js_get_bool       (MendPrefsJs  *self,
                                               const char   *name,
                                               gboolean      default_value);

char            *mend_prefs_js_set_int        (const char   *contents,
                                               gsize         length,
                                               const char   *name,
                                               gint          value,
                                               GError      **error);
char            *mend_prefs_js_set_string     (const char   *contents,
                                               gsize         length,
                                               const char   *name,
                                               const char   *value,
                                               GError      **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MendPrefsJs, mend_prefs_js_unref)

G_END_DECLS
