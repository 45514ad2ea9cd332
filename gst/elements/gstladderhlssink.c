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
 * Rendition names are 1 to 32 characters of `[a-z0-9_-]`; any other name
 * is refused. A rendition is listed once its first segment is complete;
 * releasing a pad of a rendition ends it: its media playlist gets
 * `#EXT-X-ENDLIST`, it leaves the multivariant playlist, and its files stay.
 *
 * Every playlist is replaced atomically (a temporary file in the same folder
 * renamed over the old one), so a reader never sees a partial playlist.
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
#include <glib/gstdio.h>
#include <gst/pbutils/pbutils.h>
#include <gst/ladder/ladder.h>

#include "gstladderelements.h"
#include "gstladderhlssink.h"
#include "ladderplaylist.h"

GST_DEBUG_CATEGORY_STATIC (gst_ladder_hls_sink_debug);
#define GST_CAT_DEFAULT gst_ladder_hls_sink_debug

#define DEFAULT_LOCATION NULL
#define DEFAULT_MASTER_NAME "master.m3u8"
#define DEFAULT_PLAYLIST_NAME "index.m3u8"
#define DEFAULT_TARGET_DURATION 2
#define DEFAULT_PLAYLIST_LENGTH 5
#define DEFAULT_MAX_FILES 10

#define SEGMENT_TEMPLATE "segment%05d.ts"

enum
{
  PROP_0,
  PROP_LOCATION,
  PROP_MASTER_NAME,
  PROP_PLAYLIST_NAME,
  PROP_TARGET_DURATION,
  PROP_PLAYLIST_LENGTH,
  PROP_MAX_FILES,
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

/* One rendition: one hlssink2 and up to two of our pads.
 *
 * Created by the first pad request for its name; freed once its hlssink2 is
 * in NULL and out of the bin (no more signals or messages from it). */
typedef struct
{
  gchar *name;
  GstElement *hlssink;          /* a child of the bin; we hold a ref too */

  /* protected by the sink's lock */
  GstLadderHlsSinkPad *video;   /* NULL when not requested or released */
  GstLadderHlsSinkPad *audio;
  gboolean finalizing;          /* a pad was released: EOS, then removal */
  gboolean visible;             /* has a complete segment */
  gboolean eos;
  GstClockTime fragment_start;
  GOutputStream *fragment;      /* the segment being written */
  gchar *fragment_location;
  guint64 segments;
  guint64 total_bytes;
  GstClockTime total_duration;
  guint64 peak_bitrate;
} LadderRendition;

/* Locking order: pads_lock, then write_lock, then lock, then
 * GST_OBJECT_LOCK (of the sink or of a pad).
 *
 * Nothing is posted, notified or state-changed while lock or write_lock is
 * held. */
struct _GstLadderHlsSink
{
  GstBin parent;

  /* serializes pad requests and releases and the removal of renditions */
  GMutex pads_lock;
  /* serializes multivariant playlist writes: the last rendered is the last
   * written */
  GMutex write_lock;
  /* protects renditions and their mutable fields */
  GMutex lock;

  GList *renditions;            /* LadderRendition *, protected by lock */

