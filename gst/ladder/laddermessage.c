/* gst-ladder
 * Copyright (C) 2026 The gst-ladder authors
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2 of the License, or (at your option) any later version.
 */

/**
 * SECTION:laddermessage
 * @title: Ladder messages
 * @short_description: build and parse the element messages of gst-ladder
 *
 * gst-ladder reports on the bus with element messages whose structure
 * names and fields are part of the API (see docs/messages.md). Each has a
 * constructor here, used by the elements, and a parser, for applications:
 *
 * |[<!-- language="C" -->
 * switch (gst_ladder_message_get_type (msg)) {
 *   case GST_LADDER_MESSAGE_PANIC:{
 *     gchar *rendition = NULL;
 *     GError *err = NULL;
 *     gst_ladder_message_parse_panic (msg, NULL, &rendition, NULL, NULL,
 *         NULL, &err, NULL, NULL, NULL, NULL);
 *     g_print ("rung %s failed: %s\n", rendition, err->message);
 *     g_free (rendition);
 *     g_clear_error (&err);
 *     break;
 *   }
 *   default:
 *     break;
 * }
 * ]|
 *
 * Every parser takes %NULL for a field it does not want, and returns
 * %FALSE when @message is not of its type.
 */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "ladder.h"

static const struct
{
  GstLadderMessageType type;
  const gchar *name;
} message_names[] = {
  {GST_LADDER_MESSAGE_PANIC, GST_LADDER_MESSAGE_NAME_PANIC},
  {GST_LADDER_MESSAGE_STATS, GST_LADDER_MESSAGE_NAME_STATS},
  {GST_LADDER_MESSAGE_RENDITION_ADDED, GST_LADDER_MESSAGE_NAME_RENDITION_ADDED},
  {GST_LADDER_MESSAGE_RENDITION_REMOVED,
      GST_LADDER_MESSAGE_NAME_RENDITION_REMOVED},
  {GST_LADDER_MESSAGE_BROADCASTER_STATE,
      GST_LADDER_MESSAGE_NAME_BROADCASTER_STATE},
  {GST_LADDER_MESSAGE_BROADCASTER_LAG, GST_LADDER_MESSAGE_NAME_BROADCASTER_LAG},
  {GST_LADDER_MESSAGE_BROADCASTER_EVICTED,
      GST_LADDER_MESSAGE_NAME_BROADCASTER_EVICTED},
  {GST_LADDER_MESSAGE_BROADCASTER_IDLE,
      GST_LADDER_MESSAGE_NAME_BROADCASTER_IDLE},
};

/**
 * gst_ladder_message_get_type:
 * @message: a #GstMessage
 *
 * Returns: which gst-ladder message @message is, or
 *   %GST_LADDER_MESSAGE_NONE when it is none of them.
 *
 * Since: 0.1
 */
GstLadderMessageType
gst_ladder_message_get_type (GstMessage * message)
{
  const GstStructure *s;
  guint i;

  g_return_val_if_fail (GST_IS_MESSAGE (message), GST_LADDER_MESSAGE_NONE);

  if (GST_MESSAGE_TYPE (message) != GST_MESSAGE_ELEMENT)
    return GST_LADDER_MESSAGE_NONE;

  s = gst_message_get_structure (message);
  if (s == NULL)
    return GST_LADDER_MESSAGE_NONE;

  for (i = 0; i < G_N_ELEMENTS (message_names); i++) {
    if (gst_structure_has_name (s, message_names[i].name))
      return message_names[i].type;
  }
  return GST_LADDER_MESSAGE_NONE;
}

/**
 * gst_ladder_message_type_get_name:
 * @type: a #GstLadderMessageType
 *
 * Returns: (nullable): the structure name of messages of @type, such as
 *   "ladder-panic", or %NULL for %GST_LADDER_MESSAGE_NONE.
 *
 * Since: 0.1
 */
const gchar *
gst_ladder_message_type_get_name (GstLadderMessageType type)
{
  guint i;

  for (i = 0; i < G_N_ELEMENTS (message_names); i++) {
    if (message_names[i].type == type)
      return message_names[i].name;
  }
  return NULL;
}

