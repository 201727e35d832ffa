/* minimal-window.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The baseline for the wizard's start-up time (tests/bench/startup): the least a libadwaita
 * application can show — an AdwApplicationWindow of the wizard's default size (640×720) with a
 * header bar and a label. With MAILMEND_REPORT_FIRST_FRAME set it reports its first frame the
 * way src/gui/mend-application.c does: one line `first-frame-us=<g_get_monotonic_time ()>` on
 * stdout, from the window's frame clock's first after-paint, and then it quits.
 */

#define G_LOG_DOMAIN "minimal-window"

#include <adwaita.h>
#include <stdio.h>

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
on_activate (GtkApplication *application)
{
  GtkWidget *window;
  GtkWidget *box;

  window = adw_application_window_new (application);
  gtk_window_set_title (GTK_WINDOW (window), "Minimal Window");
  gtk_window_set_default_size (GTK_WINDOW (window), 640, 720);

  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  gtk_box_append (GTK_BOX (box), adw_header_bar_new ());
  gtk_box_append (GTK_BOX (box), g_object_new (GTK_TYPE_LABEL,
                                               "label", "Hello",
                                               "vexpand", TRUE,
                                               NULL));
  adw_application_window_set_content (ADW_APPLICATION_WINDOW (window), box);

  gtk_window_present (GTK_WINDOW (window));

  if (g_getenv ("MAILMEND_REPORT_FIRST_FRAME") != NULL)
    g_signal_connect_object (gtk_widget_get_frame_clock (window), "after-paint",
                             G_CALLBACK (on_first_frame), application, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(AdwApplication) application = NULL;

  application = adw_application_new ("io.github.mailmend.Mailmend.Bench.MinimalWindow",
                                     G_APPLICATION_DEFAULT_FLAGS);
  g_signal_connect (application, "activate", G_CALLBACK (on_activate), NULL);

  return g_application_run (G_APPLICATION (application), argc, argv);
}
