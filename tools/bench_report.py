"""Reading pblur bench JSON reports, shared by plot_bench.py and compare_bench.py."""

import json
import os
import sys


def fail(message, status=1):
    """Prints "PROGRAM: error: MESSAGE" on stderr and exits with `status`."""
    print(f"{os.path.basename(sys.argv[0])}: error: {message}", file=sys.stderr)
    sys.exit(status)


def load(path):
    """The report in `path`, or a one-line error and exit 1 if it is not a pblur bench report."""
    try:
        with open(path, encoding="utf-8") as file:
            report = json.load(file)
    except (OSError, ValueError) as error:
        fail(f"cannot read '{path}': {error}")
    if not isinstance(report, dict) or "context" not in report or "benchmarks" not in report:
        fail(f"'{path}' is not a pblur bench JSON report")
    return report
