#pragma once

#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "cli/common_options.h"

namespace pblur::cli {

// `pblur bench IMAGE [options]`: processes against threads on one image, in memory and streamed
// file to file; `pblur bench --batch DIR [options]`: the same for a folder, with each way of
// splitting it.
struct BenchCommandOptions {
  std::string input;
  std::string batch;  // the folder, or empty
  bool recursive = false;
  FilterFlags filter;
  std::vector<int> workers;  // empty: 1, 2, 4, ... up to twice the usable CPUs
  int repeat = 0;            // 0: automatic
  int warmup = 1;
  std::string json;
  std::string csv;
  std::string plot;
  bool quiet = false;
  bool verbose = false;
};

// Adds the `bench` subcommand to `app` and returns it.
CLI::App* setup_bench_command(CLI::App& app, BenchCommandOptions& options);
int run_bench_command(const BenchCommandOptions& options);

}  // namespace pblur::cli
