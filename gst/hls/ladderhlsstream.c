/* gst-ladder
 * Copyright (C) 2026 The gst-ladder authors
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2 of the License, or (at your option) any later version.
 */

/* The renditions of ladderhlssink, a LadderHlsStream each: one hlssink2
 * each, created, configured, drained and removed here; the streams
 * hlssink2 writes its segments and playlists to; the measurement of each
 * closed segment and the multivariant playlist entry made from it.
 *
 * The locks are the sink's (see gstladderhlssink.h): pads_lock, write_lock,
 * lock, in that order. */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <string.h>
#include <errno.h>
#include <glib/gstdio.h>
#include <gst/pbutils/pbutils.h>
#include <gst/ladder/ladder.h>

#include "gstladderhlssink.h"
#include "ladderhlsstream.h"
#include "ladderatomicwrite.h"
#include "laddermultivariant.h"

GST_DEBUG_CATEGORY_EXTERN (gst_ladder_hls_sink_debug);
#define GST_CAT_DEFAULT gst_ladder_hls_sink_debug

#define SEGMENT_TEMPLATE "segment%05d.ts"

/* ------------------------------------------------------------------------ */
/* paths */

/* hlssink2 formats its location with printf: keep a '%' of the folder */
static gchar *
escape_percent (const gchar * str)
{
  gchar **parts = g_strsplit (str, "%", -1);
  gchar *ret = g_strjoinv ("%%", parts);

  g_strfreev (parts);
  return ret;
}

/* Passes the folder and the segment settings on to the hlssink2 of @stream.
 * Call without GST_OBJECT_LOCK: setting a child property notifies up the
 * hierarchy, which takes the parents' object locks. */
void
ladder_hls_stream_configure (GstLadderHlsSink * self, LadderHlsStream * stream)
{
  gchar *dir, *escaped, *segments, *playlist;
  guint target_duration, playlist_length, max_files;
  GstLadderHlsPlaylistType type;

  GST_OBJECT_LOCK (self);
  if (self->location == NULL) {
    GST_OBJECT_UNLOCK (self);
    return;
  }
  dir = g_build_filename (self->location, stream->name, NULL);
  playlist = g_build_filename (dir, self->playlist_name, NULL);
  target_duration = self->target_duration;
  playlist_length = self->playlist_length;
  max_files = self->max_files;
  type = self->playlist_type;
  GST_OBJECT_UNLOCK (self);

  /* event and vod keep every segment; live keeps the window and two more
   * (a player may still be fetching the one that just left it) */
  if (type != GST_LADDER_HLS_PLAYLIST_TYPE_LIVE)
    max_files = 0;
  else if (max_files && playlist_length && max_files < playlist_length + 2)
    max_files = playlist_length + 2;

  g_mutex_lock (&self->lock);
  g_free (stream->playlist_path);
  stream->playlist_path = g_strdup (playlist);
  g_mutex_unlock (&self->lock);

  escaped = escape_percent (dir);
  segments = g_build_filename (escaped, SEGMENT_TEMPLATE, NULL);

  g_object_set (stream->hlssink, "location", segments, "playlist-location",
      playlist, "target-duration", target_duration, "playlist-length",
      playlist_length, "max-files", max_files, NULL);

  g_free (dir);
  g_free (escaped);
  g_free (segments);
  g_free (playlist);
}

/* call with pads_lock */

/* creates the folder @path goes in */
gboolean
ladder_hls_make_parent_folder (const gchar * path, GError ** error)
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

void
ladder_hls_stream_free (LadderHlsStream * stream)
{
  g_free (stream->name);
  gst_clear_object (&stream->hlssink);
  g_clear_object (&stream->fragment);
  g_free (stream->fragment_location);
  g_clear_pointer (&stream->playlist, ladder_media_playlist_free);
  g_free (stream->playlist_path);
  g_free (stream);
}

/* call with lock */
void
ladder_hls_stream_reset_unlocked (LadderHlsStream * stream)
{
  GstLadderHlsSinkPad *pads[2] = { stream->video, stream->audio };
  guint i;

  /* a new run: a variant that failed in the last one is tried again */
  for (i = 0; i < 2; i++) {
    if (pads[i] != NULL && stream->fail_probes[i] != 0)
      gst_pad_remove_probe (GST_PAD_CAST (pads[i]), stream->fail_probes[i]);
    stream->fail_probes[i] = 0;
  }
  stream->failed = FALSE;
  stream->visible = FALSE;
  stream->ended = FALSE;
  stream->fragment_start = GST_CLOCK_TIME_NONE;
  g_clear_object (&stream->fragment);
  g_clear_pointer (&stream->fragment_location, g_free);
  stream->segments = 0;
  g_clear_pointer (&stream->playlist, ladder_media_playlist_free);
}

