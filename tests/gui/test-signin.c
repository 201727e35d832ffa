/* test-signin.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The Sign In step against the fake identity provider (tests/harness/mend-fake-idp), with a
 * real WebKitWebView and the rig's real gnome-keyring: the web sign-in end to end (the form
 * submitted with JavaScript, the redirect caught, the code exchanged, the token in the keyring
 * and served by `mailmend token`), a redirect with a foreign state, a declined consent and
 * Try Again, no client id, no address, the device code, the pasted final address, what the
 * web view refuses, and leaving the page. Saves PNGs into MAILMEND_SCREENSHOT_DIR.
 *
 * Needs the rig (tests/harness/session-run): without MAILMEND_TEST_RIG or a display it skips.
 */

#include "config.h"

#include <signal.h>
#include <sys/prctl.h>
#include <unistd.h>

#include <adwaita.h>
#include <libsoup/soup.h>
#include <webkit/webkit.h>

#include "mend-test-gui.h"
#include "mend-token-store.h"
#include "pages/mend-signin-page-private.h"
#include "pages/mend-signin-page.h"

/* The fake's default client id (tests/harness/README.md). */
#define FAKE_CLIENT_ID "00000000-0000-4000-8000-000000000001"

static GString *log_text;
static GSubprocess *fake_idp;
static char *fake_base;
static SoupSession *session;

typedef struct
{
  GtkWidget      *window;
  MendSigninPage *page;
  char           *address;
  gboolean        load_finished;
} Fixture;

/* ---------------------------------------------------------------------------------------------
 * The log: everything, debug messages too, as with G_MESSAGES_DEBUG=all
 * ------------------------------------------------------------------------------------------- */

static GLogWriterOutput
capture_log (GLogLevelFlags   log_level,
             const GLogField *fields,
             gsize            n_fields,
             gpointer         user_data)
{
  for (gsize i = 0; i < n_fields; i++)
    {
      if (g_str_equal (fields[i].key, "MESSAGE") && fields[i].length < 0)
        g_string_append_printf (log_text, "%s\n", (const char *) fields[i].value);
    }

  return g_log_writer_default (log_level, fields, n_fields, user_data);
}

static void
assert_not_logged (const char *secret)
{
  g_assert_nonnull (secret);
  g_assert_cmpuint (strlen (secret), >=, 6);
  if (strstr (log_text->str, secret) != NULL)
    g_error ("A secret was logged");
}

/* ---------------------------------------------------------------------------------------------
 * Waiting
 * ------------------------------------------------------------------------------------------- */

typedef struct
{
  MendSigninPage *page;
  const char     *view;
} ViewWait;

static gboolean
page_shows_view (gpointer data)
{
  ViewWait *wait = data;

  return g_strcmp0 (_mend_signin_page_get_view_name (wait->page), wait->view) == 0;
}

static void
wait_for_view (Fixture    *fixture,
               const char *view)
{
  ViewWait wait = { fixture->page, view };
  g_autofree char *what = g_strdup_printf ("the page to show “%s”", view);

  mend_test_gui_wait_for (page_shows_view, &wait, what);
}

static void
on_load_changed (WebKitWebView   *web_view,
                 WebKitLoadEvent  load_event,
                 Fixture         *fixture)
{
  if (load_event == WEBKIT_LOAD_FINISHED &&
      strstr (webkit_web_view_get_uri (web_view), "/oauth2/v2.0/authorize") != NULL)
    fixture->load_finished = TRUE;
}

static gboolean
page_has_web_view (gpointer data)
{
  return _mend_signin_page_get_web_view (MEND_SIGNIN_PAGE (data)) != NULL;
}

/* Waits until the web view has loaded the fake's sign-in page. */
static WebKitWebView *
wait_for_authorize_page (Fixture *fixture)
{
  WebKitWebView *web_view;

  wait_for_view (fixture, "web");
  mend_test_gui_wait_for (page_has_web_view, fixture->page, "the web view");
  web_view = WEBKIT_WEB_VIEW (_mend_signin_page_get_web_view (fixture->page));

  fixture->load_finished = FALSE;
  g_signal_connect (web_view, "load-changed", G_CALLBACK (on_load_changed), fixture);
  if (!webkit_web_view_is_loading (web_view) && webkit_web_view_get_uri (web_view) != NULL &&
      strstr (webkit_web_view_get_uri (web_view), "/oauth2/v2.0/authorize") != NULL)
    fixture->load_finished = TRUE;
  mend_test_gui_wait_for (mend_test_gui_flag_is_set, &fixture->load_finished,
                          "the fake's sign-in page to load");
  g_signal_handlers_disconnect_by_data (web_view, fixture);

  return web_view;
}

