/* test-report.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The support report in its three formats: the JSON parses and has its
 * documented shape, text and Markdown have every section, masked addresses
 * are masked the same way everywhere, and the secrets planted in a sign-in,
 * in findings and in a change record never reach any format.
 */

#include "config.h"

#include <string.h>

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "mend-report.h"
#include "mend-test-cli.h"

#define ALICE "Alice.Martin@outlook.com"
#define BOB   "bob@contoso.example"

#define ACCESS   "EwBwA8l6BAAUbDba3x2OMJElkF7gJ4zVbCPEz0AAQhmWHZ5cFpLQk1mN3RzS0hKWnNXa2hiTjlqaFZP"
#define REFRESH  "M.C507_BAY.0.U.-Cj3f!Akz9Qw*Lm2Rt$Yp4Vn8Bx6Ds1Ge5Hk7Jq0Wu3Zo"
#define JWT      "eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.eyJhdWQiOiJodHRwczovL291dGxvb2sifQ.U2lnbmF0dXJlXzl4MlFtWjd2UjR0TDBwVzhr"
#define PASSWORD "Hunter2-Correct-Horse"

#define PREFS "/home/alice/.thunderbird/k3x9wq2e.default-release/prefs.js"
#define CODE     "M.C507_BAY.2.U.7f3e9a1c-auth-code-0d4b"

static const char * const secrets[] = { ACCESS, REFRESH, JWT, PASSWORD, CODE, NULL };

static MendAccount *
new_account (const char   *client,
             const char   *address,
             MendProtocol  protocol,
             const char   *host,
             guint         port)
{
  MendAccount *account = mend_account_new (client, PREFS, address, protocol);

  mend_account_set_address (account, address);
  mend_account_set_username (account, address);
  mend_account_set_host (account, host);
  mend_account_set_port (account, port);
  mend_account_set_security (account, port == 993 ? MEND_SECURITY_TLS : MEND_SECURITY_STARTTLS);
  mend_account_set_auth (account, MEND_AUTH_PASSWORD);
  mend_account_set_client_version (account, "128.5.0");

  return account;
}

static MendFinding *
new_finding (const char   *id,
             MendSeverity  severity,
             const char   *explanation,
             const char   *details)
{
  MendFinding *finding = mend_finding_new (id, severity, "A title", explanation, "A remedy");

  mend_finding_set_details (finding, details);

  return finding;
}