  /* properties, protected by GST_OBJECT_LOCK */
  gchar *location;
  gchar *master_name;
  gchar *playlist_name;
  guint target_duration;
  guint playlist_length;
  guint max_files;
};

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
static GstPad *gst_ladder_hls_sink_request_new_pad (GstElement * element,
    GstPadTemplate * templ, const gchar * name, const GstCaps * caps);
static void gst_ladder_hls_sink_release_pad (GstElement * element,
    GstPad * pad);
static void gst_ladder_hls_sink_handle_message (GstBin * bin,
    GstMessage * message);

static void rendition_free (LadderRendition * r);
static void gst_ladder_hls_sink_write_master (GstLadderHlsSink * self);

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

static void
gst_ladder_hls_sink_init (GstLadderHlsSink * self)
{
  g_mutex_init (&self->pads_lock);
  g_mutex_init (&self->write_lock);
  g_mutex_init (&self->lock);

  self->location = g_strdup (DEFAULT_LOCATION);
  self->master_name = g_strdup (DEFAULT_MASTER_NAME);
  self->playlist_name = g_strdup (DEFAULT_PLAYLIST_NAME);
  self->target_duration = DEFAULT_TARGET_DURATION;
  self->playlist_length = DEFAULT_PLAYLIST_LENGTH;
  self->max_files = DEFAULT_MAX_FILES;

  GST_OBJECT_FLAG_SET (self, GST_ELEMENT_FLAG_SINK);
}

static void
gst_ladder_hls_sink_finalize (GObject * object)
{
  GstLadderHlsSink *self = GST_LADDER_HLS_SINK (object);

  /* GstBin::dispose removed (and stopped) the hlssink2 children */
  g_list_free_full (self->renditions, (GDestroyNotify) rendition_free);
  self->renditions = NULL;

  g_free (self->location);
  g_free (self->master_name);
  g_free (self->playlist_name);
  g_mutex_clear (&self->pads_lock);
  g_mutex_clear (&self->write_lock);
  g_mutex_clear (&self->lock);

  G_OBJECT_CLASS (parent_class)->finalize (object);
}

/* ------------------------------------------------------------------------ */
/* names and paths */

/* a file name inside the output folder or a rendition folder */
static gboolean
check_file_name (const gchar * name)
{
  return name != NULL && *name != '\0' && strchr (name, '/') == NULL
      && strcmp (name, ".") != 0 && strcmp (name, "..") != 0;
}

/* hlssink2 formats its location with printf: keep a '%' of the folder */
static gchar *
escape_percent (const gchar * str)
{
  gchar **parts = g_strsplit (str, "%", -1);
  gchar *ret = g_strjoinv ("%%", parts);

  g_strfreev (parts);
  return ret;
}

/* Passes the folder and the segment settings on to the hlssink2 of @r.
 * Call without GST_OBJECT_LOCK: setting a child property notifies up the
 * hierarchy, which takes the parents' object locks. */
static void
configure_hlssink (GstLadderHlsSink * self, LadderRendition * r)
{
  gchar *dir, *escaped, *segments, *playlist;
  guint target_duration, playlist_length, max_files;

  GST_OBJECT_LOCK (self);
  if (self->location == NULL) {
    GST_OBJECT_UNLOCK (self);
    return;
  }
  dir = g_build_filename (self->location, r->name, NULL);
  playlist = g_build_filename (dir, self->playlist_name, NULL);
  target_duration = self->target_duration;
  playlist_length = self->playlist_length;
  max_files = self->max_files;
  GST_OBJECT_UNLOCK (self);

  escaped = escape_percent (dir);
  segments = g_build_filename (escaped, SEGMENT_TEMPLATE, NULL);

  g_object_set (r->hlssink, "location", segments, "playlist-location",
      playlist, "target-duration", target_duration, "playlist-length",
      playlist_length, "max-files", max_files, NULL);

  g_free (dir);
  g_free (escaped);
  g_free (segments);
  g_free (playlist);
}

/* call with pads_lock */
static void
configure_all_hlssinks (GstLadderHlsSink * self)
{
  GList *l, *renditions;

  g_mutex_lock (&self->lock);
  renditions = g_list_copy (self->renditions);
  g_mutex_unlock (&self->lock);

  /* renditions are only freed with pads_lock held */
  for (l = renditions; l; l = l->next)
    configure_hlssink (self, l->data);
  g_list_free (renditions);
}

static gboolean
make_parent_folder (const gchar * path, GError ** error)
{
  gchar *dir = g_path_get_dirname (path);
  gboolean ret = TRUE;

  if (g_mkdir_with_parents (dir, 0755) < 0) {
    gint errsv = errno;

    g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (errsv),
        "could not create folder '%s': %s", dir, g_strerror (errsv));
    ret = FALSE;
  }
  g_free (dir);
  return ret;
}

/* ------------------------------------------------------------------------ */
/* renditions */

static void
rendition_free (LadderRendition * r)
{
  g_free (r->name);
  gst_clear_object (&r->hlssink);
  g_clear_object (&r->fragment);
  g_free (r->fragment_location);
  g_free (r);
}

/* call with lock */
static void
rendition_reset_stats_unlocked (LadderRendition * r)
{
  r->visible = FALSE;
  r->eos = FALSE;
  r->fragment_start = GST_CLOCK_TIME_NONE;
  g_clear_object (&r->fragment);
  g_clear_pointer (&r->fragment_location, g_free);
  r->segments = 0;
  r->total_bytes = 0;
  r->total_duration = 0;
  r->peak_bitrate = 0;
}

