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
 * GST_LADDER_RENDITION_SOURCE:
 *
 * The name of the passthrough rendition: the input, unchanged.
 *
 * Since: 0.1
 */
#define GST_LADDER_RENDITION_SOURCE "source"

/**
 * GST_LADDER_RENDITION_RAW:
 *
 * The name of the decoded rendition: the input decoded, unchanged, made by
 * the shared decode of an encoded video source (transcoder "decode") for
 * the rungs that need raw video. Like %GST_LADDER_RENDITION_SOURCE it is
 * always passthrough; a ladder cannot use the name.
 *
 * Since: 0.1
 */
#define GST_LADDER_RENDITION_RAW "raw"

/**
 * GST_LADDER_RENDITION_DEFAULT_KEYFRAME_INTERVAL:
 *
 * The default keyframe interval of a rendition: 2 seconds.
 *
 * Since: 0.1
 */
#define GST_LADDER_RENDITION_DEFAULT_KEYFRAME_INTERVAL (2 * GST_SECOND)

/**
 * GST_LADDER_DEFAULT_LADDER:
 *
 * The default ladder, as a ladder string.
 *
 * Since: 0.1
 */
#define GST_LADDER_DEFAULT_LADDER "720p,480p,240p"

/**
 * GST_LADDER_NAME_MAX_LENGTH:
 *
 * The longest name gst_ladder_check_name() accepts, in characters.
 *
 * Since: 0.1
 */
#define GST_LADDER_NAME_MAX_LENGTH 32

/**
 * GST_LADDER_RENDITION_MIN_SIZE:
 *
 * The smallest width or height of a rendition, in pixels.
 *
 * Since: 0.1
 */
#define GST_LADDER_RENDITION_MIN_SIZE 16

/**
 * GST_LADDER_RENDITION_MAX_WIDTH:
 *
 * The largest width of a rendition, in pixels (8K UHD).
 *
 * Since: 0.1
 */
#define GST_LADDER_RENDITION_MAX_WIDTH 7680

/**
 * GST_LADDER_RENDITION_MAX_HEIGHT:
 *
 * The largest height of a rendition, in pixels (8K UHD).
 *
 * Since: 0.1
 */
#define GST_LADDER_RENDITION_MAX_HEIGHT 4320

/**
 * GST_LADDER_RENDITION_MAX_VIDEO_BITRATE:
 *
 * The largest video bitrate of a rendition, in kbit/s.
 *
 * Since: 0.1
 */
#define GST_LADDER_RENDITION_MAX_VIDEO_BITRATE 100000

/**
 * GST_LADDER_RENDITION_MAX_AUDIO_BITRATE:
 *
 * The largest audio bitrate of a rendition, in kbit/s.
 *
 * Since: 0.1
 */
#define GST_LADDER_RENDITION_MAX_AUDIO_BITRATE 1024

/**
 * GST_LADDER_RENDITION_MAX_FPS:
 *
 * The largest output framerate of a rendition, in frames per second.
 *
 * Since: 0.1
 */
#define GST_LADDER_RENDITION_MAX_FPS 240

/**
 * GST_LADDER_RENDITION_MIN_KEYFRAME_INTERVAL:
 *
 * The shortest keyframe interval of a rendition: 100 ms. Keyframe intervals
 * are whole milliseconds.
 *
 * Since: 0.1
 */
#define GST_LADDER_RENDITION_MIN_KEYFRAME_INTERVAL (100 * GST_MSECOND)

/**
 * GST_LADDER_RENDITION_MAX_KEYFRAME_INTERVAL:
 *
 * The longest keyframe interval of a rendition: 60 s.
 *
 * Since: 0.1
 */
#define GST_LADDER_RENDITION_MAX_KEYFRAME_INTERVAL (60 * GST_SECOND)

typedef struct _GstLadderRendition GstLadderRendition;

