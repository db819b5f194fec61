#!/usr/bin/python3
"""What `cmake --install` and `cpack -G DEB` give: run by CTest, one check a call.

Usage: install_test.py CHECK BUILD_DIR
  destdir      install into a DESTDIR; the installed pblur draws `bench --plot` from another
               folder with the installed script, and names it when it is missing
  man          each man page renders without warnings and documents every option of --help
  completions  each completion file loads in its shell (if installed) and offers --help's options
               and filter names
  deb          the .deb builds; `dpkg -I` lists the packages of the libraries pblur links
Exit status: 0 passed, 1 failed, 77 skipped (a tool is missing; the reason on stdout).
"""

import os
import re
import shutil
import subprocess
import sys
import tempfile

SOURCE = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SMALL_IMAGE = os.path.join(SOURCE, "tests", "data", "pil_in_rgb.png")
PAGES = {"": "pblur.1", "batch": "pblur-batch.1", "bench": "pblur-bench.1"}
INSTALLED = [
    "bin/pblur",
    "lib/pblur/libpblur_opencv_codecs.so",
    "share/bash-completion/completions/pblur",
    "share/fish/vendor_completions.d/pblur.fish",
    "share/man/man1/pblur-batch.1",
    "share/man/man1/pblur-bench.1",
    "share/man/man1/pblur.1",
    "share/pblur/bench_report.py",
    "share/pblur/plot_bench.py",
    "share/zsh/site-functions/_pblur",
]
SKIP = 77


def fail(message):
    print(f"FAILED: {message}")
    sys.exit(1)


def skip(reason):
    print(f"SKIPPED: {reason}")
    sys.exit(SKIP)


def run(argv, **kwargs):
    return subprocess.run(argv, capture_output=True, text=True, check=False, **kwargs)


def expect(result, what):
    if result.returncode != 0:
        fail(f"{what}: exit {result.returncode}\n{result.stdout}{result.stderr}")
    return result.stdout


def help_text(pblur, command):
    return expect(run([pblur] + ([command] if command else []) + ["--help"]), f"{command} --help")


def help_options(pblur, command):
    """The options `pblur [command] --help` lists, short and long."""
    options = set()
    for line in help_text(pblur, command).splitlines():
        match = re.match(r"  (-[\w-]+(?:,-[\w-]+)*)", line)
        if match:
            options.update(match.group(1).split(","))
    return options


def filter_names(pblur):
    unwrapped = re.sub(r"\s+", " ", help_text(pblur, ""))
    listed = re.search(r"Filters: (.*?) \(README", unwrapped)
    return {re.sub(r"\(.*", "", name) for name in listed.group(1).split(", ")}


def files_under(root):
    return sorted(
        os.path.relpath(os.path.join(folder, name), root)
        for folder, _, names in os.walk(root) for name in names)


def check_destdir(build):
    with tempfile.TemporaryDirectory(prefix="pblur-install-") as scratch:
        destdir, elsewhere = os.path.join(scratch, "root"), os.path.join(scratch, "elsewhere")
        os.mkdir(elsewhere)
        expect(run(["cmake", "--install", build, "--prefix", "/opt/pblur"],
                   env=dict(os.environ, DESTDIR=destdir)), "cmake --install")
        prefix = destdir + "/opt/pblur"
        if files_under(prefix) != INSTALLED:
            fail(f"installed {files_under(prefix)}, expected {INSTALLED}")
        pblur = os.path.join(prefix, "bin", "pblur")
        bench = [pblur, "bench", SMALL_IMAGE, "--repeat", "1", "--warmup", "0", "--workers", "1",
                 "-q", "--plot", "chart.png"]
        expect(run(bench, cwd=elsewhere), "installed pblur bench --plot")
        with open(os.path.join(elsewhere, "chart.png"), "rb") as chart:
            if chart.read(8) != b"\x89PNG\r\n\x1a\n":
                fail("chart.png is not a PNG")
        script = os.path.join(prefix, "share", "pblur", "plot_bench.py")
        os.remove(script)
        os.remove(os.path.join(elsewhere, "chart.png"))
        missing = run(bench, cwd=elsewhere)
        message = f"pblur: error: --plot needs {script}, which is missing\n"
        if missing.returncode != 4 or missing.stderr != message:
            fail(f"without the script: exit {missing.returncode}, {missing.stderr!r}")
        if os.listdir(elsewhere):
            fail(f"left behind: {os.listdir(elsewhere)}")


def check_man(build):
    if not shutil.which("groff") or not shutil.which("man"):
        skip("groff or man is missing (Debian: groff-base, man-db)")
    pblur = os.path.join(build, "src", "pblur")
    version = expect(run([pblur, "--version"]), "--version").split()[1]
    for command, page in PAGES.items():
        path = os.path.join(build, "man", page)
        groff = run(["groff", "-man", "-ww", "-z", path])
        if groff.returncode != 0 or groff.stderr:
            fail(f"groff -ww {page}: {groff.stderr}")
        rendered = run(["man", "--warnings", "-l", "-Tutf8", path],
                       env=dict(os.environ, MANWIDTH="80"))
        if rendered.returncode != 0 or rendered.stderr:
            fail(f"man -l {page}: {rendered.stderr}")
        text = run(["man", "-l", path], env=dict(os.environ, MANWIDTH="80", MAN_KEEP_FORMATTING="")).stdout
        if f"pblur {version}" not in text:
            fail(f"{page} does not say pblur {version}")
        documented = set(re.findall(r"(?<![\w-])(--?[a-z][\w-]*)", text))
        undocumented = help_options(pblur, command) - documented
        if undocumented:
            fail(f"{page} does not document {sorted(undocumented)}")


