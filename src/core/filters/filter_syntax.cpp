#include "core/filters/filter_syntax.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <optional>
#include <sstream>
#include <vector>

#include "core/filters/kernel_file.h"

namespace pblur {
namespace {

using namespace std::string_view_literals;
using Problem = FilterSyntaxError::Problem;

constexpr std::array kGaussianKeys{"sigma"sv, "ksize"sv, "border"sv};
constexpr std::array kBoxKeys{"ksize"sv, "border"sv};
constexpr std::array kMedianKeys{"ksize"sv};
constexpr std::array kPilKernelKeys{"size"sv, "kernel"sv, "scale"sv, "offset"sv};
constexpr std::array kPilRankKeys{"size"sv, "rank"sv};
constexpr std::array kPilSizeKeys{"size"sv};
constexpr std::array kPilRadiusKeys{"radius"sv};
constexpr std::array kPilUnsharpKeys{"radius"sv, "percent"sv, "threshold"sv};
constexpr std::array kUnsharpKeys{"sigma"sv, "amount"sv, "threshold"sv};
constexpr std::array kBilateralKeys{"d"sv, "sigma_color"sv, "sigma_space"sv};
constexpr std::array kKernelKeys{"file"sv, "anchor"sv, "scale"sv, "delta"sv, "border"sv};
constexpr std::array kMorphologyKeys{"size"sv, "shape"sv, "iterations"sv};
constexpr std::array kDerivativeKeys{"ksize"sv, "scale"sv, "border"sv};
constexpr std::array kScharrKeys{"scale"sv, "border"sv};
constexpr int kMaxPilKernelCoefficients = 25;

std::string_view trimmed(std::string_view text) {
  while (!text.empty() && text.front() == ' ') text.remove_prefix(1);
  while (!text.empty() && text.back() == ' ') text.remove_suffix(1);
  return text;
}

[[noreturn]] void bad_value(const FilterSpec& spec, std::string_view key, std::string_view value,
                            std::string expected) {
  throw FilterSyntaxError(Problem::bad_value, std::string(filter_kind_name(spec.kind)),
                          std::string(key), std::string(value), std::move(expected), "");
}

int integer_value(const FilterSpec& spec, std::string_view key, std::string_view value, int low,
                  int high) {
  int number = 0;
  const auto text = trimmed(value);
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), number);
  if (text.empty() || error != std::errc() || end != text.data() + text.size() || number < low ||
      number > high) {
    bad_value(spec, key, value,
              "an integer from " + std::to_string(low) + " to " + std::to_string(high));
  }
  return number;
}

std::optional<double> parse_real(std::string_view text) {
  const std::string copy(trimmed(text));
  if (copy.empty()) return std::nullopt;
  char* end = nullptr;
  const double number = std::strtod(copy.c_str(), &end);
  if (end != copy.c_str() + copy.size() || !std::isfinite(number)) return std::nullopt;
  return number;
}

double real_value(const FilterSpec& spec, std::string_view key, std::string_view value, double low,
                  double high) {
  const auto number = parse_real(value);
  if (!number || *number < low || *number > high) {
    std::ostringstream expected;
    expected << "a number from " << low << " to " << high;
    bad_value(spec, key, value, expected.str());
  }
  return *number;
}

void set_kernel(FilterSpec& spec, std::string_view value) {
  spec.kernel_count = 0;
  std::string_view rest = value;
  while (!(rest = trimmed(rest)).empty()) {
    const std::size_t space = std::min(rest.find(' '), rest.size());
    const auto number = parse_real(rest.substr(0, space));
    if (!number || spec.kernel_count == kMaxPilKernelCoefficients)
      bad_value(spec, "kernel", value, "9 or 25 numbers separated by spaces");
    spec.kernel[std::size_t(spec.kernel_count++)] = static_cast<float>(*number);
    rest.remove_prefix(space);
  }
  if (spec.kernel_count != 9 && spec.kernel_count != 25)
    bad_value(spec, "kernel", value, "9 or 25 numbers separated by spaces");
}

void set_kernel_file(FilterSpec& spec, std::string_view value) {
  const std::string path(trimmed(value));
  try {
    const KernelMatrix matrix = read_kernel_file(path, kMaxKernelFileSide);
    std::copy(matrix.values.begin(), matrix.values.end(), spec.kernel.begin());
    spec.kernel_count = int(matrix.values.size());
    spec.kernel_cols = matrix.cols;
  } catch (const KernelFileError& error) {
    bad_value(spec, "file", value,
              "a text file of rows of numbers, at most " + std::to_string(kMaxKernelFileSide) +
                  "x" + std::to_string(kMaxKernelFileSide) + " (" + error.what() + ")");
  }
}

