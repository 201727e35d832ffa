/* test-cli-repair.c: `mailmend repair`, `history` and `undo` on copies of every fixture home
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * For each home: sign-ins for its Microsoft addresses go into the rig's keyring (token-command
 * apps are repaired only for an address with one), `mailmend repair --all --yes --json`
 * repairs what it can, a new scan shows the repaired accounts on OAuth 2.0, and `mailmend undo
 * --all` gives every file of the home its exact bytes back. Then the refusals: a running
 * Thunderbird, a dry run, a missing --yes, an unknown id.
 */

#include "config.h"

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <libsecret/secret.h>

#include "mend-test-oauth.h"
#include "mend-test-scan.h"
#include "mend-token-store.h"

typedef struct
{
  MendTestScan *scan;
  char         *state_dir;
  GPtrArray    *signed_in;
} Fixture;

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->state_dir = g_dir_make_tmp ("mailmend-state-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->signed_in = g_ptr_array_new_with_free_func (g_free);
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  for (guint i = 0; i < fixture->signed_in->len; i++)
    mend_test_forget (g_ptr_array_index (fixture->signed_in, i));
  g_clear_pointer (&fixture->signed_in, g_ptr_array_unref);
  g_clear_pointer (&fixture->scan, mend_test_scan_free);
  mend_test_remove_tree (fixture->state_dir);
  g_clear_pointer (&fixture->state_dir, g_free);
}

/* Runs the CLI on the fixture's home, with its own journal and process table. */
static MendTestRun *
run_cli (Fixture    *fixture,
         const char *first_arg,
         ...)
{
  g_autofree char *home = g_strconcat ("HOME=", fixture->scan->home, NULL);
  g_autofree char *config = g_strconcat ("XDG_CONFIG_HOME=", fixture->scan->home, "/.config", NULL);
  g_autofree char *state = g_strconcat ("XDG_STATE_HOME=", fixture->state_dir, NULL);
  g_autofree char *proc = g_strconcat ("MAILMEND_PROC_DIR=", fixture->scan->proc_dir, NULL);
  const char *env[] = { home, config, state, proc, "LC_ALL=C.UTF-8", NULL };
  g_autoptr(GPtrArray) args = g_ptr_array_new ();
  va_list ap;

  va_start (ap, first_arg);
  for (const char *arg = first_arg; arg != NULL; arg = va_arg (ap, const char *))
    g_ptr_array_add (args, (gpointer) arg);
  va_end (ap);
  g_ptr_array_add (args, NULL);

  return mend_test_run_cli (env, NULL, (const char * const *) args->pdata);
}

static JsonObject *
parse_object (const char *text)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  json_parser_load_from_data (parser, text, -1, &error);
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)));

  return json_object_ref (json_node_get_object (json_parser_get_root (parser)));
}

static JsonObject *
scan_json (Fixture *fixture)
{
  g_autoptr(MendTestRun) run = run_cli (fixture, "scan", "--json", NULL);

  g_assert_cmpint (run->exit_status, ==, 0);
  return parse_object (run->out);
}

/* Stores a sign-in for every Microsoft address and user name of the home, as
 * `mailmend signin` would have; repairs read only whether there is one. */
static void
sign_in_everyone (Fixture *fixture)
{
  g_autoptr(MendTokenStore) store = mend_token_store_new ();
  g_autoptr(JsonObject) scan = scan_json (fixture);
  JsonArray *accounts = json_object_get_array_member (scan, "accounts");

  for (guint i = 0; i < json_array_get_length (accounts); i++)
    {
      JsonObject *account = json_array_get_object_element (accounts, i);
      const char *names[] = {
        json_object_get_string_member_with_default (account, "address", NULL),
        json_object_get_string_member_with_default (account, "username", NULL),
      };

      for (guint j = 0; j < G_N_ELEMENTS (names); j++)
        {
          g_autoptr(MendOAuthToken) token = NULL;
          g_autoptr(GError) error = NULL;

          if (names[j] == NULL || strchr (names[j], '@') == NULL ||
              g_ptr_array_find_with_equal_func (fixture->signed_in, names[j], g_str_equal, NULL))
            continue;

          token = mend_oauth_token_new (names[j]);
          mend_oauth_token_set_refresh_token (token, "refresh-token-of-the-repair-test");
          mend_token_store_store_sync (store, token, NULL, &error);
          g_assert_no_error (error);
          g_ptr_array_add (fixture->signed_in, g_strdup (names[j]));
        }
    }
}

