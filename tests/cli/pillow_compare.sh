#!/usr/bin/env bash
# pblur --filter pil-blur against Debian's Pillow itself, on one input image.
# Usage: pillow_compare.sh PBLUR PIL_BLUR_REFERENCE_PY INPUT [pblur options...]
set -euo pipefail
pblur=$1 reference=$2 input=$3
shift 3
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$pblur" "$input" "$work/out.png" --filter pil-blur "$@"
/usr/bin/python3 "$reference" compare "$input" "$work/out.png"
