#pragma once

#include <opencv2/core.hpp>

#include "core/filters/filter_spec.h"

namespace pblur {

// Pillow's 3x3 and 5x5 convolutions (ImageFilter.CONTOUR ... SMOOTH_MORE and Kernel) with
// Pillow's float arithmetic, term by term: the sums start at offset + 0.5, add the kernel's rows
// bottom up (Pillow flips the kernel), and are clamped and truncated. On 8-bit images, kernels
// whose float sums are exact run in integers instead (pil_integer_kernels.h), with equal results.
// The frame of size / 2 pixels is copied unchanged, and an image smaller than the kernel is copied
// whole. Every channel is filtered alike, alpha included. 16-bit images (Pillow refuses them) get
// the same arithmetic clamped to 65535. Writes image rows [first, last) into `out`; `window` holds
// the image's rows from `top` on, at least size / 2 rows beyond [first, last) where they exist; the
// image is `image_rows` high.
void pil_kernel_rows(const FilterSpec& spec, const cv::Mat& window, int top, int image_rows,
                     int first, int last, cv::Mat& out);

// The kernel of a built-in Pillow filter or of pil-kernel, divided by its scale as Pillow does.
struct PilKernel {
  int size = 3;
  float offset = 0;
  float weights[kMaxKernelCoefficients] = {};
};
PilKernel pil_kernel_of(const FilterSpec& spec);

}  // namespace pblur
