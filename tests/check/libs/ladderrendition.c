/* gst-ladder
 * Copyright (C) 2026 The gst-ladder authors
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2 of the License, or (at your option) any later version.
 */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <gst/check/gstcheck.h>
#include <gst/ladder/ladder.h>

static void
check_preset (const gchar * name, gint w, gint h, guint vb, guint ab)
{
  GError *err = NULL;
  GstLadderRendition *r = gst_ladder_rendition_new_preset (name, &err);
  gchar *str;

  fail_unless (r != NULL, "preset %s: %s", name, err ? err->message : "");
  fail_unless_equals_string (r->name, name);
  fail_unless_equals_int (r->width, w);
  fail_unless_equals_int (r->height, h);
  fail_unless_equals_int (r->video_bitrate, vb);
  fail_unless_equals_int (r->audio_bitrate, ab);
  fail_unless_equals_int (r->fps_n, 0);
  fail_unless_equals_int (r->fps_d, 1);
  fail_unless_equals_uint64 (r->keyframe_interval, 2 * GST_SECOND);
  fail_if (r->passthrough);
  fail_unless (gst_ladder_rendition_validate (r, NULL));

  /* a preset prints as its name */
  str = gst_ladder_rendition_to_string (r);
  fail_unless_equals_string (str, name);
  g_free (str);
  gst_ladder_rendition_free (r);
}

GST_START_TEST (test_presets)
{
  const gchar *const *names = gst_ladder_rendition_list_presets ();
  GstLadderRendition *r;
  GError *err = NULL;

  check_preset ("1080p", 1920, 1080, 5000, 128);
  check_preset ("720p", 1280, 720, 2500, 128);
  check_preset ("480p", 854, 480, 1200, 96);
  check_preset ("360p", 640, 360, 800, 96);
  check_preset ("240p", 426, 240, 400, 64);

  r = gst_ladder_rendition_new_preset ("source", NULL);
  fail_unless (r->passthrough);
  fail_unless_equals_string (r->name, GST_LADDER_RENDITION_SOURCE);
  fail_unless_equals_int (r->width, 0);
  fail_unless_equals_int (r->video_bitrate, 0);
  fail_unless (gst_ladder_rendition_validate (r, NULL));
  gst_ladder_rendition_free (r);

  fail_unless_equals_int (g_strv_length ((gchar **) names), 6);
  fail_unless_equals_string (names[0], "1080p");
  fail_unless_equals_string (names[5], "source");

  fail_if (gst_ladder_rendition_new_preset ("999p", &err));
  fail_unless (g_error_matches (err, GST_LADDER_ERROR,
          GST_LADDER_ERROR_NOT_FOUND));
  fail_unless (strstr (err->message, "999p") != NULL);
  g_clear_error (&err);
}

GST_END_TEST;

GST_START_TEST (test_new_copy_equal)
{
  GstLadderRendition *r, *c;
  GError *err = NULL;

  r = gst_ladder_rendition_new ("540p", 960, 540, 1800, 96, &err);
  fail_unless (r != NULL);
  fail_unless_equals_uint64 (r->keyframe_interval,
      GST_LADDER_RENDITION_DEFAULT_KEYFRAME_INTERVAL);
  c = gst_ladder_rendition_copy (r);
  fail_unless (c->name != r->name);
  fail_unless (gst_ladder_rendition_is_equal (r, c));
  c->fps_n = 30;
  fail_if (gst_ladder_rendition_is_equal (r, c));
  gst_ladder_rendition_free (c);
  fail_unless (gst_ladder_rendition_is_equal (NULL, NULL));
  fail_if (gst_ladder_rendition_is_equal (r, NULL));
  gst_ladder_rendition_free (r);
  gst_ladder_rendition_free (NULL);

  fail_if (gst_ladder_rendition_new ("bad", 961, 540, 1800, 96, &err));
  fail_unless (g_error_matches (err, GST_LADDER_ERROR,
          GST_LADDER_ERROR_INVALID_RENDITION));
  g_clear_error (&err);
  fail_if (gst_ladder_rendition_new ("Bad", 960, 540, 1800, 96, &err));
  fail_unless (g_error_matches (err, GST_LADDER_ERROR,
          GST_LADDER_ERROR_INVALID_NAME));
  g_clear_error (&err);

  r = gst_ladder_rendition_new ("source", 0, 0, 0, 0, &err);
  fail_unless (r && r->passthrough);
  gst_ladder_rendition_free (r);
}

