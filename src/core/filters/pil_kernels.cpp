#include "core/filters/pil_kernels.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstring>
#include <limits>
#include <utility>
#include <vector>

#include "core/filters/vector_clones.h"

namespace pblur {
namespace {

struct BuiltinKernel {
  FilterKind kind;
  int size;
  int scale;
  int offset;
  std::array<int, 25> weights;
};

// ImageFilter.py's filterargs, as Pillow 9.4 ships them.
constexpr std::array<BuiltinKernel, 10> kBuiltins{{
    {FilterKind::pil_blur, 5, 16, 0, {1, 1, 1, 1, 1, 1, 0, 0, 0, 1, 1, 0, 0,
                                      0, 1, 1, 0, 0, 0, 1, 1, 1, 1, 1, 1}},
    {FilterKind::pil_contour, 3, 1, 255, {-1, -1, -1, -1, 8, -1, -1, -1, -1}},
    {FilterKind::pil_detail, 3, 6, 0, {0, -1, 0, -1, 10, -1, 0, -1, 0}},
    {FilterKind::pil_edge_enhance, 3, 2, 0, {-1, -1, -1, -1, 10, -1, -1, -1, -1}},
    {FilterKind::pil_edge_enhance_more, 3, 1, 0, {-1, -1, -1, -1, 9, -1, -1, -1, -1}},
    {FilterKind::pil_emboss, 3, 1, 128, {-1, 0, 0, 0, 1, 0, 0, 0, 0}},
    {FilterKind::pil_find_edges, 3, 1, 0, {-1, -1, -1, -1, 8, -1, -1, -1, -1}},
    {FilterKind::pil_sharpen, 3, 16, 0, {-2, -2, -2, -2, 32, -2, -2, -2, -2}},
    {FilterKind::pil_smooth, 3, 13, 0, {1, 1, 1, 1, 5, 1, 1, 1, 1}},
    {FilterKind::pil_smooth_more, 5, 100, 0, {1, 1, 1, 1, 1, 1, 5, 5, 5, 1, 1, 5, 44,
                                              5, 1, 1, 5, 5, 5, 1, 1, 1, 1, 1, 1}},
}};

template <typename T>
T clamp_truncate(float sum) {
  constexpr float top = float(std::numeric_limits<T>::max());
  return static_cast<T>(std::min(std::max(sum, 0.0f), top));  // <= 0: 0, >= top: top
}

// One output row's pixels after the frame: the sums start at offset + 0.5 and add Pillow's
// KERNEL1x3 / KERNEL1x5 sums of the kernel's rows bottom up, the same float operations in
// Pillow's order for each x, in a loop that vectorises. rows[0] is the bottom row, in floats.
// taps[0][x] * k[0] + taps[1][x] * k[1] + ..., left to right, written out in full by the fold.
template <std::size_t... J>
inline float line_sum(const float* const* taps, const float* k, int x, std::index_sequence<J...>) {
  return (... + (taps[J][x] * k[J]));
}

template <typename T, std::size_t... R>
PBLUR_VECTOR_CLONES void kernel_sums_of(const float* const* rows, const PilKernel& kernel,
                                        int channels, int count, T* out,
                                        std::index_sequence<R...> rows_index) {
  constexpr int n = int(sizeof...(R));
  // Each tap's row of inputs as its own pointer, which `out` cannot alias: the loop vectorises.
  const float* taps[n * n];
  for (int i = 0; i < n * n; ++i) taps[i] = rows[i / n] + (i % n) * channels;
  float k[n * n];
  for (int i = 0; i < n * n; ++i) k[i] = kernel.weights[i];
  const float offset = kernel.offset;
  // The sums go through a small int buffer: a loop that ends in bytes would take 32 pixels a
  // step, more taps than the vectoriser handles.
  constexpr int chunk = 256;
  std::int32_t clamped[chunk];
  for (int begin = 0; begin < count; begin += chunk) {
    const int end = std::min(count, begin + chunk);
    for (int x = begin; x < end; ++x) {
      float sum = offset;
      ((sum += line_sum(taps + R * n, k + R * n, x, rows_index)), ...);
      clamped[x - begin] = std::int32_t(clamp_truncate<T>(sum));
    }
    for (int x = begin; x < end; ++x) out[x] = T(clamped[x - begin]);
  }
}

template <typename T, int N>
void kernel_sums(const float* const* rows, const PilKernel& kernel, int channels, int count,
                 T* out) {
  kernel_sums_of<T>(rows, kernel, channels, count, out, std::make_index_sequence<N>());
}

template <typename T>
PBLUR_VECTOR_CLONES void to_float(const T* in, int count, float* out) {
  for (int x = 0; x < count; ++x) out[x] = float(in[x]);
}

// The window's last `size` rows in floats, each converted once however many output rows read it.
template <typename T>
class FloatRows {
 public:
  FloatRows(const cv::Mat& window, int size)
      : window_(window), width_(window.cols * window.channels()), size_(size) {
    storage_.resize(std::size_t(width_) * std::size_t(size));
    held_.assign(std::size_t(size), -1);
  }
  const float* row(int y) {
    const std::size_t slot = std::size_t(y % size_);
    float* target = storage_.data() + slot * std::size_t(width_);
    if (held_[slot] != y) to_float<T>(window_.ptr<T>(y), width_, target);
    held_[slot] = y;
    return target;
  }

