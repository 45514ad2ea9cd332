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

#include "gstladderhlssink.h"
#include "laddermultivariant.h"
#include "laddermediaplaylist.h"

G_BEGIN_DECLS
/* Internal to the plugin: the state of one rendition of ladderhlssink
 * (ladderhlsstream.c), one hlssink2 and up to two of our pads. The locks
 * are the sink's (gstladderhlssink.h).
 *
 * Created by the first pad request for its name; freed once its hlssink2 is
 * in NULL and out of the bin (no more signals or messages from it). */
    struct _LadderHlsStream
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
  gboolean video_settled;       /* its video had caps or ended, this run */
  gboolean video_empty;         /* its video ended without caps: it left */
  gulong audio_hold;            /* its audio waits for the video: a probe
                                 * on the audio pad, or 0 */
  gboolean audio_settled;       /* its audio had caps or left */
  gulong video_hold;            /* its video buffers wait for the audio: a
                                 * probe on the video pad, or 0 */
  GstClockTime fragment_start;
  GOutputStream *fragment;      /* the segment being written */
  gchar *fragment_location;
  guint64 segments;
  LadderMediaPlaylist *playlist;        /* ours, NULL until the first segment;
                                         * its bit rates are the variant's */
  gchar *playlist_path;         /* where it goes */
};

gboolean ladder_hls_make_parent_folder (const gchar * path, GError ** error);

void ladder_hls_stream_configure (GstLadderHlsSink * self,
    LadderHlsStream * stream);

LadderHlsStream *ladder_hls_stream_new (GstLadderHlsSink * self,
    const gchar * name);

void ladder_hls_stream_free (LadderHlsStream * stream);

void ladder_hls_stream_reset_unlocked (LadderHlsStream * stream);

LadderHlsStream *ladder_hls_stream_find_unlocked (GstLadderHlsSink * self,
    const gchar * name, gboolean finalizing);

LadderHlsStream *ladder_hls_stream_find_by_child_unlocked (GstLadderHlsSink
    * self, GstObject * obj);

void ladder_hls_stream_remove (GstLadderHlsSink * self,
    LadderHlsStream * stream);

gboolean ladder_hls_stream_taking_out_unlocked (GstLadderHlsSink * self,
    GstObject * obj);

void ladder_hls_stream_start_finalizing (GstLadderHlsSink * self,
    LadderHlsStream * stream, GstLadderHlsSinkPad * released);

void ladder_hls_stream_fragment_closed_unlocked (GstLadderHlsSink * self,
    LadderHlsStream * stream, GstClockTime running_time, gboolean independent);

void ladder_hls_stream_write_playlist (GstLadderHlsSink * self,
    guint serial, gboolean end);

void ladder_hls_stream_rebuild (GstLadderHlsSink * self,
    LadderHlsStream * stream, gboolean new_run);

gboolean ladder_hls_stream_fail (GstLadderHlsSink * self,
    const gchar * name, const GError * error, const gchar * debug,
    gboolean announce);

void ladder_hls_stream_hold_audio_unlocked (LadderHlsStream * stream);

void ladder_hls_stream_unhold_audio_unlocked (LadderHlsStream * stream);

void ladder_hls_stream_video_settled_unlocked (LadderHlsStream * stream);

void ladder_hls_stream_video_empty_unlocked (LadderHlsStream * stream);

void ladder_hls_stream_hold_video_unlocked (LadderHlsStream * stream);

void ladder_hls_stream_unhold_video_unlocked (LadderHlsStream * stream);

void ladder_hls_stream_audio_settled_unlocked (LadderHlsStream * stream);

G_END_DECLS
