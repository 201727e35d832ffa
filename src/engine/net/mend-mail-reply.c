/* mend-mail-reply.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Turns the lines a mail server sends into replies: IMAP status responses, untagged data and
 * continuations (RFC 9051 §7, literals skipped), SMTP replies with their continuation lines
 * and enhanced status codes (RFC 5321 §4.2, RFC 3463), POP +OK/-ERR with response codes
 * (RFC 1939, RFC 2449) and multi-line lists. Anything else is a protocol error: the probes
 * report a garbled server instead of guessing. Every limit is small, so a hostile server
 * cannot make the parser hold much.
 */

#define G_LOG_DOMAIN "mend-mail-reply"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "mend-mail-reply.h"
#include "mend-probe-error.h"
#include "mend-server-address.h"

/* What a reply keeps of the server's words for support staff. */
#define MAX_RAW_LENGTH 4096
/* How much of a garbled line an error message quotes. */
#define MAX_QUOTED_LENGTH 200
/* IMAP literals are skipped, not kept; a probe's commands never need a large one. */
#define MAX_LITERAL_LENGTH (64 * 1024)

typedef enum
{
  STATE_START,
  /* IMAP: inside a literal, @literal_left bytes to go. */
  STATE_LITERAL,
  /* IMAP: a literal ended with its line: the next line continues the response. */
  STATE_AFTER_LITERAL,
  /* SMTP: continuation lines (“250-…”) seen, the last one not yet. */
  STATE_SMTP_LINES,
  /* POP: the list after a +OK, up to the line holding a single dot. */
  STATE_POP_LIST,
} State;

struct _MendMailReplyParser
{
  MendProtocol   protocol;
  State          state;
  gboolean       expect_lines;
  gsize          literal_left;
  MendMailReply *pending;
  GPtrArray     *lines;
};

void
mend_mail_reply_free (MendMailReply *reply)
{
  if (reply == NULL)
    return;

  g_free (reply->tag);
  g_free (reply->status_code);
  g_free (reply->text);
  g_strfreev (reply->lines);
  g_free (reply->raw);
  g_free (reply);
}

/**
 * mend_mail_reply_is_tagged:
 *
 * Returns: %TRUE for an IMAP reply that completes a command (not “*”, not “+”)
 */
gboolean
mend_mail_reply_is_tagged (const MendMailReply *reply)
{
  g_return_val_if_fail (reply != NULL, FALSE);

  return reply->tag != NULL && !g_str_equal (reply->tag, "*") && !g_str_equal (reply->tag, "+");
}

static gboolean
line_has_capability (const char *line,
                     const char *name,
                     const char *value)
{
  g_auto(GStrv) words = g_strsplit_set (line, " \t", -1);
  gboolean named = FALSE;

  for (guint i = 0; words[i] != NULL; i++)
    {
      if (words[i][0] == '\0')
        continue;

      if (!named)
        {
          /* Old servers write “AUTH=LOGIN XOAUTH2”. */
          gsize name_length = strlen (name);

          if (g_ascii_strcasecmp (words[i], name) == 0)
            named = TRUE;
          else if (g_ascii_strncasecmp (words[i], name, name_length) == 0 &&
                   words[i][name_length] == '=')
            {
              named = TRUE;
              if (value != NULL && g_ascii_strcasecmp (words[i] + name_length + 1, value) == 0)
                return TRUE;
            }

          if (!named)
            return FALSE;
          if (value == NULL)
            return TRUE;
        }
      else if (g_ascii_strcasecmp (words[i], value) == 0)
        {
          return TRUE;
        }
    }

  return FALSE;
}

/**
 * mend_mail_reply_has_capability:
 * @name: a capability: IMAP “STARTTLS”, “SASL-IR” or “AUTH”; an SMTP EHLO keyword such as
 *   “STARTTLS” or “AUTH”; a POP CAPA tag such as “STLS” or “SASL”
 * @value: (nullable): a value that @name must list, such as “XOAUTH2”
 *
 * Looks in an IMAP “* CAPABILITY” reply, an SMTP EHLO reply or a POP CAPA list.
 */
