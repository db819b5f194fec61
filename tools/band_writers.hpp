// Writers that take an 8-bit image a band of rows at a time, top to bottom, so that an image of
// any height is written in the memory of one band: JPEG through libjpeg-turbo's scanlines, PNG
// through libpng's rows, tiled BigTIFF through libtiff's tiles, and binary PNM.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

namespace bench_image {

struct ImageShape {
  int width;
  int height;
  int channels;  // 1 (gray) or 3 (BGR, as OpenCV stores it)
};

struct WriterSettings {
  int jpegQuality;
  int pngCompression;  // zlib level 0-9
  int tileSide;        // TIFF tile width and height, a multiple of 16
};

class BandWriter {
 public:
  virtual ~BandWriter() = default;
  // How many rows each write() should bring (all but the last band).
  virtual int bandRows() const { return 64; }
  // `rows` rows of width * channels bytes each, interleaved (B, G, R for three channels).
  virtual void write(const std::uint8_t* pixels, int rows) = 0;
  // Completes the file; throws std::runtime_error if it cannot.
  virtual void finish() = 0;
};

// Whether openBandWriter takes `path`: .jpg/.jpeg, .png, .tif/.tiff, .ppm (3 channels) or .pgm (1).
bool canWriteBands(const std::string& path, int channels);

// Writes `path` in the format its extension names. Throws std::runtime_error if it cannot start
// (the file is then not created, or left empty), std::invalid_argument if !canWriteBands.
std::unique_ptr<BandWriter> openBandWriter(const std::string& path, ImageShape shape,
                                           const WriterSettings& settings);

// The largest side the format of `path` can hold.
int maxSideFor(const std::string& path);

}  // namespace bench_image
