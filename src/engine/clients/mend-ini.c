/* mend-ini.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A reader for the INI files of mail clients whose syntax GKeyFile does not
 * accept: aerc's accounts.conf (go-ini) and OfflineIMAP's rc file (Python's
 * configparser). Each dialect follows its library's rules, so that a file
 * the client loads reads the same here, and a file it refuses is an error.
 */

#define G_LOG_DOMAIN "mend-ini"
/* memmem() */
#define _GNU_SOURCE

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "mend-ini.h"

/* configparser's MAX_INTERPOLATION_DEPTH, go-ini's depthValues. */
#define PYTHON_MAX_DEPTH 10
#define GO_MAX_DEPTH     99
/* Bounds on what interpolation may build: values that refer to each
 * other many times over would otherwise grow without end. */
#define MAX_EXPANSIONS   10000
#define MAX_VALUE_LENGTH (64 * 1024)

typedef struct
{
  guint first;
  guint last;
} KeyLines;

typedef struct
{
  char       *name;
  GHashTable *values;  /* key → GString */
  GHashTable *lines;   /* key → KeyLines, where it is written */
  guint       header;  /* the line of its first [header] */
  guint       last;    /* its last line holding a setting, or its header */
} Section;

struct _MendIni
{
  MendIniDialect  dialect;
  gboolean        bare_cr;   /* a line ends with a carriage return alone */
  GPtrArray      *sections;  /* in file order, without DEFAULT */
  GHashTable     *by_name;
  Section        *defaults;
};

typedef struct
{
  const char *p;
  const char *end;
  guint       number;  /* of the line last returned */
} Lines;

G_DEFINE_QUARK (mend-ini-error-quark, mend_ini_error)

static void
string_free (gpointer data)
{
  g_string_free (data, TRUE);
}

static Section *
section_new (const char *name)
{
  Section *section = g_new0 (Section, 1);

  section->name = g_strdup (name);
  section->values = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, string_free);
  section->lines = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  return section;
}

static void
section_free (Section *section)
{
  g_free (section->name);
  g_hash_table_unref (section->values);
  g_hash_table_unref (section->lines);
  g_free (section);
}

static void
section_set_lines (Section    *section,
                   const char *key,
                   guint       first,
                   guint       last)
{
  KeyLines *lines = g_new0 (KeyLines, 1);

  lines->first = first;
  lines->last = last;
  g_hash_table_insert (section->lines, g_strdup (key), lines);
  section->last = MAX (section->last, last);
}

static void
section_start (Section *section,
               guint    line)
{
  if (section->header == 0)
    section->header = line;
  section->last = MAX (section->last, line);
}

/* Returns the (new, empty) value's buffer, to be filled by the caller. */
static GString *
section_set (Section    *section,
             const char *key)
{
  GString *value = g_string_new (NULL);

  g_hash_table_insert (section->values, g_strdup (key), value);

  return value;
}

static gboolean
next_line (Lines       *lines,
           const char **start,
           gsize       *length)
{
  const char *p = lines->p;

  if (p >= lines->end)
    return FALSE;

  *start = p;
  while (p < lines->end && *p != '\n' && *p != '\r')
    p++;
  *length = p - *start;

  /* \n, \r\n and \r all end a line. */
  if (p < lines->end && *p == '\r')
    {
      p++;
      if (p < lines->end && *p == '\n')
        p++;
    }
  else if (p < lines->end)
    {
      p++;
    }

  lines->p = p;
  lines->number++;

  return TRUE;
}

static gboolean
fail (GError       **error,
      MendIniError   code,
      guint          line,
      const char    *message)
{
  /* Translators: %u is a line number in a file, %s says what is wrong there. */
  g_set_error (error, MEND_INI_ERROR, code, _("Line %u: %s"), line, message);
  return FALSE;
}

static gboolean
is_space (char c)
{
  return c == ' ' || c == '\t' || c == '\f' || c == '\v';
}

/* A copy of @start[0..length) without surrounding whitespace. */
static char *
strip_dup (const char *start,
           gsize       length)
{
  while (length > 0 && is_space (*start))
    {
      start++;
      length--;
    }

  while (length > 0 && is_space (start[length - 1]))
    length--;

  return g_strndup (start, length);
}

