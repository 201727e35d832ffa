/* mend-scanner.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "mend-client.h"
#include "mend-scan-context.h"

G_BEGIN_DECLS

#define MEND_TYPE_SCANNER (mend_scanner_get_type ())

G_DECLARE_FINAL_TYPE (MendScanner, mend_scanner, MEND, SCANNER, GObject)

MendScanner *mend_scanner_new          (void);
GPtrArray   *mend_scanner_get_clients  (MendScanner          *self);
MendClient  *mend_scanner_find_client  (MendScanner          *self,
                                        const char           *id);
void         mend_scanner_scan         (MendScanner          *self,
                                        MendScanContext      *context);
void         mend_scanner_scan_async   (MendScanner          *self,
                                        MendScanContext      *context,
                                        GCancellable         *cancellable,
                                        GAsyncReadyCallback   callback,
                                        gpointer              user_data);
gboolean     mend_scanner_scan_finish  (MendScanner          *self,
                                        GAsyncResult         *result,
                                        GError              **error);

G_END_DECLS
