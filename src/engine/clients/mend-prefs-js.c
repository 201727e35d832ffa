/* mend-prefs-js.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A reader for Mozilla preference files (prefs.js, user.js) that sees what
 * Thunderbird sees: the grammar of Gecko's libpref parser
 * (modules/libpref/parser/src/lib.rs), with its error recovery.
 *
 *   <file>   = <pref>*
 *   <pref>   = ("user_pref" | "pref" | "sticky_pref" | "lockPref")
 *              "(" <string> "," <value> ")" ";"
 *   <value>  = <string> | "true" | "false" | ("+" | "-")? [0-9]+
 *
 * Strings take single or double quotes and the escapes \" \' \\ \n \r \xNN
 * and \uNNNN (UTF-16, surrogate pairs included); \x00 and \u0000 are
 * refused. Integers are 32-bit. Comments are `//`, `#` and `/ * … * /`.
 * On a syntax error the statement is skipped up to the next `;`, as Gecko
 * does, so one damaged line costs one setting, not the file.
 *
 * One pass over the input, a lookup table for strings without escapes, and
 * no allocation per statement beyond the stored name and value: a 20 MB
 * file takes a fraction of a second.
 *
 * mend_prefs_js_set_int() and _set_string() edit a file through the same
 * parser, so the statements they change are the ones Thunderbird reads, and
 * every other byte stays.
 */

#define G_LOG_DOMAIN "mend-prefs-js"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "mend-prefs-js.h"

/* Errors past this many are counted but not logged. */
#define MAX_LOGGED_ERRORS 5

typedef enum
{
  PRIORITY_DEFAULT, /* pref (), sticky_pref () */
  PRIORITY_USER,    /* user_pref (): wins over a default */
  PRIORITY_LOCKED,  /* lockPref (): wins over a user value */
} Priority;

typedef struct
{
  MendPrefsJsType type;
  Priority        priority;
  union
  {
    const char *string;
    gint32      integer;
    gboolean    boolean;
  } v;
} Pref;

struct _MendPrefsJs
{
  gatomicrefcount  ref_count;
  /* Names and string values, in a few large blocks. */
  GStringChunk    *strings;
  /* name → position in prefs, plus one */
  GHashTable      *index;
  GArray          *prefs;
  guint            n_errors;
};

G_DEFINE_BOXED_TYPE (MendPrefsJs, mend_prefs_js, mend_prefs_js_ref, mend_prefs_js_unref)
G_DEFINE_QUARK (mend-prefs-js-error-quark, mend_prefs_js_error)

typedef enum
{
  TOKEN_EOF,
  TOKEN_CHAR,        /* ( ) , ; + - */
  TOKEN_PREF,
  TOKEN_USER_PREF,
  TOKEN_STICKY_PREF,
  TOKEN_LOCK_PREF,
  TOKEN_TRUE,
  TOKEN_FALSE,
  TOKEN_STRING,      /* decoded into the buffer passed to lexer_next () */
  TOKEN_INT,         /* unsigned; a sign is a token of its own */
  TOKEN_ERROR,
} TokenType;

typedef struct
{
  TokenType   type;
  char        c;        /* TOKEN_CHAR */
  guint32     integer;  /* TOKEN_INT */
  const char *message;  /* TOKEN_ERROR: for the debug log, not translated */
  gboolean    at_eof;   /* TOKEN_ERROR: the input ended inside the token */
  guint       line;
  const char *start;    /* its first byte in the input */
} Token;

typedef struct
{
  const char *p;
  const char *end;
  guint       line;
} Lexer;

/* Where a statement sits in the input, for editing it in place. */
typedef struct
{
  const char *start;        /* its keyword */
  const char *value_start;
  const char *value_end;
  const char *end;          /* just after its ';' */
} Span;

typedef void (*StatementFunc) (const GString *name,
                               const Span    *span,
                               gpointer       user_data);

typedef struct
{
  Lexer          lexer;
  GString       *name;
  GString       *value;
  MendPrefsJs   *prefs;
  guint          n_read;
  guint          n_errors;
  gboolean       truncated;
  guint          truncated_line;
  /* Called for every statement read, when set. */
  StatementFunc  statement_func;
  gpointer       statement_data;
} Parser;

/* Characters that end the fast path through a string literal. */
static const gboolean string_special[256] = {
  ['\0'] = TRUE, ['\n'] = TRUE, ['\r'] = TRUE, ['"'] = TRUE, ['\''] = TRUE, ['\\'] = TRUE,
};

