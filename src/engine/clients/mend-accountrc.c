/* mend-accountrc.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The rc-file format of Sylpheed and Claws Mail (`accountrc`, `clawsrc`),
 * which KDE's KConfig files share: `[section]` lines, then `key=value`
 * lines. Unlike GKeyFile syntax, keys may hold spaces (“Email Address”),
 * values are raw (no escapes are interpreted, so a backslash in a password
 * or a path cannot make the file fail), section names may hold brackets
 * (KConfig's nested “[Instances][akonadi_imap_resource_0]”), and keys may
 * come before the first section.
 *
 * It is strict about what cannot be a line of such a file: a line that is
 * neither blank, a comment (`#`, `;`), a section nor `key=value`, an
 * unterminated section, a NUL byte or invalid UTF-8 fail the whole file,
 * since it is then damaged or not an rc file at all.
 */

#define G_LOG_DOMAIN "mend-accountrc"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "mend-accountrc.h"

typedef struct
{
  char       *name;
  /* key → value; a later line with the same key wins, as in both clients. */
  GHashTable *values;
} Section;

struct _MendAccountrc
{
  /* In the order of their first appearance. */
  GPtrArray  *sections;
  /* name → Section; a section that appears twice is merged. */
  GHashTable *by_name;
};

G_DEFINE_QUARK (mend-accountrc-error-quark, mend_accountrc_error)

G_DEFINE_BOXED_TYPE (MendAccountrc, mend_accountrc, mend_accountrc_ref, mend_accountrc_unref)

static void
section_free (gpointer data)
{
  Section *section = data;

  g_free (section->name);
  g_hash_table_unref (section->values);
  g_free (section);
}

static void
mend_accountrc_finalize (gpointer data)
{
  MendAccountrc *self = data;

  g_clear_pointer (&self->by_name, g_hash_table_unref);
  g_clear_pointer (&self->sections, g_ptr_array_unref);
}

static Section *
get_or_add_section (MendAccountrc *self,
                    const char    *name,
                    gsize          length)
{
  g_autofree char *key = g_strndup (name, length);
  Section *section;

  g_assert (self != NULL);

  section = g_hash_table_lookup (self->by_name, key);
  if (section != NULL)
    return section;

  section = g_new0 (Section, 1);
  section->name = g_steal_pointer (&key);
  section->values = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_ptr_array_add (self->sections, section);
  g_hash_table_insert (self->by_name, section->name, section);

  return section;
}

static gboolean
is_blank (char c)
{
  return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v';
}

/* Trims [*start, *end) in place. */
static void
trim (const char **start,
      const char **end)
{
  while (*start < *end && is_blank (**start))
    (*start)++;
  while (*end > *start && is_blank ((*end)[-1]))
    (*end)--;
}

static gboolean
parse_line (MendAccountrc  *self,
            Section       **current,
            const char     *line,
            const char     *line_end,
            guint           line_number,
            GError        **error)
{
  const char *equals;
  const char *key_end;
  const char *value;

  g_assert (self != NULL);
  g_assert (current != NULL);

  trim (&line, &line_end);

  if (line == line_end || *line == '#' || *line == ';')
    return TRUE;

  if (*line == '[')
    {
      /* The name runs to the last ‘]’, so KConfig's “[a][b]” stays whole. */
      if (line_end[-1] != ']' || line_end - line < 3)
        {
          g_set_error (error, MEND_ACCOUNTRC_ERROR, MEND_ACCOUNTRC_ERROR_SYNTAX,
                       /* Translators: %u is a line number. */
                       _("Line %u has an unfinished or empty section name."), line_number);
          return FALSE;
        }

      *current = get_or_add_section (self, line + 1, (line_end - 1) - (line + 1));
      return TRUE;
    }

  equals = memchr (line, '=', line_end - line);
  key_end = equals;
  if (equals != NULL)
    {
      const char *key_start = line;

      trim (&key_start, &key_end);
    }

  if (equals == NULL || key_end == line)
    {
      g_set_error (error, MEND_ACCOUNTRC_ERROR, MEND_ACCOUNTRC_ERROR_SYNTAX,
                   /* Translators: %u is a line number. */
                   _("Line %u is not a setting (name=value)."), line_number);
      return FALSE;
    }

  value = equals + 1;
  trim (&value, &line_end);

  /* Settings before the first section go to the unnamed one. */
  if (*current == NULL)
    *current = get_or_add_section (self, "", 0);

  g_hash_table_insert ((*current)->values,
                       g_strndup (line, key_end - line),
                       g_strndup (value, line_end - value));

  return TRUE;
}

