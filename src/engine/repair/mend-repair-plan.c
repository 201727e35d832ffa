/* mend-repair-plan.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "mend-repair-plan"

#include "config.h"

#include <string.h>

#include "mend-repair-plan.h"
#include "mend-scan-context.h"

struct _MendRepairPlan
{
  GObject     parent_instance;

  char       *client_id;
  char       *client_name;
  GPtrArray  *accounts;
  /* MendFileEdit, in the order the files were first read; by_path indexes them. */
  GPtrArray  *edits;
  GHashTable *by_path;
  GPtrArray  *findings;
  GPtrArray  *notes;
  gboolean    must_close;
};

G_DEFINE_FINAL_TYPE (MendRepairPlan, mend_repair_plan, G_TYPE_OBJECT)

static void
mend_repair_plan_finalize (GObject *object)
{
  MendRepairPlan *self = (MendRepairPlan *)object;

  g_clear_pointer (&self->client_id, g_free);
  g_clear_pointer (&self->client_name, g_free);
  g_clear_pointer (&self->accounts, g_ptr_array_unref);
  g_clear_pointer (&self->edits, g_ptr_array_unref);
  g_clear_pointer (&self->by_path, g_hash_table_unref);
  g_clear_pointer (&self->findings, g_ptr_array_unref);
  g_clear_pointer (&self->notes, g_ptr_array_unref);

  G_OBJECT_CLASS (mend_repair_plan_parent_class)->finalize (object);
}

static void
mend_repair_plan_class_init (MendRepairPlanClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = mend_repair_plan_finalize;
}

static void
mend_repair_plan_init (MendRepairPlan *self)
{
  self->edits = g_ptr_array_new_with_free_func (g_object_unref);
  self->by_path = g_hash_table_new (g_str_hash, g_str_equal);
  self->findings = g_ptr_array_new_with_free_func (g_object_unref);
  self->notes = g_ptr_array_new_null_terminated (1, g_free, TRUE);
}

MendRepairPlan *
mend_repair_plan_new (const char *client_id,
                      const char *client_name,
                      GPtrArray  *accounts)
{
  MendRepairPlan *self;

  g_return_val_if_fail (client_id != NULL, NULL);
  g_return_val_if_fail (client_name != NULL, NULL);
  g_return_val_if_fail (accounts != NULL && accounts->len > 0, NULL);

  self = g_object_new (MEND_TYPE_REPAIR_PLAN, NULL);
  self->client_id = g_strdup (client_id);
  self->client_name = g_strdup (client_name);
  self->accounts = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < accounts->len; i++)
    g_ptr_array_add (self->accounts, g_object_ref (g_ptr_array_index (accounts, i)));

  return self;
}

const char *
mend_repair_plan_get_client_id (MendRepairPlan *self)
{
  g_return_val_if_fail (MEND_IS_REPAIR_PLAN (self), NULL);

  return self->client_id;
}

const char *
mend_repair_plan_get_client_name (MendRepairPlan *self)
{
  g_return_val_if_fail (MEND_IS_REPAIR_PLAN (self), NULL);

  return self->client_name;
}

GPtrArray *
mend_repair_plan_get_accounts (MendRepairPlan *self)
{
  g_return_val_if_fail (MEND_IS_REPAIR_PLAN (self), NULL);

  return self->accounts;
}

const char *
mend_repair_plan_get_account_id (MendRepairPlan *self)
{
  g_return_val_if_fail (MEND_IS_REPAIR_PLAN (self), NULL);

  return mend_account_get_id (g_ptr_array_index (self->accounts, 0));
}

const char *
mend_repair_plan_get_address (MendRepairPlan *self)
{
  g_return_val_if_fail (MEND_IS_REPAIR_PLAN (self), NULL);

  for (guint i = 0; i < self->accounts->len; i++)
    {
      const char *address = mend_account_get_address (g_ptr_array_index (self->accounts, i));

      if (address != NULL)
        return address;
    }

  return NULL;
}

/* Gives the file as the plan would leave it so far. The first read of a path takes the
 * bytes from disk and keeps them as the original the edit is checked against when applied. */