static const struct
{
  const char *word;
  gsize       length;
  TokenType   type;
} keywords[] = {
  { "user_pref", 9, TOKEN_USER_PREF },
  { "pref", 4, TOKEN_PREF },
  { "true", 4, TOKEN_TRUE },
  { "false", 5, TOKEN_FALSE },
  { "sticky_pref", 11, TOKEN_STICKY_PREF },
  { "lockPref", 8, TOKEN_LOCK_PREF },
};

static inline gboolean
is_keyword_char (guchar c)
{
  return g_ascii_isalpha (c) || c == '_';
}

static void
token_set_error (Token      *token,
                 const char *message,
                 gboolean    at_eof)
{
  token->type = TOKEN_ERROR;
  token->message = message;
  token->at_eof = at_eof;
}

/* Skips to the end of the line, and past its end-of-line sequence. */
static void
lexer_skip_line (Lexer *lexer)
{
  while (lexer->p < lexer->end)
    {
      char c = *lexer->p++;

      if (c == '\n')
        {
          lexer->line++;
          return;
        }
      if (c == '\r')
        {
          if (lexer->p < lexer->end && *lexer->p == '\n')
            lexer->p++;
          lexer->line++;
          return;
        }
    }
}

/* Returns FALSE when the input ends before the comment does. */
static gboolean
lexer_skip_block_comment (Lexer *lexer)
{
  while (lexer->p < lexer->end)
    {
      char c = *lexer->p++;

      if (c == '*' && lexer->p < lexer->end && *lexer->p == '/')
        {
          lexer->p++;
          return TRUE;
        }
      if (c == '\n')
        lexer->line++;
      else if (c == '\r')
        {
          if (lexer->p < lexer->end && *lexer->p == '\n')
            lexer->p++;
          lexer->line++;
        }
    }

  return FALSE;
}

static gboolean
lexer_match_hex (Lexer   *lexer,
                 guint    n_digits,
                 guint32 *value)
{
  *value = 0;

  for (guint i = 0; i < n_digits; i++)
    {
      int digit;

      if (lexer->p >= lexer->end)
        return FALSE;

      digit = g_ascii_xdigit_value (*lexer->p);
      if (digit < 0)
        return FALSE;

      *value = (*value << 4) | (guint32) digit;
      lexer->p++;
    }

  return TRUE;
}

/* Decodes a \uNNNN escape, and the low surrogate after a high one.
 * Returns the error, or NULL. */
static const char *
lexer_unicode_escape (Lexer   *lexer,
                      GString *buffer)
{
  guint32 unit;
  guint32 low;

  if (!lexer_match_hex (lexer, 4, &unit))
    return "malformed \\u escape sequence";

  if (unit == 0)
    return "\\u0000 is not allowed";

  if ((unit & 0xfc00) == 0xdc00)
    return "low surrogate without a high surrogate";

  if ((unit & 0xfc00) == 0xd800)
    {
      if (lexer->end - lexer->p < 2 || lexer->p[0] != '\\' || lexer->p[1] != 'u')
        return "high surrogate without a low surrogate";

      lexer->p += 2;
      if (!lexer_match_hex (lexer, 4, &low) || (low & 0xfc00) != 0xdc00)
        return "invalid low surrogate after a high surrogate";

      unit = 0x10000 + ((unit - 0xd800) << 10) + (low - 0xdc00);
    }

  g_string_append_unichar (buffer, unit);

  return NULL;
}

/* A string literal with escapes or line breaks, one character at a time.
 * After an error, reads on to the closing quote, as Gecko does. */
