/* mend-fake-idp.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A fake Microsoft identity platform (v2.0 endpoints) for Mailmend's tests and demos. It answers
 * on 127.0.0.1 only and keeps everything in memory.
 *
 *   mend-fake-idp [--port N] [--client-id GUID] [--expires-in S] [--interval S]
 *                 [--device-code-lifetime S] [--tls-cert FILE --tls-key FILE]
 *
 * The first line on stdout is `listening on http://127.0.0.1:PORT` (port 0, the default, picks a
 * free port); after that one line per request goes to stderr: method, path, status and, for the
 * token endpoint, the grant type and the error. Tokens, codes, verifiers and passwords are never
 * printed. SIGTERM or SIGINT stops it cleanly (exit status 0).
 *
 * Endpoints ({tenant} is common, organizations, consumers, a tenant GUID or a domain):
 *
 *   GET  /{tenant}/oauth2/v2.0/authorize         sign-in and consent page (form "signin-form",
 *                                                fields "login" and "password", buttons "accept"
 *                                                and "decline")
 *   POST /{tenant}/oauth2/v2.0/authorize/submit  302 to redirect_uri with code and state, or
 *                                                error=access_denied (AADSTS65004) on decline
 *   POST /{tenant}/oauth2/v2.0/token             authorization_code (PKCE S256), refresh_token
 *                                                (rotating), device_code grants
 *   POST /{tenant}/oauth2/v2.0/devicecode        device code, user code, verification_uri
 *   GET  /devicelogin, POST /devicelogin         where the user enters the user code
 *   GET  /introspect                             for Dovecot's oauth2 passdb (introspection_mode
 *                                                = auth): {"active": true, "mail": …} or
 *                                                {"active": false}; POST with token=… also works
 *
 * Controls for tests (POST unless said otherwise; fields as a form body or in the query):
 *
 *   /_test/next-error  endpoint=authorize|token|devicecode|introspect, and any of error=NAME,
 *                      aadsts=N, status=HTTP, delay_ms=N, malformed=1, count=N (default 1),
 *                      grant_type=G (token only: apply to that grant only)
 *   /_test/approve     user_code=… (default: the newest pending code), login=ADDRESS
 *   /_test/decline     user_code=… (default: the newest pending code)
 *   /_test/revoke      login=ADDRESS (default: everybody): refresh and access tokens revoked
 *   /_test/expire      access tokens and unredeemed authorization codes expire now
 *   /_test/reset       forget every code, token, device code and queued error
 *   GET /_test/state   counters and the last parameters of each endpoint, secrets redacted
 *
 * Deliberately stricter than Microsoft, because Mailmend must always do these: authorize needs
 * `state` and a S256 `code_challenge`; and a refresh token stops working once used (Microsoft
 * keeps the old one valid for a while), so a test can see a refresh token spent twice.
 */

#define G_LOG_DOMAIN "mend-fake-idp"

#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/random.h>

#include <glib-unix.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#define DEFAULT_CLIENT_ID      "00000000-0000-4000-8000-000000000001"
#define DEFAULT_LOGIN          "alice@example.com"
#define CONSUMER_TENANT_ID     "9188040d-6c67-4c5b-b112-36a304b66dad"
#define ORGANIZATION_TENANT_ID "c0ffee00-0000-4000-8000-00000000cafe"
#define NATIVECLIENT_URI       "https://login.microsoftonline.com/common/oauth2/nativeclient"
#define CODE_LIFETIME_S        600
#define DEVICE_GRANT_TYPE      "urn:ietf:params:oauth:grant-type:device_code"
#define APP_NAME               "Mailmend (test)"

typedef enum
{
  ENDPOINT_AUTHORIZE,
  ENDPOINT_TOKEN,
  ENDPOINT_DEVICECODE,
  ENDPOINT_INTROSPECT,
  N_ENDPOINTS,
} Endpoint;

static const char * const endpoint_names[N_ENDPOINTS] = {
  "authorize", "token", "devicecode", "introspect",
};

typedef struct
{
  char   *client_id;
  char   *redirect_uri;
  char   *scope;
  char   *challenge;
  char   *tenant;
  char   *login;
  char   *nonce;
  gint64  expires_at;   /* monotonic µs */
  gboolean redeemed;
} AuthCode;

typedef struct
{
  char    *login;
  char    *scope;       /* what was consented to, space-separated */
  char    *client_id;
  char    *tenant;
  gint64   issued_at;   /* real time, s */
  gboolean used;
  gboolean revoked;
} RefreshToken;

typedef struct
{
  char    *login;
  char    *scope;
  gint64   expires_at;  /* real time, µs */
  gboolean revoked;
} AccessToken;

typedef enum
{
  DEVICE_PENDING,
  DEVICE_APPROVED,
  DEVICE_DECLINED,
  DEVICE_REDEEMED,
} DeviceState;

typedef struct
{
  char        *device_code;
  char        *user_code;
  char        *client_id;
  char        *scope;
  char        *tenant;
  char        *login;
  gint64       expires_at;  /* monotonic µs */
  gint64       last_poll;   /* monotonic µs, 0 = never */
  guint        serial;
  DeviceState  state;
} DeviceCode;

typedef struct
{
  Endpoint  endpoint;
  char     *grant_type;
  char     *error;
  guint     aadsts;
  guint     status;
  guint     delay_ms;
  gboolean  malformed;
  guint     count;
} Injection;

typedef struct
{
  SoupServer *server;
  GMainLoop  *loop;
  char       *base_url;

  char       *client_id;
  guint       expires_in;
  guint       interval;
  guint       device_code_lifetime;

  GHashTable *codes;           /* code → AuthCode */
  GHashTable *refresh_tokens;  /* token → RefreshToken */
  GHashTable *access_tokens;   /* token → AccessToken */
  GHashTable *device_codes;    /* device code → DeviceCode */
  GQueue      injections;      /* Injection */
  GHashTable *last_params[N_ENDPOINTS];

  guint       device_serial;
  guint       codes_issued;
  guint       codes_redeemed;
  guint       refresh_tokens_issued;
  guint       refresh_grants;
  guint       refresh_refused;
  guint       access_tokens_issued;
  guint       device_codes_issued;
  guint       device_polls;
} FakeIdp;

/* One request being answered. */
typedef struct
{
  FakeIdp           *self;
  SoupServerMessage *msg;
  const char        *method;
  const char        *path;
  GHashTable        *query;   /* may be NULL */
  GHashTable        *form;    /* the body, when it is a form; else NULL */
  GString           *note;    /* appended to the log line */
  guint              delay_ms;
} Request;

/* A Microsoft error: the OAuth error name, the AADSTS number and its text. */
typedef struct
{
  const char *error;
  guint       aadsts;
  char       *description;
  gboolean    redirectable;  /* authorize: the redirect_uri is good enough to carry it */
} Problem;

typedef struct
{
  guint       code;
  const char *token_error;
  const char *authorize_error;
  const char *description;
} AadstsEntry;

/* What each code means, for injected errors (reference-error-codes.md, microsoft.md §2). */
static const AadstsEntry aadsts_table[] = {
  { 50000, "server_error", "server_error",
    "There was an error issuing a token or an issue with our sign-in service." },
  { 50011, "invalid_request", "invalid_request",
    "The redirect URI specified in the request does not match the redirect URIs configured for the "
    "application." },
  { 50020, "invalid_grant", "invalid_request",
    "User account from identity provider 'live.com' does not exist in tenant and cannot access the "
    "application in that tenant." },
  { 50034, "invalid_grant", "invalid_request",
    "The user account does not exist in the directory. To sign into this application, the account "
    "must be added to the directory." },
  { 50053, "invalid_grant", "access_denied",
    "Your account is locked because you've tried to sign in too many times with an incorrect user "
    "ID or password." },
  { 50055, "invalid_grant", "access_denied", "The password is expired." },
  { 50057, "invalid_grant", "access_denied", "The user account is disabled." },
  { 50058, "invalid_grant", "login_required",
    "A silent sign-in request was sent but no user is signed in." },
  { 50076, "invalid_grant", "interaction_required",
    "Due to a configuration change made by your administrator, or because you moved to a new "
    "location, you must use multi-factor authentication to access 'https://outlook.office.com'." },
  { 50079, "invalid_grant", "interaction_required",
    "Due to a configuration change made by your administrator, or because you moved to a new "
    "location, you must enroll in multi-factor authentication to access "
    "'https://outlook.office.com'." },
  { 50126, "invalid_grant", "access_denied",
    "Error validating credentials due to invalid username or password." },
  { 50173, "invalid_grant", "invalid_grant",
    "The provided grant has expired due to it being revoked, a fresh auth token is needed. The "
    "user might have changed or reset their password." },
  { 50196, "temporarily_unavailable", "temporarily_unavailable",
    "The server terminated an operation because it encountered a client request loop." },
  { 53000, "invalid_grant", "access_denied",
    "Device is not in required device state: compliant. Conditional Access policy requires a "
    "compliant device, and the device is not compliant." },
  { 53001, "invalid_grant", "access_denied",
    "Device is not in required device state: domain_joined. Conditional Access policy requires a "
    "domain joined device, and the device is not domain joined." },
  { 53003, "invalid_grant", "access_denied",
    "Access has been blocked by Conditional Access policies. The access policy does not allow "
    "token issuance." },
  { 54005, "invalid_grant", "invalid_grant",
    "OAuth2 Authorization code was already redeemed, please retry with a new valid code or use an "
    "existing refresh token." },
  { 65001, "invalid_grant", "consent_required",
    "The user or administrator has not consented to use the application. Send an interactive "
    "authorization request for this user and resource." },
  { 65004, "access_denied", "access_denied", "User declined to consent to access the app." },
  { 70000, "invalid_grant", "invalid_grant", "Provided grant is invalid or malformed." },
  { 70008, "invalid_grant", "invalid_grant",
    "The provided authorization code or refresh token has expired due to inactivity. Send a new "
    "interactive authorization request for this user and resource." },
  { 70011, "invalid_scope", "invalid_scope",
    "The provided value for the input parameter 'scope' is not valid." },
  { 70016, "authorization_pending", "authorization_pending",
    "OAuth 2.0 device flow error. Authorization is pending. Continue polling." },
  { 70018, "bad_verification_code", "bad_verification_code",
    "Invalid verification code due to User typing in wrong user code for device code flow. "
    "Authorization is not approved." },
  { 70019, "expired_token", "expired_token", "Verification code expired." },
  { 70043, "invalid_grant", "invalid_grant",
    "The refresh token has expired or is invalid due to sign-in frequency checks by conditional "
    "access." },
  { 90002, "invalid_request", "invalid_request", "Tenant not found." },
  { 90006, "temporarily_unavailable", "temporarily_unavailable",
    "The service is temporarily unavailable." },
  { 90055, "temporarily_unavailable", "temporarily_unavailable",
    "There are too many incoming requests. The request is throttled temporarily." },
  { 90094, "invalid_grant", "access_denied", "The grant requires admin permission." },
  { 90095, "invalid_grant", "access_denied",
    "Admin consent is required for the permissions requested by this application. An admin "
    "consent request may be submitted." },
  { 500208, "invalid_request", "invalid_request",
    "The domain is not a valid login domain for the account type." },
  { 501481, "invalid_grant", "invalid_grant",
    "The Code_Verifier does not match the code_challenge supplied in the authorization request." },
  { 530035, "invalid_grant", "access_denied",
    "Access has been blocked by security defaults. This is due to the request using legacy auth or "
    "being deemed unsafe by security defaults policies." },
  { 700016, "unauthorized_client", "unauthorized_client",
    "Application was not found in the directory. This can happen if the application has not been "
    "installed by the administrator of the tenant or consented to by any user in the tenant." },
  { 700025, "invalid_client", "invalid_client",
    "Client is public so neither 'client_assertion' nor 'client_secret' should be presented." },
  { 700082, "invalid_grant", "invalid_grant",
    "The refresh token has expired due to inactivity. The token was issued on 2024-01-01T00:00:00Z "
    "and was inactive for 90.00:00:00." },
  { 7000218, "invalid_client", "invalid_client",
    "The request body must contain the following parameter: 'client_assertion' or "
    "'client_secret'." },
  { 9002313, "invalid_request", "invalid_request",
    "Invalid request. Request is malformed or invalid." },
  { 9002331, "invalid_request", "invalid_request",
    "Application is configured for use by Microsoft Account users only. Please use the /consumers "
    "endpoint to serve this request." },
};

