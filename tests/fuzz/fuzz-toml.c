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

  g_autoptr(GPtrArray) statements = NULL;
  guint n_lines = 1;

  root = mend_toml_parse ((const char *) data, size, &error);
  g_assert ((root == NULL) != (error == NULL));

  /* Where each statement is: for exactly the documents that parse, within the lines. */
  statements = mend_toml_parse_statements ((const char *) data, size, NULL);
  g_assert ((statements == NULL) == (root == NULL));

  if (root == NULL)
    return 0;

  for (size_t i = 0; i < size; i++)
    n_lines += data[i] == '\n';
  for (guint i = 0; i < statements->len; i++)
    {
      const MendTomlStatement *statement = g_ptr_array_index (statements, i);

      g_assert (statement->path != NULL && statement->path[0] != NULL);
      g_assert (1 <= statement->first && statement->first <= statement->last);
      g_assert (statement->last <= n_lines);
      g_assert (statement->key_start <= statement->key_end);
      g_assert (statement->key_end <= statement->value_start);
    }

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
