#!/usr/bin/env python3
"""The ladder's src pads straight into the muxers and sinks applications
use: mp4mux, qtmux, matroskamux, flvmux, mpegtsmux, splitmuxsink and
hlssink2, with no parser in between. Each gets every frame of a 10 s 30 fps
H.264 clip with B-frames (and its AAC), from an x264 rendition and from the
passthrough `source` rendition, in the stream-format it asks for; the files
play in ffprobe and in GStreamer's own demuxers. Also: a rendition added
while the pipeline plays, recorded to mp4; an output whose downstream
accepts none of its caps (an ERROR naming the rendition, never a quiet EOS);
an output whose input ends before any caps (it ends too)."""
import glob
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import unittest

import gi

gi.require_version("Gst", "1.0")
from gi.repository import Gst  # noqa: E402

Gst.init(None)

NEEDED = ["qtdemux", "h264parse", "aacparse", "avdec_h264", "x264enc",
          "uridecodebin", "fakesink", "ladder"]
MISSING = [e for e in NEEDED if Gst.ElementFactory.find(e) is None]
for tool in ("ffmpeg", "ffprobe"):
    if not shutil.which(tool):
        MISSING.append(tool)

DURATION = 10
FRAMES = 300
MIN_FRAMES = 290
BOUND = 120  # seconds any one pipeline may take

# muxer: (file pattern, the stream-format it negotiates, sink line maker)
MUXERS = {
    "mp4mux": "avc", "qtmux": "avc", "matroskamux": "avc", "flvmux": "avc",
    "mpegtsmux": "byte-stream", "splitmuxsink": "avc", "hlssink2":
    "byte-stream",
}


def sh(*args, timeout=300):
    return subprocess.run(args, check=True, capture_output=True, text=True,
                          timeout=timeout).stdout


def make_clip(folder):
    """10 s of 720p30 H.264 with B-frames and a 2 s GOP, and AAC, as an
    encoder of a publisher makes it."""
    path = os.path.join(folder, "bframes.mp4")
    sh("ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i",
       "testsrc2=size=1280x720:rate=30", "-f", "lavfi", "-i",
       "sine=frequency=440:sample_rate=48000", "-t", "10", "-c:v", "libx264",
       "-preset", "veryfast", "-bf", "2", "-g", "60", "-keyint_min", "60",
       "-sc_threshold", "0", "-b:v", "3M", "-pix_fmt", "yuv420p", "-c:a",
       "aac", "-b:a", "128k", path)
    probe = sh("ffprobe", "-v", "error", "-select_streams", "v:0",
               "-show_entries", "stream=has_b_frames,nb_frames", "-of",
               "default=nw=1", path)
    assert "has_b_frames=0" not in probe, "the clip has no B-frames: " + probe
    return path


CLIP = {}


def shared_clip():
    """The clip of make_clip(), made once for every test of this file."""
    if "path" not in CLIP:
        CLIP["folder"] = tempfile.mkdtemp(prefix="ladder-clip-")
        CLIP["path"] = make_clip(CLIP["folder"])
    return CLIP["path"]


def tearDownModule():
    if "folder" in CLIP:
        shutil.rmtree(CLIP["folder"], ignore_errors=True)


def play(pipe, timeout=BOUND):
    """Plays @pipe to its end: returns the EOS or ERROR message (None after
    @timeout s), with the pipeline stopped."""
    bus = pipe.get_bus()
    pipe.set_state(Gst.State.PLAYING)
    try:
        return bus.timed_pop_filtered(timeout * Gst.SECOND,
                                      Gst.MessageType.EOS
                                      | Gst.MessageType.ERROR)
    finally:
        pipe.set_state(Gst.State.NULL)


def play_to_eos(test, pipe, what, timeout=BOUND):
    msg = play(pipe, timeout)
    test.assertIsNotNone(msg, "%s: no EOS within %d s" % (what, timeout))
    if msg.type == Gst.MessageType.ERROR:
        err, dbg = msg.parse_error()
        test.fail("%s: ERROR from %s: %s (%s)" % (what, msg.src.get_name(),
                                                 err.message, dbg))


