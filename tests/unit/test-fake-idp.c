/* test-fake-idp.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Tests the fake Microsoft identity provider (tests/harness/mend-fake-idp) that the sign-in
 * tests and the demo rely on: each test starts its own copy on a free port, talks to it with
 * libsoup, stops it with SIGTERM and checks that nothing secret reached its log.
 */

#include "config.h"

#include <signal.h>
#include <string.h>
#include <sys/prctl.h>

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#define CLIENT_ID       "00000000-0000-4000-8000-000000000001"
#define CONSUMER_TID    "9188040d-6c67-4c5b-b112-36a304b66dad"
#define NATIVECLIENT    "https://login.microsoftonline.com/common/oauth2/nativeclient"
#define SCOPES          "https://outlook.office.com/IMAP.AccessAsUser.All " \
                        "https://outlook.office.com/SMTP.Send offline_access openid profile email"
#define GRANTED         "https://outlook.office.com/IMAP.AccessAsUser.All " \
                        "https://outlook.office.com/SMTP.Send"
#define DEVICE_GRANT    "urn:ietf:params:oauth:grant-type:device_code"
#define PASSWORD        "correct horse battery staple"
/* RFC 7636 appendix B. */
#define RFC_VERIFIER    "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"
#define RFC_CHALLENGE   "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
#define OTHER_VERIFIER  "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJ"
#define EXPIRES_IN      120

typedef struct
{
  GSubprocess *process;
  char        *tmpdir;
  char        *stderr_path;
  char        *base;
  SoupSession *session;
  GPtrArray   *secrets;  /* must never appear in the fake's stderr */
} Fixture;

typedef struct
{
  guint   status;
  char   *body;
  char   *location;
  char   *content_type;
  gint64  elapsed_us;
} Response;

static void
response_free (Response *response)
{
  g_free (response->body);
  g_free (response->location);
  g_free (response->content_type);
  g_free (response);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Response, response_free)

/* The fake must not outlive a test that aborts. */
static void
die_with_parent (gpointer data)
{
  prctl (PR_SET_PDEATHSIG, SIGTERM);
}

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  const char * const *extra = data;
  const char *program = g_getenv ("MAILMEND_FAKE_IDP");
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GDataInputStream) out = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *line = NULL;

  g_assert_nonnull (program);

  fixture->tmpdir = g_dir_make_tmp ("mailmend-test-fake-idp-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->stderr_path = g_build_filename (fixture->tmpdir, "stderr.log", NULL);
  fixture->secrets = g_ptr_array_new_with_free_func (g_free);
  g_ptr_array_add (fixture->secrets, g_strdup (PASSWORD));
  g_ptr_array_add (fixture->secrets, g_strdup (RFC_VERIFIER));
  g_ptr_array_add (fixture->secrets, g_strdup (OTHER_VERIFIER));

  g_ptr_array_add (argv, (gpointer) program);
  g_ptr_array_add (argv, (gpointer) "--port=0");
  g_ptr_array_add (argv, (gpointer) "--interval=1");
  g_ptr_array_add (argv, (gpointer) "--expires-in=" G_STRINGIFY (EXPIRES_IN));
  for (guint i = 0; extra && extra[i]; i++)
    g_ptr_array_add (argv, (gpointer) extra[i]);
  g_ptr_array_add (argv, NULL);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_subprocess_launcher_set_stderr_file_path (launcher, fixture->stderr_path);
  g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);
  fixture->process = g_subprocess_launcher_spawnv (launcher,
                                                   (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);

  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (fixture->process));
  g_filter_input_stream_set_close_base_stream (G_FILTER_INPUT_STREAM (out), FALSE);
  line = g_data_input_stream_read_line_utf8 (out, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (line);
  g_assert_true (g_str_has_prefix (line, "listening on http://127.0.0.1:"));
  fixture->base = g_strdup (line + strlen ("listening on "));

  fixture->session = soup_session_new ();
  soup_session_set_proxy_resolver (fixture->session, NULL);
  soup_session_set_timeout (fixture->session, 20);
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *log = NULL;

  g_clear_object (&fixture->session);

  /* A clean stop on SIGTERM. */
  g_subprocess_send_signal (fixture->process, SIGTERM);
  g_subprocess_wait (fixture->process, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (fixture->process));
  g_assert_cmpint (g_subprocess_get_exit_status (fixture->process), ==, 0);

  /* One line per request, and never a secret. */
  g_file_get_contents (fixture->stderr_path, &log, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (strstr (log, "mend-fake-idp: stopping\n"));
  for (guint i = 0; i < fixture->secrets->len; i++)
    {
      const char *secret = g_ptr_array_index (fixture->secrets, i);

      if (strstr (log, secret) != NULL)
        g_error ("A secret (%zu characters) is in the fake's log:\n%s", strlen (secret), log);
    }

  g_unlink (fixture->stderr_path);
  g_rmdir (fixture->tmpdir);
  g_clear_object (&fixture->process);
  g_clear_pointer (&fixture->secrets, g_ptr_array_unref);
  g_free (fixture->stderr_path);
  g_free (fixture->tmpdir);
  g_free (fixture->base);
}

static void
add_secret (Fixture    *fixture,
            const char *secret)
{
  g_assert_nonnull (secret);
  g_assert_cmpuint (strlen (secret), >=, 16);
  g_ptr_array_add (fixture->secrets, g_strdup (secret));
}

/* ---------------------------------------------------------------------------------------------
 * HTTP
 * ------------------------------------------------------------------------------------------- */

static Response *
send_message (Fixture     *fixture,
              SoupMessage *msg)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;
  Response *response = g_new0 (Response, 1);
  SoupMessageHeaders *headers;
  gint64 start = g_get_monotonic_time ();
  const char *data;
  gsize size;

  soup_message_add_flags (msg, SOUP_MESSAGE_NO_REDIRECT);
  bytes = soup_session_send_and_read (fixture->session, msg, NULL, &error);
  g_assert_no_error (error);

  response->elapsed_us = g_get_monotonic_time () - start;
  response->status = soup_message_get_status (msg);
  data = g_bytes_get_data (bytes, &size);
  response->body = g_strndup (data, size);
  headers = soup_message_get_response_headers (msg);
  response->location = g_strdup (soup_message_headers_get_one (headers, "Location"));
  response->content_type = g_strdup (soup_message_headers_get_content_type (headers, NULL));

  return response;
}

static Response *
http_get (Fixture    *fixture,
          const char *path)
{
  g_autofree char *uri = g_strconcat (fixture->base, path, NULL);
  g_autoptr(SoupMessage) msg = soup_message_new ("GET", uri);

  return send_message (fixture, msg);
}

static Response *
http_post (Fixture    *fixture,
           const char *path,
           const char *content_type,
           const char *body)
{
  g_autofree char *uri = g_strconcat (fixture->base, path, NULL);
  g_autoptr(SoupMessage) msg = soup_message_new ("POST", uri);
  g_autoptr(GBytes) bytes = g_bytes_new (body, strlen (body));

  soup_message_set_request_body_from_bytes (msg, content_type, bytes);

  return send_message (fixture, msg);
}

static Response *
post_hash (Fixture    *fixture,
           const char *path,
           GHashTable *fields)
{
  g_autofree char *form = soup_form_encode_hash (fields);

  return http_post (fixture, path, "application/x-www-form-urlencoded", form);
}

/* Fields as name, value, …, NULL. */
static Response *
post_form (Fixture    *fixture,
           const char *path,
           const char *first_field,
           ...) G_GNUC_NULL_TERMINATED;

static Response *
post_form (Fixture    *fixture,
           const char *path,
           const char *first_field,
           ...)
{
  g_autofree char *form = NULL;
  va_list args;

  va_start (args, first_field);
  form = soup_form_encode_valist (first_field, args);
  va_end (args);

  return http_post (fixture, path, "application/x-www-form-urlencoded", form);
}

