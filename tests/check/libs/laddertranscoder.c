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

/* A transcoder whose start fails, as a broken subclass would */

#define TEST_TYPE_FAILING (test_failing_get_type ())
G_DECLARE_FINAL_TYPE (TestFailing, test_failing, TEST, FAILING,
    GstLadderTranscoder);
struct _TestFailing
{
  GstLadderTranscoder parent;
};
G_DEFINE_TYPE (TestFailing, test_failing, GST_TYPE_LADDER_TRANSCODER);

static gint failing_stops;

static gboolean
test_failing_start (GstLadderTranscoder * self, GError ** error)
{
  /* build something first, so that the base class must undo it */
  gst_bin_add (GST_BIN (self), gst_element_factory_make ("identity", NULL));
  g_set_error (error, GST_LADDER_ERROR, GST_LADDER_ERROR_FAILED,
      "injected start failure");
  return FALSE;
}

static void
test_failing_stop (GstLadderTranscoder * self)
{
  g_atomic_int_inc (&failing_stops);
  GST_LADDER_TRANSCODER_CLASS (test_failing_parent_class)->stop (self);
}

static void
test_failing_class_init (TestFailingClass * klass)
{
  GstLadderTranscoderClass *tc = GST_LADDER_TRANSCODER_CLASS (klass);

  gst_element_class_set_static_metadata (GST_ELEMENT_CLASS (klass),
      "failing", "Generic/Bin", "fails to start", "test");
  tc->name = "failing";
  tc->start = test_failing_start;
  tc->stop = test_failing_stop;
}

static void
test_failing_init (TestFailing * self)
{
}

/* A transcoder that only takes audio and builds an identity */

#define TEST_TYPE_AUDIO_ONLY (test_audio_only_get_type ())
G_DECLARE_FINAL_TYPE (TestAudioOnly, test_audio_only, TEST, AUDIO_ONLY,
    GstLadderTranscoder);
struct _TestAudioOnly
{
  GstLadderTranscoder parent;
};
G_DEFINE_TYPE (TestAudioOnly, test_audio_only, GST_TYPE_LADDER_TRANSCODER);

static gboolean
test_audio_only_accept (GstLadderTranscoderClass * klass,
    const gchar * broadcast, const gchar * track, const GstCaps * caps,
    const GstLadderRendition * rendition)
{
  return gst_ladder_track_is_audio (track, caps);
}

static gboolean
test_audio_only_start (GstLadderTranscoder * self, GError ** error)
{
  GstElement *e = gst_ladder_transcoder_make_element (self, "identity", NULL,
      error);
  GstPad *sink, *src;

  if (!e)
    return FALSE;
  gst_bin_add (GST_BIN (self), e);
  sink = gst_element_get_static_pad (e, "sink");
  src = gst_element_get_static_pad (e, "src");
  gst_ladder_transcoder_set_targets (self, sink, src);
  gst_object_unref (sink);
  gst_object_unref (src);
  return TRUE;
}

static void
test_audio_only_class_init (TestAudioOnlyClass * klass)
{
  GstLadderTranscoderClass *tc = GST_LADDER_TRANSCODER_CLASS (klass);

  gst_element_class_set_static_metadata (GST_ELEMENT_CLASS (klass),
      "audio only", "Generic/Bin", "takes audio only", "test");
  tc->name = "audio-only";
  tc->default_rendition = "240p";
  tc->accept = test_audio_only_accept;
  tc->start = test_audio_only_start;
}

static void
test_audio_only_init (TestAudioOnly * self)
{
}

/* A transcoder that needs an element nobody has */

#define TEST_TYPE_MISSING (test_missing_get_type ())
G_DECLARE_FINAL_TYPE (TestMissing, test_missing, TEST, MISSING,
    GstLadderTranscoder);
struct _TestMissing
{
  GstLadderTranscoder parent;
};
G_DEFINE_TYPE (TestMissing, test_missing, GST_TYPE_LADDER_TRANSCODER);

static gboolean
test_missing_start (GstLadderTranscoder * self, GError ** error)
{
  return gst_ladder_transcoder_make_element (self, "nosuchelementfactory",
      NULL, error) != NULL;
}

static void
test_missing_class_init (TestMissingClass * klass)
{
  GstLadderTranscoderClass *tc = GST_LADDER_TRANSCODER_CLASS (klass);

  gst_element_class_set_static_metadata (GST_ELEMENT_CLASS (klass),
      "missing", "Generic/Bin", "needs a missing element", "test");
  tc->name = "missing";
  tc->start = test_missing_start;
}

static void
test_missing_init (TestMissing * self)
{
}

static GstMessage *
pop_message (GstBus * bus, GstMessageType type)
{
  return gst_bus_pop_filtered (bus, type);
}

