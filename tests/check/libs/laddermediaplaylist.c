/* gst-ladder
 * Copyright (C) 2026 The gst-ladder authors
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2 of the License, or (at your option) any later version.
 */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <string.h>
#include <gst/check/gstcheck.h>

/* The media playlist writer is internal to the plugin (no library exports
 * it), so the test builds its source in directly. */
#include "../../../gst/hls/laddermediaplaylist.c"

/* 2026-12-06T05:44:47.123456Z */
#define PDT_US G_GINT64_CONSTANT (1796535887123456)

/* TRUE if @line is one whole line of @text */
static gboolean
has_line (const gchar * text, const gchar * line)
{
  gsize len = strlen (line);
  const gchar *p = text;

  while ((p = strstr (p, line)) != NULL) {
    if ((p == text || p[-1] == '\n') && p[len] == '\n')
      return TRUE;
    p++;
  }
  return FALSE;
}

/* how many times @line is a whole line of @text */
static guint
count_lines (const gchar * text, const gchar * line)
{
  gchar **lines = g_strsplit (text, "\n", -1);
  guint i, n = 0;

  for (i = 0; lines[i] != NULL; i++)
    if (strcmp (lines[i], line) == 0)
      n++;
  g_strfreev (lines);
  return n;
}

static void
assert_render_has (LadderMediaPlaylist * playlist, const gchar * line)
{
  gchar *text = ladder_media_playlist_render (playlist);

  fail_unless (has_line (text, line), "no line \"%s\" in:\n%s", line, text);
  g_free (text);
}

static gchar *
add_n (LadderMediaPlaylist * playlist, guint first, guint n,
    GstClockTime duration)
{
  guint i;

  for (i = first; i < first + n; i++) {
    gchar *uri = g_strdup_printf ("seg%u.ts", i);

    ladder_media_playlist_add_segment (playlist, uri, duration, 0, -1, FALSE);
    g_free (uri);
  }
  return ladder_media_playlist_render (playlist);
}

GST_START_TEST (test_empty)
{
  LadderMediaPlaylist *playlist;
  gchar *text;

  playlist = ladder_media_playlist_new (LADDER_PLAYLIST_TYPE_LIVE, 6, 3);
  fail_unless_equals_int (ladder_media_playlist_get_n_segments (playlist), 0);
  fail_if (ladder_media_playlist_is_ended (playlist));

  text = ladder_media_playlist_render (playlist);
  fail_unless_equals_string (text,
      "#EXTM3U\n"
      "#EXT-X-VERSION:3\n"
      "#EXT-X-TARGETDURATION:6\n"
      "#EXT-X-MEDIA-SEQUENCE:0\n"
      "#EXT-X-DISCONTINUITY-SEQUENCE:0\n" "#EXT-X-INDEPENDENT-SEGMENTS\n");
  g_free (text);

  ladder_media_playlist_end (playlist);
  fail_unless (ladder_media_playlist_is_ended (playlist));
  text = ladder_media_playlist_render (playlist);
  fail_unless_equals_string (text,
      "#EXTM3U\n"
      "#EXT-X-VERSION:3\n"
      "#EXT-X-TARGETDURATION:6\n"
      "#EXT-X-MEDIA-SEQUENCE:0\n"
      "#EXT-X-DISCONTINUITY-SEQUENCE:0\n"
      "#EXT-X-INDEPENDENT-SEGMENTS\n" "#EXT-X-ENDLIST\n");
  g_free (text);
  ladder_media_playlist_free (playlist);
}

GST_END_TEST;

