/* gst-ladder
 * Copyright (C) 2026 The gst-ladder authors
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2 of the License, or (at your option) any later version.
 *
 * This library is distributed in the hope that it will be useful,
 * but WITHOUT ANY WARRANTY; without even the implied warranty of
 * MERCHANTABILITY or FITNESS FOR A PARTICULAR PURPOSE.  See the GNU
 * Library General Public License for more details.
 */

/**
 * SECTION:element-ladder
 * @title: ladder
 * @short_description: a whole ABR ladder in one element
 *
 * ladder turns one source into an adaptive-bitrate ladder. Request its
 * `video` and `audio` sink pads (encoded or raw); each feeds an internal
 * `ladderbroadcaster` (broadcast #GstLadderBin:broadcast, track `video` or
 * `audio`) on which a #GstLadderRunner runs the ladder given by
 * #GstLadderBin:renditions: `ladderx264` makes each video rendition,
 * `ladderpassthrough` carries the video of the `source` rendition and the
 * audio into every rendition. Encoded video is decoded once for all
 * renditions.
 *
 * Each output appears as a sometimes src pad named `<track>_<rendition>`
 * (`video_720p`, `audio_720p`, ...) as soon as the rendition is in the
 * ladder and the input pad of its track exists, and goes away with the
 * rendition. It ends in the parser of its format, so it links straight to
 * any muxer (mp4mux, flvmux, mpegtsmux, splitmuxsink, ...) in the
 * stream-format the muxer asks for; a downstream that accepts none of its
 * caps gets an ERROR naming the rendition. With #GstLadderBin:hls-location set, the outputs are
 * written as an HLS ladder by an internal `ladderhlssink` instead, and the
 * element has no src pads: it is a sink.
 *
 * Renditions can be added and removed while playing with the
 * #GstLadderBin::add-rendition and #GstLadderBin::remove-rendition action
 * signals. A rung that fails posts a `ladder-panic` element message and is
 * restarted (#GstLadderBin:restart-delay, #GstLadderBin:max-restart-delay);
 * nothing else in the pipeline notices. `ladder-stats` is posted every
 * #GstLadderBin:stats-interval. See docs/ladder.md.
 *
 * ## Example launch lines
 * |[
 * gst-launch-1.0 -e videotestsrc num-buffers=300 ! x264enc ! ladder name=l renditions=720p,240p l.video_720p ! fakesink l.video_240p ! fakesink
 * ]|
 * |[
 * gst-launch-1.0 -e ladder name=l renditions=source,480p hls-location=/tmp/ladder videotestsrc num-buffers=300 ! video/x-raw,width=1280,height=720 ! x264enc key-int-max=60 ! l.video audiotestsrc num-buffers=430 ! avenc_aac ! l.audio
 * ]|
 *
 * Since: 0.1
 */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <gst/ladder/ladder.h>

#include "gstladderbin-private.h"
#include "gstladderoutput.h"
#include "gstladderelements.h"
#include "laddermediaplaylist.h"

GST_DEBUG_CATEGORY (gst_ladder_bin_debug);
#define GST_CAT_DEFAULT gst_ladder_bin_debug

#define DEFAULT_BROADCAST "live"
#define DEFAULT_RENDITIONS GST_LADDER_DEFAULT_LADDER
#define DEFAULT_STATS_INTERVAL GST_LADDER_RUNNER_DEFAULT_STATS_INTERVAL
#define DEFAULT_RESTART_DELAY GST_LADDER_RUNNER_DEFAULT_RESTART_DELAY
#define DEFAULT_MAX_RESTART_DELAY GST_LADDER_RUNNER_DEFAULT_MAX_RESTART_DELAY
#define DEFAULT_HLS_LOCATION NULL
#define DEFAULT_HLS_MASTER_NAME "master.m3u8"
#define DEFAULT_HLS_TARGET_DURATION 2
#define DEFAULT_HLS_PLAYLIST_LENGTH 6
#define DEFAULT_HLS_PLAYLIST_TYPE LADDER_PLAYLIST_TYPE_LIVE
#define DEFAULT_HLS_MAX_FILES 10
#define DEFAULT_CHROMA_SITING GST_LADDER_SCALE_CHROMA_SITING_CENTRE

enum
{
  PROP_0,
  PROP_BROADCAST,
  PROP_RENDITIONS,
  PROP_STATS_INTERVAL,
  PROP_RESTART_DELAY,
  PROP_MAX_RESTART_DELAY,
  PROP_RUNNER,
  PROP_HLS_LOCATION,
  PROP_HLS_MASTER_NAME,
  PROP_HLS_TARGET_DURATION,
  PROP_HLS_PLAYLIST_LENGTH,
  PROP_HLS_MAX_FILES,
  PROP_HLS_PLAYLIST_TYPE,
  PROP_CHROMA_SITING,
  PROP_CASCADE,
  PROP_LAST
};

enum
{
  SIGNAL_ADD_RENDITION,
  SIGNAL_REMOVE_RENDITION,
  SIGNAL_LAST
};

static GParamSpec *properties[PROP_LAST];
static guint signals[SIGNAL_LAST];

static GstStaticPadTemplate video_sink_template =
GST_STATIC_PAD_TEMPLATE ("video", GST_PAD_SINK, GST_PAD_REQUEST,
    GST_STATIC_CAPS_ANY);
/* audio media types only, so that an unnamed link of a video stream picks
 * the video pad */
#define AUDIO_CAPS "audio/x-raw(ANY); audio/mpeg; audio/x-ac3; audio/x-eac3; " \
  "audio/x-opus; audio/x-vorbis; audio/x-flac; audio/x-alac; audio/x-speex; " \
  "audio/x-alaw; audio/x-mulaw; audio/x-adpcm; audio/x-wma; audio/x-dts"

static GstStaticPadTemplate audio_sink_template =
GST_STATIC_PAD_TEMPLATE ("audio", GST_PAD_SINK, GST_PAD_REQUEST,
    GST_STATIC_CAPS (AUDIO_CAPS));
static GstStaticPadTemplate video_src_template =
GST_STATIC_PAD_TEMPLATE ("video_%s", GST_PAD_SRC, GST_PAD_SOMETIMES,
    GST_STATIC_CAPS_ANY);
static GstStaticPadTemplate audio_src_template =
GST_STATIC_PAD_TEMPLATE ("audio_%s", GST_PAD_SRC, GST_PAD_SOMETIMES,
    GST_STATIC_CAPS_ANY);

/* The instance and its locking are in gstladderbin-private.h; the HLS
 * output is in gstladderbinhls.c. */

static gboolean check_hls_settings_unlocked (GstLadderBin * self,
    GError ** error);
static void expose_outputs (GstLadderBin * self);
static void update_outputs (GstLadderBin * self);
static GstPadProbeReturn input_eos_probe (GstPad * pad,
    GstPadProbeInfo * info, gpointer user_data);
#define gst_ladder_bin_parent_class parent_class
G_DEFINE_TYPE_WITH_CODE (GstLadderBin, gst_ladder_bin, GST_TYPE_BIN,
    GST_DEBUG_CATEGORY_INIT (gst_ladder_bin_debug, "ladder", 0,
        "gst-ladder all-in-one element"));
