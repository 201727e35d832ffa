/* mend-accounts-page.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "mend-accounts-page"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "mend-account-group.h"
#include "mend-account-row.h"
#include "mend-accounts-page.h"
#include "mend-scanner.h"

/* The Accounts step: scans every mail client when first shown, lists the
 * Microsoft accounts by client, and lets the user choose which to repair. */
struct _MendAccountsPage
{
  GtkWidget     parent_instance;

  MendScanner  *scanner;
  GCancellable *cancellable;
  GPtrArray    *extra_folders;
  GPtrArray    *rows;
  gboolean      scanned;

  /* Template widgets */
  GtkStack     *stack;
  GtkSpinner   *spinner;
  GtkLabel     *summary;
  GtkBox       *groups;
};

enum {
  PROP_0,
  PROP_SCANNING,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (MendAccountsPage, mend_accounts_page, GTK_TYPE_WIDGET)

static void
remove_all_children (GtkBox *box)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (box))))
    gtk_box_remove (box, child);
}

/* “~/.thunderbird/…” reads better than the home folder spelt out. */
static char *
shorten_path (const char *path)
{
  const char *home = g_get_home_dir ();
  gsize home_length = strlen (home);

  if (home_length > 1 && g_str_has_prefix (path, home) && path[home_length] == G_DIR_SEPARATOR)
    return g_strconcat ("~", path + home_length, NULL);

  return g_strdup (path);
}

static GtkWidget *
new_client_group (MendAccountsPage *self,
                  MendAccountGroup *account)
{
  MendClient *client = mend_scanner_find_client (self->scanner, mend_account_group_get_client (account));
  MendAccount *server = g_ptr_array_index (mend_account_group_get_servers (account), 0);
  const char *version = mend_account_get_client_version (server);
  const char *where = mend_account_group_get_profile (account);
  g_autofree char *title = NULL;
  g_autofree char *short_where = NULL;
  g_autofree char *escaped_where = NULL;
  GtkWidget *group = adw_preferences_group_new ();
  GtkIconTheme *icon_theme = gtk_icon_theme_get_for_display (gtk_widget_get_display (GTK_WIDGET (self)));
  GtkWidget *icon;

  if (where == NULL)
    where = mend_account_get_source (server);

  if (version != NULL)
    /* Translators: a mail app and its version, e.g. “Thunderbird 128.3.1”. */
    title = g_strdup_printf (_("%s %s"), mend_client_get_name (client), version);
  else
    title = g_strdup (mend_client_get_name (client));

  short_where = shorten_path (where);
  escaped_where = g_markup_escape_text (short_where, -1);
  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (group), title);
  adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (group), escaped_where);

  /* The client's own icon when it is installed here, a generic one if not. */
  if (gtk_icon_theme_has_icon (icon_theme, mend_client_get_icon_name (client)))
    {
      icon = gtk_image_new_from_icon_name (mend_client_get_icon_name (client));
      gtk_image_set_pixel_size (GTK_IMAGE (icon), 32);
    }
  else
    {
      icon = gtk_image_new_from_icon_name ("mail-send-receive-symbolic");
      gtk_widget_add_css_class (icon, "dim-label");
    }
  gtk_widget_set_valign (icon, GTK_ALIGN_CENTER);
  adw_preferences_group_set_header_suffix (ADW_PREFERENCES_GROUP (group), icon);

  return group;
}

static gboolean
same_client_and_profile (MendAccountGroup *a,
                         MendAccountGroup *b)
{
  return g_strcmp0 (mend_account_group_get_client (a), mend_account_group_get_client (b)) == 0 &&
         g_strcmp0 (mend_account_group_get_profile (a), mend_account_group_get_profile (b)) == 0;
}

static void
show_unreadable_files (MendAccountsPage *self,
                       GPtrArray        *findings)
{
  GtkWidget *group;

  if (findings->len == 0)
    return;

  group = adw_preferences_group_new ();
  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (group), _("Files Mailmend Could Not Read"));

  for (guint i = 0; i < findings->len; i++)
    {
      MendFinding *finding = g_ptr_array_index (findings, i);
      GtkWidget *row = adw_action_row_new ();

      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), mend_finding_get_title (finding));
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), mend_finding_get_explanation (finding));
      adw_action_row_add_prefix (ADW_ACTION_ROW (row),
                                 gtk_image_new_from_icon_name ("dialog-warning-symbolic"));
      adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), row);
    }

  gtk_box_append (self->groups, group);
}

