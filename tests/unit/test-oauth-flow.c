/* test-oauth-flow.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "mend-oauth-device-code.h"
#include "mend-oauth-error.h"
#include "mend-oauth-flow-private.h"
#include "mend-oauth-id-token.h"

#define CLIENT_ID   "3f2a9c4e-1b7d-4e8a-9c0f-2d6b8e4a1c3f"
#define REDIRECT    "https://login.microsoftonline.com/common/oauth2/nativeclient"
#define ORG_TID     "72f988bf-86f1-41af-91ab-2d7cd011db47"
#define TRACE_ID    "0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0"

/* Shaped like Microsoft's; none may show up in a message or a finding. */
#define AUTH_CODE     "M.C516_SN1.2.U.8f0d5b2c-aa1e-Xy7Zq3Wt9Rv5Pn1Lk8Jh4Gf2Ds6Aa0"
#define ACCESS_TOKEN  "EwBAAl3BAAUFFpUAo7J3Ve0bjLBWZWCclRC3EoAAxyZ9Tq4LmN8pR2sV"
#define REFRESH_TOKEN "M.C507_BAY.0.U.-Cq8x2Pz!Ab9Kd*Lm3Nv$Qr7St4Uw6Yz1Bc5De8Fg"
#define DEVICE_CODE   "DAQABAAEAAAD--DLA3VO7QrddgJg7WevrQvP8h2Kj5Lm9Nn3Pq7Rs1Tu"

/* Every message logged by the engine, debug included, whatever
 * G_MESSAGES_DEBUG says: none may hold a secret either. */
static GPtrArray *log_lines;

static GLogWriterOutput
capture_writer (GLogLevelFlags   log_level,
                const GLogField *fields,
                gsize            n_fields,
                gpointer         user_data)
{
  for (gsize i = 0; i < n_fields; i++)
    if (g_str_equal (fields[i].key, "MESSAGE") && fields[i].length < 0)
      g_ptr_array_add (log_lines, g_strdup (fields[i].value));

  return g_log_writer_default (log_level, fields, n_fields, user_data);
}

typedef struct
{
  MendOAuthSettings *settings;
  MendOAuthFlow     *flow;
  GPtrArray         *texts;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;

  fixture->settings = mend_oauth_settings_new ();
  g_assert_true (mend_oauth_settings_set_client_id (fixture->settings, CLIENT_ID, NULL));
  fixture->flow = mend_oauth_flow_new (fixture->settings, &error);
  g_assert_no_error (error);
  fixture->texts = g_ptr_array_new_with_free_func (g_free);
  g_ptr_array_set_size (log_lines, 0);
}

/* Everything a user or a log could see must be free of secrets: the
 * flow's verifier and state, and the code and tokens of the tests. */
static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  user_data)
{
  const char *secrets[] = {
    _mend_oauth_flow_get_verifier (fixture->flow),
    _mend_oauth_flow_get_state (fixture->flow),
    AUTH_CODE, ACCESS_TOKEN, REFRESH_TOKEN, DEVICE_CODE,
  };

  g_ptr_array_extend_and_steal (fixture->texts, g_steal_pointer (&log_lines));
  log_lines = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < fixture->texts->len; i++)
    for (guint j = 0; j < G_N_ELEMENTS (secrets); j++)
      {
        const char *text = g_ptr_array_index (fixture->texts, i);

        if (strstr (text, secrets[j]) != NULL)
          g_error ("“%s” shows a secret", text);
      }

  g_ptr_array_unref (fixture->texts);
  g_clear_object (&fixture->flow);
  g_clear_object (&fixture->settings);
}

/* Keeps what @error shows, for the check in tear-down. */
static void
collect (Fixture      *fixture,
         const GError *error)
{
  g_autoptr(MendFinding) finding = mend_oauth_error_get_finding (error);

  g_ptr_array_add (fixture->texts, g_strdup (error->message));
  g_assert_nonnull (finding);
  g_ptr_array_add (fixture->texts, g_strdup (mend_finding_get_title (finding)));
  g_ptr_array_add (fixture->texts, g_strdup (mend_finding_get_explanation (finding)));
  g_ptr_array_add (fixture->texts, g_strdup (mend_finding_get_remedy (finding)));
  if (mend_finding_get_details (finding))
    g_ptr_array_add (fixture->texts, g_strdup (mend_finding_get_details (finding)));
  if (mend_finding_get_link (finding))
    g_ptr_array_add (fixture->texts, g_strdup (mend_finding_get_link (finding)));
}

static GHashTable *
parse_query (const char *uri)
{
  g_autoptr(GUri) parsed = g_uri_parse (uri, G_URI_FLAGS_ENCODED_QUERY, NULL);
  g_autoptr(GError) error = NULL;
  GHashTable *params;

  g_assert_nonnull (parsed);
  params = g_uri_parse_params (g_uri_get_query (parsed), -1, "&", G_URI_PARAMS_WWW_FORM, &error);
  g_assert_no_error (error);

  return params;
}

static GHashTable *
parse_form (const char *body)
{
  g_autoptr(GError) error = NULL;
  GHashTable *params;

  params = g_uri_parse_params (body, -1, "&", G_URI_PARAMS_WWW_FORM, &error);
  g_assert_no_error (error);

  return params;
}

static char *
redirect_with (const char *query)
{
  return g_strconcat (REDIRECT "?", query, NULL);
}

static char *
base64url (const char *text)
{
  return _mend_oauth_base64url_encode ((const guint8 *) text, strlen (text));
}

static char *
make_jwt (const char *payload)
{
  g_autofree char *header = base64url ("{\"typ\":\"JWT\",\"alg\":\"RS256\",\"kid\":\"abc\"}");
  g_autofree char *body = base64url (payload);

  return g_strconcat (header, ".", body, ".c2lnbmF0dXJl", NULL);
}

/* RFC 7636 Appendix B. */
static void
test_rfc7636_vector (void)
{
  g_autofree char *challenge = NULL;

  challenge = _mend_oauth_compute_challenge ("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk");
  g_assert_cmpstr (challenge, ==, "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");
}

