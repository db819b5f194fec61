// Both rank algorithms (Huang's sliding histogram, and Perreault and Hebert's constant-time one
// from size 61 on 8-bit images) against the definition: the sorted window, edges repeated.
#include "core/filters/rank_filter.h"

#include <algorithm>
#include <vector>

#include <gtest/gtest.h>
#include <opencv2/core.hpp>

#include "test_support.h"

namespace pblur {
namespace {

template <typename T>
void expect_sorted_window_rank(const cv::Mat& image, int size, int rank) {
  SCOPED_TRACE("size " + std::to_string(size) + ", rank " + std::to_string(rank));
  cv::Mat ours, padded;
  rank_filter(image, ours, size, rank);
  const int half = size / 2, channels = image.channels();
  cv::copyMakeBorder(image, padded, half, half, half, half, cv::BORDER_REPLICATE);
  std::vector<T> window;
  for (int y = 0; y < image.rows; ++y) {
    for (int x = 0; x < image.cols; ++x) {
      for (int c = 0; c < channels; ++c) {
        window.clear();
        for (int dy = 0; dy < size; ++dy) {
          const T* row = padded.ptr<T>(y + dy);
          for (int dx = 0; dx < size; ++dx) window.push_back(row[(x + dx) * channels + c]);
        }
        std::nth_element(window.begin(), window.begin() + rank, window.end());
        ASSERT_EQ(ours.ptr<T>(y)[x * channels + c], window[std::size_t(rank)])
            << x << "," << y << "," << c;
      }
    }
  }
}

TEST(RankFilter, ConstantTimeRankIsTheSortedWindowsValue) {
  const cv::Mat image = testing::random_image(23, 29, CV_8UC3, 9);
  for (int size : {61, 63}) {
    const int last = size * size - 1;
    for (int rank : {0, last / 2, 17, last - 5, last})
      expect_sorted_window_rank<uchar>(image, size, rank);
  }
}

TEST(RankFilter, ConstantTimeRankOnSmoothValuesNearOneBlockEdge) {
  cv::Mat image(19, 71, CV_8UC1);
  for (int y = 0; y < image.rows; ++y)
    for (int x = 0; x < image.cols; ++x) image.at<uchar>(y, x) = uchar(120 + (x + 2 * y) % 17);
  expect_sorted_window_rank<uchar>(image, 61, 61 * 61 / 2);
}

TEST(RankFilter, SlidingHistogramRankIsTheSortedWindowsValue) {
  expect_sorted_window_rank<uchar>(testing::random_image(17, 21, CV_8UC4, 2), 7, 24);
  expect_sorted_window_rank<ushort>(testing::random_image(15, 13, CV_16UC1, 3), 9, 40);
  expect_sorted_window_rank<ushort>(testing::random_image(11, 12, CV_16UC3, 4), 3, 0);
}

// The histogram's value jumps whole blocks of 256 (16-bit) or 16 (8-bit) values, empty or full:
// values far apart, at the extremes, and crowded into one block, at every kind of rank.
TEST(RankFilter, SlidingHistogramJumpsBlocksExactly) {
  cv::Mat spread = testing::random_image(14, 19, CV_16UC2, 5);
  spread.forEach<cv::Vec<ushort, 2>>([](cv::Vec<ushort, 2>& pixel, const int*) {
    pixel[0] = ushort(pixel[0] % 256 * 257);      // 8-bit values scaled: 256 apart
    pixel[1] = ushort(pixel[1] % 2 ? 65535 : 0);  // the extremes only
  });
  cv::Mat crowded = testing::random_image(13, 17, CV_16UC1, 6);
  crowded.forEach<ushort>([](ushort& value, const int*) { value = ushort(40000 + value % 256); });
  const cv::Mat bytes = testing::random_image(12, 15, CV_8UC3, 7);
  for (int size : {3, 5, 11}) {
    const int last = size * size - 1;
    for (int rank : {0, 1, last / 2, last - 1, last}) {
      expect_sorted_window_rank<ushort>(spread, size, rank);
      expect_sorted_window_rank<ushort>(crowded, size, rank);
      expect_sorted_window_rank<uchar>(bytes, size, rank);
    }
  }
}

}  // namespace
}  // namespace pblur