GST_ELEMENT_REGISTER_DEFINE (ladder, "ladder", GST_RANK_NONE,
    GST_TYPE_LADDER_BIN);

static void gst_ladder_bin_dispose (GObject * object);
static void gst_ladder_bin_finalize (GObject * object);
static void gst_ladder_bin_set_property (GObject * object, guint prop_id,
    const GValue * value, GParamSpec * pspec);
static void gst_ladder_bin_get_property (GObject * object, guint prop_id,
    GValue * value, GParamSpec * pspec);
static GstStateChangeReturn gst_ladder_bin_change_state (GstElement * element,
    GstStateChange transition);
static GstPad *gst_ladder_bin_request_new_pad (GstElement * element,
    GstPadTemplate * templ, const gchar * name, const GstCaps * caps);
static void gst_ladder_bin_release_pad (GstElement * element, GstPad * pad);
static gboolean gst_ladder_bin_add_rendition (GstLadderBin * self,
    const gchar * description);
static gboolean gst_ladder_bin_remove_rendition (GstLadderBin * self,
    const gchar * name);
static void output_added (GstLadderRunner * runner, GstElement * output,
    const gchar * rendition, const gchar * track, GstLadderBin * self);
static void output_removed (GstLadderRunner * runner, GstElement * output,
    const gchar * rendition, const gchar * track, GstLadderBin * self);

/* An x264 rung, or a resize step of the scaling cascade, joins the bin
 * before it starts: give it the chroma siting, which it reads at start
 * (the same for both, or the x264 rung scales again) */
static void
gst_ladder_bin_deep_element_added (GstBin * bin, GstBin * sub_bin,
    GstElement * child)
{
  GstLadderBin *self = GST_LADDER_BIN (bin);
  GstLadderScaleChromaSiting siting;

  if (GST_IS_LADDER_X264 (child) || GST_IS_LADDER_RESIZE (child)) {
    GST_OBJECT_LOCK (self);
    siting = self->chroma_siting;
    GST_OBJECT_UNLOCK (self);
    g_object_set (child, "chroma-siting", siting, NULL);
  }
  GST_BIN_CLASS (gst_ladder_bin_parent_class)->deep_element_added (bin,
      sub_bin, child);
}

/* A rung that will not be restarted takes its HLS variant with it */
static void
gst_ladder_bin_handle_message (GstBin * bin, GstMessage * message)
{
  if (gst_ladder_message_get_type (message) == GST_LADDER_MESSAGE_PANIC)
    gst_ladder_bin_hls_rung_panic (GST_LADDER_BIN (bin), message);
  GST_BIN_CLASS (gst_ladder_bin_parent_class)->handle_message (bin, message);
}

static void
gst_ladder_bin_class_init (GstLadderBinClass * klass)
{
  GObjectClass *gobject_class = G_OBJECT_CLASS (klass);
  GstElementClass *element_class = GST_ELEMENT_CLASS (klass);
  GstBinClass *bin_class = GST_BIN_CLASS (klass);

  gobject_class->dispose = gst_ladder_bin_dispose;
  gobject_class->finalize = gst_ladder_bin_finalize;
  gobject_class->set_property = gst_ladder_bin_set_property;
  gobject_class->get_property = gst_ladder_bin_get_property;
  bin_class->deep_element_added = gst_ladder_bin_deep_element_added;
  bin_class->handle_message = gst_ladder_bin_handle_message;

  properties[PROP_BROADCAST] = g_param_spec_string ("broadcast", "Broadcast",
      "Broadcast name of the input (the outputs are <broadcast>/<rendition>)",
      DEFAULT_BROADCAST, G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS |
      GST_PARAM_MUTABLE_READY);
  properties[PROP_RENDITIONS] = g_param_spec_string ("renditions",
      "Renditions", "The ladder, as a ladder string: presets or rendition "
      "strings separated by commas (\"source\" is the input unchanged); "
      "a bad value is refused and the old one kept",
      DEFAULT_RENDITIONS, G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS |
      GST_PARAM_MUTABLE_PLAYING);
  properties[PROP_STATS_INTERVAL] = g_param_spec_uint64 ("stats-interval",
      "Stats interval", "Time between two ladder-stats messages, in "
      "nanoseconds (0 = none)", 0, G_MAXUINT64, DEFAULT_STATS_INTERVAL,
      G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | GST_PARAM_MUTABLE_PLAYING);
  properties[PROP_RESTART_DELAY] = g_param_spec_uint64 ("restart-delay",
      "Restart delay", "Delay before a failed rung is restarted, in "
      "nanoseconds; doubled at each quick failure in a row", 0, G_MAXUINT64,
      DEFAULT_RESTART_DELAY, G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS |
      GST_PARAM_MUTABLE_PLAYING);
  properties[PROP_MAX_RESTART_DELAY] =
      g_param_spec_uint64 ("max-restart-delay", "Maximum restart delay",
      "Longest delay before a failed rung is restarted, in nanoseconds", 0,
      G_MAXUINT64, DEFAULT_MAX_RESTART_DELAY,
      G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | GST_PARAM_MUTABLE_PLAYING);
  properties[PROP_RUNNER] = g_param_spec_object ("runner", "Runner",
      "The GstLadderRunner running the ladder, for the C API (stats, keys, "
      "restarts)", GST_TYPE_LADDER_RUNNER,
      G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_HLS_LOCATION] = g_param_spec_string ("hls-location",
      "HLS location", "When set, write every output as an HLS ladder in "
      "this folder (through ladderhlssink) instead of exposing src pads",
      DEFAULT_HLS_LOCATION, G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS |
      GST_PARAM_MUTABLE_READY);
  properties[PROP_HLS_MASTER_NAME] = g_param_spec_string ("hls-master-name",
      "HLS master name", "File name of the multivariant playlist",
      DEFAULT_HLS_MASTER_NAME, G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS |
      GST_PARAM_MUTABLE_READY);
  properties[PROP_HLS_TARGET_DURATION] =
      g_param_spec_uint ("hls-target-duration", "HLS target duration",
      "HLS segment length in seconds (match the keyframe interval)", 1,
      G_MAXUINT, DEFAULT_HLS_TARGET_DURATION,
      G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | GST_PARAM_MUTABLE_READY);
  properties[PROP_HLS_PLAYLIST_LENGTH] =
      g_param_spec_uint ("hls-playlist-length", "HLS playlist length",
      "Segments listed in each media playlist (0 = all)", 0, G_MAXUINT,
      DEFAULT_HLS_PLAYLIST_LENGTH,
      G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | GST_PARAM_MUTABLE_READY);
  properties[PROP_HLS_MAX_FILES] =
      g_param_spec_uint ("hls-max-files", "HLS max files",
      "Segment files kept on disk per rendition (0 = all)", 0, G_MAXUINT,
      DEFAULT_HLS_MAX_FILES,
      G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | GST_PARAM_MUTABLE_READY);
  properties[PROP_HLS_PLAYLIST_TYPE] =
      g_param_spec_enum ("hls-playlist-type", "HLS playlist type",
      "Media playlists: live (sliding window of hls-playlist-length), event "
      "(every segment, growing) or vod (every segment, written complete at "
      "the end); event and vod list and keep every segment",
      GST_TYPE_LADDER_HLS_PLAYLIST_TYPE, DEFAULT_HLS_PLAYLIST_TYPE,
      G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | GST_PARAM_MUTABLE_READY);
  properties[PROP_CHROMA_SITING] = g_param_spec_enum ("chroma-siting",
      "Chroma siting", "Siting of 4:2:0 chroma in the x264 renditions: "
      "centre takes the input as centred (as FFmpeg does) and signals "
      "centred outputs, auto follows and keeps the input caps' chroma-site; "
      "read when a rendition starts", GST_TYPE_LADDER_SCALE_CHROMA_SITING,
      DEFAULT_CHROMA_SITING, G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS |
      GST_PARAM_MUTABLE_PLAYING);
  properties[PROP_CASCADE] = g_param_spec_boolean ("cascade", "Cascade",
      "Scale each x264 rendition from the smallest larger one the ladder "
      "makes (240p from 480p), not from the source; read when a rendition "
      "starts", TRUE, G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS |
      GST_PARAM_MUTABLE_PLAYING);
  g_object_class_install_properties (gobject_class, PROP_LAST, properties);

  /**
   * GstLadderBin::add-rendition:
   * @ladder: the ladder
   * @description: a rendition string or preset name ("360p",
   *   "540p:960x540@1800")
   *
   * Adds a rendition to the ladder; while playing it starts at once on the
   * input. Refused (%FALSE, nothing changed) when the string is bad, the
   * name exists, or, with #GstLadderBin:hls-location, a rendition of that
   * name ended earlier in the run (its files stay as they are).
   *
   * Returns: %TRUE when the rendition was added.
   *
   * Since: 0.1
   */
  signals[SIGNAL_ADD_RENDITION] = g_signal_new_class_handler ("add-rendition",
      G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST | G_SIGNAL_ACTION,
      G_CALLBACK (gst_ladder_bin_add_rendition), NULL, NULL, NULL,
      G_TYPE_BOOLEAN, 1, G_TYPE_STRING);

  /**
   * GstLadderBin::remove-rendition:
   * @ladder: the ladder
   * @name: the rendition name
   *
   * Removes a rendition: its rungs are drained, then torn down, and its
   * src pads (or HLS renditions) go away. Returns once that is done.
   *
   * Returns: %TRUE when the rendition was removed, %FALSE when there is
   *   none of that name.
   *
   * Since: 0.1
   */
  signals[SIGNAL_REMOVE_RENDITION] =
      g_signal_new_class_handler ("remove-rendition",
      G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST | G_SIGNAL_ACTION,
      G_CALLBACK (gst_ladder_bin_remove_rendition), NULL, NULL, NULL,
      G_TYPE_BOOLEAN, 1, G_TYPE_STRING);

  gst_element_class_add_static_pad_template (element_class,
      &video_sink_template);
  gst_element_class_add_static_pad_template (element_class,
      &audio_sink_template);
  gst_element_class_add_static_pad_template (element_class,
      &video_src_template);
  gst_element_class_add_static_pad_template (element_class,
      &audio_src_template);

  element_class->change_state = GST_DEBUG_FUNCPTR (gst_ladder_bin_change_state);
  element_class->request_new_pad =
      GST_DEBUG_FUNCPTR (gst_ladder_bin_request_new_pad);
  element_class->release_pad = GST_DEBUG_FUNCPTR (gst_ladder_bin_release_pad);

  gst_element_class_set_static_metadata (element_class, "Ladder",
      "Generic/Bin/Encoder", "Turns one input into a live adaptive-bitrate "
      "ladder: one output per rendition and track, or an HLS ladder",
      "The gst-ladder authors");
}

