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
#include <gst/pbutils/pbutils.h>
#include <gst/ladder/ladder.h>

#include "laddertest.h"

/* ---- helpers ---- */

/* a raw I420 frame with a moving gradient, the same for the same index */
static GstBuffer *
make_frame (gint w, gint h, guint i, gint fps_n, gint fps_d)
{
  gsize ysize = (gsize) w * h;
  GstBuffer *buf = gst_buffer_new_allocate (NULL, ysize * 3 / 2, NULL);
  GstMapInfo map;
  gint x, y;

  gst_buffer_map (buf, &map, GST_MAP_WRITE);
  for (y = 0; y < h; y++)
    for (x = 0; x < w; x++)
      map.data[y * w + x] = (x + 2 * y + 3 * i) & 0xff;
  memset (map.data + ysize, 128, ysize / 2);
  gst_buffer_unmap (buf, &map);

  GST_BUFFER_PTS (buf) = gst_util_uint64_scale (i, fps_d * GST_SECOND, fps_n);
  GST_BUFFER_DURATION (buf) = gst_util_uint64_scale (i + 1,
      fps_d * GST_SECOND, fps_n) - GST_BUFFER_PTS (buf);
  return buf;
}

static GstCaps *
raw_caps (gint w, gint h, gint fps_n, gint fps_d, const gchar * extra)
{
  gchar *str = g_strdup_printf ("video/x-raw, format=I420, width=%d, "
      "height=%d, framerate=%d/%d%s%s", w, h, fps_n, fps_d,
      extra ? ", " : "", extra ? extra : "");
  GstCaps *caps = gst_caps_from_string (str);

  g_free (str);
  return caps;
}

typedef struct
{
  gboolean sps, pps, idr, params_before_idr;
} Nals;

/* scans the Annex B NAL units of one access unit */
static Nals
scan_nals (GstBuffer * buf)
{
  Nals n = { FALSE, };
  GstMapInfo map;
  gsize i;

  gst_buffer_map (buf, &map, GST_MAP_READ);
  for (i = 0; i + 3 < map.size; i++) {
    if (map.data[i] == 0 && map.data[i + 1] == 0 && map.data[i + 2] == 1) {
      guint type = map.data[i + 3] & 0x1f;

      if (type == 7)
        n.sps = TRUE;
      else if (type == 8)
        n.pps = TRUE;
      else if (type == 5 && !n.idr) {
        n.idr = TRUE;
        n.params_before_idr = n.sps && n.pps;
      }
      i += 2;
    }
  }
  gst_buffer_unmap (buf, &map);
  return n;
}

typedef struct
{
  GstCaps *caps;                /* output caps */
  GArray *pts;                  /* GstClockTime, every output buffer */
  GArray *idr_pts;              /* GstClockTime, the IDR ones */
  guint64 bytes;
} Output;

static void
output_clear (Output * o)
{
  gst_clear_caps (&o->caps);
  g_array_unref (o->pts);
  g_array_unref (o->idr_pts);
}

/* checks every output buffer and records what came out */
static void
collect_output (GstHarness * h, Output * o)
{
  GstEvent *segment_event;
  GstSegment segment;
  GstBuffer *buf;

  o->pts = g_array_new (FALSE, FALSE, sizeof (GstClockTime));
  o->idr_pts = g_array_new (FALSE, FALSE, sizeof (GstClockTime));
  o->bytes = 0;

  segment_event = gst_pad_get_sticky_event (h->sinkpad, GST_EVENT_SEGMENT, 0);
  fail_unless (segment_event != NULL);
  gst_event_copy_segment (segment_event, &segment);
  gst_event_unref (segment_event);

  while ((buf = gst_harness_try_pull (h))) {
    Nals n = scan_nals (buf);
    /* the encoder shifts PTS and segment alike (to keep DTS positive):
     * compare running times, which are the input PTS here */
    GstClockTime pts = gst_segment_to_running_time (&segment,
        GST_FORMAT_TIME, GST_BUFFER_PTS (buf));

    g_array_append_val (o->pts, pts);
    o->bytes += gst_buffer_get_size (buf);
    /* flags say what the bitstream says */
    fail_unless_equals_int (!GST_BUFFER_FLAG_IS_SET (buf,
            GST_BUFFER_FLAG_DELTA_UNIT), n.idr);
    if (n.idr) {
      fail_unless (n.params_before_idr, "IDR at %" GST_TIME_FORMAT
          " without SPS/PPS before it", GST_TIME_ARGS (pts));
      g_array_append_val (o->idr_pts, pts);
    }
    gst_buffer_unref (buf);
  }
  o->caps = gst_pad_get_current_caps (h->sinkpad);
  fail_unless (o->caps != NULL);
  {
    guint i;
    GString *str = g_string_new ("IDRs:");
    for (i = 0; i < o->idr_pts->len; i++)
      g_string_append_printf (str, " %" GST_TIME_FORMAT,
          GST_TIME_ARGS (g_array_index (o->idr_pts, GstClockTime, i)));
    GST_INFO ("%u buffers, %s", o->pts->len, str->str);
    g_string_free (str, TRUE);
  }
  fail_unless (o->pts->len > 0);
}

/* Pushes @buf, preceded by its cut when the ladder's keyframe policy
 * (@cutter, fed with every frame of the source) starts a segment there:
 * as a source broadcaster with a cut-interval would. Frames before @first
 * only go through the policy, as for a rung that starts later. */
