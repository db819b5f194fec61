// PNG row by row: cv::imread's pixels for every colour type, interlaced input read whole, and
// cv::imencode's bytes for its default and every compression level and strategy.
#include <cstdlib>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <png.h>
#include <opencv2/imgcodecs.hpp>

#include "codec_test_support.h"
#include "core/image/png_reader.h"
#include "core/image/png_writer.h"
#include "core/image/whole_image.h"
#include "test_support.h"

namespace pblur {
namespace {

using ::testing::HasSubstr;
namespace fs = std::filesystem;

void expect_decoded_as_imread(const fs::path& path, bool streams = true) {
  SCOPED_TRACE(path.string());
  const cv::Mat expected = cv::imread(path.string(), cv::IMREAD_UNCHANGED);
  ASSERT_FALSE(expected.empty());
  const auto bytes = testing::read_file(path);
  PngReader whole{std::span(bytes)};
  EXPECT_TRUE(testing::identical(read_whole_image(whole), expected));
  std::FILE* file = std::fopen(path.c_str(), "rb");
  ASSERT_NE(file, nullptr);
  {
    PngReader reader(file);
    EXPECT_EQ(reader.can_stream(), streams);
    EXPECT_TRUE(testing::identical(testing::read_in_chunks(reader, 3), expected));
  }
  std::fclose(file);
}

fs::path pillow_png(const testing::TemporaryFolder& folder, const std::string& name,
                    const std::vector<std::string>& options) {
  const fs::path source = folder / "source.png", target = folder / (name + ".png");
  if (!fs::exists(source)) cv::imwrite(source.string(), testing::photo(29, 31));
  std::string command =
      std::string(PBLUR_IMAGE_TEST_DIR) + "/make_png.py " + source.string() + " " + target.string();
  for (const auto& option : options) command += " " + option;
  if (std::system(command.c_str()) != 0) throw std::runtime_error("failed: " + command);
  return target;
}

// `image` (8-bit BGR) as an Adam7-interlaced PNG, written with libpng directly.
void write_interlaced(const fs::path& path, const cv::Mat& image) {
  std::FILE* file = std::fopen(path.c_str(), "wb");
  png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, nullptr, nullptr, nullptr);
  png_infop info = png_create_info_struct(png);
  png_init_io(png, file);
  png_set_IHDR(png, info, png_uint_32(image.cols), png_uint_32(image.rows), 8, PNG_COLOR_TYPE_RGB,
               PNG_INTERLACE_ADAM7, PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
  png_write_info(png, info);
  png_set_bgr(png);
  std::vector<png_bytep> rows;
  for (int y = 0; y < image.rows; ++y) rows.push_back(const_cast<png_bytep>(image.ptr(y)));
  png_write_image(png, rows.data());
  png_write_end(png, info);
  png_destroy_write_struct(&png, &info);
  std::fclose(file);
}

std::vector<uchar> encode(const cv::Mat& image, const PngWriteOptions& options,
                          const ImageMetadata& metadata = {}) {
  testing::MemoryFile file;
  PngWriter writer(file.get(), layout_of(image), options, metadata);
  for (int y = 0; y < image.rows; y += 5) {
    writer.write_rows(reinterpret_cast<const std::byte*>(image.ptr(y)), image.step[0],
                      std::min(5, image.rows - y));
  }
  writer.finish();
  return file.bytes();
}

std::vector<cv::Mat> images_of_every_layout() {
  std::vector<cv::Mat> images;
  for (const int type : {CV_8UC1, CV_8UC3, CV_8UC4, CV_16UC1, CV_16UC3, CV_16UC4}) {
    images.push_back(testing::photo(67, 45, type));
    images.push_back(testing::random_image(13, 17, type));
  }
  images.push_back(testing::photo(1, 1));
  images.push_back(testing::photo(1, 40, CV_16UC1));
  images.push_back(testing::photo(40, 1, CV_8UC4));
  return images;
}

TEST(PngReader, DecodesEveryLayoutOpenCvWritesAsImread) {
  testing::TemporaryFolder folder;
  expect_decoded_as_imread(testing::sample_image("butterfly_rgba.png"));
  expect_decoded_as_imread(testing::sample_image("building_gray16.png"));
  int n = 0;
  for (const cv::Mat& image : images_of_every_layout()) {
    const fs::path path = folder / (std::to_string(n++) + ".png");
    cv::imwrite(path.string(), image);
    expect_decoded_as_imread(path);
  }
}

TEST(PngReader, DecodesPaletteGrayAlphaLowBitAndTransparencyAsImread) {
  testing::TemporaryFolder folder;
  const std::vector<std::vector<std::string>> kinds = {{"--mode", "P"},
                                                       {"--mode", "P", "--transparent"},
                                                       {"--mode", "P", "--bits", "2"},
                                                       {"--mode", "LA"},
                                                       {"--mode", "1"},
                                                       {"--mode", "L", "--transparent"},
                                                       {"--mode", "RGB", "--transparent"}};
  int n = 0;
  for (const auto& kind : kinds)
    expect_decoded_as_imread(pillow_png(folder, std::to_string(n++), kind));
}

TEST(PngReader, ReadsAnInterlacedPngWholeAndSaysItCannotStream) {
  testing::TemporaryFolder folder;
  for (const cv::Size size : {cv::Size(1, 1), cv::Size(37, 23), cv::Size(3, 50)}) {
    const fs::path path = folder / "interlaced.png";
    write_interlaced(path, testing::photo(size.height, size.width));
    expect_decoded_as_imread(path, false);
    const auto bytes = testing::read_file(path);
    EXPECT_THAT(PngReader{std::span(bytes)}.stream_blocker(), HasSubstr("interlaced"));
  }
}

TEST(PngReader, FailsOnACutOrDamagedFileWithLibpngsReason) {
  std::vector<uchar> encoded;
  cv::imencode(".png", testing::photo(100, 100), encoded);
  std::vector<std::byte> cut(reinterpret_cast<std::byte*>(encoded.data()),
                             reinterpret_cast<std::byte*>(encoded.data()) + encoded.size() / 2);
  PngReader reader{std::span(cut)};
  EXPECT_THROW(read_whole_image(reader), CodecError);

  std::vector<std::byte> damaged(reinterpret_cast<std::byte*>(encoded.data()),
                                 reinterpret_cast<std::byte*>(encoded.data()) + encoded.size());
  damaged[damaged.size() / 2] ^= std::byte{0x10};
  try {
    PngReader damaged_reader{std::span(damaged)};
    read_whole_image(damaged_reader);
    ADD_FAILURE() << "decoded";
  } catch (const CodecError& error) {
    EXPECT_THAT(error.what(), HasSubstr("CRC error"));
  }
}

TEST(PngWriter, WritesImencodesBytesByDefaultAndAtEveryLevelAndStrategy) {
  for (const cv::Mat& image : images_of_every_layout()) {
    SCOPED_TRACE(std::to_string(image.cols) + "x" + std::to_string(image.rows) + " type " +
                 std::to_string(image.type()));
    std::vector<uchar> expected;
    cv::imencode(".png", image, expected);
    EXPECT_EQ(encode(image, {}), expected);
    for (int level = 0; level <= 9; level += 3) {
      for (int strategy = 0; strategy <= 4; ++strategy) {
        const std::vector<int> parameters = {cv::IMWRITE_PNG_COMPRESSION, level,
                                             cv::IMWRITE_PNG_STRATEGY, strategy};
        cv::imencode(".png", image, expected, parameters);
        EXPECT_EQ(encode(image, PngWriteOptions::from_opencv(parameters)), expected);
      }
      cv::imencode(".png", image, expected, {cv::IMWRITE_PNG_COMPRESSION, level});
      EXPECT_EQ(encode(image, {level, 0}), expected);
    }
  }
}

TEST(PngWriter, WritesMetadataThatTheReaderReadsBack) {
  const cv::Mat image = testing::photo(9, 11, CV_16UC3);
  ImageMetadata metadata;
  metadata.exif = {std::byte{'I'}, std::byte{'I'}, std::byte{42}, std::byte{0}};
  metadata.xmp = {std::byte{'<'}, std::byte{'x'}, std::byte{'/'}, std::byte{'>'}};
  metadata.resolution = Resolution{Resolution::Unit::centimetre, 118, 59};
  const auto bytes = encode(image, {}, metadata);
  PngReader reader{std::as_bytes(std::span(bytes))};
  EXPECT_EQ(reader.metadata(), metadata);
  EXPECT_TRUE(testing::identical(read_whole_image(reader), image));
}

}  // namespace
}  // namespace pblur