static void
output_link_free (gpointer data)
{
  OutputLink *link = data;

  gst_clear_object (&link->output);
  g_free (link->name);
  g_free (link->track);
  g_free (link->rendition);
  gst_clear_object (&link->output_pad);
  gst_clear_object (&link->ghost);
  gst_clear_object (&link->hls_pad);
  gst_clear_object (&link->end);
  g_free (link);
}

static void
gst_ladder_bin_init (GstLadderBin * self)
{

  self->broadcast = g_strdup (DEFAULT_BROADCAST);
  self->ladder = gst_ladder_parse_ladder (DEFAULT_RENDITIONS, NULL);
  if (self->ladder == NULL)
    self->ladder = g_ptr_array_new_with_free_func ((GDestroyNotify)
        gst_ladder_rendition_free);
  self->hls_location = g_strdup (DEFAULT_HLS_LOCATION);
  self->hls_master_name = g_strdup (DEFAULT_HLS_MASTER_NAME);
  self->hls_target_duration = DEFAULT_HLS_TARGET_DURATION;
  self->hls_playlist_length = DEFAULT_HLS_PLAYLIST_LENGTH;
  self->hls_max_files = DEFAULT_HLS_MAX_FILES;
  self->hls_playlist_type = DEFAULT_HLS_PLAYLIST_TYPE;
  self->chroma_siting = DEFAULT_CHROMA_SITING;
  g_rec_mutex_init (&self->outputs_lock);
  g_mutex_init (&self->hls_request_lock);
  self->outputs = g_hash_table_new_full (NULL, NULL, NULL, output_link_free);
  self->pending = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
      output_link_free);
  self->hls_pads = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
      gst_object_unref);

  self->runner = gst_ladder_runner_new ();
  g_signal_connect (self->runner, "output-added", G_CALLBACK (output_added),
      self);
  g_signal_connect (self->runner, "output-removed",
      G_CALLBACK (output_removed), self);
  /* installed from NULL to READY and uninstalled back in NULL: an
   * installed runner holds the bin, which holds the runner, and a bin that
   * is never disposed while installed would never be freed */
}

static void
gst_ladder_bin_dispose (GObject * object)
{
  GstLadderBin *self = GST_LADDER_BIN (object);

  if (self->runner) {
    g_signal_handlers_disconnect_by_data (self->runner, self);
    gst_ladder_runner_uninstall (self->runner, NULL);
    gst_clear_object (&self->runner);
  }
  g_rec_mutex_lock (&self->outputs_lock);
  g_hash_table_remove_all (self->outputs);
  g_hash_table_remove_all (self->pending);
  g_rec_mutex_unlock (&self->outputs_lock);

  /* GstBin's dispose takes the input broadcasters away before
   * GstElement's releases the sink pads: release_pad() must not reach
   * them */
  GST_OBJECT_LOCK (self);
  self->inputs[0] = self->inputs[1] = NULL;
  GST_OBJECT_UNLOCK (self);

  G_OBJECT_CLASS (parent_class)->dispose (object);
}

