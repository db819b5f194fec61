#!/usr/bin/python3
"""Draws a `pblur bench --json` report: time and speedup against workers, per backend.

Usage:
  plot_bench.py REPORT.json OUTPUT.png|OUTPUT.svg

Left: the median time of each backend (on an image the whole in-memory job, with --batch the
whole folder; bars from the fastest to the slowest timed run), the sequential reference
measured alongside each worker count, and the ideal: the sequential time divided by the
workers, as far as there are CPUs for them. Middle: the speedup over the sequential reference,
with the same ideal. Right, on an image that streamed: the median wall time of each backend
streamed file to file, each point labelled with its overlap (decode, filter and encode busy
time over wall time). A dotted line marks the CPUs pblur could use.

`pblur bench --plot FILE` runs this script with /usr/bin/python3; it needs Debian's
python3-matplotlib (tools/setup.sh installs it). The chart appears whole or not at all.

Exit status: 0 drawn, 1 bad report, unwritable output or matplotlib missing, 2 usage.
"""

import os
import sys
import tempfile

from bench_report import fail, load

BACKENDS = [  # name in the report, label, colour, marker
    ("threads", "oneTBB threads", "#1f77b4", "o"),
    ("procs-shared", "processes, shared memory", "#d62728", "s"),
    ("procs-copy", "processes, pixels through the queue", "#ff7f0e", "^"),
]
FOLDER_BACKENDS = [  # `pblur bench --batch`: backend and split
    ("threads-images", "oneTBB threads, whole images", "#1f77b4", "o"),
    ("threads-strips", "oneTBB threads, strips", "#17becf", "v"),
    ("procs-images", "processes, whole images", "#d62728", "s"),
    ("procs-strips", "processes, strips", "#ff7f0e", "^"),
]
FORMATS = {".png": "png", ".svg": "svg"}


def aggregates(report, pipeline="memory"):
    """{(backend, workers): {"median": entry, "min": entry, "max": entry}} of configurations
    that ran without error in `pipeline` ("memory" or "streamed"; a folder's have none); the
    backend of a folder's is named with its split; the sequential reference is keyed by its
    group's worker count."""
    table = {}
    for entry in report["benchmarks"]:
        if entry.get("run_type") != "aggregate" or entry.get("error_occurred"):
            continue
        if entry.get("pipeline", "memory") != pipeline:
            continue
        backend = entry["backend"]
        if "split" in entry and backend != "seq":
            backend += "-" + entry["split"]
        workers = entry["group_workers"] if backend == "seq" else entry["workers"]
        table.setdefault((backend, workers), {})[entry["aggregate_name"]] = entry
    return table


def series(table, backend):
    points = sorted((workers, values) for (name, workers), values in table.items() if name == backend)
    workers = [w for w, _ in points]
    median = [v["median"]["real_time"] for _, v in points]
    low = [v["median"]["real_time"] - v["min"]["real_time"] for _, v in points]
    high = [v["max"]["real_time"] - v["median"]["real_time"] for _, v in points]
    speedup = [v["median"].get("speedup", 0) for _, v in points]
    return workers, median, (low, high), speedup


def overlaps(table, backend):
    return [v["median"].get("overlap", 0) for (name, _), v in sorted(table.items()) if name == backend]


def ideal(workers, cpus):
    """The best speedup `workers` can give on `cpus` CPUs (0: unknown, no cap)."""
    return min(workers, cpus) if cpus > 0 else workers


def ideal_words(cpus):
    return f"min(workers, {cpus} CPUs)" if cpus > 0 else "workers"


def subject(context):
    folder = context.get("folder")
    image = folder["first_image"] if folder else context["image"]
    channels = {1: "gray", 3: "BGR", 4: "BGRA"}.get(image["channels"], f"{image['channels']}ch")
    size = f"{image['width']}x{image['height']} {channels} {image['depth_bits']}-bit"
    if folder:
        return f"a folder of {folder['images']} images, the first {size}"
    return size


def title(context):
    pools = "each run forks its pool" if "folder" in context else "worker pools already forked"
    return (
        f"pblur bench: {context['filter']} on {subject(context)}\n"
        f"{context['cpu_model']}, {context['cores_online']} cores online; "
        f"pblur {context['pblur_version']}, OpenCV {context['opencv_version']}, "
        f"oneTBB {context['onetbb_version']}\n{context['repetitions']} timed runs per point after "
        f"a cold run and {context['warmup']} warm-up; {pools}"
        + (f"\nwarning: {context['load_note']}" if context.get("load_note") else "")
    )


def import_pyplot():
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        fail("matplotlib is missing (Debian package python3-matplotlib; tools/setup.sh installs it)")
    return plt


