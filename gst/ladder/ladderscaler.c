/* gst-ladder
 * Copyright (C) 2026 The gst-ladder authors
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2 of the License, or (at your option) any later version.
 */

/* A separable polyphase scaler for one 8-bit plane.
 *
 * Filter: output sample j of a plane samples the input plane at
 *
 *   c = (j + 0.5 + offset) * in / out - 0.5 - offset
 *
 * where offset places the samples inside their area (0 for luma and for
 * centred chroma, see ladder_scaler_siting_offset()). Each output is a
 * weighted sum of the input samples x with |x - c| < R * stretch, weight
 * K ((x - c) / stretch), normalised to sum 1, where K is Lanczos-3 (R = 3)
 * or a cubic (R = 2) and stretch = max (in / out, 1): downscaling widens
 * the kernel so that it low-passes at the output Nyquist frequency,
 * upscaling interpolates with the plain kernel. Taps outside the plane are
 * folded into the edge sample (edge replication).
 *
 * Order: for every output row, the vertical pass first computes the
 * weighted sum of the input rows it needs, over all input columns, into a
 * one-row int16 intermediate; the horizontal pass then filters that row
 * into the output row. Downscaling thus runs the horizontal pass (which
 * needs horizontal adds) only on the output rows, no full-frame
 * intermediate exists, and the input rows a few consecutive output rows
 * share stay in cache.
 *
 * Fixed point: weights are integers with 14 fractional bits, each output's
 * weights summing to exactly 1 << 14, so a flat plane stays exactly flat.
 * The vertical pass accumulates u8 x s16 in 32 bits and rounds to an int16
 * with 6 fractional bits (8.6: -512 .. 511.98, room for the overshoot of
 * the negative lobes, and saturated anyway); the horizontal pass
 * accumulates s16 x s16 in 32 bits (|sum| < 2^30 for any weights summing
 * to one with the lobes of these kernels) and rounds once. The error
 * against a double-precision computation of the same filter stays well
 * under one code value.
 *
 * The SIMD and C paths compute the very same integer sums with the same
 * rounding and saturation, so their output is bit-identical.
 *
 * SIMD: on x86, AVX2 code is chosen at run time
 * (__builtin_cpu_supports); the vertical pass multiplies interleaved pairs
 * of rows with vpmaddwd, the horizontal pass runs vpmaddwd on the 16-bit
 * window of two outputs per register and sums with vphaddd. Otherwise
 * plain C, written so that gcc vectorises the vertical pass. Setting
 * LADDER_SCALER_NO_SIMD=1 in the environment forces the C path (read when
 * a scaler is created).
 */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <math.h>
#include <string.h>

#include "ladderscaler-private.h"

#if defined(__x86_64__) || defined(__i386__)
#define HAVE_X86 1
#include <immintrin.h>
#endif

#define WEIGHT_ONE (1 << LADDER_SCALER_WEIGHT_BITS)
/* vertical: u8 x weight -> 8.6 */
#define V_SHIFT (LADDER_SCALER_WEIGHT_BITS - LADDER_SCALER_INTER_BITS)
#define V_ROUND (1 << (V_SHIFT - 1))
/* horizontal: 8.6 x weight -> u8 */
#define H_SHIFT (LADDER_SCALER_WEIGHT_BITS + LADDER_SCALER_INTER_BITS)
#define H_ROUND (1 << (H_SHIFT - 1))

/* the vertical window is a multiple of 2 (rows are multiplied in pairs);
 * the horizontal one depends on the AVX2 layout, see ladder_scaler_new () */
#define V_ALIGN 2
/* zeroed samples past the last horizontal window, for the AVX2 lane loads */
#define TMP_SLACK 16
/* columns of the C vertical pass per block (stays in L1) */
#define V_BLOCK 256

typedef void (*VScaleFunc) (const guint8 * const *rows, const gint32 * wpairs,
    const gint16 * weights, gint taps, gint16 * tmp, gint width);
