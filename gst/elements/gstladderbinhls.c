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

/* The HLS output of the ladder element (#GstLadderBin:hls-location): the
 * internal ladderhlssink, its pads requested per (track, rendition) ahead
 * of the outputs, the outputs linked to them (through a parser for what
 * comes in as the input came) and released once a rendition has gone.
 * Locking as documented in gstladderbin-private.h. */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <gst/ladder/ladder.h>
#include <gst/pbutils/pbutils.h>

#include "gstladderbin-private.h"
#include "gstladderhlssink.h"

#define GST_CAT_DEFAULT gst_ladder_bin_debug

/* bits per second of @track in @rendition, for the HLS playlists */
static guint
track_bitrate (GstLadderBin * self, const gchar * rendition,
    const gchar * track)
{
  const GstLadderRendition *r;
  guint kbps = 0;

  GST_OBJECT_LOCK (self);
  r = gst_ladder_bin_find_rendition_unlocked (self, rendition);
  if (r)
    kbps = g_str_equal (track, "video") ? r->video_bitrate : r->audio_bitrate;
  GST_OBJECT_UNLOCK (self);
  return kbps * 1000;
}

/* A parser for what comes in on @track, or NULL when none is needed or
 * found. */
static GstElement *
make_parser_for_input (GstLadderBin * self, const gchar * track)
{
  GstElement *input, *parser = NULL;
  GstCaps *caps = NULL;
  GList *all, *usable;

  GST_OBJECT_LOCK (self);
  input = self->inputs[g_str_equal (track, "video") ? 0 : 1];
  if (input)
    gst_object_ref (input);
  GST_OBJECT_UNLOCK (self);
  if (input == NULL)
    return NULL;

  g_object_get (input, "caps", &caps, NULL);
  gst_object_unref (input);
  if (caps == NULL)
    return NULL;

  all = gst_element_factory_list_get_elements (GST_ELEMENT_FACTORY_TYPE_PARSER,
      GST_RANK_MARGINAL);
  usable = gst_element_factory_list_filter (all, caps, GST_PAD_SINK, FALSE);
  usable = g_list_sort (usable, gst_plugin_feature_rank_compare_func);
  if (usable)
    parser = gst_element_factory_create (usable->data, NULL);
  gst_plugin_feature_list_free (usable);
  gst_plugin_feature_list_free (all);
  GST_DEBUG_OBJECT (self, "parser for %" GST_PTR_FORMAT ": %s", caps,
      parser ? GST_ELEMENT_NAME (parser) : "none");
  gst_caps_unref (caps);
  return parser;
}

/* The HLS sink pad of one (track, rendition), requested ahead of its
 * output: the HLS sink then waits for every track of a rendition, instead
 * of ending a rendition whose video is still being encoded when its audio
 * ended. Returns a new ref, or NULL without HLS output.
 *
 * Called from the runner thread (an output announced) and from the
 * threads that edit the ladder or request an input pad. One request at a
 * time: two threads asking for one pad both get it. A pad is kept only
 * while its rendition is in the ladder, checked again once it exists: a
 * rendition removed meanwhile released what was kept before (its pads are
 * released after it left the ladder), and a pad kept for it now would
 * never be released, the HLS sink waiting for its EOS. */
