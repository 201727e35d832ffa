/* mend-window.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "mend-window"

#include "config.h"

#include <glib/gi18n.h>

#include "mend-account-group.h"
#include "mend-after-frame.h"
#include "mend-window.h"
#include "mend-step-indicator.h"
#include "pages/mend-accounts-page.h"
#include "pages/mend-done-page.h"
#include "pages/mend-repair-page.h"
#include "pages/mend-service-status-page.h"
#include "pages/mend-signin-page.h"
#include "pages/mend-verify-page.h"
#include "pages/mend-why-page.h"

struct _MendWindow
{
  AdwApplicationWindow  parent_instance;

  GSettings            *settings;

  /* Template widgets */
  AdwWindowTitle       *window_title;
  GtkStack             *stack;
  MendStepIndicator    *step_indicator;
  GtkWidget            *next_button;
};

G_DEFINE_FINAL_TYPE (MendWindow, mend_window, ADW_TYPE_APPLICATION_WINDOW)

typedef struct
{
  const char  *name;
  const char  *title;
  GType      (*get_type) (void);
} Step;

/* The wizard's steps, in order. Only the first page is built before the
 * window's first frame; the others come right after it, which keeps
 * start-up close to an empty window's. */
static const Step steps[] = {
  { "why", N_("What Happened"), mend_why_page_get_type },
  { "status", N_("Service Status"), mend_service_status_page_get_type },
  { "accounts", N_("Accounts"), mend_accounts_page_get_type },
  { "signin", N_("Sign In"), mend_signin_page_get_type },
  { "verify", N_("Verify"), mend_verify_page_get_type },
  { "repair", N_("Repair"), mend_repair_page_get_type },
  { "done", N_("Done"), mend_done_page_get_type },
};

static void update_navigation (MendWindow *self);

static void
add_page (MendWindow *self,
          const Step *step)
{
  GtkWidget *page = g_object_new (step->get_type (), NULL);

  /* Next waits on the Sign In step until the page is done. */
  if (MEND_IS_SIGNIN_PAGE (page))
    g_signal_connect_object (page, "notify::complete", G_CALLBACK (update_navigation), self,
                             G_CONNECT_SWAPPED);

  gtk_stack_add_titled (self->stack, page, step->name, _(step->title));
}

static void
ensure_all_pages (MendWindow *self)
{
  g_autoptr(GtkSelectionModel) pages = gtk_stack_get_pages (self->stack);

  for (guint i = g_list_model_get_n_items (G_LIST_MODEL (pages)); i < G_N_ELEMENTS (steps); i++)
    add_page (self, &steps[i]);
}

static void
add_remaining_pages (GtkWidget *widget)
{
  MendWindow *self = MEND_WINDOW (widget);

  /* The window may have been closed since. */
  if (self->stack != NULL)
    ensure_all_pages (self);
}

static gboolean
address_equal (gconstpointer a,
               gconstpointer b)
{
  return g_ascii_strcasecmp (a, b) == 0;
}

/* The Sign In step signs in every address of the Microsoft accounts chosen on the
 * Accounts step, one after the other, or asks for an address when none is. */
static void
prepare_signin_page (MendWindow *self)
{
  GtkWidget *accounts = gtk_stack_get_child_by_name (self->stack, "accounts");
  GtkWidget *signin = gtk_stack_get_child_by_name (self->stack, "signin");
  g_autoptr(GPtrArray) selected = NULL;
  g_autoptr(GPtrArray) addresses = g_ptr_array_new_null_terminated (4, NULL, TRUE);

  selected = mend_accounts_page_get_selected (MEND_ACCOUNTS_PAGE (accounts));
  for (guint i = 0; i < selected->len; i++)
    {
      MendAccountGroup *group = g_ptr_array_index (selected, i);
      const char *address = mend_account_group_get_address (group);

      if (address != NULL && mend_account_group_is_microsoft (group) &&
          !g_ptr_array_find_with_equal_func (addresses, address, address_equal, NULL))
        g_ptr_array_add (addresses, (gpointer) address);
    }

  mend_signin_page_set_addresses (MEND_SIGNIN_PAGE (signin),
                                  (const char * const *) addresses->pdata);
}

static void
prepare_verify_page (MendWindow *self)
{
  GtkWidget *accounts = gtk_stack_get_child_by_name (self->stack, "accounts");
  GtkWidget *verify = gtk_stack_get_child_by_name (self->stack, "verify");
  g_autoptr(GPtrArray) selected = NULL;

  selected = mend_accounts_page_get_selected (MEND_ACCOUNTS_PAGE (accounts));
  mend_verify_page_set_accounts (MEND_VERIFY_PAGE (verify), selected);
}

