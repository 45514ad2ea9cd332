/* gst-ladder
 * Copyright (C) 2026 The gst-ladder authors
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2 of the License, or (at your option) any later version.
 */

/**
 * SECTION:element-ladderhlssink
 * @title: ladderhlssink
 * @short_description: HLS ladder writer with a multivariant playlist
 *
 * ladderhlssink writes an HTTP Live Streaming ladder into the folder set by
 * #GstLadderHlsSink:location. Each rendition gets a folder
 * `<location>/<rendition>/` with MPEG-TS segments (`segment00000.ts`, ...)
 * and a media playlist (#GstLadderHlsSink:playlist-name), written by one
 * `hlssink2` per rendition. ladderhlssink itself writes the multivariant
 * playlist `<location>/<master-name>` that lists every rendition with its
 * BANDWIDTH, AVERAGE-BANDWIDTH, RESOLUTION, FRAME-RATE and CODECS, highest
 * bandwidth first.
 *
 * Request a `video_<rendition>` and/or an `audio_<rendition>` pad per
 * rendition; both tracks of a rendition are muxed into the same segments.
 * The video cuts the segments: request it before the rendition's audio has
 * data (a video pad asked for later is refused with a warning, and the
 * rendition stays audio only).
 * Rendition names are 1 to 32 characters of `[a-z0-9_-]`; any other name
 * is refused. A rendition is listed once its first segment is complete;
 * releasing a pad of a rendition ends it: its media playlist gets
 * `#EXT-X-ENDLIST`, it leaves the multivariant playlist, and its files stay.
 *
 * Every playlist is replaced atomically (a temporary file in the same folder
 * renamed over the old one), so a reader never sees a partial playlist.
 *
 * ladderhlssink posts EOS itself, once EOS has gone through every one of its
 * pads and every rendition that had data has ended its media playlist with
 * `#EXT-X-ENDLIST`: the EOS messages of hlssink2 are not reliable in
 * GStreamer 1.22. Each hlssink2 prerolls on its own, so ladderhlssink does
 * not hold the pipeline in PAUSED until data arrives.
 *
 * Segments are cut at the first keyframe where the segment would grow past
 * #GstLadderHlsSink:target-duration; no keyframe is requested upstream. With
 * the same keyframe timestamps on every rendition (the ladder's default
 * keyframe interval of 2 s equals the default target duration), the segment
 * boundaries are the same on every rendition.
 *
 * ## Example launch line
 * |[
 * gst-launch-1.0 -e ladderhlssink name=hls location=/tmp/ladder \
 *   videotestsrc is-live=true num-buffers=300 \
 *     ! video/x-raw,format=I420,width=640,height=360,framerate=30/1 \
 *     ! x264enc tune=zerolatency key-int-max=60 option-string=scenecut=0 \
 *     ! h264parse ! hls.video_360p \
 *   audiotestsrc is-live=true num-buffers=430 ! avenc_aac ! aacparse \
 *     ! hls.audio_360p
 * ]|
 * writes /tmp/ladder/master.m3u8, /tmp/ladder/360p/index.m3u8 and the
 * segments next to it.
 *
 * Since: 0.1
 */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <string.h>
#include <errno.h>
#include <gst/ladder/ladder.h>

#include "gstladderelements.h"
#include "gstladderhlssink.h"
#include "ladderhlsstream.h"
#include "ladderatomicwrite.h"
#include "laddermultivariant.h"

/* shared with ladderhlsstream.c and gstladderhlssinkeos.c */
GST_DEBUG_CATEGORY (gst_ladder_hls_sink_debug);
#define GST_CAT_DEFAULT gst_ladder_hls_sink_debug

#define DEFAULT_LOCATION NULL
#define DEFAULT_MASTER_NAME "master.m3u8"
#define DEFAULT_PLAYLIST_NAME "index.m3u8"
#define DEFAULT_TARGET_DURATION 2
#define DEFAULT_PLAYLIST_LENGTH 6
#define DEFAULT_PLAYLIST_TYPE GST_LADDER_HLS_PLAYLIST_TYPE_LIVE
#define DEFAULT_MAX_FILES 10

enum
{
  PROP_0,
  PROP_LOCATION,
  PROP_MASTER_NAME,
  PROP_PLAYLIST_NAME,
  PROP_TARGET_DURATION,
  PROP_PLAYLIST_LENGTH,
  PROP_MAX_FILES,
  PROP_PLAYLIST_TYPE,
};

#define VIDEO_CAPS \
    "video/x-h264, stream-format = (string) byte-stream, " \
    "alignment = (string) au; " \
    "video/x-h265, stream-format = (string) byte-stream, " \
    "alignment = (string) au"

#define AUDIO_CAPS \
    "audio/mpeg, mpegversion = (int) { 2, 4 }, " \
    "stream-format = (string) { adts, raw }; " \
    "audio/mpeg, mpegversion = (int) 1; " \
    "audio/x-ac3; audio/x-eac3"

static GstStaticPadTemplate video_template =
GST_STATIC_PAD_TEMPLATE ("video_%s", GST_PAD_SINK, GST_PAD_REQUEST,
    GST_STATIC_CAPS (VIDEO_CAPS));

static GstStaticPadTemplate audio_template =
GST_STATIC_PAD_TEMPLATE ("audio_%s", GST_PAD_SINK, GST_PAD_REQUEST,
    GST_STATIC_CAPS (AUDIO_CAPS));

#define gst_ladder_hls_sink_parent_class parent_class
G_DEFINE_TYPE_WITH_CODE (GstLadderHlsSink, gst_ladder_hls_sink, GST_TYPE_BIN,
    GST_DEBUG_CATEGORY_INIT (gst_ladder_hls_sink_debug, "ladderhlssink", 0,
        "HLS ladder writer"));
