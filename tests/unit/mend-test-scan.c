/* mend-test-scan.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <gio/gio.h>
#include <glib/gstdio.h>

#include "mend-test-scan.h"

static void
copy_tree (GFile *source,
           GFile *destination)
{
  g_autoptr(GFileEnumerator) children = NULL;
  g_autoptr(GError) error = NULL;
  GFileInfo *info;

  g_file_make_directory_with_parents (destination, NULL, &error);
  if (error && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_EXISTS))
    g_assert_no_error (error);
  g_clear_error (&error);

  children = g_file_enumerate_children (source, "standard::name,standard::type,standard::symlink-target",
                                        G_FILE_QUERY_INFO_NOFOLLOW_SYMLINKS, NULL, &error);
  g_assert_no_error (error);

  while ((info = g_file_enumerator_next_file (children, NULL, &error)))
    {
      g_autoptr(GFileInfo) owned = info;
      g_autoptr(GFile) from = g_file_get_child (source, g_file_info_get_name (info));
      g_autoptr(GFile) to = g_file_get_child (destination, g_file_info_get_name (info));

      switch (g_file_info_get_file_type (info))
        {
        case G_FILE_TYPE_DIRECTORY:
          copy_tree (from, to);
          break;
        case G_FILE_TYPE_SYMBOLIC_LINK:
          g_file_make_symbolic_link (to, g_file_info_get_symlink_target (info), NULL, &error);
          g_assert_no_error (error);
          break;
        case G_FILE_TYPE_REGULAR:
        case G_FILE_TYPE_UNKNOWN:
        case G_FILE_TYPE_SPECIAL:
        case G_FILE_TYPE_SHORTCUT:
        case G_FILE_TYPE_MOUNTABLE:
        default:
          g_file_copy (from, to, G_FILE_COPY_NOFOLLOW_SYMLINKS | G_FILE_COPY_ALL_METADATA,
                       NULL, NULL, NULL, &error);
          g_assert_no_error (error);
          break;
        }
    }
  g_assert_no_error (error);
}

/**
 * mend_test_remove_tree:
 * @path: a file or folder
 *
 * Removes @path and everything in it, unreadable folders too; a missing
 * @path is no error.
 */
void
mend_test_remove_tree (const char *path)
{
  GStatBuf st;

  if (g_lstat (path, &st) != 0)
    return;

  if (S_ISDIR (st.st_mode))
    {
      g_autoptr(GDir) dir = NULL;
      const char *name;

      g_chmod (path, 0700);
      dir = g_dir_open (path, 0, NULL);
      while (dir && (name = g_dir_read_name (dir)))
        {
          g_autofree char *child = g_build_filename (path, name, NULL);
          mend_test_remove_tree (child);
        }
      g_rmdir (path);
    }
  else
    {
      g_unlink (path);
    }
}

static void
checksum_tree (const char *root,
               const char *relative,
               GHashTable *checksums)
{
  g_autofree char *path = g_build_filename (root, relative, NULL);
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  if (dir == NULL)
    return;

  while ((name = g_dir_read_name (dir)))
    {
      g_autofree char *child_relative = relative[0] ? g_build_filename (relative, name, NULL)
                                                    : g_strdup (name);
      g_autofree char *child = g_build_filename (root, child_relative, NULL);
      g_autofree char *contents = NULL;
      gsize length;
      GStatBuf st;

      g_assert_cmpint (g_lstat (child, &st), ==, 0);

      if (S_ISLNK (st.st_mode))
        {
          g_autofree char *target = g_file_read_link (child, NULL);
          g_hash_table_insert (checksums, g_steal_pointer (&child_relative),
                               g_strconcat ("link:", target, NULL));
        }
      else if (S_ISDIR (st.st_mode))
        {
          checksum_tree (root, child_relative, checksums);
          g_hash_table_insert (checksums, g_steal_pointer (&child_relative),
                               g_strdup_printf ("dir:%o", st.st_mode));
        }
      else if (g_file_get_contents (child, &contents, &length, NULL))
        {
          g_autofree char *sum = g_compute_checksum_for_data (G_CHECKSUM_SHA256,
                                                              (const guchar *) contents, length);
          g_hash_table_insert (checksums, g_steal_pointer (&child_relative),
                               g_strdup_printf ("%s:%o:%" G_GINT64_FORMAT, sum, st.st_mode,
                                                (gint64) st.st_mtime));
        }
      else
        {
          /* Unreadable on purpose (permission tests): its mode still counts. */
          g_hash_table_insert (checksums, g_steal_pointer (&child_relative),
                               g_strdup_printf ("unreadable:%o", st.st_mode));
        }
    }
}