/* The Repair step plans a repair of each account chosen on the Accounts step. */
static void
prepare_repair_page (MendWindow *self)
{
  GtkWidget *accounts = gtk_stack_get_child_by_name (self->stack, "accounts");
  GtkWidget *repair = gtk_stack_get_child_by_name (self->stack, "repair");
  g_autoptr(GPtrArray) selected = NULL;
  g_auto(GStrv) folders = NULL;

  selected = mend_accounts_page_get_selected (MEND_ACCOUNTS_PAGE (accounts));
  folders = mend_accounts_page_dup_extra_folders (MEND_ACCOUNTS_PAGE (accounts));
  mend_repair_page_set_extra_folders (MEND_REPAIR_PAGE (repair), (const char * const *) folders);
  mend_repair_page_set_accounts (MEND_REPAIR_PAGE (repair), selected);
}

/* The Done step's report scans the profile folders added on the Accounts step too. */
static void
prepare_done_page (MendWindow *self)
{
  GtkWidget *accounts = gtk_stack_get_child_by_name (self->stack, "accounts");
  GtkWidget *done = gtk_stack_get_child_by_name (self->stack, "done");
  g_auto(GStrv) folders = mend_accounts_page_dup_extra_folders (MEND_ACCOUNTS_PAGE (accounts));

  mend_done_page_set_extra_folders (MEND_DONE_PAGE (done), (const char * const *) folders);
}

static void
go_to_step (MendWindow *self,
            guint       step)
{
  g_assert (MEND_IS_WINDOW (self));
  g_assert (step < G_N_ELEMENTS (steps));

  ensure_all_pages (self);
  if (g_str_equal (steps[step].name, "signin"))
    prepare_signin_page (self);
  else if (g_str_equal (steps[step].name, "repair"))
    prepare_repair_page (self);
  else if (g_str_equal (steps[step].name, "verify"))
    prepare_verify_page (self);
  else if (g_str_equal (steps[step].name, "done"))
    prepare_done_page (self);
  gtk_stack_set_visible_child_name (self->stack, steps[step].name);
}

static gboolean
step_is_complete (MendWindow *self,
                  guint       step)
{
  GtkWidget *page = gtk_stack_get_child_by_name (self->stack, steps[step].name);

  if (page != NULL && MEND_IS_SIGNIN_PAGE (page))
    return mend_signin_page_get_complete (MEND_SIGNIN_PAGE (page));

  return TRUE;
}

static void
update_navigation (MendWindow *self)
{
  guint step = mend_window_get_step (self);
  guint n_steps = G_N_ELEMENTS (steps);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "wizard.back", step > 0);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "wizard.next",
                                 step + 1 < n_steps && step_is_complete (self, step));
  gtk_widget_set_visible (self->next_button, step + 1 < n_steps);
}

static void
on_visible_child_changed (MendWindow *self)
{
  g_autofree char *subtitle = NULL;
  guint step = mend_window_get_step (self);
  guint n_steps = G_N_ELEMENTS (steps);

  g_assert (MEND_IS_WINDOW (self));

  /* Translators: shown under the page's title, e.g. “Step 2 of 7”. */
  subtitle = g_strdup_printf (_("Step %u of %u"), step + 1, n_steps);
  adw_window_title_set_title (self->window_title, _(steps[step].title));
  adw_window_title_set_subtitle (self->window_title, subtitle);
  mend_step_indicator_set_current (self->step_indicator, step);
  update_navigation (self);

  g_debug ("Now on step %u, “%s”", step + 1, steps[step].name);
}

static void
wizard_next_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  MendWindow *self = MEND_WINDOW (widget);
  guint step = mend_window_get_step (self);

  if (step + 1 < G_N_ELEMENTS (steps))
    go_to_step (self, step + 1);
}

static void
wizard_back_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  MendWindow *self = MEND_WINDOW (widget);
  guint step = mend_window_get_step (self);

  if (step > 0)
    go_to_step (self, step - 1);
}

/* Pages send the user to another step by name, such as “signin” from the Verify step
 * for an address without a sign-in. */
static void
wizard_go_to_step_action (GtkWidget  *widget,
                          const char *action_name,
                          GVariant   *parameter)
{
  MendWindow *self = MEND_WINDOW (widget);
  const char *name = g_variant_get_string (parameter, NULL);

  for (guint step = 0; step < G_N_ELEMENTS (steps); step++)
    {
      if (g_str_equal (steps[step].name, name))
        {
          go_to_step (self, step);
          return;
        }
    }

  g_warning ("No step is called “%s”", name);
}

