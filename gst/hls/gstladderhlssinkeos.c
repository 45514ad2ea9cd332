/* gst-ladder
 * Copyright (C) 2026 The gst-ladder authors
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2 of the License, or (at your option) any later version.
 */

/* The EOS of ladderhlssink and the tracks that end early.
 *
 * ladderhlssink posts its own EOS rather than GstBin's: once EOS has gone
 * through every one of our pads and every rendition that had data has
 * ended its media playlist. hlssink2 ends its playlist when the EOS message
 * of its splitmuxsink reaches it, then hands that message on to GstBin,
 * whose EOS for hlssink2 depends on a "posted PLAYING" note that can be
 * lost (see ladder_hls_stream_new()); the ended playlist is what we wait
 * for anyway. The children's EOS messages are dropped, so that we never
 * post twice.
 *
 * A track that ends without caps is empty: when its rendition has another
 * track still going, it leaves the rendition and the rest goes on. The
 * audio of a rendition waits at our pad until its video has caps or has
 * ended, so that an empty video can leave without stranding it. */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstladderhlssink.h"
#include "ladderhlsstream.h"

GST_DEBUG_CATEGORY_EXTERN (gst_ladder_hls_sink_debug);
#define GST_CAT_DEFAULT gst_ladder_hls_sink_debug

/* call with lock: TRUE if the stream ended on every pad and rendition */
static gboolean
all_ended_unlocked (GstLadderHlsSink * self)
{
  gboolean any = FALSE;
  GList *l;

  /* a failure is announced before our EOS */
  if (self->failures_unannounced > 0)
    return FALSE;
  for (l = self->streams; l; l = l->next) {
    LadderHlsStream *stream = l->data;
    GstLadderHlsSinkPad *pads[2] = { stream->video, stream->audio };
    gboolean has_data = FALSE;
    guint i;

    /* a released rendition is on its way out, a failed one stopped: not
     * waited for */
    if (stream->finalizing || stream->failed)
      continue;
    for (i = 0; i < 2; i++) {
      if (pads[i] == NULL)
        continue;
      if (!gst_ladder_hls_sink_pad_is_eos (pads[i]))
        return FALSE;
      has_data |= gst_ladder_hls_sink_pad_has_data (pads[i]);
    }
    /* without data, hlssink2 has no segment to close */
    if (has_data && !stream->ended)
      return FALSE;
    any = TRUE;
  }
  return any;
}

/* Posts our EOS if the stream has ended everywhere and it is not out yet.
 * Call with no lock. */
void
gst_ladder_hls_sink_check_eos (GstLadderHlsSink * self)
{
  GstMessage *msg = NULL;
  gboolean running;

  /* going down: the playlists are ended by the stop, not by EOS */
  GST_OBJECT_LOCK (self);
  running = GST_STATE_TARGET (self) >= GST_STATE_PAUSED;
  GST_OBJECT_UNLOCK (self);
  if (!running)
    return;

  g_mutex_lock (&self->lock);
  if (!self->eos_posted && all_ended_unlocked (self)) {
    self->eos_posted = TRUE;
    msg = gst_message_new_eos (GST_OBJECT_CAST (self));
    if (self->eos_seqnum != GST_SEQNUM_INVALID)
      gst_message_set_seqnum (msg, self->eos_seqnum);
  }
  g_mutex_unlock (&self->lock);

  if (msg != NULL) {
    GST_INFO_OBJECT (self, "every rendition has ended: posting EOS");
    gst_element_post_message (GST_ELEMENT_CAST (self), msg);
  }
}

/* Whether the rendition of @pad has another track that has not ended */
gboolean
gst_ladder_hls_sink_pad_has_other_track (GstLadderHlsSink * self,
    GstLadderHlsSinkPad * pad)
{
  gboolean other = FALSE;
  GList *l;

  g_mutex_lock (&self->lock);
  for (l = self->streams; l; l = l->next) {
    LadderHlsStream *stream = l->data;
    GstLadderHlsSinkPad *o = NULL;

    if (stream->video == pad)
      o = stream->audio;
    else if (stream->audio == pad)
      o = stream->video;
    else
      continue;
    other = o != NULL && !gst_ladder_hls_sink_pad_is_eos (o);
    break;
  }
  g_mutex_unlock (&self->lock);
  return other;
}


