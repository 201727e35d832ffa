/* test-file-edit.c: the diff a person sees never shows a password
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * mend_file_edit_dup_display_diff() on the lines repairs remove and add in each format:
 * msmtp, mbsync, muttrc, OfflineIMAP, aerc URLs, himalaya TOML, Claws/Sylpheed accountrc. The
 * passwords are masked; the commands that replace them, and every other line, stay readable.
 */

#include "config.h"

#include <string.h>

#include "mend-file-edit.h"

static char *
display_diff (const char *before,
              const char *after)
{
  g_autoptr(GBytes) original = g_bytes_new (before, strlen (before));
  g_autoptr(GBytes) replacement = g_bytes_new (after, strlen (after));
  g_autoptr(MendFileEdit) edit = mend_file_edit_new ("/home/u/.config", original, replacement);
  g_autofree char *raw = mend_file_edit_dup_diff (edit);

  /* The raw diff is what the tests of each client compare, byte for byte. */
  g_assert_nonnull (strstr (raw, "@@"));

  return mend_file_edit_dup_display_diff (edit);
}

static void
assert_hidden (const char *diff,
               const char *secret)
{
  if (strstr (diff, secret) != NULL)
    g_error ("“%s” shows in:\n%s", secret, diff);
}

static void
assert_shown (const char *diff,
              const char *text)
{
  if (strstr (diff, text) == NULL)
    g_error ("“%s” does not show in:\n%s", text, diff);
}

static void
test_msmtp (void)
{
  g_autofree char *diff = display_diff ("account work\nhost smtp.office365.com\n"
                                        "password hunter2-msmtp\n# a password comment\n",
                                        "account work\nhost smtp.office365.com\nauth xoauth2\n"
                                        "passwordeval \"mailmend token a@b.com\"\n"
                                        "# a password comment\n");

  assert_hidden (diff, "hunter2-msmtp");
  assert_shown (diff, "-password [hidden]");
  assert_shown (diff, "+passwordeval \"mailmend token a@b.com\"");
  assert_shown (diff, " host smtp.office365.com");
  assert_shown (diff, "# a password comment");
}

static void
test_mbsync_and_mutt (void)
{
  g_autofree char *mbsync = display_diff ("IMAPAccount x\n  Pass 'quoted secret'\nUser a\n",
                                          "IMAPAccount x\n  PassCmd \"mailmend token a\"\nUser a\n");
  g_autofree char *mutt = display_diff ("set imap_user=\"a\" imap_pass=\"s3cret-mutt\"\n"
                                        "set smtp_pass = plain-mutt-secret\n",
                                        "set imap_user=\"a\"\n");

  assert_hidden (mbsync, "quoted secret");
  assert_shown (mbsync, "-  Pass '[hidden]'");
  assert_shown (mbsync, "+  PassCmd \"mailmend token a\"");
  assert_hidden (mutt, "s3cret-mutt");
  assert_hidden (mutt, "plain-mutt-secret");
  assert_shown (mutt, "imap_user=\"a\"");
}

static void
test_ini_toml_accountrc (void)
{
  g_autofree char *ini = display_diff ("[Repository r]\nremotepass = ini-secret\n"
                                       "remotepasseval = get_pass()\n",
                                       "[Repository r]\nremotepasseval = get_pass()\n");
  g_autofree char *toml = display_diff ("[accounts.a.imap.passwd]\nraw = \"toml-secret\"\n"
                                        "imap.passwd.raw = \"dotted-secret\"\ndraw = 1\n",
                                        "draw = 1\n");
  g_autofree char *accountrc = display_diff ("[Account: 1]\npassword=rc-secret\nsmtp_password=x2\n",
                                             "[Account: 1]\n");

  assert_hidden (ini, "ini-secret");
  assert_shown (ini, "remotepasseval = get_pass()");
  assert_hidden (toml, "toml-secret");
  assert_hidden (toml, "dotted-secret");
  assert_shown (toml, "draw = 1");
  assert_hidden (accountrc, "rc-secret");
  assert_hidden (accountrc, "x2");
}

static void
test_url_and_bytes (void)
{
  g_autofree char *aerc = display_diff ("source = imaps://a%40b.com:url-secret@outlook.office365.com\n",
                                        "source = imaps+xoauth2://a%40b.com@outlook.office365.com\n");
  g_autofree char *latin1 = display_diff ("# caf\xe9\npassword latin-secret\n", "# caf\xe9\n");

  assert_hidden (aerc, "url-secret");
  assert_shown (aerc, "imaps://a%40b.com:[hidden]@outlook.office365.com");
  assert_shown (aerc, "+source = imaps+xoauth2://a%40b.com@outlook.office365.com");
  assert_hidden (latin1, "latin-secret");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/file-edit/msmtp", test_msmtp);
  g_test_add_func ("/file-edit/mbsync-and-mutt", test_mbsync_and_mutt);
  g_test_add_func ("/file-edit/ini-toml-accountrc", test_ini_toml_accountrc);
  g_test_add_func ("/file-edit/url-and-bytes", test_url_and_bytes);

  return g_test_run ();
}
