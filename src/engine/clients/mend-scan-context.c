/* mend-scan-context.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "mend-scan-context"

#include "config.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <sys/stat.h>

#include "mend-scan-context.h"
#include "mend-scan-findings.h"

/* What one scan looks at (a home folder, a configuration folder, a process
 * table) and what it found. Clients read files only through it, so that
 * every unreadable file is reported the same way and the scan never
 * writes, locks or blocks. */
struct _MendScanContext
{
  GObject     parent_instance;

  char       *home_dir;
  char       *config_dir;
  char       *proc_dir;
  GPtrArray  *extra_folders;

  /* Lazily filled: the names (comm) of every running process. */
  GHashTable *process_names;

  GPtrArray  *accounts;
  GPtrArray  *findings;
  /* Files already reported, so that two clients reading one file report it once. */
  GHashTable *reported_files;
};

G_DEFINE_FINAL_TYPE (MendScanContext, mend_scan_context, G_TYPE_OBJECT)

static void
mend_scan_context_finalize (GObject *object)
{
  MendScanContext *self = (MendScanContext *) object;

  g_free (self->home_dir);
  g_free (self->config_dir);
  g_free (self->proc_dir);
  g_clear_pointer (&self->extra_folders, g_ptr_array_unref);
  g_clear_pointer (&self->process_names, g_hash_table_unref);
  g_clear_pointer (&self->accounts, g_ptr_array_unref);
  g_clear_pointer (&self->findings, g_ptr_array_unref);
  g_clear_pointer (&self->reported_files, g_hash_table_unref);

  G_OBJECT_CLASS (mend_scan_context_parent_class)->finalize (object);
}

static void
mend_scan_context_class_init (MendScanContextClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = mend_scan_context_finalize;
}

static void
mend_scan_context_init (MendScanContext *self)
{
  self->proc_dir = g_strdup ("/proc");
  self->extra_folders = g_ptr_array_new_null_terminated (0, g_free, TRUE);
  self->accounts = g_ptr_array_new_with_free_func (g_object_unref);
  self->findings = g_ptr_array_new_with_free_func (g_object_unref);
  self->reported_files = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
}

/**
 * mend_scan_context_new:
 * @home_dir: (nullable): the home folder to scan; %NULL for the user's
 * @config_dir: (nullable): its configuration folder; %NULL for
 *   `$XDG_CONFIG_HOME`, or `~/.config` under @home_dir when that is given
 */
MendScanContext *
mend_scan_context_new (const char *home_dir,
                       const char *config_dir)
{
  MendScanContext *self = g_object_new (MEND_TYPE_SCAN_CONTEXT, NULL);

  self->home_dir = g_strdup (home_dir ? home_dir : g_get_home_dir ());

  if (config_dir != NULL)
    self->config_dir = g_strdup (config_dir);
  else if (home_dir != NULL)
    self->config_dir = g_build_filename (home_dir, ".config", NULL);
  else
    self->config_dir = g_strdup (g_get_user_config_dir ());

  return self;
}

const char *
mend_scan_context_get_home_dir (MendScanContext *self)
{
  g_return_val_if_fail (MEND_IS_SCAN_CONTEXT (self), NULL);

  return self->home_dir;
}

const char *
mend_scan_context_get_config_dir (MendScanContext *self)
{
  g_return_val_if_fail (MEND_IS_SCAN_CONTEXT (self), NULL);

  return self->config_dir;
}

/**
 * mend_scan_context_expand_path:
 * @path: a path from a configuration file: absolute, `~/…`, `$HOME/…`,
 *   `$XDG_CONFIG_HOME/…`, or relative
 * @relative_to: (nullable): the folder a relative @path is relative to;
 *   %NULL for the home folder
 *
 * Returns: (transfer full): an absolute, canonical path
 */
char *
mend_scan_context_expand_path (MendScanContext *self,
                               const char      *path,
                               const char      *relative_to)
{
  g_autofree char *expanded = NULL;

  g_return_val_if_fail (MEND_IS_SCAN_CONTEXT (self), NULL);
  g_return_val_if_fail (path != NULL, NULL);

  if (g_str_equal (path, "~") || g_str_has_prefix (path, "~/"))
    expanded = g_build_filename (self->home_dir, path + 1, NULL);
  else if (g_str_equal (path, "$HOME") || g_str_has_prefix (path, "$HOME/"))
    expanded = g_build_filename (self->home_dir, path + 5, NULL);
  else if (g_str_has_prefix (path, "${HOME}"))
    expanded = g_build_filename (self->home_dir, path + 7, NULL);
  else if (g_str_has_prefix (path, "$XDG_CONFIG_HOME"))
    expanded = g_build_filename (self->config_dir, path + 16, NULL);
  else if (g_path_is_absolute (path))
    expanded = g_strdup (path);
  else
    expanded = g_build_filename (relative_to ? relative_to : self->home_dir, path, NULL);

  return g_canonicalize_filename (expanded, NULL);
}

