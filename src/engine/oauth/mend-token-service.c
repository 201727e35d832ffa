/* mend-token-service.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "mend-token-service"

#include "config.h"

#include <glib/gi18n.h>

#include "mend-oauth-error.h"
#include "mend-token-service.h"

/* Serves access tokens from the keyring, renewing them when they are about to expire. A
 * renewal follows the protocol of mend-token-store.h: it is single-flight across processes
 * (the address's lock), reads the keyring again once the lock is held (another process may
 * have renewed meanwhile), and stores the newest refresh token before the lock is released.
 * When Microsoft cannot be reached but the stored access token is still good, that token is
 * served, marked stale: the mail client works, and the next call tries again. */
struct _MendTokenService
{
  GObject          parent_instance;

  MendTokenStore  *store;
  MendOAuthClient *client;
};

G_DEFINE_FINAL_TYPE (MendTokenService, mend_token_service, G_TYPE_OBJECT)

G_DEFINE_QUARK (mend-token-service-error-quark, mend_token_service_error)

/* A token that another process renewed while this one waited for the lock is used as it is,
 * as long as it has this much left (the provider may hand out short-lived tokens). */
#define RENEWED_ELSEWHERE_MIN_VALIDITY (10 * G_TIME_SPAN_SECOND)

typedef struct
{
  char           *address;
  MendOAuthToken *first;
  MendOAuthToken *current;
  MendTokenLock  *lock;
  gboolean        stale;
} Operation;

static void
operation_free (gpointer data)
{
  Operation *op = data;

  g_free (op->address);
  g_clear_object (&op->first);
  g_clear_object (&op->current);
  g_clear_pointer (&op->lock, mend_token_lock_unref);
  g_free (op);
}

static gboolean
is_fresh (MendOAuthToken *token)
{
  return !mend_oauth_token_expires_within (token, MEND_TOKEN_SERVICE_MIN_VALIDITY);
}

static gboolean
is_valid (MendOAuthToken *token)
{
  return !mend_oauth_token_expires_within (token, 0);
}

static void
return_token (GTask          *task,
              MendOAuthToken *token,
              gboolean        stale)
{
  Operation *op = g_task_get_task_data (task);

  /* Released before the caller hears of it: another process may be waiting. */
  g_clear_pointer (&op->lock, mend_token_lock_unref);
  op->stale = stale;
  g_task_return_pointer (task, g_object_ref (token), g_object_unref);
}

static void
return_error (GTask  *task,
              GError *error)
{
  Operation *op = g_task_get_task_data (task);

  g_clear_pointer (&op->lock, mend_token_lock_unref);
  g_task_return_error (task, error);
}

static GError *
not_signed_in_error_new (const char *address)
{
  /* Translators: %s is an e-mail address. */
  return g_error_new (MEND_TOKEN_SERVICE_ERROR, MEND_TOKEN_SERVICE_ERROR_NOT_SIGNED_IN,
                      _("Mailmend keeps no sign-in for %s."), address);
}

/* Serves the token we had, if it is still good, after a renewal failed for a reason that is
 * not the sign-in's fault. Takes @error. */
static void
return_stale_or_error (GTask          *task,
                       MendOAuthToken *token,
                       GError         *error)
{
  Operation *op = g_task_get_task_data (task);

  if (token != NULL && is_valid (token) &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_debug ("Could not renew the sign-in for %s (%s); serving the current access token",
               op->address, error->message);
      g_error_free (error);
      return_token (task, token, TRUE);
      return;
    }

  return_error (task, error);
}

static void
on_stored (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Operation *op = g_task_get_task_data (task);
  GError *error = NULL;

  if (!mend_token_store_store_finish (MEND_TOKEN_STORE (source), result, &error))
    {
      g_debug ("Could not store the renewed sign-in for %s", op->address);
      return_error (task, error);
      return;
    }

  return_token (task, op->current, FALSE);
}

