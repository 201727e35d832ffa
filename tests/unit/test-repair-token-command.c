/* test-repair-token-command.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Repair plans of the clients that run `mailmend token ADDRESS` (NeoMutt and Mutt, msmtp,
 * mbsync, aerc, himalaya, OfflineIMAP, Sylpheed), on copies of the fixture homes: each plan
 * changes exactly the intended lines (the diff's removed and added lines are compared whole,
 * so every other byte is the same), planning writes nothing, the written result scans as
 * OAuth 2.0, `signin-needed` comes without a stored sign-in, and the command in the file
 * reaches `sh -c` (or the client's own argv) as the words Mailmend meant.
 */

#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "mend-ini.h"
#include "mend-muttrc.h"
#include "mend-repairer.h"
#include "mend-test-scan.h"
#include "mend-toml.h"

typedef struct
{
  MendTestScan      *scan;
  MendScanner       *scanner;
  MendRepairContext *context;
} Repair;

static Repair *
repair_new (const char *fixture,
            const char *config_home)
{
  Repair *repair = g_new0 (Repair, 1);

  repair->scan = mend_test_scan_new (fixture);
  if (config_home != NULL)
    mend_test_scan_set_config_home (repair->scan, config_home);
  mend_test_scan_run (repair->scan);
  repair->scanner = mend_scanner_new ();
  repair->context = mend_repair_context_new (repair->scan->context);

  return repair;
}

static void
repair_free (Repair *repair)
{
  g_clear_object (&repair->context);
  g_clear_object (&repair->scanner);
  g_clear_pointer (&repair->scan, mend_test_scan_free);
  g_free (repair);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Repair, repair_free)

static MendRepairPlan *
plan_for (Repair       *repair,
          const char   *client,
          const char   *address,
          MendProtocol  protocol)
{
  g_autoptr(MendRepairer) repairer = mend_repairer_new (repair->scanner, repair->context);
  g_autoptr(GError) error = NULL;
  MendAccount *account = mend_test_scan_find (repair->scan, client, address, protocol);
  MendRepairPlan *plan;

  plan = mend_repairer_plan (repairer, mend_account_get_id (account), &error);
  g_assert_no_error (error);
  g_assert_nonnull (plan);

  /* Planning only reads. */
  mend_test_scan_assert_unchanged (repair->scan);

  return plan;
}

static void
assert_finding_ids (MendRepairPlan *plan,
                    const char     *expected)
{
  GPtrArray *findings = mend_repair_plan_get_findings (plan);
  g_autoptr(GString) ids = g_string_new (NULL);

  for (guint i = 0; i < findings->len; i++)
    {
      if (i > 0)
        g_string_append_c (ids, ' ');
      g_string_append (ids, mend_finding_get_id (g_ptr_array_index (findings, i)));
    }

  g_assert_cmpstr (ids->str, ==, expected);
}

/* The one edit of @plan, of the file @relative_path of the home. */
static MendFileEdit *
only_edit (Repair         *repair,
           MendRepairPlan *plan,
           const char     *relative_path)
{
  g_autoptr(GPtrArray) edits = mend_repair_plan_dup_edits (plan);
  g_autofree char *path = mend_test_scan_path (repair->scan, relative_path);

  g_assert_cmpuint (edits->len, ==, 1);
  g_assert_cmpstr (mend_file_edit_get_path (g_ptr_array_index (edits, 0)), ==, path);

  return g_object_ref (g_ptr_array_index (edits, 0));
}

/* The diff's removed and added lines, each group in order, as `-line` / `+line` lines. */
static void
assert_diff (MendFileEdit *edit,
             const char   *removed,
             const char   *added)
{
  g_autofree char *diff = mend_file_edit_dup_diff (edit);
  g_auto(GStrv) lines = g_strsplit (diff, "\n", -1);
  g_autoptr(GString) minus = g_string_new (NULL);
  g_autoptr(GString) plus = g_string_new (NULL);

  g_test_message ("%s", diff);
  g_assert_true (g_str_has_prefix (lines[0], "--- "));
  g_assert_true (g_str_has_prefix (lines[1], "+++ "));

  for (guint i = 2; lines[i] != NULL; i++)
    {
      if (lines[i][0] == '-')
        g_string_append_printf (minus, "%s\n", lines[i] + 1);
      else if (lines[i][0] == '+')
        g_string_append_printf (plus, "%s\n", lines[i] + 1);
    }

  g_assert_cmpstr (minus->str, ==, removed);
  g_assert_cmpstr (plus->str, ==, added);
}

static void
write_edits (MendRepairPlan *plan)
{
  g_autoptr(GPtrArray) edits = mend_repair_plan_dup_edits (plan);

  for (guint i = 0; i < edits->len; i++)
    {
      MendFileEdit *edit = g_ptr_array_index (edits, i);
      GBytes *bytes = mend_file_edit_get_replacement (edit);
      g_autoptr(GError) error = NULL;

      g_file_set_contents (mend_file_edit_get_path (edit), g_bytes_get_data (bytes, NULL),
                           g_bytes_get_size (bytes), &error);
      g_assert_no_error (error);
    }
}

/* Writes the plan's edits as the journal would, for a next plan to start from. */
static void
apply (Repair         *repair,
       MendRepairPlan *plan)
{
  write_edits (plan);
  mend_test_scan_snapshot (repair->scan);
}

/* A new scan of the home, as the next `mailmend scan` would see it. */
static MendScanContext *
rescan (Repair *repair)
{
  MendScanContext *scan_context = repair->scan->context;
  MendScanContext *context;

  context = mend_scan_context_new (mend_scan_context_get_home_dir (scan_context),
                                   mend_scan_context_get_config_dir (scan_context));
  mend_scan_context_set_proc_dir (context, repair->scan->proc_dir);
  mend_scanner_scan (repair->scanner, context);
  g_assert_cmpuint (mend_scan_context_get_findings (context)->len, ==, 0);

  return context;
}

static MendAccount *
find_by_key (MendScanContext *context,
             const char      *client,
             const char      *key)
{
  GPtrArray *accounts = mend_scan_context_get_accounts (context);

  for (guint i = 0; i < accounts->len; i++)
    {
      MendAccount *account = g_ptr_array_index (accounts, i);

      if (g_str_equal (mend_account_get_client (account), client) &&
          g_str_equal (mend_account_get_key (account), key))
        return account;
    }

  g_error ("No %s account %s after the repair", client, key);
}

/* Writes the plan, scans again, and checks the auth of the servers @keys name (a
 * NULL-terminated list of key, expected MendAuth as a string). */
