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
 * GST_TYPE_LADDER_RESIZE:
 *
 * The #GType of #GstLadderResize.
 *
 * Since: 0.1
 */
#define GST_TYPE_LADDER_RESIZE (gst_ladder_resize_get_type ())
GST_LADDER_API
G_DECLARE_FINAL_TYPE (GstLadderResize, gst_ladder_resize, GST, LADDER_RESIZE,
    GstLadderTranscoder);

/**
 * GstLadderResize:
 *
 * The transcoder that scales raw video to one size (transcoder name
 * "resize"): a step of the scaling cascade, whose output feeds the rungs
 * of that size and the resize steps below it. Its rendition carries the
 * size (gst_ladder_resize_rendition_new()). An opaque final
 * #GstLadderTranscoder, with a `chroma-siting` property as ladderx264's.
 *
 * Since: 0.1
 */

GST_LADDER_API
    GstLadderRendition * gst_ladder_resize_rendition_new (gint width,
    gint height);

G_END_DECLS
