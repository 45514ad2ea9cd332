/* gst-ladder
 * Copyright (C) 2026 The gst-ladder authors
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2 of the License, or (at your option) any later version.
 */

/* ladderhlssink: folder layout, multivariant playlist fields and order,
 * CODECS from the real stream, media playlists ended, aligned segments,
 * renditions released and added mid-run, atomic playlists, refused names,
 * missing location. */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <string.h>
#include <stdlib.h>
#include <glib/gstdio.h>
#include <gst/check/gstcheck.h>
#include <gst/pbutils/pbutils.h>

#include "laddertest.h"

#define VIDEO_BRANCH(name, w, h, kbps, frames) \
  "videotestsrc num-buffers=" #frames " ! video/x-raw,format=I420,width=" \
  #w ",height=" #h ",framerate=15/1 ! x264enc key-int-max=15 " \
  "option-string=scenecut=0 speed-preset=ultrafast bitrate=" #kbps \
  " ! h264parse name=hp_" name " ! hls.video_" name " "

#define LIVE_VIDEO_BRANCH(name, kbps, frames) \
  "videotestsrc is-live=true num-buffers=" #frames " ! video/x-raw," \
  "format=I420,width=160,height=90,framerate=15/1 ! x264enc " \
  "key-int-max=15 option-string=scenecut=0 speed-preset=ultrafast " \
  "tune=zerolatency bitrate=" #kbps " ! h264parse name=hp_" name \
  " ! hls.video_" name " "

#define AUDIO_BRANCH(name, samples) \
  "audiotestsrc num-buffers=" #samples " ! avenc_aac ! aacparse name=ap_" \
  name " ! hls.audio_" name " "

static const gchar *needed[] = {
  "hlssink2", "x264enc", "avenc_aac", "h264parse", "aacparse", "videotestsrc",
  "audiotestsrc",
};

/* the AAC encoder of the audio branches: avenc_aac (ADTS without
 * codec_data, the case CODECS has to work out), or voaacenc under
 * valgrind, which cannot run the start-up code of a library libav loads */
static const gchar *aac_encoder = "avenc_aac";

static gboolean
under_valgrind (void)
{
  const gchar *preload = g_getenv ("LD_PRELOAD");

  return preload && strstr (preload, "vgpreload") != NULL;
}

/* @desc with the chosen AAC encoder */
static gchar *
with_aac_encoder (gchar * desc)
{
  gchar **parts = g_strsplit (desc, "avenc_aac", -1);
  gchar *ret = g_strjoinv (aac_encoder, parts);

  g_strfreev (parts);
  g_free (desc);
  return ret;
}

static gboolean
have_elements (void)
{
  GstElementFactory *own;
  guint i;

  /* ours is not optional */
  own = gst_element_factory_find ("ladderhlssink");
  fail_unless (own != NULL, "ladderhlssink is not registered");
  gst_object_unref (own);

  if (under_valgrind ()) {
    if (!gst_registry_check_feature_version (gst_registry_get (), "voaacenc",
            1, 0, 0)) {
      g_print ("SKIP: under valgrind the ladderhlssink tests need voaacenc "
          "(avenc_aac cannot load there)\n");
      return FALSE;
    }
    aac_encoder = "voaacenc";
  }

  for (i = 0; i < G_N_ELEMENTS (needed); i++) {
    if (under_valgrind () && strcmp (needed[i], "avenc_aac") == 0)
      continue;
    if (!gst_registry_check_feature_version (gst_registry_get (), needed[i],
            1, 0, 0)) {
      g_print ("SKIP: ladderhlssink tests need %s\n", needed[i]);
      return FALSE;
    }
  }
  return TRUE;
}

/* ------------------------------------------------------------------------ */
/* files */

static void
rm_rf (const gchar * path)
{
  GDir *dir = g_dir_open (path, 0, NULL);

  if (dir) {
    const gchar *name;

    while ((name = g_dir_read_name (dir))) {
      gchar *child = g_build_filename (path, name, NULL);

      rm_rf (child);
      g_free (child);
    }
    g_dir_close (dir);
  }
  g_remove (path);
}

static gchar *
read_file (const gchar * dir, const gchar * name)
{
  gchar *path = g_build_filename (dir, name, NULL);
  gchar *contents = NULL;

  g_file_get_contents (path, &contents, NULL, NULL);
  g_free (path);
  return contents;
}

static guint
count_entries (const gchar * path)
{
  GDir *dir = g_dir_open (path, 0, NULL);
  guint n = 0;

  if (dir == NULL)
    return 0;
  while (g_dir_read_name (dir))
    n++;
  g_dir_close (dir);
  return n;
}

/* ------------------------------------------------------------------------ */
/* playlists */

typedef struct
{
  guint64 bandwidth;
  guint64 average_bandwidth;
  gchar *resolution;
  gchar *frame_rate;
  gchar *codecs;
  gchar *uri;
} Variant;

static void
variant_free (Variant * v)
{
  g_free (v->resolution);
  g_free (v->frame_rate);
  g_free (v->codecs);
  g_free (v->uri);
  g_free (v);
}

/* the value of ATTR= in an attribute list; quoted values keep commas */
static gchar *
attribute (const gchar * list, const gchar * attr)
{
  gchar *key = g_strdup_printf ("%s=", attr);
  const gchar *p = list;
  gchar *ret = NULL;

  while ((p = strstr (p, key)) != NULL) {
    if (p == list || p[-1] == ',' || p[-1] == ':') {
      const gchar *v = p + strlen (key);
      const gchar *end;

      if (*v == '"') {
        end = strchr (v + 1, '"');
        ret = end ? g_strndup (v + 1, end - v - 1) : NULL;
      } else {
        end = strchr (v, ',');
        ret = end ? g_strndup (v, end - v) : g_strdup (v);
      }
      break;
    }
    p++;
  }
  g_free (key);
  return ret;
}

/* Parses a multivariant playlist; NULL if it is not complete. */
static GPtrArray *
parse_master (const gchar * text)
{
  GPtrArray *variants;
  gchar **lines;
  guint i, n;
  gboolean ok = TRUE, have_version = FALSE, have_independent = FALSE;

  if (text == NULL || !g_str_has_prefix (text, "#EXTM3U\n")
      || !g_str_has_suffix (text, "\n"))
    return NULL;

  variants = g_ptr_array_new_with_free_func ((GDestroyNotify) variant_free);
  lines = g_strsplit (text, "\n", -1);
  n = g_strv_length (lines);
  for (i = 0; i < n && ok; i++) {
    const gchar *line = lines[i];

    if (g_str_has_prefix (line, "#EXT-X-VERSION:"))
      have_version = TRUE;
    else if (strcmp (line, "#EXT-X-INDEPENDENT-SEGMENTS") == 0)
      have_independent = TRUE;
    else if (g_str_has_prefix (line, "#EXT-X-STREAM-INF:")) {
      const gchar *attrs = line + strlen ("#EXT-X-STREAM-INF:");
      Variant *v = g_new0 (Variant, 1);
      gchar *bw = attribute (attrs, "BANDWIDTH");
      gchar *avg = attribute (attrs, "AVERAGE-BANDWIDTH");

      v->bandwidth = bw ? g_ascii_strtoull (bw, NULL, 10) : 0;
      v->average_bandwidth = avg ? g_ascii_strtoull (avg, NULL, 10) : 0;
      v->resolution = attribute (attrs, "RESOLUTION");
      v->frame_rate = attribute (attrs, "FRAME-RATE");
      v->codecs = attribute (attrs, "CODECS");
      ok = bw != NULL && i + 1 < n && lines[i + 1][0] != '#'
          && g_str_has_suffix (lines[i + 1], ".m3u8");
      if (ok)
        v->uri = g_strdup (lines[++i]);
      g_ptr_array_add (variants, v);
      g_free (bw);
      g_free (avg);
    }
  }
  g_strfreev (lines);

  if (!ok || !have_version || !have_independent) {
    g_ptr_array_unref (variants);
    return NULL;
  }
  return variants;
}

