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
/* Internal to the plugin: the multivariant (master) playlist of
 * ladderhlssink. */
/**
 * LadderVariant:
 * @uri: the media playlist, relative to the multivariant playlist.
 * @bandwidth: BANDWIDTH, peak bits/s (0 is written as 0).
 * @average_bandwidth: AVERAGE-BANDWIDTH, bits/s, or 0 to leave it out.
 * @width: RESOLUTION width, or 0 to leave RESOLUTION out.
 * @height: RESOLUTION height.
 * @fps_n: FRAME-RATE numerator, or 0 to leave FRAME-RATE out.
 * @fps_d: FRAME-RATE denominator.
 * @codecs: CODECS, or %NULL to leave it out.
 * @independent: every segment decodes on its own (keyframe and parameter
 *   sets first).
 *
 * One `#EXT-X-STREAM-INF` entry.
 */
    typedef struct
{
  gchar *uri;
  guint64 bandwidth;
  guint64 average_bandwidth;
  gint width;
  gint height;
  gint fps_n;
  gint fps_d;
  gchar *codecs;
  gboolean independent;
} LadderVariant;

#define LADDER_MULTIVARIANT_VERSION 3

LadderVariant *ladder_variant_new (const gchar * uri);

void ladder_variant_free (LadderVariant * variant);

gchar *ladder_multivariant_render (GPtrArray * variants);

G_END_DECLS
