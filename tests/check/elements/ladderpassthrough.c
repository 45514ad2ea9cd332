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
#include <gst/ladder/ladder.h>

#include "laddertest.h"

#define N_BUFFERS 50

static GstBuffer *
make_buffer (GstHarness * h, guint i, gsize size, GstClockTime duration,
    gboolean delta)
{
  GstBuffer *buf = gst_harness_create_buffer (h, size);
  GstMapInfo map;

  gst_buffer_map (buf, &map, GST_MAP_WRITE);
  memset (map.data, i & 0xff, map.size);
  gst_buffer_unmap (buf, &map);

  GST_BUFFER_PTS (buf) = i * duration;
  GST_BUFFER_DTS (buf) = i * duration;
  GST_BUFFER_DURATION (buf) = duration;
  GST_BUFFER_OFFSET (buf) = i;
  if (delta)
    GST_BUFFER_FLAG_SET (buf, GST_BUFFER_FLAG_DELTA_UNIT);
  return buf;
}

static void
check_passthrough (GstHarness * h, const gchar * caps_str, gsize size,
    GstClockTime duration, gboolean video)
{
  GstCaps *caps = gst_caps_from_string (caps_str), *out_caps;
  GstEvent *ev;
  guint i;

  gst_harness_set_src_caps (h, gst_caps_ref (caps));

  for (i = 0; i < N_BUFFERS; i++) {
    /* video: a keyframe every 10 buffers */
    gboolean delta = video && (i % 10) != 0;
    GstBuffer *in = make_buffer (h, i, size, duration, delta);
    GstBuffer *out;

    fail_unless_equals_int (gst_harness_push (h, gst_buffer_ref (in)),
        GST_FLOW_OK);
    out = gst_harness_pull (h);
    fail_unless (out != NULL);
    fail_unless_equals_uint64 (GST_BUFFER_PTS (out), GST_BUFFER_PTS (in));
    fail_unless_equals_uint64 (GST_BUFFER_DTS (out), GST_BUFFER_DTS (in));
    fail_unless_equals_uint64 (GST_BUFFER_DURATION (out),
        GST_BUFFER_DURATION (in));
    fail_unless_equals_uint64 (GST_BUFFER_OFFSET (out), i);
    fail_unless_equals_int (GST_BUFFER_FLAG_IS_SET (out,
            GST_BUFFER_FLAG_DELTA_UNIT), delta);
    fail_unless_equals_int (gst_buffer_get_size (out), size);
    {
      GstMapInfo map;
      gst_buffer_map (in, &map, GST_MAP_READ);
      fail_unless (gst_buffer_memcmp (out, 0, map.data, map.size) == 0);
      gst_buffer_unmap (in, &map);
    }
    gst_buffer_unref (in);
    gst_buffer_unref (out);
  }
  fail_unless_equals_int (gst_harness_buffers_received (h), N_BUFFERS);

  /* caps unchanged */
  out_caps = gst_pad_get_current_caps (h->sinkpad);
  fail_unless (out_caps != NULL);
  fail_unless (gst_caps_is_equal (out_caps, caps));
  gst_caps_unref (out_caps);
  gst_caps_unref (caps);

  /* serialized events go through, in order */
  gst_harness_push_event (h, gst_event_new_custom
      (GST_EVENT_CUSTOM_DOWNSTREAM, gst_structure_new_empty ("marker")));
  gst_harness_push_event (h, gst_event_new_eos ());
  while ((ev = gst_harness_try_pull_event (h))) {
    if (GST_EVENT_TYPE (ev) == GST_EVENT_CUSTOM_DOWNSTREAM) {
      fail_unless (gst_event_has_name (ev, "marker"));
      gst_event_unref (ev);
      break;
    }
    gst_event_unref (ev);
  }
  fail_unless (ev != NULL);
  ev = gst_harness_pull_event (h);
  fail_unless_equals_int (GST_EVENT_TYPE (ev), GST_EVENT_EOS);
  gst_event_unref (ev);
}

GST_START_TEST (test_video_source_rung)
{
  GstLadderRendition *r = gst_ladder_rendition_new_preset ("source", NULL);
  GstCaps *caps = gst_caps_from_string ("video/x-h264, stream-format="
      "byte-stream, alignment=au");
  GstElement *t;
  GstHarness *h;

  t = gst_ladder_transcoder_new (GST_TYPE_LADDER_PASSTHROUGH, r, "live/demo",
      "video", caps, NULL);
  fail_unless (t != NULL);
  h = gst_harness_new_with_element (t, "sink", "src");
  check_passthrough (h, "video/x-h264, stream-format=byte-stream, "
      "alignment=au, width=1280, height=720, framerate=30/1", 4000,
      GST_SECOND / 30, TRUE);
  gst_harness_teardown (h);
  gst_object_unref (t);
  gst_caps_unref (caps);
  gst_ladder_rendition_free (r);
}

