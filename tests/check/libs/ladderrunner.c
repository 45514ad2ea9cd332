/* gst-ladder
 * Copyright (C) 2026 The gst-ladder authors
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2 of the License, or (at your option) any later version.
 *
 * This library is distributed in the hope that it will be useful,
 * but WITHOUT ANY WARRANTY; without even the implied warranty of
 * MERCHANTABILITY or FITNESS FOR A PARTICULAR PURPOSE.  See the GNU
 * Library General Public License for more details.
 */

/* GstLadderRunner: rungs per (factory, rendition, source), fault
 * containment and restarts, runtime edits, outputs, decode once, stats.
 * Faults are injected with the fake transcoders of laddertest.h. */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <gst/check/gstcheck.h>
#include <gst/base/gstbasetransform.h>
#include <gst/ladder/ladder.h>
#include <gst/video/video.h>

#include "laddertest.h"

#define N_BUFFERS 30

/* ----- the test pipeline ----- */

typedef struct
{
  gchar *name;                  /* track_rendition */
  GstElement *output;
  GstElement *sink;
  guint buffers;
  GstClockTime next_pts;
  gboolean continuous;
  GstClockTime last_pts;
  guint repeated;               /* buffers whose PTS did not move forward */
  gboolean eos;                 /* the sink received EOS */
  gboolean eos_when_removed;    /* ... before output-removed */
  guint rung_buffers;           /* pushed out of the rung's src pad */
  gboolean output_eos;          /* EOS entered the output */
  GstPad *stuck_pad;            /* the sink pad, blocked while stuck */
  gulong stuck_id;
} OutSink;

typedef struct
{
  GstElement *pipeline;
  GstElement *source;           /* the source ladderbroadcaster "src" */
  GstLadderRunner *runner;
  GMutex lock;
  GCond cond;
  guint outputs_added;
  guint outputs_removed;
  gboolean attach_sinks;
  GPtrArray *sinks;             /* OutSink */
  GstPad *block_pad;
  gulong block_id;
  guint direct_buffers;
  const gchar *stuck;           /* rendition whose sinks are stuck */
  guint max_queue_buffers;      /* of the outputs, 0: the default */
  GPtrArray *removed;           /* OutSink of the removed outputs */
} Ctx;

static void
out_sink_free (gpointer data)
{
  OutSink *os = data;

  g_free (os->name);
  gst_object_unref (os->output);
  gst_object_unref (os->sink);
  if (os->stuck_pad)
    gst_object_unref (os->stuck_pad);
  g_free (os);
}

static GstPadProbeReturn
out_sink_probe (GstPad * pad, GstPadProbeInfo * info, gpointer user_data)
{
  Ctx *ctx = g_object_get_data (G_OBJECT (pad), "ctx");
  OutSink *os = user_data;
  GstBuffer *buf = GST_PAD_PROBE_INFO_BUFFER (info);

  g_mutex_lock (&ctx->lock);
  if (GST_CLOCK_TIME_IS_VALID (os->next_pts)
      && GST_BUFFER_PTS (buf) != os->next_pts)
    os->continuous = FALSE;
  if (GST_BUFFER_DURATION_IS_VALID (buf))
    os->next_pts = GST_BUFFER_PTS (buf) + GST_BUFFER_DURATION (buf);
  if (GST_CLOCK_TIME_IS_VALID (os->last_pts)
      && GST_BUFFER_PTS (buf) <= os->last_pts)
    os->repeated++;
  os->last_pts = GST_BUFFER_PTS (buf);
  os->buffers++;
  g_cond_broadcast (&ctx->cond);
  g_mutex_unlock (&ctx->lock);
  return GST_PAD_PROBE_OK;
}

static GstPadProbeReturn
out_sink_eos_probe (GstPad * pad, GstPadProbeInfo * info, gpointer user_data)
{
  Ctx *ctx = g_object_get_data (G_OBJECT (pad), "ctx");
  OutSink *os = user_data;

  if (GST_EVENT_TYPE (GST_PAD_PROBE_INFO_EVENT (info)) == GST_EVENT_EOS) {
    g_mutex_lock (&ctx->lock);
    os->eos = TRUE;
    g_cond_broadcast (&ctx->cond);
    g_mutex_unlock (&ctx->lock);
  }
  return GST_PAD_PROBE_OK;
}

/* on the rung's src pad: what the rung pushed out */
static GstPadProbeReturn
rung_out_probe (GstPad * pad, GstPadProbeInfo * info, gpointer user_data)
{
  Ctx *ctx = g_object_get_data (G_OBJECT (pad), "ctx");
  OutSink *os = user_data;

  g_mutex_lock (&ctx->lock);
  os->rung_buffers++;
  g_cond_broadcast (&ctx->cond);
  g_mutex_unlock (&ctx->lock);
  return GST_PAD_PROBE_OK;
}

/* on the output's sink pad: the EOS the runner sends in after a drain */
static GstPadProbeReturn
output_eos_probe (GstPad * pad, GstPadProbeInfo * info, gpointer user_data)
{
  Ctx *ctx = g_object_get_data (G_OBJECT (pad), "ctx");
  OutSink *os = user_data;

  if (GST_EVENT_TYPE (GST_PAD_PROBE_INFO_EVENT (info)) == GST_EVENT_EOS) {
    g_mutex_lock (&ctx->lock);
    os->output_eos = TRUE;
    g_cond_broadcast (&ctx->cond);
    g_mutex_unlock (&ctx->lock);
  }
  return GST_PAD_PROBE_OK;
}

static GstPadProbeReturn
stuck_probe (GstPad * pad, GstPadProbeInfo * info, gpointer user_data)
{
  return GST_PAD_PROBE_OK;
}

static void
output_added (GstLadderRunner * runner, GstElement * output,
    const gchar * rendition, const gchar * track, Ctx * ctx)
{
  gchar *broadcast = NULL;

  g_object_get (output, "broadcast", &broadcast, NULL);
  fail_unless (g_str_has_suffix (broadcast, rendition));
  g_free (broadcast);

  if (ctx->attach_sinks) {
    OutSink *os = g_new0 (OutSink, 1);
    GstPad *src, *sink;

    os->name = g_strdup_printf ("%s_%s", track, rendition);
    os->output = gst_object_ref (output);
    os->sink = gst_object_ref (gst_element_factory_make ("fakesink", NULL));
    os->next_pts = GST_CLOCK_TIME_NONE;
    os->last_pts = GST_CLOCK_TIME_NONE;
    os->continuous = TRUE;
    g_object_set (os->sink, "sync", FALSE, "async", FALSE, NULL);
    gst_bin_add (GST_BIN (ctx->pipeline), os->sink);
    sink = gst_element_get_static_pad (os->sink, "sink");
    g_object_set_data (G_OBJECT (sink), "ctx", ctx);
    gst_pad_add_probe (sink, GST_PAD_PROBE_TYPE_BUFFER, out_sink_probe, os,
        NULL);
    gst_pad_add_probe (sink, GST_PAD_PROBE_TYPE_EVENT_DOWNSTREAM,
        out_sink_eos_probe, os, NULL);
    if (ctx->stuck && g_str_equal (rendition, ctx->stuck)) {
      /* a downstream that takes nothing until ctx_unstick() */
      os->stuck_pad = gst_object_ref (sink);
      os->stuck_id = gst_pad_add_probe (sink, GST_PAD_PROBE_TYPE_BLOCK |
          GST_PAD_PROBE_TYPE_BUFFER, stuck_probe, NULL, NULL);
    }
    if (ctx->max_queue_buffers)
      g_object_set (output, "max-queue-buffers", ctx->max_queue_buffers, NULL);
    {
      GstPad *in = gst_element_get_static_pad (output, "sink");
      GstPad *rung_src = gst_pad_get_peer (in);

      g_object_set_data (G_OBJECT (in), "ctx", ctx);
      gst_pad_add_probe (in, GST_PAD_PROBE_TYPE_EVENT_DOWNSTREAM,
          output_eos_probe, os, NULL);
      /* the rung is linked before output-added, unless it failed */
      if (rung_src) {
        g_object_set_data (G_OBJECT (rung_src), "ctx", ctx);
        gst_pad_add_probe (rung_src, GST_PAD_PROBE_TYPE_BUFFER,
            rung_out_probe, os, NULL);
        gst_object_unref (rung_src);
      }
      gst_object_unref (in);
    }
    src = gst_element_request_pad_simple (output, "src_%u");
    fail_unless_equals_int (gst_pad_link (src, sink), GST_PAD_LINK_OK);
    gst_object_unref (src);
    gst_object_unref (sink);
    gst_element_sync_state_with_parent (os->sink);
    g_mutex_lock (&ctx->lock);
    g_ptr_array_add (ctx->sinks, os);
    g_mutex_unlock (&ctx->lock);
  }

  g_mutex_lock (&ctx->lock);
  ctx->outputs_added++;
  g_cond_broadcast (&ctx->cond);
  g_mutex_unlock (&ctx->lock);
}

static void
output_removed (GstLadderRunner * runner, GstElement * output,
    const gchar * rendition, const gchar * track, Ctx * ctx)
{
  OutSink *os = NULL;
  guint i;

  g_mutex_lock (&ctx->lock);
  for (i = 0; i < ctx->sinks->len; i++) {
    if (((OutSink *) g_ptr_array_index (ctx->sinks, i))->output == output) {
      os = g_ptr_array_steal_index (ctx->sinks, i);
      os->eos_when_removed = os->eos;
      break;
    }
  }
  g_mutex_unlock (&ctx->lock);

  /* without ctx->lock: stopping the sink waits for its streaming thread,
   * which may be in a probe waiting for that lock. NULL flushes the sink
   * pad: a stuck sink is released */
  if (os) {
    gst_element_set_locked_state (os->sink, TRUE);
    gst_element_set_state (os->sink, GST_STATE_NULL);
    gst_bin_remove (GST_BIN (ctx->pipeline), os->sink);
  }

  g_mutex_lock (&ctx->lock);
  if (os)
    g_ptr_array_add (ctx->removed, os);
  ctx->outputs_removed++;
  g_cond_broadcast (&ctx->cond);
  g_mutex_unlock (&ctx->lock);
}

static GstPadProbeReturn
block_buffers (GstPad * pad, GstPadProbeInfo * info, gpointer user_data)
{
  return GST_PAD_PROBE_OK;
}

static GstPadProbeReturn
direct_probe (GstPad * pad, GstPadProbeInfo * info, gpointer user_data)
{
  Ctx *ctx = user_data;

  g_mutex_lock (&ctx->lock);
  ctx->direct_buffers++;
  g_mutex_unlock (&ctx->lock);
  return GST_PAD_PROBE_OK;
}

/* Builds @launch (which names its source broadcaster "src"), installs a
 * runner on it; with @block, buffers wait at the source broadcaster until
 * ctx_unblock() so every rung sees every buffer. */
static Ctx *
ctx_new (const gchar * launch, gboolean attach_sinks, gboolean block)
{
  Ctx *ctx = g_new0 (Ctx, 1);
  GError *err = NULL;
  GstElement *direct;

  g_mutex_init (&ctx->lock);
  g_cond_init (&ctx->cond);
  ctx->attach_sinks = attach_sinks;
  ctx->sinks = g_ptr_array_new_with_free_func (out_sink_free);
  ctx->removed = g_ptr_array_new_with_free_func (out_sink_free);
  ctx->pipeline = gst_parse_launch (launch, &err);
  fail_unless (ctx->pipeline != NULL, "%s", err ? err->message : "");
  ctx->source = gst_bin_get_by_name (GST_BIN (ctx->pipeline), "src");
  fail_unless (ctx->source != NULL);

  direct = gst_bin_get_by_name (GST_BIN (ctx->pipeline), "direct");
  if (direct) {
    GstPad *pad = gst_element_get_static_pad (direct, "sink");
    gst_pad_add_probe (pad, GST_PAD_PROBE_TYPE_BUFFER, direct_probe, ctx, NULL);
    gst_object_unref (pad);
    gst_object_unref (direct);
  }

  if (block) {
    ctx->block_pad = gst_element_get_static_pad (ctx->source, "sink");
    ctx->block_id = gst_pad_add_probe (ctx->block_pad,
        GST_PAD_PROBE_TYPE_BLOCK | GST_PAD_PROBE_TYPE_BUFFER, block_buffers,
        NULL, NULL);
  }

  ctx->runner = gst_ladder_runner_new ();
  g_object_set (ctx->runner, "restart-delay", 10 * GST_MSECOND,
      "stats-interval", 50 * GST_MSECOND, NULL);
  g_signal_connect (ctx->runner, "output-added", G_CALLBACK (output_added),
      ctx);
  g_signal_connect (ctx->runner, "output-removed",
      G_CALLBACK (output_removed), ctx);
  return ctx;
}

static void
ctx_install (Ctx * ctx)
{
  GError *err = NULL;

  fail_unless (gst_ladder_runner_install (ctx->runner,
          GST_BIN (ctx->pipeline), &err), "%s", err ? err->message : "");
}

static void
ctx_free (Ctx * ctx)
{
  gst_element_set_state (ctx->pipeline, GST_STATE_NULL);
  if (ctx->block_pad)
    gst_object_unref (ctx->block_pad);
  gst_object_unref (ctx->runner);
  gst_object_unref (ctx->source);
  gst_object_unref (ctx->pipeline);
  g_ptr_array_unref (ctx->sinks);
  g_ptr_array_unref (ctx->removed);
  g_mutex_clear (&ctx->lock);
  g_cond_clear (&ctx->cond);
  g_free (ctx);
}

