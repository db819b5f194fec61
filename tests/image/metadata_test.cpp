// Metadata read beside the pixels and written again: EXIF checked and made to agree with the
// output, the JPEG quality estimated from the tables, every blob kept through each format that
// holds it.
#include <gtest/gtest.h>

#include <cstdint>

#include "codec_test_support.h"
#include "core/image/exif_block.h"
#include "core/image/image_io.h"
#include "core/image/jpeg_reader.h"
#include "core/image/jpeg_writer.h"
#include "core/image/row_codec.h"
#include "core/image/whole_image.h"
#include "test_support.h"

namespace pblur {
namespace {

using Bytes = std::vector<std::byte>;

void put16(Bytes& b, std::uint32_t v) {
  b.push_back(std::byte(v >> 8));
  b.push_back(std::byte(v & 0xFF));
}
void put32(Bytes& b, std::uint32_t v) {
  put16(b, v >> 16);
  put16(b, v & 0xFFFF);
}
void entry(Bytes& b, std::uint32_t tag, std::uint32_t type, std::uint32_t count,
           std::uint32_t value) {
  put16(b, tag);
  put16(b, type);
  put32(b, count);
  if (type == 3 && count == 1) {
    put16(b, value);
    put16(b, 0);
  } else {
    put32(b, value);
  }
}

// A big-endian EXIF block: IFD0 {Make "Canon" (out of line), Orientation, ExifIFD pointer},
// ExifIFD {PixelXDimension LONG, PixelYDimension SHORT}.
Bytes exif_block(int orientation, int width, int height) {
  Bytes b = {std::byte{'M'}, std::byte{'M'}};
  put16(b, 42);
  put32(b, 8);
  put16(b, 3);                 // IFD0 at 8: 2 + 3 * 12 + 4 = 42 bytes, ends at 50
  entry(b, 0x010F, 2, 6, 50);  // Make at 50
  entry(b, 0x0112, 3, 1, std::uint32_t(orientation));
  entry(b, 0x8769, 4, 1, 56);  // ExifIFD at 56
  put32(b, 0);
  for (const char c : std::string_view("Canon\0", 6)) b.push_back(std::byte(c));
  put16(b, 2);
  entry(b, 0xA002, 4, 1, std::uint32_t(width));
  entry(b, 0xA003, 3, 1, std::uint32_t(height));
  put32(b, 0);
  return b;
}

TEST(ExifBlock, UprightSetsTheOrientationToOneAndNothingElse) {
  Bytes exif = exif_block(6, 40, 30);
  set_exif_upright(exif);
  EXPECT_EQ(exif, exif_block(1, 40, 30));
}

TEST(ExifBlock, PixelSizeBecomesTheOutputsInLongAndShortFields) {
  Bytes exif = exif_block(1, 40, 30);
  set_exif_pixel_size(exif, 3000, 2000);
  EXPECT_EQ(exif, exif_block(1, 3000, 2000));
}

TEST(ExifBlock, AWellFormedBlockPassesTheCheck) {
  EXPECT_NO_THROW(check_exif_block(exif_block(3, 1, 1)));
}

TEST(ExifBlock, BlocksPointingOutsideThemselvesAreRefusedWithTheReason) {
  Bytes cut = exif_block(1, 4, 4);
  cut.resize(60);  // the ExifIFD's entries are gone
  Bytes far = exif_block(1, 4, 4);
  far[7] = std::byte{200};  // IFD0 beyond the end
  Bytes no_mark = exif_block(1, 4, 4);
  no_mark[0] = std::byte{'X'};
  for (const Bytes& bad : {cut, far}) {
    try {
      check_exif_block(bad);
      ADD_FAILURE() << "accepted";
    } catch (const CodecError& error) {
      EXPECT_STREQ(error.what(), "the EXIF block points outside itself");
    }
  }
  EXPECT_THROW(check_exif_block(no_mark), CodecError);
  EXPECT_THROW(check_exif_block(Bytes(5)), CodecError);
}

Bytes jpeg_at(const cv::Mat& image, int quality, const ImageMetadata& metadata = {}) {
  testing::MemoryFile file;
  JpegWriteOptions options;
  options.quality = quality;
  JpegWriter writer(file.get(), layout_of(image), options, metadata);
  write_whole_image(writer, image);
  const auto bytes = file.bytes();
  return Bytes(reinterpret_cast<const std::byte*>(bytes.data()),
               reinterpret_cast<const std::byte*>(bytes.data()) + bytes.size());
}

TEST(JpegQuality, TheQualityOfAnIjgJpegIsFoundExactlyInColourAndGray) {
  const cv::Mat colour = testing::photo(32, 32), gray = testing::photo(32, 32, CV_8UC1);
  for (const int quality : {1, 10, 25, 49, 50, 51, 75, 80, 92, 95, 99, 100}) {
    for (const cv::Mat& image : {colour, gray}) {
      const Bytes bytes = jpeg_at(image, quality);
      JpegReader reader{std::span<const std::byte>(bytes)};
      EXPECT_EQ(reader.jpeg_quality(), quality) << image.channels() << " channels";
    }
  }
}

// The sRGB profile that Little CMS builds (Pillow's ImageCms.createProfile("sRGB")).
Bytes srgb_profile() {
  return testing::read_file(std::string(PBLUR_IMAGE_TEST_DIR) + "/srgb.icc");
}

ImageMetadata full_metadata(int orientation, int width, int height) {
  ImageMetadata metadata;
  metadata.exif = exif_block(orientation, width, height);
  metadata.icc = srgb_profile();
  const std::string xmp = "<x:xmpmeta xmlns:x='adobe:ns:meta/'></x:xmpmeta>";
  for (const char c : xmp) metadata.xmp.push_back(std::byte(c));
  metadata.iptc = {std::byte{'8'}, std::byte{'B'}, std::byte{'I'}, std::byte{'M'},
                   std::byte{4},   std::byte{4},   std::byte{0},   std::byte{0},
                   std::byte{0},   std::byte{0},   std::byte{0},   std::byte{0}};
  metadata.resolution = Resolution{Resolution::Unit::inch, 300, 300};
  return metadata;
}

struct Loaded {
  cv::Mat image;
  ImageOrigin origin;
};

Loaded load(const std::filesystem::path& path) {
  Loaded loaded;
  loaded.image = load_image(path, {}, &loaded.origin);
  return loaded;
}

TEST(MetadataRoundTrip, ATurnedJpegComesOutUprightWithEveryBlobAndItsQuality) {
  testing::TemporaryFolder folder;
  const cv::Mat image = testing::photo(20, 30);
  testing::write_file(folder / "in.jpg", jpeg_at(image, 80, full_metadata(6, 30, 20)));
  const Loaded in = load(folder / "in.jpg");
  ASSERT_EQ(in.image.cols, 20);
  EXPECT_EQ(in.origin.jpeg_quality, 80);
  EXPECT_TRUE(in.origin.warnings.empty());
  save_image(in.image, folder / "out.jpg", {}, in.origin);
  const Loaded out = load(folder / "out.jpg");
  ImageMetadata expected = full_metadata(1, 20, 30);
  EXPECT_EQ(out.origin.metadata, expected);
  EXPECT_EQ(out.origin.jpeg_quality, 80);
  EXPECT_EQ(out.image.cols, 20);
}

TEST(MetadataRoundTrip, AProfileLargerThanOneMarkerIsSplitAndJoinedAgain) {
  testing::TemporaryFolder folder;
  ImageMetadata source;
  for (int i = 0; i < 150000; ++i) source.icc.push_back(std::byte(i * 7));  // three APP2 markers
  testing::write_file(folder / "in.jpg", jpeg_at(testing::photo(20, 30), 90, source));
  const Loaded in = load(folder / "in.jpg");
  save_image(in.image, folder / "out.jpg", {}, in.origin);
  EXPECT_EQ(load(folder / "out.jpg").origin.metadata.icc, source.icc);
}

TEST(MetadataRoundTrip, PngAndTiffKeepWhatTheyHold) {
  testing::TemporaryFolder folder;
  const cv::Mat image = testing::photo(20, 30);
  const ImageMetadata source = full_metadata(1, 30, 20);
  testing::write_file(folder / "in.jpg", jpeg_at(image, 90, source));
  const Loaded in = load(folder / "in.jpg");
  save_image(in.image, folder / "out.png", {}, in.origin);
  save_image(in.image, folder / "out.tif", {}, in.origin);
  ImageMetadata png = source, tiff = source;
  png.iptc.clear();  // PNG has no IPTC chunk
  png.resolution = Resolution{Resolution::Unit::centimetre, 118.11, 118.11};  // pHYs per metre
  tiff.exif.clear();
  EXPECT_EQ(load(folder / "out.png").origin.metadata, png);
  EXPECT_EQ(load(folder / "out.tif").origin.metadata, tiff);
}

TEST(MetadataRoundTrip, APngCarriesItsExifChunkOnceBeforeItsPixels) {
  testing::TemporaryFolder folder;
  testing::write_file(folder / "in.jpg",
                      jpeg_at(testing::photo(20, 30), 90, full_metadata(1, 30, 20)));
  const Loaded in = load(folder / "in.jpg");
  const std::vector<uchar> png = encode_image(in.image, "out.png", {}, in.origin);
  const std::string text(png.begin(), png.end());
  const std::size_t exif = text.find("eXIf");
  EXPECT_LT(exif, text.find("IDAT"));
  EXPECT_EQ(text.find("eXIf", exif + 1), std::string::npos);
}

TEST(MetadataRoundTrip, KeepNoneWritesNoBlobAndKeepIccOnlyTheProfile) {
  testing::TemporaryFolder folder;
  const ImageMetadata source = full_metadata(1, 30, 20);
  testing::write_file(folder / "in.jpg", jpeg_at(testing::photo(20, 30), 90, source));
  const Loaded in = load(folder / "in.jpg");
  SaveOptions none, icc;
  none.keep = MetadataKeep::none();
  icc.keep = MetadataKeep::none();
  icc.keep.icc = true;
  for (const char* name : {"none.jpg", "none.png", "none.tif"}) {
    save_image(in.image, folder / name, none, in.origin);
    const ImageMetadata back = load(folder / name).origin.metadata;
    EXPECT_TRUE(back.exif.empty() && back.icc.empty() && back.xmp.empty() && back.iptc.empty())
        << name;
  }
  save_image(in.image, folder / "icc.jpg", icc, in.origin);
  ImageMetadata expected;
  expected.icc = source.icc;
  expected.resolution = source.resolution;
  EXPECT_EQ(load(folder / "icc.jpg").origin.metadata, expected);
}

TEST(MetadataRoundTrip, ACorruptExifBlockIsDroppedWithAWarningAndTheRestKept) {
  testing::TemporaryFolder folder;
  ImageMetadata source = full_metadata(1, 30, 20);
  source.exif.resize(20);
  testing::write_file(folder / "in.jpg", jpeg_at(testing::photo(20, 30), 90, source));
  const Loaded in = load(folder / "in.jpg");
  ASSERT_EQ(in.origin.warnings.size(), 1u);
  EXPECT_EQ(in.origin.warnings[0],
            "'" + (folder / "in.jpg").string() +
                "': its EXIF block is corrupt (the EXIF block points outside itself); the output "
                "is written without it");
  save_image(in.image, folder / "out.jpg", {}, in.origin);
  ImageMetadata expected = full_metadata(1, 30, 20);
  expected.exif.clear();
  EXPECT_EQ(load(folder / "out.jpg").origin.metadata, expected);
}

TEST(OutputQuality, GivenWinsThenAJpegInputsForJpegOnlyThenTheDefault) {
  ImageOrigin jpeg;
  jpeg.jpeg_quality = 72;
  SaveOptions given;
  given.quality = 40;
  EXPECT_EQ(output_quality("a.jpg", given, jpeg), 40);
  EXPECT_EQ(output_quality("a.JPEG", {}, jpeg), 72);
  EXPECT_EQ(output_quality("a.webp", {}, jpeg), std::nullopt);
  EXPECT_EQ(output_quality("a.jpg", {}, ImageOrigin{}), std::nullopt);
}

}  // namespace
}  // namespace pblur
