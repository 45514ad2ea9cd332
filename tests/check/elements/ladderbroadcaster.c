/* gst-ladder
 * Copyright (C) 2026 The gst-ladder authors
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2 of the License, or (at your option) any later version.
 */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <gst/check/gstcheck.h>
#include <gst/check/gstharness.h>
#include <gst/video/video.h>
#include <gst/ladder/ladder.h>

#include "laddertest.h"

#define FRAME (100 * GST_MSECOND)
#define H264_CAPS "video/x-h264,stream-format=byte-stream,alignment=au"

/* helpers */

static GstElement *
new_bcast (const gchar * first_prop, ...)
{
  GstElement *e = gst_element_factory_make ("ladderbroadcaster", NULL);
  va_list args;

  fail_unless (e != NULL);
  /* block by default: pushing a burst faster than real time must not drop;
   * the tests about dropping or liveness set the policy themselves */
  g_object_set (e, "lag-policy", GST_LADDER_BROADCASTER_LAG_BLOCK, NULL);
  if (first_prop) {
    va_start (args, first_prop);
    g_object_set_valist (G_OBJECT (e), first_prop, args);
    va_end (args);
  }
  return e;
}

static GstHarness *
new_input (GstElement * e, const gchar * caps)
{
  GstHarness *h = gst_harness_new_with_element (e, "sink", NULL);

  gst_harness_set_src_caps_str (h, caps);
  return h;
}

static GstHarness *
new_output (GstElement * e)
{
  return gst_harness_new_with_element (e, NULL, "src_%u");
}

/* frame n of a stream with GOPs of gop frames */
static GstBuffer *
make_frame (guint n, guint gop, gsize size)
{
  GstBuffer *buf = gst_buffer_new_allocate (NULL, size, NULL);

  gst_buffer_memset (buf, 0, n & 0xff, size);
  GST_BUFFER_PTS (buf) = GST_BUFFER_DTS (buf) = n * FRAME;
  GST_BUFFER_DURATION (buf) = FRAME;
  if (gop == 0 || n % gop != 0)
    GST_BUFFER_FLAG_SET (buf, GST_BUFFER_FLAG_DELTA_UNIT);
  return buf;
}

static void
push_frames (GstHarness * h, guint from, guint to, guint gop)
{
  guint n;

  for (n = from; n < to; n++)
    fail_unless_equals_int (gst_harness_push (h, make_frame (n, gop, 100)),
        GST_FLOW_OK);
}

static void pull_frame_check (GstHarness * h, guint n, gboolean keyframe);

/* pushes frames, each pulled from @paced before the next: a live pace */
static void
push_frames_paced (GstHarness * h, GstHarness * paced, guint from, guint to,
    guint gop)
{
  guint n;

  for (n = from; n < to; n++) {
    fail_unless_equals_int (gst_harness_push (h, make_frame (n, gop, 100)),
        GST_FLOW_OK);
    pull_frame_check (paced, n, n % gop == 0);
  }
}

static void
pull_frame_check (GstHarness * h, guint n, gboolean keyframe)
{
  GstBuffer *buf = gst_harness_pull (h);

  fail_unless (buf != NULL, "no buffer for frame %u", n);
  fail_unless_equals_uint64 (GST_BUFFER_PTS (buf), n * FRAME);
  fail_unless_equals_int (!GST_BUFFER_FLAG_IS_SET (buf,
          GST_BUFFER_FLAG_DELTA_UNIT), keyframe);
  gst_buffer_unref (buf);
}

/* pulls events until one of @type arrives */
static void
wait_event (GstHarness * h, GstEventType type)
{
  GstEvent *ev;

  while ((ev = gst_harness_pull_event (h))) {
    gboolean found = GST_EVENT_TYPE (ev) == type;

    gst_event_unref (ev);
    if (found)
      return;
  }
  fail ("no %s event", gst_event_type_get_name (type));
}

static GstMessage *
wait_message (GstBus * bus, GstLadderMessageType type)
{
  GstMessage *msg;

  while ((msg = gst_bus_timed_pop_filtered (bus, 20 * GST_SECOND,
              GST_MESSAGE_ELEMENT))) {
    if (gst_ladder_message_get_type (msg) == type)
      return msg;
    gst_message_unref (msg);
  }
  fail ("no %s message", gst_ladder_message_type_get_name (type));
  return NULL;
}

static const GstStructure *
stats_pad (const GstStructure * stats, const gchar * name)
{
  const GValue *pads = gst_structure_get_value (stats, "pads");
  guint i;

  for (i = 0; i < gst_value_array_get_size (pads); i++) {
    const GstStructure *p =
        gst_value_get_structure (gst_value_array_get_value (pads, i));

    if (g_strcmp0 (gst_structure_get_string (p, "name"), name) == 0)
      return p;
  }
  fail ("no stats for pad %s", name);
  return NULL;
}

static guint64
pad_stat (GstElement * e, const gchar * pad, const gchar * field)
{
  GstStructure *stats = gst_ladder_broadcaster_get_stats
      (GST_LADDER_BROADCASTER (e));
  const GstStructure *p = stats_pad (stats, pad);
  guint64 v = 0;
  guint u;
  gboolean b;

  if (gst_structure_get_boolean (p, field, &b)) {
    v = b;
  } else if (!gst_structure_get_uint64 (p, field, &v)) {
    fail_unless (gst_structure_get_uint (p, field, &u));
    v = u;
  }
  gst_structure_free (stats);
  return v;
}

static gchar *
output_pad_name (GstHarness * h)
{
  return gst_pad_get_name (GST_PAD_PEER (h->sinkpad));
}

/* blocks the buffers reaching a harness until released; a flush releases */
typedef struct
{
  GMutex lock;
  GCond cond;
  guint entered;
  gboolean release;
  guint sleep_us;
} Blocker;

static void
blocker_init (Blocker * b)
{
  g_mutex_init (&b->lock);
  g_cond_init (&b->cond);
  b->entered = 0;
  b->release = FALSE;
  b->sleep_us = 0;
}

static void
blocker_clear (Blocker * b)
{
  g_mutex_clear (&b->lock);
  g_cond_clear (&b->cond);
}

static GstPadProbeReturn
blocker_probe (GstPad * pad, GstPadProbeInfo * info, gpointer user_data)
{
  Blocker *b = user_data;

  g_mutex_lock (&b->lock);
  if (GST_PAD_PROBE_INFO_TYPE (info) & GST_PAD_PROBE_TYPE_EVENT_FLUSH) {
    b->release = TRUE;
    g_cond_broadcast (&b->cond);
  } else {
    b->entered++;
    g_cond_broadcast (&b->cond);
    while (!b->release)
      g_cond_wait (&b->cond, &b->lock);
  }
  g_mutex_unlock (&b->lock);
  return GST_PAD_PROBE_OK;
}

static void
blocker_attach (Blocker * b, GstHarness * h)
{
  gst_pad_add_probe (h->sinkpad, GST_PAD_PROBE_TYPE_BUFFER |
      GST_PAD_PROBE_TYPE_EVENT_FLUSH, blocker_probe, b, NULL);
}

static void
blocker_wait_entered (Blocker * b)
{
  g_mutex_lock (&b->lock);
  LADDER_TEST_COND_WAIT (&b->cond, &b->lock, LADDER_TEST_WAIT, b->entered > 0,
      "no buffer reached the blocked branch within 20 s");
  g_mutex_unlock (&b->lock);
}

static void
blocker_release (Blocker * b)
{
  g_mutex_lock (&b->lock);
  b->release = TRUE;
  g_cond_broadcast (&b->cond);
  g_mutex_unlock (&b->lock);
}

/* a slow branch: every buffer takes a while */
static GstPadProbeReturn
slow_probe (GstPad * pad, GstPadProbeInfo * info, gpointer user_data)
{
  g_usleep (GPOINTER_TO_UINT (user_data));
  return GST_PAD_PROBE_OK;
}

/* answers upstream latency queries as a (non-)live source would */
static GstPadProbeReturn
latency_probe (GstPad * pad, GstPadProbeInfo * info, gpointer user_data)
{
  GstQuery *q = GST_PAD_PROBE_INFO_QUERY (info);
  gboolean live = GPOINTER_TO_INT (user_data);

  if (GST_QUERY_TYPE (q) != GST_QUERY_LATENCY)
    return GST_PAD_PROBE_OK;
  gst_query_set_latency (q, live, 10 * GST_MSECOND,
      live ? 100 * GST_MSECOND : GST_CLOCK_TIME_NONE);
  return GST_PAD_PROBE_HANDLED;
}

static void
set_upstream_live (GstHarness * in, gboolean live)
{
  gst_pad_add_probe (in->srcpad, GST_PAD_PROBE_TYPE_QUERY_UPSTREAM,
      latency_probe, GINT_TO_POINTER (live), NULL);
}

/* Checks that a received sequence never has a hole inside a GOP: after a
 * gap the next buffer is a keyframe. Returns the number of buffers. */