static void
lexer_string_slow (Lexer   *lexer,
                   char     quote,
                   GString *buffer,
                   Token   *token)
{
  const char *error = NULL;
  gboolean raw_bytes = FALSE;

  for (;;)
    {
      char c;

      if (lexer->p >= lexer->end)
        {
          token_set_error (token, "unterminated string literal", TRUE);
          return;
        }

      c = *lexer->p++;

      if (c == quote)
        break;

      if (c == '\\')
        {
          const char *escape_error = NULL;
          guint32 byte;
          char e;

          if (lexer->p >= lexer->end)
            continue; /* reported as unterminated above */

          e = *lexer->p++;
          switch (e)
            {
            case '"':
            case '\'':
            case '\\':
              g_string_append_c (buffer, e);
              break;
            case 'n':
              g_string_append_c (buffer, '\n');
              break;
            case 'r':
              g_string_append_c (buffer, '\r');
              break;
            case 'x':
              /* A raw byte, as in Gecko (UTF-8 sequences may be spelled out). */
              if (!lexer_match_hex (lexer, 2, &byte))
                escape_error = "malformed \\x escape sequence";
              else if (byte == 0)
                escape_error = "\\x00 is not allowed";
              else
                {
                  g_string_append_c (buffer, (char) byte);
                  raw_bytes |= byte >= 0x80;
                }
              break;
            case 'u':
              escape_error = lexer_unicode_escape (lexer, buffer);
              break;
            case '\n':
            case '\r':
              lexer->p--; /* counted as a line break on the next turn */
              escape_error = "unexpected escape sequence character after '\\'";
              break;
            default:
              escape_error = "unexpected escape sequence character after '\\'";
              break;
            }

          if (error == NULL)
            error = escape_error;
          continue;
        }

      if (c == '\n')
        lexer->line++;
      else if (c == '\r')
        {
          lexer->line++;
          if (lexer->p < lexer->end && *lexer->p == '\n')
            {
              g_string_append_c (buffer, '\r');
              c = *lexer->p++;
            }
        }

      g_string_append_c (buffer, c);
    }

  if (error != NULL)
    {
      token_set_error (token, error, FALSE);
      return;
    }

  /* \xNN may have spelled out something that is not UTF-8. */
  if (raw_bytes && !g_utf8_validate_len (buffer->str, buffer->len, NULL))
    {
      g_autofree char *valid = g_utf8_make_valid (buffer->str, buffer->len);

      g_string_assign (buffer, valid);
    }

  token->type = TOKEN_STRING;
}

static void
lexer_string (Lexer   *lexer,
              char     quote,
              GString *buffer,
              Token   *token)
{
  const char *start = lexer->p;
  const char *q = start;

  g_string_truncate (buffer, 0);

  /* The common case: no escape, no line break; copy it in one go. */
  while (q < lexer->end && !string_special[(guchar) *q])
    q++;

  if (q < lexer->end && *q == quote)
    {
      g_string_append_len (buffer, start, q - start);
      lexer->p = q + 1;
      token->type = TOKEN_STRING;
      return;
    }

  g_string_append_len (buffer, start, q - start);
  lexer->p = q;
  lexer_string_slow (lexer, quote, buffer, token);
}

static void
lexer_int (Lexer *lexer,
           char   first,
           Token *token)
{
  guint64 value = (guint64) (first - '0');
  gboolean overflow = FALSE;

  while (lexer->p < lexer->end)
    {
      guchar c = *lexer->p;

      if (g_ascii_isdigit (c))
        {
          value = value * 10 + (c - '0');
          overflow |= value > G_MAXUINT32;
          if (overflow)
            value = G_MAXUINT32;
          lexer->p++;
        }
      else if (is_keyword_char (c))
        {
          /* “123abc”: recovery reads on from the letters. */
          token_set_error (token, "unexpected character in integer literal", FALSE);
          return;
        }
      else
        break;
    }

  if (overflow)
    {
      token_set_error (token, "integer literal overflowed", FALSE);
      return;
    }

  token->type = TOKEN_INT;
  token->integer = (guint32) value;
}

static void
lexer_keyword (Lexer *lexer,
               Token *token)
{
  const char *start = lexer->p - 1;
  gsize length;

  while (lexer->p < lexer->end && is_keyword_char (*lexer->p))
    lexer->p++;

  length = lexer->p - start;
  for (guint i = 0; i < G_N_ELEMENTS (keywords); i++)
    {
      if (keywords[i].length == length && memcmp (keywords[i].word, start, length) == 0)
        {
          token->type = keywords[i].type;
          return;
        }
    }

  token_set_error (token, "unknown keyword", FALSE);
}

/* Reads the next token; a string literal is decoded into @buffer. */
static void
lexer_next (Lexer   *lexer,
            GString *buffer,
            Token   *token)
{
  for (;;)
    {
      char c;

      token->line = lexer->line;
      token->start = lexer->p;

      if (lexer->p >= lexer->end)
        {
          token->type = TOKEN_EOF;
          return;
        }

      c = *lexer->p++;
      switch (c)
        {
        case ' ':
        case '\t':
        case '\v':
        case '\f':
          continue;

        case '\n':
          lexer->line++;
          continue;

        case '\r':
          if (lexer->p < lexer->end && *lexer->p == '\n')
            lexer->p++;
          lexer->line++;
          continue;

        case '(':
        case ')':
        case ',':
        case ';':
        case '+':
        case '-':
          token->type = TOKEN_CHAR;
          token->c = c;
          return;

        case '"':
        case '\'':
          lexer_string (lexer, c, buffer, token);
          return;

        case '#':
          lexer_skip_line (lexer);
          continue;

        case '/':
          if (lexer->p < lexer->end && *lexer->p == '/')
            {
              lexer->p++;
              lexer_skip_line (lexer);
              continue;
            }
          if (lexer->p < lexer->end && *lexer->p == '*')
            {
              lexer->p++;
              if (lexer_skip_block_comment (lexer))
                continue;
              token_set_error (token, "unterminated /* comment", TRUE);
              return;
            }
          /* Like Gecko, swallow the character after a lone '/', unless it
           * ends the line. */
          if (lexer->p < lexer->end && *lexer->p != '\n' && *lexer->p != '\r')
            lexer->p++;
          token_set_error (token, "expected '/' or '*' after '/'", FALSE);
          return;

        default:
          if (g_ascii_isdigit (c))
            lexer_int (lexer, c, token);
          else if (is_keyword_char (c))
            lexer_keyword (lexer, token);
          else
            token_set_error (token, "unexpected character", FALSE);
          return;
        }
    }
}

