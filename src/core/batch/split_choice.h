#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "core/base/enum_names.h"
#include "core/batch/batch_plan.h"

namespace pblur {

// How a batch spreads over the workers: `images`, each worker decodes, filters and encodes whole
// images of its own, strip by strip in a window of rows where they stream; `strips`, images go
// one at a time, each streamed through all the workers (or, where it cannot stream, split in
// strips across them while this process saves the previous one).
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
// (every worker has an image of its own) and one image per worker fits in half the memory, judged
// by the largest files: one that streams (its reader and the output's writer go row by row) costs
// a window of rows whatever its height, one that cannot its whole pixels three times (decoded,
// filtered and encoded, 12 bytes a pixel); strips otherwise (too few images to keep every worker
// busy, or too large to hold one per worker).
SplitDecision choose_split(SplitMode requested, std::span<const BatchItem> items, int workers);

}  // namespace pblur
