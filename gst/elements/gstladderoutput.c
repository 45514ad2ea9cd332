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

/* GstLadderOutput: the end of one output of the ladder element, between
 * the output broadcaster of a (rendition, track) and whatever an
 * application links to the element's src pad. (The HLS sink of the
 * element is linked without one: it takes what the rungs make.)
 *
 * An output carries what its transcoder makes (byte-stream H.264 from an
 * x264 rung, the input's own format from a passthrough one), while a muxer
 * downstream may want another form of the same stream (mp4mux, flvmux and
 * matroskamux take avc, mpegtsmux byte-stream). So the output ends in the
 * parser of its format, plugged when the first caps arrive: its src pad
 * negotiates stream-format and alignment with downstream as any parser
 * does, also for a transcoder this file does not know. Raw media, or media
 * without a parser, go through unchanged.
 *
 * The output answers caps queries with what its parser takes, not with
 * what downstream takes: the rung and the output broadcaster upstream are
 * shared by every consumer of the rendition, so one downstream must not
 * make them refuse caps (which would look like a failing rung). A
 * downstream that accepts none of the caps the parser can make is then
 * found here, as a not-negotiated flow: before any buffer was delivered it
 * is a configuration error, posted as an ERROR naming the rendition and the
 * refused caps; after, a refused caps change, a WARNING. */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstladderoutput.h"

#include <string.h>

GST_DEBUG_CATEGORY_STATIC (gst_ladder_output_debug);
#define GST_CAT_DEFAULT gst_ladder_output_debug

struct _GstLadderOutput
{
  GstBin parent;

  /* set at construction */
  gchar *rendition;
  gchar *track;
  GstCaps *expected;            /* what the output will carry, or NULL */
  GstPad *input;                /* ref: whose upstream caps the output will
                                 * carry, or NULL */
  GstPad *sinkpad;              /* ghost */
  GstPad *srcpad;               /* ghost */

  /* protected by the object lock */
  GstElement *inner;            /* the parser, or an identity */
  gboolean shutdown;            /* no inner element is plugged any more */

  /* streaming thread */
  gboolean delivered;           /* a buffer went downstream */
  gint reported;                /* atomic: the refusal was posted */
};

static GstStaticPadTemplate sink_template = GST_STATIC_PAD_TEMPLATE ("sink",
    GST_PAD_SINK, GST_PAD_ALWAYS, GST_STATIC_CAPS_ANY);
static GstStaticPadTemplate src_template = GST_STATIC_PAD_TEMPLATE ("src",
    GST_PAD_SRC, GST_PAD_ALWAYS, GST_STATIC_CAPS_ANY);

#define gst_ladder_output_parent_class parent_class
G_DEFINE_TYPE (GstLadderOutput, gst_ladder_output, GST_TYPE_BIN);

static GstStateChangeReturn gst_ladder_output_change_state (GstElement *
    element, GstStateChange transition);
static void gst_ladder_output_dispose (GObject * object);
static void gst_ladder_output_finalize (GObject * object);

static void
gst_ladder_output_class_init (GstLadderOutputClass * klass)
{
  GObjectClass *gobject_class = G_OBJECT_CLASS (klass);
  GstElementClass *element_class = GST_ELEMENT_CLASS (klass);

  gobject_class->dispose = gst_ladder_output_dispose;
  gobject_class->finalize = gst_ladder_output_finalize;
  element_class->change_state =
      GST_DEBUG_FUNCPTR (gst_ladder_output_change_state);

  gst_element_class_add_static_pad_template (element_class, &sink_template);
  gst_element_class_add_static_pad_template (element_class, &src_template);
  gst_element_class_set_static_metadata (element_class, "Ladder output",
      "Generic/Bin", "The end of one output of the ladder element: the "
      "stream in the form its downstream negotiates", "The gst-ladder authors");

  GST_DEBUG_CATEGORY_INIT (gst_ladder_output_debug, "ladderoutput", 0,
      "ladder element outputs");
}

static void
gst_ladder_output_init (GstLadderOutput * self)
{
}

