/* gst-ladder
 * Copyright (C) 2026 The gst-ladder authors
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2 of the License, or (at your option) any later version.
 */

/* Tests of the ladderscale element and of its kernel. The kernel is
 * internal to the library (hidden symbols), so it is compiled into this
 * test from its source. */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <math.h>
#include <string.h>

#include <gst/check/gstcheck.h>

#include <malloc.h>
#include <gst/check/gstharness.h>
#include <gst/video/video.h>
#include <gst/ladder/ladder.h>

#include "gst/ladder/ladderscaler.c"

/* ------------------------------------------------ the kernel ---------- */

/* the siting of the output is the input's unless new_site is set */
typedef struct
{
  gint in_w, in_h, out_w, out_h;
  gdouble h_off, v_off;
  gboolean new_site;
  gdouble h_out, v_out;
} SizeCase;

#define H_OUT(c) ((c)->new_site ? (c)->h_out : (c)->h_off)
#define V_OUT(c) ((c)->new_site ? (c)->v_out : (c)->v_off)

static const SizeCase size_cases[] = {
  {1920, 1080, 1280, 720, 0, 0},        /* 1.5x */
  {1920, 1080, 854, 480, 0, 0}, /* 2.25x */
  {1920, 1080, 426, 240, 0, 0}, /* 4.5x */
  {960, 540, 640, 360, -0.25, -0.25},   /* 4:2:0 mpeg2-sited chroma */
  {961, 540, 214, 121, -0.25, 0},
  {1921, 1079, 427, 241, 0, 0}, /* odd sizes */
  {1, 97, 1, 31, 0, 0},         /* 1xN */
  {97, 1, 31, 1, 0, 0},         /* Nx1 */
  {1, 1, 3, 5, 0, 0},
  {5, 3, 1, 1, 0, 0},
  {426, 240, 1280, 720, 0, 0},  /* upscale 3x */
  {213, 120, 640, 360, -0.25, -0.25},
  {50, 30, 51, 31, 0, 0},       /* slight upscale */
  {100, 60, 99, 59, 0, 0},      /* slight downscale */
  {37, 23, 17, 11, 0, 0},       /* widths not a multiple of 8/16 */
  {333, 77, 45, 19, -0.25, 0},
  {64, 64, 64, 64, 0, 0},       /* identity */
  {7, 300, 3, 20, 0, 0},        /* plane narrower than a window */
  /* a new siting: co-sited 4:2:0 chroma made centred, and back */
  {960, 540, 640, 360, -0.25, -0.25, TRUE, 0, 0},
  {213, 120, 640, 360, 0, 0, TRUE, -0.25, 0},
  {64, 64, 64, 64, -0.25, 0, TRUE, 0, 0},       /* at 1:1 */
  {333, 77, 45, 19, 0, -0.25, TRUE, -0.25, 0},
};

static gdouble
ref_kernel (LadderScalerMethod method, gdouble x)
{
  x = fabs (x);
  if (method == LADDER_SCALER_LANCZOS) {
    if (x >= 3)
      return 0;
    if (x == 0)
      return 1;
    /* sin_pi () of the kernel source: the build links no libm; it is
     * checked on its own in test_kernel_sin_pi */
    return sin_pi (x) / (G_PI * x) * sin_pi (x / 3) / (G_PI * x / 3);
  } else {
    /* Mitchell-Netravali with B = 0 */
    gdouble c = LADDER_SCALER_BICUBIC_C;

    if (x < 1)
      return ((12 - 6 * c) * x * x * x + (-18 + 6 * c) * x * x + 6) / 6;
    if (x < 2)
      return (-6 * c * x * x * x + 30 * c * x * x - 48 * c * x + 24 * c) / 6;
    return 0;
  }
}

/* One direction of the reference filter: out[j] = sum of w * in[clamp (x)]
 * over the taps, in doubles, weights normalised to 1. */
static void
ref_filter (LadderScalerMethod method, const gdouble * in, gint in_stride,
    gint in_size, gdouble * out, gint out_stride, gint out_size,
    gdouble in_offset, gdouble out_offset)
{
  gdouble scale = (gdouble) in_size / out_size;
  gdouble stretch = MAX (1.0, scale);
  gdouble radius = (method == LADDER_SCALER_LANCZOS ? 3 : 2) * stretch;
  gint j, x;

  for (j = 0; j < out_size; j++) {
    gdouble c = (j + 0.5 + out_offset) * scale - 0.5 - in_offset;
    gdouble sum = 0, wsum = 0;

    for (x = (gint) floor (c - radius); x <= (gint) ceil (c + radius); x++) {
      gdouble w = ref_kernel (method, (x - c) / stretch);

      sum += w * in[CLAMP (x, 0, in_size - 1) * in_stride];
      wsum += w;
    }
    out[j * out_stride] = sum / wsum;
  }
}

static void
ref_scale (LadderScalerMethod method, const SizeCase * c,
    const guint8 * src, guint8 * dst)
{
  gdouble *in = g_new (gdouble, c->in_w * c->in_h);
  gdouble *mid = g_new (gdouble, c->in_w * c->out_h);
  gdouble *out = g_new (gdouble, c->out_w * c->out_h);
  gint i, x, y;

  for (i = 0; i < c->in_w * c->in_h; i++)
    in[i] = src[i];
  for (x = 0; x < c->in_w; x++)
    ref_filter (method, in + x, c->in_w, c->in_h, mid + x, c->in_w,
        c->out_h, c->v_off, V_OUT (c));
  for (y = 0; y < c->out_h; y++)
    ref_filter (method, mid + y * c->in_w, 1, c->in_w, out + y * c->out_w, 1,
        c->out_w, c->h_off, H_OUT (c));
  for (i = 0; i < c->out_w * c->out_h; i++)
    dst[i] = (guint8) CLAMP (floor (out[i] + 0.5), 0, 255);

  g_free (in);
  g_free (mid);
  g_free (out);
}

