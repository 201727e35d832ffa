/* test-token-store.c: MendTokenStore against the real gnome-keyring of the test rig
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Store, lookup, replace (one item per address, whatever its case), list and delete through
 * a real Secret Service; a secret that is not Mailmend's JSON gives CORRUPT, not a crash; with
 * no keyring (a bus address naming a missing socket, no bus address at all, a bus with no
 * Secret Service) every operation fails with UNAVAILABLE in well under a second; and the
 * refresh lock makes a second holder wait, across threads and processes.
 *
 * The keyring tests skip outside the rig (MAILMEND_TEST_RIG unset): they would write into the
 * developer's own keyring. The others run anywhere: they bring their own folders and buses.
 */

#include "config.h"

#include <sys/stat.h>
#include <unistd.h>

#include <glib/gstdio.h>
#include <libsecret/secret.h>

#include "mend-token-store.h"

/* The keyring has to fail faster than this when it is absent (the issue: "quickly"). */
#define UNAVAILABLE_LIMIT_US (G_USEC_PER_SEC)

/* The same schema, written out again: what another program (secret-tool) would use. */
static const SecretSchema raw_schema = {
  "io.github.mailmend.Token", SECRET_SCHEMA_NONE,
  {
    { "address", SECRET_SCHEMA_ATTRIBUTE_STRING },
    { NULL, 0 },
  }
};

typedef struct
{
  MendTokenStore *store;
  char           *address;       /* lower case */
  char           *other_address; /* lower case */
} Fixture;

static gboolean
in_rig (void)
{
  if (g_getenv ("MAILMEND_TEST_RIG") != NULL)
    return TRUE;

  g_test_skip ("needs the test rig's keyring: run under tests/harness/session-run");
  return FALSE;
}

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  user_data)
{
  g_autofree char *name = g_path_get_basename (g_test_get_path ());

  fixture->store = mend_token_store_new ();
  /* Addresses of this test and process only: tests run in parallel on one keyring. */
  fixture->address = g_strdup_printf ("ts-%s-%u@example.com", name, (guint) getpid ());
  fixture->other_address = g_strdup_printf ("ts-%s-%u@contoso.example", name, (guint) getpid ());
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  user_data)
{
  if (g_getenv ("MAILMEND_TEST_RIG") != NULL)
    {
      secret_password_clear_sync (&raw_schema, NULL, NULL, "address", fixture->address, NULL);
      secret_password_clear_sync (&raw_schema, NULL, NULL, "address", fixture->other_address, NULL);
    }

  g_clear_object (&fixture->store);
  g_clear_pointer (&fixture->address, g_free);
  g_clear_pointer (&fixture->other_address, g_free);
}

static MendOAuthToken *
make_token (const char *address,
            const char *access_token)
{
  const char *scopes[] = { "https://outlook.office.com/IMAP.AccessAsUser.All",
                           "https://outlook.office.com/SMTP.Send", "offline_access", NULL };
  g_autoptr(GDateTime) expires_at = g_date_time_new_utc (2031, 5, 17, 8, 30, 0);
  g_autoptr(GDateTime) last_refresh = g_date_time_new_utc (2031, 5, 17, 7, 30, 0);
  MendOAuthToken *token = mend_oauth_token_new (address);

  mend_oauth_token_set_access_token (token, access_token);
  mend_oauth_token_set_refresh_token (token, "M.C5_BAY.refresh-token-for-the-test");
  mend_oauth_token_set_expires_at (token, expires_at);
  mend_oauth_token_set_last_refresh (token, last_refresh);
  mend_oauth_token_set_scopes (token, scopes);
  mend_oauth_token_set_tenant_id (token, MEND_CONSUMER_TENANT_ID);
  mend_oauth_token_set_authority (token, "https://login.microsoftonline.com");
  mend_oauth_token_set_tenant (token, "consumers");
  mend_oauth_token_set_client_id (token, "0b4c7e2a-5f38-4d1e-9a6c-3e8f2d7b1c90");

  return token;
}

static void
assert_same_token (MendOAuthToken *a,
                   MendOAuthToken *b)
{
  g_assert_cmpstr (mend_oauth_token_get_access_token (a), ==, mend_oauth_token_get_access_token (b));
  g_assert_cmpstr (mend_oauth_token_get_refresh_token (a), ==, mend_oauth_token_get_refresh_token (b));
  g_assert_true (g_date_time_equal (mend_oauth_token_get_expires_at (a), mend_oauth_token_get_expires_at (b)));
  g_assert_true (g_date_time_equal (mend_oauth_token_get_last_refresh (a),
                                    mend_oauth_token_get_last_refresh (b)));
  g_assert_true (g_strv_equal ((const char * const *) mend_oauth_token_get_scopes (a),
                               (const char * const *) mend_oauth_token_get_scopes (b)));
  g_assert_cmpstr (mend_oauth_token_get_tenant_id (a), ==, mend_oauth_token_get_tenant_id (b));
  g_assert_cmpstr (mend_oauth_token_get_authority (a), ==, mend_oauth_token_get_authority (b));
  g_assert_cmpstr (mend_oauth_token_get_tenant (a), ==, mend_oauth_token_get_tenant (b));
  g_assert_cmpstr (mend_oauth_token_get_client_id (a), ==, mend_oauth_token_get_client_id (b));
}

