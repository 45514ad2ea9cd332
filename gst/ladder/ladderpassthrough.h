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
 * GST_TYPE_LADDER_PASSTHROUGH:
 *
 * The #GType of #GstLadderPassthrough, the `ladderpassthrough` element.
 *
 * Since: 0.1
 */
#define GST_TYPE_LADDER_PASSTHROUGH (gst_ladder_passthrough_get_type ())
GST_LADDER_API
G_DECLARE_FINAL_TYPE (GstLadderPassthrough, gst_ladder_passthrough, GST,
    LADDER_PASSTHROUGH, GstLadderTranscoder);

/**
 * GstLadderPassthrough:
 *
 * The transcoder that carries a track unchanged (transcoder name
 * "passthrough"): the `source` rung of a video track, and audio into every
 * rendition. An opaque final #GstLadderTranscoder.
 *
 * Since: 0.1
 */

/* registers the element factory "ladderpassthrough" in @plugin (%NULL: as a static
 * element); see gst_ladder_init() */
GST_LADDER_API
GST_ELEMENT_REGISTER_DECLARE (ladderpassthrough);

G_END_DECLS