static void
run_javascript (WebKitWebView *web_view,
                const char    *script)
{
  webkit_web_view_evaluate_javascript (web_view, script, -1, NULL, NULL, NULL, NULL, NULL);
}

/* ---------------------------------------------------------------------------------------------
 * Looking at widgets
 * ------------------------------------------------------------------------------------------- */

static void
assert_finding (Fixture    *fixture,
                const char *id)
{
  MendFinding *finding = _mend_signin_page_get_finding (fixture->page);

  g_assert_nonnull (finding);
  g_assert_cmpstr (mend_finding_get_id (finding), ==, id);
  mend_test_gui_assert_label_shown (GTK_WIDGET (fixture->page), mend_finding_get_title (finding));
  if (mend_finding_get_remedy (finding) != NULL)
    mend_test_gui_assert_label_shown (GTK_WIDGET (fixture->page),
                                      mend_finding_get_remedy (finding));
}

typedef struct
{
  GtkWidget     *window;
  WebKitWebView *web_view;
} PaintWait;

/* Load-finished comes before the web process has painted the page (a new
 * web process, for the page's own context, takes a while to start). The
 * fake's page is a white box on a grey body (#f2f2f2); until it is painted,
 * the view shows the window's background, then white. So: look for both. */
static gboolean
web_view_has_painted (gpointer data)
{
  PaintWait *wait = data;
  g_autoptr(GdkTexture) texture = mend_test_gui_render (wait->window);
  g_autofree guint32 *pixels = NULL;
  graphene_point_t point;
  int width = gdk_texture_get_width (texture);
  int height = gdk_texture_get_height (texture);
  int x, y, body_x, body_y;

  /* Just inside the box: 40 pixels below the view's top, 20 into its padding;
   * and the body, in the view's top left corner. */
  g_assert_true (gtk_widget_compute_point (GTK_WIDGET (wait->web_view), wait->window,
                                           &GRAPHENE_POINT_INIT (0, 0), &point));
  x = (int) point.x + gtk_widget_get_width (GTK_WIDGET (wait->web_view)) / 2 - 220 + 20;
  y = (int) point.y + 40 + 20;
  body_x = (int) point.x + 5;
  body_y = (int) point.y + 5;
  g_assert_true (x >= 0 && x < width && y >= 0 && y < height);

  pixels = g_new (guint32, (gsize) width * height);
  gdk_texture_download (texture, (guchar *) pixels, width * sizeof (guint32));

  return (pixels[y * width + x] & 0xffffff) == 0xffffff &&
         (pixels[body_y * width + body_x] & 0xffffff) == 0xf2f2f2;
}

static void
wait_for_paint (GtkWidget     *window,
                WebKitWebView *web_view)
{
  PaintWait wait = { window, web_view };

  mend_test_gui_wait_for (web_view_has_painted, &wait, "the web view to paint the page");
}

/* The WebKit processes started for this test program (under bubblewrap, so
 * grandchildren and further down). */
static guint
count_webkit_processes (void)
{
  g_autoptr(GHashTable) parents = g_hash_table_new (NULL, NULL);
  g_autoptr(GPtrArray) webkit = g_ptr_array_new ();
  g_autoptr(GDir) proc = g_dir_open ("/proc", 0, NULL);
  const char *name;
  guint count = 0;

  g_assert_nonnull (proc);
  while ((name = g_dir_read_name (proc)) != NULL)
    {
      g_autofree char *path = NULL;
      g_autofree char *stat = NULL;
      const char *comm_end;
      char *comm_start;
      int pid = atoi (name);
      int ppid = 0;

      if (pid <= 0)
        continue;

      path = g_strdup_printf ("/proc/%d/stat", pid);
      if (!g_file_get_contents (path, &stat, NULL, NULL))
        continue;

      /* pid (comm) state ppid … — comm may hold spaces and parentheses. */
      comm_start = strchr (stat, '(');
      comm_end = strrchr (stat, ')');
      if (comm_start == NULL || comm_end == NULL || sscanf (comm_end + 2, "%*c %d", &ppid) != 1)
        continue;

      g_hash_table_insert (parents, GINT_TO_POINTER (pid), GINT_TO_POINTER (ppid));
      if (g_str_has_prefix (comm_start + 1, "WebKit"))
        g_ptr_array_add (webkit, GINT_TO_POINTER (pid));
    }

  for (guint i = 0; i < webkit->len; i++)
    {
      int pid = GPOINTER_TO_INT (g_ptr_array_index (webkit, i));

      for (guint depth = 0; pid > 1 && depth < 16; depth++)
        {
          pid = GPOINTER_TO_INT (g_hash_table_lookup (parents, GINT_TO_POINTER (pid)));
          if (pid == getpid ())
            {
              count++;
              break;
            }
        }
    }

  return count;
}

