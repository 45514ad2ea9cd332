/* gst-ladder
 * Copyright (C) 2026 The gst-ladder authors
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2 of the License, or (at your option) any later version.
 */

/* GstLadderBroadcasterPad: the private src pad of ladderbroadcaster. Each
 * one is a branch with its own bounded queue of items (events, headers,
 * keyframes, deltas) filled by the element's sink pad, the lag/drop policy
 * applied when a buffer is queued (drop whole GOPs, evict past max-lag), and
 * a streaming task that takes items in batches and pushes them downstream.
 * The element itself is in ladderbroadcaster.c. */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "ladder.h"
#include "ladderbroadcaster-private.h"

#define GST_CAT_DEFAULT ladder_broadcaster_debug

/* Locking order (see ladderbroadcaster-private.h):
 *
 *   src pad STREAM_LOCK  ->  bcast->lock  ->  pad / element OBJECT_LOCK
 *
 * The streaming task runs with the src pad STREAM_LOCK held. It takes
 * bcast->lock only to take a batch from the queue, waits on pad->cond with
 * it, and pushes the batch without it. Every queue function here is called
 * with bcast->lock held (_unlocked); messages are collected in @pending for
 * the caller to post once the lock is released.
 */

/* how many queued items a pad task takes per lock */
#define PAD_BATCH 32

static gboolean gst_ladder_broadcaster_src_event (GstPad * pad,
    GstObject * parent, GstEvent * event);
static gboolean gst_ladder_broadcaster_src_query (GstPad * pad,
    GstObject * parent, GstQuery * query);
static gboolean gst_ladder_broadcaster_src_activate_mode (GstPad * pad,
    GstObject * parent, GstPadMode mode, gboolean active);
static GstPadLinkReturn gst_ladder_broadcaster_src_link (GstPad * pad,
    GstObject * parent, GstPad * peer);
static void gst_ladder_broadcaster_pad_loop (GstLadderBroadcasterPad * pad);

G_DEFINE_TYPE (GstLadderBroadcasterPad, gst_ladder_broadcaster_pad,
    GST_TYPE_PAD);

static void
gst_ladder_broadcaster_pad_finalize (GObject * object)
{
  GstLadderBroadcasterPad *pad = GST_LADDER_BROADCASTER_PAD (object);

  gst_ladder_broadcaster_pad_queue_clear_unlocked (pad);
  gst_queue_array_free (pad->queue);
  g_cond_clear (&pad->cond);

  G_OBJECT_CLASS (gst_ladder_broadcaster_pad_parent_class)->finalize (object);
}

enum
{
  PAD_PROP_0,
  PAD_PROP_GOP_CACHE,
};

static void
gst_ladder_broadcaster_pad_set_property (GObject * object, guint prop_id,
    const GValue * value, GParamSpec * pspec)
{
  GstLadderBroadcasterPad *pad = GST_LADDER_BROADCASTER_PAD (object);

  switch (prop_id) {
    case PAD_PROP_GOP_CACHE:
      g_mutex_lock (&pad->bcast->lock);
      pad->gop_cache = g_value_get_boolean (value);
      g_mutex_unlock (&pad->bcast->lock);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      break;
  }
}

static void
gst_ladder_broadcaster_pad_get_property (GObject * object, guint prop_id,
    GValue * value, GParamSpec * pspec)
{
  GstLadderBroadcasterPad *pad = GST_LADDER_BROADCASTER_PAD (object);

  switch (prop_id) {
    case PAD_PROP_GOP_CACHE:
      g_mutex_lock (&pad->bcast->lock);
      g_value_set_boolean (value, pad->gop_cache);
      g_mutex_unlock (&pad->bcast->lock);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      break;
  }
}

static void
gst_ladder_broadcaster_pad_class_init (GstLadderBroadcasterPadClass * klass)
{
  GObjectClass *gobject_class = G_OBJECT_CLASS (klass);

  gobject_class->finalize = gst_ladder_broadcaster_pad_finalize;
  gobject_class->set_property = gst_ladder_broadcaster_pad_set_property;
  gobject_class->get_property = gst_ladder_broadcaster_pad_get_property;

  /**
   * GstLadderBroadcasterPad:gop-cache:
   *
   * Whether the pad, when linked, starts with the cached GOP (when the
   * element's #GstLadderBroadcaster:start-policy is gop-cache). FALSE: it
   * starts at the next keyframe. A branch that replaces one that failed
   * (a restarted rung) sets it to FALSE: its predecessor delivered the
   * start of the cached GOP already. Set it before linking the pad.
   */
  g_object_class_install_property (gobject_class, PAD_PROP_GOP_CACHE,
      g_param_spec_boolean ("gop-cache", "GOP cache",
          "Start with the cached GOP when linked (with start-policy "
          "gop-cache); FALSE: at the next keyframe", TRUE,
          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS));
}

