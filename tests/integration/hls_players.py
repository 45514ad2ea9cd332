#!/usr/bin/env python3
"""The ladder's HLS in real players (tests/integration/hlsplayers.py).

A 10 s 1080p30 H.264 + AAC clip through `ladder renditions=720p,480p,240p,
source hls-location=...` (VOD: every segment listed), then:
  - FFmpeg on every segment alone: decodes without error, starts with a
    keyframe, every frame there, EXTINF matches the timestamps, segment
    boundaries the same in every rendition;
  - GStreamer's hlsdemux (uridecodebin) plays each variant to EOS;
  - hls.js 1.6 in headless Chromium plays each level, locked, to its end.
Two encodings of the clip: VodRegularGops, 2 s GOPs exactly (x264
ultrafast, no scene cuts, as hls_ladder.py and scripts/run-ladder.sh feed
the ladder), and VodEncoderDefaults, `x264enc key-int-max=60` otherwise as
x264 likes it (scene-cut keyframes, B-frames: the docs/ladder.md HLS line).
Then the same ladder live: hls.js joins each level at the live edge, and EOS
(SIGINT to gst-launch-1.0 -e) ends every media playlist with ENDLIST.

The VOD inputs: two videotestsrc clips (regular GOPs, and x264enc's
defaults with scene cuts and B-frames), and the files publishers send
(hls_real_inputs.py): a B-frame mp4, the same as FLV, SPS-once MPEG-TS,
each a file job with hls-playlist-type=vod. The live input is the README's
main job, scripts/run-ladder.sh, read while it runs for the playlist rules
and stopped with Ctrl-C.

Exit 0: all passed; 1: something failed; 77 (meson's skip): nothing failed
but something could not run here (hls.js without chromium, node or
tests/players/node_modules: scripts/install-deps.sh installs them), and the
reason is printed. LADDER_KEEP_HLS=1 keeps the HLS folders and prints where.
"""
import atexit
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import unittest

import gi

gi.require_version("Gst", "1.0")
from gi.repository import Gst  # noqa: E402

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import hlsplayers  # noqa: E402
import hls_real_inputs  # noqa: E402

Gst.init(None)

NEEDED = ["videotestsrc", "audiotestsrc", "x264enc", "h264parse", "avenc_aac",
          "aacparse", "hlssink2", "ladder", "ladderhlssink", "uridecodebin",
          "hlsdemux", "tsdemux", "avdec_h264", "fakesink"]
MISSING = [e for e in NEEDED if Gst.ElementFactory.find(e) is None]
MISSING += [t for t in ("ffprobe", "ffmpeg", "gst-launch-1.0") if not shutil.which(t)]
HLSJS_UNAVAILABLE = hlsplayers.hlsjs_unavailable()

RENDITIONS = "720p,480p,240p,source"
FRAMES = 300            # 10 s at 30 fps
LIVE_SECONDS_MAX = 240  # the live sources stop by themselves after this
KEEP = os.environ.get("LADDER_KEEP_HLS") == "1"


# The encoders of the input (x264enc with key-int-max=60: 2 s at 30 fps)
REGULAR_GOPS = ("x264enc speed-preset=ultrafast tune=zerolatency key-int-max=60 bframes=0 "
                "option-string=scenecut=0 bitrate=6000 threads=2")
ENCODER_DEFAULTS = "x264enc speed-preset=veryfast key-int-max=60 bitrate=6000 threads=2"


def ladder_line(out, live, frames, encoder, extra=""):
    """The gst-launch-1.0 line: a 1920x1080 30 fps moving picture encoded
    by @encoder and an AAC tone into the ladder, written as HLS into @out."""
    is_live = "true" if live else "false"
    audio_buffers = frames * 48000 // 30 // 1024 + 1
    return (
        "ladder name=l renditions=%s hls-location=%s %s "
        "videotestsrc is-live=%s num-buffers=%d pattern=ball motion=wavy "
        "! video/x-raw,width=1920,height=1080,framerate=30/1,format=I420 "
        "! %s ! h264parse ! l.video "
        "audiotestsrc is-live=%s num-buffers=%d samplesperbuffer=1024 "
        "! audio/x-raw,rate=48000,channels=2 ! avenc_aac ! aacparse ! l.audio"
        % (RENDITIONS, out, extra, is_live, frames, encoder, is_live, audio_buffers))


