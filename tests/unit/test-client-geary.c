/* test-client-geary.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "mend-test-scan.h"

#define NATIVE  ".config/geary"
#define FLATPAK ".var/app/org.gnome.Geary/config/geary"

static void
assert_server (MendTestScan *scan,
               MendAccount  *account,
               const char   *folder,
               const char   *account_dir,
               const char   *host,
               guint         port,
               MendSecurity  security,
               MendAuth      auth,
               const char   *username)
{
  g_autofree char *relative = g_build_filename (folder, account_dir, "geary.ini", NULL);
  g_autofree char *source = mend_test_scan_path (scan, relative);
  g_autofree char *profile = mend_test_scan_path (scan, folder);
  gboolean imap = mend_account_get_protocol (account) == MEND_PROTOCOL_IMAP;

  g_assert_cmpstr (mend_account_get_client (account), ==, "geary");
  g_assert_cmpstr (mend_account_get_source (account), ==, source);
  g_assert_cmpstr (mend_account_get_profile (account), ==, profile);
  g_assert_cmpstr (mend_account_get_key (account), ==, imap ? "incoming" : "outgoing");
  g_assert_null (mend_account_get_client_version (account));
  g_assert_cmpstr (mend_account_get_host (account), ==, host);
  g_assert_cmpuint (mend_account_get_port (account), ==, port);
  g_assert_cmpint (mend_account_get_security (account), ==, security);
  g_assert_cmpint (mend_account_get_auth (account), ==, auth);
  g_assert_cmpstr (mend_account_get_username (account), ==, username);
  g_assert_false (mend_account_has_finding (account, "client-running"));
}

static void
assert_no_oauth_path (MendAccount *account)
{
  g_assert_true (mend_account_is_microsoft (account));
  g_assert_true (mend_account_has_finding (account, "basic-auth"));
  g_assert_true (mend_account_has_finding (account, "no-oauth-path"));
}

static void
test_native_accounts (void)
{
  g_autoptr(MendTestScan) scan = mend_test_scan_new ("geary-native");
  g_autoptr(GPtrArray) accounts = NULL;
  MendAccount *account;

  mend_test_scan_run (scan);

  /* account_01 to _04 and the legacy _06; not the removed _05 nor the GOA one. */
  accounts = mend_test_scan_accounts (scan, "geary");
  g_assert_cmpuint (accounts->len, ==, 10);
  g_assert_cmpuint (mend_scan_context_get_accounts (scan->context)->len, ==, 10);
  g_assert_cmpuint (mend_scan_context_get_findings (scan->context)->len, ==, 0);

  /* “Other” provider on Microsoft 365; SMTP uses the incoming login. */
  account = mend_test_scan_find (scan, "geary", "jane@contoso.com", MEND_PROTOCOL_IMAP);
  assert_server (scan, account, NATIVE, "account_01", "outlook.office365.com", 993,
                 MEND_SECURITY_TLS, MEND_AUTH_PASSWORD, "jane@contoso.com");
  assert_no_oauth_path (account);
  account = mend_test_scan_find (scan, "geary", "jane@contoso.com", MEND_PROTOCOL_SMTP);
  assert_server (scan, account, NATIVE, "account_01", "smtp.office365.com", 587,
                 MEND_SECURITY_STARTTLS, MEND_AUTH_PASSWORD, "jane@contoso.com");
  assert_no_oauth_path (account);

  /* The Outlook provider: no hosts in the file, Geary's own. */
  account = mend_test_scan_find (scan, "geary", "sam@outlook.com", MEND_PROTOCOL_IMAP);
  assert_server (scan, account, NATIVE, "account_02", "imap-mail.outlook.com", 993,
                 MEND_SECURITY_TLS, MEND_AUTH_PASSWORD, "sam@outlook.com");
  assert_no_oauth_path (account);
  account = mend_test_scan_find (scan, "geary", "sam@outlook.com", MEND_PROTOCOL_SMTP);
  assert_server (scan, account, NATIVE, "account_02", "smtp-mail.outlook.com", 587,
                 MEND_SECURITY_STARTTLS, MEND_AUTH_PASSWORD, "sam@outlook.com");
  assert_no_oauth_path (account);

  /* Elsewhere; the first sender is the address; SMTP without auth or TLS,
   * port 0 is Geary's default for it (25). */
  account = mend_test_scan_find (scan, "geary", "alex@example.com", MEND_PROTOCOL_IMAP);
  assert_server (scan, account, NATIVE, "account_03", "imap.example.com", 143,
                 MEND_SECURITY_STARTTLS, MEND_AUTH_PASSWORD, "alex");
  g_assert_cmpuint (mend_account_get_findings (account)->len, ==, 0);
  account = mend_test_scan_find (scan, "geary", "alex@example.com", MEND_PROTOCOL_SMTP);
  assert_server (scan, account, NATIVE, "account_03", "mail.example.com", 25,
                 MEND_SECURITY_NONE, MEND_AUTH_NONE, NULL);
  g_assert_true (mend_account_has_finding (account, "insecure-connection"));
  g_assert_false (mend_account_has_finding (account, "no-oauth-path"));

  /* Disabled Gmail account: reported, with Gmail's servers. */
  account = mend_test_scan_find (scan, "geary", "chris@gmail.com", MEND_PROTOCOL_IMAP);
  assert_server (scan, account, NATIVE, "account_04", "imap.gmail.com", 993,
                 MEND_SECURITY_TLS, MEND_AUTH_PASSWORD, "chris@gmail.com");
  g_assert_cmpuint (mend_account_get_findings (account)->len, ==, 0);
  account = mend_test_scan_find (scan, "geary", "chris@gmail.com", MEND_PROTOCOL_SMTP);
  assert_server (scan, account, NATIVE, "account_04", "smtp.gmail.com", 465,
                 MEND_SECURITY_TLS, MEND_AUTH_PASSWORD, "chris@gmail.com");

  /* The un-versioned format. */
  account = mend_test_scan_find (scan, "geary", "lee@hotmail.com", MEND_PROTOCOL_IMAP);
  assert_server (scan, account, NATIVE, "account_06", "imap-mail.outlook.com", 993,
                 MEND_SECURITY_TLS, MEND_AUTH_PASSWORD, "lee@hotmail.com");
  assert_no_oauth_path (account);
  account = mend_test_scan_find (scan, "geary", "lee@hotmail.com", MEND_PROTOCOL_SMTP);
  assert_server (scan, account, NATIVE, "account_06", "smtp-mail.outlook.com", 587,
                 MEND_SECURITY_STARTTLS, MEND_AUTH_PASSWORD, "lee@hotmail.com");
  assert_no_oauth_path (account);

  /* Removed, or GNOME Online Accounts' (the GOA client reports it). */
  for (guint i = 0; i < accounts->len; i++)
    {
      account = g_ptr_array_index (accounts, i);
      g_assert_cmpstr (mend_account_get_address (account), !=, "gone@outlook.com");
      g_assert_cmpstr (mend_account_get_address (account), !=, "taylor@outlook.com");
    }

  mend_test_scan_assert_unchanged (scan);
}

