/* test-client-alpine.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "mend-test-scan.h"

#define PINERC ".pinerc"

static void
assert_server (MendTestScan *scan,
               MendAccount  *account,
               const char   *host,
               guint         port,
               MendSecurity  security,
               MendAuth      auth,
               const char   *username,
               const char   *version)
{
  g_autofree char *source = mend_test_scan_path (scan, PINERC);

  g_assert_cmpstr (mend_account_get_client (account), ==, "alpine");
  g_assert_cmpstr (mend_account_get_source (account), ==, source);
  g_assert_cmpstr (mend_account_get_host (account), ==, host);
  g_assert_cmpuint (mend_account_get_port (account), ==, port);
  g_assert_cmpint (mend_account_get_security (account), ==, security);
  g_assert_cmpint (mend_account_get_auth (account), ==, auth);
  g_assert_cmpstr (mend_account_get_username (account), ==, username);
  g_assert_cmpstr (mend_account_get_client_version (account), ==, version);
  g_assert_null (mend_account_get_profile (account));
  g_assert_false (mend_account_has_finding (account, "client-running"));
}

static MendFinding *
get_finding (MendAccount *account,
             const char  *id)
{
  GPtrArray *findings = mend_account_get_findings (account);

  for (guint i = 0; i < findings->len; i++)
    {
      MendFinding *finding = g_ptr_array_index (findings, i);

      if (g_str_equal (mend_finding_get_id (finding), id))
        return finding;
    }

  g_assert_not_reached ();
}

static void
test_accounts (void)
{
  g_autoptr(MendTestScan) scan = mend_test_scan_new ("alpine-basic");
  g_autoptr(GPtrArray) accounts = NULL;
  MendAccount *account;

  mend_test_scan_run (scan);

  /* Three IMAP servers (the inbox also listed in incoming-folders counts
   * once), a POP3 server, two SMTP servers; not the local folders nor
   * the news server. */
  accounts = mend_test_scan_accounts (scan, "alpine");
  g_assert_cmpuint (accounts->len, ==, 6);
  g_assert_cmpuint (mend_scan_context_get_findings (scan->context)->len, ==, 0);
  for (guint i = 0; i < accounts->len; i++)
    g_assert_cmpstr (mend_account_get_host (g_ptr_array_index (accounts, i)), !=,
                     "news.example.com");

  /* inbox-path with /ssl and no /auth=: a password login. */
  account = mend_test_scan_find (scan, "alpine", "alex@contoso.onmicrosoft.com",
                                 MEND_PROTOCOL_IMAP);
  assert_server (scan, account, "outlook.office365.com", 993, MEND_SECURITY_TLS,
                 MEND_AUTH_PASSWORD, "alex@contoso.onmicrosoft.com", "2.26");
  g_assert_true (mend_account_is_microsoft (account));
  g_assert_true (mend_account_has_finding (account, "basic-auth"));
  g_assert_false (mend_account_has_finding (account, "legacy-host"));
  g_assert_false (mend_account_has_finding (account, "client-too-old"));
  g_assert_false (mend_account_has_finding (account, "no-oauth-path"));

  /* /auth=xoauth2 on /submit (587, STARTTLS offered). */
  account = mend_test_scan_find (scan, "alpine", "alex@contoso.onmicrosoft.com",
                                 MEND_PROTOCOL_SMTP);
  assert_server (scan, account, "smtp.office365.com", 587, MEND_SECURITY_STARTTLS,
                 MEND_AUTH_OAUTH2, "alex@contoso.onmicrosoft.com", "2.26");
  g_assert_true (mend_account_has_finding (account, "oauth-ready"));
  g_assert_false (mend_account_has_finding (account, "legacy-host"));

  /* In folder-collections: OAuth 2.0, but on a host Alpine's built-in
   * Outlook sign-in does not know. */
  account = mend_test_scan_find (scan, "alpine", "sam.example@outlook.com", MEND_PROTOCOL_IMAP);
  assert_server (scan, account, "imap-mail.outlook.com", 993, MEND_SECURITY_TLS,
                 MEND_AUTH_OAUTH2, "sam.example@outlook.com", "2.26");
  g_assert_true (mend_account_has_finding (account, "legacy-host"));
  g_assert_true (mend_account_has_finding (account, "oauth-ready"));

  /* In incoming-archive-folders: POP3, which Alpine cannot do with OAuth. */
  account = mend_test_scan_find (scan, "alpine", "chris@hotmail.com", MEND_PROTOCOL_POP3);
  assert_server (scan, account, "pop-mail.outlook.com", 995, MEND_SECURITY_TLS,
                 MEND_AUTH_PASSWORD, "chris@hotmail.com", "2.26");
  g_assert_true (mend_account_has_finding (account, "no-oauth-path"));
  g_assert_nonnull (strstr (mend_finding_get_remedy (get_finding (account, "no-oauth-path")),
                            "{outlook.office365.com/ssl/user=chris@hotmail.com/auth=xoauth2}"));
  g_assert_true (mend_account_has_finding (account, "pop3-in-use"));
  g_assert_true (mend_account_has_finding (account, "basic-auth"));

  /* Not Microsoft: a port in the spec, /tls; the address is
   * user-id@user-domain since /user= is no address. */
  account = mend_test_scan_find (scan, "alpine", "pat@example.com", MEND_PROTOCOL_IMAP);
  assert_server (scan, account, "imap.example.com", 1993, MEND_SECURITY_STARTTLS,
                 MEND_AUTH_PASSWORD, "pat", "2.26");
  g_assert_false (mend_account_is_microsoft (account));
  g_assert_cmpuint (mend_account_get_findings (account)->len, ==, 0);

  /* /notls: port 25 without encryption. */
  account = mend_test_scan_find (scan, "alpine", "pat@example.com", MEND_PROTOCOL_SMTP);
  assert_server (scan, account, "smtp.example.com", 25, MEND_SECURITY_NONE, MEND_AUTH_PASSWORD,
                 NULL, "2.26");
  g_assert_true (mend_account_has_finding (account, "insecure-connection"));

  mend_test_scan_assert_unchanged (scan);
}

