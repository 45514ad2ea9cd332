/* gst-ladder
 * Copyright (C) 2026 The gst-ladder authors
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2 of the License, or (at your option) any later version.
 */

/**
 * SECTION:element-ladderbroadcaster
 * @title: ladderbroadcaster
 * @short_description: fan-out of one track to isolated branches
 *
 * ladderbroadcaster sends one stream (encoded video, raw video or audio)
 * to any number of request src pads, like #tee with a #queue on each
 * branch, with what a live ladder needs on top:
 *
 * * every src pad has its own bounded queue and streaming thread: a branch
 *   that is slow, flushing, not negotiated, at EOS or in error never stops
 *   or stalls the source or the other branches;
 * * a src pad linked while data flows starts clean: the sticky events, the
 *   header buffers, then the cached GOP (`start-policy=gop-cache`) or
 *   nothing until the next keyframe (`start-policy=next-keyframe`). It never
 *   receives a delta unit first;
 * * with a live source, a branch whose queue overflows drops whole GOPs and
 *   resumes on a keyframe (`ladder-broadcaster-lag`), and past `max-lag` it is
 *   evicted (`ladder-broadcaster-evicted`). With a non-live source the full
 *   queue blocks the source instead: nothing is lost offline;
 * * statistics (`stats`), a publishing `state` and an `idle-timeout`.
 *
 * See docs/ladderbroadcaster.md for the properties, messages and stats.
 *
 * ## Example launch line
 * |[
 * gst-launch-1.0 videotestsrc num-buffers=100 ! x264enc key-int-max=30 ! ladderbroadcaster name=b broadcast=live/demo track=video ! queue ! fakesink b. ! fakesink
 * ]|
 * Sends an H.264 stream to two branches.
 *
 * Since: 0.1
 */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <stdio.h>

#include <gst/video/video.h>

#include "ladder.h"
#include "ladder-private.h"
#include "ladderbroadcaster-private.h"

GST_DEBUG_CATEGORY (ladder_broadcaster_debug);
#define GST_CAT_DEFAULT ladder_broadcaster_debug

/* Locking order (see ladderbroadcaster-private.h):
 *
 *   sink or src pad STREAM_LOCK  ->  self->lock  ->  pad / element OBJECT_LOCK
 *
 * self->lock protects the whole element state, including every pad queue,
 * so that the chain function queues one buffer on all pads with a single
 * lock. Never push, pause or stop a task, post a message or notify a
 * property while holding it: messages are collected under the lock in a
 * pending list and posted after it, pad tasks are woken after it through a
 * WakeList.
 */

#define DEFAULT_START_POLICY        GST_LADDER_BROADCASTER_START_GOP_CACHE
#define DEFAULT_LAG_POLICY          GST_LADDER_BROADCASTER_LAG_AUTO
#define DEFAULT_GOP_CACHE_MAX_TIME  (10 * GST_SECOND)
#define DEFAULT_GOP_CACHE_MAX_BYTES (64 * 1024 * 1024)
#define DEFAULT_MAX_QUEUE_TIME      GST_SECOND
#define DEFAULT_MAX_QUEUE_BUFFERS   200
#define DEFAULT_MAX_QUEUE_BYTES     (10 * 1024 * 1024)
#define DEFAULT_BLOCK_QUEUE_BUFFERS 0
#define DEFAULT_MAX_LAG             (5 * GST_SECOND)
#define DEFAULT_IDLE_TIMEOUT        0
#define DEFAULT_CUT_INTERVAL        0
#define DEFAULT_CUT_ON_KEYFRAMES    TRUE

/* the window over which bitrate and fps are measured */
#define STATS_WINDOW GST_SECOND

enum
{
  PROP_0,
  PROP_BROADCAST,
  PROP_TRACK,
  PROP_START_POLICY,
  PROP_LAG_POLICY,
  PROP_GOP_CACHE_MAX_TIME,
  PROP_GOP_CACHE_MAX_BYTES,
  PROP_MAX_QUEUE_TIME,
  PROP_MAX_QUEUE_BUFFERS,
  PROP_MAX_QUEUE_BYTES,
  PROP_BLOCK_QUEUE_BUFFERS,
  PROP_MAX_LAG,
  PROP_IDLE_TIMEOUT,
  PROP_CUT_INTERVAL,
  PROP_CUT_ON_KEYFRAMES,
  PROP_STATS,
  PROP_STATE,
  PROP_CAPS,
  PROP_LAST
};

static GParamSpec *properties[PROP_LAST];

static GstStaticPadTemplate sink_template = GST_STATIC_PAD_TEMPLATE ("sink",
    GST_PAD_SINK, GST_PAD_ALWAYS, GST_STATIC_CAPS_ANY);

static GstStaticPadTemplate src_template = GST_STATIC_PAD_TEMPLATE ("src_%u",
    GST_PAD_SRC, GST_PAD_REQUEST, GST_STATIC_CAPS_ANY);

/* one entry of the bitrate/fps window */
typedef struct
{
  GstClockTime t;
  guint size;
} WindowEntry;

#define parent_class gst_ladder_broadcaster_parent_class
G_DEFINE_TYPE (GstLadderBroadcaster, gst_ladder_broadcaster, GST_TYPE_ELEMENT);

GST_ELEMENT_REGISTER_DEFINE (ladderbroadcaster, "ladderbroadcaster",
    GST_RANK_NONE, GST_TYPE_LADDER_BROADCASTER);

static void gst_ladder_broadcaster_finalize (GObject * object);
static void gst_ladder_broadcaster_set_property (GObject * object,
    guint prop_id, const GValue * value, GParamSpec * pspec);
static void gst_ladder_broadcaster_get_property (GObject * object,
    guint prop_id, GValue * value, GParamSpec * pspec);
static GstStateChangeReturn gst_ladder_broadcaster_change_state (GstElement *
    element, GstStateChange transition);
static GstPad *gst_ladder_broadcaster_request_new_pad (GstElement * element,
    GstPadTemplate * templ, const gchar * name, const GstCaps * caps);
static void gst_ladder_broadcaster_release_pad (GstElement * element,
    GstPad * pad);

static GstFlowReturn gst_ladder_broadcaster_chain (GstPad * pad,
    GstObject * parent, GstBuffer * buffer);
static gboolean gst_ladder_broadcaster_sink_event (GstPad * pad,
    GstObject * parent, GstEvent * event);
static gboolean gst_ladder_broadcaster_sink_query (GstPad * pad,
    GstObject * parent, GstQuery * query);

/* the element */

