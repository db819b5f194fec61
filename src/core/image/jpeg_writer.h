#pragma once

#include <cstdio>
#include <memory>

#include "core/image/row_codec.h"

namespace pblur {

// The settings OpenCV 4.6's imencode(".jpg") takes, with its defaults. (Its separate luma and
// chroma qualities need libjpeg 7 and do nothing with Debian's libjpeg62-turbo.)
struct JpegWriteOptions {
  int quality = 95;          // 0-100, IMWRITE_JPEG_QUALITY
  bool progressive = false;  // IMWRITE_JPEG_PROGRESSIVE
  bool optimize = false;     // IMWRITE_JPEG_OPTIMIZE: optimal Huffman tables
  int restart_interval = 0;  // IMWRITE_JPEG_RST_INTERVAL, 0-65535 MCU rows
};

// Encodes 8-bit gray, BGR or BGRA rows (alpha dropped, as OpenCV drops it) through
// libjpeg-turbo's scanline API with OpenCV 4.6's settings, so the bytes equal
// cv::imencode(".jpg", image, params) when the metadata is empty: JFIF header, density 1:1,
// 4:2:0 for colour, the integer DCT. Metadata that is set is written as APP markers after the
// JFIF header. Writes to `file`, which the caller owns and closes after finish().
class JpegWriter final : public RowWriter {
 public:
  JpegWriter(std::FILE* file, const RowLayout& layout, const JpegWriteOptions& options = {},
             const ImageMetadata& metadata = {});
  ~JpegWriter() override;
  JpegWriter(const JpegWriter&) = delete;
  JpegWriter& operator=(const JpegWriter&) = delete;

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