gboolean
mend_mail_reply_has_capability (const MendMailReply *reply,
                                const char          *name,
                                const char          *value)
{
  g_return_val_if_fail (reply != NULL, FALSE);
  g_return_val_if_fail (name != NULL, FALSE);

  switch (reply->protocol)
    {
    case MEND_PROTOCOL_IMAP:
      {
        g_auto(GStrv) words = NULL;
        g_autofree char *wanted = value != NULL ? g_strdup_printf ("%s=%s", name, value)
                                                : g_strdup (name);

        if (reply->kind != MEND_MAIL_REPLY_DATA || reply->text == NULL)
          return FALSE;

        words = g_strsplit (reply->text, " ", -1);
        if (words[0] == NULL || g_ascii_strcasecmp (words[0], "CAPABILITY") != 0)
          return FALSE;

        for (guint i = 1; words[i] != NULL; i++)
          {
            if (g_ascii_strcasecmp (words[i], wanted) == 0)
              return TRUE;
          }

        return FALSE;
      }

    case MEND_PROTOCOL_SMTP:
    case MEND_PROTOCOL_POP3:
      if (reply->lines == NULL)
        return FALSE;

      /* SMTP's first line is the greeting, not an extension. */
      for (guint i = reply->protocol == MEND_PROTOCOL_SMTP ? 1 : 0;
           i < g_strv_length (reply->lines);
           i++)
        {
          if (line_has_capability (reply->lines[i], name, value))
            return TRUE;
        }

      return FALSE;

    case MEND_PROTOCOL_EWS:
    case MEND_PROTOCOL_GRAPH:
    default:
      g_return_val_if_reached (FALSE);
    }
}

static void
append_raw (MendMailReply *reply,
            const char    *line)
{
  gsize length = reply->raw != NULL ? strlen (reply->raw) : 0;
  GString *raw;

  if (length >= MAX_RAW_LENGTH)
    return;

  raw = g_string_new (reply->raw);
  if (length > 0)
    g_string_append_c (raw, '\n');
  g_string_append (raw, line);
  if (raw->len > MAX_RAW_LENGTH)
    {
      /* Cut on a character boundary. */
      const char *end = g_utf8_find_prev_char (raw->str, raw->str + MAX_RAW_LENGTH);

      g_string_truncate (raw, end != NULL ? (gsize) (end - raw->str) : 0);
      g_string_append (raw, "…");
    }

  g_free (reply->raw);
  reply->raw = g_string_free (raw, FALSE);
}

static MendMailReply *
reply_new (MendProtocol       protocol,
           MendMailReplyKind  kind,
           const char        *line)
{
  MendMailReply *reply = g_new0 (MendMailReply, 1);

  reply->protocol = protocol;
  reply->kind = kind;
  append_raw (reply, line);

  return reply;
}

static GError *
garbled_error_new (MendProtocol  protocol,
                   const char   *line)
{
  g_autofree char *quoted = NULL;

  if (g_utf8_strlen (line, -1) > MAX_QUOTED_LENGTH)
    {
      g_autofree char *start = g_utf8_substring (line, 0, MAX_QUOTED_LENGTH);

      quoted = g_strconcat (start, "…", NULL);
    }
  else
    {
      quoted = g_strdup (line);
    }

  return g_error_new (MEND_PROBE_ERROR, MEND_PROBE_ERROR_PROTOCOL,
                      /* Translators: %s is a protocol (“IMAP”, “SMTP”, “POP”), then the
                       * server's words. */
                      _("The server’s answer is not valid %s: “%s”"),
                      mend_protocol_get_display_name (protocol), quoted);
}

/* “[CODE more]” at the start of @text: returns CODE's whole bracket content and moves @text
 * past it. */
static char *
take_response_code (const char **text)
{
  const char *end;
  char *code;

  if ((*text)[0] != '[' || (end = strchr (*text, ']')) == NULL)
    return NULL;

  code = g_strndup (*text + 1, end - *text - 1);
  *text = end + 1;
  while (**text == ' ')
    (*text)++;

  return code;
}

