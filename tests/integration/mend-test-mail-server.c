/* mend-test-mail-server.c: a private Dovecot (IMAP, POP3, submission) for the integration tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A thin wrapper around tests/harness/mail-server: `start` in a fresh temporary folder, its
 * KEY=VALUE lines parsed into the getters, `stop` and the folder removed. The script is told
 * this process's pid, so the servers stop by themselves if a test aborts before it stops them.
 */

#include "config.h"

#include <string.h>
#include <unistd.h>

#include "mend-test-mail-server.h"

struct _MendTestMailServer
{
  char    *dir;
  char    *ca_file;
  char    *sink_dir;
  char    *log_file;
  guint16  imap_port;
  guint16  imaps_port;
  guint16  pop3_port;
  guint16  pop3s_port;
  guint16  submission_port;
  guint16  submissions_port;
};

static const char *
script_path (void)
{
  return g_getenv ("MAILMEND_MAIL_SERVER");
}

static gboolean
have_program (const char *name)
{
  g_autofree char *in_path = g_find_program_in_path (name);
  g_autofree char *in_sbin = g_build_filename ("/usr/sbin", name, NULL);

  /* Without root, PATH often lacks /usr/sbin, where dovecot lives; the script adds it. */
  return in_path != NULL || g_file_test (in_sbin, G_FILE_TEST_IS_EXECUTABLE);
}

gboolean
mend_test_mail_server_can_run (void)
{
  static const char * const programs[] = { "dovecot", "openssl", "python3" };

  if (g_getenv ("MAILMEND_TEST_RIG") == NULL)
    {
      g_test_skip ("needs the test rig: run under tests/harness/session-run");
      return FALSE;
    }

  if (script_path () == NULL)
    {
      g_test_skip ("MAILMEND_MAIL_SERVER is not set: run the test with meson test");
      return FALSE;
    }

  for (guint i = 0; i < G_N_ELEMENTS (programs); i++)
    {
      if (!have_program (programs[i]))
        {
          g_test_skip_printf ("%s is not installed: run build-aux/setup-debian.sh", programs[i]);
          return FALSE;
        }
    }

  return TRUE;
}

/* Runs `mail-server ARGS…`; on failure the error carries what it said on stderr. */
static char *
run_script (GError             **error,
            const char * const  *args)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocess) process = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  g_ptr_array_add (argv, (gpointer) script_path ());
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);

  process = g_subprocess_newv ((const char * const *) argv->pdata,
                               G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE,
                               error);
  if (process == NULL)
    return NULL;
  if (!g_subprocess_communicate_utf8 (process, NULL, NULL, &out, &err, error))
    return NULL;

  if (!g_subprocess_get_successful (process))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "mail-server %s failed:\n%s",
                   args[0], err);
      return NULL;
    }

  return g_steal_pointer (&out);
}

static gboolean
parse_port (GHashTable  *facts,
            const char  *key,
            guint16     *port,
            GError     **error)
{
  const char *value = g_hash_table_lookup (facts, key);
  guint64 number = 0;

  if (value == NULL
      || !g_ascii_string_to_unsigned (value, 10, 1, G_MAXUINT16, &number, NULL))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   "mail-server gave no valid %s", key);
      return FALSE;
    }

  *port = number;
  return TRUE;
}

static gboolean
parse_facts (MendTestMailServer  *server,
             const char          *out,
             GError             **error)
{
  g_autoptr(GHashTable) facts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_auto(GStrv) lines = g_strsplit (out, "\n", -1);

  for (guint i = 0; lines[i] != NULL; i++)
    {
      const char *equals = strchr (lines[i], '=');

      if (equals != NULL)
        g_hash_table_insert (facts, g_strndup (lines[i], equals - lines[i]),
                             g_strdup (equals + 1));
    }

  server->ca_file = g_strdup (g_hash_table_lookup (facts, "CA"));
  server->sink_dir = g_strdup (g_hash_table_lookup (facts, "SINK_DIR"));
  server->log_file = g_strdup (g_hash_table_lookup (facts, "LOG_FILE"));
  if (server->ca_file == NULL || server->sink_dir == NULL || server->log_file == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   "mail-server did not say where its CA, sink or log are:\n%s", out);
      return FALSE;
    }

  return parse_port (facts, "IMAP_PORT", &server->imap_port, error)
         && parse_port (facts, "IMAPS_PORT", &server->imaps_port, error)
         && parse_port (facts, "POP3_PORT", &server->pop3_port, error)
         && parse_port (facts, "POP3S_PORT", &server->pop3s_port, error)
         && parse_port (facts, "SUBMISSION_PORT", &server->submission_port, error)
         && parse_port (facts, "SUBMISSIONS_PORT", &server->submissions_port, error);
}