static void
ctx_play (Ctx * ctx)
{
  fail_if (gst_element_set_state (ctx->pipeline, GST_STATE_PLAYING) ==
      GST_STATE_CHANGE_FAILURE);
}

/* Waits until @n outputs were announced, then for the runner to finish
 * what it was doing (a runner call runs after it). */
static void
ctx_wait_outputs (Ctx * ctx, guint n)
{
  GPtrArray *keys;

  g_mutex_lock (&ctx->lock);
  LADDER_TEST_COND_WAIT (&ctx->cond, &ctx->lock, LADDER_TEST_WAIT,
      ctx->outputs_added >= n, "only %u of %u outputs appeared",
      ctx->outputs_added, n);
  g_mutex_unlock (&ctx->lock);
  keys = gst_ladder_runner_list_keys (ctx->runner);
  g_ptr_array_unref (keys);
}

static void
ctx_unblock (Ctx * ctx)
{
  if (ctx->block_id)
    gst_pad_remove_probe (ctx->block_pad, ctx->block_id);
  ctx->block_id = 0;
}

/* Waits for the pipeline's EOS: every stream ended */
static void
ctx_wait_eos (Ctx * ctx)
{
  ladder_test_wait_eos (ctx->pipeline, 30 * GST_SECOND,
      "not every stream ended");
}

/* Pops messages until a gst-ladder message of @type for which @check (if
 * any) returns TRUE; fails on an ERROR or after LADDER_TEST_WAIT. */
static GstMessage *
ctx_wait_message (Ctx * ctx, GstLadderMessageType type,
    LadderTestMessageCheck check, gpointer data)
{
  return ladder_test_wait_ladder_message (ctx->pipeline, type, check, data,
      LADDER_TEST_WAIT);
}

static GstStructure *
ctx_stats (Ctx * ctx, const gchar * transcoder, const gchar * rendition,
    const gchar * track)
{
  GError *err = NULL;
  gchar *key = gst_ladder_rung_key_new (transcoder, rendition, "live", track);
  GstStructure *s = gst_ladder_runner_get_stats (ctx->runner, key, &err);

  fail_unless (s != NULL, "no stats for %s: %s", key, err ? err->message : "");
  g_free (key);
  return s;
}

static guint64
stat (const GstStructure * s, const gchar * field)
{
  guint64 v = 0;

  fail_unless (gst_structure_get_uint64 (s, field, &v), "no %s", field);
  return v;
}

static guint
n_keys (Ctx * ctx)
{
  GPtrArray *keys = gst_ladder_runner_list_keys (ctx->runner);
  guint n = keys->len;

  g_ptr_array_unref (keys);
  return n;
}

static GstLadderRendition *
preset (const gchar * name)
{
  GError *err = NULL;
  GstLadderRendition *r = gst_ladder_rendition_new_preset (name, &err);

  fail_unless (r != NULL, "%s", err ? err->message : "");
  return r;
}

static GstLadderRendition *
parse (const gchar * str)
{
  GError *err = NULL;
  GstLadderRendition *r = gst_ladder_rendition_from_string (str, &err);

  fail_unless (r != NULL, "%s", err ? err->message : "");
  return r;
}

#define RAW_VIDEO "videotestsrc num-buffers=" G_STRINGIFY (N_BUFFERS) \
  " ! video/x-raw,format=I420,width=64,height=48,framerate=30/1"
#define N_BUFFERS_LONG 60
#define RAW_VIDEO_LONG "videotestsrc num-buffers=" G_STRINGIFY (N_BUFFERS_LONG) \
  " ! video/x-raw,format=I420,width=64,height=48,framerate=30/1"
#define VIDEO_SOURCE RAW_VIDEO \
  " ! ladderbroadcaster name=src broadcast=live track=video"
#define VIDEO_SOURCE_DIRECT VIDEO_SOURCE " src. ! fakesink name=direct sync=false"

#define LIVE_SOURCE "videotestsrc is-live=true num-buffers=%d" \
  " ! video/x-raw,format=I420,width=64,height=48,framerate=30/1" \
  " ! ladderbroadcaster name=src broadcast=live track=video"

/* ----- tests ----- */

GST_START_TEST (test_passthrough_sees_every_fragment)
{
  Ctx *ctx = ctx_new (VIDEO_SOURCE, TRUE, TRUE);
  GstLadderRendition *r = parse (GST_LADDER_RENDITION_SOURCE);
  GstStructure *s;
  GError *err = NULL;
  OutSink *os;
  GstLadderRungState state;

  fail_unless (gst_ladder_runner_add_rendition (ctx->runner,
          GST_TYPE_LADDER_PASSTHROUGH, r, &err));
  gst_ladder_rendition_free (r);
  ctx_install (ctx);
  ctx_play (ctx);
  ctx_wait_outputs (ctx, 1);
  ctx_unblock (ctx);
  ctx_wait_eos (ctx);

  s = ctx_stats (ctx, "passthrough", "source", "video");
  fail_unless_equals_int (stat (s, "fragments-in"), N_BUFFERS);
  fail_unless_equals_int (stat (s, "fragments-out"), N_BUFFERS);
  fail_unless_equals_int (stat (s, "bytes-in"), N_BUFFERS * 64 * 48 * 3 / 2);
  fail_unless_equals_int (stat (s, "bytes-out"), N_BUFFERS * 64 * 48 * 3 / 2);
  fail_unless_equals_int (stat (s, "panics"), 0);
  fail_unless (gst_structure_get_enum (s, "state",
          GST_TYPE_LADDER_RUNG_STATE, (gint *) & state));
  fail_unless_equals_int (state, GST_LADDER_RUNG_STATE_RUNNING);
  gst_structure_free (s);

  os = g_ptr_array_index (ctx->sinks, 0);
  fail_unless_equals_string (os->name, "video_source");
  fail_unless_equals_int (os->buffers, N_BUFFERS);
  fail_unless (os->continuous);

  /* the rung stops with the runner */
  fail_unless (gst_ladder_runner_uninstall (ctx->runner, &err));
  fail_unless_equals_int (n_keys (ctx), 0);
  fail_unless_equals_int (ctx->outputs_removed, 1);
  ctx_free (ctx);
}

GST_END_TEST;

GST_START_TEST (test_default_ladder_one_rung_per_rendition)
{
  Ctx *ctx = ctx_new (VIDEO_SOURCE, TRUE, TRUE);
  GPtrArray *ladder = gst_ladder_default_ladder ();
  GError *err = NULL;
  guint i;

  fail_unless (gst_ladder_runner_add_transcoder (ctx->runner,
          LADDER_TEST_TYPE_PLAIN, &err));
  ctx_install (ctx);
  ctx_play (ctx);
  ctx_wait_outputs (ctx, ladder->len);
  ctx_unblock (ctx);
  ctx_wait_eos (ctx);

  fail_unless_equals_int (n_keys (ctx), ladder->len);
  for (i = 0; i < ladder->len; i++) {
    GstLadderRendition *r = g_ptr_array_index (ladder, i);
    GstStructure *s = ctx_stats (ctx, "plain", r->name, "video");

    fail_unless_equals_int (stat (s, "fragments-in"), N_BUFFERS);
    fail_unless_equals_int (stat (s, "fragments-out"), N_BUFFERS);
    gst_structure_free (s);
  }
  for (i = 0; i < ctx->sinks->len; i++) {
    OutSink *os = g_ptr_array_index (ctx->sinks, i);
    fail_unless_equals_int (os->buffers, N_BUFFERS);
  }
  g_ptr_array_unref (ladder);
  ctx_free (ctx);
}

GST_END_TEST;

GST_START_TEST (test_opt_out_of_track)
{
  Ctx *ctx = ctx_new ("audiotestsrc num-buffers=" G_STRINGIFY (N_BUFFERS)
      " ! audio/x-raw,rate=48000,channels=1"
      " ! ladderbroadcaster name=audio broadcast=live track=audio "
      VIDEO_SOURCE_DIRECT, TRUE, FALSE);
  GError *err = NULL;
  GPtrArray *keys;
  guint i;

  fail_unless (gst_ladder_runner_add_transcoder (ctx->runner,
          LADDER_TEST_TYPE_VIDEO_ONLY, &err));
  ctx_install (ctx);
  ctx_play (ctx);
  ctx_wait_eos (ctx);

  /* three video rungs, no audio rung */
  keys = gst_ladder_runner_list_keys (ctx->runner);
  fail_unless_equals_int (keys->len, 3);
  for (i = 0; i < keys->len; i++)
    fail_unless (strstr (g_ptr_array_index (keys, i), ":video:") != NULL);
  g_ptr_array_unref (keys);
  ctx_free (ctx);
}

GST_END_TEST;

GST_START_TEST (test_fault_mid_stream_contained)
{
  gchar *launch = g_strdup_printf (LIVE_SOURCE
      " src. ! fakesink name=direct sync=false", N_BUFFERS);
  Ctx *ctx = ctx_new (launch, TRUE, TRUE);
  GstLadderRendition *r = preset ("720p");
  GError *err = NULL, *perr = NULL;
  GstMessage *msg;
  gchar *transcoder, *rendition, *broadcast, *track, *debug;
  GstLadderPhase phase;
  guint panics;
  GstClockTime delay;
  gboolean degraded;
  GstStructure *s;

  g_free (launch);
  ladder_test_faulty_once_reset ();
  fail_unless (gst_ladder_runner_add_rendition (ctx->runner,
          LADDER_TEST_TYPE_FAULTY_ONCE, r, &err));
  fail_unless (gst_ladder_runner_add_rendition (ctx->runner,
          LADDER_TEST_TYPE_PLAIN, r, &err));
  gst_ladder_rendition_free (r);
  ctx_install (ctx);
  ctx_play (ctx);
  ctx_wait_outputs (ctx, 2);
  ctx_unblock (ctx);

  msg = ctx_wait_message (ctx, GST_LADDER_MESSAGE_PANIC, NULL, NULL);
  fail_unless (gst_ladder_message_parse_panic (msg, &transcoder, &rendition,
          &broadcast, &track, &phase, &perr, &debug, &panics, &delay,
          &degraded));
  fail_unless_equals_string (transcoder, "faulty");
  fail_unless_equals_string (rendition, "720p");
  fail_unless_equals_string (broadcast, "live");
  fail_unless_equals_string (track, "video");
  fail_unless_equals_int (phase, GST_LADDER_PHASE_FRAGMENT);
  fail_unless (perr != NULL);
  fail_unless (g_error_matches (perr, GST_CORE_ERROR, GST_CORE_ERROR_FAILED));
  fail_unless (debug != NULL && *debug != '\0');
  fail_unless_equals_int (panics, 1);
  fail_unless_equals_uint64 (delay, 10 * GST_MSECOND);
  fail_if (degraded);
  fail_unless (GST_IS_LADDER_RUNG (GST_MESSAGE_SRC (msg)));
  fail_unless_equals_string (gst_structure_get_string
      (gst_message_get_structure (msg), "next"), "restart");
  g_free (transcoder);
  g_free (rendition);
  g_free (broadcast);
  g_free (track);
  g_free (debug);
  g_clear_error (&perr);
  gst_message_unref (msg);

  /* nothing else noticed: the stream ends normally */
  ctx_wait_eos (ctx);

  s = ctx_stats (ctx, "faulty", "720p", "video");
  fail_unless_equals_int (stat (s, "panics"), 1);
  fail_unless_equals_int (stat (s, "restarts"), 1);
  /* it saw fragments after the restart too */
  fail_unless (stat (s, "fragments-in") > 10, "only %" G_GUINT64_FORMAT,
      stat (s, "fragments-in"));
  fail_unless_equals_int (ladder_test_faulty_once_starts (), 2);
  gst_structure_free (s);
  /* the restarted instance starts after what the failed one was given:
   * no frame twice (the frame in the GOP cache is not handed over again) */
  g_mutex_lock (&ctx->lock);
  {
    guint i;

    fail_unless_equals_int (ctx->sinks->len, 2);
    for (i = 0; i < ctx->sinks->len; i++) {
      OutSink *os = g_ptr_array_index (ctx->sinks, i);

      fail_unless (os->repeated == 0, "%s: %u of %u frames repeated",
          os->name, os->repeated, os->buffers);
    }
  }
  g_mutex_unlock (&ctx->lock);

  s = ctx_stats (ctx, "plain", "720p", "video");
  fail_unless_equals_int (stat (s, "panics"), 0);
  fail_unless_equals_int (stat (s, "fragments-out"), N_BUFFERS);
  gst_structure_free (s);
  fail_unless_equals_int (ctx->direct_buffers, N_BUFFERS);
  ctx_free (ctx);
}

GST_END_TEST;

static gboolean
is_degraded_panic (GstMessage * msg, gpointer data)
{
  gboolean degraded = FALSE;

  gst_ladder_message_parse_panic (msg, NULL, NULL, NULL, NULL, NULL, NULL,
      NULL, NULL, NULL, &degraded);
  return degraded;
}

