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
#include <gst/ladder/ladder.h>

static GstObject *
make_src (void)
{
  return GST_OBJECT (gst_object_ref_sink (gst_bin_new ("src")));
}

GST_START_TEST (test_panic_round_trip)
{
  GstObject *src = make_src ();
  GError *err = g_error_new_literal (GST_STREAM_ERROR,
      GST_STREAM_ERROR_DECODE, "corrupt");
  GstMessage *msg;
  gchar *transcoder, *rendition, *broadcast, *track, *debug;
  GstLadderPhase phase;
  GError *parsed_err = NULL;
  guint panics;
  GstClockTime delay;
  gboolean degraded;
  const GstStructure *s;

  msg = gst_ladder_message_new_panic (src, "x264", "720p", "live/demo",
      "video", GST_LADDER_PHASE_FRAGMENT, err, "decoder said no", 2,
      500 * GST_MSECOND);
  fail_unless_equals_int (gst_ladder_message_get_type (msg),
      GST_LADDER_MESSAGE_PANIC);
  fail_unless (GST_MESSAGE_SRC (msg) == src);
  s = gst_message_get_structure (msg);
  fail_unless (gst_structure_has_name (s, "ladder-panic"));
  fail_unless_equals_string (gst_structure_get_string (s, "next"), "restart");

  fail_unless (gst_ladder_message_parse_panic (msg, &transcoder, &rendition,
          &broadcast, &track, &phase, &parsed_err, &debug, &panics, &delay,
          &degraded));
  fail_unless_equals_string (transcoder, "x264");
  fail_unless_equals_string (rendition, "720p");
  fail_unless_equals_string (broadcast, "live/demo");
  fail_unless_equals_string (track, "video");
  fail_unless_equals_int (phase, GST_LADDER_PHASE_FRAGMENT);
  fail_unless (g_error_matches (parsed_err, GST_STREAM_ERROR,
          GST_STREAM_ERROR_DECODE));
  fail_unless_equals_string (parsed_err->message, "corrupt");
  fail_unless_equals_string (debug, "decoder said no");
  fail_unless_equals_int (panics, 2);
  fail_unless_equals_uint64 (delay, 500 * GST_MSECOND);
  fail_if (degraded);

  /* NULL out-parameters are allowed */
  fail_unless (gst_ladder_message_parse_panic (msg, NULL, NULL, NULL, NULL,
          NULL, NULL, NULL, NULL, NULL, NULL));
  /* not the stats message */
  fail_if (gst_ladder_message_parse_stats (msg, NULL));

  g_free (transcoder);
  g_free (rendition);
  g_free (broadcast);
  g_free (track);
  g_free (debug);
  g_error_free (parsed_err);
  g_error_free (err);
  gst_message_unref (msg);

  /* degraded: no restart delay */
  msg = gst_ladder_message_new_panic (src, "x264", "720p", "live", "video",
      GST_LADDER_PHASE_START, NULL, NULL, 3, GST_CLOCK_TIME_NONE);
  fail_unless (gst_ladder_message_parse_panic (msg, NULL, NULL, NULL, NULL,
          &phase, &parsed_err, NULL, &panics, &delay, &degraded));
  fail_unless_equals_int (phase, GST_LADDER_PHASE_START);
  fail_unless (parsed_err != NULL);
  fail_unless_equals_int (panics, 3);
  fail_unless (degraded);
  fail_unless_equals_uint64 (delay, GST_CLOCK_TIME_NONE);
  fail_unless_equals_string (gst_structure_get_string
      (gst_message_get_structure (msg), "next"), "degraded");
  g_error_free (parsed_err);
  gst_message_unref (msg);

  gst_object_unref (src);
}

GST_END_TEST;

GST_START_TEST (test_stats_round_trip)
{
  GstObject *src = make_src ();
  GPtrArray *rungs = g_ptr_array_new_with_free_func ((GDestroyNotify)
      gst_structure_free);
  GPtrArray *parsed = NULL;
  GstStructure *entry;
  GstMessage *msg;
  guint64 v;
  GstLadderRungState state;

  entry = gst_ladder_rung_stats_new ("x264", "720p", "live", "video",
      GST_LADDER_RUNG_STATE_RUNNING);
  gst_structure_set (entry, "fragments-out", G_TYPE_UINT64,
      G_GUINT64_CONSTANT (42), NULL);
  g_ptr_array_add (rungs, entry);
  g_ptr_array_add (rungs, gst_ladder_rung_stats_new ("passthrough", "source",
          "live", "audio", GST_LADDER_RUNG_STATE_DEGRADED));

  msg = gst_ladder_message_new_stats (src, rungs);
  fail_unless_equals_int (gst_ladder_message_get_type (msg),
      GST_LADDER_MESSAGE_STATS);
  fail_unless (gst_ladder_message_parse_stats (msg, &parsed));
  fail_unless_equals_int (parsed->len, 2);

  entry = g_ptr_array_index (parsed, 0);
  fail_unless (gst_structure_has_name (entry, GST_LADDER_RUNG_STATS_NAME));
  fail_unless_equals_string (gst_structure_get_string (entry, "rendition"),
      "720p");
  fail_unless (gst_structure_get_uint64 (entry, "fragments-out", &v));
  fail_unless_equals_uint64 (v, 42);
  fail_unless (gst_structure_get_uint64 (entry, "panics", &v));
  fail_unless_equals_uint64 (v, 0);

  entry = g_ptr_array_index (parsed, 1);
  fail_unless (gst_structure_get_enum (entry, "state",
          GST_TYPE_LADDER_RUNG_STATE, (gint *) & state));
  fail_unless_equals_int (state, GST_LADDER_RUNG_STATE_DEGRADED);

  g_ptr_array_unref (parsed);
  g_ptr_array_unref (rungs);
  gst_message_unref (msg);

  /* empty */
  msg = gst_ladder_message_new_stats (src, NULL);
  fail_unless (gst_ladder_message_parse_stats (msg, &parsed));
  fail_unless_equals_int (parsed->len, 0);
  g_ptr_array_unref (parsed);
  gst_message_unref (msg);
  gst_object_unref (src);
}