static gboolean
no_webkit_processes (gpointer data)
{
  return count_webkit_processes () == 0;
}

/* ---------------------------------------------------------------------------------------------
 * The fake identity provider
 * ------------------------------------------------------------------------------------------- */

static void
die_with_parent (gpointer data)
{
  prctl (PR_SET_PDEATHSIG, SIGTERM);
}

static void
start_fake_idp (void)
{
  const char *program = g_getenv ("MAILMEND_FAKE_IDP");
  const char *argv[] = { program, "--port=0", "--interval=1", NULL };
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GDataInputStream) out = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *line = NULL;

  g_assert_nonnull (program);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                        G_SUBPROCESS_FLAGS_STDERR_SILENCE);
  g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);
  fake_idp = g_subprocess_launcher_spawnv (launcher, argv, &error);
  g_assert_no_error (error);

  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (fake_idp));
  g_filter_input_stream_set_close_base_stream (G_FILTER_INPUT_STREAM (out), FALSE);
  line = g_data_input_stream_read_line_utf8 (out, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (line);
  g_assert_true (g_str_has_prefix (line, "listening on http://127.0.0.1:"));
  fake_base = g_strdup (line + strlen ("listening on "));

  session = soup_session_new ();
  soup_session_set_proxy_resolver (session, NULL);
  soup_session_set_timeout (session, 20);
}

static void
stop_fake_idp (void)
{
  g_clear_object (&session);
  g_subprocess_send_signal (fake_idp, SIGTERM);
  g_subprocess_wait (fake_idp, NULL, NULL);
  g_clear_object (&fake_idp);
  g_clear_pointer (&fake_base, g_free);
}

/* POSTs a form to the fake; returns the message, answered. */
static SoupMessage *
fake_post (const char       *path,
           const char       *form,
           SoupMessageFlags  flags,
           char            **body)
{
  g_autofree char *url = g_strconcat (fake_base, path, NULL);
  g_autoptr(SoupMessage) message = soup_message_new ("POST", url);
  g_autoptr(GBytes) request = g_bytes_new (form, strlen (form));
  g_autoptr(GBytes) answer = NULL;
  g_autoptr(GError) error = NULL;

  soup_message_set_flags (message, flags);
  soup_message_set_request_body_from_bytes (message, "application/x-www-form-urlencoded", request);
  answer = soup_session_send_and_read (session, message, NULL, &error);
  g_assert_no_error (error);

  if (body != NULL)
    *body = g_strndup (g_bytes_get_data (answer, NULL), g_bytes_get_size (answer));

  return g_steal_pointer (&message);
}

static void
fake_control (const char *path,
              const char *form)
{
  g_autoptr(SoupMessage) message = fake_post (path, form, 0, NULL);

  g_assert_cmpuint (soup_message_get_status (message), ==, 200);
}

/* ---------------------------------------------------------------------------------------------
 * The fixture: a window with the page, the fake as the authority
 * ------------------------------------------------------------------------------------------- */

static void
set_sign_in_settings (const char *client_id)
{
  g_autoptr(GSettings) settings = g_settings_new (SCHEMA_ID);

  g_settings_set_string (settings, "microsoft-authority", fake_base);
  g_settings_set_string (settings, "microsoft-client-id", client_id);
  g_settings_set_string (settings, "microsoft-tenant", "");
}

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  const char *client_id = data ? data : FAKE_CLIENT_ID;
  g_autofree char *name = g_path_get_basename (g_test_get_path ());

  fake_control ("/_test/reset", "");
  set_sign_in_settings (client_id);

  /* An address of this test and process only, in the rig's one keyring. */
  fixture->address = g_strdup_printf ("signin-%s-%u@outlook.com", name, (guint) getpid ());

  fixture->page = g_object_new (MEND_TYPE_SIGNIN_PAGE, NULL);
  fixture->window = mend_test_gui_window_new (GTK_WIDGET (fixture->page), 760, 720);
}

static void
show_page (Fixture    *fixture,
           const char *address)
{
  mend_signin_page_set_address (fixture->page, address);
  gtk_window_present (GTK_WINDOW (fixture->window));
  mend_test_gui_wait_for_frame (fixture->window);
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  if (fixture->window != NULL)
    gtk_window_destroy (GTK_WINDOW (fixture->window));

  if (fixture->address != NULL)
    mend_test_gui_forget_sign_in (fixture->address);

  /* What the page started ends with it. */
  mend_test_gui_run_pending ();

  g_clear_pointer (&fixture->address, g_free);
}

