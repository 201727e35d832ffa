/* test-preflight.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The preflight against servers on 127.0.0.1: TLS and SMTP-with-STARTTLS servers (a threaded
 * GSocketService with certificates that openssl makes for the run), a refused port, a name
 * that cannot resolve, untrusted and misnamed certificates, servers that misbehave or never
 * answer, a web server whose Date is off, a captive portal (a fake GNetworkMonitor), a proxy
 * (GSimpleProxyResolver), and three slow checks that must run at the same time.
 */

#include "config.h"

#include <string.h>

#include <glib/gstdio.h>
#include <libsoup/soup.h>

#include "mend-preflight.h"
#include "mend-test-cli.h"

static char *tls_dir;
static char *cert_file;
static char *other_cert_file;
static GTlsCertificate *certificate;
static GTlsCertificate *other_certificate;

/* --- A scripted server ------------------------------------------------------------------- */

typedef enum
{
  SERVE_TLS,
  SERVE_SMTP,
  SERVE_SMTP_NO_STARTTLS,
  SERVE_SMTP_REFUSED,
  SERVE_SILENT,
} Behaviour;

typedef struct
{
  GSocketService  *service;
  guint16          port;
  Behaviour        behaviour;
  guint            delay_ms;
  GTlsCertificate *certificate;
  GMutex           lock;
  GArray          *starts;
  GArray          *ends;
} Server;

static gboolean
serve_line (GDataInputStream  *input,
            GOutputStream     *output,
            const char        *expected_prefix,
            const char        *answer)
{
  g_autofree char *line = g_data_input_stream_read_line (input, NULL, NULL, NULL);

  if (line == NULL || !g_str_has_prefix (line, expected_prefix))
    return FALSE;

  return g_output_stream_write_all (output, answer, strlen (answer), NULL, NULL, NULL);
}

static void
handshake (Server            *server,
           GSocketConnection *connection)
{
  g_autoptr(GIOStream) tls = NULL;
  char buffer[64];

  tls = g_tls_server_connection_new (G_IO_STREAM (connection), server->certificate, NULL);
  if (tls == NULL || !g_tls_connection_handshake (G_TLS_CONNECTION (tls), NULL, NULL))
    return;

  /* Until the client goes. */
  while (g_input_stream_read (g_io_stream_get_input_stream (tls), buffer, sizeof buffer,
                              NULL, NULL) > 0)
    ;
}

static void
wait_for_close (GSocketConnection *connection)
{
  char buffer[64];

  while (g_input_stream_read (g_io_stream_get_input_stream (G_IO_STREAM (connection)), buffer,
                              sizeof buffer, NULL, NULL) > 0)
    ;
}

static void
record (Server *server,
        GArray *times)
{
  gint64 now = g_get_monotonic_time ();

  g_mutex_lock (&server->lock);
  g_array_append_val (times, now);
  g_mutex_unlock (&server->lock);
}

static gboolean
on_run (GThreadedSocketService *service,
        GSocketConnection      *connection,
        GObject                *source_object,
        gpointer                user_data)
{
  Server *server = user_data;
  GOutputStream *output = g_io_stream_get_output_stream (G_IO_STREAM (connection));
  g_autoptr(GDataInputStream) input = NULL;
  const char *ehlo_answer;

  record (server, server->starts);
  g_socket_set_timeout (g_socket_connection_get_socket (connection), 10);
  g_usleep (server->delay_ms * 1000);

  input = g_data_input_stream_new (g_io_stream_get_input_stream (G_IO_STREAM (connection)));
  g_data_input_stream_set_newline_type (input, G_DATA_STREAM_NEWLINE_TYPE_CR_LF);
  g_filter_input_stream_set_close_base_stream (G_FILTER_INPUT_STREAM (input), FALSE);

  switch (server->behaviour)
    {
    case SERVE_TLS:
      handshake (server, connection);
      break;

    case SERVE_SMTP:
    case SERVE_SMTP_NO_STARTTLS:
      ehlo_answer = server->behaviour == SERVE_SMTP
                      ? "250-localhost\r\n250-PIPELINING\r\n250-SIZE 35882577\r\n250 STARTTLS\r\n"
                      : "250-localhost\r\n250-PIPELINING\r\n250 AUTH LOGIN PLAIN\r\n";
      if (g_output_stream_write_all (output, "220 localhost ESMTP ready\r\n", 27, NULL, NULL, NULL) &&
          serve_line (input, output, "EHLO ", ehlo_answer) &&
          server->behaviour == SERVE_SMTP &&
          serve_line (input, output, "STARTTLS", "220 2.0.0 SMTP server ready\r\n"))
        handshake (server, connection);
      else
        wait_for_close (connection);
      break;

    case SERVE_SMTP_REFUSED:
      g_output_stream_write_all (output, "554 5.7.1 Service unavailable; client host blocked\r\n",
                                 53, NULL, NULL, NULL);
      break;

    case SERVE_SILENT:
      wait_for_close (connection);
      break;

    default:
      g_assert_not_reached ();
    }

  record (server, server->ends);

  return TRUE;
}

