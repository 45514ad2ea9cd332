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
#include <gst/ladder/ladderbroadcaster.h>
#include <gst/ladder/ladderrendition.h>

G_BEGIN_DECLS

/**
 * GstLadderMessageType:
 * @GST_LADDER_MESSAGE_NONE: not a gst-ladder message.
 * @GST_LADDER_MESSAGE_PANIC: `ladder-panic`: a rung failed.
 * @GST_LADDER_MESSAGE_STATS: `ladder-stats`: periodic per-rung figures.
 * @GST_LADDER_MESSAGE_RENDITION_ADDED: `ladder-rendition-added`.
 * @GST_LADDER_MESSAGE_RENDITION_REMOVED: `ladder-rendition-removed`.
 * @GST_LADDER_MESSAGE_BROADCASTER_STATE: `ladder-broadcaster-state`: a
 *   broadcaster went idle, started publishing or ended.
 * @GST_LADDER_MESSAGE_BROADCASTER_LAG: `ladder-broadcaster-lag`: a lagging
 *   src pad dropped a GOP.
 * @GST_LADDER_MESSAGE_BROADCASTER_EVICTED: `ladder-broadcaster-evicted`: a
 *   src pad lagged past `max-lag` and receives nothing more.
 * @GST_LADDER_MESSAGE_BROADCASTER_IDLE: `ladder-broadcaster-idle`: no data
 *   for `idle-timeout`.
 *
 * The element messages gst-ladder posts; see gst_ladder_message_get_type().
 *
 * Since: 0.1
 */
typedef enum
{
  GST_LADDER_MESSAGE_NONE,
  GST_LADDER_MESSAGE_PANIC,
  GST_LADDER_MESSAGE_STATS,
  GST_LADDER_MESSAGE_RENDITION_ADDED,
  GST_LADDER_MESSAGE_RENDITION_REMOVED,
  GST_LADDER_MESSAGE_BROADCASTER_STATE,
  GST_LADDER_MESSAGE_BROADCASTER_LAG,
  GST_LADDER_MESSAGE_BROADCASTER_EVICTED,
  GST_LADDER_MESSAGE_BROADCASTER_IDLE,
} GstLadderMessageType;

/**
 * GstLadderPhase:
 * @GST_LADDER_PHASE_START: the rung failed while starting.
 * @GST_LADDER_PHASE_FRAGMENT: the rung failed while processing data.
 * @GST_LADDER_PHASE_STOP: the rung failed while stopping.
 *
 * When a rung failed, the `phase` field of `ladder-panic`.
 *
 * Since: 0.1
 */
typedef enum
{
  GST_LADDER_PHASE_START,
  GST_LADDER_PHASE_FRAGMENT,
  GST_LADDER_PHASE_STOP,
} GstLadderPhase;

/**
 * GstLadderRungState:
 * @GST_LADDER_RUNG_STATE_STARTING: created, no output yet.
 * @GST_LADDER_RUNG_STATE_RUNNING: producing output.
 * @GST_LADDER_RUNG_STATE_RESTARTING: failed, waiting for its restart.
 * @GST_LADDER_RUNG_STATE_DEGRADED: failed too often; not restarted.
 * @GST_LADDER_RUNG_STATE_STOPPED: removed or ended.
 * @GST_LADDER_RUNG_STATE_DRAINING: being removed: the EOS goes through
 *   the rung and out of its output before it goes.
 *
 * The life of one rung key, the `state` field of `ladder-stats` entries.
 *
 * Since: 0.1
 */
typedef enum
{
  GST_LADDER_RUNG_STATE_STARTING,
  GST_LADDER_RUNG_STATE_RUNNING,
  GST_LADDER_RUNG_STATE_RESTARTING,
  GST_LADDER_RUNG_STATE_DEGRADED,
  GST_LADDER_RUNG_STATE_STOPPED,
  GST_LADDER_RUNG_STATE_DRAINING,
} GstLadderRungState;

/* message names */
#define GST_LADDER_MESSAGE_NAME_PANIC               "ladder-panic"
#define GST_LADDER_MESSAGE_NAME_STATS               "ladder-stats"
#define GST_LADDER_MESSAGE_NAME_RENDITION_ADDED     "ladder-rendition-added"
#define GST_LADDER_MESSAGE_NAME_RENDITION_REMOVED   "ladder-rendition-removed"
#define GST_LADDER_MESSAGE_NAME_BROADCASTER_STATE   "ladder-broadcaster-state"
#define GST_LADDER_MESSAGE_NAME_BROADCASTER_LAG     "ladder-broadcaster-lag"
#define GST_LADDER_MESSAGE_NAME_BROADCASTER_EVICTED "ladder-broadcaster-evicted"
#define GST_LADDER_MESSAGE_NAME_BROADCASTER_IDLE    "ladder-broadcaster-idle"

/* the structure name of one entry of the `rungs` list of ladder-stats */
#define GST_LADDER_RUNG_STATS_NAME "ladder-rung-stats"

