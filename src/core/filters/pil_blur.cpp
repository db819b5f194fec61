#include "core/filters/pil_blur.h"

#include <cstdint>
#include <cstring>
#include <type_traits>

#include "core/filters/vector_clones.h"

namespace pblur {
namespace {

constexpr int kFrame = 2;  // pixels at each edge that Pillow copies unchanged

// 16 x the largest value fits.
template <typename T>
using RingSum = std::conditional_t<sizeof(T) == 1, std::uint16_t, std::uint32_t>;

// One row's blurred pixels after the frame: the ring's 16 values summed exactly in integers,
// floor((sum + 8) / 16). rows[0] is the top of the 5 rows; `step` is one pixel's values.
// `out` is a row apart from the five it reads: __restrict spares the loop its alias checks.
template <typename T>
PBLUR_VECTOR_CLONES void ring_row(const T* const* row_pointers, int step, int count,
                                  T* __restrict out) {
  const T* top = row_pointers[0];
  const T* up = row_pointers[1];
  const T* middle = row_pointers[2];
  const T* down = row_pointers[3];
  const T* bottom = row_pointers[4];
  using Sum = RingSum<T>;
  for (int x = 0; x < count; ++x) {
    const int right = x + 4 * step;
    Sum sum = Sum(Sum(top[x]) + top[x + step] + top[x + 2 * step] + top[x + 3 * step] + top[right]);
    sum = Sum(sum + bottom[x] + bottom[x + step] + bottom[x + 2 * step] + bottom[x + 3 * step] +
              bottom[right]);
    sum = Sum(sum + up[x] + up[right] + middle[x] + middle[right] + down[x] + down[right]);
    out[x] = T((sum + 8) >> 4);
  }
}

template <typename T>
void blur_row(const cv::Mat& context, int row, T* out) {
  const int step = context.channels();
  const int width = context.cols * step;
  const int frame = kFrame * step;
  const T* source = context.ptr<T>(row);
  std::memcpy(out, source, sizeof(T) * std::size_t(frame));
  std::memcpy(out + width - frame, source + width - frame, sizeof(T) * std::size_t(frame));
  const T* rows[5];
  for (int r = 0; r < 5; ++r) rows[r] = context.ptr<T>(row - kFrame + r);
  ring_row<T>(rows, step, width - 2 * frame, out + frame);
}

template <typename T>
void blur_rows(const cv::Mat& context, int context_top, int image_rows, int first, int last,
               cv::Mat& out) {
  const bool too_small = context.cols < 5 || image_rows < 5;
  for (int y = first; y < last; ++y) {
    if (too_small || y < kFrame || y >= image_rows - kFrame) {
      context.row(y - context_top).copyTo(out.row(y - first));
    } else {
      blur_row<T>(context, y - context_top, out.ptr<T>(y - first));
    }
  }
}

}  // namespace

void pil_blur_rows(const cv::Mat& context, int context_top, int image_rows, int first, int last,
                   cv::Mat& out) {
  CV_Assert(context.depth() == CV_8U || context.depth() == CV_16U);
  CV_Assert(out.rows == last - first && out.cols == context.cols && out.type() == context.type());
  if (context.depth() == CV_8U) {
    blur_rows<std::uint8_t>(context, context_top, image_rows, first, last, out);
  } else {
    blur_rows<std::uint16_t>(context, context_top, image_rows, first, last, out);
  }
}

}  // namespace pblur
