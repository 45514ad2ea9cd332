/* gst-ladder
 * Copyright (C) 2026 The gst-ladder authors
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2 of the License, or (at your option) any later version.
 */

/* An HLS media playlist (RFC 8216) kept in memory: segments are appended as
 * they are completed and ladder_media_playlist_render() returns the whole
 * text each time. A live playlist lists a sliding window of the last
 * segments, event and vod playlists list every segment.
 *
 * What the caller still has to care about: RFC 8216 6.2.2 wants a live
 * window of at least three target durations, and a VOD playlist must not
 * change once published (4.3.3.5), so publish it when ended. */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <string.h>

#include "laddermediaplaylist.h"

/* EXTINF is kept in these units, the precision written (5 decimals), so
 * that the target duration is computed from the very value a client
 * reads */
#define EXTINF_UNIT (10 * GST_USECOND)
#define EXTINF_UNITS_PER_SECOND (GST_SECOND / EXTINF_UNIT)

/* the last microsecond GDateTime can represent (9999-12-31T23:59:59.999999Z)
 * as microseconds since the Unix epoch */
#define PDT_MAX G_GINT64_CONSTANT (253402300799999999)

typedef struct
{
  gchar *uri;
  /* duration in EXTINF_UNIT, rounded to the nearest */
  guint64 extinf;
  /* the EXT-X-PROGRAM-DATE-TIME value, or NULL */
  gchar *program_date_time;
  gboolean discontinuity;
} LadderSegment;

/* a segment as the bit rates see it */
typedef struct
{
  guint64 bytes;
  GstClockTime duration;
} LadderSegmentSize;

struct _LadderMediaPlaylist
{
  LadderPlaylistType type;
  /* segments kept by a live playlist, 0: all */
  guint window;
  guint target_duration;

  /* the listed segments, oldest first */
  GQueue segments;

  guint64 first_sequence;
  /* how many segments ever added */
  guint64 n_added;
  /* how many segments left the live window */
  guint64 n_dropped;
  /* how many of those carried EXT-X-DISCONTINUITY */
  guint64 n_dropped_discontinuities;
  /* the largest EXTINF ever added, rounded to the nearest second */
  guint64 max_extinf_seconds;

  gboolean ended;
  /* every segment starts with what a decoder needs */
  gboolean independent;

  /* the bit rates, over every segment ever added with a size */
  guint64 total_bytes;
  GstClockTime total_duration;
  guint64 peak_bitrate;
  /* the last sizes, newest last: enough of them to span 1.5 target
   * durations (LadderSegmentSize), and their total duration */
  GQueue recent;
  GstClockTime recent_span;
};

static void
ladder_segment_free (LadderSegment * segment)
{
  g_free (segment->uri);
  g_free (segment->program_date_time);
  g_free (segment);
}

/* Rounds @value / @unit to the nearest integer, halves up, without the
 * overflow of (value + unit / 2) / unit near G_MAXUINT64. */
static guint64
round_div (guint64 value, guint64 unit)
{
  return value / unit + (value % unit >= (unit + 1) / 2 ? 1 : 0);
}

/* ISO 8601 in UTC with milliseconds, as RFC 8216 4.3.2.6 asks for a
 * date-time with fractional seconds; %NULL if GDateTime cannot represent
 * it. */
static gchar *
format_program_date_time (gint64 us)
{
  GDateTime *dt;
  gchar *date, *ret;

  dt = g_date_time_new_from_unix_utc (us / G_USEC_PER_SEC);
  if (dt == NULL)
    return NULL;
  date = g_date_time_format (dt, "%Y-%m-%dT%H:%M:%S");
  g_date_time_unref (dt);
  if (date == NULL)
    return NULL;

  /* milliseconds truncated, not rounded: rounding 59.9996 up would have to
   * carry into the seconds */
  ret = g_strdup_printf ("%s.%03dZ", date,
      (gint) ((us % G_USEC_PER_SEC) / 1000));
  g_free (date);
  return ret;
}

