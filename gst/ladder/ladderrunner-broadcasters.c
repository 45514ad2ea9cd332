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

/* The broadcasters around the rungs of a GstLadderRunner: the source
 * broadcasters it follows, the raw broadcaster of a shared decode, and the
 * output broadcasters, with the EOS of a drained output. Everything here
 * runs on the runner thread, except the signal handlers and pad probes,
 * which only hand over to it. */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "ladder.h"
#include "ladderdecode-private.h"
#include "ladderrunner-private.h"

#define GST_CAT_DEFAULT gst_ladder_runner_debug

/* qdata on the broadcasters the runner makes: never sources */
#define ROLE_QUARK (g_quark_from_static_string ("gst-ladder-runner-role"))
#define ROLE_OUTPUT "output"
#define ROLE_INTERNAL "internal"

static const gchar *
last_segment (const gchar * broadcast)
{
  const gchar *slash = strrchr (broadcast, '/');

  return slash ? slash + 1 : broadcast;
}

static GstCaps *
get_broadcaster_caps (GstElement * bcast)
{
  GstCaps *caps = NULL;

  if (g_object_class_find_property (G_OBJECT_GET_CLASS (bcast), "caps"))
    g_object_get (bcast, "caps", &caps, NULL);
  if (caps && (gst_caps_is_empty (caps) || !gst_caps_is_fixed (caps)))
    gst_clear_caps (&caps);
  return caps;
}

/* Holds the buffers arriving at @element's sink pad until release_hold(),
 * so the first rungs, made once the caps are known, see the first buffer. */
static GstPadProbeReturn
hold_probe (GstPad * pad, GstPadProbeInfo * info, gpointer user_data)
{
  return GST_PAD_PROBE_OK;
}

static gulong
hold_buffers (GstElement * element, GstPad ** pad)
{
  *pad = gst_element_get_static_pad (element, "sink");
  if (*pad == NULL)
    return 0;
  return gst_pad_add_probe (*pad, GST_PAD_PROBE_TYPE_BLOCK |
      GST_PAD_PROBE_TYPE_BUFFER | GST_PAD_PROBE_TYPE_BUFFER_LIST, hold_probe,
      NULL, NULL);
}

static void
release_hold (GstPad ** pad, gulong * id)
{
  if (*pad && *id)
    gst_pad_remove_probe (*pad, *id);
  *id = 0;
  gst_clear_object (pad);
}

/* ----- hand-overs from other threads ----- */

typedef struct
{
  GstLadderRunner *runner;
  GstElement *element;
} ElementEvent;

static void
element_event_free (gpointer data)
{
  ElementEvent *ev = data;

  gst_object_unref (ev->element);
  g_free (ev);
}

static LadderSource *
find_source (GstLadderRunner * self, GstElement * bcast)
{
  guint i;

  for (i = 0; i < self->sources->len; i++) {
    LadderSource *src = g_ptr_array_index (self->sources, i);
    if (src->input.bcast == bcast)
      return src;
  }
  return NULL;
}

/* A rendition name ending a broadcast: an output of a ladder */
gboolean
gst_ladder_runner_is_rendition_name (GstLadderRunner * self, const gchar * name)
{
  guint i;

  for (i = 0; i < self->pairs->len; i++) {
    LadderPair *pair = g_ptr_array_index (self->pairs, i);
    if (g_str_equal (pair->rendition->name, name))
      return TRUE;
  }
  return FALSE;
}

/* The keyframe policy of one source (docs/design.md): a video source
 * decides the cuts of all its renditions, on its keyframes when one of
 * them passes it through. Runner thread. */
