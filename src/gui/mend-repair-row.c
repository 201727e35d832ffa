/* mend-repair-row.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "mend-repair-row"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "mend-diff-view.h"
#include "mend-file-edit.h"
#include "mend-repair-row.h"

/* One account on the Repair step: its address and mail app, a status line (ready, what
 * stands in the way, the result), what the user must do about it, the notes of the plan,
 * and the changes behind an expander. The page drives it from one state to the next; its
 * buttons activate the page's `repair.*` actions and the window's `wizard.go-to-step`. */
struct _MendRepairRow
{
  GtkWidget           parent_instance;

  char               *account_id;
  MendRepairRowState  state;
  MendRepairPlan     *plan;
  GAppInfo           *app_info;
  MendFinding        *finding;
  char               *change_id;
  GPtrArray          *note_rows;

  /* Template widgets */
  AdwPreferencesGroup *group;
  GtkImage            *client_icon;
  AdwActionRow        *status_row;
  GtkImage            *status_icon;
  GtkSpinner          *status_spinner;
  GtkLabel            *details_label;
  GtkWidget           *buttons_box;
  GtkWidget           *sign_in_button;
  GtkWidget           *check_again_button;
  GtkWidget           *open_button;
  GtkWidget           *undo_button;
  GtkExpander         *changes_expander;
  MendDiffView        *diff_view;
};

G_DEFINE_FINAL_TYPE (MendRepairRow, mend_repair_row, GTK_TYPE_WIDGET)

static const char *
get_client_name (MendRepairRow *self)
{
  return self->plan != NULL ? mend_repair_plan_get_client_name (self->plan) : NULL;
}

/* Returns: (nullable): the finding that keeps the plan from being applied */
static MendFinding *
get_blocking_finding (MendRepairRow *self)
{
  GPtrArray *findings;

  if (self->finding != NULL)
    return self->finding;
  if (self->plan == NULL)
    return NULL;

  findings = mend_repair_plan_get_findings (self->plan);

  return findings->len > 0 ? g_ptr_array_index (findings, 0) : NULL;
}

static gboolean
finding_is (MendFinding *finding,
            const char  *id)
{
  return finding != NULL && g_strcmp0 (mend_finding_get_id (finding), id) == 0;
}

static void
set_status_icon (MendRepairRow *self,
                 const char    *icon_name,
                 const char    *css_class,
                 const char    *description)
{
  static const char * const classes[] = { "success", "warning", "error", "accent", "dim-label" };

  gtk_widget_set_visible (GTK_WIDGET (self->status_spinner), icon_name == NULL);
  gtk_spinner_set_spinning (self->status_spinner, icon_name == NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->status_icon), icon_name != NULL);
  if (icon_name == NULL)
    return;

  gtk_image_set_from_icon_name (self->status_icon, icon_name);
  for (guint i = 0; i < G_N_ELEMENTS (classes); i++)
    gtk_widget_remove_css_class (GTK_WIDGET (self->status_icon), classes[i]);
  gtk_widget_add_css_class (GTK_WIDGET (self->status_icon), css_class);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->status_icon),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, description,
                                  -1);
}

static void
set_status_text (MendRepairRow *self,
                 const char    *title,
                 const char    *subtitle)
{
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->status_row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (self->status_row), subtitle);
}

static void
show_finding (MendRepairRow *self,
              MendFinding   *finding)
{
  const char *remedy = mend_finding_get_remedy (finding);
  const char *details = mend_finding_get_details (finding);
  g_autofree char *own_remedy = NULL;
  g_autofree char *subtitle = NULL;

  /* The scan's remedy says to close it before this step; this is the step. */
  if (finding_is (finding, "client-running") && get_client_name (self) != NULL)
    remedy = own_remedy = g_strdup_printf (_("Close %s, then choose Check Again."),
                                           get_client_name (self));

  if (remedy != NULL && remedy[0] != '\0')
    subtitle = g_strdup_printf ("%s\n%s", mend_finding_get_explanation (finding), remedy);
  else
    subtitle = g_strdup (mend_finding_get_explanation (finding));

  switch (mend_finding_get_severity (finding))
    {
    case MEND_SEVERITY_ERROR:
      set_status_icon (self, "dialog-error-symbolic", "error", _("Error"));
      break;

    case MEND_SEVERITY_WARNING:
      set_status_icon (self, "dialog-warning-symbolic", "warning", _("Warning"));
      break;

    case MEND_SEVERITY_INFO:
    default:
      set_status_icon (self, "dialog-information-symbolic", "accent", _("Information"));
      break;
    }

  set_status_text (self, mend_finding_get_title (finding), subtitle);
  gtk_label_set_label (self->details_label, details);
  gtk_widget_set_visible (GTK_WIDGET (self->details_label), details != NULL && details[0] != '\0');
}

