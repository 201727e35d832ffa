/* test-client-thunderbird.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <unistd.h>

#include "mend-test-scan.h"

#define NATIVE      ".thunderbird"
#define FLATPAK     ".var/app/org.mozilla.Thunderbird/.thunderbird"
#define FLATPAK_XDG ".var/app/org.mozilla.Thunderbird/config/thunderbird"
#define SNAP        "snap/thunderbird/common/.thunderbird"
#define XDG         ".config/thunderbird"

#define TLS      MEND_SECURITY_TLS
#define STARTTLS MEND_SECURITY_STARTTLS
#define PLAIN    MEND_SECURITY_NONE
#define PASSWORD MEND_AUTH_PASSWORD
#define OAUTH2   MEND_AUTH_OAUTH2

/* One server as the scan must report it. */
typedef struct
{
  const char   *profile;   /* relative to the home */
  const char   *version;
  const char   *address;
  MendProtocol  protocol;
  const char   *key;
  const char   *host;
  guint         port;      /* effective */
  MendSecurity  security;
  MendAuth      auth;
  const char   *username;
  const char   *findings;  /* every finding id, space-separated */
} Expected;

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return g_strcmp0 (*(const char * const *) a, *(const char * const *) b);
}

static char *
sorted_words (GPtrArray *words)
{
  g_ptr_array_sort (words, compare_strings);
  g_ptr_array_add (words, NULL);

  return g_strjoinv (" ", (char **) words->pdata);
}

static char *
finding_ids (MendAccount *account)
{
  GPtrArray *findings = mend_account_get_findings (account);
  g_autoptr(GPtrArray) ids = g_ptr_array_new ();

  for (guint i = 0; i < findings->len; i++)
    g_ptr_array_add (ids, (gpointer) mend_finding_get_id (g_ptr_array_index (findings, i)));

  return sorted_words (ids);
}

static char *
expected_ids (const char *findings)
{
  g_auto(GStrv) words = g_strsplit (findings, " ", -1);
  g_autoptr(GPtrArray) ids = g_ptr_array_new ();

  for (guint i = 0; words[i] != NULL; i++)
    {
      if (words[i][0] != '\0')
        g_ptr_array_add (ids, words[i]);
    }

  return sorted_words (ids);
}

static void
assert_account (MendTestScan   *scan,
                const Expected *e)
{
  MendAccount *account = mend_test_scan_find (scan, "thunderbird", e->address, e->protocol);
  g_autofree char *profile = g_path_is_absolute (e->profile) ? g_strdup (e->profile)
                                                             : mend_test_scan_path (scan, e->profile);
  g_autofree char *source = g_build_filename (profile, "prefs.js", NULL);
  g_autofree char *found = finding_ids (account);
  g_autofree char *wanted = expected_ids (e->findings);

  g_test_message ("%s %s", e->address, mend_protocol_to_string (e->protocol));
  g_assert_cmpstr (mend_account_get_client (account), ==, "thunderbird");
  g_assert_cmpstr (mend_account_get_profile (account), ==, profile);
  g_assert_cmpstr (mend_account_get_source (account), ==, source);
  g_assert_cmpstr (mend_account_get_key (account), ==, e->key);
  g_assert_cmpstr (mend_account_get_client_version (account), ==, e->version);
  g_assert_cmpstr (mend_account_get_host (account), ==, e->host);
  g_assert_cmpuint (mend_account_get_port (account), ==, e->port);
  g_assert_cmpint (mend_account_get_security (account), ==, e->security);
  g_assert_cmpint (mend_account_get_auth (account), ==, e->auth);
  g_assert_cmpstr (mend_account_get_username (account), ==, e->username);
  g_assert_cmpstr (found, ==, wanted);
}

static void
assert_accounts (MendTestScan   *scan,
                 const Expected *expected,
                 guint           n_expected,
                 guint           n_accounts)
{
  g_autoptr(GPtrArray) accounts = mend_test_scan_accounts (scan, "thunderbird");

  g_assert_cmpuint (accounts->len, ==, n_accounts);
  for (guint i = 0; i < n_expected; i++)
    assert_account (scan, &expected[i]);
}

static guint
count_unreadable (MendTestScan *scan)
{
  GPtrArray *findings = mend_scan_context_get_findings (scan->context);
  guint n = 0;

  for (guint i = 0; i < findings->len; i++)
    {
      if (g_str_equal (mend_finding_get_id (g_ptr_array_index (findings, i)), "config-unreadable"))
        n++;
    }

  return n;
}

static gboolean
has_host (MendTestScan *scan,
          const char   *host)
{
  g_autoptr(GPtrArray) accounts = mend_test_scan_accounts (scan, "thunderbird");

  for (guint i = 0; i < accounts->len; i++)
    {
      if (g_strcmp0 (mend_account_get_host (g_ptr_array_index (accounts, i)), host) == 0)
        return TRUE;
    }

  return FALSE;
}

static MendFinding *
get_finding (MendAccount *account,
             const char  *id)
{
  GPtrArray *findings = mend_account_get_findings (account);

  for (guint i = 0; i < findings->len; i++)
    {
      if (g_str_equal (mend_finding_get_id (g_ptr_array_index (findings, i)), id))
        return g_ptr_array_index (findings, i);
    }

  g_error ("no %s finding", id);
}

