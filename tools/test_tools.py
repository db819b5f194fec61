#!/usr/bin/python3
"""Checks the measuring tools: make_benchmark_image (both paths) and peak_memory.py.

Usage: test_tools.py MAKE_BENCHMARK_IMAGE    (ctest runs it as tools.measuring_tools)
"""

import hashlib
import json
import subprocess
import sys
import tempfile
import unittest
from pathlib import Path

import numpy
from PIL import Image

TOOLS = Path(__file__).resolve().parent
SOURCE = TOOLS.parent / "sample_images" / "fruits.jpg"
MAKE_IMAGE = None

# The whole-image path's bytes, made by make_benchmark_image before --stream existed: the same
# arguments must keep giving them (with Debian 12's OpenCV 4.6).
PINNED = {
    ("--width", "64", "--height", "48", "--seed", "7"): ("png", "08f0516005b1faa0e0fef4c4290bf6a461bcfa5b94906d44cf8daae5da308cce"),
    ("--width", "64", "--height", "48", "--seed", "7", "--source", str(SOURCE)):
        ("jpg", "6faff096c23029f7cf8093a34a4dd1e8c3ade8b180a626eb0d1660c9bab219cf"),
}


def make(path, *arguments):
    return subprocess.run([MAKE_IMAGE, str(path), *arguments], capture_output=True, text=True)


def pixels(path):
    with Image.open(path) as image:
        return numpy.asarray(image)


class MakeBenchmarkImage(unittest.TestCase):
    def setUp(self):
        self.folder = tempfile.TemporaryDirectory()
        self.dir = Path(self.folder.name)

    def tearDown(self):
        self.folder.cleanup()

    def test_whole_image_path_keeps_its_bytes(self):
        for arguments, (extension, digest) in PINNED.items():
            path = self.dir / f"pinned.{extension}"
            self.assertEqual(make(path, *arguments).returncode, 0)
            self.assertEqual(hashlib.sha256(path.read_bytes()).hexdigest(), digest)

    def test_streamed_pixels_do_not_depend_on_format_or_band_height(self):
        for channels, raw in (("3", "ppm"), ("1", "pgm")):
            common = ("--stream", "--channels", channels, "--width", "203", "--height", "150", "--seed", "5",
                      "--source", str(SOURCE))
            reference = self.dir / f"ref.{raw}"
            self.assertEqual(make(reference, *common).returncode, 0)
            expected = pixels(reference)
            self.assertEqual(expected.shape[:2], (150, 203))
            for name, extra in ((f"a{channels}.png", ()), (f"b{channels}.tif", ("--tile", "16")),
                                (f"c{channels}.tif", ("--tile", "256"))):
                self.assertEqual(make(self.dir / name, *common, *extra).returncode, 0)
                self.assertTrue(numpy.array_equal(pixels(self.dir / name), expected), name)

    def test_streamed_tiff_is_tiled_bigtiff(self):
        path = self.dir / "tiled.tif"
        self.assertEqual(make(path, "--stream", "--width", "40", "--height", "30", "--tile", "16").returncode, 0)
        self.assertEqual(path.read_bytes()[:4], b"II+\x00")
        with Image.open(path) as image:
            self.assertEqual(image.tile[0][0], "raw")

    def test_streamed_seed_changes_the_image(self):
        one, two = self.dir / "one.ppm", self.dir / "two.ppm"
        make(one, "--stream", "--width", "50", "--height", "40", "--seed", "1")
        make(two, "--stream", "--width", "50", "--height", "40", "--seed", "2")
        self.assertFalse(numpy.array_equal(pixels(one), pixels(two)))

    def test_bad_requests_are_refused_with_nothing_written(self):
        cases = [(("--stream",), "x.bmp", "--stream writes .jpg"),
                 (("--channels", "1"), "x.png", "--channels and --tile need --stream"),
                 (("--width", "40000"), "x.png", "(--stream makes larger images)"),
                 (("--stream", "--width", "70000", "--height", "1"), "x.jpg", "at most 65500 pixels a side"),
                 (("--stream", "--tile", "20"), "x.tif", "--tile must be a multiple of 16")]
        for arguments, name, message in cases:
            done = make(self.dir / name, *arguments)
            self.assertEqual(done.returncode, 2, name)
            self.assertIn(message, done.stderr)
            self.assertFalse((self.dir / name).exists())

    def test_write_failure_removes_the_output(self):
        path = self.dir / "full.png"
        path.symlink_to("/dev/full")
        done = make(path, "--stream", "--width", "2000", "--height", "2000")
        self.assertEqual(done.returncode, 1)
        self.assertIn("libpng: Write Error", done.stderr)
        self.assertFalse(path.is_symlink())


def meter(*command):
    with tempfile.NamedTemporaryFile("r", suffix=".json") as report:
        done = subprocess.run([sys.executable, str(TOOLS / "peak_memory.py"), "--output", report.name, "--", *command])
        return done.returncode, json.loads(report.read())


class PeakMemory(unittest.TestCase):
    def test_counts_a_forked_child_and_passes_the_exit_code(self):
        script = ("import os, time\n"
                  "pid = os.fork()\n"
                  "if pid == 0:\n"
                  "    block = bytearray(96 << 20)\n"
                  "    for i in range(0, len(block), 4096): block[i] = 1\n"
                  "    time.sleep(0.3)\n"
                  "    os._exit(0)\n"
                  "os.waitpid(pid, 0)\n"
                  "raise SystemExit(3)\n")
        status, result = meter(sys.executable, "-c", script)
        self.assertEqual(status, 3)
        self.assertEqual(result["exit_code"], 3)
        self.assertEqual(result["peak_processes"], 2)
        self.assertGreaterEqual(result["peak_pss_kib"], 96 << 10)
        self.assertGreaterEqual(result["peak_rss_kib"], 96 << 10)
        self.assertEqual(result["leftover_processes"], 0)

    def test_orphans_stay_in_the_tree_and_are_reaped(self):
        status, result = meter("sh", "-c", "sleep 30 & exit 0")
        self.assertEqual(status, 0)
        self.assertEqual(result["leftover_processes"], 1)

    def test_a_signal_is_reported_as_128_plus_it(self):
        status, result = meter("sh", "-c", "kill -9 $$")
        self.assertEqual((status, result["exit_code"]), (137, 137))

    def test_a_missing_command_exits_127(self):
        done = subprocess.run([sys.executable, str(TOOLS / "peak_memory.py"), "no-such-command-here"],
                              capture_output=True, text=True)
        self.assertEqual(done.returncode, 127)
        self.assertEqual(done.stderr, "peak_memory: cannot run no-such-command-here: No such file or directory\n")


if __name__ == "__main__":
    if len(sys.argv) < 2:
        print(__doc__.strip(), file=sys.stderr)
        sys.exit(2)
    MAKE_IMAGE = sys.argv.pop(1)
    unittest.main()
