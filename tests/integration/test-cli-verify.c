/* test-cli-verify.c: `mailmend verify` against the rig's real Dovecot
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Each test starts the fake identity provider, signs an address in there (the tokens go to the
 * rig's keyring), and starts tests/harness/mail-server: Dovecot checks every XOAUTH2 token
 * against the provider's /introspect. Then `mailmend verify` signs in for real: IMAPS, SMTPS
 * and POP3S; IMAP, submission and POP3 with STARTTLS; after the provider revoked the tokens
 * (token-rejected); with the wrong trust anchors (tls-failure); as JSON; without a sign-in
 * (exit 3) or a keyring (exit 4); and never a token in what it prints, debug output included.
 */

#include "config.h"

#include <unistd.h>

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "mend-oauth-settings.h"
#include "mend-test-mail-server.h"
#include "mend-test-oauth.h"
#include "mend-token-store.h"

typedef struct
{
  MendTestIdp        *idp;
  MendTestMailServer *server;
  MendOAuthToken     *token;
  char               *address;
} Fixture;

/* As `mailmend signin --pop` would have it: a token without POP access makes the POP check
 * report a missing scope rather than what the server thinks of the token. */
static void
grant_pop (MendOAuthToken *token)
{
  g_autoptr(MendTokenStore) store = mend_token_store_new ();
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) scopes = NULL;
  g_autoptr(GError) error = NULL;

  g_strv_builder_addv (builder, (const char **) mend_oauth_token_get_scopes (token));
  g_strv_builder_add (builder, MEND_OAUTH_SCOPE_POP);
  scopes = g_strv_builder_end (builder);
  mend_oauth_token_set_scopes (token, (const char * const *) scopes);

  mend_token_store_store_sync (store, token, NULL, &error);
  g_assert_no_error (error);
}

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  user_data)
{
  static guint counter;
  g_autofree char *introspection_url = NULL;
  g_autoptr(GError) error = NULL;

  fixture->address = g_strdup_printf ("verify-%u-%u@example.com", (guint) getpid (), ++counter);

  if (!mend_test_mail_server_can_run ())
    return;

  fixture->idp = mend_test_idp_start (NULL);
  fixture->token = mend_test_idp_sign_in (fixture->idp, fixture->address);
  grant_pop (fixture->token);

  introspection_url = g_strconcat (fixture->idp->base, "/introspect", NULL);
  fixture->server = mend_test_mail_server_start (introspection_url, &error);
  g_assert_no_error (error);
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  user_data)
{
  mend_test_forget (fixture->address);
  g_clear_pointer (&fixture->server, mend_test_mail_server_stop);
  g_clear_pointer (&fixture->idp, mend_test_idp_stop);
  g_clear_object (&fixture->token);
  g_clear_pointer (&fixture->address, g_free);
}

static char *
url (const char *scheme,
     guint16     port)
{
  return g_strdup_printf ("%s://127.0.0.1:%u", scheme, port);
}

/* Runs `mailmend verify` for the fixture's address against the rig: TLS from the first byte,
 * or STARTTLS; trusting @ca_file (the rig's CA when it is %NULL, none when it is ""). */
