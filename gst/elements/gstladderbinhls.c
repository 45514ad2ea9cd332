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
 * of the outputs, the ends of the outputs linked to them, and the pads
 * released once a rendition has gone.
 * Locking as documented in gstladderbin-private.h. */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <gst/ladder/ladder.h>
#include <gst/pbutils/pbutils.h>

#include "gstladderbin-private.h"

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

/* The HLS sink pad of one (track, rendition), requested ahead of its
 * output: the HLS sink then waits for every track of a rendition, instead
 * of ending a rendition whose video is still being encoded when its audio
 * ended. Returns a new ref, or NULL without HLS output. */
static GstPad *
hls_pad_for (GstLadderBin * self, const gchar * track, const gchar * rendition)
{
  GstElement *hls;
  GstPad *pad;
  gchar *name = g_strdup_printf ("%s_%s", track, rendition);

  GST_OBJECT_LOCK (self);
  hls = self->hlssink ? gst_object_ref (self->hlssink) : NULL;
  pad = g_hash_table_lookup (self->hls_pads, name);
  if (pad)
    gst_object_ref (pad);
  GST_OBJECT_UNLOCK (self);

  if (hls && pad == NULL) {
    pad = gst_element_request_pad_simple (hls, name);
    if (pad) {
      g_object_set (pad, "bitrate", track_bitrate (self, rendition, track),
          NULL);
      GST_OBJECT_LOCK (self);
      g_hash_table_insert (self->hls_pads, g_strdup (name),
          gst_object_ref (pad));
      GST_OBJECT_UNLOCK (self);
    } else {
      GST_ELEMENT_WARNING (self, STREAM, FAILED,
          ("The HLS output refused the rendition %s.", name), (NULL));
    }
  }
  if (hls)
    gst_object_unref (hls);
  g_free (name);
  return pad;
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

/* Requests the HLS pads of every (input track, rendition). */
void
gst_ladder_bin_hls_prerequest (GstLadderBin * self)
{
  GPtrArray *ladder;
  gboolean tracks[2];
  guint i, t;

  GST_OBJECT_LOCK (self);
  if (self->hlssink == NULL) {
    GST_OBJECT_UNLOCK (self);
    return;
  }
  ladder = g_ptr_array_ref (self->ladder);
  tracks[0] = self->inputs[0] != NULL;
  tracks[1] = self->inputs[1] != NULL;
  GST_OBJECT_UNLOCK (self);

  for (i = 0; i < ladder->len; i++) {
    const GstLadderRendition *r = g_ptr_array_index (ladder, i);
    for (t = 0; t < 2; t++) {
      if (tracks[t]) {
        GstPad *pad = hls_pad_for (self, t == 0 ? "video" : "audio", r->name);
        if (pad)
          gst_object_unref (pad);
      }
    }
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

/* Links the end of @link's output to the HLS sink pad of its (track,
 * rendition). Returns FALSE when there is none. */
gboolean
gst_ladder_bin_hls_link_output (GstLadderBin * self, OutputLink * link)
{
  GstPad *srcpad;
  gboolean linked;

  link->hls_pad = hls_pad_for (self, link->track, link->rendition);
  if (link->hls_pad == NULL)
    return FALSE;

  srcpad = gst_element_get_static_pad (link->end, "src");
  linked = gst_pad_link (srcpad, link->hls_pad) == GST_PAD_LINK_OK;
  gst_object_unref (srcpad);
  if (!linked)
    GST_WARNING_OBJECT (self, "could not link %s_%s to the HLS sink",
        link->track, link->rendition);
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