static void
gst_ladder_broadcaster_class_init (GstLadderBroadcasterClass * klass)
{
  GObjectClass *gobject_class = G_OBJECT_CLASS (klass);
  GstElementClass *element_class = GST_ELEMENT_CLASS (klass);

  GST_DEBUG_CATEGORY_INIT (ladder_broadcaster_debug, "ladderbroadcaster", 0,
      "ladder broadcaster: isolated fan-out");

  gobject_class->finalize = gst_ladder_broadcaster_finalize;
  gobject_class->set_property = gst_ladder_broadcaster_set_property;
  gobject_class->get_property = gst_ladder_broadcaster_get_property;

  properties[PROP_BROADCAST] = g_param_spec_string ("broadcast", "Broadcast",
      "Name of the broadcast this track belongs to (e.g. \"live/demo\"), "
      "carried in messages and stats", NULL,
      G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);
  properties[PROP_TRACK] = g_param_spec_string ("track", "Track",
      "Name of the track (e.g. \"video\", \"audio\"), carried in messages "
      "and stats", NULL, G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);
  properties[PROP_START_POLICY] = g_param_spec_enum ("start-policy",
      "Start policy", "What a src pad linked while data flows receives "
      "first after the sticky events and headers: the cached GOP at once, "
      "or nothing until the next keyframe",
      GST_TYPE_LADDER_BROADCASTER_START_POLICY, DEFAULT_START_POLICY,
      G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);
  properties[PROP_LAG_POLICY] = g_param_spec_enum ("lag-policy", "Lag policy",
      "What a full src pad queue does: drop whole GOPs and evict past "
      "max-lag (live), block the source (offline), or follow upstream "
      "liveness (auto)", GST_TYPE_LADDER_BROADCASTER_LAG_POLICY,
      DEFAULT_LAG_POLICY, G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);
  properties[PROP_GOP_CACHE_MAX_TIME] = g_param_spec_uint64
      ("gop-cache-max-time", "GOP cache max time",
      "Longest GOP kept for late joiners, in ns (0 = no limit); a longer GOP "
      "is not cached and late joiners wait for the next keyframe",
      0, G_MAXUINT64, DEFAULT_GOP_CACHE_MAX_TIME,
      G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);
  properties[PROP_GOP_CACHE_MAX_BYTES] = g_param_spec_uint64
      ("gop-cache-max-bytes", "GOP cache max bytes",
      "Largest GOP kept for late joiners, in bytes (0 = no limit)",
      0, G_MAXUINT64, DEFAULT_GOP_CACHE_MAX_BYTES,
      G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);
  properties[PROP_MAX_QUEUE_TIME] = g_param_spec_uint64 ("max-queue-time",
      "Max queue time", "Most data queued per src pad, in ns of running "
      "time (0 = no limit)", 0, G_MAXUINT64, DEFAULT_MAX_QUEUE_TIME,
      G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);
  properties[PROP_MAX_QUEUE_BUFFERS] = g_param_spec_uint ("max-queue-buffers",
      "Max queue buffers", "Most buffers queued per src pad (0 = no limit)",
      0, G_MAXUINT, DEFAULT_MAX_QUEUE_BUFFERS,
      G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);
  properties[PROP_MAX_QUEUE_BYTES] = g_param_spec_uint64 ("max-queue-bytes",
      "Max queue bytes", "Most bytes queued per src pad (0 = no limit)",
      0, G_MAXUINT64, DEFAULT_MAX_QUEUE_BYTES,
      G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);
  /**
   * GstLadderBroadcaster:block-queue-buffers:
   *
   * When the broadcaster holds the source back instead of dropping
   * (#GstLadderBroadcaster:lag-policy block, or auto with a non-live
   * source), a src pad is full at this many queued buffers already, if
   * that is fewer than the max-queue limits allow. A non-live source
   * fills every queue to its limit; for raw video, where a frame is
   * megabytes, one or two per branch keep the stages busy without the
   * memory of ten. The max-queue limits still decide when a live branch
   * drops, where a deeper queue absorbs jitter. 0: only the max-queue
   * limits.
   *
   * Since: 0.1
   */
  properties[PROP_BLOCK_QUEUE_BUFFERS] =
      g_param_spec_uint ("block-queue-buffers", "Block queue buffers",
      "When holding the source back (not live), a src pad is full at this "
      "many buffers if fewer than the max-queue limits (0 = those limits "
      "only)", 0, G_MAXUINT, DEFAULT_BLOCK_QUEUE_BUFFERS,
      G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);
  properties[PROP_MAX_LAG] = g_param_spec_uint64 ("max-lag", "Max lag",
      "When dropping (live), a src pad further behind the input than this, "
      "in ns, is evicted: it receives nothing more until released "
      "(0 = never evict)", 0, G_MAXUINT64, DEFAULT_MAX_LAG,
      G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);
  properties[PROP_IDLE_TIMEOUT] = g_param_spec_uint64 ("idle-timeout",
      "Idle timeout", "A publishing source that sends nothing for this long, "
      "in ns of the element clock, is reported (ladder-broadcaster-idle) and "
      "the state goes back to idle (0 = off)", 0, G_MAXUINT64,
      DEFAULT_IDLE_TIMEOUT, G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);
  /**
   * GstLadderBroadcaster:cut-interval:
   *
   * The ladder's keyframe policy (#GstLadderCutter), applied to the input:
   * frames that start a segment get a downstream GstForceKeyUnit event
   * (all-headers set, count = the segment's sequence number) on every
   * branch, right before them, and a branch that joins later gets the
   * event of its cached GOP. Encoders make their keyframes there, and
   * ladderhlssink cuts its segments there. 0 sends none (an output, or an
   * internal broadcaster that only passes the events on).
   */
  properties[PROP_CUT_INTERVAL] = g_param_spec_uint64 ("cut-interval",
      "Cut interval", "Time between the segment cuts decided on the input, "
      "in nanoseconds (0 = none)", 0, G_MAXUINT64, DEFAULT_CUT_INTERVAL,
      G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);
  /**
   * GstLadderBroadcaster:cut-on-keyframes:
   *
   * Cut only on keyframes of the input. Needed when a branch passes the
   * input through (it can start a segment nowhere else); without one, any
   * frame can start a segment and the segments keep #cut-interval exactly.
   */
  properties[PROP_CUT_ON_KEYFRAMES] = g_param_spec_boolean
      ("cut-on-keyframes", "Cut on keyframes",
      "Cut only on keyframes of the input (a passthrough branch needs it)",
      DEFAULT_CUT_ON_KEYFRAMES, G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);
  properties[PROP_STATS] = g_param_spec_boxed ("stats", "Statistics",
      "A ladder-broadcaster-stats structure: input totals, bitrate, fps, "
      "GOP cache and one entry per src pad", GST_TYPE_STRUCTURE,
      G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_STATE] = g_param_spec_enum ("state", "State",
      "Publishing state of the source", GST_TYPE_LADDER_BROADCASTER_STATE,
      GST_LADDER_BROADCASTER_STATE_IDLE,
      G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_CAPS] = g_param_spec_boxed ("caps", "Caps",
      "The current input caps (NULL before caps are received)",
      GST_TYPE_CAPS, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (gobject_class, PROP_LAST, properties);

  gst_element_class_set_static_metadata (element_class, "Ladder broadcaster",
      "Generic", "Fans one stream out to isolated branches, each with its "
      "own queue and thread, starting late joiners on a keyframe and "
      "dropping whole GOPs for lagging live branches", "gst-ladder");
  gst_element_class_add_static_pad_template (element_class, &sink_template);
  gst_element_class_add_static_pad_template_with_gtype (element_class,
      &src_template, GST_TYPE_LADDER_BROADCASTER_PAD);

  element_class->change_state =
      GST_DEBUG_FUNCPTR (gst_ladder_broadcaster_change_state);
  element_class->request_new_pad =
      GST_DEBUG_FUNCPTR (gst_ladder_broadcaster_request_new_pad);
  element_class->release_pad =
      GST_DEBUG_FUNCPTR (gst_ladder_broadcaster_release_pad);

  gst_type_mark_as_plugin_api (GST_TYPE_LADDER_BROADCASTER_START_POLICY, 0);
  gst_type_mark_as_plugin_api (GST_TYPE_LADDER_BROADCASTER_LAG_POLICY, 0);
  gst_type_mark_as_plugin_api (GST_TYPE_LADDER_BROADCASTER_STATE, 0);
  gst_type_mark_as_plugin_api (GST_TYPE_LADDER_BROADCASTER_PAD, 0);
}

static void
gst_ladder_broadcaster_init (GstLadderBroadcaster * self)
{
  self->sinkpad = gst_pad_new_from_static_template (&sink_template, "sink");
  gst_pad_set_chain_function (self->sinkpad,
      GST_DEBUG_FUNCPTR (gst_ladder_broadcaster_chain));
  gst_pad_set_event_function (self->sinkpad,
      GST_DEBUG_FUNCPTR (gst_ladder_broadcaster_sink_event));
  gst_pad_set_query_function (self->sinkpad,
      GST_DEBUG_FUNCPTR (gst_ladder_broadcaster_sink_query));
  gst_element_add_pad (GST_ELEMENT (self), self->sinkpad);

  g_mutex_init (&self->lock);
  g_cond_init (&self->room_cond);

  self->start_policy = DEFAULT_START_POLICY;
  self->lag_policy = DEFAULT_LAG_POLICY;
  self->gop_cache_max_time = DEFAULT_GOP_CACHE_MAX_TIME;
  self->gop_cache_max_bytes = DEFAULT_GOP_CACHE_MAX_BYTES;
  self->max_queue_time = DEFAULT_MAX_QUEUE_TIME;
  self->max_queue_buffers = DEFAULT_MAX_QUEUE_BUFFERS;
  self->max_queue_bytes = DEFAULT_MAX_QUEUE_BYTES;
  self->block_queue_buffers = DEFAULT_BLOCK_QUEUE_BUFFERS;
  self->max_lag = DEFAULT_MAX_LAG;
  self->idle_timeout = DEFAULT_IDLE_TIMEOUT;
  gst_ladder_cutter_init (&self->cutter, DEFAULT_CUT_INTERVAL,
      DEFAULT_CUT_ON_KEYFRAMES);

  self->pads = g_ptr_array_new_with_free_func (gst_object_unref);
  self->flushing = TRUE;
  self->need_live_query = 1;
  gst_segment_init (&self->segment, GST_FORMAT_UNDEFINED);
  self->last_rt = GST_CLOCK_TIME_NONE;
  self->gop_cache = gst_queue_array_new (64);
  self->gop_cache_start = self->gop_cache_end = GST_CLOCK_TIME_NONE;
  self->headers = g_ptr_array_new_with_free_func ((GDestroyNotify)
      gst_buffer_unref);
  self->state = GST_LADDER_BROADCASTER_STATE_IDLE;
  self->last_arrival = GST_CLOCK_TIME_NONE;
  self->window = gst_queue_array_new_for_struct (sizeof (WindowEntry), 64);
}

static void
gop_cache_clear_unlocked (GstLadderBroadcaster * self)
{
  GstBuffer *buf;

  while ((buf = gst_queue_array_pop_head (self->gop_cache)))
    gst_buffer_unref (buf);
  self->gop_cache_valid = FALSE;
  gst_clear_event (&self->gop_cache_cut);
  gst_clear_event (&self->upstream_cut);
  self->gop_cache_bytes = 0;
  self->gop_cache_start = self->gop_cache_end = GST_CLOCK_TIME_NONE;
}

static void
gst_ladder_broadcaster_finalize (GObject * object)
{
  GstLadderBroadcaster *self = GST_LADDER_BROADCASTER (object);

  gop_cache_clear_unlocked (self);
  gst_queue_array_free (self->gop_cache);
  g_ptr_array_unref (self->headers);
  g_ptr_array_unref (self->pads);
  gst_queue_array_free (self->window);
  if (self->idle_id)
    gst_clock_id_unref (self->idle_id);
  gst_clear_object (&self->idle_clock);
  g_free (self->broadcast);
  g_free (self->track);
  g_mutex_clear (&self->lock);
  g_cond_clear (&self->room_cond);

  G_OBJECT_CLASS (parent_class)->finalize (object);
}

static void
gst_ladder_broadcaster_set_property (GObject * object, guint prop_id,
    const GValue * value, GParamSpec * pspec)
{
  GstLadderBroadcaster *self = GST_LADDER_BROADCASTER (object);

  g_mutex_lock (&self->lock);
  switch (prop_id) {
    case PROP_BROADCAST:
      g_free (self->broadcast);
      self->broadcast = g_value_dup_string (value);
      break;
    case PROP_TRACK:
      g_free (self->track);
      self->track = g_value_dup_string (value);
      break;
    case PROP_START_POLICY:
      self->start_policy = g_value_get_enum (value);
      if (self->start_policy != GST_LADDER_BROADCASTER_START_GOP_CACHE)
        gop_cache_clear_unlocked (self);
      break;
    case PROP_LAG_POLICY:
      self->lag_policy = g_value_get_enum (value);
      break;
    case PROP_GOP_CACHE_MAX_TIME:
      self->gop_cache_max_time = g_value_get_uint64 (value);
      break;
    case PROP_GOP_CACHE_MAX_BYTES:
      self->gop_cache_max_bytes = g_value_get_uint64 (value);
      break;
    case PROP_MAX_QUEUE_TIME:
      self->max_queue_time = g_value_get_uint64 (value);
      break;
    case PROP_MAX_QUEUE_BUFFERS:
      self->max_queue_buffers = g_value_get_uint (value);
      break;
    case PROP_BLOCK_QUEUE_BUFFERS:
      self->block_queue_buffers = g_value_get_uint (value);
      break;
    case PROP_MAX_QUEUE_BYTES:
      self->max_queue_bytes = g_value_get_uint64 (value);
      break;
    case PROP_MAX_LAG:
      self->max_lag = g_value_get_uint64 (value);
      break;
    case PROP_CUT_INTERVAL:
      /* a new policy starts from the next eligible frame */
      self->cutter.interval = g_value_get_uint64 (value);
      break;
    case PROP_CUT_ON_KEYFRAMES:
      self->cutter.keyframes_only = g_value_get_boolean (value);
      break;
    case PROP_IDLE_TIMEOUT:
      self->idle_timeout = g_value_get_uint64 (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      break;
  }
  /* limits may have grown: let a blocked chain re-check */
  g_cond_broadcast (&self->room_cond);
  g_mutex_unlock (&self->lock);
}

static void
gst_ladder_broadcaster_get_property (GObject * object, guint prop_id,
    GValue * value, GParamSpec * pspec)
{
  GstLadderBroadcaster *self = GST_LADDER_BROADCASTER (object);

  switch (prop_id) {
    case PROP_STATS:
      g_value_take_boxed (value, gst_ladder_broadcaster_get_stats (self));
      return;
    case PROP_CAPS:
      g_value_take_boxed (value, gst_pad_get_current_caps (self->sinkpad));
      return;
    default:
      break;
  }

  g_mutex_lock (&self->lock);
  switch (prop_id) {
    case PROP_BROADCAST:
      g_value_set_string (value, self->broadcast);
      break;
    case PROP_TRACK:
      g_value_set_string (value, self->track);
      break;
    case PROP_START_POLICY:
      g_value_set_enum (value, self->start_policy);
      break;
    case PROP_LAG_POLICY:
      g_value_set_enum (value, self->lag_policy);
      break;
    case PROP_GOP_CACHE_MAX_TIME:
      g_value_set_uint64 (value, self->gop_cache_max_time);
      break;
    case PROP_GOP_CACHE_MAX_BYTES:
      g_value_set_uint64 (value, self->gop_cache_max_bytes);
      break;
    case PROP_MAX_QUEUE_TIME:
      g_value_set_uint64 (value, self->max_queue_time);
      break;
    case PROP_MAX_QUEUE_BUFFERS:
      g_value_set_uint (value, self->max_queue_buffers);
      break;
    case PROP_BLOCK_QUEUE_BUFFERS:
      g_value_set_uint (value, self->block_queue_buffers);
      break;
    case PROP_MAX_QUEUE_BYTES:
      g_value_set_uint64 (value, self->max_queue_bytes);
      break;
    case PROP_MAX_LAG:
      g_value_set_uint64 (value, self->max_lag);
      break;
    case PROP_CUT_INTERVAL:
      g_value_set_uint64 (value, self->cutter.interval);
      break;
    case PROP_CUT_ON_KEYFRAMES:
      g_value_set_boolean (value, self->cutter.keyframes_only);
      break;
    case PROP_IDLE_TIMEOUT:
      g_value_set_uint64 (value, self->idle_timeout);
      break;
    case PROP_STATE:
      g_value_set_enum (value, self->state);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      break;
  }
  g_mutex_unlock (&self->lock);
}

/* messages are collected under the lock and posted after it */
void
gst_ladder_broadcaster_pending_add (GPtrArray ** pending, GstMessage * msg)
{
  if (*pending == NULL)
    *pending = g_ptr_array_new ();
  g_ptr_array_add (*pending, msg);
}

static void
pending_post (GstLadderBroadcaster * self, GPtrArray * pending)
{
  gboolean state_changed = FALSE;
  guint i;

  if (pending == NULL)
    return;

  for (i = 0; i < pending->len; i++) {
    GstMessage *msg = g_ptr_array_index (pending, i);

    if (gst_ladder_message_get_type (msg) ==
        GST_LADDER_MESSAGE_BROADCASTER_STATE)
      state_changed = TRUE;
    gst_element_post_message (GST_ELEMENT_CAST (self), msg);
  }
  g_ptr_array_unref (pending);

  if (state_changed)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
}

static void
set_state_unlocked (GstLadderBroadcaster * self,
    GstLadderBroadcasterState state, GPtrArray ** pending)
{
  if (self->state == state)
    return;

  GST_INFO_OBJECT (self, "state %d -> %d", self->state, state);
  self->state = state;
  gst_ladder_broadcaster_pending_add (pending,
      gst_ladder_message_new_broadcaster_state (GST_OBJECT (self),
          self->broadcast, self->track, state));
}

/* Returns the clock id to unschedule, outside the lock */
static GstClockID
idle_timer_stop_unlocked (GstLadderBroadcaster * self)
{
  GstClockID id = self->idle_id;

  self->idle_id = NULL;
  return id;
}

static void
idle_timer_unschedule (GstClockID id)
{
  if (id) {
    gst_clock_id_unschedule (id);
    gst_clock_id_unref (id);
  }
}

static gboolean idle_timer_cb (GstClock * clock, GstClockTime time,
    GstClockID id, gpointer user_data);

static void
idle_timer_schedule_unlocked (GstLadderBroadcaster * self, GstClockTime at)
{
  self->idle_id = gst_clock_new_single_shot_id (self->idle_clock, at);
  if (gst_clock_id_wait_async (self->idle_id, idle_timer_cb,
          gst_object_ref (self), gst_object_unref) != GST_CLOCK_OK) {
    GST_WARNING_OBJECT (self, "could not schedule the idle timeout");
    gst_clock_id_unref (self->idle_id);
    self->idle_id = NULL;
  }
}

static gboolean
idle_timer_cb (GstClock * clock, GstClockTime time, GstClockID id,
    gpointer user_data)
{
  GstLadderBroadcaster *self = GST_LADDER_BROADCASTER (user_data);
  GPtrArray *pending = NULL;
  GstClockTime now, deadline;

  g_mutex_lock (&self->lock);
  if (id != self->idle_id) {
    g_mutex_unlock (&self->lock);
    return TRUE;
  }
  gst_clock_id_unref (self->idle_id);
  self->idle_id = NULL;

  if (self->state != GST_LADDER_BROADCASTER_STATE_PUBLISHING ||
      self->idle_timeout == 0 || self->flushing) {
    g_mutex_unlock (&self->lock);
    return TRUE;
  }

  now = gst_clock_get_time (clock);
  deadline = self->last_arrival + self->idle_timeout;
  if (now < deadline) {
    idle_timer_schedule_unlocked (self, deadline);
  } else {
    GST_INFO_OBJECT (self, "no data for %" GST_TIME_FORMAT,
        GST_TIME_ARGS (now - self->last_arrival));
    gst_ladder_broadcaster_pending_add (&pending,
        gst_ladder_message_new_broadcaster_idle (GST_OBJECT (self),
            self->broadcast, self->track, now - self->last_arrival));
    set_state_unlocked (self, GST_LADDER_BROADCASTER_STATE_IDLE, &pending);
  }
  g_mutex_unlock (&self->lock);

  pending_post (self, pending);
  return TRUE;
}

static gboolean
collect_sticky (GstPad * pad, GstEvent ** event, gpointer user_data)
{
  g_ptr_array_add (user_data, gst_event_ref (*event));
  return TRUE;
}

/* Hands the current stream to a pad that was just linked: sticky events,
 * headers, then the cached GOP or, by policy, nothing until a keyframe. */
void
gst_ladder_broadcaster_join_unlocked (GstLadderBroadcaster * self,
    GstLadderBroadcasterPad * pad)
{
  GstEvent *event, *eos = NULL;
  GPtrArray *sticky;
  guint i, len;

  gst_ladder_broadcaster_pad_queue_clear_unlocked (pad);
  pad->joined = TRUE;
  pad->link_cookie++;
  pad->waiting_keyframe = TRUE;
  pad->dropping = FALSE;

  /* copy the sticky events; EOS is queued instead, so that it is sent */
  sticky = g_ptr_array_new_with_free_func ((GDestroyNotify) gst_event_unref);
  gst_pad_sticky_events_foreach (self->sinkpad, collect_sticky, sticky);
  for (i = 0; i < sticky->len; i++) {
    event = g_ptr_array_index (sticky, i);
    if (GST_EVENT_TYPE (event) == GST_EVENT_EOS) {
      eos = gst_event_ref (event);
    } else if (gst_pad_store_sticky_event (GST_PAD_CAST (pad), event) !=
        GST_FLOW_OK) {
      GST_DEBUG_OBJECT (pad, "could not store %" GST_PTR_FORMAT, event);
    }
  }
  g_ptr_array_unref (sticky);

  if (eos) {
    gst_ladder_broadcaster_pad_queue_push_unlocked (pad,
        GST_MINI_OBJECT_CAST (eos), ITEM_EVENT, self->last_rt, 0, NULL);
    return;
  }

  for (i = 0; i < self->headers->len; i++) {
    GstBuffer *buf = g_ptr_array_index (self->headers, i);

    gst_ladder_broadcaster_pad_queue_push_unlocked (pad,
        GST_MINI_OBJECT_CAST (gst_buffer_ref (buf)), ITEM_HEADER, self->last_rt,
        gst_buffer_get_size (buf), NULL);
  }

  len = gst_queue_array_get_length (self->gop_cache);
  if (self->start_policy == GST_LADDER_BROADCASTER_START_GOP_CACHE &&
      pad->gop_cache && self->gop_cache_valid && len > 0) {
    if (self->gop_cache_cut)
      gst_ladder_broadcaster_pad_queue_push_unlocked (pad,
          GST_MINI_OBJECT_CAST (gst_event_ref (self->gop_cache_cut)),
          ITEM_EVENT, self->last_rt, 0, NULL);
    for (i = 0; i < len; i++) {
      GstBuffer *buf = gst_queue_array_peek_nth (self->gop_cache, i);

      /* stamped with the join time: the burst is not lag */
      gst_ladder_broadcaster_pad_queue_push_unlocked (pad,
          GST_MINI_OBJECT_CAST (gst_buffer_ref (buf)),
          i == 0 ? ITEM_KEYFRAME : ITEM_DELTA, self->last_rt,
          gst_buffer_get_size (buf), NULL);
    }
    pad->waiting_keyframe = FALSE;
  }
  /* a cut that came before the buffer not chained yet */
  if (self->upstream_cut)
    gst_ladder_broadcaster_pad_queue_push_unlocked (pad,
        GST_MINI_OBJECT_CAST (gst_event_ref (self->upstream_cut)),
        ITEM_EVENT, self->last_rt, 0, NULL);
  GST_DEBUG_OBJECT (pad, "joined with %u headers and %u cached buffers",
      self->headers->len, pad->waiting_keyframe ? 0 : len);
}

/* element vfuncs */

static GPtrArray *
pads_snapshot_unlocked (GstLadderBroadcaster * self)
{
  GPtrArray *pads = g_ptr_array_new_full (self->pads->len, gst_object_unref);
  guint i;

  for (i = 0; i < self->pads->len; i++)
    g_ptr_array_add (pads, gst_object_ref (g_ptr_array_index (self->pads, i)));
  return pads;
}

static void
stats_reset_unlocked (GstLadderBroadcaster * self)
{
  self->buffers_in = self->bytes_in = self->keyframes = 0;
  gst_queue_array_clear (self->window);
  self->window_bytes = 0;
}

static GstStateChangeReturn
gst_ladder_broadcaster_change_state (GstElement * element,
    GstStateChange transition)
{
  GstLadderBroadcaster *self = GST_LADDER_BROADCASTER (element);
  GstStateChangeReturn ret;
  GPtrArray *pending = NULL;
  GstClockID idle_id = NULL;
  GstClock *idle_clock = NULL;

  switch (transition) {
    case GST_STATE_CHANGE_READY_TO_PAUSED:
      g_mutex_lock (&self->lock);
      self->started = TRUE;
      self->flushing = FALSE;
      self->live = FALSE;
      g_atomic_int_set (&self->need_live_query, 1);
      gst_segment_init (&self->segment, GST_FORMAT_UNDEFINED);
      self->last_rt = GST_CLOCK_TIME_NONE;
      stats_reset_unlocked (self);
      g_mutex_unlock (&self->lock);
      break;
    case GST_STATE_CHANGE_PAUSED_TO_READY:
      /* unblock a chain waiting for room before the pads deactivate */
      g_mutex_lock (&self->lock);
      self->started = FALSE;
      self->flushing = TRUE;
      g_cond_broadcast (&self->room_cond);
      idle_id = idle_timer_stop_unlocked (self);
      idle_clock = g_steal_pointer (&self->idle_clock);
      g_mutex_unlock (&self->lock);
      idle_timer_unschedule (idle_id);
      gst_clear_object (&idle_clock);
      break;
    default:
      break;
  }

  ret = GST_ELEMENT_CLASS (parent_class)->change_state (element, transition);
  if (ret == GST_STATE_CHANGE_FAILURE)
    return ret;

  switch (transition) {
    case GST_STATE_CHANGE_PAUSED_TO_READY:{
      GPtrArray *active = g_ptr_array_new_with_free_func (gst_object_unref);
      guint i;

      /* A pad requested concurrently may have been activated before this
       * state change and added to the element after the base class
       * deactivated the element's pads: stop it too, no task may outlive
       * PAUSED. */
      g_mutex_lock (&self->lock);
      for (i = 0; i < self->pads->len; i++) {
        GstLadderBroadcasterPad *pad = g_ptr_array_index (self->pads, i);
        if (pad->active)
          g_ptr_array_add (active, gst_object_ref (pad));
      }
      g_mutex_unlock (&self->lock);
      for (i = 0; i < active->len; i++)
        gst_pad_set_active (g_ptr_array_index (active, i), FALSE);
      g_ptr_array_unref (active);

      g_mutex_lock (&self->lock);
      gop_cache_clear_unlocked (self);
      g_ptr_array_set_size (self->headers, 0);
      self->last_was_header = FALSE;
      set_state_unlocked (self, GST_LADDER_BROADCASTER_STATE_IDLE, &pending);
      g_mutex_unlock (&self->lock);
      pending_post (self, pending);
      break;
    }
    default:
      break;
  }

  return ret;
}

static GstPad *
gst_ladder_broadcaster_request_new_pad (GstElement * element,
    GstPadTemplate * templ, const gchar * name, const GstCaps * caps)
{
  GstLadderBroadcaster *self = GST_LADDER_BROADCASTER (element);
  GstLadderBroadcasterPad *pad;
  GPtrArray *sticky;
  guint index = 0, i;
  gboolean running;

  g_mutex_lock (&self->lock);
  if (name && sscanf (name, "src_%u", &index) == 1) {
    for (i = 0; i < self->pads->len; i++) {
      if (GST_LADDER_BROADCASTER_PAD (g_ptr_array_index (self->pads,
                  i))->index == index)
        goto not_unique;
    }
    if (index >= self->next_pad_index)
      self->next_pad_index = index + 1;
  } else {
    gboolean taken;

    index = self->next_pad_index;
    do {
      taken = FALSE;
      for (i = 0; i < self->pads->len; i++) {
        if (GST_LADDER_BROADCASTER_PAD (g_ptr_array_index (self->pads,
                    i))->index == index) {
          taken = TRUE;
          index++;
          break;
        }
      }
    } while (taken);
    self->next_pad_index = index + 1;
  }

  pad = gst_ladder_broadcaster_pad_new (self, templ, index);
  /* reserve the index; the pad receives data once linked */
  g_ptr_array_add (self->pads, gst_object_ref (pad));
  /* also during a flush: flush-stop restarts the active pads */
  running = self->started;
  g_mutex_unlock (&self->lock);

  if (running && !gst_pad_set_active (GST_PAD_CAST (pad), TRUE))
    goto activate_failed;

  /* the sticky events first, as tee does; refreshed again when linked */
  sticky = g_ptr_array_new_with_free_func ((GDestroyNotify) gst_event_unref);
  gst_pad_sticky_events_foreach (self->sinkpad, collect_sticky, sticky);
  for (i = 0; i < sticky->len; i++) {
    GstEvent *event = g_ptr_array_index (sticky, i);

    if (GST_EVENT_TYPE (event) != GST_EVENT_EOS)
      gst_pad_store_sticky_event (GST_PAD_CAST (pad), event);
  }
  g_ptr_array_unref (sticky);

  gst_element_add_pad (element, GST_PAD_CAST (pad));
  GST_DEBUG_OBJECT (self, "created %" GST_PTR_FORMAT, pad);

  return GST_PAD_CAST (pad);

  /* ERRORS */
not_unique:
  {
    g_mutex_unlock (&self->lock);
    GST_WARNING_OBJECT (self, "pad name %s is already in use", name);
    return NULL;
  }
activate_failed:
  {
    GST_WARNING_OBJECT (self, "could not activate %" GST_PTR_FORMAT, pad);
    g_mutex_lock (&self->lock);
    pad->removed = TRUE;
    g_ptr_array_remove (self->pads, pad);
    g_mutex_unlock (&self->lock);
    gst_object_unref (pad);
    return NULL;
  }
}

static void
release_pad_finish (GstLadderBroadcasterPad * pad)
{
  gst_pad_set_active (GST_PAD_CAST (pad), FALSE);
}

static void
release_pad_async (GstElement * element, gpointer user_data)
{
  release_pad_finish (user_data);
}

static void
gst_ladder_broadcaster_release_pad (GstElement * element, GstPad * gpad)
{
  GstLadderBroadcaster *self = GST_LADDER_BROADCASTER (element);
  GstLadderBroadcasterPad *pad = GST_LADDER_BROADCASTER_PAD (gpad);
  gboolean own_thread;

  GST_DEBUG_OBJECT (self, "releasing %" GST_PTR_FORMAT, pad);

  g_mutex_lock (&self->lock);
  /* keep our reference until the task is stopped */
  gst_object_ref (pad);
  g_ptr_array_remove (self->pads, pad);
  g_atomic_int_set (&pad->removed, TRUE);
  pad->flushing = TRUE;
  pad->joined = FALSE;
  if (pad->waiting)
    g_cond_signal (&pad->cond);
  /* a chain waiting for room in this pad re-checks without it */
  g_cond_broadcast (&self->room_cond);
  own_thread = pad->busy && pad->task_thread == g_thread_self ();
  g_mutex_unlock (&self->lock);

  if (own_thread) {
    /* released from a probe in the pad's own thread: its task cannot be
     * joined here, stop it from another thread */
    gst_element_remove_pad (element, gpad);
    gst_element_call_async (element, release_pad_async, pad, gst_object_unref);
    return;
  }

  release_pad_finish (pad);
  gst_element_remove_pad (element, gpad);
  gst_object_unref (pad);
}

/* sink pad */

static inline ItemKind
buffer_kind (GstBuffer * buffer)
{
  if (GST_BUFFER_FLAG_IS_SET (buffer, GST_BUFFER_FLAG_DELTA_UNIT))
    return ITEM_DELTA;
  /* A header buffer is a stream header (codec setup without media, no
   * timestamp) unless it has a timestamp: then it is media that carries its
   * headers, such as an H.264 IDR access unit with SPS/PPS in front, which
   * h264parse flags HEADER. That one is a keyframe: a new pad starts on it. */
  if (GST_BUFFER_FLAG_IS_SET (buffer, GST_BUFFER_FLAG_HEADER)
      && !GST_CLOCK_TIME_IS_VALID (GST_BUFFER_DTS_OR_PTS (buffer)))
    return ITEM_HEADER;
  return ITEM_KEYFRAME;
}

static void
update_liveness (GstLadderBroadcaster * self)
{
  gboolean live = gst_ladder_upstream_is_live (self->sinkpad, FALSE);

  GST_DEBUG_OBJECT (self, "upstream is %slive", live ? "" : "not ");
  g_mutex_lock (&self->lock);
  self->live = live;
  g_mutex_unlock (&self->lock);
}

static void
stats_add_unlocked (GstLadderBroadcaster * self, GstClockTime rt, guint size,
    ItemKind kind)
{
  WindowEntry entry;
  WindowEntry *head;

  self->buffers_in++;
  self->bytes_in += size;
  if (kind == ITEM_KEYFRAME)
    self->keyframes++;

  entry.t = GST_CLOCK_TIME_IS_VALID (rt) ? rt :
      (GstClockTime) g_get_monotonic_time () * GST_USECOND;
  entry.size = size;

  head = gst_queue_array_peek_tail_struct (self->window);
  if (head && head->t > entry.t) {
    /* time went back (new segment): start over */
    gst_queue_array_clear (self->window);
    self->window_bytes = 0;
  }
  gst_queue_array_push_tail_struct (self->window, &entry);
  self->window_bytes += size;

  while ((head = gst_queue_array_peek_head_struct (self->window)) &&
      head->t + STATS_WINDOW < entry.t) {
    self->window_bytes -= head->size;
    gst_queue_array_pop_head_struct (self->window);
  }
}

static void
gop_cache_add_unlocked (GstLadderBroadcaster * self, GstBuffer * buffer,
    ItemKind kind, GstClockTime rt, guint size)
{
  GstClockTime end;

  if (kind == ITEM_KEYFRAME) {
    gop_cache_clear_unlocked (self);
    self->gop_cache_valid = TRUE;
    self->gop_cache_start = rt;
  } else if (!self->gop_cache_valid) {
    return;
  }

  gst_queue_array_push_tail (self->gop_cache, gst_buffer_ref (buffer));
  self->gop_cache_bytes += size;
  end = rt;
  if (GST_CLOCK_TIME_IS_VALID (end) && GST_BUFFER_DURATION_IS_VALID (buffer))
    end += GST_BUFFER_DURATION (buffer);
  if (GST_CLOCK_TIME_IS_VALID (end) &&
      (!GST_CLOCK_TIME_IS_VALID (self->gop_cache_end) ||
          end > self->gop_cache_end))
    self->gop_cache_end = end;

  if ((self->gop_cache_max_bytes &&
          self->gop_cache_bytes > self->gop_cache_max_bytes) ||
      (self->gop_cache_max_time &&
          GST_CLOCK_TIME_IS_VALID (self->gop_cache_start) &&
          GST_CLOCK_TIME_IS_VALID (self->gop_cache_end) &&
          self->gop_cache_end - self->gop_cache_start >
          self->gop_cache_max_time)) {
    GST_DEBUG_OBJECT (self, "GOP larger than the cache bounds: not cached");
    gop_cache_clear_unlocked (self);
  }
}

/* the keyframe policy: the cut event that goes before @buffer, or NULL */
static GstEvent *
decide_cut_unlocked (GstLadderBroadcaster * self, GstBuffer * buffer,
    ItemKind kind)
{
  GstClockTime pts = GST_BUFFER_PTS (buffer), rt, cut_rt;
  guint count;

  if (self->cutter.interval == 0 || kind == ITEM_HEADER
      || self->segment.format != GST_FORMAT_TIME
      || !GST_CLOCK_TIME_IS_VALID (pts))
    return NULL;

  rt = gst_segment_to_running_time (&self->segment, GST_FORMAT_TIME, pts);
  if (!gst_ladder_cutter_check (&self->cutter, rt,
          GST_BUFFER_DURATION (buffer), kind == ITEM_KEYFRAME, &cut_rt, &count))
    return NULL;

  GST_LOG_OBJECT (self, "cut %u at running time %" GST_TIME_FORMAT, count,
      GST_TIME_ARGS (cut_rt));
  return gst_ladder_cut_event_new (gst_segment_position_from_running_time
      (&self->segment, GST_FORMAT_TIME, cut_rt), cut_rt, count);
}

static GstFlowReturn
gst_ladder_broadcaster_chain (GstPad * sinkpad, GstObject * parent,
    GstBuffer * buffer)
{
  /* hot path: no checked casts */
  GstLadderBroadcaster *self = (GstLadderBroadcaster *) parent;
  GPtrArray *pending = NULL;
  WakeList wakes;
  GstClockTime rt = GST_CLOCK_TIME_NONE, ts;
  GstEvent *cut;
  ItemKind kind = buffer_kind (buffer);
  guint size = gst_buffer_get_size (buffer);
  gboolean drop;
  guint i;

  if (G_UNLIKELY (g_atomic_int_get (&self->need_live_query))) {
    g_atomic_int_set (&self->need_live_query, 0);
    update_liveness (self);
  }

  g_mutex_lock (&self->lock);
  if (G_UNLIKELY (self->flushing))
    goto flushing;

  drop = self->lag_policy == GST_LADDER_BROADCASTER_LAG_DROP ||
      (self->lag_policy == GST_LADDER_BROADCASTER_LAG_AUTO && self->live);

  ts = GST_BUFFER_DTS_OR_PTS (buffer);
  if (self->segment.format == GST_FORMAT_TIME && GST_CLOCK_TIME_IS_VALID (ts))
    rt = gst_segment_to_running_time (&self->segment, GST_FORMAT_TIME, ts);

  /* back-pressure: wait until every receiving pad has room */
  if (!drop && kind != ITEM_HEADER) {
  again:
    for (i = 0; i < self->pads->len; i++) {
      GstLadderBroadcasterPad *pad = g_ptr_array_index (self->pads, i);

      if (gst_ladder_broadcaster_pad_is_receiving (pad)
          && gst_ladder_broadcaster_pad_is_full_unlocked (self, pad, rt, TRUE)) {
        GST_LOG_OBJECT (pad, "full, waiting for room");
        self->waiting_room = TRUE;
        g_cond_wait (&self->room_cond, &self->lock);
        self->waiting_room = FALSE;
        if (self->flushing)
          goto flushing;
        goto again;
      }
    }
  }

  if (GST_CLOCK_TIME_IS_VALID (rt))
    self->last_rt = rt;

  cut = decide_cut_unlocked (self, buffer, kind);

  if (kind == ITEM_HEADER) {
    if (!self->last_was_header)
      g_ptr_array_set_size (self->headers, 0);
    g_ptr_array_add (self->headers, gst_buffer_ref (buffer));
    self->last_was_header = TRUE;
  } else {
    self->last_was_header = FALSE;
    stats_add_unlocked (self, rt, size, kind);
    if (self->start_policy == GST_LADDER_BROADCASTER_START_GOP_CACHE) {
      gop_cache_add_unlocked (self, buffer, kind, rt, size);
      /* a branch that joins on this GOP starts with its cut, decided
       * here or upstream */
      if (kind == ITEM_KEYFRAME && self->gop_cache_valid)
        gst_event_replace (&self->gop_cache_cut,
            cut ? cut : self->upstream_cut);
    }
    gst_clear_event (&self->upstream_cut);
  }

  if (G_UNLIKELY (self->state != GST_LADDER_BROADCASTER_STATE_PUBLISHING))
    set_state_unlocked (self, GST_LADDER_BROADCASTER_STATE_PUBLISHING,
        &pending);

  if (self->idle_timeout) {
    if (!self->idle_clock) {
      self->idle_clock = gst_element_get_clock (GST_ELEMENT_CAST (self));
      if (!self->idle_clock)
        self->idle_clock = gst_system_clock_obtain ();
    }
    self->last_arrival = gst_clock_get_time (self->idle_clock);
    if (!self->idle_id)
      idle_timer_schedule_unlocked (self,
          self->last_arrival + self->idle_timeout);
  }

  wakes.n = 0;
  if (cut) {
    for (i = 0; i < self->pads->len; i++) {
      GstLadderBroadcasterPad *pad = g_ptr_array_index (self->pads, i);

      if (gst_ladder_broadcaster_pad_is_receiving (pad))
        gst_ladder_broadcaster_pad_queue_push_unlocked (pad,
            GST_MINI_OBJECT_CAST (gst_event_ref (cut)), ITEM_EVENT, rt, 0,
            NULL);
    }
    gst_event_unref (cut);
  }
  for (i = 0; i < self->pads->len; i++)
    gst_ladder_broadcaster_pad_queue_buffer_unlocked (self,
        g_ptr_array_index (self->pads, i), buffer, kind, rt, size, drop,
        &pending, &wakes);
  g_mutex_unlock (&self->lock);

  gst_ladder_broadcaster_pad_wake_list_run (&wakes);
  if (G_UNLIKELY (pending))
    pending_post (self, pending);
  gst_buffer_unref (buffer);

  return GST_FLOW_OK;

  /* ERRORS */
flushing:
  {
    g_mutex_unlock (&self->lock);
    GST_DEBUG_OBJECT (self, "flushing");
    pending_post (self, pending);
    gst_buffer_unref (buffer);
    return GST_FLOW_FLUSHING;
  }
}

static void
handle_flush_start (GstLadderBroadcaster * self, GstEvent * event)
{
  GPtrArray *pads;
  guint i;

  g_mutex_lock (&self->lock);
  self->flushing = TRUE;
  g_cond_broadcast (&self->room_cond);
  for (i = 0; i < self->pads->len; i++) {
    GstLadderBroadcasterPad *pad = g_ptr_array_index (self->pads, i);

    pad->flushing = TRUE;
    if (pad->waiting)
      g_cond_signal (&pad->cond);
  }
  pads = pads_snapshot_unlocked (self);
  g_mutex_unlock (&self->lock);

  /* unblocks downstream, then the tasks can pause */
  for (i = 0; i < pads->len; i++)
    gst_pad_push_event (g_ptr_array_index (pads, i), gst_event_ref (event));
  for (i = 0; i < pads->len; i++)
    gst_pad_pause_task (g_ptr_array_index (pads, i));
  g_ptr_array_unref (pads);
}

static void
handle_flush_stop (GstLadderBroadcaster * self, GstEvent * event)
{
  GPtrArray *pads;
  guint i;

  g_mutex_lock (&self->lock);
  gop_cache_clear_unlocked (self);
  for (i = 0; i < self->pads->len; i++) {
    GstLadderBroadcasterPad *pad = g_ptr_array_index (self->pads, i);

    gst_ladder_broadcaster_pad_queue_clear_unlocked (pad);
    pad->waiting_keyframe = TRUE;
    pad->dropping = FALSE;
  }
  if (GST_EVENT_TYPE (event) == GST_EVENT_FLUSH_STOP) {
    gboolean reset_time;

    gst_event_parse_flush_stop (event, &reset_time);
    if (reset_time)
      gst_segment_init (&self->segment, GST_FORMAT_UNDEFINED);
  }
  self->last_rt = GST_CLOCK_TIME_NONE;
  gst_ladder_cutter_reset (&self->cutter);
  pads = pads_snapshot_unlocked (self);
  g_mutex_unlock (&self->lock);

  for (i = 0; i < pads->len; i++)
    gst_pad_push_event (g_ptr_array_index (pads, i), gst_event_ref (event));

  g_mutex_lock (&self->lock);
  for (i = 0; i < self->pads->len; i++) {
    GstLadderBroadcasterPad *pad = g_ptr_array_index (self->pads, i);

    if (pad->active && !pad->removed) {
      pad->flushing = FALSE;
      gst_ladder_broadcaster_pad_start_task (pad);
    }
  }
  self->flushing = FALSE;
  g_atomic_int_set (&self->need_live_query, 1);
  g_mutex_unlock (&self->lock);
  g_ptr_array_unref (pads);
}

static gboolean
gst_ladder_broadcaster_sink_event (GstPad * sinkpad, GstObject * parent,
    GstEvent * event)
{
  GstLadderBroadcaster *self = GST_LADDER_BROADCASTER (parent);
  GPtrArray *pending = NULL;
  gboolean caps_changed = FALSE;
  guint i;

  GST_LOG_OBJECT (self, "received %" GST_PTR_FORMAT, event);

  switch (GST_EVENT_TYPE (event)) {
    case GST_EVENT_FLUSH_START:
      handle_flush_start (self, event);
      gst_event_unref (event);
      return TRUE;
    case GST_EVENT_FLUSH_STOP:
      handle_flush_stop (self, event);
      gst_event_unref (event);
      return TRUE;
    default:
      break;
  }

  if (!GST_EVENT_IS_SERIALIZED (event))
    return gst_pad_event_default (sinkpad, parent, event);

  g_mutex_lock (&self->lock);
  /* stored now, under the lock, so that a pad joining later gets it as a
   * sticky event exactly when it was not queued for it */
  if (GST_EVENT_IS_STICKY (event))
    gst_pad_store_sticky_event (sinkpad, event);

  switch (GST_EVENT_TYPE (event)) {
    case GST_EVENT_STREAM_START:
      gop_cache_clear_unlocked (self);
      gst_ladder_cutter_reset (&self->cutter);
      g_ptr_array_set_size (self->headers, 0);
      self->last_was_header = FALSE;
      break;
    case GST_EVENT_CAPS:
      gop_cache_clear_unlocked (self);
      g_atomic_int_set (&self->need_live_query, 1);
      caps_changed = TRUE;
      break;
    case GST_EVENT_SEGMENT:
      gop_cache_clear_unlocked (self);
      gst_event_copy_segment (event, &self->segment);
      break;
    case GST_EVENT_CUSTOM_DOWNSTREAM:
      if (gst_ladder_cut_event_parse (event, NULL, NULL))
        gst_event_replace (&self->upstream_cut, event);
      break;
    case GST_EVENT_EOS:
      gop_cache_clear_unlocked (self);
      set_state_unlocked (self, GST_LADDER_BROADCASTER_STATE_ENDED, &pending);
      break;
    default:
      break;
  }

  for (i = 0; i < self->pads->len; i++) {
    GstLadderBroadcasterPad *pad = g_ptr_array_index (self->pads, i);

    /* an evicted pad still gets EOS, so that its branch can finish */
    if (pad->joined && !pad->flushing && (!pad->evicted ||
            GST_EVENT_TYPE (event) == GST_EVENT_EOS))
      gst_ladder_broadcaster_pad_queue_push_unlocked (pad,
          GST_MINI_OBJECT_CAST (gst_event_ref (event)), ITEM_EVENT,
          self->last_rt, 0, NULL);
  }
  g_mutex_unlock (&self->lock);

  gst_event_unref (event);
  pending_post (self, pending);
  if (caps_changed)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CAPS]);

  return TRUE;
}

