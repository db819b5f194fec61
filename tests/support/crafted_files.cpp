#include "crafted_files.h"

#include <array>
#include <vector>

namespace pblur::testing {
namespace {

void put_be(std::string& bytes, std::uint64_t value, int size) {
  for (int shift = 8 * (size - 1); shift >= 0; shift -= 8) bytes += char((value >> shift) & 0xFF);
}

void put_le(std::string& bytes, std::uint64_t value, int size) {
  for (int shift = 0; shift < 8 * size; shift += 8) bytes += char((value >> shift) & 0xFF);
}

std::uint32_t crc32(const std::string& bytes) {
  std::uint32_t crc = 0xFFFFFFFFu;
  for (const char c : bytes) {
    crc ^= std::uint8_t(c);
    for (int bit = 0; bit < 8; ++bit) crc = (crc >> 1) ^ (0xEDB88320u & (0u - (crc & 1u)));
  }
  return ~crc;
}

std::string zeros(std::size_t count) {
  return std::string(count, '\0');
}

struct TiffEntry {
  std::uint16_t tag;
  std::uint16_t type;  // 3 SHORT, 4 LONG, 16 LONG8
  std::uint64_t value;
};

// A little-endian TIFF (BigTIFF where `big`) of one directory with `entries`, each of count 1.
std::string tiff_file(const std::vector<TiffEntry>& entries, bool big) {
  const int offset_size = big ? 8 : 4;
  std::string bytes = big ? std::string("II\x2b\0\x08\0\0\0", 8) : std::string("II*\0", 4);
  put_le(bytes, big ? 16 : 8, offset_size);
  put_le(bytes, entries.size(), big ? 8 : 2);
  for (const TiffEntry& entry : entries) {
    put_le(bytes, entry.tag, 2);
    put_le(bytes, entry.type, 2);
    put_le(bytes, 1, offset_size);
    put_le(bytes, entry.value, offset_size);
  }
  put_le(bytes, 0, offset_size);
  return bytes + zeros(64);
}

// 8-bit gray, uncompressed, one strip of `height` rows.
std::vector<TiffEntry> gray_strip_entries(std::uint32_t height, std::uint64_t strip_bytes) {
  return {{258, 3, 8}, {259, 3, 1},      {262, 3, 1},           {273, 4, 16},
          {277, 3, 1}, {278, 4, height}, {279, 16, strip_bytes}};
}

void put_exr_attribute(std::string& bytes, const std::string& name, const std::string& type,
                       const std::string& value) {
  bytes += name + '\0' + type + '\0';
  put_le(bytes, value.size(), 4);
  bytes += value;
}

}  // namespace

std::string png_header(std::uint32_t width, std::uint32_t height) {
  std::string chunk = "IHDR";
  put_be(chunk, width, 4);
  put_be(chunk, height, 4);
  chunk += std::string("\x08\x02\0\0\0", 5);
  std::string bytes = "\x89PNG\r\n\x1a\n";
  put_be(bytes, 13, 4);
  bytes += chunk;
  put_be(bytes, crc32(chunk), 4);
  return bytes;
}

std::string png_with_one_row(std::uint32_t width, std::uint32_t height) {
  std::string header = "IHDR";
  put_be(header, width, 4);
  put_be(header, height, 4);
  header += std::string("\x08\x00\x00\x00\x00", 5);
  const std::string row = std::string(1, '\0') + std::string(width, '\x80');
  std::string data = "IDAT\x78\x01\x01";
  put_le(data, row.size(), 2);
  put_le(data, ~row.size(), 2);
  data += row;
  std::uint32_t a = 1, b = 0;  // Adler-32
  for (const char c : row) {
    a = (a + std::uint8_t(c)) % 65521;
    b = (b + a) % 65521;
  }
  put_be(data, (b << 16) | a, 4);
  std::string png = "\x89PNG\r\n\x1a\n";
  for (const std::string& chunk : {header, data}) {
    put_be(png, chunk.size() - 4, 4);
    png += chunk;
    put_be(png, crc32(chunk), 4);
  }
  return png;
}

std::string pam_header(std::uint32_t width, std::uint32_t height, std::uint32_t depth) {
  return "P7\nWIDTH " + std::to_string(width) + "\nHEIGHT " + std::to_string(height) + "\nDEPTH " +
         std::to_string(depth) + "\nMAXVAL 65535\nTUPLTYPE RGB_ALPHA\nENDHDR\n" + zeros(64);
}

std::string pfm_header(std::uint32_t width, std::uint32_t height) {
  return "PF\n" + std::to_string(width) + " " + std::to_string(height) + "\n-1.0\n" + zeros(64);
}

std::string hdr_header(std::uint32_t width, std::uint32_t height) {
  return "#?RADIANCE\nFORMAT=32-bit_rle_rgbe\n\n-Y " + std::to_string(height) + " +X " +
         std::to_string(width) + "\n" + zeros(64);
}

std::string sun_raster_header(std::uint32_t width, std::uint32_t height) {
  std::string bytes;
  for (const std::uint32_t field : {0x59A66A95u, width, height, 24u, 0u, 1u, 0u, 0u}) {
    put_be(bytes, field, 4);
  }
  return bytes + zeros(64);
}

std::string exr_header(std::int32_t width, std::int32_t height) {
  std::string bytes = "\x76\x2f\x31\x01";
  put_le(bytes, 2, 4);
  put_exr_attribute(bytes, "compression", "compression", std::string(1, '\0'));
  std::string window;
  for (const std::int32_t value : {0, 0, width - 1, height - 1}) {
    put_le(window, std::uint32_t(value), 4);
  }
  put_exr_attribute(bytes, "dataWindow", "box2i", window);
  put_exr_attribute(bytes, "displayWindow", "box2i", window);
  return bytes + '\0' + zeros(64);
}

std::string jpeg2000_header(std::uint32_t width, std::uint32_t height, std::uint16_t components) {
  std::string bytes("\0\0\0\x0cjP  \r\n\x87\n", 12);
  put_be(bytes, 20, 4);
  bytes += std::string("ftypjp2 \0\0\0\0jp2 ", 16);
  put_be(bytes, 8 + 22, 4);
  bytes += "jp2h";
  put_be(bytes, 22, 4);
  bytes += "ihdr";
  put_be(bytes, height, 4);
  put_be(bytes, width, 4);
  put_be(bytes, components, 2);
  bytes += std::string("\x07\x07\0\0", 4);
  put_be(bytes, 0, 4);  // jp2c runs to the end of the file
  bytes += "jp2c";
  bytes += "\xff\x4f\xff\x51";
  put_be(bytes, 38 + 3 * components, 2);
  put_be(bytes, 0, 2);
  for (const std::uint32_t value : {width, height, 0u, 0u, width, height, 0u, 0u}) {
    put_be(bytes, value, 4);
  }
  put_be(bytes, components, 2);
  for (int c = 0; c < components; ++c) bytes += std::string("\x07\x01\x01", 3);
  return bytes + zeros(64);
}

std::string bigtiff_header(std::uint32_t width, std::uint32_t height) {
  std::vector<TiffEntry> entries = {{256, 4, width}, {257, 4, height}};
  for (const TiffEntry& entry : gray_strip_entries(height, std::uint64_t{width} * height)) {
    entries.push_back(entry);
  }
  return tiff_file(entries, true);
}

std::string tiff_with_two_widths(std::uint32_t first, std::uint32_t second, std::uint32_t height) {
  std::vector<TiffEntry> entries = {{256, 4, first}, {256, 4, second}, {257, 4, height}};
  for (TiffEntry entry : gray_strip_entries(height, 0xFFFFFFFFu)) {
    if (entry.type == 16) entry.type = 4;  // classic TIFF has no LONG8
    entries.push_back(entry);
  }
  return tiff_file(entries, false);
}

std::string jpeg_with_bytes_before_sof(std::uint16_t width, std::uint16_t height) {
  std::string bytes("\xff\xd8\xff\xe0\0\x10JFIF\0\x01\x01\0\0\x01\0\x01\0\0", 20);
  bytes += std::string("\x12\x34\x56\x78", 4);
  bytes += "\xff\xc0";
  put_be(bytes, 17, 2);
  bytes += '\x08';
  put_be(bytes, height, 2);
  put_be(bytes, width, 2);
  bytes += std::string("\x03\x01\x11\0\x02\x11\0\x03\x11\0", 10);
  return bytes + "\xff\xd9";
}

std::string os2_bmp() {
  constexpr std::array<std::array<std::uint8_t, 9>, 2> kRowsBottomUp = {{
      {255, 255, 255, 0, 0, 0, 128, 128, 128},  // white, black, gray (BGR)
      {0, 0, 255, 0, 255, 0, 255, 0, 0},        // red, green, blue
  }};
  constexpr std::uint32_t kHeaderBytes = 14 + 12, kRowBytes = 12;  // 9 bytes padded to 4
  std::string bytes = "BM";
  put_le(bytes, kHeaderBytes + 2 * kRowBytes, 4);
  put_le(bytes, 0, 4);
  put_le(bytes, kHeaderBytes, 4);
  put_le(bytes, 12, 4);
  put_le(bytes, 3, 2);   // width
  put_le(bytes, 2, 2);   // height
  put_le(bytes, 1, 2);   // planes
  put_le(bytes, 24, 2);  // bits per pixel
  for (const auto& row : kRowsBottomUp) {
    bytes.append(reinterpret_cast<const char*>(row.data()), row.size());
    bytes += zeros(kRowBytes - row.size());
  }
  return bytes;
}

}  // namespace pblur::testing