static void
show_results (MendAccountsPage *self,
              MendScanContext  *context)
{
  GPtrArray *accounts = mend_scan_context_get_accounts (context);
  g_autoptr(GPtrArray) microsoft = g_ptr_array_new ();
  g_autoptr(GPtrArray) account_groups = NULL;
  g_autofree char *summary = NULL;
  MendAccountGroup *previous = NULL;
  GtkWidget *group = NULL;
  GtkWidget *row;
  guint n_to_repair = 0;

  for (guint i = 0; i < accounts->len; i++)
    {
      if (mend_account_is_microsoft (g_ptr_array_index (accounts, i)))
        g_ptr_array_add (microsoft, g_ptr_array_index (accounts, i));
    }

  account_groups = mend_account_group_collect (microsoft);
  remove_all_children (self->groups);
  g_ptr_array_set_size (self->rows, 0);

  for (guint i = 0; i < account_groups->len; i++)
    {
      MendAccountGroup *account = g_ptr_array_index (account_groups, i);

      if (previous == NULL || !same_client_and_profile (previous, account))
        {
          group = new_client_group (self, account);
          gtk_box_append (self->groups, group);
        }

      row = mend_account_row_new (account);
      g_ptr_array_add (self->rows, g_object_ref (row));
      adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), row);
      if (mend_account_group_get_status (account) == MEND_ACCOUNT_STATUS_NEEDS_REPAIR)
        n_to_repair++;
      previous = account;
    }

  show_unreadable_files (self, mend_scan_context_get_findings (context));

  if (account_groups->len == 0)
    {
      gtk_stack_set_visible_child_name (self->stack, "empty");
      return;
    }

  if (n_to_repair > 0)
    summary = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                            "%u account needs repair. Choose the accounts Mailmend should repair; open one to see what was found.",
                                            "%u accounts need repair. Choose the accounts Mailmend should repair; open one to see what was found.",
                                            n_to_repair),
                               n_to_repair);
  else
    summary = g_strdup (_("No account needs repair. Open one to see what was found."));

  gtk_label_set_label (self->summary, summary);
  gtk_stack_set_visible_child_name (self->stack, "results");
}

static void
set_scanning (MendAccountsPage *self,
              gboolean          scanning)
{
  gtk_spinner_set_spinning (self->spinner, scanning);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "accounts.scan", !scanning);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "accounts.choose-folder", !scanning);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SCANNING]);
}

static void
on_scan_done (GObject      *source_object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(MendAccountsPage) self = user_data;
  g_autoptr(GError) error = NULL;
  MendScanContext *context = g_task_get_task_data (G_TASK (result));

  if (!mend_scanner_scan_finish (MEND_SCANNER (source_object), result, &error))
    {
      /* Only cancellation can fail a scan: the page is going away. */
      g_debug ("Scan stopped: %s", error->message);
      return;
    }

  g_clear_object (&self->cancellable);
  self->scanned = TRUE;
  show_results (self, context);
  set_scanning (self, FALSE);
}

static void
on_folder_chosen (GtkNativeDialog  *dialog,
                  int               response,
                  MendAccountsPage *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) folder = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
      g_autofree char *path = folder ? g_file_get_path (folder) : NULL;

      if (path != NULL)
        {
          g_ptr_array_add (self->extra_folders, g_steal_pointer (&path));
          mend_accounts_page_scan (self);
        }
    }

  gtk_native_dialog_destroy (dialog);
  g_object_unref (dialog);
}

static void
choose_folder_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  GtkFileChooserNative *dialog;

  dialog = gtk_file_chooser_native_new (_("Choose a Profile Folder"),
                                        GTK_WINDOW (gtk_widget_get_root (widget)),
                                        GTK_FILE_CHOOSER_ACTION_SELECT_FOLDER,
                                        _("_Choose"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (dialog), TRUE);
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_folder_chosen), widget, 0);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

static void
scan_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  mend_accounts_page_scan (MEND_ACCOUNTS_PAGE (widget));
}

static void
mend_accounts_page_map (GtkWidget *widget)
{
  MendAccountsPage *self = MEND_ACCOUNTS_PAGE (widget);

  GTK_WIDGET_CLASS (mend_accounts_page_parent_class)->map (widget);

  if (!self->scanned && self->cancellable == NULL)
    mend_accounts_page_scan (self);
}