static GHashTable *
checksum_home (const char *home)
{
  GHashTable *checksums = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  checksum_tree (home, "", checksums);

  return checksums;
}

/* The first pid mend_test_scan_set_running() gives: none of the fixtures'
 * Thunderbird locks names it. */
#define FIRST_FAKE_PID 1000

/* An empty process table next to the copied home, in place of the one
 * the scan had. */
static void
reset_proc_dir (MendTestScan *scan)
{
  g_autofree char *tmpdir = g_path_get_dirname (scan->home);

  g_free (scan->proc_dir);
  scan->proc_dir = g_build_filename (tmpdir, "proc", NULL);
  g_assert_cmpstr (scan->proc_dir, !=, scan->home);

  mend_test_remove_tree (scan->proc_dir);
  g_assert_cmpint (g_mkdir (scan->proc_dir, 0700), ==, 0);
}

static void
add_process (MendTestScan *scan,
             guint         pid,
             const char   *process_name)
{
  g_autofree char *pid_name = g_strdup_printf ("%u", pid);
  g_autofree char *pid_dir = g_build_filename (scan->proc_dir, pid_name, NULL);
  g_autofree char *comm = g_build_filename (pid_dir, "comm", NULL);
  g_autofree char *contents = g_strconcat (process_name, "\n", NULL);
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (g_mkdir (pid_dir, 0700), ==, 0);
  g_file_set_contents (comm, contents, -1, &error);
  g_assert_no_error (error);
}

/**
 * mend_test_scan_new:
 * @fixture: a folder name under tests/fixtures/homes
 *
 * Copies the fixture home to a temporary folder, and prepares a scan of it
 * with tests/fixtures/proc as the process table.
 */
MendTestScan *
mend_test_scan_new (const char *fixture)
{
  g_autofree char *source_path = g_test_build_filename (G_TEST_DIST, "fixtures", "homes", fixture, NULL);
  g_autoptr(GFile) source = g_file_new_for_path (source_path);
  g_autoptr(GFile) destination = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *tmpdir = NULL;
  MendTestScan *scan = g_new0 (MendTestScan, 1);

  g_assert_true (g_file_test (source_path, G_FILE_TEST_IS_DIR));

  tmpdir = g_dir_make_tmp ("mailmend-home-XXXXXX", &error);
  g_assert_no_error (error);
  scan->home = g_build_filename (tmpdir, fixture, NULL);
  destination = g_file_new_for_path (scan->home);
  copy_tree (source, destination);

  scan->checksums = checksum_home (scan->home);
  scan->context = mend_scan_context_new (scan->home, NULL);
  scan->proc_dir = g_test_build_filename (G_TEST_DIST, "fixtures", "proc", NULL);
  mend_scan_context_set_proc_dir (scan->context, scan->proc_dir);

  return scan;
}

/**
 * mend_test_scan_set_config_home:
 * @relative_path: a folder of the copied home
 *
 * Prepares the scan again, with that folder as $XDG_CONFIG_HOME and the same
 * process table.
 */
void
mend_test_scan_set_config_home (MendTestScan *scan,
                                const char   *relative_path)
{
  g_autofree char *config_home = mend_test_scan_path (scan, relative_path);

  g_clear_object (&scan->context);
  scan->context = mend_scan_context_new (scan->home, config_home);
  mend_scan_context_set_proc_dir (scan->context, scan->proc_dir);
}

/**
 * mend_test_scan_set_running:
 * @...: the names of the running processes (`comm`), then %NULL; %NULL
 *   alone means nothing runs
 *
 * Replaces the process table with a fake one, next to the copied home (not
 * in it), that holds one process of each name, with pids of no meaning.
 * mend_test_scan_free() removes it.
 */
void
mend_test_scan_set_running (MendTestScan *scan,
                            ...)
{
  const char *process_name;
  guint pid = FIRST_FAKE_PID;
  va_list args;

  reset_proc_dir (scan);

  va_start (args, scan);
  while ((process_name = va_arg (args, const char *)))
    add_process (scan, pid++, process_name);
  va_end (args);

  mend_scan_context_set_proc_dir (scan->context, scan->proc_dir);
}

