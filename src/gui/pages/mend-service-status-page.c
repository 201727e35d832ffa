/* mend-service-status-page.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "mend-service-status-page"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "mend-preflight.h"
#include "mend-service-status.h"
#include "mend-service-status-page.h"

/* The Service status step: what Microsoft says about Outlook.com, and whether this computer
 * reaches Microsoft's servers. Both run when the page is first shown (not at start-up), side
 * by side; the rows of the connection checks fill in as each ends. Informative only: it never
 * holds the wizard back, whatever it finds or while it looks. */
struct _MendServiceStatusPage
{
  GtkWidget            parent_instance;

  MendServiceStatus   *status;
  MendPreflight       *preflight;
  GCancellable        *cancellable;
  MendStatusReport    *report;
  GPtrArray           *check_rows;
  GPtrArray           *other_rows;
  guint                pending;

  /* Template widgets */
  GtkStack            *icon_stack;
  GtkSpinner          *spinner;
  GtkImage            *state_icon;
  GtkLabel            *state_title;
  GtkLabel            *state_description;
  GtkLabel            *checked_at;
  AdwPreferencesGroup *incident_group;
  AdwPreferencesGroup *checks_group;
};

enum {
  PROP_0,
  PROP_CHECKING,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (MendServiceStatusPage, mend_service_status_page, GTK_TYPE_WIDGET)

static void
set_icon (GtkImage   *image,
          const char *icon_name,
          const char *style_class)
{
  static const char *style_classes[] = { "success", "warning", "error", "accent", "dim-label" };

  gtk_image_set_from_icon_name (image, icon_name);
  for (guint i = 0; i < G_N_ELEMENTS (style_classes); i++)
    gtk_widget_remove_css_class (GTK_WIDGET (image), style_classes[i]);
  gtk_widget_add_css_class (GTK_WIDGET (image), style_class);
}

static GtkWidget *
new_severity_icon (MendSeverity severity)
{
  GtkWidget *image = gtk_image_new ();

  switch (severity)
    {
    case MEND_SEVERITY_ERROR:
      set_icon (GTK_IMAGE (image), "dialog-error-symbolic", "error");
      break;
    case MEND_SEVERITY_WARNING:
      set_icon (GTK_IMAGE (image), "dialog-warning-symbolic", "warning");
      break;
    case MEND_SEVERITY_INFO:
    default:
      set_icon (GTK_IMAGE (image), "dialog-information-symbolic", "accent");
      break;
    }

  return image;
}

static char *
explain (MendFinding *finding)
{
  const char *remedy = mend_finding_get_remedy (finding);

  if (remedy[0] == '\0')
    return g_strdup (mend_finding_get_explanation (finding));

  return g_strdup_printf ("%s\n%s", mend_finding_get_explanation (finding), remedy);
}

/* Microsoft's words and the servers' are plain text, never markup. */
static GtkWidget *
new_row (const char *title,
         const char *subtitle)
{
  GtkWidget *row = adw_action_row_new ();

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  adw_action_row_set_title_lines (ADW_ACTION_ROW (row), 0);
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 0);

  return row;
}

static void
set_row_prefix (GtkWidget *row,
                GtkWidget *prefix)
{
  GtkWidget *old = g_object_get_data (G_OBJECT (row), "mend-prefix");

  if (old != NULL)
    adw_action_row_remove (ADW_ACTION_ROW (row), old);
  gtk_widget_set_valign (prefix, GTK_ALIGN_CENTER);
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), prefix);
  g_object_set_data (G_OBJECT (row), "mend-prefix", prefix);
}

/* Takes every row of @rows out of its group. */
static void
remove_rows (GPtrArray *rows)
{
  for (guint i = 0; i < rows->len; i++)
    {
      GtkWidget *row = g_ptr_array_index (rows, i);
      GtkWidget *group = gtk_widget_get_ancestor (row, ADW_TYPE_PREFERENCES_GROUP);

      if (group != NULL)
        adw_preferences_group_remove (ADW_PREFERENCES_GROUP (group), row);
    }
  g_ptr_array_set_size (rows, 0);
}

