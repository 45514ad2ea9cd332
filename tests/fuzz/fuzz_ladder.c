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

/* The fuzz target of the ladder element: arbitrary bytes go through a
 * parser or a demuxer into `ladder`, as a file would in
 * `filesrc ! qtdemux ! h264parse ! ladder`, with src pads to fakesinks or
 * with an HLS output in a fresh temporary folder.
 *
 * An input is a two-byte header, then the stream:
 *
 *   byte 0  bits 0-1  input: 0 H.264 Annex B (h264parse), 1 qtdemux,
 *                     2 tsdemux, 3 flvdemux
 *           bit  2    HLS output (hls-location) instead of src pads
 *           bits 3-4  the ladder (see ladders[])
 *           bits 5-6  hls-playlist-type: live, event, vod, live
 *           bit  7    ladder-stats every 2 ms instead of none
 *   byte 1  bits 0-5  size of the buffers the stream is cut into, in units
 *                     of 128 bytes (0: the whole stream in one buffer)
 *           bit  6    add a rendition when half the stream is in
 *           bit  7    remove the first rendition when half the stream is in
 *
 * Every input must end in EOS or ERROR within the hang bound
 * (LADDER_FUZZ_HANG_SECONDS, default 5 s): a pipeline that does not is a
 * hang. It is stopped, then the target aborts, so that libFuzzer keeps
 * the input. With LADDER_FUZZ_HANG_DIR set, a hang whose pipeline stops
 * cleanly is only counted and saved in that folder (hang-<sha1>), and
 * the fuzzing goes on: a hang found early and often would otherwise end
 * every run. A watchdog thread aborts in any case when building, running
 * and stopping one input takes more than twice the bound and 10 s
 * (stopping a pipeline may take a while on a loaded machine), which catches
 * a deadlock in the teardown.
 *
 * Once its pipeline is gone, the ladder element must be finalised: one
 * that is not keeps its runner thread and everything inside, which
 * LeakSanitizer does not see (a live thread still points to it). With
 * LADDER_FUZZ_CHECK_FINALIZE=1 that is a failure; otherwise it is said
 * once and fuzzing goes on.
 *
 * With LADDER_FUZZ_CHECK_DELIVERY=1, an input that ends in EOS fails
 * when an output that passes its input through (the audio of every
 * rendition, the source video) got no buffer while its input got two or
 * more.
 *
 * A failure (a hang, a ladder not finalised, a lost output) aborts, unless
 * LADDER_FUZZ_KEEP_GOING=1: then it is reported, counted
 * (fuzz_ladder_get_failures ()) and the next input runs. The replay
 * driver sets all three, so that one run lists every failing input; a crash
 * still ends it. Criticals are fatal (LADDER_FUZZ_FATAL_CRITICALS=0
 * turns that off): a g_return_if_fail () that fails is a bug as much as
 * a crash.
 *
 * For the triage of a hang: LADDER_FUZZ_VERBOSE=1 says how each input
 * ended, LADDER_FUZZ_RING_LOG=1 keeps the GST_DEBUG log in memory and
 * prints it for a hang only, LADDER_FUZZ_GDB=1 prints the stacks of
 * every thread (with gdb) before a hang is stopped.
 *
 * The same file is linked with libFuzzer (fuzz-ladder) and with the
 * standalone main of fuzz_replay.c (fuzz-ladder-replay), which runs the
 * committed corpus and regressions as a meson test. */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <glib/gstdio.h>
#include <gst/gst.h>
#include <gst/app/gstappsrc.h>

#include "fuzz_ladder.h"

#define HEADER_SIZE 2
/* Larger inputs only make each execution slower: the seeds are a few
 * kilobytes, and a few frames reach every code path a long file does. */
#define MAX_STREAM_SIZE (64 * 1024)
#define CHUNK_UNIT 128
#define DEFAULT_HANG_SECONDS 5
#define WATCHDOG_SECONDS (2 * hang_seconds + 10)

enum
{
  INPUT_H264,
  INPUT_QT,
  INPUT_TS,
  INPUT_FLV,
};

/* Small renditions keep an execution cheap: the size is a box the
 * picture is fitted into, never above the input size. */
static const gchar *const ladders[] = {
  "source",
  "source,tiny:64x36@50:gop=0.5",
  "tiny:64x36@50:fps=10",
  "source,240p:fps=15:gop=1",
};

