/* mend-done-page.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "mend-done-page"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "mend-done-page-private.h"
#include "mend-finding-row.h"
#include "mend-report-collector.h"

/* The Done step: what this run of the wizard repaired, with what is left to do in each mail
 * app, then the support report — copied, saved or previewed, with the e-mail addresses hidden
 * for screen sharing. Everything is collected again each time the step is shown (Microsoft's
 * status, a scan, the keyring's sign-ins, the journal), since the user may have gone back and
 * undone a change meanwhile.
 *
 * “This run” means the changes made since the page was created, right after the wizard's
 * first frame: the journal does not record which process made a change, and a change made
 * by an earlier run is not this run's to sum up (the report lists them all). Per account,
 * only its latest change counts: repaired, undone, repaired again is repaired. The plans'
 * notes are not kept in the journal, so what is left to do comes from a table by mail app. */

struct _MendDonePage
{
  GtkWidget             parent_instance;

  GDateTime            *since;
  GStrv                 extra_folders;
  MendReport           *report;
  gboolean              hide_addresses;
  /* The collection under way, if any; and the page's other work (saving). */
  GCancellable         *collect_cancellable;
  GCancellable         *cancellable;
  guint                 n_saving;
  GtkFileChooserNative *chooser;
  MendFinding          *save_finding;
  GtkWidget            *save_finding_row;
  /* The summary: a row per change shown, and the changes, in the same order; or why the
   * journal could not be read. */
  GPtrArray            *change_rows;
  GPtrArray            *shown_changes;
  GtkWidget            *history_row;

  /* Template widgets */
  AdwToastOverlay      *toast_overlay;
  GtkStack             *icon_stack;
  GtkSpinner           *spinner;
  GtkImage             *summary_icon;
  GtkLabel             *summary_title;
  GtkLabel             *summary_description;
  AdwPreferencesGroup  *changes_group;
  AdwPreferencesGroup  *save_group;
  GtkTextView          *preview_view;
};

enum {
  PROP_0,
  PROP_HIDE_ADDRESSES,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (MendDonePage, mend_done_page, GTK_TYPE_WIDGET)

typedef struct
{
  const char *client_id;
  const char *next_step;
} NextStep;

/* What is left to do after a repair, by mail app (the notes of each client's plan_repair). */
static const NextStep next_steps[] = {
  /* Mail apps that sign in to Microsoft themselves. */
  { "thunderbird", N_("Open Thunderbird: it asks you to sign in to Microsoft.") },
  { "evolution", N_("Open Evolution: it asks you to sign in to Microsoft.") },
  { "kmail", N_("Open KMail: it opens your web browser to sign in to Microsoft.") },
  { "alpine", N_("Open Alpine: it shows a code to enter on Microsoft’s sign-in page.") },
  { "claws-mail", N_("Open Claws Mail, edit this account, and click “Authorise” on its OAuth2 "
                     "page to sign in to Microsoft.") },
  /* Mail apps that run `mailmend token` each time they connect. */
  { "msmtp", N_("Nothing more to do: msmtp asks Mailmend for a sign-in token each time it "
                "sends a message.") },
  { "mbsync", N_("Nothing more to do: mbsync asks Mailmend for a sign-in token each time it "
                 "connects.") },
  { "himalaya", N_("Nothing more to do: himalaya asks Mailmend for a sign-in token each time "
                   "it connects.") },
  /* Mail apps that read their settings when they start. */
  { "neomutt", N_("If NeoMutt is open, quit it and start it again: it then asks Mailmend for "
                  "a sign-in token.") },
  { "mutt", N_("If Mutt is open, quit it and start it again: it then asks Mailmend for a "
               "sign-in token.") },
  { "aerc", N_("If aerc is open, quit it and start it again: it then asks Mailmend for a "
               "sign-in token.") },
  { "offlineimap", N_("If OfflineIMAP is running, stop it and start it again: it then asks "
                      "Mailmend for a sign-in token.") },
  { "sylpheed", N_("If Sylpheed is open, quit it and start it again: it then gets its sign-in "
                   "token from Mailmend.") },
};

static const char *
get_next_step (const char *client_id)
{
  for (guint i = 0; i < G_N_ELEMENTS (next_steps); i++)
    {
      if (g_strcmp0 (next_steps[i].client_id, client_id) == 0)
        return _(next_steps[i].next_step);
    }

  return _("Open the mail app and check that it receives and sends mail.");
}

static void
show_toast (MendDonePage *self,
            const char   *title)
{
  AdwToast *toast = adw_toast_new (title);

  adw_toast_set_timeout (toast, 3);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

static void
update_actions (MendDonePage *self)
{
  gboolean ready = self->report != NULL;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "done.copy", ready);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "done.save", ready);
}

