/* gst-ladder
 * Copyright (C) 2026 The gst-ladder authors
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2 of the License, or (at your option) any later version.
 */

/* The request pads of ladderhlssink: a ghost pad per track that carries the
 * configured bitrate, finds the H.264 SPS in the stream, tells the
 * multivariant playlist writer what it knows about its track, and tells the
 * sink when its stream has ended (EOS passed on to hlssink2) or was flushed,
 * for the sink's own EOS. */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <gst/ladder/ladder.h>

#include "gstladderhlssink.h"
#include "laddercodecs.h"

GST_DEBUG_CATEGORY_STATIC (gst_ladder_hls_sink_pad_debug);
#define GST_CAT_DEFAULT gst_ladder_hls_sink_pad_debug

#define DEFAULT_PAD_BITRATE 0

enum
{
  PROP_PAD_0,
  PROP_PAD_BITRATE,
  PROP_PAD_RENDITION,
};

/**
 * GstLadderHlsSinkPad:
 *
 * The request pads of ladderhlssink: `video_<rendition>` and
 * `audio_<rendition>`.
 *
 * Since: 0.1
 */
struct _GstLadderHlsSinkPad
{
  GstGhostPad parent;

  gchar *rendition;             /* immutable */
  gboolean is_video;            /* immutable */

  GstPadEventFunction forward_event;    /* immutable: the ghost pad's */

  /* protected by GST_OBJECT_LOCK */
  guint bitrate;
  GstBuffer *sps;
  gboolean eos;                 /* EOS went on to hlssink2, no flush since */
  gboolean has_data;            /* a buffer went through */
  gboolean missed_sps;          /* a segment of H.264 began without SPS */

  /* streaming thread of a video pad only */
  gboolean cuts_seen;           /* upstream decides the cuts */
  gboolean cut_pending;         /* a cut came, its keyframe not yet */
  GstH264NalParser *nalparser;  /* finds the SPS, NULL until needed */
};

G_DEFINE_TYPE_WITH_CODE (GstLadderHlsSinkPad, gst_ladder_hls_sink_pad,
    GST_TYPE_GHOST_PAD,
    GST_DEBUG_CATEGORY_INIT (gst_ladder_hls_sink_pad_debug,
        "ladderhlssinkpad", 0, "ladderhlssink request pads"));

static void
gst_ladder_hls_sink_pad_finalize (GObject * object)
{
  GstLadderHlsSinkPad *pad = GST_LADDER_HLS_SINK_PAD (object);

  g_free (pad->rendition);
  gst_clear_buffer (&pad->sps);
  g_clear_pointer (&pad->nalparser, gst_h264_nal_parser_free);

  G_OBJECT_CLASS (gst_ladder_hls_sink_pad_parent_class)->finalize (object);
}

static void
gst_ladder_hls_sink_pad_set_property (GObject * object, guint prop_id,
    const GValue * value, GParamSpec * pspec)
{
  GstLadderHlsSinkPad *pad = GST_LADDER_HLS_SINK_PAD (object);

  switch (prop_id) {
    case PROP_PAD_BITRATE:
      GST_OBJECT_LOCK (pad);
      pad->bitrate = g_value_get_uint (value);
      GST_OBJECT_UNLOCK (pad);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      break;
  }
}

static void
gst_ladder_hls_sink_pad_get_property (GObject * object, guint prop_id,
    GValue * value, GParamSpec * pspec)
{
  GstLadderHlsSinkPad *pad = GST_LADDER_HLS_SINK_PAD (object);

  switch (prop_id) {
    case PROP_PAD_BITRATE:
      GST_OBJECT_LOCK (pad);
      g_value_set_uint (value, pad->bitrate);
      GST_OBJECT_UNLOCK (pad);
      break;
    case PROP_PAD_RENDITION:
      g_value_set_string (value, pad->rendition);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      break;
  }
}

