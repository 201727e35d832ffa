/* test-repair-clients.c: repaired configurations, used by the real mail clients
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Each test signs an address in to the fake identity provider and keeps the sign-in in the
 * rig's keyring, starts the rig's Dovecot, repairs a copy of a fixture home with the plan of
 * the client's own `plan_repair` (Mailmend's command being the build's `mailmend`), points the
 * repaired account at Dovecot (host, port, the rig's CA: the only lines the test changes),
 * and runs Debian's client on it: msmtp sends a message that the sink receives, mbsync copies
 * the INBOX. Both sign in with XOAUTH2 and a token that `mailmend token` takes from the keyring.
 */

#include "config.h"

#include <string.h>

#include <gio/gio.h>
#include <glib/gstdio.h>

#include "mend-repairer.h"
#include "mend-test-mail-server.h"
#include "mend-test-oauth.h"
#include "mend-test-scan.h"

#define ADDRESS "alex@contoso.onmicrosoft.com"
#define RECIPIENT "bob@outlook.com"
#define WELCOME_SUBJECT "Subject: Welcome to the Mailmend test server"

typedef struct
{
  MendTestIdp        *idp;
  MendTestMailServer *server;
  MendOAuthToken     *token;
} Fixture;

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  user_data)
{
  g_autofree char *introspection_url = NULL;
  g_autoptr(GError) error = NULL;

  if (!mend_test_mail_server_can_run ())
    return;

  fixture->idp = mend_test_idp_start (NULL);
  fixture->token = mend_test_idp_sign_in (fixture->idp, ADDRESS);

  introspection_url = g_strconcat (fixture->idp->base, "/introspect", NULL);
  fixture->server = mend_test_mail_server_start (introspection_url, &error);
  g_assert_no_error (error);
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  user_data)
{
  mend_test_forget (ADDRESS);
  g_clear_pointer (&fixture->server, mend_test_mail_server_stop);
  g_clear_pointer (&fixture->idp, mend_test_idp_stop);
  g_clear_object (&fixture->token);
}

/* Plans the repair of @address in @client as `mailmend repair` would, running the build's
 * `mailmend`, and writes it to the copied home. */
static void
repair (MendTestScan *scan,
        const char   *client,
        MendProtocol  protocol)
{
  const char *program[] = { g_getenv ("MAILMEND_CLI"), NULL };
  g_autoptr(MendScanner) scanner = mend_scanner_new ();
  g_autoptr(MendRepairContext) context = mend_repair_context_new (scan->context);
  g_autoptr(MendRepairer) repairer = NULL;
  g_autoptr(MendRepairPlan) plan = NULL;
  g_autoptr(GPtrArray) edits = NULL;
  g_autoptr(GError) error = NULL;
  MendAccount *account;

  g_assert_nonnull (program[0]);
  g_assert_true (g_path_is_absolute (program[0]));

  mend_test_scan_run (scan);
  account = mend_test_scan_find (scan, client, ADDRESS, protocol);

  mend_repair_context_add_signed_in_address (context, ADDRESS);
  mend_repair_context_set_token_program (context, program);
  repairer = mend_repairer_new (scanner, context);
  plan = mend_repairer_plan (repairer, mend_account_get_id (account), &error);
  g_assert_no_error (error);
  g_assert_true (mend_repair_plan_can_apply (plan));

  edits = mend_repair_plan_dup_edits (plan);
  g_assert_cmpuint (edits->len, ==, 1);
  for (guint i = 0; i < edits->len; i++)
    {
      MendFileEdit *edit = g_ptr_array_index (edits, i);
      GBytes *bytes = mend_file_edit_get_replacement (edit);
      g_autofree char *diff = mend_file_edit_dup_diff (edit);

      g_test_message ("%s", diff);
      g_file_set_contents_full (mend_file_edit_get_path (edit), g_bytes_get_data (bytes, NULL),
                                g_bytes_get_size (bytes), G_FILE_SET_CONTENTS_NONE, 0600,
                                &error);
      g_assert_no_error (error);
    }
}

