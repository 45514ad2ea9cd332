#!/usr/bin/python3
# gst-ladder
# Copyright (C) 2026 The gst-ladder authors
#
# This library is free software; you can redistribute it and/or
# modify it under the terms of the GNU Library General Public
# License as published by the Free Software Foundation; either
# version 2 of the License, or (at your option) any later version.
"""Soak benchmark of the `ladder` element: a live ladder of four rungs runs
for an hour while renditions come and go and one rung keeps failing; the
memory of the process must stay flat and the rungs nobody touched must not
lose a single frame.  Not part of the test suite (it runs for an hour);
there is no meson target for it.

One command, from the source root, after `meson compile -C build`:

    GST_PLUGIN_PATH=$PWD/build/gst/elements /usr/bin/python3 \\
        tests/bench/soak.py --json /tmp/soak.json

and a two-minute smoke check of the script itself:

    GST_PLUGIN_PATH=$PWD/build/gst/elements /usr/bin/python3 \\
        tests/bench/soak.py --duration 120 --cycles 4 --faults 4

(`--build-dir build` sets GST_PLUGIN_PATH instead.)  It needs python3-gi
with Gst 1.0, videotestsrc, x264enc, h264parse, audiotestsrc, avenc_aac,
aacparse and avdec_h264 (the ladder's shared decode).

The pipeline (small on purpose, the machine is shared):

    videotestsrc is-live=true ! 640x360 30 fps ! x264enc ultrafast
      zerolatency, a keyframe every 2 s ! h264parse ! identity ! ladder
    audiotestsrc is-live=true ! audioconvert ! avenc_aac ! aacparse
      ! identity ! ladder.audio

with the ladder `source,288p:512x288@500,240p,180p:320x180@250` in src-pad
mode; every `video_<rendition>` and `audio_<rendition>` src pad goes to
`identity silent=true ! fakesink sync=false async=false`.

What happens during the run (`--duration` s, default 3600), spread evenly
between a short lead-in and a quiet tail:

- `--faults` (100) faults: an ERROR message posted from the x264enc inside
  the rung of `--fault-rendition` (240p; the element is found by iterating
  the ladder bin recursively, the rung being the `GstLadderRung` named
  `rung-x264-240p-video-<n>` that is PLAYING).  The rung must report it as
  a `ladder-panic` and run again.  The faults are spaced so that the rung
  normally restarts; when it is degraded anyway (three quick failures in
  a row, which happens in short runs) it is restarted through the runner
  (`gst_ladder_runner_restart()`, called with ctypes) and counted.
- `--cycles` (100) add/remove cycles: `add-rendition` of a fifth rendition
  with a fresh name (`cycle<n>:256x144@150`), its pads linked on
  `pad-added` to a counting `identity ! fakesink` (its first frame is
  looked for every 0.1 s), then `remove-rendition` `--hold` seconds
  later; the pads must go (`pad-removed`, after which the fakesinks
  are released) and the removal must be drained (the fakesinks see EOS).
- at the end, EOS is sent to both sources and must come out on the bus
  within `--eos-timeout` s (10).

What is measured:

- the RSS of the process (VmRSS of /proc/self/status) every minute, and the
  frames out of each src pad at that time, always with the same four
  rungs: a sample due while a cycle's fifth rendition is in the ladder
  waits until that rendition is removed and drained (and 1.5 s more, for
  the runner's trim after a teardown), so that every sample is taken at
  the same phase of the add/remove cycle (`deferred_s` says how long it
  waited); beside it, glibc's count of heap
  bytes in use and of freed bytes it keeps in its arenas (mallinfo2), which
  tells a leak from memory the allocator holds on to (not a criterion;
  `--malloc-trim` gives memory back with malloc_trim(0) before each sample,
  for a diagnostic run only);
- frames: every buffer into the ladder's `video` and `audio` sink pads and
  out of each src pad, counted by an `identity` linked straight to the pad
  (its `stats` property, `num-buffers`; a fakesink's own count restarts
  with each segment, and a restarted rung sends a new one).  Nothing is
  counted in Python on purpose: a Python pad probe makes its streaming
  thread take the interpreter lock, and a thread kept waiting for it while
  the machine is busy stalls that stream; a live ladder branch more than
  1 s behind drops a GOP (and a stalled input arrives as a burst that does
  the same), which this benchmark would then blame on the ladder.  The
  x264 rungs make one frame per input frame (zero-latency x264, no
  frame-rate change), the passthrough rungs (`source`, all audio) carry
  each one;
- the load of the machine at each sample (1-minute load average, and the
  CPU pressure of /proc/pressure/cpu, avg60: the share of time some task
  waited for a CPU), to tell a run starved by other work;
- faults injected, `ladder-panic` messages, restarts (from `ladder-stats`)
  and restarts asked of the runner for a degraded rung; cycles done; the
  CPU time of the process (getrusage).

Pass criteria (exit status 0; 1 when one fails, 77 when an element is
missing):

1. RSS flat: the mean RSS over the last 30 minutes is within 5% of the RSS
   at minute 10.  A shorter run scales every time by duration/3600: it
   samples every duration/60 s, takes the sample at duration/6 and the mean
   from duration/2 on; the output says so.
2. No frame lost on the untouched rungs: every src pad of `source`, `288p`
   and `180p`, and the audio pad of the faulted rendition (its audio rung is
   another key and is never faulted), delivers exactly the frames that
   entered the ladder on its track.  No allowance: the run ends with EOS,
   which drains every rung, so no frame may stay in flight.  Beside each
   loss the output shows what the ladder itself reports dropping for lag
   (a live branch more than 1 s behind loses whole GOPs): before the rung
   (`drops` of its key in `ladder-stats`) and after it (the output
   broadcaster's pad stats).  That tells where a frame went; it is still a
   lost frame.
3. The run itself is sound: every fault is seen as a `ladder-panic` of the
   faulted rung within 10 s and the rung runs again afterwards, no other
   rung panics, every cycle adds and drains its rendition, no ERROR reaches
   the bus, and EOS arrives in time.

Writes the figures as JSON with `--json FILE`; prints a summary (Markdown)
on stdout and progress on stderr.
"""

