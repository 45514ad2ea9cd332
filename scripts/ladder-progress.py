#!/usr/bin/env python3
"""Reads `gst-launch-1.0 -m` output on stdin and prints one progress line
per `ladder-stats` message: each rendition's fps and bitrate. Errors,
warnings and `ladder-panic` messages are passed through."""
import re
import signal
import sys
import time

FIELD = r"%s=\((?:[A-Za-z0-9]+)\)\"?([^,;\"]*)"


def field(chunk, name):
    m = re.search(FIELD % re.escape(name), chunk)
    return m.group(1) if m else None


def main():
    # Ctrl-C reaches the whole foreground group: gst-launch-1.0 -e then
    # sends EOS and still prints until it ends. Keep reading until it closes
    # the pipe, or its next write would kill it (SIGPIPE) before the
    # playlists are ended.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    start = time.monotonic()
    for raw in sys.stdin:
        line = raw.rstrip("\n")
        if "ladder-stats" in line:
            flat = line.replace("\\", "")
            rungs = []
            for chunk in flat.split("ladder-rung-stats")[1:]:
                rendition = field(chunk, "rendition") or "?"
                track = field(chunk, "track") or "?"
                try:
                    fps = float(field(chunk, "fps") or 0)
                    kbps = float(field(chunk, "bitrate") or 0) / 1000.0
                except ValueError:
                    fps, kbps = 0.0, 0.0
                state = field(chunk, "state") or ""
                transcoder = field(chunk, "transcoder") or ""
                # the shared decoder of the source is a key of its own
                label = "decode" if transcoder == "decode" else "%s/%s" % (rendition, track)
                extra = "" if state in ("running", "") else " (%s)" % state
                rungs.append("%-14s %5.1f fps %7.0f kbit/s%s" % (label, fps, kbps, extra))
            print("[%5.1fs] %s" % (time.monotonic() - start, "  |  ".join(sorted(rungs))))
        elif ("ladder-panic" in line or "ERROR" in line or "WARNING" in line
              or line.startswith("Setting pipeline") or "EOS" in line
              or "Execution ended" in line or "Interrupt" in line):
            print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