GST_ELEMENT_REGISTER_DEFINE (ladderhlssink, "ladderhlssink", GST_RANK_NONE,
    GST_TYPE_LADDER_HLS_SINK);

static void gst_ladder_hls_sink_finalize (GObject * object);
static void gst_ladder_hls_sink_set_property (GObject * object, guint prop_id,
    const GValue * value, GParamSpec * pspec);
static void gst_ladder_hls_sink_get_property (GObject * object, guint prop_id,
    GValue * value, GParamSpec * pspec);
static GstStateChangeReturn gst_ladder_hls_sink_change_state (GstElement *
    element, GstStateChange transition);
static gboolean gst_ladder_hls_sink_post_message (GstElement * element,
    GstMessage * message);
static GstPad *gst_ladder_hls_sink_request_new_pad (GstElement * element,
    GstPadTemplate * templ, const gchar * name, const GstCaps * caps);
static void gst_ladder_hls_sink_release_pad (GstElement * element,
    GstPad * pad);
static void gst_ladder_hls_sink_handle_message (GstBin * bin,
    GstMessage * message);


static void
gst_ladder_hls_sink_class_init (GstLadderHlsSinkClass * klass)
{
  GObjectClass *gobject_class = G_OBJECT_CLASS (klass);
  GstElementClass *element_class = GST_ELEMENT_CLASS (klass);
  GstBinClass *bin_class = GST_BIN_CLASS (klass);

  gobject_class->finalize = gst_ladder_hls_sink_finalize;
  gobject_class->set_property = gst_ladder_hls_sink_set_property;
  gobject_class->get_property = gst_ladder_hls_sink_get_property;

  /**
   * GstLadderHlsSink:location:
   *
   * The output folder. Required: going to READY fails with an error if it
   * is unset or cannot be created. Can only be changed in NULL or READY.
   *
   * Since: 0.1
   */
  g_object_class_install_property (gobject_class, PROP_LOCATION,
      g_param_spec_string ("location", "Location",
          "Output folder of the ladder (required; created if missing): holds "
          "the multivariant playlist and one folder per rendition",
          DEFAULT_LOCATION, G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS |
          GST_PARAM_MUTABLE_READY));

  /**
   * GstLadderHlsSink:master-name:
   *
   * File name of the multivariant playlist inside #GstLadderHlsSink:location.
   *
   * Since: 0.1
   */
  g_object_class_install_property (gobject_class, PROP_MASTER_NAME,
      g_param_spec_string ("master-name", "Master name",
          "File name of the multivariant (master) playlist in the output "
          "folder", DEFAULT_MASTER_NAME,
          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS |
          GST_PARAM_MUTABLE_READY));

  /**
   * GstLadderHlsSink:playlist-name:
   *
   * File name of the media playlist inside each rendition folder.
   *
   * Since: 0.1
   */
  g_object_class_install_property (gobject_class, PROP_PLAYLIST_NAME,
      g_param_spec_string ("playlist-name", "Playlist name",
          "File name of the media playlist in each rendition folder",
          DEFAULT_PLAYLIST_NAME, G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS |
          GST_PARAM_MUTABLE_READY));

  /**
   * GstLadderHlsSink:target-duration:
   *
   * Segment length in seconds, passed to every hlssink2. A segment ends at
   * the first keyframe where it would grow past this; with a keyframe
   * every target-duration seconds, every segment is one GOP.
   *
   * Since: 0.1
   */
  g_object_class_install_property (gobject_class, PROP_TARGET_DURATION,
      g_param_spec_uint ("target-duration", "Target duration",
          "Segment length in seconds: a segment ends at the first keyframe "
          "where it would grow past this (match the keyframe interval)",
          1, G_MAXUINT, DEFAULT_TARGET_DURATION,
          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS |
          GST_PARAM_MUTABLE_READY));

  /**
   * GstLadderHlsSink:playlist-length:
   *
   * Segments listed in each media playlist (0: all), passed to every
   * hlssink2.
   *
   * Since: 0.1
   */
  g_object_class_install_property (gobject_class, PROP_PLAYLIST_LENGTH,
      g_param_spec_uint ("playlist-length", "Playlist length",
          "Number of segments listed in each media playlist, the most recent "
          "ones (0 = all, for a complete VOD playlist)",
          0, G_MAXUINT, DEFAULT_PLAYLIST_LENGTH,
          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS |
          GST_PARAM_MUTABLE_READY));

  /**
   * GstLadderHlsSink:max-files:
   *
   * Segments kept on disk per rendition (0: all), passed to every hlssink2.
   *
   * Since: 0.1
   */
  g_object_class_install_property (gobject_class, PROP_MAX_FILES,
      g_param_spec_uint ("max-files", "Max files",
          "Number of segment files kept on disk per rendition; older ones are "
          "deleted (0 = keep all)",
          0, G_MAXUINT, DEFAULT_MAX_FILES,
          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS |
          GST_PARAM_MUTABLE_READY));

  /**
   * GstLadderHlsSink:playlist-type:
   *
   * The kind of media playlists: `live` (a sliding window of
   * #GstLadderHlsSink:playlist-length segments), `event` (every segment,
   * growing) or `vod` (every segment, each media playlist written once,
   * complete, at the end). `event` and `vod` list and keep every segment:
   * they override playlist-length and max-files to 0.
   *
   * Since: 0.1
   */
  g_object_class_install_property (gobject_class, PROP_PLAYLIST_TYPE,
      g_param_spec_enum ("playlist-type", "Playlist type",
          "Media playlists: live (sliding window), event (every segment, "
          "growing) or vod (every segment, written complete at the end); "
          "event and vod list and keep every segment",
          GST_TYPE_LADDER_HLS_PLAYLIST_TYPE, DEFAULT_PLAYLIST_TYPE,
          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS |
          GST_PARAM_MUTABLE_READY));

  gst_element_class_add_pad_template (element_class,
      gst_pad_template_new_from_static_pad_template_with_gtype (&video_template,
          GST_TYPE_LADDER_HLS_SINK_PAD));
  gst_element_class_add_pad_template (element_class,
      gst_pad_template_new_from_static_pad_template_with_gtype (&audio_template,
          GST_TYPE_LADDER_HLS_SINK_PAD));

  gst_element_class_set_static_metadata (element_class,
      "Ladder HLS sink", "Sink/Muxer",
      "Writes an HLS ladder: MPEG-TS segments and a media playlist per "
      "rendition, and the multivariant playlist that lists them",
      "The gst-ladder authors");

  element_class->post_message =
      GST_DEBUG_FUNCPTR (gst_ladder_hls_sink_post_message);
  element_class->change_state =
      GST_DEBUG_FUNCPTR (gst_ladder_hls_sink_change_state);
  element_class->request_new_pad =
      GST_DEBUG_FUNCPTR (gst_ladder_hls_sink_request_new_pad);
  element_class->release_pad =
      GST_DEBUG_FUNCPTR (gst_ladder_hls_sink_release_pad);
  bin_class->handle_message =
      GST_DEBUG_FUNCPTR (gst_ladder_hls_sink_handle_message);

  gst_type_mark_as_plugin_api (GST_TYPE_LADDER_HLS_SINK_PAD, 0);
}

