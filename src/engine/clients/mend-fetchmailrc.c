/* mend-fetchmailrc.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Reads a fetchmailrc as fetchmail's rcfile_l.l and rcfile_y.y do. The file
 * is a free-form stream of words: keywords (case-sensitive), names (bare,
 * or quoted with '…' or "…", with C escapes), numbers, `#` comments, the
 * noise words `with and has wants options` and the punctuation `;:,`.
 * After user, pass, is, to and `=`, the next word is a name even when it
 * looks like a keyword. Statements are `set …`, `defaults …`, and
 * `poll|skip NAME` followed by server options, then user descriptions.
 * Like fetchmail, it refuses the whole file on a syntax error; it is more
 * lenient about the order of server and user options.
 */

#define G_LOG_DOMAIN "mend-fetchmailrc"

#include "config.h"

#include <gio/gio.h>
#include <glib/gi18n.h>
#include <string.h>

#include "mend-fetchmailrc.h"

typedef enum
{
  TOKEN_EOF,
  TOKEN_STRING,
  TOKEN_NUMBER,
  TOKEN_KEYWORD,
  TOKEN_AUTHTYPE,
  TOKEN_PROTO,
  TOKEN_MAP,
} TokenKind;

typedef enum
{
  STATE_INITIAL,
  STATE_NAME,   /* the next word is a name */
  STATE_AUTH,   /* after auth: “password” is a method */
} LexState;

typedef struct
{
  const char *word;
  TokenKind   kind;
  const char *canonical;  /* NULL: a noise word */
  int         state;      /* the state it leads to, or -1 */
} Keyword;