static void
remove_tree (GFile *file)
{
  g_autoptr(GFileEnumerator) children = NULL;

  children = g_file_enumerate_children (file, G_FILE_ATTRIBUTE_STANDARD_NAME,
                                        G_FILE_QUERY_INFO_NOFOLLOW_SYMLINKS, NULL, NULL);
  while (children != NULL)
    {
      GFile *child = NULL;

      if (!g_file_enumerator_iterate (children, NULL, &child, NULL, NULL) || child == NULL)
        break;
      remove_tree (child);
    }

  g_file_delete (file, NULL, NULL);
}

static void
mail_server_free (MendTestMailServer *server)
{
  g_free (server->dir);
  g_free (server->ca_file);
  g_free (server->sink_dir);
  g_free (server->log_file);
  g_free (server);
}

/**
 * mend_test_mail_server_start:
 * @introspection_url: where Dovecot asks whether a token is live, e.g. the fake provider's
 *   `http://127.0.0.1:PORT/introspect`
 *
 * Starts Dovecot and the SMTP sink in a new temporary folder, and returns once every port
 * accepts connections (a few hundred milliseconds).
 *
 * Returns: (transfer full) (nullable): the running server, or %NULL with @error set
 */
MendTestMailServer *
mend_test_mail_server_start (const char  *introspection_url,
                             GError     **error)
{
  MendTestMailServer *server;
  g_autofree char *owner = g_strdup_printf ("%d", (int) getpid ());
  g_autofree char *out = NULL;
  g_autofree char *dir = NULL;

  g_return_val_if_fail (introspection_url != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (script_path () == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, "MAILMEND_MAIL_SERVER is not set");
      return NULL;
    }

  dir = g_dir_make_tmp ("mailmend-mail-XXXXXX", error);
  if (dir == NULL)
    return NULL;

  out = run_script (error, (const char * const[]) {
                              "start", "--owner", owner, dir, introspection_url, NULL
                            });
  server = g_new0 (MendTestMailServer, 1);
  server->dir = g_steal_pointer (&dir);
  if (out == NULL || !parse_facts (server, out, error))
    {
      g_autoptr(GFile) folder = g_file_new_for_path (server->dir);

      g_free (run_script (NULL, (const char * const[]) { "stop", server->dir, NULL }));
      remove_tree (folder);
      mail_server_free (server);
      return NULL;
    }

  return server;
}

/**
 * mend_test_mail_server_stop:
 *
 * Stops every process the server started, waits for them, puts Dovecot's log in the test's
 * output, and removes the folder. A failure to stop fails the test.
 */
void
mend_test_mail_server_stop (MendTestMailServer *server)
{
  g_autoptr(GFile) folder = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  g_autofree char *log = NULL;

  if (server == NULL)
    return;

  out = run_script (&error, (const char * const[]) { "stop", server->dir, NULL });
  if (out == NULL)
    g_test_fail_printf ("%s", error->message);

  /* Dovecot logs user names and verdicts, never tokens (no auth_debug_passwords). */
  if (g_file_get_contents (server->log_file, &log, NULL, NULL))
    g_test_message ("dovecot's log:\n%s", log);

  folder = g_file_new_for_path (server->dir);
  remove_tree (folder);
  mail_server_free (server);
}

const char *
mend_test_mail_server_get_dir (MendTestMailServer *server)
{
  g_return_val_if_fail (server != NULL, NULL);

  return server->dir;
}

const char *
mend_test_mail_server_get_ca_file (MendTestMailServer *server)
{
  g_return_val_if_fail (server != NULL, NULL);

  return server->ca_file;
}

guint16
mend_test_mail_server_get_imap_port (MendTestMailServer *server)
{
  g_return_val_if_fail (server != NULL, 0);

  return server->imap_port;
}

guint16
mend_test_mail_server_get_imaps_port (MendTestMailServer *server)
{
  g_return_val_if_fail (server != NULL, 0);

  return server->imaps_port;
}

guint16
mend_test_mail_server_get_pop3_port (MendTestMailServer *server)
{
  g_return_val_if_fail (server != NULL, 0);

  return server->pop3_port;
}

guint16
mend_test_mail_server_get_pop3s_port (MendTestMailServer *server)
{
  g_return_val_if_fail (server != NULL, 0);

  return server->pop3s_port;
}

guint16
mend_test_mail_server_get_submission_port (MendTestMailServer *server)
{
  g_return_val_if_fail (server != NULL, 0);

  return server->submission_port;
}

guint16
mend_test_mail_server_get_submissions_port (MendTestMailServer *server)
{
  g_return_val_if_fail (server != NULL, 0);

  return server->submissions_port;
}

const char *
mend_test_mail_server_get_sink_dir (MendTestMailServer *server)
{
  g_return_val_if_fail (server != NULL, NULL);

  return server->sink_dir;
}

const char *
mend_test_mail_server_get_log_file (MendTestMailServer *server)
{
  g_return_val_if_fail (server != NULL, NULL);

  return server->log_file;
}
