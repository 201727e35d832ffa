/* test-client-mutt.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Mutt and NeoMutt: which file each reads, accounts from sourced files,
 * hooks and mailboxes, OAuth detection, and broken configurations.
 */

#include "config.h"

#include "mend-test-scan.h"

static void
assert_server (MendAccount  *account,
               const char   *client,
               const char   *username,
               const char   *host,
               guint         port,
               MendSecurity  security,
               MendAuth      auth)
{
  g_assert_cmpstr (mend_account_get_client (account), ==, client);
  g_assert_cmpstr (mend_account_get_username (account), ==, username);
  g_assert_cmpstr (mend_account_get_host (account), ==, host);
  g_assert_cmpuint (mend_account_get_port (account), ==, port);
  g_assert_cmpint (mend_account_get_security (account), ==, security);
  g_assert_cmpint (mend_account_get_auth (account), ==, auth);
  g_assert_null (mend_account_get_client_version (account));
  g_assert_null (mend_account_get_profile (account));
  g_assert_false (mend_account_has_finding (account, "legacy-host"));
  g_assert_false (mend_account_has_finding (account, "client-too-old"));
}

static void
assert_count (MendTestScan *scan,
              const char   *client,
              guint         count)
{
  g_autoptr(GPtrArray) accounts = mend_test_scan_accounts (scan, client);

  g_assert_cmpuint (accounts->len, ==, count);
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
        mend_account_get_source (account), mend_account_get_id (account),
      };

      for (guint j = 0; j < G_N_ELEMENTS (fields); j++)
        g_assert_null (fields[j] ? strstr (fields[j], secret) : NULL);
    }
}

static void
assert_no_file (MendTestScan *scan,
                const char   *relative_path)
{
  g_autofree char *path = mend_test_scan_path (scan, relative_path);

  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
}

static void
test_neomutt_xdg (void)
{
  g_autoptr(MendTestScan) scan = mend_test_scan_new ("neomutt-xdg");
  MendAccount *account;

  mend_test_scan_run (scan);

  assert_count (scan, "neomutt", 2);
  assert_count (scan, "mutt", 0);
  assert_count (scan, NULL, 2);
  /* colors.muttrc is missing, which is fine; the sourced command is not read. */
  g_assert_cmpuint (mend_scan_context_get_findings (scan->context)->len, ==, 0);

  /* From accounts/work.muttrc, sourced relative to neomuttrc's folder. */
  account = mend_test_scan_find (scan, "neomutt", "alex@contoso.onmicrosoft.com",
                                 MEND_PROTOCOL_IMAP);
  assert_server (account, "neomutt", "alex@contoso.onmicrosoft.com", "outlook.office365.com", 993,
                 MEND_SECURITY_TLS, MEND_AUTH_PASSWORD);
  mend_test_scan_assert_source (scan, account, ".config/neomutt/accounts/work.muttrc");
  g_assert_true (mend_account_has_finding (account, "basic-auth"));
  g_assert_false (mend_account_has_finding (account, "client-running"));
  g_assert_false (mend_account_has_finding (account, "no-oauth-path"));

  account = mend_test_scan_find (scan, "neomutt", "alex@contoso.onmicrosoft.com",
                                 MEND_PROTOCOL_SMTP);
  assert_server (account, "neomutt", "alex@contoso.onmicrosoft.com", "smtp.office365.com", 587,
                 MEND_SECURITY_STARTTLS, MEND_AUTH_PASSWORD);
  mend_test_scan_assert_source (scan, account, ".config/neomutt/accounts/work.muttrc");
  g_assert_true (mend_account_has_finding (account, "basic-auth"));

  assert_no_secret (scan, "correct horse");
  assert_no_file (scan, "SOURCED-COMMAND-RAN");
  mend_test_scan_assert_unchanged (scan);
}