static Variant *
find_variant (GPtrArray * variants, const gchar * uri)
{
  guint i;

  for (i = 0; i < variants->len; i++) {
    Variant *v = g_ptr_array_index (variants, i);

    if (strcmp (v->uri, uri) == 0)
      return v;
  }
  return NULL;
}

/* a media playlist as hlssink2 writes it: complete if it ends after a
 * segment URI or with the end tag */
static gboolean
media_is_complete (const gchar * text)
{
  return text != NULL && g_str_has_prefix (text, "#EXTM3U\n")
      && (g_str_has_suffix (text, ".ts\n")
      || g_str_has_suffix (text, "#EXT-X-ENDLIST\n"));
}

/* the EXTINF durations, as written */
static gchar **
media_durations (const gchar * text)
{
  GPtrArray *ret = g_ptr_array_new ();
  gchar **lines = g_strsplit (text, "\n", -1);
  guint i;

  for (i = 0; lines[i]; i++) {
    if (g_str_has_prefix (lines[i], "#EXTINF:")) {
      const gchar *d = lines[i] + strlen ("#EXTINF:");

      g_ptr_array_add (ret, g_strndup (d, strcspn (d, ",")));
    }
  }
  g_strfreev (lines);
  g_ptr_array_add (ret, NULL);
  return (gchar **) g_ptr_array_free (ret, FALSE);
}

/* ------------------------------------------------------------------------ */
/* running pipelines */

/* Runs @pipeline (already PLAYING if @started) until the EOS message of
 * the pipeline, which fails the test if it does not come within a minute,
 * and leaves it PLAYING. ladderhlssink posts its own EOS once every
 * rendition has ended, so the pipeline's EOS always comes. */
static void
run_until_eos (GstElement * pipeline, gboolean started)
{
  GstBus *bus = gst_element_get_bus (pipeline);
  GstMessage *msg;

  if (!started)
    fail_unless (gst_element_set_state (pipeline, GST_STATE_PLAYING) !=
        GST_STATE_CHANGE_FAILURE);

  msg = gst_bus_timed_pop_filtered (bus, 60 * GST_SECOND,
      GST_MESSAGE_EOS | GST_MESSAGE_ERROR);
  fail_unless (msg != NULL, "no EOS within 60 s");
  if (GST_MESSAGE_TYPE (msg) == GST_MESSAGE_ERROR) {
    GError *err = NULL;
    gchar *debug = NULL;

    gst_message_parse_error (msg, &err, &debug);
    fail ("error from %s: %s (%s)", GST_OBJECT_NAME (msg->src),
        err->message, GST_STR_NULL (debug));
  }
  fail_unless (GST_MESSAGE_SRC (msg) == GST_OBJECT_CAST (pipeline));
  gst_message_unref (msg);
  gst_object_unref (bus);
}

static void
stop (GstElement * pipeline)
{
  fail_unless (gst_element_set_state (pipeline, GST_STATE_NULL) ==
      GST_STATE_CHANGE_SUCCESS);
}

/* ------------------------------------------------------------------------ */
/* reading playlists while they are written */

typedef struct
{
  gchar *dir;
  const gchar *const *renditions;
  gint stop;
  guint master_reads;
  guint media_reads;
  guint partial;
} Reader;

static gpointer
reader_thread (gpointer data)
{
  Reader *reader = data;

  while (!g_atomic_int_get (&reader->stop)) {
    gchar *text = read_file (reader->dir, "master.m3u8");
    guint i;

    if (text != NULL) {
      GPtrArray *variants = parse_master (text);

      reader->master_reads++;
      if (variants == NULL) {
        GST_ERROR ("partial master: '%s'", text);
        reader->partial++;
      } else {
        g_ptr_array_unref (variants);
      }
      g_free (text);
    }
    for (i = 0; reader->renditions[i]; i++) {
      gchar *name = g_build_filename (reader->renditions[i], "index.m3u8",
          NULL);

      text = read_file (reader->dir, name);
      if (text != NULL) {
        reader->media_reads++;
        if (!media_is_complete (text)) {
          GST_ERROR ("partial media playlist: '%s'", text);
          reader->partial++;
        }
        g_free (text);
      }
      g_free (name);
    }
  }
  return NULL;
}

/* ------------------------------------------------------------------------ */
/* what the stream really is */

typedef struct
{
  GMutex lock;
  GstCaps *caps;
  guint8 sps[3];                /* profile_idc, constraints, level_idc */
  gboolean have_sps;
} StreamInfo;

static GstPadProbeReturn
stream_info_probe (GstPad * pad, GstPadProbeInfo * info, gpointer user_data)
{
  StreamInfo *si = user_data;

  if (GST_PAD_PROBE_INFO_TYPE (info) & GST_PAD_PROBE_TYPE_EVENT_DOWNSTREAM) {
    GstEvent *event = GST_PAD_PROBE_INFO_EVENT (info);

    if (GST_EVENT_TYPE (event) == GST_EVENT_CAPS) {
      GstCaps *caps;

      gst_event_parse_caps (event, &caps);
      g_mutex_lock (&si->lock);
      gst_caps_replace (&si->caps, caps);
      g_mutex_unlock (&si->lock);
    }
  } else if (GST_PAD_PROBE_INFO_TYPE (info) & GST_PAD_PROBE_TYPE_BUFFER) {
    GstMapInfo map;
    gsize i;

    gst_buffer_map (GST_PAD_PROBE_INFO_BUFFER (info), &map, GST_MAP_READ);
    g_mutex_lock (&si->lock);
    for (i = 0; !si->have_sps && i + 7 <= map.size; i++) {
      if (map.data[i] == 0 && map.data[i + 1] == 0 && map.data[i + 2] == 1
          && (map.data[i + 3] & 0x1f) == 7) {
        memcpy (si->sps, map.data + i + 4, 3);
        si->have_sps = TRUE;
      }
    }
    g_mutex_unlock (&si->lock);
    gst_buffer_unmap (GST_PAD_PROBE_INFO_BUFFER (info), &map);
  }
  return GST_PAD_PROBE_OK;
}

static void
watch_stream (GstElement * pipeline, const gchar * element, StreamInfo * si)
{
  GstElement *e = gst_bin_get_by_name (GST_BIN (pipeline), element);
  GstPad *pad;

  fail_unless (e != NULL);
  pad = gst_element_get_static_pad (e, "src");
  gst_pad_add_probe (pad, GST_PAD_PROBE_TYPE_BUFFER |
      GST_PAD_PROBE_TYPE_EVENT_DOWNSTREAM, stream_info_probe, si, NULL);
  gst_object_unref (pad);
  gst_object_unref (e);
}

/* what gst_codec_utils_caps_get_mime_codec() says of the H.264 stream once
 * it is given the stream's SPS as codec_data */
static gchar *
expected_h264_codec (StreamInfo * si)
{
  guint8 avcc[] = { 1, si->sps[0], si->sps[1], si->sps[2], 0xff, 0xe1, 0, 4,
    0x67, si->sps[0], si->sps[1], si->sps[2], 0
  };
  GstCaps *caps = gst_caps_copy (si->caps);
  GstBuffer *buf = gst_buffer_new_memdup (avcc, sizeof (avcc));
  gchar *codec;

  gst_caps_set_simple (caps, "stream-format", G_TYPE_STRING, "avc",
      "codec_data", GST_TYPE_BUFFER, buf, NULL);
  codec = gst_codec_utils_caps_get_mime_codec (caps);
  gst_buffer_unref (buf);
  gst_caps_unref (caps);
  return codec;
}

/* ------------------------------------------------------------------------ */
/* tests */