/* The allocation query is answered here, never forwarded: a query into a
 * branch runs in the source's streaming thread and would block it behind
 * a stalled branch (a queue holds a serialized query until it drains).
 * For raw video in system memory it offers GstVideoMeta, and a pool when
 * one is asked for: a decoder in front then renders straight into its
 * output buffers (their planes padded to its coded size) instead of
 * copying every frame.  A branch whose peer does not take GstVideoMeta
 * gets such frames repacked by its own pad task (see the pad's
 * fit_layout()), so that cost stays with that branch.  The pool has no
 * limit: buffers held in the queues never make upstream wait. */
static gboolean
gst_ladder_broadcaster_query_allocation (GstLadderBroadcaster * self,
    GstQuery * query)
{
  GstCaps *caps;
  GstVideoInfo info;
  gboolean need_pool;

  gst_query_parse_allocation (query, &caps, &need_pool);
  if (!gst_ladder_broadcaster_caps_are_raw_video (caps, &info))
    return TRUE;

  gst_query_add_allocation_meta (query, GST_VIDEO_META_API_TYPE, NULL);
  if (need_pool) {
    GstBufferPool *pool = gst_video_buffer_pool_new ();
    GstStructure *config = gst_buffer_pool_get_config (pool);

    gst_buffer_pool_config_set_params (config, caps, info.size, 0, 0);
    if (gst_buffer_pool_set_config (pool, config))
      gst_query_add_allocation_pool (query, pool, info.size, 0, 0);
    gst_object_unref (pool);
  }
  GST_DEBUG_OBJECT (self, "offering GstVideoMeta and %u pools upstream",
      gst_query_get_n_allocation_pools (query));
  return TRUE;
}

