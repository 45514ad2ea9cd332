#!/usr/bin/env python3
"""Runs every gst-launch-1.0 line shown in README.md and docs/*.md, so the
documentation cannot rot. A line counts when it sits in a ```sh block and
starts with gst-launch-1.0; it must finish on its own, successfully. The
lines of one block run in order in one folder (their working directory), so
a recipe can make its input file in one line and use it in the next."""
import glob
import os
import shlex
import subprocess
import sys
import tempfile

ROOT = os.environ.get("LADDER_SOURCE_ROOT",
                      os.path.dirname(os.path.dirname(os.path.dirname(
                          os.path.abspath(__file__)))))
TIMEOUT = int(os.environ.get("LADDER_DOCS_LINE_TIMEOUT", "120"))


def lines_of(path):
    """(line number, line, block number) of every line to run"""
    block = None
    blocks = 0
    with open(path, encoding="utf-8") as f:
        for no, line in enumerate(f, 1):
            stripped = line.strip()
            if stripped.startswith("```"):
                block = None if block is not None else stripped[3:].strip()
                blocks += 1
                continue
            if block == "sh" and stripped.startswith("gst-launch-1.0"):
                yield no, stripped, blocks


def have(element):
    return subprocess.run(["gst-inspect-1.0", "--exists", element]).returncode == 0


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
            try:
                res = subprocess.run(argv, cwd=tmp, capture_output=True,
                                     text=True, timeout=TIMEOUT)
                ok = res.returncode == 0
                out = res.stdout[-2000:] + res.stderr[-2000:]
            except subprocess.TimeoutExpired:
                ok, out = False, "did not finish within %d s" % TIMEOUT
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
