#!/usr/bin/env bash
# Throughput of `pblur batch` against `xargs -P vips gaussblur` on a folder of fifty 2 MP JPEGs.
#
# Usage: tools/bench_batch.sh [WORK_DIR] [RUNS]    (from the repository root, after building)
#
# Makes the images once (photo-like, 1732 x 1155, from the sample photos), then times both
# commands alternately RUNS times (default 5), each writing into an empty folder, and prints
# every run, the medians in images per second and their ratio. Both blur with a Gaussian of
# sigma 2 and write JPEG at quality 95 (vips writes Q75 unless told), with one worker per CPU.
set -euo pipefail

work=${1:-/tmp/pblur-bench-batch}
runs=${2:-5}
repo=$(cd "$(dirname "$0")/.." && pwd)
pblur=${PBLUR:-$repo/build/src/pblur}  # PBLUR: another build
make_image=$repo/build/tools/make_benchmark_image
count=50
cpus=$(nproc)

command -v vips >/dev/null || { echo "bench_batch: vips not found (apt-get install libvips-tools)" >&2; exit 2; }
[ -x "$pblur" ] && [ -x "$make_image" ] || { echo "bench_batch: build pblur first" >&2; exit 2; }

mkdir -p "$work/in"
sources=(fruits building butterfly home orange)
for i in $(seq 1 $count); do
  image=$(printf '%s/in/photo%02d.jpg' "$work" "$i")
  [ -s "$image" ] && continue
  "$make_image" "$image" --width 1732 --height 1155 --seed "$i" \
    --source "$repo/sample_images/${sources[$((i % 5))]}.jpg" >/dev/null
done

now() { date +%s.%N; }
rate() { echo "$count / ($2 - $1)" | bc -l; }
median() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

run_vips() {
  (cd "$work/in" && rm -rf out && mkdir out &&
    start=$(now) &&
    ls *.jpg | xargs -P"$cpus" -I{} vips gaussblur {} out/{}[Q=95] 2 &&
    rate "$start" "$(now)")
}

run_pblur() {
  (cd "$work" && rm -rf out && mkdir out &&
    start=$(now) &&
    "$pblur" batch in out --filter gaussian --sigma 2 --quality 95 --overwrite -q &&
    rate "$start" "$(now)")
}

echo "bench_batch: $count JPEGs of 1732 x 1155 in $work/in, $cpus CPUs, $runs runs each, alternating"
echo "bench_batch:   vips:  ls *.jpg | xargs -P$cpus -I{} vips gaussblur {} out/{}[Q=95] 2"
echo "bench_batch:   pblur: pblur batch in out --filter gaussian --sigma 2 --quality 95 --overwrite"
vips_rates=() pblur_rates=()
for run in $(seq 1 "$runs"); do
  vips_rates+=("$(run_vips)")
  pblur_rates+=("$(run_pblur)")
  printf 'bench_batch: run %d: vips %6.1f images/s, pblur %6.1f images/s\n' \
    "$run" "${vips_rates[-1]}" "${pblur_rates[-1]}"
done
vips_median=$(median "${vips_rates[@]}")
pblur_median=$(median "${pblur_rates[@]}")
printf 'bench_batch: median: vips %.1f images/s, pblur %.1f images/s, ratio %.2f\n' \
  "$vips_median" "$pblur_median" "$(echo "$pblur_median / $vips_median" | bc -l)"
