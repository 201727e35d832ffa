/* test-client-himalaya.c
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
  g_assert_cmpstr (mend_account_get_client (account), ==, "himalaya");
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
        mend_account_get_profile (account),
      };

      for (guint j = 0; j < G_N_ELEMENTS (fields); j++)
        g_assert_null (fields[j] ? strstr (fields[j], secret) : NULL);
    }
}

static void
test_himalaya_v1 (void)
{
  g_autoptr(MendTestScan) scan = mend_test_scan_new ("himalaya-v1");
  g_autoptr(GPtrArray) accounts = NULL;
  MendAccount *account;

  mend_test_scan_run (scan);
  accounts = mend_test_scan_accounts (scan, "himalaya");

  /* work and hotmail: IMAP + SMTP; gmail: IMAP (sendmail sends);
   * local: SMTP (Maildir). Not the stale ~/.himalayarc. */
  g_assert_cmpuint (accounts->len, ==, 6);
  g_assert_cmpuint (mend_scan_context_get_findings (scan->context)->len, ==, 0);

  account = mend_test_scan_find (scan, "himalaya", "alex.example@contoso.onmicrosoft.com",
                                 MEND_PROTOCOL_IMAP);
  assert_server (account, "alex.example@contoso.onmicrosoft.com", "outlook.office365.com", 993,
                 MEND_SECURITY_TLS, MEND_AUTH_PASSWORD);
  mend_test_scan_assert_source (scan, account, ".config/himalaya/config.toml");
  g_assert_cmpstr (mend_account_get_key (account), ==, "accounts.work/imap");
  g_assert_true (mend_account_has_finding (account, "basic-auth"));

  account = mend_test_scan_find (scan, "himalaya", "alex.example@contoso.onmicrosoft.com",
                                 MEND_PROTOCOL_SMTP);
  assert_server (account, "alex.example@contoso.onmicrosoft.com", "smtp.office365.com", 587,
                 MEND_SECURITY_STARTTLS, MEND_AUTH_PASSWORD);
  g_assert_cmpstr (mend_account_get_key (account), ==, "accounts.work/smtp");
  g_assert_true (mend_account_has_finding (account, "basic-auth"));

  /* No encryption setting: TLS. */
  account = mend_test_scan_find (scan, "himalaya", "sam.example@hotmail.com",
                                 MEND_PROTOCOL_IMAP);
  assert_server (account, "sam.example@hotmail.com", "outlook.office365.com", 993,
                 MEND_SECURITY_TLS, MEND_AUTH_OAUTH2);
  g_assert_true (mend_account_has_finding (account, "oauth-ready"));

  /* Set in [accounts.hotmail.message.send.backend] tables. */
  account = mend_test_scan_find (scan, "himalaya", "sam.example@hotmail.com",
                                 MEND_PROTOCOL_SMTP);
  assert_server (account, "sam.example@hotmail.com", "smtp-mail.outlook.com", 587,
                 MEND_SECURITY_STARTTLS, MEND_AUTH_OAUTH2);
  g_assert_true (mend_account_has_finding (account, "oauth-ready"));

  account = mend_test_scan_find (scan, "himalaya", "lee.example@gmail.com", MEND_PROTOCOL_IMAP);
  assert_server (account, "lee.example@gmail.com", "imap.gmail.com", 993, MEND_SECURITY_TLS,
                 MEND_AUTH_PASSWORD);
  g_assert_cmpuint (mend_account_get_findings (account)->len, ==, 0);

  account = mend_test_scan_find (scan, "himalaya", "alex@example.net", MEND_PROTOCOL_SMTP);
  assert_server (account, "alex", "localhost", 25, MEND_SECURITY_NONE, MEND_AUTH_PASSWORD);
  g_assert_true (mend_account_has_finding (account, "insecure-connection"));

  assert_no_secret (scan, "n0t-a-real");

  mend_test_scan_assert_unchanged (scan);
}