static void
clear_notes (MendRepairRow *self)
{
  for (guint i = 0; i < self->note_rows->len; i++)
    adw_preferences_group_remove (self->group, g_ptr_array_index (self->note_rows, i));
  g_ptr_array_set_size (self->note_rows, 0);
}

static void
show_notes (MendRepairRow *self)
{
  const char * const *notes = mend_repair_plan_get_notes (self->plan);

  clear_notes (self);

  for (guint i = 0; notes[i] != NULL; i++)
    {
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *icon = gtk_image_new_from_icon_name ("dialog-information-symbolic");

      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), notes[i]);
      gtk_widget_add_css_class (icon, "dim-label");
      adw_action_row_add_prefix (ADW_ACTION_ROW (row), icon);
      adw_preferences_group_add (self->group, row);
      g_ptr_array_add (self->note_rows, row);
    }
}

static void
show_changes (MendRepairRow *self)
{
  g_autoptr(GPtrArray) edits = NULL;
  g_autoptr(GString) diffs = g_string_new (NULL);

  if (self->plan != NULL)
    {
      edits = mend_repair_plan_dup_edits (self->plan);
      for (guint i = 0; i < edits->len; i++)
        {
          g_autofree char *diff = mend_file_edit_dup_display_diff (g_ptr_array_index (edits, i));

          g_string_append (diffs, diff);
        }
    }

  mend_diff_view_set_text (self->diff_view, diffs->len > 0 ? diffs->str : NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->changes_expander), diffs->len > 0);
}

static void
update (MendRepairRow *self)
{
  MendFinding *finding = get_blocking_finding (self);
  const char *client_name = get_client_name (self);
  g_autofree char *subtitle = NULL;
  gboolean sign_in = FALSE;
  gboolean check_again = FALSE;
  gboolean notes = FALSE;

  gtk_widget_set_visible (GTK_WIDGET (self->details_label), FALSE);

  switch (self->state)
    {
    case MEND_REPAIR_ROW_PLANNED:
      if (finding != NULL)
        {
          show_finding (self, finding);
          sign_in = finding_is (finding, "signin-needed");
          check_again = finding_is (finding, "client-running");
        }
      else
        {
          if (mend_repair_plan_get_must_close (self->plan))
            /* Translators: %s is a mail app. */
            subtitle = g_strdup_printf (_("Keep %s closed until the repair is done."),
                                        client_name);
          else
            subtitle = g_strdup (_("Only the lines under “Show Changes” change."));
          set_status_icon (self, "emblem-default-symbolic", "accent", _("Ready"));
          set_status_text (self, _("Ready to switch to OAuth 2.0"), subtitle);
          notes = TRUE;
        }
      break;

    case MEND_REPAIR_ROW_WAITING:
      set_status_icon (self, "content-loading-symbolic", "dim-label", _("Waiting"));
      set_status_text (self, _("Waiting for the accounts before it"), NULL);
      notes = TRUE;
      break;

    case MEND_REPAIR_ROW_APPLYING:
      set_status_icon (self, NULL, NULL, NULL);
      set_status_text (self, _("Switching to OAuth 2.0…"),
                       _("Keeping a backup, then saving the new settings."));
      notes = TRUE;
      break;

    case MEND_REPAIR_ROW_APPLIED:
      set_status_icon (self, "emblem-ok-symbolic", "success", _("Done"));
      set_status_text (self, _("Switched to OAuth 2.0"),
                       _("Mailmend kept a backup of the previous settings: Undo puts them back "
                         "exactly as they were."));
      notes = TRUE;
      break;

    case MEND_REPAIR_ROW_FAILED:
      show_finding (self, finding);
      check_again = TRUE;
      break;

    case MEND_REPAIR_ROW_UNDOING:
      set_status_icon (self, NULL, NULL, NULL);
      set_status_text (self, _("Putting the previous settings back…"), NULL);
      break;

    case MEND_REPAIR_ROW_UNDONE:
    default:
      set_status_icon (self, "edit-undo-symbolic", "dim-label", _("Undone"));
      set_status_text (self, _("Undone"),
                       _("The previous settings are back, exactly as they were."));
      break;
    }

  gtk_widget_set_visible (self->sign_in_button, sign_in);
  gtk_widget_set_visible (self->check_again_button, check_again);
  gtk_widget_set_visible (self->undo_button, self->state == MEND_REPAIR_ROW_APPLIED);
  gtk_widget_set_visible (self->open_button,
                          self->state == MEND_REPAIR_ROW_APPLIED && self->app_info != NULL);
  gtk_widget_set_visible (self->buttons_box,
                          sign_in || check_again || self->state == MEND_REPAIR_ROW_APPLIED);

  for (guint i = 0; i < self->note_rows->len; i++)
    gtk_widget_set_visible (g_ptr_array_index (self->note_rows, i), notes);
}

