/* test-probes.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The IMAP, SMTP and POP probes, and the verifier that runs them, against scripted servers on
 * 127.0.0.1: each server is a thread that plays what Microsoft's servers really answer
 * (shared/reference/microsoft.md §3.3, §3.4), or what Dovecot answers, or garbage, and
 * records what the probe sent. TLS uses certificates made for the run by openssl. Every
 * result is checked for the absence of the token and of the XOAUTH2 string.
 */

#include "config.h"

#include <gio/gio.h>
#include <glib/gstdio.h>

#include "mend-account-verifier.h"
#include "mend-oauth-settings.h"
#include "mend-probe.h"
#include "mend-probe-error.h"

#define ADDRESS "alice@contoso.com"
#define TOKEN   "EwBAAl3BAAUFFpUAo7J3Ve0bjLBWZWCclRC3EoAA-probe-test-token"

/* How long a probe waits for each step in these tests, unless a test says otherwise. */
#define TIMEOUT_MS 5000

static char *tls_dir;
static char *cert_file;
static char *key_file;
static char *other_cert_file;
static char *other_key_file;

/* ------------------------------------------------------------------------------------------ */
/* The scripted server                                                                         */
/* ------------------------------------------------------------------------------------------ */

typedef enum
{
  OP_END,
  /* Sends the text and CRLF. */
  OP_SEND,
  /* Sends the text as it is, in one write. */
  OP_SEND_RAW,
  /* Sends the text, then the last line received, then CRLF. */
  OP_SEND_ECHO,
  /* Sends a megabyte without a line end. */
  OP_SEND_HUGE,
  /* Reads a line: it must be the text. */
  OP_EXPECT,
  /* Reads a line: it must start with the text. */
  OP_EXPECT_PREFIX,
  /* Starts TLS (the server's side of STARTTLS). */
  OP_TLS,
  /* Waits this many milliseconds (the text), or until the server stops. */
  OP_SLEEP,
  /* Closes the connection. */
  OP_CLOSE,
} Op;

typedef struct
{
  Op          op;
  const char *text;
} Step;

typedef struct
{
  const Step      *script;
  gboolean         implicit_tls;
  GTlsCertificate *certificate;

  GSocketListener *listener;
  guint16          port;
  GCancellable    *cancellable;
  GThread         *thread;

  GMutex           mutex;
  GCond            cond;
  gboolean         stopping;
  GPtrArray       *received;
  char            *failure;
  gint64           first_command_us;
} Server;

static void
server_fail (Server     *server,
             const char *format,
             ...) G_GNUC_PRINTF (2, 3);

static void
server_fail (Server     *server,
             const char *format,
             ...)
{
  va_list args;

  g_mutex_lock (&server->mutex);
  if (server->failure == NULL)
    {
      va_start (args, format);
      server->failure = g_strdup_vprintf (format, args);
      va_end (args);
    }
  g_mutex_unlock (&server->mutex);
}

static GIOStream *
server_start_tls (Server    *server,
                  GIOStream *base)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GIOStream) tls = NULL;

  tls = g_tls_server_connection_new (base, server->certificate, &error);
  g_assert_no_error (error);
  g_tls_connection_set_require_close_notify (G_TLS_CONNECTION (tls), FALSE);

  if (!g_tls_connection_handshake (G_TLS_CONNECTION (tls), server->cancellable, &error))
    {
      /* Expected when the probe does not trust the certificate. */
      server_fail (server, "TLS handshake: %s", error->message);
      return NULL;
    }

  return g_steal_pointer (&tls);
}

static gboolean
server_write (Server     *server,
              GIOStream  *stream,
              const char *text,
              gsize       length)
{
  g_autoptr(GError) error = NULL;

  if (!g_output_stream_write_all (g_io_stream_get_output_stream (stream), text, length, NULL,
                                  server->cancellable, &error))
    {
      server_fail (server, "write: %s", error->message);
      return FALSE;
    }

  return TRUE;
}

static void
server_sleep (Server *server,
              guint   ms)
{
  gint64 deadline = g_get_monotonic_time () + ms * G_TIME_SPAN_MILLISECOND;

  g_mutex_lock (&server->mutex);
  while (!server->stopping && g_cond_wait_until (&server->cond, &server->mutex, deadline))
    ;
  g_mutex_unlock (&server->mutex);
}

/* Reads lines from @stream; dropping it leaves @stream open (STARTTLS goes on with it). */
static GDataInputStream *
data_input_new (GIOStream *stream)
{
  GDataInputStream *input = g_data_input_stream_new (g_io_stream_get_input_stream (stream));

  g_filter_input_stream_set_close_base_stream (G_FILTER_INPUT_STREAM (input), FALSE);
  g_data_input_stream_set_newline_type (input, G_DATA_STREAM_NEWLINE_TYPE_CR_LF);

  return input;
}

static void
server_play (Server            *server,
             GSocketConnection *connection)
{
  g_autoptr(GIOStream) stream = g_object_ref (G_IO_STREAM (connection));
  g_autoptr(GDataInputStream) input = NULL;
  g_autofree char *last = NULL;

  g_socket_set_timeout (g_socket_connection_get_socket (connection), 10);

  if (server->implicit_tls)
    {
      g_clear_object (&stream);
      stream = server_start_tls (server, G_IO_STREAM (connection));
      if (stream == NULL)
        return;
    }

  input = data_input_new (stream);

  for (const Step *step = server->script; step->op != OP_END; step++)
    {
      switch (step->op)
        {
        case OP_SEND:
        case OP_SEND_ECHO:
          {
            g_autofree char *line = g_strconcat (step->text,
                                                 step->op == OP_SEND_ECHO ? last : "",
                                                 "\r\n", NULL);

            if (!server_write (server, stream, line, strlen (line)))
              return;
            break;
          }

        case OP_SEND_RAW:
          if (!server_write (server, stream, step->text, strlen (step->text)))
            return;
          break;

        case OP_SEND_HUGE:
          {
            g_autofree char *huge = g_malloc (1024 * 1024);

            memset (huge, 'x', 1024 * 1024);
            /* The probe hangs up long before the end: a failed write is expected. */
            g_output_stream_write_all (g_io_stream_get_output_stream (stream), huge,
                                       1024 * 1024, NULL, server->cancellable, NULL);
            return;
          }

        case OP_EXPECT:
        case OP_EXPECT_PREFIX:
          {
            g_autoptr(GError) error = NULL;
            char *line;

            line = g_data_input_stream_read_line (input, NULL, server->cancellable, &error);
            if (line == NULL)
              {
                server_fail (server, "expected “%s”, got %s", step->text,
                             error != NULL ? error->message : "the end of the connection");
                return;
              }

            g_mutex_lock (&server->mutex);
            if (server->received->len == 0)
              server->first_command_us = g_get_monotonic_time ();
            g_ptr_array_add (server->received, g_strdup (line));
            g_mutex_unlock (&server->mutex);

            g_free (last);
            last = line;

            if (step->op == OP_EXPECT ? !g_str_equal (line, step->text)
                                      : !g_str_has_prefix (line, step->text))
              {
                server_fail (server, "expected “%s”, got “%s”", step->text, line);
                return;
              }
            break;
          }

        case OP_TLS:
          {
            GIOStream *tls;

            /* The probe sends nothing before the handshake: nothing may be buffered. */
            g_assert_cmpuint (g_buffered_input_stream_get_available (
                                G_BUFFERED_INPUT_STREAM (input)), ==, 0);

            tls = server_start_tls (server, G_IO_STREAM (connection));
            if (tls == NULL)
              return;

            g_clear_object (&stream);
            stream = tls;
            g_clear_object (&input);
            input = data_input_new (stream);
            break;
          }

        case OP_SLEEP:
          server_sleep (server, (guint) g_ascii_strtoull (step->text, NULL, 10));
          break;

        case OP_CLOSE:
          g_io_stream_close (stream, NULL, NULL);
          return;

        case OP_END:
        default:
          g_assert_not_reached ();
        }
    }

  g_io_stream_close (stream, NULL, NULL);
}

static gpointer
server_thread (gpointer data)
{
  Server *server = data;
  g_autoptr(GSocketConnection) connection = NULL;
  g_autoptr(GError) error = NULL;

  connection = g_socket_listener_accept (server->listener, NULL, server->cancellable, &error);
  if (connection == NULL)
    return NULL;

  server_play (server, connection);

  return NULL;
}

