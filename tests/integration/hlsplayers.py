"""Real HLS players for the tests: hls.js in headless Chromium, GStreamer's
hlsdemux, and FFmpeg on every segment alone.

    hlsjs_play(folder, master_name="master.m3u8", mode="vod"|"live", timeout=...)
    hlsdemux_play(master_path, timeout=...)
    ffprobe_segments(folder, master_name="master.m3u8")

Each returns a dict whose "ok" says whether that player played everything
cleanly and whose "problems" (and each variant's "problems") say exactly what
went wrong; format_*() turn them into a few readable lines.

hls.js needs Debian's chromium, node (>= 18) and the pinned npm packages in
tests/players/node_modules (scripts/install-deps.sh installs all three).
When one is missing, hlsjs_play() raises PlayerUnavailable (a
unittest.SkipTest) whose reason names it; hlsjs_unavailable() gives the same
reason, or None, without playing anything.
"""
import concurrent.futures
import http.server
import json
import os
import re
import shutil
import signal
import subprocess
import tempfile
import threading
import time
import unittest
import urllib.parse

HERE = os.path.dirname(os.path.abspath(__file__))
PLAYERS_DIR = os.path.normpath(os.path.join(HERE, "..", "players"))
HLSJS_SCRIPT = os.path.join(PLAYERS_DIR, "hlsjs-check.mjs")
NODE_MODULES = os.path.join(PLAYERS_DIR, "node_modules")
HLSJS_DIST = os.path.join(NODE_MODULES, "hls.js", "dist", "hls.min.js")
PLAYWRIGHT = os.path.join(NODE_MODULES, "playwright-core", "package.json")
MIN_NODE = 18  # playwright-core 1.61 (tests/players/package.json) needs >= 18

# hls.js checks, see hlsjs_play()
VOD_RATE = 4              # playbackRate of the VOD plays
END_TOLERANCE = 0.3       # s: currentTime this close to the duration is the end
LIVE_TARGET_DURATIONS = 2  # how long each live level plays
LIVE_MAX_JOIN_TDS = 4     # started at most this many target durations behind the
                          # edge of the playlist hls.js joined (its default: 3)
LIVE_MAX_LATENCY_TDS = 5  # ... and behind the edge when playback began (a
                          # playlist reload may have moved the edge meanwhile)
LIVE_MIN_ADVANCE = 0.5    # currentTime advanced at least this share of the play time


class PlayerUnavailable(unittest.SkipTest):
    """A player cannot run on this machine; str() is the reason."""


# ---------------------------------------------------------------- playlists

def master_variants(master_path):
    """[(attributes dict, uri)] of a multivariant playlist, in its order."""
    with open(master_path) as f:
        lines = f.read().splitlines()
    out = []
    for i, line in enumerate(lines):
        if line.startswith("#EXT-X-STREAM-INF:"):
            attrs = dict(re.findall(r'([A-Z0-9-]+)=("[^"]*"|[^,]*)', line.split(":", 1)[1]))
            attrs = {k: v.strip('"') for k, v in attrs.items()}
            uri = next((l.strip() for l in lines[i + 1:] if l.strip() and not l.startswith("#")), None)
            out.append((attrs, uri))
    return out


def media_playlist(path):
    """A media playlist: target duration, [(EXTINF duration, uri)], ENDLIST."""
    with open(path) as f:
        text = f.read()
    segments, duration = [], None
    for line in text.splitlines():
        line = line.strip()
        if line.startswith("#EXTINF:"):
            duration = float(line[8:].split(",")[0])
        elif line and not line.startswith("#"):
            segments.append((duration, line))
            duration = None
    td = re.search(r"#EXT-X-TARGETDURATION:\s*([0-9.]+)", text)
    seq = re.search(r"#EXT-X-MEDIA-SEQUENCE:\s*([0-9]+)", text)
    return {"target_duration": float(td.group(1)) if td else None,
            "media_sequence": int(seq.group(1)) if seq else 0,
            "segments": segments,
            "endlist": "#EXT-X-ENDLIST" in text,
            "text": text}


def media_playlists(folder, master_name="master.m3u8"):
    """{variant uri: absolute path of its media playlist} in master order."""
    master = os.path.join(folder, master_name)
    return {uri: os.path.normpath(os.path.join(os.path.dirname(master), uri))
            for _, uri in master_variants(master)}


# ---------------------------------------------------------------- HTTP

