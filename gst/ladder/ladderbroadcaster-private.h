/* gst-ladder
 * Copyright (C) 2026 The gst-ladder authors
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2 of the License, or (at your option) any later version.
 */

/* Shared between ladderbroadcaster.c (the element: sink pad, GOP cache,
 * properties, stats, state, request/release) and ladderbroadcasterpad.c
 * (the src pad type: per-branch queue, lag/drop policy, streaming task).
 * Not installed.
 *
 * Functions defined in ladderbroadcasterpad.c are named
 * gst_ladder_broadcaster_pad_*, the ones defined in ladderbroadcaster.c
 * gst_ladder_broadcaster_*. A name ending in _unlocked is called with
 * GstLadderBroadcaster.lock held.
 *
 * Locking order:
 *
 *   sink or src pad STREAM_LOCK  ->  bcast->lock  ->  pad / element OBJECT_LOCK
 *
 * bcast->lock protects the whole element state, including every src pad
 * queue, so that the chain function queues one buffer on all pads with a
 * single lock. Never push, pause or stop a task, post a message or notify a
 * property while holding it.
 */

#pragma once

#include <gst/base/gstqueuearray.h>
#include <gst/video/video.h>

#include "ladderbroadcaster.h"
#include "laddercut.h"

G_BEGIN_DECLS GST_DEBUG_CATEGORY_EXTERN (ladder_broadcaster_debug);

typedef enum
{
  ITEM_EVENT,
  ITEM_HEADER,
  ITEM_KEYFRAME,
  ITEM_DELTA,
} ItemKind;

/* one entry of a pad queue */
typedef struct
{
  GstMiniObject *obj;
  /* running time of the input when queued: the time level and the lag */
  GstClockTime rt;
  guint size;
  ItemKind kind;
} Item;

/* GstLadderBroadcasterPad: the private src pad, holding per-branch state */
#define GST_TYPE_LADDER_BROADCASTER_PAD (gst_ladder_broadcaster_pad_get_type ())
G_DECLARE_FINAL_TYPE (GstLadderBroadcasterPad, gst_ladder_broadcaster_pad,
    GST, LADDER_BROADCASTER_PAD, GstPad);

struct _GstLadderBroadcasterPad
{
  GstPad parent;

  /* set at creation, then immutable */
  GstLadderBroadcaster *bcast;
  guint index;

  /* everything below is protected by bcast->lock */
  GstQueueArray *queue;         /* of Item */
  guint queued_buffers;
  guint64 queued_bytes;
  GCond cond;                   /* data queued, or flushing */
  gboolean waiting;             /* the task waits on cond */
  GThread *task_thread;

  gboolean active;              /* activated in push mode */
  gboolean flushing;            /* the task must stop taking data */
  gint removed;                 /* released; set atomically under the lock,
                                 * so the task may also read it without */
  gboolean joined;              /* linked: receives data */
  guint link_cookie;

  gboolean gop_cache;           /* joins with the cached GOP (property) */
  gboolean waiting_keyframe;    /* start: skip deltas until a keyframe */
  gboolean dropping;            /* lag: skipping the rest of a GOP */
  gboolean evicted;

  gboolean busy;                /* the task pushes a batch */
  GstClockTime busy_rt;         /* running time of its oldest buffer */
  guint batch_cookie;           /* link_cookie when the batch was taken */
  gboolean not_linked;          /* written by the task only */

  /* raw video: written and read by the task only, except check_peer */
  gboolean raw_video;           /* the caps pushed last are raw video */
  GstVideoInfo vinfo;           /* ... and their default layout */
  gboolean peer_video_meta;     /* the peer takes GstVideoMeta */
  gint check_peer;              /* atomic: ask the peer again */

  GstClockTime lag;
  guint64 pushed;
  guint64 dropped;
  guint64 dropped_gops;
};

struct _GstLadderBroadcaster
{
  GstElement parent;

  GstPad *sinkpad;              /* set in init, then immutable */

  GMutex lock;
  GCond room_cond;              /* a pad queue got room, or flushing */

  /* properties, protected by lock */
  gchar *broadcast;
  gchar *track;
  GstLadderBroadcasterStartPolicy start_policy;
  GstLadderBroadcasterLagPolicy lag_policy;
  GstClockTime gop_cache_max_time;
  guint64 gop_cache_max_bytes;
  GstClockTime max_queue_time;
  guint max_queue_buffers;
  guint64 max_queue_bytes;
  guint block_queue_buffers;
  GstClockTime max_lag;
  GstClockTime idle_timeout;