/* the rendition added while playing (byte 1, bit 6) */
#define EXTRA_RENDITION "extra:32x18@30:gop=0.5"

/* the HLS writer inside the ladder (ladderhlssink), by its factory */
#define IS_HLS_WRITER(e) \
  (gst_element_get_factory (e) != NULL && g_str_equal (GST_OBJECT_NAME \
      (gst_element_get_factory (e)), "ladderhlssink"))

static const gchar *const playlist_types[] = { "live", "event", "vod",
  "live"
};

/* appsrc caps of each input: what typefind would say of such a file */
static const gchar *const input_caps[] = {
  "video/x-h264, stream-format=(string)byte-stream",
  "video/quicktime",
  "video/mpegts, systemstream=(boolean)true",
  "video/x-flv",
};

static const gchar *const demuxers[] = { NULL, "qtdemux", "tsdemux",
  "flvdemux"
};

typedef struct
{
  GstElement *pipeline;
  GstElement *ladder;
  GstElement *demux;
  GstBus *bus;

  /* the stream, cut into buffers by need_data () */
  const guint8 *data;
  gsize size;
  gsize chunk;
  gsize offset;
  gboolean change_posted;
  gboolean got_eos;

  /* byte 1, bits 6 and 7 */
  gboolean add_rendition;
  gchar *remove_rendition;

  /* set from the streaming threads of the demuxer and the ladder */
  GMutex lock;
  gboolean have_video;
  gboolean have_audio;
  GPtrArray *requested;         /* the ladder's request pads */
} Run;

static guint hang_seconds = DEFAULT_HANG_SECONDS;
static gboolean verbose;
static const gchar *hang_dir;
static guint hangs;
static gboolean check_finalize;
static gboolean check_delivery;
static gboolean keep_going;
static guint not_finalized;
static guint failures;

/* The watchdog: armed for each input with a deadline, it aborts the
 * process when the deadline passes, so that a teardown that deadlocks
 * (where the bus wait of the main thread cannot help) is still reported
 * as a hang with a stack libFuzzer can print. */
static GMutex watch_lock;
static GCond watch_cond;
static gint64 watch_deadline;   /* monotonic time, 0 when disarmed */

/* With LADDER_FUZZ_GDB=1, the stacks of every thread for the triage of a
 * deadlock: the abort () that follows shows only the watchdog's. */
static void
print_all_stacks (void)
{
  gchar *cmd;

  if (!g_getenv ("LADDER_FUZZ_GDB"))
    return;
  cmd = g_strdup_printf ("gdb -p %d -batch -ex \"thread apply all bt\"",
      (gint) getpid ());
  g_spawn_command_line_sync (cmd, NULL, NULL, NULL, NULL);
  g_free (cmd);
}

static gpointer
watchdog_main (gpointer user_data)
{
  g_mutex_lock (&watch_lock);
  for (;;) {
    if (watch_deadline == 0) {
      g_cond_wait (&watch_cond, &watch_lock);
    } else if (!g_cond_wait_until (&watch_cond, &watch_lock, watch_deadline)
        && watch_deadline != 0 && g_get_monotonic_time () >= watch_deadline) {
      g_printerr ("fuzz-ladder: HANG: an input did not build, run and stop "
          "within %u s (a deadlock in the teardown?)\n", WATCHDOG_SECONDS);
      print_all_stacks ();
      abort ();
    }
  }
  return NULL;
}

static void
watchdog_arm (gint64 seconds)
{
  g_mutex_lock (&watch_lock);
  watch_deadline = seconds ?
      g_get_monotonic_time () + seconds * G_TIME_SPAN_SECOND : 0;
  g_cond_signal (&watch_cond);
  g_mutex_unlock (&watch_lock);
}

static const gchar *const required_elements[] = {
  "appsrc", "queue", "fakesink", "h264parse", "aacparse", "mpegaudioparse",
  "qtdemux", "tsdemux", "flvdemux", "ladder", "x264enc", "avdec_h264",
  "hlssink2",
};

