#include "core/backends/thread_backend.h"

#include <cstdio>
#include <cstdlib>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "core/backends/sequential_backend.h"
#include "core/base/errors.h"
#include "core/os/machine_info.h"
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
  EXPECT_THAT([&] { filter_with_threads(image, FilterSpec{}, 0); },
              ::testing::ThrowsMessage<UsageError>(
                  ::testing::StrEq("the thread count must be at least 1, got 0")));
}

// In a fresh process (the test binary run again for this test alone), so that no earlier test
// has started oneTBB's worker threads: one thread filters every strip itself.
TEST(ThreadBackend, OneThreadStartsNoWorkerThread) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  const cv::Mat image = testing::random_image(301, 97, CV_8UC3, 5);
  FilterSpec spec;
  spec.sigma = 3;
  EXPECT_EXIT(
      {
        const int before = thread_count();
        filter_with_threads(image, spec, 1, 64);
        const int after = thread_count();
        std::fprintf(stderr, "threads: %d before, %d after\n", before, after);
        std::_Exit(after == before ? 0 : 1);
      },
      ::testing::ExitedWithCode(0), "threads: [0-9]+ before");
}

}  // namespace
}  // namespace pblur
