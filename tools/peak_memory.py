#!/usr/bin/python3
"""Runs a command and reports the peak memory of its whole process tree.

Usage:
  peak_memory.py [--interval MS] [--busy-share F] [--output FILE] [--] COMMAND [ARGS...]

Every INTERVAL milliseconds (default 10) it finds the command's process and every descendant
and reads, for each, /proc/PID/smaps_rollup (PSS) and /proc/PID/status (VmHWM, the process's own
peak resident set). It prints one JSON line (to FILE, or to stderr) with:

  wall_s             seconds from start to the command's exit
  exit_code          the command's exit status, or 128 + the signal that ended it
  peak_pss_kib       the largest sum of PSS over the tree seen in one sample: memory that
                     processes share (shared memory, libraries) counts once in total
  peak_rss_kib       the largest single-process peak RSS (VmHWM, or the kernel's ru_maxrss of
                     the reaped tree where that is larger), and peak_rss_command its name
  peak_processes     the most processes alive in the tree at once
  samples, interval_ms, sample_cost_ms (mean CPU time one sample took), leftover_processes
                     (descendants still alive when the command exited; they are killed)

PSS is what the processes cost together; RSS counts each shared page in every process that maps
it. The meter makes itself a child subreaper, so a descendant whose parent exits stays in the
tree. A process that lives less than one interval may be missed. Reading PSS walks the page
tables, in CPU time proportional to the memory mapped (about 12 ms for 1 GiB), so the meter
waits long enough between samples to spend at most the fraction F of a core on them (default
0.1): a tree that maps gigabytes is sampled less often. Where the command's wall time does not
matter, a larger F gives more samples. The meter's own memory is not counted.
Exit status: the command's (as exit_code), 127 when it cannot be started, 2 usage.
"""

import ctypes
import json
import os
import signal
import subprocess
import sys
import time

PR_SET_CHILD_SUBREAPER = 36


def make_subreaper():
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)


def read_text(path):
    try:
        with open(path, "rb") as file:
            return file.read().decode("ascii", "replace")
    except OSError:  # the process exited between listing and reading
        return None


def parent_of(pid):
    stat = read_text(f"/proc/{pid}/stat")
    if stat is None:
        return None
    # The command name (field 2) may hold spaces and parentheses; the ppid follows the last ')'.
    return int(stat[stat.rindex(")") + 2:].split()[1])


def field_kib(text, name):
    start = text.find(name)
    if start < 0:
        return 0
    return int(text[start + len(name):].split(None, 1)[0])


class ProcessTree:
    """The meter's descendants, found from the ppid links in /proc/PID/stat.

    A pid's parent is read when the pid first shows up, and again when that parent has exited
    (the orphan then belongs to the meter, its subreaper, or to another process's subreaper)."""

    def __init__(self, root):
        self.root = root
        self.parents = {}

    def members(self):
        alive = {int(name) for name in os.listdir("/proc") if name.isdigit()}
        for pid in list(self.parents):
            if pid not in alive:
                del self.parents[pid]
        for pid in alive - self.parents.keys():
            self.parents[pid] = parent_of(pid)
        for pid, parent in self.parents.items():
            if parent not in self.parents and parent not in (self.root, 0, None):
                self.parents[pid] = parent_of(pid)
        children = {}
        for pid, parent in self.parents.items():
            children.setdefault(parent, []).append(pid)
        found, pending = [], list(children.get(self.root, []))
        while pending:
            pid = pending.pop()
            found.append(pid)
            pending.extend(children.get(pid, []))
        return found


class Peaks:
    def __init__(self):
        self.pss_kib = 0
        self.rss_kib = 0
        self.rss_command = ""
        self.processes = 0
        self.samples = 0
        self.sample_seconds = 0.0

    def sample(self, tree):
        start = time.thread_time()  # CPU time: being preempted costs the command nothing
        pss_total, counted = 0, 0
        for pid in tree.members():
            rollup = read_text(f"/proc/{pid}/smaps_rollup")
            status = read_text(f"/proc/{pid}/status")
            if not rollup or not status:  # exited, or a zombie with no memory left
                continue
            counted += 1
            pss_total += field_kib(rollup, "\nPss:")
            hwm = field_kib(status, "\nVmHWM:")
            if hwm > self.rss_kib:
                self.rss_kib = hwm
                self.rss_command = field_text(status, "Name:")
        self.pss_kib = max(self.pss_kib, pss_total)
        self.processes = max(self.processes, counted)
        self.samples += 1
        cost = time.thread_time() - start
        self.sample_seconds += cost
        return cost


