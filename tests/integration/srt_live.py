#!/usr/bin/env python3
"""A live SRT input, on loopback: the transcoded 240p rung must put its
frames on the grid of its frame rate, whatever the jitter of the input.

A sender (gst-launch-1.0: live videotestsrc, x264enc, mpegtsmux, srtsink in
listener mode) and a receiver (srtsrc caller ! tsdemux ! h264parse ! ladder
renditions=240p) on a random free port. tsdemux behind srtsrc recovers the
sender's clock from PCR and arrival times: its PTS move by tens of
milliseconds, the first seconds most (the sender's backlog arrives in a
burst when the receiver connects), sometimes backwards. The rung must not
pass that on:

- src-pad mode (l.video_240p ! fakesink, a probe on the fakesink): every
  output frame is one frame duration after the one before, to the
  nanosecond rounding of the caps framerate (33333333 or 33333334 ns at
  30/1, no drift), PTS and DTS;
- HLS mode (hls-location): in every segment, ffprobe's packets are one
  frame duration apart at 90 kHz (3000 ticks at 30 fps), and
  `ffmpeg -v warning -i index.m3u8 -f null -` prints no timestamp warning
  ("non monotonically increasing dts").

Skipped (exit code 77) without srtsrc/srtsink or another element or tool
it needs. Every wait is bounded and fails with a message.

Run alone: GST_PLUGIN_PATH=<build>/gst/elements python3 srt_live.py
(a python with PyGObject, /usr/bin/python3 on Debian).
"""
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import unittest

SKIP = 77

try:
    import gi

    gi.require_version("Gst", "1.0")
    from gi.repository import Gst  # noqa: E402
except (ImportError, ValueError) as e:
    print("SKIP: PyGObject with GStreamer is missing (%s)" % e,
          file=sys.stderr)
    sys.exit(SKIP)

Gst.init(None)

if Gst.ElementFactory.find("srtsrc") is None or \
        Gst.ElementFactory.find("srtsink") is None:
    print("SKIP: srtsrc/srtsink are missing (gst-plugins-bad built with "
          "libsrt, Debian package gstreamer1.0-plugins-bad)", file=sys.stderr)
    sys.exit(SKIP)

NEEDED = ["videotestsrc", "x264enc", "h264parse", "mpegtsmux", "tsdemux",
          "avdec_h264", "fakesink", "hlssink2", "ladder", "ladderhlssink"]
MISSING = [e for e in NEEDED if Gst.ElementFactory.find(e) is None]
MISSING += [t for t in ("gst-launch-1.0", "ffprobe", "ffmpeg")
            if shutil.which(t) is None]
if MISSING:
    print("SKIP: missing %s" % ", ".join(MISSING), file=sys.stderr)
    sys.exit(SKIP)

# the declared frame rate of the 240p rung: the source's (240p sets none)
FPS_N, FPS_D = 30, 1
# frames the receiver collects; the first seconds are where tsdemux's
# timestamps are worst
WANT_FRAMES = 240
# bounds of every wait, in seconds
SENDER_LIFETIME = 300           # the sender dies then, even orphaned
CONNECT_TIMEOUT = 30
COLLECT_TIMEOUT = 90
EOS_TIMEOUT = 30
TOOL_TIMEOUT = 120

# Sender: live 720p30 H.264 in MPEG-TS, the input of the report
# (srtsrc ! tsdemux ! h264parse ! ladder renditions=240p). Video only: the
# audio of the ladder is passed through with the input's timestamps, which
# tsdemux makes jitter as much (FFmpeg warns about them on the audio
# stream); that is not a transcoded rung.
# mpegtsmux alignment=7 (1316-byte SRT payloads) is required: with the
# default alignment srtsink drops the HEADER-flagged packets that start
# every keyframe ("Have streamheaders, ignoring header buffer") and nothing
# decodes. config-interval=-1: the receiver joins after the first IDR.
# ultrafast: the sender keeps up on 2 cores next to the receiver.
SENDER = (
    "mpegtsmux name=mux alignment=7 ! srtsink uri=srt://127.0.0.1:{port}"
    "?mode=listener wait-for-connection=true "
    "videotestsrc is-live=true pattern=ball "
    "! video/x-raw,width=1280,height=720,framerate={n}/{d},format=I420 "
    "! x264enc tune=zerolatency speed-preset=ultrafast key-int-max=60 "
    "! h264parse config-interval=-1 ! mux.")

