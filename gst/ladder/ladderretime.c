/* gst-ladder
 * Copyright (C) 2026 The gst-ladder authors
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2 of the License, or (at your option) any later version.
 */

/* GstLadderRetime: the last element before the encoder of an x264 rung.
 * It puts every raw video frame on the frame grid of the framerate of its
 * caps (the rendition's, else the source's), whatever the jitter of the
 * input timestamps.
 *
 * A live input is rarely on its grid: tsdemux behind srtsrc or udpsrc maps
 * PTS to the arrival clock (PCR clock recovery) and moves frames by tens
 * of milliseconds, sometimes backwards; a decoder then clamps decreasing
 * timestamps; a broadcaster queue that overflows drops a frame. An
 * encoder keeps those timestamps, and the player of the rendition sees
 * frames 16 to 65 ms apart in a 30 fps stream, two frames in one frame
 * slot ("non monotonically increasing dts" in FFmpeg).
 *
 * The grid: slot n is at running time ceil (n * fps_d * GST_SECOND /
 * fps_n), anchored at running time 0, so every rung of a source at one
 * framerate shares it, and with the keyframe interval a whole number of
 * frames its points are keyframe times. Rounding up to the nanosecond
 * keeps the usual rates exact at 90 kHz (MPEG-TS): 30 fps is 3000 ticks
 * per frame, not 2999 and 3001.
 *
 * The rule, frame by frame:
 * - a frame goes to the nearest slot (less than half a frame away, so
 *   timestamps rounded by a container, to the millisecond in FLV, stay on
 *   their own slot);
 * - a frame whose slot is already taken (two frames in one slot) is
 *   dropped;
 * - when a frame's slot is past the next free one, the slots between are
 *   filled with copies of the last frame (a copy is cheap: the memory is
 *   shared);
 * - a hole longer than GST_LADDER_RETIME_MAX_FILL is an outage, not
 *   jitter: it is not filled, the frame keeps its slot and is marked
 *   DISCONT; the same for a jump back by more than that.
 * Nothing is held back: each frame is pushed as it comes. A frame may
 * leave up to half a frame earlier than it came: the latency query says
 * so.
 *
 * Downstream GstForceKeyUnit events (the ladder's cuts, laddercut.c) are
 * timed like the frames: such an event is held until the first frame due
 * by its running time (the input or the slot time of the frame reaches
 * it), and goes out just before that frame with the frame's new
 * timestamps. So the key unit is on the frame it was meant for even when
 * the grid moves that frame earlier, and on the next frame when that
 * frame was dropped.
 *
 * Without a framerate in the caps (0/1: variable), frames and events pass
 * unchanged.
 */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <gst/video/video.h>

#include "ladderretime-private.h"

GST_DEBUG_CATEGORY_STATIC (ladder_retime_debug);
#define GST_CAT_DEFAULT ladder_retime_debug

enum
{
  PROP_0,
  PROP_DROPPED,
  PROP_DUPLICATED,
  PROP_LAST
};

static GParamSpec *properties[PROP_LAST];

struct _GstLadderRetime
{
  GstElement parent;

  GstPad *sinkpad;
  GstPad *srcpad;

  /* streaming thread; written with the object lock held */
  gint fps_n, fps_d;            /* fps_n 0: no grid */

  /* streaming thread only */
  GstSegment segment;
  gboolean have_next;
  guint64 next;                 /* the next free slot */
  GstBuffer *prev;              /* the last frame pushed, for copies */
  GQueue events;                /* GstForceKeyUnit events not yet due */

  /* protected by the object lock */
  guint64 dropped;
  guint64 duplicated;
};

static GstStaticPadTemplate sink_template = GST_STATIC_PAD_TEMPLATE ("sink",
    GST_PAD_SINK, GST_PAD_ALWAYS, GST_STATIC_CAPS ("video/x-raw(ANY)"));
static GstStaticPadTemplate src_template = GST_STATIC_PAD_TEMPLATE ("src",
    GST_PAD_SRC, GST_PAD_ALWAYS, GST_STATIC_CAPS ("video/x-raw(ANY)"));

G_DEFINE_FINAL_TYPE_WITH_CODE (GstLadderRetime, gst_ladder_retime,
    GST_TYPE_ELEMENT,
    GST_DEBUG_CATEGORY_INIT (ladder_retime_debug, "ladderretime", 0,
        "ladder frame grid of an x264 rung"));

