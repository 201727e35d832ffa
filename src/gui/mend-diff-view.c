/* mend-diff-view.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "mend-diff-view"

#include "config.h"

#include <adwaita.h>

#include "mend-diff-view.h"

/* A unified diff in monospace, selectable, with removed lines in the style's error colour
 * and added ones in its success colour. The `-` and `+` at the start of each line say the
 * same for those who cannot tell the colours apart. Long lines scroll sideways. */
struct _MendDiffView
{
  GtkWidget  parent_instance;

  char      *text;

  GtkWidget *scroller;
  GtkLabel  *label;
};

G_DEFINE_FINAL_TYPE (MendDiffView, mend_diff_view, GTK_TYPE_WIDGET)

/* libadwaita 1.2's @success_color and @error_color, which Pango markup cannot name. */
#define ADDED_LIGHT   "#1b8553"
#define ADDED_DARK    "#8ff0a4"
#define REMOVED_LIGHT "#c01c28"
#define REMOVED_DARK  "#ff7b63"

static void
append_line (GString    *markup,
             const char *line,
             gboolean    dark)
{
  g_autofree char *escaped = g_markup_escape_text (line, -1);

  if (g_str_has_prefix (line, "--- ") || g_str_has_prefix (line, "+++ "))
    g_string_append_printf (markup, "<b>%s</b>", escaped);
  else if (g_str_has_prefix (line, "@@"))
    g_string_append_printf (markup, "<span fgalpha=\"60%%\">%s</span>", escaped);
  else if (line[0] == '+')
    g_string_append_printf (markup, "<span foreground=\"%s\">%s</span>",
                            dark ? ADDED_DARK : ADDED_LIGHT, escaped);
  else if (line[0] == '-')
    g_string_append_printf (markup, "<span foreground=\"%s\">%s</span>",
                            dark ? REMOVED_DARK : REMOVED_LIGHT, escaped);
  else
    g_string_append (markup, escaped);
}

static void
update_markup (MendDiffView *self)
{
  gboolean dark = adw_style_manager_get_dark (adw_style_manager_get_default ());
  g_autoptr(GString) markup = g_string_new (NULL);
  g_auto(GStrv) lines = NULL;

  if (self->text == NULL)
    {
      gtk_label_set_markup (self->label, "");
      return;
    }

  lines = g_strsplit (self->text, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      /* The text ends with a newline: no empty last line. */
      if (lines[i + 1] == NULL && lines[i][0] == '\0')
        break;
      if (i > 0)
        g_string_append_c (markup, '\n');
      append_line (markup, lines[i], dark);
    }

  gtk_label_set_markup (self->label, markup->str);
}

static void
mend_diff_view_dispose (GObject *object)
{
  MendDiffView *self = (MendDiffView *) object;

  g_clear_pointer (&self->scroller, gtk_widget_unparent);

  G_OBJECT_CLASS (mend_diff_view_parent_class)->dispose (object);
}

static void
mend_diff_view_finalize (GObject *object)
{
  MendDiffView *self = (MendDiffView *) object;

  g_clear_pointer (&self->text, g_free);

  G_OBJECT_CLASS (mend_diff_view_parent_class)->finalize (object);
}

static void
mend_diff_view_class_init (MendDiffViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = mend_diff_view_dispose;
  object_class->finalize = mend_diff_view_finalize;

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "diffview");
}

static void
mend_diff_view_init (MendDiffView *self)
{
  self->label = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_selectable (self->label, TRUE);
  gtk_label_set_xalign (self->label, 0);
  gtk_label_set_yalign (self->label, 0);
  gtk_widget_set_valign (GTK_WIDGET (self->label), GTK_ALIGN_START);
  gtk_widget_set_margin_start (GTK_WIDGET (self->label), 12);
  gtk_widget_set_margin_end (GTK_WIDGET (self->label), 12);
  gtk_widget_set_margin_top (GTK_WIDGET (self->label), 9);
  gtk_widget_set_margin_bottom (GTK_WIDGET (self->label), 9);
  gtk_widget_add_css_class (GTK_WIDGET (self->label), "monospace");

  self->scroller = gtk_scrolled_window_new ();
  /* Full height: the page around it scrolls, and a second vertical scroll inside it would
   * trap the mouse wheel. */
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (self->scroller),
                                  GTK_POLICY_AUTOMATIC, GTK_POLICY_NEVER);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (self->scroller), GTK_WIDGET (self->label));
  gtk_widget_add_css_class (self->scroller, "card");
  gtk_widget_set_overflow (self->scroller, GTK_OVERFLOW_HIDDEN);
  gtk_widget_set_parent (self->scroller, GTK_WIDGET (self));

  g_signal_connect_object (adw_style_manager_get_default (), "notify::dark",
                           G_CALLBACK (update_markup), self, G_CONNECT_SWAPPED);
}

GtkWidget *
mend_diff_view_new (void)
{
  return g_object_new (MEND_TYPE_DIFF_VIEW, NULL);
}

/**
 * mend_diff_view_get_text:
 *
 * Returns: (nullable): the diff shown (made valid UTF-8)
 */
const char *
mend_diff_view_get_text (MendDiffView *self)
{
  g_return_val_if_fail (MEND_IS_DIFF_VIEW (self), NULL);

  return self->text;
}

/**
 * mend_diff_view_set_text:
 * @text: (nullable): one or more unified diffs; bytes that are not UTF-8 are shown as �
 */
void
mend_diff_view_set_text (MendDiffView *self,
                         const char   *text)
{
  g_return_if_fail (MEND_IS_DIFF_VIEW (self));

  g_clear_pointer (&self->text, g_free);
  if (text != NULL)
    self->text = g_utf8_make_valid (text, -1);

  update_markup (self);
}