static void
store (Fixture        *fixture,
       MendOAuthToken *token)
{
  g_autoptr(GError) error = NULL;
  gboolean ok;

  ok = mend_token_store_store_sync (fixture->store, token, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (ok);
}

static MendOAuthToken *
lookup (Fixture    *fixture,
        const char *address)
{
  g_autoptr(GError) error = NULL;
  MendOAuthToken *token;

  token = mend_token_store_lookup_sync (fixture->store, address, NULL, &error);
  g_assert_no_error (error);

  return token;
}

/* The items another program would see, by exact attribute. */
static GList *
raw_items (const char *address)
{
  g_autoptr(GError) error = NULL;
  GList *items;

  items = secret_password_search_sync (&raw_schema, SECRET_SEARCH_ALL | SECRET_SEARCH_UNLOCK,
                                       NULL, &error, "address", address, NULL);
  g_assert_no_error (error);

  return items;
}

static void
raw_store (const char *address,
           const char *secret)
{
  g_autoptr(GError) error = NULL;

  secret_password_store_sync (&raw_schema, SECRET_COLLECTION_DEFAULT, "not by Mailmend", secret,
                              NULL, &error, "address", address, NULL);
  g_assert_no_error (error);
}

static void
test_round_trip (Fixture       *fixture,
                 gconstpointer  user_data)
{
  g_autoptr(MendOAuthToken) token = NULL;
  g_autoptr(MendOAuthToken) found = NULL;
  g_autoptr(MendOAuthToken) nothing = NULL;
  g_autofree char *shouted = NULL;
  g_autofree char *label = NULL;
  GList *items;

  if (!in_rig ())
    return;

  nothing = lookup (fixture, fixture->address);
  g_assert_null (nothing);

  token = make_token (fixture->address, "EwB-access-token-1");
  store (fixture, token);

  /* Addresses match whatever their case and surrounding blanks. */
  shouted = g_strdup_printf ("  %s \t", fixture->address);
  for (char *p = shouted; *p != '\0'; p++)
    *p = g_ascii_toupper (*p);
  found = lookup (fixture, shouted);
  g_assert_nonnull (found);
  g_assert_cmpstr (mend_oauth_token_get_address (found), ==, fixture->address);
  assert_same_token (token, found);

  /* One item, which password managers show with a readable label. */
  items = raw_items (fixture->address);
  g_assert_cmpuint (g_list_length (items), ==, 1);
  label = secret_retrievable_get_label (items->data);
  g_assert_nonnull (strstr (label, fixture->address));
  g_assert_true (g_str_has_prefix (label, "Mailmend"));
  g_list_free_full (items, g_object_unref);
}

static void
test_replace (Fixture       *fixture,
              gconstpointer  user_data)
{
  g_autoptr(MendOAuthToken) first = make_token (fixture->address, "EwB-first");
  g_autoptr(MendOAuthToken) second = NULL;
  g_autoptr(MendOAuthToken) found = NULL;
  g_autofree char *upper = g_ascii_strup (fixture->address, -1);
  GList *items;

  if (!in_rig ())
    return;

  /* Refresh tokens rotate: the newest replaces the old one, even stored under another case. */
  store (fixture, first);
  second = make_token (upper, "EwB-second");
  mend_oauth_token_set_refresh_token (second, "M.C5_BAY.rotated");
  store (fixture, second);

  items = raw_items (fixture->address);
  g_assert_cmpuint (g_list_length (items), ==, 1);
  g_list_free_full (items, g_object_unref);
  items = raw_items (upper);
  g_assert_cmpuint (g_list_length (items), ==, 0);

  found = lookup (fixture, fixture->address);
  g_assert_nonnull (found);
  g_assert_cmpstr (mend_oauth_token_get_access_token (found), ==, "EwB-second");
  g_assert_cmpstr (mend_oauth_token_get_refresh_token (found), ==, "M.C5_BAY.rotated");
}

static gboolean
is_ours (Fixture    *fixture,
         const char *address)
{
  return g_ascii_strcasecmp (address, fixture->address) == 0 ||
         g_ascii_strcasecmp (address, fixture->other_address) == 0;
}

static void
test_list (Fixture       *fixture,
           gconstpointer  user_data)
{
  g_autoptr(MendOAuthToken) token = make_token (fixture->address, "EwB-one");
  g_autoptr(MendOAuthToken) other = make_token (fixture->other_address, "EwB-two");
  g_autoptr(GPtrArray) tokens = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) damaged = NULL;
  g_autoptr(GPtrArray) ours = g_ptr_array_new ();

  if (!in_rig ())
    return;

  mend_oauth_token_set_tenant_id (other, "72f988bf-86f1-41af-91ab-2d7cd011db47");
  store (fixture, other);
  store (fixture, token);

  tokens = mend_token_store_list_sync (fixture->store, NULL, &damaged, &error);
  g_assert_no_error (error);
  g_assert_nonnull (tokens);
  g_assert_nonnull (damaged);

  /* Sorted by address; other tests' sign-ins may be there too. */
  for (guint i = 0; i < tokens->len; i++)
    {
      MendOAuthToken *listed = g_ptr_array_index (tokens, i);

      if (i > 0)
        g_assert_cmpstr (mend_oauth_token_get_address (g_ptr_array_index (tokens, i - 1)), <=,
                         mend_oauth_token_get_address (listed));
      if (is_ours (fixture, mend_oauth_token_get_address (listed)))
        g_ptr_array_add (ours, listed);
    }
  for (guint i = 0; damaged[i] != NULL; i++)
    g_assert_false (is_ours (fixture, damaged[i]));

  g_assert_cmpuint (ours->len, ==, 2);
  /* "…@contoso.example" sorts before "…@example.com". */
  assert_same_token (other, g_ptr_array_index (ours, 0));
  assert_same_token (token, g_ptr_array_index (ours, 1));
  g_assert_cmpint (mend_oauth_token_get_tenant_type (g_ptr_array_index (ours, 0)), ==,
                   MEND_TENANT_TYPE_ORGANIZATION);
  g_assert_cmpint (mend_oauth_token_get_tenant_type (g_ptr_array_index (ours, 1)), ==,
                   MEND_TENANT_TYPE_CONSUMER);
}