/* A rendition ended or failed: the multivariant playlist without it or
 * with its final figures, and maybe our EOS */
static void
streams_changed (GstLadderHlsSink * self)
{
  gst_ladder_hls_sink_write_master (self);
  gst_ladder_hls_sink_check_eos (self);
}

static void
gst_ladder_hls_sink_init (GstLadderHlsSink * self)
{
  g_mutex_init (&self->pads_lock);
  g_mutex_init (&self->write_lock);
  g_mutex_init (&self->lock);
  self->ended = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->streams_changed = streams_changed;

  self->location = g_strdup (DEFAULT_LOCATION);
  self->master_name = g_strdup (DEFAULT_MASTER_NAME);
  self->playlist_name = g_strdup (DEFAULT_PLAYLIST_NAME);
  self->target_duration = DEFAULT_TARGET_DURATION;
  self->playlist_length = DEFAULT_PLAYLIST_LENGTH;
  self->max_files = DEFAULT_MAX_FILES;
  self->playlist_type = DEFAULT_PLAYLIST_TYPE;
  self->pdt_anchor_wall = -1;
  self->eos_seqnum = GST_SEQNUM_INVALID;

  GST_OBJECT_FLAG_SET (self, GST_ELEMENT_FLAG_SINK);
}

static void
gst_ladder_hls_sink_finalize (GObject * object)
{
  GstLadderHlsSink *self = GST_LADDER_HLS_SINK (object);

  /* GstBin::dispose removed (and stopped) the hlssink2 children */
  g_list_free_full (self->streams, (GDestroyNotify) ladder_hls_stream_free);
  self->streams = NULL;

  g_free (self->location);
  g_free (self->master_name);
  g_free (self->playlist_name);
  g_mutex_clear (&self->pads_lock);
  g_mutex_clear (&self->write_lock);
  g_mutex_clear (&self->lock);
  g_hash_table_unref (self->ended);

  G_OBJECT_CLASS (parent_class)->finalize (object);
}

/* ------------------------------------------------------------------------ */
/* names */

/* a file name inside the output folder or a rendition folder */
static gboolean
check_file_name (const gchar * name)
{
  return name != NULL && *name != '\0' && strchr (name, '/') == NULL
      && strcmp (name, ".") != 0 && strcmp (name, "..") != 0;
}

static void
configure_all_hlssinks (GstLadderHlsSink * self)
{
  GList *l, *streams;

  g_mutex_lock (&self->lock);
  streams = g_list_copy (self->streams);
  g_mutex_unlock (&self->lock);

  /* streams are only freed with pads_lock held */
  for (l = streams; l; l = l->next)
    ladder_hls_stream_configure (self, l->data);
  g_list_free (streams);
}

/* ------------------------------------------------------------------------ */
/* the multivariant playlist */

/* call with lock: the multivariant playlist entry of @stream, from what
 * its segments measured and what its pads know */
