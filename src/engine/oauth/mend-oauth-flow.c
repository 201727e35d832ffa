/* mend-oauth-flow.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "mend-oauth-flow"

#include "config.h"

#include <errno.h>
#include <sys/random.h>

#include <glib/gi18n.h>
#include <libsoup/soup.h>

#include "mend-oauth-error.h"
#include "mend-oauth-flow-private.h"
#include "mend-oauth-id-token.h"

/* One sign-in attempt: the PKCE verifier and the state, made from
 * getrandom(2) when the flow is created, the authorize address, the check
 * of the redirect, and the body that redeems the code. Everything here is
 * pure: the network layer posts the bodies and hands the answers back to
 * mend_oauth_token_response_parse(). The verifier, the state and the code
 * are secrets: none of them is ever logged or put in an error. */
struct _MendOAuthFlow
{
  GObject            parent_instance;

  MendOAuthSettings *settings;
  char              *verifier;
  char              *challenge;
  char              *state;
};

G_DEFINE_FINAL_TYPE (MendOAuthFlow, mend_oauth_flow, G_TYPE_OBJECT)

/* RFC 7636 §4.1: unreserved characters. */
static const char verifier_alphabet[] =
  "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~";

#define STATE_BYTES 32

static void
secret_free (char *secret)
{
  if (secret != NULL)
    memset (secret, 0, strlen (secret));
  g_free (secret);
}

typedef char SecretString;
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SecretString, secret_free)

/**
 * _mend_oauth_random_bytes:
 *
 * Fills @buffer from the kernel's random number generator. There is no
 * fallback: without it, a sign-in cannot be made safe.
 */
void
_mend_oauth_random_bytes (guint8 *buffer,
                          gsize   length)
{
  gsize done = 0;

  while (done < length)
    {
      ssize_t n = getrandom (buffer + done, length - done, 0);

      if (n < 0)
        {
          if (errno == EINTR)
            continue;
          g_error ("getrandom() failed: %s", g_strerror (errno));
        }

      done += (gsize) n;
    }
}

/**
 * _mend_oauth_base64url_encode:
 *
 * Returns: (transfer full): @data in base64url, without padding (RFC 7636 Appendix A)
 */
char *
_mend_oauth_base64url_encode (const guint8 *data,
                              gsize         length)
{
  char *text = g_base64_encode (data, length);
  char *p;

  for (p = text; *p != '\0'; p++)
    {
      if (*p == '+')
        *p = '-';
      else if (*p == '/')
        *p = '_';
      else if (*p == '=')
        {
          *p = '\0';
          break;
        }
    }

  return text;
}

/**
 * _mend_oauth_generate_verifier:
 *
 * Returns: (transfer full): 64 characters from the RFC 7636 alphabet, each
 *   drawn uniformly (bytes of 198 or more are thrown away: 198 = 3 × 66)
 */
char *
_mend_oauth_generate_verifier (void)
{
  char *verifier = g_malloc (_MEND_OAUTH_VERIFIER_LENGTH + 1);
  const guint n_chars = sizeof verifier_alphabet - 1;
  const guint limit = 256 - (256 % n_chars);
  guint filled = 0;

  while (filled < _MEND_OAUTH_VERIFIER_LENGTH)
    {
      guint8 bytes[_MEND_OAUTH_VERIFIER_LENGTH];

      _mend_oauth_random_bytes (bytes, sizeof bytes);
      for (guint i = 0; i < sizeof bytes && filled < _MEND_OAUTH_VERIFIER_LENGTH; i++)
        if (bytes[i] < limit)
          verifier[filled++] = verifier_alphabet[bytes[i] % n_chars];
      memset (bytes, 0, sizeof bytes);
    }
  verifier[filled] = '\0';

  return verifier;
}

/**
 * _mend_oauth_compute_challenge:
 * @verifier: a PKCE code verifier
 *
 * Returns: (transfer full): BASE64URL(SHA256(ASCII(@verifier))), the S256
 *   code challenge
 */
char *
_mend_oauth_compute_challenge (const char *verifier)
{
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
  guint8 digest[32];
  gsize digest_len = sizeof digest;

  g_return_val_if_fail (verifier != NULL, NULL);

  g_checksum_update (checksum, (const guchar *) verifier, strlen (verifier));
  g_checksum_get_digest (checksum, digest, &digest_len);
  g_assert (digest_len == sizeof digest);

  return _mend_oauth_base64url_encode (digest, digest_len);
}