GST_START_TEST (test_live_window)
{
  LadderMediaPlaylist *playlist;
  gchar *text;
  guint i;
  const guint expected_dropped[] = { 0, 0, 0, 1, 1 };

  playlist = ladder_media_playlist_new (LADDER_PLAYLIST_TYPE_LIVE, 6, 3);
  for (i = 0; i < G_N_ELEMENTS (expected_dropped); i++) {
    gchar *uri = g_strdup_printf ("seg%u.ts", i);

    fail_unless_equals_int (ladder_media_playlist_add_segment (playlist, uri,
            6 * GST_SECOND, 0, -1, FALSE), expected_dropped[i]);
    fail_unless_equals_int (ladder_media_playlist_get_n_segments (playlist),
        MIN (i + 1, 3));
    g_free (uri);
  }

  text = ladder_media_playlist_render (playlist);
  fail_unless_equals_string (text,
      "#EXTM3U\n"
      "#EXT-X-VERSION:3\n"
      "#EXT-X-TARGETDURATION:6\n"
      "#EXT-X-MEDIA-SEQUENCE:2\n"
      "#EXT-X-DISCONTINUITY-SEQUENCE:0\n"
      "#EXT-X-INDEPENDENT-SEGMENTS\n"
      "#EXTINF:6.00000,\n"
      "seg2.ts\n"
      "#EXTINF:6.00000,\n" "seg3.ts\n" "#EXTINF:6.00000,\n" "seg4.ts\n");
  g_free (text);

  /* one more: seg3 first, sequence 3 */
  text = add_n (playlist, 5, 1, 6 * GST_SECOND);
  fail_unless (has_line (text, "#EXT-X-MEDIA-SEQUENCE:3"));
  fail_if (strstr (text, "seg2.ts") != NULL);
  fail_unless (strstr (text, "seg3.ts") != NULL);
  fail_unless (strstr (text, "seg5.ts") != NULL);
  fail_unless_equals_int (ladder_media_playlist_get_n_segments (playlist), 3);
  g_free (text);

  /* ending a live playlist keeps the window */
  ladder_media_playlist_end (playlist);
  text = ladder_media_playlist_render (playlist);
  fail_unless (g_str_has_suffix (text, "seg5.ts\n#EXT-X-ENDLIST\n"));
  fail_unless (has_line (text, "#EXT-X-MEDIA-SEQUENCE:3"));
  g_free (text);
  ladder_media_playlist_free (playlist);

  /* window 0: a live playlist listing everything, no PLAYLIST-TYPE */
  playlist = ladder_media_playlist_new (LADDER_PLAYLIST_TYPE_LIVE, 6, 0);
  text = add_n (playlist, 0, 10, 6 * GST_SECOND);
  fail_unless_equals_int (ladder_media_playlist_get_n_segments (playlist), 10);
  fail_unless (has_line (text, "#EXT-X-MEDIA-SEQUENCE:0"));
  fail_if (strstr (text, "#EXT-X-PLAYLIST-TYPE") != NULL);
  fail_if (strstr (text, "#EXT-X-ENDLIST") != NULL);
  g_free (text);
  ladder_media_playlist_free (playlist);
}

GST_END_TEST;

