#include "core/filters/strip_plan.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "core/base/errors.h"

namespace pblur {
namespace {

void expect_covers_every_row_once(const StripPlan& plan, int rows) {
  int next = 0;
  for (const Strip& strip : plan) {
    EXPECT_EQ(strip.begin, next);
    EXPECT_GT(strip.end, strip.begin);
    next = strip.end;
  }
  EXPECT_EQ(next, rows);
}

TEST(StripPlan, CoversEveryRowExactlyOnce) {
  for (int rows : {1, 2, 3, 7, 97, 991, 4000}) {
    for (int strips : {1, 2, 3, 4, 7, 16}) {
      SCOPED_TRACE(std::to_string(rows) + " rows, " + std::to_string(strips) + " strips");
      expect_covers_every_row_once(StripPlan(rows, strips, 3), rows);
    }
  }
}

TEST(StripPlan, SizesDifferByAtMostOneRow) {
  const StripPlan plan(991, 4, 0);  // the split that drops 3 rows in the Pillow example
  ASSERT_EQ(plan.size(), 4u);
  EXPECT_EQ(plan[0].rows(), 248);
  EXPECT_EQ(plan[1].rows(), 248);
  EXPECT_EQ(plan[2].rows(), 248);
  EXPECT_EQ(plan[3].rows(), 247);
}

TEST(StripPlan, MoreStripsThanRowsLeavesNoneEmpty) {
  const StripPlan plan(3, 10, 1);
  ASSERT_EQ(plan.size(), 3u);
  expect_covers_every_row_once(plan, 3);
}

TEST(StripPlan, ContextIsTheRadiusClippedToTheImage) {
  const StripPlan plan(100, 4, 10);
  EXPECT_EQ(plan[0].context_begin, 0);
  EXPECT_EQ(plan[0].context_end, 35);
  EXPECT_EQ(plan[1].context_begin, 15);
  EXPECT_EQ(plan[1].context_end, 60);
  EXPECT_EQ(plan[3].context_begin, 65);
  EXPECT_EQ(plan[3].context_end, 100);
}

TEST(StripPlan, RefusesNonsense) {
  EXPECT_THROW(StripPlan(0, 1, 0), UsageError);
  EXPECT_THROW(StripPlan(10, 0, 0), UsageError);
  EXPECT_THROW(StripPlan(10, 1, -1), UsageError);
}

TEST(StripPlan, AZeroStripCountIsAnErrorThatNamesTheCount) {
  EXPECT_THAT([] { StripPlan(10, 0, 0); }, ::testing::ThrowsMessage<UsageError>(::testing::StrEq(
                                               "the strip count must be at least 1, got 0")));
}

}  // namespace
}  // namespace pblur
