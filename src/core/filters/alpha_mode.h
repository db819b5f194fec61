#pragma once

#include <cstdint>

#include <opencv2/core.hpp>

#include "core/filters/filter_spec.h"

namespace pblur {

// The filters that a PixelMode changes: gaussian and box, whose weights are all positive, so a
// blurred premultiplied colour never exceeds its blurred alpha. The others (pil-*, unsharp,
// kernel, rank and morphology filters, ...) filter every channel straight, as stored.
bool blurs_in_pixel_mode(FilterKind kind);

// Multiplies the colour channels of a 16-bit BGRA image by its alpha, rounded, in place.
void premultiply(cv::Mat& bgra16);

// The straight colour of premultiplied `colour` under `alpha` (both 16-bit, alpha above 0),
// rounded and capped at 65535.
inline std::uint16_t unpremultiply(std::uint32_t colour, std::uint32_t alpha) {
  const std::uint64_t straight = (std::uint64_t{colour} * 65535 + alpha / 2) / alpha;
  return std::uint16_t(straight > 65535 ? 65535 : straight);
}

}  // namespace pblur
