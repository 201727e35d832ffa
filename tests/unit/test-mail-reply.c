/* test-mail-reply.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The reply parser on what Microsoft's and Dovecot's servers really send
 * (shared/reference/microsoft.md §3.3, §3.4; feasibility.md §4), on garbage, and the
 * classification of refusals into findings.
 */

#include "config.h"

#include <gio/gio.h>

#include "mend-mail-reply.h"
#include "mend-probe-error.h"

/* Feeds @lines (NULL-terminated) and returns the reply the last one completes. */
static MendMailReply *
parse (MendProtocol        protocol,
       const char * const *lines)
{
  g_autoptr(MendMailReplyParser) parser = mend_mail_reply_parser_new (protocol);
  MendMailReply *reply = NULL;

  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_autoptr(GError) error = NULL;

      g_assert_null (reply);
      reply = mend_mail_reply_parser_feed (parser, lines[i], -1, &error);
      g_assert_no_error (error);
    }

  g_assert_true (mend_mail_reply_parser_is_idle (parser));

  return reply;
}

static MendMailReply *
parse_one (MendProtocol  protocol,
           const char   *line)
{
  const char *lines[] = { line, NULL };

  return parse (protocol, lines);
}

static void
test_imap (void)
{
  g_autoptr(MendMailReply) greeting = NULL;
  g_autoptr(MendMailReply) capability = NULL;
  g_autoptr(MendMailReply) failed = NULL;
  g_autoptr(MendMailReply) dovecot = NULL;
  g_autoptr(MendMailReply) challenge = NULL;
  g_autoptr(MendMailReply) bad = NULL;
  g_autoptr(MendMailReply) bye = NULL;
  g_autoptr(MendMailReply) preauth = NULL;

  greeting = parse_one (MEND_PROTOCOL_IMAP,
                        "* OK The Microsoft Exchange IMAP4 service is ready. "
                        "[UABSADMAUABSADAANgBDAEEAMAAwADEAOQAuAA==]");
  g_assert_cmpint (greeting->kind, ==, MEND_MAIL_REPLY_OK);
  g_assert_cmpstr (greeting->tag, ==, "*");
  g_assert_false (mend_mail_reply_is_tagged (greeting));
  g_assert_null (greeting->status_code);
  g_assert_true (g_str_has_prefix (greeting->text, "The Microsoft Exchange"));

  capability = parse_one (MEND_PROTOCOL_IMAP,
                          "* CAPABILITY IMAP4 IMAP4rev1 AUTH=PLAIN AUTH=XOAUTH2 SASL-IR UIDPLUS "
                          "MOVE ID UNSELECT CHILDREN IDLE NAMESPACE LITERAL+");
  g_assert_cmpint (capability->kind, ==, MEND_MAIL_REPLY_DATA);
  g_assert_true (mend_mail_reply_has_capability (capability, "AUTH", "XOAUTH2"));
  g_assert_true (mend_mail_reply_has_capability (capability, "auth", "xoauth2"));
  g_assert_true (mend_mail_reply_has_capability (capability, "SASL-IR", NULL));
  g_assert_false (mend_mail_reply_has_capability (capability, "STARTTLS", NULL));
  g_assert_false (mend_mail_reply_has_capability (capability, "AUTH", "OAUTHBEARER"));

  failed = parse_one (MEND_PROTOCOL_IMAP, "A3 NO AUTHENTICATE failed.");
  g_assert_cmpint (failed->kind, ==, MEND_MAIL_REPLY_FAILURE);
  g_assert_true (mend_mail_reply_is_tagged (failed));
  g_assert_cmpstr (failed->tag, ==, "A3");
  g_assert_cmpstr (failed->text, ==, "AUTHENTICATE failed.");
  g_assert_cmpstr (failed->raw, ==, "A3 NO AUTHENTICATE failed.");

  dovecot = parse_one (MEND_PROTOCOL_IMAP, "a1 NO [AUTHENTICATIONFAILED] Authentication failed.");
  g_assert_cmpstr (dovecot->status_code, ==, "AUTHENTICATIONFAILED");
  g_assert_cmpstr (dovecot->text, ==, "Authentication failed.");

  challenge = parse_one (MEND_PROTOCOL_IMAP,
                         "+ eyJzdGF0dXMiOiI0MDEiLCJzY2hlbWVzIjoiYmVhcmVyIiwic2NvcGUiOiJtYWlsIn0=");
  g_assert_cmpint (challenge->kind, ==, MEND_MAIL_REPLY_CONTINUE);
  g_assert_cmpstr (challenge->tag, ==, "+");
  g_assert_true (g_str_has_prefix (challenge->text, "eyJ"));

  bad = parse_one (MEND_PROTOCOL_IMAP, "A4 BAD User is authenticated but not connected.");
  g_assert_cmpint (bad->kind, ==, MEND_MAIL_REPLY_BAD);

  bye = parse_one (MEND_PROTOCOL_IMAP, "* BYE Connection closed. 14");
  g_assert_cmpint (bye->kind, ==, MEND_MAIL_REPLY_BYE);

  preauth = parse_one (MEND_PROTOCOL_IMAP, "* PREAUTH [CAPABILITY IMAP4rev1] Logged in");
  g_assert_cmpint (preauth->kind, ==, MEND_MAIL_REPLY_DATA);
}

