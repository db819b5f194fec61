// Image sizes parsed byte by byte, for the formats whose decoders are OpenCV's own: each follows
// what OpenCV 4.6's decoder reads, and gives no size where that decoder would give up.
#include <algorithm>
#include <cstdint>
#include <optional>
#include <string_view>

#include "core/image/header_readers.h"

namespace pblur {
namespace {

// Beyond any pixel budget; numbers are held at this so that width x height cannot overflow.
constexpr std::uint64_t kHugeNumber = std::uint64_t{1} << 40;
constexpr std::uint64_t kLargestInt = 0x7FFFFFFF;

std::string_view text(const ByteReader& r, std::size_t from, std::size_t to) {
  return {reinterpret_cast<const char*>(r.data()) + from, to - from};
}

std::uint64_t append_digit(std::uint64_t value, unsigned digit) {
  return std::min(value * 10 + (digit - '0'), kHugeNumber);
}

// What C's atoi reads in [at, end): spaces, a sign, digits. 0 for a negative or missing number;
// a number past INT_MAX is kept whole rather than wrapped as atoi would.
std::uint64_t atoi_value(const ByteReader& r, std::size_t at, std::size_t end) {
  while (at < end && is_c_space(r.byte(at))) ++at;
  const bool negative = at < end && r.byte(at) == '-';
  if (at < end && (r.byte(at) == '-' || r.byte(at) == '+')) ++at;
  std::uint64_t value = 0;
  for (; at < end && is_digit(r.byte(at)); ++at) value = append_digit(value, r.byte(at));
  return negative ? 0 : value;
}

std::size_t end_of_line(const ByteReader& r, std::size_t at) {
  while (r.has(at, 1) && r.byte(at) != '\n' && r.byte(at) != '\r') ++at;
  return at;
}

// OpenCV's PxM ReadNumber: skips spaces and '#' comments, then reads digits; nullopt where it
// throws (another character, a number past INT_MAX, the end of the file).
std::optional<std::uint64_t> read_pnm_number(const ByteReader& r, std::size_t& at) {
  while (r.has(at, 1) && !is_digit(r.byte(at))) {
    if (r.byte(at) == '#') {
      at = end_of_line(r, at) + 1;
    } else if (is_c_space(r.byte(at))) {
      ++at;
    } else {
      return std::nullopt;
    }
  }
  std::uint64_t value = 0;
  for (; r.has(at, 1) && is_digit(r.byte(at)); ++at) {
    value = append_digit(value, r.byte(at));
    if (value > kLargestInt) return std::nullopt;
  }
  if (!r.has(at, 1)) return std::nullopt;  // it reads one byte past the digits
  return value;
}

// OpenCV's PFM read_number: the bytes up to the next space (at most 2048) read by atoi; nullopt
// where it throws (a byte past 127, the end of the file).
std::optional<std::uint64_t> read_pfm_number(const ByteReader& r, std::size_t& at) {
  constexpr std::size_t kLongestNumber = 2048;
  const std::size_t start = at;
  for (std::size_t i = 0; i < kLongestNumber; ++i) {
    if (!r.has(at, 1) || r.byte(at) > 127) return std::nullopt;
    if (is_c_space(r.byte(at++))) break;
  }
  return atoi_value(r, start, at);
}

// The next line as fgets(buffer, 128, file) returns it, up to its first NUL; nullopt at the end.
std::optional<std::string_view> next_rgbe_line(const ByteReader& r, std::size_t& at) {
  constexpr std::size_t kBufferSize = 128;
  if (!r.has(at, 1)) return std::nullopt;
  const std::size_t start = at;
  while (r.has(at, 1) && at - start < kBufferSize - 1) {
    if (r.byte(at++) == '\n') break;
  }
  const std::string_view line = text(r, start, at);
  return line.substr(0, line.find('\0'));
}

// sscanf's %d at `at` in `line`: spaces, a sign, at least one digit. Negative numbers read as 0.
std::optional<std::uint64_t> scan_int(std::string_view line, std::size_t& at) {
  while (at < line.size() && is_c_space(static_cast<unsigned char>(line[at]))) ++at;
  const bool negative = at < line.size() && line[at] == '-';
  if (at < line.size() && (line[at] == '-' || line[at] == '+')) ++at;
  if (at >= line.size() || !is_digit(static_cast<unsigned char>(line[at]))) return std::nullopt;
  std::uint64_t value = 0;
  for (; at < line.size() && is_digit(static_cast<unsigned char>(line[at])); ++at) {
    value = append_digit(value, static_cast<unsigned char>(line[at]));
  }
  return negative ? 0 : value;
}

// sscanf(line, "-Y %d +X %d", &height, &width), the only orientation OpenCV reads.
ImageSize parse_rgbe_resolution(std::string_view line) {
  std::size_t at = 0;
  const auto skip_spaces = [&] {
    while (at < line.size() && is_c_space(static_cast<unsigned char>(line[at]))) ++at;
  };
  const auto literal = [&](std::string_view expected) {
    if (line.substr(at, expected.size()) != expected) return false;
    at += expected.size();
    return true;
  };
  if (!literal("-Y")) return {};
  const auto height = scan_int(line, at);
  skip_spaces();
  if (!height || !literal("+X")) return {};
  const auto width = scan_int(line, at);
  if (!width) return {};
  return {*width, *height, 0};
}

// A NUL-terminated name of at most `longest` characters at `at`; nullopt if it runs past that.
std::optional<std::string_view> exr_name(const ByteReader& r, std::size_t& at,
                                         std::size_t longest) {
  const std::size_t start = at;
  while (r.has(at, 1) && r.byte(at) != 0 && at - start <= longest) ++at;
  if (!r.has(at, 1) || r.byte(at) != 0) return std::nullopt;
  return text(r, start, at++);
}

ImageSize exr_data_window(const ByteReader& r, std::size_t at) {
  const auto to_signed = [&](std::size_t offset) {
    return std::int64_t(std::int32_t(r.le32(at + offset)));
  };
  const std::int64_t width = to_signed(8) - to_signed(0) + 1;
  const std::int64_t height = to_signed(12) - to_signed(4) + 1;
  if (width <= 0 || height <= 0) return {};
  return {std::uint64_t(width), std::uint64_t(height), 0};
}

struct Box {
  std::string_view type;
  std::size_t content = 0;
  std::size_t end = 0;  // past the file's end where the box is cut short
};

// A JPEG 2000 box at `at`: 32-bit length (1: a 64-bit length follows; 0: to the end), type.
std::optional<Box> read_box(const ByteReader& r, std::size_t at) {
  if (!r.has(at, 8)) return std::nullopt;
  std::uint64_t length = r.be32(at);
  Box box{text(r, at + 4, at + 8), at + 8, 0};
  if (length == 1) {
    if (!r.has(at, 16)) return std::nullopt;
    length = r.be64(at + 8);
    box.content = at + 16;
  }
  if (length == 0 || length > r.size() - at) {
    box.end = r.size();
  } else {
    box.end = at + length;
  }
  if (box.end < box.content) return std::nullopt;
  return box;
}

ImageSize read_codestream_size(const ByteReader& r, std::size_t at) {
  if (!r.matches(at, "\xFF\x4F\xFF\x51") || !r.has(at, 42)) return {};
  const std::uint64_t x1 = r.be32(at + 8), y1 = r.be32(at + 12);
  const std::uint64_t x0 = r.be32(at + 16), y0 = r.be32(at + 20);
  if (x1 <= x0 || y1 <= y0) return {};
  return {x1 - x0, y1 - y0, r.be16(at + 40)};
}

ImageSize read_ihdr_size(const ByteReader& r, const Box& header) {
  for (auto box = read_box(r, header.content); box && box->end <= header.end;
       box = read_box(r, box->end)) {
    if (box->type == "ihdr" && r.has(box->content, 10)) {
      return {r.be32(box->content + 4), r.be32(box->content), r.be16(box->content + 8)};
    }
  }
  return {};
}

// Width then height, each read by `read_number` (nullopt where the decoder would give up).
template <typename ReadNumber>
ImageSize width_then_height(const ByteReader& r, std::size_t at, ReadNumber read_number) {
  const auto width = read_number(r, at);
  const auto height = width ? read_number(r, at) : std::nullopt;
  if (!height) return {};
  return {*width, *height, 0};
}

ImageSize larger(const ImageSize& a, const ImageSize& b) {
  return {std::max(a.width, b.width), std::max(a.height, b.height),
          std::max(a.channels, b.channels)};
}

}  // namespace

ImageSize read_bmp_size(const ByteReader& r) {
  const std::uint32_t info_size = r.le32(14);
  if (info_size == 12 && r.has(18, 4)) return {r.le16(18), r.le16(20), 0};  // OS/2 1.x
  if (info_size < 36 || info_size > kLargestInt || !r.has(18, 8)) return {};
  const auto width = std::int32_t(r.le32(18));
  const auto height = std::int64_t(std::int32_t(r.le32(22)));  // negative: stored top-down
  if (width <= 0 || height == 0) return {};
  return {std::uint64_t(width), std::uint64_t(height < 0 ? -height : height), 0};
}

bool is_os2_true_color_bmp(const ByteReader& r) {
  return r.le32(14) == 12 && r.has(24, 2) && r.le16(24) > 8;  // after width, height, planes
}

ImageSize read_pnm_size(const ByteReader& r) {
  return width_then_height(r, 2, read_pnm_number);
}

ImageSize read_pam_size(const ByteReader& r) {
  constexpr std::size_t kLongestValue = 255;  // OpenCV splits longer lines; pblur refuses them
  ImageSize size;
  for (std::size_t at = 3;;) {
    while (r.has(at, 1) && is_c_space(r.byte(at))) ++at;
    if (!r.has(at, 1)) return {};
    if (r.byte(at) == '#') {
      at = end_of_line(r, at);
      continue;
    }
    const std::size_t name = at;
    while (r.has(at, 1) && !is_c_space(r.byte(at))) ++at;
    const std::string_view field = text(r, name, at);
    if (field == "ENDHDR") return size;
    const std::size_t value = at;
    at = end_of_line(r, at);
    if (at - value > kLongestValue) return {};
    const std::uint64_t number = atoi_value(r, value, at);
    if (field == "WIDTH") size.width = std::max(size.width, number);
    if (field == "HEIGHT") size.height = std::max(size.height, number);
    if (field == "DEPTH") size.channels = std::max(size.channels, number);
  }
}

ImageSize read_pfm_size(const ByteReader& r) {
  if (r.byte(2) != '\n') return {};
  return width_then_height(r, 3, read_pfm_number);
}

ImageSize read_sun_raster_size(const ByteReader& r) {
  if (!r.has(0, 32)) return {};  // eight 32-bit big-endian fields
  return {r.be32(4), r.be32(8), 0};
}

ImageSize read_hdr_size(const ByteReader& r) {
  std::size_t at = 0;
  for (auto line = next_rgbe_line(r, at); line != "FORMAT=32-bit_rle_rgbe\n";
       line = next_rgbe_line(r, at)) {
    if (!line || line->empty() || line->front() == '\n') return {};
  }
  if (next_rgbe_line(r, at) != "\n") return {};
  const auto resolution = next_rgbe_line(r, at);
  return resolution ? parse_rgbe_resolution(*resolution) : ImageSize{};
}

ImageSize read_exr_size(const ByteReader& r) {
  constexpr std::uint32_t kLongNames = 0x400;
  const std::size_t longest_name = (r.le32(4) & kLongNames) ? 255 : 31;
  for (std::size_t at = 8;;) {
    const auto name = exr_name(r, at, longest_name);
    const auto type = name && !name->empty() ? exr_name(r, at, longest_name) : std::nullopt;
    if (!type || !r.has(at, 4)) return {};
    const auto value_size = std::int32_t(r.le32(at));
    at += 4;
    if (value_size < 0) return {};
    if (*name == "dataWindow") {
      if (*type != "box2i" || value_size != 16 || !r.has(at, 16)) return {};
      return exr_data_window(r, at);
    }
    at += std::size_t(value_size);
  }
}

ImageSize read_jpeg2000_size(const ByteReader& r) {
  if (r.matches(0, "\xFF\x4F")) return read_codestream_size(r, 0);
  ImageSize header, codestream;
  for (auto box = read_box(r, 0); box; box = read_box(r, box->end)) {
    if (box->type == "jp2h") header = read_ihdr_size(r, *box);
    if (box->type == "jp2c") {
      codestream = read_codestream_size(r, box->content);
      break;
    }
  }
  return larger(header, codestream);
}

}  // namespace pblur
