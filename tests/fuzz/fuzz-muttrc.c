/* fuzz-muttrc.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * libFuzzer target for the Mutt/NeoMutt configuration parser (mend-muttrc).
 * Every sourced file reads as the input again, so that `source` loops and
 * hooks that source are exercised too. The editor then changes, removes and
 * adds to what the top level assigns, where the parser found it; whatever
 * it writes reads again. Seeds: tests/fuzz/corpus/muttrc/.
 */

#include "config.h"

#include <stdint.h>
#include <string.h>

#include "mend-muttrc.h"

int LLVMFuzzerTestOneInput (const uint8_t *data,
                            size_t         size);

typedef struct
{
  const uint8_t *data;
  size_t         size;
} Input;

static gboolean
read_input_again (const char  *path,
                  char       **contents,
                  gsize       *length,
                  gpointer     user_data)
{
  const Input *input = user_data;

  g_assert (g_path_is_absolute (path));

  *contents = g_malloc (input->size + 1);
  memcpy (*contents, input->data, input->size);
  (*contents)[input->size] = '\0';
  *length = input->size;

  return TRUE;
}

/* The lines of @data as the editor counts them. */
static guint
count_lines (const uint8_t *data,
             size_t         size)
{
  guint lines = 0;

  for (size_t i = 0; i < size; i++)
    lines += data[i] == '\n';

  return lines + (size > 0 && data[size - 1] != '\n');
}

static void
edit_values (const uint8_t         *data,
             size_t                 size,
             const MendMuttrcScope *top)
{
  guint n_lines = count_lines (data, size);
  GHashTableIter iter;
  gpointer key, value;
  guint n = 0;

  g_hash_table_iter_init (&iter, top->values);
  while (g_hash_table_iter_next (&iter, &key, &value) && n++ < 8)
    {
      const MendMuttrcValue *v = value;
      g_autoptr(MendMuttrcEditor) editor = NULL;
      g_autoptr(MendMuttrc) reread = NULL;
      g_autofree char *edited = NULL;
      gsize length = 0;

      if (!g_str_equal (v->source, "/home/fuzz/.muttrc") || v->line < 1 || v->line > n_lines)
        continue;

      editor = mend_muttrc_editor_new ((const char *) data, size);
      mend_muttrc_editor_set (editor, v->line, key, "a \"b\" $c `d` \\e 'f'");
      mend_muttrc_editor_add_to_hook (editor, v->line, "fuzz_added", "v");
      mend_muttrc_editor_remove (editor, v->line, key);
      mend_muttrc_editor_insert_after (editor, v->line, "set fuzz_inserted = 1");
      edited = mend_muttrc_editor_finish (editor, &length);
      g_assert (edited != NULL && strlen (edited) <= length);

      reread = mend_muttrc_new ("/home/fuzz", "/home/fuzz/.config");
      mend_muttrc_parse (reread, "/home/fuzz/.muttrc", edited, length, NULL, NULL);
      g_assert (mend_muttrc_get_scopes (reread)->len >= 1);
    }
}

static void
check_value (gpointer key,
             gpointer value,
             gpointer user_data)
{
  const MendMuttrcValue *v = value;

  g_assert (key != NULL);
  g_assert (v->source != NULL);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(MendMuttrc) rc = mend_muttrc_new ("/home/fuzz", "/home/fuzz/.config");
  Input input = { data, size };
  GPtrArray *scopes;
  GPtrArray *errors;

  mend_muttrc_parse (rc, "/home/fuzz/.muttrc", (const char *) data, size, read_input_again,
                     &input);

  scopes = mend_muttrc_get_scopes (rc);
  g_assert (scopes->len >= 1);
  g_assert (((MendMuttrcScope *) g_ptr_array_index (scopes, 0))->hook == NULL);

  for (guint i = 0; i < scopes->len; i++)
    {
      const MendMuttrcScope *scope = g_ptr_array_index (scopes, i);

      g_assert ((i == 0) == (scope->hook == NULL));
      g_assert (scope->source != NULL);
      g_hash_table_foreach (scope->values, check_value, NULL);
      mend_muttrc_scope_get (scope, "folder");
    }

  errors = mend_muttrc_get_errors (rc);
  for (guint i = 0; i < errors->len; i++)
    {
      const MendMuttrcError *error = g_ptr_array_index (errors, i);

      g_assert (error->path != NULL && error->message != NULL);
    }

  for (guint i = 0; i < mend_muttrc_get_mailboxes (rc)->len; i++)
    g_assert (((MendMuttrcValue *) g_ptr_array_index (mend_muttrc_get_mailboxes (rc), i))->value);

  edit_values (data, size, g_ptr_array_index (scopes, 0));

  return 0;
}
