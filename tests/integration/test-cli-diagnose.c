/* test-cli-diagnose.c: `mailmend diagnose` with every part on loopback
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The status feed is a closed port (so: unknown, never blocking), the connection checks go to
 * the rig's Dovecot (MAILMEND_PREFLIGHT_TARGETS), the scan reads a copy of the demo home, and
 * the sign-in made at the fake provider logs in to Dovecot. The JSON has each part, and the
 * exit status says whether anything was found.
 */

#include "config.h"

#include <unistd.h>

#include <gio/gio.h>
#include <json-glib/json-glib.h>
#include <libsecret/secret.h>

#include "mend-test-mail-server.h"
#include "mend-test-oauth.h"
#include "mend-test-scan.h"

typedef struct
{
  MendTestIdp        *idp;
  MendTestMailServer *server;
  MendTestScan       *home;
  char               *address;
} Fixture;

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  g_autofree char *introspection_url = NULL;
  g_autoptr(GError) error = NULL;

  if (!mend_test_mail_server_can_run ())
    return;

  fixture->address = g_strdup_printf ("diagnose-%u@example.com", (guint) getpid ());
  fixture->idp = mend_test_idp_start (NULL);
  introspection_url = g_strconcat (fixture->idp->base, "/introspect", NULL);
  fixture->server = mend_test_mail_server_start (introspection_url, &error);
  g_assert_no_error (error);
  fixture->home = mend_test_scan_new ("demo");
  mend_test_scan_set_running (fixture->home, NULL);
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  if (fixture->address != NULL)
    mend_test_forget (fixture->address);
  g_clear_pointer (&fixture->home, mend_test_scan_free);
  g_clear_pointer (&fixture->server, mend_test_mail_server_stop);
  g_clear_pointer (&fixture->idp, mend_test_idp_stop);
  g_clear_pointer (&fixture->address, g_free);
}

static MendTestRun *
run_diagnose (Fixture    *fixture,
              gboolean    json)
{
  guint16 imaps = mend_test_mail_server_get_imaps_port (fixture->server);
  guint16 submission = mend_test_mail_server_get_submission_port (fixture->server);
  g_autofree char *home = g_strconcat ("HOME=", fixture->home->home, NULL);
  g_autofree char *config = g_strconcat ("XDG_CONFIG_HOME=", fixture->home->home, "/.config", NULL);
  g_autofree char *proc = g_strconcat ("MAILMEND_PROC_DIR=", fixture->home->proc_dir, NULL);
  g_autofree char *targets = g_strdup_printf ("MAILMEND_PREFLIGHT_TARGETS=tls:127.0.0.1:%u "
                                              "smtp:127.0.0.1:%u", imaps, submission);
  g_autofree char *imap = g_strdup_printf ("imaps://127.0.0.1:%u", imaps);
  g_autofree char *smtp = g_strdup_printf ("smtp://127.0.0.1:%u", submission);
  const char *env[] = { home, config, proc, targets, "MAILMEND_STATUS_URL=http://127.0.0.1:1/",
                        "LC_ALL=C.UTF-8", NULL };
  const char *args[] = { "diagnose", "--imap", imap, "--smtp", smtp, "--ca-file",
                         mend_test_mail_server_get_ca_file (fixture->server),
                         json ? "--json" : NULL, NULL };

  return mend_test_run_cli (env, NULL, args);
}

static JsonObject *
parse_object (const char *text)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  json_parser_load_from_data (parser, text, -1, &error);
  g_assert_no_error (error);

  return json_object_ref (json_node_get_object (json_parser_get_root (parser)));
}

static gboolean
has_finding (JsonArray  *findings,
             const char *id)
{
  for (guint i = 0; i < json_array_get_length (findings); i++)
    {
      if (g_strcmp0 (json_object_get_string_member (json_array_get_object_element (findings, i), "id"),
                     id) == 0)
        return TRUE;
    }

  return FALSE;
}

