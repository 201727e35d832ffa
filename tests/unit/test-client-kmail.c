/* test-client-kmail.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "mend-test-scan.h"

#define NATIVE  ".config"
#define FLATPAK ".var/app/org.kde.kmail2/config"

static void
assert_server (MendTestScan *scan,
               MendAccount  *account,
               const char   *file,
               const char   *key,
               const char   *host,
               guint         port,
               MendSecurity  security,
               MendAuth      auth,
               const char   *username)
{
  g_autofree char *source = mend_test_scan_path (scan, file);

  g_assert_cmpstr (mend_account_get_client (account), ==, "kmail");
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
}

static void
test_accounts (void)
{
  g_autoptr(MendTestScan) scan = mend_test_scan_new ("kmail-basic");
  g_autoptr(GPtrArray) accounts = NULL;
  MendAccount *account;

  mend_test_scan_run (scan);

  /* Four IMAP and two POP3 resources, four SMTP transports; not the
   * maildir resource nor the sendmail transport. */
  accounts = mend_test_scan_accounts (scan, "kmail");
  g_assert_cmpuint (accounts->len, ==, 10);
  g_assert_cmpuint (mend_scan_context_get_findings (scan->context)->len, ==, 0);

  /* Every setting at its default: SSL, port 993, PLAIN (a password). */
  account = mend_test_scan_find (scan, "kmail", "alex@contoso.onmicrosoft.com",
                                 MEND_PROTOCOL_IMAP);
  assert_server (scan, account, NATIVE "/akonadi_imap_resource_0rc", "akonadi_imap_resource_0",
                 "outlook.office365.com", 993, MEND_SECURITY_TLS, MEND_AUTH_PASSWORD,
                 "alex@contoso.onmicrosoft.com");
  g_assert_true (mend_account_is_microsoft (account));
  g_assert_true (mend_account_has_finding (account, "basic-auth"));
  g_assert_false (mend_account_has_finding (account, "legacy-host"));
  g_assert_false (mend_account_has_finding (account, "no-oauth-path"));

  /* Authentication=9 is XOAUTH2; imap-mail.outlook.com ends in .outlook.com,
   * which KMail accepts. The address comes from the account's identity. */
  account = mend_test_scan_find (scan, "kmail", "sam.example@outlook.com", MEND_PROTOCOL_IMAP);
  assert_server (scan, account, NATIVE "/akonadi_imap_resource_1rc", "akonadi_imap_resource_1",
                 "imap-mail.outlook.com", 993, MEND_SECURITY_TLS, MEND_AUTH_OAUTH2,
                 "sam.example@outlook.com");
  g_assert_true (mend_account_has_finding (account, "oauth-ready"));
  g_assert_false (mend_account_has_finding (account, "legacy-host"));

  /* Not Microsoft: LOGIN over STARTTLS; the user name is no address, the
   * identity (AccountIdentity) gives it. */
  account = mend_test_scan_find (scan, "kmail", "pat@example.com", MEND_PROTOCOL_IMAP);
  assert_server (scan, account, NATIVE "/akonadi_imap_resource_2rc", "akonadi_imap_resource_2",
                 "imap.example.com", 143, MEND_SECURITY_STARTTLS, MEND_AUTH_PASSWORD, "pat");
  g_assert_false (mend_account_is_microsoft (account));
  g_assert_cmpuint (mend_account_get_findings (account)->len, ==, 0);

  /* An older resource: the port in ImapServer; no encryption. */
  account = mend_test_scan_find (scan, "kmail", "robin@example.org", MEND_PROTOCOL_IMAP);
  assert_server (scan, account, NATIVE "/akonadi_imap_resource_3rc", "akonadi_imap_resource_3",
                 "mail.example.org", 1993, MEND_SECURITY_NONE, MEND_AUTH_PASSWORD,
                 "robin@example.org");
  g_assert_true (mend_account_has_finding (account, "insecure-connection"));

  /* POP3 to Microsoft: KMail's POP3 resource has no OAuth 2.0. */
  account = mend_test_scan_find (scan, "kmail", "chris@hotmail.com", MEND_PROTOCOL_POP3);
  assert_server (scan, account, NATIVE "/akonadi_pop3_resource_0rc", "akonadi_pop3_resource_0",
                 "outlook.office365.com", 995, MEND_SECURITY_TLS, MEND_AUTH_PASSWORD,
                 "chris@hotmail.com");
  g_assert_true (mend_account_has_finding (account, "no-oauth-path"));
  g_assert_true (mend_account_has_finding (account, "pop3-in-use"));
  g_assert_true (mend_account_has_finding (account, "basic-auth"));

  account = mend_test_scan_find (scan, "kmail", "kim@example.net", MEND_PROTOCOL_POP3);
  assert_server (scan, account, NATIVE "/akonadi_pop3_resource_1rc", "akonadi_pop3_resource_1",
                 "pop.example.net", 110, MEND_SECURITY_STARTTLS, MEND_AUTH_PASSWORD,
                 "kim@example.net");
  g_assert_cmpuint (mend_account_get_findings (account)->len, ==, 0);

  /* Transports: no port means 587, no authtype means PLAIN. */
  account = mend_test_scan_find (scan, "kmail", "alex@contoso.onmicrosoft.com",
                                 MEND_PROTOCOL_SMTP);
  assert_server (scan, account, NATIVE "/mailtransports", "Transport 1001",
                 "smtp.office365.com", 587, MEND_SECURITY_STARTTLS, MEND_AUTH_PASSWORD,
                 "alex@contoso.onmicrosoft.com");
  g_assert_true (mend_account_has_finding (account, "basic-auth"));

  account = mend_test_scan_find (scan, "kmail", "sam.example@outlook.com", MEND_PROTOCOL_SMTP);
  assert_server (scan, account, NATIVE "/mailtransports", "Transport 1002",
                 "smtp-mail.outlook.com", 587, MEND_SECURITY_STARTTLS, MEND_AUTH_OAUTH2,
                 "sam.example@outlook.com");
  g_assert_true (mend_account_has_finding (account, "oauth-ready"));
  g_assert_false (mend_account_has_finding (account, "legacy-host"));

  /* No encryption setting means SSL; the address from the identity. */
  account = mend_test_scan_find (scan, "kmail", "pat@example.com", MEND_PROTOCOL_SMTP);
  assert_server (scan, account, NATIVE "/mailtransports", "Transport 1003",
                 "smtp.example.com", 465, MEND_SECURITY_TLS, MEND_AUTH_PASSWORD, "pat");

  /* smtp.live.com is not a host KMail's Outlook sign-in accepts. */
  account = mend_test_scan_find (scan, "kmail", "chris@hotmail.com", MEND_PROTOCOL_SMTP);
  assert_server (scan, account, NATIVE "/mailtransports", "Transport 1004",
                 "smtp.live.com", 587, MEND_SECURITY_STARTTLS, MEND_AUTH_PASSWORD,
                 "chris@hotmail.com");
  g_assert_true (mend_account_has_finding (account, "legacy-host"));
  g_assert_true (mend_account_has_finding (account, "basic-auth"));

  mend_test_scan_assert_unchanged (scan);
}

