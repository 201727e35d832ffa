/* mend-preflight.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "mend-preflight"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>
#include <libsoup/soup.h>

#include "mend-microsoft.h"
#include "mend-preflight.h"

/* Can this computer reach Microsoft at all? For each server, in turn: a DNS lookup, a TCP
 * connection, and a TLS handshake with the certificate verified (for SMTP submission first the
 * greeting, EHLO and STARTTLS, as a mail app does: a firewall or antivirus that meddles with
 * mail shows up there). The servers are checked all at once, each with its own time limit, so
 * a run takes about as long as its slowest check. Alongside: the clock, compared with the
 * `Date` of the sign-in server's answer; the network's connectivity (GNetworkMonitor: a hotel's
 * sign-in page, no internet); and the proxy a browser would use (GProxyResolver). Certificates
 * are always verified; an extra CA file only adds trust anchors, for private test servers. */
struct _MendPreflight
{
  GObject          parent_instance;

  GArray          *targets;
  char            *date_url;
  GTlsDatabase    *ca_database;
  guint            timeout_ms;
  GNetworkMonitor *monitor;
  gboolean         default_monitor;
  GProxyResolver  *resolver;
  gboolean         default_resolver;
  SoupSession     *session;
  GPtrArray       *checks;
};

G_DEFINE_FINAL_TYPE (MendPreflight, mend_preflight, G_TYPE_OBJECT)

/* Microsoft's sign-in server: its page is where every sign-in starts. */
#define SIGN_IN_HOST "login.microsoftonline.com"
#define SIGN_IN_URL  "https://" SIGN_IN_HOST "/"

/* A client's EHLO names the client; an address literal says nothing about this computer. */
#define EHLO_COMMAND "EHLO [127.0.0.1]\r\n"
#define MAX_REPLY    2048

typedef struct
{
  MendPreflightMode  mode;
  char              *name;
  char              *host;
  guint16            port;
} Target;

typedef enum
{
  STAGE_DNS,
  STAGE_TCP,
  STAGE_GREETING,
  STAGE_TLS,
} Stage;

typedef enum
{
  SMTP_GREETING,
  SMTP_EHLO,
  SMTP_STARTTLS,
} SmtpStep;

/* One check of a run: a server, or the clock (check == NULL). */
typedef struct
{
  GTask              *task;
  MendPreflightCheck *check;
  GCancellable       *cancellable;
  GSource            *timeout_source;
  gboolean            timed_out;
  gboolean            done;
  gint64              started;
  Stage               stage;
  char               *proxy;
  GSocketConnectable *identity;
  GSocketConnection  *connection;
  GIOStream          *tls;
  GTlsCertificateFlags peer_errors;
  SmtpStep            smtp_step;
  gboolean            no_starttls;
  char                reply[MAX_REPLY];
  gsize               reply_length;
  SoupMessage        *msg;
  gint64              sent_at;
} Op;

typedef struct
{
  GPtrArray    *ops;
  guint         pending;
  GCancellable *caller_cancellable;
  gulong        cancelled_id;
  GPtrArray    *environment;
  MendFinding  *clock;
  gboolean      proxy_noted;
} Run;

static void start_tls  (Op *op);
static void read_reply (Op *op);

static void
target_clear (gpointer data)
{
  Target *target = data;

  g_free (target->name);
  g_free (target->host);
}

static void
op_stop_timeout (Op *op)
{
  if (op->timeout_source != NULL)
    {
      g_source_destroy (op->timeout_source);
      g_clear_pointer (&op->timeout_source, g_source_unref);
    }
}

static void
op_free (gpointer data)
{
  Op *op = data;

  op_stop_timeout (op);
  g_clear_object (&op->check);
  g_clear_object (&op->cancellable);
  g_free (op->proxy);
  g_clear_object (&op->identity);
  g_clear_object (&op->connection);
  g_clear_object (&op->tls);
  g_clear_object (&op->msg);
  g_free (op);
}

static void
run_free (gpointer data)
{
  Run *run = data;

  if (run->cancelled_id != 0)
    g_cancellable_disconnect (run->caller_cancellable, run->cancelled_id);
  g_clear_object (&run->caller_cancellable);
  g_clear_pointer (&run->ops, g_ptr_array_unref);
  g_clear_pointer (&run->environment, g_ptr_array_unref);
  g_clear_object (&run->clock);
  g_free (run);
}

static MendPreflight *
op_get_preflight (Op *op)
{
  return g_task_get_source_object (op->task);
}

static Run *
op_get_run (Op *op)
{
  return g_task_get_task_data (op->task);
}

static const char *
op_get_host (Op *op)
{
  return mend_preflight_check_get_host (op->check);
}

static guint16
op_get_port (Op *op)
{
  return mend_preflight_check_get_port (op->check);
}

static GNetworkMonitor *
get_monitor (MendPreflight *self)
{
  return self->default_monitor ? g_network_monitor_get_default () : self->monitor;
}

static GProxyResolver *
get_resolver (MendPreflight *self)
{
  return self->default_resolver ? g_proxy_resolver_get_default () : self->resolver;
}

/* --- Findings -------------------------------------------------------------------------- */

static char *
describe_error (Op           *op,
                const GError *error)
{
  guint elapsed_ms = (g_get_monotonic_time () - op->started) / 1000;

  return g_strdup_printf ("%s:%u: %s (%u ms)", op_get_host (op), op_get_port (op),
                          error->message, elapsed_ms);
}

