/* gst-ladder
 * Copyright (C) 2026 The gst-ladder authors
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2 of the License, or (at your option) any later version.
 */

/* The pieces of ladderhlssink that are not about pads and children:
 *
 * - the multivariant playlist text (ladder_playlist_render_multivariant()),
 * - atomic writes: a temporary file in the same folder renamed over the
 *   target (ladder_playlist_write_atomic()), and a GOutputStream that
 *   collects what hlssink2 writes and stores it the same way on close
 *   (ladder_atomic_output_stream_new()),
 * - RFC 6381 codec strings from caps (ladder_codec_string_from_caps()):
 *   gst_codec_utils_caps_get_mime_codec() needs codec_data to say more than
 *   "avc1" or "mp4a.40", and MPEG-TS bound streams (H.264 byte-stream, ADTS)
 *   carry none, so we build it: an avcC record around the SPS seen in the
 *   stream, an AudioSpecificConfig from the AAC caps fields.
 */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <string.h>
#include <gst/pbutils/pbutils.h>

#include "ladderplaylist.h"

GST_DEBUG_CATEGORY_STATIC (ladder_playlist_debug);
#define GST_CAT_DEFAULT ladder_playlist_debug

static void
ladder_playlist_init_debug (void)
{
  static gsize done = 0;

  if (g_once_init_enter (&done)) {
    GST_DEBUG_CATEGORY_INIT (ladder_playlist_debug, "ladderplaylist", 0,
        "ladderhlssink multivariant playlist writer");
    g_once_init_leave (&done, 1);
  }
}

/* ------------------------------------------------------------------------ */
/* variants and the multivariant playlist */

LadderVariant *
ladder_variant_new (const gchar * uri)
{
  LadderVariant *variant = g_new0 (LadderVariant, 1);

  variant->uri = g_strdup (uri);
  variant->independent = TRUE;
  return variant;
}

void
ladder_variant_free (LadderVariant * variant)
{
  if (variant == NULL)
    return;
  g_free (variant->uri);
  g_free (variant->codecs);
  g_free (variant);
}

static gint
compare_variants (gconstpointer a, gconstpointer b)
{
  const LadderVariant *va = *(const LadderVariant **) a;
  const LadderVariant *vb = *(const LadderVariant **) b;

  /* highest bandwidth first; the URI breaks ties so that the order does
   * not depend on the order renditions were requested in */
  if (va->bandwidth != vb->bandwidth)
    return va->bandwidth > vb->bandwidth ? -1 : 1;
  return g_strcmp0 (va->uri, vb->uri);
}

/* Sorts @variants (highest BANDWIDTH first) and returns the playlist text. */
gchar *
ladder_playlist_render_multivariant (GPtrArray * variants)
{
  GString *s = g_string_new ("#EXTM3U\n");
  guint i;

  g_ptr_array_sort (variants, compare_variants);

  g_string_append_printf (s, "#EXT-X-VERSION:%d\n", LADDER_PLAYLIST_VERSION);
  /* only when it is true of every variant listed */
  for (i = 0; i < variants->len; i++) {
    const LadderVariant *v = g_ptr_array_index (variants, i);

    if (!v->independent)
      break;
  }
  if (i == variants->len)
    g_string_append (s, "#EXT-X-INDEPENDENT-SEGMENTS\n");

  for (i = 0; i < variants->len; i++) {
    const LadderVariant *v = g_ptr_array_index (variants, i);

    g_string_append_printf (s, "#EXT-X-STREAM-INF:BANDWIDTH=%" G_GUINT64_FORMAT,
        v->bandwidth);
    if (v->average_bandwidth > 0)
      g_string_append_printf (s, ",AVERAGE-BANDWIDTH=%" G_GUINT64_FORMAT,
          v->average_bandwidth);
    if (v->width > 0 && v->height > 0)
      g_string_append_printf (s, ",RESOLUTION=%dx%d", v->width, v->height);
    if (v->fps_n > 0 && v->fps_d > 0) {
      gchar buf[G_ASCII_DTOSTR_BUF_SIZE];

      g_ascii_formatd (buf, sizeof (buf), "%.3f",
          (gdouble) v->fps_n / (gdouble) v->fps_d);
      g_string_append_printf (s, ",FRAME-RATE=%s", buf);
    }
    if (v->codecs != NULL)
      g_string_append_printf (s, ",CODECS=\"%s\"", v->codecs);
    g_string_append_c (s, '\n');
    g_string_append_printf (s, "%s\n", v->uri);
  }

  return g_string_free (s, FALSE);
}

