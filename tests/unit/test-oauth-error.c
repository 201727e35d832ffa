/* test-oauth-error.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "mend-oauth-error.h"

#define TRACE_ID       "0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0"
#define CORRELATION_ID "11112222-3333-4444-5555-666677778888"

/* Look like Microsoft's: they must never come out again. */
#define ACCESS_TOKEN  "EwBAAl3BAAUFFpUAo7J3Ve0bjLBWZWCclRC3EoAAxyZ9Tq4LmN8pR2sV"
#define REFRESH_TOKEN "M.C507_BAY.0.U.-Cq8x2Pz!Ab9Kd*Lm3Nv$Qr7St4Uw6Yz1Bc5De8Fg"
#define AUTH_CODE     "M.C516_SN1.2.U.8f0d5b2c-aa1e-Xy7Zq3Wt9Rv5Pn1Lk8Jh4Gf2Ds6Aa0"

static GError *
error_from_json (const char     *json,
                 guint           http_status,
                 MendTenantType  tenant_type)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) parse_error = NULL;

  json_parser_load_from_data (parser, json, -1, &parse_error);
  g_assert_no_error (parse_error);

  return mend_oauth_error_new_from_json (json_node_get_object (json_parser_get_root (parser)),
                                         http_status, tenant_type, NULL);
}

static void
assert_finding_safe (MendFinding *finding,
                     const char  *message)
{
  const char *texts[] = {
    mend_finding_get_title (finding),
    mend_finding_get_explanation (finding),
    mend_finding_get_remedy (finding),
    mend_finding_get_details (finding),
    mend_finding_get_link (finding),
    message,
  };

  for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
    {
      if (texts[i] == NULL)
        continue;
      g_assert_null (strstr (texts[i], ACCESS_TOKEN));
      g_assert_null (strstr (texts[i], REFRESH_TOKEN));
      g_assert_null (strstr (texts[i], AUTH_CODE));
      /* Not even a part of them. */
      g_assert_null (strstr (texts[i], "EwBAAl3B"));
      g_assert_null (strstr (texts[i], "Ab9Kd*Lm3"));
      g_assert_null (strstr (texts[i], "Xy7Zq3Wt9"));
    }
}

/* Every row of microsoft.md §2, and the few Microsoft adds. */
static const struct {
  guint       aadsts;
  const char *oauth_error;
  const char *finding_id;
} aadsts_rows[] = {
  { 65004, "access_denied", "consent-declined" },
  { 90094, "invalid_request", "admin-consent-required" },
  { 90095, "invalid_request", "admin-consent-required" },
  { 50076, "interaction_required", "mfa-required" },
  { 50079, "interaction_required", "mfa-required" },
  { 53003, "access_denied", "conditional-access" },
  { 53000, "invalid_grant", "conditional-access" },
  { 53001, "invalid_grant", "conditional-access" },
  { 530035, "invalid_grant", "conditional-access" },
  { 50126, "invalid_grant", "password-wrong" },
  { 50053, "invalid_grant", "account-locked" },
  { 50055, "invalid_grant", "account-locked" },
  { 50057, "invalid_grant", "account-locked" },
  { 50020, "invalid_request", "wrong-account-type" },
  { 500208, "invalid_request", "wrong-account-type" },
  { 50034, "invalid_grant", "account-not-found" },
  { 700016, "unauthorized_client", "app-not-registered" },
  { 50011, "invalid_request", "app-not-registered" },
  { 7000218, "invalid_client", "app-not-registered" },
  { 700025, "invalid_client", "app-not-registered" },
  { 70011, "invalid_scope", "app-not-registered" },
  { 9002313, "invalid_request", "provider-error" },
  { 9002331, "invalid_request", "wrong-account-type" },
  { 90124, "invalid_request", "wrong-account-type" },
  { 90130, "invalid_request", "wrong-account-type" },
  { 9001023, "invalid_request", "wrong-account-type" },
  { 70000, "invalid_grant", "token-expired" },
  { 70008, "invalid_grant", "token-expired" },
  { 700082, "invalid_grant", "token-expired" },
  { 50173, "invalid_grant", "token-expired" },
  { 70043, "invalid_grant", "token-expired" },
  { 54005, "invalid_grant", "code-expired" },
  { 501481, "invalid_grant", "code-expired" },
  { 70016, "authorization_pending", "device-code-pending" },
  { 70018, "bad_verification_code", "device-code-invalid" },
  { 70019, "expired_token", "device-code-expired" },
  { 50058, "login_required", "token-expired" },
  { 50196, "invalid_request", "sign-in-throttled" },
  { 90055, "temporarily_unavailable", "sign-in-throttled" },
};