static void
test_neomutt_oauth_and_hooks (void)
{
  g_autoptr(MendTestScan) scan = mend_test_scan_new ("neomutt-oauth");
  MendAccount *account;

  mend_test_scan_run (scan);

  /* Sam's two servers; Robin's IMAP server from the account-hook (its
   * mailboxes and the folder-hook pattern name it again) and SMTP server
   * from the folder-hook. */
  assert_count (scan, "neomutt", 4);
  assert_count (scan, "mutt", 0);
  assert_count (scan, NULL, 4);
  g_assert_cmpuint (mend_scan_context_get_findings (scan->context)->len, ==, 0);

  account = mend_test_scan_find (scan, "neomutt", "sam@outlook.com", MEND_PROTOCOL_IMAP);
  assert_server (account, "neomutt", "sam@outlook.com", "outlook.office365.com", 993,
                 MEND_SECURITY_TLS, MEND_AUTH_OAUTH2);
  mend_test_scan_assert_source (scan, account, ".neomuttrc");
  g_assert_true (mend_account_has_finding (account, "oauth-ready"));
  g_assert_false (mend_account_has_finding (account, "basic-auth"));

  account = mend_test_scan_find (scan, "neomutt", "sam@outlook.com", MEND_PROTOCOL_SMTP);
  assert_server (account, "neomutt", "sam@outlook.com", "smtp.office365.com", 587,
                 MEND_SECURITY_STARTTLS, MEND_AUTH_OAUTH2);
  g_assert_true (mend_account_has_finding (account, "oauth-ready"));

  /* The hook's own imap_authenticators, not the top level's xoauth2. */
  account = mend_test_scan_find (scan, "neomutt", "robin@example.com", MEND_PROTOCOL_IMAP);
  assert_server (account, "neomutt", "robin@example.com", "mail.example.com", 993,
                 MEND_SECURITY_TLS, MEND_AUTH_PASSWORD);
  mend_test_scan_assert_source (scan, account, ".neomuttrc");
  g_assert_cmpuint (mend_account_get_findings (account)->len, ==, 0);

  account = mend_test_scan_find (scan, "neomutt", "robin@example.com", MEND_PROTOCOL_SMTP);
  assert_server (account, "neomutt", "robin@example.com", "mail.example.com", 465,
                 MEND_SECURITY_TLS, MEND_AUTH_PASSWORD);
  g_assert_cmpuint (mend_account_get_findings (account)->len, ==, 0);

  assert_no_secret (scan, "hunter2");
  mend_test_scan_assert_unchanged (scan);
}

static void
test_neomutt_dotdir (void)
{
  g_autoptr(MendTestScan) scan = mend_test_scan_new ("neomutt-dotdir");
  g_autoptr(GPtrArray) accounts = NULL;
  MendAccount *account;

  mend_test_scan_run (scan);

  /* ~/.neomutt/neomuttrc comes before ~/.neomuttrc, which is not read. */
  assert_count (scan, "neomutt", 2);
  assert_count (scan, "mutt", 0);
  assert_count (scan, NULL, 2);
  accounts = mend_test_scan_accounts (scan, NULL);
  for (guint i = 0; i < accounts->len; i++)
    g_assert_cmpstr (mend_account_get_host (g_ptr_array_index (accounts, i)), !=,
                     "ignored.example.com");

  /* The user is percent-decoded from the URL. */
  account = mend_test_scan_find (scan, "neomutt", "kim@hotmail.com", MEND_PROTOCOL_POP3);
  assert_server (account, "neomutt", "kim@hotmail.com", "outlook.office365.com", 995,
                 MEND_SECURITY_TLS, MEND_AUTH_PASSWORD);
  mend_test_scan_assert_source (scan, account, ".neomutt/neomuttrc");
  g_assert_true (mend_account_has_finding (account, "pop3-in-use"));
  g_assert_true (mend_account_has_finding (account, "basic-auth"));
  /* NeoMutt's POP has only OAUTHBEARER, which Microsoft does not offer. */
  g_assert_true (mend_account_has_finding (account, "no-oauth-path"));

  account = mend_test_scan_find (scan, "neomutt", "kim@hotmail.com", MEND_PROTOCOL_SMTP);
  assert_server (account, "neomutt", "kim@hotmail.com", "smtp-mail.outlook.com", 465,
                 MEND_SECURITY_TLS, MEND_AUTH_PASSWORD);
  g_assert_true (mend_account_has_finding (account, "basic-auth"));
  g_assert_false (mend_account_has_finding (account, "no-oauth-path"));

  mend_test_scan_assert_unchanged (scan);
}

static void
test_neomutt_source_cycle (void)
{
  g_autoptr(MendTestScan) scan = mend_test_scan_new ("neomutt-cycle");
  MendAccount *account;

  mend_test_scan_run (scan);

  assert_count (scan, "neomutt", 1);
  g_assert_cmpuint (mend_scan_context_get_findings (scan->context)->len, ==, 0);

  account = mend_test_scan_find (scan, "neomutt", "jo@example.org", MEND_PROTOCOL_IMAP);
  assert_server (account, "neomutt", "jo@example.org", "imap.example.org", 993,
                 MEND_SECURITY_TLS, MEND_AUTH_PASSWORD);
  mend_test_scan_assert_source (scan, account, ".config/neomutt/b.rc");

  mend_test_scan_assert_unchanged (scan);
}

