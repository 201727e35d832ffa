/* test-msmtprc.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <gio/gio.h>
#include <string.h>

#include "mend-msmtprc.h"

static GPtrArray *
parse_ok (const char *text)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *accounts = mend_msmtprc_parse (text, strlen (text), &error);

  g_assert_no_error (error);
  g_assert_nonnull (accounts);

  return accounts;
}

static void
assert_error (const char *text,
              guint       line)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) accounts = mend_msmtprc_parse (text, strlen (text), &error);
  g_autofree char *prefix = NULL;

  g_assert_null (accounts);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
  if (line > 0)
    {
      prefix = g_strdup_printf ("%u", line);
      g_assert_nonnull (strstr (error->message, prefix));
    }
}

static MendMsmtprcAccount *
account_at (GPtrArray *accounts,
            guint      index)
{
  g_assert_cmpuint (index, <, accounts->len);

  return g_ptr_array_index (accounts, index);
}

static void
test_accounts (void)
{
  g_autoptr(GPtrArray) accounts = parse_ok (
    "# comment\n"
    "  # indented comment\n"
    "defaults\n"
    "auth on\n"
    "tls on\r\n"
    "port 587\n"
    "\n"
    "account first\n"
    "host smtp.example.com\n"
    "user \"  spaced user  \"\n"
    "from first@example.com\n"
    "password secret # not a comment\n"
    "\n"
    "defaults\n"
    "tls_starttls off\n"
    "\n"
    "account second : first\n"
    "host other.example.com\n"
    "port 465\n"
    "auth xoauth2\n"
    "passwordeval \"mailmend token\"\n"
    "\n"
    "account third\n"
    "host third.example.com\n"
    "tls_nostarttls\n"
    "auth off\n"
    "tls off\n"
    "\n"
    "account default : second\n"
    "account empty\n"
    "account   spaced   :   first ,second  \n"
    "auth PLAIN\n"
    "frobnicate whatever\n");
  MendMsmtprcAccount *account;

  g_assert_cmpuint (accounts->len, ==, 6);

  account = account_at (accounts, 0);
  g_assert_cmpstr (account->name, ==, "first");
  g_assert_cmpuint (account->line, ==, 8);
  g_assert_cmpstr (account->host, ==, "smtp.example.com");
  g_assert_cmpuint (account->port, ==, 587);
  g_assert_true (account->tls);
  g_assert_true (account->tls_starttls);
  g_assert_cmpstr (account->auth, ==, "");
  g_assert_cmpstr (account->user, ==, "  spaced user  ");
  g_assert_cmpstr (account->from, ==, "first@example.com");
  g_assert_true (account->has_password);
  g_assert_false (account->alias);

  /* Defaults at the time, then what the parent set, then its own. */
  account = account_at (accounts, 1);
  g_assert_cmpstr (account->name, ==, "second");
  g_assert_cmpstr (account->host, ==, "other.example.com");
  g_assert_cmpuint (account->port, ==, 465);
  g_assert_false (account->tls_starttls);
  g_assert_cmpstr (account->auth, ==, "xoauth2");
  g_assert_cmpstr (account->user, ==, "  spaced user  ");
  g_assert_true (account->has_password);

  account = account_at (accounts, 2);
  g_assert_cmpstr (account->name, ==, "third");
  g_assert_false (account->tls);
  g_assert_false (account->tls_starttls);
  g_assert_null (account->auth);
  g_assert_null (account->user);
  g_assert_false (account->has_password);

  account = account_at (accounts, 3);
  g_assert_cmpstr (account->name, ==, "default");
  g_assert_true (account->alias);
  g_assert_cmpstr (account->host, ==, "other.example.com");

  /* No parents, no commands: not an alias, and no host. */
  account = account_at (accounts, 4);
  g_assert_cmpstr (account->name, ==, "empty");
  g_assert_false (account->alias);
  g_assert_null (account->host);

  account = account_at (accounts, 5);
  g_assert_cmpstr (account->name, ==, "spaced");
  g_assert_cmpstr (account->host, ==, "other.example.com");
  g_assert_cmpstr (account->auth, ==, "plain");
  g_assert_false (account->alias);
}

static void
test_implicit_default (void)
{
  g_autoptr(GPtrArray) accounts = parse_ok ("host smtp.example.com\nauth login");
  MendMsmtprcAccount *account = account_at (accounts, 0);

  g_assert_cmpuint (accounts->len, ==, 1);
  g_assert_cmpstr (account->name, ==, "default");
  g_assert_cmpstr (account->host, ==, "smtp.example.com");
  g_assert_cmpstr (account->auth, ==, "login");
  g_assert_false (account->tls);
}

static void
test_errors (void)
{
  assert_error ("defaults now\n", 1);
  assert_error ("account\n", 1);
  assert_error ("account a\naccount a\n", 2);
  assert_error ("account a : b\n", 1);
  assert_error ("account a : \n", 1);
  assert_error ("account a,b\n", 1);
  assert_error ("account a\nhost\n", 2);
  assert_error ("account a\nport smtp\n", 2);
  assert_error ("account a\nport 0\n", 2);
  assert_error ("account a\nport 70000\n", 2);
  assert_error ("account a\ntls maybe\n", 2);
  assert_error ("account a\ntls_starttls yes\n", 2);
  assert_error ("account a\nauth \"on off\"\n", 2);
}

static void
test_binary (void)
{
  const char text[] = "account a\nhost smtp.example.com\n\0\1\2\377";
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) accounts = mend_msmtprc_parse (text, sizeof text - 1, &error);

  g_assert_null (accounts);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
}

static void
test_truncated (void)
{
  const char *full = "defaults\ntls on\naccount work : \nhost smtp.example.com\nport 587\n";

  /* Every prefix either parses or is refused with an error: never a crash. */
  for (gsize n = 0; n <= strlen (full); n++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GPtrArray) accounts = mend_msmtprc_parse (full, n, &error);

      g_assert_true ((accounts == NULL) == (error != NULL));
    }

  for (guint seed = 0; seed < 200; seed++)
    {
      g_autoptr(GRand) rand = g_rand_new_with_seed (seed);
      g_autoptr(GError) error = NULL;
      g_autoptr(GPtrArray) accounts = NULL;
      const char alphabet[] = "account defaults host port tls auth on off :,\"#\n\t 0123456789";
      char buffer[512];
      gsize length = g_rand_int_range (rand, 0, sizeof buffer);

      for (gsize i = 0; i < length; i++)
        buffer[i] = seed % 2 ? (char) g_rand_int_range (rand, 1, 256)
                             : alphabet[g_rand_int_range (rand, 0, sizeof alphabet - 1)];

      accounts = mend_msmtprc_parse (buffer, length, &error);
      g_assert_true ((accounts == NULL) == (error != NULL));
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_set_prgname ("test-msmtprc");

  g_test_add_func ("/msmtprc/accounts", test_accounts);
  g_test_add_func ("/msmtprc/implicit-default", test_implicit_default);
  g_test_add_func ("/msmtprc/errors", test_errors);
  g_test_add_func ("/msmtprc/binary", test_binary);
  g_test_add_func ("/msmtprc/truncated", test_truncated);

  return g_test_run ();
}
