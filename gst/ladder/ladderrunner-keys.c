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

/* The life of the rung keys of a GstLadderRunner: spawning rungs, starting
 * and tearing down their instances, faults and restarts, drained removal
 * and stats. The broadcasters around the rungs (sources, the shared
 * decode, outputs) are in ladderrunner-broadcasters.c. Everything here
 * runs on the runner thread, except the signal handlers of the rungs,
 * which only hand over to it. */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#ifdef HAVE_MALLOC_TRIM
#include <malloc.h>
#endif

#include "ladder.h"
#include "ladder-private.h"
#include "ladderrunner-private.h"

#define GST_CAT_DEFAULT gst_ladder_runner_debug

static void start_key (GstLadderRunner * self, LadderKey * key);
static void end_key (GstLadderRunner * self, LadderKey * key,
    const gchar * why);
static void key_fault (GstLadderRunner * self, LadderKey * key,
    GstLadderRung * rung, GstLadderPhase phase, const GError * error,
    const gchar * debug);

static void
runner_post_message (GstLadderRunner * self, GstElement * src,
    GstMessage * message)
{
  GstBin *bin = gst_ladder_runner_ref_bin (self);

  if (src == NULL)
    src = GST_ELEMENT (bin);
  if (src == NULL || !gst_element_post_message (src, message)) {
    if (src == NULL)
      gst_message_unref (message);
  }
  if (bin)
    gst_object_unref (bin);
}

typedef struct
{
  GstLadderRunner *runner;
  GstLadderRung *rung;
  gchar *key;
  GstLadderPhase phase;
  GError *error;
  gchar *debug;
} RungEvent;

static void
rung_event_free (gpointer data)
{
  RungEvent *ev = data;

  gst_object_unref (ev->rung);
  g_free (ev->key);
  g_clear_error (&ev->error);
  g_free (ev->debug);
  g_free (ev);
}

static RungEvent *
rung_event_new (GstLadderRunner * self, GstLadderRung * rung)
{
  RungEvent *ev = g_new0 (RungEvent, 1);

  ev->runner = self;
  ev->rung = gst_object_ref (rung);
  ev->key = g_strdup (gst_ladder_rung_get_key (rung));
  return ev;
}

static gboolean
on_rung_fault (gpointer data)
{
  RungEvent *ev = data;
  LadderKey *key = g_hash_table_lookup (ev->runner->keys, ev->key);

  if (key == NULL || key->rung != ev->rung) {
    GST_DEBUG_OBJECT (ev->runner, "fault of a gone rung %s", ev->key);
    return G_SOURCE_REMOVE;
  }
  key_fault (ev->runner, key, ev->rung, ev->phase, ev->error, ev->debug);
  return G_SOURCE_REMOVE;
}

static void
rung_fault_cb (GstLadderRung * rung, GstLadderPhase phase, GError * error,
    const gchar * debug, gpointer user_data)
{
  GstLadderRunner *self = GST_LADDER_RUNNER (user_data);
  RungEvent *ev = rung_event_new (self, rung);

  ev->phase = phase;
  ev->error = error ? g_error_copy (error) : NULL;
  ev->debug = g_strdup (debug);
  gst_ladder_runner_post_async (self, on_rung_fault, ev, rung_event_free);
}

static void finish_key_removal (GstLadderRunner * self, LadderKey * key);

static gboolean
on_rung_drained (gpointer data)
{
  RungEvent *ev = data;
  LadderKey *key = g_hash_table_lookup (ev->runner->keys, ev->key);

  if (key == NULL || key->rung != ev->rung || key->removal == NULL
      || key->output_drain != NULL)
    return G_SOURCE_REMOVE;
  GST_DEBUG_OBJECT (ev->runner, "rung %s drained", key->key);
  /* then its output: the EOS through it, to every downstream */
  if (!gst_ladder_runner_drain_output (ev->runner, key))
    finish_key_removal (ev->runner, key);
  return G_SOURCE_REMOVE;
}

static void
rung_drained_cb (GstLadderRung * rung, gpointer user_data)
{
  GstLadderRunner *self = GST_LADDER_RUNNER (user_data);

  gst_ladder_runner_post_async (self, on_rung_drained,
      rung_event_new (self, rung), rung_event_free);
}

/* ----- keys ----- */

void
gst_ladder_runner_key_free (LadderKey * key)
{
  g_free (key->key);
  g_free (key->transcoder);
  g_free (key->rendition_name);
  if (key->rendition)
    gst_ladder_rendition_free (key->rendition);
  g_free (key);
}

/* ----- the lifecycle of a key -----
 *
 * One state machine per key, on GstLadderRungState (docs/design.md), and
 * every change of state goes through key_set_state(), whose table is the
 * whole of it:
 *
 *   STARTING ──first fragment out──► RUNNING
 *   STARTING, RUNNING ──fault──► RESTARTING ──restart delay──► STARTING
 *   STARTING, RUNNING ──quick faults──► DEGRADED ──restart()──► STARTING
 *   STARTING, RUNNING ──drained removal──► DRAINING ──drained, timeout──►
 *     STOPPED
 *   DEGRADED ──at once, offline──► STOPPED
 *   STARTING, RUNNING ──fault in an offline preroll, nothing out yet──►
 *     STOPPED
 *   any ──removed, or its feed ended while not running──► STOPPED
 *
 * STARTING also covers a key waiting for its feed's caps (a rung fed by
 * the shared decode before the first decoded frame). */

#define BIT(state) (1u << (state))

