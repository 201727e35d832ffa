/* mend-preferences-window.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "mend-preferences-window"

#include "config.h"

#include <glib/gi18n.h>

#include "mend-oauth-settings.h"
#include "mend-preferences-window.h"

/* Where and as whom Mailmend signs in to Microsoft: the keys microsoft-client-id,
 * microsoft-tenant and microsoft-authority, which every sign-in reads again
 * (mend_oauth_settings_apply_gsettings()). A text is saved when applied, with Enter or the
 * row's apply button, and only when it is valid: an invalid one is explained under its row
 * and never reaches the settings, where it would stop every sign-in. An empty key means the
 * built-in value. */

typedef enum
{
  FIELD_CLIENT_ID,
  FIELD_TENANT,
  FIELD_AUTHORITY,
  N_FIELDS
} Field;

/* The positions in the Account Type row's model. */
typedef enum
{
  ACCOUNT_TYPE_ANY,
  ACCOUNT_TYPE_PERSONAL,
  ACCOUNT_TYPE_WORK,
  ACCOUNT_TYPE_ORGANIZATION,
} AccountType;

/* Microsoft's tenant for each account type but the last. */
static const char * const account_type_tenants[] = { "common", "consumers", "organizations" };

struct _MendPreferencesWindow
{
  AdwPreferencesWindow  parent_instance;

  GSettings            *settings;
  /* Set while the rows show what the settings hold: that writes nothing back. */
  gboolean              syncing;

  AdwEntryRow          *entries[N_FIELDS];
  GtkLabel             *messages[N_FIELDS];
  gboolean              invalid[N_FIELDS];

  /* Template widgets */
  AdwPreferencesGroup  *registration_group;
  AdwEntryRow          *client_id_row;
  GtkLabel             *client_id_message;
  AdwComboRow          *account_type_row;
  AdwEntryRow          *tenant_row;
  GtkLabel             *tenant_message;
  AdwExpanderRow       *advanced_row;
  AdwEntryRow          *authority_row;
  GtkLabel             *authority_message;
};

G_DEFINE_FINAL_TYPE (MendPreferencesWindow, mend_preferences_window, ADW_TYPE_PREFERENCES_WINDOW)

static char *
normalize_client_id (const char  *text,
                     GError     **error)
{
  if (!mend_oauth_validate_client_id (text, error))
    return NULL;

  return g_ascii_strdown (text, -1);
}

static const struct
{
  const char  *key;
  char       *(*normalize) (const char  *text,
                            GError     **error);
} fields[N_FIELDS] = {
  [FIELD_CLIENT_ID] = { "microsoft-client-id", normalize_client_id },
  [FIELD_TENANT] = { "microsoft-tenant", mend_oauth_normalize_tenant },
  [FIELD_AUTHORITY] = { "microsoft-authority", mend_oauth_normalize_authority },
};

/* Under the row: why its text was not saved, or else what it is for, if that needs saying. */
static void
show_message (MendPreferencesWindow *self,
              Field                  field,
              const char            *error)
{
  GtkWidget *label = GTK_WIDGET (self->messages[field]);
  GtkWidget *entry = GTK_WIDGET (self->entries[field]);
  const char *help = NULL;
  const char *text;

  if (field == FIELD_AUTHORITY)
    help = _("Leave it empty for Microsoft’s worldwide service, "
             "https://login.microsoftonline.com. Change it only for a national cloud, such as "
             "https://login.microsoftonline.us, or for tests: plain http:// is only accepted "
             "for this computer’s own addresses.");

  text = error != NULL ? error : help;
  gtk_label_set_label (GTK_LABEL (label), text != NULL ? text : "");
  gtk_widget_set_visible (gtk_widget_get_parent (label), text != NULL);

  self->invalid[field] = error != NULL;
  if (error != NULL)
    {
      gtk_widget_add_css_class (entry, "error");
      gtk_widget_add_css_class (label, "error");
      gtk_widget_remove_css_class (label, "dim-label");
    }
  else
    {
      gtk_widget_remove_css_class (entry, "error");
      gtk_widget_remove_css_class (label, "error");
      gtk_widget_add_css_class (label, "dim-label");
    }
  gtk_accessible_update_state (GTK_ACCESSIBLE (entry),
                               GTK_ACCESSIBLE_STATE_INVALID,
                               error != NULL ? GTK_ACCESSIBLE_INVALID_TRUE
                                             : GTK_ACCESSIBLE_INVALID_FALSE,
                               -1);
}

