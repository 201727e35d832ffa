/* mend-oauth-token.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "mend-oauth-token"

#include "config.h"

#include <glib/gi18n.h>
#include <gio/gio.h>

#include "mend-oauth-token.h"

/* What Mailmend keeps for one address: the tokens, and where they came
 * from (authority, tenant, client id), so that a refresh goes back to the
 * same place. Serialized as the keyring item's secret; never logged. */
struct _MendOAuthToken
{
  GObject    parent_instance;

  char      *address;
  char      *access_token;
  char      *refresh_token;
  GDateTime *expires_at;
  GDateTime *last_refresh;
  GStrv      scopes;
  char      *tenant_id;
  char      *authority;
  char      *tenant;
  char      *client_id;
  char      *signed_in_as;
  char      *ca_file;
};

G_DEFINE_FINAL_TYPE (MendOAuthToken, mend_oauth_token, G_TYPE_OBJECT)

#define SECRET_FORMAT_VERSION 1

static void
mend_oauth_token_finalize (GObject *object)
{
  MendOAuthToken *self = (MendOAuthToken *) object;

  g_free (self->address);
  /* Scrub the secrets before the memory goes back to the allocator. */
  if (self->access_token)
    memset (self->access_token, 0, strlen (self->access_token));
  if (self->refresh_token)
    memset (self->refresh_token, 0, strlen (self->refresh_token));
  g_free (self->access_token);
  g_free (self->refresh_token);
  g_clear_pointer (&self->expires_at, g_date_time_unref);
  g_clear_pointer (&self->last_refresh, g_date_time_unref);
  g_strfreev (self->scopes);
  g_free (self->tenant_id);
  g_free (self->authority);
  g_free (self->tenant);
  g_free (self->client_id);
  g_free (self->signed_in_as);
  g_free (self->ca_file);

  G_OBJECT_CLASS (mend_oauth_token_parent_class)->finalize (object);
}

static void
mend_oauth_token_class_init (MendOAuthTokenClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = mend_oauth_token_finalize;
}

static void
mend_oauth_token_init (MendOAuthToken *self)
{
  self->scopes = g_new0 (char *, 1);
}

/**
 * mend_oauth_token_new:
 * @address: the e-mail address the tokens are for
 */
MendOAuthToken *
mend_oauth_token_new (const char *address)
{
  MendOAuthToken *self;

  g_return_val_if_fail (address != NULL, NULL);

  self = g_object_new (MEND_TYPE_OAUTH_TOKEN, NULL);
  self->address = g_strdup (address);

  return self;
}

static void
replace_string (char       **field,
                const char  *value,
                gboolean     secret)
{
  if (secret && *field != NULL)
    memset (*field, 0, strlen (*field));
  g_free (*field);
  *field = (value != NULL && value[0] != '\0') ? g_strdup (value) : NULL;
}

static void
replace_date (GDateTime **field,
              GDateTime  *value)
{
  g_clear_pointer (field, g_date_time_unref);
  if (value != NULL)
    *field = g_date_time_ref (value);
}

static const char *
get_string_member (JsonObject *object,
                   const char *member)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;

  return json_node_get_string (node);
}

static GDateTime *
parse_date_member (JsonObject *object,
                   const char *member)
{
  const char *text = get_string_member (object, member);

  return text ? g_date_time_new_from_iso8601 (text, NULL) : NULL;
}

/**
 * mend_oauth_token_new_from_json:
 * @json: what mend_oauth_token_to_json() made
 *
 * Returns: (transfer full) (nullable): the token, or %NULL with @error set
 *   (%G_IO_ERROR_INVALID_DATA) when @json is not one
 */
