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

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "laddertest.h"

/* ----- fake transcoders ----- */

/* instances of "faulty" (LADDER_TEST_TYPE_FAULTY_ONCE) started since the
 * last ladder_test_faulty_once_reset() */
static gint faulty_once_starts;

/* Adds @element to @self and makes its pads the targets of @self's */
static gboolean
start_with (GstLadderTranscoder * self, GstElement * element)
{
  GstPad *sink, *src;
  gboolean ret;

  gst_bin_add (GST_BIN (self), element);
  sink = gst_element_get_static_pad (element, "sink");
  src = gst_element_get_static_pad (element, "src");
  ret = gst_ladder_transcoder_set_targets (self, sink, src);
  gst_object_unref (sink);
  gst_object_unref (src);
  return ret;
}

/* An identity; with @error_after > 0 it posts an ERROR on that buffer. */
static gboolean
identity_start (GstLadderTranscoder * self, gint error_after)
{
  GstElement *identity = gst_element_factory_make ("identity", NULL);

  if (error_after > 0)
    g_object_set (identity, "error-after", error_after, NULL);
  return start_with (self, identity);
}

static gboolean
plain_start (GstLadderTranscoder * self, GError ** error)
{
  return identity_start (self, 0);
}

static gboolean
faulty_start (GstLadderTranscoder * self, GError ** error)
{
  return identity_start (self, 3);
}

static gboolean
faulty_once_start (GstLadderTranscoder * self, GError ** error)
{
  return identity_start (self,
      g_atomic_int_add (&faulty_once_starts, 1) == 0 ? 5 : 0);
}

static gboolean
broken_start (GstLadderTranscoder * self, GError ** error)
{
  return identity_start (self, 2);
}

/* a capsfilter that takes video/x-test only */
static gboolean
picky_start (GstLadderTranscoder * self, GError ** error)
{
  GstElement *filter = gst_element_factory_make ("capsfilter", NULL);
  GstCaps *caps = gst_caps_new_empty_simple ("video/x-test");

  g_object_set (filter, "caps", caps, NULL);
  gst_caps_unref (caps);
  return start_with (self, filter);
}

static gboolean
failing_start (GstLadderTranscoder * self, GError ** error)
{
  g_set_error (error, GST_LADDER_ERROR, GST_LADDER_ERROR_FAILED,
      "injected start failure");
  return FALSE;
}

static gboolean
failing_missing_start (GstLadderTranscoder * self, GError ** error)
{
  g_set_error (error, GST_LADDER_ERROR, GST_LADDER_ERROR_MISSING_ELEMENT,
      "injected: no such element");
  return FALSE;
}

static gboolean
refuse_all (GstLadderTranscoderClass * klass, const gchar * broadcast,
    const gchar * track, const GstCaps * caps,
    const GstLadderRendition * rendition)
{
  return FALSE;
}

static gboolean
video_only_accept (GstLadderTranscoderClass * klass, const gchar * broadcast,
    const gchar * track, const GstCaps * caps,
    const GstLadderRendition * rendition)
{
  return gst_ladder_track_is_video (track, caps);
}

/* A GstLadderTranscoder subclass named @tname with these vfuncs and no
 * state of its own */
#define DEFINE_FAKE_TRANSCODER(TypeName, type_name, tname, start_func, \
    accept_func, decodes) \
  typedef GstLadderTranscoder TypeName; \
  typedef GstLadderTranscoderClass TypeName##Class; \
  G_DEFINE_TYPE (TypeName, type_name, GST_TYPE_LADDER_TRANSCODER); \
  static void type_name##_class_init (TypeName##Class * klass) \
  { \
    klass->name = tname; \
    klass->start = start_func; \
    klass->accept = accept_func; \
    klass->decodes_video = decodes; \
  } \
  static void type_name##_init (TypeName * self) { }

DEFINE_FAKE_TRANSCODER (LadderTestPlain, ladder_test_plain, "plain",
    plain_start, NULL, FALSE);
