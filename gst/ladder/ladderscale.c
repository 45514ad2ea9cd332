/* gst-ladder
 * Copyright (C) 2026 The gst-ladder authors
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2 of the License, or (at your option) any later version.
 */

/**
 * SECTION:element-ladderscale
 * @title: ladderscale
 *
 * Scales planar 8-bit video (I420, YV12, Y42B, Y444, GRAY8) up or down
 * with a Lanczos-3 or bicubic polyphase filter, keeping the format, the
 * colorimetry and the framerate. It is built for ABR
 * ladders, where one decoded source feeds several scaled renditions: a
 * vertical-first fixed-point kernel with AVX2 code chosen at run time
 * (docs/ladderscale.md has the design and the measurements).
 *
 * Caps: any output size; when downstream fixes only one dimension, the
 * other keeps the display aspect ratio at the input pixel-aspect-ratio;
 * when downstream fixes both and the display aspect ratio would change,
 * the pixel-aspect-ratio is adjusted instead (no borders are ever added).
 * Equal sizes make the element passthrough. Interlaced input is refused.
 *
 * Chroma planes are scaled with their siting: co-sited ("mpeg2", as
 * H.264 streams usually are) or centred ("jpeg"), from the caps, or always
 * centred with #GstLadderScale:chroma-siting=centre. The output keeps the
 * input's chroma-site unless downstream asks for another one: the chroma
 * samples are then moved to the new siting while scaling (or at 1:1), and
 * the output caps say so, so that an encoder can signal it.
 *
 * ## Example launch line
 * |[
 * gst-launch-1.0 videotestsrc num-buffers=60 ! video/x-raw,width=1920,height=1080 ! ladderscale ! video/x-raw,width=640,height=360 ! fakesink
 * ]|
 *
 * Since: 0.1
 */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "ladder.h"
#include "ladderscaler-private.h"

GST_DEBUG_CATEGORY_STATIC (gst_ladder_scale_debug);
#define GST_CAT_DEFAULT gst_ladder_scale_debug

#define DEFAULT_METHOD GST_LADDER_SCALE_METHOD_LANCZOS
#define DEFAULT_CHROMA_SITING GST_LADDER_SCALE_CHROMA_SITING_AUTO

enum
{
  PROP_0,
  PROP_METHOD,
  PROP_CHROMA_SITING,
  PROP_SIMD,
  PROP_LAST
};

static GParamSpec *properties[PROP_LAST];

#define SCALE_CAPS GST_VIDEO_CAPS_MAKE ("{ I420, YV12, Y42B, Y444, GRAY8 }")

static GstStaticPadTemplate sink_template = GST_STATIC_PAD_TEMPLATE ("sink",
    GST_PAD_SINK, GST_PAD_ALWAYS, GST_STATIC_CAPS (SCALE_CAPS));

static GstStaticPadTemplate src_template = GST_STATIC_PAD_TEMPLATE ("src",
    GST_PAD_SRC, GST_PAD_ALWAYS, GST_STATIC_CAPS (SCALE_CAPS));

/* Locking: the object lock protects the two properties; it is held only
 * to read or write them. The scalers are built and used by the streaming
 * thread only (set_info and transform_frame), which rebuilds them when it
 * sees that a property changed. */
struct _GstLadderScale
{
  GstVideoFilter parent;

  /* protected by the object lock */
  GstLadderScaleMethod method;
  GstLadderScaleChromaSiting chroma_siting;

  /* streaming thread only */
  GstVideoChromaSite chroma_site;       /* of the input caps */
  GstVideoChromaSite out_chroma_site;   /* of the output caps */
  LadderScaler *scalers[GST_VIDEO_MAX_PLANES];
  gboolean have_scalers;
  GstLadderScaleMethod scalers_method;
  GstLadderScaleChromaSiting scalers_siting;
};

G_DEFINE_TYPE_WITH_CODE (GstLadderScale, gst_ladder_scale,
    GST_TYPE_VIDEO_FILTER,
    GST_DEBUG_CATEGORY_INIT (gst_ladder_scale_debug, "ladderscale", 0,
        "Planar 8-bit Lanczos/bicubic video scaler"));

GST_ELEMENT_REGISTER_DEFINE (ladderscale, "ladderscale", GST_RANK_NONE,
    GST_TYPE_LADDER_SCALE);