static void
gst_ladder_bin_finalize (GObject * object)
{
  GstLadderBin *self = GST_LADDER_BIN (object);

  g_free (self->broadcast);
  g_ptr_array_unref (self->ladder);
  g_clear_error (&self->renditions_error);
  g_free (self->hls_location);
  g_free (self->hls_master_name);
  g_hash_table_unref (self->outputs);
  g_hash_table_unref (self->pending);
  g_rec_mutex_clear (&self->outputs_lock);
  g_mutex_clear (&self->hls_request_lock);
  g_hash_table_unref (self->hls_pads);

  G_OBJECT_CLASS (parent_class)->finalize (object);
}

/* Gives one rendition to the runner: the source rendition is passthrough
 * (video and audio); any other is x264 for video plus passthrough for
 * audio. All or nothing. Its HLS pads exist before any of its outputs
 * does: the audio, whose output is announced at once, then waits in the
 * HLS sink for the video, announced once the decoded frames have caps.
 * Audio let in first would start the rendition's segments on the audio's
 * timeline, ahead of the video's, and the HLS sink refuses a video that
 * comes after its audio. */
static gboolean
runner_add (GstLadderBin * self, const GstLadderRendition * r, GError ** error)
{
  gst_ladder_bin_hls_request (self, r->name);
  if (r->passthrough)
    return gst_ladder_runner_add_rendition (self->runner,
        GST_TYPE_LADDER_PASSTHROUGH, r, error);

  if (!gst_ladder_runner_add_rendition_for_track (self->runner,
          GST_TYPE_LADDER_X264, r, "video", error))
    return FALSE;
  if (!gst_ladder_runner_add_rendition_for_track (self->runner,
          GST_TYPE_LADDER_PASSTHROUGH, r, "audio", error)) {
    gst_ladder_runner_remove_rendition (self->runner, r->name, FALSE, NULL,
        NULL);
    return FALSE;
  }
  return TRUE;
}

static gchar *
ladder_to_string_unlocked (GstLadderBin * self)
{
  return gst_ladder_ladder_to_string (self->ladder);
}

static gboolean
gst_ladder_bin_add_rendition (GstLadderBin * self, const gchar * description)
{
  GstLadderRendition *r;
  GError *err = NULL;
  gboolean configured, name_free;

  r = description ? gst_ladder_rendition_from_string (description, &err) : NULL;
  if (r == NULL) {
    GST_WARNING_OBJECT (self, "refused rendition '%s': %s",
        GST_STR_NULL (description), err ? err->message : "no rendition");
    g_clear_error (&err);
    return FALSE;
  }

  name_free = gst_ladder_bin_hls_name_is_free (self, r->name, &err);
  GST_OBJECT_LOCK (self);
  if (gst_ladder_bin_find_rendition_unlocked (self, r->name)) {
    GST_OBJECT_UNLOCK (self);
    GST_WARNING_OBJECT (self, "the ladder has a rendition %s already", r->name);
    gst_ladder_rendition_free (r);
    g_clear_error (&err);
    return FALSE;
  }
  if (!name_free) {
    GST_OBJECT_UNLOCK (self);
    GST_WARNING_OBJECT (self, "refused rendition %s: %s", r->name,
        err->message);
    gst_ladder_rendition_free (r);
    g_clear_error (&err);
    return FALSE;
  }
  if (self->hls_location && self->hls_master_name
      && g_str_equal (r->name, self->hls_master_name)) {
    GST_OBJECT_UNLOCK (self);
    GST_WARNING_OBJECT (self, "refused rendition %s: it is the name of the "
        "multivariant playlist (hls-master-name)", r->name);
    gst_ladder_rendition_free (r);
    return FALSE;
  }
  configured = self->configured;
  /* in the ladder before the runner has it: its outputs, announced from
   * the runner thread, find it there */
  g_ptr_array_add (self->ladder, r);
  GST_OBJECT_UNLOCK (self);

  if (configured && !runner_add (self, r, &err)) {
    gchar *name = g_strdup (r->name);

    GST_WARNING_OBJECT (self, "could not add %s: %s", name, err->message);
    g_clear_error (&err);
    /* frees @r */
    GST_OBJECT_LOCK (self);
    g_ptr_array_remove (self->ladder, r);
    GST_OBJECT_UNLOCK (self);
    gst_ladder_bin_hls_release (self, "video", name);
    gst_ladder_bin_hls_release (self, "audio", name);
    g_free (name);
    return FALSE;
  }

  GST_INFO_OBJECT (self, "added rendition %s", r->name);
  expose_outputs (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RENDITIONS]);
  return TRUE;
}

static gboolean
gst_ladder_bin_remove_rendition (GstLadderBin * self, const gchar * name)
{
  GError *err = NULL;
  gboolean configured;
  guint i;

  GST_OBJECT_LOCK (self);
  if (name == NULL
      || gst_ladder_bin_find_rendition_unlocked (self, name) == NULL) {
    GST_OBJECT_UNLOCK (self);
    GST_WARNING_OBJECT (self, "no rendition '%s' to remove",
        GST_STR_NULL (name));
    return FALSE;
  }
  configured = self->configured;
  GST_OBJECT_UNLOCK (self);

  if (configured && !gst_ladder_runner_remove_rendition (self->runner, name,
          TRUE, NULL, &err)) {
    GST_WARNING_OBJECT (self, "could not remove %s: %s", name, err->message);
    g_clear_error (&err);
    return FALSE;
  }

  GST_OBJECT_LOCK (self);
  for (i = 0; i < self->ladder->len; i++) {
    const GstLadderRendition *r = g_ptr_array_index (self->ladder, i);
    if (g_str_equal (r->name, name)) {
      g_ptr_array_remove_index (self->ladder, i);
      break;
    }
  }
  GST_OBJECT_UNLOCK (self);
  gst_ladder_bin_hls_release (self, "video", name);
  gst_ladder_bin_hls_release (self, "audio", name);
  update_outputs (self);
  GST_INFO_OBJECT (self, "removed rendition %s", name);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RENDITIONS]);
  return TRUE;
}

/* A new ladder string while configured: remove what went, add what came
 * (an updated rendition is removed and added again). */
static void
apply_ladder (GstLadderBin * self, GPtrArray * old, GPtrArray * ladder)
{
  GstLadderDiff *diff = gst_ladder_diff_new (old, ladder);
  GError *err = NULL;
  guint i;

  for (i = 0; i < diff->removed->len + diff->updated->len; i++) {
    const GstLadderRendition *o = i < diff->removed->len ?
        g_ptr_array_index (diff->removed, i) :
        g_ptr_array_index (diff->updated, i - diff->removed->len);

    gst_ladder_runner_remove_rendition (self->runner, o->name, TRUE, NULL,
        NULL);
    /* its outputs drained, and released its HLS pads if it had any; those
     * asked for before it had outputs go here (the HLS sink would wait
     * for their EOS) */
    gst_ladder_bin_hls_release (self, "video", o->name);
    gst_ladder_bin_hls_release (self, "audio", o->name);
  }
  /* in the new ladder's order */
  for (i = 0; i < ladder->len; i++) {
    const GstLadderRendition *r = g_ptr_array_index (ladder, i);
    gboolean changed = FALSE;
    guint j;

    for (j = 0; j < diff->added->len && !changed; j++)
      changed = g_str_equal (((GstLadderRendition *)
              g_ptr_array_index (diff->added, j))->name, r->name);
    for (j = 0; j < diff->updated->len && !changed; j++)
      changed = g_str_equal (((GstLadderRendition *)
              g_ptr_array_index (diff->updated, j))->name, r->name);
    if (changed && !runner_add (self, r, &err)) {
      GST_ELEMENT_WARNING (self, STREAM, FAILED,
          ("Could not add the rendition %s.", r->name), ("%s", err->message));
      g_clear_error (&err);
    }
  }
  gst_ladder_diff_free (diff);
}