// "X Y": the anchor's column and row in the kernel, or -1 -1 for its centre.
void set_anchor(FilterSpec& spec, std::string_view value) {
  const std::string text(trimmed(value));
  std::istringstream words(text);
  int x = 0, y = 0;
  std::string extra;
  if (!(words >> x >> y) || (words >> extra) || x < -1 || y < -1 || x >= kMaxKernelFileSide ||
      y >= kMaxKernelFileSide)
    bad_value(spec, "anchor", value, "two integers X Y from -1 (the centre) to 6");
  spec.anchor_x = x;
  spec.anchor_y = y;
}

void set_choice_key(FilterSpec& spec, std::string_view key, std::string_view value) {
  if (key == "border") {
    const auto mode = parse_border_mode(trimmed(value));
    if (!mode) bad_value(spec, key, value, "reflect101, replicate, reflect or constant");
    spec.border = *mode;
  }
  if (key == "shape") {
    const auto shape = parse_morph_shape(trimmed(value));
    if (!shape) bad_value(spec, key, value, "rect, ellipse or cross");
    spec.shape = *shape;
  }
}

// Pillow's Kernel: the scale defaults to the sum of the coefficients, summed in Python (double).
void settle_pil_kernel(FilterSpec& spec, bool size_given, bool scale_given) {
  if (spec.kernel_count == 0)
    throw FilterSyntaxError(Problem::missing_key, "pil-kernel", "kernel", "", "", "");
  if (!size_given) spec.size = spec.kernel_count == 25 ? 5 : 3;
  if (!scale_given) {
    double sum = 0;
    for (int i = 0; i < spec.kernel_count; ++i) sum += spec.kernel[std::size_t(i)];
    spec.scale = static_cast<float>(sum);
  }
}