void
gst_ladder_runner_apply_source_cuts (GstLadderRunner * self, LadderSource * src)
{
  GstClockTime interval;
  gboolean keyframes_only = FALSE;
  guint i;

  if (src->is_output || src->input.caps == NULL
      || gst_caps_is_empty (src->input.caps)
      ||
      !g_str_has_prefix (gst_structure_get_name (gst_caps_get_structure
              (src->input.caps, 0)), "video/"))
    return;

  for (i = 0; i < self->pairs->len; i++) {
    LadderPair *pair = g_ptr_array_index (self->pairs, i);

    if (pair->rendition->passthrough)
      keyframes_only = TRUE;
  }
  GST_OBJECT_LOCK (self);
  interval = self->cut_interval;
  GST_OBJECT_UNLOCK (self);

  GST_DEBUG_OBJECT (self, "%s/%s: cuts every %" GST_TIME_FORMAT "%s",
      src->broadcast, src->track, GST_TIME_ARGS (interval),
      keyframes_only ? " on keyframes" : "");
  g_object_set (src->input.bcast, "cut-interval", interval, "cut-on-keyframes",
      keyframes_only, NULL);
}

void
gst_ladder_runner_apply_cuts (GstLadderRunner * self)
{
  guint i;

  for (i = 0; i < self->sources->len; i++)
    gst_ladder_runner_apply_source_cuts (self, g_ptr_array_index
        (self->sources, i));
}

static gboolean
on_source_caps (gpointer data)
{
  ElementEvent *ev = data;
  GstLadderRunner *self = ev->runner;
  LadderSource *src = find_source (self, ev->element);

  if (src == NULL || src->input.caps != NULL)
    return G_SOURCE_REMOVE;

  src->input.caps = get_broadcaster_caps (src->input.bcast);
  if (src->input.caps) {
    GST_INFO_OBJECT (self, "source %s/%s has caps %" GST_PTR_FORMAT,
        src->broadcast, src->track, src->input.caps);
    self->hooks.source_ready (self, src);
    release_hold (&src->input.hold_pad, &src->input.hold_id);
  }
  return G_SOURCE_REMOVE;
}

/* Hands a notification about @object over to the runner's thread. */
static void
post_element_event (GstLadderRunner * self, GObject * object, GSourceFunc func)
{
  ElementEvent *ev = g_new0 (ElementEvent, 1);

  ev->runner = self;
  ev->element = gst_object_ref (GST_ELEMENT (object));
  gst_ladder_runner_post_async (self, func, ev, element_event_free);
}

static void
source_caps_notify (GObject * object, GParamSpec * pspec, gpointer user_data)
{
  post_element_event (GST_LADDER_RUNNER (user_data), object, on_source_caps);
}

/* The EOS of a feed (a source, or the raw broadcaster of a shared decode):
 * the keys it feeds that have no running instance end their outputs (see
 * gst_ladder_runner_end_key()). */
/* The feed whose broadcaster is @bcast: a source's input or a made one */
static LadderFeed *
find_feed (GstLadderRunner * self, GstElement * bcast)
{
  guint i, j;

  for (i = 0; i < self->sources->len; i++) {
    LadderSource *src = g_ptr_array_index (self->sources, i);

    if (src->input.bcast == bcast)
      return &src->input;
    if (src->decoded && src->decoded->bcast == bcast)
      return src->decoded;
    for (j = 0; j < src->resized->len; j++) {
      LadderFeed *feed = g_ptr_array_index (src->resized, j);

      if (feed->bcast == bcast)
        return feed;
    }
  }
  return NULL;
}

/* The EOS of a feed (a source, or the output of a shared decode) */
static gboolean
on_feed_eos (gpointer data)
{
  ElementEvent *ev = data;
  LadderFeed *feed = find_feed (ev->runner, ev->element);

  if (feed)
    ev->runner->hooks.feed_ended (ev->runner, feed);
  return G_SOURCE_REMOVE;
}

static GstPadProbeReturn
feed_eos_probe (GstPad * pad, GstPadProbeInfo * info, gpointer user_data)
{
  GstObject *parent;

  if (GST_EVENT_TYPE (GST_PAD_PROBE_INFO_EVENT (info)) != GST_EVENT_EOS)
    return GST_PAD_PROBE_OK;
  parent = gst_pad_get_parent (pad);
  if (parent) {
    post_element_event (GST_LADDER_RUNNER (user_data), G_OBJECT (parent),
        on_feed_eos);
    gst_object_unref (parent);
  }
  return GST_PAD_PROBE_OK;
}

