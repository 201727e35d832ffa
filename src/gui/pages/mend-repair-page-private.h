/* mend-repair-page-private.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What the tests look at, besides the page's widgets.
 */

#pragma once

#include "mend-finding.h"
#include "mend-repair-page.h"

G_BEGIN_DECLS

const char  *_mend_repair_page_get_view_name (MendRepairPage *self);
GPtrArray   *_mend_repair_page_get_rows      (MendRepairPage *self);
MendFinding *_mend_repair_page_get_notice    (MendRepairPage *self);

G_END_DECLS
