#include "core/filters/pil_box_blur.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <type_traits>
#include <vector>

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

// One horizontal pass over one channel of one row: `stride` apart, `length` values.
template <typename T>
void line_pass(const T* in, T* out, int length, int stride, const BoxWeights& w) {
  using Acc = Accumulator<T>;
  const int last = length - 1, r = w.radius;
  const auto at = [&](int i) { return Acc(in[std::clamp(i, 0, last) * stride]); };
  Acc acc = sum_before_first<T>(at, r, last);
  const int inner_first = r + 1, inner_end = length - r - 1;
  int x = 0;
  const auto step = [&](Acc left, Acc add, Acc right) {
    acc = acc + add - left;
    out[x * stride] = rounded<T>(acc * w.whole + (left + right) * w.far);
  };
  for (; x < std::min(inner_first, length); ++x) step(at(x - r - 1), at(x + r), at(x + r + 1));
  for (; x < inner_end; ++x)
    step(Acc(in[(x - r - 1) * stride]), Acc(in[(x + r) * stride]), Acc(in[(x + r + 1) * stride]));
  for (; x < length; ++x) step(at(x - r - 1), at(x + r), at(x + r + 1));
}

template <typename T>
void horizontal_pass(const cv::Mat& src, cv::Mat& dst, const BoxWeights& w) {
  const int channels = src.channels();
  for (int y = 0; y < src.rows; ++y) {
    for (int c = 0; c < channels; ++c)
      line_pass<T>(src.ptr<T>(y) + c, dst.ptr<T>(y) + c, src.cols, channels, w);
  }
}

// One vertical pass: the same sums down every column at once, a row at a time.
template <typename T>
void vertical_pass(const cv::Mat& src, cv::Mat& dst, const BoxWeights& w) {
  using Acc = Accumulator<T>;
  const int n = src.cols * src.channels(), last = src.rows - 1, r = w.radius;
  const auto row = [&](int y) { return src.ptr<T>(std::clamp(y, 0, last)); };
  std::vector<Acc> acc(std::size_t(n), 0);
  for (int i = 0; i < n; ++i) {
    acc[std::size_t(i)] =
        sum_before_first<T>([&](int y) { return Acc(src.ptr<T>(y)[i]); }, r, last);
  }
  for (int y = 0; y <= last; ++y) {
    const T* left = row(y - r - 1);
    const T* add = row(y + r);
    const T* right = row(y + r + 1);
    T* out = dst.ptr<T>(y);
    for (int i = 0; i < n; ++i) {
      Acc& a = acc[std::size_t(i)];
      a = a + add[i] - left[i];
      out[i] = rounded<T>(a * w.whole + (Acc(left[i]) + right[i]) * w.far);
    }
  }
}

template <typename T>
void box_passes(const cv::Mat& src, cv::Mat& dst, float radius, int passes) {
  const BoxWeights weights = box_weights(radius);
  cv::Mat a(src.size(), src.type()), b(src.size(), src.type());
  cv::Mat current = src;
  for (int i = 0; i < passes; ++i) {
    cv::Mat& target = i % 2 == 0 ? a : b;
    horizontal_pass<T>(current, target, weights);
    current = target;
  }
  for (int i = 0; i < passes; ++i) {
    cv::Mat& target = i % 2 == 0 ? b : a;
    vertical_pass<T>(current, target, weights);
    current = target;
  }
  current.copyTo(dst);
}

template <typename T>
T clip(long value) {
  constexpr long top = (1L << (8 * sizeof(T))) - 1;
  return static_cast<T>(std::clamp(value, 0L, top));
}

template <typename T>
void unsharp(const cv::Mat& src, const cv::Mat& blurred, int percent, int threshold, cv::Mat& dst) {
  const int n = src.cols * src.channels();
  for (int y = 0; y < src.rows; ++y) {
    const T* in = src.ptr<T>(y);
    const T* blur = blurred.ptr<T>(y);
    T* out = dst.ptr<T>(y);
    for (int i = 0; i < n; ++i) {
      const long diff = long(in[i]) - long(blur[i]);
      out[i] = std::labs(diff) > threshold ? clip<T>(in[i] + diff * percent / 100) : in[i];
    }
  }
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
