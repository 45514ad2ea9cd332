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

#include "laddererror.h"

/**
 * gst_ladder_error_quark:
 *
 * Returns: the #GQuark of the %GST_LADDER_ERROR domain.
 *
 * Since: 0.1
 */
G_DEFINE_QUARK (gst-ladder-error-quark, gst_ladder_error);