static guint
check_whole_gops (GstHarness * h, guint * gaps)
{
  GstClockTime prev = GST_CLOCK_TIME_NONE;
  GstBuffer *buf;
  guint n = 0;

  *gaps = 0;
  while ((buf = gst_harness_try_pull (h))) {
    gboolean key = !GST_BUFFER_FLAG_IS_SET (buf, GST_BUFFER_FLAG_DELTA_UNIT);

    if (n == 0)
      fail_unless (key, "first buffer is a delta unit");
    else if (GST_BUFFER_PTS (buf) != prev + FRAME) {
      fail_unless (key, "buffer %" GST_TIME_FORMAT " after a gap is a delta",
          GST_TIME_ARGS (GST_BUFFER_PTS (buf)));
      (*gaps)++;
    }
    prev = GST_BUFFER_PTS (buf);
    n++;
    gst_buffer_unref (buf);
  }
  return n;
}

/* tests */

GST_START_TEST (test_fanout)
{
  GstElement *e = new_bcast ("broadcast", "live/demo", "track", "video", NULL);
  GstHarness *in = new_input (e, H264_CAPS);
  GstHarness *out[3];
  GstCaps *caps, *expected;
  guint i, n;

  for (i = 0; i < 3; i++)
    out[i] = new_output (e);

  push_frames (in, 0, 10, 5);

  for (i = 0; i < 3; i++) {
    wait_event (out[i], GST_EVENT_STREAM_START);
    wait_event (out[i], GST_EVENT_CAPS);
    wait_event (out[i], GST_EVENT_SEGMENT);
    for (n = 0; n < 10; n++)
      pull_frame_check (out[i], n, n % 5 == 0);
  }

  g_object_get (e, "caps", &caps, NULL);
  fail_unless (caps != NULL);
  expected = gst_caps_from_string (H264_CAPS);
  fail_unless (gst_caps_is_equal (caps, expected));
  gst_caps_unref (caps);
  gst_caps_unref (expected);

  {
    gchar *b = gst_ladder_broadcaster_get_broadcast (GST_LADDER_BROADCASTER
        (e));
    gchar *t = gst_ladder_broadcaster_get_track (GST_LADDER_BROADCASTER (e));

    fail_unless_equals_string (b, "live/demo");
    fail_unless_equals_string (t, "video");
    g_free (b);
    g_free (t);
  }

  for (i = 0; i < 3; i++)
    gst_harness_teardown (out[i]);
  gst_harness_teardown (in);
  gst_object_unref (e);
}

GST_END_TEST;

GST_START_TEST (test_zero_pads)
{
  GstElement *e = new_bcast (NULL);
  GstHarness *in = new_input (e, H264_CAPS);
  GstStructure *stats;
  guint64 v;
  guint cached;

  /* nobody listens: still OK, the data feeds the GOP cache */
  push_frames (in, 0, 7, 5);
  stats = gst_ladder_broadcaster_get_stats (GST_LADDER_BROADCASTER (e));
  fail_unless (gst_structure_get_uint64 (stats, "buffers-in", &v));
  fail_unless_equals_uint64 (v, 7);
  fail_unless (gst_structure_get_uint (stats, "gop-cache-buffers", &cached));
  fail_unless_equals_int (cached, 2);
  gst_structure_free (stats);

  gst_harness_teardown (in);
  gst_object_unref (e);
}

GST_END_TEST;

GST_START_TEST (test_late_joiner_gop_cache)
{
  GstElement *e = new_bcast (NULL);
  GstHarness *in = new_input (e, H264_CAPS);
  GstHarness *early = new_output (e);
  GstHarness *late;

  push_frames (in, 0, 8, 5);    /* K D D D D K D D */

  late = new_output (e);
  /* sticky events, then the cached GOP at once: frames 5, 6, 7 */
  wait_event (late, GST_EVENT_STREAM_START);
  wait_event (late, GST_EVENT_CAPS);
  wait_event (late, GST_EVENT_SEGMENT);
  pull_frame_check (late, 5, TRUE);
  pull_frame_check (late, 6, FALSE);
  pull_frame_check (late, 7, FALSE);

  push_frames (in, 8, 11, 5);
  pull_frame_check (late, 8, FALSE);
  pull_frame_check (late, 9, FALSE);
  pull_frame_check (late, 10, TRUE);
  fail_unless_equals_int (gst_harness_buffers_received (late), 6);

  gst_harness_teardown (late);
  gst_harness_teardown (early);
  gst_harness_teardown (in);
  gst_object_unref (e);
}

GST_END_TEST;

GST_START_TEST (test_late_joiner_next_keyframe)
{
  GstElement *e = new_bcast ("start-policy",
      GST_LADDER_BROADCASTER_START_NEXT_KEYFRAME, NULL);
  GstHarness *in = new_input (e, H264_CAPS);
  GstHarness *late;
  GstStructure *stats;
  guint cached;

  push_frames (in, 0, 8, 5);
  late = new_output (e);
  /* deltas are not queued for it: the first thing it gets is frame 10 */
  push_frames (in, 8, 12, 5);
  pull_frame_check (late, 10, TRUE);
  pull_frame_check (late, 11, FALSE);

  stats = gst_ladder_broadcaster_get_stats (GST_LADDER_BROADCASTER (e));
  fail_unless (gst_structure_get_uint (stats, "gop-cache-buffers", &cached));
  fail_unless_equals_int (cached, 0);
  gst_structure_free (stats);

  gst_harness_teardown (late);
  gst_harness_teardown (in);
  gst_object_unref (e);
}

GST_END_TEST;

GST_START_TEST (test_first_pad_waits_for_keyframe)
{
  GstElement *e = new_bcast (NULL);
  GstHarness *in = new_input (e, H264_CAPS);
  GstHarness *out = new_output (e);

  /* a stream joined mid-GOP: the deltas before the first keyframe are
   * never sent */
  push_frames (in, 3, 7, 5);
  pull_frame_check (out, 5, TRUE);
  pull_frame_check (out, 6, FALSE);
  fail_unless_equals_int (gst_harness_buffers_received (out), 2);

  gst_harness_teardown (out);
  gst_harness_teardown (in);
  gst_object_unref (e);
}

GST_END_TEST;

GST_START_TEST (test_late_joiner_headers)
{
  GstElement *e = new_bcast (NULL);
  GstHarness *in = new_input (e, H264_CAPS);
  GstHarness *late;
  GstBuffer *buf;
  guint8 expected;
  guint i;

  for (i = 0; i < 2; i++) {
    buf = gst_buffer_new_allocate (NULL, 10, NULL);
    gst_buffer_memset (buf, 0, 0xa0 + i, 10);
    GST_BUFFER_FLAG_SET (buf, GST_BUFFER_FLAG_HEADER);
    fail_unless_equals_int (gst_harness_push (in, buf), GST_FLOW_OK);
  }
  push_frames (in, 0, 7, 5);

  late = new_output (e);
  for (i = 0; i < 2; i++) {
    buf = gst_harness_pull (late);
    fail_unless (buf != NULL);
    fail_unless (GST_BUFFER_FLAG_IS_SET (buf, GST_BUFFER_FLAG_HEADER));
    expected = 0xa0 + i;
    fail_unless (gst_buffer_memcmp (buf, 0, &expected, 1) == 0);
    gst_buffer_unref (buf);
  }
  pull_frame_check (late, 5, TRUE);
  pull_frame_check (late, 6, FALSE);

  gst_harness_teardown (late);
  gst_harness_teardown (in);
  gst_object_unref (e);
}

GST_END_TEST;

/* h264parse config-interval=-1 flags every IDR access unit HEADER, since
 * it carries SPS/PPS: such a timestamped buffer is a keyframe, and a late
 * joiner starts on it and gets the deltas after it */
GST_START_TEST (test_late_joiner_keyframe_flagged_header)
{
  GstElement *e = new_bcast (NULL);
  GstHarness *in = new_input (e, H264_CAPS);
  GstHarness *late = NULL;
  GstBuffer *buf;
  guint i;

  for (i = 0; i < 6; i++) {
    buf = gst_buffer_new_allocate (NULL, 10, NULL);
    gst_buffer_memset (buf, 0, i, 10);
    GST_BUFFER_PTS (buf) = GST_BUFFER_DTS (buf) = i * 40 * GST_MSECOND;
    GST_BUFFER_DURATION (buf) = 40 * GST_MSECOND;
    if (i % 3 == 0)
      GST_BUFFER_FLAG_SET (buf, GST_BUFFER_FLAG_HEADER);
    else
      GST_BUFFER_FLAG_SET (buf, GST_BUFFER_FLAG_DELTA_UNIT);
    fail_unless_equals_int (gst_harness_push (in, buf), GST_FLOW_OK);
    if (i == 4)
      late = new_output (e);
  }

  /* the cached GOP: the keyframe at 3 and the delta at 4, then 5 */
  for (i = 3; i < 6; i++) {
    buf = gst_harness_pull (late);
    fail_unless (buf != NULL);
    fail_unless_equals_uint64 (GST_BUFFER_PTS (buf), i * 40 * GST_MSECOND);
    fail_unless_equals_int (GST_BUFFER_FLAG_IS_SET (buf,
            GST_BUFFER_FLAG_DELTA_UNIT), i != 3);
    gst_buffer_unref (buf);
  }
  fail_unless_equals_int (gst_harness_buffers_in_queue (late), 0);

  gst_harness_teardown (late);
  gst_harness_teardown (in);
  gst_object_unref (e);
}

