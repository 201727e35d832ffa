/* test-cli-report-keyring.c: `mailmend report` with sign-ins in the rig's real keyring
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A sign-in with real-looking tokens goes into the keyring; the report lists its address, kind
 * of account and expiry in every format, never its tokens (nor in the debug output), masks its
 * address when asked, and lists a damaged item as damaged. Skips outside the rig.
 */

#include "config.h"

#include <string.h>
#include <unistd.h>

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <libsecret/secret.h>

#include "mend-test-oauth.h"
#include "mend-token-store.h"

#define ACCESS  "EwBwA8l6BAAUbDba3x2OMJElkF7gJ4zVbCPEz0AAQhmWHZ5cFpLQk1mN3RzS0hKWnNXa2hiTjlqaFZP"
#define REFRESH "M.C507_BAY.0.U.-Cj3f!Akz9Qw*Lm2Rt$Yp4Vn8Bx6Ds1Ge5Hk7Jq0Wu3Zo"

static const char * const tokens[] = { ACCESS, REFRESH, NULL };

static const SecretSchema raw_schema = {
  "io.github.mailmend.Token", SECRET_SCHEMA_NONE,
  {
    { "address", SECRET_SCHEMA_ATTRIBUTE_STRING },
    { NULL, 0 },
  }
};

typedef struct
{
  char *alice;
  char *damaged;
  char *home;
} Fixture;

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;

  /* Addresses of this process only: other tests share the keyring. */
  fixture->alice = g_strdup_printf ("report-alice-%u@outlook.com", (guint) getpid ());
  fixture->damaged = g_strdup_printf ("report-damaged-%u@contoso.example", (guint) getpid ());
  /* An empty home: the scan finds nothing, the report holds only the sign-ins. */
  fixture->home = g_dir_make_tmp ("mailmend-test-report-XXXXXX", &error);
  g_assert_no_error (error);
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  user_data)
{
  mend_test_forget (fixture->alice);
  mend_test_forget (fixture->damaged);

  g_rmdir (fixture->home);
  g_clear_pointer (&fixture->alice, g_free);
  g_clear_pointer (&fixture->damaged, g_free);
  g_clear_pointer (&fixture->home, g_free);
}

static void
store_sign_ins (Fixture *fixture)
{
  const char *scopes[] = { "https://outlook.office.com/IMAP.AccessAsUser.All",
                           "https://outlook.office.com/SMTP.Send", "offline_access", NULL };
  g_autoptr(MendTokenStore) store = mend_token_store_new ();
  g_autoptr(MendOAuthToken) token = mend_oauth_token_new (fixture->alice);
  g_autoptr(GDateTime) expires_at = g_date_time_new_utc (2031, 5, 17, 8, 30, 0);
  g_autoptr(GError) error = NULL;

  mend_oauth_token_set_access_token (token, ACCESS);
  mend_oauth_token_set_refresh_token (token, REFRESH);
  mend_oauth_token_set_expires_at (token, expires_at);
  mend_oauth_token_set_scopes (token, scopes);
  mend_oauth_token_set_tenant_id (token, MEND_CONSUMER_TENANT_ID);
  mend_oauth_token_set_authority (token, "https://login.microsoftonline.com");
  mend_token_store_store_sync (store, token, NULL, &error);
  g_assert_no_error (error);

  /* Not Mailmend's JSON: damaged, and a secret all the same. */
  secret_password_store_sync (&raw_schema, SECRET_COLLECTION_DEFAULT, "damaged",
                              "{\"refresh_token\": \"" REFRESH "\"", NULL, &error,
                              "address", fixture->damaged, NULL);
  g_assert_no_error (error);
}

/* Runs `mailmend report ARGS…` in the empty home, with debug output on. */
static MendTestRun *
run_report (Fixture *fixture,
            ...)
{
  g_autofree char *home = g_strconcat ("HOME=", fixture->home, NULL);
  g_autofree char *config = g_strconcat ("XDG_CONFIG_HOME=", fixture->home, "/.config", NULL);
  const char *env[] = {
    home, config,
    /* The report checks Microsoft's status too: at a closed port, it never leaves the
     * machine. */
    "MAILMEND_STATUS_URL=http://127.0.0.1:1/",
    "G_MESSAGES_DEBUG=all",
    NULL
  };
  MendTestRun *run;
  va_list args;

  va_start (args, fixture);
  run = mend_test_run_cli_valist (env, NULL, "report", args);
  va_end (args);

  return run;
}