GST_START_TEST (test_offline_ladder)
{
  static const gchar *const renditions[] = { "hi", "lo", "aud", NULL };
  gchar *tmp, *desc, *text, *path;
  GstElement *pipeline;
  StreamInfo hi = { 0 }, lo = { 0 }, aac = { 0 };
  GPtrArray *variants;
  Variant *v;
  gchar *vcodec, *expected;
  gchar **dur_hi, **dur_lo;
  Reader reader = { 0 };
  GThread *thread;
  guint i;
  gdouble total;

  if (!have_elements ())
    return;

  tmp = g_dir_make_tmp ("ladderhlssink-XXXXXX", NULL);
  fail_unless (tmp != NULL);
  path = g_build_filename (tmp, "out", NULL);
  desc = g_strdup_printf ("ladderhlssink name=hls location=%s "
      "target-duration=1 playlist-length=0 max-files=0 "
      VIDEO_BRANCH ("hi", 320, 180, 600, 75) AUDIO_BRANCH ("hi", 215)
      VIDEO_BRANCH ("lo", 160, 90, 150, 75) AUDIO_BRANCH ("lo", 215)
      AUDIO_BRANCH ("aud", 215), path);
  desc = with_aac_encoder (desc);
  pipeline = gst_parse_launch (desc, NULL);
  fail_unless (pipeline != NULL);
  watch_stream (pipeline, "hp_hi", &hi);
  watch_stream (pipeline, "hp_lo", &lo);
  watch_stream (pipeline, "ap_hi", &aac);

  reader.dir = path;
  reader.renditions = renditions;
  thread = g_thread_new ("reader", reader_thread, &reader);
  run_until_eos (pipeline, FALSE);
  stop (pipeline);
  g_atomic_int_set (&reader.stop, 1);
  g_thread_join (thread);

  /* no read ever saw a partial playlist */
  GST_INFO ("%u master and %u media playlist reads", reader.master_reads,
      reader.media_reads);
  fail_unless (reader.master_reads > 0);
  fail_unless_equals_int (reader.partial, 0);

  /* layout: the master and one folder per rendition, nothing else */
  fail_unless_equals_int (count_entries (path), 4);
  for (i = 0; renditions[i]; i++) {
    gchar *dir = g_build_filename (path, renditions[i], NULL);
    gchar *seg = g_build_filename (dir, "segment00000.ts", NULL);

    fail_unless (g_file_test (seg, G_FILE_TEST_IS_REGULAR), "no %s", seg);
    g_free (seg);
    g_free (dir);
  }

  /* the multivariant playlist */
  text = read_file (path, "master.m3u8");
  GST_INFO ("master:\n%s", text);
  variants = parse_master (text);
  fail_unless (variants != NULL, "bad master:\n%s", text);
  fail_unless_equals_int (variants->len, 3);
  for (i = 1; i < variants->len; i++) {
    Variant *prev = g_ptr_array_index (variants, i - 1);

    v = g_ptr_array_index (variants, i);
    fail_unless (prev->bandwidth >= v->bandwidth, "not by bandwidth:\n%s",
        text);
  }
  fail_unless_equals_string (((Variant *) g_ptr_array_index (variants,
              0))->uri, "hi/index.m3u8");
  fail_unless_equals_string (((Variant *) g_ptr_array_index (variants,
              1))->uri, "lo/index.m3u8");
  fail_unless_equals_string (((Variant *) g_ptr_array_index (variants,
              2))->uri, "aud/index.m3u8");

  /* the audio caps of the stream: ADTS AAC-LC, no codec_data */
  fail_unless (aac.caps != NULL);
  fail_unless_equals_string (gst_structure_get_string
      (gst_caps_get_structure (aac.caps, 0), "profile"), "lc");

  v = find_variant (variants, "hi/index.m3u8");
  fail_unless (v->average_bandwidth > 0 && v->average_bandwidth <=
      v->bandwidth);
  fail_unless_equals_string (v->resolution, "320x180");
  fail_unless_equals_string (v->frame_rate, "15.000");
  fail_unless (hi.have_sps && hi.caps != NULL);
  vcodec = expected_h264_codec (&hi);
  fail_unless (g_str_has_prefix (vcodec, "avc1.42")
      || g_str_has_prefix (vcodec, "avc1.4D")
      || g_str_has_prefix (vcodec, "avc1.64"), "odd codec %s", vcodec);
  expected = g_strdup_printf ("%s,mp4a.40.2", vcodec);
  fail_unless_equals_string (v->codecs, expected);
  g_free (expected);
  g_free (vcodec);

  v = find_variant (variants, "lo/index.m3u8");
  fail_unless (v->average_bandwidth > 0 && v->average_bandwidth <=
      v->bandwidth);
  fail_unless_equals_string (v->resolution, "160x90");
  fail_unless_equals_string (v->frame_rate, "15.000");
  vcodec = expected_h264_codec (&lo);
  expected = g_strdup_printf ("%s,mp4a.40.2", vcodec);
  fail_unless_equals_string (v->codecs, expected);
  g_free (expected);
  g_free (vcodec);

  v = find_variant (variants, "aud/index.m3u8");
  fail_unless (v->average_bandwidth > 0);
  fail_unless (v->resolution == NULL && v->frame_rate == NULL);
  fail_unless_equals_string (v->codecs, "mp4a.40.2");
  g_ptr_array_unref (variants);
  g_free (text);

  /* media playlists: segments, ended, the same boundaries on hi and lo,
   * and every video frame in a segment (75 frames at 15/1: 5 s) */
  for (i = 0; renditions[i]; i++) {
    gchar *name = g_build_filename (renditions[i], "index.m3u8", NULL);

    text = read_file (path, name);
    fail_unless (text != NULL);
    fail_unless (g_str_has_suffix (text, "#EXT-X-ENDLIST\n"), "%s:\n%s", name,
        text);
    fail_unless (strstr (text, "segment00003.ts") != NULL);
    g_free (text);
    g_free (name);
  }
  text = read_file (path, "hi/index.m3u8");
  dur_hi = media_durations (text);
  g_free (text);
  text = read_file (path, "lo/index.m3u8");
  dur_lo = media_durations (text);
  g_free (text);
  fail_unless (g_strv_length (dur_hi) >= 4);
  fail_unless (g_strv_equal ((const gchar * const *) dur_hi,
          (const gchar * const *) dur_lo), "segments not aligned");
  total = 0;
  for (i = 0; dur_hi[i]; i++)
    total += g_ascii_strtod (dur_hi[i], NULL);
  fail_unless (total > 4.9 && total < 5.1, "%f s of video", total);
  g_strfreev (dur_hi);
  g_strfreev (dur_lo);

  gst_object_unref (pipeline);
  gst_clear_caps (&hi.caps);
  gst_clear_caps (&lo.caps);
  gst_clear_caps (&aac.caps);
  rm_rf (tmp);
  g_free (path);
  g_free (tmp);
  g_free (desc);
}

GST_END_TEST;

/* the dynamic test, live: "a" runs 6 s; "b" leaves once it is listed;
 * "c" is requested then, and must be listed once it has a segment */
typedef struct
{
  GMutex lock;
  GCond cond;
  gchar *dir;
  GstElement *hls;
  gboolean b_listed;
  gboolean b_released;
  gboolean c_listed;
  gboolean c_added;
  gboolean b_error_posted;
} Dynamic;

static gchar *
rendition_of_message (GstMessage * msg, GstElement * hls)
{
  GstObject *obj = gst_object_ref (GST_MESSAGE_SRC (msg));
  gchar *location = NULL, *name = NULL;

  while (obj && GST_OBJECT_PARENT (obj) != GST_OBJECT_CAST (hls)) {
    GstObject *parent = gst_object_get_parent (obj);

    gst_object_unref (obj);
    obj = parent;
  }
  if (obj == NULL)
    return NULL;
  g_object_get (obj, "playlist-location", &location, NULL);
  gst_object_unref (obj);
  if (location) {
    gchar *dir = g_path_get_dirname (location);

    name = g_path_get_basename (dir);
    g_free (dir);
    g_free (location);
  }
  return name;
}