/**
 * mend_test_scan_set_running_pid:
 * @pid: a pid, such as one a Thunderbird `lock` names
 * @process_name: its name (`comm`)
 *
 * Like mend_test_scan_set_running(), with one process of a given pid.
 */
void
mend_test_scan_set_running_pid (MendTestScan *scan,
                                guint         pid,
                                const char   *process_name)
{
  g_assert (pid > 0);
  g_assert (process_name != NULL);

  reset_proc_dir (scan);
  add_process (scan, pid, process_name);

  mend_scan_context_set_proc_dir (scan->context, scan->proc_dir);
}

void
mend_test_scan_run (MendTestScan *scan)
{
  g_autoptr(MendScanner) scanner = mend_scanner_new ();

  mend_scanner_scan (scanner, scan->context);
}

void
mend_test_scan_free (MendTestScan *scan)
{
  g_autofree char *tmpdir = NULL;

  if (scan == NULL)
    return;

  tmpdir = g_path_get_dirname (scan->home);
  mend_test_remove_tree (tmpdir);
  g_free (scan->home);
  g_clear_pointer (&scan->checksums, g_hash_table_unref);
  g_clear_object (&scan->context);
  g_free (scan->proc_dir);
  g_free (scan);
}

/**
 * mend_test_scan_accounts:
 * @client: (nullable): a client id, or %NULL for all
 *
 * Returns: (transfer container) (element-type MendAccount): the client's accounts
 */
GPtrArray *
mend_test_scan_accounts (MendTestScan *scan,
                         const char   *client)
{
  GPtrArray *all = mend_scan_context_get_accounts (scan->context);
  GPtrArray *accounts = g_ptr_array_new ();

  for (guint i = 0; i < all->len; i++)
    {
      MendAccount *account = g_ptr_array_index (all, i);

      if (client == NULL || g_str_equal (mend_account_get_client (account), client))
        g_ptr_array_add (accounts, account);
    }

  return accounts;
}

guint
mend_test_scan_count (MendTestScan *scan,
                      const char   *client)
{
  g_autoptr(GPtrArray) accounts = mend_test_scan_accounts (scan, client);

  return accounts->len;
}

/**
 * mend_test_scan_find:
 *
 * Returns: (transfer none): the one account of @client with @address and
 *   @protocol; fails the test when there is none, or more than one
 */
MendAccount *
mend_test_scan_find (MendTestScan *scan,
                     const char   *client,
                     const char   *address,
                     MendProtocol  protocol)
{
  g_autoptr(GPtrArray) accounts = mend_test_scan_accounts (scan, client);
  MendAccount *found = NULL;

  for (guint i = 0; i < accounts->len; i++)
    {
      MendAccount *account = g_ptr_array_index (accounts, i);

      if (g_strcmp0 (mend_account_get_address (account), address) == 0 &&
          mend_account_get_protocol (account) == protocol)
        {
          if (found != NULL)
            g_error ("%s has two %s accounts for %s", client, mend_protocol_to_string (protocol),
                     address);
          found = account;
        }
    }

  if (found == NULL)
    g_error ("%s has no %s account for %s", client, mend_protocol_to_string (protocol),
             address ? address : "(no address)");

  return found;
}

/**
 * mend_test_scan_find_by_key:
 *
 * Returns: (transfer none): the first account of @client with @key; fails
 *   the test when there is none
 */
MendAccount *
mend_test_scan_find_by_key (MendTestScan *scan,
                            const char   *client,
                            const char   *key)
{
  g_autoptr(GPtrArray) accounts = mend_test_scan_accounts (scan, client);

  for (guint i = 0; i < accounts->len; i++)
    {
      MendAccount *account = g_ptr_array_index (accounts, i);

      if (g_strcmp0 (mend_account_get_key (account), key) == 0)
        return account;
    }

  g_error ("No %s account with the key %s", client, key);
}

/**
 * mend_test_scan_has_unreadable:
 * @relative_path: a path relative to the home
 *
 * Returns: whether the scan reported that file as `config-unreadable`
 */
