/* gst-ladder
 * Copyright (C) 2026 The gst-ladder authors
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2 of the License, or (at your option) any later version.
 */

#pragma once

#include <gst/ladder/ladderrung.h>

G_BEGIN_DECLS

#define GST_TYPE_LADDER_RUNNER (gst_ladder_runner_get_type ())
GST_LADDER_API
G_DECLARE_FINAL_TYPE (GstLadderRunner, gst_ladder_runner, GST, LADDER_RUNNER,
    GstObject);

G_END_DECLS
