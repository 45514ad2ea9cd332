#!/usr/bin/env python3
"""The ladder to HLS, end to end: a 10 s 1080p clip through the `ladder`
element with hls-location, checked with ffprobe; renditions added and removed
while it runs; ENDLIST after EOS; malicious names refused."""
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import unittest

import gi

gi.require_version("Gst", "1.0")
from gi.repository import GLib, Gst  # noqa: E402

Gst.init(None)

NEEDED = ["x264enc", "avdec_h264", "h264parse", "hlssink2", "avenc_aac",
          "aacparse", "mp4mux", "qtdemux", "ladder", "ladderhlssink"]
MISSING = [e for e in NEEDED if Gst.ElementFactory.find(e) is None]
if not shutil.which("ffprobe"):
    MISSING.append("ffprobe")

PROFILE_IDC = {"Baseline": 66, "Constrained Baseline": 66, "Main": 77,
               "Extended": 88, "High": 100, "High 10": 110}
FRAMES = 300
SIZES = {"720p": (1280, 720), "480p": (854, 480), "240p": (426, 240),
         "360p": (640, 360), "source": (1920, 1080)}


def make_clip(path):
    """10 s of 1080p30 H.264 with motion and noise, plus AAC: same bytes
    every run (deterministic sources and encoder settings)."""
    pipe = Gst.parse_launch(
        "videotestsrc num-buffers=%d pattern=ball motion=wavy "
        "! video/x-raw,width=1920,height=1080,framerate=30/1,format=I420 "
        "! x264enc speed-preset=ultrafast key-int-max=60 bframes=0 "
        "option-string=scenecut=0 bitrate=6000 threads=2 "
        "! h264parse ! mp4mux name=mux ! filesink location=%s "
        "audiotestsrc num-buffers=470 samplesperbuffer=1024 "
        "! audio/x-raw,rate=48000,channels=2 ! avenc_aac ! aacparse ! mux."
        % (FRAMES, path))
    run(pipe)


def run(pipe, on_message=None, timeout=300):
    """Plays @pipe to EOS; @on_message(pipe, msg) sees every message."""
    bus = pipe.get_bus()
    pipe.set_state(Gst.State.PLAYING)
    deadline = GLib.get_monotonic_time() + timeout * 1000000
    try:
        while True:
            left = deadline - GLib.get_monotonic_time()
            if left <= 0:
                raise AssertionError("pipeline did not reach EOS in %d s" % timeout)
            msg = bus.timed_pop(left * 1000)
            if msg is None:
                continue
            if on_message:
                on_message(pipe, msg)
            if msg.type == Gst.MessageType.ERROR:
                err, dbg = msg.parse_error()
                raise AssertionError("%s: %s (%s)" % (msg.src.get_name(), err.message, dbg))
            if msg.type == Gst.MessageType.EOS:
                return
    finally:
        pipe.set_state(Gst.State.NULL)


def ffprobe(path, *args):
    out = subprocess.run(["ffprobe", "-v", "error", "-of", "json", *args, path],
                         capture_output=True, text=True, check=True,
                         timeout=120).stdout
    return json.loads(out)


def master_entries(path):
    """[(attributes dict, uri)] of a multivariant playlist."""
    with open(path) as f:
        lines = f.read().splitlines()
    assert lines[0] == "#EXTM3U", lines[:1]
    entries = []
    for i, line in enumerate(lines):
        if line.startswith("#EXT-X-STREAM-INF:"):
            attrs = dict(re.findall(r'([A-Z-]+)=("[^"]*"|[^,]*)', line.split(":", 1)[1]))
            attrs = {k: v.strip('"') for k, v in attrs.items()}
            entries.append((attrs, lines[i + 1]))
    return entries


def media_segments(path):
    with open(path) as f:
        text = f.read()
    durations = [float(d) for d in re.findall(r"#EXTINF:([0-9.]+)", text)]
    files = [l for l in text.splitlines() if l and not l.startswith("#")]
    return durations, files, text