static void
set_checking (MendServiceStatusPage *self,
              gboolean               checking)
{
  gtk_spinner_set_spinning (self->spinner, checking);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "status.check", !checking);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CHECKING]);
}

static void
one_done (MendServiceStatusPage *self)
{
  g_assert (self->pending > 0);

  if (--self->pending == 0)
    {
      g_clear_object (&self->cancellable);
      set_checking (self, FALSE);
    }
}

/* --- Microsoft's status ----------------------------------------------------------------- */

static void
show_report (MendServiceStatusPage *self,
             MendStatusReport      *report)
{
  MendFinding *finding = g_ptr_array_index (mend_status_report_get_findings (report), 0);
  MendServiceHealth *outlook = mend_status_report_get_outlook (report);
  GDateTime *checked_at = mend_status_report_get_checked_at (report);
  g_autofree char *description = explain (finding);

  g_set_object (&self->report, report);

  switch (mend_status_report_get_state (report))
    {
    case MEND_SERVICE_STATE_OK:
      set_icon (self->state_icon, "emblem-ok-symbolic", "success");
      break;
    case MEND_SERVICE_STATE_DEGRADED:
      set_icon (self->state_icon, "dialog-warning-symbolic", "warning");
      break;
    case MEND_SERVICE_STATE_UNKNOWN:
    default:
      set_icon (self->state_icon, "dialog-question-symbolic", "dim-label");
      break;
    }

  gtk_stack_set_visible_child_name (self->icon_stack, "done");
  gtk_label_set_label (self->state_title, mend_finding_get_title (finding));
  gtk_label_set_label (self->state_description, description);

  if (checked_at != NULL)
    {
      g_autoptr(GDateTime) local = g_date_time_to_local (checked_at);
      g_autofree char *hour = g_date_time_format (local, "%H:%M");
      g_autofree char *text = NULL;

      /* Translators: %s is a time of day, such as “14:05”. */
      text = g_strdup_printf (_("As Microsoft reported it at %s."), hour);
      gtk_label_set_label (self->checked_at, text);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->checked_at), checked_at != NULL);

  if (outlook != NULL && outlook->incident && (outlook->title != NULL || outlook->message != NULL))
    {
      GtkWidget *row = new_row (outlook->title ? outlook->title : outlook->name,
                                outlook->message ? outlook->message : "");

      adw_preferences_group_add (self->incident_group, row);
      g_ptr_array_add (self->other_rows, row);
      gtk_widget_set_visible (GTK_WIDGET (self->incident_group), TRUE);
    }
}

static void
on_status_checked (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(MendServiceStatusPage) self = user_data;
  g_autoptr(MendStatusReport) report = NULL;
  g_autoptr(GError) error = NULL;

  report = mend_service_status_check_finish (MEND_SERVICE_STATUS (source), result, &error);
  if (report == NULL)
    {
      /* Only cancellation fails: a new check, or the page is going away. */
      g_debug ("Status check stopped: %s", error->message);
      return;
    }

  show_report (self, report);
  one_done (self);
}

/* --- The connection checks -------------------------------------------------------------- */

static void
update_check_row (GtkWidget          *row,
                  MendPreflightCheck *check)
{
  MendFinding *finding = mend_preflight_check_get_finding (check);
  g_autofree char *subtitle = NULL;

  switch (mend_preflight_check_get_state (check))
    {
    case MEND_PREFLIGHT_CHECK_OK:
      {
        g_autofree char *server = g_strdup_printf ("%s:%u", mend_preflight_check_get_host (check),
                                                   mend_preflight_check_get_port (check));
        GtkWidget *image = gtk_image_new ();

        set_icon (GTK_IMAGE (image), "emblem-ok-symbolic", "success");
        set_row_prefix (row, image);
        /* Translators: %s is a server and its port, such as “outlook.office365.com:993”. */
        subtitle = g_strdup_printf (_("Reached %s over a secure connection"), server);
      }
      break;

    case MEND_PREFLIGHT_CHECK_FAILED:
      set_row_prefix (row, new_severity_icon (finding ? mend_finding_get_severity (finding)
                                                      : MEND_SEVERITY_ERROR));
      subtitle = finding ? explain (finding) : g_strdup ("");
      break;

    case MEND_PREFLIGHT_CHECK_RUNNING:
    default:
      return;
    }

  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
}

