#!/usr/bin/python3
# gst-ladder
# Copyright (C) 2026 The gst-ladder authors
#
# This library is free software; you can redistribute it and/or
# modify it under the terms of the GNU Library General Public
# License as published by the Free Software Foundation; either
# version 2 of the License, or (at your option) any later version.
"""Live figures of the `ladder` element: the latency a rung adds, and the
time from `add-rendition` to the new rung's first output buffer.

One command, from the source root:

    tests/bench/ladder-live.py --build-dir build

The source is live 1080p30 H.264:

    videotestsrc is-live=true ! 1920x1080@30 ! x264enc tune=zerolatency
      key-int-max=60 speed-preset=ultrafast ! h264parse ! ladder

1. Latency (--latency-seconds, after --warmup seconds): for every buffer the
   source pushes, its running time (its PTS in running time: when it was
   captured) and the running time at which h264parse hands it to the ladder
   are recorded; when a rung's buffer leaves the ladder's `video_<name>` src
   pad, its running time (PTS through the pad's segment; x264enc shifts PTS
   and segment alike by its 1000 h min-pts) finds the source buffer it was
   made from.  Reported per rung: ladder latency (clock at the ladder's src
   pad minus clock at its sink pad: what the rung adds) and glass-to-output
   latency (clock at the src pad minus the capture running time, which also
   counts the source's own encoder).
2. Start-up (--adds times): `add-rendition` is emitted at a chosen phase of
   the source GOP (the time since the last source keyframe, spread evenly
   over one keyframe interval); the time to the first buffer on the new
   `video_<name>` pad is measured, then the rendition is removed again.

Prints Markdown; medians and maxima.  Needs python3-gi with Gst 1.0, and
x264enc, h264parse, avdec_h264 (used inside the ladder).
"""

import argparse
import os
import statistics
import sys
import threading
import time

import gi

gi.require_version('Gst', '1.0')
from gi.repository import GLib, Gst  # noqa: E402

SOURCE = ('videotestsrc name=src is-live=true pattern=smpte '
          'horizontal-speed=4 ! video/x-raw,width=1920,height=1080,'
          'framerate=30/1,format=I420 ! x264enc name=srcenc '
          'tune=zerolatency key-int-max=60 speed-preset=ultrafast '
          'bitrate=8000 ! h264parse name=parse ! ladder name=l '
          'renditions=%s')


def log(*args):
    print(*args, file=sys.stderr, flush=True)


def pct(values, q):
    v = sorted(values)
    return v[min(len(v) - 1, int(round(q * (len(v) - 1))))]