static void
test_too_old (void)
{
  g_autoptr(MendTestScan) scan = mend_test_scan_new ("alpine-old");
  g_autoptr(GPtrArray) accounts = NULL;
  MendAccount *account;

  mend_test_scan_run (scan);

  /* No last-version-used: the version comes from the file's comment. */
  accounts = mend_test_scan_accounts (scan, "alpine");
  g_assert_cmpuint (accounts->len, ==, 2);

  account = mend_test_scan_find (scan, "alpine", "old@contoso.onmicrosoft.com",
                                 MEND_PROTOCOL_IMAP);
  assert_server (scan, account, "outlook.office365.com", 993, MEND_SECURITY_TLS,
                 MEND_AUTH_PASSWORD, "old@contoso.onmicrosoft.com", "2.21");
  g_assert_true (mend_account_has_finding (account, "client-too-old"));
  g_assert_true (mend_account_has_finding (account, "basic-auth"));

  account = mend_test_scan_find (scan, "alpine", "old@contoso.onmicrosoft.com",
                                 MEND_PROTOCOL_SMTP);
  assert_server (scan, account, "smtp.office365.com", 587, MEND_SECURITY_STARTTLS,
                 MEND_AUTH_PASSWORD, "old@contoso.onmicrosoft.com", "2.21");
  g_assert_true (mend_account_has_finding (account, "client-too-old"));

  mend_test_scan_assert_unchanged (scan);
}

static void
test_pine (void)
{
  g_autoptr(MendTestScan) scan = mend_test_scan_new ("alpine-pine");
  g_autoptr(GPtrArray) accounts = NULL;
  MendAccount *account;

  mend_test_scan_run (scan);

  /* Pine 4.64, Alpine's predecessor, never had OAuth 2.0; an empty
   * smtp-server means sendmail. */
  accounts = mend_test_scan_accounts (scan, "alpine");
  g_assert_cmpuint (accounts->len, ==, 1);

  account = mend_test_scan_find (scan, "alpine", "pine@hotmail.com", MEND_PROTOCOL_IMAP);
  assert_server (scan, account, "imap-mail.outlook.com", 993, MEND_SECURITY_TLS,
                 MEND_AUTH_PASSWORD, "pine@hotmail.com", "4.64");
  g_assert_true (mend_account_has_finding (account, "client-too-old"));
  g_assert_true (mend_account_has_finding (account, "legacy-host"));
  g_assert_true (mend_account_has_finding (account, "basic-auth"));

  mend_test_scan_assert_unchanged (scan);
}