static Server *
server_start (const Step *script,
              gboolean    implicit_tls,
              const char *certificate_file,
              const char *key)
{
  Server *server = g_new0 (Server, 1);
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) effective = NULL;
  g_autoptr(GError) error = NULL;

  server->script = script;
  server->implicit_tls = implicit_tls;
  server->certificate = g_tls_certificate_new_from_files (certificate_file != NULL
                                                            ? certificate_file : cert_file,
                                                          key != NULL ? key : key_file, &error);
  g_assert_no_error (error);
  server->received = g_ptr_array_new_with_free_func (g_free);
  server->cancellable = g_cancellable_new ();
  g_mutex_init (&server->mutex);
  g_cond_init (&server->cond);

  server->listener = g_socket_listener_new ();
  g_socket_listener_add_address (server->listener, address, G_SOCKET_TYPE_STREAM,
                                 G_SOCKET_PROTOCOL_TCP, NULL, &effective, &error);
  g_assert_no_error (error);
  server->port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (effective));

  server->thread = g_thread_new ("scripted-server", server_thread, server);

  return server;
}

static void
server_stop (Server *server)
{
  g_mutex_lock (&server->mutex);
  server->stopping = TRUE;
  g_cond_broadcast (&server->cond);
  g_mutex_unlock (&server->mutex);

  g_cancellable_cancel (server->cancellable);
  if (server->thread != NULL)
    g_thread_join (server->thread);

  g_socket_listener_close (server->listener);
  g_clear_object (&server->listener);
  g_clear_object (&server->cancellable);
  g_clear_object (&server->certificate);
  g_clear_pointer (&server->received, g_ptr_array_unref);
  g_free (server->failure);
  g_mutex_clear (&server->mutex);
  g_cond_clear (&server->cond);
  g_free (server);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Server, server_stop)

/* Waits for the server to play its script to the end, then returns its first failure. */
static const char *
server_finish (Server *server)
{
  g_thread_join (g_steal_pointer (&server->thread));
  if (server->failure != NULL)
    g_test_message ("The server: %s", server->failure);

  return server->failure;
}

/* ------------------------------------------------------------------------------------------ */
/* Running probes                                                                              */
/* ------------------------------------------------------------------------------------------ */

static char *
expected_sasl (void)
{
  const char *plain = "user=" ADDRESS "\001auth=Bearer " TOKEN "\001\001";

  return g_base64_encode ((const guchar *) plain, strlen (plain));
}

static GTlsDatabase *
database_for (const char *file)
{
  g_autoptr(GError) error = NULL;
  GTlsDatabase *database = g_tls_file_database_new (file, &error);

  g_assert_no_error (error);

  return database;
}

static MendServerAddress *
local_server (const char *scheme,
              guint16     port)
{
  g_autofree char *url = g_strdup_printf ("%s://127.0.0.1:%u", scheme, port);
  g_autoptr(GError) error = NULL;
  MendProtocol protocol;
  MendServerAddress *address;

  if (g_str_has_prefix (scheme, "imap"))
    protocol = MEND_PROTOCOL_IMAP;
  else if (g_str_has_prefix (scheme, "smtp"))
    protocol = MEND_PROTOCOL_SMTP;
  else
    protocol = MEND_PROTOCOL_POP3;

  address = mend_server_address_parse (url, protocol, &error);
  g_assert_no_error (error);

  return address;
}