static const guint key_transitions[] = {
  [GST_LADDER_RUNG_STATE_STARTING] = BIT (GST_LADDER_RUNG_STATE_STARTING) |
      BIT (GST_LADDER_RUNG_STATE_RUNNING) |
      BIT (GST_LADDER_RUNG_STATE_RESTARTING) |
      BIT (GST_LADDER_RUNG_STATE_DEGRADED) |
      BIT (GST_LADDER_RUNG_STATE_DRAINING) |
      BIT (GST_LADDER_RUNG_STATE_STOPPED),
  [GST_LADDER_RUNG_STATE_RUNNING] = BIT (GST_LADDER_RUNG_STATE_RESTARTING) |
      BIT (GST_LADDER_RUNG_STATE_DEGRADED) |
      BIT (GST_LADDER_RUNG_STATE_DRAINING) |
      BIT (GST_LADDER_RUNG_STATE_STOPPED),
  [GST_LADDER_RUNG_STATE_RESTARTING] = BIT (GST_LADDER_RUNG_STATE_STARTING) |
      BIT (GST_LADDER_RUNG_STATE_STOPPED),
  [GST_LADDER_RUNG_STATE_DEGRADED] = BIT (GST_LADDER_RUNG_STATE_STARTING) |
      BIT (GST_LADDER_RUNG_STATE_STOPPED),
  [GST_LADDER_RUNG_STATE_DRAINING] = BIT (GST_LADDER_RUNG_STATE_STOPPED),
  [GST_LADDER_RUNG_STATE_STOPPED] = BIT (GST_LADDER_RUNG_STATE_STOPPED),
};

static const gchar *
state_name (GstLadderRungState state)
{
  GEnumClass *klass = g_type_class_ref (GST_TYPE_LADDER_RUNG_STATE);
  GEnumValue *v = g_enum_get_value (klass, state);
  const gchar *name = v ? v->value_nick : "?";

  g_type_class_unref (klass);
  return name;
}

/* Moves @key to @state, if the table allows it; returns FALSE (and
 * changes nothing) otherwise */
static gboolean
key_set_state (GstLadderRunner * self, LadderKey * key,
    GstLadderRungState state)
{
  GstLadderRungState from = key->state;

  if (from >= G_N_ELEMENTS (key_transitions)
      || (key_transitions[from] & BIT (state)) == 0) {
    GST_ERROR_OBJECT (self, "%s: no transition from %s to %s", key->key,
        state_name (from), state_name (state));
    g_warn_if_reached ();
    return FALSE;
  }
  if (from != state)
    GST_DEBUG_OBJECT (self, "%s: %s -> %s", key->key, state_name (from),
        state_name (state));
  key->state = state;
  return TRUE;
}

#undef BIT

/* A new key of (@type, @rendition) on @src, fed by the source itself,
 * STARTING, in the table; @name is its key string, taken */
static LadderKey *
key_new (GstLadderRunner * self, gchar * name, GType type,
    const GstLadderRendition * rendition, LadderSource * src)
{
  LadderKey *key = g_new0 (LadderKey, 1);

  key->key = name;
  key->type = type;
  key->transcoder = g_strdup (gst_ladder_transcoder_type_get_name (type));
  key->rendition_name = g_strdup (rendition->name);
  key->rendition = gst_ladder_rendition_copy (rendition);
  key->source = src;
  key->feed = &src->input;
  key->state = GST_LADDER_RUNG_STATE_STARTING;
  g_hash_table_insert (self->keys, key->key, key);
  return key;
}

/* The output of the shared decode of @src, made on first use with the
 * key that makes it (a ladderdecode rung), or NULL when the source is not
 * encoded video. */
static LadderFeed *
decoded_feed (GstLadderRunner * self, LadderSource * src)
{
  GstLadderRendition *raw;
  LadderKey *key;

  if (src->decoded)
    return src->decoded;
  if (!gst_ladder_runner_source_is_encoded_video (src))
    return NULL;

  raw = gst_ladder_decode_rendition_new ();
  key =
      key_new (self,
      gst_ladder_rung_key_new (gst_ladder_transcoder_type_get_name
          (GST_TYPE_LADDER_DECODE), raw->name, src->broadcast, src->track),
      GST_TYPE_LADDER_DECODE, raw, src);
  gst_ladder_rendition_free (raw);
  key->makes = gst_ladder_runner_make_feed (self, src, key->rendition_name);
  key->makes->maker = key;
  src->decoded = key->makes;

  GST_INFO_OBJECT (self, "decoding %s/%s once", src->broadcast, src->track);
  start_key (self, key);
  return key->makes;
}

/* ----- the scaling cascade -----
 *
 * A key whose transcoder scales (GstLadderTranscoderClass.scaled_size)
 * takes frames already at its size: the output of a resize step of its
 * source, a made feed like the shared decode's, made on first use from the
 * smallest larger picture of the source that is made already (or planned),
 * else from the key's own feed (the decode, or a raw source). So 240p is
 * scaled from 480p, 480p from 720p, and only 720p reads the source. A
 * resize step is a key (transcoder "resize", rendition raw-WxH), restarted
 * and degraded like any, and goes with its last user. docs/design.md, "The
 * scaling cascade". */

/* The size of the raw video of @caps, FALSE if there is none */
static gboolean
caps_size (const GstCaps * caps, gint * width, gint * height)
{
  const GstStructure *s;

  if (caps == NULL || gst_caps_get_size (caps) == 0)
    return FALSE;
  s = gst_caps_get_structure (caps, 0);
  return gst_structure_has_name (s, "video/x-raw")
      && gst_structure_get_int (s, "width", width)
      && gst_structure_get_int (s, "height", height);
}

/* The output of the resize step of @src to @width x @height, made on
 * first use from the smallest picture at least that large among @base
 * (the feed it would take otherwise) and the resize steps made already */