#define DEFAULT_RELEASE NATIVE "/k3v9x2ab.default-release"
#define WORK            NATIVE "/m7q2w8cd.work"
#define OLD             NATIVE "/t68old99.default"

static const Expected native[] = {
  /* default-release, TB 128.3.1, running: its lock points at pid 4101. */
  { DEFAULT_RELEASE, "128.3.1", "alex@contoso.onmicrosoft.com", MEND_PROTOCOL_IMAP,
    "mail.server.server1", "outlook.office365.com", 993, TLS, PASSWORD,
    "alex@contoso.onmicrosoft.com", "basic-auth client-running" },
  { DEFAULT_RELEASE, "128.3.1", "alex@contoso.onmicrosoft.com", MEND_PROTOCOL_SMTP,
    "mail.smtpserver.smtp1", "smtp.office365.com", 587, STARTTLS, PASSWORD,
    "alex@contoso.onmicrosoft.com", "basic-auth client-running" },
  { DEFAULT_RELEASE, "128.3.1", "sam.taylor@outlook.com", MEND_PROTOCOL_IMAP,
    "mail.server.server2", "outlook.office365.com", 993, TLS, OAUTH2,
    "sam.taylor@outlook.com", "oauth-ready client-running" },
  { DEFAULT_RELEASE, "128.3.1", "sam.taylor@outlook.com", MEND_PROTOCOL_SMTP,
    "mail.smtpserver.smtp2", "smtp.office365.com", 587, STARTTLS, OAUTH2,
    "sam.taylor@outlook.com", "oauth-ready client-running" },
  { DEFAULT_RELEASE, "128.3.1", "jordan@example.com", MEND_PROTOCOL_IMAP,
    "mail.server.server3", "imap.gmail.com", 993, TLS, OAUTH2,
    "jordan@example.com", "client-running" },
  /* Named by its identity only, not in mail.smtpservers. */
  { DEFAULT_RELEASE, "128.3.1", "jordan@example.com", MEND_PROTOCOL_SMTP,
    "mail.smtpserver.smtp4", "smtp.gmail.com", 465, TLS, OAUTH2,
    "jordan@example.com", "client-running" },
  /* No port: the defaults with SSL/TLS; the address comes from the identity. */
  { DEFAULT_RELEASE, "128.3.1", "robin@example.net", MEND_PROTOCOL_POP3,
    "mail.server.server4", "pop.example.net", 995, TLS, PASSWORD, "robin", "client-running" },
  { DEFAULT_RELEASE, "128.3.1", "robin@example.net", MEND_PROTOCOL_SMTP,
    "mail.smtpserver.smtp3", "mail.example.net", 465, TLS, PASSWORD, "robin", "client-running" },

  /* work, only in installs.ini, TB 115.16.0: the old Outlook.com hosts;
   * its lock is stale (pid 4198 is not running). */
  { WORK, "115.16.0", "casey@hotmail.com", MEND_PROTOCOL_IMAP,
    "mail.server.server1", "imap-mail.outlook.com", 993, TLS, PASSWORD,
    "casey@hotmail.com", "basic-auth legacy-host" },
  { WORK, "115.16.0", "casey@hotmail.com", MEND_PROTOCOL_SMTP,
    "mail.smtpserver.smtp1", "smtp-mail.outlook.com", 587, STARTTLS, PASSWORD,
    "casey@hotmail.com", "basic-auth legacy-host" },
  { WORK, "115.16.0", "morgan@outlook.com", MEND_PROTOCOL_POP3,
    "mail.server.server2", "pop-mail.outlook.com", 995, TLS, OAUTH2,
    "morgan@outlook.com", "oauth-ready pop3-in-use legacy-host" },
  /* TB 77–132 do OAuth 2.0 with outlook.office365.com: no legacy-host. */
  { WORK, "115.16.0", "drew@contoso.onmicrosoft.com", MEND_PROTOCOL_IMAP,
    "mail.server.server3", "outlook.office365.com", 993, TLS, OAUTH2,
    "drew@contoso.onmicrosoft.com", "oauth-ready" },
  { WORK, "115.16.0", "drew@contoso.onmicrosoft.com", MEND_PROTOCOL_SMTP,
    "mail.smtpserver.smtp2", "smtp.office365.com", 587, STARTTLS, OAUTH2,
    "drew@contoso.onmicrosoft.com", "oauth-ready" },

  /* old, TB 68.12.0: before Microsoft OAuth 2.0. */
  { OLD, "68.12.0", "riley@outlook.com", MEND_PROTOCOL_IMAP,
    "mail.server.server1", "imap-mail.outlook.com", 993, TLS, PASSWORD,
    "riley@outlook.com", "basic-auth legacy-host client-too-old" },
  { OLD, "68.12.0", "riley@outlook.com", MEND_PROTOCOL_SMTP,
    "mail.smtpserver.smtp1", "smtp-mail.outlook.com", 587, STARTTLS, PASSWORD,
    "riley@outlook.com", "basic-auth legacy-host client-too-old" },
  /* live.com is in no Thunderbird's OAuth list: legacy-host whatever the version. */
  { OLD, "68.12.0", "jamie@live.com", MEND_PROTOCOL_POP3,
    "mail.server.server2", "pop3.live.com", 995, TLS, PASSWORD,
    "jamie@live.com", "basic-auth pop3-in-use legacy-host client-too-old" },
  /* Before Thunderbird 102, realhostname and realuserName win over hostname and userName. */
  { OLD, "68.12.0", "taylor@example.com", MEND_PROTOCOL_IMAP,
    "mail.server.server3", "mail.example.com", 993, TLS, PASSWORD, "taylor@example.com", "" },
  { OLD, "68.12.0", "taylor@example.com", MEND_PROTOCOL_SMTP,
    "mail.smtpserver.smtp2", "mail.example.com", 465, TLS, PASSWORD, "taylor@example.com", "" },
};

