/* test-cli-status.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * `mailmend status` against a SoupServer on 127.0.0.1 that serves Microsoft's consumer status
 * feed from tests/fixtures/status/ (MAILMEND_STATUS_URL): the text, the JSON contract, the exit
 * statuses, the fail-open answer, and the cache that successive runs share.
 */

#include "config.h"

#include <string.h>

#include <gio/gio.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "mend-test-cli.h"
#include "mend-test-scan.h"

typedef struct
{
  SoupServer *server;
  char       *base;
  char       *cache_home;
  guint       hits;
} Fixture;

static void
handle (SoupServer        *server,
        SoupServerMessage *msg,
        const char        *path,
        GHashTable        *query,
        gpointer           user_data)
{
  Fixture *fixture = user_data;
  g_autofree char *name = g_path_get_basename (path);
  g_autofree char *file = g_test_build_filename (G_TEST_DIST, "fixtures", "status", name, NULL);
  char *contents = NULL;
  gsize length;

  fixture->hits++;
  if (!g_file_get_contents (file, &contents, &length, NULL))
    {
      soup_server_message_set_status (msg, 404, NULL);
      return;
    }

  soup_server_message_set_status (msg, 200, NULL);
  soup_server_message_set_response (msg, g_str_has_suffix (name, ".html") ? "text/html"
                                                                          : "application/json",
                                    SOUP_MEMORY_TAKE, contents, length);
}

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  GSList *uris;

  fixture->server = soup_server_new (NULL, NULL);
  soup_server_add_handler (fixture->server, NULL, handle, fixture, NULL);
  soup_server_listen_local (fixture->server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error);
  g_assert_no_error (error);
  uris = soup_server_get_uris (fixture->server);
  fixture->base = g_uri_to_string (uris->data);
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);

  fixture->cache_home = g_dir_make_tmp ("mailmend-cli-status-XXXXXX", &error);
  g_assert_no_error (error);
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  soup_server_disconnect (fixture->server);
  g_clear_object (&fixture->server);
  g_clear_pointer (&fixture->base, g_free);
  mend_test_remove_tree (fixture->cache_home);
  g_clear_pointer (&fixture->cache_home, g_free);
}

/* Runs `mailmend status ARGS…` against @url; the server answers while it runs. */
static MendTestRun *
run_status (Fixture    *fixture,
            const char *url,
            ...)
{
  g_autofree char *url_env = g_strconcat ("MAILMEND_STATUS_URL=", url, NULL);
  g_autofree char *cache_env = g_strconcat ("XDG_CACHE_HOME=", fixture->cache_home, NULL);
  const char *env[] = { url_env, cache_env, "TZ=UTC", NULL };
  MendTestRun *run;
  va_list args;

  va_start (args, url);
  run = mend_test_run_cli_valist (env, NULL, "status", args);
  va_end (args);

  return run;
}

static char *
url_for (Fixture    *fixture,
         const char *file)
{
  return g_strconcat (fixture->base, file, NULL);
}

static void
assert_contains (const char *text,
                 const char *part)
{
  if (text == NULL || strstr (text, part) == NULL)
    g_error ("“%s” does not contain “%s”", text ? text : "(null)", part);
}

/* Every finding has the shape of `mailmend scan`'s. */
static JsonObject *
the_finding (JsonObject *root)
{
  JsonArray *findings = json_object_get_array_member (root, "findings");
  JsonObject *finding;
  static const char *members[] = { "id", "severity", "title", "explanation", "remedy",
                                   "details", "link" };

  g_assert_cmpuint (json_array_get_length (findings), ==, 1);
  finding = json_array_get_object_element (findings, 0);
  for (guint i = 0; i < G_N_ELEMENTS (members); i++)
    g_assert_true (json_object_has_member (finding, members[i]));

  return finding;
}

static void
test_text_operational (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autofree char *url = url_for (fixture, "operational.json");
  g_autoptr(MendTestRun) run = NULL;

  run = run_status (fixture, url, NULL);
  g_assert_cmpint (run->exit_status, ==, 0);
  g_assert_true (g_str_has_prefix (run->out, "✓ Outlook.com is working normally\n"));
  assert_contains (run->out, "Microsoft’s status at ");
  assert_contains (run->out, "https://status.cloud.microsoft");
  g_assert_cmpstr (run->err, ==, "");
}

