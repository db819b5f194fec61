#!/usr/bin/env bash
# Installs what pblur needs to build, test and benchmark, from Debian's packages.
# Safe to run again: apt-get skips what is already installed.
set -euo pipefail

packages=(
  build-essential cmake ninja-build pkg-config
  libopencv-dev      # the filters, and the codecs of formats pblur does not read itself
  libjpeg62-turbo-dev # JPEG rows read and written through libjpeg-turbo's scanline API
  libpng-dev         # PNG rows through libpng
  libtiff-dev        # TIFF sizes and rows through libtiff
  libwebp-dev        # WebP sizes and pixels through libwebp
  libtbb-dev         # the thread backend (and OpenCV's own parallel loops)
  libcli11-dev       # command-line parsing
  libgtest-dev       # the test suite
  python3-pil        # Pillow: the reference for --filter pil-blur
  nlohmann-json3-dev # JSON: pblur batch --report, pblur bench --json
  python3-matplotlib # pblur bench --plot (tools/plot_bench.py, run by /usr/bin/python3)
  libvips-tools      # tools/bench_batch.sh: the `xargs vips gaussblur` baseline
  bc                 # tools/bench_batch.sh: arithmetic on the timings
  man-db groff-base  # the tests: `man -l` and `groff -ww` render the man pages without warnings
  zsh fish           # the tests: the zsh and fish completions load in their shells
  libimage-exiftool-perl # the tests: exiftool reads the metadata pblur keeps, independently
  imagemagick        # the tests: `identify -format %Q` estimates a JPEG output's quality
)

missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" ||
    missing+=("$package")
done
if ((${#missing[@]} == 0)); then
  echo "setup: all packages present"
  exit 0
fi
sudo=""
if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