static void
on_probe_done (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

/* Never a token, never the XOAUTH2 string: not in the transcript, not in a finding. */
static void
assert_no_secret (MendProbeResult *result)
{
  g_autofree char *sasl = expected_sasl ();
  GPtrArray *findings = mend_probe_result_get_findings (result);
  const char *transcript = mend_probe_result_get_transcript (result);

  g_assert_null (strstr (transcript, TOKEN));
  g_assert_null (strstr (transcript, sasl));
  g_assert_null (strstr (mend_probe_result_get_summary (result), TOKEN));

  for (guint i = 0; i < findings->len; i++)
    {
      MendFinding *finding = g_ptr_array_index (findings, i);
      const char *texts[] = {
        mend_finding_get_title (finding), mend_finding_get_explanation (finding),
        mend_finding_get_remedy (finding), mend_finding_get_details (finding),
      };

      for (guint j = 0; j < G_N_ELEMENTS (texts); j++)
        {
          if (texts[j] == NULL)
            continue;
          g_assert_null (strstr (texts[j], TOKEN));
          g_assert_null (strstr (texts[j], sasl));
        }
    }
}

static MendProbeResult *
run_probe_full (MendServerAddress  *server,
                const char         *trusted,
                guint               timeout_ms,
                GCancellable       *cancellable,
                GError            **error)
{
  g_autoptr(MendProbe) probe = mend_probe_new (server, ADDRESS, TOKEN);
  g_autoptr(GTlsDatabase) database = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  MendProbeResult *probe_result;

  if (trusted != NULL)
    {
      database = database_for (trusted);
      mend_probe_set_tls_database (probe, database);
    }
  mend_probe_set_timeout (probe, timeout_ms);

  mend_probe_run_async (probe, cancellable, on_probe_done, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);

  probe_result = mend_probe_run_finish (probe, result, error);
  if (probe_result != NULL)
    {
      g_test_message ("Transcript:\n%s", mend_probe_result_get_transcript (probe_result));
      assert_no_secret (probe_result);
    }

  return probe_result;
}

/* Runs a probe of @scheme against @server, trusting the test certificate. */
static MendProbeResult *
run_probe (Server     *server,
           const char *scheme)
{
  g_autoptr(MendServerAddress) address = local_server (scheme, server->port);
  g_autoptr(GError) error = NULL;
  MendProbeResult *result;

  result = run_probe_full (address, cert_file, TIMEOUT_MS, NULL, &error);
  g_assert_no_error (error);

  return result;
}

static void
assert_ok (MendProbeResult *result,
           const char      *summary)
{
  g_assert_true (mend_probe_result_get_ok (result));
  g_assert_cmpuint (mend_probe_result_get_findings (result)->len, ==, 0);
  g_assert_cmpstr (mend_probe_result_get_summary (result), ==, summary);
}

static MendFinding *
assert_failed (MendProbeResult *result,
               const char      *finding_id)
{
  GPtrArray *findings = mend_probe_result_get_findings (result);
  MendFinding *finding;

  g_assert_false (mend_probe_result_get_ok (result));
  g_assert_cmpuint (findings->len, ==, 1);
  finding = g_ptr_array_index (findings, 0);
  g_assert_cmpstr (mend_finding_get_id (finding), ==, finding_id);
  g_assert_cmpstr (mend_probe_result_get_summary (result), ==, mend_finding_get_title (finding));

  return finding;
}

static gboolean
received_contains (Server     *server,
                   const char *text)
{
  for (guint i = 0; i < server->received->len; i++)
    {
      if (strstr (g_ptr_array_index (server->received, i), text) != NULL)
        return TRUE;
    }

  return FALSE;
}

#define SKIP_WITHOUT_TLS() \
  G_STMT_START { \
    if (cert_file == NULL) \
      { \
        g_test_skip ("openssl could not make a test certificate"); \
        return; \
      } \
  } G_STMT_END

/* ------------------------------------------------------------------------------------------ */
/* IMAP                                                                                        */
/* ------------------------------------------------------------------------------------------ */

#define MICROSOFT_IMAP_GREETING \
  { OP_SEND, "* OK The Microsoft Exchange IMAP4 service is ready. " \
             "[TQBOADIAUABSADAAMQA4AEMAQQAwADAAMAA=]" }
#define MICROSOFT_IMAP_CAPABILITIES \
  { OP_EXPECT, "A1 CAPABILITY" }, \
  { OP_SEND, "* CAPABILITY IMAP4 IMAP4rev1 AUTH=PLAIN AUTH=XOAUTH2 SASL-IR UIDPLUS MOVE ID " \
             "UNSELECT CHILDREN IDLE NAMESPACE LITERAL+" }, \
  { OP_SEND, "A1 OK CAPABILITY completed." }
#define MICROSOFT_IMAP_LOGOUT(tag) \
  { OP_EXPECT, tag " LOGOUT" }, \
  { OP_SEND, "* BYE Microsoft Exchange Server IMAP4 server signing off." }, \
  { OP_SEND, tag " OK LOGOUT completed." }

static void
test_imap_ok (void)
{
  static const Step script[] = {
    MICROSOFT_IMAP_GREETING,
    MICROSOFT_IMAP_CAPABILITIES,
    { OP_EXPECT_PREFIX, "A2 AUTHENTICATE XOAUTH2 " },
    { OP_SEND, "A2 OK AUTHENTICATE completed." },
    { OP_EXPECT, "A3 LIST \"\" \"\"" },
    { OP_SEND, "* LIST (\\Noselect \\HasChildren) \"/\" \"\"" },
    { OP_SEND, "A3 OK LIST completed." },
    MICROSOFT_IMAP_LOGOUT ("A4"),
    { OP_END },
  };
  g_autoptr(Server) server = NULL;
  g_autoptr(MendProbeResult) result = NULL;
  g_autofree char *sasl = expected_sasl ();
  g_autofree char *sent = NULL;
  const char *transcript;

  SKIP_WITHOUT_TLS ();

  server = server_start (script, TRUE, NULL, NULL);
  result = run_probe (server, "imaps");
  g_assert_null (server_finish (server));

  assert_ok (result, "Signed in and listed the folders");
  g_assert_cmpint (mend_probe_result_get_protocol (result), ==, MEND_PROTOCOL_IMAP);

  /* The XOAUTH2 string of microsoft.md §3.1, with SASL-IR. */
  sent = g_strconcat ("A2 AUTHENTICATE XOAUTH2 ", sasl, NULL);
  g_assert_cmpstr (g_ptr_array_index (server->received, 1), ==, sent);

  transcript = mend_probe_result_get_transcript (result);
  g_assert_nonnull (strstr (transcript, "C: A2 AUTHENTICATE XOAUTH2 [XOAUTH2 sign-in of "
                                        ADDRESS ", redacted]\n"));
  g_assert_nonnull (strstr (transcript, "S: A3 OK LIST completed.\n"));
  g_assert_nonnull (strstr (transcript, "C: A4 LOGOUT\n"));
  g_assert_true (g_str_has_suffix (transcript, "S: A4 OK LOGOUT completed.\n"));
}

static void
test_imap_starttls (void)
{
  /* Dovecot's words, on a port that needs STARTTLS first. */
  static const Step script[] = {
    { OP_SEND, "* OK [CAPABILITY IMAP4rev1 SASL-IR STARTTLS LOGINDISABLED] Dovecot ready." },
    { OP_EXPECT, "A1 CAPABILITY" },
    { OP_SEND, "* CAPABILITY IMAP4rev1 SASL-IR LOGIN-REFERRALS ID ENABLE IDLE LITERAL+ STARTTLS "
               "LOGINDISABLED" },
    { OP_SEND, "A1 OK Pre-login capabilities listed, post-login capabilities have more." },
    { OP_EXPECT, "A2 STARTTLS" },
    { OP_SEND, "A2 OK Begin TLS negotiation now." },
    { OP_TLS },
    { OP_EXPECT, "A3 CAPABILITY" },
    { OP_SEND, "* CAPABILITY IMAP4rev1 SASL-IR LOGIN-REFERRALS ID ENABLE IDLE LITERAL+ "
               "AUTH=XOAUTH2 AUTH=OAUTHBEARER" },
    { OP_SEND, "A3 OK Pre-login capabilities listed, post-login capabilities have more." },
    { OP_EXPECT_PREFIX, "A4 AUTHENTICATE XOAUTH2 " },
    { OP_SEND, "A4 OK [CAPABILITY IMAP4rev1 SASL-IR] Logged in" },
    { OP_EXPECT, "A5 LIST \"\" \"\"" },
    { OP_SEND, "* LIST (\\Noselect) \".\" \"\"" },
    { OP_SEND, "A5 OK List completed (0.001 + 0.000 secs)." },
    { OP_EXPECT, "A6 LOGOUT" },
    { OP_SEND, "* BYE Logging out" },
    { OP_SEND, "A6 OK Logout completed (0.001 + 0.000 secs)." },
    { OP_END },
  };
  g_autoptr(Server) server = NULL;
  g_autoptr(MendProbeResult) result = NULL;

  SKIP_WITHOUT_TLS ();

  server = server_start (script, FALSE, NULL, NULL);
  result = run_probe (server, "imap");
  g_assert_null (server_finish (server));

  assert_ok (result, "Signed in and listed the folders");
  g_assert_nonnull (strstr (mend_probe_result_get_transcript (result), "# Encrypted (STARTTLS)"));
}

static void
test_imap_without_sasl_ir (void)
{
  static const Step script[] = {
    MICROSOFT_IMAP_GREETING,
    { OP_EXPECT, "A1 CAPABILITY" },
    { OP_SEND, "* CAPABILITY IMAP4rev1 AUTH=XOAUTH2" },
    { OP_SEND, "A1 OK CAPABILITY completed." },
    { OP_EXPECT, "A2 AUTHENTICATE XOAUTH2" },
    { OP_SEND, "+ " },
    { OP_EXPECT_PREFIX, "" },
    { OP_SEND, "A2 OK AUTHENTICATE completed." },
    { OP_EXPECT, "A3 LIST \"\" \"\"" },
    { OP_SEND, "A3 OK LIST completed." },
    MICROSOFT_IMAP_LOGOUT ("A4"),
    { OP_END },
  };
  g_autoptr(Server) server = NULL;
  g_autoptr(MendProbeResult) result = NULL;
  g_autofree char *sasl = expected_sasl ();

  SKIP_WITHOUT_TLS ();

  server = server_start (script, TRUE, NULL, NULL);
  result = run_probe (server, "imaps");
  g_assert_null (server_finish (server));

  assert_ok (result, "Signed in and listed the folders");
  g_assert_cmpstr (g_ptr_array_index (server->received, 2), ==, sasl);
}

static void
test_imap_not_connected (void)
{
  /* Microsoft accepts the token, then refuses the mailbox (microsoft.md §3.4). */
  static const Step script[] = {
    MICROSOFT_IMAP_GREETING,
    MICROSOFT_IMAP_CAPABILITIES,
    { OP_EXPECT_PREFIX, "A2 AUTHENTICATE XOAUTH2 " },
    { OP_SEND, "A2 OK AUTHENTICATE completed." },
    { OP_EXPECT, "A3 LIST \"\" \"\"" },
    { OP_SEND, "A3 BAD User is authenticated but not connected." },
    { OP_SEND, "* BYE Connection closed. 14" },
    { OP_CLOSE },
    { OP_END },
  };
  g_autoptr(Server) server = NULL;
  g_autoptr(MendProbeResult) result = NULL;
  MendFinding *finding;

  SKIP_WITHOUT_TLS ();

  server = server_start (script, TRUE, NULL, NULL);
  result = run_probe (server, "imaps");
  g_assert_null (server_finish (server));

  finding = assert_failed (result, "mailbox-not-connected");
  g_assert_nonnull (strstr (mend_finding_get_details (finding),
                            "127.0.0.1:"));
  g_assert_nonnull (strstr (mend_finding_get_details (finding),
                            "A3 BAD User is authenticated but not connected."));
  g_assert_cmpint (mend_finding_get_severity (finding), ==, MEND_SEVERITY_ERROR);
}

static void
test_imap_error_challenge (void)
{
  /* The error challenge (base64 JSON) gets an empty line; then the NO (feasibility.md §4). */
  static const Step script[] = {
    { OP_SEND, "* OK [CAPABILITY IMAP4rev1 SASL-IR AUTH=XOAUTH2] Dovecot ready." },
    { OP_EXPECT, "A1 CAPABILITY" },
    { OP_SEND, "* CAPABILITY IMAP4rev1 SASL-IR AUTH=XOAUTH2 AUTH=OAUTHBEARER" },
    { OP_SEND, "A1 OK Pre-login capabilities listed." },
    { OP_EXPECT_PREFIX, "A2 AUTHENTICATE XOAUTH2 " },
    { OP_SEND, "+ eyJzdGF0dXMiOiI0MDEiLCJzY2hlbWVzIjoiYmVhcmVyIiwic2NvcGUiOiJtYWlsIn0=" },
    { OP_EXPECT, "" },
    { OP_SEND, "A2 NO [AUTHENTICATIONFAILED] Authentication failed." },
    { OP_EXPECT, "A3 LOGOUT" },
    { OP_SEND, "* BYE Logging out" },
    { OP_SEND, "A3 OK Logout completed." },
    { OP_END },
  };
  g_autoptr(Server) server = NULL;
  g_autoptr(MendProbeResult) result = NULL;

  SKIP_WITHOUT_TLS ();

  server = server_start (script, TRUE, NULL, NULL);
  result = run_probe (server, "imaps");
  g_assert_null (server_finish (server));

  assert_failed (result, "token-rejected");
}

static void
test_imap_microsoft_no (void)
{
  static const Step script[] = {
    MICROSOFT_IMAP_GREETING,
    MICROSOFT_IMAP_CAPABILITIES,
    { OP_EXPECT_PREFIX, "A2 AUTHENTICATE XOAUTH2 " },
    { OP_SEND, "A2 NO AUTHENTICATE failed." },
    MICROSOFT_IMAP_LOGOUT ("A3"),
    { OP_END },
  };
  g_autoptr(Server) server = NULL;
  g_autoptr(MendProbeResult) result = NULL;
  MendFinding *finding;

  SKIP_WITHOUT_TLS ();

  server = server_start (script, TRUE, NULL, NULL);
  result = run_probe (server, "imaps");
  g_assert_null (server_finish (server));

  finding = assert_failed (result, "token-rejected");
  g_assert_nonnull (strstr (mend_finding_get_details (finding), "A2 NO AUTHENTICATE failed."));
}

static void
test_imap_echo_redacted (void)
{
  /* A server that quotes the sign-in back: the transcript and the finding hide it. */
  static const Step script[] = {
    MICROSOFT_IMAP_GREETING,
    MICROSOFT_IMAP_CAPABILITIES,
    { OP_EXPECT_PREFIX, "A2 AUTHENTICATE XOAUTH2 " },
    { OP_SEND_ECHO, "A2 NO [AUTHENTICATIONFAILED] You sent " },
    MICROSOFT_IMAP_LOGOUT ("A3"),
    { OP_END },
  };
  g_autoptr(Server) server = NULL;
  g_autoptr(MendProbeResult) result = NULL;
  MendFinding *finding;

  SKIP_WITHOUT_TLS ();

  server = server_start (script, TRUE, NULL, NULL);
  result = run_probe (server, "imaps");
  g_assert_null (server_finish (server));

  /* run_probe() checked that no secret is left; the echo was there, redacted. */
  finding = assert_failed (result, "token-rejected");
  g_assert_nonnull (strstr (mend_finding_get_details (finding),
                            "You sent A2 AUTHENTICATE XOAUTH2 [redacted]"));
  g_assert_nonnull (strstr (mend_probe_result_get_transcript (result),
                            "S: A2 NO [AUTHENTICATIONFAILED] You sent A2 AUTHENTICATE XOAUTH2 "
                            "[redacted]"));
}

static void
test_imap_no_starttls (void)
{
  /* A plain port without STARTTLS: the token must not travel in clear text. */
  static const Step script[] = {
    { OP_SEND, "* OK IMAP4rev1 ready" },
    { OP_EXPECT, "A1 CAPABILITY" },
    { OP_SEND, "* CAPABILITY IMAP4rev1 SASL-IR AUTH=XOAUTH2 AUTH=PLAIN" },
    { OP_SEND, "A1 OK done" },
    { OP_EXPECT, "A2 LOGOUT" },
    { OP_SEND, "* BYE bye" },
    { OP_SEND, "A2 OK done" },
    { OP_END },
  };
  g_autoptr(Server) server = NULL;
  g_autoptr(MendProbeResult) result = NULL;

  SKIP_WITHOUT_TLS ();

  server = server_start (script, FALSE, NULL, NULL);
  result = run_probe (server, "imap");
  g_assert_null (server_finish (server));

  assert_failed (result, "no-tls-offered");
  g_assert_false (received_contains (server, "AUTHENTICATE"));
  g_assert_cmpuint (server->received->len, ==, 2);
}

static void
test_imap_starttls_injection (void)
{
  /* Plain text slipped in after the go-ahead would be read as if it came encrypted. */
  static const Step script[] = {
    { OP_SEND, "* OK IMAP4rev1 ready" },
    { OP_EXPECT, "A1 CAPABILITY" },
    { OP_SEND, "* CAPABILITY IMAP4rev1 STARTTLS" },
    { OP_SEND, "A1 OK done" },
    { OP_EXPECT, "A2 STARTTLS" },
    { OP_SEND_RAW, "A2 OK Begin TLS negotiation now.\r\n* CAPABILITY IMAP4rev1 AUTH=XOAUTH2\r\n" },
    { OP_SLEEP, "2000" },
    { OP_END },
  };
  g_autoptr(Server) server = NULL;
  g_autoptr(MendProbeResult) result = NULL;

  SKIP_WITHOUT_TLS ();

  server = server_start (script, FALSE, NULL, NULL);
  result = run_probe (server, "imap");

  assert_failed (result, "tls-failure");
  g_assert_false (received_contains (server, "AUTHENTICATE"));
}

static void
test_imap_no_xoauth2 (void)
{
  static const Step script[] = {
    MICROSOFT_IMAP_GREETING,
    { OP_EXPECT, "A1 CAPABILITY" },
    { OP_SEND, "* CAPABILITY IMAP4rev1 AUTH=PLAIN SASL-IR" },
    { OP_SEND, "A1 OK CAPABILITY completed." },
    MICROSOFT_IMAP_LOGOUT ("A2"),
    { OP_END },
  };
  g_autoptr(Server) server = NULL;
  g_autoptr(MendProbeResult) result = NULL;

  SKIP_WITHOUT_TLS ();

  server = server_start (script, TRUE, NULL, NULL);
  result = run_probe (server, "imaps");
  g_assert_null (server_finish (server));

  assert_failed (result, "xoauth2-not-offered");
  g_assert_false (received_contains (server, "AUTHENTICATE"));
}

static void
test_imap_too_many_connections (void)
{
  static const Step script[] = {
    { OP_SEND, "* BYE Maximum number of connections from user+IP exceeded "
               "(mail_max_userip_connections=10)" },
    { OP_CLOSE },
    { OP_END },
  };
  g_autoptr(Server) server = NULL;
  g_autoptr(MendProbeResult) result = NULL;

  SKIP_WITHOUT_TLS ();

  server = server_start (script, TRUE, NULL, NULL);
  result = run_probe (server, "imaps");

  assert_failed (result, "too-many-connections");
}

/* ------------------------------------------------------------------------------------------ */
/* SMTP                                                                                        */
/* ------------------------------------------------------------------------------------------ */

#define MICROSOFT_SMTP_GREETING \
  { OP_SEND, "220 BN9PR03CA0123.outlook.office365.com Microsoft ESMTP MAIL Service ready at " \
             "Mon, 3 Mar 2025 10:00:00 +0000" }
#define MICROSOFT_SMTP_EHLO_START \
  { OP_EXPECT, "EHLO [127.0.0.1]" }, \
  { OP_SEND, "250-BN9PR03CA0123.outlook.office365.com Hello [203.0.113.7]" }, \
  { OP_SEND, "250-SIZE 157286400" }, \
  { OP_SEND, "250-PIPELINING" }, \
  { OP_SEND, "250-DSN" }, \
  { OP_SEND, "250-ENHANCEDSTATUSCODES" }
#define MICROSOFT_SMTP_EHLO_END \
  { OP_SEND, "250-8BITMIME" }, \
  { OP_SEND, "250-BINARYMIME" }, \
  { OP_SEND, "250-CHUNKING" }, \
  { OP_SEND, "250 SMTPUTF8" }
/* Exchange Online: AUTH only after STARTTLS (microsoft.md §3.3). */
#define MICROSOFT_SMTP_TO_AUTH \
  MICROSOFT_SMTP_GREETING, \
  MICROSOFT_SMTP_EHLO_START, \
  { OP_SEND, "250-STARTTLS" }, \
  MICROSOFT_SMTP_EHLO_END, \
  { OP_EXPECT, "STARTTLS" }, \
  { OP_SEND, "220 2.0.0 SMTP server ready" }, \
  { OP_TLS }, \
  MICROSOFT_SMTP_EHLO_START, \
  { OP_SEND, "250-AUTH LOGIN XOAUTH2" }, \
  MICROSOFT_SMTP_EHLO_END, \
  { OP_EXPECT_PREFIX, "AUTH XOAUTH2 " }
#define MICROSOFT_SMTP_QUIT \
  { OP_EXPECT, "QUIT" }, \
  { OP_SEND, "221 2.0.0 Service closing transmission channel" }

static void
test_smtp_ok (void)
{
  static const Step script[] = {
    MICROSOFT_SMTP_TO_AUTH,
    { OP_SEND, "235 2.7.0 Authentication successful" },
    MICROSOFT_SMTP_QUIT,
    { OP_END },
  };
  g_autoptr(Server) server = NULL;
  g_autoptr(MendProbeResult) result = NULL;
  g_autofree char *sasl = expected_sasl ();
  g_autofree char *sent = NULL;

  SKIP_WITHOUT_TLS ();

  server = server_start (script, FALSE, NULL, NULL);
  result = run_probe (server, "smtp");
  g_assert_null (server_finish (server));

  assert_ok (result, "Signed in (no message sent)");
  sent = g_strconcat ("AUTH XOAUTH2 ", sasl, NULL);
  g_assert_cmpstr (g_ptr_array_index (server->received, 3), ==, sent);
  /* No message: no MAIL, RCPT or DATA. */
  g_assert_cmpuint (server->received->len, ==, 5);
  g_assert_false (received_contains (server, "MAIL FROM"));
}

static void
test_smtp_implicit_tls (void)
{
  static const Step script[] = {
    { OP_SEND, "220 localhost Dovecot ready." },
    { OP_EXPECT, "EHLO [127.0.0.1]" },
    { OP_SEND, "250-localhost" },
    { OP_SEND, "250-8BITMIME" },
    { OP_SEND, "250-AUTH OAUTHBEARER XOAUTH2" },
    { OP_SEND, "250 PIPELINING" },
    { OP_EXPECT_PREFIX, "AUTH XOAUTH2 " },
    { OP_SEND, "235 2.7.0 Logged in." },
    { OP_EXPECT, "QUIT" },
    { OP_SEND, "221 2.0.0 Bye" },
    { OP_END },
  };
  g_autoptr(Server) server = NULL;
  g_autoptr(MendProbeResult) result = NULL;

  SKIP_WITHOUT_TLS ();

  server = server_start (script, TRUE, NULL, NULL);
  result = run_probe (server, "smtps");
  g_assert_null (server_finish (server));

  assert_ok (result, "Signed in (no message sent)");
}

static void
test_smtp_auth_disabled (void)
{
  static const Step script[] = {
    MICROSOFT_SMTP_TO_AUTH,
    { OP_SEND, "535 5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled "
               "for the Tenant. Visit https://aka.ms/smtp_auth_disabled for more information. "
               "[SN4PR0501CA0054.namprd05.prod.outlook.com 2025-03-03T10:00:00.000Z "
               "08DD5A1B2C3D4E5F]" },
    MICROSOFT_SMTP_QUIT,
    { OP_END },
  };
  g_autoptr(Server) server = NULL;
  g_autoptr(MendProbeResult) result = NULL;
  MendFinding *finding;

  SKIP_WITHOUT_TLS ();

  server = server_start (script, FALSE, NULL, NULL);
  result = run_probe (server, "smtp");
  g_assert_null (server_finish (server));

  finding = assert_failed (result, "smtp-auth-disabled");
  g_assert_nonnull (strstr (mend_finding_get_remedy (finding),
                            "-SmtpClientAuthenticationDisabled $false"));
  g_assert_nonnull (strstr (mend_finding_get_details (finding), "5.7.139"));
}

static void
test_smtp_token_rejected (void)
{
  static const Step script[] = {
    MICROSOFT_SMTP_TO_AUTH,
    { OP_SEND, "535 5.7.3 Authentication unsuccessful [SN2PR00CA0018.namprd00.prod.outlook.com]" },
    MICROSOFT_SMTP_QUIT,
    { OP_END },
  };
  g_autoptr(Server) server = NULL;
  g_autoptr(MendProbeResult) result = NULL;

  SKIP_WITHOUT_TLS ();

  server = server_start (script, FALSE, NULL, NULL);
  result = run_probe (server, "smtp");
  g_assert_null (server_finish (server));

  assert_failed (result, "token-rejected");
}

static void
test_smtp_error_challenge (void)
{
  static const Step script[] = {
    MICROSOFT_SMTP_TO_AUTH,
    { OP_SEND, "334 eyJzdGF0dXMiOiI0MDEiLCJzY2hlbWVzIjoiYmVhcmVyIiwic2NvcGUiOiJtYWlsIn0=" },
    { OP_EXPECT, "" },
    { OP_SEND, "535 5.7.8 Authentication failed." },
    MICROSOFT_SMTP_QUIT,
    { OP_END },
  };
  g_autoptr(Server) server = NULL;
  g_autoptr(MendProbeResult) result = NULL;

  SKIP_WITHOUT_TLS ();

  server = server_start (script, FALSE, NULL, NULL);
  result = run_probe (server, "smtp");
  g_assert_null (server_finish (server));

  assert_failed (result, "token-rejected");
}

static void
test_smtp_no_starttls (void)
{
  static const Step script[] = {
    MICROSOFT_SMTP_GREETING,
    MICROSOFT_SMTP_EHLO_START,
    { OP_SEND, "250-AUTH LOGIN XOAUTH2" },
    MICROSOFT_SMTP_EHLO_END,
    MICROSOFT_SMTP_QUIT,
    { OP_END },
  };
  g_autoptr(Server) server = NULL;
  g_autoptr(MendProbeResult) result = NULL;

  SKIP_WITHOUT_TLS ();

  server = server_start (script, FALSE, NULL, NULL);
  result = run_probe (server, "smtp");
  g_assert_null (server_finish (server));

  assert_failed (result, "no-tls-offered");
  g_assert_false (received_contains (server, "AUTH"));
}

/* ------------------------------------------------------------------------------------------ */
/* POP                                                                                         */
/* ------------------------------------------------------------------------------------------ */

#define MICROSOFT_POP_TO_AUTH \
  { OP_SEND, "+OK The Microsoft Exchange POP3 service is ready. [TQBOADIAUABSADAA]" }, \
  { OP_EXPECT, "CAPA" }, \
  { OP_SEND, "+OK" }, \
  { OP_SEND, "TOP" }, \
  { OP_SEND, "UIDL" }, \
  { OP_SEND, "SASL PLAIN XOAUTH2" }, \
  { OP_SEND, "USER" }, \
  { OP_SEND, "." }, \
  { OP_EXPECT, "AUTH XOAUTH2" }, \
  { OP_SEND, "+ " }, \
  { OP_EXPECT_PREFIX, "" }
#define MICROSOFT_POP_QUIT \
  { OP_EXPECT, "QUIT" }, \
  { OP_SEND, "+OK Microsoft Exchange Server POP3 server signing off." }

static void
test_pop_ok (void)
{
  static const Step script[] = {
    MICROSOFT_POP_TO_AUTH,
    { OP_SEND, "+OK User successfully authenticated." },
    { OP_EXPECT, "STAT" },
    { OP_SEND, "+OK 2 4096" },
    MICROSOFT_POP_QUIT,
    { OP_END },
  };
  g_autoptr(Server) server = NULL;
  g_autoptr(MendProbeResult) result = NULL;
  g_autofree char *sasl = expected_sasl ();

  SKIP_WITHOUT_TLS ();

  server = server_start (script, TRUE, NULL, NULL);
  result = run_probe (server, "pop3s");
  g_assert_null (server_finish (server));

  assert_ok (result, "Signed in and opened the mailbox");
  g_assert_cmpstr (g_ptr_array_index (server->received, 2), ==, sasl);
}

static void
test_pop_starttls (void)
{
  static const Step script[] = {
    { OP_SEND, "+OK Dovecot ready." },
    { OP_EXPECT, "CAPA" },
    { OP_SEND, "+OK" },
    { OP_SEND, "CAPA" },
    { OP_SEND, "TOP" },
    { OP_SEND, "UIDL" },
    { OP_SEND, "RESP-CODES" },
    { OP_SEND, "AUTH-RESP-CODE" },
    { OP_SEND, "STLS" },
    { OP_SEND, "." },
    { OP_EXPECT, "STLS" },
    { OP_SEND, "+OK Begin TLS negotiation now." },
    { OP_TLS },
    { OP_EXPECT, "CAPA" },
    { OP_SEND, "+OK" },
    { OP_SEND, "CAPA" },
    { OP_SEND, "SASL XOAUTH2 OAUTHBEARER" },
    { OP_SEND, "." },
    { OP_EXPECT, "AUTH XOAUTH2" },
    { OP_SEND, "+ " },
    { OP_EXPECT_PREFIX, "" },
    { OP_SEND, "+OK Logged in." },
    { OP_EXPECT, "STAT" },
    { OP_SEND, "+OK 1 120" },
    { OP_EXPECT, "QUIT" },
    { OP_SEND, "+OK Logging out." },
    { OP_END },
  };
  g_autoptr(Server) server = NULL;
  g_autoptr(MendProbeResult) result = NULL;

  SKIP_WITHOUT_TLS ();

  server = server_start (script, FALSE, NULL, NULL);
  result = run_probe (server, "pop3");
  g_assert_null (server_finish (server));

  assert_ok (result, "Signed in and opened the mailbox");
}

static void
test_pop_token_rejected (void)
{
  static const Step script[] = {
    MICROSOFT_POP_TO_AUTH,
    { OP_SEND, "-ERR Authentication failure: unknown user name or bad password." },
    MICROSOFT_POP_QUIT,
    { OP_END },
  };
  g_autoptr(Server) server = NULL;
  g_autoptr(MendProbeResult) result = NULL;

  SKIP_WITHOUT_TLS ();

  server = server_start (script, TRUE, NULL, NULL);
  result = run_probe (server, "pop3s");
  g_assert_null (server_finish (server));

  assert_failed (result, "token-rejected");
}

/* ------------------------------------------------------------------------------------------ */
/* Broken servers and networks                                                                 */
/* ------------------------------------------------------------------------------------------ */

static void
test_garbage (void)
{
  static const Step script[] = {
    { OP_SEND, "HTTP/1.1 400 Bad Request" },
    { OP_SEND, "Content-Type: text/html" },
    { OP_SLEEP, "2000" },
    { OP_END },
  };
  g_autoptr(Server) server = NULL;
  g_autoptr(MendProbeResult) result = NULL;
  MendFinding *finding;

  SKIP_WITHOUT_TLS ();

  server = server_start (script, TRUE, NULL, NULL);
  result = run_probe (server, "imaps");

  finding = assert_failed (result, "protocol-error");
  g_assert_nonnull (strstr (mend_finding_get_details (finding), "HTTP/1.1 400 Bad Request"));
}

static void
test_truncated (void)
{
  static const Step script[] = {
    MICROSOFT_SMTP_GREETING,
    { OP_EXPECT, "EHLO [127.0.0.1]" },
    { OP_SEND_RAW, "250-BN9PR03CA0123.outlook.office365.com Hello [203.0.113.7]\r\n250-SIZ" },
    { OP_CLOSE },
    { OP_END },
  };
  g_autoptr(Server) server = NULL;
  g_autoptr(MendProbeResult) result = NULL;
  MendFinding *finding;

  SKIP_WITHOUT_TLS ();

  server = server_start (script, TRUE, NULL, NULL);
  result = run_probe (server, "smtps");
  g_assert_null (server_finish (server));

  finding = assert_failed (result, "protocol-error");
  g_assert_nonnull (strstr (mend_finding_get_details (finding), "in the middle of an answer"));
}

static void
test_huge_line (void)
{
  static const Step script[] = {
    { OP_SEND_HUGE },
    { OP_END },
  };
  g_autoptr(Server) server = NULL;
  g_autoptr(MendProbeResult) result = NULL;
  MendFinding *finding;

  SKIP_WITHOUT_TLS ();

  server = server_start (script, TRUE, NULL, NULL);
  result = run_probe (server, "imaps");

  finding = assert_failed (result, "protocol-error");
  g_assert_nonnull (strstr (mend_finding_get_details (finding), "a line longer than"));
  /* The transcript did not keep the megabyte. */
  g_assert_cmpuint (strlen (mend_probe_result_get_transcript (result)), <, 4096);
}

static void
test_slow_server (void)
{
  static const Step script[] = {
    MICROSOFT_IMAP_GREETING,
    { OP_EXPECT, "A1 CAPABILITY" },
    { OP_SLEEP, "10000" },
    { OP_END },
  };
  g_autoptr(Server) server = NULL;
  g_autoptr(MendServerAddress) address = NULL;
  g_autoptr(MendProbeResult) result = NULL;
  g_autoptr(GError) error = NULL;
  MendFinding *finding;
  gint64 start;

  SKIP_WITHOUT_TLS ();

  server = server_start (script, TRUE, NULL, NULL);
  address = local_server ("imaps", server->port);

  start = g_get_monotonic_time ();
  result = run_probe_full (address, cert_file, 300, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (g_get_monotonic_time () - start, <, 3 * G_USEC_PER_SEC);

  finding = assert_failed (result, "server-timeout");
  g_assert_nonnull (strstr (mend_finding_get_details (finding), "did not answer within 1 second."));
}

static void
test_connection_refused (void)
{
  g_autoptr(GSocketListener) listener = g_socket_listener_new ();
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) effective = NULL;
  g_autoptr(MendServerAddress) server = NULL;
  g_autoptr(MendProbeResult) result = NULL;
  g_autoptr(GError) error = NULL;
  guint16 port;

  /* A port that was free a moment ago, and is closed now. */
  g_socket_listener_add_address (listener, address, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP,
                                 NULL, &effective, &error);
  g_assert_no_error (error);
  port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (effective));
  g_socket_listener_close (listener);

  server = local_server ("imaps", port);
  result = run_probe_full (server, NULL, TIMEOUT_MS, NULL, &error);
  g_assert_no_error (error);

  assert_failed (result, "network-unreachable");
  g_assert_cmpuint (strlen (mend_probe_result_get_transcript (result)), >, 0);
}

