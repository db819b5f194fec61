#pragma once

#include <cstdint>
#include <string>

#include <CLI/CLI.hpp>

#include "cli/common_options.h"
#include "cli/pixel_options.h"
#include "cli/output_options.h"

namespace pblur::cli {

// `pblur batch INPUT_DIR OUTPUT_DIR [options]`: every image of a folder, one pool of workers.
struct BatchCommandOptions {
  std::string input_dir;
  std::string output_dir;
  FilterFlags filter;
  BackendFlags backend;
  PixelFlags pixels;
  bool recursive = false;
  std::string format;
  std::string suffix;
  bool overwrite = false;
  std::string split = "auto";
  std::string shard;
  std::string report;
  ImageFlags image;
  bool dry_run = false;
  bool fail_fast = false;
  std::string halt = "never";  // GNU parallel's: never, or now,fail=N
  OutputFlags output_flags;
  bool quiet = false;
  bool verbose = false;
};

// Adds the `batch` subcommand to `app` and returns it. CLI11 fills an app's required positionals
// before it looks for subcommands, so `app`'s own required positionals (INPUT OUTPUT) become
// required only when `batch` is not given.
CLI::App* setup_batch_command(CLI::App& app, BatchCommandOptions& options);

// Returns the exit code: kSuccess, kSomeFailed, or 128 + the signal that interrupted it.
int run_batch_command(const BatchCommandOptions& options);

}  // namespace pblur::cli