/* An IMAP tag: atom characters other than “+” (RFC 9051 §9). */
static gboolean
is_valid_tag (const char *tag,
              gsize       length)
{
  if (length == 0 || length > 64)
    return FALSE;

  for (gsize i = 0; i < length; i++)
    {
      guchar c = tag[i];

      if (c <= ' ' || c >= 0x7f || strchr ("(){%*\"\\]+", c) != NULL)
        return FALSE;
    }

  return TRUE;
}

/* “{N}” or “{N+}” at the end of @line: an IMAP literal of N bytes follows. */
static gboolean
ends_with_literal (const char *line,
                   gsize      *size)
{
  gsize length = strlen (line);
  gsize i;
  guint64 value = 0;

  if (length < 3 || line[length - 1] != '}')
    return FALSE;

  i = length - 2;
  if (line[i] == '+')
    i--;
  if (!g_ascii_isdigit (line[i]))
    return FALSE;

  while (i > 0 && g_ascii_isdigit (line[i]))
    i--;
  if (line[i] != '{' || length - i > 16)
    return FALSE;

  for (i++; g_ascii_isdigit (line[i]); i++)
    value = value * 10 + (guint64) (line[i] - '0');

  *size = (gsize) MIN (value, (guint64) G_MAXSIZE);
  return TRUE;
}

static MendMailReply *
parse_imap_line (const char  *line,
                 GError     **error)
{
  g_autoptr(MendMailReply) reply = NULL;
  const char *space;
  const char *rest;
  const char *word_end;
  g_autofree char *word = NULL;
  gboolean untagged;

  if (line[0] == '+' && (line[1] == '\0' || line[1] == ' '))
    {
      reply = reply_new (MEND_PROTOCOL_IMAP, MEND_MAIL_REPLY_CONTINUE, line);
      reply->tag = g_strdup ("+");
      reply->text = g_strdup (line[1] == ' ' ? line + 2 : "");
      return g_steal_pointer (&reply);
    }

  space = strchr (line, ' ');
  untagged = line[0] == '*' && space == line + 1;
  if (space == NULL || (!untagged && !is_valid_tag (line, space - line)))
    {
      g_propagate_error (error, garbled_error_new (MEND_PROTOCOL_IMAP, line));
      return NULL;
    }

  rest = space + 1;
  word_end = strchr (rest, ' ');
  word = g_ascii_strup (rest, word_end != NULL ? word_end - rest : -1);

  if (g_str_equal (word, "OK") || g_str_equal (word, "NO") || g_str_equal (word, "BAD") ||
      (untagged && (g_str_equal (word, "BYE") || g_str_equal (word, "PREAUTH"))))
    {
      const char *text = word_end != NULL ? word_end + 1 : "";
      MendMailReplyKind kind;

      if (g_str_equal (word, "OK"))
        kind = MEND_MAIL_REPLY_OK;
      else if (g_str_equal (word, "NO"))
        kind = MEND_MAIL_REPLY_FAILURE;
      else if (g_str_equal (word, "BAD"))
        kind = MEND_MAIL_REPLY_BAD;
      else if (g_str_equal (word, "BYE"))
        kind = MEND_MAIL_REPLY_BYE;
      else
        kind = MEND_MAIL_REPLY_DATA;

      reply = reply_new (MEND_PROTOCOL_IMAP, kind, line);
      reply->tag = g_strndup (line, space - line);
      reply->status_code = take_response_code (&text);
      reply->text = g_strdup (kind == MEND_MAIL_REPLY_DATA ? rest : text);
      return g_steal_pointer (&reply);
    }

  if (!untagged)
    {
      g_propagate_error (error, garbled_error_new (MEND_PROTOCOL_IMAP, line));
      return NULL;
    }

  reply = reply_new (MEND_PROTOCOL_IMAP, MEND_MAIL_REPLY_DATA, line);
  reply->tag = g_strdup ("*");
  reply->text = g_strdup (rest);

  return g_steal_pointer (&reply);
}

