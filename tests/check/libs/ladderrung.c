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

/* GstLadderRung on its own: counters, fault containment (an ERROR inside
 * becomes a ladder-panic), the fault signal, drain. Faults are injected
 * with the fake transcoders of laddertest.h. */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <gst/check/gstcheck.h>
#include <gst/check/gstharness.h>
#include <gst/ladder/ladder.h>

#include "laddertest.h"

static GstLadderRung *
make_rung (GType type)
{
  GError *err = NULL;
  GstLadderRendition *r = gst_ladder_rendition_new_preset ("720p", &err);
  GstLadderRung *rung;

  fail_unless (r != NULL);
  rung = gst_ladder_rung_new (type, r, "live/demo", "video", NULL, &err);
  fail_unless (rung != NULL, "%s", err ? err->message : "");
  gst_ladder_rendition_free (r);
  return gst_object_ref_sink (rung);
}

static GstHarness *
harness_for (GstLadderRung * rung, GstBus * bus)
{
  GstHarness *h = gst_harness_new_with_element (GST_ELEMENT (rung), "sink",
      "src");

  if (bus)
    gst_element_set_bus (GST_ELEMENT (rung), bus);
  gst_harness_set_src_caps_str (h, "video/x-test");
  return h;
}

static GstBuffer *
make_buffer (guint i, gsize size)
{
  GstBuffer *buf = gst_buffer_new_allocate (NULL, size, NULL);

  GST_BUFFER_PTS (buf) = i * GST_SECOND / 30;
  GST_BUFFER_DURATION (buf) = GST_SECOND / 30;
  if (i > 0)
    GST_BUFFER_FLAG_SET (buf, GST_BUFFER_FLAG_DELTA_UNIT);
  return buf;
}

/* Pops every message: fails on an ERROR, returns the first ladder-panic */
static GstMessage *
pop_panic (GstBus * bus)
{
  GstMessage *msg, *panic = NULL;

  while ((msg = gst_bus_pop (bus))) {
    fail_if (GST_MESSAGE_TYPE (msg) == GST_MESSAGE_ERROR,
        "an ERROR left the rung");
    if (panic == NULL
        && gst_ladder_message_get_type (msg) == GST_LADDER_MESSAGE_PANIC)
      panic = msg;
    else
      gst_message_unref (msg);
  }
  return panic;
}

GST_START_TEST (test_key_and_names)
{
  GstLadderRung *rung = make_rung (LADDER_TEST_TYPE_PLAIN);
  gchar *key;

  key = gst_ladder_rung_key_new ("x264", "720p", "live/demo", "video");
  fail_unless_equals_string (key, "x264:720p:video:live/demo");
  g_free (key);

  fail_unless_equals_string (gst_ladder_rung_get_key (rung),
      "plain:720p:video:live/demo");
  fail_unless_equals_string (gst_ladder_rung_get_transcoder_name (rung),
      "plain");
  fail_unless_equals_string (gst_ladder_rung_get_rendition_name (rung), "720p");
  fail_unless_equals_string (gst_ladder_rung_get_broadcast (rung), "live/demo");
  fail_unless_equals_string (gst_ladder_rung_get_track (rung), "video");
  fail_unless (GST_IS_LADDER_TRANSCODER (gst_ladder_rung_get_transcoder
          (rung)));
  fail_unless_equals_int (gst_ladder_rung_get_phase (rung),
      GST_LADDER_PHASE_START);
  fail_if (gst_ladder_rung_has_faulted (rung));
  gst_object_unref (rung);
}

GST_END_TEST;

GST_START_TEST (test_refused_context)
{
  GError *err = NULL;
  GstLadderRendition *r = gst_ladder_rendition_new_preset ("720p", &err);
  GstLadderRung *rung;

  rung = gst_ladder_rung_new (LADDER_TEST_TYPE_REFUSING, r, "live", "video",
      NULL, &err);
  fail_unless (rung == NULL);
  fail_unless (g_error_matches (err, GST_LADDER_ERROR,
          GST_LADDER_ERROR_REFUSED), "%s", err ? err->message : "");
  g_clear_error (&err);
  gst_ladder_rendition_free (r);
}