/* A live source: offline, a degraded key ends at once (below) */
GST_START_TEST (test_fault_at_start_skipped_and_counted)
{
  gchar *launch = g_strdup_printf (LIVE_SOURCE, 30);
  Ctx *ctx = ctx_new (launch, TRUE, TRUE);
  GstLadderRendition *r = preset ("480p");
  GError *err = NULL, *perr = NULL;
  GstMessage *msg;
  GstLadderPhase phase;
  guint panics;
  GstClockTime delay;
  GstStructure *s;
  GstLadderRungState state;
  gchar *key;

  fail_unless (gst_ladder_runner_add_rendition (ctx->runner,
          LADDER_TEST_TYPE_FAILING, r, &err));
  fail_unless (gst_ladder_runner_add_rendition (ctx->runner,
          LADDER_TEST_TYPE_PLAIN, r, &err));
  gst_ladder_rendition_free (r);
  ctx_install (ctx);
  ctx_play (ctx);
  ctx_wait_outputs (ctx, 2);

  /* three quick failures at start: the key is degraded */
  msg = ctx_wait_message (ctx, GST_LADDER_MESSAGE_PANIC, is_degraded_panic,
      NULL);
  fail_unless (gst_ladder_message_parse_panic (msg, NULL, NULL, NULL, NULL,
          &phase, &perr, NULL, &panics, &delay, NULL));
  fail_unless_equals_int (phase, GST_LADDER_PHASE_START);
  fail_unless_equals_int (panics, 3);
  fail_if (GST_CLOCK_TIME_IS_VALID (delay));
  fail_unless (g_error_matches (perr, GST_LADDER_ERROR,
          GST_LADDER_ERROR_FAILED));
  fail_unless (strstr (perr->message, "injected") != NULL);
  fail_unless_equals_string (gst_structure_get_string
      (gst_message_get_structure (msg), "next"), "degraded");
  g_clear_error (&perr);
  gst_message_unref (msg);

  s = ctx_stats (ctx, "failing", "480p", "video");
  fail_unless_equals_int (stat (s, "panics"), 3);
  fail_unless_equals_int (stat (s, "restarts"), 2);
  fail_unless_equals_int (stat (s, "fragments-in"), 0);
  fail_unless (gst_structure_get_enum (s, "state",
          GST_TYPE_LADDER_RUNG_STATE, (gint *) & state));
  fail_unless_equals_int (state, GST_LADDER_RUNG_STATE_DEGRADED);
  gst_structure_free (s);

  /* a running key cannot be restarted, a degraded one can */
  key = gst_ladder_rung_key_new ("plain", "480p", "live", "video");
  fail_if (gst_ladder_runner_restart (ctx->runner, key, &err));
  fail_unless (g_error_matches (err, GST_LADDER_ERROR, GST_LADDER_ERROR_STATE));
  g_clear_error (&err);
  g_free (key);
  key = gst_ladder_rung_key_new ("failing", "480p", "live", "video");
  fail_unless (gst_ladder_runner_restart (ctx->runner, key, &err));
  msg = ctx_wait_message (ctx, GST_LADDER_MESSAGE_PANIC, NULL, NULL);
  fail_unless (gst_ladder_message_parse_panic (msg, NULL, NULL, NULL, NULL,
          NULL, NULL, NULL, &panics, &delay, NULL));
  fail_unless_equals_int (panics, 4);
  fail_unless (GST_CLOCK_TIME_IS_VALID (delay));
  gst_message_unref (msg);
  g_free (key);

  /* the other rung of the rendition was not touched */
  ctx_unblock (ctx);
  s = ctx_stats (ctx, "plain", "480p", "video");
  fail_unless_equals_int (stat (s, "panics"), 0);
  gst_structure_free (s);
  ctx_free (ctx);
  g_free (launch);
}

GST_END_TEST;

GST_START_TEST (test_three_quick_failures_degrade)
{
  gchar *launch = g_strdup_printf (LIVE_SOURCE, -1);
  Ctx *ctx = ctx_new (launch, TRUE, TRUE);
  GstLadderRendition *r = preset ("240p");
  GError *err = NULL;
  GstMessage *msg;
  guint panics = 0, expected = 1;
  GstClockTime delay;
  gboolean degraded = FALSE;
  GstStructure *s;
  GstLadderRungState state;

  fail_unless (gst_ladder_runner_add_rendition (ctx->runner,
          LADDER_TEST_TYPE_BROKEN, r, &err));
  gst_ladder_rendition_free (r);
  g_free (launch);
  g_object_set (ctx->runner, "restart-delay", 5 * GST_MSECOND,
      "max-restart-delay", 15 * GST_MSECOND, NULL);
  ctx_install (ctx);
  ctx_play (ctx);
  ctx_wait_outputs (ctx, 1);
  ctx_unblock (ctx);

  /* backoff 5, 10 ms, then degraded */
  while (!degraded) {
    msg = ctx_wait_message (ctx, GST_LADDER_MESSAGE_PANIC, NULL, NULL);
    fail_unless (gst_ladder_message_parse_panic (msg, NULL, NULL, NULL, NULL,
            NULL, NULL, NULL, &panics, &delay, &degraded));
    fail_unless_equals_int (panics, expected);
    if (expected == 1) {
      fail_unless_equals_uint64 (delay, 5 * GST_MSECOND);
    } else if (expected == 2) {
      fail_unless_equals_uint64 (delay, 10 * GST_MSECOND);
    }
    expected++;
    gst_message_unref (msg);
  }
  fail_unless_equals_int (panics, 3);

  s = ctx_stats (ctx, "broken", "240p", "video");
  fail_unless (gst_structure_get_enum (s, "state",
          GST_TYPE_LADDER_RUNG_STATE, (gint *) & state));
  fail_unless_equals_int (state, GST_LADDER_RUNG_STATE_DEGRADED);
  fail_unless_equals_int (stat (s, "panics"), 3);
  gst_structure_free (s);

  ctx_free (ctx);
}

GST_END_TEST;

/* A rung restarted after a fault goes on from where its feed is: it is
 * not handed the cached GOP again, whose start its failed instance had
 * delivered already (the output would go back in time). */
GST_START_TEST (test_restart_repeats_no_frame)
{
  Ctx *ctx = ctx_new ("videotestsrc is-live=true num-buffers=90"
      " ! video/x-raw,format=I420,width=64,height=48,framerate=30/1"
      " ! x264enc tune=zerolatency key-int-max=30 speed-preset=ultrafast"
      " ! h264parse ! ladderbroadcaster name=src broadcast=live track=video"
      " src. ! fakesink name=direct sync=false", TRUE, TRUE);
  GstLadderRendition *r = preset ("720p");
  GError *err = NULL;
  GstMessage *msg;
  guint i;

  ladder_test_faulty_once_reset ();
  fail_unless (gst_ladder_runner_add_rendition (ctx->runner,
          LADDER_TEST_TYPE_FAULTY_ONCE, r, &err));
  gst_ladder_rendition_free (r);
  ctx_install (ctx);
  ctx_play (ctx);
  ctx_wait_outputs (ctx, 1);
  ctx_unblock (ctx);

  /* the first instance fails on its 5th buffer, within the first GOP */
  msg = ctx_wait_message (ctx, GST_LADDER_MESSAGE_PANIC, NULL, NULL);
  gst_message_unref (msg);
  ladder_test_wait_eos (ctx->pipeline, 20 * GST_SECOND, "the restarted rung");
  fail_unless_equals_int (ladder_test_faulty_once_starts (), 2);

  g_mutex_lock (&ctx->lock);
  for (i = 0; i < ctx->sinks->len; i++) {
    OutSink *os = g_ptr_array_index (ctx->sinks, i);

    fail_unless (os->buffers > 30, "%s: only %u frames", os->name, os->buffers);
    fail_unless (os->repeated == 0, "%s: %u of %u frames went back in time",
        os->name, os->repeated, os->buffers);
  }
  g_mutex_unlock (&ctx->lock);
  ctx_free (ctx);
}

GST_END_TEST;

/* The output of @rendition got EOS, and nothing else ended it */
static void
ctx_check_output_eos (Ctx * ctx, const gchar * name)
{
  gboolean found = FALSE;
  guint i;

  g_mutex_lock (&ctx->lock);
  for (i = 0; i < ctx->sinks->len; i++) {
    OutSink *os = g_ptr_array_index (ctx->sinks, i);

    if (g_str_equal (os->name, name)) {
      fail_unless (os->eos, "%s got no EOS", name);
      found = TRUE;
    }
  }
  g_mutex_unlock (&ctx->lock);
  fail_unless (found, "no output %s", name);
}

static OutSink *find_sink_unlocked (GPtrArray * list, const gchar * name);

/* Plays @ctx with a 240p rendition that fails at every start and a
 * plain 480p one, restarts @delay to @max_delay apart, until both
 * outputs are there. */
static void
ctx_play_failing_240p (Ctx * ctx, GstClockTime delay, GstClockTime max_delay)
{
  GstLadderRendition *r240 = preset ("240p"), *r480 = preset ("480p");
  GError *err = NULL;

  fail_unless (gst_ladder_runner_add_rendition (ctx->runner,
          LADDER_TEST_TYPE_FAILING, r240, &err));
  fail_unless (gst_ladder_runner_add_rendition (ctx->runner,
          LADDER_TEST_TYPE_PLAIN, r480, &err));
  gst_ladder_rendition_free (r240);
  gst_ladder_rendition_free (r480);
  g_object_set (ctx->runner, "restart-delay", delay,
      "max-restart-delay", max_delay, NULL);
  ctx_install (ctx);
  ctx_play (ctx);
  ctx_wait_outputs (ctx, 2);
}

/* ctx_play_failing_240p () with restarts 5 to 15 ms apart, until the 240p
 * key is degraded (three quick failures). */
static void
ctx_play_until_240p_degraded (Ctx * ctx)
{
  GstMessage *msg;

  ctx_play_failing_240p (ctx, 5 * GST_MSECOND, 15 * GST_MSECOND);
  msg = ctx_wait_message (ctx, GST_LADDER_MESSAGE_PANIC, is_degraded_panic,
      NULL);
  gst_message_unref (msg);
}

/* TRUE once the sink of the output @name took EOS */
static gboolean
ctx_output_eos (Ctx * ctx, const gchar * name)
{
  OutSink *os;
  gboolean eos;

  g_mutex_lock (&ctx->lock);
  os = find_sink_unlocked (ctx->sinks, name);
  fail_unless (os != NULL, "no output %s", name);
  eos = os->eos;
  g_mutex_unlock (&ctx->lock);
  return eos;
}

/* The liveness rule: a degraded key never holds back the end. Live, it
 * waits for restart() while its feed goes on; once its feed ends, its
 * output ends too, and the pipeline reaches EOS. */
GST_START_TEST (test_degraded_key_ends_with_its_feed)
{
  gchar *launch = g_strdup_printf (LIVE_SOURCE, 30);
  Ctx *ctx = ctx_new (launch, TRUE, TRUE);
  GstStructure *s;
  GstLadderRungState state;

  ctx_play_until_240p_degraded (ctx);

  /* live, it stays degraded (restart() may bring it back) while its feed
   * goes on: the stats call runs after what the runner had to do */
  s = ctx_stats (ctx, "failing", "240p", "video");
  fail_unless (gst_structure_get_enum (s, "state",
          GST_TYPE_LADDER_RUNG_STATE, (gint *) & state));
  fail_unless_equals_int (state, GST_LADDER_RUNG_STATE_DEGRADED);
  gst_structure_free (s);
  fail_if (ctx_output_eos (ctx, "video_240p"),
      "a live degraded rung ended before its feed");

  /* the source plays to its end */
  ctx_unblock (ctx);
  ladder_test_wait_eos (ctx->pipeline, 5 * GST_SECOND,
      "the output of a degraded rung held back the end");
  ctx_check_output_eos (ctx, "video_240p");
  ctx_check_output_eos (ctx, "video_480p");

  s = ctx_stats (ctx, "failing", "240p", "video");
  fail_unless (gst_structure_get_enum (s, "state",
          GST_TYPE_LADDER_RUNG_STATE, (gint *) & state));
  fail_unless_equals_int (state, GST_LADDER_RUNG_STATE_STOPPED);
  gst_structure_free (s);
  ctx_free (ctx);
  g_free (launch);
}

GST_END_TEST;

/* Offline, a degraded key ends at once, its feed still held: every
 * downstream waits for every stream there (a sink's preroll, a muxer), and
 * the feed may never end while one of them waits. */
GST_START_TEST (test_offline_degraded_key_ends_at_once)
{
  Ctx *ctx = ctx_new (VIDEO_SOURCE_DIRECT, TRUE, TRUE);
  GError *err = NULL;
  GstStructure *s;
  GstLadderRungState state;
  gchar *key;

  ctx_play_until_240p_degraded (ctx);

  /* the source is still held: the output ended without its feed */
  g_mutex_lock (&ctx->lock);
  LADDER_TEST_COND_WAIT (&ctx->cond, &ctx->lock, 5 * GST_SECOND,
      find_sink_unlocked (ctx->sinks, "video_240p")->eos,
      "the output of a degraded rung did not end while its feed was held");
  g_mutex_unlock (&ctx->lock);
  fail_if (ctx_output_eos (ctx, "video_480p"));

  s = ctx_stats (ctx, "failing", "240p", "video");
  fail_unless (gst_structure_get_enum (s, "state",
          GST_TYPE_LADDER_RUNG_STATE, (gint *) & state));
  fail_unless_equals_int (state, GST_LADDER_RUNG_STATE_STOPPED);
  gst_structure_free (s);

  /* it ended: there is nothing to restart */
  key = gst_ladder_rung_key_new ("failing", "240p", "live", "video");
  fail_if (gst_ladder_runner_restart (ctx->runner, key, &err));
  fail_unless (g_error_matches (err, GST_LADDER_ERROR, GST_LADDER_ERROR_STATE));
  g_clear_error (&err);
  g_free (key);

  /* the rest plays to its end */
  ctx_unblock (ctx);
  ladder_test_wait_eos (ctx->pipeline, 5 * GST_SECOND,
      "the ladder did not end after a degraded rung ended");
  ctx_check_output_eos (ctx, "video_480p");
  ctx_free (ctx);
}

