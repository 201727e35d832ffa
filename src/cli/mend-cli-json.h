/* mend-cli-json.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

#include "mend-finding.h"

G_BEGIN_DECLS

void mend_cli_json_add_string   (JsonBuilder *builder,
                                 const char  *member,
                                 const char  *value);
void mend_cli_json_add_finding  (JsonBuilder *builder,
                                 MendFinding *finding);
void mend_cli_json_add_findings (JsonBuilder *builder,
                                 GPtrArray   *findings);
void mend_cli_json_print        (JsonBuilder *builder);

G_END_DECLS
