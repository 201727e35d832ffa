/* test-mail-server.c: the rig's mail server, proven with real clients
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Each test starts the fake identity provider, signs an address in there with the device code
 * grant, and starts tests/harness/mail-server (Dovecot + SMTP sink) checking tokens against the
 * provider's /introspect. Then, over GIO sockets and TLS trusting only the rig's CA: IMAPS and
 * IMAP STARTTLS `AUTHENTICATE XOAUTH2` and the welcome message in INBOX; refused tokens (garbage,
 * another user's, revoked) with the error challenge answered; POP3S and POP3 STLS; submission
 * STARTTLS with a message relayed to the sink; no AUTH on a plain port before STARTTLS;
 * Debian's msmtp sending with `auth xoauth2` and mbsync syncing INBOX; start-up time; and
 * nothing left running after stop, or after the process that started the server is gone.
 */

#include "config.h"

#include <signal.h>
#include <string.h>

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "mend-test-mail-server.h"
#include "mend-test-oauth.h"

#define ALICE "alice@example.com"
#define BOB "bob@outlook.com"
#define WELCOME_SUBJECT "Subject: Welcome to the Mailmend test server"
#define SCOPES "https://outlook.office.com/IMAP.AccessAsUser.All " \
               "https://outlook.office.com/POP.AccessAsUser.All " \
               "https://outlook.office.com/SMTP.Send offline_access"

/* About 0.2 s on an idle machine; the limits leave room for a loaded one. */
#define START_LIMIT_US (5 * G_USEC_PER_SEC)
#define GONE_LIMIT_US (5 * G_USEC_PER_SEC)

typedef struct
{
  MendTestIdp        *idp;
  MendTestMailServer *server;
  char               *token;
  gint64              start_us;
} Fixture;

/* A line-oriented client: a socket, maybe TLS over it. */
typedef struct
{
  GSocketConnection *socket;
  GIOStream         *stream;
  GDataInputStream  *in;
} Client;

/* ------------------------------------------------------------------------------------------ */

static JsonObject *
post_json (const char *url,
           const char *first_field,
           ...)
{
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GHashTable) fields = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;
  const char *name = first_field;
  va_list args;

  va_start (args, first_field);
  for (; name != NULL; name = va_arg (args, const char *))
    g_hash_table_insert (fields, (gpointer) name, va_arg (args, char *));
  va_end (args);

  soup_session_set_proxy_resolver (session, NULL);
  msg = soup_message_new_from_encoded_form ("POST", url, soup_form_encode_hash (fields));
  body = soup_session_send_and_read (session, msg, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (soup_message_get_status (msg), ==, 200);
  json_parser_load_from_data (parser, g_bytes_get_data (body, NULL), g_bytes_get_size (body),
                              &error);
  g_assert_no_error (error);

  return json_object_ref (json_node_get_object (json_parser_get_root (parser)));
}

/* Signs @login in at the fake provider with the device code grant (no keyring involved). */
static char *
get_token (MendTestIdp *idp,
           const char  *login)
{
  g_autofree char *devicecode_url = g_strconcat (idp->base, "/common/oauth2/v2.0/devicecode",
                                                 NULL);
  g_autofree char *token_url = g_strconcat (idp->base, "/common/oauth2/v2.0/token", NULL);
  g_autoptr(JsonObject) device = NULL;
  g_autoptr(JsonObject) grant = NULL;

  device = post_json (devicecode_url, "client_id", MEND_TEST_CLIENT_ID, "scope", SCOPES, NULL);
  mend_test_idp_control (idp, "approve",
                         "user_code", json_object_get_string_member (device, "user_code"),
                         "login", login,
                         NULL);
  grant = post_json (token_url,
                     "client_id", MEND_TEST_CLIENT_ID,
                     "grant_type", "urn:ietf:params:oauth:grant-type:device_code",
                     "device_code", json_object_get_string_member (device, "device_code"),
                     NULL);

  return g_strdup (json_object_get_string_member (grant, "access_token"));
}

/* The SASL XOAUTH2 initial response, base64. */
static char *
xoauth2 (const char *user,
         const char *token)
{
  g_autofree char *raw = g_strdup_printf ("user=%s\001auth=Bearer %s\001\001", user, token);

  return g_base64_encode ((const guchar *) raw, strlen (raw));
}

/* ------------------------------------------------------------------------------------------ */