static GstPad *
hls_pad_for (GstLadderBin * self, const gchar * track, const gchar * rendition)
{
  GstElement *hls;
  GstPad *pad = NULL, *refused = NULL;
  gchar *name = g_strdup_printf ("%s_%s", track, rendition);

  g_mutex_lock (&self->hls_request_lock);
  GST_OBJECT_LOCK (self);
  hls = self->hlssink ? gst_object_ref (self->hlssink) : NULL;
  if (hls == NULL
      || gst_ladder_bin_find_rendition_unlocked (self, rendition) == NULL) {
    GST_OBJECT_UNLOCK (self);
    goto done;
  }
  pad = g_hash_table_lookup (self->hls_pads, name);
  if (pad) {
    gst_object_ref (pad);
    GST_OBJECT_UNLOCK (self);
    goto done;
  }
  GST_OBJECT_UNLOCK (self);

  pad = gst_element_request_pad_simple (hls, name);
  if (pad == NULL) {
    GST_ELEMENT_WARNING (self, STREAM, FAILED,
        ("The HLS output refused the rendition %s.", name), (NULL));
    goto done;
  }
  g_object_set (pad, "bitrate", track_bitrate (self, rendition, track), NULL);

  GST_OBJECT_LOCK (self);
  if (gst_ladder_bin_find_rendition_unlocked (self, rendition) == NULL)
    refused = g_steal_pointer (&pad);
  else
    g_hash_table_insert (self->hls_pads, g_strdup (name), gst_object_ref (pad));
  GST_OBJECT_UNLOCK (self);

  if (refused) {
    GST_INFO_OBJECT (self, "%s: its rendition left as it was requested", name);
    gst_element_release_request_pad (hls, refused);
    gst_object_unref (refused);
  }

done:
  g_mutex_unlock (&self->hls_request_lock);
  if (hls)
    gst_object_unref (hls);
  g_free (name);
  return pad;
}

/* Whether a new rendition may take the name @rendition in the HLS output:
 * TRUE without one. A rendition of that name still ending, or one that
 * wrote segments and ended earlier in this run (its files stay), holds the
 * name (gst_ladder_hls_sink_name_is_free()); @error then says so. */
gboolean
gst_ladder_bin_hls_name_is_free (GstLadderBin * self, const gchar * rendition,
    GError ** error)
{
  gboolean free = TRUE;
#ifdef HAVE_LADDER_HLS
  GstElement *hls;

  GST_OBJECT_LOCK (self);
  hls = self->hlssink ? gst_object_ref (self->hlssink) : NULL;
  GST_OBJECT_UNLOCK (self);
  if (hls) {
    free = gst_ladder_hls_sink_name_is_free (GST_LADDER_HLS_SINK (hls),
        rendition);
    gst_object_unref (hls);
  }
  if (!free)
    g_set_error (error, GST_LADDER_ERROR, GST_LADDER_ERROR_REFUSED,
        "a rendition %s is still ending in the HLS output, or wrote "
        "segments and ended earlier in this run (its files stay as they "
        "are); give the new one another name", rendition);
#endif
  return free;
}

/* A ladder-panic of a rung that will not be restarted: its variant stops
 * being one (it leaves the multivariant playlist at once; the runner ends
 * its output when the input ends). */
void
gst_ladder_bin_hls_rung_panic (GstLadderBin * self, GstMessage * message)
{
  GstElement *hls;
  gchar *rendition = NULL, *debug = NULL;
  GError *err = NULL;
  gboolean degraded = FALSE;

  if (!gst_ladder_message_parse_panic (message, NULL, &rendition, NULL, NULL,
          NULL, &err, &debug, NULL, NULL, &degraded) || !degraded) {
    g_free (rendition);
    g_free (debug);
    g_clear_error (&err);
    return;
  }

  GST_OBJECT_LOCK (self);
  hls = self->hlssink ? gst_object_ref (self->hlssink) : NULL;
  GST_OBJECT_UNLOCK (self);

#ifdef HAVE_LADDER_HLS
  /* our own HLS sink announced its failed variants itself */
  if (hls != NULL && GST_MESSAGE_SRC (message) != GST_OBJECT_CAST (hls)
      && rendition != NULL && *rendition != '\0')
    gst_ladder_hls_sink_fail_variant (GST_LADDER_HLS_SINK (hls), rendition,
        err, debug);
#endif

  if (hls)
    gst_object_unref (hls);
  g_free (rendition);
  g_free (debug);
  g_clear_error (&err);
}

void
gst_ladder_bin_hls_release (GstLadderBin * self, const gchar * track,
    const gchar * rendition)
{
  GstElement *hls;
  GstPad *pad = NULL;
  gchar *name = g_strdup_printf ("%s_%s", track, rendition), *key = NULL;

  GST_OBJECT_LOCK (self);
  hls = self->hlssink ? gst_object_ref (self->hlssink) : NULL;
  g_hash_table_steal_extended (self->hls_pads, name, (gpointer *) & key,
      (gpointer *) & pad);
  GST_OBJECT_UNLOCK (self);
  g_free (key);

  if (hls && pad)
    gst_element_release_request_pad (hls, pad);
  if (pad)
    gst_object_unref (pad);
  if (hls)
    gst_object_unref (hls);
  g_free (name);
}