static void
update_preview (MendDonePage *self)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->preview_view);
  g_autofree char *text = NULL;

  if (self->report != NULL)
    text = mend_report_render (self->report, MEND_REPORT_FORMAT_TEXT);

  gtk_text_buffer_set_text (buffer, text != NULL ? text : "", -1);
}

/* ---------------------------------------------------------------------------------------------
 * The summary
 * ------------------------------------------------------------------------------------------- */

static void
clear_summary_rows (MendDonePage *self)
{
  for (guint i = 0; i < self->change_rows->len; i++)
    adw_preferences_group_remove (self->changes_group, g_ptr_array_index (self->change_rows, i));
  g_ptr_array_set_size (self->change_rows, 0);
  g_ptr_array_set_size (self->shown_changes, 0);

  if (self->history_row != NULL)
    adw_preferences_group_remove (self->changes_group, self->history_row);
  self->history_row = NULL;

  gtk_widget_set_visible (GTK_WIDGET (self->changes_group), FALSE);
}

/* Without the address when they are hidden: the summary is on the screen being shared. */
static void
set_change_row_title (MendDonePage *self,
                      AdwActionRow *row,
                      MendChange   *change)
{
  const char *client_name = mend_change_get_client_name (change);
  const char *address = mend_change_get_address (change);
  g_autofree char *title = NULL;

  if (client_name == NULL)
    client_name = mend_change_get_client_id (change);

  if (address != NULL && !self->hide_addresses)
    /* Translators: a mail app and an e-mail address, e.g. “Thunderbird — alice@outlook.com”. */
    title = g_strdup_printf (_("%s — %s"), client_name, address);
  else
    title = g_strdup (client_name);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
}

static void
update_change_row_titles (MendDonePage *self)
{
  for (guint i = 0; i < self->change_rows->len; i++)
    set_change_row_title (self, g_ptr_array_index (self->change_rows, i),
                          g_ptr_array_index (self->shown_changes, i));
}

static void
add_change_row (MendDonePage *self,
                MendChange   *change)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *icon;
  const char *subtitle;
  const char *state;

  switch (mend_change_get_state (change))
    {
    case MEND_CHANGE_STATE_APPLIED:
      icon = gtk_image_new_from_icon_name ("emblem-ok-symbolic");
      gtk_widget_add_css_class (icon, "success");
      state = _("Repaired");
      subtitle = get_next_step (mend_change_get_client_id (change));
      break;

    case MEND_CHANGE_STATE_UNDONE:
      icon = gtk_image_new_from_icon_name ("edit-undo-symbolic");
      gtk_widget_add_css_class (icon, "dim-label");
      state = _("Undone");
      subtitle = _("Undone: the previous settings are back, exactly as they were.");
      break;

    case MEND_CHANGE_STATE_PENDING:
    case MEND_CHANGE_STATE_UNDOING:
    case MEND_CHANGE_STATE_ROLLED_BACK:
    default:
      icon = mend_finding_severity_icon_new (MEND_SEVERITY_WARNING);
      state = _("Interrupted");
      subtitle = _("Interrupted: go back to the Repair step, which puts the files back as they "
                   "were.");
      break;
    }

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  set_change_row_title (self, ADW_ACTION_ROW (row), change);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  gtk_accessible_update_property (GTK_ACCESSIBLE (icon), GTK_ACCESSIBLE_PROPERTY_LABEL, state, -1);
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), icon);

  adw_preferences_group_add (self->changes_group, row);
  g_ptr_array_add (self->change_rows, row);
  g_ptr_array_add (self->shown_changes, g_object_ref (change));
  gtk_widget_set_visible (GTK_WIDGET (self->changes_group), TRUE);
}