static void
client_start_tls (Client     *client,
                  const char *ca_file,
                  const char *host)
{
  g_autoptr(GTlsDatabase) database = NULL;
  g_autoptr(GSocketConnectable) identity = NULL;
  g_autoptr(GIOStream) tls = NULL;
  g_autoptr(GError) error = NULL;

  database = g_tls_file_database_new (ca_file, &error);
  g_assert_no_error (error);
  identity = g_network_address_new (host, 0);
  tls = g_tls_client_connection_new (G_IO_STREAM (client->socket), identity, &error);
  g_assert_no_error (error);
  g_tls_connection_set_database (G_TLS_CONNECTION (tls), database);
  g_tls_connection_handshake (G_TLS_CONNECTION (tls), NULL, &error);
  g_assert_no_error (error);

  /* Nothing is buffered: the server says nothing between its STARTTLS answer and the
   * handshake. */
  g_clear_object (&client->in);
  g_set_object (&client->stream, tls);
  client->in = g_data_input_stream_new (g_io_stream_get_input_stream (client->stream));
  g_filter_input_stream_set_close_base_stream (G_FILTER_INPUT_STREAM (client->in), FALSE);
}

/* Connects to @host (which the certificate must name) on @port; TLS at once with @ca_file. */
static Client *
client_open (const char *host,
             guint16     port,
             const char *ca_file)
{
  g_autoptr(GSocketClient) socket_client = g_socket_client_new ();
  g_autoptr(GError) error = NULL;
  Client *client = g_new0 (Client, 1);

  g_socket_client_set_timeout (socket_client, 20);
  client->socket = g_socket_client_connect_to_host (socket_client, host, port, NULL, &error);
  g_assert_no_error (error);
  client->stream = g_object_ref (G_IO_STREAM (client->socket));
  client->in = g_data_input_stream_new (g_io_stream_get_input_stream (client->stream));
  g_filter_input_stream_set_close_base_stream (G_FILTER_INPUT_STREAM (client->in), FALSE);

  if (ca_file != NULL)
    client_start_tls (client, ca_file, host);

  return client;
}

static void
client_free (Client *client)
{
  g_io_stream_close (client->stream, NULL, NULL);
  g_clear_object (&client->in);
  g_clear_object (&client->stream);
  g_clear_object (&client->socket);
  g_free (client);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Client, client_free)

/* Never logged: lines may carry a token. */
static void
client_send (Client     *client,
             const char *line)
{
  g_autofree char *data = g_strconcat (line, "\r\n", NULL);
  g_autoptr(GError) error = NULL;

  g_output_stream_write_all (g_io_stream_get_output_stream (client->stream), data, strlen (data),
                             NULL, NULL, &error);
  g_assert_no_error (error);
}

static char *
client_read_line (Client *client)
{
  g_autoptr(GError) error = NULL;
  char *line;
  gsize length = 0;

  line = g_data_input_stream_read_line (client->in, &length, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (line);
  if (length > 0 && line[length - 1] == '\r')
    line[length - 1] = '\0';

  return line;
}

/* Reads IMAP lines up to the one tagged @tag; returns them all, the tagged one last. */
static char *
imap_read_until (Client     *client,
                 const char *tag)
{
  g_autofree char *prefix = g_strconcat (tag, " ", NULL);
  GString *text = g_string_new (NULL);

  for (;;)
    {
      g_autofree char *line = client_read_line (client);

      g_string_append_printf (text, "%s\n", line);
      if (g_str_has_prefix (line, prefix))
        return g_string_free (text, FALSE);
    }
}

static char *
imap_command (Client     *client,
              const char *tag,
              const char *command)
{
  g_autofree char *line = g_strdup_printf ("%s %s", tag, command);

  client_send (client, line);
  return imap_read_until (client, tag);
}

/* The last line of a multi-line answer. */
static const char *
last_line (const char *text)
{
  const char *end = text + strlen (text);

  g_assert_true (end > text && end[-1] == '\n');
  for (end--; end > text && end[-1] != '\n'; end--)
    ;
  return end;
}

static void
imap_login (Client     *client,
            const char *user,
            const char *token)
{
  g_autofree char *ir = xoauth2 (user, token);
  g_autofree char *command = g_strconcat ("AUTHENTICATE XOAUTH2 ", ir, NULL);
  g_autofree char *answer = imap_command (client, "L1", command);

  g_assert_true (g_str_has_prefix (last_line (answer), "L1 OK"));
}

/* An SMTP reply: every line, up to the one with a space after the code. */
static char *
smtp_read_reply (Client *client)
{
  GString *text = g_string_new (NULL);

  for (;;)
    {
      g_autofree char *line = client_read_line (client);

      g_assert_cmpuint (strlen (line), >=, 3);
      g_string_append_printf (text, "%s\n", line);
      if (line[3] != '-')
        return g_string_free (text, FALSE);
    }
}

static char *
smtp_command (Client     *client,
              const char *command)
{
  client_send (client, command);
  return smtp_read_reply (client);
}

static void
assert_reply (char       *reply,
              const char *code)
{
  g_autofree char *owned = reply;

  if (!g_str_has_prefix (last_line (owned), code))
    g_error ("expected %s, got:\n%s", code, owned);
}

/* ------------------------------------------------------------------------------------------ */

/* Processes whose command line mentions @pattern, as `pgrep -a -f` lists them. */
static char *
pgrep (const char *pattern)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *err = NULL;
  char *out = NULL;
  int status = 0;

  g_spawn_sync (NULL, (char *[]) { (char *) "pgrep", (char *) "-a", (char *) "-f",
                                   (char *) pattern, NULL },
                NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, &out, &err, &status, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (err, ==, "");

  return out;
}

static gboolean
port_accepts (guint16 port)
{
  g_autoptr(GSocketClient) socket_client = g_socket_client_new ();
  g_autoptr(GSocketConnection) connection = NULL;

  connection = g_socket_client_connect_to_host (socket_client, "127.0.0.1", port, NULL, NULL);
  return connection != NULL;
}

static char *
read_file (const char *dir,
           const char *name)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autoptr(GError) error = NULL;
  char *contents = NULL;

  g_file_get_contents (path, &contents, NULL, &error);
  g_assert_no_error (error);

  return contents;
}