static MendFinding *
new_unreachable_finding (Op           *op,
                         const GError *error)
{
  g_autoptr(MendFinding) finding = NULL;
  g_autofree char *title = NULL;
  g_autofree char *explanation = NULL;
  g_autofree char *remedy = NULL;
  g_autofree char *details = describe_error (op, error);
  const char *host = op_get_host (op);
  guint port = op_get_port (op);

  /* Translators: %s is a server's name, such as “outlook.office365.com”. */
  title = g_strdup_printf (_("Cannot reach %s"), host);

  if (op->stage == STAGE_DNS)
    {
      explanation = g_strdup_printf (_("This computer could not look up the address of %s. It "
                                       "may be offline, or its DNS server may not be working."),
                                     host);
      remedy = g_strdup (_("Check that this computer is connected to the internet, then check "
                           "again."));
    }
  else if (op->stage == STAGE_TCP && op->proxy != NULL)
    {
      /* Translators: the first %s is a server's name, the second a proxy server's address. */
      explanation = g_strdup_printf (_("This computer could not connect to %s through the proxy "
                                       "server %s."), host, op->proxy);
      remedy = g_strdup (_("Check the proxy settings (in Settings, Network, Network Proxy), or "
                           "ask your network administrator."));
    }
  else if (op->stage == STAGE_TCP)
    {
      /* Translators: %s is a server's name, %u a port number. */
      explanation = g_strdup_printf (_("This computer could not connect to %s on port %u. A "
                                       "firewall, or a network that blocks this port, may be in "
                                       "the way."), host, port);
      /* Translators: %u is a port number. */
      remedy = g_strdup_printf (_("Check that this computer is connected to the internet. On a "
                                  "work, school or public network, ask whether port %u is "
                                  "blocked."), port);
    }
  else
    {
      explanation = g_strdup_printf (_("This computer connected to %s, but the mail server did "
                                       "not answer as a mail server should. Antivirus software or "
                                       "a firewall that inspects mail may be in the way."), host);
      remedy = g_strdup (_("Try another network, or turn off mail scanning in your antivirus "
                           "software, then check again."));
    }

  finding = mend_finding_new ("network-unreachable", MEND_SEVERITY_ERROR, title, explanation,
                              remedy);
  mend_finding_set_details (finding, details);

  return g_steal_pointer (&finding);
}

static MendFinding *
new_tls_finding (Op           *op,
                 const GError *error)
{
  g_autoptr(MendFinding) finding = NULL;
  g_autofree char *title = NULL;
  g_autofree char *explanation = NULL;
  g_autofree char *details = describe_error (op, error);
  const char *host = op_get_host (op);
  GTlsCertificateFlags flags = op->peer_errors;

  /* Translators: %s is a server's name, such as “outlook.office365.com”. */
  title = g_strdup_printf (_("No secure connection to %s"), host);

  if (op->no_starttls)
    explanation = g_strdup_printf (_("%s does not offer a secure connection (STARTTLS). Something "
                                     "between this computer and the server, such as antivirus "
                                     "software or a firewall, may be removing it."), host);
  else if (flags & G_TLS_CERTIFICATE_UNKNOWN_CA)
    explanation = g_strdup_printf (_("The certificate that %s showed is not from an authority "
                                     "this computer trusts. Something between this computer and "
                                     "Microsoft, such as antivirus software, a company proxy or a "
                                     "network’s sign-in page, may be intercepting secure "
                                     "connections."), host);
  else if (flags & (G_TLS_CERTIFICATE_EXPIRED | G_TLS_CERTIFICATE_NOT_ACTIVATED))
    explanation = g_strdup_printf (_("The certificate that %s showed is outside its dates of "
                                     "validity. This computer’s date and time may be wrong."),
                                   host);
  else if (flags & G_TLS_CERTIFICATE_BAD_IDENTITY)
    explanation = g_strdup_printf (_("The certificate that %s showed belongs to another server. "
                                     "Something may be redirecting the connection."), host);
  else
    explanation = g_strdup_printf (_("The secure connection to %s could not be set up."), host);

  finding = mend_finding_new ("tls-failure", MEND_SEVERITY_ERROR, title, explanation,
                              _("Mailmend never skips the certificate check. Try another network, "
                                "or ask your network administrator whether secure connections "
                                "are inspected, then check again."));
  mend_finding_set_details (finding, details);

  return g_steal_pointer (&finding);
}

static MendFinding *
new_clock_finding (gint64     skew_s,
                   GDateTime *server_time,
                   GDateTime *local_time)
{
  g_autoptr(MendFinding) finding = NULL;
  g_autofree char *explanation = NULL;
  g_autofree char *server_text = g_date_time_format_iso8601 (server_time);
  g_autofree char *local_text = g_date_time_format_iso8601 (local_time);
  g_autofree char *details = NULL;
  guint64 distance = ABS (skew_s);
  gboolean ahead = skew_s > 0;
  guint n;

  if ((n = (distance + 30) / 60) < 120)
    explanation = g_strdup_printf (ahead ? g_dngettext (GETTEXT_PACKAGE,
                                                        "This computer’s clock is %u minute ahead of Microsoft’s.",
                                                        "This computer’s clock is %u minutes ahead of Microsoft’s.",
                                                        n)
                                         : g_dngettext (GETTEXT_PACKAGE,
                                                        "This computer’s clock is %u minute behind Microsoft’s.",
                                                        "This computer’s clock is %u minutes behind Microsoft’s.",
                                                        n),
                                   n);
  else if ((n = (distance + 1800) / 3600) < 48)
    explanation = g_strdup_printf (ahead ? g_dngettext (GETTEXT_PACKAGE,
                                                        "This computer’s clock is %u hour ahead of Microsoft’s.",
                                                        "This computer’s clock is %u hours ahead of Microsoft’s.",
                                                        n)
                                         : g_dngettext (GETTEXT_PACKAGE,
                                                        "This computer’s clock is %u hour behind Microsoft’s.",
                                                        "This computer’s clock is %u hours behind Microsoft’s.",
                                                        n),
                                   n);
  else
    {
      n = MIN ((distance + 43200) / 86400, G_MAXUINT);
      explanation = g_strdup_printf (ahead ? g_dngettext (GETTEXT_PACKAGE,
                                                          "This computer’s clock is %u day ahead of Microsoft’s.",
                                                          "This computer’s clock is %u days ahead of Microsoft’s.",
                                                          n)
                                           : g_dngettext (GETTEXT_PACKAGE,
                                                          "This computer’s clock is %u day behind Microsoft’s.",
                                                          "This computer’s clock is %u days behind Microsoft’s.",
                                                          n),
                                     n);
    }

  finding = mend_finding_new ("clock-skew", MEND_SEVERITY_WARNING,
                              _("This computer’s clock is wrong"), explanation,
                              _("Turn on automatic date and time in Settings (System, Date & "
                                "Time), or set the clock by hand: signing in and secure "
                                "connections can fail while it is wrong."));
  /* Translators: the two %s are dates and times, in ISO 8601. */
  details = g_strdup_printf (_("Microsoft’s server: %s; this computer: %s"), server_text,
                             local_text);
  mend_finding_set_details (finding, details);

  return g_steal_pointer (&finding);
}

