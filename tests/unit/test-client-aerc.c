/* test-client-aerc.c
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
  g_assert_cmpstr (mend_account_get_client (account), ==, "aerc");
  g_assert_cmpstr (mend_account_get_username (account), ==, username);
  g_assert_cmpstr (mend_account_get_host (account), ==, host);
  g_assert_cmpuint (mend_account_get_port (account), ==, port);
  g_assert_cmpint (mend_account_get_security (account), ==, security);
  g_assert_cmpint (mend_account_get_auth (account), ==, auth);
  g_assert_null (mend_account_get_client_version (account));
  g_assert_null (mend_account_get_profile (account));
  g_assert_false (mend_account_has_finding (account, "client-running"));
  g_assert_false (mend_account_has_finding (account, "legacy-host"));
  g_assert_false (mend_account_has_finding (account, "client-too-old"));
  g_assert_false (mend_account_has_finding (account, "no-oauth-path"));
}

/* Nothing the scan keeps may contain @secret. */
static void
assert_no_secret (MendTestScan *scan,
                  const char   *secret)
{
  g_autoptr(GPtrArray) accounts = mend_test_scan_accounts (scan, NULL);

  for (guint i = 0; i < accounts->len; i++)
    {
      MendAccount *account = g_ptr_array_index (accounts, i);
      const char *fields[] = {
        mend_account_get_address (account), mend_account_get_username (account),
        mend_account_get_host (account), mend_account_get_key (account),
        mend_account_get_profile (account), mend_account_get_id (account),
      };

      for (guint j = 0; j < G_N_ELEMENTS (fields); j++)
        g_assert_null (fields[j] ? strstr (fields[j], secret) : NULL);
    }
}

static void
test_aerc_accounts (void)
{
  g_autoptr(MendTestScan) scan = mend_test_scan_new ("aerc-basic");
  g_autoptr(GPtrArray) accounts = NULL;
  MendAccount *account;

  mend_test_scan_run (scan);
  accounts = mend_test_scan_accounts (scan, "aerc");

  /* Work, Hotmail, Personal and Gmail have two servers each, Old Outlook
   * one (sendmail sends); Archive, Notmuch and Fastmail have none. */
  g_assert_cmpuint (accounts->len, ==, 9);
  g_assert_cmpuint (mend_scan_context_get_findings (scan->context)->len, ==, 0);

  /* Microsoft 365 with a password. */
  account = mend_test_scan_find (scan, "aerc", "alex.example@contoso.onmicrosoft.com",
                                 MEND_PROTOCOL_IMAP);
  assert_server (account, "alex.example@contoso.onmicrosoft.com", "outlook.office365.com", 993,
                 MEND_SECURITY_TLS, MEND_AUTH_PASSWORD);
  mend_test_scan_assert_source (scan, account, ".config/aerc/accounts.conf");
  g_assert_cmpstr (mend_account_get_key (account), ==, "[Work]/source");
  g_assert_true (mend_account_is_microsoft (account));
  g_assert_true (mend_account_has_finding (account, "basic-auth"));

  account = mend_test_scan_find (scan, "aerc", "alex.example@contoso.onmicrosoft.com",
                                 MEND_PROTOCOL_SMTP);
  assert_server (account, "alex.example@contoso.onmicrosoft.com", "smtp.office365.com", 587,
                 MEND_SECURITY_STARTTLS, MEND_AUTH_PASSWORD);
  g_assert_cmpstr (mend_account_get_key (account), ==, "[Work]/outgoing");
  g_assert_true (mend_account_has_finding (account, "basic-auth"));

  /* Outlook.com with XOAUTH2 and a token endpoint; the default port. */
  account = mend_test_scan_find (scan, "aerc", "sam.example@hotmail.com", MEND_PROTOCOL_IMAP);
  assert_server (account, "sam.example@hotmail.com", "outlook.office365.com", 993,
                 MEND_SECURITY_TLS, MEND_AUTH_OAUTH2);
  g_assert_true (mend_account_has_finding (account, "oauth-ready"));
  g_assert_false (mend_account_has_finding (account, "basic-auth"));

  /* aerc can use OAuth 2.0 with the old host name: no legacy-host. */
  account = mend_test_scan_find (scan, "aerc", "sam.example@hotmail.com", MEND_PROTOCOL_SMTP);
  assert_server (account, "sam.example@hotmail.com", "smtp-mail.outlook.com", 587,
                 MEND_SECURITY_STARTTLS, MEND_AUTH_OAUTH2);
  g_assert_true (mend_account_has_finding (account, "oauth-ready"));

  /* Not Microsoft; imap:// is STARTTLS, smtps:// TLS, default ports. */
  account = mend_test_scan_find (scan, "aerc", "jo@example.org", MEND_PROTOCOL_IMAP);
  assert_server (account, "jo@example.org", "mail.example.org", 143, MEND_SECURITY_STARTTLS,
                 MEND_AUTH_PASSWORD);
  g_assert_false (mend_account_is_microsoft (account));
  g_assert_cmpuint (mend_account_get_findings (account)->len, ==, 0);

  account = mend_test_scan_find (scan, "aerc", "jo@example.org", MEND_PROTOCOL_SMTP);
  assert_server (account, "jo@example.org", "mail.example.org", 465, MEND_SECURITY_TLS,
                 MEND_AUTH_PASSWORD);

  account = mend_test_scan_find (scan, "aerc", "lee.example@gmail.com", MEND_PROTOCOL_IMAP);
  assert_server (account, "lee.example@gmail.com", "imap.gmail.com", 993, MEND_SECURITY_TLS,
                 MEND_AUTH_PASSWORD);
  account = mend_test_scan_find (scan, "aerc", "lee.example@gmail.com", MEND_PROTOCOL_SMTP);
  assert_server (account, "lee.example@gmail.com", "smtp.gmail.com", 587, MEND_SECURITY_STARTTLS,
                 MEND_AUTH_PASSWORD);

  /* imap+insecure: no encryption at all, on the old Outlook.com host. */
  account = mend_test_scan_find (scan, "aerc", "pat.example@outlook.com", MEND_PROTOCOL_IMAP);
  assert_server (account, "pat.example@outlook.com", "imap-mail.outlook.com", 143,
                 MEND_SECURITY_NONE, MEND_AUTH_PASSWORD);
  g_assert_true (mend_account_has_finding (account, "insecure-connection"));
  g_assert_true (mend_account_has_finding (account, "basic-auth"));

  /* No sendmail, maildir, notmuch or JMAP account. */
  for (guint i = 0; i < accounts->len; i++)
    {
      MendAccount *each = g_ptr_array_index (accounts, i);

      g_assert_cmpstr (mend_account_get_address (each), !=, "alex@example.net");
      g_assert_cmpstr (mend_account_get_address (each), !=, "jo@example.com");
    }

  /* The password in the Personal URLs is never kept. */
  assert_no_secret (scan, "n0t-a-real");
  assert_no_secret (scan, "pa$$word");

  mend_test_scan_assert_unchanged (scan);
}