/* Watches the sink pad of @element for EOS; undone by release_hold() */
static gulong
watch_feed_eos (GstLadderRunner * self, GstElement * element, GstPad ** pad)
{
  *pad = gst_element_get_static_pad (element, "sink");
  if (*pad == NULL)
    return 0;
  return gst_pad_add_probe (*pad, GST_PAD_PROBE_TYPE_EVENT_DOWNSTREAM,
      feed_eos_probe, self, NULL);
}

static gboolean
on_raw_caps (gpointer data)
{
  ElementEvent *ev = data;
  GstLadderRunner *self = ev->runner;
  LadderFeed *feed = find_feed (self, ev->element);

  if (feed == NULL || feed->maker == NULL || feed->caps != NULL)
    return G_SOURCE_REMOVE;

  feed->caps = get_broadcaster_caps (feed->bcast);
  if (feed->caps == NULL)
    return G_SOURCE_REMOVE;

  GST_INFO_OBJECT (self, "decoded %s/%s: %" GST_PTR_FORMAT,
      feed->source->broadcast, feed->source->track, feed->caps);
  /* the keys that waited for the decoded caps start, then the decoded
   * stream goes on */
  self->hooks.feed_ready (self, feed);
  release_hold (&feed->hold_pad, &feed->hold_id);
  return G_SOURCE_REMOVE;
}

static void
raw_caps_notify (GObject * object, GParamSpec * pspec, gpointer user_data)
{
  post_element_event (GST_LADDER_RUNNER (user_data), object, on_raw_caps);
}

/* ----- sources ----- */

void
gst_ladder_runner_source_free (LadderSource * src)
{
  release_hold (&src->input.hold_pad, &src->input.hold_id);
  release_hold (&src->input.eos_pad, &src->input.eos_id);
  if (src->input.caps_id)
    g_signal_handler_disconnect (src->input.bcast, src->input.caps_id);
  gst_object_unref (src->input.bcast);
  gst_object_unref (src->bin);
  g_free (src->broadcast);
  g_free (src->track);
  gst_clear_caps (&src->input.caps);
  g_ptr_array_unref (src->resized);
  g_free (src);
}

/* A source broadcaster is followed on the runner thread, some time after
 * it was added. Until then its buffers and its EOS wait at its sink pad
 * (its other events, caps among them, go on), or a short input could pass
 * through, or end, before the runner holds it, and its renditions would
 * get nothing. Called on the thread that adds @element, for every element
 * added to the bin; the hold goes in gst_ladder_runner_track_element(). */
static GstPadProbeReturn
early_hold_probe (GstPad * pad, GstPadProbeInfo * info, gpointer user_data)
{
  if ((info->type & GST_PAD_PROBE_TYPE_EVENT_DOWNSTREAM) &&
      GST_EVENT_TYPE (GST_PAD_PROBE_INFO_EVENT (info)) != GST_EVENT_EOS)
    return GST_PAD_PROBE_PASS;
  return GST_PAD_PROBE_OK;
}

gulong
gst_ladder_runner_hold_new_element (GstElement * element, GstPad ** pad)
{
  *pad = NULL;
  if (!GST_IS_LADDER_BROADCASTER (element)
      || g_object_get_qdata (G_OBJECT (element), ROLE_QUARK) != NULL)
    return 0;
  *pad = gst_element_get_static_pad (element, "sink");
  if (*pad == NULL)
    return 0;
  return gst_pad_add_probe (*pad, GST_PAD_PROBE_TYPE_BLOCK |
      GST_PAD_PROBE_TYPE_BUFFER | GST_PAD_PROBE_TYPE_BUFFER_LIST |
      GST_PAD_PROBE_TYPE_EVENT_DOWNSTREAM, early_hold_probe, NULL, NULL);
}