static Section *
get_or_add_section (MendIni    *self,
                    const char *name)
{
  Section *section = g_hash_table_lookup (self->by_name, name);

  if (section == NULL)
    {
      section = section_new (name);
      g_ptr_array_add (self->sections, section);
      g_hash_table_insert (self->by_name, section->name, section);
    }

  return section;
}

/* go-ini: a value after `=`, which may continue on the following lines. */
static gboolean
read_go_value (Lines       *lines,
               const char  *text,
               GString     *value,
               GError     **error)
{
  g_autofree char *line = strip_dup (text, strlen (text));
  gsize length = strlen (line);
  const char *quote = NULL;

  if (g_str_has_prefix (line, "\"\"\""))
    quote = "\"\"\"";
  else if (line[0] == '`')
    quote = "`";

  if (quote != NULL)
    {
      gsize quote_length = strlen (quote);
      const char *close = strstr (line + quote_length, quote);
      guint first_line = lines->number;
      const char *start;
      gsize next_length;

      if (close != NULL)
        {
          g_string_append_len (value, line + quote_length, close - line - quote_length);
          return TRUE;
        }

      /* Runs over several lines, up to the closing quote. */
      g_string_append (value, line + quote_length);
      while (next_line (lines, &start, &next_length))
        {
          g_autofree char *next = g_strndup (start, next_length);

          g_string_append_c (value, '\n');
          if ((close = strstr (next, quote)) != NULL)
            {
              g_string_append_len (value, next, close - next);
              return TRUE;
            }
          g_string_append (value, next);
        }

      return fail (error, MEND_INI_ERROR_SYNTAX, first_line, _("a quoted value is not closed"));
    }

  if (line[0] == '"')
    {
      const char *close = strrchr (line + 1, '"');

      if (close != NULL)
        {
          g_string_append_len (value, line + 1, close - line - 1);
          return TRUE;
        }
    }

  g_string_append (value, line);

  /* A trailing backslash joins the next line. */
  while (value->len > 0 && value->str[value->len - 1] == '\\')
    {
      const char *start;
      gsize next_length;
      g_autofree char *next = NULL;

      g_string_truncate (value, value->len - 1);
      if (!next_line (lines, &start, &next_length))
        break;

      next = strip_dup (start, next_length);
      g_string_append (value, next);
    }

  /* Inline comments. */
  length = strcspn (value->str, "#;");
  g_string_truncate (value, length);
  while (value->len > 0 && is_space (value->str[value->len - 1]))
    g_string_truncate (value, value->len - 1);

  if (value->len >= 2 &&
      (value->str[0] == '"' || value->str[0] == '\'') &&
      value->str[value->len - 1] == value->str[0])
    {
      g_string_truncate (value, value->len - 1);
      g_string_erase (value, 0, 1);
    }

  return TRUE;
}

static gboolean
parse_go (MendIni  *self,
          Lines    *lines,
          GError  **error)
{
  Section *current = self->defaults;
  const char *start;
  gsize length;
  guint first;

  while (next_line (lines, &start, &length))
    {
      g_autofree char *line = strip_dup (start, length);
      g_autofree char *key = NULL;
      const char *rest;
      GString *value;

      if (line[0] == '\0' || line[0] == '#' || line[0] == ';')
        continue;

      if (line[0] == '[')
        {
          const char *close = strrchr (line, ']');
          g_autofree char *name = NULL;

          if (close == NULL)
            return fail (error, MEND_INI_ERROR_SYNTAX, lines->number,
                         _("a section header is not closed"));

          name = strip_dup (line + 1, close - line - 1);
          if (name[0] == '\0')
            return fail (error, MEND_INI_ERROR_SYNTAX, lines->number, _("a section has no name"));

          current = g_str_equal (name, "DEFAULT") ? self->defaults
                                                  : get_or_add_section (self, name);
          section_start (current, lines->number);
          continue;
        }

      if (line[0] == '"' || line[0] == '`')
        {
          const char *close = strchr (line + 1, line[0]);

          if (close == NULL)
            return fail (error, MEND_INI_ERROR_SYNTAX, lines->number,
                         _("a quoted key is not closed"));

          key = g_strndup (line + 1, close - line - 1);
          rest = close + 1;
          while (is_space (*rest))
            rest++;
          if (*rest != '=')
            return fail (error, MEND_INI_ERROR_SYNTAX, lines->number, _("a line has no “=”"));
        }
      else
        {
          rest = strchr (line, '=');
          if (rest == NULL)
            return fail (error, MEND_INI_ERROR_SYNTAX, lines->number, _("a line has no “=”"));

          key = strip_dup (line, rest - line);
          if (key[0] == '\0')
            return fail (error, MEND_INI_ERROR_SYNTAX, lines->number, _("a setting has no name"));
        }

      first = lines->number;
      value = section_set (current, key);
      if (!read_go_value (lines, rest + 1, value, error))
        return FALSE;
      section_set_lines (current, key, first, lines->number);
    }

  return TRUE;
}