static MendTestRun *
run_verify (Fixture            *fixture,
            gboolean            starttls,
            const char         *ca_file,
            gboolean            json,
            const char * const *env)
{
  MendTestMailServer *server = fixture->server;
  g_autofree char *imap = NULL;
  g_autofree char *smtp = NULL;
  g_autofree char *pop = NULL;
  g_autoptr(GPtrArray) args = g_ptr_array_new ();
  g_autofree char *secret_sasl = NULL;
  MendTestRun *run;

  if (starttls)
    {
      imap = url ("imap", mend_test_mail_server_get_imap_port (server));
      smtp = url ("smtp", mend_test_mail_server_get_submission_port (server));
      pop = url ("pop3", mend_test_mail_server_get_pop3_port (server));
    }
  else
    {
      imap = url ("imaps", mend_test_mail_server_get_imaps_port (server));
      smtp = url ("smtps", mend_test_mail_server_get_submissions_port (server));
      pop = url ("pop3s", mend_test_mail_server_get_pop3s_port (server));
    }

  g_ptr_array_add (args, (gpointer) "verify");
  g_ptr_array_add (args, fixture->address);
  g_ptr_array_add (args, (gpointer) "--imap");
  g_ptr_array_add (args, imap);
  g_ptr_array_add (args, (gpointer) "--smtp");
  g_ptr_array_add (args, smtp);
  g_ptr_array_add (args, (gpointer) "--pop");
  g_ptr_array_add (args, pop);
  if (ca_file == NULL || ca_file[0] != '\0')
    {
      g_ptr_array_add (args, (gpointer) "--ca-file");
      g_ptr_array_add (args, (gpointer) (ca_file != NULL
                                           ? ca_file
                                           : mend_test_mail_server_get_ca_file (server)));
    }
  if (json)
    g_ptr_array_add (args, (gpointer) "--json");
  g_ptr_array_add (args, NULL);

  run = mend_test_run_cli (env, NULL, (const char * const *) args->pdata);

  /* Whatever happened: never the token, never the XOAUTH2 string. */
  {
    const char *access_token = mend_oauth_token_get_access_token (fixture->token);
    g_autofree char *plain = g_strdup_printf ("user=%s\001auth=Bearer %s\001\001",
                                              fixture->address, access_token);

    secret_sasl = g_base64_encode ((const guchar *) plain, strlen (plain));
    mend_test_assert_absent (run, "access token", access_token);
    mend_test_assert_absent (run, "refresh token",
                             mend_oauth_token_get_refresh_token (fixture->token));
    mend_test_assert_absent (run, "XOAUTH2 string", secret_sasl);
  }

  return run;
}

static void
assert_lines (const char *text,
              const char *first,
              ...)
{
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);
  va_list args;
  guint n = 0;

  va_start (args, first);
  for (const char *prefix = first; prefix != NULL; prefix = va_arg (args, const char *), n++)
    {
      g_assert_nonnull (lines[n]);
      if (!g_str_has_prefix (lines[n], prefix))
        g_error ("line %u is “%s”, not “%s…”", n + 1, lines[n], prefix);
    }
  va_end (args);

  /* Nothing more than the lines asked for, then the final newline. */
  g_assert_cmpstr (lines[n], ==, "");
  g_assert_null (lines[n + 1]);
}

static void
test_tls (Fixture       *fixture,
          gconstpointer  user_data)
{
  g_autoptr(MendTestRun) run = NULL;

  if (fixture->server == NULL)
    return;

  run = run_verify (fixture, FALSE, NULL, FALSE, NULL);
  g_assert_cmpint (run->exit_status, ==, 0);
  assert_lines (run->out, "✓ IMAP imaps://127.0.0.1:", "✓ SMTP smtps://127.0.0.1:",
                "✓ POP pop3s://127.0.0.1:", NULL);
  g_assert_nonnull (strstr (run->out, ": Signed in and listed the folders\n"));
  g_assert_nonnull (strstr (run->out, ": Signed in (no message sent)\n"));
  g_assert_nonnull (strstr (run->out, ": Signed in and opened the mailbox\n"));
  g_assert_cmpstr (run->err, ==, "");
}

static void
test_starttls (Fixture       *fixture,
               gconstpointer  user_data)
{
  g_autoptr(MendTestRun) run = NULL;
  const char *debug[] = { "G_MESSAGES_DEBUG=all", NULL };

  if (fixture->server == NULL)
    return;

  /* With the debug output, which shows the conversation, the sign-in redacted. */
  run = run_verify (fixture, TRUE, NULL, FALSE, debug);
  g_assert_cmpint (run->exit_status, ==, 0);
  assert_lines (run->out,
                "✓ IMAP imap://127.0.0.1:", "✓ SMTP smtp://127.0.0.1:", "✓ POP pop3://127.0.0.1:",
                NULL);
  g_assert_nonnull (strstr (run->err, "C: A2 STARTTLS"));
  g_assert_nonnull (strstr (run->err, "C: STLS"));
  g_assert_nonnull (strstr (run->err, "AUTHENTICATE XOAUTH2 [XOAUTH2 sign-in of "));
}

