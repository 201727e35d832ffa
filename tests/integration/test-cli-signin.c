/* test-cli-signin.c: `mailmend signin` on the rig's real keyring, against the fake provider
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Each test starts its own mend-fake-idp and points the CLI at it (--authority, --client-id).
 * The device code: the test reads the code from the CLI's stderr as it is printed and approves
 * it (or declines it, or lets it expire). The browser: the test opens the authorize address
 * the CLI printed, submits the fake's form as a browser would, and pastes the address it was
 * redirected to on the CLI's stdin (or a forged one, or a refusal). Also the option checks, a
 * missing client id, an unreachable provider, and no secret in the debug output.
 */

#include "config.h"

#include <unistd.h>

#include <gio/gio.h>
#include <libsecret/secret.h>
#include <libsoup/soup.h>

#include "mend-test-oauth.h"
#include "mend-token-store.h"

/* The fake's tenant id for addresses that are not Outlook.com, Hotmail, Live or MSN. */
#define ORGANIZATION_TID "c0ffee00-0000-4000-8000-00000000cafe"

static const char * const short_device_code[] = { "--device-code-lifetime=2", NULL };
static const char * const short_lived[] = { "--expires-in=60", NULL };

typedef struct
{
  MendTestIdp *idp;
  char        *address;
  char        *signed_in;
} Fixture;

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  user_data)
{
  static guint counter;

  fixture->address = g_strdup_printf ("signin-%u-%u@example.com", (guint) getpid (), ++counter);
  fixture->signed_in = g_strdup_printf ("Signed in as %s\n", fixture->address);

  if (g_getenv ("MAILMEND_TEST_RIG") != NULL)
    fixture->idp = mend_test_idp_start (user_data);
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  user_data)
{
  mend_test_forget (fixture->address);
  g_clear_pointer (&fixture->idp, mend_test_idp_stop);
  g_clear_pointer (&fixture->address, g_free);
  g_clear_pointer (&fixture->signed_in, g_free);
}

static MendOAuthToken *
lookup (Fixture *fixture)
{
  g_autoptr(MendTokenStore) store = mend_token_store_new ();
  g_autoptr(GError) error = NULL;
  MendOAuthToken *token;

  token = mend_token_store_lookup_sync (store, fixture->address, NULL, &error);
  g_assert_no_error (error);

  return token;
}

/* The stored sign-in came from the fake, and no secret of it reached the output. */
static void
assert_stored (Fixture     *fixture,
               MendTestRun *run)
{
  g_autoptr(MendOAuthToken) token = lookup (fixture);

  g_assert_nonnull (token);
  g_assert_cmpstr (mend_oauth_token_get_address (token), ==, fixture->address);
  g_assert_cmpstr (mend_oauth_token_get_authority (token), ==, fixture->idp->base);
  g_assert_cmpstr (mend_oauth_token_get_tenant (token), ==, "common");
  g_assert_cmpstr (mend_oauth_token_get_client_id (token), ==, MEND_TEST_CLIENT_ID);
  g_assert_cmpstr (mend_oauth_token_get_tenant_id (token), ==, ORGANIZATION_TID);
  g_assert_true (g_strv_contains (mend_oauth_token_get_scopes (token),
                                  "https://outlook.office.com/IMAP.AccessAsUser.All"));
  g_assert_true (g_strv_contains (mend_oauth_token_get_scopes (token),
                                  "https://outlook.office.com/SMTP.Send"));
  g_assert_false (mend_oauth_token_expires_within (token, 30 * G_TIME_SPAN_MINUTE));

  mend_test_assert_absent (run, "access token", mend_oauth_token_get_access_token (token));
  mend_test_assert_absent (run, "refresh token", mend_oauth_token_get_refresh_token (token));
}

static void
assert_not_stored (Fixture *fixture)
{
  g_autoptr(MendOAuthToken) token = lookup (fixture);

  g_assert_null (token);
}

static MendTestCli *
spawn_signin (Fixture  *fixture,
              gboolean  device_code)
{
  const char *env[] = { "G_MESSAGES_DEBUG=all", NULL };
  const char *args[] = { "signin", fixture->address, "--authority", fixture->idp->base,
                         "--client-id", MEND_TEST_CLIENT_ID,
                         device_code ? "--device-code" : NULL, NULL };

  return mend_test_cli_spawn (env, args);
}

