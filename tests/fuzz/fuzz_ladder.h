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

/* The two entry points libFuzzer calls, shared with the replay driver,
 * and the failure count the replay driver reads. */

#ifndef __FUZZ_LADDER_H__
#define __FUZZ_LADDER_H__

#include <glib.h>

G_BEGIN_DECLS

int LLVMFuzzerInitialize (int *argc, char ***argv);
int LLVMFuzzerTestOneInput (const guint8 * data, gsize size);

/* how many inputs failed so far (with LADDER_FUZZ_KEEP_GOING=1) */
guint fuzz_ladder_get_failures (void);

G_END_DECLS

#endif /* __FUZZ_LADDER_H__ */