/* The rest of an IMAP response line after a literal, or a whole line that may end with a
 * literal: either the response is complete, or another literal begins. */
static MendMailReply *
imap_after_line (MendMailReplyParser  *parser,
                 const char           *line,
                 GError              **error)
{
  gsize size;

  if (!ends_with_literal (line, &size))
    {
      parser->state = STATE_START;
      return g_steal_pointer (&parser->pending);
    }

  if (size > MAX_LITERAL_LENGTH)
    {
      g_set_error (error, MEND_PROBE_ERROR, MEND_PROBE_ERROR_PROTOCOL,
                   _("The server announced %lu bytes of data, far more than any answer to "
                     "Mailmend’s commands."), (gulong) size);
      g_clear_pointer (&parser->pending, mend_mail_reply_free);
      parser->state = STATE_START;
      return NULL;
    }

  parser->literal_left = size;
  parser->state = size > 0 ? STATE_LITERAL : STATE_AFTER_LITERAL;

  return NULL;
}

static MendMailReply *
feed_imap (MendMailReplyParser  *parser,
           const char           *line,
           GError              **error)
{
  gsize length = strlen (line);
  MendMailReply *reply;

  switch (parser->state)
    {
    case STATE_START:
      reply = parse_imap_line (line, error);
      if (reply == NULL || reply->kind != MEND_MAIL_REPLY_DATA)
        return reply;
      parser->pending = reply;
      return imap_after_line (parser, line, error);

    case STATE_LITERAL:
      append_raw (parser->pending, line);
      /* The line and the CRLF the connection took off. */
      if (length + 2 <= parser->literal_left)
        {
          parser->literal_left -= length + 2;
          if (parser->literal_left == 0)
            parser->state = STATE_AFTER_LITERAL;
          return NULL;
        }
      if (parser->literal_left > length)
        {
          /* The literal ended between CR and LF. */
          parser->literal_left = 0;
          parser->state = STATE_AFTER_LITERAL;
          return NULL;
        }
      return imap_after_line (parser, line + parser->literal_left, error);

    case STATE_AFTER_LITERAL:
      append_raw (parser->pending, line);
      return imap_after_line (parser, line, error);

    case STATE_SMTP_LINES:
    case STATE_POP_LIST:
    default:
      g_return_val_if_reached (NULL);
    }
}

/* “5.7.139” at the start of @text (RFC 3463: class.subject.detail). */
static char *
take_enhanced_status_code (const char *text)
{
  const char *p = text;

  if (*p != '2' && *p != '4' && *p != '5')
    return NULL;
  p++;

  for (guint part = 0; part < 2; part++)
    {
      guint digits = 0;

      if (*p++ != '.')
        return NULL;
      while (g_ascii_isdigit (*p) && digits < 4)
        {
          p++;
          digits++;
        }
      if (digits == 0 || digits > 3)
        return NULL;
    }

  if (*p != '\0' && *p != ' ')
    return NULL;

  return g_strndup (text, p - text);
}