static char *
dup_entry_text (MendPreferencesWindow *self,
                Field                  field)
{
  return g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->entries[field]))));
}

static void
update_reset (MendPreferencesWindow *self)
{
  gboolean modified = adw_combo_row_get_selected (self->account_type_row) != ACCOUNT_TYPE_ANY;

  for (guint i = 0; i < N_FIELDS && !modified; i++)
    {
      g_autofree char *stored = g_settings_get_string (self->settings, fields[i].key);
      const char *text = gtk_editable_get_text (GTK_EDITABLE (self->entries[i]));

      modified = stored[0] != '\0' || text[0] != '\0';
    }

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "prefs.reset", modified);
}

static void
apply_field (MendPreferencesWindow *self,
             Field                  field)
{
  g_autofree char *text = dup_entry_text (self, field);
  g_autofree char *value = NULL;
  g_autoptr(GError) error = NULL;

  /* Empty means the built-in value, but a specific organization must be named. */
  if (text[0] == '\0' && field == FIELD_TENANT)
    {
      show_message (self, field,
                    _("Enter the organization’s tenant ID or one of its domain names, such as "
                      "contoso.onmicrosoft.com."));
      return;
    }

  if (text[0] != '\0' && (value = fields[field].normalize (text, &error)) == NULL)
    {
      g_debug ("Not saving %s: the value is not valid", fields[field].key);
      show_message (self, field, error->message);
      return;
    }

  show_message (self, field, NULL);
  g_settings_set_string (self->settings, fields[field].key, value != NULL ? value : "");
}

/* Whether the row's text already stands for @stored, as typed: then it stays as it is. */
static gboolean
entry_shows (MendPreferencesWindow *self,
             Field                  field,
             const char            *stored)
{
  g_autofree char *text = dup_entry_text (self, field);
  g_autofree char *value = NULL;

  if (text[0] == '\0')
    return stored[0] == '\0';

  value = fields[field].normalize (text, NULL);

  return g_strcmp0 (value, stored) == 0;
}

static void
set_entry_text (MendPreferencesWindow *self,
                Field                  field,
                const char            *stored)
{
  if (!entry_shows (self, field, stored))
    gtk_editable_set_text (GTK_EDITABLE (self->entries[field]), stored);
}

static void
show_account_type (MendPreferencesWindow *self,
                   const char            *tenant)
{
  AccountType type = ACCOUNT_TYPE_ORGANIZATION;

  if (tenant[0] == '\0')
    type = ACCOUNT_TYPE_ANY;
  for (guint i = 0; i < G_N_ELEMENTS (account_type_tenants); i++)
    {
      if (g_ascii_strcasecmp (tenant, account_type_tenants[i]) == 0)
        type = i;
    }

  adw_combo_row_set_selected (self->account_type_row, type);
  gtk_widget_set_visible (GTK_WIDGET (self->tenant_row), type == ACCOUNT_TYPE_ORGANIZATION);
  if (type == ACCOUNT_TYPE_ORGANIZATION)
    set_entry_text (self, FIELD_TENANT, tenant);
  else if (entry_shows (self, FIELD_TENANT, tenant))
    /* “consumers” typed as an organization: the row above says it now, and choosing an
     * organization again must not bring it back. */
    gtk_editable_set_text (GTK_EDITABLE (self->tenant_row), "");
}

/* Shows what the key holds, also when it was set elsewhere (gsettings, dconf-editor), where
 * nothing checks it: an invalid value is explained, as sign-in will refuse it. */
static void
sync_field (MendPreferencesWindow *self,
            Field                  field)
{
  g_autofree char *stored = g_settings_get_string (self->settings, fields[field].key);
  g_autofree char *value = NULL;
  g_autoptr(GError) error = NULL;

  self->syncing = TRUE;
  if (field == FIELD_TENANT)
    show_account_type (self, stored);
  else
    set_entry_text (self, field, stored);
  self->syncing = FALSE;

  if (stored[0] != '\0' && (value = fields[field].normalize (stored, &error)) == NULL)
    show_message (self, field, error->message);
  else
    show_message (self, field, NULL);
}