/**
 * mend_accountrc_parse:
 * @data: the file's contents; need not be NUL-terminated
 * @length: the length of @data in bytes
 *
 * Returns: (transfer full) (nullable): the parsed file, or %NULL with
 *   @error set when @data is not a readable rc file
 */
MendAccountrc *
mend_accountrc_parse (const char  *data,
                      gsize        length,
                      GError     **error)
{
  g_autoptr(MendAccountrc) self = NULL;
  Section *current = NULL;
  const char *end;
  const char *line;
  guint line_number = 0;

  g_return_val_if_fail (data != NULL || length == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (length > 0 && memchr (data, '\0', length) != NULL)
    {
      g_set_error_literal (error, MEND_ACCOUNTRC_ERROR, MEND_ACCOUNTRC_ERROR_BINARY,
                           _("It holds binary data, not text."));
      return NULL;
    }

  if (length > 0 && !g_utf8_validate_len (data, length, NULL))
    {
      g_set_error_literal (error, MEND_ACCOUNTRC_ERROR, MEND_ACCOUNTRC_ERROR_ENCODING,
                           _("It is not valid UTF-8 text."));
      return NULL;
    }

  self = g_atomic_rc_box_new0 (MendAccountrc);
  self->sections = g_ptr_array_new_with_free_func (section_free);
  self->by_name = g_hash_table_new (g_str_hash, g_str_equal);

  end = data + length;
  line = data;
  while (line < end)
    {
      const char *newline = memchr (line, '\n', end - line);
      const char *line_end = newline != NULL ? newline : end;

      line_number++;
      if (!parse_line (self, &current, line, line_end, line_number, error))
        return NULL;

      line = newline != NULL ? newline + 1 : end;
    }

  return g_steal_pointer (&self);
}

MendAccountrc *
mend_accountrc_ref (MendAccountrc *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return g_atomic_rc_box_acquire (self);
}

void
mend_accountrc_unref (MendAccountrc *self)
{
  g_return_if_fail (self != NULL);

  g_atomic_rc_box_release_full (self, mend_accountrc_finalize);
}

guint
mend_accountrc_get_n_sections (MendAccountrc *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->sections->len;
}

/**
 * mend_accountrc_get_section:
 * @index: from 0 to mend_accountrc_get_n_sections() - 1
 *
 * Returns: (transfer none): the name of a section, without its brackets;
 *   “” for the settings before the first section
 */
const char *
mend_accountrc_get_section (MendAccountrc *self,
                            guint          index)
{
  Section *section;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (index < self->sections->len, NULL);

  section = g_ptr_array_index (self->sections, index);

  return section->name;
}

gboolean
mend_accountrc_has_section (MendAccountrc *self,
                            const char    *section)
{
  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (section != NULL, FALSE);

  return g_hash_table_contains (self->by_name, section);
}

/**
 * mend_accountrc_get_value:
 *
 * Returns: (transfer none) (nullable): the value of @key in @section,
 *   without surrounding blanks; %NULL when it is not set
 */
const char *
mend_accountrc_get_value (MendAccountrc *self,
                          const char    *section,
                          const char    *key)
{
  Section *found;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (section != NULL, NULL);
  g_return_val_if_fail (key != NULL, NULL);

  found = g_hash_table_lookup (self->by_name, section);
  if (found == NULL)
    return NULL;

  return g_hash_table_lookup (found->values, key);
}

/**
 * mend_accountrc_get_int:
 * @value: (out): the number
 *
 * Returns: whether @key is set to a decimal number
 */
gboolean
mend_accountrc_get_int (MendAccountrc *self,
                        const char    *section,
                        const char    *key,
                        gint64        *value)
{
  const char *text;

  g_return_val_if_fail (value != NULL, FALSE);

  text = mend_accountrc_get_value (self, section, key);
  if (text == NULL || *text == '\0')
    return FALSE;

  return g_ascii_string_to_signed (text, 10, G_MININT64, G_MAXINT64, value, NULL);
}

/**
 * mend_accountrc_get_boolean:
 * @default_value: what to return when @key is not set, or set to
 *   something that is not a boolean
 *
 * Reads “1”/“0” (Sylpheed, Claws Mail) and “true”/“false” (KConfig).
 */
gboolean
mend_accountrc_get_boolean (MendAccountrc *self,
                            const char    *section,
                            const char    *key,
                            gboolean       default_value)
{
  static const char * const true_words[] = { "1", "true", "yes", "on" };
  static const char * const false_words[] = { "0", "false", "no", "off" };
  const char *text = mend_accountrc_get_value (self, section, key);

  if (text == NULL)
    return default_value;

  for (guint i = 0; i < G_N_ELEMENTS (true_words); i++)
    {
      if (g_ascii_strcasecmp (text, true_words[i]) == 0)
        return TRUE;
      if (g_ascii_strcasecmp (text, false_words[i]) == 0)
        return FALSE;
    }

  return default_value;
}

/**
 * mend_accountrc_load:
 * @context: the scan reading @path
 * @path: an absolute path
 *
 * Reads and parses @path through @context: a missing file gives %NULL
 * quietly; an unreadable or malformed one is reported as `config-unreadable`.
 *
 * Returns: (transfer full) (nullable): the parsed file
 */
MendAccountrc *
mend_accountrc_load (MendScanContext *context,
                     const char      *path)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  MendAccountrc *rc;
  gsize length;

  g_return_val_if_fail (MEND_IS_SCAN_CONTEXT (context), NULL);
  g_return_val_if_fail (path != NULL, NULL);

  if (!mend_scan_context_read_file (context, path, &contents, &length))
    return NULL;

  rc = mend_accountrc_parse (contents, length, &error);
  if (rc == NULL)
    mend_scan_context_report_unreadable (context, path, error->message);

  return rc;
}

