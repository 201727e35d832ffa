/* mend-token-store.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "mend-token-store"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <libsecret/secret.h>

#include "mend-token-store.h"

/* The sign-ins, in the system keyring: one item per address, through libsecret's simple
 * password API (which also works inside Flatpak, through the Secret portal). The secret is
 * mend_oauth_token_to_json(); it never leaves this file except as a MendOAuthToken, and is
 * never logged. There is no other place to keep it: without a keyring, every operation fails
 * with MEND_TOKEN_STORE_ERROR_UNAVAILABLE, quickly. */
struct _MendTokenStore
{
  GObject parent_instance;

  guint   timeout_ms;
  guint   lock_timeout_ms;
};

/* See mend_token_store_set_default_timeout(). */
static guint default_timeout_ms = MEND_TOKEN_STORE_TIMEOUT_MS;

G_DEFINE_FINAL_TYPE (MendTokenStore, mend_token_store, G_TYPE_OBJECT)

G_DEFINE_QUARK (mend-token-store-error-quark, mend_token_store_error)

struct _MendTokenLock
{
  gatomicrefcount  ref_count;
  int              fd;
  char            *path;
};

G_DEFINE_BOXED_TYPE (MendTokenLock, mend_token_lock, mend_token_lock_ref, mend_token_lock_unref)

#define LOCK_POLL_US (50 * 1000)

/* A search that meets an item being removed fails as a whole: how often to try it. */
#define LIST_SEARCH_ATTEMPTS 5

static const SecretSchema token_schema = {
  MEND_TOKEN_STORE_SCHEMA_NAME, SECRET_SCHEMA_NONE,
  {
    { "address", SECRET_SCHEMA_ATTRIBUTE_STRING },
    { NULL, 0 },
  }
};

/* What one keyring operation carries from its start to its callbacks. */
typedef struct
{
  guint         timeout_ms;
  /* Given to libsecret: cancelled by the caller's cancellable, or by the timeout. */
  GCancellable *cancellable;
  GCancellable *caller_cancellable;
  gulong        caller_handler;
  GSource      *timeout_source;
  gboolean      timed_out;

  char         *address;
  GHashTable   *attributes;

  /* list: the items found, the one being read, what was read so far. */
  GList        *items;
  GList        *next;
  GPtrArray    *tokens;
  GPtrArray    *damaged;
  guint         search_attempts;
} Operation;

static void
operation_stop_timeout (Operation *op)
{
  if (op->timeout_source != NULL)
    {
      g_source_destroy (op->timeout_source);
      g_clear_pointer (&op->timeout_source, g_source_unref);
    }
}

static void
operation_free (gpointer data)
{
  Operation *op = data;

  operation_stop_timeout (op);
  if (op->caller_handler != 0)
    g_cancellable_disconnect (op->caller_cancellable, op->caller_handler);
  g_clear_object (&op->caller_cancellable);
  g_clear_object (&op->cancellable);
  g_free (op->address);
  g_clear_pointer (&op->attributes, g_hash_table_unref);
  g_list_free_full (op->items, g_object_unref);
  g_clear_pointer (&op->tokens, g_ptr_array_unref);
  g_clear_pointer (&op->damaged, g_ptr_array_unref);
  g_free (op);
}

static void
on_caller_cancelled (GCancellable *caller_cancellable,
                     gpointer      user_data)
{
  g_cancellable_cancel (G_CANCELLABLE (user_data));
}

static gboolean
on_operation_timeout (gpointer user_data)
{
  Operation *op = user_data;

  g_debug ("The keyring did not answer within %u ms, giving up", op->timeout_ms);
  op->timed_out = TRUE;
  g_cancellable_cancel (op->cancellable);
  g_clear_pointer (&op->timeout_source, g_source_unref);

  return G_SOURCE_REMOVE;
}

static GError *
unavailable_error_new (const char *message)
{
  return g_error_new_literal (MEND_TOKEN_STORE_ERROR, MEND_TOKEN_STORE_ERROR_UNAVAILABLE, message);
}

/* GLib finds the session bus in DBUS_SESSION_BUS_ADDRESS, then in $XDG_RUNTIME_DIR/bus, and
 * failing both it autolaunches one with dbus-launch when DISPLAY is set: a bus of its own,
 * whose keyring would show an unlock prompt (and wait for it) or stay empty. Never that. */
static gboolean
check_session_bus (GError **error)
{
  const char *address = g_getenv ("DBUS_SESSION_BUS_ADDRESS");
  const char *runtime_dir;
  g_autofree char *bus_path = NULL;
  struct stat st;

  if (address != NULL && address[0] != '\0')
    {
      /* Also as a fallback after another address ("unix:path=…;autolaunch:"). */
      if (strstr (address, "autolaunch:") == NULL)
        return TRUE;
    }
  else if ((runtime_dir = g_getenv ("XDG_RUNTIME_DIR")) != NULL && runtime_dir[0] != '\0')
    {
      bus_path = g_build_filename (runtime_dir, "bus", NULL);
      if (g_stat (bus_path, &st) == 0 && S_ISSOCK (st.st_mode))
        return TRUE;
    }

  g_debug ("No session bus address (DBUS_SESSION_BUS_ADDRESS unset, no $XDG_RUNTIME_DIR/bus)");
  g_propagate_error (error,
                     unavailable_error_new (_("There is no D-Bus session bus, so the keyring "
                                              "cannot be reached.")));
  return FALSE;
}