def ffprobe_frames(path):
    """Decoded frames per stream kind, as ffprobe reads @path."""
    out = json.loads(sh("ffprobe", "-v", "error", "-count_frames",
                        "-show_entries", "stream=codec_type,nb_read_frames",
                        "-of", "json", path))
    frames = {}
    for stream in out["streams"]:
        kind = stream["codec_type"]
        frames[kind] = frames.get(kind, 0) + int(stream["nb_read_frames"])
    return frames


def gst_frames(uri):
    """Video access units (and keyframes among them) and audio buffers, as
    GStreamer's own demuxers read @uri (uridecodebin, stopped before the
    decoders)."""
    pipe = Gst.Pipeline.new()
    src = Gst.ElementFactory.make("uridecodebin")
    src.set_property("uri", uri)
    src.set_property("caps", Gst.Caps.from_string("video/x-h264;audio/mpeg"))
    pipe.add(src)
    counts = {"video": 0, "keyframes": 0, "audio": 0}
    lock = threading.Lock()

    def count(pad, info, kind):
        buf = info.get_buffer()
        with lock:
            counts[kind] += 1
            if kind == "video" and not buf.has_flags(Gst.BufferFlags.DELTA_UNIT):
                counts["keyframes"] += 1
        return Gst.PadProbeReturn.OK

    def pad_added(element, pad):
        caps = pad.get_current_caps() or pad.query_caps(None)
        name = caps.get_structure(0).get_name()
        if name == "video/x-h264":
            parse = Gst.parse_bin_from_description(
                "h264parse ! video/x-h264,alignment=au ! fakesink", True)
            kind = "video"
        else:
            parse = Gst.parse_bin_from_description("fakesink", True)
            kind = "audio"
        pipe.add(parse)
        parse.sync_state_with_parent()
        pad.link(parse.get_static_pad("sink"))
        sink = parse.get_static_pad("sink").get_peer()
        parse.get_static_pad("sink").add_probe(Gst.PadProbeType.BUFFER,
                                               count, kind)
        del sink

    src.connect("pad-added", pad_added)
    msg = play(pipe)
    assert msg is not None, "%s: no EOS within %d s" % (uri, BOUND)
    if msg.type == Gst.MessageType.ERROR:
        err, dbg = msg.parse_error()
        raise AssertionError("%s: %s (%s)" % (uri, err.message, dbg))
    return counts


def caps_recorder(pipe, names):
    """Records the caps that reach the sink pads of the elements @names."""
    seen = {}

    def probe(pad, info, key):
        ev = info.get_event()
        if ev.type == Gst.EventType.CAPS:
            seen.setdefault(key, ev.parse_caps().to_string())
        return Gst.PadProbeReturn.OK

    def watch(element):
        element.connect("pad-added", lambda e, p: p.direction ==
                        Gst.PadDirection.SINK and p.add_probe(
                            Gst.PadProbeType.EVENT_DOWNSTREAM, probe,
                            "%s.%s" % (e.get_name(), p.get_name())))
        for pad in element.sinkpads:
            pad.add_probe(Gst.PadProbeType.EVENT_DOWNSTREAM, probe,
                          "%s.%s" % (element.get_name(), pad.get_name()))

    for name in names:
        watch(pipe.get_by_name(name))
    return seen


def source_line(clip):
    return ("filesrc location=%s ! qtdemux name=d d.video_0 ! h264parse ! "
            "ladder name=l renditions=source,240p d.audio_0 ! queue ! "
            "aacparse ! l.audio " % clip)


