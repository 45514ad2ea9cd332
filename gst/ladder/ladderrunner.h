/* gst-ladder
 * Copyright (C) 2026 The gst-ladder authors
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2 of the License, or (at your option) any later version.
 */

#pragma once

#include <gst/ladder/ladderrung.h>

G_BEGIN_DECLS

/**
 * GST_LADDER_RUNNER_DEFAULT_STATS_INTERVAL:
 *
 * The default `stats-interval`: one `ladder-stats` message a second.
 *
 * Since: 0.1
 */
#define GST_LADDER_RUNNER_DEFAULT_STATS_INTERVAL (GST_SECOND)

/**
 * GST_LADDER_RUNNER_DEFAULT_CUT_INTERVAL:
 *
 * Default #GstLadderRunner:cut-interval: 2 seconds, the ladder's default
 * segment duration and keyframe interval.
 *
 * Since: 0.1
 */
#define GST_LADDER_RUNNER_DEFAULT_CUT_INTERVAL (2 * GST_SECOND)

/**
 * GST_LADDER_RUNNER_DEFAULT_RESTART_DELAY:
 *
 * The default `restart-delay`: the delay before the first restart of a
 * failed rung; it doubles with each quick failure.
 *
 * Since: 0.1
 */
#define GST_LADDER_RUNNER_DEFAULT_RESTART_DELAY (500 * GST_MSECOND)

/**
 * GST_LADDER_RUNNER_DEFAULT_MAX_RESTART_DELAY:
 *
 * The default `max-restart-delay`: the longest delay between restarts.
 *
 * Since: 0.1
 */
#define GST_LADDER_RUNNER_DEFAULT_MAX_RESTART_DELAY (30 * GST_SECOND)

/**
 * GST_LADDER_RUNNER_QUICK_FAILURE:
 *
 * A rung that fails within this time of its start failed quickly; three
 * quick failures in a row (%GST_LADDER_RUNNER_QUICK_FAILURES) mark its key
 * degraded.
 *
 * Since: 0.1
 */
#define GST_LADDER_RUNNER_QUICK_FAILURE (30 * GST_SECOND)

/**
 * GST_LADDER_RUNNER_QUICK_FAILURES:
 *
 * How many quick failures in a row mark a rung key degraded.
 *
 * Since: 0.1
 */
#define GST_LADDER_RUNNER_QUICK_FAILURES 3

/**
 * GST_LADDER_RUNNER_DRAIN_TIMEOUT:
 *
 * How long a drained removal waits for the EOS to come out of a rung
 * before it aborts the rung.
 *
 * Since: 0.1
 */
#define GST_LADDER_RUNNER_DRAIN_TIMEOUT (5 * GST_SECOND)

#define GST_TYPE_LADDER_RUNNER (gst_ladder_runner_get_type ())
GST_LADDER_API
G_DECLARE_FINAL_TYPE (GstLadderRunner, gst_ladder_runner, GST, LADDER_RUNNER,
    GstObject);

GST_LADDER_API
GstLadderRunner *gst_ladder_runner_new (void);

GST_LADDER_API
gboolean gst_ladder_runner_add_transcoder (GstLadderRunner * self,
    GType transcoder_type, GError ** error);

GST_LADDER_API
gboolean gst_ladder_runner_add_ladder (GstLadderRunner * self,
    GType transcoder_type, const GPtrArray * renditions, GError ** error);

GST_LADDER_API
gboolean gst_ladder_runner_add_rendition (GstLadderRunner * self,
    GType transcoder_type, const GstLadderRendition * rendition,
    GError ** error);

GST_LADDER_API
gboolean gst_ladder_runner_add_rendition_for_track (GstLadderRunner * self,
    GType transcoder_type, const GstLadderRendition * rendition,
    const gchar * track, GError ** error);

GST_LADDER_API
gboolean gst_ladder_runner_remove_rendition (GstLadderRunner * self,
    const gchar * name, gboolean drain, guint * n_rungs, GError ** error);

GST_LADDER_API
GPtrArray *gst_ladder_runner_list_renditions (GstLadderRunner * self);

GST_LADDER_API
GPtrArray *gst_ladder_runner_list_keys (GstLadderRunner * self);

GST_LADDER_API
GstStructure *gst_ladder_runner_get_stats (GstLadderRunner * self,
    const gchar * key, GError ** error);

GST_LADDER_API
GPtrArray *gst_ladder_runner_get_all_stats (GstLadderRunner * self);

GST_LADDER_API
gboolean gst_ladder_runner_restart (GstLadderRunner * self, const gchar * key,
    GError ** error);

GST_LADDER_API
gboolean gst_ladder_runner_install (GstLadderRunner * self, GstBin * bin,
    GError ** error);

GST_LADDER_API
gboolean gst_ladder_runner_uninstall (GstLadderRunner * self, GError ** error);

GST_LADDER_API
GstBin *gst_ladder_runner_get_bin (GstLadderRunner * self);

G_END_DECLS
