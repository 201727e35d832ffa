/* test-service-status.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Microsoft's service status: the HTML reducer, the parser on real-format answers
 * (tests/fixtures/status/), and MendServiceStatus against a SoupServer on 127.0.0.1 that serves
 * them, a web app's HTML with status 200, errors, garbage and a server that never answers. Every
 * failure must give the unknown state, never an error; the cache must be used, shared and
 * expire. XDG_CACHE_HOME is a temporary folder, emptied before each test. (Not
 * G_TEST_OPTION_ISOLATE_DIRS: it hides the system's GSettings schemas, which GIO's default
 * proxy resolver reads.)
 */

#include "config.h"

#include <string.h>

#include <glib/gstdio.h>
#include <libsoup/soup.h>

#include "mend-html-text.h"
#include "mend-service-status.h"
#include "mend-service-status-private.h"
#include "mend-test-scan.h"

typedef struct
{
  SoupServer *server;
  char       *base;
  GHashTable *hits;
  GPtrArray  *paused;
} Fixture;

typedef struct
{
  const char *path;
  const char *file;
  const char *content_type;
  guint       status;
} Route;

static const Route routes[] = {
  { "/operational", "operational.json", "application/json; charset=utf-8", 200 },
  { "/incident", "incident.json", "application/json; charset=utf-8", 200 },
  { "/restored", "restored.json", "application/json", 200 },
  { "/unknown-status", "unknown-status.json", "application/json", 200 },
  { "/other-service-degraded", "other-service-degraded.json", "application/json", 200 },
  { "/no-outlook", "no-outlook.json", "application/json", 200 },
  { "/truncated", "truncated.json", "application/json", 200 },
  { "/garbage", "garbage.json", "application/json", 200 },
  { "/empty", "empty.json", "application/json", 200 },
  { "/single-post", "single-post.json", "application/json", 200 },
  { "/shell", "spa-shell.html", "text/html; charset=utf-8", 200 },
  { "/json-as-html", "operational.json", "text/html", 200 },
  { "/untyped", "operational.json", NULL, 200 },
  { "/error", "server-error.json", "application/json; charset=utf-8", 500 },
  { "/bogus-leaf", "server-error.json", "application/json", 400 },
};

static char *
read_fixture (const char *name,
              gsize      *length)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "fixtures", "status", name, NULL);
  g_autoptr(GError) error = NULL;
  char *contents = NULL;

  g_file_get_contents (path, &contents, length, &error);
  g_assert_no_error (error);

  return contents;
}

static void
count_hit (Fixture    *fixture,
           const char *path)
{
  guint hits = GPOINTER_TO_UINT (g_hash_table_lookup (fixture->hits, path));

  g_hash_table_insert (fixture->hits, g_strdup (path), GUINT_TO_POINTER (hits + 1));
}

static guint
get_hits (Fixture    *fixture,
          const char *path)
{
  return GPOINTER_TO_UINT (g_hash_table_lookup (fixture->hits, path));
}

static void
serve_large (SoupServerMessage *msg,
             gboolean           chunked)
{
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);
  SoupMessageBody *body = soup_server_message_get_response_body (msg);

  soup_message_headers_set_content_type (headers, "application/json", NULL);
  if (chunked)
    soup_message_headers_set_encoding (headers, SOUP_ENCODING_CHUNKED);

  /* 2 MiB of a valid JSON array, in 64 KiB pieces. */
  soup_message_body_append (body, SOUP_MEMORY_STATIC, "[", 1);
  for (guint i = 0; i < 32; i++)
    {
      gsize size = 64 * 1024;
      char *chunk = g_malloc (size);

      memset (chunk, ' ', size);
      soup_message_body_append_take (body, (guchar *) chunk, size);
    }
  soup_message_body_append (body, SOUP_MEMORY_STATIC, "]", 1);
  soup_message_body_complete (body);
  soup_server_message_set_status (msg, 200, NULL);
}