/* Returns: (transfer full): the user code the CLI printed */
static char *
wait_for_user_code (MendTestCli *cli)
{
  g_autofree char *line = mend_test_cli_wait_for_line (cli, "and enter the code ");
  const char *code = strrchr (line, ' ') + 1;

  g_assert_true (g_str_has_prefix (line, "Open "));
  g_assert_nonnull (strstr (line, "/devicelogin "));
  g_assert_cmpuint (strlen (code), >=, 8);

  return g_strdup (code);
}

/* Returns: (transfer full): the authorize address the CLI printed */
static char *
wait_for_authorize_url (Fixture     *fixture,
                        MendTestCli *cli)
{
  g_autofree char *start = g_strconcat (fixture->idp->base, "/common/oauth2/v2.0/authorize?", NULL);
  g_autofree char *line = mend_test_cli_wait_for_line (cli, start);
  g_autofree char *hint = g_uri_escape_string (fixture->address, NULL, FALSE);
  g_autofree char *login_hint = g_strconcat ("login_hint=", hint, NULL);

  /* Alone on its line, to be copied. */
  g_assert_true (g_str_has_prefix (line, start));
  g_assert_nonnull (strstr (line, login_hint));
  g_assert_nonnull (strstr (line, "code_challenge_method=S256"));
  g_assert_nonnull (strstr (line, "prompt=select_account"));
  g_assert_null (strchr (line, ' '));

  return g_steal_pointer (&line);
}

/* Returns: (transfer full): the `code` of the redirect */
static char *
code_of (const char *location)
{
  g_autoptr(GHashTable) params = NULL;
  const char *query = strchr (location, '?');

  g_assert_nonnull (query);
  params = soup_form_decode (query + 1);

  return g_strdup (g_hash_table_lookup (params, "code"));
}

static void
test_device_code (Fixture       *fixture,
                  gconstpointer  user_data)
{
  g_autoptr(MendTestRun) run = NULL;
  g_autoptr(JsonObject) state = NULL;
  g_autofree char *user_code = NULL;
  MendTestCli *cli;

  if (!mend_test_in_rig ())
    return;

  cli = spawn_signin (fixture, TRUE);
  user_code = wait_for_user_code (cli);
  /* The code is also shown alone, to be read from across the room. */
  g_free (mend_test_cli_wait_for_line (cli, user_code));
  mend_test_idp_control (fixture->idp, "approve", "user_code", user_code,
                         "login", fixture->address, NULL);
  run = mend_test_cli_finish (cli);

  g_assert_cmpint (run->exit_status, ==, 0);
  g_assert_cmpstr (run->out, ==, fixture->signed_in);
  g_assert_nonnull (strstr (run->err, "Waiting for the sign-in"));
  assert_stored (fixture, run);

  state = mend_test_idp_get_state (fixture->idp);
  g_assert_cmpint (mend_test_state_count (state, "device_codes", "issued"), ==, 1);
  g_assert_cmpint (mend_test_state_count (state, "device_codes", "redeemed"), ==, 1);
}

/* Microsoft's account picker lets the user sign in as somebody else: kept for the address
 * asked for (it may be an alias), with a warning naming both. */
static void
test_other_account (Fixture       *fixture,
                    gconstpointer  user_data)
{
  g_autoptr(MendTestRun) run = NULL;
  g_autoptr(MendTestRun) accounts_run = NULL;
  g_autoptr(MendOAuthToken) token = NULL;
  g_autofree char *user_code = NULL;
  g_autofree char *warning = NULL;
  const char *accounts_args[] = { "accounts", "--json", NULL };
  const char *other = "somebody-else@example.com";
  MendTestCli *cli;

  if (!mend_test_in_rig ())
    return;

  cli = spawn_signin (fixture, TRUE);
  user_code = wait_for_user_code (cli);
  mend_test_idp_control (fixture->idp, "approve", "user_code", user_code, "login", other, NULL);
  run = mend_test_cli_finish (cli);

  g_assert_cmpint (run->exit_status, ==, 0);
  g_assert_cmpstr (run->out, ==, fixture->signed_in);
  warning = g_strdup_printf ("Microsoft signed you in as %s, not %s.", other, fixture->address);
  g_assert_nonnull (strstr (run->err, warning));

  token = lookup (fixture);
  g_assert_nonnull (token);
  g_assert_cmpstr (mend_oauth_token_get_signed_in_as (token), ==, other);
  g_assert_true (mend_oauth_token_signed_in_as_other (token));

  accounts_run = mend_test_run_cli (NULL, NULL, accounts_args);
  g_assert_cmpint (accounts_run->exit_status, ==, 0);
  g_assert_nonnull (strstr (accounts_run->out, "\"signed_in_as\" : \"somebody-else@example.com\""));
}

