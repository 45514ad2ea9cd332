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
  gint width, height;           /* the size a resize step makes, or 0 */
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
  GPtrArray *resized;           /* LadderFeed, not owned: the outputs of its
                                 * resize steps (the scaling cascade) */
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

/* A rendition being removed: made by the ladder API, counted down by the
 * lifecycle as its keys go; done() is called (runner thread) when the
 * last one went. */
struct _LadderRemoval
{
  gint refcount;
  gchar *name;
  guint rungs;
  guint pending;
  gboolean drain;
  gboolean done;                /* protected by the call lock */
  void (*on_done) (GstLadderRunner * self, LadderRemoval * removal);
};

/* What the broadcast layer (ladderrunner-broadcasters.c) tells the layer
 * above it, the rung lifecycle (ladderrunner-keys.c), which sets them
 * (gst_ladder_runner_lifecycle_init()): the broadcast layer calls nothing
 * above it. Runner thread. */
typedef struct
{
  /* the caps of a source are known: its rungs can be made */
  void (*source_ready) (GstLadderRunner * self, LadderSource * src);
  /* a source left the bin: its keys go, before it is freed */
  void (*source_left) (GstLadderRunner * self, LadderSource * src);
  /* the caps of a made feed are known: the keys waiting for it start */
  void (*feed_ready) (GstLadderRunner * self, LadderFeed * feed);
  /* a feed took EOS */
  void (*feed_ended) (GstLadderRunner * self, LadderFeed * feed);
  /* the EOS of a drained key left its output */
  void (*output_drained) (GstLadderRunner * self, LadderKey * key);
} LadderRunnerHooks;

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
  gboolean cascade;
  GstBin *bin;

  /* runner thread */
  GPtrArray *pairs;             /* LadderPair */
  GPtrArray *sources;           /* LadderSource */
  GHashTable *keys;             /* key string -> LadderKey */
  GSource *stats_source;
  GSource *trim_source;         /* gives freed memory back, once idle */
  LadderRunnerHooks hooks;
  gulong deep_added_id;
  gulong deep_removed_id;
};

typedef gboolean (*GstLadderRunnerFunc) (GstLadderRunner * self,
    gpointer data, GError ** error);

/* Services every layer uses, kept here so that no layer calls up for
 * them. */

/* Runs @func on the runner thread later; never at once, so it is safe from
 * any thread, the runner thread included. */
static inline void
gst_ladder_runner_post_async (GstLadderRunner * self, GSourceFunc func,
    gpointer data, GDestroyNotify notify)
{
  GSource *source = g_idle_source_new ();

  g_source_set_priority (source, G_PRIORITY_DEFAULT);
  g_source_set_callback (source, func, data, notify);
  g_source_attach (source, self->context);
  g_source_unref (source);
}

/* The bin the runner is installed on, or NULL; any thread */
static inline GstBin *
gst_ladder_runner_ref_bin (GstLadderRunner * self)
{
  GstBin *bin;

  GST_OBJECT_LOCK (self);
  bin = self->bin ? gst_object_ref (self->bin) : NULL;
  GST_OBJECT_UNLOCK (self);
  return bin;
}

/* ladderrunner.c: the object, its thread and its installation */
G_GNUC_INTERNAL
    gboolean gst_ladder_runner_call (GstLadderRunner * self,
    GstLadderRunnerFunc func, gpointer data, GError ** error);

/* ladderrunner-keys.c: the rung lifecycle; all run on the runner thread */
G_GNUC_INTERNAL void gst_ladder_runner_lifecycle_init (GstLadderRunner * self);

G_GNUC_INTERNAL void gst_ladder_runner_key_free (LadderKey * key);

G_GNUC_INTERNAL void gst_ladder_removal_unref (LadderRemoval * removal);

G_GNUC_INTERNAL
    void gst_ladder_runner_removal_advance (GstLadderRunner * self,
    LadderRemoval * removal);

G_GNUC_INTERNAL void gst_ladder_runner_remove_all_keys (GstLadderRunner * self);

G_GNUC_INTERNAL
    guint gst_ladder_runner_spawn_pair (GstLadderRunner * self,
    const LadderPair * pair);


G_GNUC_INTERNAL
    void gst_ladder_runner_remove_key (GstLadderRunner * self, LadderKey * key);

G_GNUC_INTERNAL
    void gst_ladder_runner_start_drain (GstLadderRunner * self,
    LadderKey * key);

G_GNUC_INTERNAL
    void gst_ladder_runner_restart_key (GstLadderRunner * self,
    LadderKey * key);

G_GNUC_INTERNAL
    GstStructure * gst_ladder_runner_key_stats (GstLadderRunner * self,
    LadderKey * key);

/* ladderrunner-broadcasters.c: sources, feeds and outputs; all run on the
 * runner thread unless said */
G_GNUC_INTERNAL void gst_ladder_runner_apply_cuts (GstLadderRunner * self);

G_GNUC_INTERNAL
    void gst_ladder_runner_apply_source_cuts (GstLadderRunner * self,
    LadderSource * src);

G_GNUC_INTERNAL
    gboolean gst_ladder_runner_is_rendition_name (GstLadderRunner * self,
    const gchar * name);

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
    gboolean gst_ladder_runner_source_is_encoded_video (LadderSource * src);

G_GNUC_INTERNAL
    LadderFeed * gst_ladder_runner_make_feed (GstLadderRunner * self,
    LadderSource * src, const gchar * name);

G_GNUC_INTERNAL
    void gst_ladder_runner_unhold_feed (GstLadderRunner * self,
    LadderFeed * feed);

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
