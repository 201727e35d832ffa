/* mend-probe-result.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

#include "mend-finding.h"
#include "mend-server-address.h"

G_BEGIN_DECLS

#define MEND_TYPE_PROBE_RESULT (mend_probe_result_get_type ())

G_DECLARE_FINAL_TYPE (MendProbeResult, mend_probe_result, MEND, PROBE_RESULT, GObject)

MendProbeResult         *mend_probe_result_new             (const MendServerAddress *server,
                                                            gboolean                 ok,
                                                            const char              *summary,
                                                            const char              *transcript);
const MendServerAddress *mend_probe_result_get_server      (MendProbeResult         *self);
MendProtocol             mend_probe_result_get_protocol    (MendProbeResult         *self);
gboolean                 mend_probe_result_get_ok          (MendProbeResult         *self);
const char              *mend_probe_result_get_summary     (MendProbeResult         *self);
const char              *mend_probe_result_get_transcript  (MendProbeResult         *self);
GPtrArray               *mend_probe_result_get_findings    (MendProbeResult         *self);
void                     mend_probe_result_add_finding     (MendProbeResult         *self,
                                                            MendFinding             *finding);
gboolean                 mend_probe_result_has_finding     (MendProbeResult         *self,
                                                            const char              *id);
void                     mend_probe_result_replace_finding (MendProbeResult         *self,
                                                            const char              *id,
                                                            MendFinding             *finding);

G_END_DECLS
