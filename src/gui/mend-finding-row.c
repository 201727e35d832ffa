/* mend-finding-row.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "mend-finding-row"

#include "config.h"

#include <glib/gi18n.h>

#include "mend-finding-row.h"

/* One finding in a list: its severity as an icon, its title, what it means and what to
 * do, and its link when it has one. The details (AADSTS codes, server replies) are for
 * support staff: a tooltip and the support report carry them, not the row. */
struct _MendFindingRow
{
  AdwActionRow  parent_instance;

  MendFinding  *finding;
};

G_DEFINE_FINAL_TYPE (MendFindingRow, mend_finding_row, ADW_TYPE_ACTION_ROW)

static void
mend_finding_row_dispose (GObject *object)
{
  MendFindingRow *self = (MendFindingRow *)object;

  g_clear_object (&self->finding);

  G_OBJECT_CLASS (mend_finding_row_parent_class)->dispose (object);
}

static void
mend_finding_row_class_init (MendFindingRowClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = mend_finding_row_dispose;
}

static void
mend_finding_row_init (MendFindingRow *self)
{
}

GtkWidget *
mend_finding_severity_icon_new (MendSeverity severity)
{
  GtkWidget *image;

  switch (severity)
    {
    case MEND_SEVERITY_ERROR:
      image = gtk_image_new_from_icon_name ("dialog-error-symbolic");
      gtk_widget_add_css_class (image, "error");
      break;

    case MEND_SEVERITY_WARNING:
      image = gtk_image_new_from_icon_name ("dialog-warning-symbolic");
      gtk_widget_add_css_class (image, "warning");
      break;

    case MEND_SEVERITY_INFO:
    default:
      image = gtk_image_new_from_icon_name ("dialog-information-symbolic");
      gtk_widget_add_css_class (image, "accent");
      break;
    }

  return image;
}

GtkWidget *
mend_finding_row_new (MendFinding *finding)
{
  MendFindingRow *self;
  const char *remedy;
  const char *link;
  g_autofree char *subtitle = NULL;

  g_return_val_if_fail (MEND_IS_FINDING (finding), NULL);

  self = g_object_new (MEND_TYPE_FINDING_ROW,
                       "use-markup", FALSE,
                       "title", mend_finding_get_title (finding),
                       NULL);
  self->finding = g_object_ref (finding);

  remedy = mend_finding_get_remedy (finding);
  if (remedy != NULL && remedy[0] != '\0')
    subtitle = g_strdup_printf ("%s\n%s", mend_finding_get_explanation (finding), remedy);
  else
    subtitle = g_strdup (mend_finding_get_explanation (finding));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (self), subtitle);
  gtk_widget_add_css_class (GTK_WIDGET (self), "finding");

  adw_action_row_add_prefix (ADW_ACTION_ROW (self),
                             mend_finding_severity_icon_new (mend_finding_get_severity (finding)));

  if (mend_finding_get_details (finding) != NULL)
    gtk_widget_set_tooltip_text (GTK_WIDGET (self), mend_finding_get_details (finding));

  link = mend_finding_get_link (finding);
  if (link != NULL)
    {
      GtkWidget *button = gtk_link_button_new_with_label (link, _("Learn More"));

      gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
      adw_action_row_add_suffix (ADW_ACTION_ROW (self), button);
    }

  return GTK_WIDGET (self);
}

MendFinding *
mend_finding_row_get_finding (MendFindingRow *self)
{
  g_return_val_if_fail (MEND_IS_FINDING_ROW (self), NULL);

  return self->finding;
}
