#!/usr/bin/env python3
# gst-ladder
# Copyright (C) 2026 The gst-ladder authors
#
# This library is free software; you can redistribute it and/or
# modify it under the terms of the GNU Library General Public
# License as published by the Free Software Foundation; either
# version 2 of the License, or (at your option) any later version.
"""The ladder's work counted in instructions: the ladder against its parts
and FFmpeg, without the noise of a shared machine.

One command:

    tests/bench/ladder-instructions.py --build-dir build [--duration 10]

It runs the commands of tests/bench/ladder-vs-ffmpeg.py (the same clip,
x264 settings, ladder, FFmpeg command and, as with its --parts, the decode,
each rung's scaler and each encode alone and the serial chain) once each
under valgrind's callgrind, which counts the instructions every thread of
the process executes, and reports them in billions:

- the parts (each the difference of two commands, as --parts takes it),
  the floor (the decode and the encodes), the sum of the parts and the
  serial chain;
- the ladder and FFmpeg against the floor, the sum and the serial chain;
- by library, the ladder against the floor's commands: which code runs
  more instructions in the ladder than in the parts alone.

A count does not change with the speed of the machine, the other
processes on it or the order of the runs; one run of each command is the
measurement. It is not the CPU time: an instruction that waits for memory
costs more than one that does not, so the CPU ratios of
ladder-vs-ffmpeg.py can differ from these, and the difference between the
two is what the ladder's instructions cost more (or less) in time than the
same instructions in the parts. Under valgrind the threads of a process
run one at a time.

Valgrind cannot run RDTSCP on a CPU that does not advertise it (some
virtual machines do not, yet execute it), and libhwy, a dependency of
libavcodec's JPEG XL support, executes it when it is loaded. Where that
stops valgrind, the benchmark gives the measured processes a stub of that
library (made with the C compiler, in the work directory): the same
exported functions, each of which aborts if called. Nothing that decodes or
encodes H.264 calls them; a measurement that did would fail, not pass.

Needs valgrind (callgrind) and what ladder-vs-ffmpeg.py needs. Only public
tools are used.
"""

import argparse
import collections
import concurrent.futures
import importlib.util
import os
import re
import shlex
import shutil
import subprocess
import sys


