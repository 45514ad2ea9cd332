/* gst-ladder
 * Copyright (C) 2026 The gst-ladder authors
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2 of the License, or (at your option) any later version.
 */

/* The frame grid of the x264 rung (ladderretime.c), through ladderx264:
 * jittered, clamped, dropped and late input frames come out one frame
 * duration apart. tests/integration/srt_live.py does the same with a real
 * SRT input. */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <gst/check/gstcheck.h>
#include <gst/check/gstharness.h>
#include <gst/ladder/ladder.h>

#define W 320
#define H 240

/* the grid: slot @n of @fps_n/1, rounded up to the nanosecond */
static GstClockTime
slot (guint64 n, gint fps_n)
{
  return gst_util_uint64_scale_ceil (n, GST_SECOND, fps_n);
}

static GstBuffer *
frame (GstClockTime pts, gint fps_n)
{
  GstBuffer *buf = gst_buffer_new_allocate (NULL, W * H * 3 / 2, NULL);

  gst_buffer_memset (buf, 0, (guint8) (pts / GST_MSECOND), W * H * 3 / 2);
  GST_BUFFER_PTS (buf) = pts;
  GST_BUFFER_DURATION (buf) = GST_SECOND / fps_n;
  return buf;
}

typedef struct
{
  GstHarness *h;
  GstElement *t;
  GArray *rt;                   /* running time of every output buffer */
  GArray *key_rt;               /* running time of the key units */
  GArray *cut_rt;               /* running time of the cuts that came out */
  guint64 dropped, duplicated;
} Rung;

static void
rung_start (Rung * r, gint fps_n)
{
  GstLadderRendition *rendition = gst_ladder_rendition_from_string ("240p",
      NULL);
  gchar *str = g_strdup_printf ("video/x-raw, format=I420, width=%d, "
      "height=%d, framerate=%d/1", W, H, fps_n);
  GstCaps *caps = gst_caps_from_string (str);

  g_free (str);
  r->t = gst_ladder_transcoder_new (GST_TYPE_LADDER_X264, rendition, "test",
      "video", caps, NULL);
  fail_unless (r->t != NULL);
  gst_util_set_object_arg (G_OBJECT (r->t), "speed-preset", "ultrafast");
  r->h = gst_harness_new_with_element (r->t, "sink", "src");
  gst_harness_set_src_caps (r->h, caps);
  r->rt = g_array_new (FALSE, FALSE, sizeof (GstClockTime));
  r->key_rt = g_array_new (FALSE, FALSE, sizeof (GstClockTime));
  r->cut_rt = g_array_new (FALSE, FALSE, sizeof (GstClockTime));
  gst_ladder_rendition_free (rendition);
}

/* a cut of the ladder's keyframe policy for the frame at @pts */
static void
rung_cut (Rung * r, GstClockTime pts, guint count)
{
  fail_unless (gst_harness_push_event (r->h, gst_ladder_cut_event_new (pts,
              pts, count)));
}

static void
rung_push (Rung * r, GstClockTime pts, gint fps_n)
{
  fail_unless_equals_int (gst_harness_push (r->h, frame (pts, fps_n)),
      GST_FLOW_OK);
}

/* EOS, then every output buffer's running time (the encoder shifts PTS
 * and segment alike: the running time is the retimed input PTS) */
static void
rung_finish (Rung * r)
{
  GstElement *retime;
  GstEvent *event;
  GstSegment segment;
  GstBuffer *buf;

  gst_harness_push_event (r->h, gst_event_new_eos ());
  event = gst_pad_get_sticky_event (r->h->sinkpad, GST_EVENT_SEGMENT, 0);
  fail_unless (event != NULL);
  gst_event_copy_segment (event, &segment);
  gst_event_unref (event);
  while ((buf = gst_harness_try_pull (r->h))) {
    GstClockTime rt = gst_segment_to_running_time (&segment,
        GST_FORMAT_TIME, GST_BUFFER_PTS (buf));

    /* (h264parse turns a PTS seen twice into none) */
    fail_unless (GST_CLOCK_TIME_IS_VALID (rt), "output buffer %u without "
        "PTS", r->rt->len);
    g_array_append_val (r->rt, rt);
    if (!GST_BUFFER_FLAG_IS_SET (buf, GST_BUFFER_FLAG_DELTA_UNIT))
      g_array_append_val (r->key_rt, rt);
    gst_buffer_unref (buf);
  }
  while ((event = gst_harness_try_pull_event (r->h))) {
    GstClockTime rt;

    if (gst_ladder_cut_event_parse (event, &rt, NULL))
      g_array_append_val (r->cut_rt, rt);
    gst_event_unref (event);
  }
  /* checked after the timestamps */
  r->dropped = r->duplicated = G_MAXUINT64;
  retime = gst_bin_get_by_name (GST_BIN (r->t), "retime");
  if (retime) {
    g_object_get (retime, "dropped", &r->dropped, "duplicated",
        &r->duplicated, NULL);
    gst_object_unref (retime);
  }
  gst_harness_teardown (r->h);
  gst_object_unref (r->t);
}

