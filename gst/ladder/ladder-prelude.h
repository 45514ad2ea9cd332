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

#pragma once

#include <gst/gst.h>

#ifndef GST_LADDER_API
# ifdef BUILDING_GST_LADDER
#  define GST_LADDER_API __attribute__ ((visibility ("default"))) extern
# else
#  define GST_LADDER_API extern
# endif
#endif