/* call with lock */
LadderHlsStream *
ladder_hls_stream_find_unlocked (GstLadderHlsSink * self,
    const gchar * name, gboolean finalizing)
{
  GList *l;

  for (l = self->streams; l; l = l->next) {
    LadderHlsStream *stream = l->data;

    if (stream->finalizing == finalizing && strcmp (stream->name, name) == 0)
      return stream;
  }
  return NULL;
}

/* call with lock: the rendition whose hlssink2 is @obj or contains it */
LadderHlsStream *
ladder_hls_stream_find_by_child_unlocked (GstLadderHlsSink * self,
    GstObject * obj)
{
  GList *l;

  for (l = self->streams; l; l = l->next) {
    LadderHlsStream *stream = l->data;

    if (obj == GST_OBJECT_CAST (stream->hlssink)
        || gst_object_has_as_ancestor (obj, GST_OBJECT_CAST (stream->hlssink)))
      return stream;
  }
  return NULL;
}

static GOutputStream *
on_get_fragment_stream (GstElement * hlssink, const gchar * location,
    LadderHlsStream * stream)
{
  GstLadderHlsSink *self =
      GST_LADDER_HLS_SINK (GST_OBJECT_PARENT (GST_OBJECT_CAST (hlssink)));
  GFile *file;
  GOutputStream *out = NULL;
  GError *err = NULL;

  /* a stale file from an earlier run would make g_file_replace() write to a
   * temporary name until close: start from nothing so the bytes land under
   * the segment's name before hlssink2 lists it */
  if (ladder_hls_make_parent_folder (location, &err)) {
    g_unlink (location);
    file = g_file_new_for_path (location);
    out = G_OUTPUT_STREAM (g_file_replace (file, NULL, FALSE,
            G_FILE_CREATE_NONE, NULL, &err));
    g_object_unref (file);
  }

  if (out == NULL) {
    gchar *debug = g_strdup_printf ("could not write the segment '%s': %s",
        location, err->message);

    ladder_hls_stream_fail (self, stream->name, err, debug, TRUE);
    g_free (debug);
    g_clear_error (&err);
    /* hlssink2 gets somewhere to write until its variant is stopped: given
     * no stream, its splitmuxsink feeds its muxer data without a segment
     * (and GStreamer criticals) */
    return g_memory_output_stream_new_resizable ();
  }

  g_mutex_lock (&self->lock);
  g_clear_object (&stream->fragment);
  stream->fragment = g_object_ref (out);
  g_free (stream->fragment_location);
  stream->fragment_location = g_strdup (location);
  g_mutex_unlock (&self->lock);

  return out;
}

/* call with lock */
static LadderHlsStream *
find_by_serial_unlocked (GstLadderHlsSink * self, guint serial)
{
  GList *l;

  for (l = self->streams; l; l = l->next) {
    LadderHlsStream *stream = l->data;

    if (stream->serial == serial)
      return stream;
  }
  return NULL;
}

/* removes a drained rendition, unless a state change down to READY did
 * already */
static void
finish_stream (GstElement * element, gpointer user_data)
{
  GstLadderHlsSink *self = GST_LADDER_HLS_SINK (element);
  LadderHlsStream *stream;

  g_mutex_lock (&self->pads_lock);
  g_mutex_lock (&self->lock);
  stream = find_by_serial_unlocked (self, GPOINTER_TO_UINT (user_data));
  g_mutex_unlock (&self->lock);
  if (stream != NULL)
    ladder_hls_stream_remove (self, stream);
  g_mutex_unlock (&self->pads_lock);
}

/* a media playlist being written by the hlssink2 of a rendition */
typedef struct
{
  GstLadderHlsSink *self;
  guint serial;
} PlaylistWrite;

static void
playlist_write_free (PlaylistWrite * write)
{
  gst_object_unref (write->self);
  g_free (write);
}

/* A media playlist is in place. hlssink2 ends it when the EOS of its
 * splitmuxsink reaches it, that is when the last segment is complete, and
 * before its own EOS message (which may never come up, see
 * gst_ladder_hls_sink_check_eos()); also when it is stopped. Called in the
 * thread that posted that EOS, with none of our locks. */
