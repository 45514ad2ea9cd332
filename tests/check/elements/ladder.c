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

/* The ladder element: src pads per (track, rendition), audio carried into
 * every rendition, the action signals, bad ladder strings, the HLS
 * output. Tests that need x264enc, avenc_aac or hlssink2 print SKIP when
 * they are missing. */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <glib/gstdio.h>
#include <gst/check/gstcheck.h>
#include <gst/ladder/ladder.h>

#include "laddertest.h"

typedef struct
{
  GstElement *pipeline;
  GstElement *ladder;
  GMutex lock;
  GCond cond;
  GHashTable *counts;           /* pad name -> buffers (GUINT_TO_POINTER) */
  GHashTable *caps;             /* pad name -> last caps */
  guint pads_added;
  guint pads_removed;
  GHashTable *eos;              /* src pad names that pushed EOS */
  GHashTable *eos_when_removed; /* ... before their pad was removed */
} Ctx;

/* libav (avdec_*, avenc_*) pulls in libhwy, whose start-up code uses an
 * instruction (RDTSCP) valgrind cannot run */
static gboolean
under_valgrind (void)
{
  const gchar *preload = g_getenv ("LD_PRELOAD");

  return preload && strstr (preload, "vgpreload") != NULL;
}

static gboolean
have (const gchar * name)
{
  GstElementFactory *f = gst_element_factory_find (name);

  if (f)
    gst_object_unref (f);
  return f != NULL;
}

static GstPadProbeReturn
count_probe (GstPad * pad, GstPadProbeInfo * info, gpointer user_data)
{
  Ctx *ctx = user_data;
  const gchar *name = g_object_get_data (G_OBJECT (pad), "ladder-pad");

  g_mutex_lock (&ctx->lock);
  if (info->type & GST_PAD_PROBE_TYPE_BUFFER) {
    guint n = GPOINTER_TO_UINT (g_hash_table_lookup (ctx->counts, name));
    g_hash_table_insert (ctx->counts, g_strdup (name), GUINT_TO_POINTER (n +
            1));
    g_cond_broadcast (&ctx->cond);
  } else {
    GstEvent *event = GST_PAD_PROBE_INFO_EVENT (info);
    if (GST_EVENT_TYPE (event) == GST_EVENT_CAPS) {
      GstCaps *caps;
      gst_event_parse_caps (event, &caps);
      g_hash_table_insert (ctx->caps, g_strdup (name), gst_caps_ref (caps));
    }
  }
  g_mutex_unlock (&ctx->lock);
  return GST_PAD_PROBE_OK;
}

/* on our src pads: the EOS going out */
static GstPadProbeReturn
src_eos_probe (GstPad * pad, GstPadProbeInfo * info, gpointer user_data)
{
  Ctx *ctx = user_data;

  if (GST_EVENT_TYPE (GST_PAD_PROBE_INFO_EVENT (info)) == GST_EVENT_EOS) {
    g_mutex_lock (&ctx->lock);
    g_hash_table_add (ctx->eos, g_strdup (GST_PAD_NAME (pad)));
    g_mutex_unlock (&ctx->lock);
  }
  return GST_PAD_PROBE_OK;
}

static void
pad_added (GstElement * element, GstPad * pad, Ctx * ctx)
{
  GstElement *sink;
  GstPad *sinkpad;

  if (GST_PAD_DIRECTION (pad) != GST_PAD_SRC)
    return;

  gst_pad_add_probe (pad, GST_PAD_PROBE_TYPE_EVENT_DOWNSTREAM, src_eos_probe,
      ctx, NULL);
  g_mutex_lock (&ctx->lock);
  ctx->pads_added++;
  g_cond_broadcast (&ctx->cond);
  g_mutex_unlock (&ctx->lock);

  /* linked by the launch line */
  if (gst_pad_is_linked (pad))
    return;

  sink = gst_element_factory_make ("fakesink", NULL);
  g_object_set (sink, "sync", FALSE, "async", FALSE, NULL);
  gst_bin_add (GST_BIN (ctx->pipeline), sink);
  sinkpad = gst_element_get_static_pad (sink, "sink");
  g_object_set_data_full (G_OBJECT (sinkpad), "ladder-pad",
      g_strdup (GST_PAD_NAME (pad)), g_free);
  gst_pad_add_probe (sinkpad, GST_PAD_PROBE_TYPE_BUFFER |
      GST_PAD_PROBE_TYPE_EVENT_DOWNSTREAM, count_probe, ctx, NULL);
  fail_unless_equals_int (gst_pad_link (pad, sinkpad), GST_PAD_LINK_OK);
  gst_object_unref (sinkpad);
  gst_element_sync_state_with_parent (sink);
}

/* Counts what reaches the fakesink @sink_name of the launch line, as
 * @pad_name. */
static void
ctx_watch_sink (Ctx * ctx, const gchar * sink_name, const gchar * pad_name)
{
  GstElement *sink = gst_bin_get_by_name (GST_BIN (ctx->pipeline), sink_name);
  GstPad *sinkpad;

  fail_unless (sink != NULL);
  sinkpad = gst_element_get_static_pad (sink, "sink");
  g_object_set_data_full (G_OBJECT (sinkpad), "ladder-pad",
      g_strdup (pad_name), g_free);
  gst_pad_add_probe (sinkpad, GST_PAD_PROBE_TYPE_BUFFER |
      GST_PAD_PROBE_TYPE_EVENT_DOWNSTREAM, count_probe, ctx, NULL);
  gst_object_unref (sinkpad);
  gst_object_unref (sink);
}

static void
pad_removed (GstElement * element, GstPad * pad, Ctx * ctx)
{
  GstPad *peer;

  if (GST_PAD_DIRECTION (pad) != GST_PAD_SRC)
    return;
  /* the ghost is unlinked by now: find the sink by name */
  peer = gst_pad_get_peer (pad);
  if (peer)
    gst_object_unref (peer);
  g_mutex_lock (&ctx->lock);
  if (g_hash_table_contains (ctx->eos, GST_PAD_NAME (pad)))
    g_hash_table_add (ctx->eos_when_removed, g_strdup (GST_PAD_NAME (pad)));
  ctx->pads_removed++;
  g_cond_broadcast (&ctx->cond);
  g_mutex_unlock (&ctx->lock);
}