/* ------------------------------------------------------------------------------------------ */

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  user_data)
{
  g_autofree char *introspection_url = NULL;
  g_autoptr(GError) error = NULL;
  gint64 start;

  if (!mend_test_mail_server_can_run ())
    return;

  fixture->idp = mend_test_idp_start (NULL);
  fixture->token = get_token (fixture->idp, ALICE);

  introspection_url = g_strconcat (fixture->idp->base, "/introspect", NULL);
  start = g_get_monotonic_time ();
  fixture->server = mend_test_mail_server_start (introspection_url, &error);
  fixture->start_us = g_get_monotonic_time () - start;
  g_assert_no_error (error);
  g_assert_nonnull (fixture->server);
  g_test_message ("the mail server started in %.0f ms", fixture->start_us / 1000.0);
}

/* The fake provider only, for tests that run the script themselves. */
static void
fixture_setup_idp (Fixture       *fixture,
                   gconstpointer  user_data)
{
  if (mend_test_mail_server_can_run ())
    fixture->idp = mend_test_idp_start (NULL);
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  user_data)
{
  g_clear_pointer (&fixture->server, mend_test_mail_server_stop);
  g_clear_pointer (&fixture->idp, mend_test_idp_stop);
  g_clear_pointer (&fixture->token, g_free);
}

static void
test_start_stop (Fixture       *fixture,
                 gconstpointer  user_data)
{
  MendTestMailServer *server = fixture->server;
  g_autofree char *dir = NULL;
  g_autofree char *name = NULL;
  g_autofree char *left = NULL;
  g_autofree char *running = NULL;
  guint16 ports[6];

  if (server == NULL)
    return;

  g_assert_cmpint (fixture->start_us, <, START_LIMIT_US);

  dir = g_strdup (mend_test_mail_server_get_dir (server));
  name = g_path_get_basename (dir);
  g_assert_true (g_path_is_absolute (mend_test_mail_server_get_ca_file (server)));
  g_assert_true (g_file_test (mend_test_mail_server_get_ca_file (server), G_FILE_TEST_IS_REGULAR));
  g_assert_true (g_file_test (mend_test_mail_server_get_sink_dir (server), G_FILE_TEST_IS_DIR));
  g_assert_true (g_file_test (mend_test_mail_server_get_log_file (server),
                              G_FILE_TEST_IS_REGULAR));

  ports[0] = mend_test_mail_server_get_imap_port (server);
  ports[1] = mend_test_mail_server_get_imaps_port (server);
  ports[2] = mend_test_mail_server_get_pop3_port (server);
  ports[3] = mend_test_mail_server_get_pop3s_port (server);
  ports[4] = mend_test_mail_server_get_submission_port (server);
  ports[5] = mend_test_mail_server_get_submissions_port (server);
  for (guint i = 0; i < G_N_ELEMENTS (ports); i++)
    {
      g_assert_cmpuint (ports[i], >, 0);
      for (guint j = 0; j < i; j++)
        g_assert_cmpuint (ports[i], !=, ports[j]);
      g_assert_true (port_accepts (ports[i]));
    }

  /* Dovecot's master, its children (named after the folder), the sink, the relay, the
   * watchdog. */
  running = pgrep (name);
  g_test_message ("running:\n%s", running);
  g_assert_nonnull (strstr (running, "dovecot -F -c"));
  g_assert_nonnull (strstr (running, "/log"));
  g_assert_nonnull (strstr (running, "smtp-sink"));
  g_assert_nonnull (strstr (running, "tcp-relay"));
  g_assert_nonnull (strstr (running, "mail-server watch"));

  g_clear_pointer (&fixture->server, mend_test_mail_server_stop);

  left = pgrep (name);
  g_assert_cmpstr (left, ==, "");
  for (guint i = 0; i < G_N_ELEMENTS (ports); i++)
    g_assert_false (port_accepts (ports[i]));
  g_assert_false (g_file_test (dir, G_FILE_TEST_EXISTS));
}