static Server *
server_new (Behaviour        behaviour,
            guint            delay_ms,
            GTlsCertificate *server_certificate)
{
  Server *server = g_new0 (Server, 1);
  g_autoptr(GError) error = NULL;

  server->behaviour = behaviour;
  server->delay_ms = delay_ms;
  server->certificate = server_certificate ? g_object_ref (server_certificate) : NULL;
  server->starts = g_array_new (FALSE, FALSE, sizeof (gint64));
  server->ends = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_mutex_init (&server->lock);

  server->service = g_threaded_socket_service_new (10);
  {
    g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
    g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
    g_autoptr(GSocketAddress) effective = NULL;

    g_socket_listener_add_address (G_SOCKET_LISTENER (server->service), address,
                                   G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, NULL,
                                   &effective, &error);
    g_assert_no_error (error);
    server->port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (effective));
  }
  g_signal_connect (server->service, "run", G_CALLBACK (on_run), server);
  g_socket_service_start (server->service);

  return server;
}

static void
server_free (Server *server)
{
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  gboolean busy = TRUE;

  /* Its handlers run in threads of their own: wait until the last has ended. */
  while (busy && g_get_monotonic_time () < deadline)
    {
      while (g_main_context_iteration (NULL, FALSE))
        ;
      g_mutex_lock (&server->lock);
      busy = server->ends->len < server->starts->len;
      g_mutex_unlock (&server->lock);
      if (busy)
        g_usleep (10 * 1000);
    }
  g_assert_false (busy);

  g_socket_service_stop (server->service);
  g_socket_listener_close (G_SOCKET_LISTENER (server->service));
  g_clear_object (&server->service);
  g_clear_object (&server->certificate);
  g_array_unref (server->starts);
  g_array_unref (server->ends);
  g_mutex_clear (&server->lock);
  g_free (server);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Server, server_free)

/* Waits for @server's handlers to have ended @n times: they end a little after the client. */
static void
wait_for_ends (Server *server,
               guint   n)
{
  gint64 deadline = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;
  guint ended;

  do
    {
      while (g_main_context_iteration (NULL, FALSE))
        ;
      g_mutex_lock (&server->lock);
      ended = server->ends->len;
      g_mutex_unlock (&server->lock);
      if (ended < n)
        g_usleep (10 * 1000);
    }
  while (ended < n && g_get_monotonic_time () < deadline);

  g_assert_cmpuint (ended, >=, n);
}

/* --- A fake network monitor -------------------------------------------------------------- */

typedef struct
{
  GObject              parent_instance;
  GNetworkConnectivity connectivity;
} FakeMonitor;

typedef GObjectClass FakeMonitorClass;

enum {
  PROP_0,
  PROP_NETWORK_AVAILABLE,
  PROP_NETWORK_METERED,
  PROP_CONNECTIVITY,
};

static void fake_monitor_initable_iface_init (GInitableIface *iface);
static void fake_monitor_iface_init (GNetworkMonitorInterface *iface);

G_DEFINE_TYPE_WITH_CODE (FakeMonitor, fake_monitor, G_TYPE_OBJECT,
                         G_IMPLEMENT_INTERFACE (G_TYPE_INITABLE, fake_monitor_initable_iface_init)
                         G_IMPLEMENT_INTERFACE (G_TYPE_NETWORK_MONITOR, fake_monitor_iface_init))

static gboolean
fake_monitor_initable_init (GInitable     *initable,
                            GCancellable  *cancellable,
                            GError       **error)
{
  return TRUE;
}

static void
fake_monitor_initable_iface_init (GInitableIface *iface)
{
  iface->init = fake_monitor_initable_init;
}

static void
fake_monitor_iface_init (GNetworkMonitorInterface *iface)
{
}