GST_END_TEST;

GST_START_TEST (test_counts_fragments_and_bytes)
{
  GstLadderRung *rung = make_rung (LADDER_TEST_TYPE_PLAIN);
  GstHarness *h = harness_for (rung, NULL);
  guint64 fin, fout, bin, bout;
  guint i;

  for (i = 0; i < 10; i++) {
    fail_unless_equals_int (gst_harness_push (h, make_buffer (i, 100)),
        GST_FLOW_OK);
    gst_buffer_unref (gst_harness_pull (h));
  }
  gst_ladder_rung_get_counters (rung, &fin, &fout, &bin, &bout);
  fail_unless_equals_int (fin, 10);
  fail_unless_equals_int (fout, 10);
  fail_unless_equals_int (bin, 1000);
  fail_unless_equals_int (bout, 1000);
  fail_unless_equals_int (gst_ladder_rung_get_phase (rung),
      GST_LADDER_PHASE_FRAGMENT);

  /* buffer lists count each buffer */
  {
    GstBufferList *list = gst_buffer_list_new ();
    gst_buffer_list_add (list, make_buffer (10, 50));
    gst_buffer_list_add (list, make_buffer (11, 50));
    fail_unless_equals_int (gst_pad_push_list (h->srcpad, list), GST_FLOW_OK);
  }
  gst_ladder_rung_get_counters (rung, &fin, NULL, &bin, NULL);
  fail_unless_equals_int (fin, 12);
  fail_unless_equals_int (bin, 1100);

  gst_harness_teardown (h);
  gst_object_unref (rung);
}

GST_END_TEST;

GST_START_TEST (test_error_becomes_panic)
{
  GstLadderRung *rung = make_rung (LADDER_TEST_TYPE_FAULTY);
  GstBus *bus = gst_bus_new ();
  GstHarness *h = harness_for (rung, bus);
  GstMessage *msg;
  gchar *transcoder, *rendition, *broadcast, *track, *debug;
  GstLadderPhase phase;
  GError *err = NULL;
  guint panics;
  GstClockTime delay;
  gboolean degraded;
  guint i;

  for (i = 0; i < 2; i++)
    fail_unless_equals_int (gst_harness_push (h, make_buffer (i, 10)),
        GST_FLOW_OK);
  fail_unless_equals_int (gst_harness_push (h, make_buffer (2, 10)),
      GST_FLOW_ERROR);
  fail_unless (gst_ladder_rung_has_faulted (rung));

  /* no ERROR, one ladder-panic */
  msg = pop_panic (bus);
  fail_unless (msg != NULL);
  fail_unless (GST_MESSAGE_SRC (msg) == GST_OBJECT (rung));
  fail_unless (gst_ladder_message_parse_panic (msg, &transcoder, &rendition,
          &broadcast, &track, &phase, &err, &debug, &panics, &delay,
          &degraded));
  fail_unless_equals_string (transcoder, "faulty");
  fail_unless_equals_string (rendition, "720p");
  fail_unless_equals_string (broadcast, "live/demo");
  fail_unless_equals_string (track, "video");
  fail_unless_equals_int (phase, GST_LADDER_PHASE_FRAGMENT);
  fail_unless (g_error_matches (err, GST_CORE_ERROR, GST_CORE_ERROR_FAILED));
  fail_unless (g_str_has_prefix (debug, "identity"), "%s", debug);
  fail_unless_equals_int (panics, 1);
  /* a rung alone is not restarted */
  fail_if (GST_CLOCK_TIME_IS_VALID (delay));
  fail_unless (degraded);
  g_free (transcoder);
  g_free (rendition);
  g_free (broadcast);
  g_free (track);
  g_free (debug);
  g_clear_error (&err);
  gst_message_unref (msg);

  /* a further error of the same instance is dropped */
  err = g_error_new_literal (GST_STREAM_ERROR, GST_STREAM_ERROR_DECODE,
      "second failure");
  gst_element_post_message (gst_ladder_rung_get_transcoder (rung),
      gst_message_new_error (GST_OBJECT (gst_ladder_rung_get_transcoder
              (rung)), err, "injected"));
  g_clear_error (&err);
  fail_unless (pop_panic (bus) == NULL);

  gst_element_set_bus (GST_ELEMENT (rung), NULL);
  gst_harness_teardown (h);
  gst_object_unref (bus);
  gst_object_unref (rung);
}