/* call with lock */
static LadderRendition *
find_rendition_unlocked (GstLadderHlsSink * self, const gchar * name,
    gboolean finalizing)
{
  GList *l;

  for (l = self->renditions; l; l = l->next) {
    LadderRendition *r = l->data;

    if (r->finalizing == finalizing && strcmp (r->name, name) == 0)
      return r;
  }
  return NULL;
}

/* call with lock: the rendition whose hlssink2 is @obj or contains it */
static LadderRendition *
find_rendition_by_child_unlocked (GstLadderHlsSink * self, GstObject * obj)
{
  GList *l;

  for (l = self->renditions; l; l = l->next) {
    LadderRendition *r = l->data;

    if (obj == GST_OBJECT_CAST (r->hlssink)
        || gst_object_has_as_ancestor (obj, GST_OBJECT_CAST (r->hlssink)))
      return r;
  }
  return NULL;
}

static GOutputStream *
on_get_fragment_stream (GstElement * hlssink, const gchar * location,
    LadderRendition * r)
{
  GstLadderHlsSink *self =
      GST_LADDER_HLS_SINK (GST_OBJECT_PARENT (GST_OBJECT_CAST (hlssink)));
  GFile *file;
  GOutputStream *stream = NULL;
  GError *err = NULL;

  /* a stale file from an earlier run would make g_file_replace() write to a
   * temporary name until close: start from nothing so the bytes land under
   * the segment's name before hlssink2 lists it */
  if (make_parent_folder (location, &err)) {
    g_unlink (location);
    file = g_file_new_for_path (location);
    stream = G_OUTPUT_STREAM (g_file_replace (file, NULL, FALSE,
            G_FILE_CREATE_NONE, NULL, &err));
    g_object_unref (file);
  }

  if (stream == NULL) {
    GST_ELEMENT_ERROR (self, RESOURCE, OPEN_WRITE,
        ("Could not write the segment '%s' of rendition '%s'.", location,
            r->name), ("%s", err->message));
    g_clear_error (&err);
    return NULL;
  }

  g_mutex_lock (&self->lock);
  g_clear_object (&r->fragment);
  r->fragment = g_object_ref (stream);
  g_free (r->fragment_location);
  r->fragment_location = g_strdup (location);
  g_mutex_unlock (&self->lock);

  return stream;
}

static GOutputStream *
on_get_playlist_stream (GstElement * hlssink, const gchar * location,
    LadderRendition * r)
{
  GstLadderHlsSink *self =
      GST_LADDER_HLS_SINK (GST_OBJECT_PARENT (GST_OBJECT_CAST (hlssink)));
  GError *err = NULL;

  if (!make_parent_folder (location, &err)) {
    GST_ELEMENT_ERROR (self, RESOURCE, OPEN_WRITE,
        ("Could not write the playlist of rendition '%s'.", r->name),
        ("%s", err->message));
    g_clear_error (&err);
    return NULL;
  }

  /* hlssink2 1.22 opens the playlist with g_file_replace(), which writes
   * the first version in place: give it a stream that always goes through
   * a temporary file and a rename */
  return ladder_atomic_output_stream_new (location);
}

/* call with pads_lock */
static LadderRendition *
rendition_new (GstLadderHlsSink * self, const gchar * name)
{
  LadderRendition *r;
  GstElement *hlssink;

  hlssink = gst_element_factory_make ("hlssink2", NULL);
  if (hlssink == NULL) {
    gst_element_post_message (GST_ELEMENT_CAST (self),
        gst_missing_element_message_new (GST_ELEMENT_CAST (self), "hlssink2"));
    GST_ELEMENT_ERROR (self, CORE, MISSING_PLUGIN,
        ("The hlssink2 element is missing (gst-plugins-bad)."), (NULL));
    return NULL;
  }

  r = g_new0 (LadderRendition, 1);
  r->name = g_strdup (name);
  r->hlssink = gst_object_ref (hlssink);
  r->fragment_start = GST_CLOCK_TIME_NONE;

  /* the input keyframes decide the boundaries: with equal keyframe
   * timestamps every rendition is cut at the same points */
  g_object_set (hlssink, "send-keyframe-requests", FALSE, NULL);
  configure_hlssink (self, r);

  g_signal_connect (hlssink, "get-fragment-stream",
      G_CALLBACK (on_get_fragment_stream), r);
  g_signal_connect (hlssink, "get-playlist-stream",
      G_CALLBACK (on_get_playlist_stream), r);

  g_mutex_lock (&self->lock);
  self->renditions = g_list_append (self->renditions, r);
  g_mutex_unlock (&self->lock);

  gst_bin_add (GST_BIN_CAST (self), hlssink);
  return r;
}

