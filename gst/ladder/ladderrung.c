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
 * SECTION:ladderrung
 * @title: GstLadderRung
 * @short_description: the bin around one transcoder, with fault containment
 *
 * A #GstLadderRung wraps one #GstLadderTranscoder made for one rung key:
 * (transcoder, rendition, broadcast, track). It has one `sink` and one
 * `src` ghost pad; the #GstLadderRunner links the sink pad to a request
 * pad of the source `ladderbroadcaster` and the src pad to the output
 * `ladderbroadcaster` of the key (`<broadcast>/<rendition>`).
 *
 * What goes through is counted on the ghost pads (buffers, called
 * fragments, and bytes, in and out; lock-free), see
 * gst_ladder_rung_get_counters().
 *
 * The rung contains faults: it overrides #GstBinClass.handle_message, so an
 * ERROR message from anything inside it never reaches the pipeline. The
 * first error of a rung instance is reported instead:
 *
 * - when a handler is connected to #GstLadderRung::fault, that handler is
 *   called (from the thread that posted the error, often a streaming
 *   thread; it must only hand the fault over to another thread) and is
 *   responsible for the `ladder-panic` message. This is what the runner
 *   does: it posts the panic with the panic count of the key and the
 *   restart delay, and restarts the rung.
 * - otherwise the rung posts a `ladder-panic` element message itself, with
 *   `panics` = 1 and `next` = "degraded" (a rung alone is never restarted).
 *
 * Later errors of the same instance are logged and dropped: a faulted rung
 * is to be torn down. The phase of the fault (`start`, `fragment`, `stop`)
 * is %GST_LADDER_PHASE_START until the first buffer enters,
 * %GST_LADDER_PHASE_FRAGMENT after it, and %GST_LADDER_PHASE_STOP once
 * gst_ladder_rung_drain() was called or the runner started its teardown.
 *
 * gst_ladder_rung_drain() sends EOS into the rung; the EOS is not passed on
 * to the output (the output outlives the rung): when it reaches the src pad
 * the rung emits #GstLadderRung::drained. An EOS that comes from upstream
 * (the source ended) is passed on as usual.
 */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "ladder.h"
#include "ladderrung-private.h"

GST_DEBUG_CATEGORY_STATIC (gst_ladder_rung_debug);
#define GST_CAT_DEFAULT gst_ladder_rung_debug

enum
{
  SIGNAL_FAULT,
  SIGNAL_DRAINED,
  SIGNAL_LAST
};

static guint signals[SIGNAL_LAST];

/* Locking: every field is set before the rung is returned by its
 * constructor and never changes afterwards, except the counters and flags,
 * which are only accessed atomically. The rung takes no lock of its own. */
struct _GstLadderRung
{
  GstBin parent;

  gchar *key;
  gchar *transcoder_name;
  gchar *rendition_name;
  gchar *broadcast;
  gchar *track;

  GstElement *inner;            /* the transcoder, a child */
  GstPad *sinkpad;              /* ghost pads, owned by the element */
  GstPad *srcpad;

  /* atomic */
  guint64 fragments_in;
  guint64 fragments_out;
  guint64 bytes_in;
  guint64 bytes_out;
  gint phase;                   /* GstLadderPhase */
  gint faulted;
  gint draining;
  gint drained;
};

#define gst_ladder_rung_parent_class parent_class
G_DEFINE_TYPE_WITH_CODE (GstLadderRung, gst_ladder_rung, GST_TYPE_BIN,
    GST_DEBUG_CATEGORY_INIT (gst_ladder_rung_debug, "ladderrung", 0,
        "gst-ladder rung"));

static void gst_ladder_rung_finalize (GObject * object);
static void gst_ladder_rung_handle_message (GstBin * bin, GstMessage * message);
static GstStateChangeReturn gst_ladder_rung_change_state (GstElement *
    element, GstStateChange transition);
static GstPadProbeReturn gst_ladder_rung_sink_probe (GstPad * pad,
    GstPadProbeInfo * info, gpointer user_data);