/* Starts a keyring operation: fails at once without a session bus, else arms the timeout. */
static GTask *
operation_start (MendTokenStore      *self,
                 const char          *address,
                 GCancellable        *cancellable,
                 GAsyncReadyCallback  callback,
                 gpointer             user_data,
                 gpointer             source_tag)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  g_autoptr(GError) error = NULL;
  Operation *op;

  g_task_set_source_tag (task, source_tag);

  op = g_new0 (Operation, 1);
  op->cancellable = g_cancellable_new ();
  g_task_set_task_data (task, op, operation_free);

  if (address != NULL)
    {
      op->address = mend_token_store_normalize_address (address);
      if (op->address == NULL)
        {
          g_task_return_new_error (task, MEND_TOKEN_STORE_ERROR, MEND_TOKEN_STORE_ERROR_FAILED,
                                   _("“%s” is not an e-mail address."), address);
          return NULL;
        }

      op->attributes = g_hash_table_new (g_str_hash, g_str_equal);
      g_hash_table_insert (op->attributes, (gpointer) "address", op->address);
    }

  if (!check_session_bus (&error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return NULL;
    }

  if (cancellable != NULL)
    {
      op->caller_cancellable = g_object_ref (cancellable);
      op->caller_handler = g_cancellable_connect (cancellable, G_CALLBACK (on_caller_cancelled),
                                                  op->cancellable, NULL);
    }

  op->timeout_ms = MEND_TOKEN_STORE (g_task_get_source_object (task))->timeout_ms;
  op->timeout_source = g_timeout_source_new (op->timeout_ms);
  g_source_set_name (op->timeout_source, "[mailmend] keyring timeout");
  g_source_set_callback (op->timeout_source, on_operation_timeout, op, NULL);
  g_source_attach (op->timeout_source, g_task_get_context (task));

  return g_steal_pointer (&task);
}

/* Turns what libsecret, GDBus or GIO said into the store's error; a cancellation by the
 * caller stays G_IO_ERROR_CANCELLED (which is never shown as an error). */
static void
operation_return_error (GTask  *task,
                        GError *error)
{
  Operation *op = g_task_get_task_data (task);
  g_autoptr(GError) owned = error;
  const char *message;

  operation_stop_timeout (op);

  if (error->domain == MEND_TOKEN_STORE_ERROR)
    {
      g_task_return_error (task, g_steal_pointer (&owned));
      return;
    }

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      if (!op->timed_out)
        {
          g_task_return_error (task, g_steal_pointer (&owned));
          return;
        }
      message = _("The keyring did not answer in time. It may be waiting for its password.");
    }
  else
    {
      /* Only for support: libsecret's and D-Bus's messages never hold a secret. */
      g_debug ("Keyring call failed: %s (%s, %d)",
               error->message, g_quark_to_string (error->domain), error->code);

      if (g_error_matches (error, SECRET_ERROR, SECRET_ERROR_IS_LOCKED))
        message = _("The keyring is locked.");
      else if (g_error_matches (error, G_DBUS_ERROR, G_DBUS_ERROR_SERVICE_UNKNOWN) ||
               g_error_matches (error, G_DBUS_ERROR, G_DBUS_ERROR_NAME_HAS_NO_OWNER) ||
               error->domain == G_IO_ERROR)
        message = _("No keyring service is running.");
      else
        message = _("The keyring could not be used.");
    }

  g_task_return_error (task, unavailable_error_new (message));
}

static GError *
corrupt_error_new (const char *address)
{
  /* Translators: %s is an e-mail address. */
  return g_error_new (MEND_TOKEN_STORE_ERROR, MEND_TOKEN_STORE_ERROR_CORRUPT,
                      _("The stored sign-in for %s is damaged."), address);
}

static void
scrub_free (char *text)
{
  if (text != NULL)
    {
      memset (text, 0, strlen (text));
      g_free (text);
    }
}

/* libsecret says "nothing" too when the item is there but in a locked keyring that could not
 * be unlocked (no prompt possible): tell the two apart, or a locked keyring would look like a
 * missing sign-in. */
