/* mend-ini.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define MEND_INI_ERROR (mend_ini_error_quark ())

typedef enum
{
  MEND_INI_ERROR_SYNTAX,
  MEND_INI_ERROR_DUPLICATE,
  MEND_INI_ERROR_INTERPOLATION,
} MendIniError;

/* The INI dialects mail clients read. */
typedef enum
{
  /* go-ini as aerc loads it: `key = value` only, `#` and `;` comments
   * (also inline), quoted values, `\` line continuation, case-sensitive
   * keys, a repeated key replaces the earlier one. */
  MEND_INI_DIALECT_GO,
  /* Python's configparser as OfflineIMAP loads it: `key = value` or
   * `key: value`, indented continuation lines, case-insensitive keys,
   * a [DEFAULT] section, `%(name)s` interpolation, and strict: repeated
   * sections or keys are errors. */
  MEND_INI_DIALECT_PYTHON,
} MendIniDialect;

typedef struct _MendIni MendIni;

GQuark       mend_ini_error_quark       (void);

MendIni     *mend_ini_parse             (const char      *data,
                                         gssize           length,
                                         MendIniDialect   dialect,
                                         GError         **error);
void         mend_ini_free              (MendIni         *ini);

guint        mend_ini_get_n_sections    (MendIni         *ini);
const char  *mend_ini_get_section_name  (MendIni         *ini,
                                         guint            index);
gboolean     mend_ini_has_section       (MendIni         *ini,
                                         const char      *section);
gboolean     mend_ini_has_key           (MendIni         *ini,
                                         const char      *section,
                                         const char      *key);
const char  *mend_ini_get_raw           (MendIni         *ini,
                                         const char      *section,
                                         const char      *key);
char        *mend_ini_get_value         (MendIni         *ini,
                                         const char      *section,
                                         const char      *key,
                                         GError         **error);
gboolean     mend_ini_get_boolean       (MendIni         *ini,
                                         const char      *section,
                                         const char      *key,
                                         gboolean         default_value);
gboolean     mend_ini_get_key_lines     (MendIni         *ini,
                                         const char      *section,
                                         const char      *key,
                                         guint           *first,
                                         guint           *last);
gboolean     mend_ini_get_section_lines (MendIni         *ini,
                                         const char      *section,
                                         guint           *header,
                                         guint           *last);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MendIni, mend_ini_free)

G_END_DECLS
