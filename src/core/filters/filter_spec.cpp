#include "core/filters/filter_spec.h"

#include <array>
#include <cmath>
#include <string>
#include <utility>

#include <opencv2/core.hpp>

#include "core/base/errors.h"

namespace pblur {
namespace {

constexpr std::array<std::pair<std::string_view, FilterKind>, 4> kFilterNames{{
    {"gaussian", FilterKind::gaussian},
    {"box", FilterKind::box},
    {"median", FilterKind::median},
    {"pil-blur", FilterKind::pil_blur},
}};

constexpr std::array<std::pair<std::string_view, BorderMode>, 4> kBorderNames{{
    {"reflect101", BorderMode::reflect101},
    {"replicate", BorderMode::replicate},
    {"reflect", BorderMode::reflect},
    {"constant", BorderMode::constant},
}};

// cv::GaussianBlur's own rule for a kernel size derived from sigma.
int gaussian_kernel_size_from_sigma(double sigma, int depth) {
  const double sigmas_per_side = depth == CV_8U ? 3.0 : 4.0;
  return cvRound(sigma * sigmas_per_side * 2 + 1) | 1;
}

void validate_gaussian(const FilterSpec& spec) {
  if (!(spec.sigma >= 0) || spec.sigma > kMaxSigma) {
    throw UsageError("--sigma must be between 0 and " + std::to_string(int(kMaxSigma)));
  }
  if (spec.ksize != 0 && spec.ksize % 2 == 0) {
    throw UsageError("gaussian --ksize must be odd, got " + std::to_string(spec.ksize));
  }
  if (spec.sigma == 0 && spec.ksize == 0) {
    throw UsageError("gaussian needs --sigma above 0 or an odd --ksize");
  }
}

void validate_median(const FilterSpec& spec, int depth) {
  const int ksize = spec.ksize == 0 ? kDefaultKernelSize : spec.ksize;
  if (ksize < 3 || ksize % 2 == 0) {
    throw UsageError("median --ksize must be odd and at least 3, got " + std::to_string(ksize));
  }
  if (depth == CV_16U && ksize > 5) {
    throw UsageError("median on 16-bit images takes --ksize 3 or 5 only (OpenCV's limit), got " +
                     std::to_string(ksize));
  }
}

}  // namespace

std::optional<FilterKind> parse_filter_kind(std::string_view name) {
  for (const auto& [text, kind] : kFilterNames) {
    if (text == name) return kind;
  }
  return std::nullopt;
}

std::optional<BorderMode> parse_border_mode(std::string_view name) {
  for (const auto& [text, mode] : kBorderNames) {
    if (text == name) return mode;
  }
  return std::nullopt;
}

std::string_view filter_kind_name(FilterKind kind) {
  for (const auto& [text, k] : kFilterNames) {
    if (k == kind) return text;
  }
  return "?";
}

std::string_view border_mode_name(BorderMode mode) {
  for (const auto& [text, m] : kBorderNames) {
    if (m == mode) return text;
  }
  return "?";
}

int opencv_border(BorderMode mode) {
  switch (mode) {
    case BorderMode::reflect101:
      return cv::BORDER_REFLECT_101;
    case BorderMode::replicate:
      return cv::BORDER_REPLICATE;
    case BorderMode::reflect:
      return cv::BORDER_REFLECT;
    case BorderMode::constant:
      return cv::BORDER_CONSTANT;
  }
  return cv::BORDER_REFLECT_101;
}

int effective_kernel_size(const FilterSpec& spec, int depth) {
  switch (spec.kind) {
    case FilterKind::gaussian:
      return spec.ksize > 0 ? spec.ksize : gaussian_kernel_size_from_sigma(spec.sigma, depth);
    case FilterKind::box:
    case FilterKind::median:
      return spec.ksize > 0 ? spec.ksize : kDefaultKernelSize;
    case FilterKind::pil_blur:
      return 5;
  }
  return 1;
}

int filter_radius(const FilterSpec& spec, int depth) {
  return effective_kernel_size(spec, depth) / 2;
}

void validate(const FilterSpec& spec, int depth) {
  if (spec.ksize < 0 || spec.ksize > kMaxKernelSize) {
    throw UsageError("--ksize must be between 1 and " + std::to_string(kMaxKernelSize));
  }
  switch (spec.kind) {
    case FilterKind::gaussian:
      validate_gaussian(spec);
      break;
    case FilterKind::median:
      validate_median(spec, depth);
      break;
    case FilterKind::box:
    case FilterKind::pil_blur:
      break;
  }
  if (depth != -1 && depth != CV_8U && depth != CV_16U) {
    throw UsageError("pblur filters 8-bit and 16-bit images only");
  }
}

}  // namespace pblur