/* While the ladder writes HLS, a new ladder string may not rebuild a
 * rendition (its media playlist would end, and the one that came back
 * would write over its segments) nor bring back a name the HLS output
 * still holds. Until renditions are edited in place, such a string is
 * refused. Call with no lock. */
static gboolean
check_hls_edit (GstLadderBin * self, GPtrArray * ladder, GError ** error)
{
  GPtrArray *old;
  GstLadderDiff *diff;
  gboolean ok = TRUE;
  guint i;

  GST_OBJECT_LOCK (self);
  if (!self->configured || self->hlssink == NULL) {
    GST_OBJECT_UNLOCK (self);
    return TRUE;
  }
  old = gst_ladder_bin_ladder_snapshot_unlocked (self);
  GST_OBJECT_UNLOCK (self);

  diff = gst_ladder_diff_new (old, ladder);
  if (diff->updated->len > 0) {
    g_set_error (error, GST_LADDER_ERROR, GST_LADDER_ERROR_REFUSED,
        "the rendition %s would be rebuilt, which ends its HLS media "
        "playlist; remove it and add the new one under another name",
        ((GstLadderRendition *) g_ptr_array_index (diff->updated, 0))->name);
    ok = FALSE;
  }
  for (i = 0; ok && i < diff->added->len; i++) {
    const GstLadderRendition *r = g_ptr_array_index (diff->added, i);

    ok = gst_ladder_bin_hls_name_is_free (self, r->name, error);
  }
  gst_ladder_diff_free (diff);
  g_ptr_array_unref (old);
  return ok;
}

/* A renditions string refused while the element is up: the ladder keeps
 * its value, and a warning says why */
static void
warn_renditions_refused (GstLadderBin * self, const gchar * str,
    const GError * err)
{
  GST_ELEMENT_WARNING (self, RESOURCE, SETTINGS,
      ("Invalid renditions '%s': %s. The ladder is unchanged.",
          GST_STR_NULL (str), err->message), (NULL));
}

static void
set_renditions (GstLadderBin * self, const gchar * str)
{
  GPtrArray *ladder, *old = NULL;
  GError *err = NULL;
  gboolean configured;

  ladder = gst_ladder_parse_ladder (str ? str : "", &err);
  if (ladder == NULL) {
    GstState state;

    GST_WARNING_OBJECT (self, "refused renditions '%s': %s",
        GST_STR_NULL (str), err->message);
    GST_OBJECT_LOCK (self);
    state = GST_STATE (self);
    if (state == GST_STATE_NULL) {
      /* reported at the NULL to READY state change */
      g_clear_error (&self->renditions_error);
      self->renditions_error = g_error_copy (err);
    }
    GST_OBJECT_UNLOCK (self);
    if (state != GST_STATE_NULL)
      warn_renditions_refused (self, str, err);
    g_clear_error (&err);
    return;
  }

  if (!check_hls_edit (self, ladder, &err)) {
    warn_renditions_refused (self, str, err);
    g_clear_error (&err);
    g_ptr_array_unref (ladder);
    return;
  }

  GST_OBJECT_LOCK (self);
  configured = self->configured;
  if (configured) {
    /* checked against the HLS settings before it replaces the ladder */
    old = self->ladder;
    self->ladder = ladder;
    if (!check_hls_settings_unlocked (self, &err)) {
      self->ladder = old;
      GST_OBJECT_UNLOCK (self);
      warn_renditions_refused (self, str, err);
      g_clear_error (&err);
      g_ptr_array_unref (ladder);
      return;
    }
    self->ladder = old;
  }
  g_clear_error (&self->renditions_error);
  old = self->ladder;
  self->ladder = g_ptr_array_ref (ladder);
  GST_OBJECT_UNLOCK (self);

  if (configured)
    apply_ladder (self, old, ladder);
  update_outputs (self);
  g_ptr_array_unref (old);
  g_ptr_array_unref (ladder);
}

/* ----- properties ----- */

static void
gst_ladder_bin_set_property (GObject * object, guint prop_id,
    const GValue * value, GParamSpec * pspec)
{
  GstLadderBin *self = GST_LADDER_BIN (object);

  switch (prop_id) {
    case PROP_BROADCAST:{
      const gchar *b = g_value_get_string (value);
      GST_OBJECT_LOCK (self);
      g_free (self->broadcast);
      self->broadcast = g_strdup (b && *b ? b : DEFAULT_BROADCAST);
      GST_OBJECT_UNLOCK (self);
      break;
    }
    case PROP_RENDITIONS:
      set_renditions (self, g_value_get_string (value));
      break;
    case PROP_STATS_INTERVAL:
    case PROP_RESTART_DELAY:
    case PROP_MAX_RESTART_DELAY:
    case PROP_CASCADE:
      g_object_set_property (G_OBJECT (self->runner), pspec->name, value);
      break;
    case PROP_HLS_LOCATION:
      GST_OBJECT_LOCK (self);
      g_free (self->hls_location);
      self->hls_location = g_value_dup_string (value);
      GST_OBJECT_UNLOCK (self);
      break;
    case PROP_HLS_MASTER_NAME:
      GST_OBJECT_LOCK (self);
      g_free (self->hls_master_name);
      self->hls_master_name = g_value_dup_string (value);
      GST_OBJECT_UNLOCK (self);
      break;
    case PROP_HLS_TARGET_DURATION:
      GST_OBJECT_LOCK (self);
      self->hls_target_duration = g_value_get_uint (value);
      GST_OBJECT_UNLOCK (self);
      break;
    case PROP_HLS_PLAYLIST_LENGTH:
      GST_OBJECT_LOCK (self);
      self->hls_playlist_length = g_value_get_uint (value);
      GST_OBJECT_UNLOCK (self);
      break;
    case PROP_HLS_MAX_FILES:
      GST_OBJECT_LOCK (self);
      self->hls_max_files = g_value_get_uint (value);
      GST_OBJECT_UNLOCK (self);
      break;
    case PROP_HLS_PLAYLIST_TYPE:
      GST_OBJECT_LOCK (self);
      self->hls_playlist_type = g_value_get_enum (value);
      GST_OBJECT_UNLOCK (self);
      break;
    case PROP_CHROMA_SITING:
      GST_OBJECT_LOCK (self);
      self->chroma_siting = g_value_get_enum (value);
      GST_OBJECT_UNLOCK (self);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      break;
  }
}