static JsonObject *
response_json (Response *response)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  g_assert_cmpstr (response->content_type, ==, "application/json");
  json_parser_load_from_data (parser, response->body, -1, &error);
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)));

  return json_object_ref (json_node_get_object (json_parser_get_root (parser)));
}

static gboolean
is_guid (const char *text)
{
  g_autoptr(GRegex) regex = g_regex_new ("^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}"
                                         "-[0-9a-f]{12}$", 0, 0, NULL);

  return text != NULL && g_regex_match (regex, text, 0, NULL);
}

/* Microsoft's JSON error shape (reference-error-codes.md). */
static void
assert_oauth_error (Response   *response,
                    guint       status,
                    const char *error,
                    guint       aadsts)
{
  g_autoptr(JsonObject) object = NULL;
  g_autofree char *prefix = g_strdup_printf ("AADSTS%u: ", aadsts);
  g_autofree char *uri = g_strdup_printf ("https://login.microsoftonline.com/error?code=%u",
                                          aadsts);
  const char *description;
  JsonArray *codes;

  g_assert_cmpuint (response->status, ==, status);
  object = response_json (response);
  g_assert_cmpstr (json_object_get_string_member (object, "error"), ==, error);

  description = json_object_get_string_member (object, "error_description");
  g_assert_true (g_str_has_prefix (description, prefix));
  g_assert_nonnull (strstr (description, "\r\nTrace ID: "));
  g_assert_nonnull (strstr (description, "\r\nCorrelation ID: "));
  g_assert_nonnull (strstr (description, "\r\nTimestamp: "));

  codes = json_object_get_array_member (object, "error_codes");
  g_assert_cmpuint (json_array_get_length (codes), ==, 1);
  g_assert_cmpint (json_array_get_int_element (codes, 0), ==, aadsts);

  g_assert_true (is_guid (json_object_get_string_member (object, "trace_id")));
  g_assert_true (is_guid (json_object_get_string_member (object, "correlation_id")));
  g_assert_true (g_regex_match_simple ("^\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\dZ$",
                                       json_object_get_string_member (object, "timestamp"),
                                       0, 0));
  g_assert_cmpstr (json_object_get_string_member (object, "error_uri"), ==, uri);
}

/* The query (or fragment) of a redirect. */
static GHashTable *
location_params (Response   *response,
                 const char *expected_start)
{
  g_assert_cmpuint (response->status, ==, 302);
  g_assert_nonnull (response->location);
  g_assert_true (g_str_has_prefix (response->location, expected_start));

  return soup_form_decode (response->location + strlen (expected_start));
}

/* ---------------------------------------------------------------------------------------------
 * Flows
 * ------------------------------------------------------------------------------------------- */

static char *
challenge_for (const char *verifier)
{
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
  g_autofree char *base64 = NULL;
  guint8 digest[32];
  gsize length = sizeof digest;

  g_checksum_update (checksum, (const guchar *) verifier, -1);
  g_checksum_get_digest (checksum, digest, &length);
  base64 = g_base64_encode (digest, length);
  g_strdelimit (base64, "+", '-');
  g_strdelimit (base64, "/", '_');
  *strchr (base64, '=') = '\0';

  return g_steal_pointer (&base64);
}

/* What Mailmend sends to /authorize. */
static GHashTable *
authorize_params (const char *login,
                  const char *verifier)
{
  GHashTable *params = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);

  g_hash_table_insert (params, (gpointer) "client_id", g_strdup (CLIENT_ID));
  g_hash_table_insert (params, (gpointer) "response_type", g_strdup ("code"));
  g_hash_table_insert (params, (gpointer) "redirect_uri", g_strdup (NATIVECLIENT));
  g_hash_table_insert (params, (gpointer) "response_mode", g_strdup ("query"));
  g_hash_table_insert (params, (gpointer) "scope", g_strdup (SCOPES));
  g_hash_table_insert (params, (gpointer) "state", g_strdup ("state-0123456789"));
  g_hash_table_insert (params, (gpointer) "code_challenge", challenge_for (verifier));
  g_hash_table_insert (params, (gpointer) "code_challenge_method", g_strdup ("S256"));
  g_hash_table_insert (params, (gpointer) "prompt", g_strdup ("select_account"));
  if (login != NULL)
    g_hash_table_insert (params, (gpointer) "login_hint", g_strdup (login));

  return params;
}

static Response *
get_authorize (Fixture    *fixture,
               const char *tenant,
               GHashTable *params)
{
  g_autofree char *query = soup_form_encode_hash (params);
  g_autofree char *path = g_strdup_printf ("/%s/oauth2/v2.0/authorize?%s", tenant, query);

  return http_get (fixture, path);
}

/* What the sign-in form posts. */
static Response *
submit_signin (Fixture    *fixture,
               const char *tenant,
               GHashTable *params,
               const char *login,
               const char *password,
               const char *action)
{
  g_autoptr(GHashTable) form = g_hash_table_new (g_str_hash, g_str_equal);
  g_autofree char *path = g_strdup_printf ("/%s/oauth2/v2.0/authorize/submit", tenant);
  GHashTableIter iter;
  gpointer key, value;

  g_hash_table_iter_init (&iter, params);
  while (g_hash_table_iter_next (&iter, &key, &value))
    g_hash_table_insert (form, key, value);
  g_hash_table_remove (form, "login_hint");
  if (login != NULL)
    g_hash_table_insert (form, (gpointer) "login", (gpointer) login);
  if (password != NULL)
    g_hash_table_insert (form, (gpointer) "password", (gpointer) password);
  if (action != NULL)
    g_hash_table_insert (form, (gpointer) "action", (gpointer) action);

  return post_hash (fixture, path, form);
}

static char *
obtain_code_full (Fixture    *fixture,
                  const char *tenant,
                  const char *login,
                  const char *verifier,
                  const char *redirect_uri)
{
  g_autoptr(GHashTable) params = authorize_params (login, verifier);
  g_autoptr(GHashTable) result = NULL;
  g_autoptr(Response) response = NULL;
  g_autofree char *start = g_strconcat (redirect_uri, "?", NULL);

  g_hash_table_insert (params, (gpointer) "redirect_uri", g_strdup (redirect_uri));
  response = submit_signin (fixture, tenant, params, login, PASSWORD, "accept");
  result = location_params (response, start);
  g_assert_cmpstr (g_hash_table_lookup (result, "state"), ==, "state-0123456789");
  add_secret (fixture, g_hash_table_lookup (result, "code"));

  return g_strdup (g_hash_table_lookup (result, "code"));
}

static char *
obtain_code (Fixture    *fixture,
             const char *login,
             const char *verifier)
{
  return obtain_code_full (fixture, "common", login, verifier, NATIVECLIENT);
}

static Response *
redeem_full (Fixture    *fixture,
             const char *tenant,
             const char *code,
             const char *verifier,
             const char *redirect_uri)
{
  g_autofree char *path = g_strdup_printf ("/%s/oauth2/v2.0/token", tenant);

  return post_form (fixture, path,
                    "client_id", CLIENT_ID,
                    "grant_type", "authorization_code",
                    "code", code,
                    "redirect_uri", redirect_uri,
                    "code_verifier", verifier,
                    NULL);
}

static Response *
redeem (Fixture    *fixture,
        const char *code,
        const char *verifier)
{
  return redeem_full (fixture, "common", code, verifier, NATIVECLIENT);
}

static Response *
refresh (Fixture    *fixture,
         const char *refresh_token)
{
  return post_form (fixture, "/common/oauth2/v2.0/token",
                    "client_id", CLIENT_ID,
                    "grant_type", "refresh_token",
                    "refresh_token", refresh_token,
                    "scope", SCOPES,
                    NULL);
}