static LadderFeed *
resized_feed (GstLadderRunner * self, LadderSource * src, LadderFeed * base,
    gint width, gint height)
{
  GstLadderRendition *r;
  LadderFeed *parent = base, *feed;
  LadderKey *key;
  gint64 best = G_MAXINT64;
  guint i;

  for (i = 0; i < src->resized->len; i++) {
    feed = g_ptr_array_index (src->resized, i);
    if (feed->width == width && feed->height == height)
      return feed;
    if (feed->width >= width && feed->height >= height
        && (gint64) feed->width * feed->height < best) {
      best = (gint64) feed->width * feed->height;
      parent = feed;
    }
  }

  r = gst_ladder_resize_rendition_new (width, height);
  key = key_new (self, gst_ladder_rung_key_new
      (gst_ladder_transcoder_type_get_name (GST_TYPE_LADDER_RESIZE), r->name,
          src->broadcast, src->track), GST_TYPE_LADDER_RESIZE, r, src);
  key->feed = parent;
  parent->users++;
  key->makes = gst_ladder_runner_make_feed (self, src, r->name);
  key->makes->maker = key;
  key->makes->width = width;
  key->makes->height = height;
  g_ptr_array_add (src->resized, key->makes);
  gst_ladder_rendition_free (r);

  GST_INFO_OBJECT (self, "%s/%s: %dx%d scaled from %s", src->broadcast,
      src->track, width, height, parent->maker ? parent->maker->key :
      "the source");
  if (parent->caps != NULL)
    start_key (self, key);
  return key->makes;
}

/* Before @key starts on its feed, whose caps are known: moves it to the
 * resize step of its size when its transcoder scales. Returns TRUE when it
 * can start now, FALSE when it waits for that step's caps. */
static gboolean
cascade_feed (GstLadderRunner * self, LadderKey * key)
{
  LadderFeed *base = key->feed, *feed;
  gboolean cascade;
  gint w, h, in_w, in_h;

  GST_OBJECT_LOCK (self);
  cascade = self->cascade;
  GST_OBJECT_UNLOCK (self);

  if (!cascade || base->width > 0 || key->makes != NULL
      || !caps_size (base->caps, &in_w, &in_h)
      || !gst_ladder_transcoder_type_scaled_size (key->type, key->rendition,
          base->caps, &w, &h) || (w == in_w && h == in_h)
      || w > in_w || h > in_h)
    return TRUE;

  feed = resized_feed (self, key->source, base, w, h);
  /* the step holds its own use of @base (or of a step that does) */
  if (base->maker && base->users > 0)
    base->users--;
  key->feed = feed;
  feed->users++;
  return feed->caps != NULL;
}

/* The picture area @key's transcoder makes from @caps, 0 if it does not
 * scale: the larger keys start first, so that the smaller ones find their
 * resize steps to scale from */
static gint64
scaled_area (LadderKey * key, const GstCaps * caps)
{
  gint w, h;

  if (!gst_ladder_transcoder_type_scaled_size (key->type, key->rendition,
          caps, &w, &h))
    return 0;
  return (gint64) w *h;
}

/* Makes the key of @pair on @src, if it takes it; starts it when @start
 * and its feed's caps are known (else start_waiting() does, later) */
static guint
spawn_pair_on (GstLadderRunner * self, LadderSource * src,
    const LadderPair * pair, gboolean start)
{
  GstLadderTranscoderClass *klass;
  LadderKey *key;
  gchar *name;

  if (src->input.caps == NULL || gst_ladder_runner_source_is_output (self, src))
    return 0;
  if (pair->track && !g_str_equal (pair->track, src->track))
    return 0;

  name = gst_ladder_rung_key_new (pair->transcoder, pair->rendition->name,
      src->broadcast, src->track);
  if (g_hash_table_contains (self->keys, name)) {
    g_free (name);
    return 0;
  }
  if (!gst_ladder_transcoder_type_accepts (pair->type, src->broadcast,
          src->track, src->input.caps, pair->rendition)) {
    GST_DEBUG_OBJECT (self, "%s refuses %s", pair->transcoder, name);
    g_free (name);
    return 0;
  }

  key = key_new (self, name, pair->type, pair->rendition, src);

  /* a rung that needs raw video of an encoded source takes the output of
   * the source's shared decode */
  klass = g_type_class_ref (pair->type);
  if (klass->decodes_video) {
    LadderFeed *decoded = decoded_feed (self, src);

    if (decoded) {
      key->feed = decoded;
      decoded->users++;
    }
  }
  g_type_class_unref (klass);

  GST_INFO_OBJECT (self, "new rung key %s%s", key->key,
      key->feed->maker ? " (fed by the shared decode)" : "");
  if (start && key->feed->caps != NULL && cascade_feed (self, key))
    start_key (self, key);
  return 1;
}

guint
gst_ladder_runner_spawn_pair (GstLadderRunner * self, const LadderPair * pair)
{
  guint i, n = 0;

  for (i = 0; i < self->sources->len; i++)
    n += spawn_pair_on (self, g_ptr_array_index (self->sources, i), pair, TRUE);
  return n;
}