static void
test_revoked (Fixture       *fixture,
              gconstpointer  user_data)
{
  g_autoptr(MendTestRun) run = NULL;
  g_autoptr(MendTestRun) json_run = NULL;
  g_autoptr(JsonObject) root = NULL;
  JsonArray *checks;

  if (fixture->server == NULL)
    return;

  /* The provider says the tokens are no longer active; the keyring's copy looks fresh. */
  mend_test_idp_control (fixture->idp, "revoke", NULL);

  run = run_verify (fixture, FALSE, NULL, FALSE, NULL);
  g_assert_cmpint (run->exit_status, ==, 1);
  assert_lines (run->out, "✗ IMAP ", "✗ SMTP ", "✗ POP ", NULL);
  g_assert_nonnull (strstr (run->out, ": The server refused the sign-in\n"));
  g_assert_nonnull (strstr (run->err, "mailmend: The server refused the sign-in: "));
  g_assert_nonnull (strstr (run->err, "AUTHENTICATIONFAILED"));
  g_assert_nonnull (strstr (run->err, "Sign in again"));

  json_run = run_verify (fixture, FALSE, NULL, TRUE, NULL);
  g_assert_cmpint (json_run->exit_status, ==, 1);
  root = mend_test_parse_json_object (json_run->out);
  checks = json_object_get_array_member (root, "checks");
  g_assert_cmpuint (json_array_get_length (checks), ==, 3);
  for (guint i = 0; i < 3; i++)
    {
      JsonObject *check = json_array_get_object_element (checks, i);
      JsonArray *findings = json_object_get_array_member (check, "findings");

      g_assert_false (json_object_get_boolean_member (check, "ok"));
      g_assert_cmpuint (json_array_get_length (findings), ==, 1);
      g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (findings, 0),
                                                      "id"), ==, "token-rejected");
    }
}

static void
test_tls_failure (Fixture       *fixture,
                  gconstpointer  user_data)
{
  /* The system's trust anchors: they do not know the rig's CA. Then a wrong --ca-file. */
  const char *trusted[] = { "", "/etc/ssl/certs/ca-certificates.crt" };

  if (fixture->server == NULL)
    return;

  for (guint i = 0; i < G_N_ELEMENTS (trusted); i++)
    {
      g_autoptr(MendTestRun) run = NULL;
      g_autoptr(JsonObject) root = NULL;
      JsonArray *checks;

      if (trusted[i][0] != '\0' && !g_file_test (trusted[i], G_FILE_TEST_EXISTS))
        continue;

      run = run_verify (fixture, i == 1, trusted[i], TRUE, NULL);
      g_assert_cmpint (run->exit_status, ==, 1);
      root = mend_test_parse_json_object (run->out);
      checks = json_object_get_array_member (root, "checks");
      for (guint j = 0; j < json_array_get_length (checks); j++)
        {
          JsonObject *check = json_array_get_object_element (checks, j);
          JsonObject *finding = json_array_get_object_element (
            json_object_get_array_member (check, "findings"), 0);

          g_assert_cmpstr (json_object_get_string_member (finding, "id"), ==, "tls-failure");
          g_assert_nonnull (strstr (json_object_get_string_member (finding, "details"),
                                    "not signed by a trusted authority"));
        }
    }
}

static void
test_json (Fixture       *fixture,
           gconstpointer  user_data)
{
  g_autoptr(MendTestRun) run = NULL;
  g_autoptr(JsonObject) root = NULL;
  const char *protocols[] = { "imap", "smtp", "pop3" };
  const char *servers[] = { "imaps://127.0.0.1:", "smtps://127.0.0.1:", "pop3s://127.0.0.1:" };
  JsonArray *checks;

  if (fixture->server == NULL)
    return;

  run = run_verify (fixture, FALSE, NULL, TRUE, NULL);
  g_assert_cmpint (run->exit_status, ==, 0);
  g_assert_cmpstr (run->err, ==, "");

  root = mend_test_parse_json_object (run->out);
  g_assert_cmpstr (json_object_get_string_member (root, "address"), ==, fixture->address);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (root, "findings")), ==,
                    0);

  checks = json_object_get_array_member (root, "checks");
  g_assert_cmpuint (json_array_get_length (checks), ==, 3);
  for (guint i = 0; i < 3; i++)
    {
      JsonObject *check = json_array_get_object_element (checks, i);
      JsonArray *transcript = json_object_get_array_member (check, "transcript");

      g_assert_cmpstr (json_object_get_string_member (check, "protocol"), ==, protocols[i]);
      g_assert_true (g_str_has_prefix (json_object_get_string_member (check, "server"),
                                       servers[i]));
      g_assert_true (json_object_get_boolean_member (check, "ok"));
      g_assert_nonnull (json_object_get_string_member (check, "summary"));
      g_assert_cmpuint (json_array_get_length (json_object_get_array_member (check, "findings")),
                        ==, 0);
      g_assert_cmpuint (json_array_get_length (transcript), >, 4);
    }
}