/* ------------------------------------------------------------------------ */
/* atomic writes */

/* Writes @contents to a temporary file next to @path, then renames it over
 * @path: a reader sees the old file or the new one, never a part. */
gboolean
ladder_playlist_write_atomic (const gchar * path, const gchar * contents,
    gssize length, GError ** error)
{
  ladder_playlist_init_debug ();
  GST_LOG ("writing %s", path);

  return g_file_set_contents_full (path, contents, length,
      G_FILE_SET_CONTENTS_CONSISTENT | G_FILE_SET_CONTENTS_ONLY_EXISTING,
      0644, error);
}

#define LADDER_TYPE_ATOMIC_OUTPUT_STREAM (ladder_atomic_output_stream_get_type ())
G_DECLARE_FINAL_TYPE (LadderAtomicOutputStream, ladder_atomic_output_stream,
    LADDER, ATOMIC_OUTPUT_STREAM, GOutputStream);

/* An output stream that keeps what is written in memory and, on close,
 * stores it with ladder_playlist_write_atomic(). hlssink2 writes each
 * playlist in one go and drops the stream, which closes it. */
struct _LadderAtomicOutputStream
{
  GOutputStream parent;

  gchar *path;
  GByteArray *data;
  LadderPlaylistWrittenFunc written;
  gpointer user_data;
  GDestroyNotify notify;
};

G_DEFINE_TYPE (LadderAtomicOutputStream, ladder_atomic_output_stream,
    G_TYPE_OUTPUT_STREAM);

static gssize
ladder_atomic_output_stream_write (GOutputStream * stream, const void *buffer,
    gsize count, GCancellable * cancellable, GError ** error)
{
  LadderAtomicOutputStream *self = LADDER_ATOMIC_OUTPUT_STREAM (stream);

  g_byte_array_append (self->data, buffer, count);
  return count;
}

static gboolean
ladder_atomic_output_stream_close (GOutputStream * stream,
    GCancellable * cancellable, GError ** error)
{
  LadderAtomicOutputStream *self = LADDER_ATOMIC_OUTPUT_STREAM (stream);
  GError *err = NULL;

  if (self->path && !ladder_playlist_write_atomic (self->path,
          (const gchar *) self->data->data, self->data->len, &err)) {
    /* hlssink2 drops the stream without looking at the close result, so
     * say it here too */
    GST_WARNING ("could not write %s: %s", self->path, err->message);
    g_propagate_error (error, err);
    return FALSE;
  }
  if (self->written)
    self->written ((const gchar *) self->data->data, self->data->len,
        self->user_data);
  return TRUE;
}

static void
ladder_atomic_output_stream_finalize (GObject * object)
{
  LadderAtomicOutputStream *self = LADDER_ATOMIC_OUTPUT_STREAM (object);

  g_free (self->path);
  g_byte_array_unref (self->data);
  if (self->notify)
    self->notify (self->user_data);

  G_OBJECT_CLASS (ladder_atomic_output_stream_parent_class)->finalize (object);
}

static void
ladder_atomic_output_stream_class_init (LadderAtomicOutputStreamClass * klass)
{
  GObjectClass *gobject_class = G_OBJECT_CLASS (klass);
  GOutputStreamClass *stream_class = G_OUTPUT_STREAM_CLASS (klass);

  gobject_class->finalize = ladder_atomic_output_stream_finalize;
  stream_class->write_fn = ladder_atomic_output_stream_write;
  stream_class->close_fn = ladder_atomic_output_stream_close;
}