static gboolean
parse_python (MendIni  *self,
              Lines    *lines,
              GError  **error)
{
  g_autoptr(GHashTable) added = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autofree char *section_name = NULL;
  Section *current = NULL;
  GString *option = NULL;
  g_autofree char *option_key = NULL;
  gsize indent_level = 0;
  const char *start;
  gsize length;

  while (next_line (lines, &start, &length))
    {
      g_autofree char *value = strip_dup (start, length);
      gboolean comment = value[0] == '#' || value[0] == ';';
      gsize indent = 0;

      if (comment || value[0] == '\0')
        {
          /* An empty line inside a value belongs to it; a comment does not. */
          if (!comment && current != NULL && option != NULL)
            g_string_append_c (option, '\n');
          continue;
        }

      while (indent < length && is_space (start[indent]))
        indent++;

      if (current != NULL && option != NULL && indent > indent_level)
        {
          KeyLines *option_lines = g_hash_table_lookup (current->lines, option_key);

          g_string_append_c (option, '\n');
          g_string_append (option, value);
          option_lines->last = lines->number;
          current->last = MAX (current->last, lines->number);
          continue;
        }

      indent_level = indent;

      if (value[0] == '[' && strlen (value) > 2 && strrchr (value, ']') > value + 1)
        {
          const char *close = strrchr (value, ']');
          g_autofree char *name = g_strndup (value + 1, close - value - 1);

          option = NULL;
          g_free (section_name);
          section_name = g_strdup (name);

          if (g_str_equal (name, "DEFAULT"))
            {
              current = self->defaults;
              section_start (current, lines->number);
              continue;
            }

          if (!g_hash_table_add (added, g_strdup (name)))
            {
              g_autofree char *message = NULL;

              /* Translators: %s is the name of a section in a file. */
              message = g_strdup_printf (_("the section “%s” appears twice"), name);
              return fail (error, MEND_INI_ERROR_DUPLICATE, lines->number, message);
            }

          current = get_or_add_section (self, name);
          section_start (current, lines->number);
        }
      else if (current == NULL)
        {
          return fail (error, MEND_INI_ERROR_SYNTAX, lines->number,
                       _("a setting comes before the first section header"));
        }
      else
        {
          gsize delimiter = strcspn (value, "=:");
          g_autofree char *name = NULL;
          g_autofree char *lower = NULL;
          g_autofree char *element = NULL;
          const char *option_value;

          if (value[delimiter] == '\0')
            return fail (error, MEND_INI_ERROR_SYNTAX, lines->number,
                         _("a line has no “=” or “:”"));

          name = strip_dup (value, delimiter);
          if (name[0] == '\0')
            return fail (error, MEND_INI_ERROR_SYNTAX, lines->number, _("a setting has no name"));

          lower = g_utf8_strdown (name, -1);
          element = g_strconcat (section_name, "\x1f", lower, NULL);
          if (!g_hash_table_add (added, g_steal_pointer (&element)))
            {
              g_autofree char *message = NULL;

              /* Translators: the first %s is a setting, the second a section of a file. */
              message = g_strdup_printf (_("“%s” appears twice in the section “%s”"),
                                         lower, section_name);
              return fail (error, MEND_INI_ERROR_DUPLICATE, lines->number, message);
            }

          option_value = value + delimiter + 1;
          while (is_space (*option_value))
            option_value++;

          option = section_set (current, lower);
          g_string_append (option, option_value);
          section_set_lines (current, lower, lines->number, lines->number);
          g_free (option_key);
          option_key = g_steal_pointer (&lower);
        }
    }

  return TRUE;
}