/* Planes are allocated with no slack so that valgrind sees any read or
 * write outside them. @path is forced with LADDER_SCALER_SIMD; the caller
 * checks that the CPU has it (path_available ()). */
static guint8 *
scale_plane (LadderScalerMethod method, const SizeCase * c,
    const guint8 * src, LadderScalerPath path)
{
  LadderScaler *s;
  guint8 *dst = g_malloc (c->out_w * c->out_h);

  g_setenv ("LADDER_SCALER_SIMD", ladder_scaler_path_name (path), TRUE);
  s = ladder_scaler_new_sited (method, c->in_w, c->in_h, c->out_w, c->out_h,
      c->h_off, H_OUT (c), c->v_off, V_OUT (c));
  g_unsetenv ("LADDER_SCALER_SIMD");
  fail_unless (s != NULL);
  fail_unless_equals_int (ladder_scaler_get_path (s), path);

  ladder_scaler_process (s, src, c->in_w, dst, c->out_w);
  ladder_scaler_free (s);
  return dst;
}

#define N_PATHS (LADDER_SCALER_PATH_AVX512 + 1)

/* Whether the CPU runs @path; says SKIP once per path and test if not */
static gboolean
path_available (LadderScalerPath path, const gchar * test)
{
  if (ladder_scaler_path_supported (path))
    return TRUE;
  g_print ("SKIP: %s: the %s kernel (this CPU lacks it)\n", test,
      ladder_scaler_path_name (path));
  return FALSE;
}

static guint8 *
random_plane (GRand * rand, gint w, gint h)
{
  guint8 *p = g_malloc (w * h);
  gint i;

  for (i = 0; i < w * h; i++)
    p[i] = g_rand_int_range (rand, 0, 256);
  return p;
}

static gint
max_diff (const guint8 * a, const guint8 * b, gsize n)
{
  gint m = 0;
  gsize i;

  for (i = 0; i < n; i++)
    m = MAX (m, ABS ((gint) a[i] - (gint) b[i]));
  return m;
}

static void
check_against_reference (LadderScalerMethod method)
{
  GRand *rand = g_rand_new_with_seed (42);
  gboolean have[N_PATHS];
  guint i, p;

  for (p = 0; p < N_PATHS; p++)
    have[p] = path_available (p, method == LADDER_SCALER_LANCZOS ?
        "lanczos reference" : "bicubic reference");

  for (i = 0; i < G_N_ELEMENTS (size_cases); i++) {
    const SizeCase *c = &size_cases[i];
    guint8 *src = random_plane (rand, c->in_w, c->in_h);
    guint8 *ref = g_malloc (c->out_w * c->out_h);
    guint8 *plain;
    gsize n = c->out_w * c->out_h;

    ref_scale (method, c, src, ref);
    plain = scale_plane (method, c, src, LADDER_SCALER_PATH_C);
    GST_INFO ("%dx%d -> %dx%d method %d: max diff %d", c->in_w, c->in_h,
        c->out_w, c->out_h, method, max_diff (plain, ref, n));
    fail_unless (max_diff (plain, ref, n) <= 1,
        "C path: %dx%d -> %dx%d method %d: max diff %d", c->in_w, c->in_h,
        c->out_w, c->out_h, method, max_diff (plain, ref, n));

    /* every SIMD path computes the same integer sums as C */
    for (p = LADDER_SCALER_PATH_C + 1; p < N_PATHS; p++) {
      guint8 *simd;

      if (!have[p])
        continue;
      simd = scale_plane (method, c, src, p);
      fail_unless (memcmp (simd, plain, n) == 0,
          "%s and C differ: %dx%d -> %dx%d method %d: max diff %d",
          ladder_scaler_path_name (p), c->in_w, c->in_h, c->out_w, c->out_h,
          method, max_diff (simd, plain, n));
      g_free (simd);
    }

    g_free (src);
    g_free (ref);
    g_free (plain);
  }
  g_rand_free (rand);
}

GST_START_TEST (test_kernel_lanczos_reference)
{
  check_against_reference (LADDER_SCALER_LANCZOS);
}

GST_END_TEST;

GST_START_TEST (test_kernel_bicubic_reference)
{
  check_against_reference (LADDER_SCALER_BICUBIC);
}

GST_END_TEST;

GST_START_TEST (test_kernel_flat)
{
  static const guint8 levels[] = { 0, 1, 16, 128, 235, 254, 255 };
  guint i, l, m, p;

  for (m = 0; m < 2; m++) {
    for (i = 0; i < G_N_ELEMENTS (size_cases); i++) {
      const SizeCase *c = &size_cases[i];
      guint8 *src = g_malloc (c->in_w * c->in_h);

      for (l = 0; l < G_N_ELEMENTS (levels); l++) {
        memset (src, levels[l], c->in_w * c->in_h);
        for (p = 0; p < N_PATHS; p++) {
          guint8 *dst;
          gsize k, bad = 0;

          if (!ladder_scaler_path_supported (p))
            continue;
          dst = scale_plane (m, c, src, p);

          /* one assertion per plane: check records every assertion */
          for (k = 0; k < (gsize) c->out_w * c->out_h; k++)
            bad += dst[k] != levels[l];
          fail_unless (bad == 0, "%s: %dx%d -> %dx%d level %d: %"
              G_GSIZE_FORMAT " samples changed", ladder_scaler_path_name (p),
              c->in_w, c->in_h, c->out_w, c->out_h, levels[l], bad);
          g_free (dst);
        }
      }
      g_free (src);
    }
  }
}

GST_END_TEST;