GST_END_TEST;

static void
count_fault (GstLadderRung * rung, GstLadderPhase phase, GError * error,
    const gchar * debug, gint * count)
{
  fail_unless (error != NULL);
  fail_unless_equals_int (phase, GST_LADDER_PHASE_FRAGMENT);
  g_atomic_int_inc (count);
}

GST_START_TEST (test_fault_signal_instead_of_message)
{
  GstLadderRung *rung = make_rung (LADDER_TEST_TYPE_FAULTY);
  GstBus *bus = gst_bus_new ();
  GstHarness *h = harness_for (rung, bus);
  gint faults = 0;
  guint i;

  g_signal_connect (rung, "fault", G_CALLBACK (count_fault), &faults);
  for (i = 0; i < 5; i++)
    gst_harness_push (h, make_buffer (i, 10));
  fail_unless_equals_int (faults, 1);
  fail_unless (pop_panic (bus) == NULL);

  gst_element_set_bus (GST_ELEMENT (rung), NULL);
  gst_harness_teardown (h);
  gst_object_unref (bus);
  gst_object_unref (rung);
}

GST_END_TEST;

/* Caps the transcoder refuses (here a change to caps its capsfilter does
 * not take) are a fault of the rung: nothing it is given can pass any
 * more, and the one who pushes (a broadcaster keeps every flow return with
 * its branch) tells no one. Without the fault the rung took its input's
 * EOS and never gave one. */
GST_START_TEST (test_refused_caps_are_a_fault)
{
  GstLadderRung *rung = make_rung (LADDER_TEST_TYPE_PICKY);
  GstBus *bus = gst_bus_new ();
  GstHarness *h = harness_for (rung, bus);
  GstMessage *panic;
  GError *err = NULL;
  gchar *debug = NULL;

  fail_unless_equals_int (gst_harness_push (h, make_buffer (0, 10)),
      GST_FLOW_OK);
  gst_buffer_unref (gst_harness_pull (h));
  fail_if (gst_ladder_rung_has_faulted (rung));

  gst_harness_set_src_caps_str (h, "video/x-other");
  fail_unless_equals_int (gst_harness_push (h, make_buffer (1, 10)),
      GST_FLOW_NOT_NEGOTIATED);
  fail_unless (gst_ladder_rung_has_faulted (rung),
      "the refused caps were no fault");
  panic = pop_panic (bus);
  fail_unless (panic != NULL);
  fail_unless (gst_ladder_message_parse_panic (panic, NULL, NULL, NULL, NULL,
          NULL, &err, &debug, NULL, NULL, NULL));
  fail_unless (g_error_matches (err, GST_CORE_ERROR,
          GST_CORE_ERROR_NEGOTIATION), "%s", err->message);
  fail_unless (strstr (debug, "video/x-other") != NULL, "%s", debug);
  g_clear_error (&err);
  g_free (debug);
  gst_message_unref (panic);

  gst_element_set_bus (GST_ELEMENT (rung), NULL);
  gst_harness_teardown (h);
  gst_object_unref (bus);
  gst_object_unref (rung);
}

GST_END_TEST;