/* The hlssink2 of released "b", as it stops on its way out of the bin,
 * posts an error: what a writer stopped while it opens a fragment does
 * (giostreamsink started without a stream). It is the removed rendition's,
 * and must not reach the pipeline. */
static void
post_error_of_removed_b (Dynamic * d, GstMessage * msg)
{
  GstState state;
  gchar *rendition;
  gboolean post;

  if (GST_OBJECT_PARENT (GST_MESSAGE_SRC (msg)) != GST_OBJECT_CAST (d->hls))
    return;
  gst_message_parse_state_changed (msg, NULL, &state, NULL);
  if (state != GST_STATE_READY)
    return;
  rendition = rendition_of_message (msg, d->hls);
  g_mutex_lock (&d->lock);
  post = g_strcmp0 (rendition, "b") == 0 && d->b_released && !d->b_error_posted;
  d->b_error_posted |= post;
  g_mutex_unlock (&d->lock);
  g_free (rendition);
  if (post)
    GST_ELEMENT_ERROR (GST_ELEMENT (GST_MESSAGE_SRC (msg)), RESOURCE,
        OPEN_WRITE, (NULL),
        ("posted by the test as the writer of \"b\" stops"));
}

static GstBusSyncReply
dynamic_sync_handler (GstBus * bus, GstMessage * msg, gpointer user_data)
{
  Dynamic *d = user_data;
  const GstStructure *s;
  gchar *rendition, *master;

  if (GST_MESSAGE_TYPE (msg) == GST_MESSAGE_STATE_CHANGED)
    post_error_of_removed_b (d, msg);
  if (GST_MESSAGE_TYPE (msg) != GST_MESSAGE_ELEMENT)
    return GST_BUS_PASS;
  s = gst_message_get_structure (msg);
  if (!gst_structure_has_name (s, "splitmuxsink-fragment-closed"))
    return GST_BUS_PASS;

  /* the master was rewritten before the message left ladderhlssink */
  rendition = rendition_of_message (msg, d->hls);
  master = read_file (d->dir, "master.m3u8");
  g_mutex_lock (&d->lock);
  if (g_strcmp0 (rendition, "b") == 0 && !d->b_released && master
      && strstr (master, "b/index.m3u8"))
    d->b_listed = TRUE;
  if (g_strcmp0 (rendition, "c") == 0 && master
      && strstr (master, "c/index.m3u8"))
    d->c_listed = TRUE;
  g_cond_broadcast (&d->cond);
  g_mutex_unlock (&d->lock);
  g_free (master);
  g_free (rendition);
  return GST_BUS_PASS;
}

static GstPadProbeReturn
probe_b (GstPad * pad, GstPadProbeInfo * info, gpointer user_data)
{
  Dynamic *d = user_data;
  gboolean release;

  g_mutex_lock (&d->lock);
  release = d->b_listed && !d->b_released;
  if (release)
    d->b_released = TRUE;
  g_mutex_unlock (&d->lock);

  if (release) {
    GstPad *peer = gst_pad_get_peer (pad);

    fail_unless (peer != NULL);
    gst_element_release_request_pad (d->hls, peer);
    gst_object_unref (peer);
  }
  /* once released, "b" goes nowhere */
  return d->b_released ? GST_PAD_PROBE_DROP : GST_PAD_PROBE_OK;
}

GST_START_TEST (test_dynamic_renditions)
{
  gchar *tmp, *desc, *text;
  GstElement *pipeline, *parse, *branch;
  GstPad *pad, *srcpad;
  GstBus *bus;
  Dynamic d = { 0 };
  GPtrArray *variants;

  if (!have_elements ())
    return;

  g_mutex_init (&d.lock);
  g_cond_init (&d.cond);
  tmp = g_dir_make_tmp ("ladderhlssink-XXXXXX", NULL);
  d.dir = g_build_filename (tmp, "out", NULL);
  desc = g_strdup_printf ("ladderhlssink name=hls location=%s "
      "target-duration=1 playlist-length=0 max-files=0 "
      LIVE_VIDEO_BRANCH ("a", 150, 90) LIVE_VIDEO_BRANCH ("b", 100, 90), d.dir);
  pipeline = gst_parse_launch (desc, NULL);
  fail_unless (pipeline != NULL);
  d.hls = gst_bin_get_by_name (GST_BIN (pipeline), "hls");

  bus = gst_element_get_bus (pipeline);
  gst_bus_set_sync_handler (bus, dynamic_sync_handler, &d, NULL);

  parse = gst_bin_get_by_name (GST_BIN (pipeline), "hp_b");
  srcpad = gst_element_get_static_pad (parse, "src");
  gst_pad_add_probe (srcpad, GST_PAD_PROBE_TYPE_DATA_DOWNSTREAM, probe_b, &d,
      NULL);
  gst_object_unref (srcpad);
  gst_object_unref (parse);

  fail_unless (gst_element_set_state (pipeline, GST_STATE_PLAYING) !=
      GST_STATE_CHANGE_FAILURE);

  /* "b" is listed (and being released): add "c" while "a" runs */
  g_mutex_lock (&d.lock);
  LADDER_TEST_COND_WAIT (&d.cond, &d.lock, 60 * GST_SECOND, d.b_listed,
      "\"b\" was not listed in the master playlist within 60 s");
  g_mutex_unlock (&d.lock);

  pad = gst_element_request_pad_simple (d.hls, "video_c");
  fail_unless (pad != NULL);
  branch = gst_parse_bin_from_description ("videotestsrc is-live=true "
      "num-buffers=30 ! video/x-raw,format=I420,width=160,height=90,"
      "framerate=15/1 ! x264enc key-int-max=15 option-string=scenecut=0 "
      "speed-preset=ultrafast tune=zerolatency bitrate=120 ! h264parse",
      TRUE, NULL);
  fail_unless (branch != NULL);
  gst_bin_add (GST_BIN (pipeline), branch);
  srcpad = gst_element_get_static_pad (branch, "src");
  fail_unless_equals_int (gst_pad_link (srcpad, pad), GST_PAD_LINK_OK);
  gst_object_unref (srcpad);
  gst_object_unref (pad);
  fail_unless (gst_element_sync_state_with_parent (branch));

  run_until_eos (pipeline, TRUE);
  g_mutex_lock (&d.lock);
  fail_unless (d.b_error_posted, "the writer of \"b\" was not taken out "
      "before the EOS");
  g_mutex_unlock (&d.lock);
  /* "b" wrote segments and ended: its name is not taken again in this run,
   * where its files stay as they are */
  pad = gst_element_request_pad_simple (d.hls, "video_b");
  fail_unless (pad == NULL, "a new \"b\" was let in over the ended one");
  stop (pipeline);
  /* the run is over: the next one may write "b" again */
  pad = gst_element_request_pad_simple (d.hls, "video_b");
  fail_unless (pad != NULL, "\"b\" is refused after the run");
  gst_element_release_request_pad (d.hls, pad);
  gst_object_unref (pad);

  /* "b" was listed, then left (the error its writer posted on the way out
   * did not stop the pipeline); "c" came in */
  fail_unless (d.b_listed && d.b_released && d.c_listed);
  text = read_file (d.dir, "master.m3u8");
  GST_INFO ("master:\n%s", text);
  variants = parse_master (text);
  fail_unless (variants != NULL);
  fail_unless_equals_int (variants->len, 2);
  fail_unless (find_variant (variants, "a/index.m3u8") != NULL);
  fail_unless (find_variant (variants, "c/index.m3u8") != NULL);
  fail_unless (find_variant (variants, "b/index.m3u8") == NULL);
  g_ptr_array_unref (variants);
  g_free (text);

  /* the released rendition was finalized: ended playlist, files kept, its
   * hlssink2 gone */
  text = read_file (d.dir, "b/index.m3u8");
  fail_unless (text != NULL);
  fail_unless (g_str_has_suffix (text, "#EXT-X-ENDLIST\n"), "%s", text);
  fail_unless (strstr (text, "segment00000.ts") != NULL);
  g_free (text);
  text = read_file (d.dir, "c/index.m3u8");
  fail_unless (text != NULL && g_str_has_suffix (text, "#EXT-X-ENDLIST\n"));
  g_free (text);
  fail_unless_equals_int (GST_BIN (d.hls)->numchildren, 2);
  fail_unless_equals_int (GST_ELEMENT (d.hls)->numsinkpads, 2);

  gst_bus_set_sync_handler (bus, NULL, NULL, NULL);
  gst_object_unref (bus);
  gst_object_unref (d.hls);
  gst_object_unref (pipeline);
  rm_rf (tmp);
  g_free (d.dir);
  g_free (tmp);
  g_free (desc);
  g_mutex_clear (&d.lock);
  g_cond_clear (&d.cond);
}

