/* gst-ladder
 * Copyright (C) 2026 The gst-ladder authors
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2 of the License, or (at your option) any later version.
 */

/**
 * SECTION:ladderresize
 * @title: GstLadderResize
 * @short_description: one step of the scaling cascade
 *
 * A #GstLadderTranscoder that scales raw video to the size its rendition
 * carries (made with gst_ladder_resize_rendition_new()), as 8-bit 4:2:0
 * with square pixels: what ladderx264 makes of its input before encoding.
 * The #GstLadderRunner makes one for each picture size its scaling rungs
 * need (a transcoder class with
 * #GstLadderTranscoderClass.scaled_size), from the smallest larger
 * picture it already makes, so that 240p is scaled from 480p rather than
 * from the 1080p source: every rung then encodes frames of its own size,
 * and its own scaler passes them through (docs/design.md, "The scaling
 * cascade").
 *
 * Inner graph: `videoconvert ! ladderscale method=lanczos ! capsfilter`.
 * The chroma siting is the `chroma-siting` property (centre by default,
 * as ladderx264's, which the `ladder` element sets on both).
 *
 * Since: 0.1
 */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "ladder.h"

GST_DEBUG_CATEGORY_STATIC (gst_ladder_resize_debug);
#define GST_CAT_DEFAULT gst_ladder_resize_debug

#define DEFAULT_CHROMA_SITING GST_LADDER_SCALE_CHROMA_SITING_CENTRE

enum
{
  PROP_0,
  PROP_CHROMA_SITING,
  PROP_LAST
};

static GParamSpec *properties[PROP_LAST];

/* Locking: chroma_siting under the object lock; the graph is built in
 * start. */
struct _GstLadderResize
{
  GstLadderTranscoder parent;

  GstLadderScaleChromaSiting chroma_siting;
  /* set in start, read by the caps probe of the streaming thread */
  GstLadderScaleChromaSiting siting;
  GstElement *filter;
};

G_DEFINE_TYPE_WITH_CODE (GstLadderResize, gst_ladder_resize,
    GST_TYPE_LADDER_TRANSCODER,
    GST_DEBUG_CATEGORY_INIT (gst_ladder_resize_debug, "ladderresize", 0,
        "ladder scaling cascade step"));

/**
 * gst_ladder_resize_rendition_new:
 * @width: the width, even, > 0
 * @height: the height, even, > 0
 *
 * The rendition of a resize step: `raw-<width>x<height>`, with the size
 * (its bitrates are not used). The rung keys and broadcasts of the steps
 * carry that name; a ladder rendition of the same name is still a
 * rendition of its own (its rung key has another transcoder, its output
 * another role).
 *
 * Returns: (transfer full) (nullable): a rendition, %NULL for a bad size
 *
 * Since: 0.1
 */
GstLadderRendition *
gst_ladder_resize_rendition_new (gint width, gint height)
{
  GstLadderRendition *r;

  g_return_val_if_fail (width > 0 && width % 2 == 0, NULL);
  g_return_val_if_fail (height > 0 && height % 2 == 0, NULL);

  r = gst_ladder_rendition_new_preset (GST_LADDER_RENDITION_SOURCE, NULL);
  g_free (r->name);
  r->name = g_strdup_printf ("%s-%dx%d", GST_LADDER_RENDITION_RAW, width,
      height);
  r->passthrough = FALSE;
  r->width = width;
  r->height = height;
  r->video_bitrate = 1;
  return r;
}

static gboolean
gst_ladder_resize_accept (GstLadderTranscoderClass * klass,
    const gchar * broadcast, const gchar * track, const GstCaps * caps,
    const GstLadderRendition * rendition)
{
  if (rendition->width <= 0 || rendition->height <= 0)
    return FALSE;
  return caps == NULL
      || gst_structure_has_name (gst_caps_get_structure (caps, 0),
      "video/x-raw");
}