/* Everything a report holds, with secrets planted wherever a careless caller might put one. */
static MendReport *
new_full_report (gboolean mask)
{
  MendReport *report = mend_report_new ();
  g_autoptr(GDateTime) created = g_date_time_new_utc (2031, 5, 17, 8, 30, 0);
  g_autoptr(GDateTime) expires = g_date_time_new_utc (2031, 5, 17, 9, 30, 0);
  g_autoptr(GDateTime) renewed = g_date_time_new_utc (2031, 5, 17, 8, 29, 0);
  g_autoptr(MendAccount) imap = new_account ("thunderbird", ALICE, MEND_PROTOCOL_IMAP,
                                             "outlook.office365.com", 993);
  g_autoptr(MendAccount) smtp = new_account ("thunderbird", ALICE, MEND_PROTOCOL_SMTP,
                                             "smtp.office365.com", 587);
  g_autoptr(MendAccount) work = new_account ("msmtp", BOB, MEND_PROTOCOL_SMTP,
                                             "smtp.office365.com", 587);
  g_autoptr(MendOAuthToken) token = mend_oauth_token_new (ALICE);
  g_autoptr(GPtrArray) status = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(MendFinding) basic = NULL;
  g_autoptr(MendFinding) rejected = NULL;
  g_autoptr(MendFinding) leaky = NULL;
  const char *scopes[] = { "https://outlook.office.com/IMAP.AccessAsUser.All", "offline_access",
                           NULL };
  const char *files[] = { "/home/alice/.thunderbird/k3x9wq2e.default-release/prefs.js", NULL };

  mend_report_set_os_name (report, "Debian GNU/Linux 12 (bookworm)");
  mend_report_set_generated_at (report, created);
  mend_report_set_mask_addresses (report, mask);

  g_ptr_array_add (status, new_finding ("service-degraded", MEND_SEVERITY_WARNING,
                                        "Outlook.com has an incident.", NULL));
  mend_report_add_status_findings (report, status);

  basic = new_finding ("basic-auth", MEND_SEVERITY_ERROR, "Uses a password.",
                       "password=" PASSWORD);
  rejected = new_finding ("token-rejected", MEND_SEVERITY_ERROR, "Sent " ALICE " a token.",
                          "C: A1 AUTHENTICATE XOAUTH2 " ACCESS "\nAuthorization: Bearer " JWT);
  mend_account_add_finding (imap, basic);
  mend_account_add_finding (smtp, rejected);
  mend_report_add_account (report, imap, "Thunderbird");
  mend_report_add_account (report, smtp, "Thunderbird");
  mend_report_add_account (report, work, NULL);

  mend_oauth_token_set_access_token (token, ACCESS);
  mend_oauth_token_set_refresh_token (token, REFRESH);
  mend_oauth_token_set_expires_at (token, expires);
  mend_oauth_token_set_last_refresh (token, renewed);
  mend_oauth_token_set_scopes (token, scopes);
  mend_oauth_token_set_tenant_id (token, MEND_CONSUMER_TENANT_ID);
  mend_oauth_token_set_signed_in_as (token, "a.martin@live.com");
  mend_report_add_sign_in (report, token);
  mend_report_add_damaged_sign_in (report, BOB);

  leaky = new_finding ("log-finding", MEND_SEVERITY_WARNING,
                       "The app logged refresh_token=" REFRESH " for " BOB ".",
                       "redirect nativeclient?code=" CODE "&state=x\n"
                       "{\"access_token\":\"" ACCESS "\"}");
  mend_report_add_finding (report, leaky);

  mend_report_add_change (report, created, "thunderbird-oauth", "69ff8faa22b3563b", files, FALSE);
  mend_report_add_change (report, renewed, "msmtp-token-command password=" PASSWORD, NULL, NULL,
                          TRUE);

  return report;
}

static void
assert_no_secret (const char *text)
{
  mend_test_assert_no_piece_in_text (text, secrets);
  g_assert_null (strstr (text, "Bearer e"));
}

/* Short names for the JSON accessors the checks use again and again. */
static const char *
string_of (JsonObject *object,
           const char *member)
{
  return json_object_get_string_member (object, member);
}

static JsonArray *
array_of (JsonObject *object,
          const char *member)
{
  return json_object_get_array_member (object, member);
}

static JsonObject *
nth (JsonArray *array,
     guint      index)
{
  return json_array_get_object_element (array, index);
}

static void
assert_finding_shape (JsonObject *finding)
{
  const char *members[] = { "id", "severity", "title", "explanation", "remedy", "details", "link" };

  for (guint i = 0; i < G_N_ELEMENTS (members); i++)
    g_assert_true (json_object_has_member (finding, members[i]));
}