GST_START_TEST (test_kernel_ramp_monotone)
{
  /* horizontal and vertical ramps stay non-decreasing after scaling */
  static const SizeCase cases[] = {
    {256, 8, 100, 8, 0, 0},
    {1920, 4, 427, 3, 0, 0},
    {100, 4, 333, 5, -0.25, 0},
    {8, 256, 8, 100, 0, -0.25},
    {4, 240, 3, 720, 0, 0},
  };
  guint i, m, p;
  gint x, y;

  for (m = 0; m < 2; m++) {
    for (i = 0; i < G_N_ELEMENTS (cases); i++) {
      const SizeCase *c = &cases[i];
      gboolean horizontal = c->in_w > c->in_h;
      guint8 *src = g_malloc (c->in_w * c->in_h);

      for (y = 0; y < c->in_h; y++)
        for (x = 0; x < c->in_w; x++)
          src[y * c->in_w + x] = horizontal ? x * 255 / (c->in_w - 1) :
              y * 255 / (c->in_h - 1);

      for (p = 0; p < N_PATHS; p++) {
        guint8 *dst;
        gint bad = 0;

        if (!ladder_scaler_path_supported (p))
          continue;
        dst = scale_plane (m, c, src, p);

        for (y = 0; y < c->out_h; y++) {
          for (x = 0; x < c->out_w; x++) {
            guint8 v = dst[y * c->out_w + x];

            if (horizontal && x > 0)
              bad += v < dst[y * c->out_w + x - 1];
            if (!horizontal && y > 0)
              bad += v < dst[(y - 1) * c->out_w + x];
          }
        }
        fail_unless (bad == 0, "%s: %dx%d -> %dx%d: %d samples below the "
            "previous one", ladder_scaler_path_name (p), c->in_w, c->in_h,
            c->out_w, c->out_h, bad);
        g_free (dst);
      }
      g_free (src);
    }
  }
}

GST_END_TEST;

/* Every horizontal layout of the SIMD paths (AVX-512: 1 to 16 slots per
 * output; AVX2: 4, 2 or 1 outputs per lane, and 8 rows at a time), with
 * full and partial groups, against C */
GST_START_TEST (test_kernel_paths_ratios)
{
  static const gint out_ws[] = { 1, 7, 15, 16, 17, 31, 33, 100, 213, 427,
    640, 853, 1281, 1921, 3000
  };
  GRand *rand = g_rand_new_with_seed (9);
  gboolean have[N_PATHS];
  guint seen_pairs = 0, i, m, p;

  for (p = 0; p < N_PATHS; p++)
    have[p] = path_available (p, "paths and ratios");

  for (m = 0; m < 2; m++) {
    for (i = 0; i < G_N_ELEMENTS (out_ws); i++) {
      /* 12 rows: a block of 8, then 2 + 2 */
      SizeCase c = { 1920, 27, out_ws[i], 12, i % 2 ? -0.25 : 0, 0 };
      guint8 *src = random_plane (rand, c.in_w, c.in_h);
      guint8 *plain = scale_plane (m, &c, src, LADDER_SCALER_PATH_C);
      gsize n = c.out_w * c.out_h;

      for (p = LADDER_SCALER_PATH_C + 1; p < N_PATHS; p++) {
        guint8 *simd;

        if (!have[p])
          continue;
        simd = scale_plane (m, &c, src, p);
        fail_unless (memcmp (simd, plain, n) == 0,
            "%s and C differ: 1920 -> %d method %d: max diff %d",
            ladder_scaler_path_name (p), c.out_w, m, max_diff (simd, plain, n));
        g_free (simd);
      }
      if (have[LADDER_SCALER_PATH_AVX512]) {
        LadderScaler *s;

        g_setenv ("LADDER_SCALER_SIMD", "avx512", TRUE);
        s = ladder_scaler_new (m, c.in_w, c.in_h, c.out_w, c.out_h, 0, 0);
        g_unsetenv ("LADDER_SCALER_SIMD");
        seen_pairs |= s->h512_pairs;
        ladder_scaler_free (s);
      }
      g_free (src);
      g_free (plain);
    }
  }
  /* the ratios above need every layout */
  if (have[LADDER_SCALER_PATH_AVX512])
    fail_unless_equals_int (seen_pairs, 1 | 2 | 4 | 8 | 16);
  g_rand_free (rand);
}

GST_END_TEST;

GST_START_TEST (test_kernel_path_selection)
{
  LadderScalerPath best = LADDER_SCALER_PATH_C, p;
  LadderScaler *s;

  for (p = LADDER_SCALER_PATH_C; p < N_PATHS; p++)
    if (ladder_scaler_path_supported (p))
      best = p;
  fail_unless (ladder_scaler_path_supported (LADDER_SCALER_PATH_C));

  /* by default the best one */
  s = ladder_scaler_new (LADDER_SCALER_LANCZOS, 64, 64, 32, 32, 0, 0);
  fail_unless_equals_int (ladder_scaler_get_path (s), best);
  fail_unless_equals_int (ladder_scaler_uses_simd (s),
      best != LADDER_SCALER_PATH_C);
  ladder_scaler_free (s);

  /* a forced path, or the best below it the CPU has; the element's simd
   * property names it */
  for (p = LADDER_SCALER_PATH_C; p < N_PATHS; p++) {
    GstElement *e = gst_element_factory_make ("ladderscale", NULL);
    gchar *simd = NULL;

    g_setenv ("LADDER_SCALER_SIMD", ladder_scaler_path_name (p), TRUE);
    s = ladder_scaler_new (LADDER_SCALER_LANCZOS, 64, 64, 32, 32, 0, 0);
    fail_unless_equals_int (ladder_scaler_get_path (s), MIN (p, best));
    ladder_scaler_free (s);
    g_object_get (e, "simd", &simd, NULL);
    fail_unless_equals_string (simd, ladder_scaler_path_name (MIN (p, best)));
    g_free (simd);
    gst_object_unref (e);
  }

  /* unknown names are ignored */
  g_setenv ("LADDER_SCALER_SIMD", "sse9", TRUE);
  s = ladder_scaler_new (LADDER_SCALER_LANCZOS, 64, 64, 32, 32, 0, 0);
  fail_unless_equals_int (ladder_scaler_get_path (s), best);
  ladder_scaler_free (s);

  /* the old switch wins */
  g_setenv ("LADDER_SCALER_SIMD", "avx512", TRUE);
  g_setenv ("LADDER_SCALER_NO_SIMD", "1", TRUE);
  s = ladder_scaler_new (LADDER_SCALER_LANCZOS, 64, 64, 32, 32, 0, 0);
  fail_unless_equals_int (ladder_scaler_get_path (s), LADDER_SCALER_PATH_C);
  fail_if (ladder_scaler_uses_simd (s));
  ladder_scaler_free (s);
  g_unsetenv ("LADDER_SCALER_NO_SIMD");
  g_unsetenv ("LADDER_SCALER_SIMD");
}

