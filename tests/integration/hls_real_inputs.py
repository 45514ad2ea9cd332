#!/usr/bin/env python3
"""The HLS ladder with the inputs publishers really send, checked for what
players need: a 10 s 1080p30 H.264 + AAC mp4 with B-frames (avc,
codec_data only), the same as FLV (as an RTMP publisher sends it), and a
byte-stream with SPS/PPS sent once in MPEG-TS (as an SRT encoder sends it). Each goes through `ladder` with a
passthrough `source` rung and three transcoded rungs, to HLS. Every variant
must cut at the same timestamps, list the whole clip, have segments that
decode alone and start on a keyframe, and a BANDWIDTH within 1.5x its
AVERAGE-BANDWIDTH."""
import os
import re
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

Gst.init(None)

NEEDED = ["qtdemux", "flvdemux", "h264parse", "aacparse", "avdec_h264",
          "x264enc", "hlssink2", "ladder", "ladderhlssink"]
MISSING = [e for e in NEEDED if Gst.ElementFactory.find(e) is None]
for tool in ("ffmpeg", "ffprobe"):
    if not shutil.which(tool):
        MISSING.append(tool)

RENDITIONS = ["source", "720p", "480p", "240p"]
DURATION = 10.0
FRAME = 1 / 30


def sh(*args, timeout=300):
    return subprocess.run(args, check=True, capture_output=True, text=True,
                          timeout=timeout).stdout


def make_inputs(folder):
    """The three inputs, made once by FFmpeg's libx264 as an encoder of a
    publisher would: B-frames, a 2 s GOP, no scene-cut keyframes."""
    mp4 = os.path.join(folder, "bframes.mp4")
    sh("ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i",
       "testsrc2=size=1920x1080:rate=30", "-f", "lavfi", "-i",
       "sine=frequency=440:sample_rate=48000", "-t", str(DURATION),
       "-c:v", "libx264", "-preset", "veryfast", "-bf", "2", "-g", "60",
       "-keyint_min", "60", "-sc_threshold", "0", "-b:v", "6M", "-maxrate",
       "6M", "-bufsize", "6M", "-pix_fmt", "yuv420p", "-c:a", "aac", "-b:a",
       "128k", mp4)
    flv = os.path.join(folder, "publisher.flv")
    sh("ffmpeg", "-v", "error", "-y", "-i", mp4, "-c", "copy", flv)
    # MPEG-TS as an SRT encoder sends it: byte-stream with the parameter
    # sets once, at the start (the elementary stream is kept to count them)
    es = os.path.join(folder, "sps-once.h264")
    ts = os.path.join(folder, "sps-once.ts")
    pipe = Gst.parse_launch(
        "filesrc location=%s ! qtdemux name=d d.video_0 ! h264parse "
        "config-interval=0 ! video/x-h264,stream-format=byte-stream,"
        "alignment=au ! tee name=t t. ! queue ! filesink location=%s "
        "t. ! queue ! mpegtsmux name=mux ! filesink location=%s "
        "d.audio_0 ! queue ! aacparse ! mux." % (mp4, es, ts))
    run(pipe)
    with open(es, "rb") as f:
        data = f.read()
    sps = len(re.findall(b"\x00\x00\x01[\x27\x47\x67]", data))
    assert sps == 1, "the byte-stream input has %d SPS, wanted 1" % sps
    return {"mp4": mp4, "flv": flv, "ts": ts}


def run(pipe, timeout=300):
    """Plays @pipe to EOS, failing on an ERROR or after @timeout s."""
    bus = pipe.get_bus()
    pipe.set_state(Gst.State.PLAYING)
    try:
        msg = bus.timed_pop_filtered(timeout * Gst.SECOND,
                                     Gst.MessageType.EOS | Gst.MessageType.ERROR)
        if msg is None:
            raise AssertionError("no EOS within %d s" % timeout)
        if msg.type == Gst.MessageType.ERROR:
            err, dbg = msg.parse_error()
            raise AssertionError("%s: %s (%s)" % (msg.src.get_name(),
                                                  err.message, dbg))
    finally:
        pipe.set_state(Gst.State.NULL)


def ladder_line(kind, path, out):
    ladder = ("ladder name=l renditions=%s hls-location=%s "
              "hls-playlist-type=vod" % (",".join(RENDITIONS), out))
    if kind == "mp4":
        return ("filesrc location=%s ! qtdemux name=d d.video_0 ! h264parse "
                "! %s d.audio_0 ! queue ! aacparse ! l.audio" % (path, ladder))
    if kind == "flv":
        return ("filesrc location=%s ! flvdemux name=d d.video ! h264parse "
                "! %s d.audio ! queue ! aacparse ! l.audio" % (path, ladder))
    return ("filesrc location=%s ! tsdemux name=d d. ! h264parse ! %s "
            "d. ! queue ! aacparse ! l.audio" % (path, ladder))