static void
test_native (void)
{
  g_autoptr(MendTestScan) scan = mend_test_scan_new ("thunderbird-native");
  MendAccount *account;
  MendFinding *finding;

  mend_test_scan_run (scan);

  assert_accounts (scan, native, G_N_ELEMENTS (native), G_N_ELEMENTS (native));
  g_assert_cmpuint (count_unreadable (scan), ==, 0);

  /* Local Folders, feeds, news; and what only extra folders lead to. */
  g_assert_false (has_host (scan, "Local Folders"));
  g_assert_false (has_host (scan, "Feeds"));
  g_assert_false (has_host (scan, "news.example.org"));
  g_assert_false (has_host (scan, "mail.example.org"));

  /* The remedies name what helps: TB 133 for imap-mail.outlook.com, only
   * a new host for pop3.live.com. */
  account = mend_test_scan_find (scan, "thunderbird", "casey@hotmail.com", MEND_PROTOCOL_IMAP);
  finding = get_finding (account, "legacy-host");
  g_assert_nonnull (strstr (mend_finding_get_remedy (finding), "133"));
  g_assert_nonnull (strstr (mend_finding_get_remedy (finding), "outlook.office365.com"));
  account = mend_test_scan_find (scan, "thunderbird", "jamie@live.com", MEND_PROTOCOL_POP3);
  finding = get_finding (account, "legacy-host");
  g_assert_null (strstr (mend_finding_get_remedy (finding), "133"));
  account = mend_test_scan_find (scan, "thunderbird", "riley@outlook.com", MEND_PROTOCOL_IMAP);
  finding = get_finding (account, "client-too-old");
  g_assert_nonnull (strstr (mend_finding_get_explanation (finding), "68.12.0"));
  g_assert_nonnull (strstr (mend_finding_get_remedy (finding), "77"));

  mend_test_scan_assert_unchanged (scan);
}

static void
test_extra_folders (void)
{
  g_autoptr(MendTestScan) scan = mend_test_scan_new ("thunderbird-native");
  g_autofree char *portable = mend_test_scan_path (scan, "Documents/tb-portable");
  g_autofree char *backup = mend_test_scan_path (scan, "Backups/thunderbird-2023");
  g_autofree char *known = mend_test_scan_path (scan, DEFAULT_RELEASE);
  g_autofree char *known_root = mend_test_scan_path (scan, NATIVE);
  g_autofree char *nothing = mend_test_scan_path (scan, "Documents");
  g_autofree char *missing = mend_test_scan_path (scan, "no/such/folder");
  static const Expected extra[] = {
    /* A profile folder (prefs.js), STARTTLS with an encrypted password. */
    { "Documents/tb-portable", "128.3.1", "pat@example.org", MEND_PROTOCOL_IMAP,
      "mail.server.server1", "mail.example.org", 143, STARTTLS, PASSWORD, "pat@example.org", "" },
    { "Documents/tb-portable", "128.3.1", "pat@example.org", MEND_PROTOCOL_SMTP,
      "mail.smtpserver.smtp1", "mail.example.org", 587, STARTTLS, PASSWORD, "pat@example.org",
      "" },
    /* A root folder (profiles.ini). */
    { "Backups/thunderbird-2023/b4ck0001.default-release", "102.15.1",
      "ellis@contoso.onmicrosoft.com", MEND_PROTOCOL_IMAP, "mail.server.server1",
      "outlook.office365.com", 993, TLS, PASSWORD, "ellis@contoso.onmicrosoft.com",
      "basic-auth" },
    { "Backups/thunderbird-2023/b4ck0001.default-release", "102.15.1",
      "ellis@contoso.onmicrosoft.com", MEND_PROTOCOL_SMTP, "mail.smtpserver.smtp1",
      "smtp.office365.com", 587, STARTTLS, PASSWORD, "ellis@contoso.onmicrosoft.com",
      "basic-auth" },
  };

  mend_scan_context_add_extra_folder (scan->context, portable);
  mend_scan_context_add_extra_folder (scan->context, backup);
  /* Already found: read once. */
  mend_scan_context_add_extra_folder (scan->context, known);
  mend_scan_context_add_extra_folder (scan->context, known_root);
  /* Neither a root nor a profile; and not there at all. */
  mend_scan_context_add_extra_folder (scan->context, nothing);
  mend_scan_context_add_extra_folder (scan->context, missing);
  mend_test_scan_run (scan);

  assert_accounts (scan, native, G_N_ELEMENTS (native),
                   G_N_ELEMENTS (native) + G_N_ELEMENTS (extra));
  assert_accounts (scan, extra, G_N_ELEMENTS (extra),
                   G_N_ELEMENTS (native) + G_N_ELEMENTS (extra));
  g_assert_cmpuint (count_unreadable (scan), ==, 0);

  mend_test_scan_assert_unchanged (scan);
}