static void
mend_oauth_flow_finalize (GObject *object)
{
  MendOAuthFlow *self = (MendOAuthFlow *) object;

  g_clear_object (&self->settings);
  g_clear_pointer (&self->verifier, secret_free);
  g_clear_pointer (&self->challenge, g_free);
  g_clear_pointer (&self->state, secret_free);

  G_OBJECT_CLASS (mend_oauth_flow_parent_class)->finalize (object);
}

static void
mend_oauth_flow_class_init (MendOAuthFlowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = mend_oauth_flow_finalize;
}

static void
mend_oauth_flow_init (MendOAuthFlow *self)
{
  guint8 state[STATE_BYTES];

  self->verifier = _mend_oauth_generate_verifier ();
  self->challenge = _mend_oauth_compute_challenge (self->verifier);

  _mend_oauth_random_bytes (state, sizeof state);
  self->state = _mend_oauth_base64url_encode (state, sizeof state);
  memset (state, 0, sizeof state);
}

/**
 * mend_oauth_flow_new:
 * @settings: where and as whom to sign in; the flow keeps a copy
 *
 * Returns: (transfer full) (nullable): a new sign-in attempt with a fresh
 *   verifier and state, or %NULL with @error set
 *   (%MEND_OAUTH_ERROR_CLIENT_ID_MISSING) when @settings has no client id
 */
MendOAuthFlow *
mend_oauth_flow_new (MendOAuthSettings  *settings,
                     GError            **error)
{
  MendOAuthFlow *self;

  g_return_val_if_fail (MEND_IS_OAUTH_SETTINGS (settings), NULL);

  if (!mend_oauth_settings_check_client_id (settings, error))
    return NULL;

  self = g_object_new (MEND_TYPE_OAUTH_FLOW, NULL);
  self->settings = mend_oauth_settings_copy (settings);

  return self;
}

/**
 * mend_oauth_flow_get_settings:
 *
 * Returns: (transfer none): the flow's copy of the settings
 */
MendOAuthSettings *
mend_oauth_flow_get_settings (MendOAuthFlow *self)
{
  g_return_val_if_fail (MEND_IS_OAUTH_FLOW (self), NULL);

  return self->settings;
}

const char *
_mend_oauth_flow_get_verifier (MendOAuthFlow *self)
{
  g_return_val_if_fail (MEND_IS_OAUTH_FLOW (self), NULL);

  return self->verifier;
}

const char *
_mend_oauth_flow_get_state (MendOAuthFlow *self)
{
  g_return_val_if_fail (MEND_IS_OAUTH_FLOW (self), NULL);

  return self->state;
}

static void
append_param (GString    *query,
              const char *name,
              const char *value)
{
  if (value == NULL || value[0] == '\0')
    return;

  if (query->len > 0 && query->str[query->len - 1] != '?')
    g_string_append_c (query, '&');
  g_string_append (query, name);
  g_string_append_c (query, '=');
  g_string_append_uri_escaped (query, value, NULL, FALSE);
}

/**
 * mend_oauth_domain_hint_for_tenant_type:
 *
 * Returns: (nullable): “consumers” or “organizations” once the kind of
 *   account is known (v2 auth-code doc), %NULL otherwise
 */
const char *
mend_oauth_domain_hint_for_tenant_type (MendTenantType tenant_type)
{
  switch (tenant_type)
    {
    case MEND_TENANT_TYPE_CONSUMER:
      return "consumers";

    case MEND_TENANT_TYPE_ORGANIZATION:
      return "organizations";

    case MEND_TENANT_TYPE_UNKNOWN:
    default:
      return NULL;
    }
}

/**
 * mend_oauth_flow_build_authorize_url:
 * @login_hint: (nullable): the address being repaired
 * @domain_hint: (nullable): “consumers” or “organizations”, see
 *   mend_oauth_domain_hint_for_tenant_type()
 *
 * Returns: (transfer full): the address that starts the sign-in, with PKCE
 *   S256, `state`, `response_mode=query` and `prompt=select_account`
 */