static const Keyword keywords[] = {
  { "set", TOKEN_KEYWORD, "set", -1 },
  { "logfile", TOKEN_KEYWORD, "logfile", -1 },
  { "idfile", TOKEN_KEYWORD, "idfile", -1 },
  { "pidfile", TOKEN_KEYWORD, "pidfile", -1 },
  { "daemon", TOKEN_KEYWORD, "daemon", -1 },
  { "syslog", TOKEN_KEYWORD, "syslog", -1 },
  { "invisible", TOKEN_KEYWORD, "invisible", -1 },
  { "showdots", TOKEN_KEYWORD, "showdots", -1 },
  { "postmaster", TOKEN_KEYWORD, "postmaster", -1 },
  { "bouncemail", TOKEN_KEYWORD, "bouncemail", -1 },
  { "spambounce", TOKEN_KEYWORD, "spambounce", -1 },
  { "softbounce", TOKEN_KEYWORD, "softbounce", -1 },
  { "warnings", TOKEN_KEYWORD, "warnings", -1 },
  { "tracepolls", TOKEN_KEYWORD, "tracepolls", -1 },
  { "defaults", TOKEN_KEYWORD, "defaults", -1 },
  { "server", TOKEN_KEYWORD, "poll", -1 },
  { "poll", TOKEN_KEYWORD, "poll", -1 },
  { "skip", TOKEN_KEYWORD, "skip", -1 },
  { "via", TOKEN_KEYWORD, "via", -1 },
  { "aka", TOKEN_KEYWORD, "aka", -1 },
  { "local", TOKEN_KEYWORD, "local", -1 },
  { "localdomains", TOKEN_KEYWORD, "local", -1 },
  { "proto", TOKEN_KEYWORD, "proto", -1 },
  { "protocol", TOKEN_KEYWORD, "proto", -1 },
  { "service", TOKEN_KEYWORD, "service", -1 },
  { "port", TOKEN_KEYWORD, "port", -1 },
  { "interval", TOKEN_KEYWORD, "interval", -1 },
  { "preauth", TOKEN_KEYWORD, "auth", STATE_AUTH },
  { "preauthenticate", TOKEN_KEYWORD, "auth", STATE_AUTH },
  { "auth", TOKEN_KEYWORD, "auth", STATE_AUTH },
  { "authenticate", TOKEN_KEYWORD, "auth", STATE_AUTH },
  { "any", TOKEN_AUTHTYPE, "any", STATE_INITIAL },
  { "gssapi", TOKEN_AUTHTYPE, "gssapi", STATE_INITIAL },
  { "kerberos_v4", TOKEN_AUTHTYPE, "kerberos_v4", STATE_INITIAL },
  { "kerberos4", TOKEN_AUTHTYPE, "kerberos_v4", STATE_INITIAL },
  { "kerberos", TOKEN_AUTHTYPE, "kerberos_v4", STATE_INITIAL },
  { "kerberos_v5", TOKEN_AUTHTYPE, "kerberos_v5", STATE_INITIAL },
  { "kerberos5", TOKEN_AUTHTYPE, "kerberos_v5", STATE_INITIAL },
  { "ssh", TOKEN_AUTHTYPE, "ssh", STATE_INITIAL },
  { "implicit", TOKEN_AUTHTYPE, "ssh", STATE_INITIAL },
  { "external", TOKEN_AUTHTYPE, "external", STATE_INITIAL },
  { "otp", TOKEN_AUTHTYPE, "otp", STATE_INITIAL },
  { "opie", TOKEN_AUTHTYPE, "otp", STATE_INITIAL },
  { "cram", TOKEN_AUTHTYPE, "cram-md5", STATE_INITIAL },
  { "cram-md5", TOKEN_AUTHTYPE, "cram-md5", STATE_INITIAL },
  { "msn", TOKEN_AUTHTYPE, "msn", STATE_INITIAL },
  { "ntlm", TOKEN_AUTHTYPE, "ntlm", STATE_INITIAL },
  /* fetchmail 7.0.0-alpha and distribution patches */
  { "oauthbearer", TOKEN_AUTHTYPE, "oauthbearer", STATE_INITIAL },
  { "xoauth2", TOKEN_AUTHTYPE, "xoauth2", STATE_INITIAL },
  { "timeout", TOKEN_KEYWORD, "timeout", -1 },
  { "idletimeout", TOKEN_KEYWORD, "idletimeout", -1 },
  { "envelope", TOKEN_KEYWORD, "envelope", -1 },
  { "qvirtual", TOKEN_KEYWORD, "qvirtual", -1 },
  { "principal", TOKEN_KEYWORD, "principal", -1 },
  { "esmtpname", TOKEN_KEYWORD, "esmtpname", -1 },
  { "esmtppassword", TOKEN_KEYWORD, "esmtppassword", -1 },
  { "bad-header", TOKEN_KEYWORD, "bad-header", -1 },
  { "accept", TOKEN_KEYWORD, "accept", -1 },
  { "reject", TOKEN_KEYWORD, "reject", -1 },
  { "user", TOKEN_KEYWORD, "user", STATE_NAME },
  { "username", TOKEN_KEYWORD, "user", STATE_NAME },
  { "pass", TOKEN_KEYWORD, "pass", STATE_NAME },
  { "password", TOKEN_KEYWORD, "pass", STATE_NAME },
  { "passwordfile", TOKEN_KEYWORD, "passwordfile", STATE_NAME },
  { "folder", TOKEN_KEYWORD, "folder", -1 },
  { "folders", TOKEN_KEYWORD, "folder", -1 },
  { "smtp", TOKEN_KEYWORD, "smtp", -1 },
  { "smtphost", TOKEN_KEYWORD, "smtp", -1 },
  { "fetchdomains", TOKEN_KEYWORD, "fetchdomains", -1 },
  { "smtpaddress", TOKEN_KEYWORD, "smtpaddress", -1 },
  { "smtpname", TOKEN_KEYWORD, "smtpname", -1 },
  { "antispam", TOKEN_KEYWORD, "antispam", -1 },
  { "mda", TOKEN_KEYWORD, "mda", -1 },
  { "bsmtp", TOKEN_KEYWORD, "bsmtp", -1 },
  { "lmtp", TOKEN_KEYWORD, "lmtp", -1 },
  { "pre", TOKEN_KEYWORD, "pre", -1 },
  { "preconnect", TOKEN_KEYWORD, "pre", -1 },
  { "post", TOKEN_KEYWORD, "post", -1 },
  { "postconnect", TOKEN_KEYWORD, "post", -1 },
  { "interface", TOKEN_KEYWORD, "interface", -1 },
  { "monitor", TOKEN_KEYWORD, "monitor", -1 },
  { "plugin", TOKEN_KEYWORD, "plugin", -1 },
  { "plugout", TOKEN_KEYWORD, "plugout", -1 },
  { "batchlimit", TOKEN_KEYWORD, "batchlimit", -1 },
  { "fetchlimit", TOKEN_KEYWORD, "fetchlimit", -1 },
  { "fetchsizelimit", TOKEN_KEYWORD, "fetchsizelimit", -1 },
  { "fastuidl", TOKEN_KEYWORD, "fastuidl", -1 },
  { "expunge", TOKEN_KEYWORD, "expunge", -1 },
  { "properties", TOKEN_KEYWORD, "properties", -1 },
  { "is", TOKEN_KEYWORD, "is", STATE_NAME },
  { "here", TOKEN_KEYWORD, "here", -1 },
  { "there", TOKEN_KEYWORD, "there", -1 },
  { "to", TOKEN_KEYWORD, "is", STATE_NAME },
  { "no", TOKEN_KEYWORD, "no", -1 },
  { "keep", TOKEN_KEYWORD, "keep", -1 },
  { "flush", TOKEN_KEYWORD, "flush", -1 },
  { "limitflush", TOKEN_KEYWORD, "limitflush", -1 },
  { "fetchall", TOKEN_KEYWORD, "fetchall", -1 },
  { "rewrite", TOKEN_KEYWORD, "rewrite", -1 },
  { "forcecr", TOKEN_KEYWORD, "forcecr", -1 },
  { "stripcr", TOKEN_KEYWORD, "stripcr", -1 },
  { "pass8", TOKEN_KEYWORD, "pass8bits", -1 },
  { "pass8bits", TOKEN_KEYWORD, "pass8bits", -1 },
  { "dropstatus", TOKEN_KEYWORD, "dropstatus", -1 },
  { "dropdelivered", TOKEN_KEYWORD, "dropdelivered", -1 },
  { "mimedec", TOKEN_KEYWORD, "mimedecode", -1 },
  { "mimedecode", TOKEN_KEYWORD, "mimedecode", -1 },
  { "idle", TOKEN_KEYWORD, "idle", -1 },
  { "forceidle", TOKEN_KEYWORD, "forceidle", -1 },
  { "dns", TOKEN_KEYWORD, "dns", -1 },
  { "uidl", TOKEN_KEYWORD, "uidl", -1 },
  { "ssl", TOKEN_KEYWORD, "ssl", -1 },
  { "sslkey", TOKEN_KEYWORD, "sslkey", -1 },
  { "sslcert", TOKEN_KEYWORD, "sslcert", -1 },
  { "sslproto", TOKEN_KEYWORD, "sslproto", -1 },
  { "sslcertck", TOKEN_KEYWORD, "sslcertck", -1 },
  { "sslcertfile", TOKEN_KEYWORD, "sslcertfile", -1 },
  { "sslcertpath", TOKEN_KEYWORD, "sslcertpath", -1 },
  { "sslcommonname", TOKEN_KEYWORD, "sslcommonname", -1 },
  { "sslfingerprint", TOKEN_KEYWORD, "sslfingerprint", -1 },
  { "checkalias", TOKEN_KEYWORD, "checkalias", -1 },
  { "limit", TOKEN_KEYWORD, "limit", -1 },
  { "with", TOKEN_KEYWORD, NULL, -1 },
  { "and", TOKEN_KEYWORD, NULL, -1 },
  { "has", TOKEN_KEYWORD, NULL, -1 },
  { "wants", TOKEN_KEYWORD, NULL, -1 },
  { "options", TOKEN_KEYWORD, NULL, -1 },
};

