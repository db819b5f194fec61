// TIFF through libtiff: cv::imread's pixels for strips and tiles, BigTIFF, every compression,
// planar samples and alpha kinds; layouts left to OpenCV named; cv::imencode's bytes.
#include <tiffio.h>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "codec_test_support.h"
#include "core/image/tiff_reader.h"
#include "core/image/tiff_writer.h"
#include "core/image/whole_image.h"
#include "test_support.h"

namespace pblur {
namespace {

using ::testing::HasSubstr;
namespace fs = std::filesystem;

// How a test TIFF is stored.
struct Storage {
  int rows_per_strip = 5;
  int tile = 0;  // tiles of tile x tile pixels instead of strips
  int compression = COMPRESSION_NONE;
  bool planar = false;
  bool big = false;
  int extra_sample = -1;  // the ExtraSamples tag of a fourth sample, -1 for none
  int photometric = -1;   // -1: MINISBLACK or RGB
  int orientation = ORIENTATION_TOPLEFT;

  std::string name() const {
    return "rps " + std::to_string(rows_per_strip) + " tile " + std::to_string(tile) +
           " compression " + std::to_string(compression) + " planar " + std::to_string(planar) +
           " big " + std::to_string(big) + " extra " + std::to_string(extra_sample);
  }
};

// `image` (OpenCV's gray, BGR or BGRA) written through libtiff as `storage` says.
void write_tiff(const fs::path& path, const cv::Mat& image, const Storage& storage) {
  cv::Mat rgb = image.clone();
  if (image.channels() == 3) cv::cvtColor(image, rgb, cv::COLOR_BGR2RGB);
  if (image.channels() == 4) cv::cvtColor(image, rgb, cv::COLOR_BGRA2RGBA);
  TIFF* tiff = TIFFOpen(path.c_str(), storage.big ? "w8" : "w");
  const int channels = image.channels(), bytes = int(image.elemSize1());
  TIFFSetField(tiff, TIFFTAG_IMAGEWIDTH, image.cols);
  TIFFSetField(tiff, TIFFTAG_IMAGELENGTH, image.rows);
  TIFFSetField(tiff, TIFFTAG_BITSPERSAMPLE, bytes * 8);
  TIFFSetField(tiff, TIFFTAG_SAMPLESPERPIXEL, channels);
  TIFFSetField(tiff, TIFFTAG_COMPRESSION, storage.compression);
  TIFFSetField(tiff, TIFFTAG_ORIENTATION, storage.orientation);
  TIFFSetField(tiff, TIFFTAG_PHOTOMETRIC,
               storage.photometric >= 0 ? storage.photometric
               : channels == 1          ? PHOTOMETRIC_MINISBLACK
                                        : PHOTOMETRIC_RGB);
  TIFFSetField(tiff, TIFFTAG_PLANARCONFIG,
               storage.planar ? PLANARCONFIG_SEPARATE : PLANARCONFIG_CONTIG);
  if (storage.extra_sample >= 0) {
    const std::uint16_t kind = std::uint16_t(storage.extra_sample);
    TIFFSetField(tiff, TIFFTAG_EXTRASAMPLES, 1, &kind);
  }
  std::vector<cv::Mat> planes;
  if (storage.planar) {
    cv::split(rgb, planes);
  } else {
    planes = {rgb};
  }
  if (storage.tile > 0) {
    TIFFSetField(tiff, TIFFTAG_TILEWIDTH, storage.tile);
    TIFFSetField(tiff, TIFFTAG_TILELENGTH, storage.tile);
    const int tile = storage.tile;
    for (std::size_t s = 0; s < planes.size(); ++s) {
      const int pixel = int(planes[s].elemSize());
      for (int y = 0; y < image.rows; y += tile) {
        for (int x = 0; x < image.cols; x += tile) {
          std::vector<uchar> buffer(std::size_t(tile * tile * pixel), 0);
          for (int r = 0; r < tile && y + r < image.rows; ++r) {
            const int n = std::min(tile, image.cols - x) * pixel;
            std::memcpy(&buffer[std::size_t(r * tile * pixel)], planes[s].ptr(y + r) + x * pixel,
                        std::size_t(n));
          }
          TIFFWriteEncodedTile(
              tiff, TIFFComputeTile(tiff, std::uint32_t(x), std::uint32_t(y), 0, std::uint16_t(s)),
              buffer.data(), tmsize_t(buffer.size()));
        }
      }
    }
  } else {
    TIFFSetField(tiff, TIFFTAG_ROWSPERSTRIP, storage.rows_per_strip);
    for (std::size_t s = 0; s < planes.size(); ++s) {
      for (int y = 0; y < image.rows; ++y) {
        TIFFWriteScanline(tiff, planes[s].ptr(y), std::uint32_t(y), std::uint16_t(s));
      }
    }
  }
  TIFFClose(tiff);
}

void expect_decoded_as_imread(const fs::path& path, bool streams = true) {
  const cv::Mat expected = cv::imread(path.string(), cv::IMREAD_UNCHANGED);
  ASSERT_FALSE(expected.empty());
  const auto bytes = testing::read_file(path);
  ASSERT_TRUE(is_tiff(bytes));
  TiffReader whole{std::span(bytes)};
  EXPECT_EQ(whole.can_stream(), streams);
  EXPECT_TRUE(testing::identical(read_whole_image(whole), expected));
  std::FILE* file = std::fopen(path.c_str(), "rb");
  ASSERT_NE(file, nullptr);
  for (const int chunk : {1, 3, 64}) {
    std::rewind(file);
    TiffReader reader(file);
    EXPECT_TRUE(testing::identical(testing::read_in_chunks(reader, chunk), expected)) << chunk;
  }
  std::fclose(file);
}

std::vector<cv::Mat> images_of_every_layout() {
  std::vector<cv::Mat> images;
  for (const int type : {CV_8UC1, CV_8UC3, CV_8UC4, CV_16UC1, CV_16UC3, CV_16UC4}) {
    images.push_back(testing::photo(37, 45, type));
  }
  images.push_back(testing::random_image(13, 17, CV_8UC4));
  images.push_back(testing::photo(1, 1));
  images.push_back(testing::photo(1, 40, CV_16UC1));
  images.push_back(testing::photo(40, 1, CV_8UC4));
  return images;
}

TEST(TiffReader, DecodesStripsAndTilesOfEveryLayoutAsImread) {
  testing::TemporaryFolder folder;
  const fs::path path = folder / "image.tif";
  std::vector<Storage> storages(7);
  storages[1].rows_per_strip = 1;
  storages[2].compression = COMPRESSION_LZW;
  storages[3].compression = COMPRESSION_ADOBE_DEFLATE;
  storages[4].tile = 16;
  storages[4].compression = COMPRESSION_LZW;
  storages[5].tile = 32;
  storages[5].big = true;
  storages[6].big = true;
  storages[6].compression = COMPRESSION_PACKBITS;
  for (const cv::Mat& image : images_of_every_layout()) {
    for (const Storage& storage : storages) {
      SCOPED_TRACE(std::to_string(image.cols) + "x" + std::to_string(image.rows) + " type " +
                   std::to_string(image.type()) + " " + storage.name());
      write_tiff(path, image, storage);
      expect_decoded_as_imread(
          path, storage.tile > 0 || storage.rows_per_strip < image.rows || image.rows == 1);
    }
  }
}

TEST(TiffReader, DecodesAlphaKindsPlanarSamplesAndPhotometricsAsImread) {
  testing::TemporaryFolder folder;
  const fs::path path = folder / "image.tif";
  const cv::Mat bgra = testing::random_image(21, 19, CV_8UC4);
  for (const int extra :
       {EXTRASAMPLE_UNSPECIFIED, EXTRASAMPLE_ASSOCALPHA, EXTRASAMPLE_UNASSALPHA}) {
    for (const bool planar : {false, true}) {
      for (const int tile : {0, planar ? 0 : 16}) {
        Storage storage;
        storage.extra_sample = extra;
        storage.planar = planar;
        storage.tile = tile;
        SCOPED_TRACE(storage.name());
        write_tiff(path, bgra, storage);
        expect_decoded_as_imread(path);
      }
    }
  }
  Storage white;
  white.photometric = PHOTOMETRIC_MINISWHITE;
  write_tiff(path, testing::random_image(9, 11, CV_8UC1), white);
  expect_decoded_as_imread(path);
  Storage planar;
  planar.planar = true;
  write_tiff(path, testing::photo(33, 20, CV_8UC3), planar);
  expect_decoded_as_imread(path);
}

TEST(TiffReader, ReadsOpenCvsOwnTiffs) {
  testing::TemporaryFolder folder;
  for (const cv::Mat& image : images_of_every_layout()) {
    const fs::path path = folder / "opencv.tif";
    ASSERT_TRUE(cv::imwrite(path.string(), image));
    expect_decoded_as_imread(path, image.rows == 1 || image.rows > 8192 / int(image.step[0]));
  }
}

TEST(TiffReader, LeavesOtherLayoutsToOpenCvNamingWhy) {
  testing::TemporaryFolder folder;
  const fs::path path = folder / "image.tif";
  const std::vector<std::tuple<cv::Mat, Storage, std::string>> cases = {
      {testing::photo(8, 8, CV_16UC3), Storage{.planar = true}, "16-bit planar"},
      {testing::photo(8, 8, CV_8UC3), Storage{.tile = 16, .planar = true}, "planar tiles"},
      {testing::photo(8, 8, CV_8UC3), Storage{.orientation = ORIENTATION_BOTLEFT}, "orientation"},
      {testing::photo(8, 8, CV_16UC1), Storage{.photometric = PHOTOMETRIC_MINISWHITE},
       "photometric 0 with 1 samples"},
      {cv::Mat(8, 8, CV_32FC1, cv::Scalar(0.5)), Storage{}, "32 bits per sample"}};
  for (const auto& [image, storage, reason] : cases) {
    write_tiff(path, image, storage);
    const auto bytes = testing::read_file(path);
    try {
      TiffReader reader{std::span(bytes)};
      ADD_FAILURE() << "accepted " << reason;
    } catch (const CodecError& error) {
      EXPECT_THAT(error.what(), HasSubstr("unsupported TIFF layout (" + reason));
    }
  }
}

TEST(TiffReader, FailsOnACutOrDamagedFileWithLibtiffsReason) {
  testing::TemporaryFolder folder;
  const fs::path path = folder / "image.tif";
  write_tiff(path, testing::photo(200, 64, CV_16UC3), Storage{.compression = COMPRESSION_LZW});
  auto bytes = testing::read_file(path);
  bytes.resize(bytes.size() / 2);
  EXPECT_THROW(TiffReader{std::span(bytes)}, CodecError);  // the directory is at the end
  for (const int bits : {8, 16}) {
    write_tiff(path, testing::photo(200, 64, bits == 8 ? CV_8UC3 : CV_16UC3),
               Storage{.tile = 16, .compression = COMPRESSION_ADOBE_DEFLATE});
    bytes = testing::read_file(path);
    for (std::size_t i = bytes.size() / 3; i < bytes.size() / 3 + 64; ++i)
      bytes[i] = std::byte{0x55};
    TiffReader reader{std::span(bytes)};
    try {
      read_whole_image(reader);
      ADD_FAILURE() << "decoded";
    } catch (const CodecError& error) {
      EXPECT_THAT(error.what(), HasSubstr("ZIPDecode")) << bits;
    }
  }
}

// Through a temporary file: libtiff seeks back to the header last, which a memory stream
// would take for the file's end.
std::vector<uchar> encode(const cv::Mat& image, int rows_per_call) {
  const std::unique_ptr<std::FILE, int (*)(std::FILE*)> file(std::tmpfile(), std::fclose);
  TiffWriter writer(file.get(), layout_of(image));
  for (int y = 0; y < image.rows; y += rows_per_call) {
    writer.write_rows(reinterpret_cast<const std::byte*>(image.ptr(y)), image.step[0],
                      std::min(rows_per_call, image.rows - y));
  }
  writer.finish();
  std::vector<uchar> bytes(std::size_t(ftello(file.get())));
  std::rewind(file.get());
  EXPECT_EQ(std::fread(bytes.data(), 1, bytes.size(), file.get()), bytes.size());
  return bytes;
}

TEST(TiffWriter, WritesImencodesBytesForEveryLayout) {
  std::vector<cv::Mat> images = images_of_every_layout();
  images.push_back(testing::photo(300, 457, CV_8UC3));
  images.push_back(testing::photo(50, 3000, CV_16UC4));  // a row over 8192 bytes
  for (const cv::Mat& image : images) {
    SCOPED_TRACE(std::to_string(image.cols) + "x" + std::to_string(image.rows) + " type " +
                 std::to_string(image.type()));
    std::vector<uchar> expected;
    ASSERT_TRUE(cv::imencode(".tif", image, expected));
    EXPECT_EQ(encode(image, 7), expected);
  }
}

}  // namespace
}  // namespace pblur