static LadderVariant *
stream_to_variant_unlocked (GstLadderHlsSink * self,
    LadderHlsStream * stream, const gchar * playlist_name)
{
  gchar *uri = g_strdup_printf ("%s/%s", stream->name, playlist_name);
  LadderVariant *v = ladder_variant_new (uri);
  GstCaps *vcaps = NULL, *acaps = NULL;
  gchar *vcodec = NULL, *acodec = NULL;
  guint64 configured = 0;
  gboolean codecs_known = TRUE;

  g_free (uri);

  if (stream->video) {
    vcaps = gst_pad_get_current_caps (GST_PAD_CAST (stream->video));
    configured +=
        gst_ladder_hls_sink_pad_get_configured_bitrate (stream->video, vcaps);
    if (vcaps) {
      GstStructure *s = gst_caps_get_structure (vcaps, 0);

      gst_structure_get_int (s, "width", &v->width);
      gst_structure_get_int (s, "height", &v->height);
      if (!gst_structure_get_fraction (s, "framerate", &v->fps_n, &v->fps_d))
        v->fps_n = v->fps_d = 0;
      vcodec = gst_ladder_hls_sink_pad_get_codec (stream->video, vcaps);
    }
    codecs_known &= vcodec != NULL;
  }
  if (stream->audio) {
    acaps = gst_pad_get_current_caps (GST_PAD_CAST (stream->audio));
    configured +=
        gst_ladder_hls_sink_pad_get_configured_bitrate (stream->audio, acaps);
    if (acaps)
      acodec = gst_ladder_hls_sink_pad_get_codec (stream->audio, acaps);
    /* an audio track that ended without caps is no track of the variant */
    if (acaps || !gst_ladder_hls_sink_pad_is_eos (stream->audio))
      codecs_known &= acodec != NULL;
  }

  if (codecs_known && (vcodec || acodec)) {
    if (vcodec && acodec)
      v->codecs = g_strdup_printf ("%s,%s", vcodec, acodec);
    else
      v->codecs = g_strdup (vcodec ? vcodec : acodec);
  }

  v->independent = stream->video == NULL
      || gst_ladder_hls_sink_pad_is_independent (stream->video);
  if (stream->playlist != NULL) {
    v->bandwidth = ladder_media_playlist_get_peak_bitrate (stream->playlist);
    v->average_bandwidth =
        ladder_media_playlist_get_average_bitrate (stream->playlist);
  }
  if (v->bandwidth == 0)
    v->bandwidth = configured;

  g_free (vcodec);
  g_free (acodec);
  gst_clear_caps (&vcaps);
  gst_clear_caps (&acaps);
  return v;
}

/* Renders and writes <location>/<master-name>; posts a warning when the
 * write fails. Call with no lock but pads_lock (optional). */
void
gst_ladder_hls_sink_write_master (GstLadderHlsSink * self)
{
  GPtrArray *variants;
  gchar *location, *master_name, *playlist_name, *path, *text;
  GError *err = NULL;
  GList *l;

  GST_OBJECT_LOCK (self);
  location = g_strdup (self->location);
  master_name = g_strdup (self->master_name);
  playlist_name = g_strdup (self->playlist_name);
  GST_OBJECT_UNLOCK (self);

  if (location == NULL) {
    g_free (master_name);
    g_free (playlist_name);
    return;
  }

  variants = g_ptr_array_new_with_free_func ((GDestroyNotify)
      ladder_variant_free);

  g_mutex_lock (&self->write_lock);
  g_mutex_lock (&self->lock);
  for (l = self->streams; l; l = l->next) {
    LadderHlsStream *stream = l->data;

    if (stream->visible && !stream->finalizing && !stream->failed)
      g_ptr_array_add (variants,
          stream_to_variant_unlocked (self, stream, playlist_name));
  }
  g_mutex_unlock (&self->lock);

  text = ladder_multivariant_render (variants);
  path = g_build_filename (location, master_name, NULL);
  GST_DEBUG_OBJECT (self, "writing %s:\n%s", path, text);
  if (!ladder_hls_make_parent_folder (path, &err)
      || !ladder_atomic_write (path, text, -1, &err)) {
    g_mutex_unlock (&self->write_lock);
    GST_ELEMENT_WARNING (self, RESOURCE, WRITE,
        ("Could not write the multivariant playlist '%s'.", path),
        ("%s", err->message));
    g_clear_error (&err);
  } else {
    g_mutex_unlock (&self->write_lock);
  }

  g_free (path);
  g_free (text);
  g_ptr_array_unref (variants);
  g_free (location);
  g_free (master_name);
  g_free (playlist_name);
}

/* Whether pads for a new rendition @rendition can be requested: no
 * rendition of that name is being written or ending, and none of that name
 * wrote segments and ended in this run (its files stay as they are until
 * the run is over). Call with no lock. */
gboolean
gst_ladder_hls_sink_name_is_free (GstLadderHlsSink * self,
    const gchar * rendition)
{
  gboolean free;

  g_return_val_if_fail (GST_IS_LADDER_HLS_SINK (self), FALSE);
  g_return_val_if_fail (rendition != NULL, FALSE);

  g_mutex_lock (&self->lock);
  free = ladder_hls_stream_find_unlocked (self, rendition, FALSE) == NULL
      && ladder_hls_stream_find_unlocked (self, rendition, TRUE) == NULL
      && !g_hash_table_contains (self->ended, rendition);
  g_mutex_unlock (&self->lock);
  return free;
}

/* ------------------------------------------------------------------------ */
/* failure */

/* Fails the variant @name from outside (its rung died, and that was
 * announced): it leaves the multivariant playlist and is no longer waited
 * for; see ladder_hls_stream_fail(). Call with no lock. */
gboolean
gst_ladder_hls_sink_fail_variant (GstLadderHlsSink * self, const gchar * name,
    const GError * error, const gchar * debug)
{
  g_return_val_if_fail (GST_IS_LADDER_HLS_SINK (self), FALSE);
  g_return_val_if_fail (name != NULL, FALSE);

  return ladder_hls_stream_fail (self, name, error, debug, FALSE);
}

/* ------------------------------------------------------------------------ */
/* messages */