def sink_line(muxer, name, rendition, out):
    """@muxer fed straight by the video and audio outputs of @rendition,
    writing into the folder @out."""
    v, a = "l.video_%s" % rendition, "l.audio_%s" % rendition
    if muxer == "splitmuxsink":
        return ("%s ! splitmuxsink name=%s location=%s/part%%02d.mp4 "
                "max-size-time=4000000000 %s ! %s.audio_%%u "
                % (v, name, out, a, name))
    if muxer == "hlssink2":
        return ("%s ! hlssink2 name=%s location=%s/segment%%05d.ts "
                "playlist-location=%s/playlist.m3u8 target-duration=2 "
                "max-files=0 playlist-length=0 %s ! %s.audio "
                % (v, name, out, out, a, name))
    ext = {"mp4mux": "mp4", "qtmux": "mov", "matroskamux": "mkv",
           "flvmux": "flv", "mpegtsmux": "ts"}[muxer]
    return ("%s ! %s name=%s ! filesink location=%s/out.%s %s ! %s. "
            % (v, muxer, name, out, ext, a, name))


def outputs_of(muxer, out):
    """The files to check, and the URIs GStreamer reads them from."""
    if muxer == "splitmuxsink":
        files = sorted(glob.glob(os.path.join(out, "part*.mp4")))
    elif muxer == "hlssink2":
        files = [os.path.join(out, "playlist.m3u8")]
    else:
        files = glob.glob(os.path.join(out, "out.*"))
    return files


