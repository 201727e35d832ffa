/* test-report-collector.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * MendReportCollector on a copy of the demo home, without a session bus (so without a
 * keyring), with Microsoft's status at a closed port and a journal in a temporary folder:
 * the report gets the unknown status, the scan's accounts, the keyring's finding and the
 * journal's changes, all in one collection; a journal that cannot be read is a finding; a
 * cancelled collection leaves the report as it was. The sign-ins of a real keyring are
 * checked in the rig by tests/gui/test-done-page.c and
 * tests/integration/test-cli-report-keyring.c.
 */

#include "config.h"

#include <string.h>

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "mend-report-collector.h"
#include "mend-test-scan.h"

typedef struct
{
  MendTestScan *scan;
  char         *journal_dir;
  MendJournal  *journal;
  MendReport   *report;
  JsonParser   *parser;
} Fixture;

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  fixture->scan = mend_test_scan_new ("demo");
  fixture->journal_dir = g_build_filename (fixture->scan->home, ".local", "state", "mailmend",
                                           NULL);
  fixture->journal = mend_journal_new (fixture->journal_dir);
  fixture->report = mend_report_new ();
  fixture->parser = json_parser_new ();
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  g_clear_pointer (&fixture->scan, mend_test_scan_free);
  g_clear_pointer (&fixture->journal_dir, g_free);
  g_clear_object (&fixture->journal);
  g_clear_object (&fixture->report);
  g_clear_object (&fixture->parser);
}

static void
on_collected (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

static gboolean
collect (Fixture              *fixture,
         MendReportCollector  *collector,
         GCancellable         *cancellable,
         GError              **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  mend_report_collector_collect_async (collector, fixture->report, cancellable, on_collected,
                                       &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);

  return mend_report_collector_collect_finish (collector, result, error);
}

static JsonObject *
render_json (Fixture *fixture)
{
  g_autofree char *text = mend_report_render (fixture->report, MEND_REPORT_FORMAT_JSON);
  g_autoptr(GError) error = NULL;

  json_parser_load_from_data (fixture->parser, text, -1, &error);
  g_assert_no_error (error);

  return json_node_get_object (json_parser_get_root (fixture->parser));
}

static gboolean
has_finding (JsonArray  *findings,
             const char *id)
{
  for (guint i = 0; i < json_array_get_length (findings); i++)
    {
      JsonObject *finding = json_array_get_object_element (findings, i);

      if (g_str_equal (json_object_get_string_member (finding, "id"), id))
        return TRUE;
    }

  return FALSE;
}

/* Changes ~/.msmtprc as a repair would, through the journal; returns the change's id. */
static char *
apply_change (Fixture    *fixture,
              const char *line)
{
  g_autofree char *path = mend_test_scan_path (fixture->scan, ".msmtprc");
  g_autoptr(MendAccount) account = mend_account_new ("msmtp", path, "contoso", MEND_PROTOCOL_SMTP);
  g_autoptr(GPtrArray) accounts = g_ptr_array_new ();
  g_autoptr(MendRepairPlan) plan = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *changed = NULL;
  char *change_id = NULL;

  mend_account_set_address (account, "carol.petit@contoso.com");
  g_ptr_array_add (accounts, account);
  plan = mend_repair_plan_new ("msmtp", "msmtp", accounts);

  mend_repair_plan_read_file (plan, path, &contents, NULL, &error);
  g_assert_no_error (error);
  changed = g_strconcat (contents, line, NULL);
  mend_repair_plan_write_file (plan, path, changed, -1);

  g_assert_true (mend_journal_apply (fixture->journal, plan, &change_id, &error));
  g_assert_no_error (error);

  return change_id;
}

static void
test_everything (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(MendReportCollector) collector = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *undone_id = NULL;
  g_autofree char *applied_id = NULL;
  JsonObject *root, *status, *change;
  JsonArray *changes, *status_findings;
  GPtrArray *journal_changes;

  undone_id = apply_change (fixture, "# first\n");
  g_assert_true (mend_journal_undo (fixture->journal, undone_id, &error));
  g_assert_no_error (error);
  /* Change ids hold the second they were made in: the next one is the newer. */
  g_usleep (G_USEC_PER_SEC);
  applied_id = apply_change (fixture, "# second\n");

  collector = mend_report_collector_new (fixture->scan->context, fixture->journal);
  g_assert_true (collect (fixture, collector, NULL, &error));
  g_assert_no_error (error);

  root = render_json (fixture);

  /* Microsoft's status: checked, unknown. */
  status = json_object_get_object_member (root, "service_status");
  g_assert_true (json_object_get_boolean_member (status, "checked"));
  status_findings = json_object_get_array_member (status, "findings");
  g_assert_cmpuint (json_array_get_length (status_findings), ==, 1);
  g_assert_true (has_finding (status_findings, "service-status-unknown"));

  /* The scan: the demo home's Microsoft accounts. */
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (root, "accounts")), ==,
                    7);

  /* No keyring: no sign-in, and a finding that says why. */
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (root, "sign_ins")), ==,
                    0);
  g_assert_true (has_finding (json_object_get_array_member (root, "findings"),
                              "keyring-unavailable"));

  /* The history, newest first. */
  changes = json_object_get_array_member (root, "changes");
  g_assert_cmpuint (json_array_get_length (changes), ==, 2);
  change = json_array_get_object_element (changes, 0);
  g_assert_cmpstr (json_object_get_string_member (change, "change_id"), ==, applied_id);
  g_assert_false (json_object_get_boolean_member (change, "undone"));
  change = json_array_get_object_element (changes, 1);
  g_assert_cmpstr (json_object_get_string_member (change, "change_id"), ==, undone_id);
  g_assert_true (json_object_get_boolean_member (change, "undone"));

  /* The same changes, whole, for the Done step's summary. */
  journal_changes = mend_report_collector_get_changes (collector);
  g_assert_nonnull (journal_changes);
  g_assert_cmpuint (journal_changes->len, ==, 2);
  g_assert_cmpstr (mend_change_get_client_id (g_ptr_array_index (journal_changes, 0)), ==,
                   "msmtp");
  g_assert_cmpstr (mend_change_get_address (g_ptr_array_index (journal_changes, 0)), ==,
                   "carol.petit@contoso.com");
  g_assert_null (mend_report_collector_get_history_finding (collector));
}

