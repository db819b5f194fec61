#include "core/filters/filter_spec.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <opencv2/core.hpp>

#include "core/base/errors.h"

namespace pblur {
namespace {

TEST(FilterSpec, ParsesEveryNameItPrints) {
  for (auto kind :
       {FilterKind::gaussian, FilterKind::box, FilterKind::median, FilterKind::pil_blur}) {
    EXPECT_EQ(parse_filter_kind(filter_kind_name(kind)), kind);
  }
  for (auto mode :
       {BorderMode::reflect101, BorderMode::replicate, BorderMode::reflect, BorderMode::constant}) {
    EXPECT_EQ(parse_border_mode(border_mode_name(mode)), mode);
  }
  EXPECT_FALSE(parse_filter_kind("sharpen"));
}

TEST(FilterSpec, GaussianRadiusFollowsOpenCvsKernelSizeRule) {
  FilterSpec spec;
  spec.sigma = 8;
  EXPECT_EQ(effective_kernel_size(spec, CV_8U), 49);   // 3 sigma each side
  EXPECT_EQ(effective_kernel_size(spec, CV_16U), 65);  // 4 sigma each side
  spec.ksize = 7;
  EXPECT_EQ(filter_radius(spec, CV_8U), 3);
}

TEST(FilterSpec, RefusesEvenMedianButTakesLargeMedianAtBothDepths) {
  FilterSpec spec;
  spec.kind = FilterKind::median;
  spec.ksize = 4;
  EXPECT_THROW(validate(spec), UsageError);
  spec.ksize = 7;
  EXPECT_NO_THROW(validate(spec, CV_8U));
  EXPECT_NO_THROW(validate(spec, CV_16U));
}

TEST(FilterSpec, ChainRadiusIsTheSumOfItsFiltersRadii) {
  FilterSpec blur;
  blur.kind = FilterKind::pil_blur;
  FilterSpec rank;
  rank.kind = FilterKind::pil_rank;
  rank.size = 7;
  FilterChain chain(blur);
  chain.append(rank);
  EXPECT_EQ(filter_radius(chain, CV_8U), 2 + 3);
  EXPECT_EQ(describe_filter(chain, CV_8U), "pil-blur | pil-rank size=7 rank=0");
}

// Pillow's GaussianBlur(2) is 3 box passes of radius 1.375: each reads 2 rows each side.
TEST(FilterSpec, PillowBoxBlursReachTheirPassesTimesTheWholeRadiusPlusOne) {
  FilterSpec spec;
  spec.kind = FilterKind::pil_gaussian;
  spec.radius = 2;
  EXPECT_EQ(filter_radius(spec, CV_8U), 6);
  spec.kind = FilterKind::pil_unsharp;
  EXPECT_EQ(filter_radius(spec, CV_16U), 6);
  spec.kind = FilterKind::pil_box;
  spec.radius = 2.5f;
  EXPECT_EQ(filter_radius(spec, CV_8U), 3);
  spec.radius = 0;
  EXPECT_EQ(filter_radius(spec, CV_8U), 0);
}

TEST(FilterSpec, GaussianNeedsSigmaOrOddKernel) {
  FilterSpec spec;
  spec.sigma = 0;
  EXPECT_THROW(validate(spec), UsageError);
  spec.ksize = 5;
  EXPECT_NO_THROW(validate(spec));
  spec.ksize = 6;
  EXPECT_THROW(validate(spec), UsageError);
  spec.ksize = 0;
  spec.sigma = -1;
  EXPECT_THROW(validate(spec), UsageError);
}

// The core names a filter's keys and the values it got; the command line words its own flags.
TEST(FilterSpec, ErrorsNameTheFilterTheKeyAndTheValue) {
  using ::testing::StrEq;
  using ::testing::ThrowsMessage;
  FilterSpec spec;
  spec.sigma = 600;
  EXPECT_THAT(
      [&] { validate(spec); },
      ThrowsMessage<UsageError>(StrEq("gaussian sigma must be between 0 and 500, got 600")));
  spec.sigma = 0;
  EXPECT_THAT([&] { validate(spec); },
              ThrowsMessage<UsageError>(
                  StrEq("gaussian needs sigma above 0 or an odd ksize, got sigma 0 and ksize 0")));
  spec.kind = FilterKind::box;
  spec.ksize = 3000;
  EXPECT_THAT([&] { validate(spec); },
              ThrowsMessage<UsageError>(StrEq("box ksize must be between 1 and 2001, got 3000")));
}

}  // namespace
}  // namespace pblur
