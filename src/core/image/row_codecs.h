#pragma once

#include <cstdio>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "core/image/row_codec.h"

namespace pblur {

// The encoder settings pblur passes on; unset means OpenCV's default for the format.
struct RowWriteOptions {
  std::optional<int> quality;          // JPEG, 0-100; WebP, 1-100 (default kDefaultWebpQuality)
  std::optional<int> png_compression;  // PNG, 0-9 (as IMWRITE_PNG_COMPRESSION)
  bool lossless = false;               // WebP: compressed without loss, the quality unused
};

// A reader for the file at `file`'s current position, chosen by its signature bytes: JPEG,
// PNG, binary PGM/PPM, TIFF/BigTIFF or WebP. Returns nullptr (with `file` back where it was) for
// any other format, or a layout those readers leave to OpenCV, and then says why in
// `*fallback_reason` when given: the caller reads the file through OpenCV. Throws CodecError
// when the file has a format's signature but a broken header. `file` must stay open while the
// reader lives.
std::unique_ptr<RowReader> open_row_reader(std::FILE* file, std::string* fallback_reason = nullptr);

// The same for a file held in memory, `bytes`, which must outlive the reader.
std::unique_ptr<RowReader> open_row_reader(std::span<const std::byte> bytes,
                                           std::string* fallback_reason = nullptr);

// A writer whose bytes equal cv::imencode(extension, ...)'s for `layout`, for the extensions
// pblur encodes itself (.jpg .jpeg .jpe .png .pgm .ppm .pnm .tif .tiff .webp, any case); nullptr
// for the others, which the caller encodes through OpenCV. Throws CodecError if the format
// cannot hold the layout.
std::unique_ptr<RowWriter> open_row_writer(std::FILE* file, std::string_view extension,
                                           const RowLayout& layout,
                                           const RowWriteOptions& options = {},
                                           const ImageMetadata& metadata = {});

// Whether open_row_writer has a writer for `extension`.
bool has_row_writer(std::string_view extension);

// Whether open_row_writer encodes rows as they come for `extension` (so an image can be
// written strip by strip in bounded memory).
bool writer_streams(std::string_view extension);

}  // namespace pblur