static void
assert_welcome (Client     *client,
                const char *user)
{
  g_autofree char *to = g_strconcat ("To: ", user, "\n", NULL);
  g_autofree char *list = imap_command (client, "a2", "LIST \"\" \"*\"");
  g_autofree char *select = imap_command (client, "a3", "SELECT INBOX");
  g_autofree char *fetch = NULL;

  g_assert_nonnull (strstr (list, "* LIST (\\HasNoChildren) \".\" INBOX\n"));
  g_assert_true (g_str_has_prefix (last_line (list), "a2 OK"));
  g_assert_nonnull (strstr (select, "* 1 EXISTS\n"));
  g_assert_true (g_str_has_prefix (last_line (select), "a3 OK"));

  fetch = imap_command (client, "a4", "FETCH 1 BODY.PEEK[HEADER.FIELDS (TO SUBJECT)]");
  g_assert_nonnull (strstr (fetch, to));
  g_assert_nonnull (strstr (fetch, WELCOME_SUBJECT "\n"));
  g_assert_true (g_str_has_prefix (last_line (fetch), "a4 OK"));
}

static void
test_imaps (Fixture       *fixture,
            gconstpointer  user_data)
{
  MendTestMailServer *server = fixture->server;
  g_autoptr(Client) alice = NULL;
  g_autoptr(Client) bob = NULL;
  g_autofree char *greeting = NULL;
  g_autofree char *capability = NULL;
  g_autofree char *bob_token = NULL;
  g_autofree char *bye = NULL;

  if (server == NULL)
    return;

  alice = client_open ("localhost", mend_test_mail_server_get_imaps_port (server),
                       mend_test_mail_server_get_ca_file (server));
  greeting = client_read_line (alice);
  g_assert_true (g_str_has_prefix (greeting, "* OK"));
  capability = imap_command (alice, "a1", "CAPABILITY");
  g_assert_nonnull (strstr (capability, " SASL-IR "));
  g_assert_nonnull (strstr (capability, " AUTH=XOAUTH2"));
  imap_login (alice, ALICE, fixture->token);
  assert_welcome (alice, ALICE);
  bye = imap_command (alice, "a5", "LOGOUT");
  g_assert_nonnull (strstr (bye, "* BYE"));

  /* Anyone the provider signs in has a mailbox with its own welcome message. */
  bob_token = get_token (fixture->idp, BOB);
  bob = client_open ("127.0.0.1", mend_test_mail_server_get_imaps_port (server),
                     mend_test_mail_server_get_ca_file (server));
  g_free (client_read_line (bob));
  imap_login (bob, BOB, bob_token);
  assert_welcome (bob, BOB);
}

/* Dovecot answers a refused token like Outlook does: an error challenge first, which the
 * client answers with an empty line, and only then the tagged NO. */
static void
assert_imap_refused (MendTestMailServer *server,
                     const char         *user,
                     const char         *token)
{
  g_autoptr(Client) client = NULL;
  g_autofree char *ir = xoauth2 (user, token);
  g_autofree char *command = g_strconcat ("a1 AUTHENTICATE XOAUTH2 ", ir, NULL);
  g_autofree char *challenge = NULL;
  g_autofree char *answer = NULL;
  g_autofree guchar *json = NULL;
  gsize length = 0;

  client = client_open ("localhost", mend_test_mail_server_get_imaps_port (server),
                        mend_test_mail_server_get_ca_file (server));
  g_free (client_read_line (client));
  client_send (client, command);
  challenge = client_read_line (client);
  g_assert_true (g_str_has_prefix (challenge, "+ "));
  json = g_base64_decode (challenge + 2, &length);
  g_assert_nonnull (g_strstr_len ((char *) json, length, "\"status\":\"401\""));

  client_send (client, "");
  answer = client_read_line (client);
  g_assert_cmpstr (answer, ==, "a1 NO [AUTHENTICATIONFAILED] Authentication failed.");
}

