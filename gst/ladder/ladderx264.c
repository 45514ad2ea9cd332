/* gst-ladder
 * Copyright (C) 2026 The gst-ladder authors
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2 of the License, or (at your option) any later version.
 */

/**
 * SECTION:element-ladderx264
 * @title: ladderx264
 *
 * A #GstLadderTranscoder that makes one H.264 rendition of a video track
 * with x264: it decodes encoded input (the best parser and decoder for the
 * caps; raw input goes straight to the scaler, with no decoder and no
 * copy), scales into the rendition's box keeping the aspect ratio
 * (never above the source size unless #GstLadderX264:allow-upscale is
 * set), converts the framerate when the rendition sets one, and encodes at
 * the rendition bitrate. The output is parsed byte-stream H.264, one access
 * unit per buffer, with SPS and PPS before every IDR.
 *
 * Keyframes: an IDR frame on every downstream GstForceKeyUnit event that
 * comes with the input (#GstVideoEncoder honours them): in a ladder, the
 * cuts of the keyframe policy (#GstLadderCutter), so every rung of a
 * source, also one started later, has its IDR frames on the same frames.
 * Without such events x264 places them itself, at most two keyframe
 * intervals of the rendition apart. See docs/ladderx264.md.
 *
 * Encoder settings for live ABR: speed-preset (#GstLadderX264:speed-preset,
 * default veryfast), no B-frames, no scene-cut keyframes, VBV buffer of
 * 600 ms at the rendition bitrate, tune=zerolatency when the source is
 * live, threads from #GstLadderX264:threads.
 *
 * Chroma: by default (#GstLadderX264:chroma-siting=centre) the chroma of
 * 4:2:0 input is taken as centred between the luma samples, as FFmpeg
 * does, and the output is centred and says so in the H.264 VUI
 * (chroma_sample_loc_type 1). With auto, the input caps' chroma-site is
 * honoured and kept. docs/ladderx264.md explains the choice.
 *
 * ## Example launch line
 * |[
 * gst-launch-1.0 videotestsrc num-buffers=60 ! video/x-raw,width=1280,height=720 ! ladderx264 rendition=480p ! fakesink
 * ]|
 *
 * Since: 0.1
 */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <math.h>

#include <gst/video/video.h>
#include <gst/pbutils/pbutils.h>

#include "ladder.h"
#include "ladder-private.h"
#include "ladderdecode-private.h"
#include "ladderretime-private.h"

GST_DEBUG_CATEGORY_STATIC (gst_ladder_x264_debug);
#define GST_CAT_DEFAULT gst_ladder_x264_debug

/* the values are the ones of x264enc's GstX264EncPreset */
typedef enum
{
  SPEED_ULTRAFAST = 1,
  SPEED_SUPERFAST,
  SPEED_VERYFAST,
  SPEED_FASTER,
  SPEED_FAST,
  SPEED_MEDIUM,
  SPEED_SLOW,
  SPEED_SLOWER,
  SPEED_VERYSLOW,
  SPEED_PLACEBO,
} GstLadderX264SpeedPreset;

#define GST_TYPE_LADDER_X264_SPEED_PRESET (gst_ladder_x264_speed_preset_get_type ())
static GType gst_ladder_x264_speed_preset_get_type (void);

#define DEFAULT_SPEED_PRESET SPEED_VERYFAST
#define DEFAULT_THREADS 0
#define DEFAULT_ALLOW_UPSCALE FALSE
#define DEFAULT_CHROMA_SITING GST_LADDER_SCALE_CHROMA_SITING_CENTRE

/* the VBV buffer, in milliseconds of the bitrate */
#define VBV_BUFFER_MS 600
/* x264's own keyframe limit, in keyframe intervals: above the cut
 * interval, so it never fires between the ladder's cuts, but bounded */
#define KEYINT_MAX_INTERVALS 2
/* the framerate assumed for that limit when the source does not say */
#define FALLBACK_FPS 60

enum
{
  PROP_0,
  PROP_SPEED_PRESET,
  PROP_THREADS,
  PROP_ALLOW_UPSCALE,
  PROP_CHROMA_SITING,
  PROP_LAST
};

static GParamSpec *properties[PROP_LAST];

/* Locking: the object lock protects the properties and the element
 * pointers (set in start, cleared in stop). It is the only lock taken here
 * (no locking order to keep), held only to copy fields or take refs. The keyframe grid state is only
 * touched from the streaming thread that feeds the encoder. Nothing is
 * posted, and no element property is set, with the object lock held. */
struct _GstLadderX264
{
  GstLadderTranscoder parent;

