/* gst-ladder
 * Copyright (C) 2026 The gst-ladder authors
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2 of the License, or (at your option) any later version.
 */

#pragma once

#include <gst/ladder/ladderrendition.h>

G_BEGIN_DECLS

/**
 * GstLadderDiff:
 * @added: (element-type GstLadderRendition): renditions of the new ladder
 *   whose name the old one does not have, in the new ladder's order
 * @removed: (element-type GstLadderRendition): renditions of the old
 *   ladder whose name the new one does not have, in the old ladder's order
 * @updated: (element-type GstLadderRendition): renditions of the new
 *   ladder whose name the old one has with other settings (size, bitrates,
 *   framerate, keyframe interval), in the new ladder's order
 *
 * What changes from one ladder to another, by rendition name: computed by
 * gst_ladder_diff_new(), which touches nothing else (no runner, no
 * pipeline). Renditions equal in both ladders are in none of the arrays.
 * Every array holds copies.
 *
 * Since: 0.1
 */
typedef struct
{
  GPtrArray *added;
  GPtrArray *removed;
  GPtrArray *updated;
} GstLadderDiff;

GST_LADDER_API
GstLadderDiff *gst_ladder_diff_new (const GPtrArray * old_ladder,
    const GPtrArray * new_ladder);

GST_LADDER_API
gboolean gst_ladder_diff_is_empty (const GstLadderDiff * diff);

GST_LADDER_API
void gst_ladder_diff_free (GstLadderDiff * diff);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (GstLadderDiff, gst_ladder_diff_free)

G_END_DECLS
