/* mend-diagnosis.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "mend-diagnosis"

#include "config.h"

#include <glib/gi18n.h>

#include "mend-account-verifier.h"
#include "mend-diagnosis.h"
#include "mend-preflight.h"
#include "mend-probe-result.h"
#include "mend-scanner.h"
#include "mend-service-status.h"
#include "mend-token-service.h"
#include "mend-token-store.h"

/* Everything Mailmend can find out at once, to tell Microsoft's fault from the account's,
 * the tenant's and the mail app's: Microsoft's service status, the network (preflight), the
 * mail apps' settings (scan), and — for every sign-in in the keyring — a real login to the
 * mail servers. All of it runs concurrently: the whole takes about as long as the slowest
 * check. The probes start once the scan and the keyring have answered, since they need to
 * know which addresses to check and whether one uses POP. */

struct _MendDiagnosis
{
  GObject            parent_instance;

  MendScanContext   *scan_context;
  MendServerAddress *imap;
  MendServerAddress *smtp;
  MendServerAddress *pop;
  char              *ca_file;

  MendStatusReport  *status;
  GPtrArray         *preflight;
  GPtrArray         *verifications;
  GPtrArray         *stored_addresses;
  MendFinding       *keyring_finding;
  gboolean           scanned;
  gboolean           listed;
  gboolean           running;
};

G_DEFINE_FINAL_TYPE (MendDiagnosis, mend_diagnosis, G_TYPE_OBJECT)

static void
verification_free (MendDiagnosisVerification *verification)
{
  g_free (verification->address);
  g_clear_pointer (&verification->results, g_ptr_array_unref);
  g_clear_object (&verification->finding);
  g_free (verification);
}

static void
mend_diagnosis_finalize (GObject *object)
{
  MendDiagnosis *self = (MendDiagnosis *)object;

  g_clear_object (&self->scan_context);
  g_clear_pointer (&self->imap, mend_server_address_free);
  g_clear_pointer (&self->smtp, mend_server_address_free);
  g_clear_pointer (&self->pop, mend_server_address_free);
  g_clear_pointer (&self->ca_file, g_free);
  g_clear_object (&self->status);
  g_clear_pointer (&self->preflight, g_ptr_array_unref);
  g_clear_pointer (&self->verifications, g_ptr_array_unref);
  g_clear_pointer (&self->stored_addresses, g_ptr_array_unref);
  g_clear_object (&self->keyring_finding);

  G_OBJECT_CLASS (mend_diagnosis_parent_class)->finalize (object);
}

static void
mend_diagnosis_class_init (MendDiagnosisClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = mend_diagnosis_finalize;
}

static void
mend_diagnosis_init (MendDiagnosis *self)
{
  self->imap = mend_server_address_new_default (MEND_PROTOCOL_IMAP);
  self->smtp = mend_server_address_new_default (MEND_PROTOCOL_SMTP);
  self->pop = mend_server_address_new_default (MEND_PROTOCOL_POP3);
  self->preflight = g_ptr_array_new_with_free_func (g_object_unref);
  self->verifications = g_ptr_array_new_with_free_func ((GDestroyNotify) verification_free);
  self->stored_addresses = g_ptr_array_new_with_free_func (g_free);
}

/**
 * mend_diagnosis_new:
 * @scan_context: a context not scanned yet; the diagnosis scans it
 */
MendDiagnosis *
mend_diagnosis_new (MendScanContext *scan_context)
{
  MendDiagnosis *self;

  g_return_val_if_fail (MEND_IS_SCAN_CONTEXT (scan_context), NULL);

  self = g_object_new (MEND_TYPE_DIAGNOSIS, NULL);
  self->scan_context = g_object_ref (scan_context);

  return self;
}

/* The servers the stored sign-ins are checked against; Microsoft's by default. */
void
mend_diagnosis_set_servers (MendDiagnosis           *self,
                            const MendServerAddress *imap,
                            const MendServerAddress *smtp,
                            const MendServerAddress *pop)
{
  g_return_if_fail (MEND_IS_DIAGNOSIS (self));
  g_return_if_fail (!self->running);

  if (imap != NULL)
    {
      mend_server_address_free (self->imap);
      self->imap = mend_server_address_copy (imap);
    }
  if (smtp != NULL)
    {
      mend_server_address_free (self->smtp);
      self->smtp = mend_server_address_copy (smtp);
    }
  if (pop != NULL)
    {
      mend_server_address_free (self->pop);
      self->pop = mend_server_address_copy (pop);
    }
}

/* Extra trust anchors for the probes and the preflight, for private test servers only. */
gboolean
mend_diagnosis_set_ca_file (MendDiagnosis  *self,
                            const char     *path,
                            GError        **error)
{
  g_return_val_if_fail (MEND_IS_DIAGNOSIS (self), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  if (!g_file_test (path, G_FILE_TEST_IS_REGULAR))
    {
      /* Translators: %s is a file. */
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, _("No certificate file %s"), path);
      return FALSE;
    }

  g_free (self->ca_file);
  self->ca_file = g_strdup (path);

  return TRUE;
}

