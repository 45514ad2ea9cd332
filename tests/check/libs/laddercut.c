/* gst-ladder
 * Copyright (C) 2026 The gst-ladder authors
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2 of the License, or (at your option) any later version.
 */

/* The keyframe policy (GstLadderCutter) alone: which frames start a
 * segment, for the inputs a ladder really gets. */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <gst/check/gstcheck.h>
#include <gst/ladder/ladder.h>

#define FRAME (GST_SECOND / 30)

/* feeds n frames (PTS i * FRAME, keyframe when is_key(i)), in the order
 * given by order (NULL: 0..n-1), and returns the frame indexes cut, with
 * their cut times in times */
static GArray *
run (GstLadderCutter * c, guint n, gboolean (*is_key) (guint),
    const guint * order, GArray ** times)
{
  GArray *cuts = g_array_new (FALSE, FALSE, sizeof (guint));
  guint i, expected = 0;

  *times = g_array_new (FALSE, FALSE, sizeof (GstClockTime));
  for (i = 0; i < n; i++) {
    guint f = order ? order[i] : i;
    GstClockTime t;
    guint count;

    if (gst_ladder_cutter_check (c, f * FRAME, FRAME, is_key (f), &t, &count)) {
      fail_unless_equals_int (count, expected);
      expected++;
      g_array_append_val (cuts, f);
      g_array_append_val (*times, t);
    }
  }
  return cuts;
}

static gboolean
every_frame (guint i)
{
  return TRUE;
}

static gboolean
gop_60 (guint i)
{
  return i % 60 == 0;
}

static gboolean
gop_59 (guint i)
{
  return i % 59 == 0;
}

static gboolean
gop_30 (guint i)
{
  return i % 30 == 0;
}

static gboolean
gop_150 (guint i)
{
  return i % 150 == 0;
}

/* scene cuts: keyframes at 0, 45 (1.5 s), 50, then every 60 from 50 */
static gboolean
irregular (guint i)
{
  return i == 0 || i == 45 || (i >= 50 && (i - 50) % 60 == 0);
}

static void
check_cuts (GArray * cuts, const guint * want, guint n)
{
  guint i;

  fail_unless_equals_int (cuts->len, n);
  for (i = 0; i < n; i++)
    fail_unless_equals_int (g_array_index (cuts, guint, i), want[i]);
}

GST_START_TEST (test_grid)
{
  GstLadderCutter c;
  GArray *cuts, *times;
  const guint want[] = { 0, 60, 120, 180, 240 };

  gst_ladder_cutter_init (&c, 2 * GST_SECOND, FALSE);
  cuts = run (&c, 300, every_frame, NULL, &times);
  check_cuts (cuts, want, G_N_ELEMENTS (want));
  fail_unless_equals_uint64 (g_array_index (times, GstClockTime, 1),
      60 * FRAME);
  g_array_unref (cuts);
  g_array_unref (times);

  /* the first frame need not be at 0: the grid follows it */
  gst_ladder_cutter_reset (&c);
  fail_unless (gst_ladder_cutter_check (&c, 7 * FRAME, FRAME, TRUE, NULL,
          NULL));
  fail_if (gst_ladder_cutter_check (&c, 66 * FRAME, FRAME, TRUE, NULL, NULL));
  fail_unless (gst_ladder_cutter_check (&c, 67 * FRAME, FRAME, TRUE, NULL,
          NULL));

  /* no interval, no cut */
  gst_ladder_cutter_init (&c, 0, FALSE);
  fail_if (gst_ladder_cutter_check (&c, 0, FRAME, TRUE, NULL, NULL));
}

GST_END_TEST;

