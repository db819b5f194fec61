#pragma once

#include <opencv2/core.hpp>

#include "core/filters/filter_spec.h"

namespace pblur {

// The filters that are one OpenCV call, or a few, on the whole image: unsharp, bilateral,
// kernel, the morphology family, sobel, scharr, laplacian, min and max. `dst` gets src's shape.
//   unsharp:   G = cv::GaussianBlur(src, sigma) at src's depth; where |src - G| >= threshold,
//              saturate(src + amount * (src - G)) (cv::addWeighted), elsewhere src.
//   bilateral: cv::bilateralFilter, 8-bit; on BGRA the colour channels, alpha kept.
//   sobel:     saturate(sqrt(dx^2 + dy^2)) of cv::Sobel's float derivatives, per channel;
//   scharr:    the same with cv::Scharr; laplacian: saturate(|cv::Laplacian|).
void apply_opencv_filter(const FilterSpec& spec, const cv::Mat& src, cv::Mat& dst);

// Whether apply_opencv_filter takes `kind`.
bool is_opencv_filter(FilterKind kind);

}  // namespace pblur