static void
test_delete (Fixture       *fixture,
             gconstpointer  user_data)
{
  g_autoptr(MendOAuthToken) token = make_token (fixture->address, "EwB-gone");
  g_autoptr(MendOAuthToken) found = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *upper = g_ascii_strup (fixture->address, -1);
  gboolean removed;

  if (!in_rig ())
    return;

  store (fixture, token);

  removed = mend_token_store_delete_sync (fixture->store, upper, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (removed);
  found = lookup (fixture, fixture->address);
  g_assert_null (found);

  /* Nothing to remove is not an error. */
  removed = mend_token_store_delete_sync (fixture->store, fixture->address, NULL, &error);
  g_assert_no_error (error);
  g_assert_false (removed);
}

static void
test_corrupt (Fixture       *fixture,
              gconstpointer  user_data)
{
  g_autoptr(MendOAuthToken) found = NULL;
  g_autoptr(MendOAuthToken) repaired = NULL;
  g_autoptr(MendOAuthToken) token = NULL;
  g_autoptr(MendFinding) finding = NULL;
  g_autoptr(GPtrArray) tokens = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) damaged = NULL;
  g_autofree char *json_for_other = NULL;
  g_autoptr(MendOAuthToken) foreign = NULL;

  if (!in_rig ())
    return;

  /* Not JSON at all, as `secret-tool store` would leave it. */
  raw_store (fixture->address, "hunter2 {not json");
  found = mend_token_store_lookup_sync (fixture->store, fixture->address, NULL, &error);
  g_assert_error (error, MEND_TOKEN_STORE_ERROR, MEND_TOKEN_STORE_ERROR_CORRUPT);
  g_assert_null (found);
  /* The message names the address, never the secret. */
  g_assert_nonnull (strstr (error->message, fixture->address));
  g_assert_null (strstr (error->message, "hunter2"));

  finding = mend_token_store_error_to_finding (error);
  g_assert_cmpstr (mend_finding_get_id (finding), ==, "token-corrupt");
  g_clear_error (&error);

  /* JSON, but for another address: not this address's sign-in either. */
  foreign = make_token (fixture->other_address, "EwB-foreign");
  json_for_other = mend_oauth_token_to_json (foreign);
  raw_store (fixture->other_address, "[]");
  tokens = mend_token_store_list_sync (fixture->store, NULL, &damaged, &error);
  g_assert_no_error (error);
  g_assert_true (g_strv_contains ((const char * const *) damaged, fixture->address));
  g_assert_true (g_strv_contains ((const char * const *) damaged, fixture->other_address));
  for (guint i = 0; i < tokens->len; i++)
    g_assert_false (is_ours (fixture, mend_oauth_token_get_address (g_ptr_array_index (tokens, i))));

  raw_store (fixture->address, json_for_other);
  found = mend_token_store_lookup_sync (fixture->store, fixture->address, NULL, &error);
  g_assert_error (error, MEND_TOKEN_STORE_ERROR, MEND_TOKEN_STORE_ERROR_CORRUPT);
  g_clear_error (&error);

  /* Signing in again replaces the damaged item. */
  token = make_token (fixture->address, "EwB-repaired");
  store (fixture, token);
  repaired = lookup (fixture, fixture->address);
  g_assert_nonnull (repaired);
  assert_same_token (token, repaired);
}

typedef struct
{
  GMainLoop    *loop;
  GAsyncResult *result;
} AsyncWait;

static void
on_done (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  AsyncWait *wait = user_data;

  wait->result = g_object_ref (result);
  g_main_loop_quit (wait->loop);
}

