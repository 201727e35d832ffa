/* mend-line-diff.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* A unified diff of two texts, line by line, as `diff -u` prints it (`--- label`,
 * `+++ label`, `@@ -a,b +c,d @@` hunks with @context lines around each change,
 * `\ No newline at end of file` where it applies). Empty when both are equal. */
char *mend_line_diff_unified (const char *label,
                              GBytes     *before,
                              GBytes     *after,
                              guint       context);

G_END_DECLS
