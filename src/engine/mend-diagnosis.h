/* mend-diagnosis.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "mend-scan-context.h"
#include "mend-server-address.h"
#include "mend-status-report.h"

G_BEGIN_DECLS

#define MEND_TYPE_DIAGNOSIS (mend_diagnosis_get_type ())

G_DECLARE_FINAL_TYPE (MendDiagnosis, mend_diagnosis, MEND, DIAGNOSIS, GObject)

/* One stored sign-in checked against the mail servers. */
typedef struct
{
  char      *address;
  /* MendProbeResult: IMAP, SMTP, then POP when an account of the address uses it. */
  GPtrArray *results;
  /* Why it could not be checked at all (keyring, refused refresh…), or NULL. */
  MendFinding *finding;
} MendDiagnosisVerification;

MendDiagnosis    *mend_diagnosis_new                (MendScanContext      *scan_context);
void              mend_diagnosis_set_servers        (MendDiagnosis        *self,
                                                     const MendServerAddress *imap,
                                                     const MendServerAddress *smtp,
                                                     const MendServerAddress *pop);
gboolean          mend_diagnosis_set_ca_file        (MendDiagnosis        *self,
                                                     const char           *path,
                                                     GError              **error);
void              mend_diagnosis_run_async          (MendDiagnosis        *self,
                                                     GCancellable         *cancellable,
                                                     GAsyncReadyCallback   callback,
                                                     gpointer              user_data);
gboolean          mend_diagnosis_run_finish         (MendDiagnosis        *self,
                                                     GAsyncResult         *result,
                                                     GError              **error);

MendStatusReport *mend_diagnosis_get_status         (MendDiagnosis        *self);
GPtrArray        *mend_diagnosis_get_preflight      (MendDiagnosis        *self);
MendScanContext  *mend_diagnosis_get_scan_context   (MendDiagnosis        *self);
GPtrArray        *mend_diagnosis_get_verifications  (MendDiagnosis        *self);
GPtrArray        *mend_diagnosis_dup_findings       (MendDiagnosis        *self);

G_END_DECLS