static void
gst_ladder_output_dispose (GObject * object)
{
  GstLadderOutput *self = GST_LADDER_OUTPUT (object);

  GST_OBJECT_LOCK (self);
  gst_clear_object (&self->inner);
  GST_OBJECT_UNLOCK (self);
  G_OBJECT_CLASS (parent_class)->dispose (object);
}

static void
gst_ladder_output_finalize (GObject * object)
{
  GstLadderOutput *self = GST_LADDER_OUTPUT (object);

  g_free (self->rendition);
  g_free (self->track);
  gst_clear_caps (&self->expected);
  gst_clear_object (&self->input);
  G_OBJECT_CLASS (parent_class)->finalize (object);
}

static gboolean
caps_are_raw (const GstCaps * caps)
{
  const gchar *name = gst_structure_get_name (gst_caps_get_structure (caps,
          0));

  return g_str_equal (name, "video/x-raw") || g_str_equal (name, "audio/x-raw");
}

/* The best parser that takes @caps and makes the same media, or NULL. */
static GstElementFactory *
find_parser (const GstCaps * caps)
{
  GstElementFactory *found = NULL;
  GList *all, *usable, *l;
  GstCaps *media;

  if (caps == NULL || gst_caps_is_any (caps) || gst_caps_is_empty (caps)
      || caps_are_raw (caps))
    return NULL;

  media = gst_caps_new_empty_simple (gst_structure_get_name
      (gst_caps_get_structure (caps, 0)));
  all = gst_element_factory_list_get_elements (GST_ELEMENT_FACTORY_TYPE_PARSER,
      GST_RANK_MARGINAL);
  usable = gst_element_factory_list_filter (all, caps, GST_PAD_SINK, FALSE);
  usable = g_list_sort (usable, gst_plugin_feature_rank_compare_func);
  for (l = usable; l && found == NULL; l = l->next) {
    /* a parser of the format, not a converter to another one */
    if (gst_element_factory_can_src_any_caps (l->data, media))
      found = gst_object_ref (l->data);
  }
  gst_plugin_feature_list_free (usable);
  gst_plugin_feature_list_free (all);
  gst_caps_unref (media);
  return found;
}

/* Plugs the inner element for @caps (NULL: the stream ends or goes on
 * without caps) and links it to both ghost pads. Streaming thread. */
static gboolean
plug_inner (GstLadderOutput * self, const GstCaps * caps)
{
  GstElementFactory *factory = find_parser (caps);
  GstElement *inner;
  GstPad *pad;
  gboolean ok;

  if (factory) {
    inner = gst_element_factory_create (factory, "parser");
    gst_object_unref (factory);
  } else {
    inner = gst_element_factory_make ("identity", "parser");
    if (inner)
      g_object_set (inner, "silent", TRUE, NULL);
  }
  if (inner == NULL) {
    GST_ELEMENT_ERROR (self, CORE, MISSING_PLUGIN, (NULL),
        ("No identity element for the %s output of rendition \"%s\"",
            self->track, self->rendition));
    return FALSE;
  }
  GST_OBJECT_LOCK (self);
  if (self->shutdown || self->inner) {
    GST_OBJECT_UNLOCK (self);
    gst_object_unref (gst_object_ref_sink (inner));
    return FALSE;
  }
  self->inner = gst_object_ref (inner);
  GST_OBJECT_UNLOCK (self);

  GST_INFO_OBJECT (self, "the %s output of %s goes through %s",
      self->track, self->rendition,
      GST_OBJECT_NAME (gst_element_get_factory (inner)));

  gst_bin_add (GST_BIN (self), inner);
  pad = gst_element_get_static_pad (inner, "sink");
  ok = gst_ghost_pad_set_target (GST_GHOST_PAD (self->sinkpad), pad);
  gst_object_unref (pad);
  pad = gst_element_get_static_pad (inner, "src");
  ok = gst_ghost_pad_set_target (GST_GHOST_PAD (self->srcpad), pad) && ok;
  gst_object_unref (pad);
  ok = gst_element_sync_state_with_parent (inner) && ok;
  if (!ok)
    GST_ELEMENT_ERROR (self, CORE, STATE_CHANGE, (NULL),
        ("Could not start the parser of the %s output of rendition \"%s\"",
            self->track, self->rendition));
  return ok;
}

