/* test-log-analyzer.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * MendLogAnalyzer on real-format logs of each client (tests/fixtures/logs/):
 * the findings each one must give, the format it is recognised as, the line
 * numbers, and that none of the tokens and passwords planted in them comes
 * out. Then what a log can be besides a log: empty, binary, invalid UTF-8,
 * fed a byte at a time, 50 MB long (in bounded memory), one line of 50 MB,
 * read from a stream, cancelled.
 */

#include "config.h"

#include <string.h>

#include "mend-log-analyzer.h"
#include "mend-test-cli.h"

/* What the fixtures plant (tests/fixtures/logs/README.md). */

typedef struct
{
  const char *file;
  const char *format;
  /* Every finding, in order; NULL-terminated. */
  const char *ids[5];
} Expectation;

static const Expectation expectations[] = {
  { "thunderbird-xoauth2-rejected.log", "thunderbird", { "token-rejected", NULL } },
  { "thunderbird-password-rejected.log", "thunderbird", { "basic-auth-rejected", NULL } },
  { "thunderbird-too-many-connections.log", "thunderbird", { "too-many-connections", NULL } },
  { "thunderbird-smtp-auth-disabled.log", "thunderbird", { "smtp-auth-disabled", NULL } },
  { "thunderbird-clean.log", "thunderbird", { "log-no-known-problem", NULL } },
  { "evolution-imapx.log", "evolution", { "token-rejected", "basic-auth-rejected", NULL } },
  { "evolution-smtp-auth-disabled.log", "evolution", { "smtp-auth-disabled", NULL } },
  { "msmtp-xoauth2-rejected.log", "msmtp", { "token-rejected", NULL } },
  { "msmtp-basic-auth-rejected.log", "msmtp", { "basic-auth-rejected", NULL } },
  { "msmtp-tls-failure.log", "msmtp", { "tls-failure", NULL } },
  { "mbsync-not-connected.log", "mbsync", { "mailbox-not-connected", NULL } },
  { "mbsync-xoauth2-rejected.log", "mbsync", { "token-rejected", NULL } },
  { "neomutt-login-failed.log", "neomutt", { "basic-auth-rejected", "token-rejected", NULL } },
  { "mailbird-client-secret.log", "mailbird", { "client-secret-invalid", "token-rejected", NULL } },
  { "mailbird-aadsts.log", "mailbird",
    { "token-expired", "mfa-required", "conditional-access", NULL } },
  { "kmail-auth-failed.log", "kmail", { "auth-failed", NULL } },
  { "secrets-everywhere.log", "unknown",
    { "basic-auth-rejected", "token-expired", "token-rejected", "consent-declined", NULL } },
};

static char *
fixture_path (const char *name)
{
  return g_test_build_filename (G_TEST_DIST, "fixtures", "logs", name, NULL);
}

/* Not the secret, nor any 12 characters of it. */
static void
assert_no_secret (const char *text)
{
  g_auto(GStrv) secrets = mend_test_planted_log_secrets ();

  if (text != NULL)
    mend_test_assert_no_piece_in_text (text, (const char * const *) secrets);
}

static MendLogAnalyzer *
analyze_file (const char *name)
{
  g_autofree char *path = fixture_path (name);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFileInputStream) stream = NULL;
  g_autoptr(MendLogAnalyzer) analyzer = mend_log_analyzer_new ();
  g_autoptr(GError) error = NULL;

  stream = g_file_read (file, NULL, &error);
  g_assert_no_error (error);
  mend_log_analyzer_analyze_stream (analyzer, G_INPUT_STREAM (stream), NULL, &error);
  g_assert_no_error (error);

  return g_steal_pointer (&analyzer);
}

static MendLogAnalyzer *
analyze_data (const char *data,
              gsize       length)
{
  MendLogAnalyzer *analyzer = mend_log_analyzer_new ();

  mend_log_analyzer_feed (analyzer, data, length);
  mend_log_analyzer_finish (analyzer);

  return analyzer;
}

static char *
finding_ids (MendLogAnalyzer *analyzer)
{
  GPtrArray *findings = mend_log_analyzer_get_findings (analyzer);
  g_autoptr(GString) ids = g_string_new (NULL);

  for (guint i = 0; i < findings->len; i++)
    g_string_append_printf (ids, "%s%s", i > 0 ? " " : "",
                            mend_finding_get_id (g_ptr_array_index (findings, i)));

  return g_string_free (g_steal_pointer (&ids), FALSE);
}

