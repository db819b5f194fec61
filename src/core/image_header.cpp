#include "core/image_header.h"

#include <cstdlib>
#include <cstring>

namespace pblur {
namespace {

class Reader {
 public:
  explicit Reader(std::span<const std::byte> bytes) : bytes_(bytes) {}
  std::size_t size() const { return bytes_.size(); }
  bool has(std::size_t at, std::size_t n) const { return at <= size() && n <= size() - at; }
  unsigned byte(std::size_t at) const { return has(at, 1) ? unsigned(bytes_[at]) : 0u; }
  std::uint32_t be16(std::size_t at) const { return byte(at) << 8 | byte(at + 1); }
  std::uint32_t be32(std::size_t at) const { return be16(at) << 16 | be16(at + 2); }
  std::uint32_t le16(std::size_t at) const { return byte(at) | byte(at + 1) << 8; }
  std::uint32_t le32(std::size_t at) const { return le16(at) | le16(at + 2) << 16; }
  std::uint32_t le24(std::size_t at) const { return le16(at) | byte(at + 2) << 16; }
  bool matches(std::size_t at, std::string_view text) const {
    return has(at, text.size()) && std::memcmp(bytes_.data() + at, text.data(), text.size()) == 0;
  }

 private:
  std::span<const std::byte> bytes_;
};

bool is_start_of_frame(unsigned marker) {
  return marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
}

// A marker's standalone forms carry no length: SOI, EOI, RSTn, TEM.
bool has_no_length(unsigned marker) {
  return marker == 0xD8 || marker == 0xD9 || (marker >= 0xD0 && marker <= 0xD7) || marker == 0x01;
}

void read_jpeg(const Reader& r, ImageHeader& header) {
  std::size_t at = 2;
  while (r.has(at, 4) && r.byte(at) == 0xFF) {
    const unsigned marker = r.byte(at + 1);
    if (marker == 0xFF) {  // fill byte
      ++at;
      continue;
    }
    if (is_start_of_frame(marker)) {
      header.height = r.be16(at + 5);
      header.width = r.be16(at + 7);
      return;
    }
    if (marker == 0xDA) return;
    at += has_no_length(marker) ? 2 : 2 + r.be16(at + 2);
  }
}

// Scans entropy-coded data from `at` for the next marker that is not a stuffed byte or a restart.
std::size_t next_marker_after_scan(const Reader& r, std::size_t at) {
  while (r.has(at, 2)) {
    if (r.byte(at) == 0xFF) {
      const unsigned next = r.byte(at + 1);
      if (next != 0x00 && next != 0xFF && !(next >= 0xD0 && next <= 0xD7)) return at;
    }
    ++at;
  }
  return r.size();
}

bool jpeg_reaches_end_marker(const Reader& r) {
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

bool png_reaches_end_chunk(const Reader& r) {
  std::size_t at = 8;
  while (r.has(at, 12)) {
    const std::size_t length = r.be32(at);
    if (r.matches(at + 4, "IEND")) return true;
    at += 12 + length;
  }
  return false;
}

void read_pnm(const Reader& r, ImageHeader& header) {
  std::size_t at = 2;
  std::uint64_t values[2] = {0, 0};
  for (auto& value : values) {
    while (at < r.size()) {
      const unsigned c = r.byte(at);
      if (c == '#') {
        while (at < r.size() && r.byte(at) != '\n') ++at;
      } else if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
        ++at;
      } else {
        break;
      }
    }
    while (at < r.size() && r.byte(at) >= '0' && r.byte(at) <= '9' && value < (1ull << 40)) {
      value = value * 10 + (r.byte(at++) - '0');
    }
  }
  header.width = values[0];
  header.height = values[1];
}

void read_tiff(const Reader& r, ImageHeader& header) {
  const bool little = r.byte(0) == 'I';
  auto u16 = [&](std::size_t at) { return little ? r.le16(at) : r.be16(at); };
  auto u32 = [&](std::size_t at) { return little ? r.le32(at) : r.be32(at); };
  const std::size_t ifd = u32(4);
  const unsigned entries = u16(ifd);
  for (unsigned i = 0; i < entries && r.has(ifd + 2 + 12 * i, 12); ++i) {
    const std::size_t entry = ifd + 2 + 12 * i;
    const unsigned tag = u16(entry), type = u16(entry + 2);
    const std::uint32_t value = type == 3 ? u16(entry + 8) : u32(entry + 8);
    if (tag == 256) header.width = value;
    if (tag == 257) header.height = value;
  }
}

void read_webp(const Reader& r, ImageHeader& header) {
  if (r.matches(12, "VP8 ")) {
    header.width = r.le16(26) & 0x3FFF;
    header.height = r.le16(28) & 0x3FFF;
  } else if (r.matches(12, "VP8L")) {
    const std::uint32_t bits = r.le32(21);
    header.width = (bits & 0x3FFF) + 1;
    header.height = ((bits >> 14) & 0x3FFF) + 1;
  } else if (r.matches(12, "VP8X")) {
    header.width = std::uint64_t{r.le24(24)} + 1;
    header.height = std::uint64_t{r.le24(27)} + 1;
  }
}

ImageFormat sniff(const Reader& r) {
  if (r.byte(0) == 0xFF && r.byte(1) == 0xD8) return ImageFormat::jpeg;
  if (r.matches(0, "\x89PNG\r\n\x1a\n")) return ImageFormat::png;
  if (r.matches(0, "BM")) return ImageFormat::bmp;
  if (r.byte(0) == 'P' && r.byte(1) >= '1' && r.byte(1) <= '6') return ImageFormat::pnm;
  if (r.matches(0, "II*\0") || r.matches(0, "MM\0*")) return ImageFormat::tiff;
  if (r.matches(0, "RIFF") && r.matches(8, "WEBP")) return ImageFormat::webp;
  return ImageFormat::unknown;
}

}  // namespace

std::string_view format_name(ImageFormat format) {
  switch (format) {
    case ImageFormat::jpeg:
      return "JPEG";
    case ImageFormat::png:
      return "PNG";
    case ImageFormat::bmp:
      return "BMP";
    case ImageFormat::pnm:
      return "PNM";
    case ImageFormat::tiff:
      return "TIFF";
    case ImageFormat::webp:
      return "WebP";
    case ImageFormat::unknown:
      break;
  }
  return "unknown";
}

ImageHeader read_image_header(std::span<const std::byte> file) {
  const Reader r(file);
  ImageHeader header;
  header.format = sniff(r);
  switch (header.format) {
    case ImageFormat::jpeg:
      read_jpeg(r, header);
      break;
    case ImageFormat::png:
      if (r.matches(12, "IHDR")) {
        header.width = r.be32(16);
        header.height = r.be32(20);
      }
      break;
    case ImageFormat::bmp:
      header.width = r.le32(18);
      header.height = static_cast<std::uint32_t>(std::abs(static_cast<std::int32_t>(r.le32(22))));
      break;
    case ImageFormat::pnm:
      read_pnm(r, header);
      break;
    case ImageFormat::tiff:
      read_tiff(r, header);
      break;
    case ImageFormat::webp:
      read_webp(r, header);
      break;
    case ImageFormat::unknown:
      break;
  }
  return header;
}

std::optional<std::string_view> find_truncation(const ImageHeader& header,
                                                std::span<const std::byte> file) {
  const Reader r(file);
  if (header.format == ImageFormat::jpeg && !jpeg_reaches_end_marker(r)) {
    return "the file is truncated or corrupt (its JPEG data stops before the end-of-image marker)";
  }
  if (header.format == ImageFormat::png && !png_reaches_end_chunk(r)) {
    return "the file is truncated or corrupt (its PNG data stops before the IEND chunk)";
  }
  return std::nullopt;
}

}  // namespace pblur