/* The input of @track ended before it had caps, so it will feed no
 * output: the HLS pads of that track that no output feeds end, or their
 * renditions would wait for them forever. */
void
gst_ladder_bin_hls_end_unfed (GstLadderBin * self, const gchar * track)
{
  GPtrArray *pads = g_ptr_array_new_with_free_func (gst_object_unref);
  GHashTableIter iter;
  gpointer key, value;
  gchar *prefix = g_strdup_printf ("%s_", track);
  guint i;

  GST_OBJECT_LOCK (self);
  g_hash_table_iter_init (&iter, self->hls_pads);
  while (g_hash_table_iter_next (&iter, &key, &value)) {
    if (g_str_has_prefix (key, prefix) && !gst_pad_is_linked (value))
      g_ptr_array_add (pads, gst_object_ref (value));
  }
  GST_OBJECT_UNLOCK (self);

  for (i = 0; i < pads->len; i++)
    gst_ladder_bin_end_unfed_pad (self, g_ptr_array_index (pads, i));
  g_ptr_array_unref (pads);
  g_free (prefix);
}

/* Requests the HLS pads of @rendition for every input track, the video
 * first: the HLS sink then holds the rendition's audio until its video has
 * caps (see gst_ladder_bin_hls_prerequest()). */
void
gst_ladder_bin_hls_request (GstLadderBin * self, const gchar * rendition)
{
  gboolean tracks[2];
  guint t;

  GST_OBJECT_LOCK (self);
  if (self->hlssink == NULL) {
    GST_OBJECT_UNLOCK (self);
    return;
  }
  tracks[0] = self->inputs[0] != NULL;
  tracks[1] = self->inputs[1] != NULL;
  GST_OBJECT_UNLOCK (self);

  for (t = 0; t < 2; t++) {
    if (tracks[t]) {
      GstPad *pad = hls_pad_for (self, t == 0 ? "video" : "audio", rendition);
      if (pad)
        gst_object_unref (pad);
    }
  }
}

/* Requests the HLS pads of every (input track, rendition). */
void
gst_ladder_bin_hls_prerequest (GstLadderBin * self)
{
  GPtrArray *ladder;
  guint i;

  GST_OBJECT_LOCK (self);
  ladder = gst_ladder_bin_ladder_snapshot_unlocked (self);
  GST_OBJECT_UNLOCK (self);

  for (i = 0; i < ladder->len; i++) {
    const GstLadderRendition *r = g_ptr_array_index (ladder, i);
    gst_ladder_bin_hls_request (self, r->name);
  }
  g_ptr_array_unref (ladder);
}


/* Makes and configures the HLS sink when #GstLadderBin:hls-location is
 * set. Returns FALSE, with an error posted, when it cannot be made. */
