#!/usr/bin/python3
"""pblur against the tools its users would pick instead: the streaming targets' table.

Usage (from the repository root, after building pblur and make_benchmark_image):
  tools/bench_stream.py [--runs N] [--rows ROW,...] [--huge] [--quick] [--pblur PATH]
                        [--work DIR] [--json FILE]

Rows (default: jpeg24, pil, ppm and startup; --huge adds the three huge rows):
  jpeg24     24 MP photo-like JPEG, Gaussian sigma 2, quality 75: `pblur --procs 2` and
             `pblur --threads 2` against `vips gaussblur in.jpg out.jpg[Q=75] 2`: wall, the
             peak RSS of the largest process, PSS summed over all processes
  pil        the same JPEG, `pblur --filter pil-blur --procs 2 --quality 75` against the Pillow
             strip example with 2 processes (tools/pillow_strip_blur.py)
  ppm        24 MP raw PPM, sigma 8: `--procs 2` against `--seq` and `--threads 2`
  startup    `pblur --version` wall (median of 20), and whether a JPEG run maps libgdal
             (LD_DEBUG=files, every process of the run)
  huge-jpeg  18000x16000 JPEG, sigma 2, Q75: `pblur --procs 2` against vips (huge: 1 run)
  gp-png     1-gigapixel PNG (40000x25000, gray), sigma 2, `--procs 2`: summed PSS (huge)
  gp-tiff    the same as a tiled BigTIFF (huge)
  batch      tools/bench_batch.sh: `pblur batch` against `xargs -P vips`, fifty 2 MP JPEGs

Each small row runs its commands in rounds, one after another (the order turns every round),
N rounds (default 5) after one warm-up round; in each round every command runs once timed on
its own and once under tools/peak_memory.py, which samples the PSS and RSS of every process of
its tree every 10 ms (or as often as half a core allows). The table has the medians. The huge
rows run each command once, under the meter only, which then takes at most a tenth of a core
(its wall time is a little pessimistic); --huge-runs changes the count.
Images are made once in WORK (default build/bench-stream) by make_benchmark_image (the huge
ones band by band, --stream); outputs go to WORK/out and are deleted after each run.

--quick: 3 rounds, only the jpeg24, pil, ppm and startup rows.
The table (Markdown) goes to stdout, progress to stderr. Exit status: 0 measured (a row whose
command failed says so in the table), 2 usage or a missing tool.
"""

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
TOOLS = REPO / "tools"
PYTHON = "/usr/bin/python3"  # Debian's, which has Pillow
SMALL_ROWS = ["jpeg24", "pil", "ppm", "startup"]
HUGE_ROWS = ["huge-jpeg", "gp-png", "gp-tiff"]
ALL_ROWS = SMALL_ROWS + HUGE_ROWS + ["batch"]
SOURCE_PHOTO = REPO / "sample_images" / "fruits.jpg"
HUGE_MAX_PIXELS = str(1 << 31)
VERSION_RUNS = 20
MIB = 1024.0


def log(message):
    print(f"bench_stream: {message}", file=sys.stderr, flush=True)


class Images:
    """The benchmark images, made on first use and kept in WORK."""

    def __init__(self, work, make_image):
        self.work = work
        self.make_image = make_image

    def get(self, name, *arguments):
        path = self.work / name
        if not path.exists():
            log(f"making {path} ({' '.join(arguments)})")
            partial = path.with_name("partial-" + name)
            command = [str(self.make_image), str(partial), "--source", str(SOURCE_PHOTO), *arguments]
            subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
            partial.rename(path)
        return path

    def jpeg24(self):
        return self.get("photo-6000x4000.jpg", "--width", "6000", "--height", "4000")

    def ppm24(self):
        return self.get("photo-6000x4000.ppm", "--width", "6000", "--height", "4000")

    def huge_jpeg(self):
        return self.get("photo-18000x16000.jpg", "--stream", "--width", "18000", "--height", "16000")

    def gigapixel(self, extension):
        return self.get(f"photo-40000x25000-gray.{extension}", "--stream", "--channels", "1",
                        "--width", "40000", "--height", "25000")