  /* protected by the object lock */
  GstLadderX264SpeedPreset speed_preset;
  guint threads;
  gboolean allow_upscale;
  GstLadderScaleChromaSiting chroma_siting;
  GstElement *entry;            /* the input, when its caps are unknown */
  GstElement *head;             /* first element after the decoder */
  GstElement *scalefilter;
  GstElement *encoder;

  /* set in start, read by the streaming threads */
  const gchar *out_chroma_site; /* interned; NULL: the input's */
};

G_DEFINE_TYPE_WITH_CODE (GstLadderX264, gst_ladder_x264,
    GST_TYPE_LADDER_TRANSCODER,
    GST_DEBUG_CATEGORY_INIT (gst_ladder_x264_debug, "ladderx264", 0,
        "ladder x264 transcoder"));

GST_ELEMENT_REGISTER_DEFINE (ladderx264, "ladderx264", GST_RANK_NONE,
    GST_TYPE_LADDER_X264);

static void gst_ladder_x264_set_property (GObject * object, guint prop_id,
    const GValue * value, GParamSpec * pspec);
static void gst_ladder_x264_get_property (GObject * object, guint prop_id,
    GValue * value, GParamSpec * pspec);
static gboolean gst_ladder_x264_accept (GstLadderTranscoderClass * klass,
    const gchar * broadcast, const gchar * track, const GstCaps * caps,
    const GstLadderRendition * rendition);
static gboolean gst_ladder_x264_start (GstLadderTranscoder * transcoder,
    GError ** error);
static void gst_ladder_x264_stop (GstLadderTranscoder * transcoder);
static gboolean gst_ladder_x264_scaled_size (GstLadderTranscoderClass *
    klass, const GstLadderRendition * rendition, const GstCaps * caps,
    gint * width, gint * height);
static void compute_output_size (gint in_w, gint in_h, gint par_n,
    gint par_d, gint box_w, gint box_h, gboolean upscale, gint * out_w,
    gint * out_h);
static gboolean gst_ladder_x264_reconfigure (GstLadderTranscoder *
    transcoder, const GstLadderRendition * rendition, GError ** error);
static GstPadProbeReturn gst_ladder_x264_scale_probe (GstPad * pad,
    GstPadProbeInfo * info, gpointer user_data);
static GstPadProbeReturn gst_ladder_x264_entry_probe (GstPad * pad,
    GstPadProbeInfo * info, gpointer user_data);

static GType
gst_ladder_x264_speed_preset_get_type (void)
{
  static GType type = 0;
  static const GEnumValue values[] = {
    {SPEED_ULTRAFAST, "ultrafast", "ultrafast"},
    {SPEED_SUPERFAST, "superfast", "superfast"},
    {SPEED_VERYFAST, "veryfast", "veryfast"},
    {SPEED_FASTER, "faster", "faster"},
    {SPEED_FAST, "fast", "fast"},
    {SPEED_MEDIUM, "medium", "medium"},
    {SPEED_SLOW, "slow", "slow"},
    {SPEED_SLOWER, "slower", "slower"},
    {SPEED_VERYSLOW, "veryslow", "veryslow"},
    {SPEED_PLACEBO, "placebo", "placebo"},
    {0, NULL, NULL},
  };

  if (g_once_init_enter (&type)) {
    GType t = g_enum_register_static ("GstLadderX264SpeedPreset", values);
    g_once_init_leave (&type, t);
  }
  return type;
}

