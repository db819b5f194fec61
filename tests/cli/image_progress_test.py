#!/usr/bin/python3
"""The progress line of a single image: on a terminal only, after a second, never with -q.

Usage: image_progress_test.py CASE PBLUR_WITH_FAULT_HOOK SOURCE_DIR
CASE: terminal | pipe | quiet

The run lasts over a second whatever the machine: a worker hangs on strip 3 and is killed by
--strip-timeout 1.5, and the strip is redone (the output is still the exact bytes).
"""

import os
import pty
import re
import subprocess
import sys
import tempfile
from pathlib import Path

LINE = re.compile(rb"\r\x1b\[Kpblur: (\d+)/480 rows \((\d+)%\), \d+\.\d MB/s, \d+:\d\d left")


def command(pblur, source, output, *extra):
    return [pblur, str(source / "sample_images" / "fruits.jpg"), str(output), "--procs", "2",
            "--strip-timeout", "1.5", *extra]


def environment():
    env = dict(os.environ)
    env["PBLUR_WORKER_FAULT"] = "stage=running_task,action=hang,task=3"
    return env


def run_on_terminal(argv):
    """Runs argv with stdin, stdout and stderr on a new pseudo-terminal: (exit code, bytes)."""
    pid, fd = pty.fork()
    if pid == 0:
        os.execve(argv[0], argv, environment())
    output = b""
    while True:
        try:
            chunk = os.read(fd, 4096)
        except OSError:  # EIO: the child closed the terminal
            break
        if not chunk:
            break
        output += chunk
    os.close(fd)
    _, status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(status), output


def expect(condition, message):
    if not condition:
        print(f"FAIL: {message}", file=sys.stderr)
        sys.exit(1)


def expect_exact_output(pblur, source, output, work):
    reference = work / "reference.png"
    subprocess.run([pblur, str(source / "sample_images" / "fruits.jpg"), str(reference), "--seq"],
                   check=True)
    expect(output.read_bytes() == reference.read_bytes(), "the output differs from --seq's")


def main():
    case, pblur, source = sys.argv[1], sys.argv[2], Path(sys.argv[3])
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        output = work / "out.png"
        if case == "terminal":
            code, text = run_on_terminal(command(pblur, source, output))
            expect(code == 0, f"exit code {code}")
            lines = LINE.findall(text)
            expect(lines, f"no progress line on the terminal: {text!r}")
            expect(text.endswith(b"\r\x1b[K"), f"the line is not erased at the end: {text!r}")
            expect(LINE.sub(b"", text) == b"\r\x1b[K", f"more than progress lines: {text!r}")
            rows = [int(done) for done, _ in lines]
            expect(rows == sorted(rows) and rows[0] >= 128, f"rows done out of order: {rows}")
        elif case == "quiet":
            code, text = run_on_terminal(command(pblur, source, output, "-q"))
            expect(code == 0, f"exit code {code}")
            expect(text == b"", f"-q printed {text!r}")
        elif case == "pipe":
            done = subprocess.run(command(pblur, source, output), env=environment(),
                                  stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                  stderr=subprocess.PIPE, check=False)
            expect(done.returncode == 0, f"exit code {done.returncode}")
            expect(done.stdout == b"" and done.stderr == b"",
                   f"a pipe got {done.stdout!r} {done.stderr!r}")
        else:
            print(f"unknown case {case}", file=sys.stderr)
            return 2
        expect_exact_output(pblur, source, output, work)
    return 0


if __name__ == "__main__":
    sys.exit(main())