  /* protected by lock */
  GPtrArray *pads;              /* of GstLadderBroadcasterPad, owned refs */
  guint next_pad_index;
  gboolean started;             /* between READY->PAUSED and PAUSED->READY */
  gboolean flushing;
  gboolean waiting_room;
  gboolean live;
  gint need_live_query;         /* atomic */
  GstSegment segment;
  GstClockTime last_rt;

  GstLadderCutter cutter;       /* the policy is the cut-* properties */
  GstEvent *upstream_cut;       /* a cut from upstream, for the next buffer */

  GstQueueArray *gop_cache;     /* of GstBuffer: keyframe + deltas */
  GstEvent *gop_cache_cut;      /* the cut that starts the cached GOP */
  gboolean gop_cache_valid;
  guint64 gop_cache_bytes;
  GstClockTime gop_cache_start;
  GstClockTime gop_cache_end;
  GPtrArray *headers;           /* of GstBuffer */
  gboolean last_was_header;

  GstLadderBroadcasterState state;
  GstClock *idle_clock;
  GstClockID idle_id;
  GstClockTime last_arrival;

  guint64 buffers_in;
  guint64 bytes_in;
  guint64 keyframes;
  GstQueueArray *window;        /* of WindowEntry */
  guint64 window_bytes;
};

/* Pad tasks to wake once the lock is released: a task woken while the lock
 * is held would only block on it again. */
#define MAX_DEFERRED_WAKES 64
typedef struct
{
  guint n;
  GstLadderBroadcasterPad *pads[MAX_DEFERRED_WAKES];
} WakeList;

/* a pad that takes data and could block the source */
static inline gboolean
gst_ladder_broadcaster_pad_is_receiving (GstLadderBroadcasterPad * pad)
{
  return pad->joined && !pad->evicted && !pad->flushing && !pad->removed;
}

/* ladderbroadcasterpad.c */

G_GNUC_INTERNAL
    GstLadderBroadcasterPad *
gst_ladder_broadcaster_pad_new (GstLadderBroadcaster * self,
    GstPadTemplate * templ, guint index);
G_GNUC_INTERNAL gboolean
gst_ladder_broadcaster_pad_start_task (GstLadderBroadcasterPad * pad);
G_GNUC_INTERNAL void gst_ladder_broadcaster_pad_wake_list_run (WakeList *
    wakes);
G_GNUC_INTERNAL void
gst_ladder_broadcaster_pad_queue_push_unlocked (GstLadderBroadcasterPad * pad,
    GstMiniObject * obj, ItemKind kind, GstClockTime rt, guint size,
    WakeList * wakes);
G_GNUC_INTERNAL void
gst_ladder_broadcaster_pad_queue_clear_unlocked (GstLadderBroadcasterPad * pad);
G_GNUC_INTERNAL GstClockTime
gst_ladder_broadcaster_pad_lag_unlocked (GstLadderBroadcaster * self,
    GstLadderBroadcasterPad * pad);
G_GNUC_INTERNAL gboolean
gst_ladder_broadcaster_pad_is_full_unlocked (GstLadderBroadcaster * self,
    GstLadderBroadcasterPad * pad, GstClockTime rt, gboolean blocking);
G_GNUC_INTERNAL void
gst_ladder_broadcaster_pad_queue_buffer_unlocked (GstLadderBroadcaster * self,
    GstLadderBroadcasterPad * pad, GstBuffer * buffer, ItemKind kind,
    GstClockTime rt, guint size, gboolean drop, GPtrArray ** pending,
    WakeList * wakes);

/* ladderbroadcaster.c */

G_GNUC_INTERNAL
    void gst_ladder_broadcaster_pending_add (GPtrArray ** pending,
    GstMessage * msg);
G_GNUC_INTERNAL
    void gst_ladder_broadcaster_join_unlocked (GstLadderBroadcaster * self,
    GstLadderBroadcasterPad * pad);
G_GNUC_INTERNAL gboolean
gst_ladder_broadcaster_caps_are_raw_video (GstCaps * caps, GstVideoInfo * info);

G_END_DECLS
