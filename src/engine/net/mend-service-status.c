/* mend-service-status.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "mend-service-status"

#include "config.h"

#include <errno.h>
#include <string.h>

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <libsoup/soup.h>

#include "mend-service-status.h"
#include "mend-service-status-private.h"

/* Asks Microsoft's status feed how Outlook.com is doing. Best effort, and it fails open: a
 * network error, a timeout, an HTTP error, an answer that is not JSON (the feed's neighbours
 * answer 200 text/html with the web app's shell) or one in an unknown format all give a report
 * in the unknown state, never an error; only cancellation is one. Good answers are cached for
 * 10 minutes, in memory and in $XDG_CACHE_HOME/mailmend/service-status so that successive
 * `mailmend` runs share them; failures are not cached at all, so “Check Again” retries them. */
struct _MendServiceStatus
{
  GObject           parent_instance;

  char             *url;
  SoupSession      *session;
  MendStatusReport *report;
  gint64            report_time;
  guint             timeout_ms;
  guint             max_age_s;
};

G_DEFINE_FINAL_TYPE (MendServiceStatus, mend_service_status, G_TYPE_OBJECT)

/* The feed is about 10 KiB; anything much bigger is not it. */
#define MAX_BODY_SIZE   (1024 * 1024)
#define READ_SIZE       16384
#define CACHE_MAGIC     "Mailmend service status 1"
/* A cache from the future means the clock moved: beyond this slack, it is not trusted. */
#define FUTURE_SLACK_US (60 * G_USEC_PER_SEC)

typedef struct
{
  SoupMessage  *msg;
  GInputStream *stream;
  GByteArray   *body;
  GCancellable *cancellable;
  GCancellable *caller_cancellable;
  gulong        cancelled_id;
  GSource      *timeout_source;
  gboolean      timed_out;
} Request;

static void
request_free (gpointer data)
{
  Request *request = data;

  if (request->timeout_source != NULL)
    {
      g_source_destroy (request->timeout_source);
      g_source_unref (request->timeout_source);
    }
  if (request->cancelled_id != 0)
    g_cancellable_disconnect (request->caller_cancellable, request->cancelled_id);
  g_clear_object (&request->caller_cancellable);
  g_clear_object (&request->cancellable);
  g_clear_object (&request->msg);
  g_clear_object (&request->stream);
  g_clear_pointer (&request->body, g_byte_array_unref);
  g_free (request);
}

static char *
get_cache_path (void)
{
  return g_build_filename (g_get_user_cache_dir (), "mailmend", "service-status", NULL);
}

static gboolean
is_fresh (MendServiceStatus *self,
          gint64             fetched_at)
{
  gint64 now = g_get_real_time ();

  return fetched_at <= now + FUTURE_SLACK_US &&
         now - fetched_at < (gint64) self->max_age_s * G_USEC_PER_SEC;
}

static void
remember (MendServiceStatus *self,
          MendStatusReport  *report,
          gint64             fetched_at)
{
  g_autoptr(GDateTime) checked_at = g_date_time_new_from_unix_utc (fetched_at / G_USEC_PER_SEC);

  mend_status_report_set_checked_at (report, checked_at);
  g_set_object (&self->report, report);
  self->report_time = fetched_at;
}

/* The cache file: a magic line, the time of the answer (µs since 1970), the address it came
 * from, then the body as Microsoft sent it, parsed again on load. */
static MendStatusReport *
load_cache (MendServiceStatus *self)
{
  g_autofree char *path = get_cache_path ();
  g_autofree char *contents = NULL;
  g_autoptr(MendStatusReport) report = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) header = NULL;
  const char *body;
  gsize length;
  GStatBuf st;
  gint64 fetched_at;

  if (g_stat (path, &st) != 0 || st.st_size > MAX_BODY_SIZE + 4096 ||
      !g_file_get_contents (path, &contents, &length, NULL))
    return NULL;

  header = g_strsplit (contents, "\n", 4);
  if (g_strv_length (header) != 4 || !g_str_equal (header[0], CACHE_MAGIC) ||
      !g_ascii_string_to_signed (header[1], 10, 0, G_MAXINT64, &fetched_at, NULL) ||
      !g_str_equal (header[2], self->url))
    {
      g_debug ("Ignoring %s: not a cache of %s", path, self->url);
      return NULL;
    }

  if (!is_fresh (self, fetched_at))
    {
      g_debug ("Ignoring %s: too old", path);
      return NULL;
    }

  body = contents + strlen (header[0]) + strlen (header[1]) + strlen (header[2]) + 3;
  report = mend_status_report_parse (body, length - (body - contents), &error);
  if (report == NULL)
    {
      g_debug ("Ignoring %s: %s", path, error->message);
      return NULL;
    }

  g_debug ("Using the status cached in %s", path);
  remember (self, report, fetched_at);

  return g_steal_pointer (&report);
}

