/* test-atomic-file.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Replacing a file: mode and owner kept, symbolic links written through, and every failure
 * (a read-only folder; a full or broken disk, from the fault injector) leaving the original
 * intact with no temporary file behind.
 */

#include "config.h"

#include <errno.h>
#include <grp.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "mend-atomic-file.h"
#include "mend-test-scan.h"

#define ORIGINAL    "account outlook\nhost smtp.office365.com\nauth on\n"
#define REPLACEMENT "account outlook\nhost smtp.office365.com\nauth xoauth2\n" \
                    "passwordeval mailmend token alice@outlook.com\n"
#define NOBODY      65534

typedef struct
{
  char *folder;   /* mode 0755, so that nobody can look in */
  char *path;     /* folder/.msmtprc, holding ORIGINAL */
} Fixture;

static void
write_file (const char *path,
            const char *contents,
            int         mode)
{
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, contents, -1, &error);
  g_assert_no_error (error);
  g_assert_no_errno (g_chmod (path, mode));
}

static void
assert_contents (const char *path,
                 const char *expected)
{
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;

  g_file_get_contents (path, &contents, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (contents, ==, expected);
}

/* Temporary files of mend_atomic_file_replace() left in @folder. */
static guint
count_leftovers (const char *folder)
{
  g_autoptr(GDir) dir = g_dir_open (folder, 0, NULL);
  const char *name;
  guint count = 0;

  g_assert_nonnull (dir);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      if (strstr (name, ".mailmend-") != NULL)
        count++;
    }

  return count;
}

static GBytes *
replacement (void)
{
  return g_bytes_new_static (REPLACEMENT, strlen (REPLACEMENT));
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  /* A subprocess test runs in a new process: it finds its parent's folder in the
   * environment. */
  if (g_test_subprocess ())
    {
      fixture->folder = g_strdup (g_getenv ("MEND_TEST_FOLDER"));
      fixture->path = g_build_filename (fixture->folder, ".msmtprc", NULL);
      return;
    }

  fixture->folder = g_dir_make_tmp ("mailmend-atomic-XXXXXX", &error);
  g_assert_no_error (error);
  g_assert_no_errno (g_chmod (fixture->folder, 0755));
  fixture->path = g_build_filename (fixture->folder, ".msmtprc", NULL);
  write_file (fixture->path, ORIGINAL, 0640);
  g_setenv ("MEND_TEST_FOLDER", fixture->folder, TRUE);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  if (!g_test_subprocess ())
    mend_test_remove_tree (fixture->folder);
  g_clear_pointer (&fixture->folder, g_free);
  g_clear_pointer (&fixture->path, g_free);
}

static void
test_replace (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(GBytes) contents = replacement ();
  g_autoptr(GError) error = NULL;
  GStatBuf before, after;

  g_assert_no_errno (g_stat (fixture->path, &before));

  g_assert_true (mend_atomic_file_replace (fixture->path, contents, MEND_ATOMIC_FILE_NONE, &error));
  g_assert_no_error (error);

  assert_contents (fixture->path, REPLACEMENT);
  g_assert_no_errno (g_stat (fixture->path, &after));
  g_assert_cmpint (after.st_mode & 07777, ==, 0640);
  /* A new file renamed over the old one, not the old one rewritten. */
  g_assert_cmpint (after.st_ino, !=, before.st_ino);
  g_assert_cmpuint (count_leftovers (fixture->folder), ==, 0);
}