static Ctx *
ctx_new (const gchar * launch)
{
  Ctx *ctx = g_new0 (Ctx, 1);
  GError *err = NULL;

  g_mutex_init (&ctx->lock);
  g_cond_init (&ctx->cond);
  ctx->counts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  ctx->caps = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
      (GDestroyNotify) gst_caps_unref);
  ctx->eos = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  ctx->eos_when_removed = g_hash_table_new_full (g_str_hash, g_str_equal,
      g_free, NULL);
  ctx->pipeline = gst_parse_launch (launch, &err);
  fail_unless (ctx->pipeline != NULL, "%s", err ? err->message : "");
  ctx->ladder = gst_bin_get_by_name (GST_BIN (ctx->pipeline), "l");
  fail_unless (ctx->ladder != NULL);
  g_signal_connect (ctx->ladder, "pad-added", G_CALLBACK (pad_added), ctx);
  g_signal_connect (ctx->ladder, "pad-removed", G_CALLBACK (pad_removed), ctx);
  /* the src pads of the renditions exist as soon as the input pads do:
   * the launch line made them already */
  {
    GList *l;

    for (l = GST_ELEMENT (ctx->ladder)->srcpads; l; l = l->next)
      pad_added (ctx->ladder, l->data, ctx);
  }
  return ctx;
}

static void
ctx_free (Ctx * ctx)
{
  gst_element_set_state (ctx->pipeline, GST_STATE_NULL);
  gst_object_unref (ctx->ladder);
  gst_object_unref (ctx->pipeline);
  g_hash_table_unref (ctx->counts);
  g_hash_table_unref (ctx->caps);
  g_hash_table_unref (ctx->eos);
  g_hash_table_unref (ctx->eos_when_removed);
  g_mutex_clear (&ctx->lock);
  g_cond_clear (&ctx->cond);
  g_free (ctx);
}

static GstMessage *
ctx_run_to_eos (Ctx * ctx, GstLadderMessageType want)
{
  GstBus *bus = gst_element_get_bus (ctx->pipeline);
  GstMessage *msg, *wanted = NULL;
  /* one bound for the whole run: element messages keep coming */
  gint64 deadline = g_get_monotonic_time () + LADDER_TEST_WAIT / GST_USECOND;

  fail_if (gst_element_set_state (ctx->pipeline, GST_STATE_PLAYING) ==
      GST_STATE_CHANGE_FAILURE);
  while (TRUE) {
    gint64 left = deadline - g_get_monotonic_time ();

    msg = ladder_test_bus_wait (bus,
        GST_MESSAGE_EOS | GST_MESSAGE_ERROR | GST_MESSAGE_ELEMENT,
        MAX (left, 0) * GST_USECOND, "the EOS (20 s from PLAYING in all)");
    if (GST_MESSAGE_TYPE (msg) == GST_MESSAGE_ERROR) {
      GError *err = NULL;
      gst_message_parse_error (msg, &err, NULL);
      fail ("error from %s: %s", GST_MESSAGE_SRC_NAME (msg), err->message);
    }
    if (GST_MESSAGE_TYPE (msg) == GST_MESSAGE_EOS) {
      gst_message_unref (msg);
      break;
    }
    if (want != GST_LADDER_MESSAGE_NONE && wanted == NULL
        && gst_ladder_message_get_type (msg) == want)
      wanted = msg;
    else
      gst_message_unref (msg);
  }
  gst_object_unref (bus);
  return wanted;
}

static guint
count_of (Ctx * ctx, const gchar * pad)
{
  guint n;

  g_mutex_lock (&ctx->lock);
  n = GPOINTER_TO_UINT (g_hash_table_lookup (ctx->counts, pad));
  g_mutex_unlock (&ctx->lock);
  return n;
}

static void
wait_pads (Ctx * ctx, guint added, guint removed)
{
  g_mutex_lock (&ctx->lock);
  LADDER_TEST_COND_WAIT (&ctx->cond, &ctx->lock, LADDER_TEST_WAIT,
      ctx->pads_added >= added && ctx->pads_removed >= removed,
      "pads: %u added, %u removed", ctx->pads_added, ctx->pads_removed);
  g_mutex_unlock (&ctx->lock);
}

GST_START_TEST (test_source_rendition_src_pads)
{
  Ctx *ctx = ctx_new ("ladder name=l renditions=source "
      "videotestsrc is-live=true num-buffers=40 "
      "! video/x-raw,width=64,height=48,framerate=30/1 ! l.video "
      "audiotestsrc num-buffers=20 ! l.audio "
      "l.video_source ! fakesink name=vs sync=false "
      "l.audio_source ! fakesink name=as sync=false");
  GstMessage *msg;
  GstLadderRunner *runner = NULL;
  GPtrArray *rungs = NULL;

  ctx_watch_sink (ctx, "vs", "video_source");
  ctx_watch_sink (ctx, "as", "audio_source");
  g_object_set (ctx->ladder, "stats-interval", 20 * GST_MSECOND, NULL);
  msg = ctx_run_to_eos (ctx, GST_LADDER_MESSAGE_STATS);
  fail_unless (msg != NULL, "no ladder-stats");
  fail_unless (GST_MESSAGE_SRC (msg) == GST_OBJECT (ctx->ladder));
  fail_unless (gst_ladder_message_parse_stats (msg, &rungs));
  g_ptr_array_unref (rungs);
  gst_message_unref (msg);

  fail_unless_equals_int (ctx->pads_added, 2);
  fail_unless_equals_int (count_of (ctx, "video_source"), 40);
  fail_unless_equals_int (count_of (ctx, "audio_source"), 20);

  g_object_get (ctx->ladder, "runner", &runner, NULL);
  fail_unless (GST_IS_LADDER_RUNNER (runner));
  {
    GPtrArray *keys = gst_ladder_runner_list_keys (runner);
    fail_unless_equals_int (keys->len, 2);
    fail_unless_equals_string (g_ptr_array_index (keys, 0),
        "passthrough:source:audio:live");
    fail_unless_equals_string (g_ptr_array_index (keys, 1),
        "passthrough:source:video:live");
    g_ptr_array_unref (keys);
  }
  gst_object_unref (runner);
  ctx_free (ctx);
}

GST_END_TEST;

GST_START_TEST (test_properties)
{
  GstElement *ladder = gst_element_factory_make ("ladder", NULL);
  GstLadderRunner *runner = NULL;
  gchar *str = NULL;
  guint64 v = 0;

  fail_unless (ladder != NULL);
  g_object_get (ladder, "renditions", &str, NULL);
  fail_unless_equals_string (str, GST_LADDER_DEFAULT_LADDER);
  g_free (str);
  g_object_get (ladder, "broadcast", &str, NULL);
  fail_unless_equals_string (str, "live");
  g_free (str);
  g_object_get (ladder, "hls-location", &str, NULL);
  fail_unless (str == NULL);

  g_object_set (ladder, "stats-interval", 3 * GST_SECOND, "restart-delay",
      GST_SECOND, "max-restart-delay", 9 * GST_SECOND, NULL);
  g_object_get (ladder, "runner", &runner, NULL);
  g_object_get (runner, "stats-interval", &v, NULL);
  fail_unless_equals_uint64 (v, 3 * GST_SECOND);
  g_object_get (runner, "restart-delay", &v, NULL);
  fail_unless_equals_uint64 (v, GST_SECOND);
  g_object_get (ladder, "max-restart-delay", &v, NULL);
  fail_unless_equals_uint64 (v, 9 * GST_SECOND);
  gst_object_unref (runner);

  g_object_set (ladder, "renditions", "source,360p", NULL);
  g_object_get (ladder, "renditions", &str, NULL);
  fail_unless (g_str_has_prefix (str, "source,360p"), "%s", str);
  g_free (str);
  gst_object_unref (ladder);
}