static inline gboolean
token_is_char (const Token *token,
               char         c)
{
  return token->type == TOKEN_CHAR && token->c == c;
}

/* Gecko's panic-mode recovery: skip tokens up to the next ';', and return
 * the token after it (or EOF). */
static void
parser_error_and_recover (Parser     *parser,
                          Token      *token,
                          const char *message,
                          gboolean    in_statement)
{
  if (token->type == TOKEN_ERROR)
    message = token->message;

  if ((token->type == TOKEN_EOF && in_statement) ||
      (token->type == TOKEN_ERROR && token->at_eof))
    {
      parser->truncated = TRUE;
      parser->truncated_line = token->line;
    }

  parser->n_errors++;
  if (parser->n_errors <= MAX_LOGGED_ERRORS)
    g_debug ("line %u: %s", token->line, message);

  while (token->type != TOKEN_EOF && !token_is_char (token, ';'))
    lexer_next (&parser->lexer, parser->value, token);

  if (token->type != TOKEN_EOF)
    {
      lexer_next (&parser->lexer, parser->value, token);
    }
  else if (in_statement && !parser->truncated)
    {
      /* A statement that never reached its ';': the file ends inside it. */
      parser->truncated = TRUE;
      parser->truncated_line = token->line;
    }
}

static void
prefs_store (MendPrefsJs *self,
             GString     *name,
             const Pref  *pref)
{
  gpointer position;
  const char *key;

  if (g_hash_table_lookup_extended (self->index, name->str, NULL, &position))
    {
      Pref *old = &g_array_index (self->prefs, Pref, GPOINTER_TO_UINT (position) - 1);

      /* A user value overrides a default whatever the order, and a locked
       * one overrides both; otherwise the last one counts. */
      if (pref->priority >= old->priority)
        *old = *pref;
      return;
    }

  key = g_string_chunk_insert_len (self->strings, name->str, name->len);
  g_array_append_val (self->prefs, *pref);
  g_hash_table_insert (self->index, (gpointer) key, GUINT_TO_POINTER (self->prefs->len));
}

/* Reads the value after the ',' into @pref, and where it starts into
 * @value_start; FALSE after recovering from an error (@token then holds the
 * next statement's first token). */
static gboolean
parser_value (Parser      *parser,
              Token       *token,
              Pref        *pref,
              const char **value_start)
{
  Lexer *lexer = &parser->lexer;
  char sign;

  lexer_next (lexer, parser->value, token);
  *value_start = token->start;

  switch (token->type)
    {
    case TOKEN_TRUE:
    case TOKEN_FALSE:
      pref->type = MEND_PREFS_JS_TYPE_BOOL;
      pref->v.boolean = token->type == TOKEN_TRUE;
      return TRUE;

    case TOKEN_STRING:
      pref->type = MEND_PREFS_JS_TYPE_STRING;
      pref->v.string = g_string_chunk_insert_len (parser->prefs->strings,
                                                  parser->value->str, parser->value->len);
      return TRUE;

    case TOKEN_INT:
      if (token->integer > G_MAXINT32)
        {
          parser_error_and_recover (parser, token, "integer literal overflowed", TRUE);
          return FALSE;
        }
      pref->type = MEND_PREFS_JS_TYPE_INT;
      pref->v.integer = (gint32) token->integer;
      return TRUE;

    case TOKEN_CHAR:
      if (token->c != '-' && token->c != '+')
        break;

      sign = token->c;
      lexer_next (lexer, parser->value, token);
      if (token->type != TOKEN_INT)
        {
          parser_error_and_recover (parser, token, "expected integer literal after sign", TRUE);
          return FALSE;
        }
      if (sign == '-' && token->integer == (guint32) G_MAXINT32 + 1)
        {
          pref->type = MEND_PREFS_JS_TYPE_INT;
          pref->v.integer = G_MININT32;
          return TRUE;
        }
      if (token->integer > G_MAXINT32)
        {
          parser_error_and_recover (parser, token, "integer literal overflowed", TRUE);
          return FALSE;
        }
      pref->type = MEND_PREFS_JS_TYPE_INT;
      pref->v.integer = sign == '-' ? -(gint32) token->integer : (gint32) token->integer;
      return TRUE;

    case TOKEN_EOF:
    case TOKEN_PREF:
    case TOKEN_USER_PREF:
    case TOKEN_STICKY_PREF:
    case TOKEN_LOCK_PREF:
    case TOKEN_ERROR:
    default:
      break;
    }

  parser_error_and_recover (parser, token, "expected pref value after ','", TRUE);
  return FALSE;
}