static MendFinding *
find (MendLogAnalyzer *analyzer,
      const char      *id)
{
  GPtrArray *findings = mend_log_analyzer_get_findings (analyzer);

  for (guint i = 0; i < findings->len; i++)
    {
      if (g_str_equal (mend_finding_get_id (g_ptr_array_index (findings, i)), id))
        return g_ptr_array_index (findings, i);
    }

  g_error ("No finding %s", id);
}

static void
assert_findings_clean (MendLogAnalyzer *analyzer)
{
  GPtrArray *findings = mend_log_analyzer_get_findings (analyzer);

  for (guint i = 0; i < findings->len; i++)
    {
      MendFinding *finding = g_ptr_array_index (findings, i);
      const char *texts[] = {
        mend_finding_get_title (finding), mend_finding_get_explanation (finding),
        mend_finding_get_remedy (finding), mend_finding_get_details (finding),
        mend_finding_get_link (finding),
      };

      for (guint j = 0; j < G_N_ELEMENTS (texts); j++)
        {
          assert_no_secret (texts[j]);
          g_assert_true (texts[j] == NULL || g_utf8_validate (texts[j], -1, NULL));
        }
    }
}

static void
test_fixture (gconstpointer data)
{
  const Expectation *expectation = data;
  g_autoptr(MendLogAnalyzer) analyzer = analyze_file (expectation->file);
  g_autofree char *expected = g_strjoinv (" ", (char **) expectation->ids);
  g_autofree char *ids = finding_ids (analyzer);
  GPtrArray *findings = mend_log_analyzer_get_findings (analyzer);

  g_assert_cmpstr (ids, ==, expected);
  g_assert_cmpstr (mend_log_format_to_string (mend_log_analyzer_get_format (analyzer)), ==,
                   expectation->format);
  assert_findings_clean (analyzer);

  for (guint i = 0; i < findings->len; i++)
    {
      MendFinding *finding = g_ptr_array_index (findings, i);
      guint64 line = mend_log_analyzer_get_finding_line (analyzer, finding);

      if (g_str_has_prefix (mend_finding_get_id (finding), "log-"))
        {
          g_assert_cmpuint (line, ==, 0);
          continue;
        }

      /* Which line, and what it said, for support staff. */
      g_assert_cmpuint (line, >=, 1);
      g_assert_cmpuint (line, <=, mend_log_analyzer_get_n_lines (analyzer));
      g_assert_cmpuint (mend_log_analyzer_get_finding_count (analyzer, finding), >=, 1);
      g_assert_nonnull (strstr (mend_finding_get_details (finding), "\nline "));
    }
}

static void
test_details (void)
{
  g_autoptr(MendLogAnalyzer) analyzer = analyze_file ("thunderbird-xoauth2-rejected.log");
  MendFinding *finding = find (analyzer, "token-rejected");

  g_assert_cmpuint (mend_log_analyzer_get_finding_line (analyzer, finding), ==, 10);
  g_assert_cmpuint (mend_log_analyzer_get_finding_count (analyzer, finding), ==, 2);
  g_assert_cmpstr (mend_finding_get_details (finding), ==,
                   "log: Thunderbird (MOZ_LOG)\n"
                   "lines: 10, 22\n"
                   "line 10: 2024-09-17 08:12:02.131877 UTC - [Parent 4123: IMAP]: I/IMAP "
                   "0x7f3a1c0b2000:outlook.office365.com:NA:CreateNewLineFromSocket: 2 NO "
                   "AUTHENTICATE failed.");
  g_assert_true (mend_log_analyzer_found_problem (analyzer));
  g_assert_cmpuint (mend_log_analyzer_get_n_lines (analyzer), ==, 22);
}

