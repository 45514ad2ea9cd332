/* gst-ladder
 * Copyright (C) 2026 The gst-ladder authors
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2 of the License, or (at your option) any later version.
 */

/* Fan-out cost of ladderbroadcaster against tee with a queue on each branch
 * (the fair comparison: both give every branch its own thread and bounded
 * queue, and lose nothing with a non-live source).
 *
 * For each pad count, the two pipelines run alternately, several times:
 *
 *   fakesrc num-buffers=N sizetype=fixed sizemax=64 ! tee name=t
 *       t. ! queue ! fakesink  (x pads)
 *   fakesrc num-buffers=N sizetype=fixed sizemax=64 ! ladderbroadcaster name=t
 *       t. ! fakesink  (x pads)
 *
 * and the CPU time (user + sys of the whole process, getrusage) from
 * start to EOS is divided by N x pads. The median of the runs is printed as
 * a Markdown table with the ratio.
 */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include <gst/gst.h>

#include "bench-util.h"

static gint n_buffers = 100000;
static gint n_runs = 5;
static gchar *pads_arg = NULL;

static GOptionEntry entries[] = {
  {"buffers", 'n', 0, G_OPTION_ARG_INT, &n_buffers,
      "Buffers pushed per run (default 100000)", "N"},
  {"runs", 'r', 0, G_OPTION_ARG_INT, &n_runs,
      "Runs of each pipeline per pad count (default 5)", "R"},
  {"pads", 'p', 0, G_OPTION_ARG_STRING, &pads_arg,
      "Comma-separated pad counts (default 1,4,16)", "LIST"},
  {NULL}
};

static gchar *
describe (gboolean bcast, guint pads, gint buffers)
{
  GString *s = g_string_new (NULL);
  guint i;

  g_string_append_printf (s, "fakesrc num-buffers=%d sizetype=fixed "
      "sizemax=64 ! %s name=t", buffers, bcast ? "ladderbroadcaster" : "tee");
  for (i = 0; i < pads; i++)
    g_string_append_printf (s, " t. ! %sfakesink sync=false",
        bcast ? "" : "queue ! ");
  return g_string_free (s, FALSE);
}

/* Returns the CPU time in ns per buffer per pad, or a negative value */
static gdouble
run_once (gboolean bcast, guint pads)
{
  GstElement *pipe = bench_launch (describe (bcast, pads, n_buffers));
  gdouble start, cpu;
  gboolean ok;

  if (!pipe)
    return -1;

  start = bench_cpu_seconds ();
  gst_element_set_state (pipe, GST_STATE_PLAYING);
  ok = bench_wait_eos (pipe);
  cpu = bench_cpu_seconds () - start;
  if (!ok)
    g_printerr ("%s pipeline with %u pads failed\n",
        bcast ? "ladderbroadcaster" : "tee", pads);
  bench_stop (pipe);

  return ok ? cpu * 1e9 / ((gdouble) n_buffers * pads) : -1;
}

int
main (int argc, char **argv)
{
  gchar **counts;
  guint i, r;
  gint status = 0;

  if (!bench_parse_options (&argc, &argv,
          "- fan-out CPU cost: ladderbroadcaster vs tee " "+ queue", entries))
    return 2;
  if (n_buffers < 1 || n_runs < 1) {
    g_printerr ("--buffers and --runs must be at least 1\n");
    return 2;
  }

  if (!gst_registry_check_feature_version (gst_registry_get (),
          "ladderbroadcaster", 0, 0, 0)) {
    g_printerr ("ladderbroadcaster not found: put the plugin on "
        "GST_PLUGIN_PATH\n");
    return 1;
  }

  counts = g_strsplit (pads_arg ? pads_arg : "1,4,16", ",", -1);

  g_print ("Fan-out CPU time per buffer per pad (user+sys, median of %d "
      "runs, %d buffers of 64 bytes per run, non-live, nothing dropped)\n\n",
      n_runs, n_buffers);
  g_print ("| pads | tee + queue (ns) | ladderbroadcaster (ns) | "
      "ladderbroadcaster / tee |\n");
  g_print ("|---:|---:|---:|---:|\n");

  for (i = 0; counts[i]; i++) {
    guint pads = atoi (counts[i]);
    gdouble *tee = g_new0 (gdouble, n_runs), *bc = g_new0 (gdouble, n_runs);
    gdouble mt, mb;

    if (pads < 1) {
      g_printerr ("bad pad count \"%s\"\n", counts[i]);
      status = 2;
      break;
    }
    /* alternate, so that drifts (frequency, other load) hit both */
    for (r = 0; r < (guint) n_runs; r++) {
      if (r % 2 == 0) {
        tee[r] = run_once (FALSE, pads);
        bc[r] = run_once (TRUE, pads);
      } else {
        bc[r] = run_once (TRUE, pads);
        tee[r] = run_once (FALSE, pads);
      }
      if (tee[r] < 0 || bc[r] < 0)
        status = 1;
    }
    mt = bench_median (tee, n_runs);
    mb = bench_median (bc, n_runs);
    g_print ("| %u | %.0f | %.0f | %.2f |\n", pads, mt, mb,
        mt > 0 ? mb / mt : 0.0);
    g_free (tee);
    g_free (bc);
  }
  g_strfreev (counts);

  g_print ("\nReproduce: GST_PLUGIN_PATH=<builddir>/gst/elements "
      "<builddir>/tests/bench/bench-bcast-fanout --buffers %d --runs %d "
      "--pads %s\n", n_buffers, n_runs, pads_arg ? pads_arg : "1,4,16");
  g_free (pads_arg);

  return status;
}