GST_END_TEST;

GST_START_TEST (test_live_blocked_branch_drops_gops)
{
  GstElement *e = new_bcast ("lag-policy", GST_LADDER_BROADCASTER_LAG_DROP,
      "max-queue-buffers", 6, "max-lag", (guint64) 0, NULL);
  GstHarness *in = new_input (e, H264_CAPS);
  GstHarness *fast = new_output (e);
  GstHarness *slow = new_output (e);
  GstBus *bus = gst_bus_new ();
  GstMessage *msg;
  Blocker b;
  gchar *slow_name = output_pad_name (slow), *pad = NULL;
  guint64 dropped = 0, gops = 0;
  guint n, gaps, received;

  gst_element_set_bus (e, bus);
  blocker_init (&b);
  blocker_attach (&b, slow);

  push_frames_paced (in, fast, 0, 1, 4);
  blocker_wait_entered (&b);

  /* 20 GOPs while the slow branch is stuck on frame 0: the other gets
   * everything, at once */
  push_frames_paced (in, fast, 1, 80, 4);

  /* frames 1-6 fill the queue; frame 7 overflows it: frames 4-7, the
   * current GOP, are dropped */
  msg = wait_message (bus, GST_LADDER_MESSAGE_BROADCASTER_LAG);
  fail_unless (gst_ladder_message_parse_broadcaster_lag (msg, NULL, NULL,
          &pad, &dropped, &gops, NULL));
  fail_unless_equals_string (pad, slow_name);
  fail_unless_equals_uint64 (dropped, 4);
  fail_unless_equals_uint64 (gops, 1);
  gst_message_unref (msg);
  g_free (pad);

  /* every later GOP overflows the queue too */
  fail_unless_equals_uint64 (pad_stat (e, slow_name, "dropped-gops"), 19);
  fail_unless_equals_uint64 (pad_stat (e, slow_name, "dropped"), 76);
  fail_unless_equals_uint64 (pad_stat (e, slow_name, "evicted"), FALSE);
  fail_unless_equals_uint64 (pad_stat (e, slow_name, "queued-buffers"), 3);
  fail_unless_equals_uint64 (pad_stat (e, slow_name, "lag"), 79 * FRAME);

  /* released: it drains what it kept, then resumes on a keyframe */
  blocker_release (&b);
  for (n = 0; n < 4; n++)
    pull_frame_check (slow, n, n == 0);
  /* now paced by both branches: the slow one keeps up again */
  for (n = 80; n < 88; n++) {
    fail_unless_equals_int (gst_harness_push (in, make_frame (n, 4, 100)),
        GST_FLOW_OK);
    pull_frame_check (fast, n, n % 4 == 0);
    pull_frame_check (slow, n, n % 4 == 0);
  }
  gst_harness_push_event (in, gst_event_new_eos ());
  wait_event (slow, GST_EVENT_EOS);
  received = check_whole_gops (slow, &gaps);
  fail_unless_equals_int (received, 0);
  fail_unless_equals_uint64 (pad_stat (e, slow_name, "dropped") + 4 + 8, 88);
  fail_unless_equals_uint64 (pad_stat (e, slow_name, "pushed"), 12);
  wait_event (fast, GST_EVENT_EOS);

  gst_element_set_bus (e, NULL);
  gst_object_unref (bus);
  gst_harness_teardown (slow);
  gst_harness_teardown (fast);
  gst_harness_teardown (in);
  gst_object_unref (e);
  blocker_clear (&b);
  g_free (slow_name);
}

GST_END_TEST;

GST_START_TEST (test_live_blocked_branch_evicted)
{
  GstElement *e = new_bcast ("lag-policy", GST_LADDER_BROADCASTER_LAG_DROP,
      "max-queue-buffers", 6, "max-lag", GST_SECOND, NULL);
  GstHarness *in = new_input (e, H264_CAPS);
  GstHarness *fast = new_output (e);
  GstHarness *slow = new_output (e);
  GstBus *bus = gst_bus_new ();
  GstStructure *stats;
  GstMessage *msg;
  GstBuffer *buf;
  Blocker b;
  gchar *slow_name = output_pad_name (slow), *pad = NULL;
  GstClockTime lag = 0;
  guint subscribers = 0;

  gst_element_set_bus (e, bus);
  blocker_init (&b);
  blocker_attach (&b, slow);

  push_frames_paced (in, fast, 0, 1, 4);
  blocker_wait_entered (&b);
  push_frames_paced (in, fast, 1, 40, 4);

  msg = wait_message (bus, GST_LADDER_MESSAGE_BROADCASTER_EVICTED);
  fail_unless (gst_ladder_message_parse_broadcaster_evicted (msg, NULL, NULL,
          &pad, &lag));
  fail_unless_equals_string (pad, slow_name);
  /* stuck on frame 0: evicted by the first frame more than 1 s later */
  fail_unless_equals_uint64 (lag, 11 * FRAME);
  gst_message_unref (msg);
  g_free (pad);

  stats = gst_ladder_broadcaster_get_stats (GST_LADDER_BROADCASTER (e));
  fail_unless (gst_structure_get_uint (stats, "subscribers", &subscribers));
  fail_unless_equals_int (subscribers, 1);
  gst_structure_free (stats);
  fail_unless_equals_uint64 (pad_stat (e, slow_name, "evicted"), TRUE);
  fail_unless_equals_uint64 (pad_stat (e, slow_name, "queued-buffers"), 0);
  fail_unless_equals_uint64 (pad_stat (e, slow_name, "lag"), 11 * FRAME);

  /* the evicted pad receives nothing more but EOS */
  blocker_release (&b);
  push_frames_paced (in, fast, 40, 48, 4);
  gst_harness_push_event (in, gst_event_new_eos ());
  wait_event (slow, GST_EVENT_EOS);
  pull_frame_check (slow, 0, TRUE);
  fail_unless ((buf = gst_harness_try_pull (slow)) == NULL);

  gst_element_set_bus (e, NULL);
  gst_object_unref (bus);
  gst_harness_teardown (slow);
  gst_harness_teardown (fast);
  gst_harness_teardown (in);
  gst_object_unref (e);
  blocker_clear (&b);
  g_free (slow_name);
}

GST_END_TEST;

GST_START_TEST (test_nonlive_slow_branch_loses_nothing)
{
  GstElement *e = new_bcast ("lag-policy", GST_LADDER_BROADCASTER_LAG_BLOCK,
      "max-queue-buffers", 2, NULL);
  GstHarness *in = new_input (e, H264_CAPS);
  GstHarness *fast = new_output (e);
  GstHarness *slow = new_output (e);
  gchar *slow_name = output_pad_name (slow);
  guint n;

  gst_pad_add_probe (slow->sinkpad, GST_PAD_PROBE_TYPE_BUFFER, slow_probe,
      GUINT_TO_POINTER (500), NULL);

  push_frames (in, 0, 100, 10);
  gst_harness_push_event (in, gst_event_new_eos ());
  wait_event (slow, GST_EVENT_EOS);
  wait_event (fast, GST_EVENT_EOS);
  for (n = 0; n < 100; n++) {
    pull_frame_check (slow, n, n % 10 == 0);
    pull_frame_check (fast, n, n % 10 == 0);
  }
  fail_unless_equals_uint64 (pad_stat (e, slow_name, "dropped"), 0);
  fail_unless_equals_uint64 (pad_stat (e, slow_name, "pushed"), 100);

  gst_harness_teardown (slow);
  gst_harness_teardown (fast);
  gst_harness_teardown (in);
  gst_object_unref (e);
  g_free (slow_name);
}

GST_END_TEST;

/* a branch whose chain returns a fixed flow */
typedef struct
{
  GstFlowReturn ret;
  gint buffers;
  GMutex lock;
  GCond cond;
  gboolean eos;
} FailingSink;

static GstFlowReturn
failing_chain (GstPad * pad, GstObject * parent, GstBuffer * buf)
{
  FailingSink *f = g_object_get_data (G_OBJECT (pad), "failing");

  g_atomic_int_inc (&f->buffers);
  gst_buffer_unref (buf);
  return f->ret;
}

static gboolean
failing_event (GstPad * pad, GstObject * parent, GstEvent * ev)
{
  FailingSink *f = g_object_get_data (G_OBJECT (pad), "failing");

  if (GST_EVENT_TYPE (ev) == GST_EVENT_EOS) {
    g_mutex_lock (&f->lock);
    f->eos = TRUE;
    g_cond_signal (&f->cond);
    g_mutex_unlock (&f->lock);
  }
  gst_event_unref (ev);
  return TRUE;
}