/* The video @pad has caps or ended: the audio of its rendition goes on.
 * The audio @pad has caps or left: the video of its rendition goes on. */
void
gst_ladder_hls_sink_pad_settled (GstLadderHlsSink * self,
    GstLadderHlsSinkPad * pad)
{
  GList *l;

  g_mutex_lock (&self->lock);
  for (l = self->streams; l; l = l->next) {
    LadderHlsStream *stream = l->data;

    if (stream->video == pad && !stream->video_empty)
      ladder_hls_stream_video_settled_unlocked (stream);
    else if (stream->audio == pad)
      ladder_hls_stream_audio_settled_unlocked (stream);
  }
  g_mutex_unlock (&self->lock);
}

static void
drop_empty_video (GstElement * element, gpointer user_data)
{
  GstLadderHlsSink *self = GST_LADDER_HLS_SINK (element);
  GstLadderHlsSinkPad *pad = user_data;
  LadderHlsStream *stream = NULL;
  GList *l;

  g_mutex_lock (&self->pads_lock);
  g_mutex_lock (&self->lock);
  for (l = self->streams; l; l = l->next) {
    LadderHlsStream *cand = l->data;

    if (cand->video == pad && !cand->finalizing && !cand->failed
        && cand->video_empty)
      stream = cand;
  }
  g_mutex_unlock (&self->lock);

  if (stream && GST_STATE (self) >= GST_STATE_PAUSED) {
    GST_INFO_OBJECT (self, "the video of %s is empty: its audio goes on "
        "alone", stream->name);
    ladder_hls_stream_rebuild (self, stream, FALSE);
    gst_element_sync_state_with_parent (stream->hlssink);
  }

  g_mutex_lock (&self->lock);
  for (l = self->streams; l; l = l->next) {
    LadderHlsStream *cand = l->data;

    if (cand->video == pad)
      ladder_hls_stream_unhold_audio_unlocked (cand);
  }
  g_mutex_unlock (&self->lock);
  g_mutex_unlock (&self->pads_lock);
}

/* The video @pad ended without caps while its rendition has audio: the
 * rendition goes on without video, in a new hlssink2 (its audio waited
 * for this at our pad). Streaming thread: the change is made from
 * another one, since it takes the pads lock. */
void
gst_ladder_hls_sink_pad_video_empty (GstLadderHlsSink * self,
    GstLadderHlsSinkPad * pad)
{
  GList *l;

  g_mutex_lock (&self->lock);
  for (l = self->streams; l; l = l->next) {
    LadderHlsStream *stream = l->data;

    if (stream->video == pad)
      ladder_hls_stream_video_empty_unlocked (stream);
  }
  g_mutex_unlock (&self->lock);
  gst_ghost_pad_set_target (GST_GHOST_PAD_CAST (pad), NULL);
  gst_element_call_async (GST_ELEMENT_CAST (self), drop_empty_video,
      gst_object_ref (pad), gst_object_unref);
}

/* EOS went through @pad into its hlssink2 */
void
gst_ladder_hls_sink_pad_eos (GstLadderHlsSink * self,
    GstLadderHlsSinkPad * pad, guint32 seqnum)
{
  g_mutex_lock (&self->lock);
  self->eos_seqnum = seqnum;
  g_mutex_unlock (&self->lock);

  gst_ladder_hls_sink_check_eos (self);
}

/* @pad was flushed: a new stream follows, with a new EOS */
void
gst_ladder_hls_sink_pad_flushed (GstLadderHlsSink * self,
    GstLadderHlsSinkPad * pad)
{
  GList *l;

  g_mutex_lock (&self->lock);
  for (l = self->streams; l; l = l->next) {
    LadderHlsStream *stream = l->data;

    if (stream->video == pad || stream->audio == pad)
      stream->ended = FALSE;
  }
  self->eos_posted = FALSE;
  g_mutex_unlock (&self->lock);
}