static void
fake_monitor_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  FakeMonitor *self = (FakeMonitor *) object;

  switch (prop_id)
    {
    case PROP_NETWORK_AVAILABLE:
      g_value_set_boolean (value, self->connectivity != G_NETWORK_CONNECTIVITY_LOCAL);
      break;
    case PROP_NETWORK_METERED:
      g_value_set_boolean (value, FALSE);
      break;
    case PROP_CONNECTIVITY:
      g_value_set_enum (value, self->connectivity);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fake_monitor_class_init (FakeMonitorClass *klass)
{
  klass->get_property = fake_monitor_get_property;

  g_object_class_override_property (klass, PROP_NETWORK_AVAILABLE, "network-available");
  g_object_class_override_property (klass, PROP_NETWORK_METERED, "network-metered");
  g_object_class_override_property (klass, PROP_CONNECTIVITY, "connectivity");
}

static void
fake_monitor_init (FakeMonitor *self)
{
  self->connectivity = G_NETWORK_CONNECTIVITY_FULL;
}

static GNetworkMonitor *
fake_monitor_new (GNetworkConnectivity connectivity)
{
  FakeMonitor *monitor = g_object_new (fake_monitor_get_type (), NULL);

  monitor->connectivity = connectivity;

  return G_NETWORK_MONITOR (monitor);
}

/* --- Running a preflight ----------------------------------------------------------------- */

/* A preflight that looks only at what a test gives it: no default targets, no clock check,
 * no network monitor, no proxy. */
static MendPreflight *
preflight_new (void)
{
  MendPreflight *preflight = mend_preflight_new ();

  mend_preflight_clear_targets (preflight);
  mend_preflight_set_date_url (preflight, NULL);
  mend_preflight_set_network_monitor (preflight, NULL);
  mend_preflight_set_proxy_resolver (preflight, NULL);
  mend_preflight_set_timeout (preflight, 5000);

  return preflight;
}

static void
trust_test_ca (MendPreflight *preflight,
               const char    *file)
{
  g_autoptr(GError) error = NULL;

  mend_preflight_set_ca_file (preflight, file, &error);
  g_assert_no_error (error);
}

static void
on_run_done (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

static GPtrArray *
run (MendPreflight  *preflight,
     GCancellable   *cancellable,
     GError        **error)
{
  g_autoptr(GAsyncResult) result = NULL;
  GPtrArray *findings;

  mend_preflight_run_async (preflight, cancellable, on_run_done, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);

  findings = mend_preflight_run_finish (preflight, result, error);
  for (guint i = 0; findings != NULL && i < findings->len; i++)
    {
      MendFinding *finding = g_ptr_array_index (findings, i);

      g_test_message ("%s: %s (%s)", mend_finding_get_id (finding),
                      mend_finding_get_explanation (finding),
                      mend_finding_get_details (finding) ? mend_finding_get_details (finding) : "");
    }

  return findings;
}

static GPtrArray *
run_ok (MendPreflight *preflight)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *findings = run (preflight, NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (findings);

  return findings;
}

static MendFinding *
find (GPtrArray  *findings,
      const char *id)
{
  MendFinding *found = NULL;

  for (guint i = 0; i < findings->len; i++)
    {
      MendFinding *finding = g_ptr_array_index (findings, i);

      if (g_str_equal (mend_finding_get_id (finding), id))
        {
          g_assert_null (found);
          found = finding;
        }
    }

  return found;
}

static MendPreflightCheck *
the_check (MendPreflight *preflight,
           guint          index)
{
  GPtrArray *checks = mend_preflight_get_checks (preflight);

  g_assert_cmpuint (index, <, checks->len);

  return g_ptr_array_index (checks, index);
}

static void
assert_contains (const char *text,
                 const char *part)
{
  if (text == NULL || strstr (text, part) == NULL)
    g_error ("“%s” does not contain “%s”", text ? text : "(null)", part);
}

/* Everything went well: one check, OK, and the reassuring finding only. */
static void
assert_all_good (MendPreflight *preflight,
                 GPtrArray     *findings)
{
  g_assert_cmpuint (findings->len, ==, 1);
  g_assert_nonnull (find (findings, "network-ok"));
  g_assert_true (mend_preflight_findings_all_good (findings));
  for (guint i = 0; i < mend_preflight_get_checks (preflight)->len; i++)
    {
      g_assert_cmpint (mend_preflight_check_get_state (the_check (preflight, i)), ==,
                       MEND_PREFLIGHT_CHECK_OK);
      g_assert_null (mend_preflight_check_get_finding (the_check (preflight, i)));
    }
}

/* --- Tests ------------------------------------------------------------------------------- */

static void
test_tls_trusted (void)
{
  g_autoptr(Server) server = server_new (SERVE_TLS, 0, certificate);
  g_autoptr(MendPreflight) preflight = preflight_new ();
  g_autoptr(GPtrArray) findings = NULL;

  trust_test_ca (preflight, cert_file);
  mend_preflight_add_target (preflight, MEND_PREFLIGHT_MODE_TLS, NULL, "127.0.0.1", server->port);
  mend_preflight_add_target (preflight, MEND_PREFLIGHT_MODE_HTTPS, "Web", "127.0.0.1", server->port);
  findings = run_ok (preflight);

  assert_all_good (preflight, findings);
  g_assert_cmpstr (mend_preflight_check_get_name (the_check (preflight, 0)), ==, "Incoming mail (IMAP)");
  g_assert_cmpstr (mend_preflight_check_get_name (the_check (preflight, 1)), ==, "Web");
  g_assert_cmpuint (server->starts->len, ==, 2);
}

static void
test_tls_untrusted (void)
{
  g_autoptr(Server) server = server_new (SERVE_TLS, 0, certificate);
  g_autoptr(MendPreflight) preflight = preflight_new ();
  g_autoptr(GPtrArray) findings = NULL;
  MendFinding *finding;

  /* The same server, without its CA: refused, never waved through. */
  mend_preflight_add_target (preflight, MEND_PREFLIGHT_MODE_TLS, NULL, "127.0.0.1", server->port);
  findings = run_ok (preflight);

  g_assert_cmpuint (findings->len, ==, 1);
  finding = find (findings, "tls-failure");
  g_assert_nonnull (finding);
  g_assert_cmpint (mend_finding_get_severity (finding), ==, MEND_SEVERITY_ERROR);
  g_assert_cmpstr (mend_finding_get_title (finding), ==, "No secure connection to 127.0.0.1");
  assert_contains (mend_finding_get_explanation (finding), "not from an authority");
  g_assert_false (mend_preflight_findings_all_good (findings));
  g_assert_cmpint (mend_preflight_check_get_state (the_check (preflight, 0)), ==,
                   MEND_PREFLIGHT_CHECK_FAILED);
  g_assert_true (mend_preflight_check_get_finding (the_check (preflight, 0)) == finding);
}

static void
test_tls_wrong_name (void)
{
  g_autoptr(Server) server = server_new (SERVE_TLS, 0, other_certificate);
  g_autoptr(MendPreflight) preflight = preflight_new ();
  g_autoptr(GPtrArray) findings = NULL;
  MendFinding *finding;

  /* Trusting the CA file does not trust a certificate made for another name. */
  trust_test_ca (preflight, other_cert_file);
  mend_preflight_add_target (preflight, MEND_PREFLIGHT_MODE_TLS, NULL, "127.0.0.1", server->port);
  findings = run_ok (preflight);

  finding = find (findings, "tls-failure");
  g_assert_nonnull (finding);
  assert_contains (mend_finding_get_explanation (finding), "belongs to another server");
}

static void
test_smtp_starttls (void)
{
  g_autoptr(Server) server = server_new (SERVE_SMTP, 0, certificate);
  g_autoptr(MendPreflight) preflight = preflight_new ();
  g_autoptr(GPtrArray) findings = NULL;

  trust_test_ca (preflight, cert_file);
  mend_preflight_add_target (preflight, MEND_PREFLIGHT_MODE_SMTP_STARTTLS, NULL, "127.0.0.1",
                             server->port);
  findings = run_ok (preflight);

  assert_all_good (preflight, findings);
  g_assert_cmpstr (mend_preflight_check_get_name (the_check (preflight, 0)), ==, "Outgoing mail (SMTP)");
}

static void
test_smtp_without_starttls (void)
{
  g_autoptr(Server) server = server_new (SERVE_SMTP_NO_STARTTLS, 0, NULL);
  g_autoptr(MendPreflight) preflight = preflight_new ();
  g_autoptr(GPtrArray) findings = NULL;
  MendFinding *finding;

  trust_test_ca (preflight, cert_file);
  mend_preflight_add_target (preflight, MEND_PREFLIGHT_MODE_SMTP_STARTTLS, NULL, "127.0.0.1",
                             server->port);
  findings = run_ok (preflight);

  finding = find (findings, "tls-failure");
  g_assert_nonnull (finding);
  assert_contains (mend_finding_get_explanation (finding), "does not offer a secure connection");
}

static void
test_smtp_refused (void)
{
  g_autoptr(Server) server = server_new (SERVE_SMTP_REFUSED, 0, NULL);
  g_autoptr(MendPreflight) preflight = preflight_new ();
  g_autoptr(GPtrArray) findings = NULL;
  MendFinding *finding;

  mend_preflight_add_target (preflight, MEND_PREFLIGHT_MODE_SMTP_STARTTLS, NULL, "127.0.0.1",
                             server->port);
  findings = run_ok (preflight);

  finding = find (findings, "network-unreachable");
  g_assert_nonnull (finding);
  assert_contains (mend_finding_get_explanation (finding), "did not answer as a mail server should");
  assert_contains (mend_finding_get_details (finding), "554 5.7.1 Service unavailable");
}

static void
test_refused_port (void)
{
  g_autoptr(MendPreflight) preflight = preflight_new ();
  g_autoptr(GPtrArray) findings = NULL;
  g_autofree char *on_port = NULL;
  guint16 port = mend_test_closed_port ();
  MendFinding *finding;

  mend_preflight_add_target (preflight, MEND_PREFLIGHT_MODE_TLS, NULL, "127.0.0.1", port);
  findings = run_ok (preflight);

  finding = find (findings, "network-unreachable");
  g_assert_nonnull (finding);
  g_assert_cmpint (mend_finding_get_severity (finding), ==, MEND_SEVERITY_ERROR);
  g_assert_cmpstr (mend_finding_get_title (finding), ==, "Cannot reach 127.0.0.1");
  on_port = g_strdup_printf ("could not connect to 127.0.0.1 on port %u", port);
  assert_contains (mend_finding_get_explanation (finding), on_port);
  g_assert_null (find (findings, "network-ok"));
}

static void
test_unresolvable (void)
{
  g_autoptr(MendPreflight) preflight = preflight_new ();
  g_autoptr(GPtrArray) findings = NULL;
  MendFinding *finding;

  mend_preflight_add_target (preflight, MEND_PREFLIGHT_MODE_TLS, NULL, "nonexistent.invalid", 993);
  findings = run_ok (preflight);

  finding = find (findings, "network-unreachable");
  g_assert_nonnull (finding);
  assert_contains (mend_finding_get_explanation (finding), "could not look up the address of nonexistent.invalid");
  assert_contains (mend_finding_get_details (finding), "nonexistent.invalid:993");
}

static void
test_timeout (void)
{
  g_autoptr(Server) server = server_new (SERVE_SILENT, 0, NULL);
  g_autoptr(MendPreflight) preflight = preflight_new ();
  g_autoptr(GPtrArray) findings = NULL;
  gint64 start = g_get_monotonic_time ();
  MendFinding *finding;

  mend_preflight_set_timeout (preflight, 500);
  mend_preflight_add_target (preflight, MEND_PREFLIGHT_MODE_SMTP_STARTTLS, NULL, "127.0.0.1",
                             server->port);
  findings = run_ok (preflight);

  g_assert_cmpint (g_get_monotonic_time () - start, <, 2 * G_USEC_PER_SEC);
  finding = find (findings, "network-unreachable");
  g_assert_nonnull (finding);
  assert_contains (mend_finding_get_details (finding), "No answer within 1 second");
  wait_for_ends (server, 1);
}

static gboolean
cancel_later (gpointer data)
{
  g_cancellable_cancel (data);

  return G_SOURCE_REMOVE;
}

static void
test_cancel (void)
{
  g_autoptr(Server) server = server_new (SERVE_SILENT, 0, NULL);
  g_autoptr(MendPreflight) preflight = preflight_new ();
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GPtrArray) findings = NULL;
  g_autoptr(GError) error = NULL;
  gint64 start = g_get_monotonic_time ();

  mend_preflight_add_target (preflight, MEND_PREFLIGHT_MODE_SMTP_STARTTLS, NULL, "127.0.0.1",
                             server->port);
  mend_preflight_set_date_url (preflight, "http://127.0.0.1:9/");
  g_timeout_add (200, cancel_later, cancellable);
  findings = run (preflight, cancellable, &error);

  g_assert_null (findings);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpint (g_get_monotonic_time () - start, <, 2 * G_USEC_PER_SEC);
  /* A cancelled check has no result. */
  g_assert_cmpint (mend_preflight_check_get_state (the_check (preflight, 0)), ==,
                   MEND_PREFLIGHT_CHECK_RUNNING);
  wait_for_ends (server, 1);
}

static void
test_concurrent (void)
{
  g_autoptr(Server) server = server_new (SERVE_SMTP, 1000, certificate);
  g_autoptr(MendPreflight) preflight = preflight_new ();
  g_autoptr(GPtrArray) findings = NULL;
  gint64 start = g_get_monotonic_time ();
  gint64 elapsed;
  gint64 last_start = 0;
  gint64 first_end = G_MAXINT64;

  trust_test_ca (preflight, cert_file);
  for (guint i = 0; i < 3; i++)
    mend_preflight_add_target (preflight, MEND_PREFLIGHT_MODE_SMTP_STARTTLS, NULL, "127.0.0.1",
                               server->port);
  findings = run_ok (preflight);
  elapsed = g_get_monotonic_time () - start;
  wait_for_ends (server, 3);

  assert_all_good (preflight, findings);
  g_test_message ("Three checks of about 1 s each took %" G_GINT64_FORMAT " ms", elapsed / 1000);
  g_assert_cmpint (elapsed, <, 2500 * 1000);

  /* Every connection began before any ended: they ran side by side. */
  g_assert_cmpuint (server->starts->len, ==, 3);
  for (guint i = 0; i < 3; i++)
    {
      last_start = MAX (last_start, g_array_index (server->starts, gint64, i));
      first_end = MIN (first_end, g_array_index (server->ends, gint64, i));
    }
  g_assert_cmpint (last_start, <, first_end);
}

static gint64 date_offset_s;

static void
serve_date (SoupServer        *server,
            SoupServerMessage *msg,
            const char        *path,
            GHashTable        *query,
            gpointer           user_data)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) date = g_date_time_add_seconds (now, date_offset_s);
  g_autofree char *text = soup_date_time_to_string (date, SOUP_DATE_HTTP);

  soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Date", text);
  soup_server_message_set_status (msg, 302, NULL);
  soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Location",
                                "https://elsewhere.invalid/");
}