class _Handler(http.server.SimpleHTTPRequestHandler):
    extensions_map = {
        "": "application/octet-stream",
        ".m3u8": "application/vnd.apple.mpegurl",
        ".ts": "video/mp2t",
        ".m4s": "video/iso.segment",
        ".mp4": "video/mp4",
        ".aac": "audio/aac",
        ".js": "text/javascript",
        ".mjs": "text/javascript",
        ".html": "text/html",
    }
    PAGE = (b"<!doctype html><html><head><meta charset=utf-8><title>hls.js check</title>"
            b"<link rel=icon href=\"data:,\">"
            b"<script src=\"/__hlsjs__/hls.js\"></script></head><body></body></html>")

    def do_GET(self):
        # no conditional requests: a live playlist may change within a second
        del self.headers["If-Modified-Since"]
        del self.headers["If-None-Match"]
        path = urllib.parse.urlsplit(self.path).path
        if path == "/__hlsjs__/index.html":
            return self._send(200, "text/html", self.PAGE)
        if path == "/__hlsjs__/hls.js":
            with open(HLSJS_DIST, "rb") as f:
                return self._send(200, "text/javascript", f.read())
        return super().do_GET()

    def _send(self, code, ctype, body):
        self.send_response(code)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def end_headers(self):
        self.send_header("Cache-Control", "no-store, no-cache, must-revalidate, max-age=0")
        self.send_header("Pragma", "no-cache")
        self.send_header("Expires", "0")
        self.send_header("Access-Control-Allow-Origin", "*")
        super().end_headers()

    def log_request(self, code="-", size="-"):
        with self.server.lock:
            self.server.requests.append((self.command, urllib.parse.urlsplit(self.path).path,
                                         int(code) if str(code).isdigit() else code))

    def log_message(self, *args):
        pass