static void
playlist_written (const gchar * contents, gsize length, gpointer user_data)
{
  PlaylistWrite *write = user_data;
  GstLadderHlsSink *self = write->self;
  LadderHlsStream *stream;
  gboolean finalizing = FALSE;

  if (!ladder_media_playlist_text_is_ended (contents, length))
    return;

  /* hlssink2 closed its last segment: ours ends too, and is on disk before
   * the rendition counts as ended (our EOS may follow at once) */
  ladder_hls_stream_write_playlist (self, write->serial, TRUE);

  g_mutex_lock (&self->lock);
  stream = find_by_serial_unlocked (self, write->serial);
  if (stream != NULL) {
    GST_INFO_OBJECT (self, "rendition %s ended its media playlist",
        stream->name);
    stream->ended = TRUE;
    finalizing = stream->finalizing;
  }
  g_mutex_unlock (&self->lock);

  /* removed already: it was stopped */
  if (stream == NULL)
    return;


  if (finalizing) {
    /* a released rendition is drained: remove it, from another thread
     * (this one is its own) */
    gst_element_call_async (GST_ELEMENT_CAST (self), finish_stream,
        GUINT_TO_POINTER (write->serial), NULL);
  } else {
    /* the final figures */
    self->streams_changed (self);
  }
}

static GOutputStream *
on_get_playlist_stream (GstElement * hlssink, const gchar * location,
    LadderHlsStream * stream)
{
  GstLadderHlsSink *self =
      GST_LADDER_HLS_SINK (GST_OBJECT_PARENT (GST_OBJECT_CAST (hlssink)));
  PlaylistWrite *write;
  GError *err = NULL;

  if (!ladder_hls_make_parent_folder (location, &err)) {
    ladder_hls_stream_fail (self, stream->name, err,
        "could not make the folder of its media playlist", TRUE);
    g_clear_error (&err);
    return NULL;
  }

  /* The media playlists are ours (ladder_hls_stream_write_playlist()):
   * what hlssink2 writes is only read, to learn when it has closed the last
   * segment, and never reaches the disk */
  write = g_new (PlaylistWrite, 1);
  write->self = gst_object_ref (self);
  write->serial = stream->serial;
  return ladder_atomic_output_stream_new (NULL, playlist_written, write,
      (GDestroyNotify) playlist_write_free);
}

/* Makes the hlssink2 of @stream (not added to the bin yet); NULL if hlssink2
 * is missing, reported. */
static GstElement *
make_hlssink (GstLadderHlsSink * self, LadderHlsStream * stream)
{
  GstElement *hlssink;

  hlssink = gst_element_factory_make ("hlssink2", NULL);
  if (hlssink == NULL) {
    gst_element_post_message (GST_ELEMENT_CAST (self),
        gst_missing_element_message_new (GST_ELEMENT_CAST (self), "hlssink2"));
    GST_ELEMENT_ERROR (self, CORE, MISSING_PLUGIN,
        ("The hlssink2 element is missing (gst-plugins-bad)."), (NULL));
    return NULL;
  }
  stream->hlssink = gst_object_ref (hlssink);

  /* the input keyframes decide the boundaries: with equal keyframe
   * timestamps every rendition is cut at the same points.
   *
   * Each hlssink2 prerolls on its own (async-handling): a rendition added
   * while running does not take the whole pipeline back to PAUSED until it
   * has data, and at start-up the pipeline does not complete its state
   * change from our streaming threads. GstBin 1.22 notes that it "posted
   * PLAYING" after posting the state-changed message; when the application
   * answers the message of the preroll (READY to PAUSED) by going to
   * PLAYING before that note is written, the late "not playing" note wins
   * and the bin never forwards EOS again. Committed in the application's
   * thread, the pipeline's state changes cannot race like that. */
  g_object_set (hlssink, "send-keyframe-requests", FALSE, "async-handling",
      TRUE, NULL);
  ladder_hls_stream_configure (self, stream);

  g_signal_connect (hlssink, "get-fragment-stream",
      G_CALLBACK (on_get_fragment_stream), stream);
  g_signal_connect (hlssink, "get-playlist-stream",
      G_CALLBACK (on_get_playlist_stream), stream);

  return hlssink;
}

/* call with pads_lock */
LadderHlsStream *
ladder_hls_stream_new (GstLadderHlsSink * self, const gchar * name)
{
  LadderHlsStream *stream;
  GstElement *hlssink;

  stream = g_new0 (LadderHlsStream, 1);
  stream->name = g_strdup (name);
  stream->fragment_start = GST_CLOCK_TIME_NONE;
  hlssink = make_hlssink (self, stream);
  if (hlssink == NULL) {
    ladder_hls_stream_free (stream);
    return NULL;
  }

  g_mutex_lock (&self->lock);
  stream->serial = ++self->next_serial;
  self->streams = g_list_append (self->streams, stream);
  g_mutex_unlock (&self->lock);

  gst_bin_add (GST_BIN_CAST (self), hlssink);
  return stream;
}

/* Stops @hlssink and takes it out of the bin, if it is still in it. While
 * it stops, it is listed in taking_out: an error it posts then (a fragment
 * it was opening as it was stopped) is dropped by the element's
 * handle_message, whether or not a rendition still names it. */