/* call with pads_lock: stop @r's hlssink2, take it out of the bin and free
 * @r. Its files stay. */
static void
rendition_remove (GstLadderHlsSink * self, LadderRendition * r)
{
  GST_INFO_OBJECT (self, "removing rendition %s", r->name);

  g_mutex_lock (&self->lock);
  self->renditions = g_list_remove (self->renditions, r);
  g_mutex_unlock (&self->lock);

  gst_element_set_locked_state (r->hlssink, TRUE);
  gst_element_set_state (r->hlssink, GST_STATE_NULL);
  gst_bin_remove (GST_BIN_CAST (self), r->hlssink);
  rendition_free (r);
}

static void
finish_rendition (GstElement * element, gpointer user_data)
{
  GstLadderHlsSink *self = GST_LADDER_HLS_SINK (element);
  LadderRendition *r = user_data;
  gboolean found;

  g_mutex_lock (&self->pads_lock);
  g_mutex_lock (&self->lock);
  /* it may be gone already: a state change down to READY removes pending
   * renditions */
  found = g_list_find (self->renditions, r) != NULL;
  g_mutex_unlock (&self->lock);
  if (found)
    rendition_remove (self, r);
  g_mutex_unlock (&self->pads_lock);
}

static GstPadProbeReturn
drop_probe (GstPad * pad, GstPadProbeInfo * info, gpointer user_data)
{
  return GST_PAD_PROBE_DROP;
}

/* TRUE if data reached the hlssink2 of @r (some pad has caps) */
static gboolean
rendition_has_data (LadderRendition * r)
{
  GstIterator *it = gst_element_iterate_sink_pads (r->hlssink);
  GValue item = G_VALUE_INIT;
  gboolean has_data = FALSE;

  while (gst_iterator_next (it, &item) == GST_ITERATOR_OK) {
    GstPad *pad = g_value_get_object (&item);

    if (gst_pad_has_current_caps (pad))
      has_data = TRUE;
    g_value_reset (&item);
  }
  g_value_unset (&item);
  gst_iterator_free (it);
  return has_data;
}

/* call with pads_lock, after marking @r finalizing. The remaining pads of
 * @r drop their data from now on; the hlssink2 gets EOS so that it closes
 * its last segment and ends its playlist, then finish_rendition() removes
 * it (see handle_message). Without data flowing there is nothing to drain:
 * it is stopped (ending its playlist) and removed at once. */
static void
rendition_start_finalizing (GstLadderHlsSink * self, LadderRendition * r,
    GstLadderHlsSinkPad * released)
{
  GstLadderHlsSinkPad *pads[2];
  GstIterator *it;
  GValue item = G_VALUE_INIT;
  guint i;

  g_mutex_lock (&self->lock);
  pads[0] = r->video ? gst_object_ref (r->video) : NULL;
  pads[1] = r->audio ? gst_object_ref (r->audio) : NULL;
  g_mutex_unlock (&self->lock);

  gst_pad_add_probe (GST_PAD_CAST (released),
      GST_PAD_PROBE_TYPE_DATA_DOWNSTREAM, drop_probe, NULL, NULL);
  for (i = 0; i < 2; i++) {
    if (pads[i] == NULL)
      continue;
    GST_INFO_OBJECT (pads[i], "rendition %s ends: dropping data", r->name);
    gst_pad_add_probe (GST_PAD_CAST (pads[i]),
        GST_PAD_PROBE_TYPE_DATA_DOWNSTREAM, drop_probe, NULL, NULL);
    gst_object_unref (pads[i]);
  }

  if (GST_STATE (self) != GST_STATE_PLAYING || !rendition_has_data (r)) {
    rendition_remove (self, r);
    return;
  }

  GST_INFO_OBJECT (self, "draining rendition %s", r->name);
  it = gst_element_iterate_sink_pads (r->hlssink);
  while (gst_iterator_next (it, &item) == GST_ITERATOR_OK) {
    GstPad *pad = g_value_get_object (&item);

    gst_pad_send_event (pad, gst_event_new_eos ());
    g_value_reset (&item);
  }
  g_value_unset (&item);
  gst_iterator_free (it);
}