class _Server(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        pass  # the browser aborting a request is not our business


class HttpFolder:
    """Serves @folder on http://127.0.0.1:<free port>/ from a thread, with
    HLS Content-Types and no caching; also /__hlsjs__/index.html (a blank
    page that loads hls.js) and /__hlsjs__/hls.js (the pinned hls.js).
    A context manager; .requests lists (method, path, status)."""

    def __init__(self, folder):
        handler = lambda *a, **kw: _Handler(*a, directory=folder, **kw)  # noqa: E731
        self.server = _Server(("127.0.0.1", 0), handler)
        self.server.requests = []
        self.server.lock = threading.Lock()
        self.port = self.server.server_address[1]
        self.base = "http://127.0.0.1:%d" % self.port
        self.thread = threading.Thread(target=self.server.serve_forever,
                                       kwargs={"poll_interval": 0.1}, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(5)

    @property
    def requests(self):
        with self.server.lock:
            return list(self.server.requests)


# ---------------------------------------------------------------- hls.js

def _node_major(node):
    try:
        out = subprocess.run([node, "--version"], capture_output=True, text=True, timeout=20).stdout
        return int(out.strip().lstrip("v").split(".")[0])
    except (OSError, ValueError, subprocess.SubprocessError):
        return None


def hlsjs_unavailable(chromium=None):
    """None when hls.js can run here, else the reason it cannot (a string)."""
    chromium = chromium or shutil.which("chromium")
    if not chromium or not os.access(chromium, os.X_OK):
        return "chromium is not installed (Debian package 'chromium', scripts/install-deps.sh)"
    node = shutil.which("node")
    if not node:
        return "node is not on PATH (Debian package 'nodejs', scripts/install-deps.sh)"
    major = _node_major(node)
    if major is None or major < MIN_NODE:
        return "node %s is too old: playwright-core needs node >= %d" % (major, MIN_NODE)
    for path in (HLSJS_DIST, PLAYWRIGHT):
        if not os.path.exists(path):
            return ("%s is missing: run scripts/install-deps.sh (npm ci in tests/players)"
                    % os.path.relpath(path, os.path.dirname(os.path.dirname(PLAYERS_DIR))))
    return None


def _kill_profile_processes(profile):
    """Kills what is left of the Chromium we started: the processes whose
    command line names our own fresh profile folder (by pid)."""
    needle = ("--user-data-dir=" + profile).encode()
    deadline = time.monotonic() + 10
    while True:
        left = []
        for pid in os.listdir("/proc"):
            if not pid.isdigit():
                continue
            try:
                with open("/proc/%s/cmdline" % pid, "rb") as f:
                    if needle in f.read():
                        os.kill(int(pid), signal.SIGKILL)
                        left.append(pid)
            except OSError:
                pass
        if not left or time.monotonic() > deadline:
            return
        time.sleep(0.1)


def _stop(proc, profile, grace=5):
    """Ends the node process we started (SIGTERM: playwright closes its
    browser), then SIGKILL, then Chromium leftovers of @profile."""
    if proc.poll() is None:
        try:
            os.killpg(proc.pid, signal.SIGTERM)
        except OSError:
            pass
        try:
            proc.wait(grace)
        except subprocess.TimeoutExpired:
            try:
                os.killpg(proc.pid, signal.SIGKILL)
            except OSError:
                pass
            proc.wait(10)
    _kill_profile_processes(profile)


def hlsjs_play(folder, master_name="master.m3u8", mode="vod", timeout=300,
               level_timeout=None, rate=VOD_RATE, chromium=None):
    """Plays every level of @folder/@master_name with the pinned hls.js in
    headless Chromium, each level locked (no ABR switches), and checks it.

    vod (or event): from 0 to the end at @rate; a level is ok when hls.js
      raised no ERROR event at all (fatal or not), buffered exactly the
      segments its media playlist lists (FRAG_BUFFERED, each once, all of
      this level), the video reached 'ended' (or currentTime within
      END_TOLERANCE of the duration), and frames were decoded.
    live: joins each level at the live edge (hls.js defaults:
      liveSyncDurationCount 3), plays LIVE_TARGET_DURATIONS target durations;
      ok when the playlist is live, playback started at most
      LIVE_MAX_JOIN_TDS target durations behind the edge of the playlist
      it joined (and LIVE_MAX_LATENCY_TDS behind the edge then), currentTime
      advanced, frames were decoded and hls.js raised no fatal error
      (non-fatal errors are reported under "warnings").

    Returns {"ok", "mode", "hlsjs", "browser", "levels": {uri: {...}},
    "problems", "http_errors", "console_errors"}; each level has "ok",
    "problems", "errors" (the hls.js ERROR events), "frags",
    "expected_frags", "frames", ... and "raw" (what the page saw).
    Everything is bounded by @timeout seconds: a hang is a problem, never a
    wait. Raises PlayerUnavailable when chromium, node or the npm packages
    are missing."""
    if mode == "event":
        mode = "vod"
    if mode not in ("vod", "live"):
        raise ValueError("mode must be 'vod', 'event' or 'live', not %r" % mode)
    chromium = chromium or shutil.which("chromium")
    reason = hlsjs_unavailable(chromium)
    if reason:
        raise PlayerUnavailable("hls.js: " + reason)
    folder = os.path.abspath(folder)
    master_path = os.path.join(folder, master_name)
    variants = master_variants(master_path)
    playlists = {}
    for _, uri in variants:
        try:
            playlists[uri] = media_playlist(os.path.join(folder, uri))
        except OSError as e:
            playlists[uri] = {"segments": [], "error": str(e)}
    if level_timeout is None:
        level_timeout = 60 if mode == "vod" else 45

    result = {"ok": False, "mode": mode, "hlsjs": None, "browser": None, "levels": {},
              "problems": [], "http_errors": [], "console_errors": [], "stderr": ""}
    # a fresh profile, and a TMPDIR of our own: a killed Chromium leaves
    # its temporary folders there, removed with it
    work = tempfile.mkdtemp(prefix="hlsjs-")
    profile = os.path.join(work, "profile")
    os.mkdir(profile)
    os.mkdir(os.path.join(work, "tmp"))
    env = dict(os.environ, TMPDIR=os.path.join(work, "tmp"))
    lines = []
    with HttpFolder(folder) as http:
        opts = {
            "pageUrl": http.base + "/__hlsjs__/index.html",
            "masterUrl": http.base + "/" + urllib.parse.quote(master_name),
            "mode": mode, "rate": rate,
            "levelTimeoutMs": int(level_timeout * 1000),
            "liveTargetDurations": LIVE_TARGET_DURATIONS,
            "totalTimeoutMs": int(max(timeout - 10, 10) * 1000),
            "executablePath": chromium, "userDataDir": profile,
        }
        proc = subprocess.Popen([shutil.which("node"), HLSJS_SCRIPT, json.dumps(opts)],
                                cwd=PLAYERS_DIR, env=env, stdin=subprocess.DEVNULL,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                text=True, start_new_session=True)
        try:
            out, err = proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            _stop(proc, profile)
            out, err = proc.communicate()
            result["problems"].append("hls.js check hung: killed after %d s" % timeout)
        finally:
            _stop(proc, profile)
            shutil.rmtree(work, ignore_errors=True)
        requests = http.requests

    result["stderr"] = err[-4000:]
    for line in out.splitlines():
        try:
            lines.append(json.loads(line))
        except ValueError:
            result["stderr"] += "\n" + line
    result["http_errors"] = [r for r in requests if isinstance(r[2], int) and r[2] >= 400]
    done = [l for l in lines if l.get("event") == "done"]
    if not done:
        result["problems"].append("hlsjs-check.mjs ended without a result (exit %s): %s"
                                  % (proc.returncode, err.strip()[-1500:]))
    else:
        result["problems"] += done[-1].get("problems", [])
        result["console_errors"] = done[-1].get("consoleErrors", [])
    master_dir = opts["masterUrl"].rsplit("/", 1)[0] + "/"

    def relative(url):  # hls.js gives absolute URLs
        return url[len(master_dir):] if url and url.startswith(master_dir) else url

    browser = next((l for l in lines if l.get("event") == "browser"), None)
    if browser:
        result["hlsjs"] = browser.get("hlsjs")
        result["browser"] = browser.get("version")
        seen = sorted(relative(l["url"]) for l in browser.get("levels", []))
        listed = sorted(uri for _, uri in variants)
        if seen != listed:
            result["problems"].append("hls.js sees levels %s, the master lists %s" % (seen, listed))

    played = {}
    for l in lines:
        if l.get("event") == "level":
            played[relative(l["url"])] = l
    for _, uri in variants:
        raw = played.get(uri)
        if raw is None:
            result["levels"][uri] = {"ok": False, "problems": ["not played"], "errors": [], "raw": None}
            continue
        check = _check_vod if mode == "vod" else _check_live
        result["levels"][uri] = check(raw, playlists[uri])
    result["ok"] = (not result["problems"] and bool(result["levels"])
                    and all(v["ok"] for v in result["levels"].values()))
    return result


def _level_common(raw, playlist):
    errors = raw.get("errors") or []
    sns = raw.get("fragsBuffered") or []
    lv = {"problems": [], "errors": errors, "frags": len(set(sns)),
          "frag_sns": sns, "expected_frags": len(playlist["segments"]),
          "frames": raw.get("frames"), "dropped_frames": raw.get("droppedFrames"),
          "current_time": raw.get("currentTime"), "duration": raw.get("duration"),
          "ended": raw.get("ended"), "size": "%sx%s" % (raw.get("videoWidth"), raw.get("videoHeight")),
          "buffered": raw.get("buffered"), "raw": raw}
    p = lv["problems"]
    if raw.get("hang"):
        p.append(raw["hang"])
    if raw.get("timedOut"):
        p.append("timed out after %.1f s at currentTime %s of %s (readyState %s, buffered %s, "
                 "no progress for %s s)" % (raw.get("elapsed", 0), raw.get("currentTime"),
                                            raw.get("duration"), raw.get("readyState"),
                                            raw.get("buffered"), raw.get("lastProgressAgo")))
    if raw.get("playError"):
        p.append("video.play() failed: %s" % raw["playError"])
    if raw.get("mediaError"):
        p.append("media element error %s" % raw["mediaError"])
    if not (lv["frames"] or 0) > 0:
        p.append("no video frame decoded (totalVideoFrames %s)" % lv["frames"])
    if raw.get("otherLevelFrags"):
        p.append("fragments of other levels buffered: %s" % raw["otherLevelFrags"][:10])
    return lv


def _fmt_error(e):
    s = "%s%s/%s" % ("FATAL " if e.get("fatal") else "", e.get("type"), e.get("details"))
    for k in ("reason", "error"):
        if e.get(k):
            s += " %s" % e[k]
    if e.get("sn") is not None:
        s += " (sn %s)" % e["sn"]
    if e.get("code"):
        s += " HTTP %s" % e["code"]
    return s + " at %s, buffered %s" % (e.get("currentTime"), e.get("buffered"))


# s of media buffered past the playhead above which a stall is the
# browser's, not the stream's
STALL_BUFFERED_AHEAD = 1.0


def _decoder_stall(e):
    """True for a non-fatal bufferStalledError raised while the playhead was
    inside a buffered range with at least STALL_BUFFERED_AHEAD s after it:
    the media element had the data and did not play it (its decoder fell
    behind on a loaded machine: at VOD_RATE, Chromium drops half the
    frames of a 1080p level on 2 cores). A stall at a hole or at the end of
    the buffer is the stream's, and stays a problem."""
    if e.get("fatal") or e.get("details") != "bufferStalledError":
        return False
    ct = e.get("currentTime")
    if not isinstance(ct, (int, float)):
        return False
    return any(start <= ct and end - ct >= STALL_BUFFERED_AHEAD
               for start, end in e.get("buffered") or [])


def _check_vod(raw, playlist):
    lv = _level_common(raw, playlist)
    p = lv["problems"]
    lv["warnings"] = ["hls.js error: %s (the player's decoder fell behind)"
                      % _fmt_error(e) for e in lv["errors"] if _decoder_stall(e)]
    for e in lv["errors"]:
        if not _decoder_stall(e):
            p.append("hls.js error: " + _fmt_error(e))
    if len(set(lv["frag_sns"])) != len(lv["frag_sns"]):
        p.append("fragments buffered more than once: %s" % lv["frag_sns"])
    if lv["frags"] != lv["expected_frags"]:
        p.append("FRAG_BUFFERED %d segments of %d listed (sn %s)"
                 % (lv["frags"], lv["expected_frags"], lv["frag_sns"]))
    ct, d = raw.get("currentTime"), raw.get("duration")
    at_end = isinstance(ct, (int, float)) and isinstance(d, (int, float)) and abs(d - ct) <= END_TOLERANCE
    if not (raw.get("ended") or at_end):
        p.append("did not reach the end: currentTime %s of duration %s, ended %s, buffered %s"
                 % (ct, d, raw.get("ended"), raw.get("buffered")))
    extinf = sum(d_ or 0 for d_, _ in playlist["segments"])
    lv["playlist_duration"] = round(extinf, 3)
    lv["ok"] = not p
    return lv


def _check_live(raw, playlist):
    lv = _level_common(raw, playlist)
    p = lv["problems"]
    lv["warnings"] = ["hls.js error: " + _fmt_error(e) for e in lv["errors"] if not e.get("fatal")]
    for e in lv["errors"]:
        if e.get("fatal"):
            p.append("hls.js fatal error: " + _fmt_error(e))
    first = raw.get("firstDetails") or {}
    if not first.get("live"):
        p.append("the media playlist is not live for hls.js (%s)" % first)
    td = first.get("targetduration") or raw.get("targetDurationFromPlaylist") or 2
    start = raw.get("start")
    if raw.get("playingAt") is None or not start:
        p.append("never started playing")
    else:
        lv["latency_at_start"] = lv["behind_joined_edge"] = None
        pos = start.get("currentTime")
        if isinstance(start.get("edge"), (int, float)) and isinstance(pos, (int, float)):
            latency = start["edge"] - pos
            lv["latency_at_start"] = round(latency, 3)
            if latency > LIVE_MAX_LATENCY_TDS * td or latency < -0.5:
                p.append("started %.2f s behind the live edge %.2f (allowed 0 to %d target durations "
                         "of %s s)" % (latency, start["edge"], LIVE_MAX_LATENCY_TDS, td))
        else:
            p.append("no live edge known at start: %s" % start)
        if isinstance(first.get("edge"), (int, float)) and isinstance(pos, (int, float)):
            joined = first["edge"] - pos
            lv["behind_joined_edge"] = round(joined, 3)
            if joined > LIVE_MAX_JOIN_TDS * td:
                p.append("started at %.2f, %.2f s behind the edge %.2f of the playlist it joined "
                         "(allowed %d target durations of %s s)"
                         % (pos, joined, first["edge"], LIVE_MAX_JOIN_TDS, td))
        played = LIVE_TARGET_DURATIONS * td
        end = raw.get("liveEndPos")
        advanced = (end - start["currentTime"]) if isinstance(end, (int, float)) else None
        lv["advanced"] = advanced
        if advanced is None or advanced < LIVE_MIN_ADVANCE * played:
            p.append("currentTime advanced %s s in %s s of live play (from %s)"
                     % (advanced, played, start["currentTime"]))
    if lv["frags"] < 1:
        p.append("no fragment buffered")
    lv["ok"] = not p
    return lv


def format_hlsjs(result):
    """A few lines: per level ok or what failed."""
    out = ["hls.js %s in Chromium %s, %s: %s" % (result.get("hlsjs"), result.get("browser"),
                                                   result["mode"], "ok" if result["ok"] else "FAILED")]
    for p in result["problems"]:
        out.append("  problem: %s" % p)
    for uri, lv in result["levels"].items():
        if result["mode"] == "vod":
            extra = "frags %s/%s, frames %s (dropped %s), time %s of %s, ended %s" % (
                lv.get("frags"), lv.get("expected_frags"), lv.get("frames"), lv.get("dropped_frames"),
                lv.get("current_time"), lv.get("duration"), lv.get("ended"))
        else:
            extra = ("behind the edge: %s s of the joined playlist, %s s when playing; "
                     "advanced %s s, frags %s, frames %s" % (
                         lv.get("behind_joined_edge"), lv.get("latency_at_start"),
                         None if lv.get("advanced") is None else round(lv["advanced"], 3),
                         lv.get("frags"), lv.get("frames")))
        out.append("  %-18s %s  %s" % (uri, "ok" if lv["ok"] else "FAILED", extra))
        for p in lv["problems"]:
            out.append("      - %s" % p)
        for w in lv.get("warnings", []):
            out.append("      (warning) %s" % w)
    if result["http_errors"]:
        out.append("  HTTP errors: %s" % result["http_errors"][:20])
    if result["console_errors"]:
        out.append("  console errors: %s" % result["console_errors"][:10])
    return "\n".join(out)


# ---------------------------------------------------------------- hlsdemux

def hlsdemux_play(master_path, timeout=120):
    """Plays each variant of @master_path to its end with GStreamer:
    uridecodebin on the file:// URI of its media playlist (hlsdemux, tsdemux,
    decoders), video and audio each to fakesink sync=false.

    A variant is ok when EOS came within @timeout seconds, with no ERROR on
    the bus and at least one decoded video frame. Returns {"ok", "problems",
    "variants": {uri: {"ok", "problems", "video_frames", "audio_buffers",
    "first_video_pts", "last_video_end", "warnings", "elements"}}}."""
    import gi
    gi.require_version("Gst", "1.0")
    from gi.repository import Gst
    Gst.init(None)

    result = {"ok": False, "problems": [], "variants": {}}
    master_path = os.path.abspath(master_path)
    for _, uri in master_variants(master_path):
        path = os.path.normpath(os.path.join(os.path.dirname(master_path), uri))
        result["variants"][uri] = _hlsdemux_variant(Gst, Gst.filename_to_uri(path), timeout)
    if not result["variants"]:
        result["problems"].append("the master lists no variant")
    result["ok"] = not result["problems"] and all(v["ok"] for v in result["variants"].values())
    return result


def _hlsdemux_variant(Gst, uri, timeout):
    v = {"ok": False, "problems": [], "warnings": [], "video_frames": 0, "audio_buffers": 0,
         "first_video_pts": None, "last_video_end": None, "video_caps": None, "elements": []}
    pipe = Gst.Pipeline.new(None)
    dec = Gst.ElementFactory.make("uridecodebin", None)
    dec.set_property("uri", uri)
    pipe.add(dec)
    lock = threading.Lock()

    def on_element_added(bin_, sub, element):  # every element tried, in order
        factory = element.get_factory()
        name = factory.get_name() if factory else type(element).__name__
        with lock:
            if name not in v["elements"]:
                v["elements"].append(name)

    dec.connect("deep-element-added", on_element_added)

    def demuxer():  # the HLS demuxer actually in the pipeline
        found = []

        def visit(element, *_):
            factory = element.get_factory()
            if factory and factory.get_name().startswith("hlsdemux"):
                found.append(factory.get_name())

        dec.iterate_recurse().foreach(visit, None)
        return found[0] if found else None

    def probe(pad, info, kind):
        buf = info.get_buffer()
        with lock:
            if kind == "video":
                v["video_frames"] += 1
                if buf.pts != Gst.CLOCK_TIME_NONE:
                    if v["first_video_pts"] is None:
                        v["first_video_pts"] = buf.pts / Gst.SECOND
                    end = buf.pts + (buf.duration if buf.duration != Gst.CLOCK_TIME_NONE else 0)
                    v["last_video_end"] = max(v["last_video_end"] or 0, end / Gst.SECOND)
            else:
                v["audio_buffers"] += 1
        return Gst.PadProbeReturn.OK

    def on_pad_added(element, pad):
        caps = pad.get_current_caps() or pad.query_caps(None)
        name = caps.get_structure(0).get_name() if caps and caps.get_size() else ""
        kind = "video" if name.startswith("video/") else "audio" if name.startswith("audio/") else None
        if kind is None:
            return
        if kind == "video":
            v["video_caps"] = caps.to_string()
        queue = Gst.ElementFactory.make("queue", None)
        sink = Gst.ElementFactory.make("fakesink", None)
        sink.set_property("sync", False)
        pipe.add(queue)
        pipe.add(sink)
        queue.link(sink)
        sink.get_static_pad("sink").add_probe(Gst.PadProbeType.BUFFER, probe, kind)
        queue.sync_state_with_parent()
        sink.sync_state_with_parent()
        pad.link(queue.get_static_pad("sink"))

    dec.connect("pad-added", on_pad_added)
    bus = pipe.get_bus()
    deadline = time.monotonic() + timeout
    eos = False
    try:
        if pipe.set_state(Gst.State.PLAYING) == Gst.StateChangeReturn.FAILURE:
            v["problems"].append("cannot start the pipeline")
        while not v["problems"]:
            left = deadline - time.monotonic()
            if left <= 0:
                v["problems"].append("no EOS within %d s (video frames so far: %d)"
                                     % (timeout, v["video_frames"]))
                break
            msg = bus.timed_pop(int(left * Gst.SECOND))
            if msg is None:
                continue
            if msg.type == Gst.MessageType.ERROR:
                err, dbg = msg.parse_error()
                v["problems"].append("ERROR from %s: %s (%s)" % (msg.src.get_name(), err.message, dbg))
            elif msg.type == Gst.MessageType.WARNING:
                err, dbg = msg.parse_warning()
                v["warnings"].append("%s: %s" % (msg.src.get_name(), err.message))
            elif msg.type == Gst.MessageType.EOS:
                eos = True
                break
        v["demuxer"] = demuxer()
    finally:
        pipe.set_state(Gst.State.NULL)
    v["eos"] = eos
    if eos and v["video_frames"] == 0:
        v["problems"].append("EOS without any decoded video frame")
    v["ok"] = eos and not v["problems"]
    return v


def format_hlsdemux(result):
    out = ["GStreamer hlsdemux: %s" % ("ok" if result["ok"] else "FAILED")]
    for p in result["problems"]:
        out.append("  problem: %s" % p)
    for uri, v in result["variants"].items():
        out.append("  %-18s %s  %s, video frames %d (pts %s to %s), audio buffers %d" % (
            uri, "ok" if v["ok"] else "FAILED", v.get("demuxer"), v["video_frames"],
            v["first_video_pts"], v["last_video_end"], v["audio_buffers"]))
        for p in v["problems"]:
            out.append("      - %s" % p)
        for w in v["warnings"][:5]:
            out.append("      (warning) %s" % w)
    return "\n".join(out)


# ---------------------------------------------------------------- ffprobe

def _run(cmd, timeout):
    try:
        return subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return subprocess.CompletedProcess(cmd, -1, "", "timed out after %d s" % timeout)


def _float(x):
    try:
        return float(x)
    except (TypeError, ValueError):
        return None


def ffprobe_segments(folder, master_name="master.m3u8", timeout=60, align_tolerance=0.02):
    """Every .ts of every media playlist of @folder/@master_name, each on
    its own: decoded by ffmpeg (-v error -f null), probed by ffprobe.

    Returns {"ok", "problems", "variants": {uri: [segment, ...]}} where each
    segment is {"ok", "problems", "file", "extinf", "decodes" (alone, without
    any error), "decode_errors", "keyframe_first" (its first video frame is a
    keyframe), "video_frames", "audio_frames", "first_pts" (first video
    frame, s), "first_audio_pts", "duration" (container), "size"}.
    "problems" (whole ladder) also says where the next segment does not start
    EXTINF after the previous one, and where the renditions' segments do not
    start at the same times (within @align_tolerance s): an ABR player
    switches at segment boundaries."""
    result = {"ok": True, "problems": [], "variants": {}}
    jobs = {}
    with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, os.cpu_count() or 1)) as pool:
        for uri, playlist_path in media_playlists(folder, master_name).items():
            playlist = media_playlist(playlist_path)
            jobs[uri] = [pool.submit(_probe_segment,
                                     os.path.normpath(os.path.join(os.path.dirname(playlist_path), seg_uri)),
                                     seg_uri, extinf, timeout)
                         for extinf, seg_uri in playlist["segments"]]
        for uri, futures in jobs.items():
            segs = [f.result() for f in futures]
            result["variants"][uri] = segs
            if not segs or not all(s["ok"] for s in segs):
                result["ok"] = False
    result["problems"] = _segment_timeline_problems(result["variants"], align_tolerance)
    if result["problems"]:
        result["ok"] = False
    return result


