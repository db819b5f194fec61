#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace pblur {

enum class FilterKind : int { gaussian, box, median, pil_blur };
enum class BorderMode : int { reflect101, replicate, reflect, constant };

// What to do to every pixel. Plain data: it travels to worker processes inside queue messages.
struct FilterSpec {
  FilterKind kind = FilterKind::gaussian;
  double sigma = 2.0;
  int ksize = 0;  // 0: the filter's default (gaussian: from sigma; box, median: 5)
  BorderMode border = BorderMode::reflect101;
};

inline constexpr int kDefaultKernelSize = 5;
inline constexpr double kMaxSigma = 500.0;
inline constexpr int kMaxKernelSize = 2001;

std::optional<FilterKind> parse_filter_kind(std::string_view name);
std::optional<BorderMode> parse_border_mode(std::string_view name);
std::string_view filter_kind_name(FilterKind kind);
std::string_view border_mode_name(BorderMode mode);

// The OpenCV border constant for `mode`.
int opencv_border(BorderMode mode);

// Kernel side actually used for `spec` on an image of OpenCV depth `depth`.
int effective_kernel_size(const FilterSpec& spec, int depth);

// Rows above and below a strip that the filter reads: the strip's context.
int filter_radius(const FilterSpec& spec, int depth);

// Throws UsageError if `spec` cannot run on images of OpenCV depth `depth` (-1: any depth).
void validate(const FilterSpec& spec, int depth = -1);

}  // namespace pblur