static void
gst_ladder_broadcaster_pad_init (GstLadderBroadcasterPad * pad)
{
  pad->queue = gst_queue_array_new_for_struct (sizeof (Item), 64);
  g_cond_init (&pad->cond);
  pad->flushing = TRUE;
  pad->gop_cache = TRUE;
  pad->waiting_keyframe = TRUE;
  pad->busy_rt = GST_CLOCK_TIME_NONE;
}

/* Makes the src pad "src_@index" of @self, inactive and not yet added.
 * Called with self->lock held. */
GstLadderBroadcasterPad *
gst_ladder_broadcaster_pad_new (GstLadderBroadcaster * self,
    GstPadTemplate * templ, guint index)
{
  GstLadderBroadcasterPad *pad;
  gchar *pad_name;

  pad_name = g_strdup_printf ("src_%u", index);
  pad = g_object_new (GST_TYPE_LADDER_BROADCASTER_PAD, "name", pad_name,
      "direction", GST_PAD_SRC, "template", templ, NULL);
  g_free (pad_name);
  pad->bcast = self;
  pad->index = index;

  gst_pad_set_activatemode_function (GST_PAD_CAST (pad),
      GST_DEBUG_FUNCPTR (gst_ladder_broadcaster_src_activate_mode));
  gst_pad_set_event_function (GST_PAD_CAST (pad),
      GST_DEBUG_FUNCPTR (gst_ladder_broadcaster_src_event));
  gst_pad_set_query_function (GST_PAD_CAST (pad),
      GST_DEBUG_FUNCPTR (gst_ladder_broadcaster_src_query));
  gst_pad_set_link_function (GST_PAD_CAST (pad),
      GST_DEBUG_FUNCPTR (gst_ladder_broadcaster_src_link));

  return pad;
}

/* Starts (or restarts) the streaming task of @pad */
gboolean
gst_ladder_broadcaster_pad_start_task (GstLadderBroadcasterPad * pad)
{
  return gst_pad_start_task (GST_PAD_CAST (pad),
      (GstTaskFunction) gst_ladder_broadcaster_pad_loop, pad, NULL);
}

/* pad queues */

void
gst_ladder_broadcaster_pad_wake_list_run (WakeList * wakes)
{
  guint i;

  for (i = 0; i < wakes->n; i++) {
    g_cond_signal (&wakes->pads[i]->cond);
    gst_object_unref (wakes->pads[i]);
  }
  wakes->n = 0;
}

/* @wakes: (nullable): where to defer the wake-up of the pad task */
void
gst_ladder_broadcaster_pad_queue_push_unlocked (GstLadderBroadcasterPad * pad,
    GstMiniObject * obj, ItemKind kind, GstClockTime rt, guint size,
    WakeList * wakes)
{
  Item item = { obj, rt, size, kind };

  gst_queue_array_push_tail_struct (pad->queue, &item);
  if (kind != ITEM_EVENT) {
    pad->queued_buffers++;
    pad->queued_bytes += size;
  }
  if (pad->waiting) {
    /* one wake-up in flight is enough */
    pad->waiting = FALSE;
    if (wakes && wakes->n < MAX_DEFERRED_WAKES)
      wakes->pads[wakes->n++] = gst_object_ref (pad);
    else
      g_cond_signal (&pad->cond);
  }
}

void
gst_ladder_broadcaster_pad_queue_clear_unlocked (GstLadderBroadcasterPad * pad)
{
  Item *item;

  while ((item = gst_queue_array_pop_head_struct (pad->queue)))
    gst_mini_object_unref (item->obj);
  pad->queued_buffers = 0;
  pad->queued_bytes = 0;
}

/* running time of the oldest buffer the pad has not delivered yet */
static GstClockTime
pad_oldest_rt_unlocked (GstLadderBroadcasterPad * pad, gboolean with_busy)
{
  guint i, len;

  if (with_busy && pad->busy && GST_CLOCK_TIME_IS_VALID (pad->busy_rt))
    return pad->busy_rt;

  len = gst_queue_array_get_length (pad->queue);
  for (i = 0; i < len; i++) {
    Item *item = gst_queue_array_peek_nth_struct (pad->queue, i);

    if (item->kind != ITEM_EVENT)
      return item->rt;
  }
  return GST_CLOCK_TIME_NONE;
}

