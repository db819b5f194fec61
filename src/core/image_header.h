#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

namespace pblur {

enum class ImageFormat { unknown, jpeg, png, bmp, pnm, tiff, webp };

// What a file's first bytes say about it, read without decoding any pixels.
struct ImageHeader {
  ImageFormat format = ImageFormat::unknown;
  std::uint64_t width = 0;  // 0 where the format is not one pblur reads headers of
  std::uint64_t height = 0;
};

std::string_view format_name(ImageFormat format);

ImageHeader read_image_header(std::span<const std::byte> file);

// Why the file's structure is incomplete, or nullopt if it ends where its format says it ends.
// Checked for JPEG (end-of-image marker after the last scan) and PNG (IEND chunk); other
// formats always pass here and are left to the decoder.
std::optional<std::string_view> find_truncation(const ImageHeader& header,
                                                std::span<const std::byte> file);

}  // namespace pblur