GST_END_TEST;

/* canonical strings print back exactly */
static const gchar *canonical[] = {
  "1080p", "720p", "480p", "360p", "240p", "source",
  "720p:fps=30",
  "720p:1280x720@3000",
  "720p:audio=0",
  "480p:fps=30000/1001:gop=1.5",
  "540p:960x540@1800",
  "540p:960x540@1800:audio=128:fps=30:gop=4",
  "tiny_1-a:16x16@1",
  "uhd:7680x4320@100000:audio=1024:fps=240:gop=60",
  "x:320x180@150:gop=0.1",
  "y:320x180@150:gop=2.25",
};

GST_START_TEST (test_round_trip)
{
  guint i;

  for (i = 0; i < G_N_ELEMENTS (canonical); i++) {
    GError *err = NULL;
    GstLadderRendition *r, *back;
    gchar *str, *str2;

    r = gst_ladder_rendition_from_string (canonical[i], &err);
    fail_unless (r != NULL, "%s: %s", canonical[i], err ? err->message : "");
    str = gst_ladder_rendition_to_string (r);
    fail_unless_equals_string (str, canonical[i]);

    back = gst_ladder_rendition_from_string (str, NULL);
    fail_unless (gst_ladder_rendition_is_equal (r, back));
    str2 = gst_ladder_rendition_to_string (back);
    fail_unless_equals_string (str2, str);

    g_free (str);
    g_free (str2);
    gst_ladder_rendition_free (back);
    gst_ladder_rendition_free (r);
  }
}

GST_END_TEST;

GST_START_TEST (test_parse_fields)
{
  GstLadderRendition *r;
  gchar *str;

  r = gst_ladder_rendition_from_string
      ("540p:960x540@1800:audio=96:fps=30:gop=2", NULL);
  fail_unless (r != NULL);
  fail_unless_equals_string (r->name, "540p");
  fail_unless_equals_int (r->width, 960);
  fail_unless_equals_int (r->height, 540);
  fail_unless_equals_int (r->video_bitrate, 1800);
  fail_unless_equals_int (r->audio_bitrate, 96);
  fail_unless_equals_int (r->fps_n, 30);
  fail_unless_equals_int (r->fps_d, 1);
  fail_unless_equals_uint64 (r->keyframe_interval, 2 * GST_SECOND);
  /* defaults are left out of the canonical form */
  str = gst_ladder_rendition_to_string (r);
  fail_unless_equals_string (str, "540p:960x540@1800:fps=30");
  g_free (str);
  gst_ladder_rendition_free (r);

  /* options in any order, spaces around the item, fps reduced */
  r = gst_ladder_rendition_from_string (" 720p:gop=1.5:fps=60/2 ", NULL);
  fail_unless (r != NULL);
  fail_unless_equals_int (r->width, 1280);
  fail_unless_equals_int (r->fps_n, 30);
  fail_unless_equals_int (r->fps_d, 1);
  fail_unless_equals_uint64 (r->keyframe_interval, 1500 * GST_MSECOND);
  str = gst_ladder_rendition_to_string (r);
  fail_unless_equals_string (str, "720p:fps=30:gop=1.5");
  g_free (str);
  gst_ladder_rendition_free (r);

  /* the custom audio default follows the height */
  r = gst_ladder_rendition_from_string ("small:320x180@200", NULL);
  fail_unless_equals_int (r->audio_bitrate, 64);
  gst_ladder_rendition_free (r);
  r = gst_ladder_rendition_from_string ("mid:960x540@1800", NULL);
  fail_unless_equals_int (r->audio_bitrate, 96);
  gst_ladder_rendition_free (r);
  r = gst_ladder_rendition_from_string ("big:2560x1440@9000", NULL);
  fail_unless_equals_int (r->audio_bitrate, 128);
  gst_ladder_rendition_free (r);

  /* edited fields print */
  r = gst_ladder_rendition_new_preset ("240p", NULL);
  r->keyframe_interval = 1001 * GST_MSECOND;
  r->fps_n = 15;
  str = gst_ladder_rendition_to_string (r);
  fail_unless_equals_string (str, "240p:fps=15:gop=1.001");
  g_free (str);
  gst_ladder_rendition_free (r);
}