static void
test_flatpak (void)
{
  g_autoptr(MendTestScan) scan = mend_test_scan_new ("kmail-flatpak");
  g_autoptr(GPtrArray) accounts = NULL;
  MendAccount *account;

  mend_test_scan_run (scan);

  accounts = mend_test_scan_accounts (scan, "kmail");
  g_assert_cmpuint (accounts->len, ==, 2);

  account = mend_test_scan_find (scan, "kmail", "flat@contoso.onmicrosoft.com",
                                 MEND_PROTOCOL_IMAP);
  assert_server (scan, account, FLATPAK "/akonadi_imap_resource_4rc", "akonadi_imap_resource_4",
                 "outlook.office365.com", 993, MEND_SECURITY_TLS, MEND_AUTH_OAUTH2,
                 "flat@contoso.onmicrosoft.com");

  /* Enums written as numbers: encryption=2 is STARTTLS, authtype=9 XOAUTH2. */
  account = mend_test_scan_find (scan, "kmail", "flat@contoso.onmicrosoft.com",
                                 MEND_PROTOCOL_SMTP);
  assert_server (scan, account, FLATPAK "/mailtransports", "Transport 2001",
                 "smtp.office365.com", 587, MEND_SECURITY_STARTTLS, MEND_AUTH_OAUTH2,
                 "flat@contoso.onmicrosoft.com");
  g_assert_true (mend_account_has_finding (account, "oauth-ready"));

  mend_test_scan_assert_unchanged (scan);
}

