/* mend-imap-probe.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "mend-probe.h"

G_BEGIN_DECLS

#define MEND_TYPE_IMAP_PROBE (mend_imap_probe_get_type ())

G_DECLARE_FINAL_TYPE (MendImapProbe, mend_imap_probe, MEND, IMAP_PROBE, MendProbe)

G_END_DECLS