static void
test_imaps_refused (Fixture       *fixture,
                    gconstpointer  user_data)
{
  MendTestMailServer *server = fixture->server;
  g_autoptr(Client) client = NULL;
  g_autofree char *fresh = NULL;
  g_autofree char *log = NULL;
  gint64 start;

  if (server == NULL)
    return;

  assert_imap_refused (server, ALICE, "garbage-token");
  /* The token must belong to the user it signs in. */
  assert_imap_refused (server, BOB, fixture->token);

  mend_test_idp_control (fixture->idp, "revoke", "login", ALICE, NULL);
  assert_imap_refused (server, ALICE, fixture->token);

  /* After three failures, a good login is not held back: anvil's penalty, when on, is 2 s at
   * least. */
  fresh = get_token (fixture->idp, ALICE);
  start = g_get_monotonic_time ();
  client = client_open ("localhost", mend_test_mail_server_get_imaps_port (server),
                        mend_test_mail_server_get_ca_file (server));
  g_free (client_read_line (client));
  imap_login (client, ALICE, fresh);
  g_assert_cmpint (g_get_monotonic_time () - start, <, 2 * G_USEC_PER_SEC);

  /* The log says who failed and why, never with what. */
  log = read_file (mend_test_mail_server_get_dir (server), "dovecot.log");
  g_assert_nonnull (strstr (log, "oauth2 failed: Introspection failed"));
  g_assert_null (strstr (log, fixture->token));
  g_assert_null (strstr (log, fresh));
}

static void
test_imap_starttls (Fixture       *fixture,
                    gconstpointer  user_data)
{
  MendTestMailServer *server = fixture->server;
  g_autoptr(Client) client = NULL;
  g_autofree char *greeting = NULL;
  g_autofree char *before = NULL;
  g_autofree char *refused = NULL;
  g_autofree char *starttls = NULL;
  g_autofree char *after = NULL;
  g_autofree char *ir = NULL;
  g_autofree char *command = NULL;

  if (server == NULL)
    return;

  client = client_open ("127.0.0.1", mend_test_mail_server_get_imap_port (server), NULL);
  greeting = client_read_line (client);
  g_assert_true (g_str_has_prefix (greeting, "* OK"));
  before = imap_command (client, "a1", "CAPABILITY");
  g_assert_nonnull (strstr (before, " STARTTLS"));
  g_assert_nonnull (strstr (before, " LOGINDISABLED"));
  g_assert_null (strstr (before, "AUTH="));

  /* A client that skips STARTTLS is refused before its token is even looked at. */
  ir = xoauth2 (ALICE, "not-a-token");
  command = g_strconcat ("AUTHENTICATE XOAUTH2 ", ir, NULL);
  refused = imap_command (client, "a2", command);
  g_assert_true (g_str_has_prefix (last_line (refused), "a2 NO [PRIVACYREQUIRED]"));

  starttls = imap_command (client, "a3", "STARTTLS");
  g_assert_true (g_str_has_prefix (last_line (starttls), "a3 OK"));
  client_start_tls (client, mend_test_mail_server_get_ca_file (server), "127.0.0.1");
  after = imap_command (client, "a4", "CAPABILITY");
  g_assert_nonnull (strstr (after, " AUTH=XOAUTH2"));
  g_assert_null (strstr (after, " STARTTLS"));

  imap_login (client, ALICE, fixture->token);
  assert_welcome (client, ALICE);
}

static void
pop3_login (Client     *client,
            const char *token)
{
  g_autofree char *ir = xoauth2 (ALICE, token);
  g_autofree char *auth = g_strconcat ("AUTH XOAUTH2 ", ir, NULL);
  g_autofree char *answer = NULL;
  g_autofree char *stat = NULL;

  client_send (client, auth);
  answer = client_read_line (client);
  g_assert_cmpstr (answer, ==, "+OK Logged in.");

  /* The welcome message, and nothing else. */
  client_send (client, "STAT");
  stat = client_read_line (client);
  g_assert_true (g_str_has_prefix (stat, "+OK 1 "));
}

/* Reads a POP3 multi-line answer, up to the lone dot. */
static char *
pop3_read_list (Client *client)
{
  GString *text = g_string_new (NULL);

  for (;;)
    {
      g_autofree char *line = client_read_line (client);

      if (g_str_equal (line, "."))
        return g_string_free (text, FALSE);
      g_string_append_printf (text, "%s\n", line);
    }
}

static void
test_pop3 (Fixture       *fixture,
           gconstpointer  user_data)
{
  MendTestMailServer *server = fixture->server;
  g_autoptr(Client) pop3s = NULL;
  g_autoptr(Client) pop3 = NULL;
  g_autofree char *greeting = NULL;
  g_autofree char *capa = NULL;
  g_autofree char *ir = NULL;
  g_autofree char *auth = NULL;
  g_autofree char *refused = NULL;
  g_autofree char *stls = NULL;

  if (server == NULL)
    return;

  pop3s = client_open ("localhost", mend_test_mail_server_get_pop3s_port (server),
                       mend_test_mail_server_get_ca_file (server));
  greeting = client_read_line (pop3s);
  g_assert_true (g_str_has_prefix (greeting, "+OK"));
  pop3_login (pop3s, fixture->token);

  pop3 = client_open ("localhost", mend_test_mail_server_get_pop3_port (server), NULL);
  g_free (client_read_line (pop3));
  client_send (pop3, "CAPA");
  g_free (client_read_line (pop3));
  capa = pop3_read_list (pop3);
  g_assert_nonnull (strstr (capa, "STLS\n"));
  g_assert_null (strstr (capa, "XOAUTH2"));

  ir = xoauth2 (ALICE, "not-a-token");
  auth = g_strconcat ("AUTH XOAUTH2 ", ir, NULL);
  client_send (pop3, auth);
  refused = client_read_line (pop3);
  g_assert_true (g_str_has_prefix (refused, "-ERR"));

  client_send (pop3, "STLS");
  stls = client_read_line (pop3);
  g_assert_true (g_str_has_prefix (stls, "+OK"));
  client_start_tls (pop3, mend_test_mail_server_get_ca_file (server), "localhost");
  pop3_login (pop3, fixture->token);
}

