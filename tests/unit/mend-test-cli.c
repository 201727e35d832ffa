/* mend-test-cli.c: the `mailmend` binary run by the tests, and its output read
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Runs the binary named by MAILMEND_CLI with its output captured, either at once or in the
 * background with stderr read line by line. Then reads what it printed: JSON, findings, and
 * no planted secret.
 */

#include "config.h"

#include <signal.h>
#include <string.h>
#include <sys/prctl.h>

#include "mend-test-cli.h"

/* How long a piece of a secret must be to count as a leak: shorter ones (“eyJ0”, “M.C5”)
 * could turn up in any text. */
#define PIECE_LENGTH 12

/**
 * mend_test_die_with_parent:
 *
 * A #GSpawnChildSetupFunc: the child gets SIGTERM when the test ends, so that no CLI, server
 * or fake outlives a test that aborts.
 */
void
mend_test_die_with_parent (gpointer data)
{
  prctl (PR_SET_PDEATHSIG, SIGTERM);
}

/* "NAME=value" sets, "NAME" unsets, in order: a later entry wins. */
static GSubprocessLauncher *
cli_launcher (const char * const *env,
              GSubprocessFlags    flags)
{
  GSubprocessLauncher *launcher = g_subprocess_launcher_new (flags);

  /* English messages whatever the machine's locale, and debug output only when the test asks
   * for it (G_MESSAGES_DEBUG=all in @env): what the tests compare stays the same. */
  g_subprocess_launcher_setenv (launcher, "LC_ALL", "C.UTF-8", TRUE);
  g_subprocess_launcher_unsetenv (launcher, "LANGUAGE");
  g_subprocess_launcher_unsetenv (launcher, "G_MESSAGES_DEBUG");
  g_subprocess_launcher_set_child_setup (launcher, mend_test_die_with_parent, NULL, NULL);
  for (guint i = 0; env != NULL && env[i] != NULL; i++)
    {
      const char *equals = strchr (env[i], '=');

      if (equals != NULL)
        {
          g_autofree char *name = g_strndup (env[i], equals - env[i]);

          g_subprocess_launcher_setenv (launcher, name, equals + 1, TRUE);
        }
      else
        {
          g_subprocess_launcher_unsetenv (launcher, env[i]);
        }
    }

  return launcher;
}

static GPtrArray *
cli_argv (const char * const *args)
{
  GPtrArray *argv = g_ptr_array_new ();

  g_assert_nonnull (g_getenv ("MAILMEND_CLI"));
  g_ptr_array_add (argv, (gpointer) g_getenv ("MAILMEND_CLI"));
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);

  return argv;
}

static void
on_communicated (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

/**
 * mend_test_run_cli:
 * @env: (nullable): changes to the environment: "NAME=value" sets, "NAME" unsets
 * @input: (nullable): what to write on stdin, which is closed after it
 * @args: the arguments after `mailmend`, %NULL-terminated
 *
 * Runs `mailmend` to its end. The test's main context keeps running meanwhile, so that a
 * server of the test (a SoupServer for the status feed) can answer the CLI.
 *
 * Returns: (transfer full): the exit status, the output and the time taken
 */
MendTestRun *
mend_test_run_cli (const char * const *env,
                   const char         *input,
                   const char * const *args)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GPtrArray) argv = cli_argv (args);
  g_autoptr(GMainContext) context = g_main_context_ref_thread_default ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  MendTestRun *run = g_new0 (MendTestRun, 1);
  const char *command = args[0] != NULL ? args[0] : "";
  gint64 start;

  launcher = cli_launcher (env, G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                G_SUBPROCESS_FLAGS_STDERR_PIPE);
  start = g_get_monotonic_time ();
  process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8_async (process, input ? input : "", NULL, on_communicated,
                                       &result);
  while (result == NULL)
    g_main_context_iteration (context, TRUE);
  g_subprocess_communicate_utf8_finish (process, result, &run->out, &run->err, &error);
  g_assert_no_error (error);
  run->elapsed_us = g_get_monotonic_time () - start;
  g_assert_true (g_subprocess_get_if_exited (process));
  run->exit_status = g_subprocess_get_exit_status (process);

  /* Not what `token` prints: the test tokens stay out of the test logs too. */
  g_test_message ("mailmend %s: exit %d after %.0f ms\n--- stdout:\n%s--- stderr:\n%s",
                  command, run->exit_status, run->elapsed_us / 1000.0,
                  g_str_equal (command, "token") ? "(not shown)\n" : run->out, run->err);

  return run;
}

