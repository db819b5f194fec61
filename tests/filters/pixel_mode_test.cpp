// Blurs in premultiplied alpha and in linear light: no dark halos, straight bytes where the
// neighbourhood is opaque, and the whole-image bytes from every backend and strip split.
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <string>
#include <vector>

#include <opencv2/imgproc.hpp>

#include "mat_rows.h"
#include "core/backends/filter_backend.h"
#include "core/filters/filters.h"
#include "test_support.h"

namespace pblur {
namespace {

FilterSpec blur(FilterKind kind, double sigma, int ksize) {
  FilterSpec spec;
  spec.kind = kind;
  spec.sigma = sigma;
  spec.ksize = ksize;
  return spec;
}

FilterChain in_mode(FilterChain chain, AlphaMode alpha, bool linear = false) {
  chain.set_pixel_mode(PixelMode{alpha, linear});
  return chain;
}

// An opaque white disc on a transparent black field.
cv::Mat white_disc(int depth) {
  const double max = depth == CV_16U ? 65535 : 255;
  cv::Mat image(64, 64, CV_MAKETYPE(depth, 4), cv::Scalar::all(0));
  cv::circle(image, cv::Point(32, 32), 18, cv::Scalar::all(max), cv::FILLED);
  return image;
}

// The smallest colour sample among pixels with some alpha.
double darkest_visible_colour(const cv::Mat& bgra) {
  double darkest = 1e9;
  cv::Mat as_double;
  bgra.convertTo(as_double, CV_64FC4);
  for (int y = 0; y < bgra.rows; ++y) {
    for (int x = 0; x < bgra.cols; ++x) {
      const cv::Vec4d pixel = as_double.at<cv::Vec4d>(y, x);
      if (pixel[3] > 0) darkest = std::min({darkest, pixel[0], pixel[1], pixel[2]});
    }
  }
  return darkest;
}

const FilterSpec kBlurs[] = {blur(FilterKind::gaussian, 3.0, 0), blur(FilterKind::gaussian, 0, 7),
                             blur(FilterKind::box, 0, 9)};

TEST(PremultipliedAlpha, WhiteDiscOnTransparentBlackGetsNoDarkHalo) {
  for (int depth : {CV_8U, CV_16U}) {
    const cv::Mat disc = white_disc(depth);
    const double white = depth == CV_16U ? 65535 : 255;
    for (const FilterSpec& spec : kBlurs) {
      SCOPED_TRACE(std::string(filter_kind_name(spec.kind)) + " depth " + std::to_string(depth));
      const cv::Mat premultiplied = filter_image(disc, in_mode(spec, AlphaMode::premultiplied));
      EXPECT_EQ(darkest_visible_colour(premultiplied), white);
      // The halo the mode removes: straight blurs mix in the transparent pixels' black.
      const cv::Mat straight = filter_image(disc, in_mode(spec, AlphaMode::straight));
      EXPECT_LT(darkest_visible_colour(straight), white / 2);
    }
  }
}

TEST(PremultipliedAlpha, AlphaIsTheStraightBlursAlpha) {
  const cv::Mat image = testing::random_image(41, 53, CV_8UC4, 3);
  for (const FilterSpec& spec : kBlurs) {
    std::vector<cv::Mat> premultiplied, straight;
    cv::split(filter_image(image, in_mode(spec, AlphaMode::premultiplied)), premultiplied);
    cv::split(filter_image(image, in_mode(spec, AlphaMode::straight)), straight);
    EXPECT_TRUE(testing::identical(premultiplied[3], straight[3]));
  }
}

TEST(StraightAlpha, GivesTheBytesOfOpenCVsOwnBlur) {
  const cv::Mat image = testing::random_image(47, 61, CV_8UC4, 4);
  cv::Mat gaussian, box;
  cv::GaussianBlur(image, gaussian, cv::Size(0, 0), 3.0, 3.0, cv::BORDER_REFLECT_101);
  cv::blur(image, box, cv::Size(9, 9), cv::Point(-1, -1), cv::BORDER_REFLECT_101);
  EXPECT_TRUE(
      testing::identical(filter_image(image, in_mode(kBlurs[0], AlphaMode::straight)), gaussian));
  EXPECT_TRUE(
      testing::identical(filter_image(image, in_mode(kBlurs[2], AlphaMode::straight)), box));
}

// Random colour, opaque but for a transparent square: every pixel whose whole kernel window is
// opaque comes out as the straight blur gives it, bit for bit.
TEST(PremultipliedAlpha, PixelsAmongOpaqueNeighboursAreTheStraightBlurs) {
  for (int type : {CV_8UC4, CV_16UC4}) {
    cv::Mat image = testing::random_image(80, 80, type, 5);
    const double max = type == CV_16UC4 ? 65535 : 255;
    std::vector<cv::Mat> channels;
    cv::split(image, channels);
    channels[3].setTo(max);
    channels[3](cv::Rect(30, 30, 20, 20)).setTo(0);
    cv::merge(channels, image);
    for (const FilterSpec& spec : kBlurs) {
      const int radius = filter_radius(spec, image.depth());
      const cv::Mat premultiplied = filter_image(image, in_mode(spec, AlphaMode::premultiplied));
      const cv::Mat straight = filter_image(image, in_mode(spec, AlphaMode::straight));
      cv::Mat near_transparent(image.size(), CV_8U, cv::Scalar(0));
      near_transparent(cv::Rect(30 - radius, 30 - radius, 20 + 2 * radius, 20 + 2 * radius))
          .setTo(1);
      int compared = 0;
      for (int y = 0; y < image.rows; ++y) {
        for (int x = 0; x < image.cols; ++x) {
          if (near_transparent.at<uchar>(y, x)) continue;
          ++compared;
          ASSERT_EQ(0, std::memcmp(premultiplied.ptr(y, x), straight.ptr(y, x), image.elemSize()))
              << "pixel " << x << "," << y;
        }
      }
      EXPECT_GT(compared, 80 * 80 / 2);
    }
  }
}

// sRGB 0 and 255 in equal parts average to half the light: sRGB 188, not 128.
TEST(LinearLight, HalfBlackHalfWhiteAveragesToHalfTheLight) {
  cv::Mat stripes(16, 16, CV_8UC3);
  for (int x = 0; x < 16; ++x) stripes.col(x).setTo(cv::Scalar::all(x % 2 ? 255 : 0));
  FilterChain chain(blur(FilterKind::box, 0, 3));
  const cv::Mat linear = filter_image(stripes, in_mode(chain, AlphaMode::straight, true));
  const cv::Mat gamma = filter_image(stripes, in_mode(chain, AlphaMode::straight, false));
  // A column with two white neighbours of three: 2/3 of the light.
  const double light = std::round(65535.0 * 2 / 3) / 65535;
  const double encoded = 1.055 * std::pow(light, 1 / 2.4) - 0.055;
  EXPECT_EQ(linear.at<cv::Vec3b>(8, 8)[1], int(std::lround(255 * encoded)));
  EXPECT_EQ(gamma.at<cv::Vec3b>(8, 8)[1], 170);
}

TEST(LinearLight, LeavesAFlatImageAsItIs) {
  for (int value = 0; value < 256; ++value) {
    const cv::Mat flat(9, 9, CV_8UC3, cv::Scalar(value, value, value));
    const cv::Mat blurred =
        filter_image(flat, in_mode(kBlurs[0], AlphaMode::straight, /*linear=*/true));
    ASSERT_TRUE(testing::identical(blurred, flat)) << "value " << value;
  }
}

struct Mode {
  const char* name;
  AlphaMode alpha;
  bool linear;
};

const Mode kModes[] = {{"premultiplied", AlphaMode::premultiplied, false},
                       {"straight", AlphaMode::straight, false},
                       {"linear", AlphaMode::straight, true},
                       {"linear premultiplied", AlphaMode::premultiplied, true}};

std::vector<FilterChain> chains() {
  FilterChain chain(blur(FilterKind::gaussian, 2.5, 0));
  chain.append(blur(FilterKind::median, 0, 3));
  chain.append(blur(FilterKind::box, 0, 5));
  return {FilterChain(kBlurs[0]), FilterChain(kBlurs[2]), chain};
}

BackendChoice choice(BackendKind kind, int workers, int strips) {
  BackendChoice c;
  c.kind = kind;
  c.workers = workers;
  c.strips = strips;
  return c;
}

cv::Mat streamed(FilterBackend& backend, const cv::Mat& image, const FilterChain& chain) {
  testing::MatRowReader reader(image);
  testing::MatRowWriter writer(reader.layout());
  backend.stream(reader, writer, chain, StreamOptions{});
  return writer.image();
}

TEST(PixelModes, EveryBackendAndStripSplitGivesTheWholeImageBytesOfItsMode) {
  const std::vector<BackendChoice> choices = {
      choice(BackendKind::threads, 3, 7), choice(BackendKind::threads, 2, 61),
      choice(BackendKind::processes, 3, 5), choice(BackendKind::processes, 2, 0)};
  for (int type : {CV_8UC4, CV_16UC4, CV_8UC3, CV_16UC1}) {
    const cv::Mat image = testing::random_image(61, 37, type, 7);
    for (const Mode& mode : kModes) {
      for (const FilterChain& plain : chains()) {
        const FilterChain chain = in_mode(plain, mode.alpha, mode.linear);
        const cv::Mat reference = filter_image(image, chain);
        for (const BackendChoice& c : choices) {
          SCOPED_TRACE(std::string(mode.name) + ", " + describe_filter(chain, image.depth()) +
                       ", type " + std::to_string(type) + ", " + std::string(backend_name(c.kind)) +
                       " strips " + std::to_string(c.strips));
          FilterBackend backend(c, &testing::runtime());
          EXPECT_TRUE(testing::identical(backend.filter(image, chain).image, reference));
          EXPECT_TRUE(testing::identical(streamed(backend, image, chain), reference));
        }
      }
    }
  }
}

}  // namespace
}  // namespace pblur
