/* gst-ladder
 * Copyright (C) 2026 The gst-ladder authors
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2 of the License, or (at your option) any later version.
 */

#pragma once

#include <gst/ladder/ladder-prelude.h>
#include <gst/ladder/ladderrendition.h>

G_BEGIN_DECLS
/**
 * GST_TYPE_LADDER_TRANSCODER:
 *
 * The #GType of #GstLadderTranscoder.
 *
 * Since: 0.1
 */
#define GST_TYPE_LADDER_TRANSCODER (gst_ladder_transcoder_get_type ())
GST_LADDER_API
G_DECLARE_DERIVABLE_TYPE (GstLadderTranscoder, gst_ladder_transcoder, GST,
    LADDER_TRANSCODER, GstBin);

/**
 * GstLadderTranscoder:
 *
 * The opaque instance of the abstract transcoder bin. Read its context with
 * gst_ladder_transcoder_get_rendition() and friends.
 *
 * Since: 0.1
 */

/**
 * GstLadderTranscoderClass:
 * @parent_class: the parent class.
 * @name: the transcoder's name ("passthrough", "x264", ...), unique among
 *   the transcoders of one runner; part of every rung key and message.
 *   Mandatory: set it in class_init.
 * @decodes_video: %TRUE when the transcoder needs raw video: the runner
 *   feeds every such rung of one encoded source from one shared
 *   #GstLadderDecode rung, so a source is decoded once, not once per rung.
 *   Given encoded input alone, such a transcoder puts a #GstLadderDecode in
 *   front of itself (the one decoding path).
 * @default_rendition: Optional. The rendition string (see
 *   gst_ladder_rendition_from_string()) an instance uses when it is made
 *   without a rendition, as gst-launch-1.0 does; %NULL means
 *   %GST_LADDER_RENDITION_SOURCE. Set it in class_init.
 * @accept: Optional. Says whether the transcoder takes a (broadcast, track,
 *   caps, rendition) context; returning %FALSE is the opt-out (no rung is
 *   made). @broadcast, @track and @caps may be %NULL when not known (@caps
 *   when the caps are not known yet); @rendition is never %NULL. Called from
 *   any thread, on the class, with no lock held: it must not touch instance
 *   state and must be cheap. The default accepts everything.
 * @start: Mandatory. Builds the inner graph: adds the elements, links them
 *   and points the sink and src ghost pads at them with
 *   gst_ladder_transcoder_set_targets(). Called from the thread that sets
 *   the state, in the NULL to READY state change, before the children
 *   change state, with no lock held; the rendition, broadcast, track and
 *   input caps are set by then. Return %FALSE with @error set on failure
 *   (a missing element reported with gst_ladder_transcoder_make_element()
 *   or gst_ladder_transcoder_missing_element()): the base class then runs
 *   @stop to undo what was built, posts an ERROR message carrying @error
 *   (its domain, code and message) and fails the state change; a rung turns
 *   that into a panic in the start phase.
 * @stop: Optional. Undoes @start; called from the thread that sets the
 *   state, in the READY to NULL state change after the children reached
 *   NULL, and after a failed @start; no lock held. The default removes
 *   every child and clears the ghost pad targets. An override that keeps
 *   its own references should drop them and chain up.
 * @reconfigure: Optional. Applies an edited rendition in place while
 *   playing. Called through gst_ladder_transcoder_reconfigure() from an
 *   application thread, never from a streaming thread, with no lock held.
 *   Return %FALSE with @error set when it cannot: the rung is then
 *   recreated. Without it, every edit recreates the rung.
 * @scaled_size: Optional. The picture size an instance makes of
 *   @rendition from raw video of @caps (fixed), if it scales: then the
 *   runner hands it frames already at that size, scaled by a
 *   #GstLadderResize step from the smallest larger size it makes anyway
 *   (the scaling cascade), and the instance's own scaler should pass them
 *   through. Return %FALSE to take the decoded source as it is. Called on
 *   the class from the runner thread, no lock held; must be cheap and
 *   touch no instance.
 *
 * The class is the factory: its @name and @accept say what rungs the runner
 * makes of it, and gst_ladder_transcoder_new() makes one for a context.
 *
 * Locking: the rendition, broadcast, track and input caps of an instance
 * are set at construction and only change through @reconfigure, under the
 * object lock; a subclass reads them from @start and from its streaming
 * threads through the getters. The base class never holds its object lock
 * while calling a vfunc, posting a message or changing state.
 *
 * Since: 0.1
 */
