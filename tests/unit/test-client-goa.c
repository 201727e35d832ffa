/* test-client-goa.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "mend-test-scan.h"

#define ACCOUNTS_CONF ".config/goa-1.0/accounts.conf"

static void
assert_server (MendTestScan *scan,
               MendAccount  *account,
               const char   *key,
               const char   *host,
               guint         port,
               MendSecurity  security,
               MendAuth      auth,
               const char   *username)
{
  g_autofree char *source = mend_test_scan_path (scan, ACCOUNTS_CONF);

  g_assert_cmpstr (mend_account_get_client (account), ==, "goa");
  g_assert_cmpstr (mend_account_get_source (account), ==, source);
  g_assert_cmpstr (mend_account_get_key (account), ==, key);
  g_assert_null (mend_account_get_profile (account));
  g_assert_null (mend_account_get_client_version (account));
  g_assert_cmpstr (mend_account_get_host (account), ==, host);
  g_assert_cmpuint (mend_account_get_port (account), ==, port);
  g_assert_cmpint (mend_account_get_security (account), ==, security);
  g_assert_cmpint (mend_account_get_auth (account), ==, auth);
  g_assert_cmpstr (mend_account_get_username (account), ==, username);
  /* goa-daemon reloads accounts.conf: nothing to close first. */
  g_assert_false (mend_account_has_finding (account, "client-running"));
}

static void
test_accounts (void)
{
  g_autoptr(MendTestScan) scan = mend_test_scan_new ("goa-accounts");
  g_autoptr(GPtrArray) accounts = NULL;
  MendAccount *account;

  mend_test_scan_run (scan);

  /* imap_smtp ×2 (2 servers each), exchange, ms_graph, windows_live (2),
   * google (2); not nextcloud nor kerberos. */
  accounts = mend_test_scan_accounts (scan, "goa");
  g_assert_cmpuint (accounts->len, ==, 10);
  g_assert_cmpuint (mend_scan_context_get_accounts (scan->context)->len, ==, 10);
  g_assert_cmpuint (mend_scan_context_get_findings (scan->context)->len, ==, 0);

  /* IMAP and SMTP on Microsoft 365: a password, and no way to OAuth 2.0 here. */
  account = mend_test_scan_find (scan, "goa", "jordan@contoso.onmicrosoft.com",
                                 MEND_PROTOCOL_IMAP);
  assert_server (scan, account, "account_1700000100_0/imap", "outlook.office365.com", 993,
                 MEND_SECURITY_TLS, MEND_AUTH_PASSWORD, "jordan@contoso.onmicrosoft.com");
  g_assert_true (mend_account_has_finding (account, "basic-auth"));
  g_assert_true (mend_account_has_finding (account, "no-oauth-path"));
  account = mend_test_scan_find (scan, "goa", "jordan@contoso.onmicrosoft.com",
                                 MEND_PROTOCOL_SMTP);
  assert_server (scan, account, "account_1700000100_0/smtp", "smtp.office365.com", 587,
                 MEND_SECURITY_STARTTLS, MEND_AUTH_PASSWORD, "jordan@contoso.onmicrosoft.com");
  g_assert_true (mend_account_has_finding (account, "basic-auth"));
  g_assert_true (mend_account_has_finding (account, "no-oauth-path"));

  /* Elsewhere, “host:port”, disabled mail still counts; SMTP without auth or TLS. */
  account = mend_test_scan_find (scan, "goa", "casey@example.com", MEND_PROTOCOL_IMAP);
  assert_server (scan, account, "account_1700000200_1/imap", "mail.example.com", 1993,
                 MEND_SECURITY_STARTTLS, MEND_AUTH_PASSWORD, "casey");
  g_assert_cmpuint (mend_account_get_findings (account)->len, ==, 0);
  account = mend_test_scan_find (scan, "goa", "casey@example.com", MEND_PROTOCOL_SMTP);
  assert_server (scan, account, "account_1700000200_1/smtp", "mail.example.com", 2525,
                 MEND_SECURITY_NONE, MEND_AUTH_NONE, NULL);
  g_assert_true (mend_account_has_finding (account, "insecure-connection"));
  g_assert_false (mend_account_has_finding (account, "no-oauth-path"));

  /* Exchange: EWS with a password; the address is the presentation identity. */
  account = mend_test_scan_find (scan, "goa", "morgan@contoso.com", MEND_PROTOCOL_EWS);
  assert_server (scan, account, "account_1700000300_2/ews", "outlook.office365.com", 443,
                 MEND_SECURITY_TLS, MEND_AUTH_PASSWORD, "morgan");
  g_assert_true (mend_account_has_finding (account, "basic-auth"));
  g_assert_true (mend_account_has_finding (account, "no-oauth-path"));

  /* Microsoft 365: already what it should be. */
  account = mend_test_scan_find (scan, "goa", "riley@contoso.com", MEND_PROTOCOL_GRAPH);
  assert_server (scan, account, "account_1700000400_3/graph", "graph.microsoft.com", 443,
                 MEND_SECURITY_TLS, MEND_AUTH_OAUTH2, "riley@contoso.com");
  g_assert_false (mend_account_has_finding (account, "no-oauth-path"));
  g_assert_false (mend_account_has_finding (account, "basic-auth"));

  /* Windows Live: OAuth 2.0 on the old servers, through a provider GNOME dropped. */
  account = mend_test_scan_find (scan, "goa", "taylor@outlook.com", MEND_PROTOCOL_IMAP);
  assert_server (scan, account, "account_1700000500_4/imap", "imap-mail.outlook.com", 993,
                 MEND_SECURITY_TLS, MEND_AUTH_OAUTH2, "taylor@outlook.com");
  g_assert_true (mend_account_has_finding (account, "no-oauth-path"));
  g_assert_true (mend_account_has_finding (account, "oauth-ready"));
  account = mend_test_scan_find (scan, "goa", "taylor@outlook.com", MEND_PROTOCOL_SMTP);
  assert_server (scan, account, "account_1700000500_4/smtp", "smtp-mail.outlook.com", 587,
                 MEND_SECURITY_STARTTLS, MEND_AUTH_OAUTH2, "taylor@outlook.com");
  g_assert_true (mend_account_has_finding (account, "no-oauth-path"));

  /* Google: not Microsoft, no findings. */
  account = mend_test_scan_find (scan, "goa", "avery@gmail.com", MEND_PROTOCOL_IMAP);
  assert_server (scan, account, "account_1700000600_5/imap", "imap.gmail.com", 993,
                 MEND_SECURITY_TLS, MEND_AUTH_OAUTH2, "avery@gmail.com");
  g_assert_cmpuint (mend_account_get_findings (account)->len, ==, 0);
  account = mend_test_scan_find (scan, "goa", "avery@gmail.com", MEND_PROTOCOL_SMTP);
  assert_server (scan, account, "account_1700000600_5/smtp", "smtp.gmail.com", 587,
                 MEND_SECURITY_STARTTLS, MEND_AUTH_OAUTH2, "avery@gmail.com");
  g_assert_cmpuint (mend_account_get_findings (account)->len, ==, 0);

  /* No account for providers without mail. */
  for (guint i = 0; i < accounts->len; i++)
    {
      account = g_ptr_array_index (accounts, i);
      g_assert_false (g_str_has_prefix (mend_account_get_key (account), "account_1700000700_6"));
      g_assert_false (g_str_has_prefix (mend_account_get_key (account), "account_1700000800_7"));
    }

  mend_test_scan_assert_unchanged (scan);
}