GST_END_TEST;

GST_START_TEST (test_kernel_sin_pi)
{
  gdouble x;

  fail_unless (fabs (sin_pi (1.0 / 6) - 0.5) < 1e-15);
  fail_unless (fabs (sin_pi (0.25) - sqrt (0.5)) < 1e-15);
  fail_unless (fabs (sin_pi (-2.5) + 1.0) < 1e-15);
  fail_unless (fabs (sin_pi (3.0)) < 1e-15);
  for (x = -4.0; x < 4.0; x += 0.001) {
    gdouble s = sin_pi (x), c = sin_pi (x + 0.5);

    fail_unless (fabs (s * s + c * c - 1.0) < 1e-14);
    fail_unless (fabs (sin_pi (2 * x) - 2 * s * c) < 1e-14);
    fail_unless (fabs (sin_pi (-x) + s) < 1e-15);
  }
}

GST_END_TEST;

GST_START_TEST (test_kernel_bad_sizes)
{
  fail_unless (ladder_scaler_new (LADDER_SCALER_LANCZOS, 0, 10, 10, 10, 0,
          0) == NULL);
  fail_unless (ladder_scaler_new (LADDER_SCALER_LANCZOS, 10, 10, 10, -1, 0,
          0) == NULL);
  fail_unless (ladder_scaler_new (LADDER_SCALER_BICUBIC, 100000, 10, 10, 10,
          0, 0) == NULL);
  ladder_scaler_free (NULL);
}

GST_END_TEST;

/* ------------------------------------------------ the element ---------- */

#define OUT_426_CAPS "video/x-raw,format=I420,width=426,height=240"

static GstBuffer *
random_frame (GRand * rand, const GstVideoInfo * info)
{
  GstBuffer *buf = gst_buffer_new_and_alloc (GST_VIDEO_INFO_SIZE (info));
  GstMapInfo map;
  gsize i;

  gst_buffer_map (buf, &map, GST_MAP_WRITE);
  for (i = 0; i < map.size; i++)
    map.data[i] = g_rand_int_range (rand, 0, 256);
  gst_buffer_unmap (buf, &map);
  return buf;
}

static GstHarness *
harness_new (const gchar * in_caps, const gchar * out_caps)
{
  GstHarness *h = gst_harness_new ("ladderscale");

  gst_harness_set_src_caps_str (h, in_caps);
  gst_harness_set_sink_caps_str (h, out_caps);
  return h;
}

/* Pushes one timestamped random frame, returns the output buffer and
 * checks timestamps, flags and size against the negotiated caps */
static GstBuffer *
push_one (GstHarness * h, GRand * rand, GstBuffer ** in_out)
{
  GstCaps *in_caps = gst_pad_get_current_caps (h->srcpad);
  GstVideoInfo in_info, out_info;
  GstBuffer *in, *out;
  GstCaps *caps;

  fail_unless (gst_video_info_from_caps (&in_info, in_caps));
  in = random_frame (rand, &in_info);
  GST_BUFFER_PTS (in) = 2 * GST_SECOND;
  GST_BUFFER_DTS (in) = 2 * GST_SECOND;
  GST_BUFFER_DURATION (in) = GST_SECOND / 30;
  GST_BUFFER_FLAG_SET (in, GST_BUFFER_FLAG_DISCONT);
  GST_BUFFER_FLAG_SET (in, GST_BUFFER_FLAG_DELTA_UNIT);

  fail_unless_equals_int (gst_harness_push (h, gst_buffer_ref (in)),
      GST_FLOW_OK);
  out = gst_harness_pull (h);
  fail_unless (out != NULL);

  caps = gst_pad_get_current_caps (h->sinkpad);
  fail_unless (gst_video_info_from_caps (&out_info, caps));
  fail_unless_equals_int (gst_buffer_get_size (out),
      GST_VIDEO_INFO_SIZE (&out_info));
  fail_unless_equals_uint64 (GST_BUFFER_PTS (out), 2 * GST_SECOND);
  fail_unless_equals_uint64 (GST_BUFFER_DTS (out), 2 * GST_SECOND);
  fail_unless_equals_uint64 (GST_BUFFER_DURATION (out), GST_SECOND / 30);
  fail_unless (GST_BUFFER_FLAG_IS_SET (out, GST_BUFFER_FLAG_DISCONT));
  fail_unless (GST_BUFFER_FLAG_IS_SET (out, GST_BUFFER_FLAG_DELTA_UNIT));

  gst_caps_unref (in_caps);
  gst_caps_unref (caps);
  if (in_out)
    *in_out = in;
  else
    gst_buffer_unref (in);
  return out;
}

static void
check_out_caps (GstHarness * h, const gchar * format, gint w, gint h_,
    gint par_n, gint par_d)
{
  GstCaps *caps = gst_pad_get_current_caps (h->sinkpad);
  GstStructure *s = gst_caps_get_structure (caps, 0);
  gint v, n = 1, d = 1;

  fail_unless_equals_string (gst_structure_get_string (s, "format"), format);
  fail_unless (gst_structure_get_int (s, "width", &v));
  fail_unless_equals_int (v, w);
  fail_unless (gst_structure_get_int (s, "height", &v));
  fail_unless_equals_int (v, h_);
  gst_structure_get_fraction (s, "pixel-aspect-ratio", &n, &d);
  fail_unless_equals_int (n, par_n);
  fail_unless_equals_int (d, par_d);
  gst_caps_unref (caps);
}