static void
parser_run (Parser *parser)
{
  Lexer *lexer = &parser->lexer;
  Token token = { 0 };

  lexer_next (lexer, parser->value, &token);

  while (token.type != TOKEN_EOF)
    {
      Pref pref = { 0 };
      Span span = { token.start, NULL, NULL, NULL };

      switch (token.type)
        {
        case TOKEN_PREF:
        case TOKEN_STICKY_PREF:
          pref.priority = PRIORITY_DEFAULT;
          break;
        case TOKEN_USER_PREF:
          pref.priority = PRIORITY_USER;
          break;
        case TOKEN_LOCK_PREF:
          pref.priority = PRIORITY_LOCKED;
          break;
        case TOKEN_EOF:
        case TOKEN_CHAR:
        case TOKEN_TRUE:
        case TOKEN_FALSE:
        case TOKEN_STRING:
        case TOKEN_INT:
        case TOKEN_ERROR:
        default:
          parser_error_and_recover (parser, &token, "expected pref specifier", FALSE);
          continue;
        }

      lexer_next (lexer, parser->value, &token);
      if (!token_is_char (&token, '('))
        {
          parser_error_and_recover (parser, &token, "expected '(' after pref specifier", TRUE);
          continue;
        }

      lexer_next (lexer, parser->name, &token);
      if (token.type != TOKEN_STRING)
        {
          parser_error_and_recover (parser, &token, "expected pref name after '('", TRUE);
          continue;
        }

      lexer_next (lexer, parser->value, &token);
      if (!token_is_char (&token, ','))
        {
          parser_error_and_recover (parser, &token, "expected ',' after pref name", TRUE);
          continue;
        }

      if (!parser_value (parser, &token, &pref, &span.value_start))
        continue;
      span.value_end = lexer->p;

      lexer_next (lexer, parser->value, &token);
      if (!token_is_char (&token, ')'))
        {
          parser_error_and_recover (parser, &token, "expected ')' after pref value", TRUE);
          continue;
        }

      lexer_next (lexer, parser->value, &token);
      if (!token_is_char (&token, ';'))
        {
          parser_error_and_recover (parser, &token, "expected ';' after ')'", TRUE);
          continue;
        }

      prefs_store (parser->prefs, parser->name, &pref);
      parser->n_read++;

      if (parser->statement_func != NULL)
        {
          span.end = lexer->p;
          parser->statement_func (parser->name, &span, parser->statement_data);
        }

      lexer_next (lexer, parser->value, &token);
    }
}

/* NUL bytes anywhere, or many control characters near the start (where a
 * binary format shows its header). */
static gboolean
looks_binary (const char *contents,
              gsize       length)
{
  gsize sample = MIN (length, 4096);
  gsize controls = 0;

  if (memchr (contents, '\0', length) != NULL)
    return TRUE;

  for (gsize i = 0; i < sample; i++)
    {
      guchar c = contents[i];

      if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\v' && c != '\f') ||
          c == 0x7f)
        controls++;
    }

  return controls > sample / 20;
}

static MendPrefsJs *
mend_prefs_js_new (void)
{
  MendPrefsJs *self = g_new0 (MendPrefsJs, 1);

  g_atomic_ref_count_init (&self->ref_count);
  self->strings = g_string_chunk_new (64 * 1024);
  self->index = g_hash_table_new (g_str_hash, g_str_equal);
  self->prefs = g_array_new (FALSE, FALSE, sizeof (Pref));

  return self;
}

static const Pref *
mend_prefs_js_lookup (MendPrefsJs *self,
                      const char  *name)
{
  gpointer position = g_hash_table_lookup (self->index, name);

  if (position == NULL)
    return NULL;

  return &g_array_index (self->prefs, Pref, GPOINTER_TO_UINT (position) - 1);
}