/* Whether @caps are raw video in system memory, whose layout a
 * GstVideoMeta describes; fills @info then. */
gboolean
gst_ladder_broadcaster_caps_are_raw_video (GstCaps * caps, GstVideoInfo * info)
{
  GstCapsFeatures *features;

  if (caps == NULL || gst_caps_get_size (caps) != 1)
    return FALSE;
  features = gst_caps_get_features (caps, 0);
  if (features && !gst_caps_features_is_any (features) &&
      !gst_caps_features_is_equal (features,
          GST_CAPS_FEATURES_MEMORY_SYSTEM_MEMORY))
    return FALSE;
  if (!gst_structure_has_name (gst_caps_get_structure (caps, 0), "video/x-raw"))
    return FALSE;
  return gst_video_info_from_caps (info, caps) &&
      GST_VIDEO_INFO_FORMAT (info) != GST_VIDEO_FORMAT_ENCODED;
}

static gboolean
gst_ladder_broadcaster_sink_query (GstPad * sinkpad, GstObject * parent,
    GstQuery * query)
{
  GstLadderBroadcaster *self = GST_LADDER_BROADCASTER (parent);

  switch (GST_QUERY_TYPE (query)) {
    case GST_QUERY_CAPS:{
      GstCaps *filter, *result;
      GPtrArray *pads;
      guint i;

      gst_query_parse_caps (query, &filter);
      result = filter ? gst_caps_ref (filter) : gst_caps_new_any ();

      g_mutex_lock (&self->lock);
      pads = pads_snapshot_unlocked (self);
      g_mutex_unlock (&self->lock);

      /* what every linked branch accepts; unlinked pads do not count */
      for (i = 0; i < pads->len && !gst_caps_is_empty (result); i++) {
        GstPad *pad = g_ptr_array_index (pads, i);
        GstCaps *peercaps;

        if (!gst_pad_is_linked (pad))
          continue;
        peercaps = gst_pad_peer_query_caps (pad, result);
        gst_caps_take (&result, gst_caps_intersect_full (result, peercaps,
                GST_CAPS_INTERSECT_FIRST));
        gst_caps_unref (peercaps);
      }
      g_ptr_array_unref (pads);

      gst_query_set_caps_result (query, result);
      gst_caps_unref (result);
      return TRUE;
    }
    case GST_QUERY_ACCEPT_CAPS:
      /* any caps: a branch that refuses them fails alone */
      gst_query_set_accept_caps_result (query, TRUE);
      return TRUE;
    case GST_QUERY_ALLOCATION:
      return gst_ladder_broadcaster_query_allocation (self, query);
    default:
      return gst_pad_query_default (sinkpad, parent, query);
  }
}

