// The OpenCV-based filters against their written definitions, and kernel files as read.
#include "core/filters/opencv_filters.h"

#include <fstream>

#include <gtest/gtest.h>
#include <opencv2/imgproc.hpp>

#include "test_support.h"
#include "core/base/errors.h"
#include "core/filters/filter_syntax.h"
#include "core/filters/filters.h"
#include "core/filters/kernel_file.h"

namespace pblur {
namespace {

cv::Mat filtered(const cv::Mat& image, std::string_view filter) {
  return filter_image(image, FilterChain(parse_filter(filter)));
}

// Three columns of 0, then 10s: one vertical step edge in a 5x6 gray image.
cv::Mat step_edge() {
  cv::Mat image(5, 6, CV_8UC1, cv::Scalar(0));
  image.colRange(3, 6).setTo(10);
  return image;
}

TEST(OpenCvFilters, UnsharpAddsAmountTimesTheDetailWhereItReachesTheThreshold) {
  const cv::Mat image = testing::random_image(31, 29, CV_8UC1, 3);
  cv::Mat blurred;
  cv::GaussianBlur(image, blurred, cv::Size(), 1.5, 1.5);
  const cv::Mat out = filtered(image, "unsharp:sigma=1.5,amount=1,threshold=20");
  for (int y = 0; y < image.rows; ++y) {
    for (int x = 0; x < image.cols; ++x) {
      const int source = image.at<uchar>(y, x), blur = blurred.at<uchar>(y, x);
      const int expected =
          std::abs(source - blur) >= 20 ? cv::saturate_cast<uchar>(2 * source - blur) : source;
      ASSERT_EQ(out.at<uchar>(y, x), expected) << x << "," << y;
    }
  }
}

TEST(OpenCvFilters, SobelIsTheGradientMagnitude) {
  const cv::Mat out = filtered(step_edge(), "sobel");
  for (int y = 0; y < 5; ++y) {
    for (int x = 0; x < 6; ++x)  // [1 2 1] x (10 - 0) beside the edge
      ASSERT_EQ(out.at<uchar>(y, x), x == 2 || x == 3 ? 40 : 0) << x << "," << y;
  }
  EXPECT_EQ(filtered(step_edge(), "sobel:scale=10").at<uchar>(0, 2), 255);  // saturated
  EXPECT_EQ(filtered(step_edge(), "scharr").at<uchar>(1, 3), 160);          // [3 10 3] x 10
}

TEST(OpenCvFilters, LaplacianIsItsAbsoluteValue) {
  const cv::Mat out = filtered(step_edge(), "laplacian");
  EXPECT_EQ(out.at<uchar>(2, 2), 10);  // 0 + 10 - 2 x 0
  EXPECT_EQ(out.at<uchar>(2, 3), 10);  // |0 + 10 - 2 x 10|
  EXPECT_EQ(out.at<uchar>(2, 0), 0);
}

TEST(OpenCvFilters, BilateralFiltersTheColoursOfBgraAndKeepsAlpha) {
  const cv::Mat image = testing::random_image(23, 19, CV_8UC4, 8);
  const cv::Mat out = filtered(image, "bilateral:d=5,sigma_color=50,sigma_space=2");
  cv::Mat colour, expected, alpha, alpha_out, colour_out;
  cv::cvtColor(image, colour, cv::COLOR_BGRA2BGR);
  cv::bilateralFilter(colour, expected, 5, 50, 2);
  cv::cvtColor(out, colour_out, cv::COLOR_BGRA2BGR);
  cv::extractChannel(image, alpha, 3);
  cv::extractChannel(out, alpha_out, 3);
  EXPECT_TRUE(testing::identical(colour_out, expected));
  EXPECT_TRUE(testing::identical(alpha_out, alpha));
  EXPECT_THROW(validate(parse_filter("bilateral"), CV_16U), UsageError);
}

TEST(OpenCvFilters, MinAndMaxAreTheWindowsExtremes) {
  const cv::Mat image = testing::random_image(17, 13, CV_16UC1, 4);
  const cv::Mat low = filtered(image, "min:size=3"), high = filtered(image, "max:size=3");
  for (int y = 0; y < image.rows; ++y) {
    for (int x = 0; x < image.cols; ++x) {
      const cv::Rect window = cv::Rect(x - 1, y - 1, 3, 3) & cv::Rect(0, 0, 13, 17);
      double smallest = 0, largest = 0;
      cv::minMaxLoc(image(window), &smallest, &largest);
      ASSERT_EQ(low.at<ushort>(y, x), smallest);
      ASSERT_EQ(high.at<ushort>(y, x), largest);
    }
  }
}

TEST(OpenCvFilters, MorphologyReachGrowsWithIterations) {
  EXPECT_EQ(filter_radius(parse_filter("erode:size=5,iterations=3"), CV_8U), 6);
  EXPECT_EQ(filter_radius(parse_filter("open:size=5,iterations=3"), CV_8U), 12);
  EXPECT_EQ(filter_radius(parse_filter("blackhat:size=7"), CV_8U), 6);
  EXPECT_EQ(filter_radius(parse_filter("gradient:size=7,iterations=2"), CV_8U), 6);
  EXPECT_EQ(filter_radius(parse_filter("laplacian"), CV_8U), 1);
  EXPECT_EQ(filter_radius(parse_filter("sobel:ksize=7"), CV_8U), 3);
}

class KernelFile : public ::testing::Test {
 protected:
  std::string write(const std::string& text) {
    const auto path = folder_ / "kernel.txt";
    std::ofstream(path) << text;
    return path.string();
  }
  testing::TemporaryFolder folder_;
};

TEST_F(KernelFile, ReadsRowsOfNumbersSkippingCommentsAndBlankLines) {
  const KernelMatrix kernel =
      read_kernel_file(write("# a sharpen\n0, -1, 0\n\n-1 5\t-1\n0 -1 0\n"), 7);
  EXPECT_EQ(kernel.rows, 3);
  EXPECT_EQ(kernel.cols, 3);
  EXPECT_EQ(kernel.values, (std::vector<float>{0, -1, 0, -1, 5, -1, 0, -1, 0}));
}

TEST_F(KernelFile, FilterIsFilter2dWithTheScaledKernelAnchorAndDelta) {
  const std::string path = write("1 2\n3 4\n5 6\n");
  const cv::Mat image = testing::random_image(21, 17, CV_8UC3, 6);
  const cv::Mat out = filtered(image, "kernel:file=" + path + ",anchor=1 2,scale=0.1,delta=-7");
  cv::Mat expected;
  const cv::Mat matrix = (cv::Mat_<float>(3, 2) << 1, 2, 3, 4, 5, 6);
  cv::filter2D(image, expected, -1, matrix * 0.1f, cv::Point(1, 2), -7);
  EXPECT_TRUE(testing::identical(out, expected));
  EXPECT_EQ(filter_radius(parse_filter("kernel:file=" + path + ",anchor=1 2"), CV_8U), 2);
}

TEST_F(KernelFile, RefusesWhatItCannotUseSayingWhy) {
  const auto reason = [&](const std::string& text) -> std::string {
    try {
      read_kernel_file(write(text), 7);
    } catch (const KernelFileError& error) {
      return error.what();
    }
    return "accepted";
  };
  EXPECT_EQ(reason("1 2 3\n4 5\n"), "line 2 has 2 numbers, line 1 has 3");
  EXPECT_EQ(reason("1 x 3\n"), "line 1: 'x' is not a number from -1e6 to 1e6");
  EXPECT_EQ(reason("# nothing\n\n"), "no numbers in it");
  EXPECT_EQ(reason("1 1 1 1 1 1 1 1\n"), "more than 7 rows or columns");
  EXPECT_THROW(read_kernel_file((folder_ / "missing.txt").string(), 7), KernelFileError);
  EXPECT_THROW(read_kernel_file(folder_.path().string(), 7), KernelFileError);
}

}  // namespace
}  // namespace pblur