GST_END_TEST;

/* Sets @pipeline to PLAYING as gst-launch-1.0 does: to PAUSED first, then
 * to PLAYING as soon as the pipeline's own state-changed message says it
 * is PAUSED. */
static void
play_like_gst_launch (GstElement * pipeline, GstBus * bus)
{
  GstStateChangeReturn ret;
  gboolean paused = FALSE;

  ret = gst_element_set_state (pipeline, GST_STATE_PAUSED);
  fail_unless (ret != GST_STATE_CHANGE_FAILURE);
  while (ret == GST_STATE_CHANGE_ASYNC && !paused) {
    GstMessage *msg = gst_bus_timed_pop_filtered (bus, 60 * GST_SECOND,
        GST_MESSAGE_STATE_CHANGED | GST_MESSAGE_ERROR);
    GstState state;

    fail_unless (msg != NULL, "not PAUSED within 60 s");
    fail_if (GST_MESSAGE_TYPE (msg) == GST_MESSAGE_ERROR, "error from %s",
        GST_OBJECT_NAME (msg->src));
    if (GST_MESSAGE_SRC (msg) == GST_OBJECT_CAST (pipeline)) {
      gst_message_parse_state_changed (msg, NULL, &state, NULL);
      paused = state == GST_STATE_PAUSED;
    }
    gst_message_unref (msg);
  }
  fail_unless (gst_element_set_state (pipeline, GST_STATE_PLAYING) !=
      GST_STATE_CHANGE_FAILURE);
}

#define EOS_RUNS 20

/* A short offline ladder, started either way, ends with the pipeline's EOS
 * on every run: stock hlssink2 pipelines miss it now and then. Rendition
 * "none" gets EOS without data. */
GST_START_TEST (test_eos_every_run)
{
  static const gchar *const ended[] = { "a", "b", NULL };
  gchar *tmp;
  guint run, i;

  if (!have_elements ())
    return;

  tmp = g_dir_make_tmp ("ladderhlssink-XXXXXX", NULL);
  fail_unless (tmp != NULL);

  for (run = 0; run < EOS_RUNS; run++) {
    gchar *path = g_strdup_printf ("%s/run%02u", tmp, run);
    gchar *desc, *text;
    GstElement *pipeline;
    GstBus *bus;
    GPtrArray *variants;

    desc = g_strdup_printf ("ladderhlssink name=hls location=%s "
        "target-duration=1 playlist-length=0 max-files=0 "
        VIDEO_BRANCH ("a", 160, 90, 150, 20)
        VIDEO_BRANCH ("b", 160, 90, 100, 20)
        VIDEO_BRANCH ("none", 160, 90, 100, 0), path);
    pipeline = gst_parse_launch (desc, NULL);
    fail_unless (pipeline != NULL);
    bus = gst_element_get_bus (pipeline);

    /* straight to PLAYING, or the way gst-launch-1.0 goes */
    if (run % 2 == 1)
      play_like_gst_launch (pipeline, bus);
    run_until_eos (pipeline, run % 2 == 1);

    /* ended by the end of the stream, before the stop would end them */
    for (i = 0; ended[i]; i++) {
      gchar *name = g_build_filename (ended[i], "index.m3u8", NULL);

      text = read_file (path, name);
      fail_unless (text != NULL, "run %u: no %s", run, name);
      fail_unless (strstr (text, "segment00000.ts") != NULL
          && g_str_has_suffix (text, "#EXT-X-ENDLIST\n"), "run %u: %s:\n%s",
          run, name, text);
      g_free (text);
      g_free (name);
    }
    stop (pipeline);
    /* the rendition without data is not offered to players */
    text = read_file (path, "master.m3u8");
    fail_unless (text != NULL);
    variants = parse_master (text);
    fail_unless (variants != NULL, "run %u:\n%s", run, text);
    fail_unless_equals_int (variants->len, 2);
    fail_unless (find_variant (variants, "none/index.m3u8") == NULL);
    g_ptr_array_unref (variants);
    g_free (text);

    gst_object_unref (bus);
    gst_object_unref (pipeline);
    g_free (desc);
    g_free (path);
  }

  rm_rf (tmp);
  g_free (tmp);
}

GST_END_TEST;

static guint
count_warnings (GstBus * bus)
{
  GstMessage *msg;
  guint n = 0;

  while ((msg = gst_bus_pop_filtered (bus, GST_MESSAGE_WARNING))) {
    GError *err = NULL;

    gst_message_parse_warning (msg, &err, NULL);
    GST_INFO ("warning: %s", err->message);
    fail_unless (strstr (err->message, "Refusing") != NULL);
    g_clear_error (&err);
    gst_message_unref (msg);
    n++;
  }
  return n;
}

GST_START_TEST (test_bad_names)
{
  static const gchar *bad[] = {
    "video_../x", "video_a/b", "video_UP", "video_", "audio_..", "audio_a b",
    "video_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
  };
  gchar *tmp, *out;
  GstElement *hls;
  GstBus *bus;
  GstPad *pad, *again;
  guint i, bitrate = 0;
  gchar *rendition = NULL;

  if (!have_elements ())
    return;

  tmp = g_dir_make_tmp ("ladderhlssink-XXXXXX", NULL);
  out = g_build_filename (tmp, "out", NULL);
  hls = gst_element_factory_make ("ladderhlssink", NULL);
  bus = gst_bus_new ();
  gst_element_set_bus (hls, bus);
  g_object_set (hls, "location", out, NULL);

  /* each refused with a warning saying why */
  for (i = 0; i < G_N_ELEMENTS (bad); i++) {
    pad = gst_element_request_pad_simple (hls, bad[i]);
    fail_unless (pad == NULL, "%s was accepted", bad[i]);
    /* GStreamer refuses an empty %s itself, before asking us */
    if (strcmp (bad[i], "video_") == 0)
      count_warnings (bus);
    else
      fail_unless (count_warnings (bus) == 1, "no warning for %s", bad[i]);
  }
  /* a rendition named like the multivariant playlist: its folder would
   * take the playlist's place, an ERROR */
  g_object_set (hls, "master-name", "main", NULL);
  fail_unless (gst_element_request_pad_simple (hls, "video_main") == NULL);
  {
    GstMessage *msg = gst_bus_pop_filtered (bus, GST_MESSAGE_ERROR);
    GError *err = NULL;

    fail_unless (msg != NULL, "no ERROR for a rendition named master-name");
    gst_message_parse_error (msg, &err, NULL);
    fail_unless (strstr (err->message, "master-name") != NULL, "%s",
        err->message);
    g_clear_error (&err);
    gst_message_unref (msg);
  }
  g_object_set (hls, "master-name", "master.m3u8", NULL);

  /* no name at all: GStreamer itself refuses it for a %s template */
  fail_unless (gst_element_request_pad_simple (hls, "video_%s") == NULL);
  count_warnings (bus);
  fail_unless_equals_int (GST_ELEMENT (hls)->numsinkpads, 0);
  fail_unless_equals_int (GST_BIN (hls)->numchildren, 0);

  /* a good one, with its pad properties; the same again is refused */
  pad = gst_element_request_pad_simple (hls, "video_ok-1_x");
  fail_unless (pad != NULL);
  g_object_set (pad, "bitrate", 1500000, NULL);
  g_object_get (pad, "bitrate", &bitrate, "rendition", &rendition, NULL);
  fail_unless_equals_int (bitrate, 1500000);
  fail_unless_equals_string (rendition, "ok-1_x");
  g_free (rendition);
  /* GStreamer complains about the duplicate name before asking us */
  ASSERT_CRITICAL (again = gst_element_request_pad_simple (hls,
          "video_ok-1_x"));
  fail_unless (again == NULL);
  fail_unless_equals_int (count_warnings (bus), 1);

  fail_unless (gst_element_set_state (hls, GST_STATE_READY) ==
      GST_STATE_CHANGE_SUCCESS);
  fail_unless (gst_element_set_state (hls, GST_STATE_NULL) ==
      GST_STATE_CHANGE_SUCCESS);
  gst_element_release_request_pad (hls, pad);
  gst_object_unref (pad);

  /* nothing was written outside the output folder, nor in it but the
   * folder itself */
  fail_unless_equals_int (count_entries (tmp), 1);
  fail_unless_equals_int (count_entries (out), 0);

  gst_element_set_bus (hls, NULL);
  gst_object_unref (bus);
  gst_object_unref (hls);
  rm_rf (tmp);
  g_free (out);
  g_free (tmp);
}

