/* test-client-claws-mail.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "mend-test-scan.h"

#define ACCOUNTRC ".claws-mail/accountrc"
#define CLAWSRC   ".claws-mail/clawsrc"

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

  g_assert_cmpstr (mend_account_get_client (account), ==, "claws-mail");
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
test_accounts (void)
{
  g_autoptr(MendTestScan) scan = mend_test_scan_new ("claws-mail-basic");
  g_autoptr(GPtrArray) accounts = NULL;
  MendAccount *account;

  mend_test_scan_run (scan);

  /* Four accounts with a receiving and a sending server each; nothing from
   * the news account or the local one that sends through sendmail. */
  accounts = mend_test_scan_accounts (scan, "claws-mail");
  g_assert_cmpuint (accounts->len, ==, 8);
  g_assert_cmpuint (mend_scan_context_get_findings (scan->context)->len, ==, 0);
  for (guint i = 0; i < accounts->len; i++)
    {
      const char *address = mend_account_get_address (g_ptr_array_index (accounts, i));

      g_assert_cmpstr (address, !=, "news@example.com");
      g_assert_cmpstr (address, !=, "local@example.com");
    }

  /* Microsoft 365, normal password: SSL without set_imapport is 993. */
  account = mend_test_scan_find (scan, "claws-mail", "alex@contoso.onmicrosoft.com",
                                 MEND_PROTOCOL_IMAP);
  assert_server (scan, account, "outlook.office365.com", 993, MEND_SECURITY_TLS,
                 MEND_AUTH_PASSWORD, "alex@contoso.onmicrosoft.com", "Account: 1/imap");
  g_assert_true (mend_account_is_microsoft (account));
  g_assert_true (mend_account_has_finding (account, "basic-auth"));

  /* SMTP AUTH PLAIN on 587; an empty smtp_user_id means user_id. */
  account = mend_test_scan_find (scan, "claws-mail", "alex@contoso.onmicrosoft.com",
                                 MEND_PROTOCOL_SMTP);
  assert_server (scan, account, "smtp.office365.com", 587, MEND_SECURITY_STARTTLS,
                 MEND_AUTH_PASSWORD, "alex@contoso.onmicrosoft.com", "Account: 1/smtp");
  g_assert_true (mend_account_has_finding (account, "basic-auth"));

  /* OAuth 2.0: imap_auth_method 256, smtp_auth_method 32. */
  account = mend_test_scan_find (scan, "claws-mail", "sam.example@outlook.com",
                                 MEND_PROTOCOL_IMAP);
  assert_server (scan, account, "outlook.office365.com", 993, MEND_SECURITY_TLS,
                 MEND_AUTH_OAUTH2, "sam.example@outlook.com", "Account: 2/imap");
  g_assert_true (mend_account_has_finding (account, "oauth-ready"));
  g_assert_false (mend_account_has_finding (account, "basic-auth"));

  account = mend_test_scan_find (scan, "claws-mail", "sam.example@outlook.com",
                                 MEND_PROTOCOL_SMTP);
  assert_server (scan, account, "smtp.office365.com", 587, MEND_SECURITY_STARTTLS,
                 MEND_AUTH_OAUTH2, "sam.example@outlook.com", "Account: 2/smtp");
  g_assert_true (mend_account_has_finding (account, "oauth-ready"));

  /* POP3 with OAuth 2.0 (use_pop_auth, pop_auth_method 2). */
  account = mend_test_scan_find (scan, "claws-mail", "chris@hotmail.com", MEND_PROTOCOL_POP3);
  assert_server (scan, account, "outlook.office365.com", 995, MEND_SECURITY_TLS,
                 MEND_AUTH_OAUTH2, "chris@hotmail.com", "Account: 3/pop3");
  g_assert_true (mend_account_has_finding (account, "pop3-in-use"));
  g_assert_true (mend_account_has_finding (account, "oauth-ready"));

  /* STARTTLS without set_smtpport: Claws connects to 25, not 587. */
  account = mend_test_scan_find (scan, "claws-mail", "chris@hotmail.com", MEND_PROTOCOL_SMTP);
  assert_server (scan, account, "smtp-mail.outlook.com", 25, MEND_SECURITY_STARTTLS,
                 MEND_AUTH_PASSWORD, "chris@hotmail.com", "Account: 3/smtp");
  g_assert_true (mend_account_has_finding (account, "basic-auth"));

  /* Not Microsoft: GSSAPI, a set port; SMTP without authentication. */
  account = mend_test_scan_find (scan, "claws-mail", "pat@example.com", MEND_PROTOCOL_IMAP);
  assert_server (scan, account, "imap.example.com", 1143, MEND_SECURITY_STARTTLS,
                 MEND_AUTH_OTHER, "pat", "Account: 4/imap");
  g_assert_false (mend_account_is_microsoft (account));
  g_assert_cmpuint (mend_account_get_findings (account)->len, ==, 0);

  account = mend_test_scan_find (scan, "claws-mail", "pat@example.com", MEND_PROTOCOL_SMTP);
  assert_server (scan, account, "smtp.example.com", 25, MEND_SECURITY_NONE, MEND_AUTH_NONE,
                 NULL, "Account: 4/smtp");
  g_assert_true (mend_account_has_finding (account, "insecure-connection"));
  g_assert_false (mend_account_has_finding (account, "basic-auth"));

  mend_test_scan_assert_unchanged (scan);
}