static void
set_summary (MendDonePage *self,
             const char   *icon_name,
             const char   *style_class,
             const char   *title,
             const char   *description)
{
  static const char * const classes[] = { "success", "warning", "dim-label" };

  for (guint i = 0; i < G_N_ELEMENTS (classes); i++)
    gtk_widget_remove_css_class (GTK_WIDGET (self->summary_icon), classes[i]);
  if (style_class != NULL)
    gtk_widget_add_css_class (GTK_WIDGET (self->summary_icon), style_class);

  gtk_image_set_from_icon_name (self->summary_icon, icon_name);
  gtk_label_set_label (self->summary_title, title);
  gtk_label_set_label (self->summary_description, description);
  gtk_spinner_stop (self->spinner);
  gtk_stack_set_visible_child_name (self->icon_stack, "done");
}

static void
show_summary (MendDonePage        *self,
              MendReportCollector *collector)
{
  GPtrArray *changes = mend_report_collector_get_changes (collector);
  g_autoptr(GHashTable) accounts = NULL;
  g_autofree char *description = NULL;
  guint n_repaired = 0;
  guint n_undone = 0;
  guint n_shown = 0;

  clear_summary_rows (self);

  if (changes == NULL)
    {
      self->history_row =
        mend_finding_row_new (mend_report_collector_get_history_finding (collector));
      adw_preferences_group_add (self->changes_group, self->history_row);
      gtk_widget_set_visible (GTK_WIDGET (self->changes_group), TRUE);
      set_summary (self, "dialog-warning-symbolic", "warning", _("What Was Changed Is Unknown"),
                   _("Mailmend cannot read its list of changes: see below. The support report "
                     "says so too."));
      return;
    }

  /* Newest first: the first change of an account is its latest. */
  accounts = g_hash_table_new (g_str_hash, g_str_equal);
  for (guint i = 0; i < changes->len; i++)
    {
      MendChange *change = g_ptr_array_index (changes, i);
      const char *account_id = mend_change_get_account_id (change);

      /* Rolled back, a change never took effect. */
      if (g_date_time_compare (mend_change_get_time (change), self->since) < 0 ||
          mend_change_get_state (change) == MEND_CHANGE_STATE_ROLLED_BACK ||
          (account_id != NULL && !g_hash_table_add (accounts, (gpointer) account_id)))
        continue;

      add_change_row (self, change);
      n_shown++;
      if (mend_change_get_state (change) == MEND_CHANGE_STATE_APPLIED)
        n_repaired++;
      else if (mend_change_get_state (change) == MEND_CHANGE_STATE_UNDONE)
        n_undone++;
    }

  if (n_repaired > 0)
    {
      description = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                  "Mailmend switched %u account to OAuth 2.0. "
                                                  "What is left to do is below.",
                                                  "Mailmend switched %u accounts to OAuth 2.0. "
                                                  "What is left to do is below.",
                                                  n_repaired),
                                     n_repaired);
      set_summary (self, "emblem-ok-symbolic", "success", _("All Done"), description);
    }
  else if (n_shown > n_undone)
    {
      set_summary (self, "dialog-warning-symbolic", "warning", _("Not Finished"),
                   _("A change was interrupted: see below."));
    }
  else if (n_undone > 0)
    {
      set_summary (self, "edit-undo-symbolic", "dim-label", _("Nothing Was Changed"),
                   _("The changes were undone: the mail apps’ settings are as they were."));
    }
  else
    {
      set_summary (self, "emblem-ok-symbolic", "dim-label", _("Nothing Was Changed"),
                   _("Mailmend did not change any mail app’s settings this time. If your mail "
                     "still does not work, send the support report below to whoever helps "
                     "you."));
    }
}

/* ---------------------------------------------------------------------------------------------
 * Collecting
 * ------------------------------------------------------------------------------------------- */

typedef struct
{
  MendDonePage *self;
  MendReport   *report;
} Collect;

static void
collect_free (Collect *collect)
{
  g_clear_object (&collect->self);
  g_clear_object (&collect->report);
  g_free (collect);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Collect, collect_free)

static void
on_collected (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(Collect) collect = user_data;
  MendDonePage *self = collect->self;
  MendReportCollector *collector = MEND_REPORT_COLLECTOR (object);
  g_autoptr(GError) error = NULL;

  /* Only cancellation fails: the page went away. */
  if (!mend_report_collector_collect_finish (collector, result, &error))
    return;

  g_clear_object (&self->collect_cancellable);
  g_set_object (&self->report, collect->report);
  mend_report_set_mask_addresses (self->report, self->hide_addresses);

  show_summary (self, collector);
  update_preview (self);
  update_actions (self);
}