static void
strip_trailing_whitespace (Section *section)
{
  GHashTableIter iter;
  gpointer value;

  g_hash_table_iter_init (&iter, section->values);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      GString *string = value;

      while (string->len > 0 &&
             (is_space (string->str[string->len - 1]) || string->str[string->len - 1] == '\n'))
        g_string_truncate (string, string->len - 1);
    }
}

/**
 * mend_ini_parse:
 * @data: the file's contents
 * @length: their length, or -1 when NUL-terminated
 * @dialect: which library's rules the file follows
 *
 * Returns: (transfer full) (nullable): the parsed file, or %NULL with
 *   @error set (%MEND_INI_ERROR) when the client would refuse it
 */
MendIni *
mend_ini_parse (const char      *data,
                gssize           length,
                MendIniDialect   dialect,
                GError         **error)
{
  g_autoptr(MendIni) self = NULL;
  Lines lines = { 0 };
  gboolean ok;

  g_return_val_if_fail (data != NULL || length == 0, NULL);

  if (length < 0)
    length = strlen (data);

  if (memchr (data, '\0', length) != NULL || !g_utf8_validate_len (data, length, NULL))
    {
      fail (error, MEND_INI_ERROR_SYNTAX, 1, _("the file is not text"));
      return NULL;
    }

  self = g_new0 (MendIni, 1);
  self->dialect = dialect;
  self->sections = g_ptr_array_new_with_free_func ((GDestroyNotify) section_free);
  self->by_name = g_hash_table_new (g_str_hash, g_str_equal);
  self->defaults = section_new ("DEFAULT");

  lines.p = data;
  lines.end = data + length;

  for (const char *cr = memchr (data, '\r', length); cr != NULL;
       cr = memchr (cr + 1, '\r', data + length - cr - 1))
    {
      if (cr + 1 == data + length || cr[1] != '\n')
        {
          self->bare_cr = TRUE;
          break;
        }
    }

  /* A byte order mark is not part of the first line. */
  if (length >= 3 && memcmp (data, "\xef\xbb\xbf", 3) == 0)
    lines.p += 3;

  if (dialect == MEND_INI_DIALECT_PYTHON)
    ok = parse_python (self, &lines, error);
  else
    ok = parse_go (self, &lines, error);

  if (!ok)
    return NULL;

  if (dialect == MEND_INI_DIALECT_PYTHON)
    {
      strip_trailing_whitespace (self->defaults);
      for (guint i = 0; i < self->sections->len; i++)
        strip_trailing_whitespace (g_ptr_array_index (self->sections, i));
    }

  return g_steal_pointer (&self);
}

void
mend_ini_free (MendIni *self)
{
  if (self == NULL)
    return;

  g_clear_pointer (&self->sections, g_ptr_array_unref);
  g_clear_pointer (&self->by_name, g_hash_table_unref);
  g_clear_pointer (&self->defaults, section_free);
  g_free (self);
}

guint
mend_ini_get_n_sections (MendIni *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->sections->len;
}

/**
 * mend_ini_get_section_name:
 *
 * Returns: (nullable): the name of the section at @index, in file order;
 *   the DEFAULT section is not counted
 */
const char *
mend_ini_get_section_name (MendIni *self,
                           guint    index)
{
  g_return_val_if_fail (self != NULL, NULL);

  if (index >= self->sections->len)
    return NULL;

  return ((Section *) g_ptr_array_index (self->sections, index))->name;
}

gboolean
mend_ini_has_section (MendIni    *self,
                      const char *section)
{
  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (section != NULL, FALSE);

  return g_hash_table_contains (self->by_name, section);
}

static GString *
lookup (MendIni    *self,
        const char *section_name,
        const char *key)
{
  Section *section = g_hash_table_lookup (self->by_name, section_name);
  g_autofree char *lower = NULL;
  GString *value = NULL;

  if (g_str_equal (section_name, "DEFAULT"))
    section = self->defaults;

  if (self->dialect != MEND_INI_DIALECT_PYTHON)
    return section != NULL ? g_hash_table_lookup (section->values, key) : NULL;

  lower = g_utf8_strdown (key, -1);

  if (section != NULL)
    value = g_hash_table_lookup (section->values, lower);

  if (value == NULL)
    value = g_hash_table_lookup (self->defaults->values, lower);

  return value;
}

/**
 * mend_ini_has_key:
 *
 * Returns: whether @section sets @key (in the Python dialect, directly or
 *   through the DEFAULT section)
 */
