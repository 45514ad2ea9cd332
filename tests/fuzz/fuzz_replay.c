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

/* fuzz-ladder-replay: runs the fuzz target once on every file given, and
 * on every file of every folder given (in name order, hidden files and
 * *.md skipped), without libFuzzer. It builds with any compiler, so the
 * committed corpus and the regressions run as a meson test everywhere.
 *
 *   fuzz-ladder-replay [--hang-seconds=N] FILE|FOLDER...
 *
 * A hang, a ladder element that outlives its pipeline, or an output that
 * lost its whole input (see fuzz_ladder.c) fails the input and the next
 * one runs; the failing inputs are listed at the end and the exit status
 * is 1. A crash aborts at once: the last "replay:" line names the input. */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <stdlib.h>
#include <string.h>

#include <glib.h>

#include "fuzz_ladder.h"

static gint
compare_names (gconstpointer a, gconstpointer b)
{
  return strcmp (*(const gchar * const *) a, *(const gchar * const *) b);
}

/* Appends @path, or the files of the folder @path, to @files. */
static gboolean
collect (const gchar * path, GPtrArray * files)
{
  GError *err = NULL;
  GPtrArray *names;
  GDir *dir;
  const gchar *name;
  guint i;

  if (!g_file_test (path, G_FILE_TEST_IS_DIR)) {
    if (!g_file_test (path, G_FILE_TEST_IS_REGULAR)) {
      g_printerr ("replay: no such file or folder: %s\n", path);
      return FALSE;
    }
    g_ptr_array_add (files, g_strdup (path));
    return TRUE;
  }

  if (!(dir = g_dir_open (path, 0, &err))) {
    g_printerr ("replay: %s\n", err->message);
    g_clear_error (&err);
    return FALSE;
  }
  names = g_ptr_array_new_with_free_func (g_free);
  while ((name = g_dir_read_name (dir))) {
    gchar *file;

    /* the folders keep their notes and git placeholders next to the
     * inputs */
    if (name[0] == '.' || g_str_has_suffix (name, ".md"))
      continue;
    file = g_build_filename (path, name, NULL);
    if (g_file_test (file, G_FILE_TEST_IS_REGULAR))
      g_ptr_array_add (names, file);
    else
      g_free (file);
  }
  g_dir_close (dir);
  g_ptr_array_sort (names, compare_names);
  for (i = 0; i < names->len; i++)
    g_ptr_array_add (files, g_strdup (g_ptr_array_index (names, i)));
  g_ptr_array_unref (names);
  return TRUE;
}

int
main (int argc, char **argv)
{
  GPtrArray *files = g_ptr_array_new_with_free_func (g_free);
  GPtrArray *failed = g_ptr_array_new ();
  gboolean ok = TRUE;
  guint i;
  gint a;

  for (a = 1; a < argc; a++) {
    if (g_str_has_prefix (argv[a], "--hang-seconds="))
      g_setenv ("LADDER_FUZZ_HANG_SECONDS",
          argv[a] + strlen ("--hang-seconds="), TRUE);
    else
      ok &= collect (argv[a], files);
  }
  if (!ok || files->len == 0) {
    g_printerr ("usage: %s [--hang-seconds=N] FILE|FOLDER...\n", argv[0]);
    g_ptr_array_unref (files);
    return 1;
  }

  /* a regression test holds the ladder to being finalised, and its
   * passthrough outputs to not ending empty when their input had data,
   * and reports every failing input in one run */
  g_setenv ("LADDER_FUZZ_CHECK_FINALIZE", "1", FALSE);
  g_setenv ("LADDER_FUZZ_CHECK_DELIVERY", "1", FALSE);
  g_setenv ("LADDER_FUZZ_KEEP_GOING", "1", FALSE);
  LLVMFuzzerInitialize (&argc, &argv);

  for (i = 0; i < files->len; i++) {
    const gchar *file = g_ptr_array_index (files, i);
    GError *err = NULL;
    gchar *contents;
    gsize size;
    guint8 *data;
    guint before;

    if (!g_file_get_contents (file, &contents, &size, &err)) {
      g_printerr ("replay: %s\n", err->message);
      g_clear_error (&err);
      ok = FALSE;
      continue;
    }
    /* exactly the input's size, as libFuzzer gives it, so that the
     * sanitizers see a read past its end */
    data = g_memdup2 (contents, size);
    g_free (contents);
    /* on stderr, in order with what the target says of it */
    g_printerr ("replay: %s (%" G_GSIZE_FORMAT " bytes)\n", file, size);
    before = fuzz_ladder_get_failures ();
    LLVMFuzzerTestOneInput (data, size);
    if (fuzz_ladder_get_failures () != before)
      g_ptr_array_add (failed, (gpointer) file);
    g_free (data);
  }
  /* a pipeline that is gone leaves no thread behind: streaming threads
   * go back to GStreamer's pools, but an element that is never finalised
   * keeps its own */
  if (g_getenv ("LADDER_FUZZ_VERBOSE")) {
    GDir *tasks = g_dir_open ("/proc/self/task", 0, NULL);
    guint n = 0;

    while (tasks && g_dir_read_name (tasks))
      n++;
    if (tasks)
      g_dir_close (tasks);
    g_print ("replay: %u threads left\n", n);
  }
  for (i = 0; i < failed->len; i++)
    g_print ("replay: FAILED %s\n", (const gchar *) g_ptr_array_index (failed,
            i));
  g_print ("replay: %u inputs, %u failed%s\n", files->len, failed->len,
      ok ? "" : ", some files could not be read");
  ok = ok && failed->len == 0;
  g_ptr_array_unref (failed);
  g_ptr_array_unref (files);
  return ok ? 0 : 1;
}