static MendFinding *
new_proxy_finding (const char *proxy)
{
  g_autoptr(MendFinding) finding = NULL;
  g_autofree char *explanation = NULL;

  /* Translators: %s is a proxy server's address, such as “http://proxy.example.com:3128”. */
  explanation = g_strdup_printf (_("Web connections from this computer go through the proxy "
                                   "server %s, and so does Microsoft’s sign-in page. Mail apps "
                                   "usually connect to mail servers directly, so a network that "
                                   "only lets the proxy through blocks them."), proxy);
  finding = mend_finding_new ("proxy-in-use", MEND_SEVERITY_INFO,
                              _("This computer uses a proxy server"), explanation,
                              _("If mail cannot connect, ask your network administrator whether "
                                "ports 993 and 587 are open, or set the same proxy in your mail "
                                "app."));
  mend_finding_set_details (finding, proxy);

  return g_steal_pointer (&finding);
}

static void
add_connectivity_findings (MendPreflight *self,
                           Run           *run)
{
  GNetworkMonitor *monitor = get_monitor (self);
  GNetworkConnectivity connectivity;

  if (monitor == NULL)
    return;

  connectivity = g_network_monitor_get_connectivity (monitor);
  g_debug ("Connectivity: %d, network available: %d", connectivity,
           g_network_monitor_get_network_available (monitor));

  if (connectivity == G_NETWORK_CONNECTIVITY_PORTAL)
    g_ptr_array_add (run->environment,
                     mend_finding_new ("captive-portal", MEND_SEVERITY_WARNING,
                                       _("This network wants you to sign in first"),
                                       _("The network this computer is on shows a sign-in or "
                                         "welcome page, as in hotels, trains and cafés, before it "
                                         "lets anything else through."),
                                       _("Open a web browser, go to any web page and follow the "
                                         "network’s instructions, then check again.")));
  else if (connectivity == G_NETWORK_CONNECTIVITY_LOCAL ||
           connectivity == G_NETWORK_CONNECTIVITY_LIMITED)
    g_ptr_array_add (run->environment,
                     mend_finding_new ("network-limited", MEND_SEVERITY_WARNING,
                                       _("This computer is not connected to the internet"),
                                       _("It may be connected to a local network, but that "
                                         "network does not seem to reach the internet."),
                                       _("Check the Wi-Fi or cable connection, then check "
                                         "again.")));
}

/* --- The end of a check, and of the run ------------------------------------------------- */

static void
complete_run (GTask *task)
{
  Run *run = g_task_get_task_data (task);
  g_autoptr(GPtrArray) findings = g_ptr_array_new_with_free_func (g_object_unref);
  guint n_checks = 0;
  gboolean all_ok = TRUE;

  if (g_cancellable_is_cancelled (run->caller_cancellable))
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED, "%s",
                               _("The check was cancelled."));
      return;
    }

  for (guint i = 0; i < run->environment->len; i++)
    g_ptr_array_add (findings, g_object_ref (g_ptr_array_index (run->environment, i)));

  for (guint i = 0; i < run->ops->len; i++)
    {
      Op *op = g_ptr_array_index (run->ops, i);
      MendFinding *finding;

      if (op->check == NULL)
        continue;

      n_checks++;
      if (mend_preflight_check_get_state (op->check) != MEND_PREFLIGHT_CHECK_OK)
        all_ok = FALSE;
      if ((finding = mend_preflight_check_get_finding (op->check)) != NULL)
        g_ptr_array_add (findings, g_object_ref (finding));
    }

  if (run->clock != NULL)
    g_ptr_array_add (findings, g_object_ref (run->clock));

  if (n_checks > 0 && all_ok && mend_preflight_findings_all_good (findings))
    g_ptr_array_add (findings,
                     mend_finding_new ("network-ok", MEND_SEVERITY_INFO,
                                       _("Microsoft’s servers can be reached"),
                                       _("This computer reached Microsoft’s sign-in and mail "
                                         "servers, over secure connections with valid "
                                         "certificates."),
                                       NULL));

  g_task_return_pointer (task, g_steal_pointer (&findings), (GDestroyNotify) g_ptr_array_unref);
}

/* Ends @op: @state is %MEND_PREFLIGHT_CHECK_RUNNING when it has no result (cancelled, or a
 * clock check that could not tell). */
static void
op_done (Op                      *op,
         MendPreflightCheckState  state,
         MendFinding             *finding)
{
  g_autoptr(GTask) task = NULL;
  Run *run;

  if (op->done)
    return;

  op->done = TRUE;
  op_stop_timeout (op);
  task = g_steal_pointer (&op->task);
  run = g_task_get_task_data (task);

  if (op->check != NULL && state != MEND_PREFLIGHT_CHECK_RUNNING)
    {
      guint elapsed_ms = (g_get_monotonic_time () - op->started) / 1000;

      g_debug ("%s:%u: %s in %u ms", op_get_host (op), op_get_port (op),
               finding ? mend_finding_get_id (finding) : "ok", elapsed_ms);
      mend_preflight_check_set_result (op->check, state, finding, elapsed_ms);
    }

  /* Cancelled or done: let the server go. */
  if (op->tls != NULL)
    g_io_stream_close_async (op->tls, G_PRIORITY_DEFAULT, NULL, NULL, NULL);
  else if (op->connection != NULL)
    g_io_stream_close_async (G_IO_STREAM (op->connection), G_PRIORITY_DEFAULT, NULL, NULL, NULL);

  g_assert (run->pending > 0);
  if (--run->pending == 0)
    complete_run (task);
}