static void
test_aadsts_rows (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (aadsts_rows); i++)
    {
      g_autofree char *json = NULL;
      g_autofree char *description = NULL;
      g_autoptr(GError) from_codes = NULL;
      g_autoptr(GError) from_description = NULL;
      g_autoptr(MendFinding) finding = NULL;
      g_autofree char *needle = NULL;
      MendOAuthErrorInfo info = { 0, };

      g_test_message ("AADSTS%u", aadsts_rows[i].aadsts);

      /* A token-endpoint answer, keyed on error_codes. */
      json = g_strdup_printf ("{\"error\": \"%s\", \"error_description\": \"AADSTS%u: Something "
                              "happened.\\r\\nTrace ID: " TRACE_ID "\\r\\nCorrelation ID: "
                              CORRELATION_ID "\\r\\nTimestamp: 2026-03-01 10:00:00Z\", "
                              "\"error_codes\": [%u], \"timestamp\": \"2026-03-01 10:00:00Z\", "
                              "\"trace_id\": \"" TRACE_ID "\", \"correlation_id\": \""
                              CORRELATION_ID "\", \"error_uri\": "
                              "\"https://login.microsoftonline.com/error?code=%u\"}",
                              aadsts_rows[i].oauth_error, aadsts_rows[i].aadsts,
                              aadsts_rows[i].aadsts, aadsts_rows[i].aadsts);
      from_codes = error_from_json (json, 400, MEND_TENANT_TYPE_UNKNOWN);
      g_assert_true (from_codes->domain == MEND_OAUTH_ERROR);
      g_assert_cmpstr (mend_oauth_error_get_finding_id (from_codes->code), ==,
                       aadsts_rows[i].finding_id);
      g_assert_cmpuint (mend_oauth_error_get_aadsts (from_codes), ==, aadsts_rows[i].aadsts);
      g_assert_cmpstr (mend_oauth_error_get_trace_id (from_codes), ==, TRACE_ID);
      g_assert_cmpstr (mend_oauth_error_get_correlation_id (from_codes), ==, CORRELATION_ID);
      g_assert_cmpstr (mend_oauth_error_get_oauth_error (from_codes), ==, aadsts_rows[i].oauth_error);

      finding = mend_oauth_error_get_finding (from_codes);
      g_assert_cmpstr (mend_finding_get_id (finding), ==, aadsts_rows[i].finding_id);
      needle = g_strdup_printf ("AADSTS%u", aadsts_rows[i].aadsts);
      g_assert_nonnull (strstr (mend_finding_get_details (finding), needle));
      g_assert_nonnull (strstr (mend_finding_get_details (finding), TRACE_ID));
      g_assert_nonnull (strstr (mend_finding_get_details (finding), CORRELATION_ID));
      g_assert_nonnull (strstr (mend_finding_get_details (finding), "HTTP status: 400"));
      g_assert_nonnull (strstr (mend_finding_get_details (finding), "Something happened."));
      g_assert_nonnull (strstr (from_codes->message, needle));

      /* A redirect: only the description carries the code. */
      description = g_strdup_printf ("AADSTS%u: Something happened. Trace ID: " TRACE_ID
                                     " Correlation ID: " CORRELATION_ID " Timestamp: 2026-03-01",
                                     aadsts_rows[i].aadsts);
      info.error = aadsts_rows[i].oauth_error;
      info.error_description = description;
      from_description = mend_oauth_error_new_from_info (&info);
      g_assert_cmpint (from_description->code, ==, from_codes->code);
      g_assert_cmpuint (mend_oauth_error_get_aadsts (from_description), ==, aadsts_rows[i].aadsts);
      g_assert_cmpstr (mend_oauth_error_get_trace_id (from_description), ==, TRACE_ID);
      g_assert_cmpstr (mend_oauth_error_get_correlation_id (from_description), ==, CORRELATION_ID);
    }
}

static void
test_consent_missing (void)
{
  /* 65001: at work an administrator has to approve; at home the user. */
  g_assert_cmpint (mend_oauth_error_classify ("invalid_grant", 65001, NULL,
                                              MEND_TENANT_TYPE_ORGANIZATION),
                   ==, MEND_OAUTH_ERROR_ADMIN_CONSENT_REQUIRED);
  g_assert_cmpint (mend_oauth_error_classify ("invalid_grant", 65001, NULL,
                                              MEND_TENANT_TYPE_CONSUMER),
                   ==, MEND_OAUTH_ERROR_CONSENT_DECLINED);
  g_assert_cmpint (mend_oauth_error_classify ("invalid_grant", 65001, NULL,
                                              MEND_TENANT_TYPE_UNKNOWN),
                   ==, MEND_OAUTH_ERROR_CONSENT_DECLINED);
  g_assert_cmpint (mend_oauth_error_classify ("consent_required", 0, NULL,
                                              MEND_TENANT_TYPE_ORGANIZATION),
                   ==, MEND_OAUTH_ERROR_ADMIN_CONSENT_REQUIRED);
  g_assert_cmpint (mend_oauth_error_classify ("consent_required", 0, NULL,
                                              MEND_TENANT_TYPE_CONSUMER),
                   ==, MEND_OAUTH_ERROR_CONSENT_DECLINED);
}

