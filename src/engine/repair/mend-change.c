/* mend-change.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A change lives in its own folder of the journal: `change.json` (this record) and the
 * backups, the exact bytes each file had before. The record is rewritten atomically at every
 * step, so it is always either the old state or the new one:
 *
 *   { "format": 1, "id": "20261128T031500Z-3f2a", "time": "2026-11-28T03:15:00Z",
 *     "state": "applied", "account_id": "…", "client": "msmtp", "client_name": "msmtp",
 *     "address": "alice@outlook.com", "undone_time": null,
 *     "files": [ { "path": "/home/alice/.msmtprc", "backup": "1-.msmtprc",
 *                  "original_sha256": "…", "new_sha256": "…" } ] }
 */

#define G_LOG_DOMAIN "mend-change"

#include "config.h"

#include <string.h>

#include <json-glib/json-glib.h>

#include "mend-atomic-file.h"
#include "mend-change-private.h"

#define FORMAT 1

struct _MendChange
{
  GObject          parent_instance;

  char            *folder;
  char            *id;
  GDateTime       *time;
  char            *account_id;
  char            *client_id;
  char            *client_name;
  char            *address;
  MendChangeState  state;
  GDateTime       *undone_time;
  /* Null-terminated, in the order the plan gave them; the checksums are hex SHA-256. */
  GPtrArray       *files;
  GPtrArray       *backups;
  GPtrArray       *original_checksums;
  GPtrArray       *new_checksums;
};

G_DEFINE_FINAL_TYPE (MendChange, mend_change, G_TYPE_OBJECT)

static const char * const state_names[] = {
  [MEND_CHANGE_STATE_PENDING] = "pending",
  [MEND_CHANGE_STATE_APPLIED] = "applied",
  [MEND_CHANGE_STATE_UNDOING] = "undoing",
  [MEND_CHANGE_STATE_UNDONE] = "undone",
  [MEND_CHANGE_STATE_ROLLED_BACK] = "rolled-back",
};

static gboolean
state_from_string (const char      *name,
                   MendChangeState *state)
{
  for (guint i = 0; i < G_N_ELEMENTS (state_names); i++)
    {
      if (g_strcmp0 (name, state_names[i]) == 0)
        {
          *state = i;
          return TRUE;
        }
    }

  return FALSE;
}

static char *
format_time (GDateTime *time)
{
  g_autoptr(GDateTime) utc = g_date_time_to_utc (time);

  return g_date_time_format (utc, "%Y-%m-%dT%H:%M:%SZ");
}

static void
add_string (JsonBuilder *builder,
            const char  *member,
            const char  *value)
{
  json_builder_set_member_name (builder, member);
  if (value != NULL)
    json_builder_add_string_value (builder, value);
  else
    json_builder_add_null_value (builder);
}

static const char *
get_string (JsonObject *object,
            const char *member)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;

  return json_node_get_string (node);
}

/* A backup is a plain name inside the change's folder, never a path elsewhere. */
static gboolean
is_plain_name (const char *name)
{
  return name != NULL && *name != '\0' && strchr (name, '/') == NULL &&
         !g_str_equal (name, ".") && !g_str_equal (name, "..");
}

static gboolean
is_checksum (const char *text)
{
  if (text == NULL || strlen (text) != 64)
    return FALSE;

  for (const char *c = text; *c != '\0'; c++)
    {
      if (!g_ascii_isxdigit (*c))
        return FALSE;
    }

  return TRUE;
}

static void
mend_change_finalize (GObject *object)
{
  MendChange *self = (MendChange *)object;

  g_clear_pointer (&self->folder, g_free);
  g_clear_pointer (&self->id, g_free);
  g_clear_pointer (&self->time, g_date_time_unref);
  g_clear_pointer (&self->account_id, g_free);
  g_clear_pointer (&self->client_id, g_free);
  g_clear_pointer (&self->client_name, g_free);
  g_clear_pointer (&self->address, g_free);
  g_clear_pointer (&self->undone_time, g_date_time_unref);
  g_clear_pointer (&self->files, g_ptr_array_unref);
  g_clear_pointer (&self->backups, g_ptr_array_unref);
  g_clear_pointer (&self->original_checksums, g_ptr_array_unref);
  g_clear_pointer (&self->new_checksums, g_ptr_array_unref);

  G_OBJECT_CLASS (mend_change_parent_class)->finalize (object);
}