static void
mend_accounts_page_dispose (GObject *object)
{
  MendAccountsPage *self = (MendAccountsPage *) object;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), MEND_TYPE_ACCOUNTS_PAGE);
  g_clear_object (&self->scanner);
  g_clear_pointer (&self->extra_folders, g_ptr_array_unref);
  g_clear_pointer (&self->rows, g_ptr_array_unref);

  G_OBJECT_CLASS (mend_accounts_page_parent_class)->dispose (object);
}

static void
mend_accounts_page_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  MendAccountsPage *self = MEND_ACCOUNTS_PAGE (object);

  switch (prop_id)
    {
    case PROP_SCANNING:
      g_value_set_boolean (value, mend_accounts_page_is_scanning (self));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mend_accounts_page_class_init (MendAccountsPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = mend_accounts_page_dispose;
  object_class->get_property = mend_accounts_page_get_property;
  widget_class->map = mend_accounts_page_map;

  properties[PROP_SCANNING] =
    g_param_spec_boolean ("scanning", NULL, NULL,
                          FALSE,
                          (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PATH "/ui/mend-accounts-page.ui");
  gtk_widget_class_bind_template_child (widget_class, MendAccountsPage, stack);
  gtk_widget_class_bind_template_child (widget_class, MendAccountsPage, spinner);
  gtk_widget_class_bind_template_child (widget_class, MendAccountsPage, summary);
  gtk_widget_class_bind_template_child (widget_class, MendAccountsPage, groups);

  gtk_widget_class_install_action (widget_class, "accounts.scan", NULL, scan_action);
  gtk_widget_class_install_action (widget_class, "accounts.choose-folder", NULL, choose_folder_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_r, GDK_CONTROL_MASK, "accounts.scan", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F5, 0, "accounts.scan", NULL);
}

static void
mend_accounts_page_init (MendAccountsPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->scanner = mend_scanner_new ();
  self->extra_folders = g_ptr_array_new_with_free_func (g_free);
  self->rows = g_ptr_array_new_with_free_func (g_object_unref);
}

/**
 * mend_accounts_page_scan:
 * @self: a #MendAccountsPage
 *
 * Scans again, in a worker thread; a scan already running is cancelled.
 */
void
mend_accounts_page_scan (MendAccountsPage *self)
{
  g_autoptr(MendScanContext) context = NULL;

  g_return_if_fail (MEND_IS_ACCOUNTS_PAGE (self));

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();

  context = mend_scan_context_new (NULL, NULL);
  for (guint i = 0; i < self->extra_folders->len; i++)
    mend_scan_context_add_extra_folder (context, g_ptr_array_index (self->extra_folders, i));

  gtk_stack_set_visible_child_name (self->stack, "scanning");
  set_scanning (self, TRUE);
  mend_scanner_scan_async (self->scanner, context, self->cancellable, on_scan_done,
                           g_object_ref (self));
}

gboolean
mend_accounts_page_is_scanning (MendAccountsPage *self)
{
  g_return_val_if_fail (MEND_IS_ACCOUNTS_PAGE (self), FALSE);

  return self->cancellable != NULL;
}

/**
 * mend_accounts_page_get_selected:
 *
 * Returns: (transfer container) (element-type MendAccountGroup): the
 *   accounts chosen for repair
 */
GPtrArray *
mend_accounts_page_get_selected (MendAccountsPage *self)
{
  GPtrArray *selected = g_ptr_array_new_with_free_func (g_object_unref);

  g_return_val_if_fail (MEND_IS_ACCOUNTS_PAGE (self), selected);

  for (guint i = 0; i < self->rows->len; i++)
    {
      MendAccountRow *row = g_ptr_array_index (self->rows, i);

      if (mend_account_row_get_selected (row))
        g_ptr_array_add (selected, g_object_ref (mend_account_row_get_group (row)));
    }

  return selected;
}

/**
 * mend_accounts_page_dup_extra_folders:
 *
 * Returns: (transfer full): the profile folders the user added, for the steps that scan
 *   again
 */
GStrv
mend_accounts_page_dup_extra_folders (MendAccountsPage *self)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  g_return_val_if_fail (MEND_IS_ACCOUNTS_PAGE (self), NULL);

  for (guint i = 0; i < self->extra_folders->len; i++)
    g_strv_builder_add (builder, g_ptr_array_index (self->extra_folders, i));

  return g_strv_builder_end (builder);
}
