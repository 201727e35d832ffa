/* mend-fault-inject.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * An LD_PRELOAD library that makes write(), fsync(), fdatasync() and rename() fail, to test
 * what happens to files when a disk fills up or breaks in the middle of a repair:
 *
 *   LD_PRELOAD=tests/harness/libmend-fault-inject.so \
 *   MAILMEND_FAULT_CALLS=write,fsync,rename   which calls may fail (default: all four)
 *   MAILMEND_FAULT_PATH='/tmp/t/home/.m*'     only calls on paths matching this fnmatch(3)
 *                                             pattern (default: every path); for a file
 *                                             descriptor, its path in /proc/self/fd; for
 *                                             rename(), either path
 *   MAILMEND_FAULT_SKIP=N                     let the first N matching calls succeed
 *   MAILMEND_FAULT_ERRNO=ENOSPC               ENOSPC (default), EIO, EDQUOT, EROFS, EXDEV, EBUSY
 *   MAILMEND_FAULT_PARTIAL=1                  a failing write() first really writes half of
 *                                             its bytes and returns that short count, as a
 *                                             disk that fills up mid-write does
 *   command…
 *
 * Every matching call after the first N fails: a full disk stays full. Calls on pipes,
 * sockets and eventfds (GLib's own wake-ups) never match a path pattern that names a folder.
 */

#define _GNU_SOURCE

#include <dlfcn.h>
#include <errno.h>
#include <fnmatch.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <unistd.h>

typedef ssize_t (*WriteFunc) (int, const void *, size_t);
typedef int (*FdFunc) (int);
typedef int (*RenameFunc) (const char *, const char *);

static long matched;

static int
wants (const char *call)
{
  const char *calls = getenv ("MAILMEND_FAULT_CALLS");
  size_t length = strlen (call);

  if (calls == NULL || *calls == '\0')
    return 1;

  for (const char *p = calls; (p = strstr (p, call)) != NULL; p += length)
    {
      if ((p == calls || p[-1] == ',') && (p[length] == ',' || p[length] == '\0'))
        return 1;
    }

  return 0;
}

static int
path_matches (const char *path)
{
  const char *pattern = getenv ("MAILMEND_FAULT_PATH");

  if (pattern == NULL || *pattern == '\0')
    return 1;

  return path != NULL && fnmatch (pattern, path, 0) == 0;
}

static int
fd_matches (int fd)
{
  char link[64];
  char path[PATH_MAX];
  ssize_t length;

  if (getenv ("MAILMEND_FAULT_PATH") == NULL)
    return 1;

  snprintf (link, sizeof link, "/proc/self/fd/%d", fd);
  length = readlink (link, path, sizeof path - 1);
  if (length < 0)
    return 0;
  path[length] = '\0';

  return path_matches (path);
}

static int
fault_errno (void)
{
  const char *name = getenv ("MAILMEND_FAULT_ERRNO");

  if (name == NULL || strcmp (name, "ENOSPC") == 0)
    return ENOSPC;
  if (strcmp (name, "EIO") == 0)
    return EIO;
  if (strcmp (name, "EDQUOT") == 0)
    return EDQUOT;
  if (strcmp (name, "EROFS") == 0)
    return EROFS;
  if (strcmp (name, "EXDEV") == 0)
    return EXDEV;
  if (strcmp (name, "EBUSY") == 0)
    return EBUSY;

  return ENOSPC;
}

/* Counts a matching call; true when it must fail. */
static int
should_fail (void)
{
  const char *skip = getenv ("MAILMEND_FAULT_SKIP");

  return ++matched > (skip != NULL ? atol (skip) : 0);
}

static void *
next (const char *name)
{
  void *function = dlsym (RTLD_NEXT, name);

  if (function == NULL)
    abort ();

  return function;
}

ssize_t
write (int         fd,
       const void *buffer,
       size_t      count)
{
  static WriteFunc real_write;

  if (real_write == NULL)
    real_write = (WriteFunc) next ("write");

  if (!wants ("write") || !fd_matches (fd) || !should_fail ())
    return real_write (fd, buffer, count);

  if (count > 1 && getenv ("MAILMEND_FAULT_PARTIAL") != NULL)
    return real_write (fd, buffer, count / 2);

  errno = fault_errno ();
  return -1;
}

static int
sync_call (const char *name,
           FdFunc     *real,
           int         fd)
{
  if (*real == NULL)
    *real = (FdFunc) next (name);

  if (!wants (name) || !fd_matches (fd) || !should_fail ())
    return (*real) (fd);

  errno = fault_errno ();
  return -1;
}

int
fsync (int fd)
{
  static FdFunc real_fsync;

  return sync_call ("fsync", &real_fsync, fd);
}

int
fdatasync (int fd)
{
  static FdFunc real_fdatasync;

  return sync_call ("fdatasync", &real_fdatasync, fd);
}

int
rename (const char *old_path,
        const char *new_path)
{
  static RenameFunc real_rename;

  if (real_rename == NULL)
    real_rename = (RenameFunc) next ("rename");

  if (!wants ("rename") || !(path_matches (old_path) || path_matches (new_path)) ||
      !should_fail ())
    return real_rename (old_path, new_path);

  errno = fault_errno ();
  return -1;
}
