/* mend-probe.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "mend-probe"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "mend-imap-probe.h"
#include "mend-mail-connection.h"
#include "mend-pop-probe.h"
#include "mend-probe-private.h"
#include "mend-smtp-probe.h"

/* A sign-in check: one connection to a mail server, an XOAUTH2 sign-in with the access token,
 * one command that needs the mailbox, and a clean LOGOUT or QUIT. The subclasses hold each
 * protocol's conversation; this base class owns the connection, the reply parser, the
 * transcript, and the secret. The access token and the XOAUTH2 string never reach the
 * transcript, the findings or the log, even if a server echoes them; both are wiped when the
 * probe goes. */
typedef struct
{
  MendServerAddress   *server;
  char                *address;
  char                *access_token;
  char                *sasl;
  GTlsDatabase        *tls_database;
  guint                timeout_ms;
  MendTenantType       tenant_type;

  /* While running. */
  GTask               *task;
  MendMailConnection  *connection;
  MendMailReplyParser *parser;
  GString             *transcript;
  gboolean             transcript_full;
  gboolean             answered;
  gboolean             sasl_sent;
  gboolean             challenge_answered;
  gboolean             logging_out;
  gboolean             ok;
  char                *summary;
  GError              *error;
} MendProbePrivate;

G_DEFINE_ABSTRACT_TYPE_WITH_PRIVATE (MendProbe, mend_probe, G_TYPE_OBJECT)

/* What the transcript keeps: enough for support staff, bounded for a babbling server. */
#define MAX_TRANSCRIPT_LINE 500
#define MAX_TRANSCRIPT      (64 * 1024)

#define REDACTED "[redacted]"

static void read_next (MendProbe *self);
static void close_connection (MendProbe *self);

static void
wipe_free (char *secret)
{
  if (secret != NULL)
    {
      memset (secret, 0, strlen (secret));
      g_free (secret);
    }
}

/* Replaces every occurrence of @secret in @text. */
static void
redact (GString    *text,
        const char *secret)
{
  gsize length;
  char *found;

  if (secret == NULL || (length = strlen (secret)) == 0)
    return;

  while ((found = strstr (text->str, secret)) != NULL)
    {
      gsize position = found - text->str;

      g_string_erase (text, position, length);
      g_string_insert (text, position, REDACTED);
    }
}

/* Returns @line without the secret, should a server echo it. */
static char *
redact_secrets (MendProbe  *self,
                const char *line)
{
  MendProbePrivate *priv = mend_probe_get_instance_private (self);
  GString *text = g_string_new (line);

  redact (text, priv->access_token);
  redact (text, priv->sasl);

  return g_string_free (text, FALSE);
}

static void
record (MendProbe  *self,
        const char *prefix,
        const char *line)
{
  MendProbePrivate *priv = mend_probe_get_instance_private (self);
  g_autofree char *host = mend_server_address_to_host_and_port (priv->server);
  g_autofree char *clean = redact_secrets (self, line);
  g_autoptr(GString) shown = g_string_new (clean);

  if (g_utf8_strlen (shown->str, -1) > MAX_TRANSCRIPT_LINE)
    {
      g_autofree char *start = g_utf8_substring (shown->str, 0, MAX_TRANSCRIPT_LINE);

      g_string_assign (shown, start);
      g_string_append (shown, "…");
    }

  g_debug ("%s %s%s", host, prefix, shown->str);

  if (priv->transcript_full)
    return;

  if (priv->transcript->len + shown->len > MAX_TRANSCRIPT)
    {
      g_string_append (priv->transcript, "[transcript cut]\n");
      priv->transcript_full = TRUE;
      return;
    }

  g_string_append_printf (priv->transcript, "%s%s\n", prefix, shown->str);
}

