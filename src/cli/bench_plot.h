#pragma once

#include <filesystem>

namespace pblur::cli {

// Charts are drawn by plot_bench.py (installed in PREFIX/share/pblur; tools/ in the source tree
// for a binary in the build tree) with matplotlib, run by /usr/bin/python3 (Debian's
// python3-matplotlib), or by the interpreter named in the environment variable PBLUR_PYTHON.

// Throws OutputError unless the interpreter can import matplotlib and the script exists.
void check_plotting_available();

// Draws the chart of the JSON report `json` into `output` (.png or .svg). Throws OutputError.
void plot_bench(const std::filesystem::path& json, const std::filesystem::path& output);

}  // namespace pblur::cli