static void
ladder_hls_stream_take_out (GstLadderHlsSink * self, GstElement * hlssink)
{
  if (GST_OBJECT_PARENT (hlssink) != GST_OBJECT_CAST (self))
    return;

  g_mutex_lock (&self->lock);
  self->taking_out = g_list_prepend (self->taking_out,
      gst_object_ref (hlssink));
  g_mutex_unlock (&self->lock);

  gst_element_set_locked_state (hlssink, TRUE);
  gst_element_set_state (hlssink, GST_STATE_NULL);
  gst_bin_remove (GST_BIN_CAST (self), hlssink);

  g_mutex_lock (&self->lock);
  self->taking_out = g_list_remove (self->taking_out, hlssink);
  g_mutex_unlock (&self->lock);
  gst_object_unref (hlssink);
}

/* call with pads_lock: stop @stream's hlssink2, take it out of the bin
 * and free @stream. Its files stay. */
void
ladder_hls_stream_remove (GstLadderHlsSink * self, LadderHlsStream * stream)
{
  GST_INFO_OBJECT (self, "removing rendition %s", stream->name);

  g_mutex_lock (&self->lock);
  self->streams = g_list_remove (self->streams, stream);
  /* what it wrote stays: its name is not taken again in this run */
  if (stream->visible)
    g_hash_table_add (self->ended, g_strdup (stream->name));
  g_mutex_unlock (&self->lock);

  /* a failed one was taken out already (stop_failed()) */
  ladder_hls_stream_take_out (self, stream->hlssink);
  ladder_hls_stream_free (stream);
}

/* call with lock: whether @obj is, or is inside, an hlssink2 being taken
 * out */
gboolean
ladder_hls_stream_taking_out_unlocked (GstLadderHlsSink * self, GstObject * obj)
{
  GList *l;

  for (l = self->taking_out; l; l = l->next)
    if (obj == l->data || gst_object_has_as_ancestor (obj, l->data))
      return TRUE;
  return FALSE;
}

static GstPadProbeReturn
drop_probe (GstPad * pad, GstPadProbeInfo * info, gpointer user_data)
{
  return GST_PAD_PROBE_DROP;
}

