/* mend-line-diff.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "mend-line-diff"

#include "config.h"

#include <string.h>

#include "mend-line-diff.h"

typedef struct
{
  const char *start;
  gsize       length;   /* without the newline */
  gboolean    has_newline;
} Line;

typedef enum
{
  OP_EQUAL,
  OP_DELETE,
  OP_INSERT,
} OpKind;

typedef struct
{
  OpKind kind;
  guint  before;   /* index into the before lines (EQUAL, DELETE) */
  guint  after;    /* index into the after lines (EQUAL, INSERT) */
} Op;

static GArray *
split_lines (GBytes *bytes)
{
  GArray *lines = g_array_new (FALSE, FALSE, sizeof (Line));
  gsize size;
  const char *data = g_bytes_get_data (bytes, &size);
  const char *end = data + size;

  for (const char *p = data; p < end;)
    {
      const char *newline = memchr (p, '\n', end - p);
      Line line = { p, (newline != NULL ? newline : end) - p, newline != NULL };

      g_array_append_val (lines, line);
      p = newline != NULL ? newline + 1 : end;
    }

  return lines;
}

static gboolean
lines_equal (const Line *a,
             const Line *b)
{
  return a->length == b->length && a->has_newline == b->has_newline &&
         memcmp (a->start, b->start, a->length) == 0;
}

/* Myers' O((N+M)·D) shortest edit script, keeping each round's V to walk back: the
 * repairs change a handful of lines, so D and the memory stay small even for a
 * 10 000-line prefs.js. */
static GArray *
edit_script (GArray *a,
             GArray *b)
{
  gssize n = a->len, m = b->len, max = n + m, offset = max + 1;
  g_autoptr(GPtrArray) rounds = g_ptr_array_new_with_free_func (g_free);
  GArray *ops = g_array_new (FALSE, FALSE, sizeof (Op));
  gssize *v = g_new0 (gssize, 2 * max + 3);
  gssize d, x = 0, y = 0;

  for (d = 0; d <= max; d++)
    {
      gboolean done = FALSE;

      for (gssize k = -d; k <= d; k += 2)
        {
          if (k == -d || (k != d && v[offset + k - 1] < v[offset + k + 1]))
            x = v[offset + k + 1];
          else
            x = v[offset + k - 1] + 1;
          y = x - k;
          while (x < n && y < m && lines_equal (&g_array_index (a, Line, x), &g_array_index (b, Line, y)))
            x++, y++;
          v[offset + k] = x;
          if (x >= n && y >= m)
            {
              done = TRUE;
              break;
            }
        }

      g_ptr_array_add (rounds, g_memdup2 (v, sizeof (gssize) * (2 * max + 3)));
      if (done)
        break;
    }
  g_free (v);

  /* Walk back from (n, m): each round ends with a snake of equal lines, after one
   * insertion (coming down from diagonal k + 1) or one deletion (from k - 1). */
  x = n;
  y = m;
  for (; d > 0; d--)
    {
      gssize *round_v = g_ptr_array_index (rounds, d - 1);
      gssize k = x - y, prev_k, prev_x, prev_y, mid_x;
      gboolean insertion;

      insertion = k == -d || (k != d && round_v[offset + k - 1] < round_v[offset + k + 1]);
      prev_k = insertion ? k + 1 : k - 1;
      prev_x = round_v[offset + prev_k];
      prev_y = prev_x - prev_k;
      mid_x = insertion ? prev_x : prev_x + 1;

      for (; x > mid_x; x--, y--)
        {
          Op op = { OP_EQUAL, x - 1, y - 1 };

          g_array_append_val (ops, op);
        }

      if (insertion)
        {
          Op op = { OP_INSERT, x, y - 1 };

          g_array_append_val (ops, op);
        }
      else
        {
          Op op = { OP_DELETE, x - 1, y };

          g_array_append_val (ops, op);
        }
      x = prev_x;
      y = prev_y;
    }
  for (; x > 0; x--, y--)
    {
      Op op = { OP_EQUAL, x - 1, y - 1 };

      g_array_append_val (ops, op);
    }

  /* Reverse into reading order. */
  for (guint i = 0, j = ops->len > 0 ? ops->len - 1 : 0; i < j; i++, j--)
    {
      Op swap = g_array_index (ops, Op, i);

      g_array_index (ops, Op, i) = g_array_index (ops, Op, j);
      g_array_index (ops, Op, j) = swap;
    }

  return ops;
}

