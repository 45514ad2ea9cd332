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
/* Internal to the plugin: the text of one HLS media playlist (RFC 8216),
 * kept in memory segment by segment. No files, no elements. */
/**
 * LadderPlaylistType:
 * @LADDER_PLAYLIST_TYPE_LIVE: a sliding window of the last segments, no
 *   `#EXT-X-PLAYLIST-TYPE`.
 * @LADDER_PLAYLIST_TYPE_EVENT: every segment, `#EXT-X-PLAYLIST-TYPE:EVENT`.
 * @LADDER_PLAYLIST_TYPE_VOD: every segment, `#EXT-X-PLAYLIST-TYPE:VOD`.
 */
    typedef enum
{
  LADDER_PLAYLIST_TYPE_LIVE,
  LADDER_PLAYLIST_TYPE_EVENT,
  LADDER_PLAYLIST_TYPE_VOD,
} LadderPlaylistType;

typedef struct _LadderMediaPlaylist LadderMediaPlaylist;

LadderMediaPlaylist *ladder_media_playlist_new (LadderPlaylistType type,
    guint target_duration, guint window);

void ladder_media_playlist_free (LadderMediaPlaylist * playlist);

guint ladder_media_playlist_add_segment (LadderMediaPlaylist * playlist,
    const gchar * uri, GstClockTime duration, guint64 bytes,
    gint64 program_date_time, gboolean discontinuity);

void ladder_media_playlist_set_first_sequence (LadderMediaPlaylist * playlist,
    guint64 sequence);

void ladder_media_playlist_end (LadderMediaPlaylist * playlist);

gboolean ladder_media_playlist_is_ended (LadderMediaPlaylist * playlist);

guint ladder_media_playlist_get_n_segments (LadderMediaPlaylist * playlist);

guint64 ladder_media_playlist_get_peak_bitrate (LadderMediaPlaylist *
    playlist);

guint64 ladder_media_playlist_get_average_bitrate (LadderMediaPlaylist *
    playlist);

gchar *ladder_media_playlist_render (LadderMediaPlaylist * playlist);

void ladder_media_playlist_set_independent (LadderMediaPlaylist * playlist,
    gboolean independent);

gboolean ladder_media_playlist_text_is_ended (const gchar * contents,
    gsize length);

/**
 * GstLadderHlsPlaylistType:
 * @GST_LADDER_HLS_PLAYLIST_TYPE_LIVE: a sliding window of
 *   #GstLadderHlsSink:playlist-length segments
 * @GST_LADDER_HLS_PLAYLIST_TYPE_EVENT: every segment, EXT-X-PLAYLIST-TYPE:EVENT
 * @GST_LADDER_HLS_PLAYLIST_TYPE_VOD: every segment, written once complete,
 *   EXT-X-PLAYLIST-TYPE:VOD
 *
 * The GType of #LadderPlaylistType, for the playlist-type properties of
 * ladderhlssink and ladder.
 */
typedef enum
{
  GST_LADDER_HLS_PLAYLIST_TYPE_LIVE = LADDER_PLAYLIST_TYPE_LIVE,
  GST_LADDER_HLS_PLAYLIST_TYPE_EVENT = LADDER_PLAYLIST_TYPE_EVENT,
  GST_LADDER_HLS_PLAYLIST_TYPE_VOD = LADDER_PLAYLIST_TYPE_VOD,
} GstLadderHlsPlaylistType;

#define GST_TYPE_LADDER_HLS_PLAYLIST_TYPE (gst_ladder_hls_playlist_type_get_type ())
GType gst_ladder_hls_playlist_type_get_type (void);

G_END_DECLS
