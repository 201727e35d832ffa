/* mend-after-frame.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "mend-after-frame"

#include "config.h"

#include "mend-after-frame.h"

typedef struct
{
  GWeakRef           widget;
  MendAfterFrameFunc func;
} AfterFrame;

static AfterFrame *
after_frame_new (GtkWidget          *widget,
                 MendAfterFrameFunc  func)
{
  AfterFrame *after_frame = g_new0 (AfterFrame, 1);

  g_weak_ref_init (&after_frame->widget, widget);
  after_frame->func = func;

  return after_frame;
}

static void
after_frame_free (gpointer data)
{
  AfterFrame *after_frame = data;

  g_weak_ref_clear (&after_frame->widget);
  g_free (after_frame);
}

static void
after_frame_free_closure (gpointer  data,
                          GClosure *closure)
{
  after_frame_free (data);
}

static gboolean
run_after_frame (gpointer data)
{
  AfterFrame *after_frame = data;
  g_autoptr(GtkWidget) widget = g_weak_ref_get (&after_frame->widget);

  if (widget != NULL)
    after_frame->func (widget);

  return G_SOURCE_REMOVE;
}

static void
on_after_paint (GdkFrameClock *frame_clock,
                AfterFrame    *after_frame)
{
  g_autoptr(GtkWidget) widget = g_weak_ref_get (&after_frame->widget);

  /* An idle, not right here: the frame counts as drawn only once this
   * signal's other handlers have run too. */
  if (widget != NULL)
    g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, run_after_frame,
                     after_frame_new (widget, after_frame->func), after_frame_free);

  g_signal_handlers_disconnect_by_data (frame_clock, after_frame);
}

/**
 * mend_call_after_next_frame:
 * @widget: a realized widget
 * @func: what to call with @widget
 *
 * Calls @func once the window of @widget has drawn its next frame, unless
 * @widget is finalized first. Work that the first frame does not need goes
 * here, so that the window shows up sooner.
 */
void
mend_call_after_next_frame (GtkWidget          *widget,
                            MendAfterFrameFunc  func)
{
  GdkFrameClock *frame_clock;

  g_return_if_fail (GTK_IS_WIDGET (widget));
  g_return_if_fail (func != NULL);

  frame_clock = gtk_widget_get_frame_clock (widget);
  g_return_if_fail (frame_clock != NULL);

  g_signal_connect_data (frame_clock, "after-paint", G_CALLBACK (on_after_paint),
                         after_frame_new (widget, func), after_frame_free_closure, 0);
  gtk_widget_queue_draw (widget);
}