static void
gst_ladder_bin_get_property (GObject * object, guint prop_id,
    GValue * value, GParamSpec * pspec)
{
  GstLadderBin *self = GST_LADDER_BIN (object);

  switch (prop_id) {
    case PROP_BROADCAST:
      GST_OBJECT_LOCK (self);
      g_value_set_string (value, self->broadcast);
      GST_OBJECT_UNLOCK (self);
      break;
    case PROP_RENDITIONS:
      GST_OBJECT_LOCK (self);
      g_value_take_string (value, ladder_to_string_unlocked (self));
      GST_OBJECT_UNLOCK (self);
      break;
    case PROP_STATS_INTERVAL:
    case PROP_RESTART_DELAY:
    case PROP_MAX_RESTART_DELAY:
    case PROP_CASCADE:
      g_object_get_property (G_OBJECT (self->runner), pspec->name, value);
      break;
    case PROP_RUNNER:
      g_value_set_object (value, self->runner);
      break;
    case PROP_HLS_LOCATION:
      GST_OBJECT_LOCK (self);
      g_value_set_string (value, self->hls_location);
      GST_OBJECT_UNLOCK (self);
      break;
    case PROP_HLS_MASTER_NAME:
      GST_OBJECT_LOCK (self);
      g_value_set_string (value, self->hls_master_name);
      GST_OBJECT_UNLOCK (self);
      break;
    case PROP_HLS_TARGET_DURATION:
      GST_OBJECT_LOCK (self);
      g_value_set_uint (value, self->hls_target_duration);
      GST_OBJECT_UNLOCK (self);
      break;
    case PROP_HLS_PLAYLIST_LENGTH:
      GST_OBJECT_LOCK (self);
      g_value_set_uint (value, self->hls_playlist_length);
      GST_OBJECT_UNLOCK (self);
      break;
    case PROP_HLS_MAX_FILES:
      GST_OBJECT_LOCK (self);
      g_value_set_uint (value, self->hls_max_files);
      GST_OBJECT_UNLOCK (self);
      break;
    case PROP_HLS_PLAYLIST_TYPE:
      GST_OBJECT_LOCK (self);
      g_value_set_enum (value, self->hls_playlist_type);
      GST_OBJECT_UNLOCK (self);
      break;
    case PROP_CHROMA_SITING:
      GST_OBJECT_LOCK (self);
      g_value_set_enum (value, self->chroma_siting);
      GST_OBJECT_UNLOCK (self);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      break;
  }
}

/* ----- state ----- */

/* An empty hls-location is a mistake, not a request for src pads; a
 * multivariant playlist named like a rendition would be written over that
 * rendition's folder. */
static gboolean
check_hls_settings_unlocked (GstLadderBin * self, GError ** error)
{
  guint i;

  if (self->hls_location == NULL)
    return TRUE;
  if (*self->hls_location == '\0') {
    g_set_error (error, GST_LADDER_ERROR, GST_LADDER_ERROR_REFUSED,
        "hls-location is empty: leave it unset for src pads, or give the "
        "folder to write the HLS ladder into");
    return FALSE;
  }
  for (i = 0; self->hls_master_name && i < self->ladder->len; i++) {
    const GstLadderRendition *r = g_ptr_array_index (self->ladder, i);

    if (g_str_equal (r->name, self->hls_master_name)) {
      g_set_error (error, GST_LADDER_ERROR, GST_LADDER_ERROR_REFUSED,
          "hls-master-name \"%s\" is the name of a rendition, whose folder "
          "it would clash with", self->hls_master_name);
      return FALSE;
    }
  }
  return TRUE;
}

static gboolean
configure (GstLadderBin * self)
{
  GPtrArray *ladder;
  GError *err = NULL;
  guint i;

  GST_OBJECT_LOCK (self);
  if (self->renditions_error) {
    err = self->renditions_error;
    self->renditions_error = NULL;
    GST_OBJECT_UNLOCK (self);
    GST_ELEMENT_ERROR (self, RESOURCE, SETTINGS,
        ("Invalid renditions: %s", err->message), ("%s", err->message));
    g_clear_error (&err);
    return FALSE;
  }
  if (!check_hls_settings_unlocked (self, &err)) {
    GST_OBJECT_UNLOCK (self);
    GST_ELEMENT_ERROR (self, RESOURCE, SETTINGS, ("%s", err->message), (NULL));
    g_clear_error (&err);
    return FALSE;
  }
  if (self->configured) {
    GST_OBJECT_UNLOCK (self);
    return gst_ladder_bin_hls_setup (self);
  }
  ladder = gst_ladder_bin_ladder_snapshot_unlocked (self);
  GST_OBJECT_UNLOCK (self);

  if (!gst_ladder_bin_hls_setup (self)) {
    g_ptr_array_unref (ladder);
    return FALSE;
  }

  for (i = 0; i < ladder->len; i++) {
    const GstLadderRendition *r = g_ptr_array_index (ladder, i);
    if (!runner_add (self, r, &err)) {
      GST_ELEMENT_ERROR (self, RESOURCE, SETTINGS,
          ("Could not set up the rendition %s: %s", r->name, err->message),
          (NULL));
      g_clear_error (&err);
      g_ptr_array_unref (ladder);
      return FALSE;
    }
  }
  g_ptr_array_unref (ladder);

  GST_OBJECT_LOCK (self);
  self->configured = TRUE;
  GST_OBJECT_UNLOCK (self);
  gst_ladder_bin_hls_prerequest (self);
  update_outputs (self);
  return TRUE;
}

static GstStateChangeReturn
gst_ladder_bin_change_state (GstElement * element, GstStateChange transition)
{
  GstLadderBin *self = GST_LADDER_BIN (element);
  GstStateChangeReturn ret;
  GError *err = NULL;

  if (transition == GST_STATE_CHANGE_NULL_TO_READY) {
    GstBin *installed = gst_ladder_runner_get_bin (self->runner);

    if (installed == NULL && !gst_ladder_runner_install (self->runner,
            GST_BIN (self), &err)) {
      GST_ELEMENT_ERROR (self, CORE, STATE_CHANGE,
          ("Could not start the ladder."), ("%s", err->message));
      g_clear_error (&err);
      return GST_STATE_CHANGE_FAILURE;
    }
    gst_clear_object (&installed);
    if (!configure (self)) {
      gst_ladder_runner_uninstall (self->runner, NULL);
      return GST_STATE_CHANGE_FAILURE;
    }
  }

  ret = GST_ELEMENT_CLASS (parent_class)->change_state (element, transition);

  /* the rungs go with the runner; the ladder (its renditions) stays */
  if (transition == GST_STATE_CHANGE_READY_TO_NULL)
    gst_ladder_runner_uninstall (self->runner, NULL);
  return ret;
}

/* ----- sink pads ----- */