static void
append_line (GString    *out,
             char        prefix,
             const Line *line)
{
  g_string_append_c (out, prefix);
  g_string_append_len (out, line->start, line->length);
  g_string_append_c (out, '\n');
  if (!line->has_newline)
    g_string_append (out, "\\ No newline at end of file\n");
}

/* `diff -u` writes an empty range's start as the line before it. */
static void
append_range (GString *out,
              char     sign,
              guint    start,
              guint    count)
{
  if (count == 1)
    g_string_append_printf (out, "%c%u", sign, start + 1);
  else
    g_string_append_printf (out, "%c%u,%u", sign, count == 0 ? start : start + 1, count);
}

char *
mend_line_diff_unified (const char *label,
                        GBytes     *before,
                        GBytes     *after,
                        guint       context)
{
  g_autoptr(GArray) a = NULL;
  g_autoptr(GArray) b = NULL;
  g_autoptr(GArray) ops = NULL;
  g_autoptr(GString) out = g_string_new (NULL);
  guint i = 0;

  g_return_val_if_fail (label != NULL, NULL);
  g_return_val_if_fail (before != NULL && after != NULL, NULL);

  if (g_bytes_equal (before, after))
    return g_strdup ("");

  a = split_lines (before);
  b = split_lines (after);
  ops = edit_script (a, b);

  g_string_append_printf (out, "--- %s\n+++ %s\n", label, label);

  while (i < ops->len)
    {
      guint first_change, hunk_start, hunk_end, before_start = 0, after_start = 0;
      guint before_count = 0, after_count = 0;
      gboolean started = FALSE;

      while (i < ops->len && g_array_index (ops, Op, i).kind == OP_EQUAL)
        i++;
      if (i == ops->len)
        break;

      first_change = i;
      hunk_start = first_change > context ? first_change - context : 0;

      /* Extend over changes closer than twice the context to each other. */
      hunk_end = first_change;
      for (guint j = first_change; j < ops->len; j++)
        {
          if (g_array_index (ops, Op, j).kind != OP_EQUAL)
            hunk_end = j + 1;
          else if (j - hunk_end >= 2 * context)
            break;
        }
      hunk_end = MIN (hunk_end + context, ops->len);

      for (guint j = hunk_start; j < hunk_end; j++)
        {
          const Op *op = &g_array_index (ops, Op, j);

          if (!started)
            {
              before_start = op->before;
              after_start = op->after;
              started = TRUE;
            }
          if (op->kind != OP_INSERT)
            before_count++;
          if (op->kind != OP_DELETE)
            after_count++;
        }

      g_string_append (out, "@@ ");
      append_range (out, '-', before_start, before_count);
      g_string_append_c (out, ' ');
      append_range (out, '+', after_start, after_count);
      g_string_append (out, " @@\n");

      for (guint j = hunk_start; j < hunk_end; j++)
        {
          const Op *op = &g_array_index (ops, Op, j);

          switch (op->kind)
            {
            case OP_EQUAL:
              append_line (out, ' ', &g_array_index (a, Line, op->before));
              break;
            case OP_DELETE:
              append_line (out, '-', &g_array_index (a, Line, op->before));
              break;
            case OP_INSERT:
              append_line (out, '+', &g_array_index (b, Line, op->after));
              break;
            default:
              g_assert_not_reached ();
            }
        }

      i = hunk_end;
    }

  return g_string_free (g_steal_pointer (&out), FALSE);
}