/* Parameters whose values never appear in a log line or in /_test/state. */
static const char * const secret_params[] = {
  "code", "code_verifier", "refresh_token", "device_code", "password", "client_secret",
  "client_assertion", "access_token", "token", "authorization", NULL,
};

static const struct
{
  const char *name;
  const char *words;
} scope_words[] = {
  { "IMAP.AccessAsUser.All", "Read, change and delete your mail over IMAP" },
  { "POP.AccessAsUser.All", "Read and delete your mail over POP" },
  { "SMTP.Send", "Send mail as you over SMTP" },
  { "offline_access", "Keep the access you give it, even when you are not using the app" },
  { "openid", "Sign you in" },
  { "profile", "See your basic profile" },
  { "email", "See your e-mail address" },
  { "User.Read", "Sign you in and read your profile" },
};

static const char page_style[] =
  "body{font-family:'Segoe UI',Cantarell,sans-serif;background:#f2f2f2;margin:0;color:#1b1b1b}"
  "main{max-width:440px;margin:40px auto;background:#fff;padding:44px;"
  "box-shadow:0 2px 6px rgba(0,0,0,.2)}"
  "h1{font-size:24px;font-weight:600;margin:0 0 16px}h2{font-size:17px;font-weight:600}"
  "label{display:block;margin-top:12px}"
  "input[type=email],input[type=password],input[type=text]{width:100%;padding:6px 0;border:0;"
  "border-bottom:1px solid #666;font-size:15px}"
  ".error{color:#e81123}.fake{font-size:12px;color:#666;border-bottom:1px solid #ddd;"
  "padding-bottom:8px}.buttons{margin-top:24px;text-align:right}"
  "button{padding:6px 18px;margin-left:8px;font-size:15px}#accept{background:#0067b8;color:#fff;"
  "border:1px solid #0067b8}.details{font-size:12px;color:#666}";

/* ---------------------------------------------------------------------------------------------
 * Small helpers
 * ------------------------------------------------------------------------------------------- */

static void
random_bytes (guint8 *buffer,
              gsize   length)
{
  gsize done = 0;

  while (done < length)
    {
      gssize n = getrandom (buffer + done, length - done, 0);

      if (n < 0)
        {
          g_printerr ("mend-fake-idp: getrandom failed: %s\n", g_strerror (errno));
          exit (1);
        }
      done += n;
    }
}

static char *
base64url_encode (const guint8 *data,
                  gsize         length)
{
  char *text = g_base64_encode (data, length);
  char *end;

  for (char *p = text; *p; p++)
    {
      if (*p == '+')
        *p = '-';
      else if (*p == '/')
        *p = '_';
    }
  end = strchr (text, '=');
  if (end != NULL)
    *end = '\0';

  return text;
}

static char *
random_token (const char *prefix,
              gsize       n_bytes)
{
  g_autofree guint8 *bytes = g_malloc (n_bytes);
  g_autofree char *encoded = NULL;

  random_bytes (bytes, n_bytes);
  encoded = base64url_encode (bytes, n_bytes);

  return g_strconcat (prefix, encoded, NULL);
}

static char *
format_guid (const guint8 b[16])
{
  return g_strdup_printf ("%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
                          b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7],
                          b[8], b[9], b[10], b[11], b[12], b[13], b[14], b[15]);
}

static char *
random_guid (void)
{
  guint8 b[16];

  random_bytes (b, sizeof b);
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;

  return format_guid (b);
}

static gboolean
is_guid (const char *text)
{
  static const char pattern[] = "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx";

  if (text == NULL || strlen (text) != sizeof pattern - 1)
    return FALSE;

  for (gsize i = 0; pattern[i]; i++)
    {
      if (pattern[i] == '-' ? text[i] != '-' : !g_ascii_isxdigit (text[i]))
        return FALSE;
    }

  return TRUE;
}

static char *
now_timestamp (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

  return g_date_time_format (now, "%Y-%m-%d %H:%M:%SZ");
}

static const char *
param (GHashTable *params,
       const char *name)
{
  const char *value;

  if (params == NULL)
    return NULL;

  value = g_hash_table_lookup (params, name);
  if (value == NULL || value[0] == '\0')
    return NULL;

  return value;
}

static gboolean
is_secret_param (const char *name)
{
  return g_strv_contains (secret_params, name);
}

/* The domain's first label says whether an address is a personal Microsoft account:
 * outlook.com, hotmail.co.uk, live.fr, msn.com … */
static gboolean
is_consumer_address (const char *login)
{
  static const char * const labels[] = { "outlook", "hotmail", "live", "msn", "passport",
                                         "windowslive", NULL };
  const char *at = login ? strrchr (login, '@') : NULL;
  g_autofree char *domain = NULL;
  char *dot;

  if (at == NULL)
    return FALSE;

  domain = g_ascii_strdown (at + 1, -1);
  dot = strchr (domain, '.');
  if (dot == NULL)
    return FALSE;
  *dot = '\0';

  return g_strv_contains (labels, domain);
}

static gboolean
tenant_is_valid (const char *tenant)
{
  if (g_str_equal (tenant, "common") || g_str_equal (tenant, "organizations")
      || g_str_equal (tenant, "consumers") || is_guid (tenant))
    return TRUE;

  /* A domain name: labels of letters, digits and hyphens, at least one dot. */
  if (strchr (tenant, '.') == NULL || tenant[0] == '.')
    return FALSE;
  for (const char *p = tenant; *p; p++)
    {
      if (!g_ascii_isalnum (*p) && *p != '-' && *p != '.')
        return FALSE;
    }

  return TRUE;
}

/* The tenant id an account gets in its id_token, from the authority's tenant and the address. */
static const char *
tenant_id_for (const char *tenant,
               const char *login)
{
  if (g_str_equal (tenant, "consumers"))
    return CONSUMER_TENANT_ID;
  if (is_guid (tenant))
    return tenant;
  if (g_str_equal (tenant, "common") && is_consumer_address (login))
    return CONSUMER_TENANT_ID;

  return ORGANIZATION_TENANT_ID;
}

static gboolean
redirect_uri_is_valid (const char *redirect_uri)
{
  g_autoptr(GUri) uri = NULL;
  const char *host;

  if (g_str_equal (redirect_uri, NATIVECLIENT_URI))
    return TRUE;

  uri = g_uri_parse (redirect_uri, G_URI_FLAGS_ENCODED, NULL);
  if (uri == NULL || g_strcmp0 (g_uri_get_scheme (uri), "http") != 0)
    return FALSE;

  host = g_uri_get_host (uri);
  if (g_strcmp0 (host, "localhost") != 0 && g_strcmp0 (host, "127.0.0.1") != 0)
    return FALSE;

  /* Apps for personal accounts: no query in a redirect URI (reply-url.md); no fragment. */
  return g_uri_get_userinfo (uri) == NULL && g_uri_get_query (uri) == NULL
         && g_uri_get_fragment (uri) == NULL;
}

static gboolean
is_oidc_scope (const char *scope)
{
  static const char * const oidc[] = { "openid", "profile", "email", "offline_access", NULL };

  return g_strv_contains (oidc, scope);
}

/* "https://outlook.office.com/IMAP.AccessAsUser.All" → "https://outlook.office.com"; a bare
 * name is a Microsoft Graph scope (microsoft.md §1.2). */
static char *
scope_resource (const char *scope)
{
  const char *slash = strrchr (scope, '/');

  if (strstr (scope, "://") == NULL || slash == NULL)
    return g_strdup ("https://graph.microsoft.com");

  return g_ascii_strdown (scope, slash - scope);
}

static gboolean
scope_has (const char *scope,
           const char *name)
{
  g_auto(GStrv) items = g_strsplit_set (scope ? scope : "", " ", -1);

  for (guint i = 0; items[i]; i++)
    {
      if (g_ascii_strcasecmp (items[i], name) == 0)
        return TRUE;
    }

  return FALSE;
}

/* The scopes an access token carries: those of the first resource named (the token endpoint
 * "returns a token for the resource specified in the first scope"), or the OpenID ones. */
static char *
granted_scope (const char *requested)
{
  g_auto(GStrv) items = g_strsplit_set (requested ? requested : "", " ", -1);
  g_autoptr(GPtrArray) granted = g_ptr_array_new_null_terminated (0, NULL, TRUE);
  g_autofree char *resource = NULL;

  for (guint i = 0; items[i]; i++)
    {
      g_autofree char *this_resource = NULL;

      if (items[i][0] == '\0' || is_oidc_scope (items[i]))
        continue;

      this_resource = scope_resource (items[i]);
      if (resource == NULL)
        resource = g_strdup (this_resource);
      if (g_str_equal (resource, this_resource))
        g_ptr_array_add (granted, items[i]);
    }

  if (granted->len == 0)
    {
      for (guint i = 0; items[i]; i++)
        {
          if (is_oidc_scope (items[i]) && !g_str_equal (items[i], "offline_access"))
            g_ptr_array_add (granted, items[i]);
        }
    }

  return g_strjoinv (" ", (char **) granted->pdata);
}

/* Every non-OpenID scope in @requested must have been consented to in @consented. */
static gboolean
scope_is_subset (const char *requested,
                 const char *consented)
{
  g_auto(GStrv) items = g_strsplit_set (requested ? requested : "", " ", -1);

  for (guint i = 0; items[i]; i++)
    {
      if (items[i][0] != '\0' && !is_oidc_scope (items[i]) && !scope_has (consented, items[i]))
        return FALSE;
    }

  return TRUE;
}

static const char *
scope_in_words (const char *scope)
{
  const char *slash = strrchr (scope, '/');
  const char *name = slash ? slash + 1 : scope;

  for (guint i = 0; i < G_N_ELEMENTS (scope_words); i++)
    {
      if (g_ascii_strcasecmp (name, scope_words[i].name) == 0)
        return scope_words[i].words;
    }

  return NULL;
}

static const AadstsEntry *
aadsts_lookup (guint code)
{
  for (guint i = 0; i < G_N_ELEMENTS (aadsts_table); i++)
    {
      if (aadsts_table[i].code == code)
        return &aadsts_table[i];
    }

  return NULL;
}

static guint
aadsts_for_error (Endpoint    endpoint,
                  const char *error)
{
  for (guint i = 0; i < G_N_ELEMENTS (aadsts_table); i++)
    {
      const char *name = endpoint == ENDPOINT_AUTHORIZE ? aadsts_table[i].authorize_error
                                                        : aadsts_table[i].token_error;

      if (g_str_equal (name, error))
        return aadsts_table[i].code;
    }

  return 9002313;
}

static void
problem_set (Problem    *problem,
             const char *error,
             guint       aadsts,
             gboolean    redirectable,
             const char *format,
             ...) G_GNUC_PRINTF (5, 6);

static void
problem_set (Problem    *problem,
             const char *error,
             guint       aadsts,
             gboolean    redirectable,
             const char *format,
             ...)
{
  va_list args;

  g_free (problem->description);
  problem->error = error;
  problem->aadsts = aadsts;
  problem->redirectable = redirectable;
  va_start (args, format);
  problem->description = g_strdup_vprintf (format, args);
  va_end (args);
}

static void
problem_clear (Problem *problem)
{
  g_clear_pointer (&problem->description, g_free);
}

