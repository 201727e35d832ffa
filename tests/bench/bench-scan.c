/* bench-scan.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The scan's speed on a large home: 100 Thunderbird profiles with 20
 * accounts each, and 100 Evolution sources; then the same home twice over,
 * to show the scan grows linearly. Prints medians and ratios, asserts
 * nothing about time (machines here are noisy).
 *
 *   bench-scan [--rounds N] [--scale N]
 *
 * Goals: under 100 ms for the home; twice the input in at most 2.2× the time.
 */

#include "config.h"

#include <glib/gstdio.h>
#include <stdio.h>
#include <stdlib.h>

#include "mend-scanner.h"

#define PROFILES_PER_UNIT 100
#define ACCOUNTS_PER_PROFILE 20
#define EVOLUTION_ACCOUNTS_PER_UNIT 34 /* 3 sources each: 102 sources */

static void
write_file (const char *path,
            const char *contents)
{
  g_autofree char *folder = g_path_get_dirname (path);
  g_autoptr(GError) error = NULL;

  if (g_mkdir_with_parents (folder, 0700) != 0)
    g_error ("Cannot create %s", folder);
  if (!g_file_set_contents (path, contents, -1, &error))
    g_error ("%s", error->message);
}

static char *
prefs_js (guint profile)
{
  GString *prefs = g_string_new ("// Mozilla User Preferences\n\n");
  g_autoptr(GString) accounts = g_string_new (NULL);
  g_autoptr(GString) smtp_servers = g_string_new (NULL);

  for (guint i = 1; i <= ACCOUNTS_PER_PROFILE; i++)
    {
      g_string_append_printf (accounts, "%saccount%u", i > 1 ? "," : "", i);
      g_string_append_printf (smtp_servers, "%ssmtp%u", i > 1 ? "," : "", i);
      g_string_append_printf (prefs,
                              "user_pref(\"mail.account.account%u.identities\", \"id%u\");\n"
                              "user_pref(\"mail.account.account%u.server\", \"server%u\");\n"
                              "user_pref(\"mail.identity.id%u.useremail\", \"user%u.%u@outlook.com\");\n"
                              "user_pref(\"mail.identity.id%u.smtpServer\", \"smtp%u\");\n"
                              "user_pref(\"mail.server.server%u.hostname\", \"%s\");\n"
                              "user_pref(\"mail.server.server%u.port\", 993);\n"
                              "user_pref(\"mail.server.server%u.socketType\", 3);\n"
                              "user_pref(\"mail.server.server%u.type\", \"imap\");\n"
                              "user_pref(\"mail.server.server%u.userName\", \"user%u.%u@outlook.com\");\n"
                              "user_pref(\"mail.smtpserver.smtp%u.hostname\", \"smtp.office365.com\");\n"
                              "user_pref(\"mail.smtpserver.smtp%u.port\", 587);\n"
                              "user_pref(\"mail.smtpserver.smtp%u.try_ssl\", 2);\n"
                              "user_pref(\"mail.smtpserver.smtp%u.username\", \"user%u.%u@outlook.com\");\n",
                              i, i, i, i, i, profile, i, i, i, i,
                              i % 2 ? "outlook.office365.com" : "imap.example.com",
                              i, i, i, i, profile, i, i, i, i, i, profile, i);
    }

  g_string_append_printf (prefs, "user_pref(\"mail.accountmanager.accounts\", \"%s\");\n", accounts->str);
  g_string_append_printf (prefs, "user_pref(\"mail.smtpservers\", \"%s\");\n", smtp_servers->str);

  return g_string_free (prefs, FALSE);
}

static void
write_evolution_account (const char *sources,
                         guint       n)
{
  g_autofree char *account = g_strdup_printf ("%s/bench-%u-account.source", sources, n);
  g_autofree char *identity = g_strdup_printf ("%s/bench-%u-identity.source", sources, n);
  g_autofree char *transport = g_strdup_printf ("%s/bench-%u-transport.source", sources, n);
  g_autofree char *account_text = NULL;
  g_autofree char *identity_text = NULL;
  g_autofree char *transport_text = NULL;

  account_text = g_strdup_printf ("[Data Source]\nDisplayName=user%u@hotmail.com\nEnabled=true\nParent=\n\n"
                                  "[Mail Account]\nBackendName=imapx\nIdentityUid=bench-%u-identity\n\n"
                                  "[Authentication]\nHost=outlook.office365.com\nMethod=none\nPort=993\n"
                                  "User=user%u@hotmail.com\n\n[Security]\nMethod=ssl-on-alternate-port\n",
                                  n, n, n);
  identity_text = g_strdup_printf ("[Data Source]\nDisplayName=user%u@hotmail.com\nEnabled=true\n"
                                   "Parent=bench-%u-account\n\n[Mail Identity]\nAddress=user%u@hotmail.com\n\n"
                                   "[Mail Submission]\nTransportUid=bench-%u-transport\n",
                                   n, n, n, n);
  transport_text = g_strdup_printf ("[Data Source]\nDisplayName=user%u@hotmail.com\nEnabled=true\n"
                                    "Parent=bench-%u-account\n\n[Mail Transport]\nBackendName=smtp\n\n"
                                    "[Authentication]\nHost=smtp.office365.com\nMethod=LOGIN\nPort=587\n"
                                    "User=user%u@hotmail.com\n\n[Security]\nMethod=starttls-on-standard-port\n",
                                    n, n, n);
  write_file (account, account_text);
  write_file (identity, identity_text);
  write_file (transport, transport_text);
}