GstClockTime
gst_ladder_broadcaster_pad_lag_unlocked (GstLadderBroadcaster * self,
    GstLadderBroadcasterPad * pad)
{
  GstClockTime oldest;

  if (pad->evicted)
    return pad->lag;

  oldest = pad_oldest_rt_unlocked (pad, TRUE);
  if (!GST_CLOCK_TIME_IS_VALID (oldest) ||
      !GST_CLOCK_TIME_IS_VALID (self->last_rt) || oldest > self->last_rt)
    return 0;
  return self->last_rt - oldest;
}

gboolean
gst_ladder_broadcaster_pad_is_full_unlocked (GstLadderBroadcaster * self,
    GstLadderBroadcasterPad * pad, GstClockTime rt, gboolean blocking)
{
  GstClockTime oldest;

  if (blocking && self->block_queue_buffers
      && pad->queued_buffers >= self->block_queue_buffers)
    return TRUE;
  if (self->max_queue_buffers && pad->queued_buffers >= self->max_queue_buffers)
    return TRUE;
  if (self->max_queue_bytes && pad->queued_bytes >= self->max_queue_bytes)
    return TRUE;
  if (self->max_queue_time && GST_CLOCK_TIME_IS_VALID (rt) &&
      pad->queued_buffers > 0) {
    oldest = pad_oldest_rt_unlocked (pad, FALSE);
    if (GST_CLOCK_TIME_IS_VALID (oldest) && rt > oldest &&
        rt - oldest > self->max_queue_time)
      return TRUE;
  }
  return FALSE;
}

/* Drops the queued part of the current GOP: the buffers from the last
 * queued keyframe on (all queued buffers when that keyframe already left).
 * Events and headers stay, in order. Returns the number of buffers dropped. */
static guint
pad_drop_current_gop_unlocked (GstLadderBroadcasterPad * pad)
{
  GstQueueArray *queue = pad->queue;
  guint len = gst_queue_array_get_length (queue);
  guint start = 0, i, dropped = 0;
  GArray *kept;
  Item *item;

  for (i = len; i > 0; i--) {
    item = gst_queue_array_peek_nth_struct (queue, i - 1);
    if (item->kind == ITEM_KEYFRAME) {
      start = i - 1;
      break;
    }
  }

  kept = g_array_new (FALSE, FALSE, sizeof (Item));
  while (gst_queue_array_get_length (queue) > start) {
    item = gst_queue_array_pop_tail_struct (queue);
    if (item->kind == ITEM_EVENT || item->kind == ITEM_HEADER) {
      g_array_prepend_val (kept, *item);
    } else {
      pad->queued_buffers--;
      pad->queued_bytes -= item->size;
      gst_mini_object_unref (item->obj);
      dropped++;
    }
  }
  for (i = 0; i < kept->len; i++)
    gst_queue_array_push_tail_struct (queue, &g_array_index (kept, Item, i));
  g_array_unref (kept);

  return dropped;
}

static void
pad_evict_unlocked (GstLadderBroadcaster * self, GstLadderBroadcasterPad * pad,
    GstClockTime lag, GPtrArray ** pending)
{
  GST_WARNING_OBJECT (pad, "lag %" GST_TIME_FORMAT " beyond max-lag %"
      GST_TIME_FORMAT ": evicted", GST_TIME_ARGS (lag),
      GST_TIME_ARGS (self->max_lag));
  pad->dropped += pad->queued_buffers;
  gst_ladder_broadcaster_pad_queue_clear_unlocked (pad);
  pad->evicted = TRUE;
  pad->lag = lag;
  gst_ladder_broadcaster_pending_add (pending,
      gst_ladder_message_new_broadcaster_evicted (GST_OBJECT (self),
          self->broadcast, self->track, GST_OBJECT_NAME (pad), lag));
}