static MendOAuthToken *
lookup_token (const char *address)
{
  g_autoptr(MendTokenStore) store = mend_token_store_new ();
  g_autoptr(MendOAuthToken) token = NULL;
  g_autoptr(GError) error = NULL;

  token = mend_token_store_lookup_sync (store, address, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (token);

  return g_steal_pointer (&token);
}

static void
assert_token_stored (Fixture *fixture)
{
  g_autoptr(MendOAuthToken) token = lookup_token (fixture->address);

  g_assert_cmpstr (mend_oauth_token_get_address (token), ==, fixture->address);
  g_assert_nonnull (mend_oauth_token_get_access_token (token));
  g_assert_nonnull (mend_oauth_token_get_refresh_token (token));
  g_assert_cmpstr (mend_oauth_token_get_client_id (token), ==, FAKE_CLIENT_ID);
  g_assert_cmpstr (mend_oauth_token_get_authority (token), ==, fake_base);
  g_assert_cmpint (mend_oauth_token_get_tenant_type (token), ==, MEND_TENANT_TYPE_CONSUMER);

  assert_not_logged (mend_oauth_token_get_access_token (token));
  assert_not_logged (mend_oauth_token_get_refresh_token (token));
}

static void
assert_signed_in (Fixture *fixture)
{
  g_autofree char *expected = NULL;

  wait_for_view (fixture, "done");
  g_assert_true (mend_signin_page_get_complete (fixture->page));
  g_assert_null (_mend_signin_page_get_finding (fixture->page));
  expected = g_strdup_printf ("Signed in as %s, a personal Microsoft account.", fixture->address);
  mend_test_gui_assert_label_shown (GTK_WIDGET (fixture->page), expected);
  assert_token_stored (fixture);
}

/* ---------------------------------------------------------------------------------------------
 * Tests
 * ------------------------------------------------------------------------------------------- */

/* `mailmend token ADDRESS`, in a subprocess, prints the stored access token. */
static void
assert_cli_serves_token (Fixture *fixture)
{
  g_autoptr(MendOAuthToken) token = lookup_token (fixture->address);
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  const char *cli = g_getenv ("MAILMEND_CLI");

  g_assert_nonnull (cli);
  process = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE,
                              &error, cli, "token", fixture->address, NULL);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, NULL, NULL, &out, &err, &error);
  g_assert_no_error (error);

  if (g_subprocess_get_exit_status (process) == 2 && strstr (err, "token") != NULL &&
      strstr (err, "Unknown command") != NULL)
    {
      g_test_message ("mailmend token is not built yet: checked the keyring only");
      return;
    }

  g_assert_cmpint (g_subprocess_get_exit_status (process), ==, 0);
  g_assert_cmpstr (g_strchomp (out), ==, mend_oauth_token_get_access_token (token));
}

static void
test_web_sign_in (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autofree char *host = NULL;
  WebKitNetworkSession *network_session;
  WebKitWebView *web_view;

  show_page (fixture, fixture->address);
  web_view = wait_for_authorize_page (fixture);
  g_assert_false (mend_signin_page_get_complete (fixture->page));

  /* Its own session, forgotten afterwards. */
  network_session = webkit_web_view_get_network_session (web_view);
  g_assert_true (webkit_network_session_is_ephemeral (network_session));

  /* Where the page comes from, and that it is plain http (loopback only). */
  host = g_strdup (fake_base + strlen ("http://"));
  mend_test_gui_assert_label_shown (GTK_WIDGET (fixture->page), host);
  mend_test_gui_assert_label_shown (GTK_WIDGET (fixture->page), "Not Secure");
  wait_for_paint (fixture->window, web_view);
  mend_test_gui_save_screenshot (fixture->window, "01-web-view.png");

  /* Nothing keeps them once the sign-in is over. */
  g_object_add_weak_pointer (G_OBJECT (network_session), (gpointer *) &network_session);
  g_object_add_weak_pointer (G_OBJECT (web_view), (gpointer *) &web_view);

  run_javascript (web_view, "document.forms[0].submit();");
  assert_signed_in (fixture);
  mend_test_gui_save_screenshot (fixture->window, "02-signed-in.png");

  /* The web view is gone, and its processes with it. */
  g_assert_null (_mend_signin_page_get_web_view (fixture->page));
  g_assert_null (web_view);
  g_assert_null (network_session);
  mend_test_gui_wait_for (no_webkit_processes, NULL, "the web view's processes to exit");

  assert_cli_serves_token (fixture);
}

/* Stores a sign-in as `mailmend signin` would have, without the provider. */
static void
store_sign_in (const char *address)
{
  g_autoptr(MendOAuthToken) token = NULL;

  token = mend_test_gui_token_new (address, "stored-access-token-for-the-test",
                                   "stored-refresh-token-for-the-test");
  mend_oauth_token_set_authority (token, fake_base);
  mend_oauth_token_set_client_id (token, FAKE_CLIENT_ID);
  mend_test_gui_store_token (token);
}