import argparse
import ctypes
import json
import os
import resource
import shlex
import statistics
import sys
import threading
import time
import warnings

import gi

gi.require_version('Gst', '1.0')
from gi.repository import GLib, Gst  # noqa: E402

PIPELINE = (
    'videotestsrc name=vsrc is-live=true pattern=smpte horizontal-speed=2 '
    '! video/x-raw,width=640,height=360,framerate=30/1,format=I420 '
    '! x264enc tune=zerolatency speed-preset=ultrafast key-int-max=60 '
    'bitrate=1000 ! h264parse ! identity name=count_in_video silent=true '
    '! ladder name=l renditions={renditions} '
    'audiotestsrc name=asrc is-live=true wave=sine ! audioconvert '
    '! avenc_aac ! aacparse ! identity name=count_in_audio silent=true '
    '! l.audio')

RENDITIONS = 'source,288p:512x288@500,240p,180p:320x180@250'
CYCLE_SIZE = '256x144@150'
NEEDED = ('videotestsrc', 'x264enc', 'h264parse', 'audiotestsrc',
          'audioconvert', 'avenc_aac', 'aacparse', 'avdec_h264', 'fakesink',
          'ladder')
FULL = 3600.0           # the reference duration of the criteria, s
RSS_TOLERANCE = 0.05
PANIC_BOUND = 10.0      # s from a fault to its ladder-panic
RUN_AGAIN_BOUND = 15.0  # s after the restart delay for the rung to run
PAD_BOUND = 5.0         # s for pad-added / pad-removed
FIRST_FRAME_BOUND = 10.0
SHUTDOWN_BOUND = 20.0


def log(*args):
    print(time.strftime('%H:%M:%S'), *args, file=sys.stderr, flush=True)


def rss_kb():
    with open('/proc/self/status', encoding='ascii') as f:
        for line in f:
            if line.startswith('VmRSS:'):
                return int(line.split()[1])
    return 0


class MallInfo2(ctypes.Structure):
    _fields_ = [(n, ctypes.c_size_t) for n in (
        'arena', 'ordblks', 'smblks', 'hblks', 'hblkhd', 'usmblks',
        'fsmblks', 'uordblks', 'fordblks', 'keepcost')]


class Malloc:
    """glibc's view of the heap, to tell a leak (memory in use grows) from
    memory the allocator keeps after it was freed (RSS grows, memory in use
    does not): mallinfo2() summed over every arena."""

    def __init__(self):
        try:
            self.libc = ctypes.CDLL('libc.so.6')
            self.libc.mallinfo2.restype = MallInfo2
            self.libc.malloc_trim.argtypes = [ctypes.c_size_t]
        except (OSError, AttributeError):
            self.libc = None

    def info(self):
        """(kB in use, kB free but kept in the arenas), or (None, None)."""
        if self.libc is None:
            return None, None
        mi = self.libc.mallinfo2()
        return (mi.uordblks + mi.hblkhd) // 1024, mi.fordblks // 1024

    def trim(self):
        if self.libc is not None:
            self.libc.malloc_trim(0)

    def arena_max(self, n):
        M_ARENA_MAX = -8
        if self.libc is None or not self.libc.mallopt(M_ARENA_MAX, n):
            raise SystemExit('mallopt(M_ARENA_MAX, %d) failed' % n)


def host_load():
    """(1-minute load average, CPU pressure of the machine: the share of the
    last 60 s in which some runnable task waited for a CPU, %)."""
    with open('/proc/loadavg', encoding='ascii') as f:
        load = float(f.read().split()[0])
    try:
        with open('/proc/pressure/cpu', encoding='ascii') as f:
            psi = float(f.readline().split()[2].split('=')[1])
    except (OSError, IndexError, ValueError):
        psi = None
    return load, psi


def cpu_seconds():
    ru = resource.getrusage(resource.RUSAGE_SELF)
    return ru.ru_utime + ru.ru_stime


def rendition_name(desc):
    return desc.split(':', 1)[0].strip()


class GError(ctypes.Structure):
    _fields_ = [('domain', ctypes.c_uint32), ('code', ctypes.c_int),
                ('message', ctypes.c_char_p)]


class Runner:
    """gst_ladder_runner_restart() on the ladder's runner, through ctypes:
    libgstladder-1.0 has no introspection data.  The library is the one the
    plugin loaded (same soname, so dlopen returns it)."""

    def __init__(self, ladder):
        self.runner = ladder.get_property('runner')
        self.lib = ctypes.CDLL('libgstladder-1.0.so.0')
        self.lib.gst_ladder_runner_restart.restype = ctypes.c_int
        self.lib.gst_ladder_runner_restart.argtypes = [
            ctypes.c_void_p, ctypes.c_char_p,
            ctypes.POINTER(ctypes.POINTER(GError))]
        self.glib = ctypes.CDLL('libglib-2.0.so.0')
        self.glib.g_error_free.argtypes = [ctypes.POINTER(GError)]
        get = ctypes.pythonapi.PyCapsule_GetPointer
        get.restype = ctypes.c_void_p
        get.argtypes = [ctypes.py_object, ctypes.c_char_p]
        self.ptr = get(self.runner.__gpointer__, None)

    def restart(self, key):
        err = ctypes.POINTER(GError)()
        ok = self.lib.gst_ladder_runner_restart(self.ptr, key.encode(),
                                                ctypes.byref(err))
        if ok:
            return None
        msg = err.contents.message.decode() if err else 'unknown error'
        if err:
            self.glib.g_error_free(err)
        return msg