static void
test_pop_only_when_asked (Fixture       *fixture,
                          gconstpointer  user_data)
{
  g_autoptr(MendTestRun) run = NULL;
  g_autofree char *imap = NULL;
  g_autofree char *smtp = NULL;

  if (fixture->server == NULL)
    return;

  imap = url ("imaps", mend_test_mail_server_get_imaps_port (fixture->server));
  smtp = url ("smtp", mend_test_mail_server_get_submission_port (fixture->server));
  {
    const char *args[] = {
      "verify", fixture->address, "--imap", imap, "--smtp", smtp,
      "--ca-file", mend_test_mail_server_get_ca_file (fixture->server), NULL,
    };

    run = mend_test_run_cli (NULL, NULL, args);
  }

  g_assert_cmpint (run->exit_status, ==, 0);
  assert_lines (run->out, "✓ IMAP ", "✓ SMTP ", NULL);
}

static void
test_not_signed_in (Fixture       *fixture,
                    gconstpointer  user_data)
{
  const char *args[] = {
    "verify", "nobody-here@example.com", "--imap", "imaps://127.0.0.1:9", "--smtp",
    "smtp://127.0.0.1:9", NULL,
  };
  g_autoptr(MendTestRun) run = NULL;

  if (fixture->server == NULL)
    return;

  run = mend_test_run_cli (NULL, NULL, args);
  g_assert_cmpint (run->exit_status, ==, 3);
  g_assert_cmpstr (run->out, ==, "");
  g_assert_nonnull (strstr (run->err, "Run: mailmend signin nobody-here@example.com"));
}

static void
test_no_keyring (Fixture       *fixture,
                 gconstpointer  user_data)
{
  const char *env[] = { "DBUS_SESSION_BUS_ADDRESS", "DISPLAY", NULL };
  g_autoptr(MendTestRun) run = NULL;

  if (fixture->server == NULL)
    return;

  run = run_verify (fixture, FALSE, NULL, FALSE, env);
  g_assert_cmpint (run->exit_status, ==, 4);
  g_assert_cmpstr (run->out, ==, "");
}

static void
test_usage (void)
{
  static const struct {
    const char *option;
    const char *value;
  } cases[] = {
    { "--imap", "smtp://smtp.office365.com" },
    { "--smtp", "http://example.com" },
    { "--pop", "[::1" },
    { "--imap", "outlook.office365.com:0" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      const char *args[] = { "verify", "alice@example.com", cases[i].option, cases[i].value,
                             NULL };
      g_autoptr(MendTestRun) run = mend_test_run_cli (NULL, NULL, args);

      /* Refused before anything: no keyring, no network. */
      g_assert_cmpint (run->exit_status, ==, 2);
      g_assert_nonnull (strstr (run->err, "is not a server address"));
      g_assert_cmpstr (run->out, ==, "");
    }

  {
    const char *args[] = { "verify", "not-an-address", NULL };
    g_autoptr(MendTestRun) run = mend_test_run_cli (NULL, NULL, args);

    g_assert_cmpint (run->exit_status, ==, 2);
  }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_set_prgname ("test-cli-verify");

#define ADD(path, func) \
  g_test_add ("/cli-verify/" path, Fixture, NULL, fixture_setup, func, fixture_teardown)

  ADD ("tls", test_tls);
  ADD ("starttls", test_starttls);
  ADD ("revoked", test_revoked);
  ADD ("tls-failure", test_tls_failure);
  ADD ("json", test_json);
  ADD ("pop-only-when-asked", test_pop_only_when_asked);
  ADD ("not-signed-in", test_not_signed_in);
  ADD ("no-keyring", test_no_keyring);
  g_test_add_func ("/cli-verify/usage", test_usage);

#undef ADD

  return g_test_run ();
}