def field_text(text, name):
    start = text.find(name)
    return text[start + len(name):].split("\n", 1)[0].strip() if start >= 0 else ""


def reap_leftovers(tree):
    """Kills and reaps descendants the command left behind; returns how many there were."""
    leftovers = tree.members()
    for pid in leftovers:
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    for pid in leftovers:  # those still a grandchild are reaped by their parent, or become ours
        while tree_holds(tree, pid):
            reap_zombies()
            time.sleep(0.001)
    reap_zombies()
    return len(leftovers)


def tree_holds(tree, pid):
    return pid in tree.members()


def reap_zombies():
    try:
        while os.waitpid(-1, os.WNOHANG)[0] != 0:
            pass
    except ChildProcessError:
        pass


def own_peak_rss_kib():
    return field_kib(read_text("/proc/self/status"), "\nVmHWM:")


def wait_sampling(child, tree, peaks, interval, busy_share):
    """Samples until the child exits; returns its wait status and rusage (its whole reaped tree)."""
    while True:
        cost = peaks.sample(tree)
        pid, status, usage = os.wait4(child.pid, os.WNOHANG)
        if pid == child.pid:
            child.returncode = os.waitstatus_to_exitcode(status)
            return child.returncode, usage
        time.sleep(max(interval, cost * (1 - busy_share) / busy_share))


def measure(command, interval, busy_share):
    make_subreaper()
    tree = ProcessTree(os.getpid())
    tree.members()  # reads every other process's parent now, not in the first timed sample
    peaks = Peaks()
    meter_rss = own_peak_rss_kib()
    start = time.perf_counter()
    try:
        child = subprocess.Popen(command)
    except OSError as error:
        print(f"peak_memory: cannot run {command[0]}: {error.strerror}", file=sys.stderr)
        sys.exit(127)
    status, usage = wait_sampling(child, tree, peaks, interval, busy_share)
    wall = time.perf_counter() - start
    leftover = reap_leftovers(tree)
    # The kernel's exact high-water mark of every process the tree reaped; it also holds the
    # meter's own peak (the child starts as a copy of it), so it is only news above that.
    if usage.ru_maxrss > max(meter_rss, peaks.rss_kib):
        peaks.rss_kib = usage.ru_maxrss
        peaks.rss_command = "(kernel high-water mark, after its last sample)"
    return {
        "command": command,
        "wall_s": round(wall, 6),
        "exit_code": status if status >= 0 else 128 - status,
        "peak_pss_kib": peaks.pss_kib,
        "peak_rss_kib": peaks.rss_kib,
        "peak_rss_command": peaks.rss_command,
        "peak_processes": peaks.processes,
        "samples": peaks.samples,
        "interval_ms": interval * 1000,
        "busy_share": busy_share,
        "sample_cost_ms": round(1000 * peaks.sample_seconds / max(1, peaks.samples), 3),
        "leftover_processes": leftover,
    }


NUMBER_OPTIONS = {"--interval": (0.1, 10000.0), "--busy-share": (0.01, 1.0)}


def parse_arguments(args):
    values, output = {"--interval": 10.0, "--busy-share": 0.1}, None
    while args and args[0].startswith("-"):
        option = args.pop(0)
        if option == "--":
            break
        if option in ("-h", "--help"):
            print(__doc__.strip())
            sys.exit(0)
        if option not in (*NUMBER_OPTIONS, "--output") or not args:
            usage(f"unknown option or missing value: {option}")
        value = args.pop(0)
        if option == "--output":
            output = value
            continue
        low, high = NUMBER_OPTIONS[option]
        try:
            values[option] = float(value)
        except ValueError:
            usage(f"{option} needs a number, not '{value}'")
        if not low <= values[option] <= high:
            usage(f"{option} must be between {low:g} and {high:g}")
    if not args:
        usage("missing COMMAND")
    return args, values["--interval"] / 1000, values["--busy-share"], output


def usage(message):
    print(f"peak_memory: {message} (see --help)", file=sys.stderr)
    sys.exit(2)


def main():
    command, interval, busy_share, output = parse_arguments(sys.argv[1:])
    # Ctrl-C goes to the whole foreground group: the command handles it; the meter reports.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    result = measure(command, interval, busy_share)
    line = json.dumps(result)
    if output:
        with open(output, "w", encoding="utf-8") as file:
            file.write(line + "\n")
    else:
        print(line, file=sys.stderr)
    sys.exit(result["exit_code"])


if __name__ == "__main__":
    main()
