/* gst-ladder
 * Copyright (C) 2026 The gst-ladder authors
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2 of the License, or (at your option) any later version.
 */

/* The CODECS strings of ladderhlssink, byte for byte: H.264 from
 * codec_data, from the SPS in the stream and from the caps fields; H.265;
 * AAC from codec_data and from the ADTS caps; MP3; AC-3 and E-AC-3; and
 * what counts as incomplete. */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <string.h>
#include <gst/check/gstcheck.h>

/* The codec strings are internal to the plugin (no library exports them),
 * so the test builds their source in directly. */
#include "../../../gst/hls/laddercodecs.c"

/* an SPS of x264 (High, level 3.1), its NAL header included */
static const guint8 sps_high_31[] = {
  0x67, 0x64, 0x00, 0x1f, 0xac, 0xd9, 0x40, 0x50, 0x05, 0xbb, 0x01, 0x10,
  0x00, 0x00, 0x03, 0x00, 0x10, 0x00, 0x00, 0x03, 0x03, 0xc0, 0xf1, 0x83,
  0x19, 0x60,
};

/* an SPS of a Main level 3 stream with the constraint_set1 flag */
static const guint8 sps_main_30[] = {
  0x67, 0x4d, 0x40, 0x1e, 0xec, 0xa0, 0x50, 0x17, 0xfc, 0xb8, 0x0a, 0x90,
  0x91, 0xe2, 0xc5, 0xb2, 0xc0,
};

static const guint8 pps[] = { 0x68, 0xeb, 0xe3, 0xcb, 0x22, 0xc0 };
static const guint8 aud[] = { 0x09, 0xf0 };
static const guint8 idr[] = { 0x65, 0x88, 0x84, 0x00, 0x33, 0xff };

static const guint8 start4[] = { 0, 0, 0, 1 };
static const guint8 start3[] = { 0, 0, 1 };

static void
append (GByteArray * a, const guint8 * data, gsize size)
{
  g_byte_array_append (a, data, size);
}

static GstBuffer *
take_buffer (GByteArray * a)
{
  gsize size = a->len;

  return gst_buffer_new_wrapped (g_byte_array_free (a, FALSE), size);
}

/* an access unit: AUD, SPS (@sps), PPS, IDR slice */
static GstBuffer *
access_unit (const guint8 * sps, gsize sps_size)
{
  GByteArray *a = g_byte_array_new ();

  append (a, start4, sizeof (start4));
  append (a, aud, sizeof (aud));
  if (sps != NULL) {
    append (a, start4, sizeof (start4));
    append (a, sps, sps_size);
  }
  append (a, start4, sizeof (start4));
  append (a, pps, sizeof (pps));
  append (a, start3, sizeof (start3));
  append (a, idr, sizeof (idr));
  return take_buffer (a);
}

static GstBuffer *
find_sps (GstBuffer * buffer)
{
  GstH264NalParser *parser = gst_h264_nal_parser_new ();
  GstBuffer *sps = ladder_h264_find_sps (parser, buffer);

  gst_h264_nal_parser_free (parser);
  return sps;
}

static void
assert_buffer_equals (GstBuffer * buffer, const guint8 * data, gsize size)
{
  fail_unless (buffer != NULL);
  fail_unless_equals_int (gst_buffer_get_size (buffer), size);
  fail_unless (gst_buffer_memcmp (buffer, 0, data, size) == 0);
}

/* the codec string of @caps_str, with the SPS @sps (or none) */
static gchar *
codec_of (const gchar * caps_str, GstBuffer * sps)
{
  GstCaps *caps = gst_caps_from_string (caps_str);
  gchar *codec;

  fail_unless (caps != NULL, "bad caps %s", caps_str);
  codec = ladder_codec_string_from_caps (caps, sps);
  gst_caps_unref (caps);
  return codec;
}

static void
assert_codec (const gchar * caps_str, GstBuffer * sps, const gchar * expected)
{
  gchar *codec = codec_of (caps_str, sps);

  fail_unless_equals_string (codec, expected);
  g_free (codec);
}

/* ------------------------------------------------------------------------ */

