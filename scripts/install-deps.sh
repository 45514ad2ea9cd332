#!/usr/bin/env bash
# Installs every Debian package gst-ladder needs to build, test, benchmark and
# run. Idempotent: when everything is present it only checks and returns.
set -euo pipefail

PACKAGES=(
  build-essential pkg-config meson ninja-build
  libglib2.0-dev
  libgstreamer1.0-dev
  libgstreamer-plugins-base1.0-dev
  libgstreamer-plugins-bad1.0-dev
  gstreamer1.0-tools
  gstreamer1.0-plugins-base
  gstreamer1.0-plugins-good
  gstreamer1.0-plugins-bad
  gstreamer1.0-plugins-ugly
  gstreamer1.0-libav
  ffmpeg
  valgrind
  time
  # the libFuzzer target (tests/fuzz): clang, and the fuzzer runtime
  # (libclang_rt.fuzzer-x86_64.a), which clang only recommends
  clang
  libclang-rt-14-dev
  indent
  python3-gi
  gir1.2-gstreamer-1.0
  gir1.2-gst-plugins-base-1.0
  chromium
)
# node and npm for the player tests (tests/players): Debian's, unless some
# node or npm is already on PATH.
command -v node >/dev/null 2>&1 || PACKAGES+=(nodejs)
command -v npm >/dev/null 2>&1 || PACKAGES+=(npm)

missing=()
for p in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$p")
  fi
done

if ((${#missing[@]} > 0)); then
  echo "install-deps: installing ${missing[*]}" >&2
  SUDO=
  if [[ $(id -u) -ne 0 ]]; then
    SUDO=sudo
  fi
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq </dev/null
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" </dev/null >/dev/null
fi

# The pinned npm packages of the player tests (hls.js, playwright-core),
# exactly as tests/players/package-lock.json says. npm writes
# node_modules/.package-lock.json last, so it marks a complete install: run
# npm ci when it is missing or older than package-lock.json.
players="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/tests/players"
if [[ ! "$players/node_modules/.package-lock.json" -nt "$players/package-lock.json" ]]; then
  echo "install-deps: npm ci in tests/players" >&2
  if ! (cd "$players" && CI=true npm ci --no-audit --no-fund --loglevel=error \
      --no-update-notifier </dev/null >/dev/null); then
    rm -rf "$players/node_modules"
    echo "install-deps: npm ci failed in $players" >&2
    exit 1
  fi
  touch "$players/node_modules/.package-lock.json"
fi