static void
test_async (Fixture       *fixture,
            gconstpointer  user_data)
{
  g_autoptr(MendOAuthToken) token = make_token (fixture->address, "EwB-async");
  g_autoptr(MendOAuthToken) found = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  AsyncWait wait = { g_main_loop_new (NULL, FALSE), NULL };
  gboolean ok;

  if (!in_rig ())
    return;

  mend_token_store_store_async (fixture->store, token, NULL, on_done, &wait);
  g_main_loop_run (wait.loop);
  ok = mend_token_store_store_finish (fixture->store, wait.result, &error);
  g_assert_no_error (error);
  g_assert_true (ok);
  g_clear_object (&wait.result);

  mend_token_store_lookup_async (fixture->store, fixture->address, NULL, on_done, &wait);
  g_main_loop_run (wait.loop);
  found = mend_token_store_lookup_finish (fixture->store, wait.result, &error);
  g_assert_no_error (error);
  assert_same_token (token, found);
  g_clear_object (&wait.result);
  g_clear_object (&found);

  /* A cancelled call says so, and is not mistaken for a missing keyring. */
  g_cancellable_cancel (cancellable);
  mend_token_store_lookup_async (fixture->store, fixture->address, cancellable, on_done, &wait);
  g_main_loop_run (wait.loop);
  found = mend_token_store_lookup_finish (fixture->store, wait.result, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_null (found);
  g_clear_object (&wait.result);
  g_clear_error (&error);

  mend_token_store_delete_async (fixture->store, fixture->address, NULL, on_done, &wait);
  g_main_loop_run (wait.loop);
  ok = mend_token_store_delete_finish (fixture->store, wait.result, &error);
  g_assert_no_error (error);
  g_assert_true (ok);
  g_clear_object (&wait.result);

  g_main_loop_unref (wait.loop);
}

/* No keyring. Each case runs in a subprocess, whose environment names the missing bus before
 * GDBus first looks at it. */

static void
assert_unavailable_fast (const char *what,
                         gint64      start,
                         GError     *error)
{
  gint64 elapsed = g_get_monotonic_time () - start;
  g_autoptr(MendFinding) finding = NULL;

  g_assert_error (error, MEND_TOKEN_STORE_ERROR, MEND_TOKEN_STORE_ERROR_UNAVAILABLE);
  g_assert_cmpint (elapsed, <, UNAVAILABLE_LIMIT_US);
  g_printerr ("%s: unavailable after %.1f ms: %s\n", what, elapsed / 1000.0, error->message);

  finding = mend_token_store_error_to_finding (error);
  g_assert_cmpstr (mend_finding_get_id (finding), ==, "keyring-unavailable");
  g_assert_nonnull (strstr (mend_finding_get_remedy (finding), "unlocked"));
  g_assert_cmpstr (mend_finding_get_details (finding), ==, error->message);
}

static void
every_operation_unavailable (void)
{
  g_autoptr(MendTokenStore) store = mend_token_store_new ();
  g_autoptr(MendOAuthToken) token = make_token ("nobody@example.com", "EwB-never-stored");
  g_autoptr(MendOAuthToken) found = NULL;
  g_autoptr(GPtrArray) tokens = NULL;
  g_autoptr(GError) error = NULL;
  gint64 start;

  start = g_get_monotonic_time ();
  g_assert_false (mend_token_store_store_sync (store, token, NULL, &error));
  assert_unavailable_fast ("store", start, error);
  g_clear_error (&error);

  start = g_get_monotonic_time ();
  found = mend_token_store_lookup_sync (store, "nobody@example.com", NULL, &error);
  g_assert_null (found);
  assert_unavailable_fast ("lookup", start, error);
  g_clear_error (&error);

  start = g_get_monotonic_time ();
  tokens = mend_token_store_list_sync (store, NULL, NULL, &error);
  g_assert_null (tokens);
  assert_unavailable_fast ("list", start, error);
  g_clear_error (&error);

  start = g_get_monotonic_time ();
  g_assert_false (mend_token_store_delete_sync (store, "nobody@example.com", NULL, &error));
  assert_unavailable_fast ("delete", start, error);
}

static void
test_missing_socket (void)
{
  if (g_test_subprocess ())
    {
      g_setenv ("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/mailmend-test/bus", TRUE);
      every_operation_unavailable ();
      return;
    }

  /* A few seconds for the whole subprocess: longer means something waited. */
  g_test_trap_subprocess (NULL, 5 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
  g_test_trap_assert_stderr ("*lookup: unavailable after*");
}

static void
test_no_bus (void)
{
  if (g_test_subprocess ())
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *runtime_dir = g_dir_make_tmp ("mailmend-no-bus-XXXXXX", &error);

      g_assert_no_error (error);
      /* With DISPLAY set, GLib would autolaunch a bus of its own (dbus-launch) if asked: the
       * store must not ask. No $XDG_RUNTIME_DIR/bus either. */
      g_unsetenv ("DBUS_SESSION_BUS_ADDRESS");
      g_setenv ("DISPLAY", ":99", TRUE);
      g_setenv ("XDG_RUNTIME_DIR", runtime_dir, TRUE);
      every_operation_unavailable ();
      g_rmdir (runtime_dir);
      return;
    }

  g_test_trap_subprocess (NULL, 5 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
  g_test_trap_assert_stderr ("*lookup: unavailable after*no D-Bus session bus*");
}

static void
test_no_service (void)
{
  if (g_test_subprocess ())
    {
      /* A private bus with no service files: nothing can own org.freedesktop.secrets. */
      GTestDBus *bus = g_test_dbus_new (G_TEST_DBUS_NONE);

      g_test_dbus_up (bus);
      every_operation_unavailable ();
      /* Not g_test_dbus_down() nor the last unref: they wait (30 s) for the process's session
       * bus connection to go, and GDBus keeps it. The subprocess ends here anyway. */
      g_test_dbus_stop (bus);
      return;
    }

  g_test_trap_subprocess (NULL, 10 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
  g_test_trap_assert_stderr ("*lookup: unavailable after*No keyring service is running*");
}

/* A Secret Service that never answers, as gnome-keyring waiting on an unlock prompt nobody
 * can see: the store gives up after its timeout instead of hanging. */
static const char fake_service_xml[] =
  "<node>"
  "  <interface name='org.freedesktop.Secret.Service'>"
  "    <method name='OpenSession'>"
  "      <arg type='s' direction='in'/><arg type='v' direction='in'/>"
  "      <arg type='v' direction='out'/><arg type='o' direction='out'/>"
  "    </method>"
  "    <method name='SearchItems'>"
  "      <arg type='a{ss}' direction='in'/>"
  "      <arg type='ao' direction='out'/><arg type='ao' direction='out'/>"
  "    </method>"
  "    <property name='Collections' type='ao' access='read'/>"
  "  </interface>"
  "</node>";

static void
on_fake_method_call (GDBusConnection       *connection,
                     const char            *sender,
                     const char            *object_path,
                     const char            *interface_name,
                     const char            *method_name,
                     GVariant              *parameters,
                     GDBusMethodInvocation *invocation,
                     gpointer               user_data)
{
  g_assert_not_reached ();
}

static void
test_no_answer (void)
{
  if (g_test_subprocess ())
    {
      GTestDBus *bus = g_test_dbus_new (G_TEST_DBUS_NONE);
      GDBusInterfaceVTable vtable = { on_fake_method_call, NULL, NULL, { NULL, } };
      g_autoptr(GDBusNodeInfo) node = NULL;
      g_autoptr(GDBusConnection) service = NULL;
      g_autoptr(GMainContext) never_run = g_main_context_new ();
      g_autoptr(MendTokenStore) store = mend_token_store_new ();
      g_autoptr(MendOAuthToken) found = NULL;
      g_autoptr(GVariant) reply = NULL;
      g_autoptr(GError) error = NULL;
      gint64 start;
      gint64 elapsed;

      g_test_dbus_up (bus);
      service = g_dbus_connection_new_for_address_sync (g_test_dbus_get_bus_address (bus),
                                                        G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT |
                                                        G_DBUS_CONNECTION_FLAGS_MESSAGE_BUS_CONNECTION,
                                                        NULL, NULL, &error);
      g_assert_no_error (error);
      reply = g_dbus_connection_call_sync (service, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                                           "org.freedesktop.DBus", "RequestName",
                                           g_variant_new ("(su)", "org.freedesktop.secrets", 4),
                                           NULL, G_DBUS_CALL_FLAGS_NONE, -1, NULL, &error);
      g_assert_no_error (error);

      /* Calls to the object are dispatched in a context nobody runs: they never get an answer. */
      node = g_dbus_node_info_new_for_xml (fake_service_xml, &error);
      g_assert_no_error (error);
      g_main_context_push_thread_default (never_run);
      g_dbus_connection_register_object (service, "/org/freedesktop/secrets", node->interfaces[0],
                                         &vtable, NULL, NULL, &error);
      g_main_context_pop_thread_default (never_run);
      g_assert_no_error (error);

      start = g_get_monotonic_time ();
      found = mend_token_store_lookup_sync (store, "nobody@example.com", NULL, &error);
      elapsed = g_get_monotonic_time () - start;
      g_assert_null (found);
      g_assert_error (error, MEND_TOKEN_STORE_ERROR, MEND_TOKEN_STORE_ERROR_UNAVAILABLE);
      g_printerr ("lookup: unavailable after %.1f ms: %s\n", elapsed / 1000.0, error->message);
      g_assert_cmpint (elapsed, >=, MEND_TOKEN_STORE_TIMEOUT_MS * 1000);
      g_assert_cmpint (elapsed, <, (MEND_TOKEN_STORE_TIMEOUT_MS + 2000) * 1000);

      /* As in test_no_service: no g_test_dbus_down(). */
      g_test_dbus_stop (bus);
      return;
    }

  g_test_trap_subprocess (NULL, 20 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
  g_test_trap_assert_stderr ("*lookup: unavailable after*did not answer in time*");
}

/* A locked keyring: in a rig of its own (a nested tests/harness/session-run), since a locked
 * collection cannot be unlocked again without a prompt. */

static char *self_path;

static void
lock_default_collection (void)
{
  g_autoptr(GDBusConnection) bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, NULL);
  const char *paths[] = { "/org/freedesktop/secrets/collection/login", NULL };
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GError) error = NULL;

  reply = g_dbus_connection_call_sync (bus, "org.freedesktop.secrets", "/org/freedesktop/secrets",
                                       "org.freedesktop.Secret.Service", "Lock",
                                       g_variant_new ("(^ao)", paths), NULL,
                                       G_DBUS_CALL_FLAGS_NONE, -1, NULL, &error);
  g_assert_no_error (error);
}

static void
locked_inner (void)
{
  g_autoptr(MendTokenStore) store = mend_token_store_new ();
  g_autoptr(MendOAuthToken) token = make_token ("locked@example.com", "EwB-locked");
  g_autoptr(MendOAuthToken) found = NULL;
  g_autoptr(MendOAuthToken) absent = NULL;
  g_autoptr(GPtrArray) tokens = NULL;
  g_autoptr(GError) error = NULL;
  gint64 start;

  mend_token_store_store_sync (store, token, NULL, &error);
  g_assert_no_error (error);
  lock_default_collection ();

  /* libsecret's lookup says "nothing" for a locked item: the store must not. */
  start = g_get_monotonic_time ();
  found = mend_token_store_lookup_sync (store, "locked@example.com", NULL, &error);
  g_assert_null (found);
  assert_unavailable_fast ("lookup", start, error);
  g_assert_nonnull (strstr (error->message, "locked"));
  g_clear_error (&error);

  start = g_get_monotonic_time ();
  g_assert_false (mend_token_store_delete_sync (store, "locked@example.com", NULL, &error));
  assert_unavailable_fast ("delete", start, error);
  g_clear_error (&error);

  start = g_get_monotonic_time ();
  tokens = mend_token_store_list_sync (store, NULL, NULL, &error);
  g_assert_null (tokens);
  assert_unavailable_fast ("list", start, error);
  g_clear_error (&error);

  start = g_get_monotonic_time ();
  g_assert_false (mend_token_store_store_sync (store, token, NULL, &error));
  assert_unavailable_fast ("store", start, error);
  g_clear_error (&error);

  /* What is not there at all is still just not there. */
  absent = mend_token_store_lookup_sync (store, "nobody@example.com", NULL, &error);
  g_assert_no_error (error);
  g_assert_null (absent);
}

static void
test_locked (void)
{
  g_autofree char *session_run = NULL;
  g_autofree char *inner_debug = NULL;
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  if (g_getenv ("MAILMEND_TEST_LOCKED_INNER") != NULL)
    {
      locked_inner ();
      return;
    }

  if (!in_rig ())
    return;

  session_run = g_test_build_filename (G_TEST_DIST, "harness", "session-run", NULL);
  /* G_DEBUG=fatal-warnings is for this test only, not for the nested rig's keyring daemon
   * and its prompter, which warn that there is no display. */
  inner_debug = g_strconcat ("G_DEBUG=", g_getenv ("G_DEBUG") ? g_getenv ("G_DEBUG") : "", NULL);
  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_subprocess_launcher_unsetenv (launcher, "G_DEBUG");
  process = g_subprocess_launcher_spawn (launcher, &error,
                                         session_run, "--no-x", "env", "MAILMEND_TEST_LOCKED_INNER=1",
                                         inner_debug, self_path, "-p", "/token-store/locked", NULL);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, NULL, NULL, &out, &err, &error);
  g_assert_no_error (error);
  g_test_message ("inner run:\n%s%s", out, err);
  g_assert_true (g_subprocess_get_if_exited (process));
  g_assert_cmpint (g_subprocess_get_exit_status (process), ==, 0);
  g_assert_nonnull (strstr (out, "ok 1 /token-store/locked"));
  g_assert_nonnull (strstr (err, "lookup: unavailable after"));
}

/* The refresh lock */

typedef struct
{
  char           *runtime_dir;
  MendTokenStore *store;
} LockFixture;

static void
lock_setup (LockFixture   *fixture,
            gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;

  fixture->runtime_dir = g_dir_make_tmp ("mailmend-lock-XXXXXX", &error);
  g_assert_no_error (error);
  g_setenv ("XDG_RUNTIME_DIR", fixture->runtime_dir, TRUE);
  fixture->store = mend_token_store_new ();
}

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR))
        remove_tree (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}

