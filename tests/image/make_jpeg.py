#!/usr/bin/python3
"""Re-encodes an image as a JPEG with settings OpenCV's encoder does not offer (chroma
subsampling, CMYK), through Pillow, for the codec tests."""
import argparse

from PIL import Image

parser = argparse.ArgumentParser()
parser.add_argument("source")
parser.add_argument("target")
parser.add_argument("--mode", choices=["L", "RGB", "CMYK"], default="RGB")
parser.add_argument("--subsampling", type=int, choices=[0, 1, 2], default=2)  # 4:4:4, 4:2:2, 4:2:0
parser.add_argument("--progressive", action="store_true")
parser.add_argument("--quality", type=int, default=90)
arguments = parser.parse_args()

image = Image.open(arguments.source).convert(arguments.mode)
image.save(arguments.target, "JPEG", quality=arguments.quality,
           subsampling=arguments.subsampling, progressive=arguments.progressive)