int
LLVMFuzzerInitialize (int *argc, char ***argv)
{
  const gchar *plugin_file = g_getenv ("LADDER_FUZZ_PLUGIN");
  const gchar *env;
  GstPlugin *plugin;
  GError *err = NULL;
  guint i;

  /* The plugin under test is built with the sanitizers, which the
   * separate plugin scanner process does not load: scan in this
   * process. */
  g_setenv ("GST_REGISTRY_FORK", "no", TRUE);
  /* Keep the user's registry clean of the instrumented plugin. */
  if (!g_getenv ("GST_REGISTRY_1_0") && !g_getenv ("GST_REGISTRY"))
    g_setenv ("GST_REGISTRY_1_0", LADDER_FUZZ_REGISTRY, TRUE);

  if ((env = g_getenv ("LADDER_FUZZ_HANG_SECONDS")) && atoi (env) > 0)
    hang_seconds = atoi (env);
  if (g_strcmp0 (g_getenv ("LADDER_FUZZ_FATAL_CRITICALS"), "0") != 0)
    g_log_set_always_fatal (G_LOG_FATAL_MASK | G_LOG_LEVEL_CRITICAL);
  verbose = g_getenv ("LADDER_FUZZ_VERBOSE") != NULL;
  hang_dir = g_getenv ("LADDER_FUZZ_HANG_DIR");
  check_finalize =
      g_strcmp0 (g_getenv ("LADDER_FUZZ_CHECK_FINALIZE"), "1") == 0;
  keep_going = g_strcmp0 (g_getenv ("LADDER_FUZZ_KEEP_GOING"), "1") == 0;
  check_delivery =
      g_strcmp0 (g_getenv ("LADDER_FUZZ_CHECK_DELIVERY"), "1") == 0;

  /* libFuzzer's own options are on the command line: not for GStreamer */
  gst_init (NULL, NULL);
  /* For the triage of a hang that a debug log on stderr makes go away:
   * the log is kept in memory and printed only for a hang. */
  if (g_getenv ("LADDER_FUZZ_RING_LOG")) {
    gst_debug_remove_log_function (gst_debug_log_default);
    gst_debug_add_ring_buffer_logger (4 * 1024 * 1024, 60);
  }

  if (!plugin_file)
    plugin_file = LADDER_FUZZ_PLUGIN;
  plugin = gst_plugin_load_file (plugin_file, &err);
  if (!plugin) {
    g_printerr ("fuzz-ladder: cannot load %s: %s\n", plugin_file, err->message);
    exit (1);
  }
  gst_object_unref (plugin);

  for (i = 0; i < G_N_ELEMENTS (required_elements); i++) {
    GstElementFactory *f = gst_element_factory_find (required_elements[i]);

    if (!f) {
      /* 77: a meson test that cannot run is skipped, not failed */
      g_printerr ("fuzz-ladder: SKIP: element %s is missing "
          "(scripts/install-deps.sh installs it)\n", required_elements[i]);
      exit (77);
    }
    gst_object_unref (f);
  }

  g_thread_unref (g_thread_new ("fuzz-watchdog", watchdog_main, NULL));
  return 0;
}

static GstElement *
make (const gchar * factory)
{
  GstElement *e = gst_element_factory_make (factory, NULL);

  /* LLVMFuzzerInitialize () checked every factory */
  g_assert (e != NULL);
  return e;
}

/* A sink that neither waits for the clock (the stream plays as fast as
 * it can) nor prerolls (it may be added while the pipeline plays). */
static GstElement *
make_fakesink (void)
{
  GstElement *sink = make ("fakesink");

  g_object_set (sink, "sync", FALSE, "async", FALSE, NULL);
  return sink;
}

static GstPadProbeReturn
count_buffers (GstPad * pad, GstPadProbeInfo * info, gpointer user_data)
{
  gint *count = g_object_get_data (G_OBJECT (pad), "fuzz-buffers");

  g_atomic_int_inc (count);
  return GST_PAD_PROBE_OK;
}

/* Counts the buffers through @pad (an input of the ladder, a fakesink),
 * for LADDER_FUZZ_VERBOSE and check_delivery (). */
static void
count_buffers_on (GstPad * pad)
{
  if (!verbose && !check_delivery)
    return;
  g_object_set_data_full (G_OBJECT (pad), "fuzz-buffers", g_new0 (gint, 1),
      g_free);
  gst_pad_add_probe (pad, GST_PAD_PROBE_TYPE_BUFFER, count_buffers, NULL, NULL);
}

static gint
buffers_on (GstPad * pad)
{
  gint *count = g_object_get_data (G_OBJECT (pad), "fuzz-buffers");

  return count ? g_atomic_int_get (count) : -1;
}

