/* gst-ladder
 * Copyright (C) 2026 The gst-ladder authors
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2 of the License, or (at your option) any later version.
 */

#pragma once

#include <gst/ladder/ladder-prelude.h>

G_BEGIN_DECLS

/**
 * GST_LADDER_ERROR:
 *
 * The #GQuark of the gst-ladder #GError domain. Every GError the library
 * API returns is in this domain, with a #GstLadderError code.
 *
 * Since: 0.1
 */
#define GST_LADDER_ERROR (gst_ladder_error_quark ())

/**
 * GstLadderError:
 * @GST_LADDER_ERROR_FAILED: a generic failure, see the message.
 * @GST_LADDER_ERROR_PARSE: a ladder or rendition string is malformed.
 * @GST_LADDER_ERROR_INVALID_RENDITION: a rendition has a value out of range
 *   (zero, odd or absurd size, absurd bitrate, bad framerate).
 * @GST_LADDER_ERROR_INVALID_NAME: a name is empty, too long or has a
 *   character outside `[a-z0-9_-]`.
 * @GST_LADDER_ERROR_DUPLICATE: the thing already exists (a rendition in a
 *   ladder string, a (transcoder, rendition) pair in a runner).
 * @GST_LADDER_ERROR_NOT_FOUND: no such rendition, transcoder or key.
 * @GST_LADDER_ERROR_MISSING_ELEMENT: a GStreamer element the operation needs
 *   is not installed.
 * @GST_LADDER_ERROR_STATE: the object is not in a state that allows the
 *   call (for example a runner that is not installed on a bin).
 * @GST_LADDER_ERROR_REFUSED: a transcoder refused the context it was offered.
 *
 * Error codes of the %GST_LADDER_ERROR domain.
 *
 * Since: 0.1
 */
typedef enum
{
  GST_LADDER_ERROR_FAILED,
  GST_LADDER_ERROR_PARSE,
  GST_LADDER_ERROR_INVALID_RENDITION,
  GST_LADDER_ERROR_INVALID_NAME,
  GST_LADDER_ERROR_DUPLICATE,
  GST_LADDER_ERROR_NOT_FOUND,
  GST_LADDER_ERROR_MISSING_ELEMENT,
  GST_LADDER_ERROR_STATE,
  GST_LADDER_ERROR_REFUSED,
} GstLadderError;

GST_LADDER_API
GQuark gst_ladder_error_quark (void);

G_END_DECLS
