/* mend-cli-accounts.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "mend-cli-accounts"

#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>

#include "mend-cli.h"
#include "mend-token-store.h"

static void
add_nullable_string (JsonBuilder *builder,
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

  add_nullable_string (builder, member, text);
}

/* Everything about a sign-in but its tokens. */
static void
add_account (JsonBuilder    *builder,
             MendOAuthToken *token)
{
  const char * const *scopes = mend_oauth_token_get_scopes (token);

  json_builder_begin_object (builder);
  add_nullable_string (builder, "address", mend_oauth_token_get_address (token));
  add_nullable_string (builder, "tenant_type",
                       mend_tenant_type_to_string (mend_oauth_token_get_tenant_type (token)));
  add_nullable_string (builder, "tenant_id", mend_oauth_token_get_tenant_id (token));
  json_builder_set_member_name (builder, "scopes");
  json_builder_begin_array (builder);
  for (guint i = 0; scopes[i] != NULL; i++)
    json_builder_add_string_value (builder, scopes[i]);
  json_builder_end_array (builder);
  add_date (builder, "expires_at", mend_oauth_token_get_expires_at (token));
  add_date (builder, "last_refresh", mend_oauth_token_get_last_refresh (token));
  add_nullable_string (builder, "authority", mend_oauth_token_get_authority (token));
  add_nullable_string (builder, "client_id", mend_oauth_token_get_client_id (token));
  add_nullable_string (builder, "signed_in_as", mend_oauth_token_get_signed_in_as (token));
  json_builder_end_object (builder);
}

static void
print_json (GPtrArray *tokens)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *text = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "accounts");
  json_builder_begin_array (builder);
  for (guint i = 0; i < tokens->len; i++)
    add_account (builder, g_ptr_array_index (tokens, i));
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  json_generator_set_pretty (generator, TRUE);
  text = json_generator_to_data (generator, NULL);
  g_print ("%s\n", text);
}

static const char *
describe_tenant_type (MendTenantType type)
{
  switch (type)
    {
    case MEND_TENANT_TYPE_CONSUMER:
      /* Translators: the kind of Microsoft account: Outlook.com, Hotmail, Live. */
      return _("personal");
    case MEND_TENANT_TYPE_ORGANIZATION:
      /* Translators: the kind of Microsoft account: Microsoft 365 at work or school. */
      return _("work or school");
    case MEND_TENANT_TYPE_UNKNOWN:
    default:
      return _("unknown");
    }
}

static char *
describe_time (GDateTime *time)
{
  g_autoptr(GDateTime) local = NULL;

  if (time == NULL)
    return g_strdup ("—");

  local = g_date_time_to_local (time);

  return g_date_time_format (local, "%Y-%m-%d %H:%M");
}

static char *
describe_expiry (MendOAuthToken *token)
{
  g_autofree char *when = NULL;

  if (mend_oauth_token_get_expires_at (token) == NULL)
    return g_strdup ("—");

  when = describe_time (mend_oauth_token_get_expires_at (token));
  if (mend_oauth_token_expires_within (token, 0))
    /* Translators: %s is a date and time; the access token is renewed when next needed. */
    return g_strdup_printf (_("%s (expired)"), when);

  return g_steal_pointer (&when);
}

/* Pads by characters, not bytes: addresses and translations are UTF-8. */
static void
append_cell (GString    *out,
             const char *text,
             guint       width)
{
  glong length = g_utf8_strlen (text, -1);

  g_string_append (out, text);
  for (glong i = length; i < (glong) width + 2; i++)
    g_string_append_c (out, ' ');
}

static guint
column_width (GPtrArray *column)
{
  guint width = 0;

  for (guint i = 0; i < column->len; i++)
    width = MAX (width, (guint) g_utf8_strlen (g_ptr_array_index (column, i), -1));

  return width;
}