/* The offending line is shown, with its secrets masked. */
static void
test_masked_excerpts (void)
{
  g_autoptr(MendLogAnalyzer) mbsync = analyze_file ("mbsync-xoauth2-rejected.log");
  g_autoptr(MendLogAnalyzer) secrets = analyze_file ("secrets-everywhere.log");
  g_autoptr(MendLogAnalyzer) mailbird = analyze_file ("mailbird-aadsts.log");
  const char *details;

  details = mend_finding_get_details (find (mbsync, "token-rejected"));
  g_assert_nonnull (strstr (details, "line 15: 2 NO AUTHENTICATE failed."));

  details = mend_finding_get_details (find (secrets, "token-expired"));
  g_assert_nonnull (strstr (details, "\"refresh_token\":\"[redacted]\""));
  g_assert_nonnull (strstr (details, "code: AADSTS70008"));

  details = mend_finding_get_details (find (mailbird, "token-expired"));
  g_assert_nonnull (strstr (details, "code: AADSTS700082"));
  g_assert_nonnull (strstr (details, "trace id: 0c1d2e3f-4a5b-6c7d-8e9f-0a1b2c3d4e5f"));
  g_assert_nonnull (strstr (details, "(refresh_token=[redacted])"));

  details = mend_finding_get_details (find (mailbird, "conditional-access"));
  g_assert_nonnull (strstr (details, "Authorization: [redacted]"));
}

/* Fed a byte at a time, a log says the same as fed whole. */
static void
test_byte_at_a_time (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (expectations); i++)
    {
      g_autofree char *path = fixture_path (expectations[i].file);
      g_autofree char *contents = NULL;
      g_autoptr(MendLogAnalyzer) whole = analyze_file (expectations[i].file);
      g_autoptr(MendLogAnalyzer) bytes = mend_log_analyzer_new ();
      g_autofree char *whole_ids = NULL;
      g_autofree char *bytes_ids = NULL;
      gsize length;

      g_assert_true (g_file_get_contents (path, &contents, &length, NULL));
      for (gsize j = 0; j < length; j++)
        mend_log_analyzer_feed (bytes, contents + j, 1);
      mend_log_analyzer_finish (bytes);

      whole_ids = finding_ids (whole);
      bytes_ids = finding_ids (bytes);
      g_assert_cmpstr (bytes_ids, ==, whole_ids);
      g_assert_cmpuint (mend_log_analyzer_get_n_lines (bytes), ==,
                        mend_log_analyzer_get_n_lines (whole));
    }
}

static void
test_empty (void)
{
  g_autoptr(MendLogAnalyzer) empty = analyze_data ("", 0);
  g_autoptr(MendLogAnalyzer) blank = analyze_data ("\n\r\n   \n\t\n", 9);
  g_autofree char *empty_ids = finding_ids (empty);
  g_autofree char *blank_ids = finding_ids (blank);

  g_assert_cmpstr (empty_ids, ==, "log-empty");
  g_assert_cmpstr (blank_ids, ==, "log-empty");
  g_assert_false (mend_log_analyzer_found_problem (empty));
  g_assert_cmpint (mend_log_analyzer_get_format (empty), ==, MEND_LOG_FORMAT_UNKNOWN);
}

static void
test_no_known_problem (void)
{
  const char log[] = "some app started\nnothing to see here\nbye";
  g_autoptr(MendLogAnalyzer) analyzer = analyze_data (log, sizeof log - 1);
  g_autofree char *ids = finding_ids (analyzer);
  MendFinding *finding = find (analyzer, "log-no-known-problem");

  g_assert_cmpstr (ids, ==, "log-no-known-problem");
  g_assert_cmpint (mend_finding_get_severity (finding), ==, MEND_SEVERITY_INFO);
  /* The last line, without a line break, counts too. */
  g_assert_cmpuint (mend_log_analyzer_get_n_lines (analyzer), ==, 3);
  g_assert_nonnull (strstr (mend_finding_get_explanation (finding), "3 lines"));
  g_assert_false (mend_log_analyzer_found_problem (analyzer));
}

static void
test_binary (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (42);
  g_autofree guint8 *data = g_malloc (256 * 1024);
  g_autoptr(MendLogAnalyzer) analyzer = NULL;
  g_autofree char *ids = NULL;

  for (gsize i = 0; i < 256 * 1024; i++)
    data[i] = g_rand_int_range (rand, 0, 256);

  analyzer = analyze_data ((const char *) data, 256 * 1024);
  ids = finding_ids (analyzer);
  g_assert_cmpstr (ids, ==, "log-not-text");
  g_assert_false (mend_log_analyzer_found_problem (analyzer));
}

