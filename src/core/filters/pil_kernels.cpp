#include "core/filters/pil_kernels.h"

#include <array>
#include <cstring>
#include <limits>

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
  if (sum <= 0.0f) return 0;
  if (sum >= top) return T(std::numeric_limits<T>::max());
  return static_cast<T>(sum);
}

// One output row: Pillow's KERNEL1x3 / KERNEL1x5 sums, in Pillow's order.
template <typename T, int N>
void kernel_row(const cv::Mat& window, int row, int channels, const PilKernel& kernel, T* out) {
  constexpr int half = N / 2;
  const int width = window.cols * channels;
  const int frame = half * channels;
  const T* rows[N];
  for (int r = 0; r < N; ++r) rows[r] = window.ptr<T>(row + half - r);  // bottom row first
  const float start = kernel.offset;
  std::memcpy(out, rows[half], sizeof(T) * std::size_t(frame));
  std::memcpy(out + width - frame, rows[half] + width - frame, sizeof(T) * std::size_t(frame));
  for (int x = frame; x < width - frame; ++x) {
    float sum = start;
    for (int r = 0; r < N; ++r) {
      const T* in = rows[r] + x - frame;
      const float* k = kernel.weights + r * N;
      float line = float(in[0]) * k[0];
      for (int j = 1; j < N; ++j) line += float(in[j * channels]) * k[j];
      sum += line;
    }
    out[x] = clamp_truncate<T>(sum);
  }
}

template <typename T>
void kernel_rows(const PilKernel& kernel, const cv::Mat& window, int top, int image_rows, int first,
                 int last, cv::Mat& out) {
  const int half = kernel.size / 2;
  const bool too_small = window.cols < kernel.size || image_rows < kernel.size;
  for (int y = first; y < last; ++y) {
    T* target = out.ptr<T>(y - first);
    if (too_small || y < half || y >= image_rows - half) {
      std::memcpy(target, window.ptr<T>(y - top), window.cols * window.elemSize());
    } else if (kernel.size == 3) {
      kernel_row<T, 3>(window, y - top, window.channels(), kernel, target);
    } else {
      kernel_row<T, 5>(window, y - top, window.channels(), kernel, target);
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