static GstFlowReturn gst_ladder_retime_chain (GstPad * pad,
    GstObject * parent, GstBuffer * buffer);
static gboolean gst_ladder_retime_sink_event (GstPad * pad,
    GstObject * parent, GstEvent * event);
static gboolean gst_ladder_retime_sink_query (GstPad * pad,
    GstObject * parent, GstQuery * query);
static gboolean gst_ladder_retime_src_query (GstPad * pad,
    GstObject * parent, GstQuery * query);
static GstStateChangeReturn gst_ladder_retime_change_state (GstElement *
    element, GstStateChange transition);

static void
gst_ladder_retime_get_property (GObject * object, guint prop_id,
    GValue * value, GParamSpec * pspec)
{
  GstLadderRetime *self = GST_LADDER_RETIME (object);

  GST_OBJECT_LOCK (self);
  switch (prop_id) {
    case PROP_DROPPED:
      g_value_set_uint64 (value, self->dropped);
      break;
    case PROP_DUPLICATED:
      g_value_set_uint64 (value, self->duplicated);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      break;
  }
  GST_OBJECT_UNLOCK (self);
}

static void
gst_ladder_retime_finalize (GObject * object)
{
  GstLadderRetime *self = GST_LADDER_RETIME (object);

  gst_clear_buffer (&self->prev);
  g_queue_clear_full (&self->events, (GDestroyNotify) gst_event_unref);
  G_OBJECT_CLASS (gst_ladder_retime_parent_class)->finalize (object);
}