/* Every finished part counts down; the last one returns the task. */
static void
part_done (GTask *task)
{
  guint *pending = g_task_get_task_data (task);

  g_assert (*pending > 0);
  if (--(*pending) == 0)
    {
      MendDiagnosis *self = g_task_get_source_object (task);

      self->running = FALSE;
      g_task_return_boolean (task, TRUE);
    }
}

static GTask *
part_start (GTask *task)
{
  guint *pending = g_task_get_task_data (task);

  (*pending)++;
  return g_object_ref (task);
}

static void
on_status (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  MendDiagnosis *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;

  /* Fails open: an unknown status is a report of its own. */
  self->status = mend_service_status_check_finish (MEND_SERVICE_STATUS (object), result, &error);
  if (self->status == NULL)
    self->status = mend_status_report_new_unknown (error);

  part_done (task);
}

static void
on_preflight (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  MendDiagnosis *self = g_task_get_source_object (task);
  g_autoptr(GPtrArray) findings = NULL;
  g_autoptr(GError) error = NULL;

  findings = mend_preflight_run_finish (MEND_PREFLIGHT (object), result, &error);
  if (findings != NULL)
    g_ptr_array_extend_and_steal (self->preflight, g_steal_pointer (&findings));
  else
    g_debug ("Preflight did not run: %s", error->message);

  part_done (task);
}

typedef struct
{
  GTask                     *task;
  MendDiagnosisVerification *verification;
} Verify;

static void
on_verified (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  Verify *verify = user_data;
  g_autoptr(GTask) task = verify->task;
  g_autoptr(GError) error = NULL;
  GPtrArray *results;

  results = mend_account_verifier_run_finish (MEND_ACCOUNT_VERIFIER (object), result, NULL,
                                              &error);
  if (results != NULL)
    {
      verify->verification->results = results;
    }
  else
    {
      verify->verification->finding = mend_token_service_error_to_finding (error);
      if (verify->verification->finding == NULL)
        verify->verification->finding = mend_finding_new ("verify-failed", MEND_SEVERITY_ERROR,
                                                          _("The sign-in could not be checked"),
                                                          error->message,
                                                          _("Run the check again."));
    }

  g_free (verify);
  part_done (task);
}

static gboolean
address_uses_pop (MendDiagnosis *self,
                  const char    *address)
{
  GPtrArray *accounts = mend_scan_context_get_accounts (self->scan_context);

  for (guint i = 0; i < accounts->len; i++)
    {
      MendAccount *account = g_ptr_array_index (accounts, i);

      if (mend_account_get_protocol (account) == MEND_PROTOCOL_POP3 &&
          mend_account_is_microsoft (account) &&
          g_strcmp0 (mend_account_get_address (account), address) == 0)
        return TRUE;
    }

  return FALSE;
}

static void
start_probes (GTask *task)
{
  MendDiagnosis *self = g_task_get_source_object (task);
  g_autoptr(MendTokenService) service = mend_token_service_new ();
  g_autoptr(MendAccountVerifier) verifier = mend_account_verifier_new (service);

  if (self->ca_file != NULL)
    {
      g_autoptr(GError) error = NULL;

      if (!mend_account_verifier_set_ca_file (verifier, self->ca_file, &error))
        g_warning ("Ignoring the CA file: %s", error->message);
    }

  for (guint i = 0; i < self->stored_addresses->len; i++)
    {
      const char *address = g_ptr_array_index (self->stored_addresses, i);
      Verify *verify = g_new0 (Verify, 1);

      verify->verification = g_new0 (MendDiagnosisVerification, 1);
      verify->verification->address = g_strdup (address);
      g_ptr_array_add (self->verifications, verify->verification);
      verify->task = part_start (task);

      g_debug ("Checking the sign-in for %s against the mail servers", address);
      mend_account_verifier_run_async (verifier, address, self->imap, self->smtp,
                                       address_uses_pop (self, address) ? self->pop : NULL,
                                       g_task_get_cancellable (task), on_verified, verify);
    }
}

/* The probes need both the scan and the list of sign-ins. */
static void
maybe_start_probes (GTask *task)
{
  MendDiagnosis *self = g_task_get_source_object (task);

  if (self->scanned && self->listed)
    start_probes (task);
}

static void
on_scanned (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  MendDiagnosis *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;

  if (!mend_scanner_scan_finish (MEND_SCANNER (object), result, &error))
    g_debug ("The scan did not finish: %s", error->message);

  self->scanned = TRUE;
  maybe_start_probes (task);
  part_done (task);
}