MendOAuthToken *
mend_oauth_token_new_from_json (const char  *json,
                                GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(MendOAuthToken) self = NULL;
  g_autoptr(GDateTime) expires_at = NULL;
  g_autoptr(GDateTime) last_refresh = NULL;
  g_autoptr(GPtrArray) scopes = g_ptr_array_new_null_terminated (0, NULL, TRUE);
  JsonObject *object;
  JsonNode *root;
  JsonNode *scopes_node;

  g_return_val_if_fail (json != NULL, NULL);

  if (!json_parser_load_from_data (parser, json, -1, NULL) ||
      !(root = json_parser_get_root (parser)) ||
      !JSON_NODE_HOLDS_OBJECT (root) ||
      get_string_member (object = json_node_get_object (root), "address") == NULL)
    {
      /* Never quote the text: it holds tokens. */
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                           _("The stored sign-in is not in Mailmend’s format."));
      return NULL;
    }

  self = mend_oauth_token_new (get_string_member (object, "address"));
  mend_oauth_token_set_access_token (self, get_string_member (object, "access_token"));
  mend_oauth_token_set_refresh_token (self, get_string_member (object, "refresh_token"));
  expires_at = parse_date_member (object, "expires_at");
  mend_oauth_token_set_expires_at (self, expires_at);
  last_refresh = parse_date_member (object, "last_refresh");
  mend_oauth_token_set_last_refresh (self, last_refresh);
  mend_oauth_token_set_tenant_id (self, get_string_member (object, "tenant_id"));
  mend_oauth_token_set_authority (self, get_string_member (object, "authority"));
  mend_oauth_token_set_tenant (self, get_string_member (object, "tenant"));
  mend_oauth_token_set_client_id (self, get_string_member (object, "client_id"));
  mend_oauth_token_set_signed_in_as (self, get_string_member (object, "signed_in_as"));
  mend_oauth_token_set_ca_file (self, get_string_member (object, "ca_file"));

  scopes_node = json_object_get_member (object, "scopes");
  if (scopes_node != NULL && JSON_NODE_HOLDS_ARRAY (scopes_node))
    {
      JsonArray *array = json_node_get_array (scopes_node);

      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          JsonNode *element = json_array_get_element (array, i);

          if (JSON_NODE_HOLDS_VALUE (element) && json_node_get_value_type (element) == G_TYPE_STRING)
            g_ptr_array_add (scopes, (gpointer) json_node_get_string (element));
        }
    }
  mend_oauth_token_set_scopes (self, (const char * const *) scopes->pdata);

  return g_steal_pointer (&self);
}

static void
add_string (JsonBuilder *builder,
            const char  *member,
            const char  *value)
{
  json_builder_set_member_name (builder, member);
  if (value != NULL)
    json_builder_add_string_value (builder, value);
  else
    json_builder_add_null_value (builder);
}

static void
add_date (JsonBuilder *builder,
          const char  *member,
          GDateTime   *value)
{
  g_autofree char *text = value ? g_date_time_format_iso8601 (value) : NULL;

  add_string (builder, member, text);
}

/**
 * mend_oauth_token_to_json:
 *
 * Returns: (transfer full): the keyring secret; holds the tokens
 */
char *
mend_oauth_token_to_json (MendOAuthToken *self)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;

  g_return_val_if_fail (MEND_IS_OAUTH_TOKEN (self), NULL);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "version");
  json_builder_add_int_value (builder, SECRET_FORMAT_VERSION);
  add_string (builder, "address", self->address);
  add_string (builder, "access_token", self->access_token);
  add_string (builder, "refresh_token", self->refresh_token);
  add_date (builder, "expires_at", self->expires_at);
  add_date (builder, "last_refresh", self->last_refresh);
  json_builder_set_member_name (builder, "scopes");
  json_builder_begin_array (builder);
  for (guint i = 0; self->scopes[i] != NULL; i++)
    json_builder_add_string_value (builder, self->scopes[i]);
  json_builder_end_array (builder);
  add_string (builder, "tenant_id", self->tenant_id);
  add_string (builder, "authority", self->authority);
  add_string (builder, "tenant", self->tenant);
  add_string (builder, "client_id", self->client_id);
  add_string (builder, "signed_in_as", self->signed_in_as);
  add_string (builder, "ca_file", self->ca_file);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);

  return json_generator_to_data (generator, NULL);
}

#define DEFINE_STRING_ACCESSORS(field, secret)                                   \
  const char *                                                                   \
  mend_oauth_token_get_##field (MendOAuthToken *self)                            \
  {                                                                              \
    g_return_val_if_fail (MEND_IS_OAUTH_TOKEN (self), NULL);                     \
    return self->field;                                                          \
  }                                                                              \
                                                                                 \
  void                                                                           \
  mend_oauth_token_set_##field (MendOAuthToken *self,                            \
                                const char     *value)                           \
  {                                                                              \
    g_return_if_fail (MEND_IS_OAUTH_TOKEN (self));                               \
    replace_string (&self->field, value, secret);                                \
  }

DEFINE_STRING_ACCESSORS (access_token, TRUE)
DEFINE_STRING_ACCESSORS (refresh_token, TRUE)
DEFINE_STRING_ACCESSORS (tenant_id, FALSE)
DEFINE_STRING_ACCESSORS (authority, FALSE)
DEFINE_STRING_ACCESSORS (tenant, FALSE)
DEFINE_STRING_ACCESSORS (client_id, FALSE)
/* The account the user signed in with, from the id_token: it can differ from the address
 * being repaired (an alias, or a slip on Microsoft's account picker). */
