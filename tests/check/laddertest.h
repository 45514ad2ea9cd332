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

/* Scaffolding shared by the unit tests: fake transcoders that fault on
 * demand, and bounded waits that fail the test saying what they waited
 * for. Linked into every test of tests/check. */

#ifndef __LADDER_TEST_H__
#define __LADDER_TEST_H__

#include <gst/check/gstcheck.h>
#include <gst/ladder/ladder.h>

G_BEGIN_DECLS
/* ----- fake transcoders -----
 *
 * Each is a concrete GstLadderTranscoder without element metadata, whose
 * start builds (at most) one identity. Use their types wherever a
 * transcoder type is taken: gst_ladder_rung_new(), the runner's
 * add_rendition() and add_transcoder(). */
/* "plain": an identity, every buffer passes */
#define LADDER_TEST_TYPE_PLAIN (ladder_test_plain_get_type ())
    GType ladder_test_plain_get_type (void);

/* "other": the same as "plain" under another name, a second factory for
 * the same rendition */
#define LADDER_TEST_TYPE_OTHER (ladder_test_other_get_type ())
GType ladder_test_other_get_type (void);

/* "faulty": every instance posts an ERROR on its 3rd buffer (the identity's
 * error-after) */
#define LADDER_TEST_TYPE_FAULTY (ladder_test_faulty_get_type ())
GType ladder_test_faulty_get_type (void);

/* "faulty": the first instance started after ladder_test_faulty_once_reset()
 * posts an ERROR on its 5th buffer, the instances after it run: a fault a
 * restart mends */
#define LADDER_TEST_TYPE_FAULTY_ONCE (ladder_test_faulty_once_get_type ())
GType ladder_test_faulty_once_get_type (void);

/* "broken": every instance posts an ERROR on its 2nd buffer: a fault no
 * restart mends */
#define LADDER_TEST_TYPE_BROKEN (ladder_test_broken_get_type ())
GType ladder_test_broken_get_type (void);

/* "picky": a capsfilter that takes video/x-test only: other caps are
 * refused at its sink pad */
#define LADDER_TEST_TYPE_PICKY (ladder_test_picky_get_type ())
GType ladder_test_picky_get_type (void);

/* "failing": start fails with GST_LADDER_ERROR_FAILED, "injected start
 * failure" */
#define LADDER_TEST_TYPE_FAILING (ladder_test_failing_get_type ())
GType ladder_test_failing_get_type (void);

/* "failing": start fails with GST_LADDER_ERROR_MISSING_ELEMENT, "injected:
 * no such element", as when an element is not installed */
#define LADDER_TEST_TYPE_FAILING_MISSING \
  (ladder_test_failing_missing_get_type ())
GType ladder_test_failing_missing_get_type (void);

/* "refusing": accept refuses every context, so no instance is ever made */
#define LADDER_TEST_TYPE_REFUSING (ladder_test_refusing_get_type ())
GType ladder_test_refusing_get_type (void);

/* "videoonly": accepts video tracks only (gst_ladder_track_is_video()),
 * then an identity */
#define LADDER_TEST_TYPE_VIDEO_ONLY (ladder_test_video_only_get_type ())
GType ladder_test_video_only_get_type (void);

/* "decoding": as "videoonly", and sets decodes_video: the runner feeds it
 * from one shared decode */
#define LADDER_TEST_TYPE_DECODING (ladder_test_decoding_get_type ())
GType ladder_test_decoding_get_type (void);

void ladder_test_faulty_once_reset (void);

guint ladder_test_faulty_once_starts (void);

/* ----- bounded waits ----- */

/**
 * LADDER_TEST_WAIT:
 *
 * The bound of a wait for something that, in a passing run, comes within
 * a fraction of a second: long enough for a loaded machine or valgrind,
 * short enough to fail before the test's own timeout.
 */
#define LADDER_TEST_WAIT (20 * GST_SECOND)

/**
 * LadderTestMessageCheck:
 * @msg: a gst-ladder message of the type waited for
 * @data: the data given to the wait
 *
 * Returns: %TRUE if @msg is the one waited for
 */
typedef gboolean (*LadderTestMessageCheck) (GstMessage * msg, gpointer data);

GstMessage *ladder_test_bus_wait (GstBus * bus, GstMessageType types,
    GstClockTime bound, const gchar * what);

void ladder_test_wait_eos (GstElement * pipeline, GstClockTime bound,
    const gchar * what);

GstMessage *ladder_test_wait_ladder_message (GstElement * pipeline,
    GstLadderMessageType type, LadderTestMessageCheck check, gpointer data,
    GstClockTime bound);

void ladder_test_wait_state (GstElement * element, GstState state,
    GstClockTime bound, const gchar * what);

/**
 * LADDER_TEST_COND_WAIT:
 * @cond: a #GCond broadcast whenever @predicate may have become true
 * @lock: the #GMutex guarding what @predicate reads, held by the caller
 * @bound: the longest wait, a #GstClockTime
 * @predicate: an expression, evaluated with @lock held
 * @...: a printf format and its arguments saying what was awaited, for the
 *   failure message (the arguments are evaluated when the wait fails)
 *
 * Waits on @cond until @predicate holds; fails the test with the message
 * if it still does not after @bound. Returns with @lock held.
 */
#define LADDER_TEST_COND_WAIT(cond, lock, bound, predicate, ...) \
  G_STMT_START { \
    gint64 _ladder_test_end = g_get_monotonic_time () + \
        (gint64) ((bound) / GST_USECOND); \
    while (!(predicate)) { \
      if (!g_cond_wait_until ((cond), (lock), _ladder_test_end) \
          && !(predicate)) \
        fail (__VA_ARGS__); \
    } \
  } G_STMT_END

G_END_DECLS
#endif /* __LADDER_TEST_H__ */