static void
test_truncated (void)
{
  g_autoptr(MendTestScan) scan = mend_test_scan_new ("goa-truncated");
  g_autoptr(GPtrArray) accounts = NULL;

  mend_test_scan_run (scan);

  g_assert_true (mend_test_scan_has_unreadable (scan, ACCOUNTS_CONF));
  g_assert_cmpuint (mend_scan_context_get_findings (scan->context)->len, ==, 1);
  accounts = mend_test_scan_accounts (scan, NULL);
  g_assert_cmpuint (accounts->len, ==, 0);

  mend_test_scan_assert_unchanged (scan);
}

static void
test_binary (void)
{
  g_autoptr(MendTestScan) scan = mend_test_scan_new ("goa-binary");
  g_autoptr(GPtrArray) accounts = NULL;

  mend_test_scan_run (scan);

  g_assert_true (mend_test_scan_has_unreadable (scan, ACCOUNTS_CONF));
  g_assert_cmpuint (mend_scan_context_get_findings (scan->context)->len, ==, 1);
  accounts = mend_test_scan_accounts (scan, NULL);
  g_assert_cmpuint (accounts->len, ==, 0);

  mend_test_scan_assert_unchanged (scan);
}

static void
test_missing (void)
{
  /* Other clients' homes have no accounts.conf: quiet. */
  g_autoptr(MendTestScan) scan = mend_test_scan_new ("geary-flatpak");
  g_autoptr(GPtrArray) accounts = NULL;

  mend_test_scan_run (scan);

  accounts = mend_test_scan_accounts (scan, "goa");
  g_assert_cmpuint (accounts->len, ==, 0);
  g_assert_cmpuint (mend_scan_context_get_findings (scan->context)->len, ==, 0);

  mend_test_scan_assert_unchanged (scan);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_set_prgname ("test-client-goa");

  g_test_add_func ("/client/goa/accounts", test_accounts);
  g_test_add_func ("/client/goa/truncated", test_truncated);
  g_test_add_func ("/client/goa/binary", test_binary);
  g_test_add_func ("/client/goa/missing", test_missing);

  return g_test_run ();
}