/**
 * mend_scan_context_set_proc_dir:
 * @proc_dir: a folder laid out like /proc (one folder per pid holding `comm`)
 *
 * For tests: where running processes are looked up.
 */
void
mend_scan_context_set_proc_dir (MendScanContext *self,
                                const char      *proc_dir)
{
  g_return_if_fail (MEND_IS_SCAN_CONTEXT (self));
  g_return_if_fail (proc_dir != NULL);

  g_free (self->proc_dir);
  self->proc_dir = g_strdup (proc_dir);
  g_clear_pointer (&self->process_names, g_hash_table_unref);
}

gboolean
mend_scan_context_is_pid_alive (MendScanContext *self,
                                gint64           pid)
{
  g_autofree char *name = NULL;
  g_autofree char *path = NULL;

  g_return_val_if_fail (MEND_IS_SCAN_CONTEXT (self), FALSE);

  if (pid <= 0)
    return FALSE;

  name = g_strdup_printf ("%" G_GINT64_FORMAT, pid);
  path = g_build_filename (self->proc_dir, name, NULL);

  return g_file_test (path, G_FILE_TEST_IS_DIR);
}

static GHashTable *
read_process_names (const char *proc_dir)
{
  GHashTable *names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GDir) dir = g_dir_open (proc_dir, 0, NULL);
  const char *entry;

  if (dir == NULL)
    return names;

  while ((entry = g_dir_read_name (dir)))
    {
      g_autofree char *comm_path = NULL;
      g_autofree char *comm = NULL;

      if (!g_ascii_isdigit (entry[0]))
        continue;

      comm_path = g_build_filename (proc_dir, entry, "comm", NULL);
      if (g_file_get_contents (comm_path, &comm, NULL, NULL))
        g_hash_table_add (names, g_strdup (g_strchomp (comm)));
    }

  return names;
}

/**
 * mend_scan_context_is_process_running:
 * @names: process names as the kernel keeps them (`comm`, at most 15
 *   characters), such as “thunderbird” or “evolution”
 *
 * Returns: whether a process with one of @names is running
 */
gboolean
mend_scan_context_is_process_running (MendScanContext    *self,
                                      const char * const *names)
{
  g_return_val_if_fail (MEND_IS_SCAN_CONTEXT (self), FALSE);
  g_return_val_if_fail (names != NULL, FALSE);

  if (self->process_names == NULL)
    self->process_names = read_process_names (self->proc_dir);

  for (guint i = 0; names[i] != NULL; i++)
    {
      /* comm holds the first 15 bytes of the name. */
      g_autofree char *comm = g_strndup (names[i], 15);

      if (g_hash_table_contains (self->process_names, comm))
        return TRUE;
    }

  return FALSE;
}

/**
 * mend_scan_context_add_extra_folder:
 * @folder: a folder the user pointed at, such as a Thunderbird profile that
 *   lives somewhere unusual
 */
void
mend_scan_context_add_extra_folder (MendScanContext *self,
                                    const char      *folder)
{
  g_return_if_fail (MEND_IS_SCAN_CONTEXT (self));
  g_return_if_fail (folder != NULL);

  g_ptr_array_add (self->extra_folders, g_canonicalize_filename (folder, NULL));
}

/**
 * mend_scan_context_get_extra_folders:
 *
 * Returns: (transfer none): the folders added with
 *   mend_scan_context_add_extra_folder(), %NULL-terminated
 */
const char **
mend_scan_context_get_extra_folders (MendScanContext *self)
{
  g_return_val_if_fail (MEND_IS_SCAN_CONTEXT (self), NULL);

  return (const char **) self->extra_folders->pdata;
}

/**
 * mend_scan_context_read_file:
 * @path: an absolute path
 * @contents: (out): the file's contents, valid UTF-8, NUL-terminated
 * @length: (out) (optional): their length
 *
 * Reads a configuration file. A missing file is not an error: it returns
 * %FALSE quietly. Anything else that stops the read (permissions, a folder,
 * a FIFO or device, a file over %MEND_SCAN_MAX_FILE_SIZE, binary content)
 * is reported as a `config-unreadable` finding, and returns %FALSE.
 * Invalid UTF-8 is repaired rather than refused: the keys that matter are
 * ASCII.
 */