static void
handle (SoupServer        *server,
        SoupServerMessage *msg,
        const char        *path,
        GHashTable        *query,
        gpointer           user_data)
{
  Fixture *fixture = user_data;

  count_hit (fixture, path);

  /* Never answers: the client's time limit must end it. */
  if (g_str_equal (path, "/slow"))
    {
      soup_server_message_pause (msg);
      g_ptr_array_add (fixture->paused, g_object_ref (msg));
      return;
    }

  if (g_str_equal (path, "/large") || g_str_equal (path, "/large-chunked"))
    {
      serve_large (msg, g_str_equal (path, "/large-chunked"));
      return;
    }

  for (guint i = 0; i < G_N_ELEMENTS (routes); i++)
    {
      if (g_str_equal (path, routes[i].path))
        {
          gsize length;
          char *contents = read_fixture (routes[i].file, &length);

          soup_server_message_set_status (msg, routes[i].status, NULL);
          soup_message_body_append_take (soup_server_message_get_response_body (msg),
                                         (guchar *) contents, length);
          if (routes[i].content_type != NULL)
            soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                          "Content-Type", routes[i].content_type);
          return;
        }
    }

  soup_server_message_set_status (msg, 404, NULL);
}

static char *
cache_path (void)
{
  return g_build_filename (g_get_user_cache_dir (), "mailmend", "service-status", NULL);
}

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSList) uris = NULL;
  g_autofree char *cache = cache_path ();

  g_remove (cache);

  fixture->hits = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  fixture->paused = g_ptr_array_new_with_free_func (g_object_unref);
  fixture->server = soup_server_new (NULL, NULL);
  soup_server_add_handler (fixture->server, NULL, handle, fixture, NULL);
  soup_server_listen_local (fixture->server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error);
  g_assert_no_error (error);

  uris = soup_server_get_uris (fixture->server);
  g_assert_nonnull (uris);
  fixture->base = g_uri_to_string (uris->data);
  if (g_str_has_suffix (fixture->base, "/"))
    fixture->base[strlen (fixture->base) - 1] = '\0';
  g_slist_free_full (g_steal_pointer (&uris), (GDestroyNotify) g_uri_unref);
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  soup_server_disconnect (fixture->server);
  g_clear_pointer (&fixture->paused, g_ptr_array_unref);
  g_clear_object (&fixture->server);
  g_clear_pointer (&fixture->hits, g_hash_table_unref);
  g_clear_pointer (&fixture->base, g_free);
}

static char *
url_for (Fixture    *fixture,
         const char *path)
{
  return g_strconcat (fixture->base, path, NULL);
}