static const GstStructure *
get_structure_of_type (GstMessage * message, GstLadderMessageType type)
{
  g_return_val_if_fail (GST_IS_MESSAGE (message), NULL);

  if (gst_ladder_message_get_type (message) != type)
    return NULL;
  return gst_message_get_structure (message);
}

static void
dup_string (const GstStructure * s, const gchar * field, gchar ** out)
{
  if (out)
    *out = g_strdup (gst_structure_get_string (s, field));
}

static void
get_uint64 (const GstStructure * s, const gchar * field, guint64 * out)
{
  if (out && !gst_structure_get_uint64 (s, field, out))
    *out = 0;
}

static void
get_clock_time (const GstStructure * s, const gchar * field, GstClockTime * out)
{
  if (out && !gst_structure_get_clock_time (s, field, out))
    *out = GST_CLOCK_TIME_NONE;
}

static GstStructure *
new_with_origin (const gchar * name, const gchar * broadcast,
    const gchar * track)
{
  return gst_structure_new (name,
      "broadcast", G_TYPE_STRING, broadcast ? broadcast : "",
      "track", G_TYPE_STRING, track ? track : "", NULL);
}

/* ladder-panic */

/**
 * gst_ladder_message_new_panic:
 * @src: (transfer none): the message source
 * @transcoder: the transcoder name
 * @rendition: the rendition name
 * @broadcast: the broadcast of the rung's source
 * @track: the track of the rung's source
 * @phase: when the rung failed
 * @error: (nullable): the error that stopped the rung
 * @debug: (nullable): debug text
 * @panics: how many panics this rung key has had, this one included
 * @restart_delay: the delay before the restart, or %GST_CLOCK_TIME_NONE
 *   when the rung is degraded and will not be restarted
 *
 * Creates a `ladder-panic` element message. Its fields: `transcoder`,
 * `rendition`, `broadcast`, `track` (strings), `phase` (#GstLadderPhase),
 * `error` (#GError), `debug` (string), `panics` (uint), `restart-delay`
 * (#GstClockTime, absent when degraded), `degraded` (boolean) and `next`
 * ("restart" or "degraded").
 *
 * Returns: (transfer full): the new message.
 *
 * Since: 0.1
 */
GstMessage *
gst_ladder_message_new_panic (GstObject * src, const gchar * transcoder,
    const gchar * rendition, const gchar * broadcast, const gchar * track,
    GstLadderPhase phase, const GError * error, const gchar * debug,
    guint panics, GstClockTime restart_delay)
{
  GstStructure *s;
  gboolean degraded = !GST_CLOCK_TIME_IS_VALID (restart_delay);
  GError *err_copy;

  s = new_with_origin (GST_LADDER_MESSAGE_NAME_PANIC, broadcast, track);
  err_copy = error ? g_error_copy (error) :
      g_error_new_literal (GST_LADDER_ERROR, GST_LADDER_ERROR_FAILED,
      "unknown failure");
  gst_structure_set (s,
      "transcoder", G_TYPE_STRING, transcoder ? transcoder : "",
      "rendition", G_TYPE_STRING, rendition ? rendition : "",
      "phase", GST_TYPE_LADDER_PHASE, phase,
      "debug", G_TYPE_STRING, debug ? debug : "",
      "panics", G_TYPE_UINT, panics,
      "degraded", G_TYPE_BOOLEAN, degraded,
      "next", G_TYPE_STRING, degraded ? "degraded" : "restart", NULL);
  {
    GValue v = G_VALUE_INIT;
    g_value_init (&v, G_TYPE_ERROR);
    g_value_take_boxed (&v, err_copy);
    gst_structure_take_value (s, "error", &v);
  }
  if (!degraded)
    gst_structure_set (s, "restart-delay", G_TYPE_UINT64, restart_delay, NULL);

  return gst_message_new_element (src, s);
}