def make_tmp(prefix):
    path = tempfile.mkdtemp(prefix=prefix)
    if KEEP:
        print("LADDER_KEEP_HLS: %s is kept" % path, flush=True)
    return path


class VodChecks:
    """The ladder's VOD output of ENCODER's clip in every player."""
    ENCODER = None

    @classmethod
    def line(cls, out):
        return ladder_line(out, False, FRAMES, cls.ENCODER,
                           "hls-playlist-type=vod")

    @classmethod
    def setUpClass(cls):
        cls.tmp = make_tmp("ladder-players-%s-" % cls.__name__)
        cls.out = os.path.join(cls.tmp, "hls")
        try:
            # every segment listed and kept: a complete VOD playlist
            hls_real_inputs.run(Gst.parse_launch(cls.line(cls.out)))
            cls.variants = hlsplayers.master_variants(os.path.join(cls.out, "master.m3u8"))
        except Exception:
            cls.tearDownClass()
            raise

    @classmethod
    def tearDownClass(cls):
        if not KEEP:
            shutil.rmtree(cls.tmp, ignore_errors=True)

    def test_0_master(self):
        names = sorted(uri.split("/")[0] for _, uri in self.variants)
        self.assertEqual(names, sorted(RENDITIONS.split(",")))
        for _, uri in self.variants:
            pl = hlsplayers.media_playlist(os.path.join(self.out, uri))
            self.assertTrue(pl["endlist"], uri)
            self.assertGreaterEqual(len(pl["segments"]), 5, uri)

    def test_ffprobe_segments(self):
        result = hlsplayers.ffprobe_segments(self.out, timeout=60, align_tolerance=0.5 / 30)
        report = hlsplayers.format_ffprobe(result)
        print(report, flush=True)
        for uri, segs in result["variants"].items():
            self.assertEqual(sum(s["video_frames"] for s in segs), FRAMES,
                             "%s: video frames in its segments\n%s" % (uri, report))
        self.assertTrue(result["ok"], "\n" + report)

    def test_hlsdemux(self):
        result = hlsplayers.hlsdemux_play(os.path.join(self.out, "master.m3u8"), timeout=120)
        print(hlsplayers.format_hlsdemux(result), flush=True)
        self.assertTrue(result["ok"], "\n" + hlsplayers.format_hlsdemux(result))
        for uri, v in result["variants"].items():
            self.assertEqual(v["video_frames"], FRAMES, "%s: decoded video frames" % uri)

    def test_hlsjs_vod(self):
        if HLSJS_UNAVAILABLE:
            self.skipTest("hls.js: " + HLSJS_UNAVAILABLE)
        result = hlsplayers.hlsjs_play(self.out, mode="vod", timeout=300)
        report = hlsplayers.format_hlsjs(result)
        print(report, flush=True)
        self.assertTrue(result["ok"], "\n" + report)


@unittest.skipIf(MISSING, "SKIP: missing %s" % ", ".join(MISSING))
class VodRegularGops(VodChecks, unittest.TestCase):
    ENCODER = REGULAR_GOPS


@unittest.skipIf(MISSING, "SKIP: missing %s" % ", ".join(MISSING))
class VodEncoderDefaults(VodChecks, unittest.TestCase):
    ENCODER = ENCODER_DEFAULTS


# The inputs publishers send (hls_real_inputs.py): made once, by FFmpeg
INPUTS = {}


def real_input(kind):
    if not INPUTS:
        folder = make_tmp("ladder-players-inputs-")
        if not KEEP:
            atexit.register(shutil.rmtree, folder, True)
        INPUTS["folder"] = folder
        INPUTS.update(hls_real_inputs.make_inputs(folder))
    return INPUTS[kind]


class VodFile(VodChecks):
    """A file job: the input demuxed and parsed into the ladder, vod."""
    KIND = None

    @classmethod
    def line(cls, out):
        return hls_real_inputs.ladder_line(cls.KIND, real_input(cls.KIND), out)


@unittest.skipIf(MISSING + hls_real_inputs.MISSING, "SKIP: missing %s"
                 % ", ".join(MISSING + hls_real_inputs.MISSING))
class VodBframesMp4(VodFile, unittest.TestCase):
    KIND = "mp4"


@unittest.skipIf(MISSING + hls_real_inputs.MISSING, "SKIP: missing %s"
                 % ", ".join(MISSING + hls_real_inputs.MISSING))
class VodPublisherFlv(VodFile, unittest.TestCase):
    KIND = "flv"


