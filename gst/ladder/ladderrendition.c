/* gst-ladder
 * Copyright (C) 2026 The gst-ladder authors
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2 of the License, or (at your option) any later version.
 */

/**
 * SECTION:ladderrendition
 * @title: GstLadderRendition
 * @short_description: one rung of an ABR ladder, presets, ladder strings
 *
 * A #GstLadderRendition says what one rung of a ladder makes of a source:
 * name, size, video and audio bitrate, an optional framerate and the
 * keyframe interval. The presets `1080p`, `720p`, `480p`, `360p`, `240p`
 * and `source` (the input, unchanged) cover the usual ladders;
 * %GST_LADDER_DEFAULT_LADDER is `720p,480p,240p`.
 *
 * Renditions and ladders have a string form, parsed with
 * gst_ladder_rendition_from_string() and gst_ladder_parse_ladder() and
 * printed with gst_ladder_rendition_to_string() and
 * gst_ladder_ladder_to_string():
 *
 * |[
 * ladder  = item *( "," item )
 * item    = name [ ":" WIDTH "x" HEIGHT "@" VIDEO_KBPS ] *( ":" option )
 * option  = "audio=" KBPS | "fps=" N [ "/" D ] | "gop=" SECONDS
 * ]|
 *
 * A name alone must be a preset (`720p`); a preset may take options
 * (`720p:fps=30`) or a new size and bitrate (`720p:1280x720@3000`); any
 * other name needs a size (`540p:960x540@1800:audio=96:fps=30:gop=2`).
 * `gop` is in seconds with up to three decimals (`gop=1.5`). An omitted
 * audio bitrate is the preset's, or for a custom rung 128 kbit/s from 720
 * lines up, 96 from 360 and 64 below. `source` takes no options.
 *
 * Printing gives the canonical form: the size only when it differs from the
 * preset of the same name, then `audio`, `fps` and `gop` when they differ
 * from their defaults, in that order. Parsing a printed string gives back an
 * equal rendition, and printing a parsed canonical string gives back the
 * same string.
 */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <string.h>

#include "ladder.h"

typedef struct
{
  const gchar *name;
  gint width;
  gint height;
  guint video_bitrate;
  guint audio_bitrate;
} Preset;

static const Preset presets[] = {
  {"1080p", 1920, 1080, 5000, 128},
  {"720p", 1280, 720, 2500, 128},
  {"480p", 854, 480, 1200, 96},
  {"360p", 640, 360, 800, 96},
  {"240p", 426, 240, 400, 64},
};

static const gchar *const preset_names[] = {
  "1080p", "720p", "480p", "360p", "240p", GST_LADDER_RENDITION_SOURCE, NULL
};

static const Preset *
find_preset (const gchar * name)
{
  guint i;

  for (i = 0; i < G_N_ELEMENTS (presets); i++) {
    if (strcmp (presets[i].name, name) == 0)
      return &presets[i];
  }
  return NULL;
}

/* the audio bitrate a custom rung gets when its string does not say */
static guint
default_audio_bitrate (const gchar * name, gint height)
{
  const Preset *preset = find_preset (name);

  if (preset)
    return preset->audio_bitrate;
  if (height >= 720)
    return 128;
  if (height >= 360)
    return 96;
  return 64;
}

/* GstValue string form, so that gst-launch-1.0 can set a rendition property */

static gchar *
rendition_value_serialize (const GValue * value)
{
  const GstLadderRendition *r = g_value_get_boxed (value);

  return r ? gst_ladder_rendition_to_string (r) : g_strdup ("NULL");
}

static gboolean
rendition_value_deserialize (GValue * value, const gchar * str)
{
  GstLadderRendition *r;

  if (str == NULL)
    return FALSE;
  if (strcmp (str, "NULL") == 0) {
    g_value_set_boxed (value, NULL);
    return TRUE;
  }

  r = gst_ladder_rendition_from_string (str, NULL);
  if (r == NULL)
    return FALSE;
  g_value_take_boxed (value, r);
  return TRUE;
}

static gint
rendition_value_compare (const GValue * a, const GValue * b)
{
  if (gst_ladder_rendition_is_equal (g_value_get_boxed (a),
          g_value_get_boxed (b)))
    return GST_VALUE_EQUAL;
  return GST_VALUE_UNORDERED;
}

static void
register_value_table (GType type)
{
  static GstValueTable table = { 0, };

  /* gst_value_register() needs gst_init(); a type first used before that
   * simply has no string form */
  if (!gst_is_initialized ())
    return;

  table.type = type;
  table.compare = rendition_value_compare;
  table.serialize = rendition_value_serialize;
  table.deserialize = rendition_value_deserialize;
  gst_value_register (&table);
}

G_DEFINE_BOXED_TYPE_WITH_CODE (GstLadderRendition, gst_ladder_rendition,
    gst_ladder_rendition_copy, gst_ladder_rendition_free,
    register_value_table (g_define_type_id));