static void
finish (MendProbe *self)
{
  MendProbePrivate *priv = mend_probe_get_instance_private (self);
  g_autoptr(GTask) task = g_steal_pointer (&priv->task);
  g_autoptr(MendProbeResult) result = NULL;
  g_autoptr(MendFinding) finding = NULL;
  MendProtocol protocol = mend_server_address_get_protocol (priv->server);

  g_clear_object (&priv->connection);
  g_clear_pointer (&priv->parser, mend_mail_reply_parser_free);

  if (!priv->ok && priv->error == NULL)
    priv->error = g_error_new_literal (MEND_PROBE_ERROR, MEND_PROBE_ERROR_PROTOCOL,
                                       _("The conversation with the server ended without an "
                                         "answer."));

  if (g_error_matches (priv->error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_task_return_error (task, g_steal_pointer (&priv->error));
      return;
    }

  result = mend_probe_result_new (priv->server, priv->ok,
                                  priv->summary != NULL ? priv->summary : "",
                                  priv->transcript->str);
  if (priv->error != NULL)
    {
      finding = mend_probe_error_to_finding (priv->error, protocol, priv->tenant_type,
                                             priv->address);
      mend_probe_result_add_finding (result, finding);
      g_clear_error (&priv->error);
    }

  g_task_return_pointer (task, g_steal_pointer (&result), g_object_unref);
}

static void
on_closed (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(MendProbe) self = user_data;

  mend_mail_connection_close_finish (MEND_MAIL_CONNECTION (source), result);
  finish (self);
}

static void
close_connection (MendProbe *self)
{
  MendProbePrivate *priv = mend_probe_get_instance_private (self);

  mend_mail_connection_close_async (priv->connection, on_closed, g_object_ref (self));
}

/* Keeps the first error: it says what went wrong; what follows is a consequence. */
static void
set_error (MendProbe *self,
           GError    *error)
{
  MendProbePrivate *priv = mend_probe_get_instance_private (self);

  if (priv->error == NULL)
    {
      priv->error = error;
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        record (self, "# ", error->message);
    }
  else
    {
      g_error_free (error);
    }
}

/* A step failed (connecting, encrypting, writing, reading) or the server made no sense: the
 * conversation ends. Once logging out that is no failure: the server may close first. */
static void
break_off (MendProbe *self,
           GError    *error)
{
  MendProbePrivate *priv = mend_probe_get_instance_private (self);

  if (priv->logging_out)
    g_error_free (error);
  else
    set_error (self, error);
  close_connection (self);
}

static void
on_written (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(MendProbe) self = user_data;
  GError *error = NULL;

  if (!mend_mail_connection_write_line_finish (MEND_MAIL_CONNECTION (source), result, &error))
    {
      break_off (self, error);
      return;
    }

  read_next (self);
}

/* Says goodbye (LOGOUT, QUIT), reads until the server's last word, then closes. */
static void
log_out (MendProbe  *self,
         const char *logout)
{
  MendProbePrivate *priv = mend_probe_get_instance_private (self);

  priv->answered = TRUE;

  if (logout == NULL)
    {
      close_connection (self);
      return;
    }

  priv->logging_out = TRUE;
  record (self, "C: ", logout);
  mend_mail_connection_write_line_async (priv->connection, logout, NULL, on_written,
                                         g_object_ref (self));
}

static void
handle_logout_reply (MendProbe     *self,
                     MendMailReply *reply)
{
  /* IMAP sends “* BYE” before the tagged OK; the others answer with one reply. */
  if (reply->protocol == MEND_PROTOCOL_IMAP && !mend_mail_reply_is_tagged (reply))
    read_next (self);
  else
    close_connection (self);
}

static void
on_line (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(MendProbe) self = user_data;
  MendProbePrivate *priv = mend_probe_get_instance_private (self);
  g_autoptr(MendMailReply) reply = NULL;
  g_autofree char *received = NULL;
  g_autofree char *line = NULL;
  GError *error = NULL;

  received = mend_mail_connection_read_line_finish (MEND_MAIL_CONNECTION (source), result,
                                                    &error);
  if (received == NULL)
    {
      break_off (self, error);
      return;
    }

  line = redact_secrets (self, received);
  record (self, "S: ", line);

  reply = mend_mail_reply_parser_feed (priv->parser, line, -1, &error);
  if (error != NULL)
    {
      break_off (self, error);
      return;
    }

  if (reply == NULL)
    {
      read_next (self);
      return;
    }

  if (priv->logging_out)
    {
      handle_logout_reply (self, reply);
      return;
    }

  priv->answered = FALSE;
  MEND_PROBE_GET_CLASS (self)->handle_reply (self, reply);
  if (!priv->answered)
    read_next (self);
}

static void
read_next (MendProbe *self)
{
  MendProbePrivate *priv = mend_probe_get_instance_private (self);

  mend_mail_connection_read_line_async (priv->connection, g_task_get_cancellable (priv->task),
                                        on_line, g_object_ref (self));
}

static void
send_line (MendProbe  *self,
           const char *line,
           const char *shown)
{
  MendProbePrivate *priv = mend_probe_get_instance_private (self);

  priv->answered = TRUE;
  record (self, "C: ", shown);
  mend_mail_connection_write_line_async (priv->connection, line,
                                         g_task_get_cancellable (priv->task), on_written,
                                         g_object_ref (self));
}

static void
on_tls_started (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(MendProbe) self = user_data;
  GError *error = NULL;

  if (!mend_mail_connection_start_tls_finish (MEND_MAIL_CONNECTION (source), result, &error))
    {
      break_off (self, error);
      return;
    }

  record (self, "# ", "Encrypted (STARTTLS)");
  MEND_PROBE_GET_CLASS (self)->tls_started (self);
}

static void
on_connected (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(MendProbe) self = user_data;
  MendProbePrivate *priv = mend_probe_get_instance_private (self);
  GError *error = NULL;

  if (!mend_mail_connection_connect_finish (MEND_MAIL_CONNECTION (source), result, &error))
    {
      break_off (self, error);
      return;
    }

  record (self, "# ", mend_mail_connection_is_encrypted (priv->connection)
                        ? "Connected, encrypted (TLS)"
                        : "Connected, not encrypted yet (STARTTLS)");
  read_next (self);
}

static void
mend_probe_dispose (GObject *object)
{
  MendProbe *self = (MendProbe *) object;
  MendProbePrivate *priv = mend_probe_get_instance_private (self);

  g_clear_object (&priv->tls_database);
  g_clear_object (&priv->connection);

  G_OBJECT_CLASS (mend_probe_parent_class)->dispose (object);
}

static void
mend_probe_finalize (GObject *object)
{
  MendProbe *self = (MendProbe *) object;
  MendProbePrivate *priv = mend_probe_get_instance_private (self);

  g_clear_pointer (&priv->server, mend_server_address_free);
  g_free (priv->address);
  wipe_free (priv->access_token);
  wipe_free (priv->sasl);
  g_clear_pointer (&priv->parser, mend_mail_reply_parser_free);
  if (priv->transcript != NULL)
    g_string_free (priv->transcript, TRUE);
  g_free (priv->summary);
  g_clear_error (&priv->error);

  G_OBJECT_CLASS (mend_probe_parent_class)->finalize (object);
}

static void
mend_probe_class_init (MendProbeClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = mend_probe_dispose;
  object_class->finalize = mend_probe_finalize;
}

static void
mend_probe_init (MendProbe *self)
{
  MendProbePrivate *priv = mend_probe_get_instance_private (self);

  priv->timeout_ms = MEND_MAIL_CONNECTION_DEFAULT_TIMEOUT_MS;
  priv->tenant_type = MEND_TENANT_TYPE_UNKNOWN;
}

/**
 * mend_probe_new:
 * @server: the server to check; its protocol chooses the probe
 * @address: the mailbox's address, the XOAUTH2 user
 * @access_token: the access token to sign in with
 *
 * Returns: (transfer full): an IMAP, SMTP or POP probe
 */
MendProbe *
mend_probe_new (const MendServerAddress *server,
                const char              *address,
                const char              *access_token)
{
  MendProbe *self;
  MendProbePrivate *priv;
  GType type;

  g_return_val_if_fail (server != NULL, NULL);
  g_return_val_if_fail (address != NULL && address[0] != '\0', NULL);
  g_return_val_if_fail (access_token != NULL && access_token[0] != '\0', NULL);

  switch (mend_server_address_get_protocol (server))
    {
    case MEND_PROTOCOL_IMAP:
      type = MEND_TYPE_IMAP_PROBE;
      break;
    case MEND_PROTOCOL_SMTP:
      type = MEND_TYPE_SMTP_PROBE;
      break;
    case MEND_PROTOCOL_POP3:
      type = MEND_TYPE_POP_PROBE;
      break;
    case MEND_PROTOCOL_EWS:
    case MEND_PROTOCOL_GRAPH:
    default:
      g_return_val_if_reached (NULL);
    }

  self = g_object_new (type, NULL);
  priv = mend_probe_get_instance_private (self);
  priv->server = mend_server_address_copy (server);
  priv->address = g_strdup (address);
  priv->access_token = g_strdup (access_token);

  return self;
}

const MendServerAddress *
mend_probe_get_server (MendProbe *self)
{
  MendProbePrivate *priv = mend_probe_get_instance_private (self);

  g_return_val_if_fail (MEND_IS_PROBE (self), NULL);

  return priv->server;
}

const char *
mend_probe_get_address (MendProbe *self)
{
  MendProbePrivate *priv = mend_probe_get_instance_private (self);

  g_return_val_if_fail (MEND_IS_PROBE (self), NULL);

  return priv->address;
}

/**
 * mend_probe_set_tls_database:
 * @database: (nullable): trust anchors that replace the system's, for a private test server
 */
void
mend_probe_set_tls_database (MendProbe    *self,
                             GTlsDatabase *database)
{
  MendProbePrivate *priv = mend_probe_get_instance_private (self);

  g_return_if_fail (MEND_IS_PROBE (self));
  g_return_if_fail (database == NULL || G_IS_TLS_DATABASE (database));

  g_set_object (&priv->tls_database, database);
}

/**
 * mend_probe_set_timeout:
 * @timeout_ms: how long each step may take (connecting, the handshake, each line of an answer)
 */
void
mend_probe_set_timeout (MendProbe *self,
                        guint      timeout_ms)
{
  MendProbePrivate *priv = mend_probe_get_instance_private (self);

  g_return_if_fail (MEND_IS_PROBE (self));
  g_return_if_fail (timeout_ms > 0);

  priv->timeout_ms = timeout_ms;
}

/**
 * mend_probe_set_tenant_type:
 *
 * Says whether the mailbox is a personal or a work account: some remedies depend on it (who
 * can turn SMTP AUTH on).
 */
void
mend_probe_set_tenant_type (MendProbe      *self,
                            MendTenantType  tenant_type)
{
  MendProbePrivate *priv = mend_probe_get_instance_private (self);

  g_return_if_fail (MEND_IS_PROBE (self));

  priv->tenant_type = tenant_type;
}

/**
 * mend_probe_run_async:
 * @cancellable: (nullable): cancels the check; the connection is still closed
 *
 * Checks the sign-in. Runs once.
 */
void
mend_probe_run_async (MendProbe           *self,
                      GCancellable        *cancellable,
                      GAsyncReadyCallback  callback,
                      gpointer             user_data)
{
  MendProbePrivate *priv = mend_probe_get_instance_private (self);
  g_autofree char *url = NULL;

  g_return_if_fail (MEND_IS_PROBE (self));
  g_return_if_fail (priv->task == NULL && priv->transcript == NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  priv->task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (priv->task, mend_probe_run_async);

  priv->transcript = g_string_new (NULL);
  priv->parser = mend_mail_reply_parser_new (MEND_PROBE_GET_CLASS (self)->protocol);
  priv->connection = mend_mail_connection_new (priv->server);
  mend_mail_connection_set_timeout (priv->connection, priv->timeout_ms);
  mend_mail_connection_set_tls_database (priv->connection, priv->tls_database);

  url = mend_server_address_to_string (priv->server);
  record (self, "# ", url);
  mend_mail_connection_connect_async (priv->connection, cancellable, on_connected,
                                      g_object_ref (self));
}

/**
 * mend_probe_run_finish:
 * @error: only %G_IO_ERROR_CANCELLED: every other failure is a finding of the result
 *
 * Returns: (transfer full): what the check found
 */
MendProbeResult *
mend_probe_run_finish (MendProbe     *self,
                       GAsyncResult  *result,
                       GError       **error)
{
  g_return_val_if_fail (MEND_IS_PROBE (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

MendMailReplyParser *
_mend_probe_get_parser (MendProbe *self)
{
  MendProbePrivate *priv = mend_probe_get_instance_private (self);

  g_assert (MEND_IS_PROBE (self));

  return priv->parser;
}

gboolean
_mend_probe_is_encrypted (MendProbe *self)
{
  MendProbePrivate *priv = mend_probe_get_instance_private (self);

  g_assert (MEND_IS_PROBE (self));

  return mend_mail_connection_is_encrypted (priv->connection);
}

/**
 * _mend_probe_send:
 * @line: a command without its line end; never a secret (it goes to the transcript)
 *
 * Sends @line, then reads the answer.
 */
void
_mend_probe_send (MendProbe  *self,
                  const char *line)
{
  g_assert (MEND_IS_PROBE (self));
  g_assert (line != NULL);

  send_line (self, line, line);
}

/**
 * _mend_probe_send_sasl:
 * @prefix: what comes before the XOAUTH2 string on its line, such as
 *   “A3 AUTHENTICATE XOAUTH2 ” or “” for an answer to a challenge
 *
 * Sends the XOAUTH2 string, base64 (“user=ADDRESS^Aauth=Bearer TOKEN^A^A”), after @prefix;
 * the transcript shows it redacted. Then reads the answer.
 */
void
_mend_probe_send_sasl (MendProbe  *self,
                       const char *prefix)
{
  MendProbePrivate *priv = mend_probe_get_instance_private (self);
  g_autofree char *shown = NULL;
  char *plain;
  char *line;

  g_assert (MEND_IS_PROBE (self));
  g_assert (prefix != NULL);

  if (priv->sasl == NULL)
    {
      plain = g_strdup_printf ("user=%s\001auth=Bearer %s\001\001", priv->address,
                               priv->access_token);
      priv->sasl = g_base64_encode ((const guchar *) plain, strlen (plain));
      wipe_free (plain);
    }

  line = g_strconcat (prefix, priv->sasl, NULL);
  shown = g_strdup_printf ("%s[XOAUTH2 sign-in of %s, redacted]", prefix, priv->address);
  priv->sasl_sent = TRUE;
  send_line (self, line, shown);
  wipe_free (line);
}

gboolean
_mend_probe_sent_sasl (MendProbe *self)
{
  MendProbePrivate *priv = mend_probe_get_instance_private (self);

  g_assert (MEND_IS_PROBE (self));

  return priv->sasl_sent;
}

/**
 * _mend_probe_answer_challenge:
 *
 * Answers a continuation (IMAP's and POP's “+”, SMTP's 334) during the sign-in: with the
 * XOAUTH2 string if the command did not carry it, else, once, with an empty line, which gets
 * the server's final refusal after an error challenge (base64 JSON). Then reads the answer.
 *
 * Returns: %FALSE, having sent nothing, when both were sent already: the server is not making
 *   sense
 */
gboolean
_mend_probe_answer_challenge (MendProbe *self)
{
  MendProbePrivate *priv = mend_probe_get_instance_private (self);

  g_assert (MEND_IS_PROBE (self));

  if (!priv->sasl_sent)
    {
      _mend_probe_send_sasl (self, "");
      return TRUE;
    }

  if (!priv->challenge_answered)
    {
      priv->challenge_answered = TRUE;
      _mend_probe_send (self, "");
      return TRUE;
    }

  return FALSE;
}

/**
 * _mend_probe_start_tls:
 *
 * Encrypts the connection after the server agreed to STARTTLS, then calls tls_started().
 */
void
_mend_probe_start_tls (MendProbe *self)
{
  MendProbePrivate *priv = mend_probe_get_instance_private (self);

  g_assert (MEND_IS_PROBE (self));

  priv->answered = TRUE;

  if (!mend_mail_reply_parser_is_idle (priv->parser))
    {
      _mend_probe_fail (self, g_error_new_literal (MEND_PROBE_ERROR, MEND_PROBE_ERROR_TLS_FAILURE,
                                                   _("The server sent more after agreeing to "
                                                     "encrypt the connection; the connection is "
                                                     "not safe.")), NULL);
      return;
    }

  mend_mail_connection_start_tls_async (priv->connection, g_task_get_cancellable (priv->task),
                                        on_tls_started, g_object_ref (self));
}

/**
 * _mend_probe_succeed:
 * @summary: what was checked, translated
 * @logout: the command that ends the session (“A5 LOGOUT”, “QUIT”)
 */
void
_mend_probe_succeed (MendProbe  *self,
                     const char *summary,
                     const char *logout)
{
  MendProbePrivate *priv = mend_probe_get_instance_private (self);

  g_assert (MEND_IS_PROBE (self));
  g_assert (summary != NULL);

  priv->ok = TRUE;
  g_free (priv->summary);
  priv->summary = g_strdup (summary);
  log_out (self, logout);
}

/**
 * _mend_probe_fail:
 * @error: (transfer full): what went wrong, a MEND_PROBE_ERROR
 * @logout: (nullable): the command that ends the session, or %NULL to close at once (the
 *   server is not making sense, or is closing)
 */
void
_mend_probe_fail (MendProbe  *self,
                  GError     *error,
                  const char *logout)
{
  g_assert (MEND_IS_PROBE (self));
  g_assert (error != NULL);

  set_error (self, error);
  log_out (self, logout);
}

/**
 * _mend_probe_fail_with_reply:
 * @code: what @reply means
 * @reply: the server's refusal, quoted in the finding's details
 * @logout: (nullable): as for _mend_probe_fail()
 */
void
_mend_probe_fail_with_reply (MendProbe      *self,
                             MendProbeError  code,
                             MendMailReply  *reply,
                             const char     *logout)
{
  MendProbePrivate *priv = mend_probe_get_instance_private (self);
  g_autofree char *host = NULL;

  g_assert (MEND_IS_PROBE (self));
  g_assert (reply != NULL);

  host = mend_server_address_to_host_and_port (priv->server);
  /* Translators: %s is a server, such as “outlook.office365.com:993”, then its words. */
  _mend_probe_fail (self, g_error_new (MEND_PROBE_ERROR, code, _("%s answered: %s"), host,
                                       reply->raw), logout);
}
