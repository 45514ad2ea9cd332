/* gst-ladder
 * Copyright (C) 2026 The gst-ladder authors
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2 of the License, or (at your option) any later version.
 */

/**
 * SECTION:laddertranscoder
 * @title: GstLadderTranscoder
 * @short_description: abstract base class of the transcoders of a ladder
 *
 * A #GstLadderTranscoder is a #GstBin with an always "sink" and an always
 * "src" ghost pad (ANY caps) that turns one track of one broadcast into one
 * rendition. The class is the factory: #GstLadderTranscoderClass.name names
 * it, #GstLadderTranscoderClass.accept says which (broadcast, track, caps,
 * rendition) contexts it takes, and gst_ladder_transcoder_new() makes an
 * instance for one context.
 *
 * A subclass implements #GstLadderTranscoderClass.start, which builds the
 * inner graph when the element goes from NULL to READY, and points the
 * ghost pads at it with gst_ladder_transcoder_set_targets(). Elements are
 * made with gst_ladder_transcoder_make_element(), which reports a missing
 * plugin with a missing-element message and
 * %GST_LADDER_ERROR_MISSING_ELEMENT. When start fails, the base class posts
 * an ERROR message carrying the #GError and fails the state change.
 *
 * Properties (all construct-only): #GstLadderTranscoder:rendition,
 * #GstLadderTranscoder:broadcast, #GstLadderTranscoder:track and
 * #GstLadderTranscoder:input-caps. The rendition has a string form, so
 * gst-launch-1.0 can set it: `ladderx264 rendition=480p`.
 *
 * See docs/laddertranscoder.md for writing a subclass.
 */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <gst/pbutils/pbutils.h>

#include "ladder.h"

GST_DEBUG_CATEGORY_STATIC (gst_ladder_transcoder_debug);
#define GST_CAT_DEFAULT gst_ladder_transcoder_debug

enum
{
  PROP_0,
  PROP_RENDITION,
  PROP_BROADCAST,
  PROP_TRACK,
  PROP_INPUT_CAPS,
  PROP_LAST
};

static GParamSpec *properties[PROP_LAST];

static GstStaticPadTemplate sink_template = GST_STATIC_PAD_TEMPLATE ("sink",
    GST_PAD_SINK, GST_PAD_ALWAYS, GST_STATIC_CAPS_ANY);
static GstStaticPadTemplate src_template = GST_STATIC_PAD_TEMPLATE ("src",
    GST_PAD_SRC, GST_PAD_ALWAYS, GST_STATIC_CAPS_ANY);

/* Locking: the object lock protects the fields marked below. It is the
 * only lock of this class and is never held while calling a vfunc, posting
 * a message, changing a state or taking another lock. */
typedef struct
{
  /* protected by the object lock (written at construction and by
   * reconfigure) */
  GstLadderRendition *rendition;
  /* older renditions, kept until finalize so that a pointer returned by
   * get_rendition() stays valid */
  GSList *old_renditions;
  gchar *broadcast;
  gchar *track;
  GstCaps *input_caps;

  /* set at init, never changed */
  GstPad *sinkpad;
  GstPad *srcpad;

  /* only touched from change_state */
  gboolean started;
} GstLadderTranscoderPrivate;

G_DEFINE_ABSTRACT_TYPE_WITH_CODE (GstLadderTranscoder, gst_ladder_transcoder,
    GST_TYPE_BIN, G_ADD_PRIVATE (GstLadderTranscoder)
    GST_DEBUG_CATEGORY_INIT (gst_ladder_transcoder_debug, "laddertranscoder",
        0, "ladder transcoder base class"));

static void gst_ladder_transcoder_constructed (GObject * object);
static void gst_ladder_transcoder_finalize (GObject * object);
static void gst_ladder_transcoder_set_property (GObject * object,
    guint prop_id, const GValue * value, GParamSpec * pspec);
static void gst_ladder_transcoder_get_property (GObject * object,
    guint prop_id, GValue * value, GParamSpec * pspec);
static GstStateChangeReturn gst_ladder_transcoder_change_state (GstElement *
    element, GstStateChange transition);
static void gst_ladder_transcoder_default_stop (GstLadderTranscoder * self);

