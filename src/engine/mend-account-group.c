/* mend-account-group.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "mend-account-group"

#include "config.h"

#include "mend-account-group.h"

/* What a person calls “an account”: the servers one mail client uses for
 * one address in one profile, such as IMAP and SMTP together. */
struct _MendAccountGroup
{
  GObject    parent_instance;

  GPtrArray *servers;
};

G_DEFINE_FINAL_TYPE (MendAccountGroup, mend_account_group, G_TYPE_OBJECT)

static void
mend_account_group_finalize (GObject *object)
{
  MendAccountGroup *self = (MendAccountGroup *) object;

  g_clear_pointer (&self->servers, g_ptr_array_unref);

  G_OBJECT_CLASS (mend_account_group_parent_class)->finalize (object);
}

static void
mend_account_group_class_init (MendAccountGroupClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = mend_account_group_finalize;
}

static void
mend_account_group_init (MendAccountGroup *self)
{
  self->servers = g_ptr_array_new_with_free_func (g_object_unref);
}

static MendAccount *
first_server (MendAccountGroup *self)
{
  return g_ptr_array_index (self->servers, 0);
}

static gboolean
same_group (MendAccount *a,
            MendAccount *b)
{
  return g_str_equal (mend_account_get_client (a), mend_account_get_client (b)) &&
         g_strcmp0 (mend_account_get_profile (a), mend_account_get_profile (b)) == 0 &&
         g_strcmp0 (mend_account_get_address (a), mend_account_get_address (b)) == 0 &&
         /* Without an address, servers cannot be told apart: keep them alone. */
         mend_account_get_address (a) != NULL;
}

/**
 * mend_account_group_collect:
 * @accounts: (element-type MendAccount): servers, as a scan finds them
 *
 * Returns: (transfer container) (element-type MendAccountGroup): the
 *   accounts, in the order of their first server
 */
GPtrArray *
mend_account_group_collect (GPtrArray *accounts)
{
  GPtrArray *groups = g_ptr_array_new_with_free_func (g_object_unref);

  g_return_val_if_fail (accounts != NULL, groups);

  for (guint i = 0; i < accounts->len; i++)
    {
      MendAccount *account = g_ptr_array_index (accounts, i);
      MendAccountGroup *group = NULL;

      for (guint j = 0; j < groups->len && group == NULL; j++)
        {
          MendAccountGroup *candidate = g_ptr_array_index (groups, j);

          if (same_group (first_server (candidate), account))
            group = candidate;
        }

      if (group == NULL)
        {
          group = g_object_new (MEND_TYPE_ACCOUNT_GROUP, NULL);
          g_ptr_array_add (groups, group);
        }

      g_ptr_array_add (group->servers, g_object_ref (account));
    }

  return groups;
}

const char *
mend_account_group_get_client (MendAccountGroup *self)
{
  g_return_val_if_fail (MEND_IS_ACCOUNT_GROUP (self), NULL);

  return mend_account_get_client (first_server (self));
}

const char *
mend_account_group_get_profile (MendAccountGroup *self)
{
  g_return_val_if_fail (MEND_IS_ACCOUNT_GROUP (self), NULL);

  return mend_account_get_profile (first_server (self));
}

/**
 * mend_account_group_get_address:
 *
 * Returns: (nullable): the e-mail address, or the user name when the
 *   client does not say
 */
const char *
mend_account_group_get_address (MendAccountGroup *self)
{
  MendAccount *server;

  g_return_val_if_fail (MEND_IS_ACCOUNT_GROUP (self), NULL);

  server = first_server (self);

  return mend_account_get_address (server) ? mend_account_get_address (server)
                                           : mend_account_get_username (server);
}

/**
 * mend_account_group_get_servers:
 *
 * Returns: (transfer none) (element-type MendAccount): the servers
 */
GPtrArray *
mend_account_group_get_servers (MendAccountGroup *self)
{
  g_return_val_if_fail (MEND_IS_ACCOUNT_GROUP (self), NULL);

  return self->servers;
}

gboolean
mend_account_group_is_microsoft (MendAccountGroup *self)
{
  g_return_val_if_fail (MEND_IS_ACCOUNT_GROUP (self), FALSE);

  for (guint i = 0; i < self->servers->len; i++)
    {
      if (mend_account_is_microsoft (g_ptr_array_index (self->servers, i)))
        return TRUE;
    }

  return FALSE;
}

/**
 * mend_account_group_get_status:
 *
 * Returns: whether the account needs Mailmend, cannot be helped here, or
 *   is fine. A finding that blocks OAuth 2.0 anywhere wins over one that
 *   Mailmend can repair.
 */
MendAccountStatus
mend_account_group_get_status (MendAccountGroup *self)
{
  gboolean needs_repair = FALSE;
  gboolean all_ready = TRUE;

  g_return_val_if_fail (MEND_IS_ACCOUNT_GROUP (self), MEND_ACCOUNT_STATUS_OTHER);

  for (guint i = 0; i < self->servers->len; i++)
    {
      MendAccount *server = g_ptr_array_index (self->servers, i);

      if (!mend_account_is_microsoft (server))
        continue;

      if (mend_account_has_finding (server, "no-oauth-path") ||
          mend_account_has_finding (server, "client-too-old"))
        return MEND_ACCOUNT_STATUS_CANNOT_REPAIR;

      if (mend_account_has_finding (server, "basic-auth") ||
          mend_account_has_finding (server, "legacy-host"))
        needs_repair = TRUE;

      if (!mend_account_has_finding (server, "oauth-ready"))
        all_ready = FALSE;
    }

  if (needs_repair)
    return MEND_ACCOUNT_STATUS_NEEDS_REPAIR;

  if (all_ready && mend_account_group_is_microsoft (self))
    return MEND_ACCOUNT_STATUS_READY;

  return MEND_ACCOUNT_STATUS_OTHER;
}

/**
 * mend_account_group_dup_protocols:
 *
 * Returns: (transfer full): the servers' protocols, such as “IMAP, SMTP”
 */
char *
mend_account_group_dup_protocols (MendAccountGroup *self)
{
  g_autoptr(GString) protocols = g_string_new (NULL);

  g_return_val_if_fail (MEND_IS_ACCOUNT_GROUP (self), NULL);

  for (guint i = 0; i < self->servers->len; i++)
    {
      MendAccount *server = g_ptr_array_index (self->servers, i);
      g_autofree char *name = g_ascii_strup (mend_protocol_to_string (mend_account_get_protocol (server)), -1);

      if (strstr (protocols->str, name) != NULL)
        continue;
      if (protocols->len > 0)
        g_string_append (protocols, ", ");
      g_string_append (protocols, name);
    }

  return g_string_free (g_steal_pointer (&protocols), FALSE);
}
