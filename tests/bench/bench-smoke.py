#!/usr/bin/env python3
# Runs a benchmark with a tiny workload and checks that it exits cleanly and
# prints a Markdown table with one row per pad count and the command that
# reproduces it. Timing is not checked.
import re
import subprocess
import sys

proc = subprocess.run(sys.argv[1:], capture_output=True, text=True,
                      timeout=100)
sys.stdout.write(proc.stdout)
sys.stderr.write(proc.stderr)
if proc.returncode != 0:
    sys.exit("benchmark exited with %d" % proc.returncode)

rows = re.findall(r"^\| (\d+) \| [\d.]+ \| [\d.]+ \| [\d.]+ \|$", proc.stdout,
                  re.M)
pads = sys.argv[sys.argv.index("--pads") + 1].split(",") \
    if "--pads" in sys.argv else ["1", "4", "16"]
if rows != pads:
    sys.exit("expected table rows for pads %s, got %s" % (pads, rows))
if "Reproduce:" not in proc.stdout:
    sys.exit("no reproduce line")
print("smoke OK")