static gboolean
is_running (MendTestScan *scan,
            const char   *address,
            MendProtocol  protocol)
{
  MendAccount *account = mend_test_scan_find (scan, "thunderbird", address, protocol);

  return mend_account_has_finding (account, "client-running");
}

static void
test_running (void)
{
  struct
  {
    guint    pid;           /* the one live Thunderbird, or 0 */
    gboolean default_release;
    gboolean work;
  } cases[] = {
    /* Nothing runs. */
    { 0, FALSE, FALSE },
    /* Only the pids count, not the process names: each profile by its own lock. */
    { 4198, FALSE, TRUE },
    { 4101, TRUE, FALSE },
    /* Thunderbird runs, but with no profile of this home. */
    { 4150, FALSE, FALSE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(MendTestScan) scan = mend_test_scan_new ("thunderbird-native");

      g_test_message ("case %u", i);
      if (cases[i].pid != 0)
        mend_test_scan_set_running_pid (scan, cases[i].pid, "thunderbird");
      else
        mend_test_scan_set_running (scan, NULL);
      mend_test_scan_run (scan);

      g_assert_cmpint (is_running (scan, "alex@contoso.onmicrosoft.com", MEND_PROTOCOL_IMAP), ==,
                       cases[i].default_release);
      g_assert_cmpint (is_running (scan, "robin@example.net", MEND_PROTOCOL_SMTP), ==,
                       cases[i].default_release);
      g_assert_cmpint (is_running (scan, "casey@hotmail.com", MEND_PROTOCOL_IMAP), ==,
                       cases[i].work);
      g_assert_cmpint (is_running (scan, "drew@contoso.onmicrosoft.com", MEND_PROTOCOL_SMTP), ==,
                       cases[i].work);
      /* No lock at all. */
      g_assert_false (is_running (scan, "riley@outlook.com", MEND_PROTOCOL_IMAP));

      mend_test_scan_assert_unchanged (scan);
    }
}

#define FLATPAK_PROFILE     FLATPAK "/fl4tp4k1.default-release"
#define FLATPAK_XDG_PROFILE FLATPAK_XDG "/x1y2z3w4.default-release"

static void
test_flatpak (void)
{
  g_autoptr(MendTestScan) scan = mend_test_scan_new ("thunderbird-flatpak");
  g_autoptr(MendTestScan) idle = mend_test_scan_new ("thunderbird-flatpak");
  static const Expected expected[] = {
    /* TB 140 does OAuth 2.0 with the Outlook.com hosts: no legacy-host.
     * Running: its lock names a sandbox pid, and a Thunderbird runs. */
    { FLATPAK_PROFILE, "140.3.0esr", "kim@hotmail.com", MEND_PROTOCOL_POP3,
      "mail.server.server1", "pop-mail.outlook.com", 995, TLS, PASSWORD, "kim@hotmail.com",
      "basic-auth pop3-in-use client-running" },
    { FLATPAK_PROFILE, "140.3.0esr", "kim@hotmail.com", MEND_PROTOCOL_SMTP,
      "mail.smtpserver.smtp1", "smtp-mail.outlook.com", 587, STARTTLS, OAUTH2,
      "kim@hotmail.com", "oauth-ready client-running" },
    /* Port 1 means the default. */
    { FLATPAK_PROFILE, "140.3.0esr", "lee@example.com", MEND_PROTOCOL_IMAP,
      "mail.server.server2", "imap.example.com", 993, TLS, PASSWORD, "lee@example.com",
      "client-running" },
    /* No encryption, no authentication, no user name. */
    { FLATPAK_PROFILE, "140.3.0esr", "lee@example.com", MEND_PROTOCOL_SMTP,
      "mail.smtpserver.smtp2", "smtp.example.com", 587, PLAIN, MEND_AUTH_NONE, NULL,
      "insecure-connection client-running" },
    /* The Flatpak's XDG folder; no lock, so not running. */
    { FLATPAK_XDG_PROFILE, "147.0", "noah@contoso.onmicrosoft.com", MEND_PROTOCOL_IMAP,
      "mail.server.server1", "outlook.office365.com", 993, TLS, OAUTH2,
      "noah@contoso.onmicrosoft.com", "oauth-ready" },
    { FLATPAK_XDG_PROFILE, "147.0", "noah@contoso.onmicrosoft.com", MEND_PROTOCOL_SMTP,
      "mail.smtpserver.smtp1", "smtp.office365.com", 587, STARTTLS, OAUTH2,
      "noah@contoso.onmicrosoft.com", "oauth-ready" },
  };

  mend_test_scan_run (scan);
  assert_accounts (scan, expected, G_N_ELEMENTS (expected), G_N_ELEMENTS (expected));
  g_assert_cmpuint (count_unreadable (scan), ==, 0);
  mend_test_scan_assert_unchanged (scan);

  /* A live pid 2 on the host is not the sandbox's pid 2: without a
   * Thunderbird process the Flatpak profile is not running. */
  mend_test_scan_set_running_pid (idle, 2, "systemd");
  mend_test_scan_run (idle);
  g_assert_false (is_running (idle, "kim@hotmail.com", MEND_PROTOCOL_POP3));
  g_assert_false (is_running (idle, "lee@example.com", MEND_PROTOCOL_SMTP));
  mend_test_scan_assert_unchanged (idle);
}

#define SNAP_PROFILE SNAP "/Profiles/sn4p0001.default"

static void
test_snap (void)
{
  g_autoptr(MendTestScan) scan = mend_test_scan_new ("thunderbird-snap");
  static const Expected expected[] = {
    { SNAP_PROFILE, "136.0.1", "avery@contoso.onmicrosoft.com", MEND_PROTOCOL_EWS,
      "mail.server.server1", "outlook.office365.com", 443, TLS, OAUTH2,
      "avery@contoso.onmicrosoft.com", "oauth-ready" },
    /* An explicit authMethod 3, “Normal password”. */
    { SNAP_PROFILE, "136.0.1", "quinn@contoso.onmicrosoft.com", MEND_PROTOCOL_IMAP,
      "mail.server.server2", "outlook.office365.com", 993, TLS, PASSWORD,
      "quinn@contoso.onmicrosoft.com", "basic-auth" },
    { SNAP_PROFILE, "136.0.1", "quinn@contoso.onmicrosoft.com", MEND_PROTOCOL_SMTP,
      "mail.smtpserver.smtp1", "smtp.office365.com", 587, STARTTLS, PASSWORD,
      "quinn@contoso.onmicrosoft.com", "basic-auth" },
    { SNAP_PROFILE, "136.0.1", "blake@example.org", MEND_PROTOCOL_IMAP,
      "mail.server.server3", "imap.example.org", 143, STARTTLS, PASSWORD, "blake", "" },
    { SNAP_PROFILE, "136.0.1", "blake@example.org", MEND_PROTOCOL_SMTP,
      "mail.smtpserver.smtp2", "smtp.example.org", 25, STARTTLS, PASSWORD, "blake", "" },
  };

  mend_test_scan_run (scan);
  assert_accounts (scan, expected, G_N_ELEMENTS (expected), G_N_ELEMENTS (expected));
  g_assert_cmpuint (count_unreadable (scan), ==, 0);
  mend_test_scan_assert_unchanged (scan);
}

#define XDG_PROFILE XDG "/xdg00001.default-release"

static void
test_xdg (void)
{
  g_autoptr(MendTestScan) scan = mend_test_scan_new ("thunderbird-xdg");
  static const Expected expected[] = {
    { XDG_PROFILE, "150.0.1", "harper@contoso.onmicrosoft.com", MEND_PROTOCOL_IMAP,
      "mail.server.server1", "outlook.office365.com", 993, TLS, PASSWORD,
      "harper@contoso.onmicrosoft.com", "basic-auth client-running" },
    { XDG_PROFILE, "150.0.1", "harper@contoso.onmicrosoft.com", MEND_PROTOCOL_SMTP,
      "mail.smtpserver.smtp1", "smtp.office365.com", 587, STARTTLS, PASSWORD,
      "harper@contoso.onmicrosoft.com", "basic-auth client-running" },
  };
  MendAccount *graph;

  mend_test_scan_run (scan);
  assert_accounts (scan, expected, G_N_ELEMENTS (expected), G_N_ELEMENTS (expected) + 1);
  g_assert_cmpuint (count_unreadable (scan), ==, 0);

  graph = mend_test_scan_find (scan, "thunderbird", "harper.graph@contoso.onmicrosoft.com",
                               MEND_PROTOCOL_GRAPH);
  g_assert_cmpstr (mend_account_get_host (graph), ==, "graph.microsoft.com");
  g_assert_cmpuint (mend_account_get_port (graph), ==, 443);
  g_assert_cmpint (mend_account_get_security (graph), ==, TLS);
  g_assert_cmpint (mend_account_get_auth (graph), ==, OAUTH2);
  g_assert_true (mend_account_has_finding (graph, "client-running"));

  mend_test_scan_assert_unchanged (scan);
}

static void
test_broken (void)
{
  g_autoptr(MendTestScan) scan = mend_test_scan_new ("thunderbird-broken");
  static const Expected expected[] = {
    /* Two damaged lines skipped; the version unknown (compatibility.ini is
     * damaged), so no version-based finding; a lock that names no pid. */
    { NATIVE "/g00d0001.default-release", NULL, "river@contoso.onmicrosoft.com",
      MEND_PROTOCOL_IMAP, "mail.server.server1", "outlook.office365.com", 993, TLS, PASSWORD,
      "river@contoso.onmicrosoft.com", "basic-auth" },
    { NATIVE "/g00d0001.default-release", NULL, "river@contoso.onmicrosoft.com",
      MEND_PROTOCOL_SMTP, "mail.smtpserver.smtp1", "smtp.office365.com", 587, STARTTLS,
      PASSWORD, "river@contoso.onmicrosoft.com", "basic-auth" },
  };

  mend_test_scan_run (scan);
  assert_accounts (scan, expected, G_N_ELEMENTS (expected), G_N_ELEMENTS (expected));

  g_assert_true (mend_test_scan_has_unreadable (scan, NATIVE "/b1n4ry01.default/prefs.js"));
  g_assert_true (mend_test_scan_has_unreadable (scan, NATIVE "/trunc001.default/prefs.js"));
  g_assert_true (mend_test_scan_has_unreadable (scan, NATIVE "/n0tpr3f5.default/prefs.js"));
  g_assert_true (mend_test_scan_has_unreadable (scan, NATIVE "/f0ld3r01.default/prefs.js"));
  g_assert_true (mend_test_scan_has_unreadable (scan,
                                                NATIVE "/g00d0001.default-release/compatibility.ini"));
  g_assert_true (mend_test_scan_has_unreadable (scan, FLATPAK "/profiles.ini"));
  g_assert_true (mend_test_scan_has_unreadable (scan, SNAP "/installs.ini"));
  /* A profile folder that is gone is not an error. */
  g_assert_false (mend_test_scan_has_unreadable (scan, NATIVE "/missing1.default/prefs.js"));
  g_assert_cmpuint (count_unreadable (scan), ==, 7);

  /* Nothing from the cut-short file, though it names an account. */
  {
    g_autoptr(GPtrArray) accounts = mend_test_scan_accounts (scan, "thunderbird");

    for (guint i = 0; i < accounts->len; i++)
      g_assert_cmpstr (mend_account_get_address (g_ptr_array_index (accounts, i)), !=,
                       "sky@contoso.onmicrosoft.com");
  }

  mend_test_scan_assert_unchanged (scan);
}

/* ---- homes built by the test ------------------------------------------- */

static void
write_file (const char *path,
            const char *contents)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_path_get_dirname (path);

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  g_file_set_contents (path, contents, -1, &error);
  g_assert_no_error (error);
}

