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
 * SECTION:ladderrunner
 * @title: GstLadderRunner
 * @short_description: runs an ABR ladder on every broadcaster of a bin
 *
 * A #GstLadderRunner holds a ladder, a list of (transcoder factory,
 * rendition) pairs, and runs it on a #GstBin: once installed with
 * gst_ladder_runner_install(), every `ladderbroadcaster` in the bin, now or
 * added later, gets one #GstLadderRung per pair whose factory accepts it,
 * as soon as the broadcaster's caps are known. Each rung feeds an output
 * `ladderbroadcaster` named `<broadcast>/<rendition>` with the source's
 * track, made by the runner in the source's bin and announced with
 * #GstLadderRunner::output-added; downstream attaches there.
 *
 * |[<!-- language="C" -->
 * GstLadderRunner *runner = gst_ladder_runner_new ();
 * gst_ladder_runner_add_transcoder (runner, GST_TYPE_LADDER_X264, &err);
 * gst_ladder_runner_install (runner, GST_BIN (pipeline), &err);
 * gst_element_set_state (pipeline, GST_STATE_PLAYING);
 * ...
 * rendition = gst_ladder_rendition_new_preset ("360p", &err);
 * gst_ladder_runner_add_rendition (runner, GST_TYPE_LADDER_X264, rendition,
 *     &err);
 * ]|
 *
 * Faults: a rung that fails posts a `ladder-panic` message and is
 * restarted after `restart-delay`, doubled at each quick failure up to
 * `max-restart-delay`; three failures in a row, each within
 * %GST_LADDER_RUNNER_QUICK_FAILURE of the rung's start, mark the key
 * degraded, and it is not restarted until gst_ladder_runner_restart().
 *
 * Decode once: the rungs of an encoded video source whose transcoder class
 * sets @decodes_video share one decode (decodebin) feeding an internal raw
 * broadcaster; the rung key of that decode is
 * `decode:raw:<track>:<broadcast>`, with stats and panics like any rung.
 *
 * Threads: the runner has its own thread and #GMainContext. Every state
 * change, link and teardown happens there, never in a streaming thread;
 * signals from streaming threads only hand over to it. The public calls
 * can be made from any thread: they run on the runner thread and wait for
 * the result (when called from the runner thread, for example from an
 * #GstLadderRunner::output-added handler, they run at once). Do not call
 * them from a streaming thread or a bus sync handler.
 *
 * Messages are posted on the installed bin: `ladder-stats` every
 * `stats-interval`, `ladder-rendition-added`, `ladder-rendition-removed`;
 * `ladder-panic` is posted by the failed rung. See laddermessage.h.
 */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "ladder.h"
#include "ladderrunner-private.h"

GST_DEBUG_CATEGORY (gst_ladder_runner_debug);
#define GST_CAT_DEFAULT gst_ladder_runner_debug

enum
{
  PROP_0,
  PROP_STATS_INTERVAL,
  PROP_RESTART_DELAY,
  PROP_MAX_RESTART_DELAY,
  PROP_CUT_INTERVAL,
  PROP_CASCADE,
  PROP_BIN,
  PROP_LAST
};

static GParamSpec *param_specs[PROP_LAST];
enum
{
  SIGNAL_OUTPUT_ADDED,
  SIGNAL_OUTPUT_REMOVED,
  SIGNAL_LAST
};

static guint signals[SIGNAL_LAST];

#define gst_ladder_runner_parent_class parent_class
G_DEFINE_TYPE_WITH_CODE (GstLadderRunner, gst_ladder_runner, GST_TYPE_OBJECT,
    GST_DEBUG_CATEGORY_INIT (gst_ladder_runner_debug, "ladderrunner", 0,
        "gst-ladder runner"));

static gboolean do_uninstall (GstLadderRunner * self, gpointer data,
    GError ** error);
static void reschedule_stats (GstLadderRunner * self);

static void gst_ladder_runner_dispose (GObject * object);
static void gst_ladder_runner_finalize (GObject * object);
static void gst_ladder_runner_set_property (GObject * object, guint prop_id,
    const GValue * value, GParamSpec * pspec);
static void gst_ladder_runner_get_property (GObject * object, guint prop_id,
    GValue * value, GParamSpec * pspec);

static void
gst_ladder_runner_class_init (GstLadderRunnerClass * klass)
{
  GObjectClass *gobject_class = G_OBJECT_CLASS (klass);

  gobject_class->dispose = gst_ladder_runner_dispose;
  gobject_class->finalize = gst_ladder_runner_finalize;
  gobject_class->set_property = gst_ladder_runner_set_property;
  gobject_class->get_property = gst_ladder_runner_get_property;

  param_specs[PROP_STATS_INTERVAL] =
      g_param_spec_uint64 ("stats-interval", "Stats interval",
      "Time between two ladder-stats messages on the bus, in nanoseconds "
      "(0 = no ladder-stats messages)", 0, G_MAXUINT64,
      GST_LADDER_RUNNER_DEFAULT_STATS_INTERVAL,
      G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);
  param_specs[PROP_RESTART_DELAY] =
      g_param_spec_uint64 ("restart-delay", "Restart delay",
      "Delay before a failed rung is restarted, in nanoseconds; doubled at "
      "each quick failure in a row", 0, G_MAXUINT64,
      GST_LADDER_RUNNER_DEFAULT_RESTART_DELAY,
      G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);
  param_specs[PROP_MAX_RESTART_DELAY] =
      g_param_spec_uint64 ("max-restart-delay", "Maximum restart delay",
      "Longest delay before a failed rung is restarted, in nanoseconds", 0,
      G_MAXUINT64, GST_LADDER_RUNNER_DEFAULT_MAX_RESTART_DELAY,
      G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);
  /**
   * GstLadderRunner:cut-interval:
   *
   * The ladder's keyframe policy: the time between the segment cuts that
   * every video source broadcaster decides for all its renditions
   * (#GstLadderBroadcaster:cut-interval, #GstLadderCutter). Transcoded
   * renditions make their IDR frames on the cuts; with a passthrough
   * rendition in the ladder, cuts fall on the source's keyframes only.
   * 0 decides none: each encoder places its own keyframes.
   *
   * Since: 0.1
   */
  param_specs[PROP_CUT_INTERVAL] =
      g_param_spec_uint64 ("cut-interval", "Cut interval",
      "Time between the keyframes and segment cuts shared by every "
      "rendition, in nanoseconds (0 = each encoder decides)", 0, G_MAXUINT64,
      GST_LADDER_RUNNER_DEFAULT_CUT_INTERVAL,
      G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);
  /**
   * GstLadderRunner:cascade:
   *
   * The scaling cascade: a rung whose transcoder scales
   * (#GstLadderTranscoderClass.scaled_size, ladderx264) gets frames
   * already at its size, made by a #GstLadderResize step from the
   * smallest larger size the ladder makes (240p from 480p, not from the
   * 1080p source), instead of scaling the source itself. Read when a rung
   * starts.
   *
   * Since: 0.1
   */
  param_specs[PROP_CASCADE] =
      g_param_spec_boolean ("cascade", "Cascade",
      "Scale each rendition from the smallest larger one the ladder makes, "
      "not from the source; read when a rendition starts", TRUE,
      G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);
  param_specs[PROP_BIN] =
      g_param_spec_object ("bin", "Bin",
      "The bin the runner is installed on, or NULL", GST_TYPE_BIN,
      G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (gobject_class, PROP_LAST, param_specs);

  /**
   * GstLadderRunner::output-added:
   * @runner: the runner
   * @broadcaster: the output `ladderbroadcaster`
   * @rendition: the rendition name
   * @track: the track
   *
   * An output broadcaster was made (broadcast `<broadcast>/<rendition>`).
   * Emitted from the runner thread, before the rung feeding it starts:
   * request a src pad of @broadcaster and link it to attach downstream.
   *
   * Since: 0.1
   */
  signals[SIGNAL_OUTPUT_ADDED] =
      g_signal_new ("output-added", G_TYPE_FROM_CLASS (klass),
      G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 3,
      GST_TYPE_ELEMENT, G_TYPE_STRING, G_TYPE_STRING);

  /**
   * GstLadderRunner::output-removed:
   * @runner: the runner
   * @broadcaster: the output `ladderbroadcaster`
   * @rendition: the rendition name
   * @track: the track
   *
   * The output broadcaster is about to be removed (its rendition was
   * removed, its source left, or the runner was uninstalled). Emitted from
   * the runner thread: release the pads requested on @broadcaster.
   *
   * Since: 0.1
   */
  signals[SIGNAL_OUTPUT_REMOVED] =
      g_signal_new ("output-removed", G_TYPE_FROM_CLASS (klass),
      G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 3,
      GST_TYPE_ELEMENT, G_TYPE_STRING, G_TYPE_STRING);
}

static void
pair_free (gpointer data)
{
  LadderPair *pair = data;

  g_free (pair->transcoder);
  gst_ladder_rendition_free (pair->rendition);
  g_free (pair->track);
  g_free (pair);
}

static gpointer
runner_thread_func (gpointer data)
{
  GMainLoop *loop = data;
  GMainContext *context = g_main_loop_get_context (loop);

  g_main_context_push_thread_default (context);
  g_main_loop_run (loop);
  g_main_context_pop_thread_default (context);
  g_main_loop_unref (loop);
  return NULL;
}

static void
gst_ladder_runner_init (GstLadderRunner * self)
{
  g_mutex_init (&self->call_lock);
  g_cond_init (&self->call_cond);

  self->stats_interval = GST_LADDER_RUNNER_DEFAULT_STATS_INTERVAL;
  self->cut_interval = GST_LADDER_RUNNER_DEFAULT_CUT_INTERVAL;
  self->restart_delay = GST_LADDER_RUNNER_DEFAULT_RESTART_DELAY;
  self->cascade = TRUE;
  self->max_restart_delay = GST_LADDER_RUNNER_DEFAULT_MAX_RESTART_DELAY;

  self->pairs = g_ptr_array_new_with_free_func (pair_free);
  self->sources = g_ptr_array_new_with_free_func ((GDestroyNotify)
      gst_ladder_runner_source_free);
  self->keys = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
      (GDestroyNotify) gst_ladder_runner_key_free);
  gst_ladder_runner_lifecycle_init (self);

  self->context = g_main_context_new ();
  self->loop = g_main_loop_new (self->context, FALSE);
  self->thread = g_thread_new ("ladder-runner", runner_thread_func,
      g_main_loop_ref (self->loop));
}

static gboolean
quit_loop (gpointer data)
{
  g_main_loop_quit (data);
  return G_SOURCE_REMOVE;
}

static void
gst_ladder_runner_dispose (GObject * object)
{
  GstLadderRunner *self = GST_LADDER_RUNNER (object);

  if (self->thread) {
    if (self->bin)
      gst_ladder_runner_call (self, do_uninstall, NULL, NULL);
    if (g_thread_self () == self->thread) {
      g_main_loop_quit (self->loop);
      g_thread_unref (self->thread);
    } else {
      GSource *source = g_idle_source_new ();
      g_source_set_callback (source, quit_loop, g_main_loop_ref (self->loop),
          (GDestroyNotify) g_main_loop_unref);
      g_source_attach (source, self->context);
      g_source_unref (source);
      g_thread_join (self->thread);
    }
    self->thread = NULL;
  }

  G_OBJECT_CLASS (parent_class)->dispose (object);
}

static void
gst_ladder_runner_finalize (GObject * object)
{
  GstLadderRunner *self = GST_LADDER_RUNNER (object);

  if (self->trim_source) {
    g_source_destroy (self->trim_source);
    g_source_unref (self->trim_source);
  }
  g_hash_table_unref (self->keys);
  g_ptr_array_unref (self->sources);
  g_ptr_array_unref (self->pairs);
  g_main_loop_unref (self->loop);
  g_main_context_unref (self->context);
  g_mutex_clear (&self->call_lock);
  g_cond_clear (&self->call_cond);

  G_OBJECT_CLASS (parent_class)->finalize (object);
}

static gboolean
apply_stats_interval (gpointer data)
{
  reschedule_stats (GST_LADDER_RUNNER (data));
  return G_SOURCE_REMOVE;
}

static gboolean
apply_cut_interval (gpointer data)
{
  gst_ladder_runner_apply_cuts (GST_LADDER_RUNNER (data));
  return G_SOURCE_REMOVE;
}

static void
gst_ladder_runner_set_property (GObject * object, guint prop_id,
    const GValue * value, GParamSpec * pspec)
{
  GstLadderRunner *self = GST_LADDER_RUNNER (object);

  switch (prop_id) {
    case PROP_STATS_INTERVAL:
      GST_OBJECT_LOCK (self);
      self->stats_interval = g_value_get_uint64 (value);
      GST_OBJECT_UNLOCK (self);
      gst_ladder_runner_post_async (self, apply_stats_interval, self, NULL);
      break;
    case PROP_RESTART_DELAY:
      GST_OBJECT_LOCK (self);
      self->restart_delay = g_value_get_uint64 (value);
      GST_OBJECT_UNLOCK (self);
      break;
    case PROP_MAX_RESTART_DELAY:
      GST_OBJECT_LOCK (self);
      self->max_restart_delay = g_value_get_uint64 (value);
      GST_OBJECT_UNLOCK (self);
      break;
    case PROP_CUT_INTERVAL:
      GST_OBJECT_LOCK (self);
      self->cut_interval = g_value_get_uint64 (value);
      GST_OBJECT_UNLOCK (self);
      gst_ladder_runner_post_async (self, apply_cut_interval, self, NULL);
      break;
    case PROP_CASCADE:
      GST_OBJECT_LOCK (self);
      self->cascade = g_value_get_boolean (value);
      GST_OBJECT_UNLOCK (self);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      break;
  }
}

static void
gst_ladder_runner_get_property (GObject * object, guint prop_id,
    GValue * value, GParamSpec * pspec)
{
  GstLadderRunner *self = GST_LADDER_RUNNER (object);

  switch (prop_id) {
    case PROP_STATS_INTERVAL:
      GST_OBJECT_LOCK (self);
      g_value_set_uint64 (value, self->stats_interval);
      GST_OBJECT_UNLOCK (self);
      break;
    case PROP_RESTART_DELAY:
      GST_OBJECT_LOCK (self);
      g_value_set_uint64 (value, self->restart_delay);
      GST_OBJECT_UNLOCK (self);
      break;
    case PROP_CUT_INTERVAL:
      GST_OBJECT_LOCK (self);
      g_value_set_uint64 (value, self->cut_interval);
      GST_OBJECT_UNLOCK (self);
      break;
    case PROP_MAX_RESTART_DELAY:
      GST_OBJECT_LOCK (self);
      g_value_set_uint64 (value, self->max_restart_delay);
      GST_OBJECT_UNLOCK (self);
      break;
    case PROP_CASCADE:
      GST_OBJECT_LOCK (self);
      g_value_set_boolean (value, self->cascade);
      GST_OBJECT_UNLOCK (self);
      break;
    case PROP_BIN:
      GST_OBJECT_LOCK (self);
      g_value_set_object (value, self->bin);
      GST_OBJECT_UNLOCK (self);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      break;
  }
}

/* ----- the runner thread ----- */

typedef struct
{
  GstLadderRunner *self;
  GstLadderRunnerFunc func;
  gpointer data;
  GError *error;
  gboolean result;
  gboolean done;                /* protected by call_lock */
} RunnerCall;

static gboolean
runner_call_dispatch (gpointer user_data)
{
  RunnerCall *call = user_data;
  GstLadderRunner *self = call->self;

  call->result = call->func (self, call->data, &call->error);
  g_mutex_lock (&self->call_lock);
  call->done = TRUE;
  g_cond_broadcast (&self->call_cond);
  g_mutex_unlock (&self->call_lock);
  return G_SOURCE_REMOVE;
}

/* Runs @func on the runner thread and waits for its result (at once when
 * called from the runner thread). */
gboolean
gst_ladder_runner_call (GstLadderRunner * self, GstLadderRunnerFunc func,
    gpointer data, GError ** error)
{
  RunnerCall call = { self, func, data, NULL, FALSE, FALSE };

  if (g_main_context_is_owner (self->context))
    return func (self, data, error);

  gst_ladder_runner_post_async (self, runner_call_dispatch, &call, NULL);
  g_mutex_lock (&self->call_lock);
  while (!call.done)
    g_cond_wait (&self->call_cond, &self->call_lock);
  g_mutex_unlock (&self->call_lock);

  if (call.error)
    g_propagate_error (error, call.error);
  return call.result;
}


static gboolean
stats_tick (gpointer data)
{
  GstLadderRunner *self = GST_LADDER_RUNNER (data);
  GPtrArray *rungs = gst_ladder_runner_get_all_stats (self);
  GstBin *bin = gst_ladder_runner_ref_bin (self);

  if (bin) {
    gst_element_post_message (GST_ELEMENT (bin),
        gst_ladder_message_new_stats (GST_OBJECT (bin), rungs));
    gst_object_unref (bin);
  }
  g_ptr_array_unref (rungs);
  return G_SOURCE_CONTINUE;
}

static void
reschedule_stats (GstLadderRunner * self)
{
  GstClockTime interval;

  if (self->stats_source) {
    g_source_destroy (self->stats_source);
    g_source_unref (self->stats_source);
    self->stats_source = NULL;
  }

  GST_OBJECT_LOCK (self);
  interval = self->bin ? self->stats_interval : 0;
  GST_OBJECT_UNLOCK (self);
  if (interval == 0)
    return;

  self->stats_source = g_timeout_source_new (MAX (1,
          (guint) MIN (interval / GST_MSECOND, G_MAXUINT)));
  g_source_set_callback (self->stats_source, stats_tick, self, NULL);
  g_source_attach (self->stats_source, self->context);
}

/* ----- element tracking ----- */

typedef struct
{
  GstLadderRunner *runner;
  GstElement *element;
  gboolean added;
  GstPad *hold_pad;             /* an added source's early hold */
  gulong hold_id;
} TrackEvent;

static void
track_event_free (gpointer data)
{
  TrackEvent *ev = data;

  if (ev->hold_pad && ev->hold_id)
    gst_pad_remove_probe (ev->hold_pad, ev->hold_id);
  gst_clear_object (&ev->hold_pad);
  gst_object_unref (ev->element);
  g_free (ev);
}

static gboolean
on_track_event (gpointer data)
{
  TrackEvent *ev = data;

  if (ev->runner->bin == NULL)
    return G_SOURCE_REMOVE;
  if (ev->added)
    gst_ladder_runner_track_element (ev->runner, ev->element, &ev->hold_pad,
        &ev->hold_id);
  else
    gst_ladder_runner_untrack_element (ev->runner, ev->element);
  return G_SOURCE_REMOVE;
}

static void
post_track_event (GstLadderRunner * self, GstElement * element, gboolean added)
{
  TrackEvent *ev;

  if (!GST_IS_LADDER_BROADCASTER (element))
    return;
  ev = g_new0 (TrackEvent, 1);
  ev->runner = self;
  ev->element = gst_object_ref (element);
  ev->added = added;
  if (added)
    ev->hold_id = gst_ladder_runner_hold_new_element (element, &ev->hold_pad);
  gst_ladder_runner_post_async (self, on_track_event, ev, track_event_free);
}

static void
deep_element_added (GstBin * bin, GstBin * sub_bin, GstElement * element,
    gpointer user_data)
{
  post_track_event (GST_LADDER_RUNNER (user_data), element, TRUE);
}

static void
deep_element_removed (GstBin * bin, GstBin * sub_bin, GstElement * element,
    gpointer user_data)
{
  post_track_event (GST_LADDER_RUNNER (user_data), element, FALSE);
}

static gboolean
do_install (GstLadderRunner * self, gpointer data, GError ** error)
{
  GstBin *bin = GST_BIN (data);
  GstIterator *it;
  GValue item = G_VALUE_INIT;
  GPtrArray *found;
  gboolean done = FALSE;
  guint i;

  if (self->bin) {
    g_set_error (error, GST_LADDER_ERROR, GST_LADDER_ERROR_STATE,
        "The runner is already installed on %s", GST_OBJECT_NAME (self->bin));
    return FALSE;
  }

  GST_OBJECT_LOCK (self);
  self->bin = gst_object_ref (bin);
  GST_OBJECT_UNLOCK (self);

  self->deep_added_id = g_signal_connect (bin, "deep-element-added",
      G_CALLBACK (deep_element_added), self);
  self->deep_removed_id = g_signal_connect (bin, "deep-element-removed",
      G_CALLBACK (deep_element_removed), self);

  found = g_ptr_array_new_with_free_func (gst_object_unref);
  it = gst_bin_iterate_recurse (bin);
  while (!done) {
    switch (gst_iterator_next (it, &item)) {
      case GST_ITERATOR_OK:
        g_ptr_array_add (found, g_value_dup_object (&item));
        g_value_reset (&item);
        break;
      case GST_ITERATOR_RESYNC:
        g_ptr_array_set_size (found, 0);
        gst_iterator_resync (it);
        break;
      default:
        done = TRUE;
        break;
    }
  }
  g_value_unset (&item);
  gst_iterator_free (it);

  GST_INFO_OBJECT (self, "installed on %s", GST_OBJECT_NAME (bin));
  for (i = 0; i < found->len; i++)
    gst_ladder_runner_track_element (self, g_ptr_array_index (found, i),
        NULL, NULL);
  g_ptr_array_unref (found);

  reschedule_stats (self);
  return TRUE;
}

static gboolean
do_uninstall (GstLadderRunner * self, gpointer data, GError ** error)
{
  GstBin *bin = self->bin;

  if (bin == NULL) {
    g_set_error (error, GST_LADDER_ERROR, GST_LADDER_ERROR_STATE,
        "The runner is not installed");
    return FALSE;
  }

  g_signal_handler_disconnect (bin, self->deep_added_id);
  g_signal_handler_disconnect (bin, self->deep_removed_id);
  self->deep_added_id = self->deep_removed_id = 0;

  gst_ladder_runner_remove_all_keys (self);
  g_ptr_array_set_size (self->sources, 0);

  GST_OBJECT_LOCK (self);
  self->bin = NULL;
  GST_OBJECT_UNLOCK (self);
  reschedule_stats (self);

  GST_INFO_OBJECT (self, "uninstalled from %s", GST_OBJECT_NAME (bin));
  gst_object_unref (bin);
  return TRUE;
}

/* ----- public API ----- */

/**
 * gst_ladder_runner_new:
 *
 * Makes a runner with an empty ladder; add factories and renditions, then
 * install it on a bin.
 *
 * Returns: (transfer full): a new #GstLadderRunner
 *
 * Since: 0.1
 */
GstLadderRunner *
gst_ladder_runner_new (void)
{
  return gst_object_ref_sink (g_object_new (GST_TYPE_LADDER_RUNNER, NULL));
}

static gint
compare_strings (gconstpointer a, gconstpointer b)
{
  return g_strcmp0 (*(const gchar **) a, *(const gchar **) b);
}

static gboolean
do_list_keys (GstLadderRunner * self, gpointer data, GError ** error)
{
  GPtrArray *list = data;
  GHashTableIter iter;
  gpointer k;

  g_hash_table_iter_init (&iter, self->keys);
  while (g_hash_table_iter_next (&iter, &k, NULL))
    g_ptr_array_add (list, g_strdup (k));
  g_ptr_array_sort (list, compare_strings);
  return TRUE;
}

/**
 * gst_ladder_runner_list_keys:
 * @self: a #GstLadderRunner
 *
 * Lists the rung keys the runner tracks (running, restarting or degraded),
 * shared decodes included, as strings made by gst_ladder_rung_key_new(),
 * sorted.
 *
 * Returns: (transfer container) (element-type utf8): the keys; free with
 *   g_ptr_array_unref().
 *
 * Since: 0.1
 */
GPtrArray *
gst_ladder_runner_list_keys (GstLadderRunner * self)
{
  GPtrArray *list;

  g_return_val_if_fail (GST_IS_LADDER_RUNNER (self), NULL);

  list = g_ptr_array_new_with_free_func (g_free);
  gst_ladder_runner_call (self, do_list_keys, list, NULL);
  return list;
}

typedef struct
{
  const gchar *key;
  GstStructure *stats;
} StatsData;

static gboolean
do_get_stats (GstLadderRunner * self, gpointer data, GError ** error)
{
  StatsData *sd = data;
  LadderKey *key = sd->key ? g_hash_table_lookup (self->keys, sd->key) : NULL;

  if (key == NULL) {
    g_set_error (error, GST_LADDER_ERROR, GST_LADDER_ERROR_NOT_FOUND,
        "The runner has no rung key '%s'", GST_STR_NULL (sd->key));
    return FALSE;
  }
  sd->stats = gst_ladder_runner_key_stats (self, key);
  return TRUE;
}

/**
 * gst_ladder_runner_get_stats:
 * @self: a #GstLadderRunner
 * @key: a rung key, as gst_ladder_runner_list_keys() gives
 * @error: return location for a #GError
 *
 * Reads the figures of one rung key, over all its instances: a structure
 * as gst_ladder_rung_stats_new() makes, with `fragments-in`,
 * `fragments-out`, `bytes-in`, `bytes-out`, `drops`, `panics`, `restarts`
 * (guint64), `bitrate` (bit/s) and `fps` (gdouble, since the previous
 * sample), `state` (#GstLadderRungState) and `key`.
 *
 * Returns: (transfer full) (nullable): the stats, or %NULL with @error set
 *   (%GST_LADDER_ERROR_NOT_FOUND) for an unknown key.
 *
 * Since: 0.1
 */
GstStructure *
gst_ladder_runner_get_stats (GstLadderRunner * self, const gchar * key,
    GError ** error)
{
  StatsData sd = { key, NULL };

  g_return_val_if_fail (GST_IS_LADDER_RUNNER (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!gst_ladder_runner_call (self, do_get_stats, &sd, error))
    return NULL;
  return sd.stats;
}

static gint
compare_stats (gconstpointer a, gconstpointer b)
{
  const GstStructure *sa = *(const GstStructure **) a;
  const GstStructure *sb = *(const GstStructure **) b;

  return g_strcmp0 (gst_structure_get_string (sa, GST_LADDER_STATS_KEY),
      gst_structure_get_string (sb, GST_LADDER_STATS_KEY));
}

static gboolean
do_get_all_stats (GstLadderRunner * self, gpointer data, GError ** error)
{
  GPtrArray *list = data;
  GHashTableIter iter;
  gpointer value;

  g_hash_table_iter_init (&iter, self->keys);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    g_ptr_array_add (list, gst_ladder_runner_key_stats (self, value));
  g_ptr_array_sort (list, compare_stats);
  return TRUE;
}

/**
 * gst_ladder_runner_get_all_stats:
 * @self: a #GstLadderRunner
 *
 * Reads the figures of every rung key, as gst_ladder_runner_get_stats(),
 * sorted by key: the content of the `rungs` field of `ladder-stats`.
 *
 * Returns: (transfer container) (element-type GstStructure): the stats;
 *   free with g_ptr_array_unref().
 *
 * Since: 0.1
 */
GPtrArray *
gst_ladder_runner_get_all_stats (GstLadderRunner * self)
{
  GPtrArray *list;

  g_return_val_if_fail (GST_IS_LADDER_RUNNER (self), NULL);

  list = g_ptr_array_new_with_free_func ((GDestroyNotify) gst_structure_free);
  gst_ladder_runner_call (self, do_get_all_stats, list, NULL);
  return list;
}

static gboolean
do_restart (GstLadderRunner * self, gpointer data, GError ** error)
{
  const gchar *name = data;
  LadderKey *key = name ? g_hash_table_lookup (self->keys, name) : NULL;

  if (key == NULL) {
    g_set_error (error, GST_LADDER_ERROR, GST_LADDER_ERROR_NOT_FOUND,
        "The runner has no rung key '%s'", GST_STR_NULL (name));
    return FALSE;
  }
  if (key->removal || (key->state != GST_LADDER_RUNG_STATE_DEGRADED
          && key->state != GST_LADDER_RUNG_STATE_RESTARTING)) {
    g_set_error (error, GST_LADDER_ERROR, GST_LADDER_ERROR_STATE,
        "The rung %s is neither degraded nor waiting for a restart", name);
    return FALSE;
  }
  GST_INFO_OBJECT (self, "restart of %s asked", name);
  gst_ladder_runner_restart_key (self, key);
  return TRUE;
}

/**
 * gst_ladder_runner_restart:
 * @self: a #GstLadderRunner
 * @key: a rung key
 * @error: return location for a #GError
 *
 * Restarts a degraded rung key (or one waiting for its restart) now, with
 * its count of quick failures reset. A key of an offline (not live) source
 * is not kept degraded: it ends at once, and cannot be restarted.
 *
 * Returns: %TRUE on success; %FALSE with @error set for an unknown key
 *   (%GST_LADDER_ERROR_NOT_FOUND) or a key that is running or ended
 *   (%GST_LADDER_ERROR_STATE).
 *
 * Since: 0.1
 */
gboolean
gst_ladder_runner_restart (GstLadderRunner * self, const gchar * key,
    GError ** error)
{
  g_return_val_if_fail (GST_IS_LADDER_RUNNER (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return gst_ladder_runner_call (self, do_restart, (gpointer) key, error);
}

/**
 * gst_ladder_runner_install:
 * @self: a #GstLadderRunner
 * @bin: the bin to run the ladder on
 * @error: return location for a #GError
 *
 * Runs the ladder on @bin: every `ladderbroadcaster` in it (at any depth),
 * now or added later, that is not an output gets its rungs once its caps
 * are known. Rungs and outputs are added to the bin that holds the source
 * broadcaster. Messages are posted on @bin.
 *
 * Returns: %TRUE on success; %FALSE with @error set
 *   (%GST_LADDER_ERROR_STATE) when the runner is installed already.
 *
 * Since: 0.1
 */
gboolean
gst_ladder_runner_install (GstLadderRunner * self, GstBin * bin,
    GError ** error)
{
  g_return_val_if_fail (GST_IS_LADDER_RUNNER (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!GST_IS_BIN (bin)) {
    g_set_error (error, GST_LADDER_ERROR, GST_LADDER_ERROR_FAILED,
        "No bin given to install the runner on");
    return FALSE;
  }
  return gst_ladder_runner_call (self, do_install, bin, error);
}

/**
 * gst_ladder_runner_uninstall:
 * @self: a #GstLadderRunner
 * @error: return location for a #GError
 *
 * Stops every rung (aborted), removes the outputs (announcing each with
 * #GstLadderRunner::output-removed) and forgets the bin. The ladder
 * itself is kept.
 *
 * Returns: %TRUE on success; %FALSE with @error set
 *   (%GST_LADDER_ERROR_STATE) when the runner is not installed.
 *
 * Since: 0.1
 */
gboolean
gst_ladder_runner_uninstall (GstLadderRunner * self, GError ** error)
{
  g_return_val_if_fail (GST_IS_LADDER_RUNNER (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return gst_ladder_runner_call (self, do_uninstall, NULL, error);
}

/**
 * gst_ladder_runner_get_bin:
 * @self: a #GstLadderRunner
 *
 * Returns: (transfer full) (nullable): the bin the runner is installed on.
 *
 * Since: 0.1
 */
GstBin *
gst_ladder_runner_get_bin (GstLadderRunner * self)
{
  g_return_val_if_fail (GST_IS_LADDER_RUNNER (self), NULL);
  return gst_ladder_runner_ref_bin (self);
}
