#!/usr/bin/env python3
"""The ladder always ends: tracks that carry nothing must never hold back
the EOS of the rest, in HLS and in src-pad mode. Every wait has its own
bound and says what it waited for."""
import os
import shutil
import sys
import tempfile
import unittest

import gi

gi.require_version("Gst", "1.0")
from gi.repository import Gst  # noqa: E402

Gst.init(None)

NEEDED = ["x264enc", "avenc_aac", "appsrc", "videotestsrc", "audiotestsrc",
          "hlssink2", "ladder", "ladderhlssink"]
MISSING = [e for e in NEEDED if Gst.ElementFactory.find(e) is None]

BOUND = 30  # seconds: these ladders are two seconds of video

VIDEO = ("videotestsrc num-buffers=60 ! video/x-raw,width=640,height=360,"
         "framerate=30/1 ! x264enc speed-preset=ultrafast key-int-max=30 ! "
         "l.video ")
AAC_CAPS = ("audio/mpeg,mpegversion=4,stream-format=raw,"
            "codec_data=(buffer)1190,rate=48000,channels=2")


def end_of(pipe, what, bound=BOUND):
    """Plays @pipe; returns None at EOS, else why not (an ERROR, or no EOS
    within @bound s)."""
    bus = pipe.get_bus()
    pipe.set_state(Gst.State.PLAYING)
    try:
        msg = bus.timed_pop_filtered(bound * Gst.SECOND,
                                     Gst.MessageType.EOS
                                     | Gst.MessageType.ERROR)
        if msg is None:
            return "%s: no EOS within %d s" % (what, bound)
        if msg.type == Gst.MessageType.ERROR:
            err, dbg = msg.parse_error()
            return "%s: ERROR %s (%s)" % (what, err.message, dbg)
        return None
    finally:
        pipe.set_state(Gst.State.NULL)


@unittest.skipIf(MISSING, "missing: %s" % ", ".join(MISSING))
class EmptyTracks(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="ladder-liveness-")

    def tearDown(self):
        shutil.rmtree(self.tmp, ignore_errors=True)

    def read(self, *path):
        with open(os.path.join(self.tmp, *path), encoding="utf-8") as f:
            return f.read()

    def test_hls_audio_without_caps(self):
        """An audio input that ends before it had caps (an encoder that got
        no samples): the rendition is written without it and ends."""
        pipe = Gst.parse_launch(
            "ladder name=l renditions=240p hls-location=%s %s"
            "audiotestsrc num-buffers=0 ! avenc_aac ! l.audio"
            % (self.tmp, VIDEO))
        self.assertIsNone(end_of(pipe, "HLS with an empty audio track"))
        media = self.read("240p", "index.m3u8")
        self.assertIn("#EXT-X-ENDLIST", media)
        master = self.read("master.m3u8")
        # the variant lists the codec of its video only
        self.assertRegex(master, r'CODECS="avc1\.[0-9A-Fa-f]{6}"')

    def check_caps_without_buffers(self, hls):
        where = "hls-location=%s" % self.tmp if hls else ""
        outputs = "" if hls else \
            "l.video_240p ! fakesink l.audio_240p ! fakesink"
        pipe = Gst.parse_launch(
            "ladder name=l renditions=240p %s %s appsrc name=a format=time "
            "caps=%s ! l.audio %s" % (where, VIDEO, AAC_CAPS, outputs))
        pipe.get_by_name("a").emit("end-of-stream")
        self.assertIsNone(end_of(pipe, "an audio track with caps and no "
                                 "buffer (%s)" % ("HLS" if hls else
                                                  "src pads")))
        if hls:
            self.assertIn("#EXT-X-ENDLIST", self.read("240p", "index.m3u8"))

    def test_hls_audio_caps_without_buffers(self):
        self.check_caps_without_buffers(True)

    def test_src_pads_audio_caps_without_buffers(self):
        self.check_caps_without_buffers(False)


if __name__ == "__main__":
    res = unittest.main(exit=False, verbosity=2).result
    sys.exit(0 if res.wasSuccessful() else 1)