/* Protocols are keywords in lower or upper case. */
static const char *protocols[] = {
  "auto", "pop2", "sdps", "pop3", "imap", "apop", "rpop", "etrn", "odmr", "kpop",
};

/* Words the lexer splits into `no` and a keyword: “nokeep” is “no keep”. */
static const char *no_words[] = {
  "nobouncemail", "nouidl", "nocheckalias", "nodns", "noenvelope", "nokeep", "noflush",
  "nolimitflush", "nofetchall", "norewrite", "noforcecr", "nostripcr", "nopass8",
  "nopass8bits", "nodropstatus", "nodropdelivered", "nomimedec", "nomimedecode",
  "nospambounce", "noidle", "noforceidle",
};

/* Options that take no value; `no` may come before them. */
static const char *server_flags[] = { "uidl", "checkalias", "dns", "tracepolls" };
static const char *user_flags[] = {
  "keep", "flush", "limitflush", "fetchall", "rewrite", "forcecr", "stripcr", "pass8bits",
  "dropstatus", "dropdelivered", "mimedecode", "idle", "forceidle", "ssl", "sslcertck", "lmtp",
};

/* Options and the values they take: S a name, N a number, L names, M numbers. */
typedef struct
{
  const char *keyword;
  char        argument;
} Option;

static const Option server_options[] = {
  { "via", 'S' }, { "aka", 'L' }, { "local", 'L' }, { "interval", 'N' }, { "timeout", 'N' },
  { "idletimeout", 'N' }, { "qvirtual", 'S' }, { "interface", 'S' }, { "monitor", 'S' },
  { "plugin", 'S' }, { "plugout", 'S' }, { "principal", 'S' }, { "esmtpname", 'S' },
  { "esmtppassword", 'S' },
};

static const Option user_options[] = {
  { "folder", 'L' }, { "smtp", 'L' }, { "fetchdomains", 'L' }, { "smtpaddress", 'S' },
  { "smtpname", 'S' }, { "antispam", 'M' }, { "mda", 'S' }, { "bsmtp", 'S' }, { "pre", 'S' },
  { "post", 'S' }, { "sslkey", 'S' }, { "sslcert", 'S' }, { "sslcertfile", 'S' },
  { "sslcertpath", 'S' }, { "sslcommonname", 'S' }, { "sslfingerprint", 'S' }, { "limit", 'N' },
  { "warnings", 'N' }, { "fetchlimit", 'N' }, { "fetchsizelimit", 'N' }, { "fastuidl", 'N' },
  { "batchlimit", 'N' }, { "expunge", 'N' }, { "properties", 'S' },
};

typedef struct
{
  const char *data;
  gsize       length;
  gsize       pos;
  guint       line;
  LexState    state;
  char       *pending;  /* the keyword left of a “nokeep” */

  TokenKind   kind;     /* the current token */
  char       *text;
  guint       token_line;
  guint       last_line; /* of the last token before the end */
} Lexer;

