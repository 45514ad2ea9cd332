/* gst-ladder: embedding a GstLadderRunner in an application.
 *
 * Builds a pipeline that feeds a live H.264 source into a ladderbroadcaster,
 * installs a runner with a two-rung x264 ladder on it, attaches a sink to
 * every output as it appears, adds a rendition and removes another while
 * the pipeline plays, and reads the stats. Compiled and run by the tests
 * (docs/meson.build), so it stays true.
 *
 *   cc embed-runner.c $(pkg-config --cflags --libs gstladder-1.0) -o embed-runner
 *   ./embed-runner
 */

#include <gst/gst.h>
#include <gst/ladder/ladder.h>

typedef struct
{
  GMainLoop *loop;
  GstElement *pipeline;
  GstLadderRunner *runner;
  gboolean added, removed;
  guint64 out_of_added;
  gint status;
} App;

/* the runner made an output broadcaster: attach a sink to it */
static void
on_output_added (GstLadderRunner * runner, GstElement * broadcaster,
    const gchar * rendition, const gchar * track, App * app)
{
  GstElement *sink = gst_element_factory_make ("fakesink", NULL);
  GstPad *src, *sinkpad;

  g_object_set (sink, "async", FALSE, "sync", FALSE, NULL);
  gst_bin_add (GST_BIN (app->pipeline), sink);
  src = gst_element_request_pad_simple (broadcaster, "src_%u");
  sinkpad = gst_element_get_static_pad (sink, "sink");
  gst_pad_link (src, sinkpad);
  gst_object_unref (sinkpad);
  gst_object_unref (src);
  gst_element_sync_state_with_parent (sink);
  g_print ("output added: %s/%s\n", rendition, track);
}

/* an output went away (its rendition was removed): detach our sink, or the
 * pipeline would wait for its EOS forever */
static void
on_output_removed (GstLadderRunner * runner, GstElement * broadcaster,
    const gchar * rendition, const gchar * track, App * app)
{
  GstIterator *it = gst_element_iterate_src_pads (broadcaster);
  GValue item = G_VALUE_INIT;
  GPtrArray *pads = g_ptr_array_new_with_free_func (gst_object_unref);
  guint i;

  while (gst_iterator_next (it, &item) == GST_ITERATOR_OK) {
    g_ptr_array_add (pads, g_value_dup_object (&item));
    g_value_reset (&item);
  }
  g_value_unset (&item);
  gst_iterator_free (it);

  for (i = 0; i < pads->len; i++) {
    GstPad *src = g_ptr_array_index (pads, i);
    GstPad *peer = gst_pad_get_peer (src);
    GstElement *sink = peer ? gst_pad_get_parent_element (peer) : NULL;

    if (peer)
      gst_pad_unlink (src, peer);
    gst_element_release_request_pad (broadcaster, src);
    if (sink) {
      gst_element_set_state (sink, GST_STATE_NULL);
      gst_bin_remove (GST_BIN (app->pipeline), sink);
      gst_object_unref (sink);
    }
    g_clear_object (&peer);
  }
  g_ptr_array_unref (pads);
  g_print ("output removed: %s/%s\n", rendition, track);
}

static guint64
fragments_out (GPtrArray * rungs, const gchar * rendition)
{
  guint i;

  for (i = 0; i < rungs->len; i++) {
    GstStructure *s = g_ptr_array_index (rungs, i);
    guint64 out = 0;

    if (g_strcmp0 (gst_structure_get_string (s, "rendition"), rendition) == 0) {
      gst_structure_get_uint64 (s, "fragments-out", &out);
      return out;
    }
  }
  return 0;
}