static void
test_unknown_host (void)
{
  g_autoptr(MendServerAddress) server = NULL;
  g_autoptr(MendProbeResult) result = NULL;
  g_autoptr(GError) error = NULL;

  /* RFC 6761: .invalid never resolves. */
  server = mend_server_address_parse ("imaps://nonexistent.invalid", MEND_PROTOCOL_IMAP, &error);
  g_assert_no_error (error);
  result = run_probe_full (server, NULL, 3000, NULL, &error);
  g_assert_no_error (error);

  assert_failed (result, "network-unreachable");
}

static void
test_untrusted_certificate (void)
{
  static const Step script[] = {
    MICROSOFT_IMAP_GREETING,
    { OP_END },
  };
  const struct {
    const char *trusted;
    const char *certificate;
    const char *key;
    const char *reason;
  } cases[] = {
    /* The system's trust anchors do not know the test certificate. */
    { NULL, NULL, NULL, "not signed by a trusted authority" },
    /* Another certificate trusted instead (a wrong --ca-file). */
    { other_cert_file, NULL, NULL, "not signed by a trusted authority" },
    /* A trusted certificate for another name. */
    { other_cert_file, other_cert_file, other_key_file, "issued for another server name" },
  };

  SKIP_WITHOUT_TLS ();

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(Server) server = NULL;
      g_autoptr(MendServerAddress) address = NULL;
      g_autoptr(MendProbeResult) result = NULL;
      g_autoptr(GError) error = NULL;
      MendFinding *finding;

      server = server_start (script, TRUE, cases[i].certificate, cases[i].key);
      address = local_server ("imaps", server->port);
      result = run_probe_full (address, cases[i].trusted, TIMEOUT_MS, NULL, &error);
      g_assert_no_error (error);

      finding = assert_failed (result, "tls-failure");
      g_test_message ("%s", mend_finding_get_details (finding));
      g_assert_nonnull (strstr (mend_finding_get_details (finding), cases[i].reason));
      g_assert_cmpuint (server->received->len, ==, 0);
    }
}

