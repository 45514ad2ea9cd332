/* gst-ladder
 * Copyright (C) 2026 The gst-ladder authors
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2 of the License, or (at your option) any later version.
 */

/* GstLadderDiff alone: what changes from one ladder string to another. */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <gst/check/gstcheck.h>
#include <gst/ladder/ladder.h>

static GPtrArray *
ladder (const gchar * str)
{
  GError *err = NULL;
  GPtrArray *l;

  /* a ladder string is never empty; an empty ladder is */
  if (*str == '\0')
    return g_ptr_array_new ();
  l = gst_ladder_parse_ladder (str, &err);
  fail_unless (l != NULL, "%s: %s", str, err ? err->message : "");
  return l;
}

/* the names of @list, comma-separated */
static gchar *
names (const GPtrArray * list)
{
  GString *s = g_string_new (NULL);
  guint i;

  for (i = 0; i < list->len; i++) {
    const GstLadderRendition *r = g_ptr_array_index (list, i);

    g_string_append_printf (s, "%s%s", i ? "," : "", r->name);
  }
  return g_string_free (s, FALSE);
}

static void
check (const gchar * before, const gchar * after, const gchar * added,
    const gchar * removed, const gchar * updated)
{
  GPtrArray *a = ladder (before), *b = ladder (after);
  GstLadderDiff *diff = gst_ladder_diff_new (a, b);
  gchar *got;

  got = names (diff->added);
  fail_unless_equals_string (got, added);
  g_free (got);
  got = names (diff->removed);
  fail_unless_equals_string (got, removed);
  g_free (got);
  got = names (diff->updated);
  fail_unless_equals_string (got, updated);
  g_free (got);
  fail_unless_equals_int (gst_ladder_diff_is_empty (diff), !*added && !*removed
      && !*updated);

  gst_ladder_diff_free (diff);
  g_ptr_array_unref (a);
  g_ptr_array_unref (b);
}

GST_START_TEST (test_same_ladder_is_empty)
{
  check ("720p,480p,240p", "720p,480p,240p", "", "", "");
  /* the order of a ladder is no change */
  check ("720p,480p,240p", "240p,720p,480p", "", "", "");
  check ("", "", "", "", "");
}

GST_END_TEST;

GST_START_TEST (test_added_and_removed)
{
  check ("720p,480p", "720p,480p,240p", "240p", "", "");
  check ("720p,480p,240p", "480p", "", "720p,240p", "");
  check ("", "source,240p", "source,240p", "", "");
  check ("source,240p", "", "", "source,240p", "");
  /* in the order of the ladder each comes from */
  check ("720p,480p,360p", "1080p,240p", "1080p,240p", "720p,480p,360p", "");
}

GST_END_TEST;

GST_START_TEST (test_updated_by_name)
{
  /* same name, other settings */
  check ("480p,240p", "480p:854x480@900,240p", "", "", "480p");
  check ("240p", "240p:fps=15", "", "", "240p");
  check ("240p", "240p:gop=1", "", "", "240p");
  check ("hd:1280x720@2500", "hd:1280x720@2500:audio=64", "", "", "hd");
  /* all three at once */
  check ("720p,480p,240p", "480p:854x480@900,240p,360p", "360p", "720p",
      "480p");
}

GST_END_TEST;

GST_START_TEST (test_copies_and_null)
{
  GPtrArray *a = ladder ("720p"), *b = ladder ("720p,240p");
  GstLadderDiff *diff = gst_ladder_diff_new (a, b);
  GstLadderRendition *added;

  /* a copy: the diff outlives its ladders */
  g_ptr_array_unref (a);
  g_ptr_array_unref (b);
  fail_unless_equals_int (diff->added->len, 1);
  added = g_ptr_array_index (diff->added, 0);
  fail_unless_equals_string (added->name, "240p");
  fail_unless_equals_int (added->height, 240);
  gst_ladder_diff_free (diff);

  /* NULL ladders are empty ones */
  b = ladder ("480p");
  diff = gst_ladder_diff_new (NULL, b);
  fail_unless_equals_int (diff->added->len, 1);
  gst_ladder_diff_free (diff);
  diff = gst_ladder_diff_new (b, NULL);
  fail_unless_equals_int (diff->removed->len, 1);
  gst_ladder_diff_free (diff);
  g_ptr_array_unref (b);
  gst_ladder_diff_free (NULL);
}

GST_END_TEST;

static Suite *
ladderdiff_suite (void)
{
  Suite *s = suite_create ("ladderdiff");
  TCase *tc = tcase_create ("general");

  suite_add_tcase (s, tc);
  tcase_add_test (tc, test_same_ladder_is_empty);
  tcase_add_test (tc, test_added_and_removed);
  tcase_add_test (tc, test_updated_by_name);
  tcase_add_test (tc, test_copies_and_null);
  return s;
}

GST_CHECK_MAIN (ladderdiff);
