/* mend-test-oauth.c: the fake identity provider and the keyring, for the sign-in tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Starts tests/harness/mend-fake-idp on a free port, drives it like a browser would (GET the
 * authorize page, POST its form, take the 302), signs an address in with the engine, and
 * clears the keyring of the tests' addresses. Running `mailmend` is tests/unit/mend-test-cli.c.
 */

#include "config.h"

#include <signal.h>
#include <string.h>

#include <glib/gstdio.h>
#include <libsecret/secret.h>
#include <libsoup/soup.h>

#include "mend-oauth-client.h"
#include "mend-oauth-flow.h"
#include "mend-test-oauth.h"
#include "mend-token-service.h"

#define PASSWORD "correct horse battery staple"

static const SecretSchema raw_schema = {
  "io.github.mailmend.Token", SECRET_SCHEMA_NONE,
  {
    { "address", SECRET_SCHEMA_ATTRIBUTE_STRING },
    { NULL, 0 },
  }
};

gboolean
mend_test_in_rig (void)
{
  if (g_getenv ("MAILMEND_TEST_RIG") != NULL)
    return TRUE;

  g_test_skip ("needs the test rig's keyring: run under tests/harness/session-run");
  return FALSE;
}

/* The CA of the provider started with TLS, trusted by this process's own requests to it. */
static char *trusted_ca_file;

static MendTestIdp *idp_start (const char * const *extra_args,
                               gboolean            tls);

MendTestIdp *
mend_test_idp_start (const char * const *extra_args)
{
  return idp_start (extra_args, FALSE);
}

/* Serves https with a self-signed certificate for 127.0.0.1, made by openssl; its file is
 * idp->ca_file. */
MendTestIdp *
mend_test_idp_start_tls (const char * const *extra_args)
{
  return idp_start (extra_args, TRUE);
}

static void
make_certificate (MendTestIdp *idp)
{
  g_autofree char *key = g_build_filename (idp->tmpdir, "key.pem", NULL);
  g_autoptr(GError) error = NULL;
  int status = 0;
  const char *argv[] = { "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes",
                         "-keyout", key, "-out", NULL, "-days", "2", "-subj", "/CN=127.0.0.1",
                         "-addext", "subjectAltName=IP:127.0.0.1", NULL };

  idp->ca_file = g_build_filename (idp->tmpdir, "cert.pem", NULL);
  argv[9] = idp->ca_file;
  g_spawn_sync (NULL, (char **) argv, NULL,
                G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL | G_SPAWN_STDERR_TO_DEV_NULL,
                NULL, NULL, NULL, NULL, &status, &error);
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  idp->key_file = g_steal_pointer (&key);
}

static MendTestIdp *
idp_start (const char * const *extra_args,
           gboolean            tls)
{
  const char *program = g_getenv ("MAILMEND_FAKE_IDP");
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GDataInputStream) out = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *line = NULL;
  MendTestIdp *idp = g_new0 (MendTestIdp, 1);

  g_assert_nonnull (program);

  idp->tmpdir = g_dir_make_tmp ("mailmend-test-idp-XXXXXX", &error);
  g_assert_no_error (error);
  idp->log_path = g_build_filename (idp->tmpdir, "fake-idp.log", NULL);

  g_ptr_array_add (argv, (gpointer) program);
  g_ptr_array_add (argv, (gpointer) "--port=0");
  g_ptr_array_add (argv, (gpointer) "--interval=1");
  if (tls)
    {
      make_certificate (idp);
      g_ptr_array_add (argv, (gpointer) "--tls-cert");
      g_ptr_array_add (argv, idp->ca_file);
      g_ptr_array_add (argv, (gpointer) "--tls-key");
      g_ptr_array_add (argv, idp->key_file);
      g_free (trusted_ca_file);
      trusted_ca_file = g_strdup (idp->ca_file);
    }
  for (guint i = 0; extra_args != NULL && extra_args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) extra_args[i]);
  g_ptr_array_add (argv, NULL);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_subprocess_launcher_set_stderr_file_path (launcher, idp->log_path);
  g_subprocess_launcher_set_child_setup (launcher, mend_test_die_with_parent, NULL, NULL);
  idp->process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata,
                                               &error);
  g_assert_no_error (error);

  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (idp->process));
  g_filter_input_stream_set_close_base_stream (G_FILTER_INPUT_STREAM (out), FALSE);
  line = g_data_input_stream_read_line_utf8 (out, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (line);
  g_assert_true (g_str_has_prefix (line, tls ? "listening on https://127.0.0.1:"
                                             : "listening on http://127.0.0.1:"));
  idp->base = g_strdup (line + strlen ("listening on "));

  return idp;
}