static void
op_fail (Op     *op,
         GError *error)
{
  g_autoptr(GError) owned = error;
  g_autoptr(MendFinding) finding = NULL;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      if (!op->timed_out)
        {
          op_done (op, MEND_PREFLIGHT_CHECK_RUNNING, NULL);
          return;
        }

      g_clear_error (&owned);
      owned = g_error_new (G_IO_ERROR, G_IO_ERROR_TIMED_OUT,
                           g_dngettext (GETTEXT_PACKAGE,
                                        "No answer within %u second.",
                                        "No answer within %u seconds.",
                                        MAX (1, op_get_preflight (op)->timeout_ms / 1000)),
                           MAX (1, op_get_preflight (op)->timeout_ms / 1000));
    }

  if (op->check == NULL)
    {
      g_debug ("No clock check: %s", owned->message);
      op_done (op, MEND_PREFLIGHT_CHECK_RUNNING, NULL);
      return;
    }

  if (op->stage == STAGE_TLS || op->no_starttls)
    finding = new_tls_finding (op, owned);
  else
    finding = new_unreachable_finding (op, owned);

  op_done (op, MEND_PREFLIGHT_CHECK_FAILED, finding);
}

static gboolean
on_op_timeout (gpointer user_data)
{
  Op *op = user_data;

  op->timed_out = TRUE;
  g_cancellable_cancel (op->cancellable);
  g_clear_pointer (&op->timeout_source, g_source_unref);

  return G_SOURCE_REMOVE;
}

/* --- TLS ------------------------------------------------------------------------------ */

/* The extra CA file adds trust anchors: a certificate that failed for an unknown authority is
 * verified again, fully (dates and name too), against those anchors. Returns: the problems
 * left, 0 when the certificate is good. */
static GTlsCertificateFlags
verify_with_ca_file (MendPreflight        *self,
                     GTlsCertificate      *certificate,
                     GTlsCertificateFlags  errors,
                     GSocketConnectable   *identity)
{
  g_autoptr(GError) error = NULL;
  GTlsCertificateFlags flags;

  if (self->ca_database == NULL || !(errors & G_TLS_CERTIFICATE_UNKNOWN_CA))
    return errors;

  flags = g_tls_database_verify_chain (self->ca_database, certificate,
                                       G_TLS_DATABASE_PURPOSE_AUTHENTICATE_SERVER, identity, NULL,
                                       G_TLS_DATABASE_VERIFY_NONE, NULL, &error);
  g_debug ("Against the extra CA file: flags %x%s%s", flags, error ? ", " : "",
           error ? error->message : "");

  if (error != NULL || (flags & G_TLS_CERTIFICATE_UNKNOWN_CA))
    return errors;

  return flags;
}

static gboolean
on_accept_certificate (GTlsConnection       *connection,
                       GTlsCertificate      *certificate,
                       GTlsCertificateFlags  errors,
                       gpointer              user_data)
{
  Op *op = user_data;

  op->peer_errors = verify_with_ca_file (op_get_preflight (op), certificate, errors, op->identity);

  return op->peer_errors == 0;
}

static void
on_handshake (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  Op *op = user_data;
  GError *error = NULL;

  if (!g_tls_connection_handshake_finish (G_TLS_CONNECTION (source), result, &error))
    {
      op_fail (op, error);
      return;
    }

  op_done (op, MEND_PREFLIGHT_CHECK_OK, NULL);
}

static void
start_tls (Op *op)
{
  GError *error = NULL;

  op->stage = STAGE_TLS;
  op->tls = g_tls_client_connection_new (G_IO_STREAM (op->connection), op->identity, &error);
  if (op->tls == NULL)
    {
      op_fail (op, error);
      return;
    }

  g_signal_connect (op->tls, "accept-certificate", G_CALLBACK (on_accept_certificate), op);
  g_tls_connection_handshake_async (G_TLS_CONNECTION (op->tls), G_PRIORITY_DEFAULT,
                                    op->cancellable, on_handshake, op);
}

/* --- SMTP submission: greeting, EHLO, STARTTLS ------------------------------------------ */

/* Returns: %TRUE when the buffer holds a whole reply, its code in @code (0 when the reply is
 * not SMTP at all). */
static gboolean
reply_is_complete (Op    *op,
                   guint *code)
{
  const char *line = op->reply;
  const char *newline;

  while ((newline = memchr (line, '\n', op->reply + op->reply_length - line)) != NULL)
    {
      gsize length = newline - line;

      if (length > 0 && line[length - 1] == '\r')
        length--;

      if (length < 3 || !g_ascii_isdigit (line[0]) || !g_ascii_isdigit (line[1]) ||
          !g_ascii_isdigit (line[2]) || (length > 3 && line[3] != ' ' && line[3] != '-'))
        {
          *code = 0;
          return TRUE;
        }

      if (length == 3 || line[3] == ' ')
        {
          *code = (line[0] - '0') * 100 + (line[1] - '0') * 10 + (line[2] - '0');
          return TRUE;
        }

      line = newline + 1;
    }

  return FALSE;
}

static gboolean
reply_offers_starttls (Op *op)
{
  g_auto(GStrv) lines = g_strsplit (op->reply, "\n", -1);

  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_strstrip (lines[i]);
      if (strlen (lines[i]) > 4 && g_ascii_strcasecmp (lines[i] + 4, "STARTTLS") == 0)
        return TRUE;
    }

  return FALSE;
}

/* An error that quotes the server's first line, made readable and short. */
static GError *
new_reply_error (Op *op)
{
  g_autofree char *line = g_strndup (op->reply, strcspn (op->reply, "\r\n"));
  g_autofree char *valid = g_utf8_make_valid (line, -1);

  for (char *p = valid; *p != '\0'; p++)
    {
      if ((guchar) *p < 0x20)
        *p = ' ';
    }
  if (g_utf8_strlen (valid, -1) > 200)
    *g_utf8_offset_to_pointer (valid, 200) = '\0';

  /* Translators: %s is what a mail server said, such as “554 Service unavailable”. */
  return g_error_new (G_IO_ERROR, G_IO_ERROR_FAILED, _("The server said “%s”."), valid);
}

