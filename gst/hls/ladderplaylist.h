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
#include <gio/gio.h>

G_BEGIN_DECLS
/* Internal to the plugin: the multivariant (master) playlist writer of
 * ladderhlssink, atomic file writes, and the RFC 6381 codec strings. */
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

#define LADDER_PLAYLIST_VERSION 3

LadderVariant *ladder_variant_new (const gchar * uri);

void ladder_variant_free (LadderVariant * variant);

gchar *ladder_playlist_render_multivariant (GPtrArray * variants);

gboolean ladder_playlist_write_atomic (const gchar * path,
    const gchar * contents, gssize length, GError ** error);

/**
 * LadderPlaylistWrittenFunc:
 * @contents: what was written, not NUL-terminated
 * @length: its length in bytes
 * @user_data: the data given with the function
 *
 * Called by an atomic output stream once its contents are in place.
 */
typedef void (*LadderPlaylistWrittenFunc) (const gchar * contents,
    gsize length, gpointer user_data);

GOutputStream *ladder_atomic_output_stream_new (const gchar * path,
    LadderPlaylistWrittenFunc written, gpointer user_data,
    GDestroyNotify notify);

gboolean ladder_playlist_is_ended (const gchar * contents, gsize length);

GstBuffer *ladder_h264_find_sps (GstBuffer * buffer);

gchar *ladder_codec_string_from_caps (const GstCaps * caps, GstBuffer * sps);

gboolean ladder_codec_string_is_complete (const gchar * codec);

G_END_DECLS