GST_START_TEST (test_keyframes)
{
  GstLadderCutter c;
  GArray *cuts, *times;
  const guint want60[] = { 0, 60, 120, 180, 240 };
  /* a GOP a frame short of the interval: every keyframe, not every other */
  const guint want59[] = { 0, 59, 118, 177, 236, 295 };
  /* GOPs of 1 s with 2 s asked: every other keyframe */
  const guint want30[] = { 0, 60, 120, 180, 240 };
  /* a GOP longer than the interval: every keyframe */
  const guint want150[] = { 0, 150 };
  /* scene cuts: 45 is too early (1.5 s < 2 s - 0.5 s)... */
  const guint want_irr[] = { 0, 50, 110, 170, 230, 290 };

  gst_ladder_cutter_init (&c, 2 * GST_SECOND, TRUE);
  cuts = run (&c, 300, gop_60, NULL, &times);
  check_cuts (cuts, want60, G_N_ELEMENTS (want60));
  g_array_unref (cuts);
  g_array_unref (times);

  gst_ladder_cutter_reset (&c);
  cuts = run (&c, 300, gop_59, NULL, &times);
  check_cuts (cuts, want59, G_N_ELEMENTS (want59));
  g_array_unref (cuts);
  g_array_unref (times);

  gst_ladder_cutter_reset (&c);
  cuts = run (&c, 300, gop_30, NULL, &times);
  check_cuts (cuts, want30, G_N_ELEMENTS (want30));
  g_array_unref (cuts);
  g_array_unref (times);

  gst_ladder_cutter_reset (&c);
  cuts = run (&c, 300, gop_150, NULL, &times);
  check_cuts (cuts, want150, G_N_ELEMENTS (want150));
  g_array_unref (cuts);
  g_array_unref (times);

  gst_ladder_cutter_reset (&c);
  cuts = run (&c, 300, irregular, NULL, &times);
  check_cuts (cuts, want_irr, G_N_ELEMENTS (want_irr));
  g_array_unref (cuts);
  g_array_unref (times);

  /* raw video (no delta frames) cut on keyframes keeps the grid exact */
  gst_ladder_cutter_reset (&c);
  cuts = run (&c, 300, every_frame, NULL, &times);
  check_cuts (cuts, want60, G_N_ELEMENTS (want60));
  g_array_unref (cuts);
  g_array_unref (times);
}

GST_END_TEST;

/* H.264 with B-frames comes in decode order: I0 P3 B1 B2 P6 B4 B5 ... */
GST_START_TEST (test_decode_order)
{
  GstLadderCutter c;
  GArray *cuts, *times;
  guint order[300];
  guint i, a, n;

  /* anchors every 3 frames, each followed by the two B-frames before it */
  n = 0;
  order[n++] = 0;
  for (a = 3; a < 300; a += 3) {
    order[n++] = a;
    order[n++] = a - 2;
    order[n++] = a - 1;
  }
  order[n++] = 298;
  order[n++] = 299;
  fail_unless_equals_int (n, 300);

  /* any frame may start a segment: the cut is at the due point, which an
   * encoder (frames in display order) makes a keyframe */
  gst_ladder_cutter_init (&c, 2 * GST_SECOND, FALSE);
  cuts = run (&c, 300, every_frame, order, &times);
  fail_unless (cuts->len >= 4);
  for (i = 1; i < times->len; i++)
    fail_unless_equals_uint64 (g_array_index (times, GstClockTime, i),
        i * 60 * FRAME);
  g_array_unref (cuts);
  g_array_unref (times);
}

GST_END_TEST;

GST_START_TEST (test_event)
{
  GstEvent *event = gst_ladder_cut_event_new (5 * GST_SECOND,
      4 * GST_SECOND, 7);
  GstClockTime rt = 0;
  guint count = 0;

  fail_unless (gst_ladder_cut_event_parse (event, &rt, &count));
  fail_unless_equals_uint64 (rt, 4 * GST_SECOND);
  fail_unless_equals_int (count, 7);
  gst_event_unref (event);

  event = gst_event_new_eos ();
  fail_if (gst_ladder_cut_event_parse (event, &rt, &count));
  gst_event_unref (event);
}

GST_END_TEST;

static Suite *
laddercut_suite (void)
{
  Suite *s = suite_create ("laddercut");
  TCase *tc = tcase_create ("general");

  suite_add_tcase (s, tc);
  tcase_add_test (tc, test_grid);
  tcase_add_test (tc, test_keyframes);
  tcase_add_test (tc, test_decode_order);
  tcase_add_test (tc, test_event);
  return s;
}

GST_CHECK_MAIN (laddercut);
