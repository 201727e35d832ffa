/* mend-line-editor.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "mend-line-editor"

#include "config.h"

#include <string.h>

#include "mend-line-editor.h"

typedef struct
{
  char      *text;         /* without the line ending; NUL-terminated */
  gsize      length;       /* of text, which may hold NUL bytes too */
  char      *replacement;  /* NULL: unchanged */
  GPtrArray *after;        /* lines inserted after this one, or NULL */
  guint      ending : 2;   /* 0: none (the file's last line), 1: "\n", 2: "\r\n" */
  guint      removed : 1;
} Line;

struct _MendLineEditor
{
  GArray     *lines;       /* Line, line N at index N - 1 */
  GPtrArray  *at_start;    /* lines inserted before the first one */
  const char *newline;     /* the file's own line ending, for inserted lines */
  gboolean    changed;
};

static void
line_clear (gpointer data)
{
  Line *line = data;

  g_free (line->text);
  g_free (line->replacement);
  g_clear_pointer (&line->after, g_ptr_array_unref);
}

MendLineEditor *
mend_line_editor_new (const char *text,
                      gsize       length)
{
  MendLineEditor *self;
  const char *end = text + length;

  g_return_val_if_fail (text != NULL || length == 0, NULL);

  self = g_new0 (MendLineEditor, 1);
  self->lines = g_array_new (FALSE, TRUE, sizeof (Line));
  g_array_set_clear_func (self->lines, line_clear);
  self->at_start = g_ptr_array_new_with_free_func (g_free);

  for (const char *p = text; p != NULL && p < end;)
    {
      const char *newline = memchr (p, '\n', end - p);
      const char *stop = newline != NULL ? newline : end;
      Line line = { 0 };

      if (newline != NULL && stop > p && stop[-1] == '\r')
        {
          stop--;
          line.ending = 2;
        }
      else if (newline != NULL)
        {
          line.ending = 1;
        }

      if (self->newline == NULL && line.ending != 0)
        self->newline = line.ending == 2 ? "\r\n" : "\n";

      line.length = stop - p;
      line.text = g_malloc (line.length + 1);
      memcpy (line.text, p, line.length);
      line.text[line.length] = '\0';
      g_array_append_val (self->lines, line);
      p = newline != NULL ? newline + 1 : end;
    }

  if (self->newline == NULL)
    self->newline = "\n";

  return self;
}

void
mend_line_editor_free (MendLineEditor *self)
{
  if (self == NULL)
    return;

  g_clear_pointer (&self->lines, g_array_unref);
  g_clear_pointer (&self->at_start, g_ptr_array_unref);
  g_free (self);
}

guint
mend_line_editor_get_n_lines (MendLineEditor *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->lines->len;
}

static Line *
get_line (MendLineEditor *self,
          guint           line)
{
  g_assert (line >= 1 && line <= self->lines->len);

  return &g_array_index (self->lines, Line, line - 1);
}

const char *
mend_line_editor_get_line (MendLineEditor *self,
                           guint           line)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (line >= 1 && line <= self->lines->len, NULL);

  return get_line (self, line)->text;
}

void
mend_line_editor_replace (MendLineEditor *self,
                          guint           line,
                          const char     *text)
{
  Line *l;

  g_return_if_fail (self != NULL);
  g_return_if_fail (line >= 1 && line <= self->lines->len);
  g_return_if_fail (text != NULL && strchr (text, '\n') == NULL);

  l = get_line (self, line);
  if (l->replacement == NULL && strlen (text) == l->length &&
      memcmp (l->text, text, l->length) == 0)
    return;

  g_free (l->replacement);
  l->replacement = g_strdup (text);
  self->changed = TRUE;
}

void
mend_line_editor_remove (MendLineEditor *self,
                         guint           line)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (line >= 1 && line <= self->lines->len);

  get_line (self, line)->removed = TRUE;
  self->changed = TRUE;
}