static char *
minimal_prefs (const char *address,
               const char *host)
{
  return g_strdup_printf ("// Mozilla User Preferences\n\n"
                          "user_pref(\"mail.account.account1.identities\", \"id1\");\n"
                          "user_pref(\"mail.account.account1.server\", \"server1\");\n"
                          "user_pref(\"mail.accountmanager.accounts\", \"account1\");\n"
                          "user_pref(\"mail.identity.id1.useremail\", \"%s\");\n"
                          "user_pref(\"mail.server.server1.hostname\", \"%s\");\n"
                          "user_pref(\"mail.server.server1.socketType\", 3);\n"
                          "user_pref(\"mail.server.server1.type\", \"imap\");\n"
                          "user_pref(\"mail.server.server1.userName\", \"%s\");\n",
                          address, host, address);
}

/* Every path under @dir with its size, mode, mtime and contents. */
static void
snapshot (const char *dir,
          GString    *out)
{
  g_autoptr(GDir) folder = g_dir_open (dir, 0, NULL);
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  const char *name;

  while (folder && (name = g_dir_read_name (folder)))
    g_ptr_array_add (names, g_strdup (name));
  g_ptr_array_sort (names, compare_strings);

  for (guint i = 0; i < names->len; i++)
    {
      g_autofree char *path = g_build_filename (dir, g_ptr_array_index (names, i), NULL);
      g_autofree char *contents = NULL;
      gsize length = 0;
      GStatBuf st;

      g_assert_cmpint (g_lstat (path, &st), ==, 0);
      g_string_append_printf (out, "%s %o %" G_GINT64_FORMAT " %" G_GINT64_FORMAT "\n", path,
                              st.st_mode, (gint64) st.st_size, (gint64) st.st_mtime);
      if (S_ISDIR (st.st_mode))
        snapshot (path, out);
      else if (S_ISREG (st.st_mode) && g_file_get_contents (path, &contents, &length, NULL))
        g_string_append_len (out, contents, length);
    }
}

