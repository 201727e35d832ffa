/* mend-smtp-probe.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "mend-probe.h"

G_BEGIN_DECLS

#define MEND_TYPE_SMTP_PROBE (mend_smtp_probe_get_type ())

G_DECLARE_FINAL_TYPE (MendSmtpProbe, mend_smtp_probe, MEND, SMTP_PROBE, MendProbe)

G_END_DECLS