static void
print_text (GPtrArray          *tokens,
            const char * const *damaged)
{
  g_autoptr(GString) out = g_string_new (NULL);
  GPtrArray *columns[4];
  guint widths[G_N_ELEMENTS (columns)];
  guint n_rows;

  if (tokens->len == 0 && (damaged == NULL || damaged[0] == NULL))
    {
      g_print ("%s\n", _("Mailmend keeps no sign-ins."));
      /* Translators: keep “mailmend signin ADDRESS”. */
      g_print ("%s\n", _("Run “mailmend signin ADDRESS” to sign in to Microsoft."));
      return;
    }

  for (guint c = 0; c < G_N_ELEMENTS (columns); c++)
    columns[c] = g_ptr_array_new_with_free_func (g_free);

  /* Translators: column headings of “mailmend accounts”. */
  g_ptr_array_add (columns[0], g_strdup (_("Address")));
  g_ptr_array_add (columns[1], g_strdup (_("Account")));
  g_ptr_array_add (columns[2], g_strdup (_("Access token expires")));
  g_ptr_array_add (columns[3], g_strdup (_("Last refresh")));

  for (guint i = 0; i < tokens->len; i++)
    {
      MendOAuthToken *token = g_ptr_array_index (tokens, i);

      g_ptr_array_add (columns[0], g_strdup (mend_oauth_token_get_address (token)));
      g_ptr_array_add (columns[1], g_strdup (describe_tenant_type (mend_oauth_token_get_tenant_type (token))));
      g_ptr_array_add (columns[2], describe_expiry (token));
      g_ptr_array_add (columns[3], describe_time (mend_oauth_token_get_last_refresh (token)));
    }

  for (guint i = 0; damaged != NULL && damaged[i] != NULL; i++)
    {
      g_ptr_array_add (columns[0], g_strdup (damaged[i]));
      /* Translators: in the Account column: the stored sign-in cannot be read. */
      g_ptr_array_add (columns[1], g_strdup (_("damaged")));
      g_ptr_array_add (columns[2], g_strdup ("—"));
      g_ptr_array_add (columns[3], g_strdup ("—"));
    }

  for (guint c = 0; c < G_N_ELEMENTS (columns); c++)
    widths[c] = column_width (columns[c]);

  n_rows = columns[0]->len;
  for (guint row = 0; row < n_rows; row++)
    {
      for (guint c = 0; c + 1 < G_N_ELEMENTS (columns); c++)
        append_cell (out, g_ptr_array_index (columns[c], row), widths[c]);
      g_string_append_printf (out, "%s\n", (char *) g_ptr_array_index (columns[3], row));
    }

  g_print ("%s", out->str);

  for (guint c = 0; c < G_N_ELEMENTS (columns); c++)
    g_ptr_array_unref (columns[c]);
}

static void
warn_damaged (const char * const *damaged)
{
  for (guint i = 0; damaged != NULL && damaged[i] != NULL; i++)
    {
      g_autofree char *message = NULL;

      /* Translators: %s is an e-mail address, three times; keep the commands. */
      message = g_strdup_printf (_("The stored sign-in for %s is damaged. Run “mailmend signin %s” "
                                   "to sign in again, or “mailmend forget %s” to remove it."),
                                 damaged[i], damaged[i], damaged[i]);
      g_printerr ("mailmend: %s\n", message);
    }
}

/**
 * mend_cli_accounts:
 *
 * `mailmend accounts [--json]`: the sign-ins kept in the keyring, never a token. Exits 0,
 * or 4 when the keyring cannot be reached.
 */
int
mend_cli_accounts (const MendCliCommand  *command,
                   int                    argc,
                   char                 **argv)
{
  g_autoptr(GOptionContext) option_context = mend_cli_option_context_new (command);
  g_autoptr(MendTokenStore) store = NULL;
  g_autoptr(GPtrArray) tokens = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) damaged = NULL;
  gboolean json = FALSE;
  GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    { NULL }
  };

  g_option_context_add_main_entries (option_context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (option_context, &argc, &argv, &error))
    return mend_cli_usage_error (command, error->message);
  if (argc > 1)
    return mend_cli_usage_error (command, _("The accounts command takes no arguments."));

  store = mend_token_store_new ();
  tokens = mend_token_store_list_sync (store, NULL, &damaged, &error);
  if (tokens == NULL)
    {
      g_autoptr(MendFinding) finding = mend_token_store_error_to_finding (error);

      if (finding != NULL)
        mend_cli_print_finding (finding);
      else
        g_printerr ("mailmend: %s\n", error->message);

      return g_error_matches (error, MEND_TOKEN_STORE_ERROR, MEND_TOKEN_STORE_ERROR_UNAVAILABLE)
             ? MEND_CLI_EXIT_KEYRING : MEND_CLI_EXIT_FAILURE;
    }

  if (json)
    print_json (tokens);
  else
    print_text (tokens, (const char * const *) damaged);

  warn_damaged ((const char * const *) damaged);

  return MEND_CLI_EXIT_OK;
}
