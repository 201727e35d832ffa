/* mend-log-window.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "mend-log-window"

#include "config.h"

#include <glib/gi18n.h>

#include "mend-finding-row.h"
#include "mend-log-analyzer.h"
#include "mend-log-window-private.h"
#include "mend-redact.h"
#include "mend-window.h"

/* The log analyzer, beside the wizard: the user pastes a mail app's log, or opens or drops
 * its file, and gets findings. Pasted text is analysed once it has stayed unchanged for a
 * moment, or at once with Analyze. A file is streamed through the analyzer in a worker
 * thread and never loaded into the text view, so a 50 MB log neither freezes the window nor
 * fills the memory. What the window shows comes from the findings, which are redacted: no
 * token or password of the log is echoed. */

/* How long pasted or typed text must stay unchanged before it is analysed by itself. */
#define TEXT_SETTLE_MS 500

struct _MendLogWindow
{
  AdwWindow             parent_instance;

  /* The analysis under way, or %NULL. */
  GCancellable         *cancellable;
  GtkFileChooserNative *chooser;
  guint                 settle_id;
  /* Bumped at every change of the text; the results' line numbers point into the text
   * only while it has the generation they were made from (0 for a file). */
  guint                 text_generation;
  guint                 results_generation;
  gboolean              has_results;
  gboolean              placed_results;

  /* Template widgets */
  GtkPaned             *paned;
  GtkTextView          *text_view;
  GtkWidget            *placeholder;
  GtkStack             *results_stack;
  GtkSpinner           *spinner;
  GtkLabel             *busy_label;
  GtkImage             *status_icon;
  GtkLabel             *status_label;
  GtkLabel             *format_label;
  GtkLabel             *source_label;
  GtkListBox           *findings_list;
};

G_DEFINE_FINAL_TYPE (MendLogWindow, mend_log_window, ADW_TYPE_WINDOW)

/* One analysis, of the text or of a file, from start to results. */
typedef struct
{
  MendLogWindow *self;
  GCancellable  *cancellable;
  GFile         *file;
  char          *name;
  goffset        size;
  guint          text_generation;
} Analysis;

static void
analysis_free (Analysis *analysis)
{
  g_clear_object (&analysis->self);
  g_clear_object (&analysis->cancellable);
  g_clear_object (&analysis->file);
  g_free (analysis->name);
  g_free (analysis);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Analysis, analysis_free)

static void
update_busy (MendLogWindow *self)
{
  gboolean busy = self->cancellable != NULL;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "log.cancel", busy);
  gtk_spinner_set_spinning (self->spinner, busy);
}

/* Cancels the analysis under way, if any, and starts following a new one. */
static Analysis *
analysis_new (MendLogWindow *self)
{
  Analysis *analysis = g_new0 (Analysis, 1);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();

  analysis->self = g_object_ref (self);
  analysis->cancellable = g_object_ref (self->cancellable);
  update_busy (self);

  return analysis;
}

/* Whether the window has since closed, been cancelled or started another analysis. */
static gboolean
analysis_is_stale (Analysis *analysis)
{
  return analysis->self->cancellable != analysis->cancellable ||
         g_cancellable_is_cancelled (analysis->cancellable);
}

static void
analysis_done (Analysis *analysis)
{
  g_clear_object (&analysis->self->cancellable);
  update_busy (analysis->self);
}

static void
reveal_results (MendLogWindow *self,
                const char    *page)
{
  gtk_stack_set_visible_child_name (self->results_stack, page);
  gtk_widget_set_visible (GTK_WIDGET (self->results_stack), TRUE);

  /* The first time, the results get most of the window; the user may move the handle. */
  if (!self->placed_results)
    {
      int height = gtk_widget_get_height (GTK_WIDGET (self->paned));

      if (height > 0)
        gtk_paned_set_position (self->paned, MAX (height * 2 / 5, 96));
      self->placed_results = TRUE;
    }
}

static char *
format_count (guint64 count)
{
  return g_strdup_printf ("%'" G_GUINT64_FORMAT, count);
}