/* Adds a fakesink to the pipeline and links @pad to it. */
static void
link_to_fakesink (Run * run, GstPad * pad)
{
  GstElement *sink = make_fakesink ();
  GstPad *sinkpad;

  gst_bin_add (GST_BIN (run->pipeline), sink);
  sinkpad = gst_element_get_static_pad (sink, "sink");
  count_buffers_on (sinkpad);
  gst_pad_link (pad, sinkpad);
  gst_object_unref (sinkpad);
  gst_element_sync_state_with_parent (sink);
}

/* Each src pad of the ladder (a rendition's output) goes to a fakesink,
 * the ones made while the pipeline is built as the ones added while it
 * plays. */
static void
on_ladder_pad_added (GstElement * ladder, GstPad * pad, Run * run)
{
  if (GST_PAD_IS_SRC (pad))
    link_to_fakesink (run, pad);
}

/* Requests the @track pad of the ladder and links @upstream (a parser's
 * src pad) to it. */
static void
link_to_ladder (Run * run, GstPad * upstream, const gchar * track)
{
  GstPad *pad = gst_element_request_pad_simple (run->ladder, track);

  /* refused: the parser stays unlinked, and its not-linked ends the
   * stream with an ERROR */
  if (pad == NULL) {
    if (verbose)
      g_printerr ("fuzz-ladder: the ladder refused a %s pad\n", track);
    return;
  }
  count_buffers_on (pad);
  gst_pad_link (upstream, pad);
  g_mutex_lock (&run->lock);
  g_ptr_array_add (run->requested, pad);
  g_mutex_unlock (&run->lock);
}

/* A demuxer pad: the first H.264 video and the first AAC or MP3 audio go
 * through a queue and their parser into the ladder, as in the
 * documented file-to-HLS line; any other stream to a fakesink, so that
 * the demuxer never stops on not-linked. */
static void
on_demux_pad_added (GstElement * demux, GstPad * pad, Run * run)
{
  GstCaps *caps = gst_pad_get_current_caps (pad);
  GstStructure *s;
  const gchar *parser = NULL;
  const gchar *track = NULL;
  gint version = 0;

  if (!caps)
    caps = gst_pad_query_caps (pad, NULL);
  if (gst_caps_is_empty (caps) || gst_caps_is_any (caps)) {
    gst_caps_unref (caps);
    link_to_fakesink (run, pad);
    return;
  }
  s = gst_caps_get_structure (caps, 0);

  g_mutex_lock (&run->lock);
  if (gst_structure_has_name (s, "video/x-h264") && !run->have_video) {
    run->have_video = TRUE;
    parser = "h264parse";
    track = "video";
  } else if (gst_structure_has_name (s, "audio/mpeg") && !run->have_audio) {
    gst_structure_get_int (s, "mpegversion", &version);
    run->have_audio = TRUE;
    parser = version == 1 ? "mpegaudioparse" : "aacparse";
    track = "audio";
  }
  g_mutex_unlock (&run->lock);
  gst_caps_unref (caps);

  if (parser) {
    GstElement *queue = make ("queue");
    GstElement *parse = make (parser);
    GstPad *srcpad, *sinkpad;

    gst_bin_add_many (GST_BIN (run->pipeline), queue, parse, NULL);
    gst_element_link (queue, parse);
    srcpad = gst_element_get_static_pad (parse, "src");
    link_to_ladder (run, srcpad, track);
    gst_object_unref (srcpad);
    gst_element_sync_state_with_parent (parse);
    gst_element_sync_state_with_parent (queue);
    sinkpad = gst_element_get_static_pad (queue, "sink");
    gst_pad_link (pad, sinkpad);
    gst_object_unref (sinkpad);
  } else {
    link_to_fakesink (run, pad);
  }
}

/* Nothing links the ladder to appsrc before the demuxer has pads, so the
 * pipeline may start appsrc before it sets the ladder to PAUSED: a pad
 * requested then is fed by a ladder still in READY, which refuses the
 * first data (FLUSHING), and the demuxer stops without a word. An
 * application starts the element it links to at run time first; here
 * the first buffer waits until the ladder is on its way to PAUSED. */
static void
wait_for_ladder (Run * run)
{
  gint64 end = g_get_monotonic_time () + hang_seconds * G_TIME_SPAN_SECOND;
  GstState state, pending;

  do {
    gst_element_get_state (run->ladder, &state, &pending, 0);
    if (state >= GST_STATE_PAUSED || pending >= GST_STATE_PAUSED)
      return;
    g_usleep (G_TIME_SPAN_MILLISECOND);
  } while (g_get_monotonic_time () < end);
}