static GstLadderRendition *
rendition_alloc (const gchar * name)
{
  GstLadderRendition *r = g_new0 (GstLadderRendition, 1);

  r->name = g_strdup (name);
  r->fps_n = 0;
  r->fps_d = 1;
  r->keyframe_interval = GST_LADDER_RENDITION_DEFAULT_KEYFRAME_INTERVAL;
  r->passthrough = FALSE;
  return r;
}

/**
 * gst_ladder_rendition_new:
 * @name: the rendition name, see gst_ladder_check_name()
 * @width: output width, even, between %GST_LADDER_RENDITION_MIN_SIZE and
 *   %GST_LADDER_RENDITION_MAX_WIDTH (0 for `source`)
 * @height: output height, even, between %GST_LADDER_RENDITION_MIN_SIZE and
 *   %GST_LADDER_RENDITION_MAX_HEIGHT (0 for `source`)
 * @video_bitrate: video bitrate in kbit/s, 1 to
 *   %GST_LADDER_RENDITION_MAX_VIDEO_BITRATE (0 for `source`)
 * @audio_bitrate: audio bitrate in kbit/s, 0 to carry the audio unchanged
 * @error: return location for a #GError, or %NULL
 *
 * Creates a rendition with the source framerate and the default keyframe
 * interval. The name %GST_LADDER_RENDITION_SOURCE makes the passthrough
 * rendition, which takes 0 for every number.
 *
 * Returns: (transfer full) (nullable): the new rendition, or %NULL with
 *   @error set (%GST_LADDER_ERROR_INVALID_NAME or
 *   %GST_LADDER_ERROR_INVALID_RENDITION) when a value is out of range.
 *
 * Since: 0.1
 */
