/* fuzz-toml.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * libFuzzer target for the TOML parser that reads himalaya's config.toml
 * (mend-toml). Seeds: tests/fuzz/corpus/toml/.
 */

#include "config.h"

#include <stdint.h>

#include "mend-toml.h"

int LLVMFuzzerTestOneInput (const uint8_t *data,
                            size_t         size);

/* Visits every value, as a scan could. */
static void
walk (const MendToml *value,
      guint           depth)
{
  g_assert (value != NULL);
  g_assert (depth < 1024);

  switch (mend_toml_get_kind (value))
    {
    case MEND_TOML_KIND_STRING:
    case MEND_TOML_KIND_DATETIME:
      g_assert (g_utf8_validate (mend_toml_get_string (value), -1, NULL));
      break;
    case MEND_TOML_KIND_TABLE:
      for (guint i = 0; i < mend_toml_get_length (value); i++)
        {
          const char *key = mend_toml_get_key (value, i);

          g_assert (key != NULL && g_utf8_validate (key, -1, NULL));
          g_assert (mend_toml_get_member (value, key) == mend_toml_get_element (value, i));
          walk (mend_toml_get_element (value, i), depth + 1);
        }
      break;
    case MEND_TOML_KIND_ARRAY:
      for (guint i = 0; i < mend_toml_get_length (value); i++)
        walk (mend_toml_get_element (value, i), depth + 1);
      break;
    case MEND_TOML_KIND_INTEGER:
    case MEND_TOML_KIND_FLOAT:
    case MEND_TOML_KIND_BOOLEAN:
    default:
      break;
    }
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  static const char *paths[] = {
    "accounts",
    "accounts.work.backend.type",
    "accounts.work.imap.sasl",
    "a.b.c",
    "",
    ".",
  };
  g_autoptr(MendToml) root = NULL;
  g_autoptr(GError) error = NULL;

  root = mend_toml_parse ((const char *) data, size, &error);
  g_assert ((root == NULL) != (error == NULL));

  if (root == NULL)
    return 0;

  walk (root, 0);

  for (gsize i = 0; i < G_N_ELEMENTS (paths); i++)
    {
      gint64 integer;
      gboolean boolean;

      mend_toml_lookup (root, paths[i]);
      mend_toml_lookup_string (root, paths[i]);
      mend_toml_lookup_integer (root, paths[i], &integer);
      mend_toml_lookup_boolean (root, paths[i], &boolean);
    }

  return 0;
}