/* The journal's lock cannot be opened: a finding in the report, and the rest still there. */
static void
test_journal_unavailable (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autofree char *changes_dir = g_build_filename (fixture->journal_dir, "changes", NULL);
  g_autofree char *lock = g_build_filename (fixture->journal_dir, "lock", NULL);
  g_autoptr(MendReportCollector) collector = NULL;
  g_autoptr(GError) error = NULL;
  MendFinding *finding;
  JsonObject *root;

  /* A folder where the lock file should be: it cannot be opened, even by root. */
  g_assert_cmpint (g_mkdir_with_parents (changes_dir, 0700), ==, 0);
  g_assert_cmpint (g_mkdir (lock, 0700), ==, 0);

  collector = mend_report_collector_new (fixture->scan->context, fixture->journal);
  g_assert_true (collect (fixture, collector, NULL, &error));
  g_assert_no_error (error);

  g_assert_null (mend_report_collector_get_changes (collector));
  finding = mend_report_collector_get_history_finding (collector);
  g_assert_nonnull (finding);
  g_assert_cmpstr (mend_finding_get_id (finding), ==, "journal-unavailable");
  /* Why, for support staff: the journal's folder and the system's reason. */
  g_assert_nonnull (strstr (mend_finding_get_details (finding), fixture->journal_dir));

  root = render_json (fixture);
  g_assert_true (has_finding (json_object_get_array_member (root, "findings"),
                              "journal-unavailable"));
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (root, "changes")), ==,
                    0);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (root, "accounts")), ==,
                    7);
}

/* Cancelled: an error, and nothing added to the report. */
static void
test_cancelled (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(MendReportCollector) collector = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  JsonObject *root;

  g_free (apply_change (fixture, "# a change\n"));

  collector = mend_report_collector_new (fixture->scan->context, fixture->journal);
  g_cancellable_cancel (cancellable);
  g_assert_false (collect (fixture, collector, cancellable, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);

  root = render_json (fixture);
  g_assert_false (json_object_get_boolean_member (json_object_get_object_member (root,
                                                                                 "service_status"),
                                                  "checked"));
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (root, "accounts")), ==,
                    0);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (root, "changes")), ==,
                    0);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (root, "findings")), ==,
                    0);
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *cache = NULL;
  g_autoptr(GError) error = NULL;
  int status;

  g_test_init (&argc, &argv, NULL);
  g_set_prgname ("test-report-collector");

  /* No keyring, Microsoft's status at a closed port, and a cache of this test's own. */
  g_unsetenv ("DBUS_SESSION_BUS_ADDRESS");
  g_setenv ("MAILMEND_STATUS_URL", "http://127.0.0.1:1/api/posts/m365Consumer", TRUE);
  cache = g_dir_make_tmp ("mailmend-report-collector-XXXXXX", &error);
  g_assert_no_error (error);
  g_setenv ("XDG_CACHE_HOME", cache, TRUE);

  g_test_add ("/report-collector/everything", Fixture, NULL,
              fixture_setup, test_everything, fixture_teardown);
  g_test_add ("/report-collector/journal-unavailable", Fixture, NULL,
              fixture_setup, test_journal_unavailable, fixture_teardown);
  g_test_add ("/report-collector/cancelled", Fixture, NULL,
              fixture_setup, test_cancelled, fixture_teardown);

  status = g_test_run ();
  mend_test_remove_tree (cache);

  return status;
}
