/* test-client-offlineimap.c
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
  g_assert_cmpstr (mend_account_get_client (account), ==, "offlineimap");
  g_assert_cmpint (mend_account_get_protocol (account), ==, MEND_PROTOCOL_IMAP);
  g_assert_cmpstr (mend_account_get_username (account), ==, username);
  g_assert_cmpstr (mend_account_get_host (account), ==, host);
  g_assert_cmpuint (mend_account_get_port (account), ==, port);
  g_assert_cmpint (mend_account_get_security (account), ==, security);
  g_assert_cmpint (mend_account_get_auth (account), ==, auth);
  g_assert_null (mend_account_get_client_version (account));
  g_assert_false (mend_account_has_finding (account, "client-running"));
  g_assert_false (mend_account_has_finding (account, "legacy-host"));
  g_assert_false (mend_account_has_finding (account, "client-too-old"));
  g_assert_false (mend_account_has_finding (account, "no-oauth-path"));
}

static void
test_offlineimap_rc (void)
{
  g_autoptr(MendTestScan) scan = mend_test_scan_new ("offlineimap-rc");
  g_autoptr(GPtrArray) accounts = NULL;
  MendAccount *account;

  mend_test_scan_run (scan);
  accounts = mend_test_scan_accounts (scan, "offlineimap");

  /* One per remote repository: ContosoBackup shares Contoso's, the
   * Maildir repositories are local. No SMTP: OfflineIMAP only syncs. */
  g_assert_cmpuint (accounts->len, ==, 5);
  g_assert_cmpuint (mend_scan_context_get_findings (scan->context)->len, ==, 0);

  /* XOAUTH2 is among the default mechanisms, but without a token
   * OfflineIMAP signs in with the password (remotepasseval). */
  account = mend_test_scan_find (scan, "offlineimap", "alex.example@contoso.onmicrosoft.com",
                                 MEND_PROTOCOL_IMAP);
  assert_server (account, "alex.example@contoso.onmicrosoft.com", "outlook.office365.com", 993,
                 MEND_SECURITY_TLS, MEND_AUTH_PASSWORD);
  mend_test_scan_assert_source (scan, account, ".offlineimaprc");
  g_assert_cmpstr (mend_account_get_key (account), ==, "Repository ContosoRemote");
  g_assert_true (mend_account_has_finding (account, "basic-auth"));

  /* `key: value`, and a refresh token from Python (never evaluated). */
  account = mend_test_scan_find (scan, "offlineimap", "sam.example@hotmail.com",
                                 MEND_PROTOCOL_IMAP);
  assert_server (account, "sam.example@hotmail.com", "outlook.office365.com", 993,
                 MEND_SECURITY_TLS, MEND_AUTH_OAUTH2);
  g_assert_true (mend_account_has_finding (account, "oauth-ready"));

  /* type = Gmail: the host is implied. */
  account = mend_test_scan_find (scan, "offlineimap", "lee.example@gmail.com",
                                 MEND_PROTOCOL_IMAP);
  assert_server (account, "lee.example@gmail.com", "imap.gmail.com", 993, MEND_SECURITY_TLS,
                 MEND_AUTH_PASSWORD);
  g_assert_false (mend_account_is_microsoft (account));

  /* ssl = no with STARTTLS by default; a user name that is no address. */
  account = mend_test_scan_find (scan, "offlineimap", NULL, MEND_PROTOCOL_IMAP);
  assert_server (account, "jo", "mail.example.org", 143, MEND_SECURITY_STARTTLS,
                 MEND_AUTH_PASSWORD);
  g_assert_cmpstr (mend_account_get_key (account), ==, "Repository ExampleRemote");

  /* remotehosteval is Python: the host stays unknown. Not in [general]
   * accounts, but syncable with -a. */
  account = mend_test_scan_find (scan, "offlineimap", "pat.example@outlook.com",
                                 MEND_PROTOCOL_IMAP);
  assert_server (account, "pat.example@outlook.com", NULL, 143, MEND_SECURITY_NONE,
                 MEND_AUTH_PASSWORD);
  g_assert_true (mend_account_has_finding (account, "insecure-connection"));

  mend_test_scan_assert_unchanged (scan);
}

