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
#include <gst/codecparsers/gsth264parser.h>

G_BEGIN_DECLS
/* Internal to the plugin: the RFC 6381 codec strings of ladderhlssink's
 * CODECS attribute. */
    GstBuffer * ladder_h264_find_sps (GstH264NalParser * parser,
    GstBuffer * buffer);

gchar *ladder_codec_string_from_caps (const GstCaps * caps, GstBuffer * sps);

gboolean ladder_codec_string_is_complete (const gchar * codec);

G_END_DECLS
