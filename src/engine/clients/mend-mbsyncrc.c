/* mend-mbsyncrc.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Reads an mbsync (isync) configuration as isync's config.c does: lines of
 * `Keyword value…`, keywords in any case, values quoted with double quotes
 * and escaped with backslashes, `#` comment lines, and sections
 * (IMAPAccount, IMAPStore, MaildirStore, Channel, Group) that end at an
 * empty line. Keywords it does not need are skipped; PassCmd and UserCmd
 * are never run. Like mbsync, it refuses the whole file on an error.
 */

#define G_LOG_DOMAIN "mend-mbsyncrc"

#include "config.h"

#include <gio/gio.h>
#include <glib/gi18n.h>
#include <string.h>

#include "mend-line-editor.h"
#include "mend-mbsyncrc.h"

typedef enum
{
  SECTION_NONE,
  SECTION_IMAP,   /* IMAPAccount or IMAPStore */
  SECTION_GROUP,  /* its `Channel` lines are members, not sections */
  SECTION_OTHER,
} Section;

void
mend_mbsyncrc_account_free (MendMbsyncrcAccount *account)
{
  if (account == NULL)
    return;

  g_free (account->section);
  g_free (account->name);
  g_free (account->host);
  g_free (account->user);
  g_free (account->auth_mechs);
  g_free (account->tls_type);
  g_free (account->account);
  g_free (account);
}

G_GNUC_PRINTF (3, 4)
static void
set_error (GError     **error,
           guint        line,
           const char  *format,
           ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  /* Translators: %u is a line number, %s what is wrong on it. */
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, _("Line %u: %s"), line, message);
}

/* Splits a line into arguments as isync's get_arg() does. */
static GPtrArray *
split_line (const char  *line,
            guint        lineno,
            GError     **error)
{
  g_autoptr(GPtrArray) args = g_ptr_array_new_with_free_func (g_free);
  const char *p = line;

  for (;;)
    {
      g_autoptr(GString) arg = NULL;
      gboolean quoted = FALSE;
      gboolean escaped = FALSE;

      while (*p != '\0' && g_ascii_isspace (*p))
        p++;
      if (*p == '\0')
        break;

      arg = g_string_new (NULL);
      for (; *p != '\0'; p++)
        {
          char c = *p;

          if (escaped)
            {
              escaped = FALSE;
              g_string_append_c (arg, c);
            }
          else if (c == '\\')
            {
              escaped = TRUE;
            }
          else if (c == '"')
            {
              quoted = !quoted;
            }
          else if (!quoted && g_ascii_isspace (c))
            {
              break;
            }
          else
            {
              g_string_append_c (arg, c);
            }
        }

      if (escaped)
        {
          set_error (error, lineno, _("A backslash ends the line."));
          return NULL;
        }
      if (quoted)
        {
          set_error (error, lineno, _("A quote is not closed."));
          return NULL;
        }

      g_ptr_array_add (args, g_string_free (g_steal_pointer (&arg), FALSE));
    }

  return g_steal_pointer (&args);
}

static gboolean
is_keyword (const char *word,
            const char *keyword)
{
  return g_ascii_strcasecmp (word, keyword) == 0;
}

static gboolean
parse_bool (const char *value)
{
  return is_keyword (value, "yes") || is_keyword (value, "true") ||
         is_keyword (value, "on") || g_str_equal (value, "1");
}

static gboolean
parse_account_option (MendMbsyncrcAccount  *account,
                      GPtrArray            *args,
                      guint                 lineno,
                      GError              **error)
{
  const char *key = g_ptr_array_index (args, 0);
  const char *value = g_ptr_array_index (args, 1);

  if (is_keyword (key, "Host"))
    {
      g_free (account->host);
      account->host = g_strdup (value);
    }
  else if (is_keyword (key, "Port"))
    {
      guint64 port;

      if (!g_ascii_string_to_unsigned (value, 10, 1, G_MAXUINT16, &port, NULL))
        {
          set_error (error, lineno, _("“%s” is not a port number."), value);
          return FALSE;
        }
      account->port = (guint) port;
    }
  else if (is_keyword (key, "User"))
    {
      g_free (account->user);
      account->user = g_strdup (value);
      account->user_command = FALSE;
    }
  else if (is_keyword (key, "UserCmd"))
    {
      g_clear_pointer (&account->user, g_free);
      account->user_command = TRUE;
    }
  else if (is_keyword (key, "Pass") || is_keyword (key, "PassCmd"))
    {
      account->has_password = TRUE;
    }
  else if (is_keyword (key, "AuthMechs") || is_keyword (key, "AuthMech"))
    {
      g_autoptr(GString) mechs = g_string_new (NULL);

      for (guint i = 1; i < args->len; i++)
        {
          if (i > 1)
            g_string_append_c (mechs, ' ');
          g_string_append (mechs, g_ptr_array_index (args, i));
        }
      g_free (account->auth_mechs);
      account->auth_mechs = g_string_free (g_steal_pointer (&mechs), FALSE);
    }
  else if (is_keyword (key, "TLSType") || is_keyword (key, "SSLType"))
    {
      g_free (account->tls_type);
      account->tls_type = g_strdup (value);
    }
  else if (is_keyword (key, "UseIMAPS"))
    {
      account->use_imaps = parse_bool (value);
    }
  else if (is_keyword (key, "Tunnel"))
    {
      account->tunnel = TRUE;
    }
  else if (is_keyword (key, "Account") && g_str_equal (account->section, "IMAPStore"))
    {
      g_free (account->account);
      account->account = g_strdup (value);
    }

  return TRUE;
}

