#include "core/image/image_io.h"

#include <sys/stat.h>

#include <fstream>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <opencv2/imgcodecs.hpp>

#include "core/base/errors.h"
#include "core/image/image_header.h"
#include "core/ipc/shared_arena.h"
#include "crafted_files.h"
#include "test_support.h"

namespace pblur {
namespace {

using ::testing::HasSubstr;

std::string input_error(const std::filesystem::path& path, LoadOptions options = {}) {
  try {
    load_image(path, options);
  } catch (const InputError& error) {
    return error.what();
  }
  return "no error";
}

void write_bytes(const std::filesystem::path& path, const std::string& bytes) {
  std::ofstream(path, std::ios::binary) << bytes;
}

TEST(LoadImage, AppliesJpegExifOrientation) {
  const cv::Mat image = load_image(testing::test_data("exif_rotate90.jpg"));
  ASSERT_EQ(image.cols, 32);
  ASSERT_EQ(image.rows, 64);
  ASSERT_EQ(image.type(), CV_8UC3);
  const auto red = image.at<cv::Vec3b>(10, 5);  // BGR
  const auto blue = image.at<cv::Vec3b>(50, 5);
  const auto white = image.at<cv::Vec3b>(30, 28);
  EXPECT_TRUE(red[2] >= 200 && red[0] <= 50);
  EXPECT_TRUE(blue[0] >= 200 && blue[2] <= 50);
  EXPECT_TRUE(white[0] >= 200 && white[1] >= 200 && white[2] >= 200);
}

TEST(LoadImage, KeepsChannelsAndDepth) {
  EXPECT_EQ(load_image(testing::sample_image("butterfly_rgba.png")).type(), CV_8UC4);
  EXPECT_EQ(load_image(testing::sample_image("building_gray16.png")).type(), CV_16UC1);
  EXPECT_EQ(load_image(testing::test_data("pil_in_gray.png")).type(), CV_8UC1);
  EXPECT_EQ(load_image(testing::sample_image("fruits.jpg")).type(), CV_8UC3);
}

TEST(LoadImage, DecodesIntoTheGivenAllocator) {
  SharedArena& arena = testing::runtime().arena;
  const std::size_t before = arena.bytes_in_use();
  for (const char* name : {"fruits.jpg", "butterfly_rgba.png"}) {
    const cv::Mat image =
        load_image(testing::sample_image(name), {kDefaultMaxPixels, arena.mat_allocator()});
    EXPECT_TRUE(arena.contains(image.data)) << name;
    EXPECT_TRUE(testing::identical(image, load_image(testing::sample_image(name)))) << name;
  }
  EXPECT_EQ(arena.bytes_in_use(), before);  // released with the last Mat
}

TEST(LoadImage, RefusesEachKindOfBadInputNamingFileAndReason) {
  testing::TemporaryFolder folder;
  EXPECT_THAT(input_error(folder / "missing.jpg"), HasSubstr("no such file"));
  EXPECT_THAT(input_error(folder.path()), HasSubstr("folder"));
  EXPECT_THAT(input_error(testing::test_data("empty.png")), HasSubstr("empty"));
  EXPECT_THAT(input_error(testing::test_data("not_an_image.jpg")), HasSubstr("not an image"));
  EXPECT_THAT(input_error(testing::test_data("truncated.jpg")), HasSubstr("truncated"));
  EXPECT_THAT(input_error(testing::test_data("truncated.png")), HasSubstr("truncated"));
  EXPECT_THAT(input_error(testing::test_data("truncated.jpg")), HasSubstr("truncated.jpg"));
}

TEST(LoadImage, RefusesTooManyPixelsFromTheHeaderAlone) {
  // A PNG signature and an IHDR claiming 100000 x 100000 pixels, and nothing else: refused by
  // the header check, before the decoder could try to allocate 30 GB.
  testing::TemporaryFolder folder;
  write_bytes(folder / "huge.png", testing::png_header(100000, 100000));
  EXPECT_THAT(input_error(folder / "huge.png"), HasSubstr("more than the pixel limit 268435456"));
  EXPECT_THAT(input_error(testing::sample_image("fruits.jpg"), LoadOptions{1000}),
              HasSubstr("512x480 = 245760 pixels"));
}

TEST(ImageHeader, ReadsSizesWithoutDecoding) {
  for (const char* name : {"fruits.jpg", "butterfly_rgba.png", "building_gray16.png"}) {
    SCOPED_TRACE(name);
    std::ifstream file(testing::sample_image(name), std::ios::binary);
    const std::string text((std::istreambuf_iterator<char>(file)), {});
    const ImageHeader header = read_image_header(std::as_bytes(std::span(text)));
    const cv::Mat image = load_image(testing::sample_image(name));
    EXPECT_EQ(header.width, std::uint64_t(image.cols));
    EXPECT_EQ(header.height, std::uint64_t(image.rows));
  }
}

TEST(ImageHeader, ReadsTiffWebpBmpAndPnmSizes) {
  const cv::Mat image = testing::random_image(13, 17, CV_8UC3);
  for (const char* extension : {".tif", ".webp", ".bmp", ".ppm"}) {
    SCOPED_TRACE(extension);
    std::vector<uchar> bytes;
    ASSERT_TRUE(cv::imencode(extension, image, bytes));
    const ImageHeader header = read_image_header(std::as_bytes(std::span(bytes)));
    EXPECT_EQ(header.width, 17u);
    EXPECT_EQ(header.height, 13u);
  }
}

ImageHeader header_of(const std::string& bytes) {
  return read_image_header(std::as_bytes(std::span(bytes)));
}

ImageHeader header_of(const std::vector<uchar>& bytes) {
  return read_image_header(std::as_bytes(std::span(bytes)));
}

TEST(ImageHeader, ReadsEveryFormatOpenCvWrites) {
  const std::vector<std::tuple<const char*, int, ImageFormat>> cases = {
      {".jpg", CV_8UC3, ImageFormat::jpeg},    {".png", CV_16UC4, ImageFormat::png},
      {".tif", CV_8UC1, ImageFormat::tiff},    {".webp", CV_8UC4, ImageFormat::webp},
      {".bmp", CV_8UC1, ImageFormat::bmp},     {".pbm", CV_8UC1, ImageFormat::pnm},
      {".pgm", CV_16UC1, ImageFormat::pnm},    {".ppm", CV_8UC3, ImageFormat::pnm},
      {".pam", CV_8UC4, ImageFormat::pam},     {".pfm", CV_32FC3, ImageFormat::pfm},
      {".hdr", CV_32FC3, ImageFormat::hdr},    {".ras", CV_8UC3, ImageFormat::sun_raster},
      {".jp2", CV_8UC3, ImageFormat::jpeg2000}};
  for (const auto& [extension, type, format] : cases) {
    SCOPED_TRACE(extension);
    std::vector<uchar> bytes;
    ASSERT_TRUE(cv::imencode(extension, testing::random_image(37, 41, type), bytes));
    const ImageHeader header = header_of(bytes);
    EXPECT_EQ(header.format, format);
    EXPECT_EQ(header.width, 41u);
    EXPECT_EQ(header.height, 37u);
  }
}

TEST(ImageHeader, ReadsCraftedHeadersAsTheirDecodersDo) {
  const std::vector<std::tuple<std::string, ImageFormat, std::uint64_t, std::uint64_t>> cases = {
      {testing::exr_header(300, 200), ImageFormat::exr, 300, 200},
      {testing::jpeg2000_header(300, 200, 3), ImageFormat::jpeg2000, 300, 200},
      {testing::bigtiff_header(300, 200), ImageFormat::tiff, 300, 200},
      {testing::tiff_with_two_widths(300, 7, 200), ImageFormat::tiff, 300, 200},  // libtiff: first
      {testing::jpeg_with_bytes_before_sof(300, 200), ImageFormat::jpeg, 300, 200},
      {testing::os2_bmp(), ImageFormat::bmp, 3, 2},
      {testing::pam_header(300, 200), ImageFormat::pam, 300, 200},
      {testing::pfm_header(300, 200), ImageFormat::pfm, 300, 200},
      {testing::hdr_header(300, 200), ImageFormat::hdr, 300, 200},
      {testing::sun_raster_header(300, 200), ImageFormat::sun_raster, 300, 200},
      {testing::png_header(300, 200), ImageFormat::png, 300, 200}};
  for (const auto& [bytes, format, width, height] : cases) {
    SCOPED_TRACE(format_name(format));
    const ImageHeader header = header_of(bytes);
    EXPECT_EQ(header.format, format);
    EXPECT_EQ(header.width, width);
    EXPECT_EQ(header.height, height);
  }
  EXPECT_EQ(header_of(testing::pam_header(3, 2, 4096)).channels, 4096u);
  EXPECT_EQ(header_of(testing::jpeg2000_header(3, 2, 5)).channels, 5u);
}

TEST(ImageHeader, GivesNoSizeWhereTheDecoderWouldGiveUp) {
  for (const std::string& bytes :
       {std::string("P6 12"), std::string("P6 # no newline"), std::string("P6 99999999999 2 255\n"),
        std::string("PF 3 2\n-1\n"), std::string("#?RADIANCE\n\n-Y 2 +X 3\n"),
        std::string("#?RADIANCE\nFORMAT=32-bit_rle_rgbe\n\n+Y 2 +X 3\n"),
        std::string("P7\nWIDTH 3\nHEIGHT 2\n"), testing::png_header(300, 200).substr(0, 30)}) {
    SCOPED_TRACE(bytes);
    const ImageHeader header = header_of(bytes);
    EXPECT_NE(header.format, ImageFormat::unknown);
    EXPECT_EQ(header.width, 0u);
  }
}

TEST(LoadImage, ReadsOs2Bitmaps) {
  testing::TemporaryFolder folder;
  write_bytes(folder / "os2.bmp", testing::os2_bmp());
  const cv::Mat image = load_image(folder / "os2.bmp");
  ASSERT_EQ(image.type(), CV_8UC3);
  ASSERT_EQ(image.size(), cv::Size(3, 2));
  const std::vector<cv::Vec3b> expected = {{0, 0, 255},     {0, 255, 0}, {255, 0, 0},
                                           {255, 255, 255}, {0, 0, 0},   {128, 128, 128}};
  for (int i = 0; i < 6; ++i) EXPECT_EQ(image.at<cv::Vec3b>(i / 3, i % 3), expected[i]) << i;
}

TEST(LoadImage, RefusesFromTheHeaderWhatCouldNotBeFilteredAnyway) {
  testing::TemporaryFolder folder;
  write_bytes(folder / "a.hdr", testing::hdr_header(3, 2));
  write_bytes(folder / "a.pfm", testing::pfm_header(3, 2));
  write_bytes(folder / "a.exr", testing::exr_header(3, 2));
  write_bytes(folder / "a.dcm", std::string(128, '\0') + "DICM" + std::string(64, '\0'));
  const std::string filters = "pblur filters 8-bit and 16-bit images; ";
  EXPECT_THAT(input_error(folder / "a.hdr"),
              HasSubstr(filters + "Radiance HDR images hold 32-bit float pixels"));
  EXPECT_THAT(input_error(folder / "a.pfm"), HasSubstr(filters + "PFM images hold 32-bit float"));
  EXPECT_THAT(input_error(folder / "a.exr"), HasSubstr(filters + "OpenEXR images hold 32-bit"));
  EXPECT_THAT(input_error(folder / "a.dcm"), HasSubstr("pblur does not read DICOM files"));
}

TEST(SaveImage, WritesJpeg2000AndPxm) {
  testing::TemporaryFolder folder;
  for (const int type : {CV_8UC1, CV_8UC3, CV_16UC3}) {
    SCOPED_TRACE(type);
    const cv::Mat image = testing::random_image(40, 45, type);  // OpenJPEG: 32 a side at least
    for (const char* name : {"a.jp2", "b.pxm"}) {
      check_output_path(folder / name);
      check_output_can_hold(folder / name, image);
      save_image(image, folder / name);
    }
    const cv::Mat jp2 = load_image(folder / "a.jp2");  // lossy: same size and type
    EXPECT_EQ(jp2.size(), image.size());
    EXPECT_EQ(jp2.type(), image.type());
    EXPECT_TRUE(testing::identical(load_image(folder / "b.pxm"), image));
  }
  EXPECT_THROW(check_output_can_hold(folder / "c.pxm", testing::random_image(4, 4, CV_8UC4)),
               OutputError);
}

TEST(SaveImage, RoundTripsEveryFormatExactlyWhereLossless) {
  testing::TemporaryFolder folder;
  const std::vector<std::pair<const char*, int>> cases = {
      {"a.png", CV_8UC3}, {"b.png", CV_16UC1}, {"c.png", CV_8UC4},  {"d.tif", CV_16UC3},
      {"e.bmp", CV_8UC3}, {"f.ppm", CV_8UC3},  {"g.pgm", CV_16UC1}, {"h.webp", CV_8UC3}};
  for (const auto& [name, type] : cases) {
    SCOPED_TRACE(name);
    const cv::Mat image = testing::random_image(19, 23, type);
    check_output_can_hold(folder / name, image);
    SaveOptions lossless;
    lossless.lossless = true;  // WebP; the other formats have no such choice
    save_image(image, folder / name, lossless);
    EXPECT_TRUE(testing::identical(load_image(folder / name), image));
  }
}

TEST(SaveImage, RefusesFormatsThatCannotHoldTheImage) {
  EXPECT_THROW(check_output_can_hold("x.jpg", testing::random_image(4, 4, CV_16UC3)), OutputError);
  EXPECT_THROW(check_output_can_hold("x.jpg", testing::random_image(4, 4, CV_8UC4)), OutputError);
  EXPECT_NO_THROW(check_output_can_hold("x.jpg", testing::random_image(4, 4, CV_8UC1)));
  EXPECT_NO_THROW(check_output_can_hold("x.png", testing::random_image(4, 4, CV_16UC4)));
}

TEST(SaveImage, ChecksTheOutputPathBeforeAnyWork) {
  testing::TemporaryFolder folder;
  EXPECT_THROW(check_output_path(folder / "no-such-folder" / "out.png"), OutputError);
  EXPECT_THROW(check_output_path(folder / "out.xyz"), OutputError);
  EXPECT_THROW(check_output_path(folder / "out"), OutputError);
  EXPECT_THROW(check_output_path(folder.path() / ""), OutputError);
  EXPECT_NO_THROW(check_output_path(folder / "out.PNG"));
}

TEST(SaveImage, ReplacesAnExistingFileWholeKeepingItsPermissions) {
  testing::TemporaryFolder folder;
  const auto path = folder / "out.png";
  write_bytes(path, "old contents");
  chmod(path.c_str(), 0640);
  const cv::Mat image = testing::random_image(7, 9, CV_8UC3);
  save_image(image, path);
  EXPECT_TRUE(testing::identical(load_image(path), image));
  struct stat info;
  ASSERT_EQ(stat(path.c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0777, 0640u);
  EXPECT_EQ(folder.entries(), std::vector<std::string>{"out.png"});  // no temporary left
}

}  // namespace
}  // namespace pblur