DEFINE_FAKE_TRANSCODER (LadderTestOther, ladder_test_other, "other",
    plain_start, NULL, FALSE);
DEFINE_FAKE_TRANSCODER (LadderTestFaulty, ladder_test_faulty, "faulty",
    faulty_start, NULL, FALSE);
DEFINE_FAKE_TRANSCODER (LadderTestFaultyOnce, ladder_test_faulty_once,
    "faulty", faulty_once_start, NULL, FALSE);
DEFINE_FAKE_TRANSCODER (LadderTestBroken, ladder_test_broken, "broken",
    broken_start, NULL, FALSE);
DEFINE_FAKE_TRANSCODER (LadderTestFailing, ladder_test_failing, "failing",
    failing_start, NULL, FALSE);
DEFINE_FAKE_TRANSCODER (LadderTestFailingMissing, ladder_test_failing_missing,
    "failing", failing_missing_start, NULL, FALSE);
DEFINE_FAKE_TRANSCODER (LadderTestPicky, ladder_test_picky, "picky",
    picky_start, NULL, FALSE);
DEFINE_FAKE_TRANSCODER (LadderTestRefusing, ladder_test_refusing, "refusing",
    plain_start, refuse_all, FALSE);
DEFINE_FAKE_TRANSCODER (LadderTestVideoOnly, ladder_test_video_only,
    "videoonly", plain_start, video_only_accept, FALSE);
DEFINE_FAKE_TRANSCODER (LadderTestDecoding, ladder_test_decoding, "decoding",
    plain_start, video_only_accept, TRUE);

/**
 * ladder_test_faulty_once_reset:
 *
 * Forgets the instances of LADDER_TEST_TYPE_FAULTY_ONCE started so far: the
 * next one started fails again. Call it before a test that uses the type.
 */
void
ladder_test_faulty_once_reset (void)
{
  g_atomic_int_set (&faulty_once_starts, 0);
}

/**
 * ladder_test_faulty_once_starts:
 *
 * Returns: how many instances of LADDER_TEST_TYPE_FAULTY_ONCE started since
 *   ladder_test_faulty_once_reset()
 */
guint
ladder_test_faulty_once_starts (void)
{
  return g_atomic_int_get (&faulty_once_starts);
}

/* ----- bounded waits ----- */

/* Fails the test with the ERROR @msg, which came before @awaited (and
 * @what, if any, says what that stands for) */
static void
fail_on_error (GstMessage * msg, const gchar * awaited, const gchar * what)
{
  GError *err = NULL;
  gchar *debug = NULL;

  gst_message_parse_error (msg, &err, &debug);
  fail ("an ERROR from %s came before %s%s%s%s: %s (%s)",
      GST_MESSAGE_SRC_NAME (msg), awaited, what ? " (" : "", what ? what : "",
      what ? ")" : "", err->message, GST_STR_NULL (debug));
}

/**
 * ladder_test_bus_wait:
 * @bus: the bus
 * @types: the message types waited for
 * @bound: the longest wait
 * @what: what is waited for, for the failure message: "an ERROR"
 *
 * Pops messages off @bus until one of @types comes, dropping the others
 * (as gst_bus_timed_pop_filtered() does), for at most @bound. Fails the
 * test, naming @what, if none came.
 *
 * Returns: (transfer full): the message, never %NULL
 */
GstMessage *
ladder_test_bus_wait (GstBus * bus, GstMessageType types, GstClockTime bound,
    const gchar * what)
{
  GstMessage *msg = gst_bus_timed_pop_filtered (bus, bound, types);

  fail_unless (msg != NULL, "%s did not come within %" GST_TIME_FORMAT, what,
      GST_TIME_ARGS (bound));
  return msg;
}