static const GstFlowReturn failing_flows[] = {
  GST_FLOW_ERROR, GST_FLOW_NOT_NEGOTIATED, GST_FLOW_EOS, GST_FLOW_FLUSHING,
  GST_FLOW_NOT_LINKED,
};

GST_START_TEST (test_erroring_branch)
{
  GstElement *e = new_bcast (NULL);
  GstHarness *in = new_input (e, H264_CAPS);
  GstHarness *good = new_output (e);
  GstPad *src, *sink;
  FailingSink f = { failing_flows[__i__], 0, };
  gchar *name;
  guint n;

  g_mutex_init (&f.lock);
  g_cond_init (&f.cond);
  src = gst_element_request_pad_simple (e, "src_%u");
  name = gst_pad_get_name (src);
  sink = gst_pad_new ("failing", GST_PAD_SINK);
  g_object_set_data (G_OBJECT (sink), "failing", &f);
  gst_pad_set_chain_function (sink, failing_chain);
  gst_pad_set_event_function (sink, failing_event);
  gst_pad_set_active (sink, TRUE);
  fail_unless_equals_int (gst_pad_link (src, sink), GST_PAD_LINK_OK);

  /* upstream keeps seeing OK, the other branch keeps receiving */
  for (n = 0; n < 20; n++)
    fail_unless_equals_int (gst_harness_push (in, make_frame (n, 5, 100)),
        GST_FLOW_OK);
  for (n = 0; n < 20; n++)
    pull_frame_check (good, n, n % 5 == 0);

  gst_harness_push_event (in, gst_event_new_eos ());
  wait_event (good, GST_EVENT_EOS);

  /* the failing branch is still offered every buffer, then EOS */
  g_mutex_lock (&f.lock);
  LADDER_TEST_COND_WAIT (&f.cond, &f.lock, LADDER_TEST_WAIT, f.eos,
      "the failing branch got no EOS within 20 s");
  g_mutex_unlock (&f.lock);
  fail_unless_equals_int (g_atomic_int_get (&f.buffers), 20);
  fail_unless_equals_uint64 (pad_stat (e, name, "pushed"), 20);

  gst_pad_unlink (src, sink);
  gst_element_release_request_pad (e, src);
  gst_object_unref (src);
  gst_pad_set_active (sink, FALSE);
  gst_object_unref (sink);
  gst_harness_teardown (good);
  gst_harness_teardown (in);
  gst_object_unref (e);
  g_free (name);
  g_mutex_clear (&f.lock);
  g_cond_clear (&f.cond);
}

GST_END_TEST;

GST_START_TEST (test_eos_after_queued_data)
{
  GstElement *e = new_bcast ("lag-policy", GST_LADDER_BROADCASTER_LAG_BLOCK,
      "max-queue-buffers", 0, "max-queue-time", (guint64) 0, NULL);
  GstHarness *in = new_input (e, H264_CAPS);
  GstHarness *out[2];
  Blocker b;
  guint i;

  for (i = 0; i < 2; i++)
    out[i] = new_output (e);
  blocker_init (&b);
  blocker_attach (&b, out[1]);

  push_frames (in, 0, 30, 10);
  gst_harness_push_event (in, gst_event_new_eos ());
  fail_unless_equals_int (gst_ladder_broadcaster_get_state
      (GST_LADDER_BROADCASTER (e)), GST_LADDER_BROADCASTER_STATE_ENDED);
  blocker_release (&b);

  for (i = 0; i < 2; i++) {
    /* EOS comes once every queued buffer is delivered */
    wait_event (out[i], GST_EVENT_EOS);
    fail_unless_equals_int (gst_harness_buffers_in_queue (out[i]), 30);
    gst_harness_teardown (out[i]);
  }
  gst_harness_teardown (in);
  gst_object_unref (e);
  blocker_clear (&b);
}

GST_END_TEST;

GST_START_TEST (test_flush_clears_queues)
{
  GstElement *e = new_bcast ("lag-policy", GST_LADDER_BROADCASTER_LAG_DROP,
      "max-queue-buffers", 0, "max-lag", (guint64) 0, NULL);
  GstHarness *in = new_input (e, H264_CAPS);
  GstHarness *out = new_output (e);
  gchar *name = output_pad_name (out);
  GstSegment segment;
  GstBuffer *buf;
  Blocker b;

  blocker_init (&b);
  blocker_attach (&b, out);

  push_frames (in, 0, 1, 5);
  blocker_wait_entered (&b);
  push_frames (in, 1, 20, 5);
  fail_unless (pad_stat (e, name, "queued-buffers") > 0);

  /* flush-start unblocks the branch, flush-stop empties its queue */
  fail_unless (gst_harness_push_event (in, gst_event_new_flush_start ()));
  fail_unless (gst_harness_push_event (in, gst_event_new_flush_stop (TRUE)));
  fail_unless_equals_uint64 (pad_stat (e, name, "queued-buffers"), 0);
  fail_unless_equals_uint64 (pad_stat (e, name, "queued-bytes"), 0);

  while ((buf = gst_harness_try_pull (out)))
    gst_buffer_unref (buf);

  gst_segment_init (&segment, GST_FORMAT_TIME);
  gst_harness_push_event (in, gst_event_new_segment (&segment));
  /* after the flush the pad starts again on a keyframe */
  push_frames (in, 53, 57, 5);
  pull_frame_check (out, 55, TRUE);
  pull_frame_check (out, 56, FALSE);

  gst_harness_teardown (out);
  gst_harness_teardown (in);
  gst_object_unref (e);
  blocker_clear (&b);
  g_free (name);
}

GST_END_TEST;

GST_START_TEST (test_request_during_flush)
{
  GstElement *e = new_bcast (NULL);
  GstHarness *in = new_input (e, H264_CAPS);
  GstHarness *out;
  GstSegment segment;

  push_frames (in, 0, 3, 5);
  fail_unless (gst_harness_push_event (in, gst_event_new_flush_start ()));
  /* a pad requested while flushing starts with the others at flush-stop */
  out = new_output (e);
  fail_unless (gst_harness_push_event (in, gst_event_new_flush_stop (TRUE)));
  gst_segment_init (&segment, GST_FORMAT_TIME);
  gst_harness_push_event (in, gst_event_new_segment (&segment));
  push_frames (in, 5, 7, 5);
  pull_frame_check (out, 5, TRUE);
  pull_frame_check (out, 6, FALSE);

  gst_harness_teardown (out);
  gst_harness_teardown (in);
  gst_object_unref (e);
}

GST_END_TEST;

GST_START_TEST (test_latency_query)
{
  GstElement *e = new_bcast ("max-queue-time", 500 * GST_MSECOND, NULL);
  GstHarness *in = new_input (e, H264_CAPS);
  GstHarness *out = new_output (e);
  GstQuery *q;
  GstClockTime min, max;
  gboolean live;

  set_upstream_live (in, TRUE);

  q = gst_query_new_latency ();
  fail_unless (gst_pad_peer_query (out->sinkpad, q));
  gst_query_parse_latency (q, &live, &min, &max);
  fail_unless (live);
  fail_unless_equals_uint64 (min, 10 * GST_MSECOND);
  fail_unless_equals_uint64 (max, 600 * GST_MSECOND);
  gst_query_unref (q);

  /* unbounded queues: no maximum */
  g_object_set (e, "max-queue-time", (guint64) 0, NULL);
  q = gst_query_new_latency ();
  fail_unless (gst_pad_peer_query (out->sinkpad, q));
  gst_query_parse_latency (q, &live, &min, &max);
  fail_unless_equals_uint64 (min, 10 * GST_MSECOND);
  fail_unless_equals_uint64 (max, GST_CLOCK_TIME_NONE);
  gst_query_unref (q);

  gst_harness_teardown (out);
  gst_harness_teardown (in);
  gst_object_unref (e);
}

GST_END_TEST;

GST_START_TEST (test_caps_query)
{
  GstElement *e = new_bcast (NULL);
  GstHarness *in = gst_harness_new_with_element (e, "sink", NULL);
  GstHarness *a = new_output (e);
  GstHarness *b = new_output (e);
  GstPad *unlinked;
  GstCaps *caps, *expected;

  gst_harness_set_sink_caps_str (a, "video/x-h264; video/x-h265");
  gst_harness_set_sink_caps_str (b, "video/x-h264; audio/mpeg");
  /* an unlinked pad does not restrict the caps */
  unlinked = gst_element_request_pad_simple (e, "src_%u");

  caps = gst_pad_peer_query_caps (in->srcpad, NULL);
  expected = gst_caps_from_string ("video/x-h264");
  fail_unless (gst_caps_is_equal (caps, expected),
      "got %" GST_PTR_FORMAT, caps);
  gst_caps_unref (caps);
  gst_caps_unref (expected);

  /* accept-caps: any caps, a branch that refuses them fails alone */
  caps = gst_caps_from_string ("audio/x-raw");
  fail_unless (gst_pad_peer_query_accept_caps (in->srcpad, caps));
  gst_caps_unref (caps);

  gst_element_release_request_pad (e, unlinked);
  gst_object_unref (unlinked);
  gst_harness_teardown (a);
  gst_harness_teardown (b);
  gst_harness_teardown (in);
  gst_object_unref (e);
}