@unittest.skipIf(MISSING, "missing: %s" % ", ".join(MISSING))
class Muxers(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="ladder-srcpads-")
        cls.clip = shared_clip()

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def check_muxer(self, muxer):
        if Gst.ElementFactory.find(muxer) is None:
            self.skipTest("%s is not installed" % muxer)
        outs = {}
        line = source_line(self.clip)
        for rendition in ("240p", "source"):
            out = os.path.join(self.tmp, muxer, rendition)
            os.makedirs(out)
            outs[rendition] = out
            line += sink_line(muxer, "mux_" + rendition, rendition, out)
        pipe = Gst.parse_launch(line)
        seen = caps_recorder(pipe, ["mux_240p", "mux_source"])
        play_to_eos(self, pipe, muxer)

        video_caps = [c for c in seen.values() if c.startswith("video/")]
        self.assertEqual(len(video_caps), 2, seen)
        for caps in video_caps:
            self.assertIn("stream-format=(string)%s" % MUXERS[muxer], caps)

        for rendition, out in outs.items():
            files = outputs_of(muxer, out)
            self.assertTrue(files, "%s wrote nothing for %s" % (muxer,
                                                                  rendition))
            probe = {"video": 0, "audio": 0}
            gst = {"video": 0, "keyframes": 0, "audio": 0}
            for path in files:
                for kind, n in ffprobe_frames(path).items():
                    probe[kind] = probe.get(kind, 0) + n
                for kind, n in gst_frames(Gst.filename_to_uri(path)).items():
                    gst[kind] += n
            print("%s %s: ffprobe %s, GStreamer %s" % (muxer, rendition,
                                                       probe, gst))
            with self.subTest(muxer=muxer, rendition=rendition):
                self.assertGreaterEqual(probe["video"], MIN_FRAMES)
                self.assertLessEqual(probe["video"], FRAMES)
                self.assertGreaterEqual(gst["video"], MIN_FRAMES)
                self.assertGreaterEqual(gst["keyframes"], 1)
                # 10 s of 48 kHz AAC is 469 frames
                self.assertGreaterEqual(probe["audio"], 460)
                self.assertGreaterEqual(gst["audio"], 460)

    def test_mp4mux(self):
        self.check_muxer("mp4mux")

    def test_qtmux(self):
        self.check_muxer("qtmux")

    def test_matroskamux(self):
        self.check_muxer("matroskamux")

    def test_flvmux(self):
        self.check_muxer("flvmux")

    def test_mpegtsmux(self):
        self.check_muxer("mpegtsmux")

    def test_splitmuxsink(self):
        self.check_muxer("splitmuxsink")

    def test_hlssink2(self):
        self.check_muxer("hlssink2")

    def test_queue_then_muxer_by_template(self):
        """`l.video_240p ! queue ! mp4mux` as gst-launch-1.0 links it: the
        muxer pad is chosen by the caps of an output that has no data yet."""
        out = os.path.join(self.tmp, "queue.mp4")
        pipe = Gst.parse_launch(
            "filesrc location=%s ! qtdemux ! h264parse ! ladder name=l "
            "renditions=240p l.video_240p ! queue ! mp4mux ! filesink "
            "location=%s" % (self.clip, out))
        play_to_eos(self, pipe, "queue ! mp4mux")
        self.assertGreaterEqual(ffprobe_frames(out)["video"], MIN_FRAMES)

    def test_rendition_added_while_playing(self):
        """480p added with the input held at 3 s (the ladder's output at
        2 s or more), its outputs linked in pad-added to a new mp4mux: the
        file starts on a keyframe where the ladder was, and holds every
        frame from there on."""
        out = os.path.join(self.tmp, "added.mp4")
        pipe = Gst.parse_launch(
            "filesrc location=%s ! qtdemux name=d d.video_0 ! h264parse "
            "name=vp ! ladder name=l renditions=240p d.audio_0 ! queue ! "
            "aacparse ! l.audio l.video_240p ! fakesink name=f240 "
            "l.audio_240p ! fakesink" % self.clip)
        ladder = pipe.get_by_name("l")
        cond = threading.Condition()
        state = {"blocked": False, "made": 0}

        # the input stops at 3 s until the rendition is added ...
        def block(pad, info):
            buf = info.get_buffer()
            if buf.pts != Gst.CLOCK_TIME_NONE and buf.pts >= 3 * Gst.SECOND:
                with cond:
                    state["blocked"] = True
                    cond.notify_all()
                return Gst.PadProbeReturn.OK
            return Gst.PadProbeReturn.PASS

        # ... and the ladder has made everything before it (in running time:
        # x264enc shifts its timestamps and its segment by 1000 h)
        def made(pad, info):
            seg = pad.get_sticky_event(Gst.EventType.SEGMENT, 0)
            rt = seg.parse_segment().to_running_time(
                Gst.Format.TIME, info.get_buffer().pts)
            with cond:
                state["made"] = max(state["made"], rt)
                cond.notify_all()
            return Gst.PadProbeReturn.OK

        vp = pipe.get_by_name("vp").get_static_pad("src")
        probe_id = vp.add_probe(Gst.PadProbeType.BLOCK
                                | Gst.PadProbeType.BUFFER, block)
        pipe.get_by_name("f240").get_static_pad("sink").add_probe(
            Gst.PadProbeType.BUFFER, made)
        linked = []
        mux = {}

        def first_of_480p(pad, info):
            seg = pad.get_sticky_event(Gst.EventType.SEGMENT, 0)
            state["first"] = seg.parse_segment().to_running_time(
                Gst.Format.TIME, info.get_buffer().pts)
            return Gst.PadProbeReturn.REMOVE

        def pad_added(element, pad):
            if not pad.get_name().endswith("_480p"):
                return
            if not mux:
                mux["bin"] = Gst.parse_bin_from_description(
                    "mp4mux name=rec ! filesink location=%s" % out, False)
                pipe.add(mux["bin"])
            rec = mux["bin"].get_by_name("rec")
            target = rec.request_pad_simple(
                "video_%u" if pad.get_name().startswith("video") else
                "audio_%u")
            ghost = Gst.GhostPad.new(None, target)
            ghost.set_active(True)
            mux["bin"].add_pad(ghost)
            self.assertEqual(pad.link(ghost), Gst.PadLinkReturn.OK)
            linked.append(pad.get_name())
            if pad.get_name().startswith("video"):
                pad.add_probe(Gst.PadProbeType.BUFFER, first_of_480p)

        ladder.connect("pad-added", pad_added)
        bus = pipe.get_bus()
        pipe.set_state(Gst.State.PLAYING)
        try:
            with cond:
                self.assertTrue(cond.wait_for(
                    lambda: state["blocked"]
                    and state["made"] >= 2 * Gst.SECOND, BOUND),
                    "the ladder never made 3 s: %s" % state)
            ladder.set_property("renditions", "240p,480p")
            self.assertEqual(sorted(linked), ["audio_480p", "video_480p"])
            mux["bin"].sync_state_with_parent()
            vp.remove_probe(probe_id)
            msg = bus.timed_pop_filtered(BOUND * Gst.SECOND,
                                         Gst.MessageType.EOS
                                         | Gst.MessageType.ERROR)
            self.assertIsNotNone(msg, "no EOS within %d s" % BOUND)
            if msg.type == Gst.MessageType.ERROR:
                err, dbg = msg.parse_error()
                self.fail("%s (%s)" % (err.message, dbg))
        finally:
            pipe.set_state(Gst.State.NULL)

        probe = ffprobe_frames(out)
        gst = gst_frames(Gst.filename_to_uri(out))
        first = state["first"] / Gst.SECOND
        print("480p from %.3f s: ffprobe %s, GStreamer %s" % (first, probe,
                                                             gst))
        # joined where the ladder was, not from the start of the clip
        self.assertGreaterEqual(first, 2.0)
        self.assertLessEqual(first, 3.1)
        # and every frame from there to the end
        after = round((DURATION - first) * 30)
        self.assertGreaterEqual(probe["video"], after - 2)
        self.assertLessEqual(probe["video"], after + 2)
        self.assertGreaterEqual(gst["video"], after - 2)
        self.assertGreater(probe["audio"], 0)
        first = sh("ffprobe", "-v", "error", "-select_streams", "v:0",
                   "-show_entries", "frame=key_frame", "-read_intervals",
                   "%+#1", "-of", "csv=p=0", out).replace(",", " ").split()
        self.assertEqual(first[:1], ["1"], "the file starts on a delta frame")


