/* fuzz-accountrc.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * libFuzzer target for the rc-file parser of Claws Mail, Sylpheed and
 * KMail (mend-accountrc). Seeds: tests/fuzz/corpus/accountrc/.
 */

#include "config.h"

#include <stdint.h>
#include <string.h>

#include "mend-accountrc.h"

int LLVMFuzzerTestOneInput (const uint8_t *data,
                            size_t         size);

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  static const char *keys[] = {
    "protocol",
    "receive_server",
    "smtp_server",
    "imap_auth_method",
    "use_smtp_auth",
    "Email Address",
    "",
  };
  g_autoptr(MendAccountrc) rc = NULL;
  g_autoptr(GError) error = NULL;

  rc = mend_accountrc_parse ((const char *) data, size, &error);
  g_assert ((rc == NULL) != (error == NULL));

  if (rc == NULL)
    return 0;

  for (guint i = 0; i < mend_accountrc_get_n_sections (rc); i++)
    {
      const char *section = mend_accountrc_get_section (rc, i);

      g_assert (section != NULL);
      g_assert (g_utf8_validate (section, -1, NULL));
      g_assert (mend_accountrc_has_section (rc, section));

      for (gsize j = 0; j < G_N_ELEMENTS (keys); j++)
        {
          const char *value = mend_accountrc_get_value (rc, section, keys[j]);
          gint64 number;

          if (value != NULL)
            g_assert (g_utf8_validate (value, -1, NULL));

          mend_accountrc_get_int (rc, section, keys[j], &number);
          mend_accountrc_get_boolean (rc, section, keys[j], FALSE);
        }
    }

  /* An edit of a file that reads gives a file that reads, with the new value. */
  for (guint i = 0; i <= MIN (mend_accountrc_get_n_sections (rc), 1); i++)
    {
      const char *section = i == 0 ? "Account: 1" : mend_accountrc_get_section (rc, 0);
      g_autofree char *edited = NULL;
      g_autoptr(MendAccountrc) reread = NULL;

      edited = mend_accountrc_set_value ((const char *) data, size, section, keys[3], "256");
      reread = mend_accountrc_parse (edited, strlen (edited), NULL);
      g_assert (reread != NULL);
      g_assert (g_strcmp0 (mend_accountrc_get_value (reread, section, keys[3]), "256") == 0);
    }

  return 0;
}
