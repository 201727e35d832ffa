/* mend-oauth-client.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "mend-oauth-client"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "mend-oauth-client.h"
#include "mend-oauth-error.h"

/* The network side of OAuth: posts the form bodies that MendOAuthFlow builds to the token and
 * device-code endpoints, and turns the answers into tokens or findings. One SoupSession, made
 * on first use (a `mailmend token` that finds a fresh token never needs it). Certificates are
 * always verified; mend_oauth_client_set_ca_file() only changes which anchors are trusted, for
 * private test servers. Bodies and answers hold secrets: they are never logged (lengths at
 * most), and they are wiped once used. */
struct _MendOAuthClient
{
  GObject          parent_instance;

  SoupSession     *session;
  GTlsDatabase    *tls_database;
};

G_DEFINE_FINAL_TYPE (MendOAuthClient, mend_oauth_client, G_TYPE_OBJECT)

/* RFC 8628 §3.5: each slow_down adds five seconds to the interval. */
#define SLOW_DOWN_STEP_S 5

typedef enum
{
  REQUEST_EXCHANGE_CODE,
  REQUEST_REFRESH,
  REQUEST_DEVICE_CODE,
  REQUEST_DEVICE_POLL,
} RequestKind;

/* What one operation carries from its start to its callbacks. */
typedef struct
{
  RequestKind          kind;
  MendOAuthSettings   *settings;
  MendTenantType       tenant_type;
  char                *address;
  char                *url;
  MendOAuthToken      *old_token;
  MendOAuthDeviceCode *device_code;
  SoupMessage         *msg;

  /* Device-code polling. */
  guint                interval_s;
  gint64               deadline;
  guint                polls;
  GSource             *wait_source;
  GSource             *cancel_source;
} Request;

static void
wipe_free (gpointer data)
{
  char *text = data;

  if (text != NULL)
    {
      memset (text, 0, strlen (text));
      g_free (text);
    }
}

static void
request_stop_wait (Request *request)
{
  if (request->wait_source != NULL)
    {
      g_source_destroy (request->wait_source);
      g_clear_pointer (&request->wait_source, g_source_unref);
    }
  if (request->cancel_source != NULL)
    {
      g_source_destroy (request->cancel_source);
      g_clear_pointer (&request->cancel_source, g_source_unref);
    }
}

static void
request_free (gpointer data)
{
  Request *request = data;

  request_stop_wait (request);
  g_clear_object (&request->settings);
  g_free (request->address);
  g_free (request->url);
  g_clear_object (&request->old_token);
  g_clear_pointer (&request->device_code, mend_oauth_device_code_free);
  g_clear_object (&request->msg);
  g_free (request);
}

static SoupSession *
get_session (MendOAuthClient *self)
{
  g_assert (MEND_IS_OAUTH_CLIENT (self));

  if (self->session == NULL)
    {
      g_autofree char *user_agent = g_strdup_printf ("Mailmend/%s", PACKAGE_VERSION);

      self->session = soup_session_new_with_options ("timeout", MEND_OAUTH_CLIENT_TIMEOUT_S,
                                                     "idle-timeout", MEND_OAUTH_CLIENT_IDLE_TIMEOUT_S,
                                                     "user-agent", user_agent,
                                                     NULL);
      if (self->tls_database != NULL)
        soup_session_set_tls_database (self->session, self->tls_database);
    }

  return self->session;
}

static const char *
describe_request (RequestKind kind)
{
  switch (kind)
    {
    case REQUEST_EXCHANGE_CODE:
      return "code grant";
    case REQUEST_REFRESH:
      return "refresh grant";
    case REQUEST_DEVICE_CODE:
      return "device-code request";
    case REQUEST_DEVICE_POLL:
      return "device-code poll";
    default:
      return "request";
    }
}