class Bench:
    def __init__(self, args):
        self.args = args
        self.lock = threading.Lock()
        self.pipeline = Gst.parse_launch(SOURCE % args.renditions)
        self.ladder = self.pipeline.get_by_name('l')
        self.loop = GLib.MainLoop()
        self.clock = None
        self.base = 0
        # running time of the capture -> clock running time at the ladder's
        # sink pad
        self.src_rt = {}
        self.in_now = {}
        self.measuring = False
        self.lat = {}          # rung -> [(ladder latency, glass latency)]
        self.unmatched = {}
        self.last_key = None   # clock running time of the last source IDR
        self.gop = None
        self.pending = None    # (name, emitted at, phase)
        self.startups = []     # (name, phase s, startup s)
        self.error = None
        self.rest_until = 0

        src = self.pipeline.get_by_name('src').get_static_pad('src')
        src.add_probe(Gst.PadProbeType.BUFFER, self.on_source)
        parse = self.pipeline.get_by_name('parse').get_static_pad('src')
        parse.add_probe(Gst.PadProbeType.BUFFER, self.on_parsed)
        self.ladder.connect('pad-added', self.on_pad_added)
        self.ladder.connect('pad-removed', self.on_pad_removed)
        # the rendition pads exist as soon as the input pad does
        for pad in self.ladder.srcpads:
            self.on_pad_added(self.ladder, pad)
        bus = self.pipeline.get_bus()
        bus.add_signal_watch()
        bus.connect('message', self.on_message)

    def now(self):
        return self.clock.get_time() - self.base

    @staticmethod
    def running_time(pad, buf):
        ev = pad.get_sticky_event(Gst.EventType.SEGMENT, 0)
        if ev is None:
            return None
        seg = ev.parse_segment()
        rt = seg.to_running_time(Gst.Format.TIME, buf.pts)
        return None if rt == Gst.CLOCK_TIME_NONE else rt

    # -- probes (streaming threads) -------------------------------------

    def on_source(self, pad, info):
        rt = self.running_time(pad, info.get_buffer())
        if rt is not None:
            with self.lock:
                self.src_rt[rt] = True
        return Gst.PadProbeReturn.OK

    def on_parsed(self, pad, info):
        buf = info.get_buffer()
        rt = self.running_time(pad, buf)
        now = self.now()
        with self.lock:
            if rt is not None:
                self.in_now[rt] = now
                # keep the maps small
                if len(self.in_now) > 2000:
                    for k in sorted(self.in_now)[:1000]:
                        self.in_now.pop(k, None)
                        self.src_rt.pop(k, None)
            if not buf.has_flags(Gst.BufferFlags.DELTA_UNIT):
                if self.last_key is not None:
                    self.gop = now - self.last_key
                self.last_key = now
        return Gst.PadProbeReturn.OK

    def on_output(self, pad, info, name):
        buf = info.get_buffer()
        now = self.now()
        rt = self.running_time(pad, buf)
        with self.lock:
            p = self.pending
            if p and p[0] == name and len(p) == 3:
                self.startups.append((name, p[2], (now - p[1]) / 1e9))
                self.pending = (name, p[1], p[2], 'done')
                GLib.idle_add(self.remove_added, name)
            if not self.measuring or rt is None:
                return Gst.PadProbeReturn.OK
            t_in = self.in_now.get(rt)
            if t_in is None or rt not in self.src_rt:
                self.unmatched[name] = self.unmatched.get(name, 0) + 1
                return Gst.PadProbeReturn.OK
            self.lat.setdefault(name, []).append(
                ((now - t_in) / 1e6, (now - rt) / 1e6))
        return Gst.PadProbeReturn.OK

    # -- pads -----------------------------------------------------------

    def on_pad_added(self, element, pad):
        name = pad.get_name()
        if not name.startswith('video_'):
            return
        rung = name[len('video_'):]
        sink = Gst.ElementFactory.make('fakesink', 'sink_' + rung)
        sink.set_property('sync', False)
        sink.set_property('async', False)
        self.pipeline.add(sink)
        sink.sync_state_with_parent()
        pad.add_probe(Gst.PadProbeType.BUFFER, self.on_output, rung)
        pad.link(sink.get_static_pad('sink'))

    def on_pad_removed(self, element, pad):
        name = pad.get_name()
        if name.startswith('video_'):
            GLib.idle_add(self.drop_sink, 'sink_' + name[len('video_'):])

    def drop_sink(self, name):
        sink = self.pipeline.get_by_name(name)
        if sink:
            sink.set_state(Gst.State.NULL)
            self.pipeline.remove(sink)
        return False

    # -- main loop --------------------------------------------------------

    def on_message(self, bus, msg):
        if msg.type == Gst.MessageType.ERROR:
            err, dbg = msg.parse_error()
            self.error = '%s (%s)' % (err.message, dbg)
            log('ERROR: ' + self.error)
            self.loop.quit()
        elif msg.type == Gst.MessageType.EOS:
            self.loop.quit()

    def remove_added(self, name):
        ok = self.ladder.emit('remove-rendition', name)
        if not ok:
            log('remove-rendition %s refused' % name)
        with self.lock:
            self.pending = None
        self.rest_until = time.monotonic() + 0.5
        return False

    def run(self):
        a = self.args
        self.pipeline.set_state(Gst.State.PLAYING)
        ret, state, _ = self.pipeline.get_state(10 * Gst.SECOND)
        if ret == Gst.StateChangeReturn.FAILURE:
            raise SystemExit('the pipeline did not start')
        self.clock = self.pipeline.get_clock()
        self.base = self.pipeline.get_base_time()
        t0 = time.monotonic()
        phase_step = 2.0 / max(1, a.adds)
        state = {'stage': 'warmup', 'add': 0, 'deadline': None}

        def tick():
            el = time.monotonic() - t0
            if state['stage'] == 'warmup' and el >= a.warmup:
                with self.lock:
                    self.measuring = True
                state['stage'] = 'latency'
            elif state['stage'] == 'latency' and \
                    el >= a.warmup + a.latency_seconds:
                with self.lock:
                    self.measuring = False
                state['stage'] = 'adds'
            elif state['stage'] == 'adds':
                with self.lock:
                    busy = self.pending is not None
                    last_key = self.last_key
                if busy:
                    if time.monotonic() > state['deadline']:
                        log('no first buffer from %s within 15 s' %
                            self.pending[0])
                        self.error = 'rung start timed out'
                        self.loop.quit()
                        return False
                    return True
                if state['add'] >= a.adds:
                    self.loop.quit()
                    return False
                if last_key is None:
                    return True
                phase = (state['add'] * phase_step) % 2.0
                now = self.now()
                since = (now - last_key) / 1e9
                # wait a little after the removal, then hit the phase
                if self.rest_until > time.monotonic():
                    return True
                if phase <= since < phase + 0.02:
                    name = 'add%d' % state['add']
                    desc = '%s:%s' % (name, a.add_size)
                    with self.lock:
                        self.pending = (name, self.now(), since)
                    if not self.ladder.emit('add-rendition', desc):
                        raise SystemExit('add-rendition %s refused' % desc)
                    state['add'] += 1
                    state['deadline'] = time.monotonic() + 15
            return True

        GLib.timeout_add(1, tick)
        self.loop.run()
        self.pipeline.set_state(Gst.State.NULL)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--build-dir', default=os.environ.get('LADDER_BUILD_ROOT'),
                    help='gst-ladder build directory (its plugin is used)')
    ap.add_argument('--renditions',
                    default='720p:1280x720@2500,240p:426x240@400',
                    help='rungs running from the start, whose latency is '
                    'measured (default %(default)s)')
    ap.add_argument('--warmup', type=float, default=4.0,
                    help='seconds before the latency is measured')
    ap.add_argument('--latency-seconds', type=float, default=20.0,
                    help='seconds of latency measurement')
    ap.add_argument('--adds', type=int, default=8,
                    help='add-rendition runs, phases spread over the GOP')
    ap.add_argument('--add-size', default='854x480@1200',
                    help='WxH@kbps of the added rungs (default %(default)s)')
    args = ap.parse_args()

    if args.build_dir:
        plugdir = os.path.join(os.path.abspath(args.build_dir), 'gst',
                               'elements')
        os.environ['GST_PLUGIN_PATH'] = plugdir + (
            os.pathsep + os.environ['GST_PLUGIN_PATH']
            if os.environ.get('GST_PLUGIN_PATH') else '')
    Gst.init(None)
    for f in ('x264enc', 'h264parse', 'avdec_h264', 'ladder'):
        if not Gst.ElementFactory.find(f):
            print('SKIP: GStreamer element %s not available' % f)
            return 77

    b = Bench(args)
    b.run()
    if b.error:
        print('FAILED: ' + b.error)
        return 1

    print('## Live: latency and rung start-up (1080p30 live source)')
    print()
    print('- source: `%s`' % (SOURCE % args.renditions))
    print('- latency: %g s after %g s of warm-up; start-up: %d adds of '
          '`addN:%s`, source GOP %.2f s' % (
              args.latency_seconds, args.warmup, args.adds, args.add_size,
              (b.gop or 0) / 1e9))
    print()
    print('| rung | buffers | ladder latency ms median / p95 / max | '
          'capture to output ms median / p95 / max | unmatched |')
    print('|---|---|---|---|---|')
    for name, v in b.lat.items():
        lad = [x[0] for x in v]
        glass = [x[1] for x in v]
        print('| %s | %d | %.0f / %.0f / %.0f | %.0f / %.0f / %.0f | %d |' % (
            name, len(v), statistics.median(lad), pct(lad, 0.95), max(lad),
            statistics.median(glass), pct(glass, 0.95), max(glass),
            b.unmatched.get(name, 0)))
    print()
    print('| add | GOP phase s | add-rendition to first buffer s |')
    print('|---|---|---|')
    for name, phase, t in b.startups:
        print('| %s | %.2f | %.3f |' % (name, phase, t))
    if b.startups:
        ts = [x[2] for x in b.startups]
        print()
        print('- start-up: median %.3f s, max %.3f s, min %.3f s (%d runs)' % (
            statistics.median(ts), max(ts), min(ts), len(ts)))
    return 0


if __name__ == '__main__':
    sys.exit(main())