/**
 * mend_test_run_cli_valist:
 * @first_arg: (nullable): the first argument after `mailmend`
 * @args: the others, up to a %NULL
 *
 * mend_test_run_cli() for a test's own function that takes the arguments as `...`.
 */
MendTestRun *
mend_test_run_cli_valist (const char * const *env,
                          const char         *input,
                          const char         *first_arg,
                          va_list             args)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();

  for (const char *arg = first_arg; arg != NULL; arg = va_arg (args, const char *))
    g_ptr_array_add (argv, (gpointer) arg);
  g_ptr_array_add (argv, NULL);

  return mend_test_run_cli (env, input, (const char * const *) argv->pdata);
}

void
mend_test_run_free (MendTestRun *run)
{
  if (run == NULL)
    return;

  g_free (run->out);
  g_free (run->err);
  g_free (run);
}

/**
 * mend_test_cli_spawn:
 * @env: (nullable): changes to the environment, as for mend_test_run_cli()
 * @args: the arguments after `mailmend`, %NULL-terminated
 *
 * Starts `mailmend` in the background: read its stderr with mend_test_cli_wait_for_line(),
 * answer on its stdin with mend_test_cli_write(), and end with mend_test_cli_finish().
 */
MendTestCli *
mend_test_cli_spawn (const char * const *env,
                     const char * const *args)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GPtrArray) argv = cli_argv (args);
  g_autoptr(GError) error = NULL;
  MendTestCli *cli = g_new0 (MendTestCli, 1);

  launcher = cli_launcher (env, G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                G_SUBPROCESS_FLAGS_STDERR_PIPE);
  cli->process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);
  cli->err = g_data_input_stream_new (g_subprocess_get_stderr_pipe (cli->process));
  g_filter_input_stream_set_close_base_stream (G_FILTER_INPUT_STREAM (cli->err), FALSE);
  cli->err_text = g_string_new (NULL);

  return cli;
}

/**
 * mend_test_cli_wait_for_line:
 * @pattern: what the line contains
 *
 * Reads stderr until a line contains @pattern (blocks; the test's timeout stops a hang).
 *
 * Returns: (transfer full): the line
 */
char *
mend_test_cli_wait_for_line (MendTestCli *cli,
                             const char  *pattern)
{
  for (;;)
    {
      g_autoptr(GError) error = NULL;
      char *line = g_data_input_stream_read_line_utf8 (cli->err, NULL, NULL, &error);

      g_assert_no_error (error);
      if (line == NULL)
        g_error ("mailmend ended before printing “%s”; its stderr:\n%s", pattern,
                 cli->err_text->str);

      g_string_append_printf (cli->err_text, "%s\n", line);
      if (strstr (line, pattern) != NULL)
        return line;
      g_free (line);
    }
}

void
mend_test_cli_write (MendTestCli *cli,
                     const char  *text)
{
  g_autoptr(GError) error = NULL;
  GOutputStream *in = g_subprocess_get_stdin_pipe (cli->process);

  g_output_stream_write_all (in, text, strlen (text), NULL, NULL, &error);
  g_assert_no_error (error);
  g_output_stream_flush (in, NULL, &error);
  g_assert_no_error (error);
}