/* the #EXT-X-TARGETDURATION, in seconds */
static guint64
target_duration_seconds (LadderMediaPlaylist * playlist)
{
  /* RFC 8216 4.3.3.1: every EXTINF rounded to the nearest integer must be
   * <= EXT-X-TARGETDURATION, so the configured value is only a minimum */
  return MAX ((guint64) playlist->target_duration,
      playlist->max_extinf_seconds);
}

/* The peak segment bit rate as the second edition of HLS (RFC 8216bis)
 * defines it: the largest bit rate of any run of consecutive segments
 * that lasts between 0.5 and 1.5 target durations, the bytes of the run
 * over its duration. Not the largest rate of one segment: a short segment
 * (the last one at EOS, one cut early by a new run) holds a whole keyframe
 * in a fraction of the time, and would announce a BANDWIDTH that the
 * stream never needs. A segment longer than 1.5 target durations counts
 * alone. Every run that ends with the new segment is measured here. */
static void
measure_segment (LadderMediaPlaylist * playlist, guint64 bytes,
    GstClockTime duration)
{
  LadderSegmentSize *size;
  GstClockTime target, span = 0;
  guint64 run_bytes = 0;
  GList *l;

  playlist->total_bytes += bytes;
  playlist->total_duration += duration;

  size = g_new (LadderSegmentSize, 1);
  size->bytes = bytes;
  size->duration = duration;
  g_queue_push_tail (&playlist->recent, size);

  target = target_duration_seconds (playlist) * GST_SECOND;
  for (l = playlist->recent.tail; l != NULL; l = l->prev) {
    LadderSegmentSize *s = l->data;

    run_bytes += s->bytes;
    span += s->duration;
    if (span > target + target / 2 && l != playlist->recent.tail)
      break;
    if (span >= target / 2)
      playlist->peak_bitrate = MAX (playlist->peak_bitrate,
          gst_util_uint64_scale (run_bytes, 8 * GST_SECOND, span));
  }

  /* forget a segment once the newer ones last 1.5 target durations: a
   * later run that reached back to it would last longer than that */
  playlist->recent_span += duration;
  while (playlist->recent.length > 1) {
    LadderSegmentSize *oldest = g_queue_peek_head (&playlist->recent);

    if (playlist->recent_span - oldest->duration < target + target / 2)
      break;
    playlist->recent_span -= oldest->duration;
    g_free (g_queue_pop_head (&playlist->recent));
  }
}

/**
 * ladder_media_playlist_new:
 * @type: live, event or vod
 * @target_duration: seconds, the minimum `#EXT-X-TARGETDURATION`
 * @window: segments listed by a live playlist (0: all); ignored for event
 *   and vod, which list every segment
 *
 * Returns: (transfer full): a new empty playlist, free with
 * ladder_media_playlist_free().
 */
LadderMediaPlaylist *
ladder_media_playlist_new (LadderPlaylistType type, guint target_duration,
    guint window)
{
  LadderMediaPlaylist *playlist;

  g_return_val_if_fail (type == LADDER_PLAYLIST_TYPE_LIVE ||
      type == LADDER_PLAYLIST_TYPE_EVENT ||
      type == LADDER_PLAYLIST_TYPE_VOD, NULL);

  playlist = g_new0 (LadderMediaPlaylist, 1);
  playlist->type = type;
  /* RFC 8216 4.3.3.5: an event playlist only ever gets segments appended,
   * and a vod one never changes, so neither can drop any */
  playlist->window = type == LADDER_PLAYLIST_TYPE_LIVE ? window : 0;
  playlist->target_duration = target_duration;
  playlist->independent = TRUE;
  g_queue_init (&playlist->segments);
  g_queue_init (&playlist->recent);

  return playlist;
}

