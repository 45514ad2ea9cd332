/* gst-ladder
 * Copyright (C) 2026 The gst-ladder authors
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2 of the License, or (at your option) any later version.
 */

#pragma once

#include <gst/ladder/ladder-prelude.h>

G_BEGIN_DECLS
/**
 * GstLadderCutter:
 * @interval: the time between cuts (the segment duration of the ladder);
 *   0 makes no cuts
 * @keyframes_only: cut only on keyframes of the stream (a passthrough
 *   rendition needs this); otherwise any frame can start a segment
 *
 * The keyframe policy of the ladder: decides, once per source, which frames
 * start a segment. Every rendition, transcoded or passed through, puts its
 * keyframes and its segment boundaries on those frames (docs/design.md,
 * "One keyframe policy").
 *
 * Feed it every frame of one stream in arrival order with
 * gst_ladder_cutter_check(). A frame that starts a segment gets a cut: its
 * running time and a sequence number counted from 0 at the first cut, which
 * go downstream as a #GstEvent made by gst_ladder_cut_event_new() just
 * before the frame.
 *
 * The rule:
 * - the first frame eligible starts segment 0;
 * - a frame is eligible when it is a keyframe or when @keyframes_only is
 *   %FALSE;
 * - an eligible frame starts the next segment once its running time reaches
 *   the last cut plus @interval, less a tolerance: half a frame, or, for a
 *   stream with delta frames cut on its keyframes, a quarter of @interval
 *   (so that a source whose GOP is a frame shorter than @interval does not
 *   make segments of two GOPs).
 *
 * The fields below @keyframes_only are private state.
 *
 * Since: 0.1
 */
    typedef struct
{
  GstClockTime interval;
  gboolean keyframes_only;

  /*< private > */
  GstClockTime last_cut;
  guint count;
  gboolean saw_delta;
  gpointer _gst_reserved[GST_PADDING];
} GstLadderCutter;

GST_LADDER_API
    void gst_ladder_cutter_init (GstLadderCutter * cutter,
    GstClockTime interval, gboolean keyframes_only);

GST_LADDER_API void gst_ladder_cutter_reset (GstLadderCutter * cutter);

GST_LADDER_API
    gboolean gst_ladder_cutter_check (GstLadderCutter * cutter,
    GstClockTime running_time, GstClockTime duration, gboolean keyframe,
    GstClockTime * cut_time, guint * count);

GST_LADDER_API
    GstEvent * gst_ladder_cut_event_new (GstClockTime timestamp,
    GstClockTime running_time, guint count);

GST_LADDER_API
    gboolean gst_ladder_cut_event_parse (GstEvent * event,
    GstClockTime * running_time, guint * count);

GST_LADDER_API void gst_ladder_cut_relay_attach (GstElement * encoder);

G_END_DECLS