typedef void (*HScaleFunc) (const LadderScaler * s, const gint16 * tmp,
    guint8 * dst);

struct _LadderScaler
{
  gint in_w, in_h, out_w, out_h;

  /* horizontal: out_w windows of h_taps weights starting at h_start[x] */
  gint h_taps;
  gint *h_start;
  gint16 *h_weights;            /* out_w x h_taps */
  /* the AVX2 layout (see hscale_avx2): outputs per 128-bit lane (4, 2
   * or 1), then per group of 8 outputs and register: the lane bases,
   * the byte shuffle and the weight pairs of every step */
  gint h_per_lane;
  gint *h_bases;                /* groups x regs x 2 */
  guint8 *h_shuffles;           /* groups x regs x 32 */
  gint16 *h_wx;                 /* groups x regs x steps x 16 */

  /* vertical: out_h windows of v_taps rows starting at v_start[y] */
  gint v_taps;
  gint *v_start;
  gint16 *v_weights;            /* out_h x v_taps */
  gint32 *v_wpairs;             /* out_h x v_taps / 2 packed weight pairs */

  /* scratch, used by process () */
  const guint8 **rows;          /* v_taps */
  gint16 *tmp;                  /* intermediate row, tmp_len */
  gint tmp_len;

  gboolean simd;
  VScaleFunc vscale;
  HScaleFunc hscale;
};

/* sin (pi * x) without libm (the library does not link it): reduced to
 * |x| <= 0.5, where the Taylor series converges to double precision within
 * a dozen terms. Only used while building the weights. */
static gdouble
sin_pi (gdouble x)
{
  gdouble t, t2, term, sum;
  gint n;

  /* sin (pi x) has period 2 and is odd */
  x -= 2.0 * floor ((x + 1.0) / 2.0);   /* -1 <= x < 1 */
  if (x > 0.5)
    x = 1.0 - x;
  else if (x < -0.5)
    x = -1.0 - x;

  t = G_PI * x;
  t2 = t * t;
  term = t;
  sum = t;
  for (n = 1; n < 14; n++) {
    term *= -t2 / ((2 * n) * (2 * n + 1));
    sum += term;
  }
  return sum;
}

static gdouble
kernel (LadderScalerMethod method, gdouble x)
{
  x = fabs (x);
  if (method == LADDER_SCALER_LANCZOS) {
    gdouble px;

    if (x >= 3.0)
      return 0.0;
    if (x < 1e-9)
      return 1.0;
    px = G_PI * x;
    return 3.0 * sin_pi (x) * sin_pi (x / 3.0) / (px * px);
  } else {
    const gdouble c = LADDER_SCALER_BICUBIC_C;

    if (x < 1.0)
      return ((2.0 - c) * x - (3.0 - c)) * x * x + 1.0;
    if (x < 2.0)
      return ((-c * x + 5.0 * c) * x - 8.0 * c) * x + 4.0 * c;
    return 0.0;
  }
}

static gdouble
kernel_radius (LadderScalerMethod method)
{
  return method == LADDER_SCALER_LANCZOS ? 3.0 : 2.0;
}

/**
 * ladder_scaler_siting_offset:
 * @subsampling_log2: log2 of the plane's subsampling in that direction
 * @cosited: whether the samples are co-sited with the first luma sample
 *
 * Returns: the offset argument of ladder_scaler_new() for a plane: 0 for
 * centred samples, 0.5 / n - 0.5 for samples co-sited with luma in a
 * plane subsampled by n (-0.25 for 4:2:0 MPEG-2 siting).
 */
gdouble
ladder_scaler_siting_offset (guint subsampling_log2, gboolean cosited)
{
  gdouble n = (gdouble) (1u << subsampling_log2);

  return cosited ? 0.5 / n - 0.5 : 0.0;
}