struct _GstLadderTranscoderClass
{
  GstBinClass parent_class;

  /*< public > */
  const gchar *name;
  gboolean decodes_video;
  const gchar *default_rendition;

    gboolean (*accept) (GstLadderTranscoderClass * klass,
      const gchar * broadcast, const gchar * track, const GstCaps * caps,
      const GstLadderRendition * rendition);

    gboolean (*start) (GstLadderTranscoder * self, GError ** error);
  void (*stop) (GstLadderTranscoder * self);
    gboolean (*reconfigure) (GstLadderTranscoder * self,
      const GstLadderRendition * rendition, GError ** error);
    gboolean (*scaled_size) (GstLadderTranscoderClass * klass,
      const GstLadderRendition * rendition, const GstCaps * caps,
      gint * width, gint * height);

  /*< private > */
  gpointer _gst_reserved[GST_PADDING_LARGE - 2];
};

GST_LADDER_API
    GstElement * gst_ladder_transcoder_new (GType transcoder_type,
    const GstLadderRendition * rendition, const gchar * broadcast,
    const gchar * track, const GstCaps * caps, GError ** error);

GST_LADDER_API
    gboolean gst_ladder_transcoder_type_scaled_size (GType transcoder_type,
    const GstLadderRendition * rendition, const GstCaps * caps, gint * width,
    gint * height);

GST_LADDER_API
    gboolean gst_ladder_transcoder_type_accepts (GType transcoder_type,
    const gchar * broadcast, const gchar * track, const GstCaps * caps,
    const GstLadderRendition * rendition);

GST_LADDER_API
    const gchar *gst_ladder_transcoder_type_get_name (GType transcoder_type);

GST_LADDER_API
    const GstLadderRendition
    * gst_ladder_transcoder_get_rendition (GstLadderTranscoder * self);

GST_LADDER_API
    GstLadderRendition *
gst_ladder_transcoder_dup_rendition (GstLadderTranscoder * self);

GST_LADDER_API
    const gchar *gst_ladder_transcoder_get_broadcast (GstLadderTranscoder *
    self);

GST_LADDER_API
    const gchar *gst_ladder_transcoder_get_track (GstLadderTranscoder * self);

GST_LADDER_API
    GstCaps * gst_ladder_transcoder_get_input_caps (GstLadderTranscoder * self);

GST_LADDER_API
    gboolean gst_ladder_transcoder_set_targets (GstLadderTranscoder * self,
    GstPad * sink_target, GstPad * src_target);

GST_LADDER_API
    gboolean gst_ladder_transcoder_set_src_target (GstLadderTranscoder * self,
    GstPad * src_target);

GST_LADDER_API
    GstElement * gst_ladder_transcoder_make_element (GstLadderTranscoder * self,
    const gchar * factory_name, const gchar * name, GError ** error);

GST_LADDER_API
    void gst_ladder_transcoder_missing_element (GstLadderTranscoder * self,
    const gchar * factory_name, GError ** error);

GST_LADDER_API
    gboolean gst_ladder_transcoder_reconfigure (GstLadderTranscoder * self,
    const GstLadderRendition * rendition, GError ** error);

GST_LADDER_API
    gboolean gst_ladder_track_is_audio (const gchar * track,
    const GstCaps * caps);

GST_LADDER_API
    gboolean gst_ladder_track_is_video (const gchar * track,
    const GstCaps * caps);

G_END_DECLS