static void
start_key (GstLadderRunner * self, LadderKey * key)
{
  LadderSource *src = key->source;
  GstElement *feeder;
  GstLadderRung *rung;
  GstPad *pad, *peer;
  GError *err = NULL;

  g_assert (key->rung == NULL);

  if (key->output == NULL && key->makes)
    key->output = gst_object_ref (key->makes->bcast);
  else if (key->output == NULL)
    gst_ladder_runner_make_output (self, key);

  key->started = g_get_monotonic_time ();
  key_set_state (self, key, GST_LADDER_RUNG_STATE_STARTING);

  rung = gst_ladder_rung_new (key->type, key->rendition, src->broadcast,
      src->track, key->feed->caps, &err);
  if (rung == NULL) {
    gst_ladder_runner_announce_output (self, key);
    key_fault (self, key, NULL, GST_LADDER_PHASE_START, err,
        "the rung could not be made");
    g_clear_error (&err);
    return;
  }

  key->rung = gst_object_ref_sink (rung);
  key->fault_id = g_signal_connect (rung, "fault", G_CALLBACK (rung_fault_cb),
      self);
  key->drained_id = g_signal_connect (rung, "drained",
      G_CALLBACK (rung_drained_cb), self);
  /* Started here, not by the bin: a state change of the pipeline going on
   * meanwhile (its iteration of the bin starts again when a child comes)
   * would otherwise set the new rung to its target itself, in the thread
   * of that state change, and a failure to start would fail the state
   * change of the whole pipeline instead of being a fault of this key. */
  gst_element_set_locked_state (GST_ELEMENT (rung), TRUE);
  gst_bin_add (src->bin, GST_ELEMENT (rung));

  pad = gst_element_get_static_pad (GST_ELEMENT (rung), "src");
  peer = gst_element_get_static_pad (key->output, "sink");
  if (peer == NULL || gst_pad_link (pad, peer) != GST_PAD_LINK_OK) {
    g_set_error (&err, GST_LADDER_ERROR, GST_LADDER_ERROR_FAILED,
        "Could not link the rung to its output");
  }
  gst_clear_object (&peer);
  gst_object_unref (pad);

  gst_ladder_runner_announce_output (self, key);

  if (err == NULL && !gst_element_sync_state_with_parent (GST_ELEMENT (rung)))
    g_set_error (&err, GST_LADDER_ERROR, GST_LADDER_ERROR_FAILED,
        "The %s rung failed to start", key->transcoder);

  if (err == NULL) {
    feeder = key->feed->bcast;
    key->feeder = gst_object_ref (feeder);
    key->feed_pad = gst_element_request_pad_simple (feeder, "src_%u");
    /* a restarted instance goes on from the next keyframe: the failed one
     * delivered the start of the cached GOP already */
    if (key->feed_pad && key->restarts > 0 && g_object_class_find_property
        (G_OBJECT_GET_CLASS (key->feed_pad), "gop-cache"))
      g_object_set (key->feed_pad, "gop-cache", FALSE, NULL);
    pad = gst_element_get_static_pad (GST_ELEMENT (rung), "sink");
    if (key->feed_pad == NULL)
      g_set_error (&err, GST_LADDER_ERROR, GST_LADDER_ERROR_FAILED,
          "The broadcaster %s gave no src pad", GST_ELEMENT_NAME (feeder));
    else if (gst_pad_link (key->feed_pad, pad) != GST_PAD_LINK_OK)
      g_set_error (&err, GST_LADDER_ERROR, GST_LADDER_ERROR_FAILED,
          "Could not link the broadcaster %s to the rung",
          GST_ELEMENT_NAME (feeder));
    gst_object_unref (pad);
  }

  if (err) {
    /* the fault goes through the rung, so an error it posted already wins */
    gst_ladder_rung_report_fault (rung, GST_LADDER_PHASE_START, err,
        "starting the rung");
    g_clear_error (&err);
    return;
  }
  /* started: it follows the bin from now on, and catches up with a state
   * change the bin made while it was locked */
  gst_element_set_locked_state (GST_ELEMENT (rung), FALSE);
  gst_element_sync_state_with_parent (GST_ELEMENT (rung));
  GST_DEBUG_OBJECT (self, "started %s as %s", key->key,
      GST_ELEMENT_NAME (rung));
}

/* What the feeding broadcaster dropped on the pad of the current instance
 * (a lagging live rung loses whole GOPs there). */
static guint64
feed_drops (LadderKey * key)
{
  GstStructure *stats;
  const GValue *pads;
  guint64 dropped = 0;
  guint i, n;

  if (key->feeder == NULL || key->feed_pad == NULL
      || !GST_IS_LADDER_BROADCASTER (key->feeder))
    return 0;

  stats = gst_ladder_broadcaster_get_stats (GST_LADDER_BROADCASTER
      (key->feeder));
  if (stats == NULL)
    return 0;
  pads = gst_structure_get_value (stats, "pads");
  n = pads && GST_VALUE_HOLDS_ARRAY (pads) ? gst_value_array_get_size (pads) :
      0;
  for (i = 0; i < n; i++) {
    const GValue *v = gst_value_array_get_value (pads, i);
    const GstStructure *ps;

    if (!GST_VALUE_HOLDS_STRUCTURE (v))
      continue;
    ps = gst_value_get_structure (v);
    if (g_strcmp0 (gst_structure_get_string (ps, "name"),
            GST_PAD_NAME (key->feed_pad)) == 0) {
      gst_structure_get_uint64 (ps, "dropped", &dropped);
      break;
    }
  }
  gst_structure_free (stats);
  return dropped;
}

#ifdef HAVE_MALLOC_TRIM
static gboolean
trim_cb (gpointer data)
{
  GstLadderRunner *self = data;

  malloc_trim (0);
  g_source_unref (self->trim_source);
  self->trim_source = NULL;
  return G_SOURCE_REMOVE;
}
#endif

/* A rung torn down frees its buffers and pools from threads that are gone
 * with it; glibc keeps such memory in the arenas of those threads, and
 * over days of restarts and edits a ladder's RSS would grow with memory
 * nobody uses. A second after the last teardown of a burst, the runner
 * gives it back to the system. */
static void
schedule_trim (GstLadderRunner * self)
{
#ifdef HAVE_MALLOC_TRIM
  if (self->trim_source)
    return;
  self->trim_source = g_timeout_source_new_seconds (1);
  g_source_set_callback (self->trim_source, trim_cb, self, NULL);
  g_source_attach (self->trim_source, self->context);
#endif
}

/* Tears the current instance down (abort): unlink it from its feed, stop
 * it, remove it, give the feed pad back. Keeps the output. */