 private:
  const cv::Mat& window_;
  int width_;
  int size_;
  std::vector<float> storage_;
  std::vector<int> held_;
};

template <typename T, int N>
void kernel_row(FloatRows<T>& floats, const cv::Mat& window, int row, const PilKernel& kernel,
                T* out) {
  constexpr int half = N / 2;
  const int channels = window.channels();
  const int width = window.cols * channels;
  const int frame = half * channels;
  std::memcpy(out, window.ptr<T>(row), sizeof(T) * std::size_t(frame));
  std::memcpy(out + width - frame, window.ptr<T>(row) + width - frame,
              sizeof(T) * std::size_t(frame));
  const float* rows[N];
  for (int r = 0; r < N; ++r) rows[r] = floats.row(row + half - r);
  kernel_sums<T, N>(rows, kernel, channels, width - 2 * frame, out + frame);
}

template <typename T>
void kernel_rows(const PilKernel& kernel, const cv::Mat& window, int top, int image_rows, int first,
                 int last, cv::Mat& out) {
  const int half = kernel.size / 2;
  const bool too_small = window.cols < kernel.size || image_rows < kernel.size;
  FloatRows<T> floats(window, kernel.size);
  for (int y = first; y < last; ++y) {
    T* target = out.ptr<T>(y - first);
    if (too_small || y < half || y >= image_rows - half) {
      std::memcpy(target, window.ptr<T>(y - top), window.cols * window.elemSize());
    } else if (kernel.size == 3) {
      kernel_row<T, 3>(floats, window, y - top, kernel, target);
    } else {
      kernel_row<T, 5>(floats, window, y - top, kernel, target);
    }
  }
}

}  // namespace

PilKernel pil_kernel_of(const FilterSpec& spec) {
  PilKernel kernel;
  float scale = spec.scale;
  float offset = spec.offset;
  if (spec.kind == FilterKind::pil_kernel) {
    kernel.size = spec.size;
    for (int i = 0; i < spec.size * spec.size; ++i) kernel.weights[i] = spec.kernel[std::size_t(i)];
  } else {
    for (const BuiltinKernel& builtin : kBuiltins) {
      if (builtin.kind != spec.kind) continue;
      kernel.size = builtin.size;
      scale = float(builtin.scale);
      offset = float(builtin.offset);
      for (int i = 0; i < builtin.size * builtin.size; ++i)
        kernel.weights[i] = float(builtin.weights[std::size_t(i)]);
    }
  }
  for (float& weight : kernel.weights) weight /= scale;
  kernel.offset = float(double(offset) + 0.5);  // Pillow's `offset += 0.5`, for rounding
  return kernel;
}

void pil_kernel_rows(const FilterSpec& spec, const cv::Mat& window, int top, int image_rows,
                     int first, int last, cv::Mat& out) {
  CV_Assert(window.depth() == CV_8U || window.depth() == CV_16U);
  CV_Assert(out.rows == last - first && out.cols == window.cols && out.type() == window.type());
  const PilKernel kernel = pil_kernel_of(spec);
  if (window.depth() == CV_8U) {
    kernel_rows<uchar>(kernel, window, top, image_rows, first, last, out);
  } else {
    kernel_rows<ushort>(kernel, window, top, image_rows, first, last, out);
  }
}

}  // namespace pblur
