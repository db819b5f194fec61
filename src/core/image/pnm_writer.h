#pragma once

#include <cstdio>
#include <vector>

#include "core/image/row_codec.h"

namespace pblur {

// Which of OpenCV's PNM encoders an extension picks: .pgm (gray only), .ppm (BGR only) or .pnm
// (PGM for gray, PPM for BGR).
enum class PnmKind { pgm, ppm, any };

// Encodes 8- or 16-bit gray or BGR rows as a binary PGM (P5) or PPM (P6) the way OpenCV 4.6's
// imencode does, so the bytes equal cv::imencode(".pgm"/".ppm"/".pnm")'s: a header without a
// comment ("P6\n<width> <height>\n<maxval>\n"), maxval 255 or 65535, samples RGB and
// big-endian.
// PNM holds no metadata. Writes each row as it comes to `file`, which the caller owns and
// closes after finish().
class PnmWriter final : public RowWriter {
 public:
  PnmWriter(std::FILE* file, const RowLayout& layout, PnmKind kind);

  const RowLayout& layout() const override { return layout_; }
  void write_rows(const std::byte* src, std::size_t stride, int count) override;
  void finish() override;

 private:
  void write(const void* bytes, std::size_t size);

  std::FILE* file_;
  RowLayout layout_;
  std::vector<std::byte> row_;
  int rows_written_ = 0;
};

}  // namespace pblur