/* Waits for the sink's message @n (the sink writes N.envelope first, then N.eml at once). */
static char *
wait_for_sink (MendTestMailServer *server,
               guint               n)
{
  g_autofree char *name = g_strdup_printf ("%u.eml", n);
  g_autofree char *path = g_build_filename (mend_test_mail_server_get_sink_dir (server), name,
                                            NULL);
  gint64 deadline = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;

  while (!g_file_test (path, G_FILE_TEST_EXISTS) && g_get_monotonic_time () < deadline)
    g_usleep (10000);

  return read_file (mend_test_mail_server_get_sink_dir (server), name);
}

static void
test_submission (Fixture       *fixture,
                 gconstpointer  user_data)
{
  MendTestMailServer *server = fixture->server;
  g_autoptr(Client) client = NULL;
  g_autoptr(Client) bad = NULL;
  g_autofree char *ehlo = NULL;
  g_autofree char *ehlo_tls = NULL;
  g_autofree char *ir = NULL;
  g_autofree char *auth = NULL;
  g_autofree char *garbage_ir = NULL;
  g_autofree char *garbage_auth = NULL;
  g_autofree char *challenge = NULL;
  g_autofree char *message = NULL;
  g_autofree char *envelope = NULL;

  if (server == NULL)
    return;

  client = client_open ("localhost", mend_test_mail_server_get_submission_port (server), NULL);
  assert_reply (smtp_read_reply (client), "220 ");
  ehlo = smtp_command (client, "EHLO client.test");
  g_assert_nonnull (strstr (ehlo, "250-STARTTLS\n"));
  g_assert_null (strstr (ehlo, "XOAUTH2"));

  garbage_ir = xoauth2 (ALICE, "not-a-token");
  garbage_auth = g_strconcat ("AUTH XOAUTH2 ", garbage_ir, NULL);
  assert_reply (smtp_command (client, garbage_auth), "523 5.7.10 ");

  assert_reply (smtp_command (client, "STARTTLS"), "220 ");
  client_start_tls (client, mend_test_mail_server_get_ca_file (server), "localhost");
  ehlo_tls = smtp_command (client, "EHLO client.test");
  g_assert_true (g_regex_match_simple ("^250-AUTH .*XOAUTH2", ehlo_tls, G_REGEX_MULTILINE, 0));

  ir = xoauth2 (ALICE, fixture->token);
  auth = g_strconcat ("AUTH XOAUTH2 ", ir, NULL);
  assert_reply (smtp_command (client, auth), "235 2.7.0 ");
  assert_reply (smtp_command (client, "MAIL FROM:<" ALICE ">"), "250 ");
  assert_reply (smtp_command (client, "RCPT TO:<" BOB ">"), "250 ");
  assert_reply (smtp_command (client, "DATA"), "354 ");
  client_send (client, "From: " ALICE "\r\nTo: " BOB "\r\nSubject: Through the rig\r\n\r\n"
                       "..a line that starts with a dot\r\n.");
  assert_reply (smtp_read_reply (client), "250 ");
  assert_reply (smtp_command (client, "QUIT"), "221 ");

  message = wait_for_sink (server, 1);
  g_assert_nonnull (strstr (message, "\r\nSubject: Through the rig\r\n"));
  g_assert_nonnull (strstr (message, "\r\n\r\n.a line that starts with a dot\r\n"));
  envelope = read_file (mend_test_mail_server_get_sink_dir (server), "1.envelope");
  g_assert_cmpstr (envelope, ==, "MAIL FROM:<" ALICE ">\r\nRCPT TO:<" BOB ">\r\n");

  /* Implicit TLS, a refused token: error challenge, empty answer, 535. */
  bad = client_open ("localhost", mend_test_mail_server_get_submissions_port (server),
                     mend_test_mail_server_get_ca_file (server));
  assert_reply (smtp_read_reply (bad), "220 ");
  g_free (smtp_command (bad, "EHLO client.test"));
  challenge = smtp_command (bad, garbage_auth);
  g_assert_true (g_str_has_prefix (challenge, "334 "));
  assert_reply (smtp_command (bad, ""), "535 5.7.8 ");
}