GST_START_TEST (test_discontinuity_sequence)
{
  LadderMediaPlaylist *playlist;
  gchar *text;

  playlist = ladder_media_playlist_new (LADDER_PLAYLIST_TYPE_LIVE, 2, 2);

  /* s0 D, s1 */
  ladder_media_playlist_add_segment (playlist, "s0.ts", 2 * GST_SECOND, 0, -1,
      TRUE);
  ladder_media_playlist_add_segment (playlist, "s1.ts", 2 * GST_SECOND, 0, -1,
      FALSE);
  text = ladder_media_playlist_render (playlist);
  fail_unless (has_line (text, "#EXT-X-DISCONTINUITY-SEQUENCE:0"));
  fail_unless_equals_int (count_lines (text, "#EXT-X-DISCONTINUITY"), 1);
  /* the tag comes right before the segment it applies to */
  fail_unless (strstr (text, "#EXT-X-DISCONTINUITY\n#EXTINF:2.00000,\n"
          "s0.ts\n") != NULL);
  g_free (text);

  /* s0 (with a discontinuity) leaves */
  fail_unless_equals_int (ladder_media_playlist_add_segment (playlist,
          "s2.ts", 2 * GST_SECOND, 0, -1, TRUE), 1);
  text = ladder_media_playlist_render (playlist);
  fail_unless (has_line (text, "#EXT-X-MEDIA-SEQUENCE:1"));
  fail_unless (has_line (text, "#EXT-X-DISCONTINUITY-SEQUENCE:1"));
  fail_unless_equals_int (count_lines (text, "#EXT-X-DISCONTINUITY"), 1);
  g_free (text);

  /* s1 (without) leaves: unchanged */
  ladder_media_playlist_add_segment (playlist, "s3.ts", 2 * GST_SECOND, 0, -1,
      TRUE);
  text = ladder_media_playlist_render (playlist);
  fail_unless (has_line (text, "#EXT-X-MEDIA-SEQUENCE:2"));
  fail_unless (has_line (text, "#EXT-X-DISCONTINUITY-SEQUENCE:1"));
  fail_unless_equals_int (count_lines (text, "#EXT-X-DISCONTINUITY"), 2);
  g_free (text);

  /* s2 leaves */
  ladder_media_playlist_add_segment (playlist, "s4.ts", 2 * GST_SECOND, 0, -1,
      FALSE);
  assert_render_has (playlist, "#EXT-X-DISCONTINUITY-SEQUENCE:2");

  /* s3 leaves */
  ladder_media_playlist_add_segment (playlist, "s5.ts", 2 * GST_SECOND, 0, -1,
      FALSE);
  text = ladder_media_playlist_render (playlist);
  fail_unless (has_line (text, "#EXT-X-MEDIA-SEQUENCE:4"));
  fail_unless (has_line (text, "#EXT-X-DISCONTINUITY-SEQUENCE:3"));
  fail_unless_equals_int (count_lines (text, "#EXT-X-DISCONTINUITY"), 0);
  g_free (text);
  ladder_media_playlist_free (playlist);

  /* event playlists drop nothing: always 0 */
  playlist = ladder_media_playlist_new (LADDER_PLAYLIST_TYPE_EVENT, 2, 1);
  ladder_media_playlist_add_segment (playlist, "s0.ts", GST_SECOND, 0, -1,
      TRUE);
  fail_unless_equals_int (ladder_media_playlist_add_segment (playlist, "s1.ts",
          GST_SECOND, 0, -1, TRUE), 0);
  text = ladder_media_playlist_render (playlist);
  fail_unless (has_line (text, "#EXT-X-DISCONTINUITY-SEQUENCE:0"));
  fail_unless_equals_int (count_lines (text, "#EXT-X-DISCONTINUITY"), 2);
  g_free (text);
  ladder_media_playlist_free (playlist);
}

GST_END_TEST;