/* Rewrites lines of @path in the block that starts with the line @block: each line starting
 * with a key of @replacements (key, new line, …) becomes the new lines. */
static void
point_at_rig (const char *path,
              const char *block,
              ...)
{
  g_autoptr(GString) result = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;
  gboolean in_block = FALSE;
  guint replaced = 0;
  guint expected = 0;
  va_list args;

  g_file_get_contents (path, &contents, NULL, &error);
  g_assert_no_error (error);
  lines = g_strsplit (contents, "\n", -1);

  for (guint i = 0; lines[i] != NULL; i++)
    {
      const char *key;
      const char *replacement = NULL;

      if (g_str_equal (lines[i], block))
        in_block = TRUE;
      else if (lines[i][0] == '\0')
        in_block = FALSE;

      va_start (args, block);
      expected = 0;
      while ((key = va_arg (args, const char *)) != NULL)
        {
          const char *new_lines = va_arg (args, const char *);

          expected++;
          if (in_block && g_str_has_prefix (lines[i], key) &&
              g_ascii_isspace (lines[i][strlen (key)]))
            replacement = new_lines;
        }
      va_end (args);

      if (i > 0)
        g_string_append_c (result, '\n');
      g_string_append (result, replacement != NULL ? replacement : lines[i]);
      replaced += replacement != NULL;
    }

  g_assert_cmpuint (replaced, ==, expected);
  g_file_set_contents_full (path, result->str, -1, G_FILE_SET_CONTENTS_NONE, 0600, &error);
  g_assert_no_error (error);
}

static GSubprocessLauncher *
launcher_for (MendTestScan *scan)
{
  GSubprocessLauncher *launcher;

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE |
                                        G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                        G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_subprocess_launcher_setenv (launcher, "HOME", scan->home, TRUE);
  g_subprocess_launcher_set_cwd (launcher, scan->home);

  return launcher;
}

static char *
wait_for_sink (MendTestMailServer *server)
{
  g_autofree char *path = g_build_filename (mend_test_mail_server_get_sink_dir (server), "1.eml",
                                            NULL);
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  g_autoptr(GError) error = NULL;
  char *contents = NULL;

  while (!g_file_test (path, G_FILE_TEST_EXISTS) && g_get_monotonic_time () < deadline)
    g_usleep (10000);

  g_file_get_contents (path, &contents, NULL, &error);
  g_assert_no_error (error);

  return contents;
}

/* msmtp-home's `work` account, repaired: auth xoauth2 with passwordeval running mailmend. */
static void
test_msmtp (Fixture       *fixture,
            gconstpointer  user_data)
{
  g_autoptr(MendTestScan) scan = NULL;
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *msmtp = g_find_program_in_path ("msmtp");
  g_autofree char *path = NULL;
  g_autofree char *host = NULL;
  g_autofree char *port = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *message = NULL;

  if (fixture->server == NULL)
    return;
  if (msmtp == NULL)
    {
      g_test_skip ("msmtp is not installed: run build-aux/setup-debian.sh");
      return;
    }

  scan = mend_test_scan_new ("msmtp-home");
  repair (scan, "msmtp", MEND_PROTOCOL_SMTP);

  path = mend_test_scan_path (scan, ".msmtprc");
  host = g_strdup ("host           localhost");
  port = g_strdup_printf ("port           %u\ntls_trust_file %s",
                          mend_test_mail_server_get_submission_port (fixture->server),
                          mend_test_mail_server_get_ca_file (fixture->server));
  point_at_rig (path, "account        work", "host", host, "port", port, NULL);

  launcher = launcher_for (scan);
  process = g_subprocess_launcher_spawn (launcher, &error, msmtp, "-C", path, "-a", "work",
                                         RECIPIENT, NULL);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, "Subject: Sent after the repair\r\n\r\nHello.\r\n",
                                 NULL, &out, &err, &error);
  g_assert_no_error (error);
  if (!g_subprocess_get_successful (process))
    g_error ("msmtp failed:\n%s%s", out, err);

  message = wait_for_sink (fixture->server);
  g_assert_nonnull (strstr (message, "Subject: Sent after the repair\r\n"));
  g_assert_nonnull (strstr (message, "From: " ADDRESS "\r\n"));

  /* The token went to the server, never to the log or the terminal. */
  g_assert_null (strstr (err, mend_oauth_token_get_access_token (fixture->token)));
}