static void
collect (MendDonePage *self)
{
  g_autoptr(MendScanContext) scan_context = mend_scan_context_new (NULL, NULL);
  g_autoptr(MendReportCollector) collector = NULL;
  const char *proc_dir = g_getenv ("MAILMEND_PROC_DIR");
  Collect *collect;

  g_assert (self->collect_cancellable == NULL);

  /* For tests: a fake process table, as the CLI takes it. */
  if (proc_dir != NULL)
    mend_scan_context_set_proc_dir (scan_context, proc_dir);
  for (guint i = 0; self->extra_folders != NULL && self->extra_folders[i] != NULL; i++)
    mend_scan_context_add_extra_folder (scan_context, self->extra_folders[i]);

  g_clear_object (&self->report);
  update_preview (self);
  update_actions (self);
  clear_summary_rows (self);
  gtk_label_set_label (self->summary_title, _("Gathering the Summary…"));
  gtk_label_set_label (self->summary_description,
                       _("Mailmend checks Microsoft’s service status, your mail apps, the "
                         "sign-ins in your keyring and the changes it made."));
  gtk_spinner_start (self->spinner);
  gtk_stack_set_visible_child_name (self->icon_stack, "collecting");

  self->collect_cancellable = g_cancellable_new ();
  collect = g_new0 (Collect, 1);
  collect->self = g_object_ref (self);
  collect->report = mend_report_new ();

  collector = mend_report_collector_new (scan_context, NULL);
  mend_report_collector_collect_async (collector, collect->report, self->collect_cancellable,
                                       on_collected, collect);
}

/* ---------------------------------------------------------------------------------------------
 * Copying and saving
 * ------------------------------------------------------------------------------------------- */

static void
done_copy_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  MendDonePage *self = MEND_DONE_PAGE (widget);
  g_autofree char *text = NULL;

  g_assert (self->report != NULL);

  text = mend_report_render (self->report, MEND_REPORT_FORMAT_TEXT);
  gdk_clipboard_set_text (gtk_widget_get_clipboard (widget), text);
  show_toast (self, _("Report copied"));
}

static void
show_save_finding (MendDonePage *self,
                   MendFinding  *finding)
{
  if (self->save_finding_row != NULL)
    adw_preferences_group_remove (self->save_group, self->save_finding_row);
  self->save_finding_row = NULL;
  g_set_object (&self->save_finding, finding);

  if (finding != NULL)
    {
      self->save_finding_row = mend_finding_row_new (finding);
      adw_preferences_group_add (self->save_group, self->save_finding_row);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->save_group), finding != NULL);
}

typedef struct
{
  char *path;
  char *text;
} Save;

static void
save_free (Save *save)
{
  g_free (save->path);
  g_free (save->text);
  g_free (save);
}

/* A temporary file renamed over the chosen one: nobody ever sees half a report. Readable by
 * its owner only, as `mailmend report --output` writes it. */
static void
save_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  Save *save = task_data;
  GError *error = NULL;

  if (g_file_set_contents_full (save->path, save->text, -1, G_FILE_SET_CONTENTS_CONSISTENT,
                                0600, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static void
on_saved (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  MendDonePage *self = MEND_DONE_PAGE (object);
  Save *save = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;
  g_autofree char *name = NULL;
  g_autofree char *message = NULL;

  self->n_saving--;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      g_autoptr(MendFinding) finding = NULL;
      g_autofree char *folder = NULL;
      g_autofree char *folder_name = NULL;
      g_autofree char *explanation = NULL;

      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;

      folder = g_path_get_dirname (save->path);
      folder_name = g_filename_display_name (folder);
      /* Translators: %s is a folder. */
      explanation = g_strdup_printf (_("Mailmend could not write the report into “%s”."),
                                     folder_name);
      finding = mend_finding_new ("report-not-saved", MEND_SEVERITY_ERROR,
                                  _("The report could not be saved"), explanation,
                                  _("Choose another folder, or copy the report instead."));
      mend_finding_set_details (finding, error->message);
      show_save_finding (self, finding);
      return;
    }

  name = g_filename_display_basename (save->path);
  /* Translators: %s is a file name. */
  message = g_strdup_printf (_("Report saved as “%s”"), name);
  show_toast (self, message);
}

static void
on_save_response (GtkNativeDialog *dialog,
                  int              response,
                  MendDonePage    *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));

      _mend_done_page_save_to_file (self, file);
    }

  g_clear_object (&self->chooser);
}