GST_END_TEST;

GST_START_TEST (test_audio_any_rendition)
{
  GstLadderRendition *r = gst_ladder_rendition_new_preset ("480p", NULL);
  GstCaps *caps = gst_caps_from_string ("audio/mpeg, mpegversion=4");
  GstElement *t;
  GstHarness *h;

  t = gst_ladder_transcoder_new (GST_TYPE_LADDER_PASSTHROUGH, r, "live/demo",
      "audio", caps, NULL);
  fail_unless (t != NULL);
  h = gst_harness_new_with_element (t, "sink", "src");
  check_passthrough (h, "audio/mpeg, mpegversion=4, stream-format=raw, "
      "rate=48000, channels=2", 300, 1024 * GST_SECOND / 48000, FALSE);
  gst_harness_teardown (h);
  gst_object_unref (t);
  gst_caps_unref (caps);
  gst_ladder_rendition_free (r);
}

GST_END_TEST;

GST_START_TEST (test_accept)
{
  GstLadderRendition *r720 = gst_ladder_rendition_new_preset ("720p", NULL);
  GstLadderRendition *src = gst_ladder_rendition_new_preset ("source", NULL);
  GstCaps *video = gst_caps_from_string ("video/x-h264");
  GstCaps *audio = gst_caps_from_string ("audio/mpeg");
  GError *err = NULL;
  GstElement *t;

  fail_unless (gst_ladder_transcoder_type_accepts
      (GST_TYPE_LADDER_PASSTHROUGH, "b", "audio", audio, r720));
  fail_unless (gst_ladder_transcoder_type_accepts
      (GST_TYPE_LADDER_PASSTHROUGH, "b", "audio", NULL, src));
  fail_unless (gst_ladder_transcoder_type_accepts
      (GST_TYPE_LADDER_PASSTHROUGH, "b", "video", video, src));
  fail_if (gst_ladder_transcoder_type_accepts
      (GST_TYPE_LADDER_PASSTHROUGH, "b", "video", video, r720));
  fail_if (gst_ladder_transcoder_type_accepts
      (GST_TYPE_LADDER_PASSTHROUGH, "b", "video", NULL, r720));

  t = gst_ladder_transcoder_new (GST_TYPE_LADDER_PASSTHROUGH, r720, "b",
      "video", video, &err);
  fail_unless (t == NULL);
  fail_unless (g_error_matches (err, GST_LADDER_ERROR,
          GST_LADDER_ERROR_REFUSED));
  g_clear_error (&err);

  fail_unless_equals_string (gst_ladder_transcoder_type_get_name
      (GST_TYPE_LADDER_PASSTHROUGH), "passthrough");

  gst_ladder_rendition_free (r720);
  gst_ladder_rendition_free (src);
  gst_caps_unref (video);
  gst_caps_unref (audio);
}

GST_END_TEST;

/* as gst-launch-1.0 makes it: from the factory, no rendition */
GST_START_TEST (test_standalone)
{
  GstHarness *h = gst_harness_new ("ladderpassthrough");
  const GstLadderRendition *r;

  r = gst_ladder_transcoder_get_rendition (GST_LADDER_TRANSCODER (h->element));
  fail_unless (r->passthrough);
  fail_unless_equals_string (r->name, "source");
  check_passthrough (h, "video/x-raw, format=I420, width=64, height=48, "
      "framerate=25/1", 64 * 48 * 3 / 2, GST_SECOND / 25, FALSE);
  gst_harness_teardown (h);
}

GST_END_TEST;

GST_START_TEST (test_launch_line)
{
  GstElement *pipeline;
  GError *err = NULL;

  pipeline = gst_parse_launch ("audiotestsrc num-buffers=20 ! "
      "ladderpassthrough rendition=480p track=audio ! fakesink", &err);
  fail_unless (pipeline != NULL, "%s", err ? err->message : "");
  fail_unless (gst_element_set_state (pipeline, GST_STATE_PLAYING) !=
      GST_STATE_CHANGE_FAILURE);
  ladder_test_wait_eos (pipeline, 30 * GST_SECOND, "20 audio buffers played");
  gst_element_set_state (pipeline, GST_STATE_NULL);
  gst_object_unref (pipeline);
}

GST_END_TEST;

static Suite *
ladderpassthrough_suite (void)
{
  Suite *s = suite_create ("ladderpassthrough");
  TCase *tc = tcase_create ("general");

  suite_add_tcase (s, tc);
  tcase_add_test (tc, test_video_source_rung);
  tcase_add_test (tc, test_audio_any_rendition);
  tcase_add_test (tc, test_accept);
  tcase_add_test (tc, test_standalone);
  tcase_add_test (tc, test_launch_line);
  return s;
}

GST_CHECK_MAIN (ladderpassthrough);
