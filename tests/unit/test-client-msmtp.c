/* test-client-msmtp.c
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
  g_assert_cmpstr (mend_account_get_client (account), ==, "msmtp");
  g_assert_cmpint (mend_account_get_protocol (account), ==, MEND_PROTOCOL_SMTP);
  g_assert_cmpstr (mend_account_get_username (account), ==, username);
  g_assert_cmpstr (mend_account_get_host (account), ==, host);
  g_assert_cmpuint (mend_account_get_port (account), ==, port);
  g_assert_cmpint (mend_account_get_security (account), ==, security);
  g_assert_cmpint (mend_account_get_auth (account), ==, auth);
  g_assert_null (mend_account_get_client_version (account));
  g_assert_null (mend_account_get_profile (account));
  /* msmtp runs once per message: never reported as running. */
  g_assert_false (mend_account_has_finding (account, "client-running"));
  g_assert_false (mend_account_has_finding (account, "no-oauth-path"));
  g_assert_false (mend_account_has_finding (account, "legacy-host"));
}

static void
test_msmtp_home (void)
{
  g_autoptr(MendTestScan) scan = mend_test_scan_new ("msmtp-home");
  g_autoptr(GPtrArray) accounts = NULL;
  g_autofree char *ran = NULL;
  MendAccount *account;

  mend_test_scan_run (scan);
  accounts = mend_test_scan_accounts (scan, "msmtp");

  /* work, personal, example, relay, work-alias; “default” only names work. */
  g_assert_cmpuint (accounts->len, ==, 5);
  g_assert_cmpuint (mend_test_scan_count (scan, NULL), ==, 5);
  g_assert_cmpuint (mend_scan_context_get_findings (scan->context)->len, ==, 0);
  for (guint i = 0; i < accounts->len; i++)
    {
      g_assert_cmpstr (mend_account_get_key (g_ptr_array_index (accounts, i)), !=,
                       "account default");
      mend_test_scan_assert_source (scan, g_ptr_array_index (accounts, i), ".msmtprc");
    }

  /* `auth on` and `tls on` from defaults, STARTTLS by default. */
  account = mend_test_scan_find (scan, "msmtp", "alex@contoso.onmicrosoft.com",
                                 MEND_PROTOCOL_SMTP);
  assert_server (account, "alex@contoso.onmicrosoft.com", "smtp.office365.com", 587,
                 MEND_SECURITY_STARTTLS, MEND_AUTH_PASSWORD);
  g_assert_cmpstr (mend_account_get_key (account), ==, "account work");
  g_assert_true (mend_account_has_finding (account, "basic-auth"));

  account = mend_test_scan_find (scan, "msmtp", "sam@outlook.com", MEND_PROTOCOL_SMTP);
  assert_server (account, "sam@outlook.com", "smtp-mail.outlook.com", 587,
                 MEND_SECURITY_STARTTLS, MEND_AUTH_OAUTH2);
  g_assert_true (mend_account_has_finding (account, "oauth-ready"));

  /* tls_starttls off and no port: SMTPS on 465. */
  account = mend_test_scan_find (scan, "msmtp", "robin@example.com", MEND_PROTOCOL_SMTP);
  assert_server (account, "robin", "mail.example.com", 465, MEND_SECURITY_TLS,
                 MEND_AUTH_PASSWORD);
  g_assert_cmpuint (mend_account_get_findings (account)->len, ==, 0);

  /* tls off and no port: plain SMTP on 25. */
  account = mend_test_scan_find (scan, "msmtp", "noreply@example.net", MEND_PROTOCOL_SMTP);
  assert_server (account, NULL, "relay.example.net", 25, MEND_SECURITY_NONE, MEND_AUTH_NONE);
  g_assert_true (mend_account_has_finding (account, "insecure-connection"));

  /* Inherits work's server and user. */
  account = mend_test_scan_find_by_key (scan, "msmtp", "account work-alias");
  g_assert_cmpstr (mend_account_get_address (account), ==, "alex.alias@contoso.onmicrosoft.com");
  assert_server (account, "alex@contoso.onmicrosoft.com", "smtp.office365.com", 587,
                 MEND_SECURITY_STARTTLS, MEND_AUTH_PASSWORD);

  for (guint i = 0; i < accounts->len; i++)
    {
      const char *key = mend_account_get_key (g_ptr_array_index (accounts, i));
      g_assert_null (strstr (key, "hunter2"));
    }

  ran = mend_test_scan_path (scan, "PASSWORDEVAL-RAN");
  g_assert_false (g_file_test (ran, G_FILE_TEST_EXISTS));
  mend_test_scan_assert_unchanged (scan);
}

