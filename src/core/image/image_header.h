#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

namespace pblur {

// Every format OpenCV 4.6 decodes (as Debian builds it), told apart by the same first bytes its
// decoders look for.
enum class ImageFormat {
  unknown,
  jpeg,
  png,
  bmp,
  pnm,
  pam,
  pfm,
  tiff,
  webp,
  sun_raster,
  hdr,
  exr,
  jpeg2000,
  dicom
};

// What a file's first bytes say about it, read without decoding any pixels.
struct ImageHeader {
  ImageFormat format = ImageFormat::unknown;
  std::uint64_t width = 0;  // 0 where the header is missing, cut short or corrupt
  std::uint64_t height = 0;
  std::uint64_t channels = 0;  // set where a header may claim more than four: PAM, JPEG 2000
  // OpenCV 4.6 declares an OS/2 1.x true-colour BMP gray and, read unchanged, converts it to gray;
  // read as colour it keeps its colours.
  bool color_read_as_gray = false;
};

std::string_view format_name(ImageFormat format);

// JPEG, PNG, TIFF and WebP sizes are read by the libraries that decode them (libjpeg, libpng,
// libtiff, libwebp); the others are parsed as OpenCV's decoders parse them. DICOM is recognised
// but not read.
ImageHeader read_image_header(std::span<const std::byte> file);

// width x height, held at UINT64_MAX where it would overflow.
std::uint64_t pixel_count(const ImageHeader& header);

// Why the file's structure is incomplete, or nullopt if it ends where its format says it ends.
// Checked for JPEG (end-of-image marker after the last scan) and PNG (IEND chunk); other
// formats always pass here and are left to the decoder.
std::optional<std::string_view> find_truncation(const ImageHeader& header,
                                                std::span<const std::byte> file);

}  // namespace pblur