static void
test_base64url (void)
{
  static const guint8 bytes[] = { 0xfb, 0xff, 0xbf };
  static const guint8 two[] = { 0xfb, 0xff };
  g_autofree char *three = _mend_oauth_base64url_encode (bytes, sizeof bytes);
  g_autofree char *padded = _mend_oauth_base64url_encode (two, sizeof two);

  g_assert_cmpstr (three, ==, "-_-_");
  g_assert_cmpstr (padded, ==, "-_8");
}

static void
test_verifier (void)
{
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  guint counts[256] = { 0, };

  for (guint i = 0; i < 200; i++)
    {
      char *verifier = _mend_oauth_generate_verifier ();

      g_assert_cmpuint (strlen (verifier), ==, 64);
      for (const char *p = verifier; *p; p++)
        {
          g_assert_true (g_ascii_isalnum (*p) || strchr ("-._~", *p) != NULL);
          counts[(guint8) *p]++;
        }
      g_assert_false (g_hash_table_contains (seen, verifier));
      g_hash_table_add (seen, verifier);
    }

  /* 12 800 draws over 66 characters: each shows up (about 194 times). */
  for (const char *p = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~"; *p; p++)
    g_assert_cmpuint (counts[(guint8) *p], >, 80);
}

static void
test_flow_secrets (void)
{
  g_autoptr(MendOAuthSettings) settings = mend_oauth_settings_new ();
  g_autoptr(MendOAuthFlow) a = NULL;
  g_autoptr(MendOAuthFlow) b = NULL;

  g_assert_true (mend_oauth_settings_set_client_id (settings, CLIENT_ID, NULL));
  a = mend_oauth_flow_new (settings, NULL);
  b = mend_oauth_flow_new (settings, NULL);

  g_assert_cmpuint (strlen (_mend_oauth_flow_get_verifier (a)), ==, 64);
  g_assert_cmpstr (_mend_oauth_flow_get_verifier (a), !=, _mend_oauth_flow_get_verifier (b));
  /* At least 128 bits: 22 base64url characters. */
  g_assert_cmpuint (strlen (_mend_oauth_flow_get_state (a)), >=, 22);
  g_assert_cmpstr (_mend_oauth_flow_get_state (a), !=, _mend_oauth_flow_get_state (b));
}

static void
test_no_client_id (void)
{
  g_autoptr(MendOAuthSettings) settings = mend_oauth_settings_new ();
  g_autoptr(MendOAuthFlow) flow = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(MendFinding) finding = NULL;

  if (mend_oauth_settings_has_client_id (settings))
    {
      g_test_skip ("This build has a client id");
      return;
    }

  flow = mend_oauth_flow_new (settings, &error);
  g_assert_null (flow);
  g_assert_error (error, MEND_OAUTH_ERROR, MEND_OAUTH_ERROR_CLIENT_ID_MISSING);
  finding = mend_oauth_error_get_finding (error);
  g_assert_cmpstr (mend_finding_get_id (finding), ==, "client-id-missing");
}

static void
test_flow_copies_settings (Fixture       *fixture,
                           gconstpointer  user_data)
{
  g_autofree char *url = NULL;

  g_assert_true (mend_oauth_settings_set_tenant (fixture->settings, "consumers", NULL));
  url = mend_oauth_flow_build_authorize_url (fixture->flow, NULL, NULL);
  g_assert_true (g_str_has_prefix (url, "https://login.microsoftonline.com/common/"));
}

static void
test_authorize_url (Fixture       *fixture,
                    gconstpointer  user_data)
{
  g_autofree char *url = NULL;
  g_autofree char *challenge = NULL;
  g_autoptr(GHashTable) params = NULL;
  g_autoptr(GUri) parsed = NULL;

  url = mend_oauth_flow_build_authorize_url (fixture->flow, "jo+mail@outlook.com", "consumers");
  parsed = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);
  g_assert_nonnull (parsed);
  g_assert_cmpstr (g_uri_get_scheme (parsed), ==, "https");
  g_assert_cmpstr (g_uri_get_host (parsed), ==, "login.microsoftonline.com");
  g_assert_cmpstr (g_uri_get_path (parsed), ==, "/common/oauth2/v2.0/authorize");

  params = parse_query (url);
  challenge = _mend_oauth_compute_challenge (_mend_oauth_flow_get_verifier (fixture->flow));
  g_assert_cmpstr (g_hash_table_lookup (params, "client_id"), ==, CLIENT_ID);
  g_assert_cmpstr (g_hash_table_lookup (params, "response_type"), ==, "code");
  g_assert_cmpstr (g_hash_table_lookup (params, "redirect_uri"), ==, REDIRECT);
  g_assert_cmpstr (g_hash_table_lookup (params, "response_mode"), ==, "query");
  g_assert_cmpstr (g_hash_table_lookup (params, "scope"), ==,
                   mend_oauth_settings_get_scope_string (fixture->settings));
  g_assert_cmpstr (g_hash_table_lookup (params, "state"), ==,
                   _mend_oauth_flow_get_state (fixture->flow));
  g_assert_cmpstr (g_hash_table_lookup (params, "code_challenge"), ==, challenge);
  g_assert_cmpstr (g_hash_table_lookup (params, "code_challenge_method"), ==, "S256");
  g_assert_cmpstr (g_hash_table_lookup (params, "prompt"), ==, "select_account");
  g_assert_cmpstr (g_hash_table_lookup (params, "login_hint"), ==, "jo+mail@outlook.com");
  g_assert_cmpstr (g_hash_table_lookup (params, "domain_hint"), ==, "consumers");
  g_assert_cmpuint (g_hash_table_size (params), ==, 11);

  /* The verifier itself never leaves. */
  g_assert_null (strstr (url, _mend_oauth_flow_get_verifier (fixture->flow)));
}