static void
mend_change_class_init (MendChangeClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = mend_change_finalize;
}

static void
mend_change_init (MendChange *self)
{
  self->files = g_ptr_array_new_null_terminated (1, g_free, TRUE);
  self->backups = g_ptr_array_new_null_terminated (1, g_free, TRUE);
  self->original_checksums = g_ptr_array_new_with_free_func (g_free);
  self->new_checksums = g_ptr_array_new_with_free_func (g_free);
}

/* @folder is the change's own folder; its name is the change's id. The change starts pending. */
MendChange *
_mend_change_new (const char *folder,
                  GDateTime  *time,
                  const char *account_id,
                  const char *client_id,
                  const char *client_name,
                  const char *address)
{
  MendChange *self;

  g_return_val_if_fail (folder != NULL && g_path_is_absolute (folder), NULL);
  g_return_val_if_fail (time != NULL, NULL);
  g_return_val_if_fail (account_id != NULL, NULL);
  g_return_val_if_fail (client_id != NULL, NULL);

  self = g_object_new (MEND_TYPE_CHANGE, NULL);
  self->folder = g_strdup (folder);
  self->id = g_path_get_basename (folder);
  self->time = g_date_time_to_utc (time);
  self->account_id = g_strdup (account_id);
  self->client_id = g_strdup (client_id);
  self->client_name = g_strdup (client_name != NULL ? client_name : client_id);
  self->address = g_strdup (address);
  self->state = MEND_CHANGE_STATE_PENDING;

  return self;
}

void
_mend_change_add_file (MendChange *self,
                       const char *path,
                       const char *backup_name,
                       const char *original_checksum,
                       const char *new_checksum)
{
  g_return_if_fail (MEND_IS_CHANGE (self));
  g_return_if_fail (path != NULL && g_path_is_absolute (path));
  g_return_if_fail (is_plain_name (backup_name));
  g_return_if_fail (is_checksum (original_checksum));
  g_return_if_fail (is_checksum (new_checksum));

  g_ptr_array_add (self->files, g_strdup (path));
  g_ptr_array_add (self->backups, g_build_filename (self->folder, backup_name, NULL));
  g_ptr_array_add (self->original_checksums, g_strdup (original_checksum));
  g_ptr_array_add (self->new_checksums, g_strdup (new_checksum));
}

void
_mend_change_set_state (MendChange      *self,
                        MendChangeState  state)
{
  g_return_if_fail (MEND_IS_CHANGE (self));

  self->state = state;
  g_clear_pointer (&self->undone_time, g_date_time_unref);
  if (state == MEND_CHANGE_STATE_UNDONE)
    self->undone_time = g_date_time_new_now_utc ();
}

guint
_mend_change_get_n_files (MendChange *self)
{
  g_return_val_if_fail (MEND_IS_CHANGE (self), 0);

  return self->original_checksums->len;
}

const char *
_mend_change_get_original_checksum (MendChange *self,
                                    guint       index)
{
  g_return_val_if_fail (MEND_IS_CHANGE (self), NULL);
  g_return_val_if_fail (index < self->original_checksums->len, NULL);

  return g_ptr_array_index (self->original_checksums, index);
}

const char *
_mend_change_get_new_checksum (MendChange *self,
                               guint       index)
{
  g_return_val_if_fail (MEND_IS_CHANGE (self), NULL);
  g_return_val_if_fail (index < self->new_checksums->len, NULL);

  return g_ptr_array_index (self->new_checksums, index);
}

