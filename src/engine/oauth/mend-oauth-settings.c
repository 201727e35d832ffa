/* mend-oauth-settings.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "mend-oauth-settings"

#include "config.h"

#include <glib/gi18n.h>
#include <gio/gio.h>

#include "mend-oauth-error.h"
#include "mend-oauth-settings.h"

/* Where and as whom Mailmend signs in: the authority (Microsoft's identity
 * platform, or the test rig's fake on loopback), the tenant, the client id
 * and the redirect, plus the scopes asked for. Every setter validates, so
 * whoever holds a MendOAuthSettings holds sane values: an https authority
 * (http only on loopback), a known tenant form, a GUID client id. */
struct _MendOAuthSettings
{
  GObject   parent_instance;

  char     *authority;
  char     *tenant;
  char     *client_id;
  char     *redirect_uri;
  GStrv     scopes;
  char     *scope_string;
  gboolean  include_pop;
};

enum {
  PROP_0,
  PROP_AUTHORITY,
  PROP_TENANT,
  PROP_CLIENT_ID,
  PROP_REDIRECT_URI,
  PROP_INCLUDE_POP,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (MendOAuthSettings, mend_oauth_settings, G_TYPE_OBJECT)

/* Shown, escaped and shortened, in error messages. */
static char *
quote_value (const char *value)
{
  g_autofree char *escaped = g_strescape (value, NULL);

  if (g_utf8_strlen (escaped, -1) > 64)
    {
      g_autofree char *start = g_utf8_substring (escaped, 0, 63);

      return g_strconcat (start, "…", NULL);
    }

  return g_steal_pointer (&escaped);
}

/* g_set_str() is GLib 2.76. */
static gboolean
set_str (char       **field,
         const char  *value)
{
  if (g_strcmp0 (*field, value) == 0)
    return FALSE;

  g_free (*field);
  *field = g_strdup (value);

  return TRUE;
}

/* The client id built in with -Dmicrosoft_client_id, or NULL. */
static const char *
get_builtin_client_id (void)
{
  static const char *builtin;
  static gsize initialized;

  if (g_once_init_enter (&initialized))
    {
      const char *value = MICROSOFT_CLIENT_ID;

      if (value[0] != '\0' && mend_oauth_is_guid (value))
        builtin = value;
      else if (value[0] != '\0')
        g_warning ("The built-in Microsoft client id is not a GUID; ignoring it");

      g_once_init_leave (&initialized, 1);
    }

  return builtin;
}

static void
update_scopes (MendOAuthSettings *self)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  g_strv_builder_add (builder, MEND_OAUTH_SCOPE_IMAP);
  g_strv_builder_add (builder, MEND_OAUTH_SCOPE_SMTP);
  if (self->include_pop)
    g_strv_builder_add (builder, MEND_OAUTH_SCOPE_POP);
  g_strv_builder_add_many (builder, "offline_access", "openid", "profile", "email", NULL);

  g_strfreev (self->scopes);
  self->scopes = g_strv_builder_end (builder);
  g_free (self->scope_string);
  self->scope_string = g_strjoinv (" ", self->scopes);
}

static void
mend_oauth_settings_finalize (GObject *object)
{
  MendOAuthSettings *self = (MendOAuthSettings *) object;

  g_free (self->authority);
  g_free (self->tenant);
  g_free (self->client_id);
  g_free (self->redirect_uri);
  g_strfreev (self->scopes);
  g_free (self->scope_string);

  G_OBJECT_CLASS (mend_oauth_settings_parent_class)->finalize (object);
}