/* The caps the step makes of @input: its own size when @input shows at
 * least that large a picture of the same shape (display aspect ratio,
 * within the rounding of a size to even numbers), else @input as it is. A
 * source that changes its size mid-stream to a smaller or differently
 * shaped picture then passes through unscaled, and the rung fed by this
 * step fits it into its box the way it fits any source (never larger): a
 * step never stretches or enlarges a picture. */
static GstCaps *
output_caps (GstLadderResize * self, const GstCaps * input)
{
  const GstLadderRendition *r = gst_ladder_transcoder_get_rendition
      (GST_LADDER_TRANSCODER (self));
  const GstStructure *in = NULL;
  const gchar *colorimetry = NULL, *chroma_site = NULL;
  gint w = r->width, h = r->height, par_n = 1, par_d = 1, in_w, in_h;
  GstCaps *caps;

  if (input && gst_caps_get_size (input) > 0) {
    in = gst_caps_get_structure (input, 0);
    colorimetry = gst_structure_get_string (in, "colorimetry");
    chroma_site = gst_structure_get_string (in, "chroma-site");
    if (gst_structure_get_int (in, "width", &in_w)
        && gst_structure_get_int (in, "height", &in_h)) {
      gint n = 1, d = 1;
      gdouble display_w;

      if (!gst_structure_get_fraction (in, "pixel-aspect-ratio", &n, &d)
          || n <= 0 || d <= 0)
        n = d = 1;
      display_w = (gdouble) in_w *n / d;
      if (display_w < w || in_h < h || ABS (display_w * h / in_h - w) > 2.0) {
        w = in_w;
        h = in_h;
        par_n = n;
        par_d = d;
      }
    }
  }
  if (self->siting == GST_LADDER_SCALE_CHROMA_SITING_CENTRE)
    chroma_site = "jpeg";
  caps = gst_caps_new_simple ("video/x-raw", "format", G_TYPE_STRING, "I420",
      "width", G_TYPE_INT, w, "height", G_TYPE_INT, h,
      "pixel-aspect-ratio", GST_TYPE_FRACTION, par_n, par_d, NULL);
  if (colorimetry)
    gst_caps_set_simple (caps, "colorimetry", G_TYPE_STRING, colorimetry, NULL);
  if (chroma_site)
    gst_caps_set_simple (caps, "chroma-site", G_TYPE_STRING, chroma_site, NULL);
  return caps;
}

/* every input caps: the filter asks for what the step makes of them */
static GstPadProbeReturn
caps_probe (GstPad * pad, GstPadProbeInfo * info, gpointer user_data)
{
  GstLadderResize *self = GST_LADDER_RESIZE (user_data);
  GstEvent *event = GST_PAD_PROBE_INFO_EVENT (info);
  GstCaps *input, *caps;

  if (GST_EVENT_TYPE (event) != GST_EVENT_CAPS)
    return GST_PAD_PROBE_OK;
  gst_event_parse_caps (event, &input);
  caps = output_caps (self, input);
  GST_INFO_OBJECT (self, "%" GST_PTR_FORMAT " -> %" GST_PTR_FORMAT, input,
      caps);
  g_object_set (self->filter, "caps", caps, NULL);
  gst_caps_unref (caps);
  return GST_PAD_PROBE_OK;
}

