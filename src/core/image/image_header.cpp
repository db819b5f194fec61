#include "core/image/image_header.h"

#include <limits>

#include "core/base/enum_names.h"
#include "core/image/byte_reader.h"
#include "core/image/header_readers.h"

namespace pblur {
namespace {

using namespace std::string_view_literals;

// Scans entropy-coded data from `at` for the next marker that is not a stuffed byte or a restart.
std::size_t next_marker_after_scan(const ByteReader& r, std::size_t at) {
  while (r.has(at, 2)) {
    if (r.byte(at) == 0xFF) {
      const unsigned next = r.byte(at + 1);
      if (next != 0x00 && next != 0xFF && !(next >= 0xD0 && next <= 0xD7)) return at;
    }
    ++at;
  }
  return r.size();
}

// A marker's standalone forms carry no length: SOI, EOI, RSTn, TEM.
bool has_no_length(unsigned marker) {
  return marker == 0xD8 || marker == 0xD9 || (marker >= 0xD0 && marker <= 0xD7) || marker == 0x01;
}

bool jpeg_reaches_end_marker(const ByteReader& r) {
  std::size_t at = 2;
  while (r.has(at, 2)) {
    if (r.byte(at) != 0xFF) return false;
    const unsigned marker = r.byte(at + 1);
    if (marker == 0xFF) {
      ++at;
      continue;
    }
    if (marker == 0xD9) return true;
    if (has_no_length(marker)) {
      at += 2;
      continue;
    }
    if (!r.has(at + 2, 2)) return false;
    at += 2 + r.be16(at + 2);
    if (marker == 0xDA) at = next_marker_after_scan(r, at);
  }
  return false;
}

bool png_reaches_end_chunk(const ByteReader& r) {
  std::size_t at = 8;
  while (r.has(at, 12)) {
    const std::size_t length = r.be32(at);
    if (r.matches(at + 4, "IEND")) return true;
    at += 12 + length;
  }
  return false;
}

// "P" and `second`, then a space: the PxM, PFM and PAM decoders' signatures.
bool netpbm_signature(const ByteReader& r, std::string_view second) {
  return r.byte(0) == 'P' && second.find(char(r.byte(1))) != std::string_view::npos &&
         r.has(0, 3) && is_c_space(r.byte(2));
}

bool is_tiff(const ByteReader& r) {
  return r.matches(0, "II*\0"sv) || r.matches(0, "MM\0*"sv) || r.matches(0, "II+\0"sv) ||
         r.matches(0, "MM\0+"sv);
}

// In the order OpenCV's decoders are tried.
ImageFormat sniff(const ByteReader& r) {
  if (r.matches(0, "BM")) return ImageFormat::bmp;
  if (r.matches(0, "#?RGBE") || r.matches(0, "#?RADIANCE")) return ImageFormat::hdr;
  if (r.matches(0, "\xFF\xD8\xFF")) return ImageFormat::jpeg;
  if (r.matches(0, "RIFF") && r.matches(8, "WEBP")) return ImageFormat::webp;
  if (r.matches(0, "\x59\xA6\x6A\x95")) return ImageFormat::sun_raster;
  if (netpbm_signature(r, "123456")) return ImageFormat::pnm;
  if (netpbm_signature(r, "Ff")) return ImageFormat::pfm;
  if (is_tiff(r)) return ImageFormat::tiff;
  if (r.matches(0, "\x89PNG\r\n\x1a\n")) return ImageFormat::png;
  if (r.matches(128, "DICM")) return ImageFormat::dicom;
  if (r.matches(0, "\0\0\0\x0CjP  \r\n\x87\n"sv) || r.matches(0, "\xFF\x4F"))
    return ImageFormat::jpeg2000;
  if (r.matches(0, "\x76\x2F\x31\x01")) return ImageFormat::exr;
  if (netpbm_signature(r, "7")) return ImageFormat::pam;
  return ImageFormat::unknown;
}

ImageSize read_size(ImageFormat format, std::span<const std::byte> file) {
  const ByteReader r(file);
  switch (format) {
    case ImageFormat::jpeg:
      return read_jpeg_size(file);
    case ImageFormat::png:
      return read_png_size(file);
    case ImageFormat::tiff:
      return read_tiff_size(file);
    case ImageFormat::webp:
      return read_webp_size(file);
    case ImageFormat::bmp:
      return read_bmp_size(r);
    case ImageFormat::pnm:
      return read_pnm_size(r);
    case ImageFormat::pam:
      return read_pam_size(r);
    case ImageFormat::pfm:
      return read_pfm_size(r);
    case ImageFormat::sun_raster:
      return read_sun_raster_size(r);
    case ImageFormat::hdr:
      return read_hdr_size(r);
    case ImageFormat::exr:
      return read_exr_size(r);
    case ImageFormat::jpeg2000:
      return read_jpeg2000_size(r);
    case ImageFormat::dicom:
    case ImageFormat::unknown:
      break;
  }
  return {};
}

}  // namespace

namespace {

constexpr auto kFormatNames = enum_names<ImageFormat>({
    {ImageFormat::jpeg, "JPEG"},
    {ImageFormat::png, "PNG"},
    {ImageFormat::bmp, "BMP"},
    {ImageFormat::pnm, "PNM"},
    {ImageFormat::pam, "PAM"},
    {ImageFormat::pfm, "PFM"},
    {ImageFormat::tiff, "TIFF"},
    {ImageFormat::webp, "WebP"},
    {ImageFormat::sun_raster, "Sun raster"},
    {ImageFormat::hdr, "Radiance HDR"},
    {ImageFormat::exr, "OpenEXR"},
    {ImageFormat::jpeg2000, "JPEG 2000"},
    {ImageFormat::dicom, "DICOM"},
    {ImageFormat::unknown, "unknown"},
});

}  // namespace

std::string_view format_name(ImageFormat format) {
  return kFormatNames.to_name(format);
}

ImageHeader read_image_header(std::span<const std::byte> file) {
  ImageHeader header;
  header.format = sniff(ByteReader(file));
  header.color_read_as_gray =
      header.format == ImageFormat::bmp && is_os2_true_color_bmp(ByteReader(file));
  const ImageSize size = read_size(header.format, file);
  if (size.width == 0 || size.height == 0) return header;
  header.width = size.width;
  header.height = size.height;
  header.channels = size.channels;
  return header;
}

std::uint64_t pixel_count(const ImageHeader& header) {
  std::uint64_t pixels = 0;
  if (__builtin_mul_overflow(header.width, header.height, &pixels)) {
    return std::numeric_limits<std::uint64_t>::max();
  }
  return pixels;
}

std::optional<std::string_view> find_truncation(const ImageHeader& header,
                                                std::span<const std::byte> file) {
  const ByteReader r(file);
  if (header.format == ImageFormat::jpeg && !jpeg_reaches_end_marker(r)) {
    return "the file is truncated or corrupt (its JPEG data stops before the end-of-image marker)";
  }
  if (header.format == ImageFormat::png && !png_reaches_end_chunk(r)) {
    return "the file is truncated or corrupt (its PNG data stops before the IEND chunk)";
  }
  return std::nullopt;
}

}  // namespace pblur
