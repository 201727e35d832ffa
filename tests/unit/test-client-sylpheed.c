/* test-client-sylpheed.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "mend-test-scan.h"

#define ACCOUNTRC ".sylpheed-2.0/accountrc"

static void
assert_server (MendTestScan *scan,
               MendAccount  *account,
               const char   *host,
               guint         port,
               MendSecurity  security,
               MendAuth      auth,
               const char   *username,
               const char   *key)
{
  g_autofree char *source = mend_test_scan_path (scan, ACCOUNTRC);

  g_assert_cmpstr (mend_account_get_client (account), ==, "sylpheed");
  g_assert_cmpstr (mend_account_get_source (account), ==, source);
  g_assert_cmpstr (mend_account_get_key (account), ==, key);
  g_assert_cmpstr (mend_account_get_host (account), ==, host);
  g_assert_cmpuint (mend_account_get_port (account), ==, port);
  g_assert_cmpint (mend_account_get_security (account), ==, security);
  g_assert_cmpint (mend_account_get_auth (account), ==, auth);
  g_assert_cmpstr (mend_account_get_username (account), ==, username);
  g_assert_null (mend_account_get_client_version (account));
  g_assert_null (mend_account_get_profile (account));
  g_assert_false (mend_account_has_finding (account, "client-running"));
  g_assert_false (mend_account_has_finding (account, "client-too-old"));
  g_assert_false (mend_account_has_finding (account, "no-oauth-path"));
  g_assert_false (mend_account_has_finding (account, "legacy-host"));
}

static void
assert_no_password (const char *text)
{
  if (text != NULL)
    g_assert_null (strstr (text, "NotARealPassword"));
}

static void
test_accounts (void)
{
  g_autoptr(MendTestScan) scan = mend_test_scan_new ("sylpheed-basic");
  g_autoptr(GPtrArray) accounts = NULL;
  MendAccount *account;

  mend_test_scan_run (scan);

  /* Four accounts with a receiving and a sending server each; the news
   * account has neither. */
  accounts = mend_test_scan_accounts (scan, "sylpheed");
  g_assert_cmpuint (accounts->len, ==, 8);
  g_assert_cmpuint (mend_scan_context_get_findings (scan->context)->len, ==, 0);

  account = mend_test_scan_find (scan, "sylpheed", "alex@contoso.onmicrosoft.com",
                                 MEND_PROTOCOL_IMAP);
  assert_server (scan, account, "outlook.office365.com", 993, MEND_SECURITY_TLS,
                 MEND_AUTH_PASSWORD, "alex@contoso.onmicrosoft.com", "Account: 1/imap");
  g_assert_true (mend_account_has_finding (account, "basic-auth"));

  /* SMTP AUTH PLAIN (8), an empty smtp_user_id means user_id. */
  account = mend_test_scan_find (scan, "sylpheed", "alex@contoso.onmicrosoft.com",
                                 MEND_PROTOCOL_SMTP);
  assert_server (scan, account, "smtp.office365.com", 587, MEND_SECURITY_STARTTLS,
                 MEND_AUTH_PASSWORD, "alex@contoso.onmicrosoft.com", "Account: 1/smtp");
  g_assert_true (mend_account_has_finding (account, "basic-auth"));

  /* Sylpheed 3.8's OAuth 2.0: imap_auth_method 8, smtp_auth_method 16. */
  account = mend_test_scan_find (scan, "sylpheed", "sam.example@outlook.com",
                                 MEND_PROTOCOL_IMAP);
  assert_server (scan, account, "outlook.office365.com", 993, MEND_SECURITY_TLS,
                 MEND_AUTH_OAUTH2, "sam.example@outlook.com", "Account: 2/imap");
  g_assert_true (mend_account_has_finding (account, "oauth-ready"));

  account = mend_test_scan_find (scan, "sylpheed", "sam.example@outlook.com",
                                 MEND_PROTOCOL_SMTP);
  assert_server (scan, account, "smtp.office365.com", 587, MEND_SECURITY_STARTTLS,
                 MEND_AUTH_OAUTH2, "sam.example@outlook.com", "Account: 2/smtp");
  g_assert_true (mend_account_has_finding (account, "oauth-ready"));

  /* POP3 over SSL; SMTP with STARTTLS and no set port goes to 25. */
  account = mend_test_scan_find (scan, "sylpheed", "chris@hotmail.com", MEND_PROTOCOL_POP3);
  assert_server (scan, account, "outlook.office365.com", 995, MEND_SECURITY_TLS,
                 MEND_AUTH_PASSWORD, "chris@hotmail.com", "Account: 3/pop3");
  g_assert_true (mend_account_has_finding (account, "pop3-in-use"));
  g_assert_true (mend_account_has_finding (account, "basic-auth"));

  account = mend_test_scan_find (scan, "sylpheed", "chris@hotmail.com", MEND_PROTOCOL_SMTP);
  assert_server (scan, account, "smtp-mail.outlook.com", 25, MEND_SECURITY_STARTTLS,
                 MEND_AUTH_PASSWORD, "chris@hotmail.com", "Account: 3/smtp");

  /* Not Microsoft: APOP (protocol 1) is POP3; SMTP over SSL without AUTH. */
  account = mend_test_scan_find (scan, "sylpheed", "kim@example.net", MEND_PROTOCOL_POP3);
  assert_server (scan, account, "pop.example.net", 110, MEND_SECURITY_NONE, MEND_AUTH_PASSWORD,
                 "kim", "Account: 4/pop3");
  g_assert_false (mend_account_is_microsoft (account));
  g_assert_true (mend_account_has_finding (account, "insecure-connection"));
  g_assert_false (mend_account_has_finding (account, "pop3-in-use"));

  account = mend_test_scan_find (scan, "sylpheed", "kim@example.net", MEND_PROTOCOL_SMTP);
  assert_server (scan, account, "smtp.example.net", 465, MEND_SECURITY_TLS, MEND_AUTH_NONE,
                 NULL, "Account: 4/smtp");
  g_assert_cmpuint (mend_account_get_findings (account)->len, ==, 0);

  /* The plain-text passwords of accountrc appear nowhere. */
  for (guint i = 0; i < accounts->len; i++)
    {
      GPtrArray *findings;

      account = g_ptr_array_index (accounts, i);
      assert_no_password (mend_account_get_username (account));
      assert_no_password (mend_account_get_address (account));
      assert_no_password (mend_account_get_host (account));
      assert_no_password (mend_account_get_key (account));

      findings = mend_account_get_findings (account);
      for (guint j = 0; j < findings->len; j++)
        {
          MendFinding *finding = g_ptr_array_index (findings, j);

          assert_no_password (mend_finding_get_title (finding));
          assert_no_password (mend_finding_get_explanation (finding));
          assert_no_password (mend_finding_get_remedy (finding));
          assert_no_password (mend_finding_get_details (finding));
        }
    }

  mend_test_scan_assert_unchanged (scan);
}