static JsonObject *
decode_jwt_payload (const char *jwt)
{
  g_auto(GStrv) parts = g_strsplit (jwt, ".", -1);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) base64 = NULL;
  g_autofree guchar *decoded = NULL;
  gsize length;

  g_assert_cmpuint (g_strv_length (parts), ==, 3);
  for (guint i = 0; i < 3; i++)
    {
      g_assert_cmpstr (parts[i], !=, "");
      g_assert_true (g_regex_match_simple ("^[A-Za-z0-9_-]+$", parts[i], 0, 0));
    }

  base64 = g_string_new (parts[1]);
  g_strdelimit (base64->str, "-", '+');
  g_strdelimit (base64->str, "_", '/');
  while (base64->len % 4 != 0)
    g_string_append_c (base64, '=');
  decoded = g_base64_decode (base64->str, &length);

  json_parser_load_from_data (parser, (const char *) decoded, length, &error);
  g_assert_no_error (error);

  return json_object_ref (json_node_get_object (json_parser_get_root (parser)));
}

/* Checks a token response; returns the refresh token. */
static char *
assert_tokens (Fixture    *fixture,
               Response   *response,
               const char *login,
               const char *tid)
{
  g_autoptr(JsonObject) object = NULL;
  g_autoptr(JsonObject) claims = NULL;
  g_autofree char *iss = NULL;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;

  g_assert_cmpuint (response->status, ==, 200);
  object = response_json (response);
  g_assert_cmpstr (json_object_get_string_member (object, "token_type"), ==, "Bearer");
  g_assert_cmpstr (json_object_get_string_member (object, "scope"), ==, GRANTED);
  g_assert_cmpint (json_object_get_int_member (object, "expires_in"), ==, EXPIRES_IN);
  g_assert_cmpint (json_object_get_int_member (object, "ext_expires_in"), ==, EXPIRES_IN);

  add_secret (fixture, json_object_get_string_member (object, "access_token"));
  add_secret (fixture, json_object_get_string_member (object, "refresh_token"));
  /* Opaque, like a consumer access token: not a JWT. */
  g_assert_null (strchr (json_object_get_string_member (object, "access_token"), '.'));

  claims = decode_jwt_payload (json_object_get_string_member (object, "id_token"));
  g_assert_cmpstr (json_object_get_string_member (claims, "preferred_username"), ==, login);
  g_assert_cmpstr (json_object_get_string_member (claims, "email"), ==, login);
  g_assert_cmpstr (json_object_get_string_member (claims, "tid"), ==, tid);
  g_assert_cmpstr (json_object_get_string_member (claims, "aud"), ==, CLIENT_ID);
  g_assert_true (is_guid (json_object_get_string_member (claims, "oid")));
  iss = g_strdup_printf ("%s/%s/v2.0", fixture->base, tid);
  g_assert_cmpstr (json_object_get_string_member (claims, "iss"), ==, iss);
  g_assert_cmpint (json_object_get_int_member (claims, "iat"), <=, now + 1);
  g_assert_cmpint (json_object_get_int_member (claims, "exp"), >, now);

  return g_strdup (json_object_get_string_member (object, "refresh_token"));
}

static JsonObject *
get_state (Fixture *fixture)
{
  g_autoptr(Response) response = http_get (fixture, "/_test/state");

  g_assert_cmpuint (response->status, ==, 200);

  return response_json (response);
}

static gint64
state_count (JsonObject *state,
             const char *group,
             const char *name)
{
  return json_object_get_int_member (json_object_get_object_member (state, group), name);
}

/* POSTs to /_test/NAME with the fields name, value, …, NULL. */
static void
control (Fixture    *fixture,
         const char *name,
         ...) G_GNUC_NULL_TERMINATED;

static void
control (Fixture    *fixture,
         const char *name,
         ...)
{
  g_autofree char *path = g_strconcat ("/_test/", name, NULL);
  g_autofree char *form = NULL;
  g_autoptr(Response) response = NULL;
  const char *first_field;
  va_list args;

  va_start (args, name);
  first_field = va_arg (args, const char *);
  form = first_field ? soup_form_encode_valist (first_field, args) : g_strdup ("");
  va_end (args);

  response = http_post (fixture, path, "application/x-www-form-urlencoded", form);
  g_assert_cmpuint (response->status, ==, 200);
}

/* ---------------------------------------------------------------------------------------------
 * Authorize
 * ------------------------------------------------------------------------------------------- */

static void
test_authorize_page (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(GHashTable) params = authorize_params ("bob@outlook.com", RFC_VERIFIER);
  g_autoptr(Response) response = get_authorize (fixture, "common", params);

  g_assert_cmpuint (response->status, ==, 200);
  g_assert_cmpstr (response->content_type, ==, "text/html");
  g_assert_nonnull (strstr (response->body, "<form id=\"signin-form\" method=\"POST\" "
                                            "action=\"/common/oauth2/v2.0/authorize/submit\">"));
  g_assert_nonnull (strstr (response->body, "id=\"login\" name=\"login\" "
                                            "value=\"bob@outlook.com\""));
  g_assert_nonnull (strstr (response->body, "type=\"password\" id=\"password\""));
  g_assert_nonnull (strstr (response->body, "name=\"state\" value=\"state-0123456789\""));
  g_assert_nonnull (strstr (response->body, "name=\"code_challenge\" value=\"" RFC_CHALLENGE));
  g_assert_nonnull (strstr (response->body, "name=\"redirect_uri\" value=\"" NATIVECLIENT));
  /* The scopes in plain words. */
  g_assert_nonnull (strstr (response->body, "Read, change and delete your mail over IMAP"));
  g_assert_nonnull (strstr (response->body, "Send mail as you over SMTP"));
  g_assert_nonnull (strstr (response->body, "Keep the access you give it"));
  g_assert_nonnull (strstr (response->body, "id=\"accept\""));
  g_assert_nonnull (strstr (response->body, "id=\"decline\""));

  /* Markup in a parameter is escaped. */
  g_hash_table_insert (params, (gpointer) "login_hint", g_strdup ("\"><script>x</script>"));
  g_clear_pointer (&response, response_free);
  response = get_authorize (fixture, "common", params);
  g_assert_cmpuint (response->status, ==, 200);
  g_assert_null (strstr (response->body, "<script>x"));

  /* Loopback redirect URIs, any port. */
  g_hash_table_insert (params, (gpointer) "redirect_uri", g_strdup ("http://127.0.0.1:5555/cb"));
  g_clear_pointer (&response, response_free);
  response = get_authorize (fixture, "consumers", params);
  g_assert_cmpuint (response->status, ==, 200);
  g_hash_table_insert (params, (gpointer) "redirect_uri", g_strdup ("http://localhost"));
  g_clear_pointer (&response, response_free);
  response = get_authorize (fixture, CONSUMER_TID, params);
  g_assert_cmpuint (response->status, ==, 200);
}

typedef struct
{
  const char *name;
  const char *value;  /* NULL: remove */
  const char *tenant;
  guint       aadsts;
  const char *error;  /* NULL: an error page, no redirect */
} AuthorizeCase;