static void
test_absolute_paths (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *tmp = g_dir_make_tmp ("mailmend-tb-XXXXXX", &error);
  g_autofree char *home = g_build_filename (tmp, "home", NULL);
  g_autofree char *absolute = g_build_filename (tmp, "disk", "tb", "abs0001.default", NULL);
  g_autofree char *installed = g_build_filename (tmp, "disk", "tb", "inst0001.default", NULL);
  g_autofree char *root = g_build_filename (home, ".thunderbird", NULL);
  g_autofree char *link = g_build_filename (root, "link.default", NULL);
  g_autofree char *profiles = NULL;
  g_autofree char *installs = NULL;
  g_autofree char *path = NULL;
  g_autofree char *prefs = NULL;
  g_autofree char *relative = NULL;
  g_autoptr(GString) before = g_string_new (NULL);
  g_autoptr(GString) after = g_string_new (NULL);
  g_autoptr(MendScanContext) context = NULL;
  g_autoptr(MendScanner) scanner = mend_scanner_new ();
  GPtrArray *accounts;
  gboolean found_absolute = FALSE;
  gboolean found_installed = FALSE;
  gboolean found_relative = FALSE;

  g_assert_no_error (error);

  profiles = g_strdup_printf ("[Profile0]\nName=elsewhere\nIsRelative=0\nPath=%s\n\n"
                              /* The same folder through a symlink: read once. */
                              "[Profile1]\nName=link\nIsRelative=1\nPath=link.default\n\n"
                              /* Relative, with a detour. */
                              "[Profile2]\nName=rel\nIsRelative=1\nPath=sub/../rel0001.default\n\n"
                              "[General]\nStartWithLastProfile=1\nVersion=2\n",
                              absolute);
  installs = g_strdup_printf ("[4F96D1932A9F858E]\nDefault=%s\nLocked=1\n", installed);
  path = g_build_filename (root, "profiles.ini", NULL);
  write_file (path, profiles);
  g_free (path);
  path = g_build_filename (root, "installs.ini", NULL);
  write_file (path, installs);
  g_free (path);

  path = g_build_filename (absolute, "prefs.js", NULL);
  prefs = minimal_prefs ("abs@contoso.onmicrosoft.com", "outlook.office365.com");
  write_file (path, prefs);
  g_free (path);
  g_free (prefs);
  path = g_build_filename (installed, "prefs.js", NULL);
  prefs = minimal_prefs ("inst@example.com", "imap.example.com");
  write_file (path, prefs);
  g_free (path);
  g_free (prefs);
  relative = g_build_filename (root, "rel0001.default", NULL);
  path = g_build_filename (relative, "prefs.js", NULL);
  prefs = minimal_prefs ("rel@example.com", "imap.example.com");
  write_file (path, prefs);
  g_assert_cmpint (symlink (absolute, link), ==, 0);

  snapshot (tmp, before);

  context = mend_scan_context_new (home, NULL);
  mend_scanner_scan (scanner, context);
  accounts = mend_scan_context_get_accounts (context);

  g_assert_cmpuint (accounts->len, ==, 3);
  for (guint i = 0; i < accounts->len; i++)
    {
      MendAccount *account = g_ptr_array_index (accounts, i);
      const char *address = mend_account_get_address (account);
      g_autofree char *source = g_build_filename (mend_account_get_profile (account), "prefs.js",
                                                  NULL);

      g_assert_cmpstr (mend_account_get_source (account), ==, source);
      g_assert_null (mend_account_get_client_version (account));
      g_assert_cmpint (mend_account_get_protocol (account), ==, MEND_PROTOCOL_IMAP);

      if (g_str_equal (address, "abs@contoso.onmicrosoft.com"))
        {
          found_absolute = TRUE;
          /* Either spelling of the one folder, listed first in profiles.ini. */
          g_assert_cmpstr (mend_account_get_profile (account), ==, absolute);
          g_assert_true (mend_account_has_finding (account, "basic-auth"));
        }
      else if (g_str_equal (address, "inst@example.com"))
        {
          found_installed = TRUE;
          g_assert_cmpstr (mend_account_get_profile (account), ==, installed);
        }
      else if (g_str_equal (address, "rel@example.com"))
        {
          found_relative = TRUE;
          g_assert_cmpstr (mend_account_get_profile (account), ==, relative);
        }
    }
  g_assert_true (found_absolute && found_installed && found_relative);

  snapshot (tmp, after);
  g_assert_cmpstr (after->str, ==, before->str);

  mend_test_remove_tree (tmp);
}