static void
save_cache (MendServiceStatus *self,
            GBytes            *body)
{
  g_autofree char *path = get_cache_path ();
  g_autofree char *folder = g_path_get_dirname (path);
  g_autoptr(GString) contents = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  gsize size;
  const char *data = g_bytes_get_data (body, &size);

  /* The address is a line of its own. */
  if (strchr (self->url, '\n') != NULL)
    return;

  g_string_append_printf (contents, "%s\n%" G_GINT64_FORMAT "\n%s\n", CACHE_MAGIC,
                          self->report_time, self->url);
  g_string_append_len (contents, data, size);

  if (g_mkdir_with_parents (folder, 0700) != 0)
    {
      g_debug ("Cannot create %s: %s", folder, g_strerror (errno));
      return;
    }

  if (!g_file_set_contents_full (path, contents->str, contents->len,
                                 G_FILE_SET_CONTENTS_CONSISTENT, 0600, &error))
    g_debug ("Cannot cache the status: %s", error->message);
}

static void
return_unknown (GTask        *task,
                const GError *reason)
{
  MendServiceStatus *self = g_task_get_source_object (task);
  g_autoptr(GError) details = NULL;

  /* Support staff want to know which address failed. */
  details = g_error_new (reason->domain, reason->code, "%s: %s", self->url, reason->message);
  g_debug ("Service status unknown: %s", details->message);

  g_task_return_pointer (task, mend_status_report_new_unknown (details), g_object_unref);
}

static void
fail (GTask  *task,
      GError *error)
{
  Request *request = g_task_get_task_data (task);
  g_autoptr(GError) owned = error;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      MendServiceStatus *self = g_task_get_source_object (task);
      g_autoptr(GError) timeout = NULL;

      if (!request->timed_out)
        {
          g_task_return_error (task, g_steal_pointer (&owned));
          return;
        }

      timeout = g_error_new (MEND_SERVICE_STATUS_ERROR, MEND_SERVICE_STATUS_ERROR_TIMEOUT,
                             g_dngettext (GETTEXT_PACKAGE,
                                          "No answer within %u second.",
                                          "No answer within %u seconds.",
                                          MAX (1, self->timeout_ms / 1000)),
                             MAX (1, self->timeout_ms / 1000));
      return_unknown (task, timeout);
      return;
    }

  return_unknown (task, error);
}

static void
finish_body (GTask *task)
{
  MendServiceStatus *self = g_task_get_source_object (task);
  Request *request = g_task_get_task_data (task);
  g_autoptr(MendStatusReport) report = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;

  body = g_byte_array_free_to_bytes (g_steal_pointer (&request->body));
  g_debug ("Read %" G_GSIZE_FORMAT " bytes from %s", g_bytes_get_size (body), self->url);

  report = mend_status_report_parse (g_bytes_get_data (body, NULL), g_bytes_get_size (body),
                                     &error);
  if (report == NULL)
    {
      return_unknown (task, error);
      return;
    }

  remember (self, report, g_get_real_time ());
  save_cache (self, body);

  g_task_return_pointer (task, g_steal_pointer (&report), g_object_unref);
}