static void
gst_ladder_hls_sink_handle_message (GstBin * bin, GstMessage * message)
{
  GstLadderHlsSink *self = GST_LADDER_HLS_SINK (bin);
  LadderHlsStream *stream;

  switch (GST_MESSAGE_TYPE (message)) {
    case GST_MESSAGE_ELEMENT:{
      const GstStructure *s = gst_message_get_structure (message);
      gboolean opened, write = FALSE;
      GstClockTime running_time = GST_CLOCK_TIME_NONE;
      guint serial = 0;

      opened = gst_structure_has_name (s, "splitmuxsink-fragment-opened");
      if (!opened && !gst_structure_has_name (s,
              "splitmuxsink-fragment-closed"))
        break;
      gst_structure_get_clock_time (s, "running-time", &running_time);

      g_mutex_lock (&self->lock);
      stream = ladder_hls_stream_find_by_child_unlocked (self,
          GST_MESSAGE_SRC (message));
      if (stream != NULL && opened) {
        stream->fragment_start = running_time;
      } else if (stream != NULL) {
        /* whether each segment starts with a keyframe: what the pad saw */
        ladder_hls_stream_fragment_closed_unlocked (self, stream, running_time,
            stream->video == NULL
            || gst_ladder_hls_sink_pad_is_independent (stream->video));
        write = !stream->finalizing;
        serial = stream->serial;
      }
      g_mutex_unlock (&self->lock);

      if (serial)
        ladder_hls_stream_write_playlist (self, serial, FALSE);

      /* its media playlist lists the segment: the rendition can be
       * listed */
      if (write)
        gst_ladder_hls_sink_write_master (self);
      break;
    }
    case GST_MESSAGE_ERROR:{
      gboolean has_data = TRUE;
      gchar *name = NULL;

      g_mutex_lock (&self->lock);
      stream = ladder_hls_stream_find_by_child_unlocked (self,
          GST_MESSAGE_SRC (message));
      if (stream != NULL) {
        has_data = (stream->video
            && gst_ladder_hls_sink_pad_has_data (stream->video))
            || (stream->audio
            && gst_ladder_hls_sink_pad_has_data (stream->audio));
        if (stream->failed || stream->finalizing) {
          /* what follows the failure or the removal of a variant */
          g_mutex_unlock (&self->lock);
          GST_DEBUG_OBJECT (self, "dropping an error of the stopped variant "
              "in %s", GST_MESSAGE_SRC_NAME (message));
          gst_message_unref (message);
          return;
        }
        name = g_strdup (stream->name);
      } else if (ladder_hls_stream_taking_out_unlocked (self,
              GST_MESSAGE_SRC (message))) {
        /* a writer being stopped and taken out, whose rendition was removed
         * or has a new writer already */
        g_mutex_unlock (&self->lock);
        GST_DEBUG_OBJECT (self, "dropping an error of %s, which is being "
            "taken out", GST_MESSAGE_SRC_NAME (message));
        gst_message_unref (message);
        return;
      }
      g_mutex_unlock (&self->lock);

      /* the writer of one variant failed: that variant alone */
      if (name != NULL && has_data) {
        GError *err = NULL;
        gchar *debug = NULL;

        gst_message_parse_error (message, &err, &debug);
        ladder_hls_stream_fail (self, name, err, debug, TRUE);
        g_clear_error (&err);
        g_free (debug);
        g_free (name);
        gst_message_unref (message);
        return;
      }
      g_free (name);

      /* A rendition that got EOS without any data has nothing to lose:
       * stock splitmuxsink may then report closing a segment it never
       * opened, and hlssink2 makes that an error. Keep it from stopping the
       * pipeline: pass it on as a warning. */
      if (!has_data) {
        GError *err = NULL;
        gchar *debug = NULL;

        gst_message_parse_error (message, &err, &debug);
        GST_INFO_OBJECT (self, "error of a rendition without data, passed on "
            "as a warning: %s", err->message);
        gst_element_post_message (GST_ELEMENT_CAST (self),
            gst_message_new_warning (GST_MESSAGE_SRC (message), err, debug));
        g_clear_error (&err);
        g_free (debug);
        gst_message_unref (message);
        return;
      }
      break;
    }
    case GST_MESSAGE_EOS:
      /* ours is posted by gst_ladder_hls_sink_check_eos() */
      GST_DEBUG_OBJECT (self, "dropping the EOS of %s",
          GST_MESSAGE_SRC_NAME (message));
      gst_message_unref (message);
      return;
    default:
      break;
  }

  GST_BIN_CLASS (parent_class)->handle_message (bin, message);
}

/* ------------------------------------------------------------------------ */
/* state changes */

/* The children of the sink are the hlssink2 of the variants, and each
 * prerolls on its own (async-handling, see make_hlssink()): a variant
 * without data yet holds nothing back. Such a child still answers ASYNC to
 * a state change until it has data, without an ASYNC_START; GstBin 1.22
 * then completes our state change at once, posts an ASYNC_DONE to our
 * parent, and the pipeline, taking it for the end of a preroll, sets the
 * state again: hundreds of rounds a second, each with a latency message
 * and its redistribution, until every variant had data. So our state
 * change does not wait for them: it succeeds (the state is committed
 * here), and the ASYNC_DONE that GstBin made for it is not posted
 * (gst_ladder_hls_sink_post_message()). */
static gboolean
has_async_child (GstLadderHlsSink * self)
{
  gboolean found = FALSE;
  GList *l;

  GST_OBJECT_LOCK (self);
  for (l = GST_BIN_CAST (self)->messages; l && !found; l = l->next)
    found = GST_MESSAGE_TYPE (l->data) == GST_MESSAGE_ASYNC_START;
  GST_OBJECT_UNLOCK (self);
  return found;
}