void
ladder_media_playlist_free (LadderMediaPlaylist * playlist)
{
  if (playlist == NULL)
    return;
  g_queue_clear_full (&playlist->segments,
      (GDestroyNotify) ladder_segment_free);
  g_queue_clear_full (&playlist->recent, g_free);
  g_free (playlist);
}

/**
 * ladder_media_playlist_add_segment:
 * @playlist: a playlist
 * @uri: the segment's URI, relative to the playlist (copied)
 * @duration: its duration in nanoseconds
 * @bytes: its size, for the bit rates; 0 when not known (the segment is
 *   listed, not measured)
 * @program_date_time: wall-clock time of its first frame in microseconds
 *   since the Unix epoch (as g_get_real_time()), or -1 for none
 * @discontinuity: %TRUE to write `#EXT-X-DISCONTINUITY` before it
 *
 * Appends a complete segment. Not allowed once the playlist has ended:
 * adding `#EXT-X-ENDLIST` is the last change a server may make (RFC 8216
 * 6.2.1), and clients stop reloading there.
 *
 * Returns: how many segments left the live window with this call, 0 for
 * event and vod playlists.
 */
guint
ladder_media_playlist_add_segment (LadderMediaPlaylist * playlist,
    const gchar * uri, GstClockTime duration, guint64 bytes,
    gint64 program_date_time, gboolean discontinuity)
{
  LadderSegment *segment;
  gchar *pdt = NULL;
  guint64 seconds;
  guint dropped = 0;

  g_return_val_if_fail (playlist != NULL, 0);
  g_return_val_if_fail (uri != NULL, 0);
  g_return_val_if_fail (GST_CLOCK_TIME_IS_VALID (duration), 0);
  g_return_val_if_fail (program_date_time >= -1 &&
      program_date_time <= PDT_MAX, 0);
  g_return_val_if_fail (!playlist->ended, 0);

  if (program_date_time >= 0) {
    pdt = format_program_date_time (program_date_time);
    g_return_val_if_fail (pdt != NULL, 0);
  }

  segment = g_new0 (LadderSegment, 1);
  segment->uri = g_strdup (uri);
  segment->extinf = round_div (duration, EXTINF_UNIT);
  segment->program_date_time = pdt;
  segment->discontinuity = discontinuity;
  g_queue_push_tail (&playlist->segments, segment);
  playlist->n_added++;

  /* kept over every segment ever added, not only the listed ones: RFC 8216
   * 6.2.1 forbids EXT-X-TARGETDURATION to change, so a live playlist must
   * not lower it when a long segment leaves the window */
  seconds = round_div (segment->extinf, EXTINF_UNITS_PER_SECOND);
  playlist->max_extinf_seconds = MAX (playlist->max_extinf_seconds, seconds);

  if (bytes > 0 && duration > 0)
    measure_segment (playlist, bytes, duration);

  while (playlist->window > 0 && playlist->segments.length > playlist->window) {
    LadderSegment *old = g_queue_pop_head (&playlist->segments);

    /* RFC 8216 6.2.2: removing an EXT-X-DISCONTINUITY tag increments
     * EXT-X-DISCONTINUITY-SEQUENCE, so that clients keep matching
     * discontinuities across reloads */
    if (old->discontinuity)
      playlist->n_dropped_discontinuities++;
    playlist->n_dropped++;
    dropped++;
    ladder_segment_free (old);
  }

  return dropped;
}

/**
 * ladder_media_playlist_set_first_sequence:
 * @playlist: a playlist
 * @sequence: the media sequence number of the first segment ever added
 *
 * Default 0. Only before the first segment is added: a segment keeps its
 * media sequence number once listed (RFC 8216 6.2.1, 6.2.2).
 */
void
ladder_media_playlist_set_first_sequence (LadderMediaPlaylist * playlist,
    guint64 sequence)
{
  g_return_if_fail (playlist != NULL);
  g_return_if_fail (playlist->n_added == 0);

  playlist->first_sequence = sequence;
}