GST_START_TEST (test_find_sps)
{
  GstBuffer *buf, *sps;
  GByteArray *a;
  guint8 zeros[] = { 0, 0, 0 };
  guint8 short_sps[] = { 0x67, 0x42, 0x00 };

  /* in an access unit, behind 4- and 3-byte start codes */
  buf = access_unit (sps_high_31, sizeof (sps_high_31));
  sps = find_sps (buf);
  assert_buffer_equals (sps, sps_high_31, sizeof (sps_high_31));
  gst_buffer_unref (sps);
  gst_buffer_unref (buf);

  /* a delta unit carries none */
  buf = access_unit (NULL, 0);
  fail_unless (find_sps (buf) == NULL);
  gst_buffer_unref (buf);

  /* the first of two */
  a = g_byte_array_new ();
  append (a, start3, sizeof (start3));
  append (a, sps_main_30, sizeof (sps_main_30));
  append (a, start3, sizeof (start3));
  append (a, sps_high_31, sizeof (sps_high_31));
  buf = take_buffer (a);
  sps = find_sps (buf);
  assert_buffer_equals (sps, sps_main_30, sizeof (sps_main_30));
  gst_buffer_unref (sps);
  gst_buffer_unref (buf);

  /* last in the buffer: its trailing zero bytes are not its own */
  a = g_byte_array_new ();
  append (a, start4, sizeof (start4));
  append (a, aud, sizeof (aud));
  append (a, start3, sizeof (start3));
  append (a, sps_main_30, sizeof (sps_main_30));
  append (a, zeros, sizeof (zeros));
  buf = take_buffer (a);
  sps = find_sps (buf);
  assert_buffer_equals (sps, sps_main_30, sizeof (sps_main_30));
  gst_buffer_unref (sps);
  gst_buffer_unref (buf);

  /* followed by a 4-byte start code: its first zero is not the SPS's */
  a = g_byte_array_new ();
  append (a, start3, sizeof (start3));
  append (a, sps_main_30, sizeof (sps_main_30));
  append (a, start4, sizeof (start4));
  append (a, pps, sizeof (pps));
  buf = take_buffer (a);
  sps = find_sps (buf);
  assert_buffer_equals (sps, sps_main_30, sizeof (sps_main_30));
  gst_buffer_unref (sps);
  gst_buffer_unref (buf);

  /* followed by a start code that ends the buffer */
  a = g_byte_array_new ();
  append (a, start3, sizeof (start3));
  append (a, sps_main_30, sizeof (sps_main_30));
  append (a, start4, sizeof (start4));
  buf = take_buffer (a);
  sps = find_sps (buf);
  assert_buffer_equals (sps, sps_main_30, sizeof (sps_main_30));
  gst_buffer_unref (sps);
  gst_buffer_unref (buf);

  /* too short to say profile, flags and level */
  a = g_byte_array_new ();
  append (a, start4, sizeof (start4));
  append (a, short_sps, sizeof (short_sps));
  append (a, start4, sizeof (start4));
  append (a, pps, sizeof (pps));
  buf = take_buffer (a);
  fail_unless (find_sps (buf) == NULL);
  gst_buffer_unref (buf);
  a = g_byte_array_new ();
  append (a, start4, sizeof (start4));
  append (a, short_sps, sizeof (short_sps));
  append (a, start3, sizeof (start3));
  buf = take_buffer (a);
  fail_unless (find_sps (buf) == NULL);
  gst_buffer_unref (buf);

  /* no start code at all, or nothing */
  buf = gst_buffer_new_memdup (sps_high_31, sizeof (sps_high_31));
  fail_unless (find_sps (buf) == NULL);
  gst_buffer_unref (buf);
  buf = gst_buffer_new ();
  fail_unless (find_sps (buf) == NULL);
  gst_buffer_unref (buf);
}

GST_END_TEST;

GST_START_TEST (test_h264_in_band)
{
  GstBuffer *buf, *sps;

  buf = access_unit (sps_high_31, sizeof (sps_high_31));
  sps = find_sps (buf);
  assert_codec ("video/x-h264, stream-format=byte-stream, alignment=au",
      sps, "avc1.64001F");
  /* the stream's SPS wins over the caps fields */
  assert_codec ("video/x-h264, stream-format=byte-stream, alignment=au, "
      "profile=main, level=(string)4", sps, "avc1.64001F");
  gst_buffer_unref (sps);
  gst_buffer_unref (buf);

  buf = access_unit (sps_main_30, sizeof (sps_main_30));
  sps = find_sps (buf);
  assert_codec ("video/x-h264, stream-format=byte-stream, alignment=au",
      sps, "avc1.4D401E");
  gst_buffer_unref (sps);
  gst_buffer_unref (buf);
}

GST_END_TEST;

