/* mend-oauth-id-token.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "mend-oauth-id-token"

#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>

#include "mend-oauth-error.h"
#include "mend-oauth-id-token.h"

/* The payload of an id_token, read without checking the signature: for
 * showing who signed in and for telling personal from work accounts (tid),
 * never for deciding access. */

G_DEFINE_BOXED_TYPE (MendOAuthIdToken, mend_oauth_id_token,
                     mend_oauth_id_token_copy, mend_oauth_id_token_free)

/* base64url without padding (RFC 7515 §2) to bytes; %NULL on any character
 * outside the alphabet. */
static guint8 *
base64url_decode (const char *text,
                  gsize       length,
                  gsize      *out_len)
{
  g_autoptr(GString) padded = g_string_sized_new (length + 3);

  if (length % 4 == 1)
    return NULL;

  for (gsize i = 0; i < length; i++)
    {
      char c = text[i];

      if (c == '-')
        c = '+';
      else if (c == '_')
        c = '/';
      else if (!g_ascii_isalnum (c))
        return NULL;
      g_string_append_c (padded, c);
    }
  while (padded->len % 4 != 0)
    g_string_append_c (padded, '=');

  return g_base64_decode (padded->str, out_len);
}

static char *
dup_claim (JsonObject *object,
           const char *member)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;

  if (json_node_get_string (node)[0] == '\0')
    return NULL;

  return g_strdup (json_node_get_string (node));
}

static gboolean
set_malformed (GError **error)
{
  g_set_error_literal (error, MEND_OAUTH_ERROR, MEND_OAUTH_ERROR_PROVIDER_ERROR,
                       _("Microsoft’s answer holds an identity token Mailmend cannot read."));

  return FALSE;
}

/**
 * mend_oauth_id_token_parse:
 * @jwt: the `id_token` of a token answer
 *
 * Reads `preferred_username`, `email`, `name`, `tid` and `oid` from the
 * payload. The signature is not checked.
 *
 * Returns: (transfer full) (nullable): the claims, or %NULL with @error set
 *   (%MEND_OAUTH_ERROR_PROVIDER_ERROR) when @jwt is not a JWT with a JSON
 *   object for payload
 */
MendOAuthIdToken *
mend_oauth_id_token_parse (const char  *jwt,
                           GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree guint8 *payload = NULL;
  MendOAuthIdToken *self;
  const char *first_dot;
  const char *second_dot;
  JsonObject *object;
  JsonNode *root;
  gsize payload_len = 0;

  g_return_val_if_fail (jwt != NULL, NULL);

  /* header.payload.signature; the signature may be empty (alg none). */
  first_dot = strchr (jwt, '.');
  second_dot = first_dot ? strchr (first_dot + 1, '.') : NULL;
  if (first_dot == NULL || second_dot == NULL || strchr (second_dot + 1, '.') != NULL ||
      second_dot == first_dot + 1)
    {
      set_malformed (error);
      return NULL;
    }

  payload = base64url_decode (first_dot + 1, second_dot - first_dot - 1, &payload_len);
  if (payload == NULL || payload_len == 0 ||
      !json_parser_load_from_data (parser, (const char *) payload, payload_len, NULL) ||
      (root = json_parser_get_root (parser)) == NULL ||
      !JSON_NODE_HOLDS_OBJECT (root))
    {
      set_malformed (error);
      return NULL;
    }

  object = json_node_get_object (root);
  self = g_new0 (MendOAuthIdToken, 1);
  self->preferred_username = dup_claim (object, "preferred_username");
  self->email = dup_claim (object, "email");
  self->name = dup_claim (object, "name");
  self->tid = dup_claim (object, "tid");
  self->oid = dup_claim (object, "oid");

  return self;
}

MendOAuthIdToken *
mend_oauth_id_token_copy (const MendOAuthIdToken *self)
{
  MendOAuthIdToken *copy;

  g_return_val_if_fail (self != NULL, NULL);

  copy = g_new0 (MendOAuthIdToken, 1);
  copy->preferred_username = g_strdup (self->preferred_username);
  copy->email = g_strdup (self->email);
  copy->name = g_strdup (self->name);
  copy->tid = g_strdup (self->tid);
  copy->oid = g_strdup (self->oid);

  return copy;
}

void
mend_oauth_id_token_free (MendOAuthIdToken *self)
{
  if (self == NULL)
    return;

  g_free (self->preferred_username);
  g_free (self->email);
  g_free (self->name);
  g_free (self->tid);
  g_free (self->oid);
  g_free (self);
}

/**
 * mend_oauth_id_token_get_tenant_type:
 *
 * Returns: %MEND_TENANT_TYPE_CONSUMER when `tid` is the consumer tenant,
 *   %MEND_TENANT_TYPE_ORGANIZATION for any other, %MEND_TENANT_TYPE_UNKNOWN
 *   without one
 */
MendTenantType
mend_oauth_id_token_get_tenant_type (const MendOAuthIdToken *self)
{
  g_return_val_if_fail (self != NULL, MEND_TENANT_TYPE_UNKNOWN);

  if (self->tid == NULL)
    return MEND_TENANT_TYPE_UNKNOWN;

  if (g_ascii_strcasecmp (self->tid, MEND_CONSUMER_TENANT_ID) == 0)
    return MEND_TENANT_TYPE_CONSUMER;

  return MEND_TENANT_TYPE_ORGANIZATION;
}

/**
 * mend_oauth_id_token_get_address:
 *
 * Returns: (nullable): the `email` claim, or else `preferred_username` when
 *   it is an address (it may be a phone number), for display
 */
const char *
mend_oauth_id_token_get_address (const MendOAuthIdToken *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  if (self->email != NULL && strchr (self->email, '@') != NULL)
    return self->email;

  if (self->preferred_username != NULL && strchr (self->preferred_username, '@') != NULL)
    return self->preferred_username;

  return NULL;
}