static void
gst_ladder_hls_sink_pad_class_init (GstLadderHlsSinkPadClass * klass)
{
  GObjectClass *gobject_class = G_OBJECT_CLASS (klass);

  gobject_class->finalize = gst_ladder_hls_sink_pad_finalize;
  gobject_class->set_property = gst_ladder_hls_sink_pad_set_property;
  gobject_class->get_property = gst_ladder_hls_sink_pad_get_property;

  /**
   * GstLadderHlsSinkPad:bitrate:
   *
   * The configured bitrate of this track in bits/s, set by whoever links
   * the pad (0: unknown). The multivariant playlist uses the sum over the
   * rendition's tracks as BANDWIDTH until a segment has been measured;
   * without it, the bitrate tags of the stream or a guess from the caps.
   *
   * Since: 0.1
   */
  g_object_class_install_property (gobject_class, PROP_PAD_BITRATE,
      g_param_spec_uint ("bitrate", "Bitrate",
          "Configured bitrate of this track in bits/s (0 = unknown): the "
          "BANDWIDTH of the rendition until a segment has been measured",
          0, G_MAXUINT, DEFAULT_PAD_BITRATE,
          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS |
          GST_PARAM_MUTABLE_PLAYING));

  /**
   * GstLadderHlsSinkPad:rendition:
   *
   * The rendition this pad feeds: the pad name without its `video_` or
   * `audio_` prefix.
   *
   * Since: 0.1
   */
  g_object_class_install_property (gobject_class, PROP_PAD_RENDITION,
      g_param_spec_string ("rendition", "Rendition",
          "The rendition this pad feeds (its folder name in the output)",
          NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));
}

static void
gst_ladder_hls_sink_pad_init (GstLadderHlsSinkPad * pad)
{
  pad->bitrate = DEFAULT_PAD_BITRATE;
}

/* ------------------------------------------------------------------------ */

/* The first SPS in H.264 byte-stream @buffer, or NULL. Streaming thread. */
static GstBuffer *
find_sps (GstLadderHlsSinkPad * self, GstBuffer * buffer)
{
  if (self->nalparser == NULL)
    self->nalparser = gst_h264_nal_parser_new ();
  return ladder_h264_find_sps (self->nalparser, buffer);
}

static GstPadProbeReturn
sps_probe (GstPad * pad, GstPadProbeInfo * info, gpointer user_data)
{
  GstLadderHlsSinkPad *self = GST_LADDER_HLS_SINK_PAD (pad);
  GstBuffer *buffer = GST_PAD_PROBE_INFO_BUFFER (info);
  GstCaps *caps;
  GstBuffer *sps;
  gboolean h264;

  caps = gst_pad_get_current_caps (pad);
  h264 = caps != NULL
      && gst_structure_has_name (gst_caps_get_structure (caps, 0),
      "video/x-h264")
      && !gst_structure_has_field (gst_caps_get_structure (caps, 0),
      "codec_data");
  gst_clear_caps (&caps);
  if (!h264)
    return GST_PAD_PROBE_REMOVE;

  sps = find_sps (self, buffer);
  if (sps == NULL)
    return GST_PAD_PROBE_OK;

  GST_DEBUG_OBJECT (self, "found the SPS");
  GST_OBJECT_LOCK (self);
  gst_buffer_replace (&self->sps, sps);
  GST_OBJECT_UNLOCK (self);
  gst_buffer_unref (sps);
  return GST_PAD_PROBE_REMOVE;
}

static GstPadProbeReturn
data_probe (GstPad * pad, GstPadProbeInfo * info, gpointer user_data)
{
  GstLadderHlsSinkPad *self = GST_LADDER_HLS_SINK_PAD (pad);

  GST_OBJECT_LOCK (self);
  self->has_data = TRUE;
  GST_OBJECT_UNLOCK (self);
  return GST_PAD_PROBE_REMOVE;
}

/* A keyframe that may start a segment of H.264 byte-stream must carry its
 * SPS, or the segment does not decode on its own: then the playlists stop
 * saying EXT-X-INDEPENDENT-SEGMENTS. */
static void
check_parameter_sets (GstLadderHlsSinkPad * self, GstBuffer * buffer)
{
  GstCaps *caps = gst_pad_get_current_caps (GST_PAD_CAST (self));
  GstStructure *s;
  GstBuffer *sps;
  gboolean h264;

  if (caps == NULL)
    return;
  s = gst_caps_get_structure (caps, 0);
  h264 = gst_structure_has_name (s, "video/x-h264")
      && !gst_structure_has_field (s, "codec_data");
  gst_caps_unref (caps);
  if (!h264)
    return;

  sps = find_sps (self, buffer);
  if (sps != NULL) {
    gst_buffer_unref (sps);
    return;
  }
  GST_OBJECT_LOCK (self);
  if (!self->missed_sps)
    GST_WARNING_OBJECT (self, "a keyframe at %" GST_TIME_FORMAT " has no "
        "SPS: its segment does not decode on its own (put h264parse "
        "config-interval=-1 in front)", GST_TIME_ARGS (GST_BUFFER_PTS
            (buffer)));
  self->missed_sps = TRUE;
  GST_OBJECT_UNLOCK (self);
}