def parse_media(text):
    """A media playlist: its tags, and its segments as dicts (duration, uri,
    pdt, sequence)"""
    lines = text.splitlines()
    tags = {}
    segs = []
    pdt = None
    for i, line in enumerate(lines):
        if line.startswith("#EXT-X-PROGRAM-DATE-TIME:"):
            pdt = line.split(":", 1)[1]
        elif line.startswith("#EXTINF:"):
            segs.append({"duration": float(line[8:].split(",")[0]),
                         "uri": lines[i + 1], "pdt": pdt})
            pdt = None
        elif line.startswith("#EXT") and ":" in line:
            tags.setdefault(line.split(":", 1)[0], line.split(":", 1)[1])
        elif line.startswith("#EXT"):
            tags[line] = True
    first = int(tags.get("#EXT-X-MEDIA-SEQUENCE", 0))
    for n, seg in enumerate(segs):
        seg["sequence"] = first + n
    return tags, segs


def apple_rules(test, name, text, live, window=6):
    """The playlist rules of Apple's HLS authoring specification that
    players check, each a named subtest."""
    tags, segs = parse_media(text)
    target = int(tags["#EXT-X-TARGETDURATION"])
    with test.subTest(rule="EXTINF <= TARGETDURATION + 0.5", playlist=name):
        for seg in segs:
            test.assertLessEqual(seg["duration"], target + 0.5, seg)
            test.assertLessEqual(round(seg["duration"]), target, seg)
    with test.subTest(rule="DISCONTINUITY-SEQUENCE written", playlist=name):
        test.assertIn("#EXT-X-DISCONTINUITY-SEQUENCE", tags)
    if live:
        with test.subTest(rule="PROGRAM-DATE-TIME on live segments",
                          playlist=name):
            test.assertTrue(all(seg["pdt"] for seg in segs), text)
        with test.subTest(rule="live window >= 6 segments", playlist=name):
            if "#EXT-X-ENDLIST" not in tags and (
                    segs and segs[0]["sequence"] > 0):
                test.assertGreaterEqual(len(segs), window, text)
    return tags, segs


def media_playlist(path):
    """[(duration, uri)] of an ended media playlist"""
    with open(path) as f:
        lines = f.read().splitlines()
    assert lines[-1] == "#EXT-X-ENDLIST", "%s is not ended" % path
    out = []
    for i, line in enumerate(lines):
        if line.startswith("#EXTINF:"):
            out.append((float(line[8:].split(",")[0]), lines[i + 1]))
    return out


def first_video_frame(ts):
    """(pts, key) of the first video frame of a segment read alone"""
    out = sh("ffprobe", "-v", "error", "-select_streams", "v:0",
             "-read_intervals", "%+#1", "-show_entries",
             "frame=pts_time,key_frame", "-of", "csv=p=0", ts)
    key, pts = out.splitlines()[0].split(",")[:2]
    return float(pts), key == "1"


def decode_errors(ts):
    res = subprocess.run(["ffmpeg", "-v", "error", "-i", ts, "-f", "null",
                          "-"], capture_output=True, text=True, timeout=120)
    return res.returncode, res.stderr.strip()


def master_bandwidths(path):
    with open(path) as f:
        text = f.read()
    out = {}
    for m in re.finditer(r"#EXT-X-STREAM-INF:(.*)\n(.*)/", text):
        attrs = dict(re.findall(r"([A-Z-]+)=(\"[^\"]*\"|[^,]*)", m.group(1)))
        out[m.group(2)] = (int(attrs["BANDWIDTH"]),
                           int(attrs["AVERAGE-BANDWIDTH"]))
    return out