static void
test_binary (void)
{
  g_autoptr(MendTestScan) scan = mend_test_scan_new ("sylpheed-broken");
  g_autoptr(GPtrArray) accounts = NULL;

  mend_test_scan_run (scan);

  accounts = mend_test_scan_accounts (scan, "sylpheed");
  g_assert_cmpuint (accounts->len, ==, 0);
  g_assert_true (mend_test_scan_has_unreadable (scan, ACCOUNTRC));
  g_assert_cmpuint (mend_scan_context_get_findings (scan->context)->len, ==, 1);

  mend_test_scan_assert_unchanged (scan);
}

static void
test_truncated (void)
{
  g_autoptr(MendTestScan) scan = mend_test_scan_new ("sylpheed-truncated");
  g_autoptr(GPtrArray) accounts = NULL;

  mend_test_scan_run (scan);

  /* Cut in the middle of a section name: the file is damaged. */
  accounts = mend_test_scan_accounts (scan, "sylpheed");
  g_assert_cmpuint (accounts->len, ==, 0);
  g_assert_true (mend_test_scan_has_unreadable (scan, ACCOUNTRC));

  mend_test_scan_assert_unchanged (scan);
}

static void
test_missing (void)
{
  g_autoptr(MendTestScan) scan = mend_test_scan_new ("claws-mail-basic");
  g_autoptr(GPtrArray) accounts = NULL;

  mend_test_scan_run (scan);

  accounts = mend_test_scan_accounts (scan, "sylpheed");
  g_assert_cmpuint (accounts->len, ==, 0);
  g_assert_false (mend_test_scan_has_unreadable (scan, ACCOUNTRC));

  mend_test_scan_assert_unchanged (scan);
}

static void
test_running (void)
{
  g_autoptr(MendTestScan) scan = mend_test_scan_new ("sylpheed-basic");
  g_autoptr(GPtrArray) accounts = NULL;

  mend_test_scan_set_running (scan, "sylpheed", NULL);
  mend_test_scan_run (scan);

  accounts = mend_test_scan_accounts (scan, "sylpheed");
  g_assert_cmpuint (accounts->len, ==, 8);
  for (guint i = 0; i < accounts->len; i++)
    g_assert_true (mend_account_has_finding (g_ptr_array_index (accounts, i), "client-running"));

  mend_test_scan_assert_unchanged (scan);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_set_prgname ("test-client-sylpheed");

  g_test_add_func ("/client/sylpheed/accounts", test_accounts);
  g_test_add_func ("/client/sylpheed/binary", test_binary);
  g_test_add_func ("/client/sylpheed/truncated", test_truncated);
  g_test_add_func ("/client/sylpheed/missing", test_missing);
  g_test_add_func ("/client/sylpheed/running", test_running);

  return g_test_run ();
}
