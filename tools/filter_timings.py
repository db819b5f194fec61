#!/usr/bin/python3
"""Per-filter timings of pblur against cv::filter2D and Pillow. Run from the repository root.

Usage:
  filter_timings.py kernels IMAGE [--repeat N] [FILTER...]
      one core, in memory: each filter alone in pblur (build/tools/filter_speed), cv::filter2D of
      the same kernel size, and the Pillow ImageFilter for pil-* filters; medians of N runs
  filter_timings.py table IMAGE [--repeat N] [--procs P] [FILTER...]
      whole runs: `pblur IMAGE OUT --filter F --procs P` (load, filter, save) and, for pil-*
      filters, the same run in Pillow (open, filter, save) in one Python process; medians of N

FILTER is written as pblur's --filter takes it; without any, each mode has its own list.
Prints a Markdown table. Exit status: 0 success, 1 a run failed, 2 usage.
"""

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pil_filter_reference import pillow_filter  # noqa: E402

KERNEL_FILTERS = [
    "pil-blur", "pil-contour", "pil-detail", "pil-edge-enhance", "pil-edge-enhance-more",
    "pil-emboss", "pil-find-edges", "pil-sharpen", "pil-smooth", "pil-smooth-more",
    "pil-kernel:kernel=1 2 1 0 0 0 -1 -2 -1,scale=1,offset=128",
    "pil-kernel:size=5,kernel=1 0 0 0 0 0 2 0 0 0 0 0 3 0 0 0 0 0 2 0 0 0 0 0 1.5,scale=7.3",
    "pil-box:radius=2", "pil-box:radius=20", "pil-gaussian:radius=2", "pil-gaussian:radius=20",
    "pil-unsharp",
]
TABLE_FILTERS = KERNEL_FILTERS[:10] + [
    "pil-kernel:size=5,kernel=1 0 0 0 0 0 2 0 0 0 0 0 3 0 0 0 0 0 2 0 0 0 0 0 1.5,scale=7.3",
    "pil-median:size=3", "pil-min:size=3", "pil-max:size=3", "pil-rank:size=3,rank=2",
    "pil-mode:size=3", "pil-gaussian:radius=2", "pil-gaussian:radius=20", "pil-box:radius=5",
    "pil-unsharp",
    "gaussian:sigma=2", "gaussian:sigma=20", "box:ksize=5", "median:ksize=5", "median:ksize=31",
    "unsharp", "bilateral", "erode", "dilate", "open", "close", "gradient", "tophat", "blackhat",
    "sobel", "scharr", "laplacian", "min:size=5", "max:size=5",
]
PILLOW_RUN = """
import sys, time
from PIL import Image
sys.path.insert(0, sys.argv[1])
from pil_filter_reference import pillow_filter
Image.open(sys.argv[2]).filter(pillow_filter(sys.argv[3])).save(sys.argv[4], quality=95)
"""


def median_seconds(repeat, run):
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def pillow_in_memory(image, text, repeat):
    from PIL import Image
    picture = Image.open(image)
    picture.load()
    chosen = pillow_filter(text)
    return median_seconds(repeat, lambda: picture.filter(chosen))


def kernels(args):
    filters = args.filters or KERNEL_FILTERS
    command = ["build/tools/filter_speed", args.image, "--repeat", str(args.repeat), *filters]
    lines = subprocess.run(command, check=True, capture_output=True, text=True).stdout.splitlines()
    print("| filter | ksize | pblur ms | cv::filter2D ms | Pillow ms | filter2D / pblur |")
    print("|---|---:|---:|---:|---:|---:|")
    for line in lines:
        name, ksize, ours, filter2d = line.split("\t")
        pillow = ""
        if name.startswith("pil-"):
            pillow = f"{pillow_in_memory(args.image, name, args.repeat) * 1000:.1f}"
        ratio = float(filter2d) / max(float(ours), 1e-9)
        print(f"| `{name}` | {ksize} | {ours} | {filter2d} | {pillow} | {ratio:.2f} |", flush=True)


def run_quietly(command):
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL)


def table(args):
    filters = args.filters or TABLE_FILTERS
    tools = os.path.dirname(os.path.abspath(__file__))
    print(f"| filter | pblur --procs {args.procs} s | Pillow s | Pillow / pblur |")
    print("|---|---:|---:|---:|")
    with tempfile.TemporaryDirectory() as work:
        out = os.path.join(work, "out" + os.path.splitext(args.image)[1])
        for text in filters:
            ours = median_seconds(args.repeat, lambda: run_quietly(
                ["build/src/pblur", args.image, out, "--filter", text, "--procs", str(args.procs)]))
            pillow, ratio = "", ""
            if text.startswith("pil-"):
                seconds = median_seconds(args.repeat, lambda: run_quietly(
                    [sys.executable, "-c", PILLOW_RUN, tools, args.image, text, out]))
                pillow, ratio = f"{seconds:.2f}", f"{seconds / ours:.1f}"
            print(f"| `{text}` | {ours:.2f} | {pillow} | {ratio} |", flush=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("mode", choices=["kernels", "table"])
    parser.add_argument("image")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--procs", type=int, default=2)
    parser.add_argument("filters", nargs="*")
    args = parser.parse_intermixed_args()
    try:
        (kernels if args.mode == "kernels" else table)(args)
    except subprocess.CalledProcessError as error:
        print(f"filter_timings.py: error: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