static void
test_old_numbering (void)
{
  g_autoptr(MendTestScan) scan = mend_test_scan_new ("claws-mail-old");
  g_autoptr(GPtrArray) accounts = NULL;
  MendAccount *account;

  mend_test_scan_run (scan);

  /* No config_version anywhere: protocol 3 is IMAP and 1 is APOP. */
  accounts = mend_test_scan_accounts (scan, "claws-mail");
  g_assert_cmpuint (accounts->len, ==, 3);
  g_assert_cmpuint (mend_scan_context_get_findings (scan->context)->len, ==, 0);

  account = mend_test_scan_find (scan, "claws-mail", "old@hotmail.com", MEND_PROTOCOL_IMAP);
  assert_server (scan, account, "imap-mail.outlook.com", 993, MEND_SECURITY_TLS,
                 MEND_AUTH_PASSWORD, "old@hotmail.com", "Account: 1/imap");
  g_assert_true (mend_account_has_finding (account, "basic-auth"));

  account = mend_test_scan_find (scan, "claws-mail", "old@hotmail.com", MEND_PROTOCOL_SMTP);
  assert_server (scan, account, "smtp-mail.outlook.com", 587, MEND_SECURITY_STARTTLS,
                 MEND_AUTH_PASSWORD, "old@hotmail.com", "Account: 1/smtp");

  account = mend_test_scan_find (scan, "claws-mail", "old@example.org", MEND_PROTOCOL_POP3);
  assert_server (scan, account, "pop.example.org", 110, MEND_SECURITY_NONE, MEND_AUTH_PASSWORD,
                 "old", "Account: 2/pop3");
  g_assert_true (mend_account_has_finding (account, "insecure-connection"));

  mend_test_scan_assert_unchanged (scan);
}

static void
test_broken_accountrc (void)
{
  g_autoptr(MendTestScan) scan = mend_test_scan_new ("claws-mail-broken");
  g_autoptr(GPtrArray) accounts = NULL;

  mend_test_scan_run (scan);

  accounts = mend_test_scan_accounts (scan, "claws-mail");
  g_assert_cmpuint (accounts->len, ==, 0);
  g_assert_true (mend_test_scan_has_unreadable (scan, ACCOUNTRC));
  g_assert_cmpuint (mend_scan_context_get_findings (scan->context)->len, ==, 1);

  mend_test_scan_assert_unchanged (scan);
}