static gboolean
cancel_now (gpointer user_data)
{
  g_cancellable_cancel (user_data);

  return G_SOURCE_REMOVE;
}

static void
test_cancel (void)
{
  static const Step script[] = {
    MICROSOFT_IMAP_GREETING,
    { OP_EXPECT, "A1 CAPABILITY" },
    { OP_SLEEP, "10000" },
    { OP_END },
  };
  g_autoptr(Server) server = NULL;
  g_autoptr(MendServerAddress) address = NULL;
  g_autoptr(MendProbeResult) result = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  gint64 start;

  SKIP_WITHOUT_TLS ();

  server = server_start (script, TRUE, NULL, NULL);
  address = local_server ("imaps", server->port);

  start = g_get_monotonic_time ();
  g_timeout_add (200, cancel_now, cancellable);
  result = run_probe_full (address, cert_file, TIMEOUT_MS, cancellable, &error);

  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_null (result);
  g_assert_cmpint (g_get_monotonic_time () - start, <, 2 * G_USEC_PER_SEC);
}

/* ------------------------------------------------------------------------------------------ */
/* The verifier                                                                                */
/* ------------------------------------------------------------------------------------------ */

static MendOAuthToken *
token_new (MendTenantType tenant_type,
           gboolean       pop)
{
  MendOAuthToken *token = mend_oauth_token_new (ADDRESS);
  const char *scopes[] = {
    MEND_OAUTH_SCOPE_IMAP, MEND_OAUTH_SCOPE_SMTP, "offline_access",
    pop ? MEND_OAUTH_SCOPE_POP : NULL, NULL,
  };

  mend_oauth_token_set_access_token (token, TOKEN);
  mend_oauth_token_set_scopes (token, scopes);
  mend_oauth_token_set_tenant_id (token, tenant_type == MEND_TENANT_TYPE_CONSUMER
                                           ? MEND_CONSUMER_TENANT_ID
                                           : "c0ffee00-0000-4000-8000-00000000cafe");

  return token;
}