GST_END_TEST;

static GstQuery *
query_allocation (GstHarness * in, const gchar * caps_str)
{
  GstCaps *caps = gst_caps_from_string (caps_str);
  GstQuery *q = gst_query_new_allocation (caps, TRUE);

  fail_unless (gst_pad_peer_query (in->srcpad, q));
  gst_caps_unref (caps);
  return q;
}

#define RAW_CAPS "video/x-raw,format=I420,width=64,height=48,framerate=30/1"

/* The allocation query is answered without asking the branches (that would
 * block the source behind a stalled one): for raw video it offers
 * GstVideoMeta and, when asked, a pool without a limit, so that a decoder
 * in front renders into aligned buffers instead of copying each frame. */
GST_START_TEST (test_allocation_query)
{
  GstElement *e = new_bcast (NULL);
  GstHarness *in = new_input (e, RAW_CAPS);
  GstHarness *a = new_output (e);
  GstQuery *q;
  GstBufferPool *pool;
  GstStructure *config;
  guint size, min, max;

  q = query_allocation (in, RAW_CAPS);
  fail_unless (gst_query_find_allocation_meta (q, GST_VIDEO_META_API_TYPE,
          NULL));
  fail_unless_equals_int (gst_query_get_n_allocation_pools (q), 1);
  gst_query_parse_nth_allocation_pool (q, 0, &pool, &size, &min, &max);
  fail_unless (pool != NULL);
  fail_unless (gst_buffer_pool_has_option (pool,
          GST_BUFFER_POOL_OPTION_VIDEO_ALIGNMENT));
  fail_unless_equals_int (size, 64 * 48 * 3 / 2);
  fail_unless_equals_int (max, 0);
  config = gst_buffer_pool_get_config (pool);
  fail_unless (gst_buffer_pool_config_get_params (config, NULL, &size, &min,
          &max));
  fail_unless_equals_int (max, 0);
  gst_structure_free (config);
  gst_object_unref (pool);
  gst_query_unref (q);

  /* encoded video, and raw video in other memory: nothing offered */
  q = query_allocation (in, H264_CAPS);
  fail_unless_equals_int (gst_query_get_n_allocation_metas (q), 0);
  fail_unless_equals_int (gst_query_get_n_allocation_pools (q), 0);
  gst_query_unref (q);
  q = query_allocation (in, "video/x-raw(memory:GLMemory),format=RGBA,"
      "width=64,height=48");
  fail_unless_equals_int (gst_query_get_n_allocation_metas (q), 0);
  gst_query_unref (q);

  gst_harness_teardown (a);
  gst_harness_teardown (in);
  gst_object_unref (e);
}

GST_END_TEST;

/* A frame whose planes are padded (as a decoder rendering into its own
 * buffers makes them), described by a GstVideoMeta. */
static GstBuffer *
make_padded_frame (const GstVideoInfo * info, guint n)
{
  const guint pad_stride = 32, pad_rows = 8;
  gsize offset[GST_VIDEO_MAX_PLANES] = { 0, };
  gint stride[GST_VIDEO_MAX_PLANES] = { 0, };
  gsize total = 0;
  GstBuffer *buf;
  GstMapInfo map;
  guint p, x, y;

  for (p = 0; p < GST_VIDEO_INFO_N_PLANES (info); p++) {
    guint rows = GST_VIDEO_INFO_COMP_HEIGHT (info, p) + pad_rows;

    offset[p] = total;
    stride[p] = GST_VIDEO_INFO_COMP_WIDTH (info, p) + pad_stride;
    total += (gsize) stride[p] * rows;
  }
  buf = gst_buffer_new_allocate (NULL, total, NULL);
  gst_buffer_map (buf, &map, GST_MAP_WRITE);
  memset (map.data, 0xee, total);
  for (p = 0; p < GST_VIDEO_INFO_N_PLANES (info); p++)
    for (y = 0; y < (guint) GST_VIDEO_INFO_COMP_HEIGHT (info, p); y++)
      for (x = 0; x < (guint) GST_VIDEO_INFO_COMP_WIDTH (info, p); x++)
        map.data[offset[p] + y * stride[p] + x] = (x + 3 * y + 50 * p + n);
  gst_buffer_unmap (buf, &map);
  gst_buffer_add_video_meta_full (buf, GST_VIDEO_FRAME_FLAG_NONE,
      GST_VIDEO_INFO_FORMAT (info), GST_VIDEO_INFO_WIDTH (info),
      GST_VIDEO_INFO_HEIGHT (info), GST_VIDEO_INFO_N_PLANES (info), offset,
      stride);
  GST_BUFFER_PTS (buf) = n * FRAME;
  GST_BUFFER_DURATION (buf) = FRAME;
  return buf;
}

static void
check_frame_content (const GstVideoInfo * info, GstBuffer * buf, guint n)
{
  GstVideoFrame frame;
  guint p, x, y;

  fail_unless (gst_video_frame_map (&frame, (GstVideoInfo *) info, buf,
          GST_MAP_READ));
  for (p = 0; p < GST_VIDEO_FRAME_N_PLANES (&frame); p++) {
    const guint8 *data = GST_VIDEO_FRAME_PLANE_DATA (&frame, p);
    gint stride = GST_VIDEO_FRAME_PLANE_STRIDE (&frame, p);

    for (y = 0; y < (guint) GST_VIDEO_FRAME_COMP_HEIGHT (&frame, p); y++)
      for (x = 0; x < (guint) GST_VIDEO_FRAME_COMP_WIDTH (&frame, p); x++)
        fail_unless_equals_int (data[y * stride + x],
            (guint8) (x + 3 * y + 50 * p + n));
  }
  gst_video_frame_unmap (&frame);
}

/* A branch that takes GstVideoMeta gets the padded frames as they are; one
 * that does not gets them repacked to the default layout by its own pad
 * task, including a branch linked late (its caps come from the join). */
GST_START_TEST (test_raw_layout_per_branch)
{
  GstElement *e = new_bcast (NULL);
  GstHarness *in = new_input (e, RAW_CAPS);
  GstHarness *meta = new_output (e);
  GstHarness *plain = new_output (e);
  GstHarness *late;
  GstCaps *caps = gst_caps_from_string (RAW_CAPS);
  GstVideoInfo info;
  GstBuffer *sent, *got;
  guint n;

  gst_video_info_from_caps (&info, caps);
  gst_caps_unref (caps);
  gst_harness_add_propose_allocation_meta (meta, GST_VIDEO_META_API_TYPE, NULL);

  for (n = 0; n < 3; n++) {
    sent = make_padded_frame (&info, n);
    fail_unless_equals_int (gst_harness_push (in, gst_buffer_ref (sent)),
        GST_FLOW_OK);

    got = gst_harness_pull (meta);
    fail_unless (got == sent, "a branch with GstVideoMeta got a copy");
    gst_buffer_unref (got);

    got = gst_harness_pull (plain);
    fail_if (got == sent);
    fail_unless_equals_int (gst_buffer_get_size (got),
        GST_VIDEO_INFO_SIZE (&info));
    fail_unless (gst_buffer_get_video_meta (got) == NULL);
    fail_unless_equals_uint64 (GST_BUFFER_PTS (got), n * FRAME);
    fail_unless_equals_uint64 (GST_BUFFER_DURATION (got), FRAME);
    check_frame_content (&info, got, n);
    gst_buffer_unref (got);
    gst_buffer_unref (sent);
  }

  /* a late branch starts on the cached last frame, then the next one */
  late = new_output (e);
  sent = make_padded_frame (&info, 7);
  fail_unless_equals_int (gst_harness_push (in, gst_buffer_ref (sent)),
      GST_FLOW_OK);
  got = gst_harness_pull (late);
  fail_unless (gst_buffer_get_video_meta (got) == NULL);
  check_frame_content (&info, got, 2);
  gst_buffer_unref (got);
  got = gst_harness_pull (late);
  fail_if (got == sent);
  fail_unless (gst_buffer_get_video_meta (got) == NULL);
  check_frame_content (&info, got, 7);
  gst_buffer_unref (got);
  gst_buffer_unref (sent);

  gst_harness_teardown (late);
  gst_harness_teardown (plain);
  gst_harness_teardown (meta);
  gst_harness_teardown (in);
  gst_object_unref (e);
}

GST_END_TEST;

GST_START_TEST (test_upstream_events)
{
  GstElement *e = new_bcast (NULL);
  GstHarness *in = new_input (e, H264_CAPS);
  GstHarness *out = new_output (e);
  GstEvent *ev;
  gboolean found = FALSE;

  fail_unless (gst_harness_push_upstream_event (out,
          gst_video_event_new_upstream_force_key_unit (GST_CLOCK_TIME_NONE,
              TRUE, 1)));
  while (!found && (ev = gst_harness_try_pull_upstream_event (in))) {
    found = gst_video_event_is_force_key_unit (ev);
    gst_event_unref (ev);
  }
  fail_unless (found, "force-key-unit did not reach upstream");

  gst_harness_teardown (out);
  gst_harness_teardown (in);
  gst_object_unref (e);
}