GST_START_TEST (test_start_failure_is_start_panic)
{
  GstLadderRung *rung = make_rung (LADDER_TEST_TYPE_FAILING_MISSING);
  GstBus *bus = gst_bus_new ();
  GstMessage *msg;
  GstLadderPhase phase;
  GError *err = NULL;

  gst_element_set_bus (GST_ELEMENT (rung), bus);
  fail_unless_equals_int (gst_element_set_state (GST_ELEMENT (rung),
          GST_STATE_PLAYING), GST_STATE_CHANGE_FAILURE);
  msg = pop_panic (bus);
  fail_unless (msg != NULL);
  fail_unless (gst_ladder_message_parse_panic (msg, NULL, NULL, NULL, NULL,
          &phase, &err, NULL, NULL, NULL, NULL));
  fail_unless_equals_int (phase, GST_LADDER_PHASE_START);
  fail_unless (g_error_matches (err, GST_LADDER_ERROR,
          GST_LADDER_ERROR_MISSING_ELEMENT));
  g_clear_error (&err);
  gst_message_unref (msg);

  gst_element_set_state (GST_ELEMENT (rung), GST_STATE_NULL);
  gst_element_set_bus (GST_ELEMENT (rung), NULL);
  gst_object_unref (bus);
  gst_object_unref (rung);
}

GST_END_TEST;

/* A rung whose start failed sits in NULL until the runner removes it; a
 * pipeline going down meanwhile asks it to go to READY, a new start that
 * fails again.  That must not abort the pipeline's state change (which
 * left it in PAUSED with its streaming threads running). */
GST_START_TEST (test_failed_rung_does_not_hold_shutdown)
{
  GstElement *pipeline = gst_pipeline_new (NULL);
  GstElement *src = gst_element_factory_make ("fakesrc", NULL);
  GstElement *sink = gst_element_factory_make ("fakesink", NULL);
  GstLadderRung *rung = make_rung (LADDER_TEST_TYPE_FAILING_MISSING);
  GstState state;

  g_object_set (src, "is-live", TRUE, NULL);
  gst_bin_add_many (GST_BIN (pipeline), src, sink, NULL);
  fail_unless (gst_element_link (src, sink));
  fail_if (gst_element_set_state (pipeline, GST_STATE_PLAYING) ==
      GST_STATE_CHANGE_FAILURE);
  ladder_test_wait_state (pipeline, GST_STATE_PLAYING, 10 * GST_SECOND,
      "the pipeline with a live source did not start");

  /* added while playing, its start fails: it stays in NULL */
  gst_bin_add (GST_BIN (pipeline), GST_ELEMENT (rung));
  fail_if (gst_element_sync_state_with_parent (GST_ELEMENT (rung)));
  gst_element_get_state (GST_ELEMENT (rung), &state, NULL, 0);
  fail_unless_equals_int (state, GST_STATE_NULL);

  /* the pipeline still goes down all the way */
  fail_if (gst_element_set_state (pipeline, GST_STATE_NULL) ==
      GST_STATE_CHANGE_FAILURE);
  gst_element_get_state (pipeline, &state, NULL, 0);
  fail_unless_equals_int (state, GST_STATE_NULL);
  gst_element_get_state (src, &state, NULL, 0);
  fail_unless_equals_int (state, GST_STATE_NULL);

  /* out of a bin that goes down, a failed start still fails */
  fail_unless (gst_bin_remove (GST_BIN (pipeline), GST_ELEMENT (rung)));
  fail_unless_equals_int (gst_element_set_state (GST_ELEMENT (rung),
          GST_STATE_READY), GST_STATE_CHANGE_FAILURE);
  gst_element_set_state (GST_ELEMENT (rung), GST_STATE_NULL);

  gst_object_unref (pipeline);
  gst_object_unref (rung);
}

GST_END_TEST;

static void
on_drained (GstLadderRung * rung, gint * count)
{
  g_atomic_int_inc (count);
}

static gboolean
has_eos (GstHarness * h)
{
  GstEvent *event;
  gboolean eos = FALSE;

  while ((event = gst_harness_try_pull_event (h))) {
    eos |= GST_EVENT_TYPE (event) == GST_EVENT_EOS;
    gst_event_unref (event);
  }
  return eos;
}