/* Debian's msmtp, configured the way `mailmend repair` will configure it. */
static void
test_msmtp (Fixture       *fixture,
            gconstpointer  user_data)
{
  MendTestMailServer *server = fixture->server;
  g_autofree char *msmtp = g_find_program_in_path ("msmtp");
  g_autofree char *rc_dir = NULL;
  g_autofree char *rc = NULL;
  g_autofree char *rc_path = NULL;
  g_autofree char *port = NULL;
  g_autofree char *message = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;

  if (server == NULL)
    return;
  if (msmtp == NULL)
    {
      g_test_skip ("msmtp is not installed: run build-aux/setup-debian.sh");
      return;
    }

  rc_dir = g_dir_make_tmp ("mailmend-msmtp-XXXXXX", &error);
  g_assert_no_error (error);
  rc_path = g_build_filename (rc_dir, "msmtprc", NULL);
  port = g_strdup_printf ("%u", mend_test_mail_server_get_submission_port (server));
  rc = g_strconcat ("account rig\n"
                    "host localhost\n"
                    "port ", port, "\n"
                    "tls on\n"
                    "tls_starttls on\n"
                    "tls_trust_file ", mend_test_mail_server_get_ca_file (server), "\n"
                    "auth xoauth2\n"
                    "user " ALICE "\n"
                    "from " ALICE "\n"
                    "passwordeval \"printf %s ", fixture->token, "\"\n"
                    "account default : rig\n", NULL);
  g_file_set_contents_full (rc_path, rc, -1, G_FILE_SET_CONTENTS_NONE, 0600, &error);
  g_assert_no_error (error);

  process = g_subprocess_new (G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                              G_SUBPROCESS_FLAGS_STDERR_PIPE, &error,
                              msmtp, "-C", rc_path, BOB, NULL);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, "Subject: Sent by msmtp\r\n\r\nHello.\r\n", NULL,
                                 &out, &err, &error);
  g_assert_no_error (error);
  g_unlink (rc_path);
  g_rmdir (rc_dir);
  if (!g_subprocess_get_successful (process))
    g_error ("msmtp failed:\n%s%s", out, err);

  message = wait_for_sink (server, 1);
  g_assert_nonnull (strstr (message, "Subject: Sent by msmtp\r\n"));
  g_assert_nonnull (strstr (message, "From: " ALICE "\r\n"));
}

/* Runs mbsync on @rc; returns the messages of the local INBOX, concatenated. */
static char *
run_mbsync (const char *rc_path,
            const char *inbox)
{
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) messages = g_string_new (NULL);
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  process = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE,
                              &error, "mbsync", "-c", rc_path, "-a", NULL);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, NULL, NULL, &out, &err, &error);
  g_assert_no_error (error);
  if (!g_subprocess_get_successful (process))
    g_error ("mbsync failed (is libsasl2-modules-kdexoauth2 installed?):\n%s%s", out, err);

  for (guint i = 0; i < 2; i++)
    {
      g_autofree char *path = g_build_filename (inbox, i == 0 ? "cur" : "new", NULL);
      g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
      const char *name;

      while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *contents = read_file (path, name);

          g_string_append (messages, contents);
        }
    }

  return g_string_free (g_steal_pointer (&messages), FALSE);
}

/* Debian's mbsync, with the Cyrus SASL XOAUTH2 plugin, over IMAPS and then STARTTLS. */
static void
test_mbsync (Fixture       *fixture,
             gconstpointer  user_data)
{
  MendTestMailServer *server = fixture->server;
  g_autofree char *mbsync = g_find_program_in_path ("mbsync");
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *rc_path = NULL;
  int status = 0;

  if (server == NULL)
    return;
  if (mbsync == NULL)
    {
      g_test_skip ("mbsync is not installed: run build-aux/setup-debian.sh");
      return;
    }

  dir = g_dir_make_tmp ("mailmend-mbsync-XXXXXX", &error);
  g_assert_no_error (error);
  rc_path = g_build_filename (dir, "mbsyncrc", NULL);

  /* Each into a Maildir of its own. */
  for (guint i = 0; i < 2; i++)
    {
      gboolean starttls = i == 1;
      g_autofree char *local = g_build_filename (dir, starttls ? "starttls" : "imaps", NULL);
      g_autofree char *inbox = g_build_filename (local, "INBOX", NULL);
      g_autofree char *rc = NULL;
      g_autofree char *messages = NULL;

      rc = g_strdup_printf ("IMAPAccount rig\n"
                            "Host localhost\n"
                            "Port %u\n"
                            "SSLType %s\n"
                            "CertificateFile %s\n"
                            "User " ALICE "\n"
                            "AuthMechs XOAUTH2\n"
                            "PassCmd \"printf %%s %s\"\n"
                            "\n"
                            "IMAPStore remote\nAccount rig\n\n"
                            "MaildirStore local\nPath %s/\nInbox %s\n\n"
                            "Channel rig\nFar :remote:\nNear :local:\nPatterns INBOX\n"
                            "Create Near\nSyncState *\n",
                            starttls ? mend_test_mail_server_get_imap_port (server)
                                     : mend_test_mail_server_get_imaps_port (server),
                            starttls ? "STARTTLS" : "IMAPS",
                            mend_test_mail_server_get_ca_file (server), fixture->token,
                            local, inbox);
      g_file_set_contents_full (rc_path, rc, -1, G_FILE_SET_CONTENTS_NONE, 0600, &error);
      g_assert_no_error (error);
      g_assert_cmpint (g_mkdir (local, 0700), ==, 0);

      messages = run_mbsync (rc_path, inbox);
      /* mbsync stores lines with LF endings. */
      g_assert_nonnull (strstr (messages, WELCOME_SUBJECT "\n"));
    }

  g_spawn_sync (NULL, (char *[]) { (char *) "rm", (char *) "-rf", dir, NULL }, NULL,
                G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL, &status, &error);
  g_assert_no_error (error);
  g_assert_cmpint (status, ==, 0);
}