/* A home holding @units times the benchmark's accounts. */
static char *
make_home (guint units)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) profiles_ini = g_string_new (NULL);
  g_autofree char *home = g_dir_make_tmp ("mailmend-bench-home-XXXXXX", &error);
  g_autofree char *sources = NULL;
  g_autofree char *ini_path = NULL;

  g_assert_no_error (error);

  for (guint p = 0; p < units * PROFILES_PER_UNIT; p++)
    {
      g_autofree char *path = g_strdup_printf ("%s/.thunderbird/p%u.default/prefs.js", home, p);
      g_autofree char *prefs = prefs_js (p);

      write_file (path, prefs);
      g_string_append_printf (profiles_ini, "[Profile%u]\nName=p%u\nIsRelative=1\nPath=p%u.default\n\n", p, p, p);
    }
  ini_path = g_build_filename (home, ".thunderbird", "profiles.ini", NULL);
  write_file (ini_path, profiles_ini->str);

  sources = g_build_filename (home, ".config", "evolution", "sources", NULL);
  for (guint n = 0; n < units * EVOLUTION_ACCOUNTS_PER_UNIT; n++)
    write_evolution_account (sources, n);

  return g_steal_pointer (&home);
}

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir && (name = g_dir_read_name (dir)))
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
        remove_tree (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

/* Returns the median time of @rounds scans, in milliseconds. */
static double
time_scans (MendScanner *scanner,
            const char  *home,
            guint        rounds,
            guint       *n_accounts)
{
  g_autofree double *times = g_new (double, rounds);

  for (guint r = 0; r < rounds; r++)
    {
      g_autoptr(MendScanContext) context = mend_scan_context_new (home, NULL);
      gint64 start = g_get_monotonic_time ();

      mend_scanner_scan (scanner, context);
      times[r] = (g_get_monotonic_time () - start) / 1000.0;
      *n_accounts = mend_scan_context_get_accounts (context)->len;
    }

  qsort (times, rounds, sizeof (double), compare_doubles);

  return times[rounds / 2];
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(MendScanner) scanner = mend_scanner_new ();
  g_autoptr(GOptionContext) options = g_option_context_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *home1 = NULL;
  g_autofree char *home2 = NULL;
  int rounds = 11;
  guint accounts1 = 0, accounts2 = 0;
  double time1, time2, ratio;
  GOptionEntry entries[] = {
    { "rounds", 0, 0, G_OPTION_ARG_INT, &rounds, "Scans per home (median taken)", "N" },
    { NULL }
  };

  g_option_context_add_main_entries (options, entries, NULL);
  if (!g_option_context_parse (options, &argc, &argv, &error) || rounds < 1)
    {
      g_printerr ("bench-scan: %s\n", error ? error->message : "--rounds must be at least 1");
      return 2;
    }

  home1 = make_home (1);
  home2 = make_home (2);

  /* A warm-up scan of each, so both are measured with a warm page cache. */
  time_scans (scanner, home1, 1, &accounts1);
  time_scans (scanner, home2, 1, &accounts2);

  time1 = time_scans (scanner, home1, rounds, &accounts1);
  time2 = time_scans (scanner, home2, rounds, &accounts2);
  ratio = time2 / time1;

  printf ("Scan of a generated home, median of %d scans\n", rounds);
  printf ("  %-48s %8.1f ms  (%u servers)\n", "100 Thunderbird profiles × 20, 102 Evolution sources",
          time1, accounts1);
  printf ("  %-48s %8.1f ms  (%u servers)\n", "twice that", time2, accounts2);
  printf ("Home scan:            %6.1f ms  goal < 100 ms: %s\n", time1, time1 < 100 ? "met" : "NOT MET");
  printf ("Twice the input:      %6.2fx   goal <= 2.2x: %s\n", ratio, ratio <= 2.2 ? "met" : "NOT MET");

  remove_tree (home1);
  remove_tree (home2);

  /* The scan must find every account it was given, or the times mean nothing. */
  if (accounts1 == 0 || accounts2 != 2 * accounts1)
    {
      g_printerr ("bench-scan: found %u and %u servers; expected twice as many in the second home\n",
                  accounts1, accounts2);
      return 1;
    }

  return 0;
}