static void
test_json (void)
{
  g_autoptr(MendReport) report = new_full_report (FALSE);
  g_autofree char *text = mend_report_render (report, MEND_REPORT_FORMAT_JSON);
  g_autoptr(JsonObject) root = mend_test_parse_json_object (text);
  JsonObject *system, *libraries, *status, *account, *sign_in, *damaged, *change;
  JsonArray *accounts, *sign_ins, *changes;

  assert_no_secret (text);

  g_assert_cmpint (json_object_get_int_member (root, "report_version"), ==, 1);
  g_assert_cmpstr (string_of (root, "generated_at"), ==, "2031-05-17T08:30:00Z");
  g_assert_cmpstr (string_of (root, "mailmend_version"), ==, PACKAGE_VERSION);
  g_assert_false (json_object_get_boolean_member (root, "addresses_masked"));

  system = json_object_get_object_member (root, "system");
  g_assert_cmpstr (string_of (system, "os"), ==, "Debian GNU/Linux 12 (bookworm)");
  libraries = json_object_get_object_member (system, "libraries");
  g_assert_true (g_str_has_prefix (string_of (libraries, "glib"), "2."));

  status = json_object_get_object_member (root, "service_status");
  g_assert_true (json_object_get_boolean_member (status, "checked"));
  g_assert_cmpuint (json_array_get_length (array_of (status, "findings")), ==, 1);

  accounts = array_of (root, "accounts");
  g_assert_cmpuint (json_array_get_length (accounts), ==, 3);
  account = nth (accounts, 0);
  g_assert_cmpstr (string_of (account, "client"), ==, "thunderbird");
  g_assert_cmpstr (string_of (account, "client_name"), ==, "Thunderbird");
  g_assert_cmpstr (string_of (account, "client_version"), ==, "128.5.0");
  g_assert_cmpstr (string_of (account, "address"), ==, ALICE);
  g_assert_cmpstr (string_of (account, "protocol"), ==, "imap");
  g_assert_cmpstr (string_of (account, "host"), ==, "outlook.office365.com");
  g_assert_cmpint (json_object_get_int_member (account, "port"), ==, 993);
  g_assert_cmpstr (string_of (account, "auth"), ==, "password");
  g_assert_cmpstr (string_of (account, "source"), ==,
                   "/home/alice/.thunderbird/k3x9wq2e.default-release/prefs.js");
  assert_finding_shape (nth (array_of (account, "findings"), 0));
  g_assert_cmpstr (string_of (nth (array_of (account, "findings"), 0), "details"),
                   ==, "password=[redacted]");
  g_assert_true (json_object_get_null_member (nth (accounts, 2), "client_name"));

  /* The sign-in: what it is, never its tokens. */
  sign_ins = array_of (root, "sign_ins");
  g_assert_cmpuint (json_array_get_length (sign_ins), ==, 2);
  sign_in = nth (sign_ins, 0);
  g_assert_cmpstr (string_of (sign_in, "address"), ==, ALICE);
  g_assert_false (json_object_get_boolean_member (sign_in, "damaged"));
  g_assert_cmpstr (string_of (sign_in, "tenant_type"), ==, "consumer");
  g_assert_cmpstr (string_of (sign_in, "tenant_id"), ==, MEND_CONSUMER_TENANT_ID);
  g_assert_cmpstr (string_of (sign_in, "expires_at"), ==, "2031-05-17T09:30:00Z");
  g_assert_cmpstr (string_of (sign_in, "last_refresh"), ==, "2031-05-17T08:29:00Z");
  g_assert_cmpuint (json_array_get_length (array_of (sign_in, "scopes")), ==, 2);
  g_assert_cmpstr (string_of (sign_in, "signed_in_as"), ==, "a.martin@live.com");
  g_assert_false (json_object_has_member (sign_in, "access_token"));
  g_assert_false (json_object_has_member (sign_in, "refresh_token"));
  damaged = nth (sign_ins, 1);
  g_assert_true (json_object_get_boolean_member (damaged, "damaged"));
  g_assert_true (json_object_get_null_member (damaged, "tenant_type"));

  g_assert_cmpuint (json_array_get_length (array_of (root, "findings")), ==, 1);
  assert_finding_shape (nth (array_of (root, "findings"), 0));

  changes = array_of (root, "changes");
  g_assert_cmpuint (json_array_get_length (changes), ==, 2);
  change = nth (changes, 0);
  g_assert_cmpstr (string_of (change, "time"), ==, "2031-05-17T08:30:00Z");
  g_assert_cmpstr (string_of (change, "change_id"), ==, "thunderbird-oauth");
  g_assert_cmpstr (string_of (change, "account_id"), ==, "69ff8faa22b3563b");
  g_assert_cmpuint (json_array_get_length (array_of (change, "files")), ==, 1);
  g_assert_false (json_object_get_boolean_member (change, "undone"));
  change = nth (changes, 1);
  g_assert_true (json_object_get_null_member (change, "account_id"));
  g_assert_true (json_object_get_boolean_member (change, "undone"));
}

static void
assert_contains (const char *text,
                 const char *part)
{
  if (strstr (text, part) == NULL)
    g_error ("“%s” is not in:\n%s", part, text);
}