static char *
read_all (GInputStream *stream)
{
  g_autoptr(GOutputStream) memory = g_memory_output_stream_new_resizable ();
  g_autoptr(GError) error = NULL;
  char zero = '\0';

  g_output_stream_splice (memory, stream, G_OUTPUT_STREAM_SPLICE_CLOSE_SOURCE, NULL, &error);
  g_assert_no_error (error);
  g_output_stream_write_all (memory, &zero, 1, NULL, NULL, &error);
  g_assert_no_error (error);
  g_output_stream_close (memory, NULL, &error);
  g_assert_no_error (error);

  return g_memory_output_stream_steal_data (G_MEMORY_OUTPUT_STREAM (memory));
}

/**
 * mend_test_cli_finish:
 *
 * Closes stdin, reads the rest of the output and waits for the end. Frees @cli.
 *
 * Returns: (transfer full): what the whole run printed
 */
MendTestRun *
mend_test_cli_finish (MendTestCli *cli)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *rest = NULL;
  MendTestRun *run = g_new0 (MendTestRun, 1);

  g_output_stream_close (g_subprocess_get_stdin_pipe (cli->process), NULL, NULL);
  rest = read_all (G_INPUT_STREAM (cli->err));
  g_string_append (cli->err_text, rest);
  run->out = read_all (g_subprocess_get_stdout_pipe (cli->process));

  g_subprocess_wait (cli->process, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (cli->process));
  run->exit_status = g_subprocess_get_exit_status (cli->process);
  run->err = g_string_free (cli->err_text, FALSE);

  g_test_message ("mailmend (background): exit %d\n--- stdout:\n%s--- stderr:\n%s",
                  run->exit_status, run->out, run->err);

  g_clear_object (&cli->err);
  g_clear_object (&cli->process);
  g_free (cli);

  return run;
}

/* Fails, naming @what and the secret's length only, when @secret is in the output. */
void
mend_test_assert_absent (MendTestRun *run,
                         const char  *what,
                         const char  *secret)
{
  g_assert_nonnull (secret);
  g_assert_cmpuint (strlen (secret), >=, 16);

  if (strstr (run->out, secret) != NULL)
    g_error ("The %s (%zu characters) is on stdout", what, strlen (secret));
  if (strstr (run->err, secret) != NULL)
    g_error ("The %s (%zu characters) is on stderr", what, strlen (secret));
}

/**
 * mend_test_assert_no_piece_in_text:
 * @secrets: planted secrets (fakes, safe to show), %NULL-terminated
 *
 * Fails when @text holds any 12 characters in a row of one of @secrets: a secret cut short,
 * or wrapped over two lines, is a leak all the same.
 */
void
mend_test_assert_no_piece_in_text (const char         *text,
                                   const char * const *secrets)
{
  g_assert_nonnull (text);

  for (guint i = 0; secrets[i] != NULL; i++)
    {
      for (gsize j = 0; j + PIECE_LENGTH <= strlen (secrets[i]); j++)
        {
          g_autofree char *piece = g_strndup (secrets[i] + j, PIECE_LENGTH);

          if (strstr (text, piece) != NULL)
            g_error ("A piece of a planted secret (%s) was printed:\n%s", piece, text);
        }
    }
}

/* mend_test_assert_no_piece_in_text() on stdout and stderr. */
void
mend_test_assert_no_piece (MendTestRun        *run,
                           const char * const *secrets)
{
  mend_test_assert_no_piece_in_text (run->out, secrets);
  mend_test_assert_no_piece_in_text (run->err, secrets);
}

/**
 * mend_test_parse_json_object:
 * @text: what a `--json` or `--format json` run printed
 *
 * Fails unless @text is one JSON object.
 *
 * Returns: (transfer full): the object
 */
JsonObject *
mend_test_parse_json_object (const char *text)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonNode *root;

  json_parser_load_from_data (parser, text, -1, &error);
  g_assert_no_error (error);
  root = json_parser_get_root (parser);
  g_assert_nonnull (root);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (root));

  return json_object_ref (json_node_get_object (root));
}

/**
 * mend_test_json_has_finding:
 * @object: an object of the JSON output with a "findings" array: the whole output, an
 *   account, the service status
 *
 * Returns: whether one of the findings has the id @id
 */