static void
test_admin_consent_link (void)
{
  MendOAuthErrorInfo info = { 0, };
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) other = NULL;
  g_autoptr(MendFinding) finding = NULL;
  g_autoptr(MendFinding) other_finding = NULL;

  info.error = "invalid_grant";
  info.aadsts = 90094;
  info.admin_consent_url = "https://login.microsoftonline.com/organizations/adminconsent?client_id=x";
  error = mend_oauth_error_new_from_info (&info);
  finding = mend_oauth_error_get_finding (error);
  g_assert_cmpstr (mend_finding_get_id (finding), ==, "admin-consent-required");
  g_assert_cmpstr (mend_finding_get_link (finding), ==, info.admin_consent_url);

  /* Only where an administrator has to act. */
  info.aadsts = 70000;
  other = mend_oauth_error_new_from_info (&info);
  other_finding = mend_oauth_error_get_finding (other);
  g_assert_cmpstr (mend_finding_get_id (other_finding), ==, "token-expired");
  g_assert_null (mend_finding_get_link (other_finding));
}

static const struct {
  const char *oauth_error;
  const char *description;
  const char *finding_id;
} oauth_rows[] = {
  { "access_denied", "The user has denied access to the scope requested by the client application.",
    "consent-declined" },
  { "access_denied", NULL, "consent-declined" },
  { "unauthorized_client", "The client does not exist or is not enabled for consumers. If you are the "
    "application developer, configure a new application through the App Registrations in the Azure "
    "Portal at https://go.microsoft.com/fwlink/?linkid=2083908.", "wrong-account-type" },
  { "unauthorized_client", "AADSTS700016: Application with identifier "
    "'12345678-1234-1234-1234-123456789abc' was not found in the directory.", "app-not-registered" },
  { "unauthorized_client", NULL, "app-not-registered" },
  { "invalid_client", NULL, "app-not-registered" },
  { "invalid_scope", NULL, "app-not-registered" },
  { "invalid_grant", NULL, "token-expired" },
  { "interaction_required", NULL, "token-expired" },
  { "login_required", NULL, "token-expired" },
  { "authorization_pending", NULL, "device-code-pending" },
  { "slow_down", NULL, "device-code-slow-down" },
  { "authorization_declined", NULL, "device-code-declined" },
  { "expired_token", NULL, "device-code-expired" },
  /* The device-flow names win over the AADSTS codes Microsoft sends with them. */
  { "slow_down", "AADSTS70016: OAuth 2.0 device flow error. Authorization is pending.",
    "device-code-slow-down" },
  { "authorization_declined", "AADSTS70000: The end user denied the authorization request.",
    "device-code-declined" },
  { "bad_verification_code", NULL, "device-code-invalid" },
  { "temporarily_unavailable", NULL, "sign-in-throttled" },
  { "server_error", NULL, "provider-error" },
  { "invalid_request", NULL, "provider-error" },
  { "unsupported_grant_type", NULL, "provider-error" },
  { "something_new", NULL, "provider-error" },
  { NULL, NULL, "provider-error" },
};

static void
test_oauth_rows (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (oauth_rows); i++)
    {
      MendOAuthErrorInfo info = { 0, };
      g_autoptr(GError) error = NULL;
      g_autoptr(MendFinding) finding = NULL;

      g_test_message ("%s", oauth_rows[i].oauth_error ? oauth_rows[i].oauth_error : "(none)");
      info.error = oauth_rows[i].oauth_error;
      info.error_description = oauth_rows[i].description;
      error = mend_oauth_error_new_from_info (&info);
      finding = mend_oauth_error_get_finding (error);
      g_assert_cmpstr (mend_finding_get_id (finding), ==, oauth_rows[i].finding_id);
    }
}