typedef struct
{
  Lexer                   lx;
  GPtrArray              *accounts;
  MendFetchmailrcAccount *defaults;
  GError                **error;
} Parser;

void
mend_fetchmailrc_account_free (MendFetchmailrcAccount *account)
{
  if (account == NULL)
    return;

  g_free (account->label);
  g_free (account->via);
  g_free (account->protocol);
  g_free (account->service);
  g_free (account->auth);
  g_free (account->user);
  g_free (account->sslproto);
  g_free (account);
}

static MendFetchmailrcAccount *
account_copy (const MendFetchmailrcAccount *from)
{
  MendFetchmailrcAccount *account = g_new0 (MendFetchmailrcAccount, 1);

  *account = *from;
  account->label = g_strdup (from->label);
  account->via = g_strdup (from->via);
  account->protocol = g_strdup (from->protocol);
  account->service = g_strdup (from->service);
  account->auth = g_strdup (from->auth);
  account->user = g_strdup (from->user);
  account->sslproto = g_strdup (from->sslproto);

  return account;
}

static void
set_str (char       **field,
         const char  *value)
{
  char *copy = g_strdup (value);

  g_free (*field);
  *field = copy;
}

static gboolean
in_list (const char * const *list,
         gsize               n,
         const char         *word)
{
  for (gsize i = 0; i < n; i++)
    {
      if (g_str_equal (list[i], word))
        return TRUE;
    }

  return FALSE;
}

/* fetchmail's escapes(): C escapes, \NNN decimal, \0NN octal, \xNN hex. */
static char *
unescape (const char *text,
          gsize       length)
{
  GString *out = g_string_sized_new (length);
  const char *cp = text;
  const char *end = text + length;

  while (cp < end)
    {
      int cval = 0;

      if (*cp == '\\' && cp + 1 < end && strchr ("0123456789xX", cp[1]) != NULL)
        {
          int count = 0;

          cp++;
          if (*cp == 'x' || *cp == 'X')
            {
              for (cp++; cp < end && g_ascii_isxdigit (*cp) && count++ < 2; cp++)
                cval = cval * 16 + g_ascii_xdigit_value (*cp);
            }
          else if (*cp == '0')
            {
              while (cp < end && *cp >= '0' && *cp <= '7' && count++ < 3)
                cval = cval * 8 + (*cp++ - '0');
            }
          else
            {
              while (cp < end && g_ascii_isdigit (*cp) && count++ < 3)
                cval = cval * 10 + (*cp++ - '0');
            }
        }
      else if (*cp == '\\')
        {
          cp++;
          if (cp == end)
            break;
          switch (*cp)
            {
            case '\n':
              cp++;
              continue;
            case 'n':
              cval = '\n';
              break;
            case 't':
              cval = '\t';
              break;
            case 'b':
              cval = '\b';
              break;
            case 'r':
              cval = '\r';
              break;
            default:
              cval = *cp;
              break;
            }
          cp++;
        }
      else
        {
          cval = *cp++;
        }

      if (cval == 0)
        break;
      g_string_append_c (out, (char) cval);
    }

  return g_string_free (out, FALSE);
}

static gboolean
is_number (const char *word)
{
  const char *c = word[0] == '-' ? word + 1 : word;

  if (*c == '\0')
    return FALSE;
  for (; *c; c++)
    {
      if (!g_ascii_isdigit (*c))
        return FALSE;
    }

  return TRUE;
}

static void
set_token (Lexer      *lx,
           TokenKind   kind,
           char       *text)
{
  g_free (lx->text);
  lx->kind = kind;
  lx->text = text;
  if (kind != TOKEN_EOF)
    lx->last_line = lx->token_line;
}

/* Classifies a bare word; returns FALSE for a noise word. */
static gboolean
classify_word (Lexer *lx,
               char  *word)
{
  g_autofree char *owned = word;

  if (lx->state == STATE_NAME)
    {
      lx->state = STATE_INITIAL;
      set_token (lx, TOKEN_STRING, unescape (word, strlen (word)));
      return TRUE;
    }

  if (is_number (word))
    {
      set_token (lx, TOKEN_NUMBER, g_steal_pointer (&owned));
      return TRUE;
    }

  if (lx->state == STATE_AUTH && g_str_equal (word, "password"))
    {
      lx->state = STATE_INITIAL;
      set_token (lx, TOKEN_AUTHTYPE, g_strdup ("password"));
      return TRUE;
    }

  for (guint i = 0; i < G_N_ELEMENTS (keywords); i++)
    {
      if (!g_str_equal (keywords[i].word, word))
        continue;

      /* After auth, “pass” and “password” are not the password keyword. */
      if (lx->state == STATE_AUTH && g_str_equal (keywords[i].canonical ?: "", "pass"))
        break;

      if (keywords[i].canonical == NULL)
        return FALSE;

      if (keywords[i].state >= 0)
        lx->state = keywords[i].state;
      set_token (lx, keywords[i].kind, g_strdup (keywords[i].canonical));
      return TRUE;
    }

  for (guint i = 0; i < G_N_ELEMENTS (protocols); i++)
    {
      g_autofree char *upper = g_ascii_strup (protocols[i], -1);

      if (g_str_equal (word, protocols[i]) || g_str_equal (word, upper))
        {
          set_token (lx, TOKEN_PROTO, g_strdup (protocols[i]));
          return TRUE;
        }
    }

  if (in_list (no_words, G_N_ELEMENTS (no_words), word))
    {
      lx->pending = g_strdup (word + 2);
      set_token (lx, TOKEN_KEYWORD, g_strdup ("no"));
      return TRUE;
    }

  set_token (lx, TOKEN_STRING, unescape (word, strlen (word)));
  return TRUE;
}