static void
push_with_cut (GstHarness * h, GstLadderCutter * cutter, GstBuffer * buf,
    gboolean push)
{
  GstClockTime cut;
  guint count;
  gboolean is_cut;

  is_cut = gst_ladder_cutter_check (cutter, GST_BUFFER_PTS (buf),
      GST_BUFFER_DURATION (buf), !GST_BUFFER_FLAG_IS_SET (buf,
          GST_BUFFER_FLAG_DELTA_UNIT), &cut, &count);
  if (!push) {
    gst_buffer_unref (buf);
    return;
  }
  if (is_cut)
    fail_unless (gst_harness_push_event (h, gst_ladder_cut_event_new (cut,
                cut, count)));
  fail_unless_equals_int (gst_harness_push (h, buf), GST_FLOW_OK);
}

/* runs raw frames [from, last) of a w x h source through a rung */
static void
run_raw_rung (const gchar * rendition, gboolean caps_known, gint w, gint h,
    gint fps_n, guint from, guint last, const gchar * caps_extra,
    gboolean upscale, Output * o)
{
  GstLadderRendition *r = gst_ladder_rendition_from_string (rendition, NULL);
  GstCaps *caps = raw_caps (w, h, fps_n, 1, caps_extra);
  GstLadderCutter cutter;
  GstElement *t;
  GstHarness *hr;
  guint i;

  fail_unless (r != NULL);
  gst_ladder_cutter_init (&cutter, r->keyframe_interval, FALSE);
  t = gst_ladder_transcoder_new (GST_TYPE_LADDER_X264, r, "test", "video",
      caps_known ? caps : NULL, NULL);
  fail_unless (t != NULL);
  g_object_set (t, "allow-upscale", upscale, NULL);
  hr = gst_harness_new_with_element (t, "sink", "src");

  /* raw input with known caps goes straight to the scaler */
  {
    GstElement *entry = gst_bin_get_by_name (GST_BIN (t), "entry");
    fail_unless_equals_int (entry == NULL, caps_known);
    gst_clear_object (&entry);
  }

  gst_harness_set_src_caps (hr, caps);
  for (i = 0; i < last; i++)
    push_with_cut (hr, &cutter, make_frame (w, h, i, fps_n, 1), i >= from);
  gst_harness_push_event (hr, gst_event_new_eos ());

  collect_output (hr, o);
  /* raw input is never decoded */
  {
    GstElement *dec = gst_bin_get_by_name (GST_BIN (t), "decoder");
    fail_unless (dec == NULL);
  }
  gst_harness_teardown (hr);
  gst_object_unref (t);
  gst_ladder_rendition_free (r);
}

static void
check_size (GstCaps * caps, gint w, gint h)
{
  GstStructure *s = gst_caps_get_structure (caps, 0);
  gint cw = 0, ch = 0;

  fail_unless (gst_structure_has_name (s, "video/x-h264"));
  fail_unless_equals_string (gst_structure_get_string (s, "stream-format"),
      "byte-stream");
  fail_unless_equals_string (gst_structure_get_string (s, "alignment"), "au");
  gst_structure_get_int (s, "width", &cw);
  gst_structure_get_int (s, "height", &ch);
  fail_unless (cw == w && ch == h, "size %dx%d, expected %dx%d", cw, ch, w, h);
}

static gboolean
have_feature (const gchar * name)
{
  if (gst_registry_check_feature_version (gst_registry_get (), name, 1, 0, 0))
    return TRUE;
  g_print ("SKIP: %s is not installed; its ladderx264 tests are skipped\n",
      name);
  return FALSE;
}

static gboolean
under_valgrind (void)
{
  const gchar *preload = g_getenv ("LD_PRELOAD");

  return preload && strstr (preload, "vgpreload") != NULL;
}

/* ---- tests ---- */

GST_START_TEST (test_accept)
{
  GstLadderRendition *r = gst_ladder_rendition_new_preset ("480p", NULL);
  GstLadderRendition *src = gst_ladder_rendition_new_preset ("source", NULL);
  GstCaps *audio = gst_caps_from_string ("audio/mpeg");
  GstCaps *h264 = gst_caps_from_string ("video/x-h264");
  GstCaps *raw = gst_caps_from_string ("video/x-raw");
  GError *err = NULL;

  fail_unless (gst_ladder_transcoder_type_accepts (GST_TYPE_LADDER_X264,
          "b", "video", h264, r));
  fail_unless (gst_ladder_transcoder_type_accepts (GST_TYPE_LADDER_X264,
          "b", "video", raw, r));
  fail_unless (gst_ladder_transcoder_type_accepts (GST_TYPE_LADDER_X264,
          "b", "video", NULL, r));
  fail_if (gst_ladder_transcoder_type_accepts (GST_TYPE_LADDER_X264,
          "b", "audio", NULL, r));
  fail_if (gst_ladder_transcoder_type_accepts (GST_TYPE_LADDER_X264,
          "b", NULL, audio, r));
  fail_if (gst_ladder_transcoder_type_accepts (GST_TYPE_LADDER_X264,
          "b", "video", h264, src));
  fail_if (gst_ladder_transcoder_new (GST_TYPE_LADDER_X264, r, "b", "audio",
          audio, &err));
  fail_unless (g_error_matches (err, GST_LADDER_ERROR,
          GST_LADDER_ERROR_REFUSED));
  g_clear_error (&err);

  {
    GstLadderTranscoderClass *klass = g_type_class_ref (GST_TYPE_LADDER_X264);
    fail_unless (klass->decodes_video);
    fail_unless_equals_string (klass->name, "x264");
    g_type_class_unref (klass);
  }

  gst_ladder_rendition_free (r);
  gst_ladder_rendition_free (src);
  gst_caps_unref (audio);
  gst_caps_unref (h264);
  gst_caps_unref (raw);
}

GST_END_TEST;