static void
test_http_status (void)
{
  MendOAuthErrorInfo info = { 0, };
  g_autoptr(GError) throttled = NULL;
  g_autoptr(GError) malformed = NULL;
  g_autoptr(GError) malformed_429 = NULL;
  g_autoptr(MendFinding) finding = NULL;

  info.http_status = 429;
  throttled = mend_oauth_error_new_from_info (&info);
  g_assert_error (throttled, MEND_OAUTH_ERROR, MEND_OAUTH_ERROR_SIGN_IN_THROTTLED);

  malformed = mend_oauth_error_new_malformed (502);
  g_assert_error (malformed, MEND_OAUTH_ERROR, MEND_OAUTH_ERROR_PROVIDER_ERROR);
  finding = mend_oauth_error_get_finding (malformed);
  g_assert_cmpstr (mend_finding_get_id (finding), ==, "provider-error");
  g_assert_nonnull (strstr (mend_finding_get_details (finding), "HTTP status: 502"));

  malformed_429 = mend_oauth_error_new_malformed (429);
  g_assert_error (malformed_429, MEND_OAUTH_ERROR, MEND_OAUTH_ERROR_SIGN_IN_THROTTLED);
}

static void
test_every_code_has_a_finding (void)
{
  g_autoptr(GHashTable) ids = g_hash_table_new (g_str_hash, g_str_equal);

  for (int code = MEND_OAUTH_ERROR_PROVIDER_ERROR; code <= MEND_OAUTH_ERROR_REDIRECT_INVALID; code++)
    {
      g_autoptr(GError) error = g_error_new_literal (MEND_OAUTH_ERROR, code, "Specific message.");
      g_autoptr(MendFinding) finding = mend_oauth_error_get_finding (error);
      const char *id = mend_oauth_error_get_finding_id (code);

      g_assert_nonnull (finding);
      g_assert_cmpstr (mend_finding_get_id (finding), ==, id);
      g_assert_false (g_hash_table_contains (ids, id));
      g_hash_table_add (ids, (gpointer) id);
      g_assert_cmpstr (mend_finding_get_title (finding), !=, "");
      g_assert_cmpstr (mend_finding_get_explanation (finding), !=, "");
      g_assert_cmpstr (mend_finding_get_remedy (finding), !=, "");
      /* Nothing from Microsoft: no details. */
      g_assert_null (mend_finding_get_details (finding));
    }

  /* Mailmend's own checks explain with their message, which names the value. */
  {
    g_autoptr(GError) error = g_error_new_literal (MEND_OAUTH_ERROR,
                                                   MEND_OAUTH_ERROR_CLIENT_ID_INVALID,
                                                   "“abc” is not a valid client id.");
    g_autoptr(MendFinding) finding = mend_oauth_error_get_finding (error);

    g_assert_cmpstr (mend_finding_get_explanation (finding), ==, error->message);
  }
}

static void
test_other_domains (void)
{
  g_autoptr(GError) error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_TIMED_OUT, "Timed out");

  g_assert_null (mend_oauth_error_get_finding (error));
  g_assert_cmpuint (mend_oauth_error_get_aadsts (error), ==, 0);
  g_assert_null (mend_oauth_error_get_trace_id (error));
}

static void
test_copy_keeps_details (void)
{
  MendOAuthErrorInfo info = { 0, };
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) copy = NULL;
  g_autoptr(GError) propagated = NULL;
  g_autoptr(MendFinding) finding = NULL;

  info.error = "invalid_grant";
  info.aadsts = 700082;
  info.trace_id = TRACE_ID;
  info.correlation_id = CORRELATION_ID;
  info.http_status = 400;
  error = mend_oauth_error_new_from_info (&info);
  copy = g_error_copy (error);
  g_clear_error (&error);

  g_assert_error (copy, MEND_OAUTH_ERROR, MEND_OAUTH_ERROR_TOKEN_EXPIRED);
  g_assert_cmpuint (mend_oauth_error_get_aadsts (copy), ==, 700082);
  g_propagate_error (&propagated, g_steal_pointer (&copy));
  finding = mend_oauth_error_get_finding (propagated);
  g_assert_cmpstr (mend_finding_get_id (finding), ==, "token-expired");
  g_assert_nonnull (strstr (mend_finding_get_details (finding), "AADSTS700082"));
  g_assert_nonnull (strstr (mend_finding_get_details (finding), TRACE_ID));
}

static void
test_task_keeps_details (void)
{
  MendOAuthErrorInfo info = { 0, };
  g_autoptr(GTask) task = g_task_new (NULL, NULL, NULL, NULL);
  g_autoptr(GError) error = NULL;

  info.error = "invalid_grant";
  info.aadsts = 50173;
  info.trace_id = TRACE_ID;
  g_task_return_error (task, mend_oauth_error_new_from_info (&info));
  g_assert_null (g_task_propagate_pointer (task, &error));
  g_assert_cmpuint (mend_oauth_error_get_aadsts (error), ==, 50173);
  g_assert_cmpstr (mend_oauth_error_get_trace_id (error), ==, TRACE_ID);
}