GST_START_TEST (test_target_duration)
{
  LadderMediaPlaylist *playlist;

  /* the minimum holds with shorter segments */
  playlist = ladder_media_playlist_new (LADDER_PLAYLIST_TYPE_LIVE, 6, 0);
  assert_render_has (playlist, "#EXT-X-TARGETDURATION:6");
  ladder_media_playlist_add_segment (playlist, "a.ts", 2400 * GST_MSECOND, 0,
      -1, FALSE);
  assert_render_has (playlist, "#EXT-X-TARGETDURATION:6");
  /* 6.4 rounds to 6 */
  ladder_media_playlist_add_segment (playlist, "b.ts", 6400 * GST_MSECOND, 0,
      -1, FALSE);
  assert_render_has (playlist, "#EXT-X-TARGETDURATION:6");
  /* 6.5 rounds to 7 */
  ladder_media_playlist_add_segment (playlist, "c.ts", 6500 * GST_MSECOND, 0,
      -1, FALSE);
  assert_render_has (playlist, "#EXT-X-TARGETDURATION:7");
  ladder_media_playlist_free (playlist);

  /* rounded to the nearest, and never lowered when the long one leaves */
  playlist = ladder_media_playlist_new (LADDER_PLAYLIST_TYPE_LIVE, 1, 1);
  ladder_media_playlist_add_segment (playlist, "a.ts", 2400 * GST_MSECOND, 0,
      -1, FALSE);
  assert_render_has (playlist, "#EXT-X-TARGETDURATION:2");
  fail_unless_equals_int (ladder_media_playlist_add_segment (playlist, "b.ts",
          2500 * GST_MSECOND, 0, -1, FALSE), 1);
  assert_render_has (playlist, "#EXT-X-TARGETDURATION:3");
  fail_unless_equals_int (ladder_media_playlist_add_segment (playlist, "c.ts",
          GST_SECOND, 0, -1, FALSE), 1);
  fail_unless_equals_int (ladder_media_playlist_get_n_segments (playlist), 1);
  assert_render_has (playlist, "#EXTINF:1.00000,");
  assert_render_has (playlist, "#EXT-X-TARGETDURATION:3");
  ladder_media_playlist_free (playlist);

  /* computed from the written EXTINF: 2.4999949 s is written 2.49999 ... */
  playlist = ladder_media_playlist_new (LADDER_PLAYLIST_TYPE_VOD, 1, 0);
  ladder_media_playlist_add_segment (playlist, "a.ts", 2499994999, 0, -1,
      FALSE);
  assert_render_has (playlist, "#EXTINF:2.49999,");
  assert_render_has (playlist, "#EXT-X-TARGETDURATION:2");
  ladder_media_playlist_free (playlist);

  /* ... and 2.499995 s is written 2.50000, which rounds to 3 */
  playlist = ladder_media_playlist_new (LADDER_PLAYLIST_TYPE_VOD, 1, 0);
  ladder_media_playlist_add_segment (playlist, "a.ts", 2499995000, 0, -1,
      FALSE);
  assert_render_has (playlist, "#EXTINF:2.50000,");
  assert_render_has (playlist, "#EXT-X-TARGETDURATION:3");
  ladder_media_playlist_free (playlist);

  /* 0 as minimum: from the segments alone */
  playlist = ladder_media_playlist_new (LADDER_PLAYLIST_TYPE_EVENT, 0, 0);
  assert_render_has (playlist, "#EXT-X-TARGETDURATION:0");
  ladder_media_playlist_add_segment (playlist, "a.ts", 4 * GST_SECOND, 0, -1,
      FALSE);
  assert_render_has (playlist, "#EXT-X-TARGETDURATION:4");
  ladder_media_playlist_free (playlist);
}

GST_END_TEST;

GST_START_TEST (test_event)
{
  LadderMediaPlaylist *playlist;
  gchar *text;
  guint i;

  /* the window is ignored */
  playlist = ladder_media_playlist_new (LADDER_PLAYLIST_TYPE_EVENT, 4, 2);
  for (i = 0; i < 5; i++) {
    gchar *uri = g_strdup_printf ("seg%u.ts", i);

    fail_unless_equals_int (ladder_media_playlist_add_segment (playlist, uri,
            4 * GST_SECOND, 0, -1, FALSE), 0);
    g_free (uri);
  }
  fail_unless_equals_int (ladder_media_playlist_get_n_segments (playlist), 5);

  text = ladder_media_playlist_render (playlist);
  fail_unless_equals_string (text,
      "#EXTM3U\n"
      "#EXT-X-VERSION:3\n"
      "#EXT-X-TARGETDURATION:4\n"
      "#EXT-X-MEDIA-SEQUENCE:0\n"
      "#EXT-X-DISCONTINUITY-SEQUENCE:0\n"
      "#EXT-X-PLAYLIST-TYPE:EVENT\n"
      "#EXT-X-INDEPENDENT-SEGMENTS\n"
      "#EXTINF:4.00000,\n" "seg0.ts\n"
      "#EXTINF:4.00000,\n" "seg1.ts\n"
      "#EXTINF:4.00000,\n" "seg2.ts\n"
      "#EXTINF:4.00000,\n" "seg3.ts\n" "#EXTINF:4.00000,\n" "seg4.ts\n");
  g_free (text);

  ladder_media_playlist_end (playlist);
  text = ladder_media_playlist_render (playlist);
  fail_unless (g_str_has_suffix (text, "seg4.ts\n#EXT-X-ENDLIST\n"));
  fail_unless_equals_int (count_lines (text, "#EXT-X-ENDLIST"), 1);
  g_free (text);
  ladder_media_playlist_free (playlist);
}

GST_END_TEST;

