#pragma once

#include <cstddef>

#include "core/image/row_codec.h"

namespace pblur {

// Turns one row in place between PNM's order (RGB, 16-bit samples big-endian) and OpenCV's
// (BGR, native); the same swaps go both ways.
void pnm_samples_to_opencv(std::byte* row, const RowLayout& layout);
inline void opencv_samples_to_pnm(std::byte* row, const RowLayout& layout) {
  pnm_samples_to_opencv(row, layout);
}

}  // namespace pblur
