/* gst-ladder
 * Copyright (C) 2026 The gst-ladder authors
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2 of the License, or (at your option) any later version.
 */

#pragma once

#include <gst/gst.h>
#include <gio/gio.h>

#include "laddermediaplaylist.h"

G_BEGIN_DECLS
/* Internal to the plugin: ladderhlssink (gstladderhlssink.c, its EOS in
 * gstladderhlssinkeos.c), its request pads (gstladderhlssinkpad.c) and the
 * state of its renditions (ladderhlsstream.h). */
#define GST_TYPE_LADDER_HLS_SINK (gst_ladder_hls_sink_get_type ())
G_DECLARE_FINAL_TYPE (GstLadderHlsSink, gst_ladder_hls_sink, GST,
    LADDER_HLS_SINK, GstBin);

#define GST_TYPE_LADDER_HLS_SINK_PAD (gst_ladder_hls_sink_pad_get_type ())
G_DECLARE_FINAL_TYPE (GstLadderHlsSinkPad, gst_ladder_hls_sink_pad, GST,
    LADDER_HLS_SINK_PAD, GstGhostPad);

/* The state of one rendition (ladderhlsstream.h) */
typedef struct _LadderHlsStream LadderHlsStream;

/* Locking order: pads_lock, then write_lock, then lock, then
 * GST_OBJECT_LOCK (of the sink or of a pad).
 *
 * Nothing is posted, notified or state-changed while lock or write_lock is
 * held. */
struct _GstLadderHlsSink
{
  GstBin parent;

  /* serializes pad requests and releases and the removal of streams */
  GMutex pads_lock;
  /* serializes multivariant playlist writes: the last rendered is the last
   * written */
  GMutex write_lock;
  /* protects streams, their mutable fields and the fields below */
  GMutex lock;

  GList *streams;               /* LadderHlsStream *, one per rendition */
  /* the hlssink2 being stopped and taken out of the bin (a removed
   * rendition's, a failed or replaced writer): what they post as they stop
   * is theirs, not the pipeline's (ladder_hls_stream_take_out()) */
  GList *taking_out;            /* GstElement * */
  guint next_serial;
  gboolean eos_posted;          /* our EOS for the current stream is out */
  /* variants failed whose ladder-panic is not posted yet: our EOS waits for
   * them, so that an application stopping at EOS has seen every panic */
  guint failures_unannounced;
  /* names of the renditions that wrote segments and ended in this run:
   * their files and ended playlists stay, so the name is not taken again
   * until the run is over (PAUSED to READY) */
  GHashTable *ended;
  /* the wall-clock time of running time pdt_anchor_rt, set at the first
   * segment of any rendition: EXT-X-PROGRAM-DATE-TIME of a cut is the same
   * in every variant */
  gint64 pdt_anchor_wall;       /* µs since the epoch, -1: not yet */
  GstClockTime pdt_anchor_rt;
  guint32 eos_seqnum;           /* of the last EOS event on a pad */

  /* immutable: what a rendition (ladderhlsstream.c, which calls nothing
   * of the element) tells the element: one ended or failed, so the
   * multivariant playlist is written again and the EOS checked. Call with
   * no lock. */
  void (*streams_changed) (GstLadderHlsSink * self);

  /* properties, protected by GST_OBJECT_LOCK */
  gchar *location;
  gchar *master_name;
  gchar *playlist_name;
  guint target_duration;
  guint playlist_length;
  guint max_files;
  GstLadderHlsPlaylistType playlist_type;
};

/* gstladderhlssink.c */
void gst_ladder_hls_sink_write_master (GstLadderHlsSink * self);

gboolean gst_ladder_hls_sink_name_is_free (GstLadderHlsSink * self,
    const gchar * rendition);
gboolean gst_ladder_hls_sink_fail_variant (GstLadderHlsSink * self,
    const gchar * name, const GError * error, const gchar * debug);

/* gstladderhlssinkeos.c */
void gst_ladder_hls_sink_check_eos (GstLadderHlsSink * self);

void gst_ladder_hls_sink_pad_flushed (GstLadderHlsSink * self,
    GstLadderHlsSinkPad * pad);

void gst_ladder_hls_sink_pad_eos (GstLadderHlsSink * self,
    GstLadderHlsSinkPad * pad, guint32 seqnum);

gboolean gst_ladder_hls_sink_pad_has_other_track (GstLadderHlsSink * self,
    GstLadderHlsSinkPad * pad);

void gst_ladder_hls_sink_pad_settled (GstLadderHlsSink * self,
    GstLadderHlsSinkPad * pad);

void gst_ladder_hls_sink_pad_video_empty (GstLadderHlsSink * self,
    GstLadderHlsSinkPad * pad);


/* gstladderhlssinkpad.c */
GstLadderHlsSinkPad *gst_ladder_hls_sink_pad_new (GstPadTemplate * templ,
    const gchar * name, const gchar * rendition, gboolean is_video);

guint64 gst_ladder_hls_sink_pad_get_configured_bitrate (GstLadderHlsSinkPad *
    pad, const GstCaps * caps);

gchar *gst_ladder_hls_sink_pad_get_codec (GstLadderHlsSinkPad * pad,
    const GstCaps * caps);

gboolean gst_ladder_hls_sink_pad_is_eos (GstLadderHlsSinkPad * pad);

gboolean gst_ladder_hls_sink_pad_is_independent (GstLadderHlsSinkPad * pad);

gboolean gst_ladder_hls_sink_pad_has_data (GstLadderHlsSinkPad * pad);



G_END_DECLS