/* TRUE if data reached the hlssink2 of @stream (some pad has caps) */
static gboolean
stream_has_data (LadderHlsStream * stream)
{
  GstIterator *it = gst_element_iterate_sink_pads (stream->hlssink);
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

/* call with pads_lock, after marking @stream finalizing. The remaining
 * pads of @stream drop their data from now on; the hlssink2 gets EOS so
 * that it closes its last segment and ends its playlist, then
 * finish_stream() removes it (see playlist_written()). Without data
 * flowing, or with its playlist ended already, there is nothing to drain:
 * it is stopped (ending its playlist if needed) and removed at once. */
void
ladder_hls_stream_start_finalizing (GstLadderHlsSink * self,
    LadderHlsStream * stream, GstLadderHlsSinkPad * released)
{
  GstLadderHlsSinkPad *pads[2];
  GstIterator *it;
  GValue item = G_VALUE_INIT;
  gboolean ended;
  guint i;

  g_mutex_lock (&self->lock);
  pads[0] = stream->video ? gst_object_ref (stream->video) : NULL;
  pads[1] = stream->audio ? gst_object_ref (stream->audio) : NULL;
  ended = stream->ended;
  g_mutex_unlock (&self->lock);

  gst_pad_add_probe (GST_PAD_CAST (released),
      GST_PAD_PROBE_TYPE_DATA_DOWNSTREAM, drop_probe, NULL, NULL);
  for (i = 0; i < 2; i++) {
    if (pads[i] == NULL)
      continue;
    GST_INFO_OBJECT (pads[i], "rendition %s ends: dropping data", stream->name);
    gst_pad_add_probe (GST_PAD_CAST (pads[i]),
        GST_PAD_PROBE_TYPE_DATA_DOWNSTREAM, drop_probe, NULL, NULL);
    gst_object_unref (pads[i]);
  }

  if (ended || stream->failed || GST_STATE (self) != GST_STATE_PLAYING
      || !stream_has_data (stream)) {
    ladder_hls_stream_remove (self, stream);
    return;
  }

  GST_INFO_OBJECT (self, "draining rendition %s", stream->name);
  it = gst_element_iterate_sink_pads (stream->hlssink);
  while (gst_iterator_next (it, &item) == GST_ITERATOR_OK) {
    GstPad *pad = g_value_get_object (&item);

    gst_pad_send_event (pad, gst_event_new_eos ());
    g_value_reset (&item);
  }
  g_value_unset (&item);
  gst_iterator_free (it);
}

/* ------------------------------------------------------------------------ */
/* failure: one variant at a time
 *
 * A variant whose writer fails (a segment or its media playlist cannot be
 * written, its hlssink2 posts an error) or whose rung died is failed on its
 * own: it leaves the multivariant playlist at once, its pads drop what
 * comes, it is not waited for at EOS, and the others go on. Only when every
 * variant has failed does the sink post an ERROR. */

/* Takes the hlssink2 of a failed variant out. First every thread waiting
 * inside it (its splitmuxsink waits for its muxer, which stopped at the
 * error) is woken by a flush, then it is stopped and removed from the bin:
 * a state change it can no longer complete (a writer that failed while the
 * pipeline prerolled) must not hold back ours. From a thread of our own:
 * the failing one may be one of those. ladder_hls_stream_rebuild()
 * makes a new one for the next run. */
static void
stop_failed (GstElement * element, gpointer user_data)
{
  GstLadderHlsSink *self = GST_LADDER_HLS_SINK (element);
  GstElement *hlssink = user_data;
  GstIterator *it = gst_element_iterate_sink_pads (hlssink);
  GValue item = G_VALUE_INIT;

  while (gst_iterator_next (it, &item) == GST_ITERATOR_OK) {
    gst_pad_send_event (g_value_get_object (&item),
        gst_event_new_flush_start ());
    g_value_reset (&item);
  }
  g_value_unset (&item);
  gst_iterator_free (it);

  g_mutex_lock (&self->pads_lock);
  ladder_hls_stream_take_out (self, hlssink);
  g_mutex_unlock (&self->pads_lock);
}

/* Call with pads_lock and no other lock. With @new_run, before a new run
 * (READY to PAUSED): every variant gets a new hlssink2 behind the same
 * pads. One whose hlssink2 was taken out at its failure is tried again;
 * and stock splitmuxsink 1.22 keeps the running times of the last run
 * across READY, so the new run's first GOP would look negative to it
 * ("Timestamping error on input streams"). Without, while running: @stream
 * gets a new hlssink2 without its empty video (its audio has not reached
 * the old one yet); the caller brings it to the bin's state. */
void
ladder_hls_stream_rebuild (GstLadderHlsSink * self, LadderHlsStream * stream,
    gboolean new_run)
{
  GstLadderHlsSinkPad *pads[2];
  GstElement *old = stream->hlssink, *hlssink;
  guint i;

  if (stream->finalizing)
    return;
  hlssink = make_hlssink (self, stream);
  if (hlssink == NULL) {
    stream->hlssink = old;
    return;
  }
  ladder_hls_stream_take_out (self, old);
  gst_object_unref (old);

  g_mutex_lock (&self->lock);
  pads[0] = stream->video ? gst_object_ref (stream->video) : NULL;
  pads[1] = stream->audio ? gst_object_ref (stream->audio) : NULL;
  if (new_run) {
    /* the video has to show again whether it has caps */
    stream->video_settled = stream->video_empty = FALSE;
    ladder_hls_stream_unhold_audio_unlocked (stream);
    ladder_hls_stream_hold_audio_unlocked (stream);
    /* and the audio whether it has caps (they stay on our pad) */
    stream->audio_settled = stream->audio == NULL
        || gst_pad_has_current_caps (GST_PAD_CAST (stream->audio));
    ladder_hls_stream_unhold_video_unlocked (stream);
    ladder_hls_stream_hold_video_unlocked (stream);
  } else if (stream->video_empty) {
    gst_clear_object (&pads[0]);
  }
  g_mutex_unlock (&self->lock);

  gst_bin_add (GST_BIN_CAST (self), hlssink);
  for (i = 0; i < 2; i++) {
    GstPad *target;

    if (pads[i] == NULL)
      continue;
    target = gst_element_request_pad_simple (hlssink, i == 0 ? "video" :
        "audio");
    gst_ghost_pad_set_target (GST_GHOST_PAD_CAST (pads[i]), target);
    gst_clear_object (&target);
    gst_object_unref (pads[i]);
  }
}

/* Fails the variant @name (see above); with @announce a ladder-panic names
 * it (a rung that died was announced by the runner already). Returns FALSE
 * if there is no such variant or it failed already. Call with no lock but
 * pads_lock (optional). */
gboolean
ladder_hls_stream_fail (GstLadderHlsSink * self, const gchar * name,
    const GError * error, const gchar * debug, gboolean announce)
{
  LadderHlsStream *stream;
  GstLadderHlsSinkPad *pads[2] = { NULL, NULL };
  GstElement *hlssink = NULL;
  gboolean others = FALSE;
  GList *l;
  guint i;

  g_mutex_lock (&self->lock);
  stream = ladder_hls_stream_find_unlocked (self, name, FALSE);
  if (stream == NULL || stream->failed) {
    g_mutex_unlock (&self->lock);
    return FALSE;
  }
  stream->failed = TRUE;
  self->failures_unannounced++;
  ladder_hls_stream_unhold_audio_unlocked (stream);
  ladder_hls_stream_unhold_video_unlocked (stream);
  pads[0] = stream->video ? gst_object_ref (stream->video) : NULL;
  pads[1] = stream->audio ? gst_object_ref (stream->audio) : NULL;
  hlssink = gst_object_ref (stream->hlssink);
  for (l = self->streams; l; l = l->next) {
    LadderHlsStream *o = l->data;

    if (!o->failed && !o->finalizing)
      others = TRUE;
  }
  g_mutex_unlock (&self->lock);

  GST_WARNING_OBJECT (self, "variant %s failed: %s (%s)", name,
      error ? error->message : "no error", GST_STR_NULL (debug));

  for (i = 0; i < 2; i++) {
    gulong id;

    if (pads[i] == NULL)
      continue;
    id = gst_pad_add_probe (GST_PAD_CAST (pads[i]),
        GST_PAD_PROBE_TYPE_DATA_DOWNSTREAM, drop_probe, NULL, NULL);
    g_mutex_lock (&self->lock);
    stream = ladder_hls_stream_find_unlocked (self, name, FALSE);
    if (stream != NULL && stream->failed
        && (i == 0 ? stream->video : stream->audio) == pads[i])
      stream->fail_probes[i] = id;
    else
      gst_pad_remove_probe (GST_PAD_CAST (pads[i]), id);
    g_mutex_unlock (&self->lock);
    gst_object_unref (pads[i]);
  }
  gst_element_call_async (GST_ELEMENT_CAST (self), stop_failed, hlssink,
      gst_object_unref);

  if (announce)
    gst_element_post_message (GST_ELEMENT_CAST (self),
        gst_ladder_message_new_panic (GST_OBJECT_CAST (self), "hls", name,
            NULL, NULL, GST_LADDER_PHASE_FRAGMENT, error, debug, 1,
            GST_CLOCK_TIME_NONE));
  g_mutex_lock (&self->lock);
  self->failures_unannounced--;
  g_mutex_unlock (&self->lock);

  if (!others) {
    GST_ELEMENT_ERROR (self, RESOURCE, WRITE,
        ("Every variant of the HLS ladder has failed; the last was '%s'.",
            name), ("%s: %s", error ? error->message : "failed",
            GST_STR_NULL (debug)));
    return TRUE;
  }

  /* the others: listed without it, and no longer waiting for it */
  self->streams_changed (self);
  return TRUE;
}

/* ------------------------------------------------------------------------ */
/* measurement and the multivariant playlist entry */


/* call with lock: @rt on the frame grid of @stream's video framerate, slot
 * n at ceil (n / fps) from running time 0, the grid of the x264 rungs
 * (ladderretime.c). A passthrough rung keeps the source's timestamps, up
 * to half a frame off that grid on a live input: on the grid, the same cut
 * has the same time, and so the same PROGRAM-DATE-TIME, in every variant. */
static GstClockTime
frame_slot_unlocked (LadderHlsStream * stream, GstClockTime rt)
{
  GstCaps *caps;
  gint n = 0, d = 0;
  guint64 slot;

  if (!GST_CLOCK_TIME_IS_VALID (rt) || stream->video == NULL)
    return rt;
  caps = gst_pad_get_current_caps (GST_PAD_CAST (stream->video));
  if (caps == NULL)
    return rt;
  if (!gst_structure_get_fraction (gst_caps_get_structure (caps, 0),
          "framerate", &n, &d))
    n = 0;
  gst_caps_unref (caps);
  if (n <= 0 || d <= 0)
    return rt;
  slot = gst_util_uint64_scale_round (rt, n, (guint64) d * GST_SECOND);
  return gst_util_uint64_scale_ceil (slot, (guint64) d * GST_SECOND, n);
}

/* call with lock: @stream's segment that just closed goes into its media
 * playlist, made on the first one with the sink's settings */
static void
add_to_playlist_unlocked (GstLadderHlsSink * self, LadderHlsStream * stream,
    GstClockTime duration, guint64 bytes, gboolean independent)
{
  GstClockTime start;
  gchar *uri;
  gint64 pdt = -1;

  if (stream->playlist == NULL) {
    GstLadderHlsPlaylistType type;
    guint target_duration, window;

    GST_OBJECT_LOCK (self);
    type = self->playlist_type;
    target_duration = self->target_duration;
    window = self->playlist_length;
    GST_OBJECT_UNLOCK (self);
    stream->playlist = ladder_media_playlist_new ((LadderPlaylistType) type,
        target_duration, window);
  }

  /* the wall-clock time of the segment's first frame, from one anchor for
   * the whole sink: the same instant in every variant for the same cut.
   * The anchor is the first segment of any rendition, taken to have begun
   * its duration ago (a live segment closes as its last frame comes in;
   * the fragment-opened message of a rendition without data carries no
   * usable running time). */
  start = frame_slot_unlocked (stream, stream->fragment_start);
  if (self->pdt_anchor_wall < 0 && GST_CLOCK_TIME_IS_VALID (start)) {
    self->pdt_anchor_wall = g_get_real_time () - duration / GST_USECOND;
    self->pdt_anchor_rt = start;
  }
  if (self->pdt_anchor_wall >= 0 && GST_CLOCK_TIME_IS_VALID (start))
    pdt = self->pdt_anchor_wall +
        GST_CLOCK_DIFF (self->pdt_anchor_rt, start) / GST_USECOND;

  GST_LOG_OBJECT (self, "rendition %s: segment at %" GST_TIME_FORMAT
      ": PDT %" G_GINT64_FORMAT, stream->name,
      GST_TIME_ARGS (stream->fragment_start), pdt);
  ladder_media_playlist_set_independent (stream->playlist, independent);
  uri = g_path_get_basename (stream->fragment_location);
  ladder_media_playlist_add_segment (stream->playlist, uri, duration, bytes,
      pdt, FALSE);
  g_free (uri);
}

/* Writes the media playlist of the rendition @serial (ending it first when
 * @end), atomically; a vod playlist only once it is ended. Call with no
 * lock but pads_lock (optional). */
void
ladder_hls_stream_write_playlist (GstLadderHlsSink * self, guint serial,
    gboolean end)
{
  LadderHlsStream *stream;
  gchar *contents = NULL, *path = NULL, *name = NULL;
  GError *err = NULL;
  gboolean vod;

  GST_OBJECT_LOCK (self);
  vod = self->playlist_type == GST_LADDER_HLS_PLAYLIST_TYPE_VOD;
  GST_OBJECT_UNLOCK (self);

  g_mutex_lock (&self->write_lock);
  g_mutex_lock (&self->lock);
  stream = find_by_serial_unlocked (self, serial);
  if (stream != NULL && stream->playlist != NULL
      && stream->playlist_path != NULL) {
    if (end)
      ladder_media_playlist_end (stream->playlist);
    if (!vod || ladder_media_playlist_is_ended (stream->playlist)) {
      contents = ladder_media_playlist_render (stream->playlist);
      path = g_strdup (stream->playlist_path);
      name = g_strdup (stream->name);
    }
  }
  g_mutex_unlock (&self->lock);

  if (contents && (!ladder_hls_make_parent_folder (path, &err)
          || !ladder_atomic_write (path, contents, -1, &err))) {
    g_mutex_unlock (&self->write_lock);
    /* a variant whose media playlist cannot be written is no variant */
    ladder_hls_stream_fail (self, name, err,
        "could not write its media playlist", TRUE);
    g_clear_error (&err);
  } else {
    g_mutex_unlock (&self->write_lock);
  }
  g_free (contents);
  g_free (path);
  g_free (name);
}

/* a segment of @stream is complete: measure it */
void
ladder_hls_stream_fragment_closed_unlocked (GstLadderHlsSink * self,
    LadderHlsStream * stream, GstClockTime running_time, gboolean independent)
{
  guint64 bytes = 0;
  GstClockTime duration = 0;

  if (stream->fragment != NULL && G_IS_SEEKABLE (stream->fragment))
    bytes = g_seekable_tell (G_SEEKABLE (stream->fragment));
  if (bytes == 0 && stream->fragment_location != NULL) {
    GStatBuf st;

    if (g_stat (stream->fragment_location, &st) == 0)
      bytes = st.st_size;
  }
  if (GST_CLOCK_TIME_IS_VALID (running_time)
      && GST_CLOCK_TIME_IS_VALID (stream->fragment_start)
      && running_time > stream->fragment_start)
    duration = running_time - stream->fragment_start;

  stream->segments++;
  /* an empty segment (a rendition that got EOS before any data) makes no
   * playable variant */
  if (bytes > 0)
    stream->visible = TRUE;
  if (bytes > 0 && duration > 0 && stream->fragment_location != NULL)
    add_to_playlist_unlocked (self, stream, duration, bytes, independent);
  GST_DEBUG_OBJECT (self, "rendition %s: segment %" G_GUINT64_FORMAT
      " of %" G_GUINT64_FORMAT " bytes, %" GST_TIME_FORMAT, stream->name,
      stream->segments, bytes, GST_TIME_ARGS (duration));
}

/* ------------------------------------------------------------------------ */
/* the audio waiting for the video
 *
 * The video of a rendition is splitmuxsink's reference track: audio that
 * enters splitmuxsink before the video waits inside it for the video's
 * first keyframe, and a video that turns out to be empty cannot leave
 * splitmuxsink any more without leaving that audio stuck. So the audio
 * buffers (and EOS) of a rendition wait at our pad until its video has
 * caps or has ended, as they would have inside splitmuxsink; a flush wakes
 * them. */

static GstPadProbeReturn
audio_hold_probe (GstPad * pad, GstPadProbeInfo * info, gpointer user_data)
{
  /* an EOS waits too, or it could reach the hlssink2 that goes */
  if ((info->type & GST_PAD_PROBE_TYPE_EVENT_DOWNSTREAM) &&
      GST_EVENT_TYPE (GST_PAD_PROBE_INFO_EVENT (info)) != GST_EVENT_EOS)
    return GST_PAD_PROBE_PASS;
  return GST_PAD_PROBE_OK;
}

/* Call with the sink's lock: the audio of @stream waits, if it has a
 * video that has neither caps nor ended yet */
void
ladder_hls_stream_hold_audio_unlocked (LadderHlsStream * stream)
{
  if (stream->video == NULL || stream->audio == NULL || stream->failed
      || stream->video_settled || stream->audio_hold)
    return;
  GST_DEBUG_OBJECT (stream->audio, "buffers wait for the video");
  stream->audio_hold = gst_pad_add_probe (GST_PAD_CAST (stream->audio),
      GST_PAD_PROBE_TYPE_BLOCK | GST_PAD_PROBE_TYPE_BUFFER |
      GST_PAD_PROBE_TYPE_BUFFER_LIST | GST_PAD_PROBE_TYPE_EVENT_DOWNSTREAM,
      audio_hold_probe, NULL, NULL);
}

/* Takes away the hold probe *@hold of @pad (gone already when NULL) */
static void
unhold (GstLadderHlsSinkPad * pad, gulong * hold)
{
  if (*hold == 0)
    return;
  if (pad) {
    GST_DEBUG_OBJECT (pad, "buffers go on");
    gst_pad_remove_probe (GST_PAD_CAST (pad), *hold);
  }
  *hold = 0;
}

/* Call with the sink's lock: the audio of @stream goes on */
void
ladder_hls_stream_unhold_audio_unlocked (LadderHlsStream * stream)
{
  unhold (stream->audio, &stream->audio_hold);
}

/* Call with the sink's lock: the video of @stream has caps or ended */
void
ladder_hls_stream_video_settled_unlocked (LadderHlsStream * stream)
{
  stream->video_settled = TRUE;
  ladder_hls_stream_unhold_audio_unlocked (stream);
}

/* Call with the sink's lock: the video of @stream ended without caps; its
 * audio keeps waiting until the rendition has a hlssink2 without video */
void
ladder_hls_stream_video_empty_unlocked (LadderHlsStream * stream)
{
  stream->video_settled = stream->video_empty = TRUE;
}

/* The other way round, the video waits for the audio: an audio track that
 * ends without caps leaves its rendition, and its hlssink2 pad is released
 * (gstladderhlssinkpad.c). splitmuxsink (1.22) removes the muxer's pad for
 * it without the lock under which the video's thread walks the muxer's
 * pads when it opens a fragment, and that walk then never ends (it retries
 * a changed pad list without starting it again): the rendition hangs,
 * and the pipeline with it at the next state change. The video opens a
 * fragment as soon as splitmuxsink may let it out, which is when the
 * audio pad goes. So the video buffers of a rendition wait at our pad
 * until its audio has caps or has left; splitmuxsink would have held them
 * as long, waiting for the audio. Events pass (the caps the audio waits
 * for among them); a flush wakes them. */

static GstPadProbeReturn
video_hold_probe (GstPad * pad, GstPadProbeInfo * info, gpointer user_data)
{
  return GST_PAD_PROBE_OK;
}

/* Call with the sink's lock: the video buffers of @stream wait, if it has
 * an audio that has neither caps nor left yet */
void
ladder_hls_stream_hold_video_unlocked (LadderHlsStream * stream)
{
  if (stream->video == NULL || stream->audio == NULL || stream->failed
      || stream->audio_settled || stream->video_hold)
    return;
  GST_DEBUG_OBJECT (stream->video, "buffers wait for the audio");
  stream->video_hold = gst_pad_add_probe (GST_PAD_CAST (stream->video),
      GST_PAD_PROBE_TYPE_BLOCK | GST_PAD_PROBE_TYPE_BUFFER |
      GST_PAD_PROBE_TYPE_BUFFER_LIST, video_hold_probe, NULL, NULL);
}

/* Call with the sink's lock: the video of @stream goes on */
void
ladder_hls_stream_unhold_video_unlocked (LadderHlsStream * stream)
{
  unhold (stream->video, &stream->video_hold);
}

/* Call with the sink's lock: the audio of @stream has caps or left */
void
ladder_hls_stream_audio_settled_unlocked (LadderHlsStream * stream)
{
  stream->audio_settled = TRUE;
  ladder_hls_stream_unhold_video_unlocked (stream);
}