static void
lock_teardown (LockFixture   *fixture,
               gconstpointer  user_data)
{
  remove_tree (fixture->runtime_dir);
  g_clear_pointer (&fixture->runtime_dir, g_free);
  g_clear_object (&fixture->store);
}

static void
test_lock_file (LockFixture   *fixture,
                gconstpointer  user_data)
{
  g_autoptr(MendTokenLock) lock = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *folder = g_build_filename (fixture->runtime_dir, "mailmend", NULL);
  g_autofree char *hash = g_compute_checksum_for_string (G_CHECKSUM_SHA256, "alice@outlook.com", -1);
  g_autofree char *expected = g_strdup_printf ("%s/%s.lock", folder, hash);
  struct stat st;

  lock = mend_token_store_lock_address (fixture->store, " Alice@Outlook.com", &error);
  g_assert_no_error (error);
  g_assert_nonnull (lock);

  /* Named by a hash of the normalized address: the folder does not list who signed in. */
  g_assert_cmpstr (mend_token_lock_get_path (lock), ==, expected);
  g_assert_cmpint (g_stat (folder, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0700);
  g_assert_cmpint (g_stat (expected, &st), ==, 0);
  g_assert_true (S_ISREG (st.st_mode));
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
}

static void
test_lock_timeout (LockFixture   *fixture,
                   gconstpointer  user_data)
{
  g_autoptr(MendTokenLock) first = NULL;
  g_autoptr(MendTokenLock) second = NULL;
  g_autoptr(MendTokenLock) again = NULL;
  g_autoptr(MendTokenLock) someone_else = NULL;
  g_autoptr(MendFinding) finding = NULL;
  g_autoptr(GError) error = NULL;
  gint64 start;
  gint64 elapsed;

  first = mend_token_store_lock_address (fixture->store, "bob@example.com", &error);
  g_assert_no_error (error);

  /* flock(2) locks belong to open files: even the same thread waits for the holder. */
  mend_token_store_set_lock_timeout (fixture->store, 300);
  g_assert_cmpuint (mend_token_store_get_lock_timeout (fixture->store), ==, 300);
  start = g_get_monotonic_time ();
  second = mend_token_store_lock_address (fixture->store, "BOB@example.com", &error);
  elapsed = g_get_monotonic_time () - start;
  g_assert_error (error, MEND_TOKEN_STORE_ERROR, MEND_TOKEN_STORE_ERROR_BUSY);
  g_assert_null (second);
  g_assert_cmpint (elapsed, >=, 300 * 1000);
  g_assert_cmpint (elapsed, <, 3 * G_USEC_PER_SEC);
  finding = mend_token_store_error_to_finding (error);
  g_assert_cmpstr (mend_finding_get_id (finding), ==, "token-busy");
  g_clear_error (&error);

  /* Another address is another lock. */
  someone_else = mend_token_store_lock_address (fixture->store, "carol@example.com", &error);
  g_assert_no_error (error);
  g_assert_nonnull (someone_else);

  /* Released on the last unref. */
  g_clear_pointer (&first, mend_token_lock_unref);
  again = mend_token_store_lock_address (fixture->store, "bob@example.com", &error);
  g_assert_no_error (error);
  g_assert_nonnull (again);
}

typedef struct
{
  MendTokenStore *store;
  int             acquired;
  gint64          acquired_at;
} LockThread;

static gpointer
lock_in_thread (gpointer data)
{
  LockThread *thread = data;
  g_autoptr(GError) error = NULL;
  MendTokenLock *lock;

  lock = mend_token_store_lock_address (thread->store, "dave@example.com", &error);
  g_assert_no_error (error);
  thread->acquired_at = g_get_monotonic_time ();
  g_atomic_int_set (&thread->acquired, 1);

  return lock;
}

static void
test_lock_threads (LockFixture   *fixture,
                   gconstpointer  user_data)
{
  g_autoptr(MendTokenLock) first = NULL;
  g_autoptr(MendTokenLock) second = NULL;
  g_autoptr(GError) error = NULL;
  LockThread thread = { fixture->store, 0, 0 };
  GThread *waiter;
  gint64 released_at;

  first = mend_token_store_lock_address (fixture->store, "dave@example.com", &error);
  g_assert_no_error (error);

  waiter = g_thread_new ("waiter", lock_in_thread, &thread);
  g_usleep (400 * 1000);
  g_assert_cmpint (g_atomic_int_get (&thread.acquired), ==, 0);

  released_at = g_get_monotonic_time ();
  g_clear_pointer (&first, mend_token_lock_unref);
  second = g_thread_join (waiter);
  g_assert_nonnull (second);
  g_assert_cmpint (thread.acquired_at, >=, released_at);
}

/* Another process holds the lock with flock(1), as a second `mailmend token` would. */
static void
test_lock_process (LockFixture   *fixture,
                   gconstpointer  user_data)
{
  g_autofree char *flock_program = g_find_program_in_path ("flock");
  g_autoptr(MendTokenLock) probe = NULL;
  g_autoptr(MendTokenLock) lock = NULL;
  g_autoptr(GSubprocess) holder = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  gint64 start;
  gint64 elapsed;

  if (flock_program == NULL)
    {
      g_test_skip ("flock(1) from util-linux is not installed");
      return;
    }

  /* Find the lock file's name, then let the other process hold it for 0.6 s. */
  probe = mend_token_store_lock_address (fixture->store, "erin@example.com", &error);
  g_assert_no_error (error);
  path = g_strdup (mend_token_lock_get_path (probe));
  g_clear_pointer (&probe, mend_token_lock_unref);

  holder = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error,
                             flock_program, "--exclusive", path,
                             "sh", "-c", "echo locked; sleep 0.6", NULL);
  g_assert_no_error (error);
  {
    g_autoptr(GDataInputStream) out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (holder));
    g_autofree char *line = g_data_input_stream_read_line (out, NULL, NULL, &error);

    g_assert_no_error (error);
    g_assert_cmpstr (line, ==, "locked");
  }

  start = g_get_monotonic_time ();
  lock = mend_token_store_lock_address (fixture->store, "erin@example.com", &error);
  elapsed = g_get_monotonic_time () - start;
  g_assert_no_error (error);
  g_assert_nonnull (lock);
  g_test_message ("waited %.0f ms for the other process", elapsed / 1000.0);
  g_assert_cmpint (elapsed, >=, 300 * 1000);

  g_subprocess_wait_check (holder, NULL, &error);
  g_assert_no_error (error);
}