GST_END_TEST;

/* A key waiting for its restart when its feed ends is not restarted: its
 * output ends at once, not after the restart delay. */
GST_START_TEST (test_restarting_key_ends_with_its_feed)
{
  Ctx *ctx = ctx_new (VIDEO_SOURCE_DIRECT, TRUE, TRUE);
  GstMessage *msg;
  guint panics = 0;

  ctx_play_failing_240p (ctx, 60 * GST_SECOND, 60 * GST_SECOND);
  msg = ctx_wait_message (ctx, GST_LADDER_MESSAGE_PANIC, NULL, NULL);
  fail_unless (gst_ladder_message_parse_panic (msg, NULL, NULL, NULL, NULL,
          NULL, NULL, NULL, &panics, NULL, NULL));
  fail_unless_equals_int (panics, 1);
  gst_message_unref (msg);

  ctx_unblock (ctx);
  ladder_test_wait_eos (ctx->pipeline, 5 * GST_SECOND,
      "a rung waiting 60 s for its restart held back the end");
  ctx_check_output_eos (ctx, "video_240p");
  ctx_free (ctx);
}

GST_END_TEST;

GST_START_TEST (test_empty_runner_spawns_nothing)
{
  Ctx *ctx = ctx_new (VIDEO_SOURCE_DIRECT, TRUE, FALSE);
  GPtrArray *list;

  ctx_install (ctx);
  ctx_play (ctx);
  ctx_wait_eos (ctx);
  fail_unless_equals_int (n_keys (ctx), 0);
  fail_unless_equals_int (ctx->outputs_added, 0);
  list = gst_ladder_runner_list_renditions (ctx->runner);
  fail_unless_equals_int (list->len, 0);
  g_ptr_array_unref (list);
  fail_unless_equals_int (ctx->direct_buffers, N_BUFFERS);
  ctx_free (ctx);
}

GST_END_TEST;

static gboolean
stats_show_fragments (GstMessage * msg, gpointer data)
{
  const gchar *rendition = data;
  GPtrArray *rungs = NULL;
  gboolean found = FALSE;
  guint i;

  gst_ladder_message_parse_stats (msg, &rungs);
  for (i = 0; i < rungs->len; i++) {
    GstStructure *s = g_ptr_array_index (rungs, i);
    guint64 out = 0;

    gst_structure_get_uint64 (s, "fragments-out", &out);
    if (g_strcmp0 (gst_structure_get_string (s, "rendition"), rendition) == 0
        && out > 0)
      found = TRUE;
  }
  g_ptr_array_unref (rungs);
  return found;
}


GST_START_TEST (test_added_rendition_starts_on_live_source)
{
  gchar *launch = g_strdup_printf (LIVE_SOURCE, -1);
  Ctx *ctx = ctx_new (launch, TRUE, FALSE);
  GstLadderRendition *r = preset ("360p");
  GError *err = NULL;
  GstMessage *msg;
  GstLadderRendition *added = NULL;
  gchar *transcoder = NULL;
  guint rungs = 0;

  g_free (launch);
  fail_unless (gst_ladder_runner_add_rendition (ctx->runner,
          LADDER_TEST_TYPE_OTHER, r, &err));
  ctx_install (ctx);
  ctx_play (ctx);
  /* the source is live and known to the runner once the first output is */
  ctx_wait_outputs (ctx, 1);

  fail_unless (gst_ladder_runner_add_rendition (ctx->runner,
          LADDER_TEST_TYPE_PLAIN, r, &err));
  msg = ctx_wait_message (ctx, GST_LADDER_MESSAGE_RENDITION_ADDED, NULL, NULL);
  fail_unless (gst_ladder_message_parse_rendition_added (msg, &added,
          &transcoder, &rungs));
  fail_unless_equals_string (transcoder, "plain");
  fail_unless_equals_int (rungs, 1);
  fail_unless (added != NULL);
  fail_unless_equals_string (added->name, "360p");
  fail_unless_equals_int (added->height, r->height);
  fail_unless (GST_MESSAGE_SRC (msg) == GST_OBJECT (ctx->pipeline));
  gst_ladder_rendition_free (added);
  g_free (transcoder);
  gst_message_unref (msg);

  msg = ctx_wait_message (ctx, GST_LADDER_MESSAGE_STATS, stats_show_fragments,
      (gpointer) "360p");
  fail_unless (GST_MESSAGE_SRC (msg) == GST_OBJECT (ctx->pipeline));
  gst_message_unref (msg);
  gst_ladder_rendition_free (r);
  ctx_free (ctx);
}

GST_END_TEST;

GST_START_TEST (test_duplicates_refused)
{
  GstLadderRunner *runner = gst_ladder_runner_new ();
  GstLadderRendition *r720 = preset ("720p"), *r480 = preset ("480p");
  GstLadderRendition *bad;
  GPtrArray *list, *ladder;
  GError *err = NULL;

  fail_unless (gst_ladder_runner_add_rendition (runner,
          LADDER_TEST_TYPE_PLAIN, r720, &err));
  fail_if (gst_ladder_runner_add_rendition (runner, LADDER_TEST_TYPE_PLAIN,
          r720, &err));
  fail_unless (g_error_matches (err, GST_LADDER_ERROR,
          GST_LADDER_ERROR_DUPLICATE));
  g_clear_error (&err);
  /* a distinct name, or the same name with another factory, is fine */
  fail_unless (gst_ladder_runner_add_rendition (runner,
          LADDER_TEST_TYPE_PLAIN, r480, &err));
  fail_unless (gst_ladder_runner_add_rendition (runner,
          LADDER_TEST_TYPE_OTHER, r720, &err));

  /* a ladder with one duplicate adds nothing */
  ladder = g_ptr_array_new ();
  g_ptr_array_add (ladder, preset ("240p"));
  g_ptr_array_add (ladder, r480);
  fail_if (gst_ladder_runner_add_ladder (runner, LADDER_TEST_TYPE_PLAIN,
          ladder, &err));
  fail_unless (g_error_matches (err, GST_LADDER_ERROR,
          GST_LADDER_ERROR_DUPLICATE));
  g_clear_error (&err);
  gst_ladder_rendition_free (g_ptr_array_index (ladder, 0));
  g_ptr_array_unref (ladder);

  /* invalid renditions and types */
  bad = gst_ladder_rendition_copy (r720);
  bad->width = 3;
  fail_if (gst_ladder_runner_add_rendition (runner, LADDER_TEST_TYPE_PLAIN,
          bad, &err));
  fail_unless (err != NULL && err->domain == GST_LADDER_ERROR);
  g_clear_error (&err);
  gst_ladder_rendition_free (bad);
  fail_if (gst_ladder_runner_add_rendition (runner, GST_TYPE_BIN, r720, &err));
  fail_unless (err != NULL && err->domain == GST_LADDER_ERROR);
  g_clear_error (&err);
  fail_if (gst_ladder_runner_add_rendition (runner,
          GST_TYPE_LADDER_TRANSCODER, r720, &err));
  fail_unless (err != NULL && err->domain == GST_LADDER_ERROR);
  g_clear_error (&err);
  fail_if (gst_ladder_runner_add_rendition (runner, LADDER_TEST_TYPE_PLAIN,
          NULL, &err));
  fail_unless (g_error_matches (err, GST_LADDER_ERROR,
          GST_LADDER_ERROR_INVALID_RENDITION));
  g_clear_error (&err);

  list = gst_ladder_runner_list_renditions (runner);
  fail_unless_equals_int (list->len, 2);
  fail_unless_equals_string (((GstLadderRendition *)
          g_ptr_array_index (list, 0))->name, "720p");
  fail_unless_equals_string (((GstLadderRendition *)
          g_ptr_array_index (list, 1))->name, "480p");
  g_ptr_array_unref (list);

  gst_ladder_rendition_free (r720);
  gst_ladder_rendition_free (r480);
  gst_object_unref (runner);
}

GST_END_TEST;

GST_START_TEST (test_bad_calls_change_nothing)
{
  GstLadderRunner *runner = gst_ladder_runner_new ();
  GstElement *bin = gst_bin_new (NULL);
  GError *err = NULL;
  GPtrArray *list;
  guint n = 99;

  gst_object_ref_sink (bin);
  /* not installed */
  fail_if (gst_ladder_runner_uninstall (runner, &err));
  fail_unless (g_error_matches (err, GST_LADDER_ERROR, GST_LADDER_ERROR_STATE));
  g_clear_error (&err);
  fail_unless (gst_ladder_runner_get_bin (runner) == NULL);

  fail_unless (gst_ladder_runner_add_transcoder (runner,
          LADDER_TEST_TYPE_PLAIN, &err));
  /* unknown names and keys */
  fail_if (gst_ladder_runner_remove_rendition (runner, "nope", TRUE, &n, &err));
  fail_unless (g_error_matches (err, GST_LADDER_ERROR,
          GST_LADDER_ERROR_NOT_FOUND));
  fail_unless_equals_int (n, 99);
  g_clear_error (&err);
  fail_if (gst_ladder_runner_remove_rendition (runner, NULL, TRUE, NULL, &err));
  g_clear_error (&err);
  fail_unless (gst_ladder_runner_get_stats (runner, "plain:720p:video:live",
          &err) == NULL);
  fail_unless (g_error_matches (err, GST_LADDER_ERROR,
          GST_LADDER_ERROR_NOT_FOUND));
  g_clear_error (&err);
  fail_if (gst_ladder_runner_restart (runner, "x:y:z:w", &err));
  fail_unless (g_error_matches (err, GST_LADDER_ERROR,
          GST_LADDER_ERROR_NOT_FOUND));
  g_clear_error (&err);
  /* a bad ladder string gives nothing to add */
  fail_unless (gst_ladder_parse_ladder ("720p,,bogus!", &err) == NULL);
  fail_unless (err != NULL && err->domain == GST_LADDER_ERROR);
  g_clear_error (&err);

  list = gst_ladder_runner_list_renditions (runner);
  fail_unless_equals_int (list->len, 3);
  g_ptr_array_unref (list);

  /* installed twice */
  fail_unless (gst_ladder_runner_install (runner, GST_BIN (bin), &err));
  fail_if (gst_ladder_runner_install (runner, GST_BIN (bin), &err));
  fail_unless (g_error_matches (err, GST_LADDER_ERROR, GST_LADDER_ERROR_STATE));
  g_clear_error (&err);
  fail_if (gst_ladder_runner_install (runner, NULL, &err));
  g_clear_error (&err);
  fail_unless (gst_ladder_runner_uninstall (runner, &err));

  gst_object_unref (runner);
  gst_object_unref (bin);
}

GST_END_TEST;

GST_START_TEST (test_remove_rendition_stops_only_its_rungs)
{
  Ctx *ctx = ctx_new (VIDEO_SOURCE, TRUE, TRUE);
  GError *err = NULL;
  GstMessage *msg;
  guint n = 0, rungs = 0;
  gboolean drained = FALSE;
  gchar *name = NULL;
  GPtrArray *list;
  guint i;

  fail_unless (gst_ladder_runner_add_transcoder (ctx->runner,
          LADDER_TEST_TYPE_PLAIN, &err));
  ctx_install (ctx);
  ctx_play (ctx);
  ctx_wait_outputs (ctx, 3);

  fail_unless (gst_ladder_runner_remove_rendition (ctx->runner, "480p", TRUE,
          &n, &err));
  fail_unless_equals_int (n, 1);
  fail_unless_equals_int (ctx->outputs_removed, 1);
  fail_unless_equals_int (n_keys (ctx), 2);
  msg = ctx_wait_message (ctx, GST_LADDER_MESSAGE_RENDITION_REMOVED, NULL,
      NULL);
  fail_unless (gst_ladder_message_parse_rendition_removed (msg, &name,
          &rungs, &drained));
  fail_unless_equals_string (name, "480p");
  fail_unless_equals_int (rungs, 1);
  fail_unless (drained);
  g_free (name);
  gst_message_unref (msg);

  list = gst_ladder_runner_list_renditions (ctx->runner);
  fail_unless_equals_int (list->len, 2);
  for (i = 0; i < list->len; i++)
    fail_if (g_str_equal (((GstLadderRendition *) g_ptr_array_index (list,
                    i))->name, "480p"));
  g_ptr_array_unref (list);

  ctx_unblock (ctx);
  ctx_wait_eos (ctx);
  fail_unless_equals_int (ctx->sinks->len, 2);
  for (i = 0; i < ctx->sinks->len; i++) {
    OutSink *os = g_ptr_array_index (ctx->sinks, i);
    fail_unless_equals_int (os->buffers, N_BUFFERS);
  }
  ctx_free (ctx);
}