static void
on_command_written (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  Op *op = user_data;
  GError *error = NULL;

  if (!g_output_stream_write_all_finish (G_OUTPUT_STREAM (source), result, NULL, &error))
    {
      op_fail (op, error);
      return;
    }

  read_reply (op);
}

static void
send_command (Op         *op,
              SmtpStep    next_step,
              const char *command)
{
  GOutputStream *output = g_io_stream_get_output_stream (G_IO_STREAM (op->connection));

  op->smtp_step = next_step;
  op->reply_length = 0;
  op->reply[0] = '\0';
  g_output_stream_write_all_async (output, command, strlen (command), G_PRIORITY_DEFAULT,
                                   op->cancellable, on_command_written, op);
}

static void
handle_reply (Op    *op,
              guint  code)
{
  switch (op->smtp_step)
    {
    case SMTP_GREETING:
      if (code != 220)
        break;
      send_command (op, SMTP_EHLO, EHLO_COMMAND);
      return;

    case SMTP_EHLO:
      if (code != 250)
        break;
      if (!reply_offers_starttls (op))
        {
          op->no_starttls = TRUE;
          op_fail (op, g_error_new_literal (G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                                            _("The server does not offer STARTTLS.")));
          return;
        }
      send_command (op, SMTP_STARTTLS, "STARTTLS\r\n");
      return;

    case SMTP_STARTTLS:
      if (code != 220)
        break;
      start_tls (op);
      return;

    default:
      g_assert_not_reached ();
    }

  op_fail (op, new_reply_error (op));
}

static void
on_reply_read (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  Op *op = user_data;
  GError *error = NULL;
  gssize n_read;
  guint code = 0;

  n_read = g_input_stream_read_finish (G_INPUT_STREAM (source), result, &error);
  if (n_read < 0)
    {
      op_fail (op, error);
      return;
    }
  if (n_read == 0)
    {
      op_fail (op, g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CONNECTION_CLOSED,
                                        _("The server closed the connection.")));
      return;
    }

  op->reply_length += n_read;
  op->reply[op->reply_length] = '\0';

  if (reply_is_complete (op, &code))
    handle_reply (op, code);
  else
    read_reply (op);
}

static void
read_reply (Op *op)
{
  GInputStream *input = g_io_stream_get_input_stream (G_IO_STREAM (op->connection));

  if (op->reply_length >= sizeof op->reply - 1)
    {
      op_fail (op, g_error_new_literal (G_IO_ERROR, G_IO_ERROR_MESSAGE_TOO_LARGE,
                                        _("The server’s reply is too long.")));
      return;
    }

  g_input_stream_read_async (input, op->reply + op->reply_length,
                             sizeof op->reply - 1 - op->reply_length, G_PRIORITY_DEFAULT,
                             op->cancellable, on_reply_read, op);
}

/* --- DNS and TCP ---------------------------------------------------------------------- */

static void
on_connected (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  Op *op = user_data;
  GError *error = NULL;

  op->connection = g_socket_client_connect_finish (G_SOCKET_CLIENT (source), result, &error);
  if (op->connection == NULL)
    {
      op_fail (op, error);
      return;
    }

  if (mend_preflight_check_get_mode (op->check) == MEND_PREFLIGHT_MODE_SMTP_STARTTLS)
    {
      op->stage = STAGE_GREETING;
      op->smtp_step = SMTP_GREETING;
      read_reply (op);
    }
  else
    {
      start_tls (op);
    }
}

static void
start_connect (Op *op)
{
  MendPreflight *self = op_get_preflight (op);
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GSocketConnectable) address = NULL;

  op->stage = STAGE_TCP;

  if (op->proxy != NULL)
    {
      g_autofree char *uri = g_uri_join (G_URI_FLAGS_NONE, "https", NULL, op_get_host (op),
                                         op_get_port (op), "", NULL, NULL);

      /* The scheme tells the proxy resolver and GIO's HTTP proxy what goes through. */
      address = g_network_address_parse_uri (uri, op_get_port (op), NULL);
      g_socket_client_set_proxy_resolver (client, get_resolver (self));
    }
  else
    {
      g_socket_client_set_enable_proxy (client, FALSE);
    }

  if (address == NULL)
    address = g_network_address_new (op_get_host (op), op_get_port (op));

  g_socket_client_connect_async (client, address, op->cancellable, on_connected, op);
}

static void
on_resolved (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  Op *op = user_data;
  GError *error = NULL;
  GList *addresses;

  addresses = g_resolver_lookup_by_name_finish (G_RESOLVER (source), result, &error);
  if (addresses == NULL)
    {
      op_fail (op, error);
      return;
    }

  g_resolver_free_addresses (addresses);
  start_connect (op);
}

static void
start_dns (Op *op)
{
  g_autoptr(GResolver) resolver = g_resolver_get_default ();

  op->stage = STAGE_DNS;
  g_resolver_lookup_by_name_async (resolver, op_get_host (op), op->cancellable, on_resolved, op);
}

/* A proxy's address for the user, without the user name and password it may hold. */
static char *
describe_proxy (const char *proxy)
{
  g_autoptr(GUri) uri = g_uri_parse (proxy, G_URI_FLAGS_NONE, NULL);

  if (uri == NULL || g_uri_get_host (uri) == NULL)
    return g_strdup (_("(an unreadable address)"));

  return g_uri_join (G_URI_FLAGS_NONE, g_uri_get_scheme (uri), NULL, g_uri_get_host (uri),
                     g_uri_get_port (uri), "", NULL, NULL);
}

static void
on_proxy_looked_up (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  Op *op = user_data;
  Run *run = op_get_run (op);
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) proxies = NULL;

  proxies = g_proxy_resolver_lookup_finish (G_PROXY_RESOLVER (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      op_fail (op, g_steal_pointer (&error));
      return;
    }
  if (error != NULL)
    g_debug ("No proxy information, connecting directly: %s", error->message);

  if (proxies != NULL && proxies[0] != NULL && !g_str_equal (proxies[0], "direct://"))
    {
      op->proxy = describe_proxy (proxies[0]);
      g_debug ("%s goes through the proxy %s", op_get_host (op), op->proxy);
      if (!run->proxy_noted)
        {
          run->proxy_noted = TRUE;
          g_ptr_array_add (run->environment, new_proxy_finding (op->proxy));
        }
      /* The proxy looks the name up itself. */
      start_connect (op);
      return;
    }

  start_dns (op);
}

