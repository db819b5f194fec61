#include "core/filters/alpha_mode.h"

namespace pblur {

bool blurs_in_pixel_mode(FilterKind kind) {
  return kind == FilterKind::gaussian || kind == FilterKind::box;
}

void premultiply(cv::Mat& bgra16) {
  CV_Assert(bgra16.type() == CV_16UC4);
  for (int y = 0; y < bgra16.rows; ++y) {
    auto* pixel = bgra16.ptr<cv::Vec4w>(y);
    for (int x = 0; x < bgra16.cols; ++x) {
      const std::uint32_t alpha = pixel[x][3];
      for (int c = 0; c < 3; ++c) {
        pixel[x][c] = std::uint16_t((pixel[x][c] * alpha + 32767) / 65535);
      }
    }
  }
}

}  // namespace pblur