GST_START_TEST (test_h264_codec_data)
{
  GstBuffer *sps = gst_buffer_new_memdup (sps_main_30, sizeof (sps_main_30));

  /* an avcC record: profile, flags and level from it; an SPS seen in the
   * stream does not matter then */
  assert_codec ("video/x-h264, stream-format=avc, alignment=au, "
      "codec_data=(buffer)0164001fffe100046764001f0100046868ebe3cb",
      NULL, "avc1.64001F");
  assert_codec ("video/x-h264, stream-format=avc, alignment=au, "
      "codec_data=(buffer)0164001fffe100046764001f0100046868ebe3cb",
      sps, "avc1.64001F");
  assert_codec ("video/x-h264, stream-format=avc, alignment=au, "
      "codec_data=(buffer)0142c01effe100046742c01e0100046868ebe3cb",
      NULL, "avc1.42C01E");
  gst_buffer_unref (sps);
}

GST_END_TEST;

/* before an SPS has been seen: the profile and level caps fields */
GST_START_TEST (test_h264_caps_fields)
{
  static const struct
  {
    const gchar *profile;
    const gchar *level;
    const gchar *codec;
  } cases[] = {
    {"constrained-baseline", "3", "avc1.42401E"},
    {"baseline", "3.1", "avc1.42001F"},
    {"main", "4", "avc1.4D0028"},
    {"extended", "2.1", "avc1.580015"},
    {"constrained-high", "4.1", "avc1.640C29"},
    {"progressive-high", "4.2", "avc1.64082A"},
    {"high", "5.1", "avc1.640033"},
    {"high-10-intra", "4", "avc1.6E1028"},
    {"high-10", "4", "avc1.6E0028"},
    {"high-4:2:2-intra", "4", "avc1.7A1028"},
    {"high-4:2:2", "4", "avc1.7A0028"},
    {"high-4:4:4-intra", "4", "avc1.F41028"},
    {"high-4:4:4", "4", "avc1.F40028"},
    {"main", "1b", "avc1.4D0009"},
    {"high", "1", "avc1.64000A"},
    /* what cannot be told stays bare */
    {"main", NULL, "avc1"},
    {NULL, "4", "avc1"},
    {"main", "7", "avc1"},
    {"no-such-profile", "4", "avc1"},
  };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (cases); i++) {
    GString *caps = g_string_new ("video/x-h264, "
        "stream-format=byte-stream, alignment=au");

    if (cases[i].profile)
      g_string_append_printf (caps, ", profile=%s", cases[i].profile);
    if (cases[i].level)
      g_string_append_printf (caps, ", level=(string)%s", cases[i].level);
    assert_codec (caps->str, NULL, cases[i].codec);
    g_string_free (caps, TRUE);
  }

  assert_codec ("video/x-h264, stream-format=byte-stream, alignment=au",
      NULL, "avc1");
}

GST_END_TEST;

GST_START_TEST (test_h265)
{
  GstBuffer *sps = gst_buffer_new_memdup (sps_high_31, sizeof (sps_high_31));

  /* byte-stream carries no hvcC: only the family, left out of CODECS */
  assert_codec ("video/x-h265, stream-format=byte-stream, alignment=au, "
      "profile=main, tier=main, level=(string)3.1", NULL, "hev1");
  assert_codec ("video/x-h265, stream-format=byte-stream, alignment=au",
      sps, "hev1");

  /* an hvcC record (Main, level 3.1, progressive and frame-only) */
  assert_codec ("video/x-h265, stream-format=hvc1, alignment=au, "
      "codec_data=(buffer)0101600000009000000000005df000fcfdf8f800000f00",
      NULL, "hvc1.1.6.L93.90");
  assert_codec ("video/x-h265, stream-format=hev1, alignment=au, "
      "codec_data=(buffer)0101600000009000000000005df000fcfdf8f800000f00",
      NULL, "hev1.1.6.L93.90");
  gst_buffer_unref (sps);
}

GST_END_TEST;