char *
mend_oauth_flow_build_authorize_url (MendOAuthFlow *self,
                                     const char    *login_hint,
                                     const char    *domain_hint)
{
  g_autofree char *endpoint = NULL;
  GString *url;

  g_return_val_if_fail (MEND_IS_OAUTH_FLOW (self), NULL);

  endpoint = mend_oauth_settings_get_endpoint (self->settings, MEND_OAUTH_ENDPOINT_AUTHORIZE);
  url = g_string_new (endpoint);
  g_string_append_c (url, '?');

  append_param (url, "client_id", mend_oauth_settings_get_client_id (self->settings));
  append_param (url, "response_type", "code");
  append_param (url, "redirect_uri", mend_oauth_settings_get_redirect_uri (self->settings));
  append_param (url, "response_mode", "query");
  append_param (url, "scope", mend_oauth_settings_get_scope_string (self->settings));
  append_param (url, "state", self->state);
  append_param (url, "code_challenge", self->challenge);
  append_param (url, "code_challenge_method", "S256");
  append_param (url, "prompt", "select_account");
  append_param (url, "login_hint", login_hint);
  append_param (url, "domain_hint", domain_hint);

  return g_string_free (url, FALSE);
}

static GUri *
parse_uri (const char *uri)
{
  g_autofree char *text = g_strstrip (g_strdup (uri));

  return g_uri_parse (text, G_URI_FLAGS_ENCODED, NULL);
}

/* The port, or the scheme's default. */
static int
effective_port (GUri *uri)
{
  int port = g_uri_get_port (uri);

  if (port != -1)
    return port;

  if (g_ascii_strcasecmp (g_uri_get_scheme (uri), "https") == 0)
    return 443;
  if (g_ascii_strcasecmp (g_uri_get_scheme (uri), "http") == 0)
    return 80;

  return -1;
}

static gboolean
matches_redirect (MendOAuthFlow *self,
                  GUri          *uri)
{
  g_autoptr(GUri) redirect = NULL;

  g_assert (MEND_IS_OAUTH_FLOW (self));

  redirect = parse_uri (mend_oauth_settings_get_redirect_uri (self->settings));
  g_assert (redirect != NULL);

  return uri != NULL &&
         g_uri_get_userinfo (uri) == NULL &&
         g_ascii_strcasecmp (g_uri_get_scheme (uri), g_uri_get_scheme (redirect)) == 0 &&
         g_uri_get_host (uri) != NULL &&
         g_ascii_strcasecmp (g_uri_get_host (uri), g_uri_get_host (redirect)) == 0 &&
         effective_port (uri) == effective_port (redirect) &&
         g_strcmp0 (g_uri_get_path (uri), g_uri_get_path (redirect)) == 0;
}

/**
 * mend_oauth_flow_is_redirect:
 * @uri: an address being navigated to
 *
 * For WebKit's decide-policy: whether @uri is the redirect URI (same scheme,
 * host, port and path, whatever the query), so that the navigation is
 * stopped before it loads and @uri handed to mend_oauth_flow_parse_redirect().
 *
 * Returns: whether @uri is the redirect
 */
gboolean
mend_oauth_flow_is_redirect (MendOAuthFlow *self,
                             const char    *uri)
{
  g_autoptr(GUri) parsed = NULL;

  g_return_val_if_fail (MEND_IS_OAUTH_FLOW (self), FALSE);

  if (uri == NULL)
    return FALSE;

  parsed = parse_uri (uri);

  return matches_redirect (self, parsed);
}

/* Compares without stopping at the first difference (the length is no secret). */
static gboolean
secret_equal (const char *a,
              const char *b)
{
  gsize len = strlen (a);
  guint8 diff = 0;

  if (strlen (b) != len)
    return FALSE;

  for (gsize i = 0; i < len; i++)
    diff |= (guint8) a[i] ^ (guint8) b[i];

  return diff == 0;
}

static gboolean
set_redirect_invalid (GError     **error,
                      const char  *message)
{
  g_set_error_literal (error, MEND_OAUTH_ERROR, MEND_OAUTH_ERROR_REDIRECT_INVALID, message);

  return FALSE;
}

/**
 * mend_oauth_flow_parse_redirect:
 * @uri: the address Microsoft redirected to (caught by the web view, or
 *   pasted back by the user)
 * @code: (out) (transfer full) (optional): the authorization code
 *
 * Accepts only the redirect URI (scheme, host, port and path exactly), with
 * exactly one `state` equal to this flow's: a mismatch is an error, and the
 * code is then never returned. An `error` parameter becomes the finding it
 * stands for (`access_denied` → “consent-declined”, an AADSTS code in
 * `error_description` → its finding).
 *
 * Returns: %TRUE with @code set, or %FALSE with @error set
 */
