/* test-repair-own-oauth.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Repair plans of the mail clients that sign in to Microsoft by themselves
 * (Thunderbird, Evolution, KMail, Claws Mail, Alpine), on copies of the
 * fixture homes: planning writes nothing; each edit changes exactly the
 * intended lines, in its diff and in its bytes; and once the replacements
 * are written, a new scan finds the account on OAuth 2.0 and every other
 * file as it was.
 */

#include "config.h"

#include <string.h>

#include "mend-account-group.h"
#include "mend-alpine-client.h"
#include "mend-claws-mail-client.h"
#include "mend-evolution-client.h"
#include "mend-kmail-client.h"
#include "mend-repair-context.h"
#include "mend-repair-plan.h"
#include "mend-test-scan.h"
#include "mend-thunderbird-client.h"

#define MAILMEND_CLIENT_ID "0b7c2d4e-1f3a-4b5c-8d6e-7f8091a2b3c4"

typedef struct
{
  MendTestScan      *scan;
  MendRepairContext *context;
  MendRepairPlan    *plan;
} Repair;

static void
repair_free (Repair *repair)
{
  g_clear_object (&repair->plan);
  g_clear_object (&repair->context);
  g_clear_pointer (&repair->scan, mend_test_scan_free);
  g_free (repair);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Repair, repair_free)

static MendClient *
client_new (const char *client_id)
{
  if (g_str_equal (client_id, "thunderbird"))
    return g_object_new (MEND_TYPE_THUNDERBIRD_CLIENT, NULL);
  if (g_str_equal (client_id, "evolution"))
    return g_object_new (MEND_TYPE_EVOLUTION_CLIENT, NULL);
  if (g_str_equal (client_id, "kmail"))
    return g_object_new (MEND_TYPE_KMAIL_CLIENT, NULL);
  if (g_str_equal (client_id, "claws-mail"))
    return g_object_new (MEND_TYPE_CLAWS_MAIL_CLIENT, NULL);
  if (g_str_equal (client_id, "alpine"))
    return g_object_new (MEND_TYPE_ALPINE_CLIENT, NULL);

  g_assert_not_reached ();
}

/* Scans the home of @scan (taking it), then plans the repair of the account
 * of @address in @client_id (in the profile whose folder ends with @profile,
 * when given), as the orchestration does: one plan for the servers of one
 * group. */
static Repair *
repair_new_for_scan (MendTestScan *scan,
                     const char   *client_id,
                     const char   *profile,
                     const char   *address,
                     const char   *mailmend_client_id)
{
  g_autoptr(MendClient) client = client_new (client_id);
  g_autoptr(GPtrArray) accounts = NULL;
  g_autoptr(GPtrArray) groups = NULL;
  MendAccountGroup *group = NULL;
  Repair *repair = g_new0 (Repair, 1);

  repair->scan = scan;
  mend_test_scan_run (repair->scan);

  accounts = mend_test_scan_accounts (repair->scan, client_id);
  groups = mend_account_group_collect (accounts);
  for (guint i = 0; i < groups->len; i++)
    {
      MendAccountGroup *candidate = g_ptr_array_index (groups, i);

      if (g_strcmp0 (mend_account_group_get_address (candidate), address) == 0 &&
          (profile == NULL || g_str_has_suffix (mend_account_group_get_profile (candidate),
                                                profile)))
        {
          g_assert_null (group);
          group = candidate;
        }
    }
  g_assert_nonnull (group);

  repair->context = mend_repair_context_new (repair->scan->context);
  mend_repair_context_set_client_id (repair->context, mailmend_client_id);
  repair->plan = mend_repair_plan_new (client_id, mend_client_get_name (client),
                                       mend_account_group_get_servers (group));
  mend_client_plan_repair (client, repair->context, repair->plan);

  /* Planning reads; it never writes. */
  mend_test_scan_assert_unchanged (repair->scan);

  return repair;
}

/* The same, on a copy of the fixture home @fixture. */
static Repair *
repair_new (const char *fixture,
            const char *client_id,
            const char *profile,
            const char *address,
            const char *mailmend_client_id)
{
  return repair_new_for_scan (mend_test_scan_new (fixture), client_id, profile, address,
                              mailmend_client_id);
}

/* Fails unless the plan is refused with @id alone, and changes nothing. */
static void
assert_refused (Repair     *repair,
                const char *id)
{
  g_autoptr(GPtrArray) edits = mend_repair_plan_dup_edits (repair->plan);
  GPtrArray *findings = mend_repair_plan_get_findings (repair->plan);
  MendFinding *finding;

  g_assert_cmpuint (findings->len, ==, 1);
  finding = g_ptr_array_index (findings, 0);
  g_assert_cmpstr (mend_finding_get_id (finding), ==, id);
  g_assert_nonnull (mend_finding_get_title (finding));
  g_assert_nonnull (mend_finding_get_explanation (finding));
  g_assert_nonnull (mend_finding_get_remedy (finding));
  g_assert_cmpuint (edits->len, ==, 0);
  g_assert_false (mend_repair_plan_can_apply (repair->plan));
}

static void
assert_has_note (Repair     *repair,
                 const char *text)
{
  const char * const *notes = mend_repair_plan_get_notes (repair->plan);

  for (guint i = 0; notes[i] != NULL; i++)
    {
      if (strstr (notes[i], text) != NULL)
        return;
    }

  g_error ("No note says “%s”", text);
}