static void
assert_rescan (Repair         *repair,
               MendRepairPlan *plan,
               const char     *client,
               ...)
{
  g_autoptr(MendScanContext) context = NULL;
  const char *key;
  va_list args;

  write_edits (plan);
  context = rescan (repair);

  va_start (args, client);
  while ((key = va_arg (args, const char *)) != NULL)
    {
      const char *auth = va_arg (args, const char *);
      MendAccount *account = find_by_key (context, client, key);

      g_assert_cmpstr (mend_auth_to_string (mend_account_get_auth (account)), ==, auth);
      if (g_str_equal (auth, "oauth2"))
        g_assert_false (mend_account_has_finding (account, "basic-auth"));
    }
  va_end (args);
}

static void
test_msmtp_home (void)
{
  g_autoptr(Repair) repair = repair_new ("msmtp-home", NULL);
  g_autoptr(MendRepairPlan) plan = NULL;
  g_autoptr(MendFileEdit) edit = NULL;

  mend_repair_context_add_signed_in_address (repair->context, "Alex@Contoso.onmicrosoft.com");
  plan = plan_for (repair, "msmtp", "alex@contoso.onmicrosoft.com", MEND_PROTOCOL_SMTP);

  assert_finding_ids (plan, "");
  g_assert_true (mend_repair_plan_can_apply (plan));
  g_assert_false (mend_repair_plan_get_must_close (plan));
  g_assert_cmpstr (mend_repair_plan_get_notes (plan)[0], ==,
                   "msmtp asks Mailmend for a sign-in token each time it sends a message.");

  /* `auth on` came from defaults: the account gets its own, laid out like its lines. */
  edit = only_edit (repair, plan, ".msmtprc");
  assert_diff (edit,
               "passwordeval   \"touch ~/PASSWORDEVAL-RAN; secret-tool lookup host "
               "smtp.office365.com\"\n",
               "auth           xoauth2\n"
               "passwordeval   \"mailmend token alex@contoso.onmicrosoft.com\"\n");

  /* work-alias inherits the new settings from work; the others are as they were. */
  assert_rescan (repair, plan, "msmtp",
                 "account work", "oauth2",
                 "account work-alias", "oauth2",
                 "account personal", "oauth2",
                 "account example", "password",
                 "account relay", "none",
                 NULL);
}

/* msmtp 1.2 style: no `account` line; `auth login` and `password` of its own. */
static void
test_msmtp_xdg (void)
{
  g_autoptr(Repair) repair = repair_new ("msmtp-xdg", ".config");
  g_autoptr(MendRepairPlan) plan = NULL;
  g_autoptr(MendFileEdit) edit = NULL;

  mend_repair_context_add_signed_in_address (repair->context, "kim@contoso.com");
  plan = plan_for (repair, "msmtp", "kim@contoso.com", MEND_PROTOCOL_SMTP);
  assert_finding_ids (plan, "");

  edit = only_edit (repair, plan, ".config/msmtp/config");
  assert_diff (edit,
               "auth login\n"
               "password secret\n",
               "auth xoauth2\n"
               "passwordeval \"mailmend token kim@contoso.com\"\n");

  assert_rescan (repair, plan, "msmtp", "account default", "oauth2", NULL);
}

/* A password in `defaults` would win over passwordeval: it is overridden. */
static void
test_msmtp_inherited_password (void)
{
  g_autoptr(Repair) repair = repair_new ("msmtp-defaults-password", NULL);
  g_autoptr(MendRepairPlan) plan = NULL;
  g_autoptr(MendFileEdit) edit = NULL;

  mend_repair_context_add_signed_in_address (repair->context, "pat@outlook.com");
  plan = plan_for (repair, "msmtp", "pat@outlook.com", MEND_PROTOCOL_SMTP);
  assert_finding_ids (plan, "");

  edit = only_edit (repair, plan, ".msmtprc");
  assert_diff (edit,
               "",
               "auth     xoauth2\n"
               "passwordeval \"mailmend token pat@outlook.com\"\n"
               "password \"\"\n");

  assert_rescan (repair, plan, "msmtp", "account outlook", "oauth2", NULL);
}

/* Without a stored sign-in the plan still shows its edits, for a dry run. */
static void
test_msmtp_signin_needed (void)
{
  g_autoptr(Repair) repair = repair_new ("msmtp-home", NULL);
  g_autoptr(MendRepairPlan) plan = NULL;
  g_autoptr(GPtrArray) edits = NULL;

  mend_repair_context_add_signed_in_address (repair->context, "someone.else@outlook.com");
  plan = plan_for (repair, "msmtp", "alex@contoso.onmicrosoft.com", MEND_PROTOCOL_SMTP);

  assert_finding_ids (plan, "signin-needed");
  g_assert_false (mend_repair_plan_can_apply (plan));
  edits = mend_repair_plan_dup_edits (plan);
  g_assert_cmpuint (edits->len, ==, 1);
}

static void
test_mbsync_home (void)
{
  g_autoptr(Repair) repair = repair_new ("mbsync-home", NULL);
  g_autoptr(MendRepairPlan) plan = NULL;
  g_autoptr(MendFileEdit) edit = NULL;

  mend_repair_context_add_signed_in_address (repair->context, "alex@contoso.onmicrosoft.com");
  mend_repair_context_add_signed_in_address (repair->context, "lee@hotmail.com");

  plan = plan_for (repair, "mbsync", "alex@contoso.onmicrosoft.com", MEND_PROTOCOL_IMAP);
  assert_finding_ids (plan, "");
  g_assert_false (mend_repair_plan_get_must_close (plan));
  g_assert_cmpstr (mend_repair_plan_get_notes (plan)[0], ==,
                   "mbsync asks Mailmend for a sign-in token each time it connects.");

  edit = only_edit (repair, plan, ".mbsyncrc");
  assert_diff (edit,
               "PassCmd \"touch ~/PASSCMD-RAN; secret-tool lookup host outlook.office365.com\"\n",
               "AuthMechs XOAUTH2\n"
               "PassCmd \"mailmend token alex@contoso.onmicrosoft.com\"\n");
  apply (repair, plan);
  g_clear_object (&plan);
  g_clear_object (&edit);

  /* isync 1.2's store with its own server: its AuthMechs line changes in place. The plan
   * reads the file as the first repair left it. */
  plan = plan_for (repair, "mbsync", "lee@hotmail.com", MEND_PROTOCOL_IMAP);
  assert_finding_ids (plan, "");
  edit = only_edit (repair, plan, ".mbsyncrc");
  assert_diff (edit,
               "AuthMechs LOGIN\n"
               "Pass secret\n",
               "AuthMechs XOAUTH2\n"
               "PassCmd \"mailmend token lee@hotmail.com\"\n");

  assert_rescan (repair, plan, "mbsync",
                 "IMAPAccount work", "oauth2",
                 "IMAPStore legacy", "oauth2",
                 "IMAPAccount personal", "oauth2",
                 "IMAPAccount example", "password",
                 NULL);
}