def _segment_timeline_problems(variants, tolerance):
    problems = []
    starts = {}
    for uri, segs in variants.items():
        if not segs:
            problems.append("%s lists no segment" % uri)
            continue
        starts[uri] = [s["first_pts"] for s in segs]
        # EXTINF says how long each segment is: the next one starts there
        for a, b in zip(segs, segs[1:]):
            if a["first_pts"] is None or b["first_pts"] is None or a["extinf"] is None:
                continue
            if abs((b["first_pts"] - a["first_pts"]) - a["extinf"]) > 0.05:
                problems.append("%s %s: EXTINF %s but %s starts %.3f s later"
                                % (uri, a["file"], a["extinf"], b["file"],
                                   b["first_pts"] - a["first_pts"]))
    if starts:
        ref_uri, ref = next(iter(starts.items()))
        for uri, st in starts.items():
            if len(st) != len(ref) or any(x is None or y is None or abs(x - y) > tolerance
                                          for x, y in zip(st, ref)):
                problems.append("segments not aligned: %s starts them at %s, %s at %s"
                                % (uri, st, ref_uri, ref))
    return problems


def _probe_segment(path, name, extinf, timeout):
    s = {"file": name, "extinf": extinf, "problems": [], "size": None, "decodes": False,
         "decode_errors": "", "keyframe_first": None, "video_frames": 0, "audio_frames": 0,
         "first_pts": None, "first_audio_pts": None, "duration": None, "start_time": None}
    if not os.path.exists(path):
        s["problems"].append("missing file")
        s["ok"] = False
        return s
    s["size"] = os.path.getsize(path)
    dec = _run(["ffmpeg", "-nostdin", "-hide_banner", "-v", "error", "-i", path, "-f", "null", "-"], timeout)
    s["decode_errors"] = dec.stderr.strip()
    s["decodes"] = dec.returncode == 0 and not s["decode_errors"]
    if not s["decodes"]:
        s["problems"].append("does not decode alone (exit %s): %s"
                             % (dec.returncode, s["decode_errors"][:500]))
    probe = _run(["ffprobe", "-v", "error", "-of", "json", "-show_frames",
                  "-show_entries", "format=start_time,duration:stream=index,codec_type"
                  ":frame=stream_index,media_type,key_frame,pict_type,pts_time,"
                  "best_effort_timestamp_time", path], timeout)
    try:
        info = json.loads(probe.stdout or "{}")
    except ValueError:
        info = {}
    if probe.returncode != 0:
        s["problems"].append("ffprobe failed (exit %s): %s" % (probe.returncode, probe.stderr.strip()[:500]))
    fmt = info.get("format", {})
    s["duration"] = _float(fmt.get("duration"))
    s["start_time"] = _float(fmt.get("start_time"))
    video = [f for f in info.get("frames", []) if f.get("media_type") == "video"]
    audio = [f for f in info.get("frames", []) if f.get("media_type") == "audio"]
    s["video_frames"], s["audio_frames"] = len(video), len(audio)

    def pts(f):
        return _float(f.get("pts_time", f.get("best_effort_timestamp_time")))

    if video:
        s["keyframe_first"] = int(video[0].get("key_frame", 0)) == 1
        s["first_pict_type"] = video[0].get("pict_type")
        s["first_pts"] = pts(video[0])
        if not s["keyframe_first"]:
            s["problems"].append("first video frame is not a keyframe (%s)" % video[0].get("pict_type"))
    else:
        s["problems"].append("no video frame")
    if audio:
        s["first_audio_pts"] = pts(audio[0])
    s["ok"] = not s["problems"]
    return s


def format_ffprobe(result):
    out = ["ffprobe/ffmpeg per segment: %s" % ("ok" if result["ok"] else "FAILED")]
    for uri, segs in result["variants"].items():
        out.append("  %-18s %s" % (uri, " ".join(
            "%s[%s%s f=%d pts=%s]" % (s["file"].replace("segment", "").replace(".ts", ""),
                                       "K" if s["keyframe_first"] else "-",
                                       "D" if s["decodes"] else "!", s["video_frames"],
                                       s["first_pts"]) for s in segs)))
        for s in segs:
            for p in s["problems"]:
                out.append("      - %s: %s" % (s["file"], p))
    for p in result["problems"]:
        out.append("  problem: %s" % p)
    return "\n".join(out)