/* TRUE when every segment began with its parameter sets so far */
gboolean
gst_ladder_hls_sink_pad_is_independent (GstLadderHlsSinkPad * pad)
{
  gboolean ret;

  GST_OBJECT_LOCK (pad);
  ret = !pad->missed_sps;
  GST_OBJECT_UNLOCK (pad);
  return ret;
}

/* The ladder's cuts (docs/design.md, "One keyframe policy"): once
 * upstream sends them, only the keyframe a cut announces starts a segment.
 * Other keyframes (a source's scene cut, an encoder's own) go on as delta
 * units for the segmenter, so hlssink2 never cuts at a frame the other
 * variants do not cut at. Without cuts from upstream, every keyframe is
 * kept and the segments follow target-duration. */
static GstPadProbeReturn
cut_probe (GstPad * pad, GstPadProbeInfo * info, gpointer user_data)
{
  GstLadderHlsSinkPad *self = GST_LADDER_HLS_SINK_PAD (pad);
  GstBuffer *buffer;

  if (info->type & GST_PAD_PROBE_TYPE_EVENT_BOTH) {
    GstEvent *event = GST_PAD_PROBE_INFO_EVENT (info);

    switch (GST_EVENT_TYPE (event)) {
      case GST_EVENT_STREAM_START:
      case GST_EVENT_FLUSH_STOP:
        self->cuts_seen = self->cut_pending = FALSE;
        break;
      case GST_EVENT_CUSTOM_DOWNSTREAM:
        if (gst_ladder_cut_event_parse (event, NULL, NULL))
          self->cuts_seen = self->cut_pending = TRUE;
        break;
      default:
        break;
    }
    return GST_PAD_PROBE_OK;
  }

  buffer = GST_PAD_PROBE_INFO_BUFFER (info);
  /* h264parse flags a keyframe that carries SPS/PPS HEADER too: only an
   * untimestamped HEADER buffer is a stream header */
  if (GST_BUFFER_FLAG_IS_SET (buffer, GST_BUFFER_FLAG_DELTA_UNIT)
      || (GST_BUFFER_FLAG_IS_SET (buffer, GST_BUFFER_FLAG_HEADER)
          && !GST_BUFFER_PTS_IS_VALID (buffer)))
    return GST_PAD_PROBE_OK;

  if (!self->cuts_seen || self->cut_pending) {
    /* this keyframe may start a segment */
    self->cut_pending = FALSE;
    check_parameter_sets (self, buffer);
    return GST_PAD_PROBE_OK;
  }
  GST_LOG_OBJECT (self, "keyframe at %" GST_TIME_FORMAT " is no cut",
      GST_TIME_ARGS (GST_BUFFER_PTS (buffer)));
  buffer = gst_buffer_make_writable (buffer);
  GST_BUFFER_FLAG_SET (buffer, GST_BUFFER_FLAG_DELTA_UNIT);
  GST_PAD_PROBE_INFO_DATA (info) = buffer;
  return GST_PAD_PROBE_OK;
}

/* Passes the event on as a ghost pad does, then tells the sink about the
 * end or the flush of the stream: by then hlssink2 has taken the event. */