static GstPadProbeReturn gst_ladder_rung_src_probe (GstPad * pad,
    GstPadProbeInfo * info, gpointer user_data);

static void
gst_ladder_rung_class_init (GstLadderRungClass * klass)
{
  GObjectClass *gobject_class = G_OBJECT_CLASS (klass);
  GstElementClass *element_class = GST_ELEMENT_CLASS (klass);
  GstBinClass *bin_class = GST_BIN_CLASS (klass);

  gobject_class->finalize = gst_ladder_rung_finalize;
  element_class->change_state =
      GST_DEBUG_FUNCPTR (gst_ladder_rung_change_state);
  bin_class->handle_message = gst_ladder_rung_handle_message;

  /**
   * GstLadderRung::fault:
   * @rung: the rung
   * @phase: when it failed
   * @error: the error
   * @debug: (nullable): debug text, prefixed with the name of the failing
   *   element
   *
   * Emitted once per rung instance, on its first error, from the thread
   * that posted the error (often a streaming thread). A handler must only
   * hand the fault over to another thread; it must not change the state of
   * the rung. When a handler is connected the rung posts no `ladder-panic`
   * itself.
   *
   * Since: 0.1
   */
  signals[SIGNAL_FAULT] = g_signal_new ("fault", G_TYPE_FROM_CLASS (klass),
      G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 3,
      GST_TYPE_LADDER_PHASE, G_TYPE_ERROR | G_SIGNAL_TYPE_STATIC_SCOPE,
      G_TYPE_STRING);

  /**
   * GstLadderRung::drained:
   * @rung: the rung
   *
   * Emitted once, from a streaming thread, when the EOS sent by
   * gst_ladder_rung_drain() came out of the transcoder: everything the rung
   * had was pushed to its output.
   *
   * Since: 0.1
   */
  signals[SIGNAL_DRAINED] = g_signal_new ("drained", G_TYPE_FROM_CLASS (klass),
      G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  gst_element_class_set_static_metadata (element_class, "Ladder rung",
      "Generic/Bin", "One transcoder of an ABR ladder, with its faults "
      "contained and its throughput counted", "The gst-ladder authors");
}

/* Caps the transcoder refuses are a fault of this instance. Whoever feeds
 * a rung (the runner links it to a broadcaster, which keeps every flow
 * return with its branch) goes on offering it buffers that cannot pass,
 * and its EOS would stop at the part of the transcoder the caps never
 * reached: a rung that stays silent there never ends. Refused caps come
 * back as a FALSE ACCEPT_CAPS, asked by the pad sending the CAPS event
 * before it lets the event in. */
static gboolean
gst_ladder_rung_sink_query (GstPad * pad, GstObject * parent, GstQuery * query)
{
  GstLadderRung *self = GST_LADDER_RUNG (parent);
  gboolean ret, accepted = TRUE;
  GstCaps *caps;

  ret = gst_pad_query_default (pad, parent, query);
  if (GST_QUERY_TYPE (query) != GST_QUERY_ACCEPT_CAPS)
    return ret;

  if (ret)
    gst_query_parse_accept_caps_result (query, &accepted);
  if (!ret || !accepted) {
    GError *err;
    gchar *debug, *str;

    gst_query_parse_accept_caps (query, &caps);
    err = g_error_new (GST_CORE_ERROR, GST_CORE_ERROR_NEGOTIATION,
        "The %s transcoder of rendition %s cannot take its input",
        self->transcoder_name, self->rendition_name);
    str = caps ? gst_caps_to_string (caps) : NULL;
    debug = g_strdup_printf ("refused caps %s", GST_STR_NULL (str));
    g_free (str);
    GST_WARNING_OBJECT (self, "%s: %s", err->message, debug);
    gst_ladder_rung_report_fault (self, g_atomic_int_get (&self->phase), err,
        debug);
    g_free (debug);
    g_error_free (err);
  }
  return ret;
}

static void
gst_ladder_rung_init (GstLadderRung * self)
{
  self->sinkpad = gst_ghost_pad_new_no_target ("sink", GST_PAD_SINK);
  gst_pad_set_query_function (self->sinkpad, gst_ladder_rung_sink_query);
  gst_pad_add_probe (self->sinkpad,
      GST_PAD_PROBE_TYPE_BUFFER | GST_PAD_PROBE_TYPE_BUFFER_LIST,
      gst_ladder_rung_sink_probe, self, NULL);
  gst_element_add_pad (GST_ELEMENT (self), self->sinkpad);

  self->srcpad = gst_ghost_pad_new_no_target ("src", GST_PAD_SRC);
  gst_pad_add_probe (self->srcpad,
      GST_PAD_PROBE_TYPE_BUFFER | GST_PAD_PROBE_TYPE_BUFFER_LIST |
      GST_PAD_PROBE_TYPE_EVENT_DOWNSTREAM, gst_ladder_rung_src_probe, self,
      NULL);
  gst_element_add_pad (GST_ELEMENT (self), self->srcpad);

  self->phase = GST_LADDER_PHASE_START;
}

static void
gst_ladder_rung_finalize (GObject * object)
{
  GstLadderRung *self = GST_LADDER_RUNG (object);

  g_free (self->key);
  g_free (self->transcoder_name);
  g_free (self->rendition_name);
  g_free (self->broadcast);
  g_free (self->track);

  G_OBJECT_CLASS (parent_class)->finalize (object);
}

/**
 * gst_ladder_rung_key_new:
 * @transcoder: the transcoder name
 * @rendition: the rendition name
 * @broadcast: the broadcast of the source
 * @track: the track of the source
 *
 * Builds the string that names a rung key:
 * `transcoder:rendition:track:broadcast`, for example
 * `x264:720p:video:live/demo`. The runner's per-key calls take it.
 *
 * Returns: (transfer full): the key.
 *
 * Since: 0.1
 */
gchar *
gst_ladder_rung_key_new (const gchar * transcoder, const gchar * rendition,
    const gchar * broadcast, const gchar * track)
{
  return g_strdup_printf ("%s%c%s%c%s%c%s", transcoder ? transcoder : "",
      GST_LADDER_RUNG_KEY_SEPARATOR, rendition ? rendition : "",
      GST_LADDER_RUNG_KEY_SEPARATOR, track ? track : "",
      GST_LADDER_RUNG_KEY_SEPARATOR, broadcast ? broadcast : "");
}

static GstLadderRung *
gst_ladder_rung_new_internal (const gchar * transcoder_name,
    const gchar * rendition_name, const gchar * broadcast, const gchar * track)
{
  static gint instances = 0;
  GstLadderRung *self;
  gchar *name;

  name = g_strdup_printf ("rung-%s-%s-%s-%d", transcoder_name, rendition_name,
      track, g_atomic_int_add (&instances, 1));
  self = g_object_new (GST_TYPE_LADDER_RUNG, "name", name, NULL);
  g_free (name);

  self->transcoder_name = g_strdup (transcoder_name);
  self->rendition_name = g_strdup (rendition_name);
  self->broadcast = g_strdup (broadcast);
  self->track = g_strdup (track);
  self->key = gst_ladder_rung_key_new (transcoder_name, rendition_name,
      broadcast, track);

  return self;
}

static void
gst_ladder_rung_take_inner (GstLadderRung * self, GstElement * inner)
{
  gboolean floating = g_object_is_floating (inner);

  self->inner = inner;
  gst_bin_add (GST_BIN (self), inner);
  if (!floating)
    gst_object_unref (inner);
}

static gboolean
gst_ladder_rung_target_static_pad (GstPad * ghost, GstElement * inner,
    const gchar * name, GError ** error)
{
  GstPad *target = gst_element_get_static_pad (inner, name);
  gboolean ret;

  if (target == NULL) {
    g_set_error (error, GST_LADDER_ERROR, GST_LADDER_ERROR_FAILED,
        "The transcoder %s has no '%s' pad", GST_OBJECT_NAME (inner), name);
    return FALSE;
  }
  ret = gst_ghost_pad_set_target (GST_GHOST_PAD (ghost), target);
  gst_object_unref (target);
  if (!ret)
    g_set_error (error, GST_LADDER_ERROR, GST_LADDER_ERROR_FAILED,
        "Could not target the '%s' pad of the transcoder %s", name,
        GST_OBJECT_NAME (inner));
  return ret;
}

/**
 * gst_ladder_rung_new:
 * @transcoder_type: a #GstLadderTranscoder subtype
 * @rendition: the rendition to make
 * @broadcast: the broadcast of the source
 * @track: the track of the source
 * @caps: (nullable): the caps the rung will receive, if known
 * @error: return location for a #GError
 *
 * Makes a rung: a transcoder of @transcoder_type, made with
 * gst_ladder_transcoder_new(), inside a bin whose ghost pads count what
 * goes through and which contains the transcoder's faults. The rung is not
 * linked; the caller adds it to a bin, links it and syncs its state.
 *
 * Returns: (transfer floating) (nullable): a new rung, or %NULL with
 *   @error set when the transcoder could not be made (it refused the
 *   context, for example).
 *
 * Since: 0.1
 */
GstLadderRung *
gst_ladder_rung_new (GType transcoder_type,
    const GstLadderRendition * rendition, const gchar * broadcast,
    const gchar * track, const GstCaps * caps, GError ** error)
{
  GstLadderRung *self;
  GstElement *transcoder;

  g_return_val_if_fail (g_type_is_a (transcoder_type,
          GST_TYPE_LADDER_TRANSCODER), NULL);
  g_return_val_if_fail (rendition != NULL, NULL);
  g_return_val_if_fail (broadcast != NULL, NULL);
  g_return_val_if_fail (track != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  transcoder = gst_ladder_transcoder_new (transcoder_type, rendition,
      broadcast, track, caps, error);
  if (transcoder == NULL) {
    if (error && *error == NULL)
      g_set_error (error, GST_LADDER_ERROR, GST_LADDER_ERROR_FAILED,
          "Could not make a %s transcoder for %s",
          g_type_name (transcoder_type), rendition->name);
    return NULL;
  }

  self = gst_ladder_rung_new_internal (gst_ladder_transcoder_type_get_name
      (transcoder_type), rendition->name, broadcast, track);
  gst_ladder_rung_take_inner (self, transcoder);

  if (!gst_ladder_rung_target_static_pad (self->sinkpad, transcoder, "sink",
          error) || !gst_ladder_rung_target_static_pad (self->srcpad,
          transcoder, "src", error)) {
    gst_object_ref_sink (self);
    gst_object_unref (self);
    return NULL;
  }

  GST_DEBUG_OBJECT (self, "made rung %s", self->key);
  return self;
}

/**
 * gst_ladder_rung_get_key:
 * @self: a #GstLadderRung
 *
 * Returns: (transfer none): the rung key, as gst_ladder_rung_key_new().
 *
 * Since: 0.1
 */
const gchar *
gst_ladder_rung_get_key (GstLadderRung * self)
{
  g_return_val_if_fail (GST_IS_LADDER_RUNG (self), NULL);
  return self->key;
}

/**
 * gst_ladder_rung_get_transcoder_name:
 * @self: a #GstLadderRung
 *
 * Returns: (transfer none): the name of the rung's transcoder class
 *   ("passthrough", "x264", ...).
 *
 * Since: 0.1
 */
const gchar *
gst_ladder_rung_get_transcoder_name (GstLadderRung * self)
{
  g_return_val_if_fail (GST_IS_LADDER_RUNG (self), NULL);
  return self->transcoder_name;
}

/**
 * gst_ladder_rung_get_rendition_name:
 * @self: a #GstLadderRung
 *
 * Returns: (transfer none): the name of the rendition the rung makes.
 *
 * Since: 0.1
 */
const gchar *
gst_ladder_rung_get_rendition_name (GstLadderRung * self)
{
  g_return_val_if_fail (GST_IS_LADDER_RUNG (self), NULL);
  return self->rendition_name;
}

/**
 * gst_ladder_rung_get_broadcast:
 * @self: a #GstLadderRung
 *
 * Returns: (transfer none): the broadcast of the rung's source.
 *
 * Since: 0.1
 */
const gchar *
gst_ladder_rung_get_broadcast (GstLadderRung * self)
{
  g_return_val_if_fail (GST_IS_LADDER_RUNG (self), NULL);
  return self->broadcast;
}

/**
 * gst_ladder_rung_get_track:
 * @self: a #GstLadderRung
 *
 * Returns: (transfer none): the track of the rung's source.
 *
 * Since: 0.1
 */
const gchar *
gst_ladder_rung_get_track (GstLadderRung * self)
{
  g_return_val_if_fail (GST_IS_LADDER_RUNG (self), NULL);
  return self->track;
}

/**
 * gst_ladder_rung_get_transcoder:
 * @self: a #GstLadderRung
 *
 * Returns: (transfer none): the transcoder element inside the rung.
 *
 * Since: 0.1
 */
GstElement *
gst_ladder_rung_get_transcoder (GstLadderRung * self)
{
  g_return_val_if_fail (GST_IS_LADDER_RUNG (self), NULL);
  return self->inner;
}

/**
 * gst_ladder_rung_get_phase:
 * @self: a #GstLadderRung
 *
 * Returns: the phase the rung is in: start (no buffer has entered yet),
 *   fragment, or stop (draining or being torn down).
 *
 * Since: 0.1
 */
GstLadderPhase
gst_ladder_rung_get_phase (GstLadderRung * self)
{
  g_return_val_if_fail (GST_IS_LADDER_RUNG (self), GST_LADDER_PHASE_START);
  return g_atomic_int_get (&self->phase);
}

/**
 * gst_ladder_rung_get_counters:
 * @self: a #GstLadderRung
 * @fragments_in: (out) (optional): buffers received
 * @fragments_out: (out) (optional): buffers pushed to the output
 * @bytes_in: (out) (optional): bytes received
 * @bytes_out: (out) (optional): bytes pushed to the output
 *
 * Reads the counters of this rung instance. Lock-free; callable from any
 * thread.
 *
 * Since: 0.1
 */
void
gst_ladder_rung_get_counters (GstLadderRung * self, guint64 * fragments_in,
    guint64 * fragments_out, guint64 * bytes_in, guint64 * bytes_out)
{
  g_return_if_fail (GST_IS_LADDER_RUNG (self));

  if (fragments_in)
    *fragments_in = __atomic_load_n (&self->fragments_in, __ATOMIC_RELAXED);
  if (fragments_out)
    *fragments_out = __atomic_load_n (&self->fragments_out, __ATOMIC_RELAXED);
  if (bytes_in)
    *bytes_in = __atomic_load_n (&self->bytes_in, __ATOMIC_RELAXED);
  if (bytes_out)
    *bytes_out = __atomic_load_n (&self->bytes_out, __ATOMIC_RELAXED);
}

/**
 * gst_ladder_rung_has_faulted:
 * @self: a #GstLadderRung
 *
 * Returns: %TRUE once the rung reported a fault.
 *
 * Since: 0.1
 */
gboolean
gst_ladder_rung_has_faulted (GstLadderRung * self)
{
  g_return_val_if_fail (GST_IS_LADDER_RUNG (self), FALSE);
  return g_atomic_int_get (&self->faulted) != 0;
}

void
gst_ladder_rung_set_stopping (GstLadderRung * self)
{
  g_atomic_int_set (&self->phase, GST_LADDER_PHASE_STOP);
}

static void
gst_ladder_rung_emit_drained (GstLadderRung * self)
{
  if (g_atomic_int_compare_and_exchange (&self->drained, 0, 1)) {
    GST_DEBUG_OBJECT (self, "drained");
    g_signal_emit (self, signals[SIGNAL_DRAINED], 0);
  }
}

/**
 * gst_ladder_rung_drain:
 * @self: a #GstLadderRung
 *
 * Sends EOS into the rung's sink pad, so the transcoder pushes out what it
 * holds. The EOS is not passed on to the output; when it reaches the src
 * pad (or at once, when the rung refuses it) #GstLadderRung::drained is
 * emitted. Unlink the sink pad from its source first. Call it from any
 * thread but a streaming thread of the rung itself.
 *
 * Since: 0.1
 */
void
gst_ladder_rung_drain (GstLadderRung * self)
{
  g_return_if_fail (GST_IS_LADDER_RUNG (self));

  gst_ladder_rung_set_stopping (self);
  g_atomic_int_set (&self->draining, 1);
  if (!gst_pad_send_event (self->sinkpad, gst_event_new_eos ())) {
    GST_DEBUG_OBJECT (self, "EOS refused, drained at once");
    gst_ladder_rung_emit_drained (self);
  }
}

/* Reports the first fault of this instance: returns FALSE when one was
 * reported already. */
gboolean
gst_ladder_rung_report_fault (GstLadderRung * self, GstLadderPhase phase,
    const GError * error, const gchar * debug)
{
  if (!g_atomic_int_compare_and_exchange (&self->faulted, 0, 1)) {
    GST_DEBUG_OBJECT (self, "dropping a further error: %s",
        error ? error->message : "(none)");
    return FALSE;
  }

  GST_INFO_OBJECT (self, "fault in phase %d: %s (%s)", phase,
      error ? error->message : "(none)", GST_STR_NULL (debug));

  if (g_signal_has_handler_pending (self, signals[SIGNAL_FAULT], 0, TRUE)) {
    g_signal_emit (self, signals[SIGNAL_FAULT], 0, phase, error, debug);
  } else {
    gst_element_post_message (GST_ELEMENT (self),
        gst_ladder_message_new_panic (GST_OBJECT (self), self->transcoder_name,
            self->rendition_name, self->broadcast, self->track, phase, error,
            debug, 1, GST_CLOCK_TIME_NONE));
  }
  return TRUE;
}

/* Whether the bin holding @self is on its way down to READY or NULL. */
static gboolean
parent_going_down (GstLadderRung * self)
{
  GstObject *parent = gst_object_get_parent (GST_OBJECT_CAST (self));
  gboolean down = FALSE;

  if (parent && GST_IS_ELEMENT (parent)) {
    GST_OBJECT_LOCK (parent);
    down = GST_STATE_TARGET (parent) <= GST_STATE_READY;
    GST_OBJECT_UNLOCK (parent);
  }
  gst_clear_object (&parent);
  return down;
}

/* A rung whose start failed (its fault is already reported through the
 * ERROR it posted) stays in NULL until the runner removes it.  If the
 * pipeline goes down meanwhile, the bin asks every child to go to PAUSED
 * and READY on the way down, which for that rung's transcoder (still in
 * NULL) is a new attempt to start: failing it would abort the whole
 * pipeline's state change and leave it in PAUSED, its streaming threads
 * running.  While the parent is going down the rung therefore lets such a
 * failure pass: its only child is the transcoder, which stays in NULL,
 * and the rung is removed or stopped right after. */
static GstStateChangeReturn
gst_ladder_rung_change_state (GstElement * element, GstStateChange transition)
{
  GstLadderRung *self = GST_LADDER_RUNG (element);
  GstStateChangeReturn ret;

  ret = GST_ELEMENT_CLASS (gst_ladder_rung_parent_class)->change_state
      (element, transition);

  if (ret == GST_STATE_CHANGE_FAILURE && parent_going_down (self)) {
    GST_INFO_OBJECT (self, "failed to start while the pipeline goes down: "
        "not holding it up");
    ret = GST_STATE_CHANGE_SUCCESS;
  }
  return ret;
}

static void
gst_ladder_rung_handle_message (GstBin * bin, GstMessage * message)
{
  GstLadderRung *self = GST_LADDER_RUNG (bin);

  if (GST_MESSAGE_TYPE (message) == GST_MESSAGE_ERROR) {
    GError *err = NULL;
    gchar *debug = NULL, *full_debug;

    gst_message_parse_error (message, &err, &debug);
    full_debug = g_strdup_printf ("%s: %s",
        GST_MESSAGE_SRC_NAME (message) ? GST_MESSAGE_SRC_NAME (message) :
        "(unknown)", debug ? debug : "");
    gst_ladder_rung_report_fault (self, g_atomic_int_get (&self->phase), err,
        full_debug);
    g_free (full_debug);
    g_free (debug);
    g_clear_error (&err);
    gst_message_unref (message);
    return;
  }

  GST_BIN_CLASS (parent_class)->handle_message (bin, message);
}

static void
count_data (GstPadProbeInfo * info, guint64 * fragments, guint64 * bytes)
{
  if (info->type & GST_PAD_PROBE_TYPE_BUFFER) {
    GstBuffer *buf = GST_PAD_PROBE_INFO_BUFFER (info);

    __atomic_add_fetch (fragments, 1, __ATOMIC_RELAXED);
    __atomic_add_fetch (bytes, gst_buffer_get_size (buf), __ATOMIC_RELAXED);
  } else if (info->type & GST_PAD_PROBE_TYPE_BUFFER_LIST) {
    GstBufferList *list = GST_PAD_PROBE_INFO_BUFFER_LIST (info);

    __atomic_add_fetch (fragments, gst_buffer_list_length (list),
        __ATOMIC_RELAXED);
    __atomic_add_fetch (bytes, gst_buffer_list_calculate_size (list),
        __ATOMIC_RELAXED);
  }
}

static GstPadProbeReturn
gst_ladder_rung_sink_probe (GstPad * pad, GstPadProbeInfo * info,
    gpointer user_data)
{
  GstLadderRung *self = GST_LADDER_RUNG (user_data);

  count_data (info, &self->fragments_in, &self->bytes_in);
  g_atomic_int_compare_and_exchange (&self->phase, GST_LADDER_PHASE_START,
      GST_LADDER_PHASE_FRAGMENT);
  return GST_PAD_PROBE_OK;
}

static GstPadProbeReturn
gst_ladder_rung_src_probe (GstPad * pad, GstPadProbeInfo * info,
    gpointer user_data)
{
  GstLadderRung *self = GST_LADDER_RUNG (user_data);

  if (info->type & GST_PAD_PROBE_TYPE_EVENT_DOWNSTREAM) {
    GstEvent *event = GST_PAD_PROBE_INFO_EVENT (info);

    if (GST_EVENT_TYPE (event) == GST_EVENT_EOS
        && g_atomic_int_get (&self->draining)) {
      gst_ladder_rung_emit_drained (self);
      return GST_PAD_PROBE_DROP;
    }
    return GST_PAD_PROBE_OK;
  }

  count_data (info, &self->fragments_out, &self->bytes_out);

  /* A keyframe that carries its stream headers in band (h264parse
   * config-interval=-1 flags such an IDR access unit HEADER) is a keyframe
   * first: without the flag the output broadcaster starts its pads on it
   * instead of treating it as a header only. */
  if (info->type & GST_PAD_PROBE_TYPE_BUFFER) {
    GstBuffer *buf = GST_PAD_PROBE_INFO_BUFFER (info);

    if (G_UNLIKELY (GST_BUFFER_FLAG_IS_SET (buf, GST_BUFFER_FLAG_HEADER)
            && !GST_BUFFER_FLAG_IS_SET (buf, GST_BUFFER_FLAG_DELTA_UNIT)
            && GST_BUFFER_PTS_IS_VALID (buf))) {
      buf = gst_buffer_make_writable (buf);
      GST_BUFFER_FLAG_UNSET (buf, GST_BUFFER_FLAG_HEADER);
      GST_PAD_PROBE_INFO_DATA (info) = buf;
    }
  }
  return GST_PAD_PROBE_OK;
}