GST_END_TEST;

GST_START_TEST (test_output_not_transcoded)
{
  /* a foreign broadcaster named like a rendition is an output */
  Ctx *ctx = ctx_new (VIDEO_SOURCE " " RAW_VIDEO
      " ! ladderbroadcaster broadcast=live/720p track=video", TRUE, FALSE);
  GstLadderRendition *r = preset ("720p");
  GError *err = NULL;
  GPtrArray *keys;

  fail_unless (gst_ladder_runner_add_rendition (ctx->runner,
          LADDER_TEST_TYPE_PLAIN, r, &err));
  gst_ladder_rendition_free (r);
  ctx_install (ctx);
  ctx_play (ctx);
  ctx_wait_eos (ctx);

  /* the runner's own output live/720p is not transcoded either */
  keys = gst_ladder_runner_list_keys (ctx->runner);
  fail_unless_equals_int (keys->len, 1);
  fail_unless_equals_string (g_ptr_array_index (keys, 0),
      "plain:720p:video:live");
  g_ptr_array_unref (keys);

  /* nor against a rendition added later */
  r = preset ("480p");
  fail_unless (gst_ladder_runner_add_rendition (ctx->runner,
          LADDER_TEST_TYPE_PLAIN, r, &err));
  gst_ladder_rendition_free (r);
  keys = gst_ladder_runner_list_keys (ctx->runner);
  fail_unless_equals_int (keys->len, 2);
  fail_unless_equals_string (g_ptr_array_index (keys, 0),
      "plain:480p:video:live");
  g_ptr_array_unref (keys);
  ctx_free (ctx);
}

GST_END_TEST;

GST_START_TEST (test_two_factories_share_a_rendition)
{
  Ctx *ctx = ctx_new (VIDEO_SOURCE_DIRECT, TRUE, TRUE);
  GstLadderRendition *r = preset ("720p");
  GError *err = NULL;
  guint n = 0;

  fail_unless (gst_ladder_runner_add_rendition (ctx->runner,
          LADDER_TEST_TYPE_PLAIN, r, &err));
  fail_unless (gst_ladder_runner_add_rendition (ctx->runner,
          LADDER_TEST_TYPE_OTHER, r, &err));
  gst_ladder_rendition_free (r);
  ctx_install (ctx);
  ctx_play (ctx);
  ctx_wait_outputs (ctx, 2);
  fail_unless_equals_int (n_keys (ctx), 2);

  fail_unless (gst_ladder_runner_remove_rendition (ctx->runner, "720p", FALSE,
          &n, &err));
  fail_unless_equals_int (n, 2);
  fail_unless_equals_int (n_keys (ctx), 0);
  fail_unless_equals_int (ctx->outputs_removed, 2);
  ctx_unblock (ctx);
  ctx_wait_eos (ctx);
  ctx_free (ctx);
}

GST_END_TEST;

GST_START_TEST (test_rendition_list_follows_edits)
{
  GstLadderRunner *runner = gst_ladder_runner_new ();
  GstLadderRendition *r;
  GError *err = NULL;
  GPtrArray *list;

  fail_unless (gst_ladder_runner_add_transcoder (runner,
          LADDER_TEST_TYPE_PLAIN, &err));
  r = preset ("360p");
  fail_unless (gst_ladder_runner_add_rendition (runner,
          LADDER_TEST_TYPE_OTHER, r, &err));
  gst_ladder_rendition_free (r);
  fail_unless (gst_ladder_runner_remove_rendition (runner, "720p", TRUE,
          NULL, &err));

  list = gst_ladder_runner_list_renditions (runner);
  fail_unless_equals_int (list->len, 3);
  fail_unless_equals_string (((GstLadderRendition *)
          g_ptr_array_index (list, 0))->name, "480p");
  fail_unless_equals_string (((GstLadderRendition *)
          g_ptr_array_index (list, 1))->name, "240p");
  fail_unless_equals_string (((GstLadderRendition *)
          g_ptr_array_index (list, 2))->name, "360p");
  g_ptr_array_unref (list);
  gst_object_unref (runner);
}

GST_END_TEST;

GST_START_TEST (test_source_consumer_sees_every_buffer)
{
  Ctx *ctx = ctx_new (VIDEO_SOURCE_DIRECT, TRUE, FALSE);
  GError *err = NULL;

  ladder_test_faulty_once_reset ();
  fail_unless (gst_ladder_runner_add_transcoder (ctx->runner,
          LADDER_TEST_TYPE_FAULTY_ONCE, &err));
  ctx_install (ctx);
  ctx_play (ctx);
  ctx_wait_eos (ctx);
  fail_unless_equals_int (ctx->direct_buffers, N_BUFFERS);
  ctx_free (ctx);
}

GST_END_TEST;

typedef struct
{
  Ctx *ctx;
  guint seen;
  guint at;
  gboolean reached;
} Trigger;

static GstPadProbeReturn
trigger_probe (GstPad * pad, GstPadProbeInfo * info, gpointer user_data)
{
  Trigger *t = user_data;

  g_mutex_lock (&t->ctx->lock);
  if (++t->seen == t->at) {
    t->reached = TRUE;
    g_cond_broadcast (&t->ctx->cond);
  }
  g_mutex_unlock (&t->ctx->lock);
  return GST_PAD_PROBE_OK;
}

GST_START_TEST (test_edit_while_playing_keeps_others_continuous)
{
  gchar *launch = g_strdup_printf (LIVE_SOURCE, 45);
  Ctx *ctx = ctx_new (launch, TRUE, TRUE);
  GstLadderRendition *r360 = preset ("360p");
  GError *err = NULL;
  Trigger t = { ctx, 0, 10, FALSE };
  GstPad *pad;
  guint i, n = 0;

  g_free (launch);
  fail_unless (gst_ladder_runner_add_transcoder (ctx->runner,
          LADDER_TEST_TYPE_PLAIN, &err));
  ctx_install (ctx);
  pad = gst_element_get_static_pad (ctx->source, "sink");
  gst_pad_add_probe (pad, GST_PAD_PROBE_TYPE_BUFFER, trigger_probe, &t, NULL);
  gst_object_unref (pad);
  ctx_play (ctx);
  ctx_wait_outputs (ctx, 3);
  ctx_unblock (ctx);

  g_mutex_lock (&ctx->lock);
  LADDER_TEST_COND_WAIT (&ctx->cond, &ctx->lock, LADDER_TEST_WAIT, t.reached,
      "the source saw %u of %u buffers", t.seen, t.at);
  g_mutex_unlock (&ctx->lock);

  /* while playing: one added, one drained away, one aborted away */
  fail_unless (gst_ladder_runner_add_rendition (ctx->runner,
          LADDER_TEST_TYPE_PLAIN, r360, &err));
  fail_unless (gst_ladder_runner_remove_rendition (ctx->runner, "480p", TRUE,
          &n, &err));
  fail_unless_equals_int (n, 1);
  fail_unless (gst_ladder_runner_remove_rendition (ctx->runner, "240p", FALSE,
          &n, &err));
  fail_unless_equals_int (n, 1);
  gst_ladder_rendition_free (r360);

  ctx_wait_eos (ctx);
  fail_unless_equals_int (ctx->sinks->len, 2);
  for (i = 0; i < ctx->sinks->len; i++) {
    OutSink *os = g_ptr_array_index (ctx->sinks, i);
    if (g_str_equal (os->name, "video_720p")) {
      fail_unless_equals_int (os->buffers, 45);
      fail_unless (os->continuous);
    } else {
      fail_unless_equals_string (os->name, "video_360p");
      fail_unless (os->buffers > 0);
    }
  }
  ctx_free (ctx);
}

GST_END_TEST;

/* ----- drained removal: nothing lost ----- */

#define GATE 20

/* Lets the first @at buffers into the source broadcaster, then holds the
 * source's streaming thread until gate_open(): the source is neither
 * ended nor running. */
typedef struct
{
  Ctx *ctx;
  guint passed;
  guint at;
  gboolean open;
  GstPad *pad;
  gulong id;
} Gate;

static GstPadProbeReturn
gate_probe (GstPad * pad, GstPadProbeInfo * info, gpointer user_data)
{
  Gate *g = user_data;

  g_mutex_lock (&g->ctx->lock);
  while (!g->open && g->passed >= g->at)
    g_cond_wait (&g->ctx->cond, &g->ctx->lock);
  g->passed++;
  g_mutex_unlock (&g->ctx->lock);
  return GST_PAD_PROBE_OK;
}

static void
gate_close (Gate * g, Ctx * ctx, guint at)
{
  g->ctx = ctx;
  g->at = at;
  g->passed = 0;
  g->open = FALSE;
  g->pad = gst_element_get_static_pad (ctx->source, "sink");
  g->id = gst_pad_add_probe (g->pad, GST_PAD_PROBE_TYPE_BUFFER, gate_probe,
      g, NULL);
}

static void
gate_open (Gate * g)
{
  g_mutex_lock (&g->ctx->lock);
  g->open = TRUE;
  g_cond_broadcast (&g->ctx->cond);
  g_mutex_unlock (&g->ctx->lock);
  gst_pad_remove_probe (g->pad, g->id);
  gst_object_unref (g->pad);
}

static OutSink *
find_sink_unlocked (GPtrArray * list, const gchar * name)
{
  guint i;

  for (i = 0; i < list->len; i++) {
    OutSink *os = g_ptr_array_index (list, i);
    if (g_str_equal (os->name, name))
      return os;
  }
  return NULL;
}

/* Waits until the rung of @name pushed @n buffers out. */
static OutSink *
ctx_wait_rung_buffers (Ctx * ctx, const gchar * name, guint n)
{
  OutSink *os;

  g_mutex_lock (&ctx->lock);
  os = find_sink_unlocked (ctx->sinks, name);
  fail_unless (os != NULL, "no sink %s", name);
  LADDER_TEST_COND_WAIT (&ctx->cond, &ctx->lock, LADDER_TEST_WAIT,
      os->rung_buffers >= n, "the rung of %s pushed %u of %u buffers", name,
      os->rung_buffers, n);
  g_mutex_unlock (&ctx->lock);
  return os;
}

static void
ctx_unstick (Ctx * ctx, OutSink * os)
{
  g_mutex_lock (&ctx->lock);
  if (os->stuck_id)
    gst_pad_remove_probe (os->stuck_pad, os->stuck_id);
  os->stuck_id = 0;
  g_mutex_unlock (&ctx->lock);
}

typedef struct
{
  GstLadderRunner *runner;
  const gchar *name;
  gboolean drain;
  guint n;
  gboolean ok;
  gint64 took;                  /* µs */
} Removal;

static gpointer
removal_func (gpointer data)
{
  Removal *rm = data;
  gint64 start = g_get_monotonic_time ();

  rm->ok = gst_ladder_runner_remove_rendition (rm->runner, rm->name,
      rm->drain, &rm->n, NULL);
  rm->took = g_get_monotonic_time () - start;
  return NULL;
}

GST_START_TEST (test_drained_removal_loses_nothing)
{
  Ctx *ctx = ctx_new (RAW_VIDEO_LONG
      " ! ladderbroadcaster name=src broadcast=live track=video", TRUE, TRUE);
  Removal rm = { ctx->runner, "480p", TRUE, 0, FALSE, 0 };
  GError *err = NULL;
  GThread *thread;
  GstMessage *msg;
  OutSink *os;
  gboolean drained = FALSE;
  Gate gate;
  guint i;

  ctx->stuck = "480p";
  fail_unless (gst_ladder_runner_add_transcoder (ctx->runner,
          LADDER_TEST_TYPE_PLAIN, &err));
  ctx_install (ctx);
  gate_close (&gate, ctx, GATE);
  ctx_play (ctx);
  ctx_wait_outputs (ctx, 3);
  ctx_unblock (ctx);

  /* the 480p rung made GATE frames; its downstream took at most one: the
   * rest waits in the output's queue */
  os = ctx_wait_rung_buffers (ctx, "video_480p", GATE);

  /* drained while its downstream is still stuck */
  thread = g_thread_new ("remove", removal_func, &rm);
  g_mutex_lock (&ctx->lock);
  LADDER_TEST_COND_WAIT (&ctx->cond, &ctx->lock, LADDER_TEST_WAIT,
      os->output_eos, "no EOS into the output");
  fail_unless (os->buffers < GATE);
  fail_if (os->eos);
  fail_unless_equals_int (ctx->outputs_removed, 0);
  g_mutex_unlock (&ctx->lock);

  /* downstream resumes: every frame, then the EOS, then output-removed */
  ctx_unstick (ctx, os);
  g_thread_join (thread);
  fail_unless (rm.ok);
  fail_unless_equals_int (rm.n, 1);
  fail_unless_equals_int (ctx->outputs_removed, 1);
  fail_unless_equals_int (ctx->removed->len, 1);
  fail_unless (g_ptr_array_index (ctx->removed, 0) == os);
  fail_unless_equals_int (os->rung_buffers, GATE);
  fail_unless_equals_int (os->buffers, GATE);
  fail_unless (os->continuous);
  fail_unless (os->eos_when_removed, "output-removed before the EOS came");
  msg = ctx_wait_message (ctx, GST_LADDER_MESSAGE_RENDITION_REMOVED, NULL,
      NULL);
  fail_unless (gst_ladder_message_parse_rendition_removed (msg, NULL, NULL,
          &drained));
  fail_unless (drained);
  gst_message_unref (msg);

  /* the other rungs go on, continuous, to the end */
  gate_open (&gate);
  ctx_wait_eos (ctx);
  fail_unless_equals_int (ctx->sinks->len, 2);
  for (i = 0; i < ctx->sinks->len; i++) {
    OutSink *other = g_ptr_array_index (ctx->sinks, i);
    fail_unless_equals_int (other->buffers, N_BUFFERS_LONG);
    fail_unless_equals_int (other->rung_buffers, N_BUFFERS_LONG);
    fail_unless (other->continuous);
    fail_unless (other->eos);
  }
  ctx_free (ctx);
}