gboolean
mend_ini_has_key (MendIni    *self,
                  const char *section,
                  const char *key)
{
  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (section != NULL, FALSE);
  g_return_val_if_fail (key != NULL, FALSE);

  return lookup (self, section, key) != NULL;
}

/**
 * mend_ini_get_raw:
 *
 * Returns: (nullable): the value as written, without interpolation
 */
const char *
mend_ini_get_raw (MendIni    *self,
                  const char *section,
                  const char *key)
{
  GString *value;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (section != NULL, NULL);
  g_return_val_if_fail (key != NULL, NULL);

  value = lookup (self, section, key);

  return value != NULL ? value->str : NULL;
}

static char *
interpolate_python (MendIni     *self,
                    const char  *section,
                    const char  *raw,
                    guint        depth,
                    guint       *budget,
                    GError     **error)
{
  g_autoptr(GString) out = g_string_new (NULL);
  const char *p = raw;

  if (depth > PYTHON_MAX_DEPTH)
    {
      g_set_error_literal (error, MEND_INI_ERROR, MEND_INI_ERROR_INTERPOLATION,
                           _("A value refers to other values too deeply."));
      return NULL;
    }

  while (*p != '\0')
    {
      const char *close;
      g_autofree char *name = NULL;
      g_autofree char *expanded = NULL;
      const char *referenced;

      if (*p != '%')
        {
          g_string_append_c (out, *p++);
          continue;
        }

      if (p[1] == '%')
        {
          g_string_append_c (out, '%');
          p += 2;
          continue;
        }

      if (p[1] != '(' || (close = strchr (p + 2, ')')) == NULL || close[1] != 's')
        {
          g_set_error_literal (error, MEND_INI_ERROR, MEND_INI_ERROR_INTERPOLATION,
                               _("A value has a percent sign that is not part of a reference."));
          return NULL;
        }

      if (++*budget > MAX_EXPANSIONS)
        {
          g_set_error_literal (error, MEND_INI_ERROR, MEND_INI_ERROR_INTERPOLATION,
                               _("A value refers to other values too many times."));
          return NULL;
        }

      name = g_strndup (p + 2, close - p - 2);
      referenced = mend_ini_get_raw (self, section, name);
      if (referenced == NULL)
        {
          /* Translators: %s is the name of a setting. */
          g_set_error (error, MEND_INI_ERROR, MEND_INI_ERROR_INTERPOLATION,
                       _("A value refers to “%s”, which is not set."), name);
          return NULL;
        }

      if (!(expanded = interpolate_python (self, section, referenced, depth + 1, budget, error)))
        return NULL;

      g_string_append (out, expanded);
      if (out->len > MAX_VALUE_LENGTH)
        {
          g_set_error_literal (error, MEND_INI_ERROR, MEND_INI_ERROR_INTERPOLATION,
                               _("A value grows too long through its references."));
          return NULL;
        }

      p = close + 2;
    }

  return g_string_free (g_steal_pointer (&out), FALSE);
}

static gboolean
replace_all (GString    *string,
             const char *pattern,
             const char *replacement)
{
  g_autoptr(GString) result = g_string_sized_new (string->len);
  gsize pattern_length = strlen (pattern);
  const char *p = string->str;
  const char *end = string->str + string->len;
  const char *hit;

  while ((hit = memmem (p, end - p, pattern, pattern_length)) != NULL)
    {
      g_string_append_len (result, p, hit - p);
      g_string_append (result, replacement);
      if (result->len > MAX_VALUE_LENGTH)
        return FALSE;
      p = hit + pattern_length;
    }
  g_string_append_len (result, p, end - p);

  g_string_truncate (string, 0);
  g_string_append_len (string, result->str, result->len);

  return TRUE;
}

/* go-ini replaces %(name)s with the value of name, in the section or in
 * DEFAULT, and leaves the text as it is when there is no such key. */
