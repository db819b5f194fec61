#include "core/filters/pil_integer_kernels.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdlib>
#include <cstring>

#include "core/filters/vector_clones.h"

namespace pblur {
namespace {

constexpr int kLargestShift = 15;
constexpr int kLargestSum = 32767;
constexpr int kTop = 255;

// Sixteen 16-bit sums: one AVX2 register, two SSE2 ones in the baseline clone.
using Sums = std::int16_t __attribute__((vector_size(32)));
using Bytes = std::uint8_t __attribute__((vector_size(16)));
using SumBytes = std::uint8_t __attribute__((vector_size(32)));
constexpr int kLanes = int(sizeof(Sums) / sizeof(std::int16_t));

// `value` x 2^shift as an integer, if it is one that int16 holds.
std::optional<std::int16_t> scaled(float value, int shift) {
  const double exact = std::ldexp(double(value), shift);
  if (exact != std::trunc(exact) || std::abs(exact) > kLargestSum) return std::nullopt;
  return std::int16_t(exact);
}

std::optional<IntegerKernel> scaled_kernel(const PilKernel& kernel, int shift) {
  IntegerKernel exact;
  exact.size = kernel.size;
  exact.shift = shift;
  const std::optional<std::int16_t> offset = scaled(kernel.offset, shift);
  if (!offset) return std::nullopt;
  exact.offset = *offset;
  int largest = std::abs(int(*offset));
  for (int i = 0; i < kernel.size * kernel.size; ++i) {
    const std::optional<std::int16_t> weight = scaled(kernel.weights[i], shift);
    if (!weight) return std::nullopt;
    exact.weights[i] = *weight;
    largest += kTop * std::abs(int(*weight));
  }
  if (largest > kLargestSum) return std::nullopt;
  return exact;
}

// Every product and partial sum of `count` values 16 at a time, in int16 lanes; the tail one by
// one in ints, with the same result.
template <int N>
PBLUR_VECTOR_CLONES void integer_row(const IntegerKernel& kernel, const std::uint8_t* const* rows,
                                     int channels, int count, std::uint8_t* out) {
  // Locals that `out`, bytes, cannot alias: they stay in registers across the stores.
  const std::uint8_t* from[N];
  for (int r = 0; r < N; ++r) from[r] = rows[r];
  Sums weights[N * N];
  for (int i = 0; i < N * N; ++i) weights[i] = Sums{} + kernel.weights[i];
  const Sums offset = Sums{} + kernel.offset;
  const Sums zero = Sums{};
  const Sums top = Sums{} + std::int16_t(kTop);
  const int shift = kernel.shift;
  int x = 0;
  for (; x + kLanes <= count; x += kLanes) {
    Sums sum = offset;
    for (int r = 0; r < N; ++r) {
      for (int j = 0; j < N; ++j) {
        Bytes values;
        std::memcpy(&values, from[r] + x + j * channels, sizeof values);
        sum += __builtin_convertvector(values, Sums) * weights[r * N + j];
      }
    }
    sum >>= shift;
    sum = sum < zero ? zero : sum;
    sum = sum > top ? top : sum;
    const SumBytes bytes = std::bit_cast<SumBytes>(sum);
    const Bytes packed = __builtin_shufflevector(bytes, bytes, 0, 2, 4, 6, 8, 10, 12, 14, 16, 18,
                                                 20, 22, 24, 26, 28, 30);
    std::memcpy(out + x, &packed, sizeof packed);
  }
  for (; x < count; ++x) {
    int sum = kernel.offset;
    for (int i = 0; i < N * N; ++i) sum += from[i / N][x + i % N * channels] * kernel.weights[i];
    out[x] = std::uint8_t(std::clamp(sum >> shift, 0, kTop));
  }
}

}  // namespace

std::optional<IntegerKernel> integer_kernel_of(const PilKernel& kernel) {
  for (int shift = 0; shift <= kLargestShift; ++shift) {
    if (std::optional<IntegerKernel> exact = scaled_kernel(kernel, shift)) return exact;
  }
  return std::nullopt;
}

void integer_kernel_row(const IntegerKernel& kernel, const std::uint8_t* const* rows, int channels,
                        int count, std::uint8_t* out) {
  if (kernel.size == 3) {
    integer_row<3>(kernel, rows, channels, count, out);
  } else {
    integer_row<5>(kernel, rows, channels, count, out);
  }
}

}  // namespace pblur
