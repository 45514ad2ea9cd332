#!/usr/bin/env bash
# Regenerates docs/reference/ from the built plugin.
# Usage: docs/gen-reference.sh [BUILD_DIR]   (default: build)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$root/build}
mkdir -p "$root/docs/reference"
GST_PLUGIN_PATH_1_0="$build/gst/elements" GST_REGISTRY_1_0="$build/docs/registry.bin" \
  "$build/docs/ladder-doc-scanner" "$root/docs/reference"
echo "docs/reference/ regenerated from $build"