static void
test_authorize_errors (Fixture       *fixture,
                       gconstpointer  data)
{
  static const AuthorizeCase cases[] = {
    /* Not sent back to the app: a page. */
    { "client_id", NULL, "common", 900144, NULL },
    { "client_id", "mailmend", "common", 700038, NULL },
    { "client_id", "00000000-0000-4000-8000-00000000ffff", "common", 700016, NULL },
    { "redirect_uri", NULL, "common", 900971, NULL },
    { "redirect_uri", "https://evil.example/cb", "common", 50011, NULL },
    { "redirect_uri", "https://localhost/cb", "common", 50011, NULL },
    { "redirect_uri", "http://127.0.0.1:8080/cb?x=1", "common", 50011, NULL },
    { "redirect_uri", "http://[::1]:8080/cb", "common", 50011, NULL },
    { "state", "state-0123456789", "no_such_tenant", 90002, NULL },
    /* Sent back to the app. */
    { "response_type", NULL, "common", 900144, "invalid_request" },
    { "response_type", "token", "common", 70005, "unsupported_response_type" },
    { "scope", NULL, "common", 900144, "invalid_request" },
    { "code_challenge", NULL, "common", 900144, "invalid_request" },
    { "code_challenge", "short", "common", 501491, "invalid_request" },
    { "code_challenge_method", "plain", "common", 90100, "invalid_request" },
    { "code_challenge_method", NULL, "common", 90100, "invalid_request" },
    { "prompt", "none", "common", 50058, "login_required" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GHashTable) params = authorize_params ("bob@outlook.com", RFC_VERIFIER);
      g_autoptr(GHashTable) result = NULL;
      g_autoptr(Response) response = NULL;
      g_autofree char *expected = g_strdup_printf ("AADSTS%u: ", cases[i].aadsts);

      g_test_message ("%s=%s on %s", cases[i].name, cases[i].value, cases[i].tenant);
      if (cases[i].value == NULL)
        g_hash_table_remove (params, cases[i].name);
      else
        g_hash_table_insert (params, (gpointer) cases[i].name, g_strdup (cases[i].value));

      response = get_authorize (fixture, cases[i].tenant, params);

      if (cases[i].error == NULL)
        {
          g_assert_cmpuint (response->status, ==, 400);
          g_assert_null (response->location);
          g_assert_cmpstr (response->content_type, ==, "text/html");
          g_assert_nonnull (strstr (response->body, expected));
          g_assert_null (strstr (response->body, "signin-form"));
          continue;
        }

      result = location_params (response, NATIVECLIENT "?");
      g_assert_cmpstr (g_hash_table_lookup (result, "error"), ==, cases[i].error);
      g_assert_true (g_str_has_prefix (g_hash_table_lookup (result, "error_description"),
                                       expected));
      g_assert_nonnull (strstr (g_hash_table_lookup (result, "error_description"),
                                "\r\nTrace ID: "));
      g_assert_cmpstr (g_hash_table_lookup (result, "state"), ==, "state-0123456789");
      g_assert_null (g_hash_table_lookup (result, "code"));
    }
}

static void
test_authorize_submit (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(GHashTable) params = authorize_params ("bob@outlook.com", RFC_VERIFIER);
  g_autoptr(GHashTable) result = NULL;
  g_autoptr(Response) response = NULL;
  g_autoptr(JsonObject) state = NULL;

  /* Accept: the code and the state go back to the redirect URI. */
  response = submit_signin (fixture, "common", params, "bob@outlook.com", PASSWORD, "accept");
  g_assert_true (g_str_has_prefix (response->location, NATIVECLIENT "?code="));
  result = location_params (response, NATIVECLIENT "?");
  g_assert_cmpstr (g_hash_table_lookup (result, "state"), ==, "state-0123456789");
  g_assert_cmpuint (strlen (g_hash_table_lookup (result, "code")), >=, 32);
  add_secret (fixture, g_hash_table_lookup (result, "code"));
  g_clear_pointer (&result, g_hash_table_unref);
  g_clear_pointer (&response, response_free);

  /* A form submitted by script has no button: that is an accept too. */
  response = submit_signin (fixture, "common", params, "bob@outlook.com", PASSWORD, NULL);
  result = location_params (response, NATIVECLIENT "?");
  add_secret (fixture, g_hash_table_lookup (result, "code"));
  g_clear_pointer (&result, g_hash_table_unref);
  g_clear_pointer (&response, response_free);

  /* Decline. */
  response = submit_signin (fixture, "common", params, "bob@outlook.com", NULL, "decline");
  result = location_params (response, NATIVECLIENT "?");
  g_assert_cmpstr (g_hash_table_lookup (result, "error"), ==, "access_denied");
  g_assert_true (g_str_has_prefix (g_hash_table_lookup (result, "error_description"),
                                   "AADSTS65004: "));
  g_assert_cmpstr (g_hash_table_lookup (result, "error_uri"), ==,
                   "https://login.microsoftonline.com/error?code=65004");
  g_assert_cmpstr (g_hash_table_lookup (result, "state"), ==, "state-0123456789");
  g_clear_pointer (&result, g_hash_table_unref);
  g_clear_pointer (&response, response_free);

  /* A wrong password and a missing address show the page again. */
  response = submit_signin (fixture, "common", params, "bob@outlook.com", "wrong-password",
                            "accept");
  g_assert_cmpuint (response->status, ==, 200);
  g_assert_nonnull (strstr (response->body, "Your account or password is incorrect."));
  g_assert_nonnull (strstr (response->body, "signin-form"));
  g_clear_pointer (&response, response_free);
  response = submit_signin (fixture, "common", params, NULL, PASSWORD, "accept");
  g_assert_cmpuint (response->status, ==, 200);
  g_assert_nonnull (strstr (response->body, "Enter a valid email address"));
  g_clear_pointer (&response, response_free);

  /* response_mode=fragment and form_post. */
  g_hash_table_insert (params, (gpointer) "response_mode", g_strdup ("fragment"));
  response = submit_signin (fixture, "common", params, "bob@outlook.com", PASSWORD, "accept");
  g_assert_true (g_str_has_prefix (response->location, NATIVECLIENT "#code="));
  result = location_params (response, NATIVECLIENT "#");
  add_secret (fixture, g_hash_table_lookup (result, "code"));
  g_clear_pointer (&result, g_hash_table_unref);
  g_clear_pointer (&response, response_free);

  g_hash_table_insert (params, (gpointer) "response_mode", g_strdup ("form_post"));
  response = submit_signin (fixture, "common", params, "bob@outlook.com", PASSWORD, "accept");
  g_assert_cmpuint (response->status, ==, 200);
  g_assert_nonnull (strstr (response->body, "<form method=\"POST\" action=\"" NATIVECLIENT));
  g_assert_nonnull (strstr (response->body, "name=\"state\" value=\"state-0123456789\""));
  {
    const char *code = strstr (response->body, "name=\"code\" value=\"");

    g_assert_nonnull (code);
    code += strlen ("name=\"code\" value=\"");
    g_ptr_array_add (fixture->secrets, g_strndup (code, strcspn (code, "\"")));
  }

  state = get_state (fixture);
  g_assert_cmpint (state_count (state, "codes", "issued"), ==, 4);
  g_assert_cmpint (state_count (state, "codes", "alive"), ==, 4);
}

/* ---------------------------------------------------------------------------------------------
 * Token: authorization code
 * ------------------------------------------------------------------------------------------- */

static void
test_code_exchange (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autofree char *code = obtain_code (fixture, "bob@outlook.com", RFC_VERIFIER);
  g_autofree char *refresh_token = NULL;
  g_autoptr(Response) response = redeem (fixture, code, RFC_VERIFIER);
  g_autoptr(JsonObject) state = NULL;
  JsonObject *last;

  refresh_token = assert_tokens (fixture, response, "bob@outlook.com", CONSUMER_TID);
  g_clear_pointer (&response, response_free);

  /* Single use. */
  response = redeem (fixture, code, RFC_VERIFIER);
  assert_oauth_error (response, 400, "invalid_grant", 54005);

  state = get_state (fixture);
  g_assert_cmpint (state_count (state, "codes", "issued"), ==, 1);
  g_assert_cmpint (state_count (state, "codes", "redeemed"), ==, 1);
  g_assert_cmpint (state_count (state, "refresh_tokens", "alive"), ==, 1);
  g_assert_cmpint (state_count (state, "access_tokens", "alive"), ==, 1);

  /* The last parameters, secrets redacted. */
  last = json_object_get_object_member (json_object_get_object_member (state, "last_requests"),
                                        "token");
  g_assert_cmpstr (json_object_get_string_member (last, "grant_type"), ==,
                   "authorization_code");
  g_assert_cmpstr (json_object_get_string_member (last, "redirect_uri"), ==, NATIVECLIENT);
  g_assert_cmpstr (json_object_get_string_member (last, "code_verifier"), ==,
                   "(redacted, 43 characters)");
  g_assert_true (g_str_has_prefix (json_object_get_string_member (last, "code"), "(redacted, "));
}