static GTask *
request_new (MendOAuthClient     *self,
             RequestKind          kind,
             MendOAuthSettings   *settings,
             GCancellable        *cancellable,
             GAsyncReadyCallback  callback,
             gpointer             user_data,
             gpointer             source_tag)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  Request *request = g_new0 (Request, 1);

  g_task_set_source_tag (task, source_tag);
  g_task_set_task_data (task, request, request_free);

  request->kind = kind;
  request->settings = g_object_ref (settings);
  request->tenant_type = mend_oauth_settings_get_tenant_type (settings);

  return task;
}

static gboolean
is_json_type (const char *content_type)
{
  return content_type != NULL &&
         (g_ascii_strcasecmp (content_type, "application/json") == 0 ||
          g_str_has_suffix (content_type, "+json"));
}

static GError *
error_from_answer (Request    *request,
                   guint       status,
                   const char *content_type,
                   const char *body)
{
  g_autoptr(JsonParser) parser = NULL;
  g_autofree char *admin_consent_url = NULL;
  JsonNode *root;

  /* A server error, or anything that is not an OAuth error answer (a proxy's page, say). */
  if (status >= 500 || !is_json_type (content_type))
    return mend_oauth_error_new_malformed (status);

  parser = json_parser_new ();
  if (!json_parser_load_from_data (parser, body, -1, NULL) ||
      (root = json_parser_get_root (parser)) == NULL ||
      !JSON_NODE_HOLDS_OBJECT (root) ||
      !json_object_has_member (json_node_get_object (root), "error"))
    return mend_oauth_error_new_malformed (status);

  admin_consent_url = mend_oauth_settings_get_admin_consent_url (request->settings);

  return mend_oauth_error_new_from_json (json_node_get_object (root), status,
                                         request->tenant_type, admin_consent_url);
}

/* Returns: (transfer full) (nullable): the body of a successful JSON answer (free it with
 * wipe_free()), or %NULL with @error set: the transport's error, or the finding of an error
 * answer. */
static char *
finish_request (GTask         *task,
                GAsyncResult  *result,
                GError       **error)
{
  MendOAuthClient *self = g_task_get_source_object (task);
  Request *request = g_task_get_task_data (task);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) local_error = NULL;
  const char *content_type;
  const char *data;
  char *body;
  gsize size;
  guint status;

  bytes = soup_session_send_and_read_finish (self->session, result, &local_error);
  if (bytes == NULL)
    {
      g_debug ("%s to %s failed: %s (%s, %d)", describe_request (request->kind), request->url,
               local_error->message, g_quark_to_string (local_error->domain), local_error->code);
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }

  status = soup_message_get_status (request->msg);
  content_type = soup_message_headers_get_content_type (soup_message_get_response_headers (request->msg),
                                                        NULL);
  data = g_bytes_get_data (bytes, &size);
  body = g_strndup (data, size);

  g_debug ("%s to %s: HTTP %u, %s, %" G_GSIZE_FORMAT " bytes", describe_request (request->kind),
           request->url, status, content_type ? content_type : "no content type", size);

  if (SOUP_STATUS_IS_SUCCESSFUL (status) && is_json_type (content_type))
    return body;

  if (SOUP_STATUS_IS_SUCCESSFUL (status))
    g_propagate_error (error, mend_oauth_error_new_malformed (status));
  else
    g_propagate_error (error, error_from_answer (request, status, content_type, body));

  wipe_free (body);

  return NULL;
}

