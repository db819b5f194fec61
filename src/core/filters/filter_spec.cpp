#include "core/filters/filter_spec.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <sstream>
#include <string>
#include <utility>

#include <opencv2/core.hpp>

#include "core/base/errors.h"
#include "core/filters/pil_box_blur.h"

namespace pblur {
namespace {

constexpr auto kFilterNames = enum_names<FilterKind>({
    {FilterKind::gaussian, "gaussian"},
    {FilterKind::box, "box"},
    {FilterKind::median, "median"},
    {FilterKind::pil_blur, "pil-blur"},
    {FilterKind::pil_contour, "pil-contour"},
    {FilterKind::pil_detail, "pil-detail"},
    {FilterKind::pil_edge_enhance, "pil-edge-enhance"},
    {FilterKind::pil_edge_enhance_more, "pil-edge-enhance-more"},
    {FilterKind::pil_emboss, "pil-emboss"},
    {FilterKind::pil_find_edges, "pil-find-edges"},
    {FilterKind::pil_sharpen, "pil-sharpen"},
    {FilterKind::pil_smooth, "pil-smooth"},
    {FilterKind::pil_smooth_more, "pil-smooth-more"},
    {FilterKind::pil_kernel, "pil-kernel"},
    {FilterKind::pil_median, "pil-median"},
    {FilterKind::pil_min, "pil-min"},
    {FilterKind::pil_max, "pil-max"},
    {FilterKind::pil_rank, "pil-rank"},
    {FilterKind::pil_mode, "pil-mode"},
    {FilterKind::pil_gaussian, "pil-gaussian"},
    {FilterKind::pil_box, "pil-box"},
    {FilterKind::pil_unsharp, "pil-unsharp"},
    {FilterKind::unsharp, "unsharp"},
    {FilterKind::bilateral, "bilateral"},
    {FilterKind::kernel, "kernel"},
    {FilterKind::erode, "erode"},
    {FilterKind::dilate, "dilate"},
    {FilterKind::open, "open"},
    {FilterKind::close, "close"},
    {FilterKind::gradient, "gradient"},
    {FilterKind::tophat, "tophat"},
    {FilterKind::blackhat, "blackhat"},
    {FilterKind::sobel, "sobel"},
    {FilterKind::scharr, "scharr"},
    {FilterKind::laplacian, "laplacian"},
    {FilterKind::min, "min"},
    {FilterKind::max, "max"},
});

constexpr std::array<std::string_view, kFilterNames.size()> kFilterNameList = [] {
  std::array<std::string_view, kFilterNames.size()> names{};
  std::size_t i = 0;
  for (const auto& entry : kFilterNames) names[i++] = entry.name;
  return names;
}();

constexpr auto kShapeNames = enum_names<MorphShape>({
    {MorphShape::rect, "rect"},
    {MorphShape::ellipse, "ellipse"},
    {MorphShape::cross, "cross"},
});

// cv::GaussianBlur's own rule for a kernel size derived from sigma.
int gaussian_kernel_size_from_sigma(double sigma, int depth) {
  const double sigmas_per_side = depth == CV_8U ? 3.0 : 4.0;
  return cvRound(sigma * sigmas_per_side * 2 + 1) | 1;
}

// `value` as a person would write it: "2.5", "5000", "nan".
std::string number_text(double value) {
  std::ostringstream text;
  text << value;
  return text.str();
}

void validate_gaussian(const FilterSpec& spec) {
  if (!(spec.sigma >= 0) || spec.sigma > kMaxSigma) {
    throw UsageError("gaussian sigma must be between 0 and " + std::to_string(int(kMaxSigma)) +
                     ", got " + number_text(spec.sigma));
  }
  if (spec.ksize != 0 && spec.ksize % 2 == 0) {
    throw UsageError("gaussian ksize must be odd, got " + std::to_string(spec.ksize));
  }
  if (spec.sigma == 0 && spec.ksize == 0) {
    throw UsageError("gaussian needs sigma above 0 or an odd ksize, got sigma 0 and ksize 0");
  }
}

void validate_median(const FilterSpec& spec) {
  const int ksize = spec.ksize == 0 ? kDefaultKernelSize : spec.ksize;
  if (ksize < 3 || ksize % 2 == 0) {
    throw UsageError("median ksize must be odd and at least 3, got " + std::to_string(ksize));
  }
}

void validate_pil(const FilterSpec& spec) {
  const std::string name(filter_kind_name(spec.kind));
  if (spec.kind == FilterKind::pil_kernel) {
    if (spec.size != 3 && spec.size != 5)
      throw UsageError(name + " size must be 3 or 5, got " + std::to_string(spec.size));
    if (spec.kernel_count != spec.size * spec.size)
      throw UsageError(name + " size " + std::to_string(spec.size) + " needs " +
                       std::to_string(spec.size * spec.size) + " kernel coefficients, got " +
                       std::to_string(spec.kernel_count));
    if (spec.scale == 0.0f || !std::isfinite(spec.scale))
      throw UsageError(name + " scale must not be 0 (the kernel's sum, when scale is not given)");
    return;
  }
  if (spec.size < 1 || spec.size > kMaxKernelSize)
    throw UsageError(name + " size must be between 1 and " + std::to_string(kMaxKernelSize));
  if (spec.kind != FilterKind::pil_mode && spec.size % 2 == 0)
    throw UsageError(name + " size must be odd, got " + std::to_string(spec.size));
  if (spec.kind == FilterKind::pil_rank && (spec.rank < 0 || spec.rank >= spec.size * spec.size))
    throw UsageError(name + " rank must be between 0 and " +
                     std::to_string(spec.size * spec.size - 1) + " for size " +
                     std::to_string(spec.size) + ", got " + std::to_string(spec.rank));
}

void validate_derivative(const FilterSpec& spec) {
  const std::string name(filter_kind_name(spec.kind));
  if (spec.ksize != 0 && (spec.ksize % 2 == 0 || spec.ksize > 7))
    throw UsageError(name + " ksize must be 1, 3, 5 or 7, got " + std::to_string(spec.ksize));
}

void validate_kernel(const FilterSpec& spec) {
  const int rows = spec.kernel_cols == 0 ? 0 : spec.kernel_count / spec.kernel_cols;
  if (spec.kernel_count == 0) throw UsageError("kernel needs file=PATH");
  if (spec.anchor_x >= spec.kernel_cols || spec.anchor_y >= rows)
    throw UsageError("kernel anchor " + std::to_string(spec.anchor_x) + " " +
                     std::to_string(spec.anchor_y) + " lies outside the " +
                     std::to_string(spec.kernel_cols) + "x" + std::to_string(rows) + " kernel");
}

// Rows above and below that a morphology filter reads: each erosion or dilation reads size / 2.
int morphology_reach(const FilterSpec& spec) {
  const bool twice = spec.kind == FilterKind::open || spec.kind == FilterKind::close ||
                     spec.kind == FilterKind::tophat || spec.kind == FilterKind::blackhat;
  return (twice ? 2 : 1) * spec.iterations * (spec.size / 2);
}

int kernel_reach(const FilterSpec& spec) {
  const int rows = spec.kernel_count / std::max(1, spec.kernel_cols);
  const int anchor = spec.anchor_y < 0 ? rows / 2 : spec.anchor_y;
  return std::max(anchor, rows - 1 - anchor);
}

int bilateral_reach(const FilterSpec& spec) {
  return std::max(spec.diameter / 2, 1);  // cv::bilateralFilter's radius for d > 0
}

bool is_pil_builtin(FilterKind kind) {
  return kind >= FilterKind::pil_blur && kind <= FilterKind::pil_smooth_more;
}

bool is_pil_sized(FilterKind kind) {
  return kind >= FilterKind::pil_kernel && kind <= FilterKind::pil_mode;
}

bool is_pil_box_blur(FilterKind kind) {
  return kind >= FilterKind::pil_gaussian && kind <= FilterKind::pil_unsharp;
}

void describe_opencv_keys(const FilterSpec& spec, int depth, std::ostream& text) {
  if (spec.kind == FilterKind::unsharp)
    text << " sigma=" << spec.sigma << " amount=" << spec.amount << " threshold=" << spec.threshold;
  if (spec.kind == FilterKind::bilateral)
    text << " d=" << spec.diameter << " sigma_color=" << spec.sigma_color
         << " sigma_space=" << spec.sigma_space;
  if (spec.kind == FilterKind::kernel)
    text << " matrix=" << spec.kernel_cols << "x" << spec.kernel_count / spec.kernel_cols
         << " anchor=" << spec.anchor_x << "," << spec.anchor_y << " scale=" << spec.scale
         << " delta=" << spec.offset;
  if (is_morphology(spec.kind))
    text << " size=" << spec.size << " shape=" << morph_shape_name(spec.shape)
         << " iterations=" << spec.iterations;
  if (spec.kind == FilterKind::min || spec.kind == FilterKind::max) text << " size=" << spec.size;
  if (is_derivative(spec.kind)) {
    if (spec.kind != FilterKind::scharr) text << " ksize=" << effective_kernel_size(spec, depth);
    text << " scale=" << spec.scale;
  }
  if (is_derivative(spec.kind) || spec.kind == FilterKind::kernel)
    text << " border=" << border_mode_name(spec.border);
}

}  // namespace

FilterChain::FilterChain(const FilterSpec& single) {
  steps_[0] = single;
}

void FilterChain::append(const FilterSpec& next) {
  if (length_ == kMaxChainLength)
    throw UsageError("a chain holds at most " + std::to_string(kMaxChainLength) + " filters");
  steps_[std::size_t(length_++)] = next;
}

std::optional<FilterKind> parse_filter_kind(std::string_view name) {
  return kFilterNames.from_name(name);
}

std::optional<BorderMode> parse_border_mode(std::string_view name) {
  return kBorderModeNames.from_name(name);
}

std::optional<MorphShape> parse_morph_shape(std::string_view name) {
  return kShapeNames.from_name(name);
}

std::string_view morph_shape_name(MorphShape shape) {
  return kShapeNames.to_name(shape);
}

bool is_morphology(FilterKind kind) {
  return kind >= FilterKind::erode && kind <= FilterKind::blackhat;
}

bool is_derivative(FilterKind kind) {
  return kind >= FilterKind::sobel && kind <= FilterKind::laplacian;
}

std::string_view filter_kind_name(FilterKind kind) {
  return kFilterNames.to_name(kind);
}

std::span<const std::string_view> filter_kind_names() {
  return kFilterNameList;
}

std::string_view border_mode_name(BorderMode mode) {
  return kBorderModeNames.to_name(mode);
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
    case FilterKind::pil_smooth_more:
      return 5;
    case FilterKind::pil_kernel:
    case FilterKind::pil_median:
    case FilterKind::pil_min:
    case FilterKind::pil_max:
    case FilterKind::pil_rank:
    case FilterKind::pil_mode:
    case FilterKind::min:
    case FilterKind::max:
      return spec.size;
    case FilterKind::unsharp:
      return gaussian_kernel_size_from_sigma(spec.sigma, depth);
    case FilterKind::sobel:
      return spec.ksize > 0 ? spec.ksize : 3;
    case FilterKind::laplacian:
      return spec.ksize > 0 ? spec.ksize : 1;
    default:
      return 3;
  }
}

