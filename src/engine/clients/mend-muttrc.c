/* mend-muttrc.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Reads muttrc files as Mutt and NeoMutt do (init.c mutt_extract_token(),
 * parse_set(), source_rc()), far enough to know their accounts: `set`,
 * `unset`, `reset`, `toggle`, `source`, `account-hook`, `folder-hook`,
 * `macro` (its <enter-command>s), `mailboxes`, `ifdef`, `finish`.
 * Everything else is skipped. Commands are
 * never run: backticks expand to nothing and `source "cmd|"` is ignored.
 */

#define G_LOG_DOMAIN "mend-muttrc"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "mend-line-editor.h"
#include "mend-muttrc.h"

/* Guards against configurations that source themselves or explode. */
#define MAX_SOURCE_DEPTH 16
#define MAX_FILE_READS   64
#define MAX_SCOPES       512
#define MAX_MAILBOXES    512
#define MAX_ERRORS       64
#define MAX_NESTING      4

typedef enum
{
  TOKEN_SPACE = 1 << 0,  /* whitespace does not end the token */
  TOKEN_EQUAL = 1 << 1,  /* “=” ends it */
} TokenFlags;

typedef enum
{
  MODE_SET,
  MODE_UNSET,
  MODE_RESET,
  MODE_TOGGLE,
} SetMode;

struct _MendMuttrc
{
  GObject             parent_instance;

  char               *home_dir;
  char               *config_dir;

  GPtrArray          *scopes;     /* MendMuttrcScope, the top level first */
  GPtrArray          *mailboxes;  /* MendMuttrcValue */
  GPtrArray          *errors;     /* MendMuttrcError */
  GPtrArray          *files;      /* every file read */
  GPtrArray          *stack;      /* the files being read, innermost last */
  guint               n_reads;

  MendMuttrcReadFunc  read_func;
  gpointer            user_data;
};

typedef struct
{
  MendMuttrc      *self;
  MendMuttrcScope *scope;
  const char      *path;     /* the file being read */
  guint            line;
  guint            nesting;  /* ifdef inside ifdef */
  gboolean         finished; /* `finish` seen: stop reading this file */
  gboolean         quiet;    /* skipping an unknown command: no errors */
} Parser;

G_DEFINE_FINAL_TYPE (MendMuttrc, mend_muttrc, G_TYPE_OBJECT)

static void parse_line (Parser     *p,
                        const char *text);

static void
value_free (MendMuttrcValue *value)
{
  g_free (value->value);
  g_free (value->source);
  g_free (value);
}

static MendMuttrcValue *
value_new (const char *value,
           const char *source,
           guint       line)
{
  MendMuttrcValue *v = g_new0 (MendMuttrcValue, 1);

  v->value = g_strdup (value);
  v->source = g_strdup (source);
  v->line = line;

  return v;
}

static void
scope_free (MendMuttrcScope *scope)
{
  g_free (scope->hook);
  g_free (scope->pattern);
  g_free (scope->source);
  g_clear_pointer (&scope->values, g_hash_table_unref);
  g_free (scope);
}

static MendMuttrcScope *
scope_new (const char *hook,
           const char *pattern,
           const char *source,
           guint       line)
{
  MendMuttrcScope *scope = g_new0 (MendMuttrcScope, 1);

  scope->hook = g_strdup (hook);
  scope->pattern = g_strdup (pattern);
  scope->source = g_strdup (source);
  scope->line = line;
  scope->values = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                         (GDestroyNotify) value_free);

  return scope;
}

static void
error_free (MendMuttrcError *error)
{
  g_free (error->path);
  g_free (error->message);
  g_free (error);
}