@unittest.skipIf(MISSING, "SKIP: missing %s" % ", ".join(MISSING))
class HlsLadder(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="ladder-hls-")
        cls.clip = os.path.join(cls.tmp, "clip.mp4")
        make_clip(cls.clip)

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def ladder_pipeline(self, out, renditions):
        return Gst.parse_launch(
            "filesrc location=%s ! qtdemux name=d "
            "ladder name=l renditions=%s hls-location=%s "
            "d.video_0 ! queue ! h264parse ! l.video "
            "d.audio_0 ! queue ! aacparse ! l.audio" % (self.clip, renditions, out))

    def test_ladder_to_hls(self):
        out = os.path.join(self.tmp, "full")
        run(self.ladder_pipeline(out, "720p,480p,240p,source"))

        entries = master_entries(os.path.join(out, "master.m3u8"))
        names = [uri.split("/")[0] for _, uri in entries]
        self.assertEqual(sorted(names), ["240p", "480p", "720p", "source"])
        bandwidths = [int(a["BANDWIDTH"]) for a, _ in entries]
        self.assertEqual(bandwidths, sorted(bandwidths, reverse=True))
        with open(os.path.join(out, "master.m3u8")) as f:
            self.assertIn("#EXT-X-INDEPENDENT-SEGMENTS", f.read())

        boundaries = {}
        for attrs, uri in entries:
            name = uri.split("/")[0]
            for key in ("BANDWIDTH", "AVERAGE-BANDWIDTH", "RESOLUTION",
                        "FRAME-RATE", "CODECS"):
                self.assertIn(key, attrs, "%s lacks %s" % (name, key))
            w, h = SIZES[name]
            self.assertEqual(attrs["RESOLUTION"], "%dx%d" % (w, h))
            self.assertAlmostEqual(float(attrs["FRAME-RATE"]), 30.0, places=2)

            playlist = os.path.join(out, uri)
            durations, files, text = media_segments(playlist)
            self.assertTrue(text.rstrip().endswith("#EXT-X-ENDLIST"), name)
            self.assertGreaterEqual(len(files), 4, name)
            boundaries[name] = [round(d, 2) for d in durations]

            frames = 0
            for seg in files:
                seg_path = os.path.join(os.path.dirname(playlist), seg)
                # every segment decodes on its own, without errors
                dec = subprocess.run(["ffmpeg", "-v", "error", "-i", seg_path,
                                      "-f", "null", "-"], capture_output=True, text=True,
                                     timeout=120)
                self.assertEqual(dec.returncode, 0, dec.stderr)
                self.assertEqual(dec.stderr.strip(), "", "%s: %s" % (seg, dec.stderr))
                info = ffprobe(seg_path, "-count_frames", "-show_streams")
                video = [s for s in info["streams"] if s["codec_type"] == "video"]
                audio = [s for s in info["streams"] if s["codec_type"] == "audio"]
                self.assertEqual(len(video), 1, seg)
                self.assertEqual(len(audio), 1, "%s carries no audio" % seg)
                v = video[0]
                self.assertEqual(v["codec_name"], "h264")
                self.assertEqual((v["width"], v["height"]), (w, h), seg)
                # x264 rungs say their chroma is centred (chroma-siting=centre)
                if name != "source":
                    self.assertEqual(v.get("chroma_location"), "center", seg)
                frames += int(v["nb_read_frames"])
                # CODECS names exactly this profile and level
                codecs = attrs["CODECS"].split(",")
                avc = [c for c in codecs if c.startswith("avc1.")]
                self.assertEqual(len(avc), 1, attrs["CODECS"])
                self.assertEqual(int(avc[0][5:7], 16), PROFILE_IDC[v["profile"]],
                                 "%s vs %s" % (avc[0], v["profile"]))
                self.assertEqual(int(avc[0][9:11], 16), int(v["level"]),
                                 "%s vs level %s" % (avc[0], v["level"]))
                self.assertIn("mp4a.40.2", codecs)
            self.assertEqual(frames, FRAMES, "%s: every frame, offline" % name)

        first = boundaries["source"]
        for name, b in boundaries.items():
            self.assertEqual(b, first, "segment boundaries of %s differ" % name)

    def test_add_and_remove_while_running(self):
        out = os.path.join(self.tmp, "edit")
        state = {"added": False, "removed": False, "segments": 0}

        def on_message(pipe, msg):
            s = msg.get_structure()
            if msg.type != Gst.MessageType.ELEMENT or s is None:
                return
            if s.get_name() == "splitmuxsink-fragment-closed":
                state["segments"] += 1
                ladder = pipe.get_by_name("l")
                if state["segments"] == 2 and not state["added"]:
                    self.assertTrue(ladder.emit("add-rendition", "360p"))
                    state["added"] = True
                elif state["segments"] == 4 and not state["removed"]:
                    self.assertTrue(ladder.emit("remove-rendition", "240p"))
                    state["removed"] = True
                    master = os.path.join(out, "master.m3u8")
                    uris = [u for _, u in master_entries(master)]
                    self.assertFalse(any(u.startswith("240p/") for u in uris), uris)

        run(self.ladder_pipeline(out, "480p,240p"), on_message)
        self.assertTrue(state["added"] and state["removed"])
        uris = [u for _, u in master_entries(os.path.join(out, "master.m3u8"))]
        self.assertIn("360p/index.m3u8", uris)
        self.assertIn("480p/index.m3u8", uris)
        self.assertNotIn("240p/index.m3u8", uris)
        # the removed rendition's files stay, its playlist ended
        _, files, text = media_segments(os.path.join(out, "240p", "index.m3u8"))
        self.assertTrue(files)
        self.assertTrue(text.rstrip().endswith("#EXT-X-ENDLIST"))
        _, files, text = media_segments(os.path.join(out, "360p", "index.m3u8"))
        self.assertTrue(files)
        self.assertTrue(text.rstrip().endswith("#EXT-X-ENDLIST"))

    def test_malicious_names_write_nothing_outside(self):
        base = os.path.join(self.tmp, "jail")
        os.makedirs(base)
        out = os.path.join(base, "out")
        before = set(os.listdir(self.tmp))

        # A bad ladder string is refused: the property keeps its value and
        # the element will not start, with an error that says why.
        bad_ladder = Gst.ElementFactory.make("ladder", None)
        bad_ladder.set_property("renditions", "480p")
        for bad in ("../evil:640x360@800", "a/b:640x360@800", "..", "EVIL"):
            bad_ladder.set_property("renditions", bad)
            self.assertEqual(bad_ladder.get_property("renditions"), "480p", bad)
        bad_ladder.set_property("hls-location", out)
        pipe = Gst.Pipeline()
        pipe.add(bad_ladder)
        self.assertEqual(pipe.set_state(Gst.State.READY),
                         Gst.StateChangeReturn.FAILURE)
        msg = pipe.get_bus().pop_filtered(Gst.MessageType.ERROR)
        self.assertIsNotNone(msg)
        err, _ = msg.parse_error()
        self.assertIn("EVIL", err.message)
        pipe.set_state(Gst.State.NULL)
        self.assertFalse(os.path.exists(out))

        # At runtime, bad rendition strings and names are refused and the
        # running ladder goes on untouched.
        pipe = self.ladder_pipeline(out, "480p")
        ladder = pipe.get_by_name("l")

        def on_message(p, msg):
            s = msg.get_structure()
            if msg.type == Gst.MessageType.ELEMENT and s is not None and \
               s.get_name() == "splitmuxsink-fragment-closed":
                if not getattr(on_message, "tried", False):
                    on_message.tried = True
                    for bad in ("../evil:640x360@800", "../../x", "a/b:640x360@800"):
                        self.assertFalse(ladder.emit("add-rendition", bad), bad)
                    self.assertFalse(ladder.emit("remove-rendition", "../480p"))

        run(pipe, on_message)
        self.assertTrue(getattr(on_message, "tried", False))
        self.assertEqual(set(os.listdir(self.tmp)), before)
        self.assertEqual(sorted(os.listdir(base)), ["out"])
        self.assertEqual(sorted(os.listdir(out)), ["480p", "master.m3u8"])
        _, files, text = media_segments(os.path.join(out, "480p", "index.m3u8"))
        self.assertTrue(files)
        self.assertTrue(text.rstrip().endswith("#EXT-X-ENDLIST"))


if __name__ == "__main__":
    result = unittest.main(exit=False, verbosity=2).result
    run_ = result.testsRun - len(result.skipped)
    failed = len(result.failures) + len(result.errors)
    print("%d passed, %d failed, %d skipped" % (run_ - failed, failed, len(result.skipped)))
    sys.exit(1 if failed or result.testsRun == 0 else 0)
