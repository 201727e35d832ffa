/* fuzz-log-analyzer.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * libFuzzer target for the log analyzer (mend-log-analyzer) and the
 * redactor it shows lines through (mend-redact). The input is fed in two
 * pieces cut where its first byte says, since a log arrives in chunks.
 * Seeds: tests/fuzz/corpus/log-analyzer/.
 */

#include "config.h"

#include <stdint.h>
#include <string.h>

#include "mend-log-analyzer.h"
#include "mend-redact.h"

int LLVMFuzzerTestOneInput (const uint8_t *data,
                            size_t         size);

static void
check_shown (const char *text)
{
  if (text == NULL)
    return;

  g_assert (g_utf8_validate (text, -1, NULL));
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(MendLogAnalyzer) analyzer = mend_log_analyzer_new ();
  g_autofree char *line = NULL;
  g_autofree char *text = NULL;
  GPtrArray *findings;
  size_t cut = size > 0 ? data[0] % (size + 1) : 0;

  mend_log_analyzer_feed (analyzer, (const char *) data, cut);
  mend_log_analyzer_feed (analyzer, (const char *) data + cut, size - cut);
  mend_log_analyzer_finish (analyzer);

  findings = mend_log_analyzer_get_findings (analyzer);
  g_assert (findings->len > 0);
  for (guint i = 0; i < findings->len; i++)
    {
      MendFinding *finding = g_ptr_array_index (findings, i);

      g_assert (mend_finding_get_id (finding) != NULL);
      check_shown (mend_finding_get_title (finding));
      check_shown (mend_finding_get_details (finding));
      g_assert (mend_log_analyzer_get_finding_line (analyzer, finding) <=
                mend_log_analyzer_get_n_lines (analyzer));
    }

  /* A masked line is one line of valid UTF-8 without control characters. */
  line = mend_redact_line ((const char *) data, MIN (size, 4096));
  g_assert (g_utf8_validate (line, -1, NULL));
  for (const char *p = line; *p != '\0'; p++)
    g_assert ((guchar) *p >= 0x20 || *p == '\t');

  text = g_strndup ((const char *) data, MIN (size, 4096));
  g_free (g_steal_pointer (&line));
  line = mend_redact_text (text);
  g_assert (g_utf8_validate (line, -1, NULL));

  return 0;
}