static void
on_checked (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

static MendStatusReport *
check (MendServiceStatus  *status,
       GCancellable       *cancellable,
       GError            **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  mend_service_status_check_async (status, cancellable, on_checked, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);

  return mend_service_status_check_finish (status, result, error);
}

static MendStatusReport *
check_path (Fixture    *fixture,
            const char *path)
{
  g_autofree char *url = url_for (fixture, path);
  g_autoptr(MendServiceStatus) status = mend_service_status_new_for_url (url);
  g_autoptr(GError) error = NULL;
  MendStatusReport *report;

  report = check (status, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (report);

  return report;
}

static MendFinding *
the_finding (MendStatusReport *report)
{
  GPtrArray *findings = mend_status_report_get_findings (report);

  g_assert_cmpuint (findings->len, ==, 1);

  return g_ptr_array_index (findings, 0);
}

/* --- HTML to text ------------------------------------------------------------------------ */

static void
assert_plain (const char *html,
              gsize       max_length,
              const char *expected)
{
  g_autofree char *text = mend_html_text_to_plain (html, -1, max_length);

  g_assert_cmpstr (text, ==, expected);
}

static void
test_html_text (void)
{
  g_autofree char *invalid = NULL;
  g_autofree char *long_text = NULL;

  assert_plain ("", 0, "");
  assert_plain ("plain words", 0, "plain words");
  assert_plain ("<p>One</p><p>Two</p>", 0, "One\n\nTwo");
  assert_plain ("line<br>next<br/>last", 0, "line\nnext\nlast");
  assert_plain ("<P CLASS=\"x\">Upper   case\n\n tags</P>", 0, "Upper case tags");
  assert_plain ("<ul><li>a</li><li> b </li></ul>after", 0, "• a\n• b\n\nafter");
  assert_plain ("<b>Title:</b> Mail&nbsp;is &amp; was &lt;slow&gt; &#39;here&#x27;", 0,
                "Title: Mail is & was <slow> 'here'");
  assert_plain ("We&rsquo;re &ldquo;on it&rdquo; &hellip;", 0, "We’re “on it” …");
  assert_plain ("a < b and c > d", 0, "a < b and c > d");
  assert_plain ("keep &unknown; and & alone &#;", 0, "keep &unknown; and & alone &#;");
  assert_plain ("bad &#0; &#xD800; &#99999999;", 0, "bad \xef\xbf\xbd \xef\xbf\xbd \xef\xbf\xbd");
  assert_plain ("x<script>alert('<p>no</p>')</script>y<style>p { color: red }</style>z", 0, "xyz");
  assert_plain ("a<!-- <p>hidden</p> -->b", 0, "ab");
  assert_plain ("cut <p unterminated", 0, "cut");
  assert_plain ("<a href=\"https://status.cloud.microsoft\">the status page</a>", 0, "the status page");
  assert_plain ("tab\tand\rcontrol\001chars", 0, "tab and control chars");

  /* The limit holds, on a character boundary, with an ellipsis. */
  assert_plain ("éééééééééé", 12, "éééé…");
  long_text = g_strnfill (10000, 'x');
  {
    g_autofree char *text = mend_html_text_to_plain (long_text, -1, 100);

    g_assert_cmpuint (strlen (text), <=, 100);
    g_assert_true (g_str_has_suffix (text, "…"));
  }

  /* Not UTF-8: still valid text out. */
  invalid = g_strdup ("caf\xe9 <p>\xff\xfe</p>");
  {
    g_autofree char *text = mend_html_text_to_plain (invalid, -1, 0);

    g_assert_true (g_utf8_validate (text, -1, NULL));
    g_assert_true (g_str_has_prefix (text, "caf"));
  }
}

/* --- The parser -------------------------------------------------------------------------- */

static MendStatusReport *
parse (const char  *json,
       GError     **error)
{
  return mend_status_report_parse (json, strlen (json), error);
}

static void
test_parse_fixtures (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MendStatusReport) report = NULL;
  g_autofree char *operational = NULL;
  MendServiceHealth *outlook;
  gsize length;

  operational = read_fixture ("operational.json", &length);
  report = mend_status_report_parse (operational, length, &error);
  g_assert_no_error (error);
  g_assert_cmpint (mend_status_report_get_state (report), ==, MEND_SERVICE_STATE_OK);
  g_assert_cmpuint (mend_status_report_get_services (report)->len, ==, 10);
  outlook = mend_status_report_get_outlook (report);
  g_assert_nonnull (outlook);
  g_assert_cmpstr (outlook->name, ==, "Outlook.com");
  g_assert_cmpstr (outlook->status, ==, "Available");
  g_assert_false (outlook->incident);
  g_assert_null (outlook->title);
  g_assert_null (mend_status_report_get_checked_at (report));
}

static void
test_parse_edge_cases (void)
{
  g_autoptr(MendStatusReport) worst = NULL;
  g_autoptr(MendStatusReport) by_workload = NULL;
  g_autoptr(MendStatusReport) odd_types = NULL;
  g_autoptr(GError) error = NULL;

  /* Two entries for Outlook.com: the one with a problem wins. */
  worst = parse ("[{\"ServiceDisplayName\":\"Outlook.com\",\"Status\":\"Available\"},"
                 " {\"ServiceDisplayName\":\"outlook.com\",\"Status\":\"serviceDegradation\","
                 "  \"Title\":\"Slow\",\"Message\":\"<p>Very slow</p>\"},"
                 " {\"ServiceDisplayName\":\"Outlook.com\",\"Status\":\"Operational\"}]", &error);
  g_assert_no_error (error);
  g_assert_cmpint (mend_status_report_get_state (worst), ==, MEND_SERVICE_STATE_DEGRADED);
  g_assert_cmpstr (mend_status_report_get_outlook (worst)->message, ==, "Very slow");

  /* Found by its workload name when the display name changes. */
  by_workload = parse ("[{\"ServiceDisplayName\":\"Outlook\",\"ServiceWorkloadName\":\"Outlook.com\","
                       "\"Status\":\"ServiceOperational\"}]", &error);
  g_assert_no_error (error);
  g_assert_cmpint (mend_status_report_get_state (by_workload), ==, MEND_SERVICE_STATE_OK);

  /* Members of the wrong type are as good as missing; entries without a name are skipped. */
  odd_types = parse ("[42, null, {\"Status\":\"Available\"},"
                     " {\"ServiceDisplayName\":\"Outlook.com\",\"Status\":7,\"Title\":[]}]", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (mend_status_report_get_services (odd_types)->len, ==, 1);
  g_assert_cmpint (mend_status_report_get_state (odd_types), ==, MEND_SERVICE_STATE_UNKNOWN);
  g_assert_cmpstr (mend_finding_get_id (the_finding (odd_types)), ==, "service-status-unknown");

  g_assert_null (parse ("{}", &error));
  g_assert_error (error, MEND_SERVICE_STATUS_ERROR, MEND_SERVICE_STATUS_ERROR_FORMAT);
  g_clear_error (&error);
  g_assert_null (parse ("[]", &error));
  g_assert_error (error, MEND_SERVICE_STATUS_ERROR, MEND_SERVICE_STATUS_ERROR_FORMAT);
  g_clear_error (&error);
  g_assert_null (parse ("[{\"ServiceDisplayName\":\"OneDrive\",\"Status\":\"Available\"}]", &error));
  g_assert_error (error, MEND_SERVICE_STATUS_ERROR, MEND_SERVICE_STATUS_ERROR_NO_OUTLOOK);
  g_clear_error (&error);
  g_assert_null (mend_status_report_parse ("", 0, &error));
  g_assert_error (error, MEND_SERVICE_STATUS_ERROR, MEND_SERVICE_STATUS_ERROR_FORMAT);
}

/* --- Against a server -------------------------------------------------------------------- */

static void
test_operational (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(MendStatusReport) report = check_path (fixture, "/operational");
  MendFinding *finding = the_finding (report);

  g_assert_cmpint (mend_status_report_get_state (report), ==, MEND_SERVICE_STATE_OK);
  g_assert_cmpuint (mend_status_report_get_services (report)->len, ==, 10);
  g_assert_nonnull (mend_status_report_get_checked_at (report));
  g_assert_cmpstr (mend_finding_get_id (finding), ==, "service-operational");
  g_assert_cmpint (mend_finding_get_severity (finding), ==, MEND_SEVERITY_INFO);
  g_assert_cmpstr (mend_finding_get_title (finding), ==, "Outlook.com is working normally");
  g_assert_cmpstr (mend_finding_get_link (finding), ==, "https://status.cloud.microsoft");
  g_assert_cmpuint (get_hits (fixture, "/operational"), ==, 1);
}

static void
test_incident (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(MendStatusReport) report = check_path (fixture, "/incident");
  MendServiceHealth *outlook = mend_status_report_get_outlook (report);
  MendFinding *finding = the_finding (report);

  g_assert_cmpint (mend_status_report_get_state (report), ==, MEND_SERVICE_STATE_DEGRADED);
  g_assert_true (outlook->incident);
  g_assert_cmpstr (outlook->status, ==, "ServiceDegradation");
  g_assert_cmpstr (outlook->title, ==, "Users can't sync mail in some apps");
  g_assert_cmpstr (outlook->message, ==,
                   "Title: Some users can't sync their mail in third-party apps\n"
                   "\n"
                   "User impact: Users may be unable to send or receive mail in apps that use "
                   "IMAP, POP or SMTP. Outlook on the web is unaffected.\n"
                   "\n"
                   "Current status: We’re reviewing service telemetry to find the cause & a fix.\n"
                   "\n"
                   "• Mobile apps: unaffected\n"
                   "• Desktop apps: affected\n"
                   "\n"
                   "Next update by: Thursday, September 18, 2026, 1:00 PM UTC");

  g_assert_cmpstr (mend_finding_get_id (finding), ==, "service-degraded");
  g_assert_cmpint (mend_finding_get_severity (finding), ==, MEND_SEVERITY_WARNING);
  g_assert_nonnull (strstr (mend_finding_get_details (finding), "Users can't sync mail in some apps"));
  g_assert_null (strstr (mend_finding_get_details (finding), "<"));
  g_assert_cmpstr (mend_finding_get_link (finding), ==, "https://status.cloud.microsoft");
}

static void
test_restored (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(MendStatusReport) report = check_path (fixture, "/restored");
  MendServiceHealth *outlook = mend_status_report_get_outlook (report);

  g_assert_cmpint (mend_status_report_get_state (report), ==, MEND_SERVICE_STATE_OK);
  g_assert_true (outlook->incident);
  g_assert_cmpstr (outlook->message, ==, "We've confirmed that mail sync is working again for all users.");
  g_assert_cmpstr (mend_finding_get_id (the_finding (report)), ==, "service-operational");
  g_assert_cmpstr (mend_finding_get_title (the_finding (report)), ==, "Outlook.com is working again");
}

static void
test_unknown_word (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(MendStatusReport) report = check_path (fixture, "/unknown-status");
  MendFinding *finding = the_finding (report);

  /* A word Mailmend does not know is not green. */
  g_assert_cmpint (mend_status_report_get_state (report), ==, MEND_SERVICE_STATE_UNKNOWN);
  g_assert_cmpstr (mend_finding_get_id (finding), ==, "service-status-unknown");
  g_assert_nonnull (strstr (mend_finding_get_details (finding), "PlannedMaintenance"));
}

static void
test_other_service_degraded (Fixture       *fixture,
                             gconstpointer  data)
{
  g_autoptr(MendStatusReport) report = check_path (fixture, "/other-service-degraded");
  MendServiceHealth *teams = g_ptr_array_index (mend_status_report_get_services (report), 3);

  /* Only Outlook.com carries mail. */
  g_assert_cmpint (mend_status_report_get_state (report), ==, MEND_SERVICE_STATE_OK);
  g_assert_cmpstr (teams->name, ==, "Teams Free");
  g_assert_cmpint (teams->state, ==, MEND_SERVICE_STATE_DEGRADED);
  g_assert_cmpstr (teams->title, ==, "Teams Free calls may drop");
}

typedef struct
{
  const char *path;
  const char *details;
} FailOpen;

static void
test_fails_open (Fixture       *fixture,
                 gconstpointer  data)
{
  static const FailOpen cases[] = {
    { "/shell", "text/html" },
    { "/json-as-html", "text/html" },
    { "/untyped", "not JSON" },
    { "/garbage", "not valid JSON" },
    { "/empty", "empty" },
    { "/truncated", "not valid JSON" },
    { "/single-post", "not a list" },
    { "/no-outlook", "Outlook.com" },
    { "/error", "500" },
    { "/bogus-leaf", "400" },
    { "/missing", "404" },
    { "/large", "KiB" },
    { "/large-chunked", "KiB" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(MendStatusReport) report = check_path (fixture, cases[i].path);
      MendFinding *finding = the_finding (report);
      g_autofree char *url = url_for (fixture, cases[i].path);

      g_test_message ("%s: %s", cases[i].path, mend_finding_get_details (finding));
      g_assert_cmpint (mend_status_report_get_state (report), ==, MEND_SERVICE_STATE_UNKNOWN);
      g_assert_null (mend_status_report_get_outlook (report));
      g_assert_cmpuint (mend_status_report_get_services (report)->len, ==, 0);
      g_assert_null (mend_status_report_get_checked_at (report));
      g_assert_cmpstr (mend_finding_get_id (finding), ==, "service-status-unknown");
      g_assert_cmpint (mend_finding_get_severity (finding), ==, MEND_SEVERITY_INFO);
      g_assert_cmpstr (mend_finding_get_link (finding), ==, "https://status.cloud.microsoft");
      g_assert_true (g_str_has_prefix (mend_finding_get_details (finding), url));
      g_assert_nonnull (strstr (mend_finding_get_details (finding), cases[i].details));
    }
}

static void
test_unreachable (void)
{
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) any = g_inet_socket_address_new (loopback, 0);
  g_autoptr(MendServiceStatus) status = NULL;
  g_autoptr(MendStatusReport) report = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;

  /* A port that was free a moment ago, and is closed now. */
  socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, &error);
  g_assert_no_error (error);
  g_socket_bind (socket, any, TRUE, &error);
  g_assert_no_error (error);
  bound = g_socket_get_local_address (socket, &error);
  g_assert_no_error (error);
  url = g_strdup_printf ("http://127.0.0.1:%u/api/posts/m365Consumer",
                         g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound)));
  g_socket_close (socket, NULL);

  status = mend_service_status_new_for_url (url);
  report = check (status, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (mend_status_report_get_state (report), ==, MEND_SERVICE_STATE_UNKNOWN);
  g_assert_cmpstr (mend_finding_get_id (the_finding (report)), ==, "service-status-unknown");

  /* Not even a web address: still no error. */
  g_clear_object (&status);
  g_clear_object (&report);
  status = mend_service_status_new_for_url ("not a url");
  report = check (status, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (mend_status_report_get_state (report), ==, MEND_SERVICE_STATE_UNKNOWN);
}

static void
test_timeout (Fixture       *fixture,
              gconstpointer  data)
{
  g_autofree char *url = url_for (fixture, "/slow");
  g_autoptr(MendServiceStatus) status = mend_service_status_new_for_url (url);
  g_autoptr(MendStatusReport) report = NULL;
  g_autoptr(GError) error = NULL;
  gint64 start = g_get_monotonic_time ();

  _mend_service_status_set_timeout (status, 300);
  report = check (status, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (g_get_monotonic_time () - start, <, 2 * G_USEC_PER_SEC);
  g_assert_cmpuint (get_hits (fixture, "/slow"), ==, 1);
  g_assert_cmpint (mend_status_report_get_state (report), ==, MEND_SERVICE_STATE_UNKNOWN);
  g_assert_nonnull (strstr (mend_finding_get_details (the_finding (report)), "No answer within"));
}

static gboolean
cancel_later (gpointer data)
{
  g_cancellable_cancel (data);

  return G_SOURCE_REMOVE;
}

static void
test_cancel (Fixture       *fixture,
             gconstpointer  data)
{
  g_autofree char *url = url_for (fixture, "/slow");
  g_autoptr(MendServiceStatus) status = mend_service_status_new_for_url (url);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(MendStatusReport) report = NULL;
  g_autoptr(GError) error = NULL;

  g_timeout_add (100, cancel_later, cancellable);
  report = check (status, cancellable, &error);
  g_assert_null (report);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);

  /* Cancelled before it starts. */
  g_clear_error (&error);
  report = check (status, cancellable, &error);
  g_assert_null (report);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

static void
test_cache (Fixture       *fixture,
            gconstpointer  data)
{
  g_autofree char *url = url_for (fixture, "/operational");
  g_autoptr(MendServiceStatus) first = mend_service_status_new_for_url (url);
  g_autoptr(MendServiceStatus) second = mend_service_status_new_for_url (url);
  g_autoptr(MendStatusReport) report = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = cache_path ();
  GStatBuf st;

  report = check (first, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (get_hits (fixture, "/operational"), ==, 1);

  /* In memory. */
  g_clear_object (&report);
  report = check (first, NULL, &error);
  g_assert_cmpint (mend_status_report_get_state (report), ==, MEND_SERVICE_STATE_OK);
  g_assert_cmpuint (get_hits (fixture, "/operational"), ==, 1);

  /* On disk, private, for the next process. */
  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
  g_clear_object (&report);
  report = check (second, NULL, &error);
  g_assert_cmpint (mend_status_report_get_state (report), ==, MEND_SERVICE_STATE_OK);
  g_assert_nonnull (mend_status_report_get_checked_at (report));
  g_assert_cmpuint (get_hits (fixture, "/operational"), ==, 1);
}

static void
test_cache_expires (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autofree char *url = url_for (fixture, "/operational");
  g_autoptr(MendServiceStatus) status = mend_service_status_new_for_url (url);
  g_autoptr(MendServiceStatus) other = mend_service_status_new_for_url (url);
  g_autoptr(MendStatusReport) report = NULL;
  g_autoptr(GError) error = NULL;

  _mend_service_status_set_max_age (status, 1);
  _mend_service_status_set_max_age (other, 1);

  report = check (status, NULL, &error);
  g_assert_cmpuint (get_hits (fixture, "/operational"), ==, 1);
  g_clear_object (&report);

  g_usleep (1100 * 1000);

  /* Neither the memory nor the disk serves an answer older than the limit. */
  report = check (status, NULL, &error);
  g_assert_cmpuint (get_hits (fixture, "/operational"), ==, 2);
  g_clear_object (&report);

  g_usleep (1100 * 1000);
  report = check (other, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (get_hits (fixture, "/operational"), ==, 3);
}

static void
test_cache_per_address (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(MendStatusReport) operational = check_path (fixture, "/operational");
  g_autoptr(MendStatusReport) incident = check_path (fixture, "/incident");

  /* The cache of one address never answers for another. */
  g_assert_cmpint (mend_status_report_get_state (operational), ==, MEND_SERVICE_STATE_OK);
  g_assert_cmpint (mend_status_report_get_state (incident), ==, MEND_SERVICE_STATE_DEGRADED);
  g_assert_cmpuint (get_hits (fixture, "/incident"), ==, 1);
}

static void
test_failures_not_cached (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autofree char *url = url_for (fixture, "/error");
  g_autoptr(MendServiceStatus) status = mend_service_status_new_for_url (url);
  g_autoptr(MendStatusReport) first = NULL;
  g_autoptr(MendStatusReport) second = NULL;
  g_autofree char *path = cache_path ();

  first = check (status, NULL, NULL);
  second = check (status, NULL, NULL);
  g_assert_cmpint (mend_status_report_get_state (second), ==, MEND_SERVICE_STATE_UNKNOWN);
  g_assert_cmpuint (get_hits (fixture, "/error"), ==, 2);
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
}

static void
test_bad_cache (Fixture       *fixture,
                gconstpointer  data)
{
  g_autofree char *url = url_for (fixture, "/operational");
  g_autofree char *path = cache_path ();
  g_autofree char *folder = g_path_get_dirname (path);
  g_autofree char *future = NULL;
  g_autofree char *operational = NULL;
  g_autoptr(MendStatusReport) first = NULL;
  g_autoptr(MendStatusReport) second = NULL;
  g_autoptr(GError) error = NULL;
  gsize length;

  g_assert_cmpint (g_mkdir_with_parents (folder, 0700), ==, 0);
  operational = read_fixture ("operational.json", &length);

  /* Damaged: not believed, and replaced. */
  g_file_set_contents (path, "\xff\xfe garbage", -1, &error);
  g_assert_no_error (error);
  first = check_path (fixture, "/operational");
  g_assert_cmpint (mend_status_report_get_state (first), ==, MEND_SERVICE_STATE_OK);
  g_assert_cmpuint (get_hits (fixture, "/operational"), ==, 1);

  /* From the future: the clock moved, so its age is unknown. */
  future = g_strdup_printf ("Mailmend service status 1\n%" G_GINT64_FORMAT "\n%s\n%s",
                            g_get_real_time () + (gint64) 3600 * G_USEC_PER_SEC, url, operational);
  g_file_set_contents (path, future, -1, &error);
  g_assert_no_error (error);
  second = check_path (fixture, "/operational");
  g_assert_cmpint (mend_status_report_get_state (second), ==, MEND_SERVICE_STATE_OK);
  g_assert_cmpuint (get_hits (fixture, "/operational"), ==, 2);
}

static void
test_environment (void)
{
  g_autoptr(MendServiceStatus) status = NULL;
  g_autoptr(MendServiceStatus) fallback = NULL;

  g_setenv ("MAILMEND_STATUS_URL", "http://127.0.0.1:9/status", TRUE);
  status = mend_service_status_new ();
  g_assert_cmpstr (mend_service_status_get_url (status), ==, "http://127.0.0.1:9/status");

  g_unsetenv ("MAILMEND_STATUS_URL");
  fallback = mend_service_status_new ();
  g_assert_cmpstr (mend_service_status_get_url (fallback), ==,
                   "https://status.cloud.microsoft/api/posts/m365Consumer");
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *cache_home = NULL;
  g_autoptr(GError) error = NULL;
  int status;

  g_test_init (&argc, &argv, NULL);
  g_unsetenv ("MAILMEND_STATUS_URL");

  /* Before anything reads it. */
  cache_home = g_dir_make_tmp ("mailmend-status-cache-XXXXXX", &error);
  g_assert_no_error (error);
  g_setenv ("XDG_CACHE_HOME", cache_home, TRUE);

  g_test_add_func ("/html-text/to-plain", test_html_text);
  g_test_add_func ("/status-report/fixtures", test_parse_fixtures);
  g_test_add_func ("/status-report/edge-cases", test_parse_edge_cases);
  g_test_add ("/service-status/operational", Fixture, NULL, fixture_setup, test_operational,
              fixture_teardown);
  g_test_add ("/service-status/incident", Fixture, NULL, fixture_setup, test_incident,
              fixture_teardown);
  g_test_add ("/service-status/restored", Fixture, NULL, fixture_setup, test_restored,
              fixture_teardown);
  g_test_add ("/service-status/unknown-word", Fixture, NULL, fixture_setup, test_unknown_word,
              fixture_teardown);
  g_test_add ("/service-status/other-service-degraded", Fixture, NULL, fixture_setup,
              test_other_service_degraded, fixture_teardown);
  g_test_add ("/service-status/fails-open", Fixture, NULL, fixture_setup, test_fails_open,
              fixture_teardown);
  g_test_add_func ("/service-status/unreachable", test_unreachable);
  g_test_add ("/service-status/timeout", Fixture, NULL, fixture_setup, test_timeout,
              fixture_teardown);
  g_test_add ("/service-status/cancel", Fixture, NULL, fixture_setup, test_cancel,
              fixture_teardown);
  g_test_add ("/service-status/cache", Fixture, NULL, fixture_setup, test_cache,
              fixture_teardown);
  g_test_add ("/service-status/cache-expires", Fixture, NULL, fixture_setup, test_cache_expires,
              fixture_teardown);
  g_test_add ("/service-status/cache-per-address", Fixture, NULL, fixture_setup,
              test_cache_per_address, fixture_teardown);
  g_test_add ("/service-status/failures-not-cached", Fixture, NULL, fixture_setup,
              test_failures_not_cached, fixture_teardown);
  g_test_add ("/service-status/bad-cache", Fixture, NULL, fixture_setup, test_bad_cache,
              fixture_teardown);
  g_test_add_func ("/service-status/environment", test_environment);

  status = g_test_run ();
  mend_test_remove_tree (cache_home);

  return status;
}