/* Scales @in plane by plane with the kernel, as the element should */
static void
check_frame_content (GstBuffer * in, GstCaps * in_caps, GstBuffer * out,
    GstCaps * out_caps, LadderScalerMethod method, gboolean in_cosited,
    gboolean out_cosited)
{
  GstVideoInfo ii, oi;
  GstVideoFrame inf, outf;
  guint p;

  fail_unless (gst_video_info_from_caps (&ii, in_caps));
  fail_unless (gst_video_info_from_caps (&oi, out_caps));
  fail_unless (gst_video_frame_map (&inf, &ii, in, GST_MAP_READ));
  fail_unless (gst_video_frame_map (&outf, &oi, out, GST_MAP_READ));
  for (p = 0; p < GST_VIDEO_FRAME_N_PLANES (&inf); p++) {
    gint iw = GST_VIDEO_FRAME_COMP_WIDTH (&inf, p);
    gint ih = GST_VIDEO_FRAME_COMP_HEIGHT (&inf, p);
    gint ow = GST_VIDEO_FRAME_COMP_WIDTH (&outf, p);
    gint oh = GST_VIDEO_FRAME_COMP_HEIGHT (&outf, p);
    guint ws = GST_VIDEO_FORMAT_INFO_W_SUB (ii.finfo, p);
    guint hs = GST_VIDEO_FORMAT_INFO_H_SUB (ii.finfo, p);
    LadderScaler *sc = ladder_scaler_new_sited (method, iw, ih, ow, oh,
        ladder_scaler_siting_offset (ws, in_cosited),
        ladder_scaler_siting_offset (ws, out_cosited),
        ladder_scaler_siting_offset (hs, FALSE),
        ladder_scaler_siting_offset (hs, FALSE));
    guint8 *exp = g_malloc (ow * oh);
    const guint8 *got = GST_VIDEO_FRAME_PLANE_DATA (&outf, p);
    gint ostride = GST_VIDEO_FRAME_PLANE_STRIDE (&outf, p);
    gint y, bad = 0;

    ladder_scaler_process (sc, GST_VIDEO_FRAME_PLANE_DATA (&inf, p),
        GST_VIDEO_FRAME_PLANE_STRIDE (&inf, p), exp, ow);
    for (y = 0; y < oh; y++)
      bad += memcmp (exp + y * ow, got + y * ostride, ow) != 0;
    fail_unless (bad == 0, "plane %u: %d rows differ", p, bad);
    g_free (exp);
    ladder_scaler_free (sc);
  }
  gst_video_frame_unmap (&inf);
  gst_video_frame_unmap (&outf);
}

/* Pushes one random frame (from @seed) and checks the output: the input
 * buffer itself when the element is passthrough, else the kernel's
 * Lanczos output with the given sitings. Returns whether it was
 * passthrough. */
static gboolean
push_and_check (GstHarness * h, guint32 seed, gboolean in_cosited,
    gboolean out_cosited)
{
  GRand *rand = g_rand_new_with_seed (seed);
  GstBuffer *in, *out;
  GstCaps *ic, *oc;
  gboolean passthrough;

  out = push_one (h, rand, &in);
  passthrough = gst_base_transform_is_passthrough (GST_BASE_TRANSFORM
      (h->element));
  ic = gst_pad_get_current_caps (h->srcpad);
  oc = gst_pad_get_current_caps (h->sinkpad);
  if (passthrough)
    fail_unless (out == in);
  else
    check_frame_content (in, ic, out, oc, LADDER_SCALER_LANCZOS, in_cosited,
        out_cosited);

  gst_caps_unref (ic);
  gst_caps_unref (oc);
  gst_buffer_unref (in);
  gst_buffer_unref (out);
  g_rand_free (rand);
  return passthrough;
}

static void
check_scale (const gchar * in_caps, const gchar * out_caps,
    const gchar * format, gint w, gint h_, gint par_n, gint par_d,
    gboolean cosited)
{
  GstHarness *h = harness_new (in_caps, out_caps);

  fail_if (push_and_check (h, 7, cosited, cosited));
  check_out_caps (h, format, w, h_, par_n, par_d);
  gst_harness_teardown (h);
}

GST_START_TEST (test_element_i420_720p)
{
  check_scale ("video/x-raw,format=I420,width=1920,height=1080,"
      "framerate=30/1,pixel-aspect-ratio=1/1,chroma-site=mpeg2",
      "video/x-raw,width=1280,height=720", "I420", 1280, 720, 1, 1, TRUE);
}

GST_END_TEST;

GST_START_TEST (test_element_par_instead_of_borders)
{
  /* 426x240 is not 16:9: the PAR keeps the display aspect ratio */
  check_scale ("video/x-raw,format=I420,width=1920,height=1080,"
      "framerate=30/1,pixel-aspect-ratio=1/1,chroma-site=jpeg",
      "video/x-raw,width=426,height=240", "I420", 426, 240, 640, 639, FALSE);
}

GST_END_TEST;

GST_START_TEST (test_element_one_dimension)
{
  /* only the height: the width follows at the input PAR */
  check_scale ("video/x-raw,format=I420,width=1920,height=1080,"
      "framerate=30/1,chroma-site=jpeg", "video/x-raw,height=360",
      "I420", 640, 360, 1, 1, FALSE);
  check_scale ("video/x-raw,format=Y42B,width=1280,height=720,"
      "framerate=30/1,chroma-site=jpeg", "video/x-raw,width=854",
      "Y42B", 854, 480, 1, 1, FALSE);
  /* a fixed downstream PAR is honoured */
  check_scale ("video/x-raw,format=I420,width=1920,height=1080,"
      "framerate=30/1,chroma-site=jpeg",
      "video/x-raw,height=480,pixel-aspect-ratio=4/3", "I420", 640, 480, 4,
      3, FALSE);
}

GST_END_TEST;