static void
test_code_refused (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autofree char *code = NULL;
  g_autofree char *refresh_token = NULL;
  g_autoptr(Response) response = NULL;

  /* Wrong verifier: refused, and the code is spent. */
  code = obtain_code (fixture, "carol@example.org", RFC_VERIFIER);
  response = redeem (fixture, code, OTHER_VERIFIER);
  assert_oauth_error (response, 400, "invalid_grant", 501481);
  g_clear_pointer (&response, response_free);
  response = redeem (fixture, code, RFC_VERIFIER);
  assert_oauth_error (response, 400, "invalid_grant", 54005);
  g_clear_pointer (&response, response_free);
  g_clear_pointer (&code, g_free);

  /* Another redirect URI than the one authorized. */
  code = obtain_code (fixture, "carol@example.org", RFC_VERIFIER);
  response = redeem_full (fixture, "common", code, RFC_VERIFIER, "http://localhost/");
  assert_oauth_error (response, 400, "invalid_grant", 50011);
  g_clear_pointer (&response, response_free);
  g_clear_pointer (&code, g_free);

  /* No verifier. */
  code = obtain_code (fixture, "carol@example.org", RFC_VERIFIER);
  response = post_form (fixture, "/common/oauth2/v2.0/token",
                        "client_id", CLIENT_ID, "grant_type", "authorization_code",
                        "code", code, "redirect_uri", NATIVECLIENT, NULL);
  assert_oauth_error (response, 400, "invalid_request", 900144);
  g_clear_pointer (&response, response_free);
  g_clear_pointer (&code, g_free);

  /* Redeemed against another tenant than it was issued by. */
  code = obtain_code_full (fixture, "organizations", "carol@example.org", RFC_VERIFIER,
                           NATIVECLIENT);
  response = redeem_full (fixture, "common", code, RFC_VERIFIER, NATIVECLIENT);
  assert_oauth_error (response, 400, "invalid_grant", 700005);
  g_clear_pointer (&response, response_free);
  g_clear_pointer (&code, g_free);

  /* Unknown and expired codes. */
  response = redeem (fixture, "0.AXnot-a-code-at-all-0123456789", RFC_VERIFIER);
  assert_oauth_error (response, 400, "invalid_grant", 70000);
  g_clear_pointer (&response, response_free);
  code = obtain_code (fixture, "carol@example.org", RFC_VERIFIER);
  control (fixture, "expire", NULL);
  response = redeem (fixture, code, RFC_VERIFIER);
  assert_oauth_error (response, 400, "invalid_grant", 70008);
  g_clear_pointer (&response, response_free);
  g_clear_pointer (&code, g_free);

  /* A work address on a loopback redirect: the organization's tenant id. */
  code = obtain_code_full (fixture, "common", "carol@example.org", OTHER_VERIFIER,
                           "http://127.0.0.1:4321/done");
  response = redeem_full (fixture, "common", code, OTHER_VERIFIER, "http://127.0.0.1:4321/done");
  refresh_token = assert_tokens (fixture, response, "carol@example.org",
                                 "c0ffee00-0000-4000-8000-00000000cafe");
}

static void
test_token_requests (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(Response) response = NULL;

  /* Only a form body. */
  response = http_post (fixture, "/common/oauth2/v2.0/token", "application/json",
                        "{\"grant_type\":\"refresh_token\"}");
  assert_oauth_error (response, 400, "invalid_request", 900144);
  g_clear_pointer (&response, response_free);

  response = http_get (fixture, "/common/oauth2/v2.0/token?grant_type=refresh_token");
  assert_oauth_error (response, 400, "invalid_request", 900561);
  g_clear_pointer (&response, response_free);

  response = post_form (fixture, "/common/oauth2/v2.0/token",
                        "client_id", CLIENT_ID, "grant_type", "password", NULL);
  assert_oauth_error (response, 400, "unsupported_grant_type", 70003);
  g_clear_pointer (&response, response_free);

  /* A public client sends no secret. */
  response = post_form (fixture, "/common/oauth2/v2.0/token",
                        "client_id", CLIENT_ID, "grant_type", "refresh_token",
                        "refresh_token", "whatever", "client_secret", "s3cr3t", NULL);
  assert_oauth_error (response, 401, "invalid_client", 700025);
  g_clear_pointer (&response, response_free);

  response = post_form (fixture, "/common/oauth2/v2.0/token",
                        "client_id", "00000000-0000-4000-8000-00000000ffff",
                        "grant_type", "refresh_token", "refresh_token", "whatever", NULL);
  assert_oauth_error (response, 400, "unauthorized_client", 700016);
  g_clear_pointer (&response, response_free);

  response = post_form (fixture, "/common/oauth2/v2.0/token",
                        "client_id", "not-a-guid",
                        "grant_type", "refresh_token", "refresh_token", "whatever", NULL);
  assert_oauth_error (response, 400, "invalid_request", 700038);
  g_clear_pointer (&response, response_free);

  response = post_form (fixture, "/no_such_tenant/oauth2/v2.0/token",
                        "client_id", CLIENT_ID, "grant_type", "refresh_token",
                        "refresh_token", "whatever", NULL);
  assert_oauth_error (response, 400, "invalid_request", 90002);
}

/* ---------------------------------------------------------------------------------------------
 * Token: refresh
 * ------------------------------------------------------------------------------------------- */

static void
test_refresh_rotation (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autofree char *code = obtain_code (fixture, "bob@outlook.com", RFC_VERIFIER);
  g_autofree char *first = NULL;
  g_autofree char *second = NULL;
  g_autofree char *third = NULL;
  g_autoptr(Response) response = redeem (fixture, code, RFC_VERIFIER);
  g_autoptr(JsonObject) state = NULL;

  first = assert_tokens (fixture, response, "bob@outlook.com", CONSUMER_TID);
  g_clear_pointer (&response, response_free);

  response = refresh (fixture, first);
  second = assert_tokens (fixture, response, "bob@outlook.com", CONSUMER_TID);
  g_assert_cmpstr (first, !=, second);
  g_clear_pointer (&response, response_free);

  /* The used one is spent. */
  response = refresh (fixture, first);
  assert_oauth_error (response, 400, "invalid_grant", 70000);
  g_clear_pointer (&response, response_free);

  response = refresh (fixture, second);
  third = assert_tokens (fixture, response, "bob@outlook.com", CONSUMER_TID);
  g_clear_pointer (&response, response_free);

  state = get_state (fixture);
  g_assert_cmpint (state_count (state, "refresh_tokens", "issued"), ==, 3);
  g_assert_cmpint (state_count (state, "refresh_tokens", "alive"), ==, 1);
  g_assert_cmpint (state_count (state, "refresh_tokens", "used"), ==, 2);
  g_assert_cmpint (state_count (state, "refresh_tokens", "grants"), ==, 2);
  g_assert_cmpint (state_count (state, "refresh_tokens", "refused"), ==, 1);

  /* A scope not consented to; an unknown token; no token. */
  response = post_form (fixture, "/common/oauth2/v2.0/token",
                        "client_id", CLIENT_ID, "grant_type", "refresh_token",
                        "refresh_token", third,
                        "scope", "https://outlook.office.com/POP.AccessAsUser.All", NULL);
  assert_oauth_error (response, 400, "invalid_grant", 65001);
  g_clear_pointer (&response, response_free);

  response = refresh (fixture, "M.C5_BAY.not-a-refresh-token-at-all");
  assert_oauth_error (response, 400, "invalid_grant", 9002313);
  g_clear_pointer (&response, response_free);

  response = post_form (fixture, "/common/oauth2/v2.0/token",
                        "client_id", CLIENT_ID, "grant_type", "refresh_token", NULL);
  assert_oauth_error (response, 400, "invalid_request", 900144);
  g_clear_pointer (&response, response_free);

  /* Revoked (a password change): AADSTS50173. */
  control (fixture, "revoke", "login", "bob@outlook.com", NULL);
  response = refresh (fixture, third);
  assert_oauth_error (response, 400, "invalid_grant", 50173);
  g_clear_pointer (&response, response_free);

  /* Reset forgets everything. */
  control (fixture, "reset", NULL);
  g_clear_pointer (&state, json_object_unref);
  state = get_state (fixture);
  g_assert_cmpint (state_count (state, "refresh_tokens", "issued"), ==, 0);
  g_assert_cmpint (state_count (state, "codes", "issued"), ==, 0);
  g_assert_false (json_object_has_member (json_object_get_object_member (state, "last_requests"),
                                          "token"));
  response = refresh (fixture, third);
  assert_oauth_error (response, 400, "invalid_grant", 9002313);
}

