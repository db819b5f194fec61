// Binary PGM and PPM row by row: cv::imread's pixels for every header OpenCV accepts, the same
// refusals, and cv::imencode's bytes, header included.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <opencv2/imgcodecs.hpp>

#include "codec_test_support.h"
#include "core/image/pnm_reader.h"
#include "core/image/pnm_writer.h"
#include "core/image/whole_image.h"
#include "test_support.h"

namespace pblur {
namespace {

using ::testing::HasSubstr;

std::vector<std::byte> as_bytes(const std::vector<uchar>& bytes) {
  const auto view = std::as_bytes(std::span(bytes));
  return {view.begin(), view.end()};
}

std::vector<std::byte> as_bytes(const std::string& text) {
  const auto view = std::as_bytes(std::span(text));
  return {view.begin(), view.end()};
}

cv::Mat opencv_decode(const std::vector<std::byte>& bytes) {
  const cv::Mat buffer(1, int(bytes.size()), CV_8U, const_cast<std::byte*>(bytes.data()));
  try {
    return cv::imdecode(buffer, cv::IMREAD_UNCHANGED);
  } catch (const cv::Exception&) {
    return {};
  }
}

// Decodes `bytes` from memory whole and from a FILE* three rows at a time.
void expect_decoded_as_imread(const std::vector<std::byte>& bytes) {
  const cv::Mat expected = opencv_decode(bytes);
  ASSERT_FALSE(expected.empty());
  ASSERT_TRUE(is_binary_pnm(bytes));
  PnmReader whole{std::span(bytes)};
  EXPECT_TRUE(whole.can_stream());
  EXPECT_TRUE(testing::identical(read_whole_image(whole), expected));
  testing::TemporaryFolder folder;
  testing::write_file(folder / "image.pnm", bytes);
  std::FILE* file = std::fopen((folder / "image.pnm").c_str(), "rb");
  ASSERT_NE(file, nullptr);
  {
    PnmReader reader(file);
    EXPECT_TRUE(testing::identical(testing::read_in_chunks(reader, 3), expected));
  }
  std::fclose(file);
}

std::vector<cv::Mat> images_of_every_layout() {
  std::vector<cv::Mat> images;
  for (const int type : {CV_8UC1, CV_8UC3, CV_16UC1, CV_16UC3}) {
    images.push_back(testing::photo(67, 45, type));
    images.push_back(testing::random_image(13, 17, type));
  }
  images.push_back(testing::photo(1, 1));
  images.push_back(testing::photo(1, 40, CV_16UC1));
  images.push_back(testing::photo(40, 1, CV_8UC1));
  return images;
}

std::string extension_of(const cv::Mat& image) {
  return image.channels() == 1 ? ".pgm" : ".ppm";
}

std::vector<uchar> encode(const cv::Mat& image, PnmKind kind) {
  testing::MemoryFile file;
  PnmWriter writer(file.get(), layout_of(image), kind);
  for (int y = 0; y < image.rows; y += 4) {
    writer.write_rows(reinterpret_cast<const std::byte*>(image.ptr(y)), image.step[0],
                      std::min(4, image.rows - y));
  }
  writer.finish();
  return file.bytes();
}

TEST(PnmReader, DecodesEveryLayoutOpenCvWritesAsImread) {
  for (const cv::Mat& image : images_of_every_layout()) {
    std::vector<uchar> encoded;
    ASSERT_TRUE(cv::imencode(extension_of(image), image, encoded));
    expect_decoded_as_imread(as_bytes(encoded));
    EXPECT_TRUE(testing::identical(opencv_decode(as_bytes(encoded)), image));
  }
}

TEST(PnmReader, ParsesHeadersAsOpenCvDoes) {
  const std::string pixels = std::string("\x01\xff\x7f\x80\x00\x10", 6);
  for (const std::string& header :
       {std::string("P5\n3 2\n255\n"), std::string("P5 3 2 255 "),
        std::string("P5\t#a comment\n 3\r\n2\n# another\r255\n"), std::string("P5\n3 2\n100\n"),
        std::string("P5\n3 2\n1\t"), std::string("P6\n2 1\n200\n"), std::string("P6\n1 1\n256\n"),
        std::string("P5\n1 3\n1000\n"), std::string("P5\n3 1\n65535\n")}) {
    SCOPED_TRACE(header);
    expect_decoded_as_imread(as_bytes(header + pixels + "trailing bytes"));
  }
}

TEST(PnmReader, SixteenBitSamplesAreBigEndianAndKeptAsStored) {
  const auto bytes = as_bytes(std::string("P6\n1 1\n300\n\x01\x02\x03\x04\xff\xfe", 17));
  PnmReader reader{std::span(bytes)};
  EXPECT_EQ(reader.layout(), (RowLayout{1, 1, 3, 16}));
  const cv::Mat image = read_whole_image(reader);
  EXPECT_EQ(image.at<cv::Vec3w>(0, 0), cv::Vec3w(0xfffe, 0x0304, 0x0102));
}

TEST(PnmReader, RefusesWhatOpenCvRefusesWithAReason) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"P5\n0 2\n255\n", "no pixels"},
      {"P5\n2 2\n0\n", "maxval"},
      {"P5\n2 2\n65536\n", "maxval"},
      {"P5\n2 x\n255\n", "not a number"},
      {"P5\n99999999999 1\n255\n", "too large"},
      {"P5\n2 2", "header ends early"},
      {"P5\n2 2\n255\n\x01\x02\x03", "ends in row 2 of 2"},
      {"P6\n2 1\n65535\n\x01\x02\x03\x04\x05\x06\x07\x08\x09\x0a\x0b", "ends in row 1 of 1"}};
  for (const auto& [text, reason] : cases) {
    SCOPED_TRACE(text);
    const auto bytes = as_bytes(text);
    EXPECT_TRUE(opencv_decode(bytes).empty());
    try {
      PnmReader reader{std::span(bytes)};
      read_whole_image(reader);
      ADD_FAILURE() << "decoded";
    } catch (const CodecError& error) {
      EXPECT_THAT(error.what(), HasSubstr(reason));
    }
  }
}

