/* mend-mail-connection.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "mend-mail-connection"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "mend-mail-connection.h"
#include "mend-probe-error.h"

/* A line-oriented connection to an IMAP, SMTP or POP server, for the probes. It is encrypted
 * from the first byte (implicit TLS) or after STARTTLS, on the same socket; certificates are
 * always verified, with the server's host as its identity. A TLS database set with
 * mend_mail_connection_set_tls_database() (the `--ca-file` option) replaces the system's trust
 * anchors: a GTlsDatabase cannot add to them, so it only suits private test servers.
 *
 * Every step runs under a timer: connecting, the handshake, each line read and each line
 * written must finish within the timeout, and a line cannot grow beyond
 * MEND_MAIL_CONNECTION_MAX_LINE, nor a connection read more than
 * MEND_MAIL_CONNECTION_MAX_READ: a stalled or babbling server costs little time and memory.
 * Failures come back as MEND_PROBE_ERROR errors whose message names the server; a
 * cancellation stays G_IO_ERROR_CANCELLED. One operation at a time. */
struct _MendMailConnection
{
  GObject            parent_instance;

  MendServerAddress *server;
  GTlsDatabase      *tls_database;
  guint              timeout_ms;

  GSocketConnection *socket_connection;
  /* The socket connection, or the TLS connection on top of it. */
  GIOStream         *stream;
  /* Bytes read but not yet returned as a line. */
  GByteArray        *pending;
  gsize              total_read;
  gboolean           busy;
};

G_DEFINE_FINAL_TYPE (MendMailConnection, mend_mail_connection, G_TYPE_OBJECT)

#define READ_CHUNK 4096

typedef enum
{
  STEP_CONNECT,
  STEP_HANDSHAKE,
  STEP_READ,
  STEP_WRITE,
  STEP_CLOSE,
} StepKind;

/* One operation: its own cancellable, cancelled by the caller's or by the timer. */
typedef struct
{
  StepKind      kind;
  GCancellable *cancellable;
  GCancellable *outer;
  gulong        outer_handler;
  GSource      *timer;
  gboolean      timed_out;
  guint8       *buffer;
  gsize         buffer_size;
} Step;

static void
step_stop_timer (Step *step)
{
  if (step->timer != NULL)
    {
      g_source_destroy (step->timer);
      g_clear_pointer (&step->timer, g_source_unref);
    }
}

static void
step_free (gpointer data)
{
  Step *step = data;

  step_stop_timer (step);
  if (step->outer_handler != 0)
    g_cancellable_disconnect (step->outer, step->outer_handler);
  g_clear_object (&step->outer);
  g_clear_object (&step->cancellable);

  /* A written line may be a sign-in. */
  if (step->buffer != NULL)
    memset (step->buffer, 0, step->buffer_size);
  g_free (step->buffer);
  g_free (step);
}

static gboolean
on_step_timeout (gpointer user_data)
{
  Step *step = user_data;

  step->timed_out = TRUE;
  g_clear_pointer (&step->timer, g_source_unref);
  g_cancellable_cancel (step->cancellable);

  return G_SOURCE_REMOVE;
}

static void
on_outer_cancelled (GCancellable *outer,
                    gpointer      user_data)
{
  g_cancellable_cancel (G_CANCELLABLE (user_data));
}

/* Arms the step's timer again: each phase of an operation (connect, then handshake) gets the
 * whole timeout. */
static void
step_start_timer (MendMailConnection *self,
                  Step               *step)
{
  step_stop_timer (step);

  step->timer = g_timeout_source_new (self->timeout_ms);
  g_source_set_name (step->timer, "[mailmend] mail connection timeout");
  g_source_set_callback (step->timer, on_step_timeout, step, NULL);
  g_source_attach (step->timer, g_main_context_get_thread_default ());
}

static GTask *
step_task_new (MendMailConnection  *self,
               StepKind             kind,
               gpointer             source_tag,
               GCancellable        *cancellable,
               GAsyncReadyCallback  callback,
               gpointer             user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  Step *step = g_new0 (Step, 1);

  g_task_set_source_tag (task, source_tag);
  step->kind = kind;
  step->cancellable = g_cancellable_new ();
  if (cancellable != NULL)
    {
      step->outer = g_object_ref (cancellable);
      step->outer_handler = g_cancellable_connect (cancellable, G_CALLBACK (on_outer_cancelled),
                                                   g_object_ref (step->cancellable),
                                                   g_object_unref);
    }
  g_task_set_task_data (task, step, step_free);

  self->busy = TRUE;
  step_start_timer (self, step);

  return task;
}

