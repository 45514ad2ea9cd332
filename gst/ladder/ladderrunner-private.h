/* gst-ladder
 * Copyright (C) 2026 The gst-ladder authors
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2 of the License, or (at your option) any later version.
 */

#pragma once

#include "ladderrunner.h"
#include "ladderrung-private.h"

G_BEGIN_DECLS GST_DEBUG_CATEGORY_EXTERN (gst_ladder_runner_debug);

typedef struct _LadderPair LadderPair;
typedef struct _LadderFeed LadderFeed;
typedef struct _LadderSource LadderSource;
typedef struct _LadderKey LadderKey;
typedef struct _LadderRemoval LadderRemoval;
typedef struct _LadderOutputDrain LadderOutputDrain;

/* One entry of the ladder: a factory and a rendition it makes, optionally
 * for one track only. Immutable once made. */
struct _LadderPair
{
  GType type;
  gchar *transcoder;            /* the class name */
  GstLadderRendition *rendition;
  gchar *track;                 /* NULL: every track the factory accepts */
};

/* A broadcaster rungs take their input from: a source's own, or the raw
 * output of its shared decode. */
struct _LadderFeed
{
  LadderSource *source;         /* where it comes from */
  GstElement *bcast;            /* ref */
  GstCaps *caps;                /* the first caps, NULL until known */
  gulong caps_id;
  GstPad *hold_pad;             /* ref: sink pad held until the first rungs */
  gulong hold_id;
  GstPad *eos_pad;              /* ref: sink pad watched for the end */
  gulong eos_id;
  LadderKey *maker;             /* the key whose rung makes it, or NULL */
  guint users;                  /* keys fed by a made feed */
};

/* A source broadcaster the runner follows. */
struct _LadderSource
{
  LadderFeed input;             /* the source broadcaster itself */
  GstBin *bin;                  /* ref: its parent, where its rungs go */
  gchar *broadcast;
  gchar *track;
  gboolean is_output;           /* last segment is a rendition name */
  LadderFeed *decoded;          /* the output of its shared decode, or NULL */
};

/* A rung key: (transcoder, rendition, broadcast, track). The shared decode
 * of an encoded video source is one too (transcoder "decode", rendition
 * "raw"), whose output is the feed of the rungs that need raw video. */
struct _LadderKey
{
  gchar *key;
  GType type;
  gchar *transcoder;
  gchar *rendition_name;
  GstLadderRendition *rendition;
  LadderSource *source;
  LadderFeed *feed;             /* what its instances take: the source's
                                 * input, or its decoded feed */
  LadderFeed *makes;            /* the feed its output is, or NULL: then the
                                 * output is announced (output-added) */

  GstLadderRung *rung;          /* ref: the current instance, or NULL */
  gulong fault_id;
  gulong drained_id;
  GstElement *feeder;           /* ref: the broadcaster feeding the rung */
  GstPad *feed_pad;             /* ref: its request pad feeding the rung */
  gulong drain_probe;
  GstElement *output;           /* ref: output broadcaster (a made feed's) */
  gboolean announced;           /* output-added was emitted */

  GstLadderRungState state;
  guint64 panics;
  guint64 restarts;
  guint quick_failures;
  gint64 started;               /* monotonic µs of the instance start */
  GSource *restart_source;
  GSource *drain_timeout;
  LadderOutputDrain *output_drain;      /* waiting for the EOS to leave the
                                         * output, or NULL */

  /* counters of the instances torn down */
  guint64 acc_fragments_in;
  guint64 acc_fragments_out;
  guint64 acc_bytes_in;
  guint64 acc_bytes_out;
  guint64 acc_drops;
  /* last rate sample */
  guint64 last_fragments_out;
  guint64 last_bytes_out;
  gint64 last_sample;
  gdouble bitrate;
  gdouble fps;

  LadderRemoval *removal;       /* set while the key is being removed */
};

struct _LadderRemoval
{
  gint refcount;
  gchar *name;
  guint rungs;
  guint pending;
  gboolean drain;
  gboolean done;                /* protected by the call lock */
};

/* Locking order: GST_OBJECT_LOCK (runner), then call_lock. Neither is held
 * while posting a message, emitting a signal or changing a state. Every
 * field below marked "runner thread" is only touched from the runner's
 * own thread, so it needs no lock. The lock of a LadderOutputDrain
 * (ladderrunner-broadcasters.c) is a leaf, taken alone, by the pad probes
 * of a drained output and the runner thread. */
struct _GstLadderRunner
{
  GstObject parent;

  GThread *thread;
  GMainContext *context;
  GMainLoop *loop;

  GMutex call_lock;
  GCond call_cond;

  /* protected by the object lock */
  GstClockTime stats_interval;
  GstClockTime restart_delay;
  GstClockTime max_restart_delay;
  GstClockTime cut_interval;
  GstBin *bin;