GST_START_TEST (test_output_size)
{
  Output o;

  /* 16:9 into a 16:9 box */
  run_raw_rung ("480p", TRUE, 1280, 720, 30, 0, 5, NULL, FALSE, &o);
  check_size (o.caps, 854, 480);
  fail_unless_equals_int (o.pts->len, 5);
  output_clear (&o);

  /* 4:3 keeps its aspect: pillarbox-free 640x480 in the 854x480 box */
  run_raw_rung ("480p", TRUE, 1024, 768, 30, 0, 3, NULL, FALSE, &o);
  check_size (o.caps, 640, 480);
  output_clear (&o);

  /* non-square pixels: 720x576 at 16/15 shows as 768x576 (4:3) */
  run_raw_rung ("240p", TRUE, 720, 576, 25, 0, 3,
      "pixel-aspect-ratio=16/15", FALSE, &o);
  check_size (o.caps, 320, 240);
  output_clear (&o);

  /* never upscaled past the source... */
  run_raw_rung ("720p", TRUE, 640, 360, 30, 0, 3, NULL, FALSE, &o);
  check_size (o.caps, 640, 360);
  output_clear (&o);

  /* ...unless allowed */
  run_raw_rung ("720p", TRUE, 640, 360, 30, 0, 3, NULL, TRUE, &o);
  check_size (o.caps, 1280, 720);
  output_clear (&o);

  /* sizes stay even */
  run_raw_rung ("odd:300x300@300", TRUE, 640, 480, 30, 0, 3, NULL, FALSE, &o);
  check_size (o.caps, 300, 226);
  output_clear (&o);
}

GST_END_TEST;

GST_START_TEST (test_colorimetry_kept)
{
  Output o;
  GstStructure *s;

  run_raw_rung ("240p", TRUE, 640, 360, 30, 0, 3, "colorimetry=bt709",
      FALSE, &o);
  s = gst_caps_get_structure (o.caps, 0);
  fail_unless_equals_string (gst_structure_get_string (s, "colorimetry"),
      "bt709");
  output_clear (&o);

  run_raw_rung ("240p", TRUE, 640, 360, 30, 0, 3, "colorimetry=bt601",
      FALSE, &o);
  s = gst_caps_get_structure (o.caps, 0);
  fail_unless_equals_string (gst_structure_get_string (s, "colorimetry"),
      "bt601");
  output_clear (&o);
}

GST_END_TEST;

/* gst-launch style: no input caps, raw input through decodebin's typefind */
GST_START_TEST (test_raw_input_unknown_caps)
{
  Output o;

  run_raw_rung ("240p", FALSE, 640, 360, 30, 0, 10, NULL, FALSE, &o);
  check_size (o.caps, 426, 240);
  fail_unless_equals_int (o.pts->len, 10);
  fail_unless_equals_int (o.idr_pts->len, 1);
  output_clear (&o);
}

GST_END_TEST;

GST_START_TEST (test_sps_pps_every_idr)
{
  Output o;
  guint i;

  /* a 1 s grid over 3.5 s: IDRs at 0, 1, 2 and 3 s, each with SPS/PPS
   * (collect_output checks that) */
  run_raw_rung ("small:320x180@300:gop=1", TRUE, 320, 180, 30, 0, 105, NULL,
      FALSE, &o);
  fail_unless_equals_int (o.pts->len, 105);
  fail_unless_equals_int (o.idr_pts->len, 4);
  for (i = 0; i < o.idr_pts->len; i++)
    fail_unless_equals_uint64 (g_array_index (o.idr_pts, GstClockTime, i),
        i * GST_SECOND);
  output_clear (&o);
}

GST_END_TEST;

static void
check_idrs_on_grid (Output * o, GstClockTime interval, gboolean skip_first)
{
  guint i;

  for (i = skip_first ? 1 : 0; i < o->idr_pts->len; i++) {
    GstClockTime t = g_array_index (o->idr_pts, GstClockTime, i);
    fail_unless (t % interval == 0, "IDR at %" GST_TIME_FORMAT
        " is off the grid", GST_TIME_ARGS (t));
  }
}

/* the IDRs of @o (after the first @skip) are those of @ref from @from on,
 * within the time both cover */
static void
check_same_idrs_from (Output * ref, Output * o, GstClockTime from, guint skip)
{
  GstClockTime ref_end = g_array_index (ref->pts, GstClockTime,
      ref->pts->len - 1);
  guint i, j = skip, n = 0;

  for (i = 0; i < ref->idr_pts->len; i++) {
    GstClockTime t = g_array_index (ref->idr_pts, GstClockTime, i);

    if (t < from)
      continue;
    fail_unless (j < o->idr_pts->len, "missing IDR at %" GST_TIME_FORMAT,
        GST_TIME_ARGS (t));
    fail_unless_equals_uint64 (g_array_index (o->idr_pts, GstClockTime, j), t);
    j++;
    n++;
  }
  fail_unless (n > 0);
  for (; j < o->idr_pts->len; j++)
    fail_unless (g_array_index (o->idr_pts, GstClockTime, j) > ref_end,
        "extra IDR at %" GST_TIME_FORMAT,
        GST_TIME_ARGS (g_array_index (o->idr_pts, GstClockTime, j)));
}