static char *
describe_server (MendMailConnection *self)
{
  return mend_server_address_to_host_and_port (self->server);
}

static guint
timeout_seconds (MendMailConnection *self)
{
  return MAX (1, (self->timeout_ms + 999) / 1000);
}

static char *
describe_certificate_errors (GTlsCertificateFlags flags)
{
  static const struct {
    GTlsCertificateFlags  flag;
    const char           *text;
  } reasons[] = {
    { G_TLS_CERTIFICATE_UNKNOWN_CA, N_("it is not signed by a trusted authority") },
    { G_TLS_CERTIFICATE_BAD_IDENTITY, N_("it was issued for another server name") },
    { G_TLS_CERTIFICATE_NOT_ACTIVATED, N_("it is not valid yet (check this computer’s date)") },
    { G_TLS_CERTIFICATE_EXPIRED, N_("it has expired (or this computer’s date is wrong)") },
    { G_TLS_CERTIFICATE_REVOKED, N_("it has been revoked") },
    { G_TLS_CERTIFICATE_INSECURE, N_("it uses insecure algorithms") },
  };
  g_autoptr(GPtrArray) found = g_ptr_array_new ();

  for (guint i = 0; i < G_N_ELEMENTS (reasons); i++)
    {
      if (flags & reasons[i].flag)
        g_ptr_array_add (found, (gpointer) _(reasons[i].text));
    }
  if (found->len == 0)
    return NULL;
  g_ptr_array_add (found, NULL);

  return g_strjoinv ("; ", (char **) found->pdata);
}

/* Returns the error @task fails with, for @error from a GIO call of @step: a cancellation
 * stays one unless the timer caused it; everything else becomes a MEND_PROBE_ERROR. */
static GError *
step_error (MendMailConnection *self,
            Step               *step,
            GError             *error)
{
  g_autofree char *server = describe_server (self);
  GError *result;
  guint seconds;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      if (!step->timed_out || g_cancellable_is_cancelled (step->outer))
        return error;

      g_clear_error (&error);
      seconds = timeout_seconds (self);
      if (step->kind == STEP_CONNECT)
        return g_error_new (MEND_PROBE_ERROR, MEND_PROBE_ERROR_NETWORK_UNREACHABLE,
                            /* Translators: %s is a server, such as “outlook.office365.com:993”. */
                            g_dngettext (GETTEXT_PACKAGE, "No connection to %s within %u second.",
                                         "No connection to %s within %u seconds.", seconds),
                            server, seconds);

      return g_error_new (MEND_PROBE_ERROR, MEND_PROBE_ERROR_TIMEOUT,
                          /* Translators: %s is a server, such as “outlook.office365.com:993”. */
                          g_dngettext (GETTEXT_PACKAGE, "%s did not answer within %u second.",
                                       "%s did not answer within %u seconds.", seconds),
                          server, seconds);
    }

  if (error->domain == MEND_PROBE_ERROR)
    return error;

  switch (step->kind)
    {
    case STEP_CONNECT:
      result = g_error_new (MEND_PROBE_ERROR, MEND_PROBE_ERROR_NETWORK_UNREACHABLE,
                            /* Translators: %s is a server, then the reason. */
                            _("Could not connect to %s: %s"), server, error->message);
      break;

    case STEP_HANDSHAKE:
      {
        g_autofree char *reasons = NULL;

        if (G_IS_TLS_CONNECTION (self->stream))
          reasons = describe_certificate_errors (
            g_tls_connection_get_peer_certificate_errors (G_TLS_CONNECTION (self->stream)));

        if (reasons != NULL)
          result = g_error_new (MEND_PROBE_ERROR, MEND_PROBE_ERROR_TLS_FAILURE,
                                /* Translators: %s is a server, then why its certificate is
                                 * refused. */
                                _("The certificate of %s is not trusted: %s."), server, reasons);
        else
          result = g_error_new (MEND_PROBE_ERROR, MEND_PROBE_ERROR_TLS_FAILURE,
                                /* Translators: %s is a server, then the reason. */
                                _("The encrypted connection to %s failed: %s"), server,
                                error->message);
        break;
      }

    case STEP_READ:
    case STEP_WRITE:
    case STEP_CLOSE:
    default:
      if (error->domain == G_TLS_ERROR)
        result = g_error_new (MEND_PROBE_ERROR, MEND_PROBE_ERROR_TLS_FAILURE,
                              _("The encrypted connection to %s failed: %s"), server,
                              error->message);
      else
        result = g_error_new (MEND_PROBE_ERROR, MEND_PROBE_ERROR_PROTOCOL,
                              /* Translators: %s is a server, then the reason. */
                              _("The connection to %s broke: %s"), server, error->message);
      break;
    }

  g_error_free (error);

  return result;
}

