#pragma once

#include <opencv2/core.hpp>

#include "core/filters/filter_spec.h"

namespace pblur {

// filter_rows (see filters.h) in `mode`'s pixel space. For gaussian and box (blurs_in_pixel_mode):
//   linear: the colour channels' sRGB curve decoded into 16-bit linear light, blurred, encoded
//     again; alpha widened to 16 bits alongside.
//   premultiplied (BGRA): the 16-bit colour premultiplied by alpha is blurred too; where its
//     blurred alpha is below full, the colour is that blur divided by it; where it is full, the
//     straight blur's colour, so pixels among opaque neighbours are exactly as straight gives
//     them. Alpha is always the straight blur's.
// Every step is per pixel or a filter_rows, so strips stay exact against whole images.
void filter_rows_in_mode(const PixelMode& mode, const FilterSpec& spec, const cv::Mat& window,
                         int top, int image_rows, int first, int last, cv::Mat& out);

}  // namespace pblur