/* "AADSTS70000: Provided grant is invalid or malformed.\r\nTrace ID: …", as Microsoft has it. */
static char *
full_description (guint       aadsts,
                  const char *description,
                  const char *trace_id,
                  const char *correlation_id,
                  const char *timestamp)
{
  return g_strdup_printf ("AADSTS%u: %s\r\nTrace ID: %s\r\nCorrelation ID: %s\r\nTimestamp: %s",
                          aadsts, description, trace_id, correlation_id, timestamp);
}

static void
auth_code_free (AuthCode *code)
{
  g_free (code->client_id);
  g_free (code->redirect_uri);
  g_free (code->scope);
  g_free (code->challenge);
  g_free (code->tenant);
  g_free (code->login);
  g_free (code->nonce);
  g_free (code);
}

static void
refresh_token_free (RefreshToken *token)
{
  g_free (token->login);
  g_free (token->scope);
  g_free (token->client_id);
  g_free (token->tenant);
  g_free (token);
}

static void
access_token_free (AccessToken *token)
{
  g_free (token->login);
  g_free (token->scope);
  g_free (token);
}

static void
device_code_free (DeviceCode *device)
{
  g_free (device->device_code);
  g_free (device->user_code);
  g_free (device->client_id);
  g_free (device->scope);
  g_free (device->tenant);
  g_free (device->login);
  g_free (device);
}

static void
injection_free (Injection *injection)
{
  g_free (injection->grant_type);
  g_free (injection->error);
  g_free (injection);
}

/* ---------------------------------------------------------------------------------------------
 * Answers
 * ------------------------------------------------------------------------------------------- */

static void
reply_text (Request    *req,
            guint       status,
            const char *content_type,
            const char *body)
{
  soup_server_message_set_status (req->msg, status, NULL);
  soup_server_message_set_response (req->msg, content_type, SOUP_MEMORY_COPY,
                                    body, strlen (body));
}

static void
reply_json (Request  *req,
            guint     status,
            JsonNode *node)
{
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (req->msg);
  g_autofree char *body = json_to_string (node, FALSE);

  soup_message_headers_replace (headers, "Cache-Control", "no-store, no-cache");
  soup_message_headers_replace (headers, "Pragma", "no-cache");
  reply_text (req, status, "application/json; charset=utf-8", body);
}

static void
reply_builder (Request     *req,
               guint        status,
               JsonBuilder *builder)
{
  g_autoptr(JsonNode) node = json_builder_get_root (builder);

  reply_json (req, status, node);
}

/* Microsoft's JSON error (reference-error-codes.md). */
static void
reply_oauth_error (Request    *req,
                   guint       status,
                   const char *error,
                   guint       aadsts,
                   const char *description)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autofree char *trace_id = random_guid ();
  g_autofree char *correlation_id = random_guid ();
  g_autofree char *timestamp = now_timestamp ();
  g_autofree char *text = full_description (aadsts, description, trace_id, correlation_id,
                                            timestamp);
  g_autofree char *error_uri = g_strdup_printf ("https://login.microsoftonline.com/error?code=%u",
                                                aadsts);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "error");
  json_builder_add_string_value (builder, error);
  json_builder_set_member_name (builder, "error_description");
  json_builder_add_string_value (builder, text);
  json_builder_set_member_name (builder, "error_codes");
  json_builder_begin_array (builder);
  json_builder_add_int_value (builder, aadsts);
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "timestamp");
  json_builder_add_string_value (builder, timestamp);
  json_builder_set_member_name (builder, "trace_id");
  json_builder_add_string_value (builder, trace_id);
  json_builder_set_member_name (builder, "correlation_id");
  json_builder_add_string_value (builder, correlation_id);
  json_builder_set_member_name (builder, "error_uri");
  json_builder_add_string_value (builder, error_uri);
  json_builder_end_object (builder);

  g_string_append_printf (req->note, " error=%s AADSTS%u", error, aadsts);
  reply_builder (req, status, builder);
}

static void
reply_problem (Request *req,
               Problem *problem)
{
  guint status = g_str_equal (problem->error, "invalid_client") ? 401 : 400;

  reply_oauth_error (req, status, problem->error, problem->aadsts, problem->description);
}

static void
reply_control (Request    *req,
               guint       status,
               const char *member,
               const char *value)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, member);
  json_builder_add_string_value (builder, value);
  json_builder_end_object (builder);
  reply_builder (req, status, builder);
}

static void
page_begin (GString    *page,
            const char *title)
{
  g_autofree char *escaped = g_markup_escape_text (title, -1);

  g_string_append_printf (page,
                          "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
                          "<meta name=\"viewport\" content=\"width=device-width, "
                          "initial-scale=1\"><title>%s</title><style>%s</style></head>\n"
                          "<body><main>\n<p class=\"fake\">mend-fake-idp: a fake Microsoft "
                          "sign-in for tests and demos. Nothing you type here leaves this "
                          "computer.</p>\n",
                          escaped, page_style);
}

static void
page_end (GString *page)
{
  g_string_append (page, "</main></body></html>\n");
}

static void
reply_page (Request *req,
            guint    status,
            GString *page)
{
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (req->msg);

  soup_message_headers_replace (headers, "Cache-Control", "no-store, no-cache");
  reply_text (req, status, "text/html; charset=utf-8", page->str);
}

/* The page Microsoft shows when it cannot send the user back to the app. */
static void
reply_error_page (Request    *req,
                  guint       status,
                  guint       aadsts,
                  const char *description)
{
  g_autoptr(GString) page = g_string_new (NULL);
  g_autofree char *trace_id = random_guid ();
  g_autofree char *correlation_id = random_guid ();
  g_autofree char *timestamp = now_timestamp ();
  g_autofree char *escaped = g_markup_escape_text (description, -1);

  page_begin (page, "Sign in to your account");
  g_string_append_printf (page,
                          "<h1>Sign in</h1>\n<p>Sorry, but we're having trouble signing you "
                          "in.</p>\n<p class=\"error\" id=\"error\">AADSTS%u: %s</p>\n"
                          "<p class=\"details\">Request Id: %s<br>Correlation Id: %s<br>"
                          "Timestamp: %s</p>\n",
                          aadsts, escaped, trace_id, correlation_id, timestamp);
  page_end (page);

  g_string_append_printf (req->note, " error page AADSTS%u", aadsts);
  reply_page (req, status, page);
}

static void
append_encoded (GString    *out,
                const char *name,
                const char *value)
{
  g_autofree char *escaped = g_uri_escape_string (value, NULL, FALSE);

  if (out->len > 0)
    g_string_append_c (out, '&');
  g_string_append_printf (out, "%s=%s", name, escaped);
}

/* Sends the user back to the app: @pairs is name, value, name, value… */
static void
reply_to_client (Request            *req,
                 GHashTable         *params,
                 const char * const *pairs)
{
  const char *redirect_uri = param (params, "redirect_uri");
  const char *mode = param (params, "response_mode");
  g_autoptr(GString) encoded = g_string_new (NULL);
  g_autofree char *location = NULL;

  if (g_strcmp0 (mode, "form_post") == 0)
    {
      g_autoptr(GString) page = g_string_new (NULL);
      g_autofree char *action = g_markup_escape_text (redirect_uri, -1);

      page_begin (page, "Working…");
      g_string_append_printf (page, "<form method=\"POST\" action=\"%s\">\n", action);
      for (guint i = 0; pairs[i]; i += 2)
        {
          g_autofree char *value = g_markup_escape_text (pairs[i + 1], -1);

          g_string_append_printf (page, "<input type=\"hidden\" name=\"%s\" value=\"%s\">\n",
                                  pairs[i], value);
        }
      g_string_append (page, "<noscript><button type=\"submit\">Continue</button></noscript>"
                             "</form>\n<script>document.forms[0].submit()</script>\n");
      page_end (page);
      reply_page (req, 200, page);
      return;
    }

  for (guint i = 0; pairs[i]; i += 2)
    append_encoded (encoded, pairs[i], pairs[i + 1]);

  location = g_strconcat (redirect_uri, g_strcmp0 (mode, "fragment") == 0 ? "#" : "?",
                          encoded->str, NULL);
  soup_server_message_set_status (req->msg, SOUP_STATUS_FOUND, NULL);
  soup_message_headers_replace (soup_server_message_get_response_headers (req->msg),
                                "Location", location);
}

static void
reply_to_client_error (Request    *req,
                       GHashTable *params,
                       const char *error,
                       guint       aadsts,
                       const char *description)
{
  g_autofree char *trace_id = random_guid ();
  g_autofree char *correlation_id = random_guid ();
  g_autofree char *timestamp = now_timestamp ();
  g_autofree char *text = full_description (aadsts, description, trace_id, correlation_id,
                                            timestamp);
  g_autofree char *error_uri = g_strdup_printf ("https://login.microsoftonline.com/error?code=%u",
                                                aadsts);
  const char *pairs[9] = { "error", error, "error_description", text, "error_uri", error_uri,
                           NULL, NULL, NULL };

  if (param (params, "state") != NULL)
    {
      pairs[6] = "state";
      pairs[7] = param (params, "state");
    }

  g_string_append_printf (req->note, " error=%s AADSTS%u", error, aadsts);
  reply_to_client (req, params, pairs);
}

/* ---------------------------------------------------------------------------------------------
 * State
 * ------------------------------------------------------------------------------------------- */

static void
remember_params (FakeIdp    *self,
                 Endpoint    endpoint,
                 GHashTable *params)
{
  GHashTable *copy = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  GHashTableIter iter;
  gpointer key, value;

  if (params != NULL)
    {
      g_hash_table_iter_init (&iter, params);
      while (g_hash_table_iter_next (&iter, &key, &value))
        {
          if (is_secret_param (key))
            g_hash_table_insert (copy, g_strdup (key),
                                 g_strdup_printf ("(redacted, %zu characters)",
                                                  strlen (value)));
          else
            g_hash_table_insert (copy, g_strdup (key), g_strdup (value));
        }
    }

  g_clear_pointer (&self->last_params[endpoint], g_hash_table_unref);
  self->last_params[endpoint] = copy;
}

static void
fake_idp_reset (FakeIdp *self)
{
  g_hash_table_remove_all (self->codes);
  g_hash_table_remove_all (self->refresh_tokens);
  g_hash_table_remove_all (self->access_tokens);
  g_hash_table_remove_all (self->device_codes);
  g_queue_clear_full (&self->injections, (GDestroyNotify) injection_free);
  for (guint i = 0; i < N_ENDPOINTS; i++)
    g_clear_pointer (&self->last_params[i], g_hash_table_unref);

  self->device_serial = 0;
  self->codes_issued = 0;
  self->codes_redeemed = 0;
  self->refresh_tokens_issued = 0;
  self->refresh_grants = 0;
  self->refresh_refused = 0;
  self->access_tokens_issued = 0;
  self->device_codes_issued = 0;
  self->device_polls = 0;
}

/* Takes one use of the first queued error for @endpoint (and @grant_type, for the token
 * endpoint). Returns a copy, or %NULL. */
static Injection *
take_injection (FakeIdp    *self,
                Endpoint    endpoint,
                const char *grant_type)
{
  for (GList *l = self->injections.head; l != NULL; l = l->next)
    {
      Injection *injection = l->data;
      Injection *copy;

      if (injection->endpoint != endpoint)
        continue;
      if (injection->grant_type != NULL && g_strcmp0 (injection->grant_type, grant_type) != 0)
        continue;

      copy = g_memdup2 (injection, sizeof *injection);
      copy->grant_type = g_strdup (injection->grant_type);
      copy->error = g_strdup (injection->error);

      if (--injection->count == 0)
        {
          g_queue_delete_link (&self->injections, l);
          injection_free (injection);
        }

      return copy;
    }

  return NULL;
}