@unittest.skipIf(MISSING, "missing: %s" % ", ".join(MISSING))
class RealInputs(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="ladder-real-")
        cls.inputs = make_inputs(cls.tmp)

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def check_ladder(self, kind):
        out = os.path.join(self.tmp, "hls-" + kind)
        run(Gst.parse_launch(ladder_line(kind, self.inputs[kind], out)))
        lists = {r: media_playlist(os.path.join(out, r, "index.m3u8"))
                 for r in RENDITIONS}
        pdts = {}
        for r in RENDITIONS:
            with open(os.path.join(out, r, "index.m3u8")) as f:
                tags, segs = apple_rules(self, r, f.read(), live=False)
            with self.subTest(check="PLAYLIST-TYPE:VOD", rendition=r):
                self.assertEqual(tags.get("#EXT-X-PLAYLIST-TYPE"), "VOD")
            pdts[r] = [seg["pdt"] for seg in segs]
        for r in RENDITIONS[1:]:
            with self.subTest(check="same PROGRAM-DATE-TIME per cut",
                              rendition=r):
                self.assertEqual(pdts[r], pdts["source"])
        starts = {}
        for r, segs in lists.items():
            total = sum(d for d, _ in segs)
            with self.subTest(check="whole clip listed", rendition=r):
                self.assertLess(abs(total - DURATION), 0.15,
                                "%s lists %.3f s of %.1f" % (r, total,
                                                            DURATION))
            starts[r] = []
            for d, uri in segs:
                ts = os.path.join(out, r, uri)
                code, err = decode_errors(ts)
                with self.subTest(check="segment decodes alone", segment=ts):
                    self.assertEqual((code, err), (0, ""))
                pts, key = first_video_frame(ts)
                with self.subTest(check="segment starts on a keyframe",
                                  segment=ts):
                    self.assertTrue(key)
                starts[r].append(pts)
        ref = starts["source"]
        for r in RENDITIONS[1:]:
            with self.subTest(check="same boundaries as source", rendition=r):
                self.assertEqual(len(starts[r]), len(ref),
                                 "%s: %s vs source %s" % (r, starts[r], ref))
                for a, b in zip(starts[r], ref):
                    self.assertLess(abs(a - b), FRAME / 2,
                                    "%s: %s vs source %s" % (r, starts[r], ref))
            with self.subTest(check="same EXTINF as source", rendition=r):
                self.assertEqual([round(d, 3) for d, _ in lists[r]],
                                 [round(d, 3) for d, _ in lists["source"]])
        with open(os.path.join(out, "master.m3u8")) as f:
            master = f.read()
        with self.subTest(check="INDEPENDENT-SEGMENTS, true"):
            self.assertIn("#EXT-X-INDEPENDENT-SEGMENTS\n", master)
        for r, (peak, avg) in master_bandwidths(
                os.path.join(out, "master.m3u8")).items():
            with self.subTest(check="BANDWIDTH <= 1.5 AVERAGE", rendition=r):
                self.assertLessEqual(peak, 1.5 * avg, "%s: %d vs %d" % (
                    r, peak, avg))

    def test_mp4_bframes(self):
        self.check_ladder("mp4")

    def test_flv_publisher(self):
        self.check_ladder("flv")

    def test_bytestream_sps_once(self):
        self.check_ladder("ts")

    def test_not_independent_not_said(self):
        """ladderhlssink alone, given the SPS once: its segments after the
        first do not decode alone, and no playlist says they do."""
        out = os.path.join(self.tmp, "hls-sps-once-alone")
        run(Gst.parse_launch(
            "ladderhlssink name=hls location=%s playlist-type=vod "
            "filesrc location=%s ! tsdemux ! h264parse ! hls.video_v"
            % (out, self.inputs["ts"])))
        for name in ("master.m3u8", os.path.join("v", "index.m3u8")):
            with open(os.path.join(out, name)) as f:
                text = f.read()
            self.assertNotIn("#EXT-X-INDEPENDENT-SEGMENTS", text, name)


@unittest.skipIf(MISSING, "missing: %s" % ", ".join(MISSING))
class LivePlaylists(unittest.TestCase):
    """A live ladder (1 s segments) read while it runs: every read of every
    media playlist keeps the rules, and the same cut has the same
    PROGRAM-DATE-TIME in every variant. Ctrl-C ends every playlist."""

    def test_live_rules(self):
        out = tempfile.mkdtemp(prefix="ladder-live-")
        self.addCleanup(shutil.rmtree, out, True)
        line = ("gst-launch-1.0 -e ladder name=l renditions=source,240p "
                "hls-location=%s hls-target-duration=1 videotestsrc "
                "is-live=true ! video/x-raw,width=640,height=360,"
                "framerate=30/1 ! x264enc tune=zerolatency speed-preset="
                "ultrafast key-int-max=30 ! h264parse ! l.video "
                "audiotestsrc is-live=true ! avenc_aac ! aacparse ! l.audio"
                % out)
        proc = subprocess.Popen(line.split(), stdout=subprocess.DEVNULL,
                                stderr=subprocess.PIPE, text=True)
        self.addCleanup(proc.kill)
        reads = 0
        seen = {}
        deadline = time.monotonic() + 60
        longest = 0
        while time.monotonic() < deadline and longest < 9:
            time.sleep(0.3)
            for r in ("source", "240p"):
                path = os.path.join(out, r, "index.m3u8")
                if not os.path.exists(path):
                    continue
                with open(path) as f:
                    text = f.read()
                reads += 1
                _, segs = apple_rules(self, r, text, live=True)
                for seg in segs:
                    seen.setdefault(seg["sequence"], {})[r] = seg["pdt"]
                if segs:
                    longest = max(longest, segs[-1]["sequence"] + 1)
        self.assertGreaterEqual(longest, 9, "the live ladder wrote %d "
                                "segments in 60 s" % longest)
        proc.send_signal(signal.SIGINT)
        try:
            _, err = proc.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            self.fail("the live ladder did not end within 30 s of Ctrl-C")
        self.assertEqual(proc.returncode, 0, err[-2000:])
        for r in ("source", "240p"):
            with open(os.path.join(out, r, "index.m3u8")) as f:
                text = f.read()
            self.assertTrue(text.endswith("#EXT-X-ENDLIST\n"), text)
        both = [s for s, v in seen.items() if len(v) == 2]
        self.assertGreater(len(both), 5)
        with self.subTest(rule="same PROGRAM-DATE-TIME in every variant"):
            for s in both:
                self.assertEqual(seen[s]["source"], seen[s]["240p"],
                                 "segment %d" % s)
        print("%d playlist reads" % reads)


if __name__ == "__main__":
    res = unittest.main(exit=False, verbosity=2).result
    sys.exit(0 if res.wasSuccessful() else 1)