static void
test_neomutt_broken (void)
{
  g_autoptr(MendTestScan) scan = mend_test_scan_new ("neomutt-broken");
  MendAccount *account;

  mend_test_scan_run (scan);

  /* The truncated, binary, folder and backtick files are reported; the
   * missing one is not; the scan goes on with what could be read. */
  g_assert_true (mend_test_scan_has_unreadable (scan, ".config/neomutt/broken.rc"));
  g_assert_true (mend_test_scan_has_unreadable (scan, ".config/neomutt/binary.rc"));
  g_assert_true (mend_test_scan_has_unreadable (scan, ".config/neomutt/folder.rc"));
  g_assert_true (mend_test_scan_has_unreadable (scan, ".config/neomutt/backtick.rc"));
  g_assert_false (mend_test_scan_has_unreadable (scan, ".config/neomutt/neomuttrc"));
  g_assert_false (mend_test_scan_has_unreadable (scan, ".config/neomutt/missing.rc"));
  g_assert_cmpuint (mend_scan_context_get_findings (scan->context)->len, ==, 4);

  assert_count (scan, "neomutt", 2);
  account = mend_test_scan_find (scan, "neomutt", "pat@example.net", MEND_PROTOCOL_IMAP);
  assert_server (account, "neomutt", "pat@example.net", "imap.example.net", 993,
                 MEND_SECURITY_TLS, MEND_AUTH_PASSWORD);
  /* As Mutt does, the line with the open quote still sets the variable. */
  account = mend_test_scan_find (scan, "neomutt", "pat@example.net", MEND_PROTOCOL_SMTP);
  assert_server (account, "neomutt", "pat@example.net", "smtp.example.net", 465,
                 MEND_SECURITY_TLS, MEND_AUTH_PASSWORD);
  mend_test_scan_assert_source (scan, account, ".config/neomutt/broken.rc");

  mend_test_scan_assert_unchanged (scan);
}

static void
test_shared_muttrc (void)
{
  g_autoptr(MendTestScan) scan = mend_test_scan_new ("neomutt-shared-muttrc");
  MendAccount *account;

  mend_test_scan_run (scan);

  /* NeoMutt reads $XDG_CONFIG_HOME/mutt/muttrc, Mutt ~/.mutt/muttrc. */
  assert_count (scan, "neomutt", 1);
  assert_count (scan, "mutt", 1);
  assert_count (scan, NULL, 2);

  account = mend_test_scan_find (scan, "neomutt", "lee@contoso.com", MEND_PROTOCOL_IMAP);
  assert_server (account, "neomutt", "lee@contoso.com", "outlook.office365.com", 993,
                 MEND_SECURITY_TLS, MEND_AUTH_PASSWORD);
  mend_test_scan_assert_source (scan, account, ".config/mutt/muttrc");

  account = mend_test_scan_find (scan, "mutt", "lee@example.com", MEND_PROTOCOL_IMAP);
  assert_server (account, "mutt", "lee", "imap.example.com", 993, MEND_SECURITY_TLS,
                 MEND_AUTH_PASSWORD);
  mend_test_scan_assert_source (scan, account, ".mutt/muttrc");

  mend_test_scan_assert_unchanged (scan);
}

