/* gst-ladder
 * Copyright (C) 2026 The gst-ladder authors
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2 of the License, or (at your option) any later version.
 */

/**
 * SECTION:laddercut
 * @title: GstLadderCutter
 * @short_description: where the ladder puts its keyframes and segments
 *
 * One decision per source, carried to every rendition as a downstream
 * GstForceKeyUnit event (gst_video_event_new_downstream_force_key_unit(),
 * all-headers set): encoders make their IDR frame there (every
 * #GstVideoEncoder honours the event), parsers put the parameter sets
 * before it, mpegtsmux repeats its tables and passes the event on, and
 * ladderhlssink starts a segment there. The event's count is the segment's
 * sequence number, the same in every rendition.
 */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <gst/video/video.h>

#include "laddercut.h"

/**
 * gst_ladder_cutter_init:
 * @cutter: a #GstLadderCutter
 * @interval: the time between cuts, 0 for none
 * @keyframes_only: cut only on keyframes
 *
 * Sets the policy and forgets every earlier cut.
 *
 * Since: 0.1
 */
void
gst_ladder_cutter_init (GstLadderCutter * cutter, GstClockTime interval,
    gboolean keyframes_only)
{
  g_return_if_fail (cutter != NULL);

  cutter->interval = interval;
  cutter->keyframes_only = keyframes_only;
  gst_ladder_cutter_reset (cutter);
}

/**
 * gst_ladder_cutter_reset:
 * @cutter: a #GstLadderCutter
 *
 * Forgets the earlier cuts (a new stream, a flush): the next eligible frame
 * is cut 0 again. The policy stays.
 *
 * Since: 0.1
 */
void
gst_ladder_cutter_reset (GstLadderCutter * cutter)
{
  g_return_if_fail (cutter != NULL);

  cutter->last_cut = GST_CLOCK_TIME_NONE;
  cutter->count = 0;
  cutter->saw_delta = FALSE;
}

/**
 * gst_ladder_cutter_check:
 * @cutter: a #GstLadderCutter
 * @running_time: the running time of the frame's PTS
 * @duration: the frame's duration, or %GST_CLOCK_TIME_NONE
 * @keyframe: whether the frame is a keyframe (not a delta unit)
 * @cut_time: (out) (optional): the running time of the cut
 * @count: (out) (optional): the sequence number of the segment it starts
 *
 * Decides whether the frame starts a segment, in arrival order. The cut
 * time is the frame's running time, except when frames come in decode
 * order and the frame is past the point it was due: then the cut is at
 * that point, and an encoder makes its keyframe on the first frame shown
 * at or after it.
 *
 * Returns: %TRUE when the frame starts a segment
 *
 * Since: 0.1
 */
gboolean
gst_ladder_cutter_check (GstLadderCutter * cutter, GstClockTime running_time,
    GstClockTime duration, gboolean keyframe, GstClockTime * cut_time,
    guint * count)
{
  GstClockTime due, tolerance, cut;

  g_return_val_if_fail (cutter != NULL, FALSE);

  if (cutter->interval == 0 || !GST_CLOCK_TIME_IS_VALID (running_time))
    return FALSE;
  if (!keyframe)
    cutter->saw_delta = TRUE;
  if (cutter->keyframes_only && !keyframe)
    return FALSE;

  if (!GST_CLOCK_TIME_IS_VALID (cutter->last_cut)) {
    cut = running_time;
    cutter->count = 0;
  } else {
    due = cutter->last_cut + cutter->interval;
    if (cutter->keyframes_only && cutter->saw_delta)
      tolerance = cutter->interval / 4;
    else if (GST_CLOCK_TIME_IS_VALID (duration))
      tolerance = duration / 2;
    else
      tolerance = 0;
    if (running_time + tolerance < due)
      return FALSE;
    /* a frame in decode order past the due point (B-frames): cut at the
     * point, the encoder takes the first frame shown there */
    cut = (!cutter->keyframes_only && running_time > due) ? due : running_time;
    if (cut <= cutter->last_cut)
      cut = running_time;
    cutter->count++;
  }

  cutter->last_cut = cut;
  if (cut_time)
    *cut_time = cut;
  if (count)
    *count = cutter->count;
  return TRUE;
}

