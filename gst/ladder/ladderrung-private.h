/* gst-ladder
 * Copyright (C) 2026 The gst-ladder authors
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2 of the License, or (at your option) any later version.
 */

#pragma once

#include "ladderrung.h"

G_BEGIN_DECLS

G_GNUC_INTERNAL
gboolean gst_ladder_rung_report_fault (GstLadderRung * self,
    GstLadderPhase phase, const GError * error, const gchar * debug);

G_GNUC_INTERNAL
void gst_ladder_rung_set_stopping (GstLadderRung * self);

G_END_DECLS
