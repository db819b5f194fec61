#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "cli/batch_command.h"
#include "cli/common_options.h"
#include "cli/output_options.h"
#include "cli/pixel_options.h"

namespace pblur::cli {

// `pblur INPUT OUTPUT [options]`: one image through one backend; `pblur INPUT... OUTPUT_DIR/
// [options]`: each input into a folder, as `pblur batch` does.
struct FilterCommandOptions {
  std::vector<std::string> inputs;  // then OUTPUT, unless -o gives it
  std::string output;
  OutputNaming naming;  // only when writing into a folder
  std::vector<CLI::Option*> naming_options;
  FilterFlags filter;
  BackendFlags backend;
  ImageFlags image;
  PixelFlags pixels;
  OutputFlags output_flags;
  bool quiet = false;
  bool verbose = false;
};

void setup_filter_command(CLI::App& app, FilterCommandOptions& options);

// Makes INPUT and OUTPUT (the last INPUT, or -o) required only when no subcommand (batch, bench)
// is given. CLI11 would otherwise read a subcommand's name as INPUT. Call once every subcommand
// is set up.
void require_files_without_subcommand(CLI::App& app);
int run_filter_command(const FilterCommandOptions& options);

}  // namespace pblur::cli
