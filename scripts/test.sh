#!/usr/bin/env bash
# Builds gst-ladder and runs every test: unit (gst-check), integration and
# the benchmark smoke runs. Usage: scripts/test.sh [extra meson test args]
set -euo pipefail
cd "$(dirname "$0")/.."

./scripts/install-deps.sh

BUILD_DIR=${BUILD_DIR:-build}
if [[ -f "$BUILD_DIR/build.ninja" ]]; then
  meson setup --reconfigure "$BUILD_DIR" -Dtests=enabled >/dev/null
else
  meson setup "$BUILD_DIR" -Dtests=enabled >/dev/null
fi
meson compile -C "$BUILD_DIR"
meson test -C "$BUILD_DIR" --print-errorlogs --num-processes 2 "$@"