static void
test_aerc_xdg_config_home (void)
{
  g_autoptr(MendTestScan) scan = mend_test_scan_new ("aerc-xdg");
  g_autoptr(GPtrArray) accounts = NULL;
  MendAccount *account;

  mend_test_scan_set_config_home (scan, "xdg");
  mend_test_scan_run (scan);
  accounts = mend_test_scan_accounts (scan, "aerc");

  /* ~/.config/aerc is not read when XDG_CONFIG_HOME is elsewhere. */
  g_assert_cmpuint (accounts->len, ==, 2);

  account = mend_test_scan_find (scan, "aerc", "robin.example@contoso.onmicrosoft.com",
                                 MEND_PROTOCOL_IMAP);
  assert_server (account, "robin.example@contoso.onmicrosoft.com", "outlook.office365.com", 993,
                 MEND_SECURITY_TLS, MEND_AUTH_OAUTH2);
  mend_test_scan_assert_source (scan, account, "xdg/aerc/accounts.conf");

  account = mend_test_scan_find (scan, "aerc", "robin.example@contoso.onmicrosoft.com",
                                 MEND_PROTOCOL_SMTP);
  assert_server (account, "robin.example@contoso.onmicrosoft.com", "smtp.office365.com", 587,
                 MEND_SECURITY_STARTTLS, MEND_AUTH_OAUTH2);
  g_assert_true (mend_account_has_finding (account, "oauth-ready"));

  mend_test_scan_assert_unchanged (scan);
}

static void
test_aerc_unreadable (gconstpointer data)
{
  mend_test_scan_check_unreadable (data, "aerc", ".config/aerc/accounts.conf");
}

static void
test_aerc_no_config (void)
{
  g_autoptr(MendTestScan) scan = mend_test_scan_new ("empty");
  g_autoptr(GPtrArray) accounts = NULL;

  mend_test_scan_run (scan);
  accounts = mend_test_scan_accounts (scan, "aerc");

  g_assert_cmpuint (accounts->len, ==, 0);
  g_assert_false (mend_test_scan_has_unreadable (scan, ".config/aerc/accounts.conf"));

  mend_test_scan_assert_unchanged (scan);
}

static void
test_aerc_running (void)
{
  g_autoptr(MendTestScan) scan = mend_test_scan_new ("aerc-basic");
  g_autoptr(GPtrArray) accounts = NULL;

  mend_test_scan_set_running (scan, "aerc", NULL);
  mend_test_scan_run (scan);
  accounts = mend_test_scan_accounts (scan, "aerc");

  g_assert_cmpuint (accounts->len, ==, 9);
  for (guint i = 0; i < accounts->len; i++)
    g_assert_true (mend_account_has_finding (g_ptr_array_index (accounts, i), "client-running"));

  mend_test_scan_assert_unchanged (scan);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_set_prgname ("test-client-aerc");

  g_test_add_func ("/client/aerc/accounts", test_aerc_accounts);
  g_test_add_func ("/client/aerc/xdg-config-home", test_aerc_xdg_config_home);
  g_test_add_data_func ("/client/aerc/broken", "aerc-broken", test_aerc_unreadable);
  g_test_add_data_func ("/client/aerc/truncated", "aerc-truncated", test_aerc_unreadable);
  g_test_add_data_func ("/client/aerc/binary", "aerc-binary", test_aerc_unreadable);
  g_test_add_func ("/client/aerc/no-config", test_aerc_no_config);
  g_test_add_func ("/client/aerc/running", test_aerc_running);

  return g_test_run ();
}