/* Short names for the JSON accessors the checks use again and again. */
static const char *
string_of (JsonObject *object,
           const char *member)
{
  return json_object_get_string_member (object, member);
}

static JsonArray *
array_of (JsonObject *object,
          const char *member)
{
  return json_object_get_array_member (object, member);
}

static JsonObject *
nth (JsonArray *array,
     guint      index)
{
  return json_array_get_object_element (array, index);
}

static JsonObject *
find_sign_in (JsonArray  *sign_ins,
              const char *address)
{
  for (guint i = 0; i < json_array_get_length (sign_ins); i++)
    {
      JsonObject *sign_in = nth (sign_ins, i);

      if (g_strcmp0 (string_of (sign_in, "address"), address) == 0)
        return sign_in;
    }

  g_error ("%s is not among the sign-ins", address);
  return NULL;
}

static void
test_sign_ins (Fixture       *fixture,
               gconstpointer  user_data)
{
  g_autoptr(MendTestRun) json = NULL;
  g_autoptr(MendTestRun) text = NULL;
  g_autoptr(MendTestRun) markdown = NULL;
  g_autoptr(JsonObject) root = NULL;
  JsonObject *alice, *damaged;
  JsonArray *sign_ins;

  if (!mend_test_in_rig ())
    return;

  store_sign_ins (fixture);

  json = run_report (fixture, "--format", "json", NULL);
  g_assert_cmpint (json->exit_status, ==, 0);
  mend_test_assert_no_piece (json, tokens);

  root = mend_test_parse_json_object (json->out);
  g_assert_cmpuint (json_array_get_length (array_of (root, "accounts")), ==, 0);
  sign_ins = array_of (root, "sign_ins");

  alice = find_sign_in (sign_ins, fixture->alice);
  g_assert_false (json_object_get_boolean_member (alice, "damaged"));
  g_assert_cmpstr (string_of (alice, "tenant_type"), ==, "consumer");
  g_assert_cmpstr (string_of (alice, "expires_at"), ==, "2031-05-17T08:30:00Z");
  g_assert_cmpstr (string_of (alice, "authority"), ==,
                   "https://login.microsoftonline.com");
  g_assert_cmpuint (json_array_get_length (array_of (alice, "scopes")), ==, 3);

  damaged = find_sign_in (sign_ins, fixture->damaged);
  g_assert_true (json_object_get_boolean_member (damaged, "damaged"));

  text = run_report (fixture, NULL);
  g_assert_cmpint (text->exit_status, ==, 0);
  mend_test_assert_no_piece (text, tokens);
  g_assert_nonnull (strstr (text->out, fixture->alice));
  g_assert_nonnull (strstr (text->out, "personal account"));
  g_assert_nonnull (strstr (text->out, "Access token expires: 2031-05-17 08:30 UTC"));

  markdown = run_report (fixture, "--format", "markdown", NULL);
  g_assert_cmpint (markdown->exit_status, ==, 0);
  mend_test_assert_no_piece (markdown, tokens);
}

static void
test_masked (Fixture       *fixture,
             gconstpointer  user_data)
{
  g_autoptr(MendTestRun) run = NULL;

  if (!mend_test_in_rig ())
    return;

  store_sign_ins (fixture);

  run = run_report (fixture, "--mask-addresses", NULL);
  g_assert_cmpint (run->exit_status, ==, 0);
  mend_test_assert_no_piece (run, tokens);
  g_assert_null (strstr (run->out, fixture->alice));
  g_assert_null (strstr (run->out, fixture->damaged));
  g_assert_nonnull (strstr (run->out, "@outlook.com: personal account"));
  g_assert_nonnull (strstr (run->out, ".example: damaged, sign in again"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_set_prgname ("test-cli-report-keyring");

  g_test_add ("/cli-report-keyring/sign-ins", Fixture, NULL,
              fixture_setup, test_sign_ins, fixture_teardown);
  g_test_add ("/cli-report-keyring/masked", Fixture, NULL,
              fixture_setup, test_masked, fixture_teardown);

  return g_test_run ();
}
