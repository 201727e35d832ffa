/* test-client-fetchmail.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "mend-test-scan.h"

static void
assert_server (MendAccount  *account,
               MendProtocol  protocol,
               const char   *username,
               const char   *host,
               guint         port,
               MendSecurity  security,
               MendAuth      auth)
{
  g_assert_cmpstr (mend_account_get_client (account), ==, "fetchmail");
  g_assert_cmpint (mend_account_get_protocol (account), ==, protocol);
  g_assert_cmpstr (mend_account_get_username (account), ==, username);
  g_assert_cmpstr (mend_account_get_host (account), ==, host);
  g_assert_cmpuint (mend_account_get_port (account), ==, port);
  g_assert_cmpint (mend_account_get_security (account), ==, security);
  g_assert_cmpint (mend_account_get_auth (account), ==, auth);
  g_assert_null (mend_account_get_client_version (account));
  g_assert_null (mend_account_get_profile (account));
  g_assert_false (mend_account_has_finding (account, "client-running"));
  g_assert_false (mend_account_has_finding (account, "legacy-host"));
}

static void
test_fetchmail_home (void)
{
  g_autoptr(MendTestScan) scan = mend_test_scan_new ("fetchmail-home");
  g_autoptr(GPtrArray) accounts = NULL;
  g_autofree char *source = NULL;
  MendAccount *account;

  mend_test_scan_run (scan);
  accounts = mend_test_scan_accounts (scan, "fetchmail");

  g_assert_cmpuint (accounts->len, ==, 5);
  g_assert_cmpuint (mend_test_scan_count (scan, NULL), ==, 5);
  g_assert_cmpuint (mend_scan_context_get_findings (scan->context)->len, ==, 0);
  source = mend_test_scan_path (scan, ".fetchmailrc");
  for (guint i = 0; i < accounts->len; i++)
    g_assert_cmpstr (mend_account_get_source (g_ptr_array_index (accounts, i)), ==, source);

  /* Stable fetchmail has no OAuth: a Microsoft password account cannot be switched. */
  account = mend_test_scan_find (scan, "fetchmail", "alex@contoso.onmicrosoft.com",
                                 MEND_PROTOCOL_POP3);
  assert_server (account, MEND_PROTOCOL_POP3, "alex@contoso.onmicrosoft.com",
                 "outlook.office365.com", 995, MEND_SECURITY_TLS, MEND_AUTH_PASSWORD);
  g_assert_cmpstr (mend_account_get_key (account), ==,
                   "poll outlook.office365.com user alex@contoso.onmicrosoft.com");
  g_assert_true (mend_account_has_finding (account, "pop3-in-use"));
  g_assert_true (mend_account_has_finding (account, "basic-auth"));
  g_assert_true (mend_account_has_finding (account, "no-oauth-path"));

  /* fetchmail 7's auth oauthbearer, through `via`. */
  account = mend_test_scan_find (scan, "fetchmail", "sam@outlook.com", MEND_PROTOCOL_IMAP);
  assert_server (account, MEND_PROTOCOL_IMAP, "sam@outlook.com", "outlook.office365.com", 993,
                 MEND_SECURITY_TLS, MEND_AUTH_OAUTH2);
  g_assert_true (mend_account_has_finding (account, "oauth-ready"));
  g_assert_false (mend_account_has_finding (account, "no-oauth-path"));

  /* proto imap from defaults; STARTTLS when the server offers it. */
  account = mend_test_scan_find_by_key (scan, "fetchmail", "poll imap.example.com user robin");
  assert_server (account, MEND_PROTOCOL_IMAP, "robin", "imap.example.com", 143,
                 MEND_SECURITY_STARTTLS, MEND_AUTH_PASSWORD);
  g_assert_null (mend_account_get_address (account));
  g_assert_cmpuint (mend_account_get_findings (account)->len, ==, 0);

  account = mend_test_scan_find_by_key (scan, "fetchmail", "poll imap.example.com user pat");
  assert_server (account, MEND_PROTOCOL_IMAP, "pat", "imap.example.com", 143,
                 MEND_SECURITY_STARTTLS, MEND_AUTH_PASSWORD);

  /* A skip entry; sslproto '' turns STARTTLS off. */
  account = mend_test_scan_find (scan, "fetchmail", "lee@hotmail.com", MEND_PROTOCOL_POP3);
  assert_server (account, MEND_PROTOCOL_POP3, "lee@hotmail.com", "pop-mail.outlook.com", 110,
                 MEND_SECURITY_NONE, MEND_AUTH_PASSWORD);
  g_assert_cmpstr (mend_account_get_key (account), ==,
                   "skip pop-mail.outlook.com user lee@hotmail.com");
  g_assert_true (mend_account_has_finding (account, "insecure-connection"));
  g_assert_true (mend_account_has_finding (account, "no-oauth-path"));

  for (guint i = 0; i < accounts->len; i++)
    {
      const char *key = mend_account_get_key (g_ptr_array_index (accounts, i));

      g_assert_null (strstr (key, "hunter2"));
      g_assert_null (strstr (key, "correct horse"));
    }

  mend_test_scan_assert_unchanged (scan);
}

static void
test_fetchmail_broken (void)
{
  g_autoptr(MendTestScan) scan = mend_test_scan_new ("fetchmail-broken");
  g_autoptr(GPtrArray) accounts = NULL;

  mend_test_scan_run (scan);

  g_assert_true (mend_test_scan_has_unreadable (scan, ".fetchmailrc"));
  g_assert_cmpuint (mend_scan_context_get_findings (scan->context)->len, ==, 1);
  accounts = mend_test_scan_accounts (scan, "fetchmail");
  g_assert_cmpuint (accounts->len, ==, 0);
  g_assert_cmpuint (mend_test_scan_count (scan, NULL), ==, 0);

  mend_test_scan_assert_unchanged (scan);
}

static void
test_fetchmail_running (void)
{
  g_autoptr(MendTestScan) scan = mend_test_scan_new ("fetchmail-home");
  g_autoptr(GPtrArray) accounts = NULL;

  mend_test_scan_set_running (scan, "fetchmail", NULL);
  mend_test_scan_run (scan);

  accounts = mend_test_scan_accounts (scan, "fetchmail");
  g_assert_cmpuint (accounts->len, ==, 5);
  g_assert_cmpuint (mend_test_scan_count (scan, NULL), ==, 5);
  for (guint i = 0; i < accounts->len; i++)
    g_assert_true (mend_account_has_finding (g_ptr_array_index (accounts, i), "client-running"));

  mend_test_scan_assert_unchanged (scan);
}

static void
test_fetchmail_no_config (void)
{
  g_autoptr(MendTestScan) scan = mend_test_scan_new ("empty");
  g_autoptr(GPtrArray) accounts = NULL;

  mend_test_scan_run (scan);
  accounts = mend_test_scan_accounts (scan, "fetchmail");
  g_assert_cmpuint (accounts->len, ==, 0);
  g_assert_cmpuint (mend_test_scan_count (scan, NULL), ==, 0);
  g_assert_cmpuint (mend_scan_context_get_findings (scan->context)->len, ==, 0);

  mend_test_scan_assert_unchanged (scan);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_set_prgname ("test-client-fetchmail");

  g_test_add_func ("/client/fetchmail/home", test_fetchmail_home);
  g_test_add_func ("/client/fetchmail/broken", test_fetchmail_broken);
  g_test_add_func ("/client/fetchmail/running", test_fetchmail_running);
  g_test_add_func ("/client/fetchmail/no-config", test_fetchmail_no_config);

  return g_test_run ();
}