static void gst_ladder_scale_finalize (GObject * object);
static void gst_ladder_scale_set_property (GObject * object, guint prop_id,
    const GValue * value, GParamSpec * pspec);
static void gst_ladder_scale_get_property (GObject * object, guint prop_id,
    GValue * value, GParamSpec * pspec);
static gboolean gst_ladder_scale_stop (GstBaseTransform * trans);
static GstCaps *gst_ladder_scale_transform_caps (GstBaseTransform * trans,
    GstPadDirection direction, GstCaps * caps, GstCaps * filter);
static GstCaps *gst_ladder_scale_fixate_caps (GstBaseTransform * trans,
    GstPadDirection direction, GstCaps * caps, GstCaps * othercaps);
static gboolean gst_ladder_scale_propose_allocation (GstBaseTransform *
    trans, GstQuery * decide_query, GstQuery * query);
static gboolean gst_ladder_scale_set_info (GstVideoFilter * filter,
    GstCaps * incaps, GstVideoInfo * in_info, GstCaps * outcaps,
    GstVideoInfo * out_info);
static GstFlowReturn gst_ladder_scale_transform_frame (GstVideoFilter *
    filter, GstVideoFrame * in_frame, GstVideoFrame * out_frame);

static void
gst_ladder_scale_class_init (GstLadderScaleClass * klass)
{
  GObjectClass *gobject_class = G_OBJECT_CLASS (klass);
  GstElementClass *element_class = GST_ELEMENT_CLASS (klass);
  GstBaseTransformClass *trans_class = GST_BASE_TRANSFORM_CLASS (klass);
  GstVideoFilterClass *filter_class = GST_VIDEO_FILTER_CLASS (klass);

  gobject_class->finalize = gst_ladder_scale_finalize;
  gobject_class->set_property = gst_ladder_scale_set_property;
  gobject_class->get_property = gst_ladder_scale_get_property;

  /**
   * GstLadderScale:method:
   *
   * The filter. Can be changed while playing; it applies from the next
   * frame.
   *
   * Since: 0.1
   */
  properties[PROP_METHOD] = g_param_spec_enum ("method", "Method",
      "Scaling filter: lanczos (3 lobes, sharpest) or bicubic (B=0, C=0.6, "
      "about 2/3 of the cost)", GST_TYPE_LADDER_SCALE_METHOD, DEFAULT_METHOD,
      G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | GST_PARAM_MUTABLE_PLAYING);

  /**
   * GstLadderScale:chroma-siting:
   *
   * Where the chroma samples of subsampled planes sit: from the caps'
   * chroma-site (auto), or always centred (centre, FFmpeg's default).
   * Can be changed while playing.
   *
   * Since: 0.1
   */
  properties[PROP_CHROMA_SITING] = g_param_spec_enum ("chroma-siting",
      "Chroma siting", "Siting of subsampled chroma: auto follows the caps' "
      "chroma-site (co-sited mpeg2 or centred jpeg), centre always assumes "
      "centred samples as FFmpeg does", GST_TYPE_LADDER_SCALE_CHROMA_SITING,
      DEFAULT_CHROMA_SITING, G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS |
      GST_PARAM_MUTABLE_PLAYING);

  /**
   * GstLadderScale:simd:
   *
   * The kernels the scaler runs on this machine: `avx512`, `avx2` or `c`,
   * the best the CPU has, or a lower one asked for with the environment
   * variable `LADDER_SCALER_SIMD` (read when the caps are set). For
   * benchmarks and bug reports.
   *
   * Since: 0.1
   */
  properties[PROP_SIMD] = g_param_spec_string ("simd", "SIMD path",
      "The kernels the scaler runs here: avx512, avx2, sse2 or c (the best the "
      "CPU has, or LADDER_SCALER_SIMD)", NULL,
      G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (gobject_class, PROP_LAST, properties);

  gst_element_class_add_static_pad_template (element_class, &sink_template);
  gst_element_class_add_static_pad_template (element_class, &src_template);
  gst_element_class_set_static_metadata (element_class, "Ladder video scaler",
      "Filter/Converter/Video/Scaler",
      "Scales planar 8-bit video with a vectorised Lanczos or bicubic filter, "
      "keeping the display aspect ratio", "The gst-ladder authors");

  trans_class->stop = GST_DEBUG_FUNCPTR (gst_ladder_scale_stop);
  trans_class->transform_caps =
      GST_DEBUG_FUNCPTR (gst_ladder_scale_transform_caps);
  trans_class->fixate_caps = GST_DEBUG_FUNCPTR (gst_ladder_scale_fixate_caps);
  trans_class->propose_allocation =
      GST_DEBUG_FUNCPTR (gst_ladder_scale_propose_allocation);
  filter_class->set_info = GST_DEBUG_FUNCPTR (gst_ladder_scale_set_info);
  filter_class->transform_frame =
      GST_DEBUG_FUNCPTR (gst_ladder_scale_transform_frame);

  gst_type_mark_as_plugin_api (GST_TYPE_LADDER_SCALE_METHOD, 0);
  gst_type_mark_as_plugin_api (GST_TYPE_LADDER_SCALE_CHROMA_SITING, 0);
}

static void
gst_ladder_scale_init (GstLadderScale * self)
{
  self->method = DEFAULT_METHOD;
  self->chroma_siting = DEFAULT_CHROMA_SITING;
}

static void
gst_ladder_scale_free_scalers (GstLadderScale * self)
{
  guint i;

  for (i = 0; i < GST_VIDEO_MAX_PLANES; i++)
    g_clear_pointer (&self->scalers[i], ladder_scaler_free);
  self->have_scalers = FALSE;
}

static void
gst_ladder_scale_finalize (GObject * object)
{
  gst_ladder_scale_free_scalers (GST_LADDER_SCALE (object));

  G_OBJECT_CLASS (gst_ladder_scale_parent_class)->finalize (object);
}

static void
gst_ladder_scale_set_property (GObject * object, guint prop_id,
    const GValue * value, GParamSpec * pspec)
{
  GstLadderScale *self = GST_LADDER_SCALE (object);

  switch (prop_id) {
    case PROP_METHOD:
      GST_OBJECT_LOCK (self);
      self->method = g_value_get_enum (value);
      GST_OBJECT_UNLOCK (self);
      break;
    case PROP_CHROMA_SITING:
      GST_OBJECT_LOCK (self);
      self->chroma_siting = g_value_get_enum (value);
      GST_OBJECT_UNLOCK (self);
      /* whether a new siting at 1:1 is a passthrough depends on it */
      gst_base_transform_reconfigure_src (GST_BASE_TRANSFORM (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      break;
  }
}

static void
gst_ladder_scale_get_property (GObject * object, guint prop_id,
    GValue * value, GParamSpec * pspec)
{
  GstLadderScale *self = GST_LADDER_SCALE (object);

  switch (prop_id) {
    case PROP_METHOD:
      GST_OBJECT_LOCK (self);
      g_value_set_enum (value, self->method);
      GST_OBJECT_UNLOCK (self);
      break;
    case PROP_CHROMA_SITING:
      GST_OBJECT_LOCK (self);
      g_value_set_enum (value, self->chroma_siting);
      GST_OBJECT_UNLOCK (self);
      break;
    case PROP_SIMD:
      g_value_set_string (value,
          ladder_scaler_path_name (ladder_scaler_choose_path ()));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      break;
  }
}

static gboolean
gst_ladder_scale_stop (GstBaseTransform * trans)
{
  gst_ladder_scale_free_scalers (GST_LADDER_SCALE (trans));
  return TRUE;
}

/* Any size, pixel-aspect-ratio and chroma-site on the other side;
 * everything else (format, colorimetry, framerate, interlace-mode) stays. */
static GstCaps *
gst_ladder_scale_transform_caps (GstBaseTransform * trans,
    GstPadDirection direction, GstCaps * caps, GstCaps * filter)
{
  GstCaps *ret = gst_caps_new_empty ();
  guint i, n = gst_caps_get_size (caps);

  for (i = 0; i < n; i++) {
    GstStructure *s = gst_caps_get_structure (caps, i);
    GstCapsFeatures *f = gst_caps_get_features (caps, i);

    /* only system memory: the kernel reads and writes mapped planes */
    if (i > 0 && gst_caps_is_subset_structure_full (ret, s, f))
      continue;

    s = gst_structure_copy (s);
    if (!gst_caps_features_is_any (f) &&
        gst_caps_features_is_equal (f,
            GST_CAPS_FEATURES_MEMORY_SYSTEM_MEMORY)) {
      gst_structure_set (s, "width", GST_TYPE_INT_RANGE, 1, G_MAXINT, "height",
          GST_TYPE_INT_RANGE, 1, G_MAXINT, NULL);
      if (gst_structure_has_field (s, "pixel-aspect-ratio"))
        gst_structure_set (s, "pixel-aspect-ratio", GST_TYPE_FRACTION_RANGE,
            1, G_MAXINT, G_MAXINT, 1, NULL);
      gst_structure_remove_field (s, "chroma-site");
    }
    gst_caps_append_structure_full (ret, s, gst_caps_features_copy (f));
  }

  if (filter) {
    GstCaps *tmp =
        gst_caps_intersect_full (filter, ret, GST_CAPS_INTERSECT_FIRST);

    gst_caps_unref (ret);
    ret = tmp;
  }

  GST_DEBUG_OBJECT (trans, "%" GST_PTR_FORMAT " -> %" GST_PTR_FORMAT, caps,
      ret);
  return ret;
}

/* Sets the pixel-aspect-ratio of @s to par_n/par_d, or to the nearest it
 * allows, when it is not fixed; a missing field stays missing for 1/1. */
static void
set_par (GstStructure * s, gint64 par_n, gint64 par_d)
{
  gint n, d;

  /* keep the fraction within gint */
  while (par_n > G_MAXINT || par_d > G_MAXINT) {
    par_n /= 2;
    par_d /= 2;
  }
  if (par_n <= 0 || par_d <= 0)
    return;
  gst_util_fraction_multiply ((gint) par_n, (gint) par_d, 1, 1, &n, &d);

  if (gst_structure_has_field (s, "pixel-aspect-ratio"))
    gst_structure_fixate_field_nearest_fraction (s, "pixel-aspect-ratio", n, d);
  else if (n != d)
    gst_structure_set (s, "pixel-aspect-ratio", GST_TYPE_FRACTION, n, d, NULL);
}

/* The pixel-aspect-ratio @s will get: its fixed value, else the value
 * nearest to the input's that it allows. */
static void
preferred_par (GstStructure * s, gint from_n, gint from_d, gint * n, gint * d)
{
  const GValue *v = gst_structure_get_value (s, "pixel-aspect-ratio");
  GstStructure *tmp;

  *n = from_n;
  *d = from_d;
  if (!v)
    return;
  if (gst_value_is_fixed (v)) {
    *n = gst_value_get_fraction_numerator (v);
    *d = gst_value_get_fraction_denominator (v);
    return;
  }
  tmp = gst_structure_copy (s);
  gst_structure_fixate_field_nearest_fraction (tmp, "pixel-aspect-ratio",
      from_n, from_d);
  gst_structure_get_fraction (tmp, "pixel-aspect-ratio", n, d);
  gst_structure_free (tmp);
}

/* One dimension (@fixed_name, value @fixed) is set: chooses the other
 * (@free_name) so that the display aspect ratio dar_n/dar_d stays at the
 * preferred pixel-aspect-ratio, then adjusts that ratio for whatever size
 * downstream allowed. @fixed_is_height tells which way the ratio goes. */
static void
fixate_other_dimension (GstStructure * outs, const gchar * free_name,
    gint fixed, gboolean fixed_is_height, gint64 dar_n, gint64 dar_d,
    gint from_par_n, gint from_par_d)
{
  const GValue *par = gst_structure_get_value (outs, "pixel-aspect-ratio");
  gboolean par_fixed = par && gst_value_is_fixed (par);
  gint par_n, par_d, set, want;
  guint64 v;

  preferred_par (outs, from_par_n, from_par_d, &par_n, &par_d);

  /* width = height * DAR / PAR, height = width * PAR / DAR */
  if (fixed_is_height)
    v = gst_util_uint64_scale_round (fixed, dar_n * par_d, dar_d * par_n);
  else
    v = gst_util_uint64_scale_round (fixed, dar_d * par_n, dar_n * par_d);
  want = (gint) CLAMP (v, 1, G_MAXINT);

  gst_structure_fixate_field_nearest_int (outs, free_name, want);
  gst_structure_get_int (outs, free_name, &set);

  if (par_fixed)
    return;
  if (set == want) {
    /* only rounding to whole pixels changed the aspect ratio */
    set_par (outs, par_n, par_d);
  } else if (fixed_is_height) {
    /* PAR = DAR * height / width */
    set_par (outs, dar_n * fixed, dar_d * set);
  } else {
    set_par (outs, dar_n * set, dar_d * fixed);
  }
}

static GstCaps *
gst_ladder_scale_fixate_caps (GstBaseTransform * trans,
    GstPadDirection direction, GstCaps * caps, GstCaps * othercaps)
{
  GstStructure *ins, *outs;
  const GValue *wv, *hv, *parv;
  const gchar *site;
  gint from_w, from_h, from_par_n = 1, from_par_d = 1, w = 0, h = 0;
  gint64 dar_n, dar_d;

  othercaps = gst_caps_make_writable (gst_caps_truncate (othercaps));
  GST_DEBUG_OBJECT (trans, "fixating %" GST_PTR_FORMAT " from %"
      GST_PTR_FORMAT, othercaps, caps);

  ins = gst_caps_get_structure (caps, 0);
  outs = gst_caps_get_structure (othercaps, 0);
  if (!gst_structure_get_int (ins, "width", &from_w) ||
      !gst_structure_get_int (ins, "height", &from_h))
    goto done;
  gst_structure_get_fraction (ins, "pixel-aspect-ratio", &from_par_n,
      &from_par_d);
  dar_n = (gint64) from_w *from_par_n;
  dar_d = (gint64) from_h *from_par_d;

  wv = gst_structure_get_value (outs, "width");
  hv = gst_structure_get_value (outs, "height");
  if (wv && G_VALUE_HOLDS_INT (wv))
    w = g_value_get_int (wv);
  if (hv && G_VALUE_HOLDS_INT (hv))
    h = g_value_get_int (hv);
  parv = gst_structure_get_value (outs, "pixel-aspect-ratio");

  if (w && h) {
    /* the size is imposed: keep the display aspect ratio with the PAR */
    if (!parv || !gst_value_is_fixed (parv))
      set_par (outs, dar_n * h, dar_d * w);
  } else if (h) {
    fixate_other_dimension (outs, "width", h, TRUE, dar_n, dar_d,
        from_par_n, from_par_d);
  } else if (w) {
    fixate_other_dimension (outs, "height", w, FALSE, dar_n, dar_d,
        from_par_n, from_par_d);
  } else {
    /* nothing imposed: the input height if possible, then the width */
    gst_structure_fixate_field_nearest_int (outs, "height", from_h);
    gst_structure_get_int (outs, "height", &h);
    fixate_other_dimension (outs, "width", h, TRUE, dar_n, dar_d,
        from_par_n, from_par_d);
  }

done:
  /* the chroma-site stays unless the other side asks for another one */
  site = gst_structure_get_string (ins, "chroma-site");
  if (site) {
    if (!gst_structure_has_field (outs, "chroma-site"))
      gst_structure_set (outs, "chroma-site", G_TYPE_STRING, site, NULL);
    else
      gst_structure_fixate_field_string (outs, "chroma-site", site);
  }
  othercaps = gst_caps_fixate (othercaps);
  GST_DEBUG_OBJECT (trans, "fixated to %" GST_PTR_FORMAT, othercaps);
  return othercaps;
}

/* Upstream may give buffers with any strides and plane offsets
 * (GstVideoMeta): decoders then need not copy into packed buffers. */
static gboolean
gst_ladder_scale_propose_allocation (GstBaseTransform * trans,
    GstQuery * decide_query, GstQuery * query)
{
  if (!GST_BASE_TRANSFORM_CLASS
      (gst_ladder_scale_parent_class)->propose_allocation (trans, decide_query,
          query))
    return FALSE;

  if (!gst_query_find_allocation_meta (query, GST_VIDEO_META_API_TYPE, NULL))
    gst_query_add_allocation_meta (query, GST_VIDEO_META_API_TYPE, NULL);
  return TRUE;
}

/* the bits of a chroma-site that move the samples (unknown, jpeg and none
 * are all centred) */
#define COSITED (GST_VIDEO_CHROMA_SITE_H_COSITED | \
    GST_VIDEO_CHROMA_SITE_V_COSITED)

static GstVideoChromaSite
caps_chroma_site (GstCaps * caps)
{
  const gchar *site = gst_structure_get_string (gst_caps_get_structure (caps,
          0), "chroma-site");

  return site ? gst_video_chroma_site_from_string (site) :
      GST_VIDEO_CHROMA_SITE_UNKNOWN;
}

static gboolean
gst_ladder_scale_set_info (GstVideoFilter * filter, GstCaps * incaps,
    GstVideoInfo * in_info, GstCaps * outcaps, GstVideoInfo * out_info)
{
  GstLadderScale *self = GST_LADDER_SCALE (filter);
  GstLadderScaleChromaSiting siting;
  gboolean same_size, same_site;

  gst_ladder_scale_free_scalers (self);

  /* read from the caps: gst_video_info_from_caps() of GStreamer 1.22.0
   * does not parse chroma-site correctly */
  self->chroma_site = caps_chroma_site (incaps);
  self->out_chroma_site = caps_chroma_site (outcaps);

  if (GST_VIDEO_INFO_INTERLACE_MODE (in_info) !=
      GST_VIDEO_INTERLACE_MODE_PROGRESSIVE) {
    GST_WARNING_OBJECT (self, "not negotiated: interlaced input (%s) is not "
        "supported, deinterlace before ladderscale",
        gst_video_interlace_mode_to_string (GST_VIDEO_INFO_INTERLACE_MODE
            (in_info)));
    return FALSE;
  }
  if (GST_VIDEO_INFO_FORMAT (in_info) != GST_VIDEO_INFO_FORMAT (out_info)) {
    GST_WARNING_OBJECT (self, "not negotiated: ladderscale does not convert "
        "formats (%s -> %s)", GST_VIDEO_INFO_NAME (in_info),
        GST_VIDEO_INFO_NAME (out_info));
    return FALSE;
  }

  same_size = GST_VIDEO_INFO_WIDTH (in_info) == GST_VIDEO_INFO_WIDTH (out_info)
      && GST_VIDEO_INFO_HEIGHT (in_info) == GST_VIDEO_INFO_HEIGHT (out_info);
  GST_OBJECT_LOCK (self);
  siting = self->chroma_siting;
  GST_OBJECT_UNLOCK (self);

  /* a new siting moves the samples of subsampled planes, even at 1:1;
   * centre takes both sides as centred whatever their caps say */
  same_site = siting == GST_LADDER_SCALE_CHROMA_SITING_CENTRE
      || (self->chroma_site & COSITED) == (self->out_chroma_site & COSITED)
      || !GST_VIDEO_FORMAT_INFO_IS_YUV (in_info->finfo)
      || (GST_VIDEO_FORMAT_INFO_W_SUB (in_info->finfo, 1) == 0
      && GST_VIDEO_FORMAT_INFO_H_SUB (in_info->finfo, 1) == 0);
  gst_base_transform_set_passthrough (GST_BASE_TRANSFORM (filter), same_size
      && same_site);

  GST_DEBUG_OBJECT (self, "%s %dx%d -> %dx%d, chroma site 0x%x -> 0x%x%s",
      GST_VIDEO_INFO_NAME (in_info), GST_VIDEO_INFO_WIDTH (in_info),
      GST_VIDEO_INFO_HEIGHT (in_info), GST_VIDEO_INFO_WIDTH (out_info),
      GST_VIDEO_INFO_HEIGHT (out_info), self->chroma_site,
      self->out_chroma_site, same_size && same_site ? " (passthrough)" : "");
  return TRUE;
}

/* One scaler per plane, with the siting of the plane's component. */
static gboolean
gst_ladder_scale_build_scalers (GstLadderScale * self,
    const GstVideoInfo * in_info, const GstVideoInfo * out_info,
    GstLadderScaleMethod method, GstLadderScaleChromaSiting siting)
{
  const GstVideoFormatInfo *finfo = in_info->finfo;
  GstVideoChromaSite site = self->chroma_site;
  GstVideoChromaSite out_site = self->out_chroma_site;
  gboolean follow = siting == GST_LADDER_SCALE_CHROMA_SITING_AUTO;
  guint p, c;

  gst_ladder_scale_free_scalers (self);

  for (p = 0; p < GST_VIDEO_INFO_N_PLANES (in_info); p++) {
    guint w_sub, h_sub;

    for (c = 0; c < GST_VIDEO_INFO_N_COMPONENTS (in_info); c++)
      if (GST_VIDEO_FORMAT_INFO_PLANE (finfo, c) == p)
        break;
    w_sub = GST_VIDEO_FORMAT_INFO_W_SUB (finfo, c);
    h_sub = GST_VIDEO_FORMAT_INFO_H_SUB (finfo, c);

    /* centre: both sides centred, whatever the caps say */
    self->scalers[p] = ladder_scaler_new_sited (method ==
        GST_LADDER_SCALE_METHOD_BICUBIC ? LADDER_SCALER_BICUBIC :
        LADDER_SCALER_LANCZOS, GST_VIDEO_INFO_COMP_WIDTH (in_info, c),
        GST_VIDEO_INFO_COMP_HEIGHT (in_info, c),
        GST_VIDEO_INFO_COMP_WIDTH (out_info, c),
        GST_VIDEO_INFO_COMP_HEIGHT (out_info, c),
        ladder_scaler_siting_offset (w_sub, follow
            && (site & GST_VIDEO_CHROMA_SITE_H_COSITED)),
        ladder_scaler_siting_offset (w_sub, follow
            && (out_site & GST_VIDEO_CHROMA_SITE_H_COSITED)),
        ladder_scaler_siting_offset (h_sub, follow
            && (site & GST_VIDEO_CHROMA_SITE_V_COSITED)),
        ladder_scaler_siting_offset (h_sub, follow
            && (out_site & GST_VIDEO_CHROMA_SITE_V_COSITED)));
    if (!self->scalers[p]) {
      gst_ladder_scale_free_scalers (self);
      return FALSE;
    }
  }

  GST_DEBUG_OBJECT (self, "scalers for %dx%d -> %dx%d, method %d, chroma "
      "site 0x%x -> 0x%x (siting %d), %s", GST_VIDEO_INFO_WIDTH (in_info),
      GST_VIDEO_INFO_HEIGHT (in_info), GST_VIDEO_INFO_WIDTH (out_info),
      GST_VIDEO_INFO_HEIGHT (out_info), method, site, out_site, siting,
      ladder_scaler_uses_simd (self->scalers[0]) ? "SIMD" : "C");
  self->have_scalers = TRUE;
  self->scalers_method = method;
  self->scalers_siting = siting;
  return TRUE;
}

static GstFlowReturn
gst_ladder_scale_transform_frame (GstVideoFilter * filter,
    GstVideoFrame * in_frame, GstVideoFrame * out_frame)
{
  GstLadderScale *self = GST_LADDER_SCALE (filter);
  GstLadderScaleMethod method;
  GstLadderScaleChromaSiting siting;
  guint p;

  GST_OBJECT_LOCK (self);
  method = self->method;
  siting = self->chroma_siting;
  GST_OBJECT_UNLOCK (self);

  if (!self->have_scalers || method != self->scalers_method ||
      siting != self->scalers_siting) {
    if (!gst_ladder_scale_build_scalers (self, &in_frame->info,
            &out_frame->info, method, siting))
      goto no_scaler;
  }

  for (p = 0; p < GST_VIDEO_FRAME_N_PLANES (in_frame); p++)
    ladder_scaler_process (self->scalers[p],
        GST_VIDEO_FRAME_PLANE_DATA (in_frame, p),
        GST_VIDEO_FRAME_PLANE_STRIDE (in_frame, p),
        GST_VIDEO_FRAME_PLANE_DATA (out_frame, p),
        GST_VIDEO_FRAME_PLANE_STRIDE (out_frame, p));

  return GST_FLOW_OK;

  /* ERRORS */
no_scaler:
  {
    GST_ELEMENT_ERROR (self, CORE, NEGOTIATION,
        ("Cannot scale %dx%d video to %dx%d.",
            GST_VIDEO_FRAME_WIDTH (in_frame),
            GST_VIDEO_FRAME_HEIGHT (in_frame),
            GST_VIDEO_FRAME_WIDTH (out_frame),
            GST_VIDEO_FRAME_HEIGHT (out_frame)),
        ("sizes above 32768 are not supported"));
    return GST_FLOW_NOT_NEGOTIATED;
  }
}