static void
on_settings_changed (MendPreferencesWindow *self,
                     const char            *key,
                     GSettings             *settings)
{
  for (guint i = 0; i < N_FIELDS; i++)
    {
      if (g_strcmp0 (key, fields[i].key) == 0)
        sync_field (self, i);
    }

  update_reset (self);
}

static void
on_entry_changed (MendPreferencesWindow *self,
                  GtkEditable           *editable)
{
  for (guint i = 0; i < N_FIELDS; i++)
    {
      g_autofree char *text = NULL;
      g_autofree char *value = NULL;

      if (GTK_EDITABLE (self->entries[i]) != editable || !self->invalid[i])
        continue;

      /* The explanation goes once the text is right; it is saved when applied. */
      text = dup_entry_text (self, i);
      if ((text[0] == '\0' && i != FIELD_TENANT) ||
          (text[0] != '\0' && (value = fields[i].normalize (text, NULL)) != NULL))
        show_message (self, i, NULL);
    }

  update_reset (self);
}

static void
on_client_id_apply (MendPreferencesWindow *self)
{
  apply_field (self, FIELD_CLIENT_ID);
}

static void
on_tenant_apply (MendPreferencesWindow *self)
{
  apply_field (self, FIELD_TENANT);
}

static void
on_authority_apply (MendPreferencesWindow *self)
{
  apply_field (self, FIELD_AUTHORITY);
}

static void
on_account_type_selected (MendPreferencesWindow *self)
{
  AccountType type = adw_combo_row_get_selected (self->account_type_row);
  g_autofree char *text = NULL;

  gtk_widget_set_visible (GTK_WIDGET (self->tenant_row), type == ACCOUNT_TYPE_ORGANIZATION);
  if (self->syncing)
    return;

  if (type != ACCOUNT_TYPE_ORGANIZATION)
    {
      show_message (self, FIELD_TENANT, NULL);
      /* Any account is the built-in tenant, “common”. */
      g_settings_set_string (self->settings, fields[FIELD_TENANT].key,
                             type == ACCOUNT_TYPE_ANY ? "" : account_type_tenants[type]);
      return;
    }

  /* The organization is saved once it is named; it may have been already. */
  text = dup_entry_text (self, FIELD_TENANT);
  if (text[0] != '\0')
    apply_field (self, FIELD_TENANT);
  update_reset (self);
}

static void
prefs_reset_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  MendPreferencesWindow *self = MEND_PREFERENCES_WINDOW (widget);

  g_debug ("Back to the built-in sign-in settings");

  /* Text that was never saved goes too. */
  self->syncing = TRUE;
  for (guint i = 0; i < N_FIELDS; i++)
    gtk_editable_set_text (GTK_EDITABLE (self->entries[i]), "");
  adw_combo_row_set_selected (self->account_type_row, ACCOUNT_TYPE_ANY);
  self->syncing = FALSE;

  for (guint i = 0; i < N_FIELDS; i++)
    {
      show_message (self, i, NULL);
      g_settings_reset (self->settings, fields[i].key);
    }

  update_reset (self);
}

static void
show_builtin_client_id (MendPreferencesWindow *self)
{
  g_autoptr(MendOAuthSettings) defaults = mend_oauth_settings_new ();
  const char *builtin = mend_oauth_settings_get_client_id (defaults);
  g_autofree char *description = NULL;

  if (builtin != NULL)
    /* Translators: %s is a client ID, such as 00000000-0000-0000-0000-000000000000. */
    description = g_strdup_printf (_("Leave the client ID empty to use the one built into "
                                     "Mailmend, %s."),
                                   builtin);
  else
    description = g_strdup (_("This copy of Mailmend has no client ID built in: enter the "
                              "“Application (client) ID” of a Microsoft Entra app "
                              "registration, such as your organization’s."));

  adw_preferences_group_set_description (self->registration_group, description);
}