static void track_element (GstLadderRunner * self, GstElement * element);

/* Follows @element if it is a source broadcaster, then lets go of the hold
 * that gst_ladder_runner_hold_new_element() put on it (@early_pad and
 * @early_id, may be NULL): by then the runner holds what it needs. */
void
gst_ladder_runner_track_element (GstLadderRunner * self, GstElement * element,
    GstPad ** early_pad, gulong * early_id)
{
  track_element (self, element);
  if (early_pad && early_id)
    release_hold (early_pad, early_id);
}

static void
track_element (GstLadderRunner * self, GstElement * element)
{
  LadderSource *src;
  GstObject *parent;
  gchar *broadcast = NULL, *track = NULL;

  if (!GST_IS_LADDER_BROADCASTER (element))
    return;
  if (g_object_get_qdata (G_OBJECT (element), ROLE_QUARK) != NULL)
    return;
  if (find_source (self, element) != NULL)
    return;

  parent = gst_object_get_parent (GST_OBJECT (element));
  if (parent == NULL || !GST_IS_BIN (parent)) {
    if (parent)
      gst_object_unref (parent);
    return;
  }

  g_object_get (element, "broadcast", &broadcast, "track", &track, NULL);
  src = g_new0 (LadderSource, 1);
  src->resized = g_ptr_array_new ();
  src->input.source = src;
  src->input.bcast = gst_object_ref (element);
  src->bin = GST_BIN (parent);
  src->broadcast = broadcast ? broadcast : g_strdup ("");
  src->track = track ? track : g_strdup ("");
  src->is_output = gst_ladder_runner_is_rendition_name (self,
      last_segment (src->broadcast));
  g_ptr_array_add (self->sources, src);

  if (src->is_output) {
    GST_INFO_OBJECT (self, "%s/%s is an output, not transcoded",
        src->broadcast, src->track);
    return;
  }

  GST_INFO_OBJECT (self, "following source %s/%s (%s)", src->broadcast,
      src->track, GST_ELEMENT_NAME (element));
  src->input.eos_id = watch_feed_eos (self, element, &src->input.eos_pad);
  if (g_object_class_find_property (G_OBJECT_GET_CLASS (element), "caps"))
    src->input.caps_id = g_signal_connect (element, "notify::caps",
        G_CALLBACK (source_caps_notify), self);
  src->input.caps = get_broadcaster_caps (element);
  if (src->input.caps) {
    self->hooks.source_ready (self, src);
  } else {
    /* until the runner saw the caps (even with an empty ladder: one may be
     * added before then) */
    src->input.hold_id = hold_buffers (element, &src->input.hold_pad);
    /* the caps may have come meanwhile */
    src->input.caps = get_broadcaster_caps (element);
    if (src->input.caps) {
      self->hooks.source_ready (self, src);
      release_hold (&src->input.hold_pad, &src->input.hold_id);
    }
  }
}

void
gst_ladder_runner_untrack_element (GstLadderRunner * self, GstElement * element)
{
  LadderSource *src = find_source (self, element);

  if (src == NULL)
    return;

  GST_INFO_OBJECT (self, "source %s/%s left", src->broadcast, src->track);
  self->hooks.source_left (self, src);
  g_ptr_array_remove (self->sources, src);
}

/* ----- the shared decode ----- */

gboolean
gst_ladder_runner_source_is_encoded_video (LadderSource * src)
{
  return gst_ladder_decode_caps_are_encoded (src->input.caps);
}

/* raw frames each branch of a made feed holds while it holds back a
 * non-live source: one waiting while one is worked on keeps both stages
 * busy; more only costs memory (a file source fills every queue to its
 * limit). A live source keeps the max-queue limits, the slack for its
 * jitter: a second of frames (max-queue-time) whatever their size, with
 * no limit in bytes. The default 10 MiB is 3 frames of 1080p: a rung that
 * stops for 100 ms (an encoder starting on a busy machine) would lose a
 * frame, which its x264 rung then fills with a repeated one. */
