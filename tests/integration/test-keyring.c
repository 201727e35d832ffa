/* test-keyring.c: the token schema against the real gnome-keyring of the test rig
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What the token store relies on, checked against a real Secret Service (the unlocked
 * gnome-keyring-daemon that tests/harness/session-run starts on a private bus): the simple
 * password API with the io.github.mailmend.Token schema keeps one item per address, a store
 * replaces, a clear removes; and with no usable Secret Service a store fails at once with an
 * error instead of hanging.
 *
 * Outside the rig (MAILMEND_TEST_RIG unset) the tests that need the keyring skip: they would
 * otherwise write into the developer's own keyring, or wait for an unlock prompt.
 */

#include <unistd.h>

#include <libsecret/secret.h>

/* The schema the token store uses (DESIGN.md, "Keyring"). */
static const SecretSchema token_schema = {
  "io.github.mailmend.Token", SECRET_SCHEMA_NONE,
  {
    { "address", SECRET_SCHEMA_ATTRIBUTE_STRING },
    { NULL, 0 },
  }
};

/* A refresh token is about 1.5 kB; the item holds JSON with both tokens and more. */
#define SECRET_JSON \
  "{\"refresh_token\":\"M.C5%s\",\"access_token\":\"EwB%s\",\"expires\":1767225600," \
  "\"scopes\":[\"https://outlook.office.com/IMAP.AccessAsUser.All\"],\"tenant\":\"consumers\"}"

/* With no service, a store must fail well inside this; a hang shows up as a timeout. */
#define NO_SERVICE_LIMIT_US (2 * G_USEC_PER_SEC)

typedef struct
{
  char *address;
} Fixture;

static gboolean
in_rig (void)
{
  if (g_getenv ("MAILMEND_TEST_RIG") != NULL)
    return TRUE;

  g_test_skip ("needs the test rig's keyring: run under tests/harness/session-run");
  return FALSE;
}

static char *
make_secret (gsize padding)
{
  g_autofree char *pad = g_strnfill (padding, 'x');

  return g_strdup_printf (SECRET_JSON, pad, pad);
}

static void
store (const char *address,
       const char *secret)
{
  g_autoptr(GError) error = NULL;
  gboolean ok;

  ok = secret_password_store_sync (&token_schema, SECRET_COLLECTION_DEFAULT,
                                   "Mailmend token", secret, NULL, &error,
                                   "address", address,
                                   NULL);
  g_assert_no_error (error);
  g_assert_true (ok);
}

static char *
lookup (const char *address)
{
  g_autoptr(GError) error = NULL;
  char *secret;

  secret = secret_password_lookup_sync (&token_schema, NULL, &error, "address", address, NULL);
  g_assert_no_error (error);

  return secret;
}

static guint
count_items (const char *address)
{
  g_autoptr(GError) error = NULL;
  GList *items;
  guint n;

  items = secret_password_search_sync (&token_schema, SECRET_SEARCH_ALL, NULL, &error,
                                       "address", address, NULL);
  g_assert_no_error (error);
  n = g_list_length (items);
  g_list_free_full (items, g_object_unref);

  return n;
}

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  user_data)
{
  g_autofree char *name = g_path_get_basename (g_test_get_path ());

  /* One address per test, so a failed test leaves nothing that breaks the next one. */
  fixture->address = g_strdup_printf ("%s-%u@example.com", name, (guint) getpid ());
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  user_data)
{
  if (g_getenv ("MAILMEND_TEST_RIG") != NULL)
    secret_password_clear_sync (&token_schema, NULL, NULL, "address", fixture->address, NULL);

  g_clear_pointer (&fixture->address, g_free);
}

static void
test_round_trip (Fixture       *fixture,
                 gconstpointer  user_data)
{
  g_autofree char *secret = make_secret (1500);
  g_autofree char *found = NULL;

  if (!in_rig ())
    return;

  g_assert_null (lookup (fixture->address));

  store (fixture->address, secret);
  found = lookup (fixture->address);
  g_assert_cmpstr (found, ==, secret);
  g_assert_cmpuint (count_items (fixture->address), ==, 1);
}