/* appsrc asks for data: the next piece of the stream, then EOS. Half-way,
 * tell the main thread to change the ladder, as an application would
 * while the stream plays. */
static void
need_data (GstAppSrc * src, guint length, gpointer user_data)
{
  Run *run = user_data;
  gsize n;

  if (run->offset == 0)
    wait_for_ladder (run);
  if (run->offset >= run->size) {
    GstPad *pad = gst_element_get_static_pad (GST_ELEMENT (src), "src");

    /* A demuxer that finds no stream it can expose may swallow the EOS
     * and post nothing (tsdemux without a PMT): then the ladder never
     * had an input and the pipeline never ends. So the EOS goes down
     * here, where its push returns only once the demuxer (which works in
     * this thread) has handled it, and the main thread learns that the
     * demuxer is done; appsrc's own EOS after it finds the pad at EOS. */
    gst_pad_push_event (pad, gst_event_new_eos ());
    gst_object_unref (pad);
    gst_bus_post (run->bus, gst_message_new_application (GST_OBJECT (src),
            gst_structure_new_empty ("fuzz-input-done")));
    gst_app_src_end_of_stream (src);
    return;
  }
  if (!run->change_posted && run->offset >= run->size / 2) {
    run->change_posted = TRUE;
    if (run->add_rendition || run->remove_rendition)
      gst_bus_post (run->bus, gst_message_new_application (GST_OBJECT (src),
              gst_structure_new_empty ("fuzz-change-ladder")));
  }
  n = MIN (run->chunk, run->size - run->offset);
  gst_app_src_push_buffer (src,
      gst_buffer_new_memdup (run->data + run->offset, n));
  run->offset += n;
}

static GstAppSrcCallbacks appsrc_callbacks = {
  .need_data = need_data,
};

/* Removes @path and everything under it. */
static void
remove_tree (const gchar * path)
{
  GDir *dir;
  const gchar *name;

  if (!g_file_test (path, G_FILE_TEST_IS_SYMLINK)
      && g_file_test (path, G_FILE_TEST_IS_DIR)
      && (dir = g_dir_open (path, 0, NULL))) {
    while ((name = g_dir_read_name (dir))) {
      gchar *child = g_build_filename (path, name, NULL);

      remove_tree (child);
      g_free (child);
    }
    g_dir_close (dir);
    g_rmdir (path);
  } else {
    g_remove (path);
  }
}

/* The name of the first rendition of @ladder ("source", "tiny", ...). */
static gchar *
first_rendition (const gchar * ladder)
{
  return g_strndup (ladder, strcspn (ladder, ",:"));
}

/* Builds the pipeline of @flags (byte 0 of the input); HLS into @hls_dir
 * when it is set. */
static void
build (Run * run, guint8 flags, const gchar * hls_dir)
{
  guint input = flags & 0x3;
  GstElement *src = make ("appsrc");
  GstCaps *caps = gst_caps_from_string (input_caps[input]);

  run->pipeline = gst_pipeline_new ("fuzz");
  run->ladder = make ("ladder");
  g_object_set (run->ladder, "renditions", ladders[(flags >> 3) & 0x3],
      /* a failing rung restarts at once, so that it is tried again on the
       * little stream there is */
      "restart-delay", (guint64) GST_MSECOND,
      "max-restart-delay", (guint64) (20 * GST_MSECOND),
      "stats-interval", (guint64) ((flags & 0x80) ? 2 * GST_MSECOND : 0), NULL);
  if (hls_dir) {
    gst_util_set_object_arg (G_OBJECT (run->ladder), "hls-playlist-type",
        playlist_types[(flags >> 5) & 0x3]);
    g_object_set (run->ladder, "hls-location", hls_dir,
        "hls-target-duration", 1, "hls-max-files", 2,
        "hls-playlist-length", 2, NULL);
  } else {
    g_signal_connect (run->ladder, "pad-added",
        G_CALLBACK (on_ladder_pad_added), run);
  }

  g_object_set (src, "caps", caps, "format", GST_FORMAT_BYTES, NULL);
  gst_caps_unref (caps);
  gst_app_src_set_callbacks (GST_APP_SRC (src), &appsrc_callbacks, run, NULL);

  gst_bin_add_many (GST_BIN (run->pipeline), src, run->ladder, NULL);
  if (input == INPUT_H264) {
    GstElement *parse = make ("h264parse");
    GstPad *srcpad;

    gst_bin_add (GST_BIN (run->pipeline), parse);
    gst_element_link (src, parse);
    srcpad = gst_element_get_static_pad (parse, "src");
    link_to_ladder (run, srcpad, "video");
    gst_object_unref (srcpad);
  } else {
    run->demux = make (demuxers[input]);
    gst_bin_add (GST_BIN (run->pipeline), run->demux);
    gst_element_link (src, run->demux);
    g_signal_connect (run->demux, "pad-added",
        G_CALLBACK (on_demux_pad_added), run);
  }
}