/* Fills in what the injection leaves open: the error name, the AADSTS code, the status. */
static void
resolve_injection (Injection   *injection,
                   const char **error,
                   guint       *aadsts,
                   guint       *status)
{
  const AadstsEntry *entry = NULL;

  *status = injection->status;
  *aadsts = injection->aadsts;
  *error = injection->error;

  if (*error == NULL && *aadsts == 0)
    {
      /* A bare status: 500 server_error, 503 temporarily_unavailable, 429 throttled. */
      if (*status == 503)
        *aadsts = 90006;
      else if (*status == 429)
        *aadsts = 90055;
      else if (*status >= 500)
        *aadsts = 50000;
      else
        *aadsts = 9002313;
    }
  else if (*aadsts == 0)
    {
      *aadsts = aadsts_for_error (injection->endpoint, *error);
    }

  entry = aadsts_lookup (*aadsts);
  if (*error == NULL)
    {
      if (entry != NULL)
        *error = injection->endpoint == ENDPOINT_AUTHORIZE ? entry->authorize_error
                                                           : entry->token_error;
      else
        *error = injection->endpoint == ENDPOINT_AUTHORIZE ? "invalid_request" : "invalid_grant";
    }

  if (*status == 0)
    *status = g_str_equal (*error, "invalid_client") ? 401 : 400;
}

static const char *
injected_description (guint aadsts)
{
  const AadstsEntry *entry = aadsts_lookup (aadsts);

  return entry ? entry->description : "Error injected by mend-fake-idp.";
}

/* Answers with the injected error, if there is one to answer with. Returns TRUE when the
 * request is answered; FALSE when the injection was only a delay (or there was none). */
static gboolean
apply_injection (Request    *req,
                 Endpoint    endpoint,
                 const char *grant_type,
                 GHashTable *authorize_params)
{
  Injection *injection = take_injection (req->self, endpoint, grant_type);
  const char *error;
  guint aadsts, status;

  if (injection == NULL)
    return FALSE;

  req->delay_ms = injection->delay_ms;
  g_string_append (req->note, " (injected)");

  if (injection->malformed)
    {
      if (endpoint == ENDPOINT_AUTHORIZE)
        reply_text (req, injection->status ? injection->status : 200, "text/html; charset=utf-8",
                    "<!DOCTYPE html><html><head><title>Sign in</ti");
      else
        reply_text (req, injection->status ? injection->status : 200,
                    "application/json; charset=utf-8",
                    "{\"token_type\":\"Bearer\",\"scope\":\"https://outlook.office.com/IMAP.Acc");
      injection_free (injection);
      return TRUE;
    }

  if (injection->error == NULL && injection->aadsts == 0 && injection->status == 0)
    {
      injection_free (injection);
      return FALSE;
    }

  resolve_injection (injection, &error, &aadsts, &status);

  if (endpoint == ENDPOINT_AUTHORIZE)
    {
      if (status >= 500)
        reply_error_page (req, status, aadsts, injected_description (aadsts));
      else
        reply_to_client_error (req, authorize_params, error, aadsts,
                               injected_description (aadsts));
    }
  else
    {
      reply_oauth_error (req, status, error, aadsts, injected_description (aadsts));
    }

  injection_free (injection);
  return TRUE;
}

/* ---------------------------------------------------------------------------------------------
 * Tokens
 * ------------------------------------------------------------------------------------------- */

/* oid: a personal account's looks like 00000000-0000-0000-xxxx-xxxxxxxxxxxx; stable per
 * address, as sub. */
static char *
object_id_for (const char *login,
               gboolean    consumer)
{
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
  g_autofree char *lower = g_ascii_strdown (login, -1);
  guint8 digest[32];
  gsize length = sizeof digest;

  g_checksum_update (checksum, (const guchar *) lower, -1);
  g_checksum_get_digest (checksum, digest, &length);
  if (consumer)
    memset (digest, 0, 8);
  else
    {
      digest[6] = (digest[6] & 0x0f) | 0x40;
      digest[8] = (digest[8] & 0x3f) | 0x80;
    }

  return format_guid (digest);
}

static char *
build_id_token (FakeIdp    *self,
                const char *tenant,
                const char *login,
                const char *nonce)
{
  static const char header[] = "{\"typ\":\"JWT\",\"alg\":\"RS256\",\"kid\":\"mend-fake-idp\"}";
  const char *tid = tenant_id_for (tenant, login);
  gboolean consumer = g_str_equal (tid, CONSUMER_TENANT_ID);
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *payload = NULL;
  g_autofree char *oid = object_id_for (login, consumer);
  g_autofree char *iss = g_strdup_printf ("%s/%s/v2.0", self->base_url, tid);
  g_autofree char *name = g_strndup (login, strcspn (login, "@"));
  g_autofree char *header64 = base64url_encode ((const guint8 *) header, strlen (header));
  g_autofree char *payload64 = NULL;
  g_autofree char *sub = NULL;
  g_autofree char *signature = random_token ("", 64);
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;

  {
    g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
    guint8 digest[32];
    gsize length = sizeof digest;

    g_checksum_update (checksum, (const guchar *) oid, -1);
    g_checksum_update (checksum, (const guchar *) self->client_id, -1);
    g_checksum_get_digest (checksum, digest, &length);
    sub = base64url_encode (digest, length);
  }

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "ver");
  json_builder_add_string_value (builder, "2.0");
  json_builder_set_member_name (builder, "iss");
  json_builder_add_string_value (builder, iss);
  json_builder_set_member_name (builder, "sub");
  json_builder_add_string_value (builder, sub);
  json_builder_set_member_name (builder, "aud");
  json_builder_add_string_value (builder, self->client_id);
  json_builder_set_member_name (builder, "exp");
  json_builder_add_int_value (builder, now + 3600);
  json_builder_set_member_name (builder, "iat");
  json_builder_add_int_value (builder, now);
  json_builder_set_member_name (builder, "nbf");
  json_builder_add_int_value (builder, now);
  json_builder_set_member_name (builder, "name");
  json_builder_add_string_value (builder, name);
  json_builder_set_member_name (builder, "preferred_username");
  json_builder_add_string_value (builder, login);
  json_builder_set_member_name (builder, "email");
  json_builder_add_string_value (builder, login);
  json_builder_set_member_name (builder, "oid");
  json_builder_add_string_value (builder, oid);
  json_builder_set_member_name (builder, "tid");
  json_builder_add_string_value (builder, tid);
  if (nonce != NULL)
    {
      json_builder_set_member_name (builder, "nonce");
      json_builder_add_string_value (builder, nonce);
    }
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  payload = json_to_string (root, FALSE);
  payload64 = base64url_encode ((const guint8 *) payload, strlen (payload));

  return g_strjoin (".", header64, payload64, signature, NULL);
}

/* Issues an access token (and a refresh token and an id_token when the scopes ask for them)
 * and answers with Microsoft's token response. */
static void
reply_tokens (Request    *req,
              const char *tenant,
              const char *login,
              const char *client_id,
              const char *consented,
              const char *requested,
              const char *nonce)
{
  FakeIdp *self = req->self;
  gboolean consumer = g_str_equal (tenant_id_for (tenant, login), CONSUMER_TENANT_ID);
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autofree char *scope = granted_scope (requested ? requested : consented);
  g_autofree char *access = random_token (consumer ? "EwB" : "EwA", 160);
  AccessToken *access_token = g_new0 (AccessToken, 1);

  access_token->login = g_strdup (login);
  access_token->scope = g_strdup (scope);
  access_token->expires_at = g_get_real_time () + (gint64) self->expires_in * G_USEC_PER_SEC;
  g_hash_table_insert (self->access_tokens, g_strdup (access), access_token);
  self->access_tokens_issued++;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "token_type");
  json_builder_add_string_value (builder, "Bearer");
  json_builder_set_member_name (builder, "scope");
  json_builder_add_string_value (builder, scope);
  json_builder_set_member_name (builder, "expires_in");
  json_builder_add_int_value (builder, self->expires_in);
  json_builder_set_member_name (builder, "ext_expires_in");
  json_builder_add_int_value (builder, self->expires_in);
  json_builder_set_member_name (builder, "access_token");
  json_builder_add_string_value (builder, access);

  if (scope_has (consented, "offline_access"))
    {
      g_autofree char *refresh = random_token (consumer ? "M.C5_BAY." : "1.AQ", 96);
      RefreshToken *refresh_token = g_new0 (RefreshToken, 1);

      refresh_token->login = g_strdup (login);
      refresh_token->scope = g_strdup (consented);
      refresh_token->client_id = g_strdup (client_id);
      refresh_token->tenant = g_strdup (tenant);
      refresh_token->issued_at = g_get_real_time () / G_USEC_PER_SEC;
      g_hash_table_insert (self->refresh_tokens, g_strdup (refresh), refresh_token);
      self->refresh_tokens_issued++;

      json_builder_set_member_name (builder, "refresh_token");
      json_builder_add_string_value (builder, refresh);
    }

  if (scope_has (consented, "openid"))
    {
      g_autofree char *id_token = build_id_token (self, tenant, login, nonce);

      json_builder_set_member_name (builder, "id_token");
      json_builder_add_string_value (builder, id_token);
    }

  json_builder_end_object (builder);
  reply_builder (req, 200, builder);
}

/* ---------------------------------------------------------------------------------------------
 * /{tenant}/oauth2/v2.0/authorize
 * ------------------------------------------------------------------------------------------- */

/* Checks what Microsoft checks before it shows its page. */
static gboolean
check_authorize (FakeIdp    *self,
                 const char *tenant,
                 GHashTable *params,
                 Problem    *problem)
{
  const char *client_id = param (params, "client_id");
  const char *redirect_uri = param (params, "redirect_uri");
  const char *response_type = param (params, "response_type");
  const char *response_mode = param (params, "response_mode");
  const char *challenge = param (params, "code_challenge");
  const char *method = param (params, "code_challenge_method");
  const char *prompt = param (params, "prompt");

  /* Nothing can go back to the app until the app and its redirect URI are known. */
  if (!tenant_is_valid (tenant))
    problem_set (problem, "invalid_request", 90002, FALSE,
                 "Tenant '%s' not found. Check to make sure you have the correct tenant ID and "
                 "are signing into the correct cloud.", tenant);
  else if (client_id == NULL)
    problem_set (problem, "invalid_request", 900144, FALSE,
                 "The request body must contain the following parameter: 'client_id'.");
  else if (!is_guid (client_id))
    problem_set (problem, "invalid_request", 700038, FALSE,
                 "%s is not a valid application identifier.", client_id);
  else if (g_ascii_strcasecmp (client_id, self->client_id) != 0)
    problem_set (problem, "unauthorized_client", 700016, FALSE,
                 "Application with identifier '%s' was not found in the directory '%s'.",
                 client_id, tenant);
  else if (redirect_uri == NULL)
    problem_set (problem, "invalid_request", 900971, FALSE, "No reply address provided.");
  else if (!redirect_uri_is_valid (redirect_uri))
    problem_set (problem, "invalid_request", 50011, FALSE,
                 "The redirect URI '%s' specified in the request does not match the redirect "
                 "URIs configured for the application '%s'.", redirect_uri, client_id);

  /* From here on, errors go back to the app. */
  else if (response_mode != NULL && !g_str_equal (response_mode, "query")
           && !g_str_equal (response_mode, "fragment")
           && !g_str_equal (response_mode, "form_post"))
    problem_set (problem, "invalid_request", 70007, TRUE,
                 "The application returned an unsupported value of 'response_mode'.");
  else if (response_type == NULL)
    problem_set (problem, "invalid_request", 900144, TRUE,
                 "The request body must contain the following parameter: 'response_type'.");
  else if (!g_str_equal (response_type, "code"))
    problem_set (problem, "unsupported_response_type", 70005, TRUE,
                 "response_type '%s' is not enabled for the application.", response_type);
  else if (param (params, "scope") == NULL)
    problem_set (problem, "invalid_request", 900144, TRUE,
                 "The request body must contain the following parameter: 'scope'.");
  else if (param (params, "state") == NULL)
    problem_set (problem, "invalid_request", 900144, TRUE,
                 "The request body must contain the following parameter: 'state'.");
  else if (challenge == NULL)
    problem_set (problem, "invalid_request", 900144, TRUE,
                 "The request body must contain the following parameter: 'code_challenge'.");
  else if (strlen (challenge) < 43 || strlen (challenge) > 128)
    problem_set (problem, "invalid_request", 501491, TRUE,
                 "Invalid size of Code_Challenge parameter.");
  else if (g_strcmp0 (method, "S256") != 0)
    problem_set (problem, "invalid_request", 90100, TRUE,
                 "code_challenge_method parameter is empty or not valid: only S256 is "
                 "accepted here.");
  else if (g_strcmp0 (prompt, "none") == 0)
    problem_set (problem, "login_required", 50058, TRUE,
                 "A silent sign-in request was sent but no user is signed in.");
  else if (prompt != NULL && !g_str_equal (prompt, "login") && !g_str_equal (prompt, "consent")
           && !g_str_equal (prompt, "select_account"))
    problem_set (problem, "invalid_request", 90100, TRUE,
                 "prompt parameter is empty or not valid.");
  else
    return TRUE;

  return FALSE;
}