/* Computes the integer weights of one direction. Each output gets a
 * window of *taps_out (a multiple of align) consecutive input positions
 * starting at (*start_out)[j]; positions past the window's nonzero part
 * get weight 0. The window is shifted (never the memory) so that it stays
 * inside 0 .. in_size - 1 whenever in_size >= taps; callers handle the
 * case where the whole plane is narrower than one window. */
static gint16 *
build_weights (LadderScalerMethod method, gint in_size, gint out_size,
    gdouble offset, gint align, gint * taps_out, gint ** start_out)
{
  gdouble scale = (gdouble) in_size / out_size;
  gdouble stretch = MAX (scale, 1.0);
  gdouble radius = kernel_radius (method) * stretch;
  gint n, taps, j;
  gint16 *weights;
  gint *starts;
  gdouble *dw;

  /* an open interval of length 2 * radius holds at most ceil (2 * radius)
   * integers; after folding, at most in_size distinct positions remain */
  n = MIN ((gint) ceil (2.0 * radius), in_size);
  taps = (n + align - 1) / align * align;

  weights = g_new0 (gint16, (gsize) out_size * taps);
  starts = g_new (gint, out_size);
  dw = g_new (gdouble, taps);

  for (j = 0; j < out_size; j++) {
    gdouble center = (j + 0.5 + offset) * scale - 0.5 - offset;
    gint first = (gint) floor (center - radius) + 1;
    gint last = (gint) ceil (center + radius) - 1;
    gint lo = CLAMP (first, 0, in_size - 1);
    gint start = MIN (lo, MAX (0, in_size - taps));
    gint16 *w = weights + (gsize) j * taps;
    gdouble sum = 0.0, big = -1.0;
    gint i, x, total = 0, big_i = 0;

    memset (dw, 0, taps * sizeof (gdouble));
    for (x = first; x <= last; x++) {
      gdouble v = kernel (method, (x - center) / stretch);

      dw[CLAMP (x, 0, in_size - 1) - start] += v;
      sum += v;
    }

    /* quantise, then put the rounding remainder on the largest weight so
     * that the weights sum to exactly WEIGHT_ONE */
    for (i = 0; i < taps; i++) {
      w[i] = (gint16) floor (dw[i] / sum * WEIGHT_ONE + 0.5);
      total += w[i];
      if (fabs (dw[i]) > big) {
        big = fabs (dw[i]);
        big_i = i;
      }
    }
    w[big_i] += WEIGHT_ONE - total;
    starts[j] = start;
  }

  g_free (dw);
  *taps_out = taps;
  *start_out = starts;
  return weights;
}

/* ---------------------------------------------------------------- C --- */

static inline gint16
clamp_s16 (gint32 v)
{
  return (gint16) CLAMP (v, G_MININT16, G_MAXINT16);
}

/* gcc's default cost model at -O2 only vectorises loops whose trip count
 * is known; the C loops here are worth it for any length */
#if defined(__GNUC__) && !defined(__clang__)
#define VECTORIZE __attribute__((optimize ("tree-vectorize", \
        "vect-cost-model=dynamic")))
#else
#define VECTORIZE
#endif

/* columns from .. width - 1 */
VECTORIZE static void
vscale_c_range (const guint8 * const *rows, const gint16 * weights,
    gint taps, gint16 * tmp, gint from, gint width)
{
  gint32 acc[V_BLOCK];
  gint x0, i, k;

  /* tap-outer loops over a block of columns: the inner loops are plain
   * multiply-adds over arrays, which gcc vectorises */
  for (x0 = from; x0 < width; x0 += V_BLOCK) {
    gint n = MIN (V_BLOCK, width - x0);

    for (i = 0; i < n; i++)
      acc[i] = V_ROUND;
    for (k = 0; k < taps; k++) {
      const guint8 *row = rows[k] + x0;
      gint32 w = weights[k];

      if (w == 0)
        continue;
      for (i = 0; i < n; i++)
        acc[i] += w * row[i];
    }
    for (i = 0; i < n; i++)
      tmp[x0 + i] = clamp_s16 (acc[i] >> V_SHIFT);
  }
}