/* A sign-in already in the keyring (from `mailmend signin`, or an earlier run) is used as it
 * is: no web view, the step is complete; Sign In Again starts a new one. */
static void
test_already_signed_in (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autofree char *expected = NULL;

  store_sign_in (fixture->address);
  show_page (fixture, fixture->address);

  wait_for_view (fixture, "done");
  g_assert_true (mend_signin_page_get_complete (fixture->page));
  g_assert_null (_mend_signin_page_get_web_view (fixture->page));
  expected = g_strdup_printf ("%s is already signed in: Mailmend keeps the sign-in in your "
                              "keyring.", fixture->address);
  mend_test_gui_assert_label_shown (GTK_WIDGET (fixture->page), expected);
  mend_test_gui_assert_label_shown (GTK_WIDGET (fixture->page), "Already Signed In");
  mend_test_gui_save_screenshot (fixture->window, "11-already-signed-in.png");

  gtk_widget_activate_action (GTK_WIDGET (fixture->page), "signin.again", NULL);
  g_assert_false (mend_signin_page_get_complete (fixture->page));
  wait_for_authorize_page (fixture);
  g_assert_false (mend_signin_page_get_complete (fixture->page));
}

/* Two chosen accounts with two addresses: signed in one after the other. */
static void
test_two_addresses (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autofree char *second = g_strconcat ("second-", fixture->address, NULL);
  g_autofree char *button = g_strdup_printf ("Sign In as %s", second);
  g_autofree char *expected = NULL;
  const char *addresses[] = { fixture->address, second, NULL };
  WebKitWebView *web_view;

  mend_test_gui_forget_sign_in (second);
  mend_signin_page_set_addresses (fixture->page, addresses);
  gtk_window_present (GTK_WINDOW (fixture->window));
  mend_test_gui_wait_for_frame (fixture->window);

  web_view = wait_for_authorize_page (fixture);
  g_assert_cmpstr (mend_signin_page_get_address (fixture->page), ==, fixture->address);
  run_javascript (web_view, "document.forms[0].submit();");
  wait_for_view (fixture, "done");
  assert_token_stored (fixture);
  /* The wizard may go on without the second one, but offers it. */
  g_assert_true (mend_signin_page_get_complete (fixture->page));
  mend_test_gui_assert_label_shown (GTK_WIDGET (fixture->page), button);
  mend_test_gui_save_screenshot (fixture->window, "12-next-address.png");

  gtk_widget_activate_action (GTK_WIDGET (fixture->page), "signin.next-address", NULL);
  g_assert_cmpstr (mend_signin_page_get_address (fixture->page), ==, second);
  web_view = wait_for_authorize_page (fixture);
  g_assert_false (mend_signin_page_get_complete (fixture->page));
  run_javascript (web_view, "document.forms[0].submit();");
  wait_for_view (fixture, "done");
  g_assert_true (mend_signin_page_get_complete (fixture->page));
  expected = g_strdup_printf ("Signed in as %s, a personal Microsoft account.", second);
  mend_test_gui_assert_label_shown (GTK_WIDGET (fixture->page), expected);
  g_object_unref (lookup_token (second));

  mend_test_gui_forget_sign_in (second);
}

/* Of the chosen addresses, those signed in before are not offered again. */
static void
test_some_signed_in_before (Fixture       *fixture,
                            gconstpointer  data)
{
  g_autofree char *second = g_strconcat ("second-", fixture->address, NULL);
  g_autofree char *third = g_strconcat ("third-", fixture->address, NULL);
  g_autofree char *button = g_strdup_printf ("Sign In as %s", third);
  const char *addresses[] = { fixture->address, second, third, NULL };
  WebKitWebView *web_view;

  store_sign_in (second);
  mend_test_gui_forget_sign_in (third);
  mend_signin_page_set_addresses (fixture->page, addresses);
  gtk_window_present (GTK_WINDOW (fixture->window));
  mend_test_gui_wait_for_frame (fixture->window);

  web_view = wait_for_authorize_page (fixture);
  run_javascript (web_view, "document.forms[0].submit();");
  wait_for_view (fixture, "done");
  mend_test_gui_assert_label_shown (GTK_WIDGET (fixture->page), button);

  mend_test_gui_forget_sign_in (second);
}

