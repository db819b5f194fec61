#!/usr/bin/python3
"""Compares two `pblur bench --json` reports, say before and after a change.

Usage:
  compare_bench.py BEFORE.json AFTER.json

For every configuration in either report (backend and worker count; the sequential reference
by the worker count it was measured with), prints the median whole-job and filter-phase times
of both and the change in percent: negative is faster. A configuration in one report only, or
with an error in either, is listed as such. Differences in what was measured (image, filter,
CPU, versions) are listed first, since they make the comparison unfair. For two `pblur bench
--batch` reports, the second pair of columns is images per second (there, positive is faster).

Exit status: 0 compared, 1 a report cannot be read, 2 usage.
"""

import sys

from bench_report import fail, load

SAME_CONTEXT = ["cpu_model", "cores_online", "num_cpus", "filter", "image", "folder", "pblur_version",
                "opencv_version", "onetbb_version", "library_build_type"]


def medians(report):
    """{run_name: median aggregate entry, or the error entry}, in the report's order."""
    table = {}
    for entry in report["benchmarks"]:
        if entry.get("error_occurred"):
            table[entry["run_name"]] = entry
        elif entry.get("run_type") == "aggregate" and entry.get("aggregate_name") == "median":
            table[entry["run_name"]] = entry
    return table


def change(before, after):
    if before <= 0:
        return "       -"
    return f"{(after - before) / before * 100:+7.1f}%"


def describe_context(key, value):
    if key == "image":
        return f"{value.get('width')}x{value.get('height')}, {value.get('channels')} channels, " \
               f"{value.get('depth_bits')}-bit"
    return str(value)


def context_differences(before, after):
    lines = []
    for key in SAME_CONTEXT:
        a, b = before.get(key), after.get(key)
        if a != b:
            lines.append(f"  {key}: {describe_context(key, a)} -> {describe_context(key, b)}")
    return lines


def second_metric(entry):
    """The filter phase of a single-image report; images per second of a batch report."""
    return "filter_time" if "filter_time" in entry else "items_per_second"


def row(name, a, b):
    if a is None or b is None:
        return f"{name:<24} only in {'the second' if a is None else 'the first'} report"
    if a.get("error_occurred") or b.get("error_occurred"):
        which = a if a.get("error_occurred") else b
        return f"{name:<24} error: {which.get('error_message', '')}"
    key = second_metric(a)
    return (f"{name:<24}{a['real_time']:10.2f}{b['real_time']:10.2f} {change(a['real_time'], b['real_time'])}"
            f"{a[key]:10.2f}{b[key]:10.2f} {change(a[key], b[key])}")


def main(argv):
    if len(argv) != 3 or argv[1] in ("-h", "--help"):
        print(__doc__.strip().splitlines()[2], file=sys.stderr)
        return 2
    before, after = load(argv[1]), load(argv[2])
    differences = context_differences(before["context"], after["context"])
    if differences:
        print("The reports measured different things:")
        print("\n".join(differences))
        print()
    a, b = medians(before), medians(after)
    names = list(a) + [name for name in b if name not in a]
    batch = "folder" in before["context"]
    print(f"{'':<24}{'whole batch (ms)' if batch else 'whole job (ms)':^29}"
          f"{'images per second' if batch else 'filter phase (ms)':^29}")
    print(f"{'configuration':<24}{'before':>10}{'after':>10}{'change':>9}"
          f"{'before':>10}{'after':>10}{'change':>9}")
    for name in names:
        print(row(name, a.get(name), b.get(name)))
    print("\nMedians of the timed runs; change: negative is faster" +
          (", but for images per second." if batch else "."))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
