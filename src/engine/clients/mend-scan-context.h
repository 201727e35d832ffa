/* mend-scan-context.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

#include "mend-account.h"

G_BEGIN_DECLS

/* Larger configuration files are reported as unreadable, not read. */
#define MEND_SCAN_MAX_FILE_SIZE (64 * 1024 * 1024)

#define MEND_TYPE_SCAN_CONTEXT (mend_scan_context_get_type ())

G_DECLARE_FINAL_TYPE (MendScanContext, mend_scan_context, MEND, SCAN_CONTEXT, GObject)

MendScanContext  *mend_scan_context_new                (const char          *home_dir,
                                                        const char          *config_dir);
const char       *mend_scan_context_get_home_dir       (MendScanContext     *self);
const char       *mend_scan_context_get_config_dir     (MendScanContext     *self);
char             *mend_scan_context_expand_path        (MendScanContext     *self,
                                                        const char          *path,
                                                        const char          *relative_to);
void              mend_scan_context_set_proc_dir       (MendScanContext     *self,
                                                        const char          *proc_dir);
gboolean          mend_scan_context_is_pid_alive       (MendScanContext     *self,
                                                        gint64               pid);
gboolean          mend_scan_context_is_process_running (MendScanContext     *self,
                                                        const char * const  *names);
void              mend_scan_context_add_extra_folder   (MendScanContext     *self,
                                                        const char          *folder);
const char      **mend_scan_context_get_extra_folders  (MendScanContext     *self);
gboolean          mend_scan_context_read_file          (MendScanContext     *self,
                                                        const char          *path,
                                                        char               **contents,
                                                        gsize               *length);
GKeyFile         *mend_scan_context_load_key_file      (MendScanContext     *self,
                                                        const char          *path);
void              mend_scan_context_report_unreadable  (MendScanContext     *self,
                                                        const char          *path,
                                                        const char          *reason);
void              mend_scan_context_add_account        (MendScanContext     *self,
                                                        MendAccount         *account);
GPtrArray        *mend_scan_context_get_accounts       (MendScanContext     *self);
GPtrArray        *mend_scan_context_get_findings       (MendScanContext     *self);

G_END_DECLS