GST_START_TEST (test_start_failure)
{
  GstElement *pipeline = gst_pipeline_new (NULL);
  GstElement *t;
  GstBus *bus = gst_element_get_bus (pipeline);
  GstMessage *msg;
  GError *err = NULL;
  gchar *debug = NULL;

  t = gst_ladder_transcoder_new (TEST_TYPE_FAILING, NULL, "live/demo",
      "video", NULL, &err);
  fail_unless (t != NULL);
  gst_bin_add (GST_BIN (pipeline), t);

  g_atomic_int_set (&failing_stops, 0);
  fail_unless_equals_int (gst_element_set_state (pipeline, GST_STATE_READY),
      GST_STATE_CHANGE_FAILURE);

  msg = pop_message (bus, GST_MESSAGE_ERROR);
  fail_unless (msg != NULL);
  fail_unless (GST_MESSAGE_SRC (msg) == GST_OBJECT (t));
  gst_message_parse_error (msg, &err, &debug);
  fail_unless (g_error_matches (err, GST_LADDER_ERROR,
          GST_LADDER_ERROR_FAILED));
  fail_unless_equals_string (err->message, "injected start failure");
  fail_unless (strstr (debug, "failing") != NULL);
  fail_unless (strstr (debug, "live/demo") != NULL);
  g_clear_error (&err);
  g_free (debug);
  gst_message_unref (msg);

  /* stop undid what start built */
  fail_unless_equals_int (g_atomic_int_get (&failing_stops), 1);
  fail_unless_equals_int (GST_BIN (t)->numchildren, 0);

  /* and it can be tried again, failing the same way */
  fail_unless_equals_int (gst_element_set_state (pipeline, GST_STATE_READY),
      GST_STATE_CHANGE_FAILURE);
  msg = pop_message (bus, GST_MESSAGE_ERROR);
  fail_unless (msg != NULL);
  gst_message_unref (msg);
  fail_unless_equals_int (GST_BIN (t)->numchildren, 0);

  gst_element_set_state (pipeline, GST_STATE_NULL);
  gst_object_unref (bus);
  gst_object_unref (pipeline);
}

GST_END_TEST;