/* A test that dies without stopping its server leaves nothing behind for long. */
static void
test_owner_gone (Fixture       *fixture,
                 gconstpointer  user_data)
{
  g_autoptr(GSubprocess) owner = NULL;
  g_autoptr(GSubprocess) start = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *name = NULL;
  g_autofree char *owner_pid = NULL;
  g_autofree char *url = NULL;
  g_autofree char *out = NULL;
  g_autofree char *running = NULL;
  g_autofree char *left = NULL;
  g_autofree char *watchdog_log = NULL;
  gint64 deadline;
  int status = 0;

  if (fixture->idp == NULL)
    return;

  owner = g_subprocess_new (G_SUBPROCESS_FLAGS_NONE, &error, "sleep", "600", NULL);
  g_assert_no_error (error);
  owner_pid = g_strdup (g_subprocess_get_identifier (owner));
  dir = g_dir_make_tmp ("mailmend-mail-XXXXXX", &error);
  g_assert_no_error (error);
  name = g_path_get_basename (dir);
  url = g_strconcat (fixture->idp->base, "/introspect", NULL);

  start = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error,
                            g_getenv ("MAILMEND_MAIL_SERVER"), "start", "--owner", owner_pid,
                            dir, url, NULL);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (start, NULL, NULL, &out, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_successful (start));
  running = pgrep (name);
  g_assert_nonnull (strstr (running, "dovecot -F -c"));

  g_subprocess_send_signal (owner, SIGKILL);
  g_subprocess_wait (owner, NULL, &error);
  g_assert_no_error (error);

  deadline = g_get_monotonic_time () + GONE_LIMIT_US;
  do
    {
      g_clear_pointer (&left, g_free);
      g_usleep (50000);
      left = pgrep (name);
    }
  while (left[0] != '\0' && g_get_monotonic_time () < deadline);
  g_assert_cmpstr (left, ==, "");

  watchdog_log = read_file (dir, "watchdog.log");
  g_assert_nonnull (strstr (watchdog_log, "is gone, stopping the servers"));

  g_spawn_sync (NULL, (char *[]) { (char *) "rm", (char *) "-rf", dir, NULL }, NULL,
                G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL, &status, &error);
  g_assert_no_error (error);
  g_assert_cmpint (status, ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_set_prgname ("test-mail-server");

  g_test_add ("/mail-server/start-stop", Fixture, NULL,
              fixture_setup, test_start_stop, fixture_teardown);
  g_test_add ("/mail-server/imaps", Fixture, NULL,
              fixture_setup, test_imaps, fixture_teardown);
  g_test_add ("/mail-server/imaps-refused", Fixture, NULL,
              fixture_setup, test_imaps_refused, fixture_teardown);
  g_test_add ("/mail-server/imap-starttls", Fixture, NULL,
              fixture_setup, test_imap_starttls, fixture_teardown);
  g_test_add ("/mail-server/pop3", Fixture, NULL,
              fixture_setup, test_pop3, fixture_teardown);
  g_test_add ("/mail-server/submission", Fixture, NULL,
              fixture_setup, test_submission, fixture_teardown);
  g_test_add ("/mail-server/msmtp", Fixture, NULL,
              fixture_setup, test_msmtp, fixture_teardown);
  g_test_add ("/mail-server/mbsync", Fixture, NULL,
              fixture_setup, test_mbsync, fixture_teardown);
  g_test_add ("/mail-server/owner-gone", Fixture, NULL,
              fixture_setup_idp, test_owner_gone, fixture_teardown);

  return g_test_run ();
}