static GstPad *
gst_ladder_bin_request_new_pad (GstElement * element, GstPadTemplate * templ,
    const gchar * name, const GstCaps * caps)
{
  GstLadderBin *self = GST_LADDER_BIN (element);
  const gchar *track = GST_PAD_TEMPLATE_NAME_TEMPLATE (templ);
  gint index = g_str_equal (track, "video") ? 0 : 1;
  GstElement *bcast;
  GstPad *target, *ghost;
  gchar *broadcast;

  if (GST_PAD_TEMPLATE_DIRECTION (templ) != GST_PAD_SINK)
    return NULL;

  GST_OBJECT_LOCK (self);
  if (self->inputs[index]) {
    GST_OBJECT_UNLOCK (self);
    GST_WARNING_OBJECT (self, "the %s pad exists already", track);
    return NULL;
  }
  broadcast = g_strdup (self->broadcast);
  GST_OBJECT_UNLOCK (self);

  bcast = gst_element_factory_make ("ladderbroadcaster", NULL);
  if (bcast == NULL) {
    g_free (broadcast);
    GST_ERROR_OBJECT (self, "no ladderbroadcaster element");
    return NULL;
  }
  /* max-lag 0: the runner never releases an evicted pad, so a rung whose
   * branch lagged past it once would get nothing more; a lagging branch
   * drops whole GOPs and comes back on a keyframe instead */
  g_object_set (bcast, "broadcast", broadcast, "track", track, "max-lag",
      (guint64) 0, NULL);
  g_free (broadcast);

  GST_OBJECT_LOCK (self);
  self->inputs[index] = bcast;
  GST_OBJECT_UNLOCK (self);
  gst_bin_add (GST_BIN (self), bcast);

  target = gst_element_get_static_pad (bcast, "sink");
  ghost = gst_ghost_pad_new_from_template (track, target, templ);
  gst_object_unref (target);
  gst_pad_set_active (ghost, TRUE);
  gst_pad_add_probe (ghost, GST_PAD_PROBE_TYPE_EVENT_DOWNSTREAM,
      input_eos_probe, self, NULL);
  gst_element_add_pad (element, ghost);
  gst_element_sync_state_with_parent (bcast);

  GST_INFO_OBJECT (self, "input %s", track);
  gst_ladder_bin_hls_prerequest (self);
  expose_outputs (self);
  return ghost;
}

static void
gst_ladder_bin_release_pad (GstElement * element, GstPad * pad)
{
  GstLadderBin *self = GST_LADDER_BIN (element);
  gint index = g_str_equal (GST_PAD_NAME (pad), "video") ? 0 : 1;
  GstElement *bcast;

  GST_OBJECT_LOCK (self);
  bcast = self->inputs[index];
  self->inputs[index] = NULL;
  GST_OBJECT_UNLOCK (self);

  gst_pad_set_active (pad, FALSE);
  gst_element_remove_pad (element, pad);
  update_outputs (self);
  if (bcast) {
    gst_element_set_locked_state (bcast, TRUE);
    gst_element_set_state (bcast, GST_STATE_NULL);
    gst_bin_remove (GST_BIN (self), bcast);
  }
}

/* ----- outputs -----
 *
 * Without HLS, every (input track, rendition) has one output end
 * (gstladderoutput.c) and a src pad, made as soon as the rendition is in
 * the ladder and the input pad of its track exists: before any data, so
 * that gst-launch-1.0 links `l.video_240p ! mp4mux` to the right
 * pad of the muxer, and an application can link in pad-added. The runner's
 * output (output-added, runner thread) then links into that end. With HLS,
 * the output is linked to the HLS sink as it comes (gstladderbinhls.c):
 * that sink is ours and takes what the rungs make, so no end negotiates. */

static gboolean
hls_mode (GstLadderBin * self)
{
  gboolean hls;

  GST_OBJECT_LOCK (self);
  hls = self->hlssink != NULL || self->hls_location != NULL;
  GST_OBJECT_UNLOCK (self);
  return hls;
}

/* Makes the end of (@track, @rendition) and its src pad (without HLS).
 * Called with the outputs lock. */
static OutputLink *
output_link_new (GstLadderBin * self, const gchar * track,
    const gchar * rendition)
{
  const GstLadderRendition *r;
  OutputLink *link;
  GstCaps *expected = NULL;
  GstPad *input = NULL;
  gboolean video = g_str_equal (track, "video");

  link = g_new0 (OutputLink, 1);
  link->name = g_strdup_printf ("%s_%s", track, rendition);
  link->track = g_strdup (track);
  link->rendition = g_strdup (rendition);

  /* what the output will carry: H.264 from an x264 rung, the input's own
   * format from a passthrough one */
  GST_OBJECT_LOCK (self);
  r = gst_ladder_bin_find_rendition_unlocked (self, rendition);
  if (video && r && !r->passthrough)
    expected = gst_caps_new_empty_simple ("video/x-h264");
  else if (self->inputs[video ? 0 : 1])
    input = gst_element_get_static_pad (self->inputs[video ? 0 : 1], "sink");
  GST_OBJECT_UNLOCK (self);

  link->end = gst_object_ref_sink (gst_ladder_output_new (rendition, track,
          expected, input));
  gst_clear_caps (&expected);
  gst_clear_object (&input);
  gst_bin_add (GST_BIN (self), link->end);

  {
    GstPadTemplate *templ =
        gst_element_class_get_pad_template (GST_ELEMENT_GET_CLASS (self),
        video ? "video_%s" : "audio_%s");
    GstPad *target = gst_element_get_static_pad (link->end, "src");

    link->ghost = gst_ghost_pad_new_from_template (link->name, target, templ);
    gst_object_unref (target);
    gst_object_ref (link->ghost);
    gst_pad_set_active (link->ghost, TRUE);
    if (!gst_element_add_pad (GST_ELEMENT (self), link->ghost)) {
      GST_WARNING_OBJECT (self, "there is a pad %s already", link->name);
      gst_clear_object (&link->ghost);
    }
  }
  gst_element_sync_state_with_parent (link->end);
  GST_INFO_OBJECT (self, "output %s", link->name);
  return link;
}

/* Takes @link's src pad away, unlinks its output from its end, which goes,
 * and gives back the output's request pad. Called with the outputs lock. */
static void
output_link_release (GstLadderBin * self, OutputLink * link)
{
  if (link->ghost) {
    gst_pad_set_active (link->ghost, FALSE);
    gst_element_remove_pad (GST_ELEMENT (self), link->ghost);
  }
  if (link->output_pad) {
    GstPad *peer = gst_pad_get_peer (link->output_pad);

    if (peer) {
      gst_pad_unlink (link->output_pad, peer);
      gst_object_unref (peer);
    }
  }
  if (link->end) {
    gst_element_set_locked_state (link->end, TRUE);
    gst_element_set_state (link->end, GST_STATE_NULL);
    if (GST_OBJECT_PARENT (link->end) == GST_OBJECT (self))
      gst_bin_remove (GST_BIN (self), link->end);
  }
  if (link->output_pad) {
    gst_element_release_request_pad (link->output, link->output_pad);
    gst_clear_object (&link->output_pad);
  }
}

/* Makes the ends (and src pads) of every (input track, rendition) that has
 * none yet. Without HLS only. */