GST_START_TEST (test_element_formats)
{
  check_scale ("video/x-raw,format=I420,width=1921,height=1079,"
      "framerate=30/1,chroma-site=mpeg2", "video/x-raw,width=427,height=241",
      "I420", 427, 241, 462961, 460733, TRUE);
  check_scale ("video/x-raw,format=GRAY8,width=640,height=480,"
      "framerate=30/1", "video/x-raw,width=321,height=241", "GRAY8", 321, 241,
      964, 963, FALSE);
  check_scale ("video/x-raw,format=Y444,width=640,height=360,"
      "framerate=30/1,chroma-site=mpeg2", "video/x-raw,width=1280,height=720",
      "Y444", 1280, 720, 1, 1, FALSE);
  check_scale ("video/x-raw,format=YV12,width=640,height=360,"
      "framerate=30/1,chroma-site=mpeg2", "video/x-raw,width=426,height=240",
      "YV12", 426, 240, 640, 639, TRUE);
  check_scale ("video/x-raw,format=Y42B,width=640,height=360,"
      "framerate=30/1,chroma-site=mpeg2", "video/x-raw,width=320,height=180",
      "Y42B", 320, 180, 1, 1, TRUE);
}

GST_END_TEST;

/* Rows of plane @plane that differ between two frames of @caps, visible
 * samples only (the row padding of pool buffers is never written) */
static gint
rows_differing (GstBuffer * a, GstBuffer * b, const gchar * caps, guint plane)
{
  GstCaps *c = gst_caps_from_string (caps);
  GstVideoInfo info;
  GstVideoFrame fa, fb;
  gint y, n = 0;

  fail_unless (gst_video_info_from_caps (&info, c));
  gst_caps_unref (c);
  fail_unless (gst_video_frame_map (&fa, &info, a, GST_MAP_READ));
  fail_unless (gst_video_frame_map (&fb, &info, b, GST_MAP_READ));
  for (y = 0; y < GST_VIDEO_FRAME_COMP_HEIGHT (&fa, plane); y++)
    n += memcmp ((guint8 *) GST_VIDEO_FRAME_PLANE_DATA (&fa, plane) +
        y * GST_VIDEO_FRAME_PLANE_STRIDE (&fa, plane),
        (guint8 *) GST_VIDEO_FRAME_PLANE_DATA (&fb, plane) +
        y * GST_VIDEO_FRAME_PLANE_STRIDE (&fb, plane),
        GST_VIDEO_FRAME_COMP_WIDTH (&fa, plane)) != 0;
  gst_video_frame_unmap (&fa);
  gst_video_frame_unmap (&fb);
  return n;
}

GST_START_TEST (test_element_video_meta_strides)
{
  GstHarness *h = harness_new ("video/x-raw,format=I420,width=640,height=360,"
      "framerate=30/1", "video/x-raw,width=426,height=240");
  GRand *rand = g_rand_new_with_seed (3);
  GstBuffer *packed_out, *packed_in, *padded, *padded_out;
  GstVideoInfo info;
  GstVideoFrame src;
  GstMapInfo map;
  gsize offset[GST_VIDEO_MAX_PLANES] = { 0, };
  gint stride[GST_VIDEO_MAX_PLANES] = { 704, 384, 352, 0 }, p, y;

  packed_out = push_one (h, rand, &packed_in);

  /* the same picture with padded rows, planes in another order */
  gst_video_info_set_format (&info, GST_VIDEO_FORMAT_I420, 640, 360);
  fail_unless (gst_video_frame_map (&src, &info, packed_in, GST_MAP_READ));
  offset[2] = 100;
  offset[1] = offset[2] + stride[2] * 180 + 36;
  offset[0] = offset[1] + stride[1] * 180 + 12;
  padded = gst_buffer_new_and_alloc (offset[0] + stride[0] * 360);
  gst_buffer_map (padded, &map, GST_MAP_WRITE);
  memset (map.data, 0xaa, map.size);
  for (p = 0; p < 3; p++) {
    for (y = 0; y < GST_VIDEO_FRAME_COMP_HEIGHT (&src, p); y++)
      memcpy (map.data + offset[p] + y * stride[p],
          (guint8 *) GST_VIDEO_FRAME_PLANE_DATA (&src, p) +
          y * GST_VIDEO_FRAME_PLANE_STRIDE (&src, p),
          GST_VIDEO_FRAME_COMP_WIDTH (&src, p));
  }
  gst_buffer_unmap (padded, &map);
  gst_video_frame_unmap (&src);
  gst_buffer_add_video_meta_full (padded, GST_VIDEO_FRAME_FLAG_NONE,
      GST_VIDEO_FORMAT_I420, 640, 360, 3, offset, stride);

  fail_unless_equals_int (gst_harness_push (h, padded), GST_FLOW_OK);
  padded_out = gst_harness_pull (h);
  fail_unless (padded_out != NULL);
  fail_unless_equals_int (gst_buffer_get_size (padded_out),
      gst_buffer_get_size (packed_out));
  for (p = 0; p < 3; p++)
    fail_unless_equals_int (rows_differing (packed_out, padded_out,
            OUT_426_CAPS, p), 0);

  gst_buffer_unref (packed_in);
  gst_buffer_unref (packed_out);
  gst_buffer_unref (padded_out);
  g_rand_free (rand);
  gst_harness_teardown (h);
}

GST_END_TEST;

GST_START_TEST (test_element_propose_video_meta)
{
  GstHarness *h = harness_new ("video/x-raw,format=I420,width=640,height=360,"
      "framerate=30/1", "video/x-raw,width=320,height=180");
  GstCaps *caps = gst_caps_from_string ("video/x-raw,format=I420,width=640,"
      "height=360,framerate=30/1");
  GstQuery *q = gst_query_new_allocation (caps, TRUE);

  fail_unless (gst_pad_peer_query (h->srcpad, q));
  fail_unless (gst_query_find_allocation_meta (q, GST_VIDEO_META_API_TYPE,
          NULL));
  gst_query_unref (q);
  gst_caps_unref (caps);
  gst_harness_teardown (h);
}