static MendFileEdit *
find_edit (Repair     *repair,
           const char *relative_path)
{
  g_autoptr(GPtrArray) edits = mend_repair_plan_dup_edits (repair->plan);
  g_autofree char *path = mend_test_scan_path (repair->scan, relative_path);

  for (guint i = 0; i < edits->len; i++)
    {
      MendFileEdit *edit = g_ptr_array_index (edits, i);

      if (g_str_equal (mend_file_edit_get_path (edit), path))
        return edit;
    }

  g_error ("The plan does not edit %s", relative_path);
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

static void
assert_same_lines (GPtrArray          *found,
                   const char * const *expected)
{
  guint n_expected = expected != NULL ? g_strv_length ((char **) expected) : 0;
  g_autoptr(GPtrArray) wanted = g_ptr_array_new ();

  for (guint i = 0; i < n_expected; i++)
    g_ptr_array_add (wanted, (gpointer) expected[i]);
  g_ptr_array_sort (wanted, compare_strings);
  g_ptr_array_sort (found, compare_strings);

  for (guint i = 0; i < MIN (found->len, wanted->len); i++)
    g_assert_cmpstr (g_ptr_array_index (found, i), ==, g_ptr_array_index (wanted, i));
  g_assert_cmpuint (found->len, ==, wanted->len);
}

/* The lines of @a that @b lacks, counting repeats. */
static GPtrArray *
lines_only_in (GBytes *a,
               GBytes *b)
{
  g_autofree char *a_text = g_strndup (g_bytes_get_data (a, NULL), g_bytes_get_size (a));
  g_autofree char *b_text = g_strndup (g_bytes_get_data (b, NULL), g_bytes_get_size (b));
  g_auto(GStrv) a_lines = g_strsplit (a_text, "\n", -1);
  g_auto(GStrv) b_lines = g_strsplit (b_text, "\n", -1);
  g_autoptr(GHashTable) counts = g_hash_table_new (g_str_hash, g_str_equal);
  GPtrArray *only = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; b_lines[i] != NULL; i++)
    {
      guint count = GPOINTER_TO_UINT (g_hash_table_lookup (counts, b_lines[i]));

      g_hash_table_insert (counts, b_lines[i], GUINT_TO_POINTER (count + 1));
    }

  for (guint i = 0; a_lines[i] != NULL; i++)
    {
      guint count = GPOINTER_TO_UINT (g_hash_table_lookup (counts, a_lines[i]));

      if (count > 0)
        g_hash_table_insert (counts, a_lines[i], GUINT_TO_POINTER (count - 1));
      else
        g_ptr_array_add (only, g_strdup (a_lines[i]));
    }

  return only;
}

/* Fails unless the plan changes @relative_path by removing exactly the
 * lines @removed and adding exactly @added (NULL-terminated, in any order):
 * in its unified diff, and in its bytes. */
static void
assert_edit (Repair             *repair,
             const char         *relative_path,
             const char * const *removed,
             const char * const *added)
{
  MendFileEdit *edit = find_edit (repair, relative_path);
  g_autofree char *diff = mend_file_edit_dup_diff (edit);
  g_auto(GStrv) diff_lines = g_strsplit (diff, "\n", -1);
  g_autoptr(GPtrArray) diff_removed = g_ptr_array_new ();
  g_autoptr(GPtrArray) diff_added = g_ptr_array_new ();
  g_autoptr(GPtrArray) bytes_removed = NULL;
  g_autoptr(GPtrArray) bytes_added = NULL;

  g_assert_true (mend_file_edit_is_change (edit));

  for (guint i = 0; diff_lines[i] != NULL; i++)
    {
      if (g_str_has_prefix (diff_lines[i], "---") || g_str_has_prefix (diff_lines[i], "+++"))
        continue;
      if (diff_lines[i][0] == '-')
        g_ptr_array_add (diff_removed, diff_lines[i] + 1);
      else if (diff_lines[i][0] == '+')
        g_ptr_array_add (diff_added, diff_lines[i] + 1);
    }
  assert_same_lines (diff_removed, removed);
  assert_same_lines (diff_added, added);

  bytes_removed = lines_only_in (mend_file_edit_get_original (edit),
                                 mend_file_edit_get_replacement (edit));
  bytes_added = lines_only_in (mend_file_edit_get_replacement (edit),
                               mend_file_edit_get_original (edit));
  assert_same_lines (bytes_removed, removed);
  assert_same_lines (bytes_added, added);
}

static void
assert_n_edits (Repair *repair,
                guint   n_edits)
{
  g_autoptr(GPtrArray) edits = mend_repair_plan_dup_edits (repair->plan);

  g_assert_cmpuint (edits->len, ==, n_edits);
  g_assert_cmpuint (mend_repair_plan_get_findings (repair->plan)->len, ==, 0);
  g_assert_true (mend_repair_plan_can_apply (repair->plan));
  g_assert_true (mend_repair_plan_get_must_close (repair->plan));
}

static char *
replacement_text (Repair     *repair,
                  const char *relative_path)
{
  GBytes *bytes = mend_file_edit_get_replacement (find_edit (repair, relative_path));

  return g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
}

static void
snapshot_tree (const char *root,
               const char *relative,
               GHashTable *contents)
{
  g_autofree char *path = g_build_filename (root, relative, NULL);
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)))
    {
      g_autofree char *child_relative = g_build_filename (relative, name, NULL);
      g_autofree char *child = g_build_filename (root, child_relative, NULL);
      char *data = NULL;

      if (g_file_test (child, G_FILE_TEST_IS_SYMLINK))
        continue;
      if (g_file_test (child, G_FILE_TEST_IS_DIR))
        snapshot_tree (root, child_relative, contents);
      else if (g_file_get_contents (child, &data, NULL, NULL))
        g_hash_table_insert (contents, g_steal_pointer (&child), data);
    }
}

static GHashTable *
snapshot_home (Repair *repair)
{
  GHashTable *contents = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  snapshot_tree (repair->scan->home, "", contents);

  return contents;
}

