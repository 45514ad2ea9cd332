/* gst-ladder
 * Copyright (C) 2026 The gst-ladder authors
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2 of the License, or (at your option) any later version.
 */

/* Scaling cost of ladderscale against videoconvertscale as the ladder used
 * it, on 1080p I420 (chroma-site mpeg2; --input another size) to the rungs
 * of a typical ladder:
 *
 *   appsrc ! ladderscale method=lanczos|bicubic ! video/x-raw,width=W,height=H ! fakesink
 *   appsrc ! videoconvertscale method=catrom chroma-resampler=lanczos
 *       add-borders=false ! video/x-raw,width=W,height=H ! fakesink
 *
 * appsrc pushes the same few pre-made frames again and again (no copy, no
 * source cost). The CPU time of the process (user + sys, getrusage) from
 * PLAYING to EOS, divided by the frame count, is the cost per frame; the
 * median of the runs is printed as a Markdown table with the ratios and the
 * total for 300 frames of the three rungs.
 *
 * The scaler kernel is the best the CPU runs; LADDER_SCALER_SIMD=c|sse2|
 * avx2|avx512 in the environment measures another one (docs/ladderscale.md),
 * and --only lanczos,bicubic leaves out videoconvertscale.
 */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include <gst/gst.h>

#include "bench-util.h"

#define IN_CAPS_FORMAT "video/x-raw,format=I420,width=%d,height=%d," \
  "framerate=30/1,pixel-aspect-ratio=1/1,chroma-site=mpeg2," \
  "colorimetry=bt709"
#define N_SOURCE_FRAMES 8

static gint n_frames = 300;
static gint n_runs = 5;
static gchar *sizes_arg = NULL;
static gchar *only_arg = NULL;
static gchar *input_arg = NULL;
/* the caps of the source frames, from --input */
static gchar *in_caps = NULL;

static GOptionEntry entries[] = {
  {"frames", 'n', 0, G_OPTION_ARG_INT, &n_frames,
      "Frames scaled per run (default 300)", "N"},
  {"input", 'i', 0, G_OPTION_ARG_STRING, &input_arg,
      "Size of the source frames (default 1920x1080): a rung of a cascade "
        "is scaled from a smaller one", "WxH"},
  {"runs", 'r', 0, G_OPTION_ARG_INT, &n_runs,
      "Runs of each pipeline per size (default 5)", "R"},
  {"sizes", 's', 0, G_OPTION_ARG_STRING, &sizes_arg,
        "Comma-separated output sizes (default 1280x720,854x480,426x240)",
      "LIST"},
  {"only", 'o', 0, G_OPTION_ARG_STRING, &only_arg,
      "Comma-separated contenders to run (videoconvertscale, lanczos, "
        "bicubic; default all): the others print 0", "LIST"},
  {NULL}
};

typedef struct
{
  const gchar *name;
  const gchar *element;
} Contender;

static const Contender contenders[] = {
  {"videoconvertscale", "videoconvertscale method=catrom "
        "chroma-resampler=lanczos add-borders=false"},
  {"ladderscale lanczos", "ladderscale method=lanczos"},
  {"ladderscale bicubic", "ladderscale method=bicubic"},
};

#define N_CONTENDERS G_N_ELEMENTS (contenders)

static GstBuffer *frames[N_SOURCE_FRAMES];

/* Whether --only names @c (by the end of its name) */
static gboolean
selected (const Contender * c)
{
  gchar **names;
  gboolean found = FALSE;
  guint i;

  if (!only_arg)
    return TRUE;
  names = g_strsplit (only_arg, ",", -1);
  for (i = 0; names[i] && !found; i++)
    found = names[i][0] && g_str_has_suffix (c->name, names[i]);
  g_strfreev (names);
  return found;
}

/* A few different source frames from videotestsrc */
static gboolean
make_frames (void)
{
  GstElement *pipe;
  GstElement *sink;
  gint i;

  pipe = bench_launch (g_strdup_printf ("videotestsrc pattern=pinwheel "
          "num-buffers=8 ! %s ! appsink name=sink sync=false", in_caps));
  if (!pipe)
    return FALSE;
  sink = gst_bin_get_by_name (GST_BIN (pipe), "sink");
  gst_element_set_state (pipe, GST_STATE_PLAYING);
  for (i = 0; i < N_SOURCE_FRAMES; i++) {
    GstSample *sample = NULL;

    g_signal_emit_by_name (sink, "pull-sample", &sample);
    if (!sample)
      break;
    frames[i] = gst_buffer_ref (gst_sample_get_buffer (sample));
    gst_sample_unref (sample);
  }
  gst_object_unref (sink);
  bench_stop (pipe);
  return i == N_SOURCE_FRAMES;
}