static void
done_save_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  MendDonePage *self = MEND_DONE_PAGE (widget);
  GtkRoot *root = gtk_widget_get_root (widget);

  if (self->chooser != NULL)
    return;

  /* GTK 4.8 has no GtkFileDialog; the native chooser goes through the portal in Flatpak. */
  self->chooser = gtk_file_chooser_native_new (_("Save Support Report"),
                                               GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                               GTK_FILE_CHOOSER_ACTION_SAVE,
                                               _("_Save"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (self->chooser), TRUE);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (self->chooser), "mailmend-report.md");
  g_signal_connect (self->chooser, "response", G_CALLBACK (on_save_response), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

/* ---------------------------------------------------------------------------------------------
 * The widget
 * ------------------------------------------------------------------------------------------- */

static void
mend_done_page_map (GtkWidget *widget)
{
  MendDonePage *self = MEND_DONE_PAGE (widget);

  GTK_WIDGET_CLASS (mend_done_page_parent_class)->map (widget);

  if (self->collect_cancellable == NULL)
    collect (self);
}

static void
mend_done_page_dispose (GObject *object)
{
  MendDonePage *self = MEND_DONE_PAGE (object);

  g_cancellable_cancel (self->collect_cancellable);
  g_clear_object (&self->collect_cancellable);
  g_cancellable_cancel (self->cancellable);
  if (self->chooser != NULL)
    gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
  g_clear_object (&self->chooser);
  g_clear_object (&self->report);
  g_clear_object (&self->save_finding);
  self->save_finding_row = NULL;
  self->history_row = NULL;
  gtk_widget_dispose_template (GTK_WIDGET (self), MEND_TYPE_DONE_PAGE);

  G_OBJECT_CLASS (mend_done_page_parent_class)->dispose (object);
}

static void
mend_done_page_finalize (GObject *object)
{
  MendDonePage *self = MEND_DONE_PAGE (object);

  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->since, g_date_time_unref);
  g_clear_pointer (&self->extra_folders, g_strfreev);
  g_clear_pointer (&self->change_rows, g_ptr_array_unref);
  g_clear_pointer (&self->shown_changes, g_ptr_array_unref);

  G_OBJECT_CLASS (mend_done_page_parent_class)->finalize (object);
}