/* The user picked another account on the provider's page: kept, with a warning. */
static void
test_other_account (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(MendOAuthToken) token = NULL;
  g_autofree char *warning = NULL;
  WebKitWebView *web_view;

  show_page (fixture, fixture->address);
  web_view = wait_for_authorize_page (fixture);
  run_javascript (web_view, "document.getElementById('login').value = 'someone-else@outlook.com';"
                            "document.forms[0].submit();");
  wait_for_view (fixture, "done");

  token = lookup_token (fixture->address);
  g_assert_cmpstr (mend_oauth_token_get_signed_in_as (token), ==, "someone-else@outlook.com");
  warning = g_strdup_printf ("Microsoft signed you in as someone-else@outlook.com, not %s. If "
                             "that is another mailbox and not an alias of this one, your mail "
                             "app will be refused: choose Sign In Again and pick the right "
                             "account.", fixture->address);
  mend_test_gui_assert_label_shown (GTK_WIDGET (fixture->page), warning);
  mend_test_gui_save_screenshot (fixture->window, "13-other-account.png");
}

static void
test_state_mismatch (Fixture       *fixture,
                     gconstpointer  data)
{
  WebKitWebView *web_view;

  show_page (fixture, fixture->address);
  web_view = wait_for_authorize_page (fixture);

  /* A redirect that belongs to another sign-in. */
  webkit_web_view_load_uri (web_view, "https://login.microsoftonline.com/common/oauth2/nativeclient"
                                      "?code=M.C5_BAY.stolen&state=not-this-flows-state");
  wait_for_view (fixture, "error");
  assert_finding (fixture, "state-mismatch");
  mend_test_gui_assert_label_shown (GTK_WIDGET (fixture->page), "_Try Again");
  g_assert_false (mend_signin_page_get_complete (fixture->page));
  mend_test_gui_save_screenshot (fixture->window, "03-state-mismatch.png");
  mend_test_gui_wait_for (no_webkit_processes, NULL, "the web view's processes to exit");

  /* Nothing reached the keyring. */
  {
    g_autoptr(MendTokenStore) store = mend_token_store_new ();
    g_autoptr(MendOAuthToken) token = NULL;

    token = mend_token_store_lookup_sync (store, fixture->address, NULL, NULL);
    g_assert_null (token);
  }
}

static void
test_declined (Fixture       *fixture,
               gconstpointer  data)
{
  WebKitWebView *web_view;

  show_page (fixture, fixture->address);
  web_view = wait_for_authorize_page (fixture);

  run_javascript (web_view, "document.getElementById('decline').click();");
  wait_for_view (fixture, "error");
  assert_finding (fixture, "consent-declined");
  mend_test_gui_save_screenshot (fixture->window, "04-declined.png");

  /* Try Again starts a new sign-in, in a new web view, and this one works. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->page), "signin.retry", NULL));
  web_view = wait_for_authorize_page (fixture);
  run_javascript (web_view, "document.forms[0].submit();");
  assert_signed_in (fixture);
}

static void
test_no_client_id (Fixture       *fixture,
                   gconstpointer  data)
{
  if (MICROSOFT_CLIENT_ID[0] != '\0')
    {
      g_test_skip ("this build has a client id built in");
      return;
    }

  show_page (fixture, fixture->address);
  wait_for_view (fixture, "no-client-id");
  assert_finding (fixture, "client-id-missing");
  g_assert_null (_mend_signin_page_get_web_view (fixture->page));
  g_assert_true (mend_signin_page_get_complete (fixture->page));
  mend_test_gui_save_screenshot (fixture->window, "05-no-client-id.png");
}

static void
test_no_address (Fixture       *fixture,
                 gconstpointer  data)
{
  GtkWidget *label;
  GtkWidget *row;

  show_page (fixture, NULL);
  wait_for_view (fixture, "address");
  g_assert_false (mend_signin_page_get_complete (fixture->page));
  mend_test_gui_save_screenshot (fixture->window, "06-address.png");

  /* Typed into the page's address row, then Sign In. */
  label = mend_test_gui_find_label (GTK_WIDGET (fixture->page), "Email Address");
  row = gtk_widget_get_ancestor (label, ADW_TYPE_ENTRY_ROW);
  g_assert_nonnull (row);
  gtk_editable_set_text (GTK_EDITABLE (row), fixture->address);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->page), "signin.start", NULL));
  g_assert_cmpstr (mend_signin_page_get_address (fixture->page), ==, fixture->address);

  run_javascript (wait_for_authorize_page (fixture), "document.forms[0].submit();");
  assert_signed_in (fixture);
}

static gboolean
page_has_user_code (gpointer data)
{
  return _mend_signin_page_get_user_code (MEND_SIGNIN_PAGE (data)) != NULL;
}