static void
start_check (Op *op)
{
  MendPreflight *self = op_get_preflight (op);
  GProxyResolver *resolver = get_resolver (self);

  op->identity = g_network_address_new (op_get_host (op), op_get_port (op));

  /* Only the web server goes through the proxy, as it does in a browser. */
  if (mend_preflight_check_get_mode (op->check) == MEND_PREFLIGHT_MODE_HTTPS && resolver != NULL)
    {
      g_autofree char *uri = g_uri_join (G_URI_FLAGS_NONE, "https", NULL, op_get_host (op),
                                         op_get_port (op), "/", NULL, NULL);

      op->stage = STAGE_DNS;
      g_proxy_resolver_lookup_async (resolver, uri, op->cancellable, on_proxy_looked_up, op);
      return;
    }

  start_dns (op);
}

/* --- The clock ------------------------------------------------------------------------- */

static gboolean
on_message_accept_certificate (SoupMessage          *msg,
                               GTlsCertificate      *certificate,
                               GTlsCertificateFlags  errors,
                               gpointer              user_data)
{
  Op *op = user_data;
  GUri *uri = soup_message_get_uri (msg);
  g_autoptr(GSocketConnectable) identity = NULL;

  identity = g_network_address_new (g_uri_get_host (uri), g_uri_get_port (uri));

  return verify_with_ca_file (op_get_preflight (op), certificate, errors, identity) == 0;
}

static void
on_date_answer (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  Op *op = user_data;
  Run *run = op_get_run (op);
  g_autoptr(GInputStream) stream = NULL;
  g_autoptr(GDateTime) server_time = NULL;
  g_autoptr(GDateTime) local_time = NULL;
  GError *error = NULL;
  const char *date;
  gint64 local_us;
  gint64 skew_s;

  stream = soup_session_send_finish (SOUP_SESSION (source), result, &error);
  if (stream == NULL)
    {
      op_fail (op, error);
      return;
    }

  /* The server's clock stood between sending and receiving. */
  local_us = op->sent_at + (g_get_real_time () - op->sent_at) / 2;
  date = soup_message_headers_get_one (soup_message_get_response_headers (op->msg), "Date");
  if (date == NULL || (server_time = soup_date_time_new_from_http_string (date)) == NULL)
    {
      g_debug ("No usable Date in the answer of %s", soup_message_get_uri (op->msg) ?
               g_uri_get_host (soup_message_get_uri (op->msg)) : "?");
      op_done (op, MEND_PREFLIGHT_CHECK_RUNNING, NULL);
      return;
    }

  local_time = g_date_time_new_from_unix_utc (local_us / G_USEC_PER_SEC);
  skew_s = local_us / G_USEC_PER_SEC - g_date_time_to_unix (server_time);
  g_debug ("Clock skew: %" G_GINT64_FORMAT " s", skew_s);

  if (ABS (skew_s) > MEND_PREFLIGHT_MAX_CLOCK_SKEW_S)
    run->clock = new_clock_finding (skew_s, server_time, local_time);

  op_done (op, MEND_PREFLIGHT_CHECK_RUNNING, NULL);
}

static SoupSession *
get_session (MendPreflight *self)
{
  if (self->session == NULL)
    {
      g_autofree char *user_agent = g_strdup_printf ("Mailmend/%s", PACKAGE_VERSION);

      self->session = soup_session_new_with_options ("user-agent", user_agent, NULL);
      if (!self->default_resolver)
        soup_session_set_proxy_resolver (self->session, self->resolver);
    }

  return self->session;
}

static void
start_clock_check (Op         *op,
                   const char *url)
{
  MendPreflight *self = op_get_preflight (op);

  op->msg = soup_message_new (SOUP_METHOD_HEAD, url);
  if (op->msg == NULL)
    {
      g_debug ("No clock check: “%s” is not a web address", url);
      op_done (op, MEND_PREFLIGHT_CHECK_RUNNING, NULL);
      return;
    }

  soup_message_add_flags (op->msg, SOUP_MESSAGE_NO_REDIRECT);
  g_signal_connect (op->msg, "accept-certificate", G_CALLBACK (on_message_accept_certificate), op);
  op->sent_at = g_get_real_time ();
  soup_session_send_async (get_session (self), op->msg, G_PRIORITY_DEFAULT, op->cancellable,
                           on_date_answer, op);
}

/* --- The run -------------------------------------------------------------------------- */

static Op *
add_op (GTask              *task,
        MendPreflightCheck *check)
{
  MendPreflight *self = g_task_get_source_object (task);
  Run *run = g_task_get_task_data (task);
  Op *op = g_new0 (Op, 1);

  op->task = g_object_ref (task);
  op->check = check ? g_object_ref (check) : NULL;
  op->cancellable = g_cancellable_new ();
  op->started = g_get_monotonic_time ();
  op->timeout_source = g_timeout_source_new (self->timeout_ms);
  g_source_set_callback (op->timeout_source, on_op_timeout, op, NULL);
  g_source_attach (op->timeout_source, g_main_context_get_thread_default ());

  g_ptr_array_add (run->ops, op);
  run->pending++;

  return op;
}

static void
on_caller_cancelled (GCancellable *cancellable,
                     Run          *run)
{
  for (guint i = 0; i < run->ops->len; i++)
    g_cancellable_cancel (((Op *) g_ptr_array_index (run->ops, i))->cancellable);
}

static void
mend_preflight_dispose (GObject *object)
{
  MendPreflight *self = (MendPreflight *) object;

  g_clear_object (&self->ca_database);
  g_clear_object (&self->monitor);
  g_clear_object (&self->resolver);
  g_clear_object (&self->session);
  g_clear_pointer (&self->checks, g_ptr_array_unref);

  G_OBJECT_CLASS (mend_preflight_parent_class)->dispose (object);
}