static void
rung_clear (Rung * r)
{
  g_array_unref (r->rt);
  g_array_unref (r->key_rt);
  g_array_unref (r->cut_rt);
}

static GstClockTime
rt_at (Rung * r, guint i)
{
  return g_array_index (r->rt, GstClockTime, i);
}

/* frames of slots @from .. @from + n - 1, each on its slot */
static void
check_slots (Rung * r, guint64 from, guint n, gint fps_n)
{
  guint i;

  fail_unless_equals_int (r->rt->len, n);
  /* one frame duration apart (to the nanosecond), then each on its slot */
  for (i = 1; i < n; i++) {
    gint64 step = rt_at (r, i) - rt_at (r, i - 1);

    fail_unless (step == (gint64) (GST_SECOND / fps_n)
        || step == (gint64) slot (1, fps_n),
        "frames %u and %u are %" G_GINT64_FORMAT " ns apart", i - 1, i, step);
  }
  for (i = 0; i < n; i++) {
    GstClockTime want = slot (from + i, fps_n);

    fail_unless_equals_uint64 (rt_at (r, i), want);
  }
}

/* a frame less than half a frame off comes out on its own slot: the
 * jitter of tsdemux behind srtsrc, within that, costs nothing */
GST_START_TEST (test_jitter_within_half_a_frame)
{
  Rung r;
  guint i;

  rung_start (&r, 30);
  for (i = 0; i < 60; i++) {
    /* up to 16 ms either way, alternating as tsdemux's PCR steps make it */
    GstClockTime pts = gst_util_uint64_scale (i, GST_SECOND, 30) + GST_SECOND;
    guint64 ms = (i * 7919) % 17;

    rung_push (&r, (i % 2) ? pts + ms * GST_MSECOND : pts - ms * GST_MSECOND,
        30);
  }
  rung_finish (&r);
  check_slots (&r, 30, 60, 30);
  fail_unless_equals_uint64 (r.dropped, 0);
  fail_unless_equals_uint64 (r.duplicated, 0);
  rung_clear (&r);
}

GST_END_TEST;

/* frames on the usual grid (videotestsrc, videorate: rounded down) stay
 * on their slot, which is rounded up: 30 fps is 3000 ticks of 90 kHz */
GST_START_TEST (test_on_grid_input)
{
  Rung r;
  guint i;

  rung_start (&r, 30);
  for (i = 0; i < 40; i++)
    rung_push (&r, gst_util_uint64_scale (i, GST_SECOND, 30), 30);
  rung_finish (&r);
  check_slots (&r, 0, 40, 30);
  for (i = 0; i < 40; i++)
    fail_unless_equals_uint64 (gst_util_uint64_scale (rt_at (&r, i), 9,
            100000), 3000 * i);
  fail_unless_equals_uint64 (r.dropped, 0);
  fail_unless_equals_uint64 (r.duplicated, 0);
  rung_clear (&r);
}

GST_END_TEST;

/* two frames in one slot: the later one goes; an empty slot: the frame
 * before fills it; a timestamp going back: dropped, its slot filled */