static gboolean
gst_ladder_output_sink_event (GstPad * pad, GstObject * parent,
    GstEvent * event)
{
  GstLadderOutput *self = GST_LADDER_OUTPUT (parent);
  gboolean plugged;

  GST_OBJECT_LOCK (self);
  plugged = self->inner != NULL;
  GST_OBJECT_UNLOCK (self);

  /* what comes before the inner element (stream-start) is kept as a
   * sticky event on the ghost pad's internal pad, and pushed to the
   * inner element in order once it is linked */
  if (!plugged) {
    switch (GST_EVENT_TYPE (event)) {
      case GST_EVENT_CAPS:{
        GstCaps *caps;

        gst_event_parse_caps (event, &caps);
        plug_inner (self, caps);
        break;
      }
      case GST_EVENT_SEGMENT:
      case GST_EVENT_GAP:
      case GST_EVENT_EOS:
        /* a track that ends (or goes on) without caps still ends */
        plug_inner (self, NULL);
        break;
      default:
        break;
    }
  }
  return gst_pad_event_default (pad, parent, event);
}

static gboolean
gst_ladder_output_sink_query (GstPad * pad, GstObject * parent,
    GstQuery * query)
{
  GstLadderOutput *self = GST_LADDER_OUTPUT (parent);

  switch (GST_QUERY_TYPE (query)) {
    case GST_QUERY_CAPS:{
      GstCaps *filter, *caps = NULL;
      GstElement *inner;

      /* what the parser takes, whatever downstream takes (see above) */
      GST_OBJECT_LOCK (self);
      inner = self->inner ? gst_object_ref (self->inner) : NULL;
      GST_OBJECT_UNLOCK (self);
      if (inner) {
        GstPad *sink = gst_element_get_static_pad (inner, "sink");

        caps = gst_pad_get_pad_template_caps (sink);
        gst_object_unref (sink);
        gst_object_unref (inner);
      } else {
        caps = gst_caps_new_any ();
      }
      gst_query_parse_caps (query, &filter);
      if (filter)
        gst_caps_take (&caps, gst_caps_intersect_full (filter, caps,
                GST_CAPS_INTERSECT_FIRST));
      gst_query_set_caps_result (query, caps);
      gst_caps_unref (caps);
      return TRUE;
    }
    case GST_QUERY_ACCEPT_CAPS:
      gst_query_set_accept_caps_result (query, TRUE);
      return TRUE;
    default:
      return gst_pad_query_default (pad, parent, query);
  }
}

/* Any media of @track: raw, and what the parsers of its kind make. */
static GstCaps *
make_track_caps (gboolean video)
{
  GstCaps *caps;
  GList *parsers, *l;

  caps = gst_caps_from_string (video ? "video/x-raw" : "audio/x-raw");
  parsers = gst_element_factory_list_get_elements
      (GST_ELEMENT_FACTORY_TYPE_PARSER, GST_RANK_MARGINAL);
  for (l = parsers; l; l = l->next) {
    GstElementFactory *f = l->data;
    const gchar *klass = gst_element_factory_get_metadata (f,
        GST_ELEMENT_METADATA_KLASS);
    const GList *t;

    if (klass == NULL || strstr (klass, video ? "Video" : "Audio") == NULL)
      continue;
    for (t = gst_element_factory_get_static_pad_templates (f); t; t = t->next) {
      GstStaticPadTemplate *templ = t->data;

      if (templ->direction == GST_PAD_SRC)
        caps = gst_caps_merge (caps, gst_static_caps_get (&templ->static_caps));
    }
  }
  gst_plugin_feature_list_free (parsers);
  GST_MINI_OBJECT_FLAG_SET (caps, GST_MINI_OBJECT_FLAG_MAY_BE_LEAKED);
  return caps;
}

static GstCaps *
track_caps (const gchar * track)
{
  static GstCaps *video, *audio;

  if (g_once_init_enter (&video))
    g_once_init_leave (&video, make_track_caps (TRUE));
  if (g_once_init_enter (&audio))
    g_once_init_leave (&audio, make_track_caps (FALSE));
  return gst_caps_ref (g_str_equal (track, "video") ? video : audio);
}

