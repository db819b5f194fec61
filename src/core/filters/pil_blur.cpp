#include "core/filters/pil_blur.h"

#include <cstring>

#include <opencv2/imgproc.hpp>

namespace pblur {
namespace {

constexpr int kFrame = 2;  // pixels at each edge that Pillow copies unchanged

// The ring's sums for every pixel of `rows`: the 5x5 box sum less the 3x3 box sum, exact in
// integers. The rows and columns next to the window's edges are wrong and never used.
cv::Mat ring_sums(const cv::Mat& rows) {
  const int sum_depth = rows.depth() == CV_8U ? CV_16U : CV_32S;  // 25 x the largest value fits
  thread_local cv::Mat outer, inner;
  cv::boxFilter(rows, outer, sum_depth, cv::Size(5, 5), cv::Point(-1, -1), false,
                cv::BORDER_REPLICATE);
  cv::boxFilter(rows, inner, sum_depth, cv::Size(3, 3), cv::Point(-1, -1), false,
                cv::BORDER_REPLICATE);
  cv::subtract(outer, inner, outer);
  return outer;
}

void copy_frame_columns(const cv::Mat& source_row, uchar* target, std::size_t pixel_bytes,
                        int cols) {
  const std::size_t frame = kFrame * pixel_bytes;
  std::memcpy(target, source_row.data, frame);
  std::memcpy(target + (std::size_t(cols) - kFrame) * pixel_bytes,
              source_row.data + (std::size_t(cols) - kFrame) * pixel_bytes, frame);
}

}  // namespace

void pil_blur_rows(const cv::Mat& context, int context_top, int image_rows, int first, int last,
                   cv::Mat& out) {
  CV_Assert(context.depth() == CV_8U || context.depth() == CV_16U);
  CV_Assert(out.rows == last - first && out.cols == context.cols && out.type() == context.type());
  const bool too_small = context.cols < 5 || image_rows < 5;
  const int blur_first = too_small ? last : std::max(first, kFrame);
  const int blur_last = too_small ? last : std::min(last, image_rows - kFrame);
  for (int y = first; y < last; ++y) {
    if (y >= blur_first && y < blur_last) continue;
    context.row(y - context_top).copyTo(out.row(y - first));
  }
  if (blur_first >= blur_last) return;
  // Only the rows the ring reads: two above and below the blurred ones.
  const cv::Mat rows(blur_last - blur_first + 2 * kFrame, context.cols, context.type(),
                     const_cast<uchar*>(context.ptr(blur_first - kFrame - context_top)),
                     context.step[0]);
  const cv::Mat sums = ring_sums(rows);
  // floor((sum + 8) / 16) as round(sum / 16 + 1/32): never a tie, exact in float.
  cv::Mat blurred = out.rowRange(blur_first - first, blur_last - first);
  sums.rowRange(kFrame, sums.rows - kFrame).convertTo(blurred, context.depth(), 1.0 / 16, 1.0 / 32);
  for (int y = blur_first; y < blur_last; ++y)
    copy_frame_columns(context.row(y - context_top), out.ptr(y - first), context.elemSize(),
                       context.cols);
}

}  // namespace pblur