static void
on_read (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Request *request = g_task_get_task_data (task);
  g_autoptr(GBytes) bytes = NULL;
  GError *error = NULL;

  bytes = g_input_stream_read_bytes_finish (G_INPUT_STREAM (source), result, &error);
  if (bytes == NULL)
    {
      fail (task, error);
      return;
    }

  if (g_bytes_get_size (bytes) == 0)
    {
      finish_body (task);
      return;
    }

  if (request->body->len + g_bytes_get_size (bytes) > MAX_BODY_SIZE)
    {
      fail (task, g_error_new (MEND_SERVICE_STATUS_ERROR, MEND_SERVICE_STATUS_ERROR_TOO_LARGE,
                               _("The answer is larger than %u KiB."), MAX_BODY_SIZE / 1024));
      return;
    }

  g_byte_array_append (request->body, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  g_input_stream_read_bytes_async (request->stream, READ_SIZE, G_PRIORITY_DEFAULT,
                                   request->cancellable, on_read, g_steal_pointer (&task));
}

static gboolean
is_json_type (const char *content_type)
{
  return content_type != NULL &&
         (g_ascii_strcasecmp (content_type, "application/json") == 0 ||
          g_ascii_strcasecmp (content_type, "text/json") == 0 ||
          g_str_has_suffix (content_type, "+json"));
}

static void
on_sent (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Request *request = g_task_get_task_data (task);
  SoupMessageHeaders *headers;
  const char *content_type;
  GError *error = NULL;
  goffset length;
  guint status;

  request->stream = soup_session_send_finish (SOUP_SESSION (source), result, &error);
  if (request->stream == NULL)
    {
      fail (task, error);
      return;
    }

  status = soup_message_get_status (request->msg);
  headers = soup_message_get_response_headers (request->msg);
  content_type = soup_message_headers_get_content_type (headers, NULL);
  g_debug ("HTTP %u, %s", status, content_type ? content_type : "no content type");

  if (!SOUP_STATUS_IS_SUCCESSFUL (status))
    {
      fail (task, g_error_new (MEND_SERVICE_STATUS_ERROR, MEND_SERVICE_STATUS_ERROR_HTTP,
                               /* Translators: %u is an HTTP status code, %s its meaning in English,
                                * such as “Internal Server Error”. */
                               _("The server answered with HTTP %u (%s)."), status,
                               soup_message_get_reason_phrase (request->msg)));
      return;
    }

  /* The feed's neighbours answer 200 with the web app's HTML: never read that as a status. */
  if (!is_json_type (content_type))
    {
      fail (task, g_error_new (MEND_SERVICE_STATUS_ERROR, MEND_SERVICE_STATUS_ERROR_CONTENT_TYPE,
                               /* Translators: %s is a content type, such as “text/html”. */
                               _("The answer is %s, not JSON."),
                               content_type ? content_type : "untyped"));
      return;
    }

  length = soup_message_headers_get_content_length (headers);
  if (length > MAX_BODY_SIZE)
    {
      fail (task, g_error_new (MEND_SERVICE_STATUS_ERROR, MEND_SERVICE_STATUS_ERROR_TOO_LARGE,
                               _("The answer is larger than %u KiB."), MAX_BODY_SIZE / 1024));
      return;
    }

  request->body = g_byte_array_new ();
  g_input_stream_read_bytes_async (request->stream, READ_SIZE, G_PRIORITY_DEFAULT,
                                   request->cancellable, on_read, g_steal_pointer (&task));
}

static gboolean
on_timeout (gpointer user_data)
{
  Request *request = user_data;

  request->timed_out = TRUE;
  g_cancellable_cancel (request->cancellable);
  g_clear_pointer (&request->timeout_source, g_source_unref);

  return G_SOURCE_REMOVE;
}

static void
on_caller_cancelled (GCancellable *caller_cancellable,
                     GCancellable *cancellable)
{
  g_cancellable_cancel (cancellable);
}

static SoupSession *
get_session (MendServiceStatus *self)
{
  if (self->session == NULL)
    {
      g_autofree char *user_agent = g_strdup_printf ("Mailmend/%s", PACKAGE_VERSION);

      self->session = soup_session_new_with_options ("user-agent", user_agent, NULL);
    }

  return self->session;
}

static void
mend_service_status_finalize (GObject *object)
{
  MendServiceStatus *self = (MendServiceStatus *) object;

  g_free (self->url);
  g_clear_object (&self->session);
  g_clear_object (&self->report);

  G_OBJECT_CLASS (mend_service_status_parent_class)->finalize (object);
}

static void
mend_service_status_class_init (MendServiceStatusClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = mend_service_status_finalize;
}

static void
mend_service_status_init (MendServiceStatus *self)
{
  self->timeout_ms = MEND_SERVICE_STATUS_TIMEOUT_S * 1000;
  self->max_age_s = MEND_SERVICE_STATUS_MAX_AGE_S;
}

/**
 * mend_service_status_new:
 *
 * Checks Microsoft's feed, or the address in `MAILMEND_STATUS_URL`: a hook for tests,
 * which serve their own feed on loopback.
 *
 * Returns: (transfer full): a new #MendServiceStatus
 */
MendServiceStatus *
mend_service_status_new (void)
{
  const char *url = g_getenv ("MAILMEND_STATUS_URL");

  return mend_service_status_new_for_url (url != NULL && url[0] != '\0' ? url
                                                                        : MEND_SERVICE_STATUS_URL);
}

MendServiceStatus *
mend_service_status_new_for_url (const char *url)
{
  MendServiceStatus *self;

  g_return_val_if_fail (url != NULL, NULL);

  self = g_object_new (MEND_TYPE_SERVICE_STATUS, NULL);
  self->url = g_strdup (url);

  return self;
}

const char *
mend_service_status_get_url (MendServiceStatus *self)
{
  g_return_val_if_fail (MEND_IS_SERVICE_STATUS (self), NULL);

  return self->url;
}

/**
 * mend_service_status_check_async:
 *
 * Finds out how Outlook.com is doing: from the cache when an answer less than 10 minutes old
 * is there, else from the network, within 10 seconds.
 */
void
mend_service_status_check_async (MendServiceStatus   *self,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(MendStatusReport) cached = NULL;
  Request *request;

  g_return_if_fail (MEND_IS_SERVICE_STATUS (self));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, mend_service_status_check_async);

  if (g_task_return_error_if_cancelled (task))
    return;

  if (self->report != NULL && is_fresh (self, self->report_time))
    {
      g_task_return_pointer (task, g_object_ref (self->report), g_object_unref);
      return;
    }

  if ((cached = load_cache (self)) != NULL)
    {
      g_task_return_pointer (task, g_steal_pointer (&cached), g_object_unref);
      return;
    }

  request = g_new0 (Request, 1);
  g_task_set_task_data (task, request, request_free);

  request->msg = soup_message_new (SOUP_METHOD_GET, self->url);
  if (request->msg == NULL)
    {
      g_autoptr(GError) error = NULL;

      error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                                   _("This is not a web address."));
      return_unknown (task, error);
      return;
    }
  soup_message_headers_replace (soup_message_get_request_headers (request->msg),
                                "Accept", "application/json");

  request->cancellable = g_cancellable_new ();
  if (cancellable != NULL)
    {
      request->caller_cancellable = g_object_ref (cancellable);
      request->cancelled_id = g_cancellable_connect (cancellable, G_CALLBACK (on_caller_cancelled),
                                                     request->cancellable, NULL);
    }

  request->timeout_source = g_timeout_source_new (self->timeout_ms);
  g_source_set_callback (request->timeout_source, on_timeout, request, NULL);
  g_source_attach (request->timeout_source, g_main_context_get_thread_default ());

  g_debug ("Fetching %s", self->url);
  soup_session_send_async (get_session (self), request->msg, G_PRIORITY_DEFAULT,
                           request->cancellable, on_sent, g_steal_pointer (&task));
}

/**
 * mend_service_status_check_finish:
 *
 * Returns: (transfer full) (nullable): the report (shared: do not change it), or %NULL with
 *   @error set when the check was cancelled; a failed check gives a report in the unknown
 *   state, not an error
 */
MendStatusReport *
mend_service_status_check_finish (MendServiceStatus  *self,
                                  GAsyncResult       *result,
                                  GError            **error)
{
  g_return_val_if_fail (MEND_IS_SERVICE_STATUS (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_async_result_is_tagged (result, mend_service_status_check_async), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

void
_mend_service_status_set_timeout (MendServiceStatus *self,
                                  guint              timeout_ms)
{
  g_return_if_fail (MEND_IS_SERVICE_STATUS (self));
  g_return_if_fail (timeout_ms > 0);

  self->timeout_ms = timeout_ms;
}

void
_mend_service_status_set_max_age (MendServiceStatus *self,
                                  guint              max_age_s)
{
  g_return_if_fail (MEND_IS_SERVICE_STATUS (self));

  self->max_age_s = max_age_s;
}
