/* mend-step-indicator.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "mend-step-indicator"

#include "config.h"

#include <glib/gi18n.h>

#include "mend-step-indicator.h"

/* A row of numbered circles, one per page of a GtkStack: the pages before the
 * visible one are done, the visible one is current. It follows the stack's
 * page model, so the window only has to switch pages. */
struct _MendStepIndicator
{
  GtkWidget          parent_instance;

  GtkSelectionModel *pages;
};

enum {
  PROP_0,
  PROP_PAGES,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (MendStepIndicator, mend_step_indicator, GTK_TYPE_WIDGET)

static guint
find_current (MendStepIndicator *self)
{
  g_autoptr(GtkBitset) selected = gtk_selection_model_get_selection (self->pages);

  if (gtk_bitset_is_empty (selected))
    return 0;

  return gtk_bitset_get_minimum (selected);
}

static void
update_steps (MendStepIndicator *self)
{
  g_autofree char *description = NULL;
  g_autoptr(GObject) current_page = NULL;
  guint n_steps = 0;
  guint current = 0;
  guint i = 0;

  g_assert (MEND_IS_STEP_INDICATOR (self));

  if (self->pages != NULL)
    {
      n_steps = g_list_model_get_n_items (G_LIST_MODEL (self->pages));
      current = find_current (self);
    }

  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self));
       child != NULL;
       child = gtk_widget_get_next_sibling (child), i++)
    {
      gtk_widget_set_visible (child, i < n_steps);
      if (i < current)
        {
          gtk_widget_add_css_class (child, "done");
          gtk_widget_remove_css_class (child, "current");
        }
      else if (i == current)
        {
          gtk_widget_add_css_class (child, "current");
          gtk_widget_remove_css_class (child, "done");
        }
      else
        {
          gtk_widget_remove_css_class (child, "current");
          gtk_widget_remove_css_class (child, "done");
        }
    }

  if (n_steps == 0)
    return;

  current_page = g_list_model_get_item (G_LIST_MODEL (self->pages), current);
  /* Translators: read by screen readers, e.g. “Step 2 of 7: Service Status”. */
  description = g_strdup_printf (_("Step %u of %u: %s"), current + 1, n_steps,
                                 gtk_stack_page_get_title (GTK_STACK_PAGE (current_page)));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, description,
                                  -1);
}

static void
rebuild_steps (MendStepIndicator *self)
{
  GtkWidget *child;
  guint n_steps;

  g_assert (MEND_IS_STEP_INDICATOR (self));

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))))
    gtk_widget_unparent (child);

  n_steps = self->pages ? g_list_model_get_n_items (G_LIST_MODEL (self->pages)) : 0;

  for (guint i = 0; i < n_steps; i++)
    {
      g_autoptr(GObject) page = g_list_model_get_item (G_LIST_MODEL (self->pages), i);
      g_autofree char *number = g_strdup_printf ("%u", i + 1);
      GtkWidget *step = gtk_label_new (number);

      gtk_widget_add_css_class (step, "step");
      gtk_widget_set_tooltip_text (step, gtk_stack_page_get_title (GTK_STACK_PAGE (page)));
      gtk_widget_set_valign (step, GTK_ALIGN_CENTER);
      gtk_widget_set_parent (step, GTK_WIDGET (self));
    }

  update_steps (self);
}

static void
on_items_changed (MendStepIndicator *self)
{
  rebuild_steps (self);
}

static void
on_selection_changed (MendStepIndicator *self)
{
  update_steps (self);
}

static void
mend_step_indicator_dispose (GObject *object)
{
  MendStepIndicator *self = (MendStepIndicator *) object;
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))))
    gtk_widget_unparent (child);

  g_clear_object (&self->pages);

  G_OBJECT_CLASS (mend_step_indicator_parent_class)->dispose (object);
}

static void
mend_step_indicator_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  MendStepIndicator *self = MEND_STEP_INDICATOR (object);

  switch (prop_id)
    {
    case PROP_PAGES:
      g_value_set_object (value, self->pages);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mend_step_indicator_set_property (GObject      *object,
                                  guint         prop_id,
                                  const GValue *value,
                                  GParamSpec   *pspec)
{
  MendStepIndicator *self = MEND_STEP_INDICATOR (object);

  switch (prop_id)
    {
    case PROP_PAGES:
      mend_step_indicator_set_pages (self, g_value_get_object (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mend_step_indicator_class_init (MendStepIndicatorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = mend_step_indicator_dispose;
  object_class->get_property = mend_step_indicator_get_property;
  object_class->set_property = mend_step_indicator_set_property;

  properties[PROP_PAGES] =
    g_param_spec_object ("pages", NULL, NULL,
                         GTK_TYPE_SELECTION_MODEL,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_css_name (widget_class, "stepindicator");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BOX_LAYOUT);
}

static void
mend_step_indicator_init (MendStepIndicator *self)
{
  GtkLayoutManager *layout = gtk_widget_get_layout_manager (GTK_WIDGET (self));

  gtk_box_layout_set_spacing (GTK_BOX_LAYOUT (layout), 6);
  gtk_widget_set_halign (GTK_WIDGET (self), GTK_ALIGN_CENTER);
}

GtkSelectionModel *
mend_step_indicator_get_pages (MendStepIndicator *self)
{
  g_return_val_if_fail (MEND_IS_STEP_INDICATOR (self), NULL);

  return self->pages;
}

/**
 * mend_step_indicator_set_pages:
 * @self: a #MendStepIndicator
 * @pages: (nullable): the pages of a #GtkStack, as gtk_stack_get_pages() gives them
 */
void
mend_step_indicator_set_pages (MendStepIndicator *self,
                               GtkSelectionModel *pages)
{
  g_return_if_fail (MEND_IS_STEP_INDICATOR (self));
  g_return_if_fail (!pages || GTK_IS_SELECTION_MODEL (pages));

  if (self->pages == pages)
    return;

  if (self->pages != NULL)
    g_signal_handlers_disconnect_by_data (self->pages, self);

  g_set_object (&self->pages, pages);

  if (self->pages != NULL)
    {
      g_signal_connect_object (self->pages, "items-changed",
                               G_CALLBACK (on_items_changed), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (self->pages, "selection-changed",
                               G_CALLBACK (on_selection_changed), self, G_CONNECT_SWAPPED);
    }

  rebuild_steps (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PAGES]);
}