@unittest.skipIf(MISSING, "missing: %s" % ", ".join(MISSING))
class NotNegotiated(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="ladder-notneg-")
        cls.clip = shared_clip()

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def test_impossible_caps_filter(self):
        for rendition in ("240p", "source"):
            with self.subTest(rendition=rendition):
                pipe = Gst.parse_launch(
                    "filesrc location=%s ! qtdemux ! h264parse ! ladder "
                    "name=l renditions=source,240p l.video_%s ! "
                    "video/x-h264,width=7 ! fakesink %s"
                    % (self.clip, rendition, "l.video_%s ! fakesink" %
                       ("source" if rendition == "240p" else "240p")))
                msg = play(pipe)
                self.assertIsNotNone(msg, "neither ERROR nor EOS within "
                                     "%d s" % BOUND)
                self.assertEqual(msg.type, Gst.MessageType.ERROR,
                                 "a quiet EOS, no ERROR")
                err, dbg = msg.parse_error()
                self.assertTrue(err.matches(Gst.CoreError.quark(),
                                            Gst.CoreError.NEGOTIATION), err)
                self.assertIn('rendition "%s"' % rendition, err.message)
                self.assertIn("width=(int)7", dbg)
                self.assertIn("video/x-h264", dbg)

    def test_input_without_caps_ends(self):
        """An input that ends before any caps: the outputs that were
        linked end too, instead of holding the muxer forever."""
        out = os.path.join(self.tmp, "empty.mp4")
        pipe = Gst.parse_launch(
            "appsrc name=src format=time ! ladder name=l renditions=240p "
            "l.video_240p ! mp4mux ! filesink location=%s" % out)
        pipe.get_by_name("src").emit("end-of-stream")
        msg = play(pipe, timeout=30)
        self.assertIsNotNone(msg, "no EOS within 30 s")
        self.assertEqual(msg.type, Gst.MessageType.EOS,
                         msg.parse_error() if msg.type ==
                         Gst.MessageType.ERROR else msg)


if __name__ == "__main__":
    res = unittest.main(exit=False, verbosity=2).result
    sys.exit(0 if res.wasSuccessful() else 1)