static void
vscale_c (const guint8 * const *rows, const gint32 * wpairs,
    const gint16 * weights, gint taps, gint16 * tmp, gint width)
{
  vscale_c_range (rows, weights, taps, tmp, 0, width);
}

VECTORIZE static inline guint8
hscale_one (const gint16 * t, const gint16 * w, gint taps)
{
  gint32 acc = 0;
  gint k;

  for (k = 0; k < taps; k++)
    acc += w[k] * t[k];
  acc = (acc + H_ROUND) >> H_SHIFT;
  return (guint8) CLAMP (acc, 0, 255);
}

VECTORIZE static void
hscale_c_range (const LadderScaler * s, const gint16 * tmp, guint8 * dst,
    gint from)
{
  gint x;

  for (x = from; x < s->out_w; x++)
    dst[x] = hscale_one (tmp + s->h_start[x],
        s->h_weights + (gsize) x * s->h_taps, s->h_taps);
}

static void
hscale_c (const LadderScaler * s, const gint16 * tmp, guint8 * dst)
{
  hscale_c_range (s, tmp, dst, 0);
}

/* ------------------------------------------------------------- AVX2 --- */

#ifdef HAVE_X86

#define AVX2 __attribute__((target ("avx2")))

static inline __m256i AVX2
vscale_avx2_16 (const guint8 * const *rows, const gint32 * wpairs,
    gint taps, gint x, __m256i * hi_out)
{
  __m256i lo = _mm256_set1_epi32 (V_ROUND);
  __m256i hi = lo;
  gint k;

  for (k = 0; k < taps; k += 2) {
    __m256i w = _mm256_set1_epi32 (wpairs[k / 2]);
    __m256i a = _mm256_cvtepu8_epi16 (_mm_loadu_si128 ((const __m128i *)
            (rows[k] + x)));
    __m256i b = _mm256_cvtepu8_epi16 (_mm_loadu_si128 ((const __m128i *)
            (rows[k + 1] + x)));

    /* (a0 b0 a1 b1 ...) x (w0 w1 w0 w1 ...) = a * w0 + b * w1, per lane:
     * pixels 0-3 / 8-11 from the low halves, 4-7 / 12-15 from the high */
    lo = _mm256_add_epi32 (lo, _mm256_madd_epi16 (_mm256_unpacklo_epi16 (a,
                b), w));
    hi = _mm256_add_epi32 (hi, _mm256_madd_epi16 (_mm256_unpackhi_epi16 (a,
                b), w));
  }
  *hi_out = _mm256_srai_epi32 (hi, V_SHIFT);
  return _mm256_srai_epi32 (lo, V_SHIFT);
}

static void AVX2
vscale_avx2 (const guint8 * const *rows, const gint32 * wpairs,
    const gint16 * weights, gint taps, gint16 * tmp, gint width)
{
  gint x = 0;

  for (; x + 32 <= width; x += 32) {
    __m256i lo0, hi0, lo1, hi1;

    lo0 = vscale_avx2_16 (rows, wpairs, taps, x, &hi0);
    lo1 = vscale_avx2_16 (rows, wpairs, taps, x + 16, &hi1);
    /* the lane-wise pack puts pixels back in order: 0-3 4-7 | 8-11 12-15 */
    _mm256_storeu_si256 ((__m256i *) (tmp + x), _mm256_packs_epi32 (lo0, hi0));
    _mm256_storeu_si256 ((__m256i *) (tmp + x + 16),
        _mm256_packs_epi32 (lo1, hi1));
  }
  for (; x + 16 <= width; x += 16) {
    __m256i lo, hi;

    lo = vscale_avx2_16 (rows, wpairs, taps, x, &hi);
    _mm256_storeu_si256 ((__m256i *) (tmp + x), _mm256_packs_epi32 (lo, hi));
  }
  vscale_c_range (rows, weights, taps, tmp, x, width);
}