static void
test_mbsync_xdg (void)
{
  g_autoptr(Repair) repair = repair_new ("mbsync-xdg", ".config");
  g_autoptr(MendRepairPlan) plan = NULL;
  g_autoptr(MendFileEdit) edit = NULL;

  mend_repair_context_add_signed_in_address (repair->context, "kim@contoso.com");
  plan = plan_for (repair, "mbsync", "kim@contoso.com", MEND_PROTOCOL_IMAP);
  assert_finding_ids (plan, "");

  edit = only_edit (repair, plan, ".config/isyncrc");
  assert_diff (edit,
               "PassCmd \"pass show office\"\n"
               "AuthMechs PLAIN LOGIN\n",
               "AuthMechs XOAUTH2\n"
               "PassCmd \"mailmend token kim@contoso.com\"\n");

  assert_rescan (repair, plan, "mbsync",
                 "IMAPAccount office", "oauth2",
                 "IMAPAccount campus", "other",
                 NULL);
}

/* The note about Cyrus SASL's XOAUTH2 plugin comes when the plugin is not where Cyrus looks. */
static void
test_mbsync_sasl_plugin (void)
{
  g_autoptr(Repair) repair = repair_new ("mbsync-xdg", ".config");
  g_autoptr(GError) error = NULL;
  g_autofree char *folder = g_dir_make_tmp ("mailmend-sasl-XXXXXX", &error);
  g_autofree char *plugin = g_build_filename (folder, "libxoauth2.so.0", NULL);
  const char * const *notes;

  g_assert_no_error (error);
  mend_repair_context_add_signed_in_address (repair->context, "kim@contoso.com");

  g_setenv ("SASL_PATH", folder, TRUE);
  {
    g_autoptr(MendRepairPlan) plan = plan_for (repair, "mbsync", "kim@contoso.com",
                                               MEND_PROTOCOL_IMAP);

    notes = mend_repair_plan_get_notes (plan);
    g_assert_cmpuint (g_strv_length ((char **) notes), ==, 2);
    g_assert_nonnull (strstr (notes[1], "libsasl2-modules-kdexoauth2"));
  }

  g_file_set_contents (plugin, "", 0, &error);
  g_assert_no_error (error);
  {
    g_autoptr(MendRepairPlan) plan = plan_for (repair, "mbsync", "kim@contoso.com",
                                               MEND_PROTOCOL_IMAP);

    notes = mend_repair_plan_get_notes (plan);
    g_assert_cmpuint (g_strv_length ((char **) notes), ==, 1);
  }

  g_unsetenv ("SASL_PATH");
  mend_test_remove_tree (folder);
}

/* Mutt 2: IMAP, POP and SMTP of one address in ~/.muttrc; the POP lines join a line of two
 * commands, smtp_pass goes from a continued line, and the backslash that led to it too. */
static void
test_mutt_home (void)
{
  g_autoptr(Repair) repair = repair_new ("mutt-home", NULL);
  g_autoptr(MendRepairPlan) plan = NULL;
  g_autoptr(MendFileEdit) edit = NULL;
  const char * const *notes;

  mend_repair_context_add_signed_in_address (repair->context, "lee@outlook.com");
  plan = plan_for (repair, "mutt", "lee@outlook.com", MEND_PROTOCOL_IMAP);
  assert_finding_ids (plan, "");
  g_assert_cmpuint (mend_repair_plan_get_accounts (plan)->len, ==, 3);
  g_assert_false (mend_repair_plan_get_must_close (plan));

  notes = mend_repair_plan_get_notes (plan);
  g_assert_cmpstr (notes[0], ==, "Mutt asks Mailmend for a sign-in token when it connects. If "
                                 "it is open, quit it and start it again.");
  g_assert_cmpstr (notes[1], ==, "This needs Mutt 2.0 or later.");
  g_assert_nonnull (strstr (notes[2], "mailmend signin lee@outlook.com --pop"));

  edit = only_edit (repair, plan, ".muttrc");
  assert_diff (edit,
               "set imap_pass = \"`touch ~/BACKTICK-RAN; pass show mail/outlook`\"\n"
               "set smtp_url = \"smtp://${my_user}@smtp-mail.outlook.com/\" \\\n"
               "    smtp_pass = \"not really\"\n",
               "set imap_authenticators = \"xoauth2\"\n"
               "set imap_oauth_refresh_command = \"mailmend token lee@outlook.com\"\n"
               "set pop_authenticators = \"xoauth2\"\n"
               "set pop_oauth_refresh_command = \"mailmend token lee@outlook.com\"\n"
               "set smtp_url = \"smtp://${my_user}@smtp-mail.outlook.com/\"\n"
               "set smtp_authenticators = \"xoauth2\"\n"
               "set smtp_oauth_refresh_command = \"mailmend token lee@outlook.com\"\n");

  assert_rescan (repair, plan, "mutt",
                 "folder", "oauth2",
                 "pop_host", "oauth2",
                 "smtp_url", "oauth2",
                 "account-hook imaps://jo@imap.example.org", "other",
                 NULL);
}

/* NeoMutt's account in a sourced file: the lines go there, next to the account's. */
static void
test_neomutt_xdg (void)
{
  g_autoptr(Repair) repair = repair_new ("neomutt-xdg", ".config");
  g_autoptr(MendRepairPlan) plan = NULL;
  g_autoptr(MendFileEdit) edit = NULL;

  mend_repair_context_add_signed_in_address (repair->context, "alex@contoso.onmicrosoft.com");
  plan = plan_for (repair, "neomutt", "alex@contoso.onmicrosoft.com", MEND_PROTOCOL_SMTP);
  assert_finding_ids (plan, "");
  g_assert_cmpstr (mend_repair_plan_get_notes (plan)[1], ==,
                   "This needs NeoMutt 2021-10-15 or later.");

  edit = only_edit (repair, plan, ".config/neomutt/accounts/work.muttrc");
  assert_diff (edit,
               "set imap_pass = \"correct horse battery staple\"\n"
               "set smtp_pass = \"correct horse battery staple\"\n",
               "set imap_authenticators = \"xoauth2\"\n"
               "set imap_oauth_refresh_command = "
               "\"mailmend token alex@contoso.onmicrosoft.com\"\n"
               "set smtp_authenticators = \"xoauth2\"\n"
               "set smtp_oauth_refresh_command = "
               "\"mailmend token alex@contoso.onmicrosoft.com\"\n");

  assert_rescan (repair, plan, "neomutt", "folder", "oauth2", "smtp_url", "oauth2", NULL);
}