static void
set_title (MendRepairRow *self,
           const char    *address,
           const char    *client_name)
{
  g_autofree char *escaped_address = NULL;
  g_autofree char *escaped_client = NULL;

  escaped_address = g_markup_escape_text (address ? address : _("Unnamed account"), -1);
  if (client_name != NULL)
    escaped_client = g_markup_escape_text (client_name, -1);

  adw_preferences_group_set_title (self->group, escaped_address);
  adw_preferences_group_set_description (self->group, escaped_client);
}

static void
set_client_icon (MendRepairRow *self,
                 const char    *icon_name)
{
  GdkDisplay *display = gtk_widget_get_display (GTK_WIDGET (self));
  GtkIconTheme *icon_theme = gtk_icon_theme_get_for_display (display);

  /* The app's own icon when it is installed here, a generic one if not. */
  if (icon_name != NULL && gtk_icon_theme_has_icon (icon_theme, icon_name))
    {
      gtk_image_set_from_icon_name (self->client_icon, icon_name);
      gtk_image_set_pixel_size (self->client_icon, 32);
      gtk_widget_remove_css_class (GTK_WIDGET (self->client_icon), "dim-label");
    }
  else
    {
      gtk_image_set_from_icon_name (self->client_icon, "mail-send-receive-symbolic");
      gtk_image_set_pixel_size (self->client_icon, -1);
      gtk_widget_add_css_class (GTK_WIDGET (self->client_icon), "dim-label");
    }
}

static void
mend_repair_row_dispose (GObject *object)
{
  MendRepairRow *self = (MendRepairRow *) object;

  gtk_widget_dispose_template (GTK_WIDGET (self), MEND_TYPE_REPAIR_ROW);
  g_clear_object (&self->plan);
  g_clear_object (&self->app_info);
  g_clear_object (&self->finding);
  g_clear_pointer (&self->note_rows, g_ptr_array_unref);

  G_OBJECT_CLASS (mend_repair_row_parent_class)->dispose (object);
}

static void
mend_repair_row_finalize (GObject *object)
{
  MendRepairRow *self = (MendRepairRow *) object;

  g_clear_pointer (&self->account_id, g_free);
  g_clear_pointer (&self->change_id, g_free);

  G_OBJECT_CLASS (mend_repair_row_parent_class)->finalize (object);
}