static GstStateChangeReturn
writers_preroll_alone (GstLadderHlsSink * self, GstStateChange transition)
{
  if (has_async_child (self))
    return GST_STATE_CHANGE_ASYNC;

  GST_DEBUG_OBJECT (self, "the writers preroll alone: %s succeeds",
      gst_state_change_get_name (transition));
  /* GstBin committed every state but PLAYING, for which it left the
   * continuation to the parent: commit it with our SUCCESS */
  GST_OBJECT_LOCK (self);
  if (GST_STATE_TRANSITION_NEXT (transition) == GST_STATE_PLAYING
      && GST_STATE (self) != GST_STATE_PLAYING
      && GST_STATE_PENDING (self) == GST_STATE_VOID_PENDING) {
    GST_STATE_NEXT (self) = GST_STATE_PLAYING;
    GST_STATE_PENDING (self) = GST_STATE_TARGET (self);
  }
  GST_OBJECT_UNLOCK (self);
  return GST_STATE_CHANGE_SUCCESS;
}

static gboolean
gst_ladder_hls_sink_post_message (GstElement * element, GstMessage * message)
{
  if (GST_MESSAGE_TYPE (message) == GST_MESSAGE_ASYNC_DONE
      && GST_MESSAGE_SRC (message) == GST_OBJECT_CAST (element)
      && !has_async_child (GST_LADDER_HLS_SINK (element))) {
    GST_DEBUG_OBJECT (element, "not posting the ASYNC_DONE of writers that "
        "preroll alone");
    gst_message_unref (message);
    return TRUE;
  }
  return GST_ELEMENT_CLASS (parent_class)->post_message (element, message);
}

static GstStateChangeReturn
gst_ladder_hls_sink_change_state (GstElement * element,
    GstStateChange transition)
{
  GstLadderHlsSink *self = GST_LADDER_HLS_SINK (element);
  GstStateChangeReturn ret;
  GList *l;

  switch (transition) {
    case GST_STATE_CHANGE_NULL_TO_READY:{
      gchar *location;

      GST_OBJECT_LOCK (self);
      location = g_strdup (self->location);
      GST_OBJECT_UNLOCK (self);

      if (location == NULL || *location == '\0') {
        g_free (location);
        GST_ELEMENT_ERROR (self, RESOURCE, NOT_FOUND,
            ("No output folder: set the 'location' property of ladderhlssink."),
            (NULL));
        return GST_STATE_CHANGE_FAILURE;
      }
      if (g_mkdir_with_parents (location, 0755) < 0) {
        gint errsv = errno;

        GST_ELEMENT_ERROR (self, RESOURCE, OPEN_WRITE,
            ("Could not create the output folder '%s'.", location),
            ("%s", g_strerror (errsv)));
        g_free (location);
        return GST_STATE_CHANGE_FAILURE;
      }
      g_free (location);

      g_mutex_lock (&self->pads_lock);
      configure_all_hlssinks (self);
      g_mutex_unlock (&self->pads_lock);
      break;
    }
    case GST_STATE_CHANGE_READY_TO_PAUSED:
      /* a new writer for every variant, the failed ones included */
      g_mutex_lock (&self->pads_lock);
      for (l = self->streams; l; l = l->next)
        ladder_hls_stream_rebuild (self, l->data, TRUE);
      g_mutex_unlock (&self->pads_lock);
      g_mutex_lock (&self->lock);
      for (l = self->streams; l; l = l->next)
        ladder_hls_stream_reset_unlocked (l->data);
      self->eos_posted = FALSE;
      self->pdt_anchor_wall = -1;
      self->eos_seqnum = GST_SEQNUM_INVALID;
      g_mutex_unlock (&self->lock);
      break;
    default:
      break;
  }

  ret = GST_ELEMENT_CLASS (parent_class)->change_state (element, transition);
  if (ret == GST_STATE_CHANGE_FAILURE)
    return ret;
  if (ret == GST_STATE_CHANGE_ASYNC)
    ret = writers_preroll_alone (self, transition);

  switch (transition) {
    case GST_STATE_CHANGE_PAUSED_TO_READY:{
      GList *pending = NULL;

      /* renditions still draining will not get there any more */
      g_mutex_lock (&self->pads_lock);
      g_mutex_lock (&self->lock);
      for (l = self->streams; l; l = l->next) {
        LadderHlsStream *stream = l->data;

        if (stream->finalizing)
          pending = g_list_prepend (pending, stream);
      }
      self->eos_posted = FALSE;
      g_mutex_unlock (&self->lock);
      for (l = pending; l; l = l->next)
        ladder_hls_stream_remove (self, l->data);
      g_list_free (pending);
      /* the run is over: the next one writes every name from its first
       * segment again */
      g_mutex_lock (&self->lock);
      g_hash_table_remove_all (self->ended);
      g_mutex_unlock (&self->lock);
      g_mutex_unlock (&self->pads_lock);
      break;
    }
    default:
      break;
  }

  return ret;
}

/* ------------------------------------------------------------------------ */
/* pads */

static GstPadProbeReturn
late_block_probe (GstPad * pad, GstPadProbeInfo * info, gpointer user_data)
{
  return GST_PAD_PROBE_OK;
}

static void
unblock_late (GstLadderHlsSinkPad * pad, gulong block)
{
  if (pad == NULL)
    return;
  gst_pad_remove_probe (GST_PAD_CAST (pad), block);
  gst_object_unref (pad);
}

