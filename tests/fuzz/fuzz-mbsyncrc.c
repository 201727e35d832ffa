/* fuzz-mbsyncrc.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * libFuzzer target for the mbsync (isync) configuration parser
 * (mend-mbsyncrc), and its repair edit: a file mbsync reads, switched to XOAUTH2 for any of its
 * sections, still reads, and that section then has `AuthMechs XOAUTH2` and a password command.
 * Seeds: tests/fuzz/corpus/mbsyncrc/.
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

  for (guint i = 0; i < MIN (accounts->len, 4); i++)
    {
      const MendMbsyncrcAccount *account = g_ptr_array_index (accounts, i);
      g_autoptr(GPtrArray) edited_accounts = NULL;
      g_autofree char *edited = NULL;
      gsize length = 0;

      edited = mend_mbsyncrc_set_xoauth2 ((const char *) data, size, account->section,
                                          account->name, "cmd \"x\" \\y", &length, &error);
      g_assert_no_error (error);
      edited_accounts = mend_mbsyncrc_parse (edited, length, &error);
      g_assert_no_error (error);

      /* The first section of that kind and name is the one changed. */
      for (guint j = 0; j < edited_accounts->len; j++)
        {
          const MendMbsyncrcAccount *after = g_ptr_array_index (edited_accounts, j);

          if (g_str_equal (after->section, account->section) &&
              g_str_equal (after->name, account->name))
            {
              g_assert_cmpstr (after->auth_mechs, ==, "XOAUTH2");
              g_assert (after->has_password);
              break;
            }
        }
    }

  return 0;
}