/**
 * gst_ladder_cut_event_new:
 * @timestamp: the PTS of the frame that starts the segment, or
 *   %GST_CLOCK_TIME_NONE
 * @running_time: the running time of the cut
 * @count: the segment's sequence number
 *
 * Makes the event that carries a cut downstream: a downstream
 * GstForceKeyUnit event with all-headers set (mpegtsmux and the parsers act
 * only on those).
 *
 * Returns: (transfer full): a new event
 *
 * Since: 0.1
 */
GstEvent *
gst_ladder_cut_event_new (GstClockTime timestamp, GstClockTime running_time,
    guint count)
{
  return gst_video_event_new_downstream_force_key_unit (timestamp,
      GST_CLOCK_TIME_NONE, running_time, TRUE, count);
}

/**
 * gst_ladder_cut_event_parse:
 * @event: an event
 * @running_time: (out) (optional): the running time of the cut
 * @count: (out) (optional): the segment's sequence number
 *
 * Returns: %TRUE when @event is a downstream GstForceKeyUnit event, which
 * the ladder takes as a cut
 *
 * Since: 0.1
 */
gboolean
gst_ladder_cut_event_parse (GstEvent * event, GstClockTime * running_time,
    guint * count)
{
  GstClockTime rt = GST_CLOCK_TIME_NONE;
  guint c = 0;

  g_return_val_if_fail (GST_IS_EVENT (event), FALSE);

  if (GST_EVENT_TYPE (event) != GST_EVENT_CUSTOM_DOWNSTREAM
      || !gst_video_event_is_force_key_unit (event)
      || !gst_video_event_parse_downstream_force_key_unit (event, NULL, NULL,
          &rt, NULL, &c))
    return FALSE;
  if (running_time)
    *running_time = rt;
  if (count)
    *count = c;
  return TRUE;
}

/* ------------------------------------------------------------------------ */
/* the relay around an encoder */

/* A cut on its way through an encoder: asked for at the input, not yet
 * seen at the output. */
typedef struct
{
  GstClockTime running_time;
  guint count;
  gboolean requested;           /* the key unit was asked for */
} RelayCut;

typedef struct
{
  GMutex lock;
  GQueue cuts;                  /* of RelayCut, in order */
} Relay;

static GQuark relay_quark;

static void
relay_free (Relay * relay)
{
  g_queue_clear_full (&relay->cuts, g_free);
  g_mutex_clear (&relay->lock);
  g_free (relay);
}

/* a key unit request of the relay: no running time, so the encoder makes
 * the very next frame a key unit */
static gboolean
is_relay_request (GstEvent * event)
{
  GstClockTime rt = 0;

  return gst_video_event_parse_downstream_force_key_unit (event, NULL, NULL,
      &rt, NULL, NULL) && !GST_CLOCK_TIME_IS_VALID (rt);
}

static GstPadProbeReturn
relay_sink_probe (GstPad * pad, GstPadProbeInfo * info, gpointer user_data)
{
  Relay *relay = user_data;
  GstClockTime rt, pts;
  GstEvent *segment_event;
  const GstSegment *segment;
  GstBuffer *buffer;
  GList *l;
  guint count = 0;
  gboolean request = FALSE;

  if (info->type & GST_PAD_PROBE_TYPE_EVENT_BOTH) {
    GstEvent *event = GST_PAD_PROBE_INFO_EVENT (info);

    if (GST_EVENT_TYPE (event) == GST_EVENT_FLUSH_STOP) {
      g_mutex_lock (&relay->lock);
      g_queue_clear_full (&relay->cuts, g_free);
      g_mutex_unlock (&relay->lock);
      return GST_PAD_PROBE_OK;
    }
    if (!gst_ladder_cut_event_parse (event, &rt, &count)
        || is_relay_request (event))
      return GST_PAD_PROBE_OK;
    if (GST_CLOCK_TIME_IS_VALID (rt)) {
      RelayCut *cut = g_new0 (RelayCut, 1);

      cut->running_time = rt;
      cut->count = count;
      g_mutex_lock (&relay->lock);
      g_queue_push_tail (&relay->cuts, cut);
      g_mutex_unlock (&relay->lock);
    }
    return GST_PAD_PROBE_DROP;
  }

  buffer = GST_PAD_PROBE_INFO_BUFFER (info);
  pts = GST_BUFFER_PTS (buffer);
  if (!GST_CLOCK_TIME_IS_VALID (pts))
    return GST_PAD_PROBE_OK;
  segment_event = gst_pad_get_sticky_event (pad, GST_EVENT_SEGMENT, 0);
  if (segment_event == NULL)
    return GST_PAD_PROBE_OK;
  gst_event_parse_segment (segment_event, &segment);
  rt = gst_segment_to_running_time (segment, GST_FORMAT_TIME, pts);
  gst_event_unref (segment_event);

  /* every cut due by this frame is this frame: one key unit */
  g_mutex_lock (&relay->lock);
  for (l = relay->cuts.head; l; l = l->next) {
    RelayCut *cut = l->data;

    if (cut->requested)
      continue;
    if (!GST_CLOCK_TIME_IS_VALID (rt) || cut->running_time > rt)
      break;
    cut->requested = TRUE;
    count = cut->count;
    request = TRUE;
  }
  g_mutex_unlock (&relay->lock);

  if (request)
    gst_pad_send_event (pad,
        gst_video_event_new_downstream_force_key_unit (GST_CLOCK_TIME_NONE,
            GST_CLOCK_TIME_NONE, GST_CLOCK_TIME_NONE, TRUE, count));
  return GST_PAD_PROBE_OK;
}