static void
lex_next (Lexer *lx)
{
  if (lx->pending != NULL)
    {
      char *word = g_steal_pointer (&lx->pending);

      lx->token_line = lx->line;
      classify_word (lx, word);
      return;
    }

  while (lx->pos < lx->length)
    {
      const char *data = lx->data;
      char c = data[lx->pos];
      gsize end;

      if (c == ' ' || c == '\t' || c == '\r')
        {
          lx->pos++;
          continue;
        }
      if (c == '\n')
        {
          lx->line++;
          lx->pos++;
          continue;
        }
      if (c == '#')
        {
          while (lx->pos < lx->length && data[lx->pos] != '\n')
            lx->pos++;
          continue;
        }
      if (c == '\\' && lx->pos + 1 < lx->length && data[lx->pos + 1] == '\n')
        {
          lx->pos += 2;
          lx->line++;
          continue;
        }
      if (c == ';' || c == ':' || c == ',')
        {
          lx->pos++;
          continue;
        }

      lx->token_line = lx->line;

      if (c == '=')
        {
          lx->pos++;
          lx->state = STATE_NAME;
          set_token (lx, TOKEN_MAP, g_strdup ("="));
          return;
        }

      if (c == '"' || c == '\'')
        {
          const char *close = memchr (data + lx->pos + 1, c, lx->length - lx->pos - 1);

          if (close != NULL)
            {
              gsize start = lx->pos + 1;
              gsize n = close - (data + start);

              for (gsize k = start; k < start + n; k++)
                {
                  if (data[k] == '\n')
                    lx->line++;
                }
              lx->pos = start + n + 1;
              lx->state = STATE_INITIAL;
              set_token (lx, TOKEN_STRING, unescape (data + start, n));
              return;
            }
          /* No closing quote: the lexer reads a bare word. */
        }

      end = lx->pos;
      while (end < lx->length && strchr ("=;:, \t\r\n", data[end]) == NULL)
        end++;

      {
        char *word = g_strndup (data + lx->pos, end - lx->pos);

        lx->pos = end;
        if (classify_word (lx, word))
          return;
      }
    }

  /* Errors at the end are about the last line with something on it. */
  lx->token_line = lx->last_line;
  set_token (lx, TOKEN_EOF, NULL);
}

static gboolean
is_keyword (Parser     *p,
            const char *keyword)
{
  return p->lx.kind == TOKEN_KEYWORD && g_str_equal (p->lx.text, keyword);
}

static const char *
describe_token (Parser *p)
{
  return p->lx.kind == TOKEN_EOF ? _("the end of the file") : p->lx.text;
}

G_GNUC_PRINTF (2, 3)
static gboolean
fail (Parser     *p,
      const char *format,
      ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  /* Translators: %u is a line number, %s what is wrong on it. */
  g_set_error (p->error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, _("Line %u: %s"),
               p->lx.token_line, message);

  return FALSE;
}

/* Reads the value of @keyword, the current token, and moves past it. */
static gboolean
read_value (Parser     *p,
            const char *keyword,
            char        argument,
            char      **value)
{
  TokenKind wanted = (argument == 'N' || argument == 'M') ? TOKEN_NUMBER : TOKEN_STRING;
  guint n = 0;

  lex_next (&p->lx);
  while (p->lx.kind == wanted)
    {
      if (n == 0 && value != NULL)
        *value = g_strdup (p->lx.text);
      n++;
      lex_next (&p->lx);
      if (argument == 'S' || argument == 'N')
        break;
    }

  if (n == 0)
    return fail (p, _("“%s” needs a value, not “%s”."), keyword, describe_token (p));

  return TRUE;
}

