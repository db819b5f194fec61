// load_image and save_image go through pblur's own codecs where it has them: OpenCV's pixels and
// bytes, and a decoder's complaint becomes pblur's one line, not libpng's or libtiff's print.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <opencv2/imgcodecs.hpp>

#include "cli_runner.h"
#include "codec_test_support.h"
#include "core/base/errors.h"
#include "core/image/image_io.h"
#include "test_support.h"

namespace pblur {
namespace {

namespace fs = std::filesystem;
using ::testing::StartsWith;

const std::vector<int> kTypes = {CV_8UC1, CV_8UC3, CV_8UC4, CV_16UC1, CV_16UC3, CV_16UC4};

bool opencv_round_trip_keeps(const std::string& extension, int type) {
  const cv::Mat probe(64, 64, type, cv::Scalar::all(1));
  std::vector<uchar> bytes;
  try {
    if (!cv::imencode(extension == ".pxm" ? ".pnm" : extension, probe, bytes)) return false;
  } catch (const cv::Exception&) {
    return false;
  }
  const int flags = extension.starts_with(".jp") ? cv::IMREAD_ANYCOLOR | cv::IMREAD_ANYDEPTH
                                                 : cv::IMREAD_UNCHANGED;
  return cv::imdecode(bytes, flags).type() == type;
}

bool can_hold(const std::string& extension, int type) {
  try {
    check_output_can_hold("x" + extension, cv::Mat(4, 4, type));
    return true;
  } catch (const OutputError&) {
    return false;
  }
}

TEST(WholeImageIo, LoadsEveryTypeAsImreadDoes) {
  testing::TemporaryFolder folder;
  for (const char* extension : {".jpg", ".png", ".ppm", ".pgm", ".tif"}) {
    for (const int type : kTypes) {
      const cv::Mat image = testing::photo(37, 29, type);
      if (!opencv_round_trip_keeps(extension, type)) continue;
      SCOPED_TRACE(std::string(extension) + " type " + std::to_string(type));
      const fs::path path = folder / (std::string("image") + extension);
      ASSERT_TRUE(cv::imwrite(path.string(), image));
      const int flags = std::string(extension) == ".jpg" ? cv::IMREAD_ANYCOLOR | cv::IMREAD_ANYDEPTH
                                                         : cv::IMREAD_UNCHANGED;
      EXPECT_TRUE(testing::identical(load_image(path), cv::imread(path.string(), flags)));
    }
  }
}

TEST(WholeImageIo, EncodesTheBytesImencodeDoes) {
  for (const char* extension : {".jpg", ".jpeg", ".png", ".ppm", ".pgm", ".pnm", ".pxm", ".tif"}) {
    for (const int type : kTypes) {
      if (!can_hold(extension, type)) continue;
      SCOPED_TRACE(std::string(extension) + " type " + std::to_string(type));
      const cv::Mat image = testing::photo(41, 33, type);
      std::vector<uchar> expected;
      const std::string opencv_extension = std::string(extension) == ".pxm" ? ".pnm" : extension;
      ASSERT_TRUE(cv::imencode(opencv_extension, image, expected));
      EXPECT_EQ(encode_image(image, std::string("x") + extension), expected);
    }
  }
  const cv::Mat photo = testing::photo(40, 48, CV_8UC3);
  std::vector<uchar> expected;
  ASSERT_TRUE(cv::imencode(".jpg", photo, expected, {cv::IMWRITE_JPEG_QUALITY, 40}));
  EXPECT_EQ(encode_image(photo, "x.JPG", {.quality = 40, .keep = {}}), expected);
}

TEST(WholeImageIo, RefusesExactlyWhatOpenCvWouldChange) {
  for (const char* extension : {".jpg", ".png", ".ppm", ".pgm", ".pnm", ".pxm", ".tif"}) {
    for (const int type : kTypes) {
      SCOPED_TRACE(std::string(extension) + " type " + std::to_string(type));
      EXPECT_EQ(can_hold(extension, type), opencv_round_trip_keeps(extension, type));
    }
  }
}

TEST(WholeImageIo, ADecoderComplaintIsOneLineOfPblur) {
  testing::TemporaryFolder folder;
  std::vector<std::byte> png = testing::read_file(testing::sample_image("butterfly_rgba.png"));
  png[png.size() / 2] ^= std::byte{0x5a};  // inside IDAT: its CRC no longer matches
  const fs::path input = folder / "crc.png";
  testing::write_file(input, png);
  EXPECT_THROW(load_image(input), InputError);
  const std::vector<std::vector<std::string>> backends = {{"--seq"}, {"--threads", "2"}};
  for (const auto& backend : backends) {
    std::vector<std::string> arguments = {input.string(), (folder / "out.png").string()};
    arguments.insert(arguments.end(), backend.begin(), backend.end());
    const auto result = testing::run_pblur(arguments);
    EXPECT_EQ(result.exit_code, 3);
    EXPECT_THAT(result.err, StartsWith("pblur: error: cannot read '" + input.string() +
                                       "': the file is corrupt ("));
    EXPECT_EQ(std::count(result.err.begin(), result.err.end(), '\n'), 1) << result.err;
    EXPECT_FALSE(fs::exists(folder / "out.png"));
  }
}

}  // namespace
}  // namespace pblur
