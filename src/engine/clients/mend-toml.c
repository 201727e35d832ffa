/* mend-toml.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A TOML reader for configuration files (himalaya's config.toml): every
 * TOML 1.0 construct, plus what TOML 1.1 relaxed (newlines and trailing
 * commas in inline tables, \e and \xHH escapes, times without seconds).
 * Date-times are kept as text. It builds a tree and answers lookups; it
 * never writes TOML.
 */

#define G_LOG_DOMAIN "mend-toml"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "mend-toml.h"

/* Far beyond any configuration file; they keep a hostile one from
 * exhausting the stack or the memory. */
#define MAX_NESTING   64
#define MAX_KEY_PARTS 128
#define MAX_VALUES    1000000
/* Above this many members a table gets a hash index. */
#define INDEX_THRESHOLD 8

enum
{
  TABLE_IMPLICIT  = 0,
  TABLE_EXPLICIT  = 1 << 0, /* defined by a [header] */
  TABLE_DOTTED    = 1 << 1, /* defined by dotted keys */
  TABLE_INLINE    = 1 << 2, /* an inline table, closed once written */
  ARRAY_OF_TABLES = 1 << 3, /* built by [[header]]s */
};

typedef struct
{
  char     *key;
  MendToml *value;
} Member;

struct _MendToml
{
  MendTomlKind kind;
  guint        flags;
  union
  {
    char      *string;
    gint64     integer;
    double     number;
    gboolean   boolean;
    GPtrArray *elements;
    struct
    {
      GArray     *members;
      GHashTable *index;
    } table;
  } u;
};

typedef struct
{
  const char *data;
  const char *p;
  const char *end;
  guint       line;
  guint       n_values;
  MendToml   *root;
  MendToml   *current;
  GPtrArray  *current_path;  /* the parts of the current table's key */
  GPtrArray  *statements;    /* MendTomlStatement, when asked for */
} Parser;

G_DEFINE_QUARK (mend-toml-error-quark, mend_toml_error)

static MendToml *parse_value (Parser  *parser,
                              guint    depth,
                              GError **error);

static void
member_clear (gpointer data)
{
  Member *member = data;

  g_free (member->key);
  mend_toml_free (member->value);
}

static gboolean
fail (Parser        *parser,
      GError       **error,
      MendTomlError  code,
      const char    *message)
{
  /* Translators: %u is a line number in a file, %s says what is wrong there. */
  g_set_error (error, MEND_TOML_ERROR, code, _("Line %u: %s"), parser->line, message);
  return FALSE;
}

static MendToml *
value_new (Parser        *parser,
           MendTomlKind   kind,
           GError       **error)
{
  MendToml *value;

  if (++parser->n_values > MAX_VALUES)
    {
      fail (parser, error, MEND_TOML_ERROR_TOO_LARGE, _("too many values"));
      return NULL;
    }

  value = g_new0 (MendToml, 1);
  value->kind = kind;

  switch (kind)
    {
    case MEND_TOML_KIND_ARRAY:
      value->u.elements = g_ptr_array_new_with_free_func ((GDestroyNotify) mend_toml_free);
      break;
    case MEND_TOML_KIND_TABLE:
      value->u.table.members = g_array_new (FALSE, FALSE, sizeof (Member));
      g_array_set_clear_func (value->u.table.members, member_clear);
      break;
    case MEND_TOML_KIND_STRING:
    case MEND_TOML_KIND_INTEGER:
    case MEND_TOML_KIND_FLOAT:
    case MEND_TOML_KIND_BOOLEAN:
    case MEND_TOML_KIND_DATETIME:
    default:
      break;
    }

  return value;
}

static MendToml *
table_get (const MendToml *table,
           const char     *key)
{
  GArray *members = table->u.table.members;

  if (table->u.table.index != NULL)
    return g_hash_table_lookup (table->u.table.index, key);

  for (guint i = 0; i < members->len; i++)
    {
      Member *member = &g_array_index (members, Member, i);

      if (g_str_equal (member->key, key))
        return member->value;
    }

  return NULL;
}

/* Takes @value. */
static void
table_add (MendToml   *table,
           const char *key,
           MendToml   *value)
{
  Member member = { g_strdup (key), value };
  GArray *members = table->u.table.members;

  g_array_append_val (members, member);

  if (table->u.table.index != NULL)
    {
      g_hash_table_insert (table->u.table.index, member.key, value);
    }
  else if (members->len > INDEX_THRESHOLD)
    {
      table->u.table.index = g_hash_table_new (g_str_hash, g_str_equal);
      for (guint i = 0; i < members->len; i++)
        {
          Member *m = &g_array_index (members, Member, i);
          g_hash_table_insert (table->u.table.index, m->key, m->value);
        }
    }
}

static gboolean
at_newline (const Parser *parser)
{
  const char *p = parser->p;

  return p < parser->end &&
         (*p == '\n' || (*p == '\r' && p + 1 < parser->end && p[1] == '\n'));
}

static void
skip_newline (Parser *parser)
{
  g_assert (at_newline (parser));

  parser->p += *parser->p == '\r' ? 2 : 1;
  parser->line++;
}

