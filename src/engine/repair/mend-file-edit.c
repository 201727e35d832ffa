/* mend-file-edit.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "mend-file-edit"

#include "config.h"

#include "mend-file-edit.h"
#include "mend-line-diff.h"

#define MASK "[hidden]"

struct _MendFileEdit
{
  GObject  parent_instance;

  char    *path;
  GBytes  *original;
  GBytes  *replacement;
};

G_DEFINE_FINAL_TYPE (MendFileEdit, mend_file_edit, G_TYPE_OBJECT)

static void
mend_file_edit_finalize (GObject *object)
{
  MendFileEdit *self = (MendFileEdit *)object;

  g_clear_pointer (&self->path, g_free);
  g_clear_pointer (&self->original, g_bytes_unref);
  g_clear_pointer (&self->replacement, g_bytes_unref);

  G_OBJECT_CLASS (mend_file_edit_parent_class)->finalize (object);
}

static void
mend_file_edit_class_init (MendFileEditClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = mend_file_edit_finalize;
}

static void
mend_file_edit_init (MendFileEdit *self)
{
}

MendFileEdit *
mend_file_edit_new (const char *path,
                    GBytes     *original,
                    GBytes     *replacement)
{
  MendFileEdit *self;

  g_return_val_if_fail (path != NULL && g_path_is_absolute (path), NULL);
  g_return_val_if_fail (original != NULL, NULL);
  g_return_val_if_fail (replacement != NULL, NULL);

  self = g_object_new (MEND_TYPE_FILE_EDIT, NULL);
  self->path = g_strdup (path);
  self->original = g_bytes_ref (original);
  self->replacement = g_bytes_ref (replacement);

  return self;
}

const char *
mend_file_edit_get_path (MendFileEdit *self)
{
  g_return_val_if_fail (MEND_IS_FILE_EDIT (self), NULL);

  return self->path;
}

GBytes *
mend_file_edit_get_original (MendFileEdit *self)
{
  g_return_val_if_fail (MEND_IS_FILE_EDIT (self), NULL);

  return self->original;
}

GBytes *
mend_file_edit_get_replacement (MendFileEdit *self)
{
  g_return_val_if_fail (MEND_IS_FILE_EDIT (self), NULL);

  return self->replacement;
}

void
mend_file_edit_set_replacement (MendFileEdit *self,
                                GBytes       *replacement)
{
  g_return_if_fail (MEND_IS_FILE_EDIT (self));
  g_return_if_fail (replacement != NULL);

  g_bytes_ref (replacement);
  g_bytes_unref (self->replacement);
  self->replacement = replacement;
}

gboolean
mend_file_edit_is_change (MendFileEdit *self)
{
  g_return_val_if_fail (MEND_IS_FILE_EDIT (self), FALSE);

  return !g_bytes_equal (self->original, self->replacement);
}

char *
mend_file_edit_dup_diff (MendFileEdit *self)
{
  g_return_val_if_fail (MEND_IS_FILE_EDIT (self), NULL);

  return mend_line_diff_unified (self->path, self->original, self->replacement, 3);
}

/* A password written in a configuration: the value of a key that names one (`password
 * secret`, `Pass secret`, `set imap_pass="secret"`, `remotepass = secret`, himalaya's `raw =
 * "secret"`), but not of a key that runs a command (`passwordeval`, `PassCmd`, `…_eval`), whose
 * value the user must see; and the password of a URL (`imaps://user:secret@host`). */
