// --depth 8 and --flatten against their whole-image reference, streamed and whole, single image
// and batch; the refusal that names them; --alpha and --linear through the command line.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include <opencv2/imgproc.hpp>

#include "batch_test_support.h"
#include "core/filters/filters.h"
#include "core/image/image_io.h"

namespace pblur::test {
namespace {

using ::testing::HasSubstr;

constexpr int kUsageError = 2;
constexpr int kBadOutput = 4;
constexpr int kSomeFailed = 5;

std::string bytes_of(const fs::path& path) {
  std::ifstream file(path, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(file)), {});
}

// The runs that must agree: the whole-image reference (--seq), and streamed strips.
const std::vector<std::vector<std::string>> kBackends = {
    {"--seq"}, {"--threads", "2", "--strips", "7"}, {"--procs", "3", "--strips", "5"}};

// pblur's default blur of `image` (gaussian sigma 2, premultiplied), whole.
cv::Mat blurred(const cv::Mat& image) {
  return filter_image(image, FilterChain(FilterSpec{}));
}

// The conversions, computed here sample by sample.
cv::Mat rounded_to_8_bits(const cv::Mat& image) {
  cv::Mat narrow(image.size(), CV_MAKETYPE(CV_8U, image.channels()));
  const auto* in = image.ptr<std::uint16_t>();
  for (std::size_t i = 0; i < image.total() * std::size_t(image.channels()); ++i) {
    narrow.data[i] = std::uint8_t(std::lround(in[i] / 257.0));
  }
  return narrow;
}

cv::Mat flattened(const cv::Mat& bgra, cv::Vec3d background) {
  cv::Mat flat(bgra.size(), CV_8UC3);
  for (int y = 0; y < bgra.rows; ++y) {
    for (int x = 0; x < bgra.cols; ++x) {
      const cv::Vec4b pixel = bgra.at<cv::Vec4b>(y, x);
      for (int c = 0; c < 3; ++c) {
        const double alpha = pixel[3] / 255.0;
        flat.at<cv::Vec3b>(y, x)[c] =
            std::uint8_t(std::lround(pixel[c] * alpha + background[c] * (1 - alpha)));
      }
    }
  }
  return flat;
}

TEST(DepthOption, RoundsSixteenBitsToEightLikeTheWholeImageReference) {
  TemporaryFolder dir;
  const fs::path input = write_image(dir / "in16.png", make_image(53, 71, CV_16UC3, 3));
  const cv::Mat expected = rounded_to_8_bits(blurred(read_image(input)));
  for (const auto& backend : kBackends) {
    std::vector<std::string> args = {input.string(), (dir / "out.png").string(), "--depth", "8"};
    args.insert(args.end(), backend.begin(), backend.end());
    const RunResult run = run_pblur(args, dir.path());
    ASSERT_EQ(run.exit_code, 0) << run.err;
    EXPECT_TRUE(same_pixels(read_image(dir / "out.png"), expected)) << backend[0];
  }
}

TEST(FlattenOption, CompositesOverTheColourLikeTheWholeImageReference) {
  TemporaryFolder dir;
  const fs::path input = write_image(dir / "rgba.png", make_image(67, 45, CV_8UC4, 4));
  const cv::Mat filtered = blurred(read_image(input));
  const std::vector<std::pair<std::vector<std::string>, cv::Vec3d>> colours = {
      {{"--flatten"}, {255, 255, 255}},
      {{"--flatten", "#336699"}, {0x99, 0x66, 0x33}},
      {{"--flatten=black"}, {0, 0, 0}}};
  for (const auto& [flag, background] : colours) {
    const cv::Mat expected = flattened(filtered, background);
    for (const auto& backend : kBackends) {
      std::vector<std::string> args = {input.string(), (dir / "out.png").string()};
      args.insert(args.end(), backend.begin(), backend.end());
      args.insert(args.end(), flag.begin(), flag.end());
      const RunResult run = run_pblur(args, dir.path());
      ASSERT_EQ(run.exit_code, 0) << run.err;
      EXPECT_TRUE(same_pixels(read_image(dir / "out.png"), expected)) << flag.back() << backend[0];
    }
  }
}

TEST(FlattenOption, ThenDepthTakeSixteenBitBgraToJpegAlikeStreamedAndWhole) {
  TemporaryFolder dir;
  const fs::path input = write_image(dir / "rgba16.png", make_image(40, 90, CV_16UC4, 5));
  std::string reference;
  for (const auto& backend : kBackends) {
    std::vector<std::string> args = {input.string(), (dir / "out.jpg").string(), "--flatten",
                                     "--depth", "8"};
    args.insert(args.end(), backend.begin(), backend.end());
    const RunResult run = run_pblur(args, dir.path());
    ASSERT_EQ(run.exit_code, 0) << run.err;
    if (reference.empty()) reference = bytes_of(dir / "out.jpg");
    EXPECT_EQ(bytes_of(dir / "out.jpg"), reference) << backend[0];
  }
  EXPECT_EQ(read_image(dir / "out.jpg").type(), CV_8UC3);
}

TEST(PixelOptions, FormatsThatCannotHoldTheImageNameTheConversions) {
  TemporaryFolder dir;
  const fs::path rgba = write_image(dir / "rgba.png", make_image(20, 20, CV_8UC4, 6));
  const fs::path rgba16 = write_image(dir / "rgba16.png", make_image(20, 20, CV_16UC4, 7));
  const std::vector<std::pair<std::vector<std::string>, std::string>> cases = {
      {{rgba.string(), "out.jpg"}, "an 8-bit RGBA image as it is (try .png or .tif, or --flatten)"},
      {{rgba16.string(), "out.jpg"},
       "a 16-bit RGBA image as it is (try .png or .tif, or --depth 8 and --flatten)"},
      {{rgba16.string(), "out.jpg", "--depth", "8"},
       "an 8-bit RGBA image as it is (try .png or .tif, or --flatten)"},
      {{rgba16.string(), "out.jpg", "--flatten", "--threads", "2"},
       "a 16-bit RGB image as it is (try .png or .tif, or --depth 8)"}};
  for (const auto& [args, message] : cases) {
    const RunResult run = run_pblur(args, dir.path());
    EXPECT_EQ(run.exit_code, kBadOutput);
    EXPECT_EQ(run.err, "pblur: error: cannot write 'out.jpg': the .jpg format cannot store " +
                           message + "\n");
    EXPECT_FALSE(fs::exists(dir / "out.jpg"));
  }
}

TEST(PixelOptions, UnknownColoursAndDepthsAreUsageErrors) {
  TemporaryFolder dir;
  const fs::path rgba = write_image(dir / "rgba.png", make_image(20, 20, CV_8UC4, 6));
  RunResult run = run_pblur({rgba.string(), "out.png", "--flatten=chartreuse"}, dir.path());
  EXPECT_EQ(run.exit_code, kUsageError);
  EXPECT_THAT(run.err, HasSubstr("--flatten takes a colour name (white, black, gray, red, green, "
                                 "blue, yellow, cyan, magenta) or #rrggbb, got 'chartreuse'"));
  run = run_pblur({rgba.string(), "out.png", "--depth", "12"}, dir.path());
  EXPECT_EQ(run.exit_code, kUsageError);
  run = run_pblur({rgba.string(), "out.png", "--alpha", "dark"}, dir.path());
  EXPECT_EQ(run.exit_code, kUsageError);
  EXPECT_FALSE(fs::exists(dir / "out.png"));
}

// A mixed folder: 8-bit BGR, BGRA, 16-bit BGR and 16-bit BGRA.
void write_mixed_folder(const TemporaryFolder& dir) {
  write_image(dir / "in/a.png", make_image(31, 29, CV_8UC3, 1));
  write_image(dir / "in/b.png", make_image(33, 27, CV_8UC4, 2));
  write_image(dir / "in/c.png", make_image(35, 25, CV_16UC3, 3));
  write_image(dir / "in/d.png", make_image(37, 23, CV_16UC4, 4));
}

TEST(BatchPixelOptions, MixedFolderToJpegIsRefusedWithoutConversions) {
  TemporaryFolder dir;
  write_mixed_folder(dir);
  const RunResult run = run_pblur({"batch", "in", "out", "--format", "jpg"}, dir.path());
  EXPECT_EQ(run.exit_code, kSomeFailed);
  EXPECT_THAT(run.err, HasSubstr("1 processed, 0 skipped, 3 failed"));
  EXPECT_THAT(run.err, HasSubstr("cannot store an 8-bit RGBA image as it is (try .png or .tif, or "
                                 "--flatten)"));
  EXPECT_THAT(run.err, HasSubstr("16-bit RGB image as it is (try .png or .tif, or --depth 8)"));
  EXPECT_THAT(run.err, HasSubstr("or --depth 8 and --flatten)"));
  EXPECT_EQ(files_below(dir / "out"), std::set<std::string>{"a.jpg"});
}

TEST(BatchPixelOptions, MixedFolderToJpegGivesTheSingleImageBytes) {
  TemporaryFolder dir;
  write_mixed_folder(dir);
  for (const std::string split : {"images", "strips"}) {
    fs::remove_all(dir / "out");
    const RunResult run = run_pblur({"batch", "in", "out", "--format", "jpg", "--depth", "8",
                                     "--flatten", "#102030", "--procs", "2", "--split", split},
                                    dir.path());
    ASSERT_EQ(run.exit_code, 0) << run.err;
    for (const std::string name : {"a", "b", "c", "d"}) {
      const RunResult single = run_pblur(
          {"in/" + name + ".png", "single.jpg", "--seq", "--depth", "8", "--flatten", "#102030"},
          dir.path());
      ASSERT_EQ(single.exit_code, 0) << single.err;
      EXPECT_EQ(bytes_of(dir / "out" / (name + ".jpg")), bytes_of(dir / "single.jpg"))
          << name << " " << split;
    }
  }
}

TEST(AlphaOption, StraightGivesTodaysBytesAndPremultipliedDiffersOnlyWithAlpha) {
  TemporaryFolder dir;
  const fs::path rgba = write_image(dir / "rgba.png", make_image(50, 40, CV_8UC4, 8));
  const cv::Mat image = read_image(rgba);
  cv::Mat straight;
  cv::GaussianBlur(image, straight, cv::Size(0, 0), 2.0, 2.0, cv::BORDER_REFLECT_101);
  for (const auto& backend : kBackends) {
    std::vector<std::string> args = {rgba.string(), "out.png", "--alpha", "straight"};
    args.insert(args.end(), backend.begin(), backend.end());
    ASSERT_EQ(run_pblur(args, dir.path()).exit_code, 0);
    EXPECT_TRUE(same_pixels(read_image(dir / "out.png"), straight)) << backend[0];
    args[3] = "premultiplied";
    ASSERT_EQ(run_pblur(args, dir.path()).exit_code, 0);
    EXPECT_TRUE(same_pixels(read_image(dir / "out.png"), blurred(image))) << backend[0];
  }
  EXPECT_FALSE(same_pixels(blurred(image), straight));
}

TEST(LinearOption, EveryBackendGivesTheWholeImageBytes) {
  TemporaryFolder dir;
  const fs::path input = write_image(dir / "in.png", make_image(61, 47, CV_8UC4, 9));
  FilterChain chain{FilterSpec{}};
  chain.set_pixel_mode(PixelMode{AlphaMode::premultiplied, true});
  const cv::Mat expected = filter_image(read_image(input), chain);
  for (const auto& backend : kBackends) {
    std::vector<std::string> args = {input.string(), "out.png", "--linear"};
    args.insert(args.end(), backend.begin(), backend.end());
    ASSERT_EQ(run_pblur(args, dir.path()).exit_code, 0);
    EXPECT_TRUE(same_pixels(read_image(dir / "out.png"), expected)) << backend[0];
  }
  EXPECT_FALSE(same_pixels(expected, blurred(read_image(input))));
}

}  // namespace
}  // namespace pblur::test
