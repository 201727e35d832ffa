/* mend-cli-json.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "mend-cli-json.h"

/* What every command's --json output shares: nullable strings, findings in one shape, and
 * pretty-printed output on stdout. */

void
mend_cli_json_add_string (JsonBuilder *builder,
                          const char  *member,
                          const char  *value)
{
  json_builder_set_member_name (builder, member);
  if (value != NULL)
    json_builder_add_string_value (builder, value);
  else
    json_builder_add_null_value (builder);
}

void
mend_cli_json_add_finding (JsonBuilder *builder,
                           MendFinding *finding)
{
  json_builder_begin_object (builder);
  mend_cli_json_add_string (builder, "id", mend_finding_get_id (finding));
  mend_cli_json_add_string (builder, "severity",
                            mend_severity_to_string (mend_finding_get_severity (finding)));
  mend_cli_json_add_string (builder, "title", mend_finding_get_title (finding));
  mend_cli_json_add_string (builder, "explanation", mend_finding_get_explanation (finding));
  mend_cli_json_add_string (builder, "remedy", mend_finding_get_remedy (finding));
  mend_cli_json_add_string (builder, "details", mend_finding_get_details (finding));
  mend_cli_json_add_string (builder, "link", mend_finding_get_link (finding));
  json_builder_end_object (builder);
}

/* A "findings" member holding @findings (MendFinding). */
void
mend_cli_json_add_findings (JsonBuilder *builder,
                            GPtrArray   *findings)
{
  json_builder_set_member_name (builder, "findings");
  json_builder_begin_array (builder);
  for (guint i = 0; i < findings->len; i++)
    mend_cli_json_add_finding (builder, g_ptr_array_index (findings, i));
  json_builder_end_array (builder);
}

void
mend_cli_json_print (JsonBuilder *builder)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = json_builder_get_root (builder);
  g_autofree char *text = NULL;

  json_generator_set_root (generator, root);
  json_generator_set_pretty (generator, TRUE);
  text = json_generator_to_data (generator, NULL);
  g_print ("%s\n", text);
}