static GPtrArray *
run_clock_check (gint64 offset_s)
{
  g_autoptr(SoupServer) server = soup_server_new (NULL, NULL);
  g_autoptr(MendPreflight) preflight = preflight_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;
  GSList *uris;
  GPtrArray *findings;

  date_offset_s = offset_s;
  soup_server_add_handler (server, NULL, serve_date, NULL, NULL);
  soup_server_listen_local (server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error);
  g_assert_no_error (error);
  uris = soup_server_get_uris (server);
  url = g_uri_to_string (uris->data);
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);

  mend_preflight_set_date_url (preflight, url);
  findings = run_ok (preflight);
  soup_server_disconnect (server);

  return findings;
}

static void
test_clock (void)
{
  g_autoptr(GPtrArray) right = run_clock_check (20);
  g_autoptr(GPtrArray) slow_server = run_clock_check (-10 * 60);
  g_autoptr(GPtrArray) fast_server = run_clock_check (3 * 3600);
  g_autoptr(GPtrArray) far_off = run_clock_check (-400 * 86400);
  MendFinding *finding;

  /* A few seconds off is normal; and with no server to check, no “all good” either. */
  g_assert_cmpuint (right->len, ==, 0);

  finding = find (slow_server, "clock-skew");
  g_assert_nonnull (finding);
  g_assert_cmpint (mend_finding_get_severity (finding), ==, MEND_SEVERITY_WARNING);
  g_assert_cmpstr (mend_finding_get_explanation (finding), ==,
                   "This computer’s clock is 10 minutes ahead of Microsoft’s.");
  assert_contains (mend_finding_get_details (finding), "Microsoft’s server: ");

  finding = find (fast_server, "clock-skew");
  g_assert_nonnull (finding);
  g_assert_cmpstr (mend_finding_get_explanation (finding), ==,
                   "This computer’s clock is 3 hours behind Microsoft’s.");

  finding = find (far_off, "clock-skew");
  g_assert_nonnull (finding);
  g_assert_cmpstr (mend_finding_get_explanation (finding), ==,
                   "This computer’s clock is 400 days ahead of Microsoft’s.");
}