GST_START_TEST (test_accepts)
{
  GstCaps *audio = gst_caps_new_empty_simple ("audio/mpeg");
  GstCaps *video = gst_caps_new_empty_simple ("video/x-h264");
  GstLadderRendition *r = gst_ladder_rendition_new_preset ("480p", NULL);
  GstElement *t;
  GError *err = NULL;

  fail_unless (gst_ladder_transcoder_type_accepts (TEST_TYPE_AUDIO_ONLY,
          "b", "audio", NULL, r));
  fail_unless (gst_ladder_transcoder_type_accepts (TEST_TYPE_AUDIO_ONLY,
          "b", NULL, audio, r));
  fail_unless (gst_ladder_transcoder_type_accepts (TEST_TYPE_AUDIO_ONLY,
          "b", "audio", audio, NULL));
  fail_if (gst_ladder_transcoder_type_accepts (TEST_TYPE_AUDIO_ONLY,
          "b", "video", NULL, r));
  fail_if (gst_ladder_transcoder_type_accepts (TEST_TYPE_AUDIO_ONLY,
          "b", NULL, video, r));
  /* caps win over the track name */
  fail_if (gst_ladder_transcoder_type_accepts (TEST_TYPE_AUDIO_ONLY,
          "b", "audio", video, r));

  /* not a concrete transcoder */
  fail_if (gst_ladder_transcoder_type_accepts (GST_TYPE_LADDER_TRANSCODER,
          "b", "audio", NULL, r));
  fail_if (gst_ladder_transcoder_type_accepts (GST_TYPE_BIN, "b", "audio",
          NULL, r));

  /* the passthrough: audio for all, video only for source */
  fail_unless (gst_ladder_transcoder_type_accepts
      (GST_TYPE_LADDER_PASSTHROUGH, "b", "audio", audio, r));
  fail_if (gst_ladder_transcoder_type_accepts (GST_TYPE_LADDER_PASSTHROUGH,
          "b", "video", video, r));
  fail_unless (gst_ladder_transcoder_type_accepts
      (GST_TYPE_LADDER_PASSTHROUGH, "b", "video", video, NULL));

  fail_unless_equals_string (gst_ladder_transcoder_type_get_name
      (TEST_TYPE_AUDIO_ONLY), "audio-only");
  fail_unless_equals_string (gst_ladder_transcoder_type_get_name
      (GST_TYPE_LADDER_PASSTHROUGH), "passthrough");
  fail_unless (gst_ladder_transcoder_type_get_name (GST_TYPE_BIN) == NULL);

  /* new() refuses what the class refuses */
  t = gst_ladder_transcoder_new (TEST_TYPE_AUDIO_ONLY, r, "b", "video", video,
      &err);
  fail_unless (t == NULL);
  fail_unless (g_error_matches (err, GST_LADDER_ERROR,
          GST_LADDER_ERROR_REFUSED));
  fail_unless (strstr (err->message, "audio-only") != NULL);
  fail_unless (strstr (err->message, "480p") != NULL);
  g_clear_error (&err);

  t = gst_ladder_transcoder_new (GST_TYPE_LADDER_TRANSCODER, r, "b",
      "audio", NULL, &err);
  fail_unless (t == NULL);
  fail_unless (g_error_matches (err, GST_LADDER_ERROR,
          GST_LADDER_ERROR_REFUSED));
  g_clear_error (&err);

  t = gst_ladder_transcoder_new (GST_TYPE_PIPELINE, r, "b", "audio", NULL,
      &err);
  fail_unless (t == NULL);
  fail_unless (g_error_matches (err, GST_LADDER_ERROR,
          GST_LADDER_ERROR_REFUSED));
  g_clear_error (&err);

  /* and makes what it accepts, with the context set */
  t = gst_ladder_transcoder_new (TEST_TYPE_AUDIO_ONLY, r, "live/demo",
      "audio", audio, &err);
  fail_unless (t != NULL);
  fail_unless (g_object_is_floating (t));
  gst_object_ref_sink (t);
  {
    GstLadderTranscoder *lt = GST_LADDER_TRANSCODER (t);
    GstCaps *caps = gst_ladder_transcoder_get_input_caps (lt);
    GstLadderRendition *got = NULL;
    gchar *track = NULL;

    fail_unless (gst_ladder_rendition_is_equal
        (gst_ladder_transcoder_get_rendition (lt), r));
    fail_unless (gst_ladder_transcoder_get_rendition (lt) != r);
    fail_unless_equals_string (gst_ladder_transcoder_get_broadcast (lt),
        "live/demo");
    fail_unless_equals_string (gst_ladder_transcoder_get_track (lt), "audio");
    fail_unless (gst_caps_is_equal (caps, audio));
    gst_caps_unref (caps);

    g_object_get (t, "rendition", &got, "track", &track, NULL);
    fail_unless (gst_ladder_rendition_is_equal (got, r));
    fail_unless_equals_string (track, "audio");
    gst_ladder_rendition_free (got);
    g_free (track);

    /* always pads */
    {
      GstPad *pad = gst_element_get_static_pad (t, "sink");
      fail_unless (pad != NULL);
      gst_object_unref (pad);
      pad = gst_element_get_static_pad (t, "src");
      fail_unless (pad != NULL);
      gst_object_unref (pad);
    }
  }
  gst_object_unref (t);

  /* no rendition: the class default */
  t = gst_ladder_transcoder_new (TEST_TYPE_AUDIO_ONLY, NULL, NULL, "audio",
      NULL, &err);
  fail_unless (t != NULL);
  gst_object_ref_sink (t);
  fail_unless_equals_string (gst_ladder_transcoder_get_rendition
      (GST_LADDER_TRANSCODER (t))->name, "240p");
  gst_object_unref (t);

  /* an invalid rendition is refused */
  r->width = 481;
  t = gst_ladder_transcoder_new (TEST_TYPE_AUDIO_ONLY, r, "b", "audio", NULL,
      &err);
  fail_unless (t == NULL);
  fail_unless (g_error_matches (err, GST_LADDER_ERROR,
          GST_LADDER_ERROR_INVALID_RENDITION));
  g_clear_error (&err);

  gst_ladder_rendition_free (r);
  gst_caps_unref (audio);
  gst_caps_unref (video);
}

GST_END_TEST;

GST_START_TEST (test_flow_and_restart)
{
  GstElement *t;
  GstHarness *h;
  guint i;

  t = gst_ladder_transcoder_new (TEST_TYPE_AUDIO_ONLY, NULL, "b", "audio",
      NULL, NULL);
  h = gst_harness_new_with_element (t, "sink", "src");
  gst_harness_set_src_caps_str (h, "audio/x-raw, format=S16LE, rate=48000, "
      "channels=1, layout=interleaved");
  fail_unless_equals_int (GST_BIN (t)->numchildren, 1);

  for (i = 0; i < 3; i++) {
    GstBuffer *in = gst_harness_create_buffer (h, 960);
    GstBuffer *out;

    GST_BUFFER_PTS (in) = i * 10 * GST_MSECOND;
    out = gst_harness_push_and_pull (h, gst_buffer_ref (in));
    fail_unless_equals_uint64 (GST_BUFFER_PTS (out), GST_BUFFER_PTS (in));
    fail_unless_equals_int (gst_buffer_get_size (out), 960);
    gst_buffer_unref (out);
    gst_buffer_unref (in);
  }

  /* READY -> NULL runs stop: the children go, NULL -> READY builds again */
  gst_element_set_state (t, GST_STATE_NULL);
  fail_unless_equals_int (GST_BIN (t)->numchildren, 0);
  fail_unless_equals_int (gst_element_set_state (t, GST_STATE_READY),
      GST_STATE_CHANGE_SUCCESS);
  fail_unless_equals_int (GST_BIN (t)->numchildren, 1);
  gst_element_set_state (t, GST_STATE_NULL);

  gst_harness_teardown (h);
  /* the harness took its own reference */
  gst_object_unref (t);
}