/* Writes each replacement, as applying the plan would; then fails unless the
 * edited files hold their replacements and every other file is as it was. */
static void
apply (Repair *repair)
{
  g_autoptr(GPtrArray) edits = mend_repair_plan_dup_edits (repair->plan);
  g_autoptr(GHashTable) before = snapshot_home (repair);
  g_autoptr(GHashTable) after = NULL;
  GHashTableIter iter;
  gpointer path, data;

  for (guint i = 0; i < edits->len; i++)
    {
      MendFileEdit *edit = g_ptr_array_index (edits, i);
      GBytes *replacement = mend_file_edit_get_replacement (edit);
      g_autoptr(GError) error = NULL;

      g_file_set_contents (mend_file_edit_get_path (edit), g_bytes_get_data (replacement, NULL),
                           g_bytes_get_size (replacement), &error);
      g_assert_no_error (error);
      g_hash_table_insert (before, g_strdup (mend_file_edit_get_path (edit)),
                           g_strndup (g_bytes_get_data (replacement, NULL),
                                      g_bytes_get_size (replacement)));
    }

  after = snapshot_home (repair);
  g_assert_cmpuint (g_hash_table_size (after), ==, g_hash_table_size (before));
  g_hash_table_iter_init (&iter, before);
  while (g_hash_table_iter_next (&iter, &path, &data))
    g_assert_cmpstr (g_hash_table_lookup (after, path), ==, data);
}

/* A new scan of the home, as after the repair. */
static MendScanContext *
rescan (Repair *repair)
{
  MendScanContext *context = mend_scan_context_new (
    repair->scan->home, mend_scan_context_get_config_dir (repair->scan->context));
  g_autoptr(MendScanner) scanner = mend_scanner_new ();

  mend_scan_context_set_proc_dir (context, repair->scan->proc_dir);
  mend_scanner_scan (scanner, context);
  g_assert_cmpuint (mend_scan_context_get_findings (context)->len, ==, 0);

  return context;
}

static MendAccount *
find_account (MendScanContext *context,
              const char      *client,
              const char      *profile,
              const char      *address,
              MendProtocol     protocol)
{
  GPtrArray *accounts = mend_scan_context_get_accounts (context);
  MendAccount *found = NULL;

  for (guint i = 0; i < accounts->len; i++)
    {
      MendAccount *account = g_ptr_array_index (accounts, i);

      if (g_str_equal (mend_account_get_client (account), client) &&
          g_strcmp0 (mend_account_get_address (account), address) == 0 &&
          mend_account_get_protocol (account) == protocol &&
          (profile == NULL || g_str_has_suffix (mend_account_get_profile (account), profile)))
        {
          g_assert_null (found);
          found = account;
        }
    }
  g_assert_nonnull (found);

  return found;
}

/* Fails unless the new scan finds the server on OAuth 2.0, at @host. */
static void
assert_oauth2 (MendScanContext *context,
               const char      *client,
               const char      *profile,
               const char      *address,
               MendProtocol     protocol,
               const char      *host)
{
  MendAccount *account = find_account (context, client, profile, address, protocol);

  g_assert_cmpint (mend_account_get_auth (account), ==, MEND_AUTH_OAUTH2);
  g_assert_cmpstr (mend_account_get_host (account), ==, host);
  g_assert_true (mend_account_has_finding (account, "oauth-ready"));
  g_assert_false (mend_account_has_finding (account, "basic-auth"));
  g_assert_false (mend_account_has_finding (account, "legacy-host"));
}

/* ---- Thunderbird ------------------------------------------------------- */

#define TB_PROFILES ".thunderbird/"

/* The user_pref lines of @text, in the order Thunderbird writes them. */
static void
assert_prefs_sorted (const char *text)
{
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);
  const char *previous = NULL;

  for (guint i = 0; lines[i] != NULL; i++)
    {
      if (!g_str_has_prefix (lines[i], "user_pref("))
        continue;
      if (previous != NULL)
        g_assert_cmpint (strcmp (previous, lines[i]), <, 0);
      previous = lines[i];
    }
}

static void
test_thunderbird_work (void)
{
  g_autoptr(Repair) repair = repair_new ("thunderbird-native", "thunderbird",
                                         "k3v9x2ab.default-release",
                                         "alex@contoso.onmicrosoft.com", NULL);
  const char *prefs = TB_PROFILES "k3v9x2ab.default-release/prefs.js";
  const char *added[] = {
    "user_pref(\"mail.server.server1.authMethod\", 10);",
    "user_pref(\"mail.smtpserver.smtp1.authMethod\", 10);",
    NULL
  };
  g_autoptr(MendScanContext) after = NULL;
  g_autofree char *text = NULL;

  /* Both servers in one edit of one file; no host moves on office365.com. */
  assert_n_edits (repair, 1);
  assert_edit (repair, prefs, NULL, added);
  assert_has_note (repair, "Thunderbird asks you to sign in");

  /* Where Thunderbird would have put them. */
  text = replacement_text (repair, prefs);
  assert_prefs_sorted (text);
  g_assert_nonnull (strstr (text, "user_pref(\"mail.server.server1.authMethod\", 10);\n"
                                  "user_pref(\"mail.server.server1.cacheCCRAwAMi\", true);\n"));

  apply (repair);
  after = rescan (repair);
  assert_oauth2 (after, "thunderbird", "k3v9x2ab.default-release", "alex@contoso.onmicrosoft.com",
                 MEND_PROTOCOL_IMAP, "outlook.office365.com");
  assert_oauth2 (after, "thunderbird", "k3v9x2ab.default-release", "alex@contoso.onmicrosoft.com",
                 MEND_PROTOCOL_SMTP, "smtp.office365.com");
}