static char *
read_inbox (const char *inbox)
{
  g_autoptr(GString) messages = g_string_new (NULL);

  for (guint i = 0; i < 2; i++)
    {
      g_autofree char *folder = g_build_filename (inbox, i == 0 ? "cur" : "new", NULL);
      g_autoptr(GDir) dir = g_dir_open (folder, 0, NULL);
      const char *name;

      while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *path = g_build_filename (folder, name, NULL);
          g_autofree char *contents = NULL;

          if (g_file_get_contents (path, &contents, NULL, NULL))
            g_string_append (messages, contents);
        }
    }

  return g_string_free (g_steal_pointer (&messages), FALSE);
}

/* mbsync-home's `work` account, repaired: AuthMechs XOAUTH2 (through Cyrus SASL's plugin) with
 * PassCmd running mailmend. */
static void
test_mbsync (Fixture       *fixture,
             gconstpointer  user_data)
{
  g_autoptr(MendTestScan) scan = NULL;
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *mbsync = g_find_program_in_path ("mbsync");
  g_autofree char *path = NULL;
  g_autofree char *host = NULL;
  g_autofree char *certificate = NULL;
  g_autofree char *store = NULL;
  g_autofree char *inbox = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *messages = NULL;

  if (fixture->server == NULL)
    return;
  if (mbsync == NULL)
    {
      g_test_skip ("mbsync is not installed: run build-aux/setup-debian.sh");
      return;
    }

  scan = mend_test_scan_new ("mbsync-home");
  repair (scan, "mbsync", MEND_PROTOCOL_IMAP);

  path = mend_test_scan_path (scan, ".mbsyncrc");
  host = g_strdup_printf ("Host localhost\nPort %u",
                          mend_test_mail_server_get_imaps_port (fixture->server));
  certificate = g_strdup_printf ("CertificateFile %s",
                                 mend_test_mail_server_get_ca_file (fixture->server));
  point_at_rig (path, "IMAPAccount work", "Host", host, "CertificateFile", certificate, NULL);

  /* mbsync creates the mailboxes, not the store's folder. */
  store = mend_test_scan_path (scan, "Mail/work");
  g_assert_cmpint (g_mkdir_with_parents (store, 0700), ==, 0);

  launcher = launcher_for (scan);
  process = g_subprocess_launcher_spawn (launcher, &error, mbsync, "-c", path, "work", NULL);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, NULL, NULL, &out, &err, &error);
  g_assert_no_error (error);
  if (!g_subprocess_get_successful (process))
    g_error ("mbsync failed (is libsasl2-modules-kdexoauth2 installed?):\n%s%s", out, err);

  inbox = mend_test_scan_path (scan, "Mail/work/Inbox");
  messages = read_inbox (inbox);
  g_assert_nonnull (strstr (messages, WELCOME_SUBJECT));
  g_assert_null (strstr (err, mend_oauth_token_get_access_token (fixture->token)));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_set_prgname ("test-repair-clients");

  g_test_add ("/repair/clients/msmtp", Fixture, NULL, fixture_setup, test_msmtp,
              fixture_teardown);
  g_test_add ("/repair/clients/mbsync", Fixture, NULL, fixture_setup, test_mbsync,
              fixture_teardown);

  return g_test_run ();
}