/* The operation of @task is over: its timer stops, and the next operation may start. */
static void
step_end (GTask *task)
{
  MendMailConnection *self = g_task_get_source_object (task);

  step_stop_timer (g_task_get_task_data (task));
  self->busy = FALSE;
}

static void
step_return_error (GTask  *task,
                   GError *error)
{
  MendMailConnection *self = g_task_get_source_object (task);
  Step *step = g_task_get_task_data (task);

  step_end (task);
  g_task_return_error (task, step_error (self, step, error));
}

static void
step_return_boolean (GTask *task)
{
  step_end (task);
  g_task_return_boolean (task, TRUE);
}

/* Takes @line. */
static void
step_return_line (GTask *task,
                  char  *line)
{
  step_end (task);
  g_task_return_pointer (task, line, g_free);
}

static void
on_handshake (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  MendMailConnection *self = g_task_get_source_object (task);
  GError *error = NULL;

  if (!g_tls_connection_handshake_finish (G_TLS_CONNECTION (source), result, &error))
    {
      step_return_error (task, error);
      return;
    }

  g_debug ("Encrypted the connection to %s", mend_server_address_get_host (self->server));
  step_return_boolean (task);
}

/* Encrypts the socket connection: the task's step becomes a handshake. Takes @task. */
static void
start_handshake (GTask *task)
{
  MendMailConnection *self = g_task_get_source_object (task);
  Step *step = g_task_get_task_data (task);
  g_autoptr(GSocketConnectable) identity = NULL;
  g_autoptr(GIOStream) tls = NULL;
  GError *error = NULL;

  step->kind = STEP_HANDSHAKE;
  step_start_timer (self, step);

  identity = g_network_address_new (mend_server_address_get_host (self->server),
                                    mend_server_address_get_port (self->server));
  tls = g_tls_client_connection_new (G_IO_STREAM (self->socket_connection), identity, &error);
  if (tls == NULL)
    {
      step_return_error (task, error);
      g_object_unref (task);
      return;
    }

  if (self->tls_database != NULL)
    g_tls_connection_set_database (G_TLS_CONNECTION (tls), self->tls_database);
  /* Servers often close without a TLS close_notify after LOGOUT or QUIT; each protocol's own
   * framing tells a cut answer from a complete one. */
  g_tls_connection_set_require_close_notify (G_TLS_CONNECTION (tls), FALSE);

  g_set_object (&self->stream, tls);
  g_tls_connection_handshake_async (G_TLS_CONNECTION (tls), G_PRIORITY_DEFAULT,
                                    step->cancellable, on_handshake, task);
}

static void
on_connected (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  MendMailConnection *self = g_task_get_source_object (task);
  GSocketConnection *connection;
  GError *error = NULL;

  connection = g_socket_client_connect_finish (G_SOCKET_CLIENT (source), result, &error);
  if (connection == NULL)
    {
      step_return_error (task, error);
      return;
    }

  self->socket_connection = connection;
  g_set_object (&self->stream, G_IO_STREAM (connection));
  g_debug ("Connected to %s", mend_server_address_get_host (self->server));

  if (mend_server_address_get_security (self->server) == MEND_SECURITY_TLS)
    {
      start_handshake (g_steal_pointer (&task));
      return;
    }

  step_return_boolean (task);
}

