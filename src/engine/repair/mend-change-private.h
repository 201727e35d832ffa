/* mend-change-private.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "mend-change.h"

G_BEGIN_DECLS

/* The name of the record in a change's folder. */
#define MEND_CHANGE_RECORD "change.json"

MendChange *_mend_change_new                   (const char       *folder,
                                                GDateTime        *time,
                                                const char       *account_id,
                                                const char       *client_id,
                                                const char       *client_name,
                                                const char       *address);
MendChange *_mend_change_load                  (const char       *folder,
                                                GError          **error);
gboolean    _mend_change_save                  (MendChange       *self,
                                                GError          **error);
void        _mend_change_set_state             (MendChange       *self,
                                                MendChangeState   state);
void        _mend_change_add_file              (MendChange       *self,
                                                const char       *path,
                                                const char       *backup_name,
                                                const char       *original_checksum,
                                                const char       *new_checksum);
guint       _mend_change_get_n_files           (MendChange       *self);
const char *_mend_change_get_original_checksum (MendChange       *self,
                                                guint             index);
const char *_mend_change_get_new_checksum      (MendChange       *self,
                                                guint             index);

G_END_DECLS