static void
test_store_replaces (Fixture       *fixture,
                     gconstpointer  user_data)
{
  g_autofree char *first = make_secret (10);
  g_autofree char *second = make_secret (20);
  g_autofree char *found = NULL;

  if (!in_rig ())
    return;

  /* Refresh tokens rotate: every refresh stores the newest, and only one item may remain. */
  store (fixture->address, first);
  store (fixture->address, second);

  found = lookup (fixture->address);
  g_assert_cmpstr (found, ==, second);
  g_assert_cmpuint (count_items (fixture->address), ==, 1);
}

static void
test_addresses_apart (Fixture       *fixture,
                      gconstpointer  user_data)
{
  g_autofree char *other = g_strconcat ("other-", fixture->address, NULL);
  g_autofree char *secret = make_secret (10);
  g_autofree char *other_secret = make_secret (30);
  g_autofree char *upper = g_ascii_strup (fixture->address, -1);
  g_autofree char *found = NULL;
  g_autofree char *other_found = NULL;
  g_autofree char *by_domain = NULL;
  g_autofree char *by_upper = NULL;

  if (!in_rig ())
    return;

  store (fixture->address, secret);
  store (other, other_secret);

  found = lookup (fixture->address);
  other_found = lookup (other);
  g_assert_cmpstr (found, ==, secret);
  g_assert_cmpstr (other_found, ==, other_secret);

  /* Attributes match exactly: a part of the address or another case finds nothing, so the
   * token store has to normalise addresses itself. */
  by_domain = lookup ("example.com");
  by_upper = lookup (upper);
  g_assert_null (by_domain);
  g_assert_null (by_upper);

  secret_password_clear_sync (&token_schema, NULL, NULL, "address", other, NULL);
}

static void
test_clear (Fixture       *fixture,
            gconstpointer  user_data)
{
  g_autofree char *secret = make_secret (10);
  g_autoptr(GError) error = NULL;
  gboolean removed;

  if (!in_rig ())
    return;

  store (fixture->address, secret);

  removed = secret_password_clear_sync (&token_schema, NULL, &error,
                                        "address", fixture->address, NULL);
  g_assert_no_error (error);
  g_assert_true (removed);
  g_assert_null (lookup (fixture->address));
  g_assert_cmpuint (count_items (fixture->address), ==, 0);

  /* Clearing what is not there is not an error. */
  removed = secret_password_clear_sync (&token_schema, NULL, &error,
                                        "address", fixture->address, NULL);
  g_assert_no_error (error);
  g_assert_false (removed);
}

/* Runs in a subprocess: its bus address names a socket that does not exist. */
static void
no_service_store (void)
{
  g_autoptr(GError) error = NULL;
  gint64 start;
  gboolean ok;

  g_setenv ("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/mailmend-test/bus", TRUE);
  g_unsetenv ("DISPLAY");
  g_unsetenv ("WAYLAND_DISPLAY");

  start = g_get_monotonic_time ();
  ok = secret_password_store_sync (&token_schema, SECRET_COLLECTION_DEFAULT,
                                   "Mailmend token", "never stored", NULL, &error,
                                   "address", "nobody@example.com",
                                   NULL);
  g_assert_false (ok);
  g_assert_nonnull (error);
  g_assert_cmpint (g_get_monotonic_time () - start, <, NO_SERVICE_LIMIT_US);
  g_printerr ("store failed as expected: %s\n", error->message);
}

static void
test_no_service (void)
{
  if (g_test_subprocess ())
    {
      no_service_store ();
      return;
    }

  /* The subprocess gets a few seconds: longer means the store hung (a prompt, a wait). */
  g_test_trap_subprocess (NULL, 5 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
  g_test_trap_assert_stderr ("*store failed as expected*");
}

int
main (int   argc,
      char *argv[])
{
  int ret;

  g_test_init (&argc, &argv, NULL);
  g_set_prgname ("test-keyring");

  g_test_add ("/keyring/round-trip", Fixture, NULL,
              fixture_setup, test_round_trip, fixture_teardown);
  g_test_add ("/keyring/store-replaces", Fixture, NULL,
              fixture_setup, test_store_replaces, fixture_teardown);
  g_test_add ("/keyring/addresses-apart", Fixture, NULL,
              fixture_setup, test_addresses_apart, fixture_teardown);
  g_test_add ("/keyring/clear", Fixture, NULL,
              fixture_setup, test_clear, fixture_teardown);
  g_test_add_func ("/keyring/no-service", test_no_service);

  ret = g_test_run ();
  secret_service_disconnect ();

  return ret;
}