/* @caps without their fields: the names of its structures. */
static GstCaps *
media_types (const GstCaps * caps)
{
  GstCaps *types = gst_caps_new_empty ();
  guint i;

  for (i = 0; i < gst_caps_get_size (caps); i++)
    types = gst_caps_merge_structure (types,
        gst_structure_new_empty (gst_structure_get_name
            (gst_caps_get_structure (caps, i))));
  return types;
}

/* Before the first caps, a src pad of the ladder element answers with what
 * its output will carry, so that gst-launch-1.0 and
 * gst_element_link() pick the matching pad of a muxer (video_%u or
 * audio_%u) for an output that has no data yet. */
static gboolean
gst_ladder_output_src_query (GstPad * pad, GstObject * parent, GstQuery * query)
{
  GstLadderOutput *self = GST_LADDER_OUTPUT (parent);
  GstCaps *filter, *caps = NULL;
  gboolean plugged;

  if (GST_QUERY_TYPE (query) != GST_QUERY_CAPS)
    return gst_pad_query_default (pad, parent, query);

  GST_OBJECT_LOCK (self);
  plugged = self->inner != NULL;
  GST_OBJECT_UNLOCK (self);
  if (plugged)
    return gst_pad_query_default (pad, parent, query);

  gst_query_parse_caps (query, &filter);
  if (self->expected) {
    caps = gst_caps_ref (self->expected);
  } else if (self->input) {
    GstCaps *upstream = gst_pad_peer_query_caps (self->input, NULL);

    /* the media types only: the parser can make other forms of them */
    if (!gst_caps_is_any (upstream) && !gst_caps_is_empty (upstream))
      caps = media_types (upstream);
    gst_caps_unref (upstream);
  }
  if (caps == NULL)
    caps = track_caps (self->track);
  if (filter)
    gst_caps_take (&caps, gst_caps_intersect_full (filter, caps,
            GST_CAPS_INTERSECT_FIRST));
  gst_query_set_caps_result (query, caps);
  gst_caps_unref (caps);
  return TRUE;
}

/* Downstream refused what the parser made. */
static void
report_refused (GstLadderOutput * self)
{
  GstElement *inner;
  GstPad *src;
  GstCaps *offered = NULL, *accepted;

  if (!g_atomic_int_compare_and_exchange (&self->reported, 0, 1))
    return;

  GST_OBJECT_LOCK (self);
  inner = self->inner ? gst_object_ref (self->inner) : NULL;
  GST_OBJECT_UNLOCK (self);
  if (inner) {
    src = gst_element_get_static_pad (inner, "src");
    offered = gst_pad_get_current_caps (src);
    gst_object_unref (src);
    gst_object_unref (inner);
  }
  /* the parser found nothing to offer: what the output carries */
  if (offered == NULL)
    offered = gst_pad_get_current_caps (self->sinkpad);
  accepted = gst_pad_peer_query_caps (self->srcpad, NULL);

  if (!self->delivered) {
    GST_ELEMENT_ERROR (self, CORE, NEGOTIATION,
        ("The %s output of rendition \"%s\" cannot be linked: its "
            "downstream accepts none of the caps it can make.", self->track,
            self->rendition),
        ("Rendition \"%s\", %s output: downstream refused %" GST_PTR_FORMAT
            "; downstream accepts %" GST_PTR_FORMAT, self->rendition,
            self->track, offered, accepted));
  } else {
    GST_ELEMENT_WARNING (self, CORE, NEGOTIATION,
        ("The %s output of rendition \"%s\" stopped: its downstream refused "
            "new caps.", self->track, self->rendition),
        ("Rendition \"%s\", %s output: downstream refused %" GST_PTR_FORMAT
            "; downstream accepts %" GST_PTR_FORMAT, self->rendition,
            self->track, offered, accepted));
  }
  gst_clear_caps (&offered);
  gst_clear_caps (&accepted);
}

