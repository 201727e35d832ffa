/* mend-repair-context.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

#include "mend-scan-context.h"

G_BEGIN_DECLS

#define MEND_TYPE_REPAIR_CONTEXT (mend_repair_context_get_type ())

G_DECLARE_FINAL_TYPE (MendRepairContext, mend_repair_context, MEND, REPAIR_CONTEXT, GObject)

/* What a client needs to know, beyond its own files, to plan a repair: the scan it came from,
 * the addresses with a sign-in in Mailmend's keyring, Mailmend's client id (Claws Mail signs in
 * with it) and how a mail client runs `mailmend token`. */
MendRepairContext  *mend_repair_context_new                     (MendScanContext    *scan_context);
MendScanContext    *mend_repair_context_get_scan_context        (MendRepairContext  *self);
void                mend_repair_context_add_signed_in_address   (MendRepairContext  *self,
                                                                 const char         *address);
gboolean            mend_repair_context_is_signed_in            (MendRepairContext  *self,
                                                                 const char         *address);
const char         *mend_repair_context_get_client_id           (MendRepairContext  *self);
void                mend_repair_context_set_client_id           (MendRepairContext  *self,
                                                                 const char         *client_id);
const char * const *mend_repair_context_get_token_program       (MendRepairContext  *self);
void                mend_repair_context_set_token_program       (MendRepairContext  *self,
                                                                 const char * const *argv);
void                mend_repair_context_detect_token_program    (MendRepairContext  *self,
                                                                 const char         *cli_path);
char              **mend_repair_context_dup_token_argv          (MendRepairContext  *self,
                                                                 const char         *address);
char               *mend_repair_context_dup_token_shell_command (MendRepairContext  *self,
                                                                 const char         *address);

G_END_DECLS
