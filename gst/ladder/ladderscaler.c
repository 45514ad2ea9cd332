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
 *   c = (j + 0.5 + out_offset) * in / out - 0.5 - in_offset
 *
 * where the offsets place the samples of each side inside their area (0
 * for luma and for centred chroma, see ladder_scaler_siting_offset()); an
 * output sited differently from the input moves its samples to the new
 * siting, at any scale (1:1 included). Each output is a
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
 * SIMD: on x86 the best of AVX-512 (F, BW, VL), AVX2, SSE2 and C is
 * chosen at run time (__builtin_cpu_supports). AVX2: the vertical pass
 * multiplies interleaved pairs of rows with vpmaddwd, two output rows at
 * a time over the union of their windows with the rows of the next pair
 * prefetched (as on AVX-512, below), the horizontal pass runs vpmaddwd
 * on the 16-bit window of two outputs per register and sums with
 * vphaddd. AVX-512: the vertical pass computes two output rows at a time
 * over the union of their windows (each input row loaded and widened once
 * for both) and prefetches the rows the next pair adds; the horizontal
 * pass gathers each output's tap pairs into its own 32-bit slot with
 * vpermt2w, so it needs no horizontal adds, and filters both rows of the
 * pair with the same index and weight loads. SSE2 (any x86-64 CPU
 * without AVX2): the AVX2 design on 128 bits, one output row per vertical
 * pass (vscale_sse2 ()), the horizontal pass on 8 rows at once
 * (hscale8_sse2 ()). Otherwise plain C, written so that compilers
 * vectorise it for the CPU's own vectors (NEON on ARM): the vertical pass
 * as tap-outer multiply-adds over columns, the horizontal pass on 8 rows
 * at once with the rows as the lanes, as on AVX2 (hscale8_c ()).
 * LADDER_SCALER_SIMD=c|sse2|avx2|avx512 in the environment forces a path
 * (the best one below it if the
 * CPU lacks it), LADDER_SCALER_NO_SIMD=1 forces C (both read when a
 * scaler is created).
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
/* zeroed samples past the last horizontal window, for the AVX2 lane loads
 * (the AVX-512 windows are accounted for in build_h512_layout ()) */
#define TMP_SLACK 16
/* alignment of the intermediate row and the tables: one AVX-512 register */
#define SIMD_ALIGN 64
/* outputs of the C horizontal pass of 8 rows per block (see hscale8_c) */
#define C8_BLOCK 64
/* columns of the C vertical pass per block (its sums stay in L1) */
#define V_COLS 64

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
  /* the AVX-512 layout (see hscale_avx512): slots per output and
   * register (1 .. 16), steps per window load, then per group of 16
   * outputs and register the window base and the word indices of the
   * first step, and the weight pairs of every step */
  gint h512_pairs;
  gint h512_block;
  gint *h512_bases;             /* groups x pairs */
  gint16 *h512_idx;             /* groups x pairs x 32 */
  gint16 *h512_w;               /* groups x pairs x steps x 32 */

  /* vertical: out_h windows of v_taps rows starting at v_start[y] */
  gint v_taps;
  gint *v_start;
  gint16 *v_weights;            /* out_h x v_taps */
  gint32 *v_wpairs;             /* out_h x v_taps / 2 packed weight pairs */
  /* AVX2, AVX-512: output rows 2 i and 2 i + 1 in one vertical pass (see
   * vscale2_avx512) over the union of their windows, of at most
   * v2_pairs row pairs from v_start[2 i] */
  gint v2_pairs;
  gint *v2_info;                /* out_h / 2 x (pairs, lo1, hi0) */
  gint32 *v2_wpairs;            /* out_h / 2 x 2 x v2_pairs */

  /* AVX2 (and SSE2), 8 output rows at a time (see hscale8_avx2; AVX2
   * also 16, hscale16_avx2): per output the first pair of its window (an
   * even sample), and per group of 8 outputs and pair the 8 weight
   * pairs; the intermediate rows and their transpose */
  gint h8_pairs;
  gint h8_span;                 /* pairs transposed per row, a multiple of 8 */
  /* out_w / 8 groups, and when out_w % 8 (and out_w >= 8) one more of
   * outputs out_w - 8 .. out_w - 1, overlapping the group before (AVX2) */
  gint h8_groups;
  gint *h8_base;                /* h8_groups x 8 */
  gint *h8_end;                 /* h8_groups: the pairs a group reads */
  gint32 *h8_w;                 /* h8_groups x h8_pairs x 8 */
  gint16 *tmp8;                 /* 8 x tmp8_len; AVX2: 16 x tmp8_len */
  gint tmp8_len;
  gint32 *h8_cols;              /* h8_span x 8 */
  gint32 *h16_cols;             /* AVX2: rows 8-15 transposed, h8_span x 8 */
  /* C, 8 output rows at a time (see hscale8_c): the intermediate rows
   * (tmp8) transposed, sample x of the 8 rows at 8 x */
  gint c8_span;                 /* samples the windows read */
  gint16 *c8_cols;              /* c8_span x 8 */

  /* scratch, used by process () */
  const guint8 **rows;          /* MAX (v_taps, 4 v2_pairs) */
  gint16 *tmp;                  /* intermediate rows, 2 x tmp_len */
  gint tmp_len;

  LadderScalerPath path;
  VScaleFunc vscale;
  HScaleFunc hscale;
};

/* The output in slot @x of the h8 tables: the groups of 8 in order, then
 * the last group, ending at out_w */
static inline gint
h8_output (const LadderScaler * s, gint x)
{
  return x < s->out_w / 8 * 8 ? x : s->out_w - 8 * s->h8_groups + x;
}

/* The outputs the AVX2 passes of 8 and 16 rows leave to C: none when the
 * tables have a last group ending at out_w */
static inline gint
h8_done (const LadderScaler * s)
{
  return MIN (s->out_w, 8 * s->h8_groups);
}

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
    gdouble in_offset, gdouble out_offset, gint align, gint * taps_out,
    gint ** start_out)
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
    gdouble center = (j + 0.5 + out_offset) * scale - 0.5 - in_offset;
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

/* columns from .. width - 1. Tap-outer loops over a block of V_COLS
 * columns, two rows at a time: the inner loops are plain multiply-adds
 * over arrays, which compilers vectorise; 16-bit factors (a sample fits,
 * and so does a weight) let them use 16 x 16 -> 32-bit multiplies, which
 * SSE2 has and a 32-bit multiply it lacks (NEON: smull, smlal). */
