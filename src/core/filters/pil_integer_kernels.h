#pragma once

#include <cstdint>
#include <optional>

#include "core/filters/pil_kernels.h"

namespace pblur {

// A Pillow kernel whose float sums on 8-bit values are exact: its weights and offset (+ 0.5) are
// integers once multiplied by 2^shift, and no partial sum can leave int16. Pillow's clamped,
// truncated float sum is then clamp((offset + sum of value x weight) >> shift, 0, 255) in
// integers, whatever the order of the terms.
struct IntegerKernel {
  int size = 3;
  int shift = 0;
  std::int16_t offset = 0;
  std::int16_t weights[kMaxKernelCoefficients] = {};
};
std::optional<IntegerKernel> integer_kernel_of(const PilKernel& kernel);

// `count` output values from `rows`, the kernel's rows from the bottom one up (as PilKernel's
// weights run), each from the value under the kernel's left column; `channels` values a pixel.
void integer_kernel_row(const IntegerKernel& kernel, const std::uint8_t* const* rows, int channels,
                        int count, std::uint8_t* out);

}  // namespace pblur