gboolean
mend_oauth_flow_parse_redirect (MendOAuthFlow  *self,
                                const char     *uri,
                                char          **code,
                                GError        **error)
{
  g_autoptr(GUri) parsed = NULL;
  g_autoptr(SecretString) found_code = NULL;
  g_autoptr(SecretString) found_state = NULL;
  g_autofree char *found_error = NULL;
  g_autofree char *found_description = NULL;
  GUriParamsIter iter;
  const char *query;
  gboolean duplicate = FALSE;
  char *name;
  char *value;

  g_return_val_if_fail (MEND_IS_OAUTH_FLOW (self), FALSE);
  g_return_val_if_fail (uri != NULL, FALSE);

  parsed = parse_uri (uri);
  if (!matches_redirect (self, parsed))
    return set_redirect_invalid (error,
                                 _("This address is not the end of Microsoft’s sign-in. Copy the "
                                   "address shown once the sign-in is finished."));

  query = g_uri_get_query (parsed);
  if (query == NULL)
    query = "";

  g_uri_params_iter_init (&iter, query, -1, "&", G_URI_PARAMS_WWW_FORM);
  for (;;)
    {
      g_autoptr(GError) local_error = NULL;
      char **slot = NULL;

      name = value = NULL;
      if (!g_uri_params_iter_next (&iter, &name, &value, &local_error))
        {
          if (local_error == NULL)
            break;
          return set_redirect_invalid (error,
                                       _("The address of the end of the sign-in is damaged. Copy "
                                         "all of it from the browser’s address bar."));
        }

      if (g_str_equal (name, "code"))
        slot = &found_code;
      else if (g_str_equal (name, "state"))
        slot = &found_state;
      else if (g_str_equal (name, "error"))
        slot = &found_error;
      else if (g_str_equal (name, "error_description"))
        slot = &found_description;

      if (slot != NULL && *slot != NULL)
        duplicate = TRUE;

      if (slot != NULL && *slot == NULL)
        *slot = g_steal_pointer (&value);
      else
        secret_free (g_steal_pointer (&value));

      g_free (name);
    }

  if (duplicate)
    return set_redirect_invalid (error,
                                 _("The address of the end of the sign-in repeats a parameter, "
                                   "so it was refused."));

  /* A state that is there must be ours, even on an error. */
  if (found_state != NULL && !secret_equal (found_state, self->state))
    {
      g_debug ("Redirect refused: its state is not this flow's");
      g_set_error_literal (error, MEND_OAUTH_ERROR, MEND_OAUTH_ERROR_STATE_MISMATCH,
                           _("The sign-in answer does not belong to this sign-in."));
      return FALSE;
    }

  if (found_error != NULL)
    {
      g_autofree char *admin_consent_url = NULL;
      MendOAuthErrorInfo info = { 0, };

      admin_consent_url = mend_oauth_settings_get_admin_consent_url (self->settings);
      info.error = found_error;
      info.error_description = found_description;
      info.tenant_type = mend_oauth_settings_get_tenant_type (self->settings);
      info.admin_consent_url = admin_consent_url;
      g_propagate_error (error, mend_oauth_error_new_from_info (&info));

      return FALSE;
    }

  if (found_code == NULL || found_code[0] == '\0')
    return set_redirect_invalid (error,
                                 _("The address of the end of the sign-in holds no "
                                   "authorization code."));

  if (found_state == NULL)
    {
      g_debug ("Redirect refused: it has no state");
      g_set_error_literal (error, MEND_OAUTH_ERROR, MEND_OAUTH_ERROR_STATE_MISMATCH,
                           _("The sign-in answer does not belong to this sign-in."));
      return FALSE;
    }

  g_debug ("Redirect accepted");

  if (code != NULL)
    *code = g_steal_pointer (&found_code);

  return TRUE;
}

/**
 * mend_oauth_flow_build_code_grant_body:
 * @code: the authorization code from mend_oauth_flow_parse_redirect()
 *
 * Returns: (transfer full): the form body that redeems @code at the token
 *   endpoint (`application/x-www-form-urlencoded`); it holds secrets
 */
