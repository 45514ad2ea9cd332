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
/* GstLadderRetime: puts raw video frames on the frame grid of the
 * framerate of their caps (ladderretime.c). Internal to the x264 rung: no
 * element factory. */
#define GST_TYPE_LADDER_RETIME (gst_ladder_retime_get_type ())
G_GNUC_INTERNAL
G_DECLARE_FINAL_TYPE (GstLadderRetime, gst_ladder_retime, GST, LADDER_RETIME,
    GstElement);

/* a hole in the input longer than this is an outage, not jitter: it is
 * not filled with copies (the grid goes on after it, DISCONT) */
#define GST_LADDER_RETIME_MAX_FILL (2 * GST_SECOND)

G_END_DECLS