/* Queues one input buffer on @pad, applying the start and lag policies */
void
gst_ladder_broadcaster_pad_queue_buffer_unlocked (GstLadderBroadcaster * self,
    GstLadderBroadcasterPad * pad, GstBuffer * buffer, ItemKind kind,
    GstClockTime rt, guint size, gboolean drop, GPtrArray ** pending,
    WakeList * wakes)
{
  GstClockTime lag;
  guint dropped;

  if (!gst_ladder_broadcaster_pad_is_receiving (pad))
    return;

  if (kind == ITEM_HEADER)
    goto queue;

  if (drop && self->max_lag) {
    lag = gst_ladder_broadcaster_pad_lag_unlocked (self, pad);
    if (lag > self->max_lag) {
      pad_evict_unlocked (self, pad, lag, pending);
      return;
    }
  }

  if (kind == ITEM_DELTA && (pad->waiting_keyframe || pad->dropping)) {
    if (pad->dropping)
      pad->dropped++;
    return;
  }

  if (drop && gst_ladder_broadcaster_pad_is_full_unlocked (self, pad, rt,
          FALSE)) {
    dropped = 1;
    if (kind == ITEM_DELTA)
      dropped += pad_drop_current_gop_unlocked (pad);
    pad->dropped += dropped;
    pad->dropped_gops++;
    pad->waiting_keyframe = FALSE;
    GST_DEBUG_OBJECT (pad, "queue full: dropped %u buffers, %" G_GUINT64_FORMAT
        " GOPs so far", dropped, pad->dropped_gops);
    if (!pad->dropping) {
      pad->dropping = TRUE;
      lag = gst_ladder_broadcaster_pad_lag_unlocked (self, pad);
      gst_ladder_broadcaster_pending_add (pending,
          gst_ladder_message_new_broadcaster_lag (GST_OBJECT (self),
              self->broadcast, self->track, GST_OBJECT_NAME (pad), pad->dropped,
              pad->dropped_gops, lag));
    }
    return;
  }

  pad->waiting_keyframe = FALSE;
  pad->dropping = FALSE;

queue:
  gst_ladder_broadcaster_pad_queue_push_unlocked (pad,
      GST_MINI_OBJECT_CAST (gst_buffer_ref (buffer)), kind, rt, size, wakes);
}

/* src pads */

static gboolean
gst_ladder_broadcaster_src_event (GstPad * pad, GstObject * parent,
    GstEvent * event)
{
  GstLadderBroadcaster *self = GST_LADDER_BROADCASTER (parent);

  if (GST_EVENT_TYPE (event) == GST_EVENT_LATENCY ||
      GST_EVENT_TYPE (event) == GST_EVENT_RECONFIGURE)
    g_atomic_int_set (&self->need_live_query, 1);
  if (GST_EVENT_TYPE (event) == GST_EVENT_RECONFIGURE)
    g_atomic_int_set (&GST_LADDER_BROADCASTER_PAD (pad)->check_peer, 1);

  return gst_pad_push_event (self->sinkpad, event);
}

static gboolean
gst_ladder_broadcaster_src_query (GstPad * pad, GstObject * parent,
    GstQuery * query)
{
  GstLadderBroadcaster *self = GST_LADDER_BROADCASTER (parent);

  switch (GST_QUERY_TYPE (query)) {
    case GST_QUERY_LATENCY:{
      GstClockTime min, max, queue_time;
      gboolean live;

      if (!gst_pad_peer_query (self->sinkpad, query))
        return FALSE;
      gst_query_parse_latency (query, &live, &min, &max);

      g_mutex_lock (&self->lock);
      self->live = live;
      queue_time = self->max_queue_time;
      g_mutex_unlock (&self->lock);

      /* our queues may hold up to max-queue-time */
      if (queue_time == 0)
        max = GST_CLOCK_TIME_NONE;
      else if (GST_CLOCK_TIME_IS_VALID (max))
        max += queue_time;
      gst_query_set_latency (query, live, min, max);
      return TRUE;
    }
    case GST_QUERY_CAPS:
      return gst_pad_peer_query (self->sinkpad, query);
    default:
      return gst_pad_query_default (pad, parent, query);
  }
}

