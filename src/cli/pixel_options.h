#pragma once

#include <string>

#include <CLI/CLI.hpp>

#include "core/filters/filter_spec.h"
#include "core/image/pixel_conversion.h"

namespace pblur::cli {

// --alpha, --linear: the pixel space of the blurs; --depth, --flatten: conversions on output.
struct PixelFlags {
  std::string alpha = "premultiplied";
  bool linear = false;
  int depth = 0;  // 0: as filtered; 8: 16-bit samples rounded to 8 bits
  std::string flatten;
  const CLI::Option* flatten_option = nullptr;  // set by add_pixel_flags
};

void add_pixel_flags(CLI::App& app, PixelFlags& flags);

// `chain` with the pixel space the flags choose.
FilterChain with_pixel_mode(FilterChain chain, const PixelFlags& flags);

// Throws UsageError for a colour --flatten cannot read.
PixelConversion to_pixel_conversion(const PixelFlags& flags);

}  // namespace pblur::cli