def draw_times(times, speedups, table, backends, all_workers, cpus):
    seq_workers, seq_median, _, _ = series(table, "seq")
    if seq_workers:
        times.plot(seq_workers, seq_median, color="0.45", marker="D", linestyle="-", label="sequential (--seq)")
        reference = sorted(seq_median)[len(seq_median) // 2]
        times.plot(all_workers, [reference / ideal(w, cpus) for w in all_workers], color="0.3",
                   linestyle="--", linewidth=1, label=f"ideal: sequential / {ideal_words(cpus)}")
    for name, label, colour, marker in backends:
        workers, median, bars, speedup = series(table, name)
        if not workers:
            continue
        times.errorbar(workers, median, yerr=bars, color=colour, marker=marker, capsize=3, label=label)
        speedups.plot(workers, speedup, color=colour, marker=marker, label=label)
    speedups.plot(all_workers, [ideal(w, cpus) for w in all_workers], color="0.3", linestyle="--",
                  linewidth=1, label=f"ideal: speedup = {ideal_words(cpus)}")
    speedups.axhline(1.0, color="0.6", linewidth=0.8)


def draw_streamed(axes, table):
    """Median wall time streamed file to file, each point labelled with its overlap."""
    for name, label, colour, marker in [("seq", "sequential (--seq)", "0.45", "D")] + BACKENDS:
        workers, median, bars, _ = series(table, name)
        if not workers:
            continue
        axes.errorbar(workers, median, yerr=bars, color=colour, marker=marker, capsize=3, label=label)
        for w, m, overlap in zip(workers, median, overlaps(table, name)):
            axes.annotate(f"{overlap:.1f}x", (w, m), xytext=(4, 4), textcoords="offset points",
                          fontsize=7, color=colour)
    axes.set_ylabel("streamed file to file, ms (median wall; labels: overlap)")
    axes.set_title("streamed")


def style_axes(axes, all_workers, cpus):
    from matplotlib.ticker import FixedLocator, NullLocator, ScalarFormatter

    axes.set_xscale("log", base=2)
    axes.xaxis.set_major_locator(FixedLocator(all_workers))
    axes.xaxis.set_minor_locator(NullLocator())
    axes.xaxis.set_major_formatter(ScalarFormatter())
    axes.set_xlabel("workers (processes or threads)")
    axes.grid(True, which="major", alpha=0.3)
    axes.set_ylim(bottom=0)
    axes.legend(fontsize=8)
    if cpus and all_workers[0] <= cpus <= all_workers[-1]:
        axes.axvline(cpus, color="0.5", linestyle=":", linewidth=1)
        axes.annotate(f"{cpus} usable CPUs", (cpus, 0), xycoords=("data", "axes fraction"),
                      xytext=(3, 4), textcoords="offset points", fontsize=8, color="0.4")


def draw(report, output):
    plt = import_pyplot()
    context = report["context"]
    cpus = context.get("num_cpus", 0)
    folder = "folder" in context
    table = aggregates(report)
    streamed = aggregates(report, "streamed")
    all_workers = sorted({w for (_, w) in table} | {w for (_, w) in streamed})
    if not all_workers:
        fail("the report has no configuration that ran without error")
    panels = 3 if streamed else 2
    figure, axes = plt.subplots(1, panels, figsize=(6 * panels, 5.2), constrained_layout=True)
    times, speedups = axes[0], axes[1]
    draw_times(times, speedups, table, FOLDER_BACKENDS if folder else BACKENDS, all_workers, cpus)
    what = "the whole folder" if folder else "whole in-memory job"
    times.set_ylabel(f"{what}, ms (median; bars: min to max)")
    times.set_title("time")
    speedups.set_ylabel("speedup over --seq (median time)")
    speedups.set_title("speedup")
    if streamed:
        draw_streamed(axes[2], streamed)
    for panel in axes:
        style_axes(panel, all_workers, cpus)
    figure.suptitle(title(context), fontsize=10)
    save(figure, output)


def save(figure, output):
    extension = os.path.splitext(output)[1].lower()
    folder = os.path.dirname(os.path.abspath(output))
    try:
        descriptor, temporary = tempfile.mkstemp(prefix=".plot_bench-", suffix=extension, dir=folder)
        with os.fdopen(descriptor, "wb") as file:
            figure.savefig(file, format=FORMATS[extension], dpi=110)
        os.chmod(temporary, 0o644)
        os.replace(temporary, output)
    except OSError as error:
        if "temporary" in locals() and os.path.exists(temporary):
            os.unlink(temporary)
        fail(f"cannot write '{output}': {error.strerror or error}")


def main(argv):
    if len(argv) != 3 or argv[1] in ("-h", "--help"):
        print(__doc__.strip().splitlines()[2], file=sys.stderr)
        return 2
    report_path, output = argv[1], argv[2]
    if os.path.splitext(output)[1].lower() not in FORMATS:
        fail(f"'{output}': give a file name ending in .png or .svg", 2)
    try:
        draw(load(report_path), output)
    except (KeyError, TypeError, IndexError) as error:
        fail(f"'{report_path}' is not a pblur bench JSON report (at {error})")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
