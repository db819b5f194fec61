#pragma once

#include <cstddef>
#include <span>
#include <vector>

#include "core/batch/batch_plan.h"

namespace pblur {

// Indexes of `items`, largest input file first.
std::vector<std::size_t> largest_first(std::span<const BatchItem> items);

}  // namespace pblur