  /* runner thread */
  GPtrArray *pairs;             /* LadderPair */
  GPtrArray *sources;           /* LadderSource */
  GHashTable *keys;             /* key string -> LadderKey */
  GSource *stats_source;
  GSource *trim_source;         /* gives freed memory back, once idle */
  gulong deep_added_id;
  gulong deep_removed_id;
};

enum
{
  LADDER_RUNNER_SIGNAL_OUTPUT_ADDED,
  LADDER_RUNNER_SIGNAL_OUTPUT_REMOVED,
  LADDER_RUNNER_SIGNAL_LAST
};

extern guint gst_ladder_runner_signals[LADDER_RUNNER_SIGNAL_LAST];

typedef gboolean (*GstLadderRunnerFunc) (GstLadderRunner * self,
    gpointer data, GError ** error);

/* ladderrunner.c */
G_GNUC_INTERNAL
    gboolean gst_ladder_runner_call (GstLadderRunner * self,
    GstLadderRunnerFunc func, gpointer data, GError ** error);

G_GNUC_INTERNAL GstBin *gst_ladder_runner_ref_bin (GstLadderRunner * self);

G_GNUC_INTERNAL
    void gst_ladder_runner_post_async (GstLadderRunner * self, GSourceFunc func,
    gpointer data, GDestroyNotify notify);

G_GNUC_INTERNAL
    void gst_ladder_runner_complete_removal (GstLadderRunner * self,
    LadderRemoval * removal);

G_GNUC_INTERNAL void gst_ladder_removal_unref (LadderRemoval * removal);

/* ladderrunner-keys.c: all run on the runner thread */
G_GNUC_INTERNAL void gst_ladder_runner_key_free (LadderKey * key);

G_GNUC_INTERNAL void gst_ladder_runner_apply_cuts (GstLadderRunner * self);
G_GNUC_INTERNAL
    guint gst_ladder_runner_spawn_pair (GstLadderRunner * self,
    const LadderPair * pair);

G_GNUC_INTERNAL
    void gst_ladder_runner_start_key (GstLadderRunner * self, LadderKey * key);

G_GNUC_INTERNAL
    void gst_ladder_runner_output_drained (GstLadderRunner * self,
    LadderKey * key);

G_GNUC_INTERNAL
    void gst_ladder_runner_remove_key (GstLadderRunner * self, LadderKey * key);

G_GNUC_INTERNAL
    void gst_ladder_runner_start_drain (GstLadderRunner * self,
    LadderKey * key);

G_GNUC_INTERNAL
    void gst_ladder_runner_end_key (GstLadderRunner * self, LadderKey * key);
G_GNUC_INTERNAL
    void gst_ladder_runner_restart_key (GstLadderRunner * self,
    LadderKey * key);

G_GNUC_INTERNAL
    GstStructure * gst_ladder_runner_key_stats (GstLadderRunner * self,
    LadderKey * key);

G_GNUC_INTERNAL
    gboolean gst_ladder_runner_is_rendition_name (GstLadderRunner * self,
    const gchar * name);

/* ladderrunner-broadcasters.c: all run on the runner thread */
G_GNUC_INTERNAL void gst_ladder_runner_source_free (LadderSource * source);

/* the one exception: called on the thread that adds @element */
G_GNUC_INTERNAL
    gulong gst_ladder_runner_hold_new_element (GstElement * element,
    GstPad ** pad);

G_GNUC_INTERNAL
    void gst_ladder_runner_track_element (GstLadderRunner * self,
    GstElement * element, GstPad ** early_pad, gulong * early_id);

G_GNUC_INTERNAL
    void gst_ladder_runner_untrack_element (GstLadderRunner * self,
    GstElement * element);

G_GNUC_INTERNAL
    gboolean gst_ladder_runner_source_is_output (GstLadderRunner * self,
    LadderSource * src);

G_GNUC_INTERNAL
    LadderFeed * gst_ladder_runner_decoded_feed (GstLadderRunner * self,
    LadderSource * src);

G_GNUC_INTERNAL
    void gst_ladder_runner_forget_feed (GstLadderRunner * self,
    LadderFeed * feed);

G_GNUC_INTERNAL
    void gst_ladder_runner_make_output (GstLadderRunner * self,
    LadderKey * key);

G_GNUC_INTERNAL
    void gst_ladder_runner_announce_output (GstLadderRunner * self,
    LadderKey * key);

G_GNUC_INTERNAL
    void gst_ladder_runner_remove_output (GstLadderRunner * self,
    LadderKey * key);

G_GNUC_INTERNAL
    gboolean gst_ladder_runner_drain_output (GstLadderRunner * self,
    LadderKey * key);

G_GNUC_INTERNAL
    void gst_ladder_runner_cancel_output_drain (GstLadderRunner * self,
    LadderKey * key);

G_END_DECLS