/* ------------------------------------------------------------------------ */
/* the multivariant playlist */

/* call with lock */
static LadderVariant *
rendition_to_variant_unlocked (GstLadderHlsSink * self, LadderRendition * r,
    const gchar * playlist_name)
{
  gchar *uri = g_strdup_printf ("%s/%s", r->name, playlist_name);
  LadderVariant *v = ladder_variant_new (uri);
  GstCaps *vcaps = NULL, *acaps = NULL;
  gchar *vcodec = NULL, *acodec = NULL;
  guint64 configured = 0;
  gboolean codecs_known = TRUE;

  g_free (uri);

  if (r->video) {
    vcaps = gst_pad_get_current_caps (GST_PAD_CAST (r->video));
    configured += gst_ladder_hls_sink_pad_get_configured_bitrate (r->video, vcaps);
    if (vcaps) {
      GstStructure *s = gst_caps_get_structure (vcaps, 0);

      gst_structure_get_int (s, "width", &v->width);
      gst_structure_get_int (s, "height", &v->height);
      if (!gst_structure_get_fraction (s, "framerate", &v->fps_n, &v->fps_d))
        v->fps_n = v->fps_d = 0;
      vcodec = gst_ladder_hls_sink_pad_get_codec (r->video, vcaps);
    }
    codecs_known &= vcodec != NULL;
  }
  if (r->audio) {
    acaps = gst_pad_get_current_caps (GST_PAD_CAST (r->audio));
    configured += gst_ladder_hls_sink_pad_get_configured_bitrate (r->audio, acaps);
    if (acaps)
      acodec = gst_ladder_hls_sink_pad_get_codec (r->audio, acaps);
    codecs_known &= acodec != NULL;
  }

  if (codecs_known && (vcodec || acodec)) {
    if (vcodec && acodec)
      v->codecs = g_strdup_printf ("%s,%s", vcodec, acodec);
    else
      v->codecs = g_strdup (vcodec ? vcodec : acodec);
  }

  v->bandwidth = r->peak_bitrate > 0 ? r->peak_bitrate : configured;
  if (r->total_duration > 0)
    v->average_bandwidth = gst_util_uint64_scale (r->total_bytes * 8,
        GST_SECOND, r->total_duration);

  g_free (vcodec);
  g_free (acodec);
  gst_clear_caps (&vcaps);
  gst_clear_caps (&acaps);
  return v;
}

/* Renders and writes <location>/<master-name>; posts a warning when the
 * write fails. Call with no lock but pads_lock (optional). */