GST_END_TEST;

GST_START_TEST (test_bad_renditions_refused)
{
  GstElement *pipeline = gst_pipeline_new (NULL);
  GstElement *ladder = gst_element_factory_make ("ladder", "l");
  GstBus *bus = gst_element_get_bus (pipeline);
  GstMessage *msg;
  GError *err = NULL;
  gchar *str = NULL;

  gst_bin_add (GST_BIN (pipeline), ladder);
  g_object_set (ladder, "renditions", "240p", NULL);

  /* refused, the old value kept */
  g_object_set (ladder, "renditions", "720p,,no such thing!", NULL);
  g_object_get (ladder, "renditions", &str, NULL);
  fail_unless (g_str_has_prefix (str, "240p"), "%s", str);
  g_free (str);

  /* and reported when the element starts */
  fail_unless_equals_int (gst_element_set_state (pipeline, GST_STATE_READY),
      GST_STATE_CHANGE_FAILURE);
  msg = gst_bus_pop_filtered (bus, GST_MESSAGE_ERROR);
  fail_unless (msg != NULL);
  gst_message_parse_error (msg, &err, NULL);
  fail_unless (g_error_matches (err, GST_RESOURCE_ERROR,
          GST_RESOURCE_ERROR_SETTINGS));
  fail_unless (strstr (err->message, "renditions") != NULL, "%s", err->message);
  g_clear_error (&err);
  gst_message_unref (msg);

  /* a good value clears it */
  gst_element_set_state (pipeline, GST_STATE_NULL);
  g_object_set (ladder, "renditions", "240p,source", NULL);
  fail_unless (gst_element_set_state (pipeline, GST_STATE_READY) !=
      GST_STATE_CHANGE_FAILURE);
  /* refused while running: a warning, nothing changed */
  g_object_set (ladder, "renditions", "bogus:1x1", NULL);
  msg = gst_bus_pop_filtered (bus, GST_MESSAGE_WARNING);
  fail_unless (msg != NULL);
  gst_message_unref (msg);
  g_object_get (ladder, "renditions", &str, NULL);
  fail_unless (g_str_has_prefix (str, "240p"), "%s", str);
  fail_unless (strstr (str, "source") != NULL, "%s", str);
  g_free (str);

  gst_element_set_state (pipeline, GST_STATE_NULL);
  gst_object_unref (bus);
  gst_object_unref (pipeline);
}

GST_END_TEST;

/* An empty hls-location and a multivariant playlist named like a
 * rendition are configuration errors: an ERROR naming the setting, and no
 * start (before, "" silently gave src pads, and the clash only a warning
 * per write). */
GST_START_TEST (test_bad_hls_settings_refused)
{
  struct
  {
    const gchar *location, *master, *want;
  } cases[] = {
    {"", NULL, "hls-location is empty"},
    {"/tmp/ladder-check-clash", "240p", "hls-master-name \"240p\""},
  };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (cases); i++) {
    GstElement *pipeline = gst_pipeline_new (NULL);
    GstElement *ladder = gst_element_factory_make ("ladder", "l");
    GstBus *bus = gst_element_get_bus (pipeline);
    GstMessage *msg;
    GstPad *input;
    GError *err = NULL;
    gboolean ret = TRUE;

    gst_bin_add (GST_BIN (pipeline), ladder);
    g_object_set (ladder, "renditions", "source,240p", "hls-location",
        cases[i].location, NULL);
    if (cases[i].master)
      g_object_set (ladder, "hls-master-name", cases[i].master, NULL);
    input = gst_element_request_pad_simple (ladder, "video");
    fail_unless (input != NULL);
    gst_object_unref (input);
    /* no src pads for a ladder that was asked to write HLS */
    fail_unless (gst_element_get_static_pad (ladder, "video_240p") == NULL);

    fail_unless_equals_int (gst_element_set_state (pipeline,
            GST_STATE_READY), GST_STATE_CHANGE_FAILURE);
    msg = gst_bus_pop_filtered (bus, GST_MESSAGE_ERROR);
    fail_unless (msg != NULL, "no ERROR for case %u", i);
    gst_message_parse_error (msg, &err, NULL);
    fail_unless (g_error_matches (err, GST_RESOURCE_ERROR,
            GST_RESOURCE_ERROR_SETTINGS), "%s", err->message);
    fail_unless (strstr (err->message, cases[i].want) != NULL, "%s",
        err->message);
    g_clear_error (&err);
    gst_message_unref (msg);

    /* a rendition named like the playlist is refused while running too */
    if (cases[i].master) {
      g_object_set (ladder, "hls-master-name", "master.m3u8", NULL);
      fail_unless (gst_element_set_state (pipeline, GST_STATE_READY) !=
          GST_STATE_CHANGE_FAILURE);
      g_object_set (ladder, "hls-master-name", "480p", NULL);
      g_signal_emit_by_name (ladder, "add-rendition", "480p", &ret);
      fail_if (ret, "a rendition named like the playlist was added");
    }

    gst_element_set_state (pipeline, GST_STATE_NULL);
    gst_object_unref (bus);
    gst_object_unref (pipeline);
  }
}

GST_END_TEST;

static gboolean
emit_add (GstElement * ladder, const gchar * desc)
{
  gboolean ret = FALSE;

  g_signal_emit_by_name (ladder, "add-rendition", desc, &ret);
  return ret;
}

static gboolean
emit_remove (GstElement * ladder, const gchar * name)
{
  gboolean ret = FALSE;

  g_signal_emit_by_name (ladder, "remove-rendition", name, &ret);
  return ret;
}

GST_START_TEST (test_actions_while_playing)
{
  /* audio only: every rendition is an audio passthrough, no x264 needed */
  Ctx *ctx = ctx_new ("ladder name=l renditions=source "
      "audiotestsrc is-live=true ! audio/x-raw,rate=8000 ! l.audio");
  GstBus *bus = gst_element_get_bus (ctx->pipeline);
  GstMessage *msg;
  GstPad *pad;
  gchar *str = NULL;

  fail_if (gst_element_set_state (ctx->pipeline, GST_STATE_PLAYING) ==
      GST_STATE_CHANGE_FAILURE);
  wait_pads (ctx, 1, 0);

  fail_unless (emit_add (ctx->ladder, "360p"));
  wait_pads (ctx, 2, 0);
  pad = gst_element_get_static_pad (ctx->ladder, "audio_360p");
  fail_unless (pad != NULL);
  gst_object_unref (pad);
  g_object_get (ctx->ladder, "renditions", &str, NULL);
  fail_unless (strstr (str, "360p") != NULL, "%s", str);
  g_free (str);

  /* refused: a duplicate, a bad string, an unknown name */
  fail_if (emit_add (ctx->ladder, "360p"));
  fail_if (emit_add (ctx->ladder, "x:0x0"));
  fail_if (emit_add (ctx->ladder, NULL));
  fail_if (emit_remove (ctx->ladder, "1080p"));
  fail_if (emit_remove (ctx->ladder, NULL));

  fail_unless (emit_remove (ctx->ladder, "360p"));
  wait_pads (ctx, 2, 1);
  pad = gst_element_get_static_pad (ctx->ladder, "audio_360p");
  fail_unless (pad == NULL);
  msg = gst_bus_pop_filtered (bus, GST_MESSAGE_ERROR);
  fail_unless (msg == NULL);
  gst_object_unref (bus);
  ctx_free (ctx);
}

