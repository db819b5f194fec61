// The codec factory: a reader by signature and a writer by extension for the formats pblur
// decodes and encodes itself, nullptr (and why) for those left to OpenCV.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <opencv2/imgcodecs.hpp>

#include "codec_test_support.h"
#include "core/image/row_codecs.h"
#include "core/image/whole_image.h"
#include "test_support.h"

namespace pblur {
namespace {

using ::testing::HasSubstr;
namespace fs = std::filesystem;

struct OpenFile {
  explicit OpenFile(const fs::path& path, const char* mode = "rb")
      : file(std::fopen(path.c_str(), mode)) {}
  ~OpenFile() {
    if (file) std::fclose(file);
  }
  std::FILE* file;
};

TEST(OpenRowReader, PicksTheReaderBySignatureAndDecodesAsImread) {
  testing::TemporaryFolder folder;
  const std::vector<std::pair<std::string, int>> cases = {
      {"a.jpg", CV_8UC3}, {"b.png", CV_16UC4}, {"c.ppm", CV_16UC3},
      {"d.pgm", CV_8UC1}, {"e.tif", CV_8UC4},  {"f.tiff", CV_16UC1}};
  for (const auto& [name, type] : cases) {
    SCOPED_TRACE(name);
    const fs::path path = folder / ("image" + name);
    ASSERT_TRUE(cv::imwrite(path.string(), testing::photo(31, 27, type)));
    const int flags =
        name.ends_with(".jpg") ? cv::IMREAD_ANYCOLOR | cv::IMREAD_ANYDEPTH : cv::IMREAD_UNCHANGED;
    OpenFile file(path);
    std::string reason = "unchanged";
    const auto reader = open_row_reader(file.file, &reason);
    ASSERT_NE(reader, nullptr);
    EXPECT_EQ(reason, "unchanged");
    EXPECT_TRUE(testing::identical(read_whole_image(*reader), cv::imread(path.string(), flags)));
  }
}

TEST(OpenRowReader, LeavesOtherFormatsAndLayoutsToOpenCvWithTheFileRewound) {
  testing::TemporaryFolder folder;
  const std::vector<std::tuple<std::string, cv::Mat, std::string>> cases = {
      {"a.bmp", testing::photo(5, 5), "not a format pblur reads itself"},
      {"c.pbm", testing::photo(5, 5, CV_8UC1), "not a format pblur reads itself"},
      {"d.tif", cv::Mat(5, 5, CV_32FC1, cv::Scalar(0.25)),
       "unsupported TIFF layout (signed or float)"}};
  for (const auto& [name, image, why] : cases) {
    SCOPED_TRACE(name);
    const fs::path path = folder / name;
    ASSERT_TRUE(cv::imwrite(path.string(), image));
    OpenFile file(path);
    std::string reason;
    EXPECT_EQ(open_row_reader(file.file, &reason), nullptr);
    EXPECT_THAT(reason, HasSubstr(why));
    EXPECT_EQ(std::ftell(file.file), 0);
  }
  const fs::path empty = folder / "empty";
  OpenFile(empty, "wb");
  OpenFile file(empty);
  EXPECT_EQ(open_row_reader(file.file), nullptr);
}

TEST(OpenRowReader, ABrokenHeaderOfAKnownFormatIsAnError) {
  testing::TemporaryFolder folder;
  for (const std::string text : {"\xff\xd8\xff\xe0garbage", "P6\n4 x\n255\n", "II*\0garbage"}) {
    const fs::path path = folder / "broken";
    testing::write_file(path, std::as_bytes(std::span(text.data(), text.size() + 1)));
    OpenFile file(path);
    EXPECT_THROW(open_row_reader(file.file), CodecError) << text;
  }
}

std::vector<uchar> encode(std::string_view extension, const cv::Mat& image,
                          const RowWriteOptions& options) {
  const std::unique_ptr<std::FILE, int (*)(std::FILE*)> file(std::tmpfile(), std::fclose);
  auto writer = open_row_writer(file.get(), extension, layout_of(image), options);
  if (!writer) return {};
  write_whole_image(*writer, image);
  std::vector<uchar> bytes(std::size_t(ftello(file.get())));
  std::rewind(file.get());
  EXPECT_EQ(std::fread(bytes.data(), 1, bytes.size(), file.get()), bytes.size());
  return bytes;
}

TEST(OpenRowWriter, WritesImencodesBytesForEachExtensionAndOption) {
  const cv::Mat bgr = testing::photo(37, 41), gray = testing::photo(23, 19, CV_16UC1);
  const std::vector<std::tuple<std::string, cv::Mat, RowWriteOptions, std::vector<int>>> cases = {
      {".jpg", bgr, {}, {}},
      {".JPEG", bgr, {75, {}}, {cv::IMWRITE_JPEG_QUALITY, 75}},
      {".jpe", bgr, {}, {}},
      {".png", gray, {}, {}},
      {".PNG", bgr, {{}, 6}, {cv::IMWRITE_PNG_COMPRESSION, 6}},
      {".ppm", bgr, {}, {}},
      {".pgm", gray, {}, {}},
      {".pnm", gray, {}, {}},
      {".tif", bgr, {}, {}},
      {".TIFF", gray, {}, {}}};
  for (const auto& [extension, image, options, parameters] : cases) {
    SCOPED_TRACE(extension);
    std::vector<uchar> expected;
    ASSERT_TRUE(cv::imencode(extension, image, expected, parameters));
    EXPECT_EQ(encode(extension, image, options), expected);
    EXPECT_TRUE(writer_streams(extension));
  }
}

TEST(OpenRowWriter, LeavesOtherExtensionsToOpenCv) {
  for (const std::string extension : {".bmp", ".jp2", ".pbm", ".exr", ""}) {
    EXPECT_TRUE(encode(extension, testing::photo(4, 4), {}).empty()) << extension;
    EXPECT_FALSE(writer_streams(extension)) << extension;
  }
}

TEST(OpenRowWriter, RefusesALayoutItsFormatCannotHold) {
  std::FILE* file = std::tmpfile();
  EXPECT_THROW(open_row_writer(file, ".jpg", RowLayout{4, 4, 3, 16}), CodecError);
  EXPECT_THROW(open_row_writer(file, ".ppm", RowLayout{4, 4, 4, 8}), CodecError);
  std::fclose(file);
}

}  // namespace
}  // namespace pblur
