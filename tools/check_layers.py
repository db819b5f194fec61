#!/usr/bin/env python3
"""Fails when a file of pblur's core includes a header of an area it may not use.

Usage: check_layers.py SRC_DIR [STAMP]

The areas of src/core/ and which others each may include are listed in LAYERS below (and in
docs/architecture.md); the command line (src/cli/) may include any of them, the core never the
command line. Run by the build, so that a backwards include fails it.
"""
import pathlib
import re
import sys

LAYERS = {
    "base": set(),
    "os": {"base"},
    "ipc": {"base", "os"},
    "image": {"base", "os"},
    "filters": {"base"},
    "stream": {"base", "os", "ipc", "image", "filters"},
    "backends": {"base", "os", "ipc", "image", "filters", "stream"},
    "batch": {"base", "os", "ipc", "image", "filters", "stream", "backends"},
    "bench": {"base", "os", "ipc", "image", "filters", "stream", "backends", "batch"},
}
INCLUDE = re.compile(r'^\s*#\s*include\s+"(core|cli)/([^"/]+)(/[^"]*)?"')


def problems(src: pathlib.Path):
    core = src / "core"
    for path in sorted(core.rglob("*")):
        if path.suffix not in (".h", ".cpp"):
            continue
        relative = path.relative_to(core)
        if len(relative.parts) < 2:
            yield f"{path}: every core file belongs in an area folder"
            continue
        area = relative.parts[0]
        if area not in LAYERS:
            yield f"{path}: '{area}' is not an area listed in {__file__}"
            continue
        for number, line in enumerate(path.read_text().splitlines(), 1):
            match = INCLUDE.match(line)
            if not match:
                continue
            top, used = match.group(1), match.group(2)
            if top == "cli":
                yield f"{path}:{number}: the core includes the command line ({line.strip()})"
            elif used != area and used not in LAYERS[area]:
                yield f"{path}:{number}: {area}/ may not use {used}/ ({line.strip()})"


def main() -> int:
    src = pathlib.Path(sys.argv[1])
    found = list(problems(src))
    for problem in found:
        print(problem, file=sys.stderr)
    if found:
        return 1
    if len(sys.argv) > 2:
        pathlib.Path(sys.argv[2]).touch()
    return 0


if __name__ == "__main__":
    sys.exit(main())