static void
test_broken_clawsrc (void)
{
  g_autoptr(MendTestScan) scan = mend_test_scan_new ("claws-mail-bad-clawsrc");
  g_autoptr(GPtrArray) accounts = NULL;
  MendAccount *account;

  mend_test_scan_run (scan);

  /* A binary clawsrc is reported; the accounts are still found. */
  g_assert_true (mend_test_scan_has_unreadable (scan, CLAWSRC));
  g_assert_false (mend_test_scan_has_unreadable (scan, ACCOUNTRC));

  accounts = mend_test_scan_accounts (scan, "claws-mail");
  g_assert_cmpuint (accounts->len, ==, 1);
  account = mend_test_scan_find (scan, "claws-mail", "alex@contoso.onmicrosoft.com",
                                 MEND_PROTOCOL_IMAP);
  assert_server (scan, account, "outlook.office365.com", 993, MEND_SECURITY_TLS,
                 MEND_AUTH_PASSWORD, "alex@contoso.onmicrosoft.com", "Account: 1/imap");

  mend_test_scan_assert_unchanged (scan);
}

static void
test_missing (void)
{
  g_autoptr(MendTestScan) scan = mend_test_scan_new ("kmail-basic");
  g_autoptr(GPtrArray) accounts = NULL;

  mend_test_scan_run (scan);

  /* No ~/.claws-mail: nothing, and nothing to report. */
  accounts = mend_test_scan_accounts (scan, "claws-mail");
  g_assert_cmpuint (accounts->len, ==, 0);
  g_assert_false (mend_test_scan_has_unreadable (scan, ACCOUNTRC));

  mend_test_scan_assert_unchanged (scan);
}

static void
test_running (void)
{
  g_autoptr(MendTestScan) scan = mend_test_scan_new ("claws-mail-basic");
  g_autoptr(GPtrArray) accounts = NULL;

  mend_test_scan_set_running (scan, "claws-mail", NULL);
  mend_test_scan_run (scan);

  /* On every account, Microsoft's or not. */
  accounts = mend_test_scan_accounts (scan, "claws-mail");
  g_assert_cmpuint (accounts->len, ==, 8);
  for (guint i = 0; i < accounts->len; i++)
    g_assert_true (mend_account_has_finding (g_ptr_array_index (accounts, i), "client-running"));

  mend_test_scan_assert_unchanged (scan);
}

static void
test_stable_ids (void)
{
  g_autoptr(MendTestScan) first = mend_test_scan_new ("claws-mail-basic");
  g_autoptr(MendTestScan) second = mend_test_scan_new ("claws-mail-basic");
  g_autoptr(GPtrArray) first_accounts = NULL;
  g_autoptr(GPtrArray) second_accounts = NULL;
  g_autoptr(GHashTable) ids = g_hash_table_new (g_str_hash, g_str_equal);

  mend_test_scan_run (first);
  mend_test_scan_run (second);
  first_accounts = mend_test_scan_accounts (first, "claws-mail");
  second_accounts = mend_test_scan_accounts (second, "claws-mail");
  g_assert_cmpuint (first_accounts->len, ==, second_accounts->len);

  for (guint i = 0; i < first_accounts->len; i++)
    {
      MendAccount *a = g_ptr_array_index (first_accounts, i);
      MendAccount *b = g_ptr_array_index (second_accounts, i);

      g_assert_true (g_hash_table_add (ids, (gpointer) mend_account_get_id (a)));
      g_assert_cmpstr (mend_account_get_key (a), ==, mend_account_get_key (b));
    }

  mend_test_scan_assert_unchanged (first);
  mend_test_scan_assert_unchanged (second);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_set_prgname ("test-client-claws-mail");

  g_test_add_func ("/client/claws-mail/accounts", test_accounts);
  g_test_add_func ("/client/claws-mail/old-numbering", test_old_numbering);
  g_test_add_func ("/client/claws-mail/broken-accountrc", test_broken_accountrc);
  g_test_add_func ("/client/claws-mail/broken-clawsrc", test_broken_clawsrc);
  g_test_add_func ("/client/claws-mail/missing", test_missing);
  g_test_add_func ("/client/claws-mail/running", test_running);
  g_test_add_func ("/client/claws-mail/stable-ids", test_stable_ids);

  return g_test_run ();
}