static void
test_offlineimap_xdg (void)
{
  g_autoptr(MendTestScan) scan = mend_test_scan_new ("offlineimap-xdg");
  g_autoptr(GPtrArray) accounts = NULL;
  MendAccount *account;

  mend_test_scan_run (scan);
  accounts = mend_test_scan_accounts (scan, "offlineimap");

  /* The XDG file exists: ~/.offlineimaprc is not read. */
  g_assert_cmpuint (accounts->len, ==, 1);
  account = mend_test_scan_find (scan, "offlineimap", "robin.example@contoso.onmicrosoft.com",
                                 MEND_PROTOCOL_IMAP);
  assert_server (account, "robin.example@contoso.onmicrosoft.com", "outlook.office365.com", 993,
                 MEND_SECURITY_TLS, MEND_AUTH_OAUTH2);
  mend_test_scan_assert_source (scan, account, ".config/offlineimap/config");

  mend_test_scan_assert_unchanged (scan);
}

static void
test_offlineimap_rc_fallback (void)
{
  g_autoptr(MendTestScan) scan = mend_test_scan_new ("offlineimap-xdg");
  g_autoptr(GPtrArray) accounts = NULL;
  MendAccount *account;

  /* With $XDG_CONFIG_HOME elsewhere, and nothing there: ~/.offlineimaprc. */
  mend_test_scan_set_config_home (scan, "elsewhere");
  mend_test_scan_run (scan);
  accounts = mend_test_scan_accounts (scan, "offlineimap");

  g_assert_cmpuint (accounts->len, ==, 1);
  account = mend_test_scan_find (scan, "offlineimap", "kim.example@outlook.com",
                                 MEND_PROTOCOL_IMAP);
  assert_server (account, "kim.example@outlook.com", "imap-mail.outlook.com", 993,
                 MEND_SECURITY_TLS, MEND_AUTH_PASSWORD);
  mend_test_scan_assert_source (scan, account, ".offlineimaprc");
  g_assert_true (mend_account_has_finding (account, "basic-auth"));

  mend_test_scan_assert_unchanged (scan);
}

static void
test_offlineimap_unreadable (gconstpointer data)
{
  mend_test_scan_check_unreadable (data, "offlineimap", ".offlineimaprc");
}

static void
test_offlineimap_running (void)
{
  g_autoptr(MendTestScan) scan = mend_test_scan_new ("offlineimap-rc");
  g_autoptr(GPtrArray) accounts = NULL;

  mend_test_scan_set_running (scan, "offlineimap", NULL);
  mend_test_scan_run (scan);
  accounts = mend_test_scan_accounts (scan, "offlineimap");

  g_assert_cmpuint (accounts->len, ==, 5);
  for (guint i = 0; i < accounts->len; i++)
    g_assert_true (mend_account_has_finding (g_ptr_array_index (accounts, i), "client-running"));

  mend_test_scan_assert_unchanged (scan);
}

static void
test_offlineimap_python_process (void)
{
  g_autoptr(MendTestScan) scan = mend_test_scan_new ("offlineimap-rc");
  g_autoptr(GPtrArray) accounts = NULL;

  /* A python3 process may be anything: it is not OfflineIMAP. */
  mend_test_scan_set_running (scan, "python3", NULL);
  mend_test_scan_run (scan);
  accounts = mend_test_scan_accounts (scan, "offlineimap");

  g_assert_cmpuint (accounts->len, ==, 5);
  for (guint i = 0; i < accounts->len; i++)
    g_assert_false (mend_account_has_finding (g_ptr_array_index (accounts, i), "client-running"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_set_prgname ("test-client-offlineimap");

  g_test_add_func ("/client/offlineimap/rc", test_offlineimap_rc);
  g_test_add_func ("/client/offlineimap/xdg", test_offlineimap_xdg);
  g_test_add_func ("/client/offlineimap/rc-fallback", test_offlineimap_rc_fallback);
  g_test_add_data_func ("/client/offlineimap/broken", "offlineimap-broken",
                        test_offlineimap_unreadable);
  g_test_add_data_func ("/client/offlineimap/duplicate", "offlineimap-duplicate",
                        test_offlineimap_unreadable);
  g_test_add_data_func ("/client/offlineimap/binary", "offlineimap-binary",
                        test_offlineimap_unreadable);
  g_test_add_func ("/client/offlineimap/running", test_offlineimap_running);
  g_test_add_func ("/client/offlineimap/python-process", test_offlineimap_python_process);

  return g_test_run ();
}