static void
on_check_state (MendPreflightCheck    *check,
                GParamSpec            *pspec,
                MendServiceStatusPage *self)
{
  guint position;

  if (g_ptr_array_find (mend_preflight_get_checks (self->preflight), check, &position) &&
      position < self->check_rows->len)
    update_check_row (g_ptr_array_index (self->check_rows, position), check);
}

static void
add_check_rows (MendServiceStatusPage *self)
{
  GPtrArray *checks = mend_preflight_get_checks (self->preflight);

  for (guint i = 0; i < checks->len; i++)
    {
      MendPreflightCheck *check = g_ptr_array_index (checks, i);
      g_autofree char *server = g_strdup_printf ("%s:%u", mend_preflight_check_get_host (check),
                                                 mend_preflight_check_get_port (check));
      GtkWidget *row = new_row (mend_preflight_check_get_name (check), server);
      GtkWidget *spinner = gtk_spinner_new ();

      gtk_spinner_start (GTK_SPINNER (spinner));
      set_row_prefix (row, spinner);
      adw_preferences_group_add (self->checks_group, row);
      g_ptr_array_add (self->check_rows, row);
      g_signal_connect_object (check, "notify::state", G_CALLBACK (on_check_state), self, 0);
      update_check_row (row, check);
    }
}

static gboolean
is_check_finding (MendServiceStatusPage *self,
                  MendFinding           *finding)
{
  GPtrArray *checks = mend_preflight_get_checks (self->preflight);

  for (guint i = 0; i < checks->len; i++)
    {
      if (mend_preflight_check_get_finding (g_ptr_array_index (checks, i)) == finding)
        return TRUE;
    }

  return FALSE;
}

static void
on_preflight_done (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(MendServiceStatusPage) self = user_data;
  g_autoptr(GPtrArray) findings = NULL;
  g_autoptr(GError) error = NULL;

  findings = mend_preflight_run_finish (MEND_PREFLIGHT (source), result, &error);
  if (findings == NULL)
    {
      g_debug ("Connection checks stopped: %s", error->message);
      return;
    }

  /* The clock, the network, the proxy: what no server's row already says. */
  for (guint i = 0; i < findings->len; i++)
    {
      MendFinding *finding = g_ptr_array_index (findings, i);
      g_autofree char *subtitle = NULL;
      GtkWidget *row;

      if (is_check_finding (self, finding) || g_str_equal (mend_finding_get_id (finding), "network-ok"))
        continue;

      subtitle = explain (finding);
      row = new_row (mend_finding_get_title (finding), subtitle);
      set_row_prefix (row, new_severity_icon (mend_finding_get_severity (finding)));
      adw_preferences_group_add (self->checks_group, row);
      g_ptr_array_add (self->other_rows, row);
    }

  one_done (self);
}

/* --- The page --------------------------------------------------------------------------- */

static void
check_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  mend_service_status_page_check (MEND_SERVICE_STATUS_PAGE (widget));
}

static void
mend_service_status_page_map (GtkWidget *widget)
{
  MendServiceStatusPage *self = MEND_SERVICE_STATUS_PAGE (widget);

  GTK_WIDGET_CLASS (mend_service_status_page_parent_class)->map (widget);

  if (self->status == NULL)
    mend_service_status_page_check (self);
}