GST_END_TEST;

GST_START_TEST (test_removal_with_stuck_downstream)
{
  Ctx *ctx = ctx_new (RAW_VIDEO_LONG
      " ! ladderbroadcaster name=src broadcast=live track=video", TRUE, TRUE);
  Removal drain = { ctx->runner, "480p", TRUE, 0, FALSE, 0 };
  Removal abort = { ctx->runner, "240p", FALSE, 0, FALSE, 0 };
  GError *err = NULL;
  GThread *thread;
  OutSink *os480, *os240;
  Gate gate;

  /* every downstream stuck, outputs that hold 4 buffers: the rungs block
   * pushing into their full outputs */
  ctx->stuck = "480p";
  ctx->max_queue_buffers = 4;
  fail_unless (gst_ladder_runner_add_transcoder (ctx->runner,
          LADDER_TEST_TYPE_PLAIN, &err));
  ctx_install (ctx);
  gate_close (&gate, ctx, GATE);
  ctx_play (ctx);
  ctx_wait_outputs (ctx, 3);
  g_mutex_lock (&ctx->lock);
  os240 = find_sink_unlocked (ctx->sinks, "video_240p");
  os240->stuck_pad = gst_element_get_static_pad (os240->sink, "sink");
  os240->stuck_id = gst_pad_add_probe (os240->stuck_pad,
      GST_PAD_PROBE_TYPE_BLOCK | GST_PAD_PROBE_TYPE_BUFFER, stuck_probe, NULL,
      NULL);
  g_mutex_unlock (&ctx->lock);
  ctx_unblock (ctx);
  /* one buffer in the stuck sink, 4 queued, the 6th pushed by a blocked
   * rung */
  os480 = ctx_wait_rung_buffers (ctx, "video_480p", 6);
  ctx_wait_rung_buffers (ctx, "video_240p", 6);

  /* aborted: at once, the blocked rung released */
  thread = g_thread_new ("remove", removal_func, &abort);
  g_thread_join (thread);
  fail_unless (abort.ok);
  fail_unless_equals_int (abort.n, 1);
  fail_unless (abort.took < GST_LADDER_RUNNER_DRAIN_TIMEOUT / GST_USECOND,
      "an abort took %" G_GINT64_FORMAT " µs", abort.took);

  /* drained: the rung cannot drain, the drain times out, then it is
   * removed as an abort is */
  thread = g_thread_new ("remove", removal_func, &drain);
  g_thread_join (thread);
  fail_unless (drain.ok);
  fail_unless_equals_int (drain.n, 1);
  fail_unless (drain.took >= GST_LADDER_RUNNER_DRAIN_TIMEOUT / GST_USECOND,
      "a stuck drain returned after %" G_GINT64_FORMAT " µs", drain.took);
  fail_unless_equals_int (ctx->outputs_removed, 2);
  fail_if (os480->eos_when_removed);
  fail_unless_equals_int (n_keys (ctx), 1);

  gate_open (&gate);
  ctx_wait_eos (ctx);
  fail_unless_equals_int (ctx->sinks->len, 1);
  fail_unless_equals_int (((OutSink *) g_ptr_array_index (ctx->sinks,
              0))->buffers, N_BUFFERS_LONG);
  ctx_free (ctx);
}

GST_END_TEST;

typedef struct
{
  GstLadderRunner *runner;
  gint index;
  gboolean ok;
} Worker;

static gpointer
worker_func (gpointer data)
{
  Worker *w = data;
  gchar *name = g_strdup_printf ("w%d", w->index);
  GstLadderRendition *r;
  GError *err = NULL;
  guint i, n = 0;

  w->ok = TRUE;
  for (i = 0; i < 5; i++) {
    GPtrArray *list;
    r = gst_ladder_rendition_new (name, 320, 180, 300, 0, &err);
    w->ok &= r != NULL;
    w->ok &= gst_ladder_runner_add_rendition (w->runner,
        LADDER_TEST_TYPE_PLAIN, r, &err);
    gst_ladder_rendition_free (r);
    list = gst_ladder_runner_get_all_stats (w->runner);
    g_ptr_array_unref (list);
    list = gst_ladder_runner_list_keys (w->runner);
    g_ptr_array_unref (list);
    w->ok &= gst_ladder_runner_remove_rendition (w->runner, name, i % 2,
        &n, &err);
    w->ok &= n == 1;
  }
  g_clear_error (&err);
  g_free (name);
  return NULL;
}

GST_START_TEST (test_calls_from_other_threads)
{
  gchar *launch = g_strdup_printf (LIVE_SOURCE, -1);
  Ctx *ctx = ctx_new (launch, TRUE, FALSE);
  GstLadderRendition *r = preset ("720p");
  GError *err = NULL;
  Worker w[3];
  GThread *threads[3];
  gint i;

  g_free (launch);
  fail_unless (gst_ladder_runner_add_rendition (ctx->runner,
          LADDER_TEST_TYPE_PLAIN, r, &err));
  gst_ladder_rendition_free (r);
  ctx_install (ctx);
  ctx_play (ctx);
  ctx_wait_outputs (ctx, 1);

  for (i = 0; i < 3; i++) {
    w[i].runner = ctx->runner;
    w[i].index = i;
    threads[i] = g_thread_new ("worker", worker_func, &w[i]);
  }
  for (i = 0; i < 3; i++) {
    g_thread_join (threads[i]);
    fail_unless (w[i].ok, "worker %d failed", i);
  }
  fail_unless_equals_int (n_keys (ctx), 1);
  fail_unless_equals_int (ctx->outputs_added, 16);
  fail_unless_equals_int (ctx->outputs_removed, 15);
  ctx_free (ctx);
}

GST_END_TEST;

static gboolean
stats_complete (GstMessage * msg, gpointer data)
{
  GPtrArray *rungs = NULL;
  gboolean ok = FALSE;

  gst_ladder_message_parse_stats (msg, &rungs);
  if (rungs->len == 1) {
    GstStructure *s = g_ptr_array_index (rungs, 0);
    guint64 out = 0;
    gdouble fps = 0;
    gst_structure_get_uint64 (s, "fragments-out", &out);
    gst_structure_get_double (s, "fps", &fps);
    ok = out > 0 && fps > 0;
  }
  g_ptr_array_unref (rungs);
  return ok;
}

GST_START_TEST (test_stats_message_fields)
{
  gchar *launch = g_strdup_printf (LIVE_SOURCE, -1);
  Ctx *ctx = ctx_new (launch, TRUE, FALSE);
  GstLadderRendition *r = preset ("240p");
  GError *err = NULL;
  GstMessage *msg;
  GPtrArray *rungs = NULL;
  GstStructure *s;
  GstLadderRungState state;
  gdouble bitrate = 0, fps = 0;
  guint count = 0;

  g_free (launch);
  fail_unless (gst_ladder_runner_add_rendition (ctx->runner,
          LADDER_TEST_TYPE_PLAIN, r, &err));
  gst_ladder_rendition_free (r);
  ctx_install (ctx);
  ctx_play (ctx);

  msg = ctx_wait_message (ctx, GST_LADDER_MESSAGE_STATS, stats_complete, NULL);
  fail_unless (gst_structure_get_uint (gst_message_get_structure (msg),
          "count", &count));
  fail_unless_equals_int (count, 1);
  fail_unless (gst_ladder_message_parse_stats (msg, &rungs));
  s = g_ptr_array_index (rungs, 0);
  fail_unless (gst_structure_has_name (s, GST_LADDER_RUNG_STATS_NAME));
  fail_unless_equals_string (gst_structure_get_string (s, "transcoder"),
      "plain");
  fail_unless_equals_string (gst_structure_get_string (s, "rendition"), "240p");
  fail_unless_equals_string (gst_structure_get_string (s, "broadcast"), "live");
  fail_unless_equals_string (gst_structure_get_string (s, "track"), "video");
  fail_unless_equals_string (gst_structure_get_string (s, "key"),
      "plain:240p:video:live");
  fail_unless (gst_structure_get_enum (s, "state",
          GST_TYPE_LADDER_RUNG_STATE, (gint *) & state));
  fail_unless_equals_int (state, GST_LADDER_RUNG_STATE_RUNNING);
  fail_unless (stat (s, "fragments-in") >= stat (s, "fragments-out"));
  fail_unless (stat (s, "bytes-out") > 0);
  fail_unless_equals_int (stat (s, "drops"), 0);
  fail_unless_equals_int (stat (s, "panics"), 0);
  fail_unless_equals_int (stat (s, "restarts"), 0);
  fail_unless (gst_structure_get_double (s, "bitrate", &bitrate));
  fail_unless (gst_structure_get_double (s, "fps", &fps));
  fail_unless (bitrate > 0);
  fail_unless (fps > 0 && fps < 100, "fps %f", fps);
  g_ptr_array_unref (rungs);
  gst_message_unref (msg);

  /* stats-interval = 0 stops them */
  g_object_set (ctx->runner, "stats-interval", G_GUINT64_CONSTANT (0), NULL);
  ctx_free (ctx);
}

GST_END_TEST;

static guint
count_video_decoders (GstBin * bin)
{
  GstIterator *it = gst_bin_iterate_recurse (bin);
  GValue item = G_VALUE_INIT;
  guint n = 0;

  while (gst_iterator_next (it, &item) == GST_ITERATOR_OK) {
    GstElement *e = g_value_get_object (&item);
    GstElementFactory *f = gst_element_get_factory (e);
    const gchar *klass = f ? gst_element_factory_get_metadata (f,
        GST_ELEMENT_METADATA_KLASS) : NULL;

    /* the decoders themselves, not the bins around them (ladderdecode) */
    if (klass && strstr (klass, "Codec/Decoder") && !GST_IS_BIN (e))
      n++;
    g_value_reset (&item);
  }
  g_value_unset (&item);
  gst_iterator_free (it);
  return n;
}

/* The broadcasters in the pipeline that hold back a non-live source at
 * one queued buffer: the runner's raw feeds (a shared decode, resize
 * steps) */
static guint
count_raw_feed_broadcasters (Ctx * ctx)
{
  GstIterator *it = gst_bin_iterate_recurse (GST_BIN (ctx->pipeline));
  GValue item = G_VALUE_INIT;
  guint n = 0, block;

  while (gst_iterator_next (it, &item) == GST_ITERATOR_OK) {
    GstElement *e = g_value_get_object (&item);

    if (GST_IS_LADDER_BROADCASTER (e)) {
      g_object_get (e, "block-queue-buffers", &block, NULL);
      n += block == 1;
    }
    g_value_reset (&item);
  }
  g_value_unset (&item);
  gst_iterator_free (it);
  return n;
}

/* libav (avdec_*, avenc_*) pulls in libhwy, whose start-up code uses an
 * instruction (RDTSCP) valgrind cannot run */
static gboolean
under_valgrind (void)
{
  const gchar *preload = g_getenv ("LD_PRELOAD");

  return preload && strstr (preload, "vgpreload") != NULL;
}

static gboolean
have_element (const gchar * name)
{
  return gst_registry_check_feature_version (gst_registry_get (), name, 1, 0,
      0);
}

static void
check_decode_once (GType type, const gchar * encoder, const gchar * name)
{
  gchar *launch = g_strdup_printf ("videotestsrc is-live=true num-buffers=-1"
      " ! video/x-raw,format=I420,width=320,height=240,framerate=30/1"
      " ! %s ! ladderbroadcaster name=src broadcast=live track=video",
      encoder);
  Ctx *ctx = ctx_new (launch, TRUE, FALSE);
  GError *err = NULL;
  GstMessage *msg;
  GPtrArray *keys;
  GstLadderRendition *r;
  const gchar *names[] = { "360p", "240p", "120p" };
  const gint heights[] = { 360, 240, 120 };
  guint i;

  g_free (launch);
  for (i = 0; i < 3; i++) {
    r = gst_ladder_rendition_new (names[i], heights[i] * 4 / 3, heights[i],
        200, 0, &err);
    fail_unless (r != NULL, "%s", err ? err->message : "");
    fail_unless (gst_ladder_runner_add_rendition (ctx->runner, type, r,
            &err), "%s", err ? err->message : "");
    gst_ladder_rendition_free (r);
  }
  ctx_install (ctx);
  ctx_play (ctx);
  for (i = 0; i < 3; i++) {
    msg = ctx_wait_message (ctx, GST_LADDER_MESSAGE_STATS,
        stats_show_fragments, (gpointer) names[i]);
    gst_message_unref (msg);
  }

  fail_unless_equals_int (count_video_decoders (GST_BIN (ctx->pipeline)), 1);
  keys = gst_ladder_runner_list_keys (ctx->runner);
  /* three rungs and the shared decode; for x264, which scales, the resize
   * step of the one rendition smaller than the 320x240 source (360p and
   * 240p make the source's size) */
  fail_unless_equals_int (keys->len, type == GST_TYPE_LADDER_X264 ? 5 : 4);
  /* the decode's frames and the step's: one waits per branch while a file
   * source is held back */
  fail_unless_equals_int (count_raw_feed_broadcasters (ctx),
      type == GST_TYPE_LADDER_X264 ? 2 : 1);
  fail_unless_equals_string (g_ptr_array_index (keys, 0),
      "decode:raw:video:live");
  if (type == GST_TYPE_LADDER_X264)
    fail_unless_equals_string (g_ptr_array_index (keys, 1),
        "resize:raw-160x120:video:live");
  g_ptr_array_unref (keys);

  /* the decode goes with its last rung */
  for (i = 0; i < 3; i++)
    fail_unless (gst_ladder_runner_remove_rendition (ctx->runner, names[i],
            FALSE, NULL, &err));
  fail_unless_equals_int (n_keys (ctx), 0);
  fail_unless_equals_int (count_video_decoders (GST_BIN (ctx->pipeline)), 0);
  ctx_free (ctx);
  (void) name;
}