GST_END_TEST;

typedef struct
{
  const gchar *str;
  GstLadderError code;
  const gchar *mention;         /* a part the message must contain */
} Invalid;

static const Invalid invalid_renditions[] = {
  {"", GST_LADDER_ERROR_PARSE, "empty"},
  {"999p", GST_LADDER_ERROR_NOT_FOUND, "999p"},
  {"foo:fps=30", GST_LADDER_ERROR_NOT_FOUND, "foo"},
  {"x:0x540@1800", GST_LADDER_ERROR_INVALID_RENDITION, "0x540"},
  {"x:960x0@1800", GST_LADDER_ERROR_INVALID_RENDITION, "960x0"},
  {"x:961x540@1800", GST_LADDER_ERROR_INVALID_RENDITION, "odd"},
  {"x:960x541@1800", GST_LADDER_ERROR_INVALID_RENDITION, "odd"},
  {"x:8000x4320@1800", GST_LADDER_ERROR_INVALID_RENDITION, "8000x4320"},
  {"x:7680x4322@1800", GST_LADDER_ERROR_INVALID_RENDITION, "out of range"},
  {"x:14x14@100", GST_LADDER_ERROR_INVALID_RENDITION, "14x14"},
  {"x:960x540@0", GST_LADDER_ERROR_INVALID_RENDITION, "video bitrate"},
  {"x:960x540@100001", GST_LADDER_ERROR_INVALID_RENDITION, "100001"},
  {"x:960x540@1800:audio=2000", GST_LADDER_ERROR_INVALID_RENDITION, "2000"},
  {"x:960x540@1800:fps=0", GST_LADDER_ERROR_INVALID_RENDITION, "fps"},
  {"x:960x540@1800:fps=500", GST_LADDER_ERROR_INVALID_RENDITION, "500"},
  {"x:960x540@1800:fps=30/0", GST_LADDER_ERROR_INVALID_RENDITION, "30/0"},
  {"x:960x540@1800:gop=0", GST_LADDER_ERROR_INVALID_RENDITION, "gop"},
  {"x:960x540@1800:gop=61", GST_LADDER_ERROR_INVALID_RENDITION, "61"},
  {"x:960x540@1800:gop=1.0001", GST_LADDER_ERROR_PARSE, "1.0001"},
  {"x:960x540@1800x", GST_LADDER_ERROR_PARSE, "x\""},
  {"x:960x540@", GST_LADDER_ERROR_PARSE, "bitrate"},
  {"x:960x540", GST_LADDER_ERROR_PARSE, "'@'"},
  {"x:960", GST_LADDER_ERROR_PARSE, "'x'"},
  {"720p:", GST_LADDER_ERROR_PARSE, "empty"},
  {"720p::fps=30", GST_LADDER_ERROR_PARSE, "empty"},
  {"720p:fps=30:fps=25", GST_LADDER_ERROR_PARSE, "twice"},
  {"720p:bogus=1", GST_LADDER_ERROR_PARSE, "bogus"},
  {"720p:fps", GST_LADDER_ERROR_PARSE, "fps"},
  {"720p:fps=30abc", GST_LADDER_ERROR_PARSE, "abc"},
  {"720p:audio=-1", GST_LADDER_ERROR_PARSE, "-1"},
  {"720p:960x540@1800:960x540@1800", GST_LADDER_ERROR_PARSE, "960x540"},
  {"source:fps=30", GST_LADDER_ERROR_INVALID_RENDITION, "source"},
  {"source:1280x720@1000", GST_LADDER_ERROR_INVALID_RENDITION, "source"},
  /* the name of the decoded input, made by the shared decode */
  {"raw:640x360@800", GST_LADDER_ERROR_INVALID_RENDITION, "decoded input"},
  {"720P", GST_LADDER_ERROR_INVALID_NAME, "720P"},
  {"../etc:960x540@1800", GST_LADDER_ERROR_INVALID_NAME, "path"},
  {"a/b:960x540@1800", GST_LADDER_ERROR_INVALID_NAME, "'/'"},
  {"a b:960x540@1800", GST_LADDER_ERROR_INVALID_NAME, "' '"},
  {"abcdefghijklmnopqrstuvwxyz0123456:960x540@1800",
      GST_LADDER_ERROR_INVALID_NAME, "33 characters"},
  {"x:99999999999x540@1800", GST_LADDER_ERROR_PARSE, "width"},
  {"720p,480p", GST_LADDER_ERROR_PARSE, "','"},
};

