/* gst-ladder
 * Copyright (C) 2026 The gst-ladder authors
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2 of the License, or (at your option) any later version.
 */

/* What the C benchmarks share: the process's CPU time and the median of a
 * set of runs. */

#pragma once

#include <stdlib.h>
#include <sys/resource.h>

#include <gst/gst.h>

/* user + sys CPU seconds of the whole process, all threads */
static inline gdouble
bench_cpu_seconds (void)
{
  struct rusage ru;

  getrusage (RUSAGE_SELF, &ru);
  return ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 +
      ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6;
}

static inline gint
bench_cmp_double (const void *a, const void *b)
{
  gdouble x = *(const gdouble *) a, y = *(const gdouble *) b;

  return x < y ? -1 : x > y;
}

/* sorts @v in place */
static inline gdouble
bench_median (gdouble * v, guint n)
{
  qsort (v, n, sizeof (gdouble), bench_cmp_double);
  return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* Parses the command line with @entries and GStreamer's own options
 * (initialising GStreamer); prints the error and returns FALSE on bad
 * options. */
static inline gboolean
bench_parse_options (gint * argc, gchar *** argv, const gchar * summary,
    const GOptionEntry * entries)
{
  GOptionContext *ctx = g_option_context_new (summary);
  GError *err = NULL;
  gboolean ok;

  g_option_context_add_main_entries (ctx, entries, NULL);
  g_option_context_add_group (ctx, gst_init_get_option_group ());
  ok = g_option_context_parse (ctx, argc, argv, &err);
  if (!ok) {
    g_printerr ("%s\n", err->message);
    g_clear_error (&err);
  }
  g_option_context_free (ctx);
  return ok;
}

/* Builds a pipeline from @desc (freed); prints why and returns NULL when
 * it cannot. */
static inline GstElement *
bench_launch (gchar * desc)
{
  GError *err = NULL;
  GstElement *pipe = gst_parse_launch (desc, &err);

  if (!pipe) {
    g_printerr ("could not build \"%s\": %s\n", desc, err->message);
    g_clear_error (&err);
  }
  g_free (desc);
  return pipe;
}

/* Waits for the end of @pipe's stream: TRUE on EOS, FALSE on an error. */
static inline gboolean
bench_wait_eos (GstElement * pipe)
{
  GstBus *bus = gst_element_get_bus (pipe);
  GstMessage *msg = gst_bus_timed_pop_filtered (bus, GST_CLOCK_TIME_NONE,
      GST_MESSAGE_EOS | GST_MESSAGE_ERROR);
  gboolean ok = msg && GST_MESSAGE_TYPE (msg) == GST_MESSAGE_EOS;

  if (msg)
    gst_message_unref (msg);
  gst_object_unref (bus);
  return ok;
}

/* Stops and frees @pipe. */
static inline void
bench_stop (GstElement * pipe)
{
  gst_element_set_state (pipe, GST_STATE_NULL);
  gst_object_unref (pipe);
}