/* Field names of one entry of the `rungs` list of ladder-stats
 * (gst_ladder_rung_stats_new()), beside the message that carries them */
#define GST_LADDER_STATS_TRANSCODER    "transcoder"
#define GST_LADDER_STATS_RENDITION     "rendition"
#define GST_LADDER_STATS_BROADCAST     "broadcast"
#define GST_LADDER_STATS_TRACK         "track"
#define GST_LADDER_STATS_STATE         "state"
#define GST_LADDER_STATS_FRAGMENTS_IN  "fragments-in"
#define GST_LADDER_STATS_FRAGMENTS_OUT "fragments-out"
#define GST_LADDER_STATS_BYTES_IN      "bytes-in"
#define GST_LADDER_STATS_BYTES_OUT     "bytes-out"
#define GST_LADDER_STATS_DROPS         "drops"
#define GST_LADDER_STATS_PANICS        "panics"
#define GST_LADDER_STATS_RESTARTS      "restarts"
#define GST_LADDER_STATS_BITRATE       "bitrate"
#define GST_LADDER_STATS_FPS           "fps"
#define GST_LADDER_STATS_KEY           "key"

GST_LADDER_API
GstLadderMessageType gst_ladder_message_get_type (GstMessage * message);

GST_LADDER_API
const gchar *gst_ladder_message_type_get_name (GstLadderMessageType type);

/* ladder-panic */
GST_LADDER_API
GstMessage *gst_ladder_message_new_panic (GstObject * src,
    const gchar * transcoder, const gchar * rendition, const gchar * broadcast,
    const gchar * track, GstLadderPhase phase, const GError * error,
    const gchar * debug, guint panics, GstClockTime restart_delay);

GST_LADDER_API
gboolean gst_ladder_message_parse_panic (GstMessage * message,
    gchar ** transcoder, gchar ** rendition, gchar ** broadcast,
    gchar ** track, GstLadderPhase * phase, GError ** error, gchar ** debug,
    guint * panics, GstClockTime * restart_delay, gboolean * degraded);

/* ladder-stats */
GST_LADDER_API
GstMessage *gst_ladder_message_new_stats (GstObject * src, GPtrArray * rungs);

GST_LADDER_API
gboolean gst_ladder_message_parse_stats (GstMessage * message,
    GPtrArray ** rungs);

GST_LADDER_API
GstStructure *gst_ladder_rung_stats_new (const gchar * transcoder,
    const gchar * rendition, const gchar * broadcast, const gchar * track,
    GstLadderRungState state);

/* ladder-rendition-added / ladder-rendition-removed */
GST_LADDER_API
GstMessage *gst_ladder_message_new_rendition_added (GstObject * src,
    const GstLadderRendition * rendition, const gchar * transcoder,
    guint rungs);

GST_LADDER_API
gboolean gst_ladder_message_parse_rendition_added (GstMessage * message,
    GstLadderRendition ** rendition, gchar ** transcoder, guint * rungs);

GST_LADDER_API
GstMessage *gst_ladder_message_new_rendition_removed (GstObject * src,
    const gchar * rendition, guint rungs, gboolean drained);

GST_LADDER_API
gboolean gst_ladder_message_parse_rendition_removed (GstMessage * message,
    gchar ** rendition, guint * rungs, gboolean * drained);

/* broadcaster notices */
GST_LADDER_API
GstMessage *gst_ladder_message_new_broadcaster_state (GstObject * src,
    const gchar * broadcast, const gchar * track,
    GstLadderBroadcasterState state);

GST_LADDER_API
gboolean gst_ladder_message_parse_broadcaster_state (GstMessage * message,
    gchar ** broadcast, gchar ** track, GstLadderBroadcasterState * state);

GST_LADDER_API
GstMessage *gst_ladder_message_new_broadcaster_lag (GstObject * src,
    const gchar * broadcast, const gchar * track, const gchar * pad,
    guint64 dropped_buffers, guint64 dropped_gops, GstClockTime lag);

GST_LADDER_API
gboolean gst_ladder_message_parse_broadcaster_lag (GstMessage * message,
    gchar ** broadcast, gchar ** track, gchar ** pad,
    guint64 * dropped_buffers, guint64 * dropped_gops, GstClockTime * lag);

GST_LADDER_API
GstMessage *gst_ladder_message_new_broadcaster_evicted (GstObject * src,
    const gchar * broadcast, const gchar * track, const gchar * pad,
    GstClockTime lag);

GST_LADDER_API
gboolean gst_ladder_message_parse_broadcaster_evicted (GstMessage * message,
    gchar ** broadcast, gchar ** track, gchar ** pad, GstClockTime * lag);

GST_LADDER_API
GstMessage *gst_ladder_message_new_broadcaster_idle (GstObject * src,
    const gchar * broadcast, const gchar * track, GstClockTime idle);

GST_LADDER_API
gboolean gst_ladder_message_parse_broadcaster_idle (GstMessage * message,
    gchar ** broadcast, gchar ** track, GstClockTime * idle);

G_END_DECLS