GST_END_TEST;

GST_START_TEST (test_explicit_pad_names)
{
  GstElement *e = new_bcast (NULL);
  GstPad *p5, *dup, *next;

  p5 = gst_element_request_pad_simple (e, "src_5");
  fail_unless (p5 != NULL);
  fail_unless_equals_string (GST_PAD_NAME (p5), "src_5");
  /* the core warns about the duplicate, then the element refuses it */
  ASSERT_CRITICAL (dup = gst_element_request_pad_simple (e, "src_5"));
  fail_unless (dup == NULL);
  next = gst_element_request_pad_simple (e, "src_%u");
  fail_unless_equals_string (GST_PAD_NAME (next), "src_6");

  gst_element_release_request_pad (e, p5);
  gst_element_release_request_pad (e, next);
  gst_object_unref (p5);
  gst_object_unref (next);
  gst_object_unref (e);
}

GST_END_TEST;

GST_START_TEST (test_stats)
{
  GstElement *e = new_bcast ("broadcast", "live/demo", "track", "video",
      NULL);
  GstHarness *in = new_input (e, H264_CAPS);
  GstHarness *out = new_output (e);
  gchar *name = output_pad_name (out);
  GstStructure *stats;
  const GstStructure *p;
  guint64 u64;
  guint u;
  gdouble d;
  gboolean evicted;
  GstLadderBroadcasterState state;
  guint n;

  /* 10 fps, 1000-byte frames, a keyframe every 5 */
  for (n = 0; n < 13; n++)
    fail_unless_equals_int (gst_harness_push (in, make_frame (n, 5, 1000)),
        GST_FLOW_OK);
  for (n = 0; n < 13; n++)
    pull_frame_check (out, n, n % 5 == 0);

  stats = gst_ladder_broadcaster_get_stats (GST_LADDER_BROADCASTER (e));
  GST_INFO ("%" GST_PTR_FORMAT, stats);
  fail_unless (gst_structure_has_name (stats, "ladder-broadcaster-stats"));
  fail_unless_equals_string (gst_structure_get_string (stats, "broadcast"),
      "live/demo");
  fail_unless_equals_string (gst_structure_get_string (stats, "track"),
      "video");
  fail_unless (gst_structure_get_uint64 (stats, "buffers-in", &u64));
  fail_unless_equals_uint64 (u64, 13);
  fail_unless (gst_structure_get_uint64 (stats, "bytes-in", &u64));
  fail_unless_equals_uint64 (u64, 13000);
  fail_unless (gst_structure_get_uint64 (stats, "keyframes", &u64));
  fail_unless_equals_uint64 (u64, 3);
  /* the window holds frames 2..12: 10 intervals over 1 s */
  fail_unless (gst_structure_get_double (stats, "fps", &d));
  fail_unless (G_APPROX_VALUE (d, 10.0, 1e-6), "fps %f", d);
  fail_unless (gst_structure_get_double (stats, "bitrate", &d));
  fail_unless (G_APPROX_VALUE (d, 80000.0, 1e-3), "bitrate %f", d);
  /* the cache holds frames 10, 11, 12 */
  fail_unless (gst_structure_get_uint (stats, "gop-cache-buffers", &u));
  fail_unless_equals_int (u, 3);
  fail_unless (gst_structure_get_uint64 (stats, "gop-cache-bytes", &u64));
  fail_unless_equals_uint64 (u64, 3000);
  fail_unless (gst_structure_get_uint64 (stats, "gop-cache-duration", &u64));
  fail_unless_equals_uint64 (u64, 3 * FRAME);
  fail_unless (gst_structure_get_uint (stats, "subscribers", &u));
  fail_unless_equals_int (u, 1);
  fail_unless (gst_structure_get_enum (stats, "state",
          GST_TYPE_LADDER_BROADCASTER_STATE, (gint *) & state));
  fail_unless_equals_int (state, GST_LADDER_BROADCASTER_STATE_PUBLISHING);

  p = stats_pad (stats, name);
  fail_unless (gst_structure_get_uint64 (p, "pushed", &u64));
  fail_unless_equals_uint64 (u64, 13);
  fail_unless (gst_structure_get_uint64 (p, "dropped", &u64));
  fail_unless_equals_uint64 (u64, 0);
  fail_unless (gst_structure_get_uint64 (p, "dropped-gops", &u64));
  fail_unless_equals_uint64 (u64, 0);
  fail_unless (gst_structure_get_uint64 (p, "lag", &u64));
  fail_unless (gst_structure_get_uint (p, "queued-buffers", &u));
  fail_unless (gst_structure_get_uint64 (p, "queued-bytes", &u64));
  fail_unless (gst_structure_get_boolean (p, "evicted", &evicted));
  fail_unless (!evicted);
  gst_structure_free (stats);

  /* the property gives the same structure */
  g_object_get (e, "stats", &stats, NULL);
  fail_unless (gst_structure_get_uint64 (stats, "buffers-in", &u64));
  fail_unless_equals_uint64 (u64, 13);
  gst_structure_free (stats);

  gst_harness_teardown (out);
  gst_harness_teardown (in);
  gst_object_unref (e);
  g_free (name);
}

GST_END_TEST;

static void
check_state_message (GstBus * bus, GstLadderBroadcasterState expected)
{
  GstMessage *msg = wait_message (bus, GST_LADDER_MESSAGE_BROADCASTER_STATE);
  GstLadderBroadcasterState state;
  gchar *broadcast = NULL, *track = NULL;

  fail_unless (gst_ladder_message_parse_broadcaster_state (msg, &broadcast,
          &track, &state));
  fail_unless_equals_int (state, expected);
  fail_unless_equals_string (broadcast, "live/demo");
  fail_unless_equals_string (track, "audio");
  g_free (broadcast);
  g_free (track);
  gst_message_unref (msg);
}

GST_START_TEST (test_state_and_idle_timeout)
{
  GstElement *e = new_bcast ("broadcast", "live/demo", "track", "audio",
      "idle-timeout", 2 * GST_SECOND, NULL);
  GstHarness *in = new_input (e, "audio/mpeg,mpegversion=4");
  GstHarness *out = new_output (e);
  GstBus *bus = gst_bus_new ();
  GstMessage *msg;
  GstClockTime idle = 0;
  GstLadderBroadcasterState state;

  gst_element_set_bus (e, bus);
  g_object_get (e, "state", &state, NULL);
  fail_unless_equals_int (state, GST_LADDER_BROADCASTER_STATE_IDLE);

  push_frames (in, 0, 3, 1);
  check_state_message (bus, GST_LADDER_BROADCASTER_STATE_PUBLISHING);

  /* the test clock reaches the timeout: reported, back to idle */
  fail_unless (gst_harness_crank_single_clock_wait (in));
  msg = wait_message (bus, GST_LADDER_MESSAGE_BROADCASTER_IDLE);
  fail_unless (gst_ladder_message_parse_broadcaster_idle (msg, NULL, NULL,
          &idle));
  fail_unless_equals_uint64 (idle, 2 * GST_SECOND);
  gst_message_unref (msg);
  check_state_message (bus, GST_LADDER_BROADCASTER_STATE_IDLE);
  g_object_get (e, "state", &state, NULL);
  fail_unless_equals_int (state, GST_LADDER_BROADCASTER_STATE_IDLE);

  /* data again, then the end */
  push_frames (in, 3, 4, 1);
  check_state_message (bus, GST_LADDER_BROADCASTER_STATE_PUBLISHING);
  gst_harness_push_event (in, gst_event_new_eos ());
  check_state_message (bus, GST_LADDER_BROADCASTER_STATE_ENDED);
  g_object_get (e, "state", &state, NULL);
  fail_unless_equals_int (state, GST_LADDER_BROADCASTER_STATE_ENDED);

  gst_harness_teardown (out);
  gst_harness_teardown (in);
  /* stopped: idle again */
  check_state_message (bus, GST_LADDER_BROADCASTER_STATE_IDLE);
  gst_element_set_bus (e, NULL);
  gst_object_unref (bus);
  gst_object_unref (e);
}

GST_END_TEST;

static GstBuffer *
make_raw (guint n, gsize size)
{
  GstBuffer *buf = gst_buffer_new_allocate (NULL, size, NULL);

  GST_BUFFER_PTS (buf) = n * FRAME;
  GST_BUFFER_DURATION (buf) = FRAME;
  return buf;
}

static const gchar *raw_caps[] = {
  "video/x-raw,format=I420,width=16,height=16,framerate=10/1",
  "audio/x-raw,format=S16LE,layout=interleaved,rate=8000,channels=1",
};

