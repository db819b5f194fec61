// JPEG decoding row by row: cv::imread's pixels, EXIF orientation as imread applies it, and
// every decoder warning an error.
#include <cstdlib>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <opencv2/imgcodecs.hpp>

#include "codec_test_support.h"
#include "core/image/jpeg_reader.h"
#include "core/image/whole_image.h"
#include "test_support.h"

namespace pblur {
namespace {

using ::testing::HasSubstr;
namespace fs = std::filesystem;

cv::Mat read_whole(const fs::path& path) {
  const auto bytes = testing::read_file(path);
  JpegReader reader{std::span(bytes)};
  return read_whole_image(reader);
}

void expect_decoded_as_imread(const fs::path& path) {
  SCOPED_TRACE(path.string());
  const cv::Mat expected = testing::opencv_read_jpeg(path);
  ASSERT_FALSE(expected.empty());
  EXPECT_TRUE(testing::identical(read_whole(path), expected));
  std::FILE* file = std::fopen(path.c_str(), "rb");
  ASSERT_NE(file, nullptr);
  {
    JpegReader reader(file);
    EXPECT_EQ(reader.stream_blocker().empty(), reader.can_stream());
    if (reader.orientation() == 1) {
      EXPECT_TRUE(testing::identical(testing::read_in_chunks(reader, 7), expected));
    }
  }
  std::fclose(file);
}

// Writes `image` as a JPEG through Pillow with settings OpenCV cannot choose.
fs::path pillow_jpeg(const testing::TemporaryFolder& folder, const std::string& name,
                     const cv::Mat& image, const std::vector<std::string>& options) {
  const fs::path source = folder / (name + ".png"), target = folder / (name + ".jpg");
  cv::imwrite(source.string(), image);
  std::string command = std::string(PBLUR_IMAGE_TEST_DIR) + "/make_jpeg.py " + source.string() +
                        " " + target.string();
  for (const auto& option : options) command += " " + option;
  if (std::system(command.c_str()) != 0) throw std::runtime_error("failed: " + command);
  return target;
}

fs::path opencv_jpeg(const testing::TemporaryFolder& folder, const std::string& name,
                     const cv::Mat& image, std::vector<int> parameters = {}) {
  const fs::path target = folder / (name + ".jpg");
  cv::imwrite(target.string(), image, parameters);
  return target;
}

TEST(JpegReader, DecodesTheSampleImagesAsImread) {
  for (const char* name : {"building.jpg", "butterfly.jpg", "fruits.jpg", "home.jpg", "orange.jpg"})
    expect_decoded_as_imread(testing::sample_image(name));
  expect_decoded_as_imread(testing::test_data("exif_rotate90.jpg"));
}

TEST(JpegReader, DecodesEverySubsamplingModeAndSizeAsImread) {
  testing::TemporaryFolder folder;
  const std::vector<cv::Size> sizes = {{1, 1}, {1, 37}, {41, 1}, {17, 13}, {333, 221}};
  for (const cv::Size size : sizes) {
    const cv::Mat image = testing::photo(size.height, size.width);
    const std::string base = std::to_string(size.width) + "x" + std::to_string(size.height);
    expect_decoded_as_imread(opencv_jpeg(folder, base + "-opencv", image));
    expect_decoded_as_imread(
        opencv_jpeg(folder, base + "-gray", testing::photo(size.height, size.width, CV_8UC1)));
    for (const char* subsampling : {"0", "1", "2"}) {
      expect_decoded_as_imread(
          pillow_jpeg(folder, base + "-s" + subsampling, image, {"--subsampling", subsampling}));
    }
    expect_decoded_as_imread(pillow_jpeg(folder, base + "-cmyk", image, {"--mode", "CMYK"}));
    expect_decoded_as_imread(pillow_jpeg(folder, base + "-progressive", image, {"--progressive"}));
  }
}

TEST(JpegReader, DecodesRandomPixelsAsImread) {
  testing::TemporaryFolder folder;
  for (const int type : {CV_8UC1, CV_8UC3}) {
    const cv::Mat noise = testing::random_image(61, 47, type);
    expect_decoded_as_imread(opencv_jpeg(folder, "noise" + std::to_string(type), noise,
                                         {cv::IMWRITE_JPEG_QUALITY, 100}));
  }
}

TEST(JpegReader, TellsLayoutAndStreamingBeforeDecoding) {
  testing::TemporaryFolder folder;
  const cv::Mat image = testing::photo(21, 34);
  const auto baseline = testing::read_file(opencv_jpeg(folder, "baseline", image));
  JpegReader reader{std::span(baseline)};
  EXPECT_EQ(reader.layout(), (RowLayout{34, 21, 3, 8}));
  EXPECT_TRUE(reader.can_stream());
  EXPECT_EQ(reader.rows_read(), 0);

  const auto gray = testing::read_file(opencv_jpeg(folder, "gray", testing::photo(5, 6, CV_8UC1)));
  EXPECT_EQ(JpegReader{std::span(gray)}.layout(), (RowLayout{6, 5, 1, 8}));

  const auto progressive = testing::read_file(
      opencv_jpeg(folder, "progressive", image, {cv::IMWRITE_JPEG_PROGRESSIVE, 1}));
  JpegReader progressive_reader{std::span(progressive)};
  EXPECT_FALSE(progressive_reader.can_stream());
  EXPECT_THAT(progressive_reader.stream_blocker(), HasSubstr("progressive"));
}

TEST(JpegReader, RefusesRowsPastTheEnd) {
  testing::TemporaryFolder folder;
  const auto bytes = testing::read_file(opencv_jpeg(folder, "a", testing::photo(4, 4)));
  JpegReader reader{std::span(bytes)};
  std::vector<std::byte> rows(4 * 4 * 3 * 5);
  EXPECT_THROW(reader.read_rows(rows.data(), 12, 5), CodecError);
  reader.read_rows(rows.data(), 12, 4);
  EXPECT_THROW(reader.read_rows(rows.data(), 12, 1), CodecError);
}

}  // namespace
}  // namespace pblur