static void
expose_outputs (GstLadderBin * self)
{
  GPtrArray *ladder;
  gboolean tracks[2];
  guint i, t;

  if (hls_mode (self))
    return;

  GST_OBJECT_LOCK (self);
  ladder = gst_ladder_bin_ladder_snapshot_unlocked (self);
  tracks[0] = self->inputs[0] != NULL;
  tracks[1] = self->inputs[1] != NULL;
  GST_OBJECT_UNLOCK (self);

  g_rec_mutex_lock (&self->outputs_lock);
  for (i = 0; i < ladder->len; i++) {
    const GstLadderRendition *r = g_ptr_array_index (ladder, i);

    for (t = 0; t < 2; t++) {
      const gchar *track = t == 0 ? "video" : "audio";
      gchar *name;
      GHashTableIter iter;
      gpointer value;
      gboolean have;

      if (!tracks[t])
        continue;
      name = g_strdup_printf ("%s_%s", track, r->name);
      have = g_hash_table_contains (self->pending, name);
      g_hash_table_iter_init (&iter, self->outputs);
      while (!have && g_hash_table_iter_next (&iter, NULL, &value))
        have = g_str_equal (((OutputLink *) value)->name, name);
      if (!have)
        g_hash_table_insert (self->pending, g_strdup (name),
            output_link_new (self, track, r->name));
      g_free (name);
    }
  }
  g_rec_mutex_unlock (&self->outputs_lock);
  g_ptr_array_unref (ladder);
}

/* After the ladder, the input pads or the mode changed: an end that no
 * output took stays while its rendition is in the ladder and the input pad
 * of its track exists (none with HLS, which has no src pads), and the new
 * (track, rendition) pairs get theirs. */
static void
update_outputs (GstLadderBin * self)
{
  GHashTableIter iter;
  gpointer value;
  gboolean hls = hls_mode (self);

  g_rec_mutex_lock (&self->outputs_lock);
  g_hash_table_iter_init (&iter, self->pending);
  while (g_hash_table_iter_next (&iter, NULL, &value)) {
    OutputLink *link = value;
    gboolean keep;

    GST_OBJECT_LOCK (self);
    keep = !hls
        && self->inputs[g_str_equal (link->track, "video") ? 0 : 1] != NULL
        && gst_ladder_bin_find_rendition_unlocked (self, link->rendition);
    GST_OBJECT_UNLOCK (self);
    if (!keep) {
      GST_INFO_OBJECT (self, "output %s goes before it was used", link->name);
      /* what was linked to its src pad is waited for (a sink, a muxer):
       * it ends, as a removed rendition's pad does (docs/ladder.md) */
      if (link->ghost && gst_pad_is_linked (link->ghost)
          && !GST_PAD_IS_EOS (link->ghost)) {
        GstPad *sink = gst_element_get_static_pad (link->end, "sink");

        if (sink) {
          gst_ladder_bin_end_unfed_pad (self, sink);
          gst_object_unref (sink);
        }
      }
      output_link_release (self, link);
      g_hash_table_iter_remove (&iter);
    }
  }
  g_rec_mutex_unlock (&self->outputs_lock);
  expose_outputs (self);
}

/* An input that ends without ever having caps makes no outputs: the ends
 * of its track that no output took end too, so that a muxer linked to
 * them finishes, and so do the HLS pads of its track. On the ghost sink
 * pad named after its track. */
static GstPadProbeReturn
input_eos_probe (GstPad * pad, GstPadProbeInfo * info, gpointer user_data)
{
  GstLadderBin *self = user_data;
  GstEvent *event = GST_PAD_PROBE_INFO_EVENT (info);
  GPtrArray *ends;
  GHashTableIter iter;
  gpointer value;
  guint i;

  if (GST_EVENT_TYPE (event) != GST_EVENT_EOS || gst_pad_has_current_caps (pad))
    return GST_PAD_PROBE_OK;

  ends = g_ptr_array_new_with_free_func (gst_object_unref);
  g_rec_mutex_lock (&self->outputs_lock);
  g_hash_table_iter_init (&iter, self->pending);
  while (g_hash_table_iter_next (&iter, NULL, &value)) {
    OutputLink *link = value;

    if (g_str_equal (link->track, GST_OBJECT_NAME (pad)))
      g_ptr_array_add (ends, gst_object_ref (link->end));
  }
  g_rec_mutex_unlock (&self->outputs_lock);

  for (i = 0; i < ends->len; i++) {
    GstPad *sink = gst_element_get_static_pad (g_ptr_array_index (ends, i),
        "sink");

    gst_ladder_bin_end_unfed_pad (self, sink);
    gst_object_unref (sink);
  }
  g_ptr_array_unref (ends);
  gst_ladder_bin_hls_end_unfed (self, GST_OBJECT_NAME (pad));
  return GST_PAD_PROBE_OK;
}

static void
output_added (GstLadderRunner * runner, GstElement * output,
    const gchar * rendition, const gchar * track, GstLadderBin * self)
{
  OutputLink *link;
  gboolean hls;
  GstPad *sinkpad;
  gchar *name, *key;

  if (!g_str_equal (track, "video") && !g_str_equal (track, "audio"))
    return;

  hls = hls_mode (self);
  name = g_strdup_printf ("%s_%s", track, rendition);

  g_rec_mutex_lock (&self->outputs_lock);
  if (hls) {
    /* to our own HLS sink (gstladderbinhls.c) */
    link = g_new0 (OutputLink, 1);
    link->name = g_strdup (name);
    link->track = g_strdup (track);
    link->rendition = g_strdup (rendition);
    link->output = gst_object_ref (output);
    link->output_pad = gst_element_request_pad_simple (output, "src_%u");
    if (!gst_ladder_bin_hls_link_output (self, link)) {
      output_link_release (self, link);
      output_link_free (link);
      link = NULL;
    }
  } else {
    if (g_hash_table_steal_extended (self->pending, name, (gpointer *) & key,
            (gpointer *) & link))
      g_free (key);
    else
      link = output_link_new (self, track, rendition);
    link->output = gst_object_ref (output);
    link->output_pad = gst_element_request_pad_simple (output, "src_%u");
    sinkpad = gst_element_get_static_pad (link->end, "sink");
    if (link->output_pad == NULL
        || gst_pad_link (link->output_pad, sinkpad) != GST_PAD_LINK_OK)
      GST_WARNING_OBJECT (self, "could not link the output %s", name);
    gst_object_unref (sinkpad);
  }
  if (link)
    g_hash_table_insert (self->outputs, output, link);
  g_rec_mutex_unlock (&self->outputs_lock);
  g_free (name);
}

static void
output_removed (GstLadderRunner * runner, GstElement * output,
    const gchar * rendition, const gchar * track, GstLadderBin * self)
{
  OutputLink *link;

  g_rec_mutex_lock (&self->outputs_lock);
  link = g_hash_table_lookup (self->outputs, output);
  if (link) {
    GST_INFO_OBJECT (self, "output %s goes", link->name);
    output_link_release (self, link);
    if (link->hls_pad)
      gst_ladder_bin_hls_unlink_output (self, link);
    g_hash_table_remove (self->outputs, output);
  }
  g_rec_mutex_unlock (&self->outputs_lock);
}