GST_START_TEST (test_raw_streams)
{
  GstElement *e = new_bcast (NULL);
  GstHarness *in = new_input (e, raw_caps[__i__]);
  GstHarness *early = new_output (e);
  GstHarness *late;
  GstStructure *stats;
  GstBuffer *buf;
  guint n, u;
  guint64 keyframes;

  for (n = 0; n < 5; n++)
    fail_unless_equals_int (gst_harness_push (in, make_raw (n, 384)),
        GST_FLOW_OK);
  for (n = 0; n < 5; n++) {
    buf = gst_harness_pull (early);
    fail_unless_equals_uint64 (GST_BUFFER_PTS (buf), n * FRAME);
    gst_buffer_unref (buf);
  }

  /* every buffer is a sync point: the cache is the last buffer */
  stats = gst_ladder_broadcaster_get_stats (GST_LADDER_BROADCASTER (e));
  fail_unless (gst_structure_get_uint (stats, "gop-cache-buffers", &u));
  fail_unless_equals_int (u, 1);
  fail_unless (gst_structure_get_uint64 (stats, "keyframes", &keyframes));
  fail_unless_equals_uint64 (keyframes, 5);
  gst_structure_free (stats);

  late = new_output (e);
  wait_event (late, GST_EVENT_CAPS);
  buf = gst_harness_pull (late);
  fail_unless_equals_uint64 (GST_BUFFER_PTS (buf), 4 * FRAME);
  gst_buffer_unref (buf);
  fail_unless_equals_int (gst_harness_push (in, make_raw (5, 384)),
      GST_FLOW_OK);
  buf = gst_harness_pull (late);
  fail_unless_equals_uint64 (GST_BUFFER_PTS (buf), 5 * FRAME);
  gst_buffer_unref (buf);

  gst_harness_teardown (late);
  gst_harness_teardown (early);
  gst_harness_teardown (in);
  gst_object_unref (e);
}

GST_END_TEST;

GST_START_TEST (test_auto_policy_live)
{
  GstElement *e = new_bcast ("lag-policy", GST_LADDER_BROADCASTER_LAG_AUTO,
      "max-queue-buffers", 4, "max-lag", (guint64) 0, NULL);
  GstHarness *in = new_input (e, H264_CAPS);
  GstHarness *fast = new_output (e);
  GstHarness *slow = new_output (e);
  gchar *slow_name = output_pad_name (slow);
  GstStructure *stats;
  gboolean live = FALSE;
  Blocker b;

  set_upstream_live (in, TRUE);
  blocker_init (&b);
  blocker_attach (&b, slow);

  push_frames_paced (in, fast, 0, 1, 4);
  blocker_wait_entered (&b);
  /* a live source never waits for the stuck branch */
  push_frames_paced (in, fast, 1, 40, 4);

  stats = gst_ladder_broadcaster_get_stats (GST_LADDER_BROADCASTER (e));
  fail_unless (gst_structure_get_boolean (stats, "live", &live));
  fail_unless (live);
  gst_structure_free (stats);
  fail_unless (pad_stat (e, slow_name, "dropped") > 0);

  blocker_release (&b);
  gst_harness_teardown (slow);
  gst_harness_teardown (fast);
  gst_harness_teardown (in);
  gst_object_unref (e);
  blocker_clear (&b);
  g_free (slow_name);
}

GST_END_TEST;

GST_START_TEST (test_auto_policy_nonlive)
{
  GstElement *e = new_bcast ("lag-policy", GST_LADDER_BROADCASTER_LAG_AUTO,
      "max-queue-buffers", 2, NULL);
  GstHarness *in = new_input (e, H264_CAPS);
  GstHarness *slow = new_output (e);
  gchar *slow_name = output_pad_name (slow);
  GstStructure *stats;
  gboolean live = TRUE;
  guint n;

  set_upstream_live (in, FALSE);
  gst_pad_add_probe (slow->sinkpad, GST_PAD_PROBE_TYPE_BUFFER, slow_probe,
      GUINT_TO_POINTER (500), NULL);

  push_frames (in, 0, 60, 10);
  gst_harness_push_event (in, gst_event_new_eos ());
  wait_event (slow, GST_EVENT_EOS);
  for (n = 0; n < 60; n++)
    pull_frame_check (slow, n, n % 10 == 0);

  stats = gst_ladder_broadcaster_get_stats (GST_LADDER_BROADCASTER (e));
  fail_unless (gst_structure_get_boolean (stats, "live", &live));
  fail_unless (!live);
  gst_structure_free (stats);
  fail_unless_equals_uint64 (pad_stat (e, slow_name, "dropped"), 0);

  gst_harness_teardown (slow);
  gst_harness_teardown (in);
  gst_object_unref (e);
  g_free (slow_name);
}

GST_END_TEST;

GST_START_TEST (test_auto_policy_pipeline)
{
  const gchar *descs[] = {
    "videotestsrc is-live=true num-buffers=20 ! ladderbroadcaster name=b "
        "b. ! fakesink sync=false",
    "videotestsrc num-buffers=20 ! ladderbroadcaster name=b "
        "b. ! fakesink sync=false",
  };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (descs); i++) {
    GstElement *pipe = gst_parse_launch (descs[i], NULL);
    GstElement *b = gst_bin_get_by_name (GST_BIN (pipe), "b");
    GstStructure *stats;
    gboolean live;
    guint64 in;

    fail_unless (gst_element_set_state (pipe, GST_STATE_PLAYING) !=
        GST_STATE_CHANGE_FAILURE);
    ladder_test_wait_eos (pipe, 20 * GST_SECOND, "20 buffers broadcast");

    stats = gst_ladder_broadcaster_get_stats (GST_LADDER_BROADCASTER (b));
    GST_INFO ("%" GST_PTR_FORMAT, stats);
    fail_unless (gst_structure_get_boolean (stats, "live", &live));
    fail_unless_equals_int (live, i == 0);
    fail_unless (gst_structure_get_uint64 (stats, "buffers-in", &in));
    fail_unless_equals_uint64 (in, 20);
    fail_unless_equals_uint64 (pad_stat (b, "src_0", "pushed"), 20);
    gst_structure_free (stats);

    gst_element_set_state (pipe, GST_STATE_NULL);
    gst_object_unref (b);
    gst_object_unref (pipe);
  }
}

GST_END_TEST;

/* release of a pad a blocked chain waits for */
typedef struct
{
  GstHarness *h;
  guint from, to;
} PushJob;

static gpointer
push_thread (gpointer data)
{
  PushJob *job = data;

  push_frames (job->h, job->from, job->to, 5);
  return NULL;
}

static gpointer
release_thread (gpointer data)
{
  GstPad *pad = data;
  GstElement *e = gst_pad_get_parent_element (pad);

  gst_element_release_request_pad (e, pad);
  gst_object_unref (e);
  return NULL;
}

GST_START_TEST (test_release_unblocks_chain)
{
  GstElement *e = new_bcast ("lag-policy", GST_LADDER_BROADCASTER_LAG_BLOCK,
      "max-queue-buffers", 2, NULL);
  GstHarness *in = new_input (e, H264_CAPS);
  GstHarness *fast = new_output (e);
  GstHarness *slow = new_output (e);
  GstPad *slow_pad = gst_object_ref (GST_PAD_PEER (slow->sinkpad));
  PushJob job = { in, 0, 30 };
  GThread *pusher, *releaser;
  Blocker b;
  guint n;

  blocker_init (&b);
  blocker_attach (&b, slow);

  pusher = g_thread_new ("push", push_thread, &job);
  blocker_wait_entered (&b);
  /* the chain blocks on the full slow pad until that pad is released */
  releaser = g_thread_new ("release", release_thread, slow_pad);
  g_thread_join (pusher);
  for (n = 0; n < 30; n++)
    pull_frame_check (fast, n, n % 5 == 0);

  blocker_release (&b);
  g_thread_join (releaser);
  fail_unless (GST_PAD_PARENT (slow_pad) == NULL);
  gst_object_unref (slow_pad);

  gst_harness_teardown (slow);
  gst_harness_teardown (fast);
  gst_harness_teardown (in);
  gst_object_unref (e);
  blocker_clear (&b);
}

GST_END_TEST;

/* Whether the source is held back now, with @slow_queued buffers queued
 * on the pad @slow and @fast_pushed pushed by the pad @fast */
static gboolean
held_back_at (GstElement * e, const gchar * slow, guint slow_queued,
    const gchar * fast, guint fast_pushed)
{
  GstStructure *stats = gst_ladder_broadcaster_get_stats
      (GST_LADDER_BROADCASTER (e));
  gboolean held = FALSE;

  fail_unless (gst_structure_get_boolean (stats, "holding-back", &held));
  gst_structure_free (stats);
  return held && pad_stat (e, slow, "queued-buffers") == slow_queued
      && pad_stat (e, fast, "pushed") == fast_pushed;
}

/* block-queue-buffers: a non-live source is held back as soon as a pad
 * has that many queued, far below max-queue-buffers, and loses nothing */