RECEIVER = (
    "srtsrc uri=srt://127.0.0.1:{port}?mode=caller "
    "! tsdemux name=d ! h264parse ! ladder name=l renditions=240p "
    "{ladder_args}")


def free_udp_port():
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def frame_ns(k):
    """The nanosecond rounding of k frame durations, both ways."""
    num = k * Gst.SECOND * FPS_D
    return num // FPS_N, -(-num // FPS_N)


def grid_errors(times, what):
    """Every step of @times (ns) is one frame duration, rounded to the
    nanosecond, and the whole run does not drift: a list of messages."""
    errors = []
    lo, hi = frame_ns(1)
    for i in range(1, len(times)):
        step = times[i] - times[i - 1]
        if not lo <= step <= hi:
            errors.append("%s step %d: %d ns (%.3f ms), not %d..%d ns"
                          % (what, i, step, step / 1e6, lo, hi))
    if times:
        k = len(times) - 1
        lo, hi = frame_ns(k)
        if not lo - 1 <= times[-1] - times[0] <= hi + 1:
            errors.append("%s: %d frames span %d ns, not %d ns"
                          % (what, k + 1, times[-1] - times[0], lo))
    return errors


class Sender:
    """The SRT sender, a gst-launch-1.0 child process."""

    def __init__(self, port, workdir):
        self.log_path = os.path.join(workdir, "sender-%d.log" % port)
        self.log = open(self.log_path, "w")
        cmd = ["gst-launch-1.0", "-e"] + SENDER.format(
            port=port, n=FPS_N, d=FPS_D).split()
        if shutil.which("timeout"):
            cmd = ["timeout", "-k", "10", str(SENDER_LIFETIME)] + cmd
        self.proc = subprocess.Popen(cmd, stdout=self.log,
                                     stderr=subprocess.STDOUT)

    def alive(self):
        return self.proc.poll() is None

    def tail(self):
        self.log.flush()
        with open(self.log_path) as f:
            return "".join(f.readlines()[-15:])

    def stop(self):
        if self.alive():
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(10)
        self.log.close()


class Receiver:
    """The ladder, in this process; @on_buffer sees every output buffer of
    the 240p video (src-pad mode)."""

    def __init__(self, port, ladder_args, link_outputs):
        self.pipe = Gst.parse_launch(RECEIVER.format(
            port=port, ladder_args=ladder_args))
        self.bus = self.pipe.get_bus()
        self.pts = []
        self.dts = []
        self.caps = None
        self.inputs = 0
        self.first_input = None
        if link_outputs:
            ladder = self.pipe.get_by_name("l")
            ladder.connect("pad-added", self._pad_added)
            # the rendition pads exist as soon as the input pad does: the
            # launch line made them already
            for pad in ladder.srcpads:
                self._pad_added(ladder, pad)
        d = self.pipe.get_by_name("d")
        d.connect("pad-added", self._demux_pad)

    def _demux_pad(self, demux, pad):
        if pad.get_name().startswith("video"):
            pad.add_probe(Gst.PadProbeType.BUFFER, self._input)

    def _input(self, pad, info):
        self.inputs += 1
        if self.first_input is None:
            self.first_input = time.monotonic()
        return Gst.PadProbeReturn.OK

    def _pad_added(self, ladder, pad):
        sink = Gst.ElementFactory.make("fakesink")
        sink.set_property("sync", False)
        sink.set_property("async", False)
        self.pipe.add(sink)
        sink.sync_state_with_parent()
        pad.link(sink.get_static_pad("sink"))
        if pad.get_name() == "video_240p":
            sink.get_static_pad("sink").add_probe(
                Gst.PadProbeType.BUFFER, self._output)

    def _output(self, pad, info):
        buf = info.get_buffer()
        if self.caps is None:
            self.caps = pad.get_current_caps()
        self.pts.append(buf.pts)
        self.dts.append(buf.dts)
        return Gst.PadProbeReturn.OK

    def check_bus(self, wait_ns):
        msg = self.bus.timed_pop_filtered(
            wait_ns, Gst.MessageType.ERROR | Gst.MessageType.EOS)
        if msg and msg.type == Gst.MessageType.ERROR:
            err, dbg = msg.parse_error()
            raise AssertionError("receiver error from %s: %s (%s)"
                                 % (msg.src.get_name(), err.message, dbg))
        return msg

    def start(self):
        if self.pipe.set_state(Gst.State.PLAYING) == \
                Gst.StateChangeReturn.FAILURE:
            raise AssertionError("the receiver did not start")

    def grid_counters(self):
        """(dropped, duplicated) of the rung's frame grid, if it has one"""
        it = self.pipe.get_by_name("l").iterate_recurse()
        while True:
            res, el = it.next()
            if res != Gst.IteratorResult.OK:
                return None
            if el.get_name() == "retime" and \
                    el.find_property("duplicated") is not None:
                return (el.get_property("dropped"),
                        el.get_property("duplicated"))

    def stop(self):
        self.pipe.set_state(Gst.State.NULL)


