/* test-redact.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * mend_redact_line() on what mail clients really log: SASL strings, LOGIN
 * and PASS commands, OAuth answers and addresses, Authorization headers,
 * and on what must survive it untouched (server replies, hosts, GUIDs,
 * paths, dates).
 */

#include "config.h"

#include <string.h>

#include "mend-redact.h"

/* Fakes shaped like the real thing: an Outlook.com access token, a JWT, a
 * consumer refresh token (with its '!', '*' and '$'). */
#define ACCESS   "EwBwA8l6BAAUbDba3x2OMJElkF7gJ4zVbCPEz0AAQhmWHZ5cFpLQk1mN3RzS0hKWnNXa2hiTjlqaFZP"
#define JWT      "eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.eyJhdWQiOiJodHRwczovL291dGxvb2sifQ.U2lnbmF0dXJlXzl4MlFtWjd2UjR0TDBwVzhr"
#define REFRESH  "M.C507_BAY.0.U.-Cj3f!Akz9Qw*Lm2Rt$Yp4Vn8Bx6Ds1Ge5Hk7Jq0Wu3Zo"
#define PASSWORD "Hunter2-Correct-Horse"

static void
assert_redacted (const char *line,
                 const char *expected)
{
  g_autofree char *result = mend_redact_line (line, -1);

  g_assert_cmpstr (result, ==, expected);
}

static void
assert_unchanged (const char *line)
{
  assert_redacted (line, line);
}

static void
test_headers (void)
{
  assert_redacted ("> Authorization: Bearer " JWT, "> Authorization: [redacted]");
  assert_redacted ("authorization: Basic YWxpY2U6aHVudGVyMg== and more",
                   "authorization: [redacted]");
  assert_redacted ("Proxy-Authorization: NTLM TlRMTVNTUAABAAAAB4IIog==",
                   "Proxy-Authorization: [redacted]");
}

static void
test_bearer (void)
{
  assert_redacted ("user=alice@outlook.com\001auth=Bearer " ACCESS "\001\001",
                   "user=alice@outlook.com auth=Bearer [redacted]");
  assert_redacted ("token type Bearer abc", "token type Bearer [redacted]");
}

static void
test_sasl (void)
{
  g_autofree char *sasl = g_base64_encode ((const guchar *) "user=alice@outlook.com\001auth=Bearer abc\001\001", 40);
  g_autofree char *imap = g_strdup_printf ("[imapx:A] I/O: 'A00001 AUTHENTICATE XOAUTH2 %s'", sasl);
  g_autofree char *smtp = g_strdup_printf ("--> AUTH XOAUTH2 %s", sasl);

  assert_redacted (imap, "[imapx:A] I/O: 'A00001 AUTHENTICATE XOAUTH2 [redacted]'");
  assert_redacted (smtp, "--> AUTH XOAUTH2 [redacted]");
  assert_redacted ("C: A1 AUTHENTICATE PLAIN AGFsaWNlAGh1bnRlcjI=",
                   "C: A1 AUTHENTICATE PLAIN [redacted]");
  assert_redacted ("IMAP command 'AUTHENTICATE XOAUTH2 dXNlcj1h' returned an error: NO AUTHENTICATE failed.",
                   "IMAP command 'AUTHENTICATE XOAUTH2 [redacted]' returned an error: NO AUTHENTICATE failed.");

  /* Replies and capability lists name mechanisms; they hold no secret. */
  assert_unchanged ("A00001 NO AUTHENTICATE failed.");
  assert_unchanged ("<-- 250-AUTH LOGIN XOAUTH2");
  assert_unchanged ("* CAPABILITY IMAP4 IMAP4rev1 AUTH=PLAIN AUTH=XOAUTH2 SASL-IR");
  assert_unchanged ("msmtp: authentication failed (method XOAUTH2)");
  assert_unchanged ("--> AUTH LOGIN");
}

static void
test_continuations (void)
{
  /* AUTH LOGIN: the user name and the password go as lines of their own. */
  assert_redacted ("--> YWxpY2VAb3V0bG9vay5jb20=", "--> [redacted]");
  assert_redacted ("--> c2VjcmV0", "--> [redacted]");
  assert_redacted ("C: dXNlcj1hbGljZQ==", "C: [redacted]");
  assert_redacted ("[SMTP] sending: aHVudGVyMg==", "[SMTP] sending: [redacted]");
  assert_redacted ("[2024-09-17 10:15:31]<2> mutt_socket_write_d() 4> aHVudGVyMg==",
                   "[2024-09-17 10:15:31]<2> mutt_socket_write_d() 4> [redacted]");

  /* Commands and challenges stay. */
  assert_unchanged ("--> QUIT");
  assert_unchanged ("--> STARTTLS");
  assert_unchanged ("C: A00000003 LOGOUT");
  assert_unchanged ("<-- 334 VXNlcm5hbWU6");
}

