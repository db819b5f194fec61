#pragma once

#include <cstdio>
#include <span>
#include <vector>

#include "core/image/row_codec.h"

namespace pblur {

// A still WebP decoded through libwebp as OpenCV 4.6's imread decodes it (WebPDecodeBGRInto, or
// WebPDecodeBGRAInto when the file has alpha), so the rows are its pixels: BGR or BGRA, 8 bits.
// libwebp decodes a picture at once, so the first read_rows decodes it whole into the reader
// (stream_blocker() says so). The ICC profile, EXIF and XMP chunks are read with the header.
class WebpReader final : public RowReader {
 public:
  // Reads `file` from its current position to its end; the file may be closed afterwards.
  explicit WebpReader(std::FILE* file);
  // Reads from `bytes`, which must outlive the reader.
  explicit WebpReader(std::span<const std::byte> bytes);

  const RowLayout& layout() const override { return layout_; }
  std::string stream_blocker() const override { return "libwebp decodes a WebP whole"; }
  const ImageMetadata& metadata() const override { return metadata_; }
  bool webp_lossless() const override { return lossless_; }
  void read_rows(std::byte* dst, std::size_t stride, int count) override;
  int rows_read() const override { return rows_read_; }

 private:
  void read_header();
  void decode();

  std::vector<std::byte> owned_;  // the file, when it was read from a FILE*
  std::span<const std::byte> file_;
  RowLayout layout_;
  ImageMetadata metadata_;
  bool lossless_ = false;
  std::vector<std::byte> pixels_;  // every row, once decoded
  int rows_read_ = 0;
};

}  // namespace pblur
