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

#define GST_TYPE_LADDER_RUNG (gst_ladder_rung_get_type ())
GST_LADDER_API
G_DECLARE_FINAL_TYPE (GstLadderRung, gst_ladder_rung, GST, LADDER_RUNG, GstBin);

G_END_DECLS
