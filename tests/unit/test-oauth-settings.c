/* test-oauth-settings.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <gio/gio.h>
#include <glib/gstdio.h>

#include "mend-oauth-error.h"
#include "mend-oauth-settings.h"

#define CLIENT_ID "3f2a9c4e-1b7d-4e8a-9c0f-2d6b8e4a1c3f"

static void
test_defaults (void)
{
  g_autoptr(MendOAuthSettings) settings = mend_oauth_settings_new ();
  const char * const *scopes;

  g_assert_cmpstr (mend_oauth_settings_get_authority (settings), ==,
                   "https://login.microsoftonline.com");
  g_assert_cmpstr (mend_oauth_settings_get_tenant (settings), ==, "common");
  g_assert_cmpstr (mend_oauth_settings_get_redirect_uri (settings), ==,
                   "https://login.microsoftonline.com/common/oauth2/nativeclient");
  g_assert_cmpint (mend_oauth_settings_get_tenant_type (settings), ==, MEND_TENANT_TYPE_UNKNOWN);
  g_assert_false (mend_oauth_settings_is_loopback (settings));

  g_assert_cmpstr (mend_oauth_settings_get_scope_string (settings), ==,
                   "https://outlook.office.com/IMAP.AccessAsUser.All "
                   "https://outlook.office.com/SMTP.Send offline_access openid profile email");
  scopes = mend_oauth_settings_get_scopes (settings);
  g_assert_cmpuint (g_strv_length ((char **) scopes), ==, 6);
  g_assert_false (g_strv_contains (scopes, MEND_OAUTH_SCOPE_POP));

  /* The client id is the build option's, if it has one. */
  if (MICROSOFT_CLIENT_ID[0] != '\0')
    {
      g_assert_true (mend_oauth_settings_has_client_id (settings));
      g_assert_cmpstr (mend_oauth_settings_get_client_id (settings), ==, MICROSOFT_CLIENT_ID);
    }
  else
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(MendFinding) finding = NULL;

      g_assert_false (mend_oauth_settings_has_client_id (settings));
      g_assert_null (mend_oauth_settings_get_client_id (settings));
      g_assert_false (mend_oauth_settings_check_client_id (settings, &error));
      g_assert_error (error, MEND_OAUTH_ERROR, MEND_OAUTH_ERROR_CLIENT_ID_MISSING);
      finding = mend_oauth_error_get_finding (error);
      g_assert_cmpstr (mend_finding_get_id (finding), ==, "client-id-missing");
      g_assert_nonnull (strstr (mend_finding_get_remedy (finding), "--client-id"));
    }
}

static void
test_pop_scope (void)
{
  g_autoptr(MendOAuthSettings) settings = mend_oauth_settings_new ();

  mend_oauth_settings_set_include_pop (settings, TRUE);
  g_assert_true (mend_oauth_settings_get_include_pop (settings));
  g_assert_cmpstr (mend_oauth_settings_get_scope_string (settings), ==,
                   "https://outlook.office.com/IMAP.AccessAsUser.All "
                   "https://outlook.office.com/SMTP.Send "
                   "https://outlook.office.com/POP.AccessAsUser.All "
                   "offline_access openid profile email");
  g_assert_true (g_strv_contains (mend_oauth_settings_get_scopes (settings), MEND_OAUTH_SCOPE_POP));

  g_object_set (settings, "include-pop", FALSE, NULL);
  g_assert_false (g_strv_contains (mend_oauth_settings_get_scopes (settings),
                                   MEND_OAUTH_SCOPE_POP));
}

