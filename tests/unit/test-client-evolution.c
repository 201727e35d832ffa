/* test-client-evolution.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <unistd.h>

#include "mend-test-scan.h"

#define NATIVE  ".config/evolution/sources"
#define FLATPAK ".var/app/org.gnome.Evolution/config/evolution/sources"

static void
assert_server (MendAccount  *account,
               const char   *host,
               guint         port,
               MendSecurity  security,
               MendAuth      auth,
               const char   *username)
{
  g_assert_cmpstr (mend_account_get_client (account), ==, "evolution");
  g_assert_cmpstr (mend_account_get_host (account), ==, host);
  g_assert_cmpuint (mend_account_get_port (account), ==, port);
  g_assert_cmpint (mend_account_get_security (account), ==, security);
  g_assert_cmpint (mend_account_get_auth (account), ==, auth);
  g_assert_cmpstr (mend_account_get_username (account), ==, username);
  g_assert_null (mend_account_get_client_version (account));
  g_assert_false (mend_account_has_finding (account, "client-running"));
  g_assert_false (mend_account_has_finding (account, "no-oauth-path"));
}

static void
assert_source (MendTestScan *scan,
               MendAccount  *account,
               const char   *folder,
               const char   *uid)
{
  g_autofree char *name = g_strconcat (uid, ".source", NULL);
  g_autofree char *relative = g_build_filename (folder, name, NULL);
  g_autofree char *path = mend_test_scan_path (scan, relative);
  g_autofree char *profile = mend_test_scan_path (scan, folder);

  g_assert_cmpstr (mend_account_get_source (account), ==, path);
  g_assert_cmpstr (mend_account_get_profile (account), ==, profile);
}

static void
test_native_accounts (void)
{
  g_autoptr(MendTestScan) scan = mend_test_scan_new ("evolution-native");
  g_autoptr(GPtrArray) accounts = NULL;
  MendAccount *account;

  mend_test_scan_run (scan);

  /* Seven servers of five IMAP/POP accounts, one EWS and one Graph
   * account; nothing from the GOA collection or the built-in sources. */
  accounts = mend_test_scan_accounts (scan, "evolution");
  g_assert_cmpuint (accounts->len, ==, 12);
  g_assert_cmpuint (mend_scan_context_get_findings (scan->context)->len, ==, 0);

  /* Outlook.com on outlook.office365.com, “none” = normal password. */
  account = mend_test_scan_find (scan, "evolution", "jane.doe@outlook.com", MEND_PROTOCOL_IMAP);
  assert_server (account, "outlook.office365.com", 993, MEND_SECURITY_TLS, MEND_AUTH_PASSWORD,
                 "jane.doe@outlook.com");
  assert_source (scan, account, NATIVE, "3b1e6c0d5f2a4b8e9c7d1a2b3c4d5e6f70819a2b");
  g_assert_cmpstr (mend_account_get_key (account), ==, "3b1e6c0d5f2a4b8e9c7d1a2b3c4d5e6f70819a2b");
  g_assert_true (mend_account_is_microsoft (account));
  g_assert_true (mend_account_has_finding (account, "basic-auth"));
  g_assert_false (mend_account_has_finding (account, "oauth-ready"));

  /* Its transport, found through the identity's TransportUid. */
  account = mend_test_scan_find (scan, "evolution", "jane.doe@outlook.com", MEND_PROTOCOL_SMTP);
  assert_server (account, "smtp.office365.com", 587, MEND_SECURITY_STARTTLS, MEND_AUTH_PASSWORD,
                 "jane.doe@outlook.com");
  assert_source (scan, account, NATIVE, "1700000001.4711.2@workstation");
  g_assert_true (mend_account_has_finding (account, "basic-auth"));

  /* Already on OAuth 2.0 (“Outlook”). */
  account = mend_test_scan_find (scan, "evolution", "alex@contoso.onmicrosoft.com",
                                 MEND_PROTOCOL_IMAP);
  assert_server (account, "outlook.office365.com", 993, MEND_SECURITY_TLS, MEND_AUTH_OAUTH2,
                 "alex@contoso.onmicrosoft.com");
  g_assert_true (mend_account_has_finding (account, "oauth-ready"));
  g_assert_false (mend_account_has_finding (account, "basic-auth"));
  account = mend_test_scan_find (scan, "evolution", "alex@contoso.onmicrosoft.com",
                                 MEND_PROTOCOL_SMTP);
  assert_server (account, "smtp.office365.com", 587, MEND_SECURITY_STARTTLS, MEND_AUTH_OAUTH2,
                 "alex@contoso.onmicrosoft.com");
  g_assert_true (mend_account_has_finding (account, "oauth-ready"));

  /* POP elsewhere: no Microsoft findings. */
  account = mend_test_scan_find (scan, "evolution", "sam@example.com", MEND_PROTOCOL_POP3);
  assert_server (account, "pop.example.com", 995, MEND_SECURITY_TLS, MEND_AUTH_PASSWORD, "sam");
  g_assert_false (mend_account_is_microsoft (account));
  g_assert_cmpuint (mend_account_get_findings (account)->len, ==, 0);
  account = mend_test_scan_find (scan, "evolution", "sam@example.com", MEND_PROTOCOL_SMTP);
  assert_server (account, "smtp.example.com", 465, MEND_SECURITY_TLS, MEND_AUTH_PASSWORD, "sam");
  g_assert_cmpuint (mend_account_get_findings (account)->len, ==, 0);

  /* Hotmail over POP, no port: the default; SMTP with NTLM is a password too. */
  account = mend_test_scan_find (scan, "evolution", "pat@hotmail.com", MEND_PROTOCOL_POP3);
  assert_server (account, "pop-mail.outlook.com", 995, MEND_SECURITY_TLS, MEND_AUTH_PASSWORD,
                 "pat@hotmail.com");
  g_assert_true (mend_account_has_finding (account, "pop3-in-use"));
  g_assert_true (mend_account_has_finding (account, "basic-auth"));
  account = mend_test_scan_find (scan, "evolution", "pat@hotmail.com", MEND_PROTOCOL_SMTP);
  assert_server (account, "smtp-mail.outlook.com", 587, MEND_SECURITY_STARTTLS,
                 MEND_AUTH_PASSWORD, "pat@hotmail.com");
  g_assert_true (mend_account_has_finding (account, "basic-auth"));

  /* A disabled account still counts; SMTP with no method and no user has no auth. */
  account = mend_test_scan_find (scan, "evolution", "kim@example.org", MEND_PROTOCOL_IMAP);
  assert_server (account, "imap.example.org", 143, MEND_SECURITY_STARTTLS, MEND_AUTH_PASSWORD,
                 "kim");
  account = mend_test_scan_find (scan, "evolution", "kim@example.org", MEND_PROTOCOL_SMTP);
  assert_server (account, "smtp.example.org", 25, MEND_SECURITY_NONE, MEND_AUTH_NONE, NULL);
  g_assert_true (mend_account_has_finding (account, "insecure-connection"));

  /* EWS: the server, user and method come from the collection, the host
   * from its Hosturl; the transport (BackendName=ews) is no server of its own. */
  account = mend_test_scan_find (scan, "evolution", "lee@contoso.com", MEND_PROTOCOL_EWS);
  assert_server (account, "outlook.office365.com", 443, MEND_SECURITY_TLS, MEND_AUTH_PASSWORD,
                 "lee@contoso.com");
  assert_source (scan, account, NATIVE, "f0a7e7f5a00db376e2a50d770ba037253b3d3c36");
  g_assert_cmpstr (mend_account_get_key (account), ==, "ac1ba36696307e7641c49b8bedf84b961343bf6c");
  g_assert_true (mend_account_has_finding (account, "basic-auth"));

  /* Microsoft 365 over Graph. */
  account = mend_test_scan_find (scan, "evolution", "robin@contoso.com", MEND_PROTOCOL_GRAPH);
  assert_server (account, "graph.microsoft.com", 443, MEND_SECURITY_TLS, MEND_AUTH_OAUTH2,
                 "robin@contoso.com");
  assert_source (scan, account, NATIVE, "c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c0d1");

  /* Managed by GNOME Online Accounts, directly or two steps down. */
  for (guint i = 0; i < accounts->len; i++)
    {
      account = g_ptr_array_index (accounts, i);
      g_assert_cmpstr (mend_account_get_address (account), !=, "taylor@outlook.com");
      g_assert_cmpstr (mend_account_get_host (account), !=, "imap-mail.outlook.com");
    }

  /* Nobody else reads Evolution's sources. */
  g_assert_cmpuint (mend_scan_context_get_accounts (scan->context)->len, ==, 12);

  mend_test_scan_assert_unchanged (scan);
}

