/* mend-test-scan.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Helpers for the scan tests: fixture homes copied to a temporary folder,
 * a fake process table next to them, a scan over them, and a check that
 * the scan changed nothing.
 */

#pragma once

#include "mend-scanner.h"

G_BEGIN_DECLS

typedef struct
{
  char            *home;       /* the temporary copy of the fixture home */
  GHashTable      *checksums;  /* relative path → SHA-256, before the scan */
  MendScanContext *context;
  char            *proc_dir;   /* the process table the context reads */
} MendTestScan;

MendTestScan *mend_test_scan_new               (const char         *fixture);
void          mend_test_scan_set_config_home   (MendTestScan       *scan,
                                                const char         *relative_path);
void          mend_test_scan_set_running       (MendTestScan       *scan,
                                                ...) G_GNUC_NULL_TERMINATED;
void          mend_test_scan_set_running_pid   (MendTestScan       *scan,
                                                guint               pid,
                                                const char         *process_name);
void          mend_test_scan_run               (MendTestScan       *scan);
void          mend_test_scan_free              (MendTestScan       *scan);
GPtrArray    *mend_test_scan_accounts          (MendTestScan       *scan,
                                                const char         *client);
guint         mend_test_scan_count             (MendTestScan       *scan,
                                                const char         *client);
MendAccount  *mend_test_scan_find              (MendTestScan       *scan,
                                                const char         *client,
                                                const char         *address,
                                                MendProtocol        protocol);
MendAccount  *mend_test_scan_find_by_key       (MendTestScan       *scan,
                                                const char         *client,
                                                const char         *key);
gboolean      mend_test_scan_has_unreadable    (MendTestScan       *scan,
                                                const char         *relative_path);
void          mend_test_scan_assert_source     (MendTestScan       *scan,
                                                MendAccount        *account,
                                                const char         *relative_path);
void          mend_test_scan_assert_unchanged  (MendTestScan       *scan);
void          mend_test_scan_assert_same_bytes (MendTestScan       *scan);
void          mend_test_scan_snapshot          (MendTestScan       *scan);
void          mend_test_scan_check_unreadable  (const char         *fixture,
                                                const char         *client,
                                                const char         *relative_path);
char         *mend_test_scan_path              (MendTestScan       *scan,
                                                const char         *relative_path);

void          mend_test_remove_tree            (const char         *path);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MendTestScan, mend_test_scan_free)

G_END_DECLS