static void
test_login (void)
{
  assert_redacted ("C: A00000002 LOGIN \"alice@outlook.com\" \"" PASSWORD "\"",
                   "C: A00000002 LOGIN [redacted]");
  assert_redacted (">>> 2 LOGIN alice " PASSWORD, ">>> 2 LOGIN [redacted]");
  assert_redacted ("C: PASS " PASSWORD, "C: PASS [redacted]");

  assert_unchanged ("S: A00000002 NO LOGIN failed.");
  assert_unchanged ("[2024-09-17 10:15:31]<E> imap_auth_login() Login failed.");
  assert_unchanged ("* CAPABILITY IMAP4rev1 LOGINDISABLED");
  assert_unchanged ("IMAP command 'LOGIN <user> <pass>' returned an error: NO LOGIN failed.");
}

static void
test_key_values (void)
{
  assert_redacted ("password=" PASSWORD " user=alice", "password=[redacted] user=alice");
  assert_redacted ("Password: " PASSWORD, "Password: [redacted]");
  assert_redacted ("{\"access_token\":\"" ACCESS "\",\"refresh_token\": \"" REFRESH "\",\"expires_in\":3599}",
                   "{\"access_token\":\"[redacted]\",\"refresh_token\": \"[redacted]\",\"expires_in\":3599}");
  assert_redacted ("grant_type=refresh_token&refresh_token=" REFRESH "&client_id=x",
                   "grant_type=refresh_token&refresh_token=[redacted]&client_id=x");
  assert_redacted ("nativeclient?code=M.C507_BAY.2.U.abc-def&state=xyz",
                   "nativeclient?code=[redacted]&state=xyz");
  assert_redacted ("client_secret=abc~def", "client_secret=[redacted]");

  /* “code” only counts as `code=`, not in prose. */
  assert_unchanged ("error code: 535");
}

static void
test_looks_like_a_secret (void)
{
  assert_redacted ("token " ACCESS " expired", "token [redacted] expired");
  assert_redacted ("got " JWT, "got [redacted]");
  assert_redacted ("rt " REFRESH, "rt [redacted]");

  g_assert_true (mend_redact_is_secret (ACCESS, strlen (ACCESS)));
  g_assert_true (mend_redact_is_secret (JWT, strlen (JWT)));
  g_assert_false (mend_redact_is_secret ("SmtpClientAuthentication", 24));
  g_assert_false (mend_redact_is_secret ("AADSTS700082", 12));

  /* What support staff need stays readable. */
  assert_unchanged ("<-- 535 5.7.3 Authentication unsuccessful [SN2PR00CA0018.namprd00.prod.outlook.com 2024-09-17T08:20:11.108Z 08DCD6A1B2C3D4E5]");
  assert_unchanged ("Trace ID: 2b8c4f1e-9d3a-4c7b-8e6f-1a2b3c4d5e6f");
  assert_unchanged ("using account default from /home/alice/.thunderbird/K3x9wq2E.default-release/prefs.js");
  assert_unchanged ("Starting sync for account alice.martin2024@outlook.com");
  assert_unchanged ("Microsoft.Exchange.Data.Storage.ObjectNotFoundException");
  assert_unchanged ("scope https://outlook.office.com/IMAP.AccessAsUser.All offline_access");
  assert_unchanged ("feed http://127.0.0.1:8080/api/posts/m365Consumer unreachable");
  assert_unchanged ("feed https://status.cloud.microsoft/api/posts/m365Consumer");
  /* A base64 token holds slashes too, but no host before them. */
  assert_redacted ("token " ACCESS "/" ACCESS, "token [redacted]");
}

static void
test_encoding (void)
{
  const char line[] = "bad \xff\xfe bytes\r\tand\001controls\x7f";
  g_autofree char *result = mend_redact_line (line, sizeof line - 1);
  g_autofree char *with_nul = mend_redact_line ("a\0b " ACCESS, 4 + strlen (ACCESS));
  g_autofree char *text = mend_redact_text ("one " ACCESS "\ntwo\n\nthree password=x\n");

  g_assert_true (g_utf8_validate (result, -1, NULL));
  g_assert_null (strpbrk (result, "\r\001\x7f"));
  g_assert_nonnull (strstr (result, "\tand controls"));

  g_assert_true (g_utf8_validate (with_nul, -1, NULL));
  g_assert_null (strstr (with_nul, "EwBwA8"));
  g_assert_cmpstr (with_nul, ==, "a b [redacted]");

  g_assert_cmpstr (text, ==, "one [redacted]\ntwo\n\nthree password=[redacted]\n");
  g_assert_null (mend_redact_text (NULL));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_set_prgname ("test-redact");

  g_test_add_func ("/redact/headers", test_headers);
  g_test_add_func ("/redact/bearer", test_bearer);
  g_test_add_func ("/redact/sasl", test_sasl);
  g_test_add_func ("/redact/continuations", test_continuations);
  g_test_add_func ("/redact/login", test_login);
  g_test_add_func ("/redact/key-values", test_key_values);
  g_test_add_func ("/redact/looks-like-a-secret", test_looks_like_a_secret);
  g_test_add_func ("/redact/encoding", test_encoding);

  return g_test_run ();
}