static void
test_mutt_home (void)
{
  g_autoptr(MendTestScan) scan = mend_test_scan_new ("mutt-home");
  MendAccount *account;

  mend_test_scan_run (scan);

  /* NeoMutt would read ~/.muttrc too: listed once, as Mutt's. */
  assert_count (scan, "mutt", 4);
  assert_count (scan, "neomutt", 0);
  assert_count (scan, NULL, 4);
  g_assert_cmpuint (mend_scan_context_get_findings (scan->context)->len, ==, 0);

  /* imap_user = $my_user; imap:// with $ssl_starttls. */
  account = mend_test_scan_find (scan, "mutt", "lee@outlook.com", MEND_PROTOCOL_IMAP);
  assert_server (account, "mutt", "lee@outlook.com", "imap-mail.outlook.com", 143,
                 MEND_SECURITY_STARTTLS, MEND_AUTH_PASSWORD);
  mend_test_scan_assert_source (scan, account, ".muttrc");
  g_assert_true (mend_account_has_finding (account, "basic-auth"));
  g_assert_false (mend_account_has_finding (account, "client-running"));

  /* pop_host as a bare host name; Mutt's POP can do XOAUTH2. */
  account = mend_test_scan_find (scan, "mutt", "lee@outlook.com", MEND_PROTOCOL_POP3);
  assert_server (account, "mutt", "lee@outlook.com", "pop-mail.outlook.com", 110,
                 MEND_SECURITY_STARTTLS, MEND_AUTH_PASSWORD);
  g_assert_true (mend_account_has_finding (account, "pop3-in-use"));
  g_assert_false (mend_account_has_finding (account, "no-oauth-path"));

  /* ${my_user} in the URL, a continued line; smtp:// defaults to port 25. */
  account = mend_test_scan_find (scan, "mutt", "lee@outlook.com", MEND_PROTOCOL_SMTP);
  assert_server (account, "mutt", "lee@outlook.com", "smtp-mail.outlook.com", 25,
                 MEND_SECURITY_STARTTLS, MEND_AUTH_PASSWORD);

  /* Jo's server, named by an account-hook pattern and a mailbox. */
  account = mend_test_scan_find (scan, "mutt", NULL, MEND_PROTOCOL_IMAP);
  assert_server (account, "mutt", "jo", "imap.example.org", 993, MEND_SECURITY_TLS,
                 MEND_AUTH_OTHER);
  g_assert_cmpuint (mend_account_get_findings (account)->len, ==, 0);

  assert_no_secret (scan, "secret");
  assert_no_file (scan, "BACKTICK-RAN");
  mend_test_scan_assert_unchanged (scan);
}

static void
test_mutt_dotdir (void)
{
  g_autoptr(MendTestScan) scan = mend_test_scan_new ("mutt-dotdir");
  MendAccount *account;

  mend_test_scan_run (scan);

  /* Contoso's two servers, and Example's, sourced by an F3 macro. */
  assert_count (scan, "mutt", 4);
  assert_count (scan, "neomutt", 0);
  assert_count (scan, NULL, 4);

  /* A refresh command without imap_authenticators: OAuth is tried first. */
  account = mend_test_scan_find (scan, "mutt", "kim@contoso.com", MEND_PROTOCOL_IMAP);
  assert_server (account, "mutt", "kim@contoso.com", "outlook.office365.com", 993,
                 MEND_SECURITY_TLS, MEND_AUTH_OAUTH2);
  mend_test_scan_assert_source (scan, account, ".mutt/accounts/contoso");
  g_assert_true (mend_account_has_finding (account, "oauth-ready"));

  /* SMTP needs smtp_authenticators for OAuth. */
  account = mend_test_scan_find (scan, "mutt", "kim@contoso.com", MEND_PROTOCOL_SMTP);
  assert_server (account, "mutt", "kim@contoso.com", "smtp.office365.com", 587,
                 MEND_SECURITY_STARTTLS, MEND_AUTH_PASSWORD);
  g_assert_true (mend_account_has_finding (account, "basic-auth"));

  account = mend_test_scan_find (scan, "mutt", "kim@example.net", MEND_PROTOCOL_IMAP);
  assert_server (account, "mutt", "kim@example.net", "imap.example.net", 993, MEND_SECURITY_TLS,
                 MEND_AUTH_PASSWORD);
  mend_test_scan_assert_source (scan, account, ".mutt/accounts/example");
  g_assert_cmpstr (mend_account_get_key (account), ==, "macro <f3>: folder");

  account = mend_test_scan_find (scan, "mutt", "kim@example.net", MEND_PROTOCOL_SMTP);
  assert_server (account, "mutt", "kim@example.net", "smtp.example.net", 465, MEND_SECURITY_TLS,
                 MEND_AUTH_PASSWORD);

  mend_test_scan_assert_unchanged (scan);
}

