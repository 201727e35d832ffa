/* mend-step-indicator.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "mend-step-indicator"

#include "config.h"

#include <glib/gi18n.h>

#include "mend-step-indicator.h"

/* A row of numbered circles, one per step: the steps before the current one
 * are done. The titles show as tooltips and in what screen readers say. */
struct _MendStepIndicator
{
  GtkWidget   parent_instance;

  GStrv       titles;
  guint       current;
};

G_DEFINE_FINAL_TYPE (MendStepIndicator, mend_step_indicator, GTK_TYPE_WIDGET)

static void
update_steps (MendStepIndicator *self)
{
  g_autofree char *description = NULL;
  guint n_steps = self->titles ? g_strv_length (self->titles) : 0;
  guint i = 0;

  g_assert (MEND_IS_STEP_INDICATOR (self));

  for (GtkWidget *step = gtk_widget_get_first_child (GTK_WIDGET (self));
       step != NULL;
       step = gtk_widget_get_next_sibling (step), i++)
    {
      if (i == self->current)
        gtk_widget_add_css_class (step, "current");
      else
        gtk_widget_remove_css_class (step, "current");

      if (i < self->current)
        gtk_widget_add_css_class (step, "done");
      else
        gtk_widget_remove_css_class (step, "done");
    }

  if (self->current >= n_steps)
    return;

  /* Translators: read by screen readers, e.g. “Step 2 of 7: Service Status”. */
  description = g_strdup_printf (_("Step %u of %u: %s"), self->current + 1, n_steps,
                                 self->titles[self->current]);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, description,
                                  -1);
}

static void
remove_steps (MendStepIndicator *self)
{
  GtkWidget *step;

  while ((step = gtk_widget_get_first_child (GTK_WIDGET (self))))
    gtk_widget_unparent (step);
}

static void
mend_step_indicator_dispose (GObject *object)
{
  remove_steps (MEND_STEP_INDICATOR (object));

  G_OBJECT_CLASS (mend_step_indicator_parent_class)->dispose (object);
}

static void
mend_step_indicator_finalize (GObject *object)
{
  MendStepIndicator *self = (MendStepIndicator *) object;

  g_strfreev (self->titles);

  G_OBJECT_CLASS (mend_step_indicator_parent_class)->finalize (object);
}

static void
mend_step_indicator_class_init (MendStepIndicatorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = mend_step_indicator_dispose;
  object_class->finalize = mend_step_indicator_finalize;

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

/**
 * mend_step_indicator_set_steps:
 * @self: a #MendStepIndicator
 * @titles: the steps' titles, translated, in order
 */
void
mend_step_indicator_set_steps (MendStepIndicator  *self,
                               const char * const *titles)
{
  g_return_if_fail (MEND_IS_STEP_INDICATOR (self));
  g_return_if_fail (titles != NULL);

  remove_steps (self);
  g_strfreev (self->titles);
  self->titles = g_strdupv ((char **) titles);

  for (guint i = 0; titles[i] != NULL; i++)
    {
      g_autofree char *number = g_strdup_printf ("%u", i + 1);
      GtkWidget *step = gtk_label_new (number);

      gtk_widget_add_css_class (step, "step");
      gtk_widget_set_tooltip_text (step, titles[i]);
      gtk_widget_set_valign (step, GTK_ALIGN_CENTER);
      gtk_widget_set_parent (step, GTK_WIDGET (self));
    }

  update_steps (self);
}

/**
 * mend_step_indicator_set_current:
 * @self: a #MendStepIndicator
 * @current: the position of the current step, from 0
 */
void
mend_step_indicator_set_current (MendStepIndicator *self,
                                 guint              current)
{
  g_return_if_fail (MEND_IS_STEP_INDICATOR (self));

  if (self->current == current)
    return;

  self->current = current;
  update_steps (self);
}
