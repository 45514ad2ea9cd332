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