/* public API */

/**
 * gst_ladder_broadcaster_get_broadcast:
 * @self: a #GstLadderBroadcaster
 *
 * Returns: (transfer full) (nullable): the `broadcast` property.
 *
 * Since: 0.1
 */
gchar *
gst_ladder_broadcaster_get_broadcast (GstLadderBroadcaster * self)
{
  gchar *ret;

  g_return_val_if_fail (GST_IS_LADDER_BROADCASTER (self), NULL);

  g_mutex_lock (&self->lock);
  ret = g_strdup (self->broadcast);
  g_mutex_unlock (&self->lock);
  return ret;
}

/**
 * gst_ladder_broadcaster_get_track:
 * @self: a #GstLadderBroadcaster
 *
 * Returns: (transfer full) (nullable): the `track` property.
 *
 * Since: 0.1
 */
gchar *
gst_ladder_broadcaster_get_track (GstLadderBroadcaster * self)
{
  gchar *ret;

  g_return_val_if_fail (GST_IS_LADDER_BROADCASTER (self), NULL);

  g_mutex_lock (&self->lock);
  ret = g_strdup (self->track);
  g_mutex_unlock (&self->lock);
  return ret;
}

/**
 * gst_ladder_broadcaster_get_state:
 * @self: a #GstLadderBroadcaster
 *
 * Returns: the publishing state, the `state` property.
 *
 * Since: 0.1
 */