/* Invalid UTF-8 and NULs around a signature: found, and shown as valid UTF-8. */
static void
test_invalid_utf8 (void)
{
  const char log[] = "\xff\xfe\xfd garbage\n"
                     "C: A1 AUTHENTICATE XOAUTH2 \xc3\x28\n"
                     "S: A1 NO AUTHENTICATE failed.\0\0 \xe2\x82 \x80\x80\n";
  g_autoptr(MendLogAnalyzer) analyzer = analyze_data (log, sizeof log - 1);
  g_autofree char *ids = finding_ids (analyzer);
  const char *details;

  g_assert_cmpstr (ids, ==, "token-rejected");
  details = mend_finding_get_details (find (analyzer, "token-rejected"));
  g_assert_true (g_utf8_validate (details, -1, NULL));
  g_assert_nonnull (strstr (details, "line 3: S: A1 NO AUTHENTICATE failed."));
}

/* The kinds of log the signatures must not be fooled by. */
static void
test_capabilities_are_not_sign_ins (void)
{
  const char log[] = "S: * CAPABILITY IMAP4 IMAP4rev1 AUTH=PLAIN AUTH=XOAUTH2 SASL-IR\n"
                     "<-- 250-AUTH LOGIN XOAUTH2\n"
                     "<-- 250 AUTH PLAIN LOGIN\n"
                     "C: A1 AUTHENTICATE XOAUTH2 dXNlcj1hbGljZQ==\n"
                     "S: A1 NO AUTHENTICATE failed.\n";
  g_autoptr(MendLogAnalyzer) analyzer = analyze_data (log, sizeof log - 1);
  g_autofree char *ids = finding_ids (analyzer);

  g_assert_cmpstr (ids, ==, "token-rejected");
}

static gsize
peak_memory_kib (void)
{
  g_autofree char *status = NULL;
  const char *peak;

  g_assert_true (g_file_get_contents ("/proc/self/status", &status, NULL, NULL));
  peak = strstr (status, "VmHWM:");
  g_assert_nonnull (peak);

  return g_ascii_strtoull (peak + strlen ("VmHWM:"), NULL, 10);
}

/* 50 MB of a busy Thunderbird log, streamed: memory stays flat, every line is counted, the
 * failures in the middle and at the end are found. */
static void
test_huge_log (void)
{
  g_autoptr(MendLogAnalyzer) analyzer = mend_log_analyzer_new ();
  g_autoptr(GString) chunk = g_string_new (NULL);
  const char *line = "2024-09-17 08:12:10.531200 UTC - [Parent 4123: IMAP]: I/IMAP "
                     "0x7f2200a4e800:outlook.office365.com:S-INBOX:CreateNewLineFromSocket: "
                     "* 1042 FETCH (UID 88231 RFC822.SIZE 48211 FLAGS (\\Seen))\n";
  const char *failure = "2024-09-17 08:13:00.000001 UTC - [Parent 4123: IMAP]: I/IMAP "
                        "0x7f2200a4e800:outlook.office365.com:S-INBOX:CreateNewLineFromSocket: "
                        "* BYE User is authenticated but not connected.\n";
  guint64 lines_per_chunk = 0;
  guint64 expected_lines = 0;
  MendFinding *finding;
  gsize before;
  guint n_chunks;

  while (chunk->len < 64 * 1024)
    {
      g_string_append (chunk, line);
      lines_per_chunk++;
    }
  n_chunks = (50 * 1024 * 1024) / chunk->len;

  before = peak_memory_kib ();
  for (guint i = 0; i < n_chunks; i++)
    {
      mend_log_analyzer_feed (analyzer, chunk->str, chunk->len);
      expected_lines += lines_per_chunk;
      if (i == n_chunks / 2)
        {
          mend_log_analyzer_feed (analyzer, failure, strlen (failure));
          expected_lines++;
        }
    }
  mend_log_analyzer_feed (analyzer, failure, strlen (failure) - 1);
  expected_lines++;
  mend_log_analyzer_finish (analyzer);

  g_assert_cmpuint (mend_log_analyzer_get_n_lines (analyzer), ==, expected_lines);
  finding = find (analyzer, "mailbox-not-connected");
  g_assert_cmpuint (mend_log_analyzer_get_finding_count (analyzer, finding), ==, 2);
  g_assert_cmpuint (mend_log_analyzer_get_finding_line (analyzer, finding), ==,
                    (n_chunks / 2 + 1) * lines_per_chunk + 1);
  g_assert_cmpint (mend_log_analyzer_get_format (analyzer), ==, MEND_LOG_FORMAT_THUNDERBIRD);
  g_assert_cmpuint (peak_memory_kib () - before, <, 8 * 1024);
}