static void
reply_signin_page (Request    *req,
                   const char *tenant,
                   GHashTable *params,
                   const char *login,
                   const char *error)
{
  static const char * const hidden[] = {
    "client_id", "redirect_uri", "response_type", "response_mode", "scope", "state",
    "code_challenge", "code_challenge_method", "nonce", "prompt", "domain_hint", NULL,
  };
  g_autoptr(GString) page = g_string_new (NULL);
  g_autofree char *tenant_html = g_markup_escape_text (tenant, -1);
  g_autofree char *login_html = g_markup_escape_text (login ? login : "", -1);
  g_autofree char *client_html = g_markup_escape_text (param (params, "client_id"), -1);
  g_auto(GStrv) scopes = g_strsplit_set (param (params, "scope"), " ", -1);

  page_begin (page, "Sign in to your account");
  g_string_append_printf (page,
                          "<h1>Sign in</h1>\n<form id=\"signin-form\" method=\"POST\" "
                          "action=\"/%s/oauth2/v2.0/authorize/submit\">\n",
                          tenant_html);
  for (guint i = 0; hidden[i]; i++)
    {
      g_autofree char *value = NULL;

      if (param (params, hidden[i]) == NULL)
        continue;
      value = g_markup_escape_text (param (params, hidden[i]), -1);
      g_string_append_printf (page, "<input type=\"hidden\" name=\"%s\" value=\"%s\">\n",
                              hidden[i], value);
    }

  if (error != NULL)
    {
      g_autofree char *error_html = g_markup_escape_text (error, -1);

      g_string_append_printf (page, "<p class=\"error\" id=\"error\">%s</p>\n", error_html);
    }

  g_string_append_printf (page,
                          "<label for=\"login\">Email, phone, or Skype</label>\n"
                          "<input type=\"email\" id=\"login\" name=\"login\" value=\"%s\" "
                          "autocomplete=\"username\" required>\n"
                          "<label for=\"password\">Password</label>\n"
                          "<input type=\"password\" id=\"password\" name=\"password\" "
                          "autocomplete=\"current-password\">\n"
                          "<h2>Permissions requested</h2>\n"
                          "<p><b>" APP_NAME "</b> <span class=\"details\">(%s)</span> "
                          "would like to:</p>\n<ul id=\"scopes\">\n",
                          login_html, client_html);
  for (guint i = 0; scopes[i]; i++)
    {
      const char *words = scope_in_words (scopes[i]);
      g_autofree char *scope_html = g_markup_escape_text (scopes[i], -1);

      if (scopes[i][0] == '\0')
        continue;
      if (words != NULL)
        g_string_append_printf (page, "<li title=\"%s\">%s</li>\n", scope_html, words);
      else
        g_string_append_printf (page, "<li title=\"%s\">Use the permission “%s”</li>\n",
                                scope_html, scope_html);
    }
  g_string_append (page,
                   "</ul>\n<p class=\"details\">Accepting these permissions means that you allow "
                   "this app to use your data as specified in their terms of service and privacy "
                   "statement. Any password is accepted here; “wrong-password” shows how a "
                   "wrong one looks.</p>\n"
                   "<div class=\"buttons\"><button type=\"submit\" id=\"accept\" name=\"action\" "
                   "value=\"accept\">Accept</button><button type=\"submit\" id=\"decline\" "
                   "name=\"action\" value=\"decline\" formnovalidate>Cancel</button></div>\n"
                   "</form>\n");
  page_end (page);

  reply_page (req, 200, page);
}

static void
handle_authorize (Request    *req,
                  const char *tenant)
{
  GHashTable *params = req->query;
  Problem problem = { 0 };

  remember_params (req->self, ENDPOINT_AUTHORIZE, params);

  if (!g_str_equal (req->method, "GET"))
    {
      reply_error_page (req, 400, 900561,
                        "The endpoint only accepts GET requests. Received a POST request.");
      return;
    }

  /* The first checks decide whether even an injected error can go back to the app. */
  if (!check_authorize (req->self, tenant, params, &problem) && !problem.redirectable)
    {
      reply_error_page (req, 400, problem.aadsts, problem.description);
      problem_clear (&problem);
      return;
    }

  if (apply_injection (req, ENDPOINT_AUTHORIZE, NULL, params))
    {
      problem_clear (&problem);
      return;
    }

  if (problem.error != NULL)
    reply_to_client_error (req, params, problem.error, problem.aadsts, problem.description);
  else
    reply_signin_page (req, tenant, params, param (params, "login_hint"), NULL);

  problem_clear (&problem);
}

static void
handle_authorize_submit (Request    *req,
                         const char *tenant)
{
  FakeIdp *self = req->self;
  GHashTable *params = req->form;
  const char *login = param (params, "login");
  const char *action = param (params, "action");
  Problem problem = { 0 };
  g_autofree char *code = NULL;
  AuthCode *auth_code;

  if (!g_str_equal (req->method, "POST") || params == NULL)
    {
      reply_error_page (req, 400, 900561,
                        "The endpoint only accepts POST requests with a form body.");
      return;
    }

  if (!check_authorize (self, tenant, params, &problem))
    {
      if (problem.redirectable)
        reply_to_client_error (req, params, problem.error, problem.aadsts, problem.description);
      else
        reply_error_page (req, 400, problem.aadsts, problem.description);
      problem_clear (&problem);
      return;
    }

  if (g_strcmp0 (action, "decline") == 0)
    {
      reply_to_client_error (req, params, "access_denied", 65004,
                             "User declined to consent to access the app.");
      return;
    }

  if (login == NULL || strchr (login, '@') == NULL)
    {
      reply_signin_page (req, tenant, params, login,
                         "Enter a valid email address, phone number, or Skype name.");
      return;
    }

  if (g_strcmp0 (param (params, "password"), "wrong-password") == 0)
    {
      reply_signin_page (req, tenant, params, login,
                         "Your account or password is incorrect. (AADSTS50126)");
      return;
    }

  code = random_token (is_consumer_address (login) ? "M.C5_BAY." : "0.AX", 64);
  auth_code = g_new0 (AuthCode, 1);
  auth_code->client_id = g_strdup (param (params, "client_id"));
  auth_code->redirect_uri = g_strdup (param (params, "redirect_uri"));
  auth_code->scope = g_strdup (param (params, "scope"));
  auth_code->challenge = g_strdup (param (params, "code_challenge"));
  auth_code->tenant = g_strdup (tenant);
  auth_code->login = g_strdup (login);
  auth_code->nonce = g_strdup (param (params, "nonce"));
  auth_code->expires_at = g_get_monotonic_time () + CODE_LIFETIME_S * G_USEC_PER_SEC;
  g_hash_table_insert (self->codes, g_strdup (code), auth_code);
  self->codes_issued++;

  {
    const char *pairs[] = { "code", code, "state", param (params, "state"), NULL };

    reply_to_client (req, params, pairs);
  }
}

/* ---------------------------------------------------------------------------------------------
 * /{tenant}/oauth2/v2.0/token
 * ------------------------------------------------------------------------------------------- */

static gboolean
verifier_matches (const char *verifier,
                  const char *challenge)
{
  g_autoptr(GChecksum) checksum = NULL;
  g_autofree char *computed = NULL;
  guint8 digest[32];
  gsize length = sizeof digest;
  gsize verifier_length = strlen (verifier);

  /* RFC 7636 §4.1: 43–128 characters of [A-Za-z0-9-._~]. */
  if (verifier_length < 43 || verifier_length > 128)
    return FALSE;
  for (const char *p = verifier; *p; p++)
    {
      if (!g_ascii_isalnum (*p) && strchr ("-._~", *p) == NULL)
        return FALSE;
    }

  checksum = g_checksum_new (G_CHECKSUM_SHA256);
  g_checksum_update (checksum, (const guchar *) verifier, verifier_length);
  g_checksum_get_digest (checksum, digest, &length);
  computed = base64url_encode (digest, length);

  return g_str_equal (computed, challenge);
}

static void
grant_authorization_code (Request    *req,
                          const char *tenant)
{
  FakeIdp *self = req->self;
  GHashTable *params = req->form;
  const char *code = param (params, "code");
  const char *redirect_uri = param (params, "redirect_uri");
  const char *verifier = param (params, "code_verifier");
  const char *scope = param (params, "scope");
  Problem problem = { 0 };
  AuthCode *auth_code;

  if (code == NULL)
    problem_set (&problem, "invalid_request", 900144, FALSE,
                 "The request body must contain the following parameter: 'code'.");
  else if (redirect_uri == NULL)
    problem_set (&problem, "invalid_request", 900144, FALSE,
                 "The request body must contain the following parameter: 'redirect_uri'.");

  if (problem.error != NULL)
    {
      reply_problem (req, &problem);
      problem_clear (&problem);
      return;
    }

  auth_code = g_hash_table_lookup (self->codes, code);
  if (auth_code == NULL)
    problem_set (&problem, "invalid_grant", 70000, FALSE,
                 "The provided value for the 'code' parameter is not valid.");
  else if (auth_code->redeemed)
    problem_set (&problem, "invalid_grant", 54005, FALSE,
                 "OAuth2 Authorization code was already redeemed, please retry with a new valid "
                 "code or use an existing refresh token.");
  else if (g_get_monotonic_time () >= auth_code->expires_at)
    problem_set (&problem, "invalid_grant", 70008, FALSE,
                 "The provided authorization code or refresh token has expired due to "
                 "inactivity. Send a new interactive authorization request for this user and "
                 "resource.");
  else if (!g_str_equal (auth_code->tenant, tenant))
    problem_set (&problem, "invalid_grant", 700005, FALSE,
                 "Provided Authorization Code is intended to use against other tenant, thus "
                 "rejected.");
  else if (g_ascii_strcasecmp (auth_code->client_id, param (params, "client_id")) != 0)
    problem_set (&problem, "invalid_grant", 70000, FALSE,
                 "Provided grant is invalid or malformed: the code was issued to another "
                 "application.");
  else if (!g_str_equal (auth_code->redirect_uri, redirect_uri))
    problem_set (&problem, "invalid_grant", 50011, FALSE,
                 "The redirect URI '%s' specified in the request does not match the redirect "
                 "URI used to request the authorization code.", redirect_uri);
  else if (verifier == NULL)
    problem_set (&problem, "invalid_request", 900144, FALSE,
                 "The request body must contain the following parameter: 'code_verifier'.");
  else if (!verifier_matches (verifier, auth_code->challenge))
    problem_set (&problem, "invalid_grant", 501481, FALSE,
                 "The Code_Verifier does not match the code_challenge supplied in the "
                 "authorization request.");
  else if (scope != NULL && !scope_is_subset (scope, auth_code->scope))
    problem_set (&problem, "invalid_grant", 65001, FALSE,
                 "The user or administrator has not consented to use the application with ID "
                 "'%s'. Send an interactive authorization request for this user and resource.",
                 auth_code->client_id);

  /* A code is good for one attempt, whatever its outcome. */
  if (auth_code != NULL && !auth_code->redeemed)
    {
      auth_code->redeemed = TRUE;
      self->codes_redeemed++;
    }

  if (problem.error != NULL)
    {
      reply_problem (req, &problem);
      problem_clear (&problem);
      return;
    }

  reply_tokens (req, auth_code->tenant, auth_code->login, auth_code->client_id,
                auth_code->scope, scope, auth_code->nonce);
}