static void
test_lock_async_cancel (LockFixture   *fixture,
                        gconstpointer  user_data)
{
  g_autoptr(MendTokenLock) first = NULL;
  g_autoptr(MendTokenLock) second = NULL;
  g_autoptr(MendTokenLock) third = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  AsyncWait wait = { g_main_loop_new (NULL, FALSE), NULL };

  first = mend_token_store_lock_address (fixture->store, "frank@example.com", &error);
  g_assert_no_error (error);

  /* Waiting in a thread; the cancellable stops the wait. */
  mend_token_store_lock_address_async (fixture->store, "frank@example.com", cancellable,
                                       on_done, &wait);
  g_timeout_add_once (200, (GSourceOnceFunc) g_cancellable_cancel, cancellable);
  g_main_loop_run (wait.loop);
  second = mend_token_store_lock_address_finish (fixture->store, wait.result, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_null (second);
  g_clear_error (&error);
  g_clear_object (&wait.result);

  /* And once the holder lets go, the async wait gets it. */
  mend_token_store_lock_address_async (fixture->store, "frank@example.com", NULL, on_done, &wait);
  g_timeout_add_once (200, (GSourceOnceFunc) mend_token_lock_unref, g_steal_pointer (&first));
  g_main_loop_run (wait.loop);
  third = mend_token_store_lock_address_finish (fixture->store, wait.result, &error);
  g_assert_no_error (error);
  g_assert_nonnull (third);
  g_clear_object (&wait.result);

  g_main_loop_unref (wait.loop);
}

static void
test_lock_without_runtime_dir (LockFixture   *fixture,
                               gconstpointer  user_data)
{
  g_autoptr(MendTokenLock) lock = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *folder = g_build_filename (g_get_user_cache_dir (), "mailmend", NULL);

  if (g_getenv ("MAILMEND_TEST_RIG") == NULL)
    {
      g_test_skip ("would write into the real cache folder outside the rig");
      return;
    }

  g_unsetenv ("XDG_RUNTIME_DIR");
  lock = mend_token_store_lock_address (fixture->store, "grace@example.com", &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (mend_token_lock_get_path (lock), folder));
}

/* Plain functions */

static void
test_normalize (void)
{
  struct { const char *in; const char *out; } cases[] = {
    { "alice@outlook.com", "alice@outlook.com" },
    { "  Alice.Martin@Outlook.COM\n", "alice.martin@outlook.com" },
    { "ÉLODIE@exemple.fr", "élodie@exemple.fr" },
    { "", NULL },
    { " \t ", NULL },
    { "\xff@example.com", NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *normalized = mend_token_store_normalize_address (cases[i].in);

      g_assert_cmpstr (normalized, ==, cases[i].out);
    }
}

static void
test_findings (void)
{
  const struct { int code; const char *id; } cases[] = {
    { MEND_TOKEN_STORE_ERROR_UNAVAILABLE, "keyring-unavailable" },
    { MEND_TOKEN_STORE_ERROR_CORRUPT, "token-corrupt" },
    { MEND_TOKEN_STORE_ERROR_BUSY, "token-busy" },
    { MEND_TOKEN_STORE_ERROR_FAILED, "keyring-failed" },
  };
  g_autoptr(GError) other = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_FAILED, "other");

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = g_error_new_literal (MEND_TOKEN_STORE_ERROR, cases[i].code, "why");
      g_autoptr(MendFinding) finding = mend_token_store_error_to_finding (error);

      g_assert_cmpstr (mend_finding_get_id (finding), ==, cases[i].id);
      g_assert_cmpstr (mend_finding_get_title (finding), !=, "");
      g_assert_cmpstr (mend_finding_get_explanation (finding), !=, "");
      g_assert_cmpstr (mend_finding_get_remedy (finding), !=, "");
      g_assert_cmpstr (mend_finding_get_details (finding), ==, "why");
    }

  g_assert_null (mend_token_store_error_to_finding (other));
}