static void
test_text (void)
{
  g_autoptr(MendReport) report = new_full_report (FALSE);
  g_autofree char *text = mend_report_render (report, MEND_REPORT_FORMAT_TEXT);

  assert_no_secret (text);
  g_assert_true (g_str_has_prefix (text, "Mailmend support report\n=======================\n"));
  assert_contains (text, "Created: 2031-05-17 08:30 UTC");
  assert_contains (text, "Mailmend version: " PACKAGE_VERSION);
  assert_contains (text, "System: Debian GNU/Linux 12 (bookworm)");
  assert_contains (text, "\nMicrosoft service status\n------------------------\n");
  assert_contains (text, "\nMail accounts\n-------------\n");
  assert_contains (text, "Thunderbird 128.5.0 — " ALICE "\n  IMAP outlook.office365.com:993, tls, password\n");
  assert_contains (text, "[Error] A title (basic-auth)");
  assert_contains (text, "\nSign-ins kept by Mailmend\n");
  assert_contains (text, ALICE ": personal account\n  Access token expires: 2031-05-17 09:30 UTC\n");
  assert_contains (text, "  Signed in as: a.martin@live.com\n");
  assert_contains (text, BOB ": damaged, sign in again");
  assert_contains (text, "\nOther findings\n");
  assert_contains (text, "\nWhat was changed\n");
  assert_contains (text, "2031-05-17 08:30 UTC  thunderbird-oauth (69ff8faa22b3563b)\n"
                         "  /home/alice/.thunderbird/k3x9wq2e.default-release/prefs.js\n");
  assert_contains (text, " — undone\n");
  g_assert_true (g_str_has_suffix (text, "\n"));
}

static void
test_markdown (void)
{
  g_autoptr(MendReport) report = new_full_report (FALSE);
  g_autofree char *text = mend_report_render (report, MEND_REPORT_FORMAT_MARKDOWN);

  assert_no_secret (text);
  g_assert_true (g_str_has_prefix (text, "# Mailmend support report\n"));
  assert_contains (text, "- Created: `2031-05-17 08:30 UTC`\n");
  assert_contains (text, "\n## Microsoft service status\n");
  assert_contains (text, "\n## Mail accounts\n");
  assert_contains (text, "### Thunderbird 128.5.0 — `" ALICE "`\n");
  assert_contains (text, "- **Error:** A title (`basic-auth`)\n");
  assert_contains (text, "  ~~~~text\n  password=[redacted]\n  ~~~~\n");
  assert_contains (text, "\n## Sign-ins kept by Mailmend\n");
  assert_contains (text, "\n## Other findings\n");
  assert_contains (text, "\n## What was changed\n");
}

static void
test_empty (void)
{
  g_autoptr(MendReport) report = mend_report_new ();
  g_autofree char *text = mend_report_render (report, MEND_REPORT_FORMAT_TEXT);
  g_autofree char *json = mend_report_render (report, MEND_REPORT_FORMAT_JSON);
  g_autoptr(JsonObject) root = mend_test_parse_json_object (json);

  assert_contains (text, "Not checked.");
  assert_contains (text, "No Microsoft mail account was found.");
  assert_contains (text, "Mailmend keeps no sign-ins.");
  assert_contains (text, "No changes recorded.");
  g_assert_false (json_object_get_boolean_member (json_object_get_object_member (root, "service_status"),
                                                  "checked"));
  g_assert_cmpuint (json_array_get_length (array_of (root, "accounts")), ==, 0);
}