/**
 * gst_ladder_message_parse_panic:
 * @message: a `ladder-panic` message
 * @transcoder: (out) (optional) (transfer full): the transcoder name
 * @rendition: (out) (optional) (transfer full): the rendition name
 * @broadcast: (out) (optional) (transfer full): the broadcast
 * @track: (out) (optional) (transfer full): the track
 * @phase: (out) (optional): when the rung failed
 * @error: (out) (optional) (transfer full): the error
 * @debug: (out) (optional) (transfer full): the debug text
 * @panics: (out) (optional): the panic count of the rung key
 * @restart_delay: (out) (optional): the restart delay, or
 *   %GST_CLOCK_TIME_NONE when degraded
 * @degraded: (out) (optional): whether the rung is degraded
 *
 * Reads a `ladder-panic` message.
 *
 * Returns: %TRUE if @message is a `ladder-panic` message.
 *
 * Since: 0.1
 */
gboolean
gst_ladder_message_parse_panic (GstMessage * message, gchar ** transcoder,
    gchar ** rendition, gchar ** broadcast, gchar ** track,
    GstLadderPhase * phase, GError ** error, gchar ** debug, guint * panics,
    GstClockTime * restart_delay, gboolean * degraded)
{
  const GstStructure *s;

  s = get_structure_of_type (message, GST_LADDER_MESSAGE_PANIC);
  if (s == NULL)
    return FALSE;

  dup_string (s, "transcoder", transcoder);
  dup_string (s, "rendition", rendition);
  dup_string (s, "broadcast", broadcast);
  dup_string (s, "track", track);
  dup_string (s, "debug", debug);
  if (phase && !gst_structure_get_enum (s, "phase", GST_TYPE_LADDER_PHASE,
          (gint *) phase))
    *phase = GST_LADDER_PHASE_FRAGMENT;
  if (error && !gst_structure_get (s, "error", G_TYPE_ERROR, error, NULL))
    *error = NULL;
  if (panics && !gst_structure_get_uint (s, "panics", panics))
    *panics = 0;
  get_clock_time (s, "restart-delay", restart_delay);
  if (degraded && !gst_structure_get_boolean (s, "degraded", degraded))
    *degraded = FALSE;
  return TRUE;
}

/* ladder-stats */

/**
 * gst_ladder_rung_stats_new:
 * @transcoder: the transcoder name
 * @rendition: the rendition name
 * @broadcast: the broadcast of the rung's source
 * @track: the track
 * @state: the rung key's state
 *
 * Creates one entry of the `rungs` list of `ladder-stats`, named
 * %GST_LADDER_RUNG_STATS_NAME, with its origin fields and `state` set and
 * every counter at zero: `fragments-in`, `fragments-out`, `bytes-in`,
 * `bytes-out`, `drops`, `panics`, `restarts` (guint64), `bitrate` (bit/s)
 * and `fps` (gdouble). The runner fills in the counters.
 *
 * Returns: (transfer full): a new #GstStructure
 *
 * Since: 0.1
 */
GstStructure *
gst_ladder_rung_stats_new (const gchar * transcoder, const gchar * rendition,
    const gchar * broadcast, const gchar * track, GstLadderRungState state)
{
  GstStructure *s;

  s = new_with_origin (GST_LADDER_RUNG_STATS_NAME, broadcast, track);
  gst_structure_set (s,
      "transcoder", G_TYPE_STRING, transcoder ? transcoder : "",
      "rendition", G_TYPE_STRING, rendition ? rendition : "",
      "state", GST_TYPE_LADDER_RUNG_STATE, state,
      "fragments-in", G_TYPE_UINT64, G_GUINT64_CONSTANT (0),
      "fragments-out", G_TYPE_UINT64, G_GUINT64_CONSTANT (0),
      "bytes-in", G_TYPE_UINT64, G_GUINT64_CONSTANT (0),
      "bytes-out", G_TYPE_UINT64, G_GUINT64_CONSTANT (0),
      "drops", G_TYPE_UINT64, G_GUINT64_CONSTANT (0),
      "panics", G_TYPE_UINT64, G_GUINT64_CONSTANT (0),
      "restarts", G_TYPE_UINT64, G_GUINT64_CONSTANT (0),
      "bitrate", G_TYPE_DOUBLE, 0.0, "fps", G_TYPE_DOUBLE, 0.0, NULL);
  return s;
}