GstLadderRendition *
gst_ladder_rendition_new (const gchar * name, gint width, gint height,
    guint video_bitrate, guint audio_bitrate, GError ** error)
{
  GstLadderRendition *r;

  g_return_val_if_fail (name != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  r = rendition_alloc (name);
  r->width = width;
  r->height = height;
  r->video_bitrate = video_bitrate;
  r->audio_bitrate = audio_bitrate;
  r->passthrough = strcmp (name, GST_LADDER_RENDITION_SOURCE) == 0;

  if (!gst_ladder_rendition_validate (r, error)) {
    gst_ladder_rendition_free (r);
    return NULL;
  }
  return r;
}

/**
 * gst_ladder_rendition_new_preset:
 * @preset: a preset name, one of gst_ladder_rendition_list_presets()
 * @error: return location for a #GError, or %NULL
 *
 * Creates the rendition of a preset: `1080p` (1920x1080, 5000 kbit/s, audio
 * 128), `720p` (1280x720, 2500/128), `480p` (854x480, 1200/96), `360p`
 * (640x360, 800/96), `240p` (426x240, 400/64) or `source` (passthrough).
 *
 * Returns: (transfer full) (nullable): the rendition, or %NULL with @error
 *   set to %GST_LADDER_ERROR_NOT_FOUND for an unknown preset.
 *
 * Since: 0.1
 */
GstLadderRendition *
gst_ladder_rendition_new_preset (const gchar * preset, GError ** error)
{
  const Preset *p;
  GstLadderRendition *r;

  g_return_val_if_fail (preset != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (strcmp (preset, GST_LADDER_RENDITION_SOURCE) == 0) {
    r = rendition_alloc (preset);
    r->passthrough = TRUE;
    return r;
  }

  p = find_preset (preset);
  if (p == NULL) {
    g_set_error (error, GST_LADDER_ERROR, GST_LADDER_ERROR_NOT_FOUND,
        "Unknown rendition preset \"%s\" (known: 1080p, 720p, 480p, 360p, "
        "240p, source)", preset);
    return NULL;
  }

  r = rendition_alloc (p->name);
  r->width = p->width;
  r->height = p->height;
  r->video_bitrate = p->video_bitrate;
  r->audio_bitrate = p->audio_bitrate;
  return r;
}

/**
 * gst_ladder_rendition_list_presets:
 *
 * Returns: (transfer none) (array zero-terminated=1): the preset names,
 *   largest first, `source` last.
 *
 * Since: 0.1
 */
const gchar *const *
gst_ladder_rendition_list_presets (void)
{
  return preset_names;
}

/**
 * gst_ladder_rendition_copy:
 * @rendition: a #GstLadderRendition
 *
 * Returns: (transfer full): a copy of @rendition.
 *
 * Since: 0.1
 */
GstLadderRendition *
gst_ladder_rendition_copy (const GstLadderRendition * rendition)
{
  GstLadderRendition *copy;

  g_return_val_if_fail (rendition != NULL, NULL);

  copy = g_new0 (GstLadderRendition, 1);
  *copy = *rendition;
  copy->name = g_strdup (rendition->name);
  return copy;
}

/**
 * gst_ladder_rendition_free:
 * @rendition: (transfer full) (nullable): a #GstLadderRendition
 *
 * Frees @rendition. %NULL is ignored.
 *
 * Since: 0.1
 */
void
gst_ladder_rendition_free (GstLadderRendition * rendition)
{
  if (rendition == NULL)
    return;
  g_free (rendition->name);
  g_free (rendition);
}

/**
 * gst_ladder_name_is_valid:
 * @name: (nullable): a name
 *
 * Returns: %TRUE if @name is 1 to %GST_LADDER_NAME_MAX_LENGTH characters
 *   of `[a-z0-9_-]`.
 *
 * Since: 0.1
 */
gboolean
gst_ladder_name_is_valid (const gchar * name)
{
  return gst_ladder_check_name (name, NULL, NULL);
}

/**
 * gst_ladder_check_name:
 * @name: (nullable): a name to check
 * @what: (nullable): what the name names, for the message ("rendition",
 *   "output", ...); %NULL for "name"
 * @error: return location for a #GError, or %NULL
 *
 * The name validator shared by gst-ladder: a rendition, transcoder or
 * output name is 1 to %GST_LADDER_NAME_MAX_LENGTH characters of
 * `[a-z0-9_-]`, so it is safe as a file or directory name (no `/`, no
 * `..`, no upper case, no spaces).
 *
 * Returns: %TRUE if @name is valid; else %FALSE with @error set to
 *   %GST_LADDER_ERROR_INVALID_NAME and a message that says what is wrong.
 *
 * Since: 0.1
 */
gboolean
gst_ladder_check_name (const gchar * name, const gchar * what, GError ** error)
{
  const gchar *p;
  gsize len;

  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (what == NULL)
    what = "name";

  if (name == NULL || name[0] == '\0') {
    g_set_error (error, GST_LADDER_ERROR, GST_LADDER_ERROR_INVALID_NAME,
        "The %s is empty", what);
    return FALSE;
  }

  len = strlen (name);
  if (len > GST_LADDER_NAME_MAX_LENGTH) {
    g_set_error (error, GST_LADDER_ERROR, GST_LADDER_ERROR_INVALID_NAME,
        "The %s \"%.*s...\" is %" G_GSIZE_FORMAT " characters long; at most "
        "%d are allowed", what, 16, name, len, GST_LADDER_NAME_MAX_LENGTH);
    return FALSE;
  }

  for (p = name; *p; p++) {
    gchar c = *p;

    if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_'
        || c == '-')
      continue;

    if (c == '/' || c == '\\' || c == '.') {
      g_set_error (error, GST_LADDER_ERROR, GST_LADDER_ERROR_INVALID_NAME,
          "The %s \"%s\" has a path character '%c' at position %d; only "
          "a-z, 0-9, '_' and '-' are allowed", what, name, c,
          (gint) (p - name) + 1);
    } else if (g_ascii_isprint (c)) {
      g_set_error (error, GST_LADDER_ERROR, GST_LADDER_ERROR_INVALID_NAME,
          "The %s \"%s\" has a character '%c' at position %d that is not "
          "allowed; only a-z, 0-9, '_' and '-' are", what, name, c,
          (gint) (p - name) + 1);
    } else {
      g_set_error (error, GST_LADDER_ERROR, GST_LADDER_ERROR_INVALID_NAME,
          "The %s has a character 0x%02x at position %d that is not "
          "allowed; only a-z, 0-9, '_' and '-' are", what, (guint) (guchar) c,
          (gint) (p - name) + 1);
    }
    return FALSE;
  }

  return TRUE;
}

/**
 * gst_ladder_rendition_validate:
 * @rendition: a #GstLadderRendition
 * @error: return location for a #GError, or %NULL
 *
 * Checks every field of @rendition: the name (gst_ladder_check_name()), an
 * even size within %GST_LADDER_RENDITION_MIN_SIZE and
 * %GST_LADDER_RENDITION_MAX_WIDTH x %GST_LADDER_RENDITION_MAX_HEIGHT, a
 * video bitrate of 1 to %GST_LADDER_RENDITION_MAX_VIDEO_BITRATE kbit/s, an
 * audio bitrate up to %GST_LADDER_RENDITION_MAX_AUDIO_BITRATE, a framerate
 * up to %GST_LADDER_RENDITION_MAX_FPS, a keyframe interval of whole
 * milliseconds within range; and for the passthrough rendition: the name
 * `source` and zero for every number.
 *
 * Returns: %TRUE if @rendition is valid; else %FALSE with @error set to
 *   %GST_LADDER_ERROR_INVALID_NAME or %GST_LADDER_ERROR_INVALID_RENDITION.
 *
 * Since: 0.1
 */
gboolean
gst_ladder_rendition_validate (const GstLadderRendition * r, GError ** error)
{
  gboolean is_source;

  g_return_val_if_fail (r != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!gst_ladder_check_name (r->name, "rendition name", error))
    return FALSE;

  /* the decoded input (GST_LADDER_RENDITION_RAW) is passthrough too */
  is_source = strcmp (r->name, GST_LADDER_RENDITION_SOURCE) == 0
      || strcmp (r->name, GST_LADDER_RENDITION_RAW) == 0;

  if (r->passthrough || is_source) {
    if (!r->passthrough || !is_source) {
      g_set_error (error, GST_LADDER_ERROR, GST_LADDER_ERROR_INVALID_RENDITION,
          "Rendition \"%s\": only the rendition named \"source\" is the "
          "passthrough rendition, and it is always passthrough%s", r->name,
          strcmp (r->name, GST_LADDER_RENDITION_RAW) == 0 ?
          " (\"raw\" is the name of the decoded input)" : "");
      return FALSE;
    }
    if (r->width || r->height || r->video_bitrate || r->audio_bitrate
        || r->fps_n
        || r->keyframe_interval !=
        GST_LADDER_RENDITION_DEFAULT_KEYFRAME_INTERVAL) {
      g_set_error (error, GST_LADDER_ERROR, GST_LADDER_ERROR_INVALID_RENDITION,
          "Rendition \"%s\" is the input unchanged: it takes no size, "
          "bitrate, framerate or keyframe interval", r->name);
      return FALSE;
    }
    return TRUE;
  }

  if (r->width < GST_LADDER_RENDITION_MIN_SIZE
      || r->width > GST_LADDER_RENDITION_MAX_WIDTH
      || r->height < GST_LADDER_RENDITION_MIN_SIZE
      || r->height > GST_LADDER_RENDITION_MAX_HEIGHT) {
    g_set_error (error, GST_LADDER_ERROR, GST_LADDER_ERROR_INVALID_RENDITION,
        "Rendition \"%s\": size %dx%d is out of range (%dx%d to %dx%d)",
        r->name, r->width, r->height, GST_LADDER_RENDITION_MIN_SIZE,
        GST_LADDER_RENDITION_MIN_SIZE, GST_LADDER_RENDITION_MAX_WIDTH,
        GST_LADDER_RENDITION_MAX_HEIGHT);
    return FALSE;
  }
  if (r->width % 2 || r->height % 2) {
    g_set_error (error, GST_LADDER_ERROR, GST_LADDER_ERROR_INVALID_RENDITION,
        "Rendition \"%s\": size %dx%d is odd; width and height must be even",
        r->name, r->width, r->height);
    return FALSE;
  }
  if (r->video_bitrate == 0
      || r->video_bitrate > GST_LADDER_RENDITION_MAX_VIDEO_BITRATE) {
    g_set_error (error, GST_LADDER_ERROR, GST_LADDER_ERROR_INVALID_RENDITION,
        "Rendition \"%s\": video bitrate %u kbit/s is out of range (1 to %u)",
        r->name, r->video_bitrate, GST_LADDER_RENDITION_MAX_VIDEO_BITRATE);
    return FALSE;
  }
  if (r->audio_bitrate > GST_LADDER_RENDITION_MAX_AUDIO_BITRATE) {
    g_set_error (error, GST_LADDER_ERROR, GST_LADDER_ERROR_INVALID_RENDITION,
        "Rendition \"%s\": audio bitrate %u kbit/s is out of range (0 to %u)",
        r->name, r->audio_bitrate, GST_LADDER_RENDITION_MAX_AUDIO_BITRATE);
    return FALSE;
  }
  if (r->fps_n < 0 || r->fps_d <= 0
      || (gint64) r->fps_n > (gint64) GST_LADDER_RENDITION_MAX_FPS * r->fps_d
      || (r->fps_n == 0 && r->fps_d != 1)) {
    g_set_error (error, GST_LADDER_ERROR, GST_LADDER_ERROR_INVALID_RENDITION,
        "Rendition \"%s\": framerate %d/%d is out of range (0/1 for the "
        "source framerate, else up to %d fps)", r->name, r->fps_n, r->fps_d,
        GST_LADDER_RENDITION_MAX_FPS);
    return FALSE;
  }
  if (r->keyframe_interval < GST_LADDER_RENDITION_MIN_KEYFRAME_INTERVAL
      || r->keyframe_interval > GST_LADDER_RENDITION_MAX_KEYFRAME_INTERVAL
      || r->keyframe_interval % GST_MSECOND) {
    g_set_error (error, GST_LADDER_ERROR, GST_LADDER_ERROR_INVALID_RENDITION,
        "Rendition \"%s\": keyframe interval %" GST_TIME_FORMAT " is out of "
        "range (whole milliseconds from 0.1 s to 60 s)", r->name,
        GST_TIME_ARGS (r->keyframe_interval));
    return FALSE;
  }

  return TRUE;
}

/**
 * gst_ladder_rendition_is_equal:
 * @a: (nullable): a #GstLadderRendition
 * @b: (nullable): a #GstLadderRendition
 *
 * Returns: %TRUE if every field of @a and @b is the same (or both are
 *   %NULL).
 *
 * Since: 0.1
 */
gboolean
gst_ladder_rendition_is_equal (const GstLadderRendition * a,
    const GstLadderRendition * b)
{
  if (a == b)
    return TRUE;
  if (a == NULL || b == NULL)
    return FALSE;

  return g_strcmp0 (a->name, b->name) == 0 && a->width == b->width
      && a->height == b->height && a->video_bitrate == b->video_bitrate
      && a->audio_bitrate == b->audio_bitrate && a->fps_n == b->fps_n
      && (a->fps_n == 0 || a->fps_d == b->fps_d)
      && a->keyframe_interval == b->keyframe_interval
      && !a->passthrough == !b->passthrough;
}

/**
 * gst_ladder_rendition_to_string:
 * @rendition: a valid #GstLadderRendition
 *
 * Prints @rendition in the canonical string form (see the section
 * documentation): `720p`, `720p:fps=30`, `540p:960x540@1800:audio=96`.
 * gst_ladder_rendition_from_string() parses it back into an equal
 * rendition.
 *
 * Returns: (transfer full): the string form of @rendition.
 *
 * Since: 0.1
 */
gchar *
gst_ladder_rendition_to_string (const GstLadderRendition * r)
{
  const Preset *preset;
  GString *s;

  g_return_val_if_fail (r != NULL, NULL);
  g_return_val_if_fail (r->name != NULL, NULL);

  s = g_string_new (r->name);
  if (r->passthrough)
    return g_string_free (s, FALSE);

  preset = find_preset (r->name);
  if (preset == NULL || preset->width != r->width
      || preset->height != r->height
      || preset->video_bitrate != r->video_bitrate)
    g_string_append_printf (s, ":%dx%d@%u", r->width, r->height,
        r->video_bitrate);

  if (r->audio_bitrate != default_audio_bitrate (r->name, r->height))
    g_string_append_printf (s, ":audio=%u", r->audio_bitrate);

  if (r->fps_n > 0) {
    if (r->fps_d == 1)
      g_string_append_printf (s, ":fps=%d", r->fps_n);
    else
      g_string_append_printf (s, ":fps=%d/%d", r->fps_n, r->fps_d);
  }

  if (r->keyframe_interval != GST_LADDER_RENDITION_DEFAULT_KEYFRAME_INTERVAL) {
    guint64 ms = r->keyframe_interval / GST_MSECOND;

    g_string_append_printf (s, ":gop=%" G_GUINT64_FORMAT, ms / 1000);
    if (ms % 1000) {
      gchar frac[8];
      gint len;

      g_snprintf (frac, sizeof (frac), "%03u", (guint) (ms % 1000));
      for (len = 3; len > 0 && frac[len - 1] == '0'; len--)
        frac[len - 1] = '\0';
      g_string_append_printf (s, ".%s", frac);
    }
  }

  return g_string_free (s, FALSE);
}

/* Parsing. The item parser reports what is wrong and the character offset
 * inside the item; the callers wrap that with the item and its position. */

typedef struct
{
  gint code;
  gchar *what;
  gsize offset;
} ParseFailure;

static void
parse_fail (ParseFailure * f, gint code, gsize offset, const gchar * format,
    ...)
G_GNUC_PRINTF (4, 5);

     static void
         parse_fail (ParseFailure * f, gint code, gsize offset,
    const gchar * format, ...)
{
  va_list args;

  va_start (args, format);
  f->code = code;
  f->offset = offset;
  f->what = g_strdup_vprintf (format, args);
  va_end (args);
}

/* parses decimal digits at @p (at most 9, so no overflow); returns the
 * number of digits read, 0 if none */
static guint
parse_number (const gchar * p, guint * value)
{
  guint n = 0, v = 0;

  while (g_ascii_isdigit (p[n]) && n < 9) {
    v = v * 10 + (p[n] - '0');
    n++;
  }
  if (g_ascii_isdigit (p[n]))
    return 0;
  *value = v;
  return n;
}

static gboolean
parse_size (const gchar * field, gsize off, GstLadderRendition * r,
    ParseFailure * f)
{
  const gchar *p = field;
  guint w, h, kbps, n;

  if (!(n = parse_number (p, &w))) {
    parse_fail (f, GST_LADDER_ERROR_PARSE, off, "expected a width in "
        "\"WIDTHxHEIGHT@KBPS\", got \"%s\"", field);
    return FALSE;
  }
  p += n;
  if (*p != 'x') {
    parse_fail (f, GST_LADDER_ERROR_PARSE, off + (p - field),
        "expected 'x' after the width in \"WIDTHxHEIGHT@KBPS\", got \"%s\"", p);
    return FALSE;
  }
  p++;
  if (!(n = parse_number (p, &h))) {
    parse_fail (f, GST_LADDER_ERROR_PARSE, off + (p - field),
        "expected a height after 'x' in \"WIDTHxHEIGHT@KBPS\", got \"%s\"", p);
    return FALSE;
  }
  p += n;
  if (*p != '@') {
    parse_fail (f, GST_LADDER_ERROR_PARSE, off + (p - field),
        "expected '@' and the video bitrate after the size, got \"%s\"", p);
    return FALSE;
  }
  p++;
  if (!(n = parse_number (p, &kbps))) {
    parse_fail (f, GST_LADDER_ERROR_PARSE, off + (p - field),
        "expected a video bitrate in kbit/s after '@', got \"%s\"", p);
    return FALSE;
  }
  p += n;
  if (*p != '\0') {
    parse_fail (f, GST_LADDER_ERROR_PARSE, off + (p - field),
        "unexpected \"%s\" after the video bitrate", p);
    return FALSE;
  }

  r->width = w;
  r->height = h;
  r->video_bitrate = kbps;
  return TRUE;
}

static gboolean
parse_option (const gchar * field, gsize off, GstLadderRendition * r,
    guint * seen, gboolean * audio_set, ParseFailure * f)
{
  const gchar *eq = strchr (field, '=');
  const gchar *v;
  gsize keylen;
  guint n, num, den;
  guint bit;

  if (eq == NULL) {
    parse_fail (f, GST_LADDER_ERROR_PARSE, off, "expected an option "
        "\"audio=KBPS\", \"fps=N[/D]\" or \"gop=SECONDS\", got \"%s\"", field);
    return FALSE;
  }
  keylen = eq - field;
  v = eq + 1;

  if (keylen == 5 && strncmp (field, "audio", 5) == 0)
    bit = 1;
  else if (keylen == 3 && strncmp (field, "fps", 3) == 0)
    bit = 2;
  else if (keylen == 3 && strncmp (field, "gop", 3) == 0)
    bit = 4;
  else {
    parse_fail (f, GST_LADDER_ERROR_PARSE, off, "unknown option \"%.*s\" "
        "(known: audio, fps, gop)", (gint) keylen, field);
    return FALSE;
  }
  if (*seen & bit) {
    parse_fail (f, GST_LADDER_ERROR_PARSE, off, "option \"%.*s\" is given "
        "twice", (gint) keylen, field);
    return FALSE;
  }
  *seen |= bit;

  off += keylen + 1;

  if (bit == 1) {
    if (!(n = parse_number (v, &num)) || v[n] != '\0') {
      parse_fail (f, GST_LADDER_ERROR_PARSE, off, "audio bitrate \"%s\" is "
          "not a number of kbit/s", v);
      return FALSE;
    }
    if (num > GST_LADDER_RENDITION_MAX_AUDIO_BITRATE) {
      parse_fail (f, GST_LADDER_ERROR_INVALID_RENDITION, off, "audio bitrate "
          "%u kbit/s is out of range (0 to %u)", num,
          GST_LADDER_RENDITION_MAX_AUDIO_BITRATE);
      return FALSE;
    }
    r->audio_bitrate = num;
    *audio_set = TRUE;
  } else if (bit == 2) {
    den = 1;
    if (!(n = parse_number (v, &num))) {
      parse_fail (f, GST_LADDER_ERROR_PARSE, off, "framerate \"%s\" is not "
          "N or N/D", v);
      return FALSE;
    }
    if (v[n] == '/') {
      guint m = parse_number (v + n + 1, &den);

      if (!m) {
        parse_fail (f, GST_LADDER_ERROR_PARSE, off + n + 1, "framerate "
            "\"%s\" has no denominator after '/'", v);
        return FALSE;
      }
      n += 1 + m;
    }
    if (v[n] != '\0') {
      parse_fail (f, GST_LADDER_ERROR_PARSE, off + n, "unexpected \"%s\" "
          "after the framerate", v + n);
      return FALSE;
    }
    if (num == 0 || den == 0) {
      parse_fail (f, GST_LADDER_ERROR_INVALID_RENDITION, off, "framerate "
          "\"%s\" must be above 0 (omit fps to keep the source framerate)", v);
      return FALSE;
    }
    if ((guint64) num > (guint64) GST_LADDER_RENDITION_MAX_FPS * den) {
      parse_fail (f, GST_LADDER_ERROR_INVALID_RENDITION, off, "framerate "
          "\"%s\" is above %d fps", v, GST_LADDER_RENDITION_MAX_FPS);
      return FALSE;
    } else {
      guint a = num, b = den;

      while (b) {
        guint t = a % b;
        a = b;
        b = t;
      }
      r->fps_n = num / a;
      r->fps_d = den / a;
    }
  } else {
    guint64 ms;
    guint frac = 0, fdigits = 0;

    if (!(n = parse_number (v, &num))) {
      parse_fail (f, GST_LADDER_ERROR_PARSE, off, "keyframe interval \"%s\" "
          "is not a number of seconds", v);
      return FALSE;
    }
    if (v[n] == '.') {
      while (g_ascii_isdigit (v[n + 1 + fdigits]) && fdigits < 3) {
        frac = frac * 10 + (v[n + 1 + fdigits] - '0');
        fdigits++;
      }
      if (fdigits == 0) {
        parse_fail (f, GST_LADDER_ERROR_PARSE, off + n, "keyframe interval "
            "\"%s\" has no digits after '.'", v);
        return FALSE;
      }
      n += 1 + fdigits;
      while (fdigits < 3) {
        frac *= 10;
        fdigits++;
      }
    }
    if (v[n] != '\0') {
      parse_fail (f, GST_LADDER_ERROR_PARSE, off + n, "unexpected \"%s\" "
          "after the keyframe interval (seconds, at most 3 decimals)", v + n);
      return FALSE;
    }
    ms = (guint64) num *1000 + frac;
    if (ms * GST_MSECOND < GST_LADDER_RENDITION_MIN_KEYFRAME_INTERVAL
        || ms * GST_MSECOND > GST_LADDER_RENDITION_MAX_KEYFRAME_INTERVAL) {
      parse_fail (f, GST_LADDER_ERROR_INVALID_RENDITION, off, "keyframe "
          "interval \"%s\" is out of range (0.1 to 60 seconds)", v);
      return FALSE;
    }
    r->keyframe_interval = ms * GST_MSECOND;
  }

  return TRUE;
}

static GstLadderRendition *
parse_item (const gchar * item, ParseFailure * f)
{
  gchar **fields;
  GstLadderRendition *r = NULL;
  GError *err = NULL;
  gboolean have_size = FALSE, audio_set = FALSE;
  guint seen = 0, i;
  gsize off, size_offset = 0;

  if (item[0] == '\0') {
    parse_fail (f, GST_LADDER_ERROR_PARSE, 0, "the item is empty");
    return NULL;
  }

  fields = g_strsplit (item, ":", -1);

  if (!gst_ladder_check_name (fields[0], "rendition name", &err)) {
    parse_fail (f, err->code, 0, "%s", err->message);
    g_clear_error (&err);
    goto fail;
  }

  if (strcmp (fields[0], GST_LADDER_RENDITION_SOURCE) == 0) {
    if (fields[1] != NULL) {
      parse_fail (f, GST_LADDER_ERROR_INVALID_RENDITION, strlen (fields[0]),
          "the \"source\" rendition is the input unchanged and takes no "
          "size or options");
      goto fail;
    }
    r = gst_ladder_rendition_new_preset (GST_LADDER_RENDITION_SOURCE, NULL);
    g_strfreev (fields);
    return r;
  }

  r = gst_ladder_rendition_new_preset (fields[0], NULL);
  if (r == NULL)
    r = rendition_alloc (fields[0]);

  off = strlen (fields[0]) + 1;
  for (i = 1; fields[i]; i++) {
    const gchar *field = fields[i];

    if (field[0] == '\0') {
      parse_fail (f, GST_LADDER_ERROR_PARSE, off, "empty field after ':'");
      goto fail;
    }
    if (i == 1 && g_ascii_isdigit (field[0]) && strchr (field, '=') == NULL) {
      if (!parse_size (field, off, r, f))
        goto fail;
      have_size = TRUE;
      size_offset = off;
    } else if (!parse_option (field, off, r, &seen, &audio_set, f)) {
      goto fail;
    }
    off += strlen (field) + 1;
  }

  if (!have_size && find_preset (r->name) == NULL) {
    parse_fail (f, GST_LADDER_ERROR_NOT_FOUND, 0, "\"%s\" is not a preset "
        "(1080p, 720p, 480p, 360p, 240p, source); a custom rendition needs "
        "a size, as in \"%s:960x540@1800\"", r->name, r->name);
    goto fail;
  }

  if (!audio_set)
    r->audio_bitrate = default_audio_bitrate (r->name, r->height);

  if (!gst_ladder_rendition_validate (r, &err)) {
    gchar *prefix = g_strdup_printf ("Rendition \"%s\": ", r->name);
    const gchar *what = err->message;

    /* the caller names the rendition already */
    if (g_str_has_prefix (what, prefix))
      what += strlen (prefix);
    /* point at the size, where the numbers that can be wrong are */
    parse_fail (f, err->code, have_size ? size_offset : 0, "%s", what);
    g_free (prefix);
    g_clear_error (&err);
    goto fail;
  }

  g_strfreev (fields);
  return r;

fail:
  g_strfreev (fields);
  gst_ladder_rendition_free (r);
  return NULL;
}

/* strips ASCII spaces around an item; returns the offset of the first kept
 * character */
static gsize
strip_item (gchar * item)
{
  gsize lead = 0, len;

  while (item[lead] == ' ' || item[lead] == '\t')
    lead++;
  len = strlen (item + lead);
  memmove (item, item + lead, len + 1);
  while (len > 0 && (item[len - 1] == ' ' || item[len - 1] == '\t'))
    item[--len] = '\0';
  return lead;
}

/**
 * gst_ladder_rendition_from_string:
 * @str: a rendition string, such as `480p`, `720p:fps=30` or
 *   `540p:960x540@1800:audio=96:fps=30:gop=2`
 * @error: return location for a #GError, or %NULL
 *
 * Parses one rendition (see the section documentation for the syntax).
 *
 * Returns: (transfer full) (nullable): the rendition, or %NULL with @error
 *   set: %GST_LADDER_ERROR_PARSE for malformed text,
 *   %GST_LADDER_ERROR_NOT_FOUND for an unknown preset,
 *   %GST_LADDER_ERROR_INVALID_NAME or %GST_LADDER_ERROR_INVALID_RENDITION
 *   for a value out of range. The message names the rendition and the
 *   character where the problem is.
 *
 * Since: 0.1
 */
GstLadderRendition *
gst_ladder_rendition_from_string (const gchar * str, GError ** error)
{
  GstLadderRendition *r;
  ParseFailure f = { 0, };
  gchar *item;
  gsize lead;

  g_return_val_if_fail (str != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (strchr (str, ',')) {
    g_set_error (error, GST_LADDER_ERROR, GST_LADDER_ERROR_PARSE,
        "Rendition \"%s\": one rendition expected, found ',' at character "
        "%d (a list of renditions is a ladder)", str,
        (gint) (strchr (str, ',') - str) + 1);
    return NULL;
  }

  item = g_strdup (str);
  lead = strip_item (item);
  r = parse_item (item, &f);
  if (r == NULL) {
    g_set_error (error, GST_LADDER_ERROR, f.code,
        "Rendition \"%s\", at character %d: %s", str,
        (gint) (lead + f.offset) + 1, f.what);
    g_free (f.what);
  }
  g_free (item);
  return r;
}

/**
 * gst_ladder_parse_ladder:
 * @str: a ladder string: renditions separated by commas, such as
 *   `720p,480p,240p` or `source,540p:960x540@1800,240p:fps=15`
 * @error: return location for a #GError, or %NULL
 *
 * Parses a ladder. Spaces around an item are ignored. An empty ladder, an
 * empty item or two renditions with the same name are refused.
 *
 * Returns: (transfer full) (element-type GstLadderRendition) (nullable):
 *   the renditions in order, or %NULL with @error set as
 *   gst_ladder_rendition_from_string() does, or to
 *   %GST_LADDER_ERROR_DUPLICATE for a repeated name. The message names the
 *   item, its number and its character position in @str.
 *
 * Since: 0.1
 */
GPtrArray *
gst_ladder_parse_ladder (const gchar * str, GError ** error)
{
  GPtrArray *ladder;
  gchar **items;
  gsize pos = 0;
  guint i;

  g_return_val_if_fail (str != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  ladder = g_ptr_array_new_with_free_func ((GDestroyNotify)
      gst_ladder_rendition_free);
  items = g_strsplit (str, ",", -1);

  if (items[0] == NULL) {
    g_set_error (error, GST_LADDER_ERROR, GST_LADDER_ERROR_PARSE,
        "The ladder is empty; give renditions such as \"%s\"",
        GST_LADDER_DEFAULT_LADDER);
    goto fail;
  }

  for (i = 0; items[i]; i++) {
    ParseFailure f = { 0, };
    GstLadderRendition *r;
    gchar *orig = g_strdup (items[i]);
    gsize lead = strip_item (items[i]);
    guint j;

    r = parse_item (items[i], &f);
    if (r == NULL) {
      g_set_error (error, GST_LADDER_ERROR, f.code,
          "Ladder \"%s\", item %u \"%s\" at character %d: %s", str, i + 1,
          orig, (gint) (pos + lead + f.offset) + 1, f.what);
      g_free (f.what);
      g_free (orig);
      goto fail;
    }

    for (j = 0; j < ladder->len; j++) {
      GstLadderRendition *prev = g_ptr_array_index (ladder, j);

      if (strcmp (prev->name, r->name) == 0) {
        g_set_error (error, GST_LADDER_ERROR, GST_LADDER_ERROR_DUPLICATE,
            "Ladder \"%s\", item %u \"%s\" at character %d: the rendition "
            "name \"%s\" is already used by item %u", str, i + 1, orig,
            (gint) (pos + lead) + 1, r->name, j + 1);
        gst_ladder_rendition_free (r);
        g_free (orig);
        goto fail;
      }
    }

    g_ptr_array_add (ladder, r);
    pos += strlen (orig) + 1;
    g_free (orig);
  }

  g_strfreev (items);
  return ladder;

fail:
  g_strfreev (items);
  g_ptr_array_unref (ladder);
  return NULL;
}

/**
 * gst_ladder_ladder_to_string:
 * @ladder: (element-type GstLadderRendition): renditions
 *
 * Prints a ladder: the canonical string of each rendition, separated by
 * commas. gst_ladder_parse_ladder() parses it back.
 *
 * Returns: (transfer full): the ladder string ("" for an empty array).
 *
 * Since: 0.1
 */
gchar *
gst_ladder_ladder_to_string (const GPtrArray * ladder)
{
  GString *s;
  guint i;

  g_return_val_if_fail (ladder != NULL, NULL);

  s = g_string_new (NULL);
  for (i = 0; i < ladder->len; i++) {
    gchar *item = gst_ladder_rendition_to_string (g_ptr_array_index (ladder,
            i));

    if (i > 0)
      g_string_append_c (s, ',');
    g_string_append (s, item);
    g_free (item);
  }
  return g_string_free (s, FALSE);
}

/**
 * gst_ladder_default_ladder:
 *
 * Returns: (transfer full) (element-type GstLadderRendition): the renditions
 *   of %GST_LADDER_DEFAULT_LADDER: `720p`, `480p`, `240p`.
 *
 * Since: 0.1
 */
GPtrArray *
gst_ladder_default_ladder (void)
{
  GPtrArray *ladder = gst_ladder_parse_ladder (GST_LADDER_DEFAULT_LADDER,
      NULL);

  g_assert (ladder != NULL);
  return ladder;
}