/* Every server of an applied account (same client and address) now signs in with OAuth. */
static void
assert_applied_use_oauth (Fixture   *fixture,
                          JsonArray *applied)
{
  g_autoptr(JsonObject) scan = scan_json (fixture);
  JsonArray *accounts = json_object_get_array_member (scan, "accounts");

  for (guint i = 0; i < json_array_get_length (applied); i++)
    {
      JsonObject *change = json_array_get_object_element (applied, i);
      const char *client = json_object_get_string_member (change, "client");
      const char *address = json_object_get_string_member_with_default (change, "address", NULL);
      guint checked = 0;

      for (guint j = 0; j < json_array_get_length (accounts); j++)
        {
          JsonObject *account = json_array_get_object_element (accounts, j);

          if (g_strcmp0 (json_object_get_string_member (account, "client"), client) != 0 ||
              g_strcmp0 (json_object_get_string_member_with_default (account, "address", NULL), address) != 0 ||
              !json_object_get_boolean_member (account, "microsoft"))
            continue;

          if (g_strcmp0 (json_object_get_string_member (account, "auth"), "oauth2") != 0)
            g_error ("%s: %s %s %s still uses %s after the repair", fixture->scan->home, client,
                     address, json_object_get_string_member (account, "protocol"),
                     json_object_get_string_member (account, "auth"));
          checked++;
        }

      g_assert_cmpuint (checked, >, 0);
    }
}

/* The files a change lists are absolute, and all inside the home. */
static void
assert_files_in_home (Fixture   *fixture,
                      JsonArray *applied)
{
  for (guint i = 0; i < json_array_get_length (applied); i++)
    {
      JsonArray *files = json_object_get_array_member (json_array_get_object_element (applied, i),
                                                       "files");

      g_assert_cmpuint (json_array_get_length (files), >, 0);
      for (guint j = 0; j < json_array_get_length (files); j++)
        {
          const char *file = json_array_get_string_element (files, j);

          g_assert_true (g_path_is_absolute (file));
          g_assert_true (g_str_has_prefix (file, fixture->scan->home));
        }
    }
}

/* Repairs a whole home and undoes it; adds the clients repaired to @clients. */
static void
repair_and_undo_home (Fixture    *fixture,
                      const char *name,
                      GHashTable *clients)
{
  g_autoptr(MendTestRun) repair = NULL;
  g_autoptr(MendTestRun) history = NULL;
  g_autoptr(MendTestRun) undo = NULL;
  g_autoptr(MendTestRun) again = NULL;
  g_autoptr(JsonObject) result = NULL;
  g_autoptr(JsonObject) changes = NULL;
  JsonArray *applied;
  JsonArray *failed;

  fixture->scan = mend_test_scan_new (name);
  mend_test_scan_set_running (fixture->scan, NULL);
  sign_in_everyone (fixture);

  repair = run_cli (fixture, "repair", "--all", "--yes", "--json", NULL);
  g_test_message ("%s: %s", name, repair->err);
  g_assert_cmpint (repair->exit_status, ==, 0);
  result = parse_object (repair->out);
  applied = json_object_get_array_member (result, "applied");
  failed = json_object_get_array_member (result, "failed");
  g_assert_nonnull (json_object_get_array_member (result, "skipped"));
  g_assert_cmpuint (json_array_get_length (failed), ==, 0);

  assert_files_in_home (fixture, applied);
  assert_applied_use_oauth (fixture, applied);
  for (guint i = 0; i < json_array_get_length (applied); i++)
    g_hash_table_add (clients, g_strdup (json_object_get_string_member (json_array_get_object_element (applied, i),
                                                                        "client")));

  /* A second run finds nothing left to apply. */
  again = run_cli (fixture, "repair", "--all", "--yes", "--json", NULL);
  g_assert_cmpint (again->exit_status, ==, 0);
  {
    g_autoptr(JsonObject) second = parse_object (again->out);

    g_assert_cmpuint (json_array_get_length (json_object_get_array_member (second, "applied")), ==, 0);
  }

  history = run_cli (fixture, "history", "--json", NULL);
  g_assert_cmpint (history->exit_status, ==, 0);
  changes = parse_object (history->out);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (changes, "changes")), ==,
                    json_array_get_length (applied));

  /* Every byte of the home as it was. */
  undo = run_cli (fixture, "undo", "--all", NULL);
  g_assert_cmpint (undo->exit_status, ==, 0);
  mend_test_scan_assert_same_bytes (fixture->scan);
}

