/* gst-ladder
 * Copyright (C) 2026 The gst-ladder authors
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2 of the License, or (at your option) any later version.
 */

/**
 * SECTION:gstladder
 * @title: gst-ladder
 * @short_description: live adaptive-bitrate ladders for GStreamer
 *
 * The umbrella header of libgstladder-1.0. Call gst_ladder_init() once after
 * gst_init() to register the element types with the application's registry
 * when the plugin is not installed.
 */

#pragma once

#include <gst/ladder/ladder-prelude.h>
#include <gst/ladder/ladder-enumtypes.h>
#include <gst/ladder/laddererror.h>
#include <gst/ladder/ladderrendition.h>
#include <gst/ladder/ladderdiff.h>
#include <gst/ladder/laddermessage.h>
#include <gst/ladder/ladderbroadcaster.h>
#include <gst/ladder/laddercut.h>
#include <gst/ladder/laddertranscoder.h>
#include <gst/ladder/ladderpassthrough.h>
#include <gst/ladder/ladderdecode.h>
#include <gst/ladder/ladderresize.h>
#include <gst/ladder/ladderx264.h>
#include <gst/ladder/ladderrung.h>
#include <gst/ladder/ladderrunner.h>
#include <gst/ladder/ladderscale.h>

G_BEGIN_DECLS

GST_LADDER_API
gboolean gst_ladder_init (void);

G_END_DECLS