GST_START_TEST (test_vod)
{
  LadderMediaPlaylist *playlist;
  gchar *text;

  playlist = ladder_media_playlist_new (LADDER_PLAYLIST_TYPE_VOD, 4, 1);
  ladder_media_playlist_add_segment (playlist, "a.ts", 4 * GST_SECOND, 0,
      PDT_US, FALSE);
  ladder_media_playlist_add_segment (playlist, "b.ts", 3003 * GST_MSECOND, 0,
      PDT_US + 4 * G_USEC_PER_SEC + 3000, TRUE);
  ladder_media_playlist_add_segment (playlist, "c.ts", 1500 * GST_MSECOND, 0,
      -1, FALSE);
  fail_unless_equals_int (ladder_media_playlist_get_n_segments (playlist), 3);

  text = ladder_media_playlist_render (playlist);
  fail_if (strstr (text, "#EXT-X-ENDLIST") != NULL);
  g_free (text);

  ladder_media_playlist_end (playlist);
  text = ladder_media_playlist_render (playlist);
  fail_unless_equals_string (text,
      "#EXTM3U\n"
      "#EXT-X-VERSION:3\n"
      "#EXT-X-TARGETDURATION:4\n"
      "#EXT-X-MEDIA-SEQUENCE:0\n"
      "#EXT-X-DISCONTINUITY-SEQUENCE:0\n"
      "#EXT-X-PLAYLIST-TYPE:VOD\n"
      "#EXT-X-INDEPENDENT-SEGMENTS\n"
      "#EXT-X-PROGRAM-DATE-TIME:2026-12-06T05:44:47.123Z\n"
      "#EXTINF:4.00000,\n"
      "a.ts\n"
      "#EXT-X-DISCONTINUITY\n"
      "#EXT-X-PROGRAM-DATE-TIME:2026-12-06T05:44:51.126Z\n"
      "#EXTINF:3.00300,\n"
      "b.ts\n" "#EXTINF:1.50000,\n" "c.ts\n" "#EXT-X-ENDLIST\n");
  g_free (text);
  ladder_media_playlist_free (playlist);
}

GST_END_TEST;

GST_START_TEST (test_program_date_time)
{
  LadderMediaPlaylist *playlist;
  gchar *text;

  playlist = ladder_media_playlist_new (LADDER_PLAYLIST_TYPE_LIVE, 6, 0);
  ladder_media_playlist_add_segment (playlist, "a.ts", GST_SECOND, 0, PDT_US,
      FALSE);
  /* milliseconds are truncated, never carried into the seconds */
  ladder_media_playlist_add_segment (playlist, "b.ts", GST_SECOND, 0,
      G_GINT64_CONSTANT (1796535887999999), FALSE);
  ladder_media_playlist_add_segment (playlist, "c.ts", GST_SECOND, 0, 0, FALSE);
  ladder_media_playlist_add_segment (playlist, "d.ts", GST_SECOND, 0, -1,
      FALSE);
  ladder_media_playlist_add_segment (playlist, "e.ts", GST_SECOND, 0,
      G_GINT64_CONSTANT (1709251199000500), FALSE);

  text = ladder_media_playlist_render (playlist);
  fail_unless (g_str_has_suffix (text,
          "#EXT-X-INDEPENDENT-SEGMENTS\n"
          "#EXT-X-PROGRAM-DATE-TIME:2026-12-06T05:44:47.123Z\n"
          "#EXTINF:1.00000,\n" "a.ts\n"
          "#EXT-X-PROGRAM-DATE-TIME:2026-12-06T05:44:47.999Z\n"
          "#EXTINF:1.00000,\n" "b.ts\n"
          "#EXT-X-PROGRAM-DATE-TIME:1970-01-01T00:00:00.000Z\n"
          "#EXTINF:1.00000,\n" "c.ts\n"
          "#EXTINF:1.00000,\n" "d.ts\n"
          "#EXT-X-PROGRAM-DATE-TIME:2024-02-29T23:59:59.000Z\n"
          "#EXTINF:1.00000,\n" "e.ts\n"), "%s", text);
  fail_unless_equals_int (count_lines (text, "#EXTINF:1.00000,"), 5);
  g_free (text);
  ladder_media_playlist_free (playlist);
}

GST_END_TEST;