gboolean
mend_repair_plan_read_file (MendRepairPlan  *self,
                            const char      *path,
                            char           **contents,
                            gsize           *length,
                            GError         **error)
{
  MendFileEdit *edit;
  GBytes *current;
  const char *data;
  gsize size;

  g_return_val_if_fail (MEND_IS_REPAIR_PLAN (self), FALSE);
  g_return_val_if_fail (path != NULL && g_path_is_absolute (path), FALSE);
  g_return_val_if_fail (contents != NULL, FALSE);

  edit = g_hash_table_lookup (self->by_path, path);
  if (edit == NULL)
    {
      g_autoptr(GBytes) bytes = NULL;
      g_autofree char *disk = NULL;
      gsize disk_length = 0;

      if (!g_file_get_contents (path, &disk, &disk_length, error))
        return FALSE;
      if (disk_length > MEND_SCAN_MAX_FILE_SIZE)
        {
          g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_FAILED, "%s is too large", path);
          return FALSE;
        }

      bytes = g_bytes_new_take (g_steal_pointer (&disk), disk_length);
      edit = mend_file_edit_new (path, bytes, bytes);
      g_ptr_array_add (self->edits, edit);
      g_hash_table_insert (self->by_path, (char *)mend_file_edit_get_path (edit), edit);
    }

  /* All the bytes, NULs included, and a NUL after them for the text parsers. */
  current = mend_file_edit_get_replacement (edit);
  data = g_bytes_get_data (current, &size);
  *contents = g_malloc (size + 1);
  memcpy (*contents, data, size);
  (*contents)[size] = '\0';
  if (length != NULL)
    *length = size;

  return TRUE;
}

/* @path must have been read through mend_repair_plan_read_file() first: an edit always
 * knows the bytes it replaces. */
void
mend_repair_plan_write_file (MendRepairPlan *self,
                             const char     *path,
                             const char     *contents,
                             gssize          length)
{
  g_autoptr(GBytes) bytes = NULL;
  MendFileEdit *edit;

  g_return_if_fail (MEND_IS_REPAIR_PLAN (self));
  g_return_if_fail (contents != NULL);

  edit = g_hash_table_lookup (self->by_path, path);
  g_return_if_fail (edit != NULL);

  bytes = g_bytes_new (contents, length < 0 ? strlen (contents) : (gsize)length);
  mend_file_edit_set_replacement (edit, bytes);
}

GPtrArray *
mend_repair_plan_dup_edits (MendRepairPlan *self)
{
  GPtrArray *edits;

  g_return_val_if_fail (MEND_IS_REPAIR_PLAN (self), NULL);

  edits = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < self->edits->len; i++)
    {
      MendFileEdit *edit = g_ptr_array_index (self->edits, i);

      if (mend_file_edit_is_change (edit))
        g_ptr_array_add (edits, g_object_ref (edit));
    }

  return edits;
}

void
mend_repair_plan_add_finding (MendRepairPlan *self,
                              MendFinding    *finding)
{
  g_return_if_fail (MEND_IS_REPAIR_PLAN (self));
  g_return_if_fail (MEND_IS_FINDING (finding));

  for (guint i = 0; i < self->findings->len; i++)
    {
      MendFinding *known = g_ptr_array_index (self->findings, i);

      if (g_strcmp0 (mend_finding_get_id (known), mend_finding_get_id (finding)) == 0)
        return;
    }

  g_ptr_array_add (self->findings, g_object_ref (finding));
}

GPtrArray *
mend_repair_plan_get_findings (MendRepairPlan *self)
{
  g_return_val_if_fail (MEND_IS_REPAIR_PLAN (self), NULL);

  return self->findings;
}

/* A sentence for what the user sees afterwards, such as Thunderbird asking them to sign in. */
void
mend_repair_plan_add_note (MendRepairPlan *self,
                           const char     *note)
{
  g_return_if_fail (MEND_IS_REPAIR_PLAN (self));
  g_return_if_fail (note != NULL);

  g_ptr_array_add (self->notes, g_strdup (note));
}

const char * const *
mend_repair_plan_get_notes (MendRepairPlan *self)
{
  g_return_val_if_fail (MEND_IS_REPAIR_PLAN (self), NULL);

  return (const char * const *)self->notes->pdata;
}

/* The client rewrites its configuration while it runs (Thunderbird, Claws Mail…), so it
 * must be closed before the plan is applied. */
void
mend_repair_plan_set_must_close (MendRepairPlan *self,
                                 gboolean        must_close)
{
  g_return_if_fail (MEND_IS_REPAIR_PLAN (self));

  self->must_close = !!must_close;
}

gboolean
mend_repair_plan_get_must_close (MendRepairPlan *self)
{
  g_return_val_if_fail (MEND_IS_REPAIR_PLAN (self), FALSE);

  return self->must_close;
}

gboolean
mend_repair_plan_can_apply (MendRepairPlan *self)
{
  g_autoptr(GPtrArray) edits = NULL;

  g_return_val_if_fail (MEND_IS_REPAIR_PLAN (self), FALSE);

  if (self->findings->len > 0)
    return FALSE;

  edits = mend_repair_plan_dup_edits (self);
  return edits->len > 0;
}