static void
test_imap_literal (void)
{
  const char *exact[] = { "* LIST () \"/\" {5}", "INBOX", NULL };
  const char *inside[] = { "* LIST () {6}", "ab", "cd \"/\" x", NULL };
  const char *at_cr[] = { "* LIST () {5}", "abc", " \"/\" x", NULL };
  const char *two[] = { "* LIST () {3}", "\"/\" {2}", "ab", NULL };
  const char *empty[] = { "* LIST () \"/\" {0}", "", NULL };
  g_autoptr(MendMailReply) reply = NULL;
  g_autoptr(MendMailReplyParser) parser = mend_mail_reply_parser_new (MEND_PROTOCOL_IMAP);
  g_autoptr(GError) error = NULL;

  /* The literal's bytes are skipped; the reply ends with the line after it. */
  reply = parse (MEND_PROTOCOL_IMAP, exact);
  g_assert_cmpint (reply->kind, ==, MEND_MAIL_REPLY_DATA);
  g_clear_pointer (&reply, mend_mail_reply_free);

  /* “ab\r\ncd”: the literal ends inside the second line, whose rest ends the reply. */
  reply = parse (MEND_PROTOCOL_IMAP, inside);
  g_assert_nonnull (reply);
  g_clear_pointer (&reply, mend_mail_reply_free);

  /* “abc\r”: it ends between CR and LF; the reply goes on with the next line. */
  reply = parse (MEND_PROTOCOL_IMAP, at_cr);
  g_assert_nonnull (reply);
  g_clear_pointer (&reply, mend_mail_reply_free);

  reply = parse (MEND_PROTOCOL_IMAP, two);
  g_assert_nonnull (reply);
  g_clear_pointer (&reply, mend_mail_reply_free);

  reply = parse (MEND_PROTOCOL_IMAP, empty);
  g_assert_nonnull (reply);
  g_clear_pointer (&reply, mend_mail_reply_free);

  /* A literal far larger than any answer to a probe. */
  reply = mend_mail_reply_parser_feed (parser, "* LIST () \"/\" {99999999999}", -1, &error);
  g_assert_error (error, MEND_PROBE_ERROR, MEND_PROBE_ERROR_PROTOCOL);
  g_assert_null (reply);
  g_assert_true (mend_mail_reply_parser_is_idle (parser));
}

