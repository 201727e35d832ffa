/* mend-done-page-private.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * For the tests: the native file chooser cannot be clicked under Xvfb, so they save
 * through the function its answer calls.
 */

#pragma once

#include "mend-done-page.h"
#include "mend-finding.h"

G_BEGIN_DECLS

void         _mend_done_page_save_to_file      (MendDonePage *self,
                                                GFile        *file);
gboolean     _mend_done_page_is_busy           (MendDonePage *self);
MendFinding *_mend_done_page_get_save_finding  (MendDonePage *self);

G_END_DECLS
