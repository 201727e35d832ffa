/* mend-signin-page.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "mend-signin-page"

#include "config.h"

#include <adwaita.h>

#include "mend-signin-page.h"

struct _MendSigninPage
{
  GtkWidget parent_instance;
};

G_DEFINE_FINAL_TYPE (MendSigninPage, mend_signin_page, GTK_TYPE_WIDGET)

static void
mend_signin_page_dispose (GObject *object)
{
  GtkWidget *child;

  /* The template's only child has no id, so dispose_template() would miss it. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (object))))
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (mend_signin_page_parent_class)->dispose (object);
}

static void
mend_signin_page_class_init (MendSigninPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = mend_signin_page_dispose;

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PATH "/ui/mend-signin-page.ui");
}

static void
mend_signin_page_init (MendSigninPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