void
mend_test_idp_stop (MendTestIdp *idp)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *log = NULL;

  if (idp == NULL)
    return;

  g_subprocess_send_signal (idp->process, SIGTERM);
  g_subprocess_wait (idp->process, NULL, &error);
  g_assert_no_error (error);

  if (g_file_get_contents (idp->log_path, &log, NULL, NULL))
    g_test_message ("fake provider's log:\n%s", log);

  g_unlink (idp->log_path);
  if (idp->ca_file != NULL)
    {
      g_unlink (idp->ca_file);
      g_unlink (idp->key_file);
      if (g_strcmp0 (trusted_ca_file, idp->ca_file) == 0)
        g_clear_pointer (&trusted_ca_file, g_free);
    }
  g_rmdir (idp->tmpdir);
  g_free (idp->ca_file);
  g_free (idp->key_file);
  g_clear_object (&idp->process);
  g_free (idp->log_path);
  g_free (idp->tmpdir);
  g_free (idp->base);
  g_free (idp);
}

static SoupSession *
test_session (void)
{
  SoupSession *session = soup_session_new ();

  soup_session_set_proxy_resolver (session, NULL);
  soup_session_set_timeout (session, 20);
  if (trusted_ca_file != NULL)
    {
      g_autoptr(GTlsDatabase) database = NULL;
      g_autoptr(GError) error = NULL;

      database = g_tls_file_database_new (trusted_ca_file, &error);
      g_assert_no_error (error);
      soup_session_set_tls_database (session, database);
    }

  return session;
}

static char *
send_message (SoupMessage *msg,
              guint       *status)
{
  g_autoptr(SoupSession) session = test_session ();
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  const char *data;
  gsize size;

  soup_message_add_flags (msg, SOUP_MESSAGE_NO_REDIRECT);
  bytes = soup_session_send_and_read (session, msg, NULL, &error);
  g_assert_no_error (error);
  *status = soup_message_get_status (msg);
  data = g_bytes_get_data (bytes, &size);

  return g_strndup (data, size);
}

static char *
post_form_hash (const char *url,
                GHashTable *fields,
                guint      *status,
                char      **location)
{
  g_autoptr(SoupMessage) msg = soup_message_new ("POST", url);
  g_autofree char *form = soup_form_encode_hash (fields);
  g_autoptr(GBytes) bytes = g_bytes_new (form, strlen (form));
  char *body;

  g_assert_nonnull (msg);
  soup_message_set_request_body_from_bytes (msg, "application/x-www-form-urlencoded", bytes);
  body = send_message (msg, status);
  if (location != NULL)
    *location = g_strdup (soup_message_headers_get_one (soup_message_get_response_headers (msg),
                                                         "Location"));

  return body;
}

/* Fields as name, value, …, NULL; POSTs /_test/WHAT. */
void
mend_test_idp_control (MendTestIdp *idp,
                       const char  *what,
                       ...)
{
  g_autoptr(GHashTable) fields = g_hash_table_new (g_str_hash, g_str_equal);
  g_autofree char *url = g_strdup_printf ("%s/_test/%s", idp->base, what);
  g_autofree char *body = NULL;
  const char *name;
  guint status = 0;
  va_list args;

  va_start (args, what);
  while ((name = va_arg (args, const char *)) != NULL)
    g_hash_table_insert (fields, (gpointer) name, va_arg (args, char *));
  va_end (args);

  body = post_form_hash (url, fields, &status, NULL);
  if (status != 200)
    g_error ("/_test/%s answered %u: %s", what, status, body);
}

JsonObject *
mend_test_idp_get_state (MendTestIdp *idp)
{
  g_autofree char *url = g_strdup_printf ("%s/_test/state", idp->base);
  g_autoptr(SoupMessage) msg = soup_message_new ("GET", url);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *body = NULL;
  guint status = 0;

  body = send_message (msg, &status);
  g_assert_cmpuint (status, ==, 200);
  json_parser_load_from_data (parser, body, -1, &error);
  g_assert_no_error (error);

  return json_object_ref (json_node_get_object (json_parser_get_root (parser)));
}

gint64
mend_test_state_count (JsonObject *state,
                       const char *group,
                       const char *member)
{
  JsonObject *object = json_object_get_object_member (state, group);

  g_assert_nonnull (object);
  g_assert_true (json_object_has_member (object, member));

  return json_object_get_int_member (object, member);
}

static char *
html_unescape (const char *text)
{
  static const struct { const char *entity; char c; } entities[] = {
    { "&amp;", '&' }, { "&lt;", '<' }, { "&gt;", '>' }, { "&quot;", '"' }, { "&#39;", '\'' },
    { "&apos;", '\'' },
  };
  GString *out = g_string_new (NULL);

  for (const char *p = text; *p != '\0';)
    {
      gboolean replaced = FALSE;

      for (guint i = 0; *p == '&' && i < G_N_ELEMENTS (entities); i++)
        {
          if (g_str_has_prefix (p, entities[i].entity))
            {
              g_string_append_c (out, entities[i].c);
              p += strlen (entities[i].entity);
              replaced = TRUE;
              break;
            }
        }
      if (!replaced)
        g_string_append_c (out, *p++);
    }

  return g_string_free (out, FALSE);
}

