/* mend-finding.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

typedef enum
{
  MEND_SEVERITY_INFO,
  MEND_SEVERITY_WARNING,
  MEND_SEVERITY_ERROR,
} MendSeverity;

#define MEND_TYPE_FINDING (mend_finding_get_type ())

G_DECLARE_FINAL_TYPE (MendFinding, mend_finding, MEND, FINDING, GObject)

MendFinding  *mend_finding_new             (const char   *id,
                                            MendSeverity  severity,
                                            const char   *title,
                                            const char   *explanation,
                                            const char   *remedy);
const char   *mend_finding_get_id          (MendFinding  *self);
MendSeverity  mend_finding_get_severity    (MendFinding  *self);
const char   *mend_finding_get_title       (MendFinding  *self);
const char   *mend_finding_get_explanation (MendFinding  *self);
const char   *mend_finding_get_remedy      (MendFinding  *self);
const char   *mend_finding_get_link        (MendFinding  *self);
void          mend_finding_set_link        (MendFinding  *self,
                                            const char   *link);
const char   *mend_finding_get_details     (MendFinding  *self);
void          mend_finding_set_details     (MendFinding  *self,
                                            const char   *details);

const char   *mend_severity_to_string      (MendSeverity  severity);

G_END_DECLS
