#pragma once

#include <opencv2/core.hpp>

namespace pblur {

// Each channel's value of rank `rank` (0: the smallest) among the size x size pixels around it,
// the image extended by repeating its edge pixels: Pillow's RankFilter, and OpenCV's medianBlur
// with rank size * size / 2. A sliding histogram (Huang's) of 256 or 65536 bins, so any odd
// size and both depths; `dst` gets src's shape.
void rank_filter(const cv::Mat& src, cv::Mat& dst, int size, int rank);

// Pillow's ModeFilter, per channel: the most frequent value among the pixels of the window
// (2 * (size / 2) + 1 wide, clipped to the image), the smallest on a tie, when it occurs more
// than twice; else the pixel itself. Writes image rows [first, last) into `out`; `window` holds
// the image's rows from `top` on, at least size / 2 rows beyond [first, last) where they exist.
void pil_mode_rows(const cv::Mat& window, int top, int image_rows, int size, int first, int last,
                   cv::Mat& out);

}  // namespace pblur
