/* test-client-mbsync.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "mend-test-scan.h"

static void
assert_server (MendAccount  *account,
               const char   *username,
               const char   *host,
               guint         port,
               MendSecurity  security,
               MendAuth      auth)
{
  g_assert_cmpstr (mend_account_get_client (account), ==, "mbsync");
  g_assert_cmpint (mend_account_get_protocol (account), ==, MEND_PROTOCOL_IMAP);
  g_assert_cmpstr (mend_account_get_username (account), ==, username);
  g_assert_cmpstr (mend_account_get_host (account), ==, host);
  g_assert_cmpuint (mend_account_get_port (account), ==, port);
  g_assert_cmpint (mend_account_get_security (account), ==, security);
  g_assert_cmpint (mend_account_get_auth (account), ==, auth);
  g_assert_null (mend_account_get_client_version (account));
  g_assert_null (mend_account_get_profile (account));
  g_assert_false (mend_account_has_finding (account, "client-running"));
  g_assert_false (mend_account_has_finding (account, "no-oauth-path"));
  g_assert_false (mend_account_has_finding (account, "legacy-host"));
}

static void
test_mbsync_home (void)
{
  g_autoptr(MendTestScan) scan = mend_test_scan_new ("mbsync-home");
  g_autoptr(GPtrArray) accounts = NULL;
  g_autofree char *source = NULL;
  g_autofree char *ran = NULL;
  MendAccount *account;

  mend_test_scan_run (scan);
  accounts = mend_test_scan_accounts (scan, "mbsync");

  /* work, personal, example, and the legacy store with its own server; the
   * stores that use an account and the tunnel are not servers of their own. */
  g_assert_cmpuint (accounts->len, ==, 4);
  g_assert_cmpuint (mend_test_scan_count (scan, NULL), ==, 4);
  g_assert_cmpuint (mend_scan_context_get_findings (scan->context)->len, ==, 0);
  source = mend_test_scan_path (scan, ".mbsyncrc");
  for (guint i = 0; i < accounts->len; i++)
    g_assert_cmpstr (mend_account_get_source (g_ptr_array_index (accounts, i)), ==, source);

  account = mend_test_scan_find (scan, "mbsync", "alex@contoso.onmicrosoft.com",
                                 MEND_PROTOCOL_IMAP);
  assert_server (account, "alex@contoso.onmicrosoft.com", "outlook.office365.com", 993,
                 MEND_SECURITY_TLS, MEND_AUTH_PASSWORD);
  g_assert_cmpstr (mend_account_get_key (account), ==, "IMAPAccount work");
  g_assert_true (mend_account_has_finding (account, "basic-auth"));

  account = mend_test_scan_find (scan, "mbsync", "sam@outlook.com", MEND_PROTOCOL_IMAP);
  assert_server (account, "sam@outlook.com", "outlook.office365.com", 993, MEND_SECURITY_TLS,
                 MEND_AUTH_OAUTH2);
  g_assert_true (mend_account_has_finding (account, "oauth-ready"));

  /* No SSLType: STARTTLS on 143; a quoted user with a space. */
  account = mend_test_scan_find_by_key (scan, "mbsync", "IMAPAccount example");
  g_assert_null (mend_account_get_address (account));
  assert_server (account, "robin example", "imap.example.com", 143, MEND_SECURITY_STARTTLS,
                 MEND_AUTH_PASSWORD);
  g_assert_cmpuint (mend_account_get_findings (account)->len, ==, 0);

  /* isync 1.2: account options in the store, UseIMAPS. */
  account = mend_test_scan_find (scan, "mbsync", "lee@hotmail.com", MEND_PROTOCOL_IMAP);
  assert_server (account, "lee@hotmail.com", "imap-mail.outlook.com", 993, MEND_SECURITY_TLS,
                 MEND_AUTH_PASSWORD);
  g_assert_cmpstr (mend_account_get_key (account), ==, "IMAPStore legacy");
  g_assert_true (mend_account_has_finding (account, "basic-auth"));

  ran = mend_test_scan_path (scan, "PASSCMD-RAN");
  g_assert_false (g_file_test (ran, G_FILE_TEST_EXISTS));
  mend_test_scan_assert_unchanged (scan);
}

static void
test_mbsync_xdg (void)
{
  g_autoptr(MendTestScan) scan = mend_test_scan_new ("mbsync-xdg");
  g_autoptr(GPtrArray) accounts = NULL;
  g_autofree char *source = NULL;
  MendAccount *account;

  mend_test_scan_run (scan);
  accounts = mend_test_scan_accounts (scan, "mbsync");

  /* isync 1.5 reads $XDG_CONFIG_HOME/isyncrc, not ~/.mbsyncrc. */
  g_assert_cmpuint (accounts->len, ==, 2);
  g_assert_cmpuint (mend_test_scan_count (scan, NULL), ==, 2);
  source = mend_test_scan_path (scan, ".config/isyncrc");

  account = mend_test_scan_find (scan, "mbsync", "kim@contoso.com", MEND_PROTOCOL_IMAP);
  assert_server (account, "kim@contoso.com", "outlook.office365.com", 993, MEND_SECURITY_TLS,
                 MEND_AUTH_PASSWORD);
  g_assert_cmpstr (mend_account_get_source (account), ==, source);
  g_assert_true (mend_account_has_finding (account, "basic-auth"));

  account = mend_test_scan_find_by_key (scan, "mbsync", "IMAPAccount campus");
  assert_server (account, "pat", "imap.example.org", 1143, MEND_SECURITY_NONE, MEND_AUTH_OTHER);
  g_assert_cmpstr (mend_account_get_source (account), ==, source);
  g_assert_true (mend_account_has_finding (account, "insecure-connection"));

  mend_test_scan_assert_unchanged (scan);
}

static void
test_mbsync_broken (void)
{
  g_autoptr(MendTestScan) scan = mend_test_scan_new ("mbsync-broken");
  g_autoptr(GPtrArray) accounts = NULL;

  mend_test_scan_run (scan);

  g_assert_true (mend_test_scan_has_unreadable (scan, ".mbsyncrc"));
  g_assert_cmpuint (mend_scan_context_get_findings (scan->context)->len, ==, 1);
  accounts = mend_test_scan_accounts (scan, "mbsync");
  g_assert_cmpuint (accounts->len, ==, 0);
  g_assert_cmpuint (mend_test_scan_count (scan, NULL), ==, 0);

  mend_test_scan_assert_unchanged (scan);
}

static void
test_mbsync_running (void)
{
  g_autoptr(MendTestScan) scan = mend_test_scan_new ("mbsync-xdg");
  g_autoptr(GPtrArray) accounts = NULL;

  mend_test_scan_set_running (scan, "mbsync", NULL);
  mend_test_scan_run (scan);

  accounts = mend_test_scan_accounts (scan, "mbsync");
  g_assert_cmpuint (accounts->len, ==, 2);
  g_assert_cmpuint (mend_test_scan_count (scan, NULL), ==, 2);
  for (guint i = 0; i < accounts->len; i++)
    g_assert_true (mend_account_has_finding (g_ptr_array_index (accounts, i), "client-running"));

  mend_test_scan_assert_unchanged (scan);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_set_prgname ("test-client-mbsync");

  g_test_add_func ("/client/mbsync/home", test_mbsync_home);
  g_test_add_func ("/client/mbsync/xdg", test_mbsync_xdg);
  g_test_add_func ("/client/mbsync/broken", test_mbsync_broken);
  g_test_add_func ("/client/mbsync/running", test_mbsync_running);

  return g_test_run ();
}