static void
mend_preflight_finalize (GObject *object)
{
  MendPreflight *self = (MendPreflight *) object;

  g_clear_pointer (&self->targets, g_array_unref);
  g_free (self->date_url);

  G_OBJECT_CLASS (mend_preflight_parent_class)->finalize (object);
}

static void
mend_preflight_class_init (MendPreflightClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = mend_preflight_dispose;
  object_class->finalize = mend_preflight_finalize;
}

static void
mend_preflight_init (MendPreflight *self)
{
  self->targets = g_array_new (FALSE, TRUE, sizeof (Target));
  g_array_set_clear_func (self->targets, target_clear);
  self->timeout_ms = MEND_PREFLIGHT_TIMEOUT_S * 1000;
  self->default_monitor = TRUE;
  self->default_resolver = TRUE;
  self->checks = g_ptr_array_new_with_free_func (g_object_unref);
}

/* `MAILMEND_PREFLIGHT_TARGETS`, for tests: “MODE:HOST:PORT” separated by spaces or commas,
 * MODE being https, tls or smtp; the clock is checked against the first https one. */
static gboolean
add_targets_from_environment (MendPreflight *self)
{
  const char *value = g_getenv ("MAILMEND_PREFLIGHT_TARGETS");
  g_auto(GStrv) items = NULL;

  if (value == NULL || value[0] == '\0')
    return FALSE;

  items = g_strsplit_set (value, " ,", -1);
  for (guint i = 0; items[i] != NULL; i++)
    {
      const char *first = strchr (items[i], ':');
      const char *last = strrchr (items[i], ':');
      g_autofree char *mode = NULL;
      g_autofree char *host = NULL;
      guint64 port;

      if (first == NULL || first == last ||
          !g_ascii_string_to_unsigned (last + 1, 10, 1, G_MAXUINT16, &port, NULL))
        {
          if (items[i][0] != '\0')
            g_warning ("Ignoring “%s” in MAILMEND_PREFLIGHT_TARGETS", items[i]);
          continue;
        }

      mode = g_strndup (items[i], first - items[i]);
      host = g_strndup (first + 1, last - first - 1);

      if (g_str_equal (mode, "https"))
        {
          mend_preflight_add_target (self, MEND_PREFLIGHT_MODE_HTTPS, NULL, host, port);
          if (self->date_url == NULL)
            self->date_url = g_uri_join (G_URI_FLAGS_NONE, "https", NULL, host, port, "/", NULL,
                                         NULL);
        }
      else if (g_str_equal (mode, "tls"))
        mend_preflight_add_target (self, MEND_PREFLIGHT_MODE_TLS, NULL, host, port);
      else if (g_str_equal (mode, "smtp"))
        mend_preflight_add_target (self, MEND_PREFLIGHT_MODE_SMTP_STARTTLS, NULL, host, port);
      else
        g_warning ("Ignoring “%s” in MAILMEND_PREFLIGHT_TARGETS", items[i]);
    }

  return TRUE;
}

/**
 * mend_preflight_new:
 *
 * Checks Microsoft's sign-in server (HTTPS, 443), IMAP server (993) and SMTP submission server
 * (587, STARTTLS), and the clock against the sign-in server. `MAILMEND_PREFLIGHT_TARGETS`
 * replaces them, for tests.
 *
 * Returns: (transfer full): a new #MendPreflight
 */
MendPreflight *
mend_preflight_new (void)
{
  MendPreflight *self = g_object_new (MEND_TYPE_PREFLIGHT, NULL);

  if (add_targets_from_environment (self))
    return self;

  mend_preflight_add_target (self, MEND_PREFLIGHT_MODE_HTTPS, NULL, SIGN_IN_HOST, 443);
  mend_preflight_add_target (self, MEND_PREFLIGHT_MODE_TLS, NULL,
                             mend_microsoft_recommended_host (MEND_PROTOCOL_IMAP), 993);
  mend_preflight_add_target (self, MEND_PREFLIGHT_MODE_SMTP_STARTTLS, NULL,
                             mend_microsoft_recommended_host (MEND_PROTOCOL_SMTP), 587);
  self->date_url = g_strdup (SIGN_IN_URL);

  return self;
}

void
mend_preflight_clear_targets (MendPreflight *self)
{
  g_return_if_fail (MEND_IS_PREFLIGHT (self));

  g_array_set_size (self->targets, 0);
}

/**
 * mend_preflight_add_target:
 * @name: (nullable): what the server is for, translated; %NULL to name it after @mode
 *
 * Adds a server to check.
 */
void
mend_preflight_add_target (MendPreflight     *self,
                           MendPreflightMode  mode,
                           const char        *name,
                           const char        *host,
                           guint16            port)
{
  Target target;

  g_return_if_fail (MEND_IS_PREFLIGHT (self));
  g_return_if_fail (host != NULL && host[0] != '\0');
  g_return_if_fail (port > 0);

  if (name == NULL)
    {
      switch (mode)
        {
        case MEND_PREFLIGHT_MODE_HTTPS:
          name = _("Microsoft sign-in");
          break;
        case MEND_PREFLIGHT_MODE_TLS:
          name = _("Incoming mail (IMAP)");
          break;
        case MEND_PREFLIGHT_MODE_SMTP_STARTTLS:
          name = _("Outgoing mail (SMTP)");
          break;
        default:
          g_return_if_reached ();
        }
    }

  target.mode = mode;
  target.name = g_strdup (name);
  target.host = g_strdup (host);
  target.port = port;
  g_array_append_val (self->targets, target);
}

/**
 * mend_preflight_set_date_url:
 * @url: (nullable): a web address whose answer's `Date` the clock is compared with; %NULL for
 *   no clock check
 */
void
mend_preflight_set_date_url (MendPreflight *self,
                             const char    *url)
{
  g_return_if_fail (MEND_IS_PREFLIGHT (self));

  g_free (self->date_url);
  self->date_url = g_strdup (url);
}

/**
 * mend_preflight_set_ca_file:
 * @path: a PEM file of certificates, relative or absolute
 *
 * Trusts the certificates of @path as well as the system's, for private test servers (the
 * `--ca-file` option). Certificates are still verified.
 *
 * Returns: %FALSE with @error set when @path cannot be read
 */