static void
test_text_incident (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autofree char *url = url_for (fixture, "incident.json");
  g_autoptr(MendTestRun) run = NULL;

  run = run_status (fixture, url, NULL);

  /* Informative: a problem at Microsoft is no failure of the command. */
  g_assert_cmpint (run->exit_status, ==, 0);
  g_assert_true (g_str_has_prefix (run->out, "! Microsoft reports a problem with Outlook.com\n"));
  assert_contains (run->out, "  Microsoft’s message:\n"
                             "    Users can't sync mail in some apps\n"
                             "    Title: Some users can't sync their mail in third-party apps\n");
  assert_contains (run->out, "    • Mobile apps: unaffected\n");
  g_assert_null (strstr (run->out, "<p>"));
  assert_contains (run->out, "Wait until Microsoft has fixed the problem");
}

static void
test_text_unknown (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autofree char *url = url_for (fixture, "spa-shell.html");
  g_autoptr(MendTestRun) run = NULL;

  run = run_status (fixture, url, NULL);
  g_assert_cmpint (run->exit_status, ==, 0);
  g_assert_true (g_str_has_prefix (run->out, "? Microsoft’s service status is not available\n"));
  assert_contains (run->out, "text/html, not JSON");
  assert_contains (run->out, "open https://status.cloud.microsoft in a web browser");
}

static void
test_json_operational (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autofree char *url = url_for (fixture, "operational.json");
  g_autoptr(MendTestRun) run = NULL;
  g_autoptr(JsonObject) root = NULL;
  JsonObject *finding;
  JsonArray *services;
  JsonObject *outlook;

  run = run_status (fixture, url, "--json", NULL);
  g_assert_cmpint (run->exit_status, ==, 0);
  root = mend_test_parse_json_object (run->out);

  g_assert_cmpstr (json_object_get_string_member (root, "state"), ==, "ok");
  g_assert_cmpstr (json_object_get_string_member (root, "link"), ==, "https://status.cloud.microsoft");
  g_assert_true (g_str_has_suffix (json_object_get_string_member (root, "checked_at"), "Z"));
  services = json_object_get_array_member (root, "services");
  g_assert_cmpuint (json_array_get_length (services), ==, 10);
  outlook = json_array_get_object_element (services, 8);
  g_assert_cmpstr (json_object_get_string_member (outlook, "name"), ==, "Outlook.com");
  g_assert_cmpstr (json_object_get_string_member (outlook, "workload"), ==, "Outlook.com");
  g_assert_cmpstr (json_object_get_string_member (outlook, "status"), ==, "Available");
  g_assert_cmpstr (json_object_get_string_member (outlook, "state"), ==, "ok");
  g_assert_false (json_object_get_boolean_member (outlook, "incident"));
  g_assert_true (json_object_get_null_member (outlook, "title"));
  g_assert_true (json_object_get_null_member (outlook, "message"));

  finding = the_finding (root);
  g_assert_cmpstr (json_object_get_string_member (finding, "id"), ==, "service-operational");
  g_assert_cmpstr (json_object_get_string_member (finding, "severity"), ==, "info");
}

static void
test_json_incident (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autofree char *url = url_for (fixture, "incident.json");
  g_autoptr(MendTestRun) run = NULL;
  g_autoptr(JsonObject) root = NULL;
  JsonObject *outlook;
  JsonObject *finding;

  run = run_status (fixture, url, "--json", NULL);
  g_assert_cmpint (run->exit_status, ==, 0);
  root = mend_test_parse_json_object (run->out);

  g_assert_cmpstr (json_object_get_string_member (root, "state"), ==, "degraded");
  outlook = json_array_get_object_element (json_object_get_array_member (root, "services"), 8);
  g_assert_cmpstr (json_object_get_string_member (outlook, "state"), ==, "degraded");
  g_assert_true (json_object_get_boolean_member (outlook, "incident"));
  g_assert_cmpstr (json_object_get_string_member (outlook, "title"), ==,
                   "Users can't sync mail in some apps");
  assert_contains (json_object_get_string_member (outlook, "message"),
                   "Current status: We’re reviewing service telemetry");

  finding = the_finding (root);
  g_assert_cmpstr (json_object_get_string_member (finding, "id"), ==, "service-degraded");
  g_assert_cmpstr (json_object_get_string_member (finding, "severity"), ==, "warning");
}