static void
on_absence_checked (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Operation *op = g_task_get_task_data (task);
  GError *error = NULL;
  GList *items;

  items = secret_password_search_finish (result, &error);
  if (error != NULL)
    {
      operation_return_error (task, error);
      return;
    }

  operation_stop_timeout (op);

  if (items != NULL)
    {
      g_list_free_full (items, g_object_unref);
      g_debug ("The sign-in for %s is in a locked keyring", op->address);
      g_task_return_error (task, unavailable_error_new (_("The keyring is locked.")));
      return;
    }

  g_debug ("No stored sign-in for %s", op->address);
  if (g_task_get_source_tag (task) == mend_token_store_delete_async)
    g_task_return_boolean (task, FALSE);
  else
    g_task_return_pointer (task, NULL, NULL);
}

static void
check_absence (GTask *task)
{
  Operation *op = g_task_get_task_data (task);

  secret_password_searchv (&token_schema, op->attributes, SECRET_SEARCH_NONE,
                           op->cancellable, on_absence_checked, task);
}

static gpointer
run_sync_begin (void)
{
  GMainContext *context = g_main_context_new ();

  g_main_context_push_thread_default (context);

  return context;
}

/* Runs the private context until @result is set, as libsecret's own _sync functions do. */
static void
run_sync_wait (gpointer       data,
               GAsyncResult **result)
{
  g_autoptr(GMainContext) context = data;

  while (*result == NULL)
    g_main_context_iteration (context, TRUE);

  g_main_context_pop_thread_default (context);
}