/* user NAME [there] | user NAME… here */
static gboolean
read_user (Parser                  *p,
           MendFetchmailrcAccount  *user)
{
  g_autofree char *first = NULL;
  gboolean local = FALSE;

  lex_next (&p->lx);
  if (p->lx.kind != TOKEN_STRING)
    return fail (p, _("“%s” needs a value, not “%s”."), "user", describe_token (p));

  first = g_strdup (p->lx.text);
  lex_next (&p->lx);

  /* Several names are local ones, and need `here`. */
  while (p->lx.kind == TOKEN_STRING || p->lx.kind == TOKEN_MAP)
    {
      local = TRUE;
      lex_next (&p->lx);
    }

  if (is_keyword (p, "here"))
    {
      local = TRUE;
      lex_next (&p->lx);
    }
  else if (is_keyword (p, "there"))
    {
      if (local)
        return fail (p, _("Only one remote user name can come before “there”."));
      lex_next (&p->lx);
    }
  else if (local)
    {
      return fail (p, _("Local user names need “here” after them."));
    }

  set_str (&user->user, local ? NULL : first);

  return TRUE;
}

/* is|to NAME… [here] | is NAME there */
static gboolean
read_mapping (Parser                  *p,
              MendFetchmailrcAccount  *user)
{
  g_autofree char *first = NULL;
  guint n = 0;

  lex_next (&p->lx);
  while (p->lx.kind == TOKEN_STRING || p->lx.kind == TOKEN_MAP)
    {
      if (p->lx.kind == TOKEN_STRING && first == NULL)
        first = g_strdup (p->lx.text);
      n++;
      lex_next (&p->lx);
    }

  if (first == NULL)
    return fail (p, _("“%s” needs a value, not “%s”."), "is", describe_token (p));

  if (is_keyword (p, "there"))
    {
      if (n != 1)
        return fail (p, _("Only one remote user name can come before “there”."));
      set_str (&user->user, first);
      lex_next (&p->lx);
    }
  else if (is_keyword (p, "here"))
    {
      lex_next (&p->lx);
    }

  return TRUE;
}

static const Option *
find_option (const Option *options,
             gsize         n,
             const char   *keyword)
{
  for (gsize i = 0; i < n; i++)
    {
      if (g_str_equal (options[i].keyword, keyword))
        return &options[i];
    }

  return NULL;
}

