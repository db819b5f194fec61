#!/usr/bin/env python3
"""Fails when a function in pblur's sources is longer than MAX_LINES lines.

Usage: check_function_length.py SRC_DIR [MAX_LINES]

A function's length is counted from the line of its opening brace to the line of its closing
brace. Lambdas and blocks inside a function count as part of it. Run by CTest.
"""
import pathlib
import re
import sys

MAX_LINES = 60
SCOPE = re.compile(r"^((template\s*<.*>\s*)?(namespace|class|struct|union|enum)\b|extern$)")
# A signature's end: ") const", ") noexcept", ") override", ") -> T", or a constructor's
# initializer list after ") :".
SIGNATURE_END = re.compile(
    r"\)\s*((const|noexcept|override|final|mutable|&|&&)\s*)*(->\s*[\w:<>,\s*&]+)?$")
CONSTRUCTOR = re.compile(r"\)\s*(noexcept\s*)?:\s*\w")


def without_comments_and_literals(text: str) -> str:
    """`text` with comments and string or character literals blanked, newlines kept."""
    pattern = re.compile(
        r'//[^\n]*|/\*.*?\*/|R"(?P<delim>[^(]*)\(.*?\)(?P=delim)"|"(\\.|[^"\\\n])*"|'
        r"'(\\.|[^'\\\n])*'", re.S)
    return pattern.sub(lambda m: re.sub(r"[^\n]", " ", m.group(0)), text)


def is_function(header: str) -> bool:
    header = " ".join(header.split())
    if not header or SCOPE.match(header) or "(" not in header:
        return False
    name = re.sub(r"operator\s*[^\s(]+", "operator", header.split("(")[0])
    if "=" in name:  # a variable initialised by a lambda or a call
        return False
    return bool(SIGNATURE_END.search(header) or CONSTRUCTOR.search(header))


def functions(text: str):
    """(first line, last line) of each function defined in `text`."""
    text = without_comments_and_literals(text)
    text = re.sub(r"^\s*#[^\n]*", lambda m: re.sub(r"[^\n]", " ", m.group(0)), text, flags=re.M)
    stack = []  # ("scope" | "function" | "other", first line)
    statement = ""  # text of the current statement at this level, since ; { or }
    parens = 0
    line = 1
    for char in text:
        if char == "\n":
            line += 1
        if char == "(":
            parens += 1
        elif char == ")":
            parens = max(parens - 1, 0)
        inside_function = any(kind == "function" for kind, _ in stack)
        if char == "{":
            if inside_function or parens:
                kind = "other"
            elif is_function(statement):
                kind = "function"
            elif SCOPE.match(" ".join(statement.split())) or not statement.strip():
                kind = "scope"
            else:
                kind = "other"  # a brace initialiser
            stack.append((kind, line))
            if kind != "other":
                statement = ""
            continue
        if char == "}" and stack:
            kind, first = stack.pop()
            if kind == "function":
                yield first, line
            if kind != "other":
                statement = ""
            continue
        if char == ";" and not parens:
            statement = ""
            continue
        if not inside_function:
            statement += char


def problems(src: pathlib.Path, max_lines: int):
    for path in sorted(src.rglob("*")):
        if path.suffix not in (".h", ".cpp", ".c"):
            continue
        for first, last in functions(path.read_text(encoding="utf-8")):
            if last - first + 1 > max_lines:
                yield (f"{path}:{first}: a function of {last - first + 1} lines, more than "
                       f"{max_lines}: split it")


def main() -> int:
    src = pathlib.Path(sys.argv[1])
    max_lines = int(sys.argv[2]) if len(sys.argv) > 2 else MAX_LINES
    found = list(problems(src, max_lines))
    for problem in found:
        print(problem, file=sys.stderr)
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
