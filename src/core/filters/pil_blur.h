#pragma once

#include <opencv2/core.hpp>

namespace pblur {

// Pillow's ImageFilter.BLUR: the ring of the 5x5 square (16 ones) over 16, rounded half up,
// the outer 2-pixel frame copied unchanged, and images under 5 pixels wide or high copied whole.
// Writes rows [first, last) of an image `image_rows` high into `out`; `context` holds the
// image's rows from `context_top` on, at least 2 rows beyond [first, last) where they exist.
void pil_blur_rows(const cv::Mat& context, int context_top, int image_rows, int first, int last,
                   cv::Mat& out);

}  // namespace pblur
