#pragma once

#include <cstdint>
#include <string>

#include <CLI/CLI.hpp>

#include "cli/common_options.h"
#include "cli/pixel_options.h"
#include "cli/output_options.h"

namespace pblur::cli {

// `pblur INPUT OUTPUT [options]`: one image through one backend.
struct FilterCommandOptions {
  std::string input;
  std::string output;
  FilterFlags filter;
  BackendFlags backend;
  ImageFlags image;
  PixelFlags pixels;
  OutputFlags output_flags;
  bool quiet = false;
  bool verbose = false;
};

void setup_filter_command(CLI::App& app, FilterCommandOptions& options);

// Makes INPUT and OUTPUT required only when no subcommand (batch, bench) is given. CLI11 would
// otherwise read a subcommand's name as INPUT. Call once every subcommand is set up.
void require_files_without_subcommand(CLI::App& app);
int run_filter_command(const FilterCommandOptions& options);

}  // namespace pblur::cli
