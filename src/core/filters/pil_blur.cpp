#include "core/filters/pil_blur.h"

#include <cstring>

namespace pblur {
namespace {

constexpr int kFrame = 2;  // pixels at each edge that Pillow copies unchanged

template <typename T>
void blur_row(const cv::Mat& context, int row, int channels, T* out) {
  const T* above2 = context.ptr<T>(row - 2);
  const T* above1 = context.ptr<T>(row - 1);
  const T* middle = context.ptr<T>(row);
  const T* below1 = context.ptr<T>(row + 1);
  const T* below2 = context.ptr<T>(row + 2);
  const int width = context.cols * channels;
  const int frame = kFrame * channels;
  std::memcpy(out, middle, sizeof(T) * size_t(frame));
  std::memcpy(out + width - frame, middle + width - frame, sizeof(T) * size_t(frame));
  const int c1 = channels;
  const int c2 = 2 * channels;
  for (int x = frame; x < width - frame; ++x) {
    unsigned sum = 0;
    for (int dx = -c2; dx <= c2; dx += c1)
      sum += unsigned(above2[x + dx]) + unsigned(below2[x + dx]);
    sum += unsigned(above1[x - c2]) + unsigned(above1[x + c2]);
    sum += unsigned(middle[x - c2]) + unsigned(middle[x + c2]);
    sum += unsigned(below1[x - c2]) + unsigned(below1[x + c2]);
    out[x] = static_cast<T>((sum + 8) / 16);
  }
}

template <typename T>
void blur_rows(const cv::Mat& context, int context_top, int image_rows, int first, int last,
               cv::Mat& out) {
  const bool too_small = context.cols < 5 || image_rows < 5;
  for (int y = first; y < last; ++y) {
    const int row = y - context_top;
    T* target = out.ptr<T>(y - first);
    if (too_small || y < kFrame || y >= image_rows - kFrame) {
      std::memcpy(target, context.ptr<T>(row), context.cols * context.elemSize());
    } else {
      blur_row<T>(context, row, context.channels(), target);
    }
  }
}

}  // namespace

void pil_blur_rows(const cv::Mat& context, int context_top, int image_rows, int first, int last,
                   cv::Mat& out) {
  CV_Assert(context.depth() == CV_8U || context.depth() == CV_16U);
  CV_Assert(out.rows == last - first && out.cols == context.cols && out.type() == context.type());
  if (context.depth() == CV_8U) {
    blur_rows<uchar>(context, context_top, image_rows, first, last, out);
  } else {
    blur_rows<ushort>(context, context_top, image_rows, first, last, out);
  }
}

}  // namespace pblur