static void
test_authorize_url_minimal (Fixture       *fixture,
                            gconstpointer  user_data)
{
  g_autoptr(MendOAuthFlow) flow = NULL;
  g_autofree char *url = NULL;
  g_autoptr(GHashTable) params = NULL;

  mend_oauth_settings_set_include_pop (fixture->settings, TRUE);
  g_assert_true (mend_oauth_settings_set_authority (fixture->settings, "http://127.0.0.1:8080",
                                                    NULL));
  g_assert_true (mend_oauth_settings_set_tenant (fixture->settings, "organizations", NULL));
  flow = mend_oauth_flow_new (fixture->settings, NULL);
  url = mend_oauth_flow_build_authorize_url (flow, NULL, NULL);
  g_assert_true (g_str_has_prefix (url, "http://127.0.0.1:8080/organizations/oauth2/v2.0/authorize?"));

  params = parse_query (url);
  g_assert_false (g_hash_table_contains (params, "login_hint"));
  g_assert_false (g_hash_table_contains (params, "domain_hint"));
  g_assert_nonnull (strstr (g_hash_table_lookup (params, "scope"), MEND_OAUTH_SCOPE_POP));

  g_assert_cmpstr (mend_oauth_domain_hint_for_tenant_type (MEND_TENANT_TYPE_CONSUMER), ==,
                   "consumers");
  g_assert_cmpstr (mend_oauth_domain_hint_for_tenant_type (MEND_TENANT_TYPE_ORGANIZATION), ==,
                   "organizations");
  g_assert_null (mend_oauth_domain_hint_for_tenant_type (MEND_TENANT_TYPE_UNKNOWN));
}

