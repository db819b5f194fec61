#!/usr/bin/env bash
# Wall time of whole pblur runs (load, filter, save) for each backend, interleaved so that a
# noisy machine slows all of them alike; prints the median of N runs of each.
# Usage: tools/time_backends.sh IMAGE [RUNS] [-- pblur options...]
#   e.g. tools/time_backends.sh big.jpg 5 -- --filter gaussian --sigma 8
set -euo pipefail
image=${1:?usage: time_backends.sh IMAGE [RUNS] [-- pblur options...]}
runs=${2:-5}
shift $(($# >= 2 ? 2 : 1))
[ "${1:-}" = "--" ] && shift
pblur=${PBLUR:-build/src/pblur}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

configs=("--seq" "--threads 2" "--procs 2" "--procs 2 --transport copy")
declare -A times
for ((run = 1; run <= runs; run++)); do
  for config in "${configs[@]}"; do
    start=$(date +%s.%N)
    # shellcheck disable=SC2086
    "$pblur" "$image" "$out/out.jpg" $config "$@"
    end=$(date +%s.%N)
    times[$config]+="$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.3f", b - a }') "
  done
done

median() { tr ' ' '\n' | grep -v '^$' | sort -g | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
printf '%-28s %10s   %s\n' "backend" "median s" "runs (s)"
for config in "${configs[@]}"; do
  printf '%-28s %10.3f   %s\n' "$config" "$(echo "${times[$config]}" | median)" "${times[$config]}"
done