static void
teardown_instance (GstLadderRunner * self, LadderKey * key)
{
  GstLadderRung *rung = key->rung;
  guint64 fin = 0, fout = 0, bin = 0, bout = 0;

  if (key->feed_pad) {
    GstPad *peer;

    /* a drain probe that did not fire goes with the pad, released below */
    key->drain_probe = 0;
    peer = gst_pad_get_peer (key->feed_pad);
    if (peer) {
      gst_pad_unlink (key->feed_pad, peer);
      gst_object_unref (peer);
    }
  }

  if (rung) {
    GstPad *pad, *peer;

    /* a frame of this maker held until its feed's first caps are seen
     * would keep its streaming thread, and the state change below, waiting
     * for the runner thread, which is this one */
    if (key->makes)
      gst_ladder_runner_unhold_feed (self, key->makes);
    gst_ladder_rung_set_stopping (rung);
    g_signal_handler_disconnect (rung, key->fault_id);
    g_signal_handler_disconnect (rung, key->drained_id);
    key->fault_id = key->drained_id = 0;
    gst_element_set_locked_state (GST_ELEMENT (rung), TRUE);
    gst_element_set_state (GST_ELEMENT (rung), GST_STATE_NULL);

    gst_ladder_rung_get_counters (rung, &fin, &fout, &bin, &bout);
    key->acc_fragments_in += fin;
    key->acc_fragments_out += fout;
    key->acc_bytes_in += bin;
    key->acc_bytes_out += bout;

    pad = gst_element_get_static_pad (GST_ELEMENT (rung), "src");
    peer = gst_pad_get_peer (pad);
    if (peer) {
      gst_pad_unlink (pad, peer);
      gst_object_unref (peer);
    }
    gst_object_unref (pad);
    gst_bin_remove (key->source->bin, GST_ELEMENT (rung));
    gst_object_unref (rung);
    key->rung = NULL;
    schedule_trim (self);
  }

  if (key->feed_pad) {
    key->acc_drops += feed_drops (key);
    gst_element_release_request_pad (key->feeder, key->feed_pad);
    gst_object_unref (key->feed_pad);
    key->feed_pad = NULL;
  }
  gst_clear_object (&key->feeder);
}

static void
clear_sources (LadderKey * key)
{
  if (key->restart_source) {
    g_source_destroy (key->restart_source);
    g_source_unref (key->restart_source);
    key->restart_source = NULL;
  }
  if (key->drain_timeout) {
    g_source_destroy (key->drain_timeout);
    g_source_unref (key->drain_timeout);
    key->drain_timeout = NULL;
  }
}

void
gst_ladder_runner_remove_key (GstLadderRunner * self, LadderKey * key)
{
  LadderFeed *feed = key->feed;

  GST_INFO_OBJECT (self, "removing %s", key->key);
  clear_sources (key);
  key_set_state (self, key, GST_LADDER_RUNG_STATE_STOPPED);

  /* the feed it makes goes with it. The keys it fed are removed with it
   * (a source that leaves, an uninstall: they go first); meanwhile they
   * point at the source's own input */
  if (key->makes) {
    GHashTableIter iter;
    gpointer value;

    g_hash_table_iter_init (&iter, self->keys);
    while (g_hash_table_iter_next (&iter, NULL, &value)) {
      LadderKey *other = value;
      if (other->feed == key->makes)
        other->feed = &other->source->input;
    }
    gst_ladder_runner_forget_feed (self, key->makes);
    key->makes = NULL;
  }

  gst_ladder_runner_remove_output (self, key);

  /* the output went first: a rung thread blocked pushing into it (a full
   * queue of a paused branch) is released by its flush */
  teardown_instance (self, key);

  g_hash_table_remove (self->keys, key->key);

  /* a made feed goes with its last user */
  if (feed->maker && feed->users > 0) {
    feed->users--;
    if (feed->users == 0)
      gst_ladder_runner_remove_key (self, feed->maker);
  }
}

/* ----- the end of a feed -----
 *
 * The liveness rule (docs/design.md): a key that has no running instance
 * (restarting, degraded, never started, waiting for the decoded caps) can
 * never hold back the end of the rest. Once its feed has ended nothing more
 * comes for it: it is not restarted, and its output ends at once, so that
 * every downstream of it (a muxer, a media playlist, a sink waited for by
 * the pipeline's EOS) finishes. */

/* TRUE once the feed of @key took EOS (until a flush) */
static gboolean
feed_ended (LadderKey * key)
{
  GstElement *feeder = key->feed->bcast;
  GstPad *pad;
  gboolean eos;

  if (feeder == NULL)
    return FALSE;
  pad = gst_element_get_static_pad (feeder, "sink");
  if (pad == NULL)
    return FALSE;
  eos = GST_PAD_IS_EOS (pad);
  gst_object_unref (pad);
  return eos;
}

/* TRUE unless the source of @key is known to be offline: its upstream
 * answers the latency query, not live. */
static gboolean
source_is_live (LadderKey * key)
{
  GstPad *pad = gst_element_get_static_pad (key->source->input.bcast, "sink");
  gboolean live;

  if (pad == NULL)
    return TRUE;
  live = gst_ladder_upstream_is_live (pad, TRUE);
  gst_object_unref (pad);
  return live;
}

/* TRUE once what @key makes reached every output it leads to: its own
 * instances put something out; for a key making a feed (the shared
 * decode, a resize step), so did every key that feed feeds. */
static gboolean
key_delivered (GstLadderRunner * self, LadderKey * key)
{
  guint64 out = key->acc_fragments_out;
  GHashTableIter iter;
  gpointer value;

  if (out == 0 && key->rung)
    gst_ladder_rung_get_counters (key->rung, NULL, &out, NULL, NULL);
  if (out == 0)
    return FALSE;
  if (key->makes == NULL)
    return TRUE;
  g_hash_table_iter_init (&iter, self->keys);
  while (g_hash_table_iter_next (&iter, NULL, &value)) {
    LadderKey *user = value;

    if (user->feed == key->makes && !key_delivered (self, user))
      return FALSE;
  }
  return TRUE;
}

/* TRUE when a restart of @key, which just failed, would wait for ever: on
 * an offline source, while the pipeline prerolls, before what it makes
 * reached every output it leads to. Its restart would start at the next
 * keyframe of its feed (or the next raw frame), but offline the sinks that
 * prerolled block, so the feed stops after the queues' slack, and the
 * pipeline plays only once the sinks after @key prerolled too. */
static gboolean
restart_would_starve (GstLadderRunner * self, LadderKey * key)
{
  return GST_STATE (key->source->bin) < GST_STATE_PLAYING
      && !key_delivered (self, key) && !source_is_live (key);
}

