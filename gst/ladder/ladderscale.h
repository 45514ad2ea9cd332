/* gst-ladder
 * Copyright (C) 2026 The gst-ladder authors
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2 of the License, or (at your option) any later version.
 */

#pragma once

#include <gst/video/video.h>
#include <gst/video/gstvideofilter.h>
#include <gst/ladder/ladder-prelude.h>

G_BEGIN_DECLS
/**
 * GstLadderScaleMethod:
 * @GST_LADDER_SCALE_METHOD_LANCZOS: Lanczos, 3 lobes: the sharpest, ~1.5x
 *   the cost of bicubic
 * @GST_LADDER_SCALE_METHOD_BICUBIC: cubic with B = 0, C = 0.6 (Keys
 *   a = -0.6), slightly sharper than Catmull-Rom
 *
 * The filter of #GstLadderScale. When downscaling, the kernel is widened by
 * the scale factor (it low-passes at the output resolution).
 *
 * Since: 0.1
 */
    typedef enum
{
  GST_LADDER_SCALE_METHOD_LANCZOS,
  GST_LADDER_SCALE_METHOD_BICUBIC,
} GstLadderScaleMethod;

/**
 * GstLadderScaleChromaSiting:
 * @GST_LADDER_SCALE_CHROMA_SITING_AUTO: use the chroma-site of the caps
 *   (co-sited "mpeg2" or centred "jpeg")
 * @GST_LADDER_SCALE_CHROMA_SITING_CENTRE: treat chroma samples as centred
 *   between their luma samples whatever the caps say, as FFmpeg's swscale
 *   does by default
 *
 * Where #GstLadderScale assumes the chroma samples of subsampled planes to
 * sit. The output caps keep the input chroma-site either way.
 *
 * Since: 0.1
 */
typedef enum
{
  GST_LADDER_SCALE_CHROMA_SITING_AUTO,
  GST_LADDER_SCALE_CHROMA_SITING_CENTRE,
} GstLadderScaleChromaSiting;

/**
 * GST_TYPE_LADDER_SCALE:
 *
 * The #GType of #GstLadderScale, the `ladderscale` element.
 *
 * Since: 0.1
 */
#define GST_TYPE_LADDER_SCALE (gst_ladder_scale_get_type ())
GST_LADDER_API
G_DECLARE_FINAL_TYPE (GstLadderScale, gst_ladder_scale, GST, LADDER_SCALE,
    GstVideoFilter);

/**
 * GstLadderScale:
 *
 * A planar 8-bit video scaler (I420, YV12, Y42B, Y444, GRAY8) built for
 * ABR ladders: a vectorised Lanczos or bicubic polyphase filter, no format
 * conversion, no borders. Opaque; see the `method` and `chroma-siting`
 * properties.
 *
 * Since: 0.1
 */

/* registers the element factory "ladderscale" in @plugin (%NULL: as a static
 * element); see gst_ladder_init() */
GST_LADDER_API
GST_ELEMENT_REGISTER_DECLARE (ladderscale);

G_END_DECLS