static void
gst_ladder_x264_class_init (GstLadderX264Class * klass)
{
  GObjectClass *gobject_class = G_OBJECT_CLASS (klass);
  GstElementClass *element_class = GST_ELEMENT_CLASS (klass);
  GstLadderTranscoderClass *transcoder_class =
      GST_LADDER_TRANSCODER_CLASS (klass);

  gobject_class->set_property = gst_ladder_x264_set_property;
  gobject_class->get_property = gst_ladder_x264_get_property;

  /**
   * GstLadderX264:speed-preset:
   *
   * x264's speed/quality trade-off. veryfast suits live ladders on a few
   * cores; slower presets give better quality per bit at more CPU.
   *
   * Since: 0.1
   */
  properties[PROP_SPEED_PRESET] = g_param_spec_enum ("speed-preset",
      "Speed preset", "x264 speed/quality trade-off (slower presets: better "
      "quality per bit, more CPU); read at start",
      GST_TYPE_LADDER_X264_SPEED_PRESET, DEFAULT_SPEED_PRESET,
      G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | GST_PARAM_MUTABLE_READY);

  /**
   * GstLadderX264:threads:
   *
   * Encoder threads; 0 chooses from the output size: 1 up to 640x360, 2 up
   * to 1280x720, else up to 4, and never more than half the CPUs (at least
   * one), so that a ladder of several rungs does not oversubscribe the machine.
   *
   * Since: 0.1
   */
  properties[PROP_THREADS] = g_param_spec_uint ("threads", "Threads",
      "Encoder threads (0: from the output size, 1 up to 360p, 2 up to "
      "720p, else up to 4, at most half the CPUs); read at start",
      0, 64, DEFAULT_THREADS,
      G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | GST_PARAM_MUTABLE_READY);

  /**
   * GstLadderX264:allow-upscale:
   *
   * By default a rung never makes a picture larger than its source: a
   * 640x360 source gives 640x360 in a 720p rung. Set it to scale up to the
   * rendition box anyway.
   *
   * Since: 0.1
   */
  properties[PROP_ALLOW_UPSCALE] = g_param_spec_boolean ("allow-upscale",
      "Allow upscale", "Scale up to the rendition size when the source is "
      "smaller (default: never larger than the source); read when the "
      "input caps arrive", DEFAULT_ALLOW_UPSCALE,
      G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);

  /**
   * GstLadderX264:chroma-siting:
   *
   * Where the chroma samples of 4:2:0 video sit. centre (the default)
   * takes the input's chroma as centred between the luma samples, as
   * FFmpeg's scaler does whatever the stream says, and makes the output
   * centred, signalled in the H.264 VUI (chroma_sample_loc_type 1). auto
   * follows the input caps' chroma-site (co-sited "mpeg2" for H.264
   * without a chroma location) and keeps it in the output.
   *
   * Since: 0.1
   */
  properties[PROP_CHROMA_SITING] = g_param_spec_enum ("chroma-siting",
      "Chroma siting", "Siting of 4:2:0 chroma: centre takes the input as "
      "centred (as FFmpeg does) and signals a centred output, auto follows "
      "and keeps the input caps' chroma-site; read at start",
      GST_TYPE_LADDER_SCALE_CHROMA_SITING, DEFAULT_CHROMA_SITING,
      G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | GST_PARAM_MUTABLE_READY);

  g_object_class_install_properties (gobject_class, PROP_LAST, properties);

  gst_element_class_set_static_metadata (element_class,
      "Ladder x264 transcoder", "Codec/Encoder/Video/Bin",
      "Decodes, scales and encodes one H.264 rendition of a video track, "
      "keyframes aligned across the ladder", "The gst-ladder authors");

  transcoder_class->name = "x264";
  transcoder_class->decodes_video = TRUE;
  transcoder_class->default_rendition = "720p";
  transcoder_class->accept = gst_ladder_x264_accept;
  transcoder_class->start = gst_ladder_x264_start;
  transcoder_class->stop = gst_ladder_x264_stop;
  transcoder_class->reconfigure = gst_ladder_x264_reconfigure;
  transcoder_class->scaled_size = gst_ladder_x264_scaled_size;

  gst_type_mark_as_plugin_api (GST_TYPE_LADDER_X264_SPEED_PRESET, 0);
}

static void
gst_ladder_x264_init (GstLadderX264 * self)
{
  self->speed_preset = DEFAULT_SPEED_PRESET;
  self->threads = DEFAULT_THREADS;
  self->allow_upscale = DEFAULT_ALLOW_UPSCALE;
  self->chroma_siting = DEFAULT_CHROMA_SITING;
}