static void
mend_done_page_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  MendDonePage *self = MEND_DONE_PAGE (object);

  switch (prop_id)
    {
    case PROP_HIDE_ADDRESSES:
      g_value_set_boolean (value, self->hide_addresses);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mend_done_page_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  MendDonePage *self = MEND_DONE_PAGE (object);

  switch (prop_id)
    {
    case PROP_HIDE_ADDRESSES:
      mend_done_page_set_hide_addresses (self, g_value_get_boolean (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mend_done_page_class_init (MendDonePageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = mend_done_page_dispose;
  object_class->finalize = mend_done_page_finalize;
  object_class->get_property = mend_done_page_get_property;
  object_class->set_property = mend_done_page_set_property;
  widget_class->map = mend_done_page_map;

  /**
   * MendDonePage:hide-addresses:
   *
   * Whether the support report masks e-mail addresses, for screen sharing.
   */
  properties[PROP_HIDE_ADDRESSES] =
    g_param_spec_boolean ("hide-addresses", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PATH "/ui/mend-done-page.ui");
  gtk_widget_class_bind_template_child (widget_class, MendDonePage, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, MendDonePage, icon_stack);
  gtk_widget_class_bind_template_child (widget_class, MendDonePage, spinner);
  gtk_widget_class_bind_template_child (widget_class, MendDonePage, summary_icon);
  gtk_widget_class_bind_template_child (widget_class, MendDonePage, summary_title);
  gtk_widget_class_bind_template_child (widget_class, MendDonePage, summary_description);
  gtk_widget_class_bind_template_child (widget_class, MendDonePage, changes_group);
  gtk_widget_class_bind_template_child (widget_class, MendDonePage, save_group);
  gtk_widget_class_bind_template_child (widget_class, MendDonePage, preview_view);

  gtk_widget_class_install_property_action (widget_class, "done.hide-addresses",
                                            "hide-addresses");
  gtk_widget_class_install_action (widget_class, "done.copy", NULL, done_copy_action);
  gtk_widget_class_install_action (widget_class, "done.save", NULL, done_save_action);
}

static void
mend_done_page_init (MendDonePage *self)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

  gtk_widget_init_template (GTK_WIDGET (self));

  /* The journal keeps whole seconds. */
  self->since = g_date_time_add (now, -g_date_time_get_microsecond (now));
  self->cancellable = g_cancellable_new ();
  self->change_rows = g_ptr_array_new ();
  self->shown_changes = g_ptr_array_new_with_free_func (g_object_unref);
  update_actions (self);
}

gboolean
mend_done_page_get_hide_addresses (MendDonePage *self)
{
  g_return_val_if_fail (MEND_IS_DONE_PAGE (self), FALSE);

  return self->hide_addresses;
}

/**
 * mend_done_page_set_hide_addresses:
 * @self: a #MendDonePage
 * @hide_addresses: whether the support report masks e-mail addresses
 *
 * Applies to the summary, the preview, and what Copy and Save give from now on.
 */
void
mend_done_page_set_hide_addresses (MendDonePage *self,
                                   gboolean      hide_addresses)
{
  g_return_if_fail (MEND_IS_DONE_PAGE (self));

  hide_addresses = !!hide_addresses;
  if (self->hide_addresses == hide_addresses)
    return;

  self->hide_addresses = hide_addresses;
  update_change_row_titles (self);
  if (self->report != NULL)
    {
      mend_report_set_mask_addresses (self->report, hide_addresses);
      update_preview (self);
    }
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HIDE_ADDRESSES]);
}

/**
 * _mend_done_page_save_to_file:
 * @self: a #MendDonePage with a report
 * @file: where to save it: JSON for a name ending in “.json”, plain text for “.txt”, and
 *   Markdown for any other
 *
 * What the file chooser's answer calls. Says how it went with a toast, or a finding.
 */
void
_mend_done_page_save_to_file (MendDonePage *self,
                              GFile        *file)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *path = NULL;
  g_autofree char *lower = NULL;
  MendReportFormat format = MEND_REPORT_FORMAT_MARKDOWN;
  Save *save;

  g_return_if_fail (MEND_IS_DONE_PAGE (self));
  g_return_if_fail (G_IS_FILE (file));
  g_return_if_fail (self->report != NULL);

  show_save_finding (self, NULL);

  path = g_file_get_path (file);
  if (path == NULL)
    {
      g_autoptr(MendFinding) finding = NULL;

      finding = mend_finding_new ("report-not-saved", MEND_SEVERITY_ERROR,
                                  _("The report could not be saved"),
                                  _("Mailmend can only save into a folder of this computer."),
                                  _("Choose another folder, or copy the report instead."));
      show_save_finding (self, finding);
      return;
    }

  lower = g_utf8_strdown (path, -1);
  if (g_str_has_suffix (lower, ".json"))
    format = MEND_REPORT_FORMAT_JSON;
  else if (g_str_has_suffix (lower, ".txt"))
    format = MEND_REPORT_FORMAT_TEXT;

  save = g_new0 (Save, 1);
  save->path = g_steal_pointer (&path);
  save->text = mend_report_render (self->report, format);

  task = g_task_new (self, self->cancellable, on_saved, NULL);
  g_task_set_source_tag (task, _mend_done_page_save_to_file);
  g_task_set_task_data (task, save, (GDestroyNotify) save_free);

  self->n_saving++;
  g_task_run_in_thread (task, save_thread);
}

gboolean
_mend_done_page_is_busy (MendDonePage *self)
{
  g_return_val_if_fail (MEND_IS_DONE_PAGE (self), FALSE);

  return self->collect_cancellable != NULL || self->n_saving > 0;
}

MendFinding *
_mend_done_page_get_save_finding (MendDonePage *self)
{
  g_return_val_if_fail (MEND_IS_DONE_PAGE (self), NULL);

  return self->save_finding;
}

/**
 * mend_done_page_set_extra_folders:
 * @folders: (nullable) (array zero-terminated=1): profile folders to scan besides the usual
 *   places, as the Accounts step's folder chooser added them
 *
 * Takes effect when the report is collected next (each time the page is shown).
 */
void
mend_done_page_set_extra_folders (MendDonePage       *self,
                                  const char * const *folders)
{
  g_return_if_fail (MEND_IS_DONE_PAGE (self));

  g_strfreev (self->extra_folders);
  self->extra_folders = g_strdupv ((char **) folders);
}
