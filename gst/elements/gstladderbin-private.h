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

/* The ladder element's instance, shared by gstladderbin.c (properties,
 * ladder, pads, outputs) and gstladderbinhls.c (the HLS output). */

#pragma once

#include <gst/gst.h>
#include <gst/ladder/ladder.h>

G_BEGIN_DECLS GST_DEBUG_CATEGORY_EXTERN (gst_ladder_bin_debug);

/* How one output broadcaster is attached: through its output end
 * (gstladderoutput.c) to a ghost src pad, or to a pad of the HLS sink
 * (through a parser for the passthrough outputs). */
typedef struct
{
  gchar *name;                  /* "<track>_<rendition>" */
  GstElement *output;           /* ref, or NULL before output-added */
  gchar *track;
  gchar *rendition;
  GstPad *output_pad;           /* ref: the request pad of the output */
  GstPad *ghost;                /* ref: our src pad, or NULL */
  GstPad *hls_pad;              /* ref: the HLS sink pad, or NULL */
  GstElement *end;              /* ref: the GstLadderOutput, or with HLS the
                                 * parser of a passthrough output, or NULL */
} OutputLink;

/* Locking: the object lock protects the properties, the ladder, the
 * configured flag, the HLS sink and its pads, and the input broadcasters.
 * The outputs lock (recursive: a pad-added handler may edit the ladder)
 * protects the output links, made and removed from the runner thread
 * (output-added/-removed) and the application's (pads, renditions).
 * Nothing is posted, emitted or called on the runner while the object
 * lock is held. */
#define GST_TYPE_LADDER_BIN (gst_ladder_bin_get_type ())
G_DECLARE_FINAL_TYPE (GstLadderBin, gst_ladder_bin, GST, LADDER_BIN, GstBin);

struct _GstLadderBin
{
  GstBin parent;

  GstLadderRunner *runner;

  /* protected by the object lock */
  gchar *broadcast;
  GPtrArray *ladder;            /* GstLadderRendition: the configured ladder */
  GError *renditions_error;     /* a refused renditions value, not reported */
  gboolean configured;          /* the runner has the ladder */
  gchar *hls_location;
  gchar *hls_master_name;
  guint hls_target_duration;
  guint hls_playlist_length;
  guint hls_max_files;
  gint hls_playlist_type;       /* LadderPlaylistType */
  GstLadderScaleChromaSiting chroma_siting;
  GstElement *hlssink;
  GstElement *inputs[2];        /* video, audio broadcasters */
  GHashTable *hls_pads;         /* "<track>_<rendition>" -> requested pad */

  /* held while an HLS pad is requested (gstladderbinhls.c): the
   * requests of one pad from two threads come to one pad. Taken before
   * the object lock, and inside the outputs lock */
  GMutex hls_request_lock;

  /* protected by the outputs lock, taken without the object lock */
  GRecMutex outputs_lock;
  GHashTable *outputs;          /* GstElement * (output) -> OutputLink */
  GHashTable *pending;          /* name -> OutputLink without an output */
};

/* Helpers over the bin's ladder that the element (gstladderbin.c) and
 * its HLS output (gstladderbinhls.c) both use, here so that the HLS
 * output calls nothing of the element: the element calls it, one way. */

/* call with the object lock: the rendition @name of the ladder, or NULL */
static inline const GstLadderRendition *
gst_ladder_bin_find_rendition_unlocked (GstLadderBin * self, const gchar * name)
{
  guint i;

  for (i = 0; i < self->ladder->len; i++) {
    const GstLadderRendition *r = g_ptr_array_index (self->ladder, i);
    if (g_str_equal (r->name, name))
      return r;
  }
  return NULL;
}

/* call with the object lock: a copy of the ladder, read without it later
 * while add and remove edit the ladder in place */
static inline GPtrArray *
gst_ladder_bin_ladder_snapshot_unlocked (GstLadderBin * self)
{
  GPtrArray *copy = g_ptr_array_new_full (self->ladder->len,
      (GDestroyNotify) gst_ladder_rendition_free);
  guint i;

  for (i = 0; i < self->ladder->len; i++)
    g_ptr_array_add (copy,
        gst_ladder_rendition_copy (g_ptr_array_index (self->ladder, i)));
  return copy;
}

/* Ends @pad (an output end or an HLS pad) whose input ended without
 * caps: stream-start, then EOS */
static inline void
gst_ladder_bin_end_unfed_pad (GstLadderBin * self, GstPad * pad)
{
  gchar *id = g_strdup_printf ("ladder/%s:%s", GST_DEBUG_PAD_NAME (pad));

  GST_CAT_INFO_OBJECT (gst_ladder_bin_debug, self,
      "%s ends: its input ended without caps", id);
  gst_pad_send_event (pad, gst_event_new_stream_start (id));
  gst_pad_send_event (pad, gst_event_new_eos ());
  g_free (id);
}

/* gstladderbinhls.c */
G_GNUC_INTERNAL gboolean gst_ladder_bin_hls_setup (GstLadderBin * self);
G_GNUC_INTERNAL void gst_ladder_bin_hls_rung_panic (GstLadderBin * self,
    GstMessage * message);

G_GNUC_INTERNAL void gst_ladder_bin_hls_prerequest (GstLadderBin * self);
G_GNUC_INTERNAL gboolean gst_ladder_bin_hls_name_is_free (GstLadderBin * self,
    const gchar * rendition, GError ** error);
G_GNUC_INTERNAL void gst_ladder_bin_hls_request (GstLadderBin * self,
    const gchar * rendition);

G_GNUC_INTERNAL
    void gst_ladder_bin_hls_end_unfed (GstLadderBin * self,
    const gchar * track);

G_GNUC_INTERNAL
    void gst_ladder_bin_hls_release (GstLadderBin * self, const gchar * track,
    const gchar * rendition);

G_GNUC_INTERNAL
    gboolean gst_ladder_bin_hls_link_output (GstLadderBin * self,
    OutputLink * link);

G_GNUC_INTERNAL
    void gst_ladder_bin_hls_unlink_output (GstLadderBin * self,
    OutputLink * link);

G_END_DECLS