static MendMailReply *
feed_smtp (MendMailReplyParser  *parser,
           const char           *line,
           GError              **error)
{
  guint code;
  gboolean last;
  MendMailReply *reply;

  if (!g_ascii_isdigit (line[0]) || !g_ascii_isdigit (line[1]) || !g_ascii_isdigit (line[2]) ||
      line[0] < '2' || line[0] > '5' || line[1] > '5' ||
      (line[3] != '\0' && line[3] != ' ' && line[3] != '-'))
    {
      g_propagate_error (error, garbled_error_new (MEND_PROTOCOL_SMTP, line));
      goto fail;
    }

  code = (guint) ((line[0] - '0') * 100 + (line[1] - '0') * 10 + (line[2] - '0'));
  last = line[3] != '-';

  if (parser->pending == NULL)
    {
      MendMailReplyKind kind;

      if (line[0] == '2')
        kind = MEND_MAIL_REPLY_OK;
      else if (line[0] == '3')
        kind = MEND_MAIL_REPLY_CONTINUE;
      else
        kind = MEND_MAIL_REPLY_FAILURE;

      parser->pending = reply_new (MEND_PROTOCOL_SMTP, kind, line);
      parser->pending->code = code;
      parser->pending->status_code = take_enhanced_status_code (line[3] != '\0' ? line + 4 : "");
      parser->lines = g_ptr_array_new_with_free_func (g_free);
    }
  else if (code != parser->pending->code)
    {
      g_propagate_error (error, garbled_error_new (MEND_PROTOCOL_SMTP, line));
      goto fail;
    }
  else
    {
      append_raw (parser->pending, line);
    }

  if (parser->lines->len >= MEND_MAIL_REPLY_MAX_LINES)
    {
      g_set_error (error, MEND_PROBE_ERROR, MEND_PROBE_ERROR_PROTOCOL,
                   _("The server’s answer has more than %u lines."), MEND_MAIL_REPLY_MAX_LINES);
      goto fail;
    }
  g_ptr_array_add (parser->lines, g_strdup (line[3] != '\0' ? line + 4 : ""));

  if (!last)
    {
      parser->state = STATE_SMTP_LINES;
      return NULL;
    }

  g_ptr_array_add (parser->lines, NULL);
  reply = g_steal_pointer (&parser->pending);
  reply->lines = (char **) g_ptr_array_free (g_steal_pointer (&parser->lines), FALSE);
  reply->text = g_strjoinv ("\n", reply->lines);
  parser->state = STATE_START;

  return reply;

fail:
  g_clear_pointer (&parser->pending, mend_mail_reply_free);
  g_clear_pointer (&parser->lines, g_ptr_array_unref);
  parser->state = STATE_START;
  return NULL;
}

static MendMailReply *
feed_pop (MendMailReplyParser  *parser,
          const char           *line,
          GError              **error)
{
  MendMailReply *reply;
  const char *text;

  if (parser->state == STATE_POP_LIST)
    {
      if (g_str_equal (line, "."))
        {
          g_ptr_array_add (parser->lines, NULL);
          reply = g_steal_pointer (&parser->pending);
          reply->lines = (char **) g_ptr_array_free (g_steal_pointer (&parser->lines), FALSE);
          parser->state = STATE_START;
          return reply;
        }

      if (parser->lines->len >= MEND_MAIL_REPLY_MAX_LINES)
        {
          g_set_error (error, MEND_PROBE_ERROR, MEND_PROBE_ERROR_PROTOCOL,
                       _("The server’s answer has more than %u lines."),
                       MEND_MAIL_REPLY_MAX_LINES);
          g_clear_pointer (&parser->pending, mend_mail_reply_free);
          g_clear_pointer (&parser->lines, g_ptr_array_unref);
          parser->state = STATE_START;
          return NULL;
        }

      /* RFC 1939 §3: a line starting with a dot has had one more put in front. */
      append_raw (parser->pending, line);
      g_ptr_array_add (parser->lines, g_strdup (line[0] == '.' ? line + 1 : line));
      return NULL;
    }

  if (g_ascii_strncasecmp (line, "+OK", 3) == 0 && (line[3] == '\0' || line[3] == ' '))
    {
      reply = reply_new (MEND_PROTOCOL_POP3, MEND_MAIL_REPLY_OK, line);
      text = line[3] == ' ' ? line + 4 : "";
    }
  else if (g_ascii_strncasecmp (line, "-ERR", 4) == 0 && (line[4] == '\0' || line[4] == ' '))
    {
      reply = reply_new (MEND_PROTOCOL_POP3, MEND_MAIL_REPLY_FAILURE, line);
      text = line[4] == ' ' ? line + 5 : "";
    }
  else if (line[0] == '+' && (line[1] == '\0' || line[1] == ' '))
    {
      reply = reply_new (MEND_PROTOCOL_POP3, MEND_MAIL_REPLY_CONTINUE, line);
      reply->text = g_strdup (line[1] == ' ' ? line + 2 : "");
      parser->expect_lines = FALSE;
      return reply;
    }
  else
    {
      g_propagate_error (error, garbled_error_new (MEND_PROTOCOL_POP3, line));
      parser->expect_lines = FALSE;
      return NULL;
    }

  reply->status_code = take_response_code (&text);
  reply->text = g_strdup (text);

  if (reply->kind == MEND_MAIL_REPLY_OK && parser->expect_lines)
    {
      parser->expect_lines = FALSE;
      parser->pending = reply;
      parser->lines = g_ptr_array_new_with_free_func (g_free);
      parser->state = STATE_POP_LIST;
      return NULL;
    }

  parser->expect_lines = FALSE;
  return reply;
}