/**
 * gst_ladder_message_new_stats:
 * @src: (transfer none): the message source
 * @rungs: (element-type GstStructure) (transfer none): one entry per rung
 *   key, as made by gst_ladder_rung_stats_new()
 *
 * Creates a `ladder-stats` element message with the field `rungs`, a
 * #GstValueArray of #GstStructure, and `count`, the number of entries.
 *
 * Returns: (transfer full): the new message.
 *
 * Since: 0.1
 */
GstMessage *
gst_ladder_message_new_stats (GstObject * src, GPtrArray * rungs)
{
  GstStructure *s;
  GValue array = G_VALUE_INIT;
  guint i, n = rungs ? rungs->len : 0;

  gst_value_array_init (&array, n);
  for (i = 0; i < n; i++) {
    GValue v = G_VALUE_INIT;
    g_value_init (&v, GST_TYPE_STRUCTURE);
    g_value_set_boxed (&v, g_ptr_array_index (rungs, i));
    gst_value_array_append_and_take_value (&array, &v);
  }

  s = gst_structure_new (GST_LADDER_MESSAGE_NAME_STATS,
      "count", G_TYPE_UINT, n, NULL);
  gst_structure_take_value (s, "rungs", &array);
  return gst_message_new_element (src, s);
}

/**
 * gst_ladder_message_parse_stats:
 * @message: a `ladder-stats` message
 * @rungs: (out) (optional) (transfer full) (element-type GstStructure): the
 *   entries, one #GstStructure per rung key
 *
 * Reads a `ladder-stats` message.
 *
 * Returns: %TRUE if @message is a `ladder-stats` message.
 *
 * Since: 0.1
 */
gboolean
gst_ladder_message_parse_stats (GstMessage * message, GPtrArray ** rungs)
{
  const GstStructure *s;
  const GValue *array;
  guint i, n;

  s = get_structure_of_type (message, GST_LADDER_MESSAGE_STATS);
  if (s == NULL)
    return FALSE;

  if (rungs == NULL)
    return TRUE;

  *rungs = g_ptr_array_new_with_free_func ((GDestroyNotify) gst_structure_free);
  array = gst_structure_get_value (s, "rungs");
  if (array == NULL || !GST_VALUE_HOLDS_ARRAY (array))
    return TRUE;

  n = gst_value_array_get_size (array);
  for (i = 0; i < n; i++) {
    const GValue *v = gst_value_array_get_value (array, i);
    if (GST_VALUE_HOLDS_STRUCTURE (v))
      g_ptr_array_add (*rungs,
          gst_structure_copy (gst_value_get_structure (v)));
  }
  return TRUE;
}

/* ladder-rendition-added / -removed */

/**
 * gst_ladder_message_new_rendition_added:
 * @src: (transfer none): the message source
 * @rendition: the rendition added
 * @transcoder: the transcoder name it was added for
 * @rungs: how many rungs it started at once
 *
 * Creates a `ladder-rendition-added` element message with the fields
 * `rendition` (name), `description` (the rendition string, as
 * gst_ladder_rendition_to_string()), `width`, `height` (int),
 * `video-bitrate`, `audio-bitrate` (uint, kbit/s), `transcoder` (string)
 * and `rungs` (uint).
 *
 * Returns: (transfer full): the new message.
 *
 * Since: 0.1
 */
GstMessage *
gst_ladder_message_new_rendition_added (GstObject * src,
    const GstLadderRendition * rendition, const gchar * transcoder, guint rungs)
{
  GstStructure *s;
  gchar *desc;

  g_return_val_if_fail (rendition != NULL, NULL);

  desc = gst_ladder_rendition_to_string (rendition);
  s = gst_structure_new (GST_LADDER_MESSAGE_NAME_RENDITION_ADDED,
      "rendition", G_TYPE_STRING, rendition->name,
      "description", G_TYPE_STRING, desc,
      "width", G_TYPE_INT, rendition->width,
      "height", G_TYPE_INT, rendition->height,
      "video-bitrate", G_TYPE_UINT, rendition->video_bitrate,
      "audio-bitrate", G_TYPE_UINT, rendition->audio_bitrate,
      "transcoder", G_TYPE_STRING, transcoder ? transcoder : "",
      "rungs", G_TYPE_UINT, rungs, NULL);
  g_free (desc);
  return gst_message_new_element (src, s);
}

