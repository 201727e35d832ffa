/* mend-scanner.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "mend-scanner"

#include "config.h"

#include "mend-microsoft.h"
#include "mend-scan-findings.h"
#include "mend-scanner.h"

#include "mend-thunderbird-client.h"
#include "mend-evolution-client.h"
#include "mend-goa-client.h"
#include "mend-geary-client.h"
#include "mend-kmail-client.h"
#include "mend-claws-mail-client.h"
#include "mend-sylpheed-client.h"
#include "mend-neomutt-client.h"
#include "mend-mutt-client.h"
#include "mend-msmtp-client.h"
#include "mend-mbsync-client.h"
#include "mend-aerc-client.h"
#include "mend-himalaya-client.h"
#include "mend-fetchmail-client.h"
#include "mend-offlineimap-client.h"
#include "mend-alpine-client.h"

/* Runs every mail client's scan over one context, then adds the findings
 * that follow from an account's settings alone, whatever its client. */
struct _MendScanner
{
  GObject    parent_instance;

  GPtrArray *clients;
};

G_DEFINE_FINAL_TYPE (MendScanner, mend_scanner, G_TYPE_OBJECT)

static void
add_common_findings (MendAccount *account)
{
  MendMicrosoftCloud cloud = mend_microsoft_classify_host (mend_account_get_host (account));
  g_autoptr(MendFinding) finding = NULL;

  if (mend_account_get_security (account) == MEND_SECURITY_NONE)
    {
      g_autoptr(MendFinding) insecure = mend_scan_finding_insecure_connection (account);
      mend_account_add_finding (account, insecure);
    }

  if (cloud == MEND_MICROSOFT_CLOUD_NONE)
    return;

  if (cloud != MEND_MICROSOFT_CLOUD_GLOBAL)
    {
      g_autoptr(MendFinding) sovereign = mend_scan_finding_sovereign_cloud (account);
      mend_account_add_finding (account, sovereign);
    }

  if (mend_account_get_protocol (account) == MEND_PROTOCOL_POP3)
    {
      g_autoptr(MendFinding) pop3 = mend_scan_finding_pop3_in_use (account);
      mend_account_add_finding (account, pop3);
    }

  switch (mend_account_get_auth (account))
    {
    case MEND_AUTH_PASSWORD:
      finding = mend_scan_finding_basic_auth (account);
      break;
    case MEND_AUTH_OAUTH2:
      finding = mend_scan_finding_oauth_ready (account);
      break;
    case MEND_AUTH_NONE:
    case MEND_AUTH_OTHER:
    default:
      break;
    }

  if (finding != NULL)
    mend_account_add_finding (account, finding);
}

/* A stable order, whatever order the clients read their folders in. */
static int
compare_accounts (gconstpointer a,
                  gconstpointer b,
                  gpointer      user_data)
{
  MendAccount *account_a = *(MendAccount **) a;
  MendAccount *account_b = *(MendAccount **) b;
  int result;

  if ((result = g_strcmp0 (mend_account_get_source (account_a), mend_account_get_source (account_b))))
    return result;
  if ((result = g_strcmp0 (mend_account_get_key (account_a), mend_account_get_key (account_b))))
    return result;

  return (int) mend_account_get_protocol (account_a) - (int) mend_account_get_protocol (account_b);
}

static void
scan_in_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  mend_scanner_scan (MEND_SCANNER (source_object), MEND_SCAN_CONTEXT (task_data));
  g_task_return_boolean (task, TRUE);
}

static void
mend_scanner_finalize (GObject *object)
{
  MendScanner *self = (MendScanner *) object;

  g_clear_pointer (&self->clients, g_ptr_array_unref);

  G_OBJECT_CLASS (mend_scanner_parent_class)->finalize (object);
}

static void
mend_scanner_class_init (MendScannerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = mend_scanner_finalize;
}