GST_START_TEST (test_invalid_rendition)
{
  guint i;

  for (i = 0; i < G_N_ELEMENTS (invalid_renditions); i++) {
    const Invalid *t = &invalid_renditions[i];
    GError *err = NULL;
    GstLadderRendition *r;

    r = gst_ladder_rendition_from_string (t->str, &err);
    fail_unless (r == NULL, "\"%s\" was accepted", t->str);
    fail_unless (err != NULL);
    fail_unless (err->domain == GST_LADDER_ERROR);
    fail_unless (err->code == (gint) t->code,
        "\"%s\": code %d, expected %d (%s)", t->str, err->code, t->code,
        err->message);
    fail_unless (strstr (err->message, t->mention) != NULL,
        "\"%s\": message \"%s\" does not mention %s", t->str, err->message,
        t->mention);
    /* the message says where */
    fail_unless (strstr (err->message, "at character") != NULL,
        "\"%s\": message \"%s\" has no position", t->str, err->message);
    GST_INFO ("%s -> %s", t->str, err->message);
    g_clear_error (&err);
  }
}

GST_END_TEST;

GST_START_TEST (test_validate)
{
  GstLadderRendition *r = gst_ladder_rendition_new_preset ("480p", NULL);
  GstLadderRendition *orig = gst_ladder_rendition_copy (r);
  GError *err = NULL;

  r->height = 481;
  fail_if (gst_ladder_rendition_validate (r, &err));
  fail_unless (g_error_matches (err, GST_LADDER_ERROR,
          GST_LADDER_ERROR_INVALID_RENDITION));
  g_clear_error (&err);
  r->height = 480;

  r->keyframe_interval = 1500 * GST_MSECOND + 1;
  fail_if (gst_ladder_rendition_validate (r, &err));
  g_clear_error (&err);
  r->keyframe_interval = 2 * GST_SECOND;

  r->fps_n = 30;
  r->fps_d = 0;
  fail_if (gst_ladder_rendition_validate (r, &err));
  g_clear_error (&err);
  r->fps_n = 0;
  r->fps_d = 1;

  r->passthrough = TRUE;
  fail_if (gst_ladder_rendition_validate (r, &err));
  fail_unless (g_error_matches (err, GST_LADDER_ERROR,
          GST_LADDER_ERROR_INVALID_RENDITION));
  g_clear_error (&err);
  r->passthrough = FALSE;

  g_free (r->name);
  r->name = g_strdup ("source");
  fail_if (gst_ladder_rendition_validate (r, &err));
  g_clear_error (&err);
  g_free (r->name);
  r->name = g_strdup ("480p");

  /* validation changes nothing */
  fail_unless (gst_ladder_rendition_is_equal (r, orig));
  fail_unless (gst_ladder_rendition_validate (r, NULL));

  gst_ladder_rendition_free (r);
  gst_ladder_rendition_free (orig);
}