static gboolean
gst_ladder_hls_sink_pad_event (GstPad * pad, GstObject * parent,
    GstEvent * event)
{
  GstLadderHlsSinkPad *self = GST_LADDER_HLS_SINK_PAD (pad);
  GstEventType type = GST_EVENT_TYPE (event);
  guint32 seqnum = gst_event_get_seqnum (event);
  gboolean ret, empty = FALSE;

  if (type == GST_EVENT_EOS && !gst_pad_has_current_caps (pad)
      && GST_IS_LADDER_HLS_SINK (parent)
      && gst_ladder_hls_sink_pad_has_other_track (GST_LADDER_HLS_SINK
          (parent), self)) {
    /* a track that ends without ever having caps is empty: when its
     * rendition has another track still going, it leaves the rendition,
     * since the muxer can make no stream of it, and the rest of the
     * rendition goes on. The last track of a rendition takes its EOS to
     * hlssink2, which ends the rendition. The video is splitmuxsink's
     * reference track: without it, its audio would wait for a keyframe
     * for ever. The audio waited at our pad for this (see
     * ladder_hls_stream_hold_audio_unlocked()); the rendition gets a new
     * hlssink2 without video. An empty audio track just leaves. */
    GstPad *target = gst_ghost_pad_get_target (GST_GHOST_PAD (pad));

    GST_INFO_OBJECT (self, "EOS without caps: the track is empty");
    gst_event_unref (event);
    empty = TRUE;
    if (self->is_video) {
      gst_clear_object (&target);
      gst_ladder_hls_sink_pad_video_empty (GST_LADDER_HLS_SINK (parent), self);
    } else {
      /* the video buffers wait at our pad meanwhile, outside splitmuxsink
       * (ladder_hls_stream_hold_video_unlocked()), and go on once the pad
       * is gone */
      if (target) {
        GstElement *hlssink2 = gst_pad_get_parent_element (target);

        gst_ghost_pad_set_target (GST_GHOST_PAD (pad), NULL);
        if (hlssink2) {
          gst_element_release_request_pad (hlssink2, target);
          gst_object_unref (hlssink2);
        }
        gst_object_unref (target);
      }
      if (GST_IS_LADDER_HLS_SINK (parent))
        gst_ladder_hls_sink_pad_settled (GST_LADDER_HLS_SINK (parent), self);
    }
    ret = TRUE;
  } else {
    ret = self->forward_event (pad, parent, event);
  }

  switch (type) {
    case GST_EVENT_CAPS:
      if (GST_IS_LADDER_HLS_SINK (parent))
        gst_ladder_hls_sink_pad_settled (GST_LADDER_HLS_SINK (parent), self);
      break;
    case GST_EVENT_EOS:
      GST_DEBUG_OBJECT (self, "EOS passed on (%d)", ret);
      if (self->is_video && !empty && GST_IS_LADDER_HLS_SINK (parent))
        gst_ladder_hls_sink_pad_settled (GST_LADDER_HLS_SINK (parent), self);
      GST_OBJECT_LOCK (self);
      self->eos = TRUE;
      GST_OBJECT_UNLOCK (self);
      if (GST_IS_LADDER_HLS_SINK (parent))
        gst_ladder_hls_sink_pad_eos (GST_LADDER_HLS_SINK (parent), self,
            seqnum);
      break;
    case GST_EVENT_FLUSH_STOP:
      GST_OBJECT_LOCK (self);
      self->eos = FALSE;
      GST_OBJECT_UNLOCK (self);
      if (GST_IS_LADDER_HLS_SINK (parent))
        gst_ladder_hls_sink_pad_flushed (GST_LADDER_HLS_SINK (parent), self);
      break;
    case GST_EVENT_STREAM_START:
      GST_OBJECT_LOCK (self);
      self->eos = FALSE;
      GST_OBJECT_UNLOCK (self);
      break;
    default:
      break;
  }
  return ret;
}

/* Returns: (transfer full): a pad for @rendition, not yet targeted */
GstLadderHlsSinkPad *
gst_ladder_hls_sink_pad_new (GstPadTemplate * templ, const gchar * name,
    const gchar * rendition, gboolean is_video)
{
  GstLadderHlsSinkPad *pad;

  pad = g_object_new (GST_TYPE_LADDER_HLS_SINK_PAD, "name", name,
      "direction", GST_PAD_SINK, "template", templ, NULL);
  pad->rendition = g_strdup (rendition);
  pad->is_video = is_video;
  pad->forward_event = GST_PAD_EVENTFUNC (pad);
  if (pad->forward_event == NULL)
    pad->forward_event = gst_pad_event_default;
  gst_pad_set_event_function (GST_PAD_CAST (pad),
      gst_ladder_hls_sink_pad_event);
  gst_pad_add_probe (GST_PAD_CAST (pad), GST_PAD_PROBE_TYPE_BUFFER |
      GST_PAD_PROBE_TYPE_BUFFER_LIST, data_probe, NULL, NULL);

  if (is_video) {
    gst_pad_add_probe (GST_PAD_CAST (pad), GST_PAD_PROBE_TYPE_BUFFER,
        sps_probe, NULL, NULL);
    gst_pad_add_probe (GST_PAD_CAST (pad), GST_PAD_PROBE_TYPE_BUFFER |
        GST_PAD_PROBE_TYPE_EVENT_DOWNSTREAM | GST_PAD_PROBE_TYPE_EVENT_FLUSH,
        cut_probe, NULL, NULL);
  }
  return pad;
}

