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
#include <gst/check/gstharness.h>
#include <gst/video/video.h>
#include <gst/ladder/ladder.h>

#include "gst/ladder/ladderscaler.c"

/* ------------------------------------------------ the kernel ---------- */

typedef struct
{
  gint in_w, in_h, out_w, out_h;
  gdouble h_off, v_off;
} SizeCase;

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
    gint in_size, gdouble * out, gint out_stride, gint out_size, gdouble offset)
{
  gdouble scale = (gdouble) in_size / out_size;
  gdouble stretch = MAX (1.0, scale);
  gdouble radius = (method == LADDER_SCALER_LANCZOS ? 3 : 2) * stretch;
  gint j, x;

  for (j = 0; j < out_size; j++) {
    gdouble c = (j + 0.5 + offset) * scale - 0.5 - offset;
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
        c->out_h, c->v_off);
  for (y = 0; y < c->out_h; y++)
    ref_filter (method, mid + y * c->in_w, 1, c->in_w, out + y * c->out_w, 1,
        c->out_w, c->h_off);
  for (i = 0; i < c->out_w * c->out_h; i++)
    dst[i] = (guint8) CLAMP (floor (out[i] + 0.5), 0, 255);

  g_free (in);
  g_free (mid);
  g_free (out);
}

/* Planes are allocated with no slack so that valgrind sees any read or
 * write outside them. */
static guint8 *
scale_plane (LadderScalerMethod method, const SizeCase * c,
    const guint8 * src, gboolean simd)
{
  LadderScaler *s;
  guint8 *dst = g_malloc (c->out_w * c->out_h);

  if (simd)
    g_unsetenv ("LADDER_SCALER_NO_SIMD");
  else
    g_setenv ("LADDER_SCALER_NO_SIMD", "1", TRUE);
  s = ladder_scaler_new (method, c->in_w, c->in_h, c->out_w, c->out_h,
      c->h_off, c->v_off);
  g_unsetenv ("LADDER_SCALER_NO_SIMD");
  fail_unless (s != NULL);
  if (!simd)
    fail_if (ladder_scaler_uses_simd (s));

  ladder_scaler_process (s, src, c->in_w, dst, c->out_w);
  ladder_scaler_free (s);
  return dst;
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
  guint i;

  for (i = 0; i < G_N_ELEMENTS (size_cases); i++) {
    const SizeCase *c = &size_cases[i];
    guint8 *src = random_plane (rand, c->in_w, c->in_h);
    guint8 *ref = g_malloc (c->out_w * c->out_h);
    guint8 *simd, *plain;
    gsize n = c->out_w * c->out_h;

    ref_scale (method, c, src, ref);
    simd = scale_plane (method, c, src, TRUE);
    plain = scale_plane (method, c, src, FALSE);

    GST_INFO ("%dx%d -> %dx%d method %d: max diff %d", c->in_w, c->in_h,
        c->out_w, c->out_h, method, max_diff (plain, ref, n));
    fail_unless (max_diff (plain, ref, n) <= 1,
        "C path: %dx%d -> %dx%d method %d: max diff %d", c->in_w, c->in_h,
        c->out_w, c->out_h, method, max_diff (plain, ref, n));
    fail_unless (max_diff (simd, ref, n) <= 1,
        "SIMD path: %dx%d -> %dx%d method %d: max diff %d", c->in_w, c->in_h,
        c->out_w, c->out_h, method, max_diff (simd, ref, n));
    /* the two paths compute the same integer sums */
    fail_unless (memcmp (simd, plain, n) == 0,
        "SIMD and C differ: %dx%d -> %dx%d method %d: max diff %d", c->in_w,
        c->in_h, c->out_w, c->out_h, method, max_diff (simd, plain, n));

    g_free (src);
    g_free (ref);
    g_free (simd);
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
  guint i, l, m, simd;

  for (m = 0; m < 2; m++) {
    for (i = 0; i < G_N_ELEMENTS (size_cases); i++) {
      const SizeCase *c = &size_cases[i];
      guint8 *src = g_malloc (c->in_w * c->in_h);

      for (l = 0; l < G_N_ELEMENTS (levels); l++) {
        memset (src, levels[l], c->in_w * c->in_h);
        for (simd = 0; simd < 2; simd++) {
          guint8 *dst = scale_plane (m, c, src, simd);
          gsize k, bad = 0;

          /* one assertion per plane: check records every assertion */
          for (k = 0; k < (gsize) c->out_w * c->out_h; k++)
            bad += dst[k] != levels[l];
          fail_unless (bad == 0, "%dx%d -> %dx%d level %d: %"
              G_GSIZE_FORMAT " samples changed", c->in_w, c->in_h, c->out_w,
              c->out_h, levels[l], bad);
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
  guint i, m, simd;
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

      for (simd = 0; simd < 2; simd++) {
        guint8 *dst = scale_plane (m, c, src, simd);
        gint bad = 0;

        for (y = 0; y < c->out_h; y++) {
          for (x = 0; x < c->out_w; x++) {
            guint8 v = dst[y * c->out_w + x];

            if (horizontal && x > 0)
              bad += v < dst[y * c->out_w + x - 1];
            if (!horizontal && y > 0)
              bad += v < dst[(y - 1) * c->out_w + x];
          }
        }
        fail_unless (bad == 0, "%dx%d -> %dx%d: %d samples below the "
            "previous one", c->in_w, c->in_h, c->out_w, c->out_h, bad);
        g_free (dst);
      }
      g_free (src);
    }
  }
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

/* @ELEMENT_TESTS@ */

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
  tcase_add_test (tc, test_kernel_sin_pi);
  tcase_add_test (tc, test_kernel_bad_sizes);

  return s;
}

GST_CHECK_MAIN (ladderscale);