gboolean
mend_test_json_has_finding (JsonObject *object,
                            const char *id)
{
  JsonArray *findings = json_object_get_array_member (object, "findings");

  g_assert_nonnull (findings);
  for (guint i = 0; i < json_array_get_length (findings); i++)
    {
      JsonObject *finding = json_array_get_object_element (findings, i);

      if (g_strcmp0 (json_object_get_string_member (finding, "id"), id) == 0)
        return TRUE;
    }

  return FALSE;
}

/* A loopback port that was free a moment ago, and is closed now: where a connection is
 * refused at once, without ever leaving the machine. */
guint16
mend_test_closed_port (void)
{
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) any = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(GError) error = NULL;

  socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, &error);
  g_assert_no_error (error);
  g_socket_bind (socket, any, TRUE, &error);
  g_assert_no_error (error);
  bound = g_socket_get_local_address (socket, &error);
  g_assert_no_error (error);
  g_socket_close (socket, NULL);

  return g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
}

/* The fake secrets planted in the logs of tests/fixtures/logs (its README lists them). */
#define PLANTED_ADDRESS  "alice.martin@outlook.com"
#define PLANTED_ACCESS   "EwBwA8l6BAAUbDba3x2OMJElkF7gJ4zVbCPEz0AAQhmWHZ5cFpLQk1mN3RzS0hKWnNXa2hiTjlqaFZP"
#define PLANTED_JWT      "eyJ0eXAiOiJKV1QiLCJub25jZSI6IkZha2VOb25jZSIsImFsZyI6IlJTMjU2In0.eyJhdWQiOiJodHRwczovL291dGxvb2sub2ZmaWNlLmNvbSIsInNjcCI6IklNQVAifQ.Qm9ndXNTaWduYXR1cmVfOXgyUW1aN3ZSNHRMMHBXOGtOM2JINmNKMWRTNWFF"
#define PLANTED_REFRESH  "M.C507_BAY.0.U.-Cj3f!Akz9Qw*Lm2Rt$Yp4Vn8Bx6Ds1Ge5Hk7Jq0Wu3Zo"
#define PLANTED_PASSWORD "Hunter2-Correct-Horse"
#define PLANTED_SECRET   "Xq8Q~fAkeS3cretV4lue.Zz9_-aBcD"
#define PLANTED_CODE     "M.C507_BAY.2.U.7f3e9a1c-auth-code-0d4b"

/**
 * mend_test_planted_log_secrets:
 *
 * Returns: (transfer full): the secrets planted in tests/fixtures/logs, and the SASL and
 *   base64 forms they take in the logs, for mend_test_assert_no_piece_in_text()
 */
GStrv
mend_test_planted_log_secrets (void)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  const char *plain_secrets[] = { PLANTED_ACCESS, PLANTED_JWT, PLANTED_REFRESH, PLANTED_PASSWORD,
                                  PLANTED_SECRET, PLANTED_CODE, NULL };
  const char sasl[] = "user=" PLANTED_ADDRESS "\001auth=Bearer " PLANTED_ACCESS "\001\001";
  const char sasl_jwt[] = "user=" PLANTED_ADDRESS "\001auth=Bearer " PLANTED_JWT "\001\001";
  const char plain[] = "\0" PLANTED_ADDRESS "\0" PLANTED_PASSWORD;
  const struct { const char *data; gsize length; } encoded[] = {
    { sasl, sizeof sasl - 1 },
    { sasl_jwt, sizeof sasl_jwt - 1 },
    { plain, sizeof plain - 1 },
    { PLANTED_PASSWORD, sizeof PLANTED_PASSWORD - 1 },
    { PLANTED_ADDRESS, sizeof PLANTED_ADDRESS - 1 },
  };

  g_strv_builder_addv (builder, plain_secrets);
  for (guint i = 0; i < G_N_ELEMENTS (encoded); i++)
    {
      g_autofree char *base64 = g_base64_encode ((const guchar *) encoded[i].data,
                                                 encoded[i].length);

      g_strv_builder_add (builder, base64);
    }

  return g_strv_builder_end (builder);
}