static void
mend_preferences_window_dispose (GObject *object)
{
  MendPreferencesWindow *self = (MendPreferencesWindow *) object;

  /* A change may be on its way from the settings backend, and the rows must not write back
   * while they go. */
  if (self->settings != NULL)
    g_signal_handlers_disconnect_by_data (self->settings, self);
  g_clear_object (&self->settings);
  if (self->account_type_row != NULL)
    g_signal_handlers_disconnect_by_data (self->account_type_row, self);

  gtk_widget_dispose_template (GTK_WIDGET (self), MEND_TYPE_PREFERENCES_WINDOW);

  G_OBJECT_CLASS (mend_preferences_window_parent_class)->dispose (object);
}

static void
mend_preferences_window_class_init (MendPreferencesWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = mend_preferences_window_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PATH "/ui/mend-preferences-window.ui");
  gtk_widget_class_bind_template_child (widget_class, MendPreferencesWindow, registration_group);
  gtk_widget_class_bind_template_child (widget_class, MendPreferencesWindow, client_id_row);
  gtk_widget_class_bind_template_child (widget_class, MendPreferencesWindow, client_id_message);
  gtk_widget_class_bind_template_child (widget_class, MendPreferencesWindow, account_type_row);
  gtk_widget_class_bind_template_child (widget_class, MendPreferencesWindow, tenant_row);
  gtk_widget_class_bind_template_child (widget_class, MendPreferencesWindow, tenant_message);
  gtk_widget_class_bind_template_child (widget_class, MendPreferencesWindow, advanced_row);
  gtk_widget_class_bind_template_child (widget_class, MendPreferencesWindow, authority_row);
  gtk_widget_class_bind_template_child (widget_class, MendPreferencesWindow, authority_message);
  gtk_widget_class_bind_template_callback (widget_class, on_entry_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_client_id_apply);
  gtk_widget_class_bind_template_callback (widget_class, on_tenant_apply);
  gtk_widget_class_bind_template_callback (widget_class, on_authority_apply);

  gtk_widget_class_install_action (widget_class, "prefs.reset", NULL, prefs_reset_action);
}

static void
mend_preferences_window_init (MendPreferencesWindow *self)
{
  g_autofree char *authority = NULL;

  gtk_widget_init_template (GTK_WIDGET (self));

  self->entries[FIELD_CLIENT_ID] = self->client_id_row;
  self->entries[FIELD_TENANT] = self->tenant_row;
  self->entries[FIELD_AUTHORITY] = self->authority_row;
  self->messages[FIELD_CLIENT_ID] = self->client_id_message;
  self->messages[FIELD_TENANT] = self->tenant_message;
  self->messages[FIELD_AUTHORITY] = self->authority_message;

  if (DEVELOPMENT_BUILD)
    gtk_widget_add_css_class (GTK_WIDGET (self), "devel");

  show_builtin_client_id (self);

  self->settings = g_settings_new (SCHEMA_ID);
  g_signal_connect_swapped (self->settings, "changed", G_CALLBACK (on_settings_changed), self);
  for (guint i = 0; i < N_FIELDS; i++)
    sync_field (self, i);
  update_reset (self);

  /* Only now: the row's first selection, while the template is built, is not the user's. */
  g_signal_connect_swapped (self->account_type_row, "notify::selected",
                            G_CALLBACK (on_account_type_selected), self);

  /* A changed address is there to be seen. */
  authority = g_settings_get_string (self->settings, fields[FIELD_AUTHORITY].key);
  adw_expander_row_set_expanded (self->advanced_row, authority[0] != '\0');
}

/**
 * mend_preferences_window_present:
 * @application: the application
 *
 * Shows the preferences, over the active window: the window already open, or a new one.
 *
 * Returns: (transfer none): the window
 */
MendPreferencesWindow *
mend_preferences_window_present (GtkApplication *application)
{
  MendPreferencesWindow *self;

  g_return_val_if_fail (GTK_IS_APPLICATION (application), NULL);

  for (GList *l = gtk_application_get_windows (application); l != NULL; l = l->next)
    {
      if (MEND_IS_PREFERENCES_WINDOW (l->data))
        {
          gtk_window_present (l->data);
          return l->data;
        }
    }

  self = g_object_new (MEND_TYPE_PREFERENCES_WINDOW,
                       "application", application,
                       "transient-for", gtk_application_get_active_window (application),
                       NULL);
  gtk_window_present (GTK_WINDOW (self));

  return self;
}