/* An account set up in hooks: its settings change inside the hooks' commands. */
static void
test_neomutt_hooks (void)
{
  g_autoptr(Repair) repair = repair_new ("neomutt-hooks", NULL);
  g_autoptr(MendRepairPlan) plan = NULL;
  g_autoptr(MendFileEdit) edit = NULL;

  mend_repair_context_add_signed_in_address (repair->context, "kim@outlook.com");
  plan = plan_for (repair, "neomutt", "kim@outlook.com", MEND_PROTOCOL_IMAP);
  assert_finding_ids (plan, "");
  g_assert_cmpuint (mend_repair_plan_get_accounts (plan)->len, ==, 2);

  /* Robin's account would keep Kim's XOAUTH2 after a switch: the note says so. */
  g_assert_cmpstr (mend_repair_plan_get_notes (plan)[2], ==,
                   "If you switch between accounts in NeoMutt, unset imap_authenticators and "
                   "smtp_authenticators in your other accounts’ settings: they would otherwise "
                   "try XOAUTH2 too.");

  edit = only_edit (repair, plan, ".neomuttrc");
  assert_diff (edit,
               "account-hook 'imaps://outlook\\.office365\\.com' "
               "'set imap_user=\"kim@outlook.com\" imap_pass=\"s3cret\" "
               "imap_authenticators=\"login\"'\n"
               "folder-hook 'imaps://outlook\\.office365\\.com' "
               "'set from=\"Kim <kim@outlook.com>\" "
               "smtp_url=\"smtp://kim@outlook.com@smtp.office365.com:587/\" "
               "smtp_pass=\"s3cret\"'\n",
               "account-hook 'imaps://outlook\\.office365\\.com' "
               "'set imap_user=\"kim@outlook.com\" imap_authenticators=\"xoauth2\" "
               "imap_oauth_refresh_command=\"mailmend token kim@outlook.com\"'\n"
               "folder-hook 'imaps://outlook\\.office365\\.com' "
               "'set from=\"Kim <kim@outlook.com>\" "
               "smtp_url=\"smtp://kim@outlook.com@smtp.office365.com:587/\" "
               "smtp_authenticators=\"xoauth2\" "
               "smtp_oauth_refresh_command=\"mailmend token kim@outlook.com\"'\n");

  assert_rescan (repair, plan, "neomutt",
                 "account-hook imaps://outlook.office365.com", "oauth2",
                 "folder-hook imaps://outlook\\.office365\\.com: smtp_url", "oauth2",
                 "folder", "password",
                 NULL);
}

/* Accounts switched with macros: the OAuth IMAP stays, SMTP gets XOAUTH2 and Mailmend's
 * command in place of the other helper. */
static void
test_mutt_dotdir (void)
{
  g_autoptr(Repair) repair = repair_new ("mutt-dotdir", NULL);
  g_autoptr(MendRepairPlan) plan = NULL;
  g_autoptr(MendFileEdit) edit = NULL;

  mend_repair_context_add_signed_in_address (repair->context, "kim@contoso.com");
  plan = plan_for (repair, "mutt", "kim@contoso.com", MEND_PROTOCOL_SMTP);
  assert_finding_ids (plan, "");

  edit = only_edit (repair, plan, ".mutt/accounts/contoso");
  assert_diff (edit,
               "set smtp_oauth_refresh_command = \"python3 ~/bin/mutt_oauth2.py "
               "~/.config/mutt/kim.tokens\"\n",
               "set smtp_authenticators = \"xoauth2\"\n"
               "set smtp_oauth_refresh_command = \"mailmend token kim@contoso.com\"\n");

  assert_rescan (repair, plan, "mutt", "folder", "oauth2", "smtp_url", "oauth2", NULL);
}

/* A hook in double quotes is not rewritten: the plan says what to write, and writes nothing. */
static void
test_neomutt_manual (void)
{
  g_autoptr(Repair) repair = repair_new ("neomutt-manual", NULL);
  g_autoptr(MendRepairPlan) plan = NULL;
  g_autoptr(GPtrArray) edits = NULL;
  MendFinding *finding;

  mend_repair_context_add_signed_in_address (repair->context, "kim@outlook.com");
  plan = plan_for (repair, "neomutt", "kim@outlook.com", MEND_PROTOCOL_IMAP);
  assert_finding_ids (plan, "manual-edit-needed");
  g_assert_false (mend_repair_plan_can_apply (plan));
  edits = mend_repair_plan_dup_edits (plan);
  g_assert_cmpuint (edits->len, ==, 0);

  finding = g_ptr_array_index (mend_repair_plan_get_findings (plan), 0);
  g_assert_nonnull (strstr (mend_finding_get_remedy (finding),
                            "set imap_oauth_refresh_command = \"mailmend token kim@outlook.com\""));
  g_assert_true (g_str_has_suffix (mend_finding_get_details (finding), "/.neomuttrc"));
}

/* NeoMutt's POP has no XOAUTH2: the plan says so and changes nothing. */
static void
test_neomutt_pop (void)
{
  g_autoptr(Repair) repair = repair_new ("neomutt-dotdir", NULL);
  g_autoptr(MendRepairPlan) plan = NULL;
  g_autoptr(GPtrArray) edits = NULL;

  mend_repair_context_add_signed_in_address (repair->context, "kim@hotmail.com");
  plan = plan_for (repair, "neomutt", "kim@hotmail.com", MEND_PROTOCOL_SMTP);
  assert_finding_ids (plan, "no-oauth-path");
  edits = mend_repair_plan_dup_edits (plan);
  g_assert_cmpuint (edits->len, ==, 0);
}

