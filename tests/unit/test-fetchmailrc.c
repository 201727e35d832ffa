/* test-fetchmailrc.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <gio/gio.h>
#include <string.h>

#include "mend-fetchmailrc.h"

static GPtrArray *
parse_ok (const char *text)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *accounts = mend_fetchmailrc_parse (text, strlen (text), &error);

  g_assert_no_error (error);
  g_assert_nonnull (accounts);

  return accounts;
}

static void
assert_error (const char *text,
              guint       line)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) accounts = mend_fetchmailrc_parse (text, strlen (text), &error);
  g_autofree char *number = g_strdup_printf ("%u", line);

  g_assert_null (accounts);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
  g_assert_nonnull (strstr (error->message, number));
}

static MendFetchmailrcAccount *
account_at (GPtrArray *accounts,
            guint      index)
{
  g_assert_cmpuint (index, <, accounts->len);

  return g_ptr_array_index (accounts, index);
}

static void
test_entries (void)
{
  g_autoptr(GPtrArray) accounts = parse_ok (
    "# global settings\n"
    "set daemon 600\n"
    "set daemon = 600\n"
    "set logfile = \"/var/log/fetchmail\"\n"
    "set no syslog\n"
    "set invisible\n"
    "\n"
    "defaults proto pop3 port 1110 ssl nokeep\n"
    "\n"
    "poll mail.example.com\n"
    "  user keep there, with pass password; is local here\n"
    "  no ssl\n"
    "\n"
    "server other.example.com via 192.0.2.1 with protocol IMAP service imaps\n"
    "  auth\n"
    "  password\n"
    "  user \"a\\x41b\" pass 'x'\n"
    "  user local1 local2 here is \"remote\" there options fetchall\n"
    "  sslproto auto\n"
    "skip third.example.com proto APOP auth kerberos_v5 user 'me' sslproto ''\n"
    "poll fourth.example.com aka a b c localdomains example.com envelope 2 X-Envelope-To\n"
    "  timeout 60 interval 2 no dns no envelope bad-header accept\n"
    "  folder INBOX Sent smtp localhost antispam 571 550 mda \"procmail -d %T\"\n"
    "poll fifth.example.com proto etrn\n");
  MendFetchmailrcAccount *account;

  g_assert_cmpuint (accounts->len, ==, 6);

  /* After `user` and `pass`, keywords are names; nokeep is no keep. */
  account = account_at (accounts, 0);
  g_assert_cmpstr (account->label, ==, "mail.example.com");
  g_assert_false (account->skip);
  g_assert_cmpuint (account->line, ==, 10);
  g_assert_cmpstr (account->protocol, ==, "pop3");
  g_assert_cmpuint (account->port, ==, 1110);
  g_assert_cmpstr (account->user, ==, "keep");
  g_assert_true (account->has_password);
  g_assert_false (account->ssl);
  g_assert_null (account->via);

  /* auth password across lines; \x41 escape; service name; two users. */
  account = account_at (accounts, 1);
  g_assert_cmpstr (account->label, ==, "other.example.com");
  g_assert_cmpstr (account->via, ==, "192.0.2.1");
  g_assert_cmpstr (account->protocol, ==, "imap");
  g_assert_cmpuint (account->port, ==, 993);
  g_assert_cmpstr (account->service, ==, "imaps");
  g_assert_cmpstr (account->auth, ==, "password");
  g_assert_cmpstr (account->user, ==, "aAb");
  g_assert_true (account->has_password);
  g_assert_true (account->ssl);

  account = account_at (accounts, 2);
  g_assert_cmpstr (account->user, ==, "remote");
  g_assert_false (account->has_password);
  g_assert_cmpstr (account->sslproto, ==, "auto");
  g_assert_cmpstr (account->auth, ==, "password");
  g_assert_cmpuint (account->port, ==, 993);

  account = account_at (accounts, 3);
  g_assert_true (account->skip);
  g_assert_cmpstr (account->protocol, ==, "apop");
  g_assert_cmpstr (account->auth, ==, "kerberos_v5");
  g_assert_cmpstr (account->user, ==, "me");
  g_assert_cmpstr (account->sslproto, ==, "");

  /* No user: the local user's own name. */
  account = account_at (accounts, 4);
  g_assert_cmpstr (account->label, ==, "fourth.example.com");
  g_assert_null (account->user);
  g_assert_cmpstr (account->protocol, ==, "pop3");

  account = account_at (accounts, 5);
  g_assert_cmpstr (account->protocol, ==, "etrn");
}