static void
test_flatpak_and_native (void)
{
  g_autoptr(MendTestScan) scan = mend_test_scan_new ("evolution-flatpak");
  g_autoptr(GPtrArray) accounts = NULL;
  MendAccount *account;

  mend_test_scan_run (scan);

  accounts = mend_test_scan_accounts (scan, "evolution");
  g_assert_cmpuint (accounts->len, ==, 4);

  account = mend_test_scan_find (scan, "evolution", "chris@outlook.com", MEND_PROTOCOL_IMAP);
  assert_server (account, "imap-mail.outlook.com", 993, MEND_SECURITY_TLS, MEND_AUTH_PASSWORD,
                 "chris@outlook.com");
  assert_source (scan, account, FLATPAK, "0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c");
  g_assert_true (mend_account_has_finding (account, "basic-auth"));
  account = mend_test_scan_find (scan, "evolution", "chris@outlook.com", MEND_PROTOCOL_SMTP);
  assert_server (account, "smtp-mail.outlook.com", 587, MEND_SECURITY_STARTTLS,
                 MEND_AUTH_PASSWORD, "chris@outlook.com");
  assert_source (scan, account, FLATPAK, "0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b9e");

  account = mend_test_scan_find (scan, "evolution", "drew@example.net", MEND_PROTOCOL_IMAP);
  assert_server (account, "imap.example.net", 993, MEND_SECURITY_TLS, MEND_AUTH_PASSWORD,
                 "drew@example.net");
  assert_source (scan, account, NATIVE, "4d5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b1c2d3e");
  account = mend_test_scan_find (scan, "evolution", "drew@example.net", MEND_PROTOCOL_SMTP);
  assert_server (account, "smtp.example.net", 587, MEND_SECURITY_STARTTLS, MEND_AUTH_PASSWORD,
                 "drew@example.net");
  g_assert_false (mend_account_is_microsoft (account));

  mend_test_scan_assert_unchanged (scan);
}

