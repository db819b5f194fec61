#pragma once

#include <span>
#include <string>
#include <string_view>

#include "core/base/errors.h"
#include "core/filters/filter_spec.h"

namespace pblur {

// A filter description that cannot be read. Carries the values; the command line words them.
class FilterSyntaxError : public UsageError {
 public:
  enum class Problem { unknown_filter, unknown_key, bad_value, missing_key };
  FilterSyntaxError(Problem problem, std::string filter, std::string key, std::string value,
                    std::string expected, std::string closest);

  Problem problem;
  std::string filter;    // the filter's name as given
  std::string key;       // unknown_key, bad_value, missing_key: the key
  std::string value;     // bad_value: the value as given
  std::string expected;  // bad_value: what the key takes, "an integer from 1 to 2001"
  std::string closest;   // unknown_filter, unknown_key: the closest valid name, or empty
};

// The defaults of `kind`'s keys: Pillow's for pil-*, OpenCV's for the rest.
FilterSpec defaults_for(FilterKind kind);

// The keys `kind` takes, in the order --help lists them.
std::span<const std::string_view> filter_keys(FilterKind kind);

// Reads "NAME[:KEY=VALUE[,KEY=VALUE...]]" into a filter with Pillow's or OpenCV's defaults for
// the keys not given. Throws FilterSyntaxError; validate() checks what one key cannot.
FilterSpec parse_filter(std::string_view text);

// Sets one key of `spec` from its text, as parse_filter does. Throws FilterSyntaxError.
void set_filter_key(FilterSpec& spec, std::string_view key, std::string_view value);

// The name in `candidates` nearest to `given` by edit distance, or empty when none is close.
std::string closest_name(std::string_view given, std::span<const std::string_view> candidates);

}  // namespace pblur