GST_START_TEST (test_aligned_idrs)
{
  Output a, b, c, d, e;
  guint i;

  /* 6 s of 30 fps, two renditions of a 1 s keyframe interval */
  run_raw_rung ("a:640x360@800:gop=1", TRUE, 640, 360, 30, 0, 180, NULL,
      FALSE, &a);
  run_raw_rung ("b:320x180@250:gop=1", TRUE, 640, 360, 30, 0, 180, NULL,
      FALSE, &b);
  fail_unless_equals_int (a.idr_pts->len, 6);
  fail_unless_equals_int (a.idr_pts->len, b.idr_pts->len);
  for (i = 0; i < a.idr_pts->len; i++)
    fail_unless_equals_uint64 (g_array_index (a.idr_pts, GstClockTime, i),
        g_array_index (b.idr_pts, GstClockTime, i));
  check_idrs_on_grid (&a, GST_SECOND, FALSE);

  /* a rung started later from a grid point lands on the same IDRs */
  run_raw_rung ("c:426x240@400:gop=1", TRUE, 640, 360, 30, 90, 180, NULL,
      FALSE, &c);
  check_same_idrs_from (&a, &c, 3 * GST_SECOND, 0);

  /* one started off the grid starts with an IDR, then joins the grid */
  run_raw_rung ("d:426x240@400:gop=1", TRUE, 640, 360, 30, 100, 180, NULL,
      FALSE, &d);
  /* (on the rung's frame grid, whose times are rounded up: ladderretime.c) */
  fail_unless_equals_uint64 (g_array_index (d.idr_pts, GstClockTime, 0),
      gst_util_uint64_scale_ceil (100, GST_SECOND, 30));
  check_same_idrs_from (&a, &d, 4 * GST_SECOND, 1);

  /* a rung at half the framerate keeps the grid too */
  run_raw_rung ("e:320x180@250:fps=15:gop=1", TRUE, 640, 360, 30, 0, 180,
      NULL, FALSE, &e);
  check_same_idrs_from (&a, &e, 0, 0);

  output_clear (&a);
  output_clear (&b);
  output_clear (&c);
  output_clear (&d);
  output_clear (&e);
}

GST_END_TEST;

GST_START_TEST (test_framerate)
{
  Output o;
  GstStructure *s;
  gint n = 0, d = 0;
  guint i;

  run_raw_rung ("240p:fps=15", TRUE, 640, 360, 30, 0, 60, NULL, FALSE, &o);
  s = gst_caps_get_structure (o.caps, 0);
  fail_unless (gst_structure_get_fraction (s, "framerate", &n, &d));
  fail_unless (n == 15 && d == 1, "framerate %d/%d", n, d);
  /* 2 s at 15 fps */
  fail_unless (o.pts->len >= 29 && o.pts->len <= 31, "%u buffers", o.pts->len);
  for (i = 1; i < o.pts->len; i++) {
    GstClockTime diff = g_array_index (o.pts, GstClockTime, i) -
        g_array_index (o.pts, GstClockTime, i - 1);
    fail_unless (diff >= GST_SECOND / 15 && diff <= GST_SECOND / 15 + 1,
        "frame spacing %" GST_TIME_FORMAT, GST_TIME_ARGS (diff));
  }
  output_clear (&o);
}

GST_END_TEST;

typedef struct
{
  guint64 bytes;
  GstClockTime first, last;
} Count;

static void
count_handoff (GstElement * sink, GstBuffer * buf, GstPad * pad, Count * c)
{
  c->bytes += gst_buffer_get_size (buf);
  if (!GST_CLOCK_TIME_IS_VALID (c->first))
    c->first = GST_BUFFER_PTS (buf);
  c->last = GST_BUFFER_PTS (buf) + GST_BUFFER_DURATION (buf);
}

GST_START_TEST (test_bitrate)
{
  GstElement *pipeline, *sink;
  GError *err = NULL;
  Count c = { 0, GST_CLOCK_TIME_NONE, 0 };
  gdouble kbps;

  /* 10 s of a moving SMPTE picture, 854x480 -> 240p at 400 kbit/s */
  pipeline = gst_parse_launch ("videotestsrc num-buffers=300 pattern=smpte "
      "horizontal-speed=4 ! video/x-raw,width=854,height=480,framerate=30/1 "
      "! ladderx264 name=x rendition=240p ! fakesink name=sink "
      "signal-handoffs=true", &err);
  fail_unless (pipeline != NULL, "%s", err ? err->message : "");
  sink = gst_bin_get_by_name (GST_BIN (pipeline), "sink");
  g_signal_connect (sink, "handoff", G_CALLBACK (count_handoff), &c);
  fail_unless (gst_element_set_state (pipeline, GST_STATE_PLAYING) !=
      GST_STATE_CHANGE_FAILURE);
  ladder_test_wait_eos (pipeline, 300 * GST_SECOND, "300 frames encoded");
  {
    /* not live: no zerolatency tuning */
    GstElement *x = gst_bin_get_by_name (GST_BIN (pipeline), "x");
    GstElement *enc = gst_bin_get_by_name (GST_BIN (x), "encoder");
    guint tune;

    g_object_get (enc, "tune", &tune, NULL);
    fail_unless_equals_int (tune, 0);
    gst_object_unref (enc);
    gst_object_unref (x);
  }
  gst_element_set_state (pipeline, GST_STATE_NULL);

  /* 10 s, to the nanosecond rounding of the timestamps */
  fail_unless (c.last - c.first >= 10 * GST_SECOND - 10
      && c.last - c.first <= 10 * GST_SECOND + 10);
  kbps = c.bytes * 8.0 / 1000.0 / ((c.last - c.first) / (gdouble) GST_SECOND);
  GST_INFO ("240p: %.1f kbit/s", kbps);
  fail_unless (kbps > 400 * 0.85 && kbps < 400 * 1.15,
      "bitrate %.1f kbit/s, expected 400 +- 15%%", kbps);

  gst_object_unref (sink);
  gst_object_unref (pipeline);
}

GST_END_TEST;

