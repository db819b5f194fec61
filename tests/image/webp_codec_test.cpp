// WebP through libwebp: cv::imread's pixels for lossy and lossless, with and without alpha, and
// cv::imencode's bytes for every quality and lossless, gray, BGR and BGRA, down to one pixel; the
// ICC profile, EXIF and XMP chunks written and read back; a cut file refused.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <opencv2/imgcodecs.hpp>

#include "codec_test_support.h"
#include "core/image/row_codecs.h"
#include "core/image/webp_reader.h"
#include "core/image/webp_writer.h"
#include "core/image/whole_image.h"
#include "test_support.h"

namespace pblur {
namespace {

namespace fs = std::filesystem;

std::vector<cv::Mat> images_of_every_layout() {
  std::vector<cv::Mat> images;
  for (const int type : {CV_8UC1, CV_8UC3, CV_8UC4}) {
    images.push_back(testing::photo(29, 31, type));
    images.push_back(testing::random_image(13, 17, type));
    images.push_back(testing::photo(1, 1, type));
    images.push_back(testing::photo(1, 40, type));
    images.push_back(testing::photo(40, 1, type));
  }
  return images;
}

std::string describe(const cv::Mat& image) {
  return std::to_string(image.cols) + "x" + std::to_string(image.rows) + "x" +
         std::to_string(image.channels());
}

// `image` written by WebpWriter in chunks of 4 rows.
std::vector<uchar> encode(const cv::Mat& image, const WebpWriteOptions& options,
                          const ImageMetadata& metadata = {}) {
  testing::MemoryFile file;
  WebpWriter writer(file.get(), layout_of(image), options, metadata);
  for (int y = 0; y < image.rows; y += 4) {
    writer.write_rows(reinterpret_cast<const std::byte*>(image.ptr(y)), image.step[0],
                      std::min(4, image.rows - y));
  }
  writer.finish();
  return file.bytes();
}

std::vector<uchar> opencv_encode(const cv::Mat& image, const std::vector<int>& parameters) {
  std::vector<uchar> bytes;
  EXPECT_TRUE(cv::imencode(".webp", image, bytes, parameters));
  return bytes;
}

void expect_decoded_as_imread(const std::vector<uchar>& file) {
  const cv::Mat expected = cv::imdecode(file, cv::IMREAD_UNCHANGED);
  ASSERT_FALSE(expected.empty());
  WebpReader whole{std::as_bytes(std::span(file))};
  EXPECT_FALSE(whole.can_stream());
  EXPECT_TRUE(testing::identical(read_whole_image(whole), expected));
  WebpReader chunks{std::as_bytes(std::span(file))};
  EXPECT_TRUE(testing::identical(testing::read_in_chunks(chunks, 3), expected));
}

TEST(WebpWriter, WritesImencodesBytesAtEveryQualityAndLossless) {
  for (const cv::Mat& image : images_of_every_layout()) {
    SCOPED_TRACE(describe(image));
    for (const int quality : {1, 50, 75, 100})
      EXPECT_EQ(encode(image, {quality, false}),
                opencv_encode(image, {cv::IMWRITE_WEBP_QUALITY, quality}))
          << quality;
    EXPECT_EQ(encode(image, {75, true}), opencv_encode(image, {}));
  }
}

TEST(WebpWriter, RefusesWhatWebpCannotHold) {
  testing::MemoryFile file;
  EXPECT_THROW(WebpWriter(file.get(), {8, 8, 3, 16}), CodecError);
  EXPECT_THROW(WebpWriter(file.get(), {16384, 8, 3, 8}), CodecError);
  EXPECT_THROW(WebpWriter(file.get(), {8, 8, 3, 8}, {0, false}), CodecError);
  WebpWriter short_of_rows(file.get(), {8, 8, 3, 8});
  EXPECT_THROW(short_of_rows.finish(), CodecError);
}

TEST(WebpReader, DecodesLossyAndLosslessWithAndWithoutAlphaAsImread) {
  for (const cv::Mat& image : images_of_every_layout()) {
    SCOPED_TRACE(describe(image));
    const std::vector<uchar> lossy = opencv_encode(image, {cv::IMWRITE_WEBP_QUALITY, 80});
    const std::vector<uchar> lossless = opencv_encode(image, {});
    expect_decoded_as_imread(lossy);
    expect_decoded_as_imread(lossless);
    EXPECT_FALSE(WebpReader{std::as_bytes(std::span(lossy))}.webp_lossless());
    EXPECT_TRUE(WebpReader{std::as_bytes(std::span(lossless))}.webp_lossless());
  }
}

TEST(WebpReader, ReadsAFileFromItsPositionAndIsChosenByItsSignature) {
  testing::TemporaryFolder folder;
  const cv::Mat image = testing::photo(21, 19, CV_8UC4);
  const fs::path path = folder / "in.webp";
  ASSERT_TRUE(cv::imwrite(path.string(), image));
  std::FILE* file = std::fopen(path.c_str(), "rb");
  ASSERT_NE(file, nullptr);
  {
    const std::unique_ptr<RowReader> reader = open_row_reader(file);
    ASSERT_NE(dynamic_cast<WebpReader*>(reader.get()), nullptr);
    EXPECT_EQ(reader->layout(), (RowLayout{19, 21, 4, 8}));
    EXPECT_THAT(reader->stream_blocker(), ::testing::HasSubstr("whole"));
    EXPECT_TRUE(testing::identical(read_whole_image(*reader), cv::imread(path.string(), -1)));
  }
  std::fclose(file);
}

TEST(WebpReader, RefusesACutOrDamagedFile) {
  const std::vector<uchar> encoded =
      opencv_encode(testing::photo(60, 60), {cv::IMWRITE_WEBP_QUALITY, 90});
  const auto bytes = std::as_bytes(std::span(encoded));
  WebpReader cut{bytes.first(bytes.size() / 2)};
  EXPECT_THROW(read_whole_image(cut), CodecError);
  EXPECT_THROW(WebpReader{bytes.first(10)}, CodecError);
}

TEST(WebpMetadata, ChunksWrittenAreReadBackAndPixelsAreUnchanged) {
  ImageMetadata metadata;
  metadata.icc = testing::read_file(fs::path(PBLUR_IMAGE_TEST_DIR) / "srgb.icc");
  metadata.exif = {std::byte{'I'}, std::byte{'I'}, std::byte{42}, std::byte{0}};
  metadata.xmp = {std::byte{'<'}, std::byte{'x'}, std::byte{'/'}, std::byte{'>'}};
  for (const int type : {CV_8UC3, CV_8UC4}) {
    const cv::Mat image = testing::photo(9, 11, type);
    for (const bool lossless : {false, true}) {
      const std::vector<uchar> plain = encode(image, {75, lossless});
      const std::vector<uchar> tagged = encode(image, {75, lossless}, metadata);
      WebpReader reader{std::as_bytes(std::span(tagged))};
      EXPECT_EQ(reader.metadata(), metadata);
      EXPECT_EQ(reader.webp_lossless(), lossless);
      EXPECT_TRUE(testing::identical(read_whole_image(reader), cv::imdecode(plain, -1)));
    }
  }
}

}  // namespace
}  // namespace pblur