static const char *
format_sentence (MendLogFormat format)
{
  switch (format)
    {
    case MEND_LOG_FORMAT_MAILBIRD:
      return _("Looks like a Mailbird log");
    case MEND_LOG_FORMAT_THUNDERBIRD:
      return _("Looks like a Thunderbird log");
    case MEND_LOG_FORMAT_EVOLUTION:
      return _("Looks like an Evolution log");
    case MEND_LOG_FORMAT_MSMTP:
      return _("Looks like an msmtp log");
    case MEND_LOG_FORMAT_MBSYNC:
      return _("Looks like an mbsync log");
    case MEND_LOG_FORMAT_NEOMUTT:
      return _("Looks like a NeoMutt log");
    case MEND_LOG_FORMAT_KMAIL:
      return _("Looks like a KMail log");
    case MEND_LOG_FORMAT_UNKNOWN:
    default:
      return _("Not a kind of log Mailmend knows");
    }
}

/* “Line 10, seen 2 times”, above what the finding says: a suffix would squeeze the text of a
 * row with a link at 360 pixels. */
static void
add_line_to_subtitle (AdwActionRow *row,
                      guint64       line,
                      guint64       count)
{
  g_autofree char *number = format_count (line);
  g_autofree char *where = NULL;
  g_autofree char *subtitle = NULL;

  if (count > 1)
    {
      g_autofree char *times = format_count (count);

      /* Translators: where a problem shows in a log: the first line that shows it, and on how
       * many lines it shows in all. */
      where = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Line %s, seen %s time",
                                            "Line %s, seen %s times",
                                            (gulong) MIN (count, G_MAXULONG)),
                               number, times);
    }
  else
    /* Translators: the line of a log that shows a problem. */
    where = g_strdup_printf (_("Line %s"), number);

  subtitle = g_strdup_printf ("%s\n%s", where, adw_action_row_get_subtitle (row));
  adw_action_row_set_subtitle (row, subtitle);
}

static GtkWidget *
new_row (MendFinding *finding,
         guint64      line,
         guint64      count,
         gboolean     points_into_text)
{
  GtkWidget *row = mend_finding_row_new (finding);
  g_autofree char *details = mend_redact_text (mend_finding_get_details (finding));

  /* The details quote a masked line of the log; masked once more, as the CLI does. */
  gtk_widget_set_tooltip_text (row, details);

  if (line > 0)
    add_line_to_subtitle (ADW_ACTION_ROW (row), line, count);

  /* A row of pasted text selects its line in the text. */
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), points_into_text && line > 0);
  g_object_set_data (G_OBJECT (row), "mend-log-line",
                     GUINT_TO_POINTER ((guint) MIN (line, G_MAXINT)));

  return row;
}

static void
clear_findings (MendLogWindow *self)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->findings_list))) != NULL)
    gtk_list_box_remove (self->findings_list, child);
}

static void
set_status (MendLogWindow *self,
            const char    *icon_name,
            const char    *style,
            const char    *text)
{
  static const char * const styles[] = { "error", "warning", "success", "accent" };

  gtk_image_set_from_icon_name (self->status_icon, icon_name);
  for (guint i = 0; i < G_N_ELEMENTS (styles); i++)
    gtk_widget_remove_css_class (GTK_WIDGET (self->status_icon), styles[i]);
  gtk_widget_add_css_class (GTK_WIDGET (self->status_icon), style);
  gtk_label_set_label (self->status_label, text);
}

/* “Pasted text, 22 lines” or “thunderbird.log (48.0 MB), 412,331 lines”. */
static char *
describe_source (Analysis *analysis,
                 guint64   n_lines)
{
  g_autofree char *count = format_count (n_lines);
  gulong plural = (gulong) MIN (n_lines, G_MAXULONG);

  if (analysis->file == NULL)
    /* Translators: %s is a number of lines. */
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Pasted text, %s line",
                                         "Pasted text, %s lines", plural),
                            count);
  else
    {
      g_autofree char *size = g_format_size (analysis->size);

      /* Translators: a file name, its size (such as “48.0 MB”) and its number of lines. */
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s (%s), %s line",
                                           "%s (%s), %s lines", plural),
                              analysis->name, size, count);
    }
}

