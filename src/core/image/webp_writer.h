#pragma once

#include <cstdio>
#include <vector>

#include "core/image/row_codec.h"

namespace pblur {

// pblur's default WebP quality when none is given: cwebp's and vips's.
inline constexpr int kDefaultWebpQuality = 75;

// How a WebP is compressed: lossy at `quality` (1-100), or without loss.
struct WebpWriteOptions {
  int quality = kDefaultWebpQuality;
  bool lossless = false;
};

// Encodes 8-bit gray, BGR or BGRA rows as OpenCV 4.6's imencode(".webp") does: gray widened to
// BGR, then WebPEncodeBGR(A) at the quality, or WebPEncodeLosslessBGR(A) (what imencode does
// without a quality), so the bytes equal imencode's when the metadata is empty. libwebp's
// encoder needs the whole picture: the rows are collected and encoded by finish(), which adds
// the ICC profile, EXIF and XMP as chunks and writes to `file` (the caller owns and closes it).
class WebpWriter final : public RowWriter {
 public:
  WebpWriter(std::FILE* file, const RowLayout& layout, const WebpWriteOptions& options = {},
             const ImageMetadata& metadata = {});

  const RowLayout& layout() const override { return layout_; }
  void write_rows(const std::byte* src, std::size_t stride, int count) override;
  void finish() override;

 private:
  std::vector<std::byte> encode() const;

  std::FILE* file_;
  RowLayout layout_;
  WebpWriteOptions options_;
  ImageMetadata metadata_;
  std::vector<std::byte> pixels_;  // BGR or BGRA, the rows written so far
  int rows_written_ = 0;
};

}  // namespace pblur