/* thunderbird-native's @profile as if Thunderbird @version had run it last. */
static Repair *
thunderbird_repair_new (const char *profile,
                        const char *version,
                        const char *address)
{
  MendTestScan *scan = mend_test_scan_new ("thunderbird-native");
  g_autofree char *relative = g_strconcat (TB_PROFILES, profile, "/compatibility.ini", NULL);
  g_autofree char *path = mend_test_scan_path (scan, relative);
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;

  contents = g_strdup_printf ("[Compatibility]\nLastVersion=%s_20250101000000/20250101000000\n",
                              version);
  g_file_set_contents (path, contents, -1, &error);
  g_assert_no_error (error);
  mend_test_scan_snapshot (scan);

  return repair_new_for_scan (scan, "thunderbird", profile, address, NULL);
}

/* Fails unless the plan is refused because Thunderbird must change the
 * incoming server's name @host itself, and names updating to Thunderbird 133
 * as the other way exactly when @update_helps. */
static void
assert_host_change_needed (Repair     *repair,
                           const char *host,
                           gboolean    update_helps)
{
  MendFinding *finding;
  const char *remedy;

  assert_refused (repair, "host-change-needed");
  finding = g_ptr_array_index (mend_repair_plan_get_findings (repair->plan), 0);
  remedy = mend_finding_get_remedy (finding);
  g_assert_cmpint (mend_finding_get_severity (finding), ==, MEND_SEVERITY_ERROR);
  g_assert_cmpstr (mend_finding_get_details (finding), ==, host);
  g_assert_nonnull (strstr (mend_finding_get_explanation (finding), host));
  g_assert_nonnull (strstr (mend_finding_get_explanation (finding), "outlook.office365.com"));
  g_assert_nonnull (strstr (remedy, "change the Server Name to outlook.office365.com"));
  g_assert_cmpint (strstr (remedy, "133") != NULL, ==, update_helps);
}

/* Thunderbird 115 does OAuth 2.0 with outlook.office365.com and
 * smtp.office365.com only. The incoming server's name is in the URI of its
 * folders, which only Thunderbird's own host change rewrites: the account,
 * SMTP server included, is left as it is. */
static void
test_thunderbird_legacy_host (void)
{
  g_autoptr(Repair) repair = repair_new ("thunderbird-native", "thunderbird", "m7q2w8cd.work",
                                         "casey@hotmail.com", NULL);

  assert_host_change_needed (repair, "imap-mail.outlook.com", TRUE);
}

/* Already OAuth2, on a host Thunderbird 115 cannot sign in to: refused too. */
static void
test_thunderbird_host_only (void)
{
  g_autoptr(Repair) repair = repair_new ("thunderbird-native", "thunderbird", "m7q2w8cd.work",
                                         "morgan@outlook.com", NULL);

  assert_host_change_needed (repair, "pop-mail.outlook.com", TRUE);
}

/* Thunderbird 91, whose identities and filters name imap-mail.outlook.com:
 * refused, so user.js and the filters stay as they are. */
static void
test_thunderbird_91 (void)
{
  g_autoptr(Repair) repair = repair_new ("thunderbird-legacy-host", "thunderbird",
                                         "leg91abc.default", "jamie@live.com", NULL);

  assert_host_change_needed (repair, "imap-mail.outlook.com", TRUE);
}

/* pop3.live.com is in no Thunderbird's list of OAuth 2.0 hosts: only a new
 * name helps, whatever the version. */
static void
test_thunderbird_live_pop (void)
{
  g_autoptr(Repair) repair = thunderbird_repair_new ("t68old99.default", "115.16.0",
                                                     "jamie@live.com");

  assert_host_change_needed (repair, "pop3.live.com", FALSE);
}

static void
test_thunderbird_128 (void)
{
  g_autoptr(Repair) repair = thunderbird_repair_new ("m7q2w8cd.work", "128.3.1",
                                                     "casey@hotmail.com");

  assert_host_change_needed (repair, "imap-mail.outlook.com", TRUE);
}

/* The same account on Thunderbird 140, which signs in to every outlook.com
 * host: the sign-in method changes, the names stay. */
static void
test_thunderbird_140 (void)
{
  g_autoptr(Repair) repair = thunderbird_repair_new ("m7q2w8cd.work", "140.3.0esr",
                                                     "casey@hotmail.com");
  const char *prefs = TB_PROFILES "m7q2w8cd.work/prefs.js";
  const char *removed[] = { "user_pref(\"mail.smtpserver.smtp1.authMethod\", 3);", NULL };
  const char *added[] = {
    "user_pref(\"mail.server.server1.authMethod\", 10);",
    "user_pref(\"mail.smtpserver.smtp1.authMethod\", 10);",
    NULL
  };
  g_autoptr(MendScanContext) after = NULL;
  g_autofree char *text = NULL;

  assert_n_edits (repair, 1);
  assert_edit (repair, prefs, removed, added);
  text = replacement_text (repair, prefs);
  assert_prefs_sorted (text);

  apply (repair);
  after = rescan (repair);
  assert_oauth2 (after, "thunderbird", "m7q2w8cd.work", "casey@hotmail.com",
                 MEND_PROTOCOL_IMAP, "imap-mail.outlook.com");
  assert_oauth2 (after, "thunderbird", "m7q2w8cd.work", "casey@hotmail.com",
                 MEND_PROTOCOL_SMTP, "smtp-mail.outlook.com");
}

/* No compatibility.ini: the version is taken for a recent one, as the scan
 * does, so the outlook.com hosts stay. user.js, which would set the password
 * method again at every start, changes too. */