static void
show_findings (MendLogWindow   *self,
               Analysis        *analysis,
               MendLogAnalyzer *analyzer)
{
  GPtrArray *findings = mend_log_analyzer_get_findings (analyzer);
  MendFinding *first = g_ptr_array_index (findings, 0);
  gboolean empty = g_str_equal (mend_finding_get_id (first), "log-empty");
  gboolean from_text = analysis->file == NULL;
  g_autofree char *source = NULL;
  guint n_problems = 0;

  for (guint i = 0; i < findings->len; i++)
    {
      if (mend_finding_get_severity (g_ptr_array_index (findings, i)) >= MEND_SEVERITY_WARNING)
        n_problems++;
    }

  /* The findings come errors first. */
  if (n_problems > 0)
    {
      g_autofree char *status = NULL;
      gboolean error = mend_finding_get_severity (first) == MEND_SEVERITY_ERROR;

      status = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u Problem Found",
                                             "%u Problems Found", n_problems),
                                n_problems);
      set_status (self, error ? "dialog-error-symbolic" : "dialog-warning-symbolic",
                  error ? "error" : "warning", status);
    }
  else if (empty)
    set_status (self, "dialog-information-symbolic", "accent", _("Nothing to Analyze"));
  else
    set_status (self, "emblem-ok-symbolic", "success", _("No Known Problem Found"));

  gtk_label_set_label (self->format_label,
                       format_sentence (mend_log_analyzer_get_format (analyzer)));
  gtk_widget_set_visible (GTK_WIDGET (self->format_label), !empty);
  source = describe_source (analysis, mend_log_analyzer_get_n_lines (analyzer));
  gtk_label_set_label (self->source_label, source);
  gtk_widget_set_visible (GTK_WIDGET (self->source_label), !empty || !from_text);

  clear_findings (self);
  for (guint i = 0; i < findings->len; i++)
    {
      MendFinding *finding = g_ptr_array_index (findings, i);

      gtk_list_box_append (self->findings_list,
                           new_row (finding,
                                    mend_log_analyzer_get_finding_line (analyzer, finding),
                                    mend_log_analyzer_get_finding_count (analyzer, finding),
                                    from_text));
    }

  self->results_generation = analysis->text_generation;
  self->has_results = TRUE;
  reveal_results (self, "results");

  g_debug ("%s: %u findings, %u problems", from_text ? "Pasted text" : "A file",
           findings->len, n_problems);
}

static char *
explain_read_error (const GError *error,
                    const char   *name)
{
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
    /* Translators: %s is a file name. */
    return g_strdup_printf (_("“%s” does not exist any more."), name);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED))
    /* Translators: %s is a file name. */
    return g_strdup_printf (_("You are not allowed to read “%s”."), name);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_IS_DIRECTORY))
    /* Translators: %s is a file name. */
    return g_strdup_printf (_("“%s” is a folder, not a file."), name);

  /* Translators: %s is a file name; the details say what went wrong. */
  return g_strdup_printf (_("Reading “%s” failed."), name);
}

/* A file that cannot be read becomes a finding, like what a log shows. */
static void
show_read_error (Analysis     *analysis,
                 const GError *error)
{
  MendLogWindow *self = analysis->self;
  g_autoptr(MendFinding) finding = NULL;
  g_autofree char *explanation = NULL;

  g_debug ("Cannot read %s: %s", analysis->name, error->message);

  explanation = explain_read_error (error, analysis->name);
  finding = mend_finding_new ("log-unreadable", MEND_SEVERITY_ERROR,
                              _("The log file cannot be read"), explanation,
                              _("Open the log file again, or copy its text and paste it here."));
  mend_finding_set_details (finding, error->message);

  set_status (self, "dialog-error-symbolic", "error", _("Could Not Read the Log"));
  gtk_widget_set_visible (GTK_WIDGET (self->format_label), FALSE);
  gtk_label_set_label (self->source_label, analysis->name);
  gtk_widget_set_visible (GTK_WIDGET (self->source_label), TRUE);
  clear_findings (self);
  gtk_list_box_append (self->findings_list, new_row (finding, 0, 0, FALSE));

  self->results_generation = 0;
  self->has_results = TRUE;
  reveal_results (self, "results");
}