static void
test_aerc_basic (void)
{
  g_autoptr(Repair) repair = repair_new ("aerc-basic", NULL);
  g_autoptr(MendRepairPlan) plan = NULL;
  g_autoptr(MendFileEdit) edit = NULL;

  mend_repair_context_add_signed_in_address (repair->context,
                                             "alex.example@contoso.onmicrosoft.com");
  mend_repair_context_add_signed_in_address (repair->context, "pat.example@outlook.com");

  plan = plan_for (repair, "aerc", "alex.example@contoso.onmicrosoft.com", MEND_PROTOCOL_IMAP);
  assert_finding_ids (plan, "");
  g_assert_cmpstr (mend_repair_plan_get_notes (plan)[0], ==,
                   "aerc asks Mailmend for a sign-in token when it connects. If it is open, quit "
                   "it and start it again.");

  edit = only_edit (repair, plan, ".config/aerc/accounts.conf");
  assert_diff (edit,
               "source            = imaps://alex.example%40contoso.onmicrosoft.com@"
               "outlook.office365.com:993\n"
               "source-cred-cmd   = pass show mail/contoso\n"
               "outgoing          = smtp+login://alex.example%40contoso.onmicrosoft.com@"
               "smtp.office365.com:587\n"
               "outgoing-cred-cmd = pass show mail/contoso\n",
               "source            = imaps+xoauth2://alex.example%40contoso.onmicrosoft.com@"
               "outlook.office365.com:993\n"
               "source-cred-cmd   = mailmend token alex.example@contoso.onmicrosoft.com\n"
               "outgoing          = smtp+xoauth2://alex.example%40contoso.onmicrosoft.com@"
               "smtp.office365.com:587\n"
               "outgoing-cred-cmd = mailmend token alex.example@contoso.onmicrosoft.com\n");
  apply (repair, plan);
  g_clear_object (&plan);
  g_clear_object (&edit);

  /* IMAP without TLS becomes STARTTLS: a token never goes in the clear. */
  plan = plan_for (repair, "aerc", "pat.example@outlook.com", MEND_PROTOCOL_IMAP);
  assert_finding_ids (plan, "");
  edit = only_edit (repair, plan, ".config/aerc/accounts.conf");
  assert_diff (edit,
               "source   = imap+insecure://pat.example%40outlook.com@imap-mail.outlook.com\n",
               "source   = imap+xoauth2://pat.example%40outlook.com@imap-mail.outlook.com\n"
               "source-cred-cmd = mailmend token pat.example@outlook.com\n");

  assert_rescan (repair, plan, "aerc",
                 "[Work]/source", "oauth2",
                 "[Work]/outgoing", "oauth2",
                 "[Old Outlook]/source", "oauth2",
                 "[Hotmail]/source", "oauth2",
                 "[Personal]/source", "password",
                 "[Gmail]/outgoing", "password",
                 NULL);
}

/* The password leaves the URL, and so do aerc's own OAuth parameters (with them aerc would
 * take the command's token for a refresh token); other parameters stay. */
static void
test_aerc_password (void)
{
  g_autoptr(Repair) repair = repair_new ("aerc-password", NULL);
  g_autoptr(MendRepairPlan) plan = NULL;
  g_autoptr(MendFileEdit) edit = NULL;
  GBytes *replacement;

  mend_repair_context_add_signed_in_address (repair->context, "pat@outlook.com");
  plan = plan_for (repair, "aerc", "pat@outlook.com", MEND_PROTOCOL_SMTP);
  assert_finding_ids (plan, "");

  edit = only_edit (repair, plan, ".config/aerc/accounts.conf");
  assert_diff (edit,
               "source        = imaps://pat%40outlook.com:n0t-a-real-pa%24%24word@"
               "outlook.office365.com?client_id=00000000-0000-4000-8000-000000000001&"
               "keepalive-period=5m&token_endpoint=https%3A%2F%2Flogin.microsoftonline.com%2F"
               "common%2Foauth2%2Fv2.0%2Ftoken\n"
               "outgoing      = smtps+plain://pat%40outlook.com:n0t-a-real-pa%24%24word@"
               "smtp-mail.outlook.com:465\n",
               "source        = imaps+xoauth2://pat%40outlook.com@outlook.office365.com?"
               "keepalive-period=5m\n"
               "source-cred-cmd = mailmend token pat@outlook.com\n"
               "outgoing      = smtps+xoauth2://pat%40outlook.com@smtp-mail.outlook.com:465\n"
               "outgoing-cred-cmd = mailmend token pat@outlook.com\n");

  replacement = mend_file_edit_get_replacement (edit);
  g_assert_null (g_strstr_len (g_bytes_get_data (replacement, NULL),
                               g_bytes_get_size (replacement), "n0t-a-real"));

  assert_rescan (repair, plan, "aerc",
                 "[Outlook]/source", "oauth2",
                 "[Outlook]/outgoing", "oauth2",
                 NULL);
}

/* himalaya 2: the sasl settings make way for XOAUTH2 with Mailmend's command as an argv. */
static void
test_himalaya_v2 (void)
{
  g_autoptr(Repair) repair = repair_new ("himalaya-v2", NULL);
  g_autoptr(MendRepairPlan) plan = NULL;
  g_autoptr(MendFileEdit) edit = NULL;

  mend_repair_context_add_signed_in_address (repair->context, "sam.example@outlook.com");
  plan = plan_for (repair, "himalaya", "sam.example@outlook.com", MEND_PROTOCOL_IMAP);
  assert_finding_ids (plan, "");
  g_assert_cmpstr (mend_repair_plan_get_notes (plan)[0], ==,
                   "himalaya asks Mailmend for a sign-in token each time it connects.");

  edit = only_edit (repair, plan, ".config/himalaya/config.toml");
  assert_diff (edit,
               "imap.sasl.plain.authcid = \"sam.example@outlook.com\"\n"
               "imap.sasl.plain.passwd.command = \"pass show outlook\"\n"
               "smtp.sasl.login.username = \"sam.example@outlook.com\"\n"
               "smtp.sasl.login.password.raw = \"n0t-a-real-password\"\n",
               "imap.sasl.xoauth2.username = \"sam.example@outlook.com\"\n"
               "imap.sasl.xoauth2.token.command = [\"mailmend\", \"token\", "
               "\"sam.example@outlook.com\"]\n"
               "smtp.sasl.xoauth2.username = \"sam.example@outlook.com\"\n"
               "smtp.sasl.xoauth2.token.command = [\"mailmend\", \"token\", "
               "\"sam.example@outlook.com\"]\n");

  assert_rescan (repair, plan, "himalaya",
                 "accounts.outlook/imap", "oauth2",
                 "accounts.outlook/smtp", "oauth2",
                 "accounts.example/imap", "password",
                 NULL);
}

