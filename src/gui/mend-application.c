/* mend-application.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "mend-application"

#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>

#include "mend-application.h"
#include "mend-log-window.h"
#include "mend-preferences-window.h"
#include "mend-window.h"

struct _MendApplication
{
  AdwApplication parent_instance;
};

G_DEFINE_FINAL_TYPE (MendApplication, mend_application, ADW_TYPE_APPLICATION)

static void
quit_action (GSimpleAction *action,
             GVariant      *parameter,
             gpointer       user_data)
{
  g_application_quit (G_APPLICATION (user_data));
}

static void
about_action (GSimpleAction *action,
              GVariant      *parameter,
              gpointer       user_data)
{
  static const char *developers[] = { "Mailmend developers", NULL };
  GtkApplication *application = GTK_APPLICATION (user_data);

  adw_show_about_window (gtk_application_get_active_window (application),
                         "application-name", _("Mailmend"),
                         "application-icon", APP_ID,
                         "developer-name", _("Mailmend developers"),
                         "developers", developers,
                         "version", PACKAGE_VERSION,
                         "website", "https://github.com/mailmend/mailmend",
                         "issue-url", "https://github.com/mailmend/mailmend/issues",
                         "license-type", GTK_LICENSE_GPL_3_0,
                         /* Translators: put your names here, one per line. */
                         "translator-credits", _("translator-credits"),
                         NULL);
}

static void
analyze_log_action (GSimpleAction *action,
                    GVariant      *parameter,
                    gpointer       user_data)
{
  mend_log_window_present (GTK_APPLICATION (user_data));
}

static void
preferences_action (GSimpleAction *action,
                    GVariant      *parameter,
                    gpointer       user_data)
{
  mend_preferences_window_present (GTK_APPLICATION (user_data));
}

static const GActionEntry app_actions[] = {
  { "quit", quit_action },
  { "about", about_action },
  { "analyze-log", analyze_log_action },
  { "preferences", preferences_action },
};

/* For tests/bench/startup: prints when the first frame of the window has been
 * drawn, then quits, so that start-up can be timed from outside. */
static void
on_first_frame (GdkFrameClock *frame_clock,
                GApplication  *application)
{
  g_signal_handlers_disconnect_by_func (frame_clock, on_first_frame, application);
  printf ("first-frame-us=%" G_GINT64_FORMAT "\n", g_get_monotonic_time ());
  fflush (stdout);
  g_application_quit (application);
}

static void
mend_application_activate (GApplication *application)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (application));

  if (window == NULL)
    window = GTK_WINDOW (mend_window_new (MEND_APPLICATION (application)));

  gtk_window_present (window);

  if (g_getenv ("MAILMEND_REPORT_FIRST_FRAME") != NULL)
    g_signal_connect_object (gtk_widget_get_frame_clock (GTK_WIDGET (window)), "after-paint",
                             G_CALLBACK (on_first_frame), application, 0);
}

static void
mend_application_startup (GApplication *application)
{
  static const char *quit_accels[] = { "<Primary>q", NULL };
  static const char *close_accels[] = { "<Primary>w", NULL };
  static const char *analyze_log_accels[] = { "<Primary>l", NULL };
  static const char *preferences_accels[] = { "<Primary>comma", NULL };

  G_APPLICATION_CLASS (mend_application_parent_class)->startup (application);

  gtk_window_set_default_icon_name (APP_ID);
  g_action_map_add_action_entries (G_ACTION_MAP (application),
                                   app_actions, G_N_ELEMENTS (app_actions),
                                   application);
  gtk_application_set_accels_for_action (GTK_APPLICATION (application), "app.quit", quit_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (application), "window.close",
                                         close_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (application), "app.analyze-log",
                                         analyze_log_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (application), "app.preferences",
                                         preferences_accels);
}

static void
mend_application_class_init (MendApplicationClass *klass)
{
  GApplicationClass *application_class = G_APPLICATION_CLASS (klass);

  application_class->activate = mend_application_activate;
  application_class->startup = mend_application_startup;
}

static void
mend_application_init (MendApplication *self)
{
}

MendApplication *
mend_application_new (void)
{
  return g_object_new (MEND_TYPE_APPLICATION,
                       "application-id", APP_ID,
                       "flags", G_APPLICATION_DEFAULT_FLAGS,
                       /* The same resources serve the default and development app ids. */
                       "resource-base-path", RESOURCE_PATH,
                       NULL);
}