static void
test_himalaya_v2 (void)
{
  g_autoptr(MendTestScan) scan = mend_test_scan_new ("himalaya-v2");
  g_autoptr(GPtrArray) accounts = NULL;
  MendAccount *account;

  mend_test_scan_run (scan);
  accounts = mend_test_scan_accounts (scan, "himalaya");

  /* work and outlook: IMAP + SMTP; graph: Microsoft Graph; example: IMAP.
   * Not the JMAP account, nor the one behind a local session proxy. */
  g_assert_cmpuint (accounts->len, ==, 6);

  /* Bare authorities are implicit TLS, with the default ports. */
  account = mend_test_scan_find (scan, "himalaya", "alex.example@contoso.onmicrosoft.com",
                                 MEND_PROTOCOL_IMAP);
  assert_server (account, "alex.example@contoso.onmicrosoft.com", "outlook.office365.com", 993,
                 MEND_SECURITY_TLS, MEND_AUTH_OAUTH2);
  g_assert_true (mend_account_has_finding (account, "oauth-ready"));

  account = mend_test_scan_find (scan, "himalaya", "alex.example@contoso.onmicrosoft.com",
                                 MEND_PROTOCOL_SMTP);
  assert_server (account, "alex.example@contoso.onmicrosoft.com", "smtp.office365.com", 465,
                 MEND_SECURITY_TLS, MEND_AUTH_OAUTH2);

  /* SASL PLAIN names its user authcid. */
  account = mend_test_scan_find (scan, "himalaya", "sam.example@outlook.com", MEND_PROTOCOL_IMAP);
  assert_server (account, "sam.example@outlook.com", "outlook.office365.com", 993,
                 MEND_SECURITY_TLS, MEND_AUTH_PASSWORD);
  g_assert_true (mend_account_has_finding (account, "basic-auth"));

  account = mend_test_scan_find (scan, "himalaya", "sam.example@outlook.com", MEND_PROTOCOL_SMTP);
  assert_server (account, "sam.example@outlook.com", "smtp-mail.outlook.com", 587,
                 MEND_SECURITY_STARTTLS, MEND_AUTH_PASSWORD);
  g_assert_true (mend_account_has_finding (account, "basic-auth"));

  account = mend_test_scan_find (scan, "himalaya", NULL, MEND_PROTOCOL_GRAPH);
  assert_server (account, NULL, "graph.microsoft.com", 443, MEND_SECURITY_TLS, MEND_AUTH_OAUTH2);
  g_assert_cmpstr (mend_account_get_key (account), ==, "accounts.graph/msgraph");

  /* imap:// without starttls is clear text. */
  account = mend_test_scan_find (scan, "himalaya", "jo@example.org", MEND_PROTOCOL_IMAP);
  assert_server (account, "jo@example.org", "mail.example.org", 143, MEND_SECURITY_NONE,
                 MEND_AUTH_PASSWORD);
  g_assert_true (mend_account_has_finding (account, "insecure-connection"));

  assert_no_secret (scan, "n0t-a-real");

  mend_test_scan_assert_unchanged (scan);
}

static void
test_himalaya_beta (void)
{
  g_autoptr(MendTestScan) scan = mend_test_scan_new ("himalaya-beta");
  g_autoptr(GPtrArray) accounts = NULL;
  MendAccount *account;

  mend_test_scan_run (scan);
  accounts = mend_test_scan_accounts (scan, "himalaya");

  g_assert_cmpuint (accounts->len, ==, 5);
  /* ~/.himalayarc is not TOML, but himalaya never reads it here. */
  g_assert_false (mend_test_scan_has_unreadable (scan, ".himalayarc"));

  account = mend_test_scan_find (scan, "himalaya", "alex.example@contoso.onmicrosoft.com",
                                 MEND_PROTOCOL_IMAP);
  assert_server (account, "alex.example@contoso.onmicrosoft.com", "outlook.office365.com", 993,
                 MEND_SECURITY_TLS, MEND_AUTH_PASSWORD);
  g_assert_true (mend_account_has_finding (account, "basic-auth"));

  account = mend_test_scan_find (scan, "himalaya", "alex.example@contoso.onmicrosoft.com",
                                 MEND_PROTOCOL_SMTP);
  assert_server (account, "alex.example@contoso.onmicrosoft.com", "smtp.office365.com", 587,
                 MEND_SECURITY_STARTTLS, MEND_AUTH_PASSWORD);

  /* himalaya does OAuth 2.0 with the old host name too. */
  account = mend_test_scan_find (scan, "himalaya", "kim.example@live.com", MEND_PROTOCOL_IMAP);
  assert_server (account, "kim.example@live.com", "imap-mail.outlook.com", 993,
                 MEND_SECURITY_TLS, MEND_AUTH_OAUTH2);
  g_assert_true (mend_account_has_finding (account, "oauth-ready"));

  account = mend_test_scan_find (scan, "himalaya", "kim.example@live.com", MEND_PROTOCOL_SMTP);
  assert_server (account, "kim.example@live.com", "smtp-mail.outlook.com", 587,
                 MEND_SECURITY_STARTTLS, MEND_AUTH_OAUTH2);

  /* encryption = false */
  account = mend_test_scan_find (scan, "himalaya", "jo@example.org", MEND_PROTOCOL_IMAP);
  assert_server (account, "jo", "mail.example.org", 143, MEND_SECURITY_NONE, MEND_AUTH_PASSWORD);

  assert_no_secret (scan, "n0t-a-real");

  mend_test_scan_assert_unchanged (scan);
}

