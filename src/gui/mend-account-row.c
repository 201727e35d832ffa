/* mend-account-row.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "mend-account-row"

#include "config.h"

#include <glib/gi18n.h>

#include "mend-account-row.h"
#include "mend-finding-row.h"

/* One account on the Accounts page: its address, protocols and status, a
 * check button to choose it for repair, and, expanded, each server with
 * its findings. */
struct _MendAccountRow
{
  AdwExpanderRow    parent_instance;

  MendAccountGroup *group;
  GtkCheckButton   *check;
};

enum {
  PROP_0,
  PROP_SELECTED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (MendAccountRow, mend_account_row, ADW_TYPE_EXPANDER_ROW)

static const char *
status_text (MendAccountStatus status)
{
  switch (status)
    {
    case MEND_ACCOUNT_STATUS_NEEDS_REPAIR:
      return _("Needs repair");
    case MEND_ACCOUNT_STATUS_CANNOT_REPAIR:
      return _("Cannot be repaired here");
    case MEND_ACCOUNT_STATUS_READY:
      return _("Ready");
    case MEND_ACCOUNT_STATUS_OTHER:
    default:
      return _("Nothing to repair");
    }
}

static GtkWidget *
status_icon (MendAccountStatus status)
{
  GtkWidget *image;

  switch (status)
    {
    case MEND_ACCOUNT_STATUS_NEEDS_REPAIR:
      image = gtk_image_new_from_icon_name ("dialog-warning-symbolic");
      gtk_widget_add_css_class (image, "warning");
      break;
    case MEND_ACCOUNT_STATUS_CANNOT_REPAIR:
      image = gtk_image_new_from_icon_name ("action-unavailable-symbolic");
      gtk_widget_add_css_class (image, "error");
      break;
    case MEND_ACCOUNT_STATUS_READY:
      image = gtk_image_new_from_icon_name ("emblem-ok-symbolic");
      gtk_widget_add_css_class (image, "success");
      break;
    case MEND_ACCOUNT_STATUS_OTHER:
    default:
      image = gtk_image_new_from_icon_name ("emblem-default-symbolic");
      gtk_widget_add_css_class (image, "dim-label");
      break;
    }

  gtk_widget_set_tooltip_text (image, status_text (status));

  return image;
}

static const char *
security_text (MendSecurity security)
{
  switch (security)
    {
    case MEND_SECURITY_TLS:
      return _("SSL/TLS");
    case MEND_SECURITY_STARTTLS:
      return _("STARTTLS");
    case MEND_SECURITY_NONE:
    default:
      return _("No encryption");
    }
}

static const char *
auth_text (MendAuth auth)
{
  switch (auth)
    {
    case MEND_AUTH_PASSWORD:
      return _("Password");
    case MEND_AUTH_OAUTH2:
      return _("OAuth 2.0");
    case MEND_AUTH_NONE:
      return _("No sign-in");
    case MEND_AUTH_OTHER:
    default:
      return _("Other sign-in");
    }
}

static GtkWidget *
new_text_row (const char *title,
              const char *subtitle)
{
  GtkWidget *row = adw_action_row_new ();

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);

  return row;
}

static void
add_server_rows (MendAccountRow *self,
                 MendAccount    *server)
{
  GPtrArray *findings = mend_account_get_findings (server);
  g_autofree char *protocol = g_ascii_strup (mend_protocol_to_string (mend_account_get_protocol (server)), -1);
  g_autofree char *title = NULL;
  g_autofree char *subtitle = NULL;
  GtkWidget *row;

  /* Translators: a server: protocol, host and port, e.g. “IMAP — outlook.office365.com:993”. */
  title = g_strdup_printf (_("%s — %s:%u"), protocol,
                           mend_account_get_host (server) ? mend_account_get_host (server) : "?",
                           mend_account_get_port (server));
  /* Translators: encryption and sign-in method, e.g. “SSL/TLS · Password”. */
  subtitle = g_strdup_printf (_("%s · %s"), security_text (mend_account_get_security (server)),
                              auth_text (mend_account_get_auth (server)));
  row = new_text_row (title, subtitle);
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), gtk_image_new_from_icon_name ("network-server-symbolic"));
  adw_expander_row_add_row (ADW_EXPANDER_ROW (self), row);

  for (guint i = 0; i < findings->len; i++)
    {
      MendFinding *finding = g_ptr_array_index (findings, i);
      g_autofree char *text = NULL;
      GtkWidget *icon;

      if (mend_finding_get_remedy (finding)[0] != '\0')
        text = g_strdup_printf ("%s\n%s", mend_finding_get_explanation (finding),
                                mend_finding_get_remedy (finding));
      else
        text = g_strdup (mend_finding_get_explanation (finding));

      row = new_text_row (mend_finding_get_title (finding), text);
      gtk_widget_add_css_class (row, "finding");
      icon = mend_finding_severity_icon_new (mend_finding_get_severity (finding));
      gtk_widget_set_margin_start (icon, 12);
      adw_action_row_add_prefix (ADW_ACTION_ROW (row), icon);
      adw_expander_row_add_row (ADW_EXPANDER_ROW (self), row);
    }
}