/* Applies the change of byte 1 (bits 6, 7) to the playing ladder. */
static void
change_ladder (Run * run)
{
  gboolean ok;

  if (run->remove_rendition)
    g_signal_emit_by_name (run->ladder, "remove-rendition",
        run->remove_rendition, &ok);
  if (run->add_rendition)
    g_signal_emit_by_name (run->ladder, "add-rendition", EXTRA_RENDITION, &ok);
}

static void print_sinks (Run * run);

/* Plays the pipeline until EOS or ERROR; FALSE when neither came within
 * the hang bound. */
static gboolean
play (Run * run)
{
  gint64 deadline = g_get_monotonic_time () + hang_seconds * G_TIME_SPAN_SECOND;

  gst_element_set_state (run->pipeline, GST_STATE_PLAYING);
  for (;;) {
    gint64 left = deadline - g_get_monotonic_time ();
    GstMessage *msg;
    GstMessageType type;

    if (left <= 0)
      return FALSE;
    msg = gst_bus_timed_pop_filtered (run->bus, left * GST_USECOND,
        GST_MESSAGE_EOS | GST_MESSAGE_ERROR | GST_MESSAGE_APPLICATION);
    if (!msg)
      return FALSE;
    type = GST_MESSAGE_TYPE (msg);
    if (type == GST_MESSAGE_APPLICATION) {
      if (gst_message_has_name (msg, "fuzz-change-ladder")) {
        change_ladder (run);
      } else if (gst_message_has_name (msg, "fuzz-input-done")) {
        gboolean fed;

        g_mutex_lock (&run->lock);
        fed = run->requested->len > 0;
        g_mutex_unlock (&run->lock);
        /* the demuxer is done and gave the ladder nothing: nothing is
         * left to wait for */
        if (!fed) {
          if (verbose)
            g_printerr ("fuzz-ladder: no stream for the ladder\n");
          gst_message_unref (msg);
          return TRUE;
        }
      }
    }
    if (verbose && type == GST_MESSAGE_ERROR) {
      GError *err = NULL;
      gchar *debug = NULL;

      gst_message_parse_error (msg, &err, &debug);
      g_printerr ("fuzz-ladder: ERROR from %s: %s (%s)\n",
          GST_OBJECT_NAME (GST_MESSAGE_SRC (msg)), err->message,
          GST_STR_NULL (debug));
      g_clear_error (&err);
      g_free (debug);
    } else if (type == GST_MESSAGE_EOS) {
      run->got_eos = TRUE;
      if (verbose) {
        g_printerr ("fuzz-ladder: EOS\n");
        print_sinks (run);
      }
    }
    gst_message_unref (msg);
    if (type != GST_MESSAGE_APPLICATION)
      return TRUE;
  }
}

/* For the triage of a hang: which sinks wait for what, the fakesinks of
 * the src pads and the pads of the HLS writer inside the ladder. */