static void
test_smtp (void)
{
  const char *ehlo[] = {
    "250-BN9PR03CA0123.outlook.office365.com Hello [203.0.113.7]",
    "250-SIZE 157286400",
    "250-PIPELINING",
    "250-DSN",
    "250-ENHANCEDSTATUSCODES",
    "250-AUTH LOGIN XOAUTH2",
    "250-8BITMIME",
    "250-BINARYMIME",
    "250-CHUNKING",
    "250 SMTPUTF8",
    NULL,
  };
  const char *before_tls[] = {
    "250-BN9PR03CA0123.outlook.office365.com Hello [203.0.113.7]",
    "250-SIZE 157286400",
    "250-STARTTLS",
    "250 8BITMIME",
    NULL,
  };
  const char *old_style[] = { "250-mail.example.com", "250 AUTH=LOGIN XOAUTH2", NULL };
  g_autoptr(MendMailReply) reply = NULL;

  reply = parse (MEND_PROTOCOL_SMTP, ehlo);
  g_assert_cmpint (reply->kind, ==, MEND_MAIL_REPLY_OK);
  g_assert_cmpuint (reply->code, ==, 250);
  g_assert_cmpuint (g_strv_length (reply->lines), ==, 10);
  g_assert_true (mend_mail_reply_has_capability (reply, "AUTH", "XOAUTH2"));
  g_assert_false (mend_mail_reply_has_capability (reply, "AUTH", "PLAIN"));
  g_assert_false (mend_mail_reply_has_capability (reply, "STARTTLS", NULL));
  /* The greeting line is not an extension, even when a word of it looks like one. */
  g_assert_false (mend_mail_reply_has_capability (reply, "BN9PR03CA0123.outlook.office365.com",
                                                  NULL));
  g_clear_pointer (&reply, mend_mail_reply_free);

  reply = parse (MEND_PROTOCOL_SMTP, before_tls);
  g_assert_true (mend_mail_reply_has_capability (reply, "STARTTLS", NULL));
  g_assert_false (mend_mail_reply_has_capability (reply, "AUTH", "XOAUTH2"));
  g_clear_pointer (&reply, mend_mail_reply_free);

  reply = parse (MEND_PROTOCOL_SMTP, old_style);
  g_assert_true (mend_mail_reply_has_capability (reply, "AUTH", "XOAUTH2"));
  g_assert_true (mend_mail_reply_has_capability (reply, "AUTH", "LOGIN"));
  g_clear_pointer (&reply, mend_mail_reply_free);

  reply = parse_one (MEND_PROTOCOL_SMTP,
                     "535 5.7.139 Authentication unsuccessful, SmtpClientAuthentication is "
                     "disabled for the Tenant. Visit https://aka.ms/smtp_auth_disabled for more "
                     "information. [SN4PR0501CA0054.namprd05.prod.outlook.com]");
  g_assert_cmpint (reply->kind, ==, MEND_MAIL_REPLY_FAILURE);
  g_assert_cmpuint (reply->code, ==, 535);
  g_assert_cmpstr (reply->status_code, ==, "5.7.139");
  g_clear_pointer (&reply, mend_mail_reply_free);

  reply = parse_one (MEND_PROTOCOL_SMTP, "334 eyJzdGF0dXMiOiI0MDEifQ==");
  g_assert_cmpint (reply->kind, ==, MEND_MAIL_REPLY_CONTINUE);
  g_assert_cmpstr (reply->text, ==, "eyJzdGF0dXMiOiI0MDEifQ==");
  g_assert_null (reply->status_code);
  g_clear_pointer (&reply, mend_mail_reply_free);

  reply = parse_one (MEND_PROTOCOL_SMTP, "220");
  g_assert_cmpint (reply->kind, ==, MEND_MAIL_REPLY_OK);
  g_assert_cmpstr (reply->text, ==, "");
}