static MendPrefsJs *
parse (const char     *contents,
       gsize           length,
       StatementFunc   statement_func,
       gpointer        statement_data,
       GError        **error)
{
  g_autoptr(MendPrefsJs) prefs = NULL;
  g_autofree char *valid = NULL;
  Parser parser = { .n_read = 0 };

  if (contents == NULL)
    contents = "";

  if (looks_binary (contents, length))
    {
      g_set_error_literal (error, MEND_PREFS_JS_ERROR, MEND_PREFS_JS_ERROR_BINARY,
                           _("It holds binary data, not preferences."));
      return NULL;
    }

  if (!g_utf8_validate_len (contents, length, NULL))
    {
      valid = g_utf8_make_valid (contents, length);
      contents = valid;
      length = strlen (valid);
    }

  /* Thunderbird writes none, but an editor may have added a byte order mark. */
  if (length >= 3 && memcmp (contents, "\xef\xbb\xbf", 3) == 0)
    {
      contents += 3;
      length -= 3;
    }

  prefs = mend_prefs_js_new ();

  parser.lexer.p = contents;
  parser.lexer.end = contents + length;
  parser.lexer.line = 1;
  parser.name = g_string_sized_new (128);
  parser.value = g_string_sized_new (512);
  parser.prefs = prefs;
  parser.statement_func = statement_func;
  parser.statement_data = statement_data;

  parser_run (&parser);

  g_string_free (parser.name, TRUE);
  g_string_free (parser.value, TRUE);
  prefs->n_errors = parser.n_errors;

  if (parser.truncated)
    {
      g_set_error (error, MEND_PREFS_JS_ERROR, MEND_PREFS_JS_ERROR_TRUNCATED,
                   /* Translators: %u is a line number. */
                   _("It ends in the middle of a setting (line %u): the file was cut short."),
                   parser.truncated_line);
      return NULL;
    }

  if (parser.n_read == 0 && parser.n_errors > 0)
    {
      g_set_error_literal (error, MEND_PREFS_JS_ERROR, MEND_PREFS_JS_ERROR_NOT_PREFS,
                           _("It is not a preferences file: no setting in it could be read."));
      return NULL;
    }

  if (parser.n_errors > 0)
    g_debug ("Skipped %u damaged statements, read %u", parser.n_errors, parser.n_read);

  return g_steal_pointer (&prefs);
}

/**
 * mend_prefs_js_parse:
 * @contents: the file's contents; need not be NUL-terminated
 * @length: their length in bytes
 *
 * Reads a Mozilla preference file. Statements with syntax errors are
 * skipped, as Thunderbird skips them. The file is refused
 * (%MEND_PREFS_JS_ERROR) when it is binary, when nothing in it could be
 * read, or when it ends in the middle of a statement: a cut-short prefs.js
 * lacks the settings written after the cut, and an absent setting means
 * its default, so reading it would give wrong answers.
 *
 * Returns: (transfer full) (nullable): the preferences
 */