GST_END_TEST;

GST_START_TEST (test_element_passthrough)
{
  GstHarness *h = harness_new ("video/x-raw,format=I420,width=640,height=360,"
      "framerate=30/1", "video/x-raw,width=640,height=360");
  GRand *rand = g_rand_new_with_seed (5);
  GstBuffer *in, *out;

  out = push_one (h, rand, &in);
  fail_unless (gst_base_transform_is_passthrough (GST_BASE_TRANSFORM
          (h->element)));
  fail_unless (out == in);
  gst_buffer_unref (in);
  gst_buffer_unref (out);
  g_rand_free (rand);
  gst_harness_teardown (h);
}

GST_END_TEST;

GST_START_TEST (test_element_interlaced_refused)
{
  GstHarness *h = harness_new ("video/x-raw,format=I420,width=640,height=360,"
      "framerate=30/1,interlace-mode=interleaved",
      "video/x-raw,width=320,height=180");
  GstBuffer *in = gst_buffer_new_and_alloc (640 * 360 * 3 / 2);

  fail_unless_equals_int (gst_harness_push (h, in), GST_FLOW_NOT_NEGOTIATED);
  gst_harness_teardown (h);
}

GST_END_TEST;

/* Output of one frame with the given siting property; the input is random
 * but the same for every call (fixed seed) */
static GstBuffer *
scale_with_siting (const gchar * site, const gchar * siting)
{
  gchar *caps = g_strdup_printf ("video/x-raw,format=I420,width=640,"
      "height=360,framerate=30/1,chroma-site=%s", site);
  GstHarness *h = harness_new (caps, "video/x-raw,width=426,height=240");
  GRand *rand = g_rand_new_with_seed (11);
  GstBuffer *out;

  gst_util_set_object_arg (G_OBJECT (h->element), "chroma-siting", siting);
  out = push_one (h, rand, NULL);
  g_rand_free (rand);
  gst_harness_teardown (h);
  g_free (caps);
  return out;
}

GST_START_TEST (test_element_chroma_siting)
{
  GstBuffer *a, *c;

  /* mpeg2 (co-sited): luma the same, chroma differs */
  a = scale_with_siting ("mpeg2", "auto");
  c = scale_with_siting ("mpeg2", "centre");
  fail_unless_equals_int (rows_differing (a, c, OUT_426_CAPS, 0), 0);
  fail_unless (rows_differing (a, c, OUT_426_CAPS, 1) > 0);
  fail_unless (rows_differing (a, c, OUT_426_CAPS, 2) > 0);
  gst_buffer_unref (a);
  gst_buffer_unref (c);

  /* jpeg (centred): both the same */
  a = scale_with_siting ("jpeg", "auto");
  c = scale_with_siting ("jpeg", "centre");
  fail_unless_equals_int (rows_differing (a, c, OUT_426_CAPS, 0), 0);
  fail_unless_equals_int (rows_differing (a, c, OUT_426_CAPS, 1), 0);
  fail_unless_equals_int (rows_differing (a, c, OUT_426_CAPS, 2), 0);
  gst_buffer_unref (a);
  gst_buffer_unref (c);
}

GST_END_TEST;

static const gchar *
out_chroma_site (GstHarness * h)
{
  GstCaps *caps = gst_pad_get_current_caps (h->sinkpad);
  const gchar *site = gst_structure_get_string (gst_caps_get_structure (caps,
          0), "chroma-site");

  /* interned: stays valid after the caps go */
  site = site ? g_intern_string (site) : NULL;
  gst_caps_unref (caps);
  return site;
}

/* Pushes one frame of @in_caps, the output caps being @out_caps; checks
 * the output chroma-site and the samples against the kernel with the
 * input and output sitings. Returns whether the element was passthrough. */
static gboolean
check_new_site (const gchar * in_caps, const gchar * out_caps,
    const gchar * siting, const gchar * want_site, gboolean in_cosited,
    gboolean out_cosited)
{
  GstHarness *h = harness_new (in_caps, out_caps);
  gboolean passthrough;

  if (siting)
    gst_util_set_object_arg (G_OBJECT (h->element), "chroma-siting", siting);
  passthrough = push_and_check (h, 3, in_cosited, out_cosited);
  fail_unless_equals_string (out_chroma_site (h), want_site);
  gst_harness_teardown (h);
  return passthrough;
}

#define IN_MPEG2_CAPS(w, h) "video/x-raw,format=I420,width=" #w ",height=" \
  #h ",framerate=30/1,chroma-site=mpeg2"

GST_START_TEST (test_element_new_chroma_site)
{
  /* downstream asks for centred chroma: moved while scaling */
  fail_if (check_new_site (IN_MPEG2_CAPS (1920, 1080),
          "video/x-raw,width=1280,height=720,chroma-site=jpeg", NULL, "jpeg",
          TRUE, FALSE));
  /* and at 1:1: no passthrough, the chroma is resampled */
  fail_if (check_new_site (IN_MPEG2_CAPS (640, 360),
          "video/x-raw,width=640,height=360,chroma-site=jpeg", NULL, "jpeg",
          TRUE, FALSE));
  /* back from centred to co-sited */
  fail_if (check_new_site ("video/x-raw,format=I420,width=640,height=360,"
          "framerate=30/1,chroma-site=jpeg",
          "video/x-raw,width=426,height=240,chroma-site=mpeg2", NULL, "mpeg2",
          FALSE, TRUE));
  /* downstream does not care: the input's siting stays */
  fail_if (check_new_site (IN_MPEG2_CAPS (1920, 1080),
          "video/x-raw,width=1280,height=720", NULL, "mpeg2", TRUE, TRUE));
  fail_unless (check_new_site (IN_MPEG2_CAPS (640, 360),
          "video/x-raw,width=640,height=360", NULL, "mpeg2", TRUE, TRUE));
  /* an unknown siting is centred: labelling it jpeg moves nothing */
  fail_unless (check_new_site ("video/x-raw,format=I420,width=640,"
          "height=360,framerate=30/1",
          "video/x-raw,width=640,height=360,chroma-site=jpeg", NULL, "jpeg",
          FALSE, FALSE));
  /* centre takes every side as centred: only the label changes, 1:1 is a
   * passthrough and a scale treats both sides as centred */
  fail_unless (check_new_site (IN_MPEG2_CAPS (640, 360),
          "video/x-raw,width=640,height=360,chroma-site=jpeg", "centre",
          "jpeg", FALSE, FALSE));
  fail_if (check_new_site (IN_MPEG2_CAPS (1920, 1080),
          "video/x-raw,width=1280,height=720,chroma-site=jpeg", "centre",
          "jpeg", FALSE, FALSE));
}