static GstPadProbeReturn
relay_src_probe (GstPad * pad, GstPadProbeInfo * info, gpointer user_data)
{
  Relay *relay = user_data;
  GstEvent *event = GST_PAD_PROBE_INFO_EVENT (info);
  GstClockTime timestamp = GST_CLOCK_TIME_NONE, rt = GST_CLOCK_TIME_NONE;
  RelayCut *cut;
  guint count;

  if (!gst_video_event_is_force_key_unit (event)
      || !gst_video_event_parse_downstream_force_key_unit (event, &timestamp,
          NULL, NULL, NULL, &count))
    return GST_PAD_PROBE_OK;

  /* the cuts requested up to this one are out: this key unit carries the
   * last of them, with the running time it was decided at */
  g_mutex_lock (&relay->lock);
  while ((cut = g_queue_peek_head (&relay->cuts)) && cut->requested) {
    gboolean last = cut->count == count;

    rt = cut->running_time;
    g_free (g_queue_pop_head (&relay->cuts));
    if (last)
      break;
  }
  g_mutex_unlock (&relay->lock);

  if (!GST_CLOCK_TIME_IS_VALID (rt))
    return GST_PAD_PROBE_DROP;

  gst_event_unref (event);
  GST_PAD_PROBE_INFO_DATA (info) = gst_ladder_cut_event_new (timestamp, rt,
      count);
  return GST_PAD_PROBE_OK;
}

/**
 * gst_ladder_cut_relay_attach:
 * @encoder: a video encoder element with a `sink` and a `src` pad
 *
 * Makes @encoder put a key unit on the cuts that reach it, and pass the
 * cuts on unchanged. A #GstVideoEncoder honours GstForceKeyUnit events, but
 * in GStreamer 1.22 it compares their running time with its own, which is
 * offset when the encoder shifts its timestamps (x264enc starts them at
 * 1000 hours): then it refuses every cut after the first. The relay asks
 * for the key unit on the frame where a cut is due instead, and restores
 * the cut's running time and count on the event the encoder sends out
 * before that key unit. Call it once per encoder, before it gets data.
 *
 * Since: 0.1
 */
void
gst_ladder_cut_relay_attach (GstElement * encoder)
{
  Relay *relay;
  GstPad *pad;

  g_return_if_fail (GST_IS_ELEMENT (encoder));

  if (relay_quark == 0)
    relay_quark = g_quark_from_static_string ("gst-ladder-cut-relay");
  if (g_object_get_qdata (G_OBJECT (encoder), relay_quark))
    return;

  relay = g_new0 (Relay, 1);
  g_mutex_init (&relay->lock);
  g_queue_init (&relay->cuts);
  g_object_set_qdata_full (G_OBJECT (encoder), relay_quark, relay,
      (GDestroyNotify) relay_free);

  pad = gst_element_get_static_pad (encoder, "sink");
  gst_pad_add_probe (pad, GST_PAD_PROBE_TYPE_BUFFER |
      GST_PAD_PROBE_TYPE_EVENT_DOWNSTREAM | GST_PAD_PROBE_TYPE_EVENT_FLUSH,
      relay_sink_probe, relay, NULL);
  gst_object_unref (pad);
  pad = gst_element_get_static_pad (encoder, "src");
  gst_pad_add_probe (pad, GST_PAD_PROBE_TYPE_EVENT_DOWNSTREAM,
      relay_src_probe, relay, NULL);
  gst_object_unref (pad);
}
