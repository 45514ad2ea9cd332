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

/* The ladder of a GstLadderRunner: adding, removing and listing its
 * (factory, rendition) pairs. Each call runs on the runner thread. */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "ladder.h"
#include "ladderrunner-private.h"

#define GST_CAT_DEFAULT gst_ladder_runner_debug

/* ----- removal bookkeeping ----- */

/* The last key of a removal went: say so, and wake the caller waiting in
 * gst_ladder_runner_remove_rendition() */
static void
complete_removal (GstLadderRunner * self, LadderRemoval * removal)
{
  GstBin *bin = gst_ladder_runner_ref_bin (self);

  GST_INFO_OBJECT (self, "rendition %s removed (%u rungs, %s)",
      removal->name, removal->rungs, removal->drain ? "drained" : "aborted");
  if (bin) {
    gst_element_post_message (GST_ELEMENT (bin),
        gst_ladder_message_new_rendition_removed (GST_OBJECT (bin),
            removal->name, removal->rungs, removal->drain));
    gst_object_unref (bin);
  }

  g_mutex_lock (&self->call_lock);
  removal->done = TRUE;
  g_cond_broadcast (&self->call_cond);
  g_mutex_unlock (&self->call_lock);
}

static gboolean
check_type (GType type, GError ** error)
{
  GstLadderTranscoderClass *klass;
  gboolean ok;

  if (!g_type_is_a (type, GST_TYPE_LADDER_TRANSCODER)
      || G_TYPE_IS_ABSTRACT (type)) {
    g_set_error (error, GST_LADDER_ERROR, GST_LADDER_ERROR_FAILED,
        "%s is not a transcoder type (a non-abstract GstLadderTranscoder "
        "subclass)", type ? g_type_name (type) : "(none)");
    return FALSE;
  }
  klass = g_type_class_ref (type);
  ok = klass->name != NULL && gst_ladder_check_name (klass->name,
      "transcoder name", error);
  if (!ok && error && *error == NULL)
    g_set_error (error, GST_LADDER_ERROR, GST_LADDER_ERROR_INVALID_NAME,
        "The transcoder class %s has no name", g_type_name (type));
  g_type_class_unref (klass);
  return ok;
}

static LadderPair *
find_pair (GstLadderRunner * self, const gchar * transcoder,
    const gchar * rendition)
{
  guint i;

  for (i = 0; i < self->pairs->len; i++) {
    LadderPair *pair = g_ptr_array_index (self->pairs, i);
    if (g_str_equal (pair->transcoder, transcoder)
        && g_str_equal (pair->rendition->name, rendition))
      return pair;
  }
  return NULL;
}

typedef struct
{
  GType type;
  const GPtrArray *renditions;
  const gchar *track;
} AddData;

static gboolean
do_add (GstLadderRunner * self, gpointer data, GError ** error)
{
  AddData *add = data;
  const gchar *transcoder = gst_ladder_transcoder_type_get_name (add->type);
  GstBin *bin;
  guint i, j;

  /* check everything first: all or nothing */
  for (i = 0; i < add->renditions->len; i++) {
    const GstLadderRendition *r = g_ptr_array_index (add->renditions, i);

    if (r == NULL) {
      g_set_error (error, GST_LADDER_ERROR, GST_LADDER_ERROR_INVALID_RENDITION,
          "Rendition %u is NULL", i);
      return FALSE;
    }
    if (!gst_ladder_rendition_validate (r, error))
      return FALSE;
    if (find_pair (self, transcoder, r->name)) {
      g_set_error (error, GST_LADDER_ERROR, GST_LADDER_ERROR_DUPLICATE,
          "The runner already has the rendition '%s' for the transcoder '%s'",
          r->name, transcoder);
      return FALSE;
    }
    for (j = 0; j < i; j++) {
      const GstLadderRendition *o = g_ptr_array_index (add->renditions, j);
      if (g_str_equal (o->name, r->name)) {
        g_set_error (error, GST_LADDER_ERROR, GST_LADDER_ERROR_DUPLICATE,
            "The rendition '%s' is given twice", r->name);
        return FALSE;
      }
    }
  }

  bin = gst_ladder_runner_ref_bin (self);
  for (i = 0; i < add->renditions->len; i++) {
    const GstLadderRendition *r = g_ptr_array_index (add->renditions, i);
    LadderPair *pair = g_new0 (LadderPair, 1);
    guint rungs;

    pair->type = add->type;
    pair->transcoder = g_strdup (transcoder);
    pair->rendition = gst_ladder_rendition_copy (r);
    pair->track = g_strdup (add->track);
    g_ptr_array_add (self->pairs, pair);

    rungs = gst_ladder_runner_spawn_pair (self, pair);
    GST_INFO_OBJECT (self, "added rendition %s for %s%s%s: %u rungs",
        r->name, transcoder, add->track ? ", track " : "",
        add->track ? add->track : "", rungs);
    if (bin)
      gst_element_post_message (GST_ELEMENT (bin),
          gst_ladder_message_new_rendition_added (GST_OBJECT (bin), r,
              transcoder, rungs));
  }
  if (bin)
    gst_object_unref (bin);
  gst_ladder_runner_apply_cuts (self);
  return TRUE;
}