/* NeoMutt renamed a few variables and keeps the old names as synonyms. */
static const char *
canonical_name (const char *name)
{
  static const struct { const char *alias; const char *name; } synonyms[] = {
    { "spool_file", "spoolfile" },
    { "real_name", "realname" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (synonyms); i++)
    {
      if (g_str_equal (name, synonyms[i].alias))
        return synonyms[i].name;
    }

  return name;
}

G_GNUC_PRINTF (2, 3)
static void
add_error (Parser     *p,
           const char *format,
           ...)
{
  MendMuttrcError *error;
  va_list args;

  if (p->quiet || p->self->errors->len >= MAX_ERRORS)
    return;

  error = g_new0 (MendMuttrcError, 1);
  error->path = g_strdup (p->path);
  error->line = p->line;
  va_start (args, format);
  error->message = g_strdup_vprintf (format, args);
  va_end (args);

  g_ptr_array_add (p->self->errors, error);
}

static MendMuttrcScope *
top_scope (MendMuttrc *self)
{
  return g_ptr_array_index (self->scopes, 0);
}

static const char *
lookup_variable (Parser     *p,
                 const char *name)
{
  const MendMuttrcValue *value;

  if (g_str_equal (name, "HOME"))
    return p->self->home_dir;
  if (g_str_equal (name, "XDG_CONFIG_HOME"))
    return p->self->config_dir;

  value = mend_muttrc_scope_lookup (p->scope, name);
  if (value == NULL)
    value = mend_muttrc_scope_lookup (top_scope (p->self), name);

  return value ? value->value : NULL;
}

static void
skip_space (const char **pos)
{
  while (**pos != '\0' && g_ascii_isspace (**pos))
    (*pos)++;
}

static gboolean
more_args (const char **pos)
{
  skip_space (pos);

  return **pos != '\0' && **pos != ';' && **pos != '#';
}

/* Reads one token at *pos, as mutt_extract_token() does: quotes, backslash
 * escapes, $variables. A backtick would run a command: it expands to
 * nothing. Returns FALSE, with *pos at the end of the text, when the rest
 * of the line cannot be read. */
static gboolean
extract_token (Parser      *p,
               const char **pos,
               GString     *dest,
               guint        flags)
{
  const char *s = *pos;
  char qc = 0;

  g_string_truncate (dest, 0);
  skip_space (&s);

  while (*s != '\0')
    {
      char ch = *s;

      if (qc == 0 &&
          ((g_ascii_isspace (ch) && !(flags & TOKEN_SPACE)) ||
           ch == '#' || ch == ';' ||
           (ch == '=' && (flags & TOKEN_EQUAL))))
        break;

      s++;

      if (ch == qc)
        {
          qc = 0;
        }
      else if (qc == 0 && (ch == '\'' || ch == '"'))
        {
          qc = ch;
        }
      else if (ch == '\\' && qc != '\'')
        {
          if (*s == '\0')
            {
              add_error (p, _("A backslash ends the command."));
              *pos = s;
              return FALSE;
            }

          ch = *s++;
          switch (ch)
            {
            case 'c':
            case 'C':
              if (*s == '\0')
                {
                  add_error (p, _("A backslash ends the command."));
                  *pos = s;
                  return FALSE;
                }
              g_string_append_c (dest, (g_ascii_toupper (*s) - '@') & 0x7f);
              s++;
              break;
            case 'e':
              g_string_append_c (dest, '\033');
              break;
            case 'f':
              g_string_append_c (dest, '\f');
              break;
            case 'n':
              g_string_append_c (dest, '\n');
              break;
            case 'r':
              g_string_append_c (dest, '\r');
              break;
            case 't':
              g_string_append_c (dest, '\t');
              break;
            default:
              if (g_ascii_isdigit (ch) && g_ascii_isdigit (s[0]) && g_ascii_isdigit (s[1]))
                {
                  g_string_append_c (dest, (char) (((ch - '0') << 6) + ((s[0] - '0') << 3) +
                                                   (s[1] - '0')));
                  s += 2;
                }
              else
                {
                  g_string_append_c (dest, ch);
                }
              break;
            }
        }
      else if (ch == '`' && (qc == 0 || qc == '"'))
        {
          /* A command whose output Mutt would use here: never run it. */
          while (*s != '\0' && *s != '`')
            s += (s[0] == '\\' && s[1] != '\0') ? 2 : 1;

          if (*s == '\0')
            {
              add_error (p, _("A backtick is not closed."));
              *pos = s;
              return FALSE;
            }
          s++;
        }
      else if (ch == '$' && (qc == 0 || qc == '"') && (*s == '{' || g_ascii_isalpha (*s)))
        {
          g_autofree char *name = NULL;
          const char *value;

          if (*s == '{')
            {
              const char *end = strchr (++s, '}');

              if (end != NULL)
                {
                  name = g_strndup (s, end - s);
                  s = end + 1;
                }
            }
          else
            {
              const char *start = s;

              while (g_ascii_isalnum (*s) || *s == '_')
                s++;
              name = g_strndup (start, s - start);
            }

          if (name != NULL && (value = lookup_variable (p, name)) != NULL)
            g_string_append (dest, value);
        }
      else
        {
          g_string_append_c (dest, ch);
        }
    }

  if (qc != 0)
    add_error (p, _("A quote is not closed."));

  skip_space (&s);
  *pos = s;

  return TRUE;
}

static void
skip_args (Parser      *p,
           const char **pos)
{
  g_autoptr(GString) token = g_string_new (NULL);
  gboolean quiet = p->quiet;

  p->quiet = TRUE;
  while (more_args (pos) && extract_token (p, pos, token, 0))
    ;
  p->quiet = quiet;
}

static void
store_value (Parser     *p,
             const char *name,
             const char *value)
{
  const char *canonical = canonical_name (name);

  /* imap_pass, smtp_pass, pop_pass…: only whether there is one is kept. */
  if (value != NULL && value[0] != '\0' && g_str_has_suffix (canonical, "_pass"))
    value = MEND_MUTTRC_HIDDEN;

  g_hash_table_insert (p->scope->values, g_strdup (canonical),
                       value_new (value, p->path, p->line));
}

static void
cmd_set (Parser      *p,
         const char **pos,
         SetMode      mode)
{
  g_autoptr(GString) name = g_string_new (NULL);
  g_autoptr(GString) value = g_string_new (NULL);

  while (more_args (pos))
    {
      SetMode m = mode;
      gboolean query = FALSE;
      const char *var;
      char op;

      if (**pos == '?')
        {
          query = TRUE;
          (*pos)++;
        }
      else if (**pos == '&')
        {
          m = MODE_RESET;
          (*pos)++;
        }

      if (!extract_token (p, pos, name, TOKEN_EQUAL))
        return;

      var = name->str;
      if (m == MODE_SET && !query)
        {
          if (g_str_has_prefix (var, "no"))
            {
              var += 2;
              m = MODE_UNSET;
            }
          else if (g_str_has_prefix (var, "inv"))
            {
              var += 3;
              m = MODE_TOGGLE;
            }
        }

      if (*var == '\0')
        {
          if (**pos == '=')
            {
              /* “set = value”: drop the value too. */
              (*pos)++;
              extract_token (p, pos, value, 0);
            }
          add_error (p, _("A variable name is missing."));
          continue;
        }

      op = **pos;
      if (op == '=' || ((op == '+' || op == '-') && (*pos)[1] == '='))
        {
          *pos += op == '=' ? 1 : 2;
          if (!extract_token (p, pos, value, 0))
            return;

          if (m != MODE_SET || query)
            {
              add_error (p, _("“%s” cannot take a value here."), var);
              continue;
            }

          if (op == '+')
            {
              g_autofree char *joined = g_strconcat (lookup_variable (p, var) ?: "", value->str,
                                                     NULL);
              store_value (p, var, joined);
            }
          else if (op == '=')
            {
              store_value (p, var, value->str);
            }
          continue;
        }

      if (query)
        continue;

      switch (m)
        {
        case MODE_SET:
          store_value (p, var, "yes");
          break;
        case MODE_UNSET:
          store_value (p, var, NULL);
          break;
        case MODE_RESET:
          g_hash_table_remove (p->scope->values, canonical_name (var));
          break;
        case MODE_TOGGLE:
          {
            const char *current = lookup_variable (p, var);

            if (g_strcmp0 (current, "yes") == 0)
              store_value (p, var, "no");
            else if (current == NULL || g_str_equal (current, "no"))
              store_value (p, var, "yes");
            else
              store_value (p, var, "toggled");
          }
          break;
        default:
          g_assert_not_reached ();
        }
    }
}

static char *
expand_path (MendMuttrc *self,
             const char *path,
             const char *relative_to)
{
  g_autofree char *expanded = NULL;

  if (g_str_equal (path, "~") || g_str_has_prefix (path, "~/"))
    expanded = g_build_filename (self->home_dir, path + 1, NULL);
  else if (path[0] == '~')
    return NULL; /* ~user: another user's home */
  else if (g_path_is_absolute (path))
    expanded = g_strdup (path);
  else
    expanded = g_build_filename (relative_to, path, NULL);

  return g_canonicalize_filename (expanded, NULL);
}

static gboolean
is_in_stack (MendMuttrc *self,
             const char *path)
{
  for (guint i = 0; i < self->stack->len; i++)
    {
      if (g_str_equal (g_ptr_array_index (self->stack, i), path))
        return TRUE;
    }

  return FALSE;
}

static void
parse_text (MendMuttrc      *self,
            MendMuttrcScope *scope,
            const char      *path,
            const char      *data,
            gsize            length)
{
  Parser p = { self, scope, path, 0, 0, FALSE, FALSE };
  g_autoptr(GString) line = g_string_new (NULL);
  guint lineno = 0;
  gsize i = 0;

  g_ptr_array_add (self->stack, g_strdup (path));
  if (!g_ptr_array_find_with_equal_func (self->files, path, g_str_equal, NULL))
    g_ptr_array_add (self->files, g_strdup (path));

  while (i < length && !p.finished)
    {
      guint first = lineno + 1;

      g_string_truncate (line, 0);

      /* A line ending in a backslash goes on on the next one. */
      for (;;)
        {
          const char *start = data + i;
          const char *newline = memchr (start, '\n', length - i);
          gsize n = newline ? (gsize) (newline - start) : length - i;

          lineno++;
          i += n + (newline ? 1 : 0);
          if (n > 0 && start[n - 1] == '\r')
            n--;
          g_string_append_len (line, start, n);

          if (line->len > 0 && line->str[line->len - 1] == '\\' && i < length)
            {
              g_string_truncate (line, line->len - 1);
              continue;
            }
          break;
        }

      p.line = first;
      parse_line (&p, line->str);
    }

  g_ptr_array_remove_index (self->stack, self->stack->len - 1);
}

static void
load_file (MendMuttrc      *self,
           MendMuttrcScope *scope,
           const char      *path)
{
  g_autofree char *contents = NULL;
  gsize length = 0;

  if (is_in_stack (self, path))
    {
      g_debug ("%s sources itself; not reading it again", path);
      return;
    }

  if (self->stack->len >= MAX_SOURCE_DEPTH || self->n_reads >= MAX_FILE_READS)
    {
      g_debug ("Too many sourced files; not reading %s", path);
      return;
    }

  self->n_reads++;
  if (self->read_func == NULL ||
      !self->read_func (path, &contents, &length, self->user_data) ||
      contents == NULL)
    return;

  parse_text (self, scope, path, contents, length);
}

static void
cmd_source (Parser      *p,
            const char **pos)
{
  g_autoptr(GString) file = g_string_new (NULL);

  while (more_args (pos))
    {
      g_autofree char *dir = NULL;
      g_autofree char *path = NULL;

      if (!extract_token (p, pos, file, 0))
        return;

      g_strchomp (file->str);
      file->len = strlen (file->str);
      if (file->len == 0)
        continue;

      /* `source "command|"` reads a command's output: never run it. */
      if (file->str[file->len - 1] == '|')
        {
          g_debug ("%s:%u: not running a sourced command", p->path, p->line);
          continue;
        }

      dir = g_path_get_dirname (p->path);
      path = expand_path (p->self, file->str, dir);
      if (path != NULL)
        load_file (p->self, p->scope, path);
    }
}

static void
cmd_hook (Parser      *p,
          const char **pos,
          const char  *hook)
{
  g_autoptr(GString) pattern = g_string_new (NULL);
  g_autoptr(GString) command = g_string_new (NULL);
  g_autofree char *pattern_text = NULL;
  MendMuttrcScope *scope;
  Parser sub;
  gboolean negate = FALSE;

  skip_space (pos);
  if (**pos == '!')
    {
      negate = TRUE;
      (*pos)++;
    }

  if (!extract_token (p, pos, pattern, 0))
    return;
  if (g_str_equal (pattern->str, "-noregex") && !extract_token (p, pos, pattern, 0))
    return;
  if (!more_args (pos))
    {
      add_error (p, _("“%s” needs a pattern and a command."), hook);
      return;
    }
  if (!extract_token (p, pos, command, TOKEN_SPACE))
    return;

  if (p->scope->hook != NULL)
    {
      g_debug ("%s:%u: a hook inside a hook; skipped", p->path, p->line);
      return;
    }

  if (p->self->scopes->len >= MAX_SCOPES)
    return;

  pattern_text = negate ? g_strconcat ("!", pattern->str, NULL) : g_strdup (pattern->str);
  scope = scope_new (hook, pattern_text, p->path, p->line);
  g_ptr_array_add (p->self->scopes, scope);

  sub = *p;
  sub.scope = scope;
  sub.finished = FALSE;
  parse_line (&sub, command->str);
}

/* macro MENU KEY SEQUENCE [DESCRIPTION]: the commands a sequence runs with
 * <enter-command>…<enter>, such as `source ~/.mutt/accounts/work` to switch
 * accounts, count as a scope of their own, like a hook's. */
static void
cmd_macro (Parser      *p,
           const char **pos)
{
  g_autoptr(GString) menu = g_string_new (NULL);
  g_autoptr(GString) key = g_string_new (NULL);
  g_autoptr(GString) sequence = g_string_new (NULL);
  const char *start;

  if (!extract_token (p, pos, menu, 0) || !extract_token (p, pos, key, 0) ||
      !extract_token (p, pos, sequence, 0))
    return;
  skip_args (p, pos);

  if (p->scope->hook != NULL)
    return;

  start = sequence->str;
  while ((start = strstr (start, "<enter-command>")) != NULL)
    {
      g_autofree char *command = NULL;
      MendMuttrcScope *scope;
      Parser sub;
      const char *end;

      start += strlen ("<enter-command>");
      end = strstr (start, "<enter>");
      command = end ? g_strndup (start, end - start) : g_strdup (start);

      if (strstr (command, "source") == NULL && strstr (command, "set") == NULL)
        continue;
      if (p->self->scopes->len >= MAX_SCOPES)
        return;

      scope = scope_new ("macro", key->str, p->path, p->line);
      g_ptr_array_add (p->self->scopes, scope);

      sub = *p;
      sub.scope = scope;
      sub.finished = FALSE;
      parse_line (&sub, command);
    }
}

static void
add_mailbox (Parser     *p,
             const char *mailbox)
{
  if (mailbox[0] == '\0' || p->self->mailboxes->len >= MAX_MAILBOXES)
    return;

  g_ptr_array_add (p->self->mailboxes, value_new (mailbox, p->path, p->line));
}

static void
cmd_mailboxes (Parser      *p,
               const char **pos,
               gboolean     named)
{
  g_autoptr(GString) token = g_string_new (NULL);
  gboolean description = named;

  while (more_args (pos))
    {
      if (!extract_token (p, pos, token, 0))
        return;

      /* NeoMutt: mailboxes [-label L | -nolabel] [-notify | -nonotify] [-poll | -nopoll] M */
      if (g_str_equal (token->str, "-label"))
        {
          if (!extract_token (p, pos, token, 0))
            return;
        }
      else if (token->str[0] == '-' && token->str[1] != '\0')
        {
          continue;
        }
      else if (description)
        {
          description = FALSE;
        }
      else
        {
          add_mailbox (p, token->str);
          description = named;
        }
    }
}

static void
cmd_ifdef (Parser      *p,
           const char **pos,
           gboolean     negate)
{
  g_autoptr(GString) symbol = g_string_new (NULL);
  g_autoptr(GString) command = g_string_new (NULL);

  if (!extract_token (p, pos, symbol, 0))
    return;
  if (!more_args (pos))
    {
      add_error (p, _("“%s” needs a symbol and a command."), negate ? "ifndef" : "ifdef");
      return;
    }
  if (!extract_token (p, pos, command, TOKEN_SPACE))
    return;

  /* Which features the user's build has is unknown: assume every one. */
  if (negate || p->nesting >= MAX_NESTING)
    return;

  p->nesting++;
  parse_line (p, command->str);
  p->nesting--;
}

static void
run_command (Parser      *p,
             const char  *command,
             const char **pos)
{
  if (g_str_equal (command, "set"))
    cmd_set (p, pos, MODE_SET);
  else if (g_str_equal (command, "unset"))
    cmd_set (p, pos, MODE_UNSET);
  else if (g_str_equal (command, "reset"))
    cmd_set (p, pos, MODE_RESET);
  else if (g_str_equal (command, "toggle"))
    cmd_set (p, pos, MODE_TOGGLE);
  else if (g_str_equal (command, "source"))
    cmd_source (p, pos);
  else if (g_str_equal (command, "account-hook") || g_str_equal (command, "folder-hook"))
    cmd_hook (p, pos, command);
  else if (g_str_equal (command, "macro"))
    cmd_macro (p, pos);
  else if (g_str_equal (command, "mailboxes"))
    cmd_mailboxes (p, pos, FALSE);
  else if (g_str_equal (command, "named-mailboxes"))
    cmd_mailboxes (p, pos, TRUE);
  else if (g_str_equal (command, "ifdef"))
    cmd_ifdef (p, pos, FALSE);
  else if (g_str_equal (command, "ifndef"))
    cmd_ifdef (p, pos, TRUE);
  else if (g_str_equal (command, "finish"))
    p->finished = TRUE;
  else
    skip_args (p, pos);
}

/* One line, which may hold several commands separated by “;”. */
static void
parse_line (Parser     *p,
            const char *text)
{
  g_autoptr(GString) command = g_string_new (NULL);
  const char *pos = text;

  while (*pos != '\0' && !p->finished)
    {
      skip_space (&pos);
      if (*pos == '\0' || *pos == '#')
        break;
      if (*pos == ';')
        {
          pos++;
          continue;
        }

      if (!extract_token (p, &pos, command, 0))
        break;

      run_command (p, command->str, &pos);
    }
}

static void
mend_muttrc_finalize (GObject *object)
{
  MendMuttrc *self = (MendMuttrc *) object;

  g_free (self->home_dir);
  g_free (self->config_dir);
  g_clear_pointer (&self->scopes, g_ptr_array_unref);
  g_clear_pointer (&self->mailboxes, g_ptr_array_unref);
  g_clear_pointer (&self->errors, g_ptr_array_unref);
  g_clear_pointer (&self->files, g_ptr_array_unref);
  g_clear_pointer (&self->stack, g_ptr_array_unref);

  G_OBJECT_CLASS (mend_muttrc_parent_class)->finalize (object);
}

static void
mend_muttrc_class_init (MendMuttrcClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = mend_muttrc_finalize;
}

static void
mend_muttrc_init (MendMuttrc *self)
{
  self->scopes = g_ptr_array_new_with_free_func ((GDestroyNotify) scope_free);
  self->mailboxes = g_ptr_array_new_with_free_func ((GDestroyNotify) value_free);
  self->errors = g_ptr_array_new_with_free_func ((GDestroyNotify) error_free);
  self->files = g_ptr_array_new_with_free_func (g_free);
  self->stack = g_ptr_array_new_with_free_func (g_free);
}

/**
 * mend_muttrc_new:
 * @home_dir: the home folder `~` and `$HOME` stand for
 * @config_dir: what `$XDG_CONFIG_HOME` stands for
 */
MendMuttrc *
mend_muttrc_new (const char *home_dir,
                 const char *config_dir)
{
  MendMuttrc *self;

  g_return_val_if_fail (home_dir != NULL, NULL);
  g_return_val_if_fail (config_dir != NULL, NULL);

  self = g_object_new (MEND_TYPE_MUTTRC, NULL);
  self->home_dir = g_strdup (home_dir);
  self->config_dir = g_strdup (config_dir);

  return self;
}

static void
ensure_top_scope (MendMuttrc *self,
                  const char *path)
{
  if (self->scopes->len == 0)
    g_ptr_array_add (self->scopes, scope_new (NULL, NULL, path, 0));
}

/**
 * mend_muttrc_load:
 * @path: the absolute path of the muttrc
 * @read_func: reads it and the files it sources
 *
 * Reads @path and every file it sources, relative paths being relative to
 * the sourcing file's folder.
 */
void
mend_muttrc_load (MendMuttrc         *self,
                  const char         *path,
                  MendMuttrcReadFunc  read_func,
                  gpointer            user_data)
{
  g_return_if_fail (MEND_IS_MUTTRC (self));
  g_return_if_fail (path != NULL);
  g_return_if_fail (read_func != NULL);

  self->read_func = read_func;
  self->user_data = user_data;
  ensure_top_scope (self, path);
  load_file (self, top_scope (self), path);
  self->read_func = NULL;
  self->user_data = NULL;
}

/**
 * mend_muttrc_parse:
 * @path: the absolute path @data comes from
 * @data: the text of a muttrc; need not be NUL-terminated
 * @read_func: (nullable): reads the files it sources; %NULL to skip them
 *
 * Like mend_muttrc_load(), for text already read.
 */
void
mend_muttrc_parse (MendMuttrc         *self,
                   const char         *path,
                   const char         *data,
                   gsize               length,
                   MendMuttrcReadFunc  read_func,
                   gpointer            user_data)
{
  g_return_if_fail (MEND_IS_MUTTRC (self));
  g_return_if_fail (path != NULL);
  g_return_if_fail (data != NULL || length == 0);

  self->read_func = read_func;
  self->user_data = user_data;
  ensure_top_scope (self, path);
  parse_text (self, top_scope (self), path, data ? data : "", length);
  self->read_func = NULL;
  self->user_data = NULL;
}

/**
 * mend_muttrc_get_scopes:
 *
 * Returns: (transfer none) (element-type MendMuttrcScope): the top level
 *   first, then one scope per hook, in the order they were read
 */
GPtrArray *
mend_muttrc_get_scopes (MendMuttrc *self)
{
  g_return_val_if_fail (MEND_IS_MUTTRC (self), NULL);

  return self->scopes;
}

/**
 * mend_muttrc_get_mailboxes:
 *
 * Returns: (transfer none) (element-type MendMuttrcValue): the mailboxes
 *   named by `mailboxes` and `named-mailboxes`
 */
GPtrArray *
mend_muttrc_get_mailboxes (MendMuttrc *self)
{
  g_return_val_if_fail (MEND_IS_MUTTRC (self), NULL);

  return self->mailboxes;
}

/**
 * mend_muttrc_get_errors:
 *
 * Returns: (transfer none) (element-type MendMuttrcError): the lines Mutt
 *   would refuse, with the reason
 */
GPtrArray *
mend_muttrc_get_errors (MendMuttrc *self)
{
  g_return_val_if_fail (MEND_IS_MUTTRC (self), NULL);

  return self->errors;
}

/**
 * mend_muttrc_get_files:
 *
 * Returns: (transfer none) (element-type utf8): every file read
 */
GPtrArray *
mend_muttrc_get_files (MendMuttrc *self)
{
  g_return_val_if_fail (MEND_IS_MUTTRC (self), NULL);

  return self->files;
}

/**
 * mend_muttrc_scope_lookup:
 * @name: a variable, such as “imap_user”
 *
 * Returns: (nullable): what @scope itself set @name to, %NULL when it did
 *   not set it. An `unset` variable has a %NULL value.
 */
const MendMuttrcValue *
mend_muttrc_scope_lookup (const MendMuttrcScope *scope,
                          const char            *name)
{
  g_return_val_if_fail (scope != NULL, NULL);
  g_return_val_if_fail (name != NULL, NULL);

  return g_hash_table_lookup (scope->values, canonical_name (name));
}

/**
 * mend_muttrc_scope_get:
 *
 * Returns: (nullable): the value @scope set @name to
 */
const char *
mend_muttrc_scope_get (const MendMuttrcScope *scope,
                       const char            *name)
{
  const MendMuttrcValue *value = mend_muttrc_scope_lookup (scope, name);

  return value ? value->value : NULL;
}

/* Editing. The positions of tokens are found as extract_token() reads them, without
 * expanding anything; a logical line is its physical lines joined without the backslashes. */

struct _MendMuttrcEditor
{
  MendLineEditor *lines;     /* the original, for line endings and the result */
  GPtrArray      *current;   /* char *, the current text of each line; NULL once removed */
};

typedef struct
{
  GString *text;
  GArray  *starts;           /* gsize, where each physical line starts in text */
  guint    first;
  guint    n_lines;
} Logical;

typedef struct
{
  gsize name_start;
  gsize name_end;
  gsize value_start;         /* == value_end when there is no value */
  gsize value_end;
} Assignment;

typedef struct
{
  gsize   start;             /* the command word */
  gsize   end;               /* after its last argument */
  char   *word;
  GArray *assignments;       /* Assignment, for set */
  gsize   pattern_start;     /* hooks: the pattern token (with any “!”) */
  gsize   pattern_end;
  gsize   command_start;     /* hooks: the command token */
  gsize   command_end;
} Command;

static void
command_clear (gpointer data)
{
  Command *command = data;

  g_free (command->word);
  g_clear_pointer (&command->assignments, g_array_unref);
}

static void
logical_clear (Logical *logical)
{
  if (logical->text != NULL)
    g_string_free (logical->text, TRUE);
  g_clear_pointer (&logical->starts, g_array_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Logical, logical_clear)

/* The end of the token at @pos; as extract_token() with or without TOKEN_EQUAL. */
static gsize
scan_token (const char *t,
            gsize       pos,
            gboolean    stop_at_equal)
{
  char qc = 0;

  while (t[pos] != '\0')
    {
      char ch = t[pos];

      if (qc == 0 && (g_ascii_isspace (ch) || ch == '#' || ch == ';' ||
                      (ch == '=' && stop_at_equal)))
        break;

      pos++;
      if (ch == qc)
        qc = 0;
      else if (qc == 0 && (ch == '\'' || ch == '"'))
        qc = ch;
      else if (ch == '\\' && qc != '\'' && t[pos] != '\0')
        pos += (t[pos] == 'c' || t[pos] == 'C') && t[pos + 1] != '\0' ? 2 : 1;
      else if (ch == '`' && (qc == 0 || qc == '"'))
        {
          while (t[pos] != '\0' && t[pos] != '`')
            pos += (t[pos] == '\\' && t[pos + 1] != '\0') ? 2 : 1;
          if (t[pos] == '`')
            pos++;
        }
    }

  return pos;
}

static gsize
skip_blanks (const char *t,
             gsize       pos)
{
  while (t[pos] != '\0' && g_ascii_isspace (t[pos]))
    pos++;

  return pos;
}

static gboolean
at_command_end (const char *t,
                gsize       pos)
{
  return t[pos] == '\0' || t[pos] == ';' || t[pos] == '#';
}

static gboolean
is_set_command (const char *word)
{
  return g_str_equal (word, "set") || g_str_equal (word, "unset") ||
         g_str_equal (word, "reset") || g_str_equal (word, "toggle");
}

static gboolean
is_hook_command (const char *word)
{
  return g_str_equal (word, "account-hook") || g_str_equal (word, "folder-hook");
}

/* The commands of one line, with where their parts are. */
static GArray *
split_commands (const char *t)
{
  GArray *commands = g_array_new (FALSE, TRUE, sizeof (Command));
  gsize pos = 0;

  g_array_set_clear_func (commands, command_clear);

  for (;;)
    {
      Command command = { 0 };
      gsize end;

      pos = skip_blanks (t, pos);
      if (t[pos] == ';')
        {
          pos++;
          continue;
        }
      if (t[pos] == '\0' || t[pos] == '#')
        break;

      command.start = pos;
      end = scan_token (t, pos, FALSE);
      command.word = g_strndup (t + pos, end - pos);
      command.end = end;
      pos = skip_blanks (t, end);

      if (is_set_command (command.word))
        {
          command.assignments = g_array_new (FALSE, TRUE, sizeof (Assignment));
          while (!at_command_end (t, pos))
            {
              Assignment assignment = { 0 };

              if (t[pos] == '?' || t[pos] == '&')
                pos++;
              assignment.name_start = pos;
              assignment.name_end = scan_token (t, pos, TRUE);
              assignment.value_start = assignment.value_end = assignment.name_end;
              pos = skip_blanks (t, assignment.name_end);

              if (t[pos] == '=' || ((t[pos] == '+' || t[pos] == '-') && t[pos + 1] == '='))
                {
                  pos = skip_blanks (t, pos + (t[pos] == '=' ? 1 : 2));
                  assignment.value_start = pos;
                  assignment.value_end = scan_token (t, pos, FALSE);
                  pos = skip_blanks (t, assignment.value_end);
                }

              if (assignment.name_end == assignment.name_start && assignment.value_end == pos)
                break;
              g_array_append_val (command.assignments, assignment);
              command.end = MAX (assignment.name_end, assignment.value_end);
            }
        }
      else
        {
          guint n = 0;

          while (!at_command_end (t, pos))
            {
              gsize start = pos;

              if (is_hook_command (command.word) && n == 0 && t[pos] == '!')
                pos++;
              end = scan_token (t, pos, FALSE);
              if (end == start)
                break;

              if (n == 0)
                {
                  command.pattern_start = start;
                  command.pattern_end = end;
                }
              else if (n == 1)
                {
                  command.command_start = start;
                  command.command_end = end;
                }
              n++;
              command.end = end;
              pos = skip_blanks (t, end);
            }

          if (is_hook_command (command.word) && n != 2)
            command.command_start = command.command_end = 0;
        }

      g_array_append_val (commands, command);
    }

  return commands;
}

static void
get_logical (MendMuttrcEditor *self,
             guint             line,
             Logical          *logical)
{
  logical->text = g_string_new (NULL);
  logical->starts = g_array_new (FALSE, FALSE, sizeof (gsize));
  logical->first = line;
  logical->n_lines = 0;

  for (guint i = line; i <= self->current->len; i++)
    {
      const char *text = g_ptr_array_index (self->current, i - 1);
      gsize length;

      if (text == NULL)
        break;

      g_array_append_val (logical->starts, logical->text->len);
      logical->n_lines++;
      length = strlen (text);
      g_string_append_len (logical->text, text, length);

      /* Joined to the next line, as parse_text() does. */
      if (length > 0 && text[length - 1] == '\\' && i < self->current->len)
        {
          g_string_truncate (logical->text, logical->text->len - 1);
          continue;
        }
      break;
    }
}

/* Which physical line of @logical holds [start, end), or 0 when it spans several. */
static guint
physical_line (Logical *logical,
               gsize    start,
               gsize    end)
{
  for (guint i = 0; i < logical->n_lines; i++)
    {
      gsize line_start = g_array_index (logical->starts, gsize, i);
      gsize line_end = i + 1 < logical->n_lines ? g_array_index (logical->starts, gsize, i + 1)
                                                : logical->text->len;

      if (start >= line_start && end <= line_end)
        return logical->first + i;
    }

  return 0;
}

static void
set_current (MendMuttrcEditor *self,
             guint             line,
             char             *text)
{
  g_free (g_ptr_array_index (self->current, line - 1));
  g_ptr_array_index (self->current, line - 1) = text;
}

static gboolean
is_blank (const char *text)
{
  for (const char *c = text; *c != '\0'; c++)
    {
      if (!g_ascii_isspace (*c))
        return FALSE;
    }

  return TRUE;
}

/* Replaces [start, end) of @logical with @replacement, inside one physical line. A
 * continuation line left blank goes, with the backslash that led to it. */
static gboolean
splice (MendMuttrcEditor *self,
        Logical          *logical,
        gsize             start,
        gsize             end,
        const char       *replacement)
{
  guint line = physical_line (logical, start, end);
  gsize offset;
  const char *text;
  g_autoptr(GString) edited = NULL;

  if (line == 0)
    return FALSE;

  offset = g_array_index (logical->starts, gsize, line - logical->first);
  text = g_ptr_array_index (self->current, line - 1);
  edited = g_string_new_len (text, start - offset);
  g_string_append (edited, replacement);
  g_string_append (edited, text + (end - offset));

  if (line > logical->first && is_blank (edited->str) &&
      line == logical->first + logical->n_lines - 1)
    {
      const char *previous = g_ptr_array_index (self->current, line - 2);
      gsize length = strlen (previous) - 1;

      g_assert (previous[length] == '\\');
      while (length > 0 && (previous[length - 1] == ' ' || previous[length - 1] == '\t'))
        length--;
      set_current (self, line - 1, g_strndup (previous, length));
      set_current (self, line, NULL);
      return TRUE;
    }

  set_current (self, line, g_string_free (g_steal_pointer (&edited), FALSE));
  return TRUE;
}

static void
remove_logical (MendMuttrcEditor *self,
                Logical          *logical)
{
  for (guint i = 0; i < logical->n_lines; i++)
    set_current (self, logical->first + i, NULL);
}

/* The assignment of @name in the set commands of @t; @index: the command's, in @commands. */
static const Assignment *
find_assignment (const char *t,
                 GArray     *commands,
                 const char *name,
                 guint      *index)
{
  const Assignment *found = NULL;

  for (guint i = 0; i < commands->len; i++)
    {
      Command *command = &g_array_index (commands, Command, i);

      if (!g_str_equal (command->word, "set") || command->assignments == NULL)
        continue;

      for (guint j = 0; j < command->assignments->len; j++)
        {
          const Assignment *assignment = &g_array_index (command->assignments, Assignment, j);
          gsize length = assignment->name_end - assignment->name_start;

          /* The last one counts, as it does for Mutt. */
          if (strlen (name) == length && strncmp (t + assignment->name_start, name, length) == 0)
            {
              found = assignment;
              *index = i;
            }
        }
    }

  return found;
}

/* The hook's single-quoted command, whose text is the line's text at an offset. */
static gboolean
find_hook_command (const char *t,
                   GArray     *commands,
                   gsize      *start,
                   gsize      *end)
{
  Command *command;

  if (commands->len != 1)
    return FALSE;

  command = &g_array_index (commands, Command, 0);
  if (!is_hook_command (command->word) || command->command_end < command->command_start + 2 ||
      t[command->command_start] != '\'' || t[command->command_end - 1] != '\'' ||
      memchr (t + command->command_start + 1, '\'',
              command->command_end - command->command_start - 2) != NULL)
    return FALSE;

  *start = command->command_start + 1;
  *end = command->command_end - 1;

  return TRUE;
}

typedef enum
{
  EDIT_SET,
  EDIT_REMOVE,
} EditKind;

/* Does the edit in @text (the whole line, or a hook's command) at @offset in @logical.
 * @is_line: @text is the whole line, which can go when nothing is left in it. */
static gboolean
edit_text (MendMuttrcEditor *self,
           Logical          *logical,
           const char       *text,
           gsize             offset,
           gboolean          is_line,
           EditKind          kind,
           const char       *name,
           const char       *value)
{
  g_autoptr(GArray) commands = split_commands (text);
  const Assignment *assignment;
  Command *command;
  guint index = 0;

  if ((assignment = find_assignment (text, commands, name, &index)) == NULL)
    return FALSE;

  command = &g_array_index (commands, Command, index);

  if (kind == EDIT_SET)
    {
      g_autofree char *quoted = mend_muttrc_quote (value);
      g_autofree char *replacement = NULL;

      if (assignment->value_end == assignment->value_start)
        return FALSE;

      /* Inside single quotes a quote cannot be written. */
      if (!is_line && strchr (quoted, '\'') != NULL)
        return FALSE;

      return splice (self, logical, offset + assignment->value_start,
                     offset + assignment->value_end, quoted);
    }

  /* The set command has other assignments: only this one goes, with the blanks after it (or,
   * for the last one, before it). */
  if (command->assignments->len > 1)
    {
      const Assignment *first = &g_array_index (command->assignments, Assignment, 0);
      const Assignment *last = &g_array_index (command->assignments, Assignment,
                                               command->assignments->len - 1);
      gsize end = MAX (assignment->name_end, assignment->value_end);
      gsize previous_end;

      /* The blanks after it may be on the next line: then keep them. */
      if (assignment != last)
        return splice (self, logical, offset + assignment->name_start,
                       offset + skip_blanks (text, end), "") ||
               splice (self, logical, offset + assignment->name_start, offset + end, "");

      g_assert (assignment > first);
      previous_end = MAX ((assignment - 1)->name_end, (assignment - 1)->value_end);
      return splice (self, logical, offset + previous_end, offset + end, "") ||
             splice (self, logical, offset + assignment->name_start, offset + end, "");
    }

  /* The whole command goes; with it the line, when nothing else is on it. */
  if (commands->len == 1)
    {
      const char *rest = text + skip_blanks (text, command->end);

      if (is_line && (*rest == '\0' || *rest == '#' || (*rest == ';' && is_blank (rest + 1))))
        {
          remove_logical (self, logical);
          return TRUE;
        }

      return FALSE;
    }

  if (index + 1 < commands->len)
    {
      gsize end = skip_blanks (text, command->end);

      if (text[end] == ';')
        end = skip_blanks (text, end + 1);
      return splice (self, logical, offset + command->start, offset + end, "");
    }
  else
    {
      const Command *previous = &g_array_index (commands, Command, index - 1);

      return splice (self, logical, offset + previous->end, offset + command->end, "");
    }
}

static gboolean
edit_line (MendMuttrcEditor *self,
           guint             line,
           EditKind          kind,
           const char       *name,
           const char       *value)
{
  g_auto(Logical) logical = { 0 };
  g_autoptr(GArray) commands = NULL;
  g_autofree char *inner = NULL;
  gsize start, end;

  g_return_val_if_fail (line >= 1 && line <= self->current->len, FALSE);

  if (g_ptr_array_index (self->current, line - 1) == NULL)
    return FALSE;

  get_logical (self, line, &logical);
  if (edit_text (self, &logical, logical.text->str, 0, TRUE, kind, name, value))
    return TRUE;

  commands = split_commands (logical.text->str);
  if (!find_hook_command (logical.text->str, commands, &start, &end))
    return FALSE;

  inner = g_strndup (logical.text->str + start, end - start);
  if (kind == EDIT_REMOVE)
    {
      g_autoptr(GArray) inner_commands = split_commands (inner);
      guint index = 0;
      const Assignment *assignment = find_assignment (inner, inner_commands, name, &index);
      Command *command;

      /* The hook does nothing else: it goes. */
      if (assignment != NULL && inner_commands->len == 1 &&
          (command = &g_array_index (inner_commands, Command, 0))->assignments->len == 1)
        {
          remove_logical (self, &logical);
          return TRUE;
        }
    }

  return edit_text (self, &logical, inner, start, FALSE, kind, name, value);
}

MendMuttrcEditor *
mend_muttrc_editor_new (const char *data,
                        gsize       length)
{
  MendMuttrcEditor *self;

  g_return_val_if_fail (data != NULL || length == 0, NULL);

  self = g_new0 (MendMuttrcEditor, 1);
  self->lines = mend_line_editor_new (data, length);
  self->current = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 1; i <= mend_line_editor_get_n_lines (self->lines); i++)
    g_ptr_array_add (self->current, g_strdup (mend_line_editor_get_line (self->lines, i)));

  return self;
}

void
mend_muttrc_editor_free (MendMuttrcEditor *self)
{
  if (self == NULL)
    return;

  g_clear_pointer (&self->lines, mend_line_editor_free);
  g_clear_pointer (&self->current, g_ptr_array_unref);
  g_free (self);
}

/**
 * mend_muttrc_editor_set:
 * @line: the first line of the logical line that assigns @name
 * @value: the new value, unquoted
 *
 * Changes the value of `set @name=…` on @line, quoted for Mutt, leaving the rest of the line
 * as it is.
 *
 * Returns: %FALSE when @line assigns no value to @name, or only where it cannot be changed in
 *   place (a hook command in double quotes, a value over several lines)
 */
gboolean
mend_muttrc_editor_set (MendMuttrcEditor *self,
                        guint             line,
                        const char       *name,
                        const char       *value)
{
  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (name != NULL && value != NULL, FALSE);

  return edit_line (self, line, EDIT_SET, name, value);
}

/**
 * mend_muttrc_editor_remove:
 * @line: the first line of the logical line that assigns @name
 *
 * Removes the assignment of @name on @line: only it when its `set` has others, the `set`
 * when it has other commands, the line (or the hook) when nothing else is on it.
 *
 * Returns: %FALSE when it cannot be removed in place
 */
gboolean
mend_muttrc_editor_remove (MendMuttrcEditor *self,
                           guint             line,
                           const char       *name)
{
  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (name != NULL, FALSE);

  return edit_line (self, line, EDIT_REMOVE, name, NULL);
}

/* Inserts @text after the logical line that starts at @line (0: at the start of the file). */
void
mend_muttrc_editor_insert_after (MendMuttrcEditor *self,
                                 guint             line,
                                 const char       *text)
{
  guint last = line;

  g_return_if_fail (self != NULL);
  g_return_if_fail (line <= self->current->len);

  /* After its last physical line, even when edits removed some. */
  while (last >= 1 && last < self->current->len)
    {
      const char *current = g_ptr_array_index (self->current, last - 1);
      const char *original = mend_line_editor_get_line (self->lines, last);
      const char *shown = current != NULL ? current : original;
      gsize length = strlen (shown);

      if (length == 0 || shown[length - 1] != '\\')
        break;
      last++;
    }

  mend_line_editor_insert_after (self->lines, last, text);
}

/**
 * mend_muttrc_editor_add_to_hook:
 * @line: the first line of a hook whose command is in single quotes
 * @value: unquoted
 *
 * Adds `@name="@value"` to the hook's command: to its last `set`, or as a `set` of its own.
 *
 * Returns: %FALSE when @line holds something else, or @value cannot be written in single
 *   quotes
 */
gboolean
mend_muttrc_editor_add_to_hook (MendMuttrcEditor *self,
                                guint             line,
                                const char       *name,
                                const char       *value)
{
  g_auto(Logical) logical = { 0 };
  g_autoptr(GArray) commands = NULL;
  g_autoptr(GArray) inner_commands = NULL;
  g_autofree char *inner = NULL;
  g_autofree char *quoted = NULL;
  g_autofree char *addition = NULL;
  const Command *last = NULL;
  gsize start, end, at;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (line >= 1 && line <= self->current->len, FALSE);
  g_return_val_if_fail (name != NULL && value != NULL, FALSE);

  if (g_ptr_array_index (self->current, line - 1) == NULL)
    return FALSE;

  get_logical (self, line, &logical);
  commands = split_commands (logical.text->str);
  quoted = mend_muttrc_quote (value);
  if (!find_hook_command (logical.text->str, commands, &start, &end) ||
      strchr (quoted, '\'') != NULL)
    return FALSE;

  inner = g_strndup (logical.text->str + start, end - start);
  inner_commands = split_commands (inner);
  if (inner_commands->len > 0)
    last = &g_array_index (inner_commands, Command, inner_commands->len - 1);

  if (last != NULL && g_str_equal (last->word, "set"))
    addition = g_strdup_printf (" %s=%s", name, quoted);
  else
    addition = g_strdup_printf ("%sset %s=%s", last != NULL ? "; " : "", name, quoted);
  at = start + (last != NULL ? last->end : 0);

  return splice (self, &logical, at, at, addition);
}

/**
 * mend_muttrc_editor_format_set:
 * @sample: a line whose layout to follow: its indentation, and blanks around `=` in its
 *   first assignment
 * @value: unquoted
 *
 * Returns: (transfer full): `set @name = "@value"`
 */
char *
mend_muttrc_editor_format_set (MendMuttrcEditor *self,
                               guint             sample,
                               const char       *name,
                               const char       *value)
{
  g_autofree char *quoted = NULL;
  g_autoptr(GArray) commands = NULL;
  const char *text = NULL;
  const char *equal = " = ";
  gsize indent = 0;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (name != NULL && value != NULL, NULL);

  if (sample >= 1 && sample <= self->current->len)
    text = g_ptr_array_index (self->current, sample - 1);

  if (text != NULL)
    {
      indent = skip_blanks (text, 0);
      commands = split_commands (text);

      for (guint i = 0; i < commands->len; i++)
        {
          Command *command = &g_array_index (commands, Command, i);
          const Assignment *assignment;
          gboolean before, after;

          if (command->assignments == NULL || command->assignments->len == 0)
            continue;

          assignment = &g_array_index (command->assignments, Assignment, 0);
          if (assignment->value_start == assignment->value_end)
            continue;

          before = text[assignment->name_end] != '=';
          after = g_ascii_isspace (text[assignment->value_start - 1]);
          equal = before && after ? " = " : before ? " =" : after ? "= " : "=";
          break;
        }
    }

  quoted = mend_muttrc_quote (value);

  return g_strdup_printf ("%.*sset %s%s%s", (int) indent, text != NULL ? text : "", name, equal,
                          quoted);
}

/* `"text"` as Mutt reads it back: a backslash before `\`, `"`, `$` and a backtick. */
char *
mend_muttrc_quote (const char *text)
{
  g_autoptr(GString) quoted = g_string_new ("\"");

  g_return_val_if_fail (text != NULL, NULL);

  for (const char *c = text; *c != '\0'; c++)
    {
      if (strchr ("\\\"$`", *c) != NULL)
        g_string_append_c (quoted, '\\');
      g_string_append_c (quoted, *c);
    }
  g_string_append_c (quoted, '"');

  return g_string_free (g_steal_pointer (&quoted), FALSE);
}

char *
mend_muttrc_editor_finish (MendMuttrcEditor *self,
                           gsize            *length)
{
  g_return_val_if_fail (self != NULL, NULL);

  for (guint i = 1; i <= self->current->len; i++)
    {
      const char *current = g_ptr_array_index (self->current, i - 1);

      if (current == NULL)
        mend_line_editor_remove (self->lines, i);
      else if (!g_str_equal (current, mend_line_editor_get_line (self->lines, i)))
        mend_line_editor_replace (self->lines, i, current);
    }

  return mend_line_editor_finish (self->lines, length);
}