static gboolean
on_message (GstBus * bus, GstMessage * msg, App * app)
{
  GError *err = NULL;
  GPtrArray *rungs = NULL;

  switch (gst_ladder_message_get_type (msg)) {
    case GST_LADDER_MESSAGE_STATS:
      gst_ladder_message_parse_stats (msg, &rungs);
      if (!app->added && fragments_out (rungs, "240p") > 0) {
        /* while playing, from the application thread: a new rendition */
        GstLadderRendition *r =
            gst_ladder_rendition_from_string ("mini:128x96@100", &err);

        if (r == NULL || !gst_ladder_runner_add_rendition (app->runner,
                GST_TYPE_LADDER_X264, r, &err)) {
          g_printerr ("add failed: %s\n", err->message);
          app->status = 1;
          g_main_loop_quit (app->loop);
        }
        g_clear_pointer (&r, gst_ladder_rendition_free);
        app->added = TRUE;
        g_print ("added mini\n");
      } else if (app->added && !app->removed
          && fragments_out (rungs, "mini") > 0) {
        guint n = 0;

        /* and one removed: drained, the other rungs untouched */
        if (!gst_ladder_runner_remove_rendition (app->runner, "small", TRUE,
                &n, &err)) {
          g_printerr ("remove failed: %s\n", err->message);
          app->status = 1;
          g_main_loop_quit (app->loop);
        }
        app->removed = TRUE;
        g_print ("removed small (%u rung)\n", n);
      }
      if (app->added)
        app->out_of_added = fragments_out (rungs, "mini");
      g_ptr_array_unref (rungs);
      break;
    case GST_LADDER_MESSAGE_PANIC:
      gst_ladder_message_parse_panic (msg, NULL, NULL, NULL, NULL, NULL, &err,
          NULL, NULL, NULL, NULL);
      g_printerr ("a rung failed and is restarted: %s\n", err->message);
      break;
    default:
      break;
  }
  g_clear_error (&err);

  if (GST_MESSAGE_TYPE (msg) == GST_MESSAGE_ERROR) {
    gst_message_parse_error (msg, &err, NULL);
    g_printerr ("error: %s\n", err->message);
    g_clear_error (&err);
    app->status = 1;
    g_main_loop_quit (app->loop);
  } else if (GST_MESSAGE_TYPE (msg) == GST_MESSAGE_EOS) {
    g_main_loop_quit (app->loop);
  }
  return G_SOURCE_CONTINUE;
}

int
main (int argc, char **argv)
{
  App app = { 0, };
  GError *err = NULL;
  GPtrArray *ladder, *keys;
  GstBus *bus;
  guint i;

  gst_init (&argc, &argv);
  gst_ladder_init ();

  app.loop = g_main_loop_new (NULL, FALSE);
  app.pipeline = gst_parse_launch ("videotestsrc is-live=true num-buffers=150 "
      "! video/x-raw,width=320,height=240,framerate=30/1 "
      "! x264enc tune=zerolatency key-int-max=30 ! h264parse "
      "! ladderbroadcaster broadcast=live/demo track=video max-lag=0", &err);
  if (app.pipeline == NULL) {
    g_printerr ("pipeline: %s\n", err->message);
    return 77;                  /* x264enc or h264parse missing: skip */
  }

  /* the ladder: x264 rungs at two sizes */
  app.runner = gst_ladder_runner_new ();
  g_object_set (app.runner, "stats-interval", 200 * GST_MSECOND, NULL);
  ladder = gst_ladder_parse_ladder ("240p,small:160x120@200", &err);
  if (ladder == NULL || !gst_ladder_runner_add_ladder (app.runner,
          GST_TYPE_LADDER_X264, ladder, &err)) {
    g_printerr ("ladder: %s\n", err->message);
    return 1;
  }
  g_ptr_array_unref (ladder);
  g_signal_connect (app.runner, "output-added", G_CALLBACK (on_output_added),
      &app);
  g_signal_connect (app.runner, "output-removed",
      G_CALLBACK (on_output_removed), &app);
  if (!gst_ladder_runner_install (app.runner, GST_BIN (app.pipeline), &err)) {
    g_printerr ("install: %s\n", err->message);
    return 1;
  }

  bus = gst_element_get_bus (app.pipeline);
  gst_bus_add_watch (bus, (GstBusFunc) on_message, &app);
  gst_element_set_state (app.pipeline, GST_STATE_PLAYING);
  g_main_loop_run (app.loop);
  gst_element_set_state (app.pipeline, GST_STATE_NULL);

  keys = gst_ladder_runner_list_keys (app.runner);
  for (i = 0; i < keys->len; i++) {
    GstStructure *s = gst_ladder_runner_get_stats (app.runner,
        g_ptr_array_index (keys, i), NULL);
    gchar *str = s ? gst_structure_to_string (s) : NULL;

    g_print ("%s\n", str ? str : "(no stats)");
    g_free (str);
    if (s)
      gst_structure_free (s);
  }

  if (!app.added || !app.removed || app.out_of_added == 0) {
    g_printerr ("the runtime edits did not happen (added %d, removed %d, "
        "%" G_GUINT64_FORMAT " buffers out of the added rung)\n", app.added,
        app.removed, app.out_of_added);
    app.status = 1;
  }
  for (i = 0; i < keys->len; i++) {
    if (g_str_has_prefix (g_ptr_array_index (keys, i), "x264:small:")) {
      g_printerr ("the removed rendition is still tracked\n");
      app.status = 1;
    }
  }

  g_ptr_array_unref (keys);
  gst_bus_remove_watch (bus);
  gst_object_unref (bus);
  gst_ladder_runner_uninstall (app.runner, NULL);
  gst_object_unref (app.runner);
  gst_object_unref (app.pipeline);
  g_main_loop_unref (app.loop);
  g_print (app.status ? "FAILED\n" : "OK\n");
  return app.status;
}