static void
test_huge_prefs (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *tmp = g_dir_make_tmp ("mailmend-tb-XXXXXX", &error);
  g_autofree char *path = g_build_filename (tmp, NATIVE, "huge0001.default", "prefs.js", NULL);
  g_autofree char *ini = g_build_filename (tmp, NATIVE, "profiles.ini", NULL);
  g_autoptr(GString) text = g_string_sized_new (21 * 1024 * 1024);
  g_autoptr(GString) accounts = g_string_new (NULL);
  g_autoptr(GString) before = g_string_new (NULL);
  g_autoptr(GString) after = g_string_new (NULL);
  g_autoptr(MendScanContext) context = NULL;
  g_autoptr(MendScanner) scanner = mend_scanner_new ();
  g_autoptr(GTimer) timer = NULL;
  MendAccount *account;
  guint n = 0;

  g_assert_no_error (error);

  /* Not committed: about 20 MB, generated here. Years of folder settings,
   * then 50 accounts. */
  g_string_append (text, "// Mozilla User Preferences\n\n");
  while (text->len < 20 * 1024 * 1024)
    {
      g_string_append_printf (text,
                              "user_pref(\"mail.server.server%u.directory\", \"/home/alex/"
                              ".thunderbird/huge0001.default/ImapMail/imap%u.example.com\");\n"
                              "user_pref(\"mail.server.server%u.lastFilterTime\", %u);\n",
                              1000 + n, n, 1000 + n, 28797101 + n);
      n++;
    }
  for (guint i = 1; i <= 50; i++)
    {
      g_string_append_printf (accounts, "%saccount%u", i > 1 ? "," : "", i);
      g_string_append_printf (text,
                              "user_pref(\"mail.account.account%u.identities\", \"id%u\");\n"
                              "user_pref(\"mail.account.account%u.server\", \"server%u\");\n"
                              "user_pref(\"mail.identity.id%u.useremail\", \"user%u@example.com\");\n"
                              "user_pref(\"mail.server.server%u.hostname\", \"imap%u.example.com\");\n"
                              "user_pref(\"mail.server.server%u.type\", \"imap\");\n",
                              i, i, i, i, i, i, i, i, i);
    }
  g_string_append_printf (text, "user_pref(\"mail.accountmanager.accounts\", \"%s\");\n",
                          accounts->str);
  write_file (path, text->str);
  write_file (ini, "[Profile0]\nName=huge\nIsRelative=1\nPath=huge0001.default\n");
  snapshot (tmp, before);

  context = mend_scan_context_new (tmp, NULL);
  timer = g_timer_new ();
  mend_scanner_scan (scanner, context);
  g_timer_stop (timer);
  g_test_message ("%zu bytes scanned in %.3f s", text->len, g_timer_elapsed (timer, NULL));

  g_assert_cmpuint (mend_scan_context_get_accounts (context)->len, ==, 50);
  for (guint i = 0; i < 50; i++)
    {
      account = g_ptr_array_index (mend_scan_context_get_accounts (context), i);
      if (g_str_equal (mend_account_get_address (account), "user50@example.com"))
        break;
    }
  g_assert_cmpstr (mend_account_get_address (account), ==, "user50@example.com");
  g_assert_cmpstr (mend_account_get_host (account), ==, "imap50.example.com");
  g_assert_cmpuint (mend_account_get_port (account), ==, 143);
  g_assert_cmpint (mend_account_get_security (account), ==, PLAIN);
  g_assert_cmpuint (mend_scan_context_get_findings (context)->len, ==, 0);
  /* Generous, for slow builders and sanitizers. */
  g_assert_cmpfloat (g_timer_elapsed (timer, NULL), <, 10.0);

  snapshot (tmp, after);
  g_assert_true (g_string_equal (after, before));

  mend_test_remove_tree (tmp);
}