char *
mend_oauth_flow_build_code_grant_body (MendOAuthFlow *self,
                                       const char    *code)
{
  g_return_val_if_fail (MEND_IS_OAUTH_FLOW (self), NULL);
  g_return_val_if_fail (code != NULL, NULL);

  return soup_form_encode ("client_id", mend_oauth_settings_get_client_id (self->settings),
                           "grant_type", "authorization_code",
                           "code", code,
                           "redirect_uri", mend_oauth_settings_get_redirect_uri (self->settings),
                           "code_verifier", self->verifier,
                           "scope", mend_oauth_settings_get_scope_string (self->settings),
                           NULL);
}

/**
 * mend_oauth_build_refresh_grant_body:
 * @settings: the settings of the stored token, see mend_oauth_settings_new_for_token()
 * @refresh_token: the newest refresh token
 *
 * Returns: (transfer full): the form body of a refresh at the token endpoint
 */
char *
mend_oauth_build_refresh_grant_body (MendOAuthSettings *settings,
                                     const char        *refresh_token)
{
  g_return_val_if_fail (MEND_IS_OAUTH_SETTINGS (settings), NULL);
  g_return_val_if_fail (refresh_token != NULL, NULL);
  g_return_val_if_fail (mend_oauth_settings_has_client_id (settings), NULL);

  return soup_form_encode ("grant_type", "refresh_token",
                           "refresh_token", refresh_token,
                           "client_id", mend_oauth_settings_get_client_id (settings),
                           "scope", mend_oauth_settings_get_scope_string (settings),
                           NULL);
}

/**
 * mend_oauth_build_device_code_body:
 *
 * Returns: (transfer full): the form body that asks the device-code
 *   endpoint for a code
 */
char *
mend_oauth_build_device_code_body (MendOAuthSettings *settings)
{
  g_return_val_if_fail (MEND_IS_OAUTH_SETTINGS (settings), NULL);
  g_return_val_if_fail (mend_oauth_settings_has_client_id (settings), NULL);

  return soup_form_encode ("client_id", mend_oauth_settings_get_client_id (settings),
                           "scope", mend_oauth_settings_get_scope_string (settings),
                           NULL);
}

/**
 * mend_oauth_build_device_code_poll_body:
 * @device_code: the `device_code` of the device-code answer
 *
 * Returns: (transfer full): the form body that polls the token endpoint
 */
char *
mend_oauth_build_device_code_poll_body (MendOAuthSettings *settings,
                                        const char        *device_code)
{
  g_return_val_if_fail (MEND_IS_OAUTH_SETTINGS (settings), NULL);
  g_return_val_if_fail (device_code != NULL, NULL);
  g_return_val_if_fail (mend_oauth_settings_has_client_id (settings), NULL);

  return soup_form_encode ("grant_type", "urn:ietf:params:oauth:grant-type:device_code",
                           "device_code", device_code,
                           "client_id", mend_oauth_settings_get_client_id (settings),
                           NULL);
}

static const char *
get_string (JsonObject *object,
            const char *member)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;

  return json_node_get_string (node);
}

/* expires_in is a number; some servers send it as a string. */
static gboolean
get_seconds (JsonObject *object,
             const char *member,
             gint64     *seconds)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return FALSE;

  if (json_node_get_value_type (node) == G_TYPE_INT64)
    {
      *seconds = json_node_get_int (node);
      return TRUE;
    }

  if (json_node_get_value_type (node) == G_TYPE_STRING)
    return g_ascii_string_to_signed (json_node_get_string (node), 10, G_MININT64, G_MAXINT64,
                                     seconds, NULL);

  return FALSE;
}

/**
 * mend_oauth_token_response_parse:
 * @json: the body of the token endpoint's answer
 * @settings: the settings the request was made with
 * @address: (nullable): the address being repaired; %NULL to take it from
 *   the id_token
 *
 * Reads a token answer (`access_token`, `refresh_token`, `expires_in`,
 * `scope`, `id_token`), or an error answer, which becomes its finding. The
 * token records the authority, tenant and client id of @settings, and the
 * tenant id of the id_token. A refresh answer may lack `refresh_token`: the
 * caller then keeps the previous one.
 *
 * Returns: (transfer full) (nullable): the token, or %NULL with @error set
 *   (a %MEND_OAUTH_ERROR error)
 */