#define RAW_BLOCK_QUEUE_BUFFERS 1

/* The broadcasters the runner makes never evict a pad (max-lag 0): nothing
 * would ever release it, so an output or a rung whose consumer stalled
 * once would get nothing more for good. A live pad that lags drops whole
 * GOPs instead and resumes on a keyframe when its consumer is back. */
#define RUNNER_MAX_LAG ((guint64) 0)

/* What an output holds before it drops (live) or holds its rung back (not
 * live). The tracks of a rendition meet in one muxer (ladderhlssink's, or
 * the application's mp4mux or flvmux), which waits for the later track:
 * the video comes out of a decoder and an encoder, and a live input may
 * send one track seconds ahead of the other. The earlier track's output
 * holds what arrives ahead until the other catches up, up to this much;
 * its size in bytes stays bounded by max-queue-bytes, and no count of
 * buffers applies (200 AAC frames are 4.3 s). */
#define OUTPUT_MAX_QUEUE_TIME (10 * GST_SECOND)

/* A feed made by a rung of @src (its shared decode, a resize step: raw
 * video): an internal broadcaster, @name ending its broadcast, whose first
 * buffers wait until its caps are known and the rungs it feeds started.
 * Its maker is set by the caller. */
LadderFeed *
gst_ladder_runner_make_feed (GstLadderRunner * self, LadderSource * src,
    const gchar * name)
{
  LadderFeed *feed;
  gchar *broadcast;

  feed = g_new0 (LadderFeed, 1);
  feed->source = src;
  broadcast = g_strdup_printf ("%s/%s", src->broadcast, name);
  feed->bcast = g_object_new (GST_TYPE_LADDER_BROADCASTER, "broadcast",
      broadcast, "track", src->track, "block-queue-buffers",
      RAW_BLOCK_QUEUE_BUFFERS, "max-queue-bytes", (guint64) 0, "max-lag",
      RUNNER_MAX_LAG, NULL);
  g_free (broadcast);
  g_object_set_qdata (G_OBJECT (feed->bcast), ROLE_QUARK,
      (gpointer) ROLE_INTERNAL);
  gst_object_ref_sink (feed->bcast);
  gst_bin_add (src->bin, feed->bcast);
  gst_element_sync_state_with_parent (feed->bcast);
  feed->caps_id = g_signal_connect (feed->bcast, "notify::caps",
      G_CALLBACK (raw_caps_notify), self);
  feed->hold_id = hold_buffers (feed->bcast, &feed->hold_pad);
  feed->eos_id = watch_feed_eos (self, feed->bcast, &feed->eos_pad);
  return feed;
}

/* Lets the buffers held at @feed go on before its first caps were seen:
 * its maker is being stopped, and a streaming thread of the maker may be
 * waiting in the hold, which stopping the maker would wait for. */
void
gst_ladder_runner_unhold_feed (GstLadderRunner * self, LadderFeed * feed)
{
  release_hold (&feed->hold_pad, &feed->hold_id);
}

/* Unhooks a made feed from its source, before its maker is removed (the
 * maker's output, the same broadcaster, is removed with it). */
void
gst_ladder_runner_forget_feed (GstLadderRunner * self, LadderFeed * feed)
{
  if (feed->caps_id)
    g_signal_handler_disconnect (feed->bcast, feed->caps_id);
  feed->caps_id = 0;
  release_hold (&feed->hold_pad, &feed->hold_id);
  release_hold (&feed->eos_pad, &feed->eos_id);
  if (feed->source->decoded == feed)
    feed->source->decoded = NULL;
  g_ptr_array_remove (feed->source->resized, feed);
  gst_clear_caps (&feed->caps);
  gst_object_unref (feed->bcast);
  g_free (feed);
}

/* A rendition name ending the broadcast of @src: an output of a ladder,
 * not transcoded again. */
