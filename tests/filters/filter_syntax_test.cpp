// The --filter NAME:KEY=VALUE syntax: defaults, values and what it refuses, as values.
#include "core/filters/filter_syntax.h"

#include <gtest/gtest.h>

namespace pblur {
namespace {

using Problem = FilterSyntaxError::Problem;

FilterSyntaxError error_of(std::string_view text) {
  try {
    parse_filter(text);
  } catch (const FilterSyntaxError& error) {
    return error;
  }
  ADD_FAILURE() << text << " was accepted";
  return FilterSyntaxError(Problem::unknown_filter, "", "", "", "", "");
}

TEST(FilterSyntax, NameAloneGivesTheDefaults) {
  const FilterSpec gaussian = parse_filter("gaussian");
  EXPECT_EQ(gaussian.sigma, 2.0);
  EXPECT_EQ(gaussian.ksize, 0);
  EXPECT_EQ(parse_filter("pil-median").size, 3);
  EXPECT_EQ(parse_filter("pil-blur").kind, FilterKind::pil_blur);
}

TEST(FilterSyntax, ReadsEveryKey) {
  const FilterSpec box = parse_filter("box:ksize=7,border=replicate");
  EXPECT_EQ(box.ksize, 7);
  EXPECT_EQ(box.border, BorderMode::replicate);
  const FilterSpec rank = parse_filter("pil-rank:size=5,rank=24");
  EXPECT_EQ(rank.size, 5);
  EXPECT_EQ(rank.rank, 24);
  EXPECT_EQ(parse_filter("gaussian:sigma=3.5").sigma, 3.5);
}

TEST(FilterSyntax, KernelScaleDefaultsToTheSumAndSizeToTheCount) {
  const FilterSpec three = parse_filter("pil-kernel:kernel=1 2 1 2 4 2 1 2 1,offset=-3");
  EXPECT_EQ(three.size, 3);
  EXPECT_EQ(three.kernel_count, 9);
  EXPECT_EQ(three.scale, 16.0f);
  EXPECT_EQ(three.offset, -3.0f);
  const FilterSpec five =
      parse_filter("pil-kernel:kernel=1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1,scale=2");
  EXPECT_EQ(five.size, 5);
  EXPECT_EQ(five.scale, 2.0f);
}

TEST(FilterSyntax, PillowBlursTakePillowsDefaults) {
  EXPECT_EQ(parse_filter("pil-gaussian").radius, 2.0f);
  const FilterSpec unsharp = parse_filter("pil-unsharp");
  EXPECT_EQ(unsharp.radius, 2.0f);
  EXPECT_EQ(unsharp.percent, 150);
  EXPECT_EQ(unsharp.threshold, 3);
  const FilterSpec given = parse_filter("pil-unsharp:radius=0.5,percent=-20,threshold=9");
  EXPECT_EQ(given.radius, 0.5f);
  EXPECT_EQ(given.percent, -20);
  EXPECT_EQ(given.threshold, 9);
  EXPECT_EQ(parse_filter("pil-box:radius=7.25").radius, 7.25f);
  EXPECT_EQ(error_of("pil-box").problem, Problem::missing_key);  // BoxBlur has no default
  EXPECT_EQ(error_of("pil-gaussian:radius=-1").expected, "a number from 0 to 1000");
  EXPECT_EQ(error_of("pil-unsharp:percent=1.5").expected, "an integer from -10000 to 10000");
}

TEST(FilterSyntax, UnknownNamesComeWithTheClosestValidOne) {
  const auto unknown = error_of("pil-sharpn");
  EXPECT_EQ(unknown.problem, Problem::unknown_filter);
  EXPECT_EQ(unknown.filter, "pil-sharpn");
  EXPECT_EQ(unknown.closest, "pil-sharpen");
  EXPECT_EQ(error_of("emboss").closest, "pil-emboss");
  EXPECT_EQ(error_of("xyzzy").closest, "");
  const auto key = error_of("pil-rank:sise=3,rank=1");
  EXPECT_EQ(key.problem, Problem::unknown_key);
  EXPECT_EQ(key.key, "sise");
  EXPECT_EQ(key.closest, "size");
  EXPECT_EQ(error_of("pil-blur:size=3").problem, Problem::unknown_key);
}

TEST(FilterSyntax, BadValuesNameTheKeyAndWhatItTakes) {
  const auto value = error_of("median:ksize=abc");
  EXPECT_EQ(value.problem, Problem::bad_value);
  EXPECT_EQ(value.key, "ksize");
  EXPECT_EQ(value.value, "abc");
  EXPECT_EQ(value.expected, "an integer from 1 to 2001");
  EXPECT_EQ(error_of("gaussian:sigma=501").expected, "a number from 0 to 500");
  EXPECT_EQ(error_of("box:border=mirror").expected, "reflect101, replicate, reflect or constant");
  EXPECT_EQ(error_of("pil-kernel:kernel=1 2 3").expected, "9 or 25 numbers separated by spaces");
  EXPECT_EQ(error_of("pil-kernel:kernel=1 1 1 1 1 1 1 1 1,scale=0").expected,
            "a number other than 0");
  EXPECT_EQ(error_of("pil-rank:size=3").problem, Problem::missing_key);
  EXPECT_EQ(error_of("pil-kernel").key, "kernel");
}

TEST(FilterSyntax, ValidateRefusesWhatOneKeyCannotSee) {
  EXPECT_THROW(validate(parse_filter("pil-rank:size=3,rank=9")), UsageError);
  EXPECT_THROW(validate(parse_filter("pil-median:size=4")), UsageError);
  EXPECT_NO_THROW(validate(parse_filter("pil-mode:size=4")));  // Pillow takes even mode sizes
  EXPECT_THROW(validate(parse_filter("pil-kernel:kernel=1 1 1 1 1 1 1 1 1,size=5")), UsageError);
}

}  // namespace
}  // namespace pblur