/**
 * mend_mail_reply_parser_new:
 * @protocol: IMAP, SMTP or POP
 */
MendMailReplyParser *
mend_mail_reply_parser_new (MendProtocol protocol)
{
  MendMailReplyParser *parser;

  g_return_val_if_fail (protocol == MEND_PROTOCOL_IMAP ||
                        protocol == MEND_PROTOCOL_SMTP ||
                        protocol == MEND_PROTOCOL_POP3, NULL);

  parser = g_new0 (MendMailReplyParser, 1);
  parser->protocol = protocol;
  parser->state = STATE_START;

  return parser;
}

void
mend_mail_reply_parser_free (MendMailReplyParser *parser)
{
  if (parser == NULL)
    return;

  g_clear_pointer (&parser->pending, mend_mail_reply_free);
  g_clear_pointer (&parser->lines, g_ptr_array_unref);
  g_free (parser);
}

MendProtocol
mend_mail_reply_parser_get_protocol (MendMailReplyParser *parser)
{
  g_return_val_if_fail (parser != NULL, MEND_PROTOCOL_IMAP);

  return parser->protocol;
}

/**
 * mend_mail_reply_parser_expect_lines:
 *
 * POP: the next reply, if it is a +OK, is followed by a list ending with a lone dot (the
 * answer to CAPA); the reply is complete once the list is.
 */
void
mend_mail_reply_parser_expect_lines (MendMailReplyParser *parser)
{
  g_return_if_fail (parser != NULL);
  g_return_if_fail (parser->protocol == MEND_PROTOCOL_POP3);

  parser->expect_lines = TRUE;
}

/**
 * mend_mail_reply_parser_is_idle:
 *
 * Returns: %TRUE when no reply is half read
 */
gboolean
mend_mail_reply_parser_is_idle (MendMailReplyParser *parser)
{
  g_return_val_if_fail (parser != NULL, FALSE);

  return parser->state == STATE_START;
}

/**
 * mend_mail_reply_parser_feed:
 * @line: one line, without its line end; any bytes
 * @length: the length of @line, or -1 when it ends with a NUL
 * @error: a %MEND_PROBE_ERROR_PROTOCOL for a line that is not what the protocol allows
 *
 * Returns: (transfer full) (nullable): the reply that @line completes, or %NULL with @error
 *   unset when the reply goes on
 */
MendMailReply *
mend_mail_reply_parser_feed (MendMailReplyParser  *parser,
                             const char           *line,
                             gssize                length,
                             GError              **error)
{
  g_autofree char *valid = NULL;

  g_return_val_if_fail (parser != NULL, NULL);
  g_return_val_if_fail (line != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  /* NUL bytes and invalid UTF-8 become U+FFFD: every reply is valid UTF-8. */
  valid = g_utf8_make_valid (line, length);

  switch (parser->protocol)
    {
    case MEND_PROTOCOL_IMAP:
      return feed_imap (parser, valid, error);
    case MEND_PROTOCOL_SMTP:
      return feed_smtp (parser, valid, error);
    case MEND_PROTOCOL_POP3:
      return feed_pop (parser, valid, error);
    case MEND_PROTOCOL_EWS:
    case MEND_PROTOCOL_GRAPH:
    default:
      g_return_val_if_reached (NULL);
    }
}