static void
test_clock_unreachable (void)
{
  g_autoptr(MendPreflight) preflight = preflight_new ();
  g_autoptr(GPtrArray) findings = NULL;
  g_autofree char *url = g_strdup_printf ("http://127.0.0.1:%u/", mend_test_closed_port ());

  /* No answer, no verdict on the clock: the server checks say what is unreachable. */
  mend_preflight_set_date_url (preflight, url);
  findings = run_ok (preflight);
  g_assert_cmpuint (findings->len, ==, 0);
}

static void
test_connectivity (void)
{
  static const struct {
    GNetworkConnectivity  connectivity;
    const char           *id;
  } cases[] = {
    { G_NETWORK_CONNECTIVITY_PORTAL, "captive-portal" },
    { G_NETWORK_CONNECTIVITY_LIMITED, "network-limited" },
    { G_NETWORK_CONNECTIVITY_LOCAL, "network-limited" },
    { G_NETWORK_CONNECTIVITY_FULL, NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(MendPreflight) preflight = preflight_new ();
      g_autoptr(GNetworkMonitor) monitor = fake_monitor_new (cases[i].connectivity);
      g_autoptr(GPtrArray) findings = NULL;

      mend_preflight_set_network_monitor (preflight, monitor);
      findings = run_ok (preflight);

      if (cases[i].id == NULL)
        {
          g_assert_cmpuint (findings->len, ==, 0);
          continue;
        }

      g_assert_cmpuint (findings->len, ==, 1);
      g_assert_nonnull (find (findings, cases[i].id));
      g_assert_cmpint (mend_finding_get_severity (find (findings, cases[i].id)), ==,
                       MEND_SEVERITY_WARNING);
    }
}

static void
test_proxy (void)
{
  g_autoptr(Server) server = server_new (SERVE_TLS, 0, certificate);
  g_autoptr(MendPreflight) preflight = preflight_new ();
  g_autoptr(GProxyResolver) resolver = NULL;
  g_autoptr(GPtrArray) findings = NULL;
  g_autofree char *proxy = NULL;
  g_autofree char *shown = NULL;
  MendFinding *finding;
  guint16 proxy_port = mend_test_closed_port ();

  proxy = g_strdup_printf ("http://alice:s3cret-proxy-pass@127.0.0.1:%u", proxy_port);
  shown = g_strdup_printf ("http://127.0.0.1:%u", proxy_port);
  resolver = g_simple_proxy_resolver_new (proxy, NULL);
  mend_preflight_set_proxy_resolver (preflight, resolver);
  trust_test_ca (preflight, cert_file);

  /* The web server goes through the (dead) proxy; the mail server is reached directly. */
  mend_preflight_add_target (preflight, MEND_PREFLIGHT_MODE_HTTPS, NULL, "127.0.0.1", server->port);
  mend_preflight_add_target (preflight, MEND_PREFLIGHT_MODE_TLS, NULL, "127.0.0.1", server->port);
  findings = run_ok (preflight);

  finding = find (findings, "proxy-in-use");
  g_assert_nonnull (finding);
  g_assert_cmpint (mend_finding_get_severity (finding), ==, MEND_SEVERITY_INFO);
  g_assert_cmpstr (mend_finding_get_details (finding), ==, shown);

  finding = find (findings, "network-unreachable");
  g_assert_nonnull (finding);
  assert_contains (mend_finding_get_explanation (finding), "through the proxy server");
  g_assert_cmpint (mend_preflight_check_get_state (the_check (preflight, 0)), ==,
                   MEND_PREFLIGHT_CHECK_FAILED);
  g_assert_cmpint (mend_preflight_check_get_state (the_check (preflight, 1)), ==,
                   MEND_PREFLIGHT_CHECK_OK);

  /* The proxy's password is nobody's business. */
  for (guint i = 0; i < findings->len; i++)
    {
      MendFinding *any = g_ptr_array_index (findings, i);
      const char *texts[] = { mend_finding_get_title (any), mend_finding_get_explanation (any),
                              mend_finding_get_remedy (any), mend_finding_get_details (any) };

      for (guint j = 0; j < G_N_ELEMENTS (texts); j++)
        {
          g_assert_null (strstr (texts[j] ? texts[j] : "", "s3cret"));
          g_assert_null (strstr (texts[j] ? texts[j] : "", "alice"));
        }
    }
}

static void
test_environment_targets (void)
{
  g_autoptr(MendPreflight) preflight = NULL;
  g_autoptr(GPtrArray) findings = NULL;
  g_autofree char *targets = NULL;
  guint16 port = mend_test_closed_port ();

  targets = g_strdup_printf ("https:127.0.0.1:%u, tls:127.0.0.1:%u smtp:127.0.0.1:%u",
                             port, port, port);
  g_setenv ("MAILMEND_PREFLIGHT_TARGETS", targets, TRUE);
  preflight = mend_preflight_new ();
  g_unsetenv ("MAILMEND_PREFLIGHT_TARGETS");
  mend_preflight_set_network_monitor (preflight, NULL);
  mend_preflight_set_proxy_resolver (preflight, NULL);
  findings = run_ok (preflight);

  g_assert_cmpuint (mend_preflight_get_checks (preflight)->len, ==, 3);
  g_assert_cmpint (mend_preflight_check_get_mode (the_check (preflight, 0)), ==, MEND_PREFLIGHT_MODE_HTTPS);
  g_assert_cmpint (mend_preflight_check_get_mode (the_check (preflight, 1)), ==, MEND_PREFLIGHT_MODE_TLS);
  g_assert_cmpint (mend_preflight_check_get_mode (the_check (preflight, 2)), ==,
                   MEND_PREFLIGHT_MODE_SMTP_STARTTLS);
  for (guint i = 0; i < 3; i++)
    {
      g_assert_cmpstr (mend_preflight_check_get_host (the_check (preflight, i)), ==, "127.0.0.1");
      g_assert_cmpuint (mend_preflight_check_get_port (the_check (preflight, i)), ==, port);
      g_assert_cmpint (mend_preflight_check_get_state (the_check (preflight, i)), ==,
                       MEND_PREFLIGHT_CHECK_FAILED);
    }
  g_assert_cmpuint (findings->len, ==, 3);
}

static void
on_state_changed (MendPreflightCheck *check,
                  GParamSpec         *pspec,
                  guint              *n_changes)
{
  (*n_changes)++;
}

/* The rows of the wizard follow each check as it ends, before the run does. */
static void
test_checks_notify (void)
{
  g_autoptr(Server) server = server_new (SERVE_TLS, 0, certificate);
  g_autoptr(Server) slow = server_new (SERVE_SILENT, 0, NULL);
  g_autoptr(MendPreflight) preflight = preflight_new ();
  g_autoptr(GPtrArray) findings = NULL;
  guint n_changes = 0;

  trust_test_ca (preflight, cert_file);
  mend_preflight_set_timeout (preflight, 1500);
  mend_preflight_add_target (preflight, MEND_PREFLIGHT_MODE_TLS, NULL, "127.0.0.1", server->port);
  mend_preflight_add_target (preflight, MEND_PREFLIGHT_MODE_SMTP_STARTTLS, NULL, "127.0.0.1",
                             slow->port);

  mend_preflight_run_async (preflight, NULL, NULL, NULL);
  g_assert_cmpuint (mend_preflight_get_checks (preflight)->len, ==, 2);
  g_assert_cmpint (mend_preflight_check_get_state (the_check (preflight, 0)), ==,
                   MEND_PREFLIGHT_CHECK_RUNNING);
  g_signal_connect (the_check (preflight, 0), "notify::state", G_CALLBACK (on_state_changed),
                    &n_changes);
  while (n_changes == 0)
    g_main_context_iteration (NULL, TRUE);

  g_assert_cmpint (mend_preflight_check_get_state (the_check (preflight, 0)), ==,
                   MEND_PREFLIGHT_CHECK_OK);
  g_assert_cmpint (mend_preflight_check_get_state (the_check (preflight, 1)), ==,
                   MEND_PREFLIGHT_CHECK_RUNNING);

  /* The run itself, again, to its end. */
  findings = run_ok (preflight);
  g_assert_nonnull (find (findings, "network-unreachable"));
  wait_for_ends (slow, 2);
}

static void
make_certificate (const char *name,
                  const char *subject_alt_name,
                  char      **cert_path,
                  GTlsCertificate **out)
{
  g_autofree char *key_path = g_strdup_printf ("%s/%s-key.pem", tls_dir, name);
  g_autofree char *san = g_strdup_printf ("subjectAltName=%s", subject_alt_name);
  g_autoptr(GError) error = NULL;
  int status = 0;

  *cert_path = g_strdup_printf ("%s/%s.pem", tls_dir, name);
  {
    const char *argv[] = {
      "openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
      "-nodes", "-keyout", key_path, "-out", *cert_path, "-days", "3650",
      "-subj", "/CN=Mailmend test", "-addext", san, NULL
    };

    g_spawn_sync (NULL, (char **) argv, NULL,
                  G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL | G_SPAWN_STDERR_TO_DEV_NULL,
                  NULL, NULL, NULL, NULL, &status, &error);
    g_assert_no_error (error);
    g_spawn_check_wait_status (status, &error);
    g_assert_no_error (error);
  }

  *out = g_tls_certificate_new_from_files (*cert_path, key_path, &error);
  g_assert_no_error (error);
}

static void
remove_tls_dir (void)
{
  g_autoptr(GDir) dir = g_dir_open (tls_dir, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (tls_dir, name, NULL);

      g_unlink (path);
    }
  g_rmdir (tls_dir);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int status;

  g_test_init (&argc, &argv, NULL);
  g_unsetenv ("MAILMEND_PREFLIGHT_TARGETS");

  tls_dir = g_dir_make_tmp ("mailmend-preflight-XXXXXX", &error);
  g_assert_no_error (error);
  make_certificate ("server", "DNS:localhost,IP:127.0.0.1", &cert_file, &certificate);
  make_certificate ("other", "DNS:other.example", &other_cert_file, &other_certificate);

  g_test_add_func ("/preflight/tls-trusted", test_tls_trusted);
  g_test_add_func ("/preflight/tls-untrusted", test_tls_untrusted);
  g_test_add_func ("/preflight/tls-wrong-name", test_tls_wrong_name);
  g_test_add_func ("/preflight/smtp-starttls", test_smtp_starttls);
  g_test_add_func ("/preflight/smtp-without-starttls", test_smtp_without_starttls);
  g_test_add_func ("/preflight/smtp-refused", test_smtp_refused);
  g_test_add_func ("/preflight/refused-port", test_refused_port);
  g_test_add_func ("/preflight/unresolvable", test_unresolvable);
  g_test_add_func ("/preflight/timeout", test_timeout);
  g_test_add_func ("/preflight/cancel", test_cancel);
  g_test_add_func ("/preflight/concurrent", test_concurrent);
  g_test_add_func ("/preflight/clock", test_clock);
  g_test_add_func ("/preflight/clock-unreachable", test_clock_unreachable);
  g_test_add_func ("/preflight/connectivity", test_connectivity);
  g_test_add_func ("/preflight/proxy", test_proxy);
  g_test_add_func ("/preflight/environment-targets", test_environment_targets);
  g_test_add_func ("/preflight/checks-notify", test_checks_notify);

  status = g_test_run ();

  g_clear_object (&certificate);
  g_clear_object (&other_certificate);
  remove_tls_dir ();
  g_free (tls_dir);
  g_free (cert_file);
  g_free (other_cert_file);

  return status;
}