/* encodes 4 s of 640x360 at 30 fps with a 1 s GOP, as a source would */
static GPtrArray *
encode_source (GstCaps ** caps)
{
  GPtrArray *bufs = g_ptr_array_new_with_free_func ((GDestroyNotify)
      gst_buffer_unref);
  GstEvent *segment_event;
  GstSegment segment;
  GstHarness *h;
  GstBuffer *buf;
  guint i;

  h = gst_harness_new_parse ("x264enc key-int-max=30 bframes=0 "
      "speed-preset=ultrafast ! h264parse ! capsfilter caps=\"video/x-h264,"
      "stream-format=byte-stream,alignment=au\"");
  gst_harness_set_src_caps (h, raw_caps (640, 360, 30, 1, "colorimetry=bt709"));
  for (i = 0; i < 120; i++)
    fail_unless_equals_int (gst_harness_push (h, make_frame (640, 360, i, 30,
                1)), GST_FLOW_OK);
  gst_harness_push_event (h, gst_event_new_eos ());
  segment_event = gst_pad_get_sticky_event (h->sinkpad, GST_EVENT_SEGMENT, 0);
  gst_event_copy_segment (segment_event, &segment);
  gst_event_unref (segment_event);
  /* as a source would give them: timestamps from 0 (the encoder shifted
   * them to keep DTS positive) */
  while ((buf = gst_harness_try_pull (h))) {
    buf = gst_buffer_make_writable (buf);
    GST_BUFFER_PTS (buf) = gst_segment_to_running_time (&segment,
        GST_FORMAT_TIME, GST_BUFFER_PTS (buf));
    GST_BUFFER_DTS (buf) = gst_segment_to_running_time (&segment,
        GST_FORMAT_TIME, GST_BUFFER_DTS (buf));
    g_ptr_array_add (bufs, buf);
  }
  *caps = gst_pad_get_current_caps (h->sinkpad);
  gst_harness_teardown (h);
  fail_unless_equals_int (bufs->len, 120);
  return bufs;
}

static void
run_encoded_rung (const gchar * rendition, GstCaps * caps, gboolean known,
    GPtrArray * bufs, guint first, Output * o)
{
  GstLadderRendition *r = gst_ladder_rendition_from_string (rendition, NULL);
  GstLadderCutter cutter;
  GstElement *t;
  GstHarness *h;
  guint i;

  gst_ladder_cutter_init (&cutter, r->keyframe_interval, FALSE);
  t = gst_ladder_transcoder_new (GST_TYPE_LADDER_X264, r, "test", "video",
      known ? caps : NULL, NULL);
  fail_unless (t != NULL);
  h = gst_harness_new_with_element (t, "sink", "src");
  gst_harness_set_src_caps (h, gst_caps_ref (caps));
  for (i = 0; i < bufs->len; i++)
    push_with_cut (h, &cutter, gst_buffer_ref (g_ptr_array_index (bufs, i)),
        i >= first);
  gst_harness_push_event (h, gst_event_new_eos ());
  collect_output (h, o);
  /* encoded input is decoded inside */
  {
    GstElement *dec = gst_bin_get_by_name (GST_BIN (t), "decoder");
    fail_unless (dec != NULL);
    gst_object_unref (dec);
  }
  gst_harness_teardown (h);
  gst_object_unref (t);
  gst_ladder_rendition_free (r);
}

GST_START_TEST (test_encoded_input)
{
  GstCaps *caps = NULL;
  GPtrArray *bufs;
  Output a, b, c;
  GstStructure *s;
  guint i, from = 0;

  if (!have_feature ("avdec_h264"))
    return;
  if (under_valgrind ()) {
    /* libav pulls in libhwy, whose start-up code uses an instruction
     * (RDTSCP) valgrind cannot run */
    g_print ("SKIP: test_encoded_input: avdec_h264 cannot load under "
        "valgrind\n");
    return;
  }

  bufs = encode_source (&caps);

  /* input caps known, and unknown as from gst-launch-1.0 */
  run_encoded_rung ("240p:gop=1", caps, TRUE, bufs, 0, &a);
  check_size (a.caps, 426, 240);
  fail_unless_equals_int (a.pts->len, 120);
  s = gst_caps_get_structure (a.caps, 0);
  fail_unless_equals_string (gst_structure_get_string (s, "colorimetry"),
      "bt709");
  check_idrs_on_grid (&a, GST_SECOND, FALSE);
  fail_unless_equals_int (a.idr_pts->len, 4);

  run_encoded_rung ("small:320x180@200:gop=1", caps, FALSE, bufs, 0, &b);
  check_size (b.caps, 320, 180);
  fail_unless_equals_int (b.pts->len, 120);
  check_same_idrs_from (&a, &b, 0, 0);

  /* started later, from a keyframe in the middle, as a GOP cache would */
  for (i = 45; i < bufs->len; i++) {
    if (!GST_BUFFER_FLAG_IS_SET (g_ptr_array_index (bufs, i),
            GST_BUFFER_FLAG_DELTA_UNIT)) {
      from = i;
      break;
    }
  }
  fail_unless_equals_int (from, 60);
  run_encoded_rung ("240p:gop=1", caps, TRUE, bufs, from, &c);
  fail_unless_equals_int (c.pts->len, 60);
  check_same_idrs_from (&a, &c, 2 * GST_SECOND, 0);

  output_clear (&a);
  output_clear (&b);
  output_clear (&c);
  g_ptr_array_unref (bufs);
  gst_caps_unref (caps);
}

GST_END_TEST;