GST_END_TEST;

/* Waits until @n buffers reached the sink of @pad. */
static void
wait_buffers (Ctx * ctx, const gchar * pad, guint n)
{
  g_mutex_lock (&ctx->lock);
  LADDER_TEST_COND_WAIT (&ctx->cond, &ctx->lock, LADDER_TEST_WAIT,
      GPOINTER_TO_UINT (g_hash_table_lookup (ctx->counts, pad)) >= n,
      "%s: fewer than %u buffers", pad, n);
  g_mutex_unlock (&ctx->lock);
}

GST_START_TEST (test_removed_rendition_pad_gets_eos)
{
  /* passthrough only: no encoder needed */
  Ctx *ctx = ctx_new ("ladder name=l renditions=source "
      "videotestsrc is-live=true "
      "! video/x-raw,width=64,height=48,framerate=30/1 ! l.video "
      "audiotestsrc is-live=true ! audio/x-raw,rate=8000 ! l.audio");
  GstBus *bus = gst_element_get_bus (ctx->pipeline);
  GstMessage *msg;

  fail_if (gst_element_set_state (ctx->pipeline, GST_STATE_PLAYING) ==
      GST_STATE_CHANGE_FAILURE);
  wait_pads (ctx, 2, 0);
  wait_buffers (ctx, "video_source", 5);
  wait_buffers (ctx, "audio_source", 2);

  /* drained: EOS out of each src pad, then the pad goes */
  fail_unless (emit_remove (ctx->ladder, "source"));
  wait_pads (ctx, 2, 2);
  g_mutex_lock (&ctx->lock);
  fail_unless (g_hash_table_contains (ctx->eos_when_removed, "video_source"),
      "video_source was removed before its EOS");
  fail_unless (g_hash_table_contains (ctx->eos_when_removed, "audio_source"),
      "audio_source was removed before its EOS");
  g_mutex_unlock (&ctx->lock);
  msg = gst_bus_pop_filtered (bus, GST_MESSAGE_ERROR);
  fail_unless (msg == NULL);
  gst_object_unref (bus);
  ctx_free (ctx);
}

GST_END_TEST;

GST_START_TEST (test_x264_renditions)
{
  Ctx *ctx;
  GstCaps *caps;
  GstStructure *s;
  gint width = 0, height = 0;

  if (!have ("x264enc") || !have ("avdec_h264")) {
    g_print ("SKIP: test_x264_renditions: x264enc or avdec_h264 missing\n");
    return;
  }
  if (under_valgrind ()) {
    g_print ("SKIP: test_x264_renditions: avdec_h264 cannot load under "
        "valgrind\n");
    return;
  }
  /* the pipeline, shorter, with audio */
  ctx = ctx_new ("videotestsrc num-buffers=30 "
      "! video/x-raw,width=320,height=240,framerate=30/1 "
      "! x264enc speed-preset=ultrafast key-int-max=15 "
      "! ladder name=l renditions=360p,240p "
      "audiotestsrc num-buffers=20 ! l.audio "
      "l.video_360p ! fakesink name=v360 sync=false "
      "l.video_240p ! fakesink name=v240 sync=false "
      "l.audio_360p ! fakesink name=a360 sync=false "
      "l.audio_240p ! fakesink name=a240 sync=false");
  ctx_watch_sink (ctx, "v360", "video_360p");
  ctx_watch_sink (ctx, "v240", "video_240p");
  ctx_watch_sink (ctx, "a360", "audio_360p");
  ctx_watch_sink (ctx, "a240", "audio_240p");
  ctx_run_to_eos (ctx, GST_LADDER_MESSAGE_NONE);

  /* video and audio for each rendition */
  fail_unless_equals_int (ctx->pads_added, 4);
  fail_unless_equals_int (count_of (ctx, "video_360p"), 30);
  fail_unless_equals_int (count_of (ctx, "video_240p"), 30);
  fail_unless_equals_int (count_of (ctx, "audio_360p"), 20);
  fail_unless_equals_int (count_of (ctx, "audio_240p"), 20);

  caps = g_hash_table_lookup (ctx->caps, "video_240p");
  fail_unless (caps != NULL);
  s = gst_caps_get_structure (caps, 0);
  fail_unless (gst_structure_has_name (s, "video/x-h264"));
  gst_structure_get_int (s, "width", &width);
  gst_structure_get_int (s, "height", &height);
  fail_unless_equals_int (height, 240);
  fail_unless (width > 0);
  ctx_free (ctx);
}

GST_END_TEST;

/* An encoded input whose decoded caps carry a framerate that is no rate
 * (corrupt timing info; here -1/1 from the input caps, which the decoder
 * copies): the shared decode makes it unknown, and the x264 rendition it
 * feeds is made and ends. The x264 rung refused those caps before, and,
 * never told, never ended: no EOS ever. */
GST_START_TEST (test_decoded_rate_that_is_no_rate)
{
  Ctx *ctx;
  GstMessage *panic;

  if (!have ("x264enc") || !have ("avdec_h264") || !have ("capssetter")) {
    g_print ("SKIP: test_decoded_rate_that_is_no_rate: x264enc, avdec_h264 "
        "or capssetter missing\n");
    return;
  }
  if (under_valgrind ()) {
    g_print ("SKIP: test_decoded_rate_that_is_no_rate: avdec_h264 cannot "
        "load under valgrind\n");
    return;
  }
  /* no timing info in the stream: x264enc is told the rate is unknown */
  ctx = ctx_new ("videotestsrc num-buffers=10 "
      "! video/x-raw,format=I420,width=64,height=48,framerate=30/1 "
      "! capssetter caps=\"video/x-raw,framerate=(fraction)0/1\" "
      "! x264enc speed-preset=ultrafast key-int-max=5 ! h264parse "
      "! capssetter caps=\"video/x-h264,framerate=(fraction)-1/1\" "
      "! ladder name=l renditions=source,240p "
      "l.video_source ! fakesink name=vs sync=false "
      "l.video_240p ! fakesink name=v240 sync=false");
  ctx_watch_sink (ctx, "vs", "video_source");
  ctx_watch_sink (ctx, "v240", "video_240p");
  panic = ctx_run_to_eos (ctx, GST_LADDER_MESSAGE_PANIC);
  fail_unless (panic == NULL, "a rung failed: %" GST_PTR_FORMAT, panic);
  fail_unless_equals_int (count_of (ctx, "video_source"), 10);
  fail_unless_equals_int (count_of (ctx, "video_240p"), 10);
  ctx_free (ctx);
}