static void
test_client_id (void)
{
  static const struct {
    const char *value;
    gboolean    valid;
    const char *stored;
  } cases[] = {
    { CLIENT_ID, TRUE, CLIENT_ID },
    { "3F2A9C4E-1B7D-4E8A-9C0F-2D6B8E4A1C3F", TRUE, CLIENT_ID },
    { "  " CLIENT_ID "\n", TRUE, CLIENT_ID },
    { "00000000-0000-0000-0000-000000000000", TRUE, "00000000-0000-0000-0000-000000000000" },
    /* Typos. */
    { "3f2a9c4e-1b7d-4e8a-9c0f-2d6b8e4a1c3g", FALSE, NULL },
    { "3f2a9c4e-1b7d-4e8a-9c0f_2d6b8e4a1c3f", FALSE, NULL },
    { "3f2a9c4e1b7d-4e8a-9c0f-2d6b8e4a1c3f", FALSE, NULL },
    { "3f2a9c4-e1b7d-4e8a-9c0f-2d6b8e4a1c3f", FALSE, NULL },
    { "3f2a9c4e-1b7d-4e8a-9c0f-2d6b8e4a1c3f-", FALSE, NULL },
    { "3f2a9c4e 1b7d 4e8a 9c0f 2d6b8e4a1c3f", FALSE, NULL },
    /* Braces, as some tools print GUIDs. */
    { "{" CLIENT_ID "}", FALSE, NULL },
    /* Wrong length. */
    { "3f2a9c4e-1b7d-4e8a-9c0f-2d6b8e4a1c3", FALSE, NULL },
    { "3f2a9c4e-1b7d-4e8a-9c0f-2d6b8e4a1c3ff", FALSE, NULL },
    { "3f2a9c4e1b7d4e8a9c0f2d6b8e4a1c3f", FALSE, NULL },
    /* A legacy Live id, a client secret pasted by mistake. */
    { "0000000044067703", FALSE, NULL },
    { "abc8Q~xYz12345", FALSE, NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(MendOAuthSettings) settings = mend_oauth_settings_new ();
      g_autoptr(GError) error = NULL;
      g_autofree char *before = g_strdup (mend_oauth_settings_get_client_id (settings));
      gboolean ok;

      g_test_message ("%s", cases[i].value);
      ok = mend_oauth_settings_set_client_id (settings, cases[i].value, &error);

      if (cases[i].valid)
        {
          g_assert_no_error (error);
          g_assert_true (ok);
          g_assert_cmpstr (mend_oauth_settings_get_client_id (settings), ==, cases[i].stored);
          g_assert_true (mend_oauth_settings_has_client_id (settings));
        }
      else
        {
          g_autofree char *stripped = g_strstrip (g_strdup (cases[i].value));

          g_assert_false (ok);
          g_assert_error (error, MEND_OAUTH_ERROR, MEND_OAUTH_ERROR_CLIENT_ID_INVALID);
          /* Names the bad value, and says what a client id looks like. */
          g_assert_nonnull (strstr (error->message, stripped));
          g_assert_nonnull (strstr (error->message, "00000000-0000-0000-0000-000000000000"));
          g_assert_cmpstr (mend_oauth_settings_get_client_id (settings), ==, before);
          g_assert_false (mend_oauth_validate_client_id (cases[i].value, NULL));
        }
    }

  g_assert_true (mend_oauth_is_guid (CLIENT_ID));
  g_assert_false (mend_oauth_is_guid (NULL));
  g_assert_false (mend_oauth_is_guid (""));
}

static void
test_client_id_reset (void)
{
  g_autoptr(MendOAuthSettings) settings = mend_oauth_settings_new ();

  g_assert_true (mend_oauth_settings_set_client_id (settings, CLIENT_ID, NULL));
  g_assert_true (mend_oauth_settings_set_client_id (settings, "", NULL));
  g_assert_cmpstr (mend_oauth_settings_get_client_id (settings), ==,
                   MICROSOFT_CLIENT_ID[0] ? MICROSOFT_CLIENT_ID : NULL);
  g_assert_true (mend_oauth_settings_set_client_id (settings, CLIENT_ID, NULL));
  g_assert_true (mend_oauth_settings_set_client_id (settings, NULL, NULL));
  g_assert_cmpstr (mend_oauth_settings_get_client_id (settings), ==,
                   MICROSOFT_CLIENT_ID[0] ? MICROSOFT_CLIENT_ID : NULL);
}

static void
test_client_id_long_value (void)
{
  g_autofree char *value = g_strnfill (500, 'x');
  g_autoptr(GError) error = NULL;

  g_assert_false (mend_oauth_validate_client_id (value, &error));
  /* Named, but cut short. */
  g_assert_cmpuint (strlen (error->message), <, 450);
  g_assert_nonnull (strstr (error->message, "xxxxxxxx…"));
}

static void
test_authority (void)
{
  static const struct {
    const char *value;
    const char *normalized;
  } cases[] = {
    { "https://login.microsoftonline.com", "https://login.microsoftonline.com" },
    { "https://login.microsoftonline.com/", "https://login.microsoftonline.com" },
    { "https://login.microsoftonline.com///", "https://login.microsoftonline.com" },
    { "HTTPS://Login.MicrosoftOnline.US/", "https://login.microsoftonline.us" },
    { "https://login.microsoftonline.com:443/", "https://login.microsoftonline.com" },
    { "https://login.chinacloudapi.cn:8443", "https://login.chinacloudapi.cn:8443" },
    { "https://idp.example.org/prefix/", "https://idp.example.org/prefix" },
    { " https://login.microsoftonline.com \n", "https://login.microsoftonline.com" },
    /* Loopback: plain http is fine. */
    { "http://127.0.0.1:8080", "http://127.0.0.1:8080" },
    { "http://127.0.0.1:8080/", "http://127.0.0.1:8080" },
    { "http://127.5.5.5", "http://127.5.5.5" },
    { "http://[::1]:9000/", "http://[::1]:9000" },
    { "http://localhost:1234", "http://localhost:1234" },
    { "http://LOCALHOST", "http://localhost" },
    { "https://127.0.0.1:8443", "https://127.0.0.1:8443" },
    /* Refused. */
    { "http://example.com", NULL },
    { "http://10.0.0.1", NULL },
    { "http://192.168.1.1:8080", NULL },
    { "http://localhost.example.com", NULL },
    { "http://[::2]", NULL },
    { "http://128.0.0.1", NULL },
    { "ftp://login.microsoftonline.com", NULL },
    { "file:///etc/passwd", NULL },
    { "login.microsoftonline.com", NULL },
    { "https://", NULL },
    { "https://login.microsoftonline.com/?x=1", NULL },
    { "https://login.microsoftonline.com/?", NULL },
    { "https://login.microsoftonline.com/#top", NULL },
    { "https://user:pw@login.microsoftonline.com", NULL },
    { "not an address", NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(MendOAuthSettings) settings = mend_oauth_settings_new ();
      g_autoptr(GError) error = NULL;
      gboolean ok;

      g_test_message ("%s", cases[i].value);
      ok = mend_oauth_settings_set_authority (settings, cases[i].value, &error);

      if (cases[i].normalized != NULL)
        {
          g_assert_no_error (error);
          g_assert_true (ok);
          g_assert_cmpstr (mend_oauth_settings_get_authority (settings), ==, cases[i].normalized);
        }
      else
        {
          g_assert_false (ok);
          g_assert_error (error, MEND_OAUTH_ERROR, MEND_OAUTH_ERROR_AUTHORITY_INVALID);
          g_assert_cmpstr (mend_oauth_settings_get_authority (settings), ==,
                           MEND_OAUTH_DEFAULT_AUTHORITY);
        }
    }
}

static void
test_authority_reset (void)
{
  g_autoptr(MendOAuthSettings) settings = mend_oauth_settings_new ();

  g_assert_true (mend_oauth_settings_set_authority (settings, "http://127.0.0.1:4000", NULL));
  g_assert_true (mend_oauth_settings_is_loopback (settings));
  g_assert_true (mend_oauth_settings_set_authority (settings, NULL, NULL));
  g_assert_cmpstr (mend_oauth_settings_get_authority (settings), ==, MEND_OAUTH_DEFAULT_AUTHORITY);
  g_assert_true (mend_oauth_settings_set_authority (settings, "http://[::1]:4000", NULL));
  g_assert_true (mend_oauth_settings_is_loopback (settings));
  g_assert_true (mend_oauth_settings_set_authority (settings, "", NULL));
  g_assert_false (mend_oauth_settings_is_loopback (settings));
}

static void
test_loopback_host (void)
{
  g_assert_true (mend_oauth_is_loopback_host ("127.0.0.1"));
  g_assert_true (mend_oauth_is_loopback_host ("127.255.255.254"));
  g_assert_true (mend_oauth_is_loopback_host ("::1"));
  g_assert_true (mend_oauth_is_loopback_host ("[::1]"));
  g_assert_true (mend_oauth_is_loopback_host ("localhost"));
  g_assert_false (mend_oauth_is_loopback_host ("localhost.localdomain.example"));
  g_assert_false (mend_oauth_is_loopback_host ("10.0.0.1"));
  g_assert_false (mend_oauth_is_loopback_host ("0.0.0.0"));
  g_assert_false (mend_oauth_is_loopback_host ("::"));
  g_assert_false (mend_oauth_is_loopback_host ("example.com"));
  g_assert_false (mend_oauth_is_loopback_host (""));
  g_assert_false (mend_oauth_is_loopback_host (NULL));
}

static void
test_tenant (void)
{
  static const struct {
    const char     *value;
    const char     *normalized;
    MendTenantType  type;
  } cases[] = {
    { "common", "common", MEND_TENANT_TYPE_UNKNOWN },
    { "Common", "common", MEND_TENANT_TYPE_UNKNOWN },
    { "consumers", "consumers", MEND_TENANT_TYPE_CONSUMER },
    { "organizations", "organizations", MEND_TENANT_TYPE_ORGANIZATION },
    { " ORGANIZATIONS ", "organizations", MEND_TENANT_TYPE_ORGANIZATION },
    { CLIENT_ID, CLIENT_ID, MEND_TENANT_TYPE_ORGANIZATION },
    { "9188040D-6C67-4C5B-B112-36A304B66DAD", MEND_CONSUMER_TENANT_ID, MEND_TENANT_TYPE_CONSUMER },
    { "contoso.onmicrosoft.com", "contoso.onmicrosoft.com", MEND_TENANT_TYPE_ORGANIZATION },
    { "Example.ORG", "example.org", MEND_TENANT_TYPE_ORGANIZATION },
    { "mail-1.example.co.uk", "mail-1.example.co.uk", MEND_TENANT_TYPE_ORGANIZATION },
    /* Refused. */
    { "contoso", NULL, 0 },
    { "10.0.0.1", NULL, 0 },
    { "-contoso.com", NULL, 0 },
    { "contoso-.com", NULL, 0 },
    { "contoso..com", NULL, 0 },
    { "contoso.com/oauth2", NULL, 0 },
    { "contoso .com", NULL, 0 },
    { "{" CLIENT_ID "}", NULL, 0 },
    { "commons", NULL, 0 },
    { "../common", NULL, 0 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(MendOAuthSettings) settings = mend_oauth_settings_new ();
      g_autoptr(GError) error = NULL;
      gboolean ok;

      g_test_message ("%s", cases[i].value);
      ok = mend_oauth_settings_set_tenant (settings, cases[i].value, &error);

      if (cases[i].normalized != NULL)
        {
          g_assert_no_error (error);
          g_assert_true (ok);
          g_assert_cmpstr (mend_oauth_settings_get_tenant (settings), ==, cases[i].normalized);
          g_assert_cmpint (mend_oauth_settings_get_tenant_type (settings), ==, cases[i].type);
        }
      else
        {
          g_assert_false (ok);
          g_assert_error (error, MEND_OAUTH_ERROR, MEND_OAUTH_ERROR_TENANT_INVALID);
          g_assert_cmpstr (mend_oauth_settings_get_tenant (settings), ==, "common");
        }
    }
}

static void
test_endpoints (void)
{
  g_autoptr(MendOAuthSettings) settings = mend_oauth_settings_new ();
  g_autofree char *authorize = NULL;
  g_autofree char *token = NULL;
  g_autofree char *device_code = NULL;
  g_autofree char *loopback = NULL;

  authorize = mend_oauth_settings_get_endpoint (settings, MEND_OAUTH_ENDPOINT_AUTHORIZE);
  token = mend_oauth_settings_get_endpoint (settings, MEND_OAUTH_ENDPOINT_TOKEN);
  device_code = mend_oauth_settings_get_endpoint (settings, MEND_OAUTH_ENDPOINT_DEVICE_CODE);
  g_assert_cmpstr (authorize, ==, "https://login.microsoftonline.com/common/oauth2/v2.0/authorize");
  g_assert_cmpstr (token, ==, "https://login.microsoftonline.com/common/oauth2/v2.0/token");
  g_assert_cmpstr (device_code, ==,
                   "https://login.microsoftonline.com/common/oauth2/v2.0/devicecode");

  g_assert_true (mend_oauth_settings_set_authority (settings, "http://127.0.0.1:8080/", NULL));
  g_assert_true (mend_oauth_settings_set_tenant (settings, "Consumers", NULL));
  loopback = mend_oauth_settings_get_endpoint (settings, MEND_OAUTH_ENDPOINT_TOKEN);
  g_assert_cmpstr (loopback, ==, "http://127.0.0.1:8080/consumers/oauth2/v2.0/token");
}

static void
test_admin_consent_url (void)
{
  g_autoptr(MendOAuthSettings) settings = mend_oauth_settings_new ();
  g_autofree char *common = NULL;
  g_autofree char *tenant = NULL;
  g_autofree char *consumers = NULL;

  g_assert_true (mend_oauth_settings_set_client_id (settings, CLIENT_ID, NULL));
  common = mend_oauth_settings_get_admin_consent_url (settings);
  g_assert_cmpstr (common, ==, "https://login.microsoftonline.com/organizations/adminconsent"
                               "?client_id=" CLIENT_ID);

  g_assert_true (mend_oauth_settings_set_tenant (settings, "contoso.onmicrosoft.com", NULL));
  tenant = mend_oauth_settings_get_admin_consent_url (settings);
  g_assert_cmpstr (tenant, ==, "https://login.microsoftonline.com/contoso.onmicrosoft.com"
                               "/adminconsent?client_id=" CLIENT_ID);

  g_assert_true (mend_oauth_settings_set_tenant (settings, "consumers", NULL));
  consumers = mend_oauth_settings_get_admin_consent_url (settings);
  g_assert_null (consumers);
}

static void
test_for_token (void)
{
  g_autoptr(MendOAuthToken) token = mend_oauth_token_new ("someone@contoso.com");
  g_autoptr(MendOAuthToken) bare = mend_oauth_token_new ("someone@outlook.com");
  g_autoptr(MendOAuthToken) bad = mend_oauth_token_new ("someone@example.com");
  g_autoptr(MendOAuthSettings) settings = NULL;
  g_autoptr(MendOAuthSettings) defaults = NULL;
  g_autoptr(MendOAuthSettings) copied = NULL;
  g_autoptr(MendOAuthToken) stamped = mend_oauth_token_new ("someone@contoso.com");
  g_autoptr(GError) error = NULL;
  g_autofree char *endpoint = NULL;
  const char *scopes[] = { MEND_OAUTH_SCOPE_IMAP, MEND_OAUTH_SCOPE_POP, "offline_access", NULL };

  mend_oauth_token_set_authority (token, "http://127.0.0.1:9999");
  mend_oauth_token_set_tenant (token, "organizations");
  mend_oauth_token_set_client_id (token, CLIENT_ID);
  mend_oauth_token_set_scopes (token, scopes);

  settings = mend_oauth_settings_new_for_token (token, &error);
  g_assert_no_error (error);
  endpoint = mend_oauth_settings_get_endpoint (settings, MEND_OAUTH_ENDPOINT_TOKEN);
  g_assert_cmpstr (endpoint, ==, "http://127.0.0.1:9999/organizations/oauth2/v2.0/token");
  g_assert_cmpstr (mend_oauth_settings_get_client_id (settings), ==, CLIENT_ID);
  g_assert_true (mend_oauth_settings_get_include_pop (settings));

  /* And back: the same three on the new token. */
  mend_oauth_settings_apply_to_token (settings, stamped);
  g_assert_cmpstr (mend_oauth_token_get_authority (stamped), ==, "http://127.0.0.1:9999");
  g_assert_cmpstr (mend_oauth_token_get_tenant (stamped), ==, "organizations");
  g_assert_cmpstr (mend_oauth_token_get_client_id (stamped), ==, CLIENT_ID);

  /* A copy is independent. */
  copied = mend_oauth_settings_copy (settings);
  g_assert_true (mend_oauth_settings_set_tenant (settings, "consumers", NULL));
  g_assert_cmpstr (mend_oauth_settings_get_tenant (copied), ==, "organizations");
  g_assert_cmpstr (mend_oauth_settings_get_authority (copied), ==, "http://127.0.0.1:9999");
  g_assert_true (mend_oauth_settings_get_include_pop (copied));

  /* Nothing recorded: the defaults. */
  defaults = mend_oauth_settings_new_for_token (bare, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (mend_oauth_settings_get_authority (defaults), ==, MEND_OAUTH_DEFAULT_AUTHORITY);
  g_assert_cmpstr (mend_oauth_settings_get_tenant (defaults), ==, "common");
  g_assert_false (mend_oauth_settings_get_include_pop (defaults));

  /* A stored plain-http authority off loopback is refused, not used. */
  mend_oauth_token_set_authority (bad, "http://evil.example");
  g_assert_null (mend_oauth_settings_new_for_token (bad, &error));
  g_assert_error (error, MEND_OAUTH_ERROR, MEND_OAUTH_ERROR_AUTHORITY_INVALID);
}

static void
notify_cb (GObject    *object,
           GParamSpec *pspec,
           gpointer    user_data)
{
  guint *count = user_data;

  (*count)++;
}

static void
test_notify (void)
{
  g_autoptr(MendOAuthSettings) settings = mend_oauth_settings_new ();
  guint count = 0;

  g_signal_connect (settings, "notify::tenant", G_CALLBACK (notify_cb), &count);
  g_assert_true (mend_oauth_settings_set_tenant (settings, "consumers", NULL));
  g_assert_true (mend_oauth_settings_set_tenant (settings, "CONSUMERS", NULL));
  g_assert_false (mend_oauth_settings_set_tenant (settings, "bad tenant", NULL));
  g_assert_cmpuint (count, ==, 1);
}

static GSettingsSchema *
lookup_schema (void)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();

  return source ? g_settings_schema_source_lookup (source, SCHEMA_ID, TRUE) : NULL;
}

static void
test_gsettings (void)
{
  g_autoptr(GSettingsSchema) schema = lookup_schema ();
  g_autoptr(GSettings) gsettings = NULL;
  g_autoptr(MendOAuthSettings) settings = NULL;
  g_autoptr(MendOAuthSettings) defaults = NULL;
  g_autoptr(GError) error = NULL;

  if (schema == NULL)
    {
      g_test_skip ("The compiled schema is not in GSETTINGS_SCHEMA_DIR");
      return;
    }

  gsettings = g_settings_new_full (schema, NULL, NULL);

  /* Empty keys: the defaults. */
  defaults = mend_oauth_settings_new_from_gsettings (&error);
  g_assert_no_error (error);
  g_assert_cmpstr (mend_oauth_settings_get_authority (defaults), ==, MEND_OAUTH_DEFAULT_AUTHORITY);
  g_assert_cmpstr (mend_oauth_settings_get_tenant (defaults), ==, "common");

  g_settings_set_string (gsettings, "microsoft-authority", "http://127.0.0.1:7777/");
  g_settings_set_string (gsettings, "microsoft-tenant", "Organizations");
  g_settings_set_string (gsettings, "microsoft-client-id", CLIENT_ID);
  settings = mend_oauth_settings_new_from_gsettings (&error);
  g_assert_no_error (error);
  g_assert_cmpstr (mend_oauth_settings_get_authority (settings), ==, "http://127.0.0.1:7777");
  g_assert_cmpstr (mend_oauth_settings_get_tenant (settings), ==, "organizations");
  g_assert_cmpstr (mend_oauth_settings_get_client_id (settings), ==, CLIENT_ID);
  g_assert_true (mend_oauth_settings_has_client_id (settings));

  /* An invalid preference is named. */
  g_settings_set_string (gsettings, "microsoft-client-id", "{" CLIENT_ID "}");
  g_assert_null (mend_oauth_settings_new_from_gsettings (&error));
  g_assert_error (error, MEND_OAUTH_ERROR, MEND_OAUTH_ERROR_CLIENT_ID_INVALID);
  g_assert_nonnull (strstr (error->message, "microsoft-client-id"));
  g_clear_error (&error);

  g_settings_set_string (gsettings, "microsoft-authority", "http://example.com");
  g_assert_null (mend_oauth_settings_new_from_gsettings (&error));
  g_assert_error (error, MEND_OAUTH_ERROR, MEND_OAUTH_ERROR_AUTHORITY_INVALID);
  g_assert_nonnull (strstr (error->message, "microsoft-authority"));
  g_clear_error (&error);

  g_settings_reset (gsettings, "microsoft-authority");
  g_settings_reset (gsettings, "microsoft-tenant");
  g_settings_reset (gsettings, "microsoft-client-id");
}

static void
test_gsettings_absent (void)
{
  if (g_test_subprocess ())
    {
      g_autoptr(MendOAuthSettings) settings = NULL;
      g_autoptr(GError) error = NULL;

      g_assert_null (lookup_schema ());
      settings = mend_oauth_settings_new_from_gsettings (&error);
      g_assert_no_error (error);
      g_assert_cmpstr (mend_oauth_settings_get_authority (settings), ==,
                       MEND_OAUTH_DEFAULT_AUTHORITY);
      g_assert_cmpstr (mend_oauth_settings_get_tenant (settings), ==, "common");
      return;
    }
  else
    {
      g_autofree char *empty = g_dir_make_tmp ("test-oauth-settings-XXXXXX", NULL);
      g_autofree char *schema_dir = g_strdup (g_getenv ("GSETTINGS_SCHEMA_DIR"));
      g_autofree char *data_dirs = g_strdup (g_getenv ("XDG_DATA_DIRS"));
      g_autofree char *data_home = g_strdup (g_getenv ("XDG_DATA_HOME"));

      /* The child looks for schemas in an empty folder only. */
      g_setenv ("GSETTINGS_SCHEMA_DIR", empty, TRUE);
      g_setenv ("XDG_DATA_DIRS", empty, TRUE);
      g_setenv ("XDG_DATA_HOME", empty, TRUE);
      g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);

      if (schema_dir)
        g_setenv ("GSETTINGS_SCHEMA_DIR", schema_dir, TRUE);
      else
        g_unsetenv ("GSETTINGS_SCHEMA_DIR");
      if (data_dirs)
        g_setenv ("XDG_DATA_DIRS", data_dirs, TRUE);
      else
        g_unsetenv ("XDG_DATA_DIRS");
      if (data_home)
        g_setenv ("XDG_DATA_HOME", data_home, TRUE);
      else
        g_unsetenv ("XDG_DATA_HOME");
      g_rmdir (empty);

      g_test_trap_assert_passed ();
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_set_prgname ("test-oauth-settings");

  g_test_add_func ("/oauth-settings/defaults", test_defaults);
  g_test_add_func ("/oauth-settings/pop-scope", test_pop_scope);
  g_test_add_func ("/oauth-settings/client-id", test_client_id);
  g_test_add_func ("/oauth-settings/client-id-reset", test_client_id_reset);
  g_test_add_func ("/oauth-settings/client-id-long-value", test_client_id_long_value);
  g_test_add_func ("/oauth-settings/authority", test_authority);
  g_test_add_func ("/oauth-settings/authority-reset", test_authority_reset);
  g_test_add_func ("/oauth-settings/loopback-host", test_loopback_host);
  g_test_add_func ("/oauth-settings/tenant", test_tenant);
  g_test_add_func ("/oauth-settings/endpoints", test_endpoints);
  g_test_add_func ("/oauth-settings/admin-consent-url", test_admin_consent_url);
  g_test_add_func ("/oauth-settings/for-token", test_for_token);
  g_test_add_func ("/oauth-settings/notify", test_notify);
  g_test_add_func ("/oauth-settings/gsettings-absent", test_gsettings_absent);
  g_test_add_func ("/oauth-settings/gsettings", test_gsettings);

  return g_test_run ();
}
