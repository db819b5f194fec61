#include "core/filters/pil_kernels.h"

#include <algorithm>
#include <array>
#include <bit>
#include <cstdint>
#include <cstring>
#include <limits>
#include <optional>
#include <type_traits>
#include <utility>
#include <vector>

#include "core/filters/pil_integer_kernels.h"
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

// Eight floats: one AVX2 register, two SSE2 ones in the baseline clone.
using Floats = float __attribute__((vector_size(32)));
using Ints = std::int32_t __attribute__((vector_size(32)));
constexpr int kLanes = int(sizeof(Floats) / sizeof(float));

// Pillow's clip8 (and its 16-bit twin): <= 0 gives 0, >= top gives top, else truncated.
template <typename T>
T clamp_truncate(float sum) {
  constexpr float top = float(std::numeric_limits<T>::max());
  return T(std::min(std::max(sum, 0.0f), top));
}

template <typename T>
[[gnu::always_inline]] inline Ints clamp_truncate(Floats sum) {
  const Floats zero = Floats{} + 0.0f;
  const Floats top = Floats{} + float(std::numeric_limits<T>::max());
  sum = sum <= zero ? zero : sum;
  sum = sum >= top ? top : sum;
  return __builtin_convertvector(sum, Ints);
}

using Bytes = std::uint8_t __attribute__((vector_size(32)));
using HalfBytes = std::uint8_t __attribute__((vector_size(16)));
using Shorts = std::uint16_t __attribute__((vector_size(32)));

// Two vectors of values in the output's range, stored as 2 x kLanes values of it: the low byte
// or the low half of each.
[[gnu::always_inline]] inline void store(Ints low, Ints high, std::uint8_t* out) {
  const HalfBytes packed =
      __builtin_shufflevector(std::bit_cast<Bytes>(low), std::bit_cast<Bytes>(high), 0, 4, 8, 12,
                              16, 20, 24, 28, 32, 36, 40, 44, 48, 52, 56, 60);
  std::memcpy(out, &packed, sizeof packed);
}

[[gnu::always_inline]] inline void store(Ints low, Ints high, std::uint16_t* out) {
  const Shorts packed =
      __builtin_shufflevector(std::bit_cast<Shorts>(low), std::bit_cast<Shorts>(high), 0, 2, 4, 6,
                              8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30);
  std::memcpy(out, &packed, sizeof packed);
}

[[gnu::always_inline]] inline Floats load(const float* at) {
  Floats values;
  std::memcpy(&values, at, sizeof values);
  return values;
}

// The sums of 2 x kLanes values from x on, in two halves: offset + 0.5, then Pillow's KERNEL1x3 /
// KERNEL1x5 sum of each of the kernel's rows bottom up, each left to right: Pillow's float
// operations in its order. Both halves share each weight's load.
template <int N>
[[gnu::always_inline]] inline void kernel_sums(const float* const* rows, const Floats* weights,
                                               Floats offset, int channels, int x, Floats& low,
                                               Floats& high) {
  low = offset;
  high = offset;
  for (int r = 0; r < N; ++r) {
    const float* at = rows[r] + x;
    Floats line_low = load(at) * weights[r * N];
    Floats line_high = load(at + kLanes) * weights[r * N];
    for (int j = 1; j < N; ++j) {
      at += channels;
      line_low += load(at) * weights[r * N + j];
      line_high += load(at + kLanes) * weights[r * N + j];
    }
    low += line_low;
    high += line_high;
  }
}

// The same for one value.
template <int N>
float kernel_sum(const float* const* rows, const float* weights, float offset, int channels,
                 int x) {
  float sum = offset;
  for (int r = 0; r < N; ++r) {
    float line = rows[r][x] * weights[r * N];
    for (int j = 1; j < N; ++j) line += rows[r][x + j * channels] * weights[r * N + j];
    sum += line;
  }
  return sum;
}

// `count` output values, clamped and truncated, 2 x kLanes at a time. rows[0] is the kernel's
// bottom row in floats, from the value under its left column.
template <typename T, int N>
PBLUR_VECTOR_CLONES void row_sums(const float* const* rows, const PilKernel& kernel, int channels,
                                  int count, T* out) {
  // Locals that `out`, bytes maybe, cannot alias: they stay in registers across the stores.
  const float* from[N];
  for (int r = 0; r < N; ++r) from[r] = rows[r];
  Floats weights[N * N];
  for (int i = 0; i < N * N; ++i) weights[i] = Floats{} + kernel.weights[i];
  const Floats offset = Floats{} + kernel.offset;
  int x = 0;
  for (; x + 2 * kLanes <= count; x += 2 * kLanes) {
    Floats low;
    Floats high;
    kernel_sums<N>(from, weights, offset, channels, x, low, high);
    store(clamp_truncate<T>(low), clamp_truncate<T>(high), out + x);
  }
  for (; x < count; ++x) {
    out[x] = clamp_truncate<T>(kernel_sum<N>(from, kernel.weights, kernel.offset, channels, x));
  }
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
void float_row(FloatRows<T>& floats, int row, const PilKernel& kernel, int channels, int count,
               T* out) {
  const float* rows[N];
  for (int r = 0; r < N; ++r) rows[r] = floats.row(row + N / 2 - r);
  row_sums<T, N>(rows, kernel, channels, count, out);
}

void integer_row(const IntegerKernel& kernel, const cv::Mat& window, int row, int count,
                 std::uint8_t* out) {
  const std::uint8_t* rows[5];
  for (int r = 0; r < kernel.size; ++r)
    rows[r] = window.ptr<std::uint8_t>(row + kernel.size / 2 - r);
  integer_kernel_row(kernel, rows, window.channels(), count, out);
}

// One row inside the frame: in integers where they give Pillow's float result, else in floats.
template <typename T>
void inner_row(const PilKernel& kernel, const std::optional<IntegerKernel>& exact,
               FloatRows<T>& floats, const cv::Mat& window, int row, T* out) {
  const int channels = window.channels();
  const int frame = kernel.size / 2 * channels;
  const int count = window.cols * channels - 2 * frame;
  if constexpr (std::is_same_v<T, std::uint8_t>) {
    if (exact) return integer_row(*exact, window, row, count, out + frame);
  }
  if (kernel.size == 3) {
    float_row<T, 3>(floats, row, kernel, channels, count, out + frame);
  } else {
    float_row<T, 5>(floats, row, kernel, channels, count, out + frame);
  }
}

template <typename T>
void kernel_rows(const PilKernel& kernel, const cv::Mat& window, int top, int image_rows, int first,
                 int last, cv::Mat& out) {
  const int half = kernel.size / 2;
  const bool too_small = window.cols < kernel.size || image_rows < kernel.size;
  const std::optional<IntegerKernel> exact =
      sizeof(T) == 1 ? integer_kernel_of(kernel) : std::nullopt;
  FloatRows<T> floats(window, exact ? 0 : kernel.size);
  const std::size_t frame = std::size_t(half * window.channels());
  const std::size_t width = std::size_t(window.cols * window.channels());
  for (int y = first; y < last; ++y) {
    const T* in = window.ptr<T>(y - top);
    T* target = out.ptr<T>(y - first);
    if (too_small || y < half || y >= image_rows - half) {
      std::memcpy(target, in, sizeof(T) * width);
      continue;
    }
    std::memcpy(target, in, sizeof(T) * frame);
    std::memcpy(target + width - frame, in + width - frame, sizeof(T) * frame);
    inner_row<T>(kernel, exact, floats, window, y - top, target);
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