static gboolean
add_renditions (GstLadderRunner * self, GType type,
    const GPtrArray * renditions, const gchar * track, GError ** error)
{
  AddData add = { type, renditions, track };

  if (!check_type (type, error))
    return FALSE;
  if (track && *track == '\0') {
    g_set_error (error, GST_LADDER_ERROR, GST_LADDER_ERROR_INVALID_NAME,
        "The track name is empty");
    return FALSE;
  }
  return gst_ladder_runner_call (self, do_add, &add, error);
}

/**
 * gst_ladder_runner_add_transcoder:
 * @self: a #GstLadderRunner
 * @transcoder_type: a #GstLadderTranscoder subtype
 * @error: return location for a #GError
 *
 * Adds a factory with the default ladder, %GST_LADDER_DEFAULT_LADDER (one
 * rendition per entry), as gst_ladder_runner_add_ladder() does.
 *
 * Returns: %TRUE on success; %FALSE with @error set, and nothing changed,
 *   when the type is no transcoder or one of its pairs exists already.
 *
 * Since: 0.1
 */
gboolean
gst_ladder_runner_add_transcoder (GstLadderRunner * self,
    GType transcoder_type, GError ** error)
{
  GPtrArray *ladder;
  gboolean ret;

  g_return_val_if_fail (GST_IS_LADDER_RUNNER (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  ladder = gst_ladder_default_ladder ();
  ret = add_renditions (self, transcoder_type, ladder, NULL, error);
  g_ptr_array_unref (ladder);
  return ret;
}

/**
 * gst_ladder_runner_add_ladder:
 * @self: a #GstLadderRunner
 * @transcoder_type: a #GstLadderTranscoder subtype
 * @renditions: (element-type GstLadderRendition) (transfer none): the
 *   renditions it makes
 * @error: return location for a #GError
 *
 * Adds one (factory, rendition) pair per entry of @renditions: all or
 * nothing. When the runner is installed, each pair starts at once on every
 * live broadcaster whose factory accepts it, and a
 * `ladder-rendition-added` message is posted per pair.
 *
 * Returns: %TRUE on success; %FALSE with @error set, and nothing changed,
 *   on an invalid rendition (%GST_LADDER_ERROR_INVALID_RENDITION, ...) or a
 *   pair the runner has already (%GST_LADDER_ERROR_DUPLICATE).
 *
 * Since: 0.1
 */
gboolean
gst_ladder_runner_add_ladder (GstLadderRunner * self, GType transcoder_type,
    const GPtrArray * renditions, GError ** error)
{
  g_return_val_if_fail (GST_IS_LADDER_RUNNER (self), FALSE);
  g_return_val_if_fail (renditions != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return add_renditions (self, transcoder_type, renditions, NULL, error);
}

/**
 * gst_ladder_runner_add_rendition_for_track:
 * @self: a #GstLadderRunner
 * @transcoder_type: a #GstLadderTranscoder subtype
 * @rendition: the rendition
 * @track: (nullable): the only track the pair applies to, or %NULL for
 *   every track the factory accepts
 * @error: return location for a #GError
 *
 * Adds one (factory, rendition) pair, restricted to sources of @track.
 * This is how one rendition carries a video transcoder and audio
 * passthrough (the `ladder` element adds ladderpassthrough for track
 * "audio" next to ladderx264).
 *
 * Returns: %TRUE on success; %FALSE with @error set, and nothing changed.
 *
 * Since: 0.1
 */
gboolean
gst_ladder_runner_add_rendition_for_track (GstLadderRunner * self,
    GType transcoder_type, const GstLadderRendition * rendition,
    const gchar * track, GError ** error)
{
  GPtrArray *one;
  gboolean ret;

  g_return_val_if_fail (GST_IS_LADDER_RUNNER (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (rendition == NULL) {
    g_set_error (error, GST_LADDER_ERROR, GST_LADDER_ERROR_INVALID_RENDITION,
        "No rendition given");
    return FALSE;
  }
  one = g_ptr_array_new ();
  g_ptr_array_add (one, (gpointer) rendition);
  ret = add_renditions (self, transcoder_type, one, track, error);
  g_ptr_array_unref (one);
  return ret;
}

/**
 * gst_ladder_runner_add_rendition:
 * @self: a #GstLadderRunner
 * @transcoder_type: a #GstLadderTranscoder subtype
 * @rendition: the rendition
 * @error: return location for a #GError
 *
 * Adds one (factory, rendition) pair; see gst_ladder_runner_add_ladder().
 * Safe from any application thread while the pipeline plays: the
 * rendition starts at once on every live broadcaster.
 *
 * Returns: %TRUE on success; %FALSE with @error set, and nothing changed,
 *   when the pair exists already (%GST_LADDER_ERROR_DUPLICATE) or the
 *   rendition is invalid.
 *
 * Since: 0.1
 */
gboolean
gst_ladder_runner_add_rendition (GstLadderRunner * self,
    GType transcoder_type, const GstLadderRendition * rendition,
    GError ** error)
{
  return gst_ladder_runner_add_rendition_for_track (self, transcoder_type,
      rendition, NULL, error);
}

typedef struct
{
  const gchar *name;
  gboolean drain;
  LadderRemoval *removal;
} RemoveData;

static gboolean
do_remove (GstLadderRunner * self, gpointer data, GError ** error)
{
  RemoveData *rm = data;
  LadderRemoval *removal;
  GHashTableIter iter;
  gpointer value;
  GPtrArray *doomed;
  gboolean found = FALSE;
  guint i;

  for (i = self->pairs->len; i > 0; i--) {
    LadderPair *pair = g_ptr_array_index (self->pairs, i - 1);
    if (g_str_equal (pair->rendition->name, rm->name)) {
      g_ptr_array_remove_index (self->pairs, i - 1);
      found = TRUE;
    }
  }
  if (!found) {
    g_set_error (error, GST_LADDER_ERROR, GST_LADDER_ERROR_NOT_FOUND,
        "The runner has no rendition '%s'", rm->name);
    return FALSE;
  }

  removal = g_new0 (LadderRemoval, 1);
  removal->refcount = 1;
  removal->name = g_strdup (rm->name);
  removal->drain = rm->drain;
  removal->on_done = complete_removal;

  doomed = g_ptr_array_new ();
  g_hash_table_iter_init (&iter, self->keys);
  while (g_hash_table_iter_next (&iter, NULL, &value)) {
    LadderKey *key = value;
    if (key->makes == NULL && key->removal == NULL
        && g_str_equal (key->rendition_name, rm->name))
      g_ptr_array_add (doomed, key);
  }
  removal->rungs = doomed->len;
  removal->pending = doomed->len + 1;
  gst_ladder_runner_apply_cuts (self);

  for (i = 0; i < doomed->len; i++) {
    LadderKey *key = g_ptr_array_index (doomed, i);

    g_atomic_int_inc (&removal->refcount);
    key->removal = removal;
    if (rm->drain)
      gst_ladder_runner_start_drain (self, key);
    else {
      key->removal = NULL;
      gst_ladder_runner_remove_key (self, key);
      gst_ladder_runner_removal_advance (self, removal);
      gst_ladder_removal_unref (removal);
    }
  }
  g_ptr_array_unref (doomed);

  gst_ladder_runner_removal_advance (self, removal);
  rm->removal = removal;
  return TRUE;
}

/**
 * gst_ladder_runner_remove_rendition:
 * @self: a #GstLadderRunner
 * @name: the rendition name
 * @drain: %TRUE to drain the rungs (EOS through each, waited for, then
 *   teardown), %FALSE to abort them at once
 * @n_rungs: (out) (optional): how many rungs were stopped
 * @error: return location for a #GError
 *
 * Removes every (factory, @name) pair and stops their rungs, on every
 * source; the other rungs are untouched. Their outputs are announced with
 * #GstLadderRunner::output-removed and removed. Returns once the rungs are
 * gone (a drain waits up to %GST_LADDER_RUNNER_DRAIN_TIMEOUT per rung),
 * except when called from the runner thread, where it returns once the
 * removal started. A `ladder-rendition-removed` message is posted when it
 * completes.
 *
 * Returns: %TRUE on success; %FALSE with @error set
 *   (%GST_LADDER_ERROR_NOT_FOUND), and nothing changed, when the runner
 *   has no rendition @name.
 *
 * Since: 0.1
 */
gboolean
gst_ladder_runner_remove_rendition (GstLadderRunner * self,
    const gchar * name, gboolean drain, guint * n_rungs, GError ** error)
{
  RemoveData rm = { name, drain, NULL };

  g_return_val_if_fail (GST_IS_LADDER_RUNNER (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (name == NULL) {
    g_set_error (error, GST_LADDER_ERROR, GST_LADDER_ERROR_NOT_FOUND,
        "No rendition name given");
    return FALSE;
  }
  if (!gst_ladder_runner_call (self, do_remove, &rm, error))
    return FALSE;

  if (n_rungs)
    *n_rungs = rm.removal->rungs;
  if (!g_main_context_is_owner (self->context)) {
    g_mutex_lock (&self->call_lock);
    while (!rm.removal->done)
      g_cond_wait (&self->call_cond, &self->call_lock);
    g_mutex_unlock (&self->call_lock);
  }
  gst_ladder_removal_unref (rm.removal);
  return TRUE;
}

static gboolean
do_list_renditions (GstLadderRunner * self, gpointer data, GError ** error)
{
  GPtrArray *list = data;
  guint i, j;

  for (i = 0; i < self->pairs->len; i++) {
    LadderPair *pair = g_ptr_array_index (self->pairs, i);
    gboolean seen = FALSE;

    for (j = 0; j < list->len && !seen; j++) {
      GstLadderRendition *r = g_ptr_array_index (list, j);
      seen = g_str_equal (r->name, pair->rendition->name);
    }
    if (!seen)
      g_ptr_array_add (list, gst_ladder_rendition_copy (pair->rendition));
  }
  return TRUE;
}

/**
 * gst_ladder_runner_list_renditions:
 * @self: a #GstLadderRunner
 *
 * Lists the renditions of the ladder, one per name, in the order they
 * were added (a name carried by several factories is listed once, as it
 * was first added).
 *
 * Returns: (transfer container) (element-type GstLadderRendition): copies
 *   of the renditions; free with g_ptr_array_unref().
 *
 * Since: 0.1
 */
GPtrArray *
gst_ladder_runner_list_renditions (GstLadderRunner * self)
{
  GPtrArray *list;

  g_return_val_if_fail (GST_IS_LADDER_RUNNER (self), NULL);

  list = g_ptr_array_new_with_free_func ((GDestroyNotify)
      gst_ladder_rendition_free);
  gst_ladder_runner_call (self, do_list_renditions, list, NULL);
  return list;
}