GST_END_TEST;

static void
check_ready_fails (GstElement * hls, GstResourceError code)
{
  GstBus *bus = gst_bus_new ();
  GstMessage *msg;
  GError *err = NULL;

  gst_element_set_bus (hls, bus);
  fail_unless (gst_element_set_state (hls, GST_STATE_READY) ==
      GST_STATE_CHANGE_FAILURE);
  msg = gst_bus_pop_filtered (bus, GST_MESSAGE_ERROR);
  fail_unless (msg != NULL);
  gst_message_parse_error (msg, &err, NULL);
  GST_INFO ("error: %s", err->message);
  fail_unless (g_error_matches (err, GST_RESOURCE_ERROR, code));
  g_clear_error (&err);
  gst_message_unref (msg);
  gst_element_set_state (hls, GST_STATE_NULL);
  gst_element_set_bus (hls, NULL);
  gst_object_unref (bus);
}

GST_START_TEST (test_location_required)
{
  GstElement *hls;
  gchar *tmp, *file, *under;

  if (!have_elements ())
    return;

  hls = gst_element_factory_make ("ladderhlssink", NULL);
  check_ready_fails (hls, GST_RESOURCE_ERROR_NOT_FOUND);

  /* a folder that cannot be created: below a regular file */
  tmp = g_dir_make_tmp ("ladderhlssink-XXXXXX", NULL);
  file = g_build_filename (tmp, "file", NULL);
  fail_unless (g_file_set_contents (file, "x", 1, NULL));
  under = g_build_filename (file, "out", NULL);
  g_object_set (hls, "location", under, NULL);
  check_ready_fails (hls, GST_RESOURCE_ERROR_OPEN_WRITE);

  gst_object_unref (hls);
  rm_rf (tmp);
  g_free (under);
  g_free (file);
  g_free (tmp);
}

GST_END_TEST;

/* The video of a rendition that ends without ever having caps (a corrupt
 * input whose parser found nothing, an x264 rung that decoded nothing)
 * while its audio has data: found by the fuzz target
 * (hang-splitmuxsink-corrupt-mp4-hls). The audio entered splitmuxsink
 * first and waited there for the video's keyframe; the video then left
 * splitmuxsink, and the audio waited for ever. Now the audio waits at our
 * pad until the video has caps or ended, and the rendition goes on
 * without video. The video branch starts once the audio had a buffer. */

/* a blocking probe on a pad (gate_block ()), taken away by open_gate ()
 * from a probe on another pad */
typedef struct
{
  GstPad *pad;
  gulong id;
} Gate;

static GstPadProbeReturn
gate_block (GstPad * pad, GstPadProbeInfo * info, gpointer user_data)
{
  return GST_PAD_PROBE_OK;
}

static GstPadProbeReturn
open_gate (GstPad * pad, GstPadProbeInfo * info, gpointer user_data)
{
  Gate *gate = user_data;

  gst_pad_remove_probe (gate->pad, gate->id);
  return GST_PAD_PROBE_REMOVE;
}

GST_START_TEST (test_empty_video_leaves_audio)
{
  gchar *tmp, *desc, *text;
  GstElement *pipeline, *vsrc, *ap;
  GstPad *apad;
  GPtrArray *variants;
  const Variant *v;
  Gate gate;

  if (!have_elements ())
    return;

  tmp = g_dir_make_tmp ("ladderhlssink-XXXXXX", NULL);
  fail_unless (tmp != NULL);
  desc = with_aac_encoder (g_strdup_printf ("ladderhlssink name=hls "
          "location=%s target-duration=1 "
          "fakesrc name=vsrc num-buffers=0 ! hls.video_a "
          AUDIO_BRANCH ("a", 60), tmp));
  pipeline = gst_parse_launch (desc, NULL);
  fail_unless (pipeline != NULL);
  g_free (desc);

  /* the video (stream-start, then EOS without caps) waits for the audio */
  vsrc = gst_bin_get_by_name (GST_BIN (pipeline), "vsrc");
  gate.pad = gst_element_get_static_pad (vsrc, "src");
  gate.id = gst_pad_add_probe (gate.pad, GST_PAD_PROBE_TYPE_BLOCK |
      GST_PAD_PROBE_TYPE_DATA_DOWNSTREAM, gate_block, NULL, NULL);
  ap = gst_bin_get_by_name (GST_BIN (pipeline), "ap_a");
  apad = gst_element_get_static_pad (ap, "src");
  gst_pad_add_probe (apad, GST_PAD_PROBE_TYPE_BUFFER, open_gate, &gate, NULL);

  fail_unless (gst_element_set_state (pipeline, GST_STATE_PLAYING) !=
      GST_STATE_CHANGE_FAILURE);
  ladder_test_wait_eos (pipeline, 20 * GST_SECOND,
      "the audio of a rendition whose video is empty is stuck");

  /* the audio is written, listed and ended */
  text = read_file (tmp, "a/index.m3u8");
  fail_unless (text != NULL, "no media playlist");
  fail_unless (media_is_complete (text), "%s", text);
  fail_unless (strstr (text, "segment00000.ts") != NULL, "%s", text);
  g_free (text);
  stop (pipeline);
  text = read_file (tmp, "master.m3u8");
  fail_unless (text != NULL);
  variants = parse_master (text);
  fail_unless (variants != NULL, "%s", text);
  v = find_variant (variants, "a/index.m3u8");
  fail_unless (v != NULL, "%s", text);
  g_ptr_array_unref (variants);
  g_free (text);

  gst_object_unref (apad);
  gst_object_unref (ap);
  gst_object_unref (gate.pad);
  gst_object_unref (vsrc);
  gst_object_unref (pipeline);
  rm_rf (tmp);
  g_free (tmp);
}

GST_END_TEST;

/* An audio track that ends without caps leaves its rendition while the
 * video goes on. Its hlssink2 pad is released then; splitmuxsink (1.22)
 * removes the muxer's pad for it while the video's thread may be walking
 * those pads to open a fragment, a walk that then never ends: the video
 * hung in some runs. The video now waits at our pad until the audio has
 * caps or has left. The audio's end is let go as the video's first buffer
 * goes to our pad, the moment the ladder lets it go too (when the video
 * has caps). Many runs, each bounded. */