/* Horizontal pass. A 256-bit register holds, per 128-bit lane, 8
 * consecutive intermediate samples loaded from a lane base; vpshufb picks
 * from them the (t[j], t[j + 1]) pairs of each output's window and
 * vpmaddwd multiplies them with the weight pairs. With n = h_per_lane
 * outputs per lane, each output gets 4 / n pairs per step, so a step
 * covers 8 / n taps; 8 outputs take 4 / n registers, whose pair sums are
 * reduced with vphaddd. n = 4 (2 taps per step, no reduction) fits when 4
 * consecutive windows start within 6 samples (downscaling by up to about
 * 2), n = 2 within 4 samples (up to about 4), n = 1 (8 taps of one output
 * per lane, no shuffle) always. */
static void AVX2
hscale_avx2 (const LadderScaler * s, const gint16 * tmp, guint8 * dst)
{
  const gint n = s->h_per_lane;
  const gint regs = 4 / n;
  const gint step_taps = 8 / n;
  const gint steps = s->h_taps / step_taps;
  const gint groups = s->out_w / 8;
  const __m256i round = _mm256_set1_epi32 (H_ROUND);
  const gint *bases = s->h_bases;
  const guint8 *shuf = s->h_shuffles;
  const gint16 *w = s->h_wx;
  gint g;

  for (g = 0; g < groups; g++) {
    __m256i acc[4], r;
    __m128i lo, hi;
    gint i, t;

    for (i = 0; i < regs; i++) {
      const gint16 *a = tmp + bases[0];
      const gint16 *b = tmp + bases[1];
      const __m256i mask = _mm256_load_si256 ((const __m256i *) shuf);
      __m256i sum = _mm256_setzero_si256 ();

      for (t = 0; t < steps; t++) {
        __m256i v = _mm256_inserti128_si256 (_mm256_castsi128_si256
            (_mm_loadu_si128 ((const __m128i *) (a + t * step_taps))),
            _mm_loadu_si128 ((const __m128i *) (b + t * step_taps)), 1);

        if (n > 1)
          v = _mm256_shuffle_epi8 (v, mask);
        sum = _mm256_add_epi32 (sum, _mm256_madd_epi16 (v,
                _mm256_load_si256 ((const __m256i *) w)));
        w += 16;
      }
      acc[i] = sum;
      bases += 2;
      shuf += 32;
    }

    /* to lane 0 = outputs 0-3, lane 1 = outputs 4-7 */
    if (n == 4) {
      r = acc[0];
    } else if (n == 2) {
      r = _mm256_hadd_epi32 (acc[0], acc[1]);
    } else {
      r = _mm256_hadd_epi32 (_mm256_hadd_epi32 (acc[0], acc[1]),
          _mm256_hadd_epi32 (acc[2], acc[3]));
    }
    r = _mm256_srai_epi32 (_mm256_add_epi32 (r, round), H_SHIFT);
    /* saturating packs: int32 -> int16 -> u8, the same clamp as in C */
    r = _mm256_packs_epi32 (r, r);
    r = _mm256_packus_epi16 (r, r);
    lo = _mm256_castsi256_si128 (r);
    hi = _mm256_extracti128_si256 (r, 1);
    _mm_storel_epi64 ((__m128i *) (dst + g * 8), _mm_unpacklo_epi32 (lo, hi));
  }
  hscale_c_range (s, tmp, dst, groups * 8);
}

static gboolean
cpu_has_avx2 (void)
{
  __builtin_cpu_init ();
  return __builtin_cpu_supports ("avx2");
}

#endif /* HAVE_X86 */

/* ------------------------------------------------------------- API --- */

#ifdef HAVE_X86

/* Whether in every full group of 8 outputs, each lane of n outputs finds
 * its pairs in the 8 samples at the lane base (see hscale_avx2) */