class Soak:
    def __init__(self, args):
        self.args = args
        self.lock = threading.Lock()
        self.loop = GLib.MainLoop()
        self.renditions = [rendition_name(r)
                           for r in args.renditions.split(',')]
        self.target = args.fault_rendition
        self.target_key = 'x264:%s:video:live' % self.target
        self.untouched = ['video_' + r for r in self.renditions
                          if r != self.target] + \
            ['audio_' + r for r in self.renditions]

        self.pipeline = Gst.parse_launch(
            PIPELINE.format(renditions=args.renditions))
        self.ladder = self.pipeline.get_by_name('l')
        self.ladder.set_property('stats-interval', Gst.SECOND)
        # the plugin file as loaded now (a rebuild during the run replaces
        # the file, not what this process runs)
        plugin = self.ladder.get_factory().get_plugin()
        self.plugin_file = plugin.get_filename() if plugin else None
        try:
            self.plugin_mtime = time.strftime(
                '%Y-%m-%d %H:%M:%S',
                time.localtime(os.path.getmtime(self.plugin_file)))
        except (OSError, TypeError):
            self.plugin_mtime = None
        self.runner = Runner(self.ladder)
        self.malloc = Malloc()

        self.frames_in = {'video': 0, 'audio': 0}
        self.frames_out = {}      # pad name -> buffers
        self.eos_out = set()      # pad names whose fakesink saw EOS
        self.first_frame = {}     # pad name -> monotonic time
        self.pads_added = {}      # pad name -> monotonic time
        self.pads_removed = {}
        self.sinks = {}           # pad name -> (identity, fakesink)
        self.in_counters = {}     # track -> the identity before the ladder
        for track in ('video', 'audio'):
            if self.ladder.get_static_pad(track) is None:
                raise SystemExit('the ladder has no %s sink pad' % track)
            self.in_counters[track] = self.pipeline.get_by_name(
                'count_in_' + track)
        self.ladder.connect('pad-added', self.on_pad_added)
        self.ladder.connect('pad-removed', self.on_pad_removed)
        # the pads of the renditions in the ladder exist after the parse
        for pad in list(self.ladder.srcpads):
            self.on_pad_added(self.ladder, pad)

        bus = self.pipeline.get_bus()
        bus.add_signal_watch()
        bus.connect('message', self.on_message)

        self.t0 = None
        self.failures = []        # what made the run unsound
        self.errors = []          # ERROR messages on the bus
        self.warnings = []
        self.eos = False
        self.stats = {}           # key -> dict, from the last ladder-stats
        self.stats_gen = 0        # ladder-stats messages seen
        self.notices = {}         # broadcaster notice name -> count
        self.notice_list = []
        self.panics = []          # (t, key, next, panics, phase)
        self.other_panics = []
        self.faults = []          # one dict per fault
        self.cycles = []          # one dict per cycle
        self.removed_msgs = {}    # rendition -> drained
        self.added_msgs = {}      # rendition -> rungs
        self.manual_restarts = 0
        self.samples = []
        self.pending_samples = []  # (k, when it was due) during a cycle
        self.schedule = []        # (t, kind, index)
        self.pending_fault = None
        self.stop_at = None
        self.output_drops = {}    # src pad name -> buffers dropped for lag

    # -- streaming threads ----------------------------------------------------

    def on_sink_event(self, pad, info, name):
        if info.get_event().type == Gst.EventType.EOS:
            with self.lock:
                self.eos_out.add(name)
        return Gst.PadProbeReturn.OK

    # -- pads (runner thread) ----------------------------------------------

    def on_pad_added(self, element, pad):
        name = pad.get_name()
        if pad.get_direction() != Gst.PadDirection.SRC:
            return
        # identity counts (its stats, over every segment: a restarted rung
        # starts a new one, which resets a sink's own counters)
        counter = Gst.ElementFactory.make('identity', 'count_' + name)
        counter.set_property('silent', True)
        sink = Gst.ElementFactory.make('fakesink', 'sink_' + name)
        sink.set_property('sync', False)
        sink.set_property('async', False)
        if name.split('_', 1)[1] not in self.renditions:
            # a rendition of a cycle: its removal must end with EOS here
            sink.get_static_pad('sink').add_probe(
                Gst.PadProbeType.EVENT_DOWNSTREAM, self.on_sink_event, name)
        with self.lock:
            self.frames_out.setdefault(name, 0)
            self.pads_added[name] = time.monotonic()
            self.sinks[name] = (counter, sink)
        self.pipeline.add(counter)
        self.pipeline.add(sink)
        counter.link(sink)
        sink.sync_state_with_parent()
        counter.sync_state_with_parent()
        ret = pad.link(counter.get_static_pad('sink'))
        if ret != Gst.PadLinkReturn.OK:
            with self.lock:
                self.failures.append('%s: link to its fakesink: %s' %
                                     (name, ret.value_nick))

    @staticmethod
    def counted(identity):
        """Buffers that went through a counting identity."""
        ok, n = identity.get_property('stats').get_uint64('num-buffers')
        return n if ok else 0

    def rendered(self, elements):
        """Buffers out of an output: (identity, fakesink)."""
        return self.counted(elements[0])

    def read_counts(self, names=None):
        """Brings frames_in, and frames_out of the outputs still linked,
        up to date from the counting identities."""
        with self.lock:
            sinks = [(n, s) for n, s in self.sinks.items()
                     if names is None or n in names]
        counts = {n: self.rendered(s) for n, s in sinks}
        fin = {t: self.counted(c) for t, c in self.in_counters.items()}
        now = time.monotonic()
        with self.lock:
            self.frames_in.update(fin)
            for n, c in counts.items():
                self.frames_out[n] = c
                if c and n not in self.first_frame:
                    self.first_frame[n] = now

    def on_pad_removed(self, element, pad):
        name = pad.get_name()
        with self.lock:
            self.pads_removed[name] = time.monotonic()
        GLib.idle_add(self.release_sink, name)

    def release_sink(self, name):
        with self.lock:
            elements = self.sinks.pop(name, None)
        if elements is None:
            return False
        n = self.rendered(elements)
        with self.lock:
            self.frames_out[name] = n
            if n and name not in self.first_frame:
                self.first_frame[name] = time.monotonic()
        counter, sink = elements
        # the ladder unlinked its pad when it removed it; make sure
        inpad = counter.get_static_pad('sink')
        peer = inpad.get_peer()
        if peer is not None:
            peer.unlink(inpad)
        for e in (counter, sink):
            e.set_state(Gst.State.NULL)
            self.pipeline.remove(e)
        return False

    # -- bus (main thread) ---------------------------------------------------

    def now(self):
        return time.monotonic() - self.t0 if self.t0 else 0.0

    def on_message(self, bus, msg):
        t = msg.type
        if t == Gst.MessageType.ERROR:
            err, dbg = msg.parse_error()
            text = '%s: %s (%s)' % (msg.src.get_name(), err.message, dbg)
            log('ERROR ' + text)
            self.errors.append(text)
            self.loop.quit()
        elif t == Gst.MessageType.WARNING:
            err, dbg = msg.parse_warning()
            text = '%s: %s (%s)' % (msg.src.get_name(), err.message, dbg)
            if len(self.warnings) < 50:
                self.warnings.append(text)
            log('WARNING ' + text)
        elif t == Gst.MessageType.EOS:
            self.eos = True
            self.loop.quit()
        elif t == Gst.MessageType.ELEMENT:
            self.on_element_message(msg.get_structure())

    def on_element_message(self, s):
        name = s.get_name()
        if name == 'ladder-stats':
            ok, arr = s.get_array('rungs')
            if not ok:
                return
            with warnings.catch_warnings():
                warnings.simplefilter('ignore', DeprecationWarning)
                entries = [arr.get_nth(i) for i in range(arr.n_values)]
            stats = {}
            for e in entries:
                key = e.get_string('key')
                state = e.get_value('state')
                stats[key] = {
                    'state': getattr(state, 'value_nick', str(state)),
                    'fragments-in': e.get_value('fragments-in'),
                    'fragments-out': e.get_value('fragments-out'),
                    'drops': e.get_value('drops'),
                    'panics': e.get_value('panics'),
                    'restarts': e.get_value('restarts'),
                }
            self.stats = stats
            self.stats_gen += 1
        elif name == 'ladder-panic':
            key = '%s:%s:%s:%s' % (
                s.get_string('transcoder'), s.get_string('rendition'),
                s.get_string('track'), s.get_string('broadcast'))
            nxt = s.get_string('next')
            ok, panics = s.get_uint('panics')
            phase = s.get_value('phase')
            phase = getattr(phase, 'value_nick', str(phase))
            err = s.get_value('error') if s.has_field('error') else None
            err = getattr(err, 'message', None)
            ok, delay = s.get_uint64('restart-delay')
            delay = delay if ok else 0
            entry = (round(self.now(), 3), key, nxt, panics, phase)
            self.panics.append(entry)
            log('ladder-panic %s next=%s panics=%d phase=%s' %
                (key, nxt, panics, phase))
            if key != self.target_key:
                self.other_panics.append(entry)
                return
            f = self.pending_fault
            if f is None:
                self.failures.append('a panic of %s with no fault pending at '
                                     '%.1f s' % (key, self.now()))
                return
            f['panic_at'] = round(self.now(), 3)
            f['next'] = nxt
            f['phase'] = phase
            f['error'] = err
            if nxt == 'degraded':
                GLib.timeout_add(1000, self.restart_degraded, f)
            else:
                f['run_again_by'] = self.now() + delay / 1e9 + RUN_AGAIN_BOUND
                f['stats_gen'] = self.stats_gen
        elif name == 'ladder-rendition-removed':
            self.removed_msgs[s.get_string('rendition')] = \
                s.get_boolean('drained')[1]
        elif name == 'ladder-rendition-added':
            r = s.get_string('rendition')
            self.added_msgs[r] = self.added_msgs.get(r, 0) + \
                s.get_uint('rungs')[1]
        elif name.startswith('ladder-broadcaster-') and \
                name != 'ladder-broadcaster-state':
            self.notices[name] = self.notices.get(name, 0) + 1
            if len(self.notice_list) < 100:
                self.notice_list.append('%.1f s: %s' % (self.now(),
                                                        s.to_string()))
            log('%s %s' % (name, s.to_string()))

    # -- faults ---------------------------------------------------------------

    def target_encoder(self):
        """The x264enc of the PLAYING instance of the target rung."""
        prefix = 'rung-x264-%s-video-' % self.target
        rungs = []
        it = self.ladder.iterate_recurse()
        while True:
            res, elem = it.next()
            if res == Gst.IteratorResult.RESYNC:
                it.resync()
                rungs = []
                continue
            if res != Gst.IteratorResult.OK:
                break
            if elem.get_name().startswith(prefix) and \
                    elem.get_state(0)[1] == Gst.State.PLAYING:
                rungs.append(elem)
        if len(rungs) != 1:
            return None, len(rungs)
        it = rungs[0].iterate_recurse()
        while True:
            res, elem = it.next()
            if res != Gst.IteratorResult.OK:
                return None, 1
            factory = elem.get_factory()
            if factory is not None and factory.get_name() == 'x264enc':
                return elem, 1

    def inject_fault(self, index, tries=0):
        st = self.stats.get(self.target_key, {}).get('state')
        enc, n = (None, 0)
        if st == 'running' and self.pending_fault is None:
            enc, n = self.target_encoder()
        if enc is None:
            # the previous restart has not finished: try again shortly
            if tries >= 40:
                self.failures.append('fault %d: the rung was never ready '
                                     '(state %s, %d instances)' %
                                     (index, st, n))
                return False
            GLib.timeout_add(500, self.inject_fault, index, tries + 1)
            return False
        f = {'index': index, 'at': round(self.now(), 3),
             'element': enc.get_parent().get_parent().get_name() + '/' +
             enc.get_name(), 'panic_at': None, 'next': None,
             'running_at': None, 'manual_restart': False,
             'restarts_before': self.stats[self.target_key]['restarts']}
        self.faults.append(f)
        self.pending_fault = f
        err = GLib.Error.new_literal(Gst.CoreError.quark(),
                                     'soak: injected fault %d' % index,
                                     Gst.CoreError.FAILED)
        enc.post_message(Gst.Message.new_error(enc, err,
                                               'injected by soak.py'))
        f['panic_by'] = self.now() + PANIC_BOUND
        log('fault %d injected into %s' % (index, f['element']))
        return False

    def restart_degraded(self, f):
        msg = self.runner.restart(self.target_key)
        if msg is not None:
            self.failures.append('fault %d: restart of the degraded rung: %s'
                                 % (f['index'], msg))
            self.pending_fault = None
            return False
        self.manual_restarts += 1
        f['manual_restart'] = True
        f['run_again_by'] = self.now() + RUN_AGAIN_BOUND
        f['stats_gen'] = self.stats_gen
        log('fault %d: degraded rung restarted through the runner' %
            f['index'])
        return False

    def check_fault(self):
        f = self.pending_fault
        if f is None:
            return
        now = self.now()
        if f['panic_at'] is None:
            if now > f['panic_by']:
                self.failures.append('fault %d: no ladder-panic within %g s'
                                     % (f['index'], PANIC_BOUND))
                self.pending_fault = None
            return
        st = self.stats.get(self.target_key, {})
        if 'run_again_by' not in f:
            return  # degraded, restart asked shortly
        # a ladder-stats newer than the panic (or the restart asked) says
        # the rung runs again; an automatic restart is also counted
        if self.stats_gen > f['stats_gen'] and \
                st.get('state') == 'running' and \
                (f['manual_restart'] or
                 st.get('restarts', 0) > f['restarts_before']):
            f['running_at'] = round(now, 3)
            self.pending_fault = None
        elif now > f['run_again_by']:
            self.failures.append('fault %d: the rung did not run again '
                                 '(state %s)' % (f['index'], st.get('state')))
            self.pending_fault = None

    # -- add/remove cycles ----------------------------------------------------

    def add_cycle(self, index):
        name = 'cycle%d' % index
        desc = '%s:%s' % (name, CYCLE_SIZE)
        c = {'index': index, 'rendition': name,
             'added_at': round(self.now(), 3),
             'added': False, 'removed': False, 'drained': None, 'eos': False,
             'frames': {}, 'first_frame_s': None, 'remove_s': None}
        self.cycles.append(c)
        c['added'] = bool(self.ladder.emit('add-rendition', desc))
        if not c['added']:
            self.failures.append('cycle %d: add-rendition %s refused' %
                                 (index, desc))
        log('cycle %d: %s added' % (index, name))
        return False

    def remove_cycle(self, index):
        c = self.cycles[-1] if self.cycles else None
        if c is None or c['index'] != index or not c['added']:
            return False
        name = c['rendition']
        pads = ['video_' + name, 'audio_' + name]
        self.read_counts(pads)
        with self.lock:
            missing = [p for p in pads if p not in self.pads_added]
            first = self.first_frame.get(pads[0])
        if missing:
            self.failures.append('cycle %d: no pad-added for %s' %
                                 (index, ', '.join(missing)))
        if first is None:
            self.failures.append('cycle %d: no frame from %s in %.1f s' %
                                 (index, pads[0], self.now() - c['added_at']))
        else:
            c['first_frame_s'] = round(first - self.t0 - c['added_at'], 3)
        t = time.monotonic()
        c['removed'] = bool(self.ladder.emit('remove-rendition', name))
        c['remove_s'] = round(time.monotonic() - t, 3)
        if not c['removed']:
            self.failures.append('cycle %d: remove-rendition %s refused' %
                                 (index, name))
            self.cycle_done(c)
            return False
        GLib.timeout_add(200, self.check_removed, c, pads,
                         time.monotonic() + PAD_BOUND)
        return False

    def cycle_done(self, c):
        c['done'] = True
        if self.pending_samples:
            GLib.timeout_add(1500, self.take_pending_samples)

    def check_removed(self, c, pads, deadline):
        with self.lock:
            gone = all(p in self.pads_removed for p in pads)
            released = not any(p in self.sinks for p in pads)
            eos = all(p in self.eos_out for p in pads)
            frames = {p: self.frames_out.get(p, 0) for p in pads}
        drained = self.removed_msgs.get(c['rendition'])
        if gone and released and drained is not None:
            self.cycle_done(c)
            c['drained'] = drained
            c['eos'] = eos
            c['frames'] = frames
            if not drained or not eos:
                self.failures.append(
                    'cycle %d: removal not drained (message drained=%s, EOS '
                    'at the fakesinks: %s)' % (c['index'], drained, eos))
            log('cycle %d: %s removed in %.2f s, frames %s, drained %s' %
                (c['index'], c['rendition'], c['remove_s'], frames, drained))
            return False
        if time.monotonic() > deadline:
            self.cycle_done(c)
            self.failures.append(
                'cycle %d: within %g s of remove-rendition: pads removed %s, '
                'fakesinks released %s, ladder-rendition-removed %s' %
                (c['index'], PAD_BOUND, gone, released, drained))
            return False
        return True

    # -- schedule -------------------------------------------------------------

    def plan(self):
        a = self.args
        d = a.duration
        lead = max(10.0, 0.01 * d)
        tail = max(10.0, 0.015 * d)
        span = d - lead - tail
        if a.faults:
            fp = span / a.faults
            for i in range(a.faults):
                self.schedule.append((lead + (i + 0.75) * fp, 'fault', i))
        if a.cycles:
            cp = span / a.cycles
            hold = a.hold if a.hold else min(10.0, 0.4 * cp)
            self.hold = hold
            for i in range(a.cycles):
                t = lead + (i + 0.25) * cp
                self.schedule.append((t, 'add', i))
                self.schedule.append((t + hold, 'remove', i))
        self.interval = 60.0 * d / FULL
        n = int(round(d / self.interval))
        for k in range(n + 1):
            self.schedule.append((k * self.interval, 'sample', k))
        self.schedule.sort(key=lambda e: (e[0], e[1] != 'sample'))
        self.stop_at = d

    def cycle_active(self):
        c = self.cycles[-1] if self.cycles else None
        return c is not None and c['added'] and not c.get('done')

    def take_pending_samples(self):
        pending, self.pending_samples = self.pending_samples, []
        for k, due in pending:
            self.sample(k, self.now() - due)
        return False

    def sample(self, k, deferred=0.0):
        if self.args.malloc_trim:
            self.malloc.trim()
        self.read_counts()
        with self.lock:
            frames = dict(self.frames_out)
            fin = dict(self.frames_in)
        in_use, kept = self.malloc.info()
        load, psi = host_load()
        s = {'k': k, 't': round(self.now(), 1), 'rss_kb': rss_kb(),
             'deferred_s': round(deferred, 1),
             'load1': load, 'cpu_pressure60': psi,
             'heap_in_use_kb': in_use, 'heap_free_kept_kb': kept,
             'cpu_s': round(cpu_seconds(), 1), 'frames_in': fin,
             'frames_out': {p: frames.get(p, 0) for p in
                            sorted(frames) if 'cycle' not in p}}
        self.samples.append(s)
        log('[%5.0f s] sample %d: RSS %d kB (heap in use %s kB, free kept '
            '%s kB), CPU %.0f s, load %.1f, CPU pressure %s%%, in %s, '
            'faults %d, panics %d, cycles %d' % (
                s['t'], k, s['rss_kb'], in_use, kept, s['cpu_s'], load, psi,
                fin,
                len(self.faults), len(self.panics), len(self.cycles)))

    def tick(self):
        now = self.now()
        self.check_fault()
        c = self.cycles[-1] if self.cycles else None
        if c is not None and c['added'] and not c['removed']:
            self.read_counts(['video_' + c['rendition']])
        while self.schedule and self.schedule[0][0] <= now:
            t, kind, i = self.schedule.pop(0)
            if kind == 'sample':
                if self.cycle_active():
                    self.pending_samples.append((i, t))
                else:
                    self.sample(i)
            elif kind == 'fault':
                self.inject_fault(i)
            elif kind == 'add':
                self.add_cycle(i)
            elif kind == 'remove':
                self.remove_cycle(i)
        if now >= self.stop_at and not self.schedule:
            self.finish()
            return False
        return True

    def finish(self):
        self.take_pending_samples()
        self.final_stats = dict(self.stats)
        log('sending EOS to the sources')
        self.eos_sent = self.now()
        for name in ('vsrc', 'asrc'):
            self.pipeline.get_by_name(name).send_event(Gst.Event.new_eos())
        GLib.timeout_add(int(self.args.eos_timeout * 1000), self.eos_timeout)

    def eos_timeout(self):
        if not self.eos:
            self.failures.append('no EOS on the bus within %g s of the EOS '
                                 'sent to the sources' % self.args.eos_timeout)
            log('no EOS within %g s' % self.args.eos_timeout)
            self.loop.quit()
        return False

    # -- run ------------------------------------------------------------------

    def run(self):
        self.plan()
        ret = self.pipeline.set_state(Gst.State.PLAYING)
        if ret == Gst.StateChangeReturn.FAILURE:
            raise SystemExit('the pipeline did not start')
        self.t0 = time.monotonic()
        self.eos_sent = None
        self.final_stats = {}
        GLib.timeout_add(100, self.tick)
        self.loop.run()
        self.eos_at = self.now() if self.eos else None
        self.read_counts()
        if self.eos and self.pending_fault is not None:
            self.check_fault()
        # a last ladder-stats may be pending on the bus
        bus = self.pipeline.get_bus()
        while True:
            msg = bus.pop_filtered(Gst.MessageType.ELEMENT)
            if msg is None:
                break
            self.on_element_message(msg.get_structure())
        self.output_drops = self.read_output_drops()
        done = threading.Event()

        def stop():
            self.pipeline.set_state(Gst.State.NULL)
            done.set()

        th = threading.Thread(target=stop, daemon=True)
        th.start()
        if not done.wait(SHUTDOWN_BOUND):
            self.failures.append('the pipeline did not reach NULL within '
                                 '%g s' % SHUTDOWN_BOUND)
            self.shutdown_hung = True
        else:
            self.shutdown_hung = False

    def read_output_drops(self):
        """Buffers each output broadcaster (`live/<rendition>`) dropped on
        its src pads (a lagging branch loses whole GOPs): what the ladder
        itself says it dropped between a rung and its src pad."""
        drops = {}
        it = self.ladder.iterate_recurse()
        while True:
            res, elem = it.next()
            if res != Gst.IteratorResult.OK:
                break
            factory = elem.get_factory()
            if factory is None or factory.get_name() != 'ladderbroadcaster':
                continue
            st = elem.get_property('stats')
            bc = st.get_string('broadcast') or ''
            ok, arr = st.get_array('pads')
            if not ok or not bc.startswith('live/'):
                continue
            with warnings.catch_warnings():
                warnings.simplefilter('ignore', DeprecationWarning)
                pads = [arr.get_nth(i) for i in range(arr.n_values)]
            name = '%s_%s' % (st.get_string('track'), bc[len('live/'):])
            drops[name] = sum(p.get_value('dropped') for p in pads)
        return drops

    # -- results --------------------------------------------------------------

    def results(self, argv):
        a = self.args
        scale = a.duration / FULL
        with self.lock:
            fin = dict(self.frames_in)
            fout = dict(self.frames_out)
        res = {'command': argv,
               'plugin_path': os.environ.get('GST_PLUGIN_PATH'),
               'plugin_file': self.plugin_file,
               'plugin_mtime': self.plugin_mtime,
               'pipeline': PIPELINE.format(renditions=a.renditions),
               'duration_s': a.duration, 'scale': scale,
               'malloc_trim': a.malloc_trim,
               'malloc_arena_max': a.malloc_arena_max,
               'sample_interval_s': self.interval}

        # RSS criterion
        ref_k = 10
        win_k = 30
        ref = [s for s in self.samples if s['k'] == ref_k]
        win = [s['rss_kb'] for s in self.samples if s['k'] >= win_k]
        rss = {'reference_time_s': ref_k * self.interval,
               'window_from_s': win_k * self.interval,
               'scaled': scale != 1.0}
        if ref and win:
            r = ref[0]['rss_kb']
            m = statistics.mean(win)
            rss.update({'reference_kb': r, 'window_mean_kb': round(m, 1),
                        'window_samples': len(win),
                        'change': round((m - r) / r, 4),
                        'pass': abs(m - r) <= RSS_TOLERANCE * r})
            hr = ref[0]['heap_in_use_kb']
            hw = [s['heap_in_use_kb'] for s in self.samples
                  if s['k'] >= win_k and s['heap_in_use_kb'] is not None]
            if hr and hw:
                hm = statistics.mean(hw)
                rss.update({'heap_in_use_reference_kb': hr,
                            'heap_in_use_window_mean_kb': round(hm, 1),
                            'heap_in_use_change': round((hm - hr) / hr, 4)})
        else:
            rss.update({'pass': False, 'why': 'not enough samples'})
        res['rss'] = rss

        # frames
        pads = {}
        for p in sorted(fout):
            if 'cycle' in p:
                continue
            track, rend = p.split('_', 1)
            key = '%s:%s:%s:live' % (
                'x264' if track == 'video' and rend != 'source'
                else 'passthrough', rend, track)
            # what the ladder reports dropping for lag: before the rung
            # (its key's drops) and after it (the output broadcaster)
            rung_drops = self.stats.get(key, {}).get('drops', 0)
            out_drops = self.output_drops.get(p, 0)
            pads[p] = {'in': fin[track], 'out': fout[p],
                       'lost': fin[track] - fout[p],
                       'rung_drops': rung_drops, 'output_drops': out_drops,
                       'untouched': p in self.untouched}
        missing = [p for p in self.untouched if p not in pads]
        frames_ok = not missing and all(
            v['lost'] == 0 for v in pads.values() if v['untouched'])
        res['frames'] = {'in': fin, 'pads': pads,
                         'missing_pads': missing, 'pass': frames_ok}

        faults = {'injected': len(self.faults),
                  'asked': a.faults,
                  'panics_of_target': sum(1 for p in self.panics
                                          if p[1] == self.target_key),
                  'panics_other': self.other_panics,
                  'next_restart': sum(1 for f in self.faults
                                      if f['next'] == 'restart'),
                  'next_degraded': sum(1 for f in self.faults
                                       if f['next'] == 'degraded'),
                  'runner_restarts_asked': self.manual_restarts,
                  'ran_again': sum(1 for f in self.faults
                                   if f['running_at'] is not None),
                  'target_key': self.target_key,
                  'target_stats': self.stats.get(self.target_key),
                  'list': self.faults}
        res['faults'] = faults
        firsts = [c['first_frame_s'] for c in self.cycles
                  if c['first_frame_s'] is not None]
        removes = [c['remove_s'] for c in self.cycles
                   if c['remove_s'] is not None]
        res['cycles'] = {
            'asked': a.cycles, 'added': sum(c['added'] for c in self.cycles),
            'removed_drained': sum(1 for c in self.cycles
                                   if c['drained'] and c['eos']),
            'hold_s': getattr(self, 'hold', None),
            'first_frame_s_median': round(statistics.median(firsts), 3)
            if firsts else None,
            'first_frame_s_max': max(firsts) if firsts else None,
            'remove_s_median': round(statistics.median(removes), 3)
            if removes else None,
            'remove_s_max': max(removes) if removes else None,
            'list': self.cycles}
        res['stats_before_eos'] = self.final_stats
        res['stats_at_end'] = self.stats
        res['broadcaster_notices'] = self.notices
        res['broadcaster_notice_list'] = self.notice_list
        res['errors'] = self.errors
        res['warnings'] = self.warnings
        res['eos'] = {'received': self.eos, 'sent_at_s': self.eos_sent,
                      'received_at_s': self.eos_at,
                      'timeout_s': a.eos_timeout}
        ru = resource.getrusage(resource.RUSAGE_SELF)
        res['cpu'] = {'user_s': round(ru.ru_utime, 1),
                      'system_s': round(ru.ru_stime, 1),
                      'total_s': round(ru.ru_utime + ru.ru_stime, 1),
                      'max_rss_kb': ru.ru_maxrss}
        res['samples'] = self.samples

        fails = list(self.failures)
        if self.errors:
            fails.append('ERROR on the bus: %s' % self.errors[0])
        if not self.eos:
            fails.append('no EOS')
        if len(self.faults) != a.faults:
            fails.append('%d of %d faults injected' % (len(self.faults),
                                                       a.faults))
        if faults['panics_of_target'] != len(self.faults):
            fails.append('%d faults, %d panics of the target' %
                         (len(self.faults), faults['panics_of_target']))
        if faults['ran_again'] != len(self.faults):
            fails.append('%d of %d faults followed by the rung running again'
                         % (faults['ran_again'], len(self.faults)))
        if self.other_panics:
            fails.append('panics of other rungs: %s' % self.other_panics)
        if res['cycles']['removed_drained'] != a.cycles:
            fails.append('%d of %d cycles added and drained' %
                         (res['cycles']['removed_drained'], a.cycles))
        if not rss['pass']:
            fails.append('RSS not flat')
        if not frames_ok:
            fails.append('frames lost on untouched rungs')
        res['failures'] = fails
        res['verdict'] = 'PASS' if not fails else 'FAIL'
        return res