GstLadderBroadcasterState
gst_ladder_broadcaster_get_state (GstLadderBroadcaster * self)
{
  GstLadderBroadcasterState ret;

  g_return_val_if_fail (GST_IS_LADDER_BROADCASTER (self),
      GST_LADDER_BROADCASTER_STATE_IDLE);

  g_mutex_lock (&self->lock);
  ret = self->state;
  g_mutex_unlock (&self->lock);
  return ret;
}

/**
 * gst_ladder_broadcaster_get_stats:
 * @self: a #GstLadderBroadcaster
 *
 * Takes a snapshot of the statistics, the `stats` property: a
 * `ladder-broadcaster-stats` structure with the fields `broadcast`, `track`
 * (strings), `buffers-in`, `bytes-in`, `keyframes` (guint64), `bitrate`
 * (gdouble, bit/s) and `fps` (gdouble), both over the last second of input
 * timestamps (arrival time for buffers without one), `gop-cache-buffers`
 * (guint), `gop-cache-bytes` (guint64), `gop-cache-duration`
 * (#GstClockTime), `subscribers` (guint: linked pads that are not evicted),
 * `state` (#GstLadderBroadcasterState), `live` (gboolean), `holding-back`
 * (gboolean: the source waits for room in a pad queue now) and `pads`, a
 * #GstValueArray of `pad` structures with `name` (string), `pushed`,
 * `dropped` (buffers), `dropped-gops` (guint64), `lag` (#GstClockTime),
 * `queued-buffers` (guint), `queued-bytes` (guint64) and `evicted`
 * (gboolean).
 *
 * Returns: (transfer full): the statistics.
 *
 * Since: 0.1
 */