GST_START_TEST (test_drain_keeps_eos_inside)
{
  GstLadderRung *rung = make_rung (LADDER_TEST_TYPE_PLAIN);
  GstHarness *h = harness_for (rung, NULL);
  gint drained = 0;

  g_signal_connect (rung, "drained", G_CALLBACK (on_drained), &drained);
  gst_harness_push (h, make_buffer (0, 10));
  gst_buffer_unref (gst_harness_pull (h));

  gst_ladder_rung_drain (rung);
  fail_unless_equals_int (drained, 1);
  fail_unless_equals_int (gst_ladder_rung_get_phase (rung),
      GST_LADDER_PHASE_STOP);
  /* the output never sees the drain's EOS */
  fail_if (has_eos (h));
  gst_harness_teardown (h);
  gst_object_unref (rung);
}

GST_END_TEST;

GST_START_TEST (test_upstream_eos_passes)
{
  GstLadderRung *rung = make_rung (LADDER_TEST_TYPE_PLAIN);
  GstHarness *h = harness_for (rung, NULL);
  gint drained = 0;

  g_signal_connect (rung, "drained", G_CALLBACK (on_drained), &drained);
  gst_harness_push (h, make_buffer (0, 10));
  gst_buffer_unref (gst_harness_pull (h));
  fail_unless (gst_harness_push_event (h, gst_event_new_eos ()));
  fail_unless (has_eos (h));
  fail_unless_equals_int (drained, 0);
  gst_harness_teardown (h);
  gst_object_unref (rung);
}

GST_END_TEST;

GST_START_TEST (test_keyframe_with_headers_is_a_keyframe)
{
  GstLadderRung *rung = make_rung (LADDER_TEST_TYPE_PLAIN);
  GstHarness *h = harness_for (rung, NULL);
  GstBuffer *buf;

  /* an IDR with in-band SPS/PPS, as h264parse config-interval=-1 marks it */
  buf = make_buffer (0, 10);
  GST_BUFFER_FLAG_SET (buf, GST_BUFFER_FLAG_HEADER);
  gst_harness_push (h, buf);
  buf = gst_harness_pull (h);
  fail_if (GST_BUFFER_FLAG_IS_SET (buf, GST_BUFFER_FLAG_HEADER));
  fail_if (GST_BUFFER_FLAG_IS_SET (buf, GST_BUFFER_FLAG_DELTA_UNIT));
  gst_buffer_unref (buf);

  /* a header-only buffer (no timestamp) stays a header */
  buf = gst_buffer_new_allocate (NULL, 4, NULL);
  GST_BUFFER_FLAG_SET (buf, GST_BUFFER_FLAG_HEADER);
  gst_harness_push (h, buf);
  buf = gst_harness_pull (h);
  fail_unless (GST_BUFFER_FLAG_IS_SET (buf, GST_BUFFER_FLAG_HEADER));
  gst_buffer_unref (buf);

  gst_harness_teardown (h);
  gst_object_unref (rung);
}

GST_END_TEST;

static Suite *
ladderrung_suite (void)
{
  Suite *s = suite_create ("ladderrung");
  TCase *tc = tcase_create ("general");

  suite_add_tcase (s, tc);
  tcase_add_test (tc, test_key_and_names);
  tcase_add_test (tc, test_refused_context);
  tcase_add_test (tc, test_counts_fragments_and_bytes);
  tcase_add_test (tc, test_error_becomes_panic);
  tcase_add_test (tc, test_fault_signal_instead_of_message);
  tcase_add_test (tc, test_refused_caps_are_a_fault);
  tcase_add_test (tc, test_start_failure_is_start_panic);
  tcase_add_test (tc, test_failed_rung_does_not_hold_shutdown);
  tcase_add_test (tc, test_drain_keeps_eos_inside);
  tcase_add_test (tc, test_upstream_eos_passes);
  tcase_add_test (tc, test_keyframe_with_headers_is_a_keyframe);
  return s;
}

GST_CHECK_MAIN (ladderrung);
