/* fuzz-msmtprc.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * libFuzzer target for the msmtp configuration parser (mend-msmtprc).
 * Seeds: tests/fuzz/corpus/msmtprc/.
 */

#include "config.h"

#include <stdint.h>

#include "mend-msmtprc.h"

int LLVMFuzzerTestOneInput (const uint8_t *data,
                            size_t         size);

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) accounts = mend_msmtprc_parse ((const char *) data, size, &error);

  g_assert ((accounts == NULL) != (error == NULL));

  if (accounts == NULL)
    return 0;

  for (guint i = 0; i < accounts->len; i++)
    {
      const MendMsmtprcAccount *account = g_ptr_array_index (accounts, i);

      g_assert (account->name != NULL && account->name[0] != '\0');
      g_assert (account->port <= G_MAXUINT16);
      g_assert (account->line >= 1);
    }

  return 0;
}