static gboolean
mask_value (const GMatchInfo *match_info,
            GString          *result,
            gpointer          user_data)
{
  g_autofree char *indent = g_match_info_fetch_named (match_info, "indent");
  g_autofree char *key = g_match_info_fetch_named (match_info, "key");
  g_autofree char *separator = g_match_info_fetch_named (match_info, "separator");
  g_autofree char *value = g_match_info_fetch_named (match_info, "value");
  g_autofree char *lower = g_ascii_strdown (key, -1);

  if (indent != NULL)
    g_string_append (result, indent);
  g_string_append (result, key);
  g_string_append (result, separator);
  if (g_str_has_suffix (lower, "eval") || g_str_has_suffix (lower, "cmd") ||
      g_str_has_suffix (lower, "command") || value[0] == '\0')
    g_string_append (result, value);
  else if (value[0] == '"' || value[0] == '\'')
    g_string_append_printf (result, "%c%s%c", value[0], MASK, value[0]);
  else
    g_string_append (result, MASK);

  return FALSE;
}

static char *
mask_passwords (const char *line)
{
  static gsize initialized;
  static GRegex *assignment;
  static GRegex *leading;
  static GRegex *url;
  g_autofree char *step1 = NULL;
  g_autofree char *step2 = NULL;
  char *masked;

  if (g_once_init_enter (&initialized))
    {
      /* Whole keys only: a key is not part of a longer word (“draw”, “bypass_x”). */
      const char *key = "(?<key>(?<![a-z0-9_.-])(?:[a-z0-9_.-]*(?:pass|secret)[a-z0-9_.-]*|raw))";
      g_autofree char *with_sign = g_strdup_printf ("%s(?<separator>\\s*[=:]\\s*)"
                                                    "(?<value>\"[^\"]*\"|'[^']*'|[^\\s\"']*)",
                                                    key);
      g_autofree char *at_start = g_strdup_printf ("^(?<indent>[ \\t]*)%s(?<separator>[ \\t]+)"
                                                   "(?<value>\"[^\"]*\"|'[^']*'|\\S+)",
                                                   key);
      /* Bytes, not UTF-8: a configuration may hold Latin-1 comments. */
      GRegexCompileFlags flags = G_REGEX_OPTIMIZE | G_REGEX_RAW | G_REGEX_CASELESS;

      assignment = g_regex_new (with_sign, flags, 0, NULL);
      leading = g_regex_new (at_start, flags, 0, NULL);
      url = g_regex_new ("(?<=://)([^:/@\\s\"']+):[^@/\\s\"']+@", flags, 0, NULL);
      g_once_init_leave (&initialized, 1);
    }

  step1 = g_regex_replace (url, line, -1, 0, "\\1:" MASK "@", 0, NULL);
  step2 = step1 ? g_regex_replace_eval (assignment, step1, -1, 0, 0, mask_value, NULL, NULL) : NULL;
  masked = step2 ? g_regex_replace_eval (leading, step2, -1, 0, 0, mask_value, NULL, NULL) : NULL;

  /* Should the matching ever fail, the line is hidden rather than shown as it is. */
  return masked != NULL ? masked : g_strdup (MASK);
}

/**
 * mend_file_edit_dup_display_diff:
 *
 * The diff to show a person: mend_file_edit_dup_diff() with every password that the
 * configuration holds masked, in the lines removed, added and around them. Mailmend never
 * shows, prints or reports a password, not even the user's own.
 */
char *
mend_file_edit_dup_display_diff (MendFileEdit *self)
{
  g_autofree char *diff = NULL;
  g_auto(GStrv) lines = NULL;
  g_autoptr(GString) out = g_string_new (NULL);

  g_return_val_if_fail (MEND_IS_FILE_EDIT (self), NULL);

  diff = mend_file_edit_dup_diff (self);
  lines = g_strsplit (diff, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      const char *line = lines[i];

      if (i > 0)
        g_string_append_c (out, '\n');

      /* The body of a hunk: a one-character prefix, then a line of the file. */
      if (i >= 2 && (line[0] == ' ' || line[0] == '-' || line[0] == '+'))
        {
          g_autofree char *masked = mask_passwords (line + 1);

          g_string_append_c (out, line[0]);
          g_string_append (out, masked);
        }
      else
        {
          g_string_append (out, line);
        }
    }

  return g_string_free (g_steal_pointer (&out), FALSE);
}