static void
test_every_home (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autofree char *homes_path = g_test_build_filename (G_TEST_DIST, "fixtures", "homes", NULL);
  g_autoptr(GHashTable) clients = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GDir) dir = NULL;
  g_autoptr(GError) error = NULL;
  const char *name;
  /* Every client with an OAuth path, repaired in at least one home. */
  const char *expected[] = { "thunderbird", "evolution", "kmail", "claws-mail", "alpine",
                             "neomutt", "mutt", "msmtp", "mbsync", "aerc", "himalaya",
                             "offlineimap", NULL };

  if (!mend_test_in_rig ())
    return;

  dir = g_dir_open (homes_path, 0, &error);
  g_assert_no_error (error);
  while ((name = g_dir_read_name (dir)) != NULL)
    g_ptr_array_add (names, g_strdup (name));
  g_ptr_array_sort (names, (GCompareFunc) g_strcmp0);

  for (guint i = 0; i < names->len; i++)
    {
      repair_and_undo_home (fixture, g_ptr_array_index (names, i), clients);

      for (guint j = 0; j < fixture->signed_in->len; j++)
        mend_test_forget (g_ptr_array_index (fixture->signed_in, j));
      g_ptr_array_set_size (fixture->signed_in, 0);
      g_clear_pointer (&fixture->scan, mend_test_scan_free);
      mend_test_remove_tree (fixture->state_dir);
      g_assert_cmpint (g_mkdir (fixture->state_dir, 0700), ==, 0);
    }

  for (guint i = 0; expected[i] != NULL; i++)
    {
      if (!g_hash_table_contains (clients, expected[i]))
        g_error ("No fixture home had a %s account repaired", expected[i]);
    }
}

/* A running Thunderbird would write its settings back over the repair: refused, exit 1,
 * its profile untouched. The home's other profile, not in use, is repaired. */
static void
test_client_running (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(MendTestRun) run = NULL;
  g_autoptr(JsonObject) result = NULL;
  g_autofree char *prefs = NULL;
  g_autofree char *original = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  JsonArray *applied;
  JsonArray *failed;
  JsonArray *findings;

  if (!mend_test_in_rig ())
    return;

  /* The default profile's lock names pid 4101: a live Thunderbird. */
  fixture->scan = mend_test_scan_new ("thunderbird-native");
  mend_test_scan_set_running_pid (fixture->scan, 4101, "thunderbird");

  run = run_cli (fixture, "repair", "--all", "--yes", "--json", NULL);
  g_assert_cmpint (run->exit_status, ==, 1);
  result = parse_object (run->out);
  failed = json_object_get_array_member (result, "failed");
  g_assert_cmpuint (json_array_get_length (failed), >, 0);
  findings = json_object_get_array_member (json_array_get_object_element (failed, 0), "findings");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (findings, 0), "id"),
                   ==, "client-running");

  prefs = mend_test_scan_path (fixture->scan, ".thunderbird/k3v9x2ab.default-release/prefs.js");
  g_assert_true (g_file_get_contents (prefs, &after, NULL, NULL));
  original = g_test_build_filename (G_TEST_DIST, "fixtures", "homes", "thunderbird-native",
                                    ".thunderbird", "k3v9x2ab.default-release", "prefs.js", NULL);
  g_assert_true (g_file_get_contents (original, &before, NULL, NULL));
  g_assert_cmpstr (after, ==, before);

  applied = json_object_get_array_member (result, "applied");
  for (guint i = 0; i < json_array_get_length (applied); i++)
    {
      JsonArray *files = json_object_get_array_member (json_array_get_object_element (applied, i),
                                                       "files");

      for (guint j = 0; j < json_array_get_length (files); j++)
        g_assert_null (strstr (json_array_get_string_element (files, j), "k3v9x2ab"));
    }
}