static void
test_thunderbird_unknown_version (void)
{
  g_autoptr(Repair) repair = repair_new ("thunderbird-legacy-host", "thunderbird",
                                         "nover000.default", "riley@outlook.com", NULL);
  const char *prefs_removed[] = { "user_pref(\"mail.smtpserver.smtp1.authMethod\", 3);", NULL };
  const char *prefs_added[] = {
    "user_pref(\"mail.server.server1.authMethod\", 10);",
    "user_pref(\"mail.smtpserver.smtp1.authMethod\", 10);",
    NULL
  };
  const char *user_js_removed[] = { "user_pref(\"mail.server.server1.authMethod\", 3);", NULL };
  const char *user_js_added[] = { "user_pref(\"mail.server.server1.authMethod\", 10);", NULL };
  g_autoptr(MendScanContext) after = NULL;

  assert_n_edits (repair, 2);
  assert_edit (repair, TB_PROFILES "nover000.default/prefs.js", prefs_removed, prefs_added);
  assert_edit (repair, TB_PROFILES "nover000.default/user.js", user_js_removed, user_js_added);

  apply (repair);
  after = rescan (repair);
  assert_oauth2 (after, "thunderbird", "nover000.default", "riley@outlook.com",
                 MEND_PROTOCOL_IMAP, "outlook.office365.com");
  assert_oauth2 (after, "thunderbird", "nover000.default", "riley@outlook.com",
                 MEND_PROTOCOL_SMTP, "smtp-mail.outlook.com");
}

/* Thunderbird 140 signs in to pop-mail.outlook.com itself: no move. */
static void
test_thunderbird_recent (void)
{
  g_autoptr(Repair) repair = repair_new ("thunderbird-flatpak", "thunderbird",
                                         "fl4tp4k1.default-release", "kim@hotmail.com", NULL);
  const char *added[] = { "user_pref(\"mail.server.server1.authMethod\", 10);", NULL };
  g_autoptr(MendScanContext) after = NULL;

  assert_n_edits (repair, 1);
  assert_edit (repair,
               ".var/app/org.mozilla.Thunderbird/.thunderbird/fl4tp4k1.default-release/prefs.js",
               NULL, added);

  apply (repair);
  after = rescan (repair);
  assert_oauth2 (after, "thunderbird", "fl4tp4k1.default-release", "kim@hotmail.com",
                 MEND_PROTOCOL_POP3, "pop-mail.outlook.com");
  assert_oauth2 (after, "thunderbird", "fl4tp4k1.default-release", "kim@hotmail.com",
                 MEND_PROTOCOL_SMTP, "smtp-mail.outlook.com");
}

static void
test_thunderbird_too_old (void)
{
  g_autoptr(Repair) repair = repair_new ("thunderbird-native", "thunderbird", "t68old99.default",
                                         "riley@outlook.com", NULL);

  assert_refused (repair, "client-too-old");
}

static void
test_thunderbird_nothing_to_change (void)
{
  g_autoptr(Repair) repair = repair_new ("thunderbird-flatpak", "thunderbird",
                                         "x1y2z3w4.default-release",
                                         "noah@contoso.onmicrosoft.com", NULL);

  assert_refused (repair, "nothing-to-change");
}

/* ---- Evolution --------------------------------------------------------- */

#define EVOLUTION_SOURCES ".config/evolution/sources/"

static void
test_evolution_consumer (void)
{
  g_autoptr(Repair) repair = repair_new ("evolution-native", "evolution", NULL,
                                         "jane.doe@outlook.com", NULL);
  const char *imap_removed[] = { "Method=none", NULL };
  const char *smtp_removed[] = { "Method=LOGIN", NULL };
  const char *added[] = { "Method=Outlook", NULL };
  g_autoptr(MendScanContext) after = NULL;
  g_autofree char *text = NULL;

  assert_n_edits (repair, 2);
  assert_edit (repair, EVOLUTION_SOURCES "3b1e6c0d5f2a4b8e9c7d1a2b3c4d5e6f70819a2b.source",
               imap_removed, added);
  assert_edit (repair, EVOLUTION_SOURCES "1700000001.4711.2@workstation.source", smtp_removed,
               added);
  assert_has_note (repair, "evolution --force-shutdown");
  assert_has_note (repair, "sign-in window");

  /* [Authentication] Method, not [Security] Method. */
  text = replacement_text (repair, EVOLUTION_SOURCES "1700000001.4711.2@workstation.source");
  g_assert_nonnull (strstr (text, "[Authentication]\nHost=smtp.office365.com\nMethod=Outlook\n"));
  g_assert_nonnull (strstr (text, "[Security]\nMethod=starttls-on-standard-port\n"));

  apply (repair);
  after = rescan (repair);
  assert_oauth2 (after, "evolution", NULL, "jane.doe@outlook.com", MEND_PROTOCOL_IMAP,
                 "outlook.office365.com");
  assert_oauth2 (after, "evolution", NULL, "jane.doe@outlook.com", MEND_PROTOCOL_SMTP,
                 "smtp.office365.com");
}

static void
test_evolution_flatpak (void)
{
  g_autoptr(Repair) repair = repair_new ("evolution-flatpak", "evolution", NULL,
                                         "chris@outlook.com", NULL);
  const char *imap_removed[] = { "Method=none", NULL };
  const char *smtp_removed[] = { "Method=PLAIN", NULL };
  const char *added[] = { "Method=Outlook", NULL };
  g_autoptr(MendScanContext) after = NULL;

  assert_n_edits (repair, 2);
  assert_edit (repair, ".var/app/org.gnome.Evolution/config/evolution/sources/"
                       "0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c.source",
               imap_removed, added);
  assert_edit (repair, ".var/app/org.gnome.Evolution/config/evolution/sources/"
                       "0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b9e.source",
               smtp_removed, added);

  apply (repair);
  after = rescan (repair);
  assert_oauth2 (after, "evolution", NULL, "chris@outlook.com", MEND_PROTOCOL_IMAP,
                 "imap-mail.outlook.com");
  assert_oauth2 (after, "evolution", NULL, "chris@outlook.com", MEND_PROTOCOL_SMTP,
                 "smtp-mail.outlook.com");
}

