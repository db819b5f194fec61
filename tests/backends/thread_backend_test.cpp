#include "core/backends/thread_backend.h"

#include <gtest/gtest.h>

#include "core/backends/sequential_backend.h"
#include "core/base/errors.h"
#include "test_support.h"

namespace pblur {
namespace {

TEST(ThreadBackend, ManyStripsOnManyThreadsMatchSequential) {
  const cv::Mat image = testing::random_image(257, 311, CV_8UC3, 3);
  FilterSpec spec;
  spec.sigma = 2.5;
  const cv::Mat expected = filter_sequential(image, spec).image;
  for (int threads : {1, 2, 4, 8}) {
    for (int strips : {0, 3, 64, 1000}) {
      SCOPED_TRACE(std::to_string(threads) + " threads, " + std::to_string(strips) + " strips");
      EXPECT_TRUE(
          testing::identical(filter_with_threads(image, spec, threads, strips).image, expected));
    }
  }
}

TEST(ThreadBackend, RefusesZeroThreads) {
  const cv::Mat image = testing::random_image(8, 8, CV_8UC1);
  EXPECT_THROW(filter_with_threads(image, FilterSpec{}, 0), UsageError);
}

}  // namespace
}  // namespace pblur
