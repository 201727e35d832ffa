/* fuzz-service-status.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * libFuzzer target for what Mailmend reads from Microsoft's status feed: the JSON parser
 * (mend-status-report) and the HTML reducer of incident messages (mend-html-text).
 * Seeds: tests/fuzz/corpus/service-status/.
 */

#include "config.h"

#include <stdint.h>
#include <string.h>

#include "net/mend-html-text.h"
#include "net/mend-status-report.h"

int LLVMFuzzerTestOneInput (const uint8_t *data,
                            size_t         size);

static void
check_text (const char *text)
{
  g_assert (text == NULL || g_utf8_validate (text, -1, NULL));
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(MendStatusReport) report = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *plain = NULL;
  g_autofree char *short_plain = NULL;

  report = mend_status_report_parse ((const char *) data, size, &error);
  g_assert ((report == NULL) != (error == NULL));

  if (report != NULL)
    {
      GPtrArray *services = mend_status_report_get_services (report);
      GPtrArray *findings = mend_status_report_get_findings (report);
      MendServiceHealth *outlook = mend_status_report_get_outlook (report);

      g_assert (services->len > 0 && services->len <= 100);
      g_assert (findings->len == 1);
      g_assert (outlook != NULL);
      g_assert (mend_status_report_get_state (report) == outlook->state);
      for (guint i = 0; i < services->len; i++)
        {
          MendServiceHealth *health = g_ptr_array_index (services, i);

          g_assert (health->name != NULL);
          check_text (health->name);
          check_text (health->workload);
          check_text (health->status);
          check_text (health->title);
          check_text (health->message);
          g_assert (health->message == NULL || strlen (health->message) <= 4000);
        }
      check_text (mend_finding_get_details (g_ptr_array_index (findings, 0)));
    }

  plain = mend_html_text_to_plain ((const char *) data, size, 0);
  check_text (plain);
  short_plain = mend_html_text_to_plain ((const char *) data, size, 64);
  check_text (short_plain);
  g_assert (strlen (short_plain) <= 64);

  return 0;
}