static void
on_refreshed (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GCancellable *cancellable = g_task_get_cancellable (task);
  MendTokenService *self = g_task_get_source_object (task);
  Operation *op = g_task_get_task_data (task);
  g_autoptr(MendOAuthToken) token = NULL;
  GError *error = NULL;

  token = mend_oauth_client_refresh_finish (MEND_OAUTH_CLIENT (source), result, &error);
  if (token == NULL)
    {
      if (mend_oauth_client_error_is_transient (error))
        return_stale_or_error (task, op->current, error);
      else
        return_error (task, error);
      return;
    }

  g_debug ("Renewed the sign-in for %s; storing it before releasing the lock", op->address);
  g_set_object (&op->current, token);
  mend_token_store_store_async (self->store, token, cancellable, on_stored,
                                g_steal_pointer (&task));
}

static void
on_second_lookup (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GCancellable *cancellable = g_task_get_cancellable (task);
  MendTokenService *self = g_task_get_source_object (task);
  Operation *op = g_task_get_task_data (task);
  g_autoptr(MendOAuthToken) token = NULL;
  GError *error = NULL;

  token = mend_token_store_lookup_finish (MEND_TOKEN_STORE (source), result, &error);
  if (error != NULL)
    {
      return_error (task, error);
      return;
    }

  if (token == NULL)
    {
      g_debug ("The sign-in for %s was removed meanwhile", op->address);
      return_error (task, not_signed_in_error_new (op->address));
      return;
    }

  if (is_fresh (token))
    {
      g_debug ("Another process renewed the sign-in for %s", op->address);
      return_token (task, token, FALSE);
      return;
    }

  if (g_strcmp0 (mend_oauth_token_get_access_token (token),
                 mend_oauth_token_get_access_token (op->first)) != 0 &&
      !mend_oauth_token_expires_within (token, RENEWED_ELSEWHERE_MIN_VALIDITY))
    {
      g_debug ("Another process renewed the sign-in for %s (a short-lived token)", op->address);
      return_token (task, token, FALSE);
      return;
    }

  /* A sign-in made against a private test provider trusts its CA again. */
  if (mend_oauth_token_get_ca_file (token) != NULL)
    {
      if (!mend_oauth_client_set_ca_file (self->client, mend_oauth_token_get_ca_file (token),
                                          &error))
        {
          return_error (task, error);
          return;
        }
    }

  g_set_object (&op->current, token);
  mend_oauth_client_refresh_async (self->client, token, cancellable,
                                   on_refreshed, g_steal_pointer (&task));
}

static void
on_locked (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GCancellable *cancellable = g_task_get_cancellable (task);
  MendTokenService *self = g_task_get_source_object (task);
  Operation *op = g_task_get_task_data (task);
  GError *error = NULL;

  op->lock = mend_token_store_lock_address_finish (MEND_TOKEN_STORE (source), result, &error);
  if (op->lock == NULL)
    {
      g_debug ("No refresh lock for %s: %s", op->address, error->message);
      return_stale_or_error (task, op->first, error);
      return;
    }

  mend_token_store_lookup_async (self->store, op->address, cancellable,
                                 on_second_lookup, g_steal_pointer (&task));
}

static void
on_first_lookup (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GCancellable *cancellable = g_task_get_cancellable (task);
  MendTokenService *self = g_task_get_source_object (task);
  Operation *op = g_task_get_task_data (task);
  g_autoptr(MendOAuthToken) token = NULL;
  GError *error = NULL;

  token = mend_token_store_lookup_finish (MEND_TOKEN_STORE (source), result, &error);
  if (error != NULL)
    {
      return_error (task, error);
      return;
    }

  if (token == NULL)
    {
      return_error (task, not_signed_in_error_new (op->address));
      return;
    }

  if (is_fresh (token))
    {
      g_debug ("The access token for %s is fresh", op->address);
      return_token (task, token, FALSE);
      return;
    }

  g_debug ("The access token for %s expires within %d minutes: renewing it", op->address,
           (int) (MEND_TOKEN_SERVICE_MIN_VALIDITY / G_TIME_SPAN_MINUTE));
  op->first = g_steal_pointer (&token);
  mend_token_store_lock_address_async (self->store, op->address, cancellable,
                                       on_locked, g_steal_pointer (&task));
}

