#pragma once

#include <cstdint>
#include <span>

#include "core/image/byte_reader.h"

namespace pblur {

// An image's size as its header gives it; all 0 where the header is missing, cut short or
// something its decoder would refuse. `channels` is set only where a header may claim more than
// four (PAM, JPEG 2000), 0 elsewhere.
struct ImageSize {
  std::uint64_t width = 0;
  std::uint64_t height = 0;
  std::uint64_t channels = 0;
};

// Read by the library that decodes the format, so the size checked is the size decoded; where the
// library gives up after the part that gives the size (JPEG's SOF marker, PNG's IHDR chunk), that
// size all the same.
ImageSize read_jpeg_size(std::span<const std::byte> file);
ImageSize read_png_size(std::span<const std::byte> file);
ImageSize read_tiff_size(std::span<const std::byte> file);
ImageSize read_webp_size(std::span<const std::byte> file);

// Parsed as OpenCV 4.6's own decoders parse them. Where a header says a thing twice, or a number
// overflows what OpenCV keeps, the larger value is taken: the size checked is never smaller than
// the size OpenCV would allocate.
ImageSize read_bmp_size(const ByteReader& file);
bool is_os2_true_color_bmp(const ByteReader& file);  // an OS/2 1.x header, more than 8 bits a pixel
ImageSize read_pnm_size(const ByteReader& file);
ImageSize read_pam_size(const ByteReader& file);
ImageSize read_pfm_size(const ByteReader& file);
ImageSize read_sun_raster_size(const ByteReader& file);
ImageSize read_hdr_size(const ByteReader& file);
ImageSize read_exr_size(const ByteReader& file);
ImageSize read_jpeg2000_size(const ByteReader& file);

}  // namespace pblur