GST_END_TEST;

GST_START_TEST (test_check_name)
{
  GError *err = NULL;
  gchar *long_name = g_strnfill (33, 'a');
  gchar *max_name = g_strnfill (32, 'a');

  fail_unless (gst_ladder_check_name ("720p", "rendition", NULL));
  fail_unless (gst_ladder_check_name ("a_b-c9", NULL, NULL));
  fail_unless (gst_ladder_check_name (max_name, "output", NULL));
  fail_unless (gst_ladder_name_is_valid ("ok"));
  fail_if (gst_ladder_name_is_valid (NULL));
  fail_if (gst_ladder_name_is_valid (""));
  fail_if (gst_ladder_name_is_valid ("UP"));

  fail_if (gst_ladder_check_name ("..", "output", &err));
  fail_unless (g_error_matches (err, GST_LADDER_ERROR,
          GST_LADDER_ERROR_INVALID_NAME));
  fail_unless (strstr (err->message, "output") != NULL);
  g_clear_error (&err);

  fail_if (gst_ladder_check_name ("../x", "output", &err));
  fail_unless (strstr (err->message, "path") != NULL);
  g_clear_error (&err);

  fail_if (gst_ladder_check_name ("x/y", NULL, &err));
  g_clear_error (&err);

  fail_if (gst_ladder_check_name (long_name, "rendition", &err));
  fail_unless (g_error_matches (err, GST_LADDER_ERROR,
          GST_LADDER_ERROR_INVALID_NAME));
  fail_unless (strstr (err->message, "33") != NULL);
  g_clear_error (&err);

  fail_if (gst_ladder_check_name ("", "rendition", &err));
  fail_unless (strstr (err->message, "empty") != NULL);
  g_clear_error (&err);

  fail_if (gst_ladder_check_name ("a\tb", "rendition", &err));
  g_clear_error (&err);

  g_free (long_name);
  g_free (max_name);
}

GST_END_TEST;

GST_START_TEST (test_ladder)
{
  GError *err = NULL;
  GPtrArray *ladder;
  gchar *str;
  const gchar *canon =
      "source,1080p,540p:960x540@1800:audio=128:fps=30,240p:gop=1";

  ladder = gst_ladder_default_ladder ();
  fail_unless_equals_int (ladder->len, 3);
  fail_unless_equals_string (((GstLadderRendition *) ladder->pdata[0])->name,
      "720p");
  fail_unless_equals_string (((GstLadderRendition *) ladder->pdata[1])->name,
      "480p");
  fail_unless_equals_string (((GstLadderRendition *) ladder->pdata[2])->name,
      "240p");
  str = gst_ladder_ladder_to_string (ladder);
  fail_unless_equals_string (str, GST_LADDER_DEFAULT_LADDER);
  g_free (str);
  g_ptr_array_unref (ladder);

  ladder = gst_ladder_parse_ladder (canon, &err);
  fail_unless (ladder != NULL, "%s", err ? err->message : "");
  fail_unless_equals_int (ladder->len, 4);
  fail_unless (((GstLadderRendition *) ladder->pdata[0])->passthrough);
  str = gst_ladder_ladder_to_string (ladder);
  fail_unless_equals_string (str, canon);
  g_free (str);
  g_ptr_array_unref (ladder);

  /* spaces around items */
  ladder = gst_ladder_parse_ladder ("720p, 480p ,240p", &err);
  fail_unless (ladder != NULL);
  str = gst_ladder_ladder_to_string (ladder);
  fail_unless_equals_string (str, "720p,480p,240p");
  g_free (str);
  g_ptr_array_unref (ladder);

  ladder = g_ptr_array_new ();
  str = gst_ladder_ladder_to_string (ladder);
  fail_unless_equals_string (str, "");
  g_free (str);
  g_ptr_array_unref (ladder);
}