DEFINE_STRING_ACCESSORS (signed_in_as, FALSE)
/* The extra trust anchors the sign-in was made with (`--ca-file`, for a private test
 * provider): refreshes go to the same server. */
DEFINE_STRING_ACCESSORS (ca_file, FALSE)

const char *
mend_oauth_token_get_address (MendOAuthToken *self)
{
  g_return_val_if_fail (MEND_IS_OAUTH_TOKEN (self), NULL);

  return self->address;
}

/**
 * mend_oauth_token_get_expires_at:
 *
 * Returns: (transfer none) (nullable): when the access token expires
 */
GDateTime *
mend_oauth_token_get_expires_at (MendOAuthToken *self)
{
  g_return_val_if_fail (MEND_IS_OAUTH_TOKEN (self), NULL);

  return self->expires_at;
}

void
mend_oauth_token_set_expires_at (MendOAuthToken *self,
                                 GDateTime      *expires_at)
{
  g_return_if_fail (MEND_IS_OAUTH_TOKEN (self));

  replace_date (&self->expires_at, expires_at);
}

/**
 * mend_oauth_token_get_last_refresh:
 *
 * Returns: (transfer none) (nullable): when the tokens were last obtained
 */
GDateTime *
mend_oauth_token_get_last_refresh (MendOAuthToken *self)
{
  g_return_val_if_fail (MEND_IS_OAUTH_TOKEN (self), NULL);

  return self->last_refresh;
}

void
mend_oauth_token_set_last_refresh (MendOAuthToken *self,
                                   GDateTime      *last_refresh)
{
  g_return_if_fail (MEND_IS_OAUTH_TOKEN (self));

  replace_date (&self->last_refresh, last_refresh);
}

/**
 * mend_oauth_token_get_scopes:
 *
 * Returns: (transfer none): the scopes granted, %NULL-terminated
 */
const char * const *
mend_oauth_token_get_scopes (MendOAuthToken *self)
{
  g_return_val_if_fail (MEND_IS_OAUTH_TOKEN (self), NULL);

  return (const char * const *) self->scopes;
}

void
mend_oauth_token_set_scopes (MendOAuthToken     *self,
                             const char * const *scopes)
{
  g_return_if_fail (MEND_IS_OAUTH_TOKEN (self));

  g_strfreev (self->scopes);
  self->scopes = scopes ? g_strdupv ((char **) scopes) : g_new0 (char *, 1);
}

/**
 * mend_oauth_token_get_tenant_type:
 *
 * Returns: whether the account is personal (the consumer tenant) or a work
 *   or school account, from the tenant id of the id_token
 */
MendTenantType
mend_oauth_token_get_tenant_type (MendOAuthToken *self)
{
  g_return_val_if_fail (MEND_IS_OAUTH_TOKEN (self), MEND_TENANT_TYPE_UNKNOWN);

  if (self->tenant_id == NULL)
    return MEND_TENANT_TYPE_UNKNOWN;

  if (g_ascii_strcasecmp (self->tenant_id, MEND_CONSUMER_TENANT_ID) == 0)
    return MEND_TENANT_TYPE_CONSUMER;

  return MEND_TENANT_TYPE_ORGANIZATION;
}

/**
 * mend_oauth_token_signed_in_as_other:
 *
 * Returns: whether the id_token named another account than the address the sign-in is
 *   stored for (compared without case); %FALSE when it named none
 */
gboolean
mend_oauth_token_signed_in_as_other (MendOAuthToken *self)
{
  g_return_val_if_fail (MEND_IS_OAUTH_TOKEN (self), FALSE);

  return self->signed_in_as != NULL && self->address != NULL &&
         g_ascii_strcasecmp (self->signed_in_as, self->address) != 0;
}

/**
 * mend_oauth_token_expires_within:
 * @span: a time span from now
 *
 * Returns: whether the access token is missing, or expires within @span
 */
gboolean
mend_oauth_token_expires_within (MendOAuthToken *self,
                                 GTimeSpan       span)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

  g_return_val_if_fail (MEND_IS_OAUTH_TOKEN (self), TRUE);

  if (self->access_token == NULL || self->expires_at == NULL)
    return TRUE;

  return g_date_time_difference (self->expires_at, now) < span;
}

/**
 * mend_tenant_type_to_string:
 *
 * Returns: “consumer”, “organization” or “unknown”, as `mailmend accounts --json` spells them
 */
const char *
mend_tenant_type_to_string (MendTenantType type)
{
  switch (type)
    {
    case MEND_TENANT_TYPE_CONSUMER:
      return "consumer";
    case MEND_TENANT_TYPE_ORGANIZATION:
      return "organization";
    case MEND_TENANT_TYPE_UNKNOWN:
    default:
      return "unknown";
    }
}