static void
skip_whitespace (Parser *parser)
{
  while (parser->p < parser->end && (*parser->p == ' ' || *parser->p == '\t'))
    parser->p++;
}

static void
skip_comment (Parser *parser)
{
  while (parser->p < parser->end && *parser->p != '\n' && *parser->p != '\r')
    parser->p++;
}

/* Inside arrays and inline tables. */
static void
skip_blank (Parser *parser)
{
  for (;;)
    {
      skip_whitespace (parser);

      if (parser->p < parser->end && *parser->p == '#')
        skip_comment (parser);

      if (!at_newline (parser))
        return;

      skip_newline (parser);
    }
}

static gboolean
expect_end_of_line (Parser  *parser,
                    GError **error)
{
  skip_whitespace (parser);

  if (parser->p < parser->end && *parser->p == '#')
    skip_comment (parser);

  if (parser->p >= parser->end)
    return TRUE;

  if (at_newline (parser))
    {
      skip_newline (parser);
      return TRUE;
    }

  return fail (parser, error, MEND_TOML_ERROR_SYNTAX, _("unexpected text after a value"));
}

static gboolean
is_control (guchar c)
{
  return (c < 0x20 && c != '\t') || c == 0x7f;
}

static gboolean
parse_hex (Parser   *parser,
           guint     n_digits,
           gunichar *result,
           GError  **error)
{
  gunichar value = 0;

  if ((gsize) (parser->end - parser->p) < n_digits)
    return fail (parser, error, MEND_TOML_ERROR_SYNTAX, _("incomplete escape sequence"));

  for (guint i = 0; i < n_digits; i++)
    {
      int digit = g_ascii_xdigit_value (parser->p[i]);

      if (digit < 0)
        return fail (parser, error, MEND_TOML_ERROR_SYNTAX, _("invalid escape sequence"));
      value = value * 16 + (gunichar) digit;
    }

  parser->p += n_digits;
  *result = value;

  return TRUE;
}