static void
test_is_redirect (Fixture       *fixture,
                  gconstpointer  user_data)
{
  static const struct {
    const char *uri;
    gboolean    is_redirect;
  } cases[] = {
    { REDIRECT, TRUE },
    { REDIRECT "?code=x&state=y", TRUE },
    { "HTTPS://LOGIN.MICROSOFTONLINE.COM/common/oauth2/nativeclient?code=x", TRUE },
    { "https://login.microsoftonline.com:443/common/oauth2/nativeclient", TRUE },
    { " " REDIRECT "?code=x\n", TRUE },
    /* Look-alikes. */
    { "https://login.microsoftonline.com/common/oauth2/nativeclient2", FALSE },
    { "https://login.microsoftonline.com/common/oauth2/nativeclient/evil", FALSE },
    { "https://login.microsoftonline.com/common/oauth2/nativeclientx?code=x", FALSE },
    { "https://login.microsoftonline.com/common/oauth2/NativeClient", FALSE },
    { "https://login.microsoftonline.com/consumers/oauth2/nativeclient", FALSE },
    { "https://login.microsoftonline.com.evil.example/common/oauth2/nativeclient", FALSE },
    { "https://evil.example/common/oauth2/nativeclient", FALSE },
    { "https://evil.example/?u=" REDIRECT, FALSE },
    { "https://login.microsoftonline.com@evil.example/common/oauth2/nativeclient", FALSE },
    { "https://someone@login.microsoftonline.com/common/oauth2/nativeclient", FALSE },
    { "http://login.microsoftonline.com/common/oauth2/nativeclient", FALSE },
    { "https://login.microsoftonline.com:8443/common/oauth2/nativeclient", FALSE },
    { "https://login.microsoftonline.com/common/oauth2/v2.0/authorize", FALSE },
    { "about:blank", FALSE },
    { "", FALSE },
    { "not a uri", FALSE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_test_message ("%s", cases[i].uri);
      g_assert_cmpint (mend_oauth_flow_is_redirect (fixture->flow, cases[i].uri), ==,
                       cases[i].is_redirect);
    }

  g_assert_false (mend_oauth_flow_is_redirect (fixture->flow, NULL));
}

static void
test_redirect_good (Fixture       *fixture,
                    gconstpointer  user_data)
{
  g_autofree char *query = NULL;
  g_autofree char *uri = NULL;
  g_autofree char *code = NULL;
  g_autoptr(GError) error = NULL;

  query = g_strdup_printf ("code=%s&state=%s&session_state=abc",
                           AUTH_CODE, _mend_oauth_flow_get_state (fixture->flow));
  uri = redirect_with (query);

  g_assert_true (mend_oauth_flow_parse_redirect (fixture->flow, uri, &code, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (code, ==, AUTH_CODE);
}

static void
test_redirect_encoded (Fixture       *fixture,
                       gconstpointer  user_data)
{
  g_autofree char *uri = NULL;
  g_autofree char *code = NULL;
  g_autoptr(GError) error = NULL;

  /* The code is percent-encoded in the address; the state comes first. */
  uri = g_strdup_printf (REDIRECT "?state=%s&code=0.AAA%%2Bb%%2Fc%%3D",
                         _mend_oauth_flow_get_state (fixture->flow));
  g_assert_true (mend_oauth_flow_parse_redirect (fixture->flow, uri, &code, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (code, ==, "0.AAA+b/c=");
}

static void
test_redirect_state_mismatch (Fixture       *fixture,
                              gconstpointer  user_data)
{
  static const char *queries[] = {
    "code=" AUTH_CODE "&state=someone-elses-state",
    "code=" AUTH_CODE,
    "code=" AUTH_CODE "&state=",
    "error=access_denied&state=someone-elses-state",
  };

  for (guint i = 0; i < G_N_ELEMENTS (queries); i++)
    {
      g_autofree char *uri = redirect_with (queries[i]);
      g_autoptr(GError) error = NULL;
      g_autoptr(MendFinding) finding = NULL;
      char *code = NULL;

      g_test_message ("%s", queries[i]);
      g_assert_false (mend_oauth_flow_parse_redirect (fixture->flow, uri, &code, &error));
      g_assert_null (code);
      g_assert_error (error, MEND_OAUTH_ERROR, MEND_OAUTH_ERROR_STATE_MISMATCH);
      finding = mend_oauth_error_get_finding (error);
      g_assert_cmpstr (mend_finding_get_id (finding), ==, "state-mismatch");
      collect (fixture, error);
    }

  /* A state that merely starts like ours is not ours. */
  {
    g_autofree char *query = g_strdup_printf ("code=" AUTH_CODE "&state=%sx",
                                              _mend_oauth_flow_get_state (fixture->flow));
    g_autofree char *uri = redirect_with (query);
    g_autoptr(GError) error = NULL;
    char *code = NULL;

    g_assert_false (mend_oauth_flow_parse_redirect (fixture->flow, uri, &code, &error));
    g_assert_null (code);
    g_assert_error (error, MEND_OAUTH_ERROR, MEND_OAUTH_ERROR_STATE_MISMATCH);
    collect (fixture, error);
  }

  /* The refusals were logged (and are checked in tear-down). */
  g_assert_cmpuint (log_lines->len, >, 0);
}

static void
test_redirect_access_denied (Fixture       *fixture,
                             gconstpointer  user_data)
{
  g_autofree char *query = NULL;
  g_autofree char *uri = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(MendFinding) finding = NULL;
  char *code = NULL;

  query = g_strdup_printf ("error=access_denied&error_description=The+user+has+denied+access"
                           "+to+the+scope+requested+by+the+client+application.&state=%s",
                           _mend_oauth_flow_get_state (fixture->flow));
  uri = redirect_with (query);

  g_assert_false (mend_oauth_flow_parse_redirect (fixture->flow, uri, &code, &error));
  g_assert_null (code);
  g_assert_error (error, MEND_OAUTH_ERROR, MEND_OAUTH_ERROR_CONSENT_DECLINED);
  finding = mend_oauth_error_get_finding (error);
  g_assert_cmpstr (mend_finding_get_id (finding), ==, "consent-declined");
  g_assert_nonnull (strstr (mend_finding_get_details (finding), "error: access_denied"));
  g_assert_nonnull (strstr (mend_finding_get_details (finding), "The user has denied access"));
  collect (fixture, error);
}

static void
test_redirect_aadsts (Fixture       *fixture,
                      gconstpointer  user_data)
{
  g_autofree char *query = NULL;
  g_autofree char *uri = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(MendFinding) finding = NULL;
  char *code = NULL;

  /* Microsoft's error redirect: AADSTS code and ids only in the description;
   * a code-looking string in it is cut out. */
  query = g_strdup_printf ("error=invalid_request&error_description=AADSTS50011%%3a+The+redirect"
                           "+URI+specified+in+the+request+does+not+match+(" AUTH_CODE ")."
                           "%%0d%%0aTrace+ID%%3a+" TRACE_ID "%%0d%%0aCorrelation+ID%%3a+"
                           "aaaabbbb-cccc-dddd-eeee-ffff00001111%%0d%%0aTimestamp%%3a+"
                           "2026-03-01+10%%3a00%%3a00Z&state=%s",
                           _mend_oauth_flow_get_state (fixture->flow));
  uri = redirect_with (query);

  g_assert_false (mend_oauth_flow_parse_redirect (fixture->flow, uri, &code, &error));
  g_assert_null (code);
  g_assert_error (error, MEND_OAUTH_ERROR, MEND_OAUTH_ERROR_APP_NOT_REGISTERED);
  g_assert_cmpuint (mend_oauth_error_get_aadsts (error), ==, 50011);
  g_assert_cmpstr (mend_oauth_error_get_trace_id (error), ==, TRACE_ID);
  g_assert_cmpstr (mend_oauth_error_get_correlation_id (error), ==,
                   "aaaabbbb-cccc-dddd-eeee-ffff00001111");
  finding = mend_oauth_error_get_finding (error);
  g_assert_cmpstr (mend_finding_get_id (finding), ==, "app-not-registered");
  g_assert_nonnull (strstr (mend_finding_get_details (finding), "AADSTS50011"));
  g_assert_nonnull (strstr (mend_finding_get_details (finding), TRACE_ID));
  g_assert_nonnull (strstr (mend_finding_get_details (finding), "[redacted]"));
  collect (fixture, error);
}

static void
test_redirect_consent_at_work (Fixture       *fixture,
                               gconstpointer  user_data)
{
  g_autoptr(MendOAuthFlow) flow = NULL;
  g_autofree char *query = NULL;
  g_autofree char *uri = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(MendFinding) finding = NULL;

  g_assert_true (mend_oauth_settings_set_tenant (fixture->settings, "contoso.com", NULL));
  flow = mend_oauth_flow_new (fixture->settings, NULL);
  query = g_strdup_printf ("error=consent_required&error_description=AADSTS65001%%3a+The+user+or"
                           "+administrator+has+not+consented.&state=%s",
                           _mend_oauth_flow_get_state (flow));
  uri = redirect_with (query);

  g_assert_false (mend_oauth_flow_parse_redirect (flow, uri, NULL, &error));
  g_assert_error (error, MEND_OAUTH_ERROR, MEND_OAUTH_ERROR_ADMIN_CONSENT_REQUIRED);
  finding = mend_oauth_error_get_finding (error);
  g_assert_cmpstr (mend_finding_get_link (finding), ==,
                   "https://login.microsoftonline.com/contoso.com/adminconsent?client_id="
                   CLIENT_ID);
}

static void
test_redirect_refused (Fixture       *fixture,
                       gconstpointer  user_data)
{
  const char *state = _mend_oauth_flow_get_state (fixture->flow);
  g_autofree char *good_query = g_strdup_printf ("code=%s&state=%s", AUTH_CODE, state);
  g_autofree char *lookalike_path = g_strdup_printf (REDIRECT "2?%s", good_query);
  g_autofree char *lookalike_sub = g_strdup_printf (REDIRECT "/x?%s", good_query);
  g_autofree char *lookalike_host = g_strdup_printf ("https://login.microsoftonline.com.evil.example"
                                                     "/common/oauth2/nativeclient?%s", good_query);
  g_autofree char *other_host = g_strdup_printf ("https://evil.example/common/oauth2/nativeclient?%s",
                                                 good_query);
  g_autofree char *missing_code = g_strdup_printf (REDIRECT "?state=%s", state);
  g_autofree char *empty_code = g_strdup_printf (REDIRECT "?code=&state=%s", state);
  g_autofree char *twice_code = g_strdup_printf (REDIRECT "?code=a&state=%s&code=%s", state,
                                                 AUTH_CODE);
  g_autofree char *twice_state = g_strdup_printf (REDIRECT "?code=%s&state=%s&state=%s",
                                                  AUTH_CODE, state, state);
  g_autofree char *in_fragment = g_strdup_printf (REDIRECT "#%s", good_query);
  g_autofree char *bad_encoding = g_strdup_printf (REDIRECT "?code=%%zz&state=%s", state);
  const char *uris[] = {
    lookalike_path, lookalike_sub, lookalike_host, other_host, missing_code, empty_code,
    twice_code, twice_state, in_fragment, bad_encoding, REDIRECT, "",
  };

  for (guint i = 0; i < G_N_ELEMENTS (uris); i++)
    {
      g_autoptr(GError) error = NULL;
      char *code = NULL;

      g_test_message ("%u", i);
      g_assert_false (mend_oauth_flow_parse_redirect (fixture->flow, uris[i], &code, &error));
      g_assert_null (code);
      g_assert_error (error, MEND_OAUTH_ERROR, MEND_OAUTH_ERROR_REDIRECT_INVALID);
      collect (fixture, error);
    }
}

static void
test_code_grant_body (Fixture       *fixture,
                      gconstpointer  user_data)
{
  g_autofree char *body = mend_oauth_flow_build_code_grant_body (fixture->flow, AUTH_CODE "+/=");
  g_autoptr(GHashTable) form = parse_form (body);

  g_assert_cmpstr (g_hash_table_lookup (form, "client_id"), ==, CLIENT_ID);
  g_assert_cmpstr (g_hash_table_lookup (form, "grant_type"), ==, "authorization_code");
  g_assert_cmpstr (g_hash_table_lookup (form, "code"), ==, AUTH_CODE "+/=");
  g_assert_cmpstr (g_hash_table_lookup (form, "redirect_uri"), ==, REDIRECT);
  g_assert_cmpstr (g_hash_table_lookup (form, "code_verifier"), ==,
                   _mend_oauth_flow_get_verifier (fixture->flow));
  g_assert_cmpstr (g_hash_table_lookup (form, "scope"), ==,
                   mend_oauth_settings_get_scope_string (fixture->settings));
  g_assert_cmpuint (g_hash_table_size (form), ==, 6);
  g_assert_null (g_hash_table_lookup (form, "client_secret"));
}

static void
test_refresh_and_device_bodies (Fixture       *fixture,
                                gconstpointer  user_data)
{
  g_autofree char *refresh = mend_oauth_build_refresh_grant_body (fixture->settings, REFRESH_TOKEN);
  g_autofree char *start = mend_oauth_build_device_code_body (fixture->settings);
  g_autofree char *poll = mend_oauth_build_device_code_poll_body (fixture->settings, DEVICE_CODE);
  g_autoptr(GHashTable) refresh_form = parse_form (refresh);
  g_autoptr(GHashTable) start_form = parse_form (start);
  g_autoptr(GHashTable) poll_form = parse_form (poll);

  g_assert_cmpstr (g_hash_table_lookup (refresh_form, "grant_type"), ==, "refresh_token");
  g_assert_cmpstr (g_hash_table_lookup (refresh_form, "refresh_token"), ==, REFRESH_TOKEN);
  g_assert_cmpstr (g_hash_table_lookup (refresh_form, "client_id"), ==, CLIENT_ID);
  g_assert_cmpstr (g_hash_table_lookup (refresh_form, "scope"), ==,
                   mend_oauth_settings_get_scope_string (fixture->settings));
  g_assert_cmpuint (g_hash_table_size (refresh_form), ==, 4);

  g_assert_cmpstr (g_hash_table_lookup (start_form, "client_id"), ==, CLIENT_ID);
  g_assert_cmpstr (g_hash_table_lookup (start_form, "scope"), ==,
                   mend_oauth_settings_get_scope_string (fixture->settings));
  g_assert_cmpuint (g_hash_table_size (start_form), ==, 2);

  g_assert_cmpstr (g_hash_table_lookup (poll_form, "grant_type"), ==,
                   "urn:ietf:params:oauth:grant-type:device_code");
  g_assert_cmpstr (g_hash_table_lookup (poll_form, "device_code"), ==, DEVICE_CODE);
  g_assert_cmpstr (g_hash_table_lookup (poll_form, "client_id"), ==, CLIENT_ID);
  g_assert_cmpuint (g_hash_table_size (poll_form), ==, 3);
}

static char *
token_json (const char *extra)
{
  return g_strdup_printf ("{\"token_type\": \"Bearer\", \"scope\": \"https://outlook.office.com/"
                          "IMAP.AccessAsUser.All https://outlook.office.com/SMTP.Send\", "
                          "\"expires_in\": 3599, \"ext_expires_in\": 3599, "
                          "\"access_token\": \"" ACCESS_TOKEN "\"%s}", extra);
}

static void
test_token_response (Fixture       *fixture,
                     gconstpointer  user_data)
{
  g_autofree char *jwt = make_jwt ("{\"aud\": \"" CLIENT_ID "\", \"tid\": \""
                                   MEND_CONSUMER_TENANT_ID "\", \"preferred_username\": "
                                   "\"jo@outlook.com\", \"oid\": \"0000-1111\"}");
  g_autofree char *extra = g_strdup_printf (", \"refresh_token\": \"" REFRESH_TOKEN "\", "
                                            "\"id_token\": \"%s\"", jwt);
  g_autofree char *json = token_json (extra);
  g_autoptr(MendOAuthToken) token = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GError) error = NULL;
  const char * const *scopes;
  GTimeSpan remaining;

  token = mend_oauth_token_response_parse (json, fixture->settings, "Jo@Outlook.com", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (mend_oauth_token_get_address (token), ==, "Jo@Outlook.com");
  g_assert_cmpstr (mend_oauth_token_get_access_token (token), ==, ACCESS_TOKEN);
  g_assert_cmpstr (mend_oauth_token_get_refresh_token (token), ==, REFRESH_TOKEN);
  g_assert_cmpstr (mend_oauth_token_get_tenant_id (token), ==, MEND_CONSUMER_TENANT_ID);
  g_assert_cmpint (mend_oauth_token_get_tenant_type (token), ==, MEND_TENANT_TYPE_CONSUMER);
  g_assert_cmpstr (mend_oauth_token_get_authority (token), ==, MEND_OAUTH_DEFAULT_AUTHORITY);
  g_assert_cmpstr (mend_oauth_token_get_tenant (token), ==, "common");
  g_assert_cmpstr (mend_oauth_token_get_client_id (token), ==, CLIENT_ID);
  g_assert_nonnull (mend_oauth_token_get_last_refresh (token));

  remaining = g_date_time_difference (mend_oauth_token_get_expires_at (token), now);
  g_assert_cmpint (remaining, >, 3590 * G_TIME_SPAN_SECOND);
  g_assert_cmpint (remaining, <=, 3600 * G_TIME_SPAN_SECOND);

  scopes = mend_oauth_token_get_scopes (token);
  g_assert_cmpuint (g_strv_length ((char **) scopes), ==, 2);
  g_assert_cmpstr (scopes[0], ==, MEND_OAUTH_SCOPE_IMAP);
  g_assert_cmpstr (scopes[1], ==, MEND_OAUTH_SCOPE_SMTP);
}

static void
test_token_response_organization (Fixture       *fixture,
                                  gconstpointer  user_data)
{
  g_autofree char *jwt = make_jwt ("{\"tid\": \"" ORG_TID "\", \"email\": \"jo@contoso.com\", "
                                   "\"preferred_username\": \"jo@contoso.onmicrosoft.com\"}");
  g_autofree char *extra = g_strdup_printf (", \"id_token\": \"%s\"", jwt);
  g_autofree char *json = token_json (extra);
  g_autoptr(MendOAuthToken) token = NULL;
  g_autoptr(GError) error = NULL;

  /* No address given: the id_token's; no refresh token (a refresh answer
   * may lack one, the caller keeps the old). */
  token = mend_oauth_token_response_parse (json, fixture->settings, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (mend_oauth_token_get_address (token), ==, "jo@contoso.com");
  g_assert_null (mend_oauth_token_get_refresh_token (token));
  g_assert_cmpstr (mend_oauth_token_get_tenant_id (token), ==, ORG_TID);
  g_assert_cmpint (mend_oauth_token_get_tenant_type (token), ==, MEND_TENANT_TYPE_ORGANIZATION);
}

static void
test_token_response_minimal (Fixture       *fixture,
                             gconstpointer  user_data)
{
  g_autoptr(MendOAuthToken) token = NULL;
  g_autoptr(MendOAuthToken) bad_id_token = NULL;
  g_autoptr(GError) error = NULL;

  /* No scope: the ones asked for; expires_in as a string; no id_token. */
  token = mend_oauth_token_response_parse ("{\"access_token\": \"" ACCESS_TOKEN "\", "
                                           "\"expires_in\": \"60\"}",
                                           fixture->settings, "jo@outlook.com", &error);
  g_assert_no_error (error);
  g_assert_true (g_strv_equal ((const char * const *) mend_oauth_token_get_scopes (token),
                               mend_oauth_settings_get_scopes (fixture->settings)));
  g_assert_true (mend_oauth_token_expires_within (token, 61 * G_TIME_SPAN_SECOND));
  g_assert_false (mend_oauth_token_expires_within (token, 50 * G_TIME_SPAN_SECOND));
  g_assert_cmpint (mend_oauth_token_get_tenant_type (token), ==, MEND_TENANT_TYPE_UNKNOWN);

  /* A broken id_token is only display data: ignored. */
  bad_id_token = mend_oauth_token_response_parse ("{\"access_token\": \"" ACCESS_TOKEN "\", "
                                                  "\"id_token\": \"not-a-jwt\"}",
                                                  fixture->settings, "jo@outlook.com", &error);
  g_assert_no_error (error);
  g_assert_null (mend_oauth_token_get_tenant_id (bad_id_token));
}

static void
test_token_response_malformed (Fixture       *fixture,
                               gconstpointer  user_data)
{
  static const char *answers[] = {
    "",
    "<html><body>502 Bad Gateway</body></html>",
    "{\"access_token\": \"" ACCESS_TOKEN "\"",
    "[\"" ACCESS_TOKEN "\"]",
    "{}",
    "{\"access_token\": 42}",
    "{\"access_token\": \"\"}",
    "{\"access_token\": \"" ACCESS_TOKEN "\", \"token_type\": \"mac\"}",
  };

  for (guint i = 0; i < G_N_ELEMENTS (answers); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(MendFinding) finding = NULL;

      g_test_message ("%s", answers[i]);
      g_assert_null (mend_oauth_token_response_parse (answers[i], fixture->settings,
                                                      "jo@outlook.com", &error));
      g_assert_error (error, MEND_OAUTH_ERROR, MEND_OAUTH_ERROR_PROVIDER_ERROR);
      finding = mend_oauth_error_get_finding (error);
      g_assert_cmpstr (mend_finding_get_id (finding), ==, "provider-error");
      collect (fixture, error);
    }

  /* No address anywhere. */
  {
    g_autoptr(GError) error = NULL;

    g_assert_null (mend_oauth_token_response_parse ("{\"access_token\": \"" ACCESS_TOKEN "\"}",
                                                    fixture->settings, NULL, &error));
    g_assert_error (error, MEND_OAUTH_ERROR, MEND_OAUTH_ERROR_PROVIDER_ERROR);
    collect (fixture, error);
  }
}

static void
test_token_response_error (Fixture       *fixture,
                           gconstpointer  user_data)
{
  static const struct {
    const char *json;
    MendOAuthError code;
  } answers[] = {
    { "{\"error\": \"invalid_grant\", \"error_description\": \"AADSTS70000: The provided value "
      "for the input parameter 'refresh_token' or 'assertion' is not valid. Trace ID: " TRACE_ID
      " Correlation ID: 5e0f3c1a-2b4d-4c6e-8f10-a2b3c4d5e6f7 Timestamp: 2026-03-01 10:00:00Z\", "
      "\"error_codes\": [70000], \"timestamp\": \"2026-03-01 10:00:00Z\", \"trace_id\": \""
      TRACE_ID "\", \"correlation_id\": \"5e0f3c1a-2b4d-4c6e-8f10-a2b3c4d5e6f7\", "
      "\"error_uri\": \"https://login.microsoftonline.com/error?code=70000\"}",
      MEND_OAUTH_ERROR_TOKEN_EXPIRED },
    { "{\"error\": \"invalid_grant\", \"error_description\": \"AADSTS54005: OAuth2 Authorization "
      "code was already redeemed, please retry with a new valid code: " AUTH_CODE "\", "
      "\"error_codes\": [54005]}", MEND_OAUTH_ERROR_CODE_EXPIRED },
    { "{\"error\": \"authorization_pending\", \"error_description\": \"AADSTS70016: OAuth 2.0 "
      "device flow error. Authorization is pending.\", \"error_codes\": [70016]}",
      MEND_OAUTH_ERROR_AUTHORIZATION_PENDING },
    { "{\"error\": \"slow_down\"}", MEND_OAUTH_ERROR_SLOW_DOWN },
    { "{\"error\": \"expired_token\", \"error_codes\": [70019]}",
      MEND_OAUTH_ERROR_DEVICE_CODE_EXPIRED },
    { "{\"error\": \"authorization_declined\"}", MEND_OAUTH_ERROR_DEVICE_CODE_DECLINED },
    { "{\"error\": \"bad_verification_code\"}", MEND_OAUTH_ERROR_DEVICE_CODE_INVALID },
    { "{\"error\": \"server_error\", \"access_token\": \"" ACCESS_TOKEN "\"}",
      MEND_OAUTH_ERROR_PROVIDER_ERROR },
  };

  for (guint i = 0; i < G_N_ELEMENTS (answers); i++)
    {
      g_autoptr(GError) error = NULL;

      g_test_message ("%u", i);
      g_assert_null (mend_oauth_token_response_parse (answers[i].json, fixture->settings,
                                                      "jo@outlook.com", &error));
      g_assert_error (error, MEND_OAUTH_ERROR, answers[i].code);
      collect (fixture, error);

      if (i == 0)
        {
          g_autoptr(MendFinding) finding = mend_oauth_error_get_finding (error);
          const char *details = mend_finding_get_details (finding);

          g_assert_cmpstr (mend_finding_get_id (finding), ==, "token-expired");
          g_assert_nonnull (strstr (details, "AADSTS70000"));
          g_assert_nonnull (strstr (details, "trace id: " TRACE_ID));
          g_assert_nonnull (strstr (details, "correlation id: 5e0f3c1a-2b4d-4c6e-8f10-a2b3c4d5e6f7"));
          g_assert_nonnull (strstr (details, "error: invalid_grant"));
          /* The description without Microsoft's trailing ids. */
          g_assert_null (strstr (details, "Timestamp"));
        }
    }
}

static void
test_id_token (void)
{
  g_autofree char *jwt = make_jwt ("{\"preferred_username\": \"jo@contoso.com\", "
                                   "\"email\": \"jo.smith@contoso.com\", \"name\": \"Jo Smith\", "
                                   "\"tid\": \"" ORG_TID "\", \"oid\": \"00000000-0000-0000-66f3-3332eca7ea81\", "
                                   "\"ver\": \"2.0\", \"exp\": 1700000000}");
  g_autofree char *unsigned_jwt = NULL;
  g_autofree char *phone = make_jwt ("{\"preferred_username\": \"+44 20 7946 0000\"}");
  g_autofree char *array = make_jwt ("[1, 2]");
  g_autoptr(MendOAuthIdToken) claims = NULL;
  g_autoptr(MendOAuthIdToken) copy = NULL;
  g_autoptr(MendOAuthIdToken) unsigned_claims = NULL;
  g_autoptr(MendOAuthIdToken) phone_claims = NULL;
  const char *broken[] = {
    "", "abc", "a.b", "a.b.c.d", "eyJhbGciOiJub25lIn0..sig", "eyJhbGciOiJub25lIn0.!!!.sig",
    "eyJhbGciOiJub25lIn0.bm90IGpzb24.sig", array,
  };

  claims = mend_oauth_id_token_parse (jwt, NULL);
  g_assert_nonnull (claims);
  g_assert_cmpstr (claims->preferred_username, ==, "jo@contoso.com");
  g_assert_cmpstr (claims->email, ==, "jo.smith@contoso.com");
  g_assert_cmpstr (claims->name, ==, "Jo Smith");
  g_assert_cmpstr (claims->tid, ==, ORG_TID);
  g_assert_cmpstr (claims->oid, ==, "00000000-0000-0000-66f3-3332eca7ea81");
  g_assert_cmpint (mend_oauth_id_token_get_tenant_type (claims), ==, MEND_TENANT_TYPE_ORGANIZATION);
  g_assert_cmpstr (mend_oauth_id_token_get_address (claims), ==, "jo.smith@contoso.com");

  copy = mend_oauth_id_token_copy (claims);
  g_assert_cmpstr (copy->tid, ==, ORG_TID);

  /* alg “none”: an empty signature is still readable. */
  unsigned_jwt = g_strndup (jwt, strrchr (jwt, '.') - jwt + 1);
  unsigned_claims = mend_oauth_id_token_parse (unsigned_jwt, NULL);
  g_assert_nonnull (unsigned_claims);
  g_assert_cmpstr (unsigned_claims->tid, ==, ORG_TID);

  /* A phone number is no address. */
  phone_claims = mend_oauth_id_token_parse (phone, NULL);
  g_assert_null (mend_oauth_id_token_get_address (phone_claims));
  g_assert_cmpint (mend_oauth_id_token_get_tenant_type (phone_claims), ==, MEND_TENANT_TYPE_UNKNOWN);

  for (guint i = 0; i < G_N_ELEMENTS (broken); i++)
    {
      g_autoptr(GError) error = NULL;

      g_test_message ("%s", broken[i]);
      g_assert_null (mend_oauth_id_token_parse (broken[i], &error));
      g_assert_error (error, MEND_OAUTH_ERROR, MEND_OAUTH_ERROR_PROVIDER_ERROR);
    }
}

static void
test_device_code (Fixture       *fixture,
                  gconstpointer  user_data)
{
  g_autoptr(MendOAuthDeviceCode) code = NULL;
  g_autoptr(MendOAuthDeviceCode) defaults = NULL;
  g_autoptr(MendOAuthDeviceCode) copy = NULL;
  g_autoptr(GError) error = NULL;
  static const char *broken[] = {
    "nope",
    "{\"user_code\": \"ABCD-EFGH\", \"verification_uri\": \"https://www.microsoft.com/link\"}",
    "{\"device_code\": \"" DEVICE_CODE "\", \"verification_uri\": \"https://microsoft.com/link\"}",
    "{\"device_code\": \"" DEVICE_CODE "\", \"user_code\": \"ABCD\"}",
    "{\"device_code\": \"" DEVICE_CODE "\", \"user_code\": \"ABCD\", "
    "\"verification_uri\": \"http://www.microsoft.com/link\"}",
    "{\"device_code\": \"" DEVICE_CODE "\", \"user_code\": \"ABCD\", "
    "\"verification_uri\": \"javascript:alert(1)\"}",
  };

  code = mend_oauth_device_code_parse ("{\"user_code\": \"FRXZ-KQ2P\", \"device_code\": \""
                                       DEVICE_CODE "\", \"verification_uri\": "
                                       "\"https://www.microsoft.com/link\", \"expires_in\": 900, "
                                       "\"interval\": 5, \"message\": \"To sign in, use a web "
                                       "browser to open the page https://www.microsoft.com/link "
                                       "and enter the code FRXZ-KQ2P to authenticate.\"}",
                                       fixture->settings, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (code->device_code, ==, DEVICE_CODE);
  g_assert_cmpstr (code->user_code, ==, "FRXZ-KQ2P");
  g_assert_cmpstr (code->verification_uri, ==, "https://www.microsoft.com/link");
  g_assert_cmpuint (code->expires_in, ==, 900);
  g_assert_cmpuint (code->interval, ==, 5);
  g_assert_nonnull (strstr (code->message, "FRXZ-KQ2P"));

  copy = mend_oauth_device_code_copy (code);
  g_assert_cmpstr (copy->device_code, ==, DEVICE_CODE);

  /* The rig's fake on loopback; no interval or expiry: the defaults. */
  defaults = mend_oauth_device_code_parse ("{\"user_code\": \"A\", \"device_code\": \"B\", "
                                           "\"verification_uri\": \"http://127.0.0.1:8080/link\", "
                                           "\"interval\": 0}",
                                           fixture->settings, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (defaults->expires_in, ==, 900);
  g_assert_cmpuint (defaults->interval, ==, 5);
  g_assert_null (defaults->message);

  for (guint i = 0; i < G_N_ELEMENTS (broken); i++)
    {
      g_clear_error (&error);
      g_assert_null (mend_oauth_device_code_parse (broken[i], fixture->settings, &error));
      g_assert_error (error, MEND_OAUTH_ERROR, MEND_OAUTH_ERROR_PROVIDER_ERROR);
      collect (fixture, error);
    }

  g_clear_error (&error);
  g_assert_null (mend_oauth_device_code_parse ("{\"error\": \"invalid_client\", \"error_codes\": "
                                               "[7000218]}", fixture->settings, &error));
  g_assert_error (error, MEND_OAUTH_ERROR, MEND_OAUTH_ERROR_APP_NOT_REGISTERED);
  collect (fixture, error);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_set_prgname ("test-oauth-flow");
  log_lines = g_ptr_array_new_with_free_func (g_free);
  g_log_set_writer_func (capture_writer, NULL, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  g_test_add_func ("/oauth-flow/pkce/rfc7636-vector", test_rfc7636_vector);
  g_test_add_func ("/oauth-flow/pkce/base64url", test_base64url);
  g_test_add_func ("/oauth-flow/pkce/verifier", test_verifier);
  g_test_add_func ("/oauth-flow/pkce/flow-secrets", test_flow_secrets);
  g_test_add_func ("/oauth-flow/no-client-id", test_no_client_id);
  ADD ("/oauth-flow/copies-settings", test_flow_copies_settings);
  ADD ("/oauth-flow/authorize-url", test_authorize_url);
  ADD ("/oauth-flow/authorize-url-minimal", test_authorize_url_minimal);
  ADD ("/oauth-flow/is-redirect", test_is_redirect);
  ADD ("/oauth-flow/redirect/good", test_redirect_good);
  ADD ("/oauth-flow/redirect/encoded", test_redirect_encoded);
  ADD ("/oauth-flow/redirect/state-mismatch", test_redirect_state_mismatch);
  ADD ("/oauth-flow/redirect/access-denied", test_redirect_access_denied);
  ADD ("/oauth-flow/redirect/aadsts", test_redirect_aadsts);
  ADD ("/oauth-flow/redirect/consent-at-work", test_redirect_consent_at_work);
  ADD ("/oauth-flow/redirect/refused", test_redirect_refused);
  ADD ("/oauth-flow/bodies/code-grant", test_code_grant_body);
  ADD ("/oauth-flow/bodies/refresh-and-device", test_refresh_and_device_bodies);
  ADD ("/oauth-flow/token-response/consumer", test_token_response);
  ADD ("/oauth-flow/token-response/organization", test_token_response_organization);
  ADD ("/oauth-flow/token-response/minimal", test_token_response_minimal);
  ADD ("/oauth-flow/token-response/malformed", test_token_response_malformed);
  ADD ("/oauth-flow/token-response/error", test_token_response_error);
  g_test_add_func ("/oauth-flow/id-token", test_id_token);
  ADD ("/oauth-flow/device-code", test_device_code);

#undef ADD

  return g_test_run ();
}
