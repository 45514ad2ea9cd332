#!/usr/bin/env python3
# gst-ladder
# Copyright (C) 2026 The gst-ladder authors
#
# This library is free software; you can redistribute it and/or
# modify it under the terms of the GNU Library General Public
# License as published by the Free Software Foundation; either
# version 2 of the License, or (at your option) any later version.
"""Benchmark a whole ABR ladder: gst-ladder against FFmpeg and a stock
GStreamer tee pipeline.

One command:

    tests/bench/ladder-vs-ffmpeg.py --build-dir build

It makes a deterministic 1080p30 H.264 clip (testsrc2 + temporal noise with
a fixed seed, encoded single-threaded and bit-exact, so the bytes are the same
every run; the SHA-256 is printed), then runs the contenders alternately
--runs times each and reports medians of CPU seconds (user+sys of the process
and its children, from wait4), wall seconds and peak RSS, and, per rung, the
PSNR against the source scaled to the rung size with lanczos (FFmpeg's psnr
filter: Y, U, V and its average) and the achieved bitrate.

Contenders (every one gets exactly the same x264 settings, see X264 below):
  ladder  gst-ladder's `ladder` element, offline, every frame
  ffmpeg  -filter_complex split + scale, one libx264 per rung
  stock   GStreamer: decode once, tee, videoscale, x264enc per rung

--parts measures the pieces alone (decode; decode+scale per rung, each rung
scaled from the picture the ladder scales it from; encode per rung from
the raw frames the ladder encodes), with the scaler settings and x264
threads the ladder uses inside, so the ladder can be compared with the sum
of its parts and with its floor (the decode and the encodes), also round
by round.
--layouts runs the same work as hand-built pipelines, from the floor's
work in one process (the decode and the encodes from raw frames) up to the
ladder, one step at a time (the scalers; the encoders fed by them; a
thread per resize step; the ladder element), and reports each step's CPU
against the one before it, round by round.
--sweep runs the stock pipeline with a list of scaler settings to find the
ones that match FFmpeg's quality at the least CPU.
--live N measures how many clock-paced copies of the clip (live 1080p30
sources) this machine ladders at once in real time, every copy to every
rung in a process of its own, ladder against FFmpeg, from 1 (or
--live-from) to N sources (the latency a rung adds and the time to a new
rung's first buffer: tests/bench/ladder-live.py).

The report gives a speed check of each CPU (the same fixed loop
pinned to each one, before and after the runs): on a shared or virtual
machine the CPUs may run at different speeds, and the parts, which run one
thread each, then usually run on the faster one while the contenders use
all of them. --pin-cpu N runs every measured command on CPU N alone, which
compares like with like on such a machine (CPU seconds are still the
measure; wall seconds then mean little).

Only public tools are used: ffmpeg, ffprobe, gst-launch-1.0, gst-inspect-1.0.
"""

import argparse
import hashlib
import os
import platform
import re
import resource
import shlex
import shutil
import statistics
import subprocess
import sys
import threading
import time

# The x264 settings for live ABR that every contender gets.  vbv buffer is
# given in seconds of the rung bitrate; maxrate = bitrate (capped VBR, "cbr"
# in x264's own option string).
#
# Keyframes as ladderx264 makes them (docs/ladderx264.md): an IDR forced
# every 'keyint' frames (2 s at 30 fps) on a time grid, so that a rung added
# at runtime puts its keyframes where the others do, and x264's own keyint
# at twice that as a backstop that never fires before the forced one.
# FFmpeg gets the same: -force_key_frames on the same grid and -g of twice
# the interval (x264's keyint_min then defaults to keyint / 10 on both).
X264 = {
    'preset': 'veryfast',
    'bframes': 0,
    'keyint': 60,
    'keyint_seconds': 2,
    'keyint_max': 120,
    'scenecut': 0,
    'vbv_seconds': 0.6,
}

DEFAULT_RENDITIONS = '720p:1280x720@2500,480p:854x480@1200,240p:426x240@400'

# The stock pipeline's scaler by default: GStreamer's defaults (bilinear),
# except that the source colorimetry is kept (see stock_command()).
DEFAULT_STOCK_SCALE = ''

# Settings tried by --sweep on the stock pipeline.  Each entry: (label,
# videoscale properties, cascade from the nearest larger rung, x264 threads
# per rung as {rung height: threads} or 0 for x264's auto).  In an I420 to
# I420 scale, videoscale scales the chroma planes with chroma-resampler
# (default linear), not with method: that is where the chroma PSNR goes.
LADDER_THREADS = {720: 2, 480: 2, 240: 1}

# What the ladder runs (gst/ladder/ladderx264.c, gst/ladder/ladderrung.c):
# its scaler (element and properties), x264 threads from the rung size
# capped at half the cores, and one decoder thread per 1080p of source
# without direct rendering.  --parts measures the pieces with these, so
# that the sum of the parts is what the ladder itself should cost.
LADDER_SCALE = 'ladderscale method=lanczos chroma-siting=centre'