/* What downstream made of a delivery: a refusal is reported once. */
static GstFlowReturn
note_flow (GstLadderOutput * self, GstFlowReturn ret)
{
  if (G_LIKELY (ret == GST_FLOW_OK))
    self->delivered = TRUE;
  else if (ret == GST_FLOW_NOT_NEGOTIATED)
    report_refused (self);
  return ret;
}

static GstFlowReturn
gst_ladder_output_sink_chain (GstPad * pad, GstObject * parent,
    GstBuffer * buffer)
{
  GstLadderOutput *self = GST_LADDER_OUTPUT (parent);
  GstFlowReturn ret;

  ret = gst_proxy_pad_chain_default (pad, parent, buffer);
  return note_flow (self, ret);
}

static GstFlowReturn
gst_ladder_output_sink_chain_list (GstPad * pad, GstObject * parent,
    GstBufferList * list)
{
  GstLadderOutput *self = GST_LADDER_OUTPUT (parent);
  GstFlowReturn ret;

  ret = gst_proxy_pad_chain_list_default (pad, parent, list);
  return note_flow (self, ret);
}

static GstStateChangeReturn
gst_ladder_output_change_state (GstElement * element, GstStateChange transition)
{
  GstLadderOutput *self = GST_LADDER_OUTPUT (element);

  if (transition == GST_STATE_CHANGE_READY_TO_PAUSED) {
    GST_OBJECT_LOCK (self);
    self->shutdown = FALSE;
    GST_OBJECT_UNLOCK (self);
    self->delivered = FALSE;
    g_atomic_int_set (&self->reported, 0);
  } else if (transition == GST_STATE_CHANGE_PAUSED_TO_READY) {
    GST_OBJECT_LOCK (self);
    self->shutdown = TRUE;
    GST_OBJECT_UNLOCK (self);
  }
  return GST_ELEMENT_CLASS (parent_class)->change_state (element, transition);
}

/**
 * gst_ladder_output_new:
 * @rendition: the rendition's name
 * @track: "video" or "audio"
 * @expected: (nullable): what the output will carry, for the caps queries
 *   before its first caps
 * @input: (nullable): else, a pad whose upstream's caps the output will
 *   carry (the input of a passthrough output)
 *
 * Returns: (transfer floating): a new output end, named
 *   "output_<track>_<rendition>", with a "sink" and a "src" pad.
 */
GstElement *
gst_ladder_output_new (const gchar * rendition, const gchar * track,
    const GstCaps * expected, GstPad * input)
{
  GstLadderOutput *self;
  GstElementClass *klass;
  gchar *name = g_strdup_printf ("output_%s_%s", track, rendition);

  self = g_object_new (GST_TYPE_LADDER_OUTPUT, "name", name, NULL);
  g_free (name);
  self->rendition = g_strdup (rendition);
  self->track = g_strdup (track);
  self->expected = expected ? gst_caps_copy (expected) : NULL;
  self->input = input ? gst_object_ref (input) : NULL;

  klass = GST_ELEMENT_GET_CLASS (self);
  self->sinkpad = gst_ghost_pad_new_no_target_from_template ("sink",
      gst_element_class_get_pad_template (klass, "sink"));
  gst_pad_set_event_function (self->sinkpad,
      GST_DEBUG_FUNCPTR (gst_ladder_output_sink_event));
  gst_pad_set_query_function (self->sinkpad,
      GST_DEBUG_FUNCPTR (gst_ladder_output_sink_query));
  gst_pad_set_chain_function (self->sinkpad,
      GST_DEBUG_FUNCPTR (gst_ladder_output_sink_chain));
  gst_pad_set_chain_list_function (self->sinkpad,
      GST_DEBUG_FUNCPTR (gst_ladder_output_sink_chain_list));
  gst_element_add_pad (GST_ELEMENT (self), self->sinkpad);

  self->srcpad = gst_ghost_pad_new_no_target_from_template ("src",
      gst_element_class_get_pad_template (klass, "src"));
  gst_pad_set_query_function (self->srcpad,
      GST_DEBUG_FUNCPTR (gst_ladder_output_src_query));
  gst_element_add_pad (GST_ELEMENT (self), self->srcpad);

  return GST_ELEMENT (self);
}
