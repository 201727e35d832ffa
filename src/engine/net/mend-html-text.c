/* mend-html-text.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "mend-html-text"

#include "config.h"

#include <string.h>

#include "mend-html-text.h"

/* Microsoft's status messages are small HTML fragments (paragraphs, line breaks, lists, links).
 * They are shown as plain text: in a terminal, in a GtkLabel without markup, in a report. This
 * is no HTML parser: it drops tags, keeps the breaks that paragraphs and lists imply, decodes
 * character references, and never fails, whatever the input. */

typedef struct
{
  const char *name;
  const char *text;
} Entity;

/* The named references that show up in prose; others stay as written. */
static const Entity entities[] = {
  { "amp", "&" }, { "lt", "<" }, { "gt", ">" }, { "quot", "\"" }, { "apos", "'" },
  { "nbsp", " " }, { "ndash", "–" }, { "mdash", "—" }, { "hellip", "…" },
  { "lsquo", "‘" }, { "rsquo", "’" }, { "ldquo", "“" }, { "rdquo", "”" },
  { "bull", "•" }, { "middot", "·" }, { "copy", "©" }, { "reg", "®" }, { "trade", "™" },
};

typedef enum
{
  BREAK_NONE,
  BREAK_LINE,
  BREAK_PARAGRAPH,
} Break;

typedef struct
{
  const char *name;
  Break       breaks;
} BlockTag;

static const BlockTag block_tags[] = {
  { "br", BREAK_LINE }, { "div", BREAK_LINE }, { "li", BREAK_LINE }, { "tr", BREAK_LINE },
  { "dt", BREAK_LINE }, { "dd", BREAK_LINE },
  { "p", BREAK_PARAGRAPH }, { "ul", BREAK_PARAGRAPH }, { "ol", BREAK_PARAGRAPH },
  { "table", BREAK_PARAGRAPH }, { "blockquote", BREAK_PARAGRAPH }, { "pre", BREAK_PARAGRAPH },
  { "hr", BREAK_PARAGRAPH }, { "h1", BREAK_PARAGRAPH }, { "h2", BREAK_PARAGRAPH },
  { "h3", BREAK_PARAGRAPH }, { "h4", BREAK_PARAGRAPH }, { "h5", BREAK_PARAGRAPH },
  { "h6", BREAK_PARAGRAPH }, { "section", BREAK_PARAGRAPH }, { "article", BREAK_PARAGRAPH },
};

static const char *
find_case (const char *haystack,
           const char *end,
           const char *needle)
{
  gsize needle_length = strlen (needle);

  for (const char *p = haystack; p + needle_length <= end; p++)
    {
      if (g_ascii_strncasecmp (p, needle, needle_length) == 0)
        return p;
    }

  return NULL;
}

static void
trim_trailing_spaces (GString *out)
{
  while (out->len > 0 && out->str[out->len - 1] == ' ')
    g_string_truncate (out, out->len - 1);
}

static void
add_break (GString *out,
           Break    kind)
{
  guint wanted = kind == BREAK_PARAGRAPH ? 2 : 1;
  guint have = 0;

  trim_trailing_spaces (out);
  if (out->len == 0)
    return;

  for (gsize i = out->len; i > 0 && out->str[i - 1] == '\n'; i--)
    have++;
  for (; have < wanted; have++)
    g_string_append_c (out, '\n');
}

static void
add_space (GString *out)
{
  if (out->len > 0 && out->str[out->len - 1] != ' ' && out->str[out->len - 1] != '\n')
    g_string_append_c (out, ' ');
}

/* Appends the text of the reference at @p (just after the “&”), and returns where the text
 * goes on; a malformed reference is kept as it is. */
static const char *
add_entity (GString    *out,
            const char *p,
            const char *end)
{
  const char *semicolon = NULL;

  for (const char *q = p; q < end && q - p <= 10; q++)
    {
      if (*q == ';')
        {
          semicolon = q;
          break;
        }
    }

  if (semicolon == NULL || semicolon == p)
    {
      g_string_append_c (out, '&');
      return p;
    }

  if (*p == '#')
    {
      g_autofree char *digits = g_strndup (p + 1, semicolon - p - 1);
      gboolean hex = digits[0] == 'x' || digits[0] == 'X';
      const char *number = hex ? digits + 1 : digits;
      char *number_end = NULL;
      guint64 value;

      value = g_ascii_strtoull (number, &number_end, hex ? 16 : 10);
      if (number[0] == '\0' || number_end == NULL || *number_end != '\0')
        {
          g_string_append_c (out, '&');
          return p;
        }

      if (value == 0xA0)
        add_space (out);
      else if (value > 0 && value <= G_MAXUINT32 && g_unichar_validate ((gunichar) value) &&
               (value >= 0x20 || value == '\t' || value == '\n'))
        g_string_append_unichar (out, (gunichar) value);
      else
        g_string_append_unichar (out, 0xFFFD);

      return semicolon + 1;
    }

  for (guint i = 0; i < G_N_ELEMENTS (entities); i++)
    {
      gsize name_length = strlen (entities[i].name);

      if ((gsize) (semicolon - p) == name_length && strncmp (p, entities[i].name, name_length) == 0)
        {
          if (entities[i].text[0] == ' ')
            add_space (out);
          else
            g_string_append (out, entities[i].text);
          return semicolon + 1;
        }
    }

  g_string_append_c (out, '&');
  return p;
}