static void
mend_token_service_dispose (GObject *object)
{
  MendTokenService *self = (MendTokenService *) object;

  g_clear_object (&self->store);
  g_clear_object (&self->client);

  G_OBJECT_CLASS (mend_token_service_parent_class)->dispose (object);
}

static void
mend_token_service_class_init (MendTokenServiceClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = mend_token_service_dispose;
}

static void
mend_token_service_init (MendTokenService *self)
{
}

/**
 * mend_token_service_new:
 *
 * Returns: (transfer full): a service on the system keyring, with its own client
 */
MendTokenService *
mend_token_service_new (void)
{
  g_autoptr(MendTokenStore) store = mend_token_store_new ();
  g_autoptr(MendOAuthClient) client = mend_oauth_client_new ();

  return mend_token_service_new_full (store, client);
}

/**
 * mend_token_service_new_full:
 * @store: where the sign-ins are kept
 * @client: how they are renewed (say, one with a test server's CA file)
 *
 * Returns: (transfer full): a new service
 */
MendTokenService *
mend_token_service_new_full (MendTokenStore  *store,
                             MendOAuthClient *client)
{
  MendTokenService *self;

  g_return_val_if_fail (MEND_IS_TOKEN_STORE (store), NULL);
  g_return_val_if_fail (MEND_IS_OAUTH_CLIENT (client), NULL);

  self = g_object_new (MEND_TYPE_TOKEN_SERVICE, NULL);
  self->store = g_object_ref (store);
  self->client = g_object_ref (client);

  return self;
}

/**
 * mend_token_service_get_store:
 *
 * Returns: (transfer none): the store
 */
MendTokenStore *
mend_token_service_get_store (MendTokenService *self)
{
  g_return_val_if_fail (MEND_IS_TOKEN_SERVICE (self), NULL);

  return self->store;
}

/**
 * mend_token_service_get_client:
 *
 * Returns: (transfer none): the client
 */
MendOAuthClient *
mend_token_service_get_client (MendTokenService *self)
{
  g_return_val_if_fail (MEND_IS_TOKEN_SERVICE (self), NULL);

  return self->client;
}

/**
 * mend_token_service_get_access_token_async:
 * @address: the e-mail address, in any case
 *
 * Gets the stored sign-in for @address with an access token good for at least five more
 * minutes, renewing it if needed.
 */
void
mend_token_service_get_access_token_async (MendTokenService    *self,
                                           const char          *address,
                                           GCancellable        *cancellable,
                                           GAsyncReadyCallback  callback,
                                           gpointer             user_data)
{
  GTask *task;
  Operation *op;

  g_return_if_fail (MEND_IS_TOKEN_SERVICE (self));
  g_return_if_fail (address != NULL);
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, mend_token_service_get_access_token_async);
  op = g_new0 (Operation, 1);
  op->address = mend_token_store_normalize_address (address);
  if (op->address == NULL)
    op->address = g_strdup (address);
  g_task_set_task_data (task, op, operation_free);

  mend_token_store_lookup_async (self->store, address, cancellable, on_first_lookup, task);
}

/**
 * mend_token_service_get_access_token_finish:
 * @stale: (out) (optional): set to %TRUE when the token could not be renewed (Microsoft could
 *   not be reached, say) and is served because it is still valid, though for less than five
 *   minutes
 *
 * Returns: (transfer full) (nullable): the sign-in, or %NULL with @error set:
 *   %MEND_TOKEN_SERVICE_ERROR_NOT_SIGNED_IN, a %MEND_TOKEN_STORE_ERROR, a %MEND_OAUTH_ERROR
 *   (the refresh token was refused: mend_token_service_error_needs_sign_in()), or a network
 *   error
 */
