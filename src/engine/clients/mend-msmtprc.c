/* mend-msmtprc.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Reads an msmtp configuration as msmtp's conf.c read_conffile() does: one
 * command per line, `#` comment lines, an argument that may be enclosed in
 * double quotes, `defaults`, and `account NAME [: PARENT[,…]]` inheriting
 * what the parents set. Like msmtp, it refuses the whole file on an error.
 * Commands it does not need are skipped; passwordeval is never run.
 */

#define G_LOG_DOMAIN "mend-msmtprc"

#include "config.h"

#include <gio/gio.h>
#include <glib/gi18n.h>
#include <string.h>

#include "mend-line-editor.h"
#include "mend-msmtprc.h"

enum
{
  SET_HOST     = 1 << 0,
  SET_PORT     = 1 << 1,
  SET_TLS      = 1 << 2,
  SET_STARTTLS = 1 << 3,
  SET_AUTH     = 1 << 4,
  SET_USER     = 1 << 5,
  SET_FROM     = 1 << 6,
  SET_PASSWORD = 1 << 7,
  SET_PASSWORD_EVAL = 1 << 8,
};

typedef struct
{
  MendMsmtprcAccount *account;
  guint               mask;    /* what the account or its parents set, as msmtp's acc->mask */
  gboolean            own;     /* whether it has commands of its own */
} Entry;

void
mend_msmtprc_account_free (MendMsmtprcAccount *account)
{
  if (account == NULL)
    return;

  g_free (account->name);
  g_free (account->host);
  g_free (account->auth);
  g_free (account->user);
  g_free (account->from);
  g_free (account);
}

static void
set_str (char       **field,
         const char  *value)
{
  char *copy = g_strdup (value);

  g_free (*field);
  *field = copy;
}

static MendMsmtprcAccount *
account_new (void)
{
  MendMsmtprcAccount *account = g_new0 (MendMsmtprcAccount, 1);

  account->tls_starttls = TRUE;

  return account;
}

static MendMsmtprcAccount *
account_copy (const MendMsmtprcAccount *from)
{
  MendMsmtprcAccount *account = g_new0 (MendMsmtprcAccount, 1);

  *account = *from;
  account->name = g_strdup (from->name);
  account->host = g_strdup (from->host);
  account->auth = g_strdup (from->auth);
  account->user = g_strdup (from->user);
  account->from = g_strdup (from->from);

  return account;
}

/* override_account(): takes what @parent set. */
static void
inherit (Entry       *entry,
         const Entry *parent)
{
  MendMsmtprcAccount *to = entry->account;
  const MendMsmtprcAccount *from = parent->account;

  if (parent->mask & SET_HOST)
    set_str (&to->host, from->host);
  if (parent->mask & SET_PORT)
    to->port = from->port;
  if (parent->mask & SET_TLS)
    to->tls = from->tls;
  if (parent->mask & SET_STARTTLS)
    to->tls_starttls = from->tls_starttls;
  if (parent->mask & SET_AUTH)
    set_str (&to->auth, from->auth);
  if (parent->mask & SET_USER)
    set_str (&to->user, from->user);
  if (parent->mask & SET_FROM)
    set_str (&to->from, from->from);
  if (parent->mask & SET_PASSWORD)
    to->has_plain_password = from->has_plain_password;
  if (parent->mask & SET_PASSWORD_EVAL)
    to->has_password_eval = from->has_password_eval;

  entry->mask |= parent->mask;
}

static void
entry_free (Entry *entry)
{
  mend_msmtprc_account_free (entry->account);
  g_free (entry);
}

/* trim_string(): blanks around, then one pair of enclosing double quotes. */
static char *
trim_argument (const char *text)
{
  const char *start = text;
  const char *end;

  while (*start == ' ' || *start == '\t')
    start++;
  end = start + strlen (start);
  while (end > start && (end[-1] == ' ' || end[-1] == '\t'))
    end--;

  if (end - start >= 2 && start[0] == '"' && end[-1] == '"')
    return g_strndup (start + 1, end - start - 2);

  return g_strndup (start, end - start);
}