static void
grant_refresh_token (Request    *req,
                     const char *tenant)
{
  FakeIdp *self = req->self;
  GHashTable *params = req->form;
  const char *refresh = param (params, "refresh_token");
  const char *scope = param (params, "scope");
  Problem problem = { 0 };
  RefreshToken *token;

  if (refresh == NULL)
    {
      problem_set (&problem, "invalid_request", 900144, FALSE,
                   "The request body must contain the following parameter: 'refresh_token'.");
      reply_problem (req, &problem);
      problem_clear (&problem);
      return;
    }

  token = g_hash_table_lookup (self->refresh_tokens, refresh);
  if (token == NULL)
    problem_set (&problem, "invalid_grant", 9002313, FALSE,
                 "Invalid request. Request is malformed or invalid.");
  else if (token->revoked)
    problem_set (&problem, "invalid_grant", 50173,  FALSE,
                 "The provided grant has expired due to it being revoked, a fresh auth token is "
                 "needed. The user might have changed or reset their password.");
  else if (token->used)
    problem_set (&problem, "invalid_grant", 70000, FALSE,
                 "Provided grant is invalid or malformed: this refresh token was already used "
                 "(mend-fake-idp rotates refresh tokens strictly).");
  else if (g_ascii_strcasecmp (token->client_id, param (params, "client_id")) != 0)
    problem_set (&problem, "invalid_grant", 70000, FALSE,
                 "Provided grant is invalid or malformed: the refresh token was issued to "
                 "another application.");
  else if (scope != NULL && !scope_is_subset (scope, token->scope))
    problem_set (&problem, "invalid_grant", 65001, FALSE,
                 "The user or administrator has not consented to use the application with ID "
                 "'%s'. Send an interactive authorization request for this user and resource.",
                 token->client_id);

  if (problem.error != NULL)
    {
      self->refresh_refused++;
      reply_problem (req, &problem);
      problem_clear (&problem);
      return;
    }

  token->used = TRUE;
  self->refresh_grants++;
  reply_tokens (req, token->tenant, token->login, token->client_id, token->scope, scope, NULL);
}

static DeviceCode *
lookup_user_code (FakeIdp    *self,
                  const char *user_code)
{
  g_autoptr(GString) wanted = g_string_new (NULL);
  DeviceCode *newest = NULL;
  GHashTableIter iter;
  gpointer value;

  for (const char *p = user_code ? user_code : ""; *p; p++)
    {
      if (g_ascii_isalnum (*p))
        g_string_append_c (wanted, g_ascii_toupper (*p));
    }

  g_hash_table_iter_init (&iter, self->device_codes);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      DeviceCode *device = value;

      if (wanted->len > 0)
        {
          if (g_str_equal (device->user_code, wanted->str))
            return device;
        }
      else if (device->state == DEVICE_PENDING
               && (newest == NULL || device->serial > newest->serial))
        {
          newest = device;
        }
    }

  return newest;
}

static void
grant_device_code (Request    *req,
                   const char *tenant)
{
  FakeIdp *self = req->self;
  const char *device_code = param (req->form, "device_code");
  Problem problem = { 0 };
  DeviceCode *device;
  gint64 now = g_get_monotonic_time ();

  self->device_polls++;

  if (device_code == NULL)
    {
      problem_set (&problem, "invalid_request", 900144, FALSE,
                   "The request body must contain the following parameter: 'device_code'.");
      reply_problem (req, &problem);
      problem_clear (&problem);
      return;
    }

  device = g_hash_table_lookup (self->device_codes, device_code);
  if (device == NULL)
    problem_set (&problem, "bad_verification_code", 70018, FALSE,
                 "Invalid verification code due to User typing in wrong user code for device "
                 "code flow. Authorization is not approved.");
  else if (device->state == DEVICE_REDEEMED)
    problem_set (&problem, "invalid_grant", 70000, FALSE,
                 "Provided grant is invalid or malformed: this device code was already "
                 "redeemed.");
  else if (now >= device->expires_at)
    problem_set (&problem, "expired_token", 70019, FALSE, "Verification code expired.");
  else if (device->last_poll != 0
           && now - device->last_poll < (gint64) self->interval * G_USEC_PER_SEC - 50000)
    problem_set (&problem, "slow_down", 70016, FALSE,
                 "OAuth 2.0 device flow error. Authorization is pending. Polled faster than the "
                 "interval of %u seconds: slow down.", self->interval);
  else if (device->state == DEVICE_PENDING)
    problem_set (&problem, "authorization_pending", 70016, FALSE,
                 "OAuth 2.0 device flow error. Authorization is pending. Continue polling.");
  else if (device->state == DEVICE_DECLINED)
    problem_set (&problem, "authorization_declined", 70000, FALSE,
                 "The end user denied the authorization request.");

  if (device != NULL)
    device->last_poll = now;

  if (problem.error != NULL)
    {
      reply_problem (req, &problem);
      problem_clear (&problem);
      return;
    }

  device->state = DEVICE_REDEEMED;
  reply_tokens (req, device->tenant, device->login, device->client_id, device->scope, NULL,
                NULL);
}

/* Checks the client part of a token or devicecode request. */
static gboolean
check_client (FakeIdp    *self,
              const char *tenant,
              GHashTable *params,
              Problem    *problem)
{
  const char *client_id = param (params, "client_id");

  if (!tenant_is_valid (tenant))
    problem_set (problem, "invalid_request", 90002, FALSE,
                 "Tenant '%s' not found. Check to make sure you have the correct tenant ID and "
                 "are signing into the correct cloud.", tenant);
  else if (client_id == NULL)
    problem_set (problem, "invalid_request", 900144, FALSE,
                 "The request body must contain the following parameter: 'client_id'.");
  else if (!is_guid (client_id))
    problem_set (problem, "invalid_request", 700038, FALSE,
                 "%s is not a valid application identifier.", client_id);
  else if (g_ascii_strcasecmp (client_id, self->client_id) != 0)
    problem_set (problem, "unauthorized_client", 700016, FALSE,
                 "Application with identifier '%s' was not found in the directory '%s'.",
                 client_id, tenant);
  else if (param (params, "client_secret") != NULL || param (params, "client_assertion") != NULL)
    problem_set (problem, "invalid_client", 700025, FALSE,
                 "Client is public so neither 'client_assertion' nor 'client_secret' should be "
                 "presented.");
  else
    return TRUE;

  return FALSE;
}

/* The body must be a form: anything else reads as a request with no parameters. */
static gboolean
check_post_form (Request    *req,
                 const char *first_parameter)
{
  g_autofree char *text = NULL;

  if (!g_str_equal (req->method, "POST"))
    {
      text = g_strdup_printf ("The endpoint only accepts POST, OPTIONS requests. Received a %s "
                              "request.", req->method);
      reply_oauth_error (req, 400, "invalid_request", 900561, text);
      return FALSE;
    }

  if (req->form == NULL)
    {
      text = g_strdup_printf ("The request body must contain the following parameter: '%s'.",
                              first_parameter);
      reply_oauth_error (req, 400, "invalid_request", 900144, text);
      return FALSE;
    }

  return TRUE;
}

static void
handle_token (Request    *req,
              const char *tenant)
{
  const char *grant_type;
  Problem problem = { 0 };

  remember_params (req->self, ENDPOINT_TOKEN, req->form);

  if (!check_post_form (req, "grant_type"))
    return;

  grant_type = param (req->form, "grant_type");
  g_string_append_printf (req->note, " grant_type=%s",
                          g_strcmp0 (grant_type, DEVICE_GRANT_TYPE) == 0 ? "device_code"
                          : grant_type ? grant_type : "(none)");

  if (apply_injection (req, ENDPOINT_TOKEN, grant_type, NULL))
    return;

  if (grant_type == NULL)
    problem_set (&problem, "invalid_request", 900144, FALSE,
                 "The request body must contain the following parameter: 'grant_type'.");
  else if (!g_str_equal (grant_type, "authorization_code")
           && !g_str_equal (grant_type, "refresh_token")
           && !g_str_equal (grant_type, DEVICE_GRANT_TYPE))
    problem_set (&problem, "unsupported_grant_type", 70003,  FALSE,
                 "The app requested an unsupported grant type '%s'.", grant_type);
  else
    check_client (req->self, tenant, req->form, &problem);

  if (problem.error != NULL)
    {
      reply_problem (req, &problem);
      problem_clear (&problem);
      return;
    }

  if (g_str_equal (grant_type, "authorization_code"))
    grant_authorization_code (req, tenant);
  else if (g_str_equal (grant_type, "refresh_token"))
    grant_refresh_token (req, tenant);
  else
    grant_device_code (req, tenant);
}

/* ---------------------------------------------------------------------------------------------
 * /{tenant}/oauth2/v2.0/devicecode and /devicelogin
 * ------------------------------------------------------------------------------------------- */

static void
handle_devicecode (Request    *req,
                   const char *tenant)
{
  FakeIdp *self = req->self;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autofree char *verification_uri = NULL;
  g_autofree char *message = NULL;
  Problem problem = { 0 };
  DeviceCode *device;
  char user_code[9];
  guint8 letters[8];

  remember_params (self, ENDPOINT_DEVICECODE, req->form);

  if (!check_post_form (req, "client_id"))
    return;

  if (apply_injection (req, ENDPOINT_DEVICECODE, NULL, NULL))
    return;

  if (check_client (self, tenant, req->form, &problem) && param (req->form, "scope") == NULL)
    problem_set (&problem, "invalid_request", 900144, FALSE,
                 "The request body must contain the following parameter: 'scope'.");

  if (problem.error != NULL)
    {
      reply_problem (req, &problem);
      problem_clear (&problem);
      return;
    }

  do
    {
      random_bytes (letters, sizeof letters);
      for (guint i = 0; i < sizeof letters; i++)
        user_code[i] = 'A' + letters[i] % 26;
      user_code[8] = '\0';
    }
  while (lookup_user_code (self, user_code) != NULL);

  device = g_new0 (DeviceCode, 1);
  device->device_code = random_token ("DAQABAAEAAA", 96);
  device->user_code = g_strdup (user_code);
  device->client_id = g_strdup (param (req->form, "client_id"));
  device->scope = g_strdup (param (req->form, "scope"));
  device->tenant = g_strdup (tenant);
  device->expires_at = g_get_monotonic_time ()
                       + (gint64) self->device_code_lifetime * G_USEC_PER_SEC;
  device->serial = ++self->device_serial;
  device->state = DEVICE_PENDING;
  g_hash_table_insert (self->device_codes, g_strdup (device->device_code), device);
  self->device_codes_issued++;

  verification_uri = g_strdup_printf ("%s/devicelogin", self->base_url);
  message = g_strdup_printf ("To sign in, use a web browser to open the page %s and enter the "
                             "code %s to authenticate.", verification_uri, user_code);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "user_code");
  json_builder_add_string_value (builder, user_code);
  json_builder_set_member_name (builder, "device_code");
  json_builder_add_string_value (builder, device->device_code);
  json_builder_set_member_name (builder, "verification_uri");
  json_builder_add_string_value (builder, verification_uri);
  json_builder_set_member_name (builder, "expires_in");
  json_builder_add_int_value (builder, self->device_code_lifetime);
  json_builder_set_member_name (builder, "interval");
  json_builder_add_int_value (builder, self->interval);
  json_builder_set_member_name (builder, "message");
  json_builder_add_string_value (builder, message);
  json_builder_end_object (builder);

  reply_builder (req, 200, builder);
}