static void
test_everything (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(MendOAuthToken) token = NULL;
  g_autoptr(MendTestRun) run = NULL;
  g_autoptr(MendTestRun) text = NULL;
  g_autoptr(JsonObject) result = NULL;
  JsonObject *status;
  JsonObject *scan;
  JsonArray *verifications;
  JsonObject *verification = NULL;
  JsonArray *checks;
  JsonArray *all;

  if (fixture->server == NULL)
    return;

  token = mend_test_idp_sign_in (fixture->idp, fixture->address);

  run = run_diagnose (fixture, TRUE);
  /* The demo home's accounts still use passwords: something was found. */
  g_assert_cmpint (run->exit_status, ==, 1);
  result = parse_object (run->out);

  /* The feed could not be read: unknown, said so, and nothing else held back. */
  status = json_object_get_object_member (result, "status");
  g_assert_cmpstr (json_object_get_string_member (status, "state"), ==, "unknown");

  /* The connection checks reached both servers, with the CA given. */
  g_assert_true (has_finding (json_object_get_array_member (json_object_get_object_member (result, "connection"),
                                                            "findings"),
                              "network-ok"));

  scan = json_object_get_object_member (result, "scan");
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (scan, "accounts")), >, 0);

  verifications = json_object_get_array_member (result, "verifications");
  for (guint i = 0; i < json_array_get_length (verifications); i++)
    {
      JsonObject *candidate = json_array_get_object_element (verifications, i);

      if (g_strcmp0 (json_object_get_string_member (candidate, "address"), fixture->address) == 0)
        verification = candidate;
    }
  g_assert_nonnull (verification);
  checks = json_object_get_array_member (verification, "checks");
  g_assert_cmpuint (json_array_get_length (checks), ==, 2);
  for (guint i = 0; i < json_array_get_length (checks); i++)
    g_assert_true (json_object_get_boolean_member (json_array_get_object_element (checks, i), "ok"));

  all = json_object_get_array_member (result, "all_findings");
  g_assert_true (has_finding (all, "service-status-unknown"));
  g_assert_true (has_finding (all, "basic-auth"));
  g_assert_false (has_finding (all, "token-rejected"));

  mend_test_assert_absent (run, "access token", mend_oauth_token_get_access_token (token));
  mend_test_assert_absent (run, "refresh token", mend_oauth_token_get_refresh_token (token));

  /* The same, in words. */
  text = run_diagnose (fixture, FALSE);
  g_assert_cmpint (text->exit_status, ==, 1);
  g_assert_nonnull (strstr (text->out, fixture->address));
  g_assert_nonnull (strstr (text->out, "alice.martin@outlook.com"));
  mend_test_assert_absent (text, "access token", mend_oauth_token_get_access_token (token));
}

/* A revoked sign-in is refused by the mail server, and the diagnosis says so. */
static void
test_revoked (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(MendOAuthToken) token = NULL;
  g_autoptr(MendTestRun) run = NULL;
  g_autoptr(JsonObject) result = NULL;

  if (fixture->server == NULL)
    return;

  token = mend_test_idp_sign_in (fixture->idp, fixture->address);
  mend_test_idp_control (fixture->idp, "revoke", "login", fixture->address, NULL);

  run = run_diagnose (fixture, TRUE);
  g_assert_cmpint (run->exit_status, ==, 1);
  result = parse_object (run->out);
  g_assert_true (has_finding (json_object_get_array_member (result, "all_findings"),
                              "token-rejected"));
}

int
main (int   argc,
      char *argv[])
{
  int ret;

  g_test_init (&argc, &argv, NULL);
  g_set_prgname ("test-cli-diagnose");

  g_test_add ("/cli-diagnose/everything", Fixture, NULL, fixture_setup, test_everything,
              fixture_teardown);
  g_test_add ("/cli-diagnose/revoked", Fixture, NULL, fixture_setup, test_revoked,
              fixture_teardown);

  ret = g_test_run ();
  secret_service_disconnect ();

  return ret;
}