/* Returns the first line in the pending bytes, if there is one. */
static char *
take_line (MendMailConnection *self)
{
  guint8 *newline;
  gsize length;
  char *line;

  newline = memchr (self->pending->data, '\n', self->pending->len);
  if (newline == NULL)
    return NULL;

  length = newline - self->pending->data;
  if (length > 0 && self->pending->data[length - 1] == '\r')
    length--;

  /* Invalid UTF-8 and NUL bytes become U+FFFD. */
  line = g_utf8_make_valid ((const char *) self->pending->data, length);
  g_byte_array_remove_range (self->pending, 0, newline - self->pending->data + 1);

  return line;
}

static void read_more (GTask *task);

static void
on_read (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  MendMailConnection *self = g_task_get_source_object (task);
  Step *step = g_task_get_task_data (task);
  g_autofree char *server = NULL;
  GError *error = NULL;
  gssize n;
  char *line;

  n = g_input_stream_read_finish (G_INPUT_STREAM (source), result, &error);
  if (n < 0)
    {
      step_return_error (task, error);
      return;
    }

  server = describe_server (self);

  if (n == 0)
    {
      if (self->pending->len == 0)
        error = g_error_new (MEND_PROBE_ERROR, MEND_PROBE_ERROR_PROTOCOL,
                             /* Translators: %s is a server, such as “outlook.office365.com:993”. */
                             _("%s closed the connection."), server);
      else
        error = g_error_new (MEND_PROBE_ERROR, MEND_PROBE_ERROR_PROTOCOL,
                             /* Translators: %s is a server, such as “outlook.office365.com:993”. */
                             _("%s closed the connection in the middle of an answer."), server);
      step_return_error (task, error);
      return;
    }

  self->total_read += n;
  if (self->total_read > MEND_MAIL_CONNECTION_MAX_READ)
    {
      error = g_error_new (MEND_PROBE_ERROR, MEND_PROBE_ERROR_PROTOCOL,
                           /* Translators: %s is a server, then a number. */
                           _("%s sent more than %u kilobytes, far more than any answer to "
                             "Mailmend’s commands."), server, MEND_MAIL_CONNECTION_MAX_READ / 1024);
      step_return_error (task, error);
      return;
    }

  g_byte_array_append (self->pending, step->buffer, n);

  line = take_line (self);
  if (line != NULL)
    {
      step_return_line (task, line);
      return;
    }

  if (self->pending->len > MEND_MAIL_CONNECTION_MAX_LINE)
    {
      error = g_error_new (MEND_PROBE_ERROR, MEND_PROBE_ERROR_PROTOCOL,
                           /* Translators: %s is a server, then a number. */
                           _("%s sent a line longer than %u bytes."), server,
                           MEND_MAIL_CONNECTION_MAX_LINE);
      step_return_error (task, error);
      return;
    }

  read_more (g_steal_pointer (&task));
}

static void
read_more (GTask *task)
{
  MendMailConnection *self = g_task_get_source_object (task);
  Step *step = g_task_get_task_data (task);
  GInputStream *input = g_io_stream_get_input_stream (self->stream);

  g_input_stream_read_async (input, step->buffer, step->buffer_size, G_PRIORITY_DEFAULT,
                             step->cancellable, on_read, task);
}

static void
on_written (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (!g_output_stream_write_all_finish (G_OUTPUT_STREAM (source), result, NULL, &error))
    {
      step_return_error (task, error);
      return;
    }

  step_return_boolean (task);
}

static void
on_closed (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  MendMailConnection *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;

  /* The server may have gone first: nothing to tell. */
  if (!g_io_stream_close_finish (G_IO_STREAM (source), result, &error))
    g_debug ("Closing the connection to %s: %s", mend_server_address_get_host (self->server),
             error->message);

  step_return_boolean (task);
}

static void
mend_mail_connection_dispose (GObject *object)
{
  MendMailConnection *self = (MendMailConnection *) object;

  g_clear_object (&self->stream);
  g_clear_object (&self->socket_connection);
  g_clear_object (&self->tls_database);

  G_OBJECT_CLASS (mend_mail_connection_parent_class)->dispose (object);
}

static void
mend_mail_connection_finalize (GObject *object)
{
  MendMailConnection *self = (MendMailConnection *) object;

  g_clear_pointer (&self->server, mend_server_address_free);
  g_clear_pointer (&self->pending, g_byte_array_unref);

  G_OBJECT_CLASS (mend_mail_connection_parent_class)->finalize (object);
}

static void
mend_mail_connection_class_init (MendMailConnectionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = mend_mail_connection_dispose;
  object_class->finalize = mend_mail_connection_finalize;
}

