/* gst-ladder
 * Copyright (C) 2026 The gst-ladder authors
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2 of the License, or (at your option) any later version.
 */

/* RFC 6381 codec strings for the CODECS attribute of ladderhlssink's
 * multivariant playlist (ladder_codec_string_from_caps()), as
 * gst_codec_utils_caps_get_mime_codec() makes them from codec_data. MPEG-TS
 * bound streams (H.264 byte-stream, ADTS) carry none, and without it that
 * function says no more than "avc1" or "mp4a.40", so we give it one:
 *
 * - H.264: an avcC record around the first SPS in the stream, found with
 *   the NAL unit parser of libgstcodecparsers (ladder_h264_find_sps());
 *   before one is seen, around the profile_idc, constraint flags and
 *   level_idc that pbutils names as the profile and level of the caps;
 * - AAC: an AudioSpecificConfig from the caps fields. */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <string.h>
#include <gst/pbutils/pbutils.h>

#include "laddercodecs.h"

/* Returns the first sequence parameter set NAL unit (header byte included)
 * of an H.264 byte-stream buffer, or NULL, also when that SPS is too short
 * to carry profile_idc, the constraint flags and level_idc. @parser is
 * used by one thread at a time. */
GstBuffer *
ladder_h264_find_sps (GstH264NalParser * parser, GstBuffer * buffer)
{
  GstH264ParserResult res;
  GstH264NalUnit nalu;
  GstMapInfo map;
  GstBuffer *sps = NULL;
  guint offset = 0;
  gsize size;

  if (!gst_buffer_map (buffer, &map, GST_MAP_READ))
    return NULL;

  while (offset < map.size) {
    res = gst_h264_parser_identify_nalu (parser, map.data, offset, map.size,
        &nalu);
    /* BROKEN_DATA: a NAL unit of a byte, or too short for its header;
     * the next one may still be the SPS */
    if (res != GST_H264_PARSER_OK && res != GST_H264_PARSER_NO_NAL_END
        && res != GST_H264_PARSER_BROKEN_DATA)
      break;
    if (nalu.offset <= offset)
      break;
    if (nalu.size > 0 && nalu.type == GST_H264_NAL_SPS) {
      size = nalu.size;
      /* on the last NAL unit of the buffer, the parser leaves a start code
       * that nothing follows, and the zero bytes in front of it: neither is
       * the SPS's */
      if (res == GST_H264_PARSER_NO_NAL_END && size >= 3
          && memcmp (map.data + nalu.offset + size - 3, "\0\0\1", 3) == 0)
        size -= 3;
      while (size > 0 && map.data[nalu.offset + size - 1] == 0)
        size--;
      if (size >= 4)
        sps = gst_buffer_new_memdup (map.data + nalu.offset, size);
      break;
    }
    if (res == GST_H264_PARSER_NO_NAL_END)
      break;
    offset = nalu.offset + nalu.size;
  }

  gst_buffer_unmap (buffer, &map);
  return sps;
}

/* The profile_idc and constraint flags byte that pbutils calls @profile,
 * the way h264parse names the profile of its caps from the SPS: the
 * profiles of Annex A (those of avc1), the fewest flags that make the
 * name. */
static gboolean
h264_profile_from_name (const gchar * profile, guint8 * profile_idc,
    guint8 * constraints)
{
  static const GstH264Profile profiles[] = {
    GST_H264_PROFILE_BASELINE, GST_H264_PROFILE_MAIN,
    GST_H264_PROFILE_EXTENDED, GST_H264_PROFILE_HIGH, GST_H264_PROFILE_HIGH10,
    GST_H264_PROFILE_HIGH_422, GST_H264_PROFILE_HIGH_444,
  };
  /* the constraint_set flags a profile name depends on: 1, 3, 4 and 5 */
  static const guint8 named_flags = 0x40 | 0x10 | 0x08 | 0x04;
  guint i, flags;

  for (i = 0; i < G_N_ELEMENTS (profiles); i++) {
    for (flags = 0; flags <= named_flags; flags++) {
      guint8 bytes[2] = { profiles[i], flags };
      const gchar *name;

      if ((flags & ~named_flags) != 0)
        continue;
      name = gst_codec_utils_h264_get_profile (bytes, sizeof (bytes));
      if (name != NULL && strcmp (name, profile) == 0) {
        *profile_idc = bytes[0];
        *constraints = bytes[1];
        return TRUE;
      }
    }
  }
  return FALSE;
}

static GstBuffer *
h264_sps_from_caps (const GstStructure * s)
{
  const gchar *profile = gst_structure_get_string (s, "profile");
  const gchar *level = gst_structure_get_string (s, "level");
  guint8 sps[4] = { 0x67, 0, 0, 0 };

  if (profile == NULL || level == NULL)
    return NULL;
  if (!h264_profile_from_name (profile, &sps[1], &sps[2]))
    return NULL;
  sps[3] = gst_codec_utils_h264_get_level_idc (level);
  if (sps[3] == 0)
    return NULL;
  return gst_buffer_new_memdup (sps, sizeof (sps));
}