/**
 * mend_accountrc_get_nonempty:
 *
 * Returns: (nullable): the value, or %NULL when it is missing or empty
 */
const char *
mend_accountrc_get_nonempty (MendAccountrc *self,
                             const char    *section,
                             const char    *key)
{
  const char *value = mend_accountrc_get_value (self, section, key);

  return value != NULL && *value != '\0' ? value : NULL;
}

/**
 * mend_accountrc_get_int_or:
 *
 * Returns: the value as an integer, or @default_value when it is missing or
 *   not a number
 */
gint64
mend_accountrc_get_int_or (MendAccountrc *self,
                           const char    *section,
                           const char    *key,
                           gint64         default_value)
{
  gint64 value;

  if (!mend_accountrc_get_int (self, section, key, &value))
    return default_value;

  return value;
}

/* ---- editing ------------------------------------------------------------ */

typedef struct
{
  const char *start;
  const char *end;  /* before the line ending */
  const char *next; /* after it */
} Line;

static gboolean
next_line (const char **p,
           const char  *end,
           Line        *line)
{
  const char *newline;

  if (*p >= end)
    return FALSE;

  newline = memchr (*p, '\n', end - *p);
  line->start = *p;
  line->end = newline != NULL ? newline : end;
  line->next = newline != NULL ? newline + 1 : end;
  if (line->end > line->start && line->end[-1] == '\r')
    line->end--;
  *p = line->next;

  return TRUE;
}

/* The section a `[name]` line opens, the way the parser reads it. */
static gboolean
line_section (const Line  *line,
              const char **name,
              gsize       *length)
{
  const char *start = line->start;
  const char *end = line->end;

  trim (&start, &end);
  if (end - start < 3 || *start != '[' || end[-1] != ']')
    return FALSE;

  *name = start + 1;
  *length = (end - 1) - (start + 1);

  return TRUE;
}

/* The key and value of a `key=value` line, trimmed; FALSE for other lines. */
static gboolean
line_setting (const Line  *line,
              const char **key,
              const char **key_end,
              const char **value,
              const char **value_end)
{
  const char *start = line->start;
  const char *end = line->end;
  const char *equals;

  trim (&start, &end);
  if (start == end || *start == '#' || *start == ';' || *start == '[')
    return FALSE;

  equals = memchr (start, '=', end - start);
  if (equals == NULL)
    return FALSE;

  *key = start;
  *key_end = equals;
  trim (key, key_end);
  *value = equals + 1;
  *value_end = end;
  trim (value, value_end);

  return *key_end > *key;
}