/* A provider with a private CA: `--ca-file` at sign-in is kept with the sign-in, so
 * `mailmend token` refreshes at the same https server without being told again. */
static void
test_ca_file (Fixture       *fixture,
              gconstpointer  user_data)
{
  g_autoptr(MendTestRun) run = NULL;
  g_autoptr(MendTestRun) token_run = NULL;
  g_autoptr(MendTestRun) untrusted_run = NULL;
  g_autoptr(MendOAuthToken) before = NULL;
  g_autoptr(MendOAuthToken) after = NULL;
  g_autoptr(JsonObject) state = NULL;
  g_autofree char *user_code = NULL;
  g_autofree char *expected = NULL;
  const char *token_args[] = { "token", fixture->address, NULL };
  const char *untrusted_args[] = { "signin", fixture->address, "--device-code",
                                   "--authority", NULL, "--client-id", MEND_TEST_CLIENT_ID, NULL };
  const char *args[] = { "signin", fixture->address, "--device-code", "--authority", NULL,
                         "--client-id", MEND_TEST_CLIENT_ID, "--ca-file", NULL, NULL };
  MendTestCli *cli;

  if (!mend_test_in_rig ())
    return;

  /* The fixture's plain-http provider is not used here. */
  g_clear_pointer (&fixture->idp, mend_test_idp_stop);
  fixture->idp = mend_test_idp_start_tls (short_lived);
  g_assert_true (g_str_has_prefix (fixture->idp->base, "https://127.0.0.1:"));

  /* Without the CA, the certificate is refused: no sign-in starts. */
  untrusted_args[4] = fixture->idp->base;
  untrusted_run = mend_test_run_cli (NULL, NULL, untrusted_args);
  g_assert_cmpint (untrusted_run->exit_status, ==, 5);
  assert_not_stored (fixture);

  args[4] = fixture->idp->base;
  args[8] = fixture->idp->ca_file;
  cli = mend_test_cli_spawn (NULL, args);
  user_code = wait_for_user_code (cli);
  mend_test_idp_control (fixture->idp, "approve", "user_code", user_code,
                         "login", fixture->address, NULL);
  run = mend_test_cli_finish (cli);
  g_assert_cmpint (run->exit_status, ==, 0);

  before = lookup (fixture);
  g_assert_cmpstr (mend_oauth_token_get_ca_file (before), ==, fixture->idp->ca_file);

  /* A token that expires within 5 minutes makes `mailmend token` refresh, over TLS, with
   * the kept CA. */
  token_run = mend_test_run_cli (NULL, NULL, token_args);
  g_assert_cmpint (token_run->exit_status, ==, 0);
  after = lookup (fixture);
  g_assert_cmpstr (mend_oauth_token_get_access_token (after), !=,
                   mend_oauth_token_get_access_token (before));
  expected = g_strconcat (mend_oauth_token_get_access_token (after), "\n", NULL);
  g_assert_cmpstr (token_run->out, ==, expected);
  g_assert_cmpstr (mend_oauth_token_get_ca_file (after), ==, fixture->idp->ca_file);

  state = mend_test_idp_get_state (fixture->idp);
  g_assert_cmpint (mend_test_state_count (state, "refresh_tokens", "used"), ==, 1);
}

static void
test_paste (Fixture       *fixture,
            gconstpointer  user_data)
{
  g_autoptr(MendTestRun) run = NULL;
  g_autoptr(MendTestRun) token_run = NULL;
  g_autoptr(MendOAuthToken) token = NULL;
  g_autofree char *url = NULL;
  g_autofree char *location = NULL;
  g_autofree char *code = NULL;
  g_autofree char *pasted = NULL;
  g_autofree char *expected = NULL;
  const char *token_args[] = { "token", fixture->address, NULL };
  MendTestCli *cli;

  if (!mend_test_in_rig ())
    return;

  cli = spawn_signin (fixture, FALSE);
  url = wait_for_authorize_url (fixture, cli);
  location = mend_test_idp_browse (fixture->idp, url, fixture->address, "accept");
  g_assert_true (g_str_has_prefix (location,
                                   "https://login.microsoftonline.com/common/oauth2/nativeclient?"));
  code = code_of (location);

  /* As pasted from an address bar: surrounded by blanks, after an empty line. */
  pasted = g_strdup_printf ("\n  %s  \n", location);
  mend_test_cli_write (cli, pasted);
  run = mend_test_cli_finish (cli);

  g_assert_cmpint (run->exit_status, ==, 0);
  g_assert_cmpstr (run->out, ==, fixture->signed_in);
  assert_stored (fixture, run);
  mend_test_assert_absent (run, "authorization code", code);

  /* And mail apps get the token. */
  token = lookup (fixture);
  token_run = mend_test_run_cli (NULL, NULL, token_args);
  g_assert_cmpint (token_run->exit_status, ==, 0);
  expected = g_strconcat (mend_oauth_token_get_access_token (token), "\n", NULL);
  g_assert_cmpstr (token_run->out, ==, expected);
}