/* Returns the CPU time in ms per frame, or a negative value */
static gdouble
run_once (const Contender * c, gint w, gint h)
{
  GstElement *pipe = bench_launch (g_strdup_printf ("appsrc name=src "
          "format=time caps=\"%s\" ! %s ! "
          "video/x-raw,width=%d,height=%d ! fakesink sync=false", in_caps,
          c->element, w, h));
  GstElement *src;
  gdouble start, cpu;
  gboolean ok;
  gint i;

  if (!pipe)
    return -1;

  src = gst_bin_get_by_name (GST_BIN (pipe), "src");
  /* at most two frames queued: the pushes below follow the scaler */
  g_object_set (src, "max-buffers", (guint64) 2, "block", TRUE, NULL);
  gst_element_set_state (pipe, GST_STATE_PLAYING);
  start = bench_cpu_seconds ();
  for (i = 0; i < n_frames; i++) {
    GstBuffer *buf = gst_buffer_copy (frames[i % N_SOURCE_FRAMES]);
    GstFlowReturn ret;

    GST_BUFFER_PTS (buf) = gst_util_uint64_scale (i, GST_SECOND, 30);
    GST_BUFFER_DURATION (buf) = GST_SECOND / 30;
    g_signal_emit_by_name (src, "push-buffer", buf, &ret);
    gst_buffer_unref (buf);
    if (ret != GST_FLOW_OK)
      break;
  }
  {
    GstFlowReturn ret;

    g_signal_emit_by_name (src, "end-of-stream", &ret);
  }
  ok = bench_wait_eos (pipe);
  cpu = bench_cpu_seconds () - start;
  if (!ok)
    g_printerr ("%s to %dx%d failed\n", c->name, w, h);
  gst_object_unref (src);
  bench_stop (pipe);

  return ok ? cpu * 1e3 / n_frames : -1;
}

int
main (int argc, char **argv)
{
  gchar **sizes;
  gdouble total[N_CONTENDERS] = { 0, };
  guint i, r, c;
  gint status = 0;

  if (!bench_parse_options (&argc, &argv, "- scaling CPU cost: ladderscale vs "
          "videoconvertscale", entries))
    return 2;
  if (n_frames < 1 || n_runs < 1) {
    g_printerr ("--frames and --runs must be at least 1\n");
    return 2;
  }
  {
    gint in_w = 1920, in_h = 1080;

    if (input_arg && (sscanf (input_arg, "%dx%d", &in_w, &in_h) != 2
            || in_w < 2 || in_h < 2 || in_w > 8192 || in_h > 8192)) {
      g_printerr ("--input: WxH, 2 to 8192 each, not '%s'\n", input_arg);
      return 2;
    }
    in_caps = g_strdup_printf (IN_CAPS_FORMAT, in_w, in_h);
  }

  if (!gst_registry_check_feature_version (gst_registry_get (),
          "ladderscale", 0, 0, 0)) {
    g_printerr ("ladderscale not found: put the plugin on GST_PLUGIN_PATH\n");
    return 1;
  }
  if (!gst_registry_check_feature_version (gst_registry_get (),
          "videoconvertscale", 1, 22, 0)) {
    g_printerr ("videoconvertscale (gst-plugins-base >= 1.22) not found\n");
    return 1;
  }
  if (!make_frames ()) {
    g_printerr ("could not make the source frames with videotestsrc\n");
    return 1;
  }

  sizes = g_strsplit (sizes_arg ? sizes_arg : "1280x720,854x480,426x240",
      ",", -1);

  g_print ("Scaling CPU time per %s I420 frame, ms (user+sys, median of "
      "%d runs of %d frames)\n\n", input_arg ? input_arg : "1920x1080",
      n_runs, n_frames);
  g_print ("| output |");
  for (c = 0; c < N_CONTENDERS; c++)
    g_print (" %s |", contenders[c].name);
  for (c = 1; c < N_CONTENDERS; c++)
    g_print (" %s / %s |", contenders[0].name, contenders[c].name);
  g_print ("\n|---|");
  for (c = 0; c < 2 * N_CONTENDERS - 1; c++)
    g_print ("---:|");
  g_print ("\n");

  for (i = 0; sizes[i]; i++) {
    gdouble runs[N_CONTENDERS][64], med[N_CONTENDERS];
    gint w = 0, h = 0;

    if (sscanf (sizes[i], "%dx%d", &w, &h) != 2 || w < 1 || h < 1) {
      g_printerr ("bad size \"%s\"\n", sizes[i]);
      status = 2;
      break;
    }
    /* alternate the contenders, so that drifts hit all of them */
    for (r = 0; r < (guint) MIN (n_runs, 64); r++) {
      for (c = 0; c < N_CONTENDERS; c++) {
        guint k = (c + r) % N_CONTENDERS;

        if (!selected (&contenders[k])) {
          runs[k][r] = 0;
          continue;
        }
        runs[k][r] = run_once (&contenders[k], w, h);
        if (runs[k][r] < 0)
          status = 1;
      }
    }
    g_print ("| %dx%d |", w, h);
    for (c = 0; c < N_CONTENDERS; c++) {
      med[c] = bench_median (runs[c], MIN (n_runs, 64));
      total[c] += med[c];
      g_print (" %.2f |", med[c]);
    }
    for (c = 1; c < N_CONTENDERS; c++)
      g_print (" %.2f |", med[c] > 0 ? med[0] / med[c] : 0.0);
    g_print ("\n");
  }

  g_print ("| all, 300 frames (s) |");
  for (c = 0; c < N_CONTENDERS; c++)
    g_print (" %.2f |", total[c] * 300 / 1e3);
  for (c = 1; c < N_CONTENDERS; c++)
    g_print (" %.2f |", total[c] > 0 ? total[0] / total[c] : 0.0);
  g_print ("\n");

  g_print ("\nReproduce: GST_PLUGIN_PATH=<builddir>/gst/elements "
      "<builddir>/tests/bench/bench-scale --frames %d --runs %d --sizes %s\n",
      n_frames, n_runs, sizes_arg ? sizes_arg : "1280x720,854x480,426x240");

  g_strfreev (sizes);
  for (i = 0; i < N_SOURCE_FRAMES; i++)
    gst_clear_buffer (&frames[i]);
  return status;
}