static void
test_device_code (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autofree char *form = NULL;
  g_autofree char *user_code = NULL;

  show_page (fixture, fixture->address);
  wait_for_authorize_page (fixture);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->page), "signin.use-code", NULL));
  wait_for_view (fixture, "code");
  /* No web view while signing in elsewhere. */
  g_assert_null (_mend_signin_page_get_web_view (fixture->page));
  mend_test_gui_wait_for (page_has_user_code, fixture->page, "a device code");
  user_code = g_strdup (_mend_signin_page_get_user_code (fixture->page));
  mend_test_gui_assert_label_shown (GTK_WIDGET (fixture->page), user_code);
  mend_test_gui_assert_label_shown (GTK_WIDGET (fixture->page), "Waiting for you to sign in…");
  mend_test_gui_save_screenshot (fixture->window, "07-device-code.png");

  /* The user types the code on another device, and signs in there. */
  form = soup_form_encode ("user_code", user_code, "login", fixture->address, NULL);
  fake_control ("/_test/approve", form);
  assert_signed_in (fixture);
  assert_not_logged (user_code);
}

static void
test_pasted_address (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(GUri) authorize = NULL;
  g_autoptr(GHashTable) params = NULL;
  g_autoptr(SoupMessage) message = NULL;
  g_autofree char *submit_path = NULL;
  g_autofree char *form = NULL;
  GtkWidget *label;
  GtkWidget *row;
  const char *location;

  show_page (fixture, fixture->address);
  wait_for_view (fixture, "web");
  _mend_signin_page_use_method (fixture->page, MEND_SIGNIN_METHOD_BROWSER);
  wait_for_view (fixture, "browser");
  g_assert_null (_mend_signin_page_get_web_view (fixture->page));
  mend_test_gui_save_screenshot (fixture->window, "08-browser.png");

  /* What the user's browser does: the sign-in form, answered by a redirect. */
  authorize = g_uri_parse (_mend_signin_page_get_authorize_url (fixture->page),
                           G_URI_FLAGS_ENCODED, NULL);
  g_assert_nonnull (authorize);
  params = g_uri_parse_params (g_uri_get_query (authorize), -1, "&", G_URI_PARAMS_WWW_FORM, NULL);
  g_assert_nonnull (params);
  g_hash_table_insert (params, g_strdup ("login"), g_strdup (fixture->address));
  g_hash_table_insert (params, g_strdup ("password"), g_strdup ("any"));
  form = soup_form_encode_hash (params);
  submit_path = g_strconcat (g_uri_get_path (authorize), "/submit", NULL);
  message = fake_post (submit_path, form, SOUP_MESSAGE_NO_REDIRECT, NULL);
  g_assert_cmpuint (soup_message_get_status (message), ==, 302);
  location = soup_message_headers_get_one (soup_message_get_response_headers (message), "Location");
  g_assert_nonnull (location);

  label = mend_test_gui_find_label (GTK_WIDGET (fixture->page),
                                    "Paste the address your browser ended on");
  row = gtk_widget_get_ancestor (label, ADW_TYPE_ENTRY_ROW);
  g_assert_nonnull (row);

  /* A wrong paste is said so, on the same page. */
  gtk_editable_set_text (GTK_EDITABLE (row), "https://example.com/");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->page), "signin.continue", NULL));
  g_assert_cmpstr (_mend_signin_page_get_view_name (fixture->page), ==, "browser");
  g_assert_true (gtk_widget_has_css_class (row, "error"));

  gtk_editable_set_text (GTK_EDITABLE (row), location);
  g_assert_false (gtk_widget_has_css_class (row, "error"));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->page), "signin.continue", NULL));
  assert_signed_in (fixture);

  /* Neither the code nor the state went to the log. */
  {
    g_autoptr(GUri) redirect = g_uri_parse (location, G_URI_FLAGS_ENCODED, NULL);
    g_autoptr(GHashTable) answer = g_uri_parse_params (g_uri_get_query (redirect), -1, "&",
                                                       G_URI_PARAMS_WWW_FORM, NULL);

    assert_not_logged (g_hash_table_lookup (answer, "code"));
    assert_not_logged (g_hash_table_lookup (answer, "state"));
  }
}

static guint
count_toplevels (void)
{
  return g_list_model_get_n_items (gtk_window_get_toplevels ());
}

/* Nothing answers at the authority: the page says so, with Try Again. */
static void
test_unreachable (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(GSettings) settings = g_settings_new (SCHEMA_ID);
  g_autoptr(GSocketListener) listener = g_socket_listener_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *authority = NULL;
  guint16 port;

  /* A port that was free a moment ago, so nothing listens there. */
  port = g_socket_listener_add_any_inet_port (listener, NULL, &error);
  g_assert_no_error (error);
  g_socket_listener_close (listener);
  authority = g_strdup_printf ("http://127.0.0.1:%u", port);

  g_settings_set_string (settings, "microsoft-authority", authority);
  show_page (fixture, fixture->address);
  wait_for_view (fixture, "error");
  assert_finding (fixture, "sign-in-page-unavailable");
  mend_test_gui_assert_label_shown (GTK_WIDGET (fixture->page), "Use a Code Instead");
  mend_test_gui_wait_for (no_webkit_processes, NULL, "the web view's processes to exit");
}

