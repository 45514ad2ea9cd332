/* gst-ladder
 * Copyright (C) 2026 The gst-ladder authors
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2 of the License, or (at your option) any later version.
 *
 * This library is distributed in the hope that it will be useful,
 * but WITHOUT ANY WARRANTY; without even the implied warranty of
 * MERCHANTABILITY or FITNESS FOR A PARTICULAR PURPOSE.  See the GNU
 * Library General Public License for more details.
 */

/* The end of one output of the ladder element (gstladderoutput.c). */

#pragma once

#include <gst/gst.h>

G_BEGIN_DECLS
#define GST_TYPE_LADDER_OUTPUT (gst_ladder_output_get_type ())
G_DECLARE_FINAL_TYPE (GstLadderOutput, gst_ladder_output, GST, LADDER_OUTPUT,
    GstBin);

G_GNUC_INTERNAL
    GstElement * gst_ladder_output_new (const gchar * rendition,
    const gchar * track, const GstCaps * expected, GstPad * input);

G_END_DECLS