TEST(PnmReader, LeavesAsciiAndBitmapKindsToOpenCv) {
  for (const std::string signature : {"P1\n", "P2\n", "P3\n", "P4\n", "P7\n", "P5x", "P6"}) {
    EXPECT_FALSE(is_binary_pnm(as_bytes(signature))) << signature;
  }
  EXPECT_TRUE(is_binary_pnm(as_bytes(std::string("P5 "))));
  EXPECT_TRUE(is_binary_pnm(as_bytes(std::string("P6\r"))));
}

TEST(PnmWriter, WritesImencodesBytesForEveryLayoutAndExtension) {
  for (const cv::Mat& image : images_of_every_layout()) {
    SCOPED_TRACE(std::to_string(image.cols) + "x" + std::to_string(image.rows) + " type " +
                 std::to_string(image.type()));
    std::vector<uchar> expected;
    ASSERT_TRUE(cv::imencode(extension_of(image), image, expected));
    EXPECT_EQ(encode(image, image.channels() == 1 ? PnmKind::pgm : PnmKind::ppm), expected);
    ASSERT_TRUE(cv::imencode(".pnm", image, expected));
    EXPECT_EQ(encode(image, PnmKind::any), expected);
  }
}

TEST(PnmWriter, RefusesLayoutsItsExtensionCannotHold) {
  testing::MemoryFile file;
  const std::vector<std::tuple<RowLayout, PnmKind, std::string>> cases = {
      {{4, 4, 3, 8}, PnmKind::pgm, "gray rows only"},
      {{4, 4, 1, 8}, PnmKind::ppm, "BGR rows only"},
      {{4, 4, 4, 8}, PnmKind::any, "BGR rows only"},
      {{4, 4, 4, 16}, PnmKind::ppm, "BGR rows only"}};
  for (const auto& [layout, kind, reason] : cases) {
    try {
      PnmWriter writer(file.get(), layout, kind);
      ADD_FAILURE() << "accepted";
    } catch (const CodecError& error) {
      EXPECT_THAT(error.what(), HasSubstr(reason));
    }
  }
  EXPECT_TRUE(file.bytes().empty());
}

}  // namespace
}  // namespace pblur