gboolean
mend_test_scan_has_unreadable (MendTestScan *scan,
                               const char   *relative_path)
{
  GPtrArray *findings = mend_scan_context_get_findings (scan->context);
  g_autofree char *path = mend_test_scan_path (scan, relative_path);

  for (guint i = 0; i < findings->len; i++)
    {
      MendFinding *finding = g_ptr_array_index (findings, i);

      if (g_str_equal (mend_finding_get_id (finding), "config-unreadable") &&
          g_strcmp0 (mend_finding_get_details (finding), path) == 0)
        return TRUE;
    }

  return FALSE;
}

/**
 * mend_test_scan_assert_source:
 * @relative_path: a path relative to the home
 *
 * Fails unless @account was read from that file.
 */
void
mend_test_scan_assert_source (MendTestScan *scan,
                              MendAccount  *account,
                              const char   *relative_path)
{
  g_autofree char *path = mend_test_scan_path (scan, relative_path);

  g_assert_cmpstr (mend_account_get_source (account), ==, path);
}

/**
 * mend_test_scan_assert_unchanged:
 *
 * Fails unless every file and folder of the home is as it was before the
 * scan: contents, modes, modification times, symlinks; nothing added.
 */
void
mend_test_scan_assert_unchanged (MendTestScan *scan)
{
  g_autoptr(GHashTable) after = checksum_home (scan->home);
  GHashTableIter iter;
  gpointer key, value;

  g_hash_table_iter_init (&iter, scan->checksums);
  while (g_hash_table_iter_next (&iter, &key, &value))
    g_assert_cmpstr (g_hash_table_lookup (after, key), ==, value);

  g_assert_cmpuint (g_hash_table_size (after), ==, g_hash_table_size (scan->checksums));
}

/* A file's entry without its modification time. */
static char *
without_mtime (const char *entry)
{
  const char *last = strrchr (entry, ':');

  if (g_str_has_prefix (entry, "link:") || g_str_has_prefix (entry, "dir:") ||
      g_str_has_prefix (entry, "unreadable:") || last == NULL)
    return g_strdup (entry);

  return g_strndup (entry, last - entry);
}

/**
 * mend_test_scan_assert_same_bytes:
 *
 * Like mend_test_scan_assert_unchanged(), but files may have been written again since,
 * with the same bytes and mode: what an undo promises.
 */
void
mend_test_scan_assert_same_bytes (MendTestScan *scan)
{
  g_autoptr(GHashTable) after = checksum_home (scan->home);
  GHashTableIter iter;
  gpointer key, value;

  g_hash_table_iter_init (&iter, scan->checksums);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      const char *now = g_hash_table_lookup (after, key);
      g_autofree char *expected = without_mtime (value);
      g_autofree char *found = now != NULL ? without_mtime (now) : NULL;

      if (g_strcmp0 (found, expected) != 0)
        g_error ("%s/%s differs: %s, was %s", scan->home, (const char *) key, found, expected);
    }

  g_assert_cmpuint (g_hash_table_size (after), ==, g_hash_table_size (scan->checksums));
}

/**
 * mend_test_scan_snapshot:
 *
 * Takes the home as it is now (after a test changed it on purpose) as the state
 * mend_test_scan_assert_unchanged() compares with.
 */
void
mend_test_scan_snapshot (MendTestScan *scan)
{
  g_clear_pointer (&scan->checksums, g_hash_table_unref);
  scan->checksums = checksum_home (scan->home);
}

/**
 * mend_test_scan_check_unreadable:
 * @fixture: a folder name under tests/fixtures/homes
 * @client: a client id
 * @relative_path: a path relative to the home
 *
 * Scans @fixture, and fails unless @client has no account there, the file
 * is reported as `config-unreadable`, and the home is unchanged.
 */
void
mend_test_scan_check_unreadable (const char *fixture,
                                 const char *client,
                                 const char *relative_path)
{
  g_autoptr(MendTestScan) scan = mend_test_scan_new (fixture);

  mend_test_scan_run (scan);

  g_assert_cmpuint (mend_test_scan_count (scan, client), ==, 0);
  g_assert_true (mend_test_scan_has_unreadable (scan, relative_path));

  mend_test_scan_assert_unchanged (scan);
}

/**
 * mend_test_scan_path:
 *
 * Returns: (transfer full): the absolute path of @relative_path in the copied home
 */
char *
mend_test_scan_path (MendTestScan *scan,
                     const char   *relative_path)
{
  return g_build_filename (scan->home, relative_path, NULL);
}