static void
gst_ladder_retime_class_init (GstLadderRetimeClass * klass)
{
  GObjectClass *gobject_class = G_OBJECT_CLASS (klass);
  GstElementClass *element_class = GST_ELEMENT_CLASS (klass);

  gobject_class->get_property = gst_ladder_retime_get_property;
  gobject_class->finalize = gst_ladder_retime_finalize;

  properties[PROP_DROPPED] = g_param_spec_uint64 ("dropped", "Dropped",
      "Frames dropped because their slot of the frame grid was taken",
      0, G_MAXUINT64, 0, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_DUPLICATED] = g_param_spec_uint64 ("duplicated",
      "Duplicated", "Copies of a frame made to fill an empty slot of the "
      "frame grid", 0, G_MAXUINT64, 0,
      G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (gobject_class, PROP_LAST, properties);

  gst_element_class_add_static_pad_template (element_class, &sink_template);
  gst_element_class_add_static_pad_template (element_class, &src_template);
  gst_element_class_set_static_metadata (element_class,
      "Ladder frame grid", "Filter/Video",
      "Puts raw video frames on the frame grid of their framerate",
      "The gst-ladder authors");

  element_class->change_state =
      GST_DEBUG_FUNCPTR (gst_ladder_retime_change_state);
}

static void
gst_ladder_retime_reset (GstLadderRetime * self)
{
  self->have_next = FALSE;
  self->next = 0;
  gst_clear_buffer (&self->prev);
}

static void
gst_ladder_retime_init (GstLadderRetime * self)
{
  self->sinkpad = gst_pad_new_from_static_template (&sink_template, "sink");
  gst_pad_set_chain_function (self->sinkpad,
      GST_DEBUG_FUNCPTR (gst_ladder_retime_chain));
  gst_pad_set_event_function (self->sinkpad,
      GST_DEBUG_FUNCPTR (gst_ladder_retime_sink_event));
  gst_pad_set_query_function (self->sinkpad,
      GST_DEBUG_FUNCPTR (gst_ladder_retime_sink_query));
  GST_PAD_SET_PROXY_CAPS (self->sinkpad);
  gst_element_add_pad (GST_ELEMENT (self), self->sinkpad);

  self->srcpad = gst_pad_new_from_static_template (&src_template, "src");
  gst_pad_set_query_function (self->srcpad,
      GST_DEBUG_FUNCPTR (gst_ladder_retime_src_query));
  GST_PAD_SET_PROXY_CAPS (self->srcpad);
  gst_element_add_pad (GST_ELEMENT (self), self->srcpad);

  self->fps_n = 0;
  self->fps_d = 1;
  gst_segment_init (&self->segment, GST_FORMAT_TIME);
  g_queue_init (&self->events);
}

/* the running time of slot @n */
static GstClockTime
slot_time (GstLadderRetime * self, guint64 n)
{
  return gst_util_uint64_scale_ceil (n, (guint64) self->fps_d * GST_SECOND,
      self->fps_n);
}

/* the slot nearest to running time @rt (a frame on the grid, rounded
 * either way to the nanosecond, stays on its slot) */
static guint64
slot_nearest (GstLadderRetime * self, GstClockTime rt)
{
  return gst_util_uint64_scale_round (rt, self->fps_n,
      (guint64) self->fps_d * GST_SECOND);
}

/* pushes the held GstForceKeyUnit events, unchanged */
static void
push_events (GstLadderRetime * self)
{
  GstEvent *event;

  while ((event = g_queue_pop_head (&self->events)))
    gst_pad_push_event (self->srcpad, event);
}

/* pushes, with the frame's new timestamps, the held GstForceKeyUnit events
 * that are due by a frame going out at slot time @slot_rt and PTS @pts,
 * whose input running time was @in_rt (NONE for a copy) */
static void
push_due_events (GstLadderRetime * self, GstClockTime slot_rt,
    GstClockTime in_rt, GstClockTime pts)
{
  GstEvent *event;

  while ((event = g_queue_peek_head (&self->events))) {
    GstClockTime rt = GST_CLOCK_TIME_NONE;
    gboolean all_headers = TRUE;
    guint count = 0;

    gst_video_event_parse_downstream_force_key_unit (event, NULL, NULL, &rt,
        &all_headers, &count);
    if (slot_rt < rt && (!GST_CLOCK_TIME_IS_VALID (in_rt) || in_rt < rt))
      break;
    GST_DEBUG_OBJECT (self, "key unit %u at running time %" GST_TIME_FORMAT
        " goes on the frame of slot time %" GST_TIME_FORMAT, count,
        GST_TIME_ARGS (rt), GST_TIME_ARGS (slot_rt));
    gst_event_unref (g_queue_pop_head (&self->events));
    gst_pad_push_event (self->srcpad,
        gst_video_event_new_downstream_force_key_unit (pts,
            gst_segment_to_stream_time (&self->segment, GST_FORMAT_TIME, pts),
            slot_rt, all_headers, count));
  }
}

/* gives @buffer (writable) the timestamps of slot @n; @pts and @rt are
 * those of the input frame, for a segment that cannot map the slot back */
static void
set_slot (GstLadderRetime * self, GstBuffer * buffer, guint64 n,
    GstClockTime pts, GstClockTime rt)
{
  GstClockTime t = slot_time (self, n), out;

  out = gst_segment_position_from_running_time (&self->segment,
      GST_FORMAT_TIME, t);
  if (!GST_CLOCK_TIME_IS_VALID (out))
    out = t >= rt ? pts + (t - rt) : pts - MIN (pts, rt - t);
  GST_BUFFER_PTS (buffer) = out;
  GST_BUFFER_DTS (buffer) = GST_CLOCK_TIME_NONE;
  GST_BUFFER_DURATION (buffer) = slot_time (self, n + 1) - t;
}

static GstFlowReturn
gst_ladder_retime_chain (GstPad * pad, GstObject * parent, GstBuffer * buffer)
{
  GstLadderRetime *self = GST_LADDER_RETIME (parent);
  GstClockTime pts = GST_BUFFER_PTS (buffer), rt;
  GstFlowReturn ret;
  gboolean discont = FALSE;
  guint64 slot;

  if (self->fps_n <= 0 || !GST_CLOCK_TIME_IS_VALID (pts))
    goto unchanged;
  rt = gst_segment_to_running_time (&self->segment, GST_FORMAT_TIME, pts);
  if (!GST_CLOCK_TIME_IS_VALID (rt))
    goto unchanged;

  slot = slot_nearest (self, rt);

  if (self->have_next && slot < self->next) {
    if (slot_time (self, self->next) - slot_time (self, slot) <=
        GST_LADDER_RETIME_MAX_FILL) {
      /* its slot is taken */
      GST_DEBUG_OBJECT (self, "dropping the frame at running time %"
          GST_TIME_FORMAT ": slot %" G_GUINT64_FORMAT " is taken",
          GST_TIME_ARGS (rt), slot);
      GST_OBJECT_LOCK (self);
      self->dropped++;
      GST_OBJECT_UNLOCK (self);
      gst_buffer_unref (buffer);
      return GST_FLOW_OK;
    }
    GST_INFO_OBJECT (self, "timestamps went back by %" GST_TIME_FORMAT
        ": new start", GST_TIME_ARGS (slot_time (self, self->next) -
            slot_time (self, slot)));
    discont = TRUE;
  } else if (self->have_next && slot > self->next) {
    if (self->prev && slot_time (self, slot) - slot_time (self, self->next)
        <= GST_LADDER_RETIME_MAX_FILL) {
      /* fill the empty slots with the last frame */
      for (; self->next < slot; self->next++) {
        GstBuffer *copy = gst_buffer_copy (self->prev);

        GST_BUFFER_FLAG_UNSET (copy, GST_BUFFER_FLAG_DISCONT);
        set_slot (self, copy, self->next, pts, rt);
        push_due_events (self, slot_time (self, self->next),
            GST_CLOCK_TIME_NONE, GST_BUFFER_PTS (copy));
        GST_DEBUG_OBJECT (self, "filling slot %" G_GUINT64_FORMAT
            " with a copy of the last frame", self->next);
        GST_OBJECT_LOCK (self);
        self->duplicated++;
        GST_OBJECT_UNLOCK (self);
        ret = gst_pad_push (self->srcpad, copy);
        if (ret != GST_FLOW_OK) {
          self->next++;
          gst_buffer_unref (buffer);
          return ret;
        }
      }
    } else {
      GST_INFO_OBJECT (self, "a hole of %" GST_TIME_FORMAT " in the input: "
          "not filled", GST_TIME_ARGS (slot_time (self, slot) -
              slot_time (self, self->next)));
      discont = TRUE;
    }
  }

  buffer = gst_buffer_make_writable (buffer);
  set_slot (self, buffer, slot, pts, rt);
  if (discont)
    GST_BUFFER_FLAG_SET (buffer, GST_BUFFER_FLAG_DISCONT);
  GST_LOG_OBJECT (self, "running time %" GST_TIME_FORMAT " to slot %"
      G_GUINT64_FORMAT " (%" GST_TIME_FORMAT ")", GST_TIME_ARGS (rt), slot,
      GST_TIME_ARGS (GST_BUFFER_PTS (buffer)));

  push_due_events (self, slot_time (self, slot), rt, GST_BUFFER_PTS (buffer));
  self->next = slot + 1;
  self->have_next = TRUE;
  gst_buffer_replace (&self->prev, buffer);
  return gst_pad_push (self->srcpad, buffer);

unchanged:
  push_events (self);
  return gst_pad_push (self->srcpad, buffer);
}

static gboolean
gst_ladder_retime_sink_event (GstPad * pad, GstObject * parent,
    GstEvent * event)
{
  GstLadderRetime *self = GST_LADDER_RETIME (parent);

  switch (GST_EVENT_TYPE (event)) {
    case GST_EVENT_CUSTOM_DOWNSTREAM:{
      GstClockTime rt = GST_CLOCK_TIME_NONE;

      /* a key unit asked for a running time: held for its frame */
      if (self->fps_n > 0 && gst_video_event_is_force_key_unit (event)
          && gst_video_event_parse_downstream_force_key_unit (event, NULL,
              NULL, &rt, NULL, NULL) && GST_CLOCK_TIME_IS_VALID (rt)) {
        g_queue_push_tail (&self->events, event);
        return TRUE;
      }
      break;
    }
    case GST_EVENT_CAPS:{
      GstCaps *caps;
      gint n = 0, d = 1;

      gst_event_parse_caps (event, &caps);
      if (!gst_structure_get_fraction (gst_caps_get_structure (caps, 0),
              "framerate", &n, &d) || n <= 0 || d <= 0) {
        n = 0;
        d = 1;
      }
      if (n != self->fps_n || d != self->fps_d) {
        GST_INFO_OBJECT (self, "frame grid %d/%d%s", n, d,
            n ? "" : ": none, frames pass unchanged");
        GST_OBJECT_LOCK (self);
        self->fps_n = n;
        self->fps_d = d;
        GST_OBJECT_UNLOCK (self);
        gst_ladder_retime_reset (self);
        /* the latency changes with the frame duration */
        gst_element_post_message (GST_ELEMENT (self),
            gst_message_new_latency (GST_OBJECT (self)));
      }
      break;
    }
    case GST_EVENT_SEGMENT:{
      GstSegment segment;

      gst_event_copy_segment (event, &segment);
      if (segment.format != GST_FORMAT_TIME)
        gst_segment_init (&segment, GST_FORMAT_TIME);
      /* the same segment again (sticky events sent once more) keeps the
       * grid position */
      if (!gst_segment_is_equal (&segment, &self->segment)) {
        self->segment = segment;
        gst_ladder_retime_reset (self);
      }
      break;
    }
    case GST_EVENT_STREAM_START:
      gst_ladder_retime_reset (self);
      break;
    case GST_EVENT_EOS:
      push_events (self);
      gst_ladder_retime_reset (self);
      break;
    case GST_EVENT_FLUSH_STOP:
      g_queue_clear_full (&self->events, (GDestroyNotify) gst_event_unref);
      gst_segment_init (&self->segment, GST_FORMAT_TIME);
      gst_ladder_retime_reset (self);
      break;
    default:
      break;
  }
  return gst_pad_event_default (pad, parent, event);
}

static gboolean
gst_ladder_retime_sink_query (GstPad * pad, GstObject * parent,
    GstQuery * query)
{
  GstLadderRetime *self = GST_LADDER_RETIME (parent);
  guint i, n, size, min, max;
  GstBufferPool *pool;

  if (GST_QUERY_TYPE (query) != GST_QUERY_ALLOCATION)
    return gst_pad_query_default (pad, parent, query);

  if (!gst_pad_peer_query (self->srcpad, query))
    return FALSE;
  /* we keep the last frame for copies: one buffer more than downstream
   * asks for, and no pool of a fixed size (as videorate) */
  n = gst_query_get_n_allocation_pools (query);
  for (i = 0; i < n;) {
    gst_query_parse_nth_allocation_pool (query, i, &pool, &size, &min, &max);
    if (max != 0 && min == max) {
      gst_query_remove_nth_allocation_pool (query, i);
      n--;
    } else {
      gst_query_set_nth_allocation_pool (query, i, pool, size, min + 1, max);
      i++;
    }
    gst_clear_object (&pool);
  }
  return TRUE;
}

/* a frame can go out up to half a frame earlier than it came: that much
 * latency more */
static gboolean
gst_ladder_retime_src_query (GstPad * pad, GstObject * parent, GstQuery * query)
{
  GstLadderRetime *self = GST_LADDER_RETIME (parent);
  GstClockTime min, max, extra = 0;
  gboolean live;

  if (GST_QUERY_TYPE (query) != GST_QUERY_LATENCY)
    return gst_pad_query_default (pad, parent, query);

  if (!gst_pad_peer_query (self->sinkpad, query))
    return FALSE;
  gst_query_parse_latency (query, &live, &min, &max);
  GST_OBJECT_LOCK (self);
  if (self->fps_n > 0)
    extra = gst_util_uint64_scale_ceil (self->fps_d, GST_SECOND,
        2 * (guint64) self->fps_n);
  GST_OBJECT_UNLOCK (self);
  min += extra;
  if (GST_CLOCK_TIME_IS_VALID (max))
    max += extra;
  gst_query_set_latency (query, live, min, max);
  return TRUE;
}

static GstStateChangeReturn
gst_ladder_retime_change_state (GstElement * element, GstStateChange transition)
{
  GstLadderRetime *self = GST_LADDER_RETIME (element);
  GstStateChangeReturn ret;

  ret = GST_ELEMENT_CLASS (gst_ladder_retime_parent_class)->change_state
      (element, transition);

  if (transition == GST_STATE_CHANGE_PAUSED_TO_READY) {
    g_queue_clear_full (&self->events, (GDestroyNotify) gst_event_unref);
    gst_ladder_retime_reset (self);
    gst_segment_init (&self->segment, GST_FORMAT_TIME);
    GST_OBJECT_LOCK (self);
    self->fps_n = 0;
    self->fps_d = 1;
    GST_OBJECT_UNLOCK (self);
  }
  return ret;
}