/* Writes the record atomically: after a crash it holds either the old state or the new. */
gboolean
_mend_change_save (MendChange  *self,
                   GError     **error)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *time = format_time (self->time);
  g_autofree char *undone_time = NULL;
  g_autofree char *path = NULL;
  g_autofree char *text = NULL;
  gsize length;

  g_return_val_if_fail (MEND_IS_CHANGE (self), FALSE);

  if (self->undone_time != NULL)
    undone_time = format_time (self->undone_time);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "format");
  json_builder_add_int_value (builder, FORMAT);
  add_string (builder, "id", self->id);
  add_string (builder, "time", time);
  add_string (builder, "state", state_names[self->state]);
  add_string (builder, "account_id", self->account_id);
  add_string (builder, "client", self->client_id);
  add_string (builder, "client_name", self->client_name);
  add_string (builder, "address", self->address);
  add_string (builder, "undone_time", undone_time);
  json_builder_set_member_name (builder, "files");
  json_builder_begin_array (builder);
  for (guint i = 0; i < _mend_change_get_n_files (self); i++)
    {
      g_autofree char *backup = g_path_get_basename (g_ptr_array_index (self->backups, i));

      json_builder_begin_object (builder);
      add_string (builder, "path", g_ptr_array_index (self->files, i));
      add_string (builder, "backup", backup);
      add_string (builder, "original_sha256", g_ptr_array_index (self->original_checksums, i));
      add_string (builder, "new_sha256", g_ptr_array_index (self->new_checksums, i));
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  json_generator_set_pretty (generator, TRUE);
  text = json_generator_to_data (generator, &length);
  bytes = g_bytes_new_take (g_steal_pointer (&text), length);

  path = g_build_filename (self->folder, MEND_CHANGE_RECORD, NULL);

  return mend_atomic_file_replace (path, bytes, MEND_ATOMIC_FILE_NONE, error);
}

static gboolean
invalid (GError    **error,
         const char *path,
         const char *what)
{
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "%s: %s", path, what);

  return FALSE;
}

static gboolean
load_files (MendChange  *self,
            JsonObject  *object,
            const char  *path,
            GError     **error)
{
  JsonNode *node = json_object_get_member (object, "files");
  JsonArray *files;

  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    return invalid (error, path, "no files");

  files = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (files); i++)
    {
      JsonNode *element = json_array_get_element (files, i);
      JsonObject *file;
      const char *file_path, *backup, *original, *replacement;

      if (!JSON_NODE_HOLDS_OBJECT (element))
        return invalid (error, path, "a file is not an object");

      file = json_node_get_object (element);
      file_path = get_string (file, "path");
      backup = get_string (file, "backup");
      original = get_string (file, "original_sha256");
      replacement = get_string (file, "new_sha256");

      if (file_path == NULL || !g_path_is_absolute (file_path) || !is_plain_name (backup) ||
          !is_checksum (original) || !is_checksum (replacement))
        return invalid (error, path, "a file is incomplete");

      _mend_change_add_file (self, file_path, backup, original, replacement);
    }

  if (_mend_change_get_n_files (self) == 0)
    return invalid (error, path, "no files");

  return TRUE;
}

/* Reads the record in @folder. A record that is missing, damaged or not of this format is an
 * error (G_IO_ERROR_NOT_FOUND, G_IO_ERROR_INVALID_DATA). */