static gboolean
h_layout_fits (const gint * starts, gint out_w, gint n)
{
  gint x, i;

  for (x = 0; x + n <= out_w / 8 * 8; x += n)
    for (i = 1; i < n; i++)
      if (starts[x + i] - starts[x] > 8 - 2 * (4 / n))
        return FALSE;
  return TRUE;
}

/* Fills the tables of hscale_avx2 for s->h_per_lane */
static void
build_h_layout (LadderScaler * s)
{
  const gint n = s->h_per_lane, regs = 4 / n, pairs = 4 / n;
  const gint step_taps = 8 / n, steps = s->h_taps / step_taps;
  const gint groups = MAX (s->out_w / 8, 1);
  gint g, r, t, lane, slot;
  gint16 *w;

  s->h_bases = g_new0 (gint, groups * regs * 2);
  s->h_shuffles = g_aligned_alloc0 (groups * regs, 32, 32);
  s->h_wx = g_aligned_alloc0 (groups * regs * steps * 16, sizeof (gint16), 32);

  w = s->h_wx;
  for (g = 0; g < s->out_w / 8; g++) {
    for (r = 0; r < regs; r++) {
      gint *bases = s->h_bases + (g * regs + r) * 2;
      guint8 *shuf = s->h_shuffles + (g * regs + r) * 32;

      for (lane = 0; lane < 2; lane++) {
        gint first = g * 8 + 4 * lane + n * r;

        bases[lane] = s->h_start[first];
        for (slot = 0; slot < 4; slot++) {
          gint x = first + slot / pairs;
          gint d = s->h_start[x] - bases[lane] + 2 * (slot % pairs);
          guint8 *m = shuf + 16 * lane + 4 * slot;

          m[0] = 2 * d;
          m[1] = 2 * d + 1;
          m[2] = 2 * d + 2;
          m[3] = 2 * d + 3;
        }
      }
      for (t = 0; t < steps; t++) {
        for (lane = 0; lane < 2; lane++) {
          for (slot = 0; slot < 4; slot++) {
            gint x = g * 8 + 4 * lane + n * r + slot / pairs;
            gint j = t * step_taps + 2 * (slot % pairs);
            const gint16 *wx = s->h_weights + (gsize) x * s->h_taps;

            w[8 * lane + 2 * slot] = wx[j];
            w[8 * lane + 2 * slot + 1] = wx[j + 1];
          }
        }
        w += 16;
      }
    }
  }
}

#endif /* HAVE_X86 */

/**
 * ladder_scaler_new:
 * @method: the filter
 * @in_w: (in): width of the input plane, > 0
 * @in_h: height of the input plane, > 0
 * @out_w: width of the output plane, > 0
 * @out_h: height of the output plane, > 0
 * @h_offset: horizontal siting of the samples (ladder_scaler_siting_offset())
 * @v_offset: vertical siting of the samples
 *
 * Returns: (transfer full) (nullable): a scaler for planes of these sizes,
 * or %NULL when a size is not positive or so large that the window
 * arithmetic would overflow.
 */