/* From now on the playlist renders `#EXT-X-ENDLIST`: no more segments. */
void
ladder_media_playlist_end (LadderMediaPlaylist * playlist)
{
  g_return_if_fail (playlist != NULL);

  playlist->ended = TRUE;
}

gboolean
ladder_media_playlist_is_ended (LadderMediaPlaylist * playlist)
{
  g_return_val_if_fail (playlist != NULL, FALSE);

  return playlist->ended;
}

/* The number of segments listed now. */
guint
ladder_media_playlist_get_n_segments (LadderMediaPlaylist * playlist)
{
  g_return_val_if_fail (playlist != NULL, 0);

  return playlist->segments.length;
}

/**
 * ladder_media_playlist_get_peak_bitrate:
 * @playlist: a playlist
 *
 * The peak segment bit rate of every segment added with a size, in bits
 * per second: what `BANDWIDTH` announces (RFC 8216 4.3.4.2); never less
 * than their average bit rate, which it is until the segments span half a
 * target duration.
 *
 * Returns: bits per second, 0 before the first measured segment.
 */
guint64
ladder_media_playlist_get_peak_bitrate (LadderMediaPlaylist * playlist)
{
  g_return_val_if_fail (playlist != NULL, 0);

  /* a peak below the average can only come from runs that leave segments
   * out at the start */
  return MAX (playlist->peak_bitrate,
      ladder_media_playlist_get_average_bitrate (playlist));
}

/**
 * ladder_media_playlist_get_average_bitrate:
 * @playlist: a playlist
 *
 * The average segment bit rate of every segment added with a size (all
 * their bytes over all their duration), in bits per second: what
 * `AVERAGE-BANDWIDTH` announces (RFC 8216 4.3.4.2).
 *
 * Returns: bits per second, 0 before the first measured segment.
 */
guint64
ladder_media_playlist_get_average_bitrate (LadderMediaPlaylist * playlist)
{
  g_return_val_if_fail (playlist != NULL, 0);

  if (playlist->total_duration == 0)
    return 0;
  return gst_util_uint64_scale (playlist->total_bytes, 8 * GST_SECOND,
      playlist->total_duration);
}

/**
 * ladder_media_playlist_render:
 * @playlist: a playlist
 *
 * Returns: (transfer full): the playlist text, free with g_free().
 */
