/* mend-mutt-client-private.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "mend-mutt-client.h"

G_BEGIN_DECLS

/* Mutt and NeoMutt share the muttrc format: these let the NeoMutt client
 * find its files and accounts, and plan their repair, the way the Mutt client does. */
char *_mend_mutt_client_find_muttrc (MendScanContext *context);
void  _mend_mutt_client_scan_muttrc (MendScanContext *context,
                                     const char      *client_id,
                                     const char      *client_name,
                                     const char      *path);
void  _mend_mutt_client_plan_repair (MendRepairContext *context,
                                     MendRepairPlan    *plan,
                                     const char        *client_id,
                                     const char        *client_name,
                                     const char        *path);

G_END_DECLS