/* Ends @key, which has no running instance and will have none: its feed
 * ended, it is degraded on an offline source, or its restart would
 * starve. Its restart is cancelled and its output gets EOS (after a
 * stream-start if it never had one). A running instance ends with its
 * feed by itself. */
static void
end_key (GstLadderRunner * self, LadderKey * key, const gchar * why)
{
  GstPad *pad;
  GstEvent *start;

  if (key->rung != NULL || key->removal != NULL
      || key->state == GST_LADDER_RUNG_STATE_STOPPED)
    return;

  GST_INFO_OBJECT (self, "%s %s (state %d): ending its output", key->key,
      why, key->state);
  clear_sources (key);
  key_set_state (self, key, GST_LADDER_RUNG_STATE_STOPPED);

  /* never started (its decode gave nothing): its output is made now, so
   * that what waits downstream (an output end, an HLS pad) gets the EOS */
  if (key->output == NULL) {
    gst_ladder_runner_make_output (self, key);
    gst_ladder_runner_announce_output (self, key);
  }
  if (key->output == NULL)
    return;
  pad = gst_element_get_static_pad (key->output, "sink");
  if (pad == NULL)
    return;
  if (!GST_PAD_IS_EOS (pad)) {
    start = gst_pad_get_sticky_event (pad, GST_EVENT_STREAM_START, 0);
    if (start == NULL) {
      gchar *id = g_strdup_printf ("ladder/%s/ended", key->key);

      gst_pad_send_event (pad, gst_event_new_stream_start (id));
      g_free (id);
    } else {
      gst_event_unref (start);
    }
    gst_pad_send_event (pad, gst_event_new_eos ());
  }
  gst_object_unref (pad);
}

/* ----- faults and restarts ----- */

static gboolean
restart_cb (gpointer data)
{
  GstLadderRunner *self = GST_LADDER_RUNNER (data);
  GSource *current = g_main_current_source ();
  GHashTableIter iter;
  gpointer value;

  g_hash_table_iter_init (&iter, self->keys);
  while (g_hash_table_iter_next (&iter, NULL, &value)) {
    LadderKey *key = value;
    if (key->restart_source == current) {
      g_source_unref (key->restart_source);
      key->restart_source = NULL;
      key->restarts++;
      if (feed_ended (key)) {
        end_key (self, key, "saw its feed end before its restart");
        break;
      }
      GST_INFO_OBJECT (self, "restarting %s (restart %" G_GUINT64_FORMAT ")",
          key->key, key->restarts);
      if (key->feed->caps != NULL)
        start_key (self, key);
      else
        key_set_state (self, key, GST_LADDER_RUNG_STATE_STARTING);
      break;
    }
  }
  return G_SOURCE_REMOVE;
}

void
gst_ladder_runner_restart_key (GstLadderRunner * self, LadderKey * key)
{
  clear_sources (key);
  key->quick_failures = 0;
  key->restarts++;
  if (key->feed->caps != NULL)
    start_key (self, key);
  else
    key_set_state (self, key, GST_LADDER_RUNG_STATE_STARTING);
}

static void
key_fault (GstLadderRunner * self, LadderKey * key, GstLadderRung * rung,
    GstLadderPhase phase, const GError * error, const gchar * debug)
{
  GstClockTime delay = GST_CLOCK_TIME_NONE, initial, max;
  gint64 lifetime = g_get_monotonic_time () - key->started;
  gboolean degraded, ended, starved;
  GstMessage *msg;
  guint i;

  key->panics++;
  if (lifetime < (gint64) (GST_LADDER_RUNNER_QUICK_FAILURE / GST_USECOND))
    key->quick_failures++;
  else
    key->quick_failures = 0;
  degraded = key->quick_failures >= GST_LADDER_RUNNER_QUICK_FAILURES;
  /* nothing more comes after the end of its feed, nor, while an offline
   * pipeline prerolls, for a key that put nothing out: no restart */
  ended = feed_ended (key);
  starved = !ended && key->removal == NULL && restart_would_starve (self, key);

  GST_OBJECT_LOCK (self);
  initial = self->restart_delay;
  max = self->max_restart_delay;
  GST_OBJECT_UNLOCK (self);

  if (key->removal == NULL && !degraded && !ended && !starved) {
    delay = initial;
    for (i = 1; i < key->quick_failures && delay < max; i++)
      delay *= 2;
    delay = MIN (delay, max);
  }

  GST_WARNING_OBJECT (self, "rung %s failed (%s, panic %" G_GUINT64_FORMAT
      "): %s", key->key, degraded ? "degraded" : ended ? "its feed ended" :
      starved ? "a restart would starve in the preroll" : "will restart",
      key->panics, error ? error->message : "(unknown)");

  msg = gst_ladder_message_new_panic (rung ? GST_OBJECT (rung) :
      GST_OBJECT (key->source->bin), key->transcoder, key->rendition_name,
      key->source->broadcast, key->source->track, phase, error, debug,
      (guint) key->panics, key->removal ? GST_CLOCK_TIME_NONE : delay);
  runner_post_message (self, rung ? GST_ELEMENT (rung) : NULL, msg);

  teardown_instance (self, key);

  if (key->removal) {
    finish_key_removal (self, key);
    return;
  }

  if (ended) {
    end_key (self, key, "failed after its feed ended");
    return;
  }

  if (starved) {
    end_key (self, key, "failed before its first output in an offline "
        "preroll");
    return;
  }

  if (degraded) {
    key_set_state (self, key, GST_LADDER_RUNG_STATE_DEGRADED);
    /* Offline, every downstream waits for every stream: a sink does not
     * preroll, a muxer does not interleave, without something from each.
     * An output that neither carries data nor ends would hold back the
     * preroll (the other sinks prerolled and block, so the feed stops
     * before it ends) and any muxer it shares. So a degraded key of an
     * offline source ends at once; live, it waits for restart() or the
     * end of its feed. */
    if (!source_is_live (key))
      end_key (self, key, "is degraded on an offline source");
    return;
  }

  key_set_state (self, key, GST_LADDER_RUNG_STATE_RESTARTING);
  key->restart_source = g_timeout_source_new (MAX (1,
          (guint) (delay / GST_MSECOND)));
  g_source_set_callback (key->restart_source, restart_cb, self, NULL);
  g_source_attach (key->restart_source, self->context);
}