gboolean
mend_scan_context_read_file (MendScanContext  *self,
                             const char       *path,
                             char            **contents,
                             gsize            *length)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *data = NULL;
  gsize data_length = 0;
  GStatBuf st;
  int saved_errno;

  g_return_val_if_fail (MEND_IS_SCAN_CONTEXT (self), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (contents != NULL, FALSE);

  *contents = NULL;
  if (length != NULL)
    *length = 0;

  if (g_stat (path, &st) != 0)
    {
      saved_errno = errno;
      if (saved_errno != ENOENT && saved_errno != ENOTDIR)
        mend_scan_context_report_unreadable (self, path, g_strerror (saved_errno));
      return FALSE;
    }

  /* Never open a FIFO or a device: reading one could block the scan. */
  if (!S_ISREG (st.st_mode))
    {
      mend_scan_context_report_unreadable (self, path,
                                           S_ISDIR (st.st_mode) ? _("It is a folder, not a file.")
                                                                : _("It is not a regular file."));
      return FALSE;
    }

  if (st.st_size > MEND_SCAN_MAX_FILE_SIZE)
    {
      g_autofree char *size = g_format_size (st.st_size);
      g_autofree char *reason = g_strdup_printf (_("It is too large to be a configuration file (%s)."),
                                                 size);

      mend_scan_context_report_unreadable (self, path, reason);
      return FALSE;
    }

  if (!g_file_get_contents (path, &data, &data_length, &error))
    {
      mend_scan_context_report_unreadable (self, path, error->message);
      return FALSE;
    }

  /* It may have grown between the stat and the read. */
  if (data_length > MEND_SCAN_MAX_FILE_SIZE)
    {
      mend_scan_context_report_unreadable (self, path,
                                           _("It is too large to be a configuration file."));
      return FALSE;
    }

  if (memchr (data, '\0', data_length) != NULL)
    {
      mend_scan_context_report_unreadable (self, path,
                                           _("It holds binary data, not text."));
      return FALSE;
    }

  if (!g_utf8_validate_len (data, data_length, NULL))
    {
      char *valid = g_utf8_make_valid (data, data_length);

      g_debug ("%s is not valid UTF-8; reading it with replacement characters", path);
      g_free (data);
      data = valid;
      data_length = strlen (valid);
    }

  *contents = g_steal_pointer (&data);
  if (length != NULL)
    *length = data_length;

  return TRUE;
}

/**
 * mend_scan_context_load_key_file:
 * @path: an absolute path
 *
 * Reads an INI-style file (GKeyFile syntax) with
 * mend_scan_context_read_file(); a syntax error is reported as
 * `config-unreadable` too.
 *
 * Returns: (transfer full) (nullable): the parsed file
 */
GKeyFile *
mend_scan_context_load_key_file (MendScanContext *self,
                                 const char      *path)
{
  g_autoptr(GKeyFile) key_file = g_key_file_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  gsize length;

  g_return_val_if_fail (MEND_IS_SCAN_CONTEXT (self), NULL);

  if (!mend_scan_context_read_file (self, path, &contents, &length))
    return NULL;

  if (!g_key_file_load_from_data (key_file, contents, length, G_KEY_FILE_NONE, &error))
    {
      mend_scan_context_report_unreadable (self, path, error->message);
      return NULL;
    }

  return g_steal_pointer (&key_file);
}

/**
 * mend_scan_context_report_unreadable:
 * @path: the file
 * @reason: why it could not be read, translated
 *
 * Adds a scan-level `config-unreadable` finding, once per file.
 */
void
mend_scan_context_report_unreadable (MendScanContext *self,
                                     const char      *path,
                                     const char      *reason)
{
  g_return_if_fail (MEND_IS_SCAN_CONTEXT (self));
  g_return_if_fail (path != NULL);

  if (!g_hash_table_add (self->reported_files, g_strdup (path)))
    return;

  g_debug ("Cannot read %s: %s", path, reason);
  g_ptr_array_add (self->findings, mend_scan_finding_config_unreadable (path, reason));
}

void
mend_scan_context_add_account (MendScanContext *self,
                               MendAccount     *account)
{
  g_return_if_fail (MEND_IS_SCAN_CONTEXT (self));
  g_return_if_fail (MEND_IS_ACCOUNT (account));

  g_ptr_array_add (self->accounts, g_object_ref (account));
}

/**
 * mend_scan_context_get_accounts:
 *
 * Returns: (transfer none) (element-type MendAccount): every account found
 */
GPtrArray *
mend_scan_context_get_accounts (MendScanContext *self)
{
  g_return_val_if_fail (MEND_IS_SCAN_CONTEXT (self), NULL);

  return self->accounts;
}

/**
 * mend_scan_context_get_findings:
 *
 * Returns: (transfer none) (element-type MendFinding): the findings about
 *   the scan itself, such as files it could not read
 */
GPtrArray *
mend_scan_context_get_findings (MendScanContext *self)
{
  g_return_val_if_fail (MEND_IS_SCAN_CONTEXT (self), NULL);

  return self->findings;
}