class SrtLive(unittest.TestCase):
    longMessage = False  # our messages, without the repr of the lists

    def setUp(self):
        self.workdir = tempfile.mkdtemp(prefix="ladder-srt-")
        self.sender = None
        self.receiver = None

    def tearDown(self):
        if self.receiver:
            self.receiver.stop()
        if self.sender:
            self.sender.stop()
        shutil.rmtree(self.workdir, ignore_errors=True)

    def start(self, ladder_args, link_outputs):
        port = free_udp_port()
        self.sender = Sender(port, self.workdir)
        # the sender's listener first: the receiver (caller) connects to it
        time.sleep(1.0)
        if not self.sender.alive():
            self.fail("the SRT sender exited at once:\n" + self.sender.tail())
        self.receiver = Receiver(port, ladder_args, link_outputs)
        self.receiver.start()
        deadline = time.monotonic() + CONNECT_TIMEOUT
        while self.receiver.first_input is None:
            if time.monotonic() > deadline:
                self.fail("no video from the SRT sender on port %d in %d "
                          "s:\n%s" % (port, CONNECT_TIMEOUT,
                                      self.sender.tail()))
            if not self.sender.alive():
                self.fail("the SRT sender exited:\n" + self.sender.tail())
            self.receiver.check_bus(100 * Gst.MSECOND)

    def wait(self, until, timeout, what):
        deadline = time.monotonic() + timeout
        while not until():
            if time.monotonic() > deadline:
                self.fail("%s: not done in %d s" % (what, timeout))
            if not self.sender.alive():
                self.fail("the SRT sender exited:\n" + self.sender.tail())
            self.receiver.check_bus(100 * Gst.MSECOND)

    def test_src_pad_frames_on_grid(self):
        """l.video_240p: PTS and DTS one frame duration apart"""
        self.start("", link_outputs=True)
        r = self.receiver
        self.wait(lambda: len(r.pts) >= WANT_FRAMES, COLLECT_TIMEOUT,
                  "%d frames out of the 240p rung (got %d, %d in)"
                  % (WANT_FRAMES, len(r.pts), r.inputs))
        counters = r.grid_counters()
        r.stop()
        pts, dts = list(r.pts), list(r.dts)

        s = r.caps.get_structure(0)
        ok, n, d = s.get_fraction("framerate")
        self.assertTrue(ok, "no framerate in %s" % r.caps.to_string())
        self.assertEqual((n, d), (FPS_N, FPS_D),
                         "declared framerate of the 240p rung")
        errors = []
        for what, times in (("PTS", pts), ("DTS", dts)):
            missing = [i for i, t in enumerate(times)
                       if t == Gst.CLOCK_TIME_NONE]
            if missing:
                errors.append("%d output frames without %s (frames %s)"
                              % (len(missing), what, missing[:10]))
            errors += grid_errors([t for t in times
                                   if t != Gst.CLOCK_TIME_NONE], what)
        steps = [round((pts[i] - pts[i - 1]) / 1e6, 1)
                 for i in range(1, len(pts))
                 if Gst.CLOCK_TIME_NONE not in (pts[i], pts[i - 1])]
        print("src pad: %d frames in, %d out; frame grid (dropped, "
              "duplicated): %s; PTS steps (ms), first 40: %s"
              % (r.inputs, len(pts), counters, steps[:40]), file=sys.stderr)
        self.assertFalse(errors, "%d timestamp errors on the %d/%d grid:\n%s"
                         % (len(errors), FPS_N, FPS_D,
                            "\n".join(errors[:20])))

    def test_hls_on_grid_and_ffmpeg_quiet(self):
        """HLS: segments on the 90 kHz grid, ffmpeg without timestamp
        warnings"""
        hls = os.path.join(self.workdir, "hls")
        self.start("hls-location=%s hls-playlist-length=0 hls-max-files=0"
                   % hls, link_outputs=False)
        r = self.receiver
        # about WANT_FRAMES frames of input, then a clean end
        self.wait(lambda: r.inputs >= WANT_FRAMES, COLLECT_TIMEOUT,
                  "%d input frames (got %d)" % (WANT_FRAMES, r.inputs))
        r.pipe.send_event(Gst.Event.new_eos())
        deadline = time.monotonic() + EOS_TIMEOUT
        while True:
            if time.monotonic() > deadline:
                self.fail("the HLS ladder did not finish (EOS) in %d s"
                          % EOS_TIMEOUT)
            msg = r.check_bus(100 * Gst.MSECOND)
            if msg and msg.type == Gst.MessageType.EOS:
                break
        r.stop()

        playlist = os.path.join(hls, "240p", "index.m3u8")
        self.assertTrue(os.path.exists(playlist), "no %s" % playlist)
        with open(playlist) as f:
            segments = [line.strip() for line in f
                        if line.strip() and not line.startswith("#")]
        self.assertGreaterEqual(len(segments), 2, "segments in %s" % playlist)

        tick = 90000 * FPS_D / FPS_N
        errors = []
        total = 0
        for name in segments:
            path = os.path.join(hls, "240p", name)
            try:
                out = subprocess.run(
                    ["ffprobe", "-v", "error", "-of", "json",
                     "-select_streams", "v:0", "-show_entries",
                     "packet=pts,dts", path],
                    capture_output=True, text=True, timeout=TOOL_TIMEOUT)
            except subprocess.TimeoutExpired:
                self.fail("ffprobe did not finish on %s in %d s"
                          % (name, TOOL_TIMEOUT))
            self.assertEqual(out.returncode, 0, "ffprobe %s: %s"
                             % (name, out.stderr))
            packets = json.loads(out.stdout).get("packets", [])
            total += len(packets)
            for key in ("dts", "pts"):
                values = [int(p[key]) for p in packets if key in p]
                if key == "pts":
                    values.sort()
                for i in range(1, len(values)):
                    step = values[i] - values[i - 1]
                    # one frame at 90 kHz: exact for 30 fps (3000 ticks)
                    if abs(step - tick) >= 1:
                        errors.append("%s %s step %d: %d ticks (%.3f ms), "
                                      "not %g" % (name, key.upper(), i, step,
                                                  step / 90.0, tick))
        print("HLS: %d segments, %d video packets, %d off the grid"
              % (len(segments), total, len(errors)), file=sys.stderr)

        with open(playlist) as f:
            self.assertIn("#EXT-X-ENDLIST", f.read(),
                          "%s is not finished: ffmpeg would wait for more"
                          % playlist)
        try:
            out = subprocess.run(
                ["ffmpeg", "-nostdin", "-v", "warning", "-i", playlist,
                 "-f", "null", "-"],
                capture_output=True, text=True, timeout=TOOL_TIMEOUT)
        except subprocess.TimeoutExpired:
            self.fail("ffmpeg did not finish reading %s in %d s"
                      % (playlist, TOOL_TIMEOUT))
        warnings = [line for line in out.stderr.splitlines()
                    if re.search(r"dts|pts|timestamp", line, re.I)]
        self.assertEqual(out.returncode, 0, "ffmpeg failed: %s" % out.stderr)
        print("ffmpeg: %d timestamp warnings" % len(warnings), file=sys.stderr)
        if warnings:
            errors.append("ffmpeg -v warning -i %s -f null - warns:\n%s"
                          % (playlist, "\n".join(warnings[:10])))
        self.assertFalse(errors, "%d packet timestamps off the grid or "
                         "warnings:\n%s" % (len(errors),
                                             "\n".join(errors[-21:])))


if __name__ == "__main__":
    unittest.main(verbosity=2)