GST_START_TEST (test_aac)
{
  static const struct
  {
    const gchar *caps;
    const gchar *codec;
  } cases[] = {
    /* ADTS: the AudioSpecificConfig comes from the caps fields */
    {"audio/mpeg, mpegversion=4, stream-format=adts, profile=lc, "
          "rate=48000, channels=2", "mp4a.40.2"},
    {"audio/mpeg, mpegversion=4, stream-format=adts, rate=44100, "
          "channels=2", "mp4a.40.2"},
    {"audio/mpeg, mpegversion=4, stream-format=adts", "mp4a.40.2"},
    {"audio/mpeg, mpegversion=2, stream-format=adts, profile=lc, "
          "rate=22050, channels=1", "mp4a.40.2"},
    {"audio/mpeg, mpegversion=4, stream-format=adts, profile=main, "
          "rate=48000, channels=2", "mp4a.40.1"},
    {"audio/mpeg, mpegversion=4, stream-format=adts, profile=ssr",
        "mp4a.40.3"},
    {"audio/mpeg, mpegversion=4, stream-format=adts, profile=ltp",
        "mp4a.40.4"},
    {"audio/mpeg, mpegversion=4, stream-format=adts, profile=he-aac",
        "mp4a.40.5"},
    {"audio/mpeg, mpegversion=4, stream-format=adts, profile=he-aac-v1",
        "mp4a.40.5"},
    {"audio/mpeg, mpegversion=4, stream-format=adts, profile=he-aac-v2",
        "mp4a.40.29"},
    {"audio/mpeg, mpegversion=4, stream-format=adts, profile=something",
        "mp4a.40.2"},
    /* rates and channel counts an AudioSpecificConfig cannot carry */
    {"audio/mpeg, mpegversion=4, stream-format=adts, profile=lc, "
          "rate=12345, channels=9", "mp4a.40.2"},
    /* raw: the AudioSpecificConfig of the stream */
    {"audio/mpeg, mpegversion=4, stream-format=raw, rate=44100, "
          "channels=2, codec_data=(buffer)1210", "mp4a.40.2"},
    {"audio/mpeg, mpegversion=4, stream-format=raw, rate=48000, "
          "channels=2, codec_data=(buffer)0990", "mp4a.40.1"},
    {"audio/mpeg, mpegversion=4, stream-format=raw, rate=24000, "
          "channels=2, codec_data=(buffer)2b920800", "mp4a.40.5"},
  };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (cases); i++)
    assert_codec (cases[i].caps, NULL, cases[i].codec);
}

GST_END_TEST;

GST_START_TEST (test_other_audio)
{
  gchar *codec;

  /* MP3 */
  assert_codec ("audio/mpeg, mpegversion=1, layer=3, rate=44100, "
      "channels=2", NULL, "mp4a.40.34");
  assert_codec ("audio/mpeg, mpegversion=1", NULL, "mp4a.40.34");

  /* GStreamer 1.22 has no codec string for AC-3 and E-AC-3: left out */
  codec = codec_of ("audio/x-ac3, rate=48000, channels=6", NULL);
  fail_if (ladder_codec_string_is_complete (codec), "%s", codec);
  g_free (codec);
  codec = codec_of ("audio/x-eac3, rate=48000, channels=6", NULL);
  fail_if (ladder_codec_string_is_complete (codec), "%s", codec);
  g_free (codec);
}

GST_END_TEST;

GST_START_TEST (test_no_caps)
{
  GstCaps *caps = gst_caps_new_empty ();

  fail_unless (ladder_codec_string_from_caps (NULL, NULL) == NULL);
  fail_unless (ladder_codec_string_from_caps (caps, NULL) == NULL);
  gst_caps_unref (caps);
}

GST_END_TEST;

GST_START_TEST (test_is_complete)
{
  static const gchar *const incomplete[] = {
    "", "avc1", "avc3", "hev1", "hvc1", "mp4a", "mp4a.40", "av01", "vp09",
  };
  static const gchar *const complete[] = {
    "avc1.64001F", "avc3.42C01E", "hvc1.1.6.L93.90", "mp4a.40.2",
    "mp4a.40.34", "ac-3", "ec-3", "vp08",
  };
  guint i;

  fail_if (ladder_codec_string_is_complete (NULL));
  for (i = 0; i < G_N_ELEMENTS (incomplete); i++)
    fail_if (ladder_codec_string_is_complete (incomplete[i]), "%s",
        incomplete[i]);
  for (i = 0; i < G_N_ELEMENTS (complete); i++)
    fail_unless (ladder_codec_string_is_complete (complete[i]), "%s",
        complete[i]);
}

GST_END_TEST;

static Suite *
laddercodecs_suite (void)
{
  Suite *s = suite_create ("laddercodecs");
  TCase *tc = tcase_create ("general");

  suite_add_tcase (s, tc);
  tcase_add_test (tc, test_find_sps);
  tcase_add_test (tc, test_h264_in_band);
  tcase_add_test (tc, test_h264_codec_data);
  tcase_add_test (tc, test_h264_caps_fields);
  tcase_add_test (tc, test_h265);
  tcase_add_test (tc, test_aac);
  tcase_add_test (tc, test_other_audio);
  tcase_add_test (tc, test_no_caps);
  tcase_add_test (tc, test_is_complete);
  return s;
}

GST_CHECK_MAIN (laddercodecs);