GST_END_TEST;

GST_START_TEST (test_element_properties)
{
  GstElement *e = gst_element_factory_make ("ladderscale", NULL);
  GstElementFactory *f = gst_element_get_factory (e);
  GParamSpec *pspec;
  gint method, siting;

  fail_unless (e != NULL);
  g_object_get (e, "method", &method, "chroma-siting", &siting, NULL);
  fail_unless_equals_int (method, GST_LADDER_SCALE_METHOD_LANCZOS);
  fail_unless_equals_int (siting, GST_LADDER_SCALE_CHROMA_SITING_AUTO);

  gst_util_set_object_arg (G_OBJECT (e), "method", "bicubic");
  gst_util_set_object_arg (G_OBJECT (e), "chroma-siting", "centre");
  g_object_get (e, "method", &method, "chroma-siting", &siting, NULL);
  fail_unless_equals_int (method, GST_LADDER_SCALE_METHOD_BICUBIC);
  fail_unless_equals_int (siting, GST_LADDER_SCALE_CHROMA_SITING_CENTRE);

  /* what gst-inspect-1.0 shows */
  fail_unless_equals_string (gst_element_factory_get_metadata (f,
          GST_ELEMENT_METADATA_KLASS), "Filter/Converter/Video/Scaler");
  fail_unless (strlen (gst_element_factory_get_metadata (f,
              GST_ELEMENT_METADATA_DESCRIPTION)) > 20);
  pspec = g_object_class_find_property (G_OBJECT_GET_CLASS (e), "method");
  fail_unless (strstr (g_param_spec_get_blurb (pspec), "lanczos") != NULL);
  pspec = g_object_class_find_property (G_OBJECT_GET_CLASS (e),
      "chroma-siting");
  fail_unless (strstr (g_param_spec_get_blurb (pspec), "centre") != NULL);
  fail_unless (GST_IS_LADDER_SCALE (e));
  gst_object_unref (e);
}

GST_END_TEST;

/* Making and freeing a scaler gives back everything it took, on every
 * kernel path (the AVX-512 layout was once built twice, the first copy
 * lost). Measured with mallinfo2 (): valgrind runs no AVX-512. */
GST_START_TEST (test_scaler_frees_its_tables)
{
  LadderScalerPath p;

  for (p = LADDER_SCALER_PATH_C; p < N_PATHS; p++) {
    LadderScaler *s;
    struct mallinfo2 before, after;
    gint i;

    if (!path_available (p, "test_scaler_frees_its_tables"))
      continue;
    g_setenv ("LADDER_SCALER_SIMD", ladder_scaler_path_name (p), TRUE);
    /* the first one may set up what stays (GLib, the CPU checks) */
    s = ladder_scaler_new (LADDER_SCALER_LANCZOS, 1920, 1080, 426, 240,
        0.0, 0.0);
    ladder_scaler_free (s);
    before = mallinfo2 ();
    for (i = 0; i < 200; i++) {
      s = ladder_scaler_new (LADDER_SCALER_LANCZOS, 1920, 1080, 426, 240,
          0.0, 0.0);
      fail_unless (s != NULL);
      fail_unless_equals_int (ladder_scaler_get_path (s), p);
      ladder_scaler_free (s);
    }
    after = mallinfo2 ();
    g_unsetenv ("LADDER_SCALER_SIMD");
    /* one leaked table of this size is 30 KiB and more a scaler */
    fail_unless (after.uordblks <= before.uordblks + 64 * 1024,
        "the %s path kept %zu bytes after 200 scalers",
        ladder_scaler_path_name (p), after.uordblks - before.uordblks);
  }
}

GST_END_TEST;

static Suite *
ladderscale_suite (void)
{
  Suite *s = suite_create ("ladderscale");
  TCase *tc = tcase_create ("kernel");

  suite_add_tcase (s, tc);
  tcase_add_test (tc, test_kernel_lanczos_reference);
  tcase_add_test (tc, test_kernel_bicubic_reference);
  tcase_add_test (tc, test_kernel_flat);
  tcase_add_test (tc, test_kernel_ramp_monotone);
  tcase_add_test (tc, test_kernel_paths_ratios);
  tcase_add_test (tc, test_kernel_path_selection);
  tcase_add_test (tc, test_kernel_sin_pi);
  tcase_add_test (tc, test_kernel_bad_sizes);

  tc = tcase_create ("element");
  suite_add_tcase (s, tc);
  tcase_add_test (tc, test_element_i420_720p);
  tcase_add_test (tc, test_element_par_instead_of_borders);
  tcase_add_test (tc, test_element_one_dimension);
  tcase_add_test (tc, test_element_formats);
  tcase_add_test (tc, test_element_video_meta_strides);
  tcase_add_test (tc, test_element_propose_video_meta);
  tcase_add_test (tc, test_element_passthrough);
  tcase_add_test (tc, test_element_interlaced_refused);
  tcase_add_test (tc, test_element_chroma_siting);
  tcase_add_test (tc, test_element_new_chroma_site);
  tcase_add_test (tc, test_element_properties);
  tcase_add_test (tc, test_scaler_frees_its_tables);

  return s;
}

GST_CHECK_MAIN (ladderscale);