GstStructure *
gst_ladder_broadcaster_get_stats (GstLadderBroadcaster * self)
{
  GstStructure *s;
  GValue pads = G_VALUE_INIT;
  gdouble bitrate = 0.0, fps = 0.0;
  GstClockTime cache_duration = 0;
  guint i, n, subscribers = 0;

  g_return_val_if_fail (GST_IS_LADDER_BROADCASTER (self), NULL);

  gst_value_array_init (&pads, 0);

  g_mutex_lock (&self->lock);
  n = gst_queue_array_get_length (self->window);
  if (n > 1) {
    WindowEntry *first = gst_queue_array_peek_head_struct (self->window);
    WindowEntry *last = gst_queue_array_peek_tail_struct (self->window);

    if (last->t > first->t) {
      gdouble span = (gdouble) (last->t - first->t) / GST_SECOND;

      fps = (n - 1) / span;
      bitrate = (self->window_bytes - first->size) * 8.0 / span;
    }
  }
  if (GST_CLOCK_TIME_IS_VALID (self->gop_cache_start) &&
      GST_CLOCK_TIME_IS_VALID (self->gop_cache_end) &&
      self->gop_cache_end > self->gop_cache_start)
    cache_duration = self->gop_cache_end - self->gop_cache_start;

  for (i = 0; i < self->pads->len; i++) {
    GstLadderBroadcasterPad *pad = g_ptr_array_index (self->pads, i);
    GstClockTime lag = gst_ladder_broadcaster_pad_lag_unlocked (self, pad);
    GValue v = G_VALUE_INIT;

    if (pad->joined && !pad->evicted)
      subscribers++;

    g_value_init (&v, GST_TYPE_STRUCTURE);
    g_value_take_boxed (&v, gst_structure_new ("pad",
            "name", G_TYPE_STRING, GST_OBJECT_NAME (pad),
            "pushed", G_TYPE_UINT64, pad->pushed,
            "dropped", G_TYPE_UINT64, pad->dropped,
            "dropped-gops", G_TYPE_UINT64, pad->dropped_gops,
            "lag", G_TYPE_UINT64, lag,
            "queued-buffers", G_TYPE_UINT, pad->queued_buffers,
            "queued-bytes", G_TYPE_UINT64, pad->queued_bytes,
            "evicted", G_TYPE_BOOLEAN, pad->evicted, NULL));
    gst_value_array_append_and_take_value (&pads, &v);
  }

  s = gst_structure_new ("ladder-broadcaster-stats",
      "broadcast", G_TYPE_STRING, self->broadcast ? self->broadcast : "",
      "track", G_TYPE_STRING, self->track ? self->track : "",
      "buffers-in", G_TYPE_UINT64, self->buffers_in,
      "bytes-in", G_TYPE_UINT64, self->bytes_in,
      "bitrate", G_TYPE_DOUBLE, bitrate,
      "fps", G_TYPE_DOUBLE, fps,
      "keyframes", G_TYPE_UINT64, self->keyframes,
      "gop-cache-buffers", G_TYPE_UINT,
      gst_queue_array_get_length (self->gop_cache),
      "gop-cache-bytes", G_TYPE_UINT64, self->gop_cache_bytes,
      "gop-cache-duration", G_TYPE_UINT64, cache_duration,
      "subscribers", G_TYPE_UINT, subscribers,
      "state", GST_TYPE_LADDER_BROADCASTER_STATE, self->state,
      "live", G_TYPE_BOOLEAN, self->live,
      "holding-back", G_TYPE_BOOLEAN, self->waiting_room, NULL);
  g_mutex_unlock (&self->lock);

  gst_structure_take_value (s, "pads", &pads);
  return s;
}