static void
mend_mail_connection_init (MendMailConnection *self)
{
  self->timeout_ms = MEND_MAIL_CONNECTION_DEFAULT_TIMEOUT_MS;
  self->pending = g_byte_array_new ();
}

/**
 * mend_mail_connection_new:
 * @server: where to connect, and how to encrypt
 */
MendMailConnection *
mend_mail_connection_new (const MendServerAddress *server)
{
  MendMailConnection *self;

  g_return_val_if_fail (server != NULL, NULL);

  self = g_object_new (MEND_TYPE_MAIL_CONNECTION, NULL);
  self->server = mend_server_address_copy (server);

  return self;
}

const MendServerAddress *
mend_mail_connection_get_server (MendMailConnection *self)
{
  g_return_val_if_fail (MEND_IS_MAIL_CONNECTION (self), NULL);

  return self->server;
}

/**
 * mend_mail_connection_set_tls_database:
 * @database: (nullable): the trust anchors to verify the server's certificate with, instead of
 *   the system's; %NULL for the system's
 */
void
mend_mail_connection_set_tls_database (MendMailConnection *self,
                                       GTlsDatabase       *database)
{
  g_return_if_fail (MEND_IS_MAIL_CONNECTION (self));
  g_return_if_fail (database == NULL || G_IS_TLS_DATABASE (database));

  g_set_object (&self->tls_database, database);
}

guint
mend_mail_connection_get_timeout (MendMailConnection *self)
{
  g_return_val_if_fail (MEND_IS_MAIL_CONNECTION (self), 0);

  return self->timeout_ms;
}

/**
 * mend_mail_connection_set_timeout:
 * @timeout_ms: how long each step may take, in milliseconds
 */
void
mend_mail_connection_set_timeout (MendMailConnection *self,
                                  guint               timeout_ms)
{
  g_return_if_fail (MEND_IS_MAIL_CONNECTION (self));
  g_return_if_fail (timeout_ms > 0);

  self->timeout_ms = timeout_ms;
}

gboolean
mend_mail_connection_is_encrypted (MendMailConnection *self)
{
  g_return_val_if_fail (MEND_IS_MAIL_CONNECTION (self), FALSE);

  return G_IS_TLS_CONNECTION (self->stream);
}

/**
 * mend_mail_connection_connect_async:
 *
 * Connects to the server, and encrypts the connection at once for an implicit TLS address.
 */
void
mend_mail_connection_connect_async (MendMailConnection  *self,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GSocketClient) client = NULL;
  g_autoptr(GSocketConnectable) address = NULL;
  Step *step;

  g_return_if_fail (MEND_IS_MAIL_CONNECTION (self));
  g_return_if_fail (!self->busy && self->stream == NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = step_task_new (self, STEP_CONNECT, mend_mail_connection_connect_async, cancellable,
                        callback, user_data);
  step = g_task_get_task_data (task);

  client = g_socket_client_new ();
  address = g_network_address_new (mend_server_address_get_host (self->server),
                                   mend_server_address_get_port (self->server));
  g_socket_client_connect_async (client, address, step->cancellable, on_connected,
                                 g_steal_pointer (&task));
}