/* ----- drained removal ----- */

static void
finish_key_removal (GstLadderRunner * self, LadderKey * key)
{
  LadderRemoval *removal = key->removal;

  key->removal = NULL;
  gst_ladder_runner_remove_key (self, key);
  if (removal) {
    gst_ladder_runner_removal_advance (self, removal);
    gst_ladder_removal_unref (removal);
  }
}

/* The EOS of a drained key left its output: the drain is complete. */
static void
output_drained (GstLadderRunner * self, LadderKey * key)
{
  if (key->removal)
    finish_key_removal (self, key);
}

static gboolean
drain_timeout_cb (gpointer data)
{
  GstLadderRunner *self = GST_LADDER_RUNNER (data);
  GSource *current = g_main_current_source ();
  GHashTableIter iter;
  gpointer value;

  g_hash_table_iter_init (&iter, self->keys);
  while (g_hash_table_iter_next (&iter, NULL, &value)) {
    LadderKey *key = value;
    if (key->drain_timeout == current) {
      GST_WARNING_OBJECT (self, "%s did not drain in time (%s), aborting",
          key->key, key->output_drain ? "its output's downstream is stuck" :
          "its rung is stuck");
      g_source_unref (key->drain_timeout);
      key->drain_timeout = NULL;
      finish_key_removal (self, key);
      break;
    }
  }
  return G_SOURCE_REMOVE;
}

static GstPadProbeReturn
drain_idle_probe (GstPad * pad, GstPadProbeInfo * info, gpointer user_data)
{
  GstLadderRung *rung = GST_LADDER_RUNG (user_data);
  GstPad *peer = gst_pad_get_peer (pad);

  if (peer) {
    gst_pad_unlink (pad, peer);
    gst_object_unref (peer);
  }
  gst_ladder_rung_drain (rung);
  return GST_PAD_PROBE_REMOVE;
}

/* A drain in two steps, bounded together by the drain timeout: EOS
 * through the rung (its drained signal), then EOS through its output to
 * every downstream (gst_ladder_runner_drain_output()); then the key is
 * removed. On timeout it is removed as an abort is. */
void
gst_ladder_runner_start_drain (GstLadderRunner * self, LadderKey * key)
{
  clear_sources (key);
  if (key->rung == NULL || key->feed_pad == NULL
      || gst_ladder_rung_has_faulted (key->rung)) {
    finish_key_removal (self, key);
    return;
  }

  GST_DEBUG_OBJECT (self, "draining %s", key->key);
  key_set_state (self, key, GST_LADDER_RUNG_STATE_DRAINING);
  key->drain_timeout =
      g_timeout_source_new (GST_LADDER_RUNNER_DRAIN_TIMEOUT / GST_MSECOND);
  g_source_set_callback (key->drain_timeout, drain_timeout_cb, self, NULL);
  g_source_attach (key->drain_timeout, self->context);
  /* may call the probe, and emit drained, right here */
  key->drain_probe = gst_pad_add_probe (key->feed_pad,
      GST_PAD_PROBE_TYPE_IDLE, drain_idle_probe,
      gst_object_ref (key->rung), gst_object_unref);
}

/* ----- stats ----- */

GstStructure *
gst_ladder_runner_key_stats (GstLadderRunner * self, LadderKey * key)
{
  GstStructure *s;
  guint64 fin = 0, fout = 0, bin = 0, bout = 0;
  gint64 now = g_get_monotonic_time ();
  GstLadderRungState state = key->state;

  if (key->rung)
    gst_ladder_rung_get_counters (key->rung, &fin, &fout, &bin, &bout);
  if (state == GST_LADDER_RUNG_STATE_STARTING && key->rung && fout > 0
      && key_set_state (self, key, GST_LADDER_RUNG_STATE_RUNNING))
    state = GST_LADDER_RUNG_STATE_RUNNING;

  fin += key->acc_fragments_in;
  fout += key->acc_fragments_out;
  bin += key->acc_bytes_in;
  bout += key->acc_bytes_out;

  if (key->last_sample == 0) {
    key->last_sample = key->started ? key->started : now;
  }
  if (now - key->last_sample >= 100000) {
    gdouble dt = (now - key->last_sample) / 1e6;
    key->bitrate = (bout - key->last_bytes_out) * 8.0 / dt;
    key->fps = (fout - key->last_fragments_out) / dt;
    key->last_bytes_out = bout;
    key->last_fragments_out = fout;
    key->last_sample = now;
  }

  s = gst_ladder_rung_stats_new (key->transcoder, key->rendition_name,
      key->source->broadcast, key->source->track, state);
  gst_structure_set (s,
      GST_LADDER_STATS_KEY, G_TYPE_STRING, key->key,
      GST_LADDER_STATS_FRAGMENTS_IN, G_TYPE_UINT64, fin,
      GST_LADDER_STATS_FRAGMENTS_OUT, G_TYPE_UINT64, fout,
      GST_LADDER_STATS_BYTES_IN, G_TYPE_UINT64, bin,
      GST_LADDER_STATS_BYTES_OUT, G_TYPE_UINT64, bout,
      GST_LADDER_STATS_DROPS, G_TYPE_UINT64, key->acc_drops + feed_drops (key),
      GST_LADDER_STATS_PANICS, G_TYPE_UINT64, key->panics,
      GST_LADDER_STATS_RESTARTS, G_TYPE_UINT64, key->restarts,
      GST_LADDER_STATS_BITRATE, G_TYPE_DOUBLE, key->bitrate,
      GST_LADDER_STATS_FPS, G_TYPE_DOUBLE, key->fps, NULL);
  return s;
}

/* ----- removals ----- */