static void
test_stable_ids (void)
{
  g_autoptr(MendTestScan) scan = mend_test_scan_new ("thunderbird-native");
  g_autoptr(MendScanContext) again = mend_scan_context_new (scan->home, NULL);
  g_autoptr(MendScanner) scanner = mend_scanner_new ();
  g_autoptr(GHashTable) ids = g_hash_table_new (g_str_hash, g_str_equal);
  GPtrArray *first;
  GPtrArray *second;

  mend_test_scan_run (scan);
  mend_scanner_scan (scanner, again);
  first = mend_scan_context_get_accounts (scan->context);
  second = mend_scan_context_get_accounts (again);

  /* Unique within a scan, the same from one scan to the next. */
  g_assert_cmpuint (first->len, ==, second->len);
  for (guint i = 0; i < first->len; i++)
    {
      const char *id = mend_account_get_id (g_ptr_array_index (first, i));

      g_assert_true (g_hash_table_add (ids, (gpointer) id));
      g_assert_cmpstr (id, ==, mend_account_get_id (g_ptr_array_index (second, i)));
    }

  mend_test_scan_assert_unchanged (scan);
}

/* realhostname and realuserName count only where Thunderbird used them,
 * before 102: from 102 on it connects to hostname as userName, whatever they
 * say, and an unknown version is taken for a recent one. */
static void
test_real_hostname (void)
{
  static const struct {
    const char *version;   /* NULL: no compatibility.ini */
    const char *host;
    const char *username;
  } cases[] = {
    { "68.12.0", "mail.example.com", "taylor@example.com" },
    { "91.13.0", "mail.example.com", "taylor@example.com" },
    { "102.15.1", "imap.example.com", "taylor" },
    { "153.8.0", "imap.example.com", "taylor" },
    { NULL, "imap.example.com", "taylor" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(MendTestScan) scan = mend_test_scan_new ("thunderbird-native");
      g_autofree char *path = mend_test_scan_path (scan, OLD "/compatibility.ini");
      MendAccount *account;

      if (cases[i].version != NULL)
        {
          g_autofree char *contents = NULL;
          g_autoptr(GError) error = NULL;

          contents = g_strdup_printf ("[Compatibility]\nLastVersion=%s_20250101000000/1\n",
                                      cases[i].version);
          g_file_set_contents (path, contents, -1, &error);
          g_assert_no_error (error);
        }
      else
        {
          g_assert_cmpint (g_unlink (path), ==, 0);
        }
      mend_test_scan_snapshot (scan);
      mend_test_scan_run (scan);

      g_test_message ("Thunderbird %s", cases[i].version ? cases[i].version : "(unknown)");
      account = mend_test_scan_find (scan, "thunderbird", "taylor@example.com",
                                     MEND_PROTOCOL_IMAP);
      g_assert_cmpstr (mend_account_get_client_version (account), ==, cases[i].version);
      g_assert_cmpstr (mend_account_get_host (account), ==, cases[i].host);
      g_assert_cmpstr (mend_account_get_username (account), ==, cases[i].username);
      mend_test_scan_assert_unchanged (scan);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_set_prgname ("test-client-thunderbird");

  g_test_add_func ("/client/thunderbird/native", test_native);
  g_test_add_func ("/client/thunderbird/extra-folders", test_extra_folders);
  g_test_add_func ("/client/thunderbird/running", test_running);
  g_test_add_func ("/client/thunderbird/flatpak", test_flatpak);
  g_test_add_func ("/client/thunderbird/snap", test_snap);
  g_test_add_func ("/client/thunderbird/xdg", test_xdg);
  g_test_add_func ("/client/thunderbird/broken", test_broken);
  g_test_add_func ("/client/thunderbird/absolute-paths", test_absolute_paths);
  g_test_add_func ("/client/thunderbird/huge-prefs", test_huge_prefs);
  g_test_add_func ("/client/thunderbird/stable-ids", test_stable_ids);
  g_test_add_func ("/client/thunderbird/real-hostname", test_real_hostname);

  return g_test_run ();
}