/**
 * mend_mbsyncrc_parse:
 * @data: the text of an mbsync configuration; need not be NUL-terminated
 *
 * Returns: (transfer container) (element-type MendMbsyncrcAccount): every
 *   IMAPAccount and IMAPStore section, in the file's order; %NULL with
 *   @error set when mbsync would refuse the file
 */
GPtrArray *
mend_mbsyncrc_parse (const char  *data,
                     gsize        length,
                     GError     **error)
{
  g_autoptr(GPtrArray) accounts = NULL;
  MendMbsyncrcAccount *current = NULL;
  Section section = SECTION_NONE;
  guint lineno = 0;
  gsize i = 0;

  g_return_val_if_fail (data != NULL || length == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (length > 0 && memchr (data, '\0', length) != NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                           _("It holds binary data, not text."));
      return NULL;
    }

  accounts = g_ptr_array_new_with_free_func ((GDestroyNotify) mend_mbsyncrc_account_free);

  while (i < length)
    {
      const char *start = data + i;
      const char *newline = memchr (start, '\n', length - i);
      gsize n = newline ? (gsize) (newline - start) : length - i;
      g_autofree char *line = NULL;
      g_autoptr(GPtrArray) args = NULL;
      const char *key;

      lineno++;
      i += n + (newline ? 1 : 0);
      line = g_strndup (start, n);

      if ((args = split_line (line, lineno, error)) == NULL)
        return NULL;

      /* An empty line ends a section; a comment line does not. */
      if (args->len == 0)
        {
          section = SECTION_NONE;
          current = NULL;
          continue;
        }

      key = g_ptr_array_index (args, 0);
      if (key[0] == '#')
        continue;

      if (args->len < 2)
        {
          set_error (error, lineno, _("“%s” needs a value."), key);
          return NULL;
        }

      if (section == SECTION_GROUP && (is_keyword (key, "Channel") || is_keyword (key, "Channels")))
        continue;

      if (is_keyword (key, "IMAPAccount") || is_keyword (key, "IMAPStore"))
        {
          current = g_new0 (MendMbsyncrcAccount, 1);
          current->section = g_strdup (is_keyword (key, "IMAPAccount") ? "IMAPAccount"
                                                                       : "IMAPStore");
          current->name = g_strdup (g_ptr_array_index (args, 1));
          current->line = lineno;
          g_ptr_array_add (accounts, current);
          section = SECTION_IMAP;
        }
      else if (is_keyword (key, "Group"))
        {
          section = SECTION_GROUP;
          current = NULL;
        }
      else if (is_keyword (key, "MaildirStore") || is_keyword (key, "Channel"))
        {
          section = SECTION_OTHER;
          current = NULL;
        }
      else if (section == SECTION_IMAP &&
               !parse_account_option (current, args, lineno, error))
        {
          return NULL;
        }
    }

  return g_steal_pointer (&accounts);
}

/* `"text"` with isync's escapes: a backslash before `"` and `\\`. */
static char *
quote_argument (const char *text)
{
  g_autoptr(GString) quoted = g_string_new ("\"");

  for (const char *c = text; *c != '\0'; c++)
    {
      if (*c == '"' || *c == '\\')
        g_string_append_c (quoted, '\\');
      g_string_append_c (quoted, *c);
    }
  g_string_append_c (quoted, '"');

  return g_string_free (g_steal_pointer (&quoted), FALSE);
}

/* Where the keyword and the value of a `Keyword value` line are. */
static void
find_layout (const char *text,
             gsize      *key_start,
             gsize      *key_end,
             gsize      *value_start)
{
  gsize i = 0;

  while (text[i] != '\0' && g_ascii_isspace (text[i]))
    i++;
  *key_start = i;
  while (text[i] != '\0' && !g_ascii_isspace (text[i]))
    i++;
  *key_end = i;
  while (text[i] == ' ' || text[i] == '\t')
    i++;
  *value_start = i;
}