def print_summary(res):
    p = print
    a = res
    p('## Soak: live ladder, %g s' % a['duration_s'])
    p()
    p('- command: `%s`' % ' '.join(shlex.quote(x) for x in a['command']))
    p('- GST_PLUGIN_PATH: `%s`; plugin `%s` (modified %s)' % (
        a['plugin_path'], a['plugin_file'], a['plugin_mtime']))
    p('- pipeline: `%s`' % a['pipeline'])
    r = a['rss']
    if r['scaled']:
        p('- times scaled by duration/3600 = %.4g: RSS sampled every %.3g s '
          '("minute"), reference at %.4g s ("minute 10"), mean from %.4g s '
          '("last 30 minutes")' % (a['scale'], a['sample_interval_s'],
                                   r['reference_time_s'], r['window_from_s']))
    p()
    if a.get('malloc_arena_max'):
        p('- --malloc-arena-max %d: glibc keeps at most %d malloc arenas '
          '(MALLOC_ARENA_MAX)' % (a['malloc_arena_max'], a['malloc_arena_max']))
    if a['malloc_trim']:
        p('- --malloc-trim: malloc_trim(0) before each sample (a diagnostic '
          'run: RSS without the freed memory the allocator keeps)')
    p()
    p('| sample | t s | RSS kB | heap in use kB | heap free kept kB | '
      'CPU s | load | CPU pressure % |')
    p('|---|---|---|---|---|---|---|---|')
    for s in a['samples']:
        p('| %d | %.0f | %d | %s | %s | %.0f | %.1f | %s |' % (
            s['k'], s['t'], s['rss_kb'], s['heap_in_use_kb'],
            s['heap_free_kept_kb'], s['cpu_s'], s['load1'],
            s['cpu_pressure60']))
    p()
    if 'reference_kb' in r:
        p('- RSS at sample 10: %d kB; mean of samples 30..: %.0f kB (%d '
          'samples); change %+.2f%% (limit 5%%): %s' % (
              r['reference_kb'], r['window_mean_kb'], r['window_samples'],
              100 * r['change'], 'PASS' if r['pass'] else 'FAIL'))
        if 'heap_in_use_change' in r:
            p('- for comparison, heap in use (mallinfo2, not a criterion): '
              '%d kB at sample 10, mean %.0f kB from sample 30 (%+.2f%%)' % (
                  r['heap_in_use_reference_kb'],
                  r['heap_in_use_window_mean_kb'],
                  100 * r['heap_in_use_change']))
    else:
        p('- RSS: %s' % r.get('why'))
    p()
    p('| pad | frames in | frames out | lost | lag drops before / after '
      'the rung | untouched |')
    p('|---|---|---|---|---|---|')
    for name, v in a['frames']['pads'].items():
        p('| %s | %d | %d | %d | %d / %d | %s |' % (
            name, v['in'], v['out'], v['lost'], v['rung_drops'],
            v['output_drops'], 'yes' if v['untouched'] else 'no'))
    p()
    p('- frames on untouched rungs: %s' %
      ('PASS (none lost)' if a['frames']['pass'] else 'FAIL'))
    f = a['faults']
    st = f['target_stats'] or {}
    p('- faults: %d injected (%d asked) into %s; %d ladder-panic of it '
      '(next=restart %d, degraded %d); restarts by the runner (stats): %s; '
      'restarts asked of the runner for a degraded rung: %d; ran again after '
      '%d; panics of other rungs: %d' % (
          f['injected'], f['asked'], f['target_key'], f['panics_of_target'],
          f['next_restart'], f['next_degraded'], st.get('restarts'),
          f['runner_restarts_asked'], f['ran_again'], len(f['panics_other'])))
    c = a['cycles']
    p('- cycles: %d asked, %d added, %d removed drained (EOS at the '
      'fakesinks); hold %.3g s; add to first frame median %s s, max %s s; '
      'remove-rendition median %s s, max %s s' % (
          c['asked'], c['added'], c['removed_drained'], c['hold_s'] or 0,
          c['first_frame_s_median'], c['first_frame_s_max'],
          c['remove_s_median'], c['remove_s_max']))
    p('- broadcaster notices: %s' % (a['broadcaster_notices'] or 'none'))
    p('- EOS: %s' % ('received %.2f s after it was sent' %
                     (a['eos']['received_at_s'] - a['eos']['sent_at_s'])
                     if a['eos']['received'] else 'NOT received'))
    p('- CPU time: %.1f s user, %.1f s system, %.1f s total (%.0f%% of one '
      'core); max RSS %d kB' % (
          a['cpu']['user_s'], a['cpu']['system_s'], a['cpu']['total_s'],
          100 * a['cpu']['total_s'] / a['duration_s'], a['cpu']['max_rss_kb']))
    p('- warnings on the bus: %d' % len(a['warnings']))
    p()
    if a['failures']:
        p('FAIL:')
        for x in a['failures']:
            p('- ' + x)
    else:
        p('PASS')


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--duration', type=float, default=FULL,
                    help='seconds of running (default %(default)s)')
    ap.add_argument('--cycles', type=int, default=100,
                    help='add/remove cycles (default %(default)s)')
    ap.add_argument('--faults', type=int, default=100,
                    help='faults injected (default %(default)s)')
    ap.add_argument('--hold', type=float, default=0,
                    help='seconds an added rendition lives (default: '
                    'min(10, 0.4 * the cycle period))')
    ap.add_argument('--renditions', default=RENDITIONS,
                    help='the four rungs (default %(default)s)')
    ap.add_argument('--fault-rendition', default='240p',
                    help='the x264 rendition faulted (default %(default)s)')
    ap.add_argument('--eos-timeout', type=float, default=10.0,
                    help='seconds to wait for EOS at the end')
    ap.add_argument('--malloc-trim', action='store_true',
                    help='diagnostic: malloc_trim(0) before each RSS sample, '
                    'so that RSS leaves out freed memory glibc keeps')
    ap.add_argument('--malloc-arena-max', type=int, default=0,
                    help='at most this many glibc malloc arenas '
                    '(mallopt M_ARENA_MAX, as MALLOC_ARENA_MAX=N does; '
                    'default 0: glibc\'s own limit, 8 per core)')
    ap.add_argument('--json', help='write the results here')
    ap.add_argument('--build-dir',
                    help='gst-ladder build directory (its plugin is used)')
    args = ap.parse_args()
    if args.duration < 60:
        ap.error('--duration must be at least 60 s')

    if args.build_dir:
        plugdir = os.path.join(os.path.abspath(args.build_dir), 'gst',
                               'elements')
        os.environ['GST_PLUGIN_PATH'] = plugdir + (
            os.pathsep + os.environ['GST_PLUGIN_PATH']
            if os.environ.get('GST_PLUGIN_PATH') else '')
    if args.malloc_arena_max > 0:
        # before any thread: an arena is chosen at a thread's first malloc
        Malloc().arena_max(args.malloc_arena_max)
    Gst.init(None)
    missing = [f for f in NEEDED if not Gst.ElementFactory.find(f)]
    if missing:
        print('SKIP: GStreamer elements missing: %s' % ', '.join(missing))
        return 77
    names = [rendition_name(r) for r in args.renditions.split(',')]
    if args.fault_rendition not in names or args.fault_rendition == 'source':
        ap.error('--fault-rendition must be an x264 rendition of the ladder')

    argv = [sys.executable] + sys.argv
    soak = Soak(args)
    log('soak: %g s, %d faults, %d cycles; %s' % (
        args.duration, args.faults, args.cycles, ' '.join(argv)))
    soak.run()
    res = soak.results(argv)
    if args.json:
        with open(args.json, 'w', encoding='utf-8') as f:
            json.dump(res, f, indent=1, default=str)
    print_summary(res)
    sys.stdout.flush()
    if soak.shutdown_hung:
        os._exit(1)
    return 0 if res['verdict'] == 'PASS' else 1


if __name__ == '__main__':
    sys.exit(main())
