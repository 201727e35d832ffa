/* mend-preflight.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "mend-finding.h"
#include "mend-preflight-check.h"

G_BEGIN_DECLS

/* Each check gets this long, and they all run at once. */
#define MEND_PREFLIGHT_TIMEOUT_S        10
/* Beyond this, the clock is reported as wrong. */
#define MEND_PREFLIGHT_MAX_CLOCK_SKEW_S (5 * 60)

#define MEND_TYPE_PREFLIGHT (mend_preflight_get_type ())

G_DECLARE_FINAL_TYPE (MendPreflight, mend_preflight, MEND, PREFLIGHT, GObject)

MendPreflight *mend_preflight_new                 (void);
void           mend_preflight_clear_targets       (MendPreflight        *self);
void           mend_preflight_add_target          (MendPreflight        *self,
                                                   MendPreflightMode     mode,
                                                   const char           *name,
                                                   const char           *host,
                                                   guint16               port);
void           mend_preflight_set_date_url        (MendPreflight        *self,
                                                   const char           *url);
gboolean       mend_preflight_set_ca_file         (MendPreflight        *self,
                                                   const char           *path,
                                                   GError              **error);
void           mend_preflight_set_timeout         (MendPreflight        *self,
                                                   guint                 timeout_ms);
void           mend_preflight_set_network_monitor (MendPreflight        *self,
                                                   GNetworkMonitor      *monitor);
void           mend_preflight_set_proxy_resolver  (MendPreflight        *self,
                                                   GProxyResolver       *resolver);
GPtrArray     *mend_preflight_get_checks          (MendPreflight        *self);
void           mend_preflight_run_async           (MendPreflight        *self,
                                                   GCancellable         *cancellable,
                                                   GAsyncReadyCallback   callback,
                                                   gpointer              user_data);
GPtrArray     *mend_preflight_run_finish          (MendPreflight        *self,
                                                   GAsyncResult         *result,
                                                   GError              **error);

gboolean       mend_preflight_findings_all_good   (GPtrArray            *findings);

G_END_DECLS