GST_START_TEST (test_block_queue_buffers)
{
  GstElement *e = new_bcast ("lag-policy", GST_LADDER_BROADCASTER_LAG_BLOCK,
      "max-queue-buffers", 200, "block-queue-buffers", 1, NULL);
  GstHarness *in = new_input (e, H264_CAPS);
  GstHarness *fast = new_output (e);
  GstHarness *slow = new_output (e);
  gchar *slow_name = output_pad_name (slow);
  gchar *fast_name = output_pad_name (fast);
  PushJob job = { in, 0, 30 };
  gint64 deadline;
  GThread *pusher;
  Blocker b;
  guint n;

  blocker_init (&b);
  blocker_attach (&b, slow);
  pusher = g_thread_new ("push", push_thread, &job);
  blocker_wait_entered (&b);

  /* frame 0 is held downstream of the slow pad, frame 1 waits in its
   * queue and frame 2 in the chain: the fast pad has pushed 0 and 1 */
  deadline = g_get_monotonic_time () + LADDER_TEST_WAIT / GST_USECOND;
  while (!held_back_at (e, slow_name, 1, fast_name, 2)) {
    if (g_get_monotonic_time () > deadline)
      fail ("the source was not held back at one queued buffer within 20 s "
          "(slow pad: %" G_GUINT64_FORMAT " queued, fast pad: %"
          G_GUINT64_FORMAT " pushed)", pad_stat (e, slow_name,
              "queued-buffers"), pad_stat (e, fast_name, "pushed"));
    g_usleep (1000);
  }

  blocker_release (&b);
  g_thread_join (pusher);
  for (n = 0; n < 30; n++) {
    pull_frame_check (slow, n, n % 5 == 0);
    pull_frame_check (fast, n, n % 5 == 0);
  }
  fail_unless_equals_uint64 (pad_stat (e, slow_name, "dropped"), 0);

  gst_harness_teardown (slow);
  gst_harness_teardown (fast);
  gst_harness_teardown (in);
  gst_object_unref (e);
  blocker_clear (&b);
  g_free (slow_name);
  g_free (fast_name);
}

GST_END_TEST;

/* request, link, receive, release while buffers flow */
typedef struct
{
  GstElement *e;
  gint stop;
  guint cycles;
} Churn;

static GstFlowReturn
counting_chain (GstPad * pad, GstObject * parent, GstBuffer * buf)
{
  gint *count = g_object_get_data (G_OBJECT (pad), "count");

  g_atomic_int_inc (count);
  gst_buffer_unref (buf);
  return GST_FLOW_OK;
}

static gpointer
churn_thread (gpointer data)
{
  Churn *c = data;

  while (!g_atomic_int_get (&c->stop)) {
    GstPad *src = gst_element_request_pad_simple (c->e, "src_%u");
    GstPad *sink = gst_pad_new ("churn", GST_PAD_SINK);
    gint count = 0;

    g_object_set_data (G_OBJECT (sink), "count", &count);
    gst_pad_set_chain_function (sink, counting_chain);
    gst_pad_set_active (sink, TRUE);
    fail_unless_equals_int (gst_pad_link (src, sink), GST_PAD_LINK_OK);
    /* released while data flows, at varying points */
    g_thread_yield ();
    gst_element_release_request_pad (c->e, src);
    gst_object_unref (src);
    gst_pad_set_active (sink, FALSE);
    gst_object_unref (sink);
    c->cycles++;
  }
  return NULL;
}

GST_START_TEST (test_request_release_churn)
{
  GstElement *e = new_bcast (NULL);
  GstHarness *in = new_input (e, H264_CAPS);
  GstHarness *out = new_output (e);
  GstPadTemplate *templ = gst_element_get_pad_template (e, "src_%u");
  GstHarnessThread *stress;
  Churn c = { e, 0, 0 };
  GThread *churner;
  GstBuffer *buf;
  guint n;

  stress = gst_harness_stress_requestpad_start (in, templ, NULL, NULL, TRUE);
  churner = g_thread_new ("churn", churn_thread, &c);

  for (n = 0; n < 2000; n++) {
    fail_unless_equals_int (gst_harness_push (in, make_frame (n, 10, 100)),
        GST_FLOW_OK);
    buf = gst_harness_pull (out);
    fail_unless_equals_uint64 (GST_BUFFER_PTS (buf), n * FRAME);
    gst_buffer_unref (buf);
  }

  g_atomic_int_set (&c.stop, 1);
  g_thread_join (churner);
  gst_harness_stress_thread_stop (stress);
  fail_unless (c.cycles > 0);

  gst_harness_teardown (out);
  gst_harness_teardown (in);
  gst_object_unref (e);
}

GST_END_TEST;

typedef struct
{
  GMutex lock;
  GCond cond;
  gboolean gone;
} Gone;

static void
pad_gone (gpointer data, GObject * where_the_object_was)
{
  Gone *g = data;

  g_mutex_lock (&g->lock);
  g->gone = TRUE;
  g_cond_signal (&g->cond);
  g_mutex_unlock (&g->lock);
}

static GstPadProbeReturn
release_probe_cb (GstPad * pad, GstPadProbeInfo * info, gpointer user_data)
{
  GstElement *e = gst_pad_get_parent_element (pad);

  if (e) {
    gst_element_release_request_pad (e, pad);
    gst_object_unref (e);
  }
  return GST_PAD_PROBE_REMOVE;
}

GST_START_TEST (test_release_from_pad_thread)
{
  GstElement *e = new_bcast (NULL);
  GstHarness *in = new_input (e, H264_CAPS);
  GstHarness *out = new_output (e);
  GstPad *src = gst_element_request_pad_simple (e, "src_%u");
  GstPad *sink = gst_pad_new ("self-release", GST_PAD_SINK);
  Gone gone = { 0, };
  gint count = 0;
  guint n;

  g_mutex_init (&gone.lock);
  g_cond_init (&gone.cond);
  g_object_set_data (G_OBJECT (sink), "count", &count);
  gst_pad_set_chain_function (sink, counting_chain);
  gst_pad_set_active (sink, TRUE);
  fail_unless_equals_int (gst_pad_link (src, sink), GST_PAD_LINK_OK);

  /* the branch releases itself from its own streaming thread */
  gst_pad_add_probe (src, GST_PAD_PROBE_TYPE_BUFFER, release_probe_cb, NULL,
      NULL);
  g_object_weak_ref (G_OBJECT (src), pad_gone, &gone);
  gst_object_unref (src);

  push_frames (in, 0, 20, 5);
  for (n = 0; n < 20; n++)
    pull_frame_check (out, n, n % 5 == 0);

  /* its task is stopped and the pad freed, from another thread */
  g_mutex_lock (&gone.lock);
  LADDER_TEST_COND_WAIT (&gone.cond, &gone.lock, LADDER_TEST_WAIT, gone.gone,
      "the released pad was not freed within 20 s");
  g_mutex_unlock (&gone.lock);
  fail_unless_equals_int (e->numsrcpads, 1);

  gst_harness_teardown (out);
  gst_harness_teardown (in);
  gst_object_unref (e);
  gst_pad_set_active (sink, FALSE);
  gst_object_unref (sink);
  g_mutex_clear (&gone.lock);
  g_cond_clear (&gone.cond);
}

GST_END_TEST;

static Suite *
ladderbroadcaster_suite (void)
{
  Suite *s = suite_create ("ladderbroadcaster");
  TCase *tc = tcase_create ("general");

  suite_add_tcase (s, tc);
  tcase_add_test (tc, test_fanout);
  tcase_add_test (tc, test_zero_pads);
  tcase_add_test (tc, test_late_joiner_gop_cache);
  tcase_add_test (tc, test_late_joiner_next_keyframe);
  tcase_add_test (tc, test_first_pad_waits_for_keyframe);
  tcase_add_test (tc, test_late_joiner_headers);
  tcase_add_test (tc, test_late_joiner_keyframe_flagged_header);
  tcase_add_test (tc, test_live_blocked_branch_drops_gops);
  tcase_add_test (tc, test_live_blocked_branch_evicted);
  tcase_add_test (tc, test_nonlive_slow_branch_loses_nothing);
  tcase_add_loop_test (tc, test_erroring_branch, 0,
      G_N_ELEMENTS (failing_flows));
  tcase_add_test (tc, test_eos_after_queued_data);
  tcase_add_test (tc, test_flush_clears_queues);
  tcase_add_test (tc, test_request_during_flush);
  tcase_add_test (tc, test_latency_query);
  tcase_add_test (tc, test_caps_query);
  tcase_add_test (tc, test_allocation_query);
  tcase_add_test (tc, test_raw_layout_per_branch);
  tcase_add_test (tc, test_upstream_events);
  tcase_add_test (tc, test_explicit_pad_names);
  tcase_add_test (tc, test_stats);
  tcase_add_test (tc, test_state_and_idle_timeout);
  tcase_add_loop_test (tc, test_raw_streams, 0, G_N_ELEMENTS (raw_caps));
  tcase_add_test (tc, test_auto_policy_live);
  tcase_add_test (tc, test_auto_policy_nonlive);
  tcase_add_test (tc, test_auto_policy_pipeline);
  tcase_add_test (tc, test_release_unblocks_chain);
  tcase_add_test (tc, test_block_queue_buffers);
  tcase_add_test (tc, test_request_release_churn);
  tcase_add_test (tc, test_release_from_pad_thread);

  return s;
}

GST_CHECK_MAIN (ladderbroadcaster);