gchar *
ladder_media_playlist_render (LadderMediaPlaylist * playlist)
{
  GString *s;
  guint64 target;
  GList *l;

  g_return_val_if_fail (playlist != NULL, NULL);

  s = g_string_sized_new (256 + 96 * playlist->segments.length);

  g_string_append (s, "#EXTM3U\n");
  /* version 3 for the decimal EXTINF durations (RFC 8216 7); nothing else
   * written here needs more */
  g_string_append (s, "#EXT-X-VERSION:3\n");

  target = target_duration_seconds (playlist);
  g_string_append_printf (s, "#EXT-X-TARGETDURATION:%" G_GUINT64_FORMAT "\n",
      target);

  /* RFC 8216 4.3.3.2: the sequence number of the first listed segment; each
   * segment that left the window moves it on by one */
  g_string_append_printf (s, "#EXT-X-MEDIA-SEQUENCE:%" G_GUINT64_FORMAT "\n",
      playlist->first_sequence + playlist->n_dropped);

  /* RFC 8216 4.3.3.3: the discontinuity sequence number of the first listed
   * segment, i.e. the EXT-X-DISCONTINUITY tags that left the window */
  g_string_append_printf (s,
      "#EXT-X-DISCONTINUITY-SEQUENCE:%" G_GUINT64_FORMAT "\n",
      playlist->n_dropped_discontinuities);

  /* RFC 8216 4.3.3.5: tells clients that segments are only appended (EVENT)
   * or that the playlist is complete (VOD); a live window has none */
  if (playlist->type == LADDER_PLAYLIST_TYPE_EVENT)
    g_string_append (s, "#EXT-X-PLAYLIST-TYPE:EVENT\n");
  else if (playlist->type == LADDER_PLAYLIST_TYPE_VOD)
    g_string_append (s, "#EXT-X-PLAYLIST-TYPE:VOD\n");

  /* RFC 8216 4.3.5.1: every segment starts with a key frame and the
   * parameter sets, so each can be decoded without the one before; only
   * written while that is true */
  if (playlist->independent)
    g_string_append (s, "#EXT-X-INDEPENDENT-SEGMENTS\n");

  for (l = playlist->segments.head; l != NULL; l = l->next) {
    const LadderSegment *segment = l->data;

    /* RFC 8216 4.3.2.3: the timestamps, encoding or format change here */
    if (segment->discontinuity)
      g_string_append (s, "#EXT-X-DISCONTINUITY\n");
    /* RFC 8216 4.3.2.6 applies it to the following segment only; written on
     * each so that a client can map every segment to wall-clock time, not
     * only the first listed one */
    if (segment->program_date_time != NULL)
      g_string_append_printf (s, "#EXT-X-PROGRAM-DATE-TIME:%s\n",
          segment->program_date_time);
    /* RFC 8216 4.3.2.1: seconds as a decimal, fixed 5 decimals; built from
     * integers so that the locale cannot turn the point into a comma */
    g_string_append_printf (s, "#EXTINF:%" G_GUINT64_FORMAT ".%05u,\n",
        segment->extinf / EXTINF_UNITS_PER_SECOND,
        (guint) (segment->extinf % EXTINF_UNITS_PER_SECOND));
    g_string_append_printf (s, "%s\n", segment->uri);
  }

  /* RFC 8216 4.3.3.4: no more segments will be added */
  if (playlist->ended)
    g_string_append (s, "#EXT-X-ENDLIST\n");

  return g_string_free (s, FALSE);
}

/**
 * ladder_media_playlist_set_independent:
 * @playlist: a playlist
 * @independent: whether every segment decodes on its own
 *
 * #EXT-X-INDEPENDENT-SEGMENTS is written while @independent is %TRUE (the
 * default).
 */
void
ladder_media_playlist_set_independent (LadderMediaPlaylist * playlist,
    gboolean independent)
{
  g_return_if_fail (playlist != NULL);

  playlist->independent = independent;
}

/* TRUE if the media playlist @contents ends the stream (#EXT-X-ENDLIST on a
 * line of its own) */
gboolean
ladder_media_playlist_text_is_ended (const gchar * contents, gsize length)
{
  static const gchar tag[] = "#EXT-X-ENDLIST";
  gsize tag_len = sizeof (tag) - 1, i;

  for (i = 0; i + tag_len <= length; i++) {
    if ((i == 0 || contents[i - 1] == '\n')
        && memcmp (contents + i, tag, tag_len) == 0
        && (i + tag_len == length || contents[i + tag_len] == '\n'
            || contents[i + tag_len] == '\r'))
      return TRUE;
  }
  return FALSE;
}

/* the GType of the playlist-type properties */
GType
gst_ladder_hls_playlist_type_get_type (void)
{
  static GType type = 0;
  static const GEnumValue values[] = {
    {GST_LADDER_HLS_PLAYLIST_TYPE_LIVE,
        "A live sliding window of playlist-length segments", "live"},
    {GST_LADDER_HLS_PLAYLIST_TYPE_EVENT,
        "Every segment, growing (EXT-X-PLAYLIST-TYPE:EVENT)", "event"},
    {GST_LADDER_HLS_PLAYLIST_TYPE_VOD,
          "Every segment, written once complete (EXT-X-PLAYLIST-TYPE:VOD)",
        "vod"},
    {0, NULL, NULL},
  };

  if (g_once_init_enter (&type)) {
    GType t = g_enum_register_static ("GstLadderHlsPlaylistType", values);
    g_once_init_leave (&type, t);
  }
  return type;
}
