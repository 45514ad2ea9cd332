/* gst-ladder
 * Copyright (C) 2026 The gst-ladder authors
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2 of the License, or (at your option) any later version.
 */

#pragma once

#include <gst/gst.h>

G_BEGIN_DECLS

#define GST_TYPE_LADDER_HLS_SINK (gst_ladder_hls_sink_get_type ())
G_DECLARE_FINAL_TYPE (GstLadderHlsSink, gst_ladder_hls_sink, GST,
    LADDER_HLS_SINK, GstBin);

#define GST_TYPE_LADDER_HLS_SINK_PAD (gst_ladder_hls_sink_pad_get_type ())
G_DECLARE_FINAL_TYPE (GstLadderHlsSinkPad, gst_ladder_hls_sink_pad, GST,
    LADDER_HLS_SINK_PAD, GstGhostPad);

GstLadderHlsSinkPad *gst_ladder_hls_sink_pad_new (GstPadTemplate * templ,
    const gchar * name, const gchar * rendition, gboolean is_video);

guint64 gst_ladder_hls_sink_pad_get_configured_bitrate (GstLadderHlsSinkPad *
    pad, const GstCaps * caps);

gchar *gst_ladder_hls_sink_pad_get_codec (GstLadderHlsSinkPad * pad,
    const GstCaps * caps);

G_END_DECLS