static void
test_oauth (void)
{
  g_autoptr(GPtrArray) accounts = parse_ok (
    "poll outlook.office365.com protocol imap auth oauthbearer\n"
    "  user 'me@example.com' passwordfile \"/run/user/1000/token\" ssl\n"
    "poll outlook.office365.com protocol imap auth xoauth2 user other\n");

  g_assert_cmpuint (accounts->len, ==, 2);
  g_assert_cmpstr (account_at (accounts, 0)->auth, ==, "oauthbearer");
  g_assert_true (account_at (accounts, 0)->has_password);
  g_assert_cmpstr (account_at (accounts, 1)->auth, ==, "xoauth2");
}

static void
test_errors (void)
{
  assert_error ("frobnicate\n", 1);
  assert_error ("set\n", 1);
  assert_error ("set nothing\n", 1);
  assert_error ("set daemon\n", 1);
  assert_error ("set no logfile\n", 1);
  assert_error ("poll\n", 1);
  assert_error ("poll keep\n", 1);
  assert_error ("poll 12345\n", 1);
  assert_error ("poll a.example.com\n  proto smtp\n", 2);
  assert_error ("poll a.example.com auth magic\n", 1);
  assert_error ("poll a.example.com\n\n  port imap\n", 3);
  assert_error ("poll a.example.com port 99999\n", 1);
  assert_error ("poll a.example.com user\n", 1);
  assert_error ("poll a.example.com user x pass\n", 1);
  assert_error ("poll a.example.com user x y there\n", 1);
  assert_error ("poll a.example.com user x\n  frobnicate\n", 2);
  assert_error ("poll a.example.com no frobnicate\n", 1);
  assert_error ("poll a.example.com user x is\n", 1);
  assert_error ("poll a.example.com envelope\n", 1);
  assert_error ("poll a.example.com bad-header maybe\n", 1);
}

static void
test_binary_and_truncated (void)
{
  const char binary[] = "poll a.example.com\n\0\0\377";
  const char *full = "set daemon 60\ndefaults proto imap\n"
                     "poll outlook.office365.com proto pop3 user 'me@example.com' pass \"x\" ssl\n";
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) accounts = mend_fetchmailrc_parse (binary, sizeof binary - 1, &error);

  g_assert_null (accounts);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);

  /* An unterminated quote reads as a bare word, as in fetchmail's lexer. */
  {
    g_autoptr(GPtrArray) open = parse_ok ("poll a.example.com user \"open\n");

    g_assert_cmpstr (account_at (open, 0)->user, ==, "\"open");
  }

  for (gsize n = 0; n <= strlen (full); n++)
    {
      g_autoptr(GError) prefix_error = NULL;
      g_autoptr(GPtrArray) prefix = mend_fetchmailrc_parse (full, n, &prefix_error);

      g_assert_true ((prefix == NULL) == (prefix_error != NULL));
    }

  for (guint seed = 0; seed < 300; seed++)
    {
      g_autoptr(GRand) rand = g_rand_new_with_seed (seed);
      g_autoptr(GError) random_error = NULL;
      g_autoptr(GPtrArray) random = NULL;
      const char *words[] = {
        "poll ", "skip ", "defaults ", "set ", "user ", "pass ", "is ", "here ", "there ",
        "no ", "nokeep ", "auth ", "password ", "proto ", "imap ", "port ", "993 ", "ssl ",
        "\"q\" ", "'", "\"", "\\", "\n", "# c\n", "= ", "; ", "via ", "x.example.com ",
        "sslproto ", "envelope ", "aka ", "daemon ",
      };
      g_autoptr(GString) text = g_string_new (NULL);
      guint count = g_rand_int_range (rand, 0, 60);

      for (guint i = 0; i < count; i++)
        g_string_append (text, words[g_rand_int_range (rand, 0, G_N_ELEMENTS (words))]);

      random = mend_fetchmailrc_parse (text->str, text->len, &random_error);
      g_assert_true ((random == NULL) == (random_error != NULL));
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_set_prgname ("test-fetchmailrc");

  g_test_add_func ("/fetchmailrc/entries", test_entries);
  g_test_add_func ("/fetchmailrc/oauth", test_oauth);
  g_test_add_func ("/fetchmailrc/errors", test_errors);
  g_test_add_func ("/fetchmailrc/binary-and-truncated", test_binary_and_truncated);

  return g_test_run ();
}
