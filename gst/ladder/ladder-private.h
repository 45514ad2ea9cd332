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

/* What the parts of libgstladder share that is not API. */

#pragma once

#include <gst/gst.h>

G_BEGIN_DECLS
    G_GNUC_INTERNAL
    gboolean gst_ladder_upstream_is_live (GstPad * sinkpad, gboolean unknown);

G_END_DECLS