GST_END_TEST;

/* The chroma-siting of every ladderx264 in @bin, and the chroma-site its
 * encoder was given, as "siting/site" joined by commas */
static gchar *
x264_sitings (GstBin * bin)
{
  GstIterator *it = gst_bin_iterate_recurse (bin);
  GValue item = G_VALUE_INIT;
  GString *str = g_string_new (NULL);

  while (gst_iterator_next (it, &item) == GST_ITERATOR_OK) {
    GstElement *e = g_value_get_object (&item);

    if (GST_IS_LADDER_X264 (e)) {
      GstElement *enc = gst_bin_get_by_name (GST_BIN (e), "encoder");
      GstPad *pad = gst_element_get_static_pad (enc, "sink");
      GstCaps *caps = gst_pad_get_current_caps (pad);
      GValue v = G_VALUE_INIT;
      gchar *nick;

      fail_unless (caps != NULL);
      g_value_init (&v, GST_TYPE_LADDER_SCALE_CHROMA_SITING);
      g_object_get_property (G_OBJECT (e), "chroma-siting", &v);
      nick = gst_value_serialize (&v);
      g_string_append_printf (str, "%s%s/%s", str->len ? "," : "", nick,
          gst_structure_get_string (gst_caps_get_structure (caps, 0),
              "chroma-site"));
      g_free (nick);
      g_value_unset (&v);
      gst_caps_unref (caps);
      gst_object_unref (pad);
      gst_object_unref (enc);
    }
    g_value_reset (&item);
  }
  g_value_unset (&item);
  gst_iterator_free (it);
  return g_string_free (str, FALSE);
}

GST_START_TEST (test_chroma_siting)
{
  static const gchar *want[] = { "centre/jpeg,centre/jpeg",
    "auto/mpeg2,auto/mpeg2"
  };
  guint i;

  if (!have ("x264enc")) {
    g_print ("SKIP: test_chroma_siting: x264enc missing\n");
    return;
  }
  /* default, then auto: the bin gives it to every x264 rung */
  for (i = 0; i < G_N_ELEMENTS (want); i++) {
    gchar *launch = g_strdup_printf ("videotestsrc num-buffers=5 "
        "! video/x-raw,format=I420,width=320,height=240,framerate=30/1,"
        "chroma-site=mpeg2 ! ladder name=l renditions=360p,240p%s "
        "l.video_240p ! fakesink sync=false "
        "l.video_360p ! fakesink sync=false", i ? " chroma-siting=auto" : "");
    Ctx *ctx = ctx_new (launch);
    GstElement *ladder;
    gchar *got;

    ctx_run_to_eos (ctx, GST_LADDER_MESSAGE_NONE);
    ladder = gst_bin_get_by_name (GST_BIN (ctx->pipeline), "l");
    got = x264_sitings (GST_BIN (ladder));
    fail_unless_equals_string (got, want[i]);
    g_free (got);
    gst_object_unref (ladder);
    ctx_free (ctx);
    g_free (launch);
  }
}

GST_END_TEST;

static gchar *
read_file (const gchar * dir, const gchar * name)
{
  gchar *path = g_build_filename (dir, name, NULL);
  gchar *contents = NULL;

  g_file_get_contents (path, &contents, NULL, NULL);
  g_free (path);
  return contents;
}

static void
remove_tree (const gchar * path)
{
  GDir *dir = g_dir_open (path, 0, NULL);
  const gchar *name;

  if (dir == NULL) {
    g_remove (path);
    return;
  }
  while ((name = g_dir_read_name (dir))) {
    gchar *child = g_build_filename (path, name, NULL);
    remove_tree (child);
    g_free (child);
  }
  g_dir_close (dir);
  g_rmdir (path);
}

/* The AAC encoder of the HLS tests (without libav when possible), or NULL
 * with a SKIP line for @test when it, x264enc or the HLS sinks are
 * missing */
static const gchar *
hls_aac_encoder (const gchar * test)
{
  const gchar *aac;

  aac = have ("voaacenc") ? "voaacenc" : under_valgrind ()? NULL : "avenc_aac";
  if (!have ("x264enc") || !have ("hlssink2") || !have ("ladderhlssink")
      || aac == NULL || !have (aac)) {
    g_print ("SKIP: %s: x264enc, an AAC encoder, hlssink2 or ladderhlssink "
        "missing\n", test);
    return NULL;
  }
  return aac;
}

GST_START_TEST (test_hls_output)
{
  gchar *dir, *launch, *master, *media;
  const gchar *aac;
  Ctx *ctx;
  GstIterator *it;
  GValue item = G_VALUE_INIT;
  guint src_pads = 0;

  /* raw video in (no decoder) */
  aac = hls_aac_encoder ("test_hls_output");
  if (aac == NULL)
    return;

  dir = g_dir_make_tmp ("ladder-hls-XXXXXX", NULL);
  fail_unless (dir != NULL);
  launch = g_strdup_printf ("ladder name=l renditions=240p,180p:320x180@200 "
      "hls-location=%s hls-target-duration=1 "
      "videotestsrc num-buffers=60 "
      "! video/x-raw,width=320,height=240,framerate=30/1 ! l.video "
      "audiotestsrc num-buffers=80 ! %s ! l.audio", dir, aac);
  ctx = ctx_new (launch);
  g_free (launch);
  ctx_run_to_eos (ctx, GST_LADDER_MESSAGE_NONE);

  /* a sink: no src pads */
  it = gst_element_iterate_src_pads (ctx->ladder);
  while (gst_iterator_next (it, &item) == GST_ITERATOR_OK) {
    src_pads++;
    g_value_reset (&item);
  }
  g_value_unset (&item);
  gst_iterator_free (it);
  fail_unless_equals_int (src_pads, 0);
  fail_unless_equals_int (ctx->pads_added, 0);

  master = read_file (dir, "master.m3u8");
  fail_unless (master != NULL, "no master playlist");
  fail_unless (strstr (master, "180p/index.m3u8") != NULL, "%s", master);
  fail_unless (strstr (master, "240p/index.m3u8") != NULL, "%s", master);
  fail_unless (strstr (master, "mp4a") != NULL, "%s", master);
  media = read_file (dir, "240p/index.m3u8");
  fail_unless (media != NULL);
  fail_unless (strstr (media, "#EXTINF") != NULL, "%s", media);
  g_free (master);
  g_free (media);
  ctx_free (ctx);
  remove_tree (dir);
  g_free (dir);
}

GST_END_TEST;

