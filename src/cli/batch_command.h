#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "cli/common_options.h"
#include "cli/output_options.h"
#include "cli/pixel_options.h"

namespace pblur::cli {

// How the outputs of a batch are named, and which are redone: also the single-image command's
// options when it writes several inputs into a folder.
struct OutputNaming {
  std::string format;
  std::string suffix;
  bool overwrite = false;
  std::string report;
};

// Adds --format, --suffix, --overwrite and --report; returns them.
std::vector<CLI::Option*> add_output_naming_flags(CLI::App& app, OutputNaming& naming);

// `pblur batch INPUT... OUTPUT_DIR [options]`: every image of folders and files, one pool of
// workers.
struct BatchCommandOptions {
  std::vector<std::string> inputs;  // then OUTPUT_DIR, unless -o gives it
  std::string output_dir;
  FilterFlags filter;
  BackendFlags backend;
  PixelFlags pixels;
  bool recursive = false;
  OutputNaming naming;
  std::string split = "auto";
  std::string shard;
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