void
gst_ladder_removal_unref (LadderRemoval * removal)
{
  if (g_atomic_int_dec_and_test (&removal->refcount)) {
    g_free (removal->name);
    g_free (removal);
  }
}

/* One key of @removal went (or its setup is over): the last one completes
 * it, through the callback of whoever made it */
void
gst_ladder_runner_removal_advance (GstLadderRunner * self,
    LadderRemoval * removal)
{
  g_assert (removal->pending > 0);
  if (--removal->pending == 0 && removal->on_done)
    removal->on_done (self, removal);
}

/* Every key goes (the runner is uninstalled): the rungs first, then the
 * decodes left, one at a time, looked up again each time, since the last
 * user of a decode takes it along. Removals waiting for them complete. */
void
gst_ladder_runner_remove_all_keys (GstLadderRunner * self)
{
  GHashTableIter iter;
  gpointer value;
  LadderKey *key;

  for (;;) {
    key = NULL;
    g_hash_table_iter_init (&iter, self->keys);
    while (key == NULL && g_hash_table_iter_next (&iter, NULL, &value))
      if (((LadderKey *) value)->makes == NULL)
        key = value;
    if (key == NULL)
      break;
    if (key->removal)
      finish_key_removal (self, key);
    else
      gst_ladder_runner_remove_key (self, key);
  }
  for (;;) {
    key = NULL;
    g_hash_table_iter_init (&iter, self->keys);
    if (g_hash_table_iter_next (&iter, NULL, &value))
      key = value;
    if (key == NULL)
      break;
    gst_ladder_runner_remove_key (self, key);
  }
}

/* ----- what the broadcast layer tells ----- */

static void start_waiting (GstLadderRunner * self, LadderFeed * feed);

/* The caps of @src are known: the cut policy, then a key per pair, which
 * start as the keys of a made feed do (start_waiting()) */
static void
on_source_ready (GstLadderRunner * self, LadderSource * src)
{
  guint i;

  gst_ladder_runner_apply_source_cuts (self, src);
  for (i = 0; i < self->pairs->len; i++)
    spawn_pair_on (self, src, g_ptr_array_index (self->pairs, i), FALSE);
  start_waiting (self, &src->input);
}

/* @src left the bin: its rungs go first, then the decode they use */
static void
on_source_left (GstLadderRunner * self, LadderSource * src)
{
  GHashTableIter iter;
  gpointer value;
  GPtrArray *doomed;
  guint i;

  doomed = g_ptr_array_new ();
  g_hash_table_iter_init (&iter, self->keys);
  while (g_hash_table_iter_next (&iter, NULL, &value)) {
    LadderKey *key = value;
    if (key->source == src && key->makes == NULL)
      g_ptr_array_add (doomed, key);
  }
  for (i = 0; i < doomed->len; i++) {
    LadderKey *key = g_ptr_array_index (doomed, i);

    if (key->removal)
      finish_key_removal (self, key);
    else
      gst_ladder_runner_remove_key (self, key);
  }
  g_ptr_array_unref (doomed);
  /* the resize steps went with their last users; any left go now, the
   * smaller (fed by the larger) first */
  while (src->resized->len > 0)
    gst_ladder_runner_remove_key (self, ((LadderFeed *)
            g_ptr_array_index (src->resized, src->resized->len - 1))->maker);
  if (src->decoded)
    gst_ladder_runner_remove_key (self, src->decoded->maker);
}

static gint
larger_key_first (gconstpointer a, gconstpointer b, gpointer caps)
{
  gint64 aa = scaled_area (*(LadderKey **) a, caps);
  gint64 ab = scaled_area (*(LadderKey **) b, caps);

  return aa < ab ? 1 : aa > ab ? -1 : 0;
}

/* The caps of @feed are known: the keys waiting for them start, the
 * larger ones first, so that the smaller ones find the resize steps of the
 * larger to scale from (the scaling cascade) */
static void
start_waiting (GstLadderRunner * self, LadderFeed * feed)
{
  GPtrArray *waiting = g_ptr_array_new ();
  GHashTableIter iter;
  gpointer value;
  guint i;

  g_hash_table_iter_init (&iter, self->keys);
  while (g_hash_table_iter_next (&iter, NULL, &value)) {
    LadderKey *key = value;
    if (key->feed == feed && key->rung == NULL && key->removal == NULL
        && key->restart_source == NULL
        && key->state == GST_LADDER_RUNG_STATE_STARTING)
      g_ptr_array_add (waiting, key);
  }
  /* starting a key may make a resize step (a key, in the table): the table
   * is not walked meanwhile */
  g_ptr_array_sort_with_data (waiting, larger_key_first, feed->caps);
  for (i = 0; i < waiting->len; i++) {
    LadderKey *key = g_ptr_array_index (waiting, i);

    if (cascade_feed (self, key))
      start_key (self, key);
  }
  g_ptr_array_unref (waiting);
}

/* @feed took EOS: the keys it feeds that have no running instance end
 * their outputs (see end_key()) */
static void
on_feed_ended (GstLadderRunner * self, LadderFeed * feed)
{
  GPtrArray *ended = g_ptr_array_new ();
  GHashTableIter iter;
  gpointer value;
  guint i;

  g_hash_table_iter_init (&iter, self->keys);
  while (g_hash_table_iter_next (&iter, NULL, &value)) {
    LadderKey *key = value;

    if (key->feed == feed)
      g_ptr_array_add (ended, key);
  }
  /* ending a decode ends its feed, whose EOS comes back here: the table
   * is not changed meanwhile */
  for (i = 0; i < ended->len; i++)
    end_key (self, g_ptr_array_index (ended, i),
        "saw its feed end while not running");
  g_ptr_array_unref (ended);
}

void
gst_ladder_runner_lifecycle_init (GstLadderRunner * self)
{
  self->hooks.source_ready = on_source_ready;
  self->hooks.source_left = on_source_left;
  self->hooks.feed_ready = start_waiting;
  self->hooks.feed_ended = on_feed_ended;
  self->hooks.output_drained = output_drained;
}