GST_START_TEST (test_launch_line)
{
  GstElement *pipeline;
  GError *err = NULL;

  pipeline = gst_parse_launch ("videotestsrc num-buffers=60 ! "
      "video/x-raw,width=1280,height=720 ! ladderx264 rendition=480p "
      "speed-preset=ultrafast threads=1 ! fakesink", &err);
  fail_unless (pipeline != NULL, "%s", err ? err->message : "");
  fail_unless (gst_element_set_state (pipeline, GST_STATE_PLAYING) !=
      GST_STATE_CHANGE_FAILURE);
  ladder_test_wait_eos (pipeline, 60 * GST_SECOND, "60 frames encoded");
  gst_element_set_state (pipeline, GST_STATE_NULL);
  gst_object_unref (pipeline);

  /* a bad rendition string is a parse error, not a crash */
  pipeline = gst_parse_launch ("videotestsrc num-buffers=1 ! ladderx264 "
      "rendition=481p:1x1@0 ! fakesink", &err);
  fail_unless (err != NULL);
  g_clear_error (&err);
  gst_clear_object (&pipeline);
}

GST_END_TEST;

static gchar *
enum_nick (GObject * obj, const gchar * prop)
{
  GValue v = G_VALUE_INIT;
  gchar *str;

  g_value_init (&v, g_object_class_find_property (G_OBJECT_GET_CLASS (obj),
          prop)->value_type);
  g_object_get_property (obj, prop, &v);
  str = gst_value_serialize (&v);
  g_value_unset (&v);
  return str;
}

GST_START_TEST (test_encoder_settings)
{
  GstLadderRendition *r = gst_ladder_rendition_from_string ("240p:gop=1",
      NULL);
  GstElement *t = gst_ladder_transcoder_new (GST_TYPE_LADDER_X264, r, "b",
      "video", NULL, NULL);
  GstHarness *h;
  GstElement *enc;
  guint bframes, vbv, kim, threads, bitrate, tune;
  gchar *opt, *preset;

  h = gst_harness_new_with_element (t, "sink", "src");
  /* the harness is a live source */
  gst_harness_set_src_caps (h, raw_caps (640, 360, 30, 1, NULL));
  fail_unless_equals_int (gst_harness_push (h, make_frame (640, 360, 0, 30,
              1)), GST_FLOW_OK);
  enc = gst_bin_get_by_name (GST_BIN (t), "encoder");
  g_object_get (enc, "bframes", &bframes, "vbv-buf-capacity", &vbv,
      "key-int-max", &kim, "threads", &threads, "bitrate", &bitrate,
      "option-string", &opt, "tune", &tune, NULL);
  preset = enum_nick (G_OBJECT (enc), "speed-preset");
  fail_unless_equals_string (preset, "veryfast");
  fail_unless_equals_int (bframes, 0);
  fail_unless_equals_int (vbv, 600);
  /* twice the 1 s grid at 30 fps: x264 never inserts keyframes itself */
  fail_unless_equals_int (kim, 60);
  fail_unless_equals_int (threads, 1);
  fail_unless_equals_int (bitrate, 400);
  fail_unless (strstr (opt, "scenecut=0") != NULL);
  /* zerolatency for a live source */
  fail_unless_equals_int (tune, 0x4);
  g_free (opt);
  g_free (preset);
  gst_object_unref (enc);
  gst_harness_teardown (h);
  gst_object_unref (t);

  /* the properties of ladderx264 reach the encoder */
  t = gst_ladder_transcoder_new (GST_TYPE_LADDER_X264, r, "b", "video", NULL,
      NULL);
  gst_util_set_object_arg (G_OBJECT (t), "speed-preset", "faster");
  g_object_set (t, "threads", 3, NULL);
  h = gst_harness_new_with_element (t, "sink", "src");
  enc = gst_bin_get_by_name (GST_BIN (t), "encoder");
  g_object_get (enc, "threads", &threads, NULL);
  preset = enum_nick (G_OBJECT (enc), "speed-preset");
  fail_unless_equals_string (preset, "faster");
  fail_unless_equals_int (threads, 3);
  g_free (preset);
  gst_object_unref (enc);
  gst_harness_teardown (h);
  gst_object_unref (t);

  gst_ladder_rendition_free (r);
}

GST_END_TEST;

/* Runs one mpeg2-sited 640x360 frame through a 240p rung with the given
 * chroma-siting (NULL: the default); returns the siting ladderscale got and
 * the chroma-site of the encoder's input caps (x264enc writes it in the
 * VUI) */
static gchar *
encoder_chroma_site (const gchar * siting, gchar ** scale_siting)
{
  GstLadderRendition *r = gst_ladder_rendition_from_string ("240p", NULL);
  GstElement *t = gst_ladder_transcoder_new (GST_TYPE_LADDER_X264, r, "c",
      "video", NULL, NULL);
  GstElement *enc, *scale;
  GstHarness *h;
  GstCaps *caps;
  GstPad *pad;
  gchar *site;

  if (siting)
    gst_util_set_object_arg (G_OBJECT (t), "chroma-siting", siting);
  h = gst_harness_new_with_element (t, "sink", "src");
  gst_harness_set_src_caps (h, raw_caps (640, 360, 30, 1, "chroma-site=mpeg2"));
  fail_unless_equals_int (gst_harness_push (h, make_frame (640, 360, 0, 30,
              1)), GST_FLOW_OK);
  gst_harness_push_event (h, gst_event_new_eos ());
  gst_buffer_unref (gst_harness_pull (h));

  enc = gst_bin_get_by_name (GST_BIN (t), "encoder");
  pad = gst_element_get_static_pad (enc, "sink");
  caps = gst_pad_get_current_caps (pad);
  fail_unless (caps != NULL);
  site = g_strdup (gst_structure_get_string (gst_caps_get_structure (caps,
              0), "chroma-site"));
  scale = gst_bin_get_by_name (GST_BIN (t), "scale");
  fail_unless (scale != NULL);
  *scale_siting = enum_nick (G_OBJECT (scale), "chroma-siting");

  gst_object_unref (scale);
  gst_caps_unref (caps);
  gst_object_unref (pad);
  gst_object_unref (enc);
  gst_harness_teardown (h);
  gst_object_unref (t);
  gst_ladder_rendition_free (r);
  return site;
}

