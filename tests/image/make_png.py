#!/usr/bin/python3
"""Re-encodes an image as a PNG of a colour type OpenCV's encoder never writes (palette, gray
with alpha, 1-bit, a tRNS chunk), through Pillow, for the codec tests."""
import argparse

from PIL import Image

parser = argparse.ArgumentParser()
parser.add_argument("source")
parser.add_argument("target")
parser.add_argument("--mode", choices=["P", "LA", "1", "L", "RGB"], required=True)
parser.add_argument("--transparent", action="store_true", help="add a tRNS chunk")
parser.add_argument("--bits", type=int, choices=[1, 2, 4, 8], default=8)
arguments = parser.parse_args()

image = Image.open(arguments.source).convert("RGB")
if arguments.mode == "P":
    image = image.quantize(colors=2 ** arguments.bits)
else:
    image = image.convert(arguments.mode)
options = {}
if arguments.transparent:
    options["transparency"] = 0 if arguments.mode in ("P", "L") else (0, 0, 0)
if arguments.mode == "P":
    options["bits"] = arguments.bits
image.save(arguments.target, "PNG", **options)