class Command:
    """One command line of a row; "OUT" in its arguments becomes a fresh output path."""

    def __init__(self, name, arguments, output_extension, env=None):
        self.name = name
        self.arguments = arguments
        self.output_extension = output_extension
        self.env = env
        self.walls = []
        self.meters = []
        self.failure = None

    def argv(self, output):  # "OUT[Q=75]" keeps its vips options
        return [str(output) + a[3:] if isinstance(a, str) and a.startswith("OUT") else str(a)
                for a in self.arguments]


class Runner:
    def __init__(self, work, interval_ms=10):
        self.out = work / "out"
        self.out.mkdir(parents=True, exist_ok=True)
        self.interval_ms = interval_ms

    def output_path(self, command):
        return self.out / f"out.{command.output_extension}"

    def _finish(self, command, status, stderr, output):
        if status != 0 and command.failure is None:
            command.failure = f"exit {status}: {stderr.strip().splitlines()[-1] if stderr.strip() else ''}"
        elif command.output_extension and not output.exists() and command.failure is None:
            command.failure = "no output written"
        output.unlink(missing_ok=True)

    def timed(self, command):
        output = self.output_path(command)
        output.unlink(missing_ok=True)
        start = time.perf_counter()
        done = subprocess.run(command.argv(output), env=command.env, stdout=subprocess.DEVNULL,
                              stderr=subprocess.PIPE, text=True)
        wall = time.perf_counter() - start
        self._finish(command, done.returncode, done.stderr, output)
        return wall

    def metered(self, command, busy_share):
        output = self.output_path(command)
        output.unlink(missing_ok=True)
        with tempfile.NamedTemporaryFile("r", suffix=".json") as report:
            meter = [PYTHON, str(TOOLS / "peak_memory.py"), "--interval", str(self.interval_ms),
                     "--busy-share", str(busy_share), "--output", report.name, "--"]
            done = subprocess.run(meter + command.argv(output), env=command.env,
                                  stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
            text = report.read()
        self._finish(command, done.returncode, done.stderr, output)
        return json.loads(text) if text else None


def measure(ctx, commands, rounds, separate_timing, warmup):
    """Runs every command in turn, `rounds` times, rotating the order; fills walls and meters."""
    runner = ctx.runner
    ctx.commands.extend(commands)
    if warmup:
        for command in commands:
            runner.timed(command)
    for round_index in range(rounds):
        turn = round_index % len(commands)
        for command in commands[turn:] + commands[:turn]:
            if separate_timing:
                command.walls.append(runner.timed(command))
            # Timed apart, the meter may take half a core for denser samples; else a tenth.
            meter = runner.metered(command, 0.5 if separate_timing else 0.1)
            if meter:
                command.meters.append(meter)
                if not separate_timing:
                    command.walls.append(meter["wall_s"])
            log(f"  {command.name}: {describe(command)}")


def describe(command):
    wall = f"{command.walls[-1]:.3f} s" if command.walls else "-"
    meter = command.meters[-1] if command.meters else None
    memory = (f", PSS {meter['peak_pss_kib'] / MIB:.0f} MiB, RSS {meter['peak_rss_kib'] / MIB:.0f} MiB"
              f" ({meter['peak_processes']} processes)") if meter else ""
    return wall + memory + (f", FAILED {command.failure}" if command.failure else "")


def median_wall(command):
    return statistics.median(command.walls) if command.walls and not command.failure else None


def median_memory(command, key):
    values = [m[key] / MIB for m in command.meters]
    return statistics.median(values) if values and not command.failure else None


class Table:
    def __init__(self):
        self.rows = []

    def add(self, measure_name, ours, peer, ratio, target, holds=None, unit=""):
        def show(value):
            if value is None:
                return "failed"
            if isinstance(value, str):
                return value
            return (f"{value:.0f}" if abs(value) >= 100 else f"{value:.3g}") + unit

        verdict = "" if holds is None else ("yes" if holds else "**no**")
        ratio_text = "-" if ratio is None else ratio if isinstance(ratio, str) else f"{ratio:.2f}"
        self.rows.append([measure_name, show(ours), show(peer) if peer != "-" else "-", ratio_text,
                          target, verdict])

    def add_ratio(self, measure_name, ours, peer, unit, limit, target=None):
        ratio = ours / peer if ours is not None and peer else None
        holds = ratio <= limit if ratio is not None else None
        self.add(measure_name, ours, peer, ratio if ratio is not None else "-",
                 target or f"<= {limit}", holds, unit)

    def markdown(self):
        lines = ["| measure | pblur | peer | ratio | target | holds |", "| --- | --- | --- | --- | --- | --- |"]
        lines += ["| " + " | ".join(row) + " |" for row in self.rows]
        return "\n".join(lines)


def failure_note(commands):
    return "; ".join(f"{c.name} {c.failure}" for c in commands if c.failure)


def vips_blur(input_path, extension, sigma="2"):
    return Command("vips", ["vips", "gaussblur", input_path, f"OUT[Q=75]" if extension == "jpg" else "OUT",
                            sigma], extension)


def pblur_blur(pblur, name, input_path, extension, *options):
    return Command(name, [pblur, input_path, "OUT", *options, "-q"], extension)


def row_jpeg24(ctx):
    image = ctx.images.jpeg24()
    procs = pblur_blur(ctx.pblur, "pblur --procs 2", image, "jpg", "--procs", "2", "--sigma", "2", "--quality", "75")
    threads = pblur_blur(ctx.pblur, "pblur --threads 2", image, "jpg", "--threads", "2", "--sigma", "2",
                         "--quality", "75")
    vips = vips_blur(image, "jpg")
    measure(ctx, [procs, threads, vips], ctx.runs, True, True)
    t = ctx.table
    t.add_ratio("24 MP JPEG, gaussian sigma 2, Q75, `--procs 2`: wall / `vips gaussblur`",
                median_wall(procs), median_wall(vips), " s", 0.6)
    t.add_ratio("same, `--threads 2`: wall / vips", median_wall(threads), median_wall(vips), " s", 0.6)
    t.add_ratio("same, `--procs 2`: peak RSS of the largest process / vips's (MiB)",
                median_memory(procs, "peak_rss_kib"), median_memory(vips, "peak_rss_kib"), "", 1.0)
    t.add_ratio("same, `--procs 2`: PSS summed over all processes / vips's peak PSS (MiB)",
                median_memory(procs, "peak_pss_kib"), median_memory(vips, "peak_pss_kib"), "", 1.5)
    threads_rss, vips_rss = median_memory(threads, "peak_rss_kib"), median_memory(vips, "peak_rss_kib")
    t.add("same, `--threads 2`: peak RSS / vips's (MiB)", threads_rss, vips_rss,
          threads_rss / vips_rss if threads_rss and vips_rss else "-", "-")
    return failure_note([procs, threads, vips])


def row_pil(ctx):
    image = ctx.images.jpeg24()
    procs = pblur_blur(ctx.pblur, "pblur pil-blur --procs 2", image, "jpg", "--filter", "pil-blur", "--procs", "2",
                       "--quality", "75")
    pillow = Command("Pillow strip example", [PYTHON, TOOLS / "pillow_strip_blur.py", image, "OUT", "2"], "jpg")
    measure(ctx, [procs, pillow], ctx.runs, True, True)
    ctx.table.add_ratio("24 MP JPEG, `--filter pil-blur --procs 2`: wall / the Pillow strip example (2 processes)",
                        median_wall(procs), median_wall(pillow), " s", 0.15)
    return failure_note([procs, pillow])


def row_ppm(ctx):
    image = ctx.images.ppm24()
    configs = {name: pblur_blur(ctx.pblur, f"pblur {name}", image, "ppm", *name.split(), "--sigma", "8")
               for name in ["--procs 2", "--seq", "--threads 2"]}
    measure(ctx, list(configs.values()), ctx.runs, True, True)
    procs = median_wall(configs["--procs 2"])
    ctx.table.add_ratio("raw PPM (24 MP), sigma 8: `--procs 2` / `--seq` wall", procs,
                        median_wall(configs["--seq"]), " s", 0.55)
    ctx.table.add_ratio("raw PPM, sigma 8: `--procs 2` / `--threads 2` wall", procs,
                        median_wall(configs["--threads 2"]), " s", 1.05)
    return failure_note(configs.values())


def maps_library(argv, library):
    """Whether a run of argv loads `library`, at start or by dlopen, in any of its processes.

    The dynamic loader logs every object it loads (LD_DEBUG=files) to LD_DEBUG_OUTPUT.PID; forked
    workers inherit the log."""
    with tempfile.TemporaryDirectory() as folder:
        env = dict(os.environ, LD_DEBUG="files", LD_DEBUG_OUTPUT=str(Path(folder) / "ld"))
        subprocess.run(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        return any(f"file={library}" in log_file.read_text(errors="replace")
                   for log_file in Path(folder).glob("ld.*"))


def row_startup(ctx):
    version = Command("pblur --version", [ctx.pblur, "--version"], "")
    true = Command("/bin/true", ["/bin/true"], "")
    for _ in range(VERSION_RUNS):
        for command in (version, true):
            command.walls.append(ctx.runner.timed(command))
    ctx.table.add(f"`pblur --version` wall (median of {VERSION_RUNS}; peer: starting /bin/true)",
                  ms(median_wall(version)), ms(median_wall(true)), "-", "<= 15 ms",
                  median_wall(version) <= 0.015 if median_wall(version) else None)
    image = ctx.images.jpeg24()
    output = ctx.runner.out / "gdal-check.jpg"
    loaded = maps_library([str(ctx.pblur), str(image), str(output), "--procs", "2", "-q"], "libgdal")
    output.unlink(missing_ok=True)
    ctx.table.add("a JPEG run (`--procs 2`) maps libgdal (LD_DEBUG=files)", "yes" if loaded else "no", "-", "-",
                  "no", not loaded)
    loaded = maps_library([str(ctx.pblur), "--version"], "libgdal")
    ctx.table.add("`pblur --version` maps libgdal", "yes" if loaded else "no", "-", "-", "no", not loaded)
    return failure_note([version, true])


def ms(seconds):
    return None if seconds is None else f"{seconds * 1000:.1f} ms"


def row_huge_jpeg(ctx):
    image = ctx.images.huge_jpeg()
    procs = pblur_blur(ctx.pblur, "pblur --procs 2", image, "jpg", "--procs", "2", "--sigma", "2", "--quality", "75",
                       "--max-pixels", HUGE_MAX_PIXELS)
    vips = vips_blur(image, "jpg")
    measure(ctx, [procs, vips], ctx.huge_runs, False, False)
    ctx.table.add_ratio("18000x16000 JPEG, sigma 2, Q75, `--procs 2`: wall / vips", median_wall(procs),
                        median_wall(vips), " s", 0.6)
    ctx.table.add_ratio("same: PSS summed over pblur's processes / vips's peak PSS (MiB)",
                        median_memory(procs, "peak_pss_kib"), median_memory(vips, "peak_pss_kib"), "", 1.0,
                        "<= vips's peak")
    ctx.table.add("same: peak RSS of pblur's largest process (MiB)", median_memory(procs, "peak_rss_kib"),
                  median_memory(vips, "peak_rss_kib"), "-", "-")
    return failure_note([procs, vips])


def row_gigapixel(ctx, extension, label):
    image = ctx.images.gigapixel(extension)
    procs = pblur_blur(ctx.pblur, "pblur --procs 2", image, extension, "--procs", "2", "--sigma", "2",
                       "--max-pixels", HUGE_MAX_PIXELS)
    measure(ctx, [procs], ctx.huge_runs, False, False)
    pss = median_memory(procs, "peak_pss_kib")
    ctx.table.add(f"1-gigapixel {label} (40000x25000 gray), sigma 2, `--procs 2`: summed PSS (MiB; wall "
                  f"{median_wall(procs) or 0:.1f} s)", pss, "-", "-", "<= 256 MiB",
                  pss <= 256 if pss is not None else None)
    return failure_note([procs])


def row_batch(ctx):
    env = dict(os.environ, PBLUR=str(ctx.pblur))
    done = subprocess.run([str(TOOLS / "bench_batch.sh"), str(ctx.work / "batch"), str(ctx.runs)], env=env,
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    for line in done.stdout.splitlines():
        log("  " + line)
        if line.startswith("bench_batch: median:"):
            words = line.replace(",", "").split()
            vips_rate, pblur_rate, ratio = float(words[3]), float(words[6]), float(words[-1])
            ctx.table.add("`pblur batch`, fifty 2 MP JPEGs (Q95): images/s vs `xargs -P2 vips gaussblur`",
                          pblur_rate, vips_rate, f"{ratio:.2f}x", ">= 2.9x", ratio >= 2.9)
            return ""
    ctx.table.add("`pblur batch` vs `xargs -P2 vips`", None, None, "-", ">= 2.9x", None)
    return f"bench_batch.sh failed: {done.stderr.strip()[-300:]}"


ROWS = {"jpeg24": row_jpeg24, "pil": row_pil, "ppm": row_ppm, "startup": row_startup,
        "huge-jpeg": row_huge_jpeg, "gp-png": lambda ctx: row_gigapixel(ctx, "png", "PNG"),
        "gp-tiff": lambda ctx: row_gigapixel(ctx, "tif", "tiled BigTIFF"), "batch": row_batch}


def cpu_model():
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            return line.split(":", 1)[1].strip()
    return platform.processor() or "unknown"


def load_average():
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def parse_arguments():
    parser = argparse.ArgumentParser(description="pblur against vips and Pillow: the streaming targets' table.")
    parser.add_argument("--runs", type=int, default=5, help="rounds of each small row (default 5)")
    parser.add_argument("--huge-runs", type=int, default=1, help="runs of each huge row (default 1)")
    parser.add_argument("--rows", default=None, help=f"comma-separated, of: {', '.join(ALL_ROWS)}")
    parser.add_argument("--huge", action="store_true", help="add " + ", ".join(HUGE_ROWS))
    parser.add_argument("--skip-huge", action="store_true", help="leave out " + ", ".join(HUGE_ROWS))
    parser.add_argument("--quick", action="store_true", help="3 rounds; jpeg24, pil, ppm and startup only")
    parser.add_argument("--pblur", default=str(REPO / "build/src/pblur"), help="the pblur binary")
    parser.add_argument("--make-image", default=str(REPO / "build/tools/make_benchmark_image"))
    parser.add_argument("--work", default=str(REPO / "build/bench-stream"), help="images and outputs")
    parser.add_argument("--json", help="write every run's measurements here")
    args = parser.parse_args()
    rows = args.rows.split(",") if args.rows else SMALL_ROWS + (HUGE_ROWS if args.huge else [])
    if args.quick:
        args.runs = 3
        rows = [r for r in rows if r in SMALL_ROWS]
    if args.skip_huge:
        rows = [r for r in rows if r not in HUGE_ROWS]
    unknown = [r for r in rows if r not in ROWS]
    if unknown or args.runs < 1 or args.huge_runs < 1:
        parser.error(f"unknown rows {unknown}" if unknown else "--runs and --huge-runs must be at least 1")
    args.rows = rows
    return args


class Context:
    def __init__(self, args):
        self.pblur = Path(args.pblur).resolve()
        self.work = Path(args.work).resolve()
        self.work.mkdir(parents=True, exist_ok=True)
        self.images = Images(self.work, Path(args.make_image).resolve())
        self.runner = Runner(self.work)
        self.runs = args.runs
        self.huge_runs = args.huge_runs
        self.table = Table()
        self.commands = []


def check_tools(args):
    missing = [p for p in (args.pblur, args.make_image) if not os.access(p, os.X_OK)]
    if not shutil.which("vips"):
        missing.append("vips (apt-get install libvips-tools)")
    if missing:
        print(f"bench_stream: missing: {', '.join(missing)} (build pblur and make_benchmark_image first)",
              file=sys.stderr)
        sys.exit(2)


def main():
    args = parse_arguments()
    check_tools(args)
    ctx = Context(args)
    version = subprocess.run([str(ctx.pblur), "--version"], capture_output=True, text=True).stdout.strip()
    start_load, started = load_average(), time.strftime("%Y-%m-%d %H:%M")
    notes = []
    for row in args.rows:
        log(f"row {row}")
        note = ROWS[row](ctx)
        if note:
            notes.append(f"{row}: {note}")
    print(f"{version}; {ctx.pblur}\n")
    print(ctx.table.markdown())
    print(f"\nMachine: {cpu_model()}, {os.cpu_count()} cores; load average {start_load} at start "
          f"({started}), {load_average()} at end. Rounds: {ctx.runs} (huge rows: {ctx.huge_runs}), "
          f"medians; peak memory sampled every 10 ms by tools/peak_memory.py.")
    for note in notes:
        print(f"- failed: {note}")
    if args.json:
        runs = [{"name": c.name, "command": c.arguments, "walls_s": c.walls, "meters": c.meters,
                 "failure": c.failure} for c in ctx.commands]
        Path(args.json).write_text(json.dumps({"version": version, "rows": args.rows, "table": ctx.table.rows,
                                               "runs": runs}, indent=1, default=str))


if __name__ == "__main__":
    main()
