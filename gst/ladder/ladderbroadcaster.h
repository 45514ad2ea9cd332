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
 * GstLadderBroadcasterStartPolicy:
 * @GST_LADDER_BROADCASTER_START_GOP_CACHE: a new pad is handed the cached
 *   GOP (the last keyframe and the deltas after it) at once.
 * @GST_LADDER_BROADCASTER_START_NEXT_KEYFRAME: a new pad receives nothing
 *   until the next keyframe arrives.
 *
 * How a src pad requested while data flows starts. Either way it never
 * receives a delta unit first.
 *
 * Since: 0.1
 */
typedef enum
{
  GST_LADDER_BROADCASTER_START_GOP_CACHE,
  GST_LADDER_BROADCASTER_START_NEXT_KEYFRAME,
} GstLadderBroadcasterStartPolicy;

/**
 * GstLadderBroadcasterLagPolicy:
 * @GST_LADDER_BROADCASTER_LAG_AUTO: drop for a live upstream, block for a
 *   non-live one (decided from the latency query).
 * @GST_LADDER_BROADCASTER_LAG_DROP: a full pad queue drops whole GOPs and
 *   resumes at the next keyframe; past `max-lag` the pad is evicted.
 * @GST_LADDER_BROADCASTER_LAG_BLOCK: a full pad queue blocks the source
 *   (back-pressure); nothing is ever dropped.
 *
 * What a src pad whose queue is full does.
 *
 * Since: 0.1
 */
typedef enum
{
  GST_LADDER_BROADCASTER_LAG_AUTO,
  GST_LADDER_BROADCASTER_LAG_DROP,
  GST_LADDER_BROADCASTER_LAG_BLOCK,
} GstLadderBroadcasterLagPolicy;

/**
 * GstLadderBroadcasterState:
 * @GST_LADDER_BROADCASTER_STATE_IDLE: no data has arrived yet, or the
 *   source stalled for longer than `idle-timeout`.
 * @GST_LADDER_BROADCASTER_STATE_PUBLISHING: data flows.
 * @GST_LADDER_BROADCASTER_STATE_ENDED: EOS was received.
 *
 * The publishing state of a broadcaster, the `state` property; every
 * change posts a `ladder-broadcaster-state` element message.
 *
 * Since: 0.1
 */
typedef enum
{
  GST_LADDER_BROADCASTER_STATE_IDLE,
  GST_LADDER_BROADCASTER_STATE_PUBLISHING,
  GST_LADDER_BROADCASTER_STATE_ENDED,
} GstLadderBroadcasterState;

#define GST_TYPE_LADDER_BROADCASTER (gst_ladder_broadcaster_get_type ())
GST_LADDER_API
G_DECLARE_FINAL_TYPE (GstLadderBroadcaster, gst_ladder_broadcaster, GST,
    LADDER_BROADCASTER, GstElement);

GST_LADDER_API
gchar *gst_ladder_broadcaster_get_broadcast (GstLadderBroadcaster * self);

GST_LADDER_API
gchar *gst_ladder_broadcaster_get_track (GstLadderBroadcaster * self);

GST_LADDER_API
GstLadderBroadcasterState gst_ladder_broadcaster_get_state (GstLadderBroadcaster * self);

GST_LADDER_API
GstStructure *gst_ladder_broadcaster_get_stats (GstLadderBroadcaster * self);

/* registers the element factory "ladderbroadcaster" in @plugin (%NULL: as a static
 * element); see gst_ladder_init() */
GST_LADDER_API
GST_ELEMENT_REGISTER_DECLARE (ladderbroadcaster);

G_END_DECLS