static void
mend_repair_row_class_init (MendRepairRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = mend_repair_row_dispose;
  object_class->finalize = mend_repair_row_finalize;

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PATH "/ui/mend-repair-row.ui");
  gtk_widget_class_bind_template_child (widget_class, MendRepairRow, group);
  gtk_widget_class_bind_template_child (widget_class, MendRepairRow, client_icon);
  gtk_widget_class_bind_template_child (widget_class, MendRepairRow, status_row);
  gtk_widget_class_bind_template_child (widget_class, MendRepairRow, status_icon);
  gtk_widget_class_bind_template_child (widget_class, MendRepairRow, status_spinner);
  gtk_widget_class_bind_template_child (widget_class, MendRepairRow, details_label);
  gtk_widget_class_bind_template_child (widget_class, MendRepairRow, buttons_box);
  gtk_widget_class_bind_template_child (widget_class, MendRepairRow, sign_in_button);
  gtk_widget_class_bind_template_child (widget_class, MendRepairRow, check_again_button);
  gtk_widget_class_bind_template_child (widget_class, MendRepairRow, open_button);
  gtk_widget_class_bind_template_child (widget_class, MendRepairRow, undo_button);
  gtk_widget_class_bind_template_child (widget_class, MendRepairRow, changes_expander);
  gtk_widget_class_bind_template_child (widget_class, MendRepairRow, diff_view);

  g_type_ensure (MEND_TYPE_DIFF_VIEW);
}

static void
mend_repair_row_init (MendRepairRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->note_rows = g_ptr_array_new ();
}

GtkWidget *
mend_repair_row_new (const char *account_id)
{
  MendRepairRow *self;

  g_return_val_if_fail (account_id != NULL, NULL);

  self = g_object_new (MEND_TYPE_REPAIR_ROW, NULL);
  self->account_id = g_strdup (account_id);
  gtk_actionable_set_action_target (GTK_ACTIONABLE (self->undo_button), "s", account_id);
  gtk_actionable_set_action_target (GTK_ACTIONABLE (self->open_button), "s", account_id);

  return GTK_WIDGET (self);
}

const char *
mend_repair_row_get_account_id (MendRepairRow *self)
{
  g_return_val_if_fail (MEND_IS_REPAIR_ROW (self), NULL);

  return self->account_id;
}

MendRepairRowState
mend_repair_row_get_state (MendRepairRow *self)
{
  g_return_val_if_fail (MEND_IS_REPAIR_ROW (self), MEND_REPAIR_ROW_PLANNED);

  return self->state;
}

/**
 * mend_repair_row_get_plan:
 *
 * Returns: (transfer none) (nullable): the plan shown, or the one applied
 */
MendRepairPlan *
mend_repair_row_get_plan (MendRepairRow *self)
{
  g_return_val_if_fail (MEND_IS_REPAIR_ROW (self), NULL);

  return self->plan;
}

/**
 * mend_repair_row_get_finding:
 *
 * Returns: (transfer none) (nullable): the finding the row shows: why the plan cannot be
 *   applied, or why applying or undoing it failed
 */
MendFinding *
mend_repair_row_get_finding (MendRepairRow *self)
{
  g_return_val_if_fail (MEND_IS_REPAIR_ROW (self), NULL);

  if (self->state != MEND_REPAIR_ROW_PLANNED && self->state != MEND_REPAIR_ROW_FAILED)
    return NULL;

  return get_blocking_finding (self);
}

/**
 * mend_repair_row_get_change_id:
 *
 * Returns: (nullable): the journal's id of the change applied
 */
const char *
mend_repair_row_get_change_id (MendRepairRow *self)
{
  g_return_val_if_fail (MEND_IS_REPAIR_ROW (self), NULL);

  return self->change_id;
}

/**
 * mend_repair_row_get_app_info:
 *
 * Returns: (transfer none) (nullable): the mail app, when it can be started from here
 */
GAppInfo *
mend_repair_row_get_app_info (MendRepairRow *self)
{
  g_return_val_if_fail (MEND_IS_REPAIR_ROW (self), NULL);

  return self->app_info;
}

gboolean
mend_repair_row_can_apply (MendRepairRow *self)
{
  g_return_val_if_fail (MEND_IS_REPAIR_ROW (self), FALSE);

  return self->state == MEND_REPAIR_ROW_PLANNED && self->finding == NULL && self->plan != NULL &&
         mend_repair_plan_can_apply (self->plan);
}

/**
 * mend_repair_row_set_plan:
 * @plan: a fresh plan for the row's account
 * @icon_name: (nullable): the mail app's icon
 * @app_info: (nullable): the mail app, to offer to start it once repaired
 *
 * Shows @plan, ready to apply or with what stands in its way.
 */