/* Evolution's Outlook sign-in serves personal accounts only. */
static void
test_evolution_work (void)
{
  g_autoptr(Repair) repair = repair_new ("evolution-native", "evolution", NULL,
                                         "lee@contoso.com", NULL);

  assert_refused (repair, "work-account-needs-new-account");
}

static void
test_evolution_pop (void)
{
  g_autoptr(Repair) repair = repair_new ("evolution-native", "evolution", NULL,
                                         "pat@hotmail.com", NULL);

  assert_refused (repair, "no-oauth-path");
}

/* ---- KMail ------------------------------------------------------------- */

static void
test_kmail_work (void)
{
  g_autoptr(Repair) repair = repair_new ("kmail-basic", "kmail", NULL,
                                         "alex@contoso.onmicrosoft.com", NULL);
  const char *imap_added[] = { "Authentication=9", NULL };
  const char *smtp_added[] = { "authtype=XOAUTH2", NULL };
  g_autoptr(MendScanContext) after = NULL;
  g_autofree char *imap = NULL;
  g_autofree char *smtp = NULL;

  assert_n_edits (repair, 2);
  assert_edit (repair, ".config/akonadi_imap_resource_0rc", NULL, imap_added);
  assert_edit (repair, ".config/mailtransports", NULL, smtp_added);
  assert_has_note (repair, "akonadictl stop");

  /* In KConfig's order, in the right group. */
  imap = replacement_text (repair, ".config/akonadi_imap_resource_0rc");
  g_assert_nonnull (strstr (imap, "[network]\nAuthentication=9\nImapServer="));
  smtp = replacement_text (repair, ".config/mailtransports");
  g_assert_nonnull (strstr (smtp, "[Transport 1001]\nauth=true\nauthtype=XOAUTH2\n"
                                  "encryption=TLS\n"));

  apply (repair);
  after = rescan (repair);
  assert_oauth2 (after, "kmail", NULL, "alex@contoso.onmicrosoft.com", MEND_PROTOCOL_IMAP,
                 "outlook.office365.com");
  assert_oauth2 (after, "kmail", NULL, "alex@contoso.onmicrosoft.com", MEND_PROTOCOL_SMTP,
                 "smtp.office365.com");
}

/* Hosts KMail cannot sign in to move; an old “host:port” keeps its port. */
static void
test_kmail_legacy_host (void)
{
  g_autoptr(Repair) repair = repair_new ("kmail-legacy-host", "kmail", NULL, "jo@outlook.com",
                                         NULL);
  const char *imap_removed[] = { "Authentication=1", "ImapServer=outlook.office.com:993", NULL };
  const char *imap_added[] = {
    "Authentication=9", "ImapServer=outlook.office365.com:993", NULL
  };
  const char *smtp_removed[] = { "authtype=LOGIN", "host=smtp.live.com", NULL };
  const char *smtp_added[] = { "authtype=XOAUTH2", "host=smtp.office365.com", NULL };
  g_autoptr(MendScanContext) after = NULL;

  assert_n_edits (repair, 2);
  assert_edit (repair, ".config/akonadi_imap_resource_0rc", imap_removed, imap_added);
  assert_edit (repair, ".config/mailtransports", smtp_removed, smtp_added);

  apply (repair);
  after = rescan (repair);
  assert_oauth2 (after, "kmail", NULL, "jo@outlook.com", MEND_PROTOCOL_IMAP,
                 "outlook.office365.com");
  assert_oauth2 (after, "kmail", NULL, "jo@outlook.com", MEND_PROTOCOL_SMTP,
                 "smtp.office365.com");
  g_assert_cmpuint (mend_account_get_port (find_account (after, "kmail", NULL, "jo@outlook.com",
                                                         MEND_PROTOCOL_IMAP)), ==, 993);
}

static void
test_kmail_pop (void)
{
  g_autoptr(Repair) repair = repair_new ("kmail-basic", "kmail", NULL, "chris@hotmail.com", NULL);

  assert_refused (repair, "no-oauth-path");
}

static void
test_kmail_nothing_to_change (void)
{
  g_autoptr(Repair) repair = repair_new ("kmail-basic", "kmail", NULL, "sam.example@outlook.com",
                                         NULL);

  assert_refused (repair, "nothing-to-change");
}

/* ---- Claws Mail -------------------------------------------------------- */

#define ACCOUNTRC ".claws-mail/accountrc"

static void
test_claws_mail_work (void)
{
  g_autoptr(Repair) repair = repair_new ("claws-mail-basic", "claws-mail", NULL,
                                         "alex@contoso.onmicrosoft.com", MAILMEND_CLIENT_ID);
  const char *removed[] = {
    "imap_auth_method=0", "smtp_auth_method=16", "oauth2_auth_provider=0", NULL
  };
  const char *added[] = {
    "imap_auth_method=256", "smtp_auth_method=32", "oauth2_auth_provider=3",
    "oauth2_client_id=" MAILMEND_CLIENT_ID, NULL
  };
  g_autoptr(MendScanContext) after = NULL;
  g_autofree char *text = NULL;

  assert_n_edits (repair, 1);
  assert_edit (repair, ACCOUNTRC, removed, added);
  assert_has_note (repair, "Authorise");

  /* In [Account: 1], whose last line it becomes. */
  text = replacement_text (repair, ACCOUNTRC);
  g_assert_nonnull (strstr (text, "oauth2_date=0\noauth2_client_id=" MAILMEND_CLIENT_ID
                                  "\n\n[Account: 2]\n"));

  apply (repair);
  after = rescan (repair);
  assert_oauth2 (after, "claws-mail", NULL, "alex@contoso.onmicrosoft.com", MEND_PROTOCOL_IMAP,
                 "outlook.office365.com");
  assert_oauth2 (after, "claws-mail", NULL, "alex@contoso.onmicrosoft.com", MEND_PROTOCOL_SMTP,
                 "smtp.office365.com");
}

