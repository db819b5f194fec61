#!/usr/bin/python3
"""Reference output of any Pillow ImageFilter, for checking pblur's pil-* filters.

Usage:
  pil_filter_reference.py compare FILTER INPUT CANDIDATE
      exit 0 if CANDIDATE equals Pillow's FILTER of INPUT pixel for pixel, else print how many
      pixels differ and the first difference, and exit 1
  pil_filter_reference.py make FILTER INPUT OUTPUT
      write Pillow's FILTER of INPUT as PNG

FILTER is written as pblur's --filter takes it, "pil-rank:size=5,rank=3"; "A|B" chains. INPUT's
EXIF orientation is applied first, as cv::imread does. Modes L, RGB and RGBA.
Exit status: 0 success / equal, 1 images differ, 2 usage or read error.
"""

import sys

from PIL import Image, ImageFilter, ImageOps

from pil_blur_reference import InputError, compare

BUILTINS = {
    "pil-blur": ImageFilter.BLUR, "pil-contour": ImageFilter.CONTOUR,
    "pil-detail": ImageFilter.DETAIL, "pil-edge-enhance": ImageFilter.EDGE_ENHANCE,
    "pil-edge-enhance-more": ImageFilter.EDGE_ENHANCE_MORE, "pil-emboss": ImageFilter.EMBOSS,
    "pil-find-edges": ImageFilter.FIND_EDGES, "pil-sharpen": ImageFilter.SHARPEN,
    "pil-smooth": ImageFilter.SMOOTH, "pil-smooth-more": ImageFilter.SMOOTH_MORE,
}


def number(text):
    value = float(text)
    return int(value) if value.is_integer() else value


def pillow_filter(text):
    name, _, rest = text.partition(":")
    keys = dict(pair.split("=", 1) for pair in rest.split(",")) if rest else {}
    if name in BUILTINS:
        return BUILTINS[name]
    size = int(keys.get("size", 3))
    if name == "pil-kernel":
        kernel = [number(v) for v in keys["kernel"].split()]
        size = int(keys.get("size", 5 if len(kernel) == 25 else 3))
        scale = number(keys["scale"]) if "scale" in keys else None
        return ImageFilter.Kernel((size, size), kernel, scale, number(keys.get("offset", 0)))
    makers = {
        "pil-median": lambda: ImageFilter.MedianFilter(size),
        "pil-min": lambda: ImageFilter.MinFilter(size),
        "pil-max": lambda: ImageFilter.MaxFilter(size),
        "pil-mode": lambda: ImageFilter.ModeFilter(size),
        "pil-rank": lambda: ImageFilter.RankFilter(size, int(keys["rank"])),
        "pil-gaussian": lambda: ImageFilter.GaussianBlur(number(keys.get("radius", 2))),
        "pil-box": lambda: ImageFilter.BoxBlur(number(keys["radius"])),
        "pil-unsharp": lambda: ImageFilter.UnsharpMask(
            number(keys.get("radius", 2)), int(keys.get("percent", 150)),
            int(keys.get("threshold", 3))),
    }
    if name not in makers:
        raise InputError(f"no Pillow filter for '{text}'")
    return makers[name]()


def filtered(chain, path):
    try:
        image = ImageOps.exif_transpose(Image.open(path))
    except OSError as error:
        raise InputError(f"cannot read image '{path}': {error}") from error
    if image.mode not in ("L", "RGB", "RGBA"):
        raise InputError(f"'{path}' has mode {image.mode}; supported: L, RGB, RGBA")
    for text in chain.split("|"):
        image = image.filter(pillow_filter(text))
    return image


def main(argv):
    if len(argv) != 4 or argv[0] not in ("compare", "make"):
        print(__doc__, file=sys.stderr)
        return 2
    command, chain, source, other = argv
    try:
        expected = filtered(chain, source)
        if command == "make":
            expected.save(other, format="PNG")
            return 0
        problem = compare(expected, Image.open(other))
    except InputError as error:
        print(f"pil_filter_reference.py: {error}", file=sys.stderr)
        return 2
    if problem is None:
        print(f"{other}: equal to Pillow's {chain} of {source}")
        return 0
    print(f"{other}: {chain}: {problem}")
    return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
