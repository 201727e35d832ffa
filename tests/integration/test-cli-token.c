/* test-cli-token.c: `mailmend token` on the rig's real keyring, against the fake provider
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Each test starts its own mend-fake-idp and signs an address in with the engine (the stored
 * sign-in records the fake's authority and the test client id), then runs `mailmend token` as
 * msmtp or mbsync would: a fresh token printed as it is or as an XOAUTH2 string; an expiring
 * one renewed, with the new refresh token stored (the fake spends the old one); a revoked
 * refresh token (exit 3); no keyring (exit 4, fast); the provider failing (503) with a token
 * still valid (served, with a warning) or expired (exit 5); two processes at once (one
 * refresh only); and no secret in the debug output.
 */

#include "config.h"

#include <unistd.h>

#include <gio/gio.h>
#include <libsecret/secret.h>

#include "mend-test-oauth.h"
#include "mend-token-store.h"

/* The issue asks for "under a second"; the assertion leaves room for a loaded machine. */
#define NO_KEYRING_LIMIT_US (3 * G_USEC_PER_SEC)

static const char * const short_lived[] = { "--expires-in=60", NULL };

typedef struct
{
  MendTestIdp    *idp;
  char           *address;
  MendOAuthToken *token;
} Fixture;

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  user_data)
{
  static guint counter;

  fixture->address = g_strdup_printf ("token-%u-%u@example.com", (guint) getpid (), ++counter);

  if (g_getenv ("MAILMEND_TEST_RIG") == NULL)
    return;

  fixture->idp = mend_test_idp_start (user_data);
  fixture->token = mend_test_idp_sign_in (fixture->idp, fixture->address);
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  user_data)
{
  mend_test_forget (fixture->address);
  g_clear_pointer (&fixture->idp, mend_test_idp_stop);
  g_clear_object (&fixture->token);
  g_clear_pointer (&fixture->address, g_free);
}

static MendOAuthToken *
lookup (Fixture *fixture)
{
  g_autoptr(MendTokenStore) store = mend_token_store_new ();
  g_autoptr(GError) error = NULL;
  MendOAuthToken *token;

  token = mend_token_store_lookup_sync (store, fixture->address, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (token);

  return token;
}

/* Makes the stored access token expire @seconds from now (negative: in the past). */
static void
set_stored_expiry (Fixture *fixture,
                   int      seconds)
{
  g_autoptr(MendTokenStore) store = mend_token_store_new ();
  g_autoptr(MendOAuthToken) token = lookup (fixture);
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) expires_at = g_date_time_add_seconds (now, seconds);
  g_autoptr(GError) error = NULL;

  mend_oauth_token_set_expires_at (token, expires_at);
  mend_token_store_store_sync (store, token, NULL, &error);
  g_assert_no_error (error);
}

static MendTestRun *
run_token (Fixture            *fixture,
           const char * const *env,
           gboolean            sasl)
{
  const char *args[] = { "token", fixture->address, sasl ? "--sasl" : NULL, NULL };

  return mend_test_run_cli (env, NULL, args);
}

static char *
line_of (const char *token)
{
  return g_strconcat (token, "\n", NULL);
}

static void
test_valid (Fixture       *fixture,
            gconstpointer  user_data)
{
  g_autoptr(MendTestRun) run = NULL;
  g_autoptr(JsonObject) state = NULL;
  g_autofree char *expected = NULL;
  g_autofree char *upper = NULL;
  const char *args[] = { "token", NULL, NULL };

  if (!mend_test_in_rig ())
    return;

  run = run_token (fixture, NULL, FALSE);
  g_assert_cmpint (run->exit_status, ==, 0);
  expected = line_of (mend_oauth_token_get_access_token (fixture->token));
  g_assert_cmpstr (run->out, ==, expected);
  g_assert_cmpstr (run->err, ==, "");
  g_clear_pointer (&run, mend_test_run_free);

  /* The address in any case. */
  upper = g_ascii_strup (fixture->address, -1);
  args[1] = upper;
  run = mend_test_run_cli (NULL, NULL, args);
  g_assert_cmpint (run->exit_status, ==, 0);
  g_assert_cmpstr (run->out, ==, expected);

  /* A fresh token needs no refresh. */
  state = mend_test_idp_get_state (fixture->idp);
  g_assert_cmpint (mend_test_state_count (state, "refresh_tokens", "grants"), ==, 0);
}

