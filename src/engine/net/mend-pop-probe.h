/* mend-pop-probe.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "mend-probe.h"

G_BEGIN_DECLS

#define MEND_TYPE_POP_PROBE (mend_pop_probe_get_type ())

G_DECLARE_FINAL_TYPE (MendPopProbe, mend_pop_probe, MEND, POP_PROBE, MendProbe)

G_END_DECLS