/* Starts a live HLS ladder of @renditions on @frames frames of 320x240
 * video, with 140 buffers of @aac-encoded audio unless @aac is NULL,
 * writing into a new temporary folder *@dir. Returns the pipeline. With
 * @frames 0, both sources go on until end_after_segment_of(). */
static GstElement *
start_live_hls_ladder (const gchar * renditions, guint frames,
    const gchar * aac, gchar ** dir)
{
  GstElement *pipeline;
  GError *err = NULL;
  gchar *launch, *audio;
  gint video_buffers = frames ? (gint) frames : -1;

  *dir = g_dir_make_tmp ("ladder-hls-XXXXXX", NULL);
  fail_unless (*dir != NULL);
  audio = aac ? g_strdup_printf ("audiotestsrc is-live=true num-buffers=%d "
      "! %s ! l.audio", frames ? 140 : -1, aac) : g_strdup ("");
  launch = g_strdup_printf ("ladder name=l renditions=%s "
      "hls-location=%s hls-target-duration=1 "
      "videotestsrc is-live=true num-buffers=%d "
      "! video/x-raw,width=320,height=240,framerate=30/1 ! l.video %s",
      renditions, *dir, video_buffers, audio);
  pipeline = gst_parse_launch (launch, &err);
  fail_unless (pipeline != NULL, "%s", err ? err->message : "");
  g_free (launch);
  g_free (audio);
  fail_if (gst_element_set_state (pipeline, GST_STATE_PLAYING) ==
      GST_STATE_CHANGE_FAILURE);
  return pipeline;
}

/* Waits for @n element messages named @name on @bus (what: @what); an
 * EOS or an error before fails the test. */
static void
wait_hls_messages (GstBus * bus, const gchar * name, guint n,
    const gchar * what)
{
  while (n > 0) {
    GstMessage *msg = ladder_test_bus_wait (bus, GST_MESSAGE_ELEMENT |
        GST_MESSAGE_ERROR | GST_MESSAGE_EOS, LADDER_TEST_WAIT, what);

    fail_if (GST_MESSAGE_TYPE (msg) != GST_MESSAGE_ELEMENT, "%s before %s",
        GST_MESSAGE_TYPE_NAME (msg), what);
    if (gst_message_has_name (msg, name))
      n--;
    gst_message_unref (msg);
  }
}

/* Lets a live ladder of start_live_hls_ladder() writing into @dir, with
 * endless sources, run until the media playlist of rendition @name lists
 * a segment, then ends the sources and waits for the EOS: a rendition
 * added while playing starts when its encoder has, which on a slow
 * machine (valgrind) may come after a short source ended. Returns how many
 * warnings whose message holds @warning came on the way (0 without
 * @warning); an error fails the test. */
static guint
end_after_segment_of (GstElement * pipeline, GstBus * bus, const gchar * dir,
    const gchar * name, const gchar * warning)
{
  gchar *path = g_build_filename (name, "index.m3u8", NULL);
  gboolean ended = FALSE;
  guint warnings = 0;
  GError *err = NULL;

  for (;;) {
    GstMessage *msg = ladder_test_bus_wait (bus, GST_MESSAGE_EOS |
        GST_MESSAGE_ERROR | GST_MESSAGE_WARNING | GST_MESSAGE_ELEMENT,
        LADDER_TEST_WAIT, ended ? "the EOS of the ladder" :
        "a segment of the added rendition");

    if (GST_MESSAGE_TYPE (msg) == GST_MESSAGE_ERROR) {
      gst_message_parse_error (msg, &err, NULL);
      fail ("error from %s: %s", GST_MESSAGE_SRC_NAME (msg), err->message);
    }
    if (GST_MESSAGE_TYPE (msg) == GST_MESSAGE_WARNING && warning) {
      gst_message_parse_warning (msg, &err, NULL);
      if (strstr (err->message, warning) != NULL)
        warnings++;
      g_clear_error (&err);
    }
    /* the playlists are written as segments close */
    if (GST_MESSAGE_TYPE (msg) == GST_MESSAGE_ELEMENT && !ended &&
        gst_message_has_name (msg, "splitmuxsink-fragment-closed")) {
      gchar *media = read_file (dir, path);

      if (media != NULL && strstr (media, "#EXTINF") != NULL) {
        ended = TRUE;
        gst_element_send_event (pipeline, gst_event_new_eos ());
      }
      g_free (media);
    }
    if (GST_MESSAGE_TYPE (msg) == GST_MESSAGE_EOS) {
      gst_message_unref (msg);
      fail_unless (ended, "EOS before %s listed a segment", name);
      break;
    }
    gst_message_unref (msg);
  }
  g_free (path);
  return warnings;
}

/* A rendition removed on one thread while another requests an input pad:
 * the HLS pads of the new track are requested for every rendition of the
 * ladder, and one of them may be asked for just as its rendition leaves.
 * The thread that requested it must not keep it (it would never be
 * released, and the HLS sink would wait for its EOS forever), and
 * requests of the same pad from two threads must come to one pad. The
 * request of audio_180p is held, through the notify of its bitrate that
 * the ladder sets once the pad exists, until the removal has returned
 * (or 3 s: with the requests made one at a time, the removal waits for
 * the runner, which waits for this request). */
typedef struct
{
  GstElement *ladder;
  GMutex lock;
  GCond cond;
  gboolean held, removed, remove_ret;
  GThread *remover;
} RemoveDuringRequest;

static gpointer
remove_180p (gpointer data)
{
  RemoveDuringRequest *r = data;
  gboolean ret = emit_remove (r->ladder, "180p");

  g_mutex_lock (&r->lock);
  r->removed = TRUE;
  r->remove_ret = ret;
  g_cond_broadcast (&r->cond);
  g_mutex_unlock (&r->lock);
  return NULL;
}

static void
hold_180p_request (GObject * pad, GParamSpec * pspec, RemoveDuringRequest * r)
{
  gint64 until = g_get_monotonic_time () + 3 * G_TIME_SPAN_SECOND;

  if (!g_str_equal (GST_PAD_NAME (pad), "audio_180p"))
    return;
  g_mutex_lock (&r->lock);
  if (r->held) {
    g_mutex_unlock (&r->lock);
    return;
  }
  r->held = TRUE;
  r->remover = g_thread_new ("remover", remove_180p, r);
  while (!r->removed && g_cond_wait_until (&r->cond, &r->lock, until));
  g_mutex_unlock (&r->lock);
}

static void
hls_pad_added (GstElement * hls, GstPad * pad, RemoveDuringRequest * r)
{
  g_signal_connect (pad, "notify::bitrate", G_CALLBACK (hold_180p_request), r);
}