static void
test_json_unreachable (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autofree char *url = g_strdup_printf ("http://127.0.0.1:%u/api/posts/m365Consumer",
                                          mend_test_closed_port ());
  g_autofree char *where = g_strdup_printf ("%s: ", url);
  g_autoptr(MendTestRun) run = NULL;
  g_autoptr(JsonObject) root = NULL;
  JsonObject *finding;

  run = run_status (fixture, url, "--json", NULL);
  g_assert_cmpint (run->exit_status, ==, 0);
  root = mend_test_parse_json_object (run->out);

  g_assert_cmpstr (json_object_get_string_member (root, "state"), ==, "unknown");
  g_assert_true (json_object_get_null_member (root, "checked_at"));
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (root, "services")), ==, 0);
  finding = the_finding (root);
  g_assert_cmpstr (json_object_get_string_member (finding, "id"), ==, "service-status-unknown");
  g_assert_cmpstr (json_object_get_string_member (finding, "severity"), ==, "info");
  g_assert_cmpstr (json_object_get_string_member (finding, "link"), ==, "https://status.cloud.microsoft");
  g_assert_true (g_str_has_prefix (json_object_get_string_member (finding, "details"), where));
}

static void
test_runs_share_the_cache (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autofree char *url = url_for (fixture, "incident.json");
  g_autoptr(MendTestRun) first = NULL;
  g_autoptr(MendTestRun) second = NULL;

  first = run_status (fixture, url, NULL);
  second = run_status (fixture, url, NULL);
  g_assert_cmpuint (fixture->hits, ==, 1);
  g_assert_cmpstr (first->out, ==, second->out);
}

static void
test_usage (Fixture       *fixture,
            gconstpointer  data)
{
  g_autofree char *url = url_for (fixture, "operational.json");
  g_autoptr(MendTestRun) extra = NULL;
  g_autoptr(MendTestRun) bogus = NULL;
  g_autoptr(MendTestRun) help = NULL;

  extra = run_status (fixture, url, "outlook", NULL);
  g_assert_cmpint (extra->exit_status, ==, 2);
  g_assert_cmpstr (extra->out, ==, "");

  bogus = run_status (fixture, url, "--bogus", NULL);
  g_assert_cmpint (bogus->exit_status, ==, 2);

  help = run_status (fixture, url, "--help", NULL);
  g_assert_cmpint (help->exit_status, ==, 0);
  assert_contains (help->out, "mailmend status");
  assert_contains (help->out, "--json");

  g_assert_cmpuint (fixture->hits, ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/cli-status/text-operational", Fixture, NULL, fixture_setup, test_text_operational,
              fixture_teardown);
  g_test_add ("/cli-status/text-incident", Fixture, NULL, fixture_setup, test_text_incident,
              fixture_teardown);
  g_test_add ("/cli-status/text-unknown", Fixture, NULL, fixture_setup, test_text_unknown,
              fixture_teardown);
  g_test_add ("/cli-status/json-operational", Fixture, NULL, fixture_setup, test_json_operational,
              fixture_teardown);
  g_test_add ("/cli-status/json-incident", Fixture, NULL, fixture_setup, test_json_incident,
              fixture_teardown);
  g_test_add ("/cli-status/json-unreachable", Fixture, NULL, fixture_setup, test_json_unreachable,
              fixture_teardown);
  g_test_add ("/cli-status/runs-share-the-cache", Fixture, NULL, fixture_setup,
              test_runs_share_the_cache, fixture_teardown);
  g_test_add ("/cli-status/usage", Fixture, NULL, fixture_setup, test_usage, fixture_teardown);

  return g_test_run ();
}
