#pragma once

#include <cstdio>
#include <span>

#include "core/image/byte_source.h"
#include "core/image/row_codec.h"

namespace pblur {

// Whether `signature` (a file's first bytes) starts a binary PGM or PPM (P5 or P6) that
// PnmReader reads; the ASCII and bitmap kinds are left to OpenCV.
bool is_binary_pnm(std::span<const std::byte> signature);

// A binary PGM (P5) or PPM (P6) read row by row as OpenCV 4.6's imread(IMREAD_UNCHANGED) reads
// it: gray or BGR, 8 bits when maxval is below 256 and 16 otherwise, samples as stored (a maxval
// below the depth's top rescales nothing and clamps nothing). The header is parsed as OpenCV's
// does: whitespace and '#' comments between the numbers, and exactly one byte after maxval.
// Only a window of rows is ever held: the reader always streams.
class PnmReader final : public RowReader {
 public:
  // Reads from `file`, which must stay open while the reader lives.
  explicit PnmReader(std::FILE* file);
  // Reads from `bytes`, which must outlive the reader.
  explicit PnmReader(std::span<const std::byte> bytes);

  const RowLayout& layout() const override { return layout_; }
  std::string stream_blocker() const override { return {}; }
  const ImageMetadata& metadata() const override { return metadata_; }
  void read_rows(std::byte* dst, std::size_t stride, int count) override;
  int rows_read() const override { return rows_read_; }

 private:
  void read_header();
  int read_number();
  int next_header_byte();

  ByteSource source_;
  RowLayout layout_;
  ImageMetadata metadata_;
  int rows_read_ = 0;
};

}  // namespace pblur
