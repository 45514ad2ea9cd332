#!/usr/bin/env bash
# Writes the seed corpus of the fuzz target into tests/fuzz/corpus/: tiny
# H.264 (Annex B), mp4, MPEG-TS and FLV clips of 8 frames (96x64, with
# AAC audio where the container takes it), some of them truncated or
# corrupted, each behind the two header bytes that choose the pipeline
# (see fuzz_ladder.c). Run it again only to change the seeds; commit the
# result.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
out="$here/corpus"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

raw="videotestsrc num-buffers=8 pattern=ball ! video/x-raw,width=96,height=64,framerate=30/1"
x264="x264enc key-int-max=4 speed-preset=ultrafast bitrate=100"
video="$raw,format=I420 ! $x264"
audio="audiotestsrc num-buffers=12 samplesperbuffer=1024 ! audio/x-raw,rate=22050,channels=1 ! avenc_aac bitrate=16000 ! aacparse"

launch() {
  gst-launch-1.0 -q -e "$@" >/dev/null
}

cd "$tmp"
launch $video ! video/x-h264,stream-format=byte-stream ! filesink location=v.h264
launch $video bframes=2 ! video/x-h264,stream-format=byte-stream ! filesink location=vb.h264
# High 4:4:4, 10 bits: what x264enc makes when nothing asks for 4:2:0
launch $raw,format=Y444_10LE ! $x264 ! video/x-h264,stream-format=byte-stream ! filesink location=v444.h264
launch $video ! h264parse ! mp4mux faststart=true name=m ! filesink location=av.mp4 $audio ! m.
launch $video ! h264parse ! mp4mux fragment-duration=100 name=m ! filesink location=avfrag.mp4 $audio ! m.
launch $video ! h264parse ! mp4mux faststart=true ! filesink location=v.mp4
launch $video ! h264parse ! mpegtsmux name=m ! filesink location=av.ts $audio ! m.
launch $video ! h264parse ! flvmux name=m ! filesink location=av.flv $audio ! m.
launch $audio ! flvmux ! filesink location=a.flv

# seed NAME BYTE0 BYTE1 FILE [truncate-to|corrupt:FROM]
seed() {
  local name=$1 b0=$2 b1=$3 file=$4 how=${5:-}
  local dst="$out/$name"
  printf "\\x$b0\\x$b1" >"$dst"
  case "$how" in
    "") cat "$file" >>"$dst" ;;
    corrupt:*)
      # every 61st byte from FROM on inverted: the headers before FROM
      # survive, the payloads and some boxes, packets and tags do not
      python3 -c 'import sys
d = bytearray(open(sys.argv[1], "rb").read())
for i in range(int(sys.argv[2]), len(d), 61):
    d[i] ^= 0xff
sys.stdout.buffer.write(d)' "$file" "${how#corrupt:}" >>"$dst" ;;
    *) head -c "$how" "$file" >>"$dst" ;;
  esac
}

rm -rf "$out"
mkdir -p "$out"
# byte 0: input (0 h264, 1 mp4, 2 ts, 3 flv) | 0x04 HLS | ladder << 3 |
#         playlist type << 5 | 0x80 stats; byte 1: chunk / 128 | 0x40 add |
#         0x80 remove (fuzz_ladder.c)
seed h264-source 00 00 v.h264
seed h264-444-10bit-tiny-stats 88 00 v444.h264
seed h264-bframes-tiny-hls-vod 4c 02 vb.h264
seed h264-tiny-add-remove 88 c4 v.h264
seed h264-truncated-tiny-hls 0c 01 v.h264 1500
seed h264-corrupt-tiny 08 03 v.h264 corrupt:40
seed mp4-av-tiny 09 08 av.mp4
seed mp4-fragmented-240p-hls-event 3d 00 avfrag.mp4
seed mp4-video-only-x264-hls 15 00 v.mp4
seed mp4-truncated-source 01 02 av.mp4 3000
seed mp4-corrupt-tiny-hls 0d 00 av.mp4 corrupt:1700
seed ts-av-tiny 0a 01 av.ts
seed ts-av-tiny-hls-vod-add 4e 40 av.ts
seed ts-truncated-tiny-hls 0e 05 av.ts 5001
seed ts-corrupt-tiny 0a 00 av.ts corrupt:800
seed flv-av-240p-stats 9b 00 av.flv
seed flv-av-tiny-hls-remove 0f 80 av.flv
seed flv-audio-only 03 00 a.flv
seed flv-truncated-tiny 0b 03 av.flv 6000
ls -l "$out"
du -sh "$out"