/* Claws Mail has no app registration: without Mailmend's, no plan. */
static void
test_claws_mail_no_client_id (void)
{
  g_autoptr(Repair) repair = repair_new ("claws-mail-basic", "claws-mail", NULL,
                                         "alex@contoso.onmicrosoft.com", NULL);

  assert_refused (repair, "client-id-missing");
}

/* POP already on OAuth2 with the user's own client id: that id stays, and
 * so the plan needs none of Mailmend's. */
static void
test_claws_mail_own_client_id (void)
{
  g_autoptr(Repair) repair = repair_new ("claws-mail-basic", "claws-mail", NULL,
                                         "chris@hotmail.com", NULL);
  const char *removed[] = { "smtp_auth_method=0", NULL };
  const char *added[] = { "smtp_auth_method=32", NULL };
  g_autoptr(MendScanContext) after = NULL;

  assert_n_edits (repair, 1);
  assert_edit (repair, ACCOUNTRC, removed, added);

  apply (repair);
  after = rescan (repair);
  assert_oauth2 (after, "claws-mail", NULL, "chris@hotmail.com", MEND_PROTOCOL_POP3,
                 "outlook.office365.com");
  assert_oauth2 (after, "claws-mail", NULL, "chris@hotmail.com", MEND_PROTOCOL_SMTP,
                 "smtp-mail.outlook.com");
}

/* Last saved by a Claws Mail without OAuth 2.0. */
static void
test_claws_mail_old (void)
{
  g_autoptr(Repair) repair = repair_new ("claws-mail-old", "claws-mail", NULL, "old@hotmail.com",
                                         MAILMEND_CLIENT_ID);

  assert_refused (repair, "no-oauth-path");
}

/* ---- Alpine ------------------------------------------------------------ */

#define PINERC ".pinerc"

/* The inbox is in inbox-path and in incoming-folders: both change. */
static void
test_alpine_work (void)
{
  g_autoptr(Repair) repair = repair_new ("alpine-basic", "alpine", NULL,
                                         "alex@contoso.onmicrosoft.com", NULL);
  const char *removed[] = {
    "inbox-path={outlook.office365.com/ssl/user=alex@contoso.onmicrosoft.com}INBOX",
    "incoming-folders=Work {outlook.office365.com/ssl/user=alex@contoso.onmicrosoft.com}INBOX,",
    NULL
  };
  const char *added[] = {
    "inbox-path={outlook.office365.com/ssl/user=alex@contoso.onmicrosoft.com/auth=xoauth2}INBOX",
    "incoming-folders=Work {outlook.office365.com/ssl/user=alex@contoso.onmicrosoft.com"
      "/auth=xoauth2}INBOX,",
    NULL
  };
  g_autoptr(MendScanContext) after = NULL;

  assert_n_edits (repair, 1);
  assert_edit (repair, PINERC, removed, added);
  assert_has_note (repair, "code");

  apply (repair);
  after = rescan (repair);
  assert_oauth2 (after, "alpine", NULL, "alex@contoso.onmicrosoft.com", MEND_PROTOCOL_IMAP,
                 "outlook.office365.com");
  assert_oauth2 (after, "alpine", NULL, "alex@contoso.onmicrosoft.com", MEND_PROTOCOL_SMTP,
                 "smtp.office365.com");
}

/* Alpine's Outlook entry knows two hosts: the others move, ports and
 * flags stay, /auth=plain becomes /auth=xoauth2, quoted servers stay. */
static void
test_alpine_legacy_host (void)
{
  g_autoptr(Repair) repair = repair_new ("alpine-legacy-host", "alpine", NULL, "jo@outlook.com",
                                         NULL);
  const char *removed[] = {
    "\tsmtp-mail.outlook.com:587/tls/user=jo@outlook.com",
    "inbox-path={imap-mail.outlook.com:993/ssl/user=jo@outlook.com/auth=plain}INBOX",
    "folder-collections=Outlook {imap-mail.outlook.com:993/ssl/user=jo@outlook.com/auth=plain}[],",
    NULL
  };
  const char *added[] = {
    "\tsmtp.office365.com:587/tls/user=jo@outlook.com/auth=xoauth2",
    "inbox-path={outlook.office365.com:993/ssl/user=jo@outlook.com/auth=xoauth2}INBOX",
    "folder-collections=Outlook {outlook.office365.com:993/ssl/user=jo@outlook.com"
      "/auth=xoauth2}[],",
    NULL
  };
  g_autoptr(MendScanContext) after = NULL;

  assert_n_edits (repair, 1);
  assert_edit (repair, PINERC, removed, added);

  apply (repair);
  after = rescan (repair);
  assert_oauth2 (after, "alpine", NULL, "jo@outlook.com", MEND_PROTOCOL_IMAP,
                 "outlook.office365.com");
  assert_oauth2 (after, "alpine", NULL, "jo@outlook.com", MEND_PROTOCOL_SMTP,
                 "smtp.office365.com");
}