MendPrefsJs *
mend_prefs_js_parse (const char  *contents,
                     gsize        length,
                     GError     **error)
{
  g_return_val_if_fail (contents != NULL || length == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return parse (contents, length, NULL, NULL, error);
}

MendPrefsJs *
mend_prefs_js_ref (MendPrefsJs *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  g_atomic_ref_count_inc (&self->ref_count);

  return self;
}

void
mend_prefs_js_unref (MendPrefsJs *self)
{
  g_return_if_fail (self != NULL);

  if (!g_atomic_ref_count_dec (&self->ref_count))
    return;

  g_clear_pointer (&self->index, g_hash_table_unref);
  g_clear_pointer (&self->prefs, g_array_unref);
  g_clear_pointer (&self->strings, g_string_chunk_free);
  g_free (self);
}

/**
 * mend_prefs_js_get_size:
 *
 * Returns: how many different preferences were read
 */
guint
mend_prefs_js_get_size (MendPrefsJs *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->prefs->len;
}

/**
 * mend_prefs_js_get_n_errors:
 *
 * Returns: how many statements were skipped for syntax errors
 */
guint
mend_prefs_js_get_n_errors (MendPrefsJs *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->n_errors;
}

gboolean
mend_prefs_js_has (MendPrefsJs *self,
                   const char  *name)
{
  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (name != NULL, FALSE);

  return mend_prefs_js_lookup (self, name) != NULL;
}

MendPrefsJsType
mend_prefs_js_get_value_type (MendPrefsJs *self,
                              const char  *name)
{
  const Pref *pref;

  g_return_val_if_fail (self != NULL, MEND_PREFS_JS_TYPE_NONE);
  g_return_val_if_fail (name != NULL, MEND_PREFS_JS_TYPE_NONE);

  pref = mend_prefs_js_lookup (self, name);

  return pref ? pref->type : MEND_PREFS_JS_TYPE_NONE;
}

/**
 * mend_prefs_js_get_string:
 *
 * Returns: (nullable): the string value of @name, or %NULL when it is
 *   absent or not a string; valid UTF-8
 */
const char *
mend_prefs_js_get_string (MendPrefsJs *self,
                          const char  *name)
{
  const Pref *pref;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (name != NULL, NULL);

  pref = mend_prefs_js_lookup (self, name);
  if (pref == NULL || pref->type != MEND_PREFS_JS_TYPE_STRING)
    return NULL;

  return pref->v.string;
}

/**
 * mend_prefs_js_get_int:
 *
 * Returns: the integer value of @name, or @default_value when it is absent
 *   or not an integer (as Gecko's GetIntPref)
 */
gint
mend_prefs_js_get_int (MendPrefsJs *self,
                       const char  *name,
                       gint         default_value)
{
  const Pref *pref;

  g_return_val_if_fail (self != NULL, default_value);
  g_return_val_if_fail (name != NULL, default_value);

  pref = mend_prefs_js_lookup (self, name);
  if (pref == NULL || pref->type != MEND_PREFS_JS_TYPE_INT)
    return default_value;

  return pref->v.integer;
}

gboolean
mend_prefs_js_get_bool (MendPrefsJs *self,
                        const char  *name,
                        gboolean     default_value)
{
  const Pref *pref;

  g_return_val_if_fail (self != NULL, default_value);
  g_return_val_if_fail (name != NULL, default_value);

  pref = mend_prefs_js_lookup (self, name);
  if (pref == NULL || pref->type != MEND_PREFS_JS_TYPE_BOOL)
    return default_value;

  return pref->v.boolean;
}

/* ---- editing ------------------------------------------------------------ */

typedef struct
{
  const char *name;
  /* The statement to add when no statement sets @name. */
  const char *statement;
  /* Span of every statement that sets @name, in file order. */
  GArray     *values;
  /* The first other statement that sorts after @statement, as Thunderbird
   * sorts prefs.js when it writes it; and the end of the last one. */
  const char *insert_before;
  const char *last_end;
} Edit;

static int
compare_text (const char *start,
              const char *end,
              const char *text)
{
  gsize length = end - start;
  gsize text_length = strlen (text);
  int result = memcmp (start, text, MIN (length, text_length));

  if (result != 0)
    return result;

  return length < text_length ? -1 : length > text_length ? 1 : 0;
}

static void
edit_collect (const GString *name,
              const Span    *span,
              gpointer       user_data)
{
  Edit *edit = user_data;

  if (name->len == strlen (edit->name) && memcmp (name->str, edit->name, name->len) == 0)
    {
      g_array_append_val (edit->values, *span);
      return;
    }

  if (edit->insert_before == NULL && compare_text (span->start, span->end, edit->statement) > 0)
    edit->insert_before = span->start;
  edit->last_end = span->end;
}

/* The file's own line ending, so that an added line matches the others. */
static const char *
line_ending (const char *contents,
             gsize       length)
{
  const char *newline = memchr (contents, '\n', length);

  if (newline != NULL)
    return newline > contents && newline[-1] == '\r' ? "\r\n" : "\n";

  return memchr (contents, '\r', length) != NULL ? "\r" : "\n";
}

static gboolean
is_blank (char c)
{
  return c == ' ' || c == '\t' || c == '\v' || c == '\f';
}

/* @value as a string literal, the way Thunderbird writes one: in double
 * quotes, with \" \\ \n and \r escaped. */
static char *
quote_string (const char *value)
{
  GString *literal = g_string_new ("\"");

  g_assert (value != NULL);

  for (const char *p = value; *p != '\0'; p++)
    {
      switch (*p)
        {
        case '"':
          g_string_append (literal, "\\\"");
          break;
        case '\\':
          g_string_append (literal, "\\\\");
          break;
        case '\n':
          g_string_append (literal, "\\n");
          break;
        case '\r':
          g_string_append (literal, "\\r");
          break;
        default:
          g_string_append_c (literal, *p);
          break;
        }
    }
  g_string_append_c (literal, '"');

  return g_string_free (literal, FALSE);
}

static char *
set_literal (const char  *contents,
             gsize        length,
             const char  *name,
             const char  *literal,
             GError     **error)
{
  g_autoptr(MendPrefsJs) prefs = NULL;
  g_autoptr(GArray) values = g_array_new (FALSE, FALSE, sizeof (Span));
  g_autofree char *quoted_name = quote_string (name);
  g_autofree char *statement = g_strdup_printf ("user_pref(%s, %s);", quoted_name, literal);
  const char *end = contents + length;
  const char *eol = line_ending (contents, length);
  GString *result;
  Edit edit = { name, statement, values, NULL, NULL };

  /* Edits must land on the bytes that were read: no repaired copy. */
  if (!g_utf8_validate_len (contents, length, NULL))
    {
      g_set_error_literal (error, MEND_PREFS_JS_ERROR, MEND_PREFS_JS_ERROR_ENCODING,
                           _("It is not valid UTF-8 text."));
      return NULL;
    }

  prefs = parse (contents, length, edit_collect, &edit, error);
  if (prefs == NULL)
    return NULL;

  result = g_string_sized_new (length + strlen (statement) + 2);

  if (values->len > 0)
    {
      const char *copied = contents;

      /* Every statement that sets it: Thunderbird keeps the last. */
      for (guint i = 0; i < values->len; i++)
        {
          const Span *span = &g_array_index (values, Span, i);

          g_string_append_len (result, copied, span->value_start - copied);
          g_string_append (result, literal);
          copied = span->value_end;
        }
      g_string_append_len (result, copied, end - copied);
    }
  else if (edit.insert_before != NULL)
    {
      const char *at = edit.insert_before;
      const char *p = at;

      /* On a line of its own, above; else just before, where a statement may start. */
      while (p > contents && is_blank (p[-1]))
        p--;
      if (p == contents || p[-1] == '\n' || p[-1] == '\r')
        at = p;

      g_string_append_len (result, contents, at - contents);
      g_string_append (result, statement);
      g_string_append (result, eol);
      g_string_append_len (result, at, end - at);
    }
  else
    {
      const char *p = edit.last_end;

      while (p != NULL && p < end && is_blank (*p))
        p++;

      if (p != NULL && p < end && (*p == '\n' || *p == '\r'))
        {
          /* On the line after the last statement. */
          const char *at = (*p == '\r' && p + 1 < end && p[1] == '\n') ? p + 2 : p + 1;

          g_string_append_len (result, contents, at - contents);
          g_string_append (result, statement);
          g_string_append (result, eol);
          g_string_append_len (result, at, end - at);
        }
      else if (p != NULL && p < end)
        {
          /* Something follows the last statement on its line, perhaps a comment
           * that goes on over the next lines: the new one comes right after it. */
          g_string_append_len (result, contents, edit.last_end - contents);
          g_string_append (result, eol);
          g_string_append (result, statement);
          g_string_append_len (result, edit.last_end, end - edit.last_end);
        }
      else if (length > 0 && end[-1] != '\n' && end[-1] != '\r')
        {
          /* The file ends without a line ending: so does the new statement. */
          g_string_append_len (result, contents, length);
          g_string_append (result, eol);
          g_string_append (result, statement);
        }
      else
        {
          g_string_append_len (result, contents, length);
          g_string_append (result, statement);
          g_string_append (result, eol);
        }
    }

  return g_string_free (result, FALSE);
}

/**
 * mend_prefs_js_set_int:
 * @contents: a preference file, as mend_prefs_js_parse() reads it
 * @length: its length in bytes
 * @name: the preference to set
 * @value: its new value
 *
 * Changes @contents so that @name is @value, and leaves every other byte as
 * it is: the value of each statement that sets @name is replaced; without
 * one, a `user_pref (…);` line is added where Thunderbird, which sorts the
 * file, would put it.
 *
 * Returns: (transfer full) (nullable): the new contents, or %NULL with
 *   @error set when @contents cannot be read (see mend_prefs_js_parse()) or
 *   is not valid UTF-8
 */
char *
mend_prefs_js_set_int (const char  *contents,
                       gsize        length,
                       const char  *name,
                       gint         value,
                       GError     **error)
{
  char literal[16];

  g_return_val_if_fail (contents != NULL || length == 0, NULL);
  g_return_val_if_fail (name != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  g_snprintf (literal, sizeof literal, "%d", value);

  return set_literal (contents ? contents : "", length, name, literal, error);
}

/**
 * mend_prefs_js_set_string:
 *
 * Like mend_prefs_js_set_int(), for a string value.
 */
char *
mend_prefs_js_set_string (const char  *contents,
                          gsize        length,
                          const char  *name,
                          const char  *value,
                          GError     **error)
{
  g_autofree char *literal = NULL;

  g_return_val_if_fail (contents != NULL || length == 0, NULL);
  g_return_val_if_fail (name != NULL, NULL);
  g_return_val_if_fail (value != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  literal = quote_string (value);

  return set_literal (contents ? contents : "", length, name, literal, error);
}