static void
test_truncated (void)
{
  g_autoptr(MendTestScan) scan = mend_test_scan_new ("alpine-broken");
  g_autoptr(GPtrArray) accounts = NULL;

  mend_test_scan_run (scan);

  /* Cut inside inbox-path's server: reported, nothing half-read. */
  accounts = mend_test_scan_accounts (scan, "alpine");
  g_assert_cmpuint (accounts->len, ==, 0);
  g_assert_true (mend_test_scan_has_unreadable (scan, PINERC));
  g_assert_cmpuint (mend_scan_context_get_findings (scan->context)->len, ==, 1);

  mend_test_scan_assert_unchanged (scan);
}

static void
test_binary (void)
{
  g_autoptr(MendTestScan) scan = mend_test_scan_new ("alpine-binary");
  g_autoptr(GPtrArray) accounts = NULL;

  mend_test_scan_run (scan);

  accounts = mend_test_scan_accounts (scan, "alpine");
  g_assert_cmpuint (accounts->len, ==, 0);
  g_assert_true (mend_test_scan_has_unreadable (scan, PINERC));

  mend_test_scan_assert_unchanged (scan);
}

static void
test_missing (void)
{
  g_autoptr(MendTestScan) scan = mend_test_scan_new ("kmail-basic");
  g_autoptr(GPtrArray) accounts = NULL;

  mend_test_scan_run (scan);

  accounts = mend_test_scan_accounts (scan, "alpine");
  g_assert_cmpuint (accounts->len, ==, 0);
  g_assert_false (mend_test_scan_has_unreadable (scan, PINERC));

  mend_test_scan_assert_unchanged (scan);
}

static void
test_running (void)
{
  g_autoptr(MendTestScan) scan = mend_test_scan_new ("alpine-basic");
  g_autoptr(GPtrArray) accounts = NULL;

  mend_test_scan_set_running (scan, "alpine", NULL);
  mend_test_scan_run (scan);

  accounts = mend_test_scan_accounts (scan, "alpine");
  g_assert_cmpuint (accounts->len, ==, 6);
  for (guint i = 0; i < accounts->len; i++)
    g_assert_true (mend_account_has_finding (g_ptr_array_index (accounts, i), "client-running"));

  mend_test_scan_assert_unchanged (scan);
}

static void
test_stable_ids (void)
{
  g_autoptr(MendTestScan) first = mend_test_scan_new ("alpine-basic");
  g_autoptr(MendTestScan) second = mend_test_scan_new ("alpine-basic");
  g_autoptr(GPtrArray) first_accounts = NULL;
  g_autoptr(GPtrArray) second_accounts = NULL;
  g_autoptr(GHashTable) ids = g_hash_table_new (g_str_hash, g_str_equal);

  mend_test_scan_run (first);
  mend_test_scan_run (second);
  first_accounts = mend_test_scan_accounts (first, "alpine");
  second_accounts = mend_test_scan_accounts (second, "alpine");
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
  g_set_prgname ("test-client-alpine");

  g_test_add_func ("/client/alpine/accounts", test_accounts);
  g_test_add_func ("/client/alpine/too-old", test_too_old);
  g_test_add_func ("/client/alpine/pine", test_pine);
  g_test_add_func ("/client/alpine/truncated", test_truncated);
  g_test_add_func ("/client/alpine/binary", test_binary);
  g_test_add_func ("/client/alpine/missing", test_missing);
  g_test_add_func ("/client/alpine/running", test_running);
  g_test_add_func ("/client/alpine/stable-ids", test_stable_ids);

  return g_test_run ();
}
