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

G_BEGIN_DECLS

/**
 * GST_TYPE_LADDER_X264:
 *
 * The #GType of #GstLadderX264, the `ladderx264` element.
 *
 * Since: 0.1
 */
#define GST_TYPE_LADDER_X264 (gst_ladder_x264_get_type ())
GST_LADDER_API
G_DECLARE_FINAL_TYPE (GstLadderX264, gst_ladder_x264, GST, LADDER_X264,
    GstLadderTranscoder);

/**
 * GstLadderX264:
 *
 * The software H.264 transcoder (transcoder name "x264"): decodes when the
 * input is encoded, scales into the rendition box, encodes with x264enc
 * with keyframes on a grid shared by every rung. An opaque final
 * #GstLadderTranscoder; see the `speed-preset`, `threads` and
 * `allow-upscale` properties.
 *
 * Since: 0.1
 */

/* registers the element factory "ladderx264" in @plugin (%NULL: as a static
 * element); see gst_ladder_init() */
GST_LADDER_API
GST_ELEMENT_REGISTER_DECLARE (ladderx264);

G_END_DECLS