GST_START_TEST (test_extinf)
{
  struct
  {
    GstClockTime duration;
    const gchar *line;
  } cases[] = {
    {0, "#EXTINF:0.00000,"},
    {4999, "#EXTINF:0.00000,"},
    {5000, "#EXTINF:0.00001,"},
    {33333333, "#EXTINF:0.03333,"},
    /* 1001/30000 s */
    {33366667, "#EXTINF:0.03337,"},
    {2 * GST_SECOND, "#EXTINF:2.00000,"},
    {3003 * GST_MSECOND, "#EXTINF:3.00300,"},
    {G_GUINT64_CONSTANT (12345678901), "#EXTINF:12.34568,"},
    {G_GUINT64_CONSTANT (9999999996), "#EXTINF:10.00000,"},
    {3600 * GST_SECOND, "#EXTINF:3600.00000,"},
  };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (cases); i++) {
    LadderMediaPlaylist *playlist =
        ladder_media_playlist_new (LADDER_PLAYLIST_TYPE_VOD, 1, 0);
    gchar *text;

    gchar *expected;

    ladder_media_playlist_add_segment (playlist, "x.ts", cases[i].duration, 0,
        -1, FALSE);
    text = ladder_media_playlist_render (playlist);
    expected = g_strdup_printf ("#EXT-X-INDEPENDENT-SEGMENTS\n%s\nx.ts\n",
        cases[i].line);
    fail_unless (g_str_has_suffix (text, expected), "case %u:\n%s", i, text);
    g_free (expected);
    g_free (text);
    ladder_media_playlist_free (playlist);
  }
}

GST_END_TEST;

GST_START_TEST (test_first_sequence)
{
  LadderMediaPlaylist *playlist;
  gchar *text;

  playlist = ladder_media_playlist_new (LADDER_PLAYLIST_TYPE_LIVE, 6, 2);
  ladder_media_playlist_set_first_sequence (playlist, 100);
  assert_render_has (playlist, "#EXT-X-MEDIA-SEQUENCE:100");
  text = add_n (playlist, 0, 2, 6 * GST_SECOND);
  fail_unless (has_line (text, "#EXT-X-MEDIA-SEQUENCE:100"));
  g_free (text);
  text = add_n (playlist, 2, 1, 6 * GST_SECOND);
  fail_unless (has_line (text, "#EXT-X-MEDIA-SEQUENCE:101"));
  g_free (text);

  /* too late once a segment was added: unchanged */
  ASSERT_CRITICAL (ladder_media_playlist_set_first_sequence (playlist, 5));
  assert_render_has (playlist, "#EXT-X-MEDIA-SEQUENCE:101");
  ladder_media_playlist_free (playlist);

  /* the last call before the first add wins; large values are fine */
  playlist = ladder_media_playlist_new (LADDER_PLAYLIST_TYPE_EVENT, 6, 0);
  ladder_media_playlist_set_first_sequence (playlist, 7);
  ladder_media_playlist_set_first_sequence (playlist,
      G_GUINT64_CONSTANT (5000000000));
  text = add_n (playlist, 0, 3, 6 * GST_SECOND);
  fail_unless (has_line (text, "#EXT-X-MEDIA-SEQUENCE:5000000000"));
  g_free (text);
  ladder_media_playlist_free (playlist);
}

GST_END_TEST;