/**
 * gst_ladder_message_parse_rendition_added:
 * @message: a `ladder-rendition-added` message
 * @rendition: (out) (optional) (transfer full): the rendition
 * @transcoder: (out) (optional) (transfer full): the transcoder name
 * @rungs: (out) (optional): how many rungs started
 *
 * Reads a `ladder-rendition-added` message.
 *
 * Returns: %TRUE if @message is a `ladder-rendition-added` message.
 *
 * Since: 0.1
 */
gboolean
gst_ladder_message_parse_rendition_added (GstMessage * message,
    GstLadderRendition ** rendition, gchar ** transcoder, guint * rungs)
{
  const GstStructure *s;

  s = get_structure_of_type (message, GST_LADDER_MESSAGE_RENDITION_ADDED);
  if (s == NULL)
    return FALSE;

  if (rendition) {
    const gchar *desc = gst_structure_get_string (s, "description");
    *rendition = desc ? gst_ladder_rendition_from_string (desc, NULL) : NULL;
  }
  dup_string (s, "transcoder", transcoder);
  if (rungs && !gst_structure_get_uint (s, "rungs", rungs))
    *rungs = 0;
  return TRUE;
}

/**
 * gst_ladder_message_new_rendition_removed:
 * @src: (transfer none): the message source
 * @rendition: the name of the rendition removed
 * @rungs: how many rungs were stopped
 * @drained: %TRUE if the rungs were drained (EOS through them), %FALSE if
 *   they were aborted
 *
 * Creates a `ladder-rendition-removed` element message with the fields
 * `rendition` (string), `rungs` (uint) and `drained` (boolean).
 *
 * Returns: (transfer full): the new message.
 *
 * Since: 0.1
 */
GstMessage *
gst_ladder_message_new_rendition_removed (GstObject * src,
    const gchar * rendition, guint rungs, gboolean drained)
{
  return gst_message_new_element (src,
      gst_structure_new (GST_LADDER_MESSAGE_NAME_RENDITION_REMOVED,
          "rendition", G_TYPE_STRING, rendition ? rendition : "",
          "rungs", G_TYPE_UINT, rungs,
          "drained", G_TYPE_BOOLEAN, drained, NULL));
}

/**
 * gst_ladder_message_parse_rendition_removed:
 * @message: a `ladder-rendition-removed` message
 * @rendition: (out) (optional) (transfer full): the rendition name
 * @rungs: (out) (optional): how many rungs were stopped
 * @drained: (out) (optional): whether they were drained
 *
 * Reads a `ladder-rendition-removed` message.
 *
 * Returns: %TRUE if @message is a `ladder-rendition-removed` message.
 *
 * Since: 0.1
 */
gboolean
gst_ladder_message_parse_rendition_removed (GstMessage * message,
    gchar ** rendition, guint * rungs, gboolean * drained)
{
  const GstStructure *s;

  s = get_structure_of_type (message, GST_LADDER_MESSAGE_RENDITION_REMOVED);
  if (s == NULL)
    return FALSE;

  dup_string (s, "rendition", rendition);
  if (rungs && !gst_structure_get_uint (s, "rungs", rungs))
    *rungs = 0;
  if (drained && !gst_structure_get_boolean (s, "drained", drained))
    *drained = FALSE;
  return TRUE;
}

/* broadcaster notices */

/**
 * gst_ladder_message_new_broadcaster_state:
 * @src: (transfer none): the broadcaster
 * @broadcast: its `broadcast`
 * @track: its `track`
 * @state: the new state
 *
 * Creates a `ladder-broadcaster-state` element message with the fields
 * `broadcast`, `track` (strings) and `state` (#GstLadderBroadcasterState).
 *
 * Returns: (transfer full): the new message.
 *
 * Since: 0.1
 */
GstMessage *
gst_ladder_message_new_broadcaster_state (GstObject * src,
    const gchar * broadcast, const gchar * track,
    GstLadderBroadcasterState state)
{
  GstStructure *s;

  s = new_with_origin (GST_LADDER_MESSAGE_NAME_BROADCASTER_STATE, broadcast,
      track);
  gst_structure_set (s, "state", GST_TYPE_LADDER_BROADCASTER_STATE, state,
      NULL);
  return gst_message_new_element (src, s);
}

