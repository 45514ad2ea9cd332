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
 * SECTION:element-ladderdecode
 * @title: ladderdecode
 *
 * A #GstLadderTranscoder that decodes encoded video (H.264, H.265, any
 * video decodebin can decode) into raw video. It is the one decoding path
 * of gst-ladder: the runner feeds every rung that needs raw video
 * (#GstLadderTranscoderClass.decodes_video) of one encoded source from one
 * shared `ladderdecode` rung, and a standalone `ladderx264` given encoded
 * input puts one in front of its scaler.
 *
 * Inside are the highest-ranked parser (when there is one) and decoder for
 * the input caps (`h264parse ! avdec_h264` for H.264), chosen at start
 * when the caps are known (the runner sets them), else on the first caps.
 * Not `decodebin`: its asynchronous state change would make a playing
 * pipeline lose its state each time a decode starts. The decoder's threads
 * are sized for a ladder (one per 1080p worth of pixels, at most half the
 * processors: every rung already runs in threads of its own), and libav
 * decoders run without direct rendering (one copy per frame into a pooled
 * buffer instead of a deep copy of every shared frame). Encoded video that
 * no installed decoder takes fails the start with a missing-decoder
 * message and %GST_LADDER_ERROR_MISSING_ELEMENT.
 *
 * It accepts encoded video only.
 *
 * ## Example launch line
 * |[
 * gst-launch-1.0 videotestsrc num-buffers=30 ! x264enc ! h264parse ! ladderdecode ! fakesink
 * ]|
 *
 * Since: 0.1
 */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <gst/pbutils/pbutils.h>

#include "ladder.h"
#include "ladderdecode-private.h"

GST_DEBUG_CATEGORY_STATIC (gst_ladder_decode_debug);
#define GST_CAT_DEFAULT gst_ladder_decode_debug

/* Locking: the inner graph is built in start, or once by the streaming
 * thread of the first caps when they were not known then. */
struct _GstLadderDecode
{
  GstLadderTranscoder parent;

};

G_DEFINE_TYPE_WITH_CODE (GstLadderDecode, gst_ladder_decode,
    GST_TYPE_LADDER_TRANSCODER,
    GST_DEBUG_CATEGORY_INIT (gst_ladder_decode_debug, "ladderdecode", 0,
        "ladder decode transcoder"));

GST_ELEMENT_REGISTER_DEFINE (ladderdecode, "ladderdecode", GST_RANK_NONE,
    GST_TYPE_LADDER_DECODE);

/**
 * gst_ladder_decode_rendition_new:
 *
 * The rendition a shared decode is made for: the input decoded, unchanged
 * (%GST_LADDER_RENDITION_RAW).
 *
 * Returns: (transfer full): a new rendition; free with
 *   gst_ladder_rendition_free().
 *
 * Since: 0.1
 */
GstLadderRendition *
gst_ladder_decode_rendition_new (void)
{
  GstLadderRendition *r =
      gst_ladder_rendition_new_preset (GST_LADDER_RENDITION_SOURCE, NULL);

  g_free (r->name);
  r->name = g_strdup (GST_LADDER_RENDITION_RAW);
  return r;
}

/* Encoded video (or images): what a decode takes */
gboolean
gst_ladder_decode_caps_are_encoded (const GstCaps * caps)
{
  const gchar *name;

  if (caps == NULL || gst_caps_is_empty (caps) || gst_caps_is_any (caps))
    return FALSE;
  name = gst_structure_get_name (gst_caps_get_structure (caps, 0));
  return (g_str_has_prefix (name, "video/") || g_str_has_prefix (name,
          "image/")) && !g_str_equal (name, "video/x-raw");
}

/* the best factory of @type whose sink pad takes @caps, or NULL */
static GstElementFactory *
find_factory (GstElementFactoryListType type, const GstCaps * caps)
{
  GList *all, *found;
  GstElementFactory *factory = NULL;

  /* sorted by decreasing rank */
  all = gst_element_factory_list_get_elements (type, GST_RANK_MARGINAL);
  found = gst_element_factory_list_filter (all, caps, GST_PAD_SINK, FALSE);
  if (found)
    factory = gst_object_ref (found->data);
  gst_plugin_feature_list_free (found);
  gst_plugin_feature_list_free (all);
  return factory;
}

/* The highest-ranked parser (NULL when there is none) and decoder for
 * @caps; FALSE, with neither, when no decoder takes them */
static gboolean
pick_factories (const GstCaps * caps, GstElementFactory ** parser,
    GstElementFactory ** decoder)
{
  GstCaps *media = gst_caps_new_empty_simple (gst_structure_get_name
      (gst_caps_get_structure (caps, 0)));

  *parser = find_factory (GST_ELEMENT_FACTORY_TYPE_PARSER, caps);
  /* a parser turns the stream into what the decoder wants: only the media
   * type has to match then */
  *decoder = find_factory (GST_ELEMENT_FACTORY_TYPE_DECODER |
      GST_ELEMENT_FACTORY_TYPE_MEDIA_VIDEO |
      GST_ELEMENT_FACTORY_TYPE_MEDIA_IMAGE, *parser ? media : caps);
  gst_caps_unref (media);
  if (*decoder == NULL)
    gst_clear_object (parser);
  return *decoder != NULL;
}

/* posts a missing-decoder message from @poster, so that an application
 * can offer to install one, and sets @error */
static void
missing_decoder (GstElement * poster, const GstCaps * caps, GError ** error)
{
  GstMessage *msg = gst_missing_decoder_message_new (poster, caps);

  if (msg)
    gst_element_post_message (poster, msg);
  g_set_error (error, GST_LADDER_ERROR, GST_LADDER_ERROR_MISSING_ELEMENT,
      "No decoder is installed for the input %s",
      gst_structure_get_name (gst_caps_get_structure (caps, 0)));
}

/* When @caps (may be NULL: not known yet) are encoded video that no
 * installed decoder takes: says so from @poster (a missing-decoder message
 * and %GST_LADDER_ERROR_MISSING_ELEMENT in @error) and returns FALSE. */
gboolean
gst_ladder_decode_check_input (GstElement * poster, const GstCaps * caps,
    GError ** error)
{
  GstElementFactory *parser, *decoder;

  if (!gst_ladder_decode_caps_are_encoded (caps) || !gst_caps_is_fixed (caps))
    return TRUE;
  if (!pick_factories (caps, &parser, &decoder)) {
    missing_decoder (poster, caps, error);
    return FALSE;
  }
  gst_clear_object (&parser);
  gst_object_unref (decoder);
  return TRUE;
}

static gboolean
gst_ladder_decode_accept (GstLadderTranscoderClass * klass,
    const gchar * broadcast, const gchar * track, const GstCaps * caps,
    const GstLadderRendition * rendition)
{
  return gst_ladder_decode_caps_are_encoded (caps);
}

/* Decoder threads sized for the ladder rather than for the machine: every
 * rung already runs in its own thread (and its encoder in its own), so
 * frame threads in the decoder only add CPU (on 2 cores a 1080p H.264
 * decode costs 14 % more CPU with libav's automatic threads than with one)
 * and memory.  One thread per 1080p worth of pixels, at most half the
 * processors. */
static guint
decode_threads_for (const GstCaps * caps)
{
  gint width = 0, height = 0;
  guint64 pixels;
  guint threads, max_threads;
  GstStructure *s = gst_caps_get_structure (caps, 0);

  gst_structure_get_int (s, "width", &width);
  gst_structure_get_int (s, "height", &height);
  pixels = (guint64) MAX (width, 1) * MAX (height, 1);
  threads = (guint) ((pixels + 1920 * 1088 - 1) / (1920 * 1088));
  max_threads = MAX (1, g_get_num_processors () / 2);
  return CLAMP (threads, 1, max_threads);
}

static void
tune_decoder (GstLadderDecode * self, GstElement * decoder,
    const GstCaps * caps)
{
  GParamSpec *pspec;
  guint threads;

  /* the libav decoders' property; other decoders keep their own choice */
  pspec = g_object_class_find_property (G_OBJECT_GET_CLASS (decoder),
      "max-threads");
  if (pspec == NULL || pspec->value_type != G_TYPE_INT)
    return;

  threads = decode_threads_for (caps);
  GST_DEBUG_OBJECT (self, "%s: %u decoder threads", GST_OBJECT_NAME (decoder),
      threads);
  g_object_set (decoder, "max-threads", (gint) threads, NULL);

  /* Direct rendering makes libav decode into the output buffers and keep
   * the reference frames among them mapped for writing; the base class
   * then cannot share such a buffer and deep-copies it into freshly
   * allocated memory on every frame (page faults included).  Without it,
   * libav decodes into its own recycled frames and each frame is copied
   * once into a pooled buffer: measured on the benchmark ladder, 3.8 %
   * of the CPU in that copy with direct rendering, 1.8 % without. */
  if (g_object_class_find_property (G_OBJECT_GET_CLASS (decoder),
          "direct-rendering"))
    g_object_set (decoder, "direct-rendering", FALSE, NULL);
}

/* A framerate that is no rate (a negative or zero denominator, a negative
 * numerator: what a decoder may read from corrupt timing info) is made
 * unknown, 0/1, as caps without one: the renditions fed by this decode
 * refuse such caps, and they can still be made without it. */
static GstPadProbeReturn
fix_framerate_probe (GstPad * pad, GstPadProbeInfo * info, gpointer user_data)
{
  GstEvent *event = GST_PAD_PROBE_INFO_EVENT (info);
  GstCaps *caps;
  const GValue *rate;

  if (GST_EVENT_TYPE (event) != GST_EVENT_CAPS)
    return GST_PAD_PROBE_OK;
  gst_event_parse_caps (event, &caps);
  if (gst_caps_get_size (caps) == 0)
    return GST_PAD_PROBE_OK;
  rate = gst_structure_get_value (gst_caps_get_structure (caps, 0),
      "framerate");
  if (rate == NULL || !GST_VALUE_HOLDS_FRACTION (rate)
      || (gst_value_get_fraction_numerator (rate) >= 0
          && gst_value_get_fraction_denominator (rate) > 0))
    return GST_PAD_PROBE_OK;

  GST_WARNING_OBJECT (pad, "the decoder gave framerate %d/%d: made unknown",
      gst_value_get_fraction_numerator (rate),
      gst_value_get_fraction_denominator (rate));
  caps = gst_caps_copy (caps);
  gst_caps_set_simple (caps, "framerate", GST_TYPE_FRACTION, 0, 1, NULL);
  info->data = gst_event_new_caps (caps);
  gst_caps_unref (caps);
  gst_event_unref (event);
  return GST_PAD_PROBE_OK;
}

/* Adds the highest-ranked parser (when there is one) and decoder for
 * @caps, links them to the src ghost pad, and returns the first of them,
 * not linked upstream. A plain parser and decoder rather than decodebin:
 * decodebin changes state asynchronously, which would make a playing
 * pipeline lose its state each time a decode starts. */
static GstElement *
build_decoder (GstLadderDecode * self, const GstCaps * caps, GError ** error)
{
  GstElementFactory *parser_factory, *decoder_factory;
  GstElement *parser = NULL, *decoder;
  GstPad *src;
  gboolean ret;

  if (!pick_factories (caps, &parser_factory, &decoder_factory)) {
    missing_decoder (GST_ELEMENT (self), caps, error);
    return NULL;
  }

  decoder = gst_element_factory_create (decoder_factory, "decoder");
  if (parser_factory)
    parser = gst_element_factory_create (parser_factory, "parser");
  GST_INFO_OBJECT (self, "decoding %" GST_PTR_FORMAT " with %s%s%s", caps,
      parser ? GST_OBJECT_NAME (parser_factory) : "",
      parser ? " and " : "", GST_OBJECT_NAME (decoder_factory));
  gst_clear_object (&parser_factory);
  gst_object_unref (decoder_factory);
  if (decoder == NULL) {
    g_set_error (error, GST_LADDER_ERROR, GST_LADDER_ERROR_FAILED,
        "Could not create a decoder for the input");
    gst_clear_object (&parser);
    return NULL;
  }

  tune_decoder (self, decoder, caps);
  gst_bin_add (GST_BIN (self), decoder);
  if (parser) {
    gst_bin_add (GST_BIN (self), parser);
    if (!gst_element_link (parser, decoder)) {
      g_set_error (error, GST_LADDER_ERROR, GST_LADDER_ERROR_FAILED,
          "Could not link the parser to the decoder");
      return NULL;
    }
  }
  src = gst_element_get_static_pad (decoder, "src");
  gst_pad_add_probe (src, GST_PAD_PROBE_TYPE_EVENT_DOWNSTREAM,
      fix_framerate_probe, NULL, NULL);
  ret = gst_ladder_transcoder_set_src_target (GST_LADDER_TRANSCODER (self),
      src);
  gst_object_unref (src);
  if (!ret) {
    g_set_error (error, GST_LADDER_ERROR, GST_LADDER_ERROR_FAILED,
        "Could not point the src pad at the decoder");
    return NULL;
  }
  return parser ? parser : decoder;
}

/* on the entry element when the input caps were not known at start: puts
 * the parser and decoder for the first caps behind it */
static GstPadProbeReturn
entry_probe (GstPad * pad, GstPadProbeInfo * info, gpointer user_data)
{
  GstLadderDecode *self = GST_LADDER_DECODE (user_data);
  GstEvent *event = GST_PAD_PROBE_INFO_EVENT (info);
  GstElement *entry, *first;
  GstCaps *caps;
  GError *err = NULL;

  if (GST_EVENT_TYPE (event) != GST_EVENT_CAPS)
    return GST_PAD_PROBE_OK;

  gst_event_parse_caps (event, &caps);
  entry = gst_bin_get_by_name (GST_BIN (self), "entry");
  first = build_decoder (self, caps, &err);
  if (first == NULL || !gst_element_link (entry, first)) {
    if (err == NULL)
      g_set_error (&err, GST_LADDER_ERROR, GST_LADDER_ERROR_FAILED,
          "Could not link the input to the decoder");
    GST_ELEMENT_ERROR (self, STREAM, DECODE, ("%s", err->message),
        ("input caps %" GST_PTR_FORMAT, caps));
    g_clear_error (&err);
    gst_object_unref (entry);
    return GST_PAD_PROBE_DROP;
  }
  /* downstream first, so that nothing pushes into a stopped element */
  {
    GstElement *decoder = gst_bin_get_by_name (GST_BIN (self), "decoder");

    gst_element_sync_state_with_parent (decoder);
    if (first != decoder)
      gst_element_sync_state_with_parent (first);
    gst_object_unref (decoder);
  }
  gst_object_unref (entry);
  /* decided on the first caps; later caps go through the same graph */
  return GST_PAD_PROBE_REMOVE;
}

static gboolean
gst_ladder_decode_start (GstLadderTranscoder * transcoder, GError ** error)
{
  GstLadderDecode *self = GST_LADDER_DECODE (transcoder);
  GstCaps *caps = gst_ladder_transcoder_get_input_caps (transcoder);
  GstElement *first;
  GstPad *sink;
  gboolean ret;

  if (caps && gst_caps_is_fixed (caps)) {
    first = build_decoder (self, caps, error);
  } else {
    /* decided when the caps arrive */
    first = gst_ladder_transcoder_make_element (transcoder, "identity",
        "entry", error);
    if (first) {
      g_object_set (first, "silent", TRUE, NULL);
      gst_bin_add (GST_BIN (self), first);
      sink = gst_element_get_static_pad (first, "src");
      gst_pad_add_probe (sink, GST_PAD_PROBE_TYPE_EVENT_DOWNSTREAM,
          entry_probe, self, NULL);
      gst_object_unref (sink);
    }
  }
  gst_clear_caps (&caps);
  if (first == NULL)
    return FALSE;

  sink = gst_element_get_static_pad (first, "sink");
  ret = gst_ladder_transcoder_set_targets (transcoder, sink, NULL);
  gst_object_unref (sink);
  if (!ret) {
    g_set_error (error, GST_LADDER_ERROR, GST_LADDER_ERROR_FAILED,
        "Could not point the sink pad at the decoder");
    return FALSE;
  }
  /* with a decoder built, the src target is set already; set_targets
   * cleared it */
  {
    GstElement *decoder = gst_bin_get_by_name (GST_BIN (self), "decoder");

    if (decoder) {
      GstPad *src = gst_element_get_static_pad (decoder, "src");

      gst_ladder_transcoder_set_src_target (transcoder, src);
      gst_object_unref (src);
      gst_object_unref (decoder);
    }
  }
  return TRUE;
}

static void
gst_ladder_decode_class_init (GstLadderDecodeClass * klass)
{
  GstElementClass *element_class = GST_ELEMENT_CLASS (klass);
  GstLadderTranscoderClass *transcoder_class =
      GST_LADDER_TRANSCODER_CLASS (klass);

  gst_element_class_set_static_metadata (element_class,
      "Ladder decode transcoder", "Codec/Decoder/Video/Bin",
      "Decodes encoded video once for the rungs of a ladder",
      "The gst-ladder authors");

  transcoder_class->name = "decode";
  transcoder_class->decodes_video = FALSE;
  transcoder_class->default_rendition = GST_LADDER_RENDITION_SOURCE;
  transcoder_class->accept = gst_ladder_decode_accept;
  transcoder_class->start = gst_ladder_decode_start;
}

static void
gst_ladder_decode_init (GstLadderDecode * self)
{
}