static void
test_sasl (Fixture       *fixture,
           gconstpointer  user_data)
{
  g_autoptr(MendTestRun) run = NULL;
  g_autofree char *expected = NULL;
  g_autofree char *decoded = NULL;
  gsize length = 0;

  if (!mend_test_in_rig ())
    return;

  run = run_token (fixture, NULL, TRUE);
  g_assert_cmpint (run->exit_status, ==, 0);
  g_assert_true (g_str_has_suffix (run->out, "\n"));
  g_assert_null (strchr (run->out, ' '));
  g_strchomp (run->out);

  decoded = (char *) g_base64_decode (run->out, &length);
  expected = g_strdup_printf ("user=%s\001auth=Bearer %s\001\001", fixture->address,
                              mend_oauth_token_get_access_token (fixture->token));
  g_assert_cmpuint (length, ==, strlen (expected));
  g_assert_cmpmem (decoded, length, expected, strlen (expected));
}

static void
test_refresh (Fixture       *fixture,
              gconstpointer  user_data)
{
  const char *debug[] = { "G_MESSAGES_DEBUG=all", NULL };
  g_autoptr(MendTestRun) run = NULL;
  g_autoptr(JsonObject) state = NULL;
  g_autoptr(MendOAuthToken) first = NULL;
  g_autoptr(MendOAuthToken) second = NULL;
  g_autofree char *expected = NULL;
  const char *old_access;
  const char *old_refresh;

  if (!mend_test_in_rig ())
    return;

  old_access = mend_oauth_token_get_access_token (fixture->token);
  old_refresh = mend_oauth_token_get_refresh_token (fixture->token);

  /* The fake hands out 60-second tokens: always less than the 5 minutes asked for. */
  g_assert_true (mend_oauth_token_expires_within (fixture->token, 5 * G_TIME_SPAN_MINUTE));

  run = run_token (fixture, debug, FALSE);
  g_assert_cmpint (run->exit_status, ==, 0);
  first = lookup (fixture);
  expected = line_of (mend_oauth_token_get_access_token (first));
  g_assert_cmpstr (run->out, ==, expected);
  g_assert_cmpstr (mend_oauth_token_get_access_token (first), !=, old_access);
  g_assert_cmpstr (mend_oauth_token_get_refresh_token (first), !=, old_refresh);
  g_assert_cmpstr (mend_oauth_token_get_authority (first), ==, fixture->idp->base);
  g_assert_cmpstr (mend_oauth_token_get_client_id (first), ==, MEND_TEST_CLIENT_ID);
  g_assert_nonnull (mend_oauth_token_get_tenant_id (first));

  /* G_MESSAGES_DEBUG=all talked, about the refresh, without a secret. */
  g_assert_nonnull (strstr (run->err, "refresh grant"));
  mend_test_assert_absent (run, "old access token", old_access);
  mend_test_assert_absent (run, "old refresh token", old_refresh);
  mend_test_assert_absent (run, "new refresh token", mend_oauth_token_get_refresh_token (first));
  g_assert_null (strstr (run->err, mend_oauth_token_get_access_token (first)));

  /* The old refresh token is spent: the fake saw one grant, and the new one is stored. */
  state = mend_test_idp_get_state (fixture->idp);
  g_assert_cmpint (mend_test_state_count (state, "refresh_tokens", "grants"), ==, 1);
  g_assert_cmpint (mend_test_state_count (state, "refresh_tokens", "used"), ==, 1);
  g_assert_cmpint (mend_test_state_count (state, "refresh_tokens", "refused"), ==, 0);
  g_clear_pointer (&state, json_object_unref);
  g_clear_pointer (&run, mend_test_run_free);

  /* Again: works only if the newest refresh token was stored. */
  run = run_token (fixture, NULL, FALSE);
  g_assert_cmpint (run->exit_status, ==, 0);
  second = lookup (fixture);
  g_clear_pointer (&expected, g_free);
  expected = line_of (mend_oauth_token_get_access_token (second));
  g_assert_cmpstr (run->out, ==, expected);
  g_assert_cmpstr (mend_oauth_token_get_refresh_token (second), !=,
                   mend_oauth_token_get_refresh_token (first));

  state = mend_test_idp_get_state (fixture->idp);
  g_assert_cmpint (mend_test_state_count (state, "refresh_tokens", "grants"), ==, 2);
  g_assert_cmpint (mend_test_state_count (state, "refresh_tokens", "refused"), ==, 0);
}