static void
mend_scanner_init (MendScanner *self)
{
  const GType client_types[] = {
  MEND_TYPE_THUNDERBIRD_CLIENT,
  MEND_TYPE_EVOLUTION_CLIENT,
  MEND_TYPE_GOA_CLIENT,
  MEND_TYPE_GEARY_CLIENT,
  MEND_TYPE_KMAIL_CLIENT,
  MEND_TYPE_CLAWS_MAIL_CLIENT,
  MEND_TYPE_SYLPHEED_CLIENT,
  MEND_TYPE_NEOMUTT_CLIENT,
  MEND_TYPE_MUTT_CLIENT,
  MEND_TYPE_MSMTP_CLIENT,
  MEND_TYPE_MBSYNC_CLIENT,
  MEND_TYPE_AERC_CLIENT,
  MEND_TYPE_HIMALAYA_CLIENT,
  MEND_TYPE_FETCHMAIL_CLIENT,
  MEND_TYPE_OFFLINEIMAP_CLIENT,
  MEND_TYPE_ALPINE_CLIENT,
  };

  self->clients = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < G_N_ELEMENTS (client_types); i++)
    g_ptr_array_add (self->clients, g_object_new (client_types[i], NULL));
}

MendScanner *
mend_scanner_new (void)
{
  return g_object_new (MEND_TYPE_SCANNER, NULL);
}

/**
 * mend_scanner_get_clients:
 *
 * Returns: (transfer none) (element-type MendClient): every client Mailmend knows
 */
GPtrArray *
mend_scanner_get_clients (MendScanner *self)
{
  g_return_val_if_fail (MEND_IS_SCANNER (self), NULL);

  return self->clients;
}

/**
 * mend_scanner_find_client:
 * @id: a client's id, such as “thunderbird”
 *
 * Returns: (transfer none) (nullable): the client
 */
MendClient *
mend_scanner_find_client (MendScanner *self,
                          const char  *id)
{
  g_return_val_if_fail (MEND_IS_SCANNER (self), NULL);

  for (guint i = 0; i < self->clients->len; i++)
    {
      MendClient *client = g_ptr_array_index (self->clients, i);

      if (g_strcmp0 (mend_client_get_id (client), id) == 0)
        return client;
    }

  return NULL;
}

/**
 * mend_scanner_scan:
 * @context: where to look, and where the accounts and findings go
 *
 * Scans synchronously. Reads files only: it never writes, renames or locks.
 */
void
mend_scanner_scan (MendScanner     *self,
                   MendScanContext *context)
{
  GPtrArray *accounts;
  guint first = 0;

  g_return_if_fail (MEND_IS_SCANNER (self));
  g_return_if_fail (MEND_IS_SCAN_CONTEXT (context));

  accounts = mend_scan_context_get_accounts (context);

  for (guint i = 0; i < self->clients->len; i++)
    {
      MendClient *client = g_ptr_array_index (self->clients, i);

      mend_client_scan (client, context);
      g_debug ("%s: %u servers", mend_client_get_id (client), accounts->len - first);
      g_qsort_with_data (accounts->pdata + first, accounts->len - first, sizeof (gpointer),
                         compare_accounts, NULL);
      first = accounts->len;
    }

  for (guint i = 0; i < accounts->len; i++)
    add_common_findings (g_ptr_array_index (accounts, i));
}

/**
 * mend_scanner_scan_async:
 *
 * Scans in a worker thread. @context must not be used until the scan finishes.
 */
void
mend_scanner_scan_async (MendScanner         *self,
                         MendScanContext     *context,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (MEND_IS_SCANNER (self));
  g_return_if_fail (MEND_IS_SCAN_CONTEXT (context));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, mend_scanner_scan_async);
  g_task_set_task_data (task, g_object_ref (context), g_object_unref);
  g_task_run_in_thread (task, scan_in_thread);
}

gboolean
mend_scanner_scan_finish (MendScanner   *self,
                          GAsyncResult  *result,
                          GError       **error)
{
  g_return_val_if_fail (MEND_IS_SCANNER (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