gboolean
gst_ladder_bin_hls_setup (GstLadderBin * self)
{
  GstElement *hls;
  gchar *location, *master;
  guint target_duration, playlist_length, max_files;
  gint playlist_type;

  GST_OBJECT_LOCK (self);
  if (self->hls_location == NULL || *self->hls_location == '\0') {
    GST_OBJECT_UNLOCK (self);
    return TRUE;
  }
  location = g_strdup (self->hls_location);
  master = g_strdup (self->hls_master_name);
  hls = self->hlssink ? gst_object_ref (self->hlssink) : NULL;
  GST_OBJECT_UNLOCK (self);

  if (hls == NULL) {
    hls = gst_element_factory_make ("ladderhlssink", "hls");
    if (hls == NULL) {
      gst_element_post_message (GST_ELEMENT (self),
          gst_missing_element_message_new (GST_ELEMENT (self),
              "ladderhlssink"));
      GST_ELEMENT_ERROR (self, CORE, MISSING_PLUGIN,
          ("The ladderhlssink element is missing: gst-ladder was built "
              "without HLS support, or hlssink2 is not installed."), (NULL));
      g_free (location);
      g_free (master);
      return FALSE;
    }
    gst_object_ref (hls);
    gst_bin_add (GST_BIN (self), hls);
    GST_OBJECT_LOCK (self);
    self->hlssink = hls;
    GST_OBJECT_UNLOCK (self);
  }

  GST_OBJECT_LOCK (self);
  target_duration = self->hls_target_duration;
  playlist_length = self->hls_playlist_length;
  max_files = self->hls_max_files;
  playlist_type = self->hls_playlist_type;
  GST_OBJECT_UNLOCK (self);
  g_object_set (hls, "location", location, "target-duration",
      target_duration, "playlist-length", playlist_length, "max-files",
      max_files, "playlist-type", playlist_type, NULL);
  if (master && *master)
    g_object_set (hls, "master-name", master, NULL);
  gst_object_unref (hls);
  /* the ladder cuts its keyframes where the segments are to end */
  g_object_set (self->runner, "cut-interval",
      (guint64) target_duration * GST_SECOND, NULL);
  g_free (location);
  g_free (master);
  return TRUE;
}

/* Links @link's output to the HLS sink pad of its (track, rendition):
 * straight for what a transcoder made for it, through a parser (its end,
 * with the parameter sets repeated before every keyframe) for what comes
 * as the input came. The HLS sink is ours and takes what the rungs make:
 * no output end negotiates here. Returns FALSE when there is no pad. */
gboolean
gst_ladder_bin_hls_link_output (GstLadderBin * self, OutputLink * link)
{
  GstPad *sinkpad;

  link->hls_pad = hls_pad_for (self, link->track, link->rendition);
  if (link->hls_pad == NULL || link->output_pad == NULL)
    return FALSE;

  /* a passthrough output comes as the input came, negotiated before the
   * HLS sink was there: a parser makes it what the muxer takes */
  if (g_str_equal (link->track, "audio")
      || g_str_equal (link->rendition, GST_LADDER_RENDITION_SOURCE))
    link->end = make_parser_for_input (self, link->track);
  if (link->end) {
    GstPad *p;

    /* parameter sets before every keyframe, so that every segment decodes
     * on its own even when the input carries them only in codec_data or
     * sent them once */
    if (g_object_class_find_property (G_OBJECT_GET_CLASS (link->end),
            "config-interval"))
      g_object_set (link->end, "config-interval", -1, NULL);
    gst_object_ref_sink (link->end);
    gst_bin_add (GST_BIN (self), link->end);
    p = gst_element_get_static_pad (link->end, "src");
    gst_pad_link (p, link->hls_pad);
    gst_object_unref (p);
    gst_element_sync_state_with_parent (link->end);
    sinkpad = gst_element_get_static_pad (link->end, "sink");
  } else {
    sinkpad = gst_object_ref (link->hls_pad);
  }
  if (gst_pad_link (link->output_pad, sinkpad) != GST_PAD_LINK_OK)
    GST_WARNING_OBJECT (self, "could not link %s_%s to the HLS sink",
        link->track, link->rendition);
  gst_object_unref (sinkpad);
  return TRUE;
}

/* After @link's output was unlinked: the HLS pads of the
 * rendition are released with the last output of the rendition, not
 * before. Releasing one pad ends the whole rendition in the HLS sink, so
 * an earlier release would cut off the other track of a drained
 * rendition, still on its way to its EOS. */
void
gst_ladder_bin_hls_unlink_output (GstLadderBin * self, OutputLink * link)
{
  GHashTableIter iter;
  gpointer value;

  g_hash_table_iter_init (&iter, self->outputs);
  while (g_hash_table_iter_next (&iter, NULL, &value)) {
    OutputLink *other = value;
    if (other != link && other->hls_pad
        && g_str_equal (other->rendition, link->rendition)) {
      GST_DEBUG_OBJECT (self, "the HLS rendition %s waits for its %s output",
          link->rendition, other->track);
      return;
    }
  }
  gst_ladder_bin_hls_release (self, "video", link->rendition);
  gst_ladder_bin_hls_release (self, "audio", link->rendition);
}
