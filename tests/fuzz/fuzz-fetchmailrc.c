/* fuzz-fetchmailrc.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * libFuzzer target for the fetchmailrc parser (mend-fetchmailrc).
 * Seeds: tests/fuzz/corpus/fetchmailrc/.
 */

#include "config.h"

#include <stdint.h>

#include "mend-fetchmailrc.h"

int LLVMFuzzerTestOneInput (const uint8_t *data,
                            size_t         size);

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) accounts = mend_fetchmailrc_parse ((const char *) data, size, &error);

  g_assert ((accounts == NULL) != (error == NULL));

  if (accounts == NULL)
    return 0;

  for (guint i = 0; i < accounts->len; i++)
    {
      const MendFetchmailrcAccount *account = g_ptr_array_index (accounts, i);

      g_assert (account->label != NULL);
      g_assert (account->port <= G_MAXUINT16);
      g_assert (account->line >= 1);
    }

  return 0;
}
