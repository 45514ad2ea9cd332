/* gst-ladder
 * Copyright (C) 2026 The gst-ladder authors
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2 of the License, or (at your option) any later version.
 */

#pragma once

#include <gst/ladder/laddertranscoder.h>
#include <gst/ladder/laddermessage.h>

G_BEGIN_DECLS

/**
 * GST_LADDER_RUNG_KEY_SEPARATOR:
 *
 * The character between the parts of a rung key string
 * (`transcoder:rendition:track:broadcast`), see gst_ladder_rung_key_new().
 *
 * Since: 0.1
 */
#define GST_LADDER_RUNG_KEY_SEPARATOR ':'

#define GST_TYPE_LADDER_RUNG (gst_ladder_rung_get_type ())
GST_LADDER_API
G_DECLARE_FINAL_TYPE (GstLadderRung, gst_ladder_rung, GST, LADDER_RUNG, GstBin);

GST_LADDER_API
gchar *gst_ladder_rung_key_new (const gchar * transcoder,
    const gchar * rendition, const gchar * broadcast, const gchar * track);

GST_LADDER_API
GstLadderRung *gst_ladder_rung_new (GType transcoder_type,
    const GstLadderRendition * rendition, const gchar * broadcast,
    const gchar * track, const GstCaps * caps, GError ** error);

GST_LADDER_API
const gchar *gst_ladder_rung_get_key (GstLadderRung * self);

GST_LADDER_API
const gchar *gst_ladder_rung_get_transcoder_name (GstLadderRung * self);

GST_LADDER_API
const gchar *gst_ladder_rung_get_rendition_name (GstLadderRung * self);

GST_LADDER_API
const gchar *gst_ladder_rung_get_broadcast (GstLadderRung * self);

GST_LADDER_API
const gchar *gst_ladder_rung_get_track (GstLadderRung * self);

GST_LADDER_API
GstElement *gst_ladder_rung_get_transcoder (GstLadderRung * self);

GST_LADDER_API
GstLadderPhase gst_ladder_rung_get_phase (GstLadderRung * self);

GST_LADDER_API
void gst_ladder_rung_get_counters (GstLadderRung * self,
    guint64 * fragments_in, guint64 * fragments_out, guint64 * bytes_in,
    guint64 * bytes_out);

GST_LADDER_API
gboolean gst_ladder_rung_has_faulted (GstLadderRung * self);

GST_LADDER_API
void gst_ladder_rung_drain (GstLadderRung * self);

G_END_DECLS