static guint64
tag_bitrate (GstPad * pad)
{
  GstEvent *event;
  guint idx = 0, bitrate = 0;

  while ((event = gst_pad_get_sticky_event (pad, GST_EVENT_TAG, idx++))) {
    GstTagList *tags;

    gst_event_parse_tag (event, &tags);
    if (!gst_tag_list_get_uint (tags, GST_TAG_BITRATE, &bitrate)
        && !gst_tag_list_get_uint (tags, GST_TAG_NOMINAL_BITRATE, &bitrate))
      gst_tag_list_get_uint (tags, GST_TAG_MAXIMUM_BITRATE, &bitrate);
    gst_event_unref (event);
    if (bitrate > 0)
      break;
  }
  return bitrate;
}

/**
 * gst_ladder_hls_sink_pad_get_configured_bitrate:
 * @pad: a #GstLadderHlsSinkPad
 * @caps: (nullable): its current caps
 *
 * The bitrate of the track before a segment is measured: the pad's
 * `bitrate`, else the stream's bitrate tags, else a guess from the caps.
 *
 * Returns: bits/s, 0 if nothing is known
 */
guint64
gst_ladder_hls_sink_pad_get_configured_bitrate (GstLadderHlsSinkPad * pad,
    const GstCaps * caps)
{
  guint64 bitrate;
  GstStructure *s;
  gint width = 0, height = 0, fps_n = 30, fps_d = 1;

  GST_OBJECT_LOCK (pad);
  bitrate = pad->bitrate;
  GST_OBJECT_UNLOCK (pad);
  if (bitrate > 0)
    return bitrate;

  bitrate = tag_bitrate (GST_PAD_CAST (pad));
  if (bitrate > 0)
    return bitrate;

  if (!pad->is_video)
    return 128000;
  if (caps == NULL)
    return 0;
  /* 0.1 bit per pixel: a typical H.264 live encode */
  s = gst_caps_get_structure (caps, 0);
  gst_structure_get_int (s, "width", &width);
  gst_structure_get_int (s, "height", &height);
  gst_structure_get_fraction (s, "framerate", &fps_n, &fps_d);
  if (fps_n <= 0 || fps_d <= 0) {
    fps_n = 30;
    fps_d = 1;
  }
  return gst_util_uint64_scale_int ((guint64) width * height, fps_n,
      fps_d * 10);
}

/**
 * gst_ladder_hls_sink_pad_get_codec:
 * @pad: a #GstLadderHlsSinkPad
 * @caps: its current caps
 *
 * Returns: (transfer full) (nullable): the complete RFC 6381 codec string of
 *   the track, or %NULL when it cannot be told
 */
gchar *
gst_ladder_hls_sink_pad_get_codec (GstLadderHlsSinkPad * pad,
    const GstCaps * caps)
{
  GstBuffer *sps = NULL;
  gchar *codec;

  GST_OBJECT_LOCK (pad);
  if (pad->sps)
    sps = gst_buffer_ref (pad->sps);
  GST_OBJECT_UNLOCK (pad);

  codec = ladder_codec_string_from_caps (caps, sps);
  gst_clear_buffer (&sps);
  if (!ladder_codec_string_is_complete (codec)) {
    GST_WARNING_OBJECT (pad, "no complete codec string for %" GST_PTR_FORMAT
        " (got %s)", caps, GST_STR_NULL (codec));
    g_clear_pointer (&codec, g_free);
  }
  return codec;
}

/* TRUE once EOS went on to hlssink2 (and no flush since) */
gboolean
gst_ladder_hls_sink_pad_is_eos (GstLadderHlsSinkPad * pad)
{
  gboolean ret;

  GST_OBJECT_LOCK (pad);
  ret = pad->eos;
  GST_OBJECT_UNLOCK (pad);
  return ret;
}

/* TRUE once a buffer went through @pad */
gboolean
gst_ladder_hls_sink_pad_has_data (GstLadderHlsSinkPad * pad)
{
  gboolean ret;

  GST_OBJECT_LOCK (pad);
  ret = pad->has_data;
  GST_OBJECT_UNLOCK (pad);
  return ret;
}