/* A dry run shows the changes and writes nothing, not even the journal. */
static void
test_dry_run (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(MendTestRun) run = NULL;
  g_autoptr(MendTestRun) text = NULL;
  g_autoptr(JsonObject) result = NULL;
  g_autofree char *journal = NULL;
  JsonArray *planned;
  JsonObject *first;

  if (!mend_test_in_rig ())
    return;

  fixture->scan = mend_test_scan_new ("demo");
  mend_test_scan_set_running (fixture->scan, NULL);

  run = run_cli (fixture, "repair", "--all", "--dry-run", "--json", NULL);
  g_assert_cmpint (run->exit_status, ==, 0);
  result = parse_object (run->out);
  planned = json_object_get_array_member (result, "planned");
  g_assert_cmpuint (json_array_get_length (planned), >, 0);
  first = json_array_get_object_element (planned, 0);
  g_assert_true (g_str_has_prefix (json_array_get_string_element (json_object_get_array_member (first, "diffs"), 0),
                                   "--- /"));
  g_assert_true (g_str_has_prefix (json_array_get_string_element (json_object_get_array_member (first, "files"), 0),
                                   fixture->scan->home));

  text = run_cli (fixture, "repair", "--all", "--dry-run", NULL);
  g_assert_cmpint (text->exit_status, ==, 0);
  g_assert_nonnull (strstr (text->out, "\n+"));

  mend_test_scan_assert_unchanged (fixture->scan);
  journal = g_build_filename (fixture->state_dir, "mailmend", "changes", NULL);
  g_assert_false (g_file_test (journal, G_FILE_TEST_EXISTS));
}

static void
test_refusals (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(MendTestRun) no_yes = NULL;
  g_autoptr(MendTestRun) unknown = NULL;
  g_autoptr(MendTestRun) nothing = NULL;

  if (!mend_test_in_rig ())
    return;

  fixture->scan = mend_test_scan_new ("demo");
  mend_test_scan_set_running (fixture->scan, NULL);

  /* Not in a terminal, and not told --yes: nothing is changed. */
  no_yes = run_cli (fixture, "repair", "--all", NULL);
  g_assert_cmpint (no_yes->exit_status, ==, 2);
  g_assert_nonnull (strstr (no_yes->err, "--yes"));

  unknown = run_cli (fixture, "repair", "--yes", "0123456789abcdef", NULL);
  g_assert_cmpint (unknown->exit_status, ==, 2);
  g_assert_nonnull (strstr (unknown->err, "0123456789abcdef"));

  nothing = run_cli (fixture, "repair", NULL);
  g_assert_cmpint (nothing->exit_status, ==, 2);

  mend_test_scan_assert_unchanged (fixture->scan);
}

int
main (int   argc,
      char *argv[])
{
  int ret;

  g_test_init (&argc, &argv, NULL);
  g_set_prgname ("test-cli-repair");

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("/cli-repair/every-home", test_every_home);
  ADD ("/cli-repair/client-running", test_client_running);
  ADD ("/cli-repair/dry-run", test_dry_run);
  ADD ("/cli-repair/refusals", test_refusals);
#undef ADD

  ret = g_test_run ();
  secret_service_disconnect ();

  return ret;
}