static void
test_himalaya_rc (void)
{
  g_autoptr(MendTestScan) scan = mend_test_scan_new ("himalaya-rc");
  g_autoptr(GPtrArray) accounts = NULL;
  MendAccount *account;

  mend_test_scan_run (scan);
  accounts = mend_test_scan_accounts (scan, "himalaya");

  /* Three top-level accounts; [folder-aliases] is not one. */
  g_assert_cmpuint (accounts->len, ==, 6);

  account = mend_test_scan_find (scan, "himalaya", "alex@example.com", MEND_PROTOCOL_IMAP);
  assert_server (account, "alex@example.com", "imap.example.com", 993, MEND_SECURITY_TLS,
                 MEND_AUTH_PASSWORD);
  mend_test_scan_assert_source (scan, account, ".himalayarc");
  g_assert_cmpstr (mend_account_get_key (account), ==, "personal/imap");

  account = mend_test_scan_find (scan, "himalaya", "alex@example.com", MEND_PROTOCOL_SMTP);
  assert_server (account, "alex@example.com", "smtp.example.com", 465, MEND_SECURITY_TLS,
                 MEND_AUTH_PASSWORD);

  account = mend_test_scan_find (scan, "himalaya", "pat.example@outlook.com", MEND_PROTOCOL_IMAP);
  assert_server (account, "pat.example@outlook.com", "outlook.office365.com", 993,
                 MEND_SECURITY_TLS, MEND_AUTH_OAUTH2);
  g_assert_true (mend_account_has_finding (account, "oauth-ready"));

  account = mend_test_scan_find (scan, "himalaya", "pat.example@outlook.com", MEND_PROTOCOL_SMTP);
  assert_server (account, "pat.example@outlook.com", "smtp.office365.com", 587,
                 MEND_SECURITY_STARTTLS, MEND_AUTH_PASSWORD);
  g_assert_true (mend_account_has_finding (account, "basic-auth"));

  account = mend_test_scan_find (scan, "himalaya", "lee@example.net", MEND_PROTOCOL_IMAP);
  assert_server (account, "lee", "mail.example.net", 143, MEND_SECURITY_NONE, MEND_AUTH_PASSWORD);
  g_assert_true (mend_account_has_finding (account, "insecure-connection"));

  account = mend_test_scan_find (scan, "himalaya", "lee@example.net", MEND_PROTOCOL_SMTP);
  assert_server (account, "lee", "mail.example.net", 587, MEND_SECURITY_STARTTLS,
                 MEND_AUTH_PASSWORD);

  mend_test_scan_assert_unchanged (scan);
}

static void
test_himalaya_xdg_config_home (void)
{
  g_autoptr(MendTestScan) scan = mend_test_scan_new ("himalaya-xdg");
  g_autoptr(GPtrArray) accounts = NULL;
  MendAccount *account;

  mend_test_scan_set_config_home (scan, "xdg");
  mend_test_scan_run (scan);
  accounts = mend_test_scan_accounts (scan, "himalaya");

  /* $XDG_CONFIG_HOME/himalaya/config.toml comes before ~/.config. */
  g_assert_cmpuint (accounts->len, ==, 1);
  account = mend_test_scan_find (scan, "himalaya", "robin.example@contoso.onmicrosoft.com",
                                 MEND_PROTOCOL_IMAP);
  assert_server (account, "robin.example@contoso.onmicrosoft.com", "outlook.office365.com", 993,
                 MEND_SECURITY_TLS, MEND_AUTH_PASSWORD);
  mend_test_scan_assert_source (scan, account, "xdg/himalaya/config.toml");

  mend_test_scan_assert_unchanged (scan);
}

static void
test_himalaya_unreadable (gconstpointer data)
{
  mend_test_scan_check_unreadable (data, "himalaya", ".config/himalaya/config.toml");
}

static void
test_himalaya_running (void)
{
  g_autoptr(MendTestScan) scan = mend_test_scan_new ("himalaya-v2");
  g_autoptr(GPtrArray) accounts = NULL;

  mend_test_scan_set_running (scan, "himalaya", NULL);
  mend_test_scan_run (scan);
  accounts = mend_test_scan_accounts (scan, "himalaya");

  g_assert_cmpuint (accounts->len, ==, 6);
  for (guint i = 0; i < accounts->len; i++)
    g_assert_true (mend_account_has_finding (g_ptr_array_index (accounts, i), "client-running"));

  mend_test_scan_assert_unchanged (scan);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_set_prgname ("test-client-himalaya");

  g_test_add_func ("/client/himalaya/v1", test_himalaya_v1);
  g_test_add_func ("/client/himalaya/v2", test_himalaya_v2);
  g_test_add_func ("/client/himalaya/beta", test_himalaya_beta);
  g_test_add_func ("/client/himalaya/rc", test_himalaya_rc);
  g_test_add_func ("/client/himalaya/xdg-config-home", test_himalaya_xdg_config_home);
  g_test_add_data_func ("/client/himalaya/broken", "himalaya-broken", test_himalaya_unreadable);
  g_test_add_data_func ("/client/himalaya/binary", "himalaya-binary", test_himalaya_unreadable);
  g_test_add_func ("/client/himalaya/running", test_himalaya_running);

  return g_test_run ();
}
