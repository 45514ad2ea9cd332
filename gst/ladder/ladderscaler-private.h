/* gst-ladder
 * Copyright (C) 2026 The gst-ladder authors
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2 of the License, or (at your option) any later version.
 */

/* The polyphase scaler kernel behind the ladderscale element: scales one
 * 8-bit plane, vertical pass first, in fixed point, with AVX2 or AVX-512
 * code chosen at run time on x86. Not installed; see ladderscaler.c for
 * the design.
 *
 * A LadderScaler is immutable after ladder_scaler_new() except for its
 * one-row scratch buffer, so one instance must not be used by two threads
 * at the same time; use one per plane and thread.
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS typedef enum
{
  LADDER_SCALER_LANCZOS,        /* Lanczos, a = 3 */
  LADDER_SCALER_BICUBIC,        /* cubic, B = 0, C = LADDER_SCALER_BICUBIC_C */
} LadderScalerMethod;

/* The C (sharpness) parameter of the cubic (Keys a = -C): 0.5 is
 * Catmull-Rom; 0.6 is slightly sharper and closer to Lanczos. Chosen from
 * PSNR measurements against a Lanczos reference (docs/ladderscale.md). */
#define LADDER_SCALER_BICUBIC_C 0.6

/* The fixed-point formats: weights are signed integers summing to exactly
 * 1 << LADDER_SCALER_WEIGHT_BITS per output sample; the intermediate row of
 * the vertical pass holds pixel values with LADDER_SCALER_INTER_BITS
 * fractional bits in an int16 (range -512 .. 511.98). */
#define LADDER_SCALER_WEIGHT_BITS 14
#define LADDER_SCALER_INTER_BITS 6

/* The kernels, in the order ladder_scaler_new() prefers them (best
 * last): each needs the instruction sets of the ones before it, so a path
 * forced by LADDER_SCALER_SIMD that the CPU lacks falls back to the best
 * one below it. */
typedef enum
{
  LADDER_SCALER_PATH_C,         /* portable C, vectorised by the compiler */
  LADDER_SCALER_PATH_SSE2,      /* x86 SSE2 (every x86-64 CPU) */
  LADDER_SCALER_PATH_AVX2,      /* x86 AVX2 */
  LADDER_SCALER_PATH_AVX512,    /* x86 AVX-512 F, BW and VL */
} LadderScalerPath;

typedef struct _LadderScaler LadderScaler;

G_GNUC_INTERNAL
    LadderScaler * ladder_scaler_new (LadderScalerMethod method, gint in_w,
    gint in_h, gint out_w, gint out_h, gdouble h_offset, gdouble v_offset);

G_GNUC_INTERNAL
    LadderScaler * ladder_scaler_new_sited (LadderScalerMethod method,
    gint in_w, gint in_h, gint out_w, gint out_h, gdouble h_in, gdouble h_out,
    gdouble v_in, gdouble v_out);

G_GNUC_INTERNAL
    void ladder_scaler_process (LadderScaler * s, const guint8 * src,
    gint src_stride, guint8 * dst, gint dst_stride);

G_GNUC_INTERNAL void ladder_scaler_free (LadderScaler * s);

G_GNUC_INTERNAL gboolean ladder_scaler_uses_simd (const LadderScaler * s);

G_GNUC_INTERNAL LadderScalerPath ladder_scaler_get_path (const LadderScaler *
    s);

G_GNUC_INTERNAL gboolean ladder_scaler_path_supported (LadderScalerPath path);

G_GNUC_INTERNAL const gchar *ladder_scaler_path_name (LadderScalerPath path);

G_GNUC_INTERNAL LadderScalerPath ladder_scaler_choose_path (void);

G_GNUC_INTERNAL
    gdouble ladder_scaler_siting_offset (guint subsampling_log2,
    gboolean cosited);

G_END_DECLS
