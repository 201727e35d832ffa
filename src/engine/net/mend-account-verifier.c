/* mend-account-verifier.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "mend-account-verifier"

#include "config.h"

#include "mend-account-verifier.h"
#include "mend-mail-connection.h"
#include "mend-oauth-settings.h"
#include "mend-probe.h"
#include "mend-probe-error.h"

/* The Verify step: takes the address's access token from the keyring (renewing it at the
 * authority it came from), then checks IMAP, SMTP and POP at once, one probe each. It talks
 * to nothing else: no status page, no preflight.
 *
 * One probe's result can change what another's means. The same token that SMTP accepts
 * cannot be a bad token for IMAP: IMAP is then turned off for the mailbox
 * (imap-access-refused, pop-access-refused); and a POP refusal with a token that was never
 * granted POP is a missing scope. So a refused IMAP or POP result is held back until SMTP is
 * known; every other result is announced with ::probe-finished as soon as it is in. */
struct _MendAccountVerifier
{
  GObject           parent_instance;

  MendTokenService *service;
  GTlsDatabase     *tls_database;
  guint             timeout_ms;
};

G_DEFINE_FINAL_TYPE (MendAccountVerifier, mend_account_verifier, G_TYPE_OBJECT)

enum {
  PROBE_FINISHED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* The order of the results: IMAP, SMTP, POP. */
enum {
  SLOT_IMAP,
  SLOT_SMTP,
  SLOT_POP,
  N_SLOTS
};

typedef struct
{
  char              *address;
  MendServerAddress *servers[N_SLOTS];
  MendProbeResult   *results[N_SLOTS];
  gboolean           announced[N_SLOTS];
  MendOAuthToken    *token;
  gboolean           stale;
  guint              running;
  GError            *cancelled;
} Run;

typedef struct
{
  GTask *task;
  guint  slot;
} ProbeCall;

static void
run_free (gpointer data)
{
  Run *run = data;

  g_free (run->address);
  for (guint i = 0; i < N_SLOTS; i++)
    {
      g_clear_pointer (&run->servers[i], mend_server_address_free);
      g_clear_object (&run->results[i]);
    }
  g_clear_object (&run->token);
  g_clear_error (&run->cancelled);
  g_free (run);
}

static gboolean
token_has_scope (MendOAuthToken *token,
                 const char     *scope)
{
  const char * const *scopes = mend_oauth_token_get_scopes (token);

  /* Unknown scopes prove nothing. */
  if (scopes == NULL || scopes[0] == NULL)
    return TRUE;

  return g_strv_contains (scopes, scope);
}

/* Reads a refused IMAP or POP result in the light of SMTP's and of the token's scopes. */
static void
reinterpret (Run  *run,
             guint slot)
{
  MendProbeResult *result = run->results[slot];
  MendProbeResult *smtp = run->results[SLOT_SMTP];
  MendProtocol protocol = mend_probe_result_get_protocol (result);
  MendTenantType tenant_type = mend_oauth_token_get_tenant_type (run->token);
  g_autoptr(MendFinding) finding = NULL;
  const char *rejected = mend_probe_error_get_finding_id (MEND_PROBE_ERROR_TOKEN_REJECTED,
                                                         protocol);
  const char *scope;

  if (slot == SLOT_SMTP || !mend_probe_result_has_finding (result, rejected))
    return;

  scope = protocol == MEND_PROTOCOL_POP3 ? MEND_OAUTH_SCOPE_POP : MEND_OAUTH_SCOPE_IMAP;
  if (!token_has_scope (run->token, scope))
    finding = mend_probe_finding_new (MEND_PROBE_ERROR_SCOPE_MISSING, protocol, tenant_type,
                                      run->address, NULL);
  else if (smtp != NULL && mend_probe_result_get_ok (smtp))
    finding = mend_probe_finding_new (MEND_PROBE_ERROR_ACCESS_REFUSED, protocol, tenant_type,
                                      run->address, NULL);

  if (finding == NULL)
    return;

  /* The server's words stay, for support staff. */
  for (guint i = 0; i < mend_probe_result_get_findings (result)->len; i++)
    {
      MendFinding *old = g_ptr_array_index (mend_probe_result_get_findings (result), i);

      if (g_str_equal (mend_finding_get_id (old), rejected))
        mend_finding_set_details (finding, mend_finding_get_details (old));
    }

  g_debug ("%s: %s rather than %s", run->address, mend_finding_get_id (finding), rejected);
  mend_probe_result_replace_finding (result, rejected, finding);
}

/* Announces every result that is in and whose meaning cannot change any more. */
static void
announce (GTask *task)
{
  MendAccountVerifier *self = g_task_get_source_object (task);
  Run *run = g_task_get_task_data (task);
  gboolean smtp_pending = run->servers[SLOT_SMTP] != NULL && run->results[SLOT_SMTP] == NULL;

  /* SMTP first: the results it was holding back follow it. */
  static const guint order[] = { SLOT_SMTP, SLOT_IMAP, SLOT_POP };

  for (guint n = 0; n < G_N_ELEMENTS (order); n++)
    {
      guint i = order[n];
      MendProbeResult *result = run->results[i];

      if (result == NULL || run->announced[i])
        continue;

      if (i != SLOT_SMTP && smtp_pending && !mend_probe_result_get_ok (result))
        continue;

      reinterpret (run, i);
      run->announced[i] = TRUE;
      g_signal_emit (self, signals[PROBE_FINISHED], 0, result);
    }
}

static void
on_probe_finished (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  ProbeCall *call = user_data;
  g_autoptr(GTask) task = call->task;
  Run *run = g_task_get_task_data (task);
  GError *error = NULL;
  guint slot = call->slot;

  g_free (call);

  /* A probe fails only when cancelled: everything else is a finding of its result. */
  run->results[slot] = mend_probe_run_finish (MEND_PROBE (source), result, &error);
  run->running--;

  if (error != NULL && run->cancelled == NULL)
    run->cancelled = error;
  else if (error != NULL)
    g_error_free (error);
  else if (run->cancelled == NULL)
    announce (task);

  if (run->running > 0)
    return;

  /* Every probe closed its connection: only now is the work over. */
  if (run->cancelled != NULL)
    {
      g_task_return_error (task, g_steal_pointer (&run->cancelled));
      return;
    }

  g_task_return_boolean (task, TRUE);
}

static void
start_probes (GTask *task)
{
  MendAccountVerifier *self = g_task_get_source_object (task);
  Run *run = g_task_get_task_data (task);
  const char *access_token = mend_oauth_token_get_access_token (run->token);

  for (guint i = 0; i < N_SLOTS; i++)
    {
      g_autoptr(MendProbe) probe = NULL;
      ProbeCall *call;

      if (run->servers[i] == NULL)
        continue;

      probe = mend_probe_new (run->servers[i], run->address, access_token);
      mend_probe_set_tls_database (probe, self->tls_database);
      mend_probe_set_timeout (probe, self->timeout_ms);
      mend_probe_set_tenant_type (probe, mend_oauth_token_get_tenant_type (run->token));

      call = g_new0 (ProbeCall, 1);
      call->task = g_object_ref (task);
      call->slot = i;
      run->running++;
      mend_probe_run_async (probe, g_task_get_cancellable (task), on_probe_finished, call);
    }
}

static void
on_token (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Run *run = g_task_get_task_data (task);
  GError *error = NULL;

  run->token = mend_token_service_get_access_token_finish (MEND_TOKEN_SERVICE (source), result,
                                                           &run->stale, &error);
  if (run->token == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  start_probes (task);
}

static void
mend_account_verifier_dispose (GObject *object)
{
  MendAccountVerifier *self = (MendAccountVerifier *) object;

  g_clear_object (&self->service);
  g_clear_object (&self->tls_database);

  G_OBJECT_CLASS (mend_account_verifier_parent_class)->dispose (object);
}

static void
mend_account_verifier_class_init (MendAccountVerifierClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = mend_account_verifier_dispose;

  /**
   * MendAccountVerifier::probe-finished:
   * @result: one protocol's result, final
   *
   * Emitted once per protocol checked, as soon as its result is known for sure.
   */
  signals[PROBE_FINISHED] =
    g_signal_new ("probe-finished",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, MEND_TYPE_PROBE_RESULT);
}

static void
mend_account_verifier_init (MendAccountVerifier *self)
{
  self->timeout_ms = MEND_MAIL_CONNECTION_DEFAULT_TIMEOUT_MS;
}

/**
 * mend_account_verifier_new:
 * @service: (nullable): where the access tokens come from; %NULL for the keyring's
 */
MendAccountVerifier *
mend_account_verifier_new (MendTokenService *service)
{
  MendAccountVerifier *self;

  g_return_val_if_fail (service == NULL || MEND_IS_TOKEN_SERVICE (service), NULL);

  self = g_object_new (MEND_TYPE_ACCOUNT_VERIFIER, NULL);
  self->service = service != NULL ? g_object_ref (service) : mend_token_service_new ();

  return self;
}

/**
 * mend_account_verifier_set_ca_file:
 * @path: a PEM file of certificates, relative or absolute
 *
 * Trusts the certificates of @path, instead of the system's, for the mail servers (the
 * `--ca-file` option, for private test servers). Certificates are still verified; the
 * sign-in service is not affected.
 *
 * Returns: %FALSE with @error set when @path cannot be read
 */
gboolean
mend_account_verifier_set_ca_file (MendAccountVerifier  *self,
                                   const char           *path,
                                   GError              **error)
{
  g_autofree char *absolute = NULL;
  g_autoptr(GTlsDatabase) database = NULL;

  g_return_val_if_fail (MEND_IS_ACCOUNT_VERIFIER (self), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  /* g_tls_file_database_new() rejects every certificate for a relative path. */
  absolute = g_canonicalize_filename (path, NULL);
  database = g_tls_file_database_new (absolute, error);
  if (database == NULL)
    return FALSE;

  g_debug ("Trusting the certificates of %s for the mail servers", absolute);
  g_set_object (&self->tls_database, database);

  return TRUE;
}

/**
 * mend_account_verifier_set_timeout:
 * @timeout_ms: how long each step of a check may take
 */
void
mend_account_verifier_set_timeout (MendAccountVerifier *self,
                                   guint                timeout_ms)
{
  g_return_if_fail (MEND_IS_ACCOUNT_VERIFIER (self));
  g_return_if_fail (timeout_ms > 0);

  self->timeout_ms = timeout_ms;
}

static GTask *
run_task_new (MendAccountVerifier     *self,
              const char              *address,
              const MendServerAddress *imap,
              const MendServerAddress *smtp,
              const MendServerAddress *pop,
              gpointer                 source_tag,
              GCancellable            *cancellable,
              GAsyncReadyCallback      callback,
              gpointer                 user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  Run *run = g_new0 (Run, 1);

  g_task_set_source_tag (task, source_tag);

  run->address = g_strdup (address);
  run->servers[SLOT_IMAP] = imap != NULL ? mend_server_address_copy (imap) : NULL;
  run->servers[SLOT_SMTP] = smtp != NULL ? mend_server_address_copy (smtp) : NULL;
  run->servers[SLOT_POP] = pop != NULL ? mend_server_address_copy (pop) : NULL;
  g_task_set_task_data (task, run, run_free);

  return task;
}

static gboolean
servers_are_valid (const MendServerAddress *imap,
                   const MendServerAddress *smtp,
                   const MendServerAddress *pop)
{
  return (imap != NULL || smtp != NULL || pop != NULL) &&
         (imap == NULL || mend_server_address_get_protocol (imap) == MEND_PROTOCOL_IMAP) &&
         (smtp == NULL || mend_server_address_get_protocol (smtp) == MEND_PROTOCOL_SMTP) &&
         (pop == NULL || mend_server_address_get_protocol (pop) == MEND_PROTOCOL_POP3);
}

static GPtrArray *
run_finish (GAsyncResult  *result,
            gboolean      *stale,
            GError       **error)
{
  Run *run;
  GPtrArray *results;

  if (!g_task_propagate_boolean (G_TASK (result), error))
    return NULL;

  run = g_task_get_task_data (G_TASK (result));
  if (stale != NULL)
    *stale = run->stale;

  results = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < N_SLOTS; i++)
    {
      if (run->results[i] != NULL)
        g_ptr_array_add (results, g_object_ref (run->results[i]));
    }

  return results;
}

/**
 * mend_account_verifier_run_async:
 * @address: the mailbox's address
 * @imap: (nullable): the IMAP server to check, such as mend_server_address_new_default()'s
 * @smtp: (nullable): the SMTP server to check
 * @pop: (nullable): the POP server to check (only for accounts that use POP)
 * @cancellable: (nullable): cancels every check; connections are still closed
 *
 * Checks that the access token kept for @address signs in to each server given (at least
 * one), all at once.
 */
void
mend_account_verifier_run_async (MendAccountVerifier     *self,
                                 const char              *address,
                                 const MendServerAddress *imap,
                                 const MendServerAddress *smtp,
                                 const MendServerAddress *pop,
                                 GCancellable            *cancellable,
                                 GAsyncReadyCallback      callback,
                                 gpointer                 user_data)
{
  GTask *task;

  g_return_if_fail (MEND_IS_ACCOUNT_VERIFIER (self));
  g_return_if_fail (address != NULL);
  g_return_if_fail (servers_are_valid (imap, smtp, pop));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = run_task_new (self, address, imap, smtp, pop, mend_account_verifier_run_async,
                       cancellable, callback, user_data);
  mend_token_service_get_access_token_async (self->service, address, cancellable, on_token,
                                             task);
}

/**
 * mend_account_verifier_run_finish:
 * @stale: (out) (optional): set to %TRUE when the token could not be renewed (Microsoft could
 *   not be reached) but was still valid, and was used
 * @error: an error of the token service (no sign-in, no keyring, the sign-in service
 *   unreachable: see mend_token_service_error_to_finding()), or a cancellation
 *
 * Returns: (transfer container) (element-type MendProbeResult): one result per server
 *   checked, IMAP, SMTP, POP in that order
 */
GPtrArray *
mend_account_verifier_run_finish (MendAccountVerifier  *self,
                                  GAsyncResult         *result,
                                  gboolean             *stale,
                                  GError              **error)
{
  g_return_val_if_fail (MEND_IS_ACCOUNT_VERIFIER (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == mend_account_verifier_run_async,
                        NULL);

  return run_finish (result, stale, error);
}

/**
 * mend_account_verifier_verify_token_async:
 * @token: a token in hand, such as one just signed in (its address is the mailbox's)
 *
 * Like mend_account_verifier_run_async(), with @token as it is: no keyring, no renewal.
 */
void
mend_account_verifier_verify_token_async (MendAccountVerifier     *self,
                                          MendOAuthToken          *token,
                                          const MendServerAddress *imap,
                                          const MendServerAddress *smtp,
                                          const MendServerAddress *pop,
                                          GCancellable            *cancellable,
                                          GAsyncReadyCallback      callback,
                                          gpointer                 user_data)
{
  g_autoptr(GTask) task = NULL;
  Run *run;

  g_return_if_fail (MEND_IS_ACCOUNT_VERIFIER (self));
  g_return_if_fail (MEND_IS_OAUTH_TOKEN (token));
  g_return_if_fail (mend_oauth_token_get_access_token (token) != NULL);
  g_return_if_fail (servers_are_valid (imap, smtp, pop));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = run_task_new (self, mend_oauth_token_get_address (token), imap, smtp, pop,
                       mend_account_verifier_verify_token_async, cancellable, callback,
                       user_data);
  run = g_task_get_task_data (task);
  run->token = g_object_ref (token);

  start_probes (task);
}

/**
 * mend_account_verifier_verify_token_finish:
 *
 * Returns: (transfer container) (element-type MendProbeResult): as
 *   mend_account_verifier_run_finish()
 */
GPtrArray *
mend_account_verifier_verify_token_finish (MendAccountVerifier  *self,
                                           GAsyncResult         *result,
                                           GError              **error)
{
  g_return_val_if_fail (MEND_IS_ACCOUNT_VERIFIER (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) ==
                          mend_account_verifier_verify_token_async, NULL);

  return run_finish (result, NULL, error);
}