/**
 * gst_ladder_message_parse_broadcaster_state:
 * @message: a `ladder-broadcaster-state` message
 * @broadcast: (out) (optional) (transfer full): the broadcast
 * @track: (out) (optional) (transfer full): the track
 * @state: (out) (optional): the new state
 *
 * Reads a `ladder-broadcaster-state` message.
 *
 * Returns: %TRUE if @message is a `ladder-broadcaster-state` message.
 *
 * Since: 0.1
 */
gboolean
gst_ladder_message_parse_broadcaster_state (GstMessage * message,
    gchar ** broadcast, gchar ** track, GstLadderBroadcasterState * state)
{
  const GstStructure *s;

  s = get_structure_of_type (message, GST_LADDER_MESSAGE_BROADCASTER_STATE);
  if (s == NULL)
    return FALSE;

  dup_string (s, "broadcast", broadcast);
  dup_string (s, "track", track);
  if (state && !gst_structure_get_enum (s, "state",
          GST_TYPE_LADDER_BROADCASTER_STATE, (gint *) state))
    *state = GST_LADDER_BROADCASTER_STATE_IDLE;
  return TRUE;
}

/**
 * gst_ladder_message_new_broadcaster_lag:
 * @src: (transfer none): the broadcaster
 * @broadcast: its `broadcast`
 * @track: its `track`
 * @pad: the name of the lagging src pad
 * @dropped_buffers: buffers dropped on that pad so far
 * @dropped_gops: GOPs dropped on that pad so far
 * @lag: how far behind the source the pad is
 *
 * Creates a `ladder-broadcaster-lag` element message with the fields
 * `broadcast`, `track`, `pad` (strings), `dropped-buffers`, `dropped-gops`
 * (guint64) and `lag` (#GstClockTime).
 *
 * Returns: (transfer full): the new message.
 *
 * Since: 0.1
 */
GstMessage *
gst_ladder_message_new_broadcaster_lag (GstObject * src,
    const gchar * broadcast, const gchar * track, const gchar * pad,
    guint64 dropped_buffers, guint64 dropped_gops, GstClockTime lag)
{
  GstStructure *s;

  s = new_with_origin (GST_LADDER_MESSAGE_NAME_BROADCASTER_LAG, broadcast,
      track);
  gst_structure_set (s, "pad", G_TYPE_STRING, pad ? pad : "",
      "dropped-buffers", G_TYPE_UINT64, dropped_buffers,
      "dropped-gops", G_TYPE_UINT64, dropped_gops,
      "lag", G_TYPE_UINT64, lag, NULL);
  return gst_message_new_element (src, s);
}

/**
 * gst_ladder_message_parse_broadcaster_lag:
 * @message: a `ladder-broadcaster-lag` message
 * @broadcast: (out) (optional) (transfer full): the broadcast
 * @track: (out) (optional) (transfer full): the track
 * @pad: (out) (optional) (transfer full): the src pad name
 * @dropped_buffers: (out) (optional): buffers dropped so far
 * @dropped_gops: (out) (optional): GOPs dropped so far
 * @lag: (out) (optional): the lag
 *
 * Reads a `ladder-broadcaster-lag` message.
 *
 * Returns: %TRUE if @message is a `ladder-broadcaster-lag` message.
 *
 * Since: 0.1
 */
gboolean
gst_ladder_message_parse_broadcaster_lag (GstMessage * message,
    gchar ** broadcast, gchar ** track, gchar ** pad,
    guint64 * dropped_buffers, guint64 * dropped_gops, GstClockTime * lag)
{
  const GstStructure *s;

  s = get_structure_of_type (message, GST_LADDER_MESSAGE_BROADCASTER_LAG);
  if (s == NULL)
    return FALSE;

  dup_string (s, "broadcast", broadcast);
  dup_string (s, "track", track);
  dup_string (s, "pad", pad);
  get_uint64 (s, "dropped-buffers", dropped_buffers);
  get_uint64 (s, "dropped-gops", dropped_gops);
  get_clock_time (s, "lag", lag);
  return TRUE;
}