static gint
compare_strings (gconstpointer a, gconstpointer b)
{
  return g_strcmp0 (*(const gchar **) a, *(const gchar **) b);
}

/* The x264 rungs of @ctx's ladder: "rendition=WxH<-WxH", the size each
 * encodes and the size its rung takes in, sorted, joined by commas; and
 * every resize step the same way */
static gchar *
scaling_graph (Ctx * ctx)
{
  GstIterator *it = gst_bin_iterate_recurse (GST_BIN (ctx->pipeline));
  GValue item = G_VALUE_INIT;
  GPtrArray *lines = g_ptr_array_new_with_free_func (g_free);
  gchar *ret;

  while (gst_iterator_next (it, &item) == GST_ITERATOR_OK) {
    GstElement *e = g_value_get_object (&item);

    if (GST_IS_LADDER_X264 (e) || GST_IS_LADDER_RESIZE (e)) {
      const GstLadderRendition *r =
          gst_ladder_transcoder_get_rendition (GST_LADDER_TRANSCODER (e));
      GstPad *sink = gst_element_get_static_pad (e, "sink");
      GstPad *src = gst_element_get_static_pad (e, "src");
      GstCaps *in = gst_pad_get_current_caps (sink);
      GstCaps *out = gst_pad_get_current_caps (src);
      gint iw = 0, ih = 0, ow = 0, oh = 0;

      if (in) {
        gst_structure_get_int (gst_caps_get_structure (in, 0), "width", &iw);
        gst_structure_get_int (gst_caps_get_structure (in, 0), "height", &ih);
      }
      if (out) {
        gst_structure_get_int (gst_caps_get_structure (out, 0), "width", &ow);
        gst_structure_get_int (gst_caps_get_structure (out, 0), "height", &oh);
      }
      g_ptr_array_add (lines, g_strdup_printf ("%s=%dx%d<-%dx%d", r->name,
              ow, oh, iw, ih));
      gst_clear_caps (&in);
      gst_clear_caps (&out);
      gst_object_unref (sink);
      gst_object_unref (src);
    }
    g_value_reset (&item);
  }
  g_value_unset (&item);
  gst_iterator_free (it);
  g_ptr_array_sort (lines, compare_strings);
  g_ptr_array_add (lines, NULL);
  ret = g_strjoinv (",", (gchar **) lines->pdata);
  g_ptr_array_unref (lines);
  return ret;
}

/* whether the scaler inside every x264 rung passes its frames through */
static gboolean
x264_scalers_pass_through (Ctx * ctx)
{
  GstIterator *it = gst_bin_iterate_recurse (GST_BIN (ctx->pipeline));
  GValue item = G_VALUE_INIT;
  gboolean all = TRUE;

  while (gst_iterator_next (it, &item) == GST_ITERATOR_OK) {
    GstElement *e = g_value_get_object (&item);

    if (GST_IS_LADDER_X264 (e)) {
      GstElement *scale = gst_bin_get_by_name (GST_BIN (e), "scale");

      all &= scale != NULL
          && gst_base_transform_is_passthrough (GST_BASE_TRANSFORM (scale));
      gst_clear_object (&scale);
    }
    g_value_reset (&item);
  }
  g_value_unset (&item);
  gst_iterator_free (it);
  return all;
}

/* Adds x264 renditions @names, 16:9 at @heights, 200 kbit/s */
static void
add_x264_16_9 (Ctx * ctx, const gchar ** names, const gint * heights, guint n)
{
  GstLadderRendition *r;
  GError *err = NULL;
  guint i;

  for (i = 0; i < n; i++) {
    r = gst_ladder_rendition_new (names[i], heights[i] * 16 / 9, heights[i],
        200, 0, &err);
    fail_unless (r != NULL, "%s", err ? err->message : "");
    fail_unless (gst_ladder_runner_add_rendition (ctx->runner,
            GST_TYPE_LADDER_X264, r, &err), "%s", err ? err->message : "");
    gst_ladder_rendition_free (r);
  }
}

/* A raw 640x360 source to four x264 renditions: each rendition smaller
 * than the source is scaled from the next larger one (the scaling
 * cascade), and the x264 rungs encode what they get without scaling it
 * again; a resize step stays while a smaller one uses it, and goes with
 * its last user. With cascade=FALSE every rung scales the source. */
static void
check_cascade (gboolean cascade)
{
  Ctx *ctx = ctx_new ("videotestsrc is-live=true num-buffers=-1"
      " ! video/x-raw,format=I420,width=640,height=360,framerate=30/1"
      " ! ladderbroadcaster name=src broadcast=live track=video", TRUE, FALSE);
  const gchar *names[] = { "90p", "360p", "180p", "270p" };
  const gint heights[] = { 90, 360, 180, 270 };
  GError *err = NULL;
  GstMessage *msg;
  GPtrArray *keys;
  gchar *graph;
  guint i;

  g_object_set (ctx->runner, "cascade", cascade, NULL);
  /* in no particular order: the larger ones start first */
  add_x264_16_9 (ctx, names, heights, G_N_ELEMENTS (names));
  ctx_install (ctx);
  ctx_play (ctx);
  for (i = 0; i < G_N_ELEMENTS (names); i++) {
    msg = ctx_wait_message (ctx, GST_LADDER_MESSAGE_STATS,
        stats_show_fragments, (gpointer) names[i]);
    gst_message_unref (msg);
  }

  graph = scaling_graph (ctx);
  if (cascade) {
    fail_unless_equals_string (graph, "180p=320x180<-320x180,"
        "270p=480x270<-480x270,360p=640x360<-640x360,90p=160x90<-160x90,"
        "raw-160x90=160x90<-320x180,raw-320x180=320x180<-480x270,"
        "raw-480x270=480x270<-640x360");
    fail_unless (x264_scalers_pass_through (ctx),
        "an x264 rung scaled its input again");
  } else {
    fail_unless_equals_string (graph, "180p=320x180<-640x360,"
        "270p=480x270<-640x360,360p=640x360<-640x360,90p=160x90<-640x360");
  }
  g_free (graph);
  fail_unless_equals_int (n_keys (ctx), cascade ? 7 : 4);
  /* each step's frames: one waits per branch while a file source is held
   * back (a live one keeps the max-queue limits) */
  fail_unless_equals_int (count_raw_feed_broadcasters (ctx), cascade ? 3 : 0);

  if (cascade) {
    /* 180p goes; its step stays for 90p's */
    fail_unless (gst_ladder_runner_remove_rendition (ctx->runner, "180p",
            FALSE, NULL, &err));
    keys = gst_ladder_runner_list_keys (ctx->runner);
    fail_unless_equals_int (keys->len, 6);
    fail_unless (g_ptr_array_find_with_equal_func (keys,
            "resize:raw-320x180:video:live", g_str_equal, NULL));
    g_ptr_array_unref (keys);
    /* 90p goes: the two steps only it used go with it */
    fail_unless (gst_ladder_runner_remove_rendition (ctx->runner, "90p",
            FALSE, NULL, &err));
    fail_unless_equals_int (n_keys (ctx), 3);
  }
  for (i = 0; i < G_N_ELEMENTS (names); i++)
    gst_ladder_runner_remove_rendition (ctx->runner, names[i], FALSE, NULL,
        NULL);
  fail_unless_equals_int (n_keys (ctx), 0);
  ctx_free (ctx);
}

GST_START_TEST (test_scaling_cascade)
{
  if (!have_element ("x264enc")) {
    g_print ("SKIP: scaling cascade: x264enc missing\n");
    return;
  }
  check_cascade (TRUE);
}

GST_END_TEST;

GST_START_TEST (test_scaling_cascade_off)
{
  if (!have_element ("x264enc")) {
    g_print ("SKIP: scaling cascade: x264enc missing\n");
    return;
  }
  check_cascade (FALSE);
}

GST_END_TEST;

#if defined(__SANITIZE_ADDRESS__)
#define SANITIZER_BUILD TRUE
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define SANITIZER_BUILD TRUE
#endif
#endif
#ifndef SANITIZER_BUILD
#define SANITIZER_BUILD FALSE
#endif

/* A rung behind a resize step of a live source that stops taking frames
 * for 300 ms (an encoder starting slowly on a busy machine; the steps once
 * dropped past 4 frames, 133 ms at 30 fps): the step's frames wait for it,
 * within the live slack of a second whatever their size, and none is
 * dropped. Small frames, so that a busy machine keeps up otherwise. */
static GstPadProbeReturn
stall_once (GstPad * pad, GstPadProbeInfo * info, gpointer user_data)
{
  gint *stalled = user_data;

  if (g_atomic_int_compare_and_exchange (stalled, 0, 1))
    g_usleep (300 * G_TIME_SPAN_MILLISECOND);
  return GST_PAD_PROBE_OK;
}

/* lag messages of the step that makes 160x90 (a busy machine may make
 * others lag, which is not what the test is about) */
static void
count_step_lag (GstBus * bus, GstMessage * msg, gint * lags)
{
  if (gst_ladder_message_get_type (msg) == GST_LADDER_MESSAGE_BROADCASTER_LAG
      && g_strcmp0 (gst_structure_get_string (gst_message_get_structure (msg),
              "broadcast"), "live/raw-160x90") == 0)
    g_atomic_int_inc (lags);
}

/* Stalls the branches of the broadcaster of @broadcast once, in their
 * streaming threads */
static void
stall_broadcast (Ctx * ctx, const gchar * broadcast, gint * stalled)
{
  GstIterator *it = gst_bin_iterate_recurse (GST_BIN (ctx->pipeline));
  GValue item = G_VALUE_INIT;
  guint found = 0;

  while (gst_iterator_next (it, &item) == GST_ITERATOR_OK) {
    GstElement *e = g_value_get_object (&item);
    gchar *name;

    if (GST_IS_LADDER_BROADCASTER (e)) {
      name = gst_ladder_broadcaster_get_broadcast (GST_LADDER_BROADCASTER (e));
      if (g_strcmp0 (name, broadcast) == 0) {
        GList *l;

        GST_OBJECT_LOCK (e);
        for (l = e->srcpads; l; l = l->next, found++)
          gst_pad_add_probe (l->data, GST_PAD_PROBE_TYPE_BUFFER, stall_once,
              stalled, NULL);
        GST_OBJECT_UNLOCK (e);
      }
      g_free (name);
    }
    g_value_reset (&item);
  }
  g_value_unset (&item);
  gst_iterator_free (it);
  fail_unless (found > 0, "no branch of %s", broadcast);
}

GST_START_TEST (test_live_step_waits_for_a_slow_rung)
{
  Ctx *ctx;
  const gchar *names[] = { "180p", "90p" };
  const gint heights[] = { 180, 90 };
  GstBus *bus;
  gint stalled = 0, lags = 0;

  if (!have_element ("x264enc")) {
    g_print ("SKIP: live step and a slow rung: x264enc missing\n");
    return;
  }
  /* real time: under valgrind every rung lags a live source, and the
   * unoptimised sanitizer build lags it by more than a second when the
   * machine is busy */
  if (under_valgrind () || SANITIZER_BUILD) {
    g_print ("SKIP: live step and a slow rung: needs real time, not "
        "valgrind or a sanitizer build\n");
    return;
  }
  ctx = ctx_new ("videotestsrc is-live=true num-buffers=90"
      " ! video/x-raw,format=I420,width=320,height=180,framerate=30/1"
      " ! ladderbroadcaster name=src broadcast=live track=video", TRUE, FALSE);
  add_x264_16_9 (ctx, names, heights, G_N_ELEMENTS (names));
  /* a drop is seen as it happens: the x264 rung fills the gap it leaves
   * in the frame grid with repeated frames */
  bus = gst_element_get_bus (ctx->pipeline);
  gst_bus_enable_sync_message_emission (bus);
  g_signal_connect (bus, "sync-message::element",
      G_CALLBACK (count_step_lag), &lags);
  ctx_install (ctx);
  ctx_play (ctx);
  ctx_wait_outputs (ctx, 2);
  /* 90p's frames come through the step that makes 160x90 */
  stall_broadcast (ctx, "live/raw-160x90", &stalled);
  ctx_wait_eos (ctx);

  fail_unless (g_atomic_int_get (&stalled), "the 90p rung never stalled");
  fail_unless_equals_int (g_atomic_int_get (&lags), 0);
  gst_bus_disable_sync_message_emission (bus);
  g_signal_handlers_disconnect_by_func (bus, count_step_lag, &lags);
  gst_object_unref (bus);
  ctx_free (ctx);
}