GST_START_TEST (test_empty_audio_leaves_video)
{
  guint run;

  if (!have_elements ())
    return;

  for (run = 0; run < 100; run++) {
    gchar *tmp, *desc, *text, *why;
    GstElement *pipeline, *hp, *asrc;
    GstPad *hp_src;
    Gate gate;

    tmp = g_dir_make_tmp ("ladderhlssink-XXXXXX", NULL);
    fail_unless (tmp != NULL);
    desc = g_strdup_printf ("ladderhlssink name=hls location=%s "
        "target-duration=1 " VIDEO_BRANCH ("v", 160, 90, 200, 30)
        "fakesrc name=asrc num-buffers=0 ! hls.audio_v", tmp);
    pipeline = gst_parse_launch (desc, NULL);
    fail_unless (pipeline != NULL);
    g_free (desc);
    asrc = gst_bin_get_by_name (GST_BIN (pipeline), "asrc");
    gate.pad = gst_element_get_static_pad (asrc, "src");
    gate.id = gst_pad_add_probe (gate.pad, GST_PAD_PROBE_TYPE_BLOCK |
        GST_PAD_PROBE_TYPE_EVENT_DOWNSTREAM, gate_block, NULL, NULL);
    hp = gst_bin_get_by_name (GST_BIN (pipeline), "hp_v");
    hp_src = gst_element_get_static_pad (hp, "src");
    gst_pad_add_probe (hp_src, GST_PAD_PROBE_TYPE_BUFFER, open_gate,
        &gate, NULL);

    fail_unless (gst_element_set_state (pipeline, GST_STATE_PLAYING) !=
        GST_STATE_CHANGE_FAILURE);
    why = g_strdup_printf ("run %u: the video of a rendition whose audio "
        "is empty did not end", run);
    ladder_test_wait_eos (pipeline, 20 * GST_SECOND, why);
    g_free (why);

    /* the video is written and ended */
    text = read_file (tmp, "v/index.m3u8");
    fail_unless (text != NULL, "run %u: no media playlist", run);
    fail_unless (media_is_complete (text), "run %u: %s", run, text);
    g_free (text);
    stop (pipeline);
    gst_object_unref (hp_src);
    gst_object_unref (hp);
    gst_object_unref (gate.pad);
    gst_object_unref (asrc);
    gst_object_unref (pipeline);
    rm_rf (tmp);
    g_free (tmp);
  }
}

GST_END_TEST;

/* A variant whose splitmuxsink fails before its first segment is out
 * (here its first GOP is stamped 5 s later than the second, "Queued GOP
 * time is negative"): it fails alone, with a ladder-panic before the EOS
 * (an application that stops at EOS has seen it); the other goes
 * on to the end and the pipeline gets its EOS. Several runs, each
 * bounded. */
static GstPadProbeReturn
first_gop_late (GstPad * pad, GstPadProbeInfo * info, gpointer user_data)
{
  guint *keyframes = user_data;
  GstBuffer *buf = GST_PAD_PROBE_INFO_BUFFER (info);

  if (!GST_BUFFER_FLAG_IS_SET (buf, GST_BUFFER_FLAG_DELTA_UNIT))
    (*keyframes)++;
  if (*keyframes > 1)
    return GST_PAD_PROBE_REMOVE;

  buf = gst_buffer_make_writable (buf);
  GST_BUFFER_PTS (buf) += 5 * GST_SECOND;
  if (GST_BUFFER_DTS_IS_VALID (buf))
    GST_BUFFER_DTS (buf) += 5 * GST_SECOND;
  GST_PAD_PROBE_INFO_DATA (info) = buf;
  return GST_PAD_PROBE_OK;
}

GST_START_TEST (test_variant_failing_before_first_segment)
{
  guint run;

  if (!have_elements ())
    return;

  for (run = 0; run < 10; run++) {
    gchar *tmp, *desc, *text;
    GstElement *pipeline, *hp;
    GstPad *hp_src;
    GstBus *bus;
    GstMessage *msg;
    GPtrArray *variants;
    gboolean panic_b = FALSE;
    guint keyframes = 0;

    tmp = g_dir_make_tmp ("ladderhlssink-XXXXXX", NULL);
    fail_unless (tmp != NULL);
    desc = with_aac_encoder (g_strdup_printf ("ladderhlssink name=hls "
            "location=%s target-duration=1 "
            VIDEO_BRANCH ("a", 160, 90, 150, 45) AUDIO_BRANCH ("a", 140)
            VIDEO_BRANCH ("b", 160, 90, 100, 45) AUDIO_BRANCH ("b", 140), tmp));
    pipeline = gst_parse_launch (desc, NULL);
    fail_unless (pipeline != NULL);
    g_free (desc);
    hp = gst_bin_get_by_name (GST_BIN (pipeline), "hp_b");
    hp_src = gst_element_get_static_pad (hp, "src");
    gst_pad_add_probe (hp_src, GST_PAD_PROBE_TYPE_BUFFER, first_gop_late,
        &keyframes, NULL);

    bus = gst_element_get_bus (pipeline);
    fail_unless (gst_element_set_state (pipeline, GST_STATE_PLAYING) !=
        GST_STATE_CHANGE_FAILURE);
    for (;;) {
      gchar *why = g_strdup_printf ("run %u: the EOS of a pipeline whose "
          "variant b failed", run);

      msg = ladder_test_bus_wait (bus, GST_MESSAGE_EOS | GST_MESSAGE_ERROR |
          GST_MESSAGE_ELEMENT, 20 * GST_SECOND, why);
      g_free (why);
      fail_if (GST_MESSAGE_TYPE (msg) == GST_MESSAGE_ERROR,
          "run %u: an error from %s reached the bus", run,
          GST_MESSAGE_SRC_NAME (msg));
      if (gst_message_has_name (msg, "ladder-panic")) {
        const gchar *rendition = gst_structure_get_string
            (gst_message_get_structure (msg), "rendition");

        fail_unless_equals_string (rendition, "b");
        panic_b = TRUE;
      }
      if (GST_MESSAGE_TYPE (msg) == GST_MESSAGE_EOS) {
        gst_message_unref (msg);
        break;
      }
      gst_message_unref (msg);
    }
    fail_unless (panic_b, "run %u: no ladder-panic for b", run);

    /* a is written, ended and listed; b is not listed */
    text = read_file (tmp, "a/index.m3u8");
    fail_unless (media_is_complete (text), "run %u: %s", run, text);
    g_free (text);
    text = read_file (tmp, "master.m3u8");
    variants = parse_master (text);
    fail_unless (variants != NULL, "run %u: %s", run, text);
    fail_unless (find_variant (variants, "a/index.m3u8") != NULL, "run %u: "
        "%s", run, text);
    fail_unless (find_variant (variants, "b/index.m3u8") == NULL, "run %u: "
        "%s", run, text);
    g_ptr_array_unref (variants);
    g_free (text);

    stop (pipeline);
    gst_object_unref (bus);
    gst_object_unref (hp_src);
    gst_object_unref (hp);
    gst_object_unref (pipeline);
    rm_rf (tmp);
    g_free (tmp);
  }
}

GST_END_TEST;

/* A video pad requested for a rendition whose audio is being written
 * already is refused with a warning, and the rendition goes on with its
 * audio alone: splitmuxsink would fail the variant (the video's earlier
 * timestamps) or hang adding the muxer's pad. */
