#!/usr/bin/python3
"""Reference output of Pillow's ImageFilter.BLUR, for checking pblur's blur.

Usage:
  pil_blur_reference.py make [--no-exif-transpose] INPUT OUTPUT
      write Pillow's BLUR of INPUT as PNG
  pil_blur_reference.py compare [--no-exif-transpose] INPUT CANDIDATE
      exit 0 if CANDIDATE equals Pillow's BLUR of INPUT pixel for pixel, else
      print how many pixels differ and the first difference, and exit 1
  pil_blur_reference.py --version
      print the Pillow version in use

Supported input modes: 8-bit gray ("L"), "RGB" and "RGBA". Files on disk are
compared as decoded by Pillow, so channel order (OpenCV's BGR in memory) does
not matter. Like cv::imread with its default flags, INPUT's EXIF orientation is
applied before filtering unless --no-exif-transpose is given; CANDIDATE is
read as stored.

What Pillow's BLUR does (checked with Pillow 9.4.0):
  * kernel 5x5, weight 1 on the 16 pixels of the outer ring, 0 on the inner
    3x3 block including the centre, divided by 16;
  * result = floor((sum + 8) / 16), i.e. rounding half up, computed in float
    but exact because every partial sum is a multiple of 1/16;
  * each band is filtered on its own, alpha included (no premultiplication);
  * the 2-pixel frame (rows 0, 1, H-2, H-1 and columns 0, 1, W-2, W-1) is
    copied from the input unchanged;
  * an image narrower or lower than 5 pixels is returned unchanged;
  * 16-bit ("I;16"/"I") and float images are refused by this Pillow version.

Exit status: 0 success / equal, 1 images differ, 2 usage or read error.
"""

import argparse
import sys

try:
    import PIL
    from PIL import Image, ImageChops, ImageFilter, ImageOps
except ImportError:  # pragma: no cover - depends on the system
    sys.exit("pil_blur_reference.py: Pillow not found (Debian: apt-get install python3-pil)")

SUPPORTED_MODES = ("L", "RGB", "RGBA")


class InputError(Exception):
    """A problem with the inputs that is reported with exit status 2."""


def open_image(path, transpose):
    try:
        image = Image.open(path)
        image.load()
    except (OSError, SyntaxError, ValueError) as error:
        raise InputError(f"cannot read image '{path}': {error}") from error
    if transpose:
        image = ImageOps.exif_transpose(image)
    return image


def pillow_blur(path, transpose):
    image = open_image(path, transpose)
    if image.mode not in SUPPORTED_MODES:
        raise InputError(
            f"'{path}' has mode {image.mode}; supported: {', '.join(SUPPORTED_MODES)}"
        )
    return image.filter(ImageFilter.BLUR)


def difference_mask(expected, candidate):
    """An "L" image that is 255 where any band differs and 0 elsewhere."""
    bands = ImageChops.difference(expected, candidate).split()
    mask = bands[0].point(lambda v: 255 if v else 0)
    for band in bands[1:]:
        mask = ImageChops.lighter(mask, band.point(lambda v: 255 if v else 0))
    return mask


def first_set_pixel(mask):
    left, top, right, _ = mask.getbbox()
    row = mask.crop((left, top, right, top + 1)).getdata()
    for offset, value in enumerate(row):
        if value:
            return left + offset, top
    raise AssertionError("bounding box without a set pixel")


def compare(expected, candidate):
    """Returns a description of the first mismatch, or None if the images are equal."""
    if candidate.mode != expected.mode:
        return f"mode differs: expected {expected.mode}, got {candidate.mode}"
    if candidate.size != expected.size:
        return f"size differs: expected {expected.size[0]}x{expected.size[1]}, " \
               f"got {candidate.size[0]}x{candidate.size[1]}"
    mask = difference_mask(expected, candidate)
    if mask.getbbox() is None:
        return None
    count = mask.histogram()[255]
    total = expected.size[0] * expected.size[1]
    x, y = first_set_pixel(mask)
    return (f"{count} of {total} pixels differ; first at x={x} y={y}: "
            f"expected {expected.getpixel((x, y))}, got {candidate.getpixel((x, y))}")


def command_make(args):
    blurred = pillow_blur(args.input, args.transpose)
    try:
        blurred.save(args.output, format="PNG")
    except OSError as error:
        raise InputError(f"cannot write '{args.output}': {error}") from error
    return 0


def command_compare(args):
    expected = pillow_blur(args.input, args.transpose)
    candidate = open_image(args.candidate, transpose=False)
    problem = compare(expected, candidate)
    if problem is None:
        print(f"{args.candidate}: equal to Pillow's BLUR of {args.input}")
        return 0
    print(f"{args.candidate}: {problem}")
    return 1


def parse_arguments(argv):
    parser = argparse.ArgumentParser(
        prog="pil_blur_reference.py",
        description="Pillow ImageFilter.BLUR reference for pblur.")
    parser.add_argument("--version", action="version",
                        version=f"Pillow {PIL.__version__} "
                                f"(Python {sys.version.split()[0]})")
    options = argparse.ArgumentParser(add_help=False)
    options.add_argument("--no-exif-transpose", dest="transpose", action="store_false",
                         help="filter INPUT as stored, ignoring its EXIF orientation")
    commands = parser.add_subparsers(dest="command", required=True)
    make = commands.add_parser("make", parents=[options],
                               help="write Pillow's BLUR of INPUT as PNG")
    make.add_argument("input", metavar="INPUT")
    make.add_argument("output", metavar="OUTPUT")
    make.set_defaults(run=command_make)
    check = commands.add_parser("compare", parents=[options],
                                help="compare CANDIDATE with Pillow's BLUR of INPUT")
    check.add_argument("input", metavar="INPUT")
    check.add_argument("candidate", metavar="CANDIDATE")
    check.set_defaults(run=command_compare)
    return parser.parse_args(argv)


def main(argv=None):
    args = parse_arguments(argv)
    try:
        return args.run(args)
    except InputError as error:
        print(f"pil_blur_reference.py: {error}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