GST_END_TEST;

static const struct
{
  const gchar *str;
  GstLadderError code;
  const gchar *mention[3];
} invalid_ladders[] = {
  {"", GST_LADDER_ERROR_PARSE, {"empty", NULL}},
  {"720p,,240p", GST_LADDER_ERROR_PARSE, {"item 2", "character 6", "empty"}},
  {"720p,", GST_LADDER_ERROR_PARSE, {"item 2", "empty", NULL}},
  {",720p", GST_LADDER_ERROR_PARSE, {"item 1", "character 1", NULL}},
  {"720p,480p,720p", GST_LADDER_ERROR_DUPLICATE,
      {"item 3", "character 11", "item 1"}},
  {"720p,720p:fps=30", GST_LADDER_ERROR_DUPLICATE, {"item 2", NULL}},
  {"720p,999p", GST_LADDER_ERROR_NOT_FOUND, {"item 2", "999p", NULL}},
  {"720p,x:961x540@100", GST_LADDER_ERROR_INVALID_RENDITION,
      {"item 2", "odd", NULL}},
  {"720p,480p:fps=30x", GST_LADDER_ERROR_PARSE,
      {"item 2", "character 17", "x"}},
  {"720p,../up:960x540@100", GST_LADDER_ERROR_INVALID_NAME,
      {"item 2", "path", NULL}},
};

GST_START_TEST (test_invalid_ladder)
{
  guint i, j;

  for (i = 0; i < G_N_ELEMENTS (invalid_ladders); i++) {
    GError *err = NULL;
    GPtrArray *ladder = gst_ladder_parse_ladder (invalid_ladders[i].str, &err);

    fail_unless (ladder == NULL, "\"%s\" accepted", invalid_ladders[i].str);
    fail_unless (err && err->domain == GST_LADDER_ERROR);
    fail_unless (err->code == (gint) invalid_ladders[i].code,
        "\"%s\": code %d (%s)", invalid_ladders[i].str, err->code,
        err->message);
    for (j = 0; j < 3 && invalid_ladders[i].mention[j]; j++)
      fail_unless (strstr (err->message, invalid_ladders[i].mention[j]),
          "\"%s\": \"%s\" does not mention \"%s\"", invalid_ladders[i].str,
          err->message, invalid_ladders[i].mention[j]);
    GST_INFO ("%s -> %s", invalid_ladders[i].str, err->message);
    g_clear_error (&err);
  }
}

GST_END_TEST;

GST_START_TEST (test_gvalue)
{
  GValue v = G_VALUE_INIT;
  GstLadderRendition *r;
  gchar *str;

  g_value_init (&v, GST_TYPE_LADDER_RENDITION);
  fail_unless (gst_value_deserialize (&v, "540p:960x540@1800:fps=30"));
  r = g_value_get_boxed (&v);
  fail_unless_equals_int (r->width, 960);
  str = gst_value_serialize (&v);
  fail_unless_equals_string (str, "540p:960x540@1800:fps=30");
  g_free (str);
  fail_if (gst_value_deserialize (&v, "540p:961x540@1800"));
  g_value_unset (&v);
}

GST_END_TEST;

static Suite *
ladderrendition_suite (void)
{
  Suite *s = suite_create ("ladderrendition");
  TCase *tc = tcase_create ("general");

  suite_add_tcase (s, tc);
  tcase_add_test (tc, test_presets);
  tcase_add_test (tc, test_new_copy_equal);
  tcase_add_test (tc, test_round_trip);
  tcase_add_test (tc, test_parse_fields);
  tcase_add_test (tc, test_invalid_rendition);
  tcase_add_test (tc, test_validate);
  tcase_add_test (tc, test_check_name);
  tcase_add_test (tc, test_ladder);
  tcase_add_test (tc, test_invalid_ladder);
  tcase_add_test (tc, test_gvalue);
  return s;
}

GST_CHECK_MAIN (ladderrendition);