/* Approves or declines; returns an explanation when it cannot. */
static const char *
decide_device_code (FakeIdp    *self,
                    const char *user_code,
                    const char *login,
                    gboolean    approve)
{
  DeviceCode *device = lookup_user_code (self, user_code);

  if (device == NULL)
    return "We don't recognize this code.";
  if (g_get_monotonic_time () >= device->expires_at)
    return "This code has expired.";
  if (device->state != DEVICE_PENDING)
    return "This code was already used.";

  device->state = approve ? DEVICE_APPROVED : DEVICE_DECLINED;
  g_free (device->login);
  device->login = g_strdup (login ? login : DEFAULT_LOGIN);

  return NULL;
}

static void
reply_devicelogin_page (Request    *req,
                        const char *error)
{
  g_autoptr(GString) page = g_string_new (NULL);

  page_begin (page, "Enter code");
  g_string_append (page, "<h1>Enter code</h1>\n<p>Enter the code displayed on your app or "
                         "device.</p>\n");
  if (error != NULL)
    {
      g_autofree char *error_html = g_markup_escape_text (error, -1);

      g_string_append_printf (page, "<p class=\"error\" id=\"error\">%s</p>\n", error_html);
    }
  g_string_append (page,
                   "<form id=\"device-form\" method=\"POST\" action=\"/devicelogin\">\n"
                   "<label for=\"user_code\">Code</label>\n"
                   "<input type=\"text\" id=\"user_code\" name=\"user_code\" "
                   "autocomplete=\"off\" required>\n"
                   "<label for=\"login\">Sign in as</label>\n"
                   "<input type=\"email\" id=\"login\" name=\"login\" value=\"" DEFAULT_LOGIN
                   "\">\n<div class=\"buttons\"><button type=\"submit\" id=\"accept\" "
                   "name=\"action\" value=\"accept\">Next</button><button type=\"submit\" "
                   "id=\"decline\" name=\"action\" value=\"decline\">Cancel</button></div>\n"
                   "</form>\n");
  page_end (page);
  reply_page (req, 200, page);
}

static void
handle_devicelogin (Request *req)
{
  g_autoptr(GString) page = NULL;
  gboolean approve;
  const char *problem;

  if (g_str_equal (req->method, "GET"))
    {
      reply_devicelogin_page (req, NULL);
      return;
    }

  if (!g_str_equal (req->method, "POST") || param (req->form, "user_code") == NULL)
    {
      reply_devicelogin_page (req, "Enter the code displayed on your app or device.");
      return;
    }

  approve = g_strcmp0 (param (req->form, "action"), "decline") != 0;
  problem = decide_device_code (req->self, param (req->form, "user_code"),
                                param (req->form, "login"), approve);
  if (problem != NULL)
    {
      reply_devicelogin_page (req, problem);
      return;
    }

  page = g_string_new (NULL);
  page_begin (page, approve ? "Signed in" : "Sign-in cancelled");
  if (approve)
    g_string_append (page, "<h1 id=\"done\">You're signed in</h1>\n<p>You have signed in to the "
                           APP_NAME " application on your device. You may now close this "
                           "window.</p>\n");
  else
    g_string_append (page, "<h1 id=\"done\">Sign-in cancelled</h1>\n<p>You may now close this "
                           "window.</p>\n");
  page_end (page);
  reply_page (req, 200, page);
}

/* ---------------------------------------------------------------------------------------------
 * /introspect
 * ------------------------------------------------------------------------------------------- */

static void
handle_introspect (Request *req)
{
  FakeIdp *self = req->self;
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (req->msg);
  const char *authorization = soup_message_headers_get_one (headers, "Authorization");
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  const char *token = NULL;
  AccessToken *access;

  if (authorization != NULL && g_ascii_strncasecmp (authorization, "Bearer ", 7) == 0)
    token = authorization + 7;
  else if (param (req->form, "token") != NULL)
    token = param (req->form, "token");
  else if (param (req->query, "token") != NULL)
    token = param (req->query, "token");

  if (authorization != NULL)
    g_hash_table_insert (seen, (gpointer) "authorization", (gpointer) authorization);
  if (token != NULL)
    g_hash_table_insert (seen, (gpointer) "token", (gpointer) token);
  remember_params (self, ENDPOINT_INTROSPECT, seen);

  if (apply_injection (req, ENDPOINT_INTROSPECT, NULL, NULL))
    return;

  access = token ? g_hash_table_lookup (self->access_tokens, token) : NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "active");
  if (access != NULL && !access->revoked && g_get_real_time () < access->expires_at)
    {
      json_builder_add_boolean_value (builder, TRUE);
      json_builder_set_member_name (builder, "mail");
      json_builder_add_string_value (builder, access->login);
      json_builder_set_member_name (builder, "scope");
      json_builder_add_string_value (builder, access->scope);
      json_builder_set_member_name (builder, "exp");
      json_builder_add_int_value (builder, access->expires_at / G_USEC_PER_SEC);
      g_string_append (req->note, " active");
    }
  else
    {
      json_builder_add_boolean_value (builder, FALSE);
      g_string_append (req->note, " inactive");
    }
  json_builder_end_object (builder);

  reply_builder (req, 200, builder);
}

/* ---------------------------------------------------------------------------------------------
 * /_test/…
 * ------------------------------------------------------------------------------------------- */

/* Query and form fields together, the form winning. */
static GHashTable *
control_params (Request *req)
{
  GHashTable *params = g_hash_table_new (g_str_hash, g_str_equal);
  GHashTable *sources[] = { req->query, req->form };

  for (guint i = 0; i < G_N_ELEMENTS (sources); i++)
    {
      GHashTableIter iter;
      gpointer key, value;

      if (sources[i] == NULL)
        continue;
      g_hash_table_iter_init (&iter, sources[i]);
      while (g_hash_table_iter_next (&iter, &key, &value))
        g_hash_table_insert (params, key, value);
    }

  return params;
}

static gboolean
parse_uint (const char *text,
            guint       max,
            guint      *value)
{
  guint64 parsed;

  if (text == NULL)
    {
      *value = 0;
      return TRUE;
    }

  if (!g_ascii_string_to_unsigned (text, 10, 0, max, &parsed, NULL))
    return FALSE;

  *value = parsed;
  return TRUE;
}

static void
control_next_error (Request    *req,
                    GHashTable *params)
{
  FakeIdp *self = req->self;
  const char *endpoint = param (params, "endpoint");
  Injection *injection = g_new0 (Injection, 1);
  guint malformed = 0;
  gboolean found = FALSE;

  for (guint i = 0; endpoint != NULL && i < N_ENDPOINTS; i++)
    {
      if (g_str_equal (endpoint, endpoint_names[i]))
        {
          injection->endpoint = i;
          found = TRUE;
        }
    }

  if (!found
      || !parse_uint (param (params, "aadsts"), G_MAXUINT, &injection->aadsts)
      || !parse_uint (param (params, "status"), 599, &injection->status)
      || (injection->status != 0 && injection->status < 200)
      || !parse_uint (param (params, "delay_ms"), 600000, &injection->delay_ms)
      || !parse_uint (param (params, "malformed"), 1, &malformed)
      || !parse_uint (param (params, "count"), 100000, &injection->count))
    {
      injection_free (injection);
      reply_control (req, 400, "error",
                     "expected endpoint=authorize|token|devicecode|introspect and numbers for "
                     "aadsts, status (200-599), delay_ms, malformed (0|1) and count");
      return;
    }

  injection->malformed = malformed != 0;
  injection->error = g_strdup (param (params, "error"));
  injection->grant_type = g_strdup (param (params, "grant_type"));
  if (g_strcmp0 (injection->grant_type, "device_code") == 0)
    {
      g_free (injection->grant_type);
      injection->grant_type = g_strdup (DEVICE_GRANT_TYPE);
    }
  if (injection->count == 0)
    injection->count = 1;

  if (injection->error == NULL && injection->aadsts == 0 && injection->status == 0
      && injection->delay_ms == 0 && !injection->malformed)
    {
      injection_free (injection);
      reply_control (req, 400, "error",
                     "nothing to inject: give error, aadsts, status, delay_ms or malformed");
      return;
    }

  g_queue_push_tail (&self->injections, injection);
  reply_control (req, 200, "queued", endpoint);
}

static void
control_decide (Request    *req,
                GHashTable *params,
                gboolean    approve)
{
  const char *problem = decide_device_code (req->self, param (params, "user_code"),
                                            param (params, "login"), approve);

  if (problem != NULL)
    reply_control (req, 404, "error", problem);
  else
    reply_control (req, 200, approve ? "approved" : "declined",
                   param (params, "login") ? param (params, "login") : DEFAULT_LOGIN);
}

static void
control_revoke (Request    *req,
                GHashTable *params)
{
  const char *login = param (params, "login");
  GHashTableIter iter;
  gpointer value;
  guint revoked = 0;
  g_autofree char *text = NULL;

  g_hash_table_iter_init (&iter, req->self->refresh_tokens);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      RefreshToken *token = value;

      if (login == NULL || g_ascii_strcasecmp (login, token->login) == 0)
        {
          token->revoked = TRUE;
          revoked++;
        }
    }

  g_hash_table_iter_init (&iter, req->self->access_tokens);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      AccessToken *token = value;

      if (login == NULL || g_ascii_strcasecmp (login, token->login) == 0)
        {
          token->revoked = TRUE;
          revoked++;
        }
    }

  text = g_strdup_printf ("%u", revoked);
  reply_control (req, 200, "revoked", text);
}

static void
control_expire (Request *req)
{
  GHashTableIter iter;
  gpointer value;

  g_hash_table_iter_init (&iter, req->self->access_tokens);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    ((AccessToken *) value)->expires_at = 0;

  g_hash_table_iter_init (&iter, req->self->codes);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    ((AuthCode *) value)->expires_at = 0;

  reply_control (req, 200, "expired", "access tokens and authorization codes");
}

static void
add_count (JsonBuilder *builder,
           const char  *name,
           guint        value)
{
  json_builder_set_member_name (builder, name);
  json_builder_add_int_value (builder, value);
}

