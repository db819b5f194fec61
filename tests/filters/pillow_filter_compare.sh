#!/usr/bin/env bash
# pblur's pil-* filter (or chain "A|B|...") against Debian's Pillow itself, on one input image.
# Usage: pillow_filter_compare.sh PBLUR PIL_FILTER_REFERENCE_PY INPUT FILTER [pblur options...]
set -euo pipefail
pblur=$1 reference=$2 input=$3 chain=$4
shift 4
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
filters=()
IFS='|' read -ra parts <<< "$chain"
for part in "${parts[@]}"; do filters+=(--filter "$part"); done
"$pblur" "$input" "$work/out.png" "${filters[@]}" "$@"
/usr/bin/python3 "$reference" compare "$chain" "$input" "$work/out.png"
