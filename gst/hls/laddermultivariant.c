/* gst-ladder
 * Copyright (C) 2026 The gst-ladder authors
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2 of the License, or (at your option) any later version.
 */

/* The multivariant (master) playlist of ladderhlssink: one
 * `#EXT-X-STREAM-INF` entry per variant (LadderVariant), highest BANDWIDTH
 * first (ladder_multivariant_render()). */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "laddermultivariant.h"

LadderVariant *
ladder_variant_new (const gchar * uri)
{
  LadderVariant *variant = g_new0 (LadderVariant, 1);

  variant->uri = g_strdup (uri);
  variant->independent = TRUE;
  return variant;
}

void
ladder_variant_free (LadderVariant * variant)
{
  if (variant == NULL)
    return;
  g_free (variant->uri);
  g_free (variant->codecs);
  g_free (variant);
}

static gint
compare_variants (gconstpointer a, gconstpointer b)
{
  const LadderVariant *va = *(const LadderVariant **) a;
  const LadderVariant *vb = *(const LadderVariant **) b;

  /* highest bandwidth first; the URI breaks ties so that the order does
   * not depend on the order renditions were requested in */
  if (va->bandwidth != vb->bandwidth)
    return va->bandwidth > vb->bandwidth ? -1 : 1;
  return g_strcmp0 (va->uri, vb->uri);
}

/* Sorts @variants (highest BANDWIDTH first) and returns the playlist text. */
gchar *
ladder_multivariant_render (GPtrArray * variants)
{
  GString *s = g_string_new ("#EXTM3U\n");
  guint i;

  g_ptr_array_sort (variants, compare_variants);

  g_string_append_printf (s, "#EXT-X-VERSION:%d\n",
      LADDER_MULTIVARIANT_VERSION);
  /* only when it is true of every variant listed */
  for (i = 0; i < variants->len; i++) {
    const LadderVariant *v = g_ptr_array_index (variants, i);

    if (!v->independent)
      break;
  }
  if (i == variants->len)
    g_string_append (s, "#EXT-X-INDEPENDENT-SEGMENTS\n");

  for (i = 0; i < variants->len; i++) {
    const LadderVariant *v = g_ptr_array_index (variants, i);

    g_string_append_printf (s, "#EXT-X-STREAM-INF:BANDWIDTH=%" G_GUINT64_FORMAT,
        v->bandwidth);
    if (v->average_bandwidth > 0)
      g_string_append_printf (s, ",AVERAGE-BANDWIDTH=%" G_GUINT64_FORMAT,
          v->average_bandwidth);
    if (v->width > 0 && v->height > 0)
      g_string_append_printf (s, ",RESOLUTION=%dx%d", v->width, v->height);
    if (v->fps_n > 0 && v->fps_d > 0) {
      gchar buf[G_ASCII_DTOSTR_BUF_SIZE];

      g_ascii_formatd (buf, sizeof (buf), "%.3f",
          (gdouble) v->fps_n / (gdouble) v->fps_d);
      g_string_append_printf (s, ",FRAME-RATE=%s", buf);
    }
    if (v->codecs != NULL)
      g_string_append_printf (s, ",CODECS=\"%s\"", v->codecs);
    g_string_append_c (s, '\n');
    g_string_append_printf (s, "%s\n", v->uri);
  }

  return g_string_free (s, FALSE);
}