int
main (int   argc,
      char *argv[])
{
  int ret;

  self_path = g_canonicalize_filename (argv[0], NULL);
  g_test_init (&argc, &argv, NULL);
  g_set_prgname ("test-token-store");

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("/token-store/round-trip", test_round_trip);
  ADD ("/token-store/replace", test_replace);
  ADD ("/token-store/list", test_list);
  ADD ("/token-store/delete", test_delete);
  ADD ("/token-store/corrupt", test_corrupt);
  ADD ("/token-store/async", test_async);
#undef ADD
  g_test_add_func ("/token-store/unavailable/missing-socket", test_missing_socket);
  g_test_add_func ("/token-store/unavailable/no-bus", test_no_bus);
  g_test_add_func ("/token-store/unavailable/no-service", test_no_service);
  g_test_add_func ("/token-store/unavailable/no-answer", test_no_answer);
  g_test_add_func ("/token-store/locked", test_locked);
#define ADD(path, func) g_test_add (path, LockFixture, NULL, lock_setup, func, lock_teardown)
  ADD ("/token-store/lock/file", test_lock_file);
  ADD ("/token-store/lock/timeout", test_lock_timeout);
  ADD ("/token-store/lock/threads", test_lock_threads);
  ADD ("/token-store/lock/process", test_lock_process);
  ADD ("/token-store/lock/async-cancel", test_lock_async_cancel);
  ADD ("/token-store/lock/without-runtime-dir", test_lock_without_runtime_dir);
#undef ADD
  g_test_add_func ("/token-store/normalize", test_normalize);
  g_test_add_func ("/token-store/findings", test_findings);

  ret = g_test_run ();
  secret_service_disconnect ();
  g_free (self_path);

  return ret;
}