GST_END_TEST;

GST_START_TEST (test_decode_once)
{
  if (!have_element ("jpegenc") || !have_element ("jpegdec")) {
    g_print ("SKIP: decode once (jpeg): jpegenc/jpegdec not installed\n");
    return;
  }
  check_decode_once (LADDER_TEST_TYPE_DECODING, "jpegenc", "decoding");
}

GST_END_TEST;

GST_START_TEST (test_decode_once_x264)
{
  if (!have_element ("x264enc") || !have_element ("avdec_h264")) {
    g_print ("SKIP: decode once (x264): x264enc or avdec_h264 missing\n");
    return;
  }
  if (under_valgrind ()) {
    g_print ("SKIP: decode once (x264): avdec_h264 cannot load under "
        "valgrind\n");
    return;
  }
  check_decode_once (GST_TYPE_LADDER_X264,
      "x264enc tune=zerolatency speed-preset=ultrafast key-int-max=15", "x264");
}

GST_END_TEST;

typedef struct
{
  gint seen;
  gint from, to;
} Corruptor;

static GstPadProbeReturn
corrupt_probe (GstPad * pad, GstPadProbeInfo * info, gpointer user_data)
{
  Corruptor *c = user_data;
  gint n = g_atomic_int_add (&c->seen, 1);

  if (n >= c->from && n < c->to) {
    GstBuffer *buf = gst_buffer_make_writable (GST_PAD_PROBE_INFO_BUFFER
        (info));
    gsize size = gst_buffer_get_size (buf);

    /* keep the start-of-image marker, break the tables after it */
    if (size > 4)
      gst_buffer_memset (buf, 2, 0x5a, MIN (size / 2, 300));
    GST_PAD_PROBE_INFO_DATA (info) = buf;
  }
  return GST_PAD_PROBE_OK;
}

/* a second decode error is fatal for the decoders of this test */
static void
strict_decoders (GstBin * bin, GstBin * sub_bin, GstElement * element,
    gpointer user_data)
{
  if (GST_IS_VIDEO_DECODER (element))
    gst_video_decoder_set_max_errors (GST_VIDEO_DECODER (element), 1);
}

static gboolean
is_decode_panic (GstMessage * msg, gpointer data)
{
  gchar *transcoder = NULL;
  gboolean ret;

  gst_ladder_message_parse_panic (msg, &transcoder, NULL, NULL, NULL, NULL,
      NULL, NULL, NULL, NULL, NULL);
  ret = g_strcmp0 (transcoder, "decode") == 0;
  g_free (transcoder);
  return ret;
}

static gboolean
decoding_runs_again (GstMessage * msg, gpointer data)
{
  guint64 *before = data;
  GPtrArray *rungs = NULL;
  gboolean ret = FALSE;
  guint i;

  gst_ladder_message_parse_stats (msg, &rungs);
  for (i = 0; i < rungs->len; i++) {
    GstStructure *s = g_ptr_array_index (rungs, i);
    guint64 in = 0, restarts = 0;

    if (g_strcmp0 (gst_structure_get_string (s, "transcoder"), "decode"))
      continue;
    gst_structure_get_uint64 (s, "fragments-out", &in);
    gst_structure_get_uint64 (s, "restarts", &restarts);
    ret = restarts >= 1 && in > *before + 5;
  }
  g_ptr_array_unref (rungs);
  return ret;
}

GST_START_TEST (test_corrupt_input_contained)
{
  Corruptor c = { 0, 5, 8 };
  Ctx *ctx;
  GstLadderRendition *r = preset ("240p");
  GError *err = NULL;
  GstElement *enc;
  GstMessage *msg;
  GstPad *pad;
  GstStructure *s;
  guint64 before;

  if (!have_element ("jpegenc") || !have_element ("jpegdec")) {
    g_print ("SKIP: corrupt input: jpegenc/jpegdec not installed\n");
    gst_ladder_rendition_free (r);
    return;
  }
  ctx = ctx_new ("videotestsrc is-live=true "
      "! video/x-raw,format=I420,width=64,height=48,framerate=30/1 "
      "! jpegenc name=enc ! ladderbroadcaster name=src broadcast=live "
      "track=video", TRUE, FALSE);
  enc = gst_bin_get_by_name (GST_BIN (ctx->pipeline), "enc");
  pad = gst_element_get_static_pad (enc, "src");
  gst_pad_add_probe (pad, GST_PAD_PROBE_TYPE_BUFFER, corrupt_probe, &c, NULL);
  gst_object_unref (pad);
  gst_object_unref (enc);
  g_signal_connect (ctx->pipeline, "deep-element-added",
      G_CALLBACK (strict_decoders), NULL);

  fail_unless (gst_ladder_runner_add_rendition (ctx->runner,
          LADDER_TEST_TYPE_DECODING, r, &err));
  gst_ladder_rendition_free (r);
  ctx_install (ctx);
  ctx_play (ctx);

  /* the decoder fails on the corrupt frames: a panic, not an error */
  msg = ctx_wait_message (ctx, GST_LADDER_MESSAGE_PANIC, is_decode_panic, NULL);
  gst_message_unref (msg);
  s = ctx_stats (ctx, "decode", "raw", "video");
  before = stat (s, "fragments-out");
  gst_structure_free (s);

  /* restarted, it decodes the good frames that follow */
  msg = ctx_wait_message (ctx, GST_LADDER_MESSAGE_STATS, decoding_runs_again,
      &before);
  gst_message_unref (msg);
  s = ctx_stats (ctx, "decoding", "240p", "video");
  fail_unless (stat (s, "fragments-in") > 0);
  fail_unless_equals_int (stat (s, "panics"), 0);
  gst_structure_free (s);
  ctx_free (ctx);
}

GST_END_TEST;

/* A runner thread kept busy in an output-added handler until the gate
 * opens (at most LADDER_TEST_WAIT: the test fails on what it sees
 * meanwhile). */
typedef struct
{
  GMutex lock;
  GCond cond;
  gboolean entered;
  gboolean open;
} RunnerGate;

static void
runner_gate_output_added (GstLadderRunner * runner, GstElement * output,
    const gchar * rendition, const gchar * track, RunnerGate * g)
{
  gint64 end = g_get_monotonic_time () + LADDER_TEST_WAIT / GST_USECOND;

  if (!g_str_equal (track, "audio"))
    return;
  g_mutex_lock (&g->lock);
  g->entered = TRUE;
  g_cond_broadcast (&g->cond);
  while (!g->open && g_cond_wait_until (&g->cond, &g->lock, end));
  g_mutex_unlock (&g->lock);
}

/* A source broadcaster added while the runner thread is busy: its short
 * input (one buffer, then EOS) waits until the runner follows it, and
 * reaches the rendition, instead of passing through before any rung
 * exists (found by the fuzz target: lost-input-passes-before-runner-flv) */
GST_START_TEST (test_short_input_waits_for_the_runner)
{
  Ctx *ctx = ctx_new ("audiotestsrc num-buffers=3 ! audio/x-raw,rate=8000"
      " ! ladderbroadcaster name=src broadcast=live track=audio", TRUE, FALSE);
  GstLadderRendition *r = parse (GST_LADDER_RENDITION_SOURCE);
  GstElement *vsrc, *vfilter, *late;
  GstCaps *caps;
  GstPad *sink;
  GError *err = NULL;
  RunnerGate gate = { 0, };
  gint64 end;
  gboolean held = FALSE, passed = FALSE;
  OutSink *os;

  g_mutex_init (&gate.lock);
  g_cond_init (&gate.cond);
  fail_unless (gst_ladder_runner_add_rendition (ctx->runner,
          GST_TYPE_LADDER_PASSTHROUGH, r, &err));
  gst_ladder_rendition_free (r);
  g_signal_connect (ctx->runner, "output-added",
      G_CALLBACK (runner_gate_output_added), &gate);
  ctx_install (ctx);
  ctx_play (ctx);

  g_mutex_lock (&gate.lock);
  LADDER_TEST_COND_WAIT (&gate.cond, &gate.lock, LADDER_TEST_WAIT,
      gate.entered, "the audio output was never announced");
  g_mutex_unlock (&gate.lock);

  /* the runner thread is in the gate: a video input comes and ends */
  vsrc = gst_element_factory_make ("videotestsrc", NULL);
  g_object_set (vsrc, "num-buffers", 1, NULL);
  vfilter = gst_element_factory_make ("capsfilter", NULL);
  caps = gst_caps_from_string ("video/x-raw,format=I420,width=64,height=48,"
      "framerate=30/1");
  g_object_set (vfilter, "caps", caps, NULL);
  gst_caps_unref (caps);
  late = gst_element_factory_make ("ladderbroadcaster", NULL);
  g_object_set (late, "broadcast", "live", "track", "video", NULL);
  gst_bin_add_many (GST_BIN (ctx->pipeline), vsrc, vfilter, late, NULL);
  fail_unless (gst_element_link_many (vsrc, vfilter, late, NULL));
  gst_element_sync_state_with_parent (late);
  gst_element_sync_state_with_parent (vfilter);
  gst_element_sync_state_with_parent (vsrc);

  /* either its buffer waits at the broadcaster, or buffer and EOS went */
  sink = gst_element_get_static_pad (late, "sink");
  end = g_get_monotonic_time () + LADDER_TEST_WAIT / GST_USECOND;
  while (!held && !passed && g_get_monotonic_time () < end) {
    GstEvent *eos = gst_pad_get_sticky_event (sink, GST_EVENT_EOS, 0);

    passed = eos != NULL;
    gst_clear_event (&eos);
    held = gst_pad_is_blocking (sink);
    if (!held && !passed)
      g_usleep (G_USEC_PER_SEC / 100);
  }
  gst_object_unref (sink);

  g_mutex_lock (&gate.lock);
  gate.open = TRUE;
  g_cond_broadcast (&gate.cond);
  g_mutex_unlock (&gate.lock);

  fail_if (passed, "the input passed and ended before the runner followed");
  fail_unless (held, "the input's buffer neither passed nor waited");

  ctx_wait_outputs (ctx, 2);
  /* the end of the video output, not the pipeline's EOS: that one may
   * come from the audio alone, before the video sink was added */
  g_mutex_lock (&ctx->lock);
  os = find_sink_unlocked (ctx->sinks, "video_source");
  fail_unless (os != NULL, "no video output");
  LADDER_TEST_COND_WAIT (&ctx->cond, &ctx->lock, 10 * GST_SECOND, os->eos,
      "the video output did not end");
  fail_unless_equals_int (os->buffers, 1);
  g_mutex_unlock (&ctx->lock);
  ctx_free (ctx);
  g_mutex_clear (&gate.lock);
  g_cond_clear (&gate.cond);
}

GST_END_TEST;

static Suite *
ladderrunner_suite (void)
{
  Suite *s = suite_create ("ladderrunner");
  TCase *tc = tcase_create ("general");

  suite_add_tcase (s, tc);
  tcase_add_test (tc, test_passthrough_sees_every_fragment);
  tcase_add_test (tc, test_short_input_waits_for_the_runner);
  tcase_add_test (tc, test_default_ladder_one_rung_per_rendition);
  tcase_add_test (tc, test_opt_out_of_track);
  tcase_add_test (tc, test_fault_mid_stream_contained);
  tcase_add_test (tc, test_fault_at_start_skipped_and_counted);
  tcase_add_test (tc, test_three_quick_failures_degrade);
  tcase_add_test (tc, test_degraded_key_ends_with_its_feed);
  tcase_add_test (tc, test_offline_degraded_key_ends_at_once);
  tcase_add_test (tc, test_restart_repeats_no_frame);
  tcase_add_test (tc, test_restarting_key_ends_with_its_feed);
  tcase_add_test (tc, test_empty_runner_spawns_nothing);
  tcase_add_test (tc, test_added_rendition_starts_on_live_source);
  tcase_add_test (tc, test_duplicates_refused);
  tcase_add_test (tc, test_bad_calls_change_nothing);
  tcase_add_test (tc, test_remove_rendition_stops_only_its_rungs);
  tcase_add_test (tc, test_output_not_transcoded);
  tcase_add_test (tc, test_two_factories_share_a_rendition);
  tcase_add_test (tc, test_rendition_list_follows_edits);
  tcase_add_test (tc, test_source_consumer_sees_every_buffer);
  tcase_add_test (tc, test_edit_while_playing_keeps_others_continuous);
  tcase_add_test (tc, test_drained_removal_loses_nothing);
  tcase_add_test (tc, test_removal_with_stuck_downstream);
  tcase_add_test (tc, test_calls_from_other_threads);
  tcase_add_test (tc, test_stats_message_fields);
  tcase_add_test (tc, test_decode_once);
  tcase_add_test (tc, test_decode_once_x264);
  tcase_add_test (tc, test_scaling_cascade);
  tcase_add_test (tc, test_scaling_cascade_off);
  tcase_add_test (tc, test_live_step_waits_for_a_slow_rung);
  tcase_add_test (tc, test_corrupt_input_contained);
  return s;
}

GST_CHECK_MAIN (ladderrunner);
