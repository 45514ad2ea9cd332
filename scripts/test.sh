#!/usr/bin/env bash
# Builds gst-ladder and runs every test: unit (gst-check), integration and
# the benchmark smoke runs, in the plain (optimised) build; then the unit
# tests and the fuzz regressions again in an unoptimised build under
# AddressSanitizer, LeakSanitizer and UndefinedBehaviorSanitizer.
# Usage: scripts/test.sh [extra meson test args, for the plain build]
# SANITIZE=0 skips the sanitizer build.
set -euo pipefail
cd "$(dirname "$0")/.."

./scripts/install-deps.sh

# setup_build DIR [meson options...]: configures DIR, or reconfigures it
setup_build() {
  local dir=$1
  shift
  if [[ -f "$dir/build.ninja" ]]; then
    meson setup --reconfigure "$dir" "$@" >/dev/null
  else
    meson setup "$dir" "$@" >/dev/null
  fi
}

BUILD_DIR=${BUILD_DIR:-build}
setup_build "$BUILD_DIR" -Dtests=enabled
meson compile -C "$BUILD_DIR"
meson test -C "$BUILD_DIR" --print-errorlogs --num-processes 2 "$@"

if [[ "${SANITIZE:-1}" != 0 ]]; then
  # The broadcaster, rungs, runner, HLS writer and ladder bin are covered
  # by the unit tests; the fuzz regressions feed corrupt input through the
  # whole ladder. The integration tests drive pipelines from Python, which
  # is not instrumented: they run in the plain build only.
  ASAN_DIR=${ASAN_BUILD_DIR:-build-asan}
  setup_build "$ASAN_DIR" -Dtests=enabled -Db_sanitize=address,undefined \
    -Dbuildtype=debug
  meson compile -C "$ASAN_DIR"
  suites=(--suite check)
  if meson test -C "$ASAN_DIR" --list 2>/dev/null | grep -q '^gst-ladder:fuzz'; then
    suites+=(--suite fuzz)
  fi
  meson test -C "$ASAN_DIR" --print-errorlogs --num-processes 2 "${suites[@]}"
fi
