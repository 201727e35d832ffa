/* fuzz-msmtprc.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * libFuzzer target for the msmtp configuration parser (mend-msmtprc), and its repair edit:
 * a file msmtp reads, switched to XOAUTH2 for any of its accounts, still reads, and that
 * account then has `auth xoauth2` and its command for a password.
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

  for (guint i = 0; i < MIN (accounts->len, 4); i++)
    {
      const char *name = ((const MendMsmtprcAccount *) g_ptr_array_index (accounts, i))->name;
      g_autoptr(GPtrArray) edited_accounts = NULL;
      g_autofree char *edited = NULL;
      gsize length = 0;
      gboolean found = FALSE;

      edited = mend_msmtprc_set_xoauth2 ((const char *) data, size, name, "cmd 'x'", &length,
                                         &error);
      g_assert_no_error (error);
      edited_accounts = mend_msmtprc_parse (edited, length, &error);
      g_assert_no_error (error);

      for (guint j = 0; j < edited_accounts->len; j++)
        {
          const MendMsmtprcAccount *account = g_ptr_array_index (edited_accounts, j);

          if (g_str_equal (account->name, name))
            {
              g_assert_cmpstr (account->auth, ==, "xoauth2");
              g_assert (account->has_password_eval && !account->has_plain_password);
              found = TRUE;
            }
        }
      g_assert (found);
    }

  return 0;
}