LadderScaler *
ladder_scaler_new (LadderScalerMethod method, gint in_w, gint in_h,
    gint out_w, gint out_h, gdouble h_offset, gdouble v_offset)
{
  LadderScaler *s;
  gint y, k;

  if (in_w <= 0 || in_h <= 0 || out_w <= 0 || out_h <= 0)
    return NULL;
  /* keeps every index and product below 2^31 */
  if (in_w > 32768 || in_h > 32768 || out_w > 32768 || out_h > 32768)
    return NULL;

  s = g_new0 (LadderScaler, 1);
  s->in_w = in_w;
  s->in_h = in_h;
  s->out_w = out_w;
  s->out_h = out_h;

#ifdef HAVE_X86
  s->simd = cpu_has_avx2 () && !g_getenv ("LADDER_SCALER_NO_SIMD");
#endif
  /* the horizontal windows: as many outputs per AVX2 lane as fit, with
   * the tap alignment that layout needs (the C path takes any) */
  for (s->h_per_lane = 4; s->h_per_lane > 0; s->h_per_lane /= 2) {
    s->h_weights = build_weights (method, in_w, out_w, h_offset,
        8 / s->h_per_lane, &s->h_taps, &s->h_start);
    if (!s->simd || s->h_per_lane == 1 ||
        h_layout_fits (s->h_start, out_w, s->h_per_lane))
      break;
    g_free (s->h_weights);
    g_free (s->h_start);
  }
  s->v_weights = build_weights (method, in_h, out_h, v_offset, V_ALIGN,
      &s->v_taps, &s->v_start);

  s->v_wpairs = g_new (gint32, (gsize) out_h * s->v_taps / 2);
  for (y = 0; y < out_h; y++) {
    const gint16 *w = s->v_weights + (gsize) y * s->v_taps;

    for (k = 0; k < s->v_taps; k += 2)
      s->v_wpairs[((gsize) y * s->v_taps + k) / 2] =
          (gint32) (((guint32) (guint16) w[k + 1] << 16) | (guint16) w[k]);
  }

  s->rows = g_new (const guint8 *, s->v_taps);
  /* the horizontal windows read up to the last window's end, the AVX2
   * lanes up to TMP_SLACK past it: the samples past in_w stay 0 and have
   * weight 0 */
  s->tmp_len = MAX (in_w, s->h_start[out_w - 1] + s->h_taps) + TMP_SLACK;
  s->tmp = g_aligned_alloc0 (s->tmp_len, sizeof (gint16), 32);

  s->vscale = vscale_c;
  s->hscale = hscale_c;
#ifdef HAVE_X86
  if (s->simd) {
    s->vscale = vscale_avx2;
    s->hscale = hscale_avx2;
    build_h_layout (s);
  }
#endif

  return s;
}

/**
 * ladder_scaler_process:
 * @s: a scaler
 * @src: the input plane, in_w x in_h samples
 * @src_stride: bytes from one input row to the next
 * @dst: the output plane, out_w x out_h samples
 * @dst_stride: bytes from one output row to the next
 *
 * Scales one plane. Reads only the in_w x in_h input samples and writes
 * only the out_w x out_h output samples.
 */
void
ladder_scaler_process (LadderScaler * s, const guint8 * src, gint src_stride,
    guint8 * dst, gint dst_stride)
{
  gint y, k;

  g_return_if_fail (s != NULL);

  for (y = 0; y < s->out_h; y++) {
    gint start = s->v_start[y];

    /* a window longer than the plane repeats the last row, with weight 0 */
    for (k = 0; k < s->v_taps; k++)
      s->rows[k] = src + (gssize) MIN (start + k, s->in_h - 1) * src_stride;

    s->vscale (s->rows, s->v_wpairs + (gsize) y * s->v_taps / 2,
        s->v_weights + (gsize) y * s->v_taps, s->v_taps, s->tmp, s->in_w);
    s->hscale (s, s->tmp, dst + (gssize) y * dst_stride);
  }
}

/**
 * ladder_scaler_uses_simd:
 * @s: a scaler
 *
 * Returns: whether @s runs the SIMD code (for tests and benchmarks)
 */
gboolean
ladder_scaler_uses_simd (const LadderScaler * s)
{
  return s->simd;
}

/**
 * ladder_scaler_free:
 * @s: (transfer full) (nullable): a scaler
 */
void
ladder_scaler_free (LadderScaler * s)
{
  if (!s)
    return;
  g_free (s->h_start);
  g_free (s->h_weights);
  g_free (s->h_bases);
  g_aligned_free (s->h_shuffles);
  g_aligned_free (s->h_wx);
  g_free (s->v_start);
  g_free (s->v_weights);
  g_free (s->v_wpairs);
  g_free (s->rows);
  g_aligned_free (s->tmp);
  g_free (s);
}