static void
print_sinks (Run * run)
{
  GstIterator *it = gst_bin_iterate_recurse (GST_BIN (run->pipeline));
  GValue item = G_VALUE_INIT;

  while (gst_iterator_next (it, &item) == GST_ITERATOR_OK) {
    GstElement *sink = g_value_get_object (&item);
    GstObject *parent = gst_object_get_parent (GST_OBJECT (sink));
    GstIterator *pads;
    GValue v = G_VALUE_INIT;

    if (GST_OBJECT_FLAG_IS_SET (sink, GST_ELEMENT_FLAG_SINK)
        && (parent == GST_OBJECT (run->pipeline)
            || IS_HLS_WRITER (sink))) {
      pads = gst_element_iterate_sink_pads (sink);
      while (gst_iterator_next (pads, &v) == GST_ITERATOR_OK) {
        GstPad *pad = g_value_get_object (&v);
        GstPad *peer = gst_pad_get_peer (pad);
        gchar *from = peer ? g_strdup_printf ("%s:%s",
            GST_DEBUG_PAD_NAME (peer)) : g_strdup ("nothing");

        gint count = buffers_on (pad);
        gchar *buffers = count >= 0 ? g_strdup_printf (", %d buffers",
            count) : g_strdup ("");

        g_printerr ("fuzz-ladder:   %s:%s (from %s): %s%s\n",
            GST_DEBUG_PAD_NAME (pad), from,
            GST_PAD_IS_EOS (pad) ? "EOS" : "no EOS", buffers);
        g_free (buffers);
        g_free (from);
        if (peer)
          gst_object_unref (peer);
        g_value_reset (&v);
      }
      g_value_unset (&v);
      gst_iterator_free (pads);
    }
    if (parent)
      gst_object_unref (parent);
    g_value_reset (&item);
  }
  g_value_unset (&item);
  gst_iterator_free (it);
}

static void
print_ring_log (void)
{
  gchar **logs;
  guint i;

  if (!g_getenv ("LADDER_FUZZ_RING_LOG"))
    return;
  logs = gst_debug_ring_buffer_logger_get_logs ();
  for (i = 0; logs[i]; i++)
    g_printerr ("%s", logs[i]);
  g_strfreev (logs);
}

/* A failure of the current input: fatal, unless keep_going. */
static void
fail (const gchar * what)
{
  g_printerr ("fuzz-ladder: FAIL: %s\n", what);
  if (!keep_going)
    abort ();
  failures++;
}

guint
fuzz_ladder_get_failures (void)
{
  return failures;
}

/* After an EOS: an output that passes its input through (the audio of
 * every rendition, the source video) and got no buffer, while its input
 * got some, lost them. */
static void
check_delivered (Run * run)
{
  GstIterator *it = gst_bin_iterate_sinks (GST_BIN (run->pipeline));
  GValue item = G_VALUE_INIT;
  gint in[2] = { -1, -1 };      /* video, audio */
  guint i;

  for (i = 0; i < run->requested->len; i++) {
    GstPad *pad = g_ptr_array_index (run->requested, i);

    in[g_str_equal (GST_PAD_NAME (pad), "video") ? 0 : 1] = buffers_on (pad);
  }

  while (gst_iterator_next (it, &item) == GST_ITERATOR_OK) {
    GstPad *sinkpad = gst_element_get_static_pad (g_value_get_object (&item),
        "sink");
    GstPad *peer = sinkpad ? gst_pad_get_peer (sinkpad) : NULL;

    if (peer && GST_OBJECT_PARENT (peer) == GST_OBJECT (run->ladder)) {
      const gchar *name = GST_PAD_NAME (peer);
      gint track = g_str_has_prefix (name, "audio_") ? 1 :
          g_str_equal (name, "video_source") ? 0 : -1;

      /* two at least: an access unit of a delimiter alone is dropped by
       * the parser at the output, rightly */
      if (track >= 0 && in[track] >= 2 && buffers_on (sinkpad) == 0) {
        gchar *what = g_strdup_printf ("LOST: output %s ended without a "
            "buffer, its input got %d", name, in[track]);

        fail (what);
        g_free (what);
      }
    }
    if (peer)
      gst_object_unref (peer);
    if (sinkpad)
      gst_object_unref (sinkpad);
    g_value_reset (&item);
  }
  g_value_unset (&item);
  gst_iterator_free (it);
}

/* Checks that the ladder element of @ref is gone with its pipeline. */
static void
check_finalized (GWeakRef * ref)
{
  /* the last reference may be dropped by a thread of GStreamer's pool a
   * little after the pipeline: the strict check gives it a second */
  gint64 end = g_get_monotonic_time () +
      (check_finalize ? G_TIME_SPAN_SECOND : 0);
  GObject *ladder;

  while ((ladder = g_weak_ref_get (ref))) {
    g_object_unref (ladder);
    if (g_get_monotonic_time () >= end)
      break;
    g_usleep (10 * G_TIME_SPAN_MILLISECOND);
  }
  if (ladder == NULL)
    return;

  not_finalized++;
  if (check_finalize) {
    fail ("LEAK: the ladder element outlived its pipeline (never "
        "finalised: its runner thread and all inside stay)");
  } else if (not_finalized == 1) {
    g_printerr ("fuzz-ladder: LEAK: the ladder element outlived its "
        "pipeline; said once, LADDER_FUZZ_CHECK_FINALIZE=1 makes it a "
        "failure\n");
  }
}