static void
ladder_atomic_output_stream_init (LadderAtomicOutputStream * self)
{
  self->data = g_byte_array_new ();
}

/* Returns a stream whose contents replace @path (optional: NULL writes
 * nothing) atomically when it is closed (or finalized); then @written
 * (optional) is called with them, in the thread that closes the stream. @notify frees @user_data with the
 * stream. */
GOutputStream *
ladder_atomic_output_stream_new (const gchar * path,
    LadderPlaylistWrittenFunc written, gpointer user_data,
    GDestroyNotify notify)
{
  LadderAtomicOutputStream *self;

  ladder_playlist_init_debug ();
  self = g_object_new (LADDER_TYPE_ATOMIC_OUTPUT_STREAM, NULL);
  self->path = g_strdup (path);
  self->written = written;
  self->user_data = user_data;
  self->notify = notify;
  return G_OUTPUT_STREAM (self);
}

/* TRUE if the media playlist @contents ends the stream (#EXT-X-ENDLIST on a
 * line of its own) */
gboolean
ladder_playlist_is_ended (const gchar * contents, gsize length)
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

/* ------------------------------------------------------------------------ */
/* codec strings */

/* Returns the first sequence parameter set NAL unit (header byte included)
 * of an H.264 byte-stream buffer, or NULL. */
GstBuffer *
ladder_h264_find_sps (GstBuffer * buffer)
{
  GstMapInfo map;
  GstBuffer *sps = NULL;
  gsize i, start = 0, end;
  gboolean in_sps = FALSE;

  if (!gst_buffer_map (buffer, &map, GST_MAP_READ))
    return NULL;

  end = map.size;

  for (i = 0; i + 3 <= map.size; i++) {
    if (map.data[i] != 0 || map.data[i + 1] != 0 || map.data[i + 2] != 1)
      continue;
    /* a start code at i: it ends the SPS we are in, if any */
    if (in_sps) {
      end = i;
      break;
    }
    if (i + 3 < map.size && (map.data[i + 3] & 0x1f) == 7) {
      in_sps = TRUE;
      start = i + 3;
    }
    i += 2;
  }
  if (in_sps) {
    /* trailing zero bytes belong to the next start code */
    while (end > start && map.data[end - 1] == 0)
      end--;
    if (end - start >= 4)
      sps = gst_buffer_new_memdup (map.data + start, end - start);
  }

  gst_buffer_unmap (buffer, &map);
  return sps;
}

typedef struct
{
  const gchar *name;
  guint8 profile_idc;
  guint8 constraints;
} H264Profile;

/* the profile strings of h264parse and x264enc caps */
static const H264Profile h264_profiles[] = {
  {"constrained-baseline", 66, 0x40},
  {"baseline", 66, 0x00},
  {"main", 77, 0x00},
  {"extended", 88, 0x00},
  {"constrained-high", 100, 0x0c},
  {"progressive-high", 100, 0x08},
  {"high", 100, 0x00},
  {"high-10-intra", 110, 0x10},
  {"high-10", 110, 0x00},
  {"high-4:2:2-intra", 122, 0x10},
  {"high-4:2:2", 122, 0x00},
  {"high-4:4:4-intra", 244, 0x10},
  {"high-4:4:4", 244, 0x00},
};

static GstBuffer *
h264_sps_from_caps (const GstStructure * s)
{
  const gchar *profile = gst_structure_get_string (s, "profile");
  const gchar *level = gst_structure_get_string (s, "level");
  guint8 sps[4] = { 0x67, 0, 0, 0 };
  guint i;

  if (profile == NULL || level == NULL)
    return NULL;
  for (i = 0; i < G_N_ELEMENTS (h264_profiles); i++) {
    if (strcmp (profile, h264_profiles[i].name) == 0) {
      sps[1] = h264_profiles[i].profile_idc;
      sps[2] = h264_profiles[i].constraints;
      break;
    }
  }
  sps[3] = gst_codec_utils_h264_get_level_idc (level);
  if (sps[1] == 0 || sps[3] == 0)
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

  ladder_playlist_init_debug ();
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
