#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>
#include <type_traits>

#include <opencv2/core.hpp>

#include "core/image/row_codec.h"

namespace pblur {

// Per-pixel conversions asked for on output, for formats that cannot hold the filtered image as
// it is (a JPEG from a 16-bit or BGRA PNG). Plain data: it travels in batch task messages.
struct PixelConversion {
  bool to_8_bits = false;  // 16-bit samples to round(v / 257); 8-bit ones as they are
  bool flatten = false;    // BGRA composited over `background`, to BGR; others as they are
  std::array<std::uint8_t, 3> background{255, 255, 255};  // B, G, R

  bool changes(const RowLayout& layout) const {
    return (to_8_bits && layout.bits == 16) || (flatten && layout.channels == 4);
  }
};
static_assert(std::is_trivially_copyable_v<PixelConversion>);

// The layout of `layout`'s rows once converted.
RowLayout converted_layout(const RowLayout& layout, const PixelConversion& conversion);

// `count` rows of `from` layout at src, src + src_stride, ... converted into dst, dst + dst_stride,
// ... (converted_layout). Flattening rounds (colour * alpha + background * (max - alpha)) / max at
// the source depth, before any narrowing to 8 bits.
void convert_rows(const PixelConversion& conversion, const RowLayout& from, const std::byte* src,
                  std::size_t src_stride, std::byte* dst, std::size_t dst_stride, int count);

// The whole image converted (the image itself when nothing changes).
cv::Mat convert_pixels(const cv::Mat& image, const PixelConversion& conversion);

// B, G, R of "#rrggbb" or a colour name (white, black, gray, red, green, blue, yellow, cyan,
// magenta); nullopt for anything else.
std::optional<std::array<std::uint8_t, 3>> parse_background_colour(std::string_view text);

// Takes rows of `from` layout and writes them converted to `target` (whose layout must be
// converted_layout(from, conversion)).
class ConvertingRowWriter final : public RowWriter {
 public:
  ConvertingRowWriter(RowWriter& target, const RowLayout& from, const PixelConversion& conversion)
      : target_(target), from_(from), conversion_(conversion) {}
  const RowLayout& layout() const override { return from_; }
  void write_rows(const std::byte* src, std::size_t stride, int count) override;
  void finish() override { target_.finish(); }

 private:
  RowWriter& target_;
  RowLayout from_;
  PixelConversion conversion_;
  cv::Mat converted_;  // a few rows, reused
};

}  // namespace pblur