/* Byte order, as KConfig sorts keys. */
static int
compare_keys (const char *a,
              gsize       a_length,
              const char *b,
              gsize       b_length)
{
  int result = memcmp (a, b, MIN (a_length, b_length));

  if (result != 0)
    return result;

  return a_length < b_length ? -1 : a_length > b_length ? 1 : 0;
}

/**
 * mend_accountrc_set_value:
 * @data: an rc file, as mend_accountrc_parse() reads it
 * @length: its length in bytes
 * @section: the section, without brackets
 * @key: the key
 * @value: the new value, written as it is (no escaping)
 *
 * Changes @data so that @key in @section is @value, leaving every other
 * byte as it is: comments, blank lines, order and the spacing around `=`.
 * Every line that sets @key in @section gets the new value. Without one,
 * a `key=value` line is added to the last part of the file that holds
 * @section: where it sorts when that part's keys are sorted (KConfig sorts
 * them), else after its last setting. Without @section, the section is
 * added at the end. A new line takes the line ending of the line above it.
 *
 * Returns: (transfer full): the new contents
 */
char *
mend_accountrc_set_value (const char *data,
                          gsize       length,
                          const char *section,
                          const char *key,
                          const char *value)
{
  const char *end;
  const char *p;
  const char *copied;
  /* In the last part that holds @section: after its last setting, and
   * before the first setting whose key sorts after @key. */
  const char *after_last = NULL;
  const char *before_greater = NULL;
  const char *previous_key = NULL;
  gsize previous_key_length = 0;
  gboolean sorted = TRUE;
  gboolean in_section;
  gboolean found = FALSE;
  GString *result;
  Line line;

  g_return_val_if_fail (data != NULL || length == 0, NULL);
  g_return_val_if_fail (section != NULL, NULL);
  g_return_val_if_fail (key != NULL && *key != '\0', NULL);
  g_return_val_if_fail (value != NULL, NULL);

  if (data == NULL)
    data = "";

  end = data + length;
  result = g_string_sized_new (length + strlen (key) + strlen (value) + strlen (section) + 8);
  copied = data;
  /* Settings before the first section belong to the unnamed one. */
  in_section = *section == '\0';

  for (p = data; next_line (&p, end, &line); )
    {
      const char *name, *key_start, *key_end, *value_start, *value_end;
      gsize name_length;

      if (line_section (&line, &name, &name_length))
        {
          in_section = name_length == strlen (section) &&
                       memcmp (name, section, name_length) == 0;
          if (in_section)
            {
              /* A later part of the same section: only the last one counts. */
              after_last = line.next;
              before_greater = NULL;
              previous_key = NULL;
              sorted = TRUE;
            }
          continue;
        }

      if (!in_section || !line_setting (&line, &key_start, &key_end, &value_start, &value_end))
        continue;

      if (compare_keys (key_start, key_end - key_start, key, strlen (key)) == 0)
        {
          g_string_append_len (result, copied, value_start - copied);
          g_string_append (result, value);
          copied = value_end;
          found = TRUE;
          continue;
        }

      if (previous_key != NULL &&
          compare_keys (previous_key, previous_key_length, key_start, key_end - key_start) > 0)
        sorted = FALSE;
      previous_key = key_start;
      previous_key_length = key_end - key_start;

      if (before_greater == NULL &&
          compare_keys (key_start, key_end - key_start, key, strlen (key)) > 0)
        before_greater = line.start;
      after_last = line.next;
    }

  if (found)
    {
      g_string_append_len (result, copied, end - copied);
      return g_string_free (result, FALSE);
    }

  g_string_truncate (result, 0);

  if (after_last != NULL || *section == '\0')
    {
      const char *at = sorted && before_greater != NULL ? before_greater
                                                        : after_last ? after_last : data;
      gboolean crlf = at > data + 1 && at[-1] == '\n' && at[-2] == '\r';

      g_string_append_len (result, data, at - data);
      if (at > data && at[-1] != '\n')
        g_string_append (result, "\n");
      g_string_append_printf (result, "%s=%s%s", key, value, crlf ? "\r\n" : "\n");
      g_string_append_len (result, at, end - at);
    }
  else
    {
      g_string_append_len (result, data, length);
      if (length > 0 && end[-1] != '\n')
        g_string_append (result, "\n");
      if (length > 0)
        g_string_append (result, "\n");
      g_string_append_printf (result, "[%s]\n%s=%s\n", section, key, value);
    }

  return g_string_free (result, FALSE);
}
