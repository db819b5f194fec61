#include "core/image/pixel_conversion.h"

#include <cctype>
#include <string>
#include <utility>

#include "core/image/whole_image.h"

namespace pblur {
namespace {

std::uint32_t sample_at(const std::byte* row, int index, int bits) {
  if (bits == 8) return std::uint32_t(reinterpret_cast<const std::uint8_t*>(row)[index]);
  return std::uint32_t(reinterpret_cast<const std::uint16_t*>(row)[index]);
}

void store_sample(std::byte* row, int index, int bits, std::uint32_t value) {
  if (bits == 8) {
    reinterpret_cast<std::uint8_t*>(row)[index] = std::uint8_t(value);
  } else {
    reinterpret_cast<std::uint16_t*>(row)[index] = std::uint16_t(value);
  }
}

void convert_row(const PixelConversion& conversion, const RowLayout& from, const RowLayout& to,
                 const std::byte* src, std::byte* dst) {
  const std::uint32_t max = from.bits == 16 ? 65535 : 255;
  const std::uint32_t widen = from.bits == 16 ? 257 : 1;
  const bool flatten = from.channels == 4 && to.channels == 3;
  const bool narrow = from.bits == 16 && to.bits == 8;
  for (int x = 0; x < from.width; ++x) {
    const std::uint32_t alpha = flatten ? sample_at(src, x * 4 + 3, from.bits) : max;
    for (int c = 0; c < to.channels; ++c) {
      std::uint32_t value = sample_at(src, x * from.channels + c, from.bits);
      if (flatten) {
        const std::uint32_t background = conversion.background[std::size_t(c)] * widen;
        value = (value * alpha + background * (max - alpha) + max / 2) / max;
      }
      if (narrow) value = (value + 128) / 257;
      store_sample(dst, x * to.channels + c, to.bits, value);
    }
  }
}

constexpr std::pair<std::string_view, std::array<std::uint8_t, 3>> kColourNames[] = {
    {"white", {255, 255, 255}}, {"black", {0, 0, 0}},    {"gray", {128, 128, 128}},
    {"red", {0, 0, 255}},       {"green", {0, 128, 0}},  {"blue", {255, 0, 0}},
    {"yellow", {0, 255, 255}},  {"cyan", {255, 255, 0}}, {"magenta", {255, 0, 255}},
};

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  const char lower = char(std::tolower(static_cast<unsigned char>(c)));
  if (lower >= 'a' && lower <= 'f') return lower - 'a' + 10;
  return -1;
}

std::optional<std::array<std::uint8_t, 3>> parse_hex_colour(std::string_view text) {
  if (text.size() != 7 || text[0] != '#') return std::nullopt;
  std::array<std::uint8_t, 3> bgr{};
  for (std::size_t i = 0; i < 3; ++i) {
    const int high = hex_digit(text[1 + 2 * i]);
    const int low = hex_digit(text[2 + 2 * i]);
    if (high < 0 || low < 0) return std::nullopt;
    bgr[2 - i] = std::uint8_t(high * 16 + low);  // #rrggbb: red first, stored last
  }
  return bgr;
}

}  // namespace

RowLayout converted_layout(const RowLayout& layout, const PixelConversion& conversion) {
  RowLayout converted = layout;
  if (conversion.to_8_bits) converted.bits = 8;
  if (conversion.flatten && layout.channels == 4) converted.channels = 3;
  return converted;
}

void convert_rows(const PixelConversion& conversion, const RowLayout& from, const std::byte* src,
                  std::size_t src_stride, std::byte* dst, std::size_t dst_stride, int count) {
  const RowLayout to = converted_layout(from, conversion);
  for (int y = 0; y < count; ++y) {
    convert_row(conversion, from, to, src + std::size_t(y) * src_stride,
                dst + std::size_t(y) * dst_stride);
  }
}

cv::Mat convert_pixels(const cv::Mat& image, const PixelConversion& conversion) {
  const RowLayout from = layout_of(image);
  if (!conversion.changes(from)) return image;
  const RowLayout to = converted_layout(from, conversion);
  cv::Mat converted(image.rows, image.cols, to.cv_type());
  for (int y = 0; y < image.rows; ++y) {
    convert_rows(conversion, from, reinterpret_cast<const std::byte*>(image.ptr(y)), 0,
                 reinterpret_cast<std::byte*>(converted.ptr(y)), 0, 1);
  }
  return converted;
}

std::optional<std::array<std::uint8_t, 3>> parse_background_colour(std::string_view text) {
  for (const auto& [name, bgr] : kColourNames) {
    if (name == text) return bgr;
  }
  return parse_hex_colour(text);
}

void ConvertingRowWriter::write_rows(const std::byte* src, std::size_t stride, int count) {
  if (!conversion_.changes(from_)) {
    target_.write_rows(src, stride, count);
    return;
  }
  const RowLayout to = converted_layout(from_, conversion_);
  converted_.create(count, to.width, to.cv_type());
  convert_rows(conversion_, from_, src, stride, reinterpret_cast<std::byte*>(converted_.data),
               converted_.step[0], count);
  target_.write_rows(reinterpret_cast<const std::byte*>(converted_.data), converted_.step[0],
                     count);
}

}  // namespace pblur
