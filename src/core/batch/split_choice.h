#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "core/base/enum_names.h"
#include "core/batch/batch_plan.h"

namespace pblur {

// How a batch spreads over the workers: `images`, each worker loads, filters and saves whole
// images of its own; `strips`, images go one at a time, each split in strips across the workers,
// while this process loads the next image and saves the previous one.
enum class SplitMode { automatic, images, strips };
inline constexpr auto kSplitModeNames = enum_names<SplitMode>(
    {{SplitMode::automatic, "auto"}, {SplitMode::images, "images"}, {SplitMode::strips, "strips"}});

std::optional<SplitMode> parse_split_mode(std::string_view name);
std::string_view split_mode_name(SplitMode mode);

struct SplitDecision {
  SplitMode mode = SplitMode::images;
  std::string reason;  // why, for -v: "50 images >= 2 workers"
};

// `requested` unless automatic; then images when there are at least as many images as workers
// (every worker has an image of its own) and one image per worker fits in half the memory (the
// largest images judged by their headers: decoded, filtered and encoded, 12 bytes a pixel); strips
// otherwise (too few images to keep every worker busy, or too large to hold one per worker).
SplitDecision choose_split(SplitMode requested, std::span<const BatchItem> items, int workers);

}  // namespace pblur
