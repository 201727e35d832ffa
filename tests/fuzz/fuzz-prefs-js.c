/* fuzz-prefs-js.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * libFuzzer target for the prefs.js parser. Seeds: tests/fuzz/corpus/prefs-js/.
 */

#include "config.h"

#include <stdint.h>
#include <string.h>

#include "mend-prefs-js.h"

int LLVMFuzzerTestOneInput (const uint8_t *data,
                            size_t         size);

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  static const char *names[] = {
    "mail.accountmanager.accounts",
    "mail.server.server1.hostname",
    "mail.server.server1.port",
    "mail.server.server1.authMethod",
    "mail.identity.id1.useremail",
    "a",
  };
  g_autoptr(MendPrefsJs) prefs = NULL;
  g_autoptr(GError) error = NULL;

  prefs = mend_prefs_js_parse ((const char *) data, size, &error);
  g_assert ((prefs == NULL) != (error == NULL));

  if (prefs == NULL)
    return 0;

  for (gsize i = 0; i < G_N_ELEMENTS (names); i++)
    {
      const char *value = mend_prefs_js_get_string (prefs, names[i]);

      if (value != NULL)
        g_assert (g_utf8_validate (value, -1, NULL));
      (void) mend_prefs_js_get_int (prefs, names[i], 0);
      (void) mend_prefs_js_get_bool (prefs, names[i], FALSE);
      (void) mend_prefs_js_get_value_type (prefs, names[i]);
    }
  (void) mend_prefs_js_get_size (prefs);
  (void) mend_prefs_js_get_n_errors (prefs);

  /* An edit of a file that reads gives a file that reads, with the new value. */
  if (g_utf8_validate_len ((const char *) data, size, NULL))
    {
      g_autofree char *edited = NULL;
      g_autoptr(MendPrefsJs) reread = NULL;

      edited = mend_prefs_js_set_int ((const char *) data, size, names[3], 10, NULL);
      g_assert (edited != NULL);
      reread = mend_prefs_js_parse (edited, strlen (edited), NULL);
      g_assert (reread != NULL);
      g_assert (mend_prefs_js_get_int (reread, names[3], 0) == 10);
    }

  return 0;
}
