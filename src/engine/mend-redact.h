/* mend-redact.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* What a masked secret becomes. */
#define MEND_REDACTED "[redacted]"

char     *mend_redact_line        (const char *line,
                                   gssize      length);
char     *mend_redact_text        (const char *text);
gboolean  mend_redact_is_secret   (const char *word,
                                   gsize       length);

G_END_DECLS
