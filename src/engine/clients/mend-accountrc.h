/* mend-accountrc.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

#include "mend-scan-context.h"

G_BEGIN_DECLS

#define MEND_ACCOUNTRC_ERROR (mend_accountrc_error_quark ())

typedef enum
{
  MEND_ACCOUNTRC_ERROR_SYNTAX,
  MEND_ACCOUNTRC_ERROR_BINARY,
  MEND_ACCOUNTRC_ERROR_ENCODING,
} MendAccountrcError;

#define MEND_TYPE_ACCOUNTRC (mend_accountrc_get_type ())

typedef struct _MendAccountrc MendAccountrc;

GQuark         mend_accountrc_error_quark    (void);
GType          mend_accountrc_get_type       (void) G_GNUC_CONST;
MendAccountrc *mend_accountrc_parse          (const char    *data,
                                              gsize          length,
                                              GError       **error);
MendAccountrc *mend_accountrc_ref            (MendAccountrc *self);
void           mend_accountrc_unref          (MendAccountrc *self);
guint          mend_accountrc_get_n_sections (MendAccountrc *self);
const char    *mend_accountrc_get_section    (MendAccountrc *self,
                                              guint          index);
gboolean       mend_accountrc_has_section    (MendAccountrc *self,
                                              const char    *section);
const char    *mend_accountrc_get_value      (MendAccountrc *self,
                                              const char    *section,
                                              const char    *key);
gboolean       mend_accountrc_get_int        (MendAccountrc *self,
                                              const char    *section,
                                              const char    *key,
                                              gint64        *value);
gboolean       mend_accountrc_get_boolean    (MendAccountrc *self,
                                              const char    *section,
                                              const char    *key,
                                              gboolean       default_value);

MendAccountrc *mend_accountrc_load           (MendScanContext *context,
                                              const char      *path);
const char    *mend_accountrc_get_nonempty   (MendAccountrc   *self,
                                              const char      *section,
                                              const char      *key);
gint64         mend_accountrc_get_int_or     (MendAccountrc   *self,
                                              const char      *section,
                                              const char      *key,
                                              gint64           default_value);

char          *mend_accountrc_set_value      (const char      *data,
                                              gsize            length,
                                              const char      *section,
                                              const char      *key,
                                              const char      *value);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MendAccountrc, mend_accountrc_unref)

G_END_DECLS