int edit_distance(std::string_view a, std::string_view b) {
  std::vector<int> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = int(j);
  for (std::size_t i = 1; i <= a.size(); ++i) {
    int diagonal = row[0];
    row[0] = int(i);
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const int above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

}  // namespace

FilterSyntaxError::FilterSyntaxError(Problem problem_, std::string filter_, std::string key_,
                                     std::string value_, std::string expected_,
                                     std::string closest_)
    : UsageError("filter '" + filter_ + "': " +
                 (problem_ == Problem::unknown_filter ? std::string("unknown filter")
                  : problem_ == Problem::unknown_key  ? "unknown key '" + key_ + "'"
                  : problem_ == Problem::missing_key
                      ? "needs " + key_ + "="
                      : key_ + "=" + value_ + ": expected " + expected_)),
      problem(problem_),
      filter(std::move(filter_)),
      key(std::move(key_)),
      value(std::move(value_)),
      expected(std::move(expected_)),
      closest(std::move(closest_)) {}

std::span<const std::string_view> filter_keys(FilterKind kind) {
  switch (kind) {
    case FilterKind::gaussian:
      return kGaussianKeys;
    case FilterKind::box:
      return kBoxKeys;
    case FilterKind::median:
      return kMedianKeys;
    case FilterKind::pil_kernel:
      return kPilKernelKeys;
    case FilterKind::pil_rank:
      return kPilRankKeys;
    case FilterKind::pil_median:
    case FilterKind::pil_min:
    case FilterKind::pil_max:
    case FilterKind::pil_mode:
      return kPilSizeKeys;
    case FilterKind::pil_gaussian:
    case FilterKind::pil_box:
      return kPilRadiusKeys;
    case FilterKind::pil_unsharp:
      return kPilUnsharpKeys;
    case FilterKind::unsharp:
      return kUnsharpKeys;
    case FilterKind::bilateral:
      return kBilateralKeys;
    case FilterKind::kernel:
      return kKernelKeys;
    case FilterKind::sobel:
    case FilterKind::laplacian:
      return kDerivativeKeys;
    case FilterKind::scharr:
      return kScharrKeys;
    case FilterKind::min:
    case FilterKind::max:
      return kPilSizeKeys;
    default:
      return is_morphology(kind) ? std::span<const std::string_view>(kMorphologyKeys)
                                 : std::span<const std::string_view>();
  }
}

std::string closest_name(std::string_view given, std::span<const std::string_view> candidates) {
  std::string best;
  int best_distance = std::max(2, int(given.size()) / 3) + 1;
  for (const std::string_view candidate : candidates) {
    int distance = edit_distance(given, candidate);
    if (candidate.starts_with("pil-"))
      distance = std::min(distance, edit_distance(given, candidate.substr(4)) + 1);
    if (distance < best_distance) {
      best_distance = distance;
      best = candidate;
    }
  }
  return best;
}

void set_filter_key(FilterSpec& spec, std::string_view key, std::string_view value) {
  const auto keys = filter_keys(spec.kind);
  if (std::find(keys.begin(), keys.end(), key) == keys.end()) {
    throw FilterSyntaxError(Problem::unknown_key, std::string(filter_kind_name(spec.kind)),
                            std::string(key), "", "", closest_name(key, keys));
  }
  if (key == "sigma") spec.sigma = real_value(spec, key, value, 0, kMaxSigma);
  if (key == "ksize") spec.ksize = integer_value(spec, key, value, 1, kMaxKernelSize);
  if (key == "size") spec.size = integer_value(spec, key, value, 1, kMaxKernelSize);
  if (key == "rank")
    spec.rank = integer_value(spec, key, value, 0, kMaxKernelSize * kMaxKernelSize);
  if (key == "kernel") set_kernel(spec, value);
  if (key == "file") set_kernel_file(spec, value);
  if (key == "anchor") set_anchor(spec, value);
  if (key == "offset" || key == "delta")
    spec.offset = float(real_value(spec, key, value, -1e6, 1e6));
  if (key == "scale") {
    spec.scale = float(real_value(spec, key, value, -1e6, 1e6));
    if (spec.scale == 0.0f) bad_value(spec, key, value, "a number other than 0");
  }
  if (key == "radius") spec.radius = float(real_value(spec, key, value, 0, kMaxPilRadius));
  if (key == "percent") spec.percent = integer_value(spec, key, value, -10000, 10000);
  if (key == "threshold")
    spec.threshold = spec.kind == FilterKind::pil_unsharp
                         ? integer_value(spec, key, value, 0, 65535)
                         : real_value(spec, key, value, 0, 65535);
  if (key == "amount") spec.amount = real_value(spec, key, value, 0, 100);
  if (key == "d") spec.diameter = integer_value(spec, key, value, 1, kMaxBilateralDiameter);
  if (key == "sigma_color") spec.sigma_color = real_value(spec, key, value, 0.01, 10000);
  if (key == "sigma_space") spec.sigma_space = real_value(spec, key, value, 0.01, 10000);
  if (key == "iterations") spec.iterations = integer_value(spec, key, value, 1, kMaxIterations);
  set_choice_key(spec, key, value);
}

// The defaults that differ from FilterSpec's.
FilterSpec defaults_for(FilterKind kind) {
  FilterSpec spec;
  spec.kind = kind;
  if (kind == FilterKind::pil_unsharp) spec.threshold = 3;  // Pillow's UnsharpMask
  if (kind == FilterKind::unsharp) spec.sigma = 1;
  return spec;
}

FilterSpec parse_filter(std::string_view text) {
  const std::size_t colon = std::min(text.find(':'), text.size());
  const std::string_view name = text.substr(0, colon);
  const auto kind = parse_filter_kind(name);
  if (!kind) {
    throw FilterSyntaxError(Problem::unknown_filter, std::string(name), "", "", "",
                            closest_name(name, filter_kind_names()));
  }
  FilterSpec spec = defaults_for(*kind);
  bool size_given = false, scale_given = false, rank_given = false, radius_given = false;
  std::string_view rest = colon < text.size() ? text.substr(colon + 1) : std::string_view();
  while (!rest.empty()) {
    const std::size_t comma = std::min(rest.find(','), rest.size());
    const std::string_view pair = rest.substr(0, comma);
    const std::size_t equals = std::min(pair.find('='), pair.size());
    const std::string_view key = trimmed(pair.substr(0, equals));
    if (equals == pair.size()) bad_value(spec, key, "", "KEY=VALUE");
    set_filter_key(spec, key, pair.substr(equals + 1));
    size_given |= key == "size";
    scale_given |= key == "scale";
    rank_given |= key == "rank";
    radius_given |= key == "radius";
    rest = comma < rest.size() ? rest.substr(comma + 1) : std::string_view();
  }
  if (spec.kind == FilterKind::pil_kernel) settle_pil_kernel(spec, size_given, scale_given);
  if (spec.kind == FilterKind::pil_rank && !rank_given)
    throw FilterSyntaxError(Problem::missing_key, "pil-rank", "rank", "", "", "");
  if (spec.kind == FilterKind::pil_box && !radius_given)  // Pillow's BoxBlur has no default
    throw FilterSyntaxError(Problem::missing_key, "pil-box", "radius", "", "", "");
  if (spec.kind == FilterKind::kernel && spec.kernel_count == 0)
    throw FilterSyntaxError(Problem::missing_key, "kernel", "file", "", "", "");
  return spec;
}

}  // namespace pblur