static void
test_mutt_xdg (void)
{
  g_autoptr(MendTestScan) scan = mend_test_scan_new ("mutt-xdg");
  MendAccount *account;

  mend_test_scan_run (scan);

  assert_count (scan, "mutt", 2);
  assert_count (scan, "neomutt", 0);
  assert_count (scan, NULL, 2);

  account = mend_test_scan_find (scan, "mutt", "pat@example.edu", MEND_PROTOCOL_IMAP);
  assert_server (account, "mutt", "pat", "imap.example.edu", 993, MEND_SECURITY_TLS,
                 MEND_AUTH_OTHER);
  mend_test_scan_assert_source (scan, account, ".config/mutt/muttrc");
  g_assert_cmpuint (mend_account_get_findings (account)->len, ==, 0);

  /* unset ssl_starttls, no ssl_force_tls: no encryption. */
  account = mend_test_scan_find (scan, "mutt", "pat@example.edu", MEND_PROTOCOL_SMTP);
  assert_server (account, "mutt", NULL, "relay.example.edu", 2525, MEND_SECURITY_NONE,
                 MEND_AUTH_PASSWORD);
  g_assert_true (mend_account_has_finding (account, "insecure-connection"));
  g_assert_false (mend_account_has_finding (account, "basic-auth"));

  mend_test_scan_assert_unchanged (scan);
}

static void
test_mutt_broken (void)
{
  g_autoptr(MendTestScan) scan = mend_test_scan_new ("mutt-broken");

  mend_test_scan_run (scan);

  g_assert_true (mend_test_scan_has_unreadable (scan, ".muttrc"));
  g_assert_cmpuint (mend_scan_context_get_findings (scan->context)->len, ==, 1);
  assert_count (scan, "mutt", 0);
  assert_count (scan, "neomutt", 0);
  assert_count (scan, NULL, 0);

  mend_test_scan_assert_unchanged (scan);
}

static void
test_no_config (void)
{
  g_autoptr(MendTestScan) scan = mend_test_scan_new ("empty");

  mend_test_scan_run (scan);

  assert_count (scan, "mutt", 0);
  assert_count (scan, "neomutt", 0);
  assert_count (scan, NULL, 0);
  mend_test_scan_assert_unchanged (scan);
}

static void
test_running (void)
{
  g_autoptr(MendTestScan) scan = mend_test_scan_new ("neomutt-shared-muttrc");
  MendAccount *account;

  mend_test_scan_set_running (scan, "neomutt", NULL);
  mend_test_scan_run (scan);

  /* NeoMutt runs, Mutt does not. */
  account = mend_test_scan_find (scan, "neomutt", "lee@contoso.com", MEND_PROTOCOL_IMAP);
  g_assert_true (mend_account_has_finding (account, "client-running"));
  account = mend_test_scan_find (scan, "mutt", "lee@example.com", MEND_PROTOCOL_IMAP);
  g_assert_false (mend_account_has_finding (account, "client-running"));

  mend_test_scan_assert_unchanged (scan);
}

static void
test_mutt_running (void)
{
  g_autoptr(MendTestScan) scan = mend_test_scan_new ("mutt-home");
  g_autoptr(GPtrArray) accounts = NULL;

  mend_test_scan_set_running (scan, "mutt", NULL);
  mend_test_scan_run (scan);

  accounts = mend_test_scan_accounts (scan, "mutt");
  g_assert_cmpuint (accounts->len, ==, 4);
  for (guint i = 0; i < accounts->len; i++)
    g_assert_true (mend_account_has_finding (g_ptr_array_index (accounts, i), "client-running"));

  mend_test_scan_assert_unchanged (scan);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_set_prgname ("test-client-mutt");

  g_test_add_func ("/client/neomutt/xdg", test_neomutt_xdg);
  g_test_add_func ("/client/neomutt/oauth-and-hooks", test_neomutt_oauth_and_hooks);
  g_test_add_func ("/client/neomutt/dotdir", test_neomutt_dotdir);
  g_test_add_func ("/client/neomutt/source-cycle", test_neomutt_source_cycle);
  g_test_add_func ("/client/neomutt/broken", test_neomutt_broken);
  g_test_add_func ("/client/neomutt/shared-muttrc", test_shared_muttrc);
  g_test_add_func ("/client/neomutt/running", test_running);
  g_test_add_func ("/client/mutt/home", test_mutt_home);
  g_test_add_func ("/client/mutt/dotdir", test_mutt_dotdir);
  g_test_add_func ("/client/mutt/xdg", test_mutt_xdg);
  g_test_add_func ("/client/mutt/broken", test_mutt_broken);
  g_test_add_func ("/client/mutt/no-config", test_no_config);
  g_test_add_func ("/client/mutt/running", test_mutt_running);

  return g_test_run ();
}
