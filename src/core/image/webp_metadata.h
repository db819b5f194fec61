#pragma once

#include <cstddef>
#include <span>
#include <vector>

#include "core/image/image_metadata.h"

namespace pblur {

// The ICCP, EXIF and "XMP " chunks of a WebP file (libwebpdemux); empty where there are none or
// the file's chunks cannot be parsed (the decoder then says what is wrong). An EXIF chunk that
// starts with JPEG's "Exif\0\0" (as some writers leave it) is kept from its TIFF header on.
ImageMetadata webp_metadata_of(std::span<const std::byte> file);

// `bitstream` (a whole WebP file as libwebp's encoder writes it) with the ICC profile, EXIF and
// XMP of `metadata` added as chunks (libwebpmux); the bitstream as it is when there are none.
// Throws CodecError if the chunks cannot be added.
std::vector<std::byte> with_webp_metadata(std::span<const std::byte> bitstream,
                                          const ImageMetadata& metadata);

}  // namespace pblur
