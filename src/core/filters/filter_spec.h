#pragma once

#include <array>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "core/base/enum_names.h"
#include "core/filters/pixel_mode.h"

namespace pblur {

enum class FilterKind : int {
  gaussian,
  box,
  median,
  pil_blur,
  pil_contour,
  pil_detail,
  pil_edge_enhance,
  pil_edge_enhance_more,
  pil_emboss,
  pil_find_edges,
  pil_sharpen,
  pil_smooth,
  pil_smooth_more,
  pil_kernel,
  pil_median,
  pil_min,
  pil_max,
  pil_rank,
  pil_mode,
  pil_gaussian,
  pil_box,
  pil_unsharp,
  unsharp,
  bilateral,
  kernel,
  erode,
  dilate,
  open,
  close,
  gradient,
  tophat,
  blackhat,
  sobel,
  scharr,
  laplacian,
  min,
  max,
};
enum class BorderMode : int { reflect101, replicate, reflect, constant };
inline constexpr auto kBorderModeNames = enum_names<BorderMode>({
    {BorderMode::reflect101, "reflect101"},
    {BorderMode::replicate, "replicate"},
    {BorderMode::reflect, "reflect"},
    {BorderMode::constant, "constant"},
});
enum class MorphShape : int { rect, ellipse, cross };

// pil-kernel's 25 and a kernel file's 7 x 7: cv::filter2D turns to a DFT, whose rounding depends
// on the image's size, at 50 coefficients, so a larger kernel could not filter strips exactly.
inline constexpr int kMaxKernelCoefficients = 49;
inline constexpr int kMaxKernelFileSide = 7;

// One filter and its parameters. Plain data: it travels to worker processes inside queue messages.
struct FilterSpec {
  FilterKind kind = FilterKind::gaussian;
  double sigma = 2.0;  // gaussian, unsharp
  int ksize = 0;  // 0: the filter's default (gaussian: from sigma; box, median: 5; sobel: 3; ...)
  BorderMode border = BorderMode::reflect101;
  int size = 3;         // pil-kernel (3 or 5), rank, mode and morphology filters: the window's side
  int rank = 0;         // pil-rank: 0 is the window's smallest value
  float scale = 1.0f;   // pil-kernel: the divisor (the kernel's sum when not given); kernel,
                        // sobel, scharr, laplacian: a factor
  float offset = 0.0f;  // pil-kernel: offset; kernel: delta
  int kernel_count = 0;
  int kernel_cols = 0;                                 // kernel: the matrix's width
  std::array<float, kMaxKernelCoefficients> kernel{};  // pil-kernel, kernel: row by row
  int anchor_x = -1;                                   // kernel: -1 is the centre
  int anchor_y = -1;
  float radius = 2.0f;   // pil-gaussian, pil-box, pil-unsharp: Pillow's radius (a C float there)
  int percent = 150;     // pil-unsharp
  double threshold = 0;  // pil-unsharp (an integer there), unsharp
  double amount = 1.0;   // unsharp
  int diameter = 9;      // bilateral
  double sigma_color = 75;
  double sigma_space = 75;
  MorphShape shape = MorphShape::rect;  // morphology
  int iterations = 1;
};

inline constexpr int kMaxChainLength = 8;

// Filters applied one after another, in one pass of the strips. Plain data, like FilterSpec.
class FilterChain {
 public:
  FilterChain() = default;                // the default filter alone
  FilterChain(const FilterSpec& single);  // NOLINT: one filter is a chain of one
  void append(const FilterSpec& next);    // throws UsageError past kMaxChainLength
  std::span<const FilterSpec> filters() const { return {steps_.data(), std::size_t(length_)}; }
  const FilterSpec& front() const { return steps_[0]; }
  void set_pixel_mode(const PixelMode& mode) { mode_ = mode; }
  const PixelMode& pixel_mode() const { return mode_; }

 private:
  std::array<FilterSpec, kMaxChainLength> steps_{};
  int length_ = 1;
  PixelMode mode_{};
};

inline constexpr int kDefaultKernelSize = 5;
inline constexpr double kMaxSigma = 500.0;
inline constexpr int kMaxKernelSize = 2001;
inline constexpr float kMaxPilRadius = 1000.0f;
inline constexpr int kMaxBilateralDiameter = 51;
inline constexpr int kMaxIterations = 100;

std::optional<FilterKind> parse_filter_kind(std::string_view name);
std::optional<BorderMode> parse_border_mode(std::string_view name);
std::optional<MorphShape> parse_morph_shape(std::string_view name);
std::string_view filter_kind_name(FilterKind kind);
std::string_view border_mode_name(BorderMode mode);
std::string_view morph_shape_name(MorphShape shape);
// Every filter name, in the order --help lists them.
std::span<const std::string_view> filter_kind_names();

// The OpenCV border constant for `mode`.
int opencv_border(BorderMode mode);

// The kinds in a family.
bool is_morphology(FilterKind kind);  // erode ... blackhat
bool is_derivative(FilterKind kind);  // sobel, scharr, laplacian

// Kernel side actually used for `spec` on an image of OpenCV depth `depth`.
int effective_kernel_size(const FilterSpec& spec, int depth);

// Rows above and below a strip that the filter reads: the strip's context.
int filter_radius(const FilterSpec& spec, int depth);
// The chain's: the sum of its filters' radii.
int filter_radius(const FilterChain& chain, int depth);

// Throws UsageError if `spec` cannot run on images of OpenCV depth `depth` (-1: any depth).
void validate(const FilterSpec& spec, int depth = -1);
void validate(const FilterChain& chain, int depth = -1);

// One line for reports: the filters and the parameters they use, "gaussian sigma=2 ksize=13 ...".
std::string describe_filter(const FilterChain& chain, int depth);

}  // namespace pblur