static GstPad *
gst_ladder_hls_sink_request_new_pad (GstElement * element,
    GstPadTemplate * templ, const gchar * name, const GstCaps * caps)
{
  GstLadderHlsSink *self = GST_LADDER_HLS_SINK (element);
  GstLadderHlsSinkPad *pad;
  LadderHlsStream *stream;
  GstPad *target;
  const gchar *prefix, *rname;
  gboolean is_video, taken, draining, ended, clash, late = FALSE;
  GstLadderHlsSinkPad *late_pad = NULL;
  gulong late_block = 0;
  GError *err = NULL;

  is_video = g_str_has_prefix (GST_PAD_TEMPLATE_NAME_TEMPLATE (templ),
      "video_");
  prefix = is_video ? "video_" : "audio_";

  if (name == NULL || !g_str_has_prefix (name, prefix)) {
    GST_ELEMENT_WARNING (self, STREAM, FAILED,
        ("Refusing a pad request: the pad name must be %s<rendition>.",
            prefix), ("requested name: %s", GST_STR_NULL (name)));
    return NULL;
  }
  rname = name + strlen (prefix);
  /* rendition names become folder names: refuse anything that could leave
   * the output folder or is not portable */
  if (!gst_ladder_check_name (rname, "rendition name", &err)) {
    GST_ELEMENT_WARNING (self, STREAM, FAILED,
        ("Refusing pad '%s': %s.", name, err->message),
        ("rendition names are 1 to %d characters of [a-z0-9_-]",
            GST_LADDER_NAME_MAX_LENGTH));
    g_clear_error (&err);
    return NULL;
  }

  /* its folder would take the place of the multivariant playlist */
  GST_OBJECT_LOCK (self);
  clash = self->master_name && g_str_equal (rname, self->master_name);
  GST_OBJECT_UNLOCK (self);
  if (clash) {
    GST_ELEMENT_ERROR (self, RESOURCE, SETTINGS,
        ("Refusing pad '%s': the rendition \"%s\" has the name of the "
            "multivariant playlist (master-name), whose file its folder "
            "would clash with.", name, rname), (NULL));
    return NULL;
  }

  g_mutex_lock (&self->pads_lock);

  g_mutex_lock (&self->lock);
  stream = ladder_hls_stream_find_unlocked (self, rname, FALSE);
  taken = stream != NULL
      && (is_video ? stream->video != NULL : stream->audio != NULL);
  draining = ladder_hls_stream_find_unlocked (self, rname, TRUE) != NULL;
  ended = stream == NULL && g_hash_table_contains (self->ended, rname);
  /* The video is the track that cuts the segments (splitmuxsink's
   * reference): it cannot join a rendition whose audio went into its
   * hlssink2 already. splitmuxsink 1.22 would take the video's earlier
   * timestamps for a GOP ending before it began and fail the variant, or
   * walk the muxer's pads for ever as the new one is added. The audio is
   * blocked while this is decided, and until the video pad holds it. */
  if (is_video && !taken && stream != NULL && stream->audio != NULL) {
    late_block = gst_pad_add_probe (GST_PAD_CAST (stream->audio),
        GST_PAD_PROBE_TYPE_BLOCK | GST_PAD_PROBE_TYPE_BUFFER |
        GST_PAD_PROBE_TYPE_BUFFER_LIST, late_block_probe, NULL, NULL);
    late_pad = gst_object_ref (stream->audio);
    late = gst_ladder_hls_sink_pad_has_data (stream->audio);
  }
  g_mutex_unlock (&self->lock);

  if (late) {
    gst_pad_remove_probe (GST_PAD_CAST (late_pad), late_block);
    gst_object_unref (late_pad);
    g_mutex_unlock (&self->pads_lock);
    GST_ELEMENT_WARNING (self, STREAM, FAILED,
        ("Refusing pad '%s': the audio of rendition %s is being written "
            "already, and a video cannot join it; request a rendition's "
            "video pad before its audio has data.", name, rname), (NULL));
    return NULL;
  }

  if (taken || (stream == NULL && draining)) {
    g_mutex_unlock (&self->pads_lock);
    GST_ELEMENT_WARNING (self, STREAM, FAILED,
        ("Refusing pad '%s': %s.", name, taken ?
            "it exists already" : "the rendition is still ending"), (NULL));
    return NULL;
  }
  if (ended) {
    g_mutex_unlock (&self->pads_lock);
    GST_ELEMENT_WARNING (self, STREAM, FAILED,
        ("Refusing pad '%s': the rendition %s ended earlier in this run, and "
            "its segments and ended media playlist stay as they are; a "
            "rendition that comes back needs another name until the run is "
            "over.", name, rname), (NULL));
    return NULL;
  }

  if (stream == NULL)
    stream = ladder_hls_stream_new (self, rname);
  if (stream == NULL) {
    g_mutex_unlock (&self->pads_lock);
    return NULL;
  }

  target = gst_element_request_pad_simple (stream->hlssink,
      is_video ? "video" : "audio");
  if (target == NULL) {
    unblock_late (late_pad, late_block);
    g_mutex_unlock (&self->pads_lock);
    GST_ELEMENT_WARNING (self, STREAM, FAILED,
        ("Refusing pad '%s': hlssink2 gave no pad.", name), (NULL));
    return NULL;
  }

  pad = gst_ladder_hls_sink_pad_new (templ, name, rname, is_video);
  gst_ghost_pad_set_target (GST_GHOST_PAD_CAST (pad), target);
  gst_object_unref (target);

  g_mutex_lock (&self->lock);
  if (is_video)
    stream->video = pad;
  else
    stream->audio = pad;
  ladder_hls_stream_hold_audio_unlocked (stream);
  ladder_hls_stream_hold_video_unlocked (stream);
  g_mutex_unlock (&self->lock);
  /* the audio now waits for the video's caps */
  unblock_late (late_pad, late_block);

  gst_pad_set_active (GST_PAD_CAST (pad), TRUE);
  gst_element_add_pad (element, GST_PAD_CAST (pad));
  gst_element_sync_state_with_parent (stream->hlssink);

  g_mutex_unlock (&self->pads_lock);

  GST_INFO_OBJECT (self, "new pad %s", name);
  return GST_PAD_CAST (pad);
}