MendOAuthToken *
mend_oauth_token_response_parse (const char         *json,
                                 MendOAuthSettings  *settings,
                                 const char         *address,
                                 GError            **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(MendOAuthToken) token = NULL;
  g_autoptr(MendOAuthIdToken) id_token = NULL;
  g_autoptr(GDateTime) now = NULL;
  g_autoptr(GDateTime) expires_at = NULL;
  g_auto(GStrv) scopes = NULL;
  const char *access_token;
  const char *token_type;
  const char *scope;
  const char *id_token_text;
  JsonObject *object;
  JsonNode *root;
  gint64 expires_in = 3600;

  g_return_val_if_fail (json != NULL, NULL);
  g_return_val_if_fail (MEND_IS_OAUTH_SETTINGS (settings), NULL);

  if (!json_parser_load_from_data (parser, json, -1, NULL) ||
      (root = json_parser_get_root (parser)) == NULL ||
      !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_debug ("Token answer is not a JSON object");
      g_propagate_error (error, mend_oauth_error_new_malformed (0));
      return NULL;
    }

  object = json_node_get_object (root);

  if (json_object_has_member (object, "error"))
    {
      g_autofree char *admin_consent_url = mend_oauth_settings_get_admin_consent_url (settings);

      g_propagate_error (error,
                         mend_oauth_error_new_from_json (object, 0,
                                                         mend_oauth_settings_get_tenant_type (settings),
                                                         admin_consent_url));
      return NULL;
    }

  access_token = get_string (object, "access_token");
  token_type = get_string (object, "token_type");
  if (access_token == NULL || access_token[0] == '\0' ||
      (token_type != NULL && g_ascii_strcasecmp (token_type, "Bearer") != 0))
    {
      g_debug ("Token answer has no bearer access token");
      g_propagate_error (error, mend_oauth_error_new_malformed (0));
      return NULL;
    }

  id_token_text = get_string (object, "id_token");
  if (id_token_text != NULL)
    {
      g_autoptr(GError) local_error = NULL;

      id_token = mend_oauth_id_token_parse (id_token_text, &local_error);
      if (id_token == NULL)
        g_debug ("Ignoring the id_token: %s", local_error->message);
    }

  if (address == NULL && id_token != NULL)
    address = mend_oauth_id_token_get_address (id_token);
  if (address == NULL)
    {
      g_debug ("Token answer names no address");
      g_propagate_error (error, mend_oauth_error_new_malformed (0));
      return NULL;
    }

  token = mend_oauth_token_new (address);
  mend_oauth_token_set_access_token (token, access_token);
  mend_oauth_token_set_refresh_token (token, get_string (object, "refresh_token"));

  if (!get_seconds (object, "expires_in", &expires_in))
    g_debug ("Token answer has no expires_in; assuming an hour");
  expires_in = CLAMP (expires_in, 0, 365 * 24 * 3600);
  now = g_date_time_new_now_utc ();
  expires_at = g_date_time_add_seconds (now, (gdouble) expires_in);
  mend_oauth_token_set_expires_at (token, expires_at);
  mend_oauth_token_set_last_refresh (token, now);

  /* RFC 6749 §5.1: without `scope`, the scopes are the ones asked for. */
  scope = get_string (object, "scope");
  if (scope != NULL)
    {
      g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
      g_auto(GStrv) words = g_strsplit_set (scope, " \t\n", -1);

      for (guint i = 0; words[i] != NULL; i++)
        if (words[i][0] != '\0')
          g_strv_builder_add (builder, words[i]);
      scopes = g_strv_builder_end (builder);
      mend_oauth_token_set_scopes (token, (const char * const *) scopes);
    }
  else
    {
      mend_oauth_token_set_scopes (token, mend_oauth_settings_get_scopes (settings));
    }

  if (id_token != NULL)
    {
      mend_oauth_token_set_tenant_id (token, id_token->tid);
      mend_oauth_token_set_signed_in_as (token, mend_oauth_id_token_get_address (id_token));
    }

  mend_oauth_settings_apply_to_token (settings, token);

  g_debug ("Token answer accepted: expires in %" G_GINT64_FORMAT " s, %s refresh token, tenant %s",
           expires_in,
           mend_oauth_token_get_refresh_token (token) ? "with a" : "without",
           mend_tenant_type_to_string (mend_oauth_token_get_tenant_type (token)));

  return g_steal_pointer (&token);
}