def ladder_decoder(width, height):
    threads = -(-width * height // (1920 * 1088))
    threads = max(1, min(threads, (os.cpu_count() or 1) // 2))
    return ['avdec_h264', 'max-threads=%d' % threads,
            'direct-rendering=false']


def ladder_threads(rung):
    pixels = rung.width * rung.height
    n = 1 if pixels <= 640 * 360 else 2 if pixels <= 1280 * 720 else 4
    return max(1, min(n, (os.cpu_count() or 1) // 2))
SWEEP = [
    ('bilinear (stock default)', '', False, 0),
    ('lanczos', 'method=lanczos', False, 0),
    ('catrom', 'method=catrom', False, 0),
    ('catrom + chroma cubic', 'method=catrom chroma-resampler=cubic',
     False, 0),
    ('catrom + chroma lanczos', 'method=catrom chroma-resampler=lanczos',
     False, 0),
    ('lanczos + chroma lanczos', 'method=lanczos chroma-resampler=lanczos',
     False, 0),
    ('catrom + chroma lanczos, cascade',
     'method=catrom chroma-resampler=lanczos', True, 0),
    ('catrom + chroma lanczos, threads 2/2/1',
     'method=catrom chroma-resampler=lanczos', False, LADDER_THREADS),
    ('catrom + chroma lanczos, threads 1',
     'method=catrom chroma-resampler=lanczos', False, 1),
]


class Rung:
    def __init__(self, name, width, height, kbps):
        self.name = name
        self.width = width
        self.height = height
        self.kbps = kbps

    def spec(self):
        return '%s:%dx%d@%d' % (self.name, self.width, self.height, self.kbps)


def parse_renditions(text):
    rungs = []
    for item in text.split(','):
        m = re.fullmatch(r'\s*([A-Za-z0-9_]+):(\d+)x(\d+)@(\d+)\s*', item)
        if not m:
            raise SystemExit('bad rendition %r: expected name:WxH@kbps, '
                             'e.g. 720p:1280x720@2500' % item)
        rungs.append(Rung(m.group(1), int(m.group(2)), int(m.group(3)),
                          int(m.group(4))))
    return rungs


def log(*args):
    print(*args, file=sys.stderr, flush=True)


# ---------------------------------------------------------------------------
# Running a command and measuring it

class Result:
    def __init__(self, cpu, wall, rss_kb, rc, stderr):
        self.cpu = cpu
        self.user = 0.0
        self.sys = 0.0
        self.wall = wall
        self.rss_kb = rss_kb
        self.rc = rc
        self.stderr = stderr


# The CPUs every measured command runs on (--pin-cpu), or None: all
PIN_CPUS = None


def run_measured(cmd, env=None, timeout=None, cpus=None):
    """Runs @cmd and measures it (on @cpus, else on PIN_CPUS, else on
    any CPU)."""
    start = time.monotonic()
    cpus = cpus if cpus is not None else PIN_CPUS
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, env=env,
                            preexec_fn=(lambda: os.sched_setaffinity(0, cpus))
                            if cpus is not None else None)
    errbuf = []
    # Read stderr in a thread; wait4 then gives the child's own rusage.

    def drain():
        errbuf.append(proc.stderr.read())
    t = threading.Thread(target=drain)
    t.start()
    deadline = None if timeout is None else start + timeout
    while True:
        pid, status, ru = os.wait4(proc.pid, os.WNOHANG)
        if pid:
            break
        if deadline and time.monotonic() > deadline:
            log('timeout after %g s, killing: %s' % (timeout, shlex.join(cmd)))
            proc.kill()
            pid, status, ru = os.wait4(proc.pid, 0)
            break
        time.sleep(0.01)
    wall = time.monotonic() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    t.join()
    r = Result(ru.ru_utime + ru.ru_stime, wall, ru.ru_maxrss,
               proc.returncode, errbuf[0].decode('utf-8', 'replace'))
    r.user = ru.ru_utime
    r.sys = ru.ru_stime
    return r


def check_output(cmd, env=None):
    return subprocess.run(cmd, check=True, capture_output=True,
                          text=True, env=env).stdout


# ---------------------------------------------------------------------------
# The clip

def make_clip(path, width, height, duration, fps=30, noise=6):
    """A deterministic H.264 clip: moving test pattern plus temporal noise
    of strength @noise with a fixed seed, encoded with one thread and
    bitexact flags."""
    vf = ('testsrc2=size=%dx%d:rate=%d:duration=%g,'
          'noise=alls=%d:allf=t:all_seed=4242,format=yuv420p'
          % (width, height, fps, duration, noise))
    kbps = max(500, int(12000 * width * height / (1920 * 1080)))
    cmd = ['ffmpeg', '-hide_banner', '-loglevel', 'error', '-y',
           '-f', 'lavfi', '-i', vf,
           '-c:v', 'libx264', '-preset', 'veryfast', '-threads', '1',
           '-b:v', '%dk' % kbps, '-maxrate', '%dk' % kbps,
           '-bufsize', '%dk' % (2 * kbps), '-g', '60', '-bf', '0',
           '-colorspace', 'bt709', '-color_primaries', 'bt709',
           '-color_trc', 'bt709', '-color_range', 'tv',
           '-fflags', '+bitexact', '-flags:v', '+bitexact',
           '-map_metadata', '-1', path]
    if not os.path.exists(path):
        log('making the clip: ' + shlex.join(cmd))
        tmp = path + '.part.mp4'
        subprocess.run(cmd[:-1] + [tmp], check=True)
        os.replace(tmp, path)
    h = hashlib.sha256()
    with open(path, 'rb') as f:
        for block in iter(lambda: f.read(1 << 20), b''):
            h.update(block)
    return cmd, h.hexdigest()


# ---------------------------------------------------------------------------
# The contenders' commands

def vbv_kbit(rung):
    return int(round(rung.kbps * X264['vbv_seconds']))


def ffmpeg_x264_args(rung, threads):
    args = ['-c:v', 'libx264', '-preset', X264['preset'],
            '-bf', str(X264['bframes']), '-g', str(X264['keyint_max']),
            '-force_key_frames',
            'expr:gte(t,n_forced*%d)' % X264['keyint_seconds'],
            '-sc_threshold', str(X264['scenecut']),
            '-b:v', '%dk' % rung.kbps, '-maxrate', '%dk' % rung.kbps,
            '-bufsize', '%dk' % vbv_kbit(rung)]
    if threads:
        args += ['-threads', str(threads)]
    return args


def gst_x264_props(rung, threads):
    # The stock pipeline cannot force keyframes on a time grid from a
    # gst-launch line: it gets x264's keyint = the interval instead, which
    # puts its keyframes on the same frames.  x264enc applies only the properties set explicitly on top of the
    # preset: bframes must be given or the preset's B-frames stay.  In
    # pass=cbr (the default) vbv-maxrate = bitrate and vbv-bufsize =
    # bitrate * vbv-buf-capacity / 1000.
    props = ['speed-preset=%s' % X264['preset'],
             'bframes=%d' % X264['bframes'],
             'key-int-max=%d' % X264['keyint'],
             'bitrate=%d' % rung.kbps,
             'vbv-buf-capacity=%d' % int(X264['vbv_seconds'] * 1000),
             'option-string=scenecut=%d:min-keyint=%d' % (X264['scenecut'],
                                                          X264['keyint'])]
    if threads:
        props.append('threads=%d' % threads)
    return props


def ffmpeg_command(src, rungs, outdir, threads, scale_flags):
    chains = ['[0:v]split=%d%s' % (len(rungs),
                                   ''.join('[s%d]' % i for i in range(len(rungs))))]
    for i, r in enumerate(rungs):
        flags = ':flags=%s' % scale_flags if scale_flags else ''
        chains.append('[s%d]scale=%d:%d%s[o%d]' % (i, r.width, r.height,
                                                   flags, i))
    cmd = ['ffmpeg', '-hide_banner', '-nostats', '-loglevel', 'error', '-y',
           '-i', src, '-filter_complex', ';'.join(chains)]
    for i, r in enumerate(rungs):
        cmd += ['-map', '[o%d]' % i] + ffmpeg_x264_args(r, threads)
        cmd += ['-an', os.path.join(outdir, r.name + '.mp4')]
    return cmd


def demux_head(src):
    return ['filesrc', 'location=%s' % src, '!', 'qtdemux', '!', 'h264parse']


def stock_command(src, rungs, outdir, threads, scale_props, cascade,
                  sink=None):
    """decode once, tee, (queue, videoscale, caps, x264enc) per rung.
    The caps keep the source colorimetry; without it videoscale turns the
    SD rungs into BT.601.  With @cascade each rung is scaled from the
    nearest larger rung instead of from the source."""
    p = ['gst-launch-1.0', '-q'] + demux_head(src) + ['!', 'avdec_h264']
    p += ['!', 'tee', 'name=t']
    order = sorted(rungs, key=lambda r: -r.height)
    for i, r in enumerate(order):
        parent = 't.'
        if cascade and i > 0:
            parent = 't%s.' % order[i - 1].name
        caps = 'video/x-raw,width=%d,height=%d,colorimetry=bt709' % (
            r.width, r.height)
        p += [parent, '!', 'queue', '!', 'videoscale'] + shlex.split(
            scale_props) + ['!', caps]
        if cascade and i + 1 < len(order):
            p += ['!', 'tee', 'name=t%s' % r.name, 't%s.' % r.name, '!',
                  'queue']
        if sink == 'fake':
            p += ['!', 'fakesink', 'sync=false']
            continue
        t = threads.get(r.height, 0) if isinstance(threads, dict) else threads
        p += ['!', 'x264enc'] + gst_x264_props(r, t)
        p += ['!', 'h264parse', '!', 'mp4mux', '!', 'filesink',
              'location=%s' % os.path.join(outdir, r.name + '.mp4')]
    return p


def ladder_command(src, rungs, outdir, ladder_props, paced=False):
    spec = ','.join(r.spec() for r in rungs)
    # h264parse in front of the ladder, as a live source would feed it (its
    # IDR frames carry the HEADER flag; the ladder starts rungs on them);
    # paced: at real time, as a live camera delivers it
    p = ['gst-launch-1.0', '-q'] + demux_head(src)
    if paced:
        p += ['!', 'identity', 'sync=true']
    p += ['!', 'ladder', 'name=l', 'renditions=%s' % spec]
    p += shlex.split(ladder_props)
    # each src pad has its own streaming thread (docs/ladder.md, Threads):
    # the muxers are linked straight, as the docs show
    for r in rungs:
        p += ['l.video_%s' % r.name, '!', 'h264parse', '!',
              'mp4mux', '!', 'filesink',
              'location=%s' % os.path.join(outdir, r.name + '.mp4')]
    return p


def plugin_env(build_dir):
    """The environment with gst-ladder's plugin of @build_dir (if any)
    first in GStreamer's plugin path."""
    env = dict(os.environ)
    if build_dir:
        plugdir = os.path.join(os.path.abspath(build_dir), 'gst', 'elements')
        for var in ('GST_PLUGIN_PATH', 'GST_PLUGIN_PATH_1_0'):
            env[var] = plugdir + (os.pathsep + env[var] if env.get(var)
                                  else '')
    return env


def bench_clip(args):
    """The work directory and the clip of @args (--workdir, --build-dir,
    --size, --duration, --noise), made if it is not there yet: (workdir,
    clip path, the command that makes it, its sha256)."""
    workdir = args.workdir
    if not workdir:
        base = args.build_dir or os.environ.get('TMPDIR', '/tmp')
        workdir = os.path.join(base, 'tests', 'bench', 'ladder-bench') \
            if args.build_dir else os.path.join(base, 'ladder-bench')
    os.makedirs(workdir, exist_ok=True)
    w, h = (int(x) for x in args.size.split('x'))
    src = os.path.join(workdir, 'clip-%dx%d-%gs%s.mp4' % (
        w, h, args.duration, '' if args.noise == 6 else '-noise%d' % args.noise))
    clip_cmd, digest = make_clip(src, w, h, args.duration, noise=args.noise)
    return workdir, src, clip_cmd, digest


def contender_command(c, args, src, rungs, outdir):
    """The command of contender @c (ladder, ffmpeg or stock) with the
    settings of @args, its outputs in @outdir (made here)."""
    os.makedirs(outdir, exist_ok=True)
    if c == 'ffmpeg':
        return ffmpeg_command(src, rungs, outdir, args.threads,
                              args.ffmpeg_scale_flags)
    if c == 'stock':
        return stock_command(src, rungs, outdir, args.threads,
                             args.stock_scale, args.stock_cascade)
    if c == 'ladder':
        return ladder_command(src, rungs, outdir, args.ladder_props)
    raise SystemExit('unknown contender %r' % c)


def gst_has(feature, env):
    # gst-inspect-1.0 --exists misses features of plugins found through
    # GST_PLUGIN_PATH; inspecting the element itself does not
    return subprocess.run(['gst-inspect-1.0', feature], env=env,
                          stdout=subprocess.DEVNULL,
                          stderr=subprocess.DEVNULL).returncode == 0


# ---------------------------------------------------------------------------
# Judging the outputs

PSNR_RE = re.compile(r'PSNR y:(\S+) u:(\S+) v:(\S+) average:(\S+)')
X264_OPTS_RE = re.compile(rb'x264 - core \d+[^\x00]*? options: ([^\x00]*)')


def probe(path):
    """width, height, frames, kbit/s from the packets, keyframe indices,
    colour space tag."""
    out = check_output(['ffprobe', '-v', 'error', '-select_streams', 'v:0',
                        '-show_entries',
                        'stream=width,height,color_space,avg_frame_rate,'
                        'chroma_location',
                        '-of', 'default=nw=1', path])
    info = dict(line.split('=', 1) for line in out.split('\n') if '=' in line)
    pk = check_output(['ffprobe', '-v', 'error', '-select_streams', 'v:0',
                       '-show_entries', 'packet=size,flags', '-of', 'csv=p=0',
                       path])
    sizes, keys = [], []
    for i, line in enumerate(pk.split()):
        size, flags = line.split(',')[:2]
        sizes.append(int(size))
        if 'K' in flags:
            keys.append(i)
    num, den = info.get('avg_frame_rate', '30/1').split('/')
    fps = float(num) / float(den) if float(den) else 30.0
    frames = len(sizes)
    kbps = sum(sizes) * 8 / (frames / fps) / 1000 if frames else 0
    return {'width': int(info['width']), 'height': int(info['height']),
            'frames': frames, 'kbps': kbps, 'keys': keys,
            'color_space': info.get('color_space', '?'),
            'chroma_location': info.get('chroma_location', 'unspecified')}


# The judge's reference: the source scaled with FFmpeg's lanczos, which is
# the issue's judge.  FFmpeg 5.1's scaler treats 4:2:0 chroma samples as
# centred between the luma samples whatever a stream says, on both sides.
# An H.264 stream says where its chroma sits in the VUI (chroma_loc); none
# means co-sited left (MPEG-2 style), which is what this clip says
# (ffprobe: left) although FFmpeg made its chroma centred.  ladderx264
# takes the input as centred too by default and marks its output centred
# (chroma-siting=centre, docs/ladderx264.md).  A second reference is
# printed: the same scaler told the siting each stream signals, the
# source's for its input and the output's for its output ('signalled').
CHROMA_POS = {
    # ffprobe chroma_location -> swscale (h, v) chroma position, 1/256
    'left': (0, 128), 'center': (128, 128), 'topleft': (0, 0),
    'top': (128, 0), 'bottomleft': (0, 256), 'bottom': (128, 256),
}


def chroma_pos(location):
    # H.264 without a chroma location in its VUI: co-sited left
    return CHROMA_POS.get(location, CHROMA_POS['left'])


def psnr(path, src, width, height, in_loc=None, out_loc=None):
    sited = ''
    if in_loc is not None:
        (ih, iv), (oh, ov) = chroma_pos(in_loc), chroma_pos(out_loc)
        sited = (':in_h_chr_pos=%d:in_v_chr_pos=%d:out_h_chr_pos=%d'
                 ':out_v_chr_pos=%d' % (ih, iv, oh, ov))
    ref = 'scale=%d:%d:flags=lanczos%s' % (width, height, sited)
    cmd = ['ffmpeg', '-hide_banner', '-nostats', '-i', path, '-i', src,
           '-lavfi', '[1:v]%s[ref];[0:v][ref]psnr' % ref, '-f', 'null', '-']
    err = subprocess.run(cmd, capture_output=True, text=True).stderr
    m = PSNR_RE.search(err)
    if not m:
        return None
    return tuple(float(x) for x in m.groups())


def x264_options(path):
    with open(path, 'rb') as f:
        head = f.read(1 << 21)
    m = X264_OPTS_RE.search(head)
    if not m:
        return None
    return dict(kv.split('=', 1) for kv in m.group(1).decode().split()
                if '=' in kv)


def judge(outdir, rungs, src):
    res = {}
    src_loc = probe(src)['chroma_location']
    for r in rungs:
        path = os.path.join(outdir, r.name + '.mp4')
        if not os.path.exists(path) or os.path.getsize(path) == 0:
            res[r.name] = None
            continue
        info = probe(path)
        info['psnr'] = psnr(path, src, info['width'], info['height'])
        info['psnr_sited'] = psnr(path, src, info['width'], info['height'],
                                  in_loc=src_loc,
                                  out_loc=info['chroma_location'])
        info['x264'] = x264_options(path)
        res[r.name] = info
    return res


# ---------------------------------------------------------------------------
# Reporting

def med(values):
    return statistics.median(values) if values else float('nan')


def fmt_psnr(p):
    if not p:
        return 'n/a'
    return '%.2f (%.1f/%.1f/%.1f)' % (p[3], p[0], p[1], p[2])


def print_table(title, rows, rungs, ref='ffmpeg'):
    """rows: name -> {'runs': [Result], 'judge': {...}} or None."""
    print()
    print('## ' + title)
    print()
    refrow = rows.get(ref)
    refcpu = med([r.cpu for r in refrow['runs']]) if refrow else None
    refwall = med([r.wall for r in refrow['runs']]) if refrow else None
    refrss = med([r.rss_kb for r in refrow['runs']]) if refrow else None
    head = ['contender', 'CPU s', 'x ' + ref, 'wall s', 'x ' + ref,
            'peak RSS MB', 'x ' + ref]
    for r in rungs:
        head += ['%s PSNR avg (Y/U/V) dB' % r.name, '%s kbit/s' % r.name]
    print('| ' + ' | '.join(head) + ' |')
    print('|' + '---|' * len(head))
    for name, row in rows.items():
        if row is None or not row['runs']:
            print('| %s | not available |' % name + ' |' * (len(head) - 2))
            continue
        cpu = med([r.cpu for r in row['runs']])
        wall = med([r.wall for r in row['runs']])
        rss = med([r.rss_kb for r in row['runs']])
        cells = [name, '%.2f' % cpu, ratio(cpu, refcpu), '%.2f' % wall,
                 ratio(wall, refwall), '%.0f' % (rss / 1024),
                 ratio(rss, refrss)]
        for r in rungs:
            j = (row.get('judge') or {}).get(r.name)
            if not j:
                cells += ['n/a', 'n/a']
                continue
            extra = ''
            if j['color_space'] not in ('bt709', '?'):
                extra = ' [%s!]' % j['color_space']
            if (j['width'], j['height']) != (r.width, r.height):
                extra += ' [%dx%d]' % (j['width'], j['height'])
            cells += [fmt_psnr(j['psnr']) + extra, '%.0f' % j['kbps']]
        print('| ' + ' | '.join(cells) + ' |')
    # the same outputs against the reference that keeps the chroma siting
    print()
    print('PSNR against the reference with the chroma siting each stream '
          'signals (avg (Y/U/V) dB; luma is the same as above):')
    print()
    head = ['contender'] + ['%s signalled PSNR' % r.name for r in rungs]
    print('| ' + ' | '.join(head) + ' |')
    print('|' + '---|' * len(head))
    for name, row in rows.items():
        if row is None or not row['runs']:
            continue
        cells = [name]
        for r in rungs:
            j = (row.get('judge') or {}).get(r.name)
            cells.append('%s [%s]' % (fmt_psnr(j.get('psnr_sited')),
                                      j['chroma_location']) if j else 'n/a')
        print('| ' + ' | '.join(cells) + ' |')
    # spread, so the noise of a shared machine is visible
    print()
    for name, row in rows.items():
        if row and row['runs']:
            cpus = sorted(r.cpu for r in row['runs'])
            walls = sorted(r.wall for r in row['runs'])
            print('- %s: %d runs, CPU %s s, wall %s s' % (
                name, len(cpus), ' '.join('%.2f' % c for c in cpus),
                ' '.join('%.2f' % w for w in walls)))


def ratio(v, ref):
    if not ref or v is None:
        return '-'
    return '%.2f' % (v / ref)


def compare_x264(rows, rungs, ref='ffmpeg'):
    """Checks that every contender ran x264 with FFmpeg's options (from the
    SEI x264 writes into each stream); threads may legitimately differ."""
    if not rows.get(ref) or not rows[ref].get('judge'):
        return
    ignore = {'threads', 'lookahead_threads', 'sliced_threads'}
    for name, row in rows.items():
        if name == ref or not row or not row.get('judge'):
            continue
        for r in rungs:
            a = (rows[ref]['judge'].get(r.name) or {}).get('x264')
            b = (row['judge'].get(r.name) or {}).get('x264')
            if not a or not b:
                continue
            diff = sorted(k for k in set(a) | set(b)
                          if k not in ignore and a.get(k) != b.get(k))
            if diff:
                print('- WARNING %s %s: x264 options differ from %s: %s' % (
                    name, r.name, ref, ', '.join(
                        '%s=%s vs %s' % (k, b.get(k), a.get(k))
                        for k in diff)))
            elif r is rungs[0]:
                print('- %s: x264 options identical to %s (threads: %s vs '
                      '%s)' % (name, ref, b.get('threads'), a.get('threads')))


# ---------------------------------------------------------------------------
# Parts alone

SERIAL = 'serial chain'


def ladder_cascades(ladder_props):
    """Whether the ladder runs its scaling cascade (its cascade property,
    TRUE unless --ladder-props turns it off)."""
    for prop in shlex.split(ladder_props):
        name, _, value = prop.partition('=')
        if name == 'cascade':
            return value.lower() not in ('false', '0', 'no')
    return True


def scale_parents(rungs, cascade):
    """The picture each rung is scaled from, as the ladder does it: with
    the cascade the smallest larger rung (larger in both sizes), else the
    source (None)."""
    parents = {}
    for r in rungs:
        larger = [o for o in rungs if o is not r and o.width >= r.width and
                  o.height >= r.height and (o.width, o.height) !=
                  (r.width, r.height)]
        parents[r.name] = (min(larger, key=lambda o: o.width * o.height)
                           if cascade and larger else None)
    return parents


def scale_chain(r, parents, scale_props):
    """The scalers from the source to @r, through its parents."""
    chain = []
    while r is not None:
        caps = 'video/x-raw,width=%d,height=%d,colorimetry=bt709' % (
            r.width, r.height)
        chain = ['!'] + shlex.split(scale_props) + ['!', caps] + chain
        r = parents[r.name]
    return chain


def raw_frames(env, src, dec, r, parents, scale_props, workdir):
    """The elements that read the raw frames the ladder encodes at @r (made
    once through the same chain of scalers and cached in @workdir, by clip,
    rung and chain)."""
    chain = scale_chain(r, parents, scale_props)
    tag = hashlib.sha256(shlex.join(chain).encode()).hexdigest()[:8]
    clip = os.path.splitext(os.path.basename(src))[0]
    raw = os.path.join(workdir, 'raw-%s-%dx%d-%s-%s.yuv' % (
        r.name, r.width, r.height, clip, tag))
    if not os.path.exists(raw):
        subprocess.run(['gst-launch-1.0', '-q'] + dec + chain + [
            '!', 'filesink', 'location=%s.part' % raw], check=True, env=env)
        os.replace(raw + '.part', raw)
    return ['filesrc', 'location=%s' % raw, '!', 'rawvideoparse',
            'width=%d' % r.width, 'height=%d' % r.height, 'format=i420',
            'framerate=30/1', 'colorimetry=bt709']


def parts_commands(args, env, src, rungs, workdir, scale_props):
    """The commands of the parts: decode only; decode + the scalers that
    make each rung (the scale of a rung = that minus the same without its
    own scaler: the ladder's cascade scales 480p from 720p, so that part is
    the 480p scaler fed 720p frames); each encode from the raw frames the
    ladder encodes (minus reading the raw file); and all of it in one
    thread.  The scaler and the x264 threads are the ladder's
    (LADDER_SCALE, ladder_threads(), ladder_decoder()); @scale_props is a
    scaler element and its properties.  They run in the same rounds as the
    contenders (main()), so that a machine whose speed drifts moves both
    alike."""
    w, h = (int(x) for x in args.size.split('x'))
    dec = demux_head(src) + ['!'] + ladder_decoder(w, h)
    parents = scale_parents(rungs, ladder_cascades(args.ladder_props))
    cmds = {'decode': ['gst-launch-1.0', '-q'] + dec +
            ['!', 'fakesink', 'sync=false']}
    for r in rungs:
        cmds['decode+scale %s' % r.name] = (
            ['gst-launch-1.0', '-q'] + dec +
            scale_chain(r, parents, scale_props) +
            ['!', 'fakesink', 'sync=false'])
    for r in rungs:
        read = ['gst-launch-1.0', '-q'] + raw_frames(
            env, src, dec, r, parents, scale_props, workdir)
        cmds['read raw %s' % r.name] = read + ['!', 'fakesink', 'sync=false']
        cmds['read raw + encode %s' % r.name] = (
            read + ['!', 'x264enc'] + gst_x264_props(r, ladder_threads(r)) +
            ['!', 'fakesink', 'sync=false'])
    # The same pieces together in one thread, nothing in parallel: decode,
    # then each rung's scale and encode in turn, each rung scaled from its
    # parent's frames (tees without queues; the sinks do not preroll, or
    # the first would block the only thread).
    serial = ['gst-launch-1.0', '-q'] + dec + ['!', 'tee', 'name=t']
    for r in sorted(rungs, key=lambda r: -r.width * r.height):
        caps = 'video/x-raw,width=%d,height=%d,colorimetry=bt709' % (
            r.width, r.height)
        parent = parents[r.name]
        serial += ['t%s.' % (parent.name if parent else ''), '!'] + \
            shlex.split(scale_props) + ['!', caps, '!', 'tee',
                                        'name=t%s' % r.name,
                                        't%s.' % r.name, '!', 'x264enc'] + \
            gst_x264_props(r, ladder_threads(r)) + [
                '!', 'fakesink', 'sync=false', 'async=false']
    cmds[SERIAL] = serial
    return cmds


def parts_from(cpu, rungs, parents):
    """The parts (decode, each rung's scale and encode) from @cpu, the CPU
    seconds of each command of parts_commands()."""
    parts = {'decode': cpu['decode']}
    for r in rungs:
        parent = parents[r.name]
        parts['scale %s' % r.name] = cpu['decode+scale %s' % r.name] - \
            cpu['decode+scale %s' % parent.name if parent else 'decode']
    for r in rungs:
        parts['encode %s' % r.name] = cpu['read raw + encode %s' % r.name] - \
            cpu['read raw %s' % r.name]
    return parts


def floor_of(parts, rungs):
    """The floor: the decode and the encodes."""
    return parts['decode'] + sum(parts['encode %s' % r.name] for r in rungs)


def round_parts(part_runs, i, rungs, parents):
    """The floor and the sum of the parts from the runs of round @i."""
    parts = parts_from({k: v[i].cpu for k, v in part_runs.items()}, rungs,
                       parents)
    return floor_of(parts, rungs), sum(parts.values())


# The layouts: the ladder's work as hand-built pipelines in one process,
# from the floor's work up to the ladder, each step adding one thing.
LAYOUTS = [
    ('raw reading', None,
     'reading the raw frames alone (taken off the two that read them)'),
    ('floor, one process', None,
     'the decode and the encodes from raw frames, side by side'),
    ('independent', 'floor, one process',
     'plus the scalers of the cascade, fed by the decode, to fakesinks: '
     'what the scalers cost'),
    ('coupled', 'independent',
     'the encoders fed by the scalers (a queue of one frame before each) '
     'instead of raw frames: what coupling them costs'),
    ('a thread per step', 'coupled',
     'each scaler behind a queue of its own, as the ladder runs its '
     'resize steps'),
    ('ladder', 'a thread per step',
     'the ladder element, its outputs to fakesinks: what its own '
     'machinery costs'),
]


def layout_commands(args, env, src, rungs, workdir, scale_props):
    """The pipelines of LAYOUTS, with the ladder's scaler, decoder and x264
    settings, each rung scaled from its parent (scale_parents())."""
    w, h = (int(x) for x in args.size.split('x'))
    dec = demux_head(src) + ['!'] + ladder_decoder(w, h)
    parents = scale_parents(rungs, ladder_cascades(args.ladder_props))
    order = sorted(rungs, key=lambda r: -r.width * r.height)
    sink = ['fakesink', 'sync=false', 'async=false']
    raw = {r.name: raw_frames(env, src, dec, r, parents, scale_props,
                              workdir) for r in rungs}

    def enc(r):
        return ['x264enc'] + gst_x264_props(r, ladder_threads(r)) + \
            ['!'] + sink

    def scaled(queue_before_scaler, branch):
        p = dec + ['!', 'tee', 'name=t']
        for r in order:
            parent = parents[r.name]
            p += ['t%s.' % (parent.name if parent else ''), '!']
            if queue_before_scaler:
                p += ['queue', 'max-size-buffers=1', '!']
            p += shlex.split(scale_props) + [
                '!', 'video/x-raw,width=%d,height=%d,colorimetry=bt709' % (
                    r.width, r.height), '!', 'tee', 'name=t%s' % r.name,
                't%s.' % r.name, '!'] + branch(r)
        return p

    encodes = []
    for r in order:
        encodes += raw[r.name] + ['!'] + enc(r)
    reads = []
    for r in order:
        reads += raw[r.name] + ['!'] + sink
    gst = ['gst-launch-1.0', '-q']
    cmds = {
        'raw reading': gst + reads,
        'floor, one process': gst + dec + ['!'] + sink + encodes,
        'independent': gst + scaled(False, lambda r: sink) + encodes,
        'coupled': gst + scaled(False, lambda r: [
            'queue', 'max-size-buffers=1', '!'] + enc(r)),
        'a thread per step': gst + scaled(True, lambda r: [
            'queue', 'max-size-buffers=1', '!'] + enc(r)),
    }
    ladder = demux_head(src) + [
        '!', 'ladder', 'name=l', 'renditions=%s' % ','.join(
            r.spec() for r in rungs)] + shlex.split(args.ladder_props)
    for r in rungs:
        ladder += ['l.video_%s' % r.name, '!'] + sink
    cmds['ladder'] = gst + ladder
    return cmds


def report_layouts(cmds, runs, nruns):
    """Prints each layout against the one before it, round by round."""
    print()
    print('## Where the ladder\'s CPU over its floor goes (layouts)')
    print()
    print('The same work as hand-built pipelines, one process each, run in '
          'turn in every round; each row is one step from the one above it, '
          'its CPU against that one\'s in the same round: median (min to '
          'max) of the %d rounds. The two pipelines that read raw frames '
          'are counted without that reading.' % nruns)
    print()
    print('| layout | what it adds | CPU s | / the one above |')
    print('|---|---|---|---|')
    read = [res.cpu for res in runs['raw reading']]

    def cpu(name, i):
        c = runs[name][i].cpu
        if name in ('floor, one process', 'independent'):
            c -= read[i]
        return c
    for name, above, what in LAYOUTS:
        if name == 'raw reading':
            continue
        c = med([cpu(name, i) for i in range(nruns)])
        if above:
            ratios = [cpu(name, i) / cpu(above, i) for i in range(nruns)]
            rel = '%.3f (%.3f to %.3f)' % (med(ratios), min(ratios),
                                          max(ratios))
        else:
            rel = ''
        print('| %s | %s | %.2f | %s |' % (name, what, c, rel))
    total = [cpu('ladder', i) / cpu('floor, one process', i)
             for i in range(nruns)]
    print()
    print('- ladder / floor, one process: **%.3f** (%.3f to %.3f)' % (
        med(total), min(total), max(total)))
    print()
    print('Commands:')
    for name, cmd in cmds.items():
        print('- %s: `%s`' % (name, shlex.join(cmd)))


def report_parts(cmds, runs, rungs, scale_props, parents):
    """Prints the parts from their runs; returns the sum of the parts, the
    floor (the decode and the encodes: what no ladder can skip at these
    settings) and the CPU of the serial chain."""
    cpu = {k: med([r.cpu for r in v]) for k, v in runs.items()}
    wall = {k: med([r.wall for r in v]) for k, v in runs.items()}
    parts = parts_from(cpu, rungs, parents)
    print()
    print('## Parts alone (GStreamer elements, scaler: %s; x264 threads %s)'
          % (scale_props or 'default', '/'.join(
              str(ladder_threads(r)) for r in rungs)))
    print()
    print('Each rung scaled from, as the ladder does it: %s.' % ', '.join(
        '%s from %s' % (r.name, parents[r.name].name if parents[r.name]
                        else 'the source') for r in rungs))
    print()
    print('| measured command | CPU s | wall s |')
    print('|---|---|---|')
    for k in cmds:
        print('| %s | %.2f | %.2f |' % (k, cpu[k], wall[k]))
    print()
    print('| part | CPU s |')
    print('|---|---|')
    for k, v in parts.items():
        print('| %s | %.2f |' % (k, v))
    total = sum(parts.values())
    floor = floor_of(parts, rungs)
    print('| **sum of parts** | **%.2f** |' % total)
    print('| floor (decode + encodes) | %.2f |' % floor)
    # the least any one-process ladder with these scalers and encoders
    # can cost: no threads, no queues, nothing but the work
    print('| all of them in one thread (%s) | %.2f (%.2f x the sum, %.2f x '
          'the floor) |' % (SERIAL, cpu[SERIAL], cpu[SERIAL] / total,
                            cpu[SERIAL] / floor))
    print()
    print('Commands:')
    for k, cmd in cmds.items():
        print('- %s: `%s`' % (k, shlex.join(cmd)))
    return total, floor, cpu[SERIAL]


# ---------------------------------------------------------------------------
# Live: how many paced 1080p30 sources the machine ladders in real time

def run_parallel(cmds, env, timeout):
    """Starts every command at once; returns (wall s of each, CPU s of all
    of them, exit codes, stderr tails) once all ended (killed at
    @timeout)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.monotonic()
    procs = [subprocess.Popen(c, stdout=subprocess.DEVNULL,
                              stderr=subprocess.PIPE, env=env) for c in cmds]
    walls, codes, errs = [], [], []
    for p in procs:
        try:
            _, err = p.communicate(timeout=max(1, start + timeout -
                                               time.monotonic()))
        except subprocess.TimeoutExpired:
            p.kill()
            _, err = p.communicate()
        walls.append(time.monotonic() - start)
        codes.append(p.returncode)
        errs.append(err.decode('utf-8', 'replace')[-1500:])
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime -
                                                 before.ru_stime)
    return walls, cpu, codes, errs


def live_capacity(args, env, src, workdir, max_sources):
    """N copies of the clip, each paced at real time (the way a live
    camera delivers it: FFmpeg reads with -re, GStreamer through identity
    sync=true after the parser), each laddered to every rung at once by
    its own process. N sources are kept up with when every process ends
    within the clip's duration + 1 s (no backlog grew: a live source's
    leaky queue would have dropped nothing) and every output has every
    frame."""
    duration = args.duration
    expected = int(round(duration * 30))
    rungs = parse_renditions(args.renditions)
    contenders = [('ladder', gst_has('ladder', env)), ('ffmpeg', True)]
    print()
    print('## Live capacity: paced %s 30 fps sources, each to %s' % (
        args.size, ' / '.join(r.name for r in rungs)))
    print()
    print('| sources | ' + ' | '.join(
        '%s wall s (slowest) | %s CPU s | %s keeps up' % (c, c, c)
        for c, _ in contenders) + ' |')
    print('|---|' + '---|---|---|' * len(contenders))
    last = {}
    for n in range(max(1, args.live_from), max_sources + 1):
        cells = ['%d' % n]
        for c, available in contenders:
            if not available:
                cells += ['n/a', 'n/a', 'not available']
                continue
            cmds, outdirs = [], []
            for i in range(n):
                outdir = os.path.join(workdir, 'live-%s-%d-%d' % (c, n, i))
                os.makedirs(outdir, exist_ok=True)
                outdirs.append(outdir)
                if c == 'ffmpeg':
                    cmd = ffmpeg_command(src, rungs, outdir, args.threads,
                                         args.ffmpeg_scale_flags)
                    cmd.insert(cmd.index('-i'), '-re')
                else:
                    cmd = ladder_command(src, rungs, outdir,
                                         args.ladder_props, paced=True)
                cmds.append(cmd)
            walls, cpu, codes, errs = run_parallel(cmds, env,
                                                   duration * 3 + 30)
            short = []
            for outdir, code, err in zip(outdirs, codes, errs):
                if code != 0:
                    short.append('exit %s: %s' % (code, err.strip()[-300:]))
                    continue
                for r in rungs:
                    got = probe(os.path.join(outdir, r.name + '.mp4'))
                    if got['frames'] != expected:
                        short.append('%s %d frames' % (r.name, got['frames']))
            ok = not short and max(walls) <= duration + 1
            cells += ['%.2f' % max(walls), '%.2f' % cpu,
                      'yes' if ok else 'no' + (' (%s)' % '; '.join(short[:3])
                                               if short else '')]
            last[c] = cmds[0]
        print('| ' + ' | '.join(cells) + ' |', flush=True)
    print()
    for c, cmd in last.items():
        print('- %s, one of the processes: `%s`' % (c, shlex.join(cmd)))


def add_work_args(ap, contenders):
    """The options that say what work is measured (the clip, the ladder,
    the contenders and their settings, the scaler of the parts), shared by
    the benchmarks that measure the same commands; @contenders is the
    default of --contenders."""
    ap.add_argument('--workdir', default=None,
                    help='where the clip, raw frames and outputs go '
                    '(default: <build-dir>/tests/bench/ladder-bench, else '
                    '$TMPDIR/ladder-bench)')
    ap.add_argument('--build-dir', default=os.environ.get('LADDER_BUILD_ROOT'),
                    help='gst-ladder build directory (its plugin is used)')
    ap.add_argument('--size', default='1920x1080', help='clip size')
    ap.add_argument('--noise', type=int, default=6,
                    help='strength of the temporal noise in the clip (ffmpeg '
                    'noise filter, 0 to 100; default %(default)s): a noisier '
                    'clip costs the encoders more and the scalers the same')
    ap.add_argument('--duration', type=float, default=10.0,
                    help='clip seconds (30 fps)')
    ap.add_argument('--renditions', default=DEFAULT_RENDITIONS,
                    help='name:WxH@kbps,... (default %(default)s)')
    ap.add_argument('--contenders', default=contenders,
                    help='comma-separated subset of ladder,ffmpeg,stock')
    ap.add_argument('--threads', type=int, default=0,
                    help='x264 threads per encoder for ffmpeg and stock '
                    '(0: x264 auto, 1.5 x cores each; default 0)')
    ap.add_argument('--ffmpeg-scale-flags', default='',
                    help='sws flags for FFmpeg\'s scale (default: its own, '
                    'bicubic)')
    ap.add_argument('--stock-scale', default=DEFAULT_STOCK_SCALE,
                    help='videoscale properties for the stock pipeline, e.g. '
                    '"method=lanczos"')
    ap.add_argument('--stock-cascade', action='store_true',
                    help='stock pipeline scales each rung from the nearest '
                    'larger one')
    ap.add_argument('--ladder-props', default='',
                    help='extra properties for the ladder element')
    ap.add_argument('--parts-scale', default=LADDER_SCALE,
                    help='scaler element and properties for --parts '
                    '(default: ladderx264\'s, %(default)s)')


# ---------------------------------------------------------------------------

def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--runs', type=int, default=3,
                    help='runs per contender, alternating (default 3)')
    add_work_args(ap, 'ladder,ffmpeg,stock')
    ap.add_argument('--parts', action='store_true',
                    help='also measure decode, scale and encode alone, '
                    'with the ladder\'s scaler and x264 threads')
    ap.add_argument('--layouts', action='store_true',
                    help='also measure where the ladder\'s CPU over its '
                    'floor goes: the same work as hand-built pipelines, '
                    'from the floor\'s work up to the ladder, one step at '
                    'a time')
    ap.add_argument('--sweep', action='store_true',
                    help='also run the stock pipeline with each scaler '
                    'setting of the sweep list')
    ap.add_argument('--live', type=int, default=0, metavar='N',
                    help='also measure live capacity: 1..N paced copies of '
                    'the clip laddered at once, ladder against FFmpeg')
    ap.add_argument('--live-from', type=int, default=1, metavar='M',
                    help='with --live, start at M sources instead of 1')
    ap.add_argument('--timeout', type=float, default=600,
                    help='seconds after which a run is killed and counted '
                    'as failed (default %(default)s)')
    ap.add_argument('--no-judge', action='store_true',
                    help='skip PSNR and bitrate (timing only)')
    ap.add_argument('--pin-cpu', type=int, default=None, metavar='N',
                    help='run every measured command on CPU N alone (not '
                    'the --live runs, which need every CPU): like with '
                    'like where the CPUs run at different speeds')
    args = ap.parse_args()
    if args.pin_cpu is not None:
        global PIN_CPUS
        if args.pin_cpu not in os.sched_getaffinity(0):
            raise SystemExit('--pin-cpu %d: not one of the CPUs this process '
                             'may use (%s)' % (args.pin_cpu, sorted(
                                 os.sched_getaffinity(0))))
        PIN_CPUS = {args.pin_cpu}

    for tool in ('ffmpeg', 'ffprobe', 'gst-launch-1.0', 'gst-inspect-1.0'):
        if not shutil.which(tool):
            print('SKIP: %s not found' % tool)
            return 77

    env = plugin_env(args.build_dir)
    for feature in ('x264enc', 'avdec_h264', 'qtdemux', 'mp4mux',
                    'videoscale', 'h264parse'):
        if not gst_has(feature, env):
            print('SKIP: GStreamer element %s not available' % feature)
            return 77
    if 'libx264' not in check_output(['ffmpeg', '-hide_banner',
                                      '-encoders']):
        print('SKIP: ffmpeg has no libx264')
        return 77

    rungs = parse_renditions(args.renditions)
    workdir, src, clip_cmd, digest = bench_clip(args)

    contenders = [c.strip() for c in args.contenders.split(',') if c.strip()]
    cmds = {}
    for c in contenders:
        if c == 'ladder' and not gst_has('ladder', env):
            cmds[c] = None
            continue
        cmds[c] = contender_command(c, args, src, rungs,
                                    os.path.join(workdir, 'out-' + c))

    print('# gst-ladder: ladder vs FFmpeg vs stock GStreamer')
    print()
    print('- machine: %s; %d cores (%s), %s' % (
        cpu_model(), os.cpu_count(), platform.platform(), tool_versions()))
    print('- ladderscale kernels: %s%s' % (
        scaler_path(env), ' (LADDER_SCALER_SIMD=%s)' % env['LADDER_SCALER_SIMD']
        if env.get('LADDER_SCALER_SIMD') else ''))
    print('- clip: %s, sha256 %s' % (os.path.basename(src), digest))
    print('- clip command: `%s`' % shlex.join(clip_cmd))
    print('- ladder: %s' % ', '.join('%s %dx%d @ %d kbit/s' % (
        r.name, r.width, r.height, r.kbps) for r in rungs))
    print('- x264 for all: preset %s, bframes %d, an IDR forced every %d '
          'frames (x264 keyint %d as a backstop), scenecut %d, VBV maxrate '
          '= bitrate, bufsize = %.1f s; threads %s'
          % (X264['preset'], X264['bframes'], X264['keyint'],
             X264['keyint_max'], X264['scenecut'], X264['vbv_seconds'],
             args.threads or 'auto'))
    print('- PSNR judge: ffmpeg psnr filter against the source scaled with '
          'lanczos to the rung size; "average" is ffmpeg\'s (pixel-weighted '
          'Y/U/V); "signalled": the reference is told the chroma siting '
          'the source and each output signal (in brackets)')
    print('- %d runs each, alternating; medians%s' % (
        args.runs, '; every measured command on CPU %d alone (--pin-cpu)'
        % args.pin_cpu if PIN_CPUS is not None else ''))
    sys.stdout.flush()
    speeds_before = cpu_speeds()

    rows = {c: ({'runs': []} if cmds[c] else None) for c in contenders}
    part_cmds = parts_commands(args, env, src, rungs, workdir,
                               args.parts_scale) if args.parts else {}
    part_runs = {k: [] for k in part_cmds}
    layout_cmds = layout_commands(args, env, src, rungs, workdir,
                                  args.parts_scale) if args.layouts else {}
    layout_runs = {k: [] for k in layout_cmds}
    part_failed = []
    for i in range(args.runs):
        order = contenders[i % len(contenders):] + \
            contenders[:i % len(contenders)]
        for k, cmd in part_cmds.items():
            res = run_measured(cmd, env=env, timeout=args.timeout)
            if res.rc != 0:
                log('part %s failed: %s' % (k, res.stderr[-2000:]))
                part_failed.append(k)
            part_runs[k].append(res)
        # the layouts in a rotating order too
        names = list(layout_cmds)
        for k in names[i % len(names):] + names[:i % len(names)] \
                if names else []:
            res = run_measured(layout_cmds[k], env=env, timeout=args.timeout)
            if res.rc != 0:
                log('layout %s failed: %s' % (k, res.stderr[-2000:]))
                part_failed.append('layout ' + k)
            layout_runs[k].append(res)
        for c in order:
            if not cmds[c]:
                continue
            res = run_measured(cmds[c], env=env, timeout=args.timeout)
            log('run %d %s: cpu %.2f wall %.2f rss %d MB rc %d' % (
                i + 1, c, res.cpu, res.wall, res.rss_kb // 1024, res.rc))
            if res.rc != 0:
                log('%s failed:\n%s' % (c, res.stderr[-3000:]))
                rows[c] = {'runs': [], 'failed': res.stderr[-500:]}
                cmds[c] = None
                continue
            rows[c]['runs'].append(res)
    print_cpu_speeds(speeds_before, cpu_speeds())
    if not args.no_judge:
        for c in contenders:
            if rows[c] and rows[c]['runs']:
                rows[c]['judge'] = judge(os.path.join(workdir, 'out-' + c),
                                         rungs, src)
    print_table('Whole ladder', rows, rungs)
    compare_x264(rows, rungs)
    # the ladder cuts an encoded source on its own keyframes, the first at
    # or after each 2 s point (docs/design.md, "One keyframe policy"), so
    # that a passthrough rung could cut with the others
    src_keys = set(probe(src)['keys'])
    for c in contenders:
        if rows[c] and rows[c].get('judge'):
            for r in rungs:
                j = rows[c]['judge'].get(r.name)
                if j:
                    if all(k % X264['keyint'] == 0 for k in j['keys']):
                        where = ', every %d' % X264['keyint']
                    elif set(j['keys']) <= src_keys:
                        where = (', on keyframes of the source: %s'
                                 % j['keys'][:8])
                    else:
                        where = (', NOT on the keyint grid nor on the '
                                 'source\'s keyframes: %s' % j['keys'][:8])
                    print('- %s %s: %d frames, %d keyframes%s' % (
                        c, r.name, j['frames'], len(j['keys']), where))
    print()
    print('Commands:')
    for c in contenders:
        if cmds.get(c):
            print('- %s: `%s`' % (c, shlex.join(cmds[c])))
        elif rows[c] and rows[c].get('failed'):
            print('- %s: FAILED: %s' % (c, rows[c]['failed'].strip()))
        else:
            print('- %s: not available (no `ladder` element in the plugin '
                  'path)' % c)
    sys.stdout.flush()

    if args.sweep:
        sweep(args, env, src, rungs, workdir, rows.get('ffmpeg'))
    if args.parts:
        total, floor, serial = report_parts(
            part_cmds, part_runs, rungs, args.parts_scale, scale_parents(
                rungs, ladder_cascades(args.ladder_props)))
        parents = scale_parents(rungs, ladder_cascades(args.ladder_props))
        for c in contenders:
            if rows[c] and rows[c]['runs']:
                cpu = med([r.cpu for r in rows[c]['runs']])
                print('- %s CPU / floor: **%.2f**; / sum of parts: %.2f; / '
                      'the serial chain: %.2f' % (c, cpu / floor, cpu / total,
                                                   cpu / serial))
        print()
        print('The same ratios paired by round (each contender against the '
              'parts measured in its own round, which cancels a drift of '
              'the machine\'s speed between rounds): median (min to max) '
              'of the %d rounds.' % args.runs)
        print()
        print('| contender | / floor | / sum of parts |')
        print('|---|---|---|')
        for c in contenders:
            runs = rows[c]['runs'] if rows[c] else []
            if len(runs) != args.runs:
                continue
            by_floor, by_sum = [], []
            for i, res in enumerate(runs):
                floor_i, total_i = round_parts(part_runs, i, rungs, parents)
                by_floor.append(res.cpu / floor_i)
                by_sum.append(res.cpu / total_i)
            print('| %s | **%.2f** (%.2f to %.2f) | %.2f (%.2f to %.2f) |' % (
                c, med(by_floor), min(by_floor), max(by_floor), med(by_sum),
                min(by_sum), max(by_sum)))
    if args.layouts:
        report_layouts(layout_cmds, layout_runs, args.runs)
    if args.live:
        live_capacity(args, env, src, workdir, args.live)
    failed = [c for c in contenders if rows[c] and rows[c].get('failed')]
    for k in sorted(set(part_failed)):
        print('FAIL: part %s' % k)
        failed.append(k)
    # every contender that ran must have made every frame of every rung
    expected = int(round(args.duration * 30))
    for c in contenders:
        if not rows[c] or not rows[c].get('judge'):
            continue
        for r in rungs:
            j = rows[c]['judge'].get(r.name)
            if not j or j['frames'] != expected or not j['psnr']:
                print('FAIL: %s %s: %s frames of %d' % (
                    c, r.name, j['frames'] if j else 'no', expected))
                failed.append(c)
    return 1 if failed else 0


def sweep(args, env, src, rungs, workdir, ffrow):
    rows = {}
    if ffrow:
        rows['ffmpeg'] = ffrow
    labels = []
    for label, props, cascade, threads in SWEEP:
        outdir = os.path.join(workdir, 'sweep-%d' % len(labels))
        os.makedirs(outdir, exist_ok=True)
        cmd = stock_command(src, rungs, outdir, threads or args.threads,
                            props, cascade)
        labels.append((label, cmd, outdir))
        rows[label] = {'runs': []}
    for i in range(args.runs):
        for label, cmd, outdir in labels:
            res = run_measured(cmd, env=env)
            if res.rc != 0:
                log('sweep %s failed: %s' % (label, res.stderr[-1500:]))
                continue
            rows[label]['runs'].append(res)
    for label, cmd, outdir in labels:
        rows[label]['judge'] = judge(outdir, rungs, src)
    print_table('Stock pipeline, scaler settings (sweep)', rows, rungs)
    print()
    print('Commands:')
    for label, cmd, outdir in labels:
        print('- %s: `%s`' % (label, shlex.join(cmd)))


# A fixed CPU-bound loop (interpreted integer arithmetic: no memory
# traffic, no SIMD) that a CPU of this class runs in about 0.3 s
SPEED_LOOP = 'n = 0\nfor i in range(6000000):\n    n += i & 7\n'


def cpu_speeds(runs=3):
    """CPU seconds of SPEED_LOOP pinned to each CPU this process may use,
    median of @runs alternating runs: {cpu: seconds}."""
    cpus = sorted(os.sched_getaffinity(0))
    times = {c: [] for c in cpus}
    for _ in range(runs):
        for c in cpus:
            res = run_measured([sys.executable, '-c', SPEED_LOOP], cpus={c})
            times[c].append(res.cpu)
    return {c: med(t) for c, t in times.items()}


def print_cpu_speeds(before, after):
    """The speed check's report line, and a note when the CPUs differ"""
    def spread(sp):
        return max(sp.values()) / min(sp.values()) - 1 if sp else 0.0
    print('- CPU speed check (the same fixed loop pinned to each CPU, CPU s, '
          'median of 3; before / after the runs): %s; slowest / fastest - 1: '
          '%.0f %% / %.0f %%' % (', '.join(
              'cpu%d %.3f / %.3f' % (c, before[c], after[c])
              for c in sorted(before)), 100 * spread(before),
              100 * spread(after)))
    if max(spread(before), spread(after)) > 0.10:
        print('- **The CPUs ran at different speeds.** The parts run one '
              'thread each, usually on the faster CPU, while the contenders '
              'use all of them: their ratios to the floor and to the sum of '
              'the parts read high. `--pin-cpu N` runs every measured '
              'command on one CPU%s.' % (
                  ' (this run did)' if PIN_CPUS is not None else ''))


def cpu_model():
    """The first processor of /proc/cpuinfo: "<model name>, family F model
    M stepping S, <the widest SIMD it has>"."""
    info = {}
    try:
        with open('/proc/cpuinfo') as f:
            for line in f:
                if not line.strip():
                    break
                k, _, v = line.partition(':')
                info[k.strip()] = v.strip()
    except OSError:
        pass
    if 'model name' not in info:
        return platform.processor() or '?'
    flags = set(info.get('flags', '').split())
    simd = ('AVX-512 (F/BW/VL)' if {'avx512f', 'avx512bw', 'avx512vl'} <= flags
            else 'AVX2' if 'avx2' in flags else 'no AVX2')
    return '%s, family %s model %s stepping %s, %s' % (
        info['model name'], info.get('cpu family', '?'),
        info.get('model', '?'), info.get('stepping', '?'), simd)


def scaler_path(env):
    """The kernels ladderscale runs under @env (its simd property: avx512,
    avx2, sse2 or c, LADDER_SCALER_SIMD honoured), or why not known."""
    try:
        out = check_output(['gst-inspect-1.0', 'ladderscale'], env=env)
    except Exception as e:  # no plugin: no ladder either
        return 'unknown (%s)' % e
    m = re.search(r'^\s*simd\s*:.*\n(?:.*\n)*?.*Default: "(\w+)"', out,
                  re.MULTILINE)
    return m.group(1) if m else 'unknown'


def tool_versions():
    ff = check_output(['ffmpeg', '-hide_banner', '-version']).split('\n')[0]
    gst = check_output(['gst-launch-1.0', '--version']).split('\n')[1]
    return '%s; %s' % (' '.join(ff.split()[:3]), gst)


if __name__ == '__main__':
    sys.exit(main())