static void
on_analyzed (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(Analysis) analysis = user_data;
  MendLogAnalyzer *analyzer = MEND_LOG_ANALYZER (source);
  g_autoptr(GError) error = NULL;
  gboolean read = mend_log_analyzer_analyze_stream_finish (analyzer, result, &error);

  if (analysis_is_stale (analysis))
    return;

  analysis_done (analysis);
  if (read)
    show_findings (analysis->self, analysis, analyzer);
  else
    show_read_error (analysis, error);
}

static void
analyze_stream (Analysis     *analysis,
                GInputStream *stream)
{
  g_autoptr(MendLogAnalyzer) analyzer = mend_log_analyzer_new ();

  mend_log_analyzer_analyze_stream_async (analyzer, stream, analysis->cancellable, on_analyzed,
                                          analysis);
}

static void
on_file_read (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(Analysis) analysis = user_data;
  g_autoptr(GFileInputStream) stream = NULL;
  g_autoptr(GError) error = NULL;

  stream = g_file_read_finish (G_FILE (source), result, &error);
  if (analysis_is_stale (analysis))
    return;

  if (stream == NULL)
    {
      analysis_done (analysis);
      show_read_error (analysis, error);
      return;
    }

  analyze_stream (g_steal_pointer (&analysis), G_INPUT_STREAM (stream));
}

static void
on_file_queried (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(Analysis) analysis = user_data;
  g_autoptr(GFileInfo) info = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *size = NULL;
  g_autofree char *busy = NULL;
  GCancellable *cancellable;
  GFile *file;

  info = g_file_query_info_finish (G_FILE (source), result, &error);
  if (analysis_is_stale (analysis))
    return;

  if (info == NULL)
    {
      analysis_done (analysis);
      show_read_error (analysis, error);
      return;
    }

  g_free (analysis->name);
  analysis->name = g_strdup (g_file_info_get_display_name (info));
  analysis->size = g_file_info_get_size (info);

  size = g_format_size (analysis->size);
  /* Translators: a file name and its size, such as “48.0 MB”. */
  busy = g_strdup_printf (_("Analyzing %s (%s)…"), analysis->name, size);
  gtk_label_set_label (analysis->self->busy_label, busy);

  file = analysis->file;
  cancellable = analysis->cancellable;
  g_file_read_async (file, G_PRIORITY_DEFAULT, cancellable, on_file_read,
                     g_steal_pointer (&analysis));
}

static void
open_file (MendLogWindow *self,
           GFile         *file)
{
  Analysis *analysis = analysis_new (self);
  g_autofree char *basename = g_file_get_basename (file);
  g_autofree char *busy = NULL;

  analysis->file = g_object_ref (file);
  analysis->name = g_filename_display_name (basename);

  /* Translators: %s is a file name. */
  busy = g_strdup_printf (_("Analyzing %s…"), analysis->name);
  gtk_label_set_label (self->busy_label, busy);
  reveal_results (self, "busy");

  g_file_query_info_async (file,
                           G_FILE_ATTRIBUTE_STANDARD_DISPLAY_NAME ","
                           G_FILE_ATTRIBUTE_STANDARD_SIZE,
                           G_FILE_QUERY_INFO_NONE, G_PRIORITY_DEFAULT, analysis->cancellable,
                           on_file_queried, analysis);
}

/* The text is copied for the worker thread; the results stay in place until the new ones
 * come, so that typing does not make them flicker. */
static void
analyze_text (MendLogWindow *self)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->text_view);
  g_autoptr(GInputStream) stream = NULL;
  Analysis *analysis;
  GtkTextIter start, end;
  char *text;

  g_clear_handle_id (&self->settle_id, g_source_remove);

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  text = gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
  stream = g_memory_input_stream_new_from_data (text, strlen (text), g_free);

  analysis = analysis_new (self);
  analysis->text_generation = self->text_generation;
  gtk_label_set_label (self->busy_label, _("Analyzing the pasted text…"));

  analyze_stream (analysis, stream);
}

static gboolean
on_text_settled (gpointer user_data)
{
  MendLogWindow *self = user_data;

  self->settle_id = 0;
  analyze_text (self);

  return G_SOURCE_REMOVE;
}