/* Keeps a hang input in hang_dir, named after its content as libFuzzer
 * names its crash files. */
static void
save_hang (const guint8 * data, gsize size)
{
  gchar *sum = g_compute_checksum_for_data (G_CHECKSUM_SHA1, data, size);
  gchar *name = g_strconcat ("hang-", sum, NULL);
  gchar *path = g_build_filename (hang_dir, name, NULL);
  GError *err = NULL;

  hangs++;
  if (!g_file_set_contents (path, (const gchar *) data, size, &err)) {
    g_printerr ("fuzz-ladder: cannot save the hang: %s\n", err->message);
    g_clear_error (&err);
  } else {
    g_printerr ("fuzz-ladder: HANG %u saved as %s, going on\n", hangs, path);
  }
  g_free (path);
  g_free (name);
  g_free (sum);
}

int
LLVMFuzzerTestOneInput (const guint8 * data, gsize size)
{
  Run run = { NULL, };
  GWeakRef ladder_ref;
  gchar *hls_dir = NULL;
  gboolean ended;
  guint i;

  if (size < HEADER_SIZE)
    return 0;

  run.data = data + HEADER_SIZE;
  run.size = MIN (size - HEADER_SIZE, MAX_STREAM_SIZE);
  run.chunk = (data[1] & 0x3f) ? (gsize) (data[1] & 0x3f) * CHUNK_UNIT :
      MAX (run.size, 1);
  run.add_rendition = (data[1] & 0x40) != 0;
  if (data[1] & 0x80)
    run.remove_rendition = first_rendition (ladders[(data[0] >> 3) & 0x3]);
  g_mutex_init (&run.lock);
  run.requested = g_ptr_array_new ();

  if (data[0] & 0x4) {
    GError *err = NULL;

    hls_dir = g_dir_make_tmp ("fuzz-ladder-XXXXXX", &err);
    if (!hls_dir)
      g_error ("fuzz-ladder: no temporary folder: %s", err->message);
  }

  watchdog_arm (WATCHDOG_SECONDS);
  build (&run, data[0], hls_dir);
  run.bus = gst_element_get_bus (run.pipeline);
  g_weak_ref_init (&ladder_ref, run.ladder);

  ended = play (&run);
  if (!ended) {
    g_printerr ("fuzz-ladder: HANG: no EOS or ERROR within %u s; "
        "stopping the pipeline\n", hang_seconds);
    print_sinks (&run);
    print_ring_log ();
    print_all_stacks ();
  }

  /* before the teardown, which takes the src pads of the ladder away */
  if (check_delivery && run.got_eos)
    check_delivered (&run);
  gst_element_set_state (run.pipeline, GST_STATE_NULL);
  /* the state is NULL: no streaming thread adds to run.requested */
  for (i = 0; i < run.requested->len; i++) {
    GstPad *pad = g_ptr_array_index (run.requested, i);

    gst_element_release_request_pad (run.ladder, pad);
    gst_object_unref (pad);
  }
  /* run lives on this stack: an element that outlives its pipeline (a
   * leak) must not call back into it later */
  g_signal_handlers_disconnect_by_data (run.ladder, &run);
  if (run.demux)
    g_signal_handlers_disconnect_by_data (run.demux, &run);
  watchdog_arm (0);

  if (!ended && hang_dir)
    save_hang (data, size);
  else if (!ended)
    fail ("HANG: no EOS or ERROR (the pipeline then stopped cleanly)");

  gst_object_unref (run.bus);
  gst_object_unref (run.pipeline);
  check_finalized (&ladder_ref);
  g_weak_ref_clear (&ladder_ref);
  g_ptr_array_unref (run.requested);
  g_mutex_clear (&run.lock);
  g_free (run.remove_rendition);
  if (hls_dir) {
    remove_tree (hls_dir);
    g_free (hls_dir);
  }
  /* -1: libFuzzer does not add a hang to the corpus */
  return ended ? 0 : -1;
}