/* ---------------------------------------------------------------------------------------------
 * Device code
 * ------------------------------------------------------------------------------------------- */

typedef struct
{
  char *device_code;
  char *user_code;
} DeviceCodes;

static void
device_codes_clear (DeviceCodes *codes)
{
  g_free (codes->device_code);
  g_free (codes->user_code);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (DeviceCodes, device_codes_clear)

static void
request_device_code (Fixture     *fixture,
                     gint64       lifetime,
                     DeviceCodes *codes)
{
  g_autoptr(Response) response = post_form (fixture, "/common/oauth2/v2.0/devicecode",
                                             "client_id", CLIENT_ID, "scope", SCOPES, NULL);
  g_autoptr(JsonObject) object = NULL;
  g_autofree char *verification_uri = g_strconcat (fixture->base, "/devicelogin", NULL);
  const char *message;

  g_assert_cmpuint (response->status, ==, 200);
  object = response_json (response);
  codes->device_code = g_strdup (json_object_get_string_member (object, "device_code"));
  codes->user_code = g_strdup (json_object_get_string_member (object, "user_code"));
  add_secret (fixture, codes->device_code);

  g_assert_true (g_regex_match_simple ("^[A-Z]{8}$", codes->user_code, 0, 0));
  g_assert_cmpstr (json_object_get_string_member (object, "verification_uri"), ==,
                   verification_uri);
  g_assert_cmpint (json_object_get_int_member (object, "expires_in"), ==, lifetime);
  g_assert_cmpint (json_object_get_int_member (object, "interval"), ==, 1);
  message = json_object_get_string_member (object, "message");
  g_assert_nonnull (strstr (message, codes->user_code));
  g_assert_nonnull (strstr (message, verification_uri));
}

static Response *
poll_device (Fixture    *fixture,
             const char *device_code)
{
  return post_form (fixture, "/common/oauth2/v2.0/token",
                    "client_id", CLIENT_ID, "grant_type", DEVICE_GRANT,
                    "device_code", device_code, NULL);
}

static void
test_device_flow (Fixture       *fixture,
                  gconstpointer  data)
{
  g_auto(DeviceCodes) codes = { 0 };
  g_autoptr(Response) response = NULL;
  g_autoptr(JsonObject) state = NULL;
  g_autofree char *refresh_token = NULL;

  request_device_code (fixture, 900, &codes);

  response = poll_device (fixture, codes.device_code);
  assert_oauth_error (response, 400, "authorization_pending", 70016);
  g_clear_pointer (&response, response_free);

  /* Faster than the interval. */
  response = poll_device (fixture, codes.device_code);
  assert_oauth_error (response, 400, "slow_down", 70016);
  g_clear_pointer (&response, response_free);

  g_usleep (1100 * 1000);
  response = poll_device (fixture, codes.device_code);
  assert_oauth_error (response, 400, "authorization_pending", 70016);
  g_clear_pointer (&response, response_free);

  control (fixture, "approve", "user_code", codes.user_code, "login", "dave@hotmail.co.uk",
           NULL);
  g_usleep (1100 * 1000);
  response = poll_device (fixture, codes.device_code);
  refresh_token = assert_tokens (fixture, response, "dave@hotmail.co.uk", CONSUMER_TID);
  g_clear_pointer (&response, response_free);

  /* Redeemed once only. */
  response = poll_device (fixture, codes.device_code);
  assert_oauth_error (response, 400, "invalid_grant", 70000);
  g_clear_pointer (&response, response_free);

  state = get_state (fixture);
  g_assert_cmpint (state_count (state, "device_codes", "issued"), ==, 1);
  g_assert_cmpint (state_count (state, "device_codes", "redeemed"), ==, 1);
  g_assert_cmpint (state_count (state, "device_codes", "polls"), ==, 5);

  /* The refresh token from a device code rotates like the others. */
  response = refresh (fixture, refresh_token);
  g_free (assert_tokens (fixture, response, "dave@hotmail.co.uk", CONSUMER_TID));
}

static void
test_device_login_page (Fixture       *fixture,
                        gconstpointer  data)
{
  g_auto(DeviceCodes) codes = { 0 };
  g_autoptr(Response) response = NULL;
  g_autofree char *lower = NULL;
  g_autofree char *typed = NULL;

  request_device_code (fixture, 900, &codes);

  response = http_get (fixture, "/devicelogin");
  g_assert_cmpuint (response->status, ==, 200);
  g_assert_nonnull (strstr (response->body, "<form id=\"device-form\" method=\"POST\" "
                                            "action=\"/devicelogin\">"));
  g_assert_nonnull (strstr (response->body, "id=\"user_code\""));
  g_clear_pointer (&response, response_free);

  response = post_form (fixture, "/devicelogin", "user_code", "NOTACODE", NULL);
  g_assert_cmpuint (response->status, ==, 200);
  g_assert_nonnull (strstr (response->body, "recognize this code."));
  g_clear_pointer (&response, response_free);

  /* Typed as people type it: partly in lower case, with a dash. */
  lower = g_ascii_strdown (codes.user_code + 4, -1);
  typed = g_strdup_printf ("%.4s-%s", codes.user_code, lower);
  response = post_form (fixture, "/devicelogin", "user_code", typed,
                        "login", "erin@example.net", "action", "accept", NULL);
  g_assert_cmpuint (response->status, ==, 200);
  g_assert_nonnull (strstr (response->body, "You're signed in"));
  g_clear_pointer (&response, response_free);

  response = poll_device (fixture, codes.device_code);
  g_free (assert_tokens (fixture, response, "erin@example.net",
                         "c0ffee00-0000-4000-8000-00000000cafe"));
}

static void
test_device_declined (Fixture       *fixture,
                      gconstpointer  data)
{
  g_auto(DeviceCodes) codes = { 0 };
  g_autoptr(Response) response = NULL;

  request_device_code (fixture, 900, &codes);
  /* No user_code: the newest pending one. */
  control (fixture, "decline", NULL);

  response = poll_device (fixture, codes.device_code);
  g_assert_cmpuint (response->status, ==, 400);
  {
    g_autoptr(JsonObject) object = response_json (response);

    g_assert_cmpstr (json_object_get_string_member (object, "error"), ==,
                     "authorization_declined");
  }
}

static const char * const short_lifetime[] = { "--device-code-lifetime=1", NULL };

static void
test_device_expired (Fixture       *fixture,
                     gconstpointer  data)
{
  g_auto(DeviceCodes) codes = { 0 };
  g_autoptr(Response) response = NULL;
  g_autofree char *form = NULL;

  request_device_code (fixture, 1, &codes);
  g_usleep (1100 * 1000);

  response = poll_device (fixture, codes.device_code);
  assert_oauth_error (response, 400, "expired_token", 70019);
  g_clear_pointer (&response, response_free);

  /* Too late to approve, too. */
  form = soup_form_encode ("user_code", codes.user_code, NULL);
  response = http_post (fixture, "/_test/approve", "application/x-www-form-urlencoded", form);
  g_assert_cmpuint (response->status, ==, 404);
}

static void
test_device_bad_code (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(Response) response = poll_device (fixture, "DAQABAAEAAAnot-a-device-code");

  assert_oauth_error (response, 400, "bad_verification_code", 70018);
  g_clear_pointer (&response, response_free);

  response = post_form (fixture, "/common/oauth2/v2.0/devicecode", "client_id", CLIENT_ID, NULL);
  assert_oauth_error (response, 400, "invalid_request", 900144);
}

/* ---------------------------------------------------------------------------------------------
 * Injected errors
 * ------------------------------------------------------------------------------------------- */

static Response *
refresh_unknown (Fixture *fixture)
{
  return refresh (fixture, "M.C5_BAY.unknown-refresh-token-0123");
}

static void
test_inject_token (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(Response) response = NULL;
  g_autoptr(JsonObject) state = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();

  /* An AADSTS code alone: its usual error name. */
  control (fixture, "next-error", "endpoint", "token", "aadsts", "50076", NULL);
  response = refresh_unknown (fixture);
  assert_oauth_error (response, 400, "invalid_grant", 50076);
  g_clear_pointer (&response, response_free);

  /* Only once: the next request is answered normally. */
  response = refresh_unknown (fixture);
  assert_oauth_error (response, 400, "invalid_grant", 9002313);
  g_clear_pointer (&response, response_free);

  /* An error name and a code. */
  control (fixture, "next-error", "endpoint", "token", "error", "interaction_required",
           "aadsts", "53003", NULL);
  response = refresh_unknown (fixture);
  assert_oauth_error (response, 400, "interaction_required", 53003);
  g_clear_pointer (&response, response_free);

  /* An error name alone; invalid_client is a 401. */
  control (fixture, "next-error", "endpoint", "token", "error", "invalid_client", NULL);
  response = refresh_unknown (fixture);
  assert_oauth_error (response, 401, "invalid_client", 700025);
  g_clear_pointer (&response, response_free);

  /* Server errors, twice. */
  control (fixture, "next-error", "endpoint", "token", "status", "503", "count", "2", NULL);
  for (guint i = 0; i < 2; i++)
    {
      response = refresh_unknown (fixture);
      assert_oauth_error (response, 503, "temporarily_unavailable", 90006);
      g_clear_pointer (&response, response_free);
    }
  control (fixture, "next-error", "endpoint", "token", "status", "500", NULL);
  response = refresh_unknown (fixture);
  assert_oauth_error (response, 500, "server_error", 50000);
  g_clear_pointer (&response, response_free);

  /* Malformed JSON. */
  control (fixture, "next-error", "endpoint", "token", "malformed", "1", NULL);
  response = refresh_unknown (fixture);
  g_assert_cmpuint (response->status, ==, 200);
  g_assert_cmpstr (response->content_type, ==, "application/json");
  g_assert_false (json_parser_load_from_data (parser, response->body, -1, NULL));
  g_clear_pointer (&response, response_free);

  /* A slow answer, otherwise normal. */
  control (fixture, "next-error", "endpoint", "token", "delay_ms", "400", NULL);
  response = refresh_unknown (fixture);
  g_assert_cmpint (response->elapsed_us, >=, 400 * 1000);
  assert_oauth_error (response, 400, "invalid_grant", 9002313);
  g_clear_pointer (&response, response_free);

  /* Only for one grant type: a code redemption passes, the refresh gets it. */
  control (fixture, "next-error", "endpoint", "token", "grant_type", "refresh_token",
           "aadsts", "70043", NULL);
  response = redeem (fixture, "0.AXnot-a-code-at-all-0123456789", RFC_VERIFIER);
  assert_oauth_error (response, 400, "invalid_grant", 70000);
  g_clear_pointer (&response, response_free);
  response = refresh_unknown (fixture);
  assert_oauth_error (response, 400, "invalid_grant", 70043);
  g_clear_pointer (&response, response_free);

  /* Device code polling. */
  control (fixture, "next-error", "endpoint", "token", "grant_type", "device_code",
           "aadsts", "70019", NULL);
  response = poll_device (fixture, "DAQABAAEAAAnot-a-device-code");
  assert_oauth_error (response, 400, "expired_token", 70019);
  g_clear_pointer (&response, response_free);

  state = get_state (fixture);
  g_assert_cmpint (json_object_get_int_member (state, "injections_pending"), ==, 0);
}

static void
test_inject_other_endpoints (Fixture       *fixture,
                             gconstpointer  data)
{
  g_autoptr(GHashTable) params = authorize_params ("bob@outlook.com", RFC_VERIFIER);
  g_autoptr(GHashTable) result = NULL;
  g_autoptr(Response) response = NULL;

  /* Authorize: the error goes back to the app, with the state. */
  control (fixture, "next-error", "endpoint", "authorize", "aadsts", "65001", NULL);
  response = get_authorize (fixture, "common", params);
  result = location_params (response, NATIVECLIENT "?");
  g_assert_cmpstr (g_hash_table_lookup (result, "error"), ==, "consent_required");
  g_assert_true (g_str_has_prefix (g_hash_table_lookup (result, "error_description"),
                                   "AADSTS65001: "));
  g_assert_cmpstr (g_hash_table_lookup (result, "state"), ==, "state-0123456789");
  g_clear_pointer (&result, g_hash_table_unref);
  g_clear_pointer (&response, response_free);

  control (fixture, "next-error", "endpoint", "authorize", "error", "access_denied",
           "aadsts", "90094", NULL);
  response = get_authorize (fixture, "common", params);
  result = location_params (response, NATIVECLIENT "?");
  g_assert_cmpstr (g_hash_table_lookup (result, "error"), ==, "access_denied");
  g_assert_true (g_str_has_prefix (g_hash_table_lookup (result, "error_description"),
                                   "AADSTS90094: "));
  g_clear_pointer (&result, g_hash_table_unref);
  g_clear_pointer (&response, response_free);

  /* A server error on the sign-in page itself. */
  control (fixture, "next-error", "endpoint", "authorize", "status", "503", NULL);
  response = get_authorize (fixture, "common", params);
  g_assert_cmpuint (response->status, ==, 503);
  g_assert_nonnull (strstr (response->body, "AADSTS90006: "));
  g_clear_pointer (&response, response_free);

  /* A bad request is not covered up by an injection: that waits for the next good one. */
  control (fixture, "next-error", "endpoint", "authorize", "aadsts", "50076", NULL);
  g_hash_table_insert (params, (gpointer) "redirect_uri", g_strdup ("https://evil.example/"));
  response = get_authorize (fixture, "common", params);
  g_assert_cmpuint (response->status, ==, 400);
  g_assert_nonnull (strstr (response->body, "AADSTS50011: "));
  g_clear_pointer (&response, response_free);
  g_hash_table_insert (params, (gpointer) "redirect_uri", g_strdup (NATIVECLIENT));
  response = get_authorize (fixture, "common", params);
  result = location_params (response, NATIVECLIENT "?");
  g_assert_cmpstr (g_hash_table_lookup (result, "error"), ==, "interaction_required");
  g_clear_pointer (&result, g_hash_table_unref);
  g_clear_pointer (&response, response_free);

  /* Device code requests. */
  control (fixture, "next-error", "endpoint", "devicecode", "aadsts", "70011", NULL);
  response = post_form (fixture, "/common/oauth2/v2.0/devicecode",
                        "client_id", CLIENT_ID, "scope", SCOPES, NULL);
  assert_oauth_error (response, 400, "invalid_scope", 70011);
  g_clear_pointer (&response, response_free);

  /* Introspection: a 401 (Dovecot's temporary failure). */
  control (fixture, "next-error", "endpoint", "introspect", "status", "401", NULL);
  response = http_get (fixture, "/introspect");
  g_assert_cmpuint (response->status, ==, 401);
  g_clear_pointer (&response, response_free);

  /* Nonsense is refused. */
  response = post_form (fixture, "/_test/next-error", "endpoint", "nowhere", "status", "500",
                        NULL);
  g_assert_cmpuint (response->status, ==, 400);
  g_clear_pointer (&response, response_free);
  response = post_form (fixture, "/_test/next-error", "endpoint", "token", NULL);
  g_assert_cmpuint (response->status, ==, 400);
  g_clear_pointer (&response, response_free);
  response = http_get (fixture, "/_test/reset");
  g_assert_cmpuint (response->status, ==, 405);
}

/* ---------------------------------------------------------------------------------------------
 * Introspection
 * ------------------------------------------------------------------------------------------- */

static JsonObject *
introspect (Fixture    *fixture,
            const char *token)
{
  g_autofree char *uri = g_strconcat (fixture->base, "/introspect", NULL);
  g_autofree char *authorization = g_strconcat ("Bearer ", token, NULL);
  g_autoptr(SoupMessage) msg = soup_message_new ("GET", uri);
  g_autoptr(Response) response = NULL;

  soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization",
                                authorization);
  response = send_message (fixture, msg);
  g_assert_cmpuint (response->status, ==, 200);

  return response_json (response);
}