static void
restore_window_state (MendWindow *self)
{
  int width = g_settings_get_int (self->settings, "window-width");
  int height = g_settings_get_int (self->settings, "window-height");

  gtk_window_set_default_size (GTK_WINDOW (self), width, height);

  if (g_settings_get_boolean (self->settings, "window-maximized"))
    gtk_window_maximize (GTK_WINDOW (self));
}

static gboolean
mend_window_close_request (GtkWindow *window)
{
  MendWindow *self = MEND_WINDOW (window);
  int width, height;

  gtk_window_get_default_size (window, &width, &height);

  g_settings_delay (self->settings);
  g_settings_set_boolean (self->settings, "window-maximized", gtk_window_is_maximized (window));
  if (!gtk_window_is_maximized (window))
    {
      g_settings_set_int (self->settings, "window-width", width);
      g_settings_set_int (self->settings, "window-height", height);
    }
  g_settings_apply (self->settings);

  return GTK_WINDOW_CLASS (mend_window_parent_class)->close_request (window);
}

static void
mend_window_realize (GtkWidget *widget)
{
  GTK_WIDGET_CLASS (mend_window_parent_class)->realize (widget);

  mend_call_after_next_frame (widget, add_remaining_pages);
}

static void
mend_window_dispose (GObject *object)
{
  MendWindow *self = (MendWindow *) object;

  gtk_widget_dispose_template (GTK_WIDGET (self), MEND_TYPE_WINDOW);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (mend_window_parent_class)->dispose (object);
}

static void
mend_window_class_init (MendWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = mend_window_dispose;
  widget_class->realize = mend_window_realize;
  window_class->close_request = mend_window_close_request;

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PATH "/ui/mend-window.ui");
  gtk_widget_class_bind_template_child (widget_class, MendWindow, window_title);
  gtk_widget_class_bind_template_child (widget_class, MendWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, MendWindow, step_indicator);
  gtk_widget_class_bind_template_child (widget_class, MendWindow, next_button);
  gtk_widget_class_bind_template_callback (widget_class, on_visible_child_changed);

  gtk_widget_class_install_action (widget_class, "wizard.next", NULL, wizard_next_action);
  gtk_widget_class_install_action (widget_class, "wizard.back", NULL, wizard_back_action);
  gtk_widget_class_install_action (widget_class, "wizard.go-to-step", "s",
                                   wizard_go_to_step_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Right, GDK_ALT_MASK, "wizard.next", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Left, GDK_ALT_MASK, "wizard.back", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Back, 0, "wizard.back", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Forward, 0, "wizard.next", NULL);

  g_type_ensure (MEND_TYPE_STEP_INDICATOR);
}

static void
mend_window_init (MendWindow *self)
{
  const char *titles[G_N_ELEMENTS (steps) + 1] = { NULL };

  gtk_widget_init_template (GTK_WIDGET (self));

  for (guint i = 0; i < G_N_ELEMENTS (steps); i++)
    titles[i] = _(steps[i].title);
  mend_step_indicator_set_steps (self->step_indicator, titles);
  add_page (self, &steps[0]);

  if (DEVELOPMENT_BUILD)
    gtk_widget_add_css_class (GTK_WIDGET (self), "devel");

  self->settings = g_settings_new (SCHEMA_ID);
  restore_window_state (self);
  on_visible_child_changed (self);
}

MendWindow *
mend_window_new (MendApplication *application)
{
  g_return_val_if_fail (!application || MEND_IS_APPLICATION (application), NULL);

  return g_object_new (MEND_TYPE_WINDOW,
                       "application", application,
                       NULL);
}

/**
 * mend_window_get_step:
 * @self: a #MendWindow
 *
 * Returns: the position of the wizard's visible step, from 0
 */
guint
mend_window_get_step (MendWindow *self)
{
  const char *name;

  g_return_val_if_fail (MEND_IS_WINDOW (self), 0);

  name = gtk_stack_get_visible_child_name (self->stack);
  for (guint i = 0; i < G_N_ELEMENTS (steps); i++)
    {
      if (g_strcmp0 (steps[i].name, name) == 0)
        return i;
    }

  return 0;
}

guint
mend_window_get_n_steps (MendWindow *self)
{
  g_return_val_if_fail (MEND_IS_WINDOW (self), 0);

  return G_N_ELEMENTS (steps);
}

/**
 * mend_window_get_step_name:
 * @self: a #MendWindow
 *
 * Returns: the untranslated name of the visible step, such as “why” or “signin”
 */
const char *
mend_window_get_step_name (MendWindow *self)
{
  g_return_val_if_fail (MEND_IS_WINDOW (self), NULL);

  return steps[mend_window_get_step (self)].name;
}