static void
on_probe_finished (MendAccountVerifier *verifier,
                   MendProbeResult     *result,
                   GPtrArray           *announced)
{
  g_ptr_array_add (announced, g_object_ref (result));
}

static GPtrArray *
verify (MendOAuthToken    *token,
        MendServerAddress *imap,
        MendServerAddress *smtp,
        MendServerAddress *pop,
        GPtrArray         *announced)
{
  g_autoptr(MendAccountVerifier) verifier = mend_account_verifier_new (NULL);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  GPtrArray *results;

  g_assert_true (mend_account_verifier_set_ca_file (verifier, cert_file, &error));
  mend_account_verifier_set_timeout (verifier, TIMEOUT_MS);
  g_signal_connect (verifier, "probe-finished", G_CALLBACK (on_probe_finished), announced);

  mend_account_verifier_verify_token_async (verifier, token, imap, smtp, pop, NULL,
                                            on_probe_done, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);

  results = mend_account_verifier_verify_token_finish (verifier, result, &error);
  g_assert_no_error (error);

  for (guint i = 0; i < results->len; i++)
    assert_no_secret (g_ptr_array_index (results, i));

  return results;
}

static void
test_verifier_access_refused (void)
{
  /* IMAP refuses the token that SMTP accepts, and SMTP answers last. */
  static const Step imap_script[] = {
    MICROSOFT_IMAP_GREETING,
    MICROSOFT_IMAP_CAPABILITIES,
    { OP_EXPECT_PREFIX, "A2 AUTHENTICATE XOAUTH2 " },
    { OP_SEND, "A2 NO AUTHENTICATE failed." },
    MICROSOFT_IMAP_LOGOUT ("A3"),
    { OP_END },
  };
  static const Step smtp_script[] = {
    MICROSOFT_SMTP_TO_AUTH,
    { OP_SLEEP, "300" },
    { OP_SEND, "235 2.7.0 Authentication successful" },
    MICROSOFT_SMTP_QUIT,
    { OP_END },
  };
  g_autoptr(Server) imap_server = NULL;
  g_autoptr(Server) smtp_server = NULL;
  g_autoptr(MendServerAddress) imap = NULL;
  g_autoptr(MendServerAddress) smtp = NULL;
  g_autoptr(MendOAuthToken) token = token_new (MEND_TENANT_TYPE_CONSUMER, FALSE);
  g_autoptr(GPtrArray) announced = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) results = NULL;
  MendFinding *finding;

  SKIP_WITHOUT_TLS ();

  imap_server = server_start (imap_script, TRUE, NULL, NULL);
  smtp_server = server_start (smtp_script, FALSE, NULL, NULL);
  imap = local_server ("imaps", imap_server->port);
  smtp = local_server ("smtp", smtp_server->port);

  results = verify (token, imap, smtp, NULL, announced);
  g_assert_null (server_finish (imap_server));
  g_assert_null (server_finish (smtp_server));

  g_assert_cmpuint (results->len, ==, 2);
  g_assert_cmpint (mend_probe_result_get_protocol (g_ptr_array_index (results, 0)), ==,
                   MEND_PROTOCOL_IMAP);
  assert_ok (g_ptr_array_index (results, 1), "Signed in (no message sent)");

  /* IMAP was held back until SMTP was known, and then told for what it is. */
  g_assert_cmpuint (announced->len, ==, 2);
  g_assert_true (g_ptr_array_index (announced, 0) == g_ptr_array_index (results, 1));
  g_assert_true (g_ptr_array_index (announced, 1) == g_ptr_array_index (results, 0));

  finding = assert_failed (g_ptr_array_index (results, 0), "imap-access-refused");
  g_assert_nonnull (strstr (mend_finding_get_remedy (finding), "Forwarding and IMAP"));
  g_assert_nonnull (strstr (mend_finding_get_details (finding), "AUTHENTICATE failed."));
}