GST_END_TEST;

GST_START_TEST (test_rendition_removed_round_trip)
{
  GstObject *src = make_src ();
  GstMessage *msg;
  gchar *name;
  guint rungs;
  gboolean drained;

  msg = gst_ladder_message_new_rendition_removed (src, "480p", 2, TRUE);
  fail_unless_equals_int (gst_ladder_message_get_type (msg),
      GST_LADDER_MESSAGE_RENDITION_REMOVED);
  fail_unless (gst_ladder_message_parse_rendition_removed (msg, &name, &rungs,
          &drained));
  fail_unless_equals_string (name, "480p");
  fail_unless_equals_int (rungs, 2);
  fail_unless (drained);
  g_free (name);
  gst_message_unref (msg);
  gst_object_unref (src);
}

GST_END_TEST;

GST_START_TEST (test_broadcaster_notices)
{
  GstObject *src = make_src ();
  GstMessage *msg;
  gchar *broadcast, *track, *pad;
  GstLadderBroadcasterState state;
  guint64 dropped, gops;
  GstClockTime lag, idle;

  msg = gst_ladder_message_new_broadcaster_state (src, "live/demo", "audio",
      GST_LADDER_BROADCASTER_STATE_PUBLISHING);
  fail_unless_equals_int (gst_ladder_message_get_type (msg),
      GST_LADDER_MESSAGE_BROADCASTER_STATE);
  fail_unless (gst_ladder_message_parse_broadcaster_state (msg, &broadcast,
          &track, &state));
  fail_unless_equals_string (broadcast, "live/demo");
  fail_unless_equals_string (track, "audio");
  fail_unless_equals_int (state, GST_LADDER_BROADCASTER_STATE_PUBLISHING);
  g_free (broadcast);
  g_free (track);
  gst_message_unref (msg);

  msg = gst_ladder_message_new_broadcaster_lag (src, "b", "video", "src_3",
      90, 3, 4 * GST_SECOND);
  fail_unless (gst_ladder_message_parse_broadcaster_lag (msg, NULL, NULL, &pad,
          &dropped, &gops, &lag));
  fail_unless_equals_string (pad, "src_3");
  fail_unless_equals_uint64 (dropped, 90);
  fail_unless_equals_uint64 (gops, 3);
  fail_unless_equals_uint64 (lag, 4 * GST_SECOND);
  g_free (pad);
  gst_message_unref (msg);

  msg = gst_ladder_message_new_broadcaster_evicted (src, "b", "video", "src_1",
      9 * GST_SECOND);
  fail_unless_equals_int (gst_ladder_message_get_type (msg),
      GST_LADDER_MESSAGE_BROADCASTER_EVICTED);
  fail_unless (gst_ladder_message_parse_broadcaster_evicted (msg, NULL, NULL,
          &pad, &lag));
  fail_unless_equals_string (pad, "src_1");
  fail_unless_equals_uint64 (lag, 9 * GST_SECOND);
  g_free (pad);
  gst_message_unref (msg);

  msg = gst_ladder_message_new_broadcaster_idle (src, "b", "video",
      3 * GST_SECOND);
  fail_unless (gst_ladder_message_parse_broadcaster_idle (msg, NULL, NULL,
          &idle));
  fail_unless_equals_uint64 (idle, 3 * GST_SECOND);
  gst_message_unref (msg);
  gst_object_unref (src);
}

GST_END_TEST;

GST_START_TEST (test_other_messages_are_not_ladder_messages)
{
  GstObject *src = make_src ();
  GstMessage *msg;

  msg = gst_message_new_eos (src);
  fail_unless_equals_int (gst_ladder_message_get_type (msg),
      GST_LADDER_MESSAGE_NONE);
  fail_if (gst_ladder_message_parse_panic (msg, NULL, NULL, NULL, NULL, NULL,
          NULL, NULL, NULL, NULL, NULL));
  gst_message_unref (msg);

  msg = gst_message_new_element (src, gst_structure_new_empty ("other"));
  fail_unless_equals_int (gst_ladder_message_get_type (msg),
      GST_LADDER_MESSAGE_NONE);
  gst_message_unref (msg);

  fail_unless_equals_string (gst_ladder_message_type_get_name
      (GST_LADDER_MESSAGE_STATS), "ladder-stats");
  fail_unless (gst_ladder_message_type_get_name (GST_LADDER_MESSAGE_NONE) ==
      NULL);
  gst_object_unref (src);
}

GST_END_TEST;

static Suite *
laddermessage_suite (void)
{
  Suite *s = suite_create ("laddermessage");
  TCase *tc = tcase_create ("general");

  suite_add_tcase (s, tc);
  tcase_add_test (tc, test_panic_round_trip);
  tcase_add_test (tc, test_stats_round_trip);
  tcase_add_test (tc, test_rendition_removed_round_trip);
  tcase_add_test (tc, test_broadcaster_notices);
  tcase_add_test (tc, test_other_messages_are_not_ladder_messages);
  return s;
}

GST_CHECK_MAIN (laddermessage);