static void
test_msmtp_xdg (void)
{
  g_autoptr(MendTestScan) scan = mend_test_scan_new ("msmtp-xdg");
  g_autoptr(GPtrArray) accounts = NULL;
  MendAccount *account;

  mend_test_scan_run (scan);
  accounts = mend_test_scan_accounts (scan, "msmtp");
  g_assert_cmpuint (accounts->len, ==, 1);
  g_assert_cmpuint (mend_test_scan_count (scan, NULL), ==, 1);

  /* No account command: msmtp names the account “default”. */
  account = mend_test_scan_find (scan, "msmtp", "kim@contoso.com", MEND_PROTOCOL_SMTP);
  assert_server (account, "kim@contoso.com", "smtp.office365.com", 587, MEND_SECURITY_STARTTLS,
                 MEND_AUTH_PASSWORD);
  mend_test_scan_assert_source (scan, account, ".config/msmtp/config");
  g_assert_cmpstr (mend_account_get_key (account), ==, "account default");
  g_assert_true (mend_account_has_finding (account, "basic-auth"));

  mend_test_scan_assert_unchanged (scan);
}

static void
test_msmtp_broken (void)
{
  g_autoptr(MendTestScan) scan = mend_test_scan_new ("msmtp-broken");
  g_autoptr(GPtrArray) accounts = NULL;

  mend_test_scan_run (scan);

  /* msmtp refuses the whole ~/.msmtprc, and does not fall back to the other file. */
  g_assert_true (mend_test_scan_has_unreadable (scan, ".msmtprc"));
  g_assert_false (mend_test_scan_has_unreadable (scan, ".config/msmtp/config"));
  g_assert_cmpuint (mend_scan_context_get_findings (scan->context)->len, ==, 1);
  accounts = mend_test_scan_accounts (scan, "msmtp");
  g_assert_cmpuint (accounts->len, ==, 0);
  g_assert_cmpuint (mend_test_scan_count (scan, NULL), ==, 0);

  mend_test_scan_assert_unchanged (scan);
}

static void
test_msmtp_binary (void)
{
  g_autoptr(MendTestScan) scan = mend_test_scan_new ("msmtp-binary");
  g_autoptr(GPtrArray) accounts = NULL;

  mend_test_scan_run (scan);

  g_assert_true (mend_test_scan_has_unreadable (scan, ".config/msmtp/config"));
  accounts = mend_test_scan_accounts (scan, "msmtp");
  g_assert_cmpuint (accounts->len, ==, 0);
  g_assert_cmpuint (mend_test_scan_count (scan, NULL), ==, 0);

  mend_test_scan_assert_unchanged (scan);
}

static void
test_msmtp_no_config (void)
{
  g_autoptr(MendTestScan) scan = mend_test_scan_new ("empty");
  g_autoptr(GPtrArray) accounts = NULL;

  mend_test_scan_run (scan);
  accounts = mend_test_scan_accounts (scan, "msmtp");
  g_assert_cmpuint (accounts->len, ==, 0);
  g_assert_cmpuint (mend_test_scan_count (scan, NULL), ==, 0);

  mend_test_scan_assert_unchanged (scan);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_set_prgname ("test-client-msmtp");

  g_test_add_func ("/client/msmtp/home", test_msmtp_home);
  g_test_add_func ("/client/msmtp/xdg", test_msmtp_xdg);
  g_test_add_func ("/client/msmtp/broken", test_msmtp_broken);
  g_test_add_func ("/client/msmtp/binary", test_msmtp_binary);
  g_test_add_func ("/client/msmtp/no-config", test_msmtp_no_config);

  return g_test_run ();
}