static void
on_check_toggled (MendAccountRow *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SELECTED]);
}

static void
mend_account_row_dispose (GObject *object)
{
  MendAccountRow *self = (MendAccountRow *) object;

  g_clear_object (&self->group);

  G_OBJECT_CLASS (mend_account_row_parent_class)->dispose (object);
}

static void
mend_account_row_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  MendAccountRow *self = MEND_ACCOUNT_ROW (object);

  switch (prop_id)
    {
    case PROP_SELECTED:
      g_value_set_boolean (value, mend_account_row_get_selected (self));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mend_account_row_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  MendAccountRow *self = MEND_ACCOUNT_ROW (object);

  switch (prop_id)
    {
    case PROP_SELECTED:
      mend_account_row_set_selected (self, g_value_get_boolean (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mend_account_row_class_init (MendAccountRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = mend_account_row_dispose;
  object_class->get_property = mend_account_row_get_property;
  object_class->set_property = mend_account_row_set_property;

  properties[PROP_SELECTED] =
    g_param_spec_boolean ("selected", NULL, NULL,
                          FALSE,
                          (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
mend_account_row_init (MendAccountRow *self)
{
  self->check = GTK_CHECK_BUTTON (gtk_check_button_new ());
  gtk_widget_set_valign (GTK_WIDGET (self->check), GTK_ALIGN_CENTER);
  g_signal_connect_object (self->check, "toggled", G_CALLBACK (on_check_toggled), self,
                           G_CONNECT_SWAPPED);
  adw_expander_row_add_prefix (ADW_EXPANDER_ROW (self), GTK_WIDGET (self->check));
}

/**
 * mend_account_row_new:
 * @group: the account to show
 *
 * Accounts that need repair start selected; the others cannot be chosen.
 */
GtkWidget *
mend_account_row_new (MendAccountGroup *group)
{
  MendAccountRow *self;
  MendAccountStatus status;
  GPtrArray *servers;
  g_autofree char *protocols = NULL;
  g_autofree char *subtitle = NULL;
  g_autofree char *check_label = NULL;
  const char *address;

  g_return_val_if_fail (MEND_IS_ACCOUNT_GROUP (group), NULL);

  self = g_object_new (MEND_TYPE_ACCOUNT_ROW, NULL);
  self->group = g_object_ref (group);
  status = mend_account_group_get_status (group);
  servers = mend_account_group_get_servers (group);

  address = mend_account_group_get_address (group);
  protocols = mend_account_group_dup_protocols (group);
  /* Translators: protocols, then the account's status, e.g. “IMAP, SMTP · Needs repair”. */
  subtitle = g_strdup_printf (_("%s · %s"), protocols, status_text (status));

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (self), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self), address ? address : _("Unnamed account"));
  adw_expander_row_set_subtitle (ADW_EXPANDER_ROW (self), subtitle);
  adw_expander_row_add_action (ADW_EXPANDER_ROW (self), status_icon (status));

  gtk_check_button_set_active (self->check, status == MEND_ACCOUNT_STATUS_NEEDS_REPAIR);
  gtk_widget_set_sensitive (GTK_WIDGET (self->check), status == MEND_ACCOUNT_STATUS_NEEDS_REPAIR);
  /* Translators: read by screen readers; %s is an e-mail address. */
  check_label = g_strdup_printf (_("Repair %s"), address ? address : "");
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->check),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, check_label,
                                  -1);

  for (guint i = 0; i < servers->len; i++)
    add_server_rows (self, g_ptr_array_index (servers, i));

  return GTK_WIDGET (self);
}

MendAccountGroup *
mend_account_row_get_group (MendAccountRow *self)
{
  g_return_val_if_fail (MEND_IS_ACCOUNT_ROW (self), NULL);

  return self->group;
}

gboolean
mend_account_row_get_selected (MendAccountRow *self)
{
  g_return_val_if_fail (MEND_IS_ACCOUNT_ROW (self), FALSE);

  return gtk_check_button_get_active (self->check);
}

void
mend_account_row_set_selected (MendAccountRow *self,
                               gboolean        selected)
{
  g_return_if_fail (MEND_IS_ACCOUNT_ROW (self));

  gtk_check_button_set_active (self->check, selected);
}