gboolean
mend_preflight_set_ca_file (MendPreflight  *self,
                            const char     *path,
                            GError        **error)
{
  g_autofree char *absolute = NULL;
  g_autoptr(GTlsDatabase) database = NULL;

  g_return_val_if_fail (MEND_IS_PREFLIGHT (self), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  /* g_tls_file_database_new() rejects every certificate for a relative path. */
  absolute = g_canonicalize_filename (path, NULL);
  if ((database = g_tls_file_database_new (absolute, error)) == NULL)
    return FALSE;

  g_debug ("Also trusting the certificates of %s", absolute);
  g_set_object (&self->ca_database, database);

  return TRUE;
}

/**
 * mend_preflight_set_timeout:
 * @timeout_ms: how long each check may take
 */
void
mend_preflight_set_timeout (MendPreflight *self,
                            guint          timeout_ms)
{
  g_return_if_fail (MEND_IS_PREFLIGHT (self));
  g_return_if_fail (timeout_ms > 0);

  self->timeout_ms = timeout_ms;
}

/**
 * mend_preflight_set_network_monitor:
 * @monitor: (nullable): the monitor that tells a captive portal or no internet; %NULL for
 *   none (the default is GIO's)
 */
void
mend_preflight_set_network_monitor (MendPreflight   *self,
                                    GNetworkMonitor *monitor)
{
  g_return_if_fail (MEND_IS_PREFLIGHT (self));
  g_return_if_fail (!monitor || G_IS_NETWORK_MONITOR (monitor));

  self->default_monitor = FALSE;
  g_set_object (&self->monitor, monitor);
}

/**
 * mend_preflight_set_proxy_resolver:
 * @resolver: (nullable): the resolver that tells which proxy web connections use; %NULL for
 *   direct connections only (the default is GIO's)
 */
void
mend_preflight_set_proxy_resolver (MendPreflight  *self,
                                   GProxyResolver *resolver)
{
  g_return_if_fail (MEND_IS_PREFLIGHT (self));
  g_return_if_fail (!resolver || G_IS_PROXY_RESOLVER (resolver));

  self->default_resolver = FALSE;
  g_set_object (&self->resolver, resolver);
  if (self->session != NULL)
    soup_session_set_proxy_resolver (self->session, resolver);
}

/**
 * mend_preflight_get_checks:
 *
 * Returns: (transfer none) (element-type MendPreflightCheck): the checks of the last run, or
 *   of the one going on, in the order of the targets; each notifies “state” when it ends
 */
GPtrArray *
mend_preflight_get_checks (MendPreflight *self)
{
  g_return_val_if_fail (MEND_IS_PREFLIGHT (self), NULL);

  return self->checks;
}

/**
 * mend_preflight_run_async:
 *
 * Checks every target at once, and the clock, the connectivity and the proxy.
 * mend_preflight_get_checks() holds the new checks as soon as this returns.
 */
void
mend_preflight_run_async (MendPreflight       *self,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  Run *run;

  g_return_if_fail (MEND_IS_PREFLIGHT (self));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, mend_preflight_run_async);

  run = g_new0 (Run, 1);
  run->ops = g_ptr_array_new_with_free_func (op_free);
  run->environment = g_ptr_array_new_with_free_func (g_object_unref);
  g_task_set_task_data (task, run, run_free);

  g_ptr_array_set_size (self->checks, 0);
  for (guint i = 0; i < self->targets->len; i++)
    {
      Target *target = &g_array_index (self->targets, Target, i);

      g_ptr_array_add (self->checks, mend_preflight_check_new (target->mode, target->name,
                                                               target->host, target->port));
    }

  add_connectivity_findings (self, run);

  /* Every op is counted before any starts: one that fails at once must not end the run. */
  for (guint i = 0; i < self->checks->len; i++)
    add_op (task, g_ptr_array_index (self->checks, i));
  if (self->date_url != NULL)
    add_op (task, NULL);

  if (cancellable != NULL)
    {
      run->caller_cancellable = g_object_ref (cancellable);
      run->cancelled_id = g_cancellable_connect (cancellable, G_CALLBACK (on_caller_cancelled),
                                                 run, NULL);
    }

  if (run->pending == 0)
    {
      complete_run (task);
      return;
    }

  /* A copy (that frees nothing): an op that fails at once may end the run and free the
   * run's array while this goes on. */
  {
    g_autoptr(GPtrArray) ops = g_ptr_array_new ();

    for (guint i = 0; i < run->ops->len; i++)
      g_ptr_array_add (ops, g_ptr_array_index (run->ops, i));

    for (guint i = 0; i < ops->len; i++)
      {
        Op *op = g_ptr_array_index (ops, i);

        if (op->check != NULL)
          start_check (op);
        else
          start_clock_check (op, self->date_url);
      }
  }
}

/**
 * mend_preflight_run_finish:
 *
 * Returns: (transfer container) (element-type MendFinding): every finding: the environment
 *   (`captive-portal`, `network-limited`, `proxy-in-use`), one per failed server
 *   (`network-unreachable`, `tls-failure`), `clock-skew`; or, when all is well, `network-ok`
 *   (with `proxy-in-use`, if any). %NULL with @error set only when cancelled.
 */
GPtrArray *
mend_preflight_run_finish (MendPreflight  *self,
                           GAsyncResult   *result,
                           GError        **error)
{
  g_return_val_if_fail (MEND_IS_PREFLIGHT (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_async_result_is_tagged (result, mend_preflight_run_async), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * mend_preflight_findings_all_good:
 * @findings: (element-type MendFinding): findings of a preflight
 *
 * Returns: %TRUE when none is a warning or an error
 */
gboolean
mend_preflight_findings_all_good (GPtrArray *findings)
{
  g_return_val_if_fail (findings != NULL, FALSE);

  for (guint i = 0; i < findings->len; i++)
    {
      if (mend_finding_get_severity (g_ptr_array_index (findings, i)) != MEND_SEVERITY_INFO)
        return FALSE;
    }

  return TRUE;
}