/* Already xoauth2, on a host Alpine's Outlook entry does not match. */
static void
test_alpine_host_only (void)
{
  g_autoptr(Repair) repair = repair_new ("alpine-basic", "alpine", NULL, "sam.example@outlook.com",
                                         NULL);
  const char *removed[] = {
    "\tOutlook {imap-mail.outlook.com/ssl/user=sam.example@outlook.com/auth=xoauth2}[],", NULL
  };
  const char *added[] = {
    "\tOutlook {outlook.office365.com/ssl/user=sam.example@outlook.com/auth=xoauth2}[],", NULL
  };
  g_autoptr(MendScanContext) after = NULL;

  assert_n_edits (repair, 1);
  assert_edit (repair, PINERC, removed, added);

  apply (repair);
  after = rescan (repair);
  assert_oauth2 (after, "alpine", NULL, "sam.example@outlook.com", MEND_PROTOCOL_IMAP,
                 "outlook.office365.com");
}

static void
test_alpine_pop (void)
{
  g_autoptr(Repair) repair = repair_new ("alpine-basic", "alpine", NULL, "chris@hotmail.com",
                                         NULL);

  assert_refused (repair, "no-oauth-path");
}

static void
test_alpine_too_old (void)
{
  g_autoptr(Repair) repair = repair_new ("alpine-old", "alpine", NULL,
                                         "old@contoso.onmicrosoft.com", NULL);

  assert_refused (repair, "client-too-old");
}

/* ---- every client ----------------------------------------------------- */

/* Their own sign-ins know Microsoft's worldwide cloud only. */
static void
test_national_cloud (void)
{
  static const char * const clients[] = { "thunderbird", "kmail", "alpine" };
  g_autoptr(MendScanContext) scan_context = mend_scan_context_new ("/nonexistent", NULL);
  g_autoptr(MendRepairContext) context = mend_repair_context_new (scan_context);

  for (guint i = 0; i < G_N_ELEMENTS (clients); i++)
    {
      g_autoptr(MendClient) client = client_new (clients[i]);
      g_autoptr(MendAccount) account = NULL;
      g_autoptr(GPtrArray) servers = g_ptr_array_new ();
      g_autoptr(MendRepairPlan) plan = NULL;
      GPtrArray *findings;

      account = mend_account_new (clients[i], "/nonexistent/config", "server1",
                                  MEND_PROTOCOL_IMAP);
      mend_account_set_address (account, "jo@agency.gov");
      mend_account_set_username (account, "jo@agency.gov");
      mend_account_set_host (account, "outlook.office365.us");
      mend_account_set_auth (account, MEND_AUTH_PASSWORD);
      mend_account_set_client_version (account, "128.0");
      g_ptr_array_add (servers, account);

      plan = mend_repair_plan_new (clients[i], mend_client_get_name (client), servers);
      mend_client_plan_repair (client, context, plan);

      findings = mend_repair_plan_get_findings (plan);
      g_assert_cmpuint (findings->len, ==, 1);
      g_assert_cmpstr (mend_finding_get_id (g_ptr_array_index (findings, 0)), ==,
                       "no-oauth-path");
      g_assert_nonnull (strstr (mend_finding_get_explanation (g_ptr_array_index (findings, 0)),
                                "outlook.office365.us"));
      g_assert_false (mend_repair_plan_can_apply (plan));
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_set_prgname ("test-repair-own-oauth");

  g_test_add_func ("/repair/thunderbird/work", test_thunderbird_work);
  g_test_add_func ("/repair/thunderbird/legacy-host", test_thunderbird_legacy_host);
  g_test_add_func ("/repair/thunderbird/host-only", test_thunderbird_host_only);
  g_test_add_func ("/repair/thunderbird/91", test_thunderbird_91);
  g_test_add_func ("/repair/thunderbird/live-pop", test_thunderbird_live_pop);
  g_test_add_func ("/repair/thunderbird/128", test_thunderbird_128);
  g_test_add_func ("/repair/thunderbird/140", test_thunderbird_140);
  g_test_add_func ("/repair/thunderbird/unknown-version", test_thunderbird_unknown_version);
  g_test_add_func ("/repair/thunderbird/recent", test_thunderbird_recent);
  g_test_add_func ("/repair/thunderbird/too-old", test_thunderbird_too_old);
  g_test_add_func ("/repair/thunderbird/nothing-to-change", test_thunderbird_nothing_to_change);
  g_test_add_func ("/repair/evolution/consumer", test_evolution_consumer);
  g_test_add_func ("/repair/evolution/flatpak", test_evolution_flatpak);
  g_test_add_func ("/repair/evolution/work", test_evolution_work);
  g_test_add_func ("/repair/evolution/pop", test_evolution_pop);
  g_test_add_func ("/repair/kmail/work", test_kmail_work);
  g_test_add_func ("/repair/kmail/legacy-host", test_kmail_legacy_host);
  g_test_add_func ("/repair/kmail/pop", test_kmail_pop);
  g_test_add_func ("/repair/kmail/nothing-to-change", test_kmail_nothing_to_change);
  g_test_add_func ("/repair/claws-mail/work", test_claws_mail_work);
  g_test_add_func ("/repair/claws-mail/no-client-id", test_claws_mail_no_client_id);
  g_test_add_func ("/repair/claws-mail/own-client-id", test_claws_mail_own_client_id);
  g_test_add_func ("/repair/claws-mail/old", test_claws_mail_old);
  g_test_add_func ("/repair/alpine/work", test_alpine_work);
  g_test_add_func ("/repair/alpine/legacy-host", test_alpine_legacy_host);
  g_test_add_func ("/repair/alpine/host-only", test_alpine_host_only);
  g_test_add_func ("/repair/alpine/pop", test_alpine_pop);
  g_test_add_func ("/repair/alpine/too-old", test_alpine_too_old);
  g_test_add_func ("/repair/national-cloud", test_national_cloud);

  return g_test_run ();
}