static void
test_broken_sources (void)
{
  g_autoptr(MendTestScan) scan = mend_test_scan_new ("evolution-broken");
  g_autoptr(GPtrArray) accounts = NULL;
  MendAccount *account;

  mend_test_scan_run (scan);

  g_assert_true (mend_test_scan_has_unreadable (scan, NATIVE "/garbage.source"));
  g_assert_true (mend_test_scan_has_unreadable (scan, NATIVE "/binary.source"));
  g_assert_true (mend_test_scan_has_unreadable (scan, NATIVE "/folder.source"));
  g_assert_true (mend_test_scan_has_unreadable (
    scan, NATIVE "/6a7b8c9d0e1f2a3b4c5d6e7f8a9b0c1d2e3f4a5c.source"));
  g_assert_cmpuint (mend_scan_context_get_findings (scan->context)->len, ==, 4);

  /* The scan goes on: the account whose identity is cut off, its
   * transport, and a transport in a Parent= loop. */
  accounts = mend_test_scan_accounts (scan, "evolution");
  g_assert_cmpuint (accounts->len, ==, 3);

  /* Without its identity, the login (an address) stands in. */
  account = mend_test_scan_find (scan, "evolution", "quinn@contoso.com", MEND_PROTOCOL_IMAP);
  assert_server (account, "outlook.office365.com", 993, MEND_SECURITY_TLS, MEND_AUTH_PASSWORD,
                 "quinn@contoso.com");
  account = mend_test_scan_find (scan, "evolution", "quinn@contoso.com", MEND_PROTOCOL_SMTP);
  assert_server (account, "smtp.office365.com", 587, MEND_SECURITY_STARTTLS, MEND_AUTH_PASSWORD,
                 "quinn@contoso.com");

  account = mend_test_scan_find (scan, "evolution", "loop@example.com", MEND_PROTOCOL_SMTP);
  assert_server (account, "smtp.example.com", 587, MEND_SECURITY_STARTTLS, MEND_AUTH_PASSWORD,
                 "loop@example.com");
  assert_source (scan, account, NATIVE, "loop-a");

  mend_test_scan_assert_unchanged (scan);
}