/**
 * mend_test_idp_browse:
 * @authorize_url: the address the sign-in starts at, as Mailmend printed it
 * @action: "accept" or "decline"
 *
 * Does what a person in a browser does: opens @authorize_url, fills in the sign-in form (the
 * hidden fields as they are, the login, a password) and presses a button.
 *
 * Returns: the address the provider redirects to (the one to paste back)
 */
char *
mend_test_idp_browse (MendTestIdp *idp,
                      const char  *authorize_url,
                      const char  *login,
                      const char  *action)
{
  g_autoptr(SoupMessage) msg = soup_message_new ("GET", authorize_url);
  g_autoptr(GHashTable) fields = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(GRegex) form_regex = NULL;
  g_autoptr(GRegex) input_regex = NULL;
  g_autoptr(GMatchInfo) match = NULL;
  g_autofree char *page = NULL;
  g_autofree char *action_path = NULL;
  g_autofree char *submit_url = NULL;
  g_autofree char *body = NULL;
  char *location = NULL;
  guint status = 0;

  g_assert_nonnull (msg);
  g_assert_true (g_str_has_prefix (authorize_url, idp->base));
  page = send_message (msg, &status);
  g_assert_cmpuint (status, ==, 200);

  form_regex = g_regex_new ("<form id=\"signin-form\" method=\"POST\" action=\"([^\"]+)\">", 0, 0,
                            NULL);
  g_assert_true (g_regex_match (form_regex, page, 0, &match));
  action_path = g_match_info_fetch (match, 1);
  g_clear_pointer (&match, g_match_info_free);

  input_regex = g_regex_new ("<input type=\"hidden\" name=\"([^\"]+)\" value=\"([^\"]*)\">", 0, 0,
                             NULL);
  g_regex_match (input_regex, page, 0, &match);
  while (g_match_info_matches (match))
    {
      g_autofree char *value = g_match_info_fetch (match, 2);

      g_hash_table_insert (fields, g_match_info_fetch (match, 1), html_unescape (value));
      g_match_info_next (match, NULL);
    }
  g_assert_true (g_hash_table_contains (fields, "state"));
  g_assert_true (g_hash_table_contains (fields, "code_challenge"));

  g_hash_table_insert (fields, g_strdup ("login"), g_strdup (login));
  g_hash_table_insert (fields, g_strdup ("password"), g_strdup (PASSWORD));
  g_hash_table_insert (fields, g_strdup ("action"), g_strdup (action));

  submit_url = g_strconcat (idp->base, action_path, NULL);
  body = post_form_hash (submit_url, fields, &status, &location);
  g_assert_cmpuint (status, ==, 302);
  g_assert_nonnull (location);

  return location;
}

static void
on_done (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

/**
 * mend_test_idp_sign_in:
 *
 * Signs @address in with the engine (flow, browser, code exchange) and keeps the sign-in in
 * the keyring, as `mailmend signin` would.
 *
 * Returns: (transfer full): the stored sign-in
 */
MendOAuthToken *
mend_test_idp_sign_in (MendTestIdp *idp,
                       const char  *address)
{
  g_autoptr(MendOAuthSettings) settings = mend_oauth_settings_new ();
  g_autoptr(MendTokenService) service = mend_token_service_new ();
  g_autoptr(MendOAuthFlow) flow = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;
  g_autofree char *location = NULL;
  g_autofree char *code = NULL;
  MendOAuthToken *token;

  mend_oauth_settings_set_authority (settings, idp->base, &error);
  g_assert_no_error (error);
  mend_oauth_settings_set_client_id (settings, MEND_TEST_CLIENT_ID, &error);
  g_assert_no_error (error);
  flow = mend_oauth_flow_new (settings, &error);
  g_assert_no_error (error);

  url = mend_oauth_flow_build_authorize_url (flow, address, NULL);
  location = mend_test_idp_browse (idp, url, address, "accept");
  mend_oauth_flow_parse_redirect (flow, location, &code, &error);
  g_assert_no_error (error);

  mend_oauth_client_exchange_code_async (mend_token_service_get_client (service), flow, code,
                                         address, NULL, on_done, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  token = mend_oauth_client_exchange_code_finish (mend_token_service_get_client (service), result,
                                                  &error);
  g_assert_no_error (error);
  g_assert_nonnull (token);

  mend_token_service_save_sync (service, token, NULL, &error);
  g_assert_no_error (error);

  return token;
}

void
mend_test_forget (const char *address)
{
  if (g_getenv ("MAILMEND_TEST_RIG") != NULL)
    secret_password_clear_sync (&raw_schema, NULL, NULL, "address", address, NULL);
}