static void
test_broken (void)
{
  g_autoptr(MendTestScan) scan = mend_test_scan_new ("kmail-broken");
  g_autoptr(GPtrArray) accounts = NULL;
  MendAccount *account;

  mend_test_scan_run (scan);

  /* Truncated, binary, a line that is no setting, an unfinished group:
   * each reported, and the good files still read. */
  g_assert_true (mend_test_scan_has_unreadable (scan, NATIVE "/akonadi_imap_resource_0rc"));
  g_assert_true (mend_test_scan_has_unreadable (scan, NATIVE "/akonadi_imap_resource_1rc"));
  g_assert_true (mend_test_scan_has_unreadable (scan, NATIVE "/akonadi_pop3_resource_0rc"));
  g_assert_true (mend_test_scan_has_unreadable (scan, NATIVE "/emailidentities"));
  g_assert_false (mend_test_scan_has_unreadable (scan, NATIVE "/akonadi_imap_resource_2rc"));
  g_assert_false (mend_test_scan_has_unreadable (scan, NATIVE "/mailtransports"));
  g_assert_cmpuint (mend_scan_context_get_findings (scan->context)->len, ==, 4);

  accounts = mend_test_scan_accounts (scan, "kmail");
  g_assert_cmpuint (accounts->len, ==, 2);

  account = mend_test_scan_find (scan, "kmail", "still@contoso.onmicrosoft.com",
                                 MEND_PROTOCOL_IMAP);
  assert_server (scan, account, NATIVE "/akonadi_imap_resource_2rc", "akonadi_imap_resource_2",
                 "outlook.office365.com", 993, MEND_SECURITY_TLS, MEND_AUTH_PASSWORD,
                 "still@contoso.onmicrosoft.com");

  account = mend_test_scan_find (scan, "kmail", "still@contoso.onmicrosoft.com",
                                 MEND_PROTOCOL_SMTP);
  assert_server (scan, account, NATIVE "/mailtransports", "Transport 3001",
                 "smtp.office365.com", 587, MEND_SECURITY_STARTTLS, MEND_AUTH_PASSWORD,
                 "still@contoso.onmicrosoft.com");

  mend_test_scan_assert_unchanged (scan);
}

static void
test_missing (void)
{
  g_autoptr(MendTestScan) scan = mend_test_scan_new ("alpine-basic");
  g_autoptr(GPtrArray) accounts = NULL;

  mend_test_scan_run (scan);

  accounts = mend_test_scan_accounts (scan, "kmail");
  g_assert_cmpuint (accounts->len, ==, 0);
  g_assert_false (mend_test_scan_has_unreadable (scan, NATIVE "/mailtransports"));

  mend_test_scan_assert_unchanged (scan);
}

static void
check_running (const char *comm,
               gboolean    expected)
{
  g_autoptr(MendTestScan) scan = mend_test_scan_new ("kmail-basic");
  g_autoptr(GPtrArray) accounts = NULL;

  mend_test_scan_set_running (scan, comm, NULL);
  mend_test_scan_run (scan);

  accounts = mend_test_scan_accounts (scan, "kmail");
  g_assert_cmpuint (accounts->len, ==, 10);
  for (guint i = 0; i < accounts->len; i++)
    g_assert_cmpint (mend_account_has_finding (g_ptr_array_index (accounts, i), "client-running"),
                     ==, expected);

  mend_test_scan_assert_unchanged (scan);
}

static void
test_running (void)
{
  check_running ("kmail", TRUE);
  /* The IMAP resource rewrites its file even without KMail; the kernel
   * keeps 15 characters of its name. */
  check_running ("akonadi_imap_re", TRUE);
  check_running ("akonadi_pop3_re", TRUE);
  check_running ("kontact", TRUE);
  check_running ("akonadi_maildi", FALSE);
  check_running ("kmailtransport", FALSE);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_set_prgname ("test-client-kmail");

  g_test_add_func ("/client/kmail/accounts", test_accounts);
  g_test_add_func ("/client/kmail/flatpak", test_flatpak);
  g_test_add_func ("/client/kmail/broken", test_broken);
  g_test_add_func ("/client/kmail/missing", test_missing);
  g_test_add_func ("/client/kmail/running", test_running);

  return g_test_run ();
}
