/* gst-ladder
 * Copyright (C) 2026 The gst-ladder authors
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2 of the License, or (at your option) any later version.
 */

/* Atomic file writes for ladderhlssink: a temporary file in the same folder
 * renamed over the target (ladder_atomic_write()), and a GOutputStream
 * that collects what hlssink2 writes and stores it the same way on close
 * (ladder_atomic_output_stream_new()). */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "ladderatomicwrite.h"

GST_DEBUG_CATEGORY_STATIC (ladder_atomic_write_debug);
#define GST_CAT_DEFAULT ladder_atomic_write_debug

static void
ladder_atomic_write_init_debug (void)
{
  static gsize done = 0;

  if (g_once_init_enter (&done)) {
    GST_DEBUG_CATEGORY_INIT (ladder_atomic_write_debug, "ladderplaylist", 0,
        "ladderhlssink multivariant playlist writer");
    g_once_init_leave (&done, 1);
  }
}

/* Writes @contents to a temporary file next to @path, then renames it over
 * @path: a reader sees the old file or the new one, never a part. */
gboolean
ladder_atomic_write (const gchar * path, const gchar * contents,
    gssize length, GError ** error)
{
  ladder_atomic_write_init_debug ();
  GST_LOG ("writing %s", path);

  return g_file_set_contents_full (path, contents, length,
      G_FILE_SET_CONTENTS_CONSISTENT | G_FILE_SET_CONTENTS_ONLY_EXISTING,
      0644, error);
}

#define LADDER_TYPE_ATOMIC_OUTPUT_STREAM (ladder_atomic_output_stream_get_type ())
G_DECLARE_FINAL_TYPE (LadderAtomicOutputStream, ladder_atomic_output_stream,
    LADDER, ATOMIC_OUTPUT_STREAM, GOutputStream);

/* An output stream that keeps what is written in memory and, on close,
 * stores it with ladder_atomic_write(). hlssink2 writes each
 * playlist in one go and drops the stream, which closes it. */
struct _LadderAtomicOutputStream
{
  GOutputStream parent;

  gchar *path;
  GByteArray *data;
  LadderAtomicWrittenFunc written;
  gpointer user_data;
  GDestroyNotify notify;
};

G_DEFINE_TYPE (LadderAtomicOutputStream, ladder_atomic_output_stream,
    G_TYPE_OUTPUT_STREAM);

static gssize
ladder_atomic_output_stream_write (GOutputStream * stream, const void *buffer,
    gsize count, GCancellable * cancellable, GError ** error)
{
  LadderAtomicOutputStream *self = LADDER_ATOMIC_OUTPUT_STREAM (stream);

  g_byte_array_append (self->data, buffer, count);
  return count;
}

static gboolean
ladder_atomic_output_stream_close (GOutputStream * stream,
    GCancellable * cancellable, GError ** error)
{
  LadderAtomicOutputStream *self = LADDER_ATOMIC_OUTPUT_STREAM (stream);
  GError *err = NULL;

  if (self->path && !ladder_atomic_write (self->path,
          (const gchar *) self->data->data, self->data->len, &err)) {
    /* hlssink2 drops the stream without looking at the close result, so
     * say it here too */
    GST_WARNING ("could not write %s: %s", self->path, err->message);
    g_propagate_error (error, err);
    return FALSE;
  }
  if (self->written)
    self->written ((const gchar *) self->data->data, self->data->len,
        self->user_data);
  return TRUE;
}

static void
ladder_atomic_output_stream_finalize (GObject * object)
{
  LadderAtomicOutputStream *self = LADDER_ATOMIC_OUTPUT_STREAM (object);

  g_free (self->path);
  g_byte_array_unref (self->data);
  if (self->notify)
    self->notify (self->user_data);

  G_OBJECT_CLASS (ladder_atomic_output_stream_parent_class)->finalize (object);
}

static void
ladder_atomic_output_stream_class_init (LadderAtomicOutputStreamClass * klass)
{
  GObjectClass *gobject_class = G_OBJECT_CLASS (klass);
  GOutputStreamClass *stream_class = G_OUTPUT_STREAM_CLASS (klass);

  gobject_class->finalize = ladder_atomic_output_stream_finalize;
  stream_class->write_fn = ladder_atomic_output_stream_write;
  stream_class->close_fn = ladder_atomic_output_stream_close;
}

static void
ladder_atomic_output_stream_init (LadderAtomicOutputStream * self)
{
  self->data = g_byte_array_new ();
}

/* Returns a stream whose contents replace @path (optional: NULL writes
 * nothing) atomically when it is closed (or finalized); then @written
 * (optional) is called with them, in the thread that closes the stream.
 * @notify frees @user_data with the stream. */
GOutputStream *
ladder_atomic_output_stream_new (const gchar * path,
    LadderAtomicWrittenFunc written, gpointer user_data, GDestroyNotify notify)
{
  LadderAtomicOutputStream *self;

  ladder_atomic_write_init_debug ();
  self = g_object_new (LADDER_TYPE_ATOMIC_OUTPUT_STREAM, NULL);
  self->path = g_strdup (path);
  self->written = written;
  self->user_data = user_data;
  self->notify = notify;
  return G_OUTPUT_STREAM (self);
}