/* Sign-in settings in a table of their own and in an inline table: both go. */
static void
test_himalaya_v2_tables (void)
{
  g_autoptr(Repair) repair = repair_new ("himalaya-v2-tables", NULL);
  g_autoptr(MendRepairPlan) plan = NULL;
  g_autoptr(MendFileEdit) edit = NULL;

  mend_repair_context_add_signed_in_address (repair->context, "robin@contoso.com");
  plan = plan_for (repair, "himalaya", "robin@contoso.com", MEND_PROTOCOL_IMAP);
  assert_finding_ids (plan, "");

  edit = only_edit (repair, plan, ".config/himalaya/config.toml");
  assert_diff (edit,
               "[accounts.contoso.imap.sasl.login]\n"
               "username = \"robin@contoso.com\"\n"
               "password.command = [\"secret-tool\", \"lookup\", \"mail\", \"contoso\"]\n"
               "sasl = { plain = { authcid = \"robin@contoso.com\", passwd.raw = "
               "\"n0t-a-real-password\" } }\n",
               "sasl.xoauth2.username = \"robin@contoso.com\"\n"
               "sasl.xoauth2.token.command = [\"mailmend\", \"token\", \"robin@contoso.com\"]\n"
               "sasl.xoauth2.username = \"robin@contoso.com\"\n"
               "sasl.xoauth2.token.command = [\"mailmend\", \"token\", \"robin@contoso.com\"]\n");

  assert_rescan (repair, plan, "himalaya",
                 "accounts.contoso/imap", "oauth2",
                 "accounts.contoso/smtp", "oauth2",
                 NULL);
}

/* himalaya 1's OAuth needs settings and tokens of its own: update advice, no edit. */
static void
test_himalaya_v1 (void)
{
  g_autoptr(Repair) repair = repair_new ("himalaya-v1", NULL);
  g_autoptr(MendRepairPlan) plan = NULL;
  g_autoptr(GPtrArray) edits = NULL;

  mend_repair_context_add_signed_in_address (repair->context,
                                             "alex.example@contoso.onmicrosoft.com");
  plan = plan_for (repair, "himalaya", "alex.example@contoso.onmicrosoft.com",
                   MEND_PROTOCOL_IMAP);
  assert_finding_ids (plan, "no-oauth-path");
  edits = mend_repair_plan_dup_edits (plan);
  g_assert_cmpuint (edits->len, ==, 0);
}

static void
test_offlineimap_rc (void)
{
  g_autoptr(Repair) repair = repair_new ("offlineimap-rc", NULL);
  g_autoptr(MendRepairPlan) plan = NULL;
  g_autoptr(MendFileEdit) edit = NULL;

  mend_repair_context_add_signed_in_address (repair->context,
                                             "alex.example@contoso.onmicrosoft.com");
  plan = plan_for (repair, "offlineimap", "alex.example@contoso.onmicrosoft.com",
                   MEND_PROTOCOL_IMAP);
  assert_finding_ids (plan, "");
  g_assert_cmpstr (mend_repair_plan_get_notes (plan)[0], ==,
                   "OfflineIMAP asks Mailmend for a sign-in token when it connects. If it is "
                   "open, quit it and start it again.");

  edit = only_edit (repair, plan, ".offlineimaprc");
  assert_diff (edit,
               "remotepasseval = get_password(\"contoso\")\n",
               "auth_mechanisms = XOAUTH2\n"
               "oauth2_access_token_eval = __import__(\"subprocess\").check_output("
               "[\"mailmend\", \"token\", \"alex.example@contoso.onmicrosoft.com\"], "
               "text=True)\n");

  assert_rescan (repair, plan, "offlineimap",
                 "Repository ContosoRemote", "oauth2",
                 "Repository HotmailRemote", "oauth2",
                 "Repository ExampleRemote", "password",
                 NULL);
}

static void
test_sylpheed_basic (void)
{
  g_autoptr(Repair) repair = repair_new ("sylpheed-basic", NULL);
  g_autoptr(MendRepairPlan) plan = NULL;
  g_autoptr(MendFileEdit) edit = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *bin = g_dir_make_tmp ("mailmend-path-XXXXXX", &error);
  g_autofree char *helper = g_build_filename (bin, "syl-auth-helper", NULL);
  g_autofree char *old_path = g_strdup (g_getenv ("PATH"));
  const char * const *notes;

  g_assert_no_error (error);
  mend_repair_context_add_signed_in_address (repair->context, "alex@contoso.onmicrosoft.com");
  mend_repair_context_add_signed_in_address (repair->context, "chris@hotmail.com");

  /* No syl-auth-helper on PATH: the note says how to write it. */
  g_setenv ("PATH", bin, TRUE);
  plan = plan_for (repair, "sylpheed", "alex@contoso.onmicrosoft.com", MEND_PROTOCOL_IMAP);
  assert_finding_ids (plan, "");
  g_assert_true (mend_repair_plan_get_must_close (plan));
  notes = mend_repair_plan_get_notes (plan);
  g_assert_cmpstr (notes[0], ==, "This needs Sylpheed 3.8 or later: earlier versions cannot "
                                 "sign in to Microsoft with OAuth 2.0.");
  g_assert_true (g_str_has_suffix (notes[1], "\n#!/bin/sh\nexec mailmend token \"$1\""));
  g_assert_null (notes[2]);

  edit = only_edit (repair, plan, ".sylpheed-2.0/accountrc");
  assert_diff (edit,
               "imap_auth_method=0\n"
               "smtp_auth_method=8\n",
               "imap_auth_method=8\n"
               "smtp_auth_method=16\n");
  apply (repair, plan);
  g_clear_object (&plan);
  g_clear_object (&edit);

  /* With the helper there, no note about it; POP needs a sign-in with POP. */
  g_file_set_contents (helper, "#!/bin/sh\n", -1, &error);
  g_assert_no_error (error);
  g_assert_cmpint (g_chmod (helper, 0755), ==, 0);
  plan = plan_for (repair, "sylpheed", "chris@hotmail.com", MEND_PROTOCOL_POP3);
  g_setenv ("PATH", old_path, TRUE);

  assert_finding_ids (plan, "");
  notes = mend_repair_plan_get_notes (plan);
  g_assert_nonnull (strstr (notes[1], "mailmend signin chris@hotmail.com --pop"));
  g_assert_null (notes[2]);

  edit = only_edit (repair, plan, ".sylpheed-2.0/accountrc");
  assert_diff (edit,
               "pop_auth_method=0\n"
               "smtp_auth_method=0\n",
               "pop_auth_method=8\n"
               "smtp_auth_method=16\n");

  assert_rescan (repair, plan, "sylpheed",
                 "Account: 1/imap", "oauth2",
                 "Account: 1/smtp", "oauth2",
                 "Account: 3/pop3", "oauth2",
                 "Account: 3/smtp", "oauth2",
                 "Account: 4/pop3", "password",
                 NULL);
  mend_test_remove_tree (bin);
}

