/* gst-ladder
 * Copyright (C) 2026 The gst-ladder authors
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2 of the License, or (at your option) any later version.
 */

#pragma once

#include "ladderdecode.h"

G_BEGIN_DECLS

G_GNUC_INTERNAL
gboolean gst_ladder_decode_caps_are_encoded (const GstCaps * caps);

G_GNUC_INTERNAL
gboolean gst_ladder_decode_check_input (GstElement * poster,
    const GstCaps * caps, GError ** error);

G_END_DECLS