static void
test_pop (void)
{
  g_autoptr(MendMailReplyParser) parser = mend_mail_reply_parser_new (MEND_PROTOCOL_POP3);
  const char *capa[] = { "+OK", "TOP", "UIDL", "SASL PLAIN XOAUTH2", "USER", "..dotted", ".",
                         NULL };
  g_autoptr(MendMailReply) reply = NULL;
  g_autoptr(GError) error = NULL;

  reply = parse_one (MEND_PROTOCOL_POP3,
                     "+OK The Microsoft Exchange POP3 service is ready. [UABSADAA]");
  g_assert_cmpint (reply->kind, ==, MEND_MAIL_REPLY_OK);
  g_clear_pointer (&reply, mend_mail_reply_free);

  reply = parse_one (MEND_PROTOCOL_POP3,
                     "-ERR Authentication failure: unknown user name or bad password.");
  g_assert_cmpint (reply->kind, ==, MEND_MAIL_REPLY_FAILURE);
  g_assert_cmpstr (reply->text, ==, "Authentication failure: unknown user name or bad password.");
  g_clear_pointer (&reply, mend_mail_reply_free);

  reply = parse_one (MEND_PROTOCOL_POP3, "-ERR [IN-USE] Mailbox locked by another session");
  g_assert_cmpstr (reply->status_code, ==, "IN-USE");
  g_clear_pointer (&reply, mend_mail_reply_free);

  reply = parse_one (MEND_PROTOCOL_POP3, "+ ");
  g_assert_cmpint (reply->kind, ==, MEND_MAIL_REPLY_CONTINUE);
  g_assert_cmpstr (reply->text, ==, "");
  g_clear_pointer (&reply, mend_mail_reply_free);

  /* CAPA's list, up to the lone dot, with the dot-stuffing undone. */
  mend_mail_reply_parser_expect_lines (parser);
  for (guint i = 0; capa[i] != NULL; i++)
    {
      g_assert_null (reply);
      reply = mend_mail_reply_parser_feed (parser, capa[i], -1, &error);
      g_assert_no_error (error);
      if (capa[i + 1] != NULL)
        g_assert_false (mend_mail_reply_parser_is_idle (parser));
    }
  g_assert_nonnull (reply);
  g_assert_cmpuint (g_strv_length (reply->lines), ==, 5);
  g_assert_cmpstr (reply->lines[4], ==, ".dotted");
  g_assert_true (mend_mail_reply_has_capability (reply, "SASL", "XOAUTH2"));
  g_assert_true (mend_mail_reply_has_capability (reply, "USER", NULL));
  g_assert_false (mend_mail_reply_has_capability (reply, "STLS", NULL));
  g_clear_pointer (&reply, mend_mail_reply_free);

  /* A refused CAPA has no list. */
  mend_mail_reply_parser_expect_lines (parser);
  reply = mend_mail_reply_parser_feed (parser, "-ERR unknown command", -1, &error);
  g_assert_no_error (error);
  g_assert_nonnull (reply);
  g_assert_true (mend_mail_reply_parser_is_idle (parser));
}