def bash_offers(completion, words):
    script = (f"source {completion}; COMP_WORDS=({words}); COMP_CWORD=$((${{#COMP_WORDS[@]}} - 1));"
              " _pblur; printf '%s\\n' \"${COMPREPLY[@]}\"")
    return set(expect(run(["bash", "-c", script]), f"bash completion of {words}").split())


def fish_offers(completion, line):
    out = expect(run(["fish", "-c", f"source {completion}; complete -C '{line}'"]), "fish")
    return {entry.split("\t")[0] for entry in out.splitlines()}


def check_completions(build):
    pblur = os.path.join(build, "src", "pblur")
    completions = os.path.join(SOURCE, "completions")
    bash, fish = os.path.join(completions, "pblur.bash"), os.path.join(completions, "pblur.fish")
    loaded = expect(run(["bash", "-c", f"source {bash}; complete -p pblur"]), "bash")
    if loaded != "complete -F _pblur pblur\n":
        fail(f"bash: {loaded!r}")
    filters = filter_names(pblur)
    for command in PAGES:
        expected = help_options(pblur, command)
        offered = bash_offers(bash, f"pblur {command} -")
        if offered != expected:
            fail(f"bash offers {sorted(offered ^ expected)} wrongly after 'pblur {command}'")
        if bash_offers(bash, f"pblur {command} --filter ''") != filters:
            fail(f"bash: the filter names after 'pblur {command} --filter'")
    if shutil.which("fish"):
        for command in PAGES:
            expected = {o for o in help_options(pblur, command) if o.startswith("--")}
            offered = fish_offers(fish, f"pblur {command} --".replace("  ", " "))
            if offered != expected:
                fail(f"fish offers {sorted(offered ^ expected)} wrongly after 'pblur {command}'")
        if fish_offers(fish, "pblur --filter ") != filters:
            fail("fish: the filter names after --filter")
    if shutil.which("zsh"):
        zsh = (f"fpath=({completions} $fpath); autoload -U compinit; compinit -u -D;"
               " print -r -- $_comps[pblur]")
        if expect(run(["zsh", "-fc", zsh]), "zsh") != "_pblur\n":
            fail("zsh: compinit does not bind _pblur to pblur")
    missing = [shell for shell in ("fish", "zsh") if not shutil.which(shell)]
    if missing:
        skip(f"bash checked; {' and '.join(missing)} not installed (tools/setup.sh installs them)")


def linked_packages(pblur):
    """The Debian packages of the libraries pblur names in its ELF header (NEEDED)."""
    needed = re.findall(r"\(NEEDED\).*\[(.*)\]", expect(run(["readelf", "-d", pblur]), "readelf"))
    paths = dict(re.findall(r"^\s*(\S+) => (\S+)", expect(run(["ldd", pblur]), "ldd"), re.M))
    packages = set()
    for library in needed:
        owner = run(["dpkg", "-S", os.path.realpath(paths[library])])
        if owner.returncode != 0:
            owner = run(["dpkg", "-S", paths[library]])
        packages.add(expect(owner, f"dpkg -S {library}").split(":")[0])
    return packages


def check_deb(build):
    for tool in ("cpack", "dpkg-deb", "dpkg-shlibdeps"):
        if not shutil.which(tool):
            skip(f"{tool} is missing (Debian: dpkg-dev)")
    with tempfile.TemporaryDirectory(prefix="pblur-deb-") as scratch:
        expect(run(["cpack", "-G", "DEB", "-B", scratch, "--config",
                    os.path.join(build, "CPackConfig.cmake")], cwd=build), "cpack -G DEB")
        debs = [name for name in os.listdir(scratch) if name.endswith(".deb")]
        if len(debs) != 1:
            fail(f"cpack made {debs}")
        deb = os.path.join(scratch, debs[0])
        info = expect(run(["dpkg-deb", "-I", deb]), "dpkg -I")
        fields = dict(re.findall(r"^ (\w[\w-]*): (.*)$", info, re.M))
        depends = {re.sub(r" .*", "", item.strip()) for item in fields.get("Depends", "").split(",")}
        # pblur and the OpenCV codecs module it loads for the formats it does not read itself
        expected = linked_packages(os.path.join(build, "src", "pblur")) | linked_packages(
            os.path.join(build, "lib", "pblur", "libpblur_opencv_codecs.so"))
        if depends != expected:
            fail(f"Depends: {sorted(depends)}; the linked libraries' packages: {sorted(expected)}")
        if "python3-matplotlib" not in fields.get("Recommends", ""):
            fail(f"Recommends: {fields.get('Recommends')!r}, without python3-matplotlib")
        contents = expect(run(["dpkg-deb", "-c", deb]), "dpkg -c")
        listed = sorted(re.findall(r" \./usr/(\S*[^/\s])$", contents, re.M))
        if listed != INSTALLED:
            fail(f"the .deb holds {listed}, expected {INSTALLED}")


CHECKS = {"destdir": check_destdir, "man": check_man, "completions": check_completions,
          "deb": check_deb}

if __name__ == "__main__":
    if len(sys.argv) != 3 or sys.argv[1] not in CHECKS:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    CHECKS[sys.argv[1]](os.path.abspath(sys.argv[2]))
    print("passed")