gboolean
gst_ladder_runner_source_is_output (GstLadderRunner * self, LadderSource * src)
{
  return src->is_output || gst_ladder_runner_is_rendition_name (self,
      last_segment (src->broadcast));
}

/* ----- outputs ----- */

void
gst_ladder_runner_make_output (GstLadderRunner * self, LadderKey * key)
{
  LadderSource *src = key->source;
  gchar *broadcast;

  broadcast = g_strdup_printf ("%s/%s", src->broadcast, key->rendition_name);
  key->output = g_object_new (GST_TYPE_LADDER_BROADCASTER, "broadcast",
      broadcast, "track", src->track, "max-queue-time",
      (guint64) OUTPUT_MAX_QUEUE_TIME, "max-queue-buffers", 0, "max-lag",
      RUNNER_MAX_LAG, NULL);
  g_free (broadcast);
  g_object_set_qdata (G_OBJECT (key->output), ROLE_QUARK,
      (gpointer) ROLE_OUTPUT);
  gst_object_ref_sink (key->output);
  gst_bin_add (src->bin, key->output);
  gst_element_sync_state_with_parent (key->output);
}

void
gst_ladder_runner_announce_output (GstLadderRunner * self, LadderKey * key)
{
  if (key->announced || key->makes || key->output == NULL)
    return;
  key->announced = TRUE;
  GST_INFO_OBJECT (self, "output %s for %s", GST_ELEMENT_NAME (key->output),
      key->key);
  g_signal_emit_by_name (self, "output-added", key->output,
      key->rendition_name, key->source->track);
}

/* Removes @key's output (or the raw broadcaster of a decode), announced
 * with output-removed first. A wait for its EOS is given up. */
void
gst_ladder_runner_remove_output (GstLadderRunner * self, LadderKey * key)
{
  gst_ladder_runner_cancel_output_drain (self, key);
  if (key->output == NULL)
    return;

  if (key->announced)
    g_signal_emit_by_name (self, "output-removed", key->output,
        key->rendition_name, key->source->track);
  /* locked and set to NULL, it flushes: a rung thread blocked pushing into
   * it (a full queue of a stuck branch) is released */
  gst_element_set_locked_state (key->output, TRUE);
  gst_element_set_state (key->output, GST_STATE_NULL);
  if (GST_OBJECT_PARENT (key->output) == GST_OBJECT (key->source->bin))
    gst_bin_remove (key->source->bin, key->output);
  gst_object_unref (key->output);
  key->output = NULL;
}

/* ----- the EOS of a drained output -----
 *
 * Once a drained rung has pushed out everything, the runner sends EOS into
 * its output and waits until that EOS has been pushed out of every src pad
 * of the output that has a downstream, so that what the per-pad queues held
 * and the EOS itself reach downstream before output-removed. Per pad, an
 * event probe sees the EOS going out; an idle probe added from there (the
 * pad is not in use yet, so it is called at once, which it ignores) is
 * called again when the push of the EOS to the peer has returned. The last
 * pad hands the end over to the runner thread. The streaming threads are
 * never blocked; the runner thread does not wait either: the drain timeout
 * of the key bounds the whole drain. */

struct _LadderOutputDrain
{
  gint refcount;
  GMutex lock;
  GMainContext *context;        /* ref, protected by lock: NULL once given up */
  GstLadderRunner *runner;      /* not a ref: only used on the runner thread */
  gchar *key;
  gint pending;                 /* pads still to push the EOS, +1 while set up */
  GPtrArray *pads;              /* OutputDrainPad, set up on the runner thread */
};

typedef struct
{
  LadderOutputDrain *drain;
  GstPad *pad;                  /* ref, runner thread; NULL once given up */
  gulong eos_probe;             /* runner thread */
  gint seen;                    /* atomic: the EOS went out of the pad */
} OutputDrainPad;

static LadderOutputDrain *
output_drain_ref (LadderOutputDrain * drain)
{
  g_atomic_int_inc (&drain->refcount);
  return drain;
}