static void
test_flatpak (void)
{
  g_autoptr(MendTestScan) scan = mend_test_scan_new ("geary-flatpak");
  g_autoptr(GPtrArray) accounts = NULL;
  MendAccount *account;

  mend_test_scan_run (scan);

  accounts = mend_test_scan_accounts (scan, "geary");
  g_assert_cmpuint (accounts->len, ==, 2);

  account = mend_test_scan_find (scan, "geary", "morgan@contoso.com", MEND_PROTOCOL_IMAP);
  assert_server (scan, account, FLATPAK, "account_01", "outlook.office365.com", 993,
                 MEND_SECURITY_TLS, MEND_AUTH_PASSWORD, "morgan@contoso.com");
  assert_no_oauth_path (account);
  account = mend_test_scan_find (scan, "geary", "morgan@contoso.com", MEND_PROTOCOL_SMTP);
  assert_server (scan, account, FLATPAK, "account_01", "smtp.office365.com", 587,
                 MEND_SECURITY_STARTTLS, MEND_AUTH_PASSWORD, "morgan@contoso.com");
  assert_no_oauth_path (account);

  mend_test_scan_assert_unchanged (scan);
}

static void
test_broken (void)
{
  g_autoptr(MendTestScan) scan = mend_test_scan_new ("geary-broken");
  g_autoptr(GPtrArray) accounts = NULL;
  MendAccount *account;

  mend_test_scan_run (scan);

  g_assert_true (mend_test_scan_has_unreadable (scan, NATIVE "/account_01/geary.ini"));
  g_assert_true (mend_test_scan_has_unreadable (scan, NATIVE "/account_02/geary.ini"));
  g_assert_true (mend_test_scan_has_unreadable (scan, NATIVE "/account_05/geary.ini"));
  /* account_04 is a file, not an account folder: nothing to say. */
  g_assert_cmpuint (mend_scan_context_get_findings (scan->context)->len, ==, 3);

  accounts = mend_test_scan_accounts (scan, "geary");
  g_assert_cmpuint (accounts->len, ==, 2);

  account = mend_test_scan_find (scan, "geary", "riley@example.com", MEND_PROTOCOL_IMAP);
  assert_server (scan, account, NATIVE, "account_03", "imap.example.com", 993,
                 MEND_SECURITY_TLS, MEND_AUTH_PASSWORD, "riley@example.com");
  account = mend_test_scan_find (scan, "geary", "riley@example.com", MEND_PROTOCOL_SMTP);
  assert_server (scan, account, NATIVE, "account_03", "smtp.example.com", 465,
                 MEND_SECURITY_TLS, MEND_AUTH_PASSWORD, "riley-smtp");

  mend_test_scan_assert_unchanged (scan);
}

static void
test_running (void)
{
  g_autoptr(MendTestScan) scan = mend_test_scan_new ("geary-flatpak");
  g_autoptr(GPtrArray) accounts = NULL;

  mend_test_scan_set_running (scan, "geary", NULL);
  mend_test_scan_run (scan);

  accounts = mend_test_scan_accounts (scan, "geary");
  g_assert_cmpuint (accounts->len, ==, 2);
  for (guint i = 0; i < accounts->len; i++)
    g_assert_true (mend_account_has_finding (g_ptr_array_index (accounts, i), "client-running"));

  mend_test_scan_assert_unchanged (scan);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_set_prgname ("test-client-geary");

  g_test_add_func ("/client/geary/native", test_native_accounts);
  g_test_add_func ("/client/geary/flatpak", test_flatpak);
  g_test_add_func ("/client/geary/broken", test_broken);
  g_test_add_func ("/client/geary/running", test_running);

  return g_test_run ();
}