static gchar *
mime_codec_with_codec_data (const GstCaps * caps, GstBuffer * codec_data,
    const gchar * stream_format)
{
  GstCaps *copy = gst_caps_copy (caps);
  gchar *codec;

  gst_caps_set_simple (copy, "codec_data", GST_TYPE_BUFFER, codec_data, NULL);
  if (stream_format != NULL)
    gst_caps_set_simple (copy, "stream-format", G_TYPE_STRING, stream_format,
        NULL);
  codec = gst_codec_utils_caps_get_mime_codec (copy);
  gst_caps_unref (copy);
  return codec;
}

static gchar *
h264_codec_string (const GstCaps * caps, GstBuffer * sps)
{
  const GstStructure *s = gst_caps_get_structure (caps, 0);
  GstBuffer *own_sps = NULL, *avcc;
  GstMapInfo map;
  guint8 *data;
  gchar *codec;

  if (sps == NULL)
    sps = own_sps = h264_sps_from_caps (s);
  if (sps == NULL)
    return gst_codec_utils_caps_get_mime_codec ((GstCaps *) caps);

  /* an AVCDecoderConfigurationRecord with the SPS and no PPS */
  gst_buffer_map (sps, &map, GST_MAP_READ);
  data = g_malloc (9 + map.size);
  data[0] = 1;
  data[1] = map.data[1];
  data[2] = map.data[2];
  data[3] = map.data[3];
  data[4] = 0xff;
  data[5] = 0xe1;
  data[6] = (map.size >> 8) & 0xff;
  data[7] = map.size & 0xff;
  memcpy (data + 8, map.data, map.size);
  data[8 + map.size] = 0;
  avcc = gst_buffer_new_wrapped (data, 9 + map.size);
  gst_buffer_unmap (sps, &map);

  codec = mime_codec_with_codec_data (caps, avcc, "avc");
  gst_buffer_unref (avcc);
  gst_clear_buffer (&own_sps);
  return codec;
}

static guint
aac_object_type (const gchar * profile)
{
  if (profile == NULL || strcmp (profile, "lc") == 0)
    return 2;
  if (strcmp (profile, "main") == 0)
    return 1;
  if (strcmp (profile, "ssr") == 0)
    return 3;
  if (strcmp (profile, "ltp") == 0)
    return 4;
  if (strcmp (profile, "he-aac") == 0 || strcmp (profile, "he-aac-v1") == 0)
    return 5;
  if (strcmp (profile, "he-aac-v2") == 0)
    return 29;
  return 2;
}

static gchar *
aac_codec_string (const GstCaps * caps)
{
  const GstStructure *s = gst_caps_get_structure (caps, 0);
  gint rate = 0, channels = 0, index;
  guint aot;
  guint8 asc[2];
  GstBuffer *codec_data;
  gchar *codec;

  /* ADTS (avenc_aac, aacparse) has no codec_data: build the
   * AudioSpecificConfig from the caps; without a profile field we take
   * AAC-LC, what every common encoder makes by default */
  aot = aac_object_type (gst_structure_get_string (s, "profile"));
  gst_structure_get_int (s, "rate", &rate);
  gst_structure_get_int (s, "channels", &channels);
  index = rate > 0 ? gst_codec_utils_aac_get_index_from_sample_rate (rate) : -1;
  if (index < 0 || index > 12)
    index = 4;                  /* 44100 Hz: only the object type matters */
  if (channels < 0 || channels > 7)
    channels = 0;
  asc[0] = (aot << 3) | (index >> 1);
  asc[1] = ((index & 1) << 7) | (channels << 3);
  codec_data = gst_buffer_new_memdup (asc, sizeof (asc));
  codec = mime_codec_with_codec_data (caps, codec_data, NULL);
  gst_buffer_unref (codec_data);
  return codec;
}

/* Returns the RFC 6381 codec string of @caps, as
 * gst_codec_utils_caps_get_mime_codec() gives it for caps with codec_data.
 * @sps: for H.264 byte-stream, the SPS seen in the stream, or NULL to use
 * the profile and level fields of the caps. */
gchar *
ladder_codec_string_from_caps (const GstCaps * caps, GstBuffer * sps)
{
  const GstStructure *s;
  gint mpegversion = 0;

  if (caps == NULL || gst_caps_get_size (caps) == 0)
    return NULL;
  s = gst_caps_get_structure (caps, 0);

  if (gst_structure_has_field (s, "codec_data"))
    return gst_codec_utils_caps_get_mime_codec ((GstCaps *) caps);

  if (gst_structure_has_name (s, "video/x-h264"))
    return h264_codec_string (caps, sps);

  if (gst_structure_has_name (s, "audio/mpeg")) {
    gst_structure_get_int (s, "mpegversion", &mpegversion);
    if (mpegversion == 2 || mpegversion == 4)
      return aac_codec_string (caps);
    if (mpegversion == 1)
      return g_strdup ("mp4a.40.34");   /* MP3 */
  }

  return gst_codec_utils_caps_get_mime_codec ((GstCaps *) caps);
}

/* FALSE for the bare forms that say which codec family but not which
 * profile: a player cannot use them to pick a variant. */
gboolean
ladder_codec_string_is_complete (const gchar * codec)
{
  static const gchar *const bare[] = {
    "avc1", "avc3", "hev1", "hvc1", "mp4a", "mp4a.40", "av01", "vp09",
  };
  guint i;

  if (codec == NULL || *codec == '\0')
    return FALSE;
  for (i = 0; i < G_N_ELEMENTS (bare); i++)
    if (strcmp (codec, bare[i]) == 0)
      return FALSE;
  return TRUE;
}
