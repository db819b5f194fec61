// A JPEG whose scan is cut short or damaged fails with libjpeg's reason, never decodes to
// invented pixels, and nothing is printed.
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
using Bytes = std::vector<std::byte>;

Bytes fruits() {
  return testing::read_file(testing::sample_image("fruits.jpg"));
}

std::string decode_error(const Bytes& file) {
  try {
    JpegReader reader{std::span(file)};
    read_whole_image(reader);
  } catch (const CodecError& error) {
    return error.what();
  }
  return "decoded";
}

// The first third of `file` and an end-of-image marker.
Bytes cut_to_a_third(Bytes file) {
  file.resize(file.size() / 3);
  file.push_back(std::byte{0xFF});
  file.push_back(std::byte{0xD9});
  return file;
}

// Bits flipped in a few bytes in the middle of the scan (never making a 0xFF byte).
Bytes with_flipped_bits(Bytes file) {
  for (std::size_t at = file.size() / 2; at < file.size() / 2 + 40; at += 8) {
    file[at] ^= std::byte{0x24};
    if (file[at] == std::byte{0xFF}) file[at] = std::byte{0x7F};
  }
  return file;
}

TEST(JpegCorruption, ACutScanWithAnEndMarkerFailsAsPrematureEnd) {
  EXPECT_EQ(decode_error(cut_to_a_third(fruits())),
            "Corrupt JPEG data: premature end of data segment");
}

TEST(JpegCorruption, FlippedBitsInTheScanFail) {
  EXPECT_THAT(decode_error(with_flipped_bits(fruits())), HasSubstr("Corrupt JPEG data"));
}

TEST(JpegCorruption, BytesMissingAtTheEndFail) {
  Bytes file = fruits();
  file.resize(file.size() - 100);
  EXPECT_EQ(decode_error(file), "Premature end of JPEG file");
}

TEST(JpegCorruption, EachProgressiveScanIsCheckedToo) {
  const cv::Mat image = testing::photo(200, 300);
  std::vector<uchar> encoded;
  cv::imencode(".jpg", image, encoded, {cv::IMWRITE_JPEG_PROGRESSIVE, 1});
  const Bytes file(reinterpret_cast<std::byte*>(encoded.data()),
                   reinterpret_cast<std::byte*>(encoded.data()) + encoded.size());
  EXPECT_THAT(decode_error(cut_to_a_third(file)), HasSubstr("Corrupt JPEG data"));
}

TEST(JpegCorruption, NotAJpegFailsWithLibjpegsReason) {
  EXPECT_EQ(decode_error(Bytes(100, std::byte{0x42})), "Not a JPEG file: starts with 0x42 0x42");
}

TEST(JpegCorruption, PrintsNothing) {
  ::testing::internal::CaptureStderr();
  decode_error(cut_to_a_third(fruits()));
  decode_error(with_flipped_bits(fruits()));
  EXPECT_EQ(::testing::internal::GetCapturedStderr(), "");
}

TEST(JpegCorruption, AReaderThatFailedRefusesMoreRows) {
  const Bytes file = cut_to_a_third(fruits());
  JpegReader reader{std::span(file)};
  cv::Mat rows(reader.layout().height, reader.layout().width, reader.layout().cv_type());
  EXPECT_THROW(testing::read_in_chunks(reader, 16), CodecError);
  EXPECT_THROW(reader.read_rows(reinterpret_cast<std::byte*>(rows.data), rows.step[0], 1),
               CodecError);
}

}  // namespace
}  // namespace pblur