static void
send_form (GTask               *task,
           MendOAuthEndpoint    endpoint,
           char                *body,
           GAsyncReadyCallback  callback)
{
  MendOAuthClient *self = g_task_get_source_object (task);
  Request *request = g_task_get_task_data (task);
  g_autoptr(GBytes) bytes = NULL;

  g_assert (body != NULL);

  g_clear_pointer (&request->url, g_free);
  request->url = mend_oauth_settings_get_endpoint (request->settings, endpoint);

  g_clear_object (&request->msg);
  request->msg = soup_message_new (SOUP_METHOD_POST, request->url);
  if (request->msg == NULL)
    {
      wipe_free (body);
      g_task_return_new_error (task, MEND_OAUTH_ERROR, MEND_OAUTH_ERROR_AUTHORITY_INVALID,
                               /* Translators: %s is a web address. */
                               _("“%s” is not a valid sign-in address."), request->url);
      g_object_unref (task);
      return;
    }

  /* Secrets go to this address only: never follow a redirect elsewhere. */
  soup_message_add_flags (request->msg, SOUP_MESSAGE_NO_REDIRECT);
  soup_message_headers_replace (soup_message_get_request_headers (request->msg),
                                "Accept", "application/json");
  bytes = g_bytes_new_with_free_func (body, strlen (body), wipe_free, body);
  soup_message_set_request_body_from_bytes (request->msg, "application/x-www-form-urlencoded",
                                            bytes);

  g_debug ("Sending the %s to %s (%" G_GSIZE_FORMAT " bytes)", describe_request (request->kind),
           request->url, g_bytes_get_size (bytes));

  soup_session_send_and_read_async (get_session (self), request->msg, G_PRIORITY_DEFAULT,
                                    g_task_get_cancellable (task), callback, task);
}