static void
gst_ladder_transcoder_class_init (GstLadderTranscoderClass * klass)
{
  GObjectClass *gobject_class = G_OBJECT_CLASS (klass);
  GstElementClass *element_class = GST_ELEMENT_CLASS (klass);

  gst_pb_utils_init ();

  gobject_class->constructed = gst_ladder_transcoder_constructed;
  gobject_class->finalize = gst_ladder_transcoder_finalize;
  gobject_class->set_property = gst_ladder_transcoder_set_property;
  gobject_class->get_property = gst_ladder_transcoder_get_property;

  /**
   * GstLadderTranscoder:rendition:
   *
   * The rendition this transcoder makes. From gst-launch-1.0 it takes the
   * rendition string form (`rendition=480p`,
   * `rendition=540p:960x540@1800:fps=30`). Unset, the class's
   * #GstLadderTranscoderClass.default_rendition is used.
   *
   * Since: 0.1
   */
  properties[PROP_RENDITION] = g_param_spec_boxed ("rendition", "Rendition",
      "The rendition to make: a preset (720p, 480p, ...) or a rendition "
      "string such as 540p:960x540@1800:fps=30 (unset: the element's default)",
      GST_TYPE_LADDER_RENDITION,
      G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  /**
   * GstLadderTranscoder:broadcast:
   *
   * The broadcast this transcoder works for ("live/demo"), for messages.
   *
   * Since: 0.1
   */
  properties[PROP_BROADCAST] = g_param_spec_string ("broadcast", "Broadcast",
      "The broadcast this transcoder works for (e.g. live/demo), used in "
      "messages", NULL,
      G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  /**
   * GstLadderTranscoder:track:
   *
   * The track of the broadcast ("video", "audio").
   *
   * Since: 0.1
   */
  properties[PROP_TRACK] = g_param_spec_string ("track", "Track",
      "The track of the broadcast this transcoder works on (e.g. video, "
      "audio)", NULL,
      G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  /**
   * GstLadderTranscoder:input-caps:
   *
   * The caps of the input as the runner saw them, or %NULL when unknown
   * (as from gst-launch-1.0). A subclass may choose its graph from them.
   *
   * Since: 0.1
   */
  properties[PROP_INPUT_CAPS] = g_param_spec_boxed ("input-caps",
      "Input caps", "The caps of the input when known in advance (unset: "
      "decided when data arrives)", GST_TYPE_CAPS,
      G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (gobject_class, PROP_LAST, properties);

  gst_element_class_add_static_pad_template (element_class, &sink_template);
  gst_element_class_add_static_pad_template (element_class, &src_template);

  element_class->change_state =
      GST_DEBUG_FUNCPTR (gst_ladder_transcoder_change_state);

  klass->stop = GST_DEBUG_FUNCPTR (gst_ladder_transcoder_default_stop);

  gst_type_mark_as_plugin_api (GST_TYPE_LADDER_TRANSCODER, 0);
}

static void
gst_ladder_transcoder_init (GstLadderTranscoder * self)
{
  GstLadderTranscoderPrivate *priv =
      gst_ladder_transcoder_get_instance_private (self);
  GstElementClass *element_class = GST_ELEMENT_GET_CLASS (self);

  priv->sinkpad = gst_ghost_pad_new_no_target_from_template ("sink",
      gst_element_class_get_pad_template (element_class, "sink"));
  gst_element_add_pad (GST_ELEMENT (self), priv->sinkpad);

  priv->srcpad = gst_ghost_pad_new_no_target_from_template ("src",
      gst_element_class_get_pad_template (element_class, "src"));
  gst_element_add_pad (GST_ELEMENT (self), priv->srcpad);
}

static void
gst_ladder_transcoder_constructed (GObject * object)
{
  GstLadderTranscoder *self = GST_LADDER_TRANSCODER (object);
  GstLadderTranscoderPrivate *priv =
      gst_ladder_transcoder_get_instance_private (self);
  GstLadderTranscoderClass *klass = GST_LADDER_TRANSCODER_GET_CLASS (self);

  G_OBJECT_CLASS (gst_ladder_transcoder_parent_class)->constructed (object);

  if (priv->rendition == NULL) {
    const gchar *def = klass->default_rendition ? klass->default_rendition :
        GST_LADDER_RENDITION_SOURCE;
    GError *err = NULL;

    priv->rendition = gst_ladder_rendition_from_string (def, &err);
    if (priv->rendition == NULL) {
      /* a bug in the subclass: fall back to the source rendition */
      g_critical ("%s: invalid default rendition: %s",
          G_OBJECT_TYPE_NAME (self), err->message);
      g_clear_error (&err);
      priv->rendition =
          gst_ladder_rendition_new_preset (GST_LADDER_RENDITION_SOURCE, NULL);
    }
  }

  GST_DEBUG_OBJECT (self, "rendition %s, broadcast %s, track %s, caps %"
      GST_PTR_FORMAT, priv->rendition->name, GST_STR_NULL (priv->broadcast),
      GST_STR_NULL (priv->track), priv->input_caps);
}

static void
gst_ladder_transcoder_finalize (GObject * object)
{
  GstLadderTranscoder *self = GST_LADDER_TRANSCODER (object);
  GstLadderTranscoderPrivate *priv =
      gst_ladder_transcoder_get_instance_private (self);

  gst_ladder_rendition_free (priv->rendition);
  g_slist_free_full (priv->old_renditions,
      (GDestroyNotify) gst_ladder_rendition_free);
  g_free (priv->broadcast);
  g_free (priv->track);
  gst_clear_caps (&priv->input_caps);

  G_OBJECT_CLASS (gst_ladder_transcoder_parent_class)->finalize (object);
}

static void
gst_ladder_transcoder_set_property (GObject * object, guint prop_id,
    const GValue * value, GParamSpec * pspec)
{
  GstLadderTranscoder *self = GST_LADDER_TRANSCODER (object);
  GstLadderTranscoderPrivate *priv =
      gst_ladder_transcoder_get_instance_private (self);

  /* construct-only: no other thread can see the object yet */
  switch (prop_id) {
    case PROP_RENDITION:{
      const GstLadderRendition *r = g_value_get_boxed (value);
      GError *err = NULL;

      if (r && !gst_ladder_rendition_validate (r, &err)) {
        g_warning ("%s: ignoring an invalid rendition: %s",
            G_OBJECT_TYPE_NAME (self), err->message);
        g_clear_error (&err);
        break;
      }
      gst_ladder_rendition_free (priv->rendition);
      priv->rendition = r ? gst_ladder_rendition_copy (r) : NULL;
      break;
    }
    case PROP_BROADCAST:
      g_free (priv->broadcast);
      priv->broadcast = g_value_dup_string (value);
      break;
    case PROP_TRACK:
      g_free (priv->track);
      priv->track = g_value_dup_string (value);
      break;
    case PROP_INPUT_CAPS:
      gst_caps_replace (&priv->input_caps, g_value_get_boxed (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      break;
  }
}

static void
gst_ladder_transcoder_get_property (GObject * object, guint prop_id,
    GValue * value, GParamSpec * pspec)
{
  GstLadderTranscoder *self = GST_LADDER_TRANSCODER (object);
  GstLadderTranscoderPrivate *priv =
      gst_ladder_transcoder_get_instance_private (self);

  GST_OBJECT_LOCK (self);
  switch (prop_id) {
    case PROP_RENDITION:
      g_value_set_boxed (value, priv->rendition);
      break;
    case PROP_BROADCAST:
      g_value_set_string (value, priv->broadcast);
      break;
    case PROP_TRACK:
      g_value_set_string (value, priv->track);
      break;
    case PROP_INPUT_CAPS:
      g_value_set_boxed (value, priv->input_caps);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      break;
  }
  GST_OBJECT_UNLOCK (self);
}

static void
gst_ladder_transcoder_default_stop (GstLadderTranscoder * self)
{
  GstBin *bin = GST_BIN (self);

  gst_ladder_transcoder_set_targets (self, NULL, NULL);

  for (;;) {
    GstElement *child;

    GST_OBJECT_LOCK (bin);
    child = bin->children ? gst_object_ref (bin->children->data) : NULL;
    GST_OBJECT_UNLOCK (bin);
    if (child == NULL)
      break;

    gst_element_set_state (child, GST_STATE_NULL);
    gst_bin_remove (bin, child);
    gst_object_unref (child);
  }
}

static gboolean
gst_ladder_transcoder_start (GstLadderTranscoder * self)
{
  GstLadderTranscoderClass *klass = GST_LADDER_TRANSCODER_GET_CLASS (self);
  GstLadderTranscoderPrivate *priv =
      gst_ladder_transcoder_get_instance_private (self);
  GError *err = NULL;
  gchar *debug;

  if (klass->start == NULL) {
    g_set_error (&err, GST_LADDER_ERROR, GST_LADDER_ERROR_FAILED,
        "The transcoder %s does not implement start()",
        G_OBJECT_TYPE_NAME (self));
  } else if (klass->start (self, &err)) {
    priv->started = TRUE;
    return TRUE;
  } else if (err == NULL) {
    g_set_error (&err, GST_LADDER_ERROR, GST_LADDER_ERROR_FAILED,
        "The %s transcoder failed to start",
        klass->name ? klass->name : G_OBJECT_TYPE_NAME (self));
  }

  GST_WARNING_OBJECT (self, "start failed: %s", err->message);

  /* undo what was built before the failure */
  if (klass->stop)
    klass->stop (self);

  debug = g_strdup_printf ("%s transcoder, rendition %s, broadcast %s, "
      "track %s: start failed (%s, %d)",
      klass->name ? klass->name : G_OBJECT_TYPE_NAME (self),
      priv->rendition->name, GST_STR_NULL (priv->broadcast),
      GST_STR_NULL (priv->track), g_quark_to_string (err->domain), err->code);
  /* takes the text and debug strings */
  gst_element_message_full (GST_ELEMENT (self), GST_MESSAGE_ERROR,
      err->domain, err->code, g_strdup (err->message), debug, __FILE__,
      GST_FUNCTION, __LINE__);
  g_clear_error (&err);

  return FALSE;
}

static GstStateChangeReturn
gst_ladder_transcoder_change_state (GstElement * element,
    GstStateChange transition)
{
  GstLadderTranscoder *self = GST_LADDER_TRANSCODER (element);
  GstLadderTranscoderClass *klass = GST_LADDER_TRANSCODER_GET_CLASS (self);
  GstLadderTranscoderPrivate *priv =
      gst_ladder_transcoder_get_instance_private (self);
  GstStateChangeReturn ret;

  switch (transition) {
    case GST_STATE_CHANGE_NULL_TO_READY:
      if (!gst_ladder_transcoder_start (self))
        return GST_STATE_CHANGE_FAILURE;
      break;
    default:
      break;
  }

  ret = GST_ELEMENT_CLASS (gst_ladder_transcoder_parent_class)->change_state
      (element, transition);

  switch (transition) {
    case GST_STATE_CHANGE_NULL_TO_READY:
      if (ret == GST_STATE_CHANGE_FAILURE && priv->started) {
        /* a child failed: leave a clean NULL state behind */
        if (klass->stop)
          klass->stop (self);
        priv->started = FALSE;
      }
      break;
    case GST_STATE_CHANGE_READY_TO_NULL:
      if (priv->started) {
        if (klass->stop)
          klass->stop (self);
        priv->started = FALSE;
      }
      break;
    default:
      break;
  }

  return ret;
}

/**
 * gst_ladder_transcoder_new:
 * @transcoder_type: a concrete subclass of #GstLadderTranscoder
 * @rendition: (nullable): the rendition to make, %NULL for the class's
 *   default
 * @broadcast: (nullable): the broadcast ("live/demo")
 * @track: (nullable): the track ("video", "audio")
 * @caps: (nullable): the input caps when known
 * @error: return location for a #GError, or %NULL
 *
 * Makes a transcoder for one context, after asking the class whether it
 * accepts it (gst_ladder_transcoder_type_accepts()).
 *
 * Returns: (transfer floating) (nullable): the transcoder, or %NULL with
 *   @error set: %GST_LADDER_ERROR_REFUSED when @transcoder_type is not a
 *   concrete #GstLadderTranscoder subclass or does not accept the context,
 *   %GST_LADDER_ERROR_INVALID_RENDITION (or _INVALID_NAME) for an invalid
 *   @rendition.
 *
 * Since: 0.1
 */
GstElement *
gst_ladder_transcoder_new (GType transcoder_type,
    const GstLadderRendition * rendition, const gchar * broadcast,
    const gchar * track, const GstCaps * caps, GError ** error)
{
  GstLadderTranscoderClass *klass;
  GstLadderRendition *def = NULL;
  GstElement *element;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!g_type_is_a (transcoder_type, GST_TYPE_LADDER_TRANSCODER)
      || G_TYPE_IS_ABSTRACT (transcoder_type)) {
    g_set_error (error, GST_LADDER_ERROR, GST_LADDER_ERROR_REFUSED,
        "%s is not a concrete GstLadderTranscoder subclass",
        transcoder_type ? g_type_name (transcoder_type) : "(invalid type)");
    return NULL;
  }

  if (rendition && !gst_ladder_rendition_validate (rendition, error))
    return NULL;

  klass = g_type_class_ref (transcoder_type);
  if (rendition == NULL) {
    def = gst_ladder_rendition_from_string (klass->default_rendition ?
        klass->default_rendition : GST_LADDER_RENDITION_SOURCE, error);
    if (def == NULL) {
      g_type_class_unref (klass);
      return NULL;
    }
  }

  if (klass->accept && !klass->accept (klass, broadcast, track, caps,
          rendition ? rendition : def)) {
    g_set_error (error, GST_LADDER_ERROR, GST_LADDER_ERROR_REFUSED,
        "The %s transcoder does not accept rendition %s of track %s of "
        "broadcast %s", klass->name ? klass->name :
        g_type_name (transcoder_type), rendition ? rendition->name : def->name,
        GST_STR_NULL (track), GST_STR_NULL (broadcast));
    gst_ladder_rendition_free (def);
    g_type_class_unref (klass);
    return NULL;
  }
  g_type_class_unref (klass);

  element = g_object_new (transcoder_type, "rendition",
      rendition ? rendition : def, "broadcast", broadcast, "track", track,
      "input-caps", caps, NULL);
  gst_ladder_rendition_free (def);

  return element;
}

/**
 * gst_ladder_transcoder_type_scaled_size:
 * @transcoder_type: a #GstLadderTranscoder subclass
 * @rendition: the rendition
 * @caps: raw video caps, fixed
 * @width: (out): the width it makes
 * @height: (out): the height it makes
 *
 * The picture size an instance of @transcoder_type makes of @rendition
 * from @caps (#GstLadderTranscoderClass.scaled_size).
 *
 * Returns: %FALSE when the class does not say (it takes the source as it
 *   is), or for caps without a size
 *
 * Since: 0.1
 */
gboolean
gst_ladder_transcoder_type_scaled_size (GType transcoder_type,
    const GstLadderRendition * rendition, const GstCaps * caps, gint * width,
    gint * height)
{
  GstLadderTranscoderClass *klass;
  gboolean ret = FALSE;

  g_return_val_if_fail (rendition != NULL, FALSE);
  g_return_val_if_fail (width != NULL && height != NULL, FALSE);

  if (!g_type_is_a (transcoder_type, GST_TYPE_LADDER_TRANSCODER)
      || G_TYPE_IS_ABSTRACT (transcoder_type) || caps == NULL
      || !gst_caps_is_fixed (caps))
    return FALSE;
  klass = g_type_class_ref (transcoder_type);
  if (klass->scaled_size)
    ret = klass->scaled_size (klass, rendition, caps, width, height)
        && *width > 0 && *height > 0;
  g_type_class_unref (klass);
  return ret;
}

/**
 * gst_ladder_transcoder_type_accepts:
 * @transcoder_type: a #GstLadderTranscoder subclass
 * @broadcast: (nullable): the broadcast
 * @track: (nullable): the track
 * @caps: (nullable): the input caps, %NULL when not known yet
 * @rendition: (nullable): the rendition, %NULL for the class's default
 *
 * Asks the class whether it would make a rung for a context, without
 * making one. Callable from any thread.
 *
 * Returns: %TRUE if @transcoder_type is a concrete #GstLadderTranscoder
 *   subclass that accepts the context.
 *
 * Since: 0.1
 */
gboolean
gst_ladder_transcoder_type_accepts (GType transcoder_type,
    const gchar * broadcast, const gchar * track, const GstCaps * caps,
    const GstLadderRendition * rendition)
{
  GstLadderTranscoderClass *klass;
  GstLadderRendition *def = NULL;
  gboolean ret = TRUE;

  if (!g_type_is_a (transcoder_type, GST_TYPE_LADDER_TRANSCODER)
      || G_TYPE_IS_ABSTRACT (transcoder_type))
    return FALSE;

  klass = g_type_class_ref (transcoder_type);
  if (rendition == NULL) {
    def = gst_ladder_rendition_from_string (klass->default_rendition ?
        klass->default_rendition : GST_LADDER_RENDITION_SOURCE, NULL);
    rendition = def;
  }
  if (rendition == NULL)
    ret = FALSE;
  else if (klass->accept)
    ret = klass->accept (klass, broadcast, track, caps, rendition);
  gst_ladder_rendition_free (def);
  g_type_class_unref (klass);

  return ret;
}

/**
 * gst_ladder_transcoder_type_get_name:
 * @transcoder_type: a #GstLadderTranscoder subclass
 *
 * Returns: (nullable): the class's #GstLadderTranscoderClass.name, or
 *   %NULL if @transcoder_type is not a #GstLadderTranscoder.
 *
 * Since: 0.1
 */
const gchar *
gst_ladder_transcoder_type_get_name (GType transcoder_type)
{
  GstLadderTranscoderClass *klass;
  const gchar *name;

  if (!g_type_is_a (transcoder_type, GST_TYPE_LADDER_TRANSCODER))
    return NULL;

  /* class data lives as long as the type: the name outlives the ref */
  klass = g_type_class_ref (transcoder_type);
  name = klass->name;
  g_type_class_unref (klass);
  return name;
}

/**
 * gst_ladder_transcoder_get_rendition:
 * @self: a #GstLadderTranscoder
 *
 * Returns: (transfer none): the rendition. The pointer stays valid for the
 *   life of @self, but after gst_ladder_transcoder_reconfigure() it no
 *   longer is the current one; use gst_ladder_transcoder_dup_rendition() from
 *   threads that may race with a reconfigure.
 *
 * Since: 0.1
 */
const GstLadderRendition *
gst_ladder_transcoder_get_rendition (GstLadderTranscoder * self)
{
  GstLadderTranscoderPrivate *priv;
  const GstLadderRendition *r;

  g_return_val_if_fail (GST_IS_LADDER_TRANSCODER (self), NULL);
  priv = gst_ladder_transcoder_get_instance_private (self);

  GST_OBJECT_LOCK (self);
  r = priv->rendition;
  GST_OBJECT_UNLOCK (self);
  return r;
}

/**
 * gst_ladder_transcoder_dup_rendition:
 * @self: a #GstLadderTranscoder
 *
 * Returns: (transfer full): a copy of the current rendition.
 *
 * Since: 0.1
 */
GstLadderRendition *
gst_ladder_transcoder_dup_rendition (GstLadderTranscoder * self)
{
  GstLadderTranscoderPrivate *priv;
  GstLadderRendition *r;

  g_return_val_if_fail (GST_IS_LADDER_TRANSCODER (self), NULL);
  priv = gst_ladder_transcoder_get_instance_private (self);

  GST_OBJECT_LOCK (self);
  r = gst_ladder_rendition_copy (priv->rendition);
  GST_OBJECT_UNLOCK (self);
  return r;
}

/**
 * gst_ladder_transcoder_get_broadcast:
 * @self: a #GstLadderTranscoder
 *
 * Returns: (transfer none) (nullable): the broadcast, set at construction.
 *
 * Since: 0.1
 */
const gchar *
gst_ladder_transcoder_get_broadcast (GstLadderTranscoder * self)
{
  GstLadderTranscoderPrivate *priv;

  g_return_val_if_fail (GST_IS_LADDER_TRANSCODER (self), NULL);
  priv = gst_ladder_transcoder_get_instance_private (self);
  return priv->broadcast;
}

/**
 * gst_ladder_transcoder_get_track:
 * @self: a #GstLadderTranscoder
 *
 * Returns: (transfer none) (nullable): the track, set at construction.
 *
 * Since: 0.1
 */
const gchar *
gst_ladder_transcoder_get_track (GstLadderTranscoder * self)
{
  GstLadderTranscoderPrivate *priv;

  g_return_val_if_fail (GST_IS_LADDER_TRANSCODER (self), NULL);
  priv = gst_ladder_transcoder_get_instance_private (self);
  return priv->track;
}

/**
 * gst_ladder_transcoder_get_input_caps:
 * @self: a #GstLadderTranscoder
 *
 * Returns: (transfer full) (nullable): the input caps given at
 *   construction, or %NULL when unknown.
 *
 * Since: 0.1
 */
GstCaps *
gst_ladder_transcoder_get_input_caps (GstLadderTranscoder * self)
{
  GstLadderTranscoderPrivate *priv;
  GstCaps *caps;

  g_return_val_if_fail (GST_IS_LADDER_TRANSCODER (self), NULL);
  priv = gst_ladder_transcoder_get_instance_private (self);

  GST_OBJECT_LOCK (self);
  caps = priv->input_caps ? gst_caps_ref (priv->input_caps) : NULL;
  GST_OBJECT_UNLOCK (self);
  return caps;
}

/**
 * gst_ladder_transcoder_set_targets:
 * @self: a #GstLadderTranscoder
 * @sink_target: (nullable): the pad of a child the "sink" ghost pad feeds,
 *   %NULL to clear
 * @src_target: (nullable): the pad of a child the "src" ghost pad exposes,
 *   %NULL to clear
 *
 * Points the ghost pads of @self at the inner graph. Call it from
 * #GstLadderTranscoderClass.start.
 *
 * Returns: %TRUE if both targets were set.
 *
 * Since: 0.1
 */
gboolean
gst_ladder_transcoder_set_targets (GstLadderTranscoder * self,
    GstPad * sink_target, GstPad * src_target)
{
  GstLadderTranscoderPrivate *priv;
  gboolean ret = TRUE;

  g_return_val_if_fail (GST_IS_LADDER_TRANSCODER (self), FALSE);
  priv = gst_ladder_transcoder_get_instance_private (self);

  if (!gst_ghost_pad_set_target (GST_GHOST_PAD (priv->sinkpad), sink_target)) {
    GST_WARNING_OBJECT (self, "could not target the sink pad at %"
        GST_PTR_FORMAT, sink_target);
    ret = FALSE;
  }
  if (!gst_ghost_pad_set_target (GST_GHOST_PAD (priv->srcpad), src_target)) {
    GST_WARNING_OBJECT (self, "could not target the src pad at %"
        GST_PTR_FORMAT, src_target);
    ret = FALSE;
  }
  return ret;
}

/**
 * gst_ladder_transcoder_set_src_target:
 * @self: a #GstLadderTranscoder
 * @src_target: (nullable): the inner pad the src ghost pad forwards from,
 *   or %NULL to clear it
 *
 * Points the src ghost pad alone at @src_target: for a transcoder whose
 * output pad appears only once data flows (a decoder's), which leaves it
 * %NULL in gst_ladder_transcoder_set_targets() from @start and sets it
 * here from the streaming thread that exposes the pad.
 *
 * Returns: %TRUE on success.
 *
 * Since: 0.1
 */
gboolean
gst_ladder_transcoder_set_src_target (GstLadderTranscoder * self,
    GstPad * src_target)
{
  GstLadderTranscoderPrivate *priv;

  g_return_val_if_fail (GST_IS_LADDER_TRANSCODER (self), FALSE);
  priv = gst_ladder_transcoder_get_instance_private (self);

  if (!gst_ghost_pad_set_target (GST_GHOST_PAD (priv->srcpad), src_target)) {
    GST_WARNING_OBJECT (self, "could not target the src pad at %"
        GST_PTR_FORMAT, src_target);
    return FALSE;
  }
  return TRUE;
}

/**
 * gst_ladder_transcoder_missing_element:
 * @self: a #GstLadderTranscoder
 * @factory_name: the factory name of the missing element
 * @error: return location for a #GError, or %NULL
 *
 * Reports a missing element: posts a missing-element message (see
 * gst_missing_element_message_new()), so that an application can offer to
 * install it, and sets @error to %GST_LADDER_ERROR_MISSING_ELEMENT.
 *
 * Since: 0.1
 */
void
gst_ladder_transcoder_missing_element (GstLadderTranscoder * self,
    const gchar * factory_name, GError ** error)
{
  GstLadderTranscoderClass *klass;
  GstMessage *msg;

  g_return_if_fail (GST_IS_LADDER_TRANSCODER (self));
  g_return_if_fail (factory_name != NULL);

  klass = GST_LADDER_TRANSCODER_GET_CLASS (self);
  GST_WARNING_OBJECT (self, "missing element %s", factory_name);

  msg = gst_missing_element_message_new (GST_ELEMENT (self), factory_name);
  if (msg)
    gst_element_post_message (GST_ELEMENT (self), msg);

  g_set_error (error, GST_LADDER_ERROR, GST_LADDER_ERROR_MISSING_ELEMENT,
      "The %s transcoder needs the GStreamer element \"%s\", which is not "
      "installed", klass->name ? klass->name : G_OBJECT_TYPE_NAME (self),
      factory_name);
}

/**
 * gst_ladder_transcoder_make_element:
 * @self: a #GstLadderTranscoder
 * @factory_name: the factory to make the element from
 * @name: (nullable): the element name, %NULL for a unique one
 * @error: return location for a #GError, or %NULL
 *
 * Makes an element for the inner graph. When the factory does not exist,
 * reports it with gst_ladder_transcoder_missing_element().
 *
 * Returns: (transfer floating) (nullable): the element, or %NULL with
 *   @error set to %GST_LADDER_ERROR_MISSING_ELEMENT.
 *
 * Since: 0.1
 */
GstElement *
gst_ladder_transcoder_make_element (GstLadderTranscoder * self,
    const gchar * factory_name, const gchar * name, GError ** error)
{
  GstElement *element;

  g_return_val_if_fail (GST_IS_LADDER_TRANSCODER (self), NULL);
  g_return_val_if_fail (factory_name != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  element = gst_element_factory_make (factory_name, name);
  if (element == NULL)
    gst_ladder_transcoder_missing_element (self, factory_name, error);

  return element;
}

/**
 * gst_ladder_transcoder_reconfigure:
 * @self: a #GstLadderTranscoder
 * @rendition: the edited rendition
 * @error: return location for a #GError, or %NULL
 *
 * Applies an edited rendition in place through
 * #GstLadderTranscoderClass.reconfigure. Call it from an application
 * thread, never from a streaming thread.
 *
 * Returns: %TRUE if the transcoder now makes @rendition; %FALSE with @error
 *   set when it cannot (%GST_LADDER_ERROR_REFUSED when the class has no
 *   reconfigure or refuses the edit): the caller then recreates the rung.
 *
 * Since: 0.1
 */
gboolean
gst_ladder_transcoder_reconfigure (GstLadderTranscoder * self,
    const GstLadderRendition * rendition, GError ** error)
{
  GstLadderTranscoderClass *klass;
  GstLadderTranscoderPrivate *priv;

  g_return_val_if_fail (GST_IS_LADDER_TRANSCODER (self), FALSE);
  g_return_val_if_fail (rendition != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  klass = GST_LADDER_TRANSCODER_GET_CLASS (self);
  priv = gst_ladder_transcoder_get_instance_private (self);

  if (!gst_ladder_rendition_validate (rendition, error))
    return FALSE;

  if (klass->reconfigure == NULL) {
    g_set_error (error, GST_LADDER_ERROR, GST_LADDER_ERROR_REFUSED,
        "The %s transcoder cannot change its rendition in place",
        klass->name ? klass->name : G_OBJECT_TYPE_NAME (self));
    return FALSE;
  }

  if (!klass->reconfigure (self, rendition, error)) {
    if (error && *error == NULL)
      g_set_error (error, GST_LADDER_ERROR, GST_LADDER_ERROR_REFUSED,
          "The %s transcoder cannot change rendition %s in place",
          klass->name ? klass->name : G_OBJECT_TYPE_NAME (self),
          rendition->name);
    return FALSE;
  }

  GST_OBJECT_LOCK (self);
  priv->old_renditions = g_slist_prepend (priv->old_renditions,
      priv->rendition);
  priv->rendition = gst_ladder_rendition_copy (rendition);
  GST_OBJECT_UNLOCK (self);

  return TRUE;
}

static const gchar *
caps_media_type (const GstCaps * caps)
{
  if (caps == NULL || gst_caps_is_any (caps) || gst_caps_is_empty (caps))
    return NULL;
  return gst_structure_get_name (gst_caps_get_structure (caps, 0));
}

/**
 * gst_ladder_track_is_audio:
 * @track: (nullable): a track name
 * @caps: (nullable): the track's caps
 *
 * Says whether a track carries audio: from the media type of @caps when
 * known (`audio/...`), else from the track name (starting with "audio").
 * For #GstLadderTranscoderClass.accept implementations.
 *
 * Returns: %TRUE for an audio track.
 *
 * Since: 0.1
 */
gboolean
gst_ladder_track_is_audio (const gchar * track, const GstCaps * caps)
{
  const gchar *media = caps_media_type (caps);

  if (media)
    return g_str_has_prefix (media, "audio/");
  return track != NULL && g_str_has_prefix (track, "audio");
}

/**
 * gst_ladder_track_is_video:
 * @track: (nullable): a track name
 * @caps: (nullable): the track's caps
 *
 * Says whether a track carries video: from the media type of @caps when
 * known (`video/...` or `image/...`), else from the track name (starting
 * with "video").
 *
 * Returns: %TRUE for a video track.
 *
 * Since: 0.1
 */
gboolean
gst_ladder_track_is_video (const gchar * track, const GstCaps * caps)
{
  const gchar *media = caps_media_type (caps);

  if (media)
    return g_str_has_prefix (media, "video/")
        || g_str_has_prefix (media, "image/");
  return track != NULL && g_str_has_prefix (track, "video");
}
