/* mend-account-group.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

#include "mend-account.h"

G_BEGIN_DECLS

typedef enum
{
  /* Uses a password with Microsoft, and Mailmend can switch it. */
  MEND_ACCOUNT_STATUS_NEEDS_REPAIR,
  /* Cannot use OAuth 2.0 in this client: something else must change. */
  MEND_ACCOUNT_STATUS_CANNOT_REPAIR,
  /* Already uses OAuth 2.0 everywhere. */
  MEND_ACCOUNT_STATUS_READY,
  /* Not Microsoft's, or nothing known to be wrong. */
  MEND_ACCOUNT_STATUS_OTHER,
} MendAccountStatus;

#define MEND_TYPE_ACCOUNT_GROUP (mend_account_group_get_type ())

G_DECLARE_FINAL_TYPE (MendAccountGroup, mend_account_group, MEND, ACCOUNT_GROUP, GObject)

GPtrArray         *mend_account_group_collect        (GPtrArray        *accounts);
const char        *mend_account_group_get_client     (MendAccountGroup *self);
const char        *mend_account_group_get_profile    (MendAccountGroup *self);
const char        *mend_account_group_get_address    (MendAccountGroup *self);
GPtrArray         *mend_account_group_get_servers    (MendAccountGroup *self);
MendAccountStatus  mend_account_group_get_status     (MendAccountGroup *self);
gboolean           mend_account_group_is_microsoft   (MendAccountGroup *self);
char              *mend_account_group_dup_protocols  (MendAccountGroup *self);

G_END_DECLS