static char *
interpolate_go (MendIni    *self,
                const char *section,
                const char *raw)
{
  g_autoptr(GString) out = g_string_new (raw);

  for (guint i = 0; i < GO_MAX_DEPTH; i++)
    {
      const char *open = strstr (out->str, "%(");
      const char *close;
      g_autofree char *pattern = NULL;
      g_autofree char *name = NULL;
      GString *value;

      if (open == NULL || (close = strchr (open + 2, ')')) == NULL || close[1] != 's' ||
          close == open + 2)
        break;

      name = g_strndup (open + 2, close - open - 2);
      value = lookup (self, section, name);
      if (value == NULL)
        value = g_hash_table_lookup (self->defaults->values, name);
      if (value == NULL)
        break;

      pattern = g_strndup (open, close + 2 - open);
      if (!replace_all (out, pattern, value->str))
        break;
    }

  return g_string_free (g_steal_pointer (&out), FALSE);
}

/**
 * mend_ini_get_value:
 *
 * Returns: (transfer full) (nullable): the value with `%(name)s`
 *   references replaced as the dialect does, or %NULL when @key is not set
 *   (no error) or its references are broken (@error set)
 */
char *
mend_ini_get_value (MendIni     *self,
                    const char  *section,
                    const char  *key,
                    GError     **error)
{
  const char *raw;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (section != NULL, NULL);
  g_return_val_if_fail (key != NULL, NULL);

  if (!(raw = mend_ini_get_raw (self, section, key)))
    return NULL;

  if (self->dialect == MEND_INI_DIALECT_PYTHON)
    {
      guint budget = 0;

      return interpolate_python (self, section, raw, 1, &budget, error);
    }

  return interpolate_go (self, section, raw);
}

/**
 * mend_ini_get_boolean:
 * @default_value: what to return when @key is not set or not a boolean
 *
 * Returns: the value read as a boolean (yes/no, true/false, on/off, 1/0)
 */
gboolean
mend_ini_get_boolean (MendIni    *self,
                      const char *section,
                      const char *key,
                      gboolean    default_value)
{
  static const char *yes[] = { "1", "yes", "true", "on", "y", "t" };
  static const char *no[] = { "0", "no", "false", "off", "n", "f" };
  g_autofree char *value = NULL;

  g_return_val_if_fail (self != NULL, default_value);

  if (!(value = mend_ini_get_value (self, section, key, NULL)))
    return default_value;

  g_strstrip (value);

  for (guint i = 0; i < G_N_ELEMENTS (yes); i++)
    {
      if (g_ascii_strcasecmp (value, yes[i]) == 0)
        return TRUE;
      if (g_ascii_strcasecmp (value, no[i]) == 0)
        return FALSE;
    }

  return default_value;
}

static Section *
find_section (MendIni    *self,
              const char *name)
{
  if (g_str_equal (name, "DEFAULT"))
    return self->defaults;

  return g_hash_table_lookup (self->by_name, name);
}

/**
 * mend_ini_get_key_lines:
 * @first: (out): the line where @key is set
 * @last: (out): its last line, when the value goes on over more lines
 *
 * Lines are counted from 1, each ending at a line feed (or a carriage return and a line feed).
 *
 * Returns: whether @section sets @key itself (not through DEFAULT); %FALSE too for a file
 *   that ends lines with carriage returns alone, whose lines would be counted differently
 */
gboolean
mend_ini_get_key_lines (MendIni    *self,
                        const char *section,
                        const char *key,
                        guint      *first,
                        guint      *last)
{
  Section *found;
  KeyLines *lines;
  g_autofree char *lower = NULL;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (section != NULL && key != NULL, FALSE);

  if (self->bare_cr || (found = find_section (self, section)) == NULL)
    return FALSE;

  if (self->dialect == MEND_INI_DIALECT_PYTHON)
    key = lower = g_utf8_strdown (key, -1);

  if ((lines = g_hash_table_lookup (found->lines, key)) == NULL)
    return FALSE;

  *first = lines->first;
  *last = lines->last;

  return TRUE;
}

/**
 * mend_ini_get_section_lines:
 * @header: (out): the line of the section's (first) header
 * @last: (out): its last line that holds a setting, or the header
 *
 * Returns: whether there is such a section (%FALSE for a file that ends lines with carriage
 *   returns alone, as mend_ini_get_key_lines())
 */
gboolean
mend_ini_get_section_lines (MendIni    *self,
                            const char *section,
                            guint      *header,
                            guint      *last)
{
  Section *found;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (section != NULL, FALSE);

  if (self->bare_cr || (found = find_section (self, section)) == NULL)
    return FALSE;

  *header = found->header;
  *last = found->last;

  return TRUE;
}
