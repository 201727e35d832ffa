/* test-mbsyncrc.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <gio/gio.h>
#include <string.h>

#include "mend-mbsyncrc.h"

static GPtrArray *
parse_ok (const char *text)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *accounts = mend_mbsyncrc_parse (text, strlen (text), &error);

  g_assert_no_error (error);
  g_assert_nonnull (accounts);

  return accounts;
}

static void
assert_error (const char *text,
              guint       line)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) accounts = mend_mbsyncrc_parse (text, strlen (text), &error);
  g_autofree char *number = g_strdup_printf ("%u", line);

  g_assert_null (accounts);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
  g_assert_nonnull (strstr (error->message, number));
}

static MendMbsyncrcAccount *
account_at (GPtrArray *accounts,
            guint      index)
{
  g_assert_cmpuint (index, <, accounts->len);

  return g_ptr_array_index (accounts, index);
}

static void
test_sections (void)
{
  g_autoptr(GPtrArray) accounts = parse_ok (
    "# global options\n"
    "Create Both\n"
    "SyncState *\n"
    "\n"
    "imapaccount One\n"
    "HOST imap.example.com\n"
    "  Port 1993\n"
    "# a comment does not end the section\n"
    "User \"first \\\"user\\\"\"\n"
    "PassCmd \"gpg -d ~/pass.gpg\"\n"
    "AuthMechs XOAUTH2 PLAIN\n"
    "SSLType IMAPS\n"
    "CertificateFile ~/cert.pem\n"
    "\n"
    "Host not.in.a.section.example.com\n"
    "\n"
    "IMAPStore one-remote\n"
    "Account One\n"
    "\n"
    "MaildirStore local\n"
    "Host not.imap.example.com\n"
    "Path ~/Mail/\n"
    "\n"
    "Group all Channel1\n"
    "Channel two\n"
    "Channels three four\n"
    "\n"
    "Channel two\n"
    "Far :one-remote:\n"
    "\n"
    "IMAPStore two\n"
    "Host imap.example.org\n"
    "UserCmd \"pass user\"\n"
    "UseIMAPS yes\n"
    "TLSType None\n"
    "Pass x\n"
    "\n"
    "IMAPAccount tunnel\n"
    "Tunnel \"ssh host imapd\"\n");
  MendMbsyncrcAccount *account;

  g_assert_cmpuint (accounts->len, ==, 4);

  account = account_at (accounts, 0);
  g_assert_cmpstr (account->section, ==, "IMAPAccount");
  g_assert_cmpstr (account->name, ==, "One");
  g_assert_cmpuint (account->line, ==, 5);
  g_assert_cmpstr (account->host, ==, "imap.example.com");
  g_assert_cmpuint (account->port, ==, 1993);
  g_assert_cmpstr (account->user, ==, "first \"user\"");
  g_assert_false (account->user_command);
  g_assert_true (account->has_password);
  g_assert_cmpstr (account->auth_mechs, ==, "XOAUTH2 PLAIN");
  g_assert_cmpstr (account->tls_type, ==, "IMAPS");
  g_assert_null (account->account);

  account = account_at (accounts, 1);
  g_assert_cmpstr (account->section, ==, "IMAPStore");
  g_assert_cmpstr (account->account, ==, "One");
  g_assert_null (account->host);

  account = account_at (accounts, 2);
  g_assert_cmpstr (account->section, ==, "IMAPStore");
  g_assert_cmpstr (account->host, ==, "imap.example.org");
  g_assert_null (account->user);
  g_assert_true (account->user_command);
  g_assert_true (account->use_imaps);
  g_assert_cmpstr (account->tls_type, ==, "None");
  g_assert_true (account->has_password);

  account = account_at (accounts, 3);
  g_assert_true (account->tunnel);
  g_assert_null (account->host);
}

static void
test_errors (void)
{
  assert_error ("IMAPAccount\n", 1);
  assert_error ("IMAPAccount a\nHost\n", 2);
  assert_error ("IMAPAccount a\nPort imaps\n", 2);
  assert_error ("IMAPAccount a\nPort 0\n", 2);
  assert_error ("IMAPAccount a\nUser \"open\n", 2);
  assert_error ("IMAPAccount a\n\nUser trailing\\", 3);
}

static void
test_binary_and_truncated (void)
{
  const char binary[] = "IMAPAccount a\nHost x\n\0\0\377";
  const char *full = "IMAPAccount work\nHost outlook.office365.com\nUser \"me@example.com\"\n"
                     "SSLType IMAPS\n";
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) accounts = mend_mbsyncrc_parse (binary, sizeof binary - 1, &error);

  g_assert_null (accounts);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);

  for (gsize n = 0; n <= strlen (full); n++)
    {
      g_autoptr(GError) prefix_error = NULL;
      g_autoptr(GPtrArray) prefix = mend_mbsyncrc_parse (full, n, &prefix_error);

      g_assert_true ((prefix == NULL) == (prefix_error != NULL));
    }

  for (guint seed = 0; seed < 200; seed++)
    {
      g_autoptr(GRand) rand = g_rand_new_with_seed (seed);
      g_autoptr(GError) random_error = NULL;
      g_autoptr(GPtrArray) random = NULL;
      const char alphabet[] = "IMAPAccount IMAPStore Group Channel Host Port User \"\\#\n\t 0123";
      char buffer[512];
      gsize length = g_rand_int_range (rand, 0, sizeof buffer);

      for (gsize i = 0; i < length; i++)
        buffer[i] = seed % 2 ? (char) g_rand_int_range (rand, 1, 256)
                             : alphabet[g_rand_int_range (rand, 0, sizeof alphabet - 1)];

      random = mend_mbsyncrc_parse (buffer, length, &random_error);
      g_assert_true ((random == NULL) == (random_error != NULL));
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_set_prgname ("test-mbsyncrc");

  g_test_add_func ("/mbsyncrc/sections", test_sections);
  g_test_add_func ("/mbsyncrc/errors", test_errors);
  g_test_add_func ("/mbsyncrc/binary-and-truncated", test_binary_and_truncated);

  return g_test_run ();
}