static void
test_state_mismatch (Fixture       *fixture,
                     gconstpointer  user_data)
{
  g_autoptr(MendTestRun) run = NULL;
  g_autoptr(JsonObject) state = NULL;
  g_autoptr(GRegex) regex = g_regex_new ("state=[^&]*", 0, 0, NULL);
  g_autofree char *url = NULL;
  g_autofree char *location = NULL;
  g_autofree char *forged = NULL;
  g_autofree char *line = NULL;
  MendTestCli *cli;

  if (!mend_test_in_rig ())
    return;

  cli = spawn_signin (fixture, FALSE);
  url = wait_for_authorize_url (fixture, cli);
  location = mend_test_idp_browse (fixture->idp, url, fixture->address, "accept");

  /* A valid code, but with the state of another sign-in. */
  forged = g_regex_replace_literal (regex, location, -1, 0,
                                    "state=Zm9yZ2VkLXN0YXRlLW9mLWFub3RoZXItc2lnbi1pbg", 0, NULL);
  g_assert_cmpstr (forged, !=, location);
  line = g_strconcat (forged, "\n", NULL);
  mend_test_cli_write (cli, line);
  run = mend_test_cli_finish (cli);

  g_assert_cmpint (run->exit_status, ==, 1);
  g_assert_cmpstr (run->out, ==, "");
  g_assert_nonnull (strstr (run->err, "The sign-in answer does not match"));
  assert_not_stored (fixture);

  /* The code was never even tried. */
  state = mend_test_idp_get_state (fixture->idp);
  g_assert_cmpint (mend_test_state_count (state, "codes", "issued"), ==, 1);
  g_assert_cmpint (mend_test_state_count (state, "codes", "redeemed"), ==, 0);
}

static void
test_access_denied (Fixture       *fixture,
                    gconstpointer  user_data)
{
  g_autoptr(MendTestRun) run = NULL;
  g_autofree char *url = NULL;
  g_autofree char *location = NULL;
  g_autofree char *line = NULL;
  MendTestCli *cli;

  if (!mend_test_in_rig ())
    return;

  cli = spawn_signin (fixture, FALSE);
  url = wait_for_authorize_url (fixture, cli);
  location = mend_test_idp_browse (fixture->idp, url, fixture->address, "decline");
  g_assert_nonnull (strstr (location, "error=access_denied"));
  line = g_strconcat (location, "\n", NULL);
  mend_test_cli_write (cli, line);
  run = mend_test_cli_finish (cli);

  g_assert_cmpint (run->exit_status, ==, 1);
  g_assert_cmpstr (run->out, ==, "");
  /* consent-declined, with Microsoft's code for support. */
  g_assert_nonnull (strstr (run->err, "The permissions were not granted"));
  g_assert_nonnull (strstr (run->err, "AADSTS65004"));
  g_assert_nonnull (strstr (run->err, "Sign in again and choose Accept"));
  assert_not_stored (fixture);
}

static void
test_nothing_pasted (Fixture       *fixture,
                     gconstpointer  user_data)
{
  const char *args[] = { "signin", fixture->address, "--authority", NULL,
                         "--client-id", MEND_TEST_CLIENT_ID, NULL };
  g_autoptr(MendTestRun) run = NULL;

  if (!mend_test_in_rig ())
    return;

  args[3] = fixture->idp->base;

  run = mend_test_run_cli (NULL, "\n\n", args);
  g_assert_cmpint (run->exit_status, ==, 1);
  g_assert_cmpstr (run->out, ==, "");
  g_assert_nonnull (strstr (run->err, "No address was pasted"));
  g_clear_pointer (&run, mend_test_run_free);

  /* Something that is not the end of a sign-in. */
  run = mend_test_run_cli (NULL, "https://example.com/?code=abc&state=def\n", args);
  g_assert_cmpint (run->exit_status, ==, 1);
  g_assert_nonnull (strstr (run->err, "not the end of Microsoft’s sign-in"));
  assert_not_stored (fixture);
}