static void
test_verifier_token_rejected (void)
{
  /* Both refuse: the token itself is bad. */
  static const Step imap_script[] = {
    MICROSOFT_IMAP_GREETING,
    MICROSOFT_IMAP_CAPABILITIES,
    { OP_EXPECT_PREFIX, "A2 AUTHENTICATE XOAUTH2 " },
    { OP_SEND, "A2 NO AUTHENTICATE failed." },
    MICROSOFT_IMAP_LOGOUT ("A3"),
    { OP_END },
  };
  static const Step smtp_script[] = {
    MICROSOFT_SMTP_TO_AUTH,
    { OP_SEND, "535 5.7.3 Authentication unsuccessful" },
    MICROSOFT_SMTP_QUIT,
    { OP_END },
  };
  g_autoptr(Server) imap_server = NULL;
  g_autoptr(Server) smtp_server = NULL;
  g_autoptr(MendServerAddress) imap = NULL;
  g_autoptr(MendServerAddress) smtp = NULL;
  g_autoptr(MendOAuthToken) token = token_new (MEND_TENANT_TYPE_ORGANIZATION, FALSE);
  g_autoptr(GPtrArray) announced = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) results = NULL;

  SKIP_WITHOUT_TLS ();

  imap_server = server_start (imap_script, TRUE, NULL, NULL);
  smtp_server = server_start (smtp_script, FALSE, NULL, NULL);
  imap = local_server ("imaps", imap_server->port);
  smtp = local_server ("smtp", smtp_server->port);

  results = verify (token, imap, smtp, NULL, announced);

  assert_failed (g_ptr_array_index (results, 0), "token-rejected");
  assert_failed (g_ptr_array_index (results, 1), "token-rejected");
  g_assert_cmpuint (announced->len, ==, 2);
}

static void
test_verifier_pop_scope_missing (void)
{
  static const Step pop_script[] = {
    MICROSOFT_POP_TO_AUTH,
    { OP_SEND, "-ERR Authentication failure: unknown user name or bad password." },
    MICROSOFT_POP_QUIT,
    { OP_END },
  };
  g_autoptr(Server) pop_server = NULL;
  g_autoptr(MendServerAddress) pop = NULL;
  g_autoptr(MendOAuthToken) token = token_new (MEND_TENANT_TYPE_CONSUMER, FALSE);
  g_autoptr(GPtrArray) announced = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) results = NULL;
  MendFinding *finding;

  SKIP_WITHOUT_TLS ();

  pop_server = server_start (pop_script, TRUE, NULL, NULL);
  pop = local_server ("pop3s", pop_server->port);

  results = verify (token, NULL, NULL, pop, announced);

  g_assert_cmpuint (results->len, ==, 1);
  finding = assert_failed (g_ptr_array_index (results, 0), "scope-missing");
  g_assert_nonnull (strstr (mend_finding_get_remedy (finding), "mailmend signin --pop " ADDRESS));
}