static void
mend_service_status_page_dispose (GObject *object)
{
  MendServiceStatusPage *self = (MendServiceStatusPage *) object;
  GtkWidget *child;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), MEND_TYPE_SERVICE_STATUS_PAGE);
  /* The template's own child has no id, so dispose_template() leaves it. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))))
    gtk_widget_unparent (child);
  g_clear_object (&self->status);
  g_clear_object (&self->preflight);
  g_clear_object (&self->report);
  g_clear_pointer (&self->check_rows, g_ptr_array_unref);
  g_clear_pointer (&self->other_rows, g_ptr_array_unref);

  G_OBJECT_CLASS (mend_service_status_page_parent_class)->dispose (object);
}

static void
mend_service_status_page_get_property (GObject    *object,
                                       guint       prop_id,
                                       GValue     *value,
                                       GParamSpec *pspec)
{
  MendServiceStatusPage *self = MEND_SERVICE_STATUS_PAGE (object);

  switch (prop_id)
    {
    case PROP_CHECKING:
      g_value_set_boolean (value, mend_service_status_page_is_checking (self));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mend_service_status_page_class_init (MendServiceStatusPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = mend_service_status_page_dispose;
  object_class->get_property = mend_service_status_page_get_property;
  widget_class->map = mend_service_status_page_map;

  properties[PROP_CHECKING] =
    g_param_spec_boolean ("checking", NULL, NULL,
                          FALSE,
                          (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PATH "/ui/mend-service-status-page.ui");
  gtk_widget_class_bind_template_child (widget_class, MendServiceStatusPage, icon_stack);
  gtk_widget_class_bind_template_child (widget_class, MendServiceStatusPage, spinner);
  gtk_widget_class_bind_template_child (widget_class, MendServiceStatusPage, state_icon);
  gtk_widget_class_bind_template_child (widget_class, MendServiceStatusPage, state_title);
  gtk_widget_class_bind_template_child (widget_class, MendServiceStatusPage, state_description);
  gtk_widget_class_bind_template_child (widget_class, MendServiceStatusPage, checked_at);
  gtk_widget_class_bind_template_child (widget_class, MendServiceStatusPage, incident_group);
  gtk_widget_class_bind_template_child (widget_class, MendServiceStatusPage, checks_group);

  gtk_widget_class_install_action (widget_class, "status.check", NULL, check_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_r, GDK_CONTROL_MASK, "status.check", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F5, 0, "status.check", NULL);
}

static void
mend_service_status_page_init (MendServiceStatusPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->check_rows = g_ptr_array_new ();
  self->other_rows = g_ptr_array_new ();
}

/**
 * mend_service_status_page_check:
 * @self: a #MendServiceStatusPage
 *
 * Asks Microsoft for its status and checks the connection again; checks still running are
 * cancelled.
 */
void
mend_service_status_page_check (MendServiceStatusPage *self)
{
  g_return_if_fail (MEND_IS_SERVICE_STATUS_PAGE (self));

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();

  /* Made on first use: building the page costs nothing at start-up. MAILMEND_STATUS_URL and
   * MAILMEND_PREFLIGHT_TARGETS point them elsewhere, for tests. */
  if (self->status == NULL)
    {
      self->status = mend_service_status_new ();
      self->preflight = mend_preflight_new ();
    }

  remove_rows (self->check_rows);
  remove_rows (self->other_rows);
  gtk_widget_set_visible (GTK_WIDGET (self->incident_group), FALSE);
  g_clear_object (&self->report);

  gtk_stack_set_visible_child_name (self->icon_stack, "checking");
  gtk_label_set_label (self->state_title, _("Checking Microsoft’s Service Status…"));
  gtk_label_set_label (self->state_description,
                       _("Mailmend asks Microsoft whether Outlook.com is having an outage, and "
                         "checks that this computer can reach Microsoft’s servers. You can go on "
                         "at any time."));
  gtk_widget_set_visible (GTK_WIDGET (self->checked_at), FALSE);

  self->pending = 2;
  set_checking (self, TRUE);

  mend_service_status_check_async (self->status, self->cancellable, on_status_checked,
                                   g_object_ref (self));
  mend_preflight_run_async (self->preflight, self->cancellable, on_preflight_done,
                            g_object_ref (self));
  add_check_rows (self);
}

gboolean
mend_service_status_page_is_checking (MendServiceStatusPage *self)
{
  g_return_val_if_fail (MEND_IS_SERVICE_STATUS_PAGE (self), FALSE);

  return self->cancellable != NULL;
}

/**
 * mend_service_status_page_get_report:
 *
 * Returns: (transfer none) (nullable): what Microsoft said, once it has
 */
MendStatusReport *
mend_service_status_page_get_report (MendServiceStatusPage *self)
{
  g_return_val_if_fail (MEND_IS_SERVICE_STATUS_PAGE (self), NULL);

  return self->report;
}