/* Other schemes, plain http off loopback, popups: refused, and the page stays. */
static void
test_refusals (Fixture       *fixture,
               gconstpointer  data)
{
  static const char *refused[] = {
    "file:///etc/passwd",
    "http://example.com/",
    "mailto:alice@example.com",
    "data:text/html,<p>hello</p>",
  };
  g_autofree char *authorize_uri = NULL;
  WebKitWebView *web_view;
  guint toplevels;

  show_page (fixture, fixture->address);
  web_view = wait_for_authorize_page (fixture);
  authorize_uri = g_strdup (webkit_web_view_get_uri (web_view));

  for (guint i = 0; i < G_N_ELEMENTS (refused); i++)
    {
      webkit_web_view_load_uri (web_view, refused[i]);
      mend_test_gui_run_for (200);
      g_assert_cmpstr (webkit_web_view_get_uri (web_view), ==, authorize_uri);
      g_assert_cmpstr (_mend_signin_page_get_view_name (fixture->page), ==, "web");
    }

  toplevels = count_toplevels ();
  run_javascript (web_view, "window.open('http://127.0.0.1:1/', '_blank');");
  mend_test_gui_run_for (300);
  g_assert_cmpuint (count_toplevels (), ==, toplevels);
  g_assert_cmpstr (webkit_web_view_get_uri (web_view), ==, authorize_uri);

  /* And the sign-in still works. */
  run_javascript (web_view, "document.forms[0].submit();");
  assert_signed_in (fixture);
}

/* Leaving the page stops the sign-in and releases the web view; coming back starts anew. */
static void
test_leave_page (Fixture       *fixture,
                 gconstpointer  data)
{
  WebKitWebView *web_view;

  show_page (fixture, fixture->address);
  wait_for_authorize_page (fixture);

  gtk_widget_set_visible (GTK_WIDGET (fixture->page), FALSE);
  g_assert_null (_mend_signin_page_get_web_view (fixture->page));
  mend_test_gui_wait_for (no_webkit_processes, NULL, "the web view's processes to exit");

  gtk_widget_set_visible (GTK_WIDGET (fixture->page), TRUE);
  web_view = wait_for_authorize_page (fixture);
  run_javascript (web_view, "document.forms[0].submit();");
  assert_signed_in (fixture);

  /* Signed in, the page stays so. */
  gtk_widget_set_visible (GTK_WIDGET (fixture->page), FALSE);
  gtk_widget_set_visible (GTK_WIDGET (fixture->page), TRUE);
  g_assert_cmpstr (_mend_signin_page_get_view_name (fixture->page), ==, "done");
  g_assert_null (_mend_signin_page_get_web_view (fixture->page));
}

int
main (int   argc,
      char *argv[])
{
  int status;

  g_test_init (&argc, &argv, NULL);
  log_text = g_string_new (NULL);
  g_log_set_writer_func (capture_log, NULL, NULL);
  /* WebKit and GTK derive folders from the program name (feasibility.md, pitfall 8). */
  g_set_prgname ("test-signin");

  if (!mend_test_gui_in_rig ())
    return 0;

  if (!mend_test_gui_init ())
    return 0;
  mend_test_gui_use_gnome_look ();

  start_fake_idp ();

#define ADD(path, func, data) \
  g_test_add (path, Fixture, data, fixture_setup, func, fixture_teardown)
  ADD ("/signin/web", test_web_sign_in, NULL);
  ADD ("/signin/state-mismatch", test_state_mismatch, NULL);
  ADD ("/signin/declined", test_declined, NULL);
  ADD ("/signin/no-client-id", test_no_client_id, "");
  ADD ("/signin/no-address", test_no_address, NULL);
  ADD ("/signin/device-code", test_device_code, NULL);
  ADD ("/signin/pasted-address", test_pasted_address, NULL);
  ADD ("/signin/unreachable", test_unreachable, NULL);
  ADD ("/signin/refusals", test_refusals, NULL);
  ADD ("/signin/leave-page", test_leave_page, NULL);
  ADD ("/signin/already-signed-in", test_already_signed_in, NULL);
  ADD ("/signin/two-addresses", test_two_addresses, NULL);
  ADD ("/signin/some-signed-in-before", test_some_signed_in_before, NULL);
  ADD ("/signin/other-account", test_other_account, NULL);
#undef ADD

  status = g_test_run ();
  stop_fake_idp ();
  g_string_free (log_text, TRUE);

  return status;
}