static gboolean
gst_ladder_broadcaster_src_activate_mode (GstPad * gpad, GstObject * parent,
    GstPadMode mode, gboolean active)
{
  GstLadderBroadcasterPad *pad = GST_LADDER_BROADCASTER_PAD (gpad);
  GstLadderBroadcaster *self = pad->bcast;

  if (mode != GST_PAD_MODE_PUSH)
    return FALSE;

  if (active) {
    g_mutex_lock (&self->lock);
    /* removed, or the element is going down: a pad requested while the
     * element leaves PAUSED must not start a task that outlives it */
    if (pad->removed || !self->started) {
      g_mutex_unlock (&self->lock);
      return FALSE;
    }
    pad->active = TRUE;
    /* activated during a flush (requested between flush-start and
     * flush-stop): stay flushing, flush-stop clears the queue and starts
     * the task; otherwise the task could push what was queued before the
     * flush, such as the GOP cache handed over at link time */
    pad->flushing = self->started && self->flushing;
    pad->waiting_keyframe = TRUE;
    pad->dropping = FALSE;
    g_mutex_unlock (&self->lock);
    return gst_ladder_broadcaster_pad_start_task (pad);
  }

  g_mutex_lock (&self->lock);
  pad->active = FALSE;
  pad->flushing = TRUE;
  if (pad->waiting)
    g_cond_signal (&pad->cond);
  g_cond_broadcast (&self->room_cond);
  g_mutex_unlock (&self->lock);

  gst_pad_stop_task (gpad);

  g_mutex_lock (&self->lock);
  gst_ladder_broadcaster_pad_queue_clear_unlocked (pad);
  pad->busy = FALSE;
  g_mutex_unlock (&self->lock);

  return TRUE;
}

static GstPadLinkReturn
gst_ladder_broadcaster_src_link (GstPad * gpad, GstObject * parent,
    GstPad * peer)
{
  GstLadderBroadcasterPad *pad = GST_LADDER_BROADCASTER_PAD (gpad);
  GstLadderBroadcaster *self = pad->bcast;

  g_atomic_int_set (&pad->check_peer, 1);
  g_mutex_lock (&self->lock);
  if (!pad->removed)
    gst_ladder_broadcaster_join_unlocked (self, pad);
  g_mutex_unlock (&self->lock);

  return GST_PAD_LINK_OK;
}

/* Raw video layout, in the pad task.  The broadcaster lets upstream put a
 * GstVideoMeta on raw frames (see its allocation query); a peer that does
 * not take the meta would read such a frame with the default plane
 * offsets and strides.  The task asks its own peer (so a slow branch only
 * delays itself) and repacks frames for it when it must. */
static gboolean
layout_is_default (const GstVideoInfo * info, const GstVideoMeta * meta)
{
  guint i;

  if (meta->n_planes != GST_VIDEO_INFO_N_PLANES (info))
    return FALSE;
  for (i = 0; i < meta->n_planes; i++) {
    if (meta->offset[i] != GST_VIDEO_INFO_PLANE_OFFSET (info, i) ||
        meta->stride[i] != GST_VIDEO_INFO_PLANE_STRIDE (info, i))
      return FALSE;
  }
  return TRUE;
}

static GstBuffer *
fit_layout (GstLadderBroadcasterPad * pad, GstBuffer * buffer)
{
  GstVideoMeta *meta;
  GstVideoFrame in, out;
  GstBuffer *copy;

  /* set by new caps, a link, a reconfigure: the caps are those stored on
   * this pad (a late branch gets them stored at join, not pushed) */
  if (g_atomic_int_compare_and_exchange (&pad->check_peer, 1, 0)) {
    GstCaps *caps = gst_pad_get_current_caps (GST_PAD_CAST (pad));

    pad->raw_video = gst_ladder_broadcaster_caps_are_raw_video (caps,
        &pad->vinfo);
    if (pad->raw_video) {
      GstQuery *query = gst_query_new_allocation (caps, FALSE);

      pad->peer_video_meta = gst_pad_peer_query (GST_PAD_CAST (pad), query)
          && gst_query_find_allocation_meta (query, GST_VIDEO_META_API_TYPE,
          NULL);
      GST_DEBUG_OBJECT (pad, "raw video, the peer %s GstVideoMeta",
          pad->peer_video_meta ? "takes" : "does not take");
      gst_query_unref (query);
    }
    gst_caps_replace (&caps, NULL);
  }
  if (!pad->raw_video || pad->peer_video_meta)
    return buffer;

  meta = gst_buffer_get_video_meta (buffer);
  if (meta == NULL || layout_is_default (&pad->vinfo, meta))
    return buffer;

  copy = gst_buffer_new_allocate (NULL, GST_VIDEO_INFO_SIZE (&pad->vinfo),
      NULL);
  if (!gst_video_frame_map (&in, &pad->vinfo, buffer, GST_MAP_READ)) {
    GST_WARNING_OBJECT (pad, "cannot map a frame to repack it");
    gst_buffer_unref (copy);
    return buffer;
  }
  if (!gst_video_frame_map (&out, &pad->vinfo, copy, GST_MAP_WRITE)) {
    gst_video_frame_unmap (&in);
    gst_buffer_unref (copy);
    return buffer;
  }
  gst_video_frame_copy (&out, &in);
  gst_video_frame_unmap (&out);
  gst_video_frame_unmap (&in);
  gst_buffer_copy_into (copy, buffer,
      GST_BUFFER_COPY_FLAGS | GST_BUFFER_COPY_TIMESTAMPS, 0, -1);
  gst_buffer_unref (buffer);
  return copy;
}

