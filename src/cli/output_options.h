#pragma once

#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "core/image/image_origin.h"

namespace pblur::cli {

// The options that shape what an output carries besides its pixels.
struct OutputFlags {
  std::string keep = "all";  // all, none, or a comma-separated list of exif, icc, xmp, iptc
  bool lossless = false;     // WebP compressed without loss
};

void add_output_flags(CLI::App& app, OutputFlags& flags);

// The metadata --keep keeps (its value was checked when parsed).
MetadataKeep to_metadata_keep(const OutputFlags& flags);

// Throws UsageError if --lossless is given with --quality (`quality` > 0), or for an output
// format other than WebP; `format` is an extension ("png", ".png") or a file name, empty when
// the outputs' formats are not known yet.
void check_lossless_is_used(const OutputFlags& flags, int quality, const std::string& format);

// Prints each of the core's warnings as "pblur: warning: ...", made printable.
void print_warnings(const std::vector<std::string>& warnings);

}  // namespace pblur::cli