static void
mend_oauth_settings_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  MendOAuthSettings *self = MEND_OAUTH_SETTINGS (object);

  switch (prop_id)
    {
    case PROP_AUTHORITY:
      g_value_set_string (value, self->authority);
      break;

    case PROP_TENANT:
      g_value_set_string (value, self->tenant);
      break;

    case PROP_CLIENT_ID:
      g_value_set_string (value, self->client_id);
      break;

    case PROP_REDIRECT_URI:
      g_value_set_string (value, self->redirect_uri);
      break;

    case PROP_INCLUDE_POP:
      g_value_set_boolean (value, self->include_pop);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mend_oauth_settings_set_property (GObject      *object,
                                  guint         prop_id,
                                  const GValue *value,
                                  GParamSpec   *pspec)
{
  MendOAuthSettings *self = MEND_OAUTH_SETTINGS (object);

  switch (prop_id)
    {
    case PROP_INCLUDE_POP:
      mend_oauth_settings_set_include_pop (self, g_value_get_boolean (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mend_oauth_settings_class_init (MendOAuthSettingsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = mend_oauth_settings_finalize;
  object_class->get_property = mend_oauth_settings_get_property;
  object_class->set_property = mend_oauth_settings_set_property;

  /* The validated values are only set through the setters, which report
   * errors; the properties are there to be watched and bound. */
  properties[PROP_AUTHORITY] =
    g_param_spec_string ("authority", NULL, NULL, MEND_OAUTH_DEFAULT_AUTHORITY,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_TENANT] =
    g_param_spec_string ("tenant", NULL, NULL, MEND_OAUTH_DEFAULT_TENANT,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_CLIENT_ID] =
    g_param_spec_string ("client-id", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_REDIRECT_URI] =
    g_param_spec_string ("redirect-uri", NULL, NULL, MEND_OAUTH_REDIRECT_URI,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_INCLUDE_POP] =
    g_param_spec_boolean ("include-pop", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
mend_oauth_settings_init (MendOAuthSettings *self)
{
  self->authority = g_strdup (MEND_OAUTH_DEFAULT_AUTHORITY);
  self->tenant = g_strdup (MEND_OAUTH_DEFAULT_TENANT);
  self->client_id = g_strdup (get_builtin_client_id ());
  self->redirect_uri = g_strdup (MEND_OAUTH_REDIRECT_URI);
  update_scopes (self);
}

/**
 * mend_oauth_is_guid:
 * @text: (nullable): a string
 *
 * Returns: whether @text is exactly a GUID, 8-4-4-4-12 hexadecimal digits
 */
gboolean
mend_oauth_is_guid (const char *text)
{
  static const guint8 groups[] = { 8, 4, 4, 4, 12 };
  const char *p = text;

  if (text == NULL)
    return FALSE;

  for (guint g = 0; g < G_N_ELEMENTS (groups); g++)
    {
      if (g > 0 && *p++ != '-')
        return FALSE;
      for (guint i = 0; i < groups[g]; i++, p++)
        if (!g_ascii_isxdigit (*p))
          return FALSE;
    }

  return *p == '\0';
}

/**
 * mend_oauth_is_loopback_host:
 * @host: (nullable): a host name or address, IPv6 with or without brackets
 *
 * Returns: whether @host is this computer: “localhost”, 127.0.0.0/8 or ::1
 */
gboolean
mend_oauth_is_loopback_host (const char *host)
{
  g_autoptr(GInetAddress) address = NULL;
  g_autofree char *bare = NULL;
  gsize len;

  if (host == NULL || host[0] == '\0')
    return FALSE;

  if (g_ascii_strcasecmp (host, "localhost") == 0)
    return TRUE;

  len = strlen (host);
  if (host[0] == '[' && len > 2 && host[len - 1] == ']')
    bare = g_strndup (host + 1, len - 2);
  else
    bare = g_strdup (host);

  address = g_inet_address_new_from_string (bare);

  return address != NULL && g_inet_address_get_is_loopback (address);
}

/**
 * mend_oauth_validate_client_id:
 * @client_id: a client id, as typed
 *
 * Returns: whether @client_id is a GUID; otherwise %FALSE with @error set
 *   (%MEND_OAUTH_ERROR_CLIENT_ID_INVALID) naming it and saying what a client
 *   id looks like
 */
gboolean
mend_oauth_validate_client_id (const char  *client_id,
                               GError     **error)
{
  g_autofree char *quoted = NULL;

  g_return_val_if_fail (client_id != NULL, FALSE);

  if (mend_oauth_is_guid (client_id))
    return TRUE;

  quoted = quote_value (client_id);
  g_set_error (error, MEND_OAUTH_ERROR, MEND_OAUTH_ERROR_CLIENT_ID_INVALID,
               /* Translators: %s is what the user typed. Keep the example GUID as it is. */
               _("“%s” is not a valid client id. A client id (the “Application (client) ID” "
                 "of a Microsoft Entra app registration) is 32 hexadecimal digits in five groups "
                 "of 8, 4, 4, 4 and 12, separated by hyphens and without braces, such as "
                 "00000000-0000-0000-0000-000000000000."),
               quoted);

  return FALSE;
}

/**
 * mend_oauth_normalize_authority:
 * @authority: an authority address, such as “https://login.microsoftonline.com/”
 *
 * Checks that @authority is an https address (http only for loopback
 * hosts), without user name, query or fragment, and returns it with a
 * lower-case scheme and host, without the scheme's default port and without
 * trailing slashes.
 *
 * Returns: (transfer full) (nullable): the authority, or %NULL with @error
 *   set (%MEND_OAUTH_ERROR_AUTHORITY_INVALID)
 */
char *
mend_oauth_normalize_authority (const char  *authority,
                                GError     **error)
{
  g_autofree char *text = NULL;
  g_autofree char *quoted = NULL;
  g_autofree char *scheme = NULL;
  g_autofree char *host = NULL;
  g_autofree char *path = NULL;
  g_autoptr(GUri) uri = NULL;
  gsize len;
  int port;

  g_return_val_if_fail (authority != NULL, NULL);

  text = g_strstrip (g_strdup (authority));
  quoted = quote_value (text);
  uri = g_uri_parse (text, G_URI_FLAGS_ENCODED, NULL);

  if (uri == NULL || g_uri_get_host (uri) == NULL || g_uri_get_host (uri)[0] == '\0')
    {
      g_set_error (error, MEND_OAUTH_ERROR, MEND_OAUTH_ERROR_AUTHORITY_INVALID,
                   /* Translators: %s is what the user typed. */
                   _("“%s” is not a valid sign-in address. It should look like "
                     "https://login.microsoftonline.com."),
                   quoted);
      return NULL;
    }

  scheme = g_ascii_strdown (g_uri_get_scheme (uri), -1);
  host = g_ascii_strdown (g_uri_get_host (uri), -1);

  if (g_str_equal (scheme, "http"))
    {
      if (!mend_oauth_is_loopback_host (host))
        {
          g_set_error (error, MEND_OAUTH_ERROR, MEND_OAUTH_ERROR_AUTHORITY_INVALID,
                       /* Translators: %s is what the user typed. */
                       _("“%s” uses plain http://, which is only accepted for this computer’s "
                         "own loopback addresses (127.0.0.1, ::1 or localhost). Use https://."),
                       quoted);
          return NULL;
        }
    }
  else if (!g_str_equal (scheme, "https"))
    {
      g_set_error (error, MEND_OAUTH_ERROR, MEND_OAUTH_ERROR_AUTHORITY_INVALID,
                   /* Translators: %s is what the user typed. */
                   _("“%s” is not a valid sign-in address: it must start with https://."),
                   quoted);
      return NULL;
    }

  if (g_uri_get_userinfo (uri) != NULL ||
      g_uri_get_query (uri) != NULL ||
      g_uri_get_fragment (uri) != NULL)
    {
      g_set_error (error, MEND_OAUTH_ERROR, MEND_OAUTH_ERROR_AUTHORITY_INVALID,
                   /* Translators: %s is what the user typed. */
                   _("“%s” is not a valid sign-in address: it must not contain a user name, a "
                     "query (?…) or a fragment (#…)."),
                   quoted);
      return NULL;
    }

  path = g_strdup (g_uri_get_path (uri));
  len = strlen (path);
  while (len > 0 && path[len - 1] == '/')
    path[--len] = '\0';

  port = g_uri_get_port (uri);
  if ((port == 443 && g_str_equal (scheme, "https")) || (port == 80 && g_str_equal (scheme, "http")))
    port = -1;

  return g_uri_join (G_URI_FLAGS_ENCODED, scheme, NULL, host, port, path, NULL, NULL);
}

static gboolean
is_domain_name (const char *text)
{
  g_auto(GStrv) labels = NULL;
  guint n_labels;
  gboolean all_digits = TRUE;

  if (strlen (text) > 253)
    return FALSE;

  labels = g_strsplit (text, ".", -1);
  n_labels = g_strv_length (labels);
  if (n_labels < 2)
    return FALSE;

  for (guint i = 0; i < n_labels; i++)
    {
      const char *label = labels[i];
      gsize len = strlen (label);

      if (len == 0 || len > 63 || label[0] == '-' || label[len - 1] == '-')
        return FALSE;

      for (const char *p = label; *p; p++)
        if (!g_ascii_isalnum (*p) && *p != '-')
          return FALSE;
    }

  /* A top-level domain is never all digits: that would be an address. */
  for (const char *p = labels[n_labels - 1]; *p; p++)
    if (!g_ascii_isdigit (*p))
      all_digits = FALSE;

  return !all_digits;
}

/**
 * mend_oauth_normalize_tenant:
 * @tenant: “common”, “consumers”, “organizations”, a tenant id or a domain name
 *
 * Returns: (transfer full) (nullable): @tenant in lower case, or %NULL with
 *   @error set (%MEND_OAUTH_ERROR_TENANT_INVALID)
 */
char *
mend_oauth_normalize_tenant (const char  *tenant,
                             GError     **error)
{
  g_autofree char *text = NULL;
  g_autofree char *quoted = NULL;

  g_return_val_if_fail (tenant != NULL, NULL);

  text = g_ascii_strdown (g_strstrip (g_strdup (tenant)), -1);

  if (g_str_equal (text, "common") ||
      g_str_equal (text, "consumers") ||
      g_str_equal (text, "organizations") ||
      mend_oauth_is_guid (text) ||
      is_domain_name (text))
    return g_steal_pointer (&text);

  quoted = quote_value (tenant);
  g_set_error (error, MEND_OAUTH_ERROR, MEND_OAUTH_ERROR_TENANT_INVALID,
               /* Translators: %s is what the user typed. Keep “common”, “consumers” and
                * “organizations” in English: they are Microsoft's keywords. */
               _("“%s” is not a valid tenant. Use “common”, “consumers”, “organizations”, a "
                 "tenant id (a GUID) or a domain name such as contoso.onmicrosoft.com."),
               quoted);

  return NULL;
}

/**
 * mend_oauth_settings_new:
 *
 * Returns: (transfer full): the built-in defaults: the default authority,
 *   the “common” tenant and the client id built in, if any
 */
MendOAuthSettings *
mend_oauth_settings_new (void)
{
  return g_object_new (MEND_TYPE_OAUTH_SETTINGS, NULL);
}

/**
 * mend_oauth_settings_new_from_gsettings:
 *
 * The defaults, with the overrides of the preferences applied when the
 * schema is installed (the CLI does not need it).
 *
 * Returns: (transfer full) (nullable): the settings, or %NULL with @error
 *   set when a preference holds an invalid value
 */
MendOAuthSettings *
mend_oauth_settings_new_from_gsettings (GError **error)
{
  g_autoptr(MendOAuthSettings) self = mend_oauth_settings_new ();

  if (!mend_oauth_settings_apply_gsettings (self, error))
    return NULL;

  return g_steal_pointer (&self);
}

/**
 * mend_oauth_settings_new_for_token:
 * @token: a stored sign-in
 *
 * The settings @token was obtained with, so that a refresh goes back to the
 * same authority and tenant with the same client id. What the token does not
 * record falls back to the built-in defaults.
 *
 * Returns: (transfer full) (nullable): the settings, or %NULL with @error set
 *   when the stored values are not valid
 */
MendOAuthSettings *
mend_oauth_settings_new_for_token (MendOAuthToken  *token,
                                   GError         **error)
{
  g_autoptr(MendOAuthSettings) self = NULL;
  const char * const *scopes;

  g_return_val_if_fail (MEND_IS_OAUTH_TOKEN (token), NULL);

  self = mend_oauth_settings_new ();

  if (!mend_oauth_settings_set_authority (self, mend_oauth_token_get_authority (token), error) ||
      !mend_oauth_settings_set_tenant (self, mend_oauth_token_get_tenant (token), error) ||
      !mend_oauth_settings_set_client_id (self, mend_oauth_token_get_client_id (token), error))
    return NULL;

  scopes = mend_oauth_token_get_scopes (token);
  if (scopes != NULL && g_strv_contains (scopes, MEND_OAUTH_SCOPE_POP))
    mend_oauth_settings_set_include_pop (self, TRUE);

  return g_steal_pointer (&self);
}

/**
 * mend_oauth_settings_copy:
 *
 * Returns: (transfer full): an independent copy
 */
MendOAuthSettings *
mend_oauth_settings_copy (MendOAuthSettings *self)
{
  MendOAuthSettings *copy;

  g_return_val_if_fail (MEND_IS_OAUTH_SETTINGS (self), NULL);

  copy = mend_oauth_settings_new ();
  g_free (copy->authority);
  copy->authority = g_strdup (self->authority);
  g_free (copy->tenant);
  copy->tenant = g_strdup (self->tenant);
  g_free (copy->client_id);
  copy->client_id = g_strdup (self->client_id);
  g_free (copy->redirect_uri);
  copy->redirect_uri = g_strdup (self->redirect_uri);
  copy->include_pop = self->include_pop;
  update_scopes (copy);

  return copy;
}

/**
 * mend_oauth_settings_apply_gsettings:
 *
 * Applies the keys `microsoft-authority`, `microsoft-tenant` and
 * `microsoft-client-id` of the preferences; an empty key leaves the value
 * as it is. Does nothing when the schema is not installed.
 *
 * Returns: %FALSE with @error set when a key holds an invalid value, which
 *   the error names; the values before it are applied
 */
gboolean
mend_oauth_settings_apply_gsettings (MendOAuthSettings  *self,
                                     GError            **error)
{
  static const char *keys[] = { "microsoft-authority", "microsoft-tenant", "microsoft-client-id" };
  g_autoptr(GSettingsSchema) schema = NULL;
  g_autoptr(GSettings) settings = NULL;
  GSettingsSchemaSource *source;

  g_return_val_if_fail (MEND_IS_OAUTH_SETTINGS (self), FALSE);

  source = g_settings_schema_source_get_default ();
  if (source == NULL || (schema = g_settings_schema_source_lookup (source, SCHEMA_ID, TRUE)) == NULL)
    {
      g_debug ("Schema %s not installed: built-in sign-in settings", SCHEMA_ID);
      return TRUE;
    }

  settings = g_settings_new_full (schema, NULL, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    {
      g_autofree char *value = NULL;
      gboolean ok = TRUE;

      if (!g_settings_schema_has_key (schema, keys[i]))
        continue;

      value = g_settings_get_string (settings, keys[i]);
      if (value[0] == '\0')
        continue;

      if (i == 0)
        ok = mend_oauth_settings_set_authority (self, value, error);
      else if (i == 1)
        ok = mend_oauth_settings_set_tenant (self, value, error);
      else
        ok = mend_oauth_settings_set_client_id (self, value, error);

      if (!ok)
        {
          /* Translators: %s is a preference key, such as microsoft-client-id;
           * what follows says what is wrong with its value. */
          g_prefix_error (error, _("The preference %s is not valid. "), keys[i]);
          return FALSE;
        }
    }

  return TRUE;
}

const char *
mend_oauth_settings_get_authority (MendOAuthSettings *self)
{
  g_return_val_if_fail (MEND_IS_OAUTH_SETTINGS (self), NULL);

  return self->authority;
}

/**
 * mend_oauth_settings_set_authority:
 * @authority: (nullable): an https address, or http on loopback; %NULL or
 *   empty for the default
 *
 * Returns: %FALSE with @error set (%MEND_OAUTH_ERROR_AUTHORITY_INVALID)
 *   when @authority is not valid; the authority is then unchanged
 */
gboolean
mend_oauth_settings_set_authority (MendOAuthSettings  *self,
                                   const char         *authority,
                                   GError            **error)
{
  g_autofree char *normalized = NULL;

  g_return_val_if_fail (MEND_IS_OAUTH_SETTINGS (self), FALSE);

  if (authority == NULL || authority[0] == '\0')
    normalized = g_strdup (MEND_OAUTH_DEFAULT_AUTHORITY);
  else if (!(normalized = mend_oauth_normalize_authority (authority, error)))
    return FALSE;

  if (set_str (&self->authority, normalized))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_AUTHORITY]);

  return TRUE;
}

const char *
mend_oauth_settings_get_tenant (MendOAuthSettings *self)
{
  g_return_val_if_fail (MEND_IS_OAUTH_SETTINGS (self), NULL);

  return self->tenant;
}

/**
 * mend_oauth_settings_set_tenant:
 * @tenant: (nullable): “common”, “consumers”, “organizations”, a tenant id
 *   or a domain name; %NULL or empty for “common”
 *
 * Returns: %FALSE with @error set (%MEND_OAUTH_ERROR_TENANT_INVALID) when
 *   @tenant is not valid; the tenant is then unchanged
 */
gboolean
mend_oauth_settings_set_tenant (MendOAuthSettings  *self,
                                const char         *tenant,
                                GError            **error)
{
  g_autofree char *normalized = NULL;

  g_return_val_if_fail (MEND_IS_OAUTH_SETTINGS (self), FALSE);

  if (tenant == NULL || tenant[0] == '\0')
    normalized = g_strdup (MEND_OAUTH_DEFAULT_TENANT);
  else if (!(normalized = mend_oauth_normalize_tenant (tenant, error)))
    return FALSE;

  if (set_str (&self->tenant, normalized))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TENANT]);

  return TRUE;
}

/**
 * mend_oauth_settings_get_tenant_type:
 *
 * Returns: %MEND_TENANT_TYPE_CONSUMER for “consumers” (or the consumer
 *   tenant id), %MEND_TENANT_TYPE_UNKNOWN for “common”,
 *   %MEND_TENANT_TYPE_ORGANIZATION otherwise
 */
MendTenantType
mend_oauth_settings_get_tenant_type (MendOAuthSettings *self)
{
  g_return_val_if_fail (MEND_IS_OAUTH_SETTINGS (self), MEND_TENANT_TYPE_UNKNOWN);

  if (g_str_equal (self->tenant, "common"))
    return MEND_TENANT_TYPE_UNKNOWN;

  if (g_str_equal (self->tenant, "consumers") ||
      g_ascii_strcasecmp (self->tenant, MEND_CONSUMER_TENANT_ID) == 0)
    return MEND_TENANT_TYPE_CONSUMER;

  return MEND_TENANT_TYPE_ORGANIZATION;
}

/**
 * mend_oauth_settings_get_client_id:
 *
 * Returns: (nullable): the client id, or %NULL when there is none
 */
const char *
mend_oauth_settings_get_client_id (MendOAuthSettings *self)
{
  g_return_val_if_fail (MEND_IS_OAUTH_SETTINGS (self), NULL);

  return self->client_id;
}

/**
 * mend_oauth_settings_set_client_id:
 * @client_id: (nullable): a GUID; %NULL or empty for the built-in one
 *
 * Surrounding white space is ignored (pasted ids often carry some).
 *
 * Returns: %FALSE with @error set (%MEND_OAUTH_ERROR_CLIENT_ID_INVALID) when
 *   @client_id is not a GUID; the client id is then unchanged
 */
gboolean
mend_oauth_settings_set_client_id (MendOAuthSettings  *self,
                                   const char         *client_id,
                                   GError            **error)
{
  g_autofree char *text = NULL;

  g_return_val_if_fail (MEND_IS_OAUTH_SETTINGS (self), FALSE);

  if (client_id != NULL)
    text = g_strstrip (g_strdup (client_id));

  if (text != NULL && text[0] != '\0')
    {
      if (!mend_oauth_validate_client_id (text, error))
        return FALSE;
      for (char *p = text; *p != '\0'; p++)
        *p = g_ascii_tolower (*p);
    }
  else
    {
      g_free (text);
      text = g_strdup (get_builtin_client_id ());
    }

  if (set_str (&self->client_id, text))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CLIENT_ID]);

  return TRUE;
}

/**
 * mend_oauth_settings_has_client_id:
 *
 * Returns: whether there is a client id to sign in with
 */
gboolean
mend_oauth_settings_has_client_id (MendOAuthSettings *self)
{
  g_return_val_if_fail (MEND_IS_OAUTH_SETTINGS (self), FALSE);

  return self->client_id != NULL;
}

/**
 * mend_oauth_settings_check_client_id:
 *
 * Returns: whether there is a client id; otherwise %FALSE with @error set
 *   (%MEND_OAUTH_ERROR_CLIENT_ID_MISSING), whose finding explains how to
 *   provide one
 */
gboolean
mend_oauth_settings_check_client_id (MendOAuthSettings  *self,
                                     GError            **error)
{
  g_return_val_if_fail (MEND_IS_OAUTH_SETTINGS (self), FALSE);

  if (self->client_id != NULL)
    return TRUE;

  g_set_error_literal (error, MEND_OAUTH_ERROR, MEND_OAUTH_ERROR_CLIENT_ID_MISSING,
                       _("No Microsoft client id is set, so Mailmend cannot sign in."));

  return FALSE;
}

const char *
mend_oauth_settings_get_redirect_uri (MendOAuthSettings *self)
{
  g_return_val_if_fail (MEND_IS_OAUTH_SETTINGS (self), NULL);

  return self->redirect_uri;
}

gboolean
mend_oauth_settings_get_include_pop (MendOAuthSettings *self)
{
  g_return_val_if_fail (MEND_IS_OAUTH_SETTINGS (self), FALSE);

  return self->include_pop;
}

/**
 * mend_oauth_settings_set_include_pop:
 * @include_pop: whether to ask for POP access too
 */
void
mend_oauth_settings_set_include_pop (MendOAuthSettings *self,
                                     gboolean           include_pop)
{
  g_return_if_fail (MEND_IS_OAUTH_SETTINGS (self));

  include_pop = !!include_pop;
  if (self->include_pop == include_pop)
    return;

  self->include_pop = include_pop;
  update_scopes (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_INCLUDE_POP]);
}

/**
 * mend_oauth_settings_get_scopes:
 *
 * Returns: (transfer none): the scopes to ask for, %NULL-terminated
 */
const char * const *
mend_oauth_settings_get_scopes (MendOAuthSettings *self)
{
  g_return_val_if_fail (MEND_IS_OAUTH_SETTINGS (self), NULL);

  return (const char * const *) self->scopes;
}

/**
 * mend_oauth_settings_get_scope_string:
 *
 * Returns: the scopes, separated by spaces, for a `scope` parameter
 */
const char *
mend_oauth_settings_get_scope_string (MendOAuthSettings *self)
{
  g_return_val_if_fail (MEND_IS_OAUTH_SETTINGS (self), NULL);

  return self->scope_string;
}

/**
 * mend_oauth_settings_get_endpoint:
 * @endpoint: which one
 *
 * Returns: (transfer full): `{authority}/{tenant}/oauth2/v2.0/{authorize,token,devicecode}`
 */
char *
mend_oauth_settings_get_endpoint (MendOAuthSettings *self,
                                  MendOAuthEndpoint  endpoint)
{
  const char *leaf;

  g_return_val_if_fail (MEND_IS_OAUTH_SETTINGS (self), NULL);

  switch (endpoint)
    {
    case MEND_OAUTH_ENDPOINT_AUTHORIZE:
      leaf = "authorize";
      break;

    case MEND_OAUTH_ENDPOINT_TOKEN:
      leaf = "token";
      break;

    case MEND_OAUTH_ENDPOINT_DEVICE_CODE:
      leaf = "devicecode";
      break;

    default:
      g_return_val_if_reached (NULL);
    }

  return g_strdup_printf ("%s/%s/oauth2/v2.0/%s", self->authority, self->tenant, leaf);
}

/**
 * mend_oauth_settings_get_admin_consent_url:
 *
 * Where an administrator approves the app for the whole organization
 * (`{authority}/{tenant}/adminconsent?client_id=…`, with “organizations”
 * when the tenant is not known).
 *
 * Returns: (transfer full) (nullable): the address, or %NULL without a
 *   client id or for personal accounts
 */
char *
mend_oauth_settings_get_admin_consent_url (MendOAuthSettings *self)
{
  const char *tenant;

  g_return_val_if_fail (MEND_IS_OAUTH_SETTINGS (self), NULL);

  if (self->client_id == NULL ||
      mend_oauth_settings_get_tenant_type (self) == MEND_TENANT_TYPE_CONSUMER)
    return NULL;

  tenant = g_str_equal (self->tenant, "common") ? "organizations" : self->tenant;

  return g_strdup_printf ("%s/%s/adminconsent?client_id=%s", self->authority, tenant,
                          self->client_id);
}

/**
 * mend_oauth_settings_is_loopback:
 *
 * Returns: whether the authority is on this computer (the test rig), the
 *   only case where it may be plain http
 */
gboolean
mend_oauth_settings_is_loopback (MendOAuthSettings *self)
{
  g_autoptr(GUri) uri = NULL;

  g_return_val_if_fail (MEND_IS_OAUTH_SETTINGS (self), FALSE);

  uri = g_uri_parse (self->authority, G_URI_FLAGS_ENCODED, NULL);

  return uri != NULL && mend_oauth_is_loopback_host (g_uri_get_host (uri));
}

/**
 * mend_oauth_settings_apply_to_token:
 * @token: a token obtained with these settings
 *
 * Records the authority, tenant and client id in @token, for its refresh.
 */
void
mend_oauth_settings_apply_to_token (MendOAuthSettings *self,
                                    MendOAuthToken    *token)
{
  g_return_if_fail (MEND_IS_OAUTH_SETTINGS (self));
  g_return_if_fail (MEND_IS_OAUTH_TOKEN (token));

  mend_oauth_token_set_authority (token, self->authority);
  mend_oauth_token_set_tenant (token, self->tenant);
  mend_oauth_token_set_client_id (token, self->client_id);
}
