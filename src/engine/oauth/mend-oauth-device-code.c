/* mend-oauth-device-code.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "mend-oauth-device-code"

#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>

#include "mend-oauth-device-code.h"
#include "mend-oauth-error.h"

/* The device-code endpoint's answer (v2-oauth2-device-code.md): the code the
 * user types elsewhere, where, and how often to poll. */

G_DEFINE_BOXED_TYPE (MendOAuthDeviceCode, mend_oauth_device_code,
                     mend_oauth_device_code_copy, mend_oauth_device_code_free)

#define DEFAULT_EXPIRES_IN 900
#define DEFAULT_INTERVAL   5

static char *
dup_string (JsonObject *object,
            const char *member)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;

  if (json_node_get_string (node)[0] == '\0')
    return NULL;

  return g_strdup (json_node_get_string (node));
}

static guint
get_seconds (JsonObject *object,
             const char *member,
             guint       fallback,
             guint       max)
{
  JsonNode *node = json_object_get_member (object, member);
  gint64 value = 0;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return fallback;

  if (json_node_get_value_type (node) == G_TYPE_INT64)
    value = json_node_get_int (node);
  else if (json_node_get_value_type (node) != G_TYPE_STRING ||
           !g_ascii_string_to_signed (json_node_get_string (node), 10, 0, G_MAXINT64, &value, NULL))
    return fallback;

  if (value <= 0)
    return fallback;

  return (guint) MIN (value, (gint64) max);
}

/* https, or http on loopback (the test rig). */
static gboolean
is_web_address (const char *text)
{
  g_autoptr(GUri) uri = g_uri_parse (text, G_URI_FLAGS_ENCODED, NULL);
  const char *scheme;

  if (uri == NULL || g_uri_get_host (uri) == NULL || g_uri_get_host (uri)[0] == '\0')
    return FALSE;

  scheme = g_uri_get_scheme (uri);
  if (g_ascii_strcasecmp (scheme, "https") == 0)
    return TRUE;

  return g_ascii_strcasecmp (scheme, "http") == 0 &&
         mend_oauth_is_loopback_host (g_uri_get_host (uri));
}

/**
 * mend_oauth_device_code_parse:
 * @json: the body of the device-code endpoint's answer
 * @settings: the settings the request was made with
 *
 * Without `expires_in` the codes last 15 minutes; without `interval`, polls
 * are 5 seconds apart.
 *
 * Returns: (transfer full) (nullable): the device code, or %NULL with @error
 *   set (a %MEND_OAUTH_ERROR error: the finding of an error answer, or
 *   %MEND_OAUTH_ERROR_PROVIDER_ERROR)
 */
MendOAuthDeviceCode *
mend_oauth_device_code_parse (const char         *json,
                              MendOAuthSettings  *settings,
                              GError            **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(MendOAuthDeviceCode) self = NULL;
  JsonObject *object;
  JsonNode *root;

  g_return_val_if_fail (json != NULL, NULL);
  g_return_val_if_fail (MEND_IS_OAUTH_SETTINGS (settings), NULL);

  if (!json_parser_load_from_data (parser, json, -1, NULL) ||
      (root = json_parser_get_root (parser)) == NULL ||
      !JSON_NODE_HOLDS_OBJECT (root))
    {
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

  self = g_new0 (MendOAuthDeviceCode, 1);
  self->device_code = dup_string (object, "device_code");
  self->user_code = dup_string (object, "user_code");
  /* RFC 8628 says verification_uri; early drafts said verification_url. */
  self->verification_uri = dup_string (object, "verification_uri");
  if (self->verification_uri == NULL)
    self->verification_uri = dup_string (object, "verification_url");
  self->message = dup_string (object, "message");
  self->expires_in = get_seconds (object, "expires_in", DEFAULT_EXPIRES_IN, 3600);
  self->interval = get_seconds (object, "interval", DEFAULT_INTERVAL, 60);

  if (self->device_code == NULL || self->user_code == NULL ||
      self->verification_uri == NULL || !is_web_address (self->verification_uri))
    {
      g_debug ("Device-code answer lacks a code or a web address");
      g_propagate_error (error, mend_oauth_error_new_malformed (0));
      return NULL;
    }

  return g_steal_pointer (&self);
}

MendOAuthDeviceCode *
mend_oauth_device_code_copy (const MendOAuthDeviceCode *self)
{
  MendOAuthDeviceCode *copy;

  g_return_val_if_fail (self != NULL, NULL);

  copy = g_new0 (MendOAuthDeviceCode, 1);
  copy->device_code = g_strdup (self->device_code);
  copy->user_code = g_strdup (self->user_code);
  copy->verification_uri = g_strdup (self->verification_uri);
  copy->message = g_strdup (self->message);
  copy->expires_in = self->expires_in;
  copy->interval = self->interval;

  return copy;
}

void
mend_oauth_device_code_free (MendOAuthDeviceCode *self)
{
  if (self == NULL)
    return;

  if (self->device_code != NULL)
    memset (self->device_code, 0, strlen (self->device_code));
  g_free (self->device_code);
  g_free (self->user_code);
  g_free (self->verification_uri);
  g_free (self->message);
  g_free (self);
}