static void
output_drain_unref (gpointer data)
{
  LadderOutputDrain *drain = data;

  if (!g_atomic_int_dec_and_test (&drain->refcount))
    return;
  if (drain->context)
    g_main_context_unref (drain->context);
  g_mutex_clear (&drain->lock);
  g_ptr_array_unref (drain->pads);
  g_free (drain->key);
  g_free (drain);
}

static void
output_drain_pad_free (gpointer data)
{
  OutputDrainPad *dp = data;

  if (dp->pad)
    gst_object_unref (dp->pad);
  g_free (dp);
}

/* the destroy notify of an EOS probe: the probe held a ref on the drain,
 * which owns @data */
static void
output_drain_pad_release (gpointer data)
{
  OutputDrainPad *dp = data;

  output_drain_unref (dp->drain);
}

static gboolean
on_output_drained (gpointer data)
{
  LadderOutputDrain *drain = data;
  GstLadderRunner *self = drain->runner;
  LadderKey *key = g_hash_table_lookup (self->keys, drain->key);

  /* a drain given up (timeout, teardown) is no longer the key's */
  if (key == NULL || key->output_drain != drain)
    return G_SOURCE_REMOVE;
  GST_DEBUG_OBJECT (self, "the EOS of %s left its output", key->key);
  self->hooks.output_drained (self, key);
  return G_SOURCE_REMOVE;
}

/* One pad done; the last one hands over to the runner thread. Any thread. */
static void
output_drain_pad_done (LadderOutputDrain * drain)
{
  GSource *source;

  if (!g_atomic_int_dec_and_test (&drain->pending))
    return;

  g_mutex_lock (&drain->lock);
  if (drain->context) {
    source = g_idle_source_new ();
    g_source_set_priority (source, G_PRIORITY_DEFAULT);
    g_source_set_callback (source, on_output_drained,
        output_drain_ref (drain), output_drain_unref);
    g_source_attach (source, drain->context);
    g_source_unref (source);
  }
  g_mutex_unlock (&drain->lock);
}

static GstPadProbeReturn
output_idle_probe (GstPad * pad, GstPadProbeInfo * info, gpointer user_data)
{
  /* called at once from gst_pad_add_probe(), before the EOS is pushed to
   * the peer: not yet */
  if ((info->type & GST_PAD_PROBE_TYPE_PUSH) == 0)
    return GST_PAD_PROBE_OK;
  output_drain_pad_done (user_data);
  return GST_PAD_PROBE_REMOVE;
}

static GstPadProbeReturn
output_eos_probe (GstPad * pad, GstPadProbeInfo * info, gpointer user_data)
{
  OutputDrainPad *dp = user_data;
  GstPad *peer;

  if (GST_EVENT_TYPE (GST_PAD_PROBE_INFO_EVENT (info)) != GST_EVENT_EOS
      || !g_atomic_int_compare_and_exchange (&dp->seen, 0, 1))
    return GST_PAD_PROBE_OK;

  peer = gst_pad_get_peer (pad);
  if (peer == NULL) {
    /* unlinked meanwhile: nobody to deliver it to */
    output_drain_pad_done (dp->drain);
    return GST_PAD_PROBE_OK;
  }
  gst_object_unref (peer);
  gst_pad_add_probe (pad, GST_PAD_PROBE_TYPE_IDLE, output_idle_probe,
      output_drain_ref (dp->drain), output_drain_unref);
  return GST_PAD_PROBE_OK;
}

static void
collect_src_pads (const GValue * item, gpointer user_data)
{
  g_ptr_array_add (user_data, g_value_dup_object (item));
}

/* Sends EOS into @key's output after its rung drained and starts waiting
 * for it to leave the output. Returns FALSE when there is nothing to wait
 * for (no downstream, or the output cannot take the EOS). */
