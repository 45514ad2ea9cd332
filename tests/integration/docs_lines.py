#!/usr/bin/env python3
"""Runs every gst-launch-1.0 line shown in README.md and docs/*.md, so the
documentation cannot rot. A line counts when it sits in a ```sh block and
starts with gst-launch-1.0; it must finish on its own, successfully. The
lines of one section (the text under one heading) run in order in one
folder (their working directory), so a recipe can make its input file in
one line and use it in the next blocks. A line that pushes to
rtmp://127.0.0.1:1935/ gets an RTMP server first: FFmpeg listening there,
which must receive the stream."""
import glob
import os
import shlex
import shutil
import subprocess
import sys
import tempfile
import time

ROOT = os.environ.get("LADDER_SOURCE_ROOT",
                      os.path.dirname(os.path.dirname(os.path.dirname(
                          os.path.abspath(__file__)))))
TIMEOUT = int(os.environ.get("LADDER_DOCS_LINE_TIMEOUT", "120"))


RTMP = "rtmp://127.0.0.1:1935/"


def lines_of(path):
    """(line number, line, section number) of every line to run"""
    block = None
    sections = 0
    with open(path, encoding="utf-8") as f:
        for no, line in enumerate(f, 1):
            stripped = line.strip()
            if stripped.startswith("```"):
                block = None if block is not None else stripped[3:].strip()
                continue
            if block is None and stripped.startswith("#"):
                sections += 1
            if block == "sh" and stripped.startswith("gst-launch-1.0"):
                yield no, stripped, sections


def rtmp_listening():
    """Whether something listens on TCP port 1935 (without connecting: the
    server takes one connection only)"""
    try:
        with open("/proc/net/tcp", encoding="ascii") as f:
            return any(":078F " in line and line.split()[3] == "0A"
                       for line in f)
    except OSError:
        return False


def rtmp_server(url, folder):
    """FFmpeg as an RTMP server for one stream at @url, writing what it
    receives to received.flv in @folder; None when it does not start."""
    proc = subprocess.Popen(
        ["ffmpeg", "-v", "error", "-y", "-listen", "1", "-i", url, "-c",
         "copy", "-f", "flv", "received.flv"], cwd=folder,
        stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT, text=True)
    deadline = time.monotonic() + 10
    while not rtmp_listening():
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            proc.wait()
            return None
        time.sleep(0.05)
    return proc


def have(element):
    return subprocess.run(["gst-inspect-1.0", "--exists", element],
                          timeout=60).returncode == 0


def main():
    files = [os.path.join(ROOT, "README.md")] + sorted(
        glob.glob(os.path.join(ROOT, "docs", "*.md")))
    passed = failed = skipped = 0
    folders = {}
    for path in files:
        for no, line, block in lines_of(path):
            where = "%s:%d" % (os.path.relpath(path, ROOT), no)
            argv = shlex.split(line)
            missing = [a.split()[0] for a in argv
                       if a in ("x264enc", "avenc_aac", "hlssink2", "avdec_h264")
                       and not have(a)]
            if missing:
                print("SKIP: %s needs %s" % (where, ", ".join(missing)))
                skipped += 1
                continue
            if (path, block) not in folders:
                folders[(path, block)] = tempfile.TemporaryDirectory()
            tmp = folders[(path, block)].name
            server = None
            urls = [a.split("=", 1)[1] for a in argv
                    if a.startswith("location=" + RTMP)]
            if urls:
                if not shutil.which("ffmpeg"):
                    print("SKIP: %s needs ffmpeg as its RTMP server" % where)
                    skipped += 1
                    continue
                server = rtmp_server(urls[0], tmp)
                if server is None:
                    failed += 1
                    print("FAIL: %s: no RTMP server on %s" % (where, RTMP))
                    continue
            try:
                res = subprocess.run(argv, cwd=tmp, capture_output=True,
                                     text=True, timeout=TIMEOUT)
                ok = res.returncode == 0
                out = res.stdout[-2000:] + res.stderr[-2000:]
            except subprocess.TimeoutExpired:
                ok, out = False, "did not finish within %d s" % TIMEOUT
            if server:
                try:
                    server_out = server.communicate(timeout=30)[0]
                except subprocess.TimeoutExpired:
                    server.kill()
                    server_out = server.communicate()[0]
                received = os.path.join(tmp, "received.flv")
                if server.returncode != 0 or not os.path.exists(received) \
                        or os.path.getsize(received) == 0:
                    ok = False
                    out += "\nthe RTMP server received nothing (%s): %s" % (
                        server.returncode, server_out[-1000:])
            if ok:
                passed += 1
                print("ok: %s" % where)
            else:
                failed += 1
                print("FAIL: %s: %s\n%s" % (where, line, out))
    for folder in folders.values():
        folder.cleanup()
    print("%d passed, %d failed, %d skipped" % (passed, failed, skipped))
    return 1 if failed or passed == 0 else 0


if __name__ == "__main__":
    sys.exit(main())
