/* gst-ladder
 * Copyright (C) 2026 The gst-ladder authors
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2 of the License, or (at your option) any later version.
 */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "ladder.h"
#include "ladder-private.h"

/**
 * gst_ladder_init:
 *
 * Registers the element factories of libgstladder-1.0 (`ladderbroadcaster`,
 * `ladderpassthrough`, `ladderdecode`, `ladderx264`, `ladderscale`) as static elements,
 * for applications that link the library and do not install the plugin. Safe to call more
 * than once and alongside the installed plugin. Call it after gst_init().
 *
 * Returns: %TRUE when every factory is registered.
 *
 * Since: 0.1
 */
gboolean
gst_ladder_init (void)
{
  gboolean ret = TRUE;

  ret &= GST_ELEMENT_REGISTER (ladderbroadcaster, NULL);
  ret &= GST_ELEMENT_REGISTER (ladderpassthrough, NULL);
  ret &= GST_ELEMENT_REGISTER (ladderdecode, NULL);
  ret &= GST_ELEMENT_REGISTER (ladderx264, NULL);
  ret &= GST_ELEMENT_REGISTER (ladderscale, NULL);

  return ret;
}

/* Whether the upstream of @sinkpad is live, as its latency query says;
 * @unknown when nobody answers the query. */
gboolean
gst_ladder_upstream_is_live (GstPad * sinkpad, gboolean unknown)
{
  GstQuery *query = gst_query_new_latency ();
  gboolean live = unknown;

  if (gst_pad_peer_query (sinkpad, query))
    gst_query_parse_latency (query, &live, NULL, NULL);
  gst_query_unref (query);
  return live;
}
