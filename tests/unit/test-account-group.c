/* test-account-group.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "mend-account-group.h"

static MendAccount *
server (const char   *address,
        const char   *key,
        MendProtocol  protocol,
        const char   *host,
        const char   *finding_id)
{
  MendAccount *account = mend_account_new ("thunderbird", "/home/u/.thunderbird/p/prefs.js", key, protocol);

  mend_account_set_profile (account, "/home/u/.thunderbird/p");
  mend_account_set_address (account, address);
  mend_account_set_host (account, host);
  if (finding_id != NULL)
    {
      g_autoptr(MendFinding) finding = mend_finding_new (finding_id, MEND_SEVERITY_ERROR, "t", "e", "r");
      mend_account_add_finding (account, finding);
    }

  return account;
}

static void
test_groups_by_address (void)
{
  g_autoptr(GPtrArray) accounts = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) groups = NULL;
  g_autofree char *protocols = NULL;

  g_ptr_array_add (accounts, server ("a@outlook.com", "s1", MEND_PROTOCOL_IMAP, "outlook.office365.com", "basic-auth"));
  g_ptr_array_add (accounts, server ("b@example.com", "s2", MEND_PROTOCOL_IMAP, "imap.example.com", NULL));
  g_ptr_array_add (accounts, server ("a@outlook.com", "smtp1", MEND_PROTOCOL_SMTP, "smtp.office365.com", "basic-auth"));
  g_ptr_array_add (accounts, server (NULL, "s3", MEND_PROTOCOL_IMAP, "outlook.office365.com", "basic-auth"));
  g_ptr_array_add (accounts, server (NULL, "smtp3", MEND_PROTOCOL_SMTP, "smtp.office365.com", "basic-auth"));

  groups = mend_account_group_collect (accounts);

  /* a@ (IMAP+SMTP), b@, and the two servers without an address apart. */
  g_assert_cmpuint (groups->len, ==, 4);
  g_assert_cmpstr (mend_account_group_get_address (g_ptr_array_index (groups, 0)), ==, "a@outlook.com");
  g_assert_cmpuint (mend_account_group_get_servers (g_ptr_array_index (groups, 0))->len, ==, 2);
  protocols = mend_account_group_dup_protocols (g_ptr_array_index (groups, 0));
  g_assert_cmpstr (protocols, ==, "IMAP, SMTP");
  g_assert_cmpstr (mend_account_group_get_address (g_ptr_array_index (groups, 1)), ==, "b@example.com");
  g_assert_false (mend_account_group_is_microsoft (g_ptr_array_index (groups, 1)));
}

static MendAccountStatus
status_of (const char *imap_finding,
           const char *smtp_finding)
{
  g_autoptr(GPtrArray) accounts = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) groups = NULL;

  g_ptr_array_add (accounts, server ("a@outlook.com", "s1", MEND_PROTOCOL_IMAP, "outlook.office365.com", imap_finding));
  g_ptr_array_add (accounts, server ("a@outlook.com", "t1", MEND_PROTOCOL_SMTP, "smtp.office365.com", smtp_finding));
  groups = mend_account_group_collect (accounts);
  g_assert_cmpuint (groups->len, ==, 1);

  return mend_account_group_get_status (g_ptr_array_index (groups, 0));
}

static void
test_status (void)
{
  g_assert_cmpint (status_of ("basic-auth", "basic-auth"), ==, MEND_ACCOUNT_STATUS_NEEDS_REPAIR);
  g_assert_cmpint (status_of ("oauth-ready", "basic-auth"), ==, MEND_ACCOUNT_STATUS_NEEDS_REPAIR);
  g_assert_cmpint (status_of ("oauth-ready", "oauth-ready"), ==, MEND_ACCOUNT_STATUS_READY);
  g_assert_cmpint (status_of ("basic-auth", "no-oauth-path"), ==, MEND_ACCOUNT_STATUS_CANNOT_REPAIR);
  g_assert_cmpint (status_of ("client-too-old", "basic-auth"), ==, MEND_ACCOUNT_STATUS_CANNOT_REPAIR);
  g_assert_cmpint (status_of ("oauth-ready", "legacy-host"), ==, MEND_ACCOUNT_STATUS_NEEDS_REPAIR);
  g_assert_cmpint (status_of (NULL, NULL), ==, MEND_ACCOUNT_STATUS_OTHER);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/account-group/by-address", test_groups_by_address);
  g_test_add_func ("/account-group/status", test_status);

  return g_test_run ();
}