@unittest.skipIf(MISSING + hls_real_inputs.MISSING, "SKIP: missing %s"
                 % ", ".join(MISSING + hls_real_inputs.MISSING))
class VodSpsOnceTs(VodFile, unittest.TestCase):
    KIND = "ts"


@unittest.skipIf(MISSING, "SKIP: missing %s" % ", ".join(MISSING))
class Live(unittest.TestCase):
    """The README's main job (scripts/run-ladder.sh: a live 1080p30 source
    to 720p, 480p, 240p and source), in the background: its media
    playlists read while it runs keep the playlist rules, hls.js joins the
    live edge on every level, then Ctrl-C (SIGINT to its process group, as
    a terminal sends it) ends every media playlist."""

    @classmethod
    def setUpClass(cls):
        cls.tmp = make_tmp("ladder-players-live-")
        cls.out = os.path.join(cls.tmp, "hls")
        cls.log_path = os.path.join(cls.tmp, "gst-launch.log")
        cls.log = open(cls.log_path, "w")
        root = os.environ.get("LADDER_SOURCE_ROOT", os.path.dirname(
            os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
        env = dict(os.environ, OUT=cls.out, DURATION="0")
        if os.environ.get("LADDER_BUILD_ROOT"):
            env["BUILD_DIR"] = os.environ["LADDER_BUILD_ROOT"]
        cls.proc = subprocess.Popen(
            [os.path.join(root, "scripts", "run-ladder.sh")], env=env,
            stdin=subprocess.DEVNULL, stdout=cls.log, stderr=subprocess.STDOUT,
            start_new_session=True)
        try:
            cls.wait_segments(3, timeout=90)
        except Exception:
            cls.tearDownClass()
            raise

    @classmethod
    def log_tail(cls):
        cls.log.flush()
        with open(cls.log_path, errors="replace") as f:
            return "".join(f.readlines()[-25:])

    @classmethod
    def wait_segments(cls, count, timeout):
        """Until the master lists every rendition and each media playlist
        lists @count segments: polls, bounded by @timeout s."""
        master = os.path.join(cls.out, "master.m3u8")
        deadline = time.monotonic() + timeout
        state = "no master playlist"
        while time.monotonic() < deadline:
            if cls.proc.poll() is not None:
                raise AssertionError("the live ladder exited (%s) while starting:\n%s"
                                     % (cls.proc.returncode, cls.log_tail()))
            if os.path.exists(master):
                uris = [u for _, u in hlsplayers.master_variants(master)]
                counts = {}
                for uri in uris:
                    try:
                        counts[uri] = len(hlsplayers.media_playlist(os.path.join(cls.out, uri))["segments"])
                    except OSError:
                        counts[uri] = 0
                state = "segments listed: %s" % counts
                if len(uris) == len(RENDITIONS.split(",")) and all(c >= count for c in counts.values()):
                    print("live ladder ready: %s" % state, flush=True)
                    return
            time.sleep(0.25)
        raise AssertionError("live ladder: not %d segments in every media playlist after %d s (%s)\n%s"
                             % (count, timeout, state, cls.log_tail()))

    @classmethod
    def stop(cls, timeout=60):
        """EOS through gst-launch-1.0 -e (SIGINT), bounded; then SIGKILL.
        Returns gst-launch-1.0's exit code, None when it had to be killed."""
        code = cls.proc.poll()
        if code is None:
            os.killpg(cls.proc.pid, signal.SIGINT)
            try:
                code = cls.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                os.killpg(cls.proc.pid, signal.SIGKILL)
                cls.proc.wait(10)
                code = None
        cls.log.flush()
        return code

    @classmethod
    def tearDownClass(cls):
        cls.stop()
        cls.log.close()
        if not KEEP:
            shutil.rmtree(cls.tmp, ignore_errors=True)

    def test_0_rules_while_running(self):
        """Every read of every media playlist, until each window has slid,
        keeps the rules of Apple's HLS authoring specification."""
        deadline = time.monotonic() + 120
        slid, reads, pdts = set(), 0, {}
        uris = [u for _, u in hlsplayers.master_variants(
            os.path.join(self.out, "master.m3u8"))]
        while time.monotonic() < deadline and len(slid) < len(uris):
            self.assertIsNone(self.proc.poll(), "the main job stopped:\n"
                              + self.log_tail())
            for uri in uris:
                with open(os.path.join(self.out, uri)) as f:
                    text = f.read()
                reads += 1
                _, segs = hls_real_inputs.apple_rules(self, uri, text,
                                                      live=True)
                for seg in segs:
                    pdts.setdefault(seg["sequence"], {})[uri] = seg["pdt"]
                if segs and segs[0]["sequence"] > 0:
                    slid.add(uri)
            time.sleep(0.5)
        self.assertEqual(len(slid), len(uris), "the live windows did not "
                         "slide within 120 s")
        print("%d reads of the live media playlists kept the rules" % reads)
        with self.subTest(rule="same PROGRAM-DATE-TIME in every variant"):
            common = [q for q, v in pdts.items() if len(v) == len(uris)]
            self.assertGreater(len(common), 3)
            for q in common:
                self.assertEqual(len(set(pdts[q].values())), 1,
                                 "segment %d: %s" % (q, pdts[q]))

    def test_1_hlsjs_live(self):
        if HLSJS_UNAVAILABLE:
            self.skipTest("hls.js: " + HLSJS_UNAVAILABLE)
        self.assertIsNone(self.proc.poll(), "the live ladder has stopped:\n" + self.log_tail())
        result = hlsplayers.hlsjs_play(self.out, mode="live", timeout=240)
        report = hlsplayers.format_hlsjs(result)
        print(report, flush=True)
        self.assertTrue(result["ok"], "\n" + report)
        self.assertIsNone(self.proc.poll(), "the live ladder stopped while played:\n" + self.log_tail())

    def test_2_eos_ends_every_playlist(self):
        self.assertIsNone(self.proc.poll(), "the live ladder stopped before EOS:\n" + self.log_tail())
        code = self.stop()
        self.assertIsNotNone(code, "gst-launch-1.0 -e did not finish within 60 s of SIGINT:\n"
                             + self.log_tail())
        self.assertEqual(code, 0, "gst-launch-1.0 -e exited %s:\n%s" % (code, self.log_tail()))
        self.assertIn("EOS", self.log_tail())
        self.assertIn("master playlist:", self.log_tail())
        variants = hlsplayers.master_variants(os.path.join(self.out, "master.m3u8"))
        self.assertEqual(len(variants), len(RENDITIONS.split(",")))
        for _, uri in variants:
            pl = hlsplayers.media_playlist(os.path.join(self.out, uri))
            self.assertTrue(pl["text"].rstrip().endswith("#EXT-X-ENDLIST"),
                            "%s does not end with #EXT-X-ENDLIST:\n%s" % (uri, pl["text"][-300:]))
        # the segments still listed: each decodes alone, starts on a
        # keyframe, at the same time in every variant
        result = hlsplayers.ffprobe_segments(self.out, timeout=60,
                                             align_tolerance=0.5 / 30)
        report = hlsplayers.format_ffprobe(result)
        print(report, flush=True)
        self.assertTrue(result["ok"], "\n" + report)
        for uri, (peak, avg) in hls_real_inputs.master_bandwidths(
                os.path.join(self.out, "master.m3u8")).items():
            with self.subTest(check="BANDWIDTH <= 1.5 AVERAGE", variant=uri):
                self.assertLessEqual(peak, 1.5 * avg, "%d vs %d" % (peak, avg))
        # and GStreamer's hlsdemux plays what the ended playlists list, on
        # every variant, to the end
        result = hlsplayers.hlsdemux_play(os.path.join(self.out, "master.m3u8"),
                                          timeout=120)
        print(hlsplayers.format_hlsdemux(result), flush=True)
        self.assertTrue(result["ok"], "\n" + hlsplayers.format_hlsdemux(result))
        for uri, v in result["variants"].items():
            self.assertGreater(v["video_frames"], 0, "%s: decoded video frames" % uri)


if __name__ == "__main__":
    if HLSJS_UNAVAILABLE:
        print("SKIP hls.js: %s" % HLSJS_UNAVAILABLE, flush=True)
    result = unittest.main(exit=False, verbosity=2).result
    run_ = result.testsRun - len(result.skipped)
    failed = len(result.failures) + len(result.errors)
    print("%d passed, %d failed, %d skipped" % (run_ - failed, failed, len(result.skipped)))
    if failed or result.testsRun == 0:
        sys.exit(1)
    if result.skipped:
        for test, reason in result.skipped:
            print("SKIPPED %s: %s" % (test.id(), reason))
        sys.exit(77)
    sys.exit(0)