GST_START_TEST (test_hls_remove_during_pad_request)
{
  RemoveDuringRequest r = { 0, };
  GstElement *pipeline, *hls, *audio;
  GstPad *pad, *srcpad;
  GstBus *bus;
  GstMessage *msg;
  GError *err = NULL;
  gchar *dir, *launch, *master;
  const gchar *aac;

  aac = hls_aac_encoder ("test_hls_remove_during_pad_request");
  if (aac == NULL)
    return;

  g_mutex_init (&r.lock);
  g_cond_init (&r.cond);
  pipeline = start_live_hls_ladder ("240p,180p:320x180@200", 90, NULL, &dir);
  r.ladder = gst_bin_get_by_name (GST_BIN (pipeline), "l");
  hls = gst_bin_get_by_name (GST_BIN (r.ladder), "hls");
  fail_unless (hls != NULL, "the ladder made no HLS sink");
  g_signal_connect (hls, "pad-added", G_CALLBACK (hls_pad_added), &r);

  /* the audio track comes while the video plays */
  pad = gst_element_request_pad_simple (r.ladder, "audio");
  fail_unless (pad != NULL);
  g_mutex_lock (&r.lock);
  fail_unless (r.held, "the HLS pad audio_180p was not requested");
  LADDER_TEST_COND_WAIT (&r.cond, &r.lock, LADDER_TEST_WAIT, r.removed,
      "the removal of 180p");
  fail_unless (r.remove_ret, "180p was not removed");
  g_mutex_unlock (&r.lock);
  g_thread_join (r.remover);

  launch = g_strdup_printf ("audiotestsrc is-live=true num-buffers=60 ! %s",
      aac);
  audio = gst_parse_bin_from_description (launch, TRUE, &err);
  fail_unless (audio != NULL, "%s", err ? err->message : "");
  g_free (launch);
  gst_bin_add (GST_BIN (pipeline), audio);
  srcpad = gst_element_get_static_pad (audio, "src");
  fail_unless_equals_int (gst_pad_link (srcpad, pad), GST_PAD_LINK_OK);
  gst_object_unref (srcpad);
  gst_object_unref (pad);
  fail_unless (gst_element_sync_state_with_parent (audio));

  /* both sources end on their own */
  bus = gst_element_get_bus (pipeline);
  msg = ladder_test_bus_wait (bus, GST_MESSAGE_EOS | GST_MESSAGE_ERROR,
      LADDER_TEST_WAIT, "the EOS of a ladder whose 180p left as its audio "
      "pad was requested");
  if (GST_MESSAGE_TYPE (msg) == GST_MESSAGE_ERROR) {
    gst_message_parse_error (msg, &err, NULL);
    fail ("error from %s: %s", GST_MESSAGE_SRC_NAME (msg), err->message);
  }
  gst_message_unref (msg);
  gst_object_unref (bus);

  master = read_file (dir, "master.m3u8");
  fail_unless (master != NULL, "no master playlist");
  fail_unless (strstr (master, "240p/index.m3u8") != NULL, "%s", master);
  fail_unless (strstr (master, "180p/") == NULL, "%s", master);
  g_free (master);
  pad = gst_element_get_static_pad (hls, "audio_180p");
  fail_unless (pad == NULL, "the HLS pad of the removed 180p is still there");
  pad = gst_element_get_static_pad (hls, "audio_240p");
  fail_unless (pad != NULL, "240p has no HLS audio pad");
  fail_unless (gst_pad_is_linked (pad), "the audio of 240p is not linked");
  gst_object_unref (pad);

  gst_element_set_state (pipeline, GST_STATE_NULL);
  gst_object_unref (hls);
  gst_object_unref (r.ladder);
  gst_object_unref (pipeline);
  g_mutex_clear (&r.lock);
  g_cond_clear (&r.cond);
  remove_tree (dir);
  g_free (dir);
}

GST_END_TEST;

/* A rendition added while the ladder writes HLS, by add-rendition (loop
 * 0) or by a new renditions string (loop 1): its video HLS pad is there
 * before its audio one. The audio output is announced at once and
 * the video output only once the decoded frames have caps; the HLS sink
 * holds a rendition's audio while its video pad waits for caps, and audio
 * let in before the video pad existed started the rendition's segments on
 * the audio's timeline, which splitmuxsink then refused ("Queued GOP time
 * is negative") when the video came in behind it. */
static void
note_hls_pad (GstElement * hls, GstPad * pad, GPtrArray * names)
{
  GST_OBJECT_LOCK (hls);
  g_ptr_array_add (names, g_strdup (GST_PAD_NAME (pad)));
  GST_OBJECT_UNLOCK (hls);
}

GST_START_TEST (test_hls_added_rendition_video_pad_first)
{
  GstElement *pipeline, *ladder, *hls;
  GPtrArray *names = g_ptr_array_new_with_free_func (g_free);
  GstBus *bus;
  gchar *dir, *master, *media;
  const gchar *aac;
  gint video = -1, audio = -1;
  guint i;

  aac = hls_aac_encoder ("test_hls_added_rendition_video_pad_first");
  if (aac == NULL)
    return;

  pipeline = start_live_hls_ladder ("240p", 0, aac, &dir);
  ladder = gst_bin_get_by_name (GST_BIN (pipeline), "l");
  bus = gst_element_get_bus (pipeline);
  hls = gst_bin_get_by_name (GST_BIN (ladder), "hls");
  fail_unless (hls != NULL, "the ladder made no HLS sink");

  /* the first segment of 240p is open: audio and video flow */
  wait_hls_messages (bus, "splitmuxsink-fragment-opened", 1,
      "the first HLS segment");

  g_signal_connect (hls, "pad-added", G_CALLBACK (note_hls_pad), names);
  if (__i__ == 0) {
    fail_unless (emit_add (ladder, "180p:320x180@200"));
  } else {
    gchar *str;

    g_object_set (ladder, "renditions", "240p,180p:320x180@200", NULL);
    g_object_get (ladder, "renditions", &str, NULL);
    fail_unless (strstr (str, "180p") != NULL, "%s", str);
    g_free (str);
  }
  g_signal_handlers_disconnect_by_func (hls, note_hls_pad, names);
  GST_OBJECT_LOCK (hls);
  for (i = 0; i < names->len; i++) {
    const gchar *name = g_ptr_array_index (names, i);

    if (g_str_equal (name, "video_180p"))
      video = i;
    else if (g_str_equal (name, "audio_180p"))
      audio = i;
  }
  GST_OBJECT_UNLOCK (hls);
  fail_unless (video >= 0 && audio >= 0, "the HLS pads of 180p were not "
      "requested while it was added");
  fail_unless (video < audio, "the audio HLS pad of 180p came before its "
      "video one");

  end_after_segment_of (pipeline, bus, dir, "180p", NULL);

  /* 180p is a variant with audio and video */
  master = read_file (dir, "master.m3u8");
  fail_unless (master != NULL, "no master playlist");
  fail_unless (strstr (master, "180p/index.m3u8") != NULL, "%s", master);
  media = read_file (dir, "180p/index.m3u8");
  fail_unless (media != NULL);
  fail_unless (strstr (media, "#EXTINF") != NULL, "%s", media);
  fail_unless (g_str_has_suffix (media, "#EXT-X-ENDLIST\n"), "%s", media);
  g_free (media);
  g_free (master);

  gst_element_set_state (pipeline, GST_STATE_NULL);
  gst_object_unref (bus);
  gst_object_unref (hls);
  gst_object_unref (ladder);
  gst_object_unref (pipeline);
  g_ptr_array_unref (names);
  remove_tree (dir);
  g_free (dir);
}