static void
on_text_changed (MendLogWindow *self,
                 GtkTextBuffer *buffer)
{
  gboolean empty = gtk_text_buffer_get_char_count (buffer) == 0;

  self->text_generation++;
  gtk_widget_set_visible (self->placeholder, empty);

  /* Emptied text is not analysed by itself: the results shown may be a file's. */
  g_clear_handle_id (&self->settle_id, g_source_remove);
  if (!empty)
    self->settle_id = g_timeout_add (TEXT_SETTLE_MS, on_text_settled, self);
}

static void
on_row_activated (MendLogWindow *self,
                  GtkListBoxRow *row)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->text_view);
  guint line = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (row), "mend-log-line"));
  GtkTextIter start, end;

  if (line == 0 || self->results_generation != self->text_generation)
    return;

  gtk_text_buffer_get_iter_at_line (buffer, &start, (int) line - 1);
  end = start;
  if (!gtk_text_iter_ends_line (&end))
    gtk_text_iter_forward_to_line_end (&end);
  gtk_text_buffer_select_range (buffer, &start, &end);
  gtk_text_view_scroll_to_mark (self->text_view, gtk_text_buffer_get_insert (buffer), 0.0, TRUE,
                                0.0, 0.3);
  gtk_widget_grab_focus (GTK_WIDGET (self->text_view));
}

static gboolean
on_drop (MendLogWindow *self,
         const GValue  *value,
         double         x,
         double         y)
{
  open_file (self, g_value_get_object (value));

  return TRUE;
}

static void
on_chooser_response (MendLogWindow   *self,
                     int              response,
                     GtkNativeDialog *chooser)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));

      if (file != NULL)
        open_file (self, file);
    }

  g_clear_object (&self->chooser);
}

static void
log_open_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  MendLogWindow *self = MEND_LOG_WINDOW (widget);
  GtkFileFilter *logs;
  GtkFileFilter *all;

  if (self->chooser == NULL)
    {
      self->chooser = gtk_file_chooser_native_new (_("Open a Log"), GTK_WINDOW (self),
                                                   GTK_FILE_CHOOSER_ACTION_OPEN, _("_Open"),
                                                   _("_Cancel"));
      gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (self->chooser), TRUE);

      logs = gtk_file_filter_new ();
      gtk_file_filter_set_name (logs, _("Logs"));
      gtk_file_filter_add_mime_type (logs, "text/plain");
      gtk_file_filter_add_pattern (logs, "*.log");
      gtk_file_filter_add_pattern (logs, "*.log.*");
      gtk_file_filter_add_pattern (logs, "*.moz_log");
      gtk_file_filter_add_pattern (logs, ".neomuttdebug*");
      gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (self->chooser), logs);
      g_object_unref (logs);

      all = gtk_file_filter_new ();
      gtk_file_filter_set_name (all, _("All Files"));
      gtk_file_filter_add_pattern (all, "*");
      gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (self->chooser), all);
      g_object_unref (all);

      g_signal_connect_object (self->chooser, "response", G_CALLBACK (on_chooser_response),
                               self, G_CONNECT_SWAPPED);
    }

  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

static void
log_analyze_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  analyze_text (MEND_LOG_WINDOW (widget));
}

/* Back to what was shown before; cancelling is not an error. */
static void
log_cancel_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  MendLogWindow *self = MEND_LOG_WINDOW (widget);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  update_busy (self);

  if (self->has_results)
    gtk_stack_set_visible_child_name (self->results_stack, "results");
  else
    gtk_widget_set_visible (GTK_WIDGET (self->results_stack), FALSE);
}

static void
mend_log_window_dispose (GObject *object)
{
  MendLogWindow *self = (MendLogWindow *) object;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_handle_id (&self->settle_id, g_source_remove);
  if (self->chooser != NULL)
    gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
  g_clear_object (&self->chooser);

  gtk_widget_dispose_template (GTK_WIDGET (self), MEND_TYPE_LOG_WINDOW);

  G_OBJECT_CLASS (mend_log_window_parent_class)->dispose (object);
}