/* Handles the tag that starts at @p (on its “<”) and returns where the text goes on. */
static const char *
add_tag (GString    *out,
         const char *p,
         const char *end)
{
  const char *close;
  const char *name_start = p + 1;
  char name[12] = { 0 };
  gsize name_length = 0;
  gboolean closing = FALSE;

  if (end - p >= 4 && strncmp (p, "<!--", 4) == 0)
    {
      const char *comment_end = find_case (p + 4, end, "-->");
      return comment_end ? comment_end + 3 : end;
    }

  /* “a < b” is text, not a tag. */
  if (p + 1 >= end || !(g_ascii_isalpha (p[1]) || p[1] == '/' || p[1] == '!'))
    {
      g_string_append_c (out, '<');
      return p + 1;
    }

  close = memchr (p, '>', end - p);
  if (close == NULL)
    return end;

  if (*name_start == '/')
    {
      closing = TRUE;
      name_start++;
    }
  while (name_start + name_length < close && name_length < sizeof name - 1 &&
         g_ascii_isalnum (name_start[name_length]))
    {
      name[name_length] = g_ascii_tolower (name_start[name_length]);
      name_length++;
    }

  /* Their contents are code, not text. */
  if (!closing && (strcmp (name, "script") == 0 || strcmp (name, "style") == 0))
    {
      g_autofree char *end_tag = g_strdup_printf ("</%s", name);
      const char *found = find_case (close + 1, end, end_tag);
      const char *found_close = found ? memchr (found, '>', end - found) : NULL;

      return found_close ? found_close + 1 : end;
    }

  for (guint i = 0; i < G_N_ELEMENTS (block_tags); i++)
    {
      if (strcmp (name, block_tags[i].name) == 0)
        {
          add_break (out, block_tags[i].breaks);
          if (!closing && strcmp (name, "li") == 0)
            g_string_append (out, "• ");
          return close + 1;
        }
    }

  return close + 1;
}

/* Cuts @out to at most @max_length bytes, on a character boundary, with an ellipsis. */
static void
truncate_text (GString *out,
               gsize    max_length)
{
  const char *cut;

  if (max_length == 0 || out->len <= max_length)
    return;

  cut = g_utf8_find_prev_char (out->str, out->str + max_length - strlen ("…") + 1);
  g_string_truncate (out, cut ? (gsize) (cut - out->str) : 0);
  trim_trailing_spaces (out);
  g_string_append (out, "…");
}

/**
 * mend_html_text_to_plain:
 * @html: an HTML fragment, in any encoding that is mostly UTF-8
 * @length: its length in bytes, or -1 when it ends with a nul
 * @max_length: the longest text to return, in bytes (at least 8), or 0 for no limit
 *
 * Reduces @html to plain text: tags dropped, paragraphs and line breaks kept as newlines,
 * list items as “• ”, character references decoded, runs of white space collapsed.
 *
 * Returns: (transfer full): valid UTF-8, without leading or trailing white space
 */
char *
mend_html_text_to_plain (const char *html,
                         gssize      length,
                         gsize       max_length)
{
  g_autoptr(GString) out = NULL;
  g_autofree char *valid = NULL;
  const char *p;
  const char *end;

  g_return_val_if_fail (html != NULL || length == 0, NULL);
  g_return_val_if_fail (max_length == 0 || max_length >= 8, NULL);

  if (length < 0)
    length = strlen (html);

  valid = g_utf8_make_valid (html ? html : "", length);
  out = g_string_sized_new (MIN ((gsize) length, 4096));
  end = valid + strlen (valid);

  for (p = valid; p < end;)
    {
      /* Stop reading once well past the limit: the rest would be cut anyway. */
      if (max_length > 0 && out->len > max_length + 16)
        break;

      switch (*p)
        {
        case '<':
          p = add_tag (out, p, end);
          break;

        case '&':
          p = add_entity (out, p + 1, end);
          break;

        case ' ':
        case '\t':
        case '\n':
        case '\r':
        case '\f':
        case '\v':
          add_space (out);
          p++;
          break;

        default:
          /* Other control characters have no business in a message. */
          if ((guchar) *p < 0x20)
            add_space (out);
          else
            g_string_append_c (out, *p);
          p++;
          break;
        }
    }

  trim_trailing_spaces (out);
  while (out->len > 0 && out->str[out->len - 1] == '\n')
    g_string_truncate (out, out->len - 1);
  truncate_text (out, max_length);

  return g_string_free (g_steal_pointer (&out), FALSE);
}