GST_START_TEST (test_chroma_siting)
{
  gchar *site, *scale_siting, *nick;
  GstElement *t;

  /* default: centred, as FFmpeg takes it, and signalled as such */
  t = gst_element_factory_make ("ladderx264", NULL);
  nick = enum_nick (G_OBJECT (t), "chroma-siting");
  fail_unless_equals_string (nick, "centre");
  g_free (nick);
  gst_object_unref (t);

  site = encoder_chroma_site (NULL, &scale_siting);
  fail_unless_equals_string (site, "jpeg");
  fail_unless_equals_string (scale_siting, "centre");
  g_free (site);
  g_free (scale_siting);

  /* auto: the input's siting is honoured and kept */
  site = encoder_chroma_site ("auto", &scale_siting);
  fail_unless_equals_string (site, "mpeg2");
  fail_unless_equals_string (scale_siting, "auto");
  g_free (site);
  g_free (scale_siting);
}

GST_END_TEST;

GST_START_TEST (test_reconfigure)
{
  GstLadderRendition *r = gst_ladder_rendition_new_preset ("240p", NULL);
  GstElement *t = gst_ladder_transcoder_new (GST_TYPE_LADDER_X264, r, "b",
      "video", NULL, NULL);
  GstHarness *h = gst_harness_new_with_element (t, "sink", "src");
  GstElement *enc = gst_bin_get_by_name (GST_BIN (t), "encoder");
  GError *err = NULL;
  guint bitrate;

  r->video_bitrate = 300;
  fail_unless (gst_ladder_transcoder_reconfigure (GST_LADDER_TRANSCODER (t),
          r, &err));
  g_object_get (enc, "bitrate", &bitrate, NULL);
  fail_unless_equals_int (bitrate, 300);
  fail_unless_equals_int (gst_ladder_transcoder_get_rendition
      (GST_LADDER_TRANSCODER (t))->video_bitrate, 300);

  r->width = 320;
  r->height = 180;
  fail_if (gst_ladder_transcoder_reconfigure (GST_LADDER_TRANSCODER (t), r,
          &err));
  fail_unless (g_error_matches (err, GST_LADDER_ERROR,
          GST_LADDER_ERROR_REFUSED));
  g_clear_error (&err);

  gst_object_unref (enc);
  gst_harness_teardown (h);
  gst_object_unref (t);
  gst_ladder_rendition_free (r);
}

GST_END_TEST;

static void
expect_start_failure (GstElement * t, gboolean missing_element_message,
    const gchar * what)
{
  GstElement *pipeline = gst_pipeline_new (NULL);
  GstBus *bus = gst_element_get_bus (pipeline);
  gboolean saw_missing = FALSE;
  GstMessage *msg;
  GError *err = NULL;

  gst_bin_add (GST_BIN (pipeline), t);
  fail_unless_equals_int (gst_element_set_state (pipeline, GST_STATE_READY),
      GST_STATE_CHANGE_FAILURE);

  while ((msg = gst_bus_pop_filtered (bus, GST_MESSAGE_ELEMENT |
              GST_MESSAGE_ERROR))) {
    if (gst_is_missing_plugin_message (msg)) {
      gchar *detail = gst_missing_plugin_message_get_installer_detail (msg);
      fail_unless (strstr (detail, what) != NULL, "%s", detail);
      g_free (detail);
      saw_missing = TRUE;
    } else if (GST_MESSAGE_TYPE (msg) == GST_MESSAGE_ERROR) {
      gst_message_parse_error (msg, &err, NULL);
    }
    gst_message_unref (msg);
  }
  fail_unless_equals_int (saw_missing, missing_element_message);
  fail_unless (err != NULL);
  fail_unless (g_error_matches (err, GST_LADDER_ERROR,
          GST_LADDER_ERROR_MISSING_ELEMENT), "%s", err->message);
  fail_unless (strstr (err->message, what) != NULL, "%s", err->message);
  g_clear_error (&err);
  /* nothing half built is left */
  fail_unless_equals_int (GST_BIN (t)->numchildren, 0);

  gst_element_set_state (pipeline, GST_STATE_NULL);
  gst_object_unref (bus);
  gst_object_unref (pipeline);
}

GST_START_TEST (test_missing_decoder)
{
  GstCaps *caps = gst_caps_from_string ("video/x-no-such-codec");
  GstElement *t = gst_ladder_transcoder_new (GST_TYPE_LADDER_X264, NULL,
      "b", "video", caps, NULL);

  expect_start_failure (t, TRUE, "video/x-no-such-codec");
  gst_caps_unref (caps);
}

GST_END_TEST;

