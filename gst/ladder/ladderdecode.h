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
 * GST_TYPE_LADDER_DECODE:
 *
 * The #GType of #GstLadderDecode, the `ladderdecode` element.
 *
 * Since: 0.1
 */
#define GST_TYPE_LADDER_DECODE (gst_ladder_decode_get_type ())
GST_LADDER_API
G_DECLARE_FINAL_TYPE (GstLadderDecode, gst_ladder_decode, GST, LADDER_DECODE,
    GstLadderTranscoder);

/**
 * GstLadderDecode:
 *
 * The transcoder that decodes encoded video into raw video (transcoder
 * name "decode"): the shared decode of an encoded source, which feeds
 * every rung that needs raw video, and the decoder in front of a
 * standalone `ladderx264` given encoded input. An opaque final
 * #GstLadderTranscoder.
 *
 * Since: 0.1
 */

GST_LADDER_API GstLadderRendition * gst_ladder_decode_rendition_new (void);

/* registers the element factory "ladderdecode" in @plugin (%NULL: as a
 * static element); see gst_ladder_init() */
GST_LADDER_API GST_ELEMENT_REGISTER_DECLARE (ladderdecode);

G_END_DECLS