static void
test_revoked (Fixture       *fixture,
              gconstpointer  user_data)
{
  g_autoptr(MendTestRun) run = NULL;
  g_autofree char *run_signin = NULL;

  if (!mend_test_in_rig ())
    return;

  mend_test_idp_control (fixture->idp, "revoke", "login", fixture->address, NULL);

  run = run_token (fixture, NULL, FALSE);
  g_assert_cmpint (run->exit_status, ==, 3);
  g_assert_cmpstr (run->out, ==, "");
  /* The finding (token-expired, with AADSTS50173) and the command to run. */
  g_assert_nonnull (strstr (run->err, "You need to sign in again"));
  g_assert_nonnull (strstr (run->err, "AADSTS50173"));
  run_signin = g_strdup_printf ("Run: mailmend signin %s\n", fixture->address);
  g_assert_nonnull (strstr (run->err, run_signin));
}

static void
test_not_signed_in (Fixture       *fixture,
                    gconstpointer  user_data)
{
  g_autofree char *address = g_strdup_printf ("nobody-%u@example.com", (guint) getpid ());
  const char *args[] = { "token", address, NULL };
  const char *no_address[] = { "token", NULL };
  g_autoptr(MendTestRun) run = NULL;

  if (!mend_test_in_rig ())
    return;

  run = mend_test_run_cli (NULL, NULL, args);
  g_assert_cmpint (run->exit_status, ==, 3);
  g_assert_cmpstr (run->out, ==, "");
  g_assert_nonnull (strstr (run->err, "Not signed in"));
  g_assert_nonnull (strstr (run->err, "Run: mailmend signin nobody-"));
  g_clear_pointer (&run, mend_test_run_free);

  run = mend_test_run_cli (NULL, NULL, no_address);
  g_assert_cmpint (run->exit_status, ==, 2);
  g_assert_cmpstr (run->out, ==, "");
}

static void
test_no_keyring (Fixture       *fixture,
                 gconstpointer  user_data)
{
  const char *missing_socket[] = {
    "DBUS_SESSION_BUS_ADDRESS=unix:path=/nonexistent/mailmend-test/bus", NULL
  };
  const char *no_bus[] = { "DBUS_SESSION_BUS_ADDRESS", "DISPLAY=:99", "XDG_RUNTIME_DIR", NULL };
  const char * const *envs[] = { missing_socket, no_bus };

  /* Runs anywhere: it never reaches a keyring. */
  for (guint i = 0; i < G_N_ELEMENTS (envs); i++)
    {
      g_autoptr(MendTestRun) run = run_token (fixture, envs[i], FALSE);

      g_test_message ("no keyring (%s): exit %d after %.1f ms", envs[i][0], run->exit_status,
                      run->elapsed_us / 1000.0);
      g_assert_cmpint (run->exit_status, ==, 4);
      g_assert_cmpint (run->elapsed_us, <, NO_KEYRING_LIMIT_US);
      g_assert_cmpstr (run->out, ==, "");
      g_assert_nonnull (strstr (run->err, "The keyring is not available"));
    }
}

static void
test_provider_down_still_valid (Fixture       *fixture,
                                gconstpointer  user_data)
{
  g_autoptr(MendTestRun) run = NULL;
  g_autoptr(MendOAuthToken) stored = NULL;
  g_autofree char *expected = NULL;

  if (!mend_test_in_rig ())
    return;

  /* Two minutes left: renewed if possible, and still good if not. */
  set_stored_expiry (fixture, 120);
  mend_test_idp_control (fixture->idp, "next-error", "endpoint", "token", "status", "503", NULL);

  run = run_token (fixture, NULL, FALSE);
  g_assert_cmpint (run->exit_status, ==, 0);
  expected = line_of (mend_oauth_token_get_access_token (fixture->token));
  g_assert_cmpstr (run->out, ==, expected);
  g_assert_nonnull (strstr (run->err, "could not be renewed"));
  g_assert_nonnull (strstr (run->err, "still valid until"));

  /* Nothing changed in the keyring: the next run tries again. */
  stored = lookup (fixture);
  g_assert_cmpstr (mend_oauth_token_get_refresh_token (stored), ==,
                   mend_oauth_token_get_refresh_token (fixture->token));
}