/**
 * ladder_test_wait_eos:
 * @pipeline: a pipeline, PLAYING or on its way there
 * @bound: the longest wait
 * @what: for the failure message: what the EOS stands for, or what its
 *   absence means
 *
 * Waits for the EOS message on @pipeline's bus. Fails the test, naming
 * @what, if an ERROR comes first or nothing within @bound.
 */
void
ladder_test_wait_eos (GstElement * pipeline, GstClockTime bound,
    const gchar * what)
{
  GstBus *bus = gst_element_get_bus (pipeline);
  GstMessage *msg;

  msg = gst_bus_timed_pop_filtered (bus, bound,
      GST_MESSAGE_EOS | GST_MESSAGE_ERROR);
  gst_object_unref (bus);
  fail_unless (msg != NULL, "no EOS within %" GST_TIME_FORMAT ": %s",
      GST_TIME_ARGS (bound), what);
  if (GST_MESSAGE_TYPE (msg) == GST_MESSAGE_ERROR)
    fail_on_error (msg, "the EOS", what);
  gst_message_unref (msg);
}

/**
 * ladder_test_wait_ladder_message:
 * @pipeline: a pipeline, PLAYING or on its way there
 * @type: the gst-ladder message type waited for
 * @check: (nullable): tells the message waited for from others of @type
 * @data: passed to @check
 * @bound: the longest wait, for all the messages together
 *
 * Pops messages off @pipeline's bus until a gst-ladder message of @type
 * for which @check (if any) returns %TRUE, dropping the others. Fails the
 * test on an ERROR, or if no such message came within @bound.
 *
 * Returns: (transfer full): the message, never %NULL
 */
GstMessage *
ladder_test_wait_ladder_message (GstElement * pipeline,
    GstLadderMessageType type, LadderTestMessageCheck check, gpointer data,
    GstClockTime bound)
{
  GstBus *bus = gst_element_get_bus (pipeline);
  const gchar *name = gst_ladder_message_type_get_name (type);
  gint64 end = g_get_monotonic_time () + bound / GST_USECOND;
  GstMessage *msg = NULL;
  gint64 left;

  while ((left = end - g_get_monotonic_time ()) > 0) {
    msg = gst_bus_timed_pop_filtered (bus, left * GST_USECOND,
        GST_MESSAGE_ELEMENT | GST_MESSAGE_ERROR);
    if (msg == NULL)
      break;
    if (GST_MESSAGE_TYPE (msg) == GST_MESSAGE_ERROR)
      fail_on_error (msg, "a ladder message", name);
    if (gst_ladder_message_get_type (msg) == type && (check == NULL
            || check (msg, data)))
      break;
    gst_message_unref (msg);
    msg = NULL;
  }
  gst_object_unref (bus);
  fail_unless (msg != NULL, "no %s message within %" GST_TIME_FORMAT, name,
      GST_TIME_ARGS (bound));
  return msg;
}

/**
 * ladder_test_wait_state:
 * @element: an element whose state is changing, or has changed
 * @state: the state waited for
 * @bound: the longest wait
 * @what: for the failure message: what reaching @state stands for, or
 *   what failing to means
 *
 * Waits up to @bound for @element's state change to complete, and fails
 * the test, naming @what, unless it completed (successfully, or without
 * preroll) in @state.
 */
void
ladder_test_wait_state (GstElement * element, GstState state,
    GstClockTime bound, const gchar * what)
{
  GstState current = GST_STATE_VOID_PENDING;
  GstStateChangeReturn ret;

  ret = gst_element_get_state (element, &current, NULL, bound);
  fail_unless ((ret == GST_STATE_CHANGE_SUCCESS
          || ret == GST_STATE_CHANGE_NO_PREROLL) && current == state,
      "%s is %s (%s), not %s, after %" GST_TIME_FORMAT ": %s",
      GST_ELEMENT_NAME (element), gst_element_state_get_name (current),
      gst_element_state_change_return_get_name (ret),
      gst_element_state_get_name (state), GST_TIME_ARGS (bound), what);
}