static void
test_no_client_id (Fixture       *fixture,
                   gconstpointer  user_data)
{
  const char *args[] = { "signin", "alice@example.com", "--device-code", NULL };
  g_autoptr(MendTestRun) run = NULL;

  if (MICROSOFT_CLIENT_ID[0] != '\0')
    {
      g_test_skip ("this build has a client id built in");
      return;
    }

  /* Runs anywhere: it stops before the keyring and the network. */
  run = mend_test_run_cli (NULL, NULL, args);
  g_assert_cmpint (run->exit_status, ==, 1);
  g_assert_cmpstr (run->out, ==, "");
  /* The client-id-missing finding: what is wrong, and how to give one. */
  g_assert_nonnull (strstr (run->err, "No Microsoft client id is set"));
  g_assert_nonnull (strstr (run->err, "--client-id"));
  g_assert_nonnull (strstr (run->err, "Preferences"));
}

static void
test_bad_options (Fixture       *fixture,
                  gconstpointer  user_data)
{
  const char *bad_client_id[] = { "signin", "alice@example.com", "--client-id", "1234-not-a-guid",
                                  NULL };
  const char *bad_authority[] = { "signin", "alice@example.com", "--authority",
                                  "http://login.example.com", "--client-id", MEND_TEST_CLIENT_ID,
                                  NULL };
  const char *bad_tenant[] = { "signin", "alice@example.com", "--tenant", "no such tenant",
                               "--client-id", MEND_TEST_CLIENT_ID, NULL };
  const char *bad_ca_file[] = { "signin", "alice@example.com", "--client-id", MEND_TEST_CLIENT_ID,
                                "--ca-file", "/nonexistent/ca.pem", NULL };
  const char *no_address[] = { "signin", NULL };
  const char *not_an_address[] = { "signin", "alice", NULL };
  g_autoptr(MendTestRun) run = NULL;

  /* Runs anywhere: it stops before the keyring and the network. */
  run = mend_test_run_cli (NULL, NULL, bad_client_id);
  g_assert_cmpint (run->exit_status, ==, 2);
  g_assert_cmpstr (run->out, ==, "");
  g_assert_nonnull (strstr (run->err, "“1234-not-a-guid” is not a valid client id"));
  g_clear_pointer (&run, mend_test_run_free);

  run = mend_test_run_cli (NULL, NULL, bad_authority);
  g_assert_cmpint (run->exit_status, ==, 2);
  g_assert_nonnull (strstr (run->err, "http://login.example.com"));
  g_assert_nonnull (strstr (run->err, "loopback"));
  g_clear_pointer (&run, mend_test_run_free);

  run = mend_test_run_cli (NULL, NULL, bad_tenant);
  g_assert_cmpint (run->exit_status, ==, 2);
  g_assert_nonnull (strstr (run->err, "“no such tenant” is not a valid tenant"));
  g_clear_pointer (&run, mend_test_run_free);

  run = mend_test_run_cli (NULL, NULL, bad_ca_file);
  g_assert_cmpint (run->exit_status, ==, 2);
  g_assert_nonnull (strstr (run->err, "/nonexistent/ca.pem"));
  g_clear_pointer (&run, mend_test_run_free);

  run = mend_test_run_cli (NULL, NULL, no_address);
  g_assert_cmpint (run->exit_status, ==, 2);
  g_clear_pointer (&run, mend_test_run_free);

  run = mend_test_run_cli (NULL, NULL, not_an_address);
  g_assert_cmpint (run->exit_status, ==, 2);
}

static void
test_device_code_declined (Fixture       *fixture,
                           gconstpointer  user_data)
{
  g_autoptr(MendTestRun) run = NULL;
  g_autofree char *user_code = NULL;
  MendTestCli *cli;

  if (!mend_test_in_rig ())
    return;

  cli = spawn_signin (fixture, TRUE);
  user_code = wait_for_user_code (cli);
  mend_test_idp_control (fixture->idp, "decline", "user_code", user_code, NULL);
  run = mend_test_cli_finish (cli);

  g_assert_cmpint (run->exit_status, ==, 1);
  g_assert_cmpstr (run->out, ==, "");
  g_assert_nonnull (strstr (run->err, "The sign-in was declined on the other device"));
  assert_not_stored (fixture);
}