int filter_radius(const FilterSpec& spec, int depth) {
  switch (spec.kind) {
    case FilterKind::pil_gaussian:
    case FilterKind::pil_unsharp:
      return pil_box_blur_reach(pil_gaussian_box_radius(spec.radius, kPilGaussianPasses),
                                kPilGaussianPasses);
    case FilterKind::pil_box:
      return pil_box_blur_reach(spec.radius, 1);
    case FilterKind::bilateral:
      return bilateral_reach(spec);
    case FilterKind::kernel:
      return kernel_reach(spec);
    case FilterKind::sobel:
    case FilterKind::laplacian:
      return std::max(1, effective_kernel_size(spec, depth) / 2);  // ksize 1: 3 taps
    default:
      if (is_morphology(spec.kind)) return morphology_reach(spec);
      return effective_kernel_size(spec, depth) / 2;
  }
}

int filter_radius(const FilterChain& chain, int depth) {
  int radius = 0;
  for (const FilterSpec& spec : chain.filters()) radius += filter_radius(spec, depth);
  return radius;
}

void validate(const FilterSpec& spec, int depth) {
  if (spec.ksize < 0 || spec.ksize > kMaxKernelSize) {
    throw UsageError(std::string(filter_kind_name(spec.kind)) + " ksize must be between 1 and " +
                     std::to_string(kMaxKernelSize) + ", got " + std::to_string(spec.ksize));
  }
  if (spec.kind == FilterKind::gaussian) validate_gaussian(spec);
  if (spec.kind == FilterKind::median) validate_median(spec);
  if (is_pil_sized(spec.kind)) validate_pil(spec);
  if (is_pil_box_blur(spec.kind) && !(spec.radius >= 0 && spec.radius <= kMaxPilRadius))
    throw UsageError(std::string(filter_kind_name(spec.kind)) + " radius must be between 0 and " +
                     std::to_string(int(kMaxPilRadius)));
  if (is_derivative(spec.kind)) validate_derivative(spec);
  if (spec.kind == FilterKind::kernel) validate_kernel(spec);
  if (spec.kind == FilterKind::unsharp && !(spec.sigma > 0))
    throw UsageError("unsharp sigma must be above 0");
  if (spec.kind == FilterKind::bilateral && depth != -1 && depth != CV_8U)
    throw UsageError(
        "bilateral filters 8-bit images only (OpenCV's 16-bit bilateral depends on "
        "the whole image's range, so strips could not be exact)");
  if (depth != -1 && depth != CV_8U && depth != CV_16U) {
    throw UsageError("pblur filters 8-bit and 16-bit images only");
  }
}