static void
test_verifier_concurrent (void)
{
  /* Each server takes a second to accept the sign-in: together, about a second. */
  static const Step imap_script[] = {
    MICROSOFT_IMAP_GREETING,
    MICROSOFT_IMAP_CAPABILITIES,
    { OP_EXPECT_PREFIX, "A2 AUTHENTICATE XOAUTH2 " },
    { OP_SLEEP, "1000" },
    { OP_SEND, "A2 OK AUTHENTICATE completed." },
    { OP_EXPECT, "A3 LIST \"\" \"\"" },
    { OP_SEND, "A3 OK LIST completed." },
    MICROSOFT_IMAP_LOGOUT ("A4"),
    { OP_END },
  };
  static const Step smtp_script[] = {
    MICROSOFT_SMTP_TO_AUTH,
    { OP_SLEEP, "1000" },
    { OP_SEND, "235 2.7.0 Authentication successful" },
    MICROSOFT_SMTP_QUIT,
    { OP_END },
  };
  static const Step pop_script[] = {
    MICROSOFT_POP_TO_AUTH,
    { OP_SLEEP, "1000" },
    { OP_SEND, "+OK User successfully authenticated." },
    { OP_EXPECT, "STAT" },
    { OP_SEND, "+OK 0 0" },
    MICROSOFT_POP_QUIT,
    { OP_END },
  };
  g_autoptr(Server) imap_server = NULL;
  g_autoptr(Server) smtp_server = NULL;
  g_autoptr(Server) pop_server = NULL;
  g_autoptr(MendServerAddress) imap = NULL;
  g_autoptr(MendServerAddress) smtp = NULL;
  g_autoptr(MendServerAddress) pop = NULL;
  g_autoptr(MendOAuthToken) token = token_new (MEND_TENANT_TYPE_ORGANIZATION, TRUE);
  g_autoptr(GPtrArray) announced = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) results = NULL;
  gint64 start;

  SKIP_WITHOUT_TLS ();

  imap_server = server_start (imap_script, TRUE, NULL, NULL);
  smtp_server = server_start (smtp_script, FALSE, NULL, NULL);
  pop_server = server_start (pop_script, TRUE, NULL, NULL);
  imap = local_server ("imaps", imap_server->port);
  smtp = local_server ("smtp", smtp_server->port);
  pop = local_server ("pop3s", pop_server->port);

  start = g_get_monotonic_time ();
  results = verify (token, imap, smtp, pop, announced);
  g_test_message ("Three checks of a second each took %.2f s",
                  (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC);
  g_assert_cmpint (g_get_monotonic_time () - start, <, 2 * G_USEC_PER_SEC);

  g_assert_cmpuint (results->len, ==, 3);
  for (guint i = 0; i < results->len; i++)
    g_assert_true (mend_probe_result_get_ok (g_ptr_array_index (results, i)));
  g_assert_cmpint (mend_probe_result_get_protocol (g_ptr_array_index (results, 2)), ==,
                   MEND_PROTOCOL_POP3);
  g_assert_cmpuint (announced->len, ==, 3);
}

/* ------------------------------------------------------------------------------------------ */

/* A self-signed certificate for @names, made by openssl; %FALSE without openssl. */
static gboolean
make_certificate (const char *name,
                  const char *subject_alt_names,
                  char      **certificate,
                  char      **key)
{
  g_autofree char *extension = g_strdup_printf ("subjectAltName=%s", subject_alt_names);
  g_autoptr(GError) error = NULL;
  int status = 0;

  *certificate = g_build_filename (tls_dir, name, NULL);
  *key = g_strconcat (*certificate, ".key", NULL);

  {
    const char *argv[] = {
      "openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
      "-nodes", "-keyout", *key, "-out", *certificate, "-days", "36500",
      "-subj", "/CN=Mailmend test", "-addext", extension, NULL,
    };

    if (!g_spawn_sync (NULL, (char **) argv, NULL,
                       G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL |
                       G_SPAWN_STDERR_TO_DEV_NULL,
                       NULL, NULL, NULL, NULL, &status, &error) ||
        !g_spawn_check_wait_status (status, NULL))
      {
        g_clear_pointer (certificate, g_free);
        g_clear_pointer (key, g_free);
        return FALSE;
      }
  }

  return TRUE;
}

static void
remove_tls_dir (void)
{
  const char *files[] = { cert_file, key_file, other_cert_file, other_key_file };

  for (guint i = 0; i < G_N_ELEMENTS (files); i++)
    {
      if (files[i] != NULL)
        g_unlink (files[i]);
    }
  g_rmdir (tls_dir);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  g_test_init (&argc, &argv, NULL);
  g_set_prgname ("test-probes");

  tls_dir = g_dir_make_tmp ("mailmend-probes-XXXXXX", NULL);
  g_assert_nonnull (tls_dir);
  if (!make_certificate ("server.pem", "DNS:localhost,IP:127.0.0.1", &cert_file, &key_file) ||
      !make_certificate ("other.pem", "DNS:other.example", &other_cert_file, &other_key_file))
    g_clear_pointer (&cert_file, g_free);

  g_test_add_func ("/probes/imap/ok", test_imap_ok);
  g_test_add_func ("/probes/imap/starttls", test_imap_starttls);
  g_test_add_func ("/probes/imap/without-sasl-ir", test_imap_without_sasl_ir);
  g_test_add_func ("/probes/imap/not-connected", test_imap_not_connected);
  g_test_add_func ("/probes/imap/error-challenge", test_imap_error_challenge);
  g_test_add_func ("/probes/imap/microsoft-no", test_imap_microsoft_no);
  g_test_add_func ("/probes/imap/echo-redacted", test_imap_echo_redacted);
  g_test_add_func ("/probes/imap/no-starttls", test_imap_no_starttls);
  g_test_add_func ("/probes/imap/starttls-injection", test_imap_starttls_injection);
  g_test_add_func ("/probes/imap/no-xoauth2", test_imap_no_xoauth2);
  g_test_add_func ("/probes/imap/too-many-connections", test_imap_too_many_connections);
  g_test_add_func ("/probes/smtp/ok", test_smtp_ok);
  g_test_add_func ("/probes/smtp/implicit-tls", test_smtp_implicit_tls);
  g_test_add_func ("/probes/smtp/auth-disabled", test_smtp_auth_disabled);
  g_test_add_func ("/probes/smtp/token-rejected", test_smtp_token_rejected);
  g_test_add_func ("/probes/smtp/error-challenge", test_smtp_error_challenge);
  g_test_add_func ("/probes/smtp/no-starttls", test_smtp_no_starttls);
  g_test_add_func ("/probes/pop/ok", test_pop_ok);
  g_test_add_func ("/probes/pop/starttls", test_pop_starttls);
  g_test_add_func ("/probes/pop/token-rejected", test_pop_token_rejected);
  g_test_add_func ("/probes/broken/garbage", test_garbage);
  g_test_add_func ("/probes/broken/truncated", test_truncated);
  g_test_add_func ("/probes/broken/huge-line", test_huge_line);
  g_test_add_func ("/probes/broken/slow-server", test_slow_server);
  g_test_add_func ("/probes/broken/connection-refused", test_connection_refused);
  g_test_add_func ("/probes/broken/unknown-host", test_unknown_host);
  g_test_add_func ("/probes/broken/untrusted-certificate", test_untrusted_certificate);
  g_test_add_func ("/probes/broken/cancel", test_cancel);
  g_test_add_func ("/probes/verifier/access-refused", test_verifier_access_refused);
  g_test_add_func ("/probes/verifier/token-rejected", test_verifier_token_rejected);
  g_test_add_func ("/probes/verifier/pop-scope-missing", test_verifier_pop_scope_missing);
  g_test_add_func ("/probes/verifier/concurrent", test_verifier_concurrent);

  status = g_test_run ();

  remove_tls_dir ();

  return status;
}