/**
 * GstLadderRendition:
 * @name: the rendition name, `[a-z0-9_-]`, 1 to 32 characters
 *   ("720p", "source", ...).
 * @width: output width in pixels, even; 0 for the `source` rendition.
 * @height: output height in pixels, even; 0 for the `source` rendition.
 * @video_bitrate: video bitrate in kbit/s; 0 for the `source` rendition.
 * @audio_bitrate: audio bitrate in kbit/s, or 0 to carry the audio as it is.
 * @fps_n: output framerate numerator, 0 to keep the source framerate.
 * @fps_d: output framerate denominator (1 when @fps_n is 0).
 * @keyframe_interval: time between keyframes, default
 *   %GST_LADDER_RENDITION_DEFAULT_KEYFRAME_INTERVAL; whole milliseconds
 *   between %GST_LADDER_RENDITION_MIN_KEYFRAME_INTERVAL and
 *   %GST_LADDER_RENDITION_MAX_KEYFRAME_INTERVAL.
 * @passthrough: %TRUE for the `source` rendition (and only for it): the
 *   input, unchanged.
 *
 * One rung of an ABR ladder: what a transcoder makes of a source. A boxed
 * type; copy with gst_ladder_rendition_copy(), free with
 * gst_ladder_rendition_free(). The fields are public: a caller may edit a
 * rendition it owns and check it with gst_ladder_rendition_validate().
 *
 * The type has a string form (gst_ladder_rendition_to_string(), see
 * docs/renditions.md for the syntax) registered with #GstValue, so a
 * #GstLadderRendition property can be set from gst-launch-1.0
 * (`rendition=480p`, `rendition=540p:960x540@1800:fps=30`).
 *
 * Since: 0.1
 */
struct _GstLadderRendition
{
  gchar *name;
  gint width;
  gint height;
  guint video_bitrate;
  guint audio_bitrate;
  gint fps_n;
  gint fps_d;
  GstClockTime keyframe_interval;
  gboolean passthrough;

  /*< private > */
  gpointer _gst_reserved[GST_PADDING];
};

#define GST_TYPE_LADDER_RENDITION (gst_ladder_rendition_get_type ())
GST_LADDER_API
GType gst_ladder_rendition_get_type (void);

GST_LADDER_API
GstLadderRendition *gst_ladder_rendition_new (const gchar * name, gint width,
    gint height, guint video_bitrate, guint audio_bitrate, GError ** error);

GST_LADDER_API
GstLadderRendition *gst_ladder_rendition_new_preset (const gchar * preset,
    GError ** error);

GST_LADDER_API
const gchar *const *gst_ladder_rendition_list_presets (void);

GST_LADDER_API
GstLadderRendition *gst_ladder_rendition_copy (const GstLadderRendition * rendition);

GST_LADDER_API
void gst_ladder_rendition_free (GstLadderRendition * rendition);

GST_LADDER_API
gboolean gst_ladder_rendition_validate (const GstLadderRendition * rendition,
    GError ** error);

GST_LADDER_API
gboolean gst_ladder_rendition_is_equal (const GstLadderRendition * a,
    const GstLadderRendition * b);

GST_LADDER_API
GstLadderRendition *gst_ladder_rendition_from_string (const gchar * str,
    GError ** error);

GST_LADDER_API
gchar *gst_ladder_rendition_to_string (const GstLadderRendition * rendition);

GST_LADDER_API
gboolean gst_ladder_name_is_valid (const gchar * name);

GST_LADDER_API
gboolean gst_ladder_check_name (const gchar * name, const gchar * what,
    GError ** error);

GST_LADDER_API
GPtrArray *gst_ladder_parse_ladder (const gchar * str, GError ** error);

GST_LADDER_API
gchar *gst_ladder_ladder_to_string (const GPtrArray * ladder);

GST_LADDER_API
GPtrArray *gst_ladder_default_ladder (void);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (GstLadderRendition, gst_ladder_rendition_free)

G_END_DECLS