static void
gst_ladder_x264_set_property (GObject * object, guint prop_id,
    const GValue * value, GParamSpec * pspec)
{
  GstLadderX264 *self = GST_LADDER_X264 (object);

  GST_OBJECT_LOCK (self);
  switch (prop_id) {
    case PROP_SPEED_PRESET:
      self->speed_preset = g_value_get_enum (value);
      break;
    case PROP_THREADS:
      self->threads = g_value_get_uint (value);
      break;
    case PROP_ALLOW_UPSCALE:
      self->allow_upscale = g_value_get_boolean (value);
      break;
    case PROP_CHROMA_SITING:
      self->chroma_siting = g_value_get_enum (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      break;
  }
  GST_OBJECT_UNLOCK (self);
}

static void
gst_ladder_x264_get_property (GObject * object, guint prop_id,
    GValue * value, GParamSpec * pspec)
{
  GstLadderX264 *self = GST_LADDER_X264 (object);

  GST_OBJECT_LOCK (self);
  switch (prop_id) {
    case PROP_SPEED_PRESET:
      g_value_set_enum (value, self->speed_preset);
      break;
    case PROP_THREADS:
      g_value_set_uint (value, self->threads);
      break;
    case PROP_ALLOW_UPSCALE:
      g_value_set_boolean (value, self->allow_upscale);
      break;
    case PROP_CHROMA_SITING:
      g_value_set_enum (value, self->chroma_siting);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      break;
  }
  GST_OBJECT_UNLOCK (self);
}

static gboolean
gst_ladder_x264_accept (GstLadderTranscoderClass * klass,
    const gchar * broadcast, const gchar * track, const GstCaps * caps,
    const GstLadderRendition * rendition)
{
  if (rendition->passthrough)
    return FALSE;
  if (gst_ladder_track_is_audio (track, caps))
    return FALSE;
  /* known caps must be video; unknown caps on an unnamed track are tried */
  if (caps && !gst_caps_is_any (caps) && !gst_caps_is_empty (caps)
      && !gst_ladder_track_is_video (track, caps))
    return FALSE;
  return TRUE;
}

static gboolean
caps_are_raw_video (const GstCaps * caps)
{
  return caps && !gst_caps_is_any (caps) && !gst_caps_is_empty (caps)
      && gst_structure_has_name (gst_caps_get_structure (caps, 0),
      "video/x-raw");
}

/* Puts a ladderdecode (the one decoding path of gst-ladder) in front of
 * @head for encoded @caps; returns it, not linked upstream. Called from
 * start, or from the streaming thread when the caps arrive. */
static GstElement *
build_decoder (GstLadderX264 * self, const GstCaps * caps, GstElement * head,
    GError ** error)
{
  GstLadderTranscoder *transcoder = GST_LADDER_TRANSCODER (self);
  GstLadderRendition *raw;
  GstElement *decode;

  if (!gst_ladder_decode_check_input (GST_ELEMENT (self), caps, error))
    return NULL;
  raw = gst_ladder_decode_rendition_new ();
  decode = gst_ladder_transcoder_new (GST_TYPE_LADDER_DECODE, raw,
      gst_ladder_transcoder_get_broadcast (transcoder),
      gst_ladder_transcoder_get_track (transcoder), caps, error);
  gst_ladder_rendition_free (raw);
  if (decode == NULL)
    return NULL;
  GST_INFO_OBJECT (self, "decoding %" GST_PTR_FORMAT, caps);
  gst_element_set_name (decode, "decoder");
  gst_bin_add (GST_BIN (self), decode);
  if (!gst_element_link (decode, head)) {
    g_set_error (error, GST_LADDER_ERROR, GST_LADDER_ERROR_FAILED,
        "Could not link the decoder of the input");
    return NULL;
  }
  return decode;
}

/* A ladder runs several encoders at once: each one grabbing every core only
 * adds thread overhead and memory (on 2 cores, one thread per rung saved 5%
 * CPU and 39 MB against x264's default, at the same PSNR). Bigger rungs get
 * more threads only when there are cores for them. */
static guint
auto_threads (const GstLadderRendition * r)
{
  guint cpus = g_get_num_processors ();
  guint n;

  if ((gint64) r->width * r->height <= 640 * 360)
    n = 1;
  else if ((gint64) r->width * r->height <= 1280 * 720)
    n = 2;
  else
    n = 4;
  return MAX (1, MIN (n, cpus / 2));
}

static gboolean
gst_ladder_x264_start (GstLadderTranscoder * transcoder, GError ** error)
{
  GstLadderX264 *self = GST_LADDER_X264 (transcoder);
  GstBin *bin = GST_BIN (self);
  const GstLadderRendition *r = gst_ladder_transcoder_get_rendition
      (transcoder);
  GstCaps *input_caps = gst_ladder_transcoder_get_input_caps (transcoder);
  GstElement *entry = NULL, *rate = NULL, *convert, *scale, *scalefilter,
      *retime, *encoder, *parser, *outfilter, *head, *first;
  GstLadderX264SpeedPreset preset;
  GstLadderScaleChromaSiting siting;
  GstCaps *caps;
  GstPad *sink, *src, *pad;
  gchar *option;
  guint threads;
  gboolean ret = FALSE, known, raw;

  known = input_caps && !gst_caps_is_any (input_caps)
      && !gst_caps_is_empty (input_caps);
  raw = known && caps_are_raw_video (input_caps);

  if (r->passthrough) {
    g_set_error (error, GST_LADDER_ERROR, GST_LADDER_ERROR_REFUSED,
        "The x264 transcoder cannot make the passthrough rendition \"%s\"",
        r->name);
    goto done;
  }

  /* every element goes into the bin as soon as it is made: on failure the
   * base class runs stop, which removes them */
  if (r->fps_n > 0) {
    if (!(rate = gst_ladder_transcoder_make_element (transcoder, "videorate",
                "rate", error)))
      goto done;
    gst_bin_add (bin, rate);
    /* from the first frame on, not from the segment start: a rung started
     * a minute into a live stream must not begin with a minute of copies
     * of its first frame */
    g_object_set (rate, "skip-to-first", TRUE, NULL);
  }
  /* the format conversion, when the input is not a planar format that
   * ladderscale takes (a passthrough otherwise), then our own scaler: it
   * is part of this library, so no factory is needed */
  if (!(convert = gst_ladder_transcoder_make_element (transcoder,
              "videoconvert", "convert", error)))
    goto done;
  gst_bin_add (bin, convert);
  scale = g_object_new (GST_TYPE_LADDER_SCALE, "name", "scale", NULL);
  gst_bin_add (bin, scale);
  if (!(scalefilter = gst_ladder_transcoder_make_element (transcoder,
              "capsfilter", "scalefilter", error)))
    goto done;
  gst_bin_add (bin, scalefilter);
  /* every frame on the grid of the output framerate, whatever the jitter
   * of a live input (ladderretime.c) */
  retime = g_object_new (GST_TYPE_LADDER_RETIME, "name", "retime", NULL);
  gst_bin_add (bin, retime);
  if (!(encoder = gst_ladder_transcoder_make_element (transcoder, "x264enc",
              "encoder", error)))
    goto done;
  gst_bin_add (bin, encoder);
  if (!(parser = gst_ladder_transcoder_make_element (transcoder, "h264parse",
              "parser", error)))
    goto done;
  gst_bin_add (bin, parser);
  if (!(outfilter = gst_ladder_transcoder_make_element (transcoder,
              "capsfilter", "outfilter", error)))
    goto done;
  gst_bin_add (bin, outfilter);

  head = rate ? rate : convert;

  if (!known) {
    /* decided when the caps arrive */
    if (!(entry = gst_ladder_transcoder_make_element (transcoder, "identity",
                "entry", error)))
      goto done;
    g_object_set (entry, "silent", TRUE, NULL);
    gst_bin_add (bin, entry);
  }

  /* x264enc takes most settings only in NULL or READY, and the ones that
   * depend on the input (keyframe limit from the framerate, zerolatency
   * for a live source) are known when the caps arrive: the encoder stays
   * in NULL, unlinked from the scaler, until then */
  gst_element_set_locked_state (encoder, TRUE);

  if ((rate && !gst_element_link (rate, convert))
      || !gst_element_link_many (convert, scale, scalefilter, retime, NULL)
      || !gst_element_link_many (encoder, parser, outfilter, NULL)) {
    g_set_error (error, GST_LADDER_ERROR, GST_LADDER_ERROR_FAILED,
        "Could not link the inner elements of the x264 transcoder");
    goto done;
  }

  if (entry)
    first = entry;
  else if (raw)
    first = head;
  else if (!(first = build_decoder (self, input_caps, head, error)))
    goto done;

  GST_OBJECT_LOCK (self);
  preset = self->speed_preset;
  threads = self->threads ? self->threads : auto_threads (r);
  siting = self->chroma_siting;
  GST_OBJECT_UNLOCK (self);

  /* Lanczos (3 lobes), its taps widened by the downscale factor: sharp and
   * without aliasing, luma and chroma alike, at a fraction of the CPU of
   * videoconvertscale's catrom (docs/performance.md, docs/ladderscale.md).
   * The output size is rounded to even numbers, so its aspect ratio may
   * differ from the source's by a fraction of a pixel: ladderscale
   * stretches, it never adds a border line. */
  gst_util_set_object_arg (G_OBJECT (scale), "method", "lanczos");
  /* centre: the input taken as centred and the output made centred, which
   * the scale probe writes in the caps for x264enc's VUI */
  g_object_set (scale, "chroma-siting", siting, NULL);
  self->out_chroma_site = siting == GST_LADDER_SCALE_CHROMA_SITING_CENTRE ?
      g_intern_static_string ("jpeg") : NULL;

  option = g_enum_to_string (GST_TYPE_LADDER_X264_SPEED_PRESET, preset);
  gst_util_set_object_arg (G_OBJECT (encoder), "speed-preset", option);
  g_free (option);
  g_object_set (encoder, "bitrate", r->video_bitrate, "bframes", 0,
      "vbv-buf-capacity", VBV_BUFFER_MS, "threads", threads,
      "option-string", "scenecut=0", NULL);

  g_object_set (parser, "config-interval", -1, NULL);
  caps = gst_caps_from_string ("video/x-h264, stream-format=byte-stream, "
      "alignment=au");
  g_object_set (outfilter, "caps", caps, NULL);
  gst_caps_unref (caps);

  /* IDR frames on the ladder's cuts */
  gst_ladder_cut_relay_attach (encoder);

  /* the output size follows the input caps: set it as they arrive */
  pad = gst_element_get_static_pad (head, "sink");
  gst_pad_add_probe (pad, GST_PAD_PROBE_TYPE_EVENT_DOWNSTREAM,
      gst_ladder_x264_scale_probe, self, NULL);
  gst_object_unref (pad);

  if (entry) {
    pad = gst_element_get_static_pad (entry, "sink");
    gst_pad_add_probe (pad, GST_PAD_PROBE_TYPE_EVENT_DOWNSTREAM,
        gst_ladder_x264_entry_probe, self, NULL);
    gst_object_unref (pad);
  }

  sink = gst_element_get_static_pad (first, "sink");
  src = gst_element_get_static_pad (outfilter, "src");
  gst_ladder_transcoder_set_targets (transcoder, sink, src);
  gst_object_unref (sink);
  gst_object_unref (src);

  GST_OBJECT_LOCK (self);
  self->head = gst_object_ref (head);
  self->entry = entry ? gst_object_ref (entry) : NULL;
  self->scalefilter = gst_object_ref (scalefilter);
  self->encoder = gst_object_ref (encoder);
  GST_OBJECT_UNLOCK (self);

  GST_INFO_OBJECT (self, "rendition %s: %s input, %u kbit/s, %u threads",
      r->name, raw ? "raw" : (known ? "encoded" : "unknown"),
      r->video_bitrate, threads);
  ret = TRUE;

done:
  gst_clear_caps (&input_caps);
  return ret;
}

static void
gst_ladder_x264_stop (GstLadderTranscoder * transcoder)
{
  GstLadderX264 *self = GST_LADDER_X264 (transcoder);

  GST_OBJECT_LOCK (self);
  gst_clear_object (&self->entry);
  gst_clear_object (&self->head);
  gst_clear_object (&self->scalefilter);
  gst_clear_object (&self->encoder);
  GST_OBJECT_UNLOCK (self);

  GST_LADDER_TRANSCODER_CLASS (gst_ladder_x264_parent_class)->stop (transcoder);
}

static gboolean
gst_ladder_x264_reconfigure (GstLadderTranscoder * transcoder,
    const GstLadderRendition * rendition, GError ** error)
{
  GstLadderX264 *self = GST_LADDER_X264 (transcoder);
  const GstLadderRendition *cur = gst_ladder_transcoder_get_rendition
      (transcoder);
  GstElement *encoder;

  /* only the bitrates change in place; anything else is a new rung */
  if (rendition->passthrough || g_strcmp0 (rendition->name, cur->name) != 0
      || rendition->width != cur->width || rendition->height != cur->height
      || rendition->fps_n != cur->fps_n || rendition->fps_d != cur->fps_d
      || rendition->keyframe_interval != cur->keyframe_interval) {
    g_set_error (error, GST_LADDER_ERROR, GST_LADDER_ERROR_REFUSED,
        "The x264 transcoder changes only the bitrate of rendition %s in "
        "place", cur->name);
    return FALSE;
  }

  GST_OBJECT_LOCK (self);
  encoder = self->encoder ? gst_object_ref (self->encoder) : NULL;
  GST_OBJECT_UNLOCK (self);

  if (encoder) {
    g_object_set (encoder, "bitrate", rendition->video_bitrate, NULL);
    gst_object_unref (encoder);
  }
  return TRUE;
}

static gint
round_even (gdouble v)
{
  gint n = 2 * (gint) floor (v / 2.0 + 0.5);

  return MAX (n, 2);
}

/* fits the source's display size into the rendition box */
static void
compute_output_size (gint in_w, gint in_h, gint par_n, gint par_d,
    gint box_w, gint box_h, gboolean upscale, gint * out_w, gint * out_h)
{
  gdouble src_w, src_h, scale;
  gint w, h;

  if (par_n <= 0 || par_d <= 0)
    par_n = par_d = 1;

  src_w = (gdouble) in_w *par_n / par_d;
  src_h = in_h;
  scale = MIN (box_w / src_w, box_h / src_h);
  if (!upscale && scale > 1.0)
    scale = 1.0;

  w = round_even (src_w * scale);
  h = round_even (src_h * scale);
  if (!upscale) {
    while (w > src_w && w > 2)
      w -= 2;
    while (h > src_h && h > 2)
      h -= 2;
  }
  *out_w = w;
  *out_h = h;
}

/* the size a rung makes of @rendition from @caps, as the caps probe
 * computes it, with allow-upscale at its default (what a ladder runs) */
static gboolean
gst_ladder_x264_scaled_size (GstLadderTranscoderClass * klass,
    const GstLadderRendition * rendition, const GstCaps * caps,
    gint * width, gint * height)
{
  const GstStructure *s;
  gint in_w, in_h, par_n = 1, par_d = 1;

  if (rendition->passthrough || rendition->width <= 0 || rendition->height <= 0
      || gst_caps_get_size (caps) == 0)
    return FALSE;
  s = gst_caps_get_structure (caps, 0);
  if (!gst_structure_has_name (s, "video/x-raw")
      || !gst_structure_get_int (s, "width", &in_w)
      || !gst_structure_get_int (s, "height", &in_h))
    return FALSE;
  gst_structure_get_fraction (s, "pixel-aspect-ratio", &par_n, &par_d);
  compute_output_size (in_w, in_h, par_n, par_d, rendition->width,
      rendition->height, DEFAULT_ALLOW_UPSCALE, width, height);
  return TRUE;
}

static gboolean
upstream_is_live (GstLadderX264 * self)
{
  GstPad *sink = gst_element_get_static_pad (GST_ELEMENT (self), "sink");
  gboolean live = gst_ladder_upstream_is_live (sink, FALSE);

  gst_object_unref (sink);
  return live;
}

/* on the first element after the decoder: sets the output caps and the
 * encoder settings that depend on the input, before the caps go on */
static GstPadProbeReturn
gst_ladder_x264_scale_probe (GstPad * pad, GstPadProbeInfo * info,
    gpointer user_data)
{
  GstLadderX264 *self = GST_LADDER_X264 (user_data);
  GstEvent *event = GST_PAD_PROBE_INFO_EVENT (info);
  const GstLadderRendition *r;
  GstElement *scalefilter, *encoder, *retime;
  GstStructure *s;
  GstCaps *caps, *out;
  GstPad *enc_sink;
  const gchar *colorimetry, *chroma_site;
  gint in_w, in_h, par_n = 1, par_d = 1, fps_n = 0, fps_d = 1, w, h;
  gboolean upscale, live;
  guint keyint_max;

  if (GST_EVENT_TYPE (event) != GST_EVENT_CAPS)
    return GST_PAD_PROBE_OK;

  gst_event_parse_caps (event, &caps);
  s = gst_caps_get_structure (caps, 0);
  if (!gst_structure_get_int (s, "width", &in_w)
      || !gst_structure_get_int (s, "height", &in_h)) {
    GST_WARNING_OBJECT (self, "input caps without a size: %" GST_PTR_FORMAT,
        caps);
    return GST_PAD_PROBE_OK;
  }
  gst_structure_get_fraction (s, "pixel-aspect-ratio", &par_n, &par_d);
  gst_structure_get_fraction (s, "framerate", &fps_n, &fps_d);

  r = gst_ladder_transcoder_get_rendition (GST_LADDER_TRANSCODER (self));

  GST_OBJECT_LOCK (self);
  upscale = self->allow_upscale;
  scalefilter = self->scalefilter ? gst_object_ref (self->scalefilter) : NULL;
  encoder = self->encoder ? gst_object_ref (self->encoder) : NULL;
  GST_OBJECT_UNLOCK (self);

  if (scalefilter == NULL || encoder == NULL)
    goto done;

  compute_output_size (in_w, in_h, par_n, par_d, r->width, r->height,
      upscale, &w, &h);

  /* 8-bit 4:2:0, what every H.264 player decodes (x264 would otherwise take
   * a 4:4:4 or 10-bit input as it is and make a High 4:4:4 stream) */
  out = gst_caps_from_string ("video/x-raw, format=(string){ I420, NV12 }");
  gst_caps_set_simple (out, "width", G_TYPE_INT, w, "height", G_TYPE_INT, h,
      "pixel-aspect-ratio", GST_TYPE_FRACTION, 1, 1, NULL);
  /* keep the source colours: no BT.709 to BT.601 conversion on the way */
  colorimetry = gst_structure_get_string (s, "colorimetry");
  if (colorimetry)
    gst_caps_set_simple (out, "colorimetry", G_TYPE_STRING, colorimetry, NULL);
  chroma_site = self->out_chroma_site ? self->out_chroma_site :
      gst_structure_get_string (s, "chroma-site");
  if (chroma_site)
    gst_caps_set_simple (out, "chroma-site", G_TYPE_STRING, chroma_site, NULL);
  if (r->fps_n > 0) {
    gst_caps_set_simple (out, "framerate", GST_TYPE_FRACTION, r->fps_n,
        r->fps_d, NULL);
    fps_n = r->fps_n;
    fps_d = r->fps_d;
  }

  if (fps_n <= 0 || fps_d <= 0) {
    fps_n = FALLBACK_FPS;
    fps_d = 1;
  }
  keyint_max = (guint) gst_util_uint64_scale_ceil (KEYINT_MAX_INTERVALS *
      r->keyframe_interval, fps_n, fps_d * GST_SECOND);
  keyint_max = MAX (keyint_max, 2);

  live = upstream_is_live (self);

  GST_INFO_OBJECT (self, "%dx%d -> %" GST_PTR_FORMAT ", key-int-max %u, %s",
      in_w, in_h, out, keyint_max, live ? "live" : "not live");

  g_object_set (scalefilter, "caps", out, NULL);
  gst_caps_unref (out);

  enc_sink = gst_element_get_static_pad (encoder, "sink");
  if (!gst_pad_is_linked (enc_sink)) {
    /* first caps: configure the encoder, then start it */
    g_object_set (encoder, "key-int-max", keyint_max, NULL);
    if (live)
      gst_util_set_object_arg (G_OBJECT (encoder), "tune", "zerolatency");
    retime = gst_bin_get_by_name (GST_BIN (self), "retime");
    if (retime == NULL || !gst_element_link (retime, encoder)) {
      GST_ELEMENT_ERROR (self, CORE, NEGOTIATION,
          ("Could not link the scaler to the encoder"), (NULL));
    } else {
      gst_element_set_locked_state (encoder, FALSE);
      if (!gst_element_sync_state_with_parent (encoder))
        GST_ELEMENT_ERROR (self, CORE, STATE_CHANGE,
            ("Could not start the x264 encoder"), (NULL));
    }
    gst_clear_object (&retime);
  } else {
    GST_DEBUG_OBJECT (self, "new input caps; the encoder keeps its "
        "settings");
  }
  gst_object_unref (enc_sink);

done:
  gst_clear_object (&scalefilter);
  gst_clear_object (&encoder);
  return GST_PAD_PROBE_OK;
}

/* on the entry element when the input caps were not known at start: links
 * raw video straight to the scaler, or puts a decoder in between */
static GstPadProbeReturn
gst_ladder_x264_entry_probe (GstPad * pad, GstPadProbeInfo * info,
    gpointer user_data)
{
  GstLadderX264 *self = GST_LADDER_X264 (user_data);
  GstEvent *event = GST_PAD_PROBE_INFO_EVENT (info);
  GstElement *entry, *head, *first = NULL, *decoder;
  GstPad *entry_src;
  GstCaps *caps;
  GError *err = NULL;
  GstPadProbeReturn ret = GST_PAD_PROBE_OK;

  if (GST_EVENT_TYPE (event) != GST_EVENT_CAPS)
    return GST_PAD_PROBE_OK;

  GST_OBJECT_LOCK (self);
  entry = self->entry ? gst_object_ref (self->entry) : NULL;
  head = self->head ? gst_object_ref (self->head) : NULL;
  GST_OBJECT_UNLOCK (self);
  if (entry == NULL || head == NULL)
    goto done;

  entry_src = gst_element_get_static_pad (entry, "src");
  if (gst_pad_is_linked (entry_src)) {
    /* decided on the first caps; later caps go through the same graph */
    gst_object_unref (entry_src);
    goto done;
  }

  gst_event_parse_caps (event, &caps);
  if (caps_are_raw_video (caps)) {
    GST_DEBUG_OBJECT (self, "raw input, no decoder");
    first = gst_object_ref (head);
  } else if ((first = build_decoder (self, caps, head, &err))) {
    gst_object_ref (first);
    /* downstream first, so that nothing pushes into a stopped element */
    decoder = gst_bin_get_by_name (GST_BIN (self), "decoder");
    gst_element_sync_state_with_parent (decoder);
    gst_object_unref (decoder);
    if (first != decoder)
      gst_element_sync_state_with_parent (first);
  }

  if (first == NULL || !gst_element_link (entry, first)) {
    if (err == NULL)
      g_set_error (&err, GST_LADDER_ERROR, GST_LADDER_ERROR_FAILED,
          "Could not link the input to the scaler");
    GST_ELEMENT_ERROR (self, CORE, MISSING_PLUGIN, ("%s", err->message),
        ("input caps %" GST_PTR_FORMAT, caps));
    g_clear_error (&err);
    ret = GST_PAD_PROBE_DROP;
  }
  gst_clear_object (&first);
  gst_object_unref (entry_src);

done:
  gst_clear_object (&entry);
  gst_clear_object (&head);
  return ret;
}