static char *
format_option (MendLineEditor *editor,
               guint           sample,
               const char     *keyword,
               const char     *value)
{
  const char *text = mend_line_editor_get_line (editor, sample);
  gsize key_start, key_end, value_start;

  find_layout (text, &key_start, &key_end, &value_start);

  return mend_line_editor_format_like (text, key_start, key_end, value_start, keyword, value);
}

/**
 * mend_mbsyncrc_set_xoauth2:
 * @data: the text of an mbsync configuration that mend_mbsyncrc_parse() reads
 * @section: “IMAPAccount” or “IMAPStore”
 * @name: the section's name
 * @pass_command: the command that prints an access token, for the shell
 * @new_length: (out): the length of the result
 *
 * Switches one section to `AuthMechs XOAUTH2` with `PassCmd "@pass_command"`: its first
 * `AuthMechs` line is changed, or one is added after its `User` (or `Host`, or section) line,
 * followed by the `PassCmd`; its other `AuthMechs`, `Pass` and `PassCmd` lines go. Every other
 * line stays as it is.
 *
 * Returns: (transfer full) (nullable): the new text, or %NULL with @error set when @data has
 *   no such section
 */
char *
mend_mbsyncrc_set_xoauth2 (const char  *data,
                           gsize        length,
                           const char  *section,
                           const char  *name,
                           const char  *pass_command,
                           gsize       *new_length,
                           GError     **error)
{
  g_autoptr(GPtrArray) accounts = NULL;
  g_autoptr(MendLineEditor) editor = NULL;
  g_autofree char *quoted = NULL;
  g_autofree char *mechs_text = NULL;
  g_autofree char *command_text = NULL;
  guint first = 0;
  guint host_line = 0;
  guint user_line = 0;
  guint mechs_line = 0;
  guint anchor;

  g_return_val_if_fail (data != NULL || length == 0, NULL);
  g_return_val_if_fail (section != NULL && name != NULL, NULL);
  g_return_val_if_fail (pass_command != NULL, NULL);
  g_return_val_if_fail (new_length != NULL, NULL);

  /* Only a file mbsync reads is edited, so every line splits. */
  if ((accounts = mend_mbsyncrc_parse (data, length, error)) == NULL)
    return NULL;

  editor = mend_line_editor_new (data, length);

  for (guint line = 1; line <= mend_line_editor_get_n_lines (editor); line++)
    {
      g_autoptr(GPtrArray) args = split_line (mend_line_editor_get_line (editor, line), line,
                                              NULL);
      const char *key;

      g_assert (args != NULL);

      if (args->len == 0)
        {
          if (first != 0)
            break;
          continue;
        }

      key = g_ptr_array_index (args, 0);
      if (key[0] == '#' || args->len < 2)
        continue;

      if (first == 0)
        {
          if (is_keyword (key, section) && g_str_equal (g_ptr_array_index (args, 1), name))
            first = line;
          continue;
        }

      /* A section ends at an empty line, or where the next one starts. */
      if (is_keyword (key, "IMAPAccount") || is_keyword (key, "IMAPStore") ||
          is_keyword (key, "MaildirStore") || is_keyword (key, "Channel") ||
          is_keyword (key, "Group"))
        break;

      if (is_keyword (key, "Host"))
        host_line = line;
      else if (is_keyword (key, "User") || is_keyword (key, "UserCmd"))
        user_line = line;
      else if ((is_keyword (key, "AuthMechs") || is_keyword (key, "AuthMech")) && mechs_line == 0)
        mechs_line = line;
      else if (is_keyword (key, "AuthMechs") || is_keyword (key, "AuthMech") ||
               is_keyword (key, "Pass") || is_keyword (key, "PassCmd"))
        mend_line_editor_remove (editor, line);
    }

  if (first == 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, "No %s %s", section, name);
      return NULL;
    }

  anchor = mechs_line != 0 ? mechs_line
         : user_line != 0 ? user_line
         : host_line != 0 ? host_line : first;

  quoted = quote_argument (pass_command);
  mechs_text = format_option (editor, anchor, "AuthMechs", "XOAUTH2");
  command_text = format_option (editor, anchor, "PassCmd", quoted);

  if (mechs_line != 0)
    mend_line_editor_replace (editor, mechs_line, mechs_text);
  else
    mend_line_editor_insert_after (editor, anchor, mechs_text);
  mend_line_editor_insert_after (editor, anchor, command_text);

  return mend_line_editor_finish (editor, new_length);
}