static void
test_provider_down_expired (Fixture       *fixture,
                            gconstpointer  user_data)
{
  g_autoptr(MendTestRun) run = NULL;

  if (!mend_test_in_rig ())
    return;

  set_stored_expiry (fixture, -60);
  mend_test_idp_control (fixture->idp, "next-error", "endpoint", "token", "status", "503", NULL);

  run = run_token (fixture, NULL, FALSE);
  g_assert_cmpint (run->exit_status, ==, 5);
  g_assert_cmpstr (run->out, ==, "");
  g_assert_nonnull (strstr (run->err, "sign-in service had a problem"));
  g_assert_nonnull (strstr (run->err, "HTTP status: 503"));
  g_clear_pointer (&run, mend_test_run_free);

  /* And once it is back, the same sign-in works. */
  run = run_token (fixture, NULL, FALSE);
  g_assert_cmpint (run->exit_status, ==, 0);
}

static void
test_network_down (Fixture       *fixture,
                   gconstpointer  user_data)
{
  g_autoptr(MendTestRun) run = NULL;

  if (!mend_test_in_rig ())
    return;

  /* Nobody listens there any more. */
  set_stored_expiry (fixture, -60);
  g_clear_pointer (&fixture->idp, mend_test_idp_stop);

  run = run_token (fixture, NULL, FALSE);
  g_assert_cmpint (run->exit_status, ==, 5);
  g_assert_cmpstr (run->out, ==, "");
  g_assert_nonnull (strstr (run->err, "cannot be reached"));
}

static void
test_concurrent (Fixture       *fixture,
                 gconstpointer  user_data)
{
  const char *args[] = { "token", fixture->address, NULL };
  g_autoptr(JsonObject) state = NULL;
  g_autoptr(MendOAuthToken) stored = NULL;
  g_autofree char *expected = NULL;
  MendTestCli *clis[2];
  MendTestRun *runs[2];

  if (!mend_test_in_rig ())
    return;

  /* The refresh answers late, so both processes surely want it at the same time. */
  mend_test_idp_control (fixture->idp, "next-error", "endpoint", "token",
                         "grant_type", "refresh_token", "delay_ms", "1500", NULL);

  for (guint i = 0; i < G_N_ELEMENTS (clis); i++)
    clis[i] = mend_test_cli_spawn (NULL, args);
  for (guint i = 0; i < G_N_ELEMENTS (clis); i++)
    runs[i] = mend_test_cli_finish (clis[i]);

  stored = lookup (fixture);
  expected = line_of (mend_oauth_token_get_access_token (stored));
  for (guint i = 0; i < G_N_ELEMENTS (runs); i++)
    {
      g_assert_cmpint (runs[i]->exit_status, ==, 0);
      g_assert_cmpstr (runs[i]->out, ==, expected);
      mend_test_run_free (runs[i]);
    }

  state = mend_test_idp_get_state (fixture->idp);
  g_assert_cmpint (mend_test_state_count (state, "refresh_tokens", "grants"), ==, 1);
  g_assert_cmpint (mend_test_state_count (state, "refresh_tokens", "refused"), ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  int ret;

  g_test_init (&argc, &argv, NULL);
  g_set_prgname ("test-cli-token");

#define ADD(path, args, func) \
  g_test_add (path, Fixture, args, fixture_setup, func, fixture_teardown)
  ADD ("/cli-token/valid", NULL, test_valid);
  ADD ("/cli-token/sasl", NULL, test_sasl);
  ADD ("/cli-token/refresh", short_lived, test_refresh);
  ADD ("/cli-token/revoked", short_lived, test_revoked);
  ADD ("/cli-token/not-signed-in", NULL, test_not_signed_in);
  ADD ("/cli-token/no-keyring", NULL, test_no_keyring);
  ADD ("/cli-token/provider-down-still-valid", NULL, test_provider_down_still_valid);
  ADD ("/cli-token/provider-down-expired", NULL, test_provider_down_expired);
  ADD ("/cli-token/network-down", NULL, test_network_down);
  ADD ("/cli-token/concurrent", short_lived, test_concurrent);
#undef ADD

  ret = g_test_run ();
  secret_service_disconnect ();

  return ret;
}
