/* gst-ladder
 * Copyright (C) 2026 The gst-ladder authors
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2 of the License, or (at your option) any later version.
 */

#pragma once

#include <gst/gst.h>
#include <gio/gio.h>

G_BEGIN_DECLS
/* Internal to the plugin: atomic file writes of ladderhlssink. */
    gboolean ladder_atomic_write (const gchar * path,
    const gchar * contents, gssize length, GError ** error);

/**
 * LadderAtomicWrittenFunc:
 * @contents: what was written, not NUL-terminated
 * @length: its length in bytes
 * @user_data: the data given with the function
 *
 * Called by an atomic output stream once its contents are in place.
 */
typedef void (*LadderAtomicWrittenFunc) (const gchar * contents,
    gsize length, gpointer user_data);

GOutputStream *ladder_atomic_output_stream_new (const gchar * path,
    LadderAtomicWrittenFunc written, gpointer user_data, GDestroyNotify notify);

G_END_DECLS
