#!/usr/bin/env bash
# Processes or threads, on this machine, in one command: builds pblur, makes the 24-megapixel
# benchmark photo (once) and runs `pblur bench` on it with a Gaussian blur of sigma 8. The table
# goes to stdout, the chart to build/bench.png, every run to build/bench.json.
#
# Usage: tools/bench.sh [more pblur bench options, e.g. --workers 1,2,4 --repeat 9]
# Needs the packages tools/setup.sh installs; takes about a minute or two on 2 cores.
set -euo pipefail
cd "$(dirname "$0")/.."
cmake --preset default > /dev/null
cmake --build --preset default > /dev/null
image=build/bench24.jpg
if [ ! -f "$image" ]; then
  build/tools/make_benchmark_image "$image" --source sample_images/fruits.jpg > /dev/null
fi
build/src/pblur bench "$image" --filter gaussian --sigma 8 \
  --json build/bench.json --plot build/bench.png "$@"
echo "chart: build/bench.png, every run: build/bench.json"