gboolean
gst_ladder_runner_drain_output (GstLadderRunner * self, LadderKey * key)
{
  LadderOutputDrain *drain;
  GstIterator *it;
  GPtrArray *pads;
  GstPad *sinkpad;
  gboolean sent;
  guint i;

  g_assert (key->output_drain == NULL);
  if (key->output == NULL)
    return FALSE;

  drain = g_new0 (LadderOutputDrain, 1);
  drain->refcount = 1;
  g_mutex_init (&drain->lock);
  drain->context = g_main_context_ref (self->context);
  drain->runner = self;
  drain->key = g_strdup (key->key);
  drain->pending = 1;
  drain->pads = g_ptr_array_new_with_free_func (output_drain_pad_free);
  key->output_drain = drain;

  pads = g_ptr_array_new_with_free_func (gst_object_unref);
  it = gst_element_iterate_src_pads (key->output);
  while (gst_iterator_foreach (it, collect_src_pads, pads) ==
      GST_ITERATOR_RESYNC) {
    g_ptr_array_set_size (pads, 0);
    gst_iterator_resync (it);
  }
  gst_iterator_free (it);

  for (i = 0; i < pads->len; i++) {
    GstPad *pad = g_ptr_array_index (pads, i);
    OutputDrainPad *dp;

    /* only a linked pad of a running output receives the EOS */
    if (!GST_PAD_IS_ACTIVE (pad) || !gst_pad_is_linked (pad))
      continue;
    dp = g_new0 (OutputDrainPad, 1);
    dp->drain = drain;
    dp->pad = gst_object_ref (pad);
    g_ptr_array_add (drain->pads, dp);
    g_atomic_int_inc (&drain->pending);
    output_drain_ref (drain);
    dp->eos_probe = gst_pad_add_probe (pad,
        GST_PAD_PROBE_TYPE_EVENT_DOWNSTREAM, output_eos_probe, dp,
        output_drain_pad_release);
    /* it pushed an EOS already (the source ended): nothing more comes */
    if (GST_PAD_IS_EOS (pad) && g_atomic_int_compare_and_exchange (&dp->seen,
            0, 1))
      g_atomic_int_add (&drain->pending, -1);
  }
  g_ptr_array_unref (pads);

  sinkpad = gst_element_get_static_pad (key->output, "sink");
  sent = gst_pad_send_event (sinkpad, gst_event_new_eos ());
  if (!sent && !GST_PAD_IS_EOS (sinkpad)) {
    /* flushing or stopped: no EOS will come out */
    GST_DEBUG_OBJECT (self, "the output of %s took no EOS", key->key);
    gst_object_unref (sinkpad);
    gst_ladder_runner_cancel_output_drain (self, key);
    return FALSE;
  }
  gst_object_unref (sinkpad);

  GST_DEBUG_OBJECT (self, "waiting for the EOS of %s to leave %u pads",
      key->key, drain->pads->len);
  if (g_atomic_int_dec_and_test (&drain->pending)) {
    gst_ladder_runner_cancel_output_drain (self, key);
    return FALSE;
  }
  return TRUE;
}

/* Stops waiting for the EOS of @key's output (done, timed out or torn
 * down): the probes go, a hand-over still on its way is ignored. */
void
gst_ladder_runner_cancel_output_drain (GstLadderRunner * self, LadderKey * key)
{
  LadderOutputDrain *drain = key->output_drain;
  GMainContext *context;
  guint i;

  if (drain == NULL)
    return;
  key->output_drain = NULL;

  g_mutex_lock (&drain->lock);
  context = drain->context;
  drain->context = NULL;
  g_mutex_unlock (&drain->lock);
  g_main_context_unref (context);

  /* an idle probe not called yet stays with its pad until called or the
   * pad goes; the pads are not kept, so that it keeps no pad alive */
  for (i = 0; i < drain->pads->len; i++) {
    OutputDrainPad *dp = g_ptr_array_index (drain->pads, i);
    gst_pad_remove_probe (dp->pad, dp->eos_probe);
    gst_clear_object (&dp->pad);
  }
  output_drain_unref (drain);
}