static void
test_masked (void)
{
  g_autoptr(MendReport) report = new_full_report (TRUE);
  MendReportFormat formats[] = { MEND_REPORT_FORMAT_TEXT, MEND_REPORT_FORMAT_MARKDOWN,
                                 MEND_REPORT_FORMAT_JSON };
  g_autofree char *json = mend_report_render (report, MEND_REPORT_FORMAT_JSON);
  g_autofree char *text = mend_report_render (report, MEND_REPORT_FORMAT_TEXT);
  g_autoptr(JsonObject) root = mend_test_parse_json_object (json);
  JsonArray *accounts = array_of (root, "accounts");
  JsonArray *sign_ins = array_of (root, "sign_ins");
  JsonObject *finding;

  for (guint i = 0; i < G_N_ELEMENTS (formats); i++)
    {
      g_autofree char *rendered = mend_report_render (report, formats[i]);
      g_autofree char *lower = g_ascii_strdown (rendered, -1);

      assert_no_secret (rendered);
      g_assert_null (strstr (lower, "alice.martin"));
      g_assert_null (strstr (lower, "bob@"));
      g_assert_null (strstr (lower, "contoso"));
    }

  g_assert_true (json_object_get_boolean_member (root, "addresses_masked"));

  /* The same address the same way everywhere: accounts, sign-ins, free text; a consumer
   * domain kept, an organization's replaced. */
  g_assert_cmpstr (string_of (nth (accounts, 0), "address"),
                   ==, "user1@outlook.com");
  g_assert_cmpstr (string_of (nth (accounts, 1), "username"),
                   ==, "user1@outlook.com");
  g_assert_cmpstr (string_of (nth (accounts, 2), "address"),
                   ==, "user2@org1.example");
  g_assert_cmpstr (string_of (nth (sign_ins, 0), "address"),
                   ==, "user1@outlook.com");
  g_assert_cmpstr (string_of (nth (sign_ins, 0), "signed_in_as"),
                   ==, "user3@live.com");
  g_assert_cmpstr (string_of (nth (sign_ins, 1), "address"),
                   ==, "user2@org1.example");
  finding = nth (array_of (root, "findings"), 0);
  assert_contains (string_of (finding, "explanation"), "for user2@org1.example.");

  /* And the same in every format. */
  assert_contains (text, "Thunderbird 128.5.0 — user1@outlook.com\n");
  assert_contains (text, "msmtp 128.5.0 — user2@org1.example\n");
  assert_contains (text, "user1@outlook.com: personal account");
}

static void
test_os_release (void)
{
  g_autofree char *dir = g_dir_make_tmp ("mailmend-test-report-XXXXXX", NULL);
  g_autofree char *quoted = g_build_filename (dir, "quoted", NULL);
  g_autofree char *bare = g_build_filename (dir, "bare", NULL);
  g_autofree char *none = g_build_filename (dir, "none", NULL);
  g_autofree char *missing = g_build_filename (dir, "missing", NULL);
  g_autofree char *name = NULL;
  MendReportFormat format;

  g_assert_true (g_file_set_contents (quoted, "NAME=\"Debian GNU/Linux\"\n"
                                      "PRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\nID=debian\n",
                                      -1, NULL));
  g_assert_true (g_file_set_contents (bare, "PRETTY_NAME=Fedora\n", -1, NULL));
  g_assert_true (g_file_set_contents (none, "NAME=Nothing\n", -1, NULL));

  name = mend_report_read_os_name (quoted);
  g_assert_cmpstr (name, ==, "Debian GNU/Linux 12 (bookworm)");
  g_clear_pointer (&name, g_free);
  name = mend_report_read_os_name (bare);
  g_assert_cmpstr (name, ==, "Fedora");
  g_clear_pointer (&name, g_free);
  g_assert_null (mend_report_read_os_name (none));
  g_assert_null (mend_report_read_os_name (missing));

  g_assert_true (mend_report_format_from_string ("markdown", &format));
  g_assert_cmpint (format, ==, MEND_REPORT_FORMAT_MARKDOWN);
  g_assert_true (mend_report_format_from_string ("json", &format));
  g_assert_cmpint (format, ==, MEND_REPORT_FORMAT_JSON);
  g_assert_false (mend_report_format_from_string ("html", &format));

  g_unlink (quoted);
  g_unlink (bare);
  g_unlink (none);
  g_rmdir (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_set_prgname ("test-report");

  g_test_add_func ("/report/json", test_json);
  g_test_add_func ("/report/text", test_text);
  g_test_add_func ("/report/markdown", test_markdown);
  g_test_add_func ("/report/empty", test_empty);
  g_test_add_func ("/report/masked", test_masked);
  g_test_add_func ("/report/os-release", test_os_release);

  return g_test_run ();
}