GST_START_TEST (test_drop_and_fill)
{
  Rung r;
  GstClockTime pts[60];
  guint i;

  for (i = 0; i < 60; i++)
    pts[i] = gst_util_uint64_scale (i, GST_SECOND, 30) + GST_SECOND;

  rung_start (&r, 30);
  for (i = 0; i < 60; i++) {
    if (i == 30)                /* lost on the way (a lag drop) */
      continue;
    if (i == 50)                /* went back (tsdemux), behind frame 49 */
      rung_push (&r, pts[49] - 10 * GST_MSECOND, 30);
    else
      rung_push (&r, pts[i], 30);
    if (i == 44)                /* a decoder's clamp: the same PTS again */
      rung_push (&r, pts[44], 30);
  }
  rung_finish (&r);
  check_slots (&r, 30, 60, 30);
  fail_unless_equals_uint64 (r.dropped, 2);
  fail_unless_equals_uint64 (r.duplicated, 2);
  rung_clear (&r);
}

GST_END_TEST;

/* a hole over GST_LADDER_RETIME_MAX_FILL (2 s) is an outage: not filled,
 * the frames after it still on the grid */
GST_START_TEST (test_outage_not_filled)
{
  Rung r;
  guint i;

  rung_start (&r, 25);
  for (i = 0; i < 10; i++)
    rung_push (&r, slot (i, 25) + 3 * GST_MSECOND, 25);
  for (i = 100; i < 110; i++)
    rung_push (&r, slot (i, 25) - 3 * GST_MSECOND, 25);
  rung_finish (&r);
  fail_unless_equals_int (r.rt->len, 20);
  for (i = 0; i < 10; i++) {
    fail_unless_equals_uint64 (rt_at (&r, i), slot (i, 25));
    fail_unless_equals_uint64 (rt_at (&r, 10 + i), slot (100 + i, 25));
  }
  fail_unless_equals_uint64 (r.duplicated, 0);
  rung_clear (&r);
}

GST_END_TEST;

/* a cut goes on its frame, which the grid moved earlier; the cut of a
 * dropped frame on the next one */
GST_START_TEST (test_cut_on_its_frame)
{
  Rung r;
  GstClockTime pts[90];
  guint i;

  /* every frame 12 ms late: the grid moves each 12 ms earlier */
  for (i = 0; i < 90; i++)
    pts[i] = gst_util_uint64_scale (i, GST_SECOND, 30) + 12 * GST_MSECOND;

  rung_start (&r, 30);
  for (i = 0; i < 90; i++) {
    if (i == 0 || i == 60 || i == 75)
      rung_cut (&r, pts[i], i / 30);
    /* frame 75 comes with the PTS of frame 74 (a decoder's clamp) */
    rung_push (&r, i == 75 ? pts[74] : pts[i], 30);
  }
  rung_finish (&r);
  check_slots (&r, 0, 90, 30);
  fail_unless_equals_uint64 (r.dropped, 1);
  fail_unless_equals_uint64 (r.duplicated, 1);
  /* IDR frames on slots 0, 60 and 76 (slot 75 is a copy of frame 74,
   * before the cut's time), the cuts downstream with their times */
  fail_unless_equals_int (r.key_rt->len, 3);
  fail_unless_equals_uint64 (g_array_index (r.key_rt, GstClockTime, 0),
      slot (0, 30));
  fail_unless_equals_uint64 (g_array_index (r.key_rt, GstClockTime, 1),
      slot (60, 30));
  fail_unless_equals_uint64 (g_array_index (r.key_rt, GstClockTime, 2),
      slot (76, 30));
  fail_unless_equals_int (r.cut_rt->len, 3);
  for (i = 0; i < 3; i++)
    fail_unless_equals_uint64 (g_array_index (r.cut_rt, GstClockTime, i),
        g_array_index (r.key_rt, GstClockTime, i));
  rung_clear (&r);
}

GST_END_TEST;

static Suite *
ladderretime_suite (void)
{
  Suite *s = suite_create ("ladderretime");
  TCase *tc = tcase_create ("general");

  suite_add_tcase (s, tc);
  if (gst_registry_check_feature_version (gst_registry_get (), "x264enc",
          1, 0, 0) && gst_registry_check_feature_version (gst_registry_get (),
          "h264parse", 1, 0, 0)) {
    tcase_add_test (tc, test_jitter_within_half_a_frame);
    tcase_add_test (tc, test_on_grid_input);
    tcase_add_test (tc, test_drop_and_fill);
    tcase_add_test (tc, test_outage_not_filled);
    tcase_add_test (tc, test_cut_on_its_frame);
  }
  return s;
}

GST_CHECK_MAIN (ladderretime);