MendOAuthToken *
mend_token_service_get_access_token_finish (MendTokenService  *self,
                                            GAsyncResult      *result,
                                            gboolean          *stale,
                                            GError           **error)
{
  Operation *op;

  g_return_val_if_fail (MEND_IS_TOKEN_SERVICE (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_async_result_is_tagged (result, mend_token_service_get_access_token_async),
                        NULL);

  op = g_task_get_task_data (G_TASK (result));
  if (stale != NULL)
    *stale = op->stale;

  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
on_sync_done (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

static void
wait_for (GAsyncResult **result)
{
  GMainContext *context = g_main_context_get_thread_default ();

  while (*result == NULL)
    g_main_context_iteration (context, TRUE);
}

/**
 * mend_token_service_get_access_token_sync:
 *
 * Like mend_token_service_get_access_token_async(), iterating the thread-default main context
 * until done (for the command line).
 */
MendOAuthToken *
mend_token_service_get_access_token_sync (MendTokenService  *self,
                                          const char        *address,
                                          GCancellable      *cancellable,
                                          gboolean          *stale,
                                          GError           **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  g_return_val_if_fail (MEND_IS_TOKEN_SERVICE (self), NULL);
  g_return_val_if_fail (address != NULL, NULL);

  mend_token_service_get_access_token_async (self, address, cancellable, on_sync_done, &result);
  wait_for (&result);

  return mend_token_service_get_access_token_finish (self, result, stale, error);
}

/* save */

static void
on_saved (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Operation *op = g_task_get_task_data (task);
  GError *error = NULL;

  if (!mend_token_store_store_finish (MEND_TOKEN_STORE (source), result, &error))
    {
      return_error (task, error);
      return;
    }

  g_debug ("Saved the sign-in for %s", op->address);
  g_clear_pointer (&op->lock, mend_token_lock_unref);
  g_task_return_boolean (task, TRUE);
}

static void
on_save_locked (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GCancellable *cancellable = g_task_get_cancellable (task);
  MendTokenService *self = g_task_get_source_object (task);
  Operation *op = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  op->lock = mend_token_store_lock_address_finish (MEND_TOKEN_STORE (source), result, &error);
  if (op->lock == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_task_return_error (task, g_steal_pointer (&error));
          return;
        }
      /* A sign-in is worth keeping even without the lock (no runtime folder, say). */
      g_debug ("Saving the sign-in for %s without the refresh lock: %s", op->address,
               error->message);
    }

  mend_token_store_store_async (self->store, op->current, cancellable, on_saved,
                                g_steal_pointer (&task));
}

/**
 * mend_token_service_save_async:
 * @token: a new sign-in
 *
 * Keeps @token in the keyring, replacing the sign-in kept for its address. Waits for a renewal
 * running in another process first, so that it cannot overwrite the new sign-in.
 */
void
mend_token_service_save_async (MendTokenService    *self,
                               MendOAuthToken      *token,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  GTask *task;
  Operation *op;

  g_return_if_fail (MEND_IS_TOKEN_SERVICE (self));
  g_return_if_fail (MEND_IS_OAUTH_TOKEN (token));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, mend_token_service_save_async);
  op = g_new0 (Operation, 1);
  op->address = g_strdup (mend_oauth_token_get_address (token));
  op->current = g_object_ref (token);
  g_task_set_task_data (task, op, operation_free);

  mend_token_store_lock_address_async (self->store, op->address, cancellable, on_save_locked, task);
}

gboolean
mend_token_service_save_finish (MendTokenService  *self,
                                GAsyncResult      *result,
                                GError           **error)
{
  g_return_val_if_fail (MEND_IS_TOKEN_SERVICE (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_async_result_is_tagged (result, mend_token_service_save_async), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

gboolean
mend_token_service_save_sync (MendTokenService  *self,
                              MendOAuthToken    *token,
                              GCancellable      *cancellable,
                              GError           **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  g_return_val_if_fail (MEND_IS_TOKEN_SERVICE (self), FALSE);

  mend_token_service_save_async (self, token, cancellable, on_sync_done, &result);
  wait_for (&result);

  return mend_token_service_save_finish (self, result, error);
}

/**
 * mend_token_service_error_needs_sign_in:
 * @error: an error from this service
 *
 * Returns: whether only a new sign-in helps: nothing is stored, the stored sign-in is damaged,
 *   or Microsoft refused the refresh token (expired, revoked, or a new sign-in, consent or
 *   verification is required)
 */
gboolean
mend_token_service_error_needs_sign_in (const GError *error)
{
  g_return_val_if_fail (error != NULL, FALSE);

  if (g_error_matches (error, MEND_TOKEN_SERVICE_ERROR, MEND_TOKEN_SERVICE_ERROR_NOT_SIGNED_IN) ||
      g_error_matches (error, MEND_TOKEN_STORE_ERROR, MEND_TOKEN_STORE_ERROR_CORRUPT))
    return TRUE;

  if (error->domain != MEND_OAUTH_ERROR)
    return FALSE;

  switch ((MendOAuthError) error->code)
    {
    case MEND_OAUTH_ERROR_TOKEN_EXPIRED:
    case MEND_OAUTH_ERROR_MFA_REQUIRED:
    case MEND_OAUTH_ERROR_CONSENT_DECLINED:
    case MEND_OAUTH_ERROR_ADMIN_CONSENT_REQUIRED:
    case MEND_OAUTH_ERROR_CONDITIONAL_ACCESS:
    case MEND_OAUTH_ERROR_PASSWORD_WRONG:
    case MEND_OAUTH_ERROR_ACCOUNT_LOCKED:
    case MEND_OAUTH_ERROR_ACCOUNT_NOT_FOUND:
      return TRUE;

    case MEND_OAUTH_ERROR_PROVIDER_ERROR:
    case MEND_OAUTH_ERROR_WRONG_ACCOUNT_TYPE:
    case MEND_OAUTH_ERROR_APP_NOT_REGISTERED:
    case MEND_OAUTH_ERROR_CODE_EXPIRED:
    case MEND_OAUTH_ERROR_DEVICE_CODE_EXPIRED:
    case MEND_OAUTH_ERROR_DEVICE_CODE_DECLINED:
    case MEND_OAUTH_ERROR_DEVICE_CODE_INVALID:
    case MEND_OAUTH_ERROR_AUTHORIZATION_PENDING:
    case MEND_OAUTH_ERROR_SLOW_DOWN:
    case MEND_OAUTH_ERROR_SIGN_IN_THROTTLED:
    case MEND_OAUTH_ERROR_CLIENT_ID_MISSING:
    case MEND_OAUTH_ERROR_CLIENT_ID_INVALID:
    case MEND_OAUTH_ERROR_AUTHORITY_INVALID:
    case MEND_OAUTH_ERROR_TENANT_INVALID:
    case MEND_OAUTH_ERROR_STATE_MISMATCH:
    case MEND_OAUTH_ERROR_REDIRECT_INVALID:
    default:
      return FALSE;
    }
}

/**
 * mend_token_service_error_to_finding:
 * @error: an error from this service, its store or its client
 *
 * Returns: (transfer full) (nullable): what to tell the user; %NULL for a cancellation or an
 *   error of another kind
 */
MendFinding *
mend_token_service_error_to_finding (const GError *error)
{
  MendFinding *finding;

  g_return_val_if_fail (error != NULL, NULL);

  if (error->domain == MEND_TOKEN_STORE_ERROR)
    return mend_token_store_error_to_finding (error);

  if (error->domain != MEND_TOKEN_SERVICE_ERROR)
    return mend_oauth_client_error_to_finding (error);

  finding = mend_finding_new ("not-signed-in", MEND_SEVERITY_ERROR,
                              _("Not signed in"),
                              _("Mailmend keeps no sign-in for this address, so it has no access "
                                "to give to mail apps."),
                              _("Sign in to Microsoft with Mailmend first: in the wizard’s Sign in "
                                "step, or with the command mailmend signin."));
  mend_finding_set_details (finding, error->message);

  return finding;
}