static void
test_redact (void)
{
  static const char *descriptions[] = {
    "AADSTS54005: OAuth2 Authorization code was already redeemed: " AUTH_CODE ".",
    "AADSTS70000: The provided grant '" REFRESH_TOKEN "' is invalid.",
    "Bearer " ACCESS_TOKEN " was rejected",
    AUTH_CODE,
  };
  g_autofree char *kept = NULL;
  g_autofree char *long_text = NULL;
  g_autofree char *truncated = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (descriptions); i++)
    {
      MendOAuthErrorInfo info = { 0, };
      g_autofree char *redacted = mend_oauth_redact_description (descriptions[i]);
      g_autoptr(GError) error = NULL;
      g_autoptr(MendFinding) finding = NULL;

      g_assert_nonnull (strstr (redacted, "[redacted]"));
      g_assert_null (strstr (redacted, ACCESS_TOKEN));
      g_assert_null (strstr (redacted, REFRESH_TOKEN));
      g_assert_null (strstr (redacted, AUTH_CODE));

      info.error = "invalid_grant";
      info.error_description = descriptions[i];
      error = mend_oauth_error_new_from_info (&info);
      finding = mend_oauth_error_get_finding (error);
      assert_finding_safe (finding, error->message);
    }

  /* What support staff need stays: GUIDs, addresses, the text. */
  kept = mend_oauth_redact_description ("AADSTS50011: The redirect URI "
                                        "'https://login.microsoftonline.com/common/oauth2/nativeclient' "
                                        "specified in the request does not match the redirect URIs "
                                        "configured for the application "
                                        "'12345678-1234-1234-1234-123456789ABC'.\r\n"
                                        "Trace ID: " TRACE_ID "\r\nCorrelation ID: " CORRELATION_ID);
  g_assert_cmpstr (kept, ==,
                   "AADSTS50011: The redirect URI "
                   "'https://login.microsoftonline.com/common/oauth2/nativeclient' "
                   "specified in the request does not match the redirect URIs "
                   "configured for the application '12345678-1234-1234-1234-123456789ABC'.");

  g_assert_null (mend_oauth_redact_description (NULL));
  g_assert_null (mend_oauth_redact_description (" \r\n"));

  long_text = g_strnfill (2000, 'a');
  truncated = mend_oauth_redact_description (long_text);
  g_assert_cmpuint (g_utf8_strlen (truncated, -1), <=, 501);
  g_assert_true (g_str_has_suffix (truncated, "…"));
}

static void
test_json_junk (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MendFinding) finding = NULL;

  /* Wrong types are ignored; a trace id that is no GUID is not kept. */
  error = error_from_json ("{\"error\": \"invalid_grant\", \"error_codes\": [\"x\", 70000], "
                           "\"trace_id\": \"" ACCESS_TOKEN "\", \"correlation_id\": 42}",
                           400, MEND_TENANT_TYPE_UNKNOWN);
  g_assert_error (error, MEND_OAUTH_ERROR, MEND_OAUTH_ERROR_TOKEN_EXPIRED);
  g_assert_cmpuint (mend_oauth_error_get_aadsts (error), ==, 0);
  g_assert_null (mend_oauth_error_get_trace_id (error));
  g_assert_null (mend_oauth_error_get_correlation_id (error));
  finding = mend_oauth_error_get_finding (error);
  assert_finding_safe (finding, error->message);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_set_prgname ("test-oauth-error");

  g_test_add_func ("/oauth-error/aadsts-rows", test_aadsts_rows);
  g_test_add_func ("/oauth-error/consent-missing", test_consent_missing);
  g_test_add_func ("/oauth-error/admin-consent-link", test_admin_consent_link);
  g_test_add_func ("/oauth-error/oauth-rows", test_oauth_rows);
  g_test_add_func ("/oauth-error/http-status", test_http_status);
  g_test_add_func ("/oauth-error/every-code", test_every_code_has_a_finding);
  g_test_add_func ("/oauth-error/other-domains", test_other_domains);
  g_test_add_func ("/oauth-error/copy", test_copy_keeps_details);
  g_test_add_func ("/oauth-error/task", test_task_keeps_details);
  g_test_add_func ("/oauth-error/redact", test_redact);
  g_test_add_func ("/oauth-error/json-junk", test_json_junk);

  return g_test_run ();
}
