/* mend-finding-row.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "mend-finding.h"

G_BEGIN_DECLS

#define MEND_TYPE_FINDING_ROW (mend_finding_row_get_type ())

G_DECLARE_FINAL_TYPE (MendFindingRow, mend_finding_row, MEND, FINDING_ROW, AdwActionRow)

GtkWidget   *mend_finding_row_new           (MendFinding    *finding);
MendFinding *mend_finding_row_get_finding   (MendFindingRow *self);
GtkWidget   *mend_finding_severity_icon_new (MendSeverity    severity);

G_END_DECLS