static gboolean
gst_ladder_resize_start (GstLadderTranscoder * transcoder, GError ** error)
{
  GstLadderResize *self = GST_LADDER_RESIZE (transcoder);
  GstCaps *input = gst_ladder_transcoder_get_input_caps (transcoder);
  GstElement *convert, *scale, *filter;
  GstCaps *caps;
  GstPad *sink, *src;
  gboolean ret;

  GST_OBJECT_LOCK (self);
  self->siting = self->chroma_siting;
  GST_OBJECT_UNLOCK (self);

  if (!(convert = gst_ladder_transcoder_make_element (transcoder,
              "videoconvert", "convert", error))) {
    gst_clear_caps (&input);
    return FALSE;
  }
  gst_bin_add (GST_BIN (self), convert);
  scale = g_object_new (GST_TYPE_LADDER_SCALE, "name", "scale", NULL);
  gst_bin_add (GST_BIN (self), scale);
  if (!(filter = gst_ladder_transcoder_make_element (transcoder,
              "capsfilter", "filter", error))) {
    gst_clear_caps (&input);
    return FALSE;
  }
  gst_bin_add (GST_BIN (self), filter);
  self->filter = filter;

  /* what ladderx264 asks its scaler for, so that its own scaler passes
   * the frames through: 8-bit 4:2:0, square pixels, the source's
   * colours, the chroma centred or as it came; asked again at every
   * input caps */
  gst_util_set_object_arg (G_OBJECT (scale), "method", "lanczos");
  g_object_set (scale, "chroma-siting", self->siting, NULL);
  caps = output_caps (self, input);
  g_object_set (filter, "caps", caps, NULL);
  GST_INFO_OBJECT (self, "%" GST_PTR_FORMAT " -> %" GST_PTR_FORMAT, input,
      caps);
  gst_caps_unref (caps);
  gst_clear_caps (&input);

  if (!gst_element_link_many (convert, scale, filter, NULL)) {
    g_set_error (error, GST_LADDER_ERROR, GST_LADDER_ERROR_FAILED,
        "Could not link the inner elements of the resize transcoder");
    return FALSE;
  }
  sink = gst_element_get_static_pad (convert, "sink");
  gst_pad_add_probe (sink, GST_PAD_PROBE_TYPE_EVENT_DOWNSTREAM, caps_probe,
      self, NULL);
  src = gst_element_get_static_pad (filter, "src");
  ret = gst_ladder_transcoder_set_targets (transcoder, sink, src);
  gst_object_unref (sink);
  gst_object_unref (src);
  if (!ret)
    g_set_error (error, GST_LADDER_ERROR, GST_LADDER_ERROR_FAILED,
        "Could not point the ghost pads at the resize graph");
  return ret;
}

static void
gst_ladder_resize_set_property (GObject * object, guint prop_id,
    const GValue * value, GParamSpec * pspec)
{
  GstLadderResize *self = GST_LADDER_RESIZE (object);

  switch (prop_id) {
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
gst_ladder_resize_get_property (GObject * object, guint prop_id,
    GValue * value, GParamSpec * pspec)
{
  GstLadderResize *self = GST_LADDER_RESIZE (object);

  switch (prop_id) {
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

static void
gst_ladder_resize_class_init (GstLadderResizeClass * klass)
{
  GObjectClass *gobject_class = G_OBJECT_CLASS (klass);
  GstElementClass *element_class = GST_ELEMENT_CLASS (klass);
  GstLadderTranscoderClass *transcoder_class =
      GST_LADDER_TRANSCODER_CLASS (klass);

  gobject_class->set_property = gst_ladder_resize_set_property;
  gobject_class->get_property = gst_ladder_resize_get_property;

  /**
   * GstLadderResize:chroma-siting:
   *
   * Where the chroma samples of 4:2:0 video sit, as
   * #GstLadderX264:chroma-siting: give both the same, or the rungs fed
   * by this step scale again.
   *
   * Since: 0.1
   */
  properties[PROP_CHROMA_SITING] = g_param_spec_enum ("chroma-siting",
      "Chroma siting", "Siting of 4:2:0 chroma, as ladderx264's: centre "
      "takes the input as centred and makes a centred output, auto follows "
      "the input caps' chroma-site; read at start",
      GST_TYPE_LADDER_SCALE_CHROMA_SITING, DEFAULT_CHROMA_SITING,
      G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | GST_PARAM_MUTABLE_READY);
  g_object_class_install_properties (gobject_class, PROP_LAST, properties);

  gst_element_class_set_static_metadata (element_class,
      "Ladder resize transcoder", "Filter/Converter/Video/Scaler/Bin",
      "Scales raw video to one size of a ladder's scaling cascade",
      "The gst-ladder authors");

  transcoder_class->name = "resize";
  transcoder_class->accept = gst_ladder_resize_accept;
  transcoder_class->start = gst_ladder_resize_start;
}

static void
gst_ladder_resize_init (GstLadderResize * self)
{
  self->chroma_siting = DEFAULT_CHROMA_SITING;
}