/* At a backslash in a basic string. */
static gboolean
parse_escape (Parser   *parser,
              GString  *out,
              GError  **error)
{
  gunichar c = 0;
  guint n_digits = 0;

  parser->p++;
  if (parser->p >= parser->end)
    return fail (parser, error, MEND_TOML_ERROR_SYNTAX, _("unterminated string"));

  switch (*parser->p)
    {
    case 'b': c = '\b'; break;
    case 't': c = '\t'; break;
    case 'n': c = '\n'; break;
    case 'f': c = '\f'; break;
    case 'r': c = '\r'; break;
    case 'e': c = 0x1b; break;
    case '"': c = '"'; break;
    case '\\': c = '\\'; break;
    case 'x': n_digits = 2; break;
    case 'u': n_digits = 4; break;
    case 'U': n_digits = 8; break;
    default:
      return fail (parser, error, MEND_TOML_ERROR_SYNTAX, _("invalid escape sequence"));
    }
  parser->p++;

  if (n_digits > 0)
    {
      if (!parse_hex (parser, n_digits, &c, error))
        return FALSE;

      if (c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
        return fail (parser, error, MEND_TOML_ERROR_SYNTAX, _("invalid Unicode escape"));
    }

  g_string_append_unichar (out, c);

  return TRUE;
}

/* Counts the quotes at the parser; a run of three to five closes a
 * multi-line string, the extra ones belonging to its content. */
static guint
count_quotes (const Parser *parser,
              char          quote)
{
  guint n = 0;

  while (parser->p + n < parser->end && parser->p[n] == quote)
    n++;

  return n;
}

static gboolean
parse_multiline_string (Parser   *parser,
                        char      quote,
                        GString  *out,
                        GError  **error)
{
  gboolean basic = quote == '"';

  parser->p += 3;
  if (at_newline (parser))
    skip_newline (parser);

  for (;;)
    {
      guchar c;

      if (parser->p >= parser->end)
        return fail (parser, error, MEND_TOML_ERROR_SYNTAX, _("unterminated string"));

      c = *parser->p;

      if (c == (guchar) quote)
        {
          guint n = count_quotes (parser, quote);

          if (n >= 3)
            {
              if (n > 5)
                return fail (parser, error, MEND_TOML_ERROR_SYNTAX, _("too many quotes"));

              for (guint i = 0; i < n - 3; i++)
                g_string_append_c (out, quote);
              parser->p += n;

              return TRUE;
            }

          for (guint i = 0; i < n; i++)
            g_string_append_c (out, quote);
          parser->p += n;
        }
      else if (basic && c == '\\')
        {
          const char *after = parser->p + 1;

          while (after < parser->end && (*after == ' ' || *after == '\t'))
            after++;

          if (after < parser->end &&
              (*after == '\n' || (*after == '\r' && after + 1 < parser->end && after[1] == '\n')))
            {
              /* A line-ending backslash: drop the newline and the
               * whitespace that follows. */
              parser->p = after;
              for (;;)
                {
                  skip_whitespace (parser);
                  if (!at_newline (parser))
                    break;
                  skip_newline (parser);
                }
            }
          else if (!parse_escape (parser, out, error))
            {
              return FALSE;
            }
        }
      else if (at_newline (parser))
        {
          skip_newline (parser);
          g_string_append_c (out, '\n');
        }
      else if (is_control (c))
        {
          return fail (parser, error, MEND_TOML_ERROR_SYNTAX,
                       _("control character in a string"));
        }
      else
        {
          g_string_append_c (out, (char) c);
          parser->p++;
        }
    }
}

/* At the opening quote of a one-line string. */
static gboolean
parse_line_string (Parser   *parser,
                   GString  *out,
                   GError  **error)
{
  char quote = *parser->p;

  parser->p++;

  for (;;)
    {
      guchar c;

      if (parser->p >= parser->end || *parser->p == '\n' || *parser->p == '\r')
        return fail (parser, error, MEND_TOML_ERROR_SYNTAX, _("unterminated string"));

      c = *parser->p;

      if (c == (guchar) quote)
        {
          parser->p++;
          return TRUE;
        }

      if (quote == '"' && c == '\\')
        {
          if (!parse_escape (parser, out, error))
            return FALSE;
        }
      else if (is_control (c))
        {
          return fail (parser, error, MEND_TOML_ERROR_SYNTAX,
                       _("control character in a string"));
        }
      else
        {
          g_string_append_c (out, (char) c);
          parser->p++;
        }
    }
}

static gboolean
is_bare_key_char (char c)
{
  return g_ascii_isalnum (c) || c == '_' || c == '-';
}

static gboolean
parse_simple_key (Parser   *parser,
                  GString  *out,
                  GError  **error)
{
  const char *start = parser->p;

  if (parser->p < parser->end && (*parser->p == '"' || *parser->p == '\''))
    {
      if (count_quotes (parser, *parser->p) >= 3)
        return fail (parser, error, MEND_TOML_ERROR_SYNTAX,
                     _("a multi-line string cannot be a key"));

      return parse_line_string (parser, out, error);
    }

  while (parser->p < parser->end && is_bare_key_char (*parser->p))
    parser->p++;

  if (parser->p == start)
    return fail (parser, error, MEND_TOML_ERROR_SYNTAX, _("expected a key"));

  g_string_append_len (out, start, parser->p - start);

  return TRUE;
}

/* A key, dotted or not: adds its parts to @parts. */
static gboolean
parse_key (Parser     *parser,
           GPtrArray  *parts,
           GError    **error)
{
  for (;;)
    {
      g_autoptr(GString) part = g_string_new (NULL);

      skip_whitespace (parser);
      if (!parse_simple_key (parser, part, error))
        return FALSE;

      if (parts->len >= MAX_KEY_PARTS)
        return fail (parser, error, MEND_TOML_ERROR_TOO_LARGE, _("key too long"));

      g_ptr_array_add (parts, g_string_free (g_steal_pointer (&part), FALSE));

      skip_whitespace (parser);
      if (parser->p >= parser->end || *parser->p != '.')
        return TRUE;
      parser->p++;
    }
}

static gboolean
scan_digits (const char **s,
             gboolean   (*is_digit) (char c))
{
  if (!is_digit (**s))
    return FALSE;

  for (;;)
    {
      while (is_digit (**s))
        (*s)++;

      if (**s == '_' && is_digit ((*s)[1]))
        {
          (*s)++;
          continue;
        }

      return TRUE;
    }
}

static gboolean
is_decimal_digit (char c)
{
  return c >= '0' && c <= '9';
}

static gboolean
is_hex_digit (char c)
{
  return g_ascii_isxdigit (c);
}

static gboolean
is_octal_digit (char c)
{
  return c >= '0' && c <= '7';
}

static gboolean
is_binary_digit (char c)
{
  return c == '0' || c == '1';
}

static gboolean
parse_integer (const char *token,
               gint64     *result)
{
  const char *s = token;
  gboolean (*is_digit) (char c) = is_decimal_digit;
  guint base = 10;
  gboolean negative = FALSE;
  const char *digits;
  guint64 value = 0;
  guint64 limit;

  if (s[0] == '0' && (s[1] == 'x' || s[1] == 'o' || s[1] == 'b'))
    {
      base = s[1] == 'x' ? 16 : s[1] == 'o' ? 8 : 2;
      is_digit = base == 16 ? is_hex_digit : base == 8 ? is_octal_digit : is_binary_digit;
      s += 2;
    }
  else
    {
      if (*s == '+' || *s == '-')
        negative = *s++ == '-';

      /* No leading zeros. */
      if (s[0] == '0' && s[1] != '\0')
        return FALSE;
    }

  digits = s;
  if (!scan_digits (&s, is_digit) || *s != '\0')
    return FALSE;

  limit = negative ? (guint64) G_MAXINT64 + 1 : (guint64) G_MAXINT64;

  for (s = digits; *s != '\0'; s++)
    {
      guint digit;

      if (*s == '_')
        continue;

      digit = (guint) g_ascii_xdigit_value (*s);
      if (value > (limit - digit) / base)
        return FALSE;
      value = value * base + digit;
    }

  if (negative)
    *result = value == (guint64) G_MAXINT64 + 1 ? G_MININT64 : -(gint64) value;
  else
    *result = (gint64) value;

  return TRUE;
}

static gboolean
parse_float (const char *token,
             double     *result)
{
  const char *s = token;
  const char *int_start;
  g_autoptr(GString) plain = NULL;
  char *end = NULL;
  gboolean has_fraction = FALSE;
  gboolean has_exponent = FALSE;

  if (*s == '+' || *s == '-')
    s++;

  if (g_str_equal (s, "inf"))
    {
      *result = *token == '-' ? -INFINITY : INFINITY;
      return TRUE;
    }
  if (g_str_equal (s, "nan"))
    {
      *result = NAN;
      return TRUE;
    }

  int_start = s;
  if (!scan_digits (&s, is_decimal_digit))
    return FALSE;
  if (int_start[0] == '0' && s - int_start > 1)
    return FALSE;

  if (*s == '.')
    {
      s++;
      if (!scan_digits (&s, is_decimal_digit))
        return FALSE;
      has_fraction = TRUE;
    }

  if (*s == 'e' || *s == 'E')
    {
      s++;
      if (*s == '+' || *s == '-')
        s++;
      if (!scan_digits (&s, is_decimal_digit))
        return FALSE;
      has_exponent = TRUE;
    }

  if (*s != '\0' || (!has_fraction && !has_exponent))
    return FALSE;

  plain = g_string_new (NULL);
  for (s = token; *s != '\0'; s++)
    {
      if (*s != '_')
        g_string_append_c (plain, *s);
    }

  *result = g_ascii_strtod (plain->str, &end);

  return end != NULL && *end == '\0';
}

static gboolean
match_digits (const char **s,
              guint        n)
{
  for (guint i = 0; i < n; i++)
    {
      if (!g_ascii_isdigit ((*s)[i]))
        return FALSE;
    }

  *s += n;
  return TRUE;
}

static gboolean
match_date (const char **s)
{
  return match_digits (s, 4) && *(*s)++ == '-' &&
         match_digits (s, 2) && *(*s)++ == '-' &&
         match_digits (s, 2);
}

static gboolean
match_time (const char **s)
{
  if (!match_digits (s, 2) || **s != ':')
    return FALSE;
  (*s)++;
  if (!match_digits (s, 2))
    return FALSE;

  /* Seconds are optional since TOML 1.1. */
  if (**s == ':')
    {
      (*s)++;
      if (!match_digits (s, 2))
        return FALSE;

      if (**s == '.')
        {
          (*s)++;
          if (!g_ascii_isdigit (**s))
            return FALSE;
          while (g_ascii_isdigit (**s))
            (*s)++;
        }
    }

  return TRUE;
}

static gboolean
is_datetime (const char *token)
{
  const char *s = token;

  if (match_date (&s))
    {
      if (*s == '\0')
        return TRUE;

      if (*s != 'T' && *s != 't' && *s != ' ')
        return FALSE;
      s++;

      if (!match_time (&s))
        return FALSE;

      if (*s == 'Z' || *s == 'z')
        {
          s++;
        }
      else if (*s == '+' || *s == '-')
        {
          s++;
          if (!match_digits (&s, 2) || *s++ != ':' || !match_digits (&s, 2))
            return FALSE;
        }

      return *s == '\0';
    }

  s = token;
  return match_time (&s) && *s == '\0';
}

static gboolean
is_token_char (char c)
{
  return g_ascii_isalnum (c) || c == '_' || c == '+' || c == '-' || c == '.' || c == ':';
}

/* Booleans, numbers and date-times. */
static MendToml *
parse_scalar (Parser  *parser,
              GError **error)
{
  const char *start = parser->p;
  g_autofree char *token = NULL;
  MendToml *value;
  gint64 integer;
  double number;

  while (parser->p < parser->end && is_token_char (*parser->p))
    parser->p++;

  /* A date and a time may be separated by a space. */
  if (parser->p - start == 10 && parser->end - parser->p > 3 &&
      parser->p[0] == ' ' && g_ascii_isdigit (parser->p[1]) &&
      g_ascii_isdigit (parser->p[2]) && parser->p[3] == ':')
    {
      parser->p++;
      while (parser->p < parser->end && is_token_char (*parser->p))
        parser->p++;
    }

  if (parser->p == start)
    {
      fail (parser, error, MEND_TOML_ERROR_SYNTAX, _("expected a value"));
      return NULL;
    }

  token = g_strndup (start, parser->p - start);

  if (g_str_equal (token, "true") || g_str_equal (token, "false"))
    {
      if ((value = value_new (parser, MEND_TOML_KIND_BOOLEAN, error)))
        value->u.boolean = token[0] == 't';
    }
  else if (is_datetime (token))
    {
      if ((value = value_new (parser, MEND_TOML_KIND_DATETIME, error)))
        value->u.string = g_steal_pointer (&token);
    }
  else if (parse_integer (token, &integer))
    {
      if ((value = value_new (parser, MEND_TOML_KIND_INTEGER, error)))
        value->u.integer = integer;
    }
  else if (parse_float (token, &number))
    {
      if ((value = value_new (parser, MEND_TOML_KIND_FLOAT, error)))
        value->u.number = number;
    }
  else
    {
      fail (parser, error, MEND_TOML_ERROR_SYNTAX, _("invalid value"));
      value = NULL;
    }

  return value;
}

static MendToml *
parse_string (Parser  *parser,
              GError **error)
{
  g_autoptr(GString) out = g_string_new (NULL);
  MendToml *value;
  gboolean ok;

  if (count_quotes (parser, *parser->p) >= 3)
    ok = parse_multiline_string (parser, *parser->p, out, error);
  else
    ok = parse_line_string (parser, out, error);

  if (!ok || !(value = value_new (parser, MEND_TOML_KIND_STRING, error)))
    return NULL;

  value->u.string = g_string_free (g_steal_pointer (&out), FALSE);

  return value;
}

/* Sets a value by a dotted key relative to @table. Takes @value. */
static gboolean
insert_dotted (Parser     *parser,
               MendToml   *table,
               GPtrArray  *parts,
               MendToml   *value,
               GError    **error)
{
  g_autoptr(MendToml) owned = value;
  MendToml *t = table;
  const char *last;

  for (guint i = 0; i + 1 < parts->len; i++)
    {
      const char *part = g_ptr_array_index (parts, i);
      MendToml *child = table_get (t, part);

      if (child == NULL)
        {
          if (!(child = value_new (parser, MEND_TOML_KIND_TABLE, error)))
            return FALSE;
          child->flags = TABLE_DOTTED;
          table_add (t, part, child);
        }
      else if (child->kind != MEND_TOML_KIND_TABLE ||
               (child->flags & (TABLE_INLINE | TABLE_EXPLICIT)) != 0)
        {
          return fail (parser, error, MEND_TOML_ERROR_DUPLICATE,
                       _("a key redefines a table or value"));
        }

      t = child;
    }

  last = g_ptr_array_index (parts, parts->len - 1);
  if (table_get (t, last) != NULL)
    return fail (parser, error, MEND_TOML_ERROR_DUPLICATE, _("duplicate key"));

  table_add (t, last, g_steal_pointer (&owned));

  return TRUE;
}

static MendToml *
parse_array (Parser  *parser,
             guint    depth,
             GError **error)
{
  g_autoptr(MendToml) array = NULL;

  if (depth > MAX_NESTING)
    {
      fail (parser, error, MEND_TOML_ERROR_TOO_LARGE, _("values nested too deeply"));
      return NULL;
    }

  if (!(array = value_new (parser, MEND_TOML_KIND_ARRAY, error)))
    return NULL;

  parser->p++;

  for (;;)
    {
      MendToml *element;

      skip_blank (parser);
      if (parser->p >= parser->end)
        {
          fail (parser, error, MEND_TOML_ERROR_SYNTAX, _("unterminated array"));
          return NULL;
        }

      if (*parser->p == ']')
        break;

      if (!(element = parse_value (parser, depth + 1, error)))
        return NULL;
      g_ptr_array_add (array->u.elements, element);

      skip_blank (parser);
      if (parser->p < parser->end && *parser->p == ',')
        {
          parser->p++;
          continue;
        }

      if (parser->p < parser->end && *parser->p == ']')
        break;

      fail (parser, error, MEND_TOML_ERROR_SYNTAX, _("expected “,” or “]” in an array"));
      return NULL;
    }

  parser->p++;

  return g_steal_pointer (&array);
}

static MendToml *
parse_inline_table (Parser  *parser,
                    guint    depth,
                    GError **error)
{
  g_autoptr(MendToml) table = NULL;

  if (depth > MAX_NESTING)
    {
      fail (parser, error, MEND_TOML_ERROR_TOO_LARGE, _("values nested too deeply"));
      return NULL;
    }

  if (!(table = value_new (parser, MEND_TOML_KIND_TABLE, error)))
    return NULL;

  parser->p++;

  for (;;)
    {
      g_autoptr(GPtrArray) parts = g_ptr_array_new_with_free_func (g_free);
      MendToml *value;

      skip_blank (parser);
      if (parser->p < parser->end && *parser->p == '}')
        break;

      if (!parse_key (parser, parts, error))
        return NULL;

      skip_whitespace (parser);
      if (parser->p >= parser->end || *parser->p != '=')
        {
          fail (parser, error, MEND_TOML_ERROR_SYNTAX, _("expected “=” after a key"));
          return NULL;
        }
      parser->p++;
      skip_whitespace (parser);

      if (!(value = parse_value (parser, depth + 1, error)) ||
          !insert_dotted (parser, table, parts, value, error))
        return NULL;

      skip_blank (parser);
      if (parser->p < parser->end && *parser->p == ',')
        {
          parser->p++;
          continue;
        }

      if (parser->p < parser->end && *parser->p == '}')
        break;

      fail (parser, error, MEND_TOML_ERROR_SYNTAX,
            _("expected “,” or “}” in an inline table"));
      return NULL;
    }

  parser->p++;
  table->flags = TABLE_INLINE;

  return g_steal_pointer (&table);
}

static MendToml *
parse_value (Parser  *parser,
             guint    depth,
             GError **error)
{
  if (parser->p >= parser->end || at_newline (parser) || *parser->p == '#')
    {
      fail (parser, error, MEND_TOML_ERROR_SYNTAX, _("expected a value"));
      return NULL;
    }

  switch (*parser->p)
    {
    case '"':
    case '\'':
      return parse_string (parser, error);
    case '[':
      return parse_array (parser, depth, error);
    case '{':
      return parse_inline_table (parser, depth, error);
    default:
      return parse_scalar (parser, error);
    }
}

/* [a.b.c] or, with @array_of_tables, [[a.b.c]]. */
static gboolean
open_table (Parser     *parser,
            GPtrArray  *parts,
            gboolean    array_of_tables,
            GError    **error)
{
  MendToml *t = parser->root;

  for (guint i = 0; i < parts->len; i++)
    {
      const char *part = g_ptr_array_index (parts, i);
      gboolean last = i + 1 == parts->len;
      MendToml *child = table_get (t, part);

      if (last && array_of_tables)
        {
          MendToml *element;

          if (child == NULL)
            {
              if (!(child = value_new (parser, MEND_TOML_KIND_ARRAY, error)))
                return FALSE;
              child->flags = ARRAY_OF_TABLES;
              table_add (t, part, child);
            }
          else if (child->kind != MEND_TOML_KIND_ARRAY || !(child->flags & ARRAY_OF_TABLES))
            {
              return fail (parser, error, MEND_TOML_ERROR_DUPLICATE,
                           _("a table header redefines a value"));
            }

          if (!(element = value_new (parser, MEND_TOML_KIND_TABLE, error)))
            return FALSE;
          element->flags = TABLE_EXPLICIT;
          g_ptr_array_add (child->u.elements, element);
          t = element;
          break;
        }

      if (child == NULL)
        {
          if (!(child = value_new (parser, MEND_TOML_KIND_TABLE, error)))
            return FALSE;
          child->flags = last ? TABLE_EXPLICIT : TABLE_IMPLICIT;
          table_add (t, part, child);
        }
      else if (child->kind == MEND_TOML_KIND_TABLE)
        {
          if (child->flags & TABLE_INLINE)
            return fail (parser, error, MEND_TOML_ERROR_DUPLICATE,
                         _("a table header extends an inline table"));

          if (last)
            {
              if (child->flags & (TABLE_EXPLICIT | TABLE_DOTTED))
                return fail (parser, error, MEND_TOML_ERROR_DUPLICATE,
                             _("a table is defined twice"));
              child->flags |= TABLE_EXPLICIT;
            }
        }
      else if (child->kind == MEND_TOML_KIND_ARRAY && (child->flags & ARRAY_OF_TABLES) && !last)
        {
          child = g_ptr_array_index (child->u.elements, child->u.elements->len - 1);
        }
      else
        {
          return fail (parser, error, MEND_TOML_ERROR_DUPLICATE,
                       _("a table header redefines a value"));
        }

      t = child;
    }

  parser->current = t;

  return TRUE;
}

void
mend_toml_statement_free (MendTomlStatement *statement)
{
  if (statement == NULL)
    return;

  g_strfreev (statement->path);
  g_free (statement);
}

/* Records where a header or a key-value is, when the caller asked for statements. */
static void
add_statement (Parser     *parser,
               gboolean    header,
               GPtrArray  *parts,
               const char *start,
               guint       first,
               gsize       key_length,
               const char *value)
{
  MendTomlStatement *statement;
  g_autoptr(GStrvBuilder) path = NULL;
  const char *line_start = start;

  if (parser->statements == NULL)
    return;

  while (line_start > parser->data && line_start[-1] != '\n')
    line_start--;

  path = g_strv_builder_new ();
  if (!header)
    {
      for (guint i = 0; i < parser->current_path->len; i++)
        g_strv_builder_add (path, g_ptr_array_index (parser->current_path, i));
    }
  for (guint i = 0; i < parts->len; i++)
    g_strv_builder_add (path, g_ptr_array_index (parts, i));

  statement = g_new0 (MendTomlStatement, 1);
  statement->header = header;
  statement->path = g_strv_builder_end (path);
  statement->first = first;
  statement->last = parser->line;
  statement->key_start = start - line_start;
  statement->key_end = statement->key_start + key_length;
  statement->value_start = value != NULL ? (gsize) (value - line_start) : statement->key_end;
  g_ptr_array_add (parser->statements, statement);
}

static gboolean
parse_header (Parser  *parser,
              GError **error)
{
  g_autoptr(GPtrArray) parts = g_ptr_array_new_with_free_func (g_free);
  gboolean array_of_tables = parser->p + 1 < parser->end && parser->p[1] == '[';
  const char *start = parser->p;
  guint first = parser->line;

  parser->p += array_of_tables ? 2 : 1;

  if (!parse_key (parser, parts, error))
    return FALSE;

  skip_whitespace (parser);
  if (parser->p >= parser->end || *parser->p != ']' ||
      (array_of_tables && (parser->p + 1 >= parser->end || parser->p[1] != ']')))
    return fail (parser, error, MEND_TOML_ERROR_SYNTAX, _("unterminated table header"));

  parser->p += array_of_tables ? 2 : 1;

  if (!open_table (parser, parts, array_of_tables, error))
    return FALSE;

  add_statement (parser, TRUE, parts, start, first, parser->p - start, NULL);

  g_ptr_array_set_size (parser->current_path, 0);
  for (guint i = 0; i < parts->len; i++)
    g_ptr_array_add (parser->current_path, g_strdup (g_ptr_array_index (parts, i)));

  return TRUE;
}

static gboolean
parse_key_value (Parser  *parser,
                 GError **error)
{
  g_autoptr(GPtrArray) parts = g_ptr_array_new_with_free_func (g_free);
  const char *start = parser->p;
  const char *key_end;
  const char *value_start;
  guint first = parser->line;
  MendToml *value;

  if (!parse_key (parser, parts, error))
    return FALSE;

  key_end = parser->p;
  while (key_end > start && (key_end[-1] == ' ' || key_end[-1] == '\t'))
    key_end--;

  skip_whitespace (parser);
  if (parser->p >= parser->end || *parser->p != '=')
    return fail (parser, error, MEND_TOML_ERROR_SYNTAX, _("expected “=” after a key"));
  parser->p++;
  skip_whitespace (parser);
  value_start = parser->p;

  if (!(value = parse_value (parser, 0, error)))
    return FALSE;

  if (!insert_dotted (parser, parser->current, parts, value, error))
    return FALSE;

  add_statement (parser, FALSE, parts, start, first, key_end - start, value_start);

  return TRUE;
}

static MendToml *
parse_document (const char  *data,
                gssize       length,
                GPtrArray   *statements,
                GError     **error)
{
  g_autoptr(MendToml) root = NULL;
  g_autoptr(GPtrArray) current_path = g_ptr_array_new_with_free_func (g_free);
  Parser parser = { 0 };

  if (length < 0)
    length = strlen (data);

  parser.data = data;
  parser.current_path = current_path;
  parser.statements = statements;
  parser.p = data;
  parser.end = data + length;
  parser.line = 1;

  if (!g_utf8_validate_len (data, length, NULL))
    {
      fail (&parser, error, MEND_TOML_ERROR_SYNTAX, _("the file is not valid UTF-8 text"));
      return NULL;
    }

  /* A byte order mark is allowed before the document. */
  if (length >= 3 && memcmp (data, "\xef\xbb\xbf", 3) == 0)
    parser.p += 3;

  if (!(root = value_new (&parser, MEND_TOML_KIND_TABLE, error)))
    return NULL;
  root->flags = TABLE_EXPLICIT;
  parser.root = root;
  parser.current = root;

  while (parser.p < parser.end)
    {
      gboolean ok;

      skip_whitespace (&parser);
      if (parser.p >= parser.end)
        break;

      if (*parser.p == '#')
        {
          skip_comment (&parser);
          if (parser.p < parser.end && !at_newline (&parser))
            {
              fail (&parser, error, MEND_TOML_ERROR_SYNTAX, _("stray carriage return"));
              return NULL;
            }
          continue;
        }

      if (at_newline (&parser))
        {
          skip_newline (&parser);
          continue;
        }

      if (*parser.p == '[')
        ok = parse_header (&parser, error);
      else
        ok = parse_key_value (&parser, error);

      if (!ok || !expect_end_of_line (&parser, error))
        return NULL;
    }

  return g_steal_pointer (&root);
}

/**
 * mend_toml_parse:
 * @data: the document
 * @length: its length, or -1 when NUL-terminated
 *
 * Returns: (transfer full) (nullable): the document's root table, or
 *   %NULL with @error set (%MEND_TOML_ERROR) when it is not valid TOML
 */
MendToml *
mend_toml_parse (const char  *data,
                 gssize       length,
                 GError     **error)
{
  g_return_val_if_fail (data != NULL || length == 0, NULL);

  return parse_document (data, length, NULL, error);
}

/**
 * mend_toml_parse_statements:
 * @data: the document
 * @length: its length, or -1 when NUL-terminated
 *
 * Where each `[table]` header and each `key = value` of the document is, for editing it line
 * by line. Lines are counted from 1, each ending at a line feed.
 *
 * Returns: (transfer container) (element-type MendTomlStatement) (nullable): the statements
 *   in the document's order, or %NULL with @error set when it is not valid TOML
 */
GPtrArray *
mend_toml_parse_statements (const char  *data,
                            gssize       length,
                            GError     **error)
{
  g_autoptr(GPtrArray) statements = NULL;
  g_autoptr(MendToml) root = NULL;

  g_return_val_if_fail (data != NULL || length == 0, NULL);

  statements = g_ptr_array_new_with_free_func ((GDestroyNotify) mend_toml_statement_free);
  if (!(root = parse_document (data, length, statements, error)))
    return NULL;

  return g_steal_pointer (&statements);
}

void
mend_toml_free (MendToml *value)
{
  if (value == NULL)
    return;

  switch (value->kind)
    {
    case MEND_TOML_KIND_STRING:
    case MEND_TOML_KIND_DATETIME:
      g_free (value->u.string);
      break;
    case MEND_TOML_KIND_ARRAY:
      g_ptr_array_unref (value->u.elements);
      break;
    case MEND_TOML_KIND_TABLE:
      g_clear_pointer (&value->u.table.index, g_hash_table_unref);
      g_array_unref (value->u.table.members);
      break;
    case MEND_TOML_KIND_INTEGER:
    case MEND_TOML_KIND_FLOAT:
    case MEND_TOML_KIND_BOOLEAN:
    default:
      break;
    }

  g_free (value);
}

MendTomlKind
mend_toml_get_kind (const MendToml *value)
{
  g_return_val_if_fail (value != NULL, MEND_TOML_KIND_TABLE);

  return value->kind;
}

/**
 * mend_toml_get_string:
 * @value: (nullable): a value
 *
 * Returns: (nullable): the text of a string or date-time, or %NULL for any
 *   other value
 */
const char *
mend_toml_get_string (const MendToml *value)
{
  if (value == NULL ||
      (value->kind != MEND_TOML_KIND_STRING && value->kind != MEND_TOML_KIND_DATETIME))
    return NULL;

  return value->u.string;
}

/**
 * mend_toml_get_integer:
 * @value: (nullable): a value
 *
 * Returns: the integer, or 0 when @value is not one
 */
gint64
mend_toml_get_integer (const MendToml *value)
{
  if (value == NULL || value->kind != MEND_TOML_KIND_INTEGER)
    return 0;

  return value->u.integer;
}

double
mend_toml_get_float (const MendToml *value)
{
  if (value == NULL || value->kind != MEND_TOML_KIND_FLOAT)
    return 0.0;

  return value->u.number;
}

gboolean
mend_toml_get_boolean (const MendToml *value)
{
  if (value == NULL || value->kind != MEND_TOML_KIND_BOOLEAN)
    return FALSE;

  return value->u.boolean;
}

/**
 * mend_toml_get_length:
 * @value: (nullable): a value
 *
 * Returns: the number of elements of an array or members of a table; 0
 *   for anything else
 */
guint
mend_toml_get_length (const MendToml *value)
{
  if (value == NULL)
    return 0;

  if (value->kind == MEND_TOML_KIND_ARRAY)
    return value->u.elements->len;

  if (value->kind == MEND_TOML_KIND_TABLE)
    return value->u.table.members->len;

  return 0;
}

/**
 * mend_toml_get_element:
 * @value: (nullable): an array or a table
 * @index: an index below mend_toml_get_length()
 *
 * Returns: (nullable): the array's element, or the table's member value,
 *   in document order
 */
const MendToml *
mend_toml_get_element (const MendToml *value,
                       guint           index)
{
  if (index >= mend_toml_get_length (value))
    return NULL;

  if (value->kind == MEND_TOML_KIND_ARRAY)
    return g_ptr_array_index (value->u.elements, index);

  return g_array_index (value->u.table.members, Member, index).value;
}

/**
 * mend_toml_get_key:
 * @table: (nullable): a table
 *
 * Returns: (nullable): the key of the table's member at @index
 */
const char *
mend_toml_get_key (const MendToml *table,
                   guint           index)
{
  if (table == NULL || table->kind != MEND_TOML_KIND_TABLE ||
      index >= table->u.table.members->len)
    return NULL;

  return g_array_index (table->u.table.members, Member, index).key;
}

/**
 * mend_toml_get_member:
 * @table: (nullable): a table
 * @key: a key, taken as is (dots included)
 *
 * Returns: (nullable): the member's value
 */
const MendToml *
mend_toml_get_member (const MendToml *table,
                      const char     *key)
{
  g_return_val_if_fail (key != NULL, NULL);

  if (table == NULL || table->kind != MEND_TOML_KIND_TABLE)
    return NULL;

  return table_get (table, key);
}

/**
 * mend_toml_lookup:
 * @table: (nullable): a table
 * @path: keys separated by dots, such as “backend.auth.type”
 *
 * Returns: (nullable): the value at @path
 */
const MendToml *
mend_toml_lookup (const MendToml *table,
                  const char     *path)
{
  g_auto(GStrv) keys = NULL;
  const MendToml *value = table;

  g_return_val_if_fail (path != NULL, NULL);

  keys = g_strsplit (path, ".", -1);
  for (guint i = 0; keys[i] != NULL && value != NULL; i++)
    value = mend_toml_get_member (value, keys[i]);

  return value;
}

/**
 * mend_toml_lookup_string:
 *
 * Returns: (nullable): the string at @path, or %NULL when there is none
 *   or the value there is not a string
 */
const char *
mend_toml_lookup_string (const MendToml *table,
                         const char     *path)
{
  const MendToml *value = mend_toml_lookup (table, path);

  if (value == NULL || value->kind != MEND_TOML_KIND_STRING)
    return NULL;

  return value->u.string;
}

gboolean
mend_toml_lookup_integer (const MendToml *table,
                          const char     *path,
                          gint64         *result)
{
  const MendToml *value = mend_toml_lookup (table, path);

  if (value == NULL || value->kind != MEND_TOML_KIND_INTEGER)
    return FALSE;

  if (result != NULL)
    *result = value->u.integer;

  return TRUE;
}

gboolean
mend_toml_lookup_boolean (const MendToml *table,
                          const char     *path,
                          gboolean       *result)
{
  const MendToml *value = mend_toml_lookup (table, path);

  if (value == NULL || value->kind != MEND_TOML_KIND_BOOLEAN)
    return FALSE;

  if (result != NULL)
    *result = value->u.boolean;

  return TRUE;
}