void
mend_line_editor_insert_after (MendLineEditor *self,
                               guint           line,
                               const char     *text)
{
  GPtrArray *inserted;

  g_return_if_fail (self != NULL);
  g_return_if_fail (line <= self->lines->len);
  g_return_if_fail (text != NULL && strchr (text, '\n') == NULL);

  if (line == 0)
    {
      inserted = self->at_start;
    }
  else
    {
      Line *l = get_line (self, line);

      if (l->after == NULL)
        l->after = g_ptr_array_new_with_free_func (g_free);
      inserted = l->after;
    }

  g_ptr_array_add (inserted, g_strdup (text));
  self->changed = TRUE;
}

gboolean
mend_line_editor_has_changes (MendLineEditor *self)
{
  g_return_val_if_fail (self != NULL, FALSE);

  return self->changed;
}

static void
append_inserted (MendLineEditor *self,
                 GString        *out,
                 GPtrArray      *inserted)
{
  for (guint i = 0; inserted != NULL && i < inserted->len; i++)
    {
      g_string_append (out, g_ptr_array_index (inserted, i));
      g_string_append (out, self->newline);
    }
}

/* The text with every edit made; a line that had no line ending (the last one) gets one when
 * lines follow it now. */
char *
mend_line_editor_finish (MendLineEditor *self,
                         gsize          *length)
{
  g_autoptr(GString) out = g_string_new (NULL);

  g_return_val_if_fail (self != NULL, NULL);

  append_inserted (self, out, self->at_start);

  for (guint i = 0; i < self->lines->len; i++)
    {
      Line *line = &g_array_index (self->lines, Line, i);

      if (!line->removed)
        {
          if (line->replacement != NULL)
            g_string_append (out, line->replacement);
          else
            g_string_append_len (out, line->text, line->length);
          if (line->ending == 2)
            g_string_append (out, "\r\n");
          else if (line->ending == 1)
            g_string_append_c (out, '\n');
          else if (line->after != NULL && line->after->len > 0)
            g_string_append (out, self->newline);
        }

      append_inserted (self, out, line->after);
    }

  if (length != NULL)
    *length = out->len;

  return g_string_free (g_steal_pointer (&out), FALSE);
}

/**
 * mend_line_editor_format_like:
 * @sample: a `KEY VALUE` line of the file, such as `host           smtp.example.com` or
 *   `  auth_mechanisms: PLAIN`
 * @key_start: where its key starts
 * @key_end: where its key ends
 * @value_start: where its value starts
 *
 * Returns: (transfer full): a line setting @key to @value laid out as @sample is: the same
 *   indentation, the same separator, and the value in the same column when @sample aligns
 *   its value with several spaces and the key fits
 */
char *
mend_line_editor_format_like (const char *sample,
                              gsize       key_start,
                              gsize       key_end,
                              gsize       value_start,
                              const char *key,
                              const char *value)
{
  g_autoptr(GString) line = g_string_new (NULL);
  gsize blanks = 0;
  gsize separator_length;
  const char *separator;

  g_return_val_if_fail (sample != NULL, NULL);
  g_return_val_if_fail (key_start <= key_end && key_end <= value_start, NULL);
  g_return_val_if_fail (value_start <= strlen (sample), NULL);
  g_return_val_if_fail (key != NULL && value != NULL, NULL);

  separator = sample + key_end;
  separator_length = value_start - key_end;
  while (blanks < separator_length && (separator[blanks] == ' ' || separator[blanks] == '\t'))
    blanks++;

  g_string_append_len (line, sample, key_start);
  g_string_append (line, key);

  /* Several spaces align the values in a column: pad up to the sample's, keeping at least
   * one. One blank, or tabs, are copied as they are. */
  if (blanks > 1 && memchr (separator, '\t', blanks) == NULL)
    {
      gsize rest = separator_length - blanks;

      do
        g_string_append_c (line, ' ');
      while (line->len + rest < value_start);
    }
  else if (separator_length > 0)
    {
      g_string_append_len (line, separator, blanks);
    }
  else
    {
      /* The sample has a key alone. */
      g_string_append_c (line, ' ');
    }

  g_string_append_len (line, separator + blanks, separator_length - blanks);
  g_string_append (line, value);

  return g_string_free (g_steal_pointer (&line), FALSE);
}
