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

#include "ladderplaylist.h"
#include "laddermediaplaylist.h"

G_BEGIN_DECLS
/* Internal to the plugin: ladderhlssink (gstladderhlssink.c), its request
 * pads (gstladderhlssinkpad.c) and its renditions (ladderhlsrendition.c). */
#define GST_TYPE_LADDER_HLS_SINK (gst_ladder_hls_sink_get_type ())
G_DECLARE_FINAL_TYPE (GstLadderHlsSink, gst_ladder_hls_sink, GST,
    LADDER_HLS_SINK, GstBin);

#define GST_TYPE_LADDER_HLS_SINK_PAD (gst_ladder_hls_sink_pad_get_type ())
G_DECLARE_FINAL_TYPE (GstLadderHlsSinkPad, gst_ladder_hls_sink_pad, GST,
    LADDER_HLS_SINK_PAD, GstGhostPad);

/* One rendition: one hlssink2 and up to two of our pads.
 *
 * Created by the first pad request for its name; freed once its hlssink2 is
 * in NULL and out of the bin (no more signals or messages from it). */
typedef struct
{
  gchar *name;                  /* immutable */
  guint serial;                 /* immutable, unique in the sink */
  GstElement *hlssink;          /* a child of the bin; we hold a ref too */

  /* protected by the sink's lock */
  GstLadderHlsSinkPad *video;   /* NULL when not requested or released */
  GstLadderHlsSinkPad *audio;
  gboolean finalizing;          /* a pad was released: EOS, then removal */
  gboolean visible;             /* has a complete segment */
  gboolean ended;               /* hlssink2 wrote #EXT-X-ENDLIST */
  gboolean failed;              /* its writer or its rung failed: not listed,
                                 * not waited for, its data dropped */
  gulong fail_probes[2];        /* the drops on video and audio */
  GstClockTime fragment_start;
  GOutputStream *fragment;      /* the segment being written */
  gchar *fragment_location;
  guint64 segments;
  guint64 total_bytes;
  GstClockTime total_duration;
  guint64 peak_bitrate;
  LadderMediaPlaylist *playlist;        /* ours, NULL until the first segment */
  gchar *playlist_path;         /* where it goes */
} LadderRendition;



/* Locking order: pads_lock, then write_lock, then lock, then
 * GST_OBJECT_LOCK (of the sink or of a pad).
 *
 * Nothing is posted, notified or state-changed while lock or write_lock is
 * held. */
struct _GstLadderHlsSink
{
  GstBin parent;

  /* serializes pad requests and releases and the removal of renditions */
  GMutex pads_lock;
  /* serializes multivariant playlist writes: the last rendered is the last
   * written */
  GMutex write_lock;
  /* protects renditions, their mutable fields and the fields below */
  GMutex lock;

  GList *renditions;            /* LadderRendition * */
  guint next_serial;
  gboolean eos_posted;          /* our EOS for the current stream is out */
  /* the wall-clock time of running time pdt_anchor_rt, set at the first
   * segment of any rendition: EXT-X-PROGRAM-DATE-TIME of a cut is the same
   * in every variant */
  gint64 pdt_anchor_wall;       /* µs since the epoch, -1: not yet */
  GstClockTime pdt_anchor_rt;
  guint32 eos_seqnum;           /* of the last EOS event on a pad */

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

void gst_ladder_hls_sink_check_eos (GstLadderHlsSink * self);

void gst_ladder_hls_sink_pad_flushed (GstLadderHlsSink * self,
    GstLadderHlsSinkPad * pad);

void gst_ladder_hls_sink_pad_eos (GstLadderHlsSink * self,
    GstLadderHlsSinkPad * pad, guint32 seqnum);

gboolean gst_ladder_hls_sink_pad_has_other_track (GstLadderHlsSink * self,
    GstLadderHlsSinkPad * pad);

gboolean gst_ladder_hls_sink_fail_variant (GstLadderHlsSink * self,
    const gchar * name, const GError * error, const gchar * debug);

void gst_ladder_hls_sink_pad_settled (GstLadderHlsSink * self,
    GstLadderHlsSinkPad * pad);

void gst_ladder_hls_sink_pad_video_empty (GstLadderHlsSink * self,
    GstLadderHlsSinkPad * pad);

void gst_ladder_hls_sink_hold_audio_unlocked (LadderRendition * r);

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

void gst_ladder_hls_sink_pad_hold_unlocked (GstLadderHlsSinkPad * pad);

void gst_ladder_hls_sink_pad_unhold_unlocked (GstLadderHlsSinkPad * pad);

gboolean gst_ladder_hls_sink_pad_is_settled_unlocked (GstLadderHlsSinkPad *
    pad);

gboolean gst_ladder_hls_sink_pad_is_empty_unlocked (GstLadderHlsSinkPad * pad);

void gst_ladder_hls_sink_pad_set_settled_unlocked (GstLadderHlsSinkPad * pad,
    gboolean settled, gboolean empty);

/* ladderhlsrendition.c */
gboolean ladder_hls_make_parent_folder (const gchar * path, GError ** error);

void ladder_hls_rendition_configure (GstLadderHlsSink * self,
    LadderRendition * r);

LadderRendition *ladder_hls_rendition_new (GstLadderHlsSink * self,
    const gchar * name);

void ladder_hls_rendition_free (LadderRendition * r);

void ladder_hls_rendition_reset_unlocked (LadderRendition * r);

LadderRendition *ladder_hls_rendition_find_unlocked (GstLadderHlsSink * self,
    const gchar * name, gboolean finalizing);

LadderRendition *ladder_hls_rendition_find_by_child_unlocked (GstLadderHlsSink
    * self, GstObject * obj);

void ladder_hls_rendition_remove (GstLadderHlsSink * self, LadderRendition * r);

void ladder_hls_rendition_start_finalizing (GstLadderHlsSink * self,
    LadderRendition * r, GstLadderHlsSinkPad * released);

void ladder_hls_rendition_fragment_closed_unlocked (GstLadderHlsSink * self,
    LadderRendition * r, GstClockTime running_time);

void ladder_hls_rendition_write_playlist (GstLadderHlsSink * self,
    guint serial, gboolean end);

void ladder_hls_rendition_rebuild (GstLadderHlsSink * self,
    LadderRendition * r, gboolean new_run);

gboolean ladder_hls_rendition_fail (GstLadderHlsSink * self,
    const gchar * name, const GError * error, const gchar * debug,
    gboolean announce);

LadderVariant *ladder_hls_rendition_to_variant_unlocked (GstLadderHlsSink *
    self, LadderRendition * r, const gchar * playlist_name);

G_END_DECLS
