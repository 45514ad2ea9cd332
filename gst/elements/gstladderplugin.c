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

#include <gst/ladder/ladder.h>

#include "gstladderelements.h"

static gboolean
plugin_init (GstPlugin * plugin)
{
  gboolean ret = FALSE;

  ret |= GST_ELEMENT_REGISTER (ladderbroadcaster, plugin);
  ret |= GST_ELEMENT_REGISTER (ladderpassthrough, plugin);
  ret |= GST_ELEMENT_REGISTER (ladderdecode, plugin);
  ret |= GST_ELEMENT_REGISTER (ladderscale, plugin);
#ifdef HAVE_LADDER_X264
  ret |= GST_ELEMENT_REGISTER (ladderx264, plugin);
#endif
  ret |= GST_ELEMENT_REGISTER (ladder, plugin);
#ifdef HAVE_LADDER_HLS
  ret |= GST_ELEMENT_REGISTER (ladderhlssink, plugin);
#endif

  return ret;
}

GST_PLUGIN_DEFINE (GST_VERSION_MAJOR, GST_VERSION_MINOR, ladder,
    "Live adaptive-bitrate ladders: fan-out, transcoding rungs, HLS output",
    plugin_init, VERSION, GST_LICENSE, GST_PACKAGE_NAME, GST_PACKAGE_ORIGIN)