def load_benchmark():
    """tests/bench/ladder-vs-ffmpeg.py as a module: its clip, settings and
    commands are the ones counted here."""
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                        'ladder-vs-ffmpeg.py')
    spec = importlib.util.spec_from_file_location('ladder_vs_ffmpeg', path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


lvf = load_benchmark()

UNHANDLED_RE = re.compile(
    r'Unrecognised instruction at address.*\n.*\(in (/[^)]+)\)')


def stub_library(lib, workdir):
    """A library with @lib's soname and exported functions, each of which
    aborts; returns its directory."""
    soname = None
    for line in subprocess.run(['objdump', '-p', lib], check=True,
                               capture_output=True, text=True).stdout.split(
                                   '\n'):
        if line.split()[:1] == ['SONAME']:
            soname = line.split()[1]
    if not soname:
        raise SystemExit('%s has no SONAME: cannot stub it' % lib)
    by_version = collections.defaultdict(list)
    for line in subprocess.run(['nm', '-D', '--defined-only', lib],
                               check=True, capture_output=True,
                               text=True).stdout.split('\n'):
        fields = line.split()
        if len(fields) != 3:
            continue
        kind, name = fields[1], fields[2]
        if kind not in ('T', 'W', 'i'):
            if kind not in ('A',):
                raise SystemExit('%s exports %s (%s), not a function: '
                                 'cannot stub it' % (lib, name, kind))
            continue
        name, _, version = name.partition('@@')
        by_version[version.lstrip('@')].append(name)
    stubdir = os.path.join(workdir, 'stub-' + soname)
    os.makedirs(stubdir, exist_ok=True)
    src = os.path.join(stubdir, 'stub.c')
    with open(src, 'w') as f:
        f.write('#include <stdlib.h>\n')
        for i, name in enumerate(n for v in by_version.values() for n in v):
            f.write('void s%d (void) __asm__ ("%s");\n'
                    'void s%d (void) { abort (); }\n' % (i, name, i))
    script = os.path.join(stubdir, 'version.map')
    with open(script, 'w') as f:
        unversioned = by_version.pop('', [])
        if unversioned:
            f.write('{ global: %s; };\n' % '; '.join(unversioned))
        for version, names in by_version.items():
            f.write('%s { global: %s; local: *; };\n' % (
                version, '; '.join(names)))
    cc = os.environ.get('CC', 'cc')
    subprocess.run([cc, '-shared', '-fPIC', '-o',
                    os.path.join(stubdir, soname), '-Wl,-soname,' + soname,
                    '-Wl,--version-script=' + script, src], check=True)
    return stubdir


def valgrind_env(env, workdir):
    """@env, with a stub of the library whose start-up valgrind cannot run
    if there is one (see the top of the file); exits with 77 if valgrind
    cannot run the decoder at all."""
    probe = ['valgrind', '--tool=none', 'gst-inspect-1.0', 'avdec_h264']
    for _ in range(4):
        r = subprocess.run(probe, env=env, capture_output=True, text=True)
        if r.returncode == 0:
            return env
        m = UNHANDLED_RE.search(r.stderr)
        if not m:
            break
        lib = os.path.realpath(m.group(1))
        print('- valgrind cannot run %s\'s start-up on this CPU (%s): the '
              'measured processes get a stub of it' % (
                  os.path.basename(lib), r.stderr[r.stderr.find(
                      'unhandled instruction bytes'):].split('\n')[0]))
        stubdir = stub_library(lib, workdir)
        env = dict(env)
        env['LD_LIBRARY_PATH'] = stubdir + (
            os.pathsep + env['LD_LIBRARY_PATH']
            if env.get('LD_LIBRARY_PATH') else '')
    print('SKIP: valgrind cannot run avdec_h264 here:\n%s' %
          r.stderr[-1500:])
    sys.exit(77)


def read_callgrind(path):
    """The total and the instructions by object file of a callgrind
    output (the self cost of each function, calls excluded)."""
    names, by_object = {}, collections.Counter()
    total, current, after_call = None, None, False
    with open(path) as f:
        for line in f:
            if line.startswith('ob=') or line.startswith('cob='):
                # an object is named the first time it appears, as the
                # current one (ob=) or as the one a call goes to (cob=)
                key, _, value = line.strip().partition('=')
                m = re.match(r'\((\d+)\)\s*(.*)', value)
                if m and m.group(2):
                    names[m.group(1)] = m.group(2)
                if key == 'ob':
                    current = names.get(m.group(1), '?') if m else value
            elif line.startswith('calls='):
                after_call = True
            elif line[:1] in '0123456789+-*':
                if after_call:
                    after_call = False
                    continue
                fields = line.split()
                if len(fields) >= 2:
                    by_object[current] += int(fields[1])
            elif line.startswith('totals:') or line.startswith('summary:'):
                total = int(line.split()[1])
    if total is None:
        total = sum(by_object.values())
    return total, by_object


def library(path):
    """A short name for an object file: its base name up to .so."""
    base = os.path.basename(path or '?')
    return base.split('.so')[0] if '.so' in base else base


def count(name, cmd, env, workdir, timeout):
    out = os.path.join(workdir, 'callgrind.%s.out' % re.sub(
        r'[^A-Za-z0-9]+', '-', name))
    r = subprocess.run(['valgrind', '--tool=callgrind',
                        '--callgrind-out-file=' + out] + cmd, env=env,
                       stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                       text=True, timeout=timeout)
    if r.returncode != 0:
        raise RuntimeError('%s failed under valgrind (exit %d):\n%s' % (
            name, r.returncode, r.stderr[-2000:]))
    total, by_object = read_callgrind(out)
    by_lib = collections.Counter()
    for obj, n in by_object.items():
        by_lib[library(obj)] += n
    return total, by_lib


def giga(n):
    return '%.2f' % (n / 1e9)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    lvf.add_work_args(ap, 'ladder,ffmpeg')
    ap.add_argument('--jobs', type=int, default=os.cpu_count() or 1,
                    help='commands counted at once (default: the CPUs)')
    ap.add_argument('--timeout', type=float, default=3600,
                    help='seconds after which a count fails')
    args = ap.parse_args()

    for tool in ('valgrind', 'ffmpeg', 'gst-launch-1.0', 'nm', 'objdump'):
        if not shutil.which(tool):
            print('SKIP: %s not found' % tool)
            return 77
    env = lvf.plugin_env(args.build_dir)
    for feature in ('x264enc', 'avdec_h264', 'qtdemux', 'mp4mux', 'ladder'):
        if not lvf.gst_has(feature, env):
            print('SKIP: GStreamer element %s not available' % feature)
            return 77

    rungs = lvf.parse_renditions(args.renditions)
    workdir, src, clip_cmd, digest = lvf.bench_clip(args)

    print('# gst-ladder: the ladder\'s work in instructions')
    print()
    print('- machine: %s; %d cores' % (lvf.cpu_model(), os.cpu_count()))
    print('- ladderscale kernels: %s%s' % (
        lvf.scaler_path(env), ' (LADDER_SCALER_SIMD=%s)' %
        env['LADDER_SCALER_SIMD'] if env.get('LADDER_SCALER_SIMD') else ''))
    print('- clip: %s, sha256 %s' % (os.path.basename(src), digest))
    print('- ladder: %s' % ', '.join('%s %dx%d @ %d kbit/s' % (
        r.name, r.width, r.height, r.kbps) for r in rungs))
    vg_env = valgrind_env(env, workdir)
    print('- %s, every command once (instructions of all its threads)' %
          lvf.check_output(['valgrind', '--version']).strip())
    sys.stdout.flush()

    cmds = {c: lvf.contender_command(c, args, src, rungs, os.path.join(
        workdir, 'out-%s-instructions' % c)) for c in [
            c.strip() for c in args.contenders.split(',') if c.strip()]}
    contenders = list(cmds)
    # outputs of an earlier run must not pass for this one's
    for c in contenders:
        for r in rungs:
            stale = os.path.join(workdir, 'out-%s-instructions' % c,
                                 r.name + '.mp4')
            if os.path.exists(stale):
                os.remove(stale)
    # the raw frames of the encodes are made here, outside valgrind
    part_cmds = lvf.parts_commands(args, env, src, rungs, workdir,
                                   args.parts_scale)
    cmds.update(part_cmds)

    counts, failed = {}, []
    with concurrent.futures.ThreadPoolExecutor(max(1, args.jobs)) as pool:
        # the longest first, so that the pool ends together
        futures = {pool.submit(count, k, cmd, vg_env, workdir,
                               args.timeout): k for k, cmd in sorted(
                                   cmds.items(), key=lambda kv: kv[0] not in
                                   contenders and kv[0] != lvf.SERIAL)}
        for fut in concurrent.futures.as_completed(futures):
            k = futures[fut]
            try:
                counts[k] = fut.result()
            except (RuntimeError, subprocess.TimeoutExpired) as e:
                print('FAIL: %s: %s' % (k, e))
                failed.append(k)
    # a count of a contender that lost frames would read low
    expected = int(round(args.duration * 30))
    for c in contenders:
        for r in rungs:
            path = os.path.join(workdir, 'out-%s-instructions' % c,
                                r.name + '.mp4')
            try:
                frames = lvf.probe(path)['frames']
            except (subprocess.CalledProcessError, OSError, KeyError):
                frames = 0
            if frames != expected:
                print('FAIL: %s %s: %d frames of %d' % (c, r.name, frames,
                                                         expected))
                failed.append(c)
    if failed:
        return 1

    parents = lvf.scale_parents(rungs, lvf.ladder_cascades(args.ladder_props))
    total = {k: v[0] for k, v in counts.items()}
    parts = lvf.parts_from(total, rungs, parents)
    floor = lvf.floor_of(parts, rungs)
    whole = sum(parts.values())
    serial = total[lvf.SERIAL]

    print()
    print('## Parts (billions of instructions)')
    print()
    print('| part | G instructions | % of the floor |')
    print('|---|---|---|')
    for k, v in parts.items():
        print('| %s | %s | %.1f %% |' % (k, giga(v), 100.0 * v / floor))
    print('| **floor** (decode + encodes) | **%s** | 100 %% |' % giga(floor))
    print('| sum of parts | %s | %.1f %% |' % (giga(whole),
                                              100.0 * whole / floor))
    print('| serial chain (%s) | %s | %.1f %% |' % (
        'decode, then each rung\'s scale and encode, one thread',
        giga(serial), 100.0 * serial / floor))
    print()
    print('| contender | G instructions | / floor | / sum of parts | '
          '/ serial chain |')
    print('|---|---|---|---|---|')
    for c in contenders:
        print('| %s | %s | **%.3f** | %.3f | %.3f |' % (
            c, giga(total[c]), total[c] / floor, total[c] / whole,
            total[c] / serial))

    # by library: the ladder against the floor's commands (the decode and
    # each encode less the reading of its raw frames)
    if 'ladder' in counts:
        libs = {k: v[1] for k, v in counts.items()}
        floor_libs = collections.Counter(libs['decode'])
        for r in rungs:
            floor_libs.update(libs['read raw + encode %s' % r.name])
            floor_libs.subtract(libs['read raw %s' % r.name])
        ladder_libs = libs['ladder']
        names = sorted(set(ladder_libs) | set(floor_libs),
                       key=lambda n: -max(ladder_libs[n], floor_libs[n]))
        print()
        print('By library, the ladder against the floor\'s commands (the '
              'decode, and each encode less the reading of its raw frames; '
              'G instructions, libraries above 0.1 % of the floor):')
        print()
        print('| library | ladder | floor | ladder - floor | '
              '% of the floor |')
        print('|---|---|---|---|---|')
        rest_l = rest_f = 0
        for n in names:
            lv, fv = ladder_libs[n], floor_libs[n]
            if max(lv, fv) < floor / 1000:
                rest_l += lv
                rest_f += fv
                continue
            print('| %s | %s | %s | %+.3f | %+.1f %% |' % (
                n, giga(lv), giga(fv), (lv - fv) / 1e9,
                100.0 * (lv - fv) / floor))
        print('| the rest | %s | %s | %+.3f | %+.1f %% |' % (
            giga(rest_l), giga(rest_f), (rest_l - rest_f) / 1e9,
            100.0 * (rest_l - rest_f) / floor))
    print()
    print('Commands (each under `valgrind --tool=callgrind`):')
    for k, cmd in cmds.items():
        print('- %s: `%s`' % (k, shlex.join(cmd)))
    print('- clip: `%s`' % shlex.join(clip_cmd))
    return 0


if __name__ == '__main__':
    sys.exit(main())
