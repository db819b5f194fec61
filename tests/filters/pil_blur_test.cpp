// pil-blur against outputs of Pillow's own ImageFilter.BLUR (see tests/data/README.md).
#include "core/filters/pil_blur.h"

#include <gtest/gtest.h>

#include "core/backends/sequential_backend.h"
#include "core/image/image_io.h"
#include "test_support.h"

namespace pblur {
namespace {

FilterSpec pil_blur() {
  FilterSpec spec;
  spec.kind = FilterKind::pil_blur;
  return spec;
}

class PillowReference : public ::testing::TestWithParam<const char*> {};

TEST_P(PillowReference, MatchesPillowPixelForPixel) {
  const std::string name = GetParam();
  const cv::Mat input = load_image(testing::test_data("pil_in_" + name + ".png"));
  const cv::Mat reference = load_image(testing::test_data("pil_ref_" + name + ".png"));
  const cv::Mat ours = filter_sequential(input, pil_blur()).image;
  EXPECT_TRUE(testing::identical(ours, reference));
}

INSTANTIATE_TEST_SUITE_P(Pillow, PillowReference, ::testing::Values("rgb", "gray", "rgba", "tiny"));

TEST(PilBlur, RoundsHalfUp) {
  // One interior pixel (2,2) of a 5x5 image: the ring sums to 8, 8/16 = 0.5 rounds to 1.
  cv::Mat image(5, 5, CV_8UC1, cv::Scalar(0));
  image.at<uchar>(0, 0) = 8;
  const cv::Mat out = filter_sequential(image, pil_blur()).image;
  EXPECT_EQ(out.at<uchar>(2, 2), 1);
  image.at<uchar>(0, 0) = 7;
  EXPECT_EQ(filter_sequential(image, pil_blur()).image.at<uchar>(2, 2), 0);
}

TEST(PilBlur, CopiesTheTwoPixelFrameAndIgnoresTheInnerSquare) {
  cv::Mat image = testing::random_image(9, 11, CV_8UC3, 5);
  const cv::Mat out = filter_sequential(image, pil_blur()).image;
  for (int y = 0; y < 9; ++y) {
    for (int x = 0; x < 11; ++x) {
      if (y < 2 || y >= 7 || x < 2 || x >= 9) {
        EXPECT_EQ(out.at<cv::Vec3b>(y, x), image.at<cv::Vec3b>(y, x));
      }
    }
  }
  cv::Mat changed_centre = image.clone();
  changed_centre.at<cv::Vec3b>(4, 5) = cv::Vec3b(255, 0, 17);  // inside the 3x3 of (4,5) only
  const cv::Mat again = filter_sequential(changed_centre, pil_blur()).image;
  EXPECT_EQ(again.at<cv::Vec3b>(4, 5), out.at<cv::Vec3b>(4, 5));
}

TEST(PilBlur, SixteenBitUsesTheSameRule) {
  cv::Mat image(5, 5, CV_16UC1, cv::Scalar(0));
  image.at<ushort>(0, 0) = 65535;
  image.at<ushort>(4, 4) = 65535;
  const cv::Mat out = filter_sequential(image, pil_blur()).image;
  EXPECT_EQ(out.at<ushort>(2, 2), (2 * 65535 + 8) / 16);
}

}  // namespace
}  // namespace pblur
