/* mend-token-store.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "mend-finding.h"
#include "mend-oauth-token.h"

G_BEGIN_DECLS

#define MEND_TOKEN_STORE_ERROR (mend_token_store_error_quark ())

typedef enum
{
  /* No Secret Service: no session bus, nothing owns org.freedesktop.secrets, the keyring is
   * locked, or it did not answer in time. Never a reason to keep tokens anywhere else. */
  MEND_TOKEN_STORE_ERROR_UNAVAILABLE,
  /* The stored secret is not Mailmend's JSON: the user has to sign in again. */
  MEND_TOKEN_STORE_ERROR_CORRUPT,
  /* Another process held the address's refresh lock for longer than the lock timeout. */
  MEND_TOKEN_STORE_ERROR_BUSY,
  /* Anything else, such as a lock file that cannot be created. */
  MEND_TOKEN_STORE_ERROR_FAILED,
} MendTokenStoreError;

/* The libsecret schema of the keyring items (one per address). */
#define MEND_TOKEN_STORE_SCHEMA_NAME "io.github.mailmend.Token"

/* How long a keyring call may take before it counts as unavailable: long enough for a busy
 * keyring, short enough that an unlock prompt nobody can see does not hang a mail client. */
#define MEND_TOKEN_STORE_TIMEOUT_MS 5000
/* The wizard's: long enough to type the keyring's password in its unlock prompt. */
#define MEND_TOKEN_STORE_INTERACTIVE_TIMEOUT_MS (2 * 60 * 1000)

/* How long mend_token_store_lock_address() waits for another process's refresh by default. */
#define MEND_TOKEN_STORE_LOCK_TIMEOUT_MS 30000

/* MendTokenLock: a held refresh lock for one address. Released when the last reference goes.
 *
 * Refresh tokens rotate, and a used one stops working: two processes refreshing the same
 * address at once (say msmtp and mbsync each running `mailmend token`) would both spend the
 * same refresh token, and the loser would have to sign in again. So a refresh is single-flight
 * across processes, and goes like this:
 *
 *   1. lookup: if the access token is still good, use it; no lock needed.
 *   2. lock = mend_token_store_lock_address (store, address, &error)  (waits for any refresh
 *      running elsewhere);
 *   3. lookup again: another process may have refreshed while this one waited; if the token
 *      is now good, use it and stop;
 *   4. refresh with the refresh token just read;
 *   5. mend_token_store_store_sync() the result (the NEWEST refresh token), before unlocking;
 *   6. g_clear_pointer (&lock, mend_token_lock_unref)  (or let g_autoptr do it).
 *
 * The lock is flock(2) on `$XDG_RUNTIME_DIR/mailmend/<sha256 of the address>.lock` (the user's
 * cache folder when XDG_RUNTIME_DIR is unset): the kernel releases it if the process dies, and
 * the files stay in place (removing them would race with a waiting process). */
typedef struct _MendTokenLock MendTokenLock;

#define MEND_TYPE_TOKEN_LOCK (mend_token_lock_get_type ())

GType            mend_token_lock_get_type            (void) G_GNUC_CONST;
MendTokenLock   *mend_token_lock_ref                 (MendTokenLock        *self);
void             mend_token_lock_unref               (MendTokenLock        *self);
const char      *mend_token_lock_get_path            (MendTokenLock        *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MendTokenLock, mend_token_lock_unref)

#define MEND_TYPE_TOKEN_STORE (mend_token_store_get_type ())

G_DECLARE_FINAL_TYPE (MendTokenStore, mend_token_store, MEND, TOKEN_STORE, GObject)

GQuark           mend_token_store_error_quark        (void);
MendFinding     *mend_token_store_error_to_finding   (const GError         *error);
char            *mend_token_store_normalize_address  (const char           *address);

MendTokenStore  *mend_token_store_new                (void);
void             mend_token_store_set_default_timeout (guint              timeout_ms);
guint            mend_token_store_get_lock_timeout   (MendTokenStore       *self);
void             mend_token_store_set_lock_timeout   (MendTokenStore       *self,
                                                      guint                 timeout_ms);

void             mend_token_store_store_async        (MendTokenStore       *self,
                                                      MendOAuthToken       *token,
                                                      GCancellable         *cancellable,
                                                      GAsyncReadyCallback   callback,
                                                      gpointer              user_data);
gboolean         mend_token_store_store_finish       (MendTokenStore       *self,
                                                      GAsyncResult         *result,
                                                      GError              **error);
gboolean         mend_token_store_store_sync         (MendTokenStore       *self,
                                                      MendOAuthToken       *token,
                                                      GCancellable         *cancellable,
                                                      GError              **error);

void             mend_token_store_lookup_async       (MendTokenStore       *self,
                                                      const char           *address,
                                                      GCancellable         *cancellable,
                                                      GAsyncReadyCallback   callback,
                                                      gpointer              user_data);
MendOAuthToken  *mend_token_store_lookup_finish      (MendTokenStore       *self,
                                                      GAsyncResult         *result,
                                                      GError              **error);
MendOAuthToken  *mend_token_store_lookup_sync        (MendTokenStore       *self,
                                                      const char           *address,
                                                      GCancellable         *cancellable,
                                                      GError              **error);

void             mend_token_store_delete_async       (MendTokenStore       *self,
                                                      const char           *address,
                                                      GCancellable         *cancellable,
                                                      GAsyncReadyCallback   callback,
                                                      gpointer              user_data);
gboolean         mend_token_store_delete_finish      (MendTokenStore       *self,
                                                      GAsyncResult         *result,
                                                      GError              **error);
gboolean         mend_token_store_delete_sync        (MendTokenStore       *self,
                                                      const char           *address,
                                                      GCancellable         *cancellable,
                                                      GError              **error);

void             mend_token_store_list_async         (MendTokenStore       *self,
                                                      GCancellable         *cancellable,
                                                      GAsyncReadyCallback   callback,
                                                      gpointer              user_data);
GPtrArray       *mend_token_store_list_finish        (MendTokenStore       *self,
                                                      GAsyncResult         *result,
                                                      GStrv                *damaged,
                                                      GError              **error);
GPtrArray       *mend_token_store_list_sync          (MendTokenStore       *self,
                                                      GCancellable         *cancellable,
                                                      GStrv                *damaged,
                                                      GError              **error);

MendTokenLock   *mend_token_store_lock_address       (MendTokenStore       *self,
                                                      const char           *address,
                                                      GError              **error);
void             mend_token_store_lock_address_async (MendTokenStore       *self,
                                                      const char           *address,
                                                      GCancellable         *cancellable,
                                                      GAsyncReadyCallback   callback,
                                                      gpointer              user_data);
MendTokenLock   *mend_token_store_lock_address_finish (MendTokenStore      *self,
                                                       GAsyncResult        *result,
                                                       GError             **error);

G_END_DECLS
