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

/**
 * SECTION:gstladderdiff
 * @title: GstLadderDiff
 * @short_description: what changes from one ladder to another
 *
 * A pure computation on two ladders (arrays of #GstLadderRendition): the
 * renditions added, removed and updated, matched by name. The `ladder`
 * element applies a new `renditions` string with it; a live edit of a
 * runner's ladder starts from it.
 *
 * Since: 0.1
 */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "ladder.h"

static const GstLadderRendition *
find_by_name (const GPtrArray * ladder, const gchar * name)
{
  guint i;

  for (i = 0; ladder && i < ladder->len; i++) {
    const GstLadderRendition *r = g_ptr_array_index (ladder, i);

    if (r && g_strcmp0 (r->name, name) == 0)
      return r;
  }
  return NULL;
}

static GPtrArray *
rendition_array_new (void)
{
  return g_ptr_array_new_with_free_func ((GDestroyNotify)
      gst_ladder_rendition_free);
}

/**
 * gst_ladder_diff_new:
 * @old_ladder: (element-type GstLadderRendition) (nullable): the ladder
 *   before, %NULL for none
 * @new_ladder: (element-type GstLadderRendition) (nullable): the ladder
 *   after, %NULL for none
 *
 * Compares two ladders by rendition name. A name in both ladders with
 * other settings is updated (gst_ladder_rendition_is_equal()); a name in
 * one only is added or removed. %NULL entries are skipped.
 *
 * Returns: (transfer full): the changes; free with gst_ladder_diff_free().
 *
 * Since: 0.1
 */
GstLadderDiff *
gst_ladder_diff_new (const GPtrArray * old_ladder, const GPtrArray * new_ladder)
{
  GstLadderDiff *diff = g_new0 (GstLadderDiff, 1);
  guint i;

  diff->added = rendition_array_new ();
  diff->removed = rendition_array_new ();
  diff->updated = rendition_array_new ();

  for (i = 0; old_ladder && i < old_ladder->len; i++) {
    const GstLadderRendition *o = g_ptr_array_index (old_ladder, i);

    if (o && find_by_name (new_ladder, o->name) == NULL)
      g_ptr_array_add (diff->removed, gst_ladder_rendition_copy (o));
  }
  for (i = 0; new_ladder && i < new_ladder->len; i++) {
    const GstLadderRendition *r = g_ptr_array_index (new_ladder, i);
    const GstLadderRendition *o;

    if (r == NULL)
      continue;
    o = find_by_name (old_ladder, r->name);
    if (o == NULL)
      g_ptr_array_add (diff->added, gst_ladder_rendition_copy (r));
    else if (!gst_ladder_rendition_is_equal (o, r))
      g_ptr_array_add (diff->updated, gst_ladder_rendition_copy (r));
  }
  return diff;
}

/**
 * gst_ladder_diff_is_empty:
 * @diff: a #GstLadderDiff
 *
 * Returns: %TRUE when the two ladders were the same.
 *
 * Since: 0.1
 */
gboolean
gst_ladder_diff_is_empty (const GstLadderDiff * diff)
{
  g_return_val_if_fail (diff != NULL, TRUE);

  return diff->added->len == 0 && diff->removed->len == 0
      && diff->updated->len == 0;
}

/**
 * gst_ladder_diff_free:
 * @diff: (transfer full) (nullable): a #GstLadderDiff
 *
 * Frees @diff and the copies it holds.
 *
 * Since: 0.1
 */
void
gst_ladder_diff_free (GstLadderDiff * diff)
{
  if (diff == NULL)
    return;
  g_ptr_array_unref (diff->added);
  g_ptr_array_unref (diff->removed);
  g_ptr_array_unref (diff->updated);
  g_free (diff);
}
