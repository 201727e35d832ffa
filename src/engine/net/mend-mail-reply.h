/* mend-mail-reply.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

#include "mend-account.h"

G_BEGIN_DECLS

typedef enum
{
  /* IMAP OK, SMTP 2xx, POP +OK. */
  MEND_MAIL_REPLY_OK,
  /* IMAP NO, SMTP 4xx or 5xx, POP -ERR. */
  MEND_MAIL_REPLY_FAILURE,
  /* IMAP BAD: the server did not understand the command. */
  MEND_MAIL_REPLY_BAD,
  /* IMAP untagged BYE: the server is closing the connection. */
  MEND_MAIL_REPLY_BYE,
  /* IMAP “+”, SMTP 3xx, POP “+”: the server waits for more (a SASL challenge). */
  MEND_MAIL_REPLY_CONTINUE,
  /* IMAP untagged data (CAPABILITY, LIST…) and PREAUTH. */
  MEND_MAIL_REPLY_DATA,
} MendMailReplyKind;

/**
 * MendMailReply:
 * @protocol: IMAP, SMTP or POP
 * @kind: what the reply means
 * @tag: IMAP: the tag, “*” for untagged replies or “+” for a continuation; %NULL otherwise
 * @code: SMTP: the reply code, such as 535; 0 otherwise
 * @status_code: SMTP: the enhanced status code (“5.7.139”); IMAP and POP: what is between
 *   the brackets of a response code (“AUTHENTICATIONFAILED”, “IN-USE”); or %NULL
 * @text: the human-readable text (SMTP: every line's, joined by newlines; IMAP data: the
 *   whole line after “* ”; a continuation: the challenge)
 * @lines: SMTP: the text of each line (EHLO's extensions); POP after
 *   mend_mail_reply_parser_expect_lines(): the lines of the list (CAPA's capabilities)
 * @raw: the reply as the server sent it, lines joined by newlines, for support staff
 *
 * One complete reply of a mail server, all strings valid UTF-8.
 */
typedef struct
{
  MendProtocol        protocol;
  MendMailReplyKind   kind;
  char               *tag;
  guint               code;
  char               *status_code;
  char               *text;
  char              **lines;
  char               *raw;
} MendMailReply;

typedef struct _MendMailReplyParser MendMailReplyParser;

/* The most lines one reply may have (an SMTP multi-line reply, a POP list). */
#define MEND_MAIL_REPLY_MAX_LINES 256

void                 mend_mail_reply_free                (MendMailReply        *reply);
gboolean             mend_mail_reply_is_tagged           (const MendMailReply  *reply);
gboolean             mend_mail_reply_has_capability      (const MendMailReply  *reply,
                                                          const char           *name,
                                                          const char           *value);

MendMailReplyParser *mend_mail_reply_parser_new          (MendProtocol          protocol);
void                 mend_mail_reply_parser_free         (MendMailReplyParser  *parser);
MendProtocol         mend_mail_reply_parser_get_protocol (MendMailReplyParser  *parser);
void                 mend_mail_reply_parser_expect_lines (MendMailReplyParser  *parser);
gboolean             mend_mail_reply_parser_is_idle      (MendMailReplyParser  *parser);
MendMailReply       *mend_mail_reply_parser_feed         (MendMailReplyParser  *parser,
                                                          const char           *line,
                                                          gssize                length,
                                                          GError              **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MendMailReply, mend_mail_reply_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (MendMailReplyParser, mend_mail_reply_parser_free)

G_END_DECLS