/* Quoting: Mailmend's program in a folder whose name holds what every quoting rule cares
 * about. The command each file ends up with, read by the client's rules, runs this program
 * with the words `token ADDRESS`. */
static const char weird_folder[] = "it's a \"mail\" $HOME 100% dir\\here; `x` #1";

typedef struct
{
  Repair *repair;
  char   *folder;
  char   *program;
} Quoting;

static Quoting *
quoting_new (const char *fixture,
             const char *config_home)
{
  Quoting *quoting = g_new0 (Quoting, 1);
  g_autoptr(GError) error = NULL;
  g_autofree char *tmp = g_dir_make_tmp ("mailmend-quoting-XXXXXX", &error);
  const char *program[] = { NULL, NULL };

  g_assert_no_error (error);
  quoting->repair = repair_new (fixture, config_home);
  quoting->folder = g_build_filename (tmp, weird_folder, NULL);
  g_assert_cmpint (g_mkdir_with_parents (quoting->folder, 0700), ==, 0);
  quoting->program = g_build_filename (quoting->folder, "mailmend", NULL);
  g_file_set_contents (quoting->program, "#!/bin/sh\nprintf '%s\\n' \"$@\"\n", -1, &error);
  g_assert_no_error (error);
  g_assert_cmpint (g_chmod (quoting->program, 0755), ==, 0);

  program[0] = quoting->program;
  mend_repair_context_set_token_program (quoting->repair->context, program);

  return quoting;
}

static void
quoting_free (Quoting *quoting)
{
  g_autofree char *tmp = g_path_get_dirname (quoting->folder);

  mend_test_remove_tree (tmp);
  g_free (quoting->folder);
  g_free (quoting->program);
  repair_free (quoting->repair);
  g_free (quoting);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Quoting, quoting_free)

static char *
replacement_text (MendRepairPlan *plan)
{
  g_autoptr(GPtrArray) edits = mend_repair_plan_dup_edits (plan);
  g_autofree char *diff = NULL;
  GBytes *bytes;

  g_assert_cmpuint (edits->len, >=, 1);
  bytes = mend_file_edit_get_replacement (g_ptr_array_index (edits, 0));
  diff = mend_file_edit_dup_diff (g_ptr_array_index (edits, 0));
  g_test_message ("%s", diff);

  return g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
}

/* The value of the first line starting with @key. */
static char *
line_value (const char *text,
            const char *key)
{
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);

  for (guint i = 0; lines[i] != NULL; i++)
    {
      if (g_str_has_prefix (lines[i], key) && g_ascii_isspace (lines[i][strlen (key)]))
        return g_strstrip (g_strdup (lines[i] + strlen (key)));
    }

  g_error ("No %s line in\n%s", key, text);
}

static void
assert_runs (const char * const *argv,
             const char         *login)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  g_autofree char *expected = g_strdup_printf ("token\n%s\n", login);
  int status;

  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, NULL, &status,
                &error);
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  g_assert_cmpstr (out, ==, expected);
}

static void
assert_shell_runs (const char *command,
                   const char *login)
{
  const char *argv[] = { "/bin/sh", "-c", command, NULL };

  assert_runs (argv, login);
}

static void
test_quoting_msmtp (void)
{
  g_autoptr(Quoting) quoting = quoting_new ("msmtp-home", NULL);
  g_autoptr(MendRepairPlan) plan = NULL;
  g_autofree char *text = NULL;
  g_autofree char *value = NULL;

  plan = plan_for (quoting->repair, "msmtp", "alex@contoso.onmicrosoft.com",
                   MEND_PROTOCOL_SMTP);
  text = replacement_text (plan);
  value = line_value (text, "passwordeval");

  /* msmtp strips one pair of double quotes, and gives the rest to popen(). */
  g_assert_true (value[0] == '"' && value[strlen (value) - 1] == '"');
  value[strlen (value) - 1] = '\0';
  assert_shell_runs (value + 1, "alex@contoso.onmicrosoft.com");
}

static void
test_quoting_mbsync (void)
{
  g_autoptr(Quoting) quoting = quoting_new ("mbsync-home", NULL);
  g_autoptr(MendRepairPlan) plan = NULL;
  g_autoptr(GString) command = g_string_new (NULL);
  g_autofree char *text = NULL;
  g_autofree char *value = NULL;
  gboolean quoted = FALSE;

  plan = plan_for (quoting->repair, "mbsync", "alex@contoso.onmicrosoft.com",
                   MEND_PROTOCOL_IMAP);
  text = replacement_text (plan);
  value = line_value (text, "PassCmd");

  /* isync's get_arg(): double quotes group, a backslash takes the next character. */
  for (const char *c = value; *c != '\0'; c++)
    {
      if (*c == '\\' && c[1] != '\0')
        g_string_append_c (command, *++c);
      else if (*c == '"')
        quoted = !quoted;
      else
        g_string_append_c (command, *c);
    }
  g_assert_false (quoted);
  assert_shell_runs (command->str, "alex@contoso.onmicrosoft.com");
}

static gboolean
read_nothing (const char  *path,
              char       **contents,
              gsize       *length,
              gpointer     user_data)
{
  return FALSE;
}

static void
test_quoting_mutt (void)
{
  g_autoptr(Quoting) quoting = quoting_new ("neomutt-xdg", ".config");
  g_autoptr(MendRepairPlan) plan = NULL;
  g_autoptr(MendMuttrc) rc = mend_muttrc_new ("/nonexistent", "/nonexistent");
  g_autofree char *text = NULL;
  const MendMuttrcScope *top;

  plan = plan_for (quoting->repair, "neomutt", "alex@contoso.onmicrosoft.com",
                   MEND_PROTOCOL_IMAP);
  text = replacement_text (plan);

  /* Read as NeoMutt reads it: its quoting, $variables and backticks. */
  mend_muttrc_parse (rc, "/work.muttrc", text, strlen (text), read_nothing, NULL);
  g_assert_cmpuint (mend_muttrc_get_errors (rc)->len, ==, 0);
  top = g_ptr_array_index (mend_muttrc_get_scopes (rc), 0);
  assert_shell_runs (mend_muttrc_scope_get (top, "imap_oauth_refresh_command"),
                     "alex@contoso.onmicrosoft.com");
  assert_shell_runs (mend_muttrc_scope_get (top, "smtp_oauth_refresh_command"),
                     "alex@contoso.onmicrosoft.com");
}

