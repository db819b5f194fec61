#include "core/filters/pil_box_blur.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <type_traits>
#include <vector>

#include "core/filters/vector_clones.h"

namespace pblur {
namespace {

// Weights of one pass in 1/2^24ths: `whole` for each of the 2r + 1 pixels around, `far` for
// the two beyond them. Pillow's arithmetic: a float division truncated, then integers.
struct BoxWeights {
  int radius = 0;
  std::uint32_t whole = 0;
  std::uint32_t far = 0;
};

BoxWeights box_weights(float radius) {
  BoxWeights weights;
  weights.radius = static_cast<int>(radius);
  weights.whole = static_cast<std::uint32_t>(float(1u << 24) / (radius * 2 + 1));
  weights.far = ((1u << 24) - std::uint32_t(weights.radius * 2 + 1) * weights.whole) / 2;  // NOLINT
  return weights;
}

template <typename T>
using Accumulator = std::conditional_t<sizeof(T) == 1, std::uint32_t, std::uint64_t>;

template <typename T>
T rounded(Accumulator<T> bulk) {
  return static_cast<T>((bulk + (1u << 23)) >> 24);
}

// The sum of the 2r + 1 values around position -1, positions clamped to [0, last].
template <typename T, typename Value>
Accumulator<T> sum_before_first(const Value& at, int radius, int last) {
  Accumulator<T> sum = Accumulator<T>(at(0)) * Accumulator<T>(radius + 1);
  for (int i = 0; i <= std::min(radius - 1, last); ++i) sum += at(i);
  if (radius - 1 > last) sum += Accumulator<T>(at(last)) * Accumulator<T>(radius - 1 - last);
  return sum;
}

// The sums down every column, a row at a time. `left`, `add` and `right` are the rows that leave,
// enter and lie beyond the window; the loop vectorises.
template <typename T>
PBLUR_VECTOR_CLONES void slide_rows(const T* left, const T* add, const T* right, int count,
                                    const BoxWeights& w, Accumulator<T>* sums, T* out) {
  using Acc = Accumulator<T>;
  const Acc whole = w.whole, far = w.far;
  for (int i = 0; i < count; ++i) {
    const Acc sum = sums[i] + add[i] - left[i];
    sums[i] = sum;
    out[i] = rounded<T>(sum * whole + (Acc(left[i]) + right[i]) * far);
  }
}

// One vertical pass: the same sums down every column at once, a row at a time.
template <typename T>
void vertical_pass(const cv::Mat& src, cv::Mat& dst, const BoxWeights& w) {
  using Acc = Accumulator<T>;
  const int n = src.cols * src.channels(), last = src.rows - 1, r = w.radius;
  const auto row = [&](int y) { return src.ptr<T>(std::clamp(y, 0, last)); };
  thread_local std::vector<Acc> sums;
  sums.assign(std::size_t(n), 0);
  for (int i = 0; i < n; ++i) {
    sums[std::size_t(i)] =
        sum_before_first<T>([&](int y) { return Acc(src.ptr<T>(y)[i]); }, r, last);
  }
  for (int y = 0; y <= last; ++y)
    slide_rows<T>(row(y - r - 1), row(y + r), row(y + r + 1), n, w, sums.data(), dst.ptr<T>(y));
}

// `passes` vertical passes from `src` into `dst`, through `spare`.
template <typename T>
void vertical_passes(const cv::Mat& src, cv::Mat& dst, cv::Mat& spare, const BoxWeights& weights,
                     int passes) {
  dst.create(src.size(), src.type());
  spare.create(src.size(), src.type());
  cv::Mat current = src;
  for (int i = 0; i < passes; ++i) {
    cv::Mat& target = (passes - i) % 2 == 1 ? dst : spare;  // the last pass lands in dst
    vertical_pass<T>(current, target, weights);
    current = target;
  }
}

template <int Bytes>
struct Pixel {
  unsigned char bytes[Bytes];
};

// dst = src transposed, pixels of `Bytes` bytes: src's rows are read side by side, so that a band
// of a few rows transposes in one sweep of the cache.
template <int Bytes>
void transpose_pixels(const cv::Mat& src, cv::Mat& dst) {
  using P = Pixel<Bytes>;
  for (int x = 0; x < src.cols; ++x) {
    P* out = dst.ptr<P>(x);
    for (int y = 0; y < src.rows; ++y) out[y] = src.ptr<P>(y)[x];
  }
}

void transpose(const cv::Mat& src, cv::Mat& dst) {
  dst.create(src.cols, src.rows, src.type());
  switch (src.elemSize()) {
    case 1:
      return transpose_pixels<1>(src, dst);
    case 2:
      return transpose_pixels<2>(src, dst);
    case 3:
      return transpose_pixels<3>(src, dst);
    case 4:
      return transpose_pixels<4>(src, dst);
    case 6:
      return transpose_pixels<6>(src, dst);
    default:
      return transpose_pixels<8>(src, dst);
  }
}

// The horizontal passes run down the columns of the transposed image, as Pillow's do, a band of
// rows at a time: a band's passes stay in the cache.
template <typename T>
void horizontal_passes(const cv::Mat& src, cv::Mat& dst, const BoxWeights& weights, int passes) {
  constexpr int band = 32;
  dst.create(src.size(), src.type());
  thread_local cv::Mat transposed, across, spare, back;
  for (int y = 0; y < src.rows; y += band) {
    const int end = std::min(src.rows, y + band);
    transpose(src.rowRange(y, end), transposed);
    vertical_passes<T>(transposed, across, spare, weights, passes);
    transpose(across, back);
    back.copyTo(dst.rowRange(y, end));
  }
}

template <typename T>
void box_passes(const cv::Mat& src, cv::Mat& dst, float radius, int passes) {
  const BoxWeights weights = box_weights(radius);
  cv::Mat across, spare;
  horizontal_passes<T>(src, across, weights, passes);
  vertical_passes<T>(across, dst, spare, weights, passes);
}

template <typename T>
int clip(int value) {
  constexpr int top = (1 << (8 * sizeof(T))) - 1;
  return std::clamp(value, 0, top);
}

// In int, as Pillow's C: |diff * percent| stays below 65535 * 10000.
template <typename T>
PBLUR_VECTOR_CLONES void unsharp_row(const T* in, const T* blur, int count, int percent,
                                     int threshold, T* out) {
  for (int i = 0; i < count; ++i) {
    const int diff = int(in[i]) - int(blur[i]);
    out[i] = T(std::abs(diff) > threshold ? clip<T>(in[i] + diff * percent / 100) : in[i]);
  }
}

template <typename T>
void unsharp(const cv::Mat& src, const cv::Mat& blurred, int percent, int threshold, cv::Mat& dst) {
  const int n = src.cols * src.channels();
  for (int y = 0; y < src.rows; ++y)
    unsharp_row<T>(src.ptr<T>(y), blurred.ptr<T>(y), n, percent, threshold, dst.ptr<T>(y));
}

}  // namespace

void pil_box_blur(const cv::Mat& src, cv::Mat& dst, float radius, int passes) {
  CV_Assert(src.depth() == CV_8U || src.depth() == CV_16U);
  if (radius == 0.0f || src.empty()) {
    src.copyTo(dst);
  } else if (src.depth() == CV_8U) {
    box_passes<std::uint8_t>(src, dst, radius, passes);
  } else {
    box_passes<std::uint16_t>(src, dst, radius, passes);
  }
}

float pil_gaussian_box_radius(float radius, int passes) {
  // Gwosdek et al., "Theoretical foundations of Gaussian convolution by extended box
  // filtering", as Pillow computes it: floats, with sqrt and floor taken in double.
  const float sigma2 = radius * radius / float(passes);
  const float box_length = static_cast<float>(std::sqrt(12.0 * sigma2 + 1.0));
  const float whole = static_cast<float>(std::floor((box_length - 1.0) / 2.0));
  float fraction = (2 * whole + 1) * (whole * (whole + 1) - 3 * sigma2);
  fraction /= 6 * (sigma2 - (whole + 1) * (whole + 1));
  return whole + fraction;
}

void pil_gaussian_blur(const cv::Mat& src, cv::Mat& dst, float radius) {
  pil_box_blur(src, dst, pil_gaussian_box_radius(radius, kPilGaussianPasses), kPilGaussianPasses);
}

void pil_unsharp_mask(const cv::Mat& src, cv::Mat& dst, float radius, int percent, int threshold) {
  cv::Mat blurred;
  pil_gaussian_blur(src, blurred, radius);
  dst.create(src.size(), src.type());
  if (src.depth() == CV_8U) {
    unsharp<std::uint8_t>(src, blurred, percent, threshold, dst);
  } else {
    unsharp<std::uint16_t>(src, blurred, percent, threshold, dst);
  }
}

int pil_box_blur_reach(float radius, int passes) {
  return radius == 0.0f ? 0 : passes * (static_cast<int>(radius) + 1);
}

}  // namespace pblur
