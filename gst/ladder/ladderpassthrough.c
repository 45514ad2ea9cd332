/* gst-ladder
 * Copyright (C) 2026 The gst-ladder authors
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2 of the License, or (at your option) any later version.
 */

/**
 * SECTION:element-ladderpassthrough
 * @title: ladderpassthrough
 *
 * A #GstLadderTranscoder that forwards its track unchanged: the `source`
 * rung of a video track, and the audio carried into every rendition. Every
 * buffer, timestamp, flag, caps and event goes through as it came.
 *
 * It accepts audio tracks for any rendition, and video only for the
 * passthrough (`source`) rendition. Made without a rendition (as from
 * gst-launch-1.0) it uses `source`.
 *
 * ## Example launch line
 * |[
 * gst-launch-1.0 videotestsrc num-buffers=30 ! ladderpassthrough ! fakesink
 * ]|
 *
 * Since: 0.1
 */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "ladder.h"

GST_DEBUG_CATEGORY_STATIC (gst_ladder_passthrough_debug);
#define GST_CAT_DEFAULT gst_ladder_passthrough_debug

struct _GstLadderPassthrough
{
  GstLadderTranscoder parent;
};

G_DEFINE_TYPE_WITH_CODE (GstLadderPassthrough, gst_ladder_passthrough,
    GST_TYPE_LADDER_TRANSCODER,
    GST_DEBUG_CATEGORY_INIT (gst_ladder_passthrough_debug,
        "ladderpassthrough", 0, "ladder passthrough transcoder"));

GST_ELEMENT_REGISTER_DEFINE (ladderpassthrough, "ladderpassthrough",
    GST_RANK_NONE, GST_TYPE_LADDER_PASSTHROUGH);

static gboolean
gst_ladder_passthrough_accept (GstLadderTranscoderClass * klass,
    const gchar * broadcast, const gchar * track, const GstCaps * caps,
    const GstLadderRendition * rendition)
{
  /* audio is carried into every rendition; video only as the source rung */
  if (gst_ladder_track_is_audio (track, caps))
    return TRUE;
  return rendition->passthrough;
}

static gboolean
gst_ladder_passthrough_start (GstLadderTranscoder * transcoder, GError ** error)
{
  GstElement *identity;
  GstPad *sink, *src;
  gboolean ret;

  identity = gst_ladder_transcoder_make_element (transcoder, "identity",
      "passthrough", error);
  if (identity == NULL)
    return FALSE;
  g_object_set (identity, "silent", TRUE, NULL);
  gst_bin_add (GST_BIN (transcoder), identity);

  sink = gst_element_get_static_pad (identity, "sink");
  src = gst_element_get_static_pad (identity, "src");
  ret = gst_ladder_transcoder_set_targets (transcoder, sink, src);
  gst_object_unref (sink);
  gst_object_unref (src);

  if (!ret)
    g_set_error (error, GST_LADDER_ERROR, GST_LADDER_ERROR_FAILED,
        "Could not point the ghost pads at the inner element");
  return ret;
}

static void
gst_ladder_passthrough_class_init (GstLadderPassthroughClass * klass)
{
  GstElementClass *element_class = GST_ELEMENT_CLASS (klass);
  GstLadderTranscoderClass *transcoder_class =
      GST_LADDER_TRANSCODER_CLASS (klass);

  gst_element_class_set_static_metadata (element_class,
      "Ladder passthrough transcoder", "Generic/Bin",
      "Carries a track into a rendition unchanged (the source rung, audio)",
      "The gst-ladder authors");

  transcoder_class->name = "passthrough";
  transcoder_class->decodes_video = FALSE;
  transcoder_class->default_rendition = GST_LADDER_RENDITION_SOURCE;
  transcoder_class->accept = gst_ladder_passthrough_accept;
  transcoder_class->start = gst_ladder_passthrough_start;
}

static void
gst_ladder_passthrough_init (GstLadderPassthrough * self)
{
}
