#pragma once

#include <cstdio>
#include <memory>

#include "core/image/row_codec.h"

namespace pblur {

// The settings OpenCV 4.6's imencode(".png") takes, with its defaults: without a compression
// level it writes zlib level 1 with only the Sub filter (tuned for speed) and the RLE strategy;
// IMWRITE_PNG_COMPRESSION sets the level, keeps libpng's adaptive filters and resets the
// strategy to the default one (unless IMWRITE_PNG_STRATEGY comes after it).
struct PngWriteOptions {
  int compression_level = -1;  // 0-9, or -1 for OpenCV's default
  int strategy = 3;            // zlib's: 0 default, 1 filtered, 2 Huffman only, 3 RLE, 4 fixed

  // The options cv::imencode(".png", image, parameters) uses.
  static PngWriteOptions from_opencv(const std::vector<int>& parameters);
};

// Encodes 8- or 16-bit gray, BGR or BGRA rows through libpng's row API with OpenCV 4.6's
// settings, so the bytes equal cv::imencode(".png", ...)'s when the metadata is empty. Writes to
// `file`, which the caller owns and closes after finish().
class PngWriter final : public RowWriter {
 public:
  PngWriter(std::FILE* file, const RowLayout& layout, const PngWriteOptions& options = {},
            const ImageMetadata& metadata = {});
  ~PngWriter() override;
  PngWriter(const PngWriter&) = delete;
  PngWriter& operator=(const PngWriter&) = delete;

  const RowLayout& layout() const override { return layout_; }
  void write_rows(const std::byte* src, std::size_t stride, int count) override;
  void finish() override;

 private:
  struct Encoder;
  std::unique_ptr<Encoder> encoder_;
  RowLayout layout_;
  int rows_written_ = 0;
};

}  // namespace pblur