static void
test_quoting_aerc (void)
{
  g_autoptr(Quoting) quoting = quoting_new ("aerc-password", NULL);
  g_autoptr(MendRepairPlan) plan = NULL;
  g_autoptr(MendIni) ini = NULL;
  g_autofree char *text = NULL;
  g_autofree char *command = NULL;

  plan = plan_for (quoting->repair, "aerc", "pat@outlook.com", MEND_PROTOCOL_IMAP);
  text = replacement_text (plan);
  ini = mend_ini_parse (text, -1, MEND_INI_DIALECT_GO, NULL);
  g_assert_nonnull (ini);

  /* aerc runs its credential commands with `sh -c`. */
  command = mend_ini_get_value (ini, "Outlook", "source-cred-cmd", NULL);
  assert_shell_runs (command, "pat@outlook.com");
  g_free (command);
  command = mend_ini_get_value (ini, "Outlook", "outgoing-cred-cmd", NULL);
  assert_shell_runs (command, "pat@outlook.com");
}

static void
test_quoting_himalaya (void)
{
  g_autoptr(Quoting) quoting = quoting_new ("himalaya-v2", NULL);
  g_autoptr(MendRepairPlan) plan = NULL;
  g_autoptr(MendToml) root = NULL;
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autofree char *text = NULL;
  const MendToml *command;

  plan = plan_for (quoting->repair, "himalaya", "sam.example@outlook.com", MEND_PROTOCOL_IMAP);
  text = replacement_text (plan);
  root = mend_toml_parse (text, -1, NULL);
  g_assert_nonnull (root);

  /* himalaya 2 runs the array as it is, without a shell. */
  command = mend_toml_lookup (root, "accounts.outlook.imap.sasl.xoauth2.token.command");
  for (guint i = 0; i < mend_toml_get_length (command); i++)
    g_ptr_array_add (argv, (char *) mend_toml_get_string (mend_toml_get_element (command, i)));
  g_ptr_array_add (argv, NULL);
  assert_runs ((const char * const *) argv->pdata, "sam.example@outlook.com");
}

/* Python itself reads the file with configparser and evaluates the expression, as
 * OfflineIMAP does. */
static void
test_quoting_offlineimap (void)
{
  static const char script[] =
    "import configparser, sys\n"
    "config = configparser.ConfigParser()\n"
    "config.read(sys.argv[1])\n"
    "expression = config.get('Repository ContosoRemote', 'oauth2_access_token_eval')\n"
    "sys.stdout.write(eval(expression, {}))\n";
  g_autoptr(Quoting) quoting = NULL;
  g_autoptr(MendRepairPlan) plan = NULL;
  g_autofree char *python = g_find_program_in_path ("python3");
  g_autofree char *path = NULL;
  const char *argv[] = { NULL, "-c", script, NULL, NULL };

  if (python == NULL)
    {
      g_test_skip ("python3 is not installed");
      return;
    }

  quoting = quoting_new ("offlineimap-rc", NULL);
  plan = plan_for (quoting->repair, "offlineimap", "alex.example@contoso.onmicrosoft.com",
                   MEND_PROTOCOL_IMAP);
  write_edits (plan);

  path = mend_test_scan_path (quoting->repair->scan, ".offlineimaprc");
  argv[0] = python;
  argv[3] = path;
  assert_runs (argv, "alex.example@contoso.onmicrosoft.com");
}

/* The helper the note asks for, written as it says, runs the program. */
static void
test_quoting_sylpheed (void)
{
  g_autoptr(Quoting) quoting = quoting_new ("sylpheed-basic", NULL);
  g_autoptr(MendRepairPlan) plan = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *old_path = g_strdup (g_getenv ("PATH"));
  g_autofree char *helper = g_build_filename (quoting->folder, "syl-auth-helper", NULL);
  const char *note;
  const char *argv[] = { "/bin/sh", helper, "alex@contoso.onmicrosoft.com", NULL };

  g_setenv ("PATH", quoting->folder, TRUE);
  plan = plan_for (quoting->repair, "sylpheed", "alex@contoso.onmicrosoft.com",
                   MEND_PROTOCOL_IMAP);
  g_setenv ("PATH", old_path, TRUE);

  note = mend_repair_plan_get_notes (plan)[1];
  g_file_set_contents (helper, strstr (note, "#!/bin/sh\n"), -1, &error);
  g_assert_no_error (error);
  assert_runs (argv, "alex@contoso.onmicrosoft.com");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/repair/msmtp/home", test_msmtp_home);
  g_test_add_func ("/repair/msmtp/xdg", test_msmtp_xdg);
  g_test_add_func ("/repair/msmtp/inherited-password", test_msmtp_inherited_password);
  g_test_add_func ("/repair/msmtp/signin-needed", test_msmtp_signin_needed);
  g_test_add_func ("/repair/mbsync/home", test_mbsync_home);
  g_test_add_func ("/repair/mbsync/xdg", test_mbsync_xdg);
  g_test_add_func ("/repair/mbsync/sasl-plugin", test_mbsync_sasl_plugin);
  g_test_add_func ("/repair/mutt/home", test_mutt_home);
  g_test_add_func ("/repair/mutt/dotdir", test_mutt_dotdir);
  g_test_add_func ("/repair/neomutt/xdg", test_neomutt_xdg);
  g_test_add_func ("/repair/neomutt/hooks", test_neomutt_hooks);
  g_test_add_func ("/repair/neomutt/pop", test_neomutt_pop);
  g_test_add_func ("/repair/neomutt/manual", test_neomutt_manual);
  g_test_add_func ("/repair/aerc/basic", test_aerc_basic);
  g_test_add_func ("/repair/aerc/password", test_aerc_password);
  g_test_add_func ("/repair/himalaya/v2", test_himalaya_v2);
  g_test_add_func ("/repair/himalaya/v2-tables", test_himalaya_v2_tables);
  g_test_add_func ("/repair/himalaya/v1", test_himalaya_v1);
  g_test_add_func ("/repair/offlineimap/rc", test_offlineimap_rc);
  g_test_add_func ("/repair/sylpheed/basic", test_sylpheed_basic);
  g_test_add_func ("/repair/quoting/msmtp", test_quoting_msmtp);
  g_test_add_func ("/repair/quoting/mbsync", test_quoting_mbsync);
  g_test_add_func ("/repair/quoting/mutt", test_quoting_mutt);
  g_test_add_func ("/repair/quoting/aerc", test_quoting_aerc);
  g_test_add_func ("/repair/quoting/himalaya", test_quoting_himalaya);
  g_test_add_func ("/repair/quoting/offlineimap", test_quoting_offlineimap);
  g_test_add_func ("/repair/quoting/sylpheed", test_quoting_sylpheed);

  return g_test_run ();
}