static void
handle_token_answer (GTask        *task,
                      GAsyncResult *result)
{
  Request *request = g_task_get_task_data (task);
  g_autoptr(MendOAuthToken) token = NULL;
  GError *error = NULL;
  char *body;

  body = finish_request (task, result, &error);
  if (body == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  token = mend_oauth_token_response_parse (body, request->settings, request->address, &error);
  wipe_free (body);
  if (token == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  if (request->old_token != NULL)
    {
      /* Microsoft may leave out the refresh token: the old one then stays good. */
      if (mend_oauth_token_get_refresh_token (token) == NULL)
        {
          g_debug ("The refresh answer has no refresh token: keeping the previous one");
          mend_oauth_token_set_refresh_token (token,
                                              mend_oauth_token_get_refresh_token (request->old_token));
        }
      if (mend_oauth_token_get_tenant_id (token) == NULL)
        mend_oauth_token_set_tenant_id (token, mend_oauth_token_get_tenant_id (request->old_token));
      if (mend_oauth_token_get_signed_in_as (token) == NULL)
        mend_oauth_token_set_signed_in_as (token,
                                           mend_oauth_token_get_signed_in_as (request->old_token));
      mend_oauth_token_set_ca_file (token, mend_oauth_token_get_ca_file (request->old_token));
    }

  g_task_return_pointer (task, g_steal_pointer (&token), g_object_unref);
}

static void
on_token_answer (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;

  handle_token_answer (task, result);
}

static void
mend_oauth_client_dispose (GObject *object)
{
  MendOAuthClient *self = (MendOAuthClient *) object;

  g_clear_object (&self->session);
  g_clear_object (&self->tls_database);

  G_OBJECT_CLASS (mend_oauth_client_parent_class)->dispose (object);
}

static void
mend_oauth_client_class_init (MendOAuthClientClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = mend_oauth_client_dispose;
}

static void
mend_oauth_client_init (MendOAuthClient *self)
{
}

/**
 * mend_oauth_client_new:
 *
 * Returns: (transfer full): a client with its own HTTP session
 */
MendOAuthClient *
mend_oauth_client_new (void)
{
  return g_object_new (MEND_TYPE_OAUTH_CLIENT, NULL);
}

/**
 * mend_oauth_client_set_ca_file:
 * @path: a PEM file of trusted certificates, relative or absolute
 *
 * Trusts the certificates of @path, instead of the system's, for a private test server (the
 * `--ca-file` option). Certificates are still verified.
 *
 * Returns: %FALSE with @error set when @path cannot be read
 */
gboolean
mend_oauth_client_set_ca_file (MendOAuthClient  *self,
                               const char       *path,
                               GError          **error)
{
  g_autofree char *absolute = NULL;
  g_autoptr(GTlsDatabase) database = NULL;

  g_return_val_if_fail (MEND_IS_OAUTH_CLIENT (self), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  /* g_tls_file_database_new() rejects every certificate for a relative path. */
  absolute = g_canonicalize_filename (path, NULL);
  database = g_tls_file_database_new (absolute, error);
  if (database == NULL)
    return FALSE;

  g_debug ("Trusting the certificates of %s", absolute);
  g_set_object (&self->tls_database, database);
  if (self->session != NULL)
    soup_session_set_tls_database (self->session, database);

  return TRUE;
}

/**
 * mend_oauth_client_exchange_code_async:
 * @flow: the sign-in the code belongs to
 * @code: the authorization code from mend_oauth_flow_parse_redirect()
 * @address: (nullable): the address being repaired; %NULL to take it from the id_token
 *
 * Redeems @code at the token endpoint (with the flow's PKCE verifier).
 */
void
mend_oauth_client_exchange_code_async (MendOAuthClient     *self,
                                       MendOAuthFlow       *flow,
                                       const char          *code,
                                       const char          *address,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data)
{
  GTask *task;
  Request *request;

  g_return_if_fail (MEND_IS_OAUTH_CLIENT (self));
  g_return_if_fail (MEND_IS_OAUTH_FLOW (flow));
  g_return_if_fail (code != NULL);
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = request_new (self, REQUEST_EXCHANGE_CODE, mend_oauth_flow_get_settings (flow),
                      cancellable, callback, user_data, mend_oauth_client_exchange_code_async);
  request = g_task_get_task_data (task);
  request->address = g_strdup (address);

  send_form (task, MEND_OAUTH_ENDPOINT_TOKEN, mend_oauth_flow_build_code_grant_body (flow, code),
             on_token_answer);
}

/**
 * mend_oauth_client_exchange_code_finish:
 *
 * Returns: (transfer full) (nullable): the new sign-in, or %NULL with @error set: a
 *   %MEND_OAUTH_ERROR error (the finding of Microsoft's answer), or the network's error
 *   (%G_IO_ERROR, %G_TLS_ERROR, …)
 */
MendOAuthToken *
mend_oauth_client_exchange_code_finish (MendOAuthClient  *self,
                                        GAsyncResult     *result,
                                        GError          **error)
{
  g_return_val_if_fail (MEND_IS_OAUTH_CLIENT (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_async_result_is_tagged (result, mend_oauth_client_exchange_code_async),
                        NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * mend_oauth_client_refresh_async:
 * @token: a stored sign-in, with its refresh token
 *
 * Renews @token at the authority, tenant and client id it was obtained from.
 */
void
mend_oauth_client_refresh_async (MendOAuthClient     *self,
                                 MendOAuthToken      *token,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_autoptr(MendOAuthSettings) settings = NULL;
  g_autoptr(GError) error = NULL;
  GTask *task;
  Request *request;

  g_return_if_fail (MEND_IS_OAUTH_CLIENT (self));
  g_return_if_fail (MEND_IS_OAUTH_TOKEN (token));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  settings = mend_oauth_settings_new_for_token (token, &error);
  if (settings == NULL || !mend_oauth_settings_check_client_id (settings, &error))
    {
      g_task_report_error (self, callback, user_data, mend_oauth_client_refresh_async,
                           g_steal_pointer (&error));
      return;
    }

  task = request_new (self, REQUEST_REFRESH, settings, cancellable, callback, user_data,
                      mend_oauth_client_refresh_async);
  request = g_task_get_task_data (task);
  request->address = g_strdup (mend_oauth_token_get_address (token));
  request->old_token = g_object_ref (token);
  if (mend_oauth_token_get_tenant_type (token) != MEND_TENANT_TYPE_UNKNOWN)
    request->tenant_type = mend_oauth_token_get_tenant_type (token);

  if (mend_oauth_token_get_refresh_token (token) == NULL)
    {
      MendOAuthErrorInfo info = { 0, };

      g_debug ("The sign-in for %s has no refresh token", request->address);
      info.error = "invalid_grant";
      info.tenant_type = request->tenant_type;
      g_task_return_error (task, mend_oauth_error_new_from_info (&info));
      g_object_unref (task);
      return;
    }

  send_form (task, MEND_OAUTH_ENDPOINT_TOKEN,
             mend_oauth_build_refresh_grant_body (settings, mend_oauth_token_get_refresh_token (token)),
             on_token_answer);
}

/**
 * mend_oauth_client_refresh_finish:
 *
 * Returns: (transfer full) (nullable): the renewed sign-in, which keeps the old refresh token
 *   when the answer has none; or %NULL with @error set, as
 *   mend_oauth_client_exchange_code_finish()
 */
MendOAuthToken *
mend_oauth_client_refresh_finish (MendOAuthClient  *self,
                                  GAsyncResult     *result,
                                  GError          **error)
{
  g_return_val_if_fail (MEND_IS_OAUTH_CLIENT (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_async_result_is_tagged (result, mend_oauth_client_refresh_async), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* Device code */

static void
on_device_code_answer (GObject      *source,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Request *request = g_task_get_task_data (task);
  MendOAuthDeviceCode *device_code;
  GError *error = NULL;
  char *body;

  body = finish_request (task, result, &error);
  if (body == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  device_code = mend_oauth_device_code_parse (body, request->settings, &error);
  wipe_free (body);
  if (device_code == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  g_debug ("Device code received: lasts %u s, poll every %u s", device_code->expires_in,
           device_code->interval);
  g_task_return_pointer (task, device_code, (GDestroyNotify) mend_oauth_device_code_free);
}

/**
 * mend_oauth_client_request_device_code_async:
 * @settings: where and as whom to sign in
 *
 * Asks the device-code endpoint for a code the user types on another device.
 */
void
mend_oauth_client_request_device_code_async (MendOAuthClient     *self,
                                             MendOAuthSettings   *settings,
                                             GCancellable        *cancellable,
                                             GAsyncReadyCallback  callback,
                                             gpointer             user_data)
{
  GError *error = NULL;
  GTask *task;

  g_return_if_fail (MEND_IS_OAUTH_CLIENT (self));
  g_return_if_fail (MEND_IS_OAUTH_SETTINGS (settings));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  if (!mend_oauth_settings_check_client_id (settings, &error))
    {
      g_task_report_error (self, callback, user_data, mend_oauth_client_request_device_code_async,
                           error);
      return;
    }

  task = request_new (self, REQUEST_DEVICE_CODE, settings, cancellable, callback, user_data,
                      mend_oauth_client_request_device_code_async);
  send_form (task, MEND_OAUTH_ENDPOINT_DEVICE_CODE, mend_oauth_build_device_code_body (settings),
             on_device_code_answer);
}

/**
 * mend_oauth_client_request_device_code_finish:
 *
 * Returns: (transfer full) (nullable): the device code, or %NULL with @error set
 */
MendOAuthDeviceCode *
mend_oauth_client_request_device_code_finish (MendOAuthClient  *self,
                                              GAsyncResult     *result,
                                              GError          **error)
{
  g_return_val_if_fail (MEND_IS_OAUTH_CLIENT (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_async_result_is_tagged (result, mend_oauth_client_request_device_code_async),
                        NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static void schedule_poll (GTask *task);

static void
on_poll_answer (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Request *request = g_task_get_task_data (task);
  g_autoptr(MendOAuthToken) token = NULL;
  GError *error = NULL;
  const char *oauth_error;
  char *body;

  body = finish_request (task, result, &error);
  if (body != NULL)
    {
      token = mend_oauth_token_response_parse (body, request->settings, request->address, &error);
      wipe_free (body);
    }

  if (token != NULL)
    {
      g_debug ("Device code redeemed after %u polls", request->polls);
      g_task_return_pointer (task, g_steal_pointer (&token), g_object_unref);
      return;
    }

  oauth_error = mend_oauth_error_get_oauth_error (error);
  if (g_strcmp0 (oauth_error, "authorization_pending") == 0)
    {
      g_clear_error (&error);
      schedule_poll (g_steal_pointer (&task));
      return;
    }

  if (g_strcmp0 (oauth_error, "slow_down") == 0)
    {
      g_clear_error (&error);
      request->interval_s += SLOW_DOWN_STEP_S;
      g_debug ("Asked to slow down: polling every %u s", request->interval_s);
      schedule_poll (g_steal_pointer (&task));
      return;
    }

  g_task_return_error (task, error);
}

static gboolean
on_poll_time (gpointer user_data)
{
  GTask *task = user_data;
  Request *request = g_task_get_task_data (task);
  MendOAuthSettings *settings = request->settings;

  request_stop_wait (request);
  request->polls++;
  send_form (task, MEND_OAUTH_ENDPOINT_TOKEN,
             mend_oauth_build_device_code_poll_body (settings, request->device_code->device_code),
             on_poll_answer);

  return G_SOURCE_REMOVE;
}

static gboolean
on_poll_cancelled (GCancellable *cancellable,
                   gpointer      user_data)
{
  GTask *task = user_data;

  request_stop_wait (g_task_get_task_data (task));
  g_task_return_error_if_cancelled (task);
  g_object_unref (task);

  return G_SOURCE_REMOVE;
}

/* Takes @task: waits the interval, then polls, unless the code expires first. */
static void
schedule_poll (GTask *task)
{
  Request *request = g_task_get_task_data (task);
  GCancellable *cancellable = g_task_get_cancellable (task);
  gint64 now = g_get_monotonic_time ();

  if (g_task_return_error_if_cancelled (task))
    {
      g_object_unref (task);
      return;
    }

  if (now + (gint64) request->interval_s * G_USEC_PER_SEC > request->deadline)
    {
      MendOAuthErrorInfo info = { 0, };

      g_debug ("The device code expired after %u polls", request->polls);
      info.error = "expired_token";
      info.tenant_type = request->tenant_type;
      g_task_return_error (task, mend_oauth_error_new_from_info (&info));
      g_object_unref (task);
      return;
    }

  /* Both sources hold the one reference to @task that the first of them to fire takes. */
  request->wait_source = g_timeout_source_new (request->interval_s * 1000);
  g_source_set_name (request->wait_source, "[mailmend] device-code poll");
  g_source_set_callback (request->wait_source, on_poll_time, task, NULL);
  g_source_attach (request->wait_source, g_task_get_context (task));

  if (cancellable != NULL)
    {
      request->cancel_source = g_cancellable_source_new (cancellable);
      g_source_set_name (request->cancel_source, "[mailmend] device-code cancel");
      g_source_set_callback (request->cancel_source, G_SOURCE_FUNC (on_poll_cancelled), task, NULL);
      g_source_attach (request->cancel_source, g_task_get_context (task));
    }
}

/**
 * mend_oauth_client_wait_for_device_code_async:
 * @settings: the settings the device code was requested with
 * @device_code: the device code
 * @address: (nullable): the address being repaired; %NULL to take it from the id_token
 *
 * Polls the token endpoint every `interval` seconds (five more after each `slow_down`) until
 * the user has signed in on the other device, declined, or the code expired.
 */
void
mend_oauth_client_wait_for_device_code_async (MendOAuthClient     *self,
                                              MendOAuthSettings   *settings,
                                              MendOAuthDeviceCode *device_code,
                                              const char          *address,
                                              GCancellable        *cancellable,
                                              GAsyncReadyCallback  callback,
                                              gpointer             user_data)
{
  GError *error = NULL;
  GTask *task;
  Request *request;

  g_return_if_fail (MEND_IS_OAUTH_CLIENT (self));
  g_return_if_fail (MEND_IS_OAUTH_SETTINGS (settings));
  g_return_if_fail (device_code != NULL && device_code->device_code != NULL);
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  if (!mend_oauth_settings_check_client_id (settings, &error))
    {
      g_task_report_error (self, callback, user_data, mend_oauth_client_wait_for_device_code_async,
                           error);
      return;
    }

  task = request_new (self, REQUEST_DEVICE_POLL, settings, cancellable, callback, user_data,
                      mend_oauth_client_wait_for_device_code_async);
  request = g_task_get_task_data (task);
  request->address = g_strdup (address);
  request->device_code = mend_oauth_device_code_copy (device_code);
  request->interval_s = MAX (device_code->interval, 1);
  request->deadline = g_get_monotonic_time () + (gint64) device_code->expires_in * G_USEC_PER_SEC;

  g_debug ("Waiting for the device-code sign-in: every %u s for %u s", request->interval_s,
           device_code->expires_in);
  schedule_poll (task);
}

/**
 * mend_oauth_client_wait_for_device_code_finish:
 *
 * Returns: (transfer full) (nullable): the new sign-in, or %NULL with @error set: the finding
 *   of a final answer (declined, expired, invalid code…), the network's error, or
 *   %G_IO_ERROR_CANCELLED
 */
MendOAuthToken *
mend_oauth_client_wait_for_device_code_finish (MendOAuthClient  *self,
                                               GAsyncResult     *result,
                                               GError          **error)
{
  g_return_val_if_fail (MEND_IS_OAUTH_CLIENT (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_async_result_is_tagged (result, mend_oauth_client_wait_for_device_code_async),
                        NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* Errors */

/**
 * mend_oauth_client_error_is_network:
 * @error: an error from this client
 *
 * Returns: whether @error means the identity platform could not be reached or spoken to
 *   safely (no network, a timeout, a refused connection, a bad certificate); a cancellation
 *   is not
 */
gboolean
mend_oauth_client_error_is_network (const GError *error)
{
  g_return_val_if_fail (error != NULL, FALSE);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return FALSE;

  return error->domain == G_IO_ERROR ||
         error->domain == G_RESOLVER_ERROR ||
         error->domain == G_TLS_ERROR ||
         error->domain == SOUP_SESSION_ERROR;
}

/**
 * mend_oauth_client_error_is_transient:
 * @error: an error from this client
 *
 * Returns: whether trying again later may work without signing in again: a network error,
 *   a server error or an unreadable answer (%MEND_OAUTH_ERROR_PROVIDER_ERROR), or throttling
 */
gboolean
mend_oauth_client_error_is_transient (const GError *error)
{
  g_return_val_if_fail (error != NULL, FALSE);

  return mend_oauth_client_error_is_network (error) ||
         g_error_matches (error, MEND_OAUTH_ERROR, MEND_OAUTH_ERROR_PROVIDER_ERROR) ||
         g_error_matches (error, MEND_OAUTH_ERROR, MEND_OAUTH_ERROR_SIGN_IN_THROTTLED);
}

/**
 * mend_oauth_client_error_to_finding:
 * @error: an error from this client
 *
 * Returns: (transfer full) (nullable): the finding for a %MEND_OAUTH_ERROR error or a network
 *   error; %NULL for a cancellation or any other error
 */
MendFinding *
mend_oauth_client_error_to_finding (const GError *error)
{
  MendFinding *finding;

  g_return_val_if_fail (error != NULL, NULL);

  if (error->domain == MEND_OAUTH_ERROR)
    return mend_oauth_error_get_finding (error);

  if (!mend_oauth_client_error_is_network (error))
    return NULL;

  if (error->domain == G_TLS_ERROR)
    finding = mend_finding_new ("tls-error", MEND_SEVERITY_ERROR,
                                _("The sign-in service’s identity could not be verified"),
                                _("The secure connection to Microsoft’s sign-in service failed, "
                                  "because its certificate is not trusted or the connection was "
                                  "tampered with. A proxy or a network login page may be "
                                  "intercepting the connection."),
                                _("Try another network, or ask whoever runs this one. Mailmend "
                                  "never signs in over a connection it cannot verify."));
  else
    finding = mend_finding_new ("network-error", MEND_SEVERITY_ERROR,
                                _("Microsoft’s sign-in service cannot be reached"),
                                _("Mailmend could not connect to Microsoft’s sign-in service, or "
                                  "it did not answer in time: there may be no network "
                                  "connection, or a firewall or proxy is in the way."),
                                _("Check the network connection and try again."));

  mend_finding_set_details (finding, error->message);

  return finding;
}