static void
on_sync_done (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

/* The lock */

static char *
lock_folder (void)
{
  const char *runtime_dir = g_getenv ("XDG_RUNTIME_DIR");

  if (runtime_dir != NULL && g_path_is_absolute (runtime_dir))
    return g_build_filename (runtime_dir, "mailmend", NULL);

  return g_build_filename (g_get_user_cache_dir (), "mailmend", NULL);
}

static MendTokenLock *
lock_address (const char    *address,
              guint          timeout_ms,
              GCancellable  *cancellable,
              GError       **error)
{
  g_autofree char *normalized = mend_token_store_normalize_address (address);
  g_autofree char *folder = NULL;
  g_autofree char *hash = NULL;
  g_autofree char *path = NULL;
  MendTokenLock *lock;
  struct stat st;
  gint64 deadline;
  gboolean waited = FALSE;
  int saved_errno;
  int fd;

  if (normalized == NULL)
    {
      g_set_error (error, MEND_TOKEN_STORE_ERROR, MEND_TOKEN_STORE_ERROR_FAILED,
                   _("“%s” is not an e-mail address."), address);
      return NULL;
    }

  folder = lock_folder ();
  if (g_mkdir_with_parents (folder, 0700) != 0 || g_stat (folder, &st) != 0)
    {
      saved_errno = errno;
      g_set_error (error, MEND_TOKEN_STORE_ERROR, MEND_TOKEN_STORE_ERROR_FAILED,
                   /* Translators: %s is a folder, then the system's reason. */
                   _("Could not create the folder %s: %s"), folder, g_strerror (saved_errno));
      return NULL;
    }
  /* Made before with a looser umask, perhaps: the names say which addresses are signed in. */
  if (st.st_uid == getuid () && (st.st_mode & 077) != 0)
    g_chmod (folder, 0700);

  hash = g_compute_checksum_for_string (G_CHECKSUM_SHA256, normalized, -1);
  path = g_strdup_printf ("%s/%s.lock", folder, hash);

  fd = g_open (path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
  if (fd < 0)
    {
      saved_errno = errno;
      g_set_error (error, MEND_TOKEN_STORE_ERROR, MEND_TOKEN_STORE_ERROR_FAILED,
                   /* Translators: %s is a file, then the system's reason. */
                   _("Could not open the lock file %s: %s"), path, g_strerror (saved_errno));
      return NULL;
    }

  deadline = g_get_monotonic_time () + (gint64) timeout_ms * 1000;
  while (flock (fd, LOCK_EX | LOCK_NB) != 0)
    {
      saved_errno = errno;

      if (saved_errno == EINTR)
        continue;

      if (saved_errno != EWOULDBLOCK)
        {
          g_set_error (error, MEND_TOKEN_STORE_ERROR, MEND_TOKEN_STORE_ERROR_FAILED,
                       _("Could not lock the file %s: %s"), path, g_strerror (saved_errno));
          close (fd);
          return NULL;
        }

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        {
          close (fd);
          return NULL;
        }

      if (g_get_monotonic_time () >= deadline)
        {
          g_set_error (error, MEND_TOKEN_STORE_ERROR, MEND_TOKEN_STORE_ERROR_BUSY,
                       /* Translators: %s is an e-mail address. */
                       _("Another Mailmend process has been refreshing the sign-in for %s "
                         "for too long."), normalized);
          close (fd);
          return NULL;
        }

      if (!waited)
        g_debug ("Waiting for another process's refresh of %s", normalized);
      waited = TRUE;
      g_usleep (LOCK_POLL_US);
    }

  g_debug ("Holding the refresh lock of %s", normalized);

  lock = g_new0 (MendTokenLock, 1);
  g_atomic_ref_count_init (&lock->ref_count);
  lock->fd = fd;
  lock->path = g_steal_pointer (&path);

  return lock;
}

/**
 * mend_token_lock_ref:
 *
 * Returns: (transfer full): @self
 */
MendTokenLock *
mend_token_lock_ref (MendTokenLock *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  g_atomic_ref_count_inc (&self->ref_count);

  return self;
}

/**
 * mend_token_lock_unref:
 *
 * Drops a reference; the last one releases the lock.
 */
void
mend_token_lock_unref (MendTokenLock *self)
{
  g_return_if_fail (self != NULL);

  if (!g_atomic_ref_count_dec (&self->ref_count))
    return;

  flock (self->fd, LOCK_UN);
  close (self->fd);
  g_free (self->path);
  g_free (self);
}

/**
 * mend_token_lock_get_path:
 *
 * Returns: the lock file
 */
const char *
mend_token_lock_get_path (MendTokenLock *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->path;
}

static void
mend_token_store_class_init (MendTokenStoreClass *klass)
{
}

static void
mend_token_store_init (MendTokenStore *self)
{
  self->timeout_ms = default_timeout_ms;
  self->lock_timeout_ms = MEND_TOKEN_STORE_LOCK_TIMEOUT_MS;
}

/* Public API */

/**
 * mend_token_store_normalize_address:
 * @address: an e-mail address, as typed
 *
 * Keyring attributes match exactly, so every address is trimmed and lower-cased before it
 * becomes one.
 *
 * Returns: (transfer full) (nullable): the address as the keyring knows it, or %NULL when
 *   @address is empty or not UTF-8
 */
char *
mend_token_store_normalize_address (const char *address)
{
  g_autofree char *copy = NULL;

  g_return_val_if_fail (address != NULL, NULL);

  if (!g_utf8_validate (address, -1, NULL))
    return NULL;

  copy = g_strstrip (g_strdup (address));
  if (copy[0] == '\0')
    return NULL;

  return g_utf8_strdown (copy, -1);
}

/**
 * mend_token_store_error_to_finding:
 * @error: an error from the token store
 *
 * Returns: (transfer full) (nullable): what to tell the user, or %NULL when @error is not a
 *   %MEND_TOKEN_STORE_ERROR
 */
MendFinding *
mend_token_store_error_to_finding (const GError *error)
{
  MendFinding *finding;

  g_return_val_if_fail (error != NULL, NULL);

  if (error->domain != MEND_TOKEN_STORE_ERROR)
    return NULL;

  switch ((MendTokenStoreError) error->code)
    {
    case MEND_TOKEN_STORE_ERROR_UNAVAILABLE:
      finding = mend_finding_new ("keyring-unavailable", MEND_SEVERITY_ERROR,
                                  _("The keyring is not available"),
                                  _("Mailmend keeps sign-ins only in the system keyring (the "
                                    "Secret Service), and it could not be reached. Mailmend never "
                                    "keeps them anywhere else."),
                                  _("GNOME Keyring or KWallet’s Secret Service must be running and "
                                    "unlocked. Log in to the desktop, or start and unlock the "
                                    "keyring, then try again."));
      break;

    case MEND_TOKEN_STORE_ERROR_CORRUPT:
      finding = mend_finding_new ("token-corrupt", MEND_SEVERITY_ERROR,
                                  _("The stored sign-in is damaged"),
                                  _("The sign-in Mailmend keeps in the keyring for this address "
                                    "cannot be read."),
                                  _("Sign in again: the new sign-in replaces the damaged one."));
      break;

    case MEND_TOKEN_STORE_ERROR_BUSY:
      finding = mend_finding_new ("token-busy", MEND_SEVERITY_WARNING,
                                  _("Another refresh is taking too long"),
                                  _("Another Mailmend process is renewing this sign-in and has "
                                    "not finished."),
                                  _("Wait a minute and try again. If this keeps happening, close "
                                    "the mail apps that use this account and try again."));
      break;

    case MEND_TOKEN_STORE_ERROR_FAILED:
    default:
      finding = mend_finding_new ("keyring-failed", MEND_SEVERITY_ERROR,
                                  _("The sign-in could not be used"),
                                  _("Something went wrong while reading or writing the stored "
                                    "sign-in."),
                                  _("Try again. If it keeps failing, copy the details into a "
                                    "support request."));
      break;
    }

  mend_finding_set_details (finding, error->message);

  return finding;
}

/**
 * mend_token_store_new:
 *
 * Returns: (transfer full): a token store on the system keyring
 */
MendTokenStore *
mend_token_store_new (void)
{
  return g_object_new (MEND_TYPE_TOKEN_STORE, NULL);
}

/**
 * mend_token_store_set_default_timeout:
 * @timeout_ms: how long a keyring operation may take, for the stores made from now on
 *
 * The CLI keeps MEND_TOKEN_STORE_TIMEOUT_MS: msmtp or mbsync must not hang on a keyring
 * that waits for an unlock nobody sees. The wizard waits longer: the unlock prompt is on
 * the user's own screen.
 */
void
mend_token_store_set_default_timeout (guint timeout_ms)
{
  g_return_if_fail (timeout_ms > 0);

  default_timeout_ms = timeout_ms;
}

guint
mend_token_store_get_lock_timeout (MendTokenStore *self)
{
  g_return_val_if_fail (MEND_IS_TOKEN_STORE (self), 0);

  return self->lock_timeout_ms;
}

/**
 * mend_token_store_set_lock_timeout:
 * @timeout_ms: how long mend_token_store_lock_address() waits, in milliseconds
 */
void
mend_token_store_set_lock_timeout (MendTokenStore *self,
                                   guint           timeout_ms)
{
  g_return_if_fail (MEND_IS_TOKEN_STORE (self));

  self->lock_timeout_ms = timeout_ms;
}

/* store */

static void
on_store_done (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Operation *op = g_task_get_task_data (task);
  GError *error = NULL;

  if (!secret_password_store_finish (result, &error))
    {
      operation_return_error (task, error);
      return;
    }

  operation_stop_timeout (op);
  g_debug ("Stored the sign-in for %s", op->address);
  g_task_return_boolean (task, TRUE);
}

/**
 * mend_token_store_store_async:
 * @token: the sign-in to keep; replaces the one kept for its address
 *
 * Keeps @token in the default keyring collection.
 */
void
mend_token_store_store_async (MendTokenStore      *self,
                              MendOAuthToken      *token,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *label = NULL;
  char *secret;
  Operation *op;

  g_return_if_fail (MEND_IS_TOKEN_STORE (self));
  g_return_if_fail (MEND_IS_OAUTH_TOKEN (token));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = operation_start (self, mend_oauth_token_get_address (token), cancellable,
                          callback, user_data, mend_token_store_store_async);
  if (task == NULL)
    return;

  op = g_task_get_task_data (task);
  /* Translators: the keyring item's name, as password managers show it; %s is an address. */
  label = g_strdup_printf (_("Mailmend sign-in for %s"), op->address);
  secret = mend_oauth_token_to_json (token);

  secret_password_storev (&token_schema, op->attributes, SECRET_COLLECTION_DEFAULT, label, secret,
                          op->cancellable, on_store_done, g_object_ref (task));
  scrub_free (secret);
}

gboolean
mend_token_store_store_finish (MendTokenStore  *self,
                               GAsyncResult    *result,
                               GError         **error)
{
  g_return_val_if_fail (MEND_IS_TOKEN_STORE (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == mend_token_store_store_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

gboolean
mend_token_store_store_sync (MendTokenStore  *self,
                             MendOAuthToken  *token,
                             GCancellable    *cancellable,
                             GError         **error)
{
  g_autoptr(GAsyncResult) result = NULL;
  gpointer context;

  g_return_val_if_fail (MEND_IS_TOKEN_STORE (self), FALSE);
  g_return_val_if_fail (MEND_IS_OAUTH_TOKEN (token), FALSE);

  context = run_sync_begin ();
  mend_token_store_store_async (self, token, cancellable, on_sync_done, &result);
  run_sync_wait (context, &result);

  return mend_token_store_store_finish (self, result, error);
}

/* lookup */

static MendOAuthToken *
parse_secret (const char  *address,
              const char  *secret,
              GError     **error)
{
  g_autoptr(MendOAuthToken) token = NULL;
  g_autoptr(GError) parse_error = NULL;
  g_autofree char *token_address = NULL;

  if (secret != NULL)
    token = mend_oauth_token_new_from_json (secret, &parse_error);

  if (token != NULL)
    token_address = mend_token_store_normalize_address (mend_oauth_token_get_address (token));

  if (token == NULL || g_strcmp0 (token_address, address) != 0)
    {
      /* Never the text: it may hold tokens. */
      g_debug ("The keyring item for %s is not a Mailmend sign-in", address);
      g_propagate_error (error, corrupt_error_new (address));
      return NULL;
    }

  return g_steal_pointer (&token);
}

static void
on_lookup_done (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Operation *op = g_task_get_task_data (task);
  g_autoptr(MendOAuthToken) token = NULL;
  GError *error = NULL;
  char *secret;

  secret = secret_password_lookup_finish (result, &error);
  if (error != NULL)
    {
      operation_return_error (task, error);
      return;
    }

  if (secret == NULL)
    {
      check_absence (g_steal_pointer (&task));
      return;
    }

  operation_stop_timeout (op);
  token = parse_secret (op->address, secret, &error);
  secret_password_free (secret);

  if (token == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, g_steal_pointer (&token), g_object_unref);
}

/**
 * mend_token_store_lookup_async:
 * @address: the e-mail address, in any case
 *
 * Reads the sign-in kept for @address.
 */
void
mend_token_store_lookup_async (MendTokenStore      *self,
                               const char          *address,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  Operation *op;

  g_return_if_fail (MEND_IS_TOKEN_STORE (self));
  g_return_if_fail (address != NULL);
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = operation_start (self, address, cancellable, callback, user_data,
                          mend_token_store_lookup_async);
  if (task == NULL)
    return;

  op = g_task_get_task_data (task);
  secret_password_lookupv (&token_schema, op->attributes, op->cancellable,
                           on_lookup_done, g_object_ref (task));
}

/**
 * mend_token_store_lookup_finish:
 *
 * Returns: (transfer full) (nullable): the sign-in, or %NULL with @error unset when none is
 *   kept for the address; %NULL with %MEND_TOKEN_STORE_ERROR_CORRUPT when the kept one cannot
 *   be read (the user signs in again, which replaces it)
 */
MendOAuthToken *
mend_token_store_lookup_finish (MendTokenStore  *self,
                                GAsyncResult    *result,
                                GError         **error)
{
  g_return_val_if_fail (MEND_IS_TOKEN_STORE (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == mend_token_store_lookup_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

MendOAuthToken *
mend_token_store_lookup_sync (MendTokenStore  *self,
                              const char      *address,
                              GCancellable    *cancellable,
                              GError         **error)
{
  g_autoptr(GAsyncResult) result = NULL;
  gpointer context;

  g_return_val_if_fail (MEND_IS_TOKEN_STORE (self), NULL);
  g_return_val_if_fail (address != NULL, NULL);

  context = run_sync_begin ();
  mend_token_store_lookup_async (self, address, cancellable, on_sync_done, &result);
  run_sync_wait (context, &result);

  return mend_token_store_lookup_finish (self, result, error);
}

/* delete */

static void
on_delete_done (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Operation *op = g_task_get_task_data (task);
  GError *error = NULL;
  gboolean removed;

  removed = secret_password_clear_finish (result, &error);
  if (error != NULL)
    {
      operation_return_error (task, error);
      return;
    }

  if (!removed)
    {
      check_absence (g_steal_pointer (&task));
      return;
    }

  operation_stop_timeout (op);
  g_debug ("Removed the sign-in for %s", op->address);
  g_task_return_boolean (task, TRUE);
}

/**
 * mend_token_store_delete_async:
 * @address: the e-mail address, in any case
 *
 * Removes the sign-in kept for @address.
 */
void
mend_token_store_delete_async (MendTokenStore      *self,
                               const char          *address,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  Operation *op;

  g_return_if_fail (MEND_IS_TOKEN_STORE (self));
  g_return_if_fail (address != NULL);
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = operation_start (self, address, cancellable, callback, user_data,
                          mend_token_store_delete_async);
  if (task == NULL)
    return;

  op = g_task_get_task_data (task);
  secret_password_clearv (&token_schema, op->attributes, op->cancellable,
                          on_delete_done, g_object_ref (task));
}

/**
 * mend_token_store_delete_finish:
 *
 * Returns: %TRUE when a sign-in was removed; %FALSE when there was none (@error unset) or on
 *   error
 */
gboolean
mend_token_store_delete_finish (MendTokenStore  *self,
                                GAsyncResult    *result,
                                GError         **error)
{
  g_return_val_if_fail (MEND_IS_TOKEN_STORE (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == mend_token_store_delete_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

gboolean
mend_token_store_delete_sync (MendTokenStore  *self,
                              const char      *address,
                              GCancellable    *cancellable,
                              GError         **error)
{
  g_autoptr(GAsyncResult) result = NULL;
  gpointer context;

  g_return_val_if_fail (MEND_IS_TOKEN_STORE (self), FALSE);
  g_return_val_if_fail (address != NULL, FALSE);

  context = run_sync_begin ();
  mend_token_store_delete_async (self, address, cancellable, on_sync_done, &result);
  run_sync_wait (context, &result);

  return mend_token_store_delete_finish (self, result, error);
}

/* list */

/* What asking for an item that was just removed gives: gnome-keyring answers UnknownMethod
 * ("No such secret item at path …"), or UnknownObject / UnknownInterface. */
static gboolean
is_vanished_item_error (const GError *error)
{
  return g_error_matches (error, G_DBUS_ERROR, G_DBUS_ERROR_UNKNOWN_METHOD) ||
         g_error_matches (error, G_DBUS_ERROR, G_DBUS_ERROR_UNKNOWN_OBJECT) ||
         g_error_matches (error, G_DBUS_ERROR, G_DBUS_ERROR_UNKNOWN_INTERFACE) ||
         g_error_matches (error, SECRET_ERROR, SECRET_ERROR_NO_SUCH_OBJECT);
}

/* Returns: (transfer full) (nullable): the item's address, normalized */
static char *
item_address (SecretRetrievable *item)
{
  g_autoptr(GHashTable) attributes = secret_retrievable_get_attributes (item);
  const char *address = attributes ? g_hash_table_lookup (attributes, "address") : NULL;

  return address ? mend_token_store_normalize_address (address) : NULL;
}

static int
compare_tokens (gconstpointer a,
                gconstpointer b)
{
  MendOAuthToken *token_a = *(MendOAuthToken **) a;
  MendOAuthToken *token_b = *(MendOAuthToken **) b;
  g_autofree char *address_a = mend_token_store_normalize_address (mend_oauth_token_get_address (token_a));
  g_autofree char *address_b = mend_token_store_normalize_address (mend_oauth_token_get_address (token_b));

  return g_strcmp0 (address_a, address_b);
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return g_strcmp0 (*(const char **) a, *(const char **) b);
}

static gboolean
already_listed (Operation  *op,
                const char *address)
{
  for (guint i = 0; i < op->tokens->len; i++)
    {
      g_autofree char *listed = mend_token_store_normalize_address (
          mend_oauth_token_get_address (g_ptr_array_index (op->tokens, i)));

      if (g_strcmp0 (listed, address) == 0)
        return TRUE;
    }

  for (guint i = 0; i < op->damaged->len; i++)
    {
      if (g_strcmp0 (g_ptr_array_index (op->damaged, i), address) == 0)
        return TRUE;
    }

  return FALSE;
}

static void list_read_next (GTask *task);

static void
on_list_secret_retrieved (GObject      *source,
                          GAsyncResult *result,
                          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Operation *op = g_task_get_task_data (task);
  SecretRetrievable *item = SECRET_RETRIEVABLE (source);
  g_autoptr(MendOAuthToken) token = NULL;
  g_autofree char *address = NULL;
  SecretValue *value;
  GError *error = NULL;

  value = secret_retrievable_retrieve_secret_finish (item, result, &error);
  if (is_vanished_item_error (error))
    {
      /* Removed since the search found it (`mailmend forget` in another process, say). */
      g_debug ("A keyring item went away while being listed: %s", error->message);
      g_clear_error (&error);
      list_read_next (task);
      return;
    }
  if (error != NULL)
    {
      operation_return_error (task, error);
      return;
    }

  address = item_address (item);

  if (address != NULL && !already_listed (op, address))
    {
      g_autoptr(GError) parse_error = NULL;

      token = parse_secret (address, value ? secret_value_get_text (value) : NULL, &parse_error);
      if (token != NULL)
        g_ptr_array_add (op->tokens, g_steal_pointer (&token));
      else
        g_ptr_array_add (op->damaged, g_steal_pointer (&address));
    }

  g_clear_pointer (&value, secret_value_unref);
  list_read_next (task);
}

/* Reads the items one after the other. Newest first, so a duplicate (which only another
 * program could have made) loses to the item Mailmend wrote last. */
static void
list_read_next (GTask *task)
{
  Operation *op = g_task_get_task_data (task);
  SecretRetrievable *item;

  if (op->next == NULL)
    {
      operation_stop_timeout (op);
      g_ptr_array_sort (op->tokens, compare_tokens);
      g_ptr_array_sort (op->damaged, compare_strings);
      g_debug ("Listed %u sign-ins (%u damaged)", op->tokens->len, op->damaged->len);
      g_task_return_pointer (task, g_steal_pointer (&op->tokens), (GDestroyNotify) g_ptr_array_unref);
      return;
    }

  item = op->next->data;
  op->next = op->next->next;
  secret_retrievable_retrieve_secret (item, op->cancellable, on_list_secret_retrieved,
                                      g_object_ref (task));
}

static int
compare_items_newest_first (gconstpointer a,
                            gconstpointer b)
{
  guint64 modified_a = secret_retrievable_get_modified ((SecretRetrievable *) a);
  guint64 modified_b = secret_retrievable_get_modified ((SecretRetrievable *) b);

  return modified_a < modified_b ? 1 : modified_a > modified_b ? -1 : 0;
}

static void on_list_searched (GObject      *source,
                              GAsyncResult *result,
                              gpointer      user_data);

static void
list_search (GTask *task)
{
  Operation *op = g_task_get_task_data (task);

  op->search_attempts++;
  secret_password_searchv (&token_schema, op->attributes,
                           SECRET_SEARCH_ALL | SECRET_SEARCH_UNLOCK | SECRET_SEARCH_LOAD_SECRETS,
                           op->cancellable, on_list_searched, g_object_ref (task));
}

static void
on_list_searched (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Operation *op = g_task_get_task_data (task);
  GError *error = NULL;

  op->items = secret_password_search_finish (result, &error);
  if (is_vanished_item_error (error) && op->search_attempts < LIST_SEARCH_ATTEMPTS)
    {
      /* An item went away while the search loaded it (another process removed or replaced
       * a sign-in): search again. */
      g_debug ("A keyring item went away during the search, searching again: %s", error->message);
      g_clear_error (&error);
      list_search (task);
      return;
    }
  if (error != NULL)
    {
      operation_return_error (task, error);
      return;
    }

  op->items = g_list_sort (op->items, compare_items_newest_first);
  op->next = op->items;
  list_read_next (task);
}

/**
 * mend_token_store_list_async:
 *
 * Reads every sign-in kept in the keyring.
 */
void
mend_token_store_list_async (MendTokenStore      *self,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  Operation *op;

  g_return_if_fail (MEND_IS_TOKEN_STORE (self));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = operation_start (self, NULL, cancellable, callback, user_data,
                          mend_token_store_list_async);
  if (task == NULL)
    return;

  op = g_task_get_task_data (task);
  op->tokens = g_ptr_array_new_with_free_func (g_object_unref);
  op->damaged = g_ptr_array_new_with_free_func (g_free);
  op->attributes = g_hash_table_new (g_str_hash, g_str_equal);

  list_search (task);
}

/**
 * mend_token_store_list_finish:
 * @damaged: (out) (optional) (transfer full): the addresses whose sign-in cannot be read
 *   (see %MEND_TOKEN_STORE_ERROR_CORRUPT), sorted
 *
 * Returns: (transfer container) (element-type MendOAuthToken): the readable sign-ins, sorted
 *   by address, or %NULL on error
 */
GPtrArray *
mend_token_store_list_finish (MendTokenStore  *self,
                              GAsyncResult    *result,
                              GStrv           *damaged,
                              GError         **error)
{
  Operation *op;
  GPtrArray *tokens;

  g_return_val_if_fail (MEND_IS_TOKEN_STORE (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == mend_token_store_list_async, NULL);

  if (damaged != NULL)
    *damaged = NULL;

  tokens = g_task_propagate_pointer (G_TASK (result), error);
  if (tokens == NULL)
    return NULL;

  op = g_task_get_task_data (G_TASK (result));
  if (damaged != NULL)
    {
      g_ptr_array_add (op->damaged, NULL);
      *damaged = (GStrv) g_ptr_array_steal (op->damaged, NULL);
    }

  return tokens;
}

GPtrArray *
mend_token_store_list_sync (MendTokenStore  *self,
                            GCancellable    *cancellable,
                            GStrv           *damaged,
                            GError         **error)
{
  g_autoptr(GAsyncResult) result = NULL;
  gpointer context;

  g_return_val_if_fail (MEND_IS_TOKEN_STORE (self), NULL);

  context = run_sync_begin ();
  mend_token_store_list_async (self, cancellable, on_sync_done, &result);
  run_sync_wait (context, &result);

  return mend_token_store_list_finish (self, result, damaged, error);
}

/* lock */

/**
 * mend_token_store_lock_address:
 * @address: the e-mail address, in any case
 *
 * Takes the refresh lock of @address, waiting for another process to release it for up to
 * the lock timeout (see the protocol in mend-token-store.h). Blocks.
 *
 * Returns: (transfer full) (nullable): the held lock, released when unreferenced; %NULL with
 *   %MEND_TOKEN_STORE_ERROR_BUSY after the timeout
 */
MendTokenLock *
mend_token_store_lock_address (MendTokenStore  *self,
                               const char      *address,
                               GError         **error)
{
  g_return_val_if_fail (MEND_IS_TOKEN_STORE (self), NULL);
  g_return_val_if_fail (address != NULL, NULL);

  return lock_address (address, self->lock_timeout_ms, NULL, error);
}

static void
lock_address_thread (GTask        *task,
                     gpointer      source_object,
                     gpointer      task_data,
                     GCancellable *cancellable)
{
  MendTokenStore *self = source_object;
  MendTokenLock *lock;
  GError *error = NULL;

  lock = lock_address (task_data, self->lock_timeout_ms, cancellable, &error);
  if (lock == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, lock, (GDestroyNotify) mend_token_lock_unref);
}

/**
 * mend_token_store_lock_address_async:
 * @address: the e-mail address, in any case
 *
 * Like mend_token_store_lock_address(), in a thread; @cancellable stops the wait.
 */
void
mend_token_store_lock_address_async (MendTokenStore      *self,
                                     const char          *address,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (MEND_IS_TOKEN_STORE (self));
  g_return_if_fail (address != NULL);
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, mend_token_store_lock_address_async);
  g_task_set_task_data (task, g_strdup (address), g_free);
  g_task_run_in_thread (task, lock_address_thread);
}

/**
 * mend_token_store_lock_address_finish:
 *
 * Returns: (transfer full) (nullable): the held lock
 */
MendTokenLock *
mend_token_store_lock_address_finish (MendTokenStore  *self,
                                      GAsyncResult    *result,
                                      GError         **error)
{
  g_return_val_if_fail (MEND_IS_TOKEN_STORE (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == mend_token_store_lock_address_async,
                        NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