MendChange *
_mend_change_load (const char  *folder,
                   GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(MendChange) self = NULL;
  g_autoptr(GDateTime) time = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *path = NULL;
  g_autofree char *id = NULL;
  JsonNode *root;
  JsonObject *object;
  JsonNode *format;
  const char *time_text, *undone_text;
  MendChangeState state;

  g_return_val_if_fail (folder != NULL && g_path_is_absolute (folder), NULL);

  path = g_build_filename (folder, MEND_CHANGE_RECORD, NULL);
  if ((bytes = mend_atomic_file_read (path, error)) == NULL)
    return NULL;

  if (!json_parser_load_from_data (parser, g_bytes_get_data (bytes, NULL),
                                   g_bytes_get_size (bytes), &local_error))
    {
      invalid (error, path, local_error->message);
      return NULL;
    }

  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      invalid (error, path, "not an object");
      return NULL;
    }
  object = json_node_get_object (root);

  format = json_object_get_member (object, "format");
  if (format == NULL || !JSON_NODE_HOLDS_VALUE (format) ||
      json_node_get_value_type (format) != G_TYPE_INT64 || json_node_get_int (format) != FORMAT)
    {
      invalid (error, path, "unknown format");
      return NULL;
    }

  id = g_path_get_basename (folder);
  time_text = get_string (object, "time");
  if (g_strcmp0 (get_string (object, "id"), id) != 0 ||
      time_text == NULL || (time = g_date_time_new_from_iso8601 (time_text, NULL)) == NULL ||
      !state_from_string (get_string (object, "state"), &state) ||
      get_string (object, "account_id") == NULL || get_string (object, "client") == NULL)
    {
      invalid (error, path, "incomplete");
      return NULL;
    }

  self = _mend_change_new (folder, time, get_string (object, "account_id"),
                           get_string (object, "client"), get_string (object, "client_name"),
                           get_string (object, "address"));
  self->state = state;

  undone_text = get_string (object, "undone_time");
  if (undone_text != NULL)
    self->undone_time = g_date_time_new_from_iso8601 (undone_text, NULL);

  if (!load_files (self, object, path, error))
    return NULL;

  return g_steal_pointer (&self);
}

const char *
mend_change_get_id (MendChange *self)
{
  g_return_val_if_fail (MEND_IS_CHANGE (self), NULL);

  return self->id;
}

/* When the change was made, in UTC. */
GDateTime *
mend_change_get_time (MendChange *self)
{
  g_return_val_if_fail (MEND_IS_CHANGE (self), NULL);

  return self->time;
}

/* The id of the plan's first server, as `mailmend scan --json` gives it. */
const char *
mend_change_get_account_id (MendChange *self)
{
  g_return_val_if_fail (MEND_IS_CHANGE (self), NULL);

  return self->account_id;
}

/* The mail client's id, such as “thunderbird”. */
const char *
mend_change_get_client_id (MendChange *self)
{
  g_return_val_if_fail (MEND_IS_CHANGE (self), NULL);

  return self->client_id;
}

const char *
mend_change_get_client_name (MendChange *self)
{
  g_return_val_if_fail (MEND_IS_CHANGE (self), NULL);

  return self->client_name;
}

/* NULL when the account had no address. */
const char *
mend_change_get_address (MendChange *self)
{
  g_return_val_if_fail (MEND_IS_CHANGE (self), NULL);

  return self->address;
}

/* The change's folder in the journal, which holds its backups. */
const char *
mend_change_get_folder (MendChange *self)
{
  g_return_val_if_fail (MEND_IS_CHANGE (self), NULL);

  return self->folder;
}

/* The files the change wrote, as the plan named them (a symbolic link stays the link's path). */
const char * const *
mend_change_get_files (MendChange *self)
{
  g_return_val_if_fail (MEND_IS_CHANGE (self), NULL);

  return (const char * const *)self->files->pdata;
}

/* The backups, one for each file and in the same order: the exact bytes before the change. */
const char * const *
mend_change_get_backups (MendChange *self)
{
  g_return_val_if_fail (MEND_IS_CHANGE (self), NULL);

  return (const char * const *)self->backups->pdata;
}

MendChangeState
mend_change_get_state (MendChange *self)
{
  g_return_val_if_fail (MEND_IS_CHANGE (self), MEND_CHANGE_STATE_PENDING);

  return self->state;
}

gboolean
mend_change_get_undone (MendChange *self)
{
  g_return_val_if_fail (MEND_IS_CHANGE (self), FALSE);

  return self->state == MEND_CHANGE_STATE_UNDONE;
}

/* NULL unless the change was undone. */
GDateTime *
mend_change_get_undone_time (MendChange *self)
{
  g_return_val_if_fail (MEND_IS_CHANGE (self), NULL);

  return self->undone_time;
}

/**
 * mend_change_state_to_string:
 *
 * Returns: “pending”, “applied”, “undoing”, “undone” or “rolled-back”, as the journal and the
 *   JSON output spell them
 */
const char *
mend_change_state_to_string (MendChangeState state)
{
  g_return_val_if_fail (state < G_N_ELEMENTS (state_names), "pending");

  return state_names[state];
}