static void
on_listed (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  MendDiagnosis *self = g_task_get_source_object (task);
  g_autoptr(GPtrArray) tokens = NULL;
  g_autoptr(GError) error = NULL;

  tokens = mend_token_store_list_finish (MEND_TOKEN_STORE (object), result, NULL, &error);
  if (tokens == NULL)
    self->keyring_finding = mend_token_store_error_to_finding (error);

  for (guint i = 0; tokens != NULL && i < tokens->len; i++)
    {
      const char *address = mend_oauth_token_get_address (g_ptr_array_index (tokens, i));

      if (address != NULL)
        g_ptr_array_add (self->stored_addresses, g_strdup (address));
    }

  self->listed = TRUE;
  maybe_start_probes (task);
  part_done (task);
}

void
mend_diagnosis_run_async (MendDiagnosis       *self,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_autoptr(MendServiceStatus) status = mend_service_status_new ();
  g_autoptr(MendPreflight) preflight = mend_preflight_new ();
  g_autoptr(MendScanner) scanner = mend_scanner_new ();
  g_autoptr(MendTokenStore) store = mend_token_store_new ();
  g_autoptr(GTask) task = NULL;
  guint *pending;

  g_return_if_fail (MEND_IS_DIAGNOSIS (self));
  g_return_if_fail (!self->running);

  self->running = TRUE;
  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, mend_diagnosis_run_async);
  /* The parts still running; this function holds one until everything has started. */
  pending = g_new0 (guint, 1);
  *pending = 1;
  g_task_set_task_data (task, pending, g_free);

  if (self->ca_file != NULL)
    {
      g_autoptr(GError) error = NULL;

      if (!mend_preflight_set_ca_file (preflight, self->ca_file, &error))
        g_warning ("Ignoring the CA file: %s", error->message);
    }

  mend_service_status_check_async (status, cancellable, on_status, part_start (task));
  mend_preflight_run_async (preflight, cancellable, on_preflight, part_start (task));
  mend_scanner_scan_async (scanner, self->scan_context, cancellable, on_scanned,
                           part_start (task));
  mend_token_store_list_async (store, cancellable, on_listed, part_start (task));

  part_done (task);
}

gboolean
mend_diagnosis_run_finish (MendDiagnosis  *self,
                           GAsyncResult   *result,
                           GError        **error)
{
  g_return_val_if_fail (MEND_IS_DIAGNOSIS (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

MendStatusReport *
mend_diagnosis_get_status (MendDiagnosis *self)
{
  g_return_val_if_fail (MEND_IS_DIAGNOSIS (self), NULL);

  return self->status;
}

GPtrArray *
mend_diagnosis_get_preflight (MendDiagnosis *self)
{
  g_return_val_if_fail (MEND_IS_DIAGNOSIS (self), NULL);

  return self->preflight;
}

MendScanContext *
mend_diagnosis_get_scan_context (MendDiagnosis *self)
{
  g_return_val_if_fail (MEND_IS_DIAGNOSIS (self), NULL);

  return self->scan_context;
}

/* Returns: (element-type MendDiagnosisVerification): one per stored sign-in */
GPtrArray *
mend_diagnosis_get_verifications (MendDiagnosis *self)
{
  g_return_val_if_fail (MEND_IS_DIAGNOSIS (self), NULL);

  return self->verifications;
}

static void
add_all (GPtrArray *findings,
         GPtrArray *more)
{
  for (guint i = 0; more != NULL && i < more->len; i++)
    g_ptr_array_add (findings, g_object_ref (g_ptr_array_index (more, i)));
}

/**
 * mend_diagnosis_dup_findings:
 *
 * Returns: (transfer container): every finding, in the order of the checks: status,
 *   preflight, the scan's own, each account's, the keyring's, each probe's
 */
GPtrArray *
mend_diagnosis_dup_findings (MendDiagnosis *self)
{
  GPtrArray *findings = g_ptr_array_new_with_free_func (g_object_unref);
  GPtrArray *accounts;

  g_return_val_if_fail (MEND_IS_DIAGNOSIS (self), NULL);

  if (self->status != NULL)
    add_all (findings, mend_status_report_get_findings (self->status));
  add_all (findings, self->preflight);
  add_all (findings, mend_scan_context_get_findings (self->scan_context));

  accounts = mend_scan_context_get_accounts (self->scan_context);
  for (guint i = 0; i < accounts->len; i++)
    {
      MendAccount *account = g_ptr_array_index (accounts, i);

      if (mend_account_is_microsoft (account))
        add_all (findings, mend_account_get_findings (account));
    }

  if (self->keyring_finding != NULL)
    g_ptr_array_add (findings, g_object_ref (self->keyring_finding));

  for (guint i = 0; i < self->verifications->len; i++)
    {
      MendDiagnosisVerification *verification = g_ptr_array_index (self->verifications, i);

      if (verification->finding != NULL)
        g_ptr_array_add (findings, g_object_ref (verification->finding));
      for (guint j = 0; verification->results != NULL && j < verification->results->len; j++)
        add_all (findings, mend_probe_result_get_findings (g_ptr_array_index (verification->results, j)));
    }

  return findings;
}