static void
test_garbage (void)
{
  static const struct {
    MendProtocol  protocol;
    const char   *line;
  } cases[] = {
    { MEND_PROTOCOL_IMAP, "" },
    { MEND_PROTOCOL_IMAP, "HTTP/1.1 400 Bad Request" },
    { MEND_PROTOCOL_IMAP, "A1" },
    { MEND_PROTOCOL_IMAP, "A1 MAYBE so" },
    { MEND_PROTOCOL_IMAP, "A1 BYE tagged byes do not exist" },
    { MEND_PROTOCOL_IMAP, "(A1) OK" },
    { MEND_PROTOCOL_IMAP, "*OK no space" },
    { MEND_PROTOCOL_SMTP, "" },
    { MEND_PROTOCOL_SMTP, "hello" },
    { MEND_PROTOCOL_SMTP, "25" },
    { MEND_PROTOCOL_SMTP, "2500 too long" },
    { MEND_PROTOCOL_SMTP, "199 too low" },
    { MEND_PROTOCOL_SMTP, "600 too high" },
    { MEND_PROTOCOL_SMTP, "260 bad second digit" },
    { MEND_PROTOCOL_POP3, "" },
    { MEND_PROTOCOL_POP3, "OK" },
    { MEND_PROTOCOL_POP3, "+OKAY" },
    { MEND_PROTOCOL_POP3, "-ERROR" },
    { MEND_PROTOCOL_POP3, "* OK IMAP greeting on the POP port" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(MendMailReplyParser) parser = mend_mail_reply_parser_new (cases[i].protocol);
      g_autoptr(MendMailReply) reply = NULL;
      g_autoptr(GError) error = NULL;

      g_test_message ("“%s”", cases[i].line);
      reply = mend_mail_reply_parser_feed (parser, cases[i].line, -1, &error);
      g_assert_error (error, MEND_PROBE_ERROR, MEND_PROBE_ERROR_PROTOCOL);
      g_assert_null (reply);
      g_assert_true (g_utf8_validate (error->message, -1, NULL));
    }
}

static void
test_smtp_mixed_codes (void)
{
  g_autoptr(MendMailReplyParser) parser = mend_mail_reply_parser_new (MEND_PROTOCOL_SMTP);
  g_autoptr(MendMailReply) reply = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_null (mend_mail_reply_parser_feed (parser, "250-first", -1, &error));
  g_assert_no_error (error);
  reply = mend_mail_reply_parser_feed (parser, "550 second", -1, &error);
  g_assert_error (error, MEND_PROBE_ERROR, MEND_PROBE_ERROR_PROTOCOL);
  g_assert_null (reply);

  /* The parser starts again after an error. */
  g_clear_error (&error);
  reply = mend_mail_reply_parser_feed (parser, "250 ok", -1, &error);
  g_assert_no_error (error);
  g_assert_nonnull (reply);
}

static void
test_too_many_lines (void)
{
  g_autoptr(MendMailReplyParser) smtp = mend_mail_reply_parser_new (MEND_PROTOCOL_SMTP);
  g_autoptr(MendMailReplyParser) pop = mend_mail_reply_parser_new (MEND_PROTOCOL_POP3);
  g_autoptr(GError) error = NULL;
  guint i;

  for (i = 0; i < 10000 && error == NULL; i++)
    g_assert_null (mend_mail_reply_parser_feed (smtp, "250-again", -1, &error));
  g_assert_error (error, MEND_PROBE_ERROR, MEND_PROBE_ERROR_PROTOCOL);
  g_assert_cmpuint (i, ==, MEND_MAIL_REPLY_MAX_LINES + 1);
  g_clear_error (&error);

  mend_mail_reply_parser_expect_lines (pop);
  g_assert_null (mend_mail_reply_parser_feed (pop, "+OK", -1, &error));
  for (i = 0; i < 10000 && error == NULL; i++)
    g_assert_null (mend_mail_reply_parser_feed (pop, "CAPABILITY", -1, &error));
  g_assert_error (error, MEND_PROBE_ERROR, MEND_PROBE_ERROR_PROTOCOL);
}

static void
test_binary (void)
{
  static const char line[] = "* OK \xff\xfe\0hidden \xc3";
  g_autoptr(MendMailReplyParser) parser = mend_mail_reply_parser_new (MEND_PROTOCOL_IMAP);
  g_autoptr(MendMailReply) reply = NULL;
  g_autoptr(GError) error = NULL;

  reply = mend_mail_reply_parser_feed (parser, line, sizeof line - 1, &error);
  g_assert_no_error (error);
  g_assert_true (g_utf8_validate (reply->text, -1, NULL));
  g_assert_true (g_utf8_validate (reply->raw, -1, NULL));
  /* The NUL did not cut the line. */
  g_assert_nonnull (strstr (reply->text, "hidden"));
}

typedef struct
{
  MendProtocol    protocol;
  const char     *line;
  MendProbeError  fallback;
  MendProbeError  expected;
} Classification;

static void
test_classify (void)
{
  static const Classification cases[] = {
    /* Microsoft (microsoft.md §3.4). */
    { MEND_PROTOCOL_IMAP, "A3 NO AUTHENTICATE failed.", MEND_PROBE_ERROR_PROTOCOL,
      MEND_PROBE_ERROR_TOKEN_REJECTED },
    { MEND_PROTOCOL_IMAP, "A4 BAD User is authenticated but not connected.",
      MEND_PROBE_ERROR_PROTOCOL, MEND_PROBE_ERROR_MAILBOX_NOT_CONNECTED },
    { MEND_PROTOCOL_SMTP, "535 5.7.3 Authentication unsuccessful "
      "[SN2PR00CA0018.namprd00.prod.outlook.com]", MEND_PROBE_ERROR_PROTOCOL,
      MEND_PROBE_ERROR_TOKEN_REJECTED },
    { MEND_PROTOCOL_SMTP, "535 5.7.139 Authentication unsuccessful, SmtpClientAuthentication is "
      "disabled for the Tenant. Visit https://aka.ms/smtp_auth_disabled for more information.",
      MEND_PROBE_ERROR_TOKEN_REJECTED, MEND_PROBE_ERROR_SMTP_AUTH_DISABLED },
    { MEND_PROTOCOL_SMTP, "535 5.7.139 Authentication unsuccessful, basic authentication is "
      "disabled.", MEND_PROBE_ERROR_TOKEN_REJECTED, MEND_PROBE_ERROR_BASIC_AUTH_REJECTED },
    { MEND_PROTOCOL_SMTP, "550 5.7.30 Basic authentication is not supported for Client "
      "Submission.", MEND_PROBE_ERROR_TOKEN_REJECTED, MEND_PROBE_ERROR_BASIC_AUTH_REJECTED },
    { MEND_PROTOCOL_SMTP, "504 5.7.4 Unrecognized authentication type",
      MEND_PROBE_ERROR_TOKEN_REJECTED, MEND_PROBE_ERROR_XOAUTH2_NOT_OFFERED },
    { MEND_PROTOCOL_SMTP, "421 4.3.2 The maximum number of concurrent server connections has "
      "exceeded a limit, closing transmission channel", MEND_PROBE_ERROR_SERVER_UNAVAILABLE,
      MEND_PROBE_ERROR_TOO_MANY_CONNECTIONS },
    { MEND_PROTOCOL_SMTP, "454 4.7.0 Temporary authentication failure",
      MEND_PROBE_ERROR_TOKEN_REJECTED, MEND_PROBE_ERROR_SERVER_UNAVAILABLE },
    { MEND_PROTOCOL_POP3, "-ERR Authentication failure: unknown user name or bad password.",
      MEND_PROBE_ERROR_PROTOCOL, MEND_PROBE_ERROR_TOKEN_REJECTED },
    { MEND_PROTOCOL_POP3, "-ERR Logon failure: unknown user name or bad password.",
      MEND_PROBE_ERROR_TOKEN_REJECTED, MEND_PROBE_ERROR_BASIC_AUTH_REJECTED },
    { MEND_PROTOCOL_IMAP, "A1 NO LOGIN failed.", MEND_PROBE_ERROR_TOKEN_REJECTED,
      MEND_PROBE_ERROR_BASIC_AUTH_REJECTED },
    /* Dovecot (feasibility.md §4) and others. */
    { MEND_PROTOCOL_IMAP, "a1 NO [AUTHENTICATIONFAILED] Authentication failed.",
      MEND_PROBE_ERROR_PROTOCOL, MEND_PROBE_ERROR_TOKEN_REJECTED },
    { MEND_PROTOCOL_IMAP, "a1 NO [UNAVAILABLE] Temporary authentication failure",
      MEND_PROBE_ERROR_TOKEN_REJECTED, MEND_PROBE_ERROR_SERVER_UNAVAILABLE },
    { MEND_PROTOCOL_SMTP, "535 5.7.8 Authentication failed.", MEND_PROBE_ERROR_PROTOCOL,
      MEND_PROBE_ERROR_TOKEN_REJECTED },
    { MEND_PROTOCOL_IMAP, "* BYE Maximum number of connections from user+IP exceeded "
      "(mail_max_userip_connections=10)", MEND_PROBE_ERROR_SERVER_UNAVAILABLE,
      MEND_PROBE_ERROR_TOO_MANY_CONNECTIONS },
    { MEND_PROTOCOL_IMAP, "* BYE [ALERT] Too many simultaneous connections. (Failure)",
      MEND_PROBE_ERROR_SERVER_UNAVAILABLE, MEND_PROBE_ERROR_TOO_MANY_CONNECTIONS },
    { MEND_PROTOCOL_POP3, "-ERR [IN-USE] Mailbox locked", MEND_PROBE_ERROR_TOKEN_REJECTED,
      MEND_PROBE_ERROR_TOO_MANY_CONNECTIONS },
    { MEND_PROTOCOL_POP3, "-ERR [SYS/TEMP] Try later", MEND_PROBE_ERROR_TOKEN_REJECTED,
      MEND_PROBE_ERROR_SERVER_UNAVAILABLE },
    { MEND_PROTOCOL_POP3, "-ERR [AUTH] Invalid credentials", MEND_PROBE_ERROR_PROTOCOL,
      MEND_PROBE_ERROR_TOKEN_REJECTED },
    /* Nothing telling: the fallback. */
    { MEND_PROTOCOL_IMAP, "A5 NO [NONEXISTENT] Unknown", MEND_PROBE_ERROR_PROTOCOL,
      MEND_PROBE_ERROR_PROTOCOL },
    { MEND_PROTOCOL_SMTP, "554 5.7.1 Go away", MEND_PROBE_ERROR_SERVER_UNAVAILABLE,
      MEND_PROBE_ERROR_SERVER_UNAVAILABLE },
    { MEND_PROTOCOL_SMTP, "550 5.7.1 Refused", MEND_PROBE_ERROR_TOKEN_REJECTED,
      MEND_PROBE_ERROR_TOKEN_REJECTED },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(MendMailReply) reply = parse_one (cases[i].protocol, cases[i].line);

      g_test_message ("%s", cases[i].line);
      g_assert_cmpint (mend_probe_classify_reply (reply, cases[i].fallback), ==,
                       cases[i].expected);
    }
}

static void
test_findings (void)
{
  static const struct {
    MendProbeError  code;
    MendProtocol    protocol;
    const char     *id;
  } cases[] = {
    { MEND_PROBE_ERROR_NETWORK_UNREACHABLE, MEND_PROTOCOL_IMAP, "network-unreachable" },
    { MEND_PROBE_ERROR_TLS_FAILURE, MEND_PROTOCOL_IMAP, "tls-failure" },
    { MEND_PROBE_ERROR_NO_TLS_OFFERED, MEND_PROTOCOL_SMTP, "no-tls-offered" },
    { MEND_PROBE_ERROR_TIMEOUT, MEND_PROTOCOL_IMAP, "server-timeout" },
    { MEND_PROBE_ERROR_PROTOCOL, MEND_PROTOCOL_IMAP, "protocol-error" },
    { MEND_PROBE_ERROR_XOAUTH2_NOT_OFFERED, MEND_PROTOCOL_SMTP, "xoauth2-not-offered" },
    { MEND_PROBE_ERROR_TOKEN_REJECTED, MEND_PROTOCOL_IMAP, "token-rejected" },
    { MEND_PROBE_ERROR_SCOPE_MISSING, MEND_PROTOCOL_POP3, "scope-missing" },
    { MEND_PROBE_ERROR_SMTP_AUTH_DISABLED, MEND_PROTOCOL_SMTP, "smtp-auth-disabled" },
    { MEND_PROBE_ERROR_BASIC_AUTH_REJECTED, MEND_PROTOCOL_SMTP, "basic-auth-rejected" },
    { MEND_PROBE_ERROR_MAILBOX_NOT_CONNECTED, MEND_PROTOCOL_IMAP, "mailbox-not-connected" },
    { MEND_PROBE_ERROR_ACCESS_REFUSED, MEND_PROTOCOL_IMAP, "imap-access-refused" },
    { MEND_PROBE_ERROR_ACCESS_REFUSED, MEND_PROTOCOL_POP3, "pop-access-refused" },
    { MEND_PROBE_ERROR_TOO_MANY_CONNECTIONS, MEND_PROTOCOL_IMAP, "too-many-connections" },
    { MEND_PROBE_ERROR_SERVER_UNAVAILABLE, MEND_PROTOCOL_POP3, "server-unavailable" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      for (MendTenantType tenant = MEND_TENANT_TYPE_UNKNOWN;
           tenant <= MEND_TENANT_TYPE_ORGANIZATION;
           tenant++)
        {
          g_autoptr(MendFinding) finding = NULL;

          finding = mend_probe_finding_new (cases[i].code, cases[i].protocol, tenant,
                                            "alice@contoso.com", "the server said no");
          g_assert_cmpstr (mend_finding_get_id (finding), ==, cases[i].id);
          g_assert_cmpstr (mend_probe_error_get_finding_id (cases[i].code, cases[i].protocol),
                           ==, cases[i].id);
          g_assert_cmpstr (mend_finding_get_details (finding), ==, "the server said no");
          g_assert_cmpstr (mend_finding_get_title (finding), !=, "");
          g_assert_cmpstr (mend_finding_get_explanation (finding), !=, "");
          g_assert_cmpstr (mend_finding_get_remedy (finding), !=, "");
        }
    }
}

static void
test_remedies (void)
{
  g_autoptr(MendFinding) tenant = NULL;
  g_autoptr(MendFinding) consumer = NULL;
  g_autoptr(MendFinding) imap_home = NULL;
  g_autoptr(MendFinding) imap_work = NULL;
  g_autoptr(MendFinding) imap_unknown = NULL;
  g_autoptr(MendFinding) pop_scope = NULL;

  /* The admin's fix, with the mailbox's address. */
  tenant = mend_probe_finding_new (MEND_PROBE_ERROR_SMTP_AUTH_DISABLED, MEND_PROTOCOL_SMTP,
                                   MEND_TENANT_TYPE_ORGANIZATION, "alice@contoso.com", NULL);
  g_assert_nonnull (strstr (mend_finding_get_remedy (tenant),
                            "Set-CASMailbox -Identity alice@contoso.com "
                            "-SmtpClientAuthenticationDisabled $false"));
  g_assert_nonnull (strstr (mend_finding_get_remedy (tenant), "admin center"));
  g_assert_cmpstr (mend_finding_get_link (tenant), ==, "https://aka.ms/smtp_auth_disabled");
  g_assert_null (mend_finding_get_details (tenant));

  consumer = mend_probe_finding_new (MEND_PROBE_ERROR_SMTP_AUTH_DISABLED, MEND_PROTOCOL_SMTP,
                                     MEND_TENANT_TYPE_CONSUMER, "alice@outlook.com", NULL);
  g_assert_null (strstr (mend_finding_get_remedy (consumer), "Set-CASMailbox"));

  imap_home = mend_probe_finding_new (MEND_PROBE_ERROR_ACCESS_REFUSED, MEND_PROTOCOL_IMAP,
                                      MEND_TENANT_TYPE_CONSUMER, "alice@outlook.com", NULL);
  g_assert_nonnull (strstr (mend_finding_get_remedy (imap_home), "Forwarding and IMAP"));
  g_assert_nonnull (strstr (mend_finding_get_remedy (imap_home), "use IMAP"));
  g_assert_null (strstr (mend_finding_get_remedy (imap_home), "Set-CASMailbox"));

  imap_work = mend_probe_finding_new (MEND_PROBE_ERROR_ACCESS_REFUSED, MEND_PROTOCOL_IMAP,
                                      MEND_TENANT_TYPE_ORGANIZATION, "bob@contoso.com", NULL);
  g_assert_nonnull (strstr (mend_finding_get_remedy (imap_work),
                            "Set-CASMailbox -Identity bob@contoso.com -ImapEnabled $true"));
  g_assert_null (strstr (mend_finding_get_remedy (imap_work), "Forwarding and IMAP"));

  imap_unknown = mend_probe_finding_new (MEND_PROBE_ERROR_ACCESS_REFUSED, MEND_PROTOCOL_IMAP,
                                         MEND_TENANT_TYPE_UNKNOWN, "carol@example.com", NULL);
  g_assert_nonnull (strstr (mend_finding_get_remedy (imap_unknown), "Forwarding and IMAP"));
  g_assert_nonnull (strstr (mend_finding_get_remedy (imap_unknown), "-ImapEnabled"));

  pop_scope = mend_probe_finding_new (MEND_PROBE_ERROR_SCOPE_MISSING, MEND_PROTOCOL_POP3,
                                      MEND_TENANT_TYPE_CONSUMER, "dave@hotmail.com", NULL);
  g_assert_nonnull (strstr (mend_finding_get_remedy (pop_scope),
                            "mailmend signin --pop dave@hotmail.com"));
  g_assert_nonnull (strstr (mend_finding_get_title (pop_scope), "POP"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_set_prgname ("test-mail-reply");

  g_test_add_func ("/mail-reply/imap", test_imap);
  g_test_add_func ("/mail-reply/imap-literal", test_imap_literal);
  g_test_add_func ("/mail-reply/smtp", test_smtp);
  g_test_add_func ("/mail-reply/smtp-mixed-codes", test_smtp_mixed_codes);
  g_test_add_func ("/mail-reply/pop", test_pop);
  g_test_add_func ("/mail-reply/garbage", test_garbage);
  g_test_add_func ("/mail-reply/too-many-lines", test_too_many_lines);
  g_test_add_func ("/mail-reply/binary", test_binary);
  g_test_add_func ("/mail-reply/classify", test_classify);
  g_test_add_func ("/mail-reply/findings", test_findings);
  g_test_add_func ("/mail-reply/remedies", test_remedies);

  return g_test_run ();
}
