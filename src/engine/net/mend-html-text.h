/* mend-html-text.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

char *mend_html_text_to_plain (const char *html,
                               gssize      length,
                               gsize       max_length);

G_END_DECLS