static void
test_device_code_expired (Fixture       *fixture,
                          gconstpointer  user_data)
{
  g_autoptr(MendTestRun) run = NULL;
  g_autofree char *user_code = NULL;
  MendTestCli *cli;

  if (!mend_test_in_rig ())
    return;

  /* The fake's codes last 2 seconds here; nobody approves this one. */
  cli = spawn_signin (fixture, TRUE);
  user_code = wait_for_user_code (cli);
  run = mend_test_cli_finish (cli);

  g_assert_cmpint (run->exit_status, ==, 1);
  g_assert_cmpstr (run->out, ==, "");
  g_assert_nonnull (strstr (run->err, "The code has expired"));
  assert_not_stored (fixture);
}

static void
test_provider_unreachable (Fixture       *fixture,
                           gconstpointer  user_data)
{
  g_autofree char *authority = NULL;
  g_autoptr(MendTestRun) run = NULL;
  const char *args[] = { "signin", fixture->address, "--device-code", "--authority", NULL,
                         "--client-id", MEND_TEST_CLIENT_ID, NULL };

  if (!mend_test_in_rig ())
    return;

  /* Where a fake was, and is no more. */
  authority = g_strdup (fixture->idp->base);
  g_clear_pointer (&fixture->idp, mend_test_idp_stop);
  args[4] = authority;

  run = mend_test_run_cli (NULL, NULL, args);
  g_assert_cmpint (run->exit_status, ==, 5);
  g_assert_cmpstr (run->out, ==, "");
  g_assert_nonnull (strstr (run->err, "sign-in service cannot be reached"));
}

static void
test_provider_error (Fixture       *fixture,
                     gconstpointer  user_data)
{
  const char *args[] = { "signin", fixture->address, "--device-code", "--authority", NULL,
                         "--client-id", MEND_TEST_CLIENT_ID, NULL };
  g_autoptr(MendTestRun) run = NULL;

  if (!mend_test_in_rig ())
    return;

  args[4] = fixture->idp->base;

  /* A 503 is the provider's trouble: exit 5, like the network. */
  mend_test_idp_control (fixture->idp, "next-error", "endpoint", "devicecode", "status", "503",
                         NULL);
  run = mend_test_run_cli (NULL, NULL, args);
  g_assert_cmpint (run->exit_status, ==, 5);
  g_assert_nonnull (strstr (run->err, "sign-in service had a problem"));
  g_clear_pointer (&run, mend_test_run_free);

  /* An AADSTS error is a finding, with its code: exit 1. */
  mend_test_idp_control (fixture->idp, "next-error", "endpoint", "devicecode", "aadsts", "700016",
                         NULL);
  run = mend_test_run_cli (NULL, NULL, args);
  g_assert_cmpint (run->exit_status, ==, 1);
  g_assert_nonnull (strstr (run->err, "Microsoft does not accept this app registration"));
  g_assert_nonnull (strstr (run->err, "AADSTS700016"));
  assert_not_stored (fixture);
}

int
main (int   argc,
      char *argv[])
{
  int ret;

  g_test_init (&argc, &argv, NULL);
  g_set_prgname ("test-cli-signin");

#define ADD(path, args, func) \
  g_test_add (path, Fixture, args, fixture_setup, func, fixture_teardown)
  ADD ("/cli-signin/device-code", NULL, test_device_code);
  ADD ("/cli-signin/paste", NULL, test_paste);
  ADD ("/cli-signin/other-account", NULL, test_other_account);
  ADD ("/cli-signin/ca-file", NULL, test_ca_file);
  ADD ("/cli-signin/state-mismatch", NULL, test_state_mismatch);
  ADD ("/cli-signin/access-denied", NULL, test_access_denied);
  ADD ("/cli-signin/nothing-pasted", NULL, test_nothing_pasted);
  ADD ("/cli-signin/no-client-id", NULL, test_no_client_id);
  ADD ("/cli-signin/bad-options", NULL, test_bad_options);
  ADD ("/cli-signin/device-code-declined", NULL, test_device_code_declined);
  ADD ("/cli-signin/device-code-expired", short_device_code, test_device_code_expired);
  ADD ("/cli-signin/provider-unreachable", NULL, test_provider_unreachable);
  ADD ("/cli-signin/provider-error", NULL, test_provider_error);
#undef ADD

  ret = g_test_run ();
  secret_service_disconnect ();

  return ret;
}