GST_START_TEST (test_late_video_refused)
{
  gchar *tmp, *desc, *text;
  GstElement *pipeline, *hls;
  GstBus *bus;
  GstMessage *msg;
  GPtrArray *variants;
  const Variant *v;
  gboolean opened = FALSE, warned = FALSE;

  if (!have_elements ())
    return;

  tmp = g_dir_make_tmp ("ladderhlssink-XXXXXX", NULL);
  fail_unless (tmp != NULL);
  desc = with_aac_encoder (g_strdup_printf ("ladderhlssink name=hls "
          "location=%s target-duration=1 audiotestsrc is-live=true "
          "num-buffers=100 ! avenc_aac ! aacparse ! hls.audio_a", tmp));
  pipeline = gst_parse_launch (desc, NULL);
  fail_unless (pipeline != NULL);
  g_free (desc);
  hls = gst_bin_get_by_name (GST_BIN (pipeline), "hls");
  bus = gst_element_get_bus (pipeline);
  fail_unless (gst_element_set_state (pipeline, GST_STATE_PLAYING) !=
      GST_STATE_CHANGE_FAILURE);

  /* the audio's first segment is open */
  while (!opened) {
    msg = ladder_test_bus_wait (bus, GST_MESSAGE_ELEMENT | GST_MESSAGE_ERROR
        | GST_MESSAGE_EOS, 20 * GST_SECOND, "the first segment of the audio");
    fail_if (GST_MESSAGE_TYPE (msg) != GST_MESSAGE_ELEMENT, "%s before the "
        "first segment", GST_MESSAGE_TYPE_NAME (msg));
    opened = gst_message_has_name (msg, "splitmuxsink-fragment-opened");
    gst_message_unref (msg);
  }

  fail_unless (gst_element_request_pad_simple (hls, "video_a") == NULL,
      "a video pad joined a rendition whose audio was being written");
  for (;;) {
    msg = ladder_test_bus_wait (bus, GST_MESSAGE_EOS | GST_MESSAGE_ERROR |
        GST_MESSAGE_WARNING, 20 * GST_SECOND, "the EOS of the audio");
    fail_if (GST_MESSAGE_TYPE (msg) == GST_MESSAGE_ERROR, "an error from %s",
        GST_MESSAGE_SRC_NAME (msg));
    if (GST_MESSAGE_TYPE (msg) == GST_MESSAGE_WARNING) {
      GError *err = NULL;

      gst_message_parse_warning (msg, &err, NULL);
      if (strstr (err->message, "video_a") != NULL
          && strstr (err->message, "before its audio") != NULL)
        warned = TRUE;
      g_clear_error (&err);
    }
    if (GST_MESSAGE_TYPE (msg) == GST_MESSAGE_EOS) {
      gst_message_unref (msg);
      break;
    }
    gst_message_unref (msg);
  }
  fail_unless (warned, "no warning said why video_a was refused");

  /* a is an audio-only variant, written to its end */
  text = read_file (tmp, "a/index.m3u8");
  fail_unless (media_is_complete (text), "%s", text);
  g_free (text);
  stop (pipeline);
  text = read_file (tmp, "master.m3u8");
  variants = parse_master (text);
  fail_unless (variants != NULL, "%s", text);
  v = find_variant (variants, "a/index.m3u8");
  fail_unless (v != NULL, "%s", text);
  fail_unless (v->resolution == NULL, "%s", text);
  g_ptr_array_unref (variants);
  g_free (text);

  gst_object_unref (bus);
  gst_object_unref (hls);
  gst_object_unref (pipeline);
  rm_rf (tmp);
  g_free (tmp);
}

GST_END_TEST;

/* The writers preroll alone (async-handling), so the pipeline reaches
 * PLAYING before any variant has data. Before, each hlssink2 answered
 * ASYNC to every state change until it had data, and the pipeline set its
 * state again and again: hundreds of ASYNC_DONE and latency messages a
 * second, and no PLAYING until every variant had its first buffer. */
GST_START_TEST (test_playing_before_data)
{
  gchar *tmp, *desc;
  GstElement *pipeline, *hp_a, *hp_b;
  GstPad *pads[2];
  gulong ids[2];
  GstBus *bus;
  GstMessage *msg;
  GstState state;
  GstStateChangeReturn ret;
  guint async_done = 0, i;

  if (!have_elements ())
    return;

  tmp = g_dir_make_tmp ("ladderhlssink-XXXXXX", NULL);
  fail_unless (tmp != NULL);
  desc = g_strdup_printf ("ladderhlssink name=hls location=%s "
      "target-duration=1 " VIDEO_BRANCH ("a", 160, 90, 150, 20)
      VIDEO_BRANCH ("b", 160, 90, 100, 20), tmp);
  pipeline = gst_parse_launch (desc, NULL);
  fail_unless (pipeline != NULL);
  g_free (desc);

  /* no data reaches the sink until the pipeline is PLAYING */
  hp_a = gst_bin_get_by_name (GST_BIN (pipeline), "hp_a");
  hp_b = gst_bin_get_by_name (GST_BIN (pipeline), "hp_b");
  pads[0] = gst_element_get_static_pad (hp_a, "src");
  pads[1] = gst_element_get_static_pad (hp_b, "src");
  for (i = 0; i < 2; i++)
    ids[i] = gst_pad_add_probe (pads[i], GST_PAD_PROBE_TYPE_BLOCK |
        GST_PAD_PROBE_TYPE_BUFFER, gate_block, NULL, NULL);

  bus = gst_element_get_bus (pipeline);
  fail_unless (gst_element_set_state (pipeline, GST_STATE_PLAYING) !=
      GST_STATE_CHANGE_FAILURE);
  ret = gst_element_get_state (pipeline, &state, NULL, 10 * GST_SECOND);
  fail_unless (ret != GST_STATE_CHANGE_FAILURE);
  fail_unless (state == GST_STATE_PLAYING, "the pipeline is %s (%s) after "
      "10 s: the writers without data held it back",
      gst_element_state_get_name (state),
      gst_element_state_change_return_get_name (ret));

  for (i = 0; i < 2; i++)
    gst_pad_remove_probe (pads[i], ids[i]);
  while ((msg = gst_bus_timed_pop_filtered (bus, 20 * GST_SECOND,
              GST_MESSAGE_EOS | GST_MESSAGE_ERROR | GST_MESSAGE_ASYNC_DONE))) {
    GstMessageType type = GST_MESSAGE_TYPE (msg);

    fail_if (type == GST_MESSAGE_ERROR, "an error reached the bus");
    if (type == GST_MESSAGE_ASYNC_DONE)
      async_done++;
    gst_message_unref (msg);
    if (type == GST_MESSAGE_EOS)
      break;
  }
  fail_unless (msg != NULL, "no EOS within 20 s");
  /* the preroll to PAUSED, and nothing else */
  fail_unless (async_done <= 1, "%u ASYNC_DONE messages", async_done);
  stop (pipeline);

  for (i = 0; i < 2; i++)
    gst_object_unref (pads[i]);
  gst_object_unref (hp_a);
  gst_object_unref (hp_b);
  gst_object_unref (bus);
  gst_object_unref (pipeline);
  rm_rf (tmp);
  g_free (tmp);
}

GST_END_TEST;

static Suite *
ladderhlssink_suite (void)
{
  Suite *s = suite_create ("ladderhlssink");
  TCase *tc = tcase_create ("general");

  suite_add_tcase (s, tc);
  /* the dynamic test runs a 6 s live pipeline */
  tcase_set_timeout (tc, 60);
  tcase_add_test (tc, test_location_required);
  tcase_add_test (tc, test_bad_names);
  tcase_add_test (tc, test_offline_ladder);
  tcase_add_test (tc, test_dynamic_renditions);
  tcase_add_test (tc, test_eos_every_run);
  tcase_add_test (tc, test_empty_video_leaves_audio);
  tcase_add_test (tc, test_empty_audio_leaves_video);
  tcase_add_test (tc, test_playing_before_data);
  tcase_add_test (tc, test_variant_failing_before_first_segment);
  tcase_add_test (tc, test_late_video_refused);
  return s;
}

GST_CHECK_MAIN (ladderhlssink);
