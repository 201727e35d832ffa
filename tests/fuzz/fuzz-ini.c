/* fuzz-ini.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * libFuzzer target for the INI parser that reads aerc's accounts.conf and
 * OfflineIMAP's rc file (mend-ini), in both dialects, with interpolation.
 * Seeds: tests/fuzz/corpus/ini/.
 */

#include "config.h"

#include <stdint.h>

#include "mend-ini.h"

int LLVMFuzzerTestOneInput (const uint8_t *data,
                            size_t         size);

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  static const char *keys[] = {
    "source", "outgoing", "from", "type", "remotehost", "remoteuser", "ssl",
    "auth_mechanisms", "a", "",
  };

  for (guint dialect = MEND_INI_DIALECT_GO; dialect <= MEND_INI_DIALECT_PYTHON; dialect++)
    {
      g_autoptr(MendIni) ini = NULL;
      g_autoptr(GError) error = NULL;

      ini = mend_ini_parse ((const char *) data, size, dialect, &error);
      g_assert ((ini == NULL) != (error == NULL));

      if (ini == NULL)
        continue;

      for (guint i = 0; i < mend_ini_get_n_sections (ini) + 1; i++)
        {
          const char *section = i < mend_ini_get_n_sections (ini)
                                  ? mend_ini_get_section_name (ini, i)
                                  : "DEFAULT";

          g_assert (section != NULL && g_utf8_validate (section, -1, NULL));

          for (gsize j = 0; j < G_N_ELEMENTS (keys); j++)
            {
              g_autoptr(GError) value_error = NULL;
              g_autofree char *value = mend_ini_get_value (ini, section, keys[j], &value_error);
              const char *raw = mend_ini_get_raw (ini, section, keys[j]);

              g_assert (value == NULL || value_error == NULL);
              if (raw != NULL)
                g_assert (g_utf8_validate (raw, -1, NULL));
              if (value != NULL)
                g_assert (g_utf8_validate (value, -1, NULL));

              mend_ini_has_key (ini, section, keys[j]);
              mend_ini_get_boolean (ini, section, keys[j], TRUE);

              /* Where the section's own setting is written. */
              {
                guint first = 0, last = 0, header = 0, section_last = 0;

                if (mend_ini_get_key_lines (ini, section, keys[j], &first, &last))
                  {
                    g_assert (raw != NULL);
                    g_assert (1 <= first && first <= last);
                    g_assert (mend_ini_get_section_lines (ini, section, &header,
                                                          &section_last));
                    g_assert (last <= section_last);
                  }
              }
            }
        }
    }

  return 0;
}