static void
test_unreadable_folder (void)
{
  g_autoptr(MendTestScan) scan = mend_test_scan_new ("evolution-flatpak");
  g_autofree char *native = mend_test_scan_path (scan, NATIVE);
  g_autoptr(GPtrArray) accounts = NULL;
  GStatBuf st;

  if (getuid () == 0)
    {
      g_test_skip ("root reads any folder");
      return;
    }

  g_assert_cmpint (g_stat (native, &st), ==, 0);
  g_assert_cmpint (g_chmod (native, 0), ==, 0);
  mend_test_scan_run (scan);
  g_assert_cmpint (g_chmod (native, st.st_mode & 07777), ==, 0);

  /* Reported, and the Flatpak's sources are still read. */
  g_assert_true (mend_test_scan_has_unreadable (scan, NATIVE));
  accounts = mend_test_scan_accounts (scan, "evolution");
  g_assert_cmpuint (accounts->len, ==, 2);
  mend_test_scan_find (scan, "evolution", "chris@outlook.com", MEND_PROTOCOL_IMAP);

  mend_test_scan_assert_unchanged (scan);
}

static void
test_running (void)
{
  g_autoptr(MendTestScan) scan = mend_test_scan_new ("evolution-flatpak");
  g_autoptr(GPtrArray) accounts = NULL;

  mend_test_scan_set_running (scan, "evolution", NULL);
  mend_test_scan_run (scan);

  /* Native and Flatpak accounts alike: the process has one name. */
  accounts = mend_test_scan_accounts (scan, "evolution");
  g_assert_cmpuint (accounts->len, ==, 4);
  for (guint i = 0; i < accounts->len; i++)
    g_assert_true (mend_account_has_finding (g_ptr_array_index (accounts, i), "client-running"));

  mend_test_scan_assert_unchanged (scan);
}

static void
test_not_running (void)
{
  g_autoptr(MendTestScan) scan = mend_test_scan_new ("evolution-flatpak");
  g_autoptr(GPtrArray) accounts = NULL;

  /* The alarm notifier and the data server's factories are not Evolution. */
  mend_test_scan_set_running (scan, "evolution-alarm", "evolution-sourc", "evolution-calen", NULL);
  mend_test_scan_run (scan);

  accounts = mend_test_scan_accounts (scan, "evolution");
  g_assert_cmpuint (accounts->len, ==, 4);
  for (guint i = 0; i < accounts->len; i++)
    g_assert_false (mend_account_has_finding (g_ptr_array_index (accounts, i), "client-running"));

  mend_test_scan_assert_unchanged (scan);
}

static void
test_stable_ids (void)
{
  g_autoptr(MendTestScan) first = mend_test_scan_new ("evolution-native");
  g_autoptr(MendTestScan) second = mend_test_scan_new ("evolution-native");
  g_autoptr(GPtrArray) first_accounts = NULL;
  g_autoptr(GPtrArray) second_accounts = NULL;
  g_autoptr(GHashTable) ids = g_hash_table_new (g_str_hash, g_str_equal);

  mend_test_scan_run (first);
  mend_test_scan_run (second);
  first_accounts = mend_test_scan_accounts (first, "evolution");
  second_accounts = mend_test_scan_accounts (second, "evolution");
  g_assert_cmpuint (first_accounts->len, ==, second_accounts->len);

  /* Unique within a scan, and the same key for the same server each time. */
  for (guint i = 0; i < first_accounts->len; i++)
    {
      MendAccount *a = g_ptr_array_index (first_accounts, i);
      MendAccount *b = g_ptr_array_index (second_accounts, i);

      g_assert_true (g_hash_table_add (ids, (gpointer) mend_account_get_id (a)));
      g_assert_cmpstr (mend_account_get_key (a), ==, mend_account_get_key (b));
      g_assert_cmpint (mend_account_get_protocol (a), ==, mend_account_get_protocol (b));
    }

  mend_test_scan_assert_unchanged (first);
  mend_test_scan_assert_unchanged (second);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_set_prgname ("test-client-evolution");

  g_test_add_func ("/client/evolution/native", test_native_accounts);
  g_test_add_func ("/client/evolution/flatpak", test_flatpak_and_native);
  g_test_add_func ("/client/evolution/broken", test_broken_sources);
  g_test_add_func ("/client/evolution/unreadable-folder", test_unreadable_folder);
  g_test_add_func ("/client/evolution/running", test_running);
  g_test_add_func ("/client/evolution/not-running", test_not_running);
  g_test_add_func ("/client/evolution/stable-ids", test_stable_ids);

  return g_test_run ();
}
