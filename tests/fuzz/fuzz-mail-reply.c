/* fuzz-mail-reply.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * libFuzzer target for what the probes read from a mail server (mend-mail-reply) and how a
 * refusal is classified into a finding (mend-probe-error). The first byte picks the protocol
 * (IMAP, SMTP, POP) and whether a POP list is expected; the rest is split into lines as the
 * connection splits them. Seeds: tests/fuzz/corpus/mail-reply/.
 */

#include "config.h"

#include <stdint.h>
#include <string.h>

#include "mend-mail-reply.h"
#include "mend-probe-error.h"

int LLVMFuzzerTestOneInput (const uint8_t *data,
                            size_t         size);

static void
check_reply (const MendMailReply *reply,
             MendProtocol         protocol)
{
  static const MendProbeError fallbacks[] = {
    MEND_PROBE_ERROR_TOKEN_REJECTED, MEND_PROBE_ERROR_PROTOCOL,
    MEND_PROBE_ERROR_SERVER_UNAVAILABLE,
  };

  g_assert (reply->protocol == protocol);
  g_assert (reply->kind <= MEND_MAIL_REPLY_DATA);
  g_assert (reply->raw != NULL && g_utf8_validate (reply->raw, -1, NULL));
  g_assert (reply->text != NULL || protocol == MEND_PROTOCOL_POP3);
  g_assert (reply->text == NULL || g_utf8_validate (reply->text, -1, NULL));
  g_assert (reply->tag == NULL || g_utf8_validate (reply->tag, -1, NULL));
  g_assert (reply->status_code == NULL || g_utf8_validate (reply->status_code, -1, NULL));
  g_assert (protocol != MEND_PROTOCOL_SMTP || (reply->code >= 200 && reply->code <= 559));

  if (reply->lines != NULL)
    {
      g_assert (g_strv_length (reply->lines) <= MEND_MAIL_REPLY_MAX_LINES);
      for (guint i = 0; reply->lines[i] != NULL; i++)
        g_assert (g_utf8_validate (reply->lines[i], -1, NULL));
    }

  mend_mail_reply_is_tagged (reply);
  mend_mail_reply_has_capability (reply, "AUTH", "XOAUTH2");
  mend_mail_reply_has_capability (reply, "STARTTLS", NULL);
  mend_mail_reply_has_capability (reply, "SASL", "XOAUTH2");

  for (guint i = 0; i < G_N_ELEMENTS (fallbacks); i++)
    {
      MendProbeError code = mend_probe_classify_reply (reply, fallbacks[i]);
      g_autoptr(MendFinding) finding = NULL;

      g_assert (code != MEND_PROBE_ERROR_INVALID_ADDRESS);
      finding = mend_probe_finding_new (code, protocol, MEND_TENANT_TYPE_UNKNOWN,
                                        "alice@example.com", reply->raw);
      g_assert (finding != NULL);
      g_assert (g_strcmp0 (mend_finding_get_details (finding), reply->raw) == 0 ||
                reply->raw[0] == '\0');
    }
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  static const MendProtocol protocols[] = {
    MEND_PROTOCOL_IMAP, MEND_PROTOCOL_SMTP, MEND_PROTOCOL_POP3,
  };
  g_autoptr(MendMailReplyParser) parser = NULL;
  MendProtocol protocol;
  gboolean expect_lines;
  const char *text;
  const char *end;

  if (size == 0)
    return 0;

  protocol = protocols[data[0] % G_N_ELEMENTS (protocols)];
  expect_lines = (data[0] & 0x80) != 0;
  text = (const char *) data + 1;
  end = (const char *) data + size;

  parser = mend_mail_reply_parser_new (protocol);
  if (expect_lines && protocol == MEND_PROTOCOL_POP3)
    mend_mail_reply_parser_expect_lines (parser);

  while (text < end)
    {
      const char *newline = memchr (text, '\n', end - text);
      gsize length = (newline != NULL ? newline : end) - text;
      g_autoptr(MendMailReply) reply = NULL;
      g_autoptr(GError) error = NULL;

      /* As the connection does: the line end goes, a CR before it too. */
      if (length > 0 && text[length - 1] == '\r')
        reply = mend_mail_reply_parser_feed (parser, text, length - 1, &error);
      else
        reply = mend_mail_reply_parser_feed (parser, text, length, &error);

      g_assert ((reply == NULL) || (error == NULL));
      if (error != NULL)
        {
          g_assert (error->domain == MEND_PROBE_ERROR);
          g_assert (error->code == MEND_PROBE_ERROR_PROTOCOL);
          g_assert (g_utf8_validate (error->message, -1, NULL));
          g_assert (mend_mail_reply_parser_is_idle (parser));
        }
      if (reply != NULL)
        {
          check_reply (reply, protocol);
          if (expect_lines && protocol == MEND_PROTOCOL_POP3)
            mend_mail_reply_parser_expect_lines (parser);
        }

      text += length + 1;
    }

  return 0;
}