/**
 * gst_ladder_message_new_broadcaster_evicted:
 * @src: (transfer none): the broadcaster
 * @broadcast: its `broadcast`
 * @track: its `track`
 * @pad: the name of the evicted src pad
 * @lag: its lag when it was evicted
 *
 * Creates a `ladder-broadcaster-evicted` element message with the fields
 * `broadcast`, `track`, `pad` (strings) and `lag` (#GstClockTime).
 *
 * Returns: (transfer full): the new message.
 *
 * Since: 0.1
 */
GstMessage *
gst_ladder_message_new_broadcaster_evicted (GstObject * src,
    const gchar * broadcast, const gchar * track, const gchar * pad,
    GstClockTime lag)
{
  GstStructure *s;

  s = new_with_origin (GST_LADDER_MESSAGE_NAME_BROADCASTER_EVICTED, broadcast,
      track);
  gst_structure_set (s, "pad", G_TYPE_STRING, pad ? pad : "",
      "lag", G_TYPE_UINT64, lag, NULL);
  return gst_message_new_element (src, s);
}

/**
 * gst_ladder_message_parse_broadcaster_evicted:
 * @message: a `ladder-broadcaster-evicted` message
 * @broadcast: (out) (optional) (transfer full): the broadcast
 * @track: (out) (optional) (transfer full): the track
 * @pad: (out) (optional) (transfer full): the src pad name
 * @lag: (out) (optional): the lag at eviction
 *
 * Reads a `ladder-broadcaster-evicted` message.
 *
 * Returns: %TRUE if @message is a `ladder-broadcaster-evicted` message.
 *
 * Since: 0.1
 */
gboolean
gst_ladder_message_parse_broadcaster_evicted (GstMessage * message,
    gchar ** broadcast, gchar ** track, gchar ** pad, GstClockTime * lag)
{
  const GstStructure *s;

  s = get_structure_of_type (message, GST_LADDER_MESSAGE_BROADCASTER_EVICTED);
  if (s == NULL)
    return FALSE;

  dup_string (s, "broadcast", broadcast);
  dup_string (s, "track", track);
  dup_string (s, "pad", pad);
  get_clock_time (s, "lag", lag);
  return TRUE;
}

/**
 * gst_ladder_message_new_broadcaster_idle:
 * @src: (transfer none): the broadcaster
 * @broadcast: its `broadcast`
 * @track: its `track`
 * @idle: how long no data has arrived
 *
 * Creates a `ladder-broadcaster-idle` element message with the fields
 * `broadcast`, `track` (strings) and `idle` (#GstClockTime).
 *
 * Returns: (transfer full): the new message.
 *
 * Since: 0.1
 */
GstMessage *
gst_ladder_message_new_broadcaster_idle (GstObject * src,
    const gchar * broadcast, const gchar * track, GstClockTime idle)
{
  GstStructure *s;

  s = new_with_origin (GST_LADDER_MESSAGE_NAME_BROADCASTER_IDLE, broadcast,
      track);
  gst_structure_set (s, "idle", G_TYPE_UINT64, idle, NULL);
  return gst_message_new_element (src, s);
}

/**
 * gst_ladder_message_parse_broadcaster_idle:
 * @message: a `ladder-broadcaster-idle` message
 * @broadcast: (out) (optional) (transfer full): the broadcast
 * @track: (out) (optional) (transfer full): the track
 * @idle: (out) (optional): how long no data arrived
 *
 * Reads a `ladder-broadcaster-idle` message.
 *
 * Returns: %TRUE if @message is a `ladder-broadcaster-idle` message.
 *
 * Since: 0.1
 */
gboolean
gst_ladder_message_parse_broadcaster_idle (GstMessage * message,
    gchar ** broadcast, gchar ** track, GstClockTime * idle)
{
  const GstStructure *s;

  s = get_structure_of_type (message, GST_LADDER_MESSAGE_BROADCASTER_IDLE);
  if (s == NULL)
    return FALSE;

  dup_string (s, "broadcast", broadcast);
  dup_string (s, "track", track);
  get_clock_time (s, "idle", idle);
  return TRUE;
}