static guint
port_for_service (const char *service)
{
  static const struct { const char *name; guint port; } services[] = {
    { "imap", 143 }, { "imap2", 143 }, { "imaps", 993 }, { "pop3", 110 }, { "pop-3", 110 },
    { "pop3s", 995 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (services); i++)
    {
      if (g_ascii_strcasecmp (service, services[i].name) == 0)
        return services[i].port;
    }

  return 0;
}

/* A server option, applied to the entry @server. Moves past it. */
static gboolean
read_server_option (Parser                  *p,
                    MendFetchmailrcAccount  *server,
                    gboolean                *handled)
{
  g_autofree char *keyword = NULL;
  const Option *option;

  *handled = TRUE;

  if (p->lx.kind != TOKEN_KEYWORD)
    {
      *handled = FALSE;
      return TRUE;
    }

  /* The token's text goes with the next token. */
  keyword = g_strdup (p->lx.text);

  if (g_str_equal (keyword, "proto"))
    {
      lex_next (&p->lx);
      if (p->lx.kind != TOKEN_PROTO)
        return fail (p, _("“%s” is not a protocol."), describe_token (p));
      set_str (&server->protocol, p->lx.text);
      lex_next (&p->lx);
    }
  else if (g_str_equal (keyword, "auth"))
    {
      lex_next (&p->lx);
      if (p->lx.kind != TOKEN_AUTHTYPE)
        return fail (p, _("“%s” is not an authentication method."), describe_token (p));
      set_str (&server->auth, p->lx.text);
      lex_next (&p->lx);
    }
  else if (g_str_equal (keyword, "port"))
    {
      g_autofree char *value = NULL;
      guint64 port;

      if (!read_value (p, "port", 'N', &value))
        return FALSE;
      if (!g_ascii_string_to_unsigned (value, 10, 1, G_MAXUINT16, &port, NULL))
        return fail (p, _("“%s” is not a port number."), value);
      server->port = (guint) port;
    }
  else if (g_str_equal (keyword, "service"))
    {
      guint64 port;

      lex_next (&p->lx);
      if (p->lx.kind == TOKEN_NUMBER &&
          g_ascii_string_to_unsigned (p->lx.text, 10, 1, G_MAXUINT16, &port, NULL))
        {
          server->port = (guint) port;
          g_clear_pointer (&server->service, g_free);
        }
      else if (p->lx.kind == TOKEN_STRING)
        {
          server->port = port_for_service (p->lx.text);
          set_str (&server->service, p->lx.text);
        }
      else
        {
          return fail (p, _("“%s” needs a value, not “%s”."), "service",
                       describe_token (p));
        }
      lex_next (&p->lx);
    }
  else if (g_str_equal (keyword, "via"))
    {
      g_autofree char *value = NULL;

      if (!read_value (p, "via", 'S', &value))
        return FALSE;
      set_str (&server->via, value);
    }
  else if (g_str_equal (keyword, "envelope"))
    {
      lex_next (&p->lx);
      if (p->lx.kind == TOKEN_NUMBER)
        lex_next (&p->lx);
      if (p->lx.kind != TOKEN_STRING)
        return fail (p, _("“%s” needs a value, not “%s”."), "envelope", describe_token (p));
      lex_next (&p->lx);
    }
  else if (g_str_equal (keyword, "bad-header"))
    {
      lex_next (&p->lx);
      if (!is_keyword (p, "accept") && !is_keyword (p, "reject"))
        return fail (p, _("“%s” needs a value, not “%s”."), "bad-header",
                     describe_token (p));
      lex_next (&p->lx);
    }
  else if (in_list (server_flags, G_N_ELEMENTS (server_flags), keyword))
    {
      lex_next (&p->lx);
    }
  else if ((option = find_option (server_options, G_N_ELEMENTS (server_options), keyword)))
    {
      return read_value (p, keyword, option->argument, NULL);
    }
  else
    {
      *handled = FALSE;
    }

  return TRUE;
}

/* A user option, applied to @user. Moves past it. */
static gboolean
read_user_option (Parser                  *p,
                  MendFetchmailrcAccount  *user,
                  gboolean                *handled)
{
  g_autofree char *keyword = NULL;
  const Option *option;

  *handled = TRUE;

  if (p->lx.kind != TOKEN_KEYWORD)
    {
      *handled = FALSE;
      return TRUE;
    }

  /* The token's text goes with the next token. */
  keyword = g_strdup (p->lx.text);

  if (g_str_equal (keyword, "is"))
    {
      return read_mapping (p, user);
    }
  else if (g_str_equal (keyword, "pass") || g_str_equal (keyword, "passwordfile"))
    {
      lex_next (&p->lx);
      if (p->lx.kind != TOKEN_STRING)
        return fail (p, _("“%s” needs a value, not “%s”."), keyword, describe_token (p));
      /* Only that there is one: the password itself is never kept. */
      user->has_password = TRUE;
      lex_next (&p->lx);
    }
  else if (g_str_equal (keyword, "ssl"))
    {
      user->ssl = TRUE;
      lex_next (&p->lx);
    }
  else if (g_str_equal (keyword, "sslproto"))
    {
      lex_next (&p->lx);
      /* “auto” is a protocol keyword to the lexer; accept it unquoted too. */
      if (p->lx.kind != TOKEN_STRING && p->lx.kind != TOKEN_PROTO)
        return fail (p, _("“%s” needs a value, not “%s”."), "sslproto", describe_token (p));
      set_str (&user->sslproto, p->lx.text);
      lex_next (&p->lx);
    }
  else if (in_list (user_flags, G_N_ELEMENTS (user_flags), keyword))
    {
      lex_next (&p->lx);
    }
  else if ((option = find_option (user_options, G_N_ELEMENTS (user_options), keyword)))
    {
      return read_value (p, keyword, option->argument, NULL);
    }
  else
    {
      *handled = FALSE;
    }

  return TRUE;
}

/* no FLAG */
static gboolean
read_negation (Parser                  *p,
               MendFetchmailrcAccount  *user)
{
  lex_next (&p->lx);

  if (p->lx.kind == TOKEN_KEYWORD &&
      (in_list (server_flags, G_N_ELEMENTS (server_flags), p->lx.text) ||
       in_list (user_flags, G_N_ELEMENTS (user_flags), p->lx.text) ||
       g_str_equal (p->lx.text, "envelope") || g_str_equal (p->lx.text, "bouncemail") ||
       g_str_equal (p->lx.text, "spambounce") || g_str_equal (p->lx.text, "softbounce")))
    {
      if (g_str_equal (p->lx.text, "ssl"))
        user->ssl = FALSE;
      lex_next (&p->lx);
      return TRUE;
    }

  return fail (p, _("“no” cannot come before “%s”."), describe_token (p));
}

static gboolean
read_set (Parser *p)
{
  static const char *flags[] = {
    "bouncemail", "spambounce", "softbounce", "syslog", "invisible", "showdots", "tracepolls",
  };
  static const char *with_name[] = { "logfile", "idfile", "pidfile", "postmaster", "properties" };
  g_autofree char *keyword = NULL;

  lex_next (&p->lx);
  if (is_keyword (p, "no"))
    {
      lex_next (&p->lx);
      if (p->lx.kind != TOKEN_KEYWORD || !in_list (flags, G_N_ELEMENTS (flags), p->lx.text))
        return fail (p, _("“no” cannot come before “%s”."), describe_token (p));
      lex_next (&p->lx);
      return TRUE;
    }

  if (p->lx.kind != TOKEN_KEYWORD)
    return fail (p, _("“set” cannot come before “%s”."), describe_token (p));

  keyword = g_strdup (p->lx.text);
  if (in_list (flags, G_N_ELEMENTS (flags), keyword))
    {
      lex_next (&p->lx);
      return TRUE;
    }

  if (!in_list (with_name, G_N_ELEMENTS (with_name), keyword) && !g_str_equal (keyword, "daemon"))
    return fail (p, _("“set” cannot come before “%s”."), keyword);

  lex_next (&p->lx);
  if (p->lx.kind == TOKEN_MAP)
    lex_next (&p->lx);

  if (g_str_equal (keyword, "daemon") ? (p->lx.kind != TOKEN_NUMBER &&
                                         !(p->lx.kind == TOKEN_STRING && is_number (p->lx.text)))
                                      : p->lx.kind != TOKEN_STRING)
    return fail (p, _("“%s” needs a value, not “%s”."), keyword, describe_token (p));

  lex_next (&p->lx);
  return TRUE;
}

/* poll NAME …, skip NAME …, defaults … */
static gboolean
read_entry (Parser *p)
{
  g_autoptr(MendFetchmailrcAccount) entry = account_copy (p->defaults);
  g_autoptr(GPtrArray) users = g_ptr_array_new_with_free_func (
    (GDestroyNotify) mend_fetchmailrc_account_free);
  gboolean defaults = is_keyword (p, "defaults");
  MendFetchmailrcAccount *user = NULL;

  entry->skip = is_keyword (p, "skip");
  entry->line = p->lx.token_line;
  lex_next (&p->lx);

  if (!defaults)
    {
      if (p->lx.kind != TOKEN_STRING)
        return fail (p, _("“%s” needs a server name, not “%s”."),
                     entry->skip ? "skip" : "poll", describe_token (p));
      set_str (&entry->label, p->lx.text);
      lex_next (&p->lx);
    }

  while (p->lx.kind != TOKEN_EOF &&
         !is_keyword (p, "poll") && !is_keyword (p, "skip") &&
         !is_keyword (p, "defaults") && !is_keyword (p, "set"))
    {
      gboolean handled;

      if (is_keyword (p, "user"))
        {
          user = account_copy (entry);
          g_ptr_array_add (users, user);
          if (!read_user (p, user))
            return FALSE;
          continue;
        }

      if (is_keyword (p, "no"))
        {
          if (!read_negation (p, user ? user : entry))
            return FALSE;
          continue;
        }

      if (!read_server_option (p, entry, &handled))
        return FALSE;
      if (handled)
        continue;

      if (!read_user_option (p, user ? user : entry, &handled))
        return FALSE;
      if (handled)
        continue;

      return fail (p, _("“%s” is not expected here."), describe_token (p));
    }

  if (defaults)
    {
      g_clear_pointer (&entry->user, g_free);
      mend_fetchmailrc_account_free (p->defaults);
      p->defaults = g_steal_pointer (&entry);
      return TRUE;
    }

  if (users->len == 0)
    {
      g_ptr_array_add (p->accounts, g_steal_pointer (&entry));
      return TRUE;
    }

  /* Server options hold for every user of the entry, wherever they were. */
  for (guint i = 0; i < users->len; i++)
    {
      MendFetchmailrcAccount *u = g_ptr_array_index (users, i);

      set_str (&u->via, entry->via);
      set_str (&u->protocol, entry->protocol);
      set_str (&u->service, entry->service);
      set_str (&u->auth, entry->auth);
      u->port = entry->port;
      g_ptr_array_add (p->accounts, account_copy (u));
    }

  return TRUE;
}

/**
 * mend_fetchmailrc_parse:
 * @data: the text of a fetchmailrc; need not be NUL-terminated
 *
 * Returns: (transfer container) (element-type MendFetchmailrcAccount): one
 *   entry per user of every `poll` and `skip` entry, in the file's order;
 *   %NULL with @error set when fetchmail would refuse the file
 */
GPtrArray *
mend_fetchmailrc_parse (const char  *data,
                        gsize        length,
                        GError     **error)
{
  g_autoptr(GPtrArray) accounts = NULL;
  Parser p = { { 0 } };
  gboolean ok = TRUE;

  g_return_val_if_fail (data != NULL || length == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (length > 0 && memchr (data, '\0', length) != NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                           _("It holds binary data, not text."));
      return NULL;
    }

  accounts = g_ptr_array_new_with_free_func ((GDestroyNotify) mend_fetchmailrc_account_free);
  p.lx.data = data ? data : "";
  p.lx.length = length;
  p.lx.line = 1;
  p.lx.last_line = 1;
  p.accounts = accounts;
  p.defaults = g_new0 (MendFetchmailrcAccount, 1);
  p.error = error;

  lex_next (&p.lx);
  while (ok && p.lx.kind != TOKEN_EOF)
    {
      if (is_keyword (&p, "set"))
        ok = read_set (&p);
      else if (is_keyword (&p, "poll") || is_keyword (&p, "skip") || is_keyword (&p, "defaults"))
        ok = read_entry (&p);
      else
        ok = fail (&p, _("“%s” is not expected here."), describe_token (&p));
    }

  g_free (p.lx.text);
  g_free (p.lx.pending);
  mend_fetchmailrc_account_free (p.defaults);

  if (!ok)
    return NULL;

  return g_steal_pointer (&accounts);
}