/* A 50 MB file without a line break: one line, cut, in bounded memory. */
static void
test_huge_line (void)
{
  g_autoptr(MendLogAnalyzer) analyzer = mend_log_analyzer_new ();
  g_autofree char *chunk = g_malloc (1024 * 1024);
  const char *start = "S: A1 NO AUTHENTICATE failed. ";
  g_autofree char *ids = NULL;
  gsize before;

  memset (chunk, 'a', 1024 * 1024);
  before = peak_memory_kib ();
  mend_log_analyzer_feed (analyzer, start, strlen (start));
  for (guint i = 0; i < 50; i++)
    mend_log_analyzer_feed (analyzer, chunk, 1024 * 1024);
  mend_log_analyzer_finish (analyzer);

  ids = finding_ids (analyzer);
  g_assert_cmpstr (ids, ==, "auth-failed");
  g_assert_cmpuint (mend_log_analyzer_get_n_lines (analyzer), ==, 1);
  g_assert_cmpuint (strlen (mend_finding_get_details (find (analyzer, "auth-failed"))), <, 1024);
  g_assert_cmpuint (peak_memory_kib () - before, <, 8 * 1024);
}

typedef struct
{
  gboolean  done;
  gboolean  success;
  GError   *error;
} AsyncResult;

static void
analyzed_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  AsyncResult *async = user_data;

  async->success = mend_log_analyzer_analyze_stream_finish (MEND_LOG_ANALYZER (source), result,
                                                            &async->error);
  async->done = TRUE;
}

static void
test_async (void)
{
  const char log[] = "--> AUTH XOAUTH2 dXNlcj1h\n<-- 535 5.7.3 Authentication unsuccessful\n";
  g_autoptr(GInputStream) stream = g_memory_input_stream_new_from_data (log, sizeof log - 1, NULL);
  g_autoptr(MendLogAnalyzer) analyzer = mend_log_analyzer_new ();
  g_autoptr(MendLogAnalyzer) cancelled = mend_log_analyzer_new ();
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  AsyncResult async = { 0, };
  g_autofree char *ids = NULL;

  mend_log_analyzer_analyze_stream_async (analyzer, stream, NULL, analyzed_cb, &async);
  while (!async.done)
    g_main_context_iteration (NULL, TRUE);
  g_assert_no_error (async.error);
  g_assert_true (async.success);

  ids = finding_ids (analyzer);
  g_assert_cmpstr (ids, ==, "token-rejected");
  g_assert_cmpint (mend_log_analyzer_get_format (analyzer), ==, MEND_LOG_FORMAT_MSMTP);

  async.done = FALSE;
  g_cancellable_cancel (cancellable);
  mend_log_analyzer_analyze_stream_async (cancelled, stream, cancellable, analyzed_cb, &async);
  while (!async.done)
    g_main_context_iteration (NULL, TRUE);
  g_assert_error (async.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_false (async.success);
  g_clear_error (&async.error);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_set_prgname ("test-log-analyzer");

  for (guint i = 0; i < G_N_ELEMENTS (expectations); i++)
    {
      g_autofree char *path = g_strdup_printf ("/log-analyzer/fixture/%s", expectations[i].file);

      g_test_add_data_func (path, &expectations[i], test_fixture);
    }
  g_test_add_func ("/log-analyzer/details", test_details);
  g_test_add_func ("/log-analyzer/masked-excerpts", test_masked_excerpts);
  g_test_add_func ("/log-analyzer/byte-at-a-time", test_byte_at_a_time);
  g_test_add_func ("/log-analyzer/empty", test_empty);
  g_test_add_func ("/log-analyzer/no-known-problem", test_no_known_problem);
  g_test_add_func ("/log-analyzer/binary", test_binary);
  g_test_add_func ("/log-analyzer/invalid-utf8", test_invalid_utf8);
  g_test_add_func ("/log-analyzer/capabilities", test_capabilities_are_not_sign_ins);
  g_test_add_func ("/log-analyzer/huge-log", test_huge_log);
  g_test_add_func ("/log-analyzer/huge-line", test_huge_line);
  g_test_add_func ("/log-analyzer/async", test_async);

  return g_test_run ();
}
