#!/bin/sh
# Replays every file of the folders given, each in a process of its own
# (an input must not inherit what an earlier one left behind), and fails
# when any input fails. Usage: replay-each.sh REPLAY-BINARY ARGS... -- DIRS
set -u
replay=$1
shift
args=""
while [ $# -gt 0 ] && [ "$1" != "--" ]; do
  args="$args $1"
  shift
done
[ $# -gt 0 ] && shift
failed=0
total=0
for dir in "$@"; do
  for f in "$dir"/*; do
    [ -f "$f" ] || continue
    case "$f" in *.md) continue ;; esac
    total=$((total + 1))
    # shellcheck disable=SC2086
    if ! "$replay" $args "$f"; then
      failed=$((failed + 1))
      echo "replay-each: FAILED $f"
    fi
  done
done
echo "replay-each: $total inputs, $failed failed"
[ "$failed" -eq 0 ]
