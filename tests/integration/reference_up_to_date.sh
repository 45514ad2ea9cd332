#!/usr/bin/env bash
# The committed element reference (docs/reference/) must equal what the
# built plugin says; refresh it with docs/gen-reference.sh.
set -euo pipefail
scanner=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$scanner" "$tmp"
if diff -ru "$LADDER_SOURCE_ROOT/docs/reference" "$tmp"; then
  echo "1 passed, 0 failed"
else
  echo "docs/reference/ disagrees with the plugin: run docs/gen-reference.sh"
  echo "0 passed, 1 failed"
  exit 1
fi