static void
mend_log_window_class_init (MendLogWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = mend_log_window_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PATH "/ui/mend-log-window.ui");
  gtk_widget_class_bind_template_child (widget_class, MendLogWindow, paned);
  gtk_widget_class_bind_template_child (widget_class, MendLogWindow, text_view);
  gtk_widget_class_bind_template_child (widget_class, MendLogWindow, placeholder);
  gtk_widget_class_bind_template_child (widget_class, MendLogWindow, results_stack);
  gtk_widget_class_bind_template_child (widget_class, MendLogWindow, spinner);
  gtk_widget_class_bind_template_child (widget_class, MendLogWindow, busy_label);
  gtk_widget_class_bind_template_child (widget_class, MendLogWindow, status_icon);
  gtk_widget_class_bind_template_child (widget_class, MendLogWindow, status_label);
  gtk_widget_class_bind_template_child (widget_class, MendLogWindow, format_label);
  gtk_widget_class_bind_template_child (widget_class, MendLogWindow, source_label);
  gtk_widget_class_bind_template_child (widget_class, MendLogWindow, findings_list);
  gtk_widget_class_bind_template_callback (widget_class, on_row_activated);

  gtk_widget_class_install_action (widget_class, "log.open", NULL, log_open_action);
  gtk_widget_class_install_action (widget_class, "log.analyze", NULL, log_analyze_action);
  gtk_widget_class_install_action (widget_class, "log.cancel", NULL, log_cancel_action);
}

static void
mend_log_window_init (MendLogWindow *self)
{
  GtkDropTarget *drop_target;

  gtk_widget_init_template (GTK_WIDGET (self));

  self->text_generation = 1;
  g_signal_connect_object (gtk_text_view_get_buffer (self->text_view), "changed",
                           G_CALLBACK (on_text_changed), self, G_CONNECT_SWAPPED);

  /* Before the text view, which would insert a dropped file's name. */
  drop_target = gtk_drop_target_new (G_TYPE_FILE, GDK_ACTION_COPY);
  gtk_event_controller_set_propagation_phase (GTK_EVENT_CONTROLLER (drop_target),
                                              GTK_PHASE_CAPTURE);
  g_signal_connect_object (drop_target, "drop", G_CALLBACK (on_drop), self, G_CONNECT_SWAPPED);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (drop_target));

  if (DEVELOPMENT_BUILD)
    gtk_widget_add_css_class (GTK_WIDGET (self), "devel");

  update_busy (self);
}

/**
 * mend_log_window_present:
 * @application: the application
 *
 * Shows the log analyzer: the one already open, or a new window beside the wizard's, which
 * stays usable.
 *
 * Returns: (transfer none): the window
 */
MendLogWindow *
mend_log_window_present (GtkApplication *application)
{
  GtkWindow *parent = NULL;
  MendLogWindow *self;

  g_return_val_if_fail (GTK_IS_APPLICATION (application), NULL);

  for (GList *l = gtk_application_get_windows (application); l != NULL; l = l->next)
    {
      if (MEND_IS_LOG_WINDOW (l->data))
        {
          gtk_window_present (l->data);
          return l->data;
        }

      if (parent == NULL && MEND_IS_WINDOW (l->data))
        parent = l->data;
    }

  self = g_object_new (MEND_TYPE_LOG_WINDOW,
                       "application", application,
                       "transient-for", parent,
                       NULL);
  gtk_window_present (GTK_WINDOW (self));

  return self;
}

void
_mend_log_window_open_file (MendLogWindow *self,
                            GFile         *file)
{
  g_return_if_fail (MEND_IS_LOG_WINDOW (self));
  g_return_if_fail (G_IS_FILE (file));

  open_file (self, file);
}

gboolean
_mend_log_window_is_busy (MendLogWindow *self)
{
  g_return_val_if_fail (MEND_IS_LOG_WINDOW (self), FALSE);

  return self->cancellable != NULL;
}

GtkWidget *
_mend_log_window_get_results (MendLogWindow *self)
{
  g_return_val_if_fail (MEND_IS_LOG_WINDOW (self), NULL);

  return GTK_WIDGET (self->results_stack);
}
