/* mend-log.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "mend-log"

#include "config.h"

#include <stdio.h>
#include <unistd.h>

#include "mend-log.h"

static const char *
find_log_domain (const GLogField *fields,
                 gsize            n_fields)
{
  for (gsize i = 0; i < n_fields; i++)
    {
      if (g_strcmp0 (fields[i].key, "GLIB_DOMAIN") == 0)
        return fields[i].value;
    }

  return NULL;
}

/* GLib's own writer sends messages, info and debug output to stdout. Our
 * stdout carries results that other programs parse (`mailmend token`,
 * `--json`), so every log line goes to stderr instead. */
static GLogWriterOutput
mend_log_write_to_stderr (GLogLevelFlags   log_level,
                          const GLogField *fields,
                          gsize            n_fields,
                          gpointer         user_data)
{
  g_autofree char *line = NULL;

  if (g_log_writer_default_would_drop (log_level, find_log_domain (fields, n_fields)))
    return G_LOG_WRITER_HANDLED;

  line = g_log_writer_format_fields (log_level, fields, n_fields,
                                     g_log_writer_supports_color (STDERR_FILENO));
  fprintf (stderr, "%s\n", line);
  fflush (stderr);

  return G_LOG_WRITER_HANDLED;
}

/**
 * mend_log_init:
 *
 * Sends every log message to stderr. `G_MESSAGES_DEBUG` keeps its usual
 * meaning.
 */
void
mend_log_init (void)
{
  g_log_set_writer_func (mend_log_write_to_stderr, NULL, NULL);
}