GST_START_TEST (test_bad_input)
{
  LadderMediaPlaylist *playlist;

  playlist = ladder_media_playlist_new (LADDER_PLAYLIST_TYPE_LIVE, 6, 2);
  ASSERT_CRITICAL (fail_unless_equals_int
      (ladder_media_playlist_add_segment (playlist, NULL, GST_SECOND, 0, -1,
              FALSE), 0));
  ASSERT_CRITICAL (fail_unless_equals_int
      (ladder_media_playlist_add_segment (playlist, "a.ts",
              GST_CLOCK_TIME_NONE, 0, -1, FALSE), 0));
  ASSERT_CRITICAL (fail_unless_equals_int
      (ladder_media_playlist_add_segment (playlist, "a.ts", GST_SECOND, 0, -2,
              FALSE), 0));
  fail_unless_equals_int (ladder_media_playlist_get_n_segments (playlist), 0);
  assert_render_has (playlist, "#EXT-X-TARGETDURATION:6");

  /* nothing after EXT-X-ENDLIST */
  ladder_media_playlist_add_segment (playlist, "a.ts", GST_SECOND, 0, -1,
      FALSE);
  ladder_media_playlist_end (playlist);
  ASSERT_CRITICAL (ladder_media_playlist_add_segment (playlist, "b.ts",
          GST_SECOND, 0, -1, FALSE));
  fail_unless_equals_int (ladder_media_playlist_get_n_segments (playlist), 1);
  ladder_media_playlist_free (playlist);

  ASSERT_CRITICAL (ladder_media_playlist_render (NULL));
  ASSERT_CRITICAL (ladder_media_playlist_new ((LadderPlaylistType) 42, 6, 0));
  /* like g_free() */
  ladder_media_playlist_free (NULL);
}

GST_END_TEST;

GST_START_TEST (test_independent)
{
  LadderMediaPlaylist *pl = ladder_media_playlist_new
      (LADDER_PLAYLIST_TYPE_LIVE, 2, 6);
  gchar *text;

  ladder_media_playlist_add_segment (pl, "a.ts", 2 * GST_SECOND, 0, -1, FALSE);
  text = ladder_media_playlist_render (pl);
  fail_unless (strstr (text, "#EXT-X-INDEPENDENT-SEGMENTS\n") != NULL);
  g_free (text);

  /* a segment without its parameter sets: no longer said */
  ladder_media_playlist_set_independent (pl, FALSE);
  text = ladder_media_playlist_render (pl);
  fail_unless (strstr (text, "INDEPENDENT") == NULL, "%s", text);
  g_free (text);
  ladder_media_playlist_free (pl);
}

GST_END_TEST;

/* hlssink2's playlist, as ladderhlssink reads it to learn that the last
 * segment is closed */
GST_START_TEST (test_text_is_ended)
{
  static const struct
  {
    const gchar *text;
    gboolean ended;
  } cases[] = {
    {"#EXTM3U\n#EXTINF:2.0,\nseg0.ts\n#EXT-X-ENDLIST\n", TRUE},
    {"#EXTM3U\nseg0.ts\n#EXT-X-ENDLIST", TRUE},
    {"#EXTM3U\r\nseg0.ts\r\n#EXT-X-ENDLIST\r\n", TRUE},
    {"#EXT-X-ENDLIST\n", TRUE},
    {"#EXTM3U\n#EXTINF:2.0,\nseg0.ts\n", FALSE},
    {"#EXTM3U\n#EXT-X-ENDLISTS\n", FALSE},
    {"#EXTM3U\n #EXT-X-ENDLIST\n", FALSE},
    {"#EXTM3U\nseg#EXT-X-ENDLIST\n", FALSE},
    {"#EXT-X-ENDLIS", FALSE},
    {"", FALSE},
  };
  LadderMediaPlaylist *pl;
  gchar *text;
  guint i;

  for (i = 0; i < G_N_ELEMENTS (cases); i++)
    fail_unless_equals_int (ladder_media_playlist_text_is_ended (cases[i].text,
            strlen (cases[i].text)), cases[i].ended);

  /* only the given length counts */
  fail_if (ladder_media_playlist_text_is_ended ("#EXT-X-ENDLIST\n", 10));

  /* and what we render ourselves */
  pl = ladder_media_playlist_new (LADDER_PLAYLIST_TYPE_LIVE, 2, 6);
  ladder_media_playlist_add_segment (pl, "a.ts", 2 * GST_SECOND, 0, -1, FALSE);
  text = ladder_media_playlist_render (pl);
  fail_if (ladder_media_playlist_text_is_ended (text, strlen (text)));
  g_free (text);
  ladder_media_playlist_end (pl);
  text = ladder_media_playlist_render (pl);
  fail_unless (ladder_media_playlist_text_is_ended (text, strlen (text)));
  g_free (text);
  ladder_media_playlist_free (pl);
}

GST_END_TEST;

/* BANDWIDTH and AVERAGE-BANDWIDTH: the peak is taken over runs of
 * segments that last 0.5 to 1.5 target durations, not over single
 * segments */
