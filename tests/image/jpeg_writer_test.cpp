// JPEG encoding row by row: cv::imencode's bytes for the same settings; metadata round-trips.
#include <gtest/gtest.h>
#include <opencv2/imgcodecs.hpp>

#include "codec_test_support.h"
#include "core/image/jpeg_reader.h"
#include "core/image/jpeg_writer.h"
#include "core/image/whole_image.h"
#include "test_support.h"

namespace pblur {
namespace {

std::vector<uchar> encode(const cv::Mat& image, const JpegWriteOptions& options,
                          const ImageMetadata& metadata = {}, int rows_per_call = 0) {
  testing::MemoryFile file;
  JpegWriter writer(file.get(), layout_of(image), options, metadata);
  const int chunk = rows_per_call > 0 ? rows_per_call : image.rows;
  for (int y = 0; y < image.rows; y += chunk) {
    writer.write_rows(reinterpret_cast<const std::byte*>(image.ptr(y)), image.step[0],
                      std::min(chunk, image.rows - y));
  }
  writer.finish();
  return file.bytes();
}

std::vector<uchar> opencv_encode(const cv::Mat& image, const std::vector<int>& parameters) {
  std::vector<uchar> bytes;
  EXPECT_TRUE(cv::imencode(".jpg", image, bytes, parameters));
  return bytes;
}

TEST(JpegWriter, WritesImencodesBytesAtEveryQuality) {
  const std::vector<cv::Mat> images = {cv::imread(testing::sample_image("fruits.jpg").string()),
                                       testing::photo(333, 221, CV_8UC1),
                                       testing::photo(19, 23, CV_8UC4),
                                       testing::random_image(17, 13, CV_8UC3),
                                       testing::photo(1, 1),
                                       testing::photo(1, 57),
                                       testing::photo(43, 1, CV_8UC1)};
  for (const cv::Mat& image : images) {
    for (const int quality : {0, 1, 10, 50, 75, 90, 95, 100}) {
      SCOPED_TRACE(std::to_string(image.cols) + "x" + std::to_string(image.rows) + " type " +
                   std::to_string(image.type()) + " quality " + std::to_string(quality));
      JpegWriteOptions options;
      options.quality = quality;
      EXPECT_EQ(encode(image, options, {}, 7),
                opencv_encode(image, {cv::IMWRITE_JPEG_QUALITY, quality}));
    }
    EXPECT_EQ(encode(image, {}), opencv_encode(image, {}));
  }
}

TEST(JpegWriter, WritesImencodesBytesForProgressiveOptimizedAndRestarts) {
  const cv::Mat image = testing::photo(141, 203);
  JpegWriteOptions progressive, optimized, restarts, all;
  progressive.progressive = true;
  optimized.optimize = true;
  restarts.restart_interval = 3;
  all = {80, true, true, 2};
  EXPECT_EQ(encode(image, progressive), opencv_encode(image, {cv::IMWRITE_JPEG_PROGRESSIVE, 1}));
  EXPECT_EQ(encode(image, optimized), opencv_encode(image, {cv::IMWRITE_JPEG_OPTIMIZE, 1}));
  EXPECT_EQ(encode(image, restarts), opencv_encode(image, {cv::IMWRITE_JPEG_RST_INTERVAL, 3}));
  EXPECT_EQ(encode(image, all, {}, 1),
            opencv_encode(image, {cv::IMWRITE_JPEG_QUALITY, 80, cv::IMWRITE_JPEG_PROGRESSIVE, 1,
                                  cv::IMWRITE_JPEG_OPTIMIZE, 1, cv::IMWRITE_JPEG_RST_INTERVAL, 2}));
}

std::vector<std::byte> blob(const std::string& text) {
  const auto bytes = std::as_bytes(std::span(text));
  return {bytes.begin(), bytes.end()};
}

TEST(JpegWriter, WritesMetadataThatTheReaderReadsBackWithTheSamePixels) {
  const cv::Mat image = testing::photo(37, 29);
  ImageMetadata metadata;
  metadata.exif = blob(std::string("MM\0*\0\0\0\x08\0\0\0\0\0\0", 14));
  metadata.icc = blob(std::string(70000, 'c'));  // more than one marker holds
  metadata.xmp = blob("<x:xmpmeta xmlns:x='adobe:ns:meta/'/>");
  metadata.iptc = blob("8BIM\x04\x04");
  metadata.resolution = Resolution{Resolution::Unit::inch, 300, 150};
  const auto with = encode(image, {}, metadata);
  JpegReader reader{std::as_bytes(std::span(with))};
  EXPECT_EQ(reader.metadata(), metadata);

  const auto without = encode(image, {});
  JpegReader plain{std::as_bytes(std::span(without))};
  EXPECT_TRUE(testing::identical(read_whole_image(reader), read_whole_image(plain)));
  EXPECT_EQ(plain.metadata().resolution, (Resolution{Resolution::Unit::none, 1, 1}));
  EXPECT_TRUE(plain.metadata().exif.empty() && plain.metadata().icc.empty());
}

TEST(JpegWriter, RefusesWhatAJpegCannotHoldAndMissingRows) {
  testing::MemoryFile file;
  EXPECT_THROW(JpegWriter(file.get(), RowLayout{4, 4, 3, 16}), CodecError);
  EXPECT_THROW(JpegWriter(file.get(), RowLayout{70000, 4, 3, 8}), CodecError);
  JpegWriter writer(file.get(), RowLayout{4, 4, 1, 8});
  const std::vector<std::byte> row(4);
  writer.write_rows(row.data(), 4, 1);
  EXPECT_THROW(writer.finish(), CodecError);
  EXPECT_THROW(writer.write_rows(row.data(), 4, 4), CodecError);
}

TEST(JpegWriter, ReportsAFailedWrite) {
  std::FILE* full = std::fopen("/dev/full", "wb");
  ASSERT_NE(full, nullptr);
  {
    const cv::Mat image = testing::photo(64, 64);
    EXPECT_THROW(
        {
          JpegWriter writer(full, layout_of(image));
          write_whole_image(writer, image);
        },
        CodecError);
  }
  std::fclose(full);
}

}  // namespace
}  // namespace pblur