static void
gst_ladder_hls_sink_release_pad (GstElement * element, GstPad * pad)
{
  GstLadderHlsSink *self = GST_LADDER_HLS_SINK (element);
  GstLadderHlsSinkPad *lpad = GST_LADDER_HLS_SINK_PAD (pad);
  LadderHlsStream *stream = NULL;
  gboolean start_finalizing = FALSE;
  GList *l;

  GST_INFO_OBJECT (self, "releasing pad %s", GST_PAD_NAME (pad));

  g_mutex_lock (&self->pads_lock);
  g_mutex_lock (&self->lock);
  for (l = self->streams; l; l = l->next) {
    LadderHlsStream *cand = l->data;

    if (cand->video == lpad || cand->audio == lpad) {
      stream = cand;
      break;
    }
  }
  if (stream != NULL) {
    if (stream->audio)
      ladder_hls_stream_unhold_audio_unlocked (stream);
    ladder_hls_stream_unhold_video_unlocked (stream);
    if (stream->video == lpad)
      stream->video = NULL;
    else
      stream->audio = NULL;
    start_finalizing = !stream->finalizing;
    stream->finalizing = TRUE;
  }
  g_mutex_unlock (&self->lock);

  if (start_finalizing) {
    /* at runtime it leaves the multivariant playlist first: players move
     * away from it while its media playlist still works. Pads released
     * when stopped (e.g. when the element is disposed) leave the playlist
     * of the last run as it is. */
    if (GST_STATE (self) >= GST_STATE_PAUSED)
      gst_ladder_hls_sink_write_master (self);
    ladder_hls_stream_start_finalizing (self, stream, lpad);
  }

  gst_object_ref (pad);
  gst_pad_set_active (pad, FALSE);
  gst_element_remove_pad (element, pad);
  gst_object_unref (pad);

  g_mutex_unlock (&self->pads_lock);

  /* the other renditions may have ended already */
  gst_ladder_hls_sink_check_eos (self);
}

/* ------------------------------------------------------------------------ */
/* properties */

static gboolean
settable (GstLadderHlsSink * self, const gchar * what)
{
  if (GST_STATE (self) > GST_STATE_READY) {
    GST_ELEMENT_WARNING (self, RESOURCE, SETTINGS,
        ("The '%s' property can only be changed in NULL or READY.", what),
        (NULL));
    return FALSE;
  }
  return TRUE;
}

static void
gst_ladder_hls_sink_set_property (GObject * object, guint prop_id,
    const GValue * value, GParamSpec * pspec)
{
  GstLadderHlsSink *self = GST_LADDER_HLS_SINK (object);
  const gchar *str;

  if (!settable (self, pspec->name))
    return;

  GST_OBJECT_LOCK (self);
  switch (prop_id) {
    case PROP_LOCATION:
      g_free (self->location);
      self->location = g_value_dup_string (value);
      break;
    case PROP_MASTER_NAME:
      str = g_value_get_string (value);
      if (check_file_name (str)) {
        g_free (self->master_name);
        self->master_name = g_strdup (str);
      } else {
        g_warning ("ladderhlssink: master-name must be a file name, not '%s'",
            GST_STR_NULL (str));
      }
      break;
    case PROP_PLAYLIST_NAME:
      str = g_value_get_string (value);
      if (check_file_name (str)) {
        g_free (self->playlist_name);
        self->playlist_name = g_strdup (str);
      } else {
        g_warning ("ladderhlssink: playlist-name must be a file name, not "
            "'%s'", GST_STR_NULL (str));
      }
      break;
    case PROP_TARGET_DURATION:
      self->target_duration = g_value_get_uint (value);
      break;
    case PROP_PLAYLIST_LENGTH:
      self->playlist_length = g_value_get_uint (value);
      break;
    case PROP_MAX_FILES:
      self->max_files = g_value_get_uint (value);
      break;
    case PROP_PLAYLIST_TYPE:
      self->playlist_type = g_value_get_enum (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      break;
  }
  GST_OBJECT_UNLOCK (self);

  /* pass the change on to the existing renditions */
  g_mutex_lock (&self->pads_lock);
  configure_all_hlssinks (self);
  g_mutex_unlock (&self->pads_lock);
}

static void
gst_ladder_hls_sink_get_property (GObject * object, guint prop_id,
    GValue * value, GParamSpec * pspec)
{
  GstLadderHlsSink *self = GST_LADDER_HLS_SINK (object);

  GST_OBJECT_LOCK (self);
  switch (prop_id) {
    case PROP_LOCATION:
      g_value_set_string (value, self->location);
      break;
    case PROP_MASTER_NAME:
      g_value_set_string (value, self->master_name);
      break;
    case PROP_PLAYLIST_NAME:
      g_value_set_string (value, self->playlist_name);
      break;
    case PROP_TARGET_DURATION:
      g_value_set_uint (value, self->target_duration);
      break;
    case PROP_PLAYLIST_LENGTH:
      g_value_set_uint (value, self->playlist_length);
      break;
    case PROP_MAX_FILES:
      g_value_set_uint (value, self->max_files);
      break;
    case PROP_PLAYLIST_TYPE:
      g_value_set_enum (value, self->playlist_type);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      break;
  }
  GST_OBJECT_UNLOCK (self);
}