static Entry *
find_entry (GPtrArray  *entries,
            const char *name)
{
  for (guint i = 0; i < entries->len; i++)
    {
      Entry *entry = g_ptr_array_index (entries, i);

      if (g_str_equal (entry->account->name, name))
        return entry;
    }

  return NULL;
}

/* on, off, or empty for on. */
static gboolean
parse_switch (const char *arg,
              gboolean   *value)
{
  if (arg[0] == '\0' || g_str_equal (arg, "on"))
    *value = TRUE;
  else if (g_str_equal (arg, "off"))
    *value = FALSE;
  else
    return FALSE;

  return TRUE;
}

static gboolean
is_auth_method (const char *arg)
{
  for (const char *c = arg; *c; c++)
    {
      if (!g_ascii_isalnum (*c) && *c != '-' && *c != '_')
        return FALSE;
    }

  return TRUE;
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

/* `account NAME [: PARENT[,PARENT…]]` */
static Entry *
start_account (GPtrArray  *entries,
               Entry      *defaults,
               const char *arg,
               guint       line,
               GError    **error)
{
  g_autofree char *name = NULL;
  g_autoptr(GPtrArray) parents = g_ptr_array_new ();
  const char *colon = strchr (arg, ':');
  Entry *entry;

  if (colon != NULL)
    {
      g_autofree char *head = g_strndup (arg, colon - arg);
      g_auto(GStrv) list = g_strsplit (colon + 1, ",", -1);

      if (list[0] == NULL)
        {
          set_error (error, line, _("An account name is missing."));
          return NULL;
        }

      for (guint i = 0; list[i] != NULL; i++)
        {
          g_autofree char *parent_name = trim_argument (list[i]);
          Entry *parent;

          if (parent_name[0] == '\0')
            {
              set_error (error, line, _("An account name is missing."));
              return NULL;
            }
          if ((parent = find_entry (entries, parent_name)) == NULL)
            {
              set_error (error, line, _("The account “%s” is not defined before."),
                         parent_name);
              return NULL;
            }
          g_ptr_array_add (parents, parent);
        }

      name = trim_argument (head);
    }
  else
    {
      name = g_strdup (arg);
    }

  if (name[0] == '\0')
    {
      set_error (error, line, _("An account name is missing."));
      return NULL;
    }
  if (strchr (name, ',') != NULL)
    {
      set_error (error, line, _("An account name cannot hold commas or colons."));
      return NULL;
    }
  if (find_entry (entries, name) != NULL)
    {
      set_error (error, line, _("The account “%s” is defined twice."), name);
      return NULL;
    }

  entry = g_new0 (Entry, 1);
  entry->account = account_copy (defaults->account);
  set_str (&entry->account->name, name);
  entry->account->line = line;
  for (guint i = 0; i < parents->len; i++)
    inherit (entry, g_ptr_array_index (parents, i));
  g_ptr_array_add (entries, entry);

  return entry;
}

static gboolean
run_command (Entry       *entry,
             const char  *cmd,
             const char  *arg,
             guint        line,
             GError     **error)
{
  MendMsmtprcAccount *account = entry->account;
  gboolean on;

  if (g_str_equal (cmd, "host"))
    {
      if (arg[0] == '\0')
        {
          set_error (error, line, _("“%s” needs a value."), cmd);
          return FALSE;
        }
      set_str (&account->host, arg);
      entry->mask |= SET_HOST;
    }
  else if (g_str_equal (cmd, "port"))
    {
      guint64 port;

      if (!g_ascii_string_to_unsigned (arg, 10, 1, G_MAXUINT16, &port, NULL))
        {
          set_error (error, line, _("“%s” is not a port number."), arg);
          return FALSE;
        }
      account->port = (guint) port;
      entry->mask |= SET_PORT;
    }
  else if (g_str_equal (cmd, "tls") || g_str_equal (cmd, "tls_starttls"))
    {
      if (!parse_switch (arg, &on))
        {
          set_error (error, line, _("“%s” takes on or off."), cmd);
          return FALSE;
        }
      if (g_str_equal (cmd, "tls"))
        {
          account->tls = on;
          entry->mask |= SET_TLS;
        }
      else
        {
          account->tls_starttls = on;
          entry->mask |= SET_STARTTLS;
        }
    }
  else if (g_str_equal (cmd, "tls_nostarttls"))
    {
      account->tls_starttls = FALSE;
      entry->mask |= SET_STARTTLS;
    }
  else if (g_str_equal (cmd, "auth"))
    {
      if (arg[0] == '\0' || g_str_equal (arg, "on"))
        set_str (&account->auth, "");
      else if (g_str_equal (arg, "off"))
        g_clear_pointer (&account->auth, g_free);
      else if (is_auth_method (arg))
        {
          g_free (account->auth);
          account->auth = g_ascii_strdown (arg, -1);
        }
      else
        {
          set_error (error, line, _("“%s” is not an authentication method."), arg);
          return FALSE;
        }
      entry->mask |= SET_AUTH;
    }
  else if (g_str_equal (cmd, "user"))
    {
      set_str (&account->user, arg[0] ? arg : NULL);
      entry->mask |= SET_USER;
    }
  else if (g_str_equal (cmd, "from"))
    {
      set_str (&account->from, arg[0] ? arg : NULL);
      entry->mask |= SET_FROM;
    }
  /* Only whether there is one: never the password, never the command. */
  else if (g_str_equal (cmd, "password"))
    {
      account->has_plain_password = arg[0] != '\0';
      entry->mask |= SET_PASSWORD;
    }
  else if (g_str_equal (cmd, "passwordeval"))
    {
      account->has_password_eval = arg[0] != '\0';
      entry->mask |= SET_PASSWORD_EVAL;
    }

  entry->own = TRUE;

  return TRUE;
}

/**
 * mend_msmtprc_parse:
 * @data: the text of an msmtp configuration; need not be NUL-terminated
 *
 * Returns: (transfer container) (element-type MendMsmtprcAccount): every
 *   account, in the file's order; %NULL with @error set when msmtp would
 *   refuse the file
 */
GPtrArray *
mend_msmtprc_parse (const char  *data,
                    gsize        length,
                    GError     **error)
{
  g_autoptr(GPtrArray) entries = g_ptr_array_new_with_free_func ((GDestroyNotify) entry_free);
  g_autoptr(GPtrArray) accounts = NULL;
  g_autofree Entry *defaults = g_new0 (Entry, 1);
  g_autoptr(MendMsmtprcAccount) defaults_account = account_new ();
  Entry *current = NULL;
  guint lineno = 0;
  gsize i = 0;

  g_return_val_if_fail (data != NULL || length == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  defaults->account = defaults_account;

  if (length > 0 && memchr (data, '\0', length) != NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                           _("It holds binary data, not text."));
      return NULL;
    }

  while (i < length)
    {
      const char *start = data + i;
      const char *newline = memchr (start, '\n', length - i);
      gsize n = newline ? (gsize) (newline - start) : length - i;
      g_autofree char *line = NULL;
      g_autofree char *cmd = NULL;
      g_autofree char *arg = NULL;
      const char *p;
      gsize cmd_length;

      lineno++;
      i += n + (newline ? 1 : 0);
      if (n > 0 && start[n - 1] == '\r')
        n--;
      line = g_strndup (start, n);

      p = line;
      while (*p == ' ' || *p == '\t')
        p++;
      if (*p == '#' || *p == '\0')
        continue;

      cmd_length = strcspn (p, " \t");
      cmd = g_strndup (p, cmd_length);
      arg = trim_argument (p + cmd_length);

      /* As in msmtp 1.2: commands before any `account` make the account “default”. */
      if (current == NULL && !g_str_equal (cmd, "account") && !g_str_equal (cmd, "defaults"))
        {
          current = start_account (entries, defaults, "default", lineno, error);
          if (current == NULL)
            return NULL;
        }

      if (g_str_equal (cmd, "defaults"))
        {
          if (arg[0] != '\0')
            {
              set_error (error, lineno, _("“%s” takes no value."), cmd);
              return NULL;
            }
          current = defaults;
        }
      else if (g_str_equal (cmd, "account"))
        {
          current = start_account (entries, defaults, arg, lineno, error);
          if (current == NULL)
            return NULL;
        }
      else if (!run_command (current, cmd, arg, lineno, error))
        {
          return NULL;
        }
    }

  accounts = g_ptr_array_new_with_free_func ((GDestroyNotify) mend_msmtprc_account_free);
  for (guint j = 0; j < entries->len; j++)
    {
      Entry *entry = g_ptr_array_index (entries, j);

      entry->account->alias = !entry->own && entry->mask != 0;
      entry->account->has_password = entry->account->has_plain_password ||
                                     entry->account->has_password_eval;
      g_ptr_array_add (accounts, g_steal_pointer (&entry->account));
    }

  return g_steal_pointer (&accounts);
}

/* One command line, as read_conffile() splits it. */
typedef struct
{
  char  *command;
  gsize  key_start;
  gsize  key_end;
  gsize  value_start;
} CommandLine;

static gboolean
split_command_line (const char  *text,
                    CommandLine *line)
{
  gsize length = strlen (text);
  gsize i = 0;

  /* As mend_msmtprc_parse() reads it, a carriage return at the end of the line aside. */
  if (length > 0 && text[length - 1] == '\r')
    length--;

  while (i < length && (text[i] == ' ' || text[i] == '\t'))
    i++;
  if (i == length || text[i] == '#')
    return FALSE;

  line->key_start = i;
  while (i < length && text[i] != ' ' && text[i] != '\t')
    i++;
  line->key_end = i;
  while (i < length && (text[i] == ' ' || text[i] == '\t'))
    i++;
  line->value_start = i;
  line->command = g_strndup (text + line->key_start, line->key_end - line->key_start);

  return TRUE;
}

static char *
format_command (MendLineEditor    *editor,
                guint              sample,
                const CommandLine *layout,
                const char        *command,
                const char        *argument)
{
  return mend_line_editor_format_like (mend_line_editor_get_line (editor, sample),
                                       layout->key_start, layout->key_end,
                                       layout->value_start, command, argument);
}

static gboolean
still_has_plain_password (const char *data,
                          gsize       length,
                          const char *name)
{
  g_autoptr(GPtrArray) accounts = mend_msmtprc_parse (data, length, NULL);

  for (guint i = 0; accounts != NULL && i < accounts->len; i++)
    {
      const MendMsmtprcAccount *account = g_ptr_array_index (accounts, i);

      if (g_str_equal (account->name, name))
        return account->has_plain_password;
    }

  return FALSE;
}

/**
 * mend_msmtprc_set_xoauth2:
 * @data: the text of an msmtp configuration that mend_msmtprc_parse() reads
 * @name: one of its accounts
 * @passwordeval: the command that prints an access token, for the shell
 * @new_length: (out): the length of the result
 *
 * Switches the account @name to `auth xoauth2` with `passwordeval "@passwordeval"` in its own
 * lines: an `auth` line of its own becomes `auth xoauth2`, else one is added after its `user`
 * (or `host`, or `account`) line, followed by the `passwordeval`; its `password` and
 * `passwordeval` lines go. A password it would still inherit (from `defaults` or a parent
 * account), which msmtp would use instead of the command, is overridden with `password ""`.
 * Every other line stays as it is. New lines are laid out like the line they follow.
 *
 * Returns: (transfer full) (nullable): the new text, or %NULL with @error set when @data holds
 *   no account @name
 */
char *
mend_msmtprc_set_xoauth2 (const char  *data,
                          gsize        length,
                          const char  *name,
                          const char  *passwordeval,
                          gsize       *new_length,
                          GError     **error)
{
  g_autoptr(MendLineEditor) editor = NULL;
  g_autoptr(GPtrArray) accounts = NULL;
  g_autofree char *quoted = NULL;
  g_autofree char *auth_text = NULL;
  g_autofree char *eval_text = NULL;
  const MendMsmtprcAccount *account = NULL;
  CommandLine layout = { 0 };
  g_autofree char *result = NULL;
  gboolean in_block = FALSE;
  guint first = 0;
  guint anchor = 0;
  guint host_line = 0;
  guint user_line = 0;
  guint auth_line = 0;

  g_return_val_if_fail (data != NULL || length == 0, NULL);
  g_return_val_if_fail (name != NULL, NULL);
  g_return_val_if_fail (passwordeval != NULL, NULL);
  g_return_val_if_fail (new_length != NULL, NULL);

  if ((accounts = mend_msmtprc_parse (data, length, error)) == NULL)
    return NULL;

  for (guint i = 0; i < accounts->len; i++)
    {
      const MendMsmtprcAccount *candidate = g_ptr_array_index (accounts, i);

      if (g_str_equal (candidate->name, name))
        account = candidate;
    }

  if (account == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, "No account %s", name);
      return NULL;
    }

  editor = mend_line_editor_new (data, length);

  /* The account's own lines: from its `account` line (or, for the `default` of a file with no
   * `account` command, its first command) up to the next `account` or `defaults`. */
  for (guint line = 1; line <= mend_line_editor_get_n_lines (editor); line++)
    {
      CommandLine command = { 0 };

      if (!split_command_line (mend_line_editor_get_line (editor, line), &command))
        continue;

      if (g_str_equal (command.command, "account") || g_str_equal (command.command, "defaults"))
        {
          if (in_block)
            {
              g_free (command.command);
              break;
            }
          in_block = line == account->line;
          first = in_block ? line : first;
        }
      else if (!in_block && line == account->line)
        {
          /* msmtp 1.2 style: the first command starts the account `default`. */
          in_block = TRUE;
          first = line;
        }

      if (in_block)
        {
          if (g_str_equal (command.command, "host"))
            host_line = line;
          else if (g_str_equal (command.command, "user"))
            user_line = line;
          else if (g_str_equal (command.command, "auth") && auth_line == 0)
            auth_line = line;
          else if (g_str_equal (command.command, "auth") ||
                   g_str_equal (command.command, "password") ||
                   g_str_equal (command.command, "passwordeval"))
            mend_line_editor_remove (editor, line);
        }

      g_free (command.command);
    }

  g_assert (first != 0);

  anchor = auth_line != 0 ? auth_line
         : user_line != 0 ? user_line
         : host_line != 0 ? host_line : first;
  split_command_line (mend_line_editor_get_line (editor, anchor), &layout);
  g_free (layout.command);

  quoted = g_strdup_printf ("\"%s\"", passwordeval);
  auth_text = format_command (editor, anchor, &layout, "auth", "xoauth2");
  eval_text = format_command (editor, anchor, &layout, "passwordeval", quoted);

  if (auth_line != 0)
    mend_line_editor_replace (editor, auth_line, auth_text);
  else
    mend_line_editor_insert_after (editor, anchor, auth_text);
  mend_line_editor_insert_after (editor, anchor, eval_text);

  /* A password from `defaults` or a parent account is left: override it. */
  result = mend_line_editor_finish (editor, new_length);
  if (still_has_plain_password (result, *new_length, name))
    {
      g_autofree char *empty = format_command (editor, anchor, &layout, "password", "\"\"");

      mend_line_editor_insert_after (editor, anchor, empty);
      g_free (result);
      result = mend_line_editor_finish (editor, new_length);
    }

  return g_steal_pointer (&result);
}