gboolean
mend_mail_connection_connect_finish (MendMailConnection  *self,
                                     GAsyncResult        *result,
                                     GError             **error)
{
  g_return_val_if_fail (MEND_IS_MAIL_CONNECTION (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/**
 * mend_mail_connection_start_tls_async:
 *
 * Encrypts the connection, after the server agreed to STARTTLS (or STLS). Anything the server
 * sent after its agreement and before the handshake would be unprotected text slipped into
 * the encrypted session: the connection is then refused.
 */
void
mend_mail_connection_start_tls_async (MendMailConnection  *self,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (MEND_IS_MAIL_CONNECTION (self));
  g_return_if_fail (!self->busy && self->socket_connection != NULL);
  g_return_if_fail (!mend_mail_connection_is_encrypted (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = step_task_new (self, STEP_HANDSHAKE, mend_mail_connection_start_tls_async, cancellable,
                        callback, user_data);

  if (self->pending->len > 0)
    {
      g_autofree char *server = describe_server (self);
      GError *error;

      error = g_error_new (MEND_PROBE_ERROR, MEND_PROBE_ERROR_TLS_FAILURE,
                           /* Translators: %s is a server, such as “smtp.office365.com:587”. */
                           _("%s sent unencrypted data before the encryption started; the "
                             "connection is not safe."), server);
      step_return_error (task, error);
      return;
    }

  start_handshake (g_steal_pointer (&task));
}

gboolean
mend_mail_connection_start_tls_finish (MendMailConnection  *self,
                                       GAsyncResult        *result,
                                       GError             **error)
{
  g_return_val_if_fail (MEND_IS_MAIL_CONNECTION (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/**
 * mend_mail_connection_read_line_async:
 *
 * Reads the next line the server sends.
 */
void
mend_mail_connection_read_line_async (MendMailConnection  *self,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  Step *step;
  char *line;

  g_return_if_fail (MEND_IS_MAIL_CONNECTION (self));
  g_return_if_fail (!self->busy && self->stream != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = step_task_new (self, STEP_READ, mend_mail_connection_read_line_async, cancellable,
                        callback, user_data);

  line = take_line (self);
  if (line != NULL)
    {
      step_return_line (task, line);
      return;
    }

  step = g_task_get_task_data (task);
  step->buffer_size = READ_CHUNK;
  step->buffer = g_malloc (step->buffer_size);
  read_more (g_steal_pointer (&task));
}

/**
 * mend_mail_connection_read_line_finish:
 *
 * Returns: (transfer full): the line, without its line end, as valid UTF-8
 */
char *
mend_mail_connection_read_line_finish (MendMailConnection  *self,
                                       GAsyncResult        *result,
                                       GError             **error)
{
  g_return_val_if_fail (MEND_IS_MAIL_CONNECTION (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * mend_mail_connection_write_line_async:
 * @line: a command, without its line end; it may hold a secret: the connection wipes its copy
 *
 * Sends @line and CRLF.
 */
void
mend_mail_connection_write_line_async (MendMailConnection  *self,
                                       const char          *line,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  GOutputStream *output;
  Step *step;
  gsize length;

  g_return_if_fail (MEND_IS_MAIL_CONNECTION (self));
  g_return_if_fail (line != NULL && strpbrk (line, "\r\n") == NULL);
  g_return_if_fail (!self->busy && self->stream != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = step_task_new (self, STEP_WRITE, mend_mail_connection_write_line_async, cancellable,
                        callback, user_data);
  step = g_task_get_task_data (task);

  length = strlen (line);
  step->buffer_size = length + 2;
  step->buffer = g_malloc (step->buffer_size);
  memcpy (step->buffer, line, length);
  memcpy (step->buffer + length, "\r\n", 2);

  output = g_io_stream_get_output_stream (self->stream);
  g_output_stream_write_all_async (output, step->buffer, step->buffer_size, G_PRIORITY_DEFAULT,
                                   step->cancellable, on_written, g_steal_pointer (&task));
}

gboolean
mend_mail_connection_write_line_finish (MendMailConnection  *self,
                                        GAsyncResult        *result,
                                        GError             **error)
{
  g_return_val_if_fail (MEND_IS_MAIL_CONNECTION (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/**
 * mend_mail_connection_close_async:
 *
 * Closes the connection (a TLS one says so first); never fails, and takes at most the
 * timeout. Not cancellable: a probe always closes what it opened.
 */
void
mend_mail_connection_close_async (MendMailConnection  *self,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  Step *step;

  g_return_if_fail (MEND_IS_MAIL_CONNECTION (self));
  g_return_if_fail (!self->busy);

  task = step_task_new (self, STEP_CLOSE, mend_mail_connection_close_async, NULL, callback,
                        user_data);

  if (self->stream == NULL || g_io_stream_is_closed (self->stream))
    {
      step_return_boolean (task);
      return;
    }

  step = g_task_get_task_data (task);
  g_io_stream_close_async (self->stream, G_PRIORITY_DEFAULT, step->cancellable, on_closed,
                           g_steal_pointer (&task));
}

void
mend_mail_connection_close_finish (MendMailConnection *self,
                                   GAsyncResult       *result)
{
  g_return_if_fail (MEND_IS_MAIL_CONNECTION (self));
  g_return_if_fail (g_task_is_valid (result, self));

  g_task_propagate_boolean (G_TASK (result), NULL);
}