GST_END_TEST;

/* While HLS is written, a rendition that ended keeps its files: its name
 * is not taken again in the run (before, a rendition removed and added
 * again, or edited by a new renditions string, wrote its segments from
 * segment00000.ts over the old ones, under a media playlist that had
 * ended). Add-rendition refuses the name, a renditions string that brings
 * it back or rebuilds a rendition is refused and changes nothing, and a
 * new name works. */
static gchar *
renditions_of (GstElement * ladder)
{
  gchar *str;

  g_object_get (ladder, "renditions", &str, NULL);
  return str;
}

GST_START_TEST (test_hls_ended_name_not_taken_again)
{
  GstElement *pipeline, *ladder;
  GstBus *bus;
  gchar *dir, *str, *master, *media, **lines;
  guint warnings, i, listed = 0;

  if (!have ("x264enc") || !have ("hlssink2") || !have ("ladderhlssink")) {
    g_print ("SKIP: test_hls_ended_name_not_taken_again: x264enc, hlssink2 "
        "or ladderhlssink missing\n");
    return;
  }

  pipeline = start_live_hls_ladder ("240p,180p:320x180@200", 0, NULL, &dir);
  ladder = gst_bin_get_by_name (GST_BIN (pipeline), "l");
  bus = gst_element_get_bus (pipeline);

  /* both renditions wrote a segment */
  wait_hls_messages (bus, "splitmuxsink-fragment-closed", 2,
      "two HLS segments");

  fail_unless (emit_remove (ladder, "180p"));
  fail_if (emit_add (ladder, "180p:320x180@200"),
      "180p was added again while its files stay");
  g_object_set (ladder, "renditions", "240p,180p:320x180@200", NULL);
  str = renditions_of (ladder);
  fail_unless_equals_string (str, "240p");
  g_free (str);
  /* rebuilding 240p would end its media playlist */
  g_object_set (ladder, "renditions", "240p:426x240@300", NULL);
  str = renditions_of (ladder);
  fail_unless_equals_string (str, "240p");
  g_free (str);
  fail_unless (emit_add (ladder, "180b:320x180@200"));

  warnings = end_after_segment_of (pipeline, bus, dir, "180b",
      "The ladder is unchanged");
  fail_unless_equals_int (warnings, 2);

  /* 180p ended once, every segment it lists whole; 180b is a variant */
  media = read_file (dir, "180p/index.m3u8");
  fail_unless (media != NULL);
  fail_unless (g_str_has_suffix (media, "#EXT-X-ENDLIST\n"), "%s", media);
  lines = g_strsplit (media, "\n", -1);
  for (i = 0; lines[i]; i++) {
    gchar *path;
    GStatBuf st;

    if (lines[i][0] == '\0' || lines[i][0] == '#')
      continue;
    path = g_build_filename (dir, "180p", lines[i], NULL);
    fail_unless (g_stat (path, &st) == 0 && st.st_size > 0, "%s", path);
    g_free (path);
    listed++;
  }
  fail_unless (listed > 0, "%s", media);
  g_strfreev (lines);
  g_free (media);
  master = read_file (dir, "master.m3u8");
  fail_unless (master != NULL);
  fail_unless (strstr (master, "180p/") == NULL, "%s", master);
  fail_unless (strstr (master, "180b/index.m3u8") != NULL, "%s", master);
  fail_unless (strstr (master, "240p/index.m3u8") != NULL, "%s", master);
  g_free (master);

  gst_element_set_state (pipeline, GST_STATE_NULL);
  gst_object_unref (bus);
  gst_object_unref (ladder);
  gst_object_unref (pipeline);
  remove_tree (dir);
  g_free (dir);
}

GST_END_TEST;

static void
note_freed (gpointer data, GObject * where_the_object_was)
{
  *(gboolean *) data = TRUE;
}

/* The ladder and its runner hold each other only between READY and NULL:
 * a ladder is freed with its last reference, started or not. */
GST_START_TEST (test_ladder_is_freed)
{
  GstElement *pipeline, *ladder;
  gboolean freed = FALSE;
  GError *err = NULL;

  /* never started */
  ladder = gst_element_factory_make ("ladder", NULL);
  fail_unless (ladder != NULL);
  g_object_weak_ref (G_OBJECT (ladder), note_freed, &freed);
  gst_object_unref (ladder);
  fail_unless (freed, "a ladder that never started was not freed");

  /* played to the end, with renditions, then stopped */
  freed = FALSE;
  pipeline = gst_parse_launch ("videotestsrc num-buffers=10 ! "
      "video/x-raw,width=320,height=240,framerate=30/1 ! "
      "ladder name=l renditions=source,240p l.video_source ! fakesink "
      "l.video_240p ! fakesink", &err);
  fail_unless (pipeline != NULL, "%s", err ? err->message : "");
  ladder = gst_bin_get_by_name (GST_BIN (pipeline), "l");
  g_object_weak_ref (G_OBJECT (ladder), note_freed, &freed);
  gst_object_unref (ladder);
  fail_if (gst_element_set_state (pipeline, GST_STATE_PLAYING) ==
      GST_STATE_CHANGE_FAILURE);
  ladder_test_wait_eos (pipeline, 30 * GST_SECOND, "ten buffers played");
  gst_element_set_state (pipeline, GST_STATE_NULL);
  gst_object_unref (pipeline);
  fail_unless (freed, "a ladder that played was not freed");
}

GST_END_TEST;

static Suite *
ladder_suite (void)
{
  Suite *s = suite_create ("ladder");
  TCase *tc = tcase_create ("general");

  suite_add_tcase (s, tc);
  tcase_add_test (tc, test_ladder_is_freed);
  tcase_add_test (tc, test_properties);
  tcase_add_test (tc, test_source_rendition_src_pads);
  tcase_add_test (tc, test_bad_renditions_refused);
  tcase_add_test (tc, test_bad_hls_settings_refused);
  tcase_add_test (tc, test_actions_while_playing);
  tcase_add_test (tc, test_removed_rendition_pad_gets_eos);
  tcase_add_test (tc, test_x264_renditions);
  tcase_add_test (tc, test_decoded_rate_that_is_no_rate);
  tcase_add_test (tc, test_chroma_siting);
  tcase_add_test (tc, test_hls_output);
  tcase_add_test (tc, test_hls_remove_during_pad_request);
  tcase_add_loop_test (tc, test_hls_added_rendition_video_pad_first, 0, 2);
  tcase_add_test (tc, test_hls_ended_name_not_taken_again);
  return s;
}

GST_CHECK_MAIN (ladder);
