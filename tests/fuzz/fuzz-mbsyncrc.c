/* fuzz-mbsyncrc.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * libFuzzer target for the mbsync (isync) configuration parser
 * (mend-mbsyncrc). Seeds: tests/fuzz/corpus/mbsyncrc/.
 */

#include "config.h"

#include <stdint.h>

#include "mend-mbsyncrc.h"

int LLVMFuzzerTestOneInput (const uint8_t *data,
                            size_t         size);

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) accounts = mend_mbsyncrc_parse ((const char *) data, size, &error);

  g_assert ((accounts == NULL) != (error == NULL));

  if (accounts == NULL)
    return 0;

  for (guint i = 0; i < accounts->len; i++)
    {
      const MendMbsyncrcAccount *account = g_ptr_array_index (accounts, i);

      g_assert (account->section != NULL && account->name != NULL);
      g_assert (account->port <= G_MAXUINT16);
      g_assert (!(account->user != NULL && account->user_command));
    }

  return 0;
}