GST_END_TEST;

GST_START_TEST (test_missing_element)
{
  GstElement *pipeline = gst_pipeline_new (NULL);
  GstElement *t;
  GstBus *bus = gst_element_get_bus (pipeline);
  GstMessage *msg;
  GError *err = NULL;
  gchar *detail;

  t = gst_ladder_transcoder_new (TEST_TYPE_MISSING, NULL, "b", "video", NULL,
      NULL);
  gst_bin_add (GST_BIN (pipeline), t);

  fail_unless_equals_int (gst_element_set_state (pipeline, GST_STATE_READY),
      GST_STATE_CHANGE_FAILURE);

  /* the missing-element message comes first, then the error */
  msg = pop_message (bus, GST_MESSAGE_ELEMENT | GST_MESSAGE_ERROR);
  fail_unless (msg != NULL);
  fail_unless (gst_is_missing_plugin_message (msg));
  detail = gst_missing_plugin_message_get_installer_detail (msg);
  fail_unless (strstr (detail, "nosuchelementfactory") != NULL);
  g_free (detail);
  gst_message_unref (msg);

  msg = pop_message (bus, GST_MESSAGE_ERROR);
  fail_unless (msg != NULL);
  gst_message_parse_error (msg, &err, NULL);
  fail_unless (g_error_matches (err, GST_LADDER_ERROR,
          GST_LADDER_ERROR_MISSING_ELEMENT));
  fail_unless (strstr (err->message, "nosuchelementfactory") != NULL);
  g_clear_error (&err);
  gst_message_unref (msg);

  gst_element_set_state (pipeline, GST_STATE_NULL);
  gst_object_unref (bus);
  gst_object_unref (pipeline);
}

GST_END_TEST;

GST_START_TEST (test_reconfigure_default)
{
  GstElement *t = gst_ladder_transcoder_new (TEST_TYPE_AUDIO_ONLY, NULL, "b",
      "audio", NULL, NULL);
  GstLadderRendition *r = gst_ladder_rendition_new_preset ("360p", NULL);
  GError *err = NULL;

  gst_object_ref_sink (t);
  fail_if (gst_ladder_transcoder_reconfigure (GST_LADDER_TRANSCODER (t), r,
          &err));
  fail_unless (g_error_matches (err, GST_LADDER_ERROR,
          GST_LADDER_ERROR_REFUSED));
  g_clear_error (&err);
  fail_unless_equals_string (gst_ladder_transcoder_get_rendition
      (GST_LADDER_TRANSCODER (t))->name, "240p");
  gst_ladder_rendition_free (r);
  gst_object_unref (t);
}

GST_END_TEST;

GST_START_TEST (test_track_kind)
{
  GstCaps *caps;

  fail_unless (gst_ladder_track_is_audio ("audio", NULL));
  fail_unless (gst_ladder_track_is_audio ("audio_en", NULL));
  fail_if (gst_ladder_track_is_audio ("video", NULL));
  fail_if (gst_ladder_track_is_audio (NULL, NULL));
  fail_unless (gst_ladder_track_is_video ("video", NULL));
  caps = gst_caps_new_empty_simple ("video/x-raw");
  fail_unless (gst_ladder_track_is_video ("whatever", caps));
  fail_if (gst_ladder_track_is_audio ("audio", caps));
  gst_caps_unref (caps);
  caps = gst_caps_new_any ();
  fail_unless (gst_ladder_track_is_audio ("audio", caps));
  gst_caps_unref (caps);
}

GST_END_TEST;

static Suite *
laddertranscoder_suite (void)
{
  Suite *s = suite_create ("laddertranscoder");
  TCase *tc = tcase_create ("general");

  suite_add_tcase (s, tc);
  tcase_add_test (tc, test_start_failure);
  tcase_add_test (tc, test_accepts);
  tcase_add_test (tc, test_flow_and_restart);
  tcase_add_test (tc, test_missing_element);
  tcase_add_test (tc, test_reconfigure_default);
  tcase_add_test (tc, test_track_kind);
  return s;
}

GST_CHECK_MAIN (laddertranscoder);
