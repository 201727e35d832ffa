/* mend-why-page.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "mend-why-page"

#include "config.h"

#include <adwaita.h>

#include "mend-after-frame.h"
#include "mend-why-page.h"

struct _MendWhyPage
{
  GtkWidget  parent_instance;

  /* Template widgets */
  GtkBox    *details;
};

G_DEFINE_FINAL_TYPE (MendWhyPage, mend_why_page, GTK_TYPE_WIDGET)

static void
add_details (GtkWidget *widget)
{
  MendWhyPage *self = MEND_WHY_PAGE (widget);
  g_autoptr(GtkBuilder) builder = NULL;

  if (self->details == NULL || gtk_widget_get_first_child (GTK_WIDGET (self->details)) != NULL)
    return;

  builder = gtk_builder_new_from_resource (RESOURCE_PATH "/ui/mend-why-page-details.ui");
  gtk_box_append (self->details, GTK_WIDGET (gtk_builder_get_object (builder, "changes_group")));
  gtk_box_append (self->details, GTK_WIDGET (gtk_builder_get_object (builder, "messages_group")));
  gtk_box_append (self->details, GTK_WIDGET (gtk_builder_get_object (builder, "plan_group")));
}

/* The groups under the headline cost more text layout than the rest of the
 * window: they come right after the first frame, so the window shows sooner
 * (tests/bench/startup). */
static void
mend_why_page_map (GtkWidget *widget)
{
  MendWhyPage *self = MEND_WHY_PAGE (widget);

  GTK_WIDGET_CLASS (mend_why_page_parent_class)->map (widget);

  if (gtk_widget_get_first_child (GTK_WIDGET (self->details)) == NULL)
    mend_call_after_next_frame (widget, add_details);
}

static void
mend_why_page_dispose (GObject *object)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (object))))
    gtk_widget_unparent (child);
  MEND_WHY_PAGE (object)->details = NULL;

  G_OBJECT_CLASS (mend_why_page_parent_class)->dispose (object);
}

static void
mend_why_page_class_init (MendWhyPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = mend_why_page_dispose;
  widget_class->map = mend_why_page_map;

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PATH "/ui/mend-why-page.ui");
  gtk_widget_class_bind_template_child (widget_class, MendWhyPage, details);
}

static void
mend_why_page_init (MendWhyPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