/* Takes a batch of queued items under the lock, pushes them without it.
 * The state of the previous batch is settled at the start of the next. */
static void
gst_ladder_broadcaster_pad_loop (GstLadderBroadcasterPad * pad)
{
  GstLadderBroadcaster *self = pad->bcast;
  Item items[PAD_BATCH];
  guint n = 0, i;
  gboolean wake_chain = FALSE;

  g_mutex_lock (&self->lock);
  pad->busy = FALSE;
  if (G_UNLIKELY (pad->not_linked)) {
    pad->not_linked = FALSE;
    if (pad->batch_cookie == pad->link_cookie &&
        !gst_pad_is_linked (GST_PAD_CAST (pad))) {
      /* unlinked: stop receiving; linking it again starts it clean */
      GST_DEBUG_OBJECT (pad, "not linked any more");
      pad->joined = FALSE;
      gst_ladder_broadcaster_pad_queue_clear_unlocked (pad);
    }
  }

  while (!pad->flushing && gst_queue_array_is_empty (pad->queue)) {
    pad->waiting = TRUE;
    g_cond_wait (&pad->cond, &self->lock);
    pad->waiting = FALSE;
  }
  if (pad->flushing)
    goto flushing;

  pad->task_thread = g_thread_self ();
  pad->busy_rt = GST_CLOCK_TIME_NONE;
  while (n < PAD_BATCH && !gst_queue_array_is_empty (pad->queue)) {
    Item *item = gst_queue_array_pop_head_struct (pad->queue);

    items[n++] = *item;
    if (item->kind != ITEM_EVENT) {
      /* counted when handed to the task, so that the count is final once
       * downstream has seen the buffer */
      pad->pushed++;
      pad->queued_buffers--;
      pad->queued_bytes -= item->size;
      if (!GST_CLOCK_TIME_IS_VALID (pad->busy_rt))
        pad->busy_rt = item->rt;
    }
  }
  pad->busy = TRUE;
  pad->batch_cookie = pad->link_cookie;
  if (self->waiting_room) {
    self->waiting_room = FALSE;
    wake_chain = TRUE;
  }
  g_mutex_unlock (&self->lock);

  if (wake_chain)
    g_cond_broadcast (&self->room_cond);

  for (i = 0; i < n; i++) {
    /* released while pushing this batch (a probe of this very thread may
     * release the pad): the rest of the batch is dropped, not pushed into
     * a pad that is being deactivated */
    if (G_UNLIKELY (g_atomic_int_get (&pad->removed))) {
      GST_DEBUG_OBJECT (pad, "released, dropping %u queued items", n - i);
      for (; i < n; i++)
        gst_mini_object_unref (items[i].obj);
      break;
    }
    if (items[i].kind == ITEM_EVENT) {
      gboolean caps = GST_EVENT_TYPE (items[i].obj) == GST_EVENT_CAPS;

      gst_pad_push_event ((GstPad *) pad, (GstEvent *) items[i].obj);
      if (caps)
        g_atomic_int_set (&pad->check_peer, 1);
    } else {
      GstBuffer *buffer = (GstBuffer *) items[i].obj;
      GstFlowReturn ret;

      if (G_UNLIKELY (pad->raw_video || g_atomic_int_get (&pad->check_peer)))
        buffer = fit_layout (pad, buffer);
      ret = gst_pad_push ((GstPad *) pad, buffer);
      /* any other result stays with this branch */
      if (G_UNLIKELY (ret == GST_FLOW_NOT_LINKED))
        pad->not_linked = TRUE;
      else if (G_UNLIKELY (ret != GST_FLOW_OK))
        GST_LOG_OBJECT (pad, "downstream returned %s", gst_flow_get_name (ret));
    }
  }
  return;

flushing:
  {
    g_mutex_unlock (&self->lock);
    GST_DEBUG_OBJECT (pad, "flushing, pausing task");
    gst_pad_pause_task (GST_PAD_CAST (pad));
  }
}
