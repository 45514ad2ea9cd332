#!/usr/bin/env bash
# The main job: a live ABR ladder to HLS.
#
#   scripts/run-ladder.sh [INPUT_URI]
#
# Without INPUT_URI: a live 1080p30 moving test picture with noise and an AAC
# tone go through the `ladder` element, which writes 720p, 480p, 240p and a
# passthrough `source` rung as HLS into $OUT (default ./out). With INPUT_URI
# (file://, rtsp://, srt://, http://...) that source replaces the test source.
# A file with H.264 video (and AAC audio, or none) keeps its encoded video
# for the `source` rung, and its media playlists are VOD playlists of the
# whole file; any other input is decoded, and the `source` rung is left out.
#
# DURATION (seconds, default 30; 0 = until Ctrl-C) bounds the run; Ctrl-C ends
# it cleanly: EOS goes through the ladder and every playlist gets ENDLIST.
# RENDITIONS (default 720p,480p,240p,source) is the ladder string.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

"$root/scripts/install-deps.sh"
BUILD_DIR=${BUILD_DIR:-$root/build}
if [[ ! -f "$BUILD_DIR/build.ninja" ]]; then
  meson setup "$BUILD_DIR" >/dev/null
fi
meson compile -C "$BUILD_DIR" >/dev/null

export GST_PLUGIN_PATH="$BUILD_DIR/gst/elements${GST_PLUGIN_PATH:+:$GST_PLUGIN_PATH}"
OUT=${OUT:-$root/out}
DURATION=${DURATION:-30}
RENDITIONS=${RENDITIONS:-720p,480p,240p,source}
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)

codec_of() { # codec_of v|a FILE: the first stream's codec name, or nothing
  ffprobe -v error -select_streams "$1:0" -show_entries stream=codec_name \
    -of csv=p=0 "$2" 2>/dev/null | head -n 1
}

vcodec= acodec=
if [[ $# -ge 1 && $1 == file://* ]]; then
  path=$(python3 -c 'import sys, urllib.parse; print(urllib.parse.unquote(urllib.parse.urlparse(sys.argv[1]).path))' "$1")
  vcodec=$(codec_of v "$path")
  acodec=$(codec_of a "$path")
fi

if [[ $vcodec == h264 && ( -z $acodec || $acodec == aac ) ]]; then
  # A file as it is: the encoded video goes to the ladder (the `source`
  # rung is the file's own video, the others are decoded once), the AAC
  # audio too; the playlists are VOD playlists of the whole file.
  pipeline=(ladder name=l "renditions=$RENDITIONS" "hls-location=$OUT"
    hls-playlist-type=vod
    urisourcebin "uri=$1" ! parsebin name=src
    src. ! video/x-h264 ! queue ! h264parse ! l.video)
  if [[ -n $acodec ]]; then
    pipeline+=(src. ! audio/mpeg ! queue ! aacparse ! l.audio)
  fi
elif [[ $# -ge 1 ]]; then
  RENDITIONS=${RENDITIONS//,source/}
  # The whole pipeline, as gst-launch-1.0 sees it:
  pipeline=(ladder name=l "renditions=$RENDITIONS" "hls-location=$OUT"
    uridecodebin "uri=$1" name=src
    src. ! queue ! videoconvert ! l.video
    src. ! queue ! audioconvert ! audioresample ! avenc_aac ! aacparse ! l.audio)
else
  # A moving picture (scrolling colour bars) with a patch of noise, encoded
  # the way a live encoder would hand it over: H.264 with a GOP equal to the
  # ladder's 2 s keyframe interval, so the `source` rung aligns with the
  # others. The noise is a 480x270 patch: full-frame noise costs a core.
  pipeline=(ladder name=l "renditions=$RENDITIONS" "hls-location=$OUT"
    videotestsrc is-live=true pattern=smpte horizontal-speed=4 !
      video/x-raw,format=I420,width=1920,height=1080,framerate=30/1 !
      compositor name=mix sink_1::xpos=1380 sink_1::ypos=750 !
      video/x-raw,format=I420,width=1920,height=1080 !
      x264enc tune=zerolatency speed-preset=ultrafast key-int-max=60 bitrate=8000
        option-string=scenecut=0 ! h264parse ! l.video
    videotestsrc is-live=true pattern=snow !
      video/x-raw,format=I420,width=480,height=270,framerate=30/1 ! mix.
    audiotestsrc is-live=true wave=sine freq=440 ! audio/x-raw,rate=48000,channels=2 !
      avenc_aac bitrate=128000 ! aacparse ! l.audio)
fi

echo "gst-launch-1.0 -e -m ${pipeline[*]}"
echo

fifo=$(mktemp -u)
mkfifo "$fifo"
trap 'rm -f "$fifo"' EXIT

if [[ "$DURATION" != 0 ]]; then
  timeout --foreground -s INT "$DURATION" stdbuf -oL gst-launch-1.0 -e -m "${pipeline[@]}" >"$fifo" 2>&1 &
else
  stdbuf -oL gst-launch-1.0 -e -m "${pipeline[@]}" >"$fifo" 2>&1 &
fi
launch=$!
trap 'kill -INT $launch 2>/dev/null || true' INT

# One progress line per ladder-stats message (one per second): each rung's
# fps and bitrate, from the message's fields (see docs/messages.md).
python3 -u "$root/scripts/ladder-progress.py" <"$fifo" || true
wait $launch || status=$?
status=${status:-0}
# timeout exits 124 after it delivered SIGINT and gst-launch finished cleanly
[[ $status == 124 ]] && status=0

echo
echo "master playlist: $OUT/master.m3u8"
echo "play it with:    ffplay $OUT/master.m3u8   (or VLC, or any HLS player; serve $OUT over HTTP for browsers)"
exit "$status"