static void
test_introspect (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autofree char *code = obtain_code (fixture, "bob@outlook.com", RFC_VERIFIER);
  g_autoptr(Response) response = redeem (fixture, code, RFC_VERIFIER);
  g_autoptr(JsonObject) tokens = response_json (response);
  g_autoptr(JsonObject) result = NULL;
  g_autofree char *refresh_token = NULL;
  g_autofree char *form = NULL;
  const char *access_token = json_object_get_string_member (tokens, "access_token");

  add_secret (fixture, access_token);
  add_secret (fixture, json_object_get_string_member (tokens, "refresh_token"));

  result = introspect (fixture, access_token);
  g_assert_true (json_object_get_boolean_member (result, "active"));
  g_assert_cmpstr (json_object_get_string_member (result, "mail"), ==, "bob@outlook.com");
  g_assert_cmpstr (json_object_get_string_member (result, "scope"), ==, GRANTED);
  g_clear_pointer (&result, json_object_unref);

  /* RFC 7662 style works too. */
  form = soup_form_encode ("token", access_token, NULL);
  g_clear_pointer (&response, response_free);
  response = http_post (fixture, "/introspect", "application/x-www-form-urlencoded", form);
  result = response_json (response);
  g_assert_true (json_object_get_boolean_member (result, "active"));
  g_clear_pointer (&result, json_object_unref);

  result = introspect (fixture, "EwBnot-a-token-at-all-0123456789");
  g_assert_false (json_object_get_boolean_member (result, "active"));
  g_assert_false (json_object_has_member (result, "mail"));
  g_clear_pointer (&result, json_object_unref);

  /* Expired. */
  control (fixture, "expire", NULL);
  result = introspect (fixture, access_token);
  g_assert_false (json_object_get_boolean_member (result, "active"));
  g_clear_pointer (&result, json_object_unref);

  /* Revoked: a fresh access token from the refresh token, then revoke everything. */
  g_clear_pointer (&response, response_free);
  response = refresh (fixture, json_object_get_string_member (tokens, "refresh_token"));
  g_clear_pointer (&tokens, json_object_unref);
  tokens = response_json (response);
  access_token = json_object_get_string_member (tokens, "access_token");
  add_secret (fixture, access_token);
  add_secret (fixture, json_object_get_string_member (tokens, "refresh_token"));
  result = introspect (fixture, access_token);
  g_assert_true (json_object_get_boolean_member (result, "active"));
  g_clear_pointer (&result, json_object_unref);

  control (fixture, "revoke", NULL);
  result = introspect (fixture, access_token);
  g_assert_false (json_object_get_boolean_member (result, "active"));
}

