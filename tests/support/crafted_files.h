#pragma once

// Image files written byte by byte: headers that claim what a test needs, however hostile.
#include <cstdint>
#include <string>

namespace pblur::testing {

// The PNG signature and an IHDR chunk (with its CRC) claiming width x height, 8-bit RGB; nothing
// after it.
std::string png_header(std::uint32_t width, std::uint32_t height);

// A gray 8-bit PNG claiming width x height (width at most 65534) whose data holds only its first
// row, in a deflate stored block: a decoder reads its header and that row, then finds it cut short.
std::string png_with_one_row(std::uint32_t width, std::uint32_t height);

// Headers claiming width x height and then a few zero bytes where the pixels should be.
std::string pam_header(std::uint32_t width, std::uint32_t height, std::uint32_t depth = 4);
std::string pfm_header(std::uint32_t width, std::uint32_t height);
std::string hdr_header(std::uint32_t width, std::uint32_t height);
std::string sun_raster_header(std::uint32_t width, std::uint32_t height);
std::string exr_header(std::int32_t width, std::int32_t height);
std::string jpeg2000_header(std::uint32_t width, std::uint32_t height, std::uint16_t components);

// A little-endian BigTIFF whose one directory claims width x height, 8-bit gray, one strip.
std::string bigtiff_header(std::uint32_t width, std::uint32_t height);

// A classic TIFF whose directory gives ImageWidth twice: `first`, then `second`.
std::string tiff_with_two_widths(std::uint32_t first, std::uint32_t second, std::uint32_t height);

// SOI, a JFIF APP0 segment, four stray bytes, then a baseline SOF claiming width x height, and
// EOI.
std::string jpeg_with_bytes_before_sof(std::uint16_t width, std::uint16_t height);

// An OS/2 1.x bitmap (12-byte BITMAPCOREHEADER), 24-bit, 3 x 2 pixels, bottom row first:
// top row red, green, blue; bottom row white, black, gray (128).
std::string os2_bmp();

}  // namespace pblur::testing