static void
test_read (Fixture       *fixture,
           gconstpointer  data)
{
  g_autofree char *missing = g_build_filename (fixture->folder, "missing", NULL);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;

  bytes = mend_atomic_file_read (fixture->path, &error);
  g_assert_no_error (error);
  g_assert_cmpmem (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes),
                   ORIGINAL, strlen (ORIGINAL));

  g_assert_null (mend_atomic_file_read (missing, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
}

static void
test_create (Fixture       *fixture,
             gconstpointer  data)
{
  g_autofree char *path = g_build_filename (fixture->folder, "new", NULL);
  g_autoptr(GBytes) contents = replacement ();
  g_autoptr(GError) error = NULL;
  GStatBuf st;

  g_assert_true (mend_atomic_file_replace (path, contents, MEND_ATOMIC_FILE_NONE, &error));
  g_assert_no_error (error);
  assert_contents (path, REPLACEMENT);
  g_assert_no_errno (g_stat (path, &st));
  g_assert_cmpint (st.st_mode & 07777, ==, 0600);
}

/* Root repairing someone else's file (support staff with sudo) must not hand it to root. */
static void
test_owner (Fixture       *fixture,
            gconstpointer  data)
{
  g_autoptr(GBytes) contents = replacement ();
  g_autoptr(GError) error = NULL;
  GStatBuf st;

  if (geteuid () != 0)
    {
      g_test_skip ("Only root can give a file to another user");
      return;
    }

  g_assert_no_errno (chown (fixture->path, 1234, 5678));
  g_assert_no_errno (g_chmod (fixture->path, 0604));

  g_assert_true (mend_atomic_file_replace (fixture->path, contents, MEND_ATOMIC_FILE_NONE, &error));
  g_assert_no_error (error);

  g_assert_no_errno (g_stat (fixture->path, &st));
  g_assert_cmpuint (st.st_uid, ==, 1234);
  g_assert_cmpuint (st.st_gid, ==, 5678);
  g_assert_cmpint (st.st_mode & 07777, ==, 0604);
  assert_contents (fixture->path, REPLACEMENT);
}

/* Dotfiles managed by Stow or home-manager: ~/.msmtprc -> dotfiles/msmtp/msmtprc. The link
 * stays a link; the file it points to gets the new contents, and its temporary file is made
 * next to it. */
static void
test_symlink (Fixture       *fixture,
              gconstpointer  data)
{
  g_autofree char *dotfiles = g_build_filename (fixture->folder, "dotfiles", "msmtp", NULL);
  g_autofree char *target = g_build_filename (dotfiles, "msmtprc", NULL);
  g_autofree char *link = g_build_filename (fixture->folder, ".msmtprc-link", NULL);
  g_autofree char *chain = g_build_filename (fixture->folder, ".msmtprc-chain", NULL);
  g_autofree char *link_text = NULL;
  g_autofree char *resolved = NULL;
  g_autoptr(GBytes) contents = replacement ();
  g_autoptr(GError) error = NULL;
  GStatBuf st;

  g_assert_no_errno (g_mkdir_with_parents (dotfiles, 0755));
  write_file (target, ORIGINAL, 0600);
  g_assert_no_errno (symlink ("dotfiles/msmtp/msmtprc", link));
  g_assert_no_errno (symlink (".msmtprc-link", chain));

  resolved = mend_atomic_file_resolve (chain, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (resolved, ==, target);

  g_assert_true (mend_atomic_file_replace (chain, contents, MEND_ATOMIC_FILE_NONE, &error));
  g_assert_no_error (error);

  g_assert_no_errno (g_lstat (link, &st));
  g_assert_true (S_ISLNK (st.st_mode));
  g_assert_no_errno (g_lstat (chain, &st));
  g_assert_true (S_ISLNK (st.st_mode));
  link_text = g_file_read_link (link, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (link_text, ==, "dotfiles/msmtp/msmtprc");

  assert_contents (target, REPLACEMENT);
  g_assert_no_errno (g_stat (target, &st));
  g_assert_cmpint (st.st_mode & 07777, ==, 0600);
  g_assert_cmpuint (count_leftovers (fixture->folder), ==, 0);
  g_assert_cmpuint (count_leftovers (dotfiles), ==, 0);
}

/* A link to nowhere is not turned into a file. */
static void
test_dangling_symlink (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autofree char *link = g_build_filename (fixture->folder, ".muttrc", NULL);
  g_autoptr(GBytes) contents = replacement ();
  g_autoptr(GError) error = NULL;
  GStatBuf st;

  g_assert_no_errno (symlink ("dotfiles/gone", link));

  g_assert_false (mend_atomic_file_replace (link, contents, MEND_ATOMIC_FILE_NONE, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_assert_no_errno (g_lstat (link, &st));
  g_assert_true (S_ISLNK (st.st_mode));
  g_assert_cmpuint (count_leftovers (fixture->folder), ==, 0);
}

static void
test_not_regular (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(GBytes) contents = replacement ();
  g_autoptr(GError) error = NULL;

  g_assert_false (mend_atomic_file_replace (fixture->folder, contents, MEND_ATOMIC_FILE_NONE,
                                            &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_REGULAR_FILE);
}

/* Root writes anywhere, so the child gives up root first. */
static void
become_nobody (void)
{
  if (geteuid () == 0)
    {
      g_assert_no_errno (setgroups (0, NULL));
      g_assert_no_errno (setgid (NOBODY));
      g_assert_no_errno (setuid (NOBODY));
    }
}

static void
test_read_only_folder (Fixture       *fixture,
                       gconstpointer  data)
{
  if (g_test_subprocess ())
    {
      g_autoptr(GBytes) contents = replacement ();
      g_autoptr(GError) error = NULL;

      become_nobody ();
      g_assert_false (mend_atomic_file_replace (fixture->path, contents,
                                                MEND_ATOMIC_FILE_ALLOW_IN_PLACE, &error));
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED);
      return;
    }

  /* The file itself is writable: only the folder is read only. */
  g_assert_no_errno (g_chmod (fixture->path, 0666));
  g_assert_no_errno (g_chmod (fixture->folder, 0555));

  g_test_trap_subprocess (NULL, 10 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();

  assert_contents (fixture->path, ORIGINAL);
  g_assert_cmpuint (count_leftovers (fixture->folder), ==, 0);
}

/* --- under the fault injector --------------------------------------------------------- */

typedef struct
{
  const char *calls;
  const char *path;      /* relative to the fixture's folder; NULL: every path */
  const char *skip;
  const char *errno_name;
  gboolean    partial;
  int         expected_code;
  gboolean    in_place;
  const char *expected;  /* the file's contents afterwards */
} Fault;

static const Fault fault_write = {
  "write", "/.msmtprc.mailmend-*", NULL, "ENOSPC", TRUE, G_IO_ERROR_NO_SPACE, FALSE, ORIGINAL
};
static const Fault fault_fsync = {
  "fsync", "/.msmtprc.mailmend-*", NULL, "EIO", FALSE, G_IO_ERROR_FAILED, FALSE, ORIGINAL
};
static const Fault fault_rename = {
  "rename", "/.msmtprc", NULL, "EIO", FALSE, G_IO_ERROR_FAILED, FALSE, ORIGINAL
};
/* A bind-mounted file (Flatpak's --filesystem=~/.msmtprc) cannot be renamed over. */
static const Fault fault_cross_device = {
  "rename", "/.msmtprc", NULL, "EXDEV", FALSE, G_IO_ERROR_FAILED, FALSE, ORIGINAL
};
static const Fault fault_in_place = {
  "rename", "/.msmtprc", NULL, "EXDEV", FALSE, -1, TRUE, REPLACEMENT
};
/* Only the final sync of the folder fails: the new contents are there, not yet durable. */
static const Fault fault_folder_sync = {
  "fsync", "", NULL, "EIO", FALSE, G_IO_ERROR_FAILED, FALSE, REPLACEMENT
};

static void
test_fault (Fixture       *fixture,
            gconstpointer  data)
{
  const Fault *fault = data;
  g_autofree char *pattern = NULL;
  GStatBuf before, after;

  if (g_test_subprocess ())
    {
      g_autoptr(GBytes) contents = replacement ();
      g_autoptr(GError) error = NULL;
      gboolean replaced;

      replaced = mend_atomic_file_replace (fixture->path, contents,
                                           fault->in_place ? MEND_ATOMIC_FILE_ALLOW_IN_PLACE
                                                           : MEND_ATOMIC_FILE_NONE,
                                           &error);
      if (fault->expected_code < 0)
        {
          g_assert_no_error (error);
          g_assert_true (replaced);
        }
      else
        {
          g_assert_error (error, G_IO_ERROR, fault->expected_code);
          g_assert_false (replaced);
        }
      return;
    }

  g_assert_no_errno (g_stat (fixture->path, &before));

  pattern = g_strconcat (fixture->folder, fault->path, NULL);
  g_setenv ("LD_PRELOAD", g_getenv ("MAILMEND_FAULT_INJECT"), TRUE);
  g_setenv ("MAILMEND_FAULT_CALLS", fault->calls, TRUE);
  g_setenv ("MAILMEND_FAULT_PATH", pattern, TRUE);
  g_setenv ("MAILMEND_FAULT_ERRNO", fault->errno_name, TRUE);
  if (fault->partial)
    g_setenv ("MAILMEND_FAULT_PARTIAL", "1", TRUE);

  g_test_trap_subprocess (NULL, 10 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_DEFAULT);

  g_unsetenv ("LD_PRELOAD");
  g_unsetenv ("MAILMEND_FAULT_CALLS");
  g_unsetenv ("MAILMEND_FAULT_PATH");
  g_unsetenv ("MAILMEND_FAULT_ERRNO");
  g_unsetenv ("MAILMEND_FAULT_PARTIAL");

  g_test_trap_assert_passed ();
  assert_contents (fixture->path, fault->expected);
  g_assert_cmpuint (count_leftovers (fixture->folder), ==, 0);

  /* Rewritten in place, the file keeps its inode, and so its mode and owner. */
  g_assert_no_errno (g_stat (fixture->path, &after));
  g_assert_cmpint (after.st_mode & 07777, ==, 0640);
  if (fault->in_place)
    g_assert_cmpint (after.st_ino, ==, before.st_ino);
}

static void
test_remove_leftovers (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autofree char *leftover = g_build_filename (fixture->folder, ".msmtprc.mailmend-Ab12Cd", NULL);
  g_autofree char *other = g_build_filename (fixture->folder, ".msmtprc.mailmend-notours", NULL);
  g_autofree char *unrelated = g_build_filename (fixture->folder, ".muttrc.mailmend-Ab12Cd", NULL);

  write_file (leftover, REPLACEMENT, 0600);
  write_file (other, "keep", 0600);
  write_file (unrelated, "keep", 0600);

  g_assert_cmpuint (mend_atomic_file_remove_leftovers (fixture->path), ==, 1);
  g_assert_false (g_file_test (leftover, G_FILE_TEST_EXISTS));
  g_assert_true (g_file_test (other, G_FILE_TEST_EXISTS));
  g_assert_true (g_file_test (unrelated, G_FILE_TEST_EXISTS));
  assert_contents (fixture->path, ORIGINAL);
}

#define ADD(name, func, data) \
  g_test_add ("/atomic-file/" name, Fixture, data, fixture_set_up, func, fixture_tear_down)

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_set_prgname ("test-atomic-file");

  ADD ("replace", test_replace, NULL);
  ADD ("read", test_read, NULL);
  ADD ("create", test_create, NULL);
  ADD ("owner", test_owner, NULL);
  ADD ("symlink", test_symlink, NULL);
  ADD ("dangling-symlink", test_dangling_symlink, NULL);
  ADD ("not-regular", test_not_regular, NULL);
  ADD ("read-only-folder", test_read_only_folder, NULL);
  ADD ("remove-leftovers", test_remove_leftovers, NULL);
  ADD ("fault/write-full-disk", test_fault, &fault_write);
  ADD ("fault/fsync-io-error", test_fault, &fault_fsync);
  ADD ("fault/rename-io-error", test_fault, &fault_rename);
  ADD ("fault/cross-device", test_fault, &fault_cross_device);
  ADD ("fault/in-place", test_fault, &fault_in_place);
  ADD ("fault/folder-sync", test_fault, &fault_folder_sync);

  return g_test_run ();
}