VECTORIZE static void
vscale_c_range (const guint8 * const *rows, const gint16 * weights,
    gint taps, gint16 * tmp, gint from, gint width)
{
  gint32 acc[V_COLS];
  gint x0, i, k;

  for (x0 = from; x0 < width; x0 += V_COLS) {
    const gint n = MIN (V_COLS, width - x0);

    for (i = 0; i < n; i++)
      acc[i] = V_ROUND;
    for (k = 0; k + 1 < taps; k += 2) {
      const guint8 *r0 = rows[k] + x0, *r1 = rows[k + 1] + x0;
      const gint16 w0 = weights[k], w1 = weights[k + 1];

      for (i = 0; i < n; i++)
        acc[i] += w0 * (gint16) r0[i] + w1 * (gint16) r1[i];
    }
    if (k < taps) {
      const guint8 *r0 = rows[k] + x0;
      const gint16 w0 = weights[k];

      for (i = 0; i < n; i++)
        acc[i] += w0 * (gint16) r0[i];
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

/* Samples from .. to - 1 of the 8 rows of @t (rows @len apart) to @cols,
 * sample x of the 8 rows at 8 x: 8 interleaved streams, which compilers
 * turn into unpacks (SSE2) or zips (NEON) */
VECTORIZE static void
c8_transpose (const gint16 * t, gint len, gint16 * cols, gint from, gint to)
{
  const gint16 *t0 = t, *t1 = t + len, *t2 = t + 2 * len, *t3 = t + 3 * len,
      *t4 = t + 4 * len, *t5 = t + 5 * len, *t6 = t + 6 * len,
      *t7 = t + 7 * len;
  gint x;

  for (x = from; x < to; x++) {
    cols[8 * x] = t0[x];
    cols[8 * x + 1] = t1[x];
    cols[8 * x + 2] = t2[x];
    cols[8 * x + 3] = t3[x];
    cols[8 * x + 4] = t4[x];
    cols[8 * x + 5] = t5[x];
    cols[8 * x + 6] = t6[x];
    cols[8 * x + 7] = t7[x];
  }
}

/* Outputs 8 x of 8 rows back to the rows: the streams taken apart again */
VECTORIZE static void
c8_untranspose (const guint8 * out, gint n, guint8 * dst, gint dst_stride)
{
  guint8 *d0 = dst, *d1 = dst + dst_stride, *d2 = dst + 2 * dst_stride,
      *d3 = dst + 3 * dst_stride, *d4 = dst + 4 * dst_stride,
      *d5 = dst + 5 * dst_stride, *d6 = dst + 6 * dst_stride,
      *d7 = dst + 7 * dst_stride;
  gint x;

  for (x = 0; x < n; x++) {
    d0[x] = out[8 * x];
    d1[x] = out[8 * x + 1];
    d2[x] = out[8 * x + 2];
    d3[x] = out[8 * x + 3];
    d4[x] = out[8 * x + 4];
    d5[x] = out[8 * x + 5];
    d6[x] = out[8 * x + 6];
    d7[x] = out[8 * x + 7];
  }
}

/* Horizontal pass of 8 rows at once in plain C, the rows as the lanes (as
 * hscale8_avx2 ()): the 8 intermediate rows are transposed, sample x of
 * every row side by side, so that each output is a sum over its window of
 * one weight times 8 neighbouring samples, which compilers vectorise over
 * the 8 rows (SSE2, NEON) instead of reducing a short dot product per
 * output. Blocks of C8_BLOCK outputs: the samples a block reads are
 * transposed just before it and its outputs go back to the rows just
 * after, so that all of it stays in L1. The sums are those of hscale_c (),
 * exactly. */
VECTORIZE static void
hscale8_c (const LadderScaler * s, guint8 * dst, gint dst_stride)
{
  const gint taps = s->h_taps;
  gint16 *cols = s->c8_cols;
  guint8 out[8 * C8_BLOCK];
  gint x0, x, r, k, done = 0;

  for (x0 = 0; x0 < s->out_w; x0 += C8_BLOCK) {
    const gint n = MIN (C8_BLOCK, s->out_w - x0);
    /* the windows' ends grow with x */
    const gint need = s->h_start[x0 + n - 1] + taps;

    c8_transpose (s->tmp8, s->tmp8_len, cols, done, MAX (need, done));
    done = MAX (need, done);

    for (x = 0; x < n; x++) {
      const gint16 *w = s->h_weights + (gsize) (x0 + x) * taps;
      const gint16 *c = cols + (gsize) 8 * s->h_start[x0 + x];
      gint32 acc[8];

      for (r = 0; r < 8; r++)
        acc[r] = H_ROUND;
      for (k = 0; k + 1 < taps; k += 2) {
        const gint16 w0 = w[k], w1 = w[k + 1];

        for (r = 0; r < 8; r++)
          acc[r] += w0 * c[8 * k + r] + w1 * c[8 * k + 8 + r];
      }
      /* never with the C path's even windows (build_weights (), align 2) */
      for (; k < taps; k++)
        for (r = 0; r < 8; r++)
          acc[r] += w[k] * c[8 * k + r];
      /* |acc| < 2^30: the shifted sums fit 16 bits, which SSE2 clamps */
      for (r = 0; r < 8; r++) {
        gint16 v = (gint16) (acc[r] >> H_SHIFT);

        v = MAX (v, 0);
        out[8 * x + r] = (guint8) MIN (v, 255);
      }
    }
    c8_untranspose (out, n, dst + x0, dst_stride);
  }
}

/* ------------------------------------------------------------- SSE2 --- */

#ifdef HAVE_X86

/* every x86-64 CPU has it; the attribute is for 32-bit builds */
#define SSE2 __attribute__((target ("sse2")))

/* Vertical pass of one output row: 16 columns per step, the bytes of a
 * row pair interleaved, then widened with zero, give the (a, b) word
 * pairs of pmaddwd in pixel order (no reordering on 128 bits) */
static void SSE2
vscale_sse2 (const guint8 * const *rows, const gint32 * wpairs,
    const gint16 * weights, gint taps, gint16 * tmp, gint width)
{
  const __m128i zero = _mm_setzero_si128 ();
  const __m128i round = _mm_set1_epi32 (V_ROUND);
  gint x, k;

  for (x = 0; x + 16 <= width; x += 16) {
    __m128i a0 = round, a1 = round, a2 = round, a3 = round;

    for (k = 0; k < taps; k += 2) {
      const __m128i w = _mm_set1_epi32 (wpairs[k / 2]);
      const __m128i ra = _mm_loadu_si128 ((const __m128i *) (rows[k] + x));
      const __m128i rb = _mm_loadu_si128 ((const __m128i *) (rows[k + 1] + x));
      const __m128i lo = _mm_unpacklo_epi8 (ra, rb);
      const __m128i hi = _mm_unpackhi_epi8 (ra, rb);

      a0 = _mm_add_epi32 (a0, _mm_madd_epi16 (_mm_unpacklo_epi8 (lo, zero), w));
      a1 = _mm_add_epi32 (a1, _mm_madd_epi16 (_mm_unpackhi_epi8 (lo, zero), w));
      a2 = _mm_add_epi32 (a2, _mm_madd_epi16 (_mm_unpacklo_epi8 (hi, zero), w));
      a3 = _mm_add_epi32 (a3, _mm_madd_epi16 (_mm_unpackhi_epi8 (hi, zero), w));
    }
    _mm_storeu_si128 ((__m128i *) (tmp + x),
        _mm_packs_epi32 (_mm_srai_epi32 (a0, V_SHIFT), _mm_srai_epi32 (a1,
                V_SHIFT)));
    _mm_storeu_si128 ((__m128i *) (tmp + x + 8),
        _mm_packs_epi32 (_mm_srai_epi32 (a2, V_SHIFT), _mm_srai_epi32 (a3,
                V_SHIFT)));
  }
  vscale_c_range (rows, weights, taps, tmp, x, width);
}

/* The (a, b) word pairs of pmaddwd for 16 columns of rows a and b, in
 * pixel order: u[0] pixels 0-3, u[1] 4-7, u[2] 8-11, u[3] 12-15 */
static inline void SSE2
v128_pairs (const guint8 * a, const guint8 * b, __m128i * u)
{
  const __m128i zero = _mm_setzero_si128 ();
  const __m128i va = _mm_loadu_si128 ((const __m128i *) a);
  const __m128i vb = _mm_loadu_si128 ((const __m128i *) b);
  const __m128i ab0 = _mm_unpacklo_epi8 (va, vb);
  const __m128i ab1 = _mm_unpackhi_epi8 (va, vb);

  u[0] = _mm_unpacklo_epi8 (ab0, zero);
  u[1] = _mm_unpackhi_epi8 (ab0, zero);
  u[2] = _mm_unpacklo_epi8 (ab1, zero);
  u[3] = _mm_unpackhi_epi8 (ab1, zero);
}

static inline void SSE2
v128_madd (__m128i * acc, const __m128i * u, gint32 wpair)
{
  const __m128i w = _mm_set1_epi32 (wpair);

  acc[0] = _mm_add_epi32 (acc[0], _mm_madd_epi16 (u[0], w));
  acc[1] = _mm_add_epi32 (acc[1], _mm_madd_epi16 (u[1], w));
  acc[2] = _mm_add_epi32 (acc[2], _mm_madd_epi16 (u[2], w));
  acc[3] = _mm_add_epi32 (acc[3], _mm_madd_epi16 (u[3], w));
}

/* Rounds, saturates (as clamp_s16 ()) and stores the 16 sums of acc */
static inline void SSE2
v128_store (__m128i * acc, gint16 * dst)
{
  _mm_storeu_si128 ((__m128i *) dst,
      _mm_packs_epi32 (_mm_srai_epi32 (acc[0], V_SHIFT),
          _mm_srai_epi32 (acc[1], V_SHIFT)));
  _mm_storeu_si128 ((__m128i *) (dst + 8),
      _mm_packs_epi32 (_mm_srai_epi32 (acc[2], V_SHIFT),
          _mm_srai_epi32 (acc[3], V_SHIFT)));
  acc[0] = acc[1] = acc[2] = acc[3] = _mm_set1_epi32 (V_ROUND);
}

/* Vertical pass of two output rows, as vscale2_avx2 () (same tables) on
 * 16 columns per step: the rows of the union of the two windows loaded
 * and widened once for both, the rows the next pair adds prefetched; the
 * last width % 16 columns of each row in C */
static void SSE2
vscale2_sse2 (const guint8 * const *rows, const gint32 * w0,
    const gint32 * w1, gint lo1, gint hi0, gint n, gint16 * tmp0,
    gint16 * tmp1, gint width, const guint8 * const *next, gint n_next,
    const gint32 * wp0, const gint16 * wt0, const gint32 * wp1,
    const gint16 * wt1, gint taps, gint d)
{
  const gint both_end = MAX (lo1, hi0);
  const gint full = width / 16 * 16;
  __m128i a[4], b[4], u[4];
  gint x, k;

  a[0] = a[1] = a[2] = a[3] = _mm_set1_epi32 (V_ROUND);
  b[0] = b[1] = b[2] = b[3] = a[0];
  for (x = 0; x < full; x += 16) {
    /* one prefetch per 64-byte line of each row the next pair adds */
    if ((x & 63) == 0)
      for (k = 0; k < n_next; k++)
        _mm_prefetch ((const char *) (next[k] + x), _MM_HINT_T0);
    for (k = 0; k < MIN (lo1, hi0); k++) {
      v128_pairs (rows[2 * k] + x, rows[2 * k + 1] + x, u);
      v128_madd (a, u, w0[k]);
    }
    for (k = lo1; k < hi0; k++) {
      v128_pairs (rows[2 * k] + x, rows[2 * k + 1] + x, u);
      v128_madd (a, u, w0[k]);
      v128_madd (b, u, w1[k]);
    }
    for (k = both_end; k < n; k++) {
      v128_pairs (rows[2 * k] + x, rows[2 * k + 1] + x, u);
      v128_madd (b, u, w1[k]);
    }
    v128_store (a, tmp0 + x);
    v128_store (b, tmp1 + x);
  }
  if (full < width) {
    vscale_c_range (rows, wt0, taps, tmp0, full, width);
    vscale_c_range (rows + d, wt1, taps, tmp1, full, width);
  }
}

/* Pairs q .. q + 3 of the 8 rows of @t (rows @len apart) transposed into
 * cols, as h8_transpose () does for 8 pairs: pair p of rows 0-3 at
 * cols[2 p], of rows 4-7 at cols[2 p + 1] */
static inline void SSE2
h8_transpose4_sse2 (const gint16 * t, gint len, gint q, __m128i * cols)
{
  const gint16 *t0 = t + 2 * q;
  __m128i *c = cols + 2 * q;
  gint half;

  for (half = 0; half < 2; half++) {
    const gint16 *th = t0 + 4 * half * len;
    const __m128i r0 = _mm_loadu_si128 ((const __m128i *) th);
    const __m128i r1 = _mm_loadu_si128 ((const __m128i *) (th + len));
    const __m128i r2 = _mm_loadu_si128 ((const __m128i *) (th + 2 * len));
    const __m128i r3 = _mm_loadu_si128 ((const __m128i *) (th + 3 * len));
    /* pairs 0-1 and 2-3 of two rows, then of all four */
    const __m128i b0 = _mm_unpacklo_epi32 (r0, r1);
    const __m128i b1 = _mm_unpackhi_epi32 (r0, r1);
    const __m128i b2 = _mm_unpacklo_epi32 (r2, r3);
    const __m128i b3 = _mm_unpackhi_epi32 (r2, r3);

    _mm_store_si128 (c + half, _mm_unpacklo_epi64 (b0, b2));
    _mm_store_si128 (c + 2 + half, _mm_unpackhi_epi64 (b0, b2));
    _mm_store_si128 (c + 4 + half, _mm_unpacklo_epi64 (b1, b3));
    _mm_store_si128 (c + 6 + half, _mm_unpackhi_epi64 (b1, b3));
  }
}

/* Horizontal pass of 8 rows at once on SSE2, with the rows as the lanes,
 * as hscale8_avx2 () on two 128-bit halves (rows 0-3 and 4-7): the tables
 * of build_h8 (), each output a sum of pmaddwd of the 8 rows' sample
 * pairs with one broadcast weight pair, four outputs at a time (eight
 * sums in registers). The results, 8 bytes per output (its 8 rows), go
 * back to the rows through c8_untranspose (). The sums are those of
 * hscale_c (), exactly. */
static void SSE2
hscale8_sse2 (const LadderScaler * s, guint8 * dst, gint dst_stride)
{
  const gint pairs = s->h8_pairs, groups = s->out_w / 8;
  const gint len = s->tmp8_len;
  const __m128i round = _mm_set1_epi32 (H_ROUND);
  __m128i *cols = (__m128i *) s->h8_cols;
  guint8 out[8 * C8_BLOCK];
  gint g, g0, i, o, r, done = 0;

  for (g0 = 0; g0 < groups; g0 += C8_BLOCK / 8) {
    const gint ng = MIN (C8_BLOCK / 8, groups - g0);

    for (g = g0; g < g0 + ng; g++) {
      const gint *base = s->h8_base + 8 * g;
      const gint32 *w = s->h8_w + (gsize) g * 8 * pairs;
      guint8 *d = out + 64 * (g - g0);

      /* the pairs this group reads, transposed just before */
      for (; done < s->h8_end[g]; done += 8) {
        h8_transpose4_sse2 (s->tmp8, len, done, cols);
        h8_transpose4_sse2 (s->tmp8, len, done + 4, cols);
      }
      for (o = 0; o < 8; o += 4) {
        const __m128i *p0 = cols + 2 * base[o];
        const __m128i *p1 = cols + 2 * base[o + 1];
        const __m128i *p2 = cols + 2 * base[o + 2];
        const __m128i *p3 = cols + 2 * base[o + 3];
        __m128i l0 = round, l1 = round, l2 = round, l3 = round;
        __m128i h0 = round, h1 = round, h2 = round, h3 = round;

        for (i = 0; i < pairs; i++) {
          const gint32 *wi = w + 8 * i + o;
          __m128i w0 = _mm_set1_epi32 (wi[0]), w1 = _mm_set1_epi32 (wi[1]);
          __m128i w2 = _mm_set1_epi32 (wi[2]), w3 = _mm_set1_epi32 (wi[3]);

          l0 = _mm_add_epi32 (l0, _mm_madd_epi16 (p0[2 * i], w0));
          h0 = _mm_add_epi32 (h0, _mm_madd_epi16 (p0[2 * i + 1], w0));
          l1 = _mm_add_epi32 (l1, _mm_madd_epi16 (p1[2 * i], w1));
          h1 = _mm_add_epi32 (h1, _mm_madd_epi16 (p1[2 * i + 1], w1));
          l2 = _mm_add_epi32 (l2, _mm_madd_epi16 (p2[2 * i], w2));
          h2 = _mm_add_epi32 (h2, _mm_madd_epi16 (p2[2 * i + 1], w2));
          l3 = _mm_add_epi32 (l3, _mm_madd_epi16 (p3[2 * i], w3));
          h3 = _mm_add_epi32 (h3, _mm_madd_epi16 (p3[2 * i + 1], w3));
        }
        /* output o's 8 rows as 8 bytes: rows 0-3 from l, 4-7 from h */
#define H8_OUT(k, l, h) \
        _mm_storel_epi64 ((__m128i *) (d + 8 * (o + k)), _mm_packus_epi16 ( \
                _mm_packs_epi32 (_mm_srai_epi32 (l, H_SHIFT), \
                    _mm_srai_epi32 (h, H_SHIFT)), _mm_setzero_si128 ()))
        H8_OUT (0, l0, h0);
        H8_OUT (1, l1, h1);
        H8_OUT (2, l2, h2);
        H8_OUT (3, l3, h3);
#undef H8_OUT
      }
    }
    c8_untranspose (out, 8 * ng, dst + 8 * g0, dst_stride);
  }
  for (r = 0; r < 8; r++)
    hscale_c_range (s, s->tmp8 + r * len, dst + r * dst_stride, groups * 8);
}

#endif /* HAVE_X86 */

/* ------------------------------------------------------------- AVX2 --- */

#ifdef HAVE_X86

#define AVX2 __attribute__((target ("avx2")))

/* The (a, b) word pairs of vpmaddwd for 32 columns from x of rows a and
 * b, as v512_pairs () builds them on 512 bits: the bytes of the two rows
 * interleaved, then interleaved with zero (6 shuffles per 32 pixels and
 * row pair instead of the 8 of vpmovzxbw and two unpacks per 16), per
 * 128-bit lane L: u[0] holds pixels 16 L + 0-3, u[1] 4-7, u[2] 8-11, u[3]
 * 12-15. */
static inline void AVX2
v256_pairs (const guint8 * a, const guint8 * b, __m256i * u)
{
  const __m256i zero = _mm256_setzero_si256 ();
  const __m256i va = _mm256_loadu_si256 ((const __m256i *) a);
  const __m256i vb = _mm256_loadu_si256 ((const __m256i *) b);
  const __m256i ab0 = _mm256_unpacklo_epi8 (va, vb);
  const __m256i ab1 = _mm256_unpackhi_epi8 (va, vb);

  u[0] = _mm256_unpacklo_epi8 (ab0, zero);
  u[1] = _mm256_unpackhi_epi8 (ab0, zero);
  u[2] = _mm256_unpacklo_epi8 (ab1, zero);
  u[3] = _mm256_unpackhi_epi8 (ab1, zero);
}

static inline void AVX2
v256_madd (__m256i * acc, const __m256i * u, gint32 wpair)
{
  const __m256i w = _mm256_set1_epi32 (wpair);

  acc[0] = _mm256_add_epi32 (acc[0], _mm256_madd_epi16 (u[0], w));
  acc[1] = _mm256_add_epi32 (acc[1], _mm256_madd_epi16 (u[1], w));
  acc[2] = _mm256_add_epi32 (acc[2], _mm256_madd_epi16 (u[2], w));
  acc[3] = _mm256_add_epi32 (acc[3], _mm256_madd_epi16 (u[3], w));
}

static inline void AVX2
v256_init (__m256i * acc)
{
  acc[0] = acc[1] = acc[2] = acc[3] = _mm256_set1_epi32 (V_ROUND);
}

/* Rounds, saturates (as clamp_s16 ()) and stores the 32 sums of acc */
static inline void AVX2
v256_store (const __m256i * acc, gint16 * dst)
{
  /* per lane L: p0 = pixels 16 L + 0-7, p1 = 16 L + 8-15 */
  const __m256i p0 = _mm256_packs_epi32 (_mm256_srai_epi32 (acc[0], V_SHIFT),
      _mm256_srai_epi32 (acc[1], V_SHIFT));
  const __m256i p1 = _mm256_packs_epi32 (_mm256_srai_epi32 (acc[2], V_SHIFT),
      _mm256_srai_epi32 (acc[3], V_SHIFT));

  /* the lanes joined with inserts: a cross-lane permute (vperm2i128) is
   * 8 operations on CPUs that split 256-bit ones into 128-bit halves */
  _mm256_storeu_si256 ((__m256i *) dst, _mm256_inserti128_si256 (p0,
          _mm256_castsi256_si128 (p1), 1));
  _mm256_storeu_si256 ((__m256i *) (dst + 16), _mm256_inserti128_si256 (p1,
          _mm256_extracti128_si256 (p0, 1), 0));
}

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

static inline void AVX2
vscale_avx2_store16 (const guint8 * const *rows, const gint32 * wpairs,
    gint taps, gint16 * tmp, gint x)
{
  __m256i lo, hi;

  lo = vscale_avx2_16 (rows, wpairs, taps, x, &hi);
  /* the lane-wise pack puts pixels back in order: 0-3 4-7 | 8-11 12-15 */
  _mm256_storeu_si256 ((__m256i *) (tmp + x), _mm256_packs_epi32 (lo, hi));
}

/* One row narrower than 32 columns: 16 columns, and 16 more ending at the
 * row's end (overlapping the first; those columns get the same sums
 * again). C below 16. */
static inline void AVX2
vscale_avx2_narrow (const guint8 * const *rows, const gint32 * wpairs,
    const gint16 * weights, gint taps, gint16 * tmp, gint width)
{
  if (width < 16) {
    vscale_c_range (rows, weights, taps, tmp, 0, width);
    return;
  }
  vscale_avx2_store16 (rows, wpairs, taps, tmp, 0);
  if (width > 16)
    vscale_avx2_store16 (rows, wpairs, taps, tmp, width - 16);
}

static inline void AVX2
vscale_avx2_32 (const guint8 * const *rows, const gint32 * wpairs,
    gint taps, gint16 * tmp, gint x)
{
  __m256i acc[4], u[4];
  gint k;

  v256_init (acc);
  for (k = 0; k < taps; k += 2) {
    v256_pairs (rows[k] + x, rows[k + 1] + x, u);
    v256_madd (acc, u, wpairs[k / 2]);
  }
  v256_store (acc, tmp + x);
}

/* Vertical pass of one output row (the last one of an odd height): 32
 * columns at a time, the last block ending at the row's end (it
 * overlaps the one before, whose columns get the same sums again) */
static void AVX2
vscale_avx2 (const guint8 * const *rows, const gint32 * wpairs,
    const gint16 * weights, gint taps, gint16 * tmp, gint width)
{
  gint x;

  if (width < 32) {
    vscale_avx2_narrow (rows, wpairs, weights, taps, tmp, width);
    return;
  }
  for (x = 0; x + 32 <= width; x += 32)
    vscale_avx2_32 (rows, wpairs, taps, tmp, x);
  if (x < width)
    vscale_avx2_32 (rows, wpairs, taps, tmp, width - 32);
}

/* Vertical pass of two output rows, as vscale2_avx512 () (same tables):
 * the rows of the union of the two windows are loaded and widened once
 * for both, and the rows the next pair adds are prefetched. 32 pixels per
 * iteration, the last block ending at the row's end (overlapping the one
 * before); a row narrower than 32 goes through the one-row kernels (row
 * 1's window starts d rows into the union). */
static void AVX2
vscale2_avx2 (const guint8 * const *rows, const gint32 * w0,
    const gint32 * w1, gint lo1, gint hi0, gint n, gint16 * tmp0,
    gint16 * tmp1, gint width, const guint8 * const *next, gint n_next,
    const gint32 * wp0, const gint16 * wt0, const gint32 * wp1,
    const gint16 * wt1, gint taps, gint d)
{
  const gint both_end = MAX (lo1, hi0);
  gint x, k;

  if (width < 32) {
    vscale_avx2_narrow (rows, wp0, wt0, taps, tmp0, width);
    vscale_avx2_narrow (rows + d, wp1, wt1, taps, tmp1, width);
    return;
  }
  for (x = 0;; x += 32) {
    __m256i a[4], b[4], u[4];

    /* the last block ends at the row's end */
    if (x + 32 > width)
      x = width - 32;

    v256_init (a);
    v256_init (b);
    /* one prefetch per 64-byte line of each row the next pair adds (the
     * hardware prefetchers do not follow that many rows) */
    if ((x & 63) == 0)
      for (k = 0; k < n_next; k++)
        _mm_prefetch ((const char *) (next[k] + x), _MM_HINT_T0);
    for (k = 0; k < MIN (lo1, hi0); k++) {
      v256_pairs (rows[2 * k] + x, rows[2 * k + 1] + x, u);
      v256_madd (a, u, w0[k]);
    }
    for (k = lo1; k < hi0; k++) {
      v256_pairs (rows[2 * k] + x, rows[2 * k + 1] + x, u);
      v256_madd (a, u, w0[k]);
      v256_madd (b, u, w1[k]);
    }
    for (k = both_end; k < n; k++) {
      v256_pairs (rows[2 * k] + x, rows[2 * k + 1] + x, u);
      v256_madd (b, u, w1[k]);
    }
    v256_store (a, tmp0 + x);
    v256_store (b, tmp1 + x);
    if (x + 32 >= width)
      break;
  }
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

/* Horizontal pass of 8 rows at once, with the rows as the vector lanes:
 * the (t[2 p], t[2 p + 1]) sample pairs of the 8 rows are transposed once
 * into cols (pair p: 8 rows of one 32-bit pair each), so that each output
 * is a plain sum of vpmaddwd of whole registers with one broadcast weight
 * pair: no shuffle, no reduction, every product useful. The transposes
 * stay inside 128-bit lanes (unpacks, 128-bit stores), which CPUs that
 * split 256-bit operations into two halves run at full rate. Each window
 * starts on an even sample (h8_base); the sums are those of hscale_c (),
 * exactly. */
/* Transposes pairs q .. q + 7 of the 8 rows of t (rows len apart) into
 * cols: pair p at cols + 2 p, rows 0-3 then 4-7 */
static inline void AVX2
h8_transpose (const gint16 * t, gint len, gint q, __m128i * cols)
{
  const gint16 *t0 = t + 2 * q;
  __m256i *c = (__m256i *) (cols + 2 * q);
  /* named registers: arrays indexed in loops would live on the stack */
  const __m256i r0 = _mm256_loadu_si256 ((const __m256i *) t0);
  const __m256i r1 = _mm256_loadu_si256 ((const __m256i *) (t0 + len));
  const __m256i r2 = _mm256_loadu_si256 ((const __m256i *) (t0 + 2 * len));
  const __m256i r3 = _mm256_loadu_si256 ((const __m256i *) (t0 + 3 * len));
  const __m256i r4 = _mm256_loadu_si256 ((const __m256i *) (t0 + 4 * len));
  const __m256i r5 = _mm256_loadu_si256 ((const __m256i *) (t0 + 5 * len));
  const __m256i r6 = _mm256_loadu_si256 ((const __m256i *) (t0 + 6 * len));
  const __m256i r7 = _mm256_loadu_si256 ((const __m256i *) (t0 + 7 * len));
  /* per lane: pairs 0-1 (lane 1: 4-5) and 2-3 (6-7) of two rows */
  const __m256i b0 = _mm256_unpacklo_epi32 (r0, r1);
  const __m256i b1 = _mm256_unpackhi_epi32 (r0, r1);
  const __m256i b2 = _mm256_unpacklo_epi32 (r2, r3);
  const __m256i b3 = _mm256_unpackhi_epi32 (r2, r3);
  const __m256i b4 = _mm256_unpacklo_epi32 (r4, r5);
  const __m256i b5 = _mm256_unpackhi_epi32 (r4, r5);
  const __m256i b6 = _mm256_unpacklo_epi32 (r6, r7);
  const __m256i b7 = _mm256_unpackhi_epi32 (r6, r7);
  /* lo<p>: pair p (lane 1: p + 4) of rows 0-3, hi<p> of rows 4-7 */
  const __m256i lo0 = _mm256_unpacklo_epi64 (b0, b2);
  const __m256i lo1 = _mm256_unpackhi_epi64 (b0, b2);
  const __m256i lo2 = _mm256_unpacklo_epi64 (b1, b3);
  const __m256i lo3 = _mm256_unpackhi_epi64 (b1, b3);
  const __m256i hi0 = _mm256_unpacklo_epi64 (b4, b6);
  const __m256i hi1 = _mm256_unpackhi_epi64 (b4, b6);
  const __m256i hi2 = _mm256_unpacklo_epi64 (b5, b7);
  const __m256i hi3 = _mm256_unpackhi_epi64 (b5, b7);

  /* whole registers stored (a 256-bit load of two recent 128-bit stores
   * would wait for them), joined with inserts, not a cross-lane permute */
#define H8_JOIN(p, lo, hi) \
  _mm256_store_si256 (c + p, _mm256_inserti128_si256 (lo, \
          _mm256_castsi256_si128 (hi), 1)); \
  _mm256_store_si256 (c + p + 4, _mm256_inserti128_si256 (hi, \
          _mm256_extracti128_si256 (lo, 1), 0))
  H8_JOIN (0, lo0, hi0);
  H8_JOIN (1, lo1, hi1);
  H8_JOIN (2, lo2, hi2);
  H8_JOIN (3, lo3, hi3);
#undef H8_JOIN
}

/* Two of the 8 sums of a group to 16 bits, as hscale_avx2 (): rounded,
 * shifted and saturated */
static inline __m256i AVX2
h8_pack (__m256i a, __m256i b)
{
  return _mm256_packs_epi32 (_mm256_srai_epi32 (a, H_SHIFT),
      _mm256_srai_epi32 (b, H_SHIFT));
}

/* Outputs 0-3 of a group for rows 0-3 (lane 0) and 4-7 (lane 1), one
 * sum register per output, packed to bytes and, per lane, transposed from
 * the 4 x 4 blocks (output o, row r) at 4 o + r to row-major, 4 r + o */
static inline __m256i AVX2
h8_bytes (__m256i a0, __m256i a1, __m256i a2, __m256i a3)
{
  const __m256i to_rows = _mm256_setr_epi8 (0, 4, 8, 12, 1, 5, 9, 13, 2, 6,
      10, 14, 3, 7, 11, 15, 0, 4, 8, 12, 1, 5, 9, 13, 2, 6, 10, 14, 3, 7, 11,
      15);

  return _mm256_shuffle_epi8 (_mm256_packus_epi16 (h8_pack (a0, a1),
          h8_pack (a2, a3)), to_rows);
}

/* Stores 8 outputs of 8 rows from the bytes of outputs 0-3 (c0) and 4-7
 * (c1), as h8_bytes () makes them, to d (rows dst_stride apart) */
static inline void AVX2
h8_store (__m256i c0, __m256i c1, guint8 * d, gint dst_stride)
{
  /* per lane: rows 0-1 (4-5) in lo, rows 2-3 (6-7) in hi, 8 bytes each */
  const __m256i lo = _mm256_unpacklo_epi32 (c0, c1);
  const __m256i hi = _mm256_unpackhi_epi32 (c0, c1);
  /* 8-byte stores at any address (the high halves moved down: a movhpd
   * through a double pointer would claim 8-byte alignment) */
  const __m128i l0 = _mm256_castsi256_si128 (lo);
  const __m128i l1 = _mm256_extracti128_si256 (lo, 1);
  const __m128i h0 = _mm256_castsi256_si128 (hi);
  const __m128i h1 = _mm256_extracti128_si256 (hi, 1);

  _mm_storel_epi64 ((__m128i *) d, l0);
  _mm_storel_epi64 ((__m128i *) (d + dst_stride), _mm_unpackhi_epi64 (l0, l0));
  _mm_storel_epi64 ((__m128i *) (d + 2 * dst_stride), h0);
  _mm_storel_epi64 ((__m128i *) (d + 3 * dst_stride), _mm_unpackhi_epi64 (h0,
          h0));
  _mm_storel_epi64 ((__m128i *) (d + 4 * dst_stride), l1);
  _mm_storel_epi64 ((__m128i *) (d + 5 * dst_stride), _mm_unpackhi_epi64 (l1,
          l1));
  _mm_storel_epi64 ((__m128i *) (d + 6 * dst_stride), h1);
  _mm_storel_epi64 ((__m128i *) (d + 7 * dst_stride), _mm_unpackhi_epi64 (h1,
          h1));
}

/* Horizontal pass of 8 rows at once, with the rows as the vector lanes:
 * the (t[2 p], t[2 p + 1]) sample pairs of the 8 rows are transposed
 * into cols (pair p: the 8 rows' 32-bit pairs), so that each output is a
 * plain sum of vpmaddwd of whole registers with one broadcast weight
 * pair: no shuffle, no reduction, every product useful. The transposes
 * stay inside 128-bit lanes (unpacks, 128-bit stores), which CPUs that
 * split 256-bit operations into two halves run at full rate, and run just
 * ahead of the outputs that read them, so both stay in L1. Each window
 * starts on an even sample (h8_base); the sums are those of hscale_c (),
 * exactly. */
static void AVX2
hscale8_avx2 (const LadderScaler * s, guint8 * dst, gint dst_stride)
{
  const gint pairs = s->h8_pairs;
  const gint len = s->tmp8_len;
  const __m256i round = _mm256_set1_epi32 (H_ROUND);
  __m128i *cols = (__m128i *) s->h8_cols;
  const gint16 *t = s->tmp8;
  const gint32 *w = s->h8_w;
  const gint *base = s->h8_base;
  gint g, i, r, done = 0;

  for (g = 0; g < s->h8_groups; g++, base += 8) {
    __m256i a0 = round, a1 = round, a2 = round, a3 = round;
    __m256i a4 = round, a5 = round, a6 = round, a7 = round;
    guint8 *d = dst + h8_output (s, 8 * g);

    /* the first pair of each window */
#define H8_COL(o) \
    const __m256i *p##o = (const __m256i *) (cols + 2 * base[o])
    H8_COL (0);
    H8_COL (1);
    H8_COL (2);
    H8_COL (3);
    H8_COL (4);
    H8_COL (5);
    H8_COL (6);
    H8_COL (7);
#undef H8_COL

    /* the pairs this group reads, transposed just before */
    for (; done < s->h8_end[g]; done += 8)
      h8_transpose (t, len, done, cols);
    /* named registers: an array indexed in a loop lives on the stack */
#pragma GCC unroll 8
    for (i = 0; i < pairs; i++, w += 8) {
#define H8_MADD(a, o) \
      a = _mm256_add_epi32 (a, _mm256_madd_epi16 (_mm256_load_si256 (p##o + i), \
              _mm256_set1_epi32 (w[o])))
      H8_MADD (a0, 0);
      H8_MADD (a1, 1);
      H8_MADD (a2, 2);
      H8_MADD (a3, 3);
      H8_MADD (a4, 4);
      H8_MADD (a5, 5);
      H8_MADD (a6, 6);
      H8_MADD (a7, 7);
#undef H8_MADD
    }

    /* a<o> holds output o of rows 0-3 (lane 0) and 4-7 (lane 1) */
    h8_store (h8_bytes (a0, a1, a2, a3), h8_bytes (a4, a5, a6, a7), d,
        dst_stride);
  }
  for (r = 0; r < 8; r++)
    hscale_c_range (s, t + r * len, dst + r * dst_stride, h8_done (s));
}


/* Horizontal pass of 16 rows at once: hscale8_avx2 () on rows 0-7 and
 * 8-15 together, each weight pair loaded once for both (one load per
 * multiply-add plus one per two, against two per multiply-add with 8
 * rows). Four outputs at a time: 8 sums, 4 weights and the loads fit the
 * 16 registers. The same tables and sums as hscale8_avx2 (). */
static void AVX2
hscale16_avx2 (const LadderScaler * s, guint8 * dst, gint dst_stride)
{
  const gint pairs = s->h8_pairs;
  const gint len = s->tmp8_len;
  const __m256i round = _mm256_set1_epi32 (H_ROUND);
  __m128i *cols_a = (__m128i *) s->h8_cols;
  __m128i *cols_b = (__m128i *) s->h16_cols;
  const gint16 *t = s->tmp8;
  const gint32 *w = s->h8_w;
  const gint *base = s->h8_base;
  gint g, h, i, r, done = 0;

  for (g = 0; g < s->h8_groups; g++, base += 8, w += 8 * pairs) {
    __m256i ca[2], cb[2];
    guint8 *d = dst + h8_output (s, 8 * g);

    for (; done < s->h8_end[g]; done += 8) {
      h8_transpose (t, len, done, cols_a);
      h8_transpose (t + 8 * len, len, done, cols_b);
    }
    for (h = 0; h < 2; h++) {
      const gint *b = base + 4 * h;
      const gint32 *wh = w + 4 * h;
      const __m256i *pa0 = (const __m256i *) (cols_a + 2 * b[0]);
      const __m256i *pa1 = (const __m256i *) (cols_a + 2 * b[1]);
      const __m256i *pa2 = (const __m256i *) (cols_a + 2 * b[2]);
      const __m256i *pa3 = (const __m256i *) (cols_a + 2 * b[3]);
      const __m256i *pb0 = (const __m256i *) (cols_b + 2 * b[0]);
      const __m256i *pb1 = (const __m256i *) (cols_b + 2 * b[1]);
      const __m256i *pb2 = (const __m256i *) (cols_b + 2 * b[2]);
      const __m256i *pb3 = (const __m256i *) (cols_b + 2 * b[3]);
      __m256i a0 = round, a1 = round, a2 = round, a3 = round;
      __m256i b0 = round, b1 = round, b2 = round, b3 = round;

#pragma GCC unroll 8
      for (i = 0; i < pairs; i++, wh += 8) {
#define H16_MADD(o) do { \
        const __m256i wo = _mm256_set1_epi32 (wh[o]); \
        a##o = _mm256_add_epi32 (a##o, \
            _mm256_madd_epi16 (_mm256_load_si256 (pa##o + i), wo)); \
        b##o = _mm256_add_epi32 (b##o, \
            _mm256_madd_epi16 (_mm256_load_si256 (pb##o + i), wo)); \
      } while (0)
        H16_MADD (0);
        H16_MADD (1);
        H16_MADD (2);
        H16_MADD (3);
#undef H16_MADD
      }
      ca[h] = h8_bytes (a0, a1, a2, a3);
      cb[h] = h8_bytes (b0, b1, b2, b3);
    }
    h8_store (ca[0], ca[1], d, dst_stride);
    h8_store (cb[0], cb[1], d + 8 * dst_stride, dst_stride);
  }
  for (r = 0; r < 16; r++)
    hscale_c_range (s, t + r * len, dst + r * dst_stride, h8_done (s));
}


/* ---------------------------------------------------------- AVX-512 --- */

#define AVX512 __attribute__((target ("avx512f,avx512bw,avx512vl")))

/* The (a, b) word pairs of vpmaddwd for 64 columns from x of rows a and
 * b (fewer at the end of the row: mask m selects the columns that exist,
 * so no load passes the row). Instead of widening each row to 16 bits (a
 * shuffle per 16 pixels and row), the bytes of the two rows are
 * interleaved first (a b a b ...) and then with zero, which takes 6
 * shuffles per 64 pixels and row pair instead of 8; the price is an order
 * inside each 128-bit lane that v512_store () undoes: per lane, u[0] holds
 * pixels 0-3, u[1] 4-7, u[2] 8-11, u[3] 12-15. */
static inline void AVX512
v512_pairs (const guint8 * a, const guint8 * b, __mmask64 m, __m512i * u)
{
  const __m512i zero = _mm512_setzero_si512 ();
  /* plain loads where the whole register exists: masked ones cost ~5 %
   * of the vertical pass on AMD Zen */
  const __m512i va = m == ~(__mmask64) 0 ? _mm512_loadu_si512 (a) :
      _mm512_maskz_loadu_epi8 (m, a);
  const __m512i vb = m == ~(__mmask64) 0 ? _mm512_loadu_si512 (b) :
      _mm512_maskz_loadu_epi8 (m, b);
  const __m512i ab0 = _mm512_unpacklo_epi8 (va, vb);
  const __m512i ab1 = _mm512_unpackhi_epi8 (va, vb);

  u[0] = _mm512_unpacklo_epi8 (ab0, zero);
  u[1] = _mm512_unpackhi_epi8 (ab0, zero);
  u[2] = _mm512_unpacklo_epi8 (ab1, zero);
  u[3] = _mm512_unpackhi_epi8 (ab1, zero);
}

/* (written out: gcc -O2 keeps a loop over the 4 and the arrays in
 * memory) */
static inline void AVX512
v512_madd (__m512i * acc, const __m512i * u, gint32 wpair)
{
  const __m512i w = _mm512_set1_epi32 (wpair);

  acc[0] = _mm512_add_epi32 (acc[0], _mm512_madd_epi16 (u[0], w));
  acc[1] = _mm512_add_epi32 (acc[1], _mm512_madd_epi16 (u[1], w));
  acc[2] = _mm512_add_epi32 (acc[2], _mm512_madd_epi16 (u[2], w));
  acc[3] = _mm512_add_epi32 (acc[3], _mm512_madd_epi16 (u[3], w));
}

static inline void AVX512
v512_init (__m512i * acc)
{
  acc[0] = acc[1] = acc[2] = acc[3] = _mm512_set1_epi32 (V_ROUND);
}

/* Rounds, saturates (as clamp_s16 ()) and stores the 64 sums of acc */
static inline void AVX512
v512_store (const __m512i * acc, gint16 * dst, __mmask64 m)
{
  /* 64-bit lanes of (p0, p1) in the order of the output */
  const __m512i lo_idx = _mm512_set_epi64 (11, 10, 3, 2, 9, 8, 1, 0);
  const __m512i hi_idx = _mm512_set_epi64 (15, 14, 7, 6, 13, 12, 5, 4);
  /* per lane L: p0 = pixels 16 L + 0-7, p1 = 16 L + 8-15 */
  const __m512i p0 = _mm512_packs_epi32 (_mm512_srai_epi32 (acc[0], V_SHIFT),
      _mm512_srai_epi32 (acc[1], V_SHIFT));
  const __m512i p1 = _mm512_packs_epi32 (_mm512_srai_epi32 (acc[2], V_SHIFT),
      _mm512_srai_epi32 (acc[3], V_SHIFT));

  if (m == ~(__mmask64) 0) {
    _mm512_storeu_si512 (dst, _mm512_permutex2var_epi64 (p0, lo_idx, p1));
    _mm512_storeu_si512 (dst + 32, _mm512_permutex2var_epi64 (p0, hi_idx, p1));
  } else {
    _mm512_mask_storeu_epi16 (dst, (__mmask32) m,
        _mm512_permutex2var_epi64 (p0, lo_idx, p1));
    _mm512_mask_storeu_epi16 (dst + 32, (__mmask32) (m >> 32),
        _mm512_permutex2var_epi64 (p0, hi_idx, p1));
  }
}

static inline __mmask64
v512_mask (gint n)
{
  return n >= 64 ? ~(__mmask64) 0 : ((__mmask64) 1 << n) - 1;
}

/* Vertical pass of one output row */
static void AVX512
vscale_avx512 (const guint8 * const *rows, const gint32 * wpairs,
    const gint16 * weights, gint taps, gint16 * tmp, gint width)
{
  gint x, k;

  for (x = 0; x < width; x += 64) {
    const __mmask64 m = v512_mask (width - x);
    __m512i acc[4], u[4];

    v512_init (acc);
    for (k = 0; k < taps; k += 2) {
      v512_pairs (rows[k] + x, rows[k + 1] + x, m, u);
      v512_madd (acc, u, wpairs[k / 2]);
    }
    v512_store (acc, tmp + x, m);
  }
}

/* Vertical pass of two output rows whose windows overlap: the rows of the
 * union of the windows (row pairs 0 .. n - 1, row 0 using pairs below
 * hi0, row 1 pairs from lo1) are loaded and widened once for both, which
 * is most of the cost when the windows overlap (e.g. 8 of 10 rows at
 * 1.5x); the multiply-adds stay those of the two windows. */
static void AVX512
vscale2_avx512 (const guint8 * const *rows, const gint32 * w0,
    const gint32 * w1, gint lo1, gint hi0, gint n, gint16 * tmp0,
    gint16 * tmp1, gint width, const guint8 * const *next, gint n_next)
{
  const gint both_end = MAX (lo1, hi0);
  gint x, k;

  for (x = 0; x < width; x += 64) {
    const __mmask64 m = v512_mask (width - x);
    __m512i a[4], b[4], u[4];

    v512_init (a);
    v512_init (b);
    /* the line of each row the next pair adds, loaded from memory while
     * this pair computes (the hardware prefetchers do not follow that
     * many rows: without this, downscaling a frame that is not in the
     * cache waits on memory) */
    for (k = 0; k < n_next; k++)
      _mm_prefetch ((const char *) (next[k] + x), _MM_HINT_T0);
    for (k = 0; k < MIN (lo1, hi0); k++) {
      v512_pairs (rows[2 * k] + x, rows[2 * k + 1] + x, m, u);
      v512_madd (a, u, w0[k]);
    }
    for (k = lo1; k < hi0; k++) {
      v512_pairs (rows[2 * k] + x, rows[2 * k + 1] + x, m, u);
      v512_madd (a, u, w0[k]);
      v512_madd (b, u, w1[k]);
    }
    for (k = both_end; k < n; k++) {
      v512_pairs (rows[2 * k] + x, rows[2 * k + 1] + x, m, u);
      v512_madd (b, u, w1[k]);
    }
    v512_store (a, tmp0 + x, m);
    v512_store (b, tmp1 + x, m);
  }
}

/* Horizontal pass. Each 32-bit slot of a register holds one (t[j],
 * t[j + 1]) pair of one output's window, gathered with vpermt2w from a
 * window of 64 intermediate samples (two registers), and vpmaddwd
 * multiplies it with the weight pair. With p = h512_pairs slots per
 * output, a register serves 16 / p outputs and a step covers 2 p taps of
 * each; the next step's indices are the previous ones plus 2 p, and the
 * window is reloaded every h512_block steps. p = 1 (16 outputs per
 * register, no reduction at all) fits when 16 consecutive windows span at
 * most 64 samples, i.e. downscaling by up to about 2.5 with Lanczos; the
 * p registers of 16 outputs are then summed pairwise (vpermt2d) into one
 * register of 16 sums in order, which are rounded, clamped and narrowed
 * to bytes. The last group may be partial: its missing outputs have
 * weight 0 and are not stored. */
static inline void AVX512
h512_store (__m512i sum, guint8 * dst, gint n)
{
  /* the rounding and clamp of hscale_one () */
  const __m512i r = _mm512_srai_epi32 (_mm512_add_epi32 (sum,
          _mm512_set1_epi32 (H_ROUND)), H_SHIFT);
  const __m128i bytes = _mm512_cvtusepi32_epi8 (_mm512_max_epi32 (r,
          _mm512_setzero_si512 ()));

  if (n >= 16)
    _mm_storeu_si128 ((__m128i *) dst, bytes);
  else
    _mm_mask_storeu_epi8 (dst, (__mmask16) ((1u << n) - 1), bytes);
}

/* The horizontal pass of nrows (1 or 2) rows: the rows share the index
 * and weight loads, which are as many as the sample loads. Inlined into
 * callers with a constant nrows. */
static inline __attribute__((always_inline))
     void AVX512
         hscale_avx512_rows (const LadderScaler * s, const gint16 * tmp0,
    const gint16 * tmp1, guint8 * dst0, guint8 * dst1, const gint nrows)
{
  const gint p = s->h512_pairs;
  const gint steps = s->h_taps / (2 * p);
  const gint block = s->h512_block;
  const gint groups = (s->out_w + 15) / 16;
  const __m512i inc = _mm512_set1_epi16 (2 * p);
  const __m512i zero = _mm512_setzero_si512 ();
  const gint *bases = s->h512_bases;
  const gint16 *idx = s->h512_idx;
  const gint16 *w = s->h512_w;
  gint g, t;

  if (p == 1 && block == steps) {
    /* the common case (up to ~2.5x downscaling, any upscaling), written
     * out: one window, no reduction */
    for (g = 0; g < groups; g++) {
      const __m512i lo0 = _mm512_loadu_si512 (tmp0 + bases[g]);
      const __m512i hi0 = _mm512_loadu_si512 (tmp0 + bases[g] + 32);
      __m512i lo1 = zero, hi1 = zero, sum0 = zero, sum1 = zero;
      __m512i ix = _mm512_load_si512 (idx + 32 * g);

      if (nrows == 2) {
        lo1 = _mm512_loadu_si512 (tmp1 + bases[g]);
        hi1 = _mm512_loadu_si512 (tmp1 + bases[g] + 32);
      }
      for (t = 0; t < steps; t++) {
        const __m512i wt = _mm512_load_si512 (w);

        sum0 = _mm512_add_epi32 (sum0,
            _mm512_madd_epi16 (_mm512_permutex2var_epi16 (lo0, ix, hi0), wt));
        if (nrows == 2)
          sum1 = _mm512_add_epi32 (sum1,
              _mm512_madd_epi16 (_mm512_permutex2var_epi16 (lo1, ix, hi1), wt));
        ix = _mm512_add_epi16 (ix, inc);
        w += 32;
      }
      h512_store (sum0, dst0 + g * 16, s->out_w - g * 16);
      if (nrows == 2)
        h512_store (sum1, dst1 + g * 16, s->out_w - g * 16);
    }
    return;
  }

  if (p == 2 && block == steps) {
    /* downscaling by ~2.5 to ~5 with Lanczos: two registers of 8
     * outputs, one window each, one reduction; written out for the same
     * reason */
    const __m512i even = _mm512_set_epi32 (30, 28, 26, 24, 22, 20, 18, 16,
        14, 12, 10, 8, 6, 4, 2, 0);
    const __m512i odd = _mm512_add_epi32 (even, _mm512_set1_epi32 (1));

    for (g = 0; g < groups; g++) {
      const gint16 *wa = w, *wb = w + 32 * steps;
      __m512i a0 = zero, a1 = zero, b0 = zero, b1 = zero;
      __m512i ixa = _mm512_load_si512 (idx + 64 * g);
      __m512i ixb = _mm512_load_si512 (idx + 64 * g + 32);
      const __m512i loa0 = _mm512_loadu_si512 (tmp0 + bases[2 * g]);
      const __m512i hia0 = _mm512_loadu_si512 (tmp0 + bases[2 * g] + 32);
      const __m512i lob0 = _mm512_loadu_si512 (tmp0 + bases[2 * g + 1]);
      const __m512i hib0 = _mm512_loadu_si512 (tmp0 + bases[2 * g + 1] + 32);
      __m512i loa1 = zero, hia1 = zero, lob1 = zero, hib1 = zero;

      if (nrows == 2) {
        loa1 = _mm512_loadu_si512 (tmp1 + bases[2 * g]);
        hia1 = _mm512_loadu_si512 (tmp1 + bases[2 * g] + 32);
        lob1 = _mm512_loadu_si512 (tmp1 + bases[2 * g + 1]);
        hib1 = _mm512_loadu_si512 (tmp1 + bases[2 * g + 1] + 32);
      }
      for (t = 0; t < steps; t++) {
        const __m512i wta = _mm512_load_si512 (wa + 32 * t);
        const __m512i wtb = _mm512_load_si512 (wb + 32 * t);

        a0 = _mm512_add_epi32 (a0,
            _mm512_madd_epi16 (_mm512_permutex2var_epi16 (loa0, ixa, hia0),
                wta));
        b0 = _mm512_add_epi32 (b0,
            _mm512_madd_epi16 (_mm512_permutex2var_epi16 (lob0, ixb, hib0),
                wtb));
        if (nrows == 2) {
          a1 = _mm512_add_epi32 (a1,
              _mm512_madd_epi16 (_mm512_permutex2var_epi16 (loa1, ixa,
                      hia1), wta));
          b1 = _mm512_add_epi32 (b1,
              _mm512_madd_epi16 (_mm512_permutex2var_epi16 (lob1, ixb,
                      hib1), wtb));
        }
        ixa = _mm512_add_epi16 (ixa, inc);
        ixb = _mm512_add_epi16 (ixb, inc);
      }
      w += 64 * steps;
      h512_store (_mm512_add_epi32 (_mm512_permutex2var_epi32 (a0, even, b0),
              _mm512_permutex2var_epi32 (a0, odd, b0)), dst0 + g * 16,
          s->out_w - g * 16);
      if (nrows == 2)
        h512_store (_mm512_add_epi32 (_mm512_permutex2var_epi32 (a1, even,
                    b1), _mm512_permutex2var_epi32 (a1, odd, b1)),
            dst1 + g * 16, s->out_w - g * 16);
    }
    return;
  }

  for (g = 0; g < groups; g++) {
    const __m512i even = _mm512_set_epi32 (30, 28, 26, 24, 22, 20, 18, 16,
        14, 12, 10, 8, 6, 4, 2, 0);
    const __m512i odd = _mm512_add_epi32 (even, _mm512_set1_epi32 (1));
    __m512i acc[2][16];
    gint i, n, r, t0;

    for (i = 0; i < p; i++) {
      const __m512i first = _mm512_load_si512 (idx);

      acc[0][i] = acc[1][i] = zero;
      for (t0 = 0; t0 < steps; t0 += block) {
        const gint off = bases[i] + 2 * p * t0;
        const gint end = MIN (steps, t0 + block);
        const __m512i lo0 = _mm512_loadu_si512 (tmp0 + off);
        const __m512i hi0 = _mm512_loadu_si512 (tmp0 + off + 32);
        __m512i lo1 = zero, hi1 = zero;
        __m512i ix = first;

        if (nrows == 2) {
          lo1 = _mm512_loadu_si512 (tmp1 + off);
          hi1 = _mm512_loadu_si512 (tmp1 + off + 32);
        }
        for (t = t0; t < end; t++) {
          const __m512i wt = _mm512_load_si512 (w);

          acc[0][i] = _mm512_add_epi32 (acc[0][i],
              _mm512_madd_epi16 (_mm512_permutex2var_epi16 (lo0, ix, hi0), wt));
          if (nrows == 2)
            acc[1][i] = _mm512_add_epi32 (acc[1][i],
                _mm512_madd_epi16 (_mm512_permutex2var_epi16 (lo1, ix, hi1),
                    wt));
          ix = _mm512_add_epi16 (ix, inc);
          w += 32;
        }
      }
      idx += 32;
    }
    bases += p;

    /* adjacent slots belong to the same output: halve the slots per
     * output until one is left, keeping the outputs in order */
    for (r = 0; r < nrows; r++) {
      for (n = p; n > 1; n /= 2)
        for (i = 0; i < n / 2; i++)
          acc[r][i] = _mm512_add_epi32 (_mm512_permutex2var_epi32 (acc[r][2 *
                      i], even, acc[r][2 * i + 1]),
              _mm512_permutex2var_epi32 (acc[r][2 * i], odd,
                  acc[r][2 * i + 1]));
    }
    h512_store (acc[0][0], dst0 + g * 16, s->out_w - g * 16);
    if (nrows == 2)
      h512_store (acc[1][0], dst1 + g * 16, s->out_w - g * 16);
  }
}

static void AVX512
hscale_avx512 (const LadderScaler * s, const gint16 * tmp, guint8 * dst)
{
  hscale_avx512_rows (s, tmp, NULL, dst, NULL, 1);
}

static void AVX512
hscale2_avx512 (const LadderScaler * s, const gint16 * tmp0,
    const gint16 * tmp1, guint8 * dst0, guint8 * dst1)
{
  hscale_avx512_rows (s, tmp0, tmp1, dst0, dst1, 2);
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

/* The span condition of hscale_avx512 with p slots per output: returns
 * the steps per window load, 0 when even one step does not fit */
static gint
h512_block (const LadderScaler * s, gint p)
{
  const gint m = 16 / p, steps = s->h_taps / (2 * p);
  gint o, span = 0, block;

  /* every register of m outputs (the last ones clamped to the last) */
  for (o = 0; o < s->out_w; o += m)
    span = MAX (span, s->h_start[MIN (o + m, s->out_w) - 1] - s->h_start[o]);
  /* the highest index of a block is span + 2 p block - 1 */
  block = (64 - span) / (2 * p);
  return block < 1 ? 0 : MIN (block, steps);
}

/* Fills the tables of hscale_avx512 for s->h512_pairs and
 * s->h512_block; returns the end of the last sample any window load
 * reads */
static gint
build_h512_layout (LadderScaler * s)
{
  const gint p = s->h512_pairs, m = 16 / p, steps = s->h_taps / (2 * p);
  const gint groups = (s->out_w + 15) / 16;
  const gint last_load = (steps - 1) / s->h512_block * s->h512_block;
  gint g, i, j, q, t, end = 0;
  gint16 *w;

  s->h512_bases = g_new (gint, groups * p);
  s->h512_idx = g_aligned_alloc0 (groups * p * 32, sizeof (gint16), SIMD_ALIGN);
  s->h512_w = g_aligned_alloc0 ((gsize) groups * p * steps * 32,
      sizeof (gint16), SIMD_ALIGN);

  w = s->h512_w;
  for (g = 0; g < groups; g++) {
    for (i = 0; i < p; i++) {
      const gint first = g * 16 + i * m;
      const gint base = s->h_start[MIN (first, s->out_w - 1)];
      gint16 *ix = s->h512_idx + (g * p + i) * 32;

      s->h512_bases[g * p + i] = base;
      /* outputs past the last one read its window, with weight 0 */
      for (j = 0; j < m; j++) {
        gint d = s->h_start[MIN (first + j, s->out_w - 1)] - base;

        for (q = 0; q < p; q++) {
          ix[2 * (j * p + q)] = d + 2 * q;
          ix[2 * (j * p + q) + 1] = d + 2 * q + 1;
        }
      }
      for (t = 0; t < steps; t++) {
        for (j = 0; j < m && first + j < s->out_w; j++) {
          const gint16 *wo = s->h_weights + (gsize) (first + j) * s->h_taps;

          for (q = 0; q < p; q++) {
            w[2 * (j * p + q)] = wo[2 * p * t + 2 * q];
            w[2 * (j * p + q) + 1] = wo[2 * p * t + 2 * q + 1];
          }
        }
        w += 32;
      }
      end = MAX (end, base + 2 * p * last_load + 64);
    }
  }
  return end;
}

/* The tables of hscale8_avx2 (): each window moved to start on an even
 * sample (its weights shifted, zeros around), as few pairs per window as
 * hold every nonzero weight of every group; the rows are as long as the
 * transposed pairs read */
static void
build_h8 (LadderScaler * s)
{
  gint n, x, i, span = 0;

  s->h8_groups = s->out_w / 8 + (s->out_w > 8 && s->out_w % 8 ? 1 : 0);
  n = s->h8_groups * 8;
  s->h8_pairs = 1;
  s->h8_base = g_new (gint, n);
  for (x = 0; x < n; x++) {
    const gint o = h8_output (s, x);
    const gint16 *wx = s->h_weights + (gsize) o * s->h_taps;
    gint first = 0, last = s->h_taps - 1, even;

    while (first < last && wx[first] == 0)
      first++;
    while (last > first && wx[last] == 0)
      last--;
    even = (s->h_start[o] + first) & ~1;
    s->h8_base[x] = even / 2;
    s->h8_pairs = MAX (s->h8_pairs, (s->h_start[o] + last - even) / 2 + 1);
  }

  s->h8_w = g_new0 (gint32, (gsize) n * s->h8_pairs);
  s->h8_end = g_new (gint, s->h8_groups);
  for (x = 0; x < n; x++) {
    const gint o = h8_output (s, x);
    const gint16 *wx = s->h_weights + (gsize) o * s->h_taps;
    gint32 *w = s->h8_w + (gsize) (x / 8) * 8 * s->h8_pairs + x % 8;

    for (i = 0; i < s->h8_pairs; i++) {
      gint j0 = 2 * (s->h8_base[x] + i) - s->h_start[o], j1 = j0 + 1;
      guint16 lo = j0 >= 0 && j0 < s->h_taps ? (guint16) wx[j0] : 0;
      guint16 hi = j1 >= 0 && j1 < s->h_taps ? (guint16) wx[j1] : 0;

      w[8 * i] = (gint32) (((guint32) hi << 16) | lo);
    }
    span = MAX (span, s->h8_base[x] + s->h8_pairs);
    if (x % 8 == 7)
      s->h8_end[x / 8] = span;
  }
  /* every sample a window reads, and whole blocks of 8 pairs */
  span = MAX (span, (s->in_w + 1) / 2);
  s->h8_span = (span + 7) / 8 * 8;
  /* the samples past in_w stay 0: the windows that reach there have
   * weight 0 there, and hscale_c_range () reads up to tmp_len */
  s->tmp8_len = MAX (2 * s->h8_span, s->tmp_len);
  s->tmp8 = g_aligned_alloc0 ((gsize) (s->path == LADDER_SCALER_PATH_AVX2 ?
          16 : 8) * s->tmp8_len, sizeof (gint16), SIMD_ALIGN);
  s->h8_cols = g_aligned_alloc0 ((gsize) s->h8_span * 8, sizeof (gint32),
      SIMD_ALIGN);
  if (s->path == LADDER_SCALER_PATH_AVX2)
    s->h16_cols = g_aligned_alloc0 ((gsize) s->h8_span * 8, sizeof (gint32),
        SIMD_ALIGN);
}

/* The tables of vscale2_avx512 () and vscale2_avx2 () */
static void
build_v2 (LadderScaler * s)
{
  const gint half = s->out_h / 2, tp = s->v_taps / 2;
  gint i, k, dmax = 0;

  for (i = 0; i < half; i++)
    dmax = MAX (dmax, s->v_start[2 * i + 1] - s->v_start[2 * i]);
  s->v2_pairs = tp + (dmax + 1) / 2;
  s->v2_info = g_new (gint, half * 3);
  s->v2_wpairs = g_new0 (gint32, (gsize) half * 2 * s->v2_pairs);

  for (i = 0; i < half; i++) {
    /* row 1's window starts d rows into the union: its weight pairs are
     * shifted by d / 2 pairs, and half a pair when d is odd */
    const gint d = s->v_start[2 * i + 1] - s->v_start[2 * i];
    const gint16 *wy = s->v_weights + (gsize) (2 * i + 1) * s->v_taps;
    gint32 *w0 = s->v2_wpairs + (gsize) i * 2 * s->v2_pairs;
    gint32 *w1 = w0 + s->v2_pairs;
    gint *info = s->v2_info + 3 * i;

    info[0] = (d + s->v_taps + 1) / 2;
    info[1] = d / 2;
    info[2] = tp;
    memcpy (w0, s->v_wpairs + (gsize) 2 * i * tp, tp * sizeof (gint32));
    for (k = info[1]; k < info[0]; k++) {
      gint j0 = 2 * k - d, j1 = 2 * k + 1 - d;
      guint16 lo = j0 >= 0 && j0 < s->v_taps ? (guint16) wy[j0] : 0;
      guint16 hi = j1 >= 0 && j1 < s->v_taps ? (guint16) wy[j1] : 0;

      w1[k] = (gint32) (((guint32) hi << 16) | lo);
    }
  }
}

static gboolean
cpu_supports (LadderScalerPath path)
{
  __builtin_cpu_init ();
  switch (path) {
    case LADDER_SCALER_PATH_AVX512:
      /* libgcc also checks that the OS saves the AVX-512 state */
      return __builtin_cpu_supports ("avx512f") &&
          __builtin_cpu_supports ("avx512bw") &&
          __builtin_cpu_supports ("avx512vl");
    case LADDER_SCALER_PATH_AVX2:
      return __builtin_cpu_supports ("avx2");
    case LADDER_SCALER_PATH_SSE2:
      return __builtin_cpu_supports ("sse2");
    default:
      return TRUE;
  }
}

#endif /* HAVE_X86 */

/**
 * ladder_scaler_path_supported:
 * @path: a kernel
 *
 * Returns: whether this CPU (and this build) can run @path
 */
gboolean
ladder_scaler_path_supported (LadderScalerPath path)
{
#ifdef HAVE_X86
  return cpu_supports (path);
#else
  return path == LADDER_SCALER_PATH_C;
#endif
}

/**
 * ladder_scaler_path_name:
 * @path: a kernel
 *
 * Returns: (transfer none): its name in LADDER_SCALER_SIMD
 */
const gchar *
ladder_scaler_path_name (LadderScalerPath path)
{
  switch (path) {
    case LADDER_SCALER_PATH_AVX512:
      return "avx512";
    case LADDER_SCALER_PATH_AVX2:
      return "avx2";
    case LADDER_SCALER_PATH_SSE2:
      return "sse2";
    default:
      return "c";
  }
}

/**
 * ladder_scaler_choose_path:
 *
 * The kernels a scaler made now runs: the best path the CPU runs, or the
 * one the environment asks for (LADDER_SCALER_SIMD=c|sse2|avx2|avx512,
 * LADDER_SCALER_NO_SIMD=1 for c) if it is below that; unknown names are
 * ignored.
 *
 * Returns: the path
 */
LadderScalerPath
ladder_scaler_choose_path (void)
{
  const gchar *want = g_getenv ("LADDER_SCALER_SIMD");
  LadderScalerPath best = LADDER_SCALER_PATH_C, p;

  if (g_getenv ("LADDER_SCALER_NO_SIMD"))
    return LADDER_SCALER_PATH_C;
  for (p = LADDER_SCALER_PATH_C + 1; p <= LADDER_SCALER_PATH_AVX512; p++)
    if (ladder_scaler_path_supported (p))
      best = p;
  if (want) {
    for (p = LADDER_SCALER_PATH_C; p < best; p++)
      if (g_ascii_strcasecmp (want, ladder_scaler_path_name (p)) == 0)
        return p;
  }
  return best;
}

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
 * A scaler whose output keeps the siting of its input: see
 * ladder_scaler_new_sited().
 *
 * Returns: (transfer full) (nullable): a scaler, or %NULL
 */
LadderScaler *
ladder_scaler_new (LadderScalerMethod method, gint in_w, gint in_h,
    gint out_w, gint out_h, gdouble h_offset, gdouble v_offset)
{
  return ladder_scaler_new_sited (method, in_w, in_h, out_w, out_h, h_offset,
      h_offset, v_offset, v_offset);
}

/**
 * ladder_scaler_new_sited:
 * @method: the filter
 * @in_w: (in): width of the input plane, > 0
 * @in_h: height of the input plane, > 0
 * @out_w: width of the output plane, > 0
 * @out_h: height of the output plane, > 0
 * @h_in: horizontal siting of the input samples
 *   (ladder_scaler_siting_offset())
 * @h_out: horizontal siting of the output samples
 * @v_in: vertical siting of the input samples
 * @v_out: vertical siting of the output samples
 *
 * Returns: (transfer full) (nullable): a scaler for planes of these sizes,
 * or %NULL when a size is not positive or so large that the window
 * arithmetic would overflow.
 */
LadderScaler *
ladder_scaler_new_sited (LadderScalerMethod method, gint in_w, gint in_h,
    gint out_w, gint out_h, gdouble h_in, gdouble h_out, gdouble v_in,
    gdouble v_out)
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

  s->path = ladder_scaler_choose_path ();
  if (s->path == LADDER_SCALER_PATH_AVX512) {
#ifdef HAVE_X86
    /* as few slots per output as fit (no reduction at p = 1), the taps
     * padded to the 2 p of a step; p = 16 always fits */
    for (s->h512_pairs = 1;; s->h512_pairs *= 2) {
      s->h_weights = build_weights (method, in_w, out_w, h_in, h_out,
          2 * s->h512_pairs, &s->h_taps, &s->h_start);
      s->h512_block = h512_block (s, s->h512_pairs);
      if (s->h512_pairs == 16 || s->h512_block >= MIN (2,
              s->h_taps / (2 * s->h512_pairs)))
        break;
      g_free (s->h_weights);
      g_free (s->h_start);
    }
#endif
  } else {
    /* as many outputs per AVX2 lane as fit, with the tap alignment that
     * layout needs (the C path takes any) */
    for (s->h_per_lane = 4; s->h_per_lane > 0; s->h_per_lane /= 2) {
      s->h_weights = build_weights (method, in_w, out_w, h_in, h_out,
          8 / s->h_per_lane, &s->h_taps, &s->h_start);
      if (s->path != LADDER_SCALER_PATH_AVX2 || s->h_per_lane == 1)
        break;
#ifdef HAVE_X86
      if (h_layout_fits (s->h_start, out_w, s->h_per_lane))
        break;
#endif
      g_free (s->h_weights);
      g_free (s->h_start);
    }
  }
  s->v_weights = build_weights (method, in_h, out_h, v_in, v_out, V_ALIGN,
      &s->v_taps, &s->v_start);

  s->v_wpairs = g_new (gint32, (gsize) out_h * s->v_taps / 2);
  for (y = 0; y < out_h; y++) {
    const gint16 *w = s->v_weights + (gsize) y * s->v_taps;

    for (k = 0; k < s->v_taps; k += 2)
      s->v_wpairs[((gsize) y * s->v_taps + k) / 2] =
          (gint32) (((guint32) (guint16) w[k + 1] << 16) | (guint16) w[k]);
  }

  /* the horizontal windows read up to the last window's end, the AVX2
   * lanes up to TMP_SLACK past it, the AVX-512 windows up to the end
   * build_h512_layout () returns: the samples past in_w stay 0 and have
   * weight 0 */
  s->tmp_len = MAX (in_w, s->h_start[out_w - 1] + s->h_taps) + TMP_SLACK;

  s->vscale = vscale_c;
  s->hscale = hscale_c;
#ifdef HAVE_X86
  if (s->path == LADDER_SCALER_PATH_AVX512) {
    /* built once: MAX () would evaluate its arguments twice */
    gint end = build_h512_layout (s);

    s->vscale = vscale_avx512;
    s->hscale = hscale_avx512;
    s->tmp_len = MAX (s->tmp_len, end);
    build_v2 (s);
  } else if (s->path == LADDER_SCALER_PATH_AVX2) {
    s->vscale = vscale_avx2;
    s->hscale = hscale_avx2;
    build_h_layout (s);
    build_v2 (s);
  } else if (s->path == LADDER_SCALER_PATH_SSE2) {
    s->vscale = vscale_sse2;
    build_v2 (s);
  }
#endif
  /* whole registers per row, so that the second row stays aligned */
  s->tmp_len = (s->tmp_len + 31) / 32 * 32;
  s->tmp = g_aligned_alloc0 (2 * s->tmp_len, sizeof (gint16), SIMD_ALIGN);
#ifdef HAVE_X86
  if ((s->path == LADDER_SCALER_PATH_AVX2
          || s->path == LADDER_SCALER_PATH_SSE2) && out_w >= 8 && out_h >= 8)
    build_h8 (s);
#endif
  if (s->path == LADDER_SCALER_PATH_C && out_h >= 8) {
    /* the samples the windows read (zeros past in_w, weight 0 there) */
    s->c8_span = MAX (in_w, s->h_start[out_w - 1] + s->h_taps);
    s->tmp8_len = s->tmp_len;
    s->tmp8 = g_aligned_alloc0 ((gsize) 8 * s->tmp8_len, sizeof (gint16),
        SIMD_ALIGN);
    s->c8_cols = g_aligned_alloc0 ((gsize) 8 * s->c8_span, sizeof (gint16),
        SIMD_ALIGN);
  }
  /* the window of a pair, then the rows to prefetch for the next */
  s->rows = g_new (const guint8 *, MAX (s->v_taps, 4 * s->v2_pairs));

  return s;
}

/* The vertical pass of output row y into @tmp */
static void
vpass1 (LadderScaler * s, const guint8 * src, gint src_stride, gint y,
    gint16 * tmp)
{
  const gint start = s->v_start[y];
  gint k;

  /* a window longer than the plane repeats the last row, with weight 0 */
  for (k = 0; k < s->v_taps; k++)
    s->rows[k] = src + (gssize) MIN (start + k, s->in_h - 1) * src_stride;
  s->vscale (s->rows, s->v_wpairs + (gsize) y * s->v_taps / 2,
      s->v_weights + (gsize) y * s->v_taps, s->v_taps, tmp, s->in_w);
}

#ifdef HAVE_X86
/* The vertical pass of output rows y and y + 1 (SSE2, AVX2 or AVX-512) */
static void
vpass2 (LadderScaler * s, const guint8 * src, gint src_stride, gint y,
    gint16 * tmp0, gint16 * tmp1)
{
  const gint *info = s->v2_info + 3 * (y / 2);
  const gint32 *w0 = s->v2_wpairs + (gsize) y * s->v2_pairs;
  const gint start = s->v_start[y], end = start + 2 * info[0];
  gint k, n_next = 0;

  for (k = 0; k < 2 * info[0]; k++)
    s->rows[k] = src + (gssize) MIN (start + k, s->in_h - 1) * src_stride;
  /* the rows of the next pair's window that this one does not read */
  if (y + 3 < s->out_h) {
    gint next_end = s->v_start[y + 2] + 2 * info[3];

    for (k = MAX (end, s->v_start[y + 2]); k < MIN (next_end, s->in_h); k++)
      s->rows[2 * s->v2_pairs + n_next++] = src + (gssize) k *src_stride;
  }
  if (s->path == LADDER_SCALER_PATH_AVX512) {
    vscale2_avx512 (s->rows, w0, w0 + s->v2_pairs, info[1], info[2],
        info[0], tmp0, tmp1, s->in_w, s->rows + 2 * s->v2_pairs, n_next);
  } else if (s->path == LADDER_SCALER_PATH_SSE2) {
    const gsize t = s->v_taps;

    vscale2_sse2 (s->rows, w0, w0 + s->v2_pairs, info[1], info[2],
        info[0], tmp0, tmp1, s->in_w, s->rows + 2 * s->v2_pairs,
        n_next, s->v_wpairs + y * t / 2, s->v_weights + y * t,
        s->v_wpairs + (y + 1) * t / 2, s->v_weights + (y + 1) * t,
        s->v_taps, s->v_start[y + 1] - start);
  } else {
    const gsize t = s->v_taps;

    vscale2_avx2 (s->rows, w0, w0 + s->v2_pairs, info[1], info[2],
        info[0], tmp0, tmp1, s->in_w, s->rows + 2 * s->v2_pairs,
        n_next, s->v_wpairs + y * t / 2, s->v_weights + y * t,
        s->v_wpairs + (y + 1) * t / 2, s->v_weights + (y + 1) * t,
        s->v_taps, s->v_start[y + 1] - start);
  }
}

/* The vertical passes of output rows y .. y + @n - 1 (@n even) into the
 * rows of tmp8, for a horizontal pass of @n rows at once */
static void
vpass_rows8 (LadderScaler * s, const guint8 * src, gint src_stride, gint y,
    gint n)
{
  gint k;

  for (k = 0; k < n; k += 2)
    vpass2 (s, src, src_stride, y + k, s->tmp8 + k * s->tmp8_len,
        s->tmp8 + (k + 1) * s->tmp8_len);
}
#endif

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

  y = 0;
  if (s->c8_cols != NULL) {
    /* C: 8 rows per horizontal pass while there are 8 */
    for (; y + 7 < s->out_h; y += 8) {
      for (k = 0; k < 8; k++)
        vpass1 (s, src, src_stride, y + k, s->tmp8 + k * s->tmp8_len);
      hscale8_c (s, dst + (gssize) y * dst_stride, dst_stride);
    }
  }
#ifdef HAVE_X86
  if (s->path == LADDER_SCALER_PATH_SSE2 && s->tmp8 != NULL) {
    /* SSE2: 8 rows per horizontal pass while there are 8 */
    for (; y + 7 < s->out_h; y += 8) {
      vpass_rows8 (s, src, src_stride, y, 8);
      hscale8_sse2 (s, dst + (gssize) y * dst_stride, dst_stride);
    }
  }
  if (s->path == LADDER_SCALER_PATH_AVX2 && s->tmp8 != NULL) {
    /* AVX2: 16 rows per horizontal pass while there are 16, then 8 */
    for (; y + 15 < s->out_h; y += 16) {
      vpass_rows8 (s, src, src_stride, y, 16);
      hscale16_avx2 (s, dst + (gssize) y * dst_stride, dst_stride);
    }
    for (; y + 7 < s->out_h; y += 8) {
      vpass_rows8 (s, src, src_stride, y, 8);
      hscale8_avx2 (s, dst + (gssize) y * dst_stride, dst_stride);
    }
  }
  if (s->path == LADDER_SCALER_PATH_AVX512 ||
      s->path == LADDER_SCALER_PATH_AVX2) {
    gint16 *tmp1 = s->tmp + s->tmp_len;

    for (; y + 1 < s->out_h; y += 2) {
      vpass2 (s, src, src_stride, y, s->tmp, tmp1);
      if (s->path == LADDER_SCALER_PATH_AVX512) {
        hscale2_avx512 (s, s->tmp, tmp1, dst + (gssize) y * dst_stride,
            dst + (gssize) (y + 1) * dst_stride);
      } else {
        hscale_avx2 (s, s->tmp, dst + (gssize) y * dst_stride);
        hscale_avx2 (s, tmp1, dst + (gssize) (y + 1) * dst_stride);
      }
    }
  }
#endif

  for (; y < s->out_h; y++) {
    vpass1 (s, src, src_stride, y, s->tmp);
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
  return s->path != LADDER_SCALER_PATH_C;
}

/**
 * ladder_scaler_get_path:
 * @s: a scaler
 *
 * Returns: the kernel @s runs (for tests and benchmarks)
 */
LadderScalerPath
ladder_scaler_get_path (const LadderScaler * s)
{
  return s->path;
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
  g_free (s->h512_bases);
  g_aligned_free (s->h512_idx);
  g_aligned_free (s->h512_w);
  g_free (s->v_start);
  g_free (s->v_weights);
  g_free (s->v_wpairs);
  g_free (s->v2_info);
  g_free (s->v2_wpairs);
  g_free (s->rows);
  g_aligned_free (s->tmp);
  g_free (s->h8_base);
  g_free (s->h8_end);
  g_free (s->h8_w);
  g_aligned_free (s->tmp8);
  g_aligned_free (s->c8_cols);
  g_aligned_free (s->h8_cols);
  g_aligned_free (s->h16_cols);
  g_free (s);
}