void validate(const FilterChain& chain, int depth) {
  for (const FilterSpec& spec : chain.filters()) validate(spec, depth);
}

std::string describe_filter(const FilterChain& chain, int depth) {
  std::ostringstream text;
  for (const FilterSpec& spec : chain.filters()) {
    if (&spec != chain.filters().data()) text << " | ";
    text << filter_kind_name(spec.kind);
    if (is_pil_builtin(spec.kind)) continue;
    if (spec.kind == FilterKind::gaussian) text << " sigma=" << spec.sigma;
    if (spec.kind <= FilterKind::median) text << " ksize=" << effective_kernel_size(spec, depth);
    if (spec.kind <= FilterKind::box) text << " border=" << border_mode_name(spec.border);
    if (is_pil_sized(spec.kind)) text << " size=" << spec.size;
    if (is_pil_box_blur(spec.kind)) text << " radius=" << spec.radius;
    if (spec.kind == FilterKind::pil_unsharp)
      text << " percent=" << spec.percent << " threshold=" << spec.threshold;
    describe_opencv_keys(spec, depth, text);
    if (spec.kind == FilterKind::pil_rank) text << " rank=" << spec.rank;
    if (spec.kind == FilterKind::pil_kernel)
      text << " scale=" << spec.scale << " offset=" << spec.offset;
  }
  return text.str();
}

}  // namespace pblur