static void
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
  for (l = self->renditions; l; l = l->next) {
    LadderRendition *r = l->data;

    if (r->visible && !r->finalizing)
      g_ptr_array_add (variants,
          rendition_to_variant_unlocked (self, r, playlist_name));
  }
  g_mutex_unlock (&self->lock);

  text = ladder_playlist_render_multivariant (variants);
  path = g_build_filename (location, master_name, NULL);
  GST_DEBUG_OBJECT (self, "writing %s:\n%s", path, text);
  if (!make_parent_folder (path, &err)
      || !ladder_playlist_write_atomic (path, text, -1, &err)) {
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

/* ------------------------------------------------------------------------ */
/* messages */

/* a segment of @r is complete: measure it */
static void
fragment_closed (GstLadderHlsSink * self, LadderRendition * r,
    GstClockTime running_time)
{
  guint64 bytes = 0;
  GstClockTime duration = 0;

  if (r->fragment != NULL && G_IS_SEEKABLE (r->fragment))
    bytes = g_seekable_tell (G_SEEKABLE (r->fragment));
  if (bytes == 0 && r->fragment_location != NULL) {
    GStatBuf st;

    if (g_stat (r->fragment_location, &st) == 0)
      bytes = st.st_size;
  }
  if (GST_CLOCK_TIME_IS_VALID (running_time)
      && GST_CLOCK_TIME_IS_VALID (r->fragment_start)
      && running_time > r->fragment_start)
    duration = running_time - r->fragment_start;

  r->segments++;
  r->visible = TRUE;
  if (duration > 0 && bytes > 0) {
    guint64 bitrate = gst_util_uint64_scale (bytes * 8, GST_SECOND, duration);

    r->total_bytes += bytes;
    r->total_duration += duration;
    r->peak_bitrate = MAX (r->peak_bitrate, bitrate);
  }
  GST_DEBUG_OBJECT (self, "rendition %s: segment %" G_GUINT64_FORMAT
      " of %" G_GUINT64_FORMAT " bytes, %" GST_TIME_FORMAT, r->name,
      r->segments, bytes, GST_TIME_ARGS (duration));
}

static void
gst_ladder_hls_sink_handle_message (GstBin * bin, GstMessage * message)
{
  GstLadderHlsSink *self = GST_LADDER_HLS_SINK (bin);
  LadderRendition *r;

  switch (GST_MESSAGE_TYPE (message)) {
    case GST_MESSAGE_ELEMENT:{
      const GstStructure *s = gst_message_get_structure (message);
      gboolean opened, write = FALSE;
      GstClockTime running_time = GST_CLOCK_TIME_NONE;

      opened = gst_structure_has_name (s, "splitmuxsink-fragment-opened");
      if (!opened && !gst_structure_has_name (s,
              "splitmuxsink-fragment-closed"))
        break;
      gst_structure_get_clock_time (s, "running-time", &running_time);

      g_mutex_lock (&self->lock);
      r = find_rendition_by_child_unlocked (self, GST_MESSAGE_SRC (message));
      if (r != NULL && opened) {
        r->fragment_start = running_time;
      } else if (r != NULL) {
        fragment_closed (self, r, running_time);
        write = !r->finalizing;
      }
      g_mutex_unlock (&self->lock);

      /* hlssink2 wrote its media playlist before this reached us: the
       * rendition can be listed */
      if (write)
        gst_ladder_hls_sink_write_master (self);
      break;
    }
    case GST_MESSAGE_EOS:{
      gboolean finalizing = FALSE, others_eos = FALSE;

      g_mutex_lock (&self->lock);
      r = find_rendition_by_child_unlocked (self, GST_MESSAGE_SRC (message));
      if (r != NULL) {
        GList *l;

        r->eos = TRUE;
        finalizing = r->finalizing;
        for (l = self->renditions; l; l = l->next) {
          LadderRendition *other = l->data;

          if (other == r || other->finalizing)
            continue;
          others_eos = other->eos;
          if (!others_eos)
            break;
        }
      }
      g_mutex_unlock (&self->lock);

      if (r != NULL && finalizing) {
        /* a released rendition is drained: remove it. Its EOS is not the
         * bin's, unless the other renditions ended already: then GstBin
         * waited for this one and must see it to post the bin's EOS. */
        GST_INFO_OBJECT (self, "rendition %s drained", r->name);
        gst_element_call_async (GST_ELEMENT_CAST (self), finish_rendition, r,
            NULL);
        if (!others_eos) {
          gst_message_unref (message);
          return;
        }
      }
      if (r != NULL)
        gst_ladder_hls_sink_write_master (self);
      break;
    }
    default:
      break;
  }

  GST_BIN_CLASS (parent_class)->handle_message (bin, message);
}

/* ------------------------------------------------------------------------ */
/* state changes */

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
      g_mutex_lock (&self->lock);
      for (l = self->renditions; l; l = l->next)
        rendition_reset_stats_unlocked (l->data);
      g_mutex_unlock (&self->lock);
      break;
    default:
      break;
  }

  ret = GST_ELEMENT_CLASS (parent_class)->change_state (element, transition);
  if (ret == GST_STATE_CHANGE_FAILURE)
    return ret;

  switch (transition) {
    case GST_STATE_CHANGE_PAUSED_TO_READY:{
      GList *pending = NULL;

      /* renditions still draining will not get there any more */
      g_mutex_lock (&self->pads_lock);
      g_mutex_lock (&self->lock);
      for (l = self->renditions; l; l = l->next) {
        LadderRendition *r = l->data;

        if (r->finalizing)
          pending = g_list_prepend (pending, r);
      }
      g_mutex_unlock (&self->lock);
      for (l = pending; l; l = l->next)
        rendition_remove (self, l->data);
      g_list_free (pending);
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

static GstPad *
gst_ladder_hls_sink_request_new_pad (GstElement * element,
    GstPadTemplate * templ, const gchar * name, const GstCaps * caps)
{
  GstLadderHlsSink *self = GST_LADDER_HLS_SINK (element);
  GstLadderHlsSinkPad *pad;
  LadderRendition *r;
  GstPad *target;
  const gchar *prefix, *rname;
  gboolean is_video, taken, draining;
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

  g_mutex_lock (&self->pads_lock);

  g_mutex_lock (&self->lock);
  r = find_rendition_unlocked (self, rname, FALSE);
  taken = r != NULL && (is_video ? r->video != NULL : r->audio != NULL);
  draining = find_rendition_unlocked (self, rname, TRUE) != NULL;
  g_mutex_unlock (&self->lock);

  if (taken || (r == NULL && draining)) {
    g_mutex_unlock (&self->pads_lock);
    GST_ELEMENT_WARNING (self, STREAM, FAILED,
        ("Refusing pad '%s': %s.", name, taken ?
            "it exists already" : "the rendition is still ending"), (NULL));
    return NULL;
  }

  if (r == NULL) {
    if ((r = rendition_new (self, rname)) == NULL) {
      g_mutex_unlock (&self->pads_lock);
      return NULL;
    }
    /* added while running: its hlssink2 prerolls on its own instead of
     * taking the whole pipeline back to PAUSED until it has data (which
     * would stall every other rendition meanwhile) */
    if (GST_STATE (self) > GST_STATE_READY)
      g_object_set (r->hlssink, "async-handling", TRUE, NULL);
  }

  target = gst_element_request_pad_simple (r->hlssink,
      is_video ? "video" : "audio");
  if (target == NULL) {
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
    r->video = pad;
  else
    r->audio = pad;
  g_mutex_unlock (&self->lock);

  gst_pad_set_active (GST_PAD_CAST (pad), TRUE);
  gst_element_add_pad (element, GST_PAD_CAST (pad));
  gst_element_sync_state_with_parent (r->hlssink);

  g_mutex_unlock (&self->pads_lock);

  GST_INFO_OBJECT (self, "new pad %s", name);
  return GST_PAD_CAST (pad);
}

static void
gst_ladder_hls_sink_release_pad (GstElement * element, GstPad * pad)
{
  GstLadderHlsSink *self = GST_LADDER_HLS_SINK (element);
  GstLadderHlsSinkPad *lpad = GST_LADDER_HLS_SINK_PAD (pad);
  LadderRendition *r = NULL;
  gboolean start_finalizing = FALSE;
  GList *l;

  GST_INFO_OBJECT (self, "releasing pad %s", GST_PAD_NAME (pad));

  g_mutex_lock (&self->pads_lock);
  g_mutex_lock (&self->lock);
  for (l = self->renditions; l; l = l->next) {
    LadderRendition *cand = l->data;

    if (cand->video == lpad || cand->audio == lpad) {
      r = cand;
      break;
    }
  }
  if (r != NULL) {
    if (r->video == lpad)
      r->video = NULL;
    else
      r->audio = NULL;
    start_finalizing = !r->finalizing;
    r->finalizing = TRUE;
  }
  g_mutex_unlock (&self->lock);

  if (start_finalizing) {
    /* at runtime it leaves the multivariant playlist first: players move
     * away from it while its media playlist still works. Pads released
     * when stopped (e.g. when the element is disposed) leave the playlist
     * of the last run as it is. */
    if (GST_STATE (self) >= GST_STATE_PAUSED)
      gst_ladder_hls_sink_write_master (self);
    rendition_start_finalizing (self, r, lpad);
  }

  gst_object_ref (pad);
  gst_pad_set_active (pad, FALSE);
  gst_element_remove_pad (element, pad);
  gst_object_unref (pad);

  g_mutex_unlock (&self->pads_lock);
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
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      break;
  }
  GST_OBJECT_UNLOCK (self);
}