GST_START_TEST (test_bitrates)
{
  LadderMediaPlaylist *pl;
  guint i;

  /* nothing measured yet; a segment without a size is listed only */
  pl = ladder_media_playlist_new (LADDER_PLAYLIST_TYPE_LIVE, 2, 3);
  fail_unless_equals_uint64 (ladder_media_playlist_get_peak_bitrate (pl), 0);
  fail_unless_equals_uint64 (ladder_media_playlist_get_average_bitrate (pl), 0);
  ladder_media_playlist_add_segment (pl, "a.ts", 2 * GST_SECOND, 0, -1, FALSE);
  fail_unless_equals_uint64 (ladder_media_playlist_get_peak_bitrate (pl), 0);

  /* shorter than half a target duration: the peak is the average */
  ladder_media_playlist_add_segment (pl, "b.ts", 500 * GST_MSECOND, 25000, -1,
      FALSE);
  fail_unless_equals_uint64 (ladder_media_playlist_get_average_bitrate (pl),
      400000);
  fail_unless_equals_uint64 (ladder_media_playlist_get_peak_bitrate (pl),
      400000);
  ladder_media_playlist_free (pl);

  /* three 2 s segments at 400 kbit/s, then a short last one (EOS) at
   * 1.2 Mbit/s: it counts with the one before it */
  pl = ladder_media_playlist_new (LADDER_PLAYLIST_TYPE_VOD, 2, 0);
  for (i = 0; i < 3; i++)
    ladder_media_playlist_add_segment (pl, "s.ts", 2 * GST_SECOND, 100000, -1,
        FALSE);
  fail_unless_equals_uint64 (ladder_media_playlist_get_peak_bitrate (pl),
      400000);
  ladder_media_playlist_add_segment (pl, "s.ts", 400 * GST_MSECOND, 60000, -1,
      FALSE);
  /* (100000 + 60000) * 8 bits in 2.4 s */
  fail_unless_equals_uint64 (ladder_media_playlist_get_peak_bitrate (pl),
      533333);
  /* 360000 * 8 bits in 6.4 s */
  fail_unless_equals_uint64 (ladder_media_playlist_get_average_bitrate (pl),
      450000);
  ladder_media_playlist_free (pl);

  /* half-second segments at 400 kbit/s, the eleventh at 2 Mbit/s, in a
   * live window far shorter than the stream: the best run is the spike and
   * one neighbour, 1 s; later segments do not forget it */
  pl = ladder_media_playlist_new (LADDER_PLAYLIST_TYPE_LIVE, 2, 3);
  for (i = 0; i < 40; i++)
    ladder_media_playlist_add_segment (pl, "s.ts", 500 * GST_MSECOND,
        i == 10 ? 125000 : 25000, -1, FALSE);
  fail_unless_equals_uint64 (ladder_media_playlist_get_peak_bitrate (pl),
      1200000);
  /* (39 * 25000 + 125000) * 8 bits in 20 s */
  fail_unless_equals_uint64 (ladder_media_playlist_get_average_bitrate (pl),
      440000);
  ladder_media_playlist_free (pl);

}

GST_END_TEST;

static Suite *
laddermediaplaylist_suite (void)
{
  Suite *s = suite_create ("laddermediaplaylist");
  TCase *tc = tcase_create ("general");

  suite_add_tcase (s, tc);
  tcase_add_test (tc, test_empty);
  tcase_add_test (tc, test_live_window);
  tcase_add_test (tc, test_discontinuity_sequence);
  tcase_add_test (tc, test_target_duration);
  tcase_add_test (tc, test_event);
  tcase_add_test (tc, test_vod);
  tcase_add_test (tc, test_program_date_time);
  tcase_add_test (tc, test_extinf);
  tcase_add_test (tc, test_first_sequence);
  tcase_add_test (tc, test_bad_input);
  tcase_add_test (tc, test_independent);
  tcase_add_test (tc, test_text_is_ended);
  tcase_add_test (tc, test_bitrates);
  return s;
}

GST_CHECK_MAIN (laddermediaplaylist);
