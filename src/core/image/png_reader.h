#pragma once

#include <cstdio>
#include <memory>
#include <span>

#include "core/image/row_codec.h"

namespace pblur {

// A PNG decoded through libpng's row API with the transforms OpenCV 4.6's imread applies to
// IMREAD_UNCHANGED, so the rows are its pixels: gray, BGR or BGRA (a palette or a tRNS chunk
// gives BGR or BGRA, gray with alpha gives BGRA), 16 bits kept, 1-4 bit gray widened to 8.
// An interlaced PNG is decoded whole into the reader on the first read_rows (stream_blocker()
// says so). Every libpng warning once the rows are being read fails the file.
class PngReader final : public RowReader {
 public:
  // Reads from `file`, which must stay open while the reader lives.
  explicit PngReader(std::FILE* file);
  // Reads from `bytes`, which must outlive the reader.
  explicit PngReader(std::span<const std::byte> bytes);
  ~PngReader() override;
  PngReader(const PngReader&) = delete;
  PngReader& operator=(const PngReader&) = delete;

  const RowLayout& layout() const override { return layout_; }
  std::string stream_blocker() const override;
  const ImageMetadata& metadata() const override { return metadata_; }
  void read_rows(std::byte* dst, std::size_t stride, int count) override;
  int rows_read() const override { return rows_read_; }

 private:
  struct Decoder;
  void read_header();
  void read_interlaced_whole();

  std::unique_ptr<Decoder> decoder_;
  RowLayout layout_;
  ImageMetadata metadata_;
  int rows_read_ = 0;
};

}  // namespace pblur