static void
control_state (Request *req)
{
  FakeIdp *self = req->self;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  gint64 mono = g_get_monotonic_time ();
  gint64 real = g_get_real_time ();
  guint codes_alive = 0, refresh_alive = 0, refresh_used = 0, refresh_revoked = 0;
  guint access_alive = 0, pending = 0, approved = 0, declined = 0, redeemed = 0;
  GHashTableIter iter;
  gpointer value;

  g_hash_table_iter_init (&iter, self->codes);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      AuthCode *code = value;

      codes_alive += !code->redeemed && mono < code->expires_at;
    }

  g_hash_table_iter_init (&iter, self->refresh_tokens);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      RefreshToken *token = value;

      refresh_used += token->used;
      refresh_revoked += token->revoked;
      refresh_alive += !token->used && !token->revoked;
    }

  g_hash_table_iter_init (&iter, self->access_tokens);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      AccessToken *token = value;

      access_alive += !token->revoked && real < token->expires_at;
    }

  g_hash_table_iter_init (&iter, self->device_codes);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      DeviceCode *device = value;

      switch (device->state)
        {
        case DEVICE_PENDING:
          pending++;
          break;
        case DEVICE_APPROVED:
          approved++;
          break;
        case DEVICE_DECLINED:
          declined++;
          break;
        case DEVICE_REDEEMED:
          redeemed++;
          break;
        default:
          g_assert_not_reached ();
        }
    }

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "base_url");
  json_builder_add_string_value (builder, self->base_url);
  json_builder_set_member_name (builder, "client_id");
  json_builder_add_string_value (builder, self->client_id);

  json_builder_set_member_name (builder, "codes");
  json_builder_begin_object (builder);
  add_count (builder, "issued", self->codes_issued);
  add_count (builder, "redeemed", self->codes_redeemed);
  add_count (builder, "alive", codes_alive);
  json_builder_end_object (builder);

  json_builder_set_member_name (builder, "refresh_tokens");
  json_builder_begin_object (builder);
  add_count (builder, "issued", self->refresh_tokens_issued);
  add_count (builder, "alive", refresh_alive);
  add_count (builder, "used", refresh_used);
  add_count (builder, "revoked", refresh_revoked);
  add_count (builder, "grants", self->refresh_grants);
  add_count (builder, "refused", self->refresh_refused);
  json_builder_end_object (builder);

  json_builder_set_member_name (builder, "access_tokens");
  json_builder_begin_object (builder);
  add_count (builder, "issued", self->access_tokens_issued);
  add_count (builder, "alive", access_alive);
  json_builder_end_object (builder);

  json_builder_set_member_name (builder, "device_codes");
  json_builder_begin_object (builder);
  add_count (builder, "issued", self->device_codes_issued);
  add_count (builder, "pending", pending);
  add_count (builder, "approved", approved);
  add_count (builder, "declined", declined);
  add_count (builder, "redeemed", redeemed);
  add_count (builder, "polls", self->device_polls);
  json_builder_end_object (builder);

  add_count (builder, "injections_pending", g_queue_get_length (&self->injections));

  json_builder_set_member_name (builder, "last_requests");
  json_builder_begin_object (builder);
  for (guint i = 0; i < N_ENDPOINTS; i++)
    {
      GHashTableIter param_iter;
      gpointer key, param_value;

      if (self->last_params[i] == NULL)
        continue;

      json_builder_set_member_name (builder, endpoint_names[i]);
      json_builder_begin_object (builder);
      g_hash_table_iter_init (&param_iter, self->last_params[i]);
      while (g_hash_table_iter_next (&param_iter, &key, &param_value))
        {
          json_builder_set_member_name (builder, key);
          json_builder_add_string_value (builder, param_value);
        }
      json_builder_end_object (builder);
    }
  json_builder_end_object (builder);
  json_builder_end_object (builder);

  reply_builder (req, 200, builder);
}

static void
handle_control (Request    *req,
                const char *name)
{
  g_autoptr(GHashTable) params = control_params (req);

  if (g_str_equal (name, "state"))
    {
      if (g_str_equal (req->method, "GET"))
        control_state (req);
      else
        reply_control (req, 405, "error", "GET only");
      return;
    }

  if (!g_str_equal (req->method, "POST"))
    {
      reply_control (req, 405, "error", "POST only");
      return;
    }

  if (g_str_equal (name, "next-error"))
    control_next_error (req, params);
  else if (g_str_equal (name, "approve"))
    control_decide (req, params, TRUE);
  else if (g_str_equal (name, "decline"))
    control_decide (req, params, FALSE);
  else if (g_str_equal (name, "revoke"))
    control_revoke (req, params);
  else if (g_str_equal (name, "expire"))
    control_expire (req);
  else if (g_str_equal (name, "reset"))
    {
      fake_idp_reset (req->self);
      reply_control (req, 200, "reset", "everything");
    }
  else
    reply_control (req, 404, "error", "unknown control");
}

/* ---------------------------------------------------------------------------------------------
 * Dispatch
 * ------------------------------------------------------------------------------------------- */

static void
reply_index (Request *req)
{
  g_autoptr(GString) page = g_string_new (NULL);
  g_autofree char *base = g_markup_escape_text (req->self->base_url, -1);

  page_begin (page, "mend-fake-idp");
  g_string_append_printf (page,
                          "<h1>mend-fake-idp</h1>\n<p>A fake Microsoft identity platform for "
                          "Mailmend. Authority: <code>%s</code>, tenant <code>common</code>.</p>\n"
                          "<ul><li>/{tenant}/oauth2/v2.0/authorize</li>"
                          "<li>/{tenant}/oauth2/v2.0/token</li>"
                          "<li>/{tenant}/oauth2/v2.0/devicecode</li>"
                          "<li><a href=\"/devicelogin\">/devicelogin</a></li>"
                          "<li>/introspect</li><li><a href=\"/_test/state\">/_test/state</a>"
                          "</li></ul>\n",
                          base);
  page_end (page);
  reply_page (req, 200, page);
}

static GHashTable *
parse_form_body (SoupServerMessage *msg)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  const char *content_type = soup_message_headers_get_content_type (headers, NULL);
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *text = NULL;
  gsize length;
  const char *data;

  if (g_strcmp0 (content_type, "application/x-www-form-urlencoded") != 0)
    return NULL;

  bytes = soup_message_body_flatten (soup_server_message_get_request_body (msg));
  data = g_bytes_get_data (bytes, &length);
  text = g_strndup (data, length);

  return soup_form_decode (text);
}

/* The answer is ready; it leaves when the delay is over (unpausing a message whose client
 * went away meanwhile is harmless). */
static gboolean
delayed_answer_cb (gpointer data)
{
  SoupServerMessage *msg = data;

  soup_server_message_unpause (msg);
  g_object_unref (msg);

  return G_SOURCE_REMOVE;
}

static void
server_callback (SoupServer        *server,
                 SoupServerMessage *msg,
                 const char        *path,
                 GHashTable        *query,
                 gpointer           user_data)
{
  g_autoptr(GHashTable) form = parse_form_body (msg);
  g_autoptr(GString) note = g_string_new (NULL);
  g_auto(GStrv) parts = NULL;
  Request req = {
    .self = user_data,
    .msg = msg,
    .method = soup_server_message_get_method (msg),
    .path = path,
    .query = query,
    .form = form,
    .note = note,
  };

  parts = g_strsplit (path, "/", -1);

  if (g_str_equal (path, "/"))
    reply_index (&req);
  else if (g_str_has_prefix (path, "/_test/"))
    handle_control (&req, path + strlen ("/_test/"));
  else if (g_str_equal (path, "/devicelogin"))
    handle_devicelogin (&req);
  else if (g_str_equal (path, "/introspect"))
    handle_introspect (&req);
  else if (g_strv_length (parts) >= 5 && g_str_equal (parts[2], "oauth2")
           && g_str_equal (parts[3], "v2.0") && parts[1][0] != '\0')
    {
      const char *rest = path + strlen (parts[1]) + strlen ("//oauth2/v2.0/");

      if (g_str_equal (rest, "authorize"))
        handle_authorize (&req, parts[1]);
      else if (g_str_equal (rest, "authorize/submit"))
        handle_authorize_submit (&req, parts[1]);
      else if (g_str_equal (rest, "token"))
        handle_token (&req, parts[1]);
      else if (g_str_equal (rest, "devicecode"))
        handle_devicecode (&req, parts[1]);
      else
        reply_text (&req, 404, "text/plain; charset=utf-8", "Not found\n");
    }
  else
    reply_text (&req, 404, "text/plain; charset=utf-8", "Not found\n");

  g_printerr ("mend-fake-idp: %s %s %u%s%s\n", req.method, path,
              soup_server_message_get_status (msg), note->str,
              req.delay_ms ? " (delayed)" : "");

  if (req.delay_ms > 0)
    {
      soup_server_message_pause (msg);
      g_timeout_add (req.delay_ms, delayed_answer_cb, g_object_ref (msg));
    }
}

/* ---------------------------------------------------------------------------------------------
 * main
 * ------------------------------------------------------------------------------------------- */

static gboolean
quit_cb (gpointer data)
{
  g_main_loop_quit (data);

  return G_SOURCE_REMOVE;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GTlsCertificate) certificate = NULL;
  g_autofree char *client_id = NULL;
  g_autofree char *tls_cert = NULL;
  g_autofree char *tls_key = NULL;
  int port = 0;
  int expires_in = 3600;
  int interval = 5;
  int device_code_lifetime = 900;
  FakeIdp self = { 0 };
  SoupServerListenOptions options = SOUP_SERVER_LISTEN_IPV4_ONLY;
  GSList *uris;
  const GOptionEntry entries[] = {
    { "port", 0, 0, G_OPTION_ARG_INT, &port, "Port on 127.0.0.1 (0: any free port)", "N" },
    { "client-id", 0, 0, G_OPTION_ARG_STRING, &client_id,
      "The registered application (default " DEFAULT_CLIENT_ID ")", "GUID" },
    { "expires-in", 0, 0, G_OPTION_ARG_INT, &expires_in,
      "Access token lifetime in seconds (default 3600)", "S" },
    { "interval", 0, 0, G_OPTION_ARG_INT, &interval,
      "Device code polling interval in seconds (default 5)", "S" },
    { "device-code-lifetime", 0, 0, G_OPTION_ARG_INT, &device_code_lifetime,
      "Device code lifetime in seconds (default 900)", "S" },
    { "tls-cert", 0, 0, G_OPTION_ARG_FILENAME, &tls_cert, "Serve https with this certificate",
      "FILE" },
    { "tls-key", 0, 0, G_OPTION_ARG_FILENAME, &tls_key, "The certificate's private key", "FILE" },
    { NULL }
  };

  context = g_option_context_new ("- a fake Microsoft identity platform for tests");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("mend-fake-idp: %s\n", error->message);
      return 2;
    }

  if (port < 0 || port > 65535 || expires_in < 1 || interval < 1 || device_code_lifetime < 1)
    {
      g_printerr ("mend-fake-idp: --port must be 0-65535; --expires-in, --interval and "
                  "--device-code-lifetime at least 1\n");
      return 2;
    }
  if ((tls_cert == NULL) != (tls_key == NULL))
    {
      g_printerr ("mend-fake-idp: --tls-cert and --tls-key go together\n");
      return 2;
    }

  self.client_id = g_strdup (client_id ? client_id : DEFAULT_CLIENT_ID);
  self.expires_in = expires_in;
  self.interval = interval;
  self.device_code_lifetime = device_code_lifetime;
  self.codes = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                      (GDestroyNotify) auth_code_free);
  self.refresh_tokens = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                               (GDestroyNotify) refresh_token_free);
  self.access_tokens = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                              (GDestroyNotify) access_token_free);
  self.device_codes = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                             (GDestroyNotify) device_code_free);
  g_queue_init (&self.injections);

  if (tls_cert != NULL)
    {
      certificate = g_tls_certificate_new_from_files (tls_cert, tls_key, &error);
      if (certificate == NULL)
        {
          g_printerr ("mend-fake-idp: %s\n", error->message);
          return 2;
        }
      options |= SOUP_SERVER_LISTEN_HTTPS;
    }

  self.server = soup_server_new ("server-header", "mend-fake-idp ",
                                 "tls-certificate", certificate,
                                 NULL);
  soup_server_add_handler (self.server, NULL, server_callback, &self, NULL);
  if (!soup_server_listen_local (self.server, port, options, &error))
    {
      g_printerr ("mend-fake-idp: cannot listen on 127.0.0.1:%d: %s\n", port, error->message);
      return 1;
    }

  uris = soup_server_get_uris (self.server);
  g_assert (uris != NULL);
  self.base_url = g_strdup_printf ("%s://127.0.0.1:%d", certificate ? "https" : "http",
                                   g_uri_get_port (uris->data));
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);

  g_print ("listening on %s\n", self.base_url);
  fflush (stdout);

  self.loop = g_main_loop_new (NULL, FALSE);
  g_unix_signal_add (SIGTERM, quit_cb, self.loop);
  g_unix_signal_add (SIGINT, quit_cb, self.loop);
  g_main_loop_run (self.loop);

  g_printerr ("mend-fake-idp: stopping\n");
  soup_server_disconnect (self.server);
  g_clear_object (&self.server);
  fake_idp_reset (&self);
  g_clear_pointer (&self.codes, g_hash_table_unref);
  g_clear_pointer (&self.refresh_tokens, g_hash_table_unref);
  g_clear_pointer (&self.access_tokens, g_hash_table_unref);
  g_clear_pointer (&self.device_codes, g_hash_table_unref);
  g_clear_pointer (&self.loop, g_main_loop_unref);
  g_free (self.client_id);
  g_free (self.base_url);

  return 0;
}