/* keep last: it removes x264enc from this process's registry */
GST_START_TEST (test_missing_x264enc)
{
  GstRegistry *registry = gst_registry_get ();
  GstPluginFeature *feature = gst_registry_lookup_feature (registry,
      "x264enc");
  GstElement *t;

  fail_unless (feature != NULL);
  gst_registry_remove_feature (registry, feature);
  fail_if (gst_registry_check_feature_version (registry, "x264enc", 1, 0, 0));

  t = gst_ladder_transcoder_new (GST_TYPE_LADDER_X264, NULL, "b", "video",
      NULL, NULL);
  expect_start_failure (t, TRUE, "x264enc");

  /* and the same from a launch line */
  {
    GError *err = NULL;
    GstElement *pipeline = gst_parse_launch ("videotestsrc num-buffers=5 ! "
        "ladderx264 rendition=240p ! fakesink", &err);
    GstMessage *msg;

    fail_unless (pipeline != NULL);
    fail_unless_equals_int (gst_element_set_state (pipeline,
            GST_STATE_PLAYING), GST_STATE_CHANGE_FAILURE);
    msg = gst_bus_pop_filtered (GST_ELEMENT_BUS (pipeline), GST_MESSAGE_ERROR);
    fail_unless (msg != NULL);
    gst_message_parse_error (msg, &err, NULL);
    fail_unless (g_error_matches (err, GST_LADDER_ERROR,
            GST_LADDER_ERROR_MISSING_ELEMENT));
    g_clear_error (&err);
    gst_message_unref (msg);
    gst_element_set_state (pipeline, GST_STATE_NULL);
    gst_object_unref (pipeline);
  }

  gst_registry_add_feature (registry, feature);
}

GST_END_TEST;

/* The size a resize step of the scaling cascade makes of @w x @h (@par_n /
 * @par_d) input, with its own size @rw x @rh */
static void
resize_output (gint rw, gint rh, gint w, gint h, gint par_n, gint par_d,
    gint * ow, gint * oh)
{
  GstLadderRendition *r = gst_ladder_resize_rendition_new (rw, rh);
  GstCaps *caps = gst_caps_new_simple ("video/x-raw", "format",
      G_TYPE_STRING, "I420", "width", G_TYPE_INT, w, "height", G_TYPE_INT, h,
      "framerate", GST_TYPE_FRACTION, 30, 1, "pixel-aspect-ratio",
      GST_TYPE_FRACTION, par_n, par_d, NULL);
  GstElement *t = gst_ladder_transcoder_new (GST_TYPE_LADDER_RESIZE, r, "test",
      "video", caps, NULL);
  GstHarness *hr;
  GstBuffer *out;
  GstCaps *ocaps;
  GstStructure *s;

  fail_unless (t != NULL);
  hr = gst_harness_new_with_element (t, "sink", "src");
  gst_harness_set_src_caps (hr, caps);
  fail_unless_equals_int (gst_harness_push (hr, make_frame (w, h, 0, 30, 1)),
      GST_FLOW_OK);
  out = gst_harness_pull (hr);
  fail_unless (out != NULL);
  ocaps = gst_pad_get_current_caps (hr->sinkpad);
  s = gst_caps_get_structure (ocaps, 0);
  fail_unless (gst_structure_get_int (s, "width", ow));
  fail_unless (gst_structure_get_int (s, "height", oh));
  gst_caps_unref (ocaps);
  gst_buffer_unref (out);
  gst_harness_teardown (hr);
  gst_object_unref (t);
  gst_ladder_rendition_free (r);
}

/* A resize step scales to its size only a picture at least as large and
 * of the same shape; anything else (a source that changed its size
 * mid-stream) passes unscaled, for the x264 rung to fit into its box as
 * any source: a step never stretches or enlarges. Without that, a 4:3 or
 * a smaller source would come out stretched or upscaled to the size the
 * first source gave. */
GST_START_TEST (test_resize_step)
{
  gint w, h;

  /* its own size: from larger pictures of its shape (854 is 853.3 rounded
   * to even, as the x264 rung rounds it) */
  resize_output (320, 180, 640, 360, 1, 1, &w, &h);
  fail_unless (w == 320 && h == 180, "%dx%d", w, h);
  resize_output (854, 480, 1280, 720, 1, 1, &w, &h);
  fail_unless (w == 854 && h == 480, "%dx%d", w, h);
  /* anamorphic 1440x1080 shows 1920x1080 */
  resize_output (1280, 720, 1440, 1080, 4, 3, &w, &h);
  fail_unless (w == 1280 && h == 720, "%dx%d", w, h);
  /* another shape, or smaller: unscaled */
  resize_output (320, 180, 320, 240, 1, 1, &w, &h);
  fail_unless (w == 320 && h == 240, "%dx%d", w, h);
  resize_output (320, 180, 160, 90, 1, 1, &w, &h);
  fail_unless (w == 160 && h == 90, "%dx%d", w, h);
  resize_output (640, 360, 480, 360, 1, 1, &w, &h);
  fail_unless (w == 480 && h == 360, "%dx%d", w, h);
}

GST_END_TEST;

static Suite *
ladderx264_suite (void)
{
  Suite *s = suite_create ("ladderx264");
  TCase *tc = tcase_create ("general");

  suite_add_tcase (s, tc);
  tcase_add_test (tc, test_accept);
  tcase_add_test (tc, test_missing_decoder);
  tcase_add_test (tc, test_resize_step);

  if (have_feature ("x264enc") && have_feature ("h264parse")) {
    tcase_add_test (tc, test_output_size);
    tcase_add_test (tc, test_colorimetry_kept);
    tcase_add_test (tc, test_raw_input_unknown_caps);
    tcase_add_test (tc, test_sps_pps_every_idr);
    tcase_add_test (tc, test_aligned_idrs);
    tcase_add_test (tc, test_framerate);
    tcase_add_test (tc, test_bitrate);
    tcase_add_test (tc, test_encoded_input);
    tcase_add_test (tc, test_launch_line);
    tcase_add_test (tc, test_encoder_settings);
    tcase_add_test (tc, test_chroma_siting);
    tcase_add_test (tc, test_reconfigure);
    tcase_add_test (tc, test_missing_x264enc);
  }
  return s;
}

GST_CHECK_MAIN (ladderx264);