/* ---------------------------------------------------------------------------------------------
 * The log
 * ------------------------------------------------------------------------------------------- */

static void
test_log (Fixture       *fixture,
          gconstpointer  data)
{
  g_autofree char *code = obtain_code (fixture, "bob@outlook.com", RFC_VERIFIER);
  g_autoptr(Response) response = redeem (fixture, code, RFC_VERIFIER);
  g_autofree char *refresh_token = assert_tokens (fixture, response, "bob@outlook.com",
                                                  CONSUMER_TID);
  g_autofree char *log = NULL;
  g_autoptr(GError) error = NULL;

  g_clear_pointer (&response, response_free);
  response = redeem (fixture, code, RFC_VERIFIER);
  g_clear_pointer (&response, response_free);
  response = refresh (fixture, refresh_token);
  g_free (assert_tokens (fixture, response, "bob@outlook.com", CONSUMER_TID));

  g_file_get_contents (fixture->stderr_path, &log, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (strstr (log, "mend-fake-idp: POST /common/oauth2/v2.0/authorize/submit "
                                 "302\n"));
  g_assert_nonnull (strstr (log, "mend-fake-idp: POST /common/oauth2/v2.0/token 200 "
                                 "grant_type=authorization_code\n"));
  g_assert_nonnull (strstr (log, "mend-fake-idp: POST /common/oauth2/v2.0/token 400 "
                                 "grant_type=authorization_code error=invalid_grant "
                                 "AADSTS54005\n"));
  g_assert_nonnull (strstr (log, "mend-fake-idp: POST /common/oauth2/v2.0/token 200 "
                                 "grant_type=refresh_token\n"));
  /* The secrets themselves are checked in the teardown, after the stop. */
}

#define add_test(path, func, args) \
  g_test_add ((path), Fixture, (args), fixture_setup, (func), fixture_teardown)

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_set_prgname ("test-fake-idp");

  add_test ("/fake-idp/authorize/page", test_authorize_page, NULL);
  add_test ("/fake-idp/authorize/errors", test_authorize_errors, NULL);
  add_test ("/fake-idp/authorize/submit", test_authorize_submit, NULL);
  add_test ("/fake-idp/token/code", test_code_exchange, NULL);
  add_test ("/fake-idp/token/code-refused", test_code_refused, NULL);
  add_test ("/fake-idp/token/requests", test_token_requests, NULL);
  add_test ("/fake-idp/token/refresh-rotation", test_refresh_rotation, NULL);
  add_test ("/fake-idp/device/flow", test_device_flow, NULL);
  add_test ("/fake-idp/device/login-page", test_device_login_page, NULL);
  add_test ("/fake-idp/device/declined", test_device_declined, NULL);
  add_test ("/fake-idp/device/expired", test_device_expired, short_lifetime);
  add_test ("/fake-idp/device/bad-code", test_device_bad_code, NULL);
  add_test ("/fake-idp/inject/token", test_inject_token, NULL);
  add_test ("/fake-idp/inject/other-endpoints", test_inject_other_endpoints, NULL);
  add_test ("/fake-idp/introspect", test_introspect, NULL);
  add_test ("/fake-idp/log", test_log, NULL);

  return g_test_run ();
}