void
mend_repair_row_set_plan (MendRepairRow  *self,
                          MendRepairPlan *plan,
                          const char     *icon_name,
                          GAppInfo       *app_info)
{
  g_autofree char *open_label = NULL;

  g_return_if_fail (MEND_IS_REPAIR_ROW (self));
  g_return_if_fail (MEND_IS_REPAIR_PLAN (plan));
  g_return_if_fail (!app_info || G_IS_APP_INFO (app_info));

  g_set_object (&self->plan, plan);
  g_set_object (&self->app_info, app_info);
  g_clear_object (&self->finding);
  g_clear_pointer (&self->change_id, g_free);
  self->state = MEND_REPAIR_ROW_PLANNED;

  set_title (self, mend_repair_plan_get_address (plan), mend_repair_plan_get_client_name (plan));
  set_client_icon (self, icon_name);

  /* Translators: a button that starts a mail app; %s is its name, e.g. “Open Thunderbird”. */
  open_label = g_strdup_printf (_("_Open %s"), mend_repair_plan_get_client_name (plan));
  gtk_button_set_label (GTK_BUTTON (self->open_button), open_label);

  show_notes (self);
  show_changes (self);
  update (self);
}

/**
 * mend_repair_row_set_missing:
 * @address: (nullable): the account's address, as the Accounts step found it
 * @finding: why there is no plan
 *
 * Shows that the account could not be planned at all.
 */
void
mend_repair_row_set_missing (MendRepairRow *self,
                             const char    *address,
                             MendFinding   *finding)
{
  g_return_if_fail (MEND_IS_REPAIR_ROW (self));
  g_return_if_fail (MEND_IS_FINDING (finding));

  g_clear_object (&self->plan);
  g_clear_object (&self->app_info);
  g_clear_pointer (&self->change_id, g_free);
  g_set_object (&self->finding, finding);
  self->state = MEND_REPAIR_ROW_PLANNED;

  set_title (self, address, NULL);
  set_client_icon (self, NULL);
  clear_notes (self);
  show_changes (self);
  update (self);
}

void
mend_repair_row_set_waiting (MendRepairRow *self)
{
  g_return_if_fail (MEND_IS_REPAIR_ROW (self));
  g_return_if_fail (mend_repair_row_can_apply (self));

  self->state = MEND_REPAIR_ROW_WAITING;
  update (self);
}

void
mend_repair_row_set_applying (MendRepairRow *self)
{
  g_return_if_fail (MEND_IS_REPAIR_ROW (self));
  g_return_if_fail (self->plan != NULL);

  self->state = MEND_REPAIR_ROW_APPLYING;
  update (self);
}

void
mend_repair_row_set_applied (MendRepairRow *self,
                             const char    *change_id)
{
  g_return_if_fail (MEND_IS_REPAIR_ROW (self));
  g_return_if_fail (change_id != NULL);

  g_free (self->change_id);
  self->change_id = g_strdup (change_id);
  self->state = MEND_REPAIR_ROW_APPLIED;
  update (self);
}

/**
 * mend_repair_row_set_failed:
 * @finding: why applying or undoing failed
 */
void
mend_repair_row_set_failed (MendRepairRow *self,
                            MendFinding   *finding)
{
  g_return_if_fail (MEND_IS_REPAIR_ROW (self));
  g_return_if_fail (MEND_IS_FINDING (finding));

  g_set_object (&self->finding, finding);
  self->state = MEND_REPAIR_ROW_FAILED;
  update (self);
}

void
mend_repair_row_set_undoing (MendRepairRow *self)
{
  g_return_if_fail (MEND_IS_REPAIR_ROW (self));
  g_return_if_fail (self->change_id != NULL);

  self->state = MEND_REPAIR_ROW_UNDOING;
  update (self);
}

void
mend_repair_row_set_undone (MendRepairRow *self)
{
  g_return_if_fail (MEND_IS_REPAIR_ROW (self));

  g_clear_pointer (&self->change_id, g_free);
  self->state = MEND_REPAIR_ROW_UNDONE;
  update (self);
}
